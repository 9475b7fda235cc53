//! The candidate index: built once from listed entities, immutable afterwards.

use std::sync::Arc;

use chrono::NaiveDateTime;
use interdict_model::{Entity, PropertyType, Schema};
use interdict_names::{FormSystem, NameKind, TokenRole, analyze_name};
use roaring::RoaringBitmap;
use rustc_hash::FxHashMap;

use crate::attrs::{IdKind, ListedAttributes, resolve_country};
use crate::vocab::{Csr, VocabBuilder, Vocabulary};

/// What the caller knows about a listed entity besides the entity itself: the datasets it is
/// published in, when it last changed, and topics not carried on the entity.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EntityMeta {
    /// Dataset names (`us_ofac_sdn`, `un_sc_sanctions` …).
    pub datasets: Vec<String>,
    /// When the entity last changed in its list (for `changed_since`).
    pub last_change: Option<NaiveDateTime>,
    /// Topics in addition to the entity's own `topics` property (`sanction`, `role.pep`).
    pub topics: Vec<String>,
}

impl EntityMeta {
    /// Metadata naming one dataset.
    pub fn dataset(name: impl Into<String>) -> EntityMeta {
        EntityMeta {
            datasets: vec![name.into()],
            ..EntityMeta::default()
        }
    }
}

/// Errors building an index.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BuildError {
    /// The index would hold more entities or names than its 32-bit ids can number.
    #[error("too many entities or names for one index")]
    TooLarge,
}

/// Collects listed entities and builds an [`Index`].
///
/// Entities of matchable schemata are indexed by name; an entity added again (the same id
/// from another dataset) is merged with the first. `Identification` and `Passport` entities
/// are not indexed themselves: they complete the identifiers of their holder with the
/// document type and issuing country (which OFAC keeps on the document, not on the person).
/// Entities of other schemata are ignored, so a whole import can be fed in as it comes.
///
/// The builder keeps what the index needs of each entity as it is added (its names, the
/// attributes the scorer compares, filter metadata and a compact serialised copy), not the
/// `Entity` value itself, so that a million entities can stream through it.
#[derive(Debug, Default)]
pub struct IndexBuilder {
    records: Vec<EntityRecord>,
    stored: Vec<u8>,
    by_id: FxHashMap<Box<str>, u32>,
    referents: Vec<(Box<str>, u32)>,
    documents: Vec<(Box<str>, String, IdKind, Option<&'static str>)>,
    dataset_ids: FxHashMap<String, u16>,
    topic_ids: FxHashMap<String, u16>,
    datasets: Vec<String>,
    topics: Vec<String>,
}

/// Which property of an entity a name was listed under.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum NameSource {
    Name,
    Alias,
    WeakAlias,
    PreviousName,
    Parts,
    Other,
}

impl NameSource {
    fn from_property(p: &str) -> NameSource {
        match p {
            "name" => NameSource::Name,
            "alias" => NameSource::Alias,
            "weakAlias" => NameSource::WeakAlias,
            "previousName" => NameSource::PreviousName,
            _ => NameSource::Other,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            NameSource::Name => "name",
            NameSource::Alias => "alias",
            NameSource::WeakAlias => "weakAlias",
            NameSource::PreviousName => "previousName",
            NameSource::Parts => "firstName/lastName",
            NameSource::Other => "other",
        }
    }
}

/// A word of an indexed name form.
#[derive(Debug, Clone, Copy)]
pub(crate) struct FormWord {
    pub word: u32,
    pub role: TokenRole,
    pub vowelless: bool,
    /// 0, or 1 + the index of the word's legal form in `Index::legal_forms`.
    pub legal_form: u8,
    /// The scorer's word flags (`score::FLAG_COMPOUND`, `score::FLAG_PATRONYMIC_SHAPE`).
    pub flags: u8,
}

/// One indexed Latin form of a listed name.
#[derive(Debug, Clone)]
pub(crate) struct IndexedForm {
    pub entity: u32,
    /// Index into the entity's listed names.
    pub listed: u32,
    pub words_start: u32,
    pub words_len: u16,
    pub system: FormSystem,
}

/// A listed name as written.
#[derive(Debug, Clone)]
pub(crate) struct ListedName {
    pub text: Box<str>,
    pub source: NameSource,
}

