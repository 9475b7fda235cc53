//! Searching the index: prepare the query, gather candidates through the vocabulary channels,
//! align names, weigh the other attributes, explain.

use std::cell::RefCell;
use std::rc::Rc;

use interdict_model::{PartialDate, Schema};
use interdict_names::{FormSystem, TokenRole, analyze_name};
use rustc_hash::FxHashMap;

use crate::attrs::{Gender, IdKind, normalise_identifier, resolve_country};
use crate::explain::{Feature, Match, NameExplanation, WordAlignment};
use crate::index::{Index, kind_of};
use crate::query::{DateSpan, Options, Query};
use crate::score::{Alignment, WordView, align, rarity};
use crate::vocab::{Channel, WordKeys};

/// A query word with its keys in this index.
#[derive(Debug, Clone)]
struct QueryWord {
    text: String,
    role: TokenRole,
    vowelless: bool,
    legal_form: Option<&'static str>,
    keys: Rc<WordKeys>,
    rarity: f32,
    /// The scorer's word flags (`score::FLAG_*`).
    flags: u8,
}

#[derive(Debug, Clone)]
struct QueryForm {
    name: usize,
    system: FormSystem,
    /// The first (most usual) form of its name; other forms are looked up more cheaply.
    primary: bool,
    words: Vec<QueryWord>,
}

#[derive(Debug, Clone)]
struct QueryIdent {
    value: String,
    kind: IdKind,
    country: Option<&'static str>,
    written: String,
}

/// A query made ready for one index.
#[derive(Debug)]
pub(crate) struct Prepared {
    names: Vec<String>,
    forms: Vec<QueryForm>,
    dates: Vec<DateSpan>,
    dates_written: Vec<String>,
    countries: Vec<&'static str>,
    gender: Option<Gender>,
    identifiers: Vec<QueryIdent>,
    address_words: Vec<String>,
}

/// Candidates kept per search, and listed name forms scored per entity.
const MAX_CANDIDATE_ENTITIES: usize = 48;
const MAX_FORMS_PER_ENTITY: usize = 4;
const MAX_RANKED_FORMS: usize = 512;
/// Ranked forms put in order at a time (the walk over them mostly stops within the first).
const RANK_BATCH: usize = 128;

/// What one search has gathered for one listed name form.
#[derive(Debug, Clone, Copy, Default)]
struct FormAcc {
    /// Evidence from the query words that reached the form.
    acc: f32,
    /// Which query forms reached it (bit per query form).
    mask: u32,
    /// The last query word that reached it (index + 1), and how many did.
    last: u16,
    hits: u8,
}

struct Scratch {
    generation: u64,
    /// Per entity, during the walk over ranked forms (see `candidates`); all zero between
    /// searches.
    entity_slot: Vec<u32>,
    seen_entities: Vec<u32>,
    /// Buffers for ranking the reached forms, kept from one search to the next.
    ranked: Vec<(f32, u32, u32)>,
    order: Vec<RankedForm>,
    /// Per listed form, in one array so that a posting touches one cache line.
    forms: Vec<FormAcc>,
    touched: Vec<u32>,
    expand: Vec<(u32, Channel)>,
}

thread_local! {
    static SCRATCH: RefCell<Scratch> = const { RefCell::new(Scratch { generation: 0, entity_slot: Vec::new(), seen_entities: Vec::new(), ranked: Vec::new(), order: Vec::new(), forms: Vec::new(), touched: Vec::new(), expand: Vec::new() }) };
}

/// Words whose keys and reach a thread remembers, per memo; past this many a memo starts
/// afresh (a few hundred kilobytes to a few megabytes per thread).
const MEMO_WORDS: usize = 4096;

/// What one thread remembers of the per-word work of its searches on one index: the keys of a
/// word and the vocabulary words it reaches. Both depend only on the word (and how it is
/// looked up) and the index, and the rows of a customer file repeat the same given names,
/// family names and company words, so most words are worked out once per thread, not once
/// per row.
#[derive(Default)]
struct WordMemo {
    generation: u64,
    /// Per word, by `vowelless | with_class << 1`.
    keys: FxHashMap<Box<str>, [Option<Rc<WordKeys>>; 4]>,
    reach: FxHashMap<Box<str>, Vec<ReachMemo>>,
    /// The same for the words a query's words make when joined or split (Jin Ping → jinping),
    /// kept apart: they are many and seldom repeat, and must not push the others out.
    made_keys: FxHashMap<Box<str>, [Option<Rc<WordKeys>>; 4]>,
    made_reach: FxHashMap<Box<str>, Vec<ReachMemo>>,
}

struct ReachMemo {
    /// `vowelless | full << 1 | last << 2 | scaled << 3`.
    flags: u8,
    /// The key ids the expansion read (a guard: they follow from the word and flags).
    sig: [u32; 8],
    key_text: Box<str>,
    reach: Rc<[(u32, f32)]>,
    volume: usize,
}

impl WordMemo {
    /// The memo, emptied first if it holds another index's words.
    fn for_index(&mut self, generation: u64) -> &mut WordMemo {
        if self.generation != generation {
            self.keys.clear();
            self.reach.clear();
            self.made_keys.clear();
            self.made_reach.clear();
            self.generation = generation;
        }
        self
    }
}

thread_local! {
    static MEMO: RefCell<WordMemo> = RefCell::new(WordMemo::default());
    /// The similarity cache and alignment buffers, kept from one search to the next.
    static ALIGN_SCRATCH: RefCell<(crate::score::SimCache, crate::score::AlignScratch)> =
        RefCell::new(Default::default());
}

/// Add a query word's evidence to a form, counting the word once.
fn reach_form(slot: &mut FormAcc, add: f32, forms: u32, word: usize) {
    slot.acc += add;
    slot.mask |= forms;
    let w = (word + 1).min(u16::MAX as usize) as u16;
    if slot.last != w {
        slot.last = w;
        slot.hits = slot.hits.saturating_add(1);
    }
}

/// A ranked form: its accumulated evidence and form id packed into one key whose greater
/// values come first (the higher evidence, in `f32::total_cmp` order, in the high half; of
/// equal evidence the lower form id, inverted in the low half), and the query-form mask.
#[derive(Clone, Copy)]
struct RankedForm {
    key: u64,
    mask: u32,
}

impl RankedForm {
    fn new((acc, form, mask): (f32, u32, u32)) -> RankedForm {
        let b = acc.to_bits();
        let ordered = if b & 0x8000_0000 != 0 {
            !b
        } else {
            b | 0x8000_0000
        };
        RankedForm {
            key: u64::from(ordered) << 32 | u64::from(!form),
            mask,
        }
    }

