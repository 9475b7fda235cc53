//! The dealings a sanctions decision is asked about, read from their wire formats into one
//! validated shape.
//!
//! A decision (capability C5) is always about something someone wants to do: pay NAFTAN OAO on
//! 2021-03-01 at 10:00 in New York, import tyres made by BELSHINA OAO, buy a bond of the
//! Ministry of Finance, let a member of the Central Election Commission travel. This crate turns
//! each of those inputs into a [`Dealing`]:
//!
//! - its [`DealingKind`] (payment, trade declaration, securities order, travel application,
//!   generic dealing), reference and [`AsOf`] date-time **with its time zone**, and the
//!   optional [`Perspective`] (US, EU, UK);
//! - every [`Party`] with its [`PartyRole`], names, BIC, account, address, country, birth date,
//!   nationalities, identifiers and the **source field** it was read from;
//! - amounts as exact decimals, the free [`texts`](Dealing::texts) to screen (remittance
//!   information, instructions), contract date, purpose, and the details of trade (goods codes,
//!   origin, shipment), securities (ISIN, issuer, kind, issue and maturity dates, side) and
//!   travel (dates, destination).
//!
//! Readers:
//! - [`read_pacs008`] — ISO 20022 pacs.008.001.08/.10/.13, bare or in an `AppHdr` envelope,
//!   schema-checked with `mx20022`;
//! - [`read_mt103`] — SWIFT MT103, fields checked with `swift-mt-message`;
//! - [`read_json`] — the JSON form, which is the serde shape of [`Dealing`] itself and the
//!   body of `POST /v1/decisions`;
//! - [`read`] — sniffs which of the three it is given.
//!
//! Every error names the format, the exact field and the reason
//! (`pacs.008 Document/FIToFICstmrCdtTrf/CdtTrfTxInf[0]/CdtrAgt/FinInstnId/BICFI: "DEUTDEFFXX"
//! is not a BIC (8 or 11 characters, found 10)`). A party element that is present but cannot be
//! read is an error, never an omission; so is an element the schema does not know.
//!
//! ```
//! use interdict_dealings::{read, PartyRole};
//! let json = br#"{
//!   "kind": "payment",
//!   "reference": "NAFTAN-2021-03-01",
//!   "as_of": "2021-03-01T10:00:00[America/New_York]",
//!   "amount": {"value": "75000.00", "currency": "USD"},
//!   "parties": [
//!     {"role": "creditor", "names": ["NAFTAN OAO"], "schema": "organisation",
//!      "account": {"iban": "BY89AKBB30120000418190000000"}, "town": "Novopolotsk"}
//!   ]
//! }"#;
//! let dealing = read(json, None, None).unwrap();
//! let creditor = dealing.parties_with_role(PartyRole::Creditor).next().unwrap();
//! assert_eq!(creditor.country.as_ref().unwrap().as_str(), "by"); // from the IBAN
//! assert_eq!(dealing.as_of.utc().to_rfc3339(), "2021-03-01T15:00:00+00:00");
//!
//! let err = read(br#"{"kind": "payment", "reference": "x", "as_of": "2021-03-01T10:00:00"}"#, None, None)
//!     .unwrap_err();
//! assert_eq!(err.kind, interdict_dealings::ErrorKind::NoTimeZone);
//! ```
//!
//! What this crate does not do: screen names, decide, apply licences or ownership, store
//! anything or speak HTTP. It knows no list and no rule; it only makes sure the decision engine
//! is given everything the input says, validated and with its provenance.

pub mod codes;
pub mod dealing;
pub mod error;
pub mod json;
pub mod mt103;
pub mod pacs008;
pub mod time;
mod xml;

pub use chrono_tz::Tz;
pub use codes::{Amount, Bic, CountryCode, Currency, GoodsCode, Iban, Isin};
pub use dealing::{
    Account, CountrySource, Dealing, DealingKind, FreeText, GoodsLine, Identifier, Instrument,
    InstrumentKind, Money, OtherAccount, Party, PartyRole, PartySchema, Perspective, Purpose,
    PurposeCategory, Quantity, SecuritiesOrder, Side, SourceInfo, TextKind, Trade, TradeDirection,
    TravelApplication,
};
pub use error::{DealingError, ErrorKind, InputFormat};
pub use json::{read_json, to_json};
pub use mt103::read_mt103;
pub use pacs008::{read_pacs008, read_pacs008_all};
pub use time::{AsOf, Zone};

/// Tell the format from the first bytes: an XML declaration or element → pacs.008; `{1:`,
/// `{4:` or `:20:` → MT103; `{` → JSON.
pub fn sniff(bytes: &[u8]) -> Option<InputFormat> {
    let text = String::from_utf8_lossy(&bytes[..bytes.len().min(64)]);
    let start = text.trim_start_matches('\u{feff}').trim_start();
    if start.starts_with('<') {
        Some(InputFormat::Pacs008)
    } else if start.starts_with("{1:")
        || start.starts_with("{2:")
        || start.starts_with("{4:")
        || start.starts_with(":20:")
    {
        Some(InputFormat::Mt103)
    } else if start.starts_with('{') {
        Some(InputFormat::Json)
    } else {
        None
    }
}

/// Read one dealing, in the format given by `hint` or else sniffed from the bytes.
///
/// `default_zone` applies to a date-time given without zone or offset (a pacs.008 `CreDtTm`
/// without offset, an MT103 without `:13C:`, a JSON `as_of` without zone); without it, such
/// an input is an error of kind [`ErrorKind::NoTimeZone`]. A pacs.008 with several transactions
/// is refused here; [`read_all`] returns one dealing per transaction.
pub fn read(
    bytes: &[u8],
    hint: Option<InputFormat>,
    default_zone: Option<Tz>,
) -> Result<Dealing, DealingError> {
    match format_of(bytes, hint)? {
        InputFormat::Pacs008 => read_pacs008(bytes, default_zone),
        InputFormat::Mt103 => read_mt103(bytes, default_zone),
        InputFormat::Json => read_json(bytes, default_zone),
    }
}

/// Read every dealing an input carries: one per pacs.008 transaction, one for MT103 and JSON.
pub fn read_all(
    bytes: &[u8],
    hint: Option<InputFormat>,
    default_zone: Option<Tz>,
) -> Result<Vec<Dealing>, DealingError> {
    match format_of(bytes, hint)? {
        InputFormat::Pacs008 => read_pacs008_all(bytes, default_zone),
        InputFormat::Mt103 => read_mt103(bytes, default_zone).map(|d| vec![d]),
        InputFormat::Json => read_json(bytes, default_zone).map(|d| vec![d]),
    }
}

fn format_of(bytes: &[u8], hint: Option<InputFormat>) -> Result<InputFormat, DealingError> {
    hint.or_else(|| sniff(bytes)).ok_or_else(|| {
        DealingError::unknown_format(
            "not XML (pacs.008), SWIFT FIN ({1: or :20:, MT103) or JSON ({); pass the format explicitly",
        )
    })
}
