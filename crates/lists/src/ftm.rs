//! FollowTheMoney JSON lines (`entities.ftm.json`) and OpenSanctions delta files.
//!
//! An entity file has one FtM entity per line (`id`, `schema`, `properties`, `referents`, plus
//! OpenSanctions' `caption`, `datasets`, `first_seen`, `last_seen`, `last_change`, `target`) and
//! is a whole list ([`ImportMode::Full`]). A delta file has one operation per line,
//! `{"op": "ADD"|"MOD"|"DEL", "entity": {…}}`, and holds the changes to the previous version
//! ([`ImportMode::Delta`]): ADD and MOD yield the entity, DEL yields [`ListRecord::Delete`] with
//! its id. The first non-blank line decides which of the two a file is; a line of the other kind
//! later on is an error.
//!
//! The dataset is `opensanctions` unless the caller names another with [`open_with_dataset`]
//! (the OpenSanctions dataset the file was exported from, e.g. `eu_fsf`, so that versions of
//! different exports do not replace each other).
//!
//! Nothing is dropped silently. An unknown schema, a property the schema does not have, or a
//! value that is neither a string, a number nor a nested entity is an error naming the line:
//! a sanctions import that loses an identifier without saying so is worse than one that stops,
//! and the store keeps serving the previous version. The fix for a real FtM property that
//! interdict lacks is a line in `crates/model/data/schemata.txt`. Nested entities (yente's API
//! output nests addresses, sanctions and relations inside the entity they belong to) are
//! flattened: a forward entity property keeps the nested entity's id, a reverse property
//! (`sanctions`, `ownershipOwner` …) becomes the back-reference on the nested entity, and the
//! nested entity is yielded as a record of its own (once per import).
//!
//! Not kept, because the entity model has no place for them: `caption` (the model computes its
//! own), and the OpenSanctions pipeline metadata `datasets`, `first_seen`, `last_seen`,
//! `last_change` and `target`. Every value's origin is `<file name>:<property>` (for a nested
//! entity's link back to its parent, the parent's property). Line numbers are in errors, not in
//! origins: an entity whose values did not change keeps its content hash when lines are added
//! above it, so a new export of the same data is stored once and diffs show only real changes.

use std::collections::{HashSet, VecDeque};
use std::fs::File;
use std::io::{BufRead, BufReader, Cursor};
use std::path::PathBuf;

use interdict_model::{Entity, ImportMode, ListRecord, PropertyType, Schema, SchemaRole};
use serde_json::{Map, Value};
use sha2::{Digest, Sha256};

use crate::{Format, Import, ImportError, ImportMeta, Location, file_name, hash_files};

/// The dataset of an FtM import when the caller names none.
pub const DEFAULT_DATASET: &str = "opensanctions";

/// How deep entities may nest inside each other (serde_json refuses deeper JSON anyway).
const MAX_NESTING: usize = 64;

/// Open FtM entity or delta files for import into the [`DEFAULT_DATASET`] (see [`crate::open`]).
pub fn open(paths: &[PathBuf]) -> Result<Import, ImportError> {
    open_with_dataset(paths, DEFAULT_DATASET)
}

/// Open FtM entity or delta files for import into the named dataset. Several files are read
/// in order as one import and must all be entity files or all delta files.
pub fn open_with_dataset(paths: &[PathBuf], dataset: &str) -> Result<Import, ImportError> {
    if paths.is_empty() {
        return Err(ImportError::new("", Location::File, "no FtM file given"));
    }
    let sha256 = hash_files(paths)?;
    let mut sources = VecDeque::new();
    for path in paths {
        let file = File::open(path)
            .map_err(|e| ImportError::new(path, Location::File, format!("cannot open: {e}")))?;
        sources.push_back(Source::start(path.clone(), Box::new(BufReader::new(file)))?);
    }
    import(sources, dataset, sha256)
}

