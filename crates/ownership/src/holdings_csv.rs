//! The holdings CSV a user keeps from a company registry.
//!
//! ```text
//! owner,asset,percentage,start_date,end_date
//! ofac-12860,Naftan Trading LLC,30%,2019-01-01,
//! GRODNO AZOT OAO,Naftan Trading LLC,25-30,2019,
//! ofac-9760,Minsk Holding,,2020-06,2022-12-31
//! ```
//!
//! Columns are found by their header (any order, any case; a `;` or tab delimiter is
//! recognised from the header line). `owner` and `asset` are required; `percentage`,
//! `start_date` and `end_date` may be empty. Two optional columns are read too: `type`
//! (empty or `shares` for a holding, `control: board majority` and the like for a control
//! relation, as in [`crate::relation`]) and `source`. Other columns are ignored, and lines
//! starting with `#` are comments.
//!
//! Parsing never stops at the first problem: it returns every row it understood and every
//! error with its file, line, column and reason, so a user fixes the file in one go, and an
//! importer can refuse the whole file when any error is present. Owners and assets are
//! written as entity ids or names; turning them into ids (and creating a company for a name
//! not yet known) is the caller's, through a [`Resolver`].

use std::fmt;
use std::io::Read;

use interdict_model::PartialDate;
use serde::{Deserialize, Serialize};

use crate::period::Period;
use crate::relation::{Control, ControlKind, Holding, Relation};
use crate::share::Share;

/// One understood row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HoldingRow {
    /// The line the row starts on (1 is the header).
    pub line: u64,
    /// The owner as written: an entity id or a name.
    pub owner: String,
    /// The asset as written: an entity id or a name.
    pub asset: String,
    /// The share (unknown when the cell is empty).
    pub share: Share,
    /// The start and end dates.
    pub period: Period,
    /// `Some` when the `type` column marks the row as a control relation.
    pub control: Option<ControlKind>,
    /// The `source` column, if present and not empty.
    pub source: Option<String>,
}

/// A problem with one cell, one row or the header.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub struct CsvError {
    /// The file name as the caller gave it.
    pub file: String,
    /// The line (1-based; 1 is the header).
    pub line: u64,
    /// The column number (1-based), if the problem is in one cell.
    pub column: Option<usize>,
    /// The column's header, if the problem is in one cell.
    pub column_name: Option<String>,
    /// What is wrong.
    pub reason: String,
}

impl fmt::Display for CsvError {
    /// `holdings.csv:3: column 3 (percentage): not a percentage: "3O"`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: ", self.file, self.line)?;
        match (self.column, &self.column_name) {
            (Some(c), Some(n)) => write!(f, "column {c} ({n}): ")?,
            (Some(c), None) => write!(f, "column {c}: ")?,
            (None, Some(n)) => write!(f, "{n}: ")?,
            _ => {}
        }
        f.write_str(&self.reason)
    }
}

/// Everything read from one file.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ParsedHoldings {
    /// The file name as the caller gave it.
    pub file: String,
    /// The rows understood, in file order.
    pub rows: Vec<HoldingRow>,
    /// Every problem, in file order.
    pub errors: Vec<CsvError>,
    /// The 1-based column numbers of `owner` and `asset`, for errors found when resolving.
    #[serde(default)]
    pub columns: (usize, usize),
}

/// Whether a name or id is an owner or an asset, for a resolver that treats them differently.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Side {
    /// The `owner` column.
    Owner,
    /// The `asset` column.
    Asset,
}

/// Turns what the user wrote in `owner` or `asset` into an entity id: an id the store knows,
/// a name it can match, or a new company it creates. Errors are the reason, shown with the
/// cell's place.
pub trait Resolver {
    /// Resolve one cell.
    fn resolve(&mut self, text: &str, side: Side) -> Result<String, String>;
}

impl<F: FnMut(&str, Side) -> Result<String, String>> Resolver for F {
    fn resolve(&mut self, text: &str, side: Side) -> Result<String, String> {
        self(text, side)
    }
}

