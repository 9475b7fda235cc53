//! OFAC SDN and Consolidated CSV sets.
//!
//! OFAC publishes each list as up to four headerless CSV files joined on `ent_num`:
//!
//! | role | SDN | Consolidated | columns |
//! |---|---|---|---|
//! | primary | `sdn.csv` (or a dated copy `sdn_2021-08-18.csv`) | `cons_prim.csv` | ent_num, SDN_Name, SDN_Type, Program, Title, Call_Sign, Vess_type, Tonnage, GRT, Vess_flag, Vess_owner, Remarks |
//! | aliases | `alt.csv` | `cons_alt.csv` | ent_num, alt_num, alt_type, alt_name, alt_remarks |
//! | addresses | `add.csv` | `cons_add.csv` | ent_num, add_num, Address, City/State/Province/Postal Code, Country, add_remarks |
//! | remark continuations | `sdn_comments.csv` | `cons_comments.csv` | ent_num, remarks_extension |
//!
//! Only the primary file is required. `-0- ` is null; lines end in CRLF or LF; the files end
//! with a DOS end-of-file byte (0x1A); remarks longer than 1,000 characters are cut and continue
//! in the comments file. The files are ASCII; a byte sequence that is not UTF-8 is read as
//! Windows-1252 rather than rejected.
//!
//! The auxiliary files are held in memory (they are small); the primary file is streamed twice:
//! once in [`open`] to check it and learn every listed name (so that `Linked To: NAME` in the
//! remarks becomes a link to `ofac-{ent_num}`), and once while records are read.
//!
//! Each entry becomes an entity `ofac-{ent_num}` (Person, Organization, Vessel or Airplane), a
//! `Sanction`, and as needed `Address`, `Passport`/`Identification`, `UnknownLink` and
//! `CryptoWallet` entities. The remarks are parsed by the `remarks` submodule; anything it does
//! not understand is kept in `notes`. Origins name the file by its canonical OFAC name
//! (`sdn.csv:remarks`, `alt.csv:9302`, `add.csv:12216`), also for a dated copy, so that the same
//! content gives the same entity hash whatever the copy was called.

#[path = "ofac_remarks.rs"]
mod remarks;

use std::collections::hash_map::Entry;
use std::collections::{HashMap, VecDeque};
use std::fs::File;
use std::io::{BufRead, BufReader, Cursor};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use encoding_rs::WINDOWS_1252;
use interdict_model::id::derived_id;
use interdict_model::{Entity, ImportMode, ListRecord, Schema};
use sha2::{Digest, Sha256};

use crate::{Format, Import, ImportError, ImportMeta, Location, file_name, hash_files};
use remarks::{CountryUse, DocKind, Document, Fact, FactKind, NameUse, country_code};

/// The authority named on every `Sanction` entity.
const AUTHORITY: &str = "Office of Foreign Assets Control";
/// OFAC's public page for an entry, by ent_num.
const DETAILS_URL: &str = "https://sanctionssearch.ofac.treas.gov/Details.aspx?id=";
/// OFAC cuts the Remarks column at this many characters and continues it in the comments file.
const REMARKS_CUT: usize = 1000;

/// Which OFAC list a CSV set belongs to; it decides the dataset name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum List {
    /// The Specially Designated Nationals list (`sdn.csv` …): dataset `us_ofac_sdn`.
    Sdn,
    /// The Consolidated (non-SDN) list (`cons_prim.csv` …): dataset `us_ofac_cons`.
    Consolidated,
}

impl List {
    /// The dataset name, as OpenSanctions names it.
    pub fn dataset(self) -> &'static str {
        match self {
            List::Sdn => "us_ofac_sdn",
            List::Consolidated => "us_ofac_cons",
        }
    }

    /// The canonical OFAC file name of a role, used in value origins.
    pub fn file_name(self, role: Role) -> &'static str {
        match (self, role) {
            (List::Sdn, Role::Primary) => "sdn.csv",
            (List::Sdn, Role::Aliases) => "alt.csv",
            (List::Sdn, Role::Addresses) => "add.csv",
            (List::Sdn, Role::Comments) => "sdn_comments.csv",
            (List::Consolidated, Role::Primary) => "cons_prim.csv",
            (List::Consolidated, Role::Aliases) => "cons_alt.csv",
            (List::Consolidated, Role::Addresses) => "cons_add.csv",
            (List::Consolidated, Role::Comments) => "cons_comments.csv",
        }
    }
}

/// The part a file plays in a CSV set.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Role {
    /// One row per listed entry (`sdn.csv`, `cons_prim.csv`). Required.
    Primary,
    /// Alternative names (`alt.csv`, `cons_alt.csv`).
    Aliases,
    /// Addresses (`add.csv`, `cons_add.csv`).
    Addresses,
    /// The rest of remarks cut at 1,000 characters (`sdn_comments.csv`, `cons_comments.csv`).
    Comments,
}

impl Role {
    /// Number of columns a row of this file has.
    fn columns(self) -> usize {
        match self {
            Role::Primary => 12,
            Role::Aliases => 5,
            Role::Addresses => 6,
            Role::Comments => 2,
        }
    }
}

/// Recognise an OFAC CSV file by its name (case is ignored): which list and which role. A dated
/// copy of the SDN file (`sdn_2021-08-18.csv`, as archives keep it) is a primary file.
pub fn role_of(name: &str) -> Option<(List, Role)> {
    let n = name.to_ascii_lowercase();
    Some(match n.as_str() {
        "sdn.csv" => (List::Sdn, Role::Primary),
        "alt.csv" => (List::Sdn, Role::Aliases),
        "add.csv" => (List::Sdn, Role::Addresses),
        "sdn_comments.csv" => (List::Sdn, Role::Comments),
        "cons_prim.csv" => (List::Consolidated, Role::Primary),
        "cons_alt.csv" => (List::Consolidated, Role::Aliases),
        "cons_add.csv" => (List::Consolidated, Role::Addresses),
        "cons_comments.csv" => (List::Consolidated, Role::Comments),
        _ if n.starts_with("sdn_") && n.ends_with(".csv") => (List::Sdn, Role::Primary),
        _ => return None,
    })
}

/// The files of one CSV set held in memory, for callers that have the bytes already (a fuzz
/// target, a download that is checked before it is written). Names decide the list and appear in
/// errors; they need not exist on disk.
#[derive(Debug, Clone, Default)]
pub struct MemorySet {
    /// The primary file's name and bytes.
    pub primary: (PathBuf, Vec<u8>),
    /// The aliases file, if any.
    pub aliases: Option<(PathBuf, Vec<u8>)>,
    /// The addresses file, if any.
    pub addresses: Option<(PathBuf, Vec<u8>)>,
    /// The remark continuations file, if any.
    pub comments: Option<(PathBuf, Vec<u8>)>,
}

/// Open files of this format for import (see [`crate::open`]).
///
/// `paths` are the files of one set, or a directory holding them; roles are recognised by file
/// name ([`role_of`]). Only the primary file is required. The primary file is read once here to
/// check it, so a wrong column count or a bad `ent_num` anywhere in the set, or an alias or
/// address row for an entry that is not listed, is reported before any record is yielded.
pub fn open(paths: &[PathBuf]) -> Result<Import, ImportError> {
    let set = find_set(paths)?;
    let files: Vec<PathBuf> = set.sources().map(|s| s.path.clone()).collect();
    let sha256 = hash_files(&files)?;
    build(set, files, sha256)
}

/// Read a primary file (`sdn.csv`, `cons_prim.csv` …) given as bytes, without aliases, addresses
/// or remark continuations. `name` decides the list, as [`role_of`] does.
pub fn read_primary(bytes: &[u8], name: &Path) -> Result<Import, ImportError> {
    read_set(MemorySet {
        primary: (name.to_path_buf(), bytes.to_vec()),
        ..MemorySet::default()
    })
}

/// Read a CSV set held in memory; see [`MemorySet`].
pub fn read_set(set: MemorySet) -> Result<Import, ImportError> {
    let (name, bytes) = set.primary;
    let list = match role_of(&file_name(&name)) {
        Some((list, Role::Primary)) => list,
        _ => {
            return Err(ImportError::new(
                name,
                Location::File,
                "not an OFAC primary CSV file name",
            ));
        }
    };
    let source = |f: Option<(PathBuf, Vec<u8>)>| {
        f.map(|(path, bytes)| Source {
            path,
            bytes: Some(Arc::from(bytes)),
        })
    };
    let set = Set {
        list,
        primary: Source {
            path: name,
            bytes: Some(Arc::from(bytes)),
        },
        aliases: source(set.aliases),
        addresses: source(set.addresses),
        comments: source(set.comments),
    };
    let files: Vec<PathBuf> = set.sources().map(|s| s.path.clone()).collect();
    // The same digest `hash_files` computes for the same bytes on disk.
    let mut h = Sha256::new();
    for s in set.sources() {
        let bytes = s.bytes.as_deref().unwrap_or_default();
        h.update((bytes.len() as u64).to_le_bytes());
        h.update(bytes);
    }
    let sha256 = hex::encode(h.finalize());
    build(set, files, sha256)
}

