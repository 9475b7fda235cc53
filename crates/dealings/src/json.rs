//! The JSON form of a dealing: the serde shape of [`Dealing`] itself, with every struct refusing
//! unknown fields, plus the checks serde cannot express (which sections a kind needs, that every
//! party can be screened, that dates are in order).
//!
//! Errors name the JSON path: `JSON parties[1].bic: "DEUTDEFFXX" is not a BIC (8 or 11
//! characters, found 10)`, `JSON parties[0].counterpary: unknown field …`.

use chrono_tz::Tz;

use crate::dealing::{Dealing, DealingKind, PartyRole, SourceInfo};
use crate::error::{DealingError, ErrorKind, InputFormat, Result};

const FORMAT: InputFormat = InputFormat::Json;

fn error(field: impl Into<String>, kind: ErrorKind, reason: impl Into<String>) -> DealingError {
    DealingError::new(FORMAT, field, kind, reason)
}

/// Read a dealing from its JSON form.
///
/// `default_zone` is applied to an `as_of` written without zone or offset; without it such an
/// `as_of` is an error of kind [`ErrorKind::NoTimeZone`].
pub fn read_json(bytes: &[u8], default_zone: Option<Tz>) -> Result<Dealing> {
    let text = std::str::from_utf8(bytes).map_err(|e| {
        error(
            "(document)",
            ErrorKind::Syntax,
            format!("not UTF-8 (byte {})", e.valid_up_to()),
        )
    })?;
    if !text
        .trim_start_matches('\u{feff}')
        .trim_start()
        .starts_with('{')
    {
        return Err(error(
            "(document)",
            ErrorKind::Invalid,
            "a dealing is a JSON object ({ … })",
        ));
    }
    let text = text.trim_start_matches('\u{feff}');
    let (result, default_used) = crate::time::with_default_zone(default_zone, || {
        let mut de = serde_json::Deserializer::from_str(text);
        let dealing: Dealing = serde_path_to_error::deserialize(&mut de).map_err(|e| {
            let path = e.path().to_string();
            json_error(&path, e.into_inner())
        })?;
        de.end().map_err(|e| json_error(".", e))?;
        Ok(dealing)
    });
    let mut dealing = result?;
    let as_of_field = match default_zone {
        Some(tz) if default_used => format!("as_of (default zone {})", tz.name()),
        _ => "as_of".to_string(),
    };
    validate(&mut dealing)?;
    if dealing.source.is_none() {
        dealing.source = Some(SourceInfo {
            format: FORMAT,
            message_type: None,
            as_of_field: Some(as_of_field),
        });
    }
    Ok(dealing)
}

fn json_error(path: &str, inner: serde_json::Error) -> DealingError {
    if inner.is_syntax() || inner.is_eof() {
        return error(
            format!("line {} column {}", inner.line(), inner.column()),
            ErrorKind::Syntax,
            format!("not well-formed JSON: {inner}"),
        );
    }
    // serde_json appends " at line L column C"; keep the reason, the path says where.
    let message = inner.to_string();
    let message = message
        .rsplit_once(" at line ")
        .map_or(message.as_str(), |(m, _)| m);
    serde_error(path, message)
}

/// Turn a serde message and path into a field and reason a person can act on.
fn serde_error(path: &str, message: &str) -> DealingError {
    let base = if path == "." {
        String::new()
    } else {
        path.to_string()
    };
    let join = |name: &str| {
        if base.is_empty() {
            name.to_string()
        } else {
            format!("{base}.{name}")
        }
    };
    let backticked = |m: &str| m.split('`').nth(1).map(str::to_string);
    if let Some(rest) = message.strip_prefix("missing field ") {
        let name = backticked(rest).unwrap_or_default();
        return error(join(&name), ErrorKind::Missing, "is required");
    }
    if message.starts_with("unknown field ") {
        let name = backticked(message).unwrap_or_default();
        let field = if base.ends_with(&name) {
            base.clone()
        } else {
            join(&name)
        };
        let expected = message
            .split_once(", expected ")
            .map(|(_, e)| e.to_string());
        let reason = match expected {
            Some(e) => format!("unknown field (a typo? expected {e})"),
            None => "unknown field".to_string(),
        };
        return error(field, ErrorKind::Unknown, reason);
    }
    let kind = if message.contains("has no time zone") {
        ErrorKind::NoTimeZone
    } else {
        ErrorKind::Invalid
    };
    let field = if base.is_empty() {
        "(document)".to_string()
    } else {
        base
    };
    error(field, kind, message.to_string())
}

