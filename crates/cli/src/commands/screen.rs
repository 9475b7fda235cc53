//! `interdict screen`: batch screening of a CSV or JSON-lines file (C3).
//!
//! The file streams through in constant memory: a reader thread parses rows into chunks, one
//! worker per core screens chunks against the immutable index, and the writer puts the
//! screened chunks back in input order. A fixed number of chunks is in flight at any time
//! (the reader waits for a credit the writer returns), so memory does not grow with the
//! file. A bad row (wrong number of fields, invalid UTF-8 or JSON, no name, an unreadable date
//! or schema) is written with its line number and the reason in the `error` column, counted in
//! the summary, and does not stop the batch.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{BufRead, BufReader, BufWriter, IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{Context as _, bail};
use chrono::NaiveDate;
use clap::{Args, ValueEnum};
use interdict_matching::{DateSpan, Filters, Options, Query, QueryIdentifier};
use interdict_model::Schema;
use interdict_snapshot::Snapshot;
use serde_json::json;

use super::Context;
use super::matching::{load_snapshot, parse_schema};
use crate::output;

/// A file format of `screen`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum BatchFormat {
    /// Comma-separated values with a header row.
    Csv,
    /// One JSON object per line.
    Jsonl,
}

/// Arguments of `interdict screen`.
#[derive(Debug, Args)]
pub struct ScreenArgs {
    /// The file to screen (CSV with a header row, or JSON lines); `-` reads standard input.
    input: PathBuf,
    /// Where to write the results (default standard output).
    #[arg(long)]
    out: Option<PathBuf>,
    /// The input format (default: from the extension; .jsonl/.ndjson/.json are JSON lines).
    #[arg(long, value_enum)]
    input_format: Option<BatchFormat>,
    /// The output format (default: from the --out extension, else the input format).
    #[arg(long, value_enum)]
    output_format: Option<BatchFormat>,
    /// The column (or JSON field) holding the name; repeat for alias columns. Default: a
    /// guess from the header (name, full_name, customer_name …, or first/last name parts).
    #[arg(long = "name-column")]
    name_columns: Vec<String>,
    /// The column holding the birth date (YYYY, YYYY-MM, YYYY-MM-DD, DD.MM.YYYY, DD/MM/YYYY).
    #[arg(long)]
    birth_date_column: Option<String>,
    /// A column holding countries (codes or names; several separated by `;`). Repeatable.
    #[arg(long = "country-column")]
    country_columns: Vec<String>,
    /// A column holding an identifier; its name says the kind (passport_number, inn, imo …).
    /// Repeatable.
    #[arg(long = "id-column")]
    id_columns: Vec<String>,
    /// The column holding the schema of each row (person, company, vessel …).
    #[arg(long)]
    schema_column: Option<String>,
    /// The schema of rows without a schema column or value.
    #[arg(long, default_value = "Thing")]
    schema: String,
    /// The alert line: results at or above it are matches.
    #[arg(long, default_value_t = interdict_matching::DEFAULT_THRESHOLD)]
    threshold: f64,
    /// Also write candidates scoring above this (default: matches only).
    #[arg(long)]
    cutoff: Option<f64>,
    /// Candidates written per row.
    #[arg(long, default_value_t = 3)]
    limit: usize,
    /// Write the name alignment of the best candidate (slower).
    #[arg(long)]
    explain: bool,
    /// Only these datasets (repeatable; default all).
    #[arg(long = "dataset")]
    datasets: Vec<String>,
    /// Screen against the lists as they stood on this date (YYYY-MM-DD).
    #[arg(long)]
    as_of: Option<NaiveDate>,
    /// Worker threads (default: one per core).
    #[arg(long)]
    threads: Option<usize>,
    /// Rows per unit of work.
    #[arg(long, default_value_t = 256, hide = true)]
    chunk: usize,
    /// Never draw the progress bar (it is drawn only on a terminal anyway).
    #[arg(long)]
    no_progress: bool,
}

