//! Cyrillic for the held-out set, written independently of `interdict-names`: Latin spellings
//! of Slavic names back into Russian or Belarusian Cyrillic (as a clerk would retype a name
//! from a Latin document), and Cyrillic into romanisation systems, including several the
//! matcher has no table for (ALA-LC, Czech, Dutch, Swedish, Spanish, Łacinka, English press).

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    Ru,
    Be,
}

fn is_vowel(c: char) -> bool {
    "aeiouy".contains(c)
}

/// One Latin word (lower case ASCII) into Cyrillic, letter rules with a little context.
pub fn word_to_cyrillic(w: &str, lang: Lang) -> String {
    let b: Vec<char> = w.chars().collect();
    let n = b.len();
    let mut out = String::new();
    let mut i = 0;
    let at = |k: usize| b.get(k).copied();
    let starts = |k: usize, s: &str| {
        let s: Vec<char> = s.chars().collect();
        k + s.len() <= n && b[k..k + s.len()] == s[..]
    };
    while i < n {
        let prev = if i == 0 { None } else { Some(b[i - 1]) };
        let after_vowel = prev.is_some_and(is_vowel);
        let start = i == 0;
        // Endings first.
        if lang == Lang::Ru && i + 2 == n && (starts(i, "iy") || starts(i, "yi") || starts(i, "ii"))
        {
            out.push_str(
                if prev == Some('k') || prev == Some('g') || prev == Some('h') {
                    "ий"
                } else if starts(i, "yi") {
                    "ый"
                } else {
                    "ий"
                },
            );
            break;
        }
        if lang == Lang::Ru && i + 2 == n && starts(i, "yy") {
            out.push_str("ый");
            break;
        }
        let rules: &[(&str, &str, &str)] = &[
            // latin, russian, belarusian
            ("shch", "щ", "шч"),
            ("sch", "щ", "шч"),
            ("zh", "ж", "ж"),
            ("kh", "х", "х"),
            ("ch", "ч", "ч"),
            ("sh", "ш", "ш"),
            ("ts", "ц", "ц"),
            ("tz", "ц", "ц"),
            ("dz", "дз", "дз"),
        ];
        if let Some((l, r, be)) = rules.iter().find(|(l, _, _)| starts(i, l)) {
            out.push_str(if lang == Lang::Ru { r } else { be });
            i += l.len();
            continue;
        }
        // Iotated vowels: ya/ia, yu/iu, ye/ie, yo/io.
        if let (Some(g), Some(v)) = (at(i), at(i + 1))
            && (g == 'y' || (g == 'i' && !start && !after_vowel))
            && "aueo".contains(v)
            && !(g == 'i' && v == 'o' && lang == Lang::Ru && i + 2 == n)
        {
            let c = match v {
                'a' => "я",
                'u' => "ю",
                'e' => "е",
                _ => "ё",
            };
            // "ia" after a vowel is і + а in Belarusian spellings (Mikhaila): keep it simple.
            out.push_str(c);
            i += 2;
            continue;
        }
        let c = b[i];
        let s: &str = match c {
            'a' => "а",
            'b' => "б",
            'v' => "в",
            'w' => {
                if lang == Lang::Be && after_vowel {
                    "ў"
                } else {
                    "в"
                }
            }
            'g' => "г",
            // A lone `h` in a Slavic romanisation is the Belarusian/Ukrainian г (`kh` is х).
            'h' => "г",
            'd' => "д",
            'e' => {
                if start && lang == Lang::Be {
                    "э"
                } else if start || after_vowel {
                    "е"
                } else if lang == Lang::Be
                    && matches!(prev, Some('h' | 'r' | 'c' | 's' | 'z'))
                    && i >= 2
                    && matches!(b[i - 2], 's' | 'z' | 'c' | 't')
                {
                    // after ш ж ч ц: э in Belarusian
                    "э"
                } else if lang == Lang::Be && prev == Some('r') {
                    "э"
                } else {
                    "е"
                }
            }
            'z' => "з",
            'i' => {
                if after_vowel && at(i + 1).is_none_or(|x| !is_vowel(x)) {
                    "й"
                } else if lang == Lang::Be {
                    "і"
                } else {
                    "и"
                }
            }
            'j' => "й",
            'y' => {
                if after_vowel || start {
                    "й"
                } else {
                    "ы"
                }
            }
            'k' | 'c' | 'q' => "к",
            'l' => "л",
            'm' => "м",
            'n' => "н",
            'o' => "о",
            'p' => "п",
            'r' => "р",
            's' => "с",
            't' => "т",
            'u' => {
                if lang == Lang::Be && after_vowel && !start {
                    "ў"
                } else {
                    "у"
                }
            }
            'f' => "ф",
            'x' => "кс",
            '\'' => "ь",
            _ => "",
        };
        out.push_str(s);
        i += 1;
    }
    out
}

