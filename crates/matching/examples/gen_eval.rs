//! Generate the evaluation set in `crates/matching/eval/` from the real lists.
//!
//! ```text
//! cargo run --release -p interdict-matching --example gen_eval
//! ```
//!
//! Writes three files, deterministic for a seed:
//! - `sdn_variants.jsonl`: variants of names listed on the 2021-07 SDN list, one class per
//!   kind of variation (the list's own aliases, typos, transpositions, OCR confusions, dropped
//!   vowels, doubled letters, truncation, phonetic respellings, word order, missing middle names
//!   and patronymics, initials, honorifics, Cyrillic, other romanisations, homoglyphs,
//!   zero-width characters, case and punctuation, legal forms, attributes), and near misses:
//!   real-looking people and companies that share a surname, a given name or a word with a
//!   listed one but are not listed (checked against every listed name by name-class and
//!   romanisation key, independently of the scorer), plus listed names with a clearly
//!   different birth date;
//! - `belarus.jsonl`: every SDN person of the BELARUS programme in every Cyrillic and Latin
//!   spelling (the list's aliases; Belarusian and Russian Cyrillic; BGN, ICAO, scholarly,
//!   German, French and Polish romanisations of those);
//! - `arabic.jsonl`: every UN-listed person and organisation with an Arabic original-script
//!   name, queried by that name; the evaluation removes original-script names from the UN
//!   entities before indexing, so only transliteration can find them.

#[path = "../tests/common/mod.rs"]
mod common;

use std::collections::{HashMap, HashSet};
use std::io::Write;

use common::eval::Case;
use interdict_lists::Format;
use interdict_model::{Entity, Schema};
use interdict_names::keys::roman_key;
use interdict_names::translit::cyrillic::{self, CyrillicLanguage, Romanisation};
use interdict_names::{NameKind, TokenRole, analyze_name, given_name_class};
use interdict_synthetic::{Rng, pools};

const PER_CLASS: usize = 60;

fn is_person(e: &Entity) -> bool {
    e.schema == Schema::named("Person")
}

fn is_org(e: &Entity) -> bool {
    e.schema.is_a(Schema::named("Organization")) || e.schema == Schema::named("LegalEntity")
}

/// "LAST, First Middle" → ("First Middle", "LAST"); names without a comma → (name, "").
fn split_listed(name: &str) -> (String, String) {
    match name.split_once(',') {
        Some((f, g)) if !name[name.find(',').unwrap_or(0) + 1..].contains(',') => {
            (g.trim().to_string(), f.trim().to_string())
        }
        _ => (name.to_string(), String::new()),
    }
}

fn natural(name: &str) -> String {
    let (g, f) = split_listed(name);
    if f.is_empty() { g } else { format!("{g} {f}") }
}

fn words(s: &str) -> Vec<String> {
    s.split_whitespace().map(str::to_string).collect()
}

fn core_positions(name: &str, kind: NameKind) -> Vec<usize> {
    // Positions (in whitespace words of `name`) of words that are not particles, honorifics or
    // legal forms, judged with the names crate on each word.
    let w = words(name);
    let a = analyze_name(name, kind);
    let Some(f) = a.forms.first() else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (i, word) in w.iter().enumerate() {
        let folded = interdict_names::fold(word);
        if f.tokens.iter().any(|t| {
            t.text == folded
                && (t.role.is_core()
                    || t.role == TokenRole::Middle
                    || t.role == TokenRole::Patronymic)
        }) {
            out.push(i);
        }
    }
    out
}

fn mutate_word(
    rng: &mut Rng,
    name: &str,
    kind: NameKind,
    f: impl Fn(&mut Rng, &str) -> Option<String>,
) -> Option<String> {
    let w = words(name);
    let mut pos: Vec<usize> = core_positions(name, kind)
        .into_iter()
        .filter(|&i| {
            w[i].trim_matches(|c: char| !c.is_alphabetic())
                .chars()
                .count()
                >= 5
        })
        .collect();
    if pos.is_empty() {
        return None;
    }
    let i = pos.remove(rng.below(pos.len()));
    let word = &w[i];
    let trail: String = word
        .chars()
        .rev()
        .take_while(|c| !c.is_alphabetic())
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    let body = &word[..word.len() - trail.len()];
    let new = f(rng, body)?;
    let mut out = w.clone();
    out[i] = format!("{new}{trail}");
    Some(out.join(" "))
}

