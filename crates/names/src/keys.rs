//! Keys under which different spellings of one name meet.
//!
//! - [`roman_key`] collapses the differences between romanisation systems (`sh`/`sch`/`sz`/`ch`,
//!   `y`/`j`/`i`, `ou`/`u`, `w`/`v`, `o`/`a` for Belarusian akanne …): Lukashenko, Lukashenka,
//!   Lukaschenko, Loukachenko and Łukaszenka all give `lukasenka`.
//! - [`consonant_skeleton`] keeps consonants only, for comparing names from scripts that do not
//!   write short vowels (Arabic, Hebrew): `محمد`, Muhammad and Mohamed all give `mhmd`.
//! - [`phonetic_codes`] are Double Metaphone codes (`rphonetic`), which catch English-style
//!   respellings (Qaddafi, Gaddafi, Kadhafi → `KTF`).
//!
//! Keys are for finding and weighing candidates: a key match is evidence, not identity.

use std::sync::OnceLock;

use rphonetic::DoubleMetaphone;

/// Digraph and trigraph rules of the romanisation key, longest first.
const ROMAN_RULES: &[(&str, &str)] = &[
    ("schtsch", "s"),
    ("sjtsj", "s"),
    ("shch", "s"),
    ("szcz", "s"),
    ("tsch", "s"),
    // Dutch and Swedish: ш sj, ч tsj, ж zj (Loekasjenko, Tsjernenko, Zjoekov).
    ("tsj", "s"),
    ("sch", "s"),
    ("tch", "s"),
    ("sh", "s"),
    ("ch", "s"),
    ("cz", "s"),
    ("sz", "s"),
    ("sj", "s"),
    ("zh", "z"),
    ("zj", "z"),
    ("kh", "h"),
    ("gh", "g"),
    ("ph", "f"),
    ("th", "t"),
    ("dh", "d"),
    ("ck", "k"),
    ("ts", "c"),
    ("tz", "c"),
    ("ou", "u"),
    // Dutch (and old Indonesian) `oe` is `u`: Loekasjenko, Soekarno.
    ("oe", "u"),
];

fn apply_rules(
    word: &str,
    rules: &[(&str, &str)],
    single: impl Fn(char) -> Option<&'static str>,
) -> String {
    let b = word.as_bytes();
    let mut out = String::with_capacity(word.len());
    let mut i = 0;
    'outer: while i < b.len() {
        for (pat, rep) in rules {
            // The first byte rules most patterns out without a slice comparison.
            let p = pat.as_bytes();
            if p.first() == Some(&b[i]) && b[i..].starts_with(p) {
                out.push_str(rep);
                i += pat.len();
                continue 'outer;
            }
        }
        let c = b[i] as char;
        match single(c) {
            Some(s) => out.push_str(s),
            None => out.push(c),
        }
        i += 1;
    }
    out
}

fn collapse_doubles(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut last = None;
    for c in s.chars() {
        if Some(c) != last {
            out.push(c);
        }
        last = Some(c);
    }
    out
}

/// The second romanisation key of a word with `ch` or `z`: German and Polish write х as `ch`
/// (Chruschtschow, Siarchiej) where English writes `kh`/`h`, and German writes ц as `z`; this
/// key reads them that way. `None` when it would equal [`roman_key`].
pub fn roman_key_alt(word: &str) -> Option<String> {
    if !word.is_ascii() {
        return None;
    }
    let ch = word.contains("ch") && !word.contains("tch") && !word.contains("sch");
    // German writes ц as `z` (Zerzel for Tsertsel).
    let z =
        word.contains('z') && !word.contains("zh") && !word.contains("sz") && !word.contains("cz");
    if !ch && !z {
        return None;
    }
    let mut w = word.to_string();
    if ch {
        w = w.replace("ch", "kh");
    }
    if z {
        w = w.replace('z', "ts");
    }
    let alt = roman_key(&w);
    (alt != roman_key(word)).then_some(alt)
}

