//! Given names that are one name across languages and romanisations.
//!
//! Alexander, Aleksandr, Aliaksandr, Alyaksandr, Alexandre and Oleksandr are one name; a
//! spelling table cannot see that Aleksandr and Oleksandr meet, and edit distance would also
//! let Aleksandr meet Aleksey. Two tables are embedded: a hand-kept one of cross-language
//! equivalents (`data/given_names.txt`) and one derived from OFAC's own alias groups
//! (`data/given_names_derived.txt`, see `tools/derive_name_equivalents.py`), which also holds
//! patronymic spellings (Hryhoryavich ≈ Grigorievich).

use std::collections::HashMap;
use std::sync::OnceLock;

use crate::keys::roman_key;
use crate::parts::patronymic_stem;

const HAND_KEPT: &str = include_str!("../data/given_names.txt");
const DERIVED: &str = include_str!("../data/given_names_derived.txt");

/// The id of a class of equivalent given names; equal ids mean the same name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct NameClass(pub u32);

struct Table {
    exact: HashMap<&'static str, NameClass>,
    by_key: HashMap<String, NameClass>,
    /// Hashes of the keys of every spelling and of their one-letter deletions, for spellings
    /// the tables do not list (see [`given_name_class_near`]).
    near: HashMap<u64, Vec<(NameClass, Box<str>)>>,
    members: Vec<Vec<&'static str>>,
}

/// FNV-1a of the bytes of `key` without the byte at `skip` (none if out of range), and
/// without the one at `skip2`.
fn hash_without(key: &[u8], skip: usize, skip2: usize) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for (i, b) in key.iter().enumerate() {
        if i != skip && i != skip2 {
            h ^= u64::from(*b);
            h = h.wrapping_mul(0x0000_0100_0000_01B3);
        }
    }
    h
}

/// Hashes of a key and of its one-letter deletions.
fn deletion_hashes(key: &[u8], out: &mut Vec<u64>) {
    out.push(hash_without(key, usize::MAX, usize::MAX));
    for i in 0..key.len() {
        if i == 0 || key[i] != key[i - 1] {
            out.push(hash_without(key, i, usize::MAX));
        }
    }
}

fn table() -> &'static Table {
    static TABLE: OnceLock<Table> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut exact: HashMap<&'static str, NameClass> = HashMap::new();
        let mut members: Vec<Vec<&'static str>> = Vec::new();
        for line in HAND_KEPT.lines().chain(DERIVED.lines()) {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let words: Vec<&'static str> = line.split_whitespace().collect();
            // A spelling already in a class keeps it; the line's other spellings join that
            // class (the hand-kept table wins over the derived one).
            let class = words
                .iter()
                .find_map(|w| exact.get(w).copied())
                .unwrap_or_else(|| {
                    members.push(Vec::new());
                    NameClass(members.len() as u32 - 1)
                });
            for w in words {
                if !exact.contains_key(w) {
                    exact.insert(w, class);
                    members[class.0 as usize].push(w);
                }
            }
        }
        // Romanisation keys reach spellings the tables do not list (Aleksandr's key also covers
        // Aleksandar); a key that two classes share is ambiguous and left out.
        let mut by_key: HashMap<String, Option<NameClass>> = HashMap::new();
        for (w, c) in &exact {
            by_key
                .entry(roman_key(w))
                .and_modify(|e| {
                    if *e != Some(*c) {
                        *e = None;
                    }
                })
                .or_insert(Some(*c));
        }
        let by_key: HashMap<String, NameClass> = by_key
            .into_iter()
            .filter_map(|(k, c)| c.map(|c| (k, c)))
            .collect();
        let mut near: HashMap<u64, Vec<(NameClass, Box<str>)>> = HashMap::new();
        let mut hashes = Vec::new();
        for (k, c) in &by_key {
            if k.len() >= 5 && k.is_ascii() {
                hashes.clear();
                deletion_hashes(k.as_bytes(), &mut hashes);
                hashes.sort_unstable();
                hashes.dedup();
                for h in &hashes {
                    near.entry(*h).or_default().push((*c, k.as_str().into()));
                }
            }
        }
        Table {
            exact,
            by_key,
            near,
            members,
        }
    })
}

/// The equivalence class of a folded given name, if it has one: listed spellings, then
/// spellings with the same romanisation key.
pub fn given_name_class(word: &str) -> Option<NameClass> {
    let t = table();
    if let Some(c) = t.exact.get(word) {
        return Some(*c);
    }
    // Keys of three letters or fewer meet too many other names (Soe and Chae both read `sae`).
    let key = roman_key(word);
    if key.len() < 4 {
        return None;
    }
    t.by_key.get(&key).copied()
}