/// Where an entity's birth dates and countries lie in the index's flat arrays, and its gender.
#[derive(Debug, Clone, Copy)]
pub(crate) struct EntityFacts {
    pub dates: u32,
    pub countries: u32,
    pub n_dates: u32,
    pub n_countries: u32,
    pub gender: Option<crate::attrs::Gender>,
}

/// What the index keeps per entity.
#[derive(Debug, Clone)]
pub(crate) struct EntityRecord {
    pub id: Box<str>,
    pub schema: Schema,
    pub caption: Box<str>,
    pub listed_names: Box<[ListedName]>,
    pub attrs: ListedAttributes,
    pub datasets: Box<[u16]>,
    pub topics: Box<[u16]>,
    pub last_change: Option<NaiveDateTime>,
    pub stored: (u64, u32),
}

/// An immutable in-memory index of listed entities: their name forms, a vocabulary of name
/// words reachable by several keys, postings from words to name forms, per-entity attributes
/// and filter metadata, and the entities themselves (stored compactly).
///
/// An `Index` is never changed after [`IndexBuilder::build`]: a new list version builds a new
/// index beside the old one and [`crate::IndexHandle`] swaps them atomically, so a search
/// always sees one consistent version.
#[derive(Debug)]
pub struct Index {
    pub(crate) entities: Vec<EntityRecord>,
    /// Each entity's schema, apart from its record so that checking candidates reads little.
    pub(crate) entity_schema: Vec<Schema>,
    /// Each entity's birth dates, countries and gender (copied from its attributes), in
    /// flat arrays read when weighing candidates, so that a candidate costs one or two
    /// cache lines rather than its whole record.
    pub(crate) entity_facts: Vec<EntityFacts>,
    pub(crate) fact_dates: Vec<interdict_model::PartialDate>,
    pub(crate) fact_countries: Vec<&'static str>,
    pub(crate) by_id: FxHashMap<Box<str>, u32>,
    pub(crate) forms: Vec<IndexedForm>,
    /// Each form's entity and word count, apart from the form so that ranking candidates
    /// reads little.
    pub(crate) form_entity: Vec<u32>,
    pub(crate) form_len: Vec<u16>,
    pub(crate) form_words: Vec<FormWord>,
    pub(crate) legal_forms: Vec<&'static str>,
    pub(crate) vocab: Vocabulary,
    pub(crate) postings: Csr,
    pub(crate) by_identifier: FxHashMap<Box<str>, Vec<u32>>,
    pub(crate) datasets: Vec<String>,
    pub(crate) topics: Vec<String>,
    pub(crate) dataset_sets: Vec<RoaringBitmap>,
    pub(crate) topic_sets: Vec<RoaringBitmap>,
    stored: Vec<u8>,
    pub(crate) generation: u64,
}

/// Sizes of an index, for logs and benchmarks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct IndexStats {
    /// Entities indexed.
    pub entities: usize,
    /// Listed names (name and alias values).
    pub listed_names: usize,
    /// Indexed Latin forms of those names (one per romanisation that differs).
    pub forms: usize,
    /// Distinct name words.
    pub vocabulary: usize,
    /// Word-to-form postings.
    pub postings: usize,
    /// Approximate heap bytes held.
    pub heap_bytes: usize,
}

/// The name-reading of a schema: persons, organisations, vessels, aircraft.
pub(crate) fn kind_of(schema: Schema) -> NameKind {
    if schema.is_a(Schema::named("Person")) {
        NameKind::Person
    } else if schema.is_a(Schema::named("Organization")) {
        NameKind::Organization
    } else if schema.is_a(Schema::named("Vessel")) {
        NameKind::Vessel
    } else if schema.is_a(Schema::named("Airplane")) {
        NameKind::Aircraft
    } else {
        NameKind::Unknown
    }
}

const NAME_PARTS: &[&str] = &[
    "firstName",
    "secondName",
    "middleName",
    "fatherName",
    "motherName",
    "lastName",
    "nameSuffix",
];

