//! SWIFT MT103 (single customer credit transfer), with or without its header blocks.
//!
//! `swift-mt-message` splits the blocks, parses the basic, application and user headers, and
//! checks the format of every field it models correctly (`:20:`, `:13C:`, `:23B:`, `:32A:`,
//! `:33B:`, `:50A:`/`:50F:`/`:50K:`, `:52a:`–`:57a:`, `:59:`/`:59A:`, `:70:`, `:71A:`, `:72:` …);
//! its message gives the reason after the field tag. The parties and amounts are then read from
//! the field text itself, because the crate (3.1.5) falls short where screening needs detail:
//! - `Field50F` stores the numbered lines without their numbers, so `4/` (date of birth),
//!   `5/` (place of birth), `6/` and `7/` (identity numbers) can no longer be told from a name
//!   or an address line. We read the numbers.
//! - `Field59F` rejects a valid beneficiary whose name continues on a second `1/` line
//!   (line numbers may repeat). We parse `:59F:` ourselves.
//! - Amounts are `f64`; ours stay exact decimals, as licence thresholds need.
//! - The sender and receiver BICs are guessed from the 12-character logical terminal; ours
//!   are BIC8 + branch, skipping the terminal code (9th character).
//!
//! The whole text must be in the SWIFT X character set (FIN is ASCII, Cyrillic names arrive
//! transliterated); anything else is an error naming the field, never passed on.

use std::collections::BTreeMap;

use chrono::{FixedOffset, NaiveDate, NaiveTime};
use chrono_tz::Tz;
use interdict_model::PartialDate;
use swift_mt_message::SwiftField;
use swift_mt_message::fields as mt;

use crate::codes::{Amount, Bic, CountryCode, Currency, Iban};
use crate::dealing::{
    Account, CountrySource, Dealing, DealingKind, FreeText, Identifier, Money, OtherAccount, Party,
    PartyRole, PartySchema, Purpose, PurposeCategory, SourceInfo, TextKind,
};
use crate::error::{DealingError, ErrorKind, InputFormat, Result};
use crate::time::{AsOf, Zone};

const FORMAT: InputFormat = InputFormat::Mt103;

fn error(field: impl Into<String>, kind: ErrorKind, reason: impl Into<String>) -> DealingError {
    DealingError::new(FORMAT, field, kind, reason)
}

/// One field of block 4: its tag (`59F`), raw text (lines joined by `\n`) and first line.
#[derive(Debug, Clone)]
struct Field {
    tag: String,
    value: String,
    line: usize,
}

impl Field {
    fn name(&self) -> String {
        format!(":{}:", self.tag)
    }

    fn lines(&self) -> Vec<&str> {
        self.value.lines().collect()
    }
}

/// The option letters each MT103 field may take (`""` for no letter), whether it repeats, and
/// whether it is mandatory.
const FIELDS: &[(&str, &[&str], bool, bool)] = &[
    ("20", &[""], false, true),
    ("13", &["C"], true, false),
    ("23", &["B", "E"], true, false),
    ("26", &["T"], false, false),
    ("32", &["A"], false, true),
    ("33", &["B"], false, false),
    ("36", &[""], false, false),
    ("50", &["A", "F", "K"], false, true),
    ("51", &["A"], false, false),
    ("52", &["A", "D"], false, false),
    ("53", &["A", "B", "D"], false, false),
    ("54", &["A", "B", "D"], false, false),
    ("55", &["A", "B", "D"], false, false),
    ("56", &["A", "C", "D"], false, false),
    ("57", &["A", "B", "C", "D"], false, false),
    ("59", &["", "A", "F"], false, true),
    ("70", &[""], false, false),
    ("71", &["A", "F", "G"], true, false),
    ("72", &[""], false, false),
    ("77", &["B", "T"], false, false),
];

