//! Perturbations of Latin names for the held-out set, written independently of
//! `gen_eval.rs`: each works on a name as a list of words and returns `None` when it does not
//! apply.

use interdict_synthetic::Rng;

pub fn words(s: &str) -> Vec<String> {
    s.split_whitespace().map(str::to_string).collect()
}

fn is_vowel(c: char) -> bool {
    "aeiouyAEIOUY".contains(c)
}

/// Words worth damaging: at least `min` letters, not a particle or legal form.
fn damageable(w: &[String], min: usize) -> Vec<usize> {
    const SKIP: &[&str] = &[
        "al",
        "el",
        "bin",
        "ibn",
        "abu",
        "de",
        "la",
        "van",
        "von",
        "der",
        "llc",
        "ltd",
        "co",
        "inc",
        "sa",
        "s.a.",
        "gmbh",
        "ojsc",
        "oao",
        "ooo",
        "zao",
        "cjsc",
        "jsc",
        "company",
        "limited",
        "corporation",
        "the",
        "and",
        "of",
    ];
    (0..w.len())
        .filter(|&i| {
            let bare: String = w[i].chars().filter(|c| c.is_alphabetic()).collect();
            bare.chars().count() >= min && !SKIP.contains(&bare.to_lowercase().as_str())
        })
        .collect()
}

/// Apply `f` to one damageable word (the letters only; punctuation around it is kept).
pub fn on_word(
    rng: &mut Rng,
    name: &str,
    min: usize,
    f: impl Fn(&mut Rng, &[char]) -> Option<Vec<char>>,
) -> Option<String> {
    let mut w = words(name);
    let pos = damageable(&w, min);
    if pos.is_empty() {
        return None;
    }
    let i = pos[rng.below(pos.len())];
    let chars: Vec<char> = w[i].chars().collect();
    let start = chars.iter().position(|c| c.is_alphabetic())?;
    let end = chars.iter().rposition(|c| c.is_alphabetic())? + 1;
    let new = f(rng, &chars[start..end])?;
    let mut out: Vec<char> = chars[..start].to_vec();
    out.extend(new);
    out.extend(&chars[end..]);
    w[i] = out.into_iter().collect();
    Some(w.join(" "))
}

fn same_case(model: char, c: char) -> char {
    if model.is_uppercase() {
        c.to_ascii_uppercase()
    } else {
        c.to_ascii_lowercase()
    }
}

const KEYBOARD: &[&str] = &["qwertyuiop", "asdfghjkl", "zxcvbnm"];

fn neighbour(rng: &mut Rng, c: char) -> char {
    let l = c.to_ascii_lowercase();
    for (r, row) in KEYBOARD.iter().enumerate() {
        if let Some(p) = row.find(l) {
            let row_b = row.as_bytes();
            let mut opts: Vec<char> = Vec::new();
            if p > 0 {
                opts.push(row_b[p - 1] as char);
            }
            if p + 1 < row_b.len() {
                opts.push(row_b[p + 1] as char);
            }
            for adj in [r.wrapping_sub(1), r + 1] {
                if let Some(other) = KEYBOARD.get(adj) {
                    let ob = other.as_bytes();
                    if p < ob.len() {
                        opts.push(ob[p] as char);
                    }
                }
            }
            return same_case(c, opts[rng.below(opts.len())]);
        }
    }
    c
}

/// A keyboard slip: a neighbouring key, a letter dropped, or a neighbouring key added.
pub fn typo(rng: &mut Rng, w: &[char]) -> Option<Vec<char>> {
    let mut out = w.to_vec();
    let i = rng.below(w.len());
    match rng.below(3) {
        0 => out[i] = neighbour(rng, w[i]),
        1 => {
            out.remove(i);
        }
        _ => {
            let c = neighbour(rng, w[i]);
            out.insert(i + rng.below(2), c);
        }
    }
    (out != w).then_some(out)
}

