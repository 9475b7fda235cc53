//! UK HM Treasury / OFSI "Consolidated list of financial sanctions targets" (`ConList.csv`).
//!
//! The file is Windows-1252 (UTF-8 if it starts with a byte-order mark; a field that is valid
//! UTF-8 is read as such, for copies re-saved as UTF-8), row 1 is
//! `Last Updated,dd/mm/yyyy` (the publication date), row 2 is the column header, and every
//! further row is **one name** of a target. The rows of one target share a `Group ID` and need not
//! be adjacent, so the CSV is read as a stream but the groups are assembled in memory (the whole
//! list is a few megabytes) and emitted once the file has been read to its end.
//!
//! Columns are found by header name, so both the 2020 layout (29 columns) and the 2022 layout
//! (36 columns: non-Latin script names, alias quality, separate passport and national-id numbers,
//! UK Sanctions List dates and references) are read. A header without one of the columns both
//! layouts share, or with a column this importer does not know, is an error: a column whose
//! values would be silently dropped is worse than a refused file.
//!
//! How rows become entities, group `G` → `gb-hmt-G`:
//! - `Group Type`: Individual → Person, Entity → Organization, Ship → Vessel.
//! - `Alias Type`: `Prime Alias` (2020) and `Primary name` (2022) → `name`; `AKA`/`Alias` →
//!   `alias`, or `weakAlias` when `Alias Quality` is "Low quality"; `Primary name variation` →
//!   `alias` (it is the primary name in another spelling, exactly what screening must find;
//!   `weakAlias` is kept for the names OFSI itself calls low quality); `FKA` → `previousName`.
//!   The full name is Name 1…5 then Name 6 (the surname); people also get `firstName` (Name 1),
//!   `secondName` (Name 2), `middleName` (Names 3–5) and `lastName` (Name 6). A non-Latin script
//!   name takes the same property as the row's Latin name (the script type and language are not
//!   kept: the model has no per-value language, and the script is evident from the value).
//! - `DOB` `dd/mm/yyyy`, `00` for an unknown day or month → partial `birthDate`.
//! - `Town of Birth` → `birthPlace`; `Country of Birth` → `birthCountry`; `Nationality` →
//!   `nationality`. These fields are free text ("(1) German (2) Moroccan", "Afghan",
//!   "Bahrain (citizenship revoked in January 2012)"): numbered items are split, countries and
//!   nationality adjectives are resolved to codes, and whenever the text says more than a country
//!   the original text is kept too (`birthPlace`, or a `notes` line for nationality).
//! - `Passport Details`/`Passport Number` → one `Passport` per numbered item plus the flat
//!   `passportNumber`; `NI Number`/`National Identification Number`/`…Details` → one
//!   `Identification` per item plus the flat `idNumber`. The item text is kept in the
//!   document's `description`; the number is the first number-like token before words such as
//!   "issued" or "expires".
//! - `Position` → `position`; `Title` → `title`; `Other Information` → `notes`.
//! - `Address 1…6`, `Post/Zip Code`, `Country` → one `Address` entity per distinct address
//!   (`full`, `postalCode`, `country`), linked by `addressEntity`, plus the flat `address` and
//!   `country` on the target.
//! - `Regime` → `program` and one `Sanction` per regime (authority "HM Treasury / OFSI",
//!   `listingDate` from `Listed On`, `modifiedAt` from `Last Updated`, `startDate` from
//!   `UK Sanctions List Date Designated`, `authorityId` from `UK Sanctions List Ref`).
//!
//! A value that the target's schema has no property for (a title on a ship) or that does not
//! parse (a date of birth like `31/02/1970`) is kept as a `notes` line naming its column, never
//! dropped. Every value's origin is `<file name>:<column>`; lines are not part of origins so that
//! an unchanged target keeps the same content hash when rows above it move.

use std::collections::{BTreeMap, HashMap, VecDeque};
use std::fs::File;
use std::io::{BufRead, BufReader, Cursor};
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use encoding_rs::{Encoding, UTF_8, WINDOWS_1252};
use interdict_model::id::{derived_id, slug};
use interdict_model::{Entity, ImportMode, ListRecord, PartialDate, Schema, country_code};
use sha2::{Digest, Sha256};

use crate::{Format, Import, ImportError, ImportMeta, Location, file_name, hash_files};

/// The OpenSanctions name of the dataset, so that ids and datasets match what yente users know.
pub const DATASET: &str = "gb_hmt_sanctions";

/// The authority recorded on every `Sanction` this list yields.
pub const AUTHORITY: &str = "HM Treasury / OFSI";

/// Open a ConList.csv for import (see [`crate::open`]). The header is read and checked here;
/// rows come from the record stream.
pub fn open(paths: &[PathBuf]) -> Result<Import, ImportError> {
    let path = match paths {
        [one] => one,
        [] => return Err(ImportError::new("", Location::File, "no ConList.csv given")),
        [first, ..] => {
            return Err(ImportError::new(
                first,
                Location::File,
                format!(
                    "the UK consolidated list is one file, {} were given",
                    paths.len()
                ),
            ));
        }
    };
    let file = File::open(path)
        .map_err(|e| ImportError::new(path, Location::File, format!("cannot open: {e}")))?;
    let sha256 = hash_files(paths)?;
    read(path.clone(), BufReader::new(file), sha256)
}

/// Read a ConList.csv held in memory, named `name` in errors and origins: for fuzzing, tests and
/// files fetched over the network. Yields exactly what [`open`] would for the same bytes.
pub fn read_bytes(name: &str, bytes: Vec<u8>) -> Result<Import, ImportError> {
    let mut h = Sha256::new();
    h.update((bytes.len() as u64).to_le_bytes());
    h.update(&bytes);
    read(
        PathBuf::from(name),
        Cursor::new(bytes),
        hex::encode(h.finalize()),
    )
}

fn read<R: BufRead + Send + 'static>(
    path: PathBuf,
    mut input: R,
    sha256: String,
) -> Result<Import, ImportError> {
    let encoding = sniff_encoding(&mut input)
        .map_err(|e| ImportError::new(&path, Location::File, format!("cannot read: {e}")))?;
    let mut csv = csv_reader(input);
    let mut rows = Rows {
        path: path.clone(),
        encoding,
        record: csv::ByteRecord::new(),
    };
    let (published, layout) = read_header(&mut csv, &mut rows)?;
    let meta = ImportMeta {
        dataset: DATASET.to_string(),
        format: Format::UkConlist,
        mode: ImportMode::Full,
        published,
        files: vec![path.clone()],
        sha256,
    };
    let groups = Groups::new(&path, layout);
    Ok(Import::new(
        meta,
        Records {
            state: State::Reading(Box::new(Reading { csv, rows, groups })),
        },
    ))
}

/// A CSV reader for either line ending. Records end at `\n` only, so that the reader's line
/// numbers stay right for CRLF files (a `\r` left at the end of a last field is trimmed with
/// the other whitespace).
fn csv_reader<R: std::io::Read>(input: R) -> csv::Reader<R> {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .terminator(csv::Terminator::Any(b'\n'))
        .from_reader(input)
}

/// A UTF-8 byte-order mark means the whole file is UTF-8. Without one, each field is read as
/// UTF-8 if it is valid UTF-8 (ASCII always is) and as Windows-1252, which OFSI uses, otherwise.
fn sniff_encoding<R: BufRead>(input: &mut R) -> std::io::Result<&'static Encoding> {
    const BOM: &[u8] = b"\xEF\xBB\xBF";
    if input.fill_buf()?.starts_with(BOM) {
        input.consume(BOM.len());
        Ok(UTF_8)
    } else {
        Ok(WINDOWS_1252)
    }
}

/// Reads raw CSV records and decodes their fields.
struct Rows {
    path: PathBuf,
    encoding: &'static Encoding,
    record: csv::ByteRecord,
}