/// Read an MT103.
pub fn read_mt103(bytes: &[u8], default_zone: Option<Tz>) -> Result<Dealing> {
    let text = std::str::from_utf8(bytes).map_err(|e| {
        error(
            "(document)",
            ErrorKind::Syntax,
            format!("not UTF-8 (byte {}); SWIFT FIN is ASCII", e.valid_up_to()),
        )
    })?;
    let text = text
        .strip_prefix('\u{feff}')
        .unwrap_or(text)
        .replace("\r\n", "\n");
    let trimmed = text.trim();
    let mut parties = Vec::new();
    let mut header_as_of: Option<(NaiveDate, NaiveTime)> = None;
    let block4 = if trimmed.starts_with('{') {
        let block = |n: u8| -> Result<Option<String>> {
            swift_mt_message::SwiftParser::extract_block(trimmed, n)
                .map_err(|e| error(format!("{{{n}:}}"), ErrorKind::Syntax, e.to_string()))
        };
        if let Some(b1) = block(1)? {
            ascii_only(&b1, "{1:}")?;
            let basic = swift_mt_message::BasicHeader::parse(&b1)
                .map_err(|e| error("{1:}", ErrorKind::Invalid, e.to_string()))?;
            if let Some(b2) = block(2)? {
                ascii_only(&b2, "{2:}")?;
                let app = swift_mt_message::ApplicationHeader::parse(&b2)
                    .map_err(|e| error("{2:}", ErrorKind::Invalid, e.to_string()))?;
                match app {
                    swift_mt_message::ApplicationHeader::Input(input) => {
                        check_type(&input.message_type)?;
                        parties.push(lt_party(
                            &basic.logical_terminal,
                            PartyRole::InstructingAgent,
                            "{1:} sender",
                        )?);
                        parties.push(lt_party(
                            &input.destination_address,
                            PartyRole::InstructedAgent,
                            "{2:} receiver",
                        )?);
                    }
                    swift_mt_message::ApplicationHeader::Output(output) => {
                        check_type(&output.message_type)?;
                        parties.push(lt_party(
                            &output.mir.lt_identifier,
                            PartyRole::InstructingAgent,
                            "{2:} MIR sender",
                        )?);
                        parties.push(lt_party(
                            &basic.logical_terminal,
                            PartyRole::InstructedAgent,
                            "{1:} receiver",
                        )?);
                        let date = NaiveDate::parse_from_str(&output.mir.date, "%y%m%d").ok();
                        let time = NaiveTime::parse_from_str(&output.input_time, "%H%M").ok();
                        header_as_of = date.zip(time);
                    }
                }
            } else {
                parties.push(lt_party(
                    &basic.logical_terminal,
                    PartyRole::InstructingAgent,
                    "{1:} sender",
                )?);
            }
        }
        if let Some(b3) = block(3)? {
            ascii_only(&b3, "{3:}")?;
            swift_mt_message::UserHeader::parse(&b3)
                .map_err(|e| error("{3:}", ErrorKind::Invalid, e.to_string()))?;
        }
        block(4)?.ok_or_else(|| error("{4:}", ErrorKind::Missing, "no text block {4: … -}"))?
    } else if trimmed.starts_with(':') {
        // Block 4 alone, perhaps still closed by `-}`.
        let body = trimmed.strip_suffix('}').unwrap_or(trimmed).trim_end();
        body.strip_suffix('-').unwrap_or(body).to_string()
    } else {
        return Err(error(
            "(document)",
            ErrorKind::Syntax,
            "an MT103 starts with {1: or with its first field :20:",
        ));
    };
    let fields = tokenise(&block4)?;
    let by_tag = check_fields(&fields)?;
    let get = |base: &str| by_tag.get(base).and_then(|v| v.first()).copied();

    // Validate every field's format with swift-mt-message first.
    for f in &fields {
        crate_check(f)?;
    }

    let f20 =
        get("20").ok_or_else(|| error(":20:", ErrorKind::Missing, "mandatory field is missing"))?;
    let reference = f20.value.trim().to_string();

    let f32 = get("32")
        .ok_or_else(|| error(":32A:", ErrorKind::Missing, "mandatory field is missing"))?;
    let (value_date, amount) = field_32a(f32)?;
    let instructed_amount = match get("33") {
        Some(f) => Some(currency_amount(f, 0)?),
        None => None,
    };

    // As-of: value date with a :13C: time indication, else the output header's input time,
    // else the value date at midnight in the default zone.
    let (as_of, as_of_field) = as_of(&by_tag, value_date, header_as_of, default_zone)?;

    for f in &fields {
        let role = match f.tag.get(..2) {
            Some("50") => PartyRole::Debtor,
            Some("51") => PartyRole::Other,
            Some("52") => PartyRole::DebtorAgent,
            Some("53" | "54" | "55") => PartyRole::ReimbursementAgent,
            Some("56") => PartyRole::IntermediaryAgent,
            Some("57") => PartyRole::CreditorAgent,
            Some("59") => PartyRole::Creditor,
            _ => continue,
        };
        let mut party = read_party(f, role)?;
        party.fill_country();
        parties.push(party);
    }

    let mut texts = Vec::new();
    let mut purpose = None;
    for f in &fields {
        let kind = match f.tag.as_str() {
            "70" => TextKind::Remittance,
            "72" => TextKind::Instruction,
            "77B" => TextKind::Regulatory,
            "77T" => TextKind::Other,
            "23E" => {
                // Instruction code with optional additional information: `PHOB/+375 17 …`.
                if let Some((_, info)) = f.value.split_once('/') {
                    texts.push(FreeText {
                        kind: TextKind::Instruction,
                        text: info.trim().to_string(),
                        source: Some(f.name()),
                    });
                }
                continue;
            }
            _ => continue,
        };
        let text = f
            .lines()
            .iter()
            .map(|l| l.trim())
            .filter(|l| !l.is_empty())
            .collect::<Vec<_>>()
            .join(" ");
        if f.tag == "70" {
            purpose = purpose_code(&f.value).map(|code| Purpose {
                category: PurposeCategory::from_iso_purpose_code(&code),
                code: Some(code),
            });
        }
        if !text.is_empty() {
            texts.push(FreeText {
                kind,
                text,
                source: Some(f.name()),
            });
        }
    }

    Ok(Dealing {
        kind: DealingKind::Payment,
        reference,
        as_of,
        perspective: None,
        parties,
        amount: Some(amount),
        instructed_amount,
        texts,
        contract_date: None,
        pre_existing_contract: None,
        purpose,
        trade: None,
        securities: None,
        travel: None,
        source: Some(SourceInfo {
            format: FORMAT,
            message_type: Some("MT103".into()),
            as_of_field: Some(as_of_field),
        }),
        comment: None,
    })
}