/// The names with, for each name that carries a parenthesis ("Ansar al Charia (ASL)",
/// "أنصار الشريعة (Ansar al Charia)"), the name without it and the parenthesised part: lists
/// and queries put aliases, acronyms and translations in brackets.
pub(crate) fn with_parts(names: &[String]) -> Vec<String> {
    let mut out: Vec<String> = names.to_vec();
    for n in names {
        if !n.contains('(') {
            continue;
        }
        let mut outside = String::new();
        let mut inside = String::new();
        let mut parts = Vec::new();
        let mut depth = 0usize;
        for c in n.chars() {
            match c {
                '(' => {
                    depth += 1;
                    if depth == 1 && !inside.trim().is_empty() {
                        parts.push(std::mem::take(&mut inside));
                    }
                }
                ')' if depth > 0 => {
                    depth -= 1;
                    if depth == 0 {
                        parts.push(std::mem::take(&mut inside));
                    }
                }
                c if depth > 0 => inside.push(c),
                c => outside.push(c),
            }
        }
        parts.push(inside);
        parts.push(outside);
        for p in parts {
            let p = p
                .trim()
                .trim_matches(|c: char| c == ',' || c == '-' || c.is_whitespace())
                .to_string();
            if p.chars().filter(|c| c.is_alphabetic()).count() >= 3 && !out.contains(&p) {
                out.push(p);
            }
        }
    }
    out
}

/// The names of an entity to index: every name-typed property except the name parts, plus a
/// name put together from the parts when the entity has no `name`.
fn entity_names(e: &Entity) -> Vec<ListedName> {
    let mut out: Vec<ListedName> = Vec::new();
    for (prop, value) in e.values_of_type(PropertyType::Name) {
        if NAME_PARTS.contains(&prop) {
            continue;
        }
        for v in with_parts(&[value.to_string()]) {
            if !out.iter().any(|n| *n.text == *v) {
                out.push(ListedName {
                    text: v.into(),
                    source: NameSource::from_property(prop),
                });
            }
        }
    }
    if !e.has("name") {
        let last: Vec<&str> = e.values("lastName").collect();
        let given: Vec<&str> = ["firstName", "secondName", "middleName", "fatherName"]
            .iter()
            .filter_map(|p| e.first(p))
            .collect();
        if !last.is_empty() || !given.is_empty() {
            let text = if last.is_empty() {
                given.join(" ")
            } else {
                format!("{}, {}", last.join(" "), given.join(" "))
            };
            out.push(ListedName {
                text: text.into(),
                source: NameSource::Parts,
            });
        }
    }
    out
}

impl IndexBuilder {
    /// An empty builder.
    pub fn new() -> IndexBuilder {
        IndexBuilder::default()
    }

    fn intern(ids: &mut FxHashMap<String, u16>, names: &mut Vec<String>, name: &str) -> u16 {
        if let Some(&i) = ids.get(name) {
            return i;
        }
        let i = names.len().min(u16::MAX as usize) as u16;
        names.push(name.to_string());
        ids.insert(name.to_string(), i);
        i
    }

    fn record(&mut self, entity: &Entity, meta: &EntityMeta) -> EntityRecord {
        let mut datasets: Vec<u16> = Vec::new();
        for d in &meta.datasets {
            let id = Self::intern(&mut self.dataset_ids, &mut self.datasets, d);
            if !datasets.contains(&id) {
                datasets.push(id);
            }
        }
        let mut topics: Vec<u16> = Vec::new();
        for t in meta
            .topics
            .iter()
            .map(String::as_str)
            .chain(entity.values("topics"))
        {
            let id = Self::intern(&mut self.topic_ids, &mut self.topics, t);
            if !topics.contains(&id) {
                topics.push(id);
            }
        }
        let start = self.stored.len() as u64;
        if serde_json::to_writer(&mut self.stored, entity).is_err() {
            self.stored.truncate(start as usize);
        }
        let len = (self.stored.len() as u64 - start) as u32;
        let mut attrs = ListedAttributes::from_entity(entity);
        attrs.shrink();
        EntityRecord {
            id: entity.id.as_str().into(),
            schema: entity.schema,
            caption: entity.caption().into(),
            listed_names: entity_names(entity).into_boxed_slice(),
            attrs,
            datasets: datasets.into_boxed_slice(),
            topics: topics.into_boxed_slice(),
            last_change: meta.last_change,
            stored: (start, len),
        }
    }