impl Rows {
    /// The next record as decoded fields with its 1-based line, or `None` at the end.
    fn next<R: std::io::Read>(
        &mut self,
        csv: &mut csv::Reader<R>,
    ) -> Result<Option<(u64, Vec<String>)>, ImportError> {
        let more = csv.read_byte_record(&mut self.record).map_err(|e| {
            let line = e
                .position()
                .map_or(Location::File, |p| Location::Line(p.line()));
            ImportError::new(&self.path, line, format!("not a valid CSV record: {e}"))
        })?;
        if !more {
            return Ok(None);
        }
        let line = self.record.position().map_or(0, |p| p.line());
        let mut fields = Vec::with_capacity(self.record.len());
        for raw in self.record.iter() {
            let text = if self.encoding == UTF_8 {
                UTF_8
                    .decode_without_bom_handling_and_without_replacement(raw)
                    .ok_or_else(|| {
                        ImportError::new(
                            &self.path,
                            Location::Line(line),
                            "invalid UTF-8 in a file that starts with a UTF-8 byte-order mark",
                        )
                    })?
            } else if let Ok(text) = std::str::from_utf8(raw) {
                // ASCII, or a field re-saved as UTF-8: a Windows-1252 field with non-ASCII
                // characters is practically never valid UTF-8.
                std::borrow::Cow::Borrowed(text)
            } else {
                WINDOWS_1252.decode_without_bom_handling(raw).0
            };
            fields.push(text.into_owned());
        }
        Ok(Some((line, fields)))
    }
}

/// Every column this importer knows, in the order of the 2022 layout.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Column {
    Name6,
    Name1,
    Name2,
    Name3,
    Name4,
    Name5,
    Title,
    NonLatinName,
    NonLatinType,
    NonLatinLanguage,
    Dob,
    TownOfBirth,
    CountryOfBirth,
    Nationality,
    PassportNumber,
    PassportDetails,
    NiNumber,
    NationalIdNumber,
    NationalIdDetails,
    Position,
    Address1,
    Address2,
    Address3,
    Address4,
    Address5,
    Address6,
    PostCode,
    Country,
    OtherInformation,
    GroupType,
    AliasType,
    AliasQuality,
    Regime,
    ListedOn,
    DateDesignated,
    SanctionsListRef,
    LastUpdated,
    GroupId,
}

/// Header name and whether both layouts have it (a header without it is refused).
const COLUMNS: [(Column, &str, bool); 38] = [
    (Column::Name6, "Name 6", true),
    (Column::Name1, "Name 1", true),
    (Column::Name2, "Name 2", true),
    (Column::Name3, "Name 3", true),
    (Column::Name4, "Name 4", true),
    (Column::Name5, "Name 5", true),
    (Column::Title, "Title", true),
    (Column::NonLatinName, "Name Non-Latin Script", false),
    (Column::NonLatinType, "Non-Latin Script Type", false),
    (Column::NonLatinLanguage, "Non-Latin Script Language", false),
    (Column::Dob, "DOB", true),
    (Column::TownOfBirth, "Town of Birth", true),
    (Column::CountryOfBirth, "Country of Birth", true),
    (Column::Nationality, "Nationality", true),
    (Column::PassportNumber, "Passport Number", false),
    (Column::PassportDetails, "Passport Details", true),
    (Column::NiNumber, "NI Number", false),
    (
        Column::NationalIdNumber,
        "National Identification Number",
        false,
    ),
    (
        Column::NationalIdDetails,
        "National Identification Details",
        false,
    ),
    (Column::Position, "Position", true),
    (Column::Address1, "Address 1", true),
    (Column::Address2, "Address 2", true),
    (Column::Address3, "Address 3", true),
    (Column::Address4, "Address 4", true),
    (Column::Address5, "Address 5", true),
    (Column::Address6, "Address 6", true),
    (Column::PostCode, "Post/Zip Code", true),
    (Column::Country, "Country", true),
    (Column::OtherInformation, "Other Information", true),
    (Column::GroupType, "Group Type", true),
    (Column::AliasType, "Alias Type", true),
    (Column::AliasQuality, "Alias Quality", false),
    (Column::Regime, "Regime", true),
    (Column::ListedOn, "Listed On", true),
    (
        Column::DateDesignated,
        "UK Sanctions List Date Designated",
        false,
    ),
    (Column::SanctionsListRef, "UK Sanctions List Ref", false),
    (Column::LastUpdated, "Last Updated", true),
    (Column::GroupId, "Group ID", true),
];

/// Where each known column is in this file's header.
struct Layout {
    index: [Option<usize>; COLUMNS.len()],
    width: usize,
}

impl Layout {
    fn from_header(path: &Path, line: u64, header: &[String]) -> Result<Layout, ImportError> {
        let err = |reason: String| ImportError::new(path, Location::Line(line), reason);
        let mut index = [None; COLUMNS.len()];
        let mut unknown = Vec::new();
        for (i, name) in header.iter().enumerate() {
            let name = name.trim();
            match COLUMNS
                .iter()
                .position(|(_, n, _)| n.eq_ignore_ascii_case(name))
            {
                Some(c) if index[c].is_some() => {
                    return Err(err(format!("column {name:?} appears twice in the header")));
                }
                Some(c) => index[c] = Some(i),
                None => unknown.push(format!("{name:?}")),
            }
        }
        if !unknown.is_empty() {
            return Err(err(format!(
                "unknown column(s) {} in the header: this importer does not know where their \
                 values belong",
                unknown.join(", ")
            )));
        }
        let missing: Vec<&str> = COLUMNS
            .iter()
            .zip(index)
            .filter(|((_, _, required), at)| *required && at.is_none())
            .map(|((_, n, _), _)| *n)
            .collect();
        if !missing.is_empty() {
            return Err(err(format!(
                "the header lacks the column(s) {}",
                missing.join(", ")
            )));
        }
        Ok(Layout {
            index,
            width: header.len(),
        })
    }

    /// The trimmed value of a column in a row ("" if the layout has no such column).
    fn get<'a>(&self, row: &'a [String], column: Column) -> &'a str {
        self.index[column as usize]
            .and_then(|i| row.get(i))
            .map_or("", |v| v.trim())
    }
}

/// Read row 1 (`Last Updated,dd/mm/yyyy`) and row 2 (the header). A file that starts directly
/// with the header is accepted without a publication date.
fn read_header<R: std::io::Read>(
    csv: &mut csv::Reader<R>,
    rows: &mut Rows,
) -> Result<(Option<NaiveDate>, Layout), ImportError> {
    let missing = |rows: &Rows, location| {
        ImportError::new(
            &rows.path,
            location,
            "missing header: expected `Last Updated,dd/mm/yyyy` and then the column header \
             (Name 6, Name 1, … Group ID)",
        )
    };
    let Some((line, first)) = rows.next(csv)? else {
        return Err(missing(rows, Location::File));
    };
    let is_header = |fields: &[String]| fields.iter().any(|f| f.trim() == "Group ID");
    if is_header(&first) {
        return Ok((None, Layout::from_header(&rows.path, line, &first)?));
    }
    if !first
        .first()
        .is_some_and(|f| f.trim().eq_ignore_ascii_case("Last Updated"))
    {
        return Err(missing(rows, Location::Line(line)));
    }
    let date = first.get(1).map_or("", |d| d.trim());
    let published = NaiveDate::parse_from_str(date, "%d/%m/%Y").map_err(|_| {
        ImportError::new(
            &rows.path,
            Location::Line(line),
            format!("publication date {date:?} is not dd/mm/yyyy"),
        )
    })?;
    match rows.next(csv)? {
        Some((line, header)) if is_header(&header) => Ok((
            Some(published),
            Layout::from_header(&rows.path, line, &header)?,
        )),
        Some((line, _)) => Err(missing(rows, Location::Line(line))),
        None => Err(missing(rows, Location::File)),
    }
}