    /// (evidence, form, mask)
    fn get(self) -> (f32, u32, u32) {
        let ordered = (self.key >> 32) as u32;
        let b = if ordered & 0x8000_0000 != 0 {
            ordered & 0x7fff_ffff
        } else {
            !ordered
        };
        (f32::from_bits(b), !(self.key as u32), self.mask)
    }
}

/// A candidate entity and the listed forms to score, each with the query forms (bit mask)
/// whose words reached it.
#[derive(Debug, Clone, Copy)]
struct Candidate {
    entity: u32,
    len: u8,
    forms: [(u32, u32); MAX_FORMS_PER_ENTITY],
}

impl Candidate {
    fn new(entity: u32) -> Candidate {
        Candidate {
            entity,
            len: 0,
            forms: [(0, 0); MAX_FORMS_PER_ENTITY],
        }
    }

    /// Add a form, unless the candidate has as many as are scored.
    fn push(&mut self, form: u32, mask: u32) {
        if usize::from(self.len) < MAX_FORMS_PER_ENTITY {
            self.forms[usize::from(self.len)] = (form, mask);
            self.len += 1;
        }
    }

    fn forms(&self) -> &[(u32, u32)] {
        &self.forms[..usize::from(self.len)]
    }
}

/// [`Index::admissible`] with what does not depend on the entity worked out once per search:
/// without filters, only the schema decides, and it is looked up in a compact per-entity
/// array with the answer per schema remembered.
struct QueryAdmission<'a> {
    schema: Schema,
    opts: &'a Options,
    excluded: &'a [u32],
    /// No filter applies: the schema alone decides.
    schema_only: bool,
    /// Schemata already decided for this query (a handful at most).
    decided: std::cell::RefCell<Vec<(Schema, bool)>>,
}

impl<'a> QueryAdmission<'a> {
    fn new(schema: Schema, opts: &'a Options, excluded: &'a [u32]) -> Self {
        let f = &opts.filters;
        let schema_only = excluded.is_empty()
            && f.exclude_schemata.is_empty()
            && f.include_datasets.is_empty()
            && f.exclude_datasets.is_empty()
            && f.topics.is_empty()
            && f.changed_since.is_none();
        QueryAdmission {
            schema,
            opts,
            excluded,
            schema_only,
            decided: std::cell::RefCell::new(Vec::new()),
        }
    }

    fn admits(&self, index: &Index, e: u32) -> bool {
        if !self.schema_only {
            return index.admissible(e, self.schema, self.opts, self.excluded);
        }
        let Some(&s) = index.entity_schema.get(e as usize) else {
            return false;
        };
        let mut decided = self.decided.borrow_mut();
        if let Some(&(_, ok)) = decided.iter().find(|(x, _)| *x == s) {
            return ok;
        }
        let ok = s.is_a(self.schema) || self.schema.is_a(s);
        decided.push((s, ok));
        ok
    }
}

impl Index {
    fn prepare(&self, query: &Query) -> Prepared {
        let kind = kind_of(query.schema);
        let n_forms = self.forms.len().max(1);
        let mut forms = Vec::new();
        let names = crate::index::with_parts(&query.names);
        // The romanisations of one name share most words: look each word up once.
        let mut seen: Vec<(String, Rc<WordKeys>, u32)> = Vec::new();
        for (ni, name) in names.iter().enumerate() {
            let analysed = analyze_name(name, kind);
            for (k, f) in analysed.forms.into_iter().enumerate() {
                let texts: Vec<&str> = f.tokens.iter().map(|t| t.text.as_str()).collect();
                let compound = crate::score::compound_flags(&texts);
                let n = f.tokens.len();
                let words = f
                    .tokens
                    .iter()
                    .enumerate()
                    .map(|(i, t)| {
                        let (keys, df) = match seen.iter().find(|(w, _, _)| *w == t.text) {
                            Some((_, keys, df)) => (keys.clone(), *df),
                            None => {
                                let keys = self.word_keys(&t.text, t.vowelless, true);
                                let df = self
                                    .vocab
                                    .by_text
                                    .get(t.text.as_str())
                                    .map(|&id| self.vocab.words[id as usize].df)
                                    .unwrap_or(0);
                                seen.push((t.text.clone(), keys.clone(), df));
                                (keys, df)
                            }
                        };
                        QueryWord {
                            text: t.text.clone(),
                            role: t.role,
                            vowelless: t.vowelless,
                            legal_form: t.legal_form,
                            keys,
                            rarity: rarity(df, n_forms),
                            flags: compound[i]
                                | if i + 1 == n {
                                    crate::score::FLAG_LAST
                                } else {
                                    0
                                }
                                | if interdict_names::parts::has_patronymic_suffix(&t.text) {
                                    crate::score::FLAG_PATRONYMIC_SHAPE
                                } else {
                                    0
                                },
                        }
                    })
                    .collect();
                forms.push(QueryForm {
                    name: ni,
                    system: f.system,
                    primary: k == 0,
                    words,
                });
            }
        }
        let dates: Vec<DateSpan> = query
            .birth_dates
            .iter()
            .filter_map(|d| DateSpan::parse(d))
            .collect();
        let mut countries: Vec<&'static str> = query
            .countries
            .iter()
            .filter_map(|c| resolve_country(c))
            .collect();
        countries.sort_unstable();
        countries.dedup();
        let identifiers = query
            .identifiers
            .iter()
            .map(|i| QueryIdent {
                value: normalise_identifier(&i.value),
                kind: i
                    .kind
                    .as_deref()
                    .map(IdKind::from_label)
                    .unwrap_or(IdKind::Other),
                country: i.country.as_deref().and_then(resolve_country),
                written: i.value.clone(),
            })
            .filter(|i| i.value.len() >= 3)
            .collect();
        let mut address_words: Vec<String> = query
            .addresses
            .iter()
            .flat_map(|a| {
                interdict_names::fold(a)
                    .split(' ')
                    .map(str::to_string)
                    .collect::<Vec<_>>()
            })
            .filter(|w| w.len() >= 3)
            .collect();
        address_words.sort();
        address_words.dedup();
        Prepared {
            names,
            forms,
            dates,
            dates_written: query.birth_dates.clone(),
            countries,
            gender: query.gender.as_deref().and_then(Gender::parse),
            identifiers,
            address_words,
        }
    }