    /// Add a listed entity with its metadata (see the type's documentation for which
    /// entities are used).
    pub fn add(&mut self, entity: Entity, meta: EntityMeta) -> &mut Self {
        if entity.schema.is_a(Schema::named("Identification")) {
            let (Some(holder), Some(number)) = (entity.first("holder"), entity.first("number"))
            else {
                return self;
            };
            let passport = entity.schema == Schema::named("Passport");
            let kind = match entity.first("type").map(IdKind::from_label) {
                Some(IdKind::Other) | None if passport => IdKind::Passport,
                Some(k) => k,
                None => IdKind::Other,
            };
            let country = entity.first("country").and_then(resolve_country);
            self.documents
                .push((holder.into(), number.to_string(), kind, country));
            return self;
        }
        if !entity.schema.is_matchable() {
            return self;
        }
        if let Some(&i) = self.by_id.get(entity.id.as_str()) {
            // The same entity from another dataset: merge the two descriptions.
            let (start, len) = self.records[i as usize].stored;
            let stored = self
                .stored
                .get(start as usize..(start + u64::from(len)) as usize);
            let Some(mut known) = stored.and_then(|b| serde_json::from_slice::<Entity>(b).ok())
            else {
                return self;
            };
            known.merge(&entity);
            let r = &self.records[i as usize];
            let mut merged_meta = EntityMeta {
                datasets: r
                    .datasets
                    .iter()
                    .filter_map(|d| self.datasets.get(*d as usize).cloned())
                    .collect(),
                last_change: r.last_change.max(meta.last_change),
                topics: meta.topics.clone(),
            };
            for d in meta.datasets {
                if !merged_meta.datasets.contains(&d) {
                    merged_meta.datasets.push(d);
                }
            }
            let record = self.record(&known, &merged_meta);
            for r in &entity.referents {
                self.referents.push((r.as_str().into(), i));
            }
            self.records[i as usize] = record;
            return self;
        }
        let i = self.records.len() as u32;
        let record = self.record(&entity, &meta);
        self.by_id.insert(entity.id.as_str().into(), i);
        for r in &entity.referents {
            self.referents.push((r.as_str().into(), i));
        }
        self.records.push(record);
        self
    }

    /// How many entities will be indexed.
    pub fn len(&self) -> usize {
        self.records.len()
    }

    /// Whether nothing will be indexed.
    pub fn is_empty(&self) -> bool {
        self.records.is_empty()
    }