/// A name (any case, words separated by spaces, commas, hyphens) into Cyrillic, words
/// capitalised.
pub fn to_cyrillic(name: &str, lang: Lang) -> String {
    let mut words = Vec::new();
    for w in name.split(|c: char| c.is_whitespace() || c == ',') {
        let w = w.trim_matches(|c: char| !c.is_alphanumeric());
        if w.is_empty() {
            continue;
        }
        let lower: String = w.to_lowercase();
        let parts: Vec<String> = lower
            .split('-')
            .map(|p| capitalise(&word_to_cyrillic(p, lang)))
            .collect();
        words.push(parts.join("-"));
    }
    words.join(" ")
}

pub fn capitalise(w: &str) -> String {
    let mut c = w.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// Romanisation systems of the held-out set.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum System {
    /// BGN/PCGN (Russian) and its Belarusian table.
    Bgn,
    /// ICAO 9303 passports.
    Icao,
    /// ISO 9 with its diacritics (č š ž ŝ â û ë è).
    Iso9,
    /// Library of Congress (ALA-LC) without diacritics.
    AlaLc,
    /// English press (Dmitry, Yevgeny, -sky).
    Press,
    German,
    French,
    Polish,
    Czech,
    Dutch,
    Swedish,
    Spanish,
    /// Belarusian Łacinka (classical, with ł and č š ž ŭ).
    Lacinka,
}

pub const SYSTEMS: &[System] = &[
    System::Bgn,
    System::Icao,
    System::Iso9,
    System::AlaLc,
    System::Press,
    System::German,
    System::French,
    System::Polish,
    System::Czech,
    System::Dutch,
    System::Swedish,
    System::Spanish,
    System::Lacinka,
];

impl System {
    pub fn name(self) -> &'static str {
        match self {
            System::Bgn => "bgn",
            System::Icao => "icao",
            System::Iso9 => "iso9",
            System::AlaLc => "ala-lc",
            System::Press => "press",
            System::German => "german",
            System::French => "french",
            System::Polish => "polish",
            System::Czech => "czech",
            System::Dutch => "dutch",
            System::Swedish => "swedish",
            System::Spanish => "spanish",
            System::Lacinka => "lacinka",
        }
    }
}

fn cyr_vowel(c: char) -> bool {
    "аеёиоуыэюяіў".contains(c)
}

