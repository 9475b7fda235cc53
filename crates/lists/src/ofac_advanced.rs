//! OFAC Advanced Sanctions List Standard XML (`Sanctions`, namespace
//! `http://www.un.org/sanctions/1.0`): `sdn_advanced.xml`, `cons_advanced.xml`.
//!
//! The format is relational: numeric ids point into ReferenceValueSets (types, countries,
//! programmes), Locations, IDRegDocuments (documents by identity), SanctionsEntries (listings
//! by profile) and ProfileRelationships (links between profiles), and only some of them come
//! before the DistinctParties in the file. The file is therefore read twice: a first pass keeps
//! everything except the DistinctParties (the small parts: a few percent of the file), a second
//! pass streams the DistinctParties one at a time, each becoming a complete entity
//! `ofac-{FixedRef}` (the same id the CSV and classic importers give OFAC's entity number) with
//! its Sanctions, documents and addresses. The relations follow the last party, when every
//! party's schema is known.
//!
//! Dataset: a file whose SanctionsEntries are all on the "SDN List" is `us_ofac_sdn`; one with
//! entries on other lists (the Consolidated, SSI, FSE, NS-PLC … lists) is `us_ofac_cons`; a file
//! with no entries is decided by its name, as in the classic format.

use std::collections::{HashMap, VecDeque};
use std::io::{BufRead, Seek, SeekFrom};
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use interdict_model::id::{derived_id, slug};
use interdict_model::{
    Entity, ImportMode, ListRecord, PartialDate, PropertyType, Schema, country_code,
};

use crate::ofac_xml::types::{Kind, classify};
use crate::ofac_xml::{
    IdFacts, SanctionFacts, apply_id, apply_sanction_facts, attach_party, attach_wallet,
    put_birth_place, put_ofac_value,
};
use crate::xml_common::{
    AddressParts, Batch, Element, Tag, XmlReader, attach_address, date_range, join_parts, note,
    open_file, origin, put, put_country, put_date, single_file,
};
use crate::{Format, Import, ImportError, ImportMeta, file_name, hash_files};

/// Namespaces the advanced format is published with: the UN-derived standard, the
/// tempuri.org variants, and OFAC's Sanctions List Service (2024 on).
const NAMESPACES: &[&str] = &[
    "http://www.un.org/sanctions/1.0",
    "http://tempuri.org/sdn_advanced.xsd",
    "http://tempuri.org/sanctions/1.0",
    "https://sanctionslistservice.ofac.treas.gov/api/PublicationPreview/exports/ADVANCED_XML",
];

/// The authority named on every Sanction.
const AUTHORITY: &str = "Office of Foreign Assets Control";

/// Open an advanced XML file for import (see [`crate::open`]).
pub fn open(paths: &[PathBuf]) -> Result<Import, ImportError> {
    let path = single_file(paths)?;
    let sha256 = hash_files(std::slice::from_ref(path))?;
    let records = read(path, open_file(path)?)?;
    let meta = ImportMeta {
        dataset: records.dataset().to_string(),
        format: Format::OfacAdvancedXml,
        mode: ImportMode::Full,
        published: records.published(),
        files: vec![path.clone()],
        sha256,
    };
    Ok(Import::new(meta, records))
}

/// Read an advanced XML list from any buffered, seekable source: a file, or bytes in memory
/// (`std::io::Cursor`, the fuzz target). `file` names the source in errors and origins. The first
/// pass (everything but the parties) happens here, so a broken file fails before any record;
/// the parties are streamed as the records are iterated.
pub fn read<R: BufRead + Seek>(file: &Path, source: R) -> Result<Records<R>, ImportError> {
    let mut xml = XmlReader::new(file, source);
    xml.root("Sanctions", NAMESPACES)?;
    let index = Index::read(&mut xml)?;
    let mut source = xml.into_inner();
    source.seek(SeekFrom::Start(0)).map_err(|e| {
        ImportError::new(
            file,
            crate::Location::File,
            format!("cannot read the file again: {e}"),
        )
    })?;
    let mut xml = XmlReader::new(file, source);
    xml.root("Sanctions", NAMESPACES)?;
    let name = file_name(file);
    let dataset = match (index.on_sdn_list, index.on_other_lists) {
        (_, true) => "us_ofac_cons",
        (true, false) => "us_ofac_sdn",
        (false, false) if name.to_ascii_lowercase().contains("cons") => "us_ofac_cons",
        (false, false) => "us_ofac_sdn",
    };
    Ok(Records {
        xml,
        file_name: name,
        dataset,
        index,
        parties: HashMap::new(),
        stage: Stage::BeforeParties,
        pending: VecDeque::new(),
    })
}

/// Where the second pass is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Stage {
    /// Skipping the parts read in the first pass.
    BeforeParties,
    /// Inside DistinctParties.
    Parties,
    /// Parties done: the relations are next.
    Relations,
    /// Nothing more.
    Done,
}

/// The records of an advanced XML file.
pub struct Records<R> {
    xml: XmlReader<R>,
    file_name: String,
    dataset: &'static str,
    index: Index,
    /// Profile id → entity id and schema of every party seen, for the relations.
    parties: HashMap<String, (String, Schema)>,
    stage: Stage,
    pending: VecDeque<ListRecord>,
}

