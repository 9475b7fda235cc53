//! ISO 20022 `pacs.008` (FI-to-FI customer credit transfer), versions `.08`, `.10` and `.13`,
//! bare or inside a business-message envelope with its `AppHdr`.
//!
//! Two passes over one element tree:
//! 1. **Schema, by mx20022.** The `Document` is deserialised into mx20022's generated type for
//!    its version: a missing mandatory element (`Cdtr`, `DbtrAgt`, `@Ccy`), a repeated single
//!    element or a wrong structure is an error naming the element. The typed value is then
//!    written back and compared with the input, element path by element path: anything the
//!    typed model silently skipped (a misspelt `<Cdtor>`, an element of another version) is an
//!    error too, never an omission.
//! 2. **Extraction, from the tree.** Parties, agents, accounts, addresses, countries, amounts
//!    and texts are read from the same tree with their indexed paths, one code path for all
//!    versions, so that fields only later versions have (`CareOf`, `UnitNb`) are read as well.
//!    After the named parties, every remaining element that carries a name or a BIC (an
//!    authority in `RgltryRptg`, a garnishee in `Strd`, a `RmtLctnDtls` addressee) is read as a
//!    party with role `other`.
//!
//! Gaps in mx20022 0.3.2 handled here: `SplmtryData/Envlp` is `xs:any` but modelled as a string,
//! so a real envelope with elements fails to deserialise; it is cut out before the typed pass
//! and its text is kept as a [`TextKind::Supplementary`] text to screen. The `AppHdr` is read
//! from the tree (mx20022's `head` types are not needed for the two BICs it carries).

use std::collections::{BTreeMap, HashSet};

use chrono_tz::Tz;
use interdict_model::PartialDate;
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::codes::{Amount, Bic, CountryCode, Currency, Iban};
use crate::dealing::{
    Account, CountrySource, Dealing, DealingKind, FreeText, Identifier, Money, OtherAccount, Party,
    PartyRole, PartySchema, Purpose, PurposeCategory, SourceInfo, TextKind,
};
use crate::error::{DealingError, ErrorKind, InputFormat, Result};
use crate::time::{AsOf, AsOfError};
use crate::xml::{self, Element};

const FORMAT: InputFormat = InputFormat::Pacs008;
const NS_PREFIX: &str = "urn:iso:std:iso:20022:tech:xsd:";

fn error(field: impl Into<String>, kind: ErrorKind, reason: impl Into<String>) -> DealingError {
    DealingError::new(FORMAT, field, kind, reason)
}

/// Elements the schema lets repeat; their paths always carry an index, as the extracted
/// parties' and texts' paths do.
const REPEATABLE: &[&str] = &[
    "CdtTrfTxInf",
    "ChrgsInf",
    "InstrForCdtrAgt",
    "InstrForNxtAgt",
    "RgltryRptg",
    "Dtls",
    "Inf",
    "RltdRmtInf",
    "Ustrd",
    "Strd",
    "AddtlRmtInf",
    "RfrdDocInf",
    "SplmtryData",
];

fn is_supplementary(e: &Element) -> bool {
    e.name == "SplmtryData"
}

/// Read a pacs.008 that carries exactly one transaction (as CBPR+ requires).
pub fn read_pacs008(bytes: &[u8], default_zone: Option<Tz>) -> Result<Dealing> {
    let mut all = read_pacs008_all(bytes, default_zone)?;
    if all.len() != 1 {
        return Err(error(
            "Document/FIToFICstmrCdtTrf",
            ErrorKind::Unsupported,
            format!(
                "carries {} transactions (CdtTrfTxInf); a decision is about one dealing: use read_all",
                all.len()
            ),
        ));
    }
    Ok(all.remove(0))
}

