//! Cyrillic to Latin in every romanisation a screened name may arrive in, and back.
//!
//! Russian, Belarusian and Ukrainian names reach a sanctions filter in many spellings of one
//! Cyrillic original: BGN/PCGN (`Lukashenka`), the ICAO 9303 passport table (`Aliaksandr`),
//! ISO 9 and the scholarly system (`Lukašenka`), German (`Lukaschenko`), French
//! (`Loukachenko`) and Polish (`Łukaszenka`). [`romanise`] writes a Cyrillic name in each of
//! them; the romanisation key in [`crate::keys`] makes the Latin spellings meet each other.

/// A romanisation system for Cyrillic.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Romanisation {
    /// BGN/PCGN, used by OFAC, the UN and most English-language sources.
    Bgn,
    /// ICAO Doc 9303 (machine-readable passports), also the Belarusian and Ukrainian national
    /// passport systems.
    Icao,
    /// ISO 9 / scholarly transliteration, written without its diacritics as ASCII users type it.
    Scholarly,
    /// German (Duden) transcription: `Lukaschenko`, `Wiktor`.
    German,
    /// French transcription: `Loukachenko`, `Alexandre`.
    French,
    /// Polish transcription and Belarusian Łacinka: `Łukaszenka`, `Aleksandr`.
    Polish,
}

impl Romanisation {
    /// Every system, in the order forms are produced.
    pub const ALL: [Romanisation; 6] = [
        Romanisation::Bgn,
        Romanisation::Icao,
        Romanisation::Scholarly,
        Romanisation::German,
        Romanisation::French,
        Romanisation::Polish,
    ];

    /// A short name for explanations (`bgn`, `icao` …).
    pub fn name(self) -> &'static str {
        match self {
            Romanisation::Bgn => "bgn",
            Romanisation::Icao => "icao",
            Romanisation::Scholarly => "scholarly",
            Romanisation::German => "german",
            Romanisation::French => "french",
            Romanisation::Polish => "polish",
        }
    }
}

/// A language written in Cyrillic whose romanisation differs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum CyrillicLanguage {
    /// Russian (also the default for Cyrillic without distinctive letters).
    Russian,
    /// Belarusian (`і`, `ў`, no `и`).
    Belarusian,
    /// Ukrainian (`ї`, `є`, `ґ`, or `і` beside `и`).
    Ukrainian,
    /// Serbian or Macedonian (`ђ`, `ћ`, `џ`, `љ`, `њ`, `ј`).
    Serbian,
}

impl CyrillicLanguage {
    /// ISO 639-1 code, for explanations.
    pub fn code(self) -> &'static str {
        match self {
            CyrillicLanguage::Russian => "ru",
            CyrillicLanguage::Belarusian => "be",
            CyrillicLanguage::Ukrainian => "uk",
            CyrillicLanguage::Serbian => "sr",
        }
    }
}

/// The languages a Cyrillic text may be in, judged by the letters only some alphabets have.
///
/// Script detection cannot tell Russian from Belarusian; a letter heuristic can: `ў` is only
/// Belarusian, `ї є ґ` only Ukrainian. A text with `і` and no other clue may be either, and both
/// are returned so that both romanisations are tried.
pub fn languages(text: &str) -> Vec<CyrillicLanguage> {
    let has = |set: &str| {
        text.chars()
            .any(|c| set.contains(c.to_lowercase().next().unwrap_or(c)))
    };
    if has("ђћџљњјѓќѕ") {
        return vec![CyrillicLanguage::Serbian];
    }
    let lower = text.to_lowercase();
    let belarusian_pairs = ["шэ", "жэ", "чэ", "цэ", "рэ", "ць", "дзь", "ця", "цю"];
    if has("ў") || (!has("иъщ") && belarusian_pairs.iter().any(|p| lower.contains(p))) {
        return vec![CyrillicLanguage::Belarusian];
    }
    if has("їєґ") {
        return vec![CyrillicLanguage::Ukrainian];
    }
    if has("і") {
        if has("и") {
            return vec![CyrillicLanguage::Ukrainian];
        }
        if has("ыэ") {
            return vec![CyrillicLanguage::Belarusian];
        }
        return vec![CyrillicLanguage::Belarusian, CyrillicLanguage::Ukrainian];
    }
    vec![CyrillicLanguage::Russian]
}

