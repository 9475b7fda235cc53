//! UN Security Council consolidated list XML (`CONSOLIDATED_LIST`, sc-sanctions.xsd).
//!
//! Every INDIVIDUAL becomes a Person and every ENTITY an Organization, with id
//! `un-{slug(REFERENCE_NUMBER)}` (`QDi.237` → `un-qdi-237`; `un-dataid-{DATAID}` when a record has
//! no reference number), and a Sanction carrying the sanctions regime (UN_LIST_TYPE), the listing
//! date and the reference number. Names keep the UN's order and their original script
//! (NAME_ORIGINAL_SCRIPT: the Arabic, Cyrillic or Chinese form the matcher needs). The file is
//! read as a stream, one record at a time.

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

/// The dataset every UN file belongs to.
const DATASET: &str = "un_sc_sanctions";

/// The authority named on every Sanction.
const AUTHORITY: &str = "United Nations Security Council";

/// Open a UN consolidated list file for import (see [`crate::open`]).
pub fn open(paths: &[PathBuf]) -> Result<Import, ImportError> {
    let path = single_file(paths)?;
    let sha256 = hash_files(std::slice::from_ref(path))?;
    let records = read(path, open_file(path)?)?;
    let meta = ImportMeta {
        dataset: DATASET.to_string(),
        format: Format::UnXml,
        mode: ImportMode::Full,
        published: records.published(),
        files: vec![path.clone()],
        sha256,
    };
    Ok(Import::new(meta, records))
}

/// Read a UN list from any buffered source: a file, or bytes in memory (the fuzz target).
/// `file` names the source in errors and origins. The root element and its `dateGenerated` are
/// read here; records are read as they are iterated.
pub fn read<R: BufRead>(file: &Path, source: R) -> Result<Records<R>, ImportError> {
    let mut xml = XmlReader::new(file, source);
    // The UN file declares no namespace.
    let root = xml.root("CONSOLIDATED_LIST", &[])?;
    let published = match root.attr("dateGenerated") {
        Some(text) => Some(parse_iso_prefix(text).and_then(full_date).ok_or_else(|| {
            xml.error_at(root.pos, format!("dateGenerated {text:?} is not a date"))
        })?),
        None => None,
    };
    Ok(Records {
        xml,
        file_name: file_name(file),
        published,
        in_group: false,
        pending: VecDeque::new(),
        done: false,
    })
}

/// The records of a UN list file.
pub struct Records<R> {
    xml: XmlReader<R>,
    file_name: String,
    published: Option<NaiveDate>,
    /// Inside INDIVIDUALS or ENTITIES.
    in_group: bool,
    pending: VecDeque<ListRecord>,
    done: bool,
}

impl<R: BufRead> Records<R> {
    /// The day the file was generated (`dateGenerated`).
    pub fn published(&self) -> Option<NaiveDate> {
        self.published
    }