    /// Build the index. Names are analysed (transliterated, tagged) here, once, so that a
    /// search only analyses the query.
    pub fn build(self) -> Result<Index, BuildError> {
        let IndexBuilder {
            mut records,
            stored,
            mut by_id,
            referents,
            documents,
            datasets,
            topics,
            ..
        } = self;
        if records.len() >= u32::MAX as usize / 2 {
            return Err(BuildError::TooLarge);
        }
        for (holder, number, kind, country) in &documents {
            if let Some(&h) = by_id.get(&**holder) {
                records[h as usize]
                    .attrs
                    .add_identifier(number, *kind, *country);
            }
        }
        for (r, i) in referents {
            by_id.entry(r).or_insert(i);
        }
        let mut vocab = VocabBuilder::default();
        let mut forms: Vec<IndexedForm> = Vec::new();
        let mut form_words: Vec<FormWord> = Vec::new();
        let mut postings: Vec<(u32, u32)> = Vec::new();
        let mut legal_forms: Vec<&'static str> = Vec::new();
        let mut seen_forms: Vec<Vec<u32>> = Vec::new();
        let mut dataset_sets: Vec<RoaringBitmap> = vec![RoaringBitmap::new(); datasets.len()];
        let mut topic_sets: Vec<RoaringBitmap> = vec![RoaringBitmap::new(); topics.len()];
        for (ei, record) in records.iter().enumerate() {
            let ei32 = ei as u32;
            let kind = kind_of(record.schema);
            seen_forms.clear();
            for (li, listed) in record.listed_names.iter().enumerate() {
                let analysed = analyze_name(&listed.text, kind);
                for form in analysed.forms {
                    let ids: Vec<u32> = form
                        .tokens
                        .iter()
                        .map(|t| vocab.intern(&t.text, t.vowelless))
                        .collect();
                    if ids.is_empty() || seen_forms.contains(&ids) {
                        continue;
                    }
                    let form_id = u32::try_from(forms.len()).map_err(|_| BuildError::TooLarge)?;
                    let start =
                        u32::try_from(form_words.len()).map_err(|_| BuildError::TooLarge)?;
                    let texts: Vec<&str> = form.tokens.iter().map(|t| t.text.as_str()).collect();
                    let compound = crate::score::compound_flags(&texts);
                    for (k, (t, &w)) in form
                        .tokens
                        .iter()
                        .zip(&ids)
                        .enumerate()
                        .take(crate::score::MAX_WORDS)
                    {
                        let legal_form = match t.legal_form {
                            Some(l) => match legal_forms.iter().position(|x| *x == l) {
                                Some(p) => p as u8 + 1,
                                None => {
                                    legal_forms.push(l);
                                    legal_forms.len().min(255) as u8
                                }
                            },
                            None => 0,
                        };
                        let shape = if vocab.words[w as usize].pshape {
                            crate::score::FLAG_PATRONYMIC_SHAPE
                        } else {
                            0
                        };
                        form_words.push(FormWord {
                            word: w,
                            role: t.role,
                            vowelless: t.vowelless,
                            legal_form,
                            flags: compound[k] | shape,
                        });
                        postings.push((w, form_id));
                    }
                    forms.push(IndexedForm {
                        entity: ei32,
                        listed: li as u32,
                        words_start: start,
                        words_len: ids.len().min(crate::score::MAX_WORDS) as u16,
                        system: form.system,
                    });
                    seen_forms.push(ids);
                }
            }
            for &d in record.datasets.iter() {
                dataset_sets[d as usize].insert(ei32);
            }
            for &t in record.topics.iter() {
                topic_sets[t as usize].insert(ei32);
            }
        }
        let mut by_identifier: FxHashMap<Box<str>, Vec<u32>> = FxHashMap::default();
        for (i, r) in records.iter().enumerate() {
            for id in &r.attrs.identifiers {
                by_identifier
                    .entry(id.value.clone())
                    .or_default()
                    .push(i as u32);
            }
        }
        let postings = Csr::from_pairs(vocab.words.len(), postings);
        let n_forms = forms.len().max(1);
        for (i, w) in vocab.words.iter_mut().enumerate() {
            w.df = postings.row(i as u32).len() as u32;
            w.rarity = crate::score::rarity(w.df, n_forms);
        }
        let mut stored = stored;
        stored.shrink_to_fit();
        form_words.shrink_to_fit();
        forms.shrink_to_fit();
        records.shrink_to_fit();
        static GENERATION: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
        let mut entity_facts = Vec::with_capacity(records.len());
        let mut fact_dates = Vec::new();
        let mut fact_countries = Vec::new();
        for r in &records {
            let a = &r.attrs;
            entity_facts.push(EntityFacts {
                dates: fact_dates.len() as u32,
                countries: fact_countries.len() as u32,
                n_dates: a.birth_dates.len() as u32,
                n_countries: a.countries.len() as u32,
                gender: a.gender,
            });
            fact_dates.extend_from_slice(&a.birth_dates);
            fact_countries.extend_from_slice(&a.countries);
        }
        fact_dates.shrink_to_fit();
        fact_countries.shrink_to_fit();
        Ok(Index {
            entity_schema: records.iter().map(|r| r.schema).collect(),
            entity_facts,
            fact_dates,
            fact_countries,
            form_entity: forms.iter().map(|f| f.entity).collect(),
            form_len: forms.iter().map(|f| f.words_len).collect(),
            entities: records,
            by_id,
            forms,
            form_words,
            legal_forms,
            vocab: vocab.finish(),
            postings,
            by_identifier,
            datasets,
            topics,
            dataset_sets,
            topic_sets,
            stored,
            generation: GENERATION.fetch_add(1, std::sync::atomic::Ordering::Relaxed),
        })
    }
}

impl Index {
    /// How many entities the index holds.
    pub fn len(&self) -> usize {
        self.entities.len()
    }

    /// Whether the index holds no entity.
    pub fn is_empty(&self) -> bool {
        self.entities.is_empty()
    }

    /// The listed entity with this id (or referent), as it was added.
    ///
    /// Entities are kept serialised rather than as `Entity` values, which keeps a
    /// million-entity index within its memory budget; reading one back costs a few
    /// microseconds, paid only for the results shown.
    pub fn entity(&self, id: &str) -> Option<Entity> {
        let &i = self.by_id.get(id)?;
        let (start, len) = self.entities.get(i as usize)?.stored;
        let bytes = self
            .stored
            .get(start as usize..start as usize + len as usize)?;
        serde_json::from_slice(bytes).ok()
    }

