//! EU Financial Sanctions Files XML 1.1 (`export`, namespace
//! `http://eu.europa.ec/fpi/fsd/export`).
//!
//! Every `sanctionEntity` becomes a Person (`subjectType` person) or Organization (enterprise)
//! with id `eu-fsf-{slug(euReferenceNumber)}` as OpenSanctions writes it (`EU.8282.49` →
//! `eu-fsf-eu-8282-49`; `eu-fsf-logical-{logicalId}` without a reference number), a Sanction per
//! `regulation`, and Passport, Identification and Address entities. The full file is ~25 MB with
//! tens of thousands of entities: it is read as a stream, one `sanctionEntity` at a time.

use std::collections::VecDeque;
use std::io::BufRead;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use interdict_model::id::{derived_id, slug};
use interdict_model::{Entity, ImportMode, ListRecord, PartialDate, Schema};

use crate::xml_common::{
    AddressParts, Batch, Document, Element, XmlReader, attach_address, date_range, document_entity,
    full_date, join_parts, note, open_file, origin, parse_iso_prefix, put, put_country, put_date,
    put_typed, single_file,
};
use crate::{Format, Import, ImportError, ImportMeta, file_name, hash_files};

/// The dataset every EU FSF file belongs to.
const DATASET: &str = "eu_fsf";

/// The namespace of the FSF export.
const NAMESPACES: &[&str] = &["http://eu.europa.ec/fpi/fsd/export"];

/// The authority named on every Sanction.
const AUTHORITY: &str = "European Union";

/// Open an EU FSF XML file for import (see [`crate::open`]).
pub fn open(paths: &[PathBuf]) -> Result<Import, ImportError> {
    let path = single_file(paths)?;
    let sha256 = hash_files(std::slice::from_ref(path))?;
    let records = read(path, open_file(path)?)?;
    let meta = ImportMeta {
        dataset: DATASET.to_string(),
        format: Format::EuFsfXml,
        mode: ImportMode::Full,
        published: records.published(),
        files: vec![path.clone()],
        sha256,
    };
    Ok(Import::new(meta, records))
}

/// Read an EU FSF file from any buffered source: a file, or bytes in memory (the fuzz target).
/// `file` names the source in errors and origins. The root element and its `generationDate`
/// are read here; entities are read as the records are iterated.
pub fn read<R: BufRead>(file: &Path, source: R) -> Result<Records<R>, ImportError> {
    let mut xml = XmlReader::new(file, source);
    let root = xml.root("export", NAMESPACES)?;
    let published = match root.attr("generationDate") {
        Some(text) => Some(parse_iso_prefix(text).and_then(full_date).ok_or_else(|| {
            xml.error_at(root.pos, format!("generationDate {text:?} is not a date"))
        })?),
        None => None,
    };
    Ok(Records {
        xml,
        file_name: file_name(file),
        published,
        pending: VecDeque::new(),
        done: false,
    })
}

/// The records of an EU FSF file.
pub struct Records<R> {
    xml: XmlReader<R>,
    file_name: String,
    published: Option<NaiveDate>,
    pending: VecDeque<ListRecord>,
    done: bool,
}

impl<R: BufRead> Records<R> {
    /// The day the file was generated (`generationDate`).
    pub fn published(&self) -> Option<NaiveDate> {
        self.published
    }