    fn advance(&mut self) -> Result<(), ImportError> {
        while self.pending.is_empty() && !self.done {
            let Some(tag) = self.xml.next_child()? else {
                if self.in_group {
                    self.in_group = false;
                    continue;
                }
                self.xml.finish()?;
                self.done = true;
                return Ok(());
            };
            match (self.in_group, tag.name.as_str()) {
                (false, "INDIVIDUALS" | "ENTITIES") => self.in_group = !tag.empty,
                (true, "INDIVIDUAL" | "ENTITY") => {
                    let record = self.xml.read_element(tag)?;
                    let batch = map_record(&record, &self.file_name, &self.xml)?;
                    self.pending.extend(batch.into_records());
                }
                _ => self.xml.skip(&tag)?,
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

/// A date the schema types as `xs:date`; anything else there is a broken file.
fn xs_date<R: BufRead>(
    el: &Element,
    xml: &XmlReader<R>,
) -> Result<Option<PartialDate>, ImportError> {
    match el.text() {
        None => Ok(None),
        Some(text) => parse_iso_prefix(text)
            .filter(|d| d.day.is_some())
            .map(Some)
            .ok_or_else(|| xml.error_at(el.pos, format!("<{}> {text:?} is not a date", el.name))),
    }
}

/// A year the schema types as a number.
fn xs_year<R: BufRead>(
    el: &Element,
    xml: &XmlReader<R>,
) -> Result<Option<PartialDate>, ImportError> {
    match el.text() {
        None => Ok(None),
        Some(text) => text
            .parse::<i32>()
            .ok()
            .filter(|y| (1000..=9999).contains(y))
            .map(|y| Some(PartialDate::year(y)))
            .ok_or_else(|| xml.error_at(el.pos, format!("<{}> {text:?} is not a year", el.name))),
    }
}

fn values<'a>(el: &'a Element, name: &'a str) -> impl Iterator<Item = &'a str> + 'a {
    el.children(name)
        .flat_map(|c| c.children("VALUE"))
        .filter_map(Element::text)
}

/// One INDIVIDUAL or ENTITY as entities.
fn map_record<R: BufRead>(
    el: &Element,
    file: &str,
    xml: &XmlReader<R>,
) -> Result<Batch, ImportError> {
    let person = el.name == "INDIVIDUAL";
    let o = |field: &str| origin(file, field);
    let reference = el.child_text("REFERENCE_NUMBER");
    let id = match (reference, el.child_text("DATAID")) {
        (Some(r), _) if !slug(r).is_empty() => format!("un-{}", slug(r)),
        (_, Some(d)) if !slug(d).is_empty() => format!("un-dataid-{}", slug(d)),
        _ => {
            return Err(xml.error_at(
                el.pos,
                format!("<{}> without REFERENCE_NUMBER or DATAID", el.name),
            ));
        }
    };
    let schema = Schema::named(if person { "Person" } else { "Organization" });
    let mut entity = Entity::new(id.clone(), schema);
    let mut batch = Batch::default();

    // FtM has no third or fourth name: those are middle names; `name` keeps the UN's order.
    let mut parts: Vec<&str> = Vec::new();
    for (field, prop) in [
        ("FIRST_NAME", "firstName"),
        ("SECOND_NAME", "secondName"),
        ("THIRD_NAME", "middleName"),
        ("FOURTH_NAME", "middleName"),
    ] {
        if let Some(v) = el.child_text(field) {
            if person {
                put(&mut entity, prop, v, &o(field));
            }
            parts.push(v);
        }
    }
    if parts.is_empty() {
        return Err(xml.error_at(el.pos, format!("{id} has no name")));
    }
    let name = parts.join(" ");
    put(&mut entity, "name", &name, &o("FIRST_NAME"));
    if let Some(original) = el.child_text("NAME_ORIGINAL_SCRIPT") {
        put(&mut entity, "alias", original, &o("NAME_ORIGINAL_SCRIPT"));
    }
    put(&mut entity, "topics", "sanction", &o("LIST_TYPE"));
    if let Some(c) = el.child_text("COMMENTS1") {
        put(&mut entity, "notes", c, &o("COMMENTS1"));
    }
    for v in values(el, "TITLE") {
        put(&mut entity, "title", v, &o("TITLE"));
    }
    for v in values(el, "DESIGNATION") {
        put(&mut entity, "position", v, &o("DESIGNATION"));
    }
    if let Some(g) = el.child_text("GENDER") {
        put_typed(&mut entity, "gender", g, &o("GENDER"));
    }
    for v in values(el, "NATIONALITY") {
        put_country(&mut entity, "nationality", v, &o("NATIONALITY"));
    }
    for updated in el
        .children("LAST_DAY_UPDATED")
        .flat_map(|c| c.children("VALUE"))
    {
        if let Some(d) = xs_date(updated, xml)? {
            put_date(&mut entity, "modifiedAt", d, &o("LAST_DAY_UPDATED"));
        }
    }

    let mut sanction = Entity::new(derived_id("un-sanction", &[&id]), Schema::named("Sanction"));
    put(&mut sanction, "entity", &id, &o("REFERENCE_NUMBER"));
    put(&mut sanction, "authority", AUTHORITY, &o("UN_LIST_TYPE"));
    if let Some(r) = reference {
        put(&mut sanction, "unscId", r, &o("REFERENCE_NUMBER"));
    }
    if let Some(program) = el.child_text("UN_LIST_TYPE") {
        put(&mut entity, "program", program, &o("UN_LIST_TYPE"));
        put(&mut sanction, "program", program, &o("UN_LIST_TYPE"));
    }
    for v in values(el, "LIST_TYPE") {
        put(&mut sanction, "status", v, &o("LIST_TYPE"));
    }
    if let Some(listed) = el.child("LISTED_ON")
        && let Some(d) = xs_date(listed, xml)?
    {
        put_date(&mut sanction, "listingDate", d, &o("LISTED_ON"));
        put_date(&mut sanction, "startDate", d, &o("LISTED_ON"));
    }

    let alias_field = if person {
        "INDIVIDUAL_ALIAS"
    } else {
        "ENTITY_ALIAS"
    };
    for alias in el.children(alias_field) {
        map_alias(alias, &mut entity, &o(alias_field));
    }

    let address_field = if person {
        "INDIVIDUAL_ADDRESS"
    } else {
        "ENTITY_ADDRESS"
    };
    for addr in el.children(address_field) {
        let (postal_code, state) = postal_code_and_state(addr);
        let parts = AddressParts {
            street: addr.child_text("STREET"),
            city: addr.child_text("CITY"),
            state: state.as_deref(),
            postal_code,
            country: addr.child_text("COUNTRY"),
            remarks: addr.child_text("NOTE"),
            ..AddressParts::default()
        };
        attach_address(&mut entity, &mut batch, "un", &parts, &o(address_field));
    }

    for dob in el.children("INDIVIDUAL_DATE_OF_BIRTH") {
        map_birth_date(dob, &mut entity, &o("INDIVIDUAL_DATE_OF_BIRTH"), xml)?;
    }

    for pob in el.children("INDIVIDUAL_PLACE_OF_BIRTH") {
        let place = join_parts(
            ["STREET", "CITY", "STATE_PROVINCE", "COUNTRY"].map(|f| pob.child_text(f)),
            ", ",
        );
        let po = o("INDIVIDUAL_PLACE_OF_BIRTH");
        put(&mut entity, "birthPlace", &place, &po);
        if let Some(c) = pob.child_text("COUNTRY") {
            put_country(&mut entity, "birthCountry", c, &po);
        }
        if let Some(n) = pob.child_text("NOTE") {
            note(&mut entity, "birthPlace", n, &po);
        }
    }

    for doc in el.children("INDIVIDUAL_DOCUMENT") {
        map_document(doc, &mut entity, &mut batch, &o("INDIVIDUAL_DOCUMENT"), xml)?;
    }

    batch.push(entity);
    batch.push(sanction);
    Ok(batch.main_first(&id))
}

/// A ZIP_CODE without a digit is a place name the UN put in the wrong field.
fn postal_code_and_state(addr: &Element) -> (Option<&str>, Option<String>) {
    let zip = addr.child_text("ZIP_CODE");
    let state = addr.child_text("STATE_PROVINCE");
    match zip {
        Some(z) if !z.bytes().any(|b| b.is_ascii_digit()) => {
            (None, Some(join_parts([state, Some(z)], ", ")))
        }
        _ => (zip, state.map(str::to_string)),
    }
}

/// An alias: QUALITY Good or a.k.a. → alias, Low → weakAlias, f.k.a. → previousName. One
/// ALIAS_NAME may hold several names separated by `; `.
fn map_alias(alias: &Element, entity: &mut Entity, o: &str) {
    let prop = match alias
        .child_text("QUALITY")
        .map(str::to_ascii_lowercase)
        .as_deref()
    {
        Some("low") => "weakAlias",
        Some("f.k.a.") => "previousName",
        _ => "alias",
    };
    if let Some(names) = alias.child_text("ALIAS_NAME") {
        for name in names.split("; ") {
            put(entity, prop, name, o);
        }
    }
    // A free-text field: a date or a year; anything else is kept as a note.
    if let Some(d) = alias.child_text("DATE_OF_BIRTH") {
        put_typed(entity, "birthDate", d, o);
    }
    let place = join_parts(
        [
            alias.child_text("CITY_OF_BIRTH"),
            alias.child_text("COUNTRY_OF_BIRTH"),
        ],
        ", ",
    );
    put(entity, "birthPlace", &place, o);
    if let Some(n) = alias.child_text("NOTE") {
        note(entity, "alias", n, o);
    }
}

/// INDIVIDUAL_DATE_OF_BIRTH: EXACT (DATE or YEAR), APPROXIMATELY (a year, kept with a note),
/// BETWEEN (FROM_YEAR to TO_YEAR: every year in it).
fn map_birth_date<R: BufRead>(
    dob: &Element,
    entity: &mut Entity,
    o: &str,
    xml: &XmlReader<R>,
) -> Result<(), ImportError> {
    let kind = dob.child_text("TYPE_OF_DATE").map(str::to_ascii_uppercase);
    let date = match dob.child("DATE") {
        Some(d) => xs_date(d, xml)?,
        None => None,
    };
    let year = match dob.child("YEAR") {
        Some(y) => xs_year(y, xml)?,
        None => None,
    };
    let from = match dob.child("FROM_YEAR") {
        Some(y) => xs_year(y, xml)?,
        None => None,
    };
    let to = match dob.child("TO_YEAR") {
        Some(y) => xs_year(y, xml)?,
        None => None,
    };
    let mut dates: Vec<PartialDate> = date.into_iter().chain(year).collect();
    match (from, to) {
        (Some(f), Some(t)) if f <= t => dates.extend(date_range(f, t)),
        (Some(f), Some(t)) => {
            return Err(xml.error_at(
                dob.pos,
                format!("date of birth range {f} to {t} ends before it starts"),
            ));
        }
        (f, t) => dates.extend(f.into_iter().chain(t)),
    }
    for d in &dates {
        put_date(entity, "birthDate", *d, o);
    }
    if kind.as_deref() == Some("APPROXIMATELY") {
        for d in &dates {
            note(entity, "birthDate", &format!("approximately {d}"), o);
        }
    }
    if let Some(n) = dob.child_text("NOTE") {
        note(entity, "birthDate", n, o);
    }
    Ok(())
}

/// INDIVIDUAL_DOCUMENT: a Passport or Identification (the type names a passport or not), plus
/// `passportNumber` or `idNumber` on the person.
fn map_document<R: BufRead>(
    doc: &Element,
    entity: &mut Entity,
    batch: &mut Batch,
    o: &str,
    xml: &XmlReader<R>,
) -> Result<(), ImportError> {
    let kinds = join_parts(
        [
            doc.child_text("TYPE_OF_DOCUMENT"),
            doc.child_text("TYPE_OF_DOCUMENT2"),
        ],
        "; ",
    );
    let Some(number) = doc.child_text("NUMBER") else {
        // A document described without a number: keep what is said about it.
        let said = join_parts([Some(kinds.as_str()), doc.child_text("NOTE")], ": ");
        note(entity, "document", &said, o);
        return Ok(());
    };
    let lower = kinds.to_lowercase();
    let passport = ["passport", "passeport", "pasaporte"]
        .iter()
        .any(|p| lower.contains(p));
    let issued = match doc.child("DATE_OF_ISSUE") {
        Some(d) => xs_date(d, xml)?,
        None => None,
    };
    let place = join_parts(
        [
            doc.child_text("CITY_OF_ISSUE"),
            doc.child_text("COUNTRY_OF_ISSUE"),
        ],
        ", ",
    );
    let summary = join_parts(
        [
            doc.child_text("NOTE"),
            (!place.is_empty()).then_some(place.as_str()),
        ],
        "; ",
    );
    let kind = if kinds.is_empty() {
        "Identification"
    } else {
        kinds.as_str()
    };
    let d = Document {
        passport,
        kind,
        number,
        country: doc
            .child_text("ISSUING_COUNTRY")
            .or_else(|| doc.child_text("COUNTRY_OF_ISSUE")),
        issued,
        summary: (!summary.is_empty()).then_some(summary.as_str()),
        ..Document::default()
    };
    put(
        entity,
        if passport {
            "passportNumber"
        } else {
            "idNumber"
        },
        number,
        o,
    );
    batch.push(document_entity("un", &entity.id, &d, o));
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn data(rel: &str) -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../data/lists")
            .join(rel)
    }

    #[test]
    fn un_list_2026_02_27() {
        let import = open(&[data("un/consolidated_2026-02-27.xml")]).unwrap();
        assert_eq!(import.meta().dataset, "un_sc_sanctions");
        assert_eq!(
            import.meta().published,
            NaiveDate::from_ymd_opt(2026, 2, 27)
        );
        let all: Vec<Entity> = import
            .map(|r| match r.unwrap() {
                ListRecord::Entity(e) => e,
                ListRecord::Delete(id) => panic!("unexpected delete {id}"),
            })
            .collect();
        let ids: std::collections::HashSet<&str> = all.iter().map(|e| e.id.as_str()).collect();
        assert_eq!(ids.len(), all.len(), "ids are unique");
        // Independent count (Python xml.etree): 730 INDIVIDUAL, 273 ENTITY.
        let count = |s: &str| {
            all.iter()
                .filter(|e| e.schema == Schema::named(s) && e.has("topics"))
                .count()
        };
        assert_eq!(count("Person"), 730);
        assert_eq!(count("Organization"), 273);
        assert_eq!(
            all.iter()
                .filter(|e| e.schema == Schema::named("Sanction"))
                .count(),
            1003
        );

        let badege = all.iter().find(|e| e.id == "un-cdi-001").unwrap();
        assert_eq!(badege.first("name"), Some("ERIC BADEGE"));
        assert_eq!(badege.first("birthDate"), Some("1971"));
        assert_eq!(badege.first("gender"), Some("male"));
        assert_eq!(badege.first("nationality"), Some("cd"));
        assert_eq!(
            badege.properties["name"][0].origin.as_deref(),
            Some("consolidated_2026-02-27.xml:FIRST_NAME")
        );

        // Original-script names: Saddam Hussein's family in Arabic.
        let arabic = |s: &str| s.chars().any(|c| ('\u{0600}'..='\u{06FF}').contains(&c));
        let with_arabic = all
            .iter()
            .filter(|e| e.schema == Schema::named("Person") && e.values("alias").any(arabic))
            .count();
        assert!(
            with_arabic > 100,
            "{with_arabic} persons with an Arabic-script name"
        );
        assert!(
            all.iter()
                .any(|e| e.values("alias").any(|a| a == "صدام حسين التكريتي"))
        );

        // BETWEEN 1973 and 1974, and APPROXIMATELY.
        assert!(all.iter().any(|e| {
            let years: Vec<&str> = e.values("birthDate").collect();
            years.contains(&"1973") && years.contains(&"1974")
        }));
        assert!(all.iter().any(|e| {
            e.values("notes")
                .any(|n| n.starts_with("birthDate: approximately"))
        }));

        let sanction = all
            .iter()
            .find(|e| {
                e.schema == Schema::named("Sanction") && e.first("entity") == Some("un-cdi-001")
            })
            .unwrap();
        assert_eq!(sanction.first("program"), Some("DRC"));
        assert_eq!(sanction.first("listingDate"), Some("2012-12-31"));
        assert_eq!(sanction.first("unscId"), Some("CDi.001"));
        assert_eq!(sanction.first("authority"), Some(AUTHORITY));

        assert!(all.iter().any(|e| e.schema == Schema::named("Passport")));
        assert!(all.iter().any(|e| e.schema == Schema::named("Address")));
        assert!(all.iter().any(|e| e.has("weakAlias")));
        assert!(all.iter().any(|e| e.has("previousName")));
    }

    #[test]
    fn bad_input_names_the_byte() {
        let path = Path::new("un.xml");
        let truncated = b"<CONSOLIDATED_LIST dateGenerated=\"2026-02-27T00:00:09.554Z\"><INDIVIDUALS><INDIVIDUAL><DATAID>1</DATAID><FIRST_NAME>A</FIRST_NAME>";
        let err = read(path, &truncated[..])
            .unwrap()
            .filter_map(Result::err)
            .next()
            .unwrap();
        assert!(
            matches!(err.location, crate::Location::Byte(n) if n > 0),
            "{err}"
        );
        assert!(err.reason.contains("truncated"), "{err}");

        let eu =
            b"<export xmlns=\"http://eu.europa.ec/fpi/fsd/export\" generationDate=\"2020-04-15\"/>";
        assert!(
            read(path, &eu[..])
                .err()
                .unwrap()
                .reason
                .contains("expected <CONSOLIDATED_LIST>")
        );

        let garbage = [0x00u8, 0x9f, 0x92, 0x96, b'<', b'<'];
        assert!(read(path, &garbage[..]).is_err());

        let bad_date = b"<CONSOLIDATED_LIST><INDIVIDUALS><INDIVIDUAL><DATAID>1</DATAID><FIRST_NAME>A</FIRST_NAME><LISTED_ON>2012-13-31</LISTED_ON></INDIVIDUAL></INDIVIDUALS></CONSOLIDATED_LIST>";
        let err = read(path, &bad_date[..])
            .unwrap()
            .filter_map(Result::err)
            .next()
            .unwrap();
        assert!(err.reason.contains("LISTED_ON"), "{err}");
    }
}