    /// Whether the index holds an entity with this id (or referent).
    pub fn contains(&self, id: &str) -> bool {
        self.by_id.contains_key(id)
    }

    /// The datasets of an entity.
    pub fn entity_datasets(&self, id: &str) -> Vec<&str> {
        self.by_id
            .get(id)
            .and_then(|&i| self.entities.get(i as usize))
            .map(|r| {
                r.datasets
                    .iter()
                    .filter_map(|d| self.datasets.get(*d as usize))
                    .map(String::as_str)
                    .collect()
            })
            .unwrap_or_default()
    }

    /// The last change of an entity, as given at build time.
    pub fn entity_last_change(&self, id: &str) -> Option<NaiveDateTime> {
        self.by_id
            .get(id)
            .and_then(|&i| self.entities.get(i as usize))
            .and_then(|r| r.last_change)
    }

    /// Every dataset named at build time, with how many entities it holds.
    pub fn datasets(&self) -> Vec<(&str, u64)> {
        self.datasets
            .iter()
            .zip(&self.dataset_sets)
            .map(|(d, s)| (d.as_str(), s.len()))
            .collect()
    }

    /// Every topic, with how many entities carry it.
    pub fn topics(&self) -> Vec<(&str, u64)> {
        self.topics
            .iter()
            .zip(&self.topic_sets)
            .map(|(d, s)| (d.as_str(), s.len()))
            .collect()
    }

    /// Ids of the entities in a dataset (a cheap bitmap walk), e.g. for a catalogue.
    pub fn dataset_entities(&self, dataset: &str) -> Vec<&str> {
        let Some(i) = self.datasets.iter().position(|d| d == dataset) else {
            return Vec::new();
        };
        self.dataset_sets[i]
            .iter()
            .filter_map(|e| self.entities.get(e as usize))
            .map(|r| &*r.id)
            .collect()
    }

    /// Sizes of the index.
    pub fn stats(&self) -> IndexStats {
        let listed: usize = self.entities.iter().map(|e| e.listed_names.len()).sum();
        let names_bytes: usize = self
            .entities
            .iter()
            .map(|e| {
                std::mem::size_of::<EntityRecord>()
                    + e.id.len()
                    + e.caption.len()
                    + e.listed_names
                        .iter()
                        .map(|n| n.text.len() + 24)
                        .sum::<usize>()
                    + e.attrs.identifiers.len() * 64
                    + e.attrs
                        .address_words
                        .iter()
                        .map(|w| w.len() + 16)
                        .sum::<usize>()
            })
            .sum();
        IndexStats {
            entities: self.entities.len(),
            listed_names: listed,
            forms: self.forms.len(),
            vocabulary: self.vocab.words.len(),
            postings: self.form_words.len(),
            heap_bytes: names_bytes
                + self.forms.capacity() * std::mem::size_of::<IndexedForm>()
                + self.form_words.capacity() * std::mem::size_of::<FormWord>()
                + self.vocab.heap_bytes()
                + self.postings.heap_bytes()
                + self.stored.capacity()
                + self.by_id.len() * 48
                + self.entity_schema.capacity() * std::mem::size_of::<Schema>()
                + self.entity_facts.capacity() * std::mem::size_of::<EntityFacts>()
                + self.fact_dates.capacity() * std::mem::size_of::<interdict_model::PartialDate>()
                + self.fact_countries.capacity() * std::mem::size_of::<&str>()
                + self.form_entity.capacity() * 4
                + self.form_len.capacity() * 2,
        }
    }
}

/// A shared, atomically swappable index: searches load the current snapshot; a list update
/// builds a new index and stores it, and searches already running finish on the old one.
#[derive(Debug)]
pub struct IndexHandle {
    current: arc_swap::ArcSwap<Index>,
}

impl IndexHandle {
    /// A handle holding a first index.
    pub fn new(index: Index) -> IndexHandle {
        IndexHandle {
            current: arc_swap::ArcSwap::from_pointee(index),
        }
    }

    /// The current index.
    pub fn load(&self) -> Arc<Index> {
        self.current.load_full()
    }

    /// Replace the index; returns the previous one.
    pub fn swap(&self, index: Index) -> Arc<Index> {
        self.current.swap(Arc::new(index))
    }
}