impl<R: BufRead> Records<R> {
    /// The dataset the file belongs to (`us_ofac_sdn` or `us_ofac_cons`).
    pub fn dataset(&self) -> &str {
        self.dataset
    }

    /// `DateOfIssue` as the file states it.
    pub fn published(&self) -> Option<NaiveDate> {
        self.index.published
    }

    fn advance(&mut self) -> Result<(), ImportError> {
        while self.pending.is_empty() && self.stage != Stage::Done {
            match self.stage {
                Stage::BeforeParties => match self.xml.next_child()? {
                    Some(tag) if tag.name == "DistinctParties" && !tag.empty => {
                        self.stage = Stage::Parties
                    }
                    Some(tag) => self.xml.skip(&tag)?,
                    None => self.stage = Stage::Relations,
                },
                Stage::Parties => match self.xml.next_child()? {
                    Some(tag) if tag.name == "DistinctParty" => {
                        let party = self.xml.read_element(tag)?;
                        let batch = self.map_party(&party)?;
                        self.pending.extend(batch.into_records());
                    }
                    Some(tag) => self.xml.skip(&tag)?,
                    None => self.stage = Stage::Relations,
                },
                Stage::Relations => {
                    let mut batch = Batch::default();
                    for rel in &self.index.relations {
                        batch.push(self.map_relation(rel)?);
                    }
                    self.pending.extend(batch.into_records());
                    // The rest of the file was checked in the first pass.
                    self.stage = Stage::Done;
                }
                Stage::Done => {}
            }
        }
        Ok(())
    }

    fn error_at(&self, pos: u64, reason: impl Into<String>) -> ImportError {
        self.xml.error_at(pos, reason)
    }

    /// A reference value's element, or an error naming the dangling id.
    fn reference(
        &self,
        kind: &str,
        id: Option<&str>,
        at: &Element,
    ) -> Result<&Element, ImportError> {
        let id = id.unwrap_or_default();
        self.index
            .refs
            .get(kind)
            .and_then(|set| set.get(id))
            .ok_or_else(|| {
                self.error_at(
                    at.pos,
                    format!(
                        "<{}> refers to {kind} {id:?}, which ReferenceValueSets does not define",
                        at.name
                    ),
                )
            })
    }

    /// A reference value's text.
    fn reference_text(
        &self,
        kind: &str,
        id: Option<&str>,
        at: &Element,
    ) -> Result<&str, ImportError> {
        Ok(self.reference(kind, id, at)?.text().unwrap_or_default())
    }

    /// One DistinctParty as entities.
    fn map_party(&mut self, party: &Element) -> Result<Batch, ImportError> {
        let o = |field: &str| origin(&self.file_name, &format!("DistinctParty/{field}"));
        let fixed_ref = party
            .attr("FixedRef")
            .filter(|r| !slug(r).is_empty())
            .ok_or_else(|| self.error_at(party.pos, "DistinctParty without FixedRef"))?;
        let id = format!("ofac-{}", slug(fixed_ref));
        let profile = party.child("Profile").ok_or_else(|| {
            self.error_at(
                party.pos,
                format!("DistinctParty {fixed_ref} has no Profile"),
            )
        })?;
        let profile_id = profile.attr("ID").unwrap_or(fixed_ref).to_string();
        let sub_type = self.reference("PartySubType", profile.attr("PartySubTypeID"), profile)?;
        let mut type_name = sub_type.text().unwrap_or_default();
        if type_name == "Unknown" {
            type_name = self.reference_text("PartyType", sub_type.attr("PartyTypeID"), profile)?;
        }
        let schema = Schema::named(match type_name {
            "Individual" => "Person",
            "Entity" => "Organization",
            "Vessel" => "Vessel",
            "Aircraft" => "Airplane",
            _ => "LegalEntity",
        });
        let mut entity = Entity::new(id.clone(), schema);
        let mut batch = Batch::default();
        if schema == Schema::named("LegalEntity") {
            note(&mut entity, "party type", type_name, &o("Profile"));
        }
        put(&mut entity, "topics", "sanction", &o("Profile"));
        for comment in [party.child_text("Comment"), profile.child_text("Comment")]
            .into_iter()
            .flatten()
        {
            put(&mut entity, "notes", comment, &o("Comment"));
        }

        let mut identity_ids = Vec::new();
        for identity in profile.children("Identity") {
            if let Some(i) = identity.attr("ID") {
                identity_ids.push(i.to_string());
            }
            self.map_names(identity, &mut entity, &o("Identity/Alias"))?;
        }
        if !entity.has("name") {
            return Err(self.error_at(party.pos, format!("DistinctParty {fixed_ref} has no name")));
        }

        let mut facts = SanctionFacts::new();
        for feature in profile.children("Feature") {
            self.map_feature(feature, &mut entity, &mut facts, &mut batch)?;
        }
        for identity_id in &identity_ids {
            for doc in self.index.documents.get(identity_id).into_iter().flatten() {
                self.map_document(doc, &mut entity, &mut facts, &mut batch)?;
            }
        }

        let entries = self
            .index
            .entries
            .get(&profile_id)
            .map(Vec::as_slice)
            .unwrap_or_default();
        if entries.is_empty() {
            let mut sanction = Entity::new(
                derived_id("ofac-sanction", &[&id]),
                Schema::named("Sanction"),
            );
            put(&mut sanction, "entity", &id, &o("Profile"));
            put(&mut sanction, "authority", AUTHORITY, &o("Profile"));
            put(&mut sanction, "authorityId", fixed_ref, &o("Profile"));
            apply_sanction_facts(&mut sanction, &facts, &o("Feature"));
            batch.push(sanction);
        }
        for entry in entries {
            let mut sanction = self.map_entry(entry, &id, fixed_ref)?;
            for p in sanction
                .values("program")
                .map(str::to_string)
                .collect::<Vec<_>>()
            {
                put(
                    &mut entity,
                    "program",
                    &p,
                    &origin(&self.file_name, "SanctionsEntry/SanctionsMeasure"),
                );
            }
            apply_sanction_facts(&mut sanction, &facts, &o("Feature"));
            batch.push(sanction);
        }

        self.parties.insert(profile_id, (id.clone(), schema));
        batch.push(entity);
        Ok(batch.main_first(&id))
    }