    fn advance(&mut self) -> Result<(), ImportError> {
        while self.pending.is_empty() && !self.done {
            let Some(tag) = self.xml.next_child()? else {
                self.xml.finish()?;
                self.done = true;
                return Ok(());
            };
            if tag.name == "sanctionEntity" {
                let record = self.xml.read_element(tag)?;
                let batch = map_entity(&record, &self.file_name, &self.xml)?;
                self.pending.extend(batch.into_records());
            } else {
                self.xml.skip(&tag)?;
            }
        }
        Ok(())
    }
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

/// An attribute the schema types as `xs:date`: a date, or a broken file.
fn date_attr<R: BufRead>(
    el: &Element,
    name: &str,
    xml: &XmlReader<R>,
) -> Result<Option<PartialDate>, ImportError> {
    match el.attr(name) {
        None => Ok(None),
        Some(text) => parse_iso_prefix(text)
            .filter(|d| d.day.is_some())
            .map(Some)
            .ok_or_else(|| {
                xml.error_at(
                    el.pos,
                    format!("{name} {text:?} of <{}> is not a date", el.name),
                )
            }),
    }
}

/// An attribute the schema types as an integer in a range: a number, or a broken file.
fn int_attr<R: BufRead>(
    el: &Element,
    name: &str,
    range: std::ops::RangeInclusive<i32>,
    xml: &XmlReader<R>,
) -> Result<Option<i32>, ImportError> {
    match el.attr(name) {
        None => Ok(None),
        Some(text) => text
            .parse::<i32>()
            .ok()
            .filter(|n| range.contains(n))
            .map(Some)
            .ok_or_else(|| {
                xml.error_at(
                    el.pos,
                    format!("{name} {text:?} of <{}> is impossible", el.name),
                )
            }),
    }
}

/// The country of an element with `countryIso2Code` and `countryDescription`: the code, or the
/// description when the code is missing or `00` (unknown).
fn country(el: &Element) -> Option<&str> {
    match (el.attr("countryIso2Code"), el.attr("countryDescription")) {
        (Some(code), _) if code != "00" => Some(code),
        (_, Some(desc)) if !desc.eq_ignore_ascii_case("unknown") => Some(desc),
        _ => None,
    }
}

/// Whether the attribute says `true`.
fn flag(el: &Element, name: &str) -> bool {
    el.attr(name)
        .is_some_and(|v| v.eq_ignore_ascii_case("true"))
}

/// One `sanctionEntity` as entities.
fn map_entity<R: BufRead>(
    el: &Element,
    file: &str,
    xml: &XmlReader<R>,
) -> Result<Batch, ImportError> {
    let o = |field: &str| origin(file, &format!("sanctionEntity/{field}"));
    let reference = el.attr("euReferenceNumber");
    let id = match (reference, el.attr("logicalId")) {
        (Some(r), _) if !slug(r).is_empty() => format!("eu-fsf-{}", slug(r)),
        (_, Some(l)) if !slug(l).is_empty() => format!("eu-fsf-logical-{}", slug(l)),
        _ => {
            return Err(xml.error_at(
                el.pos,
                "sanctionEntity without euReferenceNumber or logicalId",
            ));
        }
    };
    let subject = el
        .child("subjectType")
        .and_then(|s| s.attr("code"))
        .unwrap_or_default();
    let schema = match subject {
        "person" => Schema::named("Person"),
        "enterprise" => Schema::named("Organization"),
        other => {
            return Err(xml.error_at(
                el.pos,
                format!("sanctionEntity {id}: unknown subjectType {other:?}"),
            ));
        }
    };
    let mut entity = Entity::new(id.clone(), schema);
    let mut batch = Batch::default();
    put(&mut entity, "topics", "sanction", &o("subjectType"));
    for remark in el.children("remark").filter_map(Element::text) {
        put(&mut entity, "notes", remark, &o("remark"));
    }
    if let Some(details) = el.attr("designationDetails") {
        put(&mut entity, "notes", details, &o("designationDetails"));
    }

    map_names(el, &mut entity, &o("nameAlias"));
    if !entity.has("name") {
        return Err(xml.error_at(el.pos, format!("sanctionEntity {id} has no name")));
    }

    let designated = date_attr(el, "designationDate", xml)?;
    for regulation in el.children("regulation") {
        let sanction = map_regulation(
            regulation,
            &id,
            reference,
            el.attr("unitedNationId"),
            designated,
            &o("regulation"),
            xml,
        )?;
        for p in sanction.values("program") {
            put(&mut entity, "program", p, &o("regulation"));
        }
        batch.push(sanction);
    }

    for c in el.children("citizenship") {
        if let Some(country) = country(c) {
            put_country(&mut entity, "citizenship", country, &o("citizenship"));
        }
    }

    for birth in el.children("birthdate") {
        map_birth(birth, &mut entity, &o("birthdate"), xml)?;
    }

    for ident in el.children("identification") {
        map_identification(ident, &mut entity, &mut batch, &o("identification"), xml)?;
    }

    for addr in el.children("address") {
        let ao = o("address");
        let region = join_parts([addr.attr("region"), addr.attr("place")], ", ");
        let parts = AddressParts {
            street: addr.attr("street"),
            po_box: addr.attr("poBox"),
            city: addr.attr("city"),
            postal_code: addr.attr("zipCode"),
            region: Some(region.as_str()),
            country: country(addr),
            remarks: addr.child_text("remark"),
            ..AddressParts::default()
        };
        attach_address(&mut entity, &mut batch, "eu-fsf", &parts, &ao);
        for contact in addr.children("contactInfo") {
            let prop = match contact.attr("key").map(str::to_ascii_uppercase).as_deref() {
                Some("PHONE" | "FAX") => "phone",
                Some("EMAIL") => "email",
                Some("WEB") => "website",
                _ => "notes",
            };
            if let Some(value) = contact.attr("value") {
                put(&mut entity, prop, value, &ao);
            }
        }
    }

    batch.push(entity);
    Ok(batch.main_first(&id))
}

/// Names: the first strong alias in the regulation's language with name parts (else the first
/// strong one, else the first) is `name`; the other strong aliases are `alias`, the weak ones
/// (`strong="false"`) `weakAlias`. Parts, titles, functions and gender come along.
fn map_names(el: &Element, entity: &mut Entity, o: &str) {
    let aliases: Vec<&Element> = el
        .children("nameAlias")
        .filter(|a| a.attr("wholeName").is_some())
        .collect();
    let strong = |a: &&Element| {
        a.attr("strong")
            .is_none_or(|s| !s.eq_ignore_ascii_case("false"))
    };
    let primary = aliases
        .iter()
        .position(|a| {
            strong(a)
                && a.attr("nameLanguage").is_none()
                && (a.attr("lastName").is_some() || a.attr("firstName").is_some())
        })
        .or_else(|| {
            aliases
                .iter()
                .position(|a| strong(a) && a.attr("nameLanguage").is_none())
        })
        .or_else(|| aliases.iter().position(strong))
        .or(if aliases.is_empty() { None } else { Some(0) });
    let person = entity.schema.is_a(Schema::named("Person"));
    for (i, alias) in aliases.iter().enumerate() {
        let prop = if Some(i) == primary {
            "name"
        } else if strong(alias) {
            "alias"
        } else {
            "weakAlias"
        };
        if let Some(whole) = alias.attr("wholeName") {
            put(entity, prop, whole, o);
        }
        if person && Some(i) == primary {
            for (attr, part) in [
                ("firstName", "firstName"),
                ("middleName", "middleName"),
                ("lastName", "lastName"),
            ] {
                if let Some(v) = alias.attr(attr) {
                    put(entity, part, v, o);
                }
            }
        }
        if let Some(title) = alias.attr("title") {
            put(entity, "title", title, o);
        }
        if let Some(function) = alias.attr("function") {
            // Organisations have no position in FtM: their function is a note.
            if person {
                put(entity, "position", function, o);
            } else {
                note(entity, "function", function, o);
            }
        }
        if let Some(g) = alias.attr("gender") {
            put_typed(entity, "gender", g, o);
        }
        if let Some(remark) = alias.child_text("remark") {
            note(entity, "name", remark, o);
        }
    }
}

/// A `regulation` as a Sanction: programme, publication (listing) date, entry into force (start
/// date, or the designation date when earlier), the regulation's number and title as provisions,
/// its Official Journal URL.
fn map_regulation<R: BufRead>(
    reg: &Element,
    entity_id: &str,
    reference: Option<&str>,
    un_id: Option<&str>,
    designated: Option<PartialDate>,
    o: &str,
    xml: &XmlReader<R>,
) -> Result<Entity, ImportError> {
    let url = reg.child_text("publicationUrl");
    let key = url
        .or(reg.attr("logicalId"))
        .or(reg.attr("numberTitle"))
        .unwrap_or_default();
    let mut s = Entity::new(
        derived_id("eu-fsf-sanction", &[entity_id, key]),
        Schema::named("Sanction"),
    );
    put(&mut s, "entity", entity_id, o);
    put(&mut s, "authority", AUTHORITY, o);
    if let Some(r) = reference {
        put(&mut s, "authorityId", r, o);
    }
    if let Some(u) = un_id {
        put(&mut s, "unscId", u, o);
    }
    if let Some(p) = reg.attr("programme") {
        put(&mut s, "program", p, o);
    }
    let provisions = join_parts(
        [
            reg.attr("organisationType"),
            reg.attr("regulationType"),
            reg.attr("numberTitle"),
        ],
        " ",
    );
    put(&mut s, "provisions", &provisions, o);
    if let Some(u) = url {
        put(&mut s, "sourceUrl", u, o);
    }
    if let Some(d) = date_attr(reg, "publicationDate", xml)? {
        put_date(&mut s, "listingDate", d, o);
    }
    let in_force = date_attr(reg, "entryIntoForceDate", xml)?;
    let start = match (in_force, designated) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    };
    if let Some(d) = start {
        put_date(&mut s, "startDate", d, o);
    }
    Ok(s)
}