/// The checks serde cannot express. Also normalises: trims names and fills each party's
/// country from its IBAN or BIC when none is stated, and its source with its JSON path.
pub fn validate(dealing: &mut Dealing) -> Result<()> {
    if dealing.reference.trim().is_empty() {
        return Err(error("reference", ErrorKind::Missing, "is empty"));
    }
    for (i, party) in dealing.parties.iter_mut().enumerate() {
        let at = format!("parties[{i}]");
        for (j, name) in party.names.iter_mut().enumerate() {
            let trimmed = name.trim();
            if trimmed.is_empty() {
                return Err(error(
                    format!("{at}.names[{j}]"),
                    ErrorKind::Invalid,
                    "is empty",
                ));
            }
            if trimmed.len() != name.len() {
                *name = trimmed.to_string();
            }
        }
        for (j, id) in party.identifiers.iter().enumerate() {
            if id.kind.trim().is_empty() {
                return Err(error(
                    format!("{at}.identifiers[{j}].type"),
                    ErrorKind::Invalid,
                    "is empty",
                ));
            }
            if id.number.trim().is_empty() {
                return Err(error(
                    format!("{at}.identifiers[{j}].number"),
                    ErrorKind::Invalid,
                    "is empty",
                ));
            }
        }
        if !party.is_identifiable() {
            return Err(error(
                at,
                ErrorKind::Missing,
                "a party needs a name, a BIC, an account or an identifier to be screened",
            ));
        }
        if party.source.is_none() {
            party.source = Some(format!("parties[{i}]"));
        }
        party.fill_country();
    }
    for (i, text) in dealing.texts.iter().enumerate() {
        if text.text.trim().is_empty() {
            return Err(error(
                format!("texts[{i}].text"),
                ErrorKind::Invalid,
                "is empty",
            ));
        }
    }
    let has_role = |role: PartyRole| dealing.parties.iter().any(|p| p.role == role);
    let kind_name = serde_json::to_value(dealing.kind)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default();
    if dealing.securities.is_some() && dealing.kind != DealingKind::SecuritiesOrder {
        return Err(error(
            "securities",
            ErrorKind::Invalid,
            format!("only a securities_order has this section, not a {kind_name}"),
        ));
    }
    if dealing.travel.is_some() && dealing.kind != DealingKind::TravelApplication {
        return Err(error(
            "travel",
            ErrorKind::Invalid,
            format!("only a travel_application has this section, not a {kind_name}"),
        ));
    }
    if dealing.trade.is_some()
        && matches!(
            dealing.kind,
            DealingKind::SecuritiesOrder | DealingKind::TravelApplication
        )
    {
        return Err(error(
            "trade",
            ErrorKind::Invalid,
            format!("a {kind_name} has no goods"),
        ));
    }
    if let Some(trade) = &dealing.trade {
        if trade.goods.is_empty() {
            return Err(error(
                "trade.goods",
                ErrorKind::Missing,
                "needs at least one goods line",
            ));
        }
        for (i, line) in trade.goods.iter().enumerate() {
            if line.description.trim().is_empty() {
                return Err(error(
                    format!("trade.goods[{i}].description"),
                    ErrorKind::Invalid,
                    "is empty",
                ));
            }
        }
    }
    match dealing.kind {
        DealingKind::Payment => {
            if dealing.amount.is_none() {
                return Err(error(
                    "amount",
                    ErrorKind::Missing,
                    "a payment needs an amount",
                ));
            }
            if !has_role(PartyRole::Creditor) {
                return Err(error(
                    "parties",
                    ErrorKind::Missing,
                    "a payment needs a party with role creditor",
                ));
            }
        }
        DealingKind::TradeDeclaration => {
            if dealing.trade.is_none() {
                return Err(error(
                    "trade",
                    ErrorKind::Missing,
                    "a trade_declaration needs its goods (trade section)",
                ));
            }
            if dealing.parties.is_empty() {
                return Err(error(
                    "parties",
                    ErrorKind::Missing,
                    "a trade_declaration names its importer, exporter or producer",
                ));
            }
        }
        DealingKind::SecuritiesOrder => {
            let Some(order) = &dealing.securities else {
                return Err(error(
                    "securities",
                    ErrorKind::Missing,
                    "a securities_order needs its instrument (securities section)",
                ));
            };
            let instrument = &order.instrument;
            if instrument.isin.is_none()
                && instrument
                    .description
                    .as_deref()
                    .is_none_or(|d| d.trim().is_empty())
            {
                return Err(error(
                    "securities.instrument",
                    ErrorKind::Missing,
                    "needs an isin or a description",
                ));
            }
            if let (Some(issue), Some(maturity)) = (instrument.issue_date, instrument.maturity_date)
                && maturity < issue
            {
                return Err(error(
                    "securities.instrument.maturity_date",
                    ErrorKind::Invalid,
                    format!("{maturity} is before the issue date {issue}"),
                ));
            }
            if let (Some(issue), Some(agreed)) =
                (instrument.issue_date, instrument.terms_agreed_date)
                && agreed > issue
            {
                return Err(error(
                    "securities.instrument.terms_agreed_date",
                    ErrorKind::Invalid,
                    format!("{agreed} is after the issue date {issue}"),
                ));
            }
            if !has_role(PartyRole::Issuer) {
                return Err(error(
                    "parties",
                    ErrorKind::Missing,
                    "a securities_order names the issuer (a party with role issuer)",
                ));
            }
        }
        DealingKind::TravelApplication => {
            if !has_role(PartyRole::Traveller) {
                return Err(error(
                    "parties",
                    ErrorKind::Missing,
                    "a travel_application names the applicant (a party with role traveller)",
                ));
            }
            if let Some(travel) = &dealing.travel
                && let (Some(from), Some(to)) = (travel.travel_from, travel.travel_to)
                && to < from
            {
                return Err(error(
                    "travel.travel_to",
                    ErrorKind::Invalid,
                    format!("{to} is before travel_from {from}"),
                ));
            }
        }
        DealingKind::Generic => {
            if dealing.parties.is_empty() {
                return Err(error(
                    "parties",
                    ErrorKind::Missing,
                    "a dealing names at least one party",
                ));
            }
        }
    }
    Ok(())
}

/// Write a dealing in its JSON form, pretty-printed: what [`read_json`] reads back to an equal
/// value.
pub fn to_json(dealing: &Dealing) -> String {
    serde_json::to_string_pretty(dealing)
        .unwrap_or_else(|e| format!("{{\"error\": {:?}}}", e.to_string()))
}