/// Read an FtM entity or delta file held in memory, named `name` in errors and origins: for
/// fuzzing, tests and files fetched over the network. Yields what [`open_with_dataset`] would.
pub fn read_bytes(name: &str, bytes: Vec<u8>, dataset: &str) -> Result<Import, ImportError> {
    let mut h = Sha256::new();
    h.update((bytes.len() as u64).to_le_bytes());
    h.update(&bytes);
    let source = Source::start(PathBuf::from(name), Box::new(Cursor::new(bytes)))?;
    import(VecDeque::from([source]), dataset, hex::encode(h.finalize()))
}

fn import(sources: VecDeque<Source>, dataset: &str, sha256: String) -> Result<Import, ImportError> {
    let mode = sources.front().map_or(ImportMode::Full, |s| s.mode);
    if let Some(other) = sources.iter().find(|s| s.mode != mode) {
        return Err(ImportError::new(
            &other.path,
            Location::File,
            format!(
                "is {} but the first file is {}",
                describe(other.mode),
                describe(mode)
            ),
        ));
    }
    let meta = ImportMeta {
        dataset: dataset.to_string(),
        format: Format::Ftm,
        mode,
        published: None,
        files: sources.iter().map(|s| s.path.clone()).collect(),
        sha256,
    };
    let records = Records {
        sources,
        queue: VecDeque::new(),
        emitted: HashSet::new(),
        failed: false,
    };
    Ok(Import::new(meta, records))
}

fn describe(mode: ImportMode) -> &'static str {
    match mode {
        ImportMode::Full => "an entity file",
        ImportMode::Delta => "a delta file",
    }
}

/// A JSON object and the 1-based line it was read from.
type NumberedObject = (u64, Map<String, Value>);

/// One input file, read line by line.
struct Source {
    path: PathBuf,
    name: String,
    reader: Box<dyn BufRead + Send>,
    line: u64,
    mode: ImportMode,
    /// The first object, read to find the mode and not yet converted.
    first: Option<NumberedObject>,
    buffer: Vec<u8>,
}

impl Source {
    /// Open a source and read its first object to learn whether it is a delta file.
    fn start(path: PathBuf, reader: Box<dyn BufRead + Send>) -> Result<Source, ImportError> {
        let name = file_name(&path);
        let mut source = Source {
            path,
            name,
            reader,
            line: 0,
            mode: ImportMode::Full,
            first: None,
            buffer: Vec::new(),
        };
        let Some((line, object)) = source.next_object()? else {
            return Err(ImportError::new(
                &source.path,
                Location::File,
                "the file holds no entity and no delta operation",
            ));
        };
        if object.contains_key("op") {
            source.mode = ImportMode::Delta;
        }
        source.first = Some((line, object));
        Ok(source)
    }

    fn error(&self, line: u64, reason: impl Into<String>) -> ImportError {
        ImportError::new(&self.path, Location::Line(line), reason)
    }

    /// The next non-blank line as a JSON object, with its 1-based line number.
    fn next_object(&mut self) -> Result<Option<NumberedObject>, ImportError> {
        if let Some(first) = self.first.take() {
            return Ok(Some(first));
        }
        loop {
            self.buffer.clear();
            let read = self
                .reader
                .read_until(b'\n', &mut self.buffer)
                .map_err(|e| {
                    ImportError::new(
                        &self.path,
                        Location::Line(self.line + 1),
                        format!("cannot read: {e}"),
                    )
                })?;
            if read == 0 {
                return Ok(None);
            }
            self.line += 1;
            let mut bytes = self.buffer.as_slice();
            if self.line == 1 {
                bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
            }
            let text = std::str::from_utf8(bytes).map_err(|e| {
                self.error(
                    self.line,
                    format!("not UTF-8 (byte {} of the line)", e.valid_up_to() + 1),
                )
            })?;
            if text.trim().is_empty() {
                continue;
            }
            return match serde_json::from_str::<Value>(text) {
                Ok(Value::Object(object)) => Ok(Some((self.line, object))),
                Ok(_) => Err(self.error(self.line, "not a JSON object")),
                Err(e) => Err(self.error(self.line, format!("invalid JSON: {e}"))),
            };
        }
    }
}

