//! The vocabulary of listed name words and the ways to reach a word from a query word:
//! exactly, by given-name class, by romanisation key, by consonant skeleton, by Double
//! Metaphone code, by edit distance (a deletion neighbourhood) and by prefix (an `fst`).

use fst::automaton::Automaton;
use fst::{IntoStreamer, Streamer};
use interdict_names::keys::{consonant_skeleton, phonetic_codes, roman_key, roman_key_alt};
use interdict_names::{
    given_name_class, given_name_class_near, patronymic_class, patronymic_class_near,
};
use rustc_hash::{FxHashMap, FxHasher};
use std::hash::Hasher;

/// "No value" for the u32 ids below.
pub(crate) const NONE: u32 = u32::MAX;

/// A word of the vocabulary with its precomputed keys.
#[derive(Debug, Clone)]
pub(crate) struct Word {
    pub text: Box<str>,
    pub key: u32,
    pub key2: u32,
    pub skeleton: u32,
    pub dm: [u32; 2],
    pub class: u32,
    pub pclass: u32,
    /// Whether some occurrence comes from a script without short vowels.
    pub vowelless: bool,
    /// In how many indexed names the word occurs.
    pub df: u32,
    /// The scorer's rarity factor for `df` (see `score::rarity`).
    pub rarity: f32,
}

/// Compressed sparse rows: for each id, a sorted list of u32.
#[derive(Debug, Clone, Default)]
pub(crate) struct Csr {
    offsets: Vec<u32>,
    data: Vec<u32>,
}

impl Csr {
    /// Build from (row, value) pairs.
    pub fn from_pairs(rows: usize, mut pairs: Vec<(u32, u32)>) -> Csr {
        pairs.sort_unstable();
        pairs.dedup();
        let mut offsets = vec![0u32; rows + 1];
        for (r, _) in &pairs {
            offsets[*r as usize + 1] += 1;
        }
        for i in 0..rows {
            offsets[i + 1] += offsets[i];
        }
        Csr {
            offsets,
            data: pairs.into_iter().map(|(_, v)| v).collect(),
        }
    }

    /// The values of a row.
    pub fn row(&self, r: u32) -> &[u32] {
        let r = r as usize;
        match (self.offsets.get(r), self.offsets.get(r + 1)) {
            (Some(&a), Some(&b)) => &self.data[a as usize..b as usize],
            _ => &[],
        }
    }

    /// Bytes held.
    pub fn heap_bytes(&self) -> usize {
        (self.offsets.capacity() + self.data.capacity()) * 4
    }
}

/// Interns strings to dense ids.
#[derive(Debug, Clone, Default)]
pub(crate) struct Interner {
    ids: FxHashMap<Box<str>, u32>,
    texts: Vec<Box<str>>,
}

impl Interner {
    pub fn intern(&mut self, s: &str) -> u32 {
        if let Some(&id) = self.ids.get(s) {
            return id;
        }
        let id = self.ids.len() as u32;
        self.ids.insert(s.into(), id);
        self.texts.push(s.into());
        id
    }

    pub fn text(&self, id: u32) -> &str {
        self.texts.get(id as usize).map(|t| &**t).unwrap_or("")
    }

    pub fn get(&self, s: &str) -> Option<u32> {
        self.ids.get(s).copied()
    }

    pub fn len(&self) -> usize {
        self.ids.len()
    }
}

/// A 32-bit hash of a deletion variant: collisions only add candidates, which the true edit
/// distance then rejects, and 32 bits halve the neighbourhood's memory.
fn hash_bytes(b: &[u8]) -> u32 {
    let mut h = FxHasher::default();
    h.write(b);
    h.write_u8(0xff);
    let x = h.finish();
    (x ^ (x >> 32)) as u32
}