/// Which input fields mean what.
#[derive(Debug, Clone, Default)]
struct Mapping {
    names: Vec<String>,
    /// Name parts joined when there is no name column.
    parts: Vec<String>,
    birth_date: Option<String>,
    countries: Vec<String>,
    identifiers: Vec<String>,
    schema: Option<String>,
}

/// A header in comparable form: lower case, letters and digits only.
fn norm(h: &str) -> String {
    h.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

impl Mapping {
    /// Explicit flags, completed by guesses from the field names.
    /// With `strict` (a CSV header), a named column must exist; JSON objects vary, so a
    /// field named by a flag is taken as given.
    fn resolve(args: &ScreenArgs, fields: &[String], strict: bool) -> anyhow::Result<Mapping> {
        let find = |flag: &str, col: &str| -> anyhow::Result<String> {
            if !strict && !fields.iter().any(|f| f == col) {
                return Ok(col.to_string());
            }
            fields
                .iter()
                .find(|f| *f == col || norm(f) == norm(col))
                .cloned()
                .with_context(|| {
                    format!(
                        "{flag} {col:?}: no such column; the columns are {}",
                        fields.join(", ")
                    )
                })
        };
        let guess = |candidates: &[&str]| -> Option<String> {
            candidates
                .iter()
                .find_map(|c| fields.iter().find(|f| norm(f) == *c))
                .cloned()
        };
        let mut m = Mapping::default();
        for c in &args.name_columns {
            m.names.push(find("--name-column", c)?);
        }
        if m.names.is_empty() {
            m.names.extend(guess(&[
                "name",
                "fullname",
                "customername",
                "partyname",
                "entityname",
                "counterparty",
                "counterpartyname",
                "beneficiaryname",
                "beneficiary",
                "clientname",
                "companyname",
                "legalname",
                "vesselname",
                "names",
            ]));
            for alias in ["alias", "aliases", "aka", "othername"] {
                m.names.extend(guess(&[alias]));
            }
        }
        if m.names.is_empty() {
            for part in [
                &["firstname", "givenname", "forename"][..],
                &["middlename", "patronymic", "fathername"][..],
                &["lastname", "surname", "familyname"][..],
            ] {
                m.parts.extend(guess(part));
            }
        }
        m.birth_date = match &args.birth_date_column {
            Some(c) => Some(find("--birth-date-column", c)?),
            None => guess(&["birthdate", "dob", "dateofbirth", "born", "birthday"]),
        };
        for c in &args.country_columns {
            m.countries.push(find("--country-column", c)?);
        }
        if args.country_columns.is_empty() {
            for c in [
                "country",
                "nationality",
                "citizenship",
                "jurisdiction",
                "countrycode",
                "residence",
            ] {
                m.countries.extend(guess(&[c]));
            }
        }
        for c in &args.id_columns {
            m.identifiers.push(find("--id-column", c)?);
        }
        if args.id_columns.is_empty() {
            for c in [
                "passport",
                "passportnumber",
                "nationalid",
                "idnumber",
                "registrationnumber",
                "taxid",
                "taxnumber",
                "inn",
                "ogrn",
                "imo",
                "imonumber",
                "lei",
                "swift",
                "bic",
            ] {
                m.identifiers.extend(guess(&[c]));
            }
        }
        m.schema = match &args.schema_column {
            Some(c) => Some(find("--schema-column", c)?),
            None => guess(&["schema", "entitytype", "partytype", "type"]),
        };
        if m.names.is_empty() && m.parts.is_empty() && m.identifiers.is_empty() {
            bail!(
                "no name column found among {}: name one with --name-column",
                fields.join(", ")
            );
        }
        Ok(m)
    }

    fn describe(&self) -> String {
        let mut out = Vec::new();
        if !self.names.is_empty() {
            out.push(format!("name={}", self.names.join("+")));
        }
        if !self.parts.is_empty() {
            out.push(format!("name parts={}", self.parts.join("+")));
        }
        if let Some(b) = &self.birth_date {
            out.push(format!("birth date={b}"));
        }
        if !self.countries.is_empty() {
            out.push(format!("country={}", self.countries.join("+")));
        }
        if !self.identifiers.is_empty() {
            out.push(format!("ids={}", self.identifiers.join("+")));
        }
        if let Some(s) = &self.schema {
            out.push(format!("schema={s}"));
        }
        out.join(", ")
    }
}

/// One input row: its line, its fields by name (in input order), or why it cannot be read.
#[derive(Debug)]
struct Row {
    line: u64,
    fields: Result<Vec<(String, String)>, String>,
    /// The row as written, for echoing (CSV fields or the JSON object).
    echo: Echo,
}

#[derive(Debug)]
enum Echo {
    Csv(Vec<String>),
    Json(serde_json::Value),
}

/// A chunk of rows and the input byte offset reached after it.
struct Chunk {
    seq: u64,
    rows: Vec<Row>,
    bytes: u64,
}

/// A screened chunk: output bytes and counts.
struct Done {
    seq: u64,
    output: Vec<u8>,
    rows: u64,
    flagged: u64,
    matches: u64,
    bad: Vec<(u64, String)>,
    bytes: u64,
}

/// Everything a worker needs, shared read-only.
struct Job {
    snapshot: Arc<Snapshot>,
    mapping: Mapping,
    default_schema: Schema,
    options: Options,
    explain: bool,
    output: BatchFormat,
    header_len: usize,
    /// Whether rows carry CSV fields to echo.
    echo_csv: bool,
}

/// Read `DD.MM.YYYY` and `DD/MM/YYYY` as ISO; ISO forms and ranges pass through.
fn iso_date(s: &str) -> Option<String> {
    let s = s.trim();
    if DateSpan::parse(s).is_some() {
        return Some(s.to_string());
    }
    for fmt in ["%d.%m.%Y", "%d/%m/%Y"] {
        if let Ok(d) = NaiveDate::parse_from_str(s, fmt) {
            return Some(d.to_string());
        }
    }
    None
}

impl Job {
    /// Build the query of a row, or say why the row is bad.
    fn query(&self, fields: &[(String, String)]) -> Result<Query, String> {
        let get = |name: &str| {
            fields
                .iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.trim())
                .filter(|v| !v.is_empty())
        };
        let mut names: Vec<String> = self
            .mapping
            .names
            .iter()
            .filter_map(|c| get(c))
            .map(str::to_string)
            .collect();
        if names.is_empty() && !self.mapping.parts.is_empty() {
            let parts: Vec<&str> = self.mapping.parts.iter().filter_map(|c| get(c)).collect();
            if !parts.is_empty() {
                names.push(parts.join(" "));
            }
        }
        let identifiers: Vec<QueryIdentifier> = self
            .mapping
            .identifiers
            .iter()
            .filter_map(|c| {
                get(c).map(|v| QueryIdentifier {
                    value: v.to_string(),
                    kind: Some(c.clone()),
                    country: None,
                })
            })
            .collect();
        if names.is_empty() && identifiers.is_empty() {
            return Err("no name to screen".into());
        }
        let mut birth_dates = Vec::new();
        if let Some(col) = &self.mapping.birth_date
            && let Some(v) = get(col)
        {
            match iso_date(v) {
                Some(d) => birth_dates.push(d),
                None => {
                    return Err(format!(
                        "birth date {v:?} is not a date (YYYY, YYYY-MM, YYYY-MM-DD, DD.MM.YYYY or a range)"
                    ));
                }
            }
        }
        let schema = match self.mapping.schema.as_ref().and_then(|c| get(c)) {
            Some(v) => parse_schema(v).ok_or_else(|| {
                format!("schema {v:?} is unknown (person, organization, company, vessel, airplane)")
            })?,
            None => self.default_schema,
        };
        let countries = self
            .mapping
            .countries
            .iter()
            .filter_map(|c| get(c))
            .flat_map(|v| v.split(';').map(|c| c.trim().to_string()))
            .filter(|c| !c.is_empty())
            .collect();
        Ok(Query {
            schema,
            names,
            birth_dates,
            countries,
            gender: None,
            identifiers,
            addresses: Vec::new(),
        })
    }

    /// Screen a chunk into output bytes.
    fn screen(&self, chunk: Chunk) -> Done {
        let mut done = Done {
            seq: chunk.seq,
            output: Vec::with_capacity(chunk.rows.len() * 160),
            rows: chunk.rows.len() as u64,
            flagged: 0,
            matches: 0,
            bad: Vec::new(),
            bytes: chunk.bytes,
        };
        let mut csv_out = match self.output {
            BatchFormat::Csv => Some(
                csv::WriterBuilder::new()
                    .has_headers(false)
                    .flexible(true)
                    .from_writer(Vec::new()),
            ),
            BatchFormat::Jsonl => None,
        };
        for row in chunk.rows {
            let result = row
                .fields
                .and_then(|f| self.query(&f))
                .map(|q| self.snapshot.index().search(&q, &self.options));
            let (results, error) = match result {
                Ok(r) => (r, None),
                Err(e) => {
                    done.bad.push((row.line, e.clone()));
                    (Vec::new(), Some(e))
                }
            };
            let matches = results.iter().filter(|m| m.is_match).count();
            done.matches += matches as u64;
            if matches > 0 {
                done.flagged += 1;
            }
            let top = results.first();
            let status = if error.is_some() {
                "error"
            } else if matches > 0 {
                "match"
            } else {
                "clear"
            };
            match &mut csv_out {
                Some(w) => {
                    let mut record: Vec<String> = match &row.echo {
                        Echo::Csv(fields) => {
                            let mut f = fields.clone();
                            f.resize(self.header_len, String::new());
                            f
                        }
                        Echo::Json(v) => vec![v.to_string()],
                    };
                    if !self.echo_csv && matches!(row.echo, Echo::Csv(_)) {
                        record.clear();
                    }
                    record.extend([
                        row.line.to_string(),
                        status.to_string(),
                        matches.to_string(),
                        top.map(|m| format!("{:.3}", m.score)).unwrap_or_default(),
                        top.map(|m| m.entity_id.clone()).unwrap_or_default(),
                        top.map(|m| m.caption.clone()).unwrap_or_default(),
                        top.map(|m| m.schema.name().to_string()).unwrap_or_default(),
                        top.map(|m| {
                            self.snapshot
                                .index()
                                .entity_datasets(&m.entity_id)
                                .join(";")
                        })
                        .unwrap_or_default(),
                        results
                            .iter()
                            .map(|m| format!("{}:{:.3}", m.entity_id, m.score))
                            .collect::<Vec<_>>()
                            .join("|"),
                        top.and_then(|m| m.name.as_ref().map(|n| n.summary()))
                            .unwrap_or_default(),
                        error.unwrap_or_default(),
                    ]);
                    let _ = w.write_record(&record);
                }
                None => {
                    let input = match row.echo {
                        Echo::Json(v) => v,
                        Echo::Csv(fields) => serde_json::Value::Array(
                            fields.into_iter().map(serde_json::Value::String).collect(),
                        ),
                    };
                    let results: Vec<serde_json::Value> = results
                        .iter()
                        .map(|m| {
                            let mut v = json!({
                                "id": m.entity_id,
                                "caption": m.caption,
                                "schema": m.schema.name(),
                                "score": (m.score * 1e3).round() / 1e3,
                                "match": m.is_match,
                                "datasets": self.snapshot.index().entity_datasets(&m.entity_id),
                            });
                            if self.explain
                                && let Some(n) = &m.name
                            {
                                v["explanation"] = json!(n.summary());
                            }
                            v
                        })
                        .collect();
                    let line = json!({
                        "line": row.line,
                        "status": status,
                        "input": input,
                        "matches": matches,
                        "results": results,
                        "error": error,
                    });
                    let _ = serde_json::to_writer(&mut done.output, &line);
                    done.output.push(b'\n');
                }
            }
        }
        if let Some(w) = csv_out
            && let Ok(bytes) = w.into_inner()
        {
            done.output = bytes;
        }
        done
    }
}