fn typo(rng: &mut Rng, w: &str) -> Option<String> {
    let mut c: Vec<char> = w.chars().collect();
    let i = 1 + rng.below(c.len() - 2);
    let upper = c[i].is_uppercase();
    let mut r = (b'a' + rng.below(26) as u8) as char;
    while r.eq_ignore_ascii_case(&c[i]) {
        r = (b'a' + rng.below(26) as u8) as char;
    }
    c[i] = if upper { r.to_ascii_uppercase() } else { r };
    Some(c.into_iter().collect())
}

fn transpose(rng: &mut Rng, w: &str) -> Option<String> {
    let mut c: Vec<char> = w.chars().collect();
    for _ in 0..10 {
        let i = 1 + rng.below(c.len() - 2);
        if c[i] != c[i + 1] {
            c.swap(i, i + 1);
            return Some(c.into_iter().collect());
        }
    }
    None
}

fn ocr(rng: &mut Rng, w: &str) -> Option<String> {
    let rules: &[(&str, &str)] = &[
        ("m", "rn"),
        ("rn", "m"),
        ("M", "RN"),
        ("l", "1"),
        ("I", "1"),
        ("i", "l"),
        ("O", "0"),
        ("o", "0"),
        ("S", "5"),
        ("B", "8"),
        ("cl", "d"),
        ("d", "cl"),
        ("e", "c"),
        ("h", "b"),
        ("w", "vv"),
        ("W", "VV"),
        ("u", "v"),
        ("n", "ri"),
        ("E", "F"),
        ("D", "O"),
        ("G", "C"),
    ];
    let applicable: Vec<&(&str, &str)> = rules.iter().filter(|(a, _)| w[1..].contains(a)).collect();
    if applicable.is_empty() {
        return None;
    }
    let (a, b) = applicable[rng.below(applicable.len())];
    let pos = 1 + w[1..].find(a)?;
    Some(format!("{}{}{}", &w[..pos], b, &w[pos + a.len()..]))
}

fn drop_vowels(_: &mut Rng, w: &str) -> Option<String> {
    let out: String = w
        .chars()
        .enumerate()
        .filter(|(i, c)| *i == 0 || !"aeiouyAEIOUY".contains(*c))
        .map(|(_, c)| c)
        .collect();
    (out.len() + 1 < w.len() && out.len() >= 3).then_some(out)
}

fn doubled(rng: &mut Rng, w: &str) -> Option<String> {
    let c: Vec<char> = w.chars().collect();
    if let Some(i) = (1..c.len()).find(|&i| c[i] == c[i - 1]) {
        let mut out = c.clone();
        out.remove(i);
        return Some(out.into_iter().collect());
    }
    let cons: Vec<usize> = (1..c.len() - 1)
        .filter(|&i| !"aeiouyAEIOUY".contains(c[i]))
        .collect();
    if cons.is_empty() {
        return None;
    }
    let i = cons[rng.below(cons.len())];
    let mut out = c.clone();
    out.insert(i, c[i]);
    Some(out.into_iter().collect())
}

fn phonetic(rng: &mut Rng, w: &str) -> Option<String> {
    let rules: &[(&str, &str)] = &[
        ("ph", "f"),
        ("f", "ph"),
        ("ck", "k"),
        ("k", "c"),
        ("c", "k"),
        ("x", "ks"),
        ("ks", "x"),
        ("y", "i"),
        ("i", "y"),
        ("ou", "u"),
        ("u", "ou"),
        ("ee", "i"),
        ("oo", "u"),
        ("w", "v"),
        ("v", "w"),
        ("z", "s"),
        ("kh", "h"),
        ("dh", "d"),
        ("q", "k"),
        ("j", "dj"),
        ("sh", "ch"),
        ("ei", "ey"),
        ("ai", "ay"),
        ("ie", "ye"),
        ("ya", "ia"),
        ("yu", "iu"),
        ("ia", "ya"),
        ("th", "t"),
        ("gh", "g"),
    ];
    let lower = w.to_lowercase();
    let applicable: Vec<&(&str, &str)> = rules
        .iter()
        .filter(|(a, _)| lower[1..].contains(a))
        .collect();
    if applicable.is_empty() {
        return None;
    }
    let (a, b) = applicable[rng.below(applicable.len())];
    let pos = 1 + lower[1..].find(a)?;
    let upper = w.chars().nth(1).is_some_and(char::is_uppercase);
    let b = if upper {
        b.to_uppercase()
    } else {
        b.to_string()
    };
    Some(format!("{}{}{}", &w[..pos], b, &w[pos + a.len()..]))
}