/// Two adjacent letters swapped, anywhere in the word.
pub fn transpose(rng: &mut Rng, w: &[char]) -> Option<Vec<char>> {
    let spots: Vec<usize> = (0..w.len() - 1).filter(|&i| w[i] != w[i + 1]).collect();
    if spots.is_empty() {
        return None;
    }
    let i = spots[rng.below(spots.len())];
    let mut out = w.to_vec();
    out.swap(i, i + 1);
    Some(out)
}

/// OCR confusions, one or two in the word.
pub fn ocr(rng: &mut Rng, w: &[char]) -> Option<Vec<char>> {
    const RULES: &[(&str, &str)] = &[
        ("rn", "m"),
        ("m", "rn"),
        ("cl", "d"),
        ("d", "cl"),
        ("l", "1"),
        ("I", "1"),
        ("l", "I"),
        ("O", "0"),
        ("o", "0"),
        ("S", "5"),
        ("s", "5"),
        ("B", "8"),
        ("Z", "2"),
        ("g", "q"),
        ("e", "c"),
        ("c", "e"),
        ("h", "b"),
        ("b", "h"),
        ("vv", "w"),
        ("w", "vv"),
        ("li", "h"),
        ("ri", "n"),
        ("n", "ri"),
        ("u", "ii"),
        ("E", "F"),
        ("F", "E"),
        ("U", "V"),
        ("a", "o"),
        ("f", "t"),
        ("t", "f"),
    ];
    let mut s: String = w.iter().collect();
    let mut applied = 0;
    for _ in 0..(1 + rng.below(2)) {
        let ok: Vec<&(&str, &str)> = RULES.iter().filter(|(a, _)| s.contains(a)).collect();
        if ok.is_empty() {
            break;
        }
        let (a, b) = ok[rng.below(ok.len())];
        let hits: Vec<usize> = s.match_indices(a).map(|(p, _)| p).collect();
        let p = hits[rng.below(hits.len())];
        s = format!("{}{}{}", &s[..p], b, &s[p + a.len()..]);
        applied += 1;
    }
    (applied > 0).then(|| s.chars().collect())
}

/// Some inner vowels dropped (abbreviated writing), at least one.
pub fn drop_vowels(rng: &mut Rng, w: &[char]) -> Option<Vec<char>> {
    let inner: Vec<usize> = (1..w.len()).filter(|&i| is_vowel(w[i])).collect();
    if inner.is_empty() {
        return None;
    }
    let all = rng.chance(0.4);
    let mut out = Vec::new();
    let mut dropped = 0;
    for (i, &c) in w.iter().enumerate() {
        if inner.contains(&i) && (all || rng.chance(0.5)) {
            dropped += 1;
            continue;
        }
        out.push(c);
    }
    if dropped == 0 {
        let k = inner[rng.below(inner.len())];
        out = w
            .iter()
            .enumerate()
            .filter(|(i, _)| *i != k)
            .map(|(_, c)| *c)
            .collect();
    }
    (out.len() >= 3).then_some(out)
}

/// A letter doubled, or a double letter written once.
pub fn double_or_collapse(rng: &mut Rng, w: &[char]) -> Option<Vec<char>> {
    let doubles: Vec<usize> = (1..w.len())
        .filter(|&i| w[i].eq_ignore_ascii_case(&w[i - 1]))
        .collect();
    let mut out = w.to_vec();
    if !doubles.is_empty() && rng.chance(0.6) {
        out.remove(doubles[rng.below(doubles.len())]);
    } else {
        let i = 1 + rng.below(w.len() - 1);
        out.insert(i, w[i]);
    }
    Some(out)
}