/// The record stream over all sources.
struct Records {
    sources: VecDeque<Source>,
    queue: VecDeque<ListRecord>,
    /// Ids of nested entities already yielded, so that an address nested in many entities is
    /// yielded once.
    emitted: HashSet<String>,
    failed: bool,
}

impl Iterator for Records {
    type Item = Result<ListRecord, ImportError>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if let Some(record) = self.queue.pop_front() {
                return Some(Ok(record));
            }
            if self.failed {
                return None;
            }
            let source = self.sources.front_mut()?;
            let result = match source.next_object() {
                Ok(Some((line, object))) => {
                    let origin = source.name.clone();
                    convert_line(source.mode, &object, &origin, &mut self.emitted)
                        .map(|records| self.queue.extend(records))
                        .map_err(|reason| source.error(line, reason))
                }
                Ok(None) => {
                    self.sources.pop_front();
                    Ok(())
                }
                Err(e) => Err(e),
            };
            if let Err(e) = result {
                self.failed = true;
                return Some(Err(e));
            }
        }
    }
}

/// The records one line yields, or the reason it cannot be read.
fn convert_line(
    mode: ImportMode,
    object: &Map<String, Value>,
    origin: &str,
    emitted: &mut HashSet<String>,
) -> Result<Vec<ListRecord>, String> {
    let entity = match mode {
        ImportMode::Full => {
            if object.contains_key("op") {
                return Err("a delta operation in an entity file".into());
            }
            object
        }
        ImportMode::Delta => {
            let op = match object.get("op") {
                Some(Value::String(op)) => op.as_str(),
                Some(other) => return Err(format!("op must be a string, not {other}")),
                None => return Err("not a delta operation: no \"op\"".into()),
            };
            let Some(Value::Object(entity)) = object.get("entity") else {
                return Err(format!("{op} without an \"entity\" object"));
            };
            match op {
                "ADD" | "MOD" => entity,
                "DEL" => return Ok(vec![ListRecord::Delete(entity_id(entity)?.to_string())]),
                _ => return Err(format!("unknown op {op:?} (expected ADD, MOD or DEL)")),
            }
        }
    };
    let mut flat = Flattener {
        origin,
        nested: Vec::new(),
        emitted,
    };
    let top = flat.entity(entity, 0)?;
    let mut records = vec![ListRecord::Entity(top)];
    records.extend(flat.nested.into_iter().map(ListRecord::Entity));
    Ok(records)
}

fn entity_id(object: &Map<String, Value>) -> Result<&str, String> {
    match object.get("id") {
        Some(Value::String(id)) if !id.trim().is_empty() => Ok(id),
        Some(other) => Err(format!("entity id must be a non-empty string, not {other}")),
        None => Err("entity without an \"id\"".into()),
    }
}

/// Turns one (possibly nested) FtM object into flat entities.
struct Flattener<'a> {
    origin: &'a str,
    /// Nested entities found so far, to be yielded after the line's entity.
    nested: Vec<Entity>,
    emitted: &'a mut HashSet<String>,
}