fn check_type(message_type: &str) -> Result<()> {
    if message_type == "103" {
        Ok(())
    } else {
        Err(error(
            "{2:}",
            ErrorKind::Unsupported,
            format!("the message is an MT{message_type}; only MT103 is read here"),
        ))
    }
}

fn ascii_only(s: &str, field: &str) -> Result<()> {
    match s.chars().find(|c| !c.is_ascii()) {
        Some(c) => Err(error(
            field,
            ErrorKind::Invalid,
            format!("character {c:?} is not in the SWIFT character set"),
        )),
        None => Ok(()),
    }
}

/// A logical terminal address (`CITIUS33AXXX`): BIC8, terminal code, branch.
fn lt_party(lt: &str, role: PartyRole, source: &str) -> Result<Party> {
    let bic8 = lt.get(..8).unwrap_or(lt);
    let branch = lt.get(9..12).filter(|b| *b != "XXX").unwrap_or("");
    let bic: Bic = format!("{bic8}{branch}").parse().map_err(|r: String| {
        error(
            source.split(' ').next().unwrap_or(source),
            ErrorKind::Invalid,
            format!("logical terminal {lt:?}: {r}"),
        )
    })?;
    let mut party = Party::new(role, source);
    party.schema = PartySchema::Organisation;
    party.bic = Some(bic);
    party.fill_country();
    Ok(party)
}

/// SWIFT X character set: letters, digits, `/ - ? : ( ) . , ' +`, space and line breaks.
fn is_swift_x(c: char) -> bool {
    c.is_ascii_alphanumeric() || "/-?:().,'+ \n".contains(c)
}

fn tokenise(block4: &str) -> Result<Vec<Field>> {
    let mut fields: Vec<Field> = Vec::new();
    for (i, line) in block4.lines().enumerate() {
        let n = i + 1;
        if line.trim() == "-" {
            break;
        }
        if let Some(rest) = line.strip_prefix(':')
            && let Some((tag, value)) = rest.split_once(':')
            && is_tag(tag)
        {
            fields.push(Field {
                tag: tag.to_string(),
                value: value.to_string(),
                line: n,
            });
            continue;
        }
        match fields.last_mut() {
            Some(f) => {
                f.value.push('\n');
                f.value.push_str(line);
            }
            None if line.trim().is_empty() => {}
            None => {
                return Err(error(
                    format!("block 4 line {n}"),
                    ErrorKind::Syntax,
                    "text before the first field tag (:20:)",
                ));
            }
        }
    }
    for f in &mut fields {
        while f.value.ends_with('\n') {
            f.value.pop();
        }
        if let Some((k, c)) = f.value.char_indices().find(|(_, c)| !is_swift_x(*c)) {
            let line = f.value[..k].matches('\n').count() + 1;
            return Err(error(
                f.name(),
                ErrorKind::Invalid,
                format!(
                    "line {line}: character {c:?} is not in the SWIFT X character set (MT texts are transliterated)"
                ),
            ));
        }
    }
    if fields.is_empty() {
        return Err(error("{4:}", ErrorKind::Missing, "block 4 has no fields"));
    }
    Ok(fields)
}

fn is_tag(tag: &str) -> bool {
    let b = tag.as_bytes();
    (b.len() == 2 || b.len() == 3)
        && b[0].is_ascii_digit()
        && b[1].is_ascii_digit()
        && (b.len() == 2 || b[2].is_ascii_uppercase())
}