/// A phonetic respelling of the word: one or two rules.
pub fn phonetic(rng: &mut Rng, w: &[char]) -> Option<Vec<char>> {
    const RULES: &[(&str, &str)] = &[
        ("ph", "f"),
        ("f", "ph"),
        ("ks", "x"),
        ("x", "ks"),
        ("kh", "h"),
        ("h", "kh"),
        ("ou", "u"),
        ("u", "ou"),
        ("oo", "u"),
        ("sch", "sh"),
        ("sh", "sch"),
        ("y", "i"),
        ("i", "y"),
        ("j", "y"),
        ("y", "j"),
        ("j", "dj"),
        ("w", "v"),
        ("v", "w"),
        ("c", "k"),
        ("k", "c"),
        ("q", "k"),
        ("z", "s"),
        ("s", "z"),
        ("ee", "i"),
        ("ie", "y"),
        ("ei", "ey"),
        ("ay", "ai"),
        ("ai", "ei"),
        ("gh", "g"),
        ("dh", "z"),
        ("th", "t"),
        ("e", "a"),
        ("o", "u"),
        ("ck", "k"),
        ("ch", "tch"),
        ("ts", "tz"),
        ("ia", "iya"),
    ];
    let orig: String = w.iter().collect();
    let lower = orig.to_lowercase();
    let upper = w
        .iter()
        .filter(|c| c.is_alphabetic())
        .all(|c| c.is_uppercase());
    let mut s = lower.clone();
    for _ in 0..(1 + rng.below(2)) {
        // Not on the first letter: respellings keep the sound the word starts with.
        let ok: Vec<&(&str, &str)> = RULES
            .iter()
            .filter(|(a, _)| s.len() > 1 && s[1..].contains(a))
            .collect();
        if ok.is_empty() {
            break;
        }
        let (a, b) = ok[rng.below(ok.len())];
        // `h` → `kh` only where an `h` stands for a sound of its own (not in sh, th, ch …).
        let hits: Vec<usize> = s[1..]
            .match_indices(a)
            .map(|(p, _)| p + 1)
            .filter(|&p| *a != "h" || !s[..p].ends_with(|c: char| "sctkgzdp".contains(c)))
            .collect();
        if hits.is_empty() {
            continue;
        }
        let p = hits[rng.below(hits.len())];
        s = format!("{}{}{}", &s[..p], b, &s[p + a.len()..]);
    }
    if s == lower {
        return None;
    }
    let out: String = if upper {
        s.to_uppercase()
    } else {
        let mut c = s.chars();
        match c.next() {
            Some(f) if orig.starts_with(char::is_uppercase) => f.to_uppercase().chain(c).collect(),
            Some(f) => std::iter::once(f).chain(c).collect(),
            None => String::new(),
        }
    };
    Some(out.chars().collect())
}

/// The whole name cut at a field length, possibly inside a word (a form field too short).
pub fn truncate_field(rng: &mut Rng, name: &str) -> Option<String> {
    let n = name.chars().count();
    if n < 14 {
        return None;
    }
    // Keep between 60 % and 85 % of the characters, at least 10.
    let keep = ((n as f64) * (0.6 + 0.25 * (rng.below(100) as f64 / 100.0))) as usize;
    let keep = keep.max(10);
    let cut: String = name.chars().take(keep).collect();
    let cut = cut.trim_end_matches([' ', ',', '-', '.']).to_string();
    // A last fragment of one or two letters would be noise rather than a truncated name.
    let last_len = cut
        .split_whitespace()
        .last()
        .map_or(0, |w| w.chars().count());
    if last_len < 3 || cut == name {
        return None;
    }
    Some(cut)
}

/// "FAMILY, Given Middle" → ("Given Middle", "FAMILY").
pub fn split_listed(name: &str) -> Option<(String, String)> {
    let (f, g) = name.split_once(',')?;
    if g.contains(',') || f.trim().is_empty() || g.trim().is_empty() {
        return None;
    }
    Some((g.trim().to_string(), f.trim().to_string()))
}

pub fn natural(name: &str) -> String {
    match split_listed(name) {
        Some((g, f)) => format!("{g} {f}"),
        None => name.to_string(),
    }
}