    /// Whether an entity passes the query schema and the filters.
    fn admissible(&self, e: u32, schema: Schema, opts: &Options, excluded: &[u32]) -> bool {
        let Some(r) = self.entities.get(e as usize) else {
            return false;
        };
        if !(r.schema.is_a(schema) || schema.is_a(r.schema)) {
            return false;
        }
        let f = &opts.filters;
        if excluded.contains(&e) {
            return false;
        }
        if f.exclude_schemata.iter().any(|s| r.schema.is_a(*s)) {
            return false;
        }
        if !f.include_datasets.is_empty()
            && !r.datasets.iter().any(|d| {
                f.include_datasets
                    .iter()
                    .any(|n| self.datasets.get(*d as usize) == Some(n))
            })
        {
            return false;
        }
        if r.datasets.iter().any(|d| {
            f.exclude_datasets
                .iter()
                .any(|n| self.datasets.get(*d as usize) == Some(n))
        }) {
            return false;
        }
        if !f.topics.is_empty()
            && !r.topics.iter().any(|t| {
                f.topics
                    .iter()
                    .any(|n| self.topics.get(*t as usize) == Some(n))
            })
        {
            return false;
        }
        if let Some(since) = f.changed_since
            && r.last_change.is_none_or(|c| c < since)
        {
            return false;
        }
        true
    }

