//! Folding text into the comparable form every other step works on.
//!
//! Folding removes what never distinguishes two names: invisible and zero-width characters,
//! compatibility variants (full-width letters, ligatures), case, Latin diacritics and
//! punctuation. It keeps non-Latin letters as they are, because transliteration needs them
//! intact (stripping the breve from Cyrillic `й` would turn it into `и`).

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::{decompose_canonical, is_combining_mark};

use crate::script::{Script, script_of};

/// Whether a character is Default_Ignorable (Unicode DerivedCoreProperties) or another
/// invisible formatting character: zero-width space and joiners, soft hyphen, bidi controls,
/// variation selectors, the byte-order mark, Arabic tatweel.
///
/// Such characters are invisible to an analyst but make two strings differ byte for byte, which
/// is exactly what an evader inserting a zero-width space into a name counts on.
pub fn is_ignorable(c: char) -> bool {
    matches!(c as u32,
        0x00AD | 0x034F | 0x061C | 0x0640 | 0x115F..=0x1160 | 0x17B4..=0x17B5
        | 0x180B..=0x180F | 0x200B..=0x200F | 0x202A..=0x202E | 0x2060..=0x206F | 0x3164
        | 0xFE00..=0xFE0F | 0xFEFF | 0xFFA0 | 0xFFF0..=0xFFF8 | 0x1BCA0..=0x1BCA3
        | 0x1D173..=0x1D17A | 0xE0000..=0xE0FFF)
}

/// Whether a character joins the letters around it without separating words: apostrophes and
/// the modifier letters used for the Arabic ayn/hamza and the Cyrillic soft sign (`O'Brien`,
/// `Ma'mun`, `Grigorʹevič`). They are dropped, not turned into spaces.
pub fn is_joiner_mark(c: char) -> bool {
    matches!(
        c,
        '\'' | '`'
            | '´'
            | '’'
            | '‘'
            | 'ʼ'
            | 'ʻ'
            | 'ʽ'
            | 'ʹ'
            | 'ʺ'
            | 'ʿ'
            | 'ʾ'
            | '′'
            | '″'
            | '"'
    )
}

/// Remove invisible characters and apply NFKC, the first step for any name.
pub fn clean(s: &str) -> String {
    // ASCII text is already in NFKC and has no invisible characters.
    if s.is_ascii() {
        return s.to_string();
    }
    s.chars()
        .filter(|c| !is_ignorable(*c))
        .nfkc()
        .filter(|c| !is_ignorable(*c))
        .collect()
}

/// Fold one Latin letter (already lower case) into ASCII, appending to `out`.
///
/// With `expand_caron`, `č š ž` become `ch sh zh` (the Slavic reading of ISO 9 and Czech-style
/// romanisations); without it they become `c s z` (the English reading of Czech, Croatian
/// names).
pub fn push_folded_latin(c: char, expand_caron: bool, out: &mut String) {
    if c.is_ascii() {
        out.push(c);
        return;
    }
    let special = match c {
        'ß' => Some("ss"),
        'æ' => Some("ae"),
        'œ' => Some("oe"),
        'ø' => Some("o"),
        'ł' => Some("l"),
        'đ' | 'ð' => Some("d"),
        'þ' => Some("th"),
        'ı' => Some("i"),
        'ŀ' => Some("l"),
        'ħ' => Some("h"),
        'ŧ' => Some("t"),
        'ĸ' => Some("k"),
        'ŋ' => Some("ng"),
        'ſ' => Some("s"),
        'ə' => Some("e"),
        'ɨ' => Some("y"),
        'ʃ' => Some("sh"),
        'ʒ' => Some("zh"),
        _ => None,
    };
    if let Some(s) = special {
        out.push_str(s);
        return;
    }
    let mut base = None;
    let mut caron = false;
    let mut circumflex = false;
    decompose_canonical(c, |d| {
        if is_combining_mark(d) {
            caron |= d == '\u{30C}';
            circumflex |= d == '\u{302}';
        } else if base.is_none() {
            base = Some(d);
        }
    });
    let Some(b) = base else { return };
    if !b.is_ascii() {
        // A letter without an ASCII base: small capitals and IPA letters that look like an
        // ASCII letter (`ᴏ`, `ɑ`, `ʀ`) become that letter (the UTS #39 confusable skeleton);
        // any other is kept.
        match lookalike_ascii(b) {
            Some(a) => out.push(a),
            None => out.extend(b.to_lowercase()),
        }
        return;
    }
    out.push(b);
    if expand_caron && caron && matches!(b, 'c' | 's' | 'z') {
        out.push('h');
    }
    // ISO 9 writes щ as ŝ, ю as û, я as â: expand them when carons are read the Slavic way.
    if expand_caron && circumflex {
        match b {
            's' => out.push_str("hch"),
            'u' | 'a' => {
                out.pop();
                out.push('y');
                out.push(b);
            }
            _ => {}
        }
    }
}