/// The words in another order: a random permutation that differs from the original.
pub fn shuffle_words(rng: &mut Rng, name: &str) -> Option<String> {
    let base = natural(name);
    let w = words(&base);
    if w.len() < 2 {
        return None;
    }
    for _ in 0..8 {
        let mut v = w.clone();
        for i in (1..v.len()).rev() {
            v.swap(i, rng.below(i + 1));
        }
        if v != w {
            return Some(v.join(" "));
        }
    }
    None
}

/// Given name and family name only (middle names, patronymics dropped).
pub fn given_and_family(rng: &mut Rng, name: &str) -> Option<String> {
    let (g, f) = split_listed(name)?;
    let gw = words(&g);
    if gw.len() < 2 {
        return None;
    }
    Some(if rng.chance(0.5) {
        format!("{} {f}", gw[0])
    } else {
        format!("{f} {}", gw[0])
    })
}

/// Given names as initials, with or without dots, before or after the family name.
pub fn with_initials(rng: &mut Rng, name: &str) -> Option<String> {
    let (g, f) = split_listed(name)?;
    let gw = words(&g);
    let dots = rng.chance(0.6);
    let n = if rng.chance(0.5) { 1 } else { gw.len().min(2) };
    let mut init: Vec<String> = gw
        .iter()
        .take(n)
        .filter_map(|w| w.chars().find(|c| c.is_alphabetic()))
        .map(|c| {
            if dots {
                format!("{}.", c.to_uppercase())
            } else {
                c.to_uppercase().to_string()
            }
        })
        .collect();
    // Keep the full first given name and abbreviate the middle one, sometimes.
    if gw.len() >= 2 && rng.chance(0.3) {
        init[0] = gw[0].clone();
        if init.len() < 2 {
            return None;
        }
    }
    if init.is_empty() {
        return None;
    }
    let init = init.join(" ");
    Some(match rng.below(3) {
        0 => format!("{f} {init}"),
        1 => format!("{f}, {init}"),
        _ => format!("{init} {f}"),
    })
}

/// A title before or a generational suffix after the name.
pub fn titled(rng: &mut Rng, name: &str) -> Option<String> {
    const BEFORE: &[&str] = &[
        "Mr.",
        "Mrs",
        "Ms.",
        "Dr",
        "Prof.",
        "Colonel",
        "Col.",
        "Gen.",
        "Lt. Col.",
        "Major",
        "Sheikh",
        "Shaykh",
        "Sayyid",
        "Mullah",
        "Maulvi",
        "Haji",
        "Hajji",
        "Eng.",
        "Engineer",
        "Captain",
        "Brig. Gen.",
        "Imam",
        "Emir",
        "H.E.",
    ];
    const AFTER: &[&str] = &["Jr.", "Sr.", "II", "III", "PhD"];
    let n = natural(name);
    Some(match rng.below(4) {
        0 => format!(
            "{} {n} {}",
            BEFORE[rng.below(BEFORE.len())],
            AFTER[rng.below(AFTER.len())]
        ),
        1 => format!("{n} {}", AFTER[rng.below(AFTER.len())]),
        _ => format!("{} {n}", BEFORE[rng.below(BEFORE.len())]),
    })
}

/// Legal forms of companies, grouped by what they mean.
const LEGAL_GROUPS: &[&[&str]] = &[
    &[
        "OAO",
        "OJSC",
        "Open Joint Stock Company",
        "ОАО",
        "AAT",
        "Open JSC",
    ],
    &[
        "ZAO",
        "CJSC",
        "Closed Joint Stock Company",
        "ЗАО",
        "Closed JSC",
    ],
    &[
        "OOO",
        "LLC",
        "Limited Liability Company",
        "ООО",
        "L.L.C.",
        "TOV",
        "ТОВ",
    ],
    &["PAO", "PJSC", "Public Joint Stock Company", "ПАО"],
    &["AO", "JSC", "Joint Stock Company", "АО", "J.S.C."],
    &["LTD", "Limited", "Ltd.", "Co. Ltd", "Company Limited"],
    &["INC", "Incorporated", "Inc.", "Corp.", "Corporation"],
    &["CO", "Company", "Co."],
    &["S.A.", "SA", "Sociedad Anonima", "Societe Anonyme", "S. A."],
    &["GMBH", "G.m.b.H.", "GmbH"],
    &["FZE", "FZCO", "FZ-LLC"],
    &["S.R.L.", "SRL", "S.A.R.L.", "SARL"],
    &["B.V.", "BV", "N.V."],
];