/// The deletion variants of an ASCII word at distance one (each letter removed once).
fn deletions(word: &[u8], out: &mut Vec<u32>) {
    let mut buf = Vec::with_capacity(word.len());
    for i in 0..word.len() {
        if i > 0 && word[i] == word[i - 1] {
            continue;
        }
        buf.clear();
        buf.extend_from_slice(&word[..i]);
        buf.extend_from_slice(&word[i + 1..]);
        out.push(hash_bytes(&buf));
    }
}

/// The largest edit distance tolerated for a word of this length.
pub(crate) fn max_edits(len: usize) -> usize {
    match len {
        0..=3 => 0,
        4..=7 => 1,
        _ => 2,
    }
}

/// Words under construction, before the vocabulary is frozen.
#[derive(Debug, Default)]
pub(crate) struct VocabBuilder {
    pub words: Vec<Word>,
    by_text: FxHashMap<Box<str>, u32>,
    pub keys: Interner,
    pub skeletons: Interner,
    pub dms: Interner,
}

impl VocabBuilder {
    /// The id of a word, adding it with its keys if new.
    pub fn intern(&mut self, text: &str, vowelless: bool) -> u32 {
        if let Some(&id) = self.by_text.get(text) {
            if vowelless {
                self.words[id as usize].vowelless = true;
            }
            return id;
        }
        let id = self.words.len() as u32;
        let key = self.keys.intern(&roman_key(text));
        let key2 = roman_key_alt(text)
            .map(|k| self.keys.intern(&k))
            .unwrap_or(NONE);
        let skeleton = self.skeletons.intern(&consonant_skeleton(text));
        let (p, a) = if vowelless {
            (None, None)
        } else {
            phonetic_codes(text)
        };
        let dm = [
            p.map(|p| self.dms.intern(&p)).unwrap_or(NONE),
            a.map(|a| self.dms.intern(&a)).unwrap_or(NONE),
        ];
        let class = given_name_class(text).map(|c| c.0).unwrap_or(NONE);
        let pclass = patronymic_class(text).map(|c| c.0).unwrap_or(NONE);
        self.words.push(Word {
            text: text.into(),
            key,
            key2,
            skeleton,
            dm,
            class,
            pclass,
            vowelless,
            df: 0,
            rarity: 1.0,
        });
        self.by_text.insert(text.into(), id);
        id
    }

    /// Freeze into the lookup structures.
    pub fn finish(self) -> Vocabulary {
        let n = self.words.len();
        let mut key_pairs = Vec::with_capacity(n);
        let mut skel_pairs = Vec::with_capacity(n);
        let mut vowelless_skel_pairs = Vec::new();
        let mut dm_pairs = Vec::with_capacity(n);
        let mut class_pairs = Vec::new();
        let mut pclass_pairs = Vec::new();
        let mut deletion_pairs: Vec<(u32, u32)> = Vec::with_capacity(n * 8);
        let mut scratch = Vec::new();
        for (i, w) in self.words.iter().enumerate() {
            let i = i as u32;
            key_pairs.push((w.key, i));
            if w.key2 != NONE {
                key_pairs.push((w.key2, i));
            }
            skel_pairs.push((w.skeleton, i));
            if w.vowelless {
                vowelless_skel_pairs.push((w.skeleton, i));
            }
            for d in w.dm {
                if d != NONE {
                    dm_pairs.push((d, i));
                }
            }
            if w.class != NONE {
                class_pairs.push((w.class, i));
            }
            if w.pclass != NONE {
                pclass_pairs.push((w.pclass, i));
            }
            let b = w.text.as_bytes();
            if w.text.is_ascii() && b.len() >= 4 && !w.vowelless {
                deletion_pairs.push((hash_bytes(b), i));
                scratch.clear();
                deletions(b, &mut scratch);
                deletion_pairs.extend(scratch.iter().map(|h| (*h, i)));
            }
        }
        deletion_pairs.sort_unstable();
        deletion_pairs.dedup();
        // The deletion neighbourhood of romanisation keys: spellings that differ by a letter
        // once romanisation differences are gone (Kasakewitsch / Kazakevich).
        let mut key_deletions: Vec<(u32, u32)> = Vec::with_capacity(self.keys.len() * 8);
        for id in 0..self.keys.len() as u32 {
            let b = self.keys.text(id).as_bytes();
            if b.len() >= 4 && b.is_ascii() {
                key_deletions.push((hash_bytes(b), id));
                scratch.clear();
                deletions(b, &mut scratch);
                key_deletions.extend(scratch.iter().map(|h| (*h, id)));
            }
        }
        key_deletions.sort_unstable();
        key_deletions.dedup();
        let classes = class_pairs
            .iter()
            .map(|(c, _)| *c as usize + 1)
            .max()
            .unwrap_or(0);
        let pclasses = pclass_pairs
            .iter()
            .map(|(c, _)| *c as usize + 1)
            .max()
            .unwrap_or(0);
        let mut sorted: Vec<(&str, u32)> = self
            .words
            .iter()
            .enumerate()
            .map(|(i, w)| (&*w.text, i as u32))
            .collect();
        sorted.sort_unstable();
        let fst = fst::Map::from_iter(sorted.iter().map(|(t, i)| (t.as_bytes(), *i as u64)))
            .unwrap_or_default();
        Vocabulary {
            key_words: Csr::from_pairs(self.keys.len(), key_pairs),
            skeleton_words: Csr::from_pairs(self.skeletons.len(), skel_pairs),
            vowelless_skeleton_words: Csr::from_pairs(self.skeletons.len(), vowelless_skel_pairs),
            dm_words: Csr::from_pairs(self.dms.len(), dm_pairs),
            class_words: Csr::from_pairs(classes, class_pairs),
            pclass_words: Csr::from_pairs(pclasses, pclass_pairs),
            deletions: deletion_pairs,
            key_deletions,
            fst,
            words: self.words,
            by_text: self.by_text,
            keys: self.keys,
            skeletons: self.skeletons,
            dms: self.dms,
        }
    }
}

