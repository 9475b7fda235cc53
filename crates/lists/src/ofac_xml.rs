//! OFAC classic XML (`sdnList`, namespace `http://tempuri.org/sdnList.xsd`): `SDN.XML` and
//! `consolidated.xml`.
//!
//! Each `sdnEntry` becomes an entity `ofac-{uid}` (the uid is OFAC's entity number, the same as
//! `ent_num` in the CSV set and `FixedRef` in the advanced format, so versions read from different
//! formats line up), with a Sanction for its programmes and Address, Identification and Passport
//! entities for what its lists hold. The file is read as a stream, one entry at a time.
//!
//! Dataset: the classic format has no field that says which list a file is. A file whose name
//! contains `cons` (`consolidated.xml`, `cons.xml`) is the Consolidated (non-SDN) list,
//! `us_ofac_cons`; any other file is the SDN list, `us_ofac_sdn`.

use std::collections::{HashMap, VecDeque};
use std::io::BufRead;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use interdict_model::date::month_from_name;
use interdict_model::id::derived_id;
use interdict_model::{Entity, ImportMode, ListRecord, PartialDate, PropertyType, Schema};

use crate::xml_common::{
    AddressParts, Batch, Document, Element, Tag, XmlReader, attach_address, date_range,
    document_entity, join_parts, note, open_file, origin, parse_iso_prefix, put, put_country,
    put_date, put_typed, single_file,
};
use crate::{Format, Import, ImportError, ImportMeta, file_name, hash_files};
use types::{Kind, classify};

pub(crate) mod types;

/// Namespaces the classic format is published with: the historical one and the one of OFAC's
/// Sanctions List Service (2024 on).
const NAMESPACES: &[&str] = &[
    "http://tempuri.org/sdnList.xsd",
    "https://sanctionslistservice.ofac.treas.gov/api/PublicationPreview/exports/XML",
];

/// The authority named on every Sanction this format yields.
const AUTHORITY: &str = "Office of Foreign Assets Control";

/// Open a classic XML file for import (see [`crate::open`]).
pub fn open(paths: &[PathBuf]) -> Result<Import, ImportError> {
    let path = single_file(paths)?;
    let sha256 = hash_files(std::slice::from_ref(path))?;
    let records = read(path, open_file(path)?)?;
    let meta = ImportMeta {
        dataset: records.dataset().to_string(),
        format: Format::OfacXml,
        mode: ImportMode::Full,
        published: records.published(),
        files: vec![path.clone()],
        sha256,
    };
    Ok(Import::new(meta, records))
}

/// Read a classic XML list from any buffered source: a file, or bytes in memory (the fuzz
/// target). `file` names the source in errors and origins and decides the dataset. The header
/// (root element, publication date) is read here; entries are read as the records are iterated.
pub fn read<R: BufRead>(file: &Path, source: R) -> Result<Records<R>, ImportError> {
    let mut xml = XmlReader::new(file, source);
    xml.root("sdnList", NAMESPACES)?;
    let name = file_name(file);
    let dataset = if name.to_ascii_lowercase().contains("cons") {
        "us_ofac_cons"
    } else {
        "us_ofac_sdn"
    };
    let mut records = Records {
        xml,
        file_name: name,
        dataset,
        published: None,
        next_tag: None,
        pending: VecDeque::new(),
        names: HashMap::new(),
        links: Vec::new(),
        done: false,
    };
    // The publication information comes before the entries.
    while let Some(tag) = records.xml.next_child()? {
        if tag.name == "publshInformation" {
            let info = records.xml.read_element(tag)?;
            if let Some(d) = info.child("Publish_Date") {
                records.published = Some(publish_date(d, &records.xml)?);
            }
        } else {
            records.next_tag = Some(tag);
            return Ok(records);
        }
    }
    records.xml.finish()?;
    records.done = true;
    Ok(records)
}