fn is_vowel(c: char) -> bool {
    "аеёиоуыэюяіїєaeiouy".contains(c)
}

/// Whether a vowel letter at this place is read with a `y` glide (word start, after a vowel,
/// a soft or hard sign, `й`, `ў` or an apostrophe).
fn iotated(prev: Option<char>) -> bool {
    match prev {
        None => true,
        Some(p) => is_vowel(p) || "ьъйў'’ʼ".contains(p),
    }
}

fn hushing(c: Option<char>) -> bool {
    matches!(c, Some('ж' | 'ш' | 'ч' | 'щ' | 'ц'))
}

/// The Latin for one lower-case Cyrillic letter.
fn letter(
    lang: CyrillicLanguage,
    sys: Romanisation,
    c: char,
    prev: Option<char>,
    next: Option<char>,
) -> &'static str {
    use CyrillicLanguage as L;
    use Romanisation as R;
    let iot = iotated(prev);
    let after_l = prev == Some('л');
    // Language-specific letters and readings first.
    match (lang, c) {
        (L::Belarusian | L::Ukrainian, 'г') => return "h",
        (_, 'ґ') => return "g",
        (L::Belarusian, 'ў') => {
            return match sys {
                R::Bgn => "w",
                R::French => "ou",
                _ => "u",
            };
        }
        (L::Ukrainian, 'и') => return "y",
        (L::Ukrainian, 'ї') => {
            return match (sys, iot) {
                (R::Bgn, _) | (R::Icao, true) => "yi",
                (R::German | R::Polish | R::Scholarly, _) => "ji",
                _ => "i",
            };
        }
        (L::Ukrainian, 'є') => {
            return match (sys, iot) {
                (R::Bgn, _) | (R::Icao, true) => "ye",
                (R::Icao | R::French, false) => "ie",
                _ => "je",
            };
        }
        (L::Ukrainian, 'е') => return "e",
        (L::Ukrainian, 'щ') => {
            return match sys {
                R::German => "schtsch",
                R::French => "chtch",
                R::Polish => "szcz",
                R::Scholarly => "sc",
                _ => "shch",
            };
        }
        (L::Serbian, _) => {
            if let Some(s) = match c {
                'ђ' => Some("dj"),
                'ћ' => Some("c"),
                'џ' => Some("dz"),
                'љ' => Some("lj"),
                'њ' => Some("nj"),
                'ј' => Some("j"),
                'ѓ' => Some("gj"),
                'ќ' => Some("kj"),
                'ѕ' => Some("dz"),
                'х' => Some("h"),
                'ц' => Some("c"),
                'ч' => Some("c"),
                'ш' => Some("s"),
                'ж' => Some("z"),
                _ => None,
            } {
                return s;
            }
        }
        _ => {}
    }
    match c {
        'а' => "a",
        'б' => "b",
        'в' => match sys {
            R::German | R::Polish => "w",
            _ => "v",
        },
        'г' => match sys {
            R::French if matches!(next, Some('е' | 'и' | 'і' | 'э')) => "gu",
            _ => "g",
        },
        'д' => "d",
        'е' => match (sys, iot) {
            (R::Bgn, true) => "ye",
            (R::Icao, true) if prev.is_none() => "ye",
            (R::German | R::Polish | R::Scholarly, true) => "je",
            (R::French, true) if prev.is_some() => "ie",
            (R::Polish, false) if !after_l && !hushing(prev) && prev != Some('р') => "ie",
            _ => "e",
        },
        'ё' => match (sys, iot) {
            (R::Bgn, true) => "yo",
            (R::Bgn, false) => "e",
            (R::Icao | R::Scholarly, _) => "e",
            (R::German, _) if hushing(prev) => "o",
            (R::German | R::Polish, true) => "jo",
            (R::Polish, false) if after_l || hushing(prev) => "o",
            (R::German, false) => "jo",
            _ => "io",
        },
        'ж' => match sys {
            R::German => "sch",
            R::French => "j",
            R::Polish | R::Scholarly => "z",
            _ => "zh",
        },
        'з' => match sys {
            R::German => "s",
            _ => "z",
        },
        'и' => match sys {
            R::Polish if hushing(prev) => "y",
            _ => "i",
        },
        'і' => "i",
        'й' => match sys {
            R::Bgn => "y",
            R::Icao => "i",
            R::Scholarly | R::Polish => "j",
            R::German => {
                if next.is_some_and(is_vowel) {
                    "j"
                } else if prev == Some('и') {
                    ""
                } else {
                    "i"
                }
            }
            R::French => {
                if matches!(prev, Some('и' | 'ы')) && next.is_none() {
                    ""
                } else {
                    "i"
                }
            }
        },
        'к' => "k",
        'л' => "l",
        'м' => "m",
        'н' => "n",
        'о' => "o",
        'п' => "p",
        'р' => "r",
        'с' => match sys {
            R::French | R::German if prev.is_some_and(is_vowel) && next.is_some_and(is_vowel) => {
                "ss"
            }
            _ => "s",
        },
        'т' => "t",
        'у' => match sys {
            R::French => "ou",
            _ => "u",
        },
        'ф' => "f",
        'х' => match sys {
            R::German | R::Polish => "ch",
            R::Scholarly => "h",
            _ => "kh",
        },
        'ц' => match sys {
            R::German => "z",
            R::Polish | R::Scholarly => "c",
            _ => "ts",
        },
        'ч' => match sys {
            R::German => "tsch",
            R::French => "tch",
            R::Polish => "cz",
            R::Scholarly => "c",
            _ => "ch",
        },
        'ш' => match sys {
            R::German => "sch",
            R::French => "ch",
            R::Polish => "sz",
            R::Scholarly => "s",
            _ => "sh",
        },
        'щ' => match sys {
            R::German => "schtsch",
            R::French => "chtch",
            R::Polish => "szcz",
            R::Scholarly => "s",
            _ => "shch",
        },
        'ъ' => match sys {
            R::Icao => "ie",
            _ => "",
        },
        'ы' => "y",
        'ь' => match sys {
            R::Polish if next.is_some_and(is_vowel) => "i",
            _ => "",
        },
        'э' => "e",
        'ю' => match (sys, iot) {
            (R::Bgn, _) | (R::Icao, true) => "yu",
            (R::Icao, false) => "iu",
            (R::French, _) => "iou",
            (R::Polish, false) if after_l => "u",
            (R::Polish, false) => "iu",
            _ => "ju",
        },
        'я' => match (sys, iot) {
            (R::Bgn, _) | (R::Icao, true) => "ya",
            (R::Icao | R::French, false) => "ia",
            (R::Scholarly, _) => "a",
            (R::Polish, false) if after_l => "a",
            (R::Polish, false) => "ia",
            _ => "ja",
        },
        _ => "",
    }
}