    /// The names of one Identity: every Alias in every script. The primary "Name" alias in Latin
    /// script is `name` (with its parts on a person: first, middle, last name, patronymic,
    /// matronymic); its other scripts are `alias`. A.K.A. → alias, F.K.A. → previousName,
    /// N.K.A. → name; a low-quality alias is a weakAlias.
    fn map_names(
        &self,
        identity: &Element,
        entity: &mut Entity,
        o: &str,
    ) -> Result<(), ImportError> {
        let mut part_types: HashMap<&str, &str> = HashMap::new();
        for group in identity
            .children("NamePartGroups")
            .flat_map(|g| g.children("MasterNamePartGroup"))
            .flat_map(|m| m.children("NamePartGroup"))
        {
            let kind = self.reference_text("NamePartType", group.attr("NamePartTypeID"), group)?;
            part_types.insert(group.attr("ID").unwrap_or_default(), kind);
        }
        let person = entity.schema.is_a(Schema::named("Person"));
        for alias in identity.children("Alias") {
            let alias_type = self.reference_text("AliasType", alias.attr("AliasTypeID"), alias)?;
            let low = alias
                .attr("LowQuality")
                .is_some_and(|v| v.eq_ignore_ascii_case("true"));
            let prop = match alias_type.to_ascii_uppercase().as_str() {
                "NAME" | "N.K.A." => "name",
                "F.K.A." => "previousName",
                _ if low => "weakAlias",
                _ => "alias",
            };
            for doc_name in alias.children("DocumentedName") {
                let mut parts: Vec<(&str, &str)> = Vec::new();
                let mut latin = true;
                for value in doc_name
                    .children("DocumentedNamePart")
                    .flat_map(|p| p.children("NamePartValue"))
                {
                    let Some(text) = value.text() else { continue };
                    let kind = value
                        .attr("NamePartGroupID")
                        .and_then(|g| part_types.get(g))
                        .copied()
                        .unwrap_or("");
                    if let Some(script_id) = value.attr("ScriptID") {
                        let script = self.reference("Script", Some(script_id), value)?;
                        latin &= script
                            .attr("ScriptCode")
                            .or(script.text())
                            .is_none_or(|c| c.eq_ignore_ascii_case("latin"));
                    }
                    parts.push((kind, text));
                }
                let Some(full) = compose_name(&parts) else {
                    continue;
                };
                let prop = if prop == "name" && !latin {
                    "alias"
                } else {
                    prop
                };
                put(entity, prop, &full, o);
                if person && prop == "name" {
                    for (kind, text) in &parts {
                        let part_prop = match *kind {
                            "First Name" => "firstName",
                            "Middle Name" => "middleName",
                            "Last Name" => "lastName",
                            "Patronymic" => "fatherName",
                            "Matronymic" => "motherName",
                            _ => continue,
                        };
                        put(entity, part_prop, text, o);
                    }
                }
            }
        }
        Ok(())
    }

