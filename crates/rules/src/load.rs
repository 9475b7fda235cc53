//! Loading and validating the programme files: every error names the file, the key path and
//! the reason (`us-belarus.toml:212: licence[3].until: …`), and all errors of all files are
//! reported at once so that a reviewer fixes them in one pass.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt;
use std::path::Path;

use chrono_tz::Tz;
use interdict_dealings::{Amount, CountryCode, Currency, GoodsCode};
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::programme::{
    Authorises, GeneralLicence, Jurisdiction, Measure, MeasureKind, ProgrammeFile,
    ScreeningSettings, SettingsFile,
};

/// The file format this engine reads.
pub const FORMAT: u32 = 1;

/// The programme files shipped with interdict (`programmes/` at build time), so that the
/// binary decides out of the box; `--programmes DIR` loads another set.
pub const BUNDLED: &[(&str, &str)] = &[
    (
        "us-belarus.toml",
        include_str!("../../../programmes/us-belarus.toml"),
    ),
    (
        "us-glomag.toml",
        include_str!("../../../programmes/us-glomag.toml"),
    ),
    (
        "us-humanitarian.toml",
        include_str!("../../../programmes/us-humanitarian.toml"),
    ),
    (
        "us-generic.toml",
        include_str!("../../../programmes/us-generic.toml"),
    ),
    (
        "eu-belarus.toml",
        include_str!("../../../programmes/eu-belarus.toml"),
    ),
    (
        "eu-generic.toml",
        include_str!("../../../programmes/eu-generic.toml"),
    ),
    (
        "uk-belarus.toml",
        include_str!("../../../programmes/uk-belarus.toml"),
    ),
    (
        "uk-generic.toml",
        include_str!("../../../programmes/uk-generic.toml"),
    ),
    (
        "screening.toml",
        include_str!("../../../programmes/screening.toml"),
    ),
];

/// One problem in one programme file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
pub struct ProgrammeError {
    /// The file name.
    pub file: String,
    /// The line, when the problem is at a place in the text.
    pub line: Option<usize>,
    /// The key path (`licence[3].until`), or `(file)` for the file as a whole.
    pub path: String,
    /// What is wrong.
    pub reason: String,
}

impl fmt::Display for ProgrammeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(f, "{}:{}: {}: {}", self.file, line, self.path, self.reason),
            None => write!(f, "{}: {}: {}", self.file, self.path, self.reason),
        }
    }
}

/// Every problem found in a set of programme files.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct ProgrammeErrors(pub Vec<ProgrammeError>);

impl fmt::Display for ProgrammeErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} problem(s) in the programme files:", self.0.len())?;
        for e in &self.0 {
            write!(f, "\n  {e}")?;
        }
        Ok(())
    }
}

/// A loaded file: its name, version and hash, recorded in every decision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct FileVersion {
    /// The file name.
    pub file: String,
    /// The programme id (`screening` for the settings file).
    pub id: String,
    /// The data version the file declares.
    pub version: String,
    /// SHA-256 of the file's bytes.
    pub sha256: String,
}

/// A loaded programme with what the engine needs at hand.
#[derive(Debug, Clone)]
pub struct LoadedProgramme {
    /// The file as written.
    pub file: ProgrammeFile,
    /// The file name.
    pub file_name: String,
    /// The programme's zone.
    pub zone: Tz,
}

impl LoadedProgramme {
    /// The programme id.
    pub fn id(&self) -> &str {
        &self.file.programme.id
    }

    /// Its jurisdiction.
    pub fn jurisdiction(&self) -> Jurisdiction {
        self.file.programme.jurisdiction
    }

    /// A measure by id.
    pub fn measure(&self, id: &str) -> Option<&Measure> {
        self.file.measures.iter().find(|m| m.id == id)
    }