/// The record stream: reads every row, then yields the assembled entities.
struct Records<R> {
    state: State<R>,
}

enum State<R> {
    /// Rows still to be read (boxed: the reader and the groups are large).
    Reading(Box<Reading<R>>),
    /// Every row read; the entities to yield.
    Emitting(VecDeque<Entity>),
    Done,
}

struct Reading<R> {
    csv: csv::Reader<R>,
    rows: Rows,
    groups: Groups,
}

impl<R: std::io::Read> Iterator for Records<R> {
    type Item = Result<ListRecord, ImportError>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            match std::mem::replace(&mut self.state, State::Done) {
                State::Reading(reading) => {
                    let Reading {
                        mut csv,
                        mut rows,
                        mut groups,
                    } = *reading;
                    if let Err(e) = read_rows(&mut csv, &mut rows, &mut groups) {
                        return Some(Err(e));
                    }
                    self.state = State::Emitting(groups.into_entities());
                }
                State::Emitting(mut queue) => {
                    let entity = queue.pop_front()?;
                    self.state = State::Emitting(queue);
                    return Some(Ok(ListRecord::Entity(entity)));
                }
                State::Done => return None,
            }
        }
    }
}

fn read_rows<R: std::io::Read>(
    csv: &mut csv::Reader<R>,
    rows: &mut Rows,
    groups: &mut Groups,
) -> Result<(), ImportError> {
    while let Some((line, fields)) = rows.next(csv)? {
        if fields.iter().all(|f| f.trim().is_empty()) {
            continue;
        }
        if fields.len() != groups.layout.width {
            return Err(ImportError::new(
                &rows.path,
                Location::Line(line),
                format!(
                    "expected {} fields as in the header, found {}",
                    groups.layout.width,
                    fields.len()
                ),
            ));
        }
        groups.add_row(line, &fields)?;
    }
    Ok(())
}

/// One target being assembled from its rows.
struct Group {
    target: Entity,
    /// Addresses, documents and sanctions, by id (one per distinct value).
    attached: BTreeMap<String, Entity>,
}

/// All targets read so far, in the order their first row appeared.
struct Groups {
    path: PathBuf,
    layout: Layout,
    /// `<file name>:<column>` for every column, indexed like [`COLUMNS`].
    origins: Vec<String>,
    /// `<file name>:Name 1…6`, the origin of assembled full names.
    names_origin: String,
    groups: Vec<Group>,
    by_id: HashMap<String, usize>,
    /// Rows read (for the counts the tests check).
    rows: usize,
}

/// What the `Alias Type` (and `Alias Quality`) of a row make of its name.
fn name_property(alias_type: &str, quality: &str) -> Option<&'static str> {
    let t = alias_type.to_ascii_lowercase();
    Some(match t.as_str() {
        "prime alias" | "primary name" => "name",
        "aka" | "alias" if quality.eq_ignore_ascii_case("low quality") => "weakAlias",
        "aka" | "alias" | "primary name variation" => "alias",
        "fka" => "previousName",
        _ => return None,
    })
}

impl Groups {
    fn new(path: &Path, layout: Layout) -> Groups {
        let name = file_name(path);
        Groups {
            path: path.to_path_buf(),
            layout,
            origins: COLUMNS
                .iter()
                .map(|(_, col, _)| format!("{name}:{col}"))
                .collect(),
            names_origin: format!("{name}:Name 1…6"),
            groups: Vec::new(),
            by_id: HashMap::new(),
            rows: 0,
        }
    }

    fn add_row(&mut self, line: u64, row: &[String]) -> Result<(), ImportError> {
        let err = |reason: String| ImportError::new(&self.path, Location::Line(line), reason);
        let layout = &self.layout;
        let get = |c: Column| layout.get(row, c);
        let group_id = get(Column::GroupId);
        let key = slug(group_id);
        if key.is_empty() {
            return Err(err(format!("Group ID {group_id:?} is not an id")));
        }
        let group_type = get(Column::GroupType);
        let schema = match group_type.to_ascii_lowercase().as_str() {
            "individual" => Schema::named("Person"),
            "entity" => Schema::named("Organization"),
            "ship" => Schema::named("Vessel"),
            _ => return Err(err(format!("unknown Group Type {group_type:?}"))),
        };
        let alias_type = get(Column::AliasType);
        let Some(name_prop) = name_property(alias_type, get(Column::AliasQuality)) else {
            return Err(err(format!("unknown Alias Type {alias_type:?}")));
        };
        let index = match self.by_id.get(&key) {
            Some(&i) => {
                let known = self.groups[i].target.schema;
                if known != schema {
                    return Err(err(format!(
                        "Group ID {group_id} is a {group_type} here but a {known} on an earlier row"
                    )));
                }
                i
            }
            None => {
                self.by_id.insert(key.clone(), self.groups.len());
                self.groups.push(Group {
                    target: Entity::new(format!("gb-hmt-{key}"), schema),
                    attached: BTreeMap::new(),
                });
                self.groups.len() - 1
            }
        };
        self.rows += 1;
        let mut row = RowContext {
            row,
            layout: &self.layout,
            origins: &self.origins,
            names_origin: &self.names_origin,
            key: &key,
            group: &mut self.groups[index],
        };
        row.names(name_prop);
        row.person_details();
        row.documents();
        row.address();
        row.sanction();
        row.put(
            Column::OtherInformation,
            "notes",
            get(Column::OtherInformation),
        );
        Ok(())
    }

    fn into_entities(self) -> VecDeque<Entity> {
        let mut out = VecDeque::new();
        for group in self.groups {
            out.push_back(group.target);
            out.extend(group.attached.into_values());
        }
        out
    }
}

/// One row being added to its group.
struct RowContext<'a> {
    row: &'a [String],
    layout: &'a Layout,
    origins: &'a [String],
    /// The origin of a full name, assembled from Name 1…5 and Name 6.
    names_origin: &'a str,
    key: &'a str,
    group: &'a mut Group,
}