    /// One Feature: its type (FeatureType) says what its value (a detail text or reference, a
    /// date period, a location) is, as [`classify`] maps OFAC's types.
    fn map_feature(
        &self,
        feature: &Element,
        entity: &mut Entity,
        facts: &mut SanctionFacts,
        batch: &mut Batch,
    ) -> Result<(), ImportError> {
        let label = self
            .reference_text("FeatureType", feature.attr("FeatureTypeID"), feature)?
            .trim();
        let o = origin(&self.file_name, &format!("Feature/{label}"));
        let kind = classify(label, entity.schema);
        for version in feature.children("FeatureVersion") {
            let mut texts: Vec<String> = Vec::new();
            for detail in version.children("VersionDetail") {
                match detail.attr("DetailReferenceID") {
                    Some(r) => texts.push(
                        self.reference_text("DetailReference", Some(r), detail)?
                            .to_string(),
                    ),
                    None => texts.extend(detail.text().map(str::to_string)),
                }
            }
            let mut dates = Vec::new();
            for period in version.children("DatePeriod") {
                dates.extend(self.period_dates(period)?);
            }
            if let Some(comment) = version.child_text("Comment") {
                note(entity, label, comment, &o);
            }
            for loc in version.children("VersionLocation") {
                let location = self.location(loc.attr("LocationID"), loc)?;
                let place = self.place(location)?;
                match kind {
                    Kind::Location => attach_address(entity, batch, "ofac", &place.parts(), &o),
                    Kind::Property(prop)
                        if entity.schema.property_type(prop) == Some(PropertyType::Country) =>
                    {
                        match place.country_text() {
                            Some(c) => put_country(entity, prop, c, &o),
                            None => note(entity, label, &place.text(), &o),
                        }
                    }
                    Kind::Property("birthPlace") => put_birth_place(entity, &place.text(), &o),
                    _ => texts.push(place.text()),
                }
            }
            for date in &dates {
                match kind {
                    Kind::Property(prop) => put_date(entity, prop, *date, &o),
                    Kind::SanctionDate(prop) => facts.push((prop, date.to_string())),
                    _ => note(entity, label, &date.to_string(), &o),
                }
            }
            for text in texts.iter().filter(|t| !t.trim().is_empty()) {
                match kind {
                    Kind::Property(prop) => put_ofac_value(entity, prop, text, &o),
                    Kind::SanctionInfo => {
                        facts.push((
                            "summary",
                            format!("{}: {text}", label.trim_end_matches([' ', '-', ':'])),
                        ));
                    }
                    Kind::SanctionDate(prop) => facts.push((prop, text.clone())),
                    Kind::CryptoWallet => attach_wallet(entity, batch, label, text, &o),
                    Kind::Party(role) => attach_party(entity, batch, role, text, &o),
                    Kind::Document { prop, .. } => put(entity, prop, text, &o),
                    Kind::Location => note(entity, label, text, &o),
                }
            }
        }
        Ok(())
    }

    /// One IDRegDocument of the party.
    fn map_document(
        &self,
        doc: &Element,
        entity: &mut Entity,
        facts: &mut SanctionFacts,
        batch: &mut Batch,
    ) -> Result<(), ImportError> {
        let o = origin(&self.file_name, "IDRegDocument");
        let label = self
            .reference_text("IDRegDocType", doc.attr("IDRegDocTypeID"), doc)?
            .trim();
        let Some(number) = doc.child_text("IDRegistrationNo") else {
            note(entity, label, "(no number given)", &o);
            return Ok(());
        };
        let country = match doc.attr("IssuedBy-CountryID") {
            Some(c) => Some(country_of(self.reference("Country", Some(c), doc)?)),
            None => None,
        }
        .flatten();
        let (mut issued, mut expires) = (None, None);
        for date in doc.children("DocumentDate") {
            let kind =
                self.reference_text("IDRegDocDateType", date.attr("IDRegDocDateTypeID"), date)?;
            let mut dates = Vec::new();
            for period in date.children("DatePeriod") {
                dates.extend(self.period_dates(period)?);
            }
            match kind {
                "Issue Date" => issued = dates.first().copied(),
                "Expiration Date" => expires = dates.last().copied(),
                other => {
                    for d in &dates {
                        note(entity, &format!("{label} {other}"), &d.to_string(), &o);
                    }
                }
            }
        }
        let validity = match doc.attr("ValidityID") {
            Some(v) => {
                Some(self.reference_text("Validity", Some(v), doc)?).filter(|v| *v != "Valid")
            }
            None => None,
        };
        // The issuing place is a location; its text goes with the document's remarks.
        let issued_in = match doc.attr("IssuedIn-LocationID") {
            Some(place) => Some(self.place(self.location(Some(place), doc)?)?.text()),
            None => None,
        };
        let summary = join_parts(
            [validity, doc.child_text("Comment"), issued_in.as_deref()],
            "; ",
        );
        let id_facts = IdFacts {
            label,
            value: number,
            country,
            issued,
            expires,
            authority: doc.child_text("IssuingAuthority"),
            summary: (!summary.is_empty()).then_some(summary.as_str()),
        };
        apply_id(entity, &id_facts, facts, batch, &o);
        Ok(())
    }

    /// One SanctionsEntry as a Sanction: programmes (the "Program" measures), the other measures
    /// as provisions, the list, the legal basis as reason, the entry events' dates (creation is
    /// the listing date).
    fn map_entry(
        &self,
        entry: &Element,
        entity_id: &str,
        fixed_ref: &str,
    ) -> Result<Entity, ImportError> {
        let o = |field: &str| origin(&self.file_name, &format!("SanctionsEntry/{field}"));
        let entry_id = entry.attr("ID").unwrap_or_default();
        let mut s = Entity::new(
            derived_id("ofac-sanction", &[entity_id, entry_id]),
            Schema::named("Sanction"),
        );
        put(&mut s, "entity", entity_id, &o("ProfileID"));
        put(&mut s, "authority", AUTHORITY, &o("ProfileID"));
        put(&mut s, "authorityId", fixed_ref, &o("ProfileID"));
        if let Some(list) = entry.attr("ListID") {
            let list = self.reference_text("List", Some(list), entry)?;
            put(&mut s, "summary", &format!("List: {list}"), &o("ListID"));
        }
        for event in entry.children("EntryEvent") {
            let kind = match event.attr("EntryEventTypeID") {
                Some(t) => self.reference_text("EntryEventType", Some(t), event)?,
                None => "Created",
            };
            if let Some(basis) = event.attr("LegalBasisID") {
                let text = self.reference_text("LegalBasis", Some(basis), event)?;
                if text != "Unknown" {
                    put(&mut s, "reason", text, &o("EntryEvent"));
                }
            }
            if let Some(c) = event.child_text("Comment") {
                put(&mut s, "summary", c, &o("EntryEvent"));
            }
            if let Some(date) = event.child("Date") {
                let d = self.date(date)?;
                let prop = if kind.eq_ignore_ascii_case("created") {
                    "listingDate"
                } else {
                    "modifiedAt"
                };
                put_date(&mut s, prop, d, &o("EntryEvent"));
                if prop == "listingDate" {
                    put_date(&mut s, "startDate", d, &o("EntryEvent"));
                }
            }
        }
        for measure in entry.children("SanctionsMeasure") {
            let kind =
                self.reference_text("SanctionsType", measure.attr("SanctionsTypeID"), measure)?;
            let comment = measure.child_text("Comment");
            match (kind, comment) {
                ("Program", Some(program)) => {
                    put(&mut s, "program", program, &o("SanctionsMeasure"))
                }
                (kind, comment) => {
                    let text = join_parts([Some(kind), comment], ": ");
                    put(&mut s, "provisions", &text, &o("SanctionsMeasure"));
                }
            }
        }
        Ok(s)
    }