    /// The short names of a measure's instruments, joined.
    pub fn instrument_names(&self, ids: &[String]) -> String {
        ids.iter()
            .filter_map(|i| self.file.instruments.iter().find(|x| &x.id == i))
            .map(|i| i.short.clone())
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// Every programme, measure and licence the engine applies, loaded and validated.
///
/// Programmes and licences are data, not code: this is the only place they come from.
#[derive(Debug, Clone)]
pub struct Programmes {
    programmes: Vec<LoadedProgramme>,
    files: Vec<FileVersion>,
    settings: ScreeningSettings,
    /// (jurisdiction, dataset, tag) → (programme index, instrument id).
    tags: HashMap<(Jurisdiction, String, String), (usize, String)>,
    /// (jurisdiction, dataset) → the generic programme index and its instrument.
    generic: HashMap<(Jurisdiction, String), (usize, String)>,
}

impl Programmes {
    /// The bundled programme files.
    pub fn bundled() -> Result<Programmes, ProgrammeErrors> {
        Programmes::from_sources(
            BUNDLED
                .iter()
                .map(|(name, text)| (name.to_string(), text.to_string())),
        )
    }

    /// Every `*.toml` file of a directory.
    pub fn load_dir(dir: &Path) -> Result<Programmes, ProgrammeErrors> {
        let err = |reason: String| {
            ProgrammeErrors(vec![ProgrammeError {
                file: dir.display().to_string(),
                line: None,
                path: "(directory)".into(),
                reason,
            }])
        };
        let entries = std::fs::read_dir(dir).map_err(|e| err(format!("cannot read: {e}")))?;
        let mut sources = Vec::new();
        for entry in entries {
            let path = entry.map_err(|e| err(format!("cannot read: {e}")))?.path();
            if path.extension().and_then(|e| e.to_str()) != Some("toml") {
                continue;
            }
            let name = path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            let text = std::fs::read_to_string(&path)
                .map_err(|e| err(format!("cannot read {name}: {e}")))?;
            sources.push((name, text));
        }
        sources.sort();
        Programmes::from_sources(sources)
    }

    /// Load from (file name, text) pairs; the settings file is the one with a `[screening]`
    /// table.
    pub fn from_sources(
        sources: impl IntoIterator<Item = (String, String)>,
    ) -> Result<Programmes, ProgrammeErrors> {
        let mut errors = Vec::new();
        let mut programmes = Vec::new();
        let mut files = Vec::new();
        let mut settings = None;
        for (name, text) in sources {
            let sha256 = hex::encode(Sha256::digest(text.as_bytes()));
            let is_settings = text
                .lines()
                .any(|l| l.trim_start().starts_with("[screening]"));
            if is_settings {
                match parse::<SettingsFile>(&name, &text) {
                    Ok(s) => {
                        check_settings(&name, &s, &mut errors);
                        files.push(FileVersion {
                            file: name.clone(),
                            id: "screening".into(),
                            version: format!("format {}", s.format),
                            sha256,
                        });
                        settings = Some(s.screening);
                    }
                    Err(e) => errors.push(e),
                }
                continue;
            }
            match parse::<ProgrammeFile>(&name, &text) {
                Ok(file) => {
                    let zone = match file.programme.zone.parse::<Tz>() {
                        Ok(z) => z,
                        Err(_) => {
                            errors.push(at(
                                &name,
                                &text,
                                "programme.zone",
                                format!(
                                    "{:?} is not an IANA time zone (e.g. America/New_York)",
                                    file.programme.zone
                                ),
                            ));
                            continue;
                        }
                    };
                    files.push(FileVersion {
                        file: name.clone(),
                        id: file.programme.id.clone(),
                        version: file.programme.version.clone(),
                        sha256,
                    });
                    programmes.push((
                        LoadedProgramme {
                            file,
                            file_name: name,
                            zone,
                        },
                        text,
                    ));
                }
                Err(e) => errors.push(e),
            }
        }
        let texts: HashMap<String, String> = programmes
            .iter()
            .map(|(p, t)| (p.file_name.clone(), t.clone()))
            .collect();
        let programmes: Vec<LoadedProgramme> = programmes.into_iter().map(|(p, _)| p).collect();
        if !errors.is_empty() {
            // A file that does not parse would make every reference to it an error too: report
            // what is wrong in the files themselves first.
            return Err(ProgrammeErrors(errors));
        }
        validate(&programmes, &texts, &mut errors);
        if settings.is_none() {
            errors.push(ProgrammeError {
                file: "screening.toml".into(),
                line: None,
                path: "(file)".into(),
                reason: "no settings file (a file with a [screening] table) was given".into(),
            });
        }
        let mut tags = HashMap::new();
        let mut generic = HashMap::new();
        for (i, p) in programmes.iter().enumerate() {
            for (li, l) in p.file.lists.iter().enumerate() {
                for tag in &l.tags {
                    let key = (p.jurisdiction(), l.dataset.clone(), tag.clone());
                    if tag == "*" {
                        let g = (p.jurisdiction(), l.dataset.clone());
                        if generic.insert(g, (i, l.instrument.clone())).is_some() {
                            errors.push(at(
                                &p.file_name,
                                &texts[&p.file_name],
                                &format!("list[{li}].tags"),
                                format!(
                                    "a second catch-all ('*') for {} {}",
                                    p.jurisdiction(),
                                    l.dataset
                                ),
                            ));
                        }
                    } else if let Some((other, _)) = tags.insert(key, (i, l.instrument.clone())) {
                        errors.push(at(
                            &p.file_name,
                            &texts[&p.file_name],
                            &format!("list[{li}].tags"),
                            format!(
                                "tag {tag:?} of {} is already mapped by programme {}",
                                l.dataset,
                                programmes[other].id()
                            ),
                        ));
                    }
                }
            }
        }
        if !errors.is_empty() {
            return Err(ProgrammeErrors(errors));
        }
        files.sort_by(|a, b| a.file.cmp(&b.file));
        Ok(Programmes {
            programmes,
            files,
            settings: settings.unwrap_or_default(),
            tags,
            generic,
        })
    }

    /// Every programme.
    pub fn all(&self) -> &[LoadedProgramme] {
        &self.programmes
    }

    /// A programme by id.
    pub fn get(&self, id: &str) -> Option<&LoadedProgramme> {
        self.programmes.iter().find(|p| p.id() == id)
    }

    /// The programmes of a jurisdiction.
    pub fn of(&self, j: Jurisdiction) -> impl Iterator<Item = &LoadedProgramme> {
        self.programmes
            .iter()
            .filter(move |p| p.jurisdiction() == j)
    }

    /// The files loaded, with their versions and hashes.
    pub fn files(&self) -> &[FileVersion] {
        &self.files
    }

    /// The screening settings.
    pub fn settings(&self) -> &ScreeningSettings {
        &self.settings
    }

    /// The programme (and instrument) a listed entity's tag in a dataset falls under for a
    /// jurisdiction: the programme mapping the tag, else the jurisdiction's catch-all for the
    /// dataset.
    pub fn programme_of_tag(
        &self,
        j: Jurisdiction,
        dataset: &str,
        tag: &str,
    ) -> Option<(&LoadedProgramme, &str)> {
        self.tags
            .get(&(j, dataset.to_string(), tag.to_string()))
            .or_else(|| self.generic.get(&(j, dataset.to_string())))
            .map(|(i, inst)| (&self.programmes[*i], inst.as_str()))
    }

    /// Whether any programme of a jurisdiction maps a dataset at all.
    pub fn covers_dataset(&self, j: Jurisdiction, dataset: &str) -> bool {
        self.generic.contains_key(&(j, dataset.to_string()))
            || self.tags.keys().any(|(jj, d, _)| *jj == j && d == dataset)
    }

    /// Every dataset a jurisdiction's programmes read.
    pub fn datasets_of(&self, j: Jurisdiction) -> BTreeSet<String> {
        self.of(j)
            .flat_map(|p| p.file.lists.iter().map(|l| l.dataset.clone()))
            .collect()
    }

    /// Every general licence with the programme file it comes from.
    pub fn licences(&self) -> impl Iterator<Item = (&LoadedProgramme, &GeneralLicence)> {
        self.programmes
            .iter()
            .flat_map(|p| p.file.licences.iter().map(move |l| (p, l)))
    }

    /// A general licence by id (`gl-2h`), in any file.
    pub fn licence(&self, id: &str) -> Option<(&LoadedProgramme, &GeneralLicence)> {
        self.licences().find(|(_, l)| l.id == id)
    }

    /// The programmes a general licence relieves.
    pub fn relieved_by<'a>(
        &'a self,
        from: &'a LoadedProgramme,
        l: &'a GeneralLicence,
    ) -> Vec<&'a str> {
        if !l.programmes.is_empty() {
            l.programmes.iter().map(String::as_str).collect()
        } else if !from.file.programme.relieves.is_empty() {
            from.file
                .programme
                .relieves
                .iter()
                .map(String::as_str)
                .collect()
        } else {
            vec![from.id()]
        }
    }
}