/// One input file: a path on disk, or bytes with a name.
#[derive(Debug, Clone)]
struct Source {
    path: PathBuf,
    bytes: Option<Arc<[u8]>>,
}

impl Source {
    fn reader(&self) -> Result<CsvReader, ImportError> {
        let input: Box<dyn BufRead + Send> = match &self.bytes {
            Some(bytes) => Box::new(Cursor::new(Arc::clone(bytes))),
            None => {
                let file = File::open(&self.path).map_err(|e| {
                    ImportError::new(&self.path, Location::File, format!("cannot read: {e}"))
                })?;
                Box::new(BufReader::with_capacity(1 << 16, file))
            }
        };
        Ok(CsvReader::new(input, self.path.clone()))
    }
}

/// The files of one set, by role.
#[derive(Debug)]
struct Set {
    list: List,
    primary: Source,
    aliases: Option<Source>,
    addresses: Option<Source>,
    comments: Option<Source>,
}

impl Set {
    /// The files in the fixed order in which they are hashed and listed.
    fn sources(&self) -> impl Iterator<Item = &Source> {
        std::iter::once(&self.primary)
            .chain(self.aliases.as_ref())
            .chain(self.addresses.as_ref())
            .chain(self.comments.as_ref())
    }
}

/// Work out the set from the paths given: explicit files, or directories whose recognised files
/// are taken (other files in a directory are ignored).
fn find_set(paths: &[PathBuf]) -> Result<Set, ImportError> {
    let Some(first) = paths.first() else {
        return Err(ImportError::new(
            "",
            Location::File,
            "no OFAC CSV files given",
        ));
    };
    let mut found: Vec<(List, Role, PathBuf)> = Vec::new();
    for path in paths {
        if path.is_dir() {
            let entries = std::fs::read_dir(path).map_err(|e| {
                ImportError::new(path, Location::File, format!("cannot read directory: {e}"))
            })?;
            let mut in_dir = Vec::new();
            for entry in entries {
                let entry = entry.map_err(|e| {
                    ImportError::new(path, Location::File, format!("cannot read directory: {e}"))
                })?;
                let p = entry.path();
                if let Some((list, role)) = role_of(&file_name(&p))
                    && p.is_file()
                {
                    in_dir.push((list, role, p));
                }
            }
            in_dir.sort_by(|a, b| a.2.cmp(&b.2));
            found.extend(in_dir);
        } else {
            let Some((list, role)) = role_of(&file_name(path)) else {
                return Err(ImportError::new(
                    path,
                    Location::File,
                    "not an OFAC CSV file name (expected sdn.csv, sdn_*.csv, alt.csv, add.csv, \
                     sdn_comments.csv or their cons_prim/cons_alt/cons_add/cons_comments.csv \
                     equivalents)",
                ));
            };
            if !path.exists() {
                return Err(ImportError::new(
                    path,
                    Location::File,
                    "cannot read: file not found",
                ));
            }
            found.push((list, role, path.clone()));
        }
    }
    let mut by_role: HashMap<Role, (List, PathBuf)> = HashMap::new();
    for (list, role, path) in found {
        match by_role.entry(role) {
            Entry::Occupied(o) => {
                return Err(ImportError::new(
                    &path,
                    Location::File,
                    format!(
                        "a set has one file per role, but {} is also one; name the files to import",
                        o.get().1.display()
                    ),
                ));
            }
            Entry::Vacant(v) => {
                v.insert((list, path));
            }
        }
    }
    let Some((list, primary)) = by_role.remove(&Role::Primary) else {
        return Err(ImportError::new(
            first,
            Location::File,
            "no primary file (sdn.csv, sdn_*.csv or cons_prim.csv) in the OFAC CSV set",
        ));
    };
    let mut take = |role: Role| -> Result<Option<Source>, ImportError> {
        match by_role.remove(&role) {
            Some((l, path)) if l != list => Err(ImportError::new(
                &path,
                Location::File,
                format!(
                    "belongs to the {} list but the primary file {} to the {} list",
                    l.dataset(),
                    primary.display(),
                    list.dataset()
                ),
            )),
            Some((_, path)) => Ok(Some(Source { path, bytes: None })),
            None => Ok(None),
        }
    };
    Ok(Set {
        list,
        aliases: take(Role::Aliases)?,
        addresses: take(Role::Addresses)?,
        comments: take(Role::Comments)?,
        primary: Source {
            path: primary,
            bytes: None,
        },
    })
}

// ---------------------------------------------------------------------------------------------
// CSV reading

/// One CSV row: its first line and its fields, decoded.
#[derive(Debug)]
struct Row {
    line: u64,
    fields: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum FieldState {
    Start,
    Unquoted,
    Quoted,
    /// A quote inside a quoted field: the end of the field or the first half of `""`.
    QuoteSeen,
    /// Spaces after a closing quote.
    AfterQuote,
}

/// A strict, streaming reader for OFAC's CSV dialect. Unlike a lenient CSV parser it reports a
/// quoted field that never closes (a truncated file) and text after a closing quote, with the
/// line number; it skips the trailing 0x1A and blank lines and accepts CRLF or LF.
struct CsvReader {
    input: Box<dyn BufRead + Send>,
    file: PathBuf,
    line: u64,
    buf: Vec<u8>,
    first: bool,
}

impl CsvReader {
    fn new(input: Box<dyn BufRead + Send>, file: PathBuf) -> Self {
        CsvReader {
            input,
            file,
            line: 0,
            buf: Vec::new(),
            first: true,
        }
    }

    fn error(&self, line: u64, reason: impl Into<String>) -> ImportError {
        ImportError::new(&self.file, Location::Line(line), reason)
    }

    fn next_row(&mut self) -> Option<Result<Row, ImportError>> {
        let mut fields: Vec<Vec<u8>> = Vec::new();
        let mut cur: Vec<u8> = Vec::new();
        let mut state = FieldState::Start;
        let mut start_line = 0;
        let mut in_record = false;
        loop {
            self.buf.clear();
            let n = match self.input.read_until(b'\n', &mut self.buf) {
                Ok(n) => n,
                Err(e) => return Some(Err(self.error(self.line + 1, format!("cannot read: {e}")))),
            };
            if n == 0 {
                if in_record {
                    return Some(Err(self.error(
                        start_line,
                        "a quoted field is not closed before the end of the file (truncated file?)",
                    )));
                }
                return None;
            }
            self.line += 1;
            let mut line: &[u8] = &self.buf;
            let last = !line.ends_with(b"\n");
            line = line.strip_suffix(b"\n").unwrap_or(line);
            line = line.strip_suffix(b"\r").unwrap_or(line);
            if self.first {
                line = line.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(line);
                self.first = false;
            }
            if last {
                while let Some(l) = line.strip_suffix(b"\x1A") {
                    line = l;
                }
            }
            if in_record {
                // A quoted field that goes on over a line break keeps the break.
                cur.push(b'\n');
            } else {
                if line.is_empty() || line == b"\x1A" {
                    continue;
                }
                start_line = self.line;
                in_record = true;
            }
            for &b in line {
                state = match (state, b) {
                    (FieldState::Start, b'"') => FieldState::Quoted,
                    (FieldState::Start | FieldState::Unquoted, b',') => {
                        fields.push(std::mem::take(&mut cur));
                        FieldState::Start
                    }
                    (FieldState::Start | FieldState::Unquoted, _) => {
                        cur.push(b);
                        FieldState::Unquoted
                    }
                    (FieldState::Quoted, b'"') => FieldState::QuoteSeen,
                    (FieldState::Quoted, _) => {
                        cur.push(b);
                        FieldState::Quoted
                    }
                    (FieldState::QuoteSeen, b'"') => {
                        cur.push(b'"');
                        FieldState::Quoted
                    }
                    (FieldState::QuoteSeen | FieldState::AfterQuote, b',') => {
                        fields.push(std::mem::take(&mut cur));
                        FieldState::Start
                    }
                    (FieldState::QuoteSeen | FieldState::AfterQuote, b' ') => {
                        FieldState::AfterQuote
                    }
                    (FieldState::QuoteSeen | FieldState::AfterQuote, _) => {
                        return Some(Err(self.error(
                            self.line,
                            format!(
                                "unexpected {:?} after the closing quote of field {}",
                                char::from(b),
                                fields.len() + 1
                            ),
                        )));
                    }
                };
            }
            if state == FieldState::Quoted {
                continue;
            }
            fields.push(cur);
            return Some(Ok(Row {
                line: start_line,
                fields: fields.into_iter().map(decode).collect(),
            }));
        }
    }
}

/// Decode a field: UTF-8 if it is (OFAC files are ASCII), else Windows-1252, which every byte
/// sequence is, so a stray accented byte never stops an import.
fn decode(bytes: Vec<u8>) -> String {
    match String::from_utf8(bytes) {
        Ok(s) => s,
        Err(e) => WINDOWS_1252
            .decode_without_bom_handling(e.as_bytes())
            .0
            .into_owned(),
    }
}

/// A field's value, or `None` for OFAC's null `-0- ` and for empty fields.
fn value(field: &str) -> Option<&str> {
    let t = field.trim();
    (!t.is_empty() && t != "-0-").then_some(t)
}

/// Check the column count and read the ent_num of a row.
fn check_row(row: &Row, role: Role, file: &Path) -> Result<u64, ImportError> {
    if row.fields.len() != role.columns() {
        return Err(ImportError::new(
            file,
            Location::Line(row.line),
            format!(
                "expected {} fields, found {}",
                role.columns(),
                row.fields.len()
            ),
        ));
    }
    let raw = row.fields.first().map(String::as_str).unwrap_or_default();
    raw.trim().parse::<u64>().map_err(|_| {
        ImportError::new(
            file,
            Location::Line(row.line),
            format!("ent_num {raw:?} is not a number"),
        )
    })
}

// ---------------------------------------------------------------------------------------------
// The auxiliary files and the first pass

#[derive(Debug)]
struct AliasRow {
    line: u64,
    alt_num: String,
    alt_type: Option<String>,
    name: String,
    remarks: Option<String>,
}

#[derive(Debug)]
struct AddressRow {
    line: u64,
    add_num: String,
    street: Option<String>,
    city: Option<String>,
    country: Option<String>,
    remarks: Option<String>,
}

/// Read a whole auxiliary file into rows keyed by ent_num (in file order).
fn read_aux<T>(
    source: &Source,
    role: Role,
    mut make: impl FnMut(Row) -> Option<T>,
) -> Result<HashMap<u64, Vec<T>>, ImportError> {
    let mut out: HashMap<u64, Vec<T>> = HashMap::new();
    let mut reader = source.reader()?;
    while let Some(row) = reader.next_row() {
        let row = row?;
        let ent = check_row(&row, role, &source.path)?;
        if let Some(item) = make(row) {
            out.entry(ent).or_default().push(item);
        }
    }
    Ok(out)
}

fn field(row: &Row, i: usize) -> Option<String> {
    row.fields.get(i).and_then(|f| value(f)).map(str::to_string)
}

fn load_aliases(source: &Source) -> Result<HashMap<u64, Vec<AliasRow>>, ImportError> {
    read_aux(source, Role::Aliases, |row| {
        Some(AliasRow {
            line: row.line,
            alt_num: field(&row, 1).unwrap_or_default(),
            alt_type: field(&row, 2),
            // A row without a name has nothing to keep.
            name: field(&row, 3)?,
            remarks: field(&row, 4),
        })
    })
}

fn load_addresses(source: &Source) -> Result<HashMap<u64, Vec<AddressRow>>, ImportError> {
    read_aux(source, Role::Addresses, |row| {
        Some(AddressRow {
            line: row.line,
            add_num: field(&row, 1).unwrap_or_default(),
            street: field(&row, 2),
            city: field(&row, 3),
            country: field(&row, 4),
            remarks: field(&row, 5),
        })
    })
}

/// Remark continuations; the text is kept untrimmed, as it continues a cut word.
fn load_comments(source: &Source) -> Result<HashMap<u64, Vec<(u64, String)>>, ImportError> {
    read_aux(source, Role::Comments, |mut row| {
        let text = row.fields.pop().unwrap_or_default();
        value(&text).is_some().then_some((row.line, text))
    })
}

/// A name seen once, or more than once (then it cannot be resolved).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum NameRef {
    One(u64),
    Many,
}