fn truncate(name: &str) -> Option<String> {
    let mut w = words(name);
    let last = w.last()?.clone();
    let n = last.chars().count();
    if n < 7 {
        return None;
    }
    let keep = (n * 7).div_ceil(10).max(5);
    *w.last_mut()? = last.chars().take(keep).collect();
    Some(w.join(" "))
}

fn homoglyphs(rng: &mut Rng, name: &str) -> Option<String> {
    let map = [
        ('a', 'а'),
        ('e', 'е'),
        ('o', 'о'),
        ('p', 'р'),
        ('c', 'с'),
        ('x', 'х'),
        ('y', 'у'),
        ('A', 'А'),
        ('E', 'Е'),
        ('O', 'О'),
        ('P', 'Р'),
        ('C', 'С'),
        ('H', 'Н'),
        ('K', 'К'),
        ('M', 'М'),
        ('T', 'Т'),
        ('B', 'В'),
        ('X', 'Х'),
    ];
    let mut c: Vec<char> = name.chars().collect();
    let spots: Vec<usize> = (0..c.len())
        .filter(|&i| map.iter().any(|(l, _)| *l == c[i]))
        .collect();
    if spots.is_empty() {
        return None;
    }
    for _ in 0..(1 + rng.below(3)) {
        let i = spots[rng.below(spots.len())];
        if let Some((_, h)) = map.iter().find(|(l, _)| *l == c[i]) {
            c[i] = *h;
        }
    }
    Some(c.into_iter().collect())
}

fn zero_width(rng: &mut Rng, name: &str) -> Option<String> {
    let invisible = [
        '\u{200B}', '\u{200D}', '\u{200C}', '\u{00AD}', '\u{2060}', '\u{FEFF}',
    ];
    let mut c: Vec<char> = name.chars().collect();
    for _ in 0..(1 + rng.below(2)) {
        let i = 1 + rng.below(c.len() - 1);
        c.insert(i, invisible[rng.below(invisible.len())]);
    }
    Some(c.into_iter().collect())
}

fn case_punct(rng: &mut Rng, name: &str) -> Option<String> {
    let accents = [
        ('a', 'á'),
        ('e', 'é'),
        ('i', 'í'),
        ('o', 'ö'),
        ('u', 'ü'),
        ('n', 'ñ'),
        ('c', 'ç'),
    ];
    let s: String = match rng.below(3) {
        0 => name.to_lowercase().replace(',', ""),
        1 => natural(name).to_uppercase().replace(' ', "  "),
        _ => name
            .to_lowercase()
            .chars()
            .map(|c| {
                accents
                    .iter()
                    .find(|(a, _)| *a == c)
                    .filter(|_| rng.chance(0.3))
                    .map(|(_, b)| *b)
                    .unwrap_or(c)
            })
            .collect(),
    };
    Some(s)
}

