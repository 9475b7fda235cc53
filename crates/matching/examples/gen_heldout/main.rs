//! Generate the **held-out** evaluation set in `crates/matching/eval/heldout*.jsonl` from the
//! real lists, independently of the first set (`gen_eval`).
//!
//! ```text
//! cargo run --release -p interdict-matching --example gen_heldout
//! ```
//!
//! What makes it independent of `eval/sdn_variants.jsonl`, on which the matcher was tuned:
//! - **other entities**: every SDN entity the first set queries is left out; the rest are
//!   taken in the order of a keyed hash of their ids (not a seeded shuffle), people,
//!   organisations and vessels in fixed shares per class, from the primary name or a (strong)
//!   alias;
//! - **other perturbations**: every perturber here (`perturb.rs`, `cyr.rs`, `arabic.rs`) is
//!   written for this generator: keyboard-neighbour typos with insertions and deletions,
//!   another OCR table, partial vowel dropping, field-length truncation, another phonetic
//!   table, free word permutations, titles and generational suffixes, legal forms of more
//!   countries, Cyrillic typed back from Latin by letter rules (not the matcher's tables) and
//!   thirteen romanisation systems (ALA-LC, Czech, Dutch, Swedish, Spanish, Łacinka and English
//!   press styles among them, which the matcher has no table for), Greek and IPA homoglyphs,
//!   bidi marks and other invisible characters, diacritics, run-together words;
//! - **other near misses**: given names and surnames of sixteen naming cultures written for
//!   this generator (`pools.rs`), combined with listed surnames, listed given names or one
//!   distinctive word of a listed organisation or vessel, and checked against every listed
//!   name by an oracle that does not use the scorer.
//!
//! Writes:
//! - `heldout.jsonl`: variants and near misses over the whole 2021-07 SDN list;
//! - `heldout_belarus.jsonl`: every listed name of every BELARUS-programme person in Russian
//!   and Belarusian Cyrillic and in thirteen romanisations, and with Russian/English given
//!   names;
//! - `heldout_arabic.jsonl`: Arabic-script names: the UN list's Arabic names of entities that
//!   are also on the 2021-07 SDN list (expected: the SDN entity), orthographic variants of the
//!   UN list's Arabic names (expected: the UN entity), and SDN names of Arabic-named people
//!   written in Arabic script by letter rules; run against SDN + UN with every original-script
//!   name removed.

#[path = "../../tests/common/mod.rs"]
mod common;

mod arabic;
mod cyr;
mod perturb;
mod pools;

use std::collections::{BTreeSet, HashMap, HashSet};
use std::io::Write;

use common::eval::Case;
use interdict_lists::Format;
use interdict_model::{Entity, Schema};
use interdict_synthetic::Rng;
use perturb::{natural, split_listed, words};
use pools::Culture;

const SEED: u64 = 0x4845_4C44_4F55_5431; // "HELDOUT1"
const PER_CLASS: usize = 80;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Person,
    Org,
    Vessel,
    Aircraft,
}

fn kind(e: &Entity) -> Kind {
    let s = e.schema;
    if s == Schema::named("Person") {
        Kind::Person
    } else if s == Schema::named("Vessel") {
        Kind::Vessel
    } else if s == Schema::named("Airplane") {
        Kind::Aircraft
    } else {
        Kind::Org
    }
}

fn schema_name(k: Kind) -> &'static str {
    match k {
        Kind::Person => "Person",
        Kind::Org => "Organization",
        Kind::Vessel => "Vessel",
        Kind::Aircraft => "Airplane",
    }
}

/// FNV-1a of a key: the order entities are taken in.
fn keyed(id: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325 ^ SEED;
    for b in id.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01B3);
    }
    h
}

fn fold(s: &str) -> String {
    interdict_names::fold(s)
}

// ---------------------------------------------------------------------------------------------
// Who is who: Slavic and Arabic names, naming cultures (heuristics of this generator).

const PATRONYMIC_ENDS: &[&str] = &[
    "ovich", "evich", "avich", "ovych", "evych", "ovna", "evna", "avna", "ivna", "ichna", "yich",
    "ovitch", "ievich", "yevich",
];
const SLAVIC_SURNAME_ENDS: &[&str] = &[
    "ov", "ova", "ev", "eva", "yov", "in", "ina", "yn", "enko", "enka", "sky", "ski", "skiy",
    "skii", "skaya", "uk", "yuk", "chuk", "ich", "ets", "au", "ou", "ak", "yak", "ko",
];