    /// Gather candidate entities with the listed name forms worth scoring, each form with the
    /// set of query forms (bit mask) whose words reached it.
    fn candidates(&self, p: &Prepared, schema: Schema, opts: &Options) -> Vec<Candidate> {
        let excluded: Vec<u32> = opts
            .filters
            .exclude_entity_ids
            .iter()
            .filter_map(|id| self.by_id.get(id.as_str()).copied())
            .collect();
        SCRATCH.with(|s| {
            let mut s = s.borrow_mut();
            let s = &mut *s;
            if s.generation != self.generation || s.forms.len() != self.forms.len() {
                s.forms.clear();
                s.forms.resize(self.forms.len(), FormAcc::default());
                s.touched.clear();
                s.generation = self.generation;
            }
            // Every distinct query word with the query forms it appears in and what it reaches.
            struct Reach<'q> {
                word: &'q QueryWord,
                forms: u32,
                reach: Rc<[(u32, f32)]>,
                volume: usize,
            }
            let mut words: Vec<Reach> = Vec::new();
            let has_core = p.forms.iter().any(|f| {
                f.words
                    .iter()
                    .any(|w| w.role.is_core() || w.role == TokenRole::Middle)
            });
            let bit = |fi: usize| if fi < 32 { 1u32 << fi } else { 0 };
            for (fi, f) in p.forms.iter().enumerate() {
                for w in &f.words {
                    let useful = match w.role {
                        TokenRole::Honorific => false,
                        TokenRole::Particle
                        | TokenRole::LegalForm
                        | TokenRole::Generational
                        | TokenRole::Initial => !has_core,
                        _ => true,
                    };
                    if !useful {
                        continue;
                    }
                    if let Some(r) = words.iter_mut().find(|r| r.word.text == w.text) {
                        r.forms |= bit(fi);
                        continue;
                    }
                    // Other romanisations of a Cyrillic name mostly share their keys with the
                    // first: follow their exact words and keys only.
                    let (reach, volume) = self.reach_of(
                        &w.text,
                        w.vowelless,
                        &w.keys,
                        f.primary,
                        w.flags & crate::score::FLAG_LAST != 0,
                        false,
                        &mut s.expand,
                    );
                    words.push(Reach {
                        word: w,
                        forms: bit(fi),
                        reach,
                        volume,
                    });
                }
            }
            // Two adjacent words may be one listed word (هدايت الله / Hidayatullah, Jin Ping /
            // Jinping): look their concatenation up too.
            let mut joined: Vec<(QueryWord, u32)> = Vec::new();
            for (fi, f) in p.forms.iter().enumerate() {
                let w = &f.words;
                let spans = (0..w.len().saturating_sub(1)).map(|i| (i, i + 1)).chain(
                    (0..w.len().saturating_sub(2))
                        .filter(|&i| w[i + 1].text == "al")
                        .map(|i| (i, i + 2)),
                );
                for (a, b) in spans {
                    let pair = [&w[a], &w[b]];
                    if !(pair[0].role.is_core() || pair[1].role.is_core())
                        || pair[0].role == TokenRole::Honorific
                    {
                        continue;
                    }
                    let text = format!("{}{}", pair[0].text, pair[1].text);
                    if let Some(j) = joined.iter_mut().find(|j| j.0.text == text) {
                        j.1 |= bit(fi);
                        continue;
                    }
                    let vowelless = pair[0].vowelless || pair[1].vowelless;
                    let keys = self.word_keys(&text, vowelless, false);
                    joined.push((
                        QueryWord {
                            text,
                            role: TokenRole::Name,
                            vowelless,
                            legal_form: None,
                            keys,
                            rarity: 1.0,
                            flags: 0,
                        },
                        bit(fi),
                    ));
                }
            }
            // A word the lists lack may be two listed words run together (PAEKMASHIPPING,
            // ALKIMAWI): look up both halves of every split whose halves are listed words, and
            // after a glued article or `abd`/`abu` the rest with every channel.
            let mut split: Vec<(QueryWord, u32)> = Vec::new();
            let mut split_full: Vec<bool> = Vec::new();
            for (fi, f) in p.forms.iter().enumerate() {
                if !f.primary {
                    continue;
                }
                for w in &f.words {
                    let t = w.text.as_str();
                    if w.vowelless
                        || t.len() < 6
                        || !t.is_ascii()
                        || !w.role.is_core()
                        || self.vocab.by_text.contains_key(t)
                    {
                        continue;
                    }
                    for k in 2..=t.len() - 3 {
                        let (a, b) = t.split_at(k);
                        let glued = matches!(a, "al" | "el" | "ul" | "abd" | "abu");
                        let both = self.vocab.by_text.contains_key(a)
                            && self.vocab.by_text.contains_key(b);
                        if !(both || glued && b.len() >= 4) {
                            continue;
                        }
                        for (part, full) in [(a, false), (b, glued)] {
                            if part.len() < 3 || split.iter().any(|(q, _)| q.text == part) {
                                continue;
                            }
                            let keys = self.word_keys(part, false, false);
                            split.push((
                                QueryWord {
                                    text: part.to_string(),
                                    role: TokenRole::Name,
                                    vowelless: false,
                                    legal_form: None,
                                    keys,
                                    rarity: 1.0,
                                    flags: 0,
                                },
                                bit(fi),
                            ));
                            split_full.push(full);
                        }
                    }
                }
            }
            let extra = joined
                .iter()
                .map(|j| (j, false))
                .chain(split.iter().zip(split_full.iter().copied()));
            for ((w, forms), full) in extra {
                if words.iter().any(|r| r.word.text == w.text) {
                    continue;
                }
                let (reach, volume) = self.reach_of(
                    &w.text,
                    w.vowelless,
                    &w.keys,
                    full,
                    false,
                    true,
                    &mut s.expand,
                );
                if !reach.is_empty() {
                    words.push(Reach {
                        word: w,
                        forms: *forms,
                        reach,
                        volume,
                    });
                }
            }
            words.sort_by_key(|r| r.volume);
            let n_forms = self.forms.len().max(1);
            // Rare words bring candidates in; very common words (Muhammad, Company) and words
            // reached only weakly with many postings add to candidates already there.
            let refine_above = (n_forms / 100).max(5_000);
            for (wi, r) in words.iter().enumerate() {
                let refine_word = wi > 0 && r.volume > refine_above && !s.touched.is_empty();
                if refine_word && r.volume > 4 * s.touched.len() * 4 {
                    // A common word over few candidates: look it up in each candidate's words
                    // rather than walking its long postings.
                    let reach: FxHashMap<u32, f32> = r.reach.iter().copied().collect();
                    for &form in &s.touched {
                        let f = &self.forms[form as usize];
                        let start = f.words_start as usize;
                        let best = self.form_words[start..start + f.words_len as usize]
                            .iter()
                            .filter_map(|fw| {
                                reach
                                    .get(&fw.word)
                                    .map(|sim| sim * self.vocab.words[fw.word as usize].rarity)
                            })
                            .fold(0.0f32, f32::max);
                        if best > 0.0 {
                            reach_form(&mut s.forms[form as usize], best, r.forms, wi);
                        }
                    }
                    continue;
                }
                for &(id, sim) in r.reach.iter() {
                    let w = &self.vocab.words[id as usize];
                    let refine_only = refine_word
                        || (sim < 0.8 && w.df as usize > refine_above / 8 && !s.touched.is_empty());
                    let add = sim * w.rarity;
                    for &form in self.postings.row(id) {
                        let slot = &mut s.forms[form as usize];
                        if slot.acc == 0.0 {
                            if refine_only {
                                continue;
                            }
                            s.touched.push(form);
                        }
                        reach_form(slot, add, r.forms, wi);
                    }
                }
            }
            // Forms far below the best cannot win: keep those within reach of it.
            let best = s
                .touched
                .iter()
                .map(|&f| s.forms[f as usize].acc)
                .fold(0.0f32, f32::max);
            let floor = best * 0.3;
            let mut ranked = std::mem::take(&mut s.ranked);
            ranked.clear();
            for &f in &s.touched {
                let slot = std::mem::take(&mut s.forms[f as usize]);
                if slot.acc >= floor {
                    // Of forms the query's words reach equally, those with fewer words the
                    // query did not reach are closer ('ABDALLAH, Muhammad before AL-AMIN,
                    // Muhammad 'Abdallah).
                    let extra = f32::from(self.form_len[f as usize]) - f32::from(slot.hits);
                    ranked.push((slot.acc - 0.04 * extra.max(0.0), f, slot.mask));
                }
            }
            s.touched.clear();
            if ranked.len() > MAX_RANKED_FORMS {
                ranked.select_nth_unstable_by(MAX_RANKED_FORMS, |a, b| b.0.total_cmp(&a.0));
                ranked.truncate(MAX_RANKED_FORMS);
            }
            // Best first: the walk below mostly stops long before the end, so the forms are
            // put in order a batch at a time (the best of the rest picked in linear time, then
            // sorted). Keys are unique, so the order is the same as a full sort's.
            let best = ranked.iter().map(|r| r.0).fold(f32::MIN, f32::max);
            let mut order = std::mem::take(&mut s.order);
            order.clear();
            order.extend(ranked.drain(..).map(RankedForm::new));
            s.ranked = ranked;
            let mut out: Vec<Candidate> = Vec::with_capacity(MAX_CANDIDATE_ENTITIES);
            // Per entity: 0 not seen yet, `REJECTED`, or its place in `out` + 1.
            if s.entity_slot.len() != self.entities.len() {
                s.entity_slot.clear();
                s.entity_slot.resize(self.entities.len(), 0);
            } else {
                // Left over only if a search on this thread unwound half-way.
                for e in s.seen_entities.drain(..) {
                    s.entity_slot[e as usize] = 0;
                }
            }
            s.seen_entities.clear();
            const REJECTED: u32 = u32::MAX;
            let admit = QueryAdmission::new(schema, opts, &excluded);
            // Entities reached by an identifier come first.
            for qi in &p.identifiers {
                if let Some(list) = self.identifier_entities(&qi.value) {
                    for &e in list {
                        let seen = &mut s.entity_slot[e as usize];
                        if *seen == 0 {
                            s.seen_entities.push(e);
                            if admit.admits(self, e) {
                                let mut c = Candidate::new(e);
                                for f in self.entity_forms(e).take(MAX_FORMS_PER_ENTITY) {
                                    c.push(f, u32::MAX);
                                }
                                out.push(c);
                                *seen = out.len() as u32;
                            } else {
                                *seen = REJECTED;
                            }
                        }
                    }
                }
            }
            let best = best.max(0.0);
            let mut walked = 0;
            let mut sorted = 0;
            let mut next = 0;
            loop {
                if next == sorted {
                    if sorted == order.len() {
                        break;
                    }
                    let rest = &mut order[sorted..];
                    let batch = rest.len().min(RANK_BATCH);
                    if batch < rest.len() {
                        rest.select_nth_unstable_by(batch - 1, |a, b| b.key.cmp(&a.key));
                    }
                    rest[..batch].sort_unstable_by_key(|r| std::cmp::Reverse(r.key));
                    sorted += batch;
                }
                let (acc, f, mask) = order[next].get();
                next += 1;
                // Forms far below the best one cannot win: stop early; and once every
                // candidate slot is taken, a few more forms of those candidates are enough.
                if acc < best * 0.5 && out.len() >= 12 {
                    break;
                }
                if out.len() >= MAX_CANDIDATE_ENTITIES {
                    walked += 1;
                    if walked > 2 * MAX_CANDIDATE_ENTITIES {
                        break;
                    }
                }
                let e = self.form_entity[f as usize];
                let seen = &mut s.entity_slot[e as usize];
                if *seen == 0 {
                    s.seen_entities.push(e);
                    if out.len() < MAX_CANDIDATE_ENTITIES && admit.admits(self, e) {
                        out.push(Candidate::new(e));
                        *seen = out.len() as u32;
                    } else {
                        *seen = REJECTED;
                    }
                }
                if *seen != REJECTED {
                    out[*seen as usize - 1].push(f, mask);
                }
            }
            for e in s.seen_entities.drain(..) {
                s.entity_slot[e as usize] = 0;
            }
            s.order = order;
            out
        })
    }

    /// The keys of a word in this index ([`crate::vocab::Vocabulary::keys_of`]), from the
    /// thread's memo when the word was looked up before.
    fn word_keys(&self, text: &str, vowelless: bool, with_class: bool) -> Rc<WordKeys> {
        MEMO.with(|m| {
            let mut m = m.borrow_mut();
            let m = m.for_index(self.generation);
            let which = usize::from(vowelless) | usize::from(with_class) << 1;
            // Query words are looked up with their class; joined and split words without.
            let memo = if with_class {
                &mut m.keys
            } else {
                &mut m.made_keys
            };
            if let Some(k) = memo.get(text).and_then(|e| e[which].as_ref()) {
                return Rc::clone(k);
            }
            let keys = Rc::new(self.vocab.keys_of(text, vowelless, with_class));
            if memo.len() >= MEMO_WORDS {
                memo.clear();
            }
            memo.entry(text.into()).or_default()[which] = Some(Rc::clone(&keys));
            keys
        })
    }

    /// The vocabulary words a query word reaches and how strongly ([`Vocabulary::expand`]
    /// cut by [`Index::strongest`], times 0.9 when `scaled`), with the postings they hold;
    /// from the thread's memo when the same word was expanded the same way before.
    ///
    /// [`Vocabulary::expand`]: crate::vocab::Vocabulary::expand
    #[allow(clippy::too_many_arguments)]
    fn reach_of(
        &self,
        text: &str,
        vowelless: bool,
        keys: &WordKeys,
        full: bool,
        last: bool,
        scaled: bool,
        buf: &mut Vec<(u32, Channel)>,
    ) -> (Rc<[(u32, f32)]>, usize) {
        let flags =
            u8::from(vowelless) | u8::from(full) << 1 | u8::from(last) << 2 | u8::from(scaled) << 3;
        // What `expand` reads of the keys besides the text (the rest follows from the text).
        let sig = [
            keys.key,
            keys.key2,
            keys.skeleton,
            keys.skeleton_len as u32,
            keys.dm[0],
            keys.dm[1],
            keys.class,
            keys.pclass,
        ];
        let found = MEMO.with(|m| {
            let mut m = m.borrow_mut();
            let m = m.for_index(self.generation);
            let memo = if scaled { &m.made_reach } else { &m.reach };
            memo.get(text).and_then(|v| {
                v.iter()
                    .find(|r| r.flags == flags && r.sig == sig && *r.key_text == *keys.key_text)
                    .map(|r| (Rc::clone(&r.reach), r.volume))
            })
        });
        if let Some(found) = found {
            return found;
        }
        self.vocab.expand(text, vowelless, keys, full, last, buf);
        let mut reach = self.strongest(buf);
        if scaled {
            for r in &mut reach {
                r.1 *= 0.9;
            }
        }
        let volume: usize = reach
            .iter()
            .map(|(id, _)| self.postings.row(*id).len())
            .sum();
        let reach: Rc<[(u32, f32)]> = reach.into();
        MEMO.with(|m| {
            let mut m = m.borrow_mut();
            let m = m.for_index(self.generation);
            let memo = if scaled {
                &mut m.made_reach
            } else {
                &mut m.reach
            };
            if memo.len() >= MEMO_WORDS {
                memo.clear();
            }
            memo.entry(text.into()).or_default().push(ReachMemo {
                flags,
                sig,
                key_text: keys.key_text.as_str().into(),
                reach: Rc::clone(&reach),
                volume,
            });
        });
        (reach, volume)
    }

    /// The reached words worth following, best channels first, at most 40.
    fn strongest(&self, reached: &[(u32, Channel)]) -> Vec<(u32, f32)> {
        let mut v: Vec<(u32, f32)> = reached.iter().map(|(id, ch)| (*id, ch.weight())).collect();
        if v.len() > 40 {
            v.sort_unstable_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
            v.truncate(40);
        }
        v
    }

    /// The indexed forms of an entity (for entities found by identifier).
    fn entity_forms(&self, e: u32) -> impl Iterator<Item = u32> + '_ {
        let start = self.forms.partition_point(|f| f.entity < e);
        (start..self.forms.len())
            .take_while(move |&i| self.forms[i].entity == e)
            .map(|i| i as u32)
    }

    fn identifier_entities(&self, value: &str) -> Option<&[u32]> {
        self.by_identifier.get(value).map(Vec::as_slice)
    }

    fn form_views(&self, form: u32) -> Vec<WordView<'_>> {
        let mut v = Vec::new();
        self.form_views_into(form, &mut v);
        v
    }

    fn form_views_into<'a>(&'a self, form: u32, out: &mut Vec<WordView<'a>>) {
        out.clear();
        let f = &self.forms[form as usize];
        let start = f.words_start as usize;
        out.extend(
            self.form_words[start..start + f.words_len as usize]
                .iter()
                .map(|fw| {
                    let w = &self.vocab.words[fw.word as usize];
                    WordView {
                        id: fw.word,
                        text: &w.text,
                        role: fw.role,
                        vowelless: fw.vowelless,
                        legal_form: if fw.legal_form == 0 {
                            None
                        } else {
                            self.legal_forms.get(fw.legal_form as usize - 1).copied()
                        },
                        key: w.key,
                        key2: w.key2,
                        skeleton_text: self.vocab.skeletons.text(w.skeleton),
                        key_text: self.vocab.keys.text(w.key),
                        key2_text: if w.key2 == crate::vocab::NONE {
                            ""
                        } else {
                            self.vocab.keys.text(w.key2)
                        },
                        skeleton: w.skeleton,
                        dm: w.dm,
                        class: w.class,
                        pclass: w.pclass,
                        rarity: w.rarity,
                        flags: fw.flags,
                        letters: w.letters,
                        key_letters: w.key_letters,
                    }
                }),
        );
    }

    /// Screen a query against every listed name. Results are sorted by score, best first,
    /// cut at `options.limit`, and only those scoring above `options.cutoff` are returned.
    pub fn search(&self, query: &Query, options: &Options) -> Vec<Match> {
        self.search_timed(query, options, &mut [std::time::Duration::ZERO; 4])
    }

    /// [`Index::search`] recording the time spent preparing the query, gathering candidates,
    /// scoring and explaining (for benchmarks and profiling).
    #[doc(hidden)]
    pub fn search_timed(
        &self,
        query: &Query,
        options: &Options,
        phases: &mut [std::time::Duration; 4],
    ) -> Vec<Match> {
        let t = std::time::Instant::now();
        let p = self.prepare(query);
        phases[0] += t.elapsed();
        let t = std::time::Instant::now();
        let candidates = self.candidates(&p, query.schema, options);
        phases[1] += t.elapsed();
        let t = std::time::Instant::now();
        let mut qids: Vec<&str> = Vec::new();
        let qviews: Vec<Vec<WordView>> = p
            .forms
            .iter()
            .map(|f| {
                f.words
                    .iter()
                    .map(|w| WordView {
                        id: {
                            let i = qids.iter().position(|t| *t == w.text).unwrap_or_else(|| {
                                qids.push(&w.text);
                                qids.len() - 1
                            });
                            (1u32 << 31) | i as u32
                        },
                        text: &w.text,
                        role: w.role,
                        vowelless: w.vowelless,
                        legal_form: w.legal_form,
                        key: w.keys.key,
                        key2: w.keys.key2,
                        skeleton_text: &w.keys.skeleton_text,
                        key_text: &w.keys.key_text,
                        key2_text: &w.keys.key2_text,
                        skeleton: w.keys.skeleton,
                        dm: w.keys.dm,
                        class: w.keys.class,
                        pclass: w.keys.pclass,
                        rarity: w.rarity,
                        flags: w.flags,
                        letters: w.keys.letters,
                        key_letters: w.keys.key_letters,
                    })
                    .collect()
            })
            .collect();
        // (score, entity, best (query form, listed form), name score)
        // (score, entity, best (query form, listed form), name score, query forms that
        // reached the entity)
        type Scored = (f64, u32, Option<(usize, u32)>, f32, u32);
        let mut scored: Vec<Scored> = Vec::new();
        let mut cview: Vec<WordView> = Vec::with_capacity(16);
        // The similarity cache and alignment buffers of the thread's last search, emptied.
        let (mut cache, mut scratch) = ALIGN_SCRATCH.with(|a| std::mem::take(&mut *a.borrow_mut()));
        if cache.capacity() > 4096 {
            cache = crate::score::SimCache::default();
        }
        cache.clear();
        cache.reserve(512);
        for cand in &candidates {
            let (e, forms) = (cand.entity, cand.forms());
            // The final score rises with the name score, which is at most 1: an entity whose
            // other attributes keep it at or below the cutoff even with a perfect name (a
            // birth date years apart) cannot be returned, and its names need not be aligned.
            if !self.may_pass(e, &p, options.cutoff) {
                continue;
            }
            let mut best: (f32, Option<(usize, u32)>) = (0.0, None);
            for &(f, mask) in forms {
                self.form_views_into(f, &mut cview);
                for (qi, qv) in qviews.iter().enumerate() {
                    if qi < 32 && mask & (1 << qi) == 0 {
                        continue;
                    }
                    let a = align(qv, &cview, false, &mut cache, &mut scratch);
                    if a.score > best.0 {
                        best = (a.score, Some((qi, f)));
                    }
                }
            }
            let score = self.weigh(e, best.0, &p, None);
            if score > options.cutoff {
                let reached = forms.iter().fold(0u32, |m, (_, k)| m | k);
                scored.push((score, e, best.1, best.0, reached));
            }
        }
        scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        // The leading entities are scored again on all their listed names (only the most
        // promising few were), so that each shows its best alias.
        for item in scored.iter_mut().take(options.limit + 3) {
            if self
                .entity_forms(item.1)
                .nth(MAX_FORMS_PER_ENTITY)
                .is_none()
            {
                continue; // all its forms were scored already
            }
            let (mut best, mut pair) = (item.3, item.2);
            // With the query forms that reached the entity (other romanisations of the query
            // met none of its words).
            let reached = item.4;
            for f in self.entity_forms(item.1) {
                self.form_views_into(f, &mut cview);
                for (qi, qv) in qviews.iter().enumerate() {
                    if qi < 32 && reached & (1 << qi) == 0 {
                        continue;
                    }
                    let a = align(qv, &cview, false, &mut cache, &mut scratch);
                    if a.score > best {
                        (best, pair) = (a.score, Some((qi, f)));
                    }
                }
            }
            if best > item.3 {
                *item = (
                    self.weigh(item.1, best, &p, None),
                    item.1,
                    pair,
                    best,
                    reached,
                );
            }
        }
        scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        scored.truncate(options.limit);
        phases[2] += t.elapsed();
        let t = std::time::Instant::now();
        let out = scored
            .into_iter()
            .map(|(score, e, pair, name_score, _)| {
                let r = &self.entities[e as usize];
                let mut features = Vec::new();
                self.weigh(e, name_score, &p, Some(&mut features));
                let name = match (options.explain, pair) {
                    (true, Some((qi, f))) => {
                        let cview = self.form_views(f);
                        let a = align(&qviews[qi], &cview, true, &mut cache, &mut scratch);
                        Some(self.explain_name(&p, qi, f, &qviews[qi], &cview, &a, name_score))
                    }
                    _ => None,
                };
                if let Some(n) = &name
                    && let Some(nf) = features.iter_mut().find(|f| f.name == "name_match")
                {
                    nf.detail = n.summary();
                    nf.query = Some(n.query_name.clone());
                    nf.candidate = Some(n.listed_name.clone());
                }
                Match {
                    entity_id: r.id.to_string(),
                    schema: r.schema,
                    caption: r.caption.to_string(),
                    score,
                    is_match: score >= options.threshold,
                    features,
                    name,
                }
            })
            .collect();
        phases[3] += t.elapsed();
        ALIGN_SCRATCH.with(|a| *a.borrow_mut() = (cache, scratch));
        out
    }

    #[allow(clippy::too_many_arguments)]
    fn explain_name(
        &self,
        p: &Prepared,
        qi: usize,
        form: u32,
        q: &[WordView],
        c: &[WordView],
        a: &Alignment,
        score: f32,
    ) -> NameExplanation {
        let f = &self.forms[form as usize];
        let r = &self.entities[f.entity as usize];
        let listed = r.listed_names.get(f.listed as usize);
        let mut q_used = vec![false; q.len()];
        let mut c_used = vec![false; c.len()];
        let words = a
            .pairs
            .iter()
            .map(|pair| {
                let span =
                    |first: u8, last: Option<u8>, words: &[WordView], used: &mut Vec<bool>| {
                        let last = last.unwrap_or(first);
                        let mut t = String::new();
                        for k in first..=last {
                            if !t.is_empty() {
                                t.push(' ');
                            }
                            t.push_str(words[k as usize].text);
                            used[k as usize] = true;
                        }
                        t
                    };
                let qt = span(pair.q, pair.q2, q, &mut q_used);
                let ct = span(pair.c, pair.c2, c, &mut c_used);
                WordAlignment {
                    query: qt,
                    candidate: ct,
                    role: c[pair.c as usize].role.label(),
                    method: pair.method.label(),
                    similarity: f64::from((pair.sim * 100.0).round() / 100.0),
                }
            })
            .collect();
        let join = |v: &[WordView]| v.iter().map(|w| w.text).collect::<Vec<_>>().join(" ");
        let qf = &p.forms[qi];
        NameExplanation {
            query_name: p.names.get(qf.name).cloned().unwrap_or_default(),
            query_form: join(q),
            query_system: qf.system.label(),
            listed_name: listed.map(|l| l.text.to_string()).unwrap_or_default(),
            listed_property: listed.map(|l| l.source.label()).unwrap_or("name"),
            listed_form: join(c),
            listed_system: f.system.label(),
            words,
            unmatched_query: q
                .iter()
                .zip(&q_used)
                .filter(|(w, u)| !**u && w.role != TokenRole::Honorific)
                .map(|(w, _)| w.text.to_string())
                .collect(),
            unmatched_listed: c
                .iter()
                .zip(&c_used)
                .filter(|(_, u)| !**u)
                .map(|(w, _)| (w.text.to_string(), w.role.label()))
                .collect(),
            score: f64::from(score),
        }
    }

    /// Whether an entity could score above `cutoff` with some name score: [`Index::weigh`]
    /// does not fall as the name score rises, and a name scores at most 1. (A hair of slack
    /// keeps rounding from ever dropping an entity that sits exactly at the line.)
    fn may_pass(&self, e: u32, p: &Prepared, cutoff: f64) -> bool {
        self.weigh(e, 1.0, p, None) > cutoff - 1e-9
    }

    /// Weigh the attributes besides the name: returns the final score, and records the
    /// features when asked (only for the results shown, so that the strings of an explanation
    /// are built for five entities, not for every candidate).
    fn weigh(
        &self,
        e: u32,
        name_score: f32,
        p: &Prepared,
        explain: Option<&mut Vec<Feature>>,
    ) -> f64 {
        // The record is read only for identifiers and addresses; dates, countries and gender
        // come from the compact copies.
        let a = || &self.entities[e as usize].attrs;
        let facts = self.entity_facts[e as usize];
        let birth_dates =
            &self.fact_dates[facts.dates as usize..facts.dates as usize + facts.n_dates as usize];
        let listed_countries = &self.fact_countries
            [facts.countries as usize..facts.countries as usize + facts.n_countries as usize];
        let mut score = f64::from(name_score);
        let mut scratch = Vec::new();
        let explaining = explain.is_some();
        let features: &mut Vec<Feature> = match explain {
            Some(f) => f,
            None => &mut scratch,
        };
        if explaining {
            features.push(Feature {
                name: "name_match",
                value: score,
                weight: 1.0,
                effect: score,
                detail: String::new(),
                query: None,
                candidate: None,
            });
        }
        let lift =
            |score: &mut f64,
             features: &mut Vec<Feature>,
             name: &'static str,
             value: f64,
             weight: f64,
             detail: &dyn Fn() -> (String, Option<String>, Option<String>)| {
                let before = *score;
                *score += (1.0 - *score) * weight * value;
                if explaining {
                    let (detail, q, c) = detail();
                    features.push(Feature {
                        name,
                        value,
                        weight,
                        effect: *score - before,
                        detail,
                        query: q,
                        candidate: c,
                    });
                }
            };
        let lower =
            |score: &mut f64,
             features: &mut Vec<Feature>,
             name: &'static str,
             value: f64,
             factor: f64,
             detail: &dyn Fn() -> (String, Option<String>, Option<String>)| {
                let before = *score;
                *score *= factor;
                if explaining {
                    let (detail, q, c) = detail();
                    features.push(Feature {
                        name,
                        value,
                        weight: factor,
                        effect: *score - before,
                        detail,
                        query: q,
                        candidate: c,
                    });
                }
            };

        // Identifiers: strong only when type and issuing country agree.
        let mut best_id: Option<(
            u8,
            &'static str,
            &QueryIdent,
            &crate::attrs::ListedIdentifier,
        )> = None;
        for qi in &p.identifiers {
            for li in &a().identifiers {
                if *li.value != *qi.value {
                    continue;
                }
                let kinds_agree = qi.kind != IdKind::Other && qi.kind == li.kind;
                let countries_agree =
                    matches!((qi.country, li.country), (Some(x), Some(y)) if x == y);
                let country_conflict =
                    matches!((qi.country, li.country), (Some(x), Some(y)) if x != y);
                let kind_conflict =
                    qi.kind != IdKind::Other && li.kind != IdKind::Other && qi.kind != li.kind;
                let (level, why) = if kinds_agree && (countries_agree || li.kind.is_global()) {
                    (3, "type and issuing country agree")
                } else if kind_conflict || country_conflict {
                    (1, "same number, but type or issuing country differ")
                } else {
                    (
                        2,
                        "same number and type; issuing country not known on both sides",
                    )
                };
                if best_id.as_ref().is_none_or(|b| level > b.0) {
                    best_id = Some((level, why, qi, li));
                }
            }
        }
        let desc = |k: IdKind, c: Option<&str>, w: &str| {
            format!(
                "{w} ({:?}{})",
                k,
                c.map(|c| format!(", {c}")).unwrap_or_default()
            )
        };
        if let Some((level, why, qi, li)) = best_id {
            let (value, weight) = match level {
                3 => (1.0, 0.8),
                2 => (0.7, 0.5),
                _ => (0.3, 0.3),
            };
            lift(
                &mut score,
                features,
                "identifier_match",
                value,
                weight,
                &|| {
                    (
                        why.to_string(),
                        Some(desc(qi.kind, qi.country, &qi.written)),
                        Some(desc(li.kind, li.country, &li.written)),
                    )
                },
            );
            if level == 3 && score < 0.9 {
                score = 0.9;
            }
        } else if !p.identifiers.is_empty() {
            // A different number of the same type from the same country is evidence against.
            let conflict = p.identifiers.iter().find_map(|qi| {
                a().identifiers
                    .iter()
                    .find(|li| {
                        qi.kind != IdKind::Other
                            && qi.kind == li.kind
                            && qi.country.is_some()
                            && qi.country == li.country
                    })
                    .map(|li| (qi, li))
            });
            if let Some((qi, li)) = conflict {
                lower(
                    &mut score,
                    features,
                    "identifier_mismatch",
                    1.0,
                    0.9,
                    &|| {
                        (
                            "another number of the same type from the same country".into(),
                            Some(qi.written.clone()),
                            Some(li.written.to_string()),
                        )
                    },
                );
            }
        }

        // Birth dates.
        if !p.dates.is_empty() && !birth_dates.is_empty() {
            let qc = || {
                let listed: Vec<String> = birth_dates.iter().map(|d| d.to_string()).collect();
                (Some(p.dates_written.join(", ")), Some(listed.join(", ")))
            };
            match date_evidence(&p.dates, birth_dates) {
                DateEvidence::Match { precision, detail } => {
                    let weight = match precision {
                        3 => 0.35,
                        2 => 0.2,
                        _ => 0.12,
                    };
                    lift(&mut score, features, "dob_match", 1.0, weight, &|| {
                        let (q, c) = qc();
                        (detail.detail(), q, c)
                    });
                }
                DateEvidence::Mismatch { years } => {
                    let factor = match years {
                        0 | 1 => 0.8,
                        _ => 0.6,
                    };
                    lower(&mut score, features, "dob_mismatch", 1.0, factor, &|| {
                        let (q, c) = qc();
                        (mismatch_detail(years), q, c)
                    });
                }
            }
        }
        // Countries.
        if !p.countries.is_empty() && !listed_countries.is_empty() {
            let qc = || {
                (
                    Some(p.countries.join(", ")),
                    Some(listed_countries.join(", ")),
                )
            };
            if p.countries.iter().any(|x| listed_countries.contains(x)) {
                lift(&mut score, features, "country_match", 1.0, 0.1, &|| {
                    let (q, c) = qc();
                    ("a query country is a listed country".into(), q, c)
                });
            } else {
                lower(&mut score, features, "country_mismatch", 1.0, 0.85, &|| {
                    let (q, c) = qc();
                    ("no query country is a listed country".into(), q, c)
                });
            }
        }
        // Gender.
        if let (Some(qg), Some(lg)) = (p.gender, facts.gender)
            && qg != lg
        {
            lower(&mut score, features, "gender_mismatch", 1.0, 0.75, &|| {
                (
                    "the genders differ".into(),
                    Some(qg.as_str().into()),
                    Some(lg.as_str().into()),
                )
            });
        }
        // Addresses.
        if !p.address_words.is_empty() && !a().address_words.is_empty() {
            let common = p
                .address_words
                .iter()
                .filter(|w| {
                    a().address_words
                        .binary_search_by(|x| (**x).cmp(w.as_str()))
                        .is_ok()
                })
                .count();
            let share = common as f64 / p.address_words.len() as f64;
            if share >= 0.5 {
                lift(&mut score, features, "address_match", share, 0.1, &|| {
                    (
                        format!(
                            "{common} of {} address words are listed",
                            p.address_words.len()
                        ),
                        Some(p.address_words.join(" ")),
                        None,
                    )
                });
            }
        }
        score.clamp(0.0, 1.0)
    }
}