/// Parse a file, naming the key path and line of the first problem.
fn parse<T: serde::de::DeserializeOwned>(name: &str, text: &str) -> Result<T, ProgrammeError> {
    let de = toml::Deserializer::parse(text).map_err(|e| ProgrammeError {
        file: name.to_string(),
        line: e.span().map(|s| line_of(text, s.start)),
        path: "(syntax)".into(),
        reason: e.message().to_string(),
    })?;
    serde_path_to_error::deserialize(de).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        ProgrammeError {
            file: name.to_string(),
            line: inner.span().map(|s| line_of(text, s.start)),
            path: if path == "." || path.is_empty() {
                "(file)".into()
            } else {
                path
            },
            reason: inner.message().to_string(),
        }
    })
}

fn line_of(text: &str, offset: usize) -> usize {
    text[..offset.min(text.len())].matches('\n').count() + 1
}

/// An error at a key path, with the line where the path's last key first appears (a good
/// enough pointer for a reviewer).
fn at(file: &str, text: &str, path: &str, reason: String) -> ProgrammeError {
    ProgrammeError {
        file: file.to_string(),
        line: locate(text, path),
        path: path.to_string(),
        reason,
    }
}

/// Find the line of a key path such as `licence[3].until` in a TOML text: the start of the
/// n-th `[[licence]]` table, then the first line setting `until` after it.
fn locate(text: &str, path: &str) -> Option<usize> {
    let mut parts = path.split('.');
    let first = parts.next()?;
    let (table, index) = match first.split_once('[') {
        Some((t, rest)) => (t, rest.trim_end_matches(']').parse::<usize>().ok()?),
        None => (first, 0),
    };
    let header_array = format!("[[{table}]]");
    let header = format!("[{table}]");
    let mut seen = 0usize;
    let mut start = None;
    for (i, line) in text.lines().enumerate() {
        let l = line.trim();
        if l == header_array || l == header {
            if seen == index {
                start = Some(i);
                break;
            }
            seen += 1;
        }
    }
    let start = start?;
    let key = parts.next();
    let Some(key) = key.map(|k| k.split('[').next().unwrap_or(k)) else {
        return Some(start + 1);
    };
    for (i, line) in text.lines().enumerate().skip(start + 1) {
        let l = line.trim_start();
        if l.starts_with("[[") || (l.starts_with('[') && !l.starts_with("[ ")) {
            break;
        }
        if l.starts_with(key) && l[key.len()..].trim_start().starts_with(['=', '.']) {
            return Some(i + 1);
        }
    }
    Some(start + 1)
}