fn is_slavic(e: &Entity, name: &str) -> bool {
    if kind(e) != Kind::Person {
        return false;
    }
    let f = fold(name);
    let w: Vec<&str> = f.split(' ').collect();
    if w.iter()
        .any(|x| x.len() >= 7 && PATRONYMIC_ENDS.iter().any(|s| x.ends_with(s)))
    {
        return true;
    }
    let programs: Vec<&str> = e.values("program").collect();
    let slavic_program = programs.iter().any(|p| {
        p.contains("UKRAINE")
            || p.contains("RUSSIA")
            || p.contains("BELARUS")
            || p.contains("CAATSA")
    });
    let surname = split_listed(name)
        .map(|(_, f)| fold(&f))
        .unwrap_or_default();
    slavic_program && SLAVIC_SURNAME_ENDS.iter().any(|s| surname.ends_with(s))
}

fn is_arabic_name(name: &str) -> bool {
    let f = fold(name);
    let w: Vec<&str> = f.split(' ').collect();
    w.iter().any(|x| {
        matches!(
            *x,
            "al" | "bin"
                | "ibn"
                | "abu"
                | "abd"
                | "abdul"
                | "abdel"
                | "abdullah"
                | "muhammad"
                | "mohammed"
                | "mohamed"
                | "ahmad"
                | "ahmed"
                | "ali"
                | "hassan"
                | "hasan"
                | "husayn"
                | "hussein"
                | "umar"
                | "omar"
                | "yusuf"
                | "khalid"
                | "ibrahim"
                | "abdallah"
        )
    })
}

fn culture_of(e: &Entity, name: &str, rng: &mut Rng) -> Culture {
    let programs: Vec<&str> = e.values("program").collect();
    let has = |p: &str| programs.iter().any(|x| x.contains(p));
    let surname = split_listed(name)
        .map(|(_, f)| fold(&f))
        .unwrap_or_else(|| fold(name));
    if is_slavic(e, name) {
        Culture::Slavic
    } else if has("DPRK") {
        Culture::Korean
    } else if has("IRAN") || has("IRGC") || has("HRIT") {
        Culture::Persian
    } else if is_arabic_name(name) {
        if surname.ends_with("zai") || surname.ends_with("khel") || fold(name).contains("ullah") {
            Culture::Afghan
        } else {
            Culture::Arabic
        }
    } else if has("SDNTK")
        || has("VENEZUELA")
        || has("CUBA")
        || has("NICARAGUA")
        || surname.ends_with("ez")
    {
        Culture::Hispanic
    } else if has("BALKANS") {
        Culture::Balkan
    } else if has("CHINA") || has("HK") {
        Culture::Chinese
    } else {
        pools::CULTURES[rng.below(pools::CULTURES.len())]
    }
}

// ---------------------------------------------------------------------------------------------
// The oracle: is a generated near miss, word for word, a listed name? (Independent of the
// scorer: exact canonical keys of words, and the given-name classes of `interdict-names` to be
// safe; a near miss must pass both.)

const STOP: &[&str] = &[
    "al",
    "el",
    "ul",
    "ur",
    "ud",
    "ad",
    "ar",
    "as",
    "ash",
    "an",
    "bin",
    "ibn",
    "ben",
    "bint",
    "abu",
    "abd",
    "de",
    "la",
    "del",
    "da",
    "di",
    "van",
    "von",
    "der",
    "the",
    "and",
    "of",
    "mr",
    "mrs",
    "dr",
    "haji",
    "hajji",
    "sheikh",
    "llc",
    "ltd",
    "limited",
    "co",
    "company",
    "inc",
    "corp",
    "corporation",
    "sa",
    "s",
    "a",
    "gmbh",
    "jsc",
    "ojsc",
    "oao",
    "ooo",
    "zao",
    "cjsc",
    "pjsc",
    "ao",
    "plc",
    "llp",
    "fze",
    "bv",
    "b",
    "v",
    "srl",
    "sarl",
    "ag",
    "oy",
    "ab",
    "pte",
    "sp",
    "z",
    "o",
    "spa",
    "as",
    "group",
    "trading",
    "international",
];

fn word_key(w: &str) -> String {
    let b: Vec<char> = w.chars().collect();
    let mut out = String::new();
    let mut last = ' ';
    for (i, &c) in b.iter().enumerate() {
        let c = match c {
            'w' => 'v',
            'q' | 'c' => 'k',
            'z' => 's',
            'j' => 'y',
            'p' if b.get(i + 1) == Some(&'h') => 'f',
            x => x,
        };
        let keep = i == 0 || !"aeiouyh".contains(c);
        if keep && c != last {
            out.push(c);
        }
        if keep {
            last = c;
        }
    }
    out
}

struct Oracle {
    sets: Vec<(BTreeSet<String>, BTreeSet<String>)>,
    by_key: HashMap<String, Vec<usize>>,
}

fn name_sets(name: &str) -> (BTreeSet<String>, BTreeSet<String>) {
    let f = fold(name);
    let mut keys = BTreeSet::new();
    let mut classes = BTreeSet::new();
    for w in f.split(' ') {
        if w.len() < 2 || STOP.contains(&w) {
            continue;
        }
        keys.insert(word_key(w));
        classes.insert(match interdict_names::given_name_class(w) {
            Some(c) => format!("#{}", c.0),
            None => w.to_string(),
        });
    }
    (keys, classes)
}