/// The records of a classic XML file, read one `sdnEntry` at a time.
pub struct Records<R> {
    xml: XmlReader<R>,
    file_name: String,
    dataset: &'static str,
    published: Option<NaiveDate>,
    next_tag: Option<Tag>,
    pending: VecDeque<ListRecord>,
    /// Every entry's names (upper case) → entity ids, to resolve "Linked To" remarks.
    names: HashMap<String, Vec<String>>,
    /// Entity id and the name its remarks say it is linked to.
    links: Vec<(String, String)>,
    done: bool,
}

impl<R: BufRead> Records<R> {
    /// The dataset the file belongs to (`us_ofac_sdn` or `us_ofac_cons`).
    pub fn dataset(&self) -> &str {
        self.dataset
    }

    /// `Publish_Date` as the file states it.
    pub fn published(&self) -> Option<NaiveDate> {
        self.published
    }

    fn advance(&mut self) -> Result<(), ImportError> {
        while self.pending.is_empty() && !self.done {
            let tag = match self.next_tag.take() {
                Some(t) => t,
                None => match self.xml.next_child()? {
                    Some(t) => t,
                    None => {
                        self.xml.finish()?;
                        self.done = true;
                        let links = self.resolve_links();
                        self.pending.extend(links);
                        return Ok(());
                    }
                },
            };
            if tag.name == "sdnEntry" {
                let entry = self.xml.read_element(tag)?;
                let batch = map_entry(&entry, &self.file_name, &self.xml)?;
                self.pending.extend(batch.into_records());
                self.remember_names(&entry);
            } else {
                self.xml.skip(&tag)?;
            }
        }
        Ok(())
    }
}

impl<R> Records<R> {
    /// Keep what "Linked To" needs from an entry: its names and the names it is linked to.
    fn remember_names(&mut self, entry: &Element) {
        let Some(uid) = entry.child_text("uid") else {
            return;
        };
        let id = format!("ofac-{uid}");
        let akas = entry
            .child("akaList")
            .into_iter()
            .flat_map(|l| l.children("aka"));
        for name in std::iter::once(entry).chain(akas).filter_map(ofac_name) {
            let ids = self.names.entry(name.to_uppercase()).or_default();
            if !ids.contains(&id) {
                ids.push(id.clone());
            }
        }
        for target in entry.child_text("remarks").into_iter().flat_map(linked_to) {
            self.links.push((id.clone(), target.to_uppercase()));
        }
    }

    /// "(Linked To: NAME)" remarks as UnknownLinks, where the name is exactly one other
    /// entry's name or alias; the others stay in the remarks only.
    fn resolve_links(&mut self) -> Vec<ListRecord> {
        let o = origin(&self.file_name, "sdnEntry/remarks");
        let mut batch = Batch::default();
        for (from, target) in std::mem::take(&mut self.links) {
            let Some([to]) = self.names.get(&target).map(Vec::as_slice) else {
                continue;
            };
            if *to == from {
                continue;
            }
            let mut link = Entity::new(
                derived_id("ofac-link", &[&from, to, "Linked To"]),
                Schema::named("UnknownLink"),
            );
            put(&mut link, "subject", &from, &o);
            put(&mut link, "object", to, &o);
            put(&mut link, "role", "Linked To", &o);
            batch.push(link);
        }
        batch.into_records().collect()
    }
}

/// The names in "(Linked To: NAME)" parts of remarks.
fn linked_to(remarks: &str) -> Vec<&str> {
    remarks
        .split("Linked To:")
        .skip(1)
        .filter_map(|rest| rest.split([')', ';']).next())
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .collect()
}

impl<R: BufRead> Iterator for Records<R> {
    type Item = Result<ListRecord, ImportError>;

    fn next(&mut self) -> Option<Self::Item> {
        if let Err(e) = self.advance() {
            self.done = true;
            self.pending.clear();
            return Some(Err(e));
        }
        self.pending.pop_front().map(Ok)
    }
}