/// Every tag known, no option used twice, mandatory fields present. Fields grouped by the
/// two-digit base tag.
fn check_fields(fields: &[Field]) -> Result<BTreeMap<String, Vec<&Field>>> {
    let mut by_base: BTreeMap<String, Vec<&Field>> = BTreeMap::new();
    for f in fields {
        let base = &f.tag[..2];
        let option = &f.tag[2..];
        let Some((_, options, repeats, _)) = FIELDS.iter().find(|(b, ..)| *b == base) else {
            return Err(error(
                f.name(),
                ErrorKind::Unknown,
                format!("(line {}) is not a field of MT103", f.line),
            ));
        };
        if !options.contains(&option) {
            let allowed = options
                .iter()
                .map(|o| format!(":{base}{o}:"))
                .collect::<Vec<_>>()
                .join(", ");
            return Err(error(
                f.name(),
                ErrorKind::Unknown,
                format!(
                    "(line {}) is not an option MT103 allows here ({allowed})",
                    f.line
                ),
            ));
        }
        let same = by_base.entry(base.to_string()).or_default();
        let seen_same_tag = same.iter().any(|g| g.tag == f.tag);
        let repeatable = *repeats && matches!(f.tag.as_str(), "13C" | "23E" | "71F");
        if seen_same_tag && !repeatable {
            return Err(error(
                f.name(),
                ErrorKind::Invalid,
                format!("(line {}) appears more than once", f.line),
            ));
        }
        // The options of a party field are alternatives: one :56a:, not a :56A: and a :56D:.
        let alternatives = matches!(
            base,
            "50" | "51" | "52" | "53" | "54" | "55" | "56" | "57" | "59"
        );
        if alternatives && !same.is_empty() && !seen_same_tag {
            return Err(error(
                f.name(),
                ErrorKind::Invalid,
                format!(
                    "(line {}) repeats :{base}a: with another option; a party field appears once",
                    f.line
                ),
            ));
        }
        same.push(f);
    }
    for (base, options, _, mandatory) in FIELDS {
        if *mandatory && !by_base.contains_key(*base) {
            let alts = options
                .iter()
                .map(|o| format!(":{base}{o}:"))
                .collect::<Vec<_>>()
                .join(" or ");
            return Err(error(
                alts,
                ErrorKind::Missing,
                "mandatory field is missing",
            ));
        }
    }
    if !fields.iter().any(|f| f.tag == "23B") {
        return Err(error(
            ":23B:",
            ErrorKind::Missing,
            "mandatory field is missing",
        ));
    }
    if !fields.iter().any(|f| f.tag == "71A") {
        return Err(error(
            ":71A:",
            ErrorKind::Missing,
            "mandatory field is missing",
        ));
    }
    // Group by full tag for the single-value getters, by base for the rest.
    let mut out: BTreeMap<String, Vec<&Field>> = BTreeMap::new();
    for f in fields {
        out.entry(f.tag[..2].to_string()).or_default().push(f);
        if f.tag.len() == 3 {
            out.entry(f.tag.clone()).or_default().push(f);
        }
    }
    Ok(out)
}

fn crate_parse<T: SwiftField>(f: &Field) -> Result<T> {
    T::parse(&f.value).map_err(|e| error(f.name(), ErrorKind::Invalid, e.to_string()))
}

/// Run swift-mt-message's parser for the field, for its format checks.
fn crate_check(f: &Field) -> Result<()> {
    match f.tag.as_str() {
        "20" => crate_parse::<mt::Field20>(f).map(drop),
        "13C" => crate_parse::<mt::Field13C>(f).map(drop),
        "23B" => crate_parse::<mt::Field23B>(f).map(drop),
        "23E" => crate_parse::<mt::Field23E>(f).map(drop),
        "26T" => crate_parse::<mt::Field26T>(f).map(drop),
        "32A" => crate_parse::<mt::Field32A>(f).map(drop),
        "33B" => crate_parse::<mt::Field33B>(f).map(drop),
        "36" => crate_parse::<mt::Field36>(f).map(drop),
        "50A" => crate_parse::<mt::Field50A>(f).map(drop),
        "50F" => crate_parse::<mt::Field50F>(f).map(drop),
        "50K" => crate_parse::<mt::Field50K>(f).map(drop),
        "51A" => crate_parse::<mt::Field51A>(f).map(drop),
        "52A" => crate_parse::<mt::Field52A>(f).map(drop),
        "52D" => crate_parse::<mt::Field52D>(f).map(drop),
        "53A" => crate_parse::<mt::Field53A>(f).map(drop),
        "53B" => crate_parse::<mt::Field53B>(f).map(drop),
        "53D" => crate_parse::<mt::Field53D>(f).map(drop),
        "54A" => crate_parse::<mt::Field54A>(f).map(drop),
        "54B" => crate_parse::<mt::Field54B>(f).map(drop),
        "54D" => crate_parse::<mt::Field54D>(f).map(drop),
        "55A" => crate_parse::<mt::Field55A>(f).map(drop),
        "55B" => crate_parse::<mt::Field55B>(f).map(drop),
        "55D" => crate_parse::<mt::Field55D>(f).map(drop),
        "56A" => crate_parse::<mt::Field56A>(f).map(drop),
        "56C" => crate_parse::<mt::Field56C>(f).map(drop),
        "56D" => crate_parse::<mt::Field56D>(f).map(drop),
        "57A" => crate_parse::<mt::Field57A>(f).map(drop),
        "57B" => crate_parse::<mt::Field57B>(f).map(drop),
        "57C" => crate_parse::<mt::Field57C>(f).map(drop),
        "57D" => crate_parse::<mt::Field57D>(f).map(drop),
        "59" => crate_parse::<mt::Field59NoOption>(f).map(drop),
        "59A" => crate_parse::<mt::Field59A>(f).map(drop),
        "70" => crate_parse::<mt::Field70>(f).map(drop),
        "71A" => crate_parse::<mt::Field71A>(f).map(drop),
        "71F" => crate_parse::<mt::Field71F>(f).map(drop),
        "71G" => crate_parse::<mt::Field71G>(f).map(drop),
        "72" => crate_parse::<mt::Field72>(f).map(drop),
        "77B" => crate_parse::<mt::Field77B>(f).map(drop),
        "77T" => crate_parse::<mt::Field77T>(f).map(drop),
        // 59F: the crate refuses repeated line numbers, which SWIFT allows; parsed below.
        _ => Ok(()),
    }
}