/// A `birthdate`: the full date, or year (and month, day), or a year range; `circa` kept as a
/// note; the place as `birthPlace` and its country as `birthCountry`.
fn map_birth<R: BufRead>(
    b: &Element,
    entity: &mut Entity,
    o: &str,
    xml: &XmlReader<R>,
) -> Result<(), ImportError> {
    let mut dates: Vec<PartialDate> = Vec::new();
    if let Some(d) = date_attr(b, "birthdate", xml)? {
        dates.push(d);
    } else if let Some(year) = int_attr(b, "year", 1000..=9999, xml)? {
        let month = int_attr(b, "monthOfYear", 1..=12, xml)?;
        let day = int_attr(b, "dayOfMonth", 1..=31, xml)?;
        let date = match (month, day) {
            (Some(m), Some(d)) => PartialDate::ymd(year, m as u8, d as u8).ok_or_else(|| {
                xml.error_at(b.pos, format!("birth date {year}-{m}-{d} does not exist"))
            })?,
            (Some(m), None) => PartialDate {
                year,
                month: Some(m as u8),
                day: None,
            },
            _ => PartialDate::year(year),
        };
        dates.push(date);
    }
    let from = int_attr(b, "yearRangeFrom", 1000..=9999, xml)?;
    let to = int_attr(b, "yearRangeTo", 1000..=9999, xml)?;
    match (from, to) {
        (Some(f), Some(t)) if f <= t => {
            dates.extend(date_range(PartialDate::year(f), PartialDate::year(t)))
        }
        (Some(f), Some(t)) => {
            return Err(xml.error_at(
                b.pos,
                format!("birth year range {f} to {t} ends before it starts"),
            ));
        }
        (f, t) => dates.extend(f.into_iter().chain(t).map(PartialDate::year)),
    }
    for d in &dates {
        put_date(entity, "birthDate", *d, o);
    }
    if flag(b, "circa") {
        for d in &dates {
            note(entity, "birthDate", &format!("circa {d}"), o);
        }
    }
    let country = country(b);
    let place = join_parts(
        [
            b.attr("place"),
            b.attr("city"),
            b.attr("zipCode"),
            b.attr("region"),
            country.filter(|c| c.len() > 2),
        ],
        ", ",
    );
    put(entity, "birthPlace", &place, o);
    if let Some(c) = country {
        put_country(entity, "birthCountry", c, o);
    }
    if let Some(r) = b.child_text("remark") {
        note(entity, "birthDate", r, o);
    }
    Ok(())
}