impl Oracle {
    fn new(entities: &[Entity]) -> Oracle {
        let mut sets = Vec::new();
        let mut by_key: HashMap<String, Vec<usize>> = HashMap::new();
        for e in entities {
            for n in e
                .values("name")
                .chain(e.values("alias"))
                .chain(e.values("weakAlias"))
                .chain(e.values("previousName"))
            {
                let s = name_sets(n);
                for k in &s.0 {
                    by_key.entry(k.clone()).or_default().push(sets.len());
                }
                sets.push(s);
            }
        }
        Oracle { sets, by_key }
    }

    fn is_listed(&self, name: &str) -> bool {
        let (keys, classes) = name_sets(name);
        if keys.is_empty() {
            return true;
        }
        let first = keys.iter().next().cloned().unwrap_or_default();
        let mut idx: Vec<usize> = self.by_key.get(&first).cloned().unwrap_or_default();
        // Equivalent given names have other keys: look through every name sharing any key.
        for k in &keys {
            idx.extend(self.by_key.get(k).into_iter().flatten());
        }
        idx.sort_unstable();
        idx.dedup();
        idx.iter().any(|&i| {
            let (lk, lc) = &self.sets[i];
            keys.is_subset(lk) || classes.is_subset(lc)
        })
    }
}

// ---------------------------------------------------------------------------------------------

struct Writer {
    cases: Vec<Case>,
    counts: HashMap<String, usize>,
    seen: HashSet<(String, String)>,
}