fn legal_form(rng: &mut Rng, name: &str) -> Option<String> {
    let swaps: &[(&str, &[&str])] = &[
        ("OAO", &["OJSC", "Open Joint Stock Company", "ОАО", "AAT"]),
        ("OJSC", &["OAO", "Open Joint-Stock Company"]),
        ("ZAO", &["CJSC", "Closed Joint Stock Company", "ЗАО"]),
        ("OOO", &["LLC", "Limited Liability Company", "ООО"]),
        (
            "LLC",
            &["L.L.C.", "Limited Liability Company", "OOO", "Ltd"],
        ),
        ("LTD", &["Limited", "L.T.D.", "LLC"]),
        ("LIMITED", &["Ltd", "Ltd."]),
        ("INC", &["Incorporated", "Inc.", "Corp"]),
        ("CORP", &["Corporation", "Inc"]),
        ("CORPORATION", &["Corp.", "Inc."]),
        ("CO", &["Company", "Co."]),
        ("COMPANY", &["Co.", "Co"]),
        ("S.A.", &["SA", "Sociedad Anonima", "S A"]),
        ("SA", &["S.A.", "Societe Anonyme"]),
        (
            "GMBH",
            &["G.m.b.H.", "Gesellschaft mit beschrankter Haftung"],
        ),
        ("JSC", &["Joint Stock Company", "AO", "J.S.C."]),
        ("PJSC", &["PAO", "Public Joint Stock Company"]),
    ];
    let w = words(name);
    for (i, word) in w.iter().enumerate() {
        let bare = word.trim_end_matches([',', '.']).to_uppercase();
        if let Some((_, alts)) = swaps.iter().find(|(k, _)| *k == bare) {
            let mut out = w.clone();
            match rng.below(4) {
                0 => {
                    out.remove(i);
                }
                1 => {
                    let f = out.remove(i);
                    out.insert(0, f.trim_end_matches(',').to_string());
                }
                _ => out[i] = alts[rng.below(alts.len())].to_string(),
            }
            let s = out.join(" ");
            return (!s.trim().is_empty() && s.split_whitespace().count() >= 1).then_some(s);
        }
    }
    None
}

fn initials(name: &str) -> Option<String> {
    let (g, f) = split_listed(name);
    if f.is_empty() {
        return None;
    }
    let gw = words(&g);
    if gw.is_empty() {
        return None;
    }
    let init: Vec<String> = gw
        .iter()
        .take(2)
        .filter_map(|w| w.chars().next())
        .map(|c| format!("{c}."))
        .collect();
    Some(format!("{} {f}", init.join(" ")))
}

fn missing_middle(name: &str) -> Option<String> {
    let (g, f) = split_listed(name);
    let gw = words(&g);
    if f.is_empty() || gw.len() < 2 {
        return None;
    }
    Some(format!("{} {f}", gw[0]))
}

fn word_order(rng: &mut Rng, name: &str) -> Option<String> {
    let (g, f) = split_listed(name);
    if !f.is_empty() {
        return Some(if rng.chance(0.5) {
            format!("{g} {f}")
        } else {
            format!("{f} {g}")
        });
    }
    let mut w = words(name);
    if w.len() < 2 {
        return None;
    }
    w.reverse();
    Some(w.join(" "))
}

fn is_slavic(name: &str) -> bool {
    let a = analyze_name(name, NameKind::Person);
    a.forms
        .first()
        .is_some_and(|f| f.tokens.iter().any(|t| t.role == TokenRole::Patronymic))
}

fn cyrillic_of(name: &str, rng: &mut Rng) -> (String, CyrillicLanguage) {
    let lang = if rng.chance(0.5) {
        CyrillicLanguage::Russian
    } else {
        CyrillicLanguage::Belarusian
    };
    let s = cyrillic::to_cyrillic(&natural(name), lang);
    // Capitalise each word, as documents write names.
    let cap = s
        .split(' ')
        .map(|w| {
            let mut c = w.chars();
            c.next()
                .map(|f| f.to_uppercase().chain(c).collect::<String>())
                .unwrap_or_default()
        })
        .collect::<Vec<_>>()
        .join(" ");
    (cap, lang)
}

fn iso9(bgn: &str) -> String {
    bgn.replace("shch", "ŝ")
        .replace("sh", "š")
        .replace("ch", "č")
        .replace("zh", "ž")
        .replace("kh", "h")
        .replace("ya", "â")
        .replace("yu", "û")
}

struct Oracle {
    /// Canonical core-word sets of every listed person name.
    listed: Vec<HashSet<String>>,
    by_word: HashMap<String, Vec<usize>>,
}

fn canon(word: &str) -> String {
    match given_name_class(word) {
        Some(c) => format!("#{}", c.0),
        None => roman_key(word),
    }
}