/// The romanisation key of a folded (lower-case ASCII) word.
///
/// Hushing sounds (`sh ch sch sz cz tch tsch shch`) share one letter: romanisation systems
/// spread them over each other's spellings (French `ch` is English `sh`). `y j i` merge, as do
/// `o a` (Belarusian writes the unstressed Russian `o` as `a`), `w v`, `ou u`, `kh h`, `x ks`,
/// `q k`, `ts tz c`; doubled letters collapse.
pub fn roman_key(word: &str) -> String {
    if !word.is_ascii() {
        return word.to_string();
    }
    // Swedish writes ч as `tj` (Tjernenko, -vitj); before a vowel `tj` is usually t + y
    // (Katja), so only a `tj` before a consonant or at the end is read as ч.
    let swedish;
    let word = if word.contains("tj") {
        let b = word.as_bytes();
        let mut s = String::with_capacity(word.len() + 2);
        let mut i = 0;
        while i < b.len() {
            if b[i] == b't'
                && b.get(i + 1) == Some(&b'j')
                && !b.get(i + 2).is_some_and(|c| b"aeiouy".contains(c))
            {
                s.push_str("ch");
                i += 2;
            } else {
                s.push(b[i] as char);
                i += 1;
            }
        }
        swedish = s;
        swedish.as_str()
    } else {
        word
    };
    let mapped = apply_rules(word, ROMAN_RULES, |c| match c {
        '\'' => Some(""),
        'q' => Some("k"),
        'x' => Some("ks"),
        'w' => Some("v"),
        'y' | 'j' => Some("i"),
        'o' => Some("a"),
        _ => None,
    });
    collapse_doubles(&mapped)
}

/// Digraphs of the consonant skeleton, longest first.
const SKELETON_RULES: &[(&str, &str)] = &[
    ("shch", "s"),
    ("tsch", "s"),
    // Dutch and Swedish: ш sj, ч tsj, ж zj (Loekasjenko, Tsjernenko, Zjoekov).
    ("tsj", "s"),
    ("sch", "s"),
    ("tch", "s"),
    ("sh", "s"),
    ("ch", "s"),
    ("kh", "h"),
    ("gh", "k"),
    ("ph", "f"),
    ("th", "t"),
    ("dh", "d"),
    ("dj", "j"),
    ("ck", "k"),
    ("ou", "u"),
];

/// The consonant skeleton of a folded word: consonants only, in a reduced alphabet.
///
/// Vowels go, and so do `w` and `y` except at the start of the word (Arabic و and ي are long
/// vowels inside a word, consonants at its start); a final `h` after a vowel goes (ta marbuta:
/// Hamzah/Hamza); `q k c` merge to `k`, `p b v` to `b`; doubled letters collapse (shadda is not
/// written); `g` joins `k` too (Maghrebi romanisations write ق as `g`).
pub fn consonant_skeleton(word: &str) -> String {
    if !word.is_ascii() || word.is_empty() {
        return word.to_string();
    }
    let mut w = word.to_string();
    // Ta marbuta (Hamzah / Hamza), but not the `h` of Allah (Waliullah is not Wali).
    if w.len() > 2
        && w.ends_with('h')
        && w[..w.len() - 1].ends_with(['a', 'e', 'i', 'o', 'u'])
        && !w.ends_with("llah")
    {
        w.pop();
    }
    let mapped = apply_rules(&w, SKELETON_RULES, |c| match c {
        '\'' => Some(""),
        // Maghrebi and Egyptian romanisations write ق as g (Belgacem for Belqasim).
        'q' | 'c' | 'g' => Some("k"),
        'x' => Some("ks"),
        'p' | 'v' => Some("b"),
        _ => None,
    });
    let mut out = String::with_capacity(mapped.len());
    for (i, c) in mapped.chars().enumerate() {
        let keep = match c {
            'a' | 'e' | 'i' | 'o' | 'u' => false,
            'w' | 'y' => i == 0,
            _ => true,
        };
        if keep {
            out.push(c);
        }
    }
    collapse_doubles(&out)
}