    /// One ProfileRelationship as an FtM relation. OFAC reads it From → To: "Owned or
    /// Controlled By" means From is owned by To, so To is the owner.
    fn map_relation(&self, rel: &Element) -> Result<Entity, ImportError> {
        let o = origin(&self.file_name, "ProfileRelationship");
        let kind = self.reference_text("RelationType", rel.attr("RelationTypeID"), rel)?;
        let party = |attr: &str| {
            let profile = rel.attr(attr).unwrap_or_default();
            self.parties.get(profile).ok_or_else(|| {
                self.error_at(rel.pos, format!("ProfileRelationship refers to profile {profile:?}, which is not a DistinctParty"))
            })
        };
        let (from, from_schema) = party("From-ProfileID")?;
        let (to, to_schema) = party("To-ProfileID")?;
        let is_person = |s: &Schema| s.is_a(Schema::named("Person"));
        let is_org = |s: &Schema| s.is_a(Schema::named("Organization"));
        // (schema, property of From, property of To, property for the type's wording)
        let (schema, from_prop, to_prop, label_prop) = match kind.to_ascii_lowercase().as_str() {
            "owned or controlled by" | "property in the interest of" => {
                ("Ownership", "asset", "owner", "role")
            }
            "owns, controls, or operates" => ("Ownership", "owner", "asset", "role"),
            "associate of" if is_person(from_schema) && is_person(to_schema) => {
                ("Associate", "person", "associate", "relationship")
            }
            "family member of" if is_person(from_schema) && is_person(to_schema) => {
                ("Family", "person", "relative", "relationship")
            }
            "leader or official of" | "principal executive officer" if is_org(to_schema) => {
                ("Directorship", "director", "organization", "role")
            }
            "leader or official of" | "principal executive officer" => {
                ("Employment", "employee", "employer", "role")
            }
            "acting for or on behalf of" => ("Representation", "agent", "client", "role"),
            "playing a significant role in" if is_org(to_schema) => {
                ("Membership", "member", "organization", "role")
            }
            _ => ("UnknownLink", "subject", "object", "role"),
        };
        let rel_id = rel.attr("ID").unwrap_or_default();
        let mut e = Entity::new(
            derived_id("ofac-rel", &[from, to, rel_id]),
            Schema::named(schema),
        );
        put(&mut e, from_prop, from, &o);
        put(&mut e, to_prop, to, &o);
        put(&mut e, label_prop, kind, &o);
        if rel
            .attr("Former")
            .is_some_and(|f| f.eq_ignore_ascii_case("true"))
        {
            put(&mut e, "status", "former", &o);
        }
        if let Some(c) = rel.child_text("Comment") {
            put(&mut e, "summary", c, &o);
        }
        Ok(e)
    }

    /// A Location by id.
    fn location(&self, id: Option<&str>, at: &Element) -> Result<&Element, ImportError> {
        let id = id.unwrap_or_default();
        self.index.locations.get(id).ok_or_else(|| {
            self.error_at(
                at.pos,
                format!(
                    "<{}> refers to Location {id:?}, which Locations does not hold",
                    at.name
                ),
            )
        })
    }

    /// A Location's parts by their type, and its country.
    fn place<'a>(&'a self, location: &'a Element) -> Result<Place<'a>, ImportError> {
        let mut place = Place::default();
        for part in location.children("LocationPart") {
            let kind = self.reference_text("LocPartType", part.attr("LocPartTypeID"), part)?;
            let value = part
                .children("LocationPartValue")
                .find(|v| {
                    v.attr("Primary")
                        .is_none_or(|p| p.eq_ignore_ascii_case("true"))
                })
                .and_then(|v| v.child_text("Value"));
            if let Some(v) = value {
                place.parts.push((kind, v));
            }
        }
        for c in location.children("LocationCountry") {
            place.country = place.country.or(country_of(self.reference(
                "Country",
                c.attr("CountryID"),
                c,
            )?));
        }
        for a in location.children("LocationAreaCode") {
            let area = self.reference("AreaCode", a.attr("AreaCodeID"), a)?;
            place.country = place
                .country
                .or(area.text().filter(|code| country_code(code).is_some()));
        }
        Ok(place)
    }