fn canon_set(name: &str, kind: NameKind) -> HashSet<String> {
    let a = analyze_name(name, kind);
    a.forms
        .first()
        .map(|f| {
            f.tokens
                .iter()
                .filter(|t| t.role.is_core() || t.role == TokenRole::Middle)
                .map(|t| canon(&t.text))
                .collect()
        })
        .unwrap_or_default()
}

impl Oracle {
    fn new(entities: &[Entity]) -> Oracle {
        let mut listed = Vec::new();
        let mut by_word: HashMap<String, Vec<usize>> = HashMap::new();
        for e in entities {
            let kind = if is_person(e) {
                NameKind::Person
            } else {
                NameKind::Organization
            };
            for n in e
                .values("name")
                .chain(e.values("alias"))
                .chain(e.values("weakAlias"))
                .chain(e.values("previousName"))
            {
                let set = canon_set(n, kind);
                for w in &set {
                    by_word.entry(w.clone()).or_default().push(listed.len());
                }
                listed.push(set);
            }
        }
        Oracle { listed, by_word }
    }

    /// Whether the name is, word for word, a (part of a) listed name: then it is no near miss.
    fn is_listed(&self, name: &str, kind: NameKind) -> bool {
        let set = canon_set(name, kind);
        let Some(first) = set.iter().next() else {
            return true;
        };
        self.by_word
            .get(first)
            .into_iter()
            .flatten()
            .any(|&i| set.is_subset(&self.listed[i]))
    }
}

fn romanised(list: &[&str], rng: &mut Rng, lang: CyrillicLanguage) -> String {
    let w = list[rng.below(list.len())];
    let r = cyrillic::romanise(w, lang, Romanisation::Bgn);
    let mut c = r.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

fn slavic_surname(rng: &mut Rng) -> String {
    let root = pools::SLAVIC_ROOTS[rng.below(pools::SLAVIC_ROOTS.len())];
    let (m, _) = pools::RU_SUFFIXES[rng.below(pools::RU_SUFFIXES.len())];
    let r = cyrillic::romanise(
        &format!("{root}{m}"),
        CyrillicLanguage::Russian,
        Romanisation::Bgn,
    );
    r.to_uppercase()
}

#[derive(Clone, Copy, PartialEq)]
enum Culture {
    Slavic,
    Arabic,
    Spanish,
    Other,
}

fn culture(name: &str) -> Culture {
    let l = name.to_lowercase();
    if is_slavic(name)
        || ["ov", "ev", "enko", "enka", "sky", "skiy", "in", "uk"]
            .iter()
            .any(|s| l.split([',', ' ']).next().unwrap_or("").ends_with(s))
    {
        Culture::Slavic
    } else if l.contains("al-")
        || l.contains(" bin ")
        || l.contains("muhammad")
        || l.contains("mohammed")
        || l.contains("abd")
        || l.contains("ahmad")
    {
        Culture::Arabic
    } else if l.split([',', ' ']).next().unwrap_or("").ends_with("ez")
        || pools::ES_FAMILY
            .iter()
            .any(|f| l.contains(&f.to_lowercase()))
    {
        Culture::Spanish
    } else {
        Culture::Other
    }
}

fn given_for(c: Culture, rng: &mut Rng) -> String {
    match c {
        Culture::Slavic => romanised(pools::RU_MALE, rng, CyrillicLanguage::Russian),
        Culture::Arabic => pools::AR_GIVEN[rng.below(pools::AR_GIVEN.len())].1[0].to_string(),
        Culture::Spanish => pools::ES_GIVEN[rng.below(pools::ES_GIVEN.len())].to_string(),
        Culture::Other => pools::EN_GIVEN[rng.below(pools::EN_GIVEN.len())].to_string(),
    }
}

fn family_for(c: Culture, rng: &mut Rng) -> String {
    match c {
        Culture::Slavic => slavic_surname(rng),
        Culture::Arabic => pools::AR_FAMILY[rng.below(pools::AR_FAMILY.len())].1[0].to_uppercase(),
        Culture::Spanish => pools::ES_FAMILY[rng.below(pools::ES_FAMILY.len())].to_uppercase(),
        Culture::Other => pools::EN_FAMILY[rng.below(pools::EN_FAMILY.len())].to_uppercase(),
    }
}

struct Writer {
    cases: Vec<Case>,
    counts: HashMap<String, usize>,
}

impl Writer {
    fn push(
        &mut self,
        class: &str,
        kind: &str,
        e: Option<&Entity>,
        schema: &str,
        names: Vec<String>,
        source: &str,
    ) {
        let n = self.counts.entry(class.to_string()).or_default();
        *n += 1;
        self.cases.push(Case {
            id: format!("{class}-{:04}", n),
            class: class.to_string(),
            kind: kind.to_string(),
            schema: schema.to_string(),
            names,
            birth_dates: Vec::new(),
            countries: Vec::new(),
            expect: e.map(|e| e.id.clone()),
            source: Some(source.to_string()),
        });
    }

    fn count(&self, class: &str) -> usize {
        self.counts.get(class).copied().unwrap_or(0)
    }

    fn write(&self, path: &std::path::Path) {
        let mut f = std::fs::File::create(path).expect("create eval file");
        for c in &self.cases {
            writeln!(f, "{}", serde_json::to_string(c).expect("json")).expect("write");
        }
        println!("{}: {} cases", path.display(), self.cases.len());
    }
}

fn schema_of(e: &Entity) -> &'static str {
    if is_person(e) {
        "Person"
    } else if e.schema == Schema::named("Vessel") {
        "Vessel"
    } else if e.schema == Schema::named("Airplane") {
        "Airplane"
    } else {
        "Organization"
    }
}