/// Like [`given_name_class`], and for names of six letters or more also a class one of whose
/// spellings has a romanisation key within two edits and of about the same length (Polish
/// `Sierhiej` ≈ Siarhei; keys of seven letters or more), if exactly one class is that close. Slower (tens of microseconds):
/// meant for query words, not for every listed word.
pub fn given_name_class_near(word: &str) -> Option<NameClass> {
    if let Some(c) = given_name_class(word) {
        return Some(c);
    }
    let t = table();
    let key = roman_key(word);
    if key.len() < 7 || !key.is_ascii() {
        return None;
    }
    // The key and its deletions of one and two letters, as hashes (a collision only costs an
    // edit distance), against the table's keys and their one-letter deletions.
    let b = key.as_bytes();
    let mut probes: Vec<u64> = Vec::with_capacity(b.len() * b.len() / 2 + b.len() + 1);
    deletion_hashes(b, &mut probes);
    for i in 0..b.len() {
        for j in i + 1..b.len() {
            probes.push(hash_without(b, i, j));
        }
    }
    probes.sort_unstable();
    probes.dedup();
    let mut found: Option<NameClass> = None;
    for v in probes {
        for (c, k) in t.near.get(&v).into_iter().flatten() {
            if Some(*c) != found && key.len().abs_diff(k.len()) <= 1 && edit_distance(&key, k) <= 2
            {
                match found {
                    Some(_) => return None,
                    None => found = Some(*c),
                }
            }
        }
    }
    found
}

fn edit_distance(a: &str, b: &str) -> usize {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for i in 1..=a.len() {
        let mut cur = vec![i; b.len() + 1];
        for j in 1..=b.len() {
            cur[j] = (prev[j] + 1)
                .min(cur[j - 1] + 1)
                .min(prev[j - 1] + usize::from(a[i - 1] != b[j - 1]));
        }
        prev = cur;
    }
    prev[b.len()]
}

/// The equivalence class of a folded patronymic: the class of the father's name it is made
/// of (Aliaksandravich → Aliaksandr → Alexander), else the class of the patronymic itself if
/// the tables list it.
pub fn patronymic_class(word: &str) -> Option<NameClass> {
    let t = table();
    let stem = patronymic_stem(word)?;
    // The father's name first, so that every spelling of one patronymic meets on it
    // (Yevgenevich and Jewhieniewicz on Yevgeny); the tables' own patronymic classes (which
    // [`given_name_class`] returns) after.
    given_name_class(stem)
        .or_else(|| {
            // Hryhoryavich → Hryhory, listed as Hryhoriy: try the usual given-name endings.
            ["y", "iy", "i", "a"]
                .iter()
                .find_map(|end| given_name_class(&format!("{stem}{end}")))
        })
        .or_else(|| t.exact.get(word).copied())
}

/// [`patronymic_class`] with near spellings of the father's name ([`given_name_class_near`]).
pub fn patronymic_class_near(word: &str) -> Option<NameClass> {
    patronymic_class(word).or_else(|| given_name_class_near(patronymic_stem(word)?))
}

/// Whether two folded given names are the same name in different languages or spellings.
pub fn same_given_name(a: &str, b: &str) -> bool {
    a == b || matches!((given_name_class(a), given_name_class(b)), (Some(x), Some(y)) if x == y)
}

/// The spellings of a class, hand-kept first.
pub fn class_members(class: NameClass) -> &'static [&'static str] {
    table()
        .members
        .get(class.0 as usize)
        .map(Vec::as_slice)
        .unwrap_or(&[])
}

/// Every class with its spellings, for building candidate indexes.
pub fn all_classes() -> impl Iterator<Item = (NameClass, &'static [&'static str])> {
    table()
        .members
        .iter()
        .enumerate()
        .map(|(i, m)| (NameClass(i as u32), m.as_slice()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cross_language_equivalents() {
        for v in [
            "aleksandr",
            "aliaksandr",
            "alyaksandr",
            "alexandre",
            "oleksandr",
            "alexandr",
        ] {
            assert!(same_given_name("alexander", v), "{v}");
        }
        assert!(same_given_name("viktor", "viktar"));
        assert!(same_given_name("lidia", "lidziya"));
        assert!(same_given_name("mohammed", "muhammad"));
        assert!(same_given_name("sergei", "siarhei"));
        assert!(!same_given_name("alexander", "alexei"));
        assert!(!same_given_name("viktor", "vladimir"));
        assert!(!same_given_name("aleksandr", "aleksey"));
        assert_eq!(
            given_name_class_near("sierhiej"),
            given_name_class("sergei")
        );
        assert_eq!(given_name_class_near("petrov"), None);
    }

    #[test]
    fn patronymics_resolve_to_the_fathers_name() {
        assert_eq!(
            patronymic_class("aliaksandravich"),
            given_name_class("alexander")
        );
        assert_eq!(
            patronymic_class("grigorievich"),
            patronymic_class("hryhoryavich")
        );
        assert!(patronymic_class("alexander").is_none());
    }
}