enum DateEvidence {
    /// Precision of the best agreement: 3 day, 2 month, 1 year (or range).
    Match {
        precision: u8,
        detail: DateAgreement,
    },
    /// Years between the closest pair.
    Mismatch { years: i32 },
}

/// How a query date agreed with a listed one (written out only for an explanation).
#[derive(Debug, Clone, Copy)]
enum DateAgreement {
    /// The query date is compatible with the listed one.
    Agrees(PartialDate, PartialDate),
    /// The same date with day and month swapped.
    Swapped(PartialDate, PartialDate),
    /// The listed date lies in the query's range.
    InSpan(PartialDate, DateSpan),
}

impl DateAgreement {
    fn detail(self) -> String {
        match self {
            DateAgreement::Agrees(q, l) => format!("{q} agrees with {l}"),
            DateAgreement::Swapped(q, l) => {
                format!("{q} agrees with {l} with day and month swapped")
            }
            DateAgreement::InSpan(l, q) => format!("{l} lies in {}..{}", q.from, q.to),
        }
    }
}

fn mismatch_detail(years: i32) -> String {
    if years == 0 {
        "same year, different day".to_string()
    } else {
        format!("{years} year(s) apart")
    }
}

fn date_evidence(query: &[DateSpan], listed: &[PartialDate]) -> DateEvidence {
    let mut best_match: Option<(u8, DateAgreement)> = None;
    let mut closest = i32::MAX;
    for q in query {
        for l in listed {
            if q.is_single() {
                if q.from.compatible(l) {
                    let precision = match (
                        q.from.day.is_some() && l.day.is_some(),
                        q.from.month.is_some() && l.month.is_some(),
                    ) {
                        (true, _) => 3,
                        (false, true) => 2,
                        _ => 1,
                    };
                    if best_match.as_ref().is_none_or(|b| precision > b.0) {
                        best_match = Some((precision, DateAgreement::Agrees(q.from, *l)));
                    }
                    continue;
                }
                // Day and month swapped (08/03 vs 03/08) is a clerical error, not another person.
                if let (Some(qm), Some(qd), Some(lm), Some(ld)) =
                    (q.from.month, q.from.day, l.month, l.day)
                    && q.from.year == l.year
                    && qm == ld
                    && qd == lm
                {
                    if best_match.is_none() {
                        best_match = Some((1, DateAgreement::Swapped(q.from, *l)));
                    }
                    continue;
                }
                closest = closest.min((q.from.year - l.year).abs());
            } else {
                let (a, b) = (q.from.first_day(), q.to.last_day());
                if l.last_day() >= a && l.first_day() <= b {
                    if best_match.is_none() {
                        best_match = Some((1, DateAgreement::InSpan(*l, *q)));
                    }
                } else {
                    let y = if l.year < q.from.year {
                        q.from.year - l.year
                    } else {
                        l.year - q.to.year
                    };
                    closest = closest.min(y.abs());
                }
            }
        }
    }
    match best_match {
        Some((precision, detail)) => DateEvidence::Match { precision, detail },
        None => DateEvidence::Mismatch { years: closest },
    }
}