fn check_settings(name: &str, s: &SettingsFile, errors: &mut Vec<ProgrammeError>) {
    let e = |path: &str, reason: String| ProgrammeError {
        file: name.to_string(),
        line: None,
        path: path.to_string(),
        reason,
    };
    if s.format != FORMAT {
        errors.push(e(
            "format",
            format!("format {} is not known (expected {FORMAT})", s.format),
        ));
    }
    let st = &s.screening;
    for (k, v) in [
        ("screening.review_line", st.review_line),
        ("screening.decision_line", st.decision_line),
        ("screening.text_line", st.text_line),
    ] {
        if !(0.0..=1.0).contains(&v) {
            errors.push(e(k, format!("{v} is not a score between 0 and 1")));
        }
    }
    if st.review_line > st.decision_line {
        errors.push(e(
            "screening.review_line",
            format!(
                "the review line {} is above the decision line {}",
                st.review_line, st.decision_line
            ),
        ));
    }
    if st.text_window == 0 || st.text_window > 8 {
        errors.push(e("screening.text_window", "must be 1 to 8 words".into()));
    }
}

/// Cross-file and semantic checks.
fn validate(
    programmes: &[LoadedProgramme],
    texts: &HashMap<String, String>,
    errors: &mut Vec<ProgrammeError>,
) {
    let mut ids: BTreeMap<&str, &str> = BTreeMap::new();
    let mut licence_ids: BTreeMap<&str, &str> = BTreeMap::new();
    for p in programmes {
        if let Some(other) = ids.insert(p.id(), &p.file_name) {
            errors.push(at(
                &p.file_name,
                &texts[&p.file_name],
                "programme.id",
                format!("programme id {:?} is also used by {other}", p.id()),
            ));
        }
        for (i, l) in p.file.licences.iter().enumerate() {
            if let Some(other) = licence_ids.insert(&l.id, &p.file_name) {
                errors.push(at(
                    &p.file_name,
                    &texts[&p.file_name],
                    &format!("licence[{i}].id"),
                    format!("licence id {:?} is also used in {other}", l.id),
                ));
            }
        }
    }
    for p in programmes {
        let text = &texts[&p.file_name];
        let mut err =
            |path: String, reason: String| errors.push(at(&p.file_name, text, &path, reason));
        let f = &p.file;
        if f.format != FORMAT {
            err(
                "format".into(),
                format!("format {} is not known (expected {FORMAT})", f.format),
            );
        }
        if p.id().is_empty()
            || !p
                .id()
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        {
            err(
                "programme.id".into(),
                format!("{:?} must be lower-case letters, digits and dashes", p.id()),
            );
        }
        for c in &f.programme.countries {
            if c.parse::<CountryCode>().is_err() {
                err(
                    "programme.countries".into(),
                    format!("{c:?} is not a country"),
                );
            }
        }
        for r in &f.programme.relieves {
            if !ids.contains_key(r.as_str()) {
                err(
                    "programme.relieves".into(),
                    format!("no programme {r:?} is loaded"),
                );
            }
        }
        let instruments: BTreeSet<&str> = f.instruments.iter().map(|i| i.id.as_str()).collect();
        if instruments.len() != f.instruments.len() {
            err(
                "instrument".into(),
                "two instruments have the same id".into(),
            );
        }
        for (i, inst) in f.instruments.iter().enumerate() {
            if inst.verify_note.is_some() && !inst.verify {
                err(
                    format!("instrument[{i}].verify_note"),
                    "a verify_note needs verify = true".into(),
                );
            }
        }
        for (i, l) in f.lists.iter().enumerate() {
            if l.tags.is_empty() {
                err(format!("list[{i}].tags"), "no tags".into());
            }
            if l.tags.iter().any(|t| t == "*") && !f.programme.generic {
                err(
                    format!("list[{i}].tags"),
                    "'*' is for generic programmes (programme.generic = true)".into(),
                );
            }
            if !instruments.contains(l.instrument.as_str()) {
                err(
                    format!("list[{i}].instrument"),
                    format!("no instrument {:?} in this file", l.instrument),
                );
            }
        }
        let targets: BTreeSet<&str> = f.targets.iter().map(|t| t.id.as_str()).collect();
        for (i, t) in f.targets.iter().enumerate() {
            if t.names.is_empty() {
                err(
                    format!("target[{i}].names"),
                    "a target needs at least one name".into(),
                );
            }
            if let Some(c) = &t.country
                && c.parse::<CountryCode>().is_err()
            {
                err(
                    format!("target[{i}].country"),
                    format!("{c:?} is not a country"),
                );
            }
        }
        let mut measure_ids = BTreeSet::new();
        for (i, m) in f.measures.iter().enumerate() {
            check_measure(i, m, f, &instruments, &targets, &mut err);
            if !measure_ids.insert(m.id.as_str()) {
                err(
                    format!("measure[{i}].id"),
                    format!("measure id {:?} is used twice", m.id),
                );
            }
        }
        for (i, l) in f.licences.iter().enumerate() {
            check_licence(i, l, p, programmes, &licence_ids, &mut err);
        }
    }
}

