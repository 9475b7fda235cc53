//! The Remarks field of the OFAC CSV files, read into facts.
//!
//! OFAC writes everything that does not fit the fixed columns into one free-text field:
//! `DOB 30 Aug 1954; alt. DOB 31 Aug 1954; POB Kopys, Vitebsk oblast, Belarus; nationality
//! Belarus; Gender Male.` Each `; `-separated segment starts with a label (`DOB`, `Passport`,
//! `Linked To:` …), optionally preceded by `alt.` for an alternative value. This module splits
//! the field into segments and reads each one into a [`Fact`]; it knows nothing of entities or
//! ids, so the importer decides where a fact goes (and puts it in `notes` when the schema has no
//! place for it). A segment that is not understood becomes [`FactKind::Note`]: nothing is ever
//! dropped.

use std::sync::OnceLock;

use interdict_model::PartialDate;
use interdict_model::date::month_from_name;

/// One `;`-separated segment of a remarks field and where it lies in the field (byte offsets),
/// so the importer can tell whether it came from the primary file or the comments file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Segment<'a> {
    /// The segment, trimmed.
    pub text: &'a str,
    /// Byte offset of the first character in the remarks.
    pub start: usize,
    /// Byte offset just after the last character.
    pub end: usize,
}

/// Split a remarks field at `;` outside parentheses (`(Following data derived from a passport:
/// Alt. DOB …; Alt. POB …)` stays one segment). When the parentheses do not balance (a cut
/// field, a typo) they are ignored rather than letting one `(` swallow the rest of the field.
pub(crate) fn segments(remarks: &str) -> Vec<Segment<'_>> {
    let mut depth = 0i32;
    let mut balanced = true;
    for c in remarks.chars() {
        match c {
            '(' => depth += 1,
            ')' => {
                depth -= 1;
                if depth < 0 {
                    balanced = false;
                    depth = 0;
                }
            }
            _ => {}
        }
    }
    if depth != 0 {
        balanced = false;
    }
    let mut out = Vec::new();
    let mut push = |start: usize, end: usize| {
        let raw = &remarks[start..end];
        let lead = raw.len() - raw.trim_start().len();
        let text = raw.trim();
        if !text.is_empty() {
            out.push(Segment {
                text,
                start: start + lead,
                end: start + lead + text.len(),
            });
        }
    };
    let mut depth = 0i32;
    let mut start = 0;
    for (i, c) in remarks.char_indices() {
        match c {
            '(' if balanced => depth += 1,
            ')' if balanced => depth -= 1,
            ';' if depth == 0 => {
                push(start, i);
                start = i + 1;
            }
            _ => {}
        }
    }
    push(start, remarks.len());
    out
}

/// What kind of document an identifier is, which decides whether the importer also makes a
/// `Passport` or `Identification` entity for it (identity papers) or only sets a property
/// (registry, tax and licence numbers).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum DocKind {
    /// A passport: `passportNumber` and a `Passport` entity.
    Passport,
    /// An identity paper (national ID, cédula, driver's licence …): an `Identification` entity.
    Identity,
    /// A number without a document entity (tax, registration, VAT …).
    Number,
}

/// An identifier read from a segment such as `Passport 1084010 (Egypt) issued 12 Jan 2001
/// expires 11 Jan 2006`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Document {
    /// The label as OFAC writes it (`Passport`, `Cedula No.`, `Tax ID No.`), kept as the
    /// document type.
    pub label: &'static str,
    /// The FtM property the number belongs in on the holder.
    pub property: &'static str,
    /// Whether it is an identity document.
    pub kind: DocKind,
    /// The number as written.
    pub number: String,
    /// The issuing country, when the segment names one in parentheses.
    pub country: Option<&'static str>,
    /// Other parenthesised text (a registry court, an issuing office), kept as the authority.
    pub authority: Option<String>,
    /// Issue date (ISO, partial).
    pub issued: Option<String>,
    /// Expiry date (ISO, partial).
    pub expires: Option<String>,
}

/// Where a country named in the remarks belongs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum CountryUse {
    /// `Former Vessel Flag`, `Other Vessel Flag`: FtM `pastFlags`.
    PastFlag,
    /// `Vessel Flag`: FtM `flag`.
    Flag,
    /// `Nationality of Registration`, `Registration Country`: a vessel's `flag`, an
    /// organisation's `jurisdiction`, an aircraft's `country`.
    Registration,
}

/// Which name property a name in the remarks goes to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum NameUse {
    /// A quoted `a.k.a. 'X'`: OFAC puts its low-quality ("weak") aliases in the remarks, in
    /// quotes. FtM `weakAlias`.
    WeakAlias,
    /// An unquoted `a.k.a.` or an `n.k.a.`: FtM `alias`.
    Alias,
    /// `f.k.a.`: FtM `previousName`.
    PreviousName,
}