    /// A date element (Year, Month, Day): each part a number in range, or a broken file.
    fn date(&self, el: &Element) -> Result<PartialDate, ImportError> {
        let number = |name: &str,
                      range: std::ops::RangeInclusive<i32>|
         -> Result<Option<i32>, ImportError> {
            match el.child(name) {
                None => Ok(None),
                Some(part) => part
                    .text()
                    .and_then(|t| t.parse::<i32>().ok())
                    .filter(|n| range.contains(n))
                    .map(Some)
                    .ok_or_else(|| {
                        self.error_at(part.pos, format!("<{name}> {:?} is impossible", part.text))
                    }),
            }
        };
        let year = number("Year", 1000..=9999)?
            .ok_or_else(|| self.error_at(el.pos, format!("<{}> without a Year", el.name)))?;
        let date = match (number("Month", 1..=12)?, number("Day", 1..=31)?) {
            (Some(m), Some(d)) => PartialDate::ymd(year, m as u8, d as u8)
                .ok_or_else(|| self.error_at(el.pos, format!("{year}-{m}-{d} does not exist")))?,
            (Some(m), None) => PartialDate {
                year,
                month: Some(m as u8),
                day: None,
            },
            _ => PartialDate::year(year),
        };
        Ok(date)
    }

    /// The dates a DatePeriod stands for: from the start's earliest to the end's latest day (see
    /// [`date_range`]).
    fn period_dates(&self, period: &Element) -> Result<Vec<PartialDate>, ImportError> {
        let bound = |name: &str, which: &str| period.child(name).and_then(|b| b.child(which));
        let first = bound("Start", "From").or(bound("End", "From"));
        let last = bound("End", "To").or(bound("Start", "To")).or(first);
        let (Some(first), Some(last)) = (first, last) else {
            return Ok(Vec::new());
        };
        let (from, to) = (self.date(first)?, self.date(last)?);
        if from.first_day() > to.last_day() {
            return Err(self.error_at(
                period.pos,
                format!("date period {from} to {to} ends before it starts"),
            ));
        }
        Ok(date_range(from, to))
    }
}

impl<R: BufRead> Iterator for Records<R> {
    type Item = Result<ListRecord, ImportError>;

    fn next(&mut self) -> Option<Self::Item> {
        if let Err(e) = self.advance() {
            self.stage = Stage::Done;
            self.pending.clear();
            return Some(Err(e));
        }
        self.pending.pop_front().map(Ok)
    }
}

/// A name from its parts: `LAST, Given names` when there is a last name and other parts (as
/// OFAC writes names in its other formats), else the parts in order.
fn compose_name(parts: &[(&str, &str)]) -> Option<String> {
    let last: Vec<&str> = parts
        .iter()
        .filter(|(k, _)| *k == "Last Name")
        .map(|(_, v)| *v)
        .collect();
    let rest: Vec<&str> = parts
        .iter()
        .filter(|(k, _)| *k != "Last Name")
        .map(|(_, v)| *v)
        .collect();
    let name = if !last.is_empty() && !rest.is_empty() {
        format!("{}, {}", last.join(" "), rest.join(" "))
    } else {
        parts.iter().map(|(_, v)| *v).collect::<Vec<_>>().join(" ")
    };
    (!name.trim().is_empty()).then_some(name)
}

/// A CountryValues entry as OFAC names it ("Russia", as in its other formats, so that
/// addresses read the same), or its ISO code when the name is not one interdict knows;
/// `None` for "undetermined".
fn country_of(country: &Element) -> Option<&str> {
    match (country.text(), country.attr("ISO2")) {
        (Some(name), _) if country_code(name).is_some() => Some(name),
        (_, Some(iso)) => Some(iso),
        (name, None) => name.filter(|n| !n.eq_ignore_ascii_case("undetermined")),
    }
}

/// A Location's parts, typed by LocPartType.
#[derive(Default)]
struct Place<'a> {
    parts: Vec<(&'a str, &'a str)>,
    country: Option<&'a str>,
}

impl<'a> Place<'a> {
    fn part(&self, kind: &str) -> Option<&'a str> {
        self.parts.iter().find(|(k, _)| *k == kind).map(|(_, v)| *v)
    }

    /// A part of unknown type: often the country's name.
    fn unknown(&self) -> Option<&'a str> {
        self.part("Unknown")
    }

    /// The country, coded or named.
    fn country_text(&self) -> Option<&'a str> {
        self.country
            .or(self.unknown().filter(|u| country_code(u).is_some()))
    }

    /// As address parts; an unknown part that is not a country is a remark.
    fn parts(&self) -> AddressParts<'a> {
        let unknown = self.unknown().filter(|u| country_code(u).is_none());
        AddressParts {
            street: self.part("ADDRESS1"),
            street2: self.part("ADDRESS2"),
            po_box: self.part("ADDRESS3"),
            city: self.part("CITY"),
            postal_code: self.part("POSTAL CODE"),
            region: self.part("REGION"),
            state: self.part("STATE/PROVINCE"),
            country: self.country_text(),
            remarks: unknown,
            ..AddressParts::default()
        }
    }

    /// The place on one line.
    fn text(&self) -> String {
        let mut text = join_parts(self.parts.iter().map(|(_, v)| Some(*v)), ", ");
        if let Some(c) = self.country.filter(|_| self.unknown().is_none()) {
            let name = country_code(c)
                .and_then(interdict_model::country_name)
                .unwrap_or(c);
            text = join_parts([Some(text.as_str()), Some(name)], ", ");
        }
        text
    }
}