/// The ASCII letter a non-ASCII Latin letter looks like, if any: small capitals (`ᴏ`, `ʀ`),
/// IPA letters (`ɑ`, `ɡ`), dotless `ı`, then whatever the UTS #39 confusable skeleton reads
/// as one ASCII letter.
fn lookalike_ascii(c: char) -> Option<char> {
    const SMALL: &[(char, char)] = &[
        ('ᴀ', 'a'),
        ('ʙ', 'b'),
        ('ᴄ', 'c'),
        ('ᴅ', 'd'),
        ('ᴇ', 'e'),
        ('ꜰ', 'f'),
        ('ɢ', 'g'),
        ('ʜ', 'h'),
        ('ɪ', 'i'),
        ('ᴊ', 'j'),
        ('ᴋ', 'k'),
        ('ʟ', 'l'),
        ('ᴍ', 'm'),
        ('ɴ', 'n'),
        ('ᴏ', 'o'),
        ('ᴘ', 'p'),
        ('ʀ', 'r'),
        ('ꜱ', 's'),
        ('ᴛ', 't'),
        ('ᴜ', 'u'),
        ('ᴠ', 'v'),
        ('ᴡ', 'w'),
        ('ʏ', 'y'),
        ('ᴢ', 'z'),
        ('ɑ', 'a'),
        ('ɡ', 'g'),
        ('ȷ', 'j'),
    ];
    if let Some((_, a)) = SMALL.iter().find(|(k, _)| *k == c) {
        return Some(*a);
    }
    let mut buf = [0u8; 4];
    let mut sk = unicode_security::skeleton(c.encode_utf8(&mut buf));
    let first = sk.next()?;
    if sk.next().is_some() {
        return None;
    }
    first
        .is_ascii_alphabetic()
        .then(|| first.to_ascii_lowercase())
}

/// Fold a string to lower case ASCII words separated by single spaces, for Latin text.
///
/// Non-Latin letters pass through lower-cased (transliteration handles them); digits are kept;
/// every other character becomes a word break. `expand_caron` is described at
/// [`push_folded_latin`].
pub fn fold_latin(s: &str, expand_caron: bool) -> String {
    let mut out = String::with_capacity(s.len());
    let mut pending_space = false;
    for c in clean(s).chars() {
        if is_joiner_mark(c) || is_combining_mark(c) {
            continue;
        }
        if c.is_alphanumeric() {
            if pending_space && !out.is_empty() {
                out.push(' ');
            }
            pending_space = false;
            for l in c.to_lowercase() {
                if script_of(l) == Script::Latin {
                    push_folded_latin(l, expand_caron, &mut out);
                } else {
                    out.push(l);
                }
            }
        } else {
            pending_space = true;
        }
    }
    out
}

/// Fold text for comparison regardless of script: clean, lower-case, strip Latin diacritics,
/// break words at punctuation. The result is what the free-text search and the explanations
/// show for text that is not a name.
pub fn fold(s: &str) -> String {
    fold_latin(s, false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invisible_characters_disappear() {
        assert_eq!(fold("Luka\u{200B}shenko"), "lukashenko");
        assert_eq!(fold("Luka\u{00AD}shenko\u{FEFF}"), "lukashenko");
        assert_eq!(fold("Al\u{200D}exander\u{FE0F}"), "alexander");
        assert_eq!(fold("\u{202E}Naftan\u{202C}"), "naftan");
    }

    #[test]
    fn case_diacritics_and_punctuation() {
        assert_eq!(fold("LUKASHENKA, Alyaksandr"), "lukashenka alyaksandr");
        assert_eq!(fold("Müller-Lüdenscheidt"), "muller ludenscheidt");
        assert_eq!(fold("O'Brien"), "obrien");
        assert_eq!(fold("Straße"), "strasse");
        assert_eq!(fold("Łukaszenka"), "lukaszenka");
        assert_eq!(fold("  S.A.  "), "s a");
        assert_eq!(fold("ＰＵＴＩＮ"), "putin");
        assert_eq!(fold("Abd-al-Latif"), "abd al latif");
        assert_eq!(fold("Grigorʹevič"), "grigorevic");
    }

    #[test]
    fn caron_expansion_reads_slavic_romanisations() {
        assert_eq!(fold_latin("Lukašenka", true), "lukashenka");
        assert_eq!(fold_latin("Lukašenka", false), "lukasenka");
        assert_eq!(fold_latin("Žukaŭ Ščaŭ", true), "zhukau shchau");
        assert_eq!(fold_latin("Hryhor’evič", true), "hryhorevich");
        assert_eq!(fold_latin("Ûrij", true), "yurij");
    }

    #[test]
    fn lookalike_latin_letters_become_ascii() {
        assert_eq!(fold("Grigᴏry"), "grigory");
        assert_eq!(fold("Yɑkov"), "yakov");
        assert_eq!(fold("Kındɑ"), "kinda");
    }

    #[test]
    fn non_latin_letters_pass_through() {
        assert_eq!(fold("Лукашенко"), "лукашенко");
        assert_eq!(fold("Й"), "й");
    }
}