impl<'a> RowContext<'a> {
    fn get(&self, column: Column) -> &'a str {
        self.layout.get(self.row, column)
    }

    fn origin(&self, column: Column) -> Option<&'a str> {
        self.origins.get(column as usize).map(String::as_str)
    }

    /// Add a value to the target, or keep it as a labelled note if its schema lacks the
    /// property, so that nothing the list says is lost.
    fn put(&mut self, column: Column, property: &str, value: &str) {
        let origin = self.origin(column);
        put(
            &mut self.group.target,
            property,
            value,
            origin,
            label(column),
        );
    }

    /// A value kept as a note naming its column.
    fn note(&mut self, column: Column, value: &str) {
        let origin = self.origin(column);
        put(
            &mut self.group.target,
            "notes",
            &format!("{}: {value}", label(column)),
            origin,
            "notes",
        );
    }

    fn names(&mut self, property: &'static str) {
        use Column::*;
        let parts: Vec<&str> = [Name1, Name2, Name3, Name4, Name5, Name6]
            .into_iter()
            .map(|c| self.get(c))
            .filter(|p| !p.is_empty())
            .collect();
        let origin = Some(self.names_origin);
        put(
            &mut self.group.target,
            property,
            &parts.join(" "),
            origin,
            "Name",
        );
        self.put(NonLatinName, property, self.get(NonLatinName));
        if self.group.target.schema == Schema::named("Person") {
            for (column, part) in [
                (Name1, "firstName"),
                (Name2, "secondName"),
                (Name3, "middleName"),
                (Name4, "middleName"),
                (Name5, "middleName"),
                (Name6, "lastName"),
            ] {
                self.put(column, part, self.get(column));
            }
        }
        for title in numbered_items(self.get(Title)) {
            self.put(Title, "title", title);
        }
    }

    fn person_details(&mut self) {
        use Column::*;
        let dob = self.get(Dob);
        if !dob.is_empty() {
            match parse_dob(dob) {
                Some(date) => self.put(Dob, "birthDate", &date.to_string()),
                None => self.note(Dob, dob),
            }
        }
        for town in numbered_items(self.get(TownOfBirth)) {
            self.put(TownOfBirth, "birthPlace", town);
        }
        for found in countries(self.get(CountryOfBirth)) {
            for code in &found.codes {
                self.put(CountryOfBirth, "birthCountry", code);
            }
            if !found.clean {
                // "Latakia Province, Syria", "Kazakh SSR": the text is a place of birth too.
                self.put(CountryOfBirth, "birthPlace", found.item);
            }
        }
        let nationality = self.get(Nationality);
        let mut keep_text = false;
        for found in countries(nationality) {
            for code in &found.codes {
                self.put(Nationality, "nationality", code);
            }
            keep_text |= !found.clean;
        }
        if keep_text {
            self.note(Nationality, nationality);
        }
        self.put(Position, "position", self.get(Position));
    }

    fn documents(&mut self) {
        use Column::*;
        for (number_col, details_col, schema, flat) in [
            (
                PassportNumber,
                PassportDetails,
                "Passport",
                "passportNumber",
            ),
            (
                NationalIdNumber,
                NationalIdDetails,
                "Identification",
                "idNumber",
            ),
            (NiNumber, NiNumber, "Identification", "idNumber"),
        ] {
            let numbers = self.get(number_col);
            let details = self.get(details_col);
            if !numbers.is_empty() && number_col != details_col {
                // 2022 layout: clean numbers, the details (if any) describing them all.
                for item in numbered_items(numbers) {
                    let number = document_number(item).unwrap_or(item);
                    let text = if details.is_empty() { item } else { details };
                    self.document(schema, flat, Some(number), text, number_col);
                }
            } else {
                for item in numbered_items(details) {
                    self.document(schema, flat, document_number(item), item, details_col);
                }
            }
        }
    }

    fn document(
        &mut self,
        schema: &str,
        flat: &str,
        number: Option<&str>,
        text: &str,
        column: Column,
    ) {
        let origin = self.origin(column);
        let id = derived_id(
            &format!("gb-hmt-{}", schema.to_ascii_lowercase()),
            &[self.key, number.unwrap_or(""), text],
        );
        let holder = self.group.target.id.clone();
        let doc = self
            .group
            .attached
            .entry(id.clone())
            .or_insert_with(|| Entity::new(id, Schema::named(schema)));
        doc.set("holder", &holder, origin);
        if let Some(number) = number {
            doc.set("number", number, origin);
        }
        if number != Some(text) {
            doc.set("description", text, origin);
        }
        if schema == "Identification" {
            doc.set("type", "National identification number", origin);
        }
        if let Some(code) = document_country(text) {
            doc.set("country", code, origin);
        }
        if let Some(number) = number {
            put(&mut self.group.target, flat, number, origin, label(column));
        }
    }

    fn address(&mut self) {
        use Column::*;
        let lines: Vec<&str> = [
            Address1, Address2, Address3, Address4, Address5, Address6, PostCode, Country,
        ]
        .into_iter()
        .map(|c| self.get(c))
        .filter(|l| !l.is_empty())
        .collect();
        if lines.is_empty() {
            return;
        }
        let full = lines.join(", ");
        let codes: Vec<&'static str> = countries(self.get(Country))
            .into_iter()
            .flat_map(|f| f.codes)
            .collect();
        let (origin, country_origin) = (self.origin(Address1), self.origin(Country));
        let postcode = (self.get(PostCode), self.origin(PostCode));
        let id = derived_id("gb-hmt-addr", &[self.key, &full]);
        let address = self
            .group
            .attached
            .entry(id.clone())
            .or_insert_with(|| Entity::new(id.clone(), Schema::named("Address")));
        address.set("full", &full, origin);
        address.set("postalCode", postcode.0, postcode.1);
        for code in &codes {
            address.set("country", code, country_origin);
        }
        let target = &mut self.group.target;
        put(target, "address", &full, origin, "Address");
        put(target, "addressEntity", &id, origin, "Address");
        for code in codes {
            put(target, "country", code, country_origin, "Country");
        }
    }

    fn sanction(&mut self) {
        use Column::*;
        let regime = self.get(Regime);
        let dates =
            [ListedOn, LastUpdated, DateDesignated].map(|c| (c, self.get(c), self.origin(c)));
        let reference = (self.get(SanctionsListRef), self.origin(SanctionsListRef));
        let (regime_origin, group_origin) = (self.origin(Regime), self.origin(GroupId));
        let target_id = self.group.target.id.clone();
        let id = derived_id("gb-hmt-sanction", &[self.key, regime]);
        let sanction = self
            .group
            .attached
            .entry(id.clone())
            .or_insert_with(|| Entity::new(id, Schema::named("Sanction")));
        sanction.set("entity", &target_id, group_origin);
        sanction.set("authority", AUTHORITY, None);
        sanction.set("country", "gb", None);
        sanction.set("program", regime, regime_origin);
        sanction.set("authorityId", reference.0, reference.1);
        for ((column, text, origin), property) in
            dates
                .into_iter()
                .zip(["listingDate", "modifiedAt", "startDate"])
        {
            add_date(sanction, property, text, origin, label(column));
        }
        let target = &mut self.group.target;
        target.set("program", regime, regime_origin);
        target.set("topics", "sanction", regime_origin);
        let (_, last_updated, origin) = dates[1];
        add_date(
            target,
            "modifiedAt",
            last_updated,
            origin,
            label(LastUpdated),
        );
    }
}

/// The header name of a column.
fn label(column: Column) -> &'static str {
    COLUMNS[column as usize].1
}

/// Add a value, or keep it as a `notes` line labelled with its column when the entity's schema
/// has no such property.
fn put(entity: &mut Entity, property: &str, value: &str, origin: Option<&str>, label: &str) {
    if value.trim().is_empty() {
        return;
    }
    if entity.add(property, value, origin).is_err() {
        entity.set("notes", format!("{label}: {value}"), origin);
    }
}

/// Add a `dd/mm/yyyy` date, or a note with the text when it is not one.
fn add_date(entity: &mut Entity, property: &str, text: &str, origin: Option<&str>, label: &str) {
    if text.is_empty() {
        return;
    }
    match parse_dob(text).filter(|d| d.day.is_some()) {
        Some(date) => put(entity, property, &date.to_string(), origin, label),
        None => entity.set("notes", format!("{label}: {text}"), origin),
    }
}

/// `dd/mm/yyyy` with `00` for an unknown day or month, or a bare year.
fn parse_dob(text: &str) -> Option<PartialDate> {
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    let parts: Vec<&str> = text.trim().split('/').map(str::trim).collect();
    let (day, month, year) = match parts.as_slice() {
        [y] => ("0", "0", *y),
        [d, m, y] => (*d, *m, *y),
        _ => return None,
    };
    if !(digits(day) && digits(month) && digits(year))
        || year.len() != 4
        || day.len() > 2
        || month.len() > 2
    {
        return None;
    }
    let year: i32 = year.parse().ok().filter(|y| *y > 0)?;
    let month: u8 = month.parse().ok()?;
    let day: u8 = day.parse().ok()?;
    match (month, day) {
        (0, _) => Some(PartialDate::year(year)),
        (1..=12, 0) => Some(PartialDate {
            year,
            month: Some(month),
            day: None,
        }),
        _ => PartialDate::ymd(year, month, day),
    }
}