/// What the first pass keeps: everything the parties refer to.
#[derive(Default)]
struct Index {
    published: Option<NaiveDate>,
    /// Reference value kind (`AliasType`, `Country` …) → ID → element.
    refs: HashMap<String, HashMap<String, Element>>,
    /// Location ID → Location.
    locations: HashMap<String, Element>,
    /// Identity ID → its IDRegDocuments.
    documents: HashMap<String, Vec<Element>>,
    /// Profile ID → its SanctionsEntries.
    entries: HashMap<String, Vec<Element>>,
    relations: Vec<Element>,
    on_sdn_list: bool,
    on_other_lists: bool,
}

impl Index {
    /// The first pass: read every top-level part except DistinctParties, to the end of the file.
    fn read<R: BufRead>(xml: &mut XmlReader<R>) -> Result<Index, ImportError> {
        let mut index = Index::default();
        let mut list_ids: Vec<String> = Vec::new();
        while let Some(tag) = xml.next_child()? {
            match tag.name.as_str() {
                "DateOfIssue" => {
                    let el = xml.read_element(tag)?;
                    let date = date_of_issue(&el, xml)?;
                    index.published = Some(date);
                }
                "ReferenceValueSets" => {
                    let sets = xml.read_element(tag)?;
                    for set in sets.children {
                        for value in set.children {
                            if let Some(id) = value.attr("ID").map(str::to_string) {
                                index
                                    .refs
                                    .entry(value.name.clone())
                                    .or_default()
                                    .insert(id, value);
                            }
                        }
                    }
                }
                "Locations" => each_child(xml, &tag, "Location", |el| {
                    if let Some(id) = el.attr("ID").map(str::to_string) {
                        index.locations.insert(id, el);
                    }
                })?,
                "IDRegDocuments" => each_child(xml, &tag, "IDRegDocument", |el| {
                    let identity = el.attr("IdentityID").unwrap_or_default().to_string();
                    index.documents.entry(identity).or_default().push(el);
                })?,
                "ProfileRelationships" => each_child(xml, &tag, "ProfileRelationship", |el| {
                    index.relations.push(el)
                })?,
                "SanctionsEntries" => each_child(xml, &tag, "SanctionsEntry", |el| {
                    if let Some(list) = el.attr("ListID") {
                        list_ids.push(list.to_string());
                    }
                    let profile = el.attr("ProfileID").unwrap_or_default().to_string();
                    index.entries.entry(profile).or_default().push(el);
                })?,
                _ => xml.skip(&tag)?,
            }
        }
        xml.finish()?;
        for id in list_ids {
            let name = index
                .refs
                .get("List")
                .and_then(|l| l.get(&id))
                .and_then(Element::text);
            if name == Some("SDN List") {
                index.on_sdn_list = true;
            } else {
                index.on_other_lists = true;
            }
        }
        Ok(index)
    }
}

/// Read each child of a container element with the given name as a tree; skip the others.
fn each_child<R: BufRead>(
    xml: &mut XmlReader<R>,
    container: &Tag,
    name: &str,
    mut f: impl FnMut(Element),
) -> Result<(), ImportError> {
    if container.empty {
        return Ok(());
    }
    while let Some(tag) = xml.next_child()? {
        if tag.name == name {
            f(xml.read_element(tag)?);
        } else {
            xml.skip(&tag)?;
        }
    }
    Ok(())
}