/// The company's legal form swapped for an equivalent, dropped, moved, or added.
pub fn legal_form_swap(rng: &mut Rng, name: &str) -> Option<String> {
    let w = words(name);
    let upper: Vec<String> = w
        .iter()
        .map(|x| {
            x.trim_matches(|c: char| c == ',' || c == '(' || c == ')')
                .to_uppercase()
        })
        .collect();
    // Multi-word forms first.
    for group in LEGAL_GROUPS {
        for form in group.iter() {
            let fw: Vec<String> = form.split_whitespace().map(|x| x.to_uppercase()).collect();
            if fw.len() > w.len() {
                continue;
            }
            for start in 0..=(w.len() - fw.len()) {
                if upper[start..start + fw.len()] == fw[..] {
                    let mut rest: Vec<String> = w[..start].to_vec();
                    let tail: Vec<String> = w[start + fw.len()..].to_vec();
                    let others: Vec<&&str> = group.iter().filter(|g| *g != form).collect();
                    let alt = others[rng.below(others.len())].to_string();
                    let out = match rng.below(5) {
                        0 => {
                            rest.extend(tail);
                            rest.join(" ")
                        }
                        1 => {
                            let mut v = vec![alt];
                            v.extend(rest);
                            v.extend(tail);
                            v.join(" ")
                        }
                        _ => {
                            rest.push(alt);
                            rest.extend(tail);
                            rest.join(" ")
                        }
                    };
                    let out = out
                        .replace(" ,", ",")
                        .trim_end_matches(',')
                        .trim()
                        .to_string();
                    return (!out.is_empty() && out != name).then_some(out);
                }
            }
        }
    }
    // No legal form: add one.
    let group = LEGAL_GROUPS[rng.below(LEGAL_GROUPS.len())];
    let form = group[rng.below(group.len())];
    Some(if rng.chance(0.3) {
        format!("{form} {name}")
    } else {
        format!("{name} {form}")
    })
}

/// Look-alike letters from other scripts put in for Latin ones.
pub fn homoglyphs(rng: &mut Rng, name: &str) -> Option<String> {
    const MAP: &[(char, &[char])] = &[
        ('a', &['а', 'ɑ']),
        ('c', &['с', 'ϲ']),
        ('e', &['е']),
        ('i', &['і', 'ı']),
        ('j', &['ј']),
        ('o', &['о', 'ο', 'ᴏ']),
        ('p', &['р', 'ρ']),
        ('s', &['ѕ']),
        ('x', &['х']),
        ('y', &['у']),
        ('A', &['А', 'Α']),
        ('B', &['В', 'Β']),
        ('C', &['С']),
        ('E', &['Е', 'Ε']),
        ('H', &['Н', 'Η']),
        ('I', &['І', 'Ι', 'Ӏ']),
        ('K', &['К', 'Κ']),
        ('M', &['М', 'Μ']),
        ('N', &['Ν']),
        ('O', &['О', 'Ο']),
        ('P', &['Р', 'Ρ']),
        ('S', &['Ѕ']),
        ('T', &['Т', 'Τ']),
        ('X', &['Х', 'Χ']),
        ('Y', &['Υ', 'Ү']),
        ('Z', &['Ζ']),
    ];
    let mut c: Vec<char> = name.chars().collect();
    let spots: Vec<usize> = (0..c.len())
        .filter(|&i| MAP.iter().any(|(l, _)| *l == c[i]))
        .collect();
    if spots.is_empty() {
        return None;
    }
    let k = 1 + rng.below(spots.len().min(4));
    for _ in 0..k {
        let i = spots[rng.below(spots.len())];
        if let Some((_, alts)) = MAP.iter().find(|(l, _)| *l == c[i]) {
            c[i] = alts[rng.below(alts.len())];
        }
    }
    let out: String = c.into_iter().collect();
    (out != name).then_some(out)
}