/// What the first pass learns: every entry and every listed name.
#[derive(Debug, Default)]
struct Names {
    primary: HashMap<String, NameRef>,
    aliases: HashMap<String, NameRef>,
}

fn insert_name(map: &mut HashMap<String, NameRef>, name: &str, ent: u64) {
    let key = name_key(name);
    if key.is_empty() {
        return;
    }
    match map.entry(key) {
        Entry::Vacant(v) => {
            v.insert(NameRef::One(ent));
        }
        Entry::Occupied(mut o) => {
            if *o.get() != NameRef::One(ent) {
                o.insert(NameRef::Many);
            }
        }
    }
}

impl Names {
    /// The ent_num of a listed name: a unique primary name, else a unique alias.
    fn resolve(&self, name: &str) -> Option<u64> {
        let key = name_key(name);
        match self.primary.get(&key) {
            Some(NameRef::One(e)) => Some(*e),
            Some(NameRef::Many) => None,
            None => match self.aliases.get(&key) {
                Some(NameRef::One(e)) => Some(*e),
                _ => None,
            },
        }
    }
}

/// A name reduced to upper-case words of letters and digits, so that `Linked To: MAHAN AIR.`
/// finds `MAHAN AIR` and `AL-QA'IDA` finds `AL QA'IDA`.
fn name_key(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut gap = false;
    for c in name.chars() {
        if c.is_alphanumeric() {
            if gap && !out.is_empty() {
                out.push(' ');
            }
            gap = false;
            out.extend(c.to_uppercase());
        } else {
            gap = true;
        }
    }
    out
}

/// The first pass over the primary file: check every row, refuse repeated ent_nums, learn the
/// names.
fn first_pass(source: &Source) -> Result<(HashMap<u64, u64>, Names), ImportError> {
    let mut entries: HashMap<u64, u64> = HashMap::new();
    let mut names = Names::default();
    let mut reader = source.reader()?;
    while let Some(row) = reader.next_row() {
        let row = row?;
        let ent = check_row(&row, Role::Primary, &source.path)?;
        if let Some(first) = entries.insert(ent, row.line) {
            return Err(ImportError::new(
                &source.path,
                Location::Line(row.line),
                format!("ent_num {ent} is listed twice (first at line {first})"),
            ));
        }
        match row.fields.get(1).and_then(|f| value(f)) {
            Some(name) => insert_name(&mut names.primary, name, ent),
            None => {
                return Err(ImportError::new(
                    &source.path,
                    Location::Line(row.line),
                    format!("entry {ent} has no name"),
                ));
            }
        }
    }
    Ok((entries, names))
}

/// An auxiliary row for an entry that is not in the primary file means the files are not one
/// set: refuse, naming the first such row.
fn check_orphans<T>(
    map: &HashMap<u64, Vec<T>>,
    entries: &HashMap<u64, u64>,
    source: &Source,
    primary: &str,
    line_of: impl Fn(&T) -> u64,
) -> Result<(), ImportError> {
    let line_of = &line_of;
    let orphan = map
        .iter()
        .filter(|(ent, _)| !entries.contains_key(ent))
        .flat_map(|(ent, rows)| rows.iter().map(move |r| (line_of(r), *ent)))
        .min();
    match orphan {
        Some((line, ent)) => Err(ImportError::new(
            &source.path,
            Location::Line(line),
            format!("ent_num {ent} is not in {primary}"),
        )),
        None => Ok(()),
    }
}

fn build(set: Set, files: Vec<PathBuf>, sha256: String) -> Result<Import, ImportError> {
    let aliases = match &set.aliases {
        Some(s) => load_aliases(s)?,
        None => HashMap::new(),
    };
    let addresses = match &set.addresses {
        Some(s) => load_addresses(s)?,
        None => HashMap::new(),
    };
    let comments = match &set.comments {
        Some(s) => load_comments(s)?,
        None => HashMap::new(),
    };
    let (entries, mut names) = first_pass(&set.primary)?;
    let primary_name = file_name(&set.primary.path);
    if let Some(s) = &set.aliases {
        check_orphans(&aliases, &entries, s, &primary_name, |r| r.line)?;
    }
    if let Some(s) = &set.addresses {
        check_orphans(&addresses, &entries, s, &primary_name, |r| r.line)?;
    }
    if let Some(s) = &set.comments {
        check_orphans(&comments, &entries, s, &primary_name, |r| r.0)?;
    }
    for (ent, rows) in &aliases {
        for r in rows {
            insert_name(&mut names.aliases, &r.name, *ent);
        }
    }
    let reader = set.primary.reader()?;
    let meta = ImportMeta {
        dataset: set.list.dataset().to_string(),
        format: Format::OfacCsv,
        mode: ImportMode::Full,
        published: None,
        files,
        sha256,
    };
    let records = Records {
        list: set.list,
        origins: Origins::new(set.list),
        reader,
        aliases,
        addresses,
        comments,
        names,
        queue: VecDeque::new(),
        done: false,
    };
    Ok(Import::new(meta, records))
}

// ---------------------------------------------------------------------------------------------
// The second pass: rows to entities

/// The origin strings of the primary file's columns and of the remarks, computed once.
struct Origins {
    ent_num: String,
    name: String,
    sdn_type: String,
    program: String,
    title: String,
    call_sign: String,
    vess_type: String,
    tonnage: String,
    grt: String,
    vess_flag: String,
    vess_owner: String,
    remarks: String,
    comments: String,
    remarks_joined: String,
    aliases: &'static str,
    addresses: &'static str,
}

impl Origins {
    fn new(list: List) -> Self {
        let p = list.file_name(Role::Primary);
        let c = list.file_name(Role::Comments);
        let col = |name: &str| format!("{p}:{name}");
        Origins {
            ent_num: col("ent_num"),
            name: col("name"),
            sdn_type: col("type"),
            program: col("program"),
            title: col("title"),
            call_sign: col("call_sign"),
            vess_type: col("vess_type"),
            tonnage: col("tonnage"),
            grt: col("grt"),
            vess_flag: col("vess_flag"),
            vess_owner: col("vess_owner"),
            remarks: col("remarks"),
            comments: format!("{c}:remarks"),
            remarks_joined: format!("{p}:remarks+{c}:remarks"),
            aliases: list.file_name(Role::Aliases),
            addresses: list.file_name(Role::Addresses),
        }
    }
}

