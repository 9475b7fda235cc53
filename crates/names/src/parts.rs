//! Name parts: given name, family name, patronymic, particle, honorific, generational suffix,
//! initial, legal form.
//!
//! The role of a word decides how much it counts: a missing patronymic or middle name is
//! normal, a missing family name is not; honorifics count for nothing and legal forms for
//! little; and a patronymic must not stand in for a given name (the query "Alexander
//! Lukashenko" is not Viktar *Aliaksandravich* Lukashenka).

use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

const HONORIFICS: &str = include_str!("../data/honorifics.txt");
const PARTICLES: &str = include_str!("../data/particles.txt");
const LEGAL_FORMS: &str = include_str!("../data/legal_forms.txt");

/// What a word of a name is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum TokenRole {
    /// A main part whose kind is not known (no comma, Western or Eastern order).
    Name,
    /// A given name (after the comma in `FAMILY, Given`).
    Given,
    /// A family name (before the comma in `FAMILY, Given`).
    Family,
    /// A second given name or a father's name after `bin`: often missing in a query.
    Middle,
    /// A Slavic patronymic (Hryhoryavich, Aleksandrovna): often missing, never a given name.
    Patronymic,
    /// An article or filiation word (al-, bin, van, de).
    Particle,
    /// A title or rank (Mr, Dr, Sheikh, General); counts for nothing.
    Honorific,
    /// Jr, Sr, II, III.
    Generational,
    /// A single letter standing for a name.
    Initial,
    /// An organisation's legal form (OAO, LLC, GmbH).
    LegalForm,
}

impl TokenRole {
    /// A lower-case label for explanations.
    pub fn label(self) -> &'static str {
        match self {
            TokenRole::Name => "name",
            TokenRole::Given => "given",
            TokenRole::Family => "family",
            TokenRole::Middle => "middle",
            TokenRole::Patronymic => "patronymic",
            TokenRole::Particle => "particle",
            TokenRole::Honorific => "honorific",
            TokenRole::Generational => "generational",
            TokenRole::Initial => "initial",
            TokenRole::LegalForm => "legal-form",
        }
    }

    /// Whether the role names the person or organisation itself (given, family, main part).
    pub fn is_core(self) -> bool {
        matches!(self, TokenRole::Name | TokenRole::Given | TokenRole::Family)
    }
}