impl Writer {
    fn new() -> Writer {
        Writer {
            cases: Vec::new(),
            counts: HashMap::new(),
            seen: HashSet::new(),
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn push(
        &mut self,
        class: &str,
        positive: bool,
        expect: Option<&str>,
        schema: &str,
        name: String,
        source: &str,
        dates: Vec<String>,
        countries: Vec<String>,
    ) -> bool {
        if name.trim().is_empty() || !self.seen.insert((class.to_string(), name.clone())) {
            return false;
        }
        let n = self.counts.entry(class.to_string()).or_default();
        *n += 1;
        self.cases.push(Case {
            id: format!("ho-{class}-{:04}", n),
            class: class.to_string(),
            kind: if positive { "positive" } else { "negative" }.to_string(),
            schema: schema.to_string(),
            names: vec![name],
            birth_dates: dates,
            countries,
            expect: expect.map(str::to_string),
            source: Some(source.to_string()),
        });
        true
    }

    fn count(&self, class: &str) -> usize {
        self.counts.get(class).copied().unwrap_or(0)
    }

    fn write(&self, path: &std::path::Path) {
        let mut text = String::new();
        for c in &self.cases {
            match serde_json::to_string(c) {
                Ok(line) => {
                    text.push_str(&line);
                    text.push('\n');
                }
                Err(e) => eprintln!("skipping a case: {e}"),
            }
        }
        if let Err(e) = std::fs::File::create(path).and_then(|mut f| f.write_all(text.as_bytes())) {
            eprintln!("{}: {e}", path.display());
            std::process::exit(1);
        }
        let mut per: Vec<(&String, &usize)> = self.counts.iter().collect();
        per.sort();
        println!("{}: {} cases", path.display(), self.cases.len());
        for (c, n) in per {
            println!("  {c}: {n}");
        }
    }
}

/// The listed names a variant may start from: the name, and strong aliases.
fn source_names(e: &Entity) -> Vec<&str> {
    e.values("name").chain(e.values("alias")).collect()
}

type Gen = fn(&mut Rng, &Entity, &str) -> Option<String>;

struct Class {
    name: &'static str,
    /// Shares of people, organisations, vessels (the rest: none).
    kinds: &'static [Kind],
    eligible: fn(&Entity, &str) -> bool,
    generate: Gen,
}

fn any(_: &Entity, _: &str) -> bool {
    true
}

fn comma_person(e: &Entity, n: &str) -> bool {
    kind(e) == Kind::Person && split_listed(n).is_some()
}

fn slavic(e: &Entity, n: &str) -> bool {
    is_slavic(e, n)
}

const ALL: &[Kind] = &[
    Kind::Person,
    Kind::Person,
    Kind::Org,
    Kind::Person,
    Kind::Org,
    Kind::Vessel,
];
const PEOPLE: &[Kind] = &[Kind::Person];
const PEOPLE_ORGS: &[Kind] = &[Kind::Person, Kind::Org, Kind::Person];
const ORGS: &[Kind] = &[Kind::Org];
const VESSELS: &[Kind] = &[Kind::Vessel];

fn cyrillic_name(rng: &mut Rng, name: &str) -> String {
    let lang = if rng.chance(0.5) {
        cyr::Lang::Ru
    } else {
        cyr::Lang::Be
    };
    let ordered = match split_listed(name) {
        Some((g, f)) if rng.chance(0.5) => format!("{f} {g}"),
        _ => natural(name),
    };
    cyr::to_cyrillic(&ordered, lang)
}

fn classes() -> Vec<Class> {
    vec![
        Class {
            name: "alias",
            kinds: ALL,
            eligible: |e, _| e.values("alias").next().is_some(),
            generate: |rng, e, _| {
                let a: Vec<&str> = e.values("alias").collect();
                Some(a[rng.below(a.len())].to_string())
            },
        },
        Class {
            name: "typo",
            kinds: ALL,
            eligible: any,
            generate: |rng, _, n| perturb::on_word(rng, n, 4, perturb::typo),
        },
        Class {
            name: "transposition",
            kinds: ALL,
            eligible: any,
            generate: |rng, _, n| perturb::on_word(rng, n, 4, perturb::transpose),
        },
        Class {
            name: "ocr",
            kinds: ALL,
            eligible: any,
            generate: |rng, _, n| perturb::on_word(rng, n, 4, perturb::ocr),
        },
        Class {
            name: "dropped-vowels",
            kinds: ALL,
            eligible: any,
            generate: |rng, _, n| perturb::on_word(rng, n, 5, perturb::drop_vowels),
        },
        Class {
            name: "doubled-letters",
            kinds: ALL,
            eligible: any,
            generate: |rng, _, n| perturb::on_word(rng, n, 4, perturb::double_or_collapse),
        },
        Class {
            name: "truncation",
            kinds: ALL,
            eligible: any,
            generate: |rng, _, n| perturb::truncate_field(rng, n),
        },
        Class {
            name: "phonetic",
            kinds: ALL,
            eligible: any,
            generate: |rng, _, n| perturb::on_word(rng, n, 4, perturb::phonetic),
        },
        Class {
            name: "word-order",
            kinds: PEOPLE_ORGS,
            eligible: any,
            generate: |rng, _, n| perturb::shuffle_words(rng, n),
        },
        Class {
            name: "missing-middle",
            kinds: PEOPLE,
            eligible: |e, n| {
                comma_person(e, n) && split_listed(n).is_some_and(|(g, _)| words(&g).len() >= 2)
            },
            generate: |rng, _, n| perturb::given_and_family(rng, n),
        },
        Class {
            name: "initials",
            kinds: PEOPLE,
            eligible: comma_person,
            generate: |rng, _, n| perturb::with_initials(rng, n),
        },
        Class {
            name: "titles",
            kinds: PEOPLE,
            eligible: any,
            generate: |rng, _, n| perturb::titled(rng, n),
        },
        Class {
            name: "legal-form",
            kinds: ORGS,
            eligible: any,
            generate: |rng, _, n| perturb::legal_form_swap(rng, n),
        },
        Class {
            name: "cyrillic",
            kinds: PEOPLE,
            eligible: slavic,
            generate: |rng, _, n| Some(cyrillic_name(rng, n)),
        },
        Class {
            name: "romanisation",
            kinds: PEOPLE,
            eligible: slavic,
            generate: |rng, _, n| {
                let lang = if rng.chance(0.5) {
                    cyr::Lang::Ru
                } else {
                    cyr::Lang::Be
                };
                let c = cyr::to_cyrillic(&natural(n), lang);
                let sys = cyr::SYSTEMS[rng.below(cyr::SYSTEMS.len())];
                Some(cyr::romanise(&c, lang, sys))
            },
        },
        Class {
            name: "homoglyph",
            kinds: ALL,
            eligible: any,
            generate: |rng, _, n| perturb::homoglyphs(rng, n),
        },
        Class {
            name: "invisible",
            kinds: ALL,
            eligible: any,
            generate: |rng, _, n| perturb::invisible(rng, n),
        },
        Class {
            name: "case-punct-space",
            kinds: ALL,
            eligible: any,
            generate: |rng, _, n| perturb::case_punct_space(rng, n),
        },
        Class {
            name: "diacritics",
            kinds: ALL,
            eligible: any,
            generate: |rng, _, n| perturb::diacritics(rng, n),
        },
        Class {
            name: "vessel-prefix",
            kinds: VESSELS,
            eligible: any,
            generate: |rng, _, n| {
                let p = [
                    "M/V", "MV", "M.V.", "MT", "M/T", "SS", "MS", "M/S", "TANKER", "MY",
                ];
                Some(format!("{} {n}", p[rng.below(p.len())]))
            },
        },
        Class {
            name: "combined",
            kinds: PEOPLE_ORGS,
            eligible: any,
            generate: |rng, _, n| {
                // Two kinds of damage at once: a word-level one, then a string-level one.
                let first = match rng.below(4) {
                    0 => perturb::on_word(rng, n, 4, perturb::typo),
                    1 => perturb::on_word(rng, n, 4, perturb::phonetic),
                    2 => perturb::on_word(rng, n, 4, perturb::transpose),
                    _ => perturb::on_word(rng, n, 4, perturb::double_or_collapse),
                }?;
                match rng.below(3) {
                    0 => perturb::shuffle_words(rng, &first),
                    1 => perturb::case_punct_space(rng, &first),
                    _ => perturb::homoglyphs(rng, &first),
                }
            },
        },
    ]
}

fn main() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("eval");
    let sdn: Vec<Entity> = common::sdn_2021()
        .into_iter()
        .filter(|e| e.schema.is_matchable())
        .collect();
    // Entities the first evaluation set queries are left out.
    let used: HashSet<String> = common::eval::read(&dir.join("sdn_variants.jsonl"))
        .into_iter()
        .filter_map(|c| c.expect)
        .collect();
    let mut order: Vec<usize> = (0..sdn.len())
        .filter(|&i| !used.contains(&sdn[i].id))
        .collect();
    order.sort_by_key(|&i| keyed(&sdn[i].id));
    println!(
        "SDN 2021-07: {} matchable entities, {} not in the first evaluation set",
        sdn.len(),
        order.len()
    );
    let oracle = Oracle::new(&sdn);
    let mut rng = Rng::new(SEED);
    let mut w = Writer::new();

    // ---- Positives: each class walks the keyed order from its own offset, so that classes
    // use different entities as far as the list allows.
    let classes = classes();
    for (ci, class) in classes.iter().enumerate() {
        // Quotas per kind of entity from the class's shares; what one kind cannot fill goes to
        // the next.
        let mut quotas: Vec<(Kind, usize)> = Vec::new();
        for (k, kd) in class.kinds.iter().enumerate() {
            let share = PER_CLASS * (k + 1) / class.kinds.len() - PER_CLASS * k / class.kinds.len();
            match quotas.iter_mut().find(|(q, _)| q == kd) {
                Some(q) => q.1 += share,
                None => quotas.push((*kd, share)),
            }
        }
        let offset = (ci * 397) % order.len().max(1);
        let mut carry = 0;
        for (want, quota) in quotas {
            let quota = quota + carry;
            let mut taken = 0;
            for k in 0..order.len() {
                if taken >= quota {
                    break;
                }
                let e = &sdn[order[(offset + k) % order.len()]];
                if kind(e) != want {
                    continue;
                }
                let names = source_names(e);
                if names.is_empty() {
                    continue;
                }
                // The primary name more often than an alias.
                let name = if names.len() > 1 && rng.chance(0.35) {
                    names[1 + rng.below(names.len() - 1)]
                } else {
                    names[0]
                };
                if !(class.eligible)(e, name) {
                    continue;
                }
                let Some(v) = (class.generate)(&mut rng, e, name) else {
                    continue;
                };
                if v == name && class.name != "alias" {
                    continue;
                }
                if w.push(
                    class.name,
                    true,
                    Some(&e.id),
                    schema_name(kind(e)),
                    v,
                    name,
                    Vec::new(),
                    Vec::new(),
                ) {
                    taken += 1;
                }
            }
            carry = quota - taken;
        }
    }
    // The listed name, lightly damaged, with the listed birth date and nationality.
    let mut k = 0;
    for &i in order.iter().rev() {
        if w.count("with-attributes") >= PER_CLASS {
            break;
        }
        let e = &sdn[i];
        if kind(e) != Kind::Person || !e.has("birthDate") {
            continue;
        }
        let Some(name) = e.first("name") else {
            continue;
        };
        k += 1;
        let v = match k % 3 {
            0 => {
                perturb::on_word(&mut rng, name, 4, perturb::typo).unwrap_or_else(|| natural(name))
            }
            1 => perturb::given_and_family(&mut rng, name).unwrap_or_else(|| natural(name)),
            _ => natural(name),
        };
        let dates: Vec<String> = e.values("birthDate").take(1).map(str::to_string).collect();
        let countries: Vec<String> = e
            .values("nationality")
            .chain(e.values("citizenship"))
            .take(1)
            .map(str::to_string)
            .collect();
        w.push(
            "with-attributes",
            true,
            Some(&e.id),
            "Person",
            v,
            name,
            dates,
            countries,
        );
    }
    // Listed people with a birth date 10 or more years off must not alert on them.
    for &i in order.iter().rev().skip(200) {
        if w.count("dob-conflict") >= PER_CLASS {
            break;
        }
        let e = &sdn[i];
        if kind(e) != Kind::Person || e.values("birthDate").count() != 1 {
            continue;
        }
        let (Some(d), Some(name)) = (e.first("birthDate"), e.first("name")) else {
            continue;
        };
        let Ok(year) = d.get(..4).unwrap_or("").parse::<i32>() else {
            continue;
        };
        let other = if rng.chance(0.5) {
            year + 10 + rng.below(20) as i32
        } else {
            year - 10 - rng.below(20) as i32
        };
        let rest = d.get(4..).unwrap_or("");
        w.push(
            "dob-conflict",
            false,
            Some(&e.id),
            "Person",
            natural(name),
            name,
            vec![format!("{other}{rest}")],
            Vec::new(),
        );
    }
    near_misses(&sdn, &oracle, &mut rng, &mut w);
    w.write(&dir.join("heldout.jsonl"));

    belarus(&sdn, &mut rng, &dir);
    arabic_set(&sdn, &mut rng, &dir);
}

fn near_misses(sdn: &[Entity], oracle: &Oracle, rng: &mut Rng, w: &mut Writer) {
    let people: Vec<&Entity> = sdn
        .iter()
        .filter(|e| kind(e) == Kind::Person && e.first("name").and_then(split_listed).is_some())
        .collect();
    let orgs: Vec<&Entity> = sdn.iter().filter(|e| kind(e) == Kind::Org).collect();
    let vessels: Vec<&Entity> = sdn.iter().filter(|e| kind(e) == Kind::Vessel).collect();
    let targets: &[(&str, usize)] = &[
        ("near-surname", 150),
        ("near-given", 150),
        ("near-org-word", 120),
        ("near-vessel-word", 40),
        ("unrelated", 80),
        ("near-mixed", 60),
    ];
    let done = |w: &Writer| targets.iter().all(|(c, n)| w.count(c) >= *n);
    let want = |w: &Writer, c: &str| targets.iter().any(|(k, n)| *k == c && w.count(c) < *n);
    let mut tries = 0;
    while !done(w) && tries < 400_000 {
        tries += 1;
        let class = targets[rng.below(targets.len())].0;
        if !want(w, class) {
            continue;
        }
        let (candidate, schema, source): (String, &str, String) = match class {
            "near-surname" | "near-given" | "unrelated" | "near-mixed" => {
                let e = people[rng.below(people.len())];
                let Some(name) = e.first("name") else {
                    continue;
                };
                let Some((g, f)) = split_listed(name) else {
                    continue;
                };
                let c = culture_of(e, name, rng);
                let c = if rng.chance(0.25) {
                    pools::CULTURES[rng.below(pools::CULTURES.len())]
                } else {
                    c
                };
                let given = pools::given(c);
                let sur = pools::surnames(c);
                let g0 = words(&g).first().cloned().unwrap_or_default();
                if g0.chars().count() < 2 || g0.ends_with('.') {
                    continue;
                }
                let cand = match class {
                    "near-surname" => format!("{} {f}", given[rng.below(given.len())]),
                    "near-given" => format!("{g0} {}", sur[rng.below(sur.len())]),
                    "unrelated" => format!(
                        "{} {}",
                        given[rng.below(given.len())],
                        sur[rng.below(sur.len())]
                    ),
                    _ => {
                        // A listed given name with the surname of another listed person of the
                        // same culture.
                        let other = people[rng.below(people.len())];
                        let Some(on) = other.first("name") else {
                            continue;
                        };
                        let Some((_, of)) = split_listed(on) else {
                            continue;
                        };
                        if culture_of(other, on, rng) != culture_of(e, name, rng) || of == f {
                            continue;
                        }
                        format!("{g0} {of}")
                    }
                };
                (cand, "Person", name.to_string())
            }
            "near-org-word" => {
                let e = orgs[rng.below(orgs.len())];
                let Some(name) = e.first("name") else {
                    continue;
                };
                let distinctive: Vec<String> = fold(name)
                    .split(' ')
                    .filter(|x| x.len() >= 5 && !STOP.contains(x) && !GENERIC_ORG.contains(x))
                    .map(str::to_uppercase)
                    .collect();
                if distinctive.len() < 2 {
                    continue;
                }
                let keep = distinctive[rng.below(distinctive.len())].clone();
                let biz = pools::BUSINESS_WORDS[rng.below(pools::BUSINESS_WORDS.len())];
                let place = pools::PLACE_WORDS[rng.below(pools::PLACE_WORDS.len())];
                let form = pools::LEGAL_FORMS[rng.below(pools::LEGAL_FORMS.len())];
                let cand = match rng.below(3) {
                    0 => format!("{keep} {biz} {form}"),
                    1 => format!("{place} {keep} {biz} {form}"),
                    _ => format!("{keep} {place} {form}"),
                };
                (cand, "Organization", name.to_string())
            }
            _ => {
                let e = vessels[rng.below(vessels.len())];
                let Some(name) = e.first("name") else {
                    continue;
                };
                let ws: Vec<String> = fold(name)
                    .split(' ')
                    .filter(|x| x.len() >= 4)
                    .map(str::to_uppercase)
                    .collect();
                if ws.is_empty() {
                    continue;
                }
                let keep = ws[rng.below(ws.len())].clone();
                let v = pools::VESSEL_WORDS[rng.below(pools::VESSEL_WORDS.len())];
                let cand = if rng.chance(0.5) {
                    format!("{keep} {v}")
                } else {
                    format!("{v} {keep}")
                };
                (cand, "Vessel", name.to_string())
            }
        };
        if oracle.is_listed(&candidate) {
            continue;
        }
        w.push(
            class,
            false,
            None,
            schema,
            candidate,
            &source,
            Vec::new(),
            Vec::new(),
        );
    }
}

/// Words too common in organisation names to make a near miss of.
const GENERIC_ORG: &[&str] = &[
    "trading",
    "company",
    "group",
    "international",
    "general",
    "industries",
    "industrial",
    "services",
    "holding",
    "holdings",
    "enterprises",
    "enterprise",
    "corporation",
    "limited",
    "import",
    "export",
    "commercial",
    "national",
    "foundation",
    "islamic",
    "shipping",
    "investment",
    "development",
    "bank",
    "front",
    "organization",
    "association",
    "society",
    "republic",
    "ministry",
    "office",
    "center",
    "centre",
    "agency",
    "management",
    "global",
    "technology",
    "engineering",
    "services",
    "marine",
    "petroleum",
    "energy",
    "state",
];

/// Every listed name of every BELARUS-programme person, in Cyrillic and romanisations.
fn belarus(sdn: &[Entity], rng: &mut Rng, dir: &std::path::Path) {
    // Belarusian, Russian and English forms of given names (this generator's own table).
    const EXONYMS: &[&[&str]] = &[
        &[
            "Aliaksandr",
            "Alyaksandr",
            "Aleksandr",
            "Alexander",
            "Alexandre",
            "Aleksander",
        ],
        &["Uladzimir", "Vladimir", "Wladimir", "Uladzimer"],
        &["Siarhei", "Sergei", "Sergey", "Serge", "Siarhiej"],
        &["Viktar", "Viktor", "Victor", "Wiktor"],
        &["Dzmitry", "Dmitry", "Dmitri", "Dmitriy", "Dzmitryi"],
        &["Mikalai", "Nikolai", "Nikolay", "Mikalay"],
        &["Yury", "Yuri", "Yuriy", "Iurii", "Juri"],
        &["Ihar", "Igor"],
        &["Aleh", "Oleg"],
        &["Andrei", "Andrey", "Andrej", "Andrew"],
        &["Anatol", "Anatoly", "Anatoliy", "Anatolii"],
        &["Valery", "Valeri", "Valeriy", "Valer"],
        &["Viachaslau", "Vyacheslav", "Viacheslav"],
        &["Leanid", "Leonid"],
        &["Lidziya", "Lidia", "Lidiya", "Lydia"],
        &["Natallia", "Natalia", "Natalya"],
        &["Volha", "Olga"],
        &["Pavel", "Paval", "Paul"],
        &["Ivan", "Ivan", "Iwan"],
        &["Yauhen", "Yevgeny", "Evgeny", "Evgeniy", "Eugene"],
        &["Hennadz", "Gennady", "Gennadiy"],
        &["Mikhail", "Mikhas", "Michael"],
        &["Raman", "Roman"],
        &["Vadzim", "Vadim"],
        &["Kanstantsin", "Konstantin"],
        &["Ryhor", "Grigory", "Grigoriy"],
    ];
    let mut b = Writer::new();
    for e in sdn
        .iter()
        .filter(|e| kind(e) == Kind::Person && e.values("program").any(|p| p == "BELARUS"))
    {
        let names: Vec<&str> = e.values("name").chain(e.values("alias")).collect();
        let Some(primary) = names.first().copied() else {
            continue;
        };
        for (ni, name) in names.iter().enumerate() {
            for lang in [cyr::Lang::Be, cyr::Lang::Ru] {
                let ordered = match split_listed(name) {
                    Some((g, f)) if rng.chance(0.5) => format!("{f} {g}"),
                    _ => natural(name),
                };
                let c = cyr::to_cyrillic(&ordered, lang);
                b.push(
                    "belarus-cyrillic",
                    true,
                    Some(&e.id),
                    "Person",
                    c.clone(),
                    primary,
                    Vec::new(),
                    Vec::new(),
                );
                // Every system for the primary name, three for each alias.
                let systems: Vec<cyr::System> = if ni == 0 {
                    cyr::SYSTEMS.to_vec()
                } else {
                    (0..3)
                        .map(|_| cyr::SYSTEMS[rng.below(cyr::SYSTEMS.len())])
                        .collect()
                };
                for sys in systems {
                    let r = cyr::romanise(&c, lang, sys);
                    b.push(
                        &format!("belarus-{}", sys.name()),
                        true,
                        Some(&e.id),
                        "Person",
                        r,
                        primary,
                        Vec::new(),
                        Vec::new(),
                    );
                }
            }
        }
        // Given names in their Russian and English forms with the listed family name.
        if let Some((g, f)) = split_listed(primary) {
            let g0 = words(&g).first().cloned().unwrap_or_default();
            if let Some(group) = EXONYMS
                .iter()
                .find(|grp| grp.iter().any(|x| x.eq_ignore_ascii_case(&g0)))
            {
                for x in group.iter() {
                    if !x.eq_ignore_ascii_case(&g0) {
                        b.push(
                            "belarus-exonym",
                            true,
                            Some(&e.id),
                            "Person",
                            format!("{x} {}", cyr::capitalise(&f.to_lowercase())),
                            primary,
                            Vec::new(),
                            Vec::new(),
                        );
                    }
                }
            }
        }
    }
    b.write(&dir.join("heldout_belarus.jsonl"));
}

fn arabic_set(sdn: &[Entity], rng: &mut Rng, dir: &std::path::Path) {
    let un: Vec<Entity> = common::entities(Format::UnXml, "un/consolidated_2026-02-27.xml");
    let mut a = Writer::new();
    // SDN entities by the folded word set of each of their names.
    let set_of = |s: &str| -> BTreeSet<String> {
        fold(s)
            .split(' ')
            .filter(|w| !w.is_empty())
            .map(str::to_string)
            .collect()
    };
    let mut sdn_by_set: HashMap<BTreeSet<String>, Vec<usize>> = HashMap::new();
    for (i, e) in sdn.iter().enumerate() {
        for n in e.values("name").chain(e.values("alias")) {
            let s = set_of(n);
            if s.len() >= 2 {
                sdn_by_set.entry(s).or_default().push(i);
            }
        }
    }
    let is_arabic = |s: &str| s.chars().any(|c| ('\u{600}'..='\u{6FF}').contains(&c));
    for e in un.iter().filter(|e| e.schema.is_matchable()) {
        let arabic: Vec<String> = e
            .values("name")
            .chain(e.values("alias"))
            .filter(|s| is_arabic(s))
            .map(common::eval::arabic_part)
            .filter(|s| s.chars().count() >= 3)
            .collect();
        if arabic.is_empty() {
            continue;
        }
        let k = kind(e);
        let group = if k == Kind::Person {
            "person"
        } else {
            "organization"
        };
        // The same entity on the SDN list: one SDN entity with a name or alias of exactly the
        // words of the UN entity's primary name (the name the UN gives the original script
        // of; an alias the SDN list lacks cannot be found there by any spelling).
        let mut on_sdn: Vec<usize> = e
            .values("name")
            .take(1)
            .filter(|s| !is_arabic(s))
            .flat_map(|s| sdn_by_set.get(&set_of(s)).cloned().unwrap_or_default())
            .filter(|&i| kind(&sdn[i]) == k)
            .collect();
        on_sdn.sort_unstable();
        on_sdn.dedup();
        let source = e.first("name").unwrap_or("");
        // The original script of the primary name only.
        let original: Vec<String> = e
            .properties
            .get("alias")
            .into_iter()
            .flatten()
            .filter(|v| {
                v.origin
                    .as_deref()
                    .is_some_and(|o| o.contains("NAME_ORIGINAL_SCRIPT"))
            })
            .map(|v| common::eval::arabic_part(&v.value))
            .filter(|s| s.chars().count() >= 3)
            .collect();
        if on_sdn.len() == 1 {
            for ar in &original {
                a.push(
                    &format!("ar-sdn-{group}"),
                    true,
                    Some(&sdn[on_sdn[0]].id),
                    schema_name(k),
                    ar.clone(),
                    source,
                    Vec::new(),
                    Vec::new(),
                );
            }
        }
        for ar in &arabic {
            for _ in 0..2 {
                if let Some((v, _)) = arabic::variant(ar, k == Kind::Person, rng) {
                    a.push(
                        &format!("ar-variant-{group}"),
                        true,
                        Some(&e.id),
                        schema_name(k),
                        v,
                        source,
                        Vec::new(),
                        Vec::new(),
                    );
                }
            }
        }
    }
    // SDN people with Arabic names, written in Arabic script from their Latin names.
    let mut order: Vec<usize> = (0..sdn.len()).collect();
    order.sort_by_key(|&i| keyed(&sdn[i].id) ^ 0x5a5a);
    for i in order {
        if a.count("ar-reverse-person") >= 150 {
            break;
        }
        let e = &sdn[i];
        if kind(e) != Kind::Person {
            continue;
        }
        let Some(name) = e.first("name") else {
            continue;
        };
        if !is_arabic_name(name) {
            continue;
        }
        let ar = arabic::from_latin(&natural(name), rng);
        if ar.split_whitespace().count() >= 2 {
            a.push(
                "ar-reverse-person",
                true,
                Some(&e.id),
                "Person",
                ar,
                name,
                Vec::new(),
                Vec::new(),
            );
        }
    }
    a.write(&dir.join("heldout_arabic.jsonl"));
}