/// Invisible characters put inside and between words.
pub fn invisible(rng: &mut Rng, name: &str) -> Option<String> {
    const CHARS: &[char] = &[
        '\u{200B}', '\u{200C}', '\u{200D}', '\u{2060}', '\u{00AD}', '\u{FEFF}', '\u{200E}',
        '\u{200F}', '\u{2062}', '\u{034F}', '\u{180E}', '\u{2063}',
    ];
    let mut c: Vec<char> = name.chars().collect();
    for _ in 0..(1 + rng.below(3)) {
        let i = 1 + rng.below(c.len().max(2) - 1);
        c.insert(i.min(c.len()), CHARS[rng.below(CHARS.len())]);
    }
    Some(c.into_iter().collect())
}

/// Case, punctuation and spacing: lower/upper/title case, punctuation removed or added,
/// spaces doubled, two words run together or a hyphenated word split.
pub fn case_punct_space(rng: &mut Rng, name: &str) -> Option<String> {
    let out = match rng.below(6) {
        0 => name.to_lowercase(),
        1 => natural(name)
            .split_whitespace()
            .map(|w| {
                let l = w.to_lowercase();
                let mut c = l.chars();
                c.next()
                    .map(|f| f.to_uppercase().chain(c).collect::<String>())
                    .unwrap_or_default()
            })
            .collect::<Vec<_>>()
            .join(" "),
        2 => name
            .chars()
            .filter(|c| !matches!(c, ',' | '.' | '\'' | '-' | '(' | ')'))
            .collect::<String>()
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" "),
        3 => name
            .replace(' ', "  ")
            .replace('-', " - ")
            .replace(", ", " , "),
        4 => {
            // Two short words run together (Al Qaida → AlQaida) or a hyphen removed.
            let w = words(name);
            if name.contains('-') {
                name.replacen('-', "", 1)
            } else if w.len() >= 3 {
                let i = rng.below(w.len() - 1);
                let mut v = w.clone();
                let joined = format!("{}{}", v[i].trim_end_matches(','), v[i + 1]);
                v[i] = joined;
                v.remove(i + 1);
                v.join(" ")
            } else {
                return None;
            }
        }
        _ => name.replace(' ', ".").replace(",.", ", "),
    };
    (out != name && out.chars().any(char::is_alphabetic)).then_some(out)
}

/// Latin diacritics put on letters (as a foreign keyboard or a careful clerk writes them).
pub fn diacritics(rng: &mut Rng, name: &str) -> Option<String> {
    const MAP: &[(char, &[char])] = &[
        ('a', &['á', 'à', 'â', 'ä', 'ā']),
        ('e', &['é', 'è', 'ê', 'ë', 'ē']),
        ('i', &['í', 'ï', 'î']),
        ('o', &['ó', 'ô', 'ö', 'ø']),
        ('u', &['ú', 'ü', 'û', 'ū']),
        ('n', &['ñ']),
        ('c', &['ç', 'č']),
        ('s', &['ş', 'š']),
        ('z', &['ž']),
        ('g', &['ğ']),
    ];
    let out: String = name
        .chars()
        .map(|c| {
            let l = c.to_ascii_lowercase();
            match MAP.iter().find(|(k, _)| *k == l) {
                Some((_, alts)) if rng.chance(0.25) => {
                    let a = alts[rng.below(alts.len())];
                    if c.is_uppercase() {
                        a.to_uppercase().next().unwrap_or(a)
                    } else {
                        a
                    }
                }
                _ => c,
            }
        })
        .collect();
    (out != name).then_some(out)
}