fn word_set(text: &'static str) -> HashSet<&'static str> {
    text.lines()
        .filter(|l| !l.trim_start().starts_with('#'))
        .flat_map(str::split_whitespace)
        .collect()
}

/// Whether a folded word is an honorific, title or rank.
pub fn is_honorific(word: &str) -> bool {
    static SET: OnceLock<HashSet<&'static str>> = OnceLock::new();
    SET.get_or_init(|| word_set(HONORIFICS)).contains(word)
}

/// Whether a folded word is a name particle.
pub fn is_particle(word: &str) -> bool {
    static SET: OnceLock<HashSet<&'static str>> = OnceLock::new();
    SET.get_or_init(|| word_set(PARTICLES)).contains(word)
}

/// Whether a folded word is a generational suffix.
pub fn is_generational(word: &str) -> bool {
    matches!(
        word,
        "jr" | "junior" | "sr" | "senior" | "ii" | "iii" | "iv"
    )
}

/// Vessel prefixes (M/V, MT …) that are not part of the vessel's name.
pub fn is_vessel_prefix(word: &str) -> bool {
    matches!(
        word,
        "mv" | "mt"
            | "ms"
            | "ss"
            | "fv"
            | "my"
            | "rv"
            | "mfv"
            | "m"
            | "v"
            | "t"
            | "tanker"
            | "vessel"
            | "ship"
            | "yacht"
            | "tug"
    )
}

const PATRONYMIC_SUFFIXES: &[&str] = &[
    "ovich", "evich", "avich", "ovych", "evych", "ovitch", "evitch", "owitsch", "ewitsch", "ovna",
    "evna", "ivna", "avna", "auna", "awna", "ichna", "owna", "ewna", "yich", "owicz", "ewicz",
    "awicz", "ovic", "evic", "avic",
];

/// Patronymic endings as they read in romanisation keys (`-ovich`, `-owitsch`, `-ovitch`,
/// `-owicz` all give `-avis`; `-aouna` gives `-auna`).
const PATRONYMIC_KEY_SUFFIXES: &[&str] = &["avis", "evis", "avna", "evna", "ivna", "auna"];

/// Whether a folded word ends like a Slavic patronymic, in any romanisation.
pub fn has_patronymic_suffix(word: &str) -> bool {
    if word.len() < 7 {
        return false;
    }
    PATRONYMIC_SUFFIXES.iter().any(|s| word.ends_with(s)) || {
        let key = crate::keys::roman_key(word);
        PATRONYMIC_KEY_SUFFIXES.iter().any(|s| key.ends_with(s))
    }
}

/// The father's name a folded patronymic is made of (Aliaksandravich → aliaksandr).
pub fn patronymic_stem(word: &str) -> Option<&str> {
    if word.len() < 7 {
        return None;
    }
    PATRONYMIC_SUFFIXES
        .iter()
        .filter(|s| word.ends_with(*s))
        .max_by_key(|s| s.len())
        .map(|s| &word[..word.len() - s.len()])
        .filter(|stem| stem.len() >= 3)
}

struct LegalFormTable {
    by_first: HashMap<&'static str, Vec<(Vec<&'static str>, &'static str)>>,
}

fn legal_forms() -> &'static LegalFormTable {
    static T: OnceLock<LegalFormTable> = OnceLock::new();
    T.get_or_init(|| {
        let mut by_first: HashMap<&'static str, Vec<(Vec<&'static str>, &'static str)>> =
            HashMap::new();
        for line in LEGAL_FORMS.lines() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let Some((canon, variants)) = line.split_once(':') else {
                continue;
            };
            for v in variants.split('|') {
                let words: Vec<&'static str> = v.split_whitespace().collect();
                if let Some(first) = words.first() {
                    by_first
                        .entry(first)
                        .or_default()
                        .push((words, canon.trim()));
                }
            }
        }
        for v in by_first.values_mut() {
            v.sort_by_key(|(w, _)| std::cmp::Reverse(w.len()));
        }
        LegalFormTable { by_first }
    })
}

/// The legal form starting at `words[0]`, if any: how many words it spans and its canonical
/// kind (`ojsc` for OAO, OJSC, ОАО, ААТ and "open joint stock company").
pub fn legal_form_at(words: &[&str]) -> Option<(usize, &'static str)> {
    let first = words.first()?;
    let candidates = legal_forms().by_first.get(first)?;
    candidates
        .iter()
        .find(|(phrase, _)| words.len() >= phrase.len() && words[..phrase.len()] == phrase[..])
        .map(|(phrase, canon)| (phrase.len(), *canon))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_load() {
        assert!(is_honorific("sheikh"));
        assert!(is_honorific("general"));
        assert!(!is_honorific("amir"));
        assert!(is_particle("al"));
        assert!(is_particle("bin"));
        assert!(is_generational("jr"));
    }

    #[test]
    fn patronymics() {
        assert!(has_patronymic_suffix("hryhoryavich"));
        assert!(has_patronymic_suffix("aliaksandravich"));
        assert!(has_patronymic_suffix("grigorjewitsch"));
        assert!(has_patronymic_suffix("aleksandrovna"));
        assert!(!has_patronymic_suffix("alexander"));
        assert!(has_patronymic_suffix("ouladzimiraouna"));
        assert!(has_patronymic_suffix("grigorievitch"));
        assert_eq!(patronymic_stem("aliaksandravich"), Some("aliaksandr"));
        assert_eq!(patronymic_stem("grigorievich"), Some("grigori"));
    }

    #[test]
    fn legal_forms_in_many_languages() {
        assert_eq!(legal_form_at(&["oao"]), Some((1, "ojsc")));
        assert_eq!(
            legal_form_at(&["open", "joint", "stock", "company", "x"]),
            Some((4, "ojsc"))
        );
        assert_eq!(legal_form_at(&["aat"]), Some((1, "ojsc")));
        assert_eq!(legal_form_at(&["ooo"]), Some((1, "ltd")));
        assert_eq!(legal_form_at(&["gmbh"]), Some((1, "ltd")));
        assert_eq!(legal_form_at(&["s", "a"]), Some((2, "jsc")));
        assert_eq!(legal_form_at(&["naftan"]), None);
    }
}