fn check_measure(
    i: usize,
    m: &Measure,
    f: &ProgrammeFile,
    instruments: &BTreeSet<&str>,
    targets: &BTreeSet<&str>,
    err: &mut impl FnMut(String, String),
) {
    let path = |k: &str| format!("measure[{i}].{k}");
    for inst in &m.instruments {
        if !instruments.contains(inst.as_str()) {
            err(
                path("instruments"),
                format!("no instrument {inst:?} in this file"),
            );
        }
    }
    if let Some(until) = &m.until
        && until.day() < m.from.day()
    {
        err(
            path("until"),
            format!("ends ({until}) before it starts ({})", m.from),
        );
    }
    let tags: BTreeSet<&str> = f
        .lists
        .iter()
        .flat_map(|l| l.tags.iter().map(String::as_str))
        .collect();
    for t in &m.targets.tags {
        if !tags.contains(t.as_str()) {
            err(
                path("targets.tags"),
                format!("tag {t:?} is not mapped by a [[list]] of this file"),
            );
        }
    }
    for t in &m.targets.named {
        if !targets.contains(t.as_str()) {
            err(
                path("targets.named"),
                format!("no [[target]] {t:?} in this file"),
            );
        }
    }
    if m.targets.listed && f.lists.is_empty() {
        err(
            path("targets.listed"),
            "the programme maps no list tags".into(),
        );
    }
    if m.verify_note.is_some() && !m.verify {
        err(
            path("verify_note"),
            "a verify_note needs verify = true".into(),
        );
    }
    let needs_targets = matches!(
        m.kind,
        MeasureKind::Blocking
            | MeasureKind::TravelBan
            | MeasureKind::DebtProhibition
            | MeasureKind::Review
    );
    if needs_targets && !m.targets.listed && m.targets.named.is_empty() {
        err(
            path("targets"),
            format!(
                "a {} needs targets (listed = true or named = [...])",
                m.kind.describe()
            ),
        );
    }
    if matches!(m.kind, MeasureKind::ImportBan | MeasureKind::ExportBan) && m.goods.is_none() {
        err(
            path("goods"),
            format!("an {} needs a goods rule", m.kind.describe()),
        );
    }
    if m.kind == MeasureKind::DebtProhibition && m.debt.is_none() {
        err(path("debt"), "a debt prohibition needs a debt rule".into());
    }
    if matches!(m.kind, MeasureKind::InsuranceBan) && m.purposes.is_none() {
        err(
            path("purposes"),
            "an insurance ban needs the purposes it keys on".into(),
        );
    }
    if m.kind == MeasureKind::AssistanceBan && m.goods.is_none() && m.purposes.is_none() {
        err(
            path("goods"),
            "an assistance ban needs goods or purposes".into(),
        );
    }
    if let Some(g) = &m.goods {
        for (k, c) in g.codes.iter().enumerate() {
            if c.code.parse::<GoodsCode>().is_err() {
                err(
                    path(&format!("goods.codes[{k}].code")),
                    format!("{:?} is not an HS/CN code", c.code),
                );
            }
        }
        for c in g.origin.iter().chain(&g.destination) {
            if c.parse::<CountryCode>().is_err() {
                err(path("goods"), format!("{c:?} is not a country"));
            }
        }
        if g.codes.is_empty() && !g.listed_producers {
            err(
                path("goods.codes"),
                "no goods codes and not listed_producers".into(),
            );
        }
    }
    if let Some(r) = &m.report
        && r.within_business_days.is_none()
        && r.within_days.is_none()
        && r.when.is_none()
    {
        err(
            path("report"),
            "a report needs within_business_days, within_days or when".into(),
        );
    }
    if let Some(d) = &m.debt
        && d.instrument_kinds.is_empty()
    {
        err(path("debt.instrument_kinds"), "no instrument kinds".into());
    }
}