/// Split a free-text field at its item numbering: `(1) A (2) B`, `1) A 2) B`, `a) A b) B`,
/// `(a) A`. Items are trimmed of spaces and separating punctuation; empty ones are dropped.
fn numbered_items(text: &str) -> Vec<&str> {
    let bytes = text.as_bytes();
    let mut cuts: Vec<(usize, usize)> = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let boundary = i == 0
            || matches!(
                bytes[i - 1],
                b' ' | b'\t' | b'-' | b',' | b';' | b'.' | b')'
            );
        if boundary {
            let open = bytes[i] == b'(';
            let start = if open { i + 1 } else { i };
            let mut end = start;
            while end < bytes.len() && end - start < 2 && bytes[end].is_ascii_digit() {
                end += 1;
            }
            let is_letter = end == start
                && start < bytes.len()
                && matches!(bytes[start], b'a'..=b'h' | b'A'..=b'H');
            if is_letter {
                end = start + 1;
            }
            let closes = end > start && end < bytes.len() && bytes[end] == b')';
            if closes {
                cuts.push((i, end + 1));
                i = end + 1;
                continue;
            }
        }
        i += 1;
    }
    let mut items = Vec::new();
    let mut from = 0;
    for (start, end) in cuts
        .into_iter()
        .chain(std::iter::once((bytes.len(), bytes.len())))
    {
        let item =
            text[from..start].trim_matches(|c: char| c.is_whitespace() || ",;.-".contains(c));
        if !item.is_empty() {
            items.push(item);
        }
        from = end;
    }
    items
}

/// One item of a free-text country or nationality field and what it names.
struct Countries<'a> {
    /// The item as written ("Bahrain (citizenship revoked in January 2012)").
    item: &'a str,
    /// The countries it names, as codes.
    codes: Vec<&'static str>,
    /// Whether the item says nothing but countries ("Syrian, Turkish", "Iran").
    clean: bool,
}

/// The countries named in a free-text country or nationality field, item by item.
fn countries(text: &str) -> Vec<Countries<'_>> {
    numbered_items(text)
        .into_iter()
        .map(|item| {
            if let Some(code) = lookup_country(item) {
                return Countries {
                    item,
                    codes: vec![code],
                    clean: true,
                };
            }
            let parts: Vec<&str> = item
                .split([',', '/', ';'])
                .flat_map(|p| p.split(" and "))
                .flat_map(|p| p.split(". "))
                .map(|p| p.trim_matches(|c: char| c.is_whitespace() || ".-".contains(c)))
                .filter(|p| !p.is_empty())
                .collect();
            let exact: Vec<Option<&'static str>> =
                parts.iter().map(|p| lookup_country(p)).collect();
            if exact.iter().all(Option::is_some) && !exact.is_empty() {
                return Countries {
                    item,
                    codes: exact.into_iter().flatten().collect(),
                    clean: true,
                };
            }
            let mut codes = Vec::new();
            for code in std::iter::once(item).chain(parts).filter_map(find_country) {
                if !codes.contains(&code) {
                    codes.push(code);
                }
            }
            Countries {
                item,
                codes,
                clean: false,
            }
        })
        .collect()
}

/// A country named, abbreviated or described by its adjective in a few words.
fn lookup_country(words: &str) -> Option<&'static str> {
    let key: String = words
        .chars()
        .filter(|c| c.is_alphanumeric() || *c == ' ')
        .collect::<String>()
        .to_lowercase();
    if let Some((_, code)) = DEMONYMS.iter().find(|(name, _)| *name == key) {
        return Some(code);
    }
    country_code(words)
}

/// The first country found in a longer text: the part before a parenthesis, then runs of up to
/// three words (short words only when written in capitals, so "by" or "in" never count).
fn find_country(text: &str) -> Option<&'static str> {
    if let Some((before, _)) = text.split_once('(')
        && let Some(code) = lookup_country(before.trim()).filter(|_| !before.trim().is_empty())
    {
        return Some(code);
    }
    let words: Vec<&str> = text
        .split(|c: char| c.is_whitespace() || "()".contains(c))
        .filter(|w| !w.is_empty())
        .collect();
    for n in (1..=3).rev() {
        for window in words.windows(n) {
            let phrase = window.join(" ");
            let short = phrase.chars().count() < 4;
            if short && !phrase.chars().all(|c| c.is_ascii_uppercase()) {
                continue;
            }
            if let Some(code) = lookup_country(&phrase) {
                return Some(code);
            }
        }
    }
    None
}

/// The number in a document description: the first token with a digit before any word that
/// starts the document's dates or remarks ("issued", "expires", "valid", "under", "DOB").
fn document_number(text: &str) -> Option<&str> {
    let stop = [
        "issued",
        "issue",
        "expire",
        "expires",
        "expired",
        "expiry",
        "expiration",
        "valid",
        "under",
        "dob",
        "date",
    ];
    let mut previous: Option<&str> = None;
    for (at, token) in token_spans(text) {
        let mut clean = token.trim_matches(|c: char| !c.is_alphanumeric());
        // "no.A1037434", "number:F50859": the label is glued to the number.
        if let Some((label, rest)) = clean.split_once([':', '.'])
            && label.chars().all(|c| c.is_alphabetic())
        {
            if stop.contains(&label.to_ascii_lowercase().as_str()) {
                return None;
            }
            clean = rest.trim_start_matches([':', '.', ' ']);
        }
        if stop.contains(&clean.to_ascii_lowercase().as_str()) {
            return None;
        }
        let is_number = clean.chars().any(|c| c.is_ascii_digit())
            && clean
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "/-.".contains(c))
            && clean.chars().filter(|c| c.is_ascii_alphanumeric()).count() >= 4;
        if is_number {
            // "D 000974": a single capital letter before the digits is part of the number.
            if let Some(prev) =
                previous.filter(|p| p.len() == 1 && p.chars().all(|c| c.is_ascii_uppercase()))
            {
                let start = at - prev.len() - 1;
                let offset = token.find(clean).unwrap_or(0);
                return text.get(start..at + offset + clean.len());
            }
            return Some(clean);
        }
        previous = Some(token);
    }
    None
}

/// Whitespace-separated tokens with their byte offsets.
fn token_spans(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.split(' ')
        .scan(0usize, |at, token| {
            let start = *at;
            *at += token.len() + 1;
            Some((start, token))
        })
        .filter(|(_, t)| !t.is_empty())
}

/// The issuing country of a document description: a parenthesis naming a country ("(Syria)",
/// "(Qatari passport …)"), else a country word in the text ("Tunisia number G557170").
fn document_country(text: &str) -> Option<&'static str> {
    for (at, _) in text.match_indices('(') {
        let inner = text[at + 1..].split(')').next().unwrap_or("");
        let first = inner.split_whitespace().next().unwrap_or("");
        let word_ok =
            first.len() >= 4 || (first.len() == 3 && first.chars().all(|c| c.is_ascii_uppercase()));
        if let Some(code) =
            lookup_country(inner).or_else(|| lookup_country(first).filter(|_| word_ok))
        {
            return Some(code);
        }
    }
    text.split(|c: char| c.is_whitespace() || "().,:".contains(c))
        .filter(|w| w.len() >= 4 || (w.len() == 3 && w.chars().all(|c| c.is_ascii_uppercase())))
        .find_map(lookup_country)
}