/// An `identification`: a passport or another document (Passport or Identification entity and
/// `passportNumber` / `idNumber`), or a registration, tax, SWIFT or IMO number stored flat.
fn map_identification<R: BufRead>(
    ident: &Element,
    entity: &mut Entity,
    batch: &mut Batch,
    o: &str,
    xml: &XmlReader<R>,
) -> Result<(), ImportError> {
    let code = ident
        .attr("identificationTypeCode")
        .unwrap_or("id")
        .to_ascii_lowercase();
    let description = ident
        .attr("identificationTypeDescription")
        .unwrap_or(code.as_str());
    let Some(number) = ident.attr("number").or(ident.attr("latinNumber")) else {
        let said = join_parts([Some(description), ident.child_text("remark")], ": ");
        note(entity, "identification", &said, o);
        return Ok(());
    };
    let flat = match code.as_str() {
        "passport" => "passportNumber",
        "swiftbic" => "swiftBic",
        "imo" => "imoNumber",
        "regnumber" => "registrationNumber",
        "fiscalcode" => "taxNumber",
        _ => "idNumber",
    };
    put(entity, flat, number, o);
    if let Some(latin) = ident.attr("latinNumber") {
        put(entity, flat, latin, o);
    }
    if matches!(flat, "passportNumber" | "idNumber") {
        let mut remarks: Vec<&str> = ident.children("remark").filter_map(Element::text).collect();
        for (attr, said) in [
            ("diplomatic", "diplomatic"),
            ("knownExpired", "known expired"),
            ("knownFalse", "known false"),
            ("reportedLost", "reported lost"),
            ("revokedByIssuer", "revoked by issuer"),
        ] {
            if flag(ident, attr) {
                remarks.push(said);
            }
        }
        if let Some(name) = ident.attr("nameOnDocument") {
            remarks.push(name);
        }
        let summary = remarks.join("; ");
        let d = Document {
            passport: flat == "passportNumber",
            kind: description,
            number,
            country: country(ident),
            authority: ident.attr("issuedBy"),
            issued: date_attr(ident, "issueDate", xml)?.or(date_attr(ident, "validFrom", xml)?),
            expires: date_attr(ident, "validTo", xml)?,
            summary: (!summary.is_empty()).then_some(summary.as_str()),
        };
        batch.push(document_entity("eu-fsf", &entity.id, &d, o));
    } else if let Some(c) = country(ident) {
        put_country(entity, "country", c, o);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn excerpt() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../data/lists/eu/fsf_1_1_excerpt_2020-04-15.xml")
    }

    fn entities(records: impl Iterator<Item = Result<ListRecord, ImportError>>) -> Vec<Entity> {
        records
            .map(|r| match r.unwrap() {
                ListRecord::Entity(e) => e,
                ListRecord::Delete(id) => panic!("unexpected delete {id}"),
            })
            .collect()
    }

    #[test]
    fn excerpt_has_saddam_husseins_family() {
        let import = open(&[excerpt()]).unwrap();
        assert_eq!(import.meta().dataset, "eu_fsf");
        assert_eq!(
            import.meta().published,
            NaiveDate::from_ymd_opt(2020, 4, 15)
        );
        let all = entities(import);
        // Independent count (Python xml.etree): 7 sanctionEntity, all persons.
        let people: Vec<&Entity> = all
            .iter()
            .filter(|e| e.schema == Schema::named("Person"))
            .collect();
        assert_eq!(people.len(), 7);
        let saddam = people.iter().find(|e| e.id == "eu-fsf-eu-27-28").unwrap();
        assert_eq!(saddam.first("name"), Some("Saddam Hussein Al-Tikriti"));
        assert!(saddam.values("alias").any(|a| a == "Abu Ali"));
        assert_eq!(saddam.first("firstName"), Some("Saddam"));
        assert_eq!(saddam.first("birthDate"), Some("1937-04-28"));
        assert_eq!(saddam.first("citizenship"), Some("iq"));
        assert_eq!(saddam.first("gender"), Some("male"));
        assert_eq!(saddam.first("program"), Some("IRQ"));
        assert_eq!(saddam.first("notes"), Some("UNSC RESOLUTION 1483"));
        assert_eq!(
            saddam.properties["alias"][0].origin.as_deref(),
            Some("fsf_1_1_excerpt_2020-04-15.xml:sanctionEntity/nameAlias")
        );
        let qusay = people.iter().find(|e| e.id == "eu-fsf-eu-39-56").unwrap();
        assert_eq!(qusay.first("name"), Some("Qusay Saddam Hussein Al-Tikriti"));
        assert!(
            qusay
                .values("alias")
                .any(|a| a == "Qoussaï Saddam Hussein Al-Tikriti")
        );
        assert_eq!(
            qusay.values("birthDate").collect::<Vec<_>>(),
            vec!["1965", "1966"]
        );
        assert!(
            qusay
                .values("position")
                .any(|p| p.starts_with("Oversaw Special Republican Guard"))
        );
        let sanctions: Vec<&Entity> = all
            .iter()
            .filter(|e| e.schema == Schema::named("Sanction"))
            .collect();
        assert_eq!(sanctions.len(), 7);
        let s = sanctions
            .iter()
            .find(|s| s.first("entity") == Some("eu-fsf-eu-27-28"))
            .unwrap();
        assert_eq!(s.first("program"), Some("IRQ"));
        assert_eq!(s.first("listingDate"), Some("2003-07-08"));
        assert_eq!(s.first("startDate"), Some("2003-07-07"));
        assert_eq!(
            s.first("provisions"),
            Some("commission regulation 1210/2003 (OJ L169)")
        );
        assert!(
            s.first("sourceUrl")
                .is_some_and(|u| u.starts_with("http://eur-lex.europa.eu/"))
        );
        assert!(
            all.iter()
                .any(|e| e.values("notes").any(|n| n == "birthDate: circa 1957"))
        );
    }

    #[test]
    fn documents_addresses_and_organisations() {
        let xml = r#"<export xmlns="http://eu.europa.ec/fpi/fsd/export" generationDate="2024-06-01T10:00:00.000+02:00">
  <sanctionEntity euReferenceNumber="EU.8282.49" logicalId="1" designationDate="2021-06-21">
    <regulation programme="BLR" publicationDate="2021-06-21" entryIntoForceDate="2021-06-21" numberTitle="2021/997 (OJ L219I)" regulationType="regulation" organisationType="council"><publicationUrl>https://eur-lex.europa.eu/x</publicationUrl></regulation>
    <subjectType code="enterprise" classificationCode="E"/>
    <nameAlias wholeName="Inter Tobacco" strong="true" nameLanguage="" function="Tobacco trading"/>
    <nameAlias wholeName="Интер Тобакко" strong="true" nameLanguage="RU"/>
    <nameAlias wholeName="IT" strong="false"/>
    <identification identificationTypeCode="regnumber" number="190944366" countryIso2Code="BY" countryDescription="BELARUS"/>
    <address street="Pobediteley Avenue 65" city="Minsk" zipCode="220035" countryIso2Code="BY" countryDescription="BELARUS"><contactInfo key="EMAIL" value="office@example.by"/></address>
  </sanctionEntity>
  <sanctionEntity euReferenceNumber="EU.1.2" logicalId="2">
    <subjectType code="person" classificationCode="P"/>
    <nameAlias wholeName="Ivan Ivanov" firstName="Ivan" lastName="Ivanov" strong="true" gender="M"/>
    <identification identificationTypeCode="passport" identificationTypeDescription="National passport" number="MP1234567" countryIso2Code="BY" issuedBy="Ministry of Internal Affairs" issueDate="2015-03-01" knownExpired="true"/>
    <birthdate circa="false" year="1970" monthOfYear="5" countryIso2Code="00" countryDescription="UNKNOWN" city="Minsk"/>
  </sanctionEntity>
</export>"#;
        let records = read(Path::new("fsf.xml"), xml.as_bytes()).unwrap();
        assert_eq!(records.published(), NaiveDate::from_ymd_opt(2024, 6, 1));
        let all = entities(records);
        let it = all.iter().find(|e| e.id == "eu-fsf-eu-8282-49").unwrap();
        assert_eq!(it.schema, Schema::named("Organization"));
        assert_eq!(it.first("registrationNumber"), Some("190944366"));
        assert_eq!(it.first("email"), Some("office@example.by"));
        assert_eq!(it.first("country"), Some("by"));
        assert!(it.values("alias").any(|a| a == "Интер Тобакко"));
        assert_eq!(it.first("weakAlias"), Some("IT"));
        assert!(it.values("notes").any(|n| n == "function: Tobacco trading"));
        let address = all
            .iter()
            .find(|e| e.schema == Schema::named("Address"))
            .unwrap();
        assert_eq!(
            address.first("full"),
            Some("Pobediteley Avenue 65, Minsk, 220035, Belarus")
        );
        let ivanov = all.iter().find(|e| e.id == "eu-fsf-eu-1-2").unwrap();
        assert_eq!(ivanov.first("birthDate"), Some("1970-05"));
        assert_eq!(ivanov.first("passportNumber"), Some("MP1234567"));
        let passport = all
            .iter()
            .find(|e| e.schema == Schema::named("Passport"))
            .unwrap();
        assert_eq!(
            passport.first("authority"),
            Some("Ministry of Internal Affairs")
        );
        assert_eq!(passport.first("startDate"), Some("2015-03-01"));
        assert_eq!(passport.first("summary"), Some("known expired"));
    }

    #[test]
    fn bad_input_names_the_byte() {
        let path = Path::new("fsf.xml");
        let truncated = br#"<export xmlns="http://eu.europa.ec/fpi/fsd/export" generationDate="2020-04-15"><sanctionEntity euReferenceNumber="EU.1.1"><subjectType code="person"/>"#;
        let err = read(path, &truncated[..])
            .unwrap()
            .filter_map(Result::err)
            .next()
            .unwrap();
        assert!(
            matches!(err.location, crate::Location::Byte(n) if n > 0),
            "{err}"
        );

        let un = b"<CONSOLIDATED_LIST dateGenerated=\"2026-02-27T00:00:09.554Z\"><INDIVIDUALS/></CONSOLIDATED_LIST>";
        let err = read(path, &un[..]).err().unwrap();
        assert!(err.reason.contains("expected <export>"), "{err}");
        assert_eq!(err.location, crate::Location::Byte(0));

        assert!(read(path, &b"\x89PNG\r\n\x1a\n\0\0\0"[..]).is_err());

        let bad_month = br#"<export><sanctionEntity logicalId="1"><subjectType code="person"/><nameAlias wholeName="A"/><birthdate year="1970" monthOfYear="13"/></sanctionEntity></export>"#;
        let err = read(path, &bad_month[..])
            .unwrap()
            .filter_map(Result::err)
            .next()
            .unwrap();
        assert!(err.reason.contains("monthOfYear"), "{err}");
    }
}