impl Flattener<'_> {
    fn entity(&mut self, object: &Map<String, Value>, depth: usize) -> Result<Entity, String> {
        if depth > MAX_NESTING {
            return Err(format!("entities nested more than {MAX_NESTING} deep"));
        }
        let id = entity_id(object)?;
        let schema = match object.get("schema") {
            Some(Value::String(name)) => {
                Schema::get(name).ok_or_else(|| format!("entity {id}: unknown schema {name:?}"))?
            }
            Some(other) => {
                return Err(format!("entity {id}: schema must be a string, not {other}"));
            }
            None => return Err(format!("entity {id} has no schema")),
        };
        let mut entity = Entity::new(id, schema);
        match object.get("referents") {
            None | Some(Value::Null) => {}
            Some(Value::Array(referents)) => {
                for referent in referents {
                    let Value::String(referent) = referent else {
                        return Err(format!("entity {id}: referents must be strings"));
                    };
                    if !entity.referents.contains(referent) {
                        entity.referents.push(referent.clone());
                    }
                }
            }
            Some(_) => return Err(format!("entity {id}: referents must be a list")),
        }
        let properties = match object.get("properties") {
            None | Some(Value::Null) => return Ok(entity),
            Some(Value::Object(properties)) => properties,
            Some(_) => return Err(format!("entity {id}: properties must be an object")),
        };
        for (property, values) in properties {
            let Value::Array(values) = values else {
                return Err(format!(
                    "entity {id}: property {property} must be a list of values"
                ));
            };
            for value in values {
                self.value(&mut entity, property, value, depth)?;
            }
        }
        Ok(entity)
    }

    fn value(
        &mut self,
        entity: &mut Entity,
        property: &str,
        value: &Value,
        depth: usize,
    ) -> Result<(), String> {
        let text = match value {
            Value::String(s) => s.clone(),
            Value::Number(n) => n.to_string(),
            Value::Object(nested) => return self.nested(entity, property, nested, depth),
            other => {
                return Err(format!(
                    "entity {}: property {property} holds {other}, not a string or an entity",
                    entity.id
                ));
            }
        };
        let origin = format!("{}:{property}", self.origin);
        entity.add(property, text, Some(&origin)).map_err(|e| {
            format!(
                "entity {}: {e} (if FollowTheMoney defines it, add it to \
                 crates/model/data/schemata.txt)",
                entity.id
            )
        })
    }

    /// A nested entity: link it to its parent by id and keep it for yielding.
    fn nested(
        &mut self,
        parent: &mut Entity,
        property: &str,
        object: &Map<String, Value>,
        depth: usize,
    ) -> Result<(), String> {
        let mut child = self.entity(object, depth + 1)?;
        match parent.schema.property_type(property) {
            Some(PropertyType::Entity) => {
                parent.set(
                    property,
                    &child.id,
                    Some(&format!("{}:{property}", self.origin)),
                );
            }
            Some(_) => {
                return Err(format!(
                    "entity {}: property {property} holds a value, not the entity {}",
                    parent.id, child.id
                ));
            }
            None => link_back(
                &mut child,
                property,
                &parent.id,
                &format!("{}:{property}", self.origin),
            )?,
        }
        if self.emitted.insert(child.id.clone()) {
            self.nested.push(child);
        }
        Ok(())
    }
}

/// FtM reverse property names and the forward property they mirror (`Sanction.entity` is seen
/// from the sanctioned entity as `sanctions`).
const REVERSE: &[(&str, &str)] = &[
    ("sanctions", "entity"),
    ("identification", "holder"),
    ("ownershipOwner", "owner"),
    ("ownershipAsset", "asset"),
    ("directorshipDirector", "director"),
    ("directorshipOrganization", "organization"),
    ("familyPerson", "person"),
    ("familyRelative", "relative"),
    ("associates", "person"),
    ("associations", "associate"),
    ("membershipMember", "member"),
    ("membershipOrganization", "organization"),
    ("employers", "employee"),
    ("employees", "employer"),
    ("agencyClient", "agent"),
    ("agentRepresentation", "client"),
    ("unknownLinkSubject", "subject"),
    ("unknownLinkTo", "object"),
    ("positionOccupancies", "holder"),
    ("occupancies", "post"),
    ("ownedVehicles", "owner"),
    ("operatedVehicles", "operator"),
    ("subsidiaries", "parent"),
    ("securities", "issuer"),
    ("bankAccountHolder", "holder"),
    ("bankAccountBank", "bank"),
    ("cryptoWallets", "holder"),
    ("things", "addressEntity"),
];

