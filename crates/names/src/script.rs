//! Writing systems: which script a letter belongs to, and which scripts a name uses.
//!
//! Hand-written block ranges rather than the full Unicode Script property: the matcher only
//! needs to route a name to the right transliteration, and these ranges cover every script the
//! sanctions lists write names in.

/// A writing system the name pipeline treats differently.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Script {
    /// Latin letters, with or without diacritics.
    Latin,
    /// Cyrillic (Russian, Belarusian, Ukrainian, Bulgarian, Serbian …).
    Cyrillic,
    /// Greek.
    Greek,
    /// Arabic, Persian, Urdu, Pashto.
    Arabic,
    /// Hebrew.
    Hebrew,
    /// Chinese characters (and Japanese kanji).
    Han,
    /// Korean Hangul.
    Hangul,
    /// Japanese Hiragana and Katakana.
    Kana,
    /// Armenian.
    Armenian,
    /// Georgian.
    Georgian,
    /// Any other letter (Thai, Devanagari …): transliterated generically.
    Other,
    /// Digits, punctuation, spaces: belong to no script.
    Common,
}

impl Script {
    /// Whether the script writes consonants only (short vowels unwritten), so that names in it
    /// must be compared by consonant skeleton rather than spelling.
    pub fn is_abjad(self) -> bool {
        matches!(self, Script::Arabic | Script::Hebrew)
    }
}

/// The script of one character.
pub fn script_of(c: char) -> Script {
    let u = c as u32;
    match u {
        0x41..=0x5A
        | 0x61..=0x7A
        | 0xAA
        | 0xBA
        | 0xC0..=0xD6
        | 0xD8..=0xF6
        | 0xF8..=0x24F
        | 0x250..=0x2AF
        | 0x1D00..=0x1DBF
        | 0x1E00..=0x1EFF
        | 0x2C60..=0x2C7F
        | 0xA720..=0xA7FF
        | 0xAB30..=0xAB6F
        | 0xFF21..=0xFF3A
        | 0xFF41..=0xFF5A => Script::Latin,
        0x370..=0x3FF | 0x1F00..=0x1FFF => Script::Greek,
        0x400..=0x52F | 0x1C80..=0x1C8F | 0x2DE0..=0x2DFF | 0xA640..=0xA69F => Script::Cyrillic,
        0x530..=0x58F => Script::Armenian,
        0x590..=0x5FF | 0xFB1D..=0xFB4F => Script::Hebrew,
        0x600..=0x6FF | 0x750..=0x77F | 0x8A0..=0x8FF | 0xFB50..=0xFDFF | 0xFE70..=0xFEFF => {
            if c.is_alphabetic() {
                Script::Arabic
            } else {
                Script::Common
            }
        }
        0x10A0..=0x10FF | 0x1C90..=0x1CBF => Script::Georgian,
        0x1100..=0x11FF | 0x3130..=0x318F | 0xAC00..=0xD7AF => Script::Hangul,
        0x3040..=0x30FF | 0x31F0..=0x31FF => Script::Kana,
        0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x2FA1F => Script::Han,
        _ if c.is_alphabetic() => Script::Other,
        _ => Script::Common,
    }
}

/// The script most letters of the text are written in (`Common` if it has no letters).
pub fn dominant_script(s: &str) -> Script {
    let mut counts: [(Script, usize); 11] = [
        (Script::Latin, 0),
        (Script::Cyrillic, 0),
        (Script::Greek, 0),
        (Script::Arabic, 0),
        (Script::Hebrew, 0),
        (Script::Han, 0),
        (Script::Hangul, 0),
        (Script::Kana, 0),
        (Script::Armenian, 0),
        (Script::Georgian, 0),
        (Script::Other, 0),
    ];
    for c in s.chars() {
        let sc = script_of(c);
        if let Some(slot) = counts.iter_mut().find(|(k, _)| *k == sc) {
            slot.1 += 1;
        }
    }
    counts
        .iter()
        .filter(|(_, n)| *n > 0)
        .max_by_key(|(_, n)| *n)
        .map(|(s, _)| *s)
        .unwrap_or(Script::Common)
}

/// Every script (other than `Common`) the text uses, in a stable order.
pub fn scripts(s: &str) -> Vec<Script> {
    let mut out: Vec<Script> = s
        .chars()
        .map(script_of)
        .filter(|s| *s != Script::Common)
        .collect();
    out.sort();
    out.dedup();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_scripts() {
        assert_eq!(dominant_script("Lukashenka"), Script::Latin);
        assert_eq!(dominant_script("Лукашэнка"), Script::Cyrillic);
        assert_eq!(dominant_script("صدام حسين"), Script::Arabic);
        assert_eq!(dominant_script("习近平"), Script::Han);
        assert_eq!(dominant_script("Τσίπρας"), Script::Greek);
        assert_eq!(dominant_script("נתניהו"), Script::Hebrew);
        assert_eq!(dominant_script("김정은"), Script::Hangul);
        assert_eq!(dominant_script("123"), Script::Common);
        assert_eq!(scripts("Рutin"), vec![Script::Latin, Script::Cyrillic]);
        assert!(Script::Arabic.is_abjad());
    }
}
