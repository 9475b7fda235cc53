//! The vocabulary of listed name words and the ways to reach a word from a query word:
//! exactly, by given-name class, by romanisation key, by consonant skeleton, by Double
//! Metaphone code, by edit distance (a deletion neighbourhood) and by prefix (the words in
//! sorted order).

use interdict_names::keys::{consonant_skeleton, phonetic_codes, roman_key, roman_key_alt};
use interdict_names::{
    given_name_class, given_name_class_near, patronymic_class, patronymic_class_near,
};
use rustc_hash::{FxHashMap, FxHasher};
use std::hash::Hasher;

/// "No value" for the u32 ids below.
pub(crate) const NONE: u32 = u32::MAX;

/// The set of letters a–z of a word, one bit each: two words whose sets differ by `k` bits
/// are at least `k / 2` edits apart, which rules most pairs out before any edit distance.
pub(crate) fn letter_mask(text: &str) -> u32 {
    text.bytes()
        .filter(u8::is_ascii_lowercase)
        .fold(0, |m, b| m | 1 << (b - b'a'))
}

/// A word of the vocabulary with its precomputed keys.
#[derive(Debug, Clone)]
pub(crate) struct Word {
    pub text: Box<str>,
    pub key: u32,
    pub key2: u32,
    pub skeleton: u32,
    /// For a word ending in a vowel and `h` (Faleh), the skeleton with that `h` (Arabic
    /// script writes ح there; the plain skeleton reads the `h` as ta marbuta), else `NONE`.
    pub skeleton_h: u32,
    pub dm: [u32; 2],
    pub class: u32,
    pub pclass: u32,
    /// Whether some occurrence comes from a script without short vowels.
    pub vowelless: bool,
    /// Whether the word ends like a patronymic (Piatkevich, Aliaksandravich).
    pub pshape: bool,
    /// The letters a–z the word has, one bit each (see [`letter_mask`]).
    pub letters: u32,
    /// The letters of its romanisation keys.
    pub key_letters: u32,
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

/// (hash, id) pairs found by hash in one or two cache misses: the pairs sorted by hash, and
/// where each bucket of the top bits of the hash starts (a binary search over hundreds of
/// thousands of pairs would cost a dozen misses per probe).
#[derive(Debug, Clone, Default)]
pub(crate) struct HashedPairs {
    shift: u32,
    starts: Vec<u32>,
    pairs: Vec<(u32, u32)>,
}

impl HashedPairs {
    pub fn new(mut pairs: Vec<(u32, u32)>) -> HashedPairs {
        pairs.sort_unstable();
        pairs.dedup();
        let bits = (pairs.len() / 2).max(16).ilog2().clamp(4, 24);
        let shift = 32 - bits;
        let mut starts = vec![0u32; (1usize << bits) + 1];
        for (h, _) in &pairs {
            starts[(h >> shift) as usize + 1] += 1;
        }
        for i in 1..starts.len() {
            starts[i] += starts[i - 1];
        }
        HashedPairs {
            shift,
            starts,
            pairs,
        }
    }

    /// The ids stored under a hash.
    pub fn get(&self, h: u32) -> impl Iterator<Item = u32> + '_ {
        let b = (h >> self.shift) as usize;
        let (from, to) = (
            self.starts.get(b).copied().unwrap_or(0) as usize,
            self.starts.get(b + 1).copied().unwrap_or(0) as usize,
        );
        self.pairs
            .get(from..to)
            .unwrap_or(&[])
            .iter()
            .filter(move |(x, _)| *x == h)
            .map(|(_, id)| *id)
    }