/// The frozen vocabulary.
#[derive(Debug)]
pub(crate) struct Vocabulary {
    pub words: Vec<Word>,
    pub by_text: FxHashMap<Box<str>, u32>,
    pub keys: Interner,
    pub skeletons: Interner,
    pub dms: Interner,
    key_words: Csr,
    skeleton_words: Csr,
    vowelless_skeleton_words: Csr,
    dm_words: Csr,
    class_words: Csr,
    pclass_words: Csr,
    deletions: Vec<(u32, u32)>,
    key_deletions: Vec<(u32, u32)>,
    fst: fst::Map<Vec<u8>>,
}

/// How a query word reached a vocabulary word.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Channel {
    Exact,
    Class,
    Key,
    Fuzzy,
    Skeleton,
    Phonetic,
    Prefix,
}

impl Channel {
    /// A rough similarity for ranking candidates before they are scored.
    pub fn weight(self) -> f32 {
        match self {
            Channel::Exact => 1.0,
            Channel::Class => 0.95,
            Channel::Key => 0.9,
            Channel::Fuzzy => 0.8,
            Channel::Skeleton => 0.75,
            Channel::Phonetic => 0.7,
            Channel::Prefix => 0.65,
        }
    }
}

/// The keys of a query word, looked up once per query.
#[derive(Debug, Clone)]
pub(crate) struct WordKeys {
    pub skeleton_text: String,
    pub key: u32,
    pub key2: u32,
    pub key_text: String,
    pub key2_text: String,
    pub skeleton: u32,
    pub dm: [u32; 2],
    pub class: u32,
    pub pclass: u32,
    pub skeleton_len: usize,
}