/// `Publish_Date`: `MM/DD/YYYY`.
fn publish_date<R: BufRead>(el: &Element, xml: &XmlReader<R>) -> Result<NaiveDate, ImportError> {
    let text = el.text().unwrap_or_default();
    NaiveDate::parse_from_str(text, "%m/%d/%Y").map_err(|_| {
        xml.error_at(
            el.pos,
            format!("Publish_Date {text:?} is not a MM/DD/YYYY date"),
        )
    })
}

/// The schema of an `sdnType`.
fn schema_of(sdn_type: &str) -> Option<Schema> {
    Some(Schema::named(match sdn_type {
        "Individual" => "Person",
        "Entity" => "Organization",
        "Vessel" => "Vessel",
        "Aircraft" => "Airplane",
        _ => return None,
    }))
}

/// A name as OFAC writes it: `LAST, First` when there is a first name.
fn ofac_name(el: &Element) -> Option<String> {
    match (el.child_text("lastName"), el.child_text("firstName")) {
        (Some(last), Some(first)) => Some(format!("{last}, {first}")),
        (Some(last), None) => Some(last.to_string()),
        (None, Some(first)) => Some(first.to_string()),
        (None, None) => None,
    }
}

/// One `sdnEntry` as entities.
fn map_entry<R: BufRead>(
    el: &Element,
    file: &str,
    xml: &XmlReader<R>,
) -> Result<Batch, ImportError> {
    let o = |field: &str| origin(file, &format!("sdnEntry/{field}"));
    let uid = el
        .child_text("uid")
        .filter(|u| u.bytes().all(|b| b.is_ascii_digit()))
        .ok_or_else(|| xml.error_at(el.pos, "sdnEntry without a numeric uid"))?;
    let sdn_type = el.child_text("sdnType").unwrap_or_default();
    let schema = schema_of(sdn_type).ok_or_else(|| {
        xml.error_at(
            el.pos,
            format!("sdnEntry {uid}: unknown sdnType {sdn_type:?}"),
        )
    })?;
    let name =
        ofac_name(el).ok_or_else(|| xml.error_at(el.pos, format!("sdnEntry {uid} has no name")))?;

    let id = format!("ofac-{uid}");
    let mut batch = Batch::default();
    let mut entity = Entity::new(id.clone(), schema);
    put(&mut entity, "name", &name, &o("lastName"));
    if schema.is_a(Schema::named("Person")) {
        if let Some(first) = el.child_text("firstName") {
            put(&mut entity, "firstName", first, &o("firstName"));
        }
        if let Some(last) = el.child_text("lastName") {
            put(&mut entity, "lastName", last, &o("lastName"));
        }
    }
    put(&mut entity, "topics", "sanction", &o("sdnType"));
    if let Some(title) = el.child_text("title") {
        put(&mut entity, "position", title, &o("title"));
    }
    if let Some(remarks) = el.child_text("remarks") {
        put(&mut entity, "notes", remarks, &o("remarks"));
    }

    let mut sanction = Entity::new(
        derived_id("ofac-sanction", &[&id]),
        Schema::named("Sanction"),
    );
    put(&mut sanction, "entity", &id, &o("uid"));
    put(&mut sanction, "authority", AUTHORITY, &o("uid"));
    put(&mut sanction, "authorityId", uid, &o("uid"));
    for program in el
        .child("programList")
        .into_iter()
        .flat_map(|l| l.children("program"))
    {
        if let Some(p) = program.text() {
            put(&mut entity, "program", p, &o("programList"));
            put(&mut sanction, "program", p, &o("programList"));
        }
    }

    for aka in el
        .child("akaList")
        .into_iter()
        .flat_map(|l| l.children("aka"))
    {
        let Some(alias) = ofac_name(aka) else {
            continue;
        };
        let prop = match (aka.child_text("type"), aka.child_text("category")) {
            (Some("f.k.a."), _) => "previousName",
            (Some("n.k.a."), _) => "name",
            (_, Some("weak")) => "weakAlias",
            _ => "alias",
        };
        put(&mut entity, prop, &alias, &o("akaList"));
    }

    let mut sanction_facts = SanctionFacts::new();
    for doc in el
        .child("idList")
        .into_iter()
        .flat_map(|l| l.children("id"))
    {
        map_id(
            doc,
            &mut entity,
            &mut sanction_facts,
            &mut batch,
            &o("idList"),
        );
    }
    apply_sanction_facts(&mut sanction, &sanction_facts, &o("idList"));

    for addr in el
        .child("addressList")
        .into_iter()
        .flat_map(|l| l.children("address"))
    {
        let street2 = join_parts(
            [addr.child_text("address2"), addr.child_text("address3")],
            ", ",
        );
        let parts = AddressParts {
            street: addr.child_text("address1"),
            street2: Some(street2.as_str()),
            city: addr.child_text("city"),
            postal_code: addr.child_text("postalCode"),
            state: addr.child_text("stateOrProvince"),
            region: addr.child_text("region"),
            country: addr.child_text("country"),
            ..AddressParts::default()
        };
        attach_address(&mut entity, &mut batch, "ofac", &parts, &o("addressList"));
    }

    for (list, item, prop) in [
        ("nationalityList", "nationality", "nationality"),
        ("citizenshipList", "citizenship", "citizenship"),
    ] {
        for n in el.child(list).into_iter().flat_map(|l| l.children(item)) {
            if let Some(c) = n.child_text("country") {
                put_country(&mut entity, prop, c, &o(list));
            }
        }
    }

    for dob in el
        .child("dateOfBirthList")
        .into_iter()
        .flat_map(|l| l.children("dateOfBirthItem"))
    {
        if let Some(text) = dob.child_text("dateOfBirth") {
            put_ofac_date(&mut entity, "birthDate", text, &o("dateOfBirthList"));
        }
    }

    for pob in el
        .child("placeOfBirthList")
        .into_iter()
        .flat_map(|l| l.children("placeOfBirthItem"))
    {
        if let Some(place) = pob.child_text("placeOfBirth") {
            put_birth_place(&mut entity, place, &o("placeOfBirthList"));
        }
    }

    if let Some(vessel) = el.child("vesselInfo") {
        let vo = o("vesselInfo");
        for (field, prop) in [
            ("callSign", "callSign"),
            ("vesselType", "type"),
            ("vesselFlag", "flag"),
            ("tonnage", "tonnage"),
            ("grossRegisteredTonnage", "grossRegisteredTonnage"),
        ] {
            if let Some(v) = vessel.child_text(field) {
                put_typed(&mut entity, prop, v, &vo);
            }
        }
        if let Some(owner) = vessel.child_text("vesselOwner") {
            attach_party(&mut entity, &mut batch, "Vessel Owner", owner, &vo);
        }
    }

    batch.push(entity);
    batch.push(sanction);
    Ok(batch.main_first(&id))
}