/// `:32A:210301USD75000,00` → value date and exact amount.
fn field_32a(f: &Field) -> Result<(NaiveDate, Money)> {
    let v = f.value.trim();
    let date = v
        .get(..6)
        .and_then(|d| NaiveDate::parse_from_str(d, "%y%m%d").ok())
        .ok_or_else(|| {
            error(
                f.name(),
                ErrorKind::Invalid,
                format!("{v:?}: the value date (YYMMDD) is not a date"),
            )
        })?;
    Ok((date, currency_amount(f, 6)?))
}

/// Currency and amount starting at byte `at` of the field (`USD75000,00`).
fn currency_amount(f: &Field, at: usize) -> Result<Money> {
    let v = f.value.trim();
    let ccy = v
        .get(at..at + 3)
        .ok_or_else(|| error(f.name(), ErrorKind::Invalid, format!("{v:?}: no currency")))?;
    let currency: Currency = ccy
        .parse()
        .map_err(|r: String| error(f.name(), ErrorKind::Invalid, r))?;
    let amount = v.get(at + 3..).unwrap_or("");
    let value = Amount::parse_with(amount, ',')
        .map_err(|r| error(f.name(), ErrorKind::Invalid, format!("amount {r}")))?;
    Ok(Money { value, currency })
}

fn as_of(
    by_tag: &BTreeMap<String, Vec<&Field>>,
    value_date: NaiveDate,
    header: Option<(NaiveDate, NaiveTime)>,
    default_zone: Option<Tz>,
) -> Result<(AsOf, String)> {
    let indications: Vec<&Field> = by_tag.get("13C").cloned().unwrap_or_default();
    let chosen = indications
        .iter()
        .find(|f| f.value.starts_with("/SNDTIME/"))
        .or_else(|| indications.first());
    if let Some(f) = chosen {
        // /CODE/HHMM±HHMM
        let parts: Vec<&str> = f.value.trim().split('/').collect();
        let (code, rest) = match parts.as_slice() {
            ["", code, rest] => (*code, *rest),
            _ => {
                return Err(error(
                    f.name(),
                    ErrorKind::Invalid,
                    format!("{:?} is not /CODE/HHMM±HHMM", f.value),
                ));
            }
        };
        let time = rest
            .get(..4)
            .and_then(|t| NaiveTime::parse_from_str(t, "%H%M").ok());
        let offset = rest.get(4..).and_then(|o| {
            let sign = match o.get(..1)? {
                "+" => 1,
                "-" => -1,
                _ => return None,
            };
            let h: i32 = o.get(1..3)?.parse().ok()?;
            let m: i32 = o.get(3..5)?.parse().ok()?;
            if o.len() != 5 || h > 14 || m > 59 {
                return None;
            }
            FixedOffset::east_opt(sign * (h * 3600 + m * 60))
        });
        let (Some(time), Some(offset)) = (time, offset) else {
            return Err(error(
                f.name(),
                ErrorKind::Invalid,
                format!(
                    "{:?}: time HHMM and offset ±HHMM expected after /{code}/",
                    f.value
                ),
            ));
        };
        let as_of = AsOf::new(
            value_date.and_time(time),
            Zone::Offset(offset),
            Some(offset),
        )
        .map_err(|r| error(f.name(), ErrorKind::Invalid, r))?;
        return Ok((as_of, format!(":32A: value date + :13C:/{code}/")));
    }
    let (local, field, what) = match header {
        Some((d, t)) => (d.and_time(t), "{2:}", "{2:} input date and time"),
        None => (
            value_date.and_time(NaiveTime::MIN),
            ":32A:",
            ":32A: value date, 00:00",
        ),
    };
    let Some(tz) = default_zone else {
        return Err(error(
            field,
            ErrorKind::NoTimeZone,
            format!(
                "{} gives {} without a time zone and there is no :13C: time indication; pass a default zone",
                what,
                local.format("%Y-%m-%d %H:%M")
            ),
        ));
    };
    let as_of =
        AsOf::new(local, Zone::Iana(tz), None).map_err(|r| error(field, ErrorKind::Invalid, r))?;
    Ok((as_of, format!("{what} in the default zone {}", tz.name())))
}