/// One lower-case Cyrillic word in a system.
fn romanise_word(w: &str, lang: Lang, sys: System) -> String {
    use System as S;
    let b: Vec<char> = w.chars().collect();
    let n = b.len();
    let mut out = String::new();
    for i in 0..n {
        let c = b[i];
        let prev = if i == 0 { None } else { Some(b[i - 1]) };
        let next = b.get(i + 1).copied();
        let iot = prev.is_none_or(|p| cyr_vowel(p) || "ьъй'".contains(p));
        let last = i + 1 == n;
        // -ий / -ый endings in the press and German styles.
        if c == 'и' && next == Some('й') && i + 2 == n && matches!(sys, S::Press) {
            out.push('y');
            break;
        }
        if c == 'ы' && next == Some('й') && i + 2 == n && matches!(sys, S::Press) {
            out.push('y');
            break;
        }
        if c == 'и'
            && next == Some('й')
            && i + 2 == n
            && matches!(sys, S::German | S::Dutch | S::Swedish)
        {
            out.push('i');
            break;
        }
        let s: String = match c {
            'а' => "a".into(),
            'б' => "b".into(),
            'в' => match sys {
                S::German | S::Polish => "w".into(),
                _ => "v".into(),
            },
            'г' => {
                if lang == Lang::Be && sys != S::Spanish {
                    "h".into()
                } else {
                    match sys {
                        S::French if matches!(next, Some('е' | 'и' | 'э' | 'і')) => "gu".into(),
                        _ => "g".into(),
                    }
                }
            }
            'ґ' => "g".into(),
            'д' => "d".into(),
            'е' => match sys {
                S::Bgn | S::Press if iot => "ye".into(),
                S::Icao if prev.is_none() => "ye".into(),
                S::AlaLc | S::Iso9 | S::Icao | S::Spanish => "e".into(),
                S::German | S::Czech | S::Dutch | S::Swedish if iot => "je".into(),
                S::Polish | S::Lacinka if iot => "je".into(),
                S::Polish | S::Lacinka if !matches!(prev, Some('ж' | 'ш' | 'ч' | 'ц' | 'р')) => {
                    "ie".into()
                }
                S::French if iot && prev.is_some() => "ie".into(),
                _ => "e".into(),
            },
            'ё' => match sys {
                S::Iso9 => "ë".into(),
                S::AlaLc | S::Icao => "e".into(),
                S::Bgn | S::Press => {
                    if iot {
                        "yo".into()
                    } else {
                        "e".into()
                    }
                }
                S::French | S::Spanish => "io".into(),
                S::Polish | S::Lacinka => {
                    if iot {
                        "jo".into()
                    } else {
                        "io".into()
                    }
                }
                _ => "jo".into(),
            },
            'ж' => match sys {
                S::Iso9 | S::Czech | S::Lacinka => "ž".into(),
                S::Polish => "ż".into(),
                S::German => "sch".into(),
                S::French => "j".into(),
                S::Dutch | S::Swedish => "zj".into(),
                _ => "zh".into(),
            },
            'з' => match sys {
                S::German if prev.is_none_or(cyr_vowel) => "s".into(),
                _ => "z".into(),
            },
            'и' => match sys {
                S::Polish if matches!(prev, Some('ж' | 'ш' | 'ч' | 'ц')) => "y".into(),
                _ => "i".into(),
            },
            'і' => match sys {
                S::Iso9 => "ì".into(),
                _ => "i".into(),
            },
            'й' => match sys {
                S::Bgn | S::Press => "y".into(),
                S::Icao | S::AlaLc | S::Spanish => "i".into(),
                S::French => {
                    if last {
                        "ï".into()
                    } else {
                        "i".into()
                    }
                }
                _ => "j".into(),
            },
            'к' => "k".into(),
            'л' => match sys {
                S::Polish | S::Lacinka
                    if !matches!(next, Some('е' | 'ё' | 'и' | 'і' | 'ю' | 'я' | 'ь')) =>
                {
                    "ł".into()
                }
                _ => "l".into(),
            },
            'м' => "m".into(),
            'н' => "n".into(),
            'о' => "o".into(),
            'п' => "p".into(),
            'р' => "r".into(),
            'с' => match sys {
                S::French | S::German
                    if prev.is_some_and(cyr_vowel) && next.is_some_and(cyr_vowel) =>
                {
                    "ss".into()
                }
                _ => "s".into(),
            },
            'т' => "t".into(),
            'у' => match sys {
                S::French => "ou".into(),
                S::Dutch => "oe".into(),
                _ => "u".into(),
            },
            'ў' => match sys {
                S::Bgn => "w".into(),
                S::Iso9 => "ǔ".into(),
                S::Lacinka => "ŭ".into(),
                S::French => "ou".into(),
                _ => "u".into(),
            },
            'ф' => "f".into(),
            'х' => match sys {
                S::Iso9 => "h".into(),
                S::German | S::Polish | S::Czech | S::Dutch | S::Swedish | S::Lacinka => {
                    "ch".into()
                }
                S::Spanish => "j".into(),
                _ => "kh".into(),
            },
            'ц' => match sys {
                S::Iso9 | S::Polish | S::Czech | S::Lacinka => "c".into(),
                S::German => "z".into(),
                _ => "ts".into(),
            },
            'ч' => match sys {
                S::Iso9 | S::Czech | S::Lacinka => "č".into(),
                S::Polish => "cz".into(),
                S::German => "tsch".into(),
                S::French => "tch".into(),
                S::Dutch => "tsj".into(),
                S::Swedish => "tj".into(),
                _ => "ch".into(),
            },
            'ш' => match sys {
                S::Iso9 | S::Czech | S::Lacinka => "š".into(),
                S::Polish => "sz".into(),
                S::German => "sch".into(),
                S::French => "ch".into(),
                S::Dutch | S::Swedish => "sj".into(),
                _ => "sh".into(),
            },
            'щ' => match sys {
                S::Iso9 => "ŝ".into(),
                S::Czech => "šč".into(),
                S::Polish => "szcz".into(),
                S::German => "schtsch".into(),
                S::French => "chtch".into(),
                S::Dutch => "sjtsj".into(),
                S::Swedish => "sjtj".into(),
                S::Spanish => "sch".into(),
                _ => "shch".into(),
            },
            'ъ' => match sys {
                S::Iso9 => "ʺ".into(),
                _ => String::new(),
            },
            'ы' => "y".into(),
            'ь' => match sys {
                S::Iso9 => "ʹ".into(),
                S::AlaLc | S::Bgn => "'".into(),
                _ => String::new(),
            },
            'э' => match sys {
                S::Iso9 => "è".into(),
                _ => "e".into(),
            },
            'ю' => match sys {
                S::Iso9 => "û".into(),
                S::Icao | S::AlaLc | S::Spanish => "iu".into(),
                S::French => "iou".into(),
                S::Dutch => "joe".into(),
                S::German | S::Czech | S::Swedish => "ju".into(),
                S::Polish | S::Lacinka => {
                    if iot {
                        "ju".into()
                    } else {
                        "iu".into()
                    }
                }
                _ => "yu".into(),
            },
            'я' => match sys {
                S::Iso9 => "â".into(),
                S::Icao | S::AlaLc | S::Spanish | S::French => "ia".into(),
                S::German | S::Czech | S::Dutch | S::Swedish => "ja".into(),
                S::Polish | S::Lacinka => {
                    if iot {
                        "ja".into()
                    } else {
                        "ia".into()
                    }
                }
                _ => "ya".into(),
            },
            '-' => "-".into(),
            _ => String::new(),
        };
        out.push_str(&s);
    }
    out
}

/// A Cyrillic name in a system, words capitalised.
pub fn romanise(name: &str, lang: Lang, sys: System) -> String {
    name.split_whitespace()
        .map(|w| capitalise(&romanise_word(&w.to_lowercase(), lang, sys)))
        .collect::<Vec<_>>()
        .join(" ")
}