/// One `idList/id`: a document, a feature, or sanction information, as [`classify`] says.
fn map_id(
    doc: &Element,
    entity: &mut Entity,
    sanction_facts: &mut SanctionFacts,
    batch: &mut Batch,
    o: &str,
) {
    let label = doc.child_text("idType").unwrap_or("Identification");
    let Some(value) = doc.child_text("idNumber") else {
        note(entity, label, "(no number given)", o);
        return;
    };
    let issued_text = doc.child_text("issueDate");
    let expires_text = doc.child_text("expirationDate");
    let issued = issued_text.and_then(single_ofac_date);
    let expires = expires_text.and_then(single_ofac_date);
    // Dates OFAC wrote in a way that is not one day, month or year stay with the document.
    let mut unread = Vec::new();
    if let (Some(t), None) = (issued_text, issued) {
        unread.push(format!("issued {t}"));
    }
    if let (Some(t), None) = (expires_text, expires) {
        unread.push(format!("expires {t}"));
    }
    let unread = unread.join("; ");
    let facts = IdFacts {
        label,
        value,
        country: doc.child_text("idCountry"),
        issued,
        expires,
        authority: None,
        summary: (!unread.is_empty()).then_some(unread.as_str()),
    };
    apply_id(entity, &facts, sanction_facts, batch, o);
}