/// The record stream: the second pass over the primary file.
struct Records {
    list: List,
    origins: Origins,
    reader: CsvReader,
    aliases: HashMap<u64, Vec<AliasRow>>,
    addresses: HashMap<u64, Vec<AddressRow>>,
    comments: HashMap<u64, Vec<(u64, String)>>,
    names: Names,
    queue: VecDeque<Entity>,
    done: bool,
}

impl Iterator for Records {
    type Item = Result<ListRecord, ImportError>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if let Some(e) = self.queue.pop_front() {
                return Some(Ok(ListRecord::Entity(e)));
            }
            if self.done {
                return None;
            }
            let row = match self.reader.next_row() {
                None => {
                    self.done = true;
                    return None;
                }
                Some(Err(e)) => {
                    self.done = true;
                    return Some(Err(e));
                }
                Some(Ok(row)) => row,
            };
            match self.entry(row) {
                Ok(entities) => self.queue.extend(entities),
                Err(e) => {
                    self.done = true;
                    return Some(Err(e));
                }
            }
        }
    }
}

/// Add a value if the schema has the property; report whether it has.
fn put(e: &mut Entity, property: &str, value: &str, origin: &str) -> bool {
    e.add(property, value, Some(origin)).is_ok()
}

/// Add a value, or keep `note` in `notes` when the schema has no such property.
fn put_or_note(e: &mut Entity, property: &str, value: &str, origin: &str, note: &str) {
    if !put(e, property, value, origin) {
        put(e, "notes", note, origin);
    }
}

/// Keep one entity per id: a repeated one (the same passport listed twice) is merged.
fn push_unique(list: &mut Vec<Entity>, e: Entity) {
    match list.iter_mut().find(|x| x.id == e.id) {
        Some(existing) => existing.merge(&e),
        None => list.push(e),
    }
}

/// `IRAN] [SDGT` → `IRAN`, `SDGT`.
fn programs(field: &str) -> impl Iterator<Item = &str> {
    field
        .split("] [")
        .map(|p| p.trim().trim_matches(['[', ']']).trim())
        .filter(|p| !p.is_empty())
}

/// Split `LAST, First Middle` (and `LAST, First, Jr.` / `LAST, JR., First`) into last name,
/// first names and suffix. Names without that shape are not split.
fn split_person_name(name: &str) -> Option<(&str, &str, Option<&str>)> {
    let (last, rest) = name.split_once(',')?;
    let (last, rest) = (last.trim(), rest.trim());
    if last.is_empty() || rest.is_empty() {
        return None;
    }
    let is_suffix = |s: &str| {
        matches!(
            s.trim_end_matches('.').to_ascii_lowercase().as_str(),
            "jr" | "sr" | "ii" | "iii" | "iv"
        )
    };
    match rest.split_once(',') {
        Some((a, b)) if is_suffix(b.trim()) => Some((last, a.trim(), Some(b.trim()))),
        Some((a, b)) if is_suffix(a.trim()) => Some((last, b.trim(), Some(a.trim()))),
        _ => Some((last, rest, None)),
    }
}

/// Split OFAC's `City/State/Province/Postal Code` column (`Guadalajara, Jalisco 44680`) into city,
/// region and postal code: trailing words with digits are the postal code, the first
/// comma-separated part is the city, the rest the region.
fn split_city(text: &str) -> (Option<String>, Option<String>, Option<String>) {
    let words: Vec<&str> = text.split_whitespace().collect();
    let mut cut = words.len();
    while cut > 1 && words[cut - 1].bytes().any(|b| b.is_ascii_digit()) {
        cut -= 1;
    }
    if cut == 1
        && words
            .first()
            .is_some_and(|w| w.bytes().any(|b| b.is_ascii_digit()))
    {
        cut = 0;
    }
    let postal = (cut < words.len()).then(|| words[cut..].join(" "));
    let mut head = &words[..cut];
    // `Mexico City C.P. 11830`: the postal-code marker belongs to neither city nor code.
    if postal.is_some()
        && let Some((last, init)) = head.split_last()
        && matches!(*last, "C.P." | "CP" | "C.P")
    {
        head = init;
    }
    let head = head.join(" ");
    let head = head.trim_end_matches(',').trim();
    let (city, region) = match head.split_once(',') {
        Some((c, r)) => (c.trim(), r.trim()),
        None => (head, ""),
    };
    let some = |s: &str| (!s.is_empty()).then(|| s.to_string());
    (some(city), some(region), postal)
}

impl Records {
    /// Which origin a remarks segment has: the primary file, the comments file, or both when it
    /// straddles the cut.
    fn remarks_origin(&self, seg_start: usize, seg_end: usize, cut: usize) -> &str {
        if seg_end <= cut {
            &self.origins.remarks
        } else if seg_start >= cut {
            &self.origins.comments
        } else {
            &self.origins.remarks_joined
        }
    }