    /// Bytes held.
    pub fn heap_bytes(&self) -> usize {
        self.starts.capacity() * 4 + self.pairs.capacity() * 8
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
        let skeleton_text = consonant_skeleton(text);
        let skeleton = self.skeletons.intern(&skeleton_text);
        let skeleton_h = if text.len() > 3
            && text.ends_with('h')
            && text.is_ascii()
            && text[..text.len() - 1].ends_with(['a', 'e', 'i', 'o', 'u'])
            && !skeleton_text.ends_with('h')
        {
            self.skeletons.intern(&format!("{skeleton_text}h"))
        } else {
            NONE
        };
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
            skeleton_h,
            dm,
            class,
            pclass,
            vowelless,
            pshape: interdict_names::parts::has_patronymic_suffix(text),
            letters: letter_mask(text),
            key_letters: letter_mask(self.keys.text(key))
                | if key2 == NONE {
                    0
                } else {
                    letter_mask(self.keys.text(key2))
                },
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
            if w.skeleton_h != NONE {
                skel_pairs.push((w.skeleton_h, i));
            }
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
        let mut sorted: Vec<u32> = (0..self.words.len() as u32).collect();
        sorted.sort_unstable_by(|a, b| {
            self.words[*a as usize]
                .text
                .cmp(&self.words[*b as usize].text)
        });
        Vocabulary {
            key_words: Csr::from_pairs(self.keys.len(), key_pairs),
            skeleton_words: Csr::from_pairs(self.skeletons.len(), skel_pairs),
            vowelless_skeleton_words: Csr::from_pairs(self.skeletons.len(), vowelless_skel_pairs),
            dm_words: Csr::from_pairs(self.dms.len(), dm_pairs),
            class_words: Csr::from_pairs(classes, class_pairs),
            pclass_words: Csr::from_pairs(pclasses, pclass_pairs),
            deletions: HashedPairs::new(deletion_pairs),
            key_deletions: HashedPairs::new(key_deletions),
            sorted,
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
    deletions: HashedPairs,
    key_deletions: HashedPairs,
    /// Word ids in the order of their texts, for prefixes.
    sorted: Vec<u32>,
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
    /// [`letter_mask`] of the word and of its keys.
    pub letters: u32,
    pub key_letters: u32,
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
                letters: w.letters,
                key_letters: w.key_letters,
            };
        }
        let skel = consonant_skeleton(text);
        // Phonetic codes serve the full channels of a query word, not joined words.
        let (p, a) = if vowelless || !with_class {
            (None, None)
        } else {
            phonetic_codes(text)
        };
        let key_text = roman_key(text);
        let key2_text = roman_key_alt(text).unwrap_or_default();
        let key_letters = letter_mask(&key_text) | letter_mask(&key2_text);
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
            letters: letter_mask(text),
            key_letters,
        }
    }

    /// Every vocabulary word a query word may be, with the best channel that reached it.
    /// `full` adds the looser channels (class, phonetic, edit distance, prefix); without it only
    /// the exact word, its romanisation keys and its skeleton are followed (for joined words).
    /// `last` says the word ends its name (where a cut-off field truncates words).
    pub fn expand(
        &self,
        text: &str,
        vowelless: bool,
        keys: &WordKeys,
        full: bool,
        last: bool,
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
            // Longer listed words beginning with this one (a truncated field): for the last
            // word of a name, and for words the lists lack.
            if text.len() >= 4 && (last || !self.by_text.contains_key(text)) {
                let start = self
                    .sorted
                    .partition_point(|&id| &*self.words[id as usize].text < text);
                for &id in self.sorted[start..].iter().take(24) {
                    if !self.words[id as usize].text.starts_with(text) {
                        break;
                    }
                    push(id, Channel::Prefix, out);
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
            found.extend(self.deletions.get(p));
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
            found.extend(self.key_deletions.get(p));
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
            + self.deletions.heap_bytes()
            + self.key_deletions.heap_bytes()
            + self.sorted.capacity() * 4
            + self.key_words.heap_bytes()
            + self.skeleton_words.heap_bytes()
            + self.dm_words.heap_bytes()
            + (self.keys.len() + self.skeletons.len() + self.dms.len()) * 40
    }
}