impl Vocabulary {
    /// The keys of a query word, as ids of this vocabulary (`NONE` where no listed word has
    /// that key, which then cannot match anything).
    pub fn keys_of(&self, text: &str, vowelless: bool, with_class: bool) -> WordKeys {
        if let Some(&id) = self.by_text.get(text) {
            let w = &self.words[id as usize];
            let skeleton_len = self.skeletons.text(w.skeleton).len();
            return WordKeys {
                skeleton_text: self.skeletons.text(w.skeleton).to_string(),
                key: w.key,
                key2: w.key2,
                key_text: self.keys.text(w.key).to_string(),
                key2_text: if w.key2 == NONE {
                    String::new()
                } else {
                    self.keys.text(w.key2).to_string()
                },
                skeleton: w.skeleton,
                dm: w.dm,
                class: w.class,
                pclass: w.pclass,
                skeleton_len,
            };
        }
        let skel = consonant_skeleton(text);
        let (p, a) = if vowelless {
            (None, None)
        } else {
            phonetic_codes(text)
        };
        let key_text = roman_key(text);
        let key2_text = roman_key_alt(text).unwrap_or_default();
        WordKeys {
            skeleton_text: skel.clone(),
            key: self.keys.get(&key_text).unwrap_or(NONE),
            key2: if key2_text.is_empty() {
                NONE
            } else {
                self.keys.get(&key2_text).unwrap_or(NONE)
            },
            key_text,
            key2_text,
            skeleton: self.skeletons.get(&skel).unwrap_or(NONE),
            dm: [
                p.and_then(|p| self.dms.get(&p)).unwrap_or(NONE),
                a.and_then(|a| self.dms.get(&a)).unwrap_or(NONE),
            ],
            class: if with_class {
                given_name_class_near(text).map(|c| c.0).unwrap_or(NONE)
            } else {
                NONE
            },
            pclass: if with_class {
                patronymic_class_near(text).map(|c| c.0).unwrap_or(NONE)
            } else {
                NONE
            },
            skeleton_len: skel.len(),
        }
    }

    /// Every vocabulary word a query word may be, with the best channel that reached it.
    /// `full` adds the looser channels (class, phonetic, edit distance, prefix); without it only
    /// the exact word, its romanisation keys and its skeleton are followed (for joined words).
    pub fn expand(
        &self,
        text: &str,
        vowelless: bool,
        keys: &WordKeys,
        full: bool,
        out: &mut Vec<(u32, Channel)>,
    ) {
        out.clear();
        let push = |id: u32, ch: Channel, out: &mut Vec<(u32, Channel)>| out.push((id, ch));
        if let Some(&id) = self.by_text.get(text) {
            push(id, Channel::Exact, out);
        }
        if !full {
            for k in [keys.key, keys.key2] {
                if k != NONE {
                    for &id in self.key_words.row(k).iter().take(16) {
                        push(id, Channel::Key, out);
                    }
                }
            }
            if vowelless && keys.skeleton != NONE && keys.skeleton_len >= 3 {
                for &id in self.skeleton_words.row(keys.skeleton).iter().take(64) {
                    push(id, Channel::Skeleton, out);
                }
            }
            out.sort_unstable();
            out.dedup_by_key(|(id, _)| *id);
            return;
        }
        if keys.class != NONE {
            for &id in self.class_words.row(keys.class) {
                push(id, Channel::Class, out);
            }
        }
        if keys.pclass != NONE {
            for &id in self.pclass_words.row(keys.pclass) {
                push(id, Channel::Class, out);
            }
        }
        for k in [keys.key, keys.key2] {
            if k != NONE {
                for &id in self.key_words.row(k).iter().take(64) {
                    push(id, Channel::Key, out);
                }
            }
        }
        let letters = text.len().max(1);
        let vowels = text.bytes().filter(|b| b"aeiouy".contains(b)).count();
        let vowel_poor = vowels * 5 < letters && text.len() >= 3;
        if keys.skeleton != NONE && keys.skeleton_len >= 2 {
            let row = if vowelless || vowel_poor {
                self.skeleton_words.row(keys.skeleton)
            } else {
                self.vowelless_skeleton_words.row(keys.skeleton)
            };
            for &id in row.iter().take(256) {
                push(id, Channel::Skeleton, out);
            }
        }
        if !vowelless {
            for d in keys.dm {
                if d != NONE {
                    for &id in self.dm_words.row(d).iter().take(48) {
                        push(id, Channel::Phonetic, out);
                    }
                }
            }
            // A word the lists contain as written is rarely a misspelling of another listed
            // word: edit-distance neighbours are looked for only for words the lists lack.
            if !self.by_text.contains_key(text) {
                self.fuzzy(text, out);
                self.fuzzy_keys(&keys.key_text, out);
            }
            if text.len() >= 4 {
                let mut stream = self
                    .fst
                    .search(fst::automaton::Str::new(text).starts_with())
                    .into_stream();
                let mut n = 0;
                while let Some((_, id)) = stream.next() {
                    push(id as u32, Channel::Prefix, out);
                    n += 1;
                    if n >= 24 {
                        break;
                    }
                }
            }
        }
        // Keep the best channel per word.
        out.sort_unstable();
        out.dedup_by_key(|(id, _)| *id);
    }