/// A document or feature OFAC lists for an entity, as the two XML formats give it.
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct IdFacts<'a> {
    /// OFAC's type ("Passport", "Website", "Vessel Flag" …).
    pub label: &'a str,
    /// The number or value.
    pub value: &'a str,
    /// Issuing country, name or code.
    pub country: Option<&'a str>,
    /// Issue date.
    pub issued: Option<PartialDate>,
    /// Expiry date.
    pub expires: Option<PartialDate>,
    /// Issuing authority.
    pub authority: Option<&'a str>,
    /// Remarks on the document.
    pub summary: Option<&'a str>,
}

/// What an entry says about its sanctions outside the sanction records (directive
/// determinations, CMIC listing dates): property and value pairs for every Sanction of the entry.
pub(crate) type SanctionFacts = Vec<(&'static str, String)>;

/// Store one document or feature as [`classify`] says: an Identification or Passport in `batch`
/// plus the flat number, a property, a fact for the sanctions, a wallet, or a related party.
pub(crate) fn apply_id(
    entity: &mut Entity,
    f: &IdFacts<'_>,
    sanction_facts: &mut SanctionFacts,
    batch: &mut Batch,
    o: &str,
) {
    match classify(f.label, entity.schema) {
        Kind::Document { prop, passport } => {
            put(entity, prop, f.value, o);
            let d = Document {
                passport,
                kind: f.label,
                number: f.value,
                country: f.country,
                authority: f.authority,
                issued: f.issued,
                expires: f.expires,
                summary: f.summary,
            };
            batch.push(document_entity("ofac", &entity.id, &d, o));
        }
        Kind::Property(prop) => {
            put_ofac_value(entity, prop, f.value, o);
            if let Some(c) = f.country {
                put_country(entity, "country", c, o);
            }
        }
        Kind::SanctionInfo => {
            let label = f.label.trim_end_matches([' ', '-', ':']);
            sanction_facts.push(("summary", format!("{label}: {}", f.value)));
        }
        Kind::SanctionDate(prop) => sanction_facts.push((prop, f.value.to_string())),
        Kind::CryptoWallet => attach_wallet(entity, batch, f.label, f.value, o),
        Kind::Party(role) => attach_party(entity, batch, role, f.value, o),
        Kind::Location => note(entity, f.label, f.value, o),
    }
}

/// Add an entry's [`SanctionFacts`] to one of its sanctions.
pub(crate) fn apply_sanction_facts(sanction: &mut Entity, facts: &SanctionFacts, o: &str) {
    for (prop, value) in facts {
        if *prop == "summary" {
            put(sanction, prop, value, o);
        } else {
            put_ofac_date(sanction, prop, value, o);
        }
    }
}

/// A value for a property, dates read as OFAC writes them.
pub(crate) fn put_ofac_value(entity: &mut Entity, prop: &str, value: &str, o: &str) {
    if entity.schema.property_type(prop) == Some(PropertyType::Date) {
        put_ofac_date(entity, prop, value, o);
    } else if prop == "birthPlace" {
        put_birth_place(entity, value, o);
    } else {
        put_typed(entity, prop, value, o);
    }
}

/// A place of birth, with its country (the last comma-separated part, when it is one) as
/// `birthCountry`.
pub(crate) fn put_birth_place(entity: &mut Entity, place: &str, o: &str) {
    put(entity, "birthPlace", place, o);
    if let Some(code) = place
        .rsplit(',')
        .next()
        .and_then(interdict_model::country_code)
    {
        put(entity, "birthCountry", code, o);
    }
}

/// A holder's digital currency address as a CryptoWallet.
pub(crate) fn attach_wallet(
    holder: &Entity,
    batch: &mut Batch,
    label: &str,
    address: &str,
    o: &str,
) {
    let currency = label.rsplit(" - ").next().unwrap_or_default().trim();
    let mut wallet = Entity::new(
        derived_id("ofac-wallet", &[&holder.id, address]),
        Schema::named("CryptoWallet"),
    );
    put(&mut wallet, "publicKey", address, o);
    put(&mut wallet, "holder", &holder.id, o);
    if !currency.is_empty() && !currency.eq_ignore_ascii_case(label) {
        put(&mut wallet, "currency", currency, o);
    }
    put(&mut wallet, "topics", "sanction", o);
    batch.push(wallet);
}

/// A party OFAC names only in a field of another entry (a vessel's owner, an aircraft's
/// operator): a LegalEntity with that name, linked to the entry: the owner by an Ownership and
/// the vehicle's `owner`, the operator by an UnknownLink and the vehicle's `operator`.
pub(crate) fn attach_party(
    entity: &mut Entity,
    batch: &mut Batch,
    role: &str,
    name: &str,
    o: &str,
) {
    let party_id = derived_id("ofac-party", &[&entity.id, role, name]);
    let mut party = Entity::new(party_id.clone(), Schema::named("LegalEntity"));
    put(&mut party, "name", name, o);
    let (schema, from, to, prop) = if role == "Vessel Owner" {
        ("Ownership", "owner", "asset", "owner")
    } else {
        ("UnknownLink", "subject", "object", "operator")
    };
    let mut link = Entity::new(
        derived_id("ofac-link", &[&party_id, &entity.id, role]),
        Schema::named(schema),
    );
    put(&mut link, from, &party_id, o);
    put(&mut link, to, &entity.id, o);
    put(&mut link, "role", role, o);
    if entity.schema.property_type(prop) == Some(PropertyType::Entity) {
        put(entity, prop, &party_id, o);
    } else {
        note(entity, role, name, o);
    }
    batch.push(party);
    batch.push(link);
}

/// Add the dates a text date of OFAC's stands for; text that is not a date is kept in notes.
pub(crate) fn put_ofac_date(entity: &mut Entity, prop: &str, text: &str, o: &str) {
    match parse_ofac_date(text) {
        Some((dates, approximate)) => {
            for d in &dates {
                put_date(entity, prop, *d, o);
            }
            if approximate {
                note(entity, prop, text, o);
            }
        }
        None => note(entity, prop, text, o),
    }
}

/// A date of OFAC's that stands for one day, month or year (`14 Nov 2007`).
fn single_ofac_date(text: &str) -> Option<PartialDate> {
    match parse_ofac_date(text) {
        Some((dates, false)) if dates.len() == 1 => dates.first().copied(),
        _ => None,
    }
}

/// Read a date as OFAC writes it: `30 Aug 1954`, `Aug 1954`, `1954`, `circa 1954`,
/// `1951 to 1953`, `01 Jan 1976 to 31 Dec 1978` (also ISO `1954-08-30`). Returns the dates the
/// text stands for (see [`date_range`]) and whether it is approximate.
pub(crate) fn parse_ofac_date(text: &str) -> Option<(Vec<PartialDate>, bool)> {
    let lower = text.trim().to_ascii_lowercase();
    let mut rest = lower.as_str();
    let mut approximate = false;
    for prefix in [
        "circa ",
        "ca. ",
        "c. ",
        "approximately ",
        "approx. ",
        "about ",
    ] {
        if let Some(r) = rest.strip_prefix(prefix) {
            rest = r.trim_start();
            approximate = true;
        }
    }
    if let Some((from, to)) = rest.split_once(" to ") {
        let (from, to) = (single_date(from)?, single_date(to)?);
        if from.first_day() > to.last_day() {
            return None;
        }
        return Some((date_range(from, to), approximate));
    }
    Some((vec![single_date(rest)?], approximate))
}

fn single_date(text: &str) -> Option<PartialDate> {
    let words: Vec<&str> = text.split_whitespace().collect();
    let year = |w: &str| {
        (w.len() == 4 && w.bytes().all(|b| b.is_ascii_digit()))
            .then(|| w.parse::<i32>().ok())
            .flatten()
    };
    match words.as_slice() {
        [y] => year(y)
            .map(PartialDate::year)
            .or_else(|| parse_iso_prefix(y).filter(|_| y.len() == 10)),
        [m, y] => Some(PartialDate {
            year: year(y)?,
            month: Some(month_from_name(m)?),
            day: None,
        }),
        [d, m, y] => PartialDate::ymd(year(y)?, month_from_name(m)?, d.parse().ok()?),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn data(rel: &str) -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../data/lists")
            .join(rel)
    }

    fn entities(import: Import) -> Vec<Entity> {
        import
            .map(|r| match r.unwrap() {
                ListRecord::Entity(e) => e,
                ListRecord::Delete(id) => panic!("unexpected delete {id}"),
            })
            .collect()
    }

    #[test]
    fn dates_as_ofac_writes_them() {
        let show = |t: &str| {
            parse_ofac_date(t).map(|(d, a)| {
                (
                    d.iter()
                        .map(ToString::to_string)
                        .collect::<Vec<_>>()
                        .join(","),
                    a,
                )
            })
        };
        assert_eq!(show("30 Aug 1954"), Some(("1954-08-30".into(), false)));
        assert_eq!(show("05 Jun 1950"), Some(("1950-06-05".into(), false)));
        assert_eq!(show("Aug 1954"), Some(("1954-08".into(), false)));
        assert_eq!(show("1954"), Some(("1954".into(), false)));
        assert_eq!(show("circa 1954"), Some(("1954".into(), true)));
        assert_eq!(show("1951 to 1953"), Some(("1951,1952,1953".into(), false)));
        assert_eq!(
            show("01 Jan 1976 to 31 Dec 1978"),
            Some(("1976,1977,1978".into(), false))
        );
        assert_eq!(show("31 Feb 1954"), None);
        assert_eq!(show("sometime"), None);
        assert_eq!(show("1960 to 1950"), None);
    }

    #[test]
    fn consolidated_xml_has_375_entries_published_2020_03_17() {
        let import = open(&[data("ofac/consolidated_2020-03-17/consolidated.xml")]).unwrap();
        assert_eq!(import.meta().dataset, "us_ofac_cons");
        assert_eq!(
            import.meta().published,
            NaiveDate::from_ymd_opt(2020, 3, 17)
        );
        let all = entities(import);
        let main: Vec<&Entity> = all
            .iter()
            .filter(|e| e.schema.is_matchable() && e.has("topics"))
            .collect();
        assert_eq!(main.len(), 375);
        // Independent count (Python xml.etree): 82 Individual, 293 Entity, 915 aka.
        assert_eq!(
            main.iter()
                .filter(|e| e.schema == Schema::named("Person"))
                .count(),
            82
        );
        let names: usize = main
            .iter()
            .map(|e| {
                e.values("alias").count()
                    + e.values("weakAlias").count()
                    + e.values("previousName").count()
            })
            .sum();
        assert!(names >= 900, "{names} aliases");
        let ids: std::collections::HashSet<&str> = all.iter().map(|e| e.id.as_str()).collect();
        assert_eq!(ids.len(), all.len(), "ids are unique");
        let orenburg = main.iter().find(|e| e.id == "ofac-18267").unwrap();
        assert_eq!(orenburg.first("name"), Some("OJSC ORENBURGNEFT"));
        assert!(orenburg.values("program").any(|p| p == "UKRAINE-EO13662"));
        assert_eq!(
            orenburg.properties["program"][0].origin.as_deref(),
            Some("consolidated.xml:sdnEntry/programList")
        );
        let sanctions = all
            .iter()
            .filter(|e| e.schema == Schema::named("Sanction"))
            .count();
        assert_eq!(sanctions, 375);
        let directive = all
            .iter()
            .filter(|e| e.schema == Schema::named("Sanction"))
            .any(|s| {
                s.values("summary")
                    .any(|v| v.contains("Subject to Directive"))
            });
        assert!(directive);
    }

    #[test]
    fn sdn_excerpt_maps_people_documents_and_dates() {
        let import = open(&[data("ofac/sdn_xml/sdn_excerpt_2020-04-22.xml")]).unwrap();
        assert_eq!(import.meta().dataset, "us_ofac_sdn");
        assert_eq!(
            import.meta().published,
            NaiveDate::from_ymd_opt(2020, 4, 22)
        );
        let all = entities(import);
        assert_eq!(
            all.iter()
                .filter(|e| e.schema.is_matchable() && e.has("topics"))
                .count(),
            7
        );
        let saeed = all.iter().find(|e| e.id == "ofac-10689").unwrap();
        assert_eq!(saeed.first("name"), Some("SAEED, Muhammad"));
        assert_eq!(saeed.first("firstName"), Some("Muhammad"));
        assert_eq!(saeed.first("birthDate"), Some("1950-06-05"));
        assert_eq!(saeed.first("nationality"), Some("pk"));
        assert_eq!(saeed.first("birthCountry"), Some("pk"));
        assert!(saeed.values("weakAlias").any(|a| a == "HAFIZ SAHIB"));
        assert!(saeed.values("passportNumber").any(|p| p == "BE5978421"));
        let passport = all
            .iter()
            .find(|e| {
                e.schema == Schema::named("Passport") && e.first("number") == Some("BE5978421")
            })
            .unwrap();
        assert_eq!(passport.first("startDate"), Some("2007-11-14"));
        assert_eq!(passport.first("endDate"), Some("2012-11-12"));
        assert_eq!(passport.first("country"), Some("pk"));
        assert_eq!(passport.first("holder"), Some("ofac-10689"));
        // "01 Jan 1976 to 31 Dec 1978": every year of the range.
        assert!(all.iter().any(|e| {
            let years: Vec<&str> = e.values("birthDate").collect();
            ["1976", "1977", "1978"].iter().all(|y| years.contains(y))
        }));
        assert!(all.iter().any(|e| e.first("gender") == Some("male")));
    }

    #[test]
    fn bad_input_names_the_byte() {
        let truncated = b"<?xml version=\"1.0\"?>\n<sdnList xmlns=\"http://tempuri.org/sdnList.xsd\"><publshInformation><Publish_Date>04/22/2020</Publish_Date></publshInformation><sdnEntry><uid>1</uid><lastName>X</lastName><sdnType>Entity</sdnType>";
        let path = Path::new("sdn.xml");
        let records = read(path, &truncated[..]).unwrap();
        let err = records.filter_map(Result::err).next().unwrap();
        assert_eq!(err.file, path);
        assert!(
            matches!(err.location, crate::Location::Byte(n) if n > 0),
            "{err}"
        );

        let wrong = b"<CONSOLIDATED_LIST dateGenerated=\"2026-02-27\"/>";
        let err = read(path, &wrong[..]).err().unwrap();
        assert!(err.reason.contains("expected <sdnList>"), "{err}");

        let garbage = [0xffu8, 0xfe, 0x00, 0x41, 0x13, 0x37];
        assert!(read(path, &garbage[..]).is_err());

        let bad_type = b"<sdnList><sdnEntry><uid>1</uid><lastName>X</lastName><sdnType>Spaceship</sdnType></sdnEntry></sdnList>";
        let err = read(path, &bad_type[..])
            .unwrap()
            .filter_map(Result::err)
            .next()
            .unwrap();
        assert!(err.reason.contains("Spaceship"), "{err}");
        assert_eq!(err.location, crate::Location::Byte(9));

        let bad_date = b"<sdnList><publshInformation><Publish_Date>13/45/2020</Publish_Date></publshInformation></sdnList>";
        assert!(
            read(path, &bad_date[..])
                .err()
                .unwrap()
                .reason
                .contains("Publish_Date")
        );
    }
}