/// What one segment of a remarks field says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum FactKind {
    /// Dates of birth (ISO partial dates; a range gives every year in it).
    BirthDates(Vec<String>),
    /// Place of birth as written, with its country when the last part names one.
    BirthPlace {
        /// The place as written.
        place: String,
        /// The country of the place.
        country: Option<&'static str>,
    },
    /// `nationality X`.
    Nationality(&'static str),
    /// `citizen X`.
    Citizenship(&'static str),
    /// `Gender Male` → `male`.
    Gender(&'static str),
    /// A name (`a.k.a.`, `f.k.a.`, `n.k.a.`).
    Name {
        /// Which property.
        use_: NameUse,
        /// The name without quotes.
        name: String,
    },
    /// `Linked To: X`: the name of another listed party.
    LinkedTo(String),
    /// An identifier or identity document.
    Document(Document),
    /// A plain property of the listed entity (`email`, `website`, `swiftBic`, `model` …).
    Property {
        /// The FtM property.
        property: &'static str,
        /// The value, cleaned for its type (ISO date, IMO number …).
        value: String,
    },
    /// A country with a vessel or registration meaning.
    Country {
        /// Where it goes.
        use_: CountryUse,
        /// ISO code.
        code: &'static str,
    },
    /// `Digital Currency Address - XBT 1Kuf…`.
    Wallet {
        /// The currency symbol as OFAC writes it (`XBT`, `ETH`, `USDT`).
        currency: String,
        /// The address.
        address: String,
    },
    /// `Aircraft Operator X`: the name of the operating party.
    Operator(String),
    /// A secondary-sanctions flag or directive text: FtM `provisions` on the sanction.
    Provision(String),
    /// A dated directive (`Listing Date (EO 14024 Directive 2): 24 Feb 2022`): a date on the
    /// sanction plus the text as a provision.
    SanctionDate {
        /// `listingDate` or `startDate`.
        property: &'static str,
        /// ISO date.
        date: String,
        /// The whole segment.
        text: String,
    },
    /// `For more information on directives, please visit the following link: http…`.
    ProgramUrl(String),
    /// Anything else: kept verbatim in `notes`.
    Note,
}

/// A fact and the segment it was read from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Fact<'a> {
    /// The segment (its text is what goes to `notes` when the fact has no place).
    pub segment: Segment<'a>,
    /// What it says.
    pub kind: FactKind,
}

/// Read every segment of a remarks field.
pub(crate) fn parse(remarks: &str) -> Vec<Fact<'_>> {
    segments(remarks)
        .into_iter()
        .map(|segment| Fact {
            segment,
            kind: parse_segment(segment.text),
        })
        .collect()
}