/// The columns `screen` adds to a CSV output.
const RESULT_COLUMNS: [&str; 11] = [
    "line",
    "status",
    "matches",
    "top_score",
    "top_id",
    "top_caption",
    "top_schema",
    "top_datasets",
    "candidates",
    "explanation",
    "error",
];

fn format_of(path: &Path) -> Option<BatchFormat> {
    let ext = path.extension()?.to_string_lossy().to_ascii_lowercase();
    match ext.as_str() {
        "jsonl" | "ndjson" | "json" => Some(BatchFormat::Jsonl),
        "csv" | "txt" | "tsv" => Some(BatchFormat::Csv),
        _ => None,
    }
}

/// A source of rows: the input, parsed, with the byte offset reached.
enum Source {
    Csv(csv::Reader<Box<dyn Read + Send>>, Vec<String>),
    Jsonl(BufReader<Box<dyn Read + Send>>, u64, u64),
}

impl Source {
    /// The next row, or `None` at the end; `Err` only for an unreadable input (I/O).
    fn next(&mut self) -> anyhow::Result<Option<Row>> {
        match self {
            Source::Csv(reader, headers) => {
                let mut record = csv::ByteRecord::new();
                if !reader
                    .read_byte_record(&mut record)
                    .context("reading the CSV input")?
                {
                    return Ok(None);
                }
                let line = record.position().map(|p| p.line()).unwrap_or(0);
                let echo: Vec<String> = record
                    .iter()
                    .map(|b| String::from_utf8_lossy(b).into_owned())
                    .collect();
                let fields = if record.len() != headers.len() {
                    Err(format!(
                        "expected {} fields as in the header, found {}",
                        headers.len(),
                        record.len()
                    ))
                } else {
                    match csv::StringRecord::from_byte_record(record) {
                        Ok(r) => Ok(headers
                            .iter()
                            .cloned()
                            .zip(r.iter().map(str::to_string))
                            .collect()),
                        Err(_) => Err("the row is not valid UTF-8".to_string()),
                    }
                };
                Ok(Some(Row {
                    line,
                    fields,
                    echo: Echo::Csv(echo),
                }))
            }
            Source::Jsonl(reader, line, bytes) => loop {
                let mut buf = Vec::new();
                let n = reader
                    .read_until(b'\n', &mut buf)
                    .context("reading the JSON-lines input")?;
                if n == 0 {
                    return Ok(None);
                }
                *line += 1;
                *bytes += n as u64;
                let text = String::from_utf8_lossy(&buf);
                if text.trim().is_empty() {
                    continue;
                }
                let (fields, echo) = match serde_json::from_slice::<serde_json::Value>(&buf) {
                    Ok(serde_json::Value::Object(map)) => {
                        let fields = map
                            .iter()
                            .map(|(k, v)| {
                                let s = match v {
                                    serde_json::Value::String(s) => s.clone(),
                                    serde_json::Value::Null => String::new(),
                                    serde_json::Value::Array(items) => items
                                        .iter()
                                        .map(|i| {
                                            i.as_str()
                                                .map(str::to_string)
                                                .unwrap_or_else(|| i.to_string())
                                        })
                                        .collect::<Vec<_>>()
                                        .join(";"),
                                    other => other.to_string(),
                                };
                                (k.clone(), s)
                            })
                            .collect();
                        (Ok(fields), serde_json::Value::Object(map))
                    }
                    Ok(other) => (Err("the line is JSON but not an object".to_string()), other),
                    Err(e) => (
                        Err(format!("the line is not JSON: {e}")),
                        serde_json::Value::String(text.trim_end().to_string()),
                    ),
                };
                return Ok(Some(Row {
                    line: *line,
                    fields,
                    echo: Echo::Json(echo),
                }));
            },
        }
    }