fn double_metaphone() -> &'static DoubleMetaphone {
    static DM: OnceLock<DoubleMetaphone> = OnceLock::new();
    DM.get_or_init(|| DoubleMetaphone::new(Some(6)))
}

/// Double Metaphone codes of a folded ASCII word: the primary code and, if it differs, the
/// alternate. Words shorter than two letters or not in ASCII letters have none.
pub fn phonetic_codes(word: &str) -> (Option<String>, Option<String>) {
    if word.len() < 2 || !word.bytes().all(|b| b.is_ascii_lowercase()) {
        return (None, None);
    }
    let r = double_metaphone().double_metaphone(word);
    let primary = r.primary();
    let alternate = r.alternate();
    let primary = if primary.is_empty() {
        None
    } else {
        Some(primary)
    };
    let alternate = if alternate.is_empty() || Some(&alternate) == primary.as_ref() {
        None
    } else {
        Some(alternate)
    };
    (primary, alternate)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn romanisations_meet_on_the_key() {
        let k = roman_key("lukashenka");
        for v in [
            "lukashenko",
            "lukaschenko",
            "loukachenko",
            "lukaszenka",
            "lukashenka",
        ] {
            assert_eq!(roman_key(v), k, "{v}");
        }
        assert_eq!(roman_key("grigoryevich"), roman_key("grigorjewitsch"));
        assert_eq!(roman_key("viktor"), roman_key("wiktor"));
        assert_eq!(roman_key("zelenskyy"), roman_key("zelenskij"));
        // Dutch and Swedish spellings.
        assert_eq!(roman_key("loekasjenka"), k);
        assert_eq!(roman_key("lukasjenka"), k);
        assert_eq!(roman_key("petrovitj"), roman_key("petrovich"));
        assert_eq!(roman_key("tsjerezov"), roman_key("cherezov"));
        assert_eq!(roman_key("zjoekov"), roman_key("zhukov"));
        assert_eq!(roman_key("katja"), roman_key("katya"));
        assert_ne!(roman_key("lukashenka"), roman_key("lukashev"));
        assert_eq!(
            roman_key_alt("siarchiej").as_deref(),
            Some(roman_key("siarhiej").as_str())
        );
        assert_eq!(roman_key_alt("lukashenka"), None);
        assert_eq!(
            roman_key_alt("zerzel").as_deref(),
            Some(roman_key("tsertsel").as_str())
        );
    }

    #[test]
    fn skeletons_ignore_vowels() {
        for v in ["muhammad", "mohammed", "mohamed", "mhmd"] {
            assert_eq!(consonant_skeleton(v), "mhmd", "{v}");
        }
        assert_eq!(consonant_skeleton("hussein"), consonant_skeleton("husayn"));
        assert_eq!(consonant_skeleton("hamzah"), consonant_skeleton("hamza"));
        assert_ne!(consonant_skeleton("waliullah"), consonant_skeleton("wali"));
        assert_eq!(
            consonant_skeleton("hamdullah"),
            consonant_skeleton("hamdallah")
        );
        assert_eq!(consonant_skeleton("tikriti"), consonant_skeleton("tkriti"));
        assert_eq!(consonant_skeleton("qdhafi"), consonant_skeleton("qaddafi"));
        assert_eq!(consonant_skeleton("yusuf"), "ysf");
        assert_eq!(consonant_skeleton("walid"), "wld");
        assert_eq!(consonant_skeleton("at'had"), consonant_skeleton("itihaad"));
        assert_eq!(
            consonant_skeleton("mtsdq"),
            consonant_skeleton("motassadeq")
        );
        assert_eq!(consonant_skeleton("juadi"), consonant_skeleton("djouadi"));
    }

    #[test]
    fn double_metaphone_codes() {
        assert_eq!(phonetic_codes("qaddafi").0, phonetic_codes("gaddafi").0);
        assert_eq!(
            phonetic_codes("lukashenko").0,
            phonetic_codes("lukashenka").0
        );
        assert_eq!(phonetic_codes("a"), (None, None));
        assert_eq!(phonetic_codes("лукашенко"), (None, None));
    }
}