const OWNER: &str = "owner";
const ASSET: &str = "asset";
const PERCENTAGE: &str = "percentage";
const START: &str = "start_date";
const END: &str = "end_date";
const TYPE: &str = "type";
const SOURCE: &str = "source";

/// Parse a holdings CSV. `file` names the input in errors.
pub fn parse(file: &str, mut input: impl Read) -> ParsedHoldings {
    let mut bytes = Vec::new();
    let mut out = ParsedHoldings {
        file: file.to_string(),
        ..ParsedHoldings::default()
    };
    if let Err(e) = input.read_to_end(&mut bytes) {
        out.errors
            .push(error(file, 1, None, format!("cannot read: {e}")));
        return out;
    }
    parse_bytes(file, &bytes, out)
}

/// Parse a holdings CSV held in memory.
pub fn parse_str(file: &str, text: &str) -> ParsedHoldings {
    parse_bytes(
        file,
        text.as_bytes(),
        ParsedHoldings {
            file: file.to_string(),
            ..ParsedHoldings::default()
        },
    )
}

fn error(file: &str, line: u64, column: Option<(usize, &str)>, reason: String) -> CsvError {
    CsvError {
        file: file.to_string(),
        line,
        column: column.map(|(i, _)| i + 1),
        column_name: column.map(|(_, n)| n.to_string()),
        reason,
    }
}

fn parse_bytes(file: &str, bytes: &[u8], mut out: ParsedHoldings) -> ParsedHoldings {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let first_line = bytes
        .split(|&b| b == b'\n')
        .find(|l| !l.is_empty() && l[0] != b'#')
        .unwrap_or(&[]);
    let delimiter = if first_line.contains(&b',') {
        b','
    } else if first_line.contains(&b';') {
        b';'
    } else if first_line.contains(&b'\t') {
        b'\t'
    } else {
        b','
    };
    // Lines are counted from byte offsets: the csv reader's own count skips comment lines.
    let newlines: Vec<usize> = bytes
        .iter()
        .enumerate()
        .filter(|(_, b)| **b == b'\n')
        .map(|(i, _)| i)
        .collect();
    let line_at = |byte: u64| newlines.partition_point(|&nl| (nl as u64) < byte) as u64 + 1;
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .has_headers(false)
        .from_reader(bytes);
    let mut record = csv::StringRecord::new();
    // The header: the first record that is not a comment.
    let (headers, header_line) = loop {
        match reader.read_record(&mut record) {
            Ok(true)
                if record
                    .get(0)
                    .is_some_and(|f| f.trim_start().starts_with('#')) =>
            {
                continue;
            }
            Ok(true) => {
                break (
                    record.clone(),
                    record.position().map_or(1, |p| line_at(p.byte())),
                );
            }
            Ok(false) => {
                out.errors.push(error(
                    file,
                    1,
                    None,
                    "empty file: expected a header naming owner and asset".into(),
                ));
                return out;
            }
            Err(e) => {
                out.errors
                    .push(error(file, 1, None, format!("cannot read the header: {e}")));
                return out;
            }
        }
    };
    let names: Vec<String> = headers
        .iter()
        .map(|h| h.trim().to_lowercase().replace([' ', '-'], "_"))
        .collect();
    let find = |name: &str| names.iter().position(|n| n == name);
    for (i, n) in names.iter().enumerate() {
        if names[..i].contains(n)
            && [OWNER, ASSET, PERCENTAGE, START, END, TYPE, SOURCE].contains(&n.as_str())
        {
            out.errors.push(error(
                file,
                header_line,
                Some((i, n)),
                "column appears twice".into(),
            ));
        }
    }
    let (Some(owner_col), Some(asset_col)) = (find(OWNER), find(ASSET)) else {
        let missing: Vec<&str> = [OWNER, ASSET]
            .into_iter()
            .filter(|n| find(n).is_none())
            .collect();
        out.errors.push(error(
            file,
            header_line,
            None,
            format!(
                "missing column {} (the header must name owner, asset and optionally percentage, start_date, end_date)",
                missing.join(" and ")
            ),
        ));
        return out;
    };
    out.columns = (owner_col + 1, asset_col + 1);
    let cols = Columns {
        owner: owner_col,
        asset: asset_col,
        percentage: find(PERCENTAGE),
        start: find(START),
        end: find(END),
        kind: find(TYPE),
        source: find(SOURCE),
    };
    loop {
        let line = line_at(reader.position().byte());
        match reader.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {
                let line = record.position().map_or(line, |p| line_at(p.byte()));
                if record.iter().all(|f| f.trim().is_empty())
                    || record
                        .get(0)
                        .is_some_and(|f| f.trim_start().starts_with('#'))
                {
                    continue;
                }
                match row(file, line, &record, &cols, &names) {
                    Ok(r) => out.rows.push(r),
                    Err(mut errs) => out.errors.append(&mut errs),
                }
            }
            Err(e) => {
                let line = e.position().map_or(line, |p| line_at(p.byte()));
                let reason = match e.kind() {
                    csv::ErrorKind::Utf8 { .. } => {
                        "not valid UTF-8 (save the file as UTF-8)".to_string()
                    }
                    _ => e.to_string(),
                };
                out.errors.push(error(file, line, None, reason));
                if !matches!(e.kind(), csv::ErrorKind::Utf8 { .. }) {
                    break;
                }
            }
        }
    }
    out
}