/// Read every transaction of a pacs.008, one [`Dealing`] per `CdtTrfTxInf`, each with the
/// group-level agents.
pub fn read_pacs008_all(bytes: &[u8], default_zone: Option<Tz>) -> Result<Vec<Dealing>> {
    let text = std::str::from_utf8(bytes).map_err(|e| {
        error(
            "(document)",
            ErrorKind::Syntax,
            format!(
                "not UTF-8 (byte {}); ISO 20022 messages are UTF-8",
                e.valid_up_to()
            ),
        )
    })?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let root = xml::parse(text).map_err(|e| {
        error(
            format!("line {}", e.line),
            ErrorKind::Syntax,
            format!("not well-formed XML: {}", e.reason),
        )
    })?;
    let document = if root.name == "Document" {
        &root
    } else {
        root.find("Document").ok_or_else(|| {
            error(
                "(document)",
                ErrorKind::Unsupported,
                format!(
                    "no ISO 20022 Document element (the root is <{}>)",
                    root.name
                ),
            )
        })?
    };
    let app_hdr = if root.name == "Document" {
        None
    } else {
        root.find("AppHdr")
    };
    let namespace = document.namespace.as_deref().ok_or_else(|| {
        error(
            "Document/@xmlns",
            ErrorKind::Missing,
            "no namespace: the message type and version cannot be told",
        )
    })?;
    let message_type = namespace.strip_prefix(NS_PREFIX).ok_or_else(|| {
        error(
            "Document/@xmlns",
            ErrorKind::Unsupported,
            format!("{namespace:?} is not an ISO 20022 namespace"),
        )
    })?;
    if !message_type.starts_with("pacs.008.") {
        return Err(error(
            "Document/@xmlns",
            ErrorKind::Unsupported,
            format!("the message is {message_type}; only pacs.008 is read here"),
        ));
    }
    let mut clean = String::new();
    document.to_xml(&mut clean, &is_supplementary);
    match message_type {
        "pacs.008.001.08" => schema_check::<
            mx20022_model::generated::pacs::pacs_008_001_08::Document,
        >(&clean, document, message_type)?,
        "pacs.008.001.10" => schema_check::<
            mx20022_model::generated::pacs::pacs_008_001_10::Document,
        >(&clean, document, message_type)?,
        "pacs.008.001.13" => schema_check::<
            mx20022_model::generated::pacs::pacs_008_001_13::Document,
        >(&clean, document, message_type)?,
        other => {
            return Err(error(
                "Document/@xmlns",
                ErrorKind::Unsupported,
                format!("{other} is not supported (supported: pacs.008.001.08, .10, .13)"),
            ));
        }
    }
    if let Some(hdr) = app_hdr
        && let Some(def) = hdr.child_text("MsgDefIdr")
        && def != message_type
    {
        return Err(error(
            "AppHdr/MsgDefIdr",
            ErrorKind::Invalid,
            format!("says {def:?} but the Document is {message_type}"),
        ));
    }
    let transfer = document.child("FIToFICstmrCdtTrf").ok_or_else(|| {
        error(
            "Document/FIToFICstmrCdtTrf",
            ErrorKind::Missing,
            "mandatory element is missing",
        )
    })?;
    let transactions: Vec<&Element> = transfer.children_named("CdtTrfTxInf").collect();
    if transactions.is_empty() {
        return Err(error(
            "Document/FIToFICstmrCdtTrf/CdtTrfTxInf",
            ErrorKind::Missing,
            "the message carries no transaction",
        ));
    }
    let mut dealings = Vec::with_capacity(transactions.len());
    for (i, tx) in transactions.into_iter().enumerate() {
        let mut reader = TxReader {
            consumed: HashSet::new(),
            parties: Vec::new(),
            texts: Vec::new(),
        };
        dealings.push(reader.read(transfer, tx, i, app_hdr, message_type, default_zone)?);
    }
    Ok(dealings)
}

/// Deserialise into mx20022's type for the version, then check that writing it back loses no
/// element of the input.
fn schema_check<T: DeserializeOwned + Serialize>(
    clean: &str,
    document: &Element,
    message_type: &str,
) -> Result<()> {
    let mut de = quick_xml::de::Deserializer::from_str(clean);
    let typed: T = serde_path_to_error::deserialize(&mut de).map_err(|e| {
        let path = e.path().to_string();
        let message = e.into_inner().to_string();
        typed_error(&path, &message, message_type)
    })?;
    let written = mx20022_parse::ser::to_string(&typed).map_err(|e| {
        error(
            "Document",
            ErrorKind::Invalid,
            format!("mx20022 could not write the {message_type} back: {e}"),
        )
    })?;
    let kept = xml::parse(&written).map_err(|e| {
        error(
            "Document",
            ErrorKind::Invalid,
            format!("mx20022 wrote unreadable XML back: {}", e.reason),
        )
    })?;
    let mut counts = BTreeMap::new();
    kept.path_counts("", &mut counts, &is_supplementary);
    if let Some((path, element)) = document.first_dropped(&counts, &is_supplementary, REPEATABLE) {
        return Err(error(
            path,
            ErrorKind::Unknown,
            format!(
                "<{}> (line {}) is not part of {message_type} here (misspelt or misplaced?); \
                 refused rather than ignored",
                element.name, element.line
            ),
        ));
    }
    Ok(())
}