fn main() {
    let out = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("eval");
    std::fs::create_dir_all(&out).expect("eval dir");
    let sdn: Vec<Entity> = common::sdn_2021()
        .into_iter()
        .filter(|e| e.schema.is_matchable())
        .collect();
    let oracle = Oracle::new(&sdn);
    let mut rng = Rng::new(20_210_707);

    // ---- Variants of listed names and near misses over the whole SDN list.
    let mut w = Writer {
        cases: Vec::new(),
        counts: HashMap::new(),
    };
    let mut order: Vec<usize> = (0..sdn.len()).collect();
    for i in (1..order.len()).rev() {
        order.swap(i, rng.below(i + 1));
    }
    type Gen = fn(&mut Rng, &Entity, &str) -> Option<String>;
    type Eligible = fn(&Entity) -> bool;
    let classes: Vec<(&str, Gen, Eligible)> = vec![
        (
            "alias",
            |rng, e, _| {
                let a: Vec<&str> = e.values("alias").collect();
                (!a.is_empty()).then(|| a[rng.below(a.len())].to_string())
            },
            |_| true,
        ),
        (
            "typo",
            |rng, e, n| mutate_word(rng, n, kind_of(e), typo),
            |_| true,
        ),
        (
            "transposition",
            |rng, e, n| mutate_word(rng, n, kind_of(e), transpose),
            |_| true,
        ),
        (
            "ocr",
            |rng, e, n| mutate_word(rng, n, kind_of(e), ocr),
            |_| true,
        ),
        (
            "dropped-vowels",
            |rng, e, n| mutate_word(rng, n, kind_of(e), drop_vowels),
            |_| true,
        ),
        (
            "doubled-letters",
            |rng, e, n| mutate_word(rng, n, kind_of(e), doubled),
            |_| true,
        ),
        ("truncation", |_, _, n| truncate(n), |_| true),
        (
            "phonetic",
            |rng, e, n| mutate_word(rng, n, kind_of(e), phonetic),
            |_| true,
        ),
        ("word-order", |rng, _, n| word_order(rng, n), |_| true),
        ("missing-middle", |_, _, n| missing_middle(n), is_person),
        ("initials", |_, _, n| initials(n), is_person),
        (
            "honorific",
            |rng, _, n| {
                Some(format!(
                    "{} {}",
                    ["Mr", "Dr.", "Sheikh", "General", "Haji", "Mrs."][rng.below(6)],
                    natural(n)
                ))
            },
            is_person,
        ),
        (
            "cyrillic",
            |rng, _, n| Some(cyrillic_of(n, rng).0),
            |e| is_person(e) && e.first("name").is_some_and(is_slavic),
        ),
        (
            "romanisation",
            |rng, _, n| {
                let (cyr, lang) = cyrillic_of(n, rng);
                let sys = [
                    Romanisation::German,
                    Romanisation::French,
                    Romanisation::Polish,
                    Romanisation::Icao,
                    Romanisation::Scholarly,
                ][rng.below(5)];
                let r = cyrillic::romanise(&cyr, lang, sys);
                Some(if sys == Romanisation::Scholarly {
                    iso9(&cyrillic::romanise(&cyr, lang, Romanisation::Bgn))
                } else {
                    r
                })
            },
            |e| is_person(e) && e.first("name").is_some_and(is_slavic),
        ),
        ("homoglyph", |rng, _, n| homoglyphs(rng, n), |_| true),
        ("zero-width", |rng, _, n| zero_width(rng, n), |_| true),
        ("case-punctuation", |rng, _, n| case_punct(rng, n), |_| true),
        ("legal-form", |rng, _, n| legal_form(rng, n), is_org),
    ];
    for (class, generate, eligible) in &classes {
        for i in (1..order.len()).rev() {
            order.swap(i, rng.below(i + 1));
        }
        for &i in &order {
            if w.count(class) >= PER_CLASS {
                break;
            }
            let e = &sdn[i];
            if !eligible(e) || rng.chance(0.5) {
                continue;
            }
            let Some(name) = e.first("name") else {
                continue;
            };
            if let Some(v) = generate(&mut rng, e, name) {
                if v.trim().is_empty() || v == name && *class != "alias" {
                    continue;
                }
                w.push(class, "positive", Some(e), schema_of(e), vec![v], name);
            }
        }
    }
    // The listed name with the listed birth date and nationality.
    for &i in &order {
        if w.count("with-attributes") >= PER_CLASS {
            break;
        }
        let e = &sdn[i];
        if !is_person(e) || !e.has("birthDate") || rng.chance(0.5) {
            continue;
        }
        let Some(name) = e.first("name") else {
            continue;
        };
        w.push(
            "with-attributes",
            "positive",
            Some(e),
            "Person",
            vec![natural(name)],
            name,
        );
        if let Some(c) = w.cases.last_mut() {
            c.birth_dates = e.values("birthDate").take(1).map(str::to_string).collect();
            c.countries = e
                .values("nationality")
                .take(1)
                .map(str::to_string)
                .collect();
        }
    }
    // Near misses.
    let mut tries = 0;
    while (w.count("near-surname") < 100
        || w.count("near-given") < 100
        || w.count("near-org-word") < 80
        || w.count("unrelated") < 60)
        && tries < 200_000
    {
        tries += 1;
        let e = &sdn[rng.below(sdn.len())];
        let Some(name) = e.first("name") else {
            continue;
        };
        if is_person(e) {
            let (g, f) = split_listed(name);
            if f.is_empty() || g.is_empty() {
                continue;
            }
            let c = culture(name);
            let given0 = words(&g)[0].clone();
            let (class, candidate) = match rng.below(3) {
                0 if w.count("near-surname") < 100 => {
                    ("near-surname", format!("{} {f}", given_for(c, &mut rng)))
                }
                1 if w.count("near-given") < 100 => (
                    "near-given",
                    format!("{given0} {}", family_for(c, &mut rng)),
                ),
                2 if w.count("unrelated") < 60 => (
                    "unrelated",
                    format!("{} {}", given_for(c, &mut rng), family_for(c, &mut rng)),
                ),
                _ => continue,
            };
            if oracle.is_listed(&candidate, NameKind::Person) {
                continue;
            }
            w.push(class, "negative", None, "Person", vec![candidate], name);
        } else if is_org(e) && w.count("near-org-word") < 80 {
            let core: Vec<String> = core_positions(name, NameKind::Organization)
                .into_iter()
                .map(|i| words(name)[i].clone())
                .filter(|x| x.len() >= 4)
                .collect();
            if core.len() < 2 {
                continue;
            }
            let keep = core[rng.below(core.len())]
                .trim_matches(|c: char| !c.is_alphanumeric())
                .to_string();
            let filler = [
                "GLOBAL",
                "TRADING",
                "INTERNATIONAL",
                "MARINE",
                "HOLDING",
                "SERVICES",
                "TECHNOLOGY",
                "INDUSTRIAL",
                "CONSULTING",
                "PARTNERS",
            ];
            let f1 = filler[rng.below(filler.len())];
            let place = pools::CITIES[rng.below(pools::CITIES.len())]
                .0
                .to_uppercase();
            let form = ["LLC", "LTD", "GMBH", "S.A.", "INC"][rng.below(5)];
            let candidate = format!("{place} {keep} {f1} {form}");
            if oracle.is_listed(&candidate, NameKind::Organization) {
                continue;
            }
            w.push(
                "near-org-word",
                "negative",
                None,
                "Organization",
                vec![candidate],
                name,
            );
        }
    }
    // Listed people with a clearly different birth date must not alert.
    for &i in &order {
        if w.count("dob-conflict") >= PER_CLASS {
            break;
        }
        let e = &sdn[i];
        let Some(d) = e.values("birthDate").find(|d| d.len() == 10) else {
            continue;
        };
        if !is_person(e) || e.values("birthDate").count() > 1 || rng.chance(0.5) {
            continue;
        }
        let Some(name) = e.first("name") else {
            continue;
        };
        let Ok(year) = d[..4].parse::<i32>() else {
            continue;
        };
        let other = if year > 1950 {
            year - 12 - rng.below(15) as i32
        } else {
            year + 12 + rng.below(15) as i32
        };
        w.push(
            "dob-conflict",
            "negative",
            Some(e),
            "Person",
            vec![natural(name)],
            name,
        );
        if let Some(c) = w.cases.last_mut() {
            c.birth_dates = vec![format!("{other}{}", &d[4..])];
        }
    }
    w.write(&out.join("sdn_variants.jsonl"));

    // ---- Every spelling of every Belarus-programme person.
    let mut b = Writer {
        cases: Vec::new(),
        counts: HashMap::new(),
    };
    for e in sdn
        .iter()
        .filter(|e| is_person(e) && e.values("program").any(|p| p == "BELARUS"))
    {
        let Some(name) = e.first("name") else {
            continue;
        };
        let mut spellings: Vec<(String, &str)> = Vec::new();
        for a in e.values("name").chain(e.values("alias")) {
            spellings.push((a.to_string(), "belarus-listed"));
        }
        for lang in [CyrillicLanguage::Belarusian, CyrillicLanguage::Russian] {
            let cyr = cyrillic::to_cyrillic(&natural(name), lang);
            spellings.push((cyr.clone(), "belarus-cyrillic"));
            for sys in Romanisation::ALL {
                spellings.push((cyrillic::romanise(&cyr, lang, sys), "belarus-romanisation"));
            }
            spellings.push((
                iso9(&cyrillic::romanise(&cyr, lang, Romanisation::Bgn)),
                "belarus-romanisation",
            ));
        }
        let mut seen = HashSet::new();
        for (s, class) in spellings {
            if seen.insert(s.to_lowercase()) {
                b.push(class, "positive", Some(e), "Person", vec![s], name);
            }
        }
    }
    b.write(&out.join("belarus.jsonl"));

    // ---- Arabic original-script names of UN-listed people and organisations.
    let un: Vec<Entity> = common::entities(Format::UnXml, "un/consolidated_2026-02-27.xml");
    let mut a = Writer {
        cases: Vec::new(),
        counts: HashMap::new(),
    };
    for e in un.iter().filter(|e| e.schema.is_matchable()) {
        for alias in e.values("alias") {
            if alias.chars().any(|c| ('\u{600}'..='\u{6FF}').contains(&c)) {
                let class = if is_person(e) {
                    "arabic-person"
                } else {
                    "arabic-organization"
                };
                let arabic = common::eval::arabic_part(alias);
                if arabic.chars().count() >= 3 {
                    a.push(
                        class,
                        "positive",
                        Some(e),
                        schema_of(e),
                        vec![arabic],
                        e.first("name").unwrap_or(""),
                    );
                }
            }
        }
    }
    a.write(&out.join("arabic.jsonl"));
}

fn kind_of(e: &Entity) -> NameKind {
    if is_person(e) {
        NameKind::Person
    } else {
        NameKind::Organization
    }
}