    fn position(&self) -> u64 {
        match self {
            Source::Csv(r, _) => r.position().byte(),
            Source::Jsonl(_, _, bytes) => *bytes,
        }
    }
}

/// Run `interdict screen`.
pub async fn run(ctx: &Context, args: ScreenArgs) -> anyhow::Result<ExitCode> {
    let default_schema = parse_schema(&args.schema).with_context(|| {
        format!(
            "--schema {:?}: use Person, Organization, Company, Vessel, Airplane or Thing",
            args.schema
        )
    })?;
    if !(0.0..=1.0).contains(&args.threshold)
        || args.cutoff.is_some_and(|c| !(0.0..=1.0).contains(&c))
    {
        bail!("--threshold and --cutoff are scores from 0 to 1");
    }
    let stdin = args.input.as_os_str() == "-";
    let input_format = args
        .input_format
        .or_else(|| format_of(&args.input))
        .unwrap_or(BatchFormat::Csv);
    let output_format = args
        .output_format
        .or_else(|| args.out.as_deref().and_then(format_of))
        .unwrap_or(input_format);
    let input_len = if stdin {
        None
    } else {
        Some(
            std::fs::metadata(&args.input)
                .with_context(|| format!("reading {}", args.input.display()))?
                .len(),
        )
    };
    let reader: Box<dyn Read + Send> = if stdin {
        Box::new(std::io::stdin())
    } else {
        Box::new(
            File::open(&args.input).with_context(|| format!("opening {}", args.input.display()))?,
        )
    };

    // Read the header (CSV) or the first object's keys (JSON lines) to map the columns.
    let (mut source, fields, header): (Source, Vec<String>, Vec<String>) = match input_format {
        BatchFormat::Csv => {
            let mut r = csv::ReaderBuilder::new().flexible(true).from_reader(reader);
            let header: Vec<String> = r
                .byte_headers()
                .context("reading the CSV header")?
                .iter()
                .map(|b| String::from_utf8_lossy(b).trim().to_string())
                .collect();
            if header.iter().all(|h| h.is_empty()) {
                bail!("{}: no header row", args.input.display());
            }
            (Source::Csv(r, header.clone()), header.clone(), header)
        }
        BatchFormat::Jsonl => {
            let mut r = BufReader::new(reader);
            let first: Vec<String> = {
                let buf = r.fill_buf().context("reading the input")?;
                let line = buf.split(|b| *b == b'\n').next().unwrap_or_default();
                match serde_json::from_slice::<serde_json::Value>(line) {
                    Ok(serde_json::Value::Object(m)) => m.keys().cloned().collect(),
                    _ => Vec::new(),
                }
            };
            (Source::Jsonl(r, 0, 0), first, Vec::new())
        }
    };
    let mapping = Mapping::resolve(&args, &fields, input_format == BatchFormat::Csv)?;

    let started = Instant::now();
    let snapshot = Arc::new(load_snapshot(ctx, args.as_of).await?);
    let index_time = started.elapsed();
    let threads = args
        .threads
        .unwrap_or_else(|| {
            std::thread::available_parallelism()
                .map(|n| n.get())
                .unwrap_or(2)
        })
        .max(1);
    eprintln!(
        "screening {} against {} entities ({}; index built in {:.1} s) on {threads} threads; columns: {}",
        if stdin {
            "standard input".to_string()
        } else {
            args.input.display().to_string()
        },
        snapshot.index().len(),
        snapshot.label(),
        index_time.as_secs_f64(),
        mapping.describe()
    );
    let job = Arc::new(Job {
        snapshot: Arc::clone(&snapshot),
        mapping,
        default_schema,
        options: Options {
            limit: args.limit.max(1),
            threshold: args.threshold,
            cutoff: args.cutoff.unwrap_or(args.threshold).min(args.threshold),
            filters: Filters {
                include_datasets: args.datasets.clone(),
                ..Filters::default()
            },
            explain: args.explain,
        },
        explain: args.explain,
        output: output_format,
        header_len: header.len(),
        echo_csv: input_format == BatchFormat::Csv,
    });

    let mut out: Box<dyn Write + Send> = match &args.out {
        Some(p) if p.as_os_str() != "-" => Box::new(BufWriter::with_capacity(
            1 << 16,
            File::create(p).with_context(|| format!("creating {}", p.display()))?,
        )),
        _ => Box::new(BufWriter::with_capacity(1 << 16, std::io::stdout())),
    };
    if output_format == BatchFormat::Csv {
        let mut w = csv::WriterBuilder::new()
            .flexible(true)
            .from_writer(Vec::new());
        let mut columns: Vec<String> = match input_format {
            BatchFormat::Csv => header.clone(),
            BatchFormat::Jsonl => vec!["input".into()],
        };
        columns.extend(RESULT_COLUMNS.iter().map(|c| c.to_string()));
        w.write_record(&columns)?;
        out.write_all(&w.into_inner().map_err(|e| anyhow::anyhow!("{e}"))?)?;
    }

    let progress = (!args.no_progress && std::io::stderr().is_terminal()).then(|| {
        let bar = match input_len {
            Some(len) => indicatif::ProgressBar::new(len),
            None => indicatif::ProgressBar::new_spinner(),
        };
        let style = indicatif::ProgressStyle::with_template(
            "{spinner} {elapsed_precise} [{bar:30}] {percent:>3}%  {msg}  ETA {eta}",
        )
        .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar())
        .progress_chars("=> ");
        bar.set_style(style);
        bar.enable_steady_tick(Duration::from_millis(200));
        bar
    });

    let chunk_size = args.chunk.max(1);
    let summary = tokio::task::spawn_blocking(move || {
        pipeline(
            &mut source,
            out.as_mut(),
            job,
            threads,
            chunk_size,
            progress.as_ref(),
        )
    })
    .await
    .context("the screening threads failed")??;
    let elapsed = started.elapsed() - index_time;
    let rate = summary.rows as f64 / elapsed.as_secs_f64().max(1e-9);
    let bad_lines: Vec<String> = summary
        .bad
        .iter()
        .take(20)
        .map(|(l, e)| format!("line {l}: {e}"))
        .collect();
    if ctx.json && args.out.as_ref().is_some_and(|p| p.as_os_str() != "-") {
        output::json(&json!({
            "rows": summary.rows,
            "flagged_rows": summary.flagged,
            "matches": summary.matches,
            "bad_rows": summary.bad.len(),
            "bad": summary.bad.iter().take(100).map(|(l, e)| json!({"line": l, "error": e})).collect::<Vec<_>>(),
            "seconds": elapsed.as_secs_f64(),
            "rows_per_second": rate,
            "threads": threads,
            "index_seconds": index_time.as_secs_f64(),
            "snapshot": snapshot.label(),
        }))?;
    } else {
        eprintln!(
            "screened {} rows in {:.2} s ({:.0} rows/s, {threads} threads): {} rows with matches ({} matches), {} bad rows",
            summary.rows,
            elapsed.as_secs_f64(),
            rate,
            summary.flagged,
            summary.matches,
            summary.bad.len()
        );
        for l in &bad_lines {
            eprintln!("  bad row: {l}");
        }
        if summary.bad.len() > bad_lines.len() {
            eprintln!(
                "  … and {} more bad rows (see the error column)",
                summary.bad.len() - bad_lines.len()
            );
        }
    }
    // 2: the batch finished but some rows could not be screened.
    Ok(if summary.bad.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(2)
    })
}