/// Romanise Cyrillic text in one language and system, to lower-case ASCII.
///
/// Characters that are not Cyrillic letters are copied (lower-cased); apostrophes are dropped.
pub fn romanise(text: &str, lang: CyrillicLanguage, sys: Romanisation) -> String {
    let chars: Vec<char> = text.chars().flat_map(char::to_lowercase).collect();
    let mut out = String::with_capacity(text.len() + 8);
    for (i, &c) in chars.iter().enumerate() {
        let prev = if i == 0 {
            None
        } else {
            chars
                .get(i - 1)
                .copied()
                .filter(|p| p.is_alphabetic() || "'’ʼ".contains(*p))
        };
        let next = chars.get(i + 1).copied().filter(|n| n.is_alphabetic());
        if ('\u{400}'..='\u{52F}').contains(&c) {
            out.push_str(letter(lang, sys, c, prev, next));
        } else if !"'’ʼ".contains(c) {
            out.push(c);
        }
    }
    out
}

/// Write a Latin (BGN/ICAO-style) name in Cyrillic: an approximate inverse of [`romanise`].
///
/// Romanisation loses information, so the result is a plausible spelling, not the original.
/// It exists to generate test variants and synthetic names ("what would this listed name look
/// like in a Cyrillic document?"), never to decide a match.
pub fn to_cyrillic(latin: &str, lang: CyrillicLanguage) -> String {
    let be = lang == CyrillicLanguage::Belarusian;
    let uk = lang == CyrillicLanguage::Ukrainian;
    let s: Vec<char> = latin.to_lowercase().chars().collect();
    let mut out = String::new();
    let mut i = 0;
    let starts = |i: usize, pat: &str| {
        let p: Vec<char> = pat.chars().collect();
        s.len() >= i + p.len() && s[i..i + p.len()] == p[..]
    };
    while i < s.len() {
        let c = s[i];
        let prev = out.chars().last();
        let prev_vowel = prev.is_none_or(|p| !p.is_alphabetic() || is_vowel(p) || p == 'й');
        let word_start = prev.is_none_or(|p| !p.is_alphabetic());
        let hard = matches!(prev, Some('ш' | 'ж' | 'ч' | 'ц' | 'р'));
        let table: &[(&str, &str)] = &[
            ("shch", if be { "шч" } else { "щ" }),
            ("sch", if be { "шч" } else { "щ" }),
            ("dzh", "дж"),
            ("kh", "х"),
            ("zh", "ж"),
            ("ch", "ч"),
            ("sh", "ш"),
            ("ts", "ц"),
            ("yo", "ё"),
            ("yu", "ю"),
            ("ya", "я"),
            ("ye", "е"),
            ("ph", "ф"),
        ];
        if let Some((pat, cyr)) = table.iter().find(|(p, _)| starts(i, p)) {
            out.push_str(cyr);
            i += pat.chars().count();
            continue;
        }
        // ICAO-style iotation after a consonant: ia, iu, ie, io.
        if c == 'i' && !prev_vowel && i + 1 < s.len() && "aueo".contains(s[i + 1]) {
            out.push(match s[i + 1] {
                'a' => 'я',
                'u' => 'ю',
                'e' => 'е',
                _ => 'ё',
            });
            i += 2;
            continue;
        }
        let next_vowel = s.get(i + 1).is_some_and(|n| "aeiouy".contains(*n));
        let cyr: &str = match c {
            'a' => "а",
            'b' => "б",
            'v' => "в",
            'w' => {
                if be {
                    "ў"
                } else {
                    "в"
                }
            }
            'g' => "г",
            'h' => {
                if be || uk {
                    "г"
                } else {
                    "х"
                }
            }
            'd' => "д",
            'e' => {
                if word_start || be && hard {
                    "э"
                } else {
                    "е"
                }
            }
            'z' => "з",
            'i' => {
                if prev_vowel && !word_start && !next_vowel {
                    "й"
                } else if be || uk {
                    "і"
                } else {
                    "и"
                }
            }
            'y' => {
                if word_start || prev_vowel || next_vowel {
                    "й"
                } else {
                    "ы"
                }
            }
            'j' => "й",
            'k' | 'q' => "к",
            'c' => {
                if next_vowel && s.get(i + 1).is_some_and(|n| "ei".contains(*n)) {
                    "ц"
                } else {
                    "к"
                }
            }
            'l' => "л",
            'm' => "м",
            'n' => "н",
            'o' => "о",
            'p' => "п",
            'r' => "р",
            's' => "с",
            't' => "т",
            'u' => {
                if be && prev_vowel && !word_start {
                    "ў"
                } else {
                    "у"
                }
            }
            'f' => "ф",
            'x' => "кс",
            '\'' => "ь",
            other => {
                out.push(other);
                i += 1;
                continue;
            }
        };
        out.push_str(cyr);
        i += 1;
    }
    // Final -iy / -yy written as the adjective endings -ий / -ый.
    out.replace("ийй", "ий")
}