/// `/PURP/MDCS` in `:70:`.
fn purpose_code(text: &str) -> Option<String> {
    let rest = text.split("/PURP/").nth(1)?;
    let code: String = rest
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric())
        .collect();
    (!code.is_empty()).then_some(code)
}

/// An account or clearing code from a party-identifier line (`/BY89…`, `/C/12345`, `//FW021000018`).
fn apply_party_identifier(line: &str, f: &Field, party: &mut Party) -> Result<()> {
    let Some(rest) = line.strip_prefix('/') else {
        return Ok(());
    };
    if let Some(code) = rest.strip_prefix('/') {
        let code = code.trim();
        if !code.is_empty() {
            party.identifiers.push(Identifier {
                kind: "clearing_code".into(),
                number: code.to_string(),
                country: None,
            });
        }
        return Ok(());
    }
    let account = rest
        .strip_prefix("C/")
        .or_else(|| rest.strip_prefix("D/"))
        .unwrap_or(rest)
        .trim();
    if account.is_empty() {
        return Err(error(
            f.name(),
            ErrorKind::Invalid,
            "the account line is empty",
        ));
    }
    party.account = Some(account_of(account, f)?);
    Ok(())
}

/// An IBAN-shaped account is validated as one; anything else is another account number.
fn account_of(account: &str, f: &Field) -> Result<Account> {
    if Iban::looks_like_iban(account) {
        let iban: Iban = account
            .parse()
            .map_err(|r: String| error(f.name(), ErrorKind::Invalid, r))?;
        Ok(Account::Iban(iban))
    } else {
        Ok(Account::Other(OtherAccount {
            id: account.to_string(),
            scheme: None,
        }))
    }
}

fn parse_bic(line: &str, f: &Field) -> Result<Bic> {
    line.trim()
        .parse()
        .map_err(|r: String| error(f.name(), ErrorKind::Invalid, r))
}

/// The country of a free-format address, when its last line ends with a country code or name.
fn country_from_lines(lines: &[String]) -> Option<CountryCode> {
    let last = lines.last()?.trim();
    if let Ok(cc) = last.parse::<CountryCode>() {
        return Some(cc);
    }
    let token = last.rsplit([' ', ',', '/']).next()?;
    if token.len() == 2 {
        CountryCode::from_iso2(token).ok()
    } else if token.len() >= 4 {
        token.parse().ok()
    } else {
        None
    }
}

fn read_party(f: &Field, role: PartyRole) -> Result<Party> {
    let mut party = Party::new(role, f.name());
    let lines = f.lines();
    let option = &f.tag[2..];
    let is_agent = !matches!(&f.tag[..2], "50" | "59");
    if is_agent {
        party.schema = PartySchema::Organisation;
    }
    match (&f.tag[..2], option) {
        ("50", "F") => read_50f(f, &lines, &mut party)?,
        ("59", "F") => read_59f(f, &lines, &mut party)?,
        (_, "A") => {
            let (id, bic) = match lines.as_slice() {
                [bic] => (None, *bic),
                [id, bic] => (Some(*id), *bic),
                _ => {
                    return Err(error(
                        f.name(),
                        ErrorKind::Invalid,
                        "option A is [/account] and a BIC, on at most two lines",
                    ));
                }
            };
            if let Some(id) = id {
                apply_party_identifier(id, f, &mut party)?;
            }
            party.bic = Some(parse_bic(bic, f)?);
            party.schema = PartySchema::Organisation;
        }
        (_, "B" | "C") => {
            for line in &lines {
                if line.starts_with('/') {
                    apply_party_identifier(line, f, &mut party)?;
                } else if !line.trim().is_empty() {
                    party.address.push(line.trim().to_string());
                }
            }
        }
        // D options, 50K and 59 without letter: [/account] then name and address lines.
        _ => {
            let mut rest = lines.as_slice();
            if let Some(first) = rest.first()
                && first.starts_with('/')
            {
                apply_party_identifier(first, f, &mut party)?;
                rest = &rest[1..];
            }
            let mut text = rest
                .iter()
                .map(|l| l.trim().to_string())
                .filter(|l| !l.is_empty());
            match text.next() {
                Some(name) => party.names.push(name),
                None if role == PartyRole::Creditor || role == PartyRole::Debtor => {
                    return Err(error(
                        f.name(),
                        ErrorKind::Missing,
                        "no name line after the account",
                    ));
                }
                None => {}
            }
            party.address = text.collect();
            if let Some(cc) = country_from_lines(&party.address) {
                party.country = Some(cc);
                party.country_from = Some(CountrySource::Stated);
            }
        }
    }
    if !party.is_identifiable() {
        return Err(error(
            f.name(),
            ErrorKind::Missing,
            "the field names no one: no name, BIC, account or identifier",
        ));
    }
    Ok(party)
}