/// `FIToFICstmrCdtTrf.CdtTrfTxInf[0].$value` + "missing field `Cdtr`" →
/// `Document/FIToFICstmrCdtTrf/CdtTrfTxInf[0]/Cdtr`: mandatory element is missing.
fn typed_error(path: &str, message: &str, message_type: &str) -> DealingError {
    let mut field = String::from("Document");
    for segment in path.split('.') {
        if segment.is_empty() || segment == "$value" || segment == "?" {
            continue;
        }
        field.push('/');
        field.push_str(segment.trim_start_matches('@'));
    }
    let name = message.split('`').nth(1).unwrap_or("");
    let element = name.trim_start_matches('@');
    if message.starts_with("missing field") {
        let what = if name.starts_with('@') {
            "attribute"
        } else {
            "element"
        };
        let field = if name.starts_with('@') {
            format!("{field}/@{element}")
        } else {
            format!("{field}/{element}")
        };
        return error(
            field,
            ErrorKind::Missing,
            format!("mandatory {what} is missing ({message_type})"),
        );
    }
    if message.starts_with("duplicate field") {
        return error(
            format!("{field}/{element}"),
            ErrorKind::Invalid,
            format!("appears more than once, or its repetitions are not together ({message_type})"),
        );
    }
    if message.starts_with("unknown variant") {
        return error(
            field,
            ErrorKind::Invalid,
            format!("{message} ({message_type})"),
        );
    }
    error(
        field,
        ErrorKind::Invalid,
        format!("{message} ({message_type})"),
    )
}

fn non_empty(s: Option<&str>) -> Option<String> {
    s.map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
}

/// ISO 20022 person and organisation identification codes → interdict identifier types.
fn identifier_kind(code: &str) -> String {
    match code {
        "CCPT" => "passport",
        "NIDN" => "national_id",
        "TXID" => "tax_id",
        "DRLC" => "driving_licence",
        "SOSE" => "social_security",
        "ARNU" => "alien_registration",
        "CUST" => "customer_number",
        "EMPL" => "employee_number",
        "DUNS" => "duns",
        "CINC" | "COID" => "registration",
        "BANK" => "bank_party_id",
        other => return other.to_ascii_lowercase(),
    }
    .to_string()
}

/// ISO 17442 LEI: 18 letters or digits, 2 check digits, mod 97 = 1.
fn check_lei(s: &str) -> std::result::Result<(), String> {
    let b = s.as_bytes();
    if b.len() != 20
        || !b
            .iter()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
    {
        return Err(format!(
            "{s:?} is not an LEI (20 upper-case letters or digits)"
        ));
    }
    let mut rem: u32 = 0;
    for c in b {
        let v = if c.is_ascii_digit() {
            u32::from(c - b'0')
        } else {
            u32::from(c - b'A') + 10
        };
        rem = if v >= 10 {
            (rem * 100 + v) % 97
        } else {
            (rem * 10 + v) % 97
        };
    }
    if rem == 1 {
        Ok(())
    } else {
        Err(format!(
            "{s:?}: LEI check digits are wrong (ISO 7064 mod 97-10)"
        ))
    }
}

