//! Why an input could not become a [`Dealing`](crate::Dealing): always with the format, the
//! exact field and the reason, so that an analyst can fix the message rather than guess.

use std::fmt;

use serde::{Deserialize, Serialize};

/// The wire formats a dealing is read from.
///
/// Named in every error so that "field `:59:`" or "field `CdtTrfTxInf[0]/Cdtr`" is read against
/// the right standard.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InputFormat {
    /// ISO 20022 FI-to-FI customer credit transfer (`pacs.008.001.08`, `.10`, `.13`), bare or
    /// inside a business-message envelope with its `AppHdr`.
    Pacs008,
    /// SWIFT MT103 single customer credit transfer, with or without its header blocks.
    Mt103,
    /// The interdict JSON form of a [`Dealing`](crate::Dealing), the body of
    /// `POST /v1/decisions`.
    Json,
}

impl InputFormat {
    /// The name used in error messages and on the command line.
    pub fn name(self) -> &'static str {
        match self {
            InputFormat::Pacs008 => "pacs.008",
            InputFormat::Mt103 => "MT103",
            InputFormat::Json => "JSON",
        }
    }

    /// Parse a command-line format name (`pacs008`, `pacs.008`, `mt103`, `json`).
    pub fn from_name(name: &str) -> Option<InputFormat> {
        match name
            .to_ascii_lowercase()
            .replace(['.', '_', '-'], "")
            .as_str()
        {
            "pacs008" | "iso20022" | "mx" => Some(InputFormat::Pacs008),
            "mt103" | "mt" | "swift" => Some(InputFormat::Mt103),
            "json" => Some(InputFormat::Json),
            _ => None,
        }
    }
}

impl fmt::Display for InputFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// What kind of problem a [`DealingError`] reports, for callers that react differently to,
/// say, a missing time zone (ask the user for one) and a bad check digit (reject the message).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ErrorKind {
    /// The bytes are not well-formed XML, JSON or SWIFT FIN at all.
    Syntax,
    /// A mandatory field or element is absent.
    Missing,
    /// A field is present but its value is wrong (bad BIC, IBAN or ISIN check digit, unknown
    /// country, impossible date, …).
    Invalid,
    /// A field the format does not define: a typo, or data we would otherwise silently drop.
    Unknown,
    /// A date-time has no time zone and no default zone was given.
    NoTimeZone,
    /// The message is of a type or version this crate does not read.
    Unsupported,
}

/// An input that could not be read into a [`Dealing`](crate::Dealing).
///
/// Displays as `<format> <field>: <reason>`, e.g.
/// `pacs.008 Document/FIToFICstmrCdtTrf/CdtTrfTxInf[0]/CdtrAgt/FinInstnId/BICFI: "DEUTDEFFXX"
/// is not a BIC (8 or 11 characters, found 10)`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{format} {field}: {reason}")]
pub struct DealingError {
    /// The format being read, or `None` when the format itself could not be told.
    pub format: FormatLabel,
    /// The field path in the format's own terms (`Document/…/Cdtr/Nm`, `:59F:`, `parties[2].bic`);
    /// `(document)` when the problem is the input as a whole.
    pub field: String,
    /// What kind of problem this is.
    pub kind: ErrorKind,
    /// The reason, written for a person: what was found and what was expected.
    pub reason: String,
}

/// The format named at the start of an error message: a known [`InputFormat`] or "input" when
/// sniffing failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FormatLabel(pub Option<InputFormat>);

impl fmt::Display for FormatLabel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Some(format) => f.write_str(format.name()),
            None => f.write_str("input"),
        }
    }
}

impl DealingError {
    /// An error about one field of an input in a known format.
    pub fn new(
        format: InputFormat,
        field: impl Into<String>,
        kind: ErrorKind,
        reason: impl Into<String>,
    ) -> Self {
        DealingError {
            format: FormatLabel(Some(format)),
            field: field.into(),
            kind,
            reason: reason.into(),
        }
    }

    /// An input whose format could not be told from its first bytes.
    pub fn unknown_format(reason: impl Into<String>) -> Self {
        DealingError {
            format: FormatLabel(None),
            field: "(document)".to_string(),
            kind: ErrorKind::Unsupported,
            reason: reason.into(),
        }
    }

    /// The format the error is about, when known.
    pub fn format(&self) -> Option<InputFormat> {
        self.format.0
    }
}

/// Shorthand used by the readers.
pub(crate) type Result<T> = std::result::Result<T, DealingError>;