/// `DateOfIssue`: Year, Month, Day.
fn date_of_issue<R: BufRead>(el: &Element, xml: &XmlReader<R>) -> Result<NaiveDate, ImportError> {
    let part = |name: &str| el.child_text(name).and_then(|t| t.parse::<u32>().ok());
    match (
        part("Year").and_then(|y| i32::try_from(y).ok()),
        part("Month"),
        part("Day"),
    ) {
        (Some(y), Some(m), Some(d)) => NaiveDate::from_ymd_opt(y, m, d),
        _ => None,
    }
    .ok_or_else(|| xml.error_at(el.pos, "DateOfIssue is not a date"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn data(rel: &str) -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../data/lists")
            .join(rel)
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
    fn cons_advanced_lines_up_with_consolidated_xml() {
        let import = open(&[data("ofac/consolidated_2020-03-17/cons_advanced.xml")]).unwrap();
        assert_eq!(import.meta().dataset, "us_ofac_cons");
        assert_eq!(
            import.meta().published,
            NaiveDate::from_ymd_opt(2020, 3, 17)
        );
        let all = entities(import);
        let ids: std::collections::HashSet<&str> = all.iter().map(|e| e.id.as_str()).collect();
        assert_eq!(ids.len(), all.len(), "ids are unique");
        let main: Vec<&Entity> = all
            .iter()
            .filter(|e| e.schema.is_matchable() && e.has("topics"))
            .collect();
        // Independent count (Python xml.etree): 375 DistinctParty, 759 SanctionsEntry, 276
        // ProfileRelationship, all "Owned or Controlled By".
        assert_eq!(main.len(), 375);
        let classic = entities(
            crate::ofac_xml::open(&[data("ofac/consolidated_2020-03-17/consolidated.xml")])
                .unwrap(),
        );
        let classic_ids: std::collections::HashSet<&str> = classic
            .iter()
            .filter(|e| e.schema.is_matchable() && e.has("topics"))
            .map(|e| e.id.as_str())
            .collect();
        let advanced_ids: std::collections::HashSet<&str> =
            main.iter().map(|e| e.id.as_str()).collect();
        assert_eq!(classic_ids, advanced_ids);
        for e in &main {
            let c = classic.iter().find(|c| c.id == e.id).unwrap();
            assert_eq!(c.schema, e.schema, "{}", e.id);
            // The two files agree on names up to letter case ("Russian Agricultural Bank").
            let lower = |e: &Entity| e.first("name").map(str::to_lowercase);
            assert_eq!(lower(c), lower(e), "{}", e.id);
        }
        assert_eq!(
            all.iter()
                .filter(|e| e.schema == Schema::named("Sanction"))
                .count(),
            759
        );
        let ownerships: Vec<&Entity> = all
            .iter()
            .filter(|e| e.schema == Schema::named("Ownership"))
            .collect();
        assert_eq!(ownerships.len(), 276);
        // OJSC Orenburgneft is owned or controlled by Rosneft.
        assert!(
            ownerships
                .iter()
                .any(|o| o.first("asset") == Some("ofac-18267")
                    && o.first("owner") == Some("ofac-17022"))
        );

        let haniya = main.iter().find(|e| e.id == "ofac-9639").unwrap();
        assert_eq!(haniya.first("name"), Some("HANIYA, Ismail Abdul Salah"));
        assert_eq!(haniya.first("lastName"), Some("HANIYA"));
        assert_eq!(haniya.first("birthDate"), Some("1962"));
        assert_eq!(haniya.first("birthPlace"), Some("Shati"));
        assert!(haniya.values("alias").any(|a| a == "HANIYYA, Ismaeel"));
        assert_eq!(haniya.first("program"), Some("NS-PLC"));
        let sanction = all
            .iter()
            .find(|e| {
                e.schema == Schema::named("Sanction")
                    && e.first("entity") == Some("ofac-9639")
                    && e.first("listingDate") == Some("2006-04-12")
            })
            .unwrap();
        assert_eq!(sanction.first("program"), Some("NS-PLC"));
        assert!(sanction.values("provisions").any(|p| p == "Reject"));
        assert!(all.iter().any(|e| e.first("swiftBic").is_some()));
        assert!(
            all.iter()
                .any(|e| e.first("email") == Some("office@rshb.ru"))
        );
        assert!(all.iter().any(|e| e.first("citizenship") == Some("ch")));
        assert!(all.iter().any(|e| {
            e.schema == Schema::named("Sanction")
                && e.values("summary")
                    .any(|s| s.contains("Subject to Directive 1"))
        }));
        assert!(
            all.iter()
                .any(|e| e.schema == Schema::named("Identification")
                    && e.first("number") == Some("1027739609391"))
        );
        assert!(
            all.iter()
                .any(|e| e.schema == Schema::named("Address") && e.first("city").is_some())
        );
    }

    #[test]
    fn bad_input_names_the_byte() {
        let path = Path::new("sdn_advanced.xml");
        let cursor = |b: &'static [u8]| std::io::Cursor::new(b);
        let truncated = b"<Sanctions xmlns=\"http://www.un.org/sanctions/1.0\"><DateOfIssue><Year>2020</Year><Month>3</Month><Day>17</Day></DateOfIssue><ReferenceValueSets><AliasTypeValues>";
        let err = read(path, cursor(truncated)).err().unwrap();
        assert!(
            matches!(err.location, crate::Location::Byte(n) if n > 0),
            "{err}"
        );
        assert!(err.reason.contains("truncated"), "{err}");

        let classic = b"<sdnList xmlns=\"http://tempuri.org/sdnList.xsd\"/>";
        assert!(
            read(path, cursor(classic))
                .err()
                .unwrap()
                .reason
                .contains("expected <Sanctions>")
        );
        assert!(read(path, cursor(b"\xef\xbb\xbf\x00\x01garbage")).is_err());

        let dangling = b"<Sanctions><ReferenceValueSets/><DistinctParties><DistinctParty FixedRef=\"1\"><Profile ID=\"1\" PartySubTypeID=\"4\"/></DistinctParty></DistinctParties></Sanctions>";
        let err = read(path, cursor(dangling))
            .unwrap()
            .filter_map(Result::err)
            .next()
            .unwrap();
        assert!(err.reason.contains("PartySubType"), "{err}");
        assert!(
            matches!(err.location, crate::Location::Byte(n) if n > 0),
            "{err}"
        );

        let bad_date = b"<Sanctions><DateOfIssue><Year>2020</Year><Month>13</Month><Day>17</Day></DateOfIssue></Sanctions>";
        assert!(
            read(path, cursor(bad_date))
                .err()
                .unwrap()
                .reason
                .contains("DateOfIssue")
        );
    }
}