    /// All entities of one primary row.
    fn entry(&mut self, row: Row) -> Result<Vec<Entity>, ImportError> {
        let ent = check_row(&row, Role::Primary, &self.reader.file)?;
        let f = |i: usize| row.fields.get(i).and_then(|s| value(s));
        let id = format!("ofac-{ent}");
        let ent_str = ent.to_string();
        let Some(name) = f(1) else {
            return Err(ImportError::new(
                &self.reader.file,
                Location::Line(row.line),
                format!("entry {ent} has no name"),
            ));
        };
        let sdn_type = f(2);
        let schema = match sdn_type.map(str::to_ascii_lowercase).as_deref() {
            None => Schema::named("Organization"),
            Some("individual") => Schema::named("Person"),
            Some("vessel") => Schema::named("Vessel"),
            Some("aircraft") => Schema::named("Airplane"),
            Some(_) => Schema::named("LegalEntity"),
        };
        let o = &self.origins;
        let mut e = Entity::new(id.clone(), schema);
        let mut related: Vec<Entity> = Vec::new();
        put(&mut e, "name", name, &o.name);
        if schema == Schema::named("LegalEntity")
            && let Some(t) = sdn_type
        {
            put(
                &mut e,
                "notes",
                format!("SDN type: {t}").as_str(),
                &o.sdn_type,
            );
        }
        if schema == Schema::named("Person")
            && let Some((last, first, suffix)) = split_person_name(name)
        {
            put(&mut e, "lastName", last, &o.name);
            put(&mut e, "firstName", first, &o.name);
            if let Some(s) = suffix {
                put(&mut e, "nameSuffix", s, &o.name);
            }
        }
        put(&mut e, "topics", "sanction", &o.ent_num);
        put(
            &mut e,
            "sourceUrl",
            format!("{DETAILS_URL}{ent}").as_str(),
            &o.ent_num,
        );

        let mut sanction = Entity::new(
            derived_id("ofac-sanction", &[self.list.dataset(), &ent_str]),
            Schema::named("Sanction"),
        );
        put(&mut sanction, "entity", &id, &o.ent_num);
        put(&mut sanction, "authority", AUTHORITY, &o.ent_num);
        put(&mut sanction, "authorityId", &ent_str, &o.ent_num);
        put(&mut sanction, "country", "us", &o.ent_num);
        put(
            &mut sanction,
            "sourceUrl",
            format!("{DETAILS_URL}{ent}").as_str(),
            &o.ent_num,
        );
        if let Some(p) = f(3) {
            for program in programs(p) {
                put(&mut e, "program", program, &o.program);
                put(&mut sanction, "program", program, &o.program);
            }
        }
        if let Some(title) = f(4) {
            let prop = if schema == Schema::named("Person") {
                "position"
            } else {
                "notes"
            };
            put(&mut e, prop, title, &o.title);
        }

        // Vessel columns.
        let columns: [(usize, &str, &str, &str); 4] = [
            (5, "callSign", "Call sign", &o.call_sign),
            (6, "type", "Vessel type", &o.vess_type),
            (7, "tonnage", "Tonnage", &o.tonnage),
            (8, "grossRegisteredTonnage", "GRT", &o.grt),
        ];
        for (i, prop, label, origin) in columns {
            if let Some(v) = f(i) {
                let v = if prop == "tonnage" || prop == "grossRegisteredTonnage" {
                    v.replace(',', "")
                } else {
                    v.to_string()
                };
                put_or_note(
                    &mut e,
                    prop,
                    &v,
                    origin,
                    &format!("{label}: {}", f(i).unwrap_or_default()),
                );
            }
        }
        if let Some(flag) = f(9) {
            let note = format!("Flag: {flag}");
            match country_code(flag) {
                Some(code) => put_or_note(&mut e, "flag", code, &o.vess_flag, &note),
                None => {
                    put(&mut e, "notes", &note, &o.vess_flag);
                }
            }
        }
        if let Some(owner) = f(10) {
            let note = format!("Owner: {owner}");
            match self.names.resolve(owner).filter(|t| *t != ent) {
                Some(target) => put_or_note(
                    &mut e,
                    "owner",
                    &format!("ofac-{target}"),
                    &o.vess_owner,
                    &note,
                ),
                None => {
                    put(&mut e, "notes", &note, &o.vess_owner);
                }
            }
        }

        // Aliases.
        for alias in self.aliases.remove(&ent).unwrap_or_default() {
            let origin = format!("{}:{}", o.aliases, alias.alt_num);
            let prop = match alias
                .alt_type
                .as_deref()
                .map(str::to_ascii_lowercase)
                .as_deref()
            {
                Some("fka") => "previousName",
                _ => "alias",
            };
            put(&mut e, prop, &alias.name, &origin);
            if let Some(r) = &alias.remarks {
                put(
                    &mut e,
                    "notes",
                    format!("{}: {r}", alias.name).as_str(),
                    &origin,
                );
            }
        }

        // Addresses.
        for addr in self.addresses.remove(&ent).unwrap_or_default() {
            let origin = format!("{}:{}", o.addresses, addr.add_num);
            let code = addr.country.as_deref().and_then(country_code);
            if let Some(c) = code {
                put(&mut e, "country", c, &origin);
            }
            if addr.street.is_none() && addr.city.is_none() {
                // Only a country (or nothing): no address entity.
                if let (Some(text), None) = (&addr.country, code) {
                    put(&mut e, "address", text, &origin);
                }
                continue;
            }
            let full: Vec<&str> = [&addr.street, &addr.city, &addr.country]
                .into_iter()
                .filter_map(|p| p.as_deref())
                .collect();
            let full = full.join(", ");
            let mut a = Entity::new(
                derived_id("ofac-addr", &[&ent_str, &addr.add_num]),
                Schema::named("Address"),
            );
            put(&mut a, "full", &full, &origin);
            if let Some(s) = &addr.street {
                put(&mut a, "street", s, &origin);
            }
            if let Some(c) = &addr.city {
                let (city, region, postal) = split_city(c);
                for (prop, v) in [("city", city), ("region", region), ("postalCode", postal)] {
                    if let Some(v) = v {
                        put(&mut a, prop, &v, &origin);
                    }
                }
            }
            match (code, &addr.country) {
                (Some(c), _) => {
                    put(&mut a, "country", c, &origin);
                }
                (None, Some(text)) => {
                    put(
                        &mut a,
                        "notes",
                        format!("Country: {text}").as_str(),
                        &origin,
                    );
                }
                (None, None) => {}
            }
            if let Some(r) = &addr.remarks {
                put(&mut a, "remarks", r, &origin);
            }
            put(&mut e, "addressEntity", &a.id, &origin);
            put(&mut e, "address", &full, &origin);
            push_unique(&mut related, a);
        }

        // Remarks, joined with their continuation.
        let primary_remarks = row.fields.get(11).filter(|r| value(r).is_some());
        let continuation: Vec<String> = self
            .comments
            .remove(&ent)
            .unwrap_or_default()
            .into_iter()
            .map(|(_, t)| t)
            .collect();
        let mut remarks_text = primary_remarks.cloned().unwrap_or_default();
        let cut = remarks_text.len();
        let truncated = continuation.is_empty()
            && remarks_text.chars().count() >= REMARKS_CUT
            && !remarks_text.trim_end().ends_with('.');
        if !continuation.is_empty() && remarks_text.chars().count() < REMARKS_CUT {
            // The comments file may be from another day than the primary file.
            tracing::warn!(
                ent_num = ent,
                "remarks continued in the comments file although they are not cut"
            );
        }
        if truncated {
            tracing::warn!(
                ent_num = ent,
                "remarks cut at {REMARKS_CUT} characters and no continuation in the comments file"
            );
        }
        for c in &continuation {
            remarks_text.push_str(c);
        }
        let facts = remarks::parse(&remarks_text);
        let count = facts.len();
        for (i, fact) in facts.into_iter().enumerate() {
            let origin = self
                .remarks_origin(fact.segment.start, fact.segment.end, cut)
                .to_string();
            if truncated && i + 1 == count {
                // The cut segment is incomplete: keep it verbatim rather than read half a number.
                put(&mut e, "notes", fact.segment.text, &origin);
                continue;
            }
            self.apply(&mut e, &mut sanction, &mut related, ent, fact, &origin);
        }

        let mut out = Vec::with_capacity(related.len() + 2);
        out.push(e);
        out.push(sanction);
        out.extend(related);
        Ok(out)
    }

    /// Put one fact of the remarks where it belongs.
    fn apply(
        &self,
        e: &mut Entity,
        sanction: &mut Entity,
        related: &mut Vec<Entity>,
        ent: u64,
        fact: Fact<'_>,
        origin: &str,
    ) {
        let note = fact.segment.text;
        let has = |e: &Entity, p: &str| e.schema.property_type(p).is_some();
        match fact.kind {
            FactKind::BirthDates(dates) => {
                if has(e, "birthDate") {
                    for d in &dates {
                        put(e, "birthDate", d, origin);
                    }
                } else {
                    put(e, "notes", note, origin);
                }
            }
            FactKind::BirthPlace { place, country } => {
                if has(e, "birthPlace") {
                    put(e, "birthPlace", &place, origin);
                    if let Some(c) = country {
                        put(e, "birthCountry", c, origin);
                    }
                } else {
                    put(e, "notes", note, origin);
                }
            }
            FactKind::Nationality(c) => put_or_note(e, "nationality", c, origin, note),
            FactKind::Citizenship(c) => put_or_note(e, "citizenship", c, origin, note),
            FactKind::Gender(g) => put_or_note(e, "gender", g, origin, note),
            FactKind::Name { use_, name } => {
                let prop = match use_ {
                    NameUse::WeakAlias => "weakAlias",
                    NameUse::Alias => "alias",
                    NameUse::PreviousName => "previousName",
                };
                put_or_note(e, prop, &name, origin, note);
            }
            FactKind::LinkedTo(name) => match self.names.resolve(&name).filter(|t| *t != ent) {
                Some(target) => {
                    let object = format!("ofac-{target}");
                    let mut link = Entity::new(
                        derived_id("ofac-link", &[&e.id, &object]),
                        Schema::named("UnknownLink"),
                    );
                    put(&mut link, "subject", &e.id, origin);
                    put(&mut link, "object", &object, origin);
                    put(&mut link, "role", "Linked To", origin);
                    push_unique(related, link);
                }
                None => {
                    put(e, "notes", note, origin);
                }
            },
            FactKind::Document(doc) => self.document(e, related, doc, origin, note),
            FactKind::Property { property, value } => {
                put_or_note(e, property, &value, origin, note)
            }
            FactKind::Country { use_, code } => {
                let prop = match use_ {
                    CountryUse::PastFlag => "pastFlags",
                    CountryUse::Flag => "flag",
                    CountryUse::Registration if has(e, "flag") => "flag",
                    CountryUse::Registration if has(e, "jurisdiction") => "jurisdiction",
                    // An aircraft's country of registration.
                    CountryUse::Registration => "country",
                };
                put_or_note(e, prop, code, origin, note);
            }
            FactKind::Wallet { currency, address } => {
                let mut w = Entity::new(
                    derived_id("ofac-wallet", &[&e.id, &currency, &address]),
                    Schema::named("CryptoWallet"),
                );
                put(&mut w, "publicKey", &address, origin);
                put(&mut w, "currencySymbol", &currency, origin);
                put(&mut w, "holder", &e.id, origin);
                push_unique(related, w);
            }
            FactKind::Operator(name) => match self.names.resolve(&name).filter(|t| *t != ent) {
                Some(target) => put_or_note(e, "operator", &format!("ofac-{target}"), origin, note),
                None => {
                    put(e, "notes", note, origin);
                }
            },
            FactKind::Provision(text) => {
                put(sanction, "provisions", &text, origin);
            }
            FactKind::SanctionDate {
                property,
                date,
                text,
            } => {
                put(sanction, property, &date, origin);
                put(sanction, "provisions", &text, origin);
            }
            FactKind::ProgramUrl(url) => {
                put(sanction, "programUrl", &url, origin);
            }
            FactKind::Note => {
                put(e, "notes", note, origin);
            }
        }
    }

    /// An identifier: the number on the holder (in the most specific property its schema has),
    /// and for identity papers a `Passport` or `Identification` entity with country and dates.
    fn document(
        &self,
        e: &mut Entity,
        related: &mut Vec<Entity>,
        doc: Document,
        origin: &str,
        note: &str,
    ) {
        let flat = [doc.property, "idNumber"]
            .into_iter()
            .find(|p| e.schema.property_type(p).is_some());
        match flat {
            Some(p) => {
                put(e, p, &doc.number, origin);
            }
            None => {
                put(e, "notes", note, origin);
                return;
            }
        }
        if doc.kind == DocKind::Number || !e.schema.is_a(Schema::named("LegalEntity")) {
            return;
        }
        let schema = if doc.kind == DocKind::Passport && e.schema.is_a(Schema::named("Person")) {
            Schema::named("Passport")
        } else {
            Schema::named("Identification")
        };
        let doc_type = doc.label.trim_end_matches([':', '#', ' ']);
        let mut d = Entity::new(
            derived_id(
                "ofac-id",
                &[&e.id, doc_type, &doc.number, doc.country.unwrap_or("")],
            ),
            schema,
        );
        put(&mut d, "holder", &e.id, origin);
        put(&mut d, "number", &doc.number, origin);
        put(&mut d, "type", doc_type, origin);
        if let Some(c) = doc.country {
            put(&mut d, "country", c, origin);
        }
        if let Some(a) = &doc.authority {
            put(&mut d, "authority", a, origin);
        }
        if let Some(date) = &doc.issued {
            put(&mut d, "startDate", date, origin);
        }
        if let Some(date) = &doc.expires {
            put(&mut d, "endDate", date, origin);
        }
        push_unique(related, d);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::{BTreeMap, HashSet};

    fn data(rel: &str) -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../data/lists/ofac")
            .join(rel)
    }