struct Columns {
    owner: usize,
    asset: usize,
    percentage: Option<usize>,
    start: Option<usize>,
    end: Option<usize>,
    kind: Option<usize>,
    source: Option<usize>,
}

fn row(
    file: &str,
    line: u64,
    rec: &csv::StringRecord,
    cols: &Columns,
    names: &[String],
) -> Result<HoldingRow, Vec<CsvError>> {
    let mut errors = Vec::new();
    let cell = |i: usize| rec.get(i).map(str::trim).unwrap_or("");
    let at = |i: usize| Some((i, names.get(i).map(String::as_str).unwrap_or("")));
    if rec.len() < names.len() && rec.len() <= cols.owner.max(cols.asset) {
        errors.push(error(
            file,
            line,
            None,
            format!("expected {} fields, found {}", names.len(), rec.len()),
        ));
        return Err(errors);
    }
    let owner = cell(cols.owner).to_string();
    let asset = cell(cols.asset).to_string();
    if owner.is_empty() {
        errors.push(error(
            file,
            line,
            at(cols.owner),
            "empty: name the owner by entity id or name".into(),
        ));
    }
    if asset.is_empty() {
        errors.push(error(
            file,
            line,
            at(cols.asset),
            "empty: name the company owned by entity id or name".into(),
        ));
    }
    if !owner.is_empty() && owner.to_lowercase() == asset.to_lowercase() {
        errors.push(error(
            file,
            line,
            at(cols.asset),
            "same as the owner: an entity cannot own itself".into(),
        ));
    }
    let share = match cols.percentage {
        Some(i) => Share::parse(cell(i)).unwrap_or_else(|e| {
            errors.push(error(file, line, at(i), e.to_string()));
            Share::UNKNOWN
        }),
        None => Share::UNKNOWN,
    };
    let mut date = |col: Option<usize>| -> Option<PartialDate> {
        let i = col?;
        let text = cell(i);
        if text.is_empty() {
            return None;
        }
        match parse_date(text) {
            Some(d) => Some(d),
            None => {
                errors.push(error(
                    file,
                    line,
                    at(i),
                    format!(
                        "not a date: {text:?} (expected YYYY-MM-DD, YYYY-MM, YYYY or DD.MM.YYYY)"
                    ),
                ));
                None
            }
        }
    };
    let period = Period::new(date(cols.start), date(cols.end));
    if period.is_inverted()
        && let Some(i) = cols.end
    {
        errors.push(error(
            file,
            line,
            at(i),
            "end_date is before start_date".into(),
        ));
    }
    let control = cols.kind.and_then(|i| ControlKind::from_marker(cell(i)));
    let source = cols
        .source
        .map(cell)
        .filter(|s| !s.is_empty())
        .map(str::to_string);
    if errors.is_empty() {
        Ok(HoldingRow {
            line,
            owner,
            asset,
            share,
            period,
            control,
            source,
        })
    } else {
        Err(errors)
    }
}