#[cfg(test)]
mod tests {
    use super::*;
    use CyrillicLanguage::*;
    use Romanisation::*;

    #[test]
    fn russian_in_every_system() {
        let n = "Александр Лукашенко";
        assert_eq!(romanise(n, Russian, Bgn), "aleksandr lukashenko");
        assert_eq!(romanise(n, Russian, Icao), "aleksandr lukashenko");
        assert_eq!(romanise(n, Russian, German), "aleksandr lukaschenko");
        assert_eq!(romanise(n, Russian, French), "aleksandr loukachenko");
        assert_eq!(romanise(n, Russian, Polish), "aleksandr lukaszenko");
        assert_eq!(romanise(n, Russian, Scholarly), "aleksandr lukasenko");
        assert_eq!(romanise("Григорьевич", Russian, Bgn), "grigoryevich");
        assert_eq!(romanise("Григорьевич", Russian, German), "grigorjewitsch");
        assert_eq!(romanise("Дмитрий", Russian, Bgn), "dmitriy");
        assert_eq!(romanise("Дмитрий", Russian, Icao), "dmitrii");
        assert_eq!(romanise("Дмитрий", Russian, French), "dmitri");
        assert_eq!(romanise("Юрий", Russian, German), "juri");
        assert_eq!(romanise("Щербаков", Russian, Polish), "szczerbakow");
    }