    fn entities(import: Import) -> Vec<Entity> {
        import
            .map(|r| match r.unwrap() {
                ListRecord::Entity(e) => e,
                ListRecord::Delete(id) => panic!("delete {id} in a full list"),
            })
            .collect()
    }

    fn load(paths: &[PathBuf]) -> (ImportMeta, BTreeMap<String, Entity>) {
        let import = open(paths).unwrap();
        let meta = import.meta().clone();
        let mut map = BTreeMap::new();
        for e in entities(import) {
            let id = e.id.clone();
            assert!(map.insert(id.clone(), e).is_none(), "duplicate id {id}");
        }
        (meta, map)
    }

    fn of<'a>(map: &'a BTreeMap<String, Entity>, schema: &str) -> Vec<&'a Entity> {
        map.values()
            .filter(|e| e.schema == Schema::named(schema))
            .collect()
    }

    fn main_entries(map: &BTreeMap<String, Entity>) -> usize {
        map.keys()
            .filter(|k| {
                k.strip_prefix("ofac-")
                    .is_some_and(|n| n.bytes().all(|b| b.is_ascii_digit()))
            })
            .count()
    }

    fn related<'a>(
        map: &'a BTreeMap<String, Entity>,
        schema: &str,
        prop: &str,
        id: &str,
    ) -> Vec<&'a Entity> {
        of(map, schema)
            .into_iter()
            .filter(|e| e.values(prop).any(|v| v == id))
            .collect()
    }

    fn origins_with_prefix(map: &BTreeMap<String, Entity>, prefix: &str) -> HashSet<String> {
        map.values()
            .flat_map(|e| e.properties.values().flatten())
            .filter_map(|v| v.origin.as_deref())
            .filter(|o| o.starts_with(prefix))
            .map(str::to_string)
            .collect()
    }

    // Counts below were established with Python's csv module over the same files (not with this
    // importer): rows per file, alias rows with distinct (ent, type, name), address rows with a
    // street or city part, and rows with any non-null part.

    #[test]
    fn sdn_2021_07_full_set() {
        let (meta, map) = load(&[data("sdn_csv_2021-07")]);
        assert_eq!(meta.dataset, "us_ofac_sdn");
        assert_eq!(meta.published, None);
        let names: Vec<String> = meta.files.iter().map(|p| file_name(p)).collect();
        assert_eq!(names, ["sdn.csv", "alt.csv", "add.csv", "sdn_comments.csv"]);
        assert_eq!(meta.sha256, hash_files(&meta.files).unwrap());

        assert_eq!(main_entries(&map), 8_976);
        assert_eq!(of(&map, "Sanction").len(), 8_976);
        assert_eq!(of(&map, "Person").len(), 4_620);
        assert_eq!(of(&map, "Vessel").len(), 406);
        assert_eq!(of(&map, "Airplane").len(), 277);
        assert_eq!(of(&map, "Organization").len(), 3_673);

        // 11,910 alias rows; two rows repeat a name of the same entry (8407, 16448).
        let set = find_set(&[data("sdn_csv_2021-07")]).unwrap();
        let rows = load_aliases(set.aliases.as_ref().unwrap()).unwrap();
        assert_eq!(rows.values().map(Vec::len).sum::<usize>(), 11_910);
        assert_eq!(origins_with_prefix(&map, "alt.csv:").len(), 11_908);
        // 13,837 address rows: 9,585 with a street or city (Address entities), 1,855 with only a
        // country, 2,397 empty.
        let rows = load_addresses(set.addresses.as_ref().unwrap()).unwrap();
        assert_eq!(rows.values().map(Vec::len).sum::<usize>(), 13_837);
        assert_eq!(of(&map, "Address").len(), 9_585);
        // Every row with only a country leaves that country on its entry.
        let mut country_only = 0;
        for (ent, rows) in &rows {
            let e = &map[&format!("ofac-{ent}")];
            for r in rows
                .iter()
                .filter(|r| r.street.is_none() && r.city.is_none())
            {
                if let Some(c) = &r.country {
                    country_only += 1;
                    match country_code(c) {
                        Some(code) => assert!(e.values("country").any(|v| v == code), "{ent} {c}"),
                        None => assert!(e.values("address").any(|v| v == c), "{ent} {c}"),
                    }
                }
            }
        }
        assert_eq!(country_only, 1_855);

        // Lukashenka.
        let l = &map["ofac-9760"];
        assert_eq!(l.schema, Schema::named("Person"));
        assert_eq!(l.first("name"), Some("LUKASHENKA, Alyaksandr Hryhoryavich"));
        assert_eq!(l.first("lastName"), Some("LUKASHENKA"));
        assert_eq!(l.first("firstName"), Some("Alyaksandr Hryhoryavich"));
        assert_eq!(l.values("birthDate").collect::<Vec<_>>(), ["1954-08-30"]);
        assert!(l.first("birthPlace").unwrap().contains("Kopys"));
        assert_eq!(l.first("birthCountry"), Some("by"));
        assert_eq!(l.values("program").collect::<Vec<_>>(), ["BELARUS"]);
        assert_eq!(l.first("position"), Some("President"));
        assert!(
            l.values("alias")
                .any(|a| a == "LUKASHENKO, Alexander Grigorievich")
        );
        assert!(l.values("alias").count() >= 30);
        assert_eq!(
            l.properties["alias"][0].origin.as_deref(),
            Some("alt.csv:9302")
        );
        assert_eq!(
            l.properties["birthDate"][0].origin.as_deref(),
            Some("sdn.csv:remarks")
        );
        let s = related(&map, "Sanction", "entity", "ofac-9760");
        assert_eq!(s.len(), 1);
        assert_eq!(s[0].first("authority"), Some(AUTHORITY));
        assert_eq!(s[0].values("program").collect::<Vec<_>>(), ["BELARUS"]);

        // Naftan.
        let n = &map["ofac-12860"];
        assert_eq!(n.schema, Schema::named("Organization"));
        assert_eq!(n.first("name"), Some("NAFTAN OAO"));
        assert!(n.values("program").any(|p| p == "BELARUS"));
        assert!(n.values("country").any(|c| c == "by"));
        assert!(
            n.values("previousName")
                .any(|p| p == "NAFTAN PRODUCTION ASSOCIATION")
        );
        let addresses: Vec<&str> = n.values("addressEntity").collect();
        assert_eq!(addresses.len(), 3);
        assert_eq!(map[addresses[1]].first("city"), Some("Novopolotsk"));
        assert_eq!(map[addresses[1]].first("region"), Some("Vitebsk region"));

        // Belaruskali is not yet listed.
        assert!(!map.contains_key("ofac-32746"));

        // The five cut remarks are joined: 12300's remarks continue in sdn_comments.csv.
        let e = &map["ofac-12300"];
        let links = related(&map, "UnknownLink", "subject", "ofac-12300");
        assert!(links.len() >= 10, "{}", links.len());
        let from_comments = links
            .iter()
            .filter(|l| {
                l.properties["object"][0].origin.as_deref() == Some("sdn_comments.csv:remarks")
            })
            .count();
        assert!(from_comments >= 5, "{from_comments}");
        assert!(!e.values("notes").any(|n| n.starts_with("Z S.A.S")));
        for ent in [28263, 28264, 29703, 30518] {
            let id = format!("ofac-{ent}");
            let later = map
                .values()
                .filter(|x| {
                    x.id == id
                        || x.values("holder")
                            .chain(x.values("subject"))
                            .chain(x.values("entity"))
                            .any(|v| v == id)
                })
                .flat_map(|x| x.properties.values().flatten())
                .any(|v| {
                    v.origin
                        .as_deref()
                        .is_some_and(|o| o.contains("sdn_comments.csv"))
                });
            assert!(later, "{id} has no value from the continuation");
        }
    }

    #[test]
    fn real_cases_2023_12_28() {
        let (meta, map) = load(&[data("sdn_csv_2023-12-28")]);
        assert_eq!(meta.dataset, "us_ofac_sdn");
        assert_eq!(main_entries(&map), 13_821);
        assert_eq!(of(&map, "Address").len(), 12_941);

        // A passport with its country.
        let p = of(&map, "Passport");
        assert!(p.len() > 1_000, "{}", p.len());
        let egypt = p
            .iter()
            .find(|d| d.first("number") == Some("1084010"))
            .expect("Passport 1084010 (Egypt)");
        assert_eq!(egypt.first("country"), Some("eg"));
        let holder = egypt.first("holder").unwrap();
        assert!(map[holder].values("passportNumber").any(|n| n == "1084010"));
        assert!(p.iter().any(|d| d.has("startDate") && d.has("endDate")));
        assert!(
            of(&map, "Identification")
                .iter()
                .any(|d| d.first("type") == Some("Cedula No."))
        );

        // A `Linked To:` resolves to an ofac id: vessels linked to NATIONAL IRANIAN TANKER COMPANY.
        let nitc = map
            .values()
            .find(|e| e.first("name") == Some("NATIONAL IRANIAN TANKER COMPANY"))
            .unwrap();
        let links = related(&map, "UnknownLink", "object", &nitc.id);
        assert!(links.len() > 20, "{}", links.len());
        let artavil = &map["ofac-15036"];
        assert_eq!(artavil.schema, Schema::named("Vessel"));
        assert!(
            links
                .iter()
                .any(|l| l.first("subject") == Some("ofac-15036"))
        );
        // The vessel columns and remarks.
        assert_eq!(artavil.first("imoNumber"), Some("IMO9187629"));
        assert_eq!(artavil.first("mmsi"), Some("572469210"));
        assert_eq!(artavil.first("callSign"), Some("T2EU4"));
        assert_eq!(artavil.first("tonnage"), Some("99144"));
        assert_eq!(artavil.first("flag"), Some("ir"));
        assert!(artavil.values("pastFlags").any(|c| c == "mt"));
        assert!(artavil.values("previousName").any(|n| n == "ALPHA"));
        assert!(
            related(&map, "Sanction", "entity", "ofac-15036")[0]
                .values("provisions")
                .any(|p| p.contains("Secondary Sanctions"))
        );
        let with_imo = of(&map, "Vessel")
            .iter()
            .filter(|v| v.has("imoNumber"))
            .count();
        assert!(with_imo > 600, "{with_imo}");

        // A DOB range expands to every year: `DOB 1964; alt. DOB 1963 to 1965`.
        assert_eq!(
            map["ofac-16455"].values("birthDate").collect::<Vec<_>>(),
            ["1964", "1963", "1965"]
        );
        assert_eq!(
            map["ofac-15496"].values("birthDate").collect::<Vec<_>>(),
            ["1929", "1930"]
        );

        // Aircraft data.
        let plane = &map["ofac-15431"];
        assert_eq!(plane.schema, Schema::named("Airplane"));
        assert_eq!(plane.first("model"), Some("IL76-TD"));
        assert_eq!(plane.first("buildDate"), Some("1992"));
        assert!(plane.values("serialNumber").any(|s| s == "1023409321"));

        // Lukashenka's patronymic spelling changed since 2021.
        assert_eq!(
            map["ofac-9760"].first("name"),
            Some("LUKASHENKA, Alyaksandr Ryhorovich")
        );
        assert!(
            map["ofac-9760"]
                .values("birthDate")
                .any(|d| d == "1954-08-31")
        );

        // Crypto wallets, weak aliases, e-mail, websites, SWIFT codes, incorporation dates.
        assert!(
            of(&map, "CryptoWallet")
                .iter()
                .any(|w| w.first("currencySymbol") == Some("XBT"))
        );
        assert!(map.values().any(|e| e.has("weakAlias")));
        assert!(map.values().any(|e| e.has("email")));
        assert!(map.values().any(|e| e.has("website")));
        assert!(map.values().any(|e| e.has("swiftBic")));
        assert!(map.values().any(|e| e.has("incorporationDate")));
        assert!(map.values().any(|e| e.has("taxNumber")));
        assert!(map.values().any(|e| e.has("registrationNumber")));
        assert!(map.values().any(|e| e.has("leiCode")));
    }

    #[test]
    fn snapshot_2021_08_18_has_belaruskali() {
        let path = data("sdn_csv_snapshots/sdn_2021-08-18.csv");
        let (meta, map) = load(std::slice::from_ref(&path));
        assert_eq!(meta.files, vec![path]);
        assert_eq!(main_entries(&map), 9_083);
        let b = &map["ofac-32746"];
        assert_eq!(b.schema, Schema::named("Organization"));
        assert!(b.first("name").unwrap().starts_with("BELARUSKALI"));
        assert_eq!(b.values("program").collect::<Vec<_>>(), ["BELARUS-EO"]);
        // Origins use the canonical file name.
        assert_eq!(
            b.properties["name"][0].origin.as_deref(),
            Some("sdn.csv:name")
        );
        // The snapshot directory holds two primaries: naming the directory is ambiguous.
        let err = open(&[data("sdn_csv_snapshots")]).err().unwrap();
        assert!(err.reason.contains("one file per role"), "{err}");
    }

    #[test]
    fn consolidated_2025_12() {
        let (meta, map) = load(&[data("consolidated_csv_2025-12")]);
        assert_eq!(meta.dataset, "us_ofac_cons");
        assert_eq!(main_entries(&map), 442);
        assert_eq!(of(&map, "Address").len(), 518);
        assert_eq!(origins_with_prefix(&map, "cons_alt.csv:").len(), 1_073);
        assert!(!origins_with_prefix(&map, "cons_comments.csv:remarks").is_empty());
        assert!(
            map.values()
                .any(|e| e.values("program").any(|p| p == "CMIC-EO13959"))
        );
    }

    #[test]
    fn synthetic_set_in_memory() {
        let primary = b"1,\"DOE, John, Jr.\",\"individual\",\"SDGT] [IRAN\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,\"DOB 1960 to 1962; Passport A123 (Iran) issued 01 Jan 2001 expires 31 Dec 2010; Linked To: ACME TRADING; a.k.a. 'JD'; Gender Male; Tax ID No. 99-1 (Iran); Digital Currency Address - XBT 1abc; ICTY indictee; Registration Number 12 \xe9 (Iran)\"\r\n\
2,\"ACME TRADING\",-0- ,\"SDGT\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,\"Secondary sanctions risk: section 1(b) of Executive Order 13224; Organization Established Date 01 Jan 1999; Website www.acme.test; Linked To: NOBODY KNOWN.\"\r\n\x1a";
        let alt = b"1,10,\"fka\",\"DOE, Jonathan\",-0- \r\n2,11,\"aka\",\"ACME\",-0- \n";
        let add = b"2,20,\"1 Main St\",\"Tehran 12345\",\"Iran\",-0- \r\n2,21,-0- ,-0- ,\"Iran\",-0- \r\n";
        let import = read_set(MemorySet {
            primary: ("sdn.csv".into(), primary.to_vec()),
            aliases: Some(("alt.csv".into(), alt.to_vec())),
            addresses: Some(("add.csv".into(), add.to_vec())),
            comments: None,
        })
        .unwrap();
        assert_eq!(import.meta().dataset, "us_ofac_sdn");
        let map: BTreeMap<String, Entity> = entities(import)
            .into_iter()
            .map(|e| (e.id.clone(), e))
            .collect();
        let doe = &map["ofac-1"];
        assert_eq!(doe.values("lastName").collect::<Vec<_>>(), ["DOE"]);
        assert_eq!(doe.values("firstName").collect::<Vec<_>>(), ["John"]);
        assert_eq!(doe.values("nameSuffix").collect::<Vec<_>>(), ["Jr."]);
        assert_eq!(
            doe.values("birthDate").collect::<Vec<_>>(),
            ["1960", "1961", "1962"]
        );
        assert_eq!(doe.values("program").collect::<Vec<_>>(), ["SDGT", "IRAN"]);
        assert_eq!(
            doe.values("previousName").collect::<Vec<_>>(),
            ["DOE, Jonathan"]
        );
        assert_eq!(doe.values("weakAlias").collect::<Vec<_>>(), ["JD"]);
        assert_eq!(doe.values("gender").collect::<Vec<_>>(), ["male"]);
        assert_eq!(doe.values("taxNumber").collect::<Vec<_>>(), ["99-1"]);
        assert_eq!(doe.values("passportNumber").collect::<Vec<_>>(), ["A123"]);
        assert_eq!(doe.values("notes").collect::<Vec<_>>(), ["ICTY indictee"]);
        // Windows-1252 byte decoded, not rejected.
        assert_eq!(
            doe.values("registrationNumber").collect::<Vec<_>>(),
            ["12 é"]
        );
        let passport = map
            .values()
            .find(|e| e.schema == Schema::named("Passport"))
            .unwrap();
        assert_eq!(passport.first("holder"), Some("ofac-1"));
        assert_eq!(passport.first("country"), Some("ir"));
        assert_eq!(passport.first("startDate"), Some("2001-01-01"));
        assert_eq!(passport.first("endDate"), Some("2010-12-31"));
        let link = map
            .values()
            .find(|e| e.schema == Schema::named("UnknownLink"))
            .unwrap();
        assert_eq!(
            (link.first("subject"), link.first("object")),
            (Some("ofac-1"), Some("ofac-2"))
        );
        let wallet = map
            .values()
            .find(|e| e.schema == Schema::named("CryptoWallet"))
            .unwrap();
        assert_eq!(wallet.first("publicKey"), Some("1abc"));
        assert_eq!(wallet.first("holder"), Some("ofac-1"));

        let acme = &map["ofac-2"];
        assert_eq!(acme.schema, Schema::named("Organization"));
        assert_eq!(acme.first("incorporationDate"), Some("1999-01-01"));
        assert_eq!(acme.first("website"), Some("www.acme.test"));
        assert_eq!(
            acme.values("notes").collect::<Vec<_>>(),
            ["Linked To: NOBODY KNOWN."]
        );
        assert_eq!(acme.values("country").collect::<Vec<_>>(), ["ir"]);
        assert_eq!(
            acme.values("address").collect::<Vec<_>>(),
            ["1 Main St, Tehran 12345, Iran"]
        );
        let addr = &map[acme.first("addressEntity").unwrap()];
        assert_eq!(addr.first("city"), Some("Tehran"));
        assert_eq!(addr.first("postalCode"), Some("12345"));
        assert_eq!(
            addr.properties["full"][0].origin.as_deref(),
            Some("add.csv:20")
        );
        let s = map
            .values()
            .find(|e| e.schema == Schema::named("Sanction") && e.first("entity") == Some("ofac-2"))
            .unwrap();
        assert!(
            s.first("provisions")
                .unwrap()
                .starts_with("Secondary sanctions risk")
        );
    }

    #[test]
    fn remarks_continue_in_comments() {
        // 10 + 65 × 15 = 985 characters, then a passport number that the cut at 1,000 splits.
        let mut remarks = String::from("DOB 1950; ");
        for _ in 0..65 {
            remarks.push_str("ICTY indictee; ");
        }
        remarks.push_str("Passport A123456789 (Serbia); Gender Female.");
        let (head, tail) = remarks.split_at(REMARKS_CUT);
        assert!(head.ends_with("Passport A12345"));
        let row = |remarks: &str| {
            format!(
                "5,\"X, Y\",\"individual\",\"BALKANS\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,\"{remarks}\"\r\n"
            )
        };
        let import = read_set(MemorySet {
            primary: ("sdn.csv".into(), row(head).into_bytes()),
            comments: Some((
                "sdn_comments.csv".into(),
                format!("5,\"{tail}\"\n").into_bytes(),
            )),
            ..MemorySet::default()
        })
        .unwrap();
        let all = entities(import);
        let x = &all[0];
        assert_eq!(x.first("passportNumber"), Some("A123456789"));
        assert_eq!(
            x.properties["passportNumber"][0].origin.as_deref(),
            Some("sdn.csv:remarks+sdn_comments.csv:remarks")
        );
        assert_eq!(
            x.properties["gender"][0].origin.as_deref(),
            Some("sdn_comments.csv:remarks")
        );
        assert_eq!(
            x.properties["birthDate"][0].origin.as_deref(),
            Some("sdn.csv:remarks")
        );
        // Without the continuation the cut number is kept as a note, not read as a number.
        let import = read_primary(row(head).as_bytes(), Path::new("sdn.csv")).unwrap();
        let x = &entities(import)[0];
        assert!(!x.has("passportNumber"));
        assert!(x.values("notes").any(|n| n == "Passport A12345"));
    }

    fn read_err(primary: &[u8], alt: Option<&[u8]>) -> ImportError {
        let set = MemorySet {
            primary: ("sdn.csv".into(), primary.to_vec()),
            aliases: alt.map(|a| ("alt.csv".into(), a.to_vec())),
            ..MemorySet::default()
        };
        match read_set(set) {
            Err(e) => e,
            Ok(import) => match import.into_iter().find_map(Result::err) {
                Some(e) => e,
                None => panic!("no error"),
            },
        }
    }

    const ROW: &str = "1,\"A\",-0- ,\"SDGT\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n";

    #[test]
    fn wrong_column_count_names_file_and_line() {
        let bad = format!("{ROW}2,\"B\",-0- ,\"SDGT\",-0- ,-0- \r\n");
        let e = read_err(bad.as_bytes(), None);
        assert_eq!(e.file, PathBuf::from("sdn.csv"));
        assert_eq!(e.location, Location::Line(2));
        assert!(e.reason.contains("expected 12 fields, found 6"), "{e}");
        assert_eq!(e.to_string(), "sdn.csv:2: expected 12 fields, found 6");
    }

    #[test]
    fn truncated_quoted_field_is_an_error() {
        let bad = format!(
            "{ROW}2,\"B\",-0- ,\"SDGT\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n\
             3,\"C\",-0- ,\"SDGT\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,\"DOB 19"
        );
        let e = read_err(bad.as_bytes(), None);
        assert_eq!(e.location, Location::Line(3));
        assert!(e.reason.contains("not closed"), "{e}");
        let e = read_err(b"1,\"A\"x,-0- \r\n", None);
        assert!(e.reason.contains("after the closing quote"), "{e}");
    }

    #[test]
    fn bad_ent_num_and_repeats() {
        let e = read_err(ROW.replace("1,", "x1,").as_bytes(), None);
        assert!(e.reason.contains("ent_num \"x1\" is not a number"), "{e}");
        let e = read_err(format!("{ROW}{ROW}").as_bytes(), None);
        assert_eq!(e.location, Location::Line(2));
        assert!(e.reason.contains("listed twice"), "{e}");
    }

    #[test]
    fn alias_for_unknown_entry_is_an_error() {
        let e = read_err(
            ROW.as_bytes(),
            Some(b"1,10,\"aka\",\"AA\",-0- \r\n7,11,\"aka\",\"B\",-0- \r\n"),
        );
        assert_eq!(e.file, PathBuf::from("alt.csv"));
        assert_eq!(e.location, Location::Line(2));
        assert!(e.reason.contains("ent_num 7 is not in sdn.csv"), "{e}");
        let e = read_err(ROW.as_bytes(), Some(b"1,10,\"aka\"\r\n"));
        assert!(e.reason.contains("expected 5 fields, found 3"), "{e}");
    }

    #[test]
    fn missing_or_unknown_files() {
        let dir = std::env::temp_dir().join(format!("interdict-ofac-csv-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("alt.csv"), b"").unwrap();
        let e = open(std::slice::from_ref(&dir)).err().unwrap();
        assert!(e.reason.contains("no primary file"), "{e}");
        let e = open(&[dir.join("sdn.csv")]).err().unwrap();
        assert_eq!(e.location, Location::File);
        assert!(e.reason.contains("not found"), "{e}");
        let e = open(&[dir.join("names.csv")]).err().unwrap();
        assert!(e.reason.contains("not an OFAC CSV file name"), "{e}");
        let e = open(&[
            data("sdn_csv_2021-07/sdn.csv"),
            data("consolidated_csv_2025-12/cons_alt.csv"),
        ])
        .err()
        .unwrap();
        assert!(e.reason.contains("us_ofac_cons"), "{e}");
        let e = open(&[]).err().unwrap();
        assert!(e.reason.contains("no OFAC CSV files"), "{e}");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn roles_and_helpers() {
        assert_eq!(role_of("SDN.CSV"), Some((List::Sdn, Role::Primary)));
        assert_eq!(
            role_of("sdn_2021-08-18.csv"),
            Some((List::Sdn, Role::Primary))
        );
        assert_eq!(
            role_of("sdn_comments.csv"),
            Some((List::Sdn, Role::Comments))
        );
        assert_eq!(
            role_of("cons_prim.csv"),
            Some((List::Consolidated, Role::Primary))
        );
        assert_eq!(role_of("sdn.xml"), None);
        assert_eq!(
            programs("IRAN] [SDGT").collect::<Vec<_>>(),
            ["IRAN", "SDGT"]
        );
        assert_eq!(
            split_person_name("MNANGAGWA, JR., Emmerson Dambudzo"),
            Some(("MNANGAGWA", "Emmerson Dambudzo", Some("JR.")))
        );
        assert_eq!(split_person_name("NO COMMA"), None);
        assert_eq!(
            split_city("Mexico City C.P. 11830"),
            (Some("Mexico City".into()), None, Some("11830".into()))
        );
        assert_eq!(
            split_city("Kazan, Tatarstan Resp. 420021"),
            (
                Some("Kazan".into()),
                Some("Tatarstan Resp.".into()),
                Some("420021".into())
            )
        );
        assert_eq!(
            split_city("Aberdeen AB11 7LH"),
            (Some("Aberdeen".into()), None, Some("AB11 7LH".into()))
        );
        assert_eq!(split_city("103"), (None, None, Some("103".into())));
        assert_eq!(name_key("AL-QA'IDA."), "AL QA IDA");
    }

    /// The fuzz target's entry point must never panic, whatever the bytes.
    #[test]
    fn arbitrary_bytes_do_not_panic() {
        let samples: [&[u8]; 8] = [
            b"",
            b"\x1a",
            b"\xff\xfe,,,,,,,,,,,\n",
            b"\"",
            b"1,\"\"\"\",,,,,,,,,,\"DOB 99 Foo 1; (((\"\n",
            b"1,a,individual,,,,,,,,,\"Linked To: a; Passport (x) issued to; DOB 1000 to 2999\"\r\n",
            b"18446744073709551616,a,,,,,,,,,,\n",
            b"1,a,vessel,,,,,1,2,Nowhere,a,\"Vessel Registration Identification IMO 1; MMSI \"\n",
        ];
        for s in samples {
            if let Ok(import) = read_primary(s, Path::new("sdn.csv")) {
                for r in import {
                    let _ = r;
                }
            }
        }
    }
}