/// ISO partial dates, and the `DD.MM.YYYY` that registries in Belarus, Russia and much of
/// Europe write. Slashed dates are refused: `03/04/2021` is ambiguous.
fn parse_date(text: &str) -> Option<PartialDate> {
    if let Ok(d) = text.parse::<PartialDate>() {
        return Some(d);
    }
    let parts: Vec<&str> = text.split('.').collect();
    if let [d, m, y] = parts.as_slice()
        && y.len() == 4
        && (1..=2).contains(&d.len())
        && (1..=2).contains(&m.len())
    {
        return PartialDate::ymd(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?);
    }
    None
}

impl ParsedHoldings {
    /// Turn the rows into relations, resolving owners and assets with `resolver`. Each row
    /// becomes a [`Relation::Holding`] (or [`Relation::Control`] when its `type` says so)
    /// whose record is `file:line`. All rows are resolved, and every failure is reported.
    pub fn resolve(&self, resolver: &mut impl Resolver) -> Result<Vec<Relation>, Vec<CsvError>> {
        let mut relations = Vec::with_capacity(self.rows.len());
        let mut errors = Vec::new();
        for r in &self.rows {
            let owner = resolver.resolve(&r.owner, Side::Owner);
            let asset = resolver.resolve(&r.asset, Side::Asset);
            let (owner, asset) = match (owner, asset) {
                (Ok(o), Ok(a)) if o == a => {
                    errors.push(CsvError {
                        file: self.file.clone(),
                        line: r.line,
                        column: Some(self.columns.1),
                        column_name: Some(ASSET.into()),
                        reason: format!("owner and asset resolve to the same entity {o}"),
                    });
                    continue;
                }
                (Ok(o), Ok(a)) => (o, a),
                (o, a) => {
                    for (res, name, column) in
                        [(o, OWNER, self.columns.0), (a, ASSET, self.columns.1)]
                    {
                        if let Err(reason) = res {
                            errors.push(CsvError {
                                file: self.file.clone(),
                                line: r.line,
                                column: Some(column),
                                column_name: Some(name.into()),
                                reason,
                            });
                        }
                    }
                    continue;
                }
            };
            let record = Some(format!("{}:{}", self.file, r.line));
            let source = r.source.clone().or_else(|| Some(self.file.clone()));
            relations.push(match r.control {
                Some(kind) => Relation::Control(Control {
                    controller: owner,
                    asset,
                    kind,
                    votes: r.share.stated.then_some(r.share),
                    period: r.period,
                    record,
                    source,
                }),
                None => Relation::Holding(Holding {
                    owner,
                    asset,
                    share: r.share,
                    period: r.period,
                    class: None,
                    record,
                    source,
                }),
            });
        }
        if errors.is_empty() {
            Ok(relations)
        } else {
            Err(errors)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_rows_with_lines() {
        let text = "\u{feff}Owner,Asset,Percentage,Start_Date,End_Date,notes\n\
                    ofac-12860,Naftan Trading LLC,30%,2019-01-01,,x\n\
                    \n\
                    # a comment\n\
                    GRODNO AZOT OAO,Naftan Trading LLC,25-30,2019,,\n\
                    ofac-9760,Minsk Holding,,01.06.2020,31.12.2022,\n";
        let p = parse_str("h.csv", text);
        assert_eq!(p.errors, vec![]);
        assert_eq!(p.rows.len(), 3);
        assert_eq!(p.rows[0].line, 2);
        assert_eq!(p.rows[0].share.to_string(), "30 %");
        assert_eq!(p.rows[1].line, 5);
        assert_eq!(p.rows[1].period.start, Some(PartialDate::year(2019)));
        assert_eq!(p.rows[2].share, Share::UNKNOWN);
        assert_eq!(p.rows[2].period.end, PartialDate::ymd(2022, 12, 31));
    }

    #[test]
    fn precise_errors() {
        let text = "owner;asset;percentage;start_date;end_date\n\
                    a;b;3O;2020;\n\
                    a;;10;;\n\
                    a;c;150;2021-13-01;\n\
                    a;d;10;2022;2021\n\
                    a;a;10;;\n";
        let p = parse_str("h.csv", text);
        assert!(p.rows.is_empty());
        let shown: Vec<String> = p.errors.iter().map(ToString::to_string).collect();
        assert_eq!(
            shown[0],
            "h.csv:2: column 3 (percentage): not a percentage: \"3O\" (expected e.g. 30, 30%, 25.5, 25-50, <10, >50)"
        );
        assert_eq!(
            shown[1],
            "h.csv:3: column 2 (asset): empty: name the company owned by entity id or name"
        );
        assert!(
            shown[2].starts_with("h.csv:4: column 3 (percentage): percentage out of range"),
            "{}",
            shown[2]
        );
        assert!(
            shown[3].starts_with("h.csv:4: column 4 (start_date): not a date"),
            "{}",
            shown[3]
        );
        assert_eq!(
            shown[4],
            "h.csv:5: column 5 (end_date): end_date is before start_date"
        );
        assert_eq!(
            shown[5],
            "h.csv:6: column 2 (asset): same as the owner: an entity cannot own itself"
        );
        assert_eq!(shown.len(), 6);
    }

    #[test]
    fn missing_header_column() {
        let p = parse_str("h.csv", "holder,asset\nx,y\n");
        assert_eq!(p.errors.len(), 1);
        assert!(
            p.errors[0]
                .to_string()
                .starts_with("h.csv:1: missing column owner"),
            "{}",
            p.errors[0]
        );
    }

    #[test]
    fn resolves_with_a_closure_and_reads_control() {
        let text = "owner,asset,percentage,start_date,end_date,type\n\
                    NAFTAN OAO,New Co,30,,,\n\
                    ofac-9760,New Co,,,,control: board majority\n\
                    Nobody,New Co,5,,,\n";
        let p = parse_str("h.csv", text);
        assert!(p.errors.is_empty(), "{:?}", p.errors);
        let mut created = Vec::new();
        let mut resolver = |text: &str, side: Side| -> Result<String, String> {
            match text {
                "NAFTAN OAO" => Ok("ofac-12860".into()),
                "Nobody" => Err("no entity of that name; give an id".into()),
                t if t.starts_with("ofac-") => Ok(t.into()),
                t => {
                    assert_eq!(side, Side::Asset);
                    created.push(t.to_string());
                    Ok(format!("new-{}", t.to_lowercase().replace(' ', "-")))
                }
            }
        };
        let errs = p.resolve(&mut resolver).unwrap_err();
        assert_eq!(errs.len(), 1);
        assert_eq!(
            errs[0].to_string(),
            "h.csv:4: column 1 (owner): no entity of that name; give an id"
        );
        let ok = ParsedHoldings {
            rows: p.rows[..2].to_vec(),
            ..p.clone()
        }
        .resolve(&mut resolver)
        .unwrap();
        assert!(
            matches!(&ok[0], Relation::Holding(h) if h.owner == "ofac-12860" && h.asset == "new-new-co" && h.record.as_deref() == Some("h.csv:2"))
        );
        assert!(matches!(&ok[1], Relation::Control(c) if c.kind == ControlKind::BoardMajority));
    }
}