    #[test]
    fn belarusian_in_every_system() {
        let n = "Аляксандр Рыгоравіч Лукашэнка";
        assert_eq!(
            romanise(n, Belarusian, Bgn),
            "alyaksandr ryhoravich lukashenka"
        );
        assert_eq!(
            romanise(n, Belarusian, Icao),
            "aliaksandr ryhoravich lukashenka"
        );
        assert_eq!(
            romanise(n, Belarusian, Polish),
            "alaksandr ryhorawicz lukaszenka"
        );
        assert_eq!(
            romanise(n, Belarusian, French),
            "aliaksandr ryhoravitch loukachenka"
        );
        assert_eq!(romanise("Яўген", Belarusian, Icao), "yauhen");
        assert_eq!(romanise("Сяргей", Belarusian, Icao), "siarhei");
        assert_eq!(romanise("Кацярына", Belarusian, Icao), "katsiaryna");
    }

    #[test]
    fn ukrainian_in_every_system() {
        assert_eq!(romanise("Зеленський", Ukrainian, Icao), "zelenskyi");
        assert_eq!(romanise("Зеленський", Ukrainian, Bgn), "zelenskyy");
        assert_eq!(romanise("Олександр", Ukrainian, Bgn), "oleksandr");
        assert_eq!(romanise("Їжакевич", Ukrainian, Icao), "yizhakevych");
    }

    #[test]
    fn language_is_guessed_from_letters() {
        assert_eq!(languages("Аляксандр Лукашэнка"), vec![Belarusian]);
        assert_eq!(languages("Яўген"), vec![Belarusian]);
        assert_eq!(languages("Володимир Зеленський"), vec![Russian]);
        assert_eq!(languages("Віталій Кличко"), vec![Ukrainian]);
        assert_eq!(languages("Александр Лукашенко"), vec![Russian]);
        assert_eq!(languages("Ігар"), vec![Belarusian, Ukrainian]);
    }

    #[test]
    fn latin_back_to_cyrillic() {
        assert_eq!(
            to_cyrillic("Alexander Lukashenko", Russian),
            "александер лукашенко"
        );
        assert_eq!(
            to_cyrillic("Aleksandr Lukashenko", Russian),
            "александр лукашенко"
        );
        assert_eq!(
            to_cyrillic("Alyaksandr Lukashenka", Belarusian),
            "аляксандр лукашэнка"
        );
        assert_eq!(to_cyrillic("Viktar Sheiman", Belarusian), "віктар шэйман");
        assert_eq!(to_cyrillic("Aliaksandr", Belarusian), "аляксандр");
        assert_eq!(to_cyrillic("Dmitriy", Russian), "дмитрий");
    }
}