/// The paths below `path` of repeated children: `path/Name[i]`.
fn indexed<'a>(
    parent: &'a Element,
    name: &'a str,
    path: &'a str,
) -> impl Iterator<Item = (String, &'a Element)> + 'a {
    parent
        .children_named(name)
        .enumerate()
        .map(move |(i, e)| (format!("{path}/{name}[{i}]"), e))
}

struct TxReader {
    /// Elements already read as a party or account, by address; the safety-net scan skips them.
    consumed: HashSet<usize>,
    parties: Vec<Party>,
    texts: Vec<FreeText>,
}

fn key(e: &Element) -> usize {
    std::ptr::from_ref(e) as usize
}

impl TxReader {
    #[allow(clippy::too_many_arguments)]
    fn read(
        &mut self,
        transfer: &Element,
        tx: &Element,
        index: usize,
        app_hdr: Option<&Element>,
        message_type: &str,
        default_zone: Option<Tz>,
    ) -> Result<Dealing> {
        let base = "Document/FIToFICstmrCdtTrf";
        let tx_path = format!("{base}/CdtTrfTxInf[{index}]");
        let grp_path = format!("{base}/GrpHdr");
        let grp = transfer.child("GrpHdr");

        // As-of: the message's creation time.
        let as_of_path = format!("{grp_path}/CreDtTm");
        let cre = grp.and_then(|g| g.child_text("CreDtTm")).ok_or_else(|| {
            error(
                &as_of_path,
                ErrorKind::Missing,
                "mandatory element is missing",
            )
        })?;
        let as_of = AsOf::parse(cre, default_zone).map_err(|e| match e {
            AsOfError::NoZone(reason) => error(&as_of_path, ErrorKind::NoTimeZone, reason),
            AsOfError::Invalid(reason) => error(&as_of_path, ErrorKind::Invalid, reason),
        })?;

        // Reference: UETR, else transaction id, else end-to-end id, else instruction or message id.
        let pmt = tx.child("PmtId");
        let pick = |name: &str| {
            non_empty(pmt.and_then(|p| p.child_text(name))).filter(|v| v != "NOTPROVIDED")
        };
        let reference = pick("UETR")
            .or_else(|| pick("TxId"))
            .or_else(|| pick("EndToEndId"))
            .or_else(|| pick("InstrId"))
            .or_else(|| non_empty(grp.and_then(|g| g.child_text("MsgId"))))
            .ok_or_else(|| {
                error(
                    format!("{tx_path}/PmtId"),
                    ErrorKind::Missing,
                    "no UETR, TxId, EndToEndId or MsgId to refer to the payment by",
                )
            })?;

        let amount = money(tx, "IntrBkSttlmAmt", &tx_path)?.ok_or_else(|| {
            error(
                format!("{tx_path}/IntrBkSttlmAmt"),
                ErrorKind::Missing,
                "mandatory element is missing",
            )
        })?;
        let instructed_amount = money(tx, "InstdAmt", &tx_path)?;

        // Group-level agents apply to every transaction.
        if let Some(grp) = grp {
            for (name, role) in [
                ("InstgAgt", PartyRole::InstructingAgent),
                ("InstdAgt", PartyRole::InstructedAgent),
            ] {
                self.party_at(grp, name, role, &grp_path)?;
            }
            if let Some(sttlm) = grp.child("SttlmInf") {
                let sttlm_path = format!("{grp_path}/SttlmInf");
                for name in ["InstgRmbrsmntAgt", "InstdRmbrsmntAgt", "ThrdRmbrsmntAgt"] {
                    self.party_at(sttlm, name, PartyRole::ReimbursementAgent, &sttlm_path)?;
                }
            }
        }
        for (path, charges) in indexed(tx, "ChrgsInf", &tx_path) {
            self.party_at(charges, "Agt", PartyRole::Other, &path)?;
        }
        let named: [(&str, PartyRole); 15] = [
            ("PrvsInstgAgt1", PartyRole::PreviousInstructingAgent),
            ("PrvsInstgAgt2", PartyRole::PreviousInstructingAgent),
            ("PrvsInstgAgt3", PartyRole::PreviousInstructingAgent),
            ("InstgAgt", PartyRole::InstructingAgent),
            ("InstdAgt", PartyRole::InstructedAgent),
            ("IntrmyAgt1", PartyRole::IntermediaryAgent),
            ("IntrmyAgt2", PartyRole::IntermediaryAgent),
            ("IntrmyAgt3", PartyRole::IntermediaryAgent),
            ("UltmtDbtr", PartyRole::UltimateDebtor),
            ("InitgPty", PartyRole::InitiatingParty),
            ("Dbtr", PartyRole::Debtor),
            ("DbtrAgt", PartyRole::DebtorAgent),
            ("CdtrAgt", PartyRole::CreditorAgent),
            ("Cdtr", PartyRole::Creditor),
            ("UltmtCdtr", PartyRole::UltimateCreditor),
        ];
        for (name, role) in named {
            self.party_at(tx, name, role, &tx_path)?;
        }
        if let Some(rmt) = tx.child("RmtInf") {
            let rmt_path = format!("{tx_path}/RmtInf");
            for (path, ustrd) in indexed(rmt, "Ustrd", &rmt_path) {
                self.text(TextKind::Remittance, &ustrd.text, path);
            }
            for (path, strd) in indexed(rmt, "Strd", &rmt_path) {
                self.party_at(strd, "Invcr", PartyRole::Invoicer, &path)?;
                self.party_at(strd, "Invcee", PartyRole::Invoicee, &path)?;
                for (p, add) in indexed(strd, "AddtlRmtInf", &path) {
                    self.text(TextKind::Remittance, &add.text, p);
                }
            }
        }
        for name in ["InstrForCdtrAgt", "InstrForNxtAgt"] {
            for (path, instr) in indexed(tx, name, &tx_path) {
                if let Some(inf) = instr.child("InstrInf") {
                    self.text(TextKind::Instruction, &inf.text, format!("{path}/InstrInf"));
                }
            }
        }
        for (path, rptg) in indexed(tx, "RgltryRptg", &tx_path) {
            for (dpath, dtls) in indexed(rptg, "Dtls", &path) {
                for (ipath, inf) in indexed(dtls, "Inf", &dpath) {
                    self.text(TextKind::Regulatory, &inf.text, ipath);
                }
            }
        }
        // Supplementary data: content mx20022 cannot model; screened as text.
        for (holder, holder_path) in [(transfer, base.to_string()), (tx, tx_path.clone())] {
            for (path, sup) in indexed(holder, "SplmtryData", &holder_path) {
                let content = sup.all_text();
                self.text(TextKind::Supplementary, &content, path);
                self.consumed.insert(key(sup));
            }
        }

        // Purpose: Purp, else the category purpose.
        let purpose = purpose(tx, &tx_path, &mut self.texts);

        // Safety net: any other element carrying a name or a BIC is a party too.
        if let Some(grp) = grp {
            self.scan_unread(grp, &grp_path)?;
        }
        self.scan_unread(tx, &tx_path)?;

        if let Some(hdr) = app_hdr {
            for (name, role) in [
                ("Fr", PartyRole::InstructingAgent),
                ("To", PartyRole::InstructedAgent),
            ] {
                let Some(side) = hdr.child(name) else {
                    continue;
                };
                for (sub, el) in side.children.iter().map(|c| (c.name.as_str(), c)) {
                    let path = format!("AppHdr/{name}/{sub}");
                    let mut party = self.read_party(el, role, &path)?;
                    party.fill_country();
                    let duplicate = party.bic.is_some()
                        && self.parties.iter().any(|p| {
                            p.role == role
                                && p.bic.as_ref().map(Bic::institution)
                                    == party.bic.as_ref().map(Bic::institution)
                        });
                    if !duplicate {
                        self.parties.push(party);
                    }
                }
            }
        }

        Ok(Dealing {
            kind: DealingKind::Payment,
            reference,
            as_of,
            perspective: None,
            parties: std::mem::take(&mut self.parties),
            amount: Some(amount),
            instructed_amount,
            texts: std::mem::take(&mut self.texts),
            contract_date: None,
            pre_existing_contract: None,
            purpose,
            trade: None,
            securities: None,
            travel: None,
            source: Some(SourceInfo {
                format: FORMAT,
                message_type: Some(message_type.to_string()),
                as_of_field: Some(as_of_path),
            }),
            comment: None,
        })
    }

    fn text(&mut self, kind: TextKind, text: &str, source: String) {
        let text = text.trim();
        if !text.is_empty() {
            self.texts.push(FreeText {
                kind,
                text: text.to_string(),
                source: Some(source),
            });
        }
    }

    /// Read the child `name` of `parent` as a party, with its `<name>Acct` sibling, if present.
    fn party_at(
        &mut self,
        parent: &Element,
        name: &str,
        role: PartyRole,
        parent_path: &str,
    ) -> Result<()> {
        let Some(el) = parent.child(name) else {
            return Ok(());
        };
        let path = format!("{parent_path}/{name}");
        let mut party = self.read_party(el, role, &path)?;
        let acct_name = format!("{name}Acct");
        if let Some(acct) = parent.child(&acct_name) {
            read_account(acct, &format!("{parent_path}/{acct_name}"), &mut party)?;
            self.consumed.insert(key(acct));
        }
        party.fill_country();
        self.parties.push(party);
        Ok(())
    }

    /// A party (`PartyIdentification`), an agent (`BranchAndFinancialInstitutionIdentification`)
    /// or a name-and-address, by what it contains.
    fn read_party(&mut self, el: &Element, role: PartyRole, path: &str) -> Result<Party> {
        self.consumed.insert(key(el));
        let mut party = Party::new(role, path);
        if let Some(fin) = el.child("FinInstnId") {
            let fin_path = format!("{path}/FinInstnId");
            party.schema = PartySchema::Organisation;
            read_institution(fin, &fin_path, &mut party)?;
            if let Some(branch) = el.child("BrnchId") {
                let bpath = format!("{path}/BrnchId");
                if let Some(id) = non_empty(branch.child_text("Id")) {
                    party.identifiers.push(Identifier {
                        kind: "branch_id".into(),
                        number: id,
                        country: None,
                    });
                }
                if let Some(lei) = non_empty(branch.child_text("LEI")) {
                    check_lei(&lei)
                        .map_err(|r| error(format!("{bpath}/LEI"), ErrorKind::Invalid, r))?;
                    party.identifiers.push(Identifier {
                        kind: "lei".into(),
                        number: lei,
                        country: None,
                    });
                }
                if let Some(nm) = non_empty(branch.child_text("Nm")) {
                    push_name(&mut party, nm);
                }
                if let Some(adr) = branch.child("PstlAdr") {
                    read_address(adr, &format!("{bpath}/PstlAdr"), &mut party)?;
                }
            }
        } else {
            if let Some(nm) = non_empty(el.child_text("Nm")) {
                party.names.push(nm);
            }
            if let Some(adr) = el.child("PstlAdr") {
                read_address(adr, &format!("{path}/PstlAdr"), &mut party)?;
            } else if let Some(adr) = el.child("Adr") {
                read_address(adr, &format!("{path}/Adr"), &mut party)?;
            }
            if let Some(bic) = non_empty(el.child_text("BICFI")) {
                party.bic =
                    Some(bic.parse().map_err(|r: String| {
                        error(format!("{path}/BICFI"), ErrorKind::Invalid, r)
                    })?);
            }
            if let Some(id) = el.child("Id") {
                read_party_id(id, &format!("{path}/Id"), &mut party)?;
            }
            if let Some(res) = non_empty(el.child_text("CtryOfRes")) {
                let cc = CountryCode::from_iso2(&res)
                    .map_err(|r| error(format!("{path}/CtryOfRes"), ErrorKind::Invalid, r))?;
                if party.country.is_none() {
                    party.country = Some(cc);
                    party.country_from = Some(CountrySource::Residence);
                }
            }
            if let Some(contact) = el.child("CtctDtls")
                && let Some(nm) = non_empty(contact.child_text("Nm"))
            {
                self.text(TextKind::Other, &nm, format!("{path}/CtctDtls/Nm"));
            }
        }
        if !party.is_identifiable() {
            return Err(error(
                path,
                ErrorKind::Missing,
                "the party names no one: no Nm, BIC, account or identifier to screen",
            ));
        }
        Ok(party)
    }

    /// Read, as role `other`, every element not yet read that carries a name or a BIC.
    fn scan_unread(&mut self, el: &Element, path: &str) -> Result<()> {
        let mut index: BTreeMap<&str, usize> = BTreeMap::new();
        for child in &el.children {
            let i = index.entry(child.name.as_str()).or_default();
            let repeated = el.children_named(&child.name).nth(1).is_some();
            let child_path = if repeated {
                format!("{path}/{}[{i}]", child.name)
            } else {
                format!("{path}/{}", child.name)
            };
            *i += 1;
            if self.consumed.contains(&key(child)) || is_supplementary(child) {
                continue;
            }
            let carries_party = child.child("Nm").is_some()
                || child.child("FinInstnId").is_some()
                || child.child("BICFI").is_some()
                || child.child("AnyBIC").is_some();
            if carries_party && child.name != "PstlAdr" {
                let mut party = self.read_party(child, PartyRole::Other, &child_path)?;
                party.fill_country();
                self.parties.push(party);
            } else {
                self.scan_unread(child, &child_path)?;
            }
        }
        Ok(())
    }
}

fn push_name(party: &mut Party, name: String) {
    if !party.names.iter().any(|n| n.eq_ignore_ascii_case(&name)) {
        party.names.push(name);
    }
}

fn money(tx: &Element, name: &str, tx_path: &str) -> Result<Option<Money>> {
    let Some(el) = tx.child(name) else {
        return Ok(None);
    };
    let path = format!("{tx_path}/{name}");
    let value: Amount = el
        .text
        .trim()
        .parse()
        .map_err(|r: String| error(&path, ErrorKind::Invalid, r))?;
    let ccy = el.attribute("Ccy").ok_or_else(|| {
        error(
            format!("{path}/@Ccy"),
            ErrorKind::Missing,
            "the currency attribute is missing",
        )
    })?;
    let currency: Currency = ccy
        .parse()
        .map_err(|r: String| error(format!("{path}/@Ccy"), ErrorKind::Invalid, r))?;
    Ok(Some(Money { value, currency }))
}

fn purpose(tx: &Element, tx_path: &str, texts: &mut Vec<FreeText>) -> Option<Purpose> {
    let from = |el: Option<&Element>| -> Option<(Option<String>, Option<String>)> {
        let el = el?;
        Some((
            non_empty(el.child_text("Cd")),
            non_empty(el.child_text("Prtry")),
        ))
    };
    let (cd, prtry) = from(tx.child("Purp"))
        .or_else(|| from(tx.child("PmtTpInf").and_then(|p| p.child("CtgyPurp"))))?;
    if let Some(p) = &prtry {
        texts.push(FreeText {
            kind: TextKind::Purpose,
            text: p.clone(),
            source: Some(format!("{tx_path}/Purp/Prtry")),
        });
    }
    let category = cd
        .as_deref()
        .and_then(PurposeCategory::from_iso_purpose_code);
    Some(Purpose {
        category,
        code: cd.or(prtry),
    })
}

fn read_institution(fin: &Element, path: &str, party: &mut Party) -> Result<()> {
    if let Some(bic) = non_empty(fin.child_text("BICFI")) {
        party.bic = Some(
            bic.parse()
                .map_err(|r: String| error(format!("{path}/BICFI"), ErrorKind::Invalid, r))?,
        );
    }
    if let Some(clr) = fin.child("ClrSysMmbId")
        && let Some(mmb) = non_empty(clr.child_text("MmbId"))
    {
        let system = clr.child("ClrSysId").and_then(|c| {
            non_empty(c.child_text("Cd")).or_else(|| non_empty(c.child_text("Prtry")))
        });
        let kind = match system {
            Some(s) => format!("clearing_system_member:{s}"),
            None => "clearing_system_member".to_string(),
        };
        party.identifiers.push(Identifier {
            kind,
            number: mmb,
            country: None,
        });
    }
    if let Some(lei) = non_empty(fin.child_text("LEI")) {
        check_lei(&lei).map_err(|r| error(format!("{path}/LEI"), ErrorKind::Invalid, r))?;
        party.identifiers.push(Identifier {
            kind: "lei".into(),
            number: lei,
            country: None,
        });
    }
    if let Some(nm) = non_empty(fin.child_text("Nm")) {
        push_name(party, nm);
    }
    if let Some(adr) = fin.child("PstlAdr") {
        read_address(adr, &format!("{path}/PstlAdr"), party)?;
    }
    if let Some(othr) = fin.child("Othr")
        && let Some(id) = non_empty(othr.child_text("Id"))
    {
        party.identifiers.push(Identifier {
            kind: scheme_kind(othr).unwrap_or_else(|| "other".into()),
            number: id,
            country: None,
        });
    }
    Ok(())
}

fn scheme_kind(othr: &Element) -> Option<String> {
    let scheme = othr.child("SchmeNm")?;
    non_empty(scheme.child_text("Cd"))
        .map(|c| identifier_kind(&c))
        .or_else(|| non_empty(scheme.child_text("Prtry")).map(|p| p.to_ascii_lowercase()))
}

fn read_party_id(id: &Element, path: &str, party: &mut Party) -> Result<()> {
    if let Some(org) = id.child("OrgId") {
        let opath = format!("{path}/OrgId");
        party.schema = PartySchema::Organisation;
        if let Some(bic) = non_empty(org.child_text("AnyBIC")) {
            party.bic =
                Some(bic.parse().map_err(|r: String| {
                    error(format!("{opath}/AnyBIC"), ErrorKind::Invalid, r)
                })?);
        }
        if let Some(lei) = non_empty(org.child_text("LEI")) {
            check_lei(&lei).map_err(|r| error(format!("{opath}/LEI"), ErrorKind::Invalid, r))?;
            party.identifiers.push(Identifier {
                kind: "lei".into(),
                number: lei,
                country: None,
            });
        }
        read_other_ids(org, &opath, party)?;
    }
    if let Some(prvt) = id.child("PrvtId") {
        let ppath = format!("{path}/PrvtId");
        party.schema = PartySchema::Person;
        if let Some(birth) = prvt.child("DtAndPlcOfBirth") {
            let bpath = format!("{ppath}/DtAndPlcOfBirth");
            if let Some(dt) = non_empty(birth.child_text("BirthDt")) {
                let date: PartialDate = dt.parse().map_err(|_| {
                    error(
                        format!("{bpath}/BirthDt"),
                        ErrorKind::Invalid,
                        format!("{dt:?} is not a date (YYYY-MM-DD)"),
                    )
                })?;
                party.birth_date = Some(date);
            }
            let mut place: Vec<String> = ["CityOfBirth", "PrvcOfBirth"]
                .into_iter()
                .filter_map(|n| non_empty(birth.child_text(n)))
                .collect();
            if let Some(ctry) = non_empty(birth.child_text("CtryOfBirth")) {
                let cc = CountryCode::from_iso2(&ctry)
                    .map_err(|r| error(format!("{bpath}/CtryOfBirth"), ErrorKind::Invalid, r))?;
                place.push(cc.name().unwrap_or(cc.as_str()).to_string());
            }
            if !place.is_empty() {
                party.birth_place = Some(place.join(", "));
            }
        }
        read_other_ids(prvt, &ppath, party)?;
    }
    Ok(())
}

fn read_other_ids(holder: &Element, path: &str, party: &mut Party) -> Result<()> {
    for (opath, othr) in indexed(holder, "Othr", path) {
        let number = non_empty(othr.child_text("Id")).ok_or_else(|| {
            error(
                format!("{opath}/Id"),
                ErrorKind::Missing,
                "the identifier is empty",
            )
        })?;
        let country =
            non_empty(othr.child_text("Issr")).and_then(|i| CountryCode::from_iso2(&i).ok());
        party.identifiers.push(Identifier {
            kind: scheme_kind(othr).unwrap_or_else(|| "other".into()),
            number,
            country,
        });
    }
    Ok(())
}

fn read_account(acct: &Element, path: &str, party: &mut Party) -> Result<()> {
    if let Some(id) = acct.child("Id") {
        if let Some(iban) = non_empty(id.child_text("IBAN")) {
            let iban: Iban = iban
                .parse()
                .map_err(|r: String| error(format!("{path}/Id/IBAN"), ErrorKind::Invalid, r))?;
            party.account = Some(Account::Iban(iban));
        } else if let Some(othr) = id.child("Othr") {
            let number = non_empty(othr.child_text("Id")).ok_or_else(|| {
                error(
                    format!("{path}/Id/Othr/Id"),
                    ErrorKind::Missing,
                    "the account number is empty",
                )
            })?;
            let scheme = othr.child("SchmeNm").and_then(|s| {
                non_empty(s.child_text("Cd")).or_else(|| non_empty(s.child_text("Prtry")))
            });
            party.account = Some(Account::Other(OtherAccount { id: number, scheme }));
        }
    }
    if let Some(nm) = non_empty(acct.child_text("Nm")) {
        push_name(party, nm);
    }
    if let Some(prxy) = acct.child("Prxy")
        && let Some(id) = non_empty(prxy.child_text("Id"))
    {
        party.identifiers.push(Identifier {
            kind: "account_proxy".into(),
            number: id,
            country: None,
        });
    }
    Ok(())
}

/// Structured parts in reading order, then the free address lines.
fn read_address(adr: &Element, path: &str, party: &mut Party) -> Result<()> {
    let t = |n: &str| non_empty(adr.child_text(n));
    let mut lines = Vec::new();
    if let Some(c) = t("CareOf") {
        lines.push(format!("c/o {c}"));
    }
    lines.extend(["Dept", "SubDept"].into_iter().filter_map(t));
    let street = [t("StrtNm"), t("BldgNb")]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" ");
    if !street.is_empty() {
        lines.push(street);
    }
    lines.extend(
        ["BldgNm", "Flr", "UnitNb", "Room"]
            .into_iter()
            .filter_map(t),
    );
    if let Some(b) = t("PstBx") {
        lines.push(format!("PO Box {b}"));
    }
    let town = [t("PstCd"), t("TwnNm")]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" ");
    if !town.is_empty() {
        lines.push(town);
    }
    lines.extend(
        ["TwnLctnNm", "DstrctNm", "CtrySubDvsn"]
            .into_iter()
            .filter_map(t),
    );
    lines.extend(
        adr.children_named("AdrLine")
            .filter_map(|l| non_empty(Some(&l.text))),
    );
    party.address.extend(lines);
    if party.town.is_none() {
        party.town = t("TwnNm");
    }
    if let Some(ctry) = t("Ctry") {
        let cc = CountryCode::from_iso2(&ctry)
            .map_err(|r| error(format!("{path}/Ctry"), ErrorKind::Invalid, r))?;
        if party.country.is_none() || party.country_from == Some(CountrySource::Residence) {
            party.country = Some(cc);
            party.country_from = Some(CountrySource::Stated);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lei_check_digits() {
        // GLEIF's own LEI.
        assert!(check_lei("506700GE1G29325QX363").is_ok());
        assert!(check_lei("506700GE1G29325QX364").is_err());
        assert!(check_lei("506700").is_err());
    }
}