/// Split `n/text` numbered lines, checking numbers are in `allowed` and in order.
fn numbered<'a>(
    f: &Field,
    lines: &[&'a str],
    first_line: usize,
    allowed: std::ops::RangeInclusive<u8>,
    meaning: &str,
) -> Result<Vec<(u8, &'a str, usize)>> {
    let mut out = Vec::new();
    let mut last = 0u8;
    for (i, line) in lines.iter().enumerate() {
        let n = first_line + i;
        let b = line.as_bytes();
        let number = b.first().filter(|c| c.is_ascii_digit()).map(|c| c - b'0');
        let (Some(number), Some(b'/')) = (number, b.get(1)) else {
            return Err(error(
                f.name(),
                ErrorKind::Invalid,
                format!("line {n}: {line:?} must start with a line number and '/' ({meaning})"),
            ));
        };
        if !allowed.contains(&number) {
            return Err(error(
                f.name(),
                ErrorKind::Invalid,
                format!("line {n}: line number {number} is not allowed ({meaning})"),
            ));
        }
        if number < last {
            return Err(error(
                f.name(),
                ErrorKind::Invalid,
                format!(
                    "line {n}: line number {number} comes after {last}; numbers must be in order"
                ),
            ));
        }
        last = number;
        let text = &line[2..];
        if text.trim().is_empty() {
            return Err(error(
                f.name(),
                ErrorKind::Invalid,
                format!("line {n}: {number}/ has no text"),
            ));
        }
        if text.len() > 33 {
            return Err(error(
                f.name(),
                ErrorKind::Invalid,
                format!("line {n}: more than 33 characters after {number}/"),
            ));
        }
        out.push((number, text, n));
    }
    if out.len() > 4 {
        return Err(error(
            f.name(),
            ErrorKind::Invalid,
            format!("{} numbered lines; at most 4", out.len()),
        ));
    }
    Ok(out)
}

/// `CC/TOWN` of a 3/ or 5/ line.
fn country_town<'a>(f: &Field, text: &'a str, n: usize) -> Result<(CountryCode, &'a str)> {
    let (cc, town) = text.split_once('/').unwrap_or((text, ""));
    let cc = CountryCode::from_iso2(cc).map_err(|r| {
        error(
            f.name(),
            ErrorKind::Invalid,
            format!("line {n}: {text:?}: {r}"),
        )
    })?;
    Ok((cc, town.trim()))
}

/// 59F: `[/account]`, then `1/` name (may repeat), `2/` address, `3/` country and town.
fn read_59f(f: &Field, lines: &[&str], party: &mut Party) -> Result<()> {
    let mut rest = lines;
    let mut first_line = 1;
    if let Some(first) = rest.first()
        && first.starts_with('/')
    {
        apply_party_identifier(first, f, party)?;
        rest = &rest[1..];
        first_line = 2;
    }
    let mut name = Vec::new();
    let mut town_seen = false;
    for (number, text, n) in numbered(
        f,
        rest,
        first_line,
        1..=3,
        "1/ name, 2/ address, 3/ country/town",
    )? {
        match number {
            1 => name.push(text.trim()),
            2 => party.address.push(text.trim().to_string()),
            _ if !town_seen => {
                let (cc, town) = country_town(f, text, n)?;
                party.country = Some(cc);
                party.country_from = Some(CountrySource::Stated);
                if !town.is_empty() {
                    party.town = Some(town.to_string());
                    party.address.push(town.to_string());
                }
                town_seen = true;
            }
            _ => party.address.push(text.trim().to_string()),
        }
    }
    if name.is_empty() {
        return Err(error(f.name(), ErrorKind::Missing, "no 1/ name line"));
    }
    party.names.push(name.join(" "));
    Ok(())
}