    /// Words within the tolerated edit distance, found through the deletion neighbourhood and
    /// verified with the true distance.
    fn fuzzy(&self, text: &str, out: &mut Vec<(u32, Channel)>) {
        let b = text.as_bytes();
        if !text.is_ascii() || b.len() < 4 {
            return;
        }
        let max = max_edits(b.len());
        let mut probes = Vec::with_capacity(64);
        probes.push(hash_bytes(b));
        deletions(b, &mut probes);
        if max >= 2 && b.len() >= 9 {
            let mut buf = Vec::with_capacity(b.len());
            for i in 0..b.len() {
                buf.clear();
                buf.extend_from_slice(&b[..i]);
                buf.extend_from_slice(&b[i + 1..]);
                deletions(&buf, &mut probes);
            }
        }
        probes.sort_unstable();
        probes.dedup();
        let mut found: Vec<u32> = Vec::new();
        for p in probes {
            let start = self.deletions.partition_point(|(h, _)| *h < p);
            for &(h, id) in &self.deletions[start..] {
                if h != p {
                    break;
                }
                found.push(id);
            }
        }
        found.sort_unstable();
        found.dedup();
        for id in found {
            let w = self.words[id as usize].text.as_bytes();
            let allowed = max_edits(b.len().max(w.len())).min(max.max(1));
            if crate::score::osa_distance(b, w, allowed) <= allowed {
                out.push((id, Channel::Fuzzy));
            }
        }
    }

    /// Words whose romanisation key is within one edit (two for long keys) of the query's.
    fn fuzzy_keys(&self, key: &str, out: &mut Vec<(u32, Channel)>) {
        let b = key.as_bytes();
        if !key.is_ascii() || b.len() < 5 {
            return;
        }
        let max = max_edits(b.len()).min(2);
        let mut probes = Vec::with_capacity(16);
        probes.push(hash_bytes(b));
        deletions(b, &mut probes);
        probes.sort_unstable();
        probes.dedup();
        let mut found: Vec<u32> = Vec::new();
        for p in probes {
            let start = self.key_deletions.partition_point(|(h, _)| *h < p);
            for &(h, id) in &self.key_deletions[start..] {
                if h != p {
                    break;
                }
                found.push(id);
            }
        }
        found.sort_unstable();
        found.dedup();
        for kid in found {
            let k = self.keys.text(kid).as_bytes();
            if crate::score::osa_distance(b, k, max) <= max {
                for &id in self.key_words.row(kid).iter().take(16) {
                    out.push((id, Channel::Fuzzy));
                }
            }
        }
    }

    /// Bytes held, roughly.
    pub fn heap_bytes(&self) -> usize {
        let words: usize = self
            .words
            .iter()
            .map(|w| w.text.len() + std::mem::size_of::<Word>() + 16)
            .sum();
        words * 2
            + (self.deletions.capacity() + self.key_deletions.capacity()) * 8
            + self.fst.as_fst().as_bytes().len()
            + self.key_words.heap_bytes()
            + self.skeleton_words.heap_bytes()
            + self.dm_words.heap_bytes()
            + (self.keys.len() + self.skeletons.len() + self.dms.len()) * 40
    }
}