/// How the value after a label is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Reader {
    Dob,
    Pob,
    Nationality,
    Citizenship,
    Gender,
    Name(NameUse),
    LinkedTo,
    Doc(&'static str, DocKind),
    /// `Vessel Registration Identification IMO 1234567` (or another registry number).
    VesselRegistration,
    /// An LEI when it has the LEI shape, else a registration number.
    Lei,
    Prop(&'static str),
    Date(&'static str),
    Country(CountryUse),
    Wallet,
    Operator,
    Provision,
    SanctionDate(&'static str),
    ProgramUrl,
}

const PASSPORT: Reader = Reader::Doc("passportNumber", DocKind::Passport);
const IDENTITY: Reader = Reader::Doc("idNumber", DocKind::Identity);
const TAX: Reader = Reader::Doc("taxNumber", DocKind::Number);
const REGISTRY: Reader = Reader::Doc("registrationNumber", DocKind::Number);

/// The labels OFAC uses, with how to read what follows. Matching ignores ASCII case and picks
/// the longest label, so `Passport Booklet:` wins over `Passport`.
const LABELS: &[(&str, Reader)] = &[
    ("DOB", Reader::Dob),
    ("POB", Reader::Pob),
    ("nationality", Reader::Nationality),
    ("citizen", Reader::Citizenship),
    ("citizenship", Reader::Citizenship),
    ("Gender", Reader::Gender),
    ("a.k.a.", Reader::Name(NameUse::WeakAlias)),
    ("n.k.a.", Reader::Name(NameUse::Alias)),
    ("f.k.a.", Reader::Name(NameUse::PreviousName)),
    ("Linked To:", Reader::LinkedTo),
    // CMIC entries: the entity's name as an issuer of securities.
    ("Issuer Name", Reader::Name(NameUse::Alias)),
    // Passports.
    ("Passport", PASSPORT),
    ("Diplomatic Passport", PASSPORT),
    ("British National Overseas Passport", PASSPORT),
    ("Stateless Person Passport", PASSPORT),
    ("Passport Booklet", PASSPORT),
    ("Passport Booklet:", PASSPORT),
    // Identity papers.
    ("National ID No.", IDENTITY),
    ("Cedula No.", IDENTITY),
    ("Identification Number", IDENTITY),
    ("C.U.R.P.", IDENTITY),
    ("C.U.R.P. #", IDENTITY),
    ("C.U.R.P", IDENTITY),
    ("D.N.I.", IDENTITY),
    ("C.U.I.P.", IDENTITY),
    ("C.U.I.", IDENTITY),
    ("Personal ID Card", IDENTITY),
    ("Citizen's Card Number", IDENTITY),
    ("Kenyan ID No.", IDENTITY),
    ("Bosnian Personal ID No.", IDENTITY),
    ("Tazkira National ID Card", IDENTITY),
    ("Moroccan Personal ID No.", IDENTITY),
    ("Turkish Identification Number", IDENTITY),
    ("Numero de Identidad", IDENTITY),
    ("Credencial electoral", IDENTITY),
    ("I.F.E.", IDENTITY),
    ("N.I.E.", IDENTITY),
    ("Residency Number", IDENTITY),
    ("CNP (Personal Numerical Code)", IDENTITY),
    ("Romanian Permanent Resident", IDENTITY),
    ("UAE Identification", IDENTITY),
    ("National Foreign ID Number", IDENTITY),
    ("Travel Document Number", IDENTITY),
    ("Stateless Person ID Card", IDENTITY),
    ("Refugee ID Card", IDENTITY),
    ("Seafarer's Identification Document", IDENTITY),
    ("Cartilla de Servicio Militar Nacional", IDENTITY),
    ("Military Registration Number", IDENTITY),
    ("Driver's License No.", IDENTITY),
    ("Pilot License Number", IDENTITY),
    ("Tarjeta Profesional", IDENTITY),
    ("Electoral Registry No.", IDENTITY),
    ("Birth Certificate Number", IDENTITY),
    ("VisaNumberID", IDENTITY),
    ("Immigration No.", IDENTITY),
    ("Public Security and Immigration No.", IDENTITY),
    ("SRE Permit No.", IDENTITY),
    ("SRE Permit No", IDENTITY),
    (
        "SSN",
        Reader::Doc("socialSecurityNumber", DocKind::Identity),
    ),
    // Tax numbers.
    ("Tax ID No.", TAX),
    ("R.F.C.", TAX),
    ("R.F.C. #", TAX),
    ("RFC", TAX),
    ("NIT #", TAX),
    ("RUC #", TAX),
    ("RIF #", TAX),
    ("RTN", TAX),
    ("C.U.I.T.", TAX),
    ("C.I.F.", TAX),
    ("N.I.F.", TAX),
    ("US FEIN", TAX),
    ("RSIN", TAX),
    ("INN", TAX),
    ("Italian Fiscal Code", TAX),
    ("Fiscal Code", TAX),
    ("Paraguayan tax identification number", TAX),
    ("Romanian Tax Registration", TAX),
    ("Numero Unico de Identificacao Tributaria (NUIT)", TAX),
    ("V.A.T. Number", Reader::Doc("vatCode", DocKind::Number)),
    // Registry numbers.
    ("Registration Number", REGISTRY),
    ("Registration ID", REGISTRY),
    ("Company Number", REGISTRY),
    ("UK Company Number", REGISTRY),
    ("Commercial Registry Number", REGISTRY),
    ("Business Registration Number", REGISTRY),
    ("Business Registration Document #", REGISTRY),
    ("Business Number", REGISTRY),
    ("Certificate of Incorporation Number", REGISTRY),
    ("Public Registration Number", REGISTRY),
    ("Registration Certificate Number", REGISTRY),
    ("C.R. No.", REGISTRY),
    ("Romanian C.R.", REGISTRY),
    ("Chamber of Commerce Number", REGISTRY),
    ("Istanbul Chamber of Comm. No.", REGISTRY),
    ("Dubai Chamber of Commerce Membership No.", REGISTRY),
    ("Enterprise Number", REGISTRY),
    ("Branch Unit Number", REGISTRY),
    ("Matricula Mercantil No", REGISTRY),
    ("Matricula Mercantil No.", REGISTRY),
    ("Folio Mercantil No.", REGISTRY),
    ("Economic Register Number (CBLS)", REGISTRY),
    ("Registered Charity No.", REGISTRY),
    ("Unified Social Credit Code (USCC)", REGISTRY),
    ("United Social Credit Code Certificate (USCCC)", REGISTRY),
    ("Government Gazette Number", REGISTRY),
    ("Central Registration System Number", REGISTRY),
    ("Organization Code", REGISTRY),
    ("File Number", REGISTRY),
    ("Permit Number", REGISTRY),
    ("Serial No.", REGISTRY),
    ("Trade License No.", REGISTRY),
    ("Tourism License No.", REGISTRY),
    ("License", REGISTRY),
    ("MSB Registration Number", REGISTRY),
    ("Afghan Money Service Provider License Number", REGISTRY),
    (
        "Russian State Individual Business Registration Number Pattern (OGRNIP)",
        REGISTRY,
    ),
    (
        "Vessel Registration Identification",
        Reader::VesselRegistration,
    ),
    ("Legal Entity Number", Reader::Lei),
    ("LE Number", Reader::Lei),
    // Plain properties.
    ("Email Address", Reader::Prop("email")),
    ("Email", Reader::Prop("email")),
    ("Website", Reader::Prop("website")),
    ("Phone Number", Reader::Prop("phone")),
    ("Phone", Reader::Prop("phone")),
    ("Telephone", Reader::Prop("phone")),
    ("Telephone:", Reader::Prop("phone")),
    ("Telephone No.", Reader::Prop("phone")),
    ("Telephone Number:", Reader::Prop("phone")),
    ("Telephone Number", Reader::Prop("phone")),
    ("SWIFT/BIC", Reader::Prop("swiftBic")),
    ("D-U-N-S Number", Reader::Prop("dunsCode")),
    ("BIK (RU)", Reader::Prop("bikCode")),
    ("MMSI", Reader::Prop("mmsi")),
    ("ISIN", Reader::Prop("isinCode")),
    ("Equity Ticker", Reader::Prop("ticker")),
    ("Organization Type:", Reader::Prop("sector")),
    ("Target Type", Reader::Prop("legalForm")),
    (
        "Organization Established Date",
        Reader::Date("incorporationDate"),
    ),
    // Vessels.
    ("Vessel Year of Build", Reader::Date("buildDate")),
    ("Former Vessel Flag", Reader::Country(CountryUse::PastFlag)),
    ("Other Vessel Flag", Reader::Country(CountryUse::PastFlag)),
    ("Vessel Flag", Reader::Country(CountryUse::Flag)),
    (
        "Nationality of Registration",
        Reader::Country(CountryUse::Registration),
    ),
    (
        "Registration Country",
        Reader::Country(CountryUse::Registration),
    ),
    ("Other Vessel Call Sign", Reader::Prop("callSign")),
    ("Vessel Call Sign", Reader::Prop("callSign")),
    ("Other Vessel Type", Reader::Prop("type")),
    ("Vessel Type", Reader::Prop("type")),
    // Aircraft.
    ("Aircraft Model", Reader::Prop("model")),
    ("Aircraft Manufacture Date", Reader::Date("buildDate")),
    (
        "Aircraft Manufacturer's Serial Number (MSN)",
        Reader::Prop("serialNumber"),
    ),
    (
        "Aircraft Manufacturer\u{2019}s Serial Number (MSN)",
        Reader::Prop("serialNumber"),
    ),
    (
        "Aircraft Construction Number (also called L/N or S/N or F/N)",
        Reader::Prop("serialNumber"),
    ),
    (
        "Aircraft Serial Identification",
        Reader::Prop("serialNumber"),
    ),
    ("Aircraft Mode S Transponder Code", Reader::Prop("icaoCode")),
    ("Aircraft Tail Number", Reader::Prop("registrationNumber")),
    (
        "Previous Aircraft Tail Number",
        Reader::Prop("registrationNumber"),
    ),
    ("Aircraft Manufacturer", Reader::Prop("manufacturer")),
    ("Aircraft Operator", Reader::Operator),
    ("Digital Currency Address -", Reader::Wallet),
    // Sanction details.
    ("Additional Sanctions Information -", Reader::Provision),
    ("Secondary sanctions risk:", Reader::Provision),
    (
        "Transactions Prohibited For Persons Owned or Controlled By U.S. Financial Institutions:",
        Reader::Provision,
    ),
    ("Executive Order", Reader::Provision),
    ("CAATSA Section", Reader::Provision),
    ("IFCA Determination -", Reader::Provision),
    ("PEESA Information:", Reader::Provision),
    ("Purchase/Sales For Divestment Date", Reader::Provision),
    (
        "United States financial institutions are prohibited from opening or maintaining",
        Reader::Provision,
    ),
    ("Effective Date", Reader::SanctionDate("startDate")),
    ("Listing Date", Reader::SanctionDate("listingDate")),
    ("For more information on directives", Reader::ProgramUrl),
];

/// The label table sorted longest first, so the first hit is the most specific label.
fn labels() -> &'static [(&'static str, Reader)] {
    static SORTED: OnceLock<Vec<(&'static str, Reader)>> = OnceLock::new();
    SORTED.get_or_init(|| {
        let mut v = LABELS.to_vec();
        v.sort_by_key(|l| std::cmp::Reverse(l.0.len()));
        v
    })
}

/// The label that starts `body` and the rest after it. A label ending in a letter or digit must
/// not be followed by another letter or digit, so `Passport` does not match `Passports`.
fn match_label(body: &str) -> Option<(&'static str, Reader, &str)> {
    for &(label, reader) in labels() {
        let Some(head) = body.get(..label.len()) else {
            continue;
        };
        if !head.eq_ignore_ascii_case(label) {
            continue;
        }
        let rest = &body[label.len()..];
        let ends_word = label.chars().last().is_some_and(|c| c.is_alphanumeric());
        if ends_word && rest.starts_with(char::is_alphanumeric) {
            continue;
        }
        return Some((label, reader, rest.trim()));
    }
    None
}

/// Remove an `alt.` prefix (an alternative value: it is read like the first one).
fn strip_alt(text: &str) -> &str {
    match text.get(..5) {
        Some(p) if p.eq_ignore_ascii_case("alt. ") => text[5..].trim_start(),
        _ => text,
    }
}

/// Trim and drop the full stop that ends the remarks (or a sentence).
fn clean(value: &str) -> &str {
    let v = value.trim();
    v.strip_suffix('.').unwrap_or(v).trim_end()
}

/// The code of a country as OFAC names it: the names the model knows, plus OFAC's own
/// spellings: inverted names (`Man, Isle of`, `North Macedonia, The Republic of`), regions
/// (`Region: Gaza`; `Region: Crimea`, which the United States treat as Ukraine), `Palestinian`
/// as a nationality or address country, and `Macau`.
pub(crate) fn country_code(text: &str) -> Option<&'static str> {
    let text = text.trim();
    if let Some(code) = interdict_model::country_code(text) {
        return Some(code);
    }
    if let Some(region) = text.strip_prefix("Region:") {
        return country_code(region);
    }
    if let Some((a, b)) = text.split_once(", ")
        && let Some(code) = interdict_model::country_code(&format!("{b} {a}"))
    {
        return Some(code);
    }
    match text.to_ascii_lowercase().as_str() {
        "palestinian" => Some("ps"),
        "macau" => Some("mo"),
        "crimea" => Some("ua"),
        _ => None,
    }
}

/// Read one segment.
pub(crate) fn parse_segment(text: &str) -> FactKind {
    let body = strip_alt(text);
    let Some((label, reader, rest)) = match_label(body) else {
        return FactKind::Note;
    };
    read(label, reader, body, rest).unwrap_or(FactKind::Note)
}

fn read(label: &'static str, reader: Reader, body: &str, rest: &str) -> Option<FactKind> {
    let rest = rest.trim_start_matches(':').trim_start();
    match reader {
        Reader::Dob => {
            let dates = parse_date_range(clean(rest))?;
            Some(FactKind::BirthDates(
                dates.iter().map(ToString::to_string).collect(),
            ))
        }
        Reader::Pob => {
            let place = clean(rest);
            if place.is_empty() {
                return None;
            }
            let last = place.rsplit(',').next().unwrap_or(place);
            let country = country_code(last.trim()).or_else(|| country_code(place));
            Some(FactKind::BirthPlace {
                place: place.to_string(),
                country,
            })
        }
        Reader::Nationality => country_code(clean(rest)).map(FactKind::Nationality),
        Reader::Citizenship => country_code(clean(rest)).map(FactKind::Citizenship),
        Reader::Gender => {
            let g = clean(rest);
            if g.eq_ignore_ascii_case("male") {
                Some(FactKind::Gender("male"))
            } else if g.eq_ignore_ascii_case("female") {
                Some(FactKind::Gender("female"))
            } else {
                None
            }
        }
        Reader::Name(use_) => {
            let value = clean(rest);
            let (quoted, name) = unquote(value);
            if name.is_empty() {
                return None;
            }
            let use_ = match use_ {
                NameUse::WeakAlias if !quoted => NameUse::Alias,
                other => other,
            };
            Some(FactKind::Name {
                use_,
                name: name.to_string(),
            })
        }
        Reader::LinkedTo => {
            let name = rest.trim();
            (!clean(name).is_empty()).then(|| FactKind::LinkedTo(name.to_string()))
        }
        Reader::Doc(property, kind) => {
            let doc = read_document(label, property, kind, rest)?;
            Some(imo_or_document(doc))
        }
        Reader::VesselRegistration => {
            let doc = read_document(label, "registrationNumber", DocKind::Number, rest)?;
            Some(imo_or_document(doc))
        }
        Reader::Lei => {
            let mut doc = read_document(label, "registrationNumber", DocKind::Number, rest)?;
            if is_lei(&doc.number) {
                doc.property = "leiCode";
            }
            Some(FactKind::Document(doc))
        }
        Reader::Prop(property) => {
            let value = clean(rest);
            if value.is_empty() {
                return None;
            }
            Some(FactKind::Property {
                property,
                value: value.to_string(),
            })
        }
        Reader::Date(property) => {
            let date = parse_date(clean(rest))?;
            Some(FactKind::Property {
                property,
                value: date.to_string(),
            })
        }
        Reader::Country(use_) => {
            country_code(clean(rest)).map(|code| FactKind::Country { use_, code })
        }
        Reader::Wallet => {
            let mut parts = clean(rest).split_whitespace();
            let (currency, address) = (parts.next()?, parts.next()?);
            if parts.next().is_some() {
                return None;
            }
            Some(FactKind::Wallet {
                currency: currency.to_string(),
                address: address.to_string(),
            })
        }
        Reader::Operator => {
            let name = clean(rest);
            (!name.is_empty()).then(|| FactKind::Operator(name.to_string()))
        }
        Reader::Provision => Some(FactKind::Provision(clean(body).to_string())),
        Reader::SanctionDate(property) => {
            let text = clean(body).to_string();
            // `Listing Date (EO 14024 Directive 2): 24 Feb 2022`,
            // `Effective Date (CMIC) 02 Aug 2021`.
            let after = match text.rfind(')') {
                Some(i) => &text[i + 1..],
                None => &text[label.len().min(text.len())..],
            };
            let after = after.trim().trim_start_matches(':').trim();
            match parse_date(after) {
                Some(date) => Some(FactKind::SanctionDate {
                    property,
                    date: date.to_string(),
                    text,
                }),
                None => Some(FactKind::Provision(text)),
            }
        }
        Reader::ProgramUrl => {
            let start = body.find("http")?;
            let url = body[start..].split_whitespace().next()?;
            let url = url.trim_end_matches(['.', ',', ')']);
            Some(FactKind::ProgramUrl(url.to_string()))
        }
    }
}

/// Strip one pair of enclosing quotes (`'BNC'`), reporting whether there were any.
fn unquote(value: &str) -> (bool, &str) {
    for q in ['\'', '"'] {
        if let Some(inner) = value.strip_prefix(q).and_then(|v| v.strip_suffix(q)) {
            return (true, inner.trim());
        }
    }
    (false, value)
}

/// A registry number that is an IMO number (`IMO 7406784`) goes to `imoNumber`, written as FtM
/// normalises it (`IMO7406784`), so that it matches other sources.
fn imo_or_document(doc: Document) -> FactKind {
    if let Some(digits) = doc.number.strip_prefix("IMO") {
        let digits = digits.trim();
        if digits.len() == 7 && digits.bytes().all(|b| b.is_ascii_digit()) {
            return FactKind::Property {
                property: "imoNumber",
                value: format!("IMO{digits}"),
            };
        }
    }
    FactKind::Document(doc)
}

/// Whether a string has the shape of an ISO 17442 LEI (20 letters and digits).
fn is_lei(s: &str) -> bool {
    s.len() == 20
        && s.bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
}

/// Read `NUMBER [(Authority)] [(Country)] [issued DATE] [expires DATE]`.
fn read_document(
    label: &'static str,
    property: &'static str,
    kind: DocKind,
    rest: &str,
) -> Option<Document> {
    let mut rest = clean(rest);
    let mut issued = None;
    let mut expires = None;
    // Dates come last: `… (Russia) issued 21 Sep 2012 expires 21 Sep 2017`.
    if let Some(i) = find_word(rest, "expires") {
        expires = Some(document_date(&rest[i + "expires".len()..], false)?);
        rest = rest[..i].trim_end();
    }
    if let Some(i) = find_word(rest, "issued") {
        issued = Some(document_date(&rest[i + "issued".len()..], true)?);
        rest = rest[..i].trim_end();
    }
    let mut country = None;
    let mut authority: Vec<&str> = Vec::new();
    let mut rest = rest.trim_end_matches(['.', ',']).trim_end();
    while let Some(inner_end) = rest.strip_suffix(')') {
        let open = inner_end.rfind('(')?;
        let inner = inner_end[open + 1..].trim();
        match country_code(inner) {
            Some(code) if country.is_none() => country = Some(code),
            _ => authority.push(inner),
        }
        rest = inner_end[..open].trim_end();
    }
    let number = rest.trim_end_matches(['.', ',']).trim();
    if number.is_empty() || number.len() > 64 || !number.bytes().any(|b| b.is_ascii_digit()) {
        return None;
    }
    authority.reverse();
    let authority = (!authority.is_empty()).then(|| authority.join(", "));
    Some(Document {
        label,
        property,
        kind,
        number: number.to_string(),
        country,
        authority,
        issued,
        expires,
    })
}

/// Byte offset of a whole word in a string.
fn find_word(s: &str, word: &str) -> Option<usize> {
    let mut from = 0;
    while let Some(i) = s[from..].find(word).map(|i| i + from) {
        let before = s[..i].chars().next_back();
        let after = s[i + word.len()..].chars().next();
        if before.is_some_and(char::is_whitespace) && after.is_none_or(char::is_whitespace) {
            return Some(i);
        }
        from = i + word.len();
    }
    None
}

/// A document date; a range (`issued 01 Jan 2008 to 31 Dec 2010`) gives its start for an issue
/// date and its end for an expiry date.
fn document_date(text: &str, start: bool) -> Option<String> {
    let text = clean(text);
    if let Some((a, b)) = text.split_once(" to ") {
        let (a, b) = (parse_date(a)?, parse_date(b)?);
        let dates = expand_range(a, b)?;
        let pick = if start { dates.first() } else { dates.last() };
        return pick.map(ToString::to_string);
    }
    parse_date(text).map(|d| d.to_string())
}

/// A date as OFAC writes it: `30 Aug 1954`, `Aug 1954`, `1954`, `30 August 1954`, or ISO.
pub(crate) fn parse_date(text: &str) -> Option<PartialDate> {
    let text = clean(text);
    let parts: Vec<&str> = text.split_whitespace().collect();
    match parts.as_slice() {
        [y] => year(y).map(PartialDate::year).or_else(|| y.parse().ok()),
        [m, y] => {
            let month = month_from_name(m)?;
            Some(PartialDate {
                year: year(y)?,
                month: Some(month),
                day: None,
            })
        }
        [d, m, y] => {
            let day: u8 = d.parse().ok().filter(|_| d.len() <= 2)?;
            PartialDate::ymd(year(y)?, month_from_name(m)?, day)
        }
        _ => None,
    }
}

fn year(s: &str) -> Option<i32> {
    if s.len() == 4 && s.bytes().all(|b| b.is_ascii_digit()) {
        s.parse().ok().filter(|y| *y >= 1000)
    } else {
        None
    }
}

/// A date of birth: one date, `circa` a date, or a range (`1960 to 1965`, `circa 1960-1965`,
/// `01 Jan 1960 to 31 Dec 1965`).
pub(crate) fn parse_date_range(text: &str) -> Option<Vec<PartialDate>> {
    let mut text = clean(text);
    for prefix in ["circa ", "approximately ", "approx. ", "about ", "c. "] {
        if let Some(head) = text.get(..prefix.len())
            && head.eq_ignore_ascii_case(prefix)
        {
            text = text[prefix.len()..].trim_start();
        }
    }
    if let Some((a, b)) = text.split_once(" to ") {
        return expand_range(parse_date(a)?, parse_date(b)?);
    }
    if let Some((a, b)) = text.split_once('-')
        && let (Some(a), Some(b)) = (year(a.trim()), year(b.trim()))
    {
        return expand_range(PartialDate::year(a), PartialDate::year(b));
    }
    parse_date(text).map(|d| vec![d])
}

/// The dates a range stands for, at the precision that is still true: within one month, that
/// month; within one year, that year; else every year from the first to the last (so a
/// screening query with any of them matches). Ranges over a century are not believed.
fn expand_range(a: PartialDate, b: PartialDate) -> Option<Vec<PartialDate>> {
    let (a, b) = if a <= b { (a, b) } else { (b, a) };
    if a == b {
        return Some(vec![a]);
    }
    if a.year == b.year {
        if a.month.is_some() && a.month == b.month {
            return Some(vec![PartialDate {
                year: a.year,
                month: a.month,
                day: None,
            }]);
        }
        return Some(vec![PartialDate::year(a.year)]);
    }
    if b.year - a.year > 100 {
        return None;
    }
    Some((a.year..=b.year).map(PartialDate::year).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(remarks: &str) -> Vec<FactKind> {
        parse(remarks).into_iter().map(|f| f.kind).collect()
    }

    #[test]
    fn splits_outside_parentheses() {
        let s = segments("DOB 1954; (a; b) c;  x ;");
        let texts: Vec<_> = s.iter().map(|s| s.text).collect();
        assert_eq!(texts, vec!["DOB 1954", "(a; b) c", "x"]);
        assert_eq!(&"DOB 1954; (a; b) c;  x ;"[s[2].start..s[2].end], "x");
        // Unbalanced: parentheses are ignored.
        let texts: Vec<_> = segments("a (b; c").iter().map(|s| s.text).collect();
        assert_eq!(texts, vec!["a (b", "c"]);
    }

    #[test]
    fn dates_of_birth() {
        let k = kinds("DOB 30 Aug 1954; alt. DOB Aug 1955; DOB 1956; DOB circa 1957.");
        assert_eq!(k[0], FactKind::BirthDates(vec!["1954-08-30".into()]));
        assert_eq!(k[1], FactKind::BirthDates(vec!["1955-08".into()]));
        assert_eq!(k[2], FactKind::BirthDates(vec!["1956".into()]));
        assert_eq!(k[3], FactKind::BirthDates(vec!["1957".into()]));
        let years = |v: &[&str]| FactKind::BirthDates(v.iter().map(|s| s.to_string()).collect());
        assert_eq!(
            parse_segment("DOB 1960 to 1962"),
            years(&["1960", "1961", "1962"])
        );
        assert_eq!(
            parse_segment("DOB 01 Jan 1960 to 31 Dec 1961"),
            years(&["1960", "1961"])
        );
        assert_eq!(
            parse_segment("DOB circa 1960-1961"),
            years(&["1960", "1961"])
        );
        assert_eq!(
            parse_segment("DOB 01 Mar 1970 to 31 Mar 1970"),
            years(&["1970-03"])
        );
        assert_eq!(parse_segment("DOB 10 October 1969"), years(&["1969-10-10"]));
        assert_eq!(parse_segment("DOB 31 Feb 1960"), FactKind::Note);
        assert_eq!(parse_segment("DOB 1000 to 1960"), FactKind::Note);
    }

    #[test]
    fn places_and_countries() {
        assert_eq!(
            parse_segment("POB Kopys, Vitebsk oblast, Belarus"),
            FactKind::BirthPlace {
                place: "Kopys, Vitebsk oblast, Belarus".into(),
                country: Some("by")
            }
        );
        assert_eq!(
            parse_segment("POB Somewhere"),
            FactKind::BirthPlace {
                place: "Somewhere".into(),
                country: None
            }
        );
        assert_eq!(
            parse_segment("nationality Korea, North"),
            FactKind::Nationality("kp")
        );
        assert_eq!(
            parse_segment("alt. citizen Russia."),
            FactKind::Citizenship("ru")
        );
        assert_eq!(parse_segment("nationality Atlantis"), FactKind::Note);
        assert_eq!(
            parse_segment("nationality Palestinian"),
            FactKind::Nationality("ps")
        );
        assert_eq!(country_code("Region: Gaza"), Some("ps"));
        assert_eq!(country_code("Man, Isle of"), Some("im"));
        assert_eq!(country_code("North Macedonia, The Republic of"), Some("mk"));
        assert_eq!(country_code("undetermined"), None);
        assert_eq!(
            parse_segment(
                "For more information on directives, please visit the following link: http://www.treasury.gov/x.aspx#directives."
            ),
            FactKind::ProgramUrl("http://www.treasury.gov/x.aspx#directives".into())
        );
        assert_eq!(parse_segment("Gender Male."), FactKind::Gender("male"));
        assert_eq!(
            parse_segment("Former Vessel Flag Malta"),
            FactKind::Country {
                use_: CountryUse::PastFlag,
                code: "mt"
            }
        );
    }

    #[test]
    fn documents() {
        let FactKind::Document(d) =
            parse_segment("Passport 1084010 (Egypt) issued 12 Jan 2001 expires 11 Jan 2006.")
        else {
            panic!("not a document");
        };
        assert_eq!(
            (d.property, d.kind, d.number.as_str()),
            ("passportNumber", DocKind::Passport, "1084010")
        );
        assert_eq!(d.country, Some("eg"));
        assert_eq!(d.issued.as_deref(), Some("2001-01-12"));
        assert_eq!(d.expires.as_deref(), Some("2006-01-11"));

        let FactKind::Document(d) =
            parse_segment("Registration Number HRA 738077 (Stuttgart) (Germany)")
        else {
            panic!("not a document");
        };
        assert_eq!((d.number.as_str(), d.country), ("HRA 738077", Some("de")));
        assert_eq!(d.authority.as_deref(), Some("Stuttgart"));

        let FactKind::Document(d) = parse_segment("NIT # 800018928-0 (Colombia).") else {
            panic!("not a document");
        };
        assert_eq!(
            (d.property, d.number.as_str()),
            ("taxNumber", "800018928-0")
        );
        let FactKind::Document(d) = parse_segment("Passport Booklet: A5199819 (Pakistan)") else {
            panic!("not a document");
        };
        assert_eq!(
            (d.label, d.number.as_str()),
            ("Passport Booklet:", "A5199819")
        );
        assert_eq!(
            parse_segment("Vessel Registration Identification IMO 7406784"),
            FactKind::Property {
                property: "imoNumber",
                value: "IMO7406784".into()
            }
        );
        assert_eq!(
            parse_segment("Company Number IMO 5055293."),
            FactKind::Property {
                property: "imoNumber",
                value: "IMO5055293".into()
            }
        );
        let FactKind::Document(d) =
            parse_segment("Legal Entity Number 253400V1H6ART1UQ0N98 (Russia)")
        else {
            panic!("not a document");
        };
        assert_eq!(d.property, "leiCode");
        let FactKind::Document(d) = parse_segment("LE Number 07552116 (Peru).") else {
            panic!("not a document");
        };
        assert_eq!(d.property, "registrationNumber");
        // Prose that starts with a label is not a document.
        assert_eq!(
            parse_segment("Passport issued in Sarajevo, Bosnia-Herzegovina"),
            FactKind::Note
        );
    }

    #[test]
    fn names_links_wallets_provisions() {
        assert_eq!(
            parse_segment("a.k.a. 'BNC'."),
            FactKind::Name {
                use_: NameUse::WeakAlias,
                name: "BNC".into()
            }
        );
        assert_eq!(
            parse_segment("f.k.a. 'ANA I'"),
            FactKind::Name {
                use_: NameUse::PreviousName,
                name: "ANA I".into()
            }
        );
        assert_eq!(
            parse_segment("Linked To: PRIGOZHIN, Yevgeniy Viktorovich."),
            FactKind::LinkedTo("PRIGOZHIN, Yevgeniy Viktorovich.".into())
        );
        assert_eq!(
            parse_segment("alt. Digital Currency Address - XBT 1Kuf2Rd8mDyAViwBozGTNYnvWL8uYFrkVo"),
            FactKind::Wallet {
                currency: "XBT".into(),
                address: "1Kuf2Rd8mDyAViwBozGTNYnvWL8uYFrkVo".into()
            }
        );
        assert_eq!(
            parse_segment("Additional Sanctions Information - Subject to Secondary Sanctions"),
            FactKind::Provision(
                "Additional Sanctions Information - Subject to Secondary Sanctions".into()
            )
        );
        assert_eq!(
            parse_segment("Listing Date (EO 14024 Directive 2): 24 Feb 2022"),
            FactKind::SanctionDate {
                property: "listingDate",
                date: "2022-02-24".into(),
                text: "Listing Date (EO 14024 Directive 2): 24 Feb 2022".into()
            }
        );
        assert_eq!(
            parse_segment("Organization Established Date 1969."),
            FactKind::Property {
                property: "incorporationDate",
                value: "1969".into()
            }
        );
        assert_eq!(
            parse_segment("SWIFT/BIC HAVIGB2L"),
            FactKind::Property {
                property: "swiftBic",
                value: "HAVIGB2L".into()
            }
        );
        assert_eq!(parse_segment("ICTY indictee at large"), FactKind::Note);
    }
}