/// Give a nested entity found under a reverse property its reference to the parent, which
/// yente leaves out of nested output to avoid cycles.
fn link_back(child: &mut Entity, reverse: &str, parent: &str, origin: &str) -> Result<(), String> {
    let refers_to_parent = child
        .schema
        .properties()
        .filter(|(_, ty)| *ty == PropertyType::Entity)
        .any(|(p, _)| child.values(p).any(|v| v == parent));
    if refers_to_parent {
        return Ok(());
    }
    let forward = REVERSE
        .iter()
        .find(|(r, f)| *r == reverse && child.schema.property_type(f) == Some(PropertyType::Entity))
        .map(|(_, f)| *f)
        .or_else(|| match child.schema.role() {
            SchemaRole::Attached { subject } => Some(*subject),
            SchemaRole::Edge { source, target } => match (child.has(source), child.has(target)) {
                (false, true) => Some(*source),
                (true, false) => Some(*target),
                _ => None,
            },
            SchemaRole::Node => None,
        });
    match forward {
        Some(forward) => {
            child.set(forward, parent, Some(origin));
            Ok(())
        }
        None => Err(format!(
            "entity {parent}: cannot tell which property of the nested {} {} points back to it \
             under {reverse:?}",
            child.schema, child.id
        )),
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;

    const FIXTURES: &str = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../tests/fixtures/opensanctions"
    );

    fn path(name: &str) -> PathBuf {
        PathBuf::from(FIXTURES).join(name)
    }

    fn records(import: Import) -> Vec<ListRecord> {
        import.map(Result::unwrap).collect()
    }

    fn entities(records: &[ListRecord]) -> Vec<&Entity> {
        records
            .iter()
            .filter_map(|r| match r {
                ListRecord::Entity(e) => Some(e),
                ListRecord::Delete(_) => None,
            })
            .collect()
    }

    fn error_of(text: &str) -> ImportError {
        match read_bytes(
            "entities.ftm.json",
            text.as_bytes().to_vec(),
            DEFAULT_DATASET,
        ) {
            Err(e) => e,
            Ok(import) => import
                .filter_map(Result::err)
                .next()
                .expect("input must be refused"),
        }
    }

    #[test]
    fn yente_entity_file() {
        let import = open(&[path("yente_t1_entities.ftm.json")]).unwrap();
        assert_eq!(import.meta().mode, ImportMode::Full);
        assert_eq!(import.meta().dataset, "opensanctions");
        assert_eq!(import.meta().format, Format::Ftm);
        let all = records(import);
        let entities = entities(&all);
        assert_eq!(entities.len(), 7);
        let mut schemata = BTreeMap::new();
        for e in &entities {
            *schemata.entry(e.schema.name()).or_insert(0) += 1;
        }
        assert_eq!(
            schemata,
            BTreeMap::from([("Address", 1), ("Organization", 2), ("Person", 4)])
        );
        let tobacco = entities
            .iter()
            .find(|e| e.id == "NK-2GdmHtZTeNXjNVrBGEXZNj")
            .unwrap();
        assert!(tobacco.referents.iter().any(|r| r == "ofac-32733"));
        assert!(tobacco.referents.iter().any(|r| r == "eu-fsf-eu-8282-49"));
        assert!(tobacco.values("name").any(|n| n == "RAB „Inter Tobacco“"));
        assert_eq!(tobacco.first("registrationNumber"), Some("808000714"));
        assert_eq!(
            tobacco.properties["name"][0].origin.as_deref(),
            Some("yente_t1_entities.ftm.json:name")
        );
        let kuzmenko = entities
            .iter()
            .find(|e| e.id == "NK-2Ka3UvopqbpZmVDFjWd4LA")
            .unwrap();
        assert_eq!(kuzmenko.first("birthDate"), Some("1971-01-22"));
        assert_eq!(
            kuzmenko.properties["birthDate"][0].origin.as_deref(),
            Some("yente_t1_entities.ftm.json:birthDate")
        );
    }

    #[test]
    fn an_entity_keeps_its_hash_when_lines_are_added_above_it() {
        let person = r#"{"id":"p1","schema":"Person","properties":{"name":["Ivan Petrov"]}}"#;
        let other = r#"{"id":"p0","schema":"Person","properties":{"name":["Anna Ivanova"]}}"#;
        let hash_of_p1 = |text: String| {
            let records = records(read_bytes("export.ftm.json", text.into_bytes(), "os").unwrap());
            let p1 = entities(&records)
                .into_iter()
                .find(|e| e.id == "p1")
                .unwrap()
                .clone();
            assert_eq!(
                p1.properties["name"][0].origin.as_deref(),
                Some("export.ftm.json:name")
            );
            p1.content_hash()
        };
        assert_eq!(
            hash_of_p1(format!("{person}\n")),
            hash_of_p1(format!("{other}\n{other}\n{person}\n").replacen("p0", "p2", 1))
        );
    }

    #[test]
    fn yente_delta_file() {
        let import = open_with_dataset(&[path("yente_entities.delta.json")], "eu_fsf").unwrap();
        assert_eq!(import.meta().mode, ImportMode::Delta);
        assert_eq!(import.meta().dataset, "eu_fsf");
        let all = records(import);
        assert_eq!(all.len(), 1_700);
        let deletes = all
            .iter()
            .filter(|r| matches!(r, ListRecord::Delete(_)))
            .count();
        assert_eq!(deletes, 571);
        // 90 ADD + 1,039 MOD.
        assert_eq!(entities(&all).len(), 1_129);
        let sanctions = entities(&all)
            .iter()
            .filter(|e| e.schema.name() == "Sanction")
            .count();
        assert_eq!(sanctions, 547);
    }

    #[test]
    fn nested_entities_are_flattened() {
        let line = r#"{"id":"p1","schema":"Person","properties":{"name":["Viktar SHEIMAN"],
            "addressEntity":[{"id":"a1","schema":"Address","properties":{"full":["Minsk"]}}],
            "sanctions":[{"id":"s1","schema":"Sanction","properties":{"program":["BELARUS"]}}],
            "ownershipOwner":[{"id":"o1","schema":"Ownership","properties":{"percentage":["51"],
              "asset":[{"id":"c1","schema":"Company","properties":{"name":["NAFTAN"]}}]}}]}}
            {"id":"p2","schema":"Person","properties":{"name":["X"],
            "addressEntity":[{"id":"a1","schema":"Address","properties":{"full":["Minsk"]}}]}}"#
            .replace("\n            ", " ")
            .replace("} {", "}\n{");
        let import = read_bytes("nested.json", line.into_bytes(), DEFAULT_DATASET).unwrap();
        let all = records(import);
        let all = entities(&all);
        let ids: Vec<&str> = all.iter().map(|e| e.id.as_str()).collect();
        // Properties are read in name order: addressEntity, name, ownershipOwner, sanctions.
        assert_eq!(ids, ["p1", "a1", "c1", "o1", "s1", "p2"]);
        let get = |id: &str| *all.iter().find(|e| e.id == id).unwrap();
        assert_eq!(get("p1").first("addressEntity"), Some("a1"));
        assert!(!get("p1").has("sanctions"));
        assert_eq!(get("s1").first("entity"), Some("p1"));
        assert_eq!(get("o1").first("owner"), Some("p1"));
        assert_eq!(get("o1").first("asset"), Some("c1"));
        assert_eq!(get("p2").first("addressEntity"), Some("a1"));
        assert_eq!(
            get("s1").properties["entity"][0].origin.as_deref(),
            Some("nested.json:sanctions")
        );
    }

    #[test]
    fn bad_input_names_file_line_and_reason() {
        let person = r#"{"id":"p1","schema":"Person","properties":{"name":["A"]}}"#;
        // Invalid JSON on line 2.
        let e = error_of(&format!("{person}\n{{\"id\": \n"));
        assert_eq!(e.file, PathBuf::from("entities.ftm.json"));
        assert_eq!(e.location, Location::Line(2));
        assert!(e.reason.contains("invalid JSON"), "{e}");
        // A non-UTF-8 line.
        let mut bytes = format!("{person}\n\n").into_bytes();
        bytes.extend_from_slice(b"{\"id\":\"p\xff\"}\n");
        let e = read_bytes("entities.ftm.json", bytes, DEFAULT_DATASET)
            .unwrap()
            .find_map(Result::err)
            .unwrap();
        assert_eq!(e.location, Location::Line(3));
        assert!(e.reason.contains("not UTF-8"), "{e}");
        // An unknown op, a delta line in an entity file, an entity line in a delta file.
        let add = format!(r#"{{"op":"ADD","entity":{person}}}"#);
        let e = error_of(&format!(
            "{add}\n{{\"op\":\"UPSERT\",\"entity\":{person}}}\n"
        ));
        assert_eq!(e.location, Location::Line(2));
        assert!(e.reason.contains("unknown op \"UPSERT\""), "{e}");
        let e = error_of(&format!("{person}\n{add}\n"));
        assert!(
            e.reason.contains("delta operation in an entity file"),
            "{e}"
        );
        let e = error_of(&format!("{add}\n{person}\n"));
        assert!(e.reason.contains("no \"op\""), "{e}");
        // Unknown schema or property, values of the wrong kind.
        let e = error_of(r#"{"id":"x","schema":"Spaceship","properties":{}}"#);
        assert_eq!(e.location, Location::Line(1));
        assert!(e.reason.contains("unknown schema \"Spaceship\""), "{e}");
        let e = error_of(r#"{"id":"x","schema":"Person","properties":{"imoNumber":["1"]}}"#);
        assert!(e.reason.contains("imoNumber"), "{e}");
        let e = error_of(r#"{"id":"x","schema":"Person","properties":{"name":"A"}}"#);
        assert!(e.reason.contains("list of values"), "{e}");
        let e = error_of(r#"{"id":"x","schema":"Person","properties":{"name":[true]}}"#);
        assert!(e.reason.contains("not a string or an entity"), "{e}");
        let e = error_of(r#"{"schema":"Person"}"#);
        assert!(e.reason.contains("without an \"id\""), "{e}");
        let e = error_of("[1, 2]");
        assert!(e.reason.contains("not a JSON object"), "{e}");
        let e = error_of("\n \n");
        assert_eq!(e.location, Location::File);
        // A nested entity that cannot be linked back.
        let e = error_of(
            r#"{"id":"x","schema":"Person","properties":{"friends":[{"id":"y","schema":"Person"}]}}"#,
        );
        assert!(e.reason.contains("\"friends\""), "{e}");
    }

    #[test]
    fn delta_operations() {
        let text = concat!(
            r#"{"op":"ADD","entity":{"id":"a","schema":"Company","properties":{"name":["A"]}}}"#,
            "\n",
            r#"{"op":"MOD","entity":{"id":"b","schema":"Company","properties":{"name":["B"]},"referents":["ofac-1"]}}"#,
            "\r\n",
            r#"{"op":"DEL","entity":{"id":"c"}}"#,
        );
        let import = read_bytes("d.delta.json", text.as_bytes().to_vec(), "x").unwrap();
        assert_eq!(import.meta().mode, ImportMode::Delta);
        let all = records(import);
        assert_eq!(all.len(), 3);
        assert!(matches!(&all[0], ListRecord::Entity(e) if e.id == "a"));
        assert!(matches!(&all[1], ListRecord::Entity(e) if e.referents == ["ofac-1"]));
        assert_eq!(all[2], ListRecord::Delete("c".into()));
    }
}