/// Nationality adjectives and the other country names this list uses that the country table
/// does not know ("DPRK", misspellings), lower-case, with their codes.
#[rustfmt::skip]
const DEMONYMS: &[(&str, &str)] = &[
    ("afghan", "af"), ("afgan", "af"), ("afganistan", "af"), ("albanian", "al"),
    ("algerian", "dz"), ("american", "us"), ("angolan", "ao"), ("argentinian", "ar"),
    ("armenian", "am"), ("australian", "au"), ("austrian", "at"), ("azerbaijani", "az"),
    ("bahraini", "bh"), ("bangladeshi", "bd"), ("belarusian", "by"), ("belarussian", "by"),
    ("belgian", "be"), ("bosnian", "ba"), ("british", "gb"), ("bulgarian", "bg"),
    ("burmese", "mm"), ("burundian", "bi"), ("cambodian", "kh"), ("cameroonian", "cm"),
    ("canadian", "ca"), ("car", "cf"), ("central african", "cf"), ("chadian", "td"), ("chilean", "cl"),
    ("chinese", "cn"), ("colombian", "co"), ("comorian", "km"), ("croatian", "hr"),
    ("cuban", "cu"), ("cypriot", "cy"), ("czech", "cz"), ("danish", "dk"), ("djiboutian", "dj"),
    ("dprk", "kp"), ("dutch", "nl"), ("ecuadorian", "ec"), ("egyptian", "eg"), ("emirati", "ae"),
    ("eritrean", "er"), ("estonian", "ee"), ("ethiopian", "et"), ("filipino", "ph"),
    ("finnish", "fi"), ("french", "fr"), ("gambian", "gm"), ("georgian", "ge"), ("german", "de"),
    ("ghanaian", "gh"), ("greek", "gr"), ("guinean", "gn"), ("haitian", "ht"), ("hungarian", "hu"),
    ("indian", "in"), ("indonesian", "id"), ("iranian", "ir"), ("iraqi", "iq"), ("irish", "ie"),
    ("israeli", "il"), ("italian", "it"), ("ivorian", "ci"), ("jamaican", "jm"),
    ("japanese", "jp"), ("jordanian", "jo"), ("kazakh", "kz"), ("kazakhstani", "kz"),
    ("kenyan", "ke"), ("kosovan", "xk"), ("kuwaiti", "kw"), ("kyrgyz", "kg"), ("latvian", "lv"),
    ("lebanese", "lb"), ("liberian", "lr"), ("libyan", "ly"), ("libyan arab jamahiriya", "ly"),
    ("lithuanian", "lt"), ("malaysian", "my"), ("maldivian", "mv"), ("malian", "ml"),
    ("maltese", "mt"), ("mauritanian", "mr"), ("mexican", "mx"), ("moldavian", "md"),
    ("moldovan", "md"), ("mongolian", "mn"), ("montenegrin", "me"), ("moroccan", "ma"),
    ("mozambican", "mz"), ("nepalese", "np"), ("nicaraguan", "ni"), ("nigerian", "ng"),
    ("nigerien", "ne"), ("north korean", "kp"), ("norwegian", "no"), ("omani", "om"),
    ("pakistani", "pk"), ("palestinian", "ps"), ("panamanian", "pa"), ("peruvian", "pe"),
    ("polish", "pl"), ("portuguese", "pt"), ("qatari", "qa"), ("qatarian", "qa"), ("rdc", "cd"),
    ("romanian", "ro"), ("russian", "ru"), ("rwandan", "rw"), ("saudi", "sa"),
    ("saudi arabian", "sa"), ("senegalese", "sn"), ("serbian", "rs"), ("sierra leonean", "sl"),
    ("singaporean", "sg"), ("slovak", "sk"), ("slovenian", "si"), ("somali", "so"),
    ("south african", "za"), ("south korean", "kr"), ("south sudanese", "ss"), ("spanish", "es"),
    ("sri lankan", "lk"), ("sudanese", "sd"), ("swedish", "se"), ("swiss", "ch"), ("syrian", "sy"),
    ("taiwanese", "tw"), ("tajik", "tj"), ("tanzanian", "tz"), ("thai", "th"),
    ("trinadad and tobago", "tt"), ("trinidadian", "tt"), ("tunisian", "tn"), ("turkish", "tr"),
    ("turkmen", "tm"), ("ugandan", "ug"), ("ukaine", "ua"), ("ukrainian", "ua"), ("uzbek", "uz"),
    ("venezuelan", "ve"), ("vietnamese", "vn"), ("yemeni", "ye"), ("zambian", "zm"),
    ("zimbabwean", "zw"),
];

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;

    const CONLIST_2020: &str = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../data/lists/uk/ConList_2020-04-27.csv"
    );

    const HEADER_2020: &str = "Name 6,Name 1,Name 2,Name 3,Name 4,Name 5,Title,DOB,Town of Birth,\
        Country of Birth,Nationality,Passport Details,NI Number,Position,Address 1,Address 2,\
        Address 3,Address 4,Address 5,Address 6,Post/Zip Code,Country,Other Information,\
        Group Type,Alias Type,Regime,Listed On,Last Updated,Group ID";

    const HEADER_2022: &str = "Name 6,Name 1,Name 2,Name 3,Name 4,Name 5,Title,\
        Name Non-Latin Script,Non-Latin Script Type,Non-Latin Script Language,DOB,Town of Birth,\
        Country of Birth,Nationality,Passport Number,Passport Details,\
        National Identification Number,National Identification Details,Position,Address 1,\
        Address 2,Address 3,Address 4,Address 5,Address 6,Post/Zip Code,Country,\
        Other Information,Group Type,Alias Type,Alias Quality,Regime,Listed On,\
        UK Sanctions List Date Designated,UK Sanctions List Ref,Last Updated,Group ID";

    fn entities(import: Import) -> Vec<Entity> {
        import
            .map(|r| match r.unwrap() {
                ListRecord::Entity(e) => e,
                ListRecord::Delete(id) => panic!("a full list deletes nothing: {id}"),
            })
            .collect()
    }

    fn by_id<'a>(all: &'a [Entity], id: &str) -> &'a Entity {
        all.iter()
            .find(|e| e.id == id)
            .unwrap_or_else(|| panic!("no entity {id}"))
    }

    fn values<'a>(e: &'a Entity, prop: &str) -> Vec<&'a str> {
        e.values(prop).collect()
    }

    /// Read synthetic bytes; the first error, if any, is returned instead of the entities.
    fn read_text(bytes: &[u8]) -> Result<Vec<Entity>, ImportError> {
        read_bytes("ConList.csv", bytes.to_vec())?
            .map(|r| {
                r.map(|r| match r {
                    ListRecord::Entity(e) => e,
                    ListRecord::Delete(id) => panic!("{id}"),
                })
            })
            .collect()
    }

    fn error_of(bytes: &[u8]) -> ImportError {
        read_text(bytes).expect_err("input must be refused")
    }

    #[test]
    fn real_2020_file_counts() {
        // Rows and groups, counted below the entity level.
        let file = File::open(CONLIST_2020).unwrap();
        let mut input = BufReader::new(file);
        let encoding = sniff_encoding(&mut input).unwrap();
        assert_eq!(encoding, WINDOWS_1252);
        let mut csv = csv_reader(input);
        let mut rows = Rows {
            path: CONLIST_2020.into(),
            encoding,
            record: csv::ByteRecord::new(),
        };
        let (published, layout) = read_header(&mut csv, &mut rows).unwrap();
        assert_eq!(published, NaiveDate::from_ymd_opt(2020, 4, 27));
        assert_eq!(layout.width, 29);
        let mut groups = Groups::new(Path::new(CONLIST_2020), layout);
        read_rows(&mut csv, &mut rows, &mut groups).unwrap();
        assert_eq!(groups.rows, 9_492);
        assert_eq!(groups.groups.len(), 2_114);

        let import = open(&[CONLIST_2020.into()]).unwrap();
        let meta = import.meta().clone();
        assert_eq!(meta.dataset, "gb_hmt_sanctions");
        assert_eq!(meta.mode, ImportMode::Full);
        assert_eq!(meta.published, NaiveDate::from_ymd_opt(2020, 4, 27));
        assert_eq!(meta.sha256, hash_files(&[CONLIST_2020.into()]).unwrap());
        let all = entities(import);
        let count = |schema: &str| all.iter().filter(|e| e.schema.name() == schema).count();
        assert_eq!(count("Person"), 1_523);
        assert_eq!(count("Organization"), 591);
        // One Sanction per (group, regime): seven groups are listed under several regimes.
        assert_eq!(count("Sanction"), 2_123);
        let regimes: BTreeSet<&str> = all
            .iter()
            .filter(|e| e.schema.name() == "Sanction")
            .flat_map(|e| e.values("program"))
            .collect();
        assert_eq!(regimes.len(), 30);
        let ids: BTreeSet<&str> = all.iter().map(|e| e.id.as_str()).collect();
        assert_eq!(ids.len(), all.len(), "ids are unique");
        // Every value carries its origin.
        for e in &all {
            for (prop, vs) in &e.properties {
                for v in vs {
                    let origin = v.origin.as_deref().unwrap_or("ConList_2020-04-27.csv:");
                    assert!(
                        origin.starts_with("ConList_2020-04-27.csv:"),
                        "{} {prop}",
                        e.id
                    );
                }
            }
        }
        // Nothing the list said as a date failed to parse.
        assert!(
            !all.iter()
                .flat_map(|e| e.values("notes"))
                .any(|n| n.starts_with("DOB: ")
                    || n.starts_with("Listed On: ")
                    || n.starts_with("Last Updated: "))
        );
    }

    #[test]
    fn real_2020_file_belarus() {
        let all = entities(open(&[CONLIST_2020.into()]).unwrap());
        let belarus: Vec<&Entity> = all
            .iter()
            .filter(|e| {
                e.schema.name() != "Sanction" && e.values("program").any(|p| p == "Belarus")
            })
            .collect();
        let ids: BTreeSet<&str> = belarus.iter().map(|e| e.id.as_str()).collect();
        assert_eq!(
            ids,
            BTreeSet::from(["gb-hmt-11723", "gb-hmt-8904", "gb-hmt-8905", "gb-hmt-8906"])
        );
        // 14 rows: one name per row, all distinct within each group.
        let names: usize = belarus
            .iter()
            .map(|e| {
                ["name", "alias", "weakAlias", "previousName"]
                    .map(|p| e.values(p).count())
                    .iter()
                    .sum::<usize>()
            })
            .sum();
        assert_eq!(names, 14);
        let sheiman = by_id(&all, "gb-hmt-8904");
        assert_eq!(sheiman.schema.name(), "Person");
        assert_eq!(values(sheiman, "name"), ["Viktar Uladzimiravich SHEIMAN"]);
        assert_eq!(sheiman.values("alias").count(), 3);
        assert_eq!(values(sheiman, "birthDate"), ["1958-05-26"]);
        assert_eq!(values(sheiman, "lastName"), ["SHEIMAN", "SHEYMAN"]);
        assert_eq!(
            sheiman.properties["name"][0].origin.as_deref(),
            Some("ConList_2020-04-27.csv:Name 1…6")
        );
        assert_eq!(
            values(by_id(&all, "gb-hmt-8906"), "name"),
            ["Uladzimir Uladzimiravich NAVUMAU"]
        );
        assert_eq!(values(by_id(&all, "gb-hmt-8905"), "birthDate"), ["1966"]);
        for (id, listed) in [
            ("gb-hmt-8904", "2006-05-22"),
            ("gb-hmt-8905", "2006-05-22"),
            ("gb-hmt-8906", "2006-05-22"),
            ("gb-hmt-11723", "2011-03-29"),
        ] {
            let sanction = all
                .iter()
                .find(|e| e.schema.name() == "Sanction" && e.first("entity") == Some(id))
                .unwrap();
            assert_eq!(values(sanction, "listingDate"), [listed], "{id}");
            assert_eq!(values(sanction, "program"), ["Belarus"]);
            assert_eq!(values(sanction, "authority"), [AUTHORITY]);
        }
    }

    #[test]
    fn real_2020_file_details() {
        let all = entities(open(&[CONLIST_2020.into()]).unwrap());
        // Group 13349's rows are spread over the file; two partial birth years.
        let qahtani = by_id(&all, "gb-hmt-13349");
        assert_eq!(values(qahtani, "birthDate"), ["1980", "1981"]);
        assert_eq!(values(qahtani, "nationality"), ["sa", "qa"]);
        let passport = all
            .iter()
            .find(|e| e.schema.name() == "Passport" && e.first("holder") == Some("gb-hmt-13349"))
            .unwrap();
        assert_eq!(values(passport, "number"), ["592667"]);
        assert_eq!(values(passport, "country"), ["qa"]);
        assert_eq!(values(qahtani, "passportNumber"), ["592667"]);
        // FKA → previousName; Entity → Organization.
        let aqy = by_id(&all, "gb-hmt-11044");
        assert_eq!(aqy.schema.name(), "Organization");
        assert!(
            aqy.values("previousName")
                .any(|n| n == "AL-QAIDA IN YEMEN (AQY)")
        );
        // A group under three regimes has three sanctions.
        let sanctions = all
            .iter()
            .filter(|e| e.schema.name() == "Sanction" && e.first("entity") == Some("gb-hmt-10638"))
            .count();
        assert_eq!(sanctions, 3);
        // Windows-1252 is decoded: U+2019 is byte 0x92.
        assert!(values(by_id(&all, "gb-hmt-8904"), "position")[0].contains("President’s"));
        // Addresses become entities linked from the target.
        let second_academy = by_id(&all, "gb-hmt-12871");
        let address = by_id(&all, second_academy.first("addressEntity").unwrap());
        assert_eq!(values(address, "full"), ["Pyongyang, DPRK"]);
        assert_eq!(values(address, "country"), ["kp"]);
        assert_eq!(values(second_academy, "country"), ["kp"]);
    }

    #[test]
    fn layout_2022_and_name_strengths() {
        let text = format!(
            "Last Updated,01/09/2022\r\n{HEADER_2022}\r\n\
             PETROV,Ivan,,,,,,Иван Петров,Cyrillic,Russian,00/05/1970,,,Russian,AB123456,\
             issued 2010,,,,,,,,,,,Russia,,Individual,Primary name,,Russia,16/03/2022,\
             16/03/2022,RUS0001,17/03/2022,15000\r\n\
             PETROFF,Ivan,,,,,,,,,,,,,,,,,,,,,,,,,,,Individual,Alias,Low quality,Russia,\
             16/03/2022,16/03/2022,RUS0001,17/03/2022,15000\r\n\
             PETROV,Iwan,,,,,,,,,,,,,,,,,,,,,,,,,,,Individual,Primary name variation,,Russia,\
             16/03/2022,16/03/2022,RUS0001,17/03/2022,15000\r\n\
             SEA STAR,,,,,,,,,,,,,,,,,,,,,,,,,,,IMO 1234567,Ship,Primary name,,Russia,\
             16/03/2022,16/03/2022,RUS0002,17/03/2022,15001\r\n\
             PETROVA,Ivan,,,,,,,,,,,,,,,,,,,,,,,,,,,Individual,FKA,,Russia,\
             16/03/2022,16/03/2022,RUS0001,17/03/2022,15000\r\n"
        );
        let all = read_text(text.as_bytes()).unwrap();
        let petrov = by_id(&all, "gb-hmt-15000");
        assert_eq!(values(petrov, "name"), ["Ivan PETROV", "Иван Петров"]);
        assert_eq!(values(petrov, "weakAlias"), ["Ivan PETROFF"]);
        assert_eq!(values(petrov, "alias"), ["Iwan PETROV"]);
        assert_eq!(values(petrov, "previousName"), ["Ivan PETROVA"]);
        assert_eq!(values(petrov, "birthDate"), ["1970-05"]);
        assert_eq!(values(petrov, "nationality"), ["ru"]);
        assert_eq!(values(petrov, "passportNumber"), ["AB123456"]);
        let passport = all.iter().find(|e| e.schema.name() == "Passport").unwrap();
        assert_eq!(values(passport, "description"), ["issued 2010"]);
        let sanction = all
            .iter()
            .find(|e| e.schema.name() == "Sanction" && e.first("entity") == Some("gb-hmt-15000"))
            .unwrap();
        assert_eq!(values(sanction, "authorityId"), ["RUS0001"]);
        assert_eq!(values(sanction, "startDate"), ["2022-03-16"]);
        assert_eq!(values(sanction, "modifiedAt"), ["2022-03-17"]);
        let ship = by_id(&all, "gb-hmt-15001");
        assert_eq!(ship.schema.name(), "Vessel");
        assert_eq!(values(ship, "notes"), ["IMO 1234567"]);
    }

    #[test]
    fn bom_means_utf8_and_header_may_come_first() {
        let row = "ŁUKASZ,Jan,,,,,,,,,,,,,,,,,,,,,,Individual,Prime Alias,Belarus,01/01/2020,\
                   01/01/2020,1";
        let text = format!("\u{feff}{HEADER_2020}\n{row}\n");
        let import = read_bytes("ConList.csv", text.into_bytes()).unwrap();
        assert_eq!(import.meta().published, None);
        let all = entities(import);
        assert_eq!(values(&all[0], "name"), ["Jan ŁUKASZ"]);
        // Invalid UTF-8 after a UTF-8 byte-order mark names its line.
        let mut bad = format!("\u{feff}{HEADER_2020}\n").into_bytes();
        bad.extend_from_slice(row.replace("Ł", "\u{1}").replace('\u{1}', "").as_bytes());
        bad.extend_from_slice(b"\xff\n");
        let e = error_of(&bad);
        assert_eq!(e.location, Location::Line(2));
        assert!(e.reason.contains("UTF-8"), "{e}");
    }

    #[test]
    fn bad_input_names_file_line_and_reason() {
        let row = |group: &str| {
            format!(
                "NAME,,,,,,,,,,,,,,,,,,,,,,,Entity,Prime Alias,Belarus,01/01/2020,01/01/2020,{group}"
            )
        };
        let file = |rows: &[String]| {
            format!(
                "Last Updated,27/04/2020\r\n{HEADER_2020}\r\n{}\r\n",
                rows.join("\r\n")
            )
        };
        // Wrong column count.
        let e = error_of(file(&[row("1"), "a,b,c".into()]).as_bytes());
        assert_eq!(e.file, PathBuf::from("ConList.csv"));
        assert_eq!(e.location, Location::Line(4));
        assert!(e.reason.contains("expected 29 fields"), "{e}");
        // Missing header.
        let e = error_of(format!("Last Updated,27/04/2020\r\n{}\r\n", row("1")).as_bytes());
        assert_eq!(e.location, Location::Line(2));
        assert!(e.reason.contains("missing header"), "{e}");
        let e = error_of(b"");
        assert_eq!(e.location, Location::File);
        let e = error_of(b"hello,world\n");
        assert_eq!(e.location, Location::Line(1));
        // A header without a required column, or with an unknown one.
        let e = error_of(
            format!(
                "Last Updated,27/04/2020\n{}\n",
                HEADER_2020.replace("Regime,", "")
            )
            .as_bytes(),
        );
        assert!(e.reason.contains("lacks the column(s) Regime"), "{e}");
        let e = error_of(format!("Last Updated,27/04/2020\n{HEADER_2020},Shoe Size\n").as_bytes());
        assert!(e.reason.contains("\"Shoe Size\""), "{e}");
        // Bad publication date, unknown group or alias type, no group id.
        let e = error_of(format!("Last Updated,2020-04-27\n{HEADER_2020}\n").as_bytes());
        assert_eq!(e.location, Location::Line(1));
        assert!(e.reason.contains("dd/mm/yyyy"), "{e}");
        let e = error_of(file(&[row("1").replace("Entity", "Spaceship")]).as_bytes());
        assert_eq!(e.location, Location::Line(3));
        assert!(e.reason.contains("Group Type \"Spaceship\""), "{e}");
        let e = error_of(file(&[row("1").replace("Prime Alias", "Nickname")]).as_bytes());
        assert!(e.reason.contains("Alias Type \"Nickname\""), "{e}");
        let e = error_of(file(&[row("")]).as_bytes());
        assert!(e.reason.contains("Group ID"), "{e}");
        // One group, two kinds of target.
        let e = error_of(file(&[row("7"), row("7").replace("Entity", "Individual")]).as_bytes());
        assert_eq!(e.location, Location::Line(4));
        // Non-contiguous groups are one entity; blank rows are skipped.
        let all = read_text(
            file(&[
                row("1"),
                row("2"),
                ",,,".into(),
                row("1")
                    .replace("NAME", "OTHER")
                    .replace("Prime Alias", "AKA"),
            ])
            .as_bytes(),
        )
        .unwrap();
        assert_eq!(values(by_id(&all, "gb-hmt-1"), "alias"), ["OTHER"]);
        assert_eq!(
            all.iter()
                .filter(|e| e.schema.name() == "Organization")
                .count(),
            2
        );
        // A title on an organisation is kept as a note, not lost.
        let titled = row("3").replacen(",,,,,,,", ",,,,,,Dr,", 1);
        let all = read_text(file(&[titled]).as_bytes()).unwrap();
        assert_eq!(values(&all[0], "notes"), ["Title: Dr"]);
    }

    #[test]
    fn free_text_fields() {
        assert_eq!(
            numbered_items("(1) German (2) Moroccan"),
            ["German", "Moroccan"]
        );
        assert_eq!(
            numbered_items("1) Saudi Arabia 2) Qatar"),
            ["Saudi Arabia", "Qatar"]
        );
        assert_eq!(
            numbered_items("a) General b)Major General"),
            ["General", "Major General"]
        );
        assert_eq!(numbered_items("(1)-(2) Indonesia"), ["Indonesia"]);
        assert_eq!(
            numbered_items("Afghanistan (since 2009)"),
            ["Afghanistan (since 2009)"]
        );
        assert_eq!(parse_dob("00/00/1980"), Some(PartialDate::year(1980)));
        assert_eq!(
            parse_dob("00/05/1980").map(|d| d.to_string()).as_deref(),
            Some("1980-05")
        );
        assert_eq!(
            parse_dob("26/05/1958").map(|d| d.to_string()).as_deref(),
            Some("1958-05-26")
        );
        assert_eq!(parse_dob("31/02/1958"), None);
        assert_eq!(parse_dob("1958"), Some(PartialDate::year(1958)));
        assert_eq!(parse_dob("circa 1958"), None);
        let found = countries("Syrian, Turkish");
        assert_eq!(found[0].codes, ["sy", "tr"]);
        assert!(found[0].clean);
        let found = countries("Bahrain (citizenship revoked in January 2015)");
        assert_eq!(found[0].codes, ["bh"]);
        assert!(!found[0].clean);
        assert_eq!(
            countries("Trinidad and Tobago (from birth until 2010)")[0].codes,
            ["tt"]
        );
        assert_eq!(countries("Congolese")[0].codes, Vec::<&str>::new());
        assert_eq!(
            document_number("Passport No: 592667 (Qatari passport issued 2007)"),
            Some("592667")
        );
        assert_eq!(document_number("D 000974 (Afghan)"), Some("D 000974"));
        assert_eq!(
            document_number("Mali Passport no.A1037434. Issued"),
            Some("A1037434")
        );
        assert_eq!(document_number("(Eqypt). Issued 1993"), None);
        assert_eq!(document_country("D00001184 (CAR passport)"), Some("cf"));
        assert_eq!(document_country("Tunisia number G557170"), Some("tn"));
        assert_eq!(
            document_country("2255278 (Syria) issued in Beirut, Lebanon"),
            Some("sy")
        );
        for (name, code) in DEMONYMS {
            assert!(
                interdict_model::country::is_country_code(code),
                "{name} → {code}"
            );
        }
    }
}