/// What a batch did.
struct Summary {
    rows: u64,
    flagged: u64,
    matches: u64,
    bad: Vec<(u64, String)>,
}

/// Reader → workers → ordered writer, with a fixed number of chunks in flight.
fn pipeline(
    source: &mut Source,
    out: &mut (dyn Write + Send),
    job: Arc<Job>,
    threads: usize,
    chunk_size: usize,
    progress: Option<&indicatif::ProgressBar>,
) -> anyhow::Result<Summary> {
    let in_flight = threads * 4;
    let (work_tx, work_rx) = crossbeam_channel::bounded::<Chunk>(threads * 2);
    let (done_tx, done_rx) = crossbeam_channel::bounded::<Done>(in_flight);
    let (credit_tx, credit_rx) = crossbeam_channel::bounded::<()>(in_flight);
    for _ in 0..in_flight {
        let _ = credit_tx.send(());
    }
    std::thread::scope(|scope| -> anyhow::Result<Summary> {
        for _ in 0..threads {
            let work_rx = work_rx.clone();
            let done_tx = done_tx.clone();
            let job = Arc::clone(&job);
            scope.spawn(move || {
                while let Ok(chunk) = work_rx.recv() {
                    if done_tx.send(job.screen(chunk)).is_err() {
                        break;
                    }
                }
            });
        }
        drop(done_tx);
        drop(work_rx);
        let reader = scope.spawn(move || -> anyhow::Result<()> {
            let mut seq = 0u64;
            loop {
                let mut rows = Vec::with_capacity(chunk_size);
                while rows.len() < chunk_size {
                    match source.next()? {
                        Some(r) => rows.push(r),
                        None => break,
                    }
                }
                if rows.is_empty() {
                    return Ok(());
                }
                if credit_rx.recv().is_err() {
                    return Ok(());
                }
                let last = rows.len() < chunk_size;
                let bytes = source.position();
                if work_tx.send(Chunk { seq, rows, bytes }).is_err() {
                    return Ok(());
                }
                seq += 1;
                if last {
                    return Ok(());
                }
            }
        });
        let mut summary = Summary {
            rows: 0,
            flagged: 0,
            matches: 0,
            bad: Vec::new(),
        };
        let mut pending: BTreeMap<u64, Done> = BTreeMap::new();
        let mut next = 0u64;
        let started = Instant::now();
        let mut write_error: Option<anyhow::Error> = None;
        for done in done_rx.iter() {
            pending.insert(done.seq, done);
            while let Some(d) = pending.remove(&next) {
                if write_error.is_none()
                    && let Err(e) = out.write_all(&d.output)
                {
                    write_error = Some(anyhow::Error::new(e).context("writing the results"));
                }
                summary.rows += d.rows;
                summary.flagged += d.flagged;
                summary.matches += d.matches;
                summary.bad.extend(d.bad);
                if let Some(bar) = progress {
                    bar.set_position(d.bytes);
                    let rate = summary.rows as f64 / started.elapsed().as_secs_f64().max(1e-9);
                    bar.set_message(format!(
                        "{} rows, {:.0} rows/s, {} flagged, {} bad",
                        summary.rows,
                        rate,
                        summary.flagged,
                        summary.bad.len()
                    ));
                }
                next += 1;
                let _ = credit_tx.send(());
            }
        }
        drop(credit_tx);
        let read = reader
            .join()
            .map_err(|_| anyhow::anyhow!("the reader thread panicked"))?;
        if let Some(bar) = progress {
            bar.finish_and_clear();
        }
        read?;
        if let Some(e) = write_error {
            return Err(e);
        }
        out.flush().context("writing the results")?;
        Ok(summary)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_and_headers() {
        assert_eq!(iso_date("30.08.1954").as_deref(), Some("1954-08-30"));
        assert_eq!(iso_date("1954").as_deref(), Some("1954"));
        assert_eq!(iso_date("1950..1955").as_deref(), Some("1950..1955"));
        assert!(iso_date("soon").is_none());
        assert_eq!(norm("Date of Birth"), "dateofbirth");
    }
}