/// 50F: party identifier (`/account` or `CODE/CC/ID`), then `1/` name, `2/` address,
/// `3/` country and town, `4/` date of birth, `5/` place of birth, `6/` customer number,
/// `7/` national identity number, `8/` continuation of 6/ or 7/.
fn read_50f(f: &Field, lines: &[&str], party: &mut Party) -> Result<()> {
    let Some((first, rest)) = lines.split_first() else {
        return Err(error(
            f.name(),
            ErrorKind::Missing,
            "no party identifier line",
        ));
    };
    if first.starts_with('/') {
        apply_party_identifier(first, f, party)?;
    } else {
        let parts: Vec<&str> = first.splitn(3, '/').collect();
        let [code, cc, id] = parts.as_slice() else {
            return Err(error(
                f.name(),
                ErrorKind::Invalid,
                format!("line 1: {first:?} is neither /account nor CODE/CC/identifier"),
            ));
        };
        if ![
            "ARNU", "CCPT", "CUST", "DRLC", "EMPL", "NIDN", "SOSE", "TXID",
        ]
        .contains(code)
        {
            return Err(error(
                f.name(),
                ErrorKind::Invalid,
                format!(
                    "line 1: {code:?} is not a 50F identifier code (ARNU, CCPT, CUST, DRLC, EMPL, NIDN, SOSE, TXID)"
                ),
            ));
        }
        let country = CountryCode::from_iso2(cc)
            .map_err(|r| error(f.name(), ErrorKind::Invalid, format!("line 1: {r}")))?;
        let kind = match *code {
            "CCPT" => "passport",
            "NIDN" => "national_id",
            "TXID" => "tax_id",
            "DRLC" => "driving_licence",
            "SOSE" => "social_security",
            "ARNU" => "alien_registration",
            "CUST" => "customer_number",
            _ => "employer_number",
        };
        if matches!(*code, "CCPT" | "NIDN" | "DRLC" | "SOSE" | "ARNU") {
            party.schema = PartySchema::Person;
        }
        party.identifiers.push(Identifier {
            kind: kind.into(),
            number: id.trim().to_string(),
            country: Some(country),
        });
    }
    let mut name = Vec::new();
    let mut town_seen = false;
    let meaning = "1/ name, 2/ address, 3/ country/town, 4/ birth date, 5/ birth place, 6/ customer id, 7/ national id, 8/ more";
    for (number, text, n) in numbered(f, rest, 2, 1..=8, meaning)? {
        let text = text.trim();
        match number {
            1 => name.push(text),
            2 => party.address.push(text.to_string()),
            3 if !town_seen => {
                let (cc, town) = country_town(f, text, n)?;
                party.country = Some(cc);
                party.country_from = Some(CountrySource::Stated);
                if !town.is_empty() {
                    party.town = Some(town.to_string());
                    party.address.push(town.to_string());
                }
                town_seen = true;
            }
            3 => party.address.push(text.to_string()),
            4 => {
                let date = NaiveDate::parse_from_str(text, "%Y%m%d").map_err(|_| {
                    error(
                        f.name(),
                        ErrorKind::Invalid,
                        format!("line {n}: 4/{text}: the date of birth is not YYYYMMDD"),
                    )
                })?;
                use chrono::Datelike;
                party.birth_date =
                    PartialDate::ymd(date.year(), date.month() as u8, date.day() as u8);
                party.schema = PartySchema::Person;
            }
            5 => {
                let (cc, place) = country_town(f, text, n)?;
                let country = cc.name().unwrap_or(cc.as_str()).to_string();
                party.birth_place = Some(if place.is_empty() {
                    country
                } else {
                    format!("{place}, {country}")
                });
                party.schema = PartySchema::Person;
            }
            6 => {
                let parts: Vec<&str> = text.splitn(3, '/').collect();
                let [cc, _issuer, id] = parts.as_slice() else {
                    return Err(error(
                        f.name(),
                        ErrorKind::Invalid,
                        format!("line {n}: 6/{text} is not CC/issuer/customer-number"),
                    ));
                };
                let country = CountryCode::from_iso2(cc)
                    .map_err(|r| error(f.name(), ErrorKind::Invalid, format!("line {n}: {r}")))?;
                party.identifiers.push(Identifier {
                    kind: "customer_number".into(),
                    number: id.to_string(),
                    country: Some(country),
                });
            }
            7 => {
                let (cc, id) = text.split_once('/').ok_or_else(|| {
                    error(
                        f.name(),
                        ErrorKind::Invalid,
                        format!("line {n}: 7/{text} is not CC/national-id"),
                    )
                })?;
                let country = CountryCode::from_iso2(cc)
                    .map_err(|r| error(f.name(), ErrorKind::Invalid, format!("line {n}: {r}")))?;
                party.identifiers.push(Identifier {
                    kind: "national_id".into(),
                    number: id.to_string(),
                    country: Some(country),
                });
                party.schema = PartySchema::Person;
            }
            _ => match party.identifiers.last_mut() {
                Some(id) => id.number.push_str(text),
                None => name.push(text),
            },
        }
    }
    if name.is_empty() {
        return Err(error(f.name(), ErrorKind::Missing, "no 1/ name line"));
    }
    party.names.push(name.join(" "));
    Ok(())
}