fn check_licence(
    i: usize,
    l: &GeneralLicence,
    p: &LoadedProgramme,
    programmes: &[LoadedProgramme],
    licence_ids: &BTreeMap<&str, &str>,
    err: &mut impl FnMut(String, String),
) {
    let path = |k: &str| format!("licence[{i}].{k}");
    if let Some(until) = &l.until
        && until.day() < l.from.day()
    {
        err(
            path("until"),
            format!("expires ({until}) before it starts ({})", l.from),
        );
    }
    if let Some(r) = &l.revoked {
        if r.at.day() < l.from.day() {
            err(path("revoked.at"), "revoked before it starts".into());
        }
        if let Some(by) = &r.by
            && !licence_ids.contains_key(by.as_str())
        {
            err(path("revoked.by"), format!("no licence {by:?} is loaded"));
        }
    }
    if let Some(rep) = &l.replaces
        && !licence_ids.contains_key(rep.as_str())
    {
        err(path("replaces"), format!("no licence {rep:?} is loaded"));
    }
    let relieved: Vec<&LoadedProgramme> = {
        let names: Vec<&str> = if !l.programmes.is_empty() {
            l.programmes.iter().map(String::as_str).collect()
        } else if !p.file.programme.relieves.is_empty() {
            p.file
                .programme
                .relieves
                .iter()
                .map(String::as_str)
                .collect()
        } else {
            vec![p.id()]
        };
        let mut out = Vec::new();
        for n in names {
            match programmes.iter().find(|x| x.id() == n) {
                Some(x) => {
                    if x.jurisdiction() != p.jurisdiction() {
                        err(
                            path("programmes"),
                            format!(
                                "{n} is a {} programme; this licence is {}",
                                x.jurisdiction(),
                                p.jurisdiction()
                            ),
                        );
                    }
                    out.push(x);
                }
                None => err(path("programmes"), format!("no programme {n:?} is loaded")),
            }
        }
        out
    };
    for m in &l.measures {
        let (prog, mid) = match m.split_once('/') {
            Some((a, b)) => (a, b),
            None => (p.id(), m.as_str()),
        };
        let found = relieved
            .iter()
            .chain(std::iter::once(&p))
            .any(|x| x.id() == prog && x.measure(mid).is_some());
        if !found {
            err(
                path("measures"),
                format!("no measure {m:?} in the programmes it relieves"),
            );
        }
    }
    match l.authorises {
        Authorises::WindDown if l.wind_down.is_none() => err(
            path("wind_down"),
            "a wind-down licence needs wind_down = { contracts_before, reading }".into(),
        ),
        Authorises::Administrative => match &l.administrative {
            None => err(
                path("administrative"),
                "an administrative licence needs its limit".into(),
            ),
            Some(a) => {
                if a.max_amount.parse::<Amount>().is_err() {
                    err(
                        path("administrative.max_amount"),
                        format!("{:?} is not an amount", a.max_amount),
                    );
                }
                if a.currency.parse::<Currency>().is_err() {
                    err(
                        path("administrative.currency"),
                        format!("{:?} is not a currency", a.currency),
                    );
                }
            }
        },
        Authorises::Purposes if l.purposes.is_empty() => err(
            path("purposes"),
            "a purposes licence needs its purposes".into(),
        ),
        _ => {}
    }
    if l.parties.is_empty() && !l.any_party {
        err(path("parties"), "no parties and not any_party".into());
    }
    if l.any_party && !l.parties.is_empty() {
        err(
            path("any_party"),
            "any_party with named parties: choose one".into(),
        );
    }
    if l.owned_50 && l.parties.is_empty() {
        err(path("owned_50"), "owned_50 needs named parties".into());
    }
    if let Some(r) = &l.reporting {
        if r.above.parse::<Amount>().is_err() {
            err(
                path("reporting.above"),
                format!("{:?} is not an amount", r.above),
            );
        }
        if r.currency.parse::<Currency>().is_err() {
            err(
                path("reporting.currency"),
                format!("{:?} is not a currency", r.currency),
            );
        }
    }
    if l.verify_note.is_some() && !l.verify {
        err(
            path("verify_note"),
            "a verify_note needs verify = true".into(),
        );
    }
    for (k, party) in l.parties.iter().chain(&l.indirect_only).enumerate() {
        if party.id.is_empty() || party.id.contains(char::is_whitespace) {
            err(
                path(&format!("parties[{k}].id")),
                format!("{:?} is not an entity id", party.id),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bundled_files_load() {
        let p = Programmes::bundled().unwrap_or_else(|e| panic!("{e}"));
        assert!(p.get("us-belarus").is_some());
        let (prog, inst) = p
            .programme_of_tag(Jurisdiction::Us, "us_ofac_sdn", "BELARUS-EO")
            .unwrap();
        assert_eq!(prog.id(), "us-belarus");
        assert_eq!(inst, "eo-14038");
        let (prog, _) = p
            .programme_of_tag(Jurisdiction::Us, "us_ofac_sdn", "SDGT")
            .unwrap();
        assert!(prog.file.programme.generic);
        assert!(p.licence("gl-2h").is_some());
        assert!(p.files().iter().all(|f| f.sha256.len() == 64));
    }

    #[test]
    fn errors_name_file_line_path_and_reason() {
        let mut sources: Vec<(String, String)> = BUNDLED
            .iter()
            .map(|(n, t)| (n.to_string(), t.to_string()))
            .collect();
        let us = sources
            .iter_mut()
            .find(|(n, _)| n == "us-belarus.toml")
            .unwrap();
        us.1 = us.1.replacen(
            "until = \"2021-06-03T00:01:00[America/New_York]\"",
            "until = \"2021-06-03T00:01:00\"",
            1,
        );
        let e = Programmes::from_sources(sources.clone()).unwrap_err();
        let text = e.to_string();
        assert!(text.contains("us-belarus.toml:"), "{text}");
        assert!(text.contains("licence[1].until"), "{text}");
        assert!(text.contains("no time zone"), "{text}");

        let us = sources
            .iter_mut()
            .find(|(n, _)| n == "us-belarus.toml")
            .unwrap();
        us.1 = us.1.replacen(
            "authorises = \"wind_down\"",
            "authorises = \"wind-down\"",
            1,
        );
        us.1 = us.1.replacen(
            "revoked = { at = 2021-04-19, by = \"gl-2h\"",
            "revoked = { at = 2021-04-19, by = \"gl-2x\"",
            1,
        );
        let e = Programmes::from_sources(sources).unwrap_err();
        let text = e.to_string();
        assert!(text.contains("authorises"), "{text}");
    }

    #[test]
    fn semantic_errors_are_all_reported() {
        let mut sources: Vec<(String, String)> = BUNDLED
            .iter()
            .map(|(n, t)| (n.to_string(), t.to_string()))
            .collect();
        let us = sources
            .iter_mut()
            .find(|(n, _)| n == "us-belarus.toml")
            .unwrap();
        us.1 = us.1.replacen("by = \"gl-2h\"", "by = \"gl-2x\"", 1);
        us.1 = us.1.replacen(
            "instruments = [\"eo-14038\", \"directive-1\"]",
            "instruments = [\"eo-14038\", \"directive-9\"]",
            1,
        );
        let e = Programmes::from_sources(sources).unwrap_err();
        let text = e.to_string();
        assert!(
            text.contains("revoked.by: no licence \"gl-2x\" is loaded"),
            "{text}"
        );
        assert!(text.contains("no instrument \"directive-9\""), "{text}");
        assert_eq!(e.0.len(), 2, "{text}");
        assert!(e.0.iter().all(|x| x.line.is_some()), "{text}");
    }
}
