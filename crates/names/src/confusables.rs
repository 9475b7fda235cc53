//! Homoglyphs: letters of one script that look like letters of another.
//!
//! An evader can write `Рutin` with a Cyrillic `Р`, or `Lukashenkо` with a Cyrillic `о`: the
//! name looks right to a person and differs to a computer. Within one word, letters of a minority
//! script are mapped to their look-alikes in the majority script ([`repair_word`]); for pure
//! comparisons the UTS #39 skeleton is available too ([`skeleton`]).

use std::borrow::Cow;

use crate::script::{Script, script_of};

/// Cyrillic and Greek letters that look like a Latin letter, with that letter.
const TO_LATIN: &[(char, char)] = &[
    ('А', 'A'),
    ('а', 'a'),
    ('В', 'B'),
    ('Е', 'E'),
    ('е', 'e'),
    ('К', 'K'),
    ('к', 'k'),
    ('М', 'M'),
    ('Н', 'H'),
    ('О', 'O'),
    ('о', 'o'),
    ('Р', 'P'),
    ('р', 'p'),
    ('С', 'C'),
    ('с', 'c'),
    ('Т', 'T'),
    ('У', 'Y'),
    ('у', 'y'),
    ('Х', 'X'),
    ('х', 'x'),
    ('І', 'I'),
    ('і', 'i'),
    ('Ј', 'J'),
    ('ј', 'j'),
    ('Ѕ', 'S'),
    ('ѕ', 's'),
    ('Ԁ', 'd'),
    ('ԁ', 'd'),
    ('Ӏ', 'l'),
    ('ӏ', 'l'),
    ('һ', 'h'),
    ('Һ', 'H'),
    ('ԛ', 'q'),
    ('ԝ', 'w'),
    ('Ү', 'Y'),
    ('ү', 'y'),
    ('Ь', 'b'),
    ('ь', 'b'),
    ('г', 'r'),
    ('п', 'n'),
    ('Α', 'A'),
    ('Β', 'B'),
    ('Ε', 'E'),
    ('Ζ', 'Z'),
    ('Η', 'H'),
    ('Ι', 'I'),
    ('Κ', 'K'),
    ('Μ', 'M'),
    ('Ν', 'N'),
    ('Ο', 'O'),
    ('Ρ', 'P'),
    ('Τ', 'T'),
    ('Υ', 'Y'),
    ('Χ', 'X'),
    ('ο', 'o'),
    ('α', 'a'),
    ('ι', 'i'),
    ('κ', 'k'),
    ('ν', 'v'),
    ('ρ', 'p'),
    ('τ', 't'),
    ('υ', 'u'),
    ('χ', 'x'),
    ('ϲ', 'c'),
    // NFKC turns the lunate sigma `ϲ` into the final sigma.
    ('ς', 'c'),
    ('ε', 'e'),
];

/// Latin letters that look like a Cyrillic letter, with that letter.
const TO_CYRILLIC: &[(char, char)] = &[
    ('a', 'а'),
    ('e', 'е'),
    ('o', 'о'),
    ('p', 'р'),
    ('c', 'с'),
    ('y', 'у'),
    ('x', 'х'),
    ('i', 'і'),
    ('k', 'к'),
    ('A', 'А'),
    ('B', 'В'),
    ('E', 'Е'),
    ('K', 'К'),
    ('M', 'М'),
    ('H', 'Н'),
    ('O', 'О'),
    ('P', 'Р'),
    ('C', 'С'),
    ('T', 'Т'),
    ('X', 'Х'),
    ('Y', 'У'),
    ('I', 'І'),
    ('m', 'м'),
    ('t', 'т'),
    ('r', 'г'),
    ('n', 'п'),
];

/// Digits that OCR and evaders put for letters, inside a word of letters.
const DIGIT_TO_LATIN: &[(char, char)] = &[
    ('0', 'o'),
    ('1', 'l'),
    ('3', 'e'),
    ('4', 'a'),
    ('5', 's'),
    ('8', 'b'),
    ('6', 'g'),
];

fn lookup(table: &[(char, char)], c: char) -> Option<char> {
    table.iter().find(|(a, _)| *a == c).map(|(_, b)| *b)
}

/// Map the letters of a word that belong to a minority script onto look-alikes in the word's
/// majority script (Latin with Cyrillic/Greek intruders, or Cyrillic with Latin intruders), and
/// digits standing for letters inside a Latin word (`L0ukashenko`).
///
/// A word written in one script, or in scripts that have no look-alikes for each other, is
/// returned unchanged.
pub fn repair_word(word: &str) -> Cow<'_, str> {
    let (mut latin, mut cyr, mut greek, mut digits, mut letters) = (0, 0, 0, 0, 0);
    for c in word.chars() {
        match script_of(c) {
            Script::Latin => latin += 1,
            Script::Cyrillic => cyr += 1,
            Script::Greek => greek += 1,
            _ if c.is_ascii_digit() => digits += 1,
            _ => {}
        }
        if c.is_alphabetic() {
            letters += 1;
        }
    }
    let mixed = latin > 0 && (cyr > 0 || greek > 0);
    let digit_in_word = digits > 0 && letters >= 3 && digits * 3 <= letters && latin >= cyr;
    if !mixed && !digit_in_word {
        return Cow::Borrowed(word);
    }
    // Map towards the script whose intruders all have look-alikes: `НАМD` is a Latin word
    // with Cyrillic capitals, `Лукaшенкo` a Cyrillic word with Latin vowels.
    let foreign_map_to_latin = word
        .chars()
        .filter(|c| matches!(script_of(*c), Script::Cyrillic | Script::Greek))
        .all(|c| lookup(TO_LATIN, c).is_some());
    let latin_map_to_cyrillic = word
        .chars()
        .filter(|c| script_of(*c) == Script::Latin)
        .all(|c| lookup(TO_CYRILLIC, c).is_some());
    let to_latin = match (foreign_map_to_latin, latin_map_to_cyrillic) {
        (true, false) => true,
        (false, true) => false,
        _ => latin >= cyr + greek || greek > 0 && cyr == 0,
    };
    let repaired = word
        .chars()
        .map(|c| {
            let sc = script_of(c);
            if c.is_ascii_digit() && digit_in_word {
                lookup(DIGIT_TO_LATIN, c).unwrap_or(c)
            } else if to_latin && (sc == Script::Cyrillic || sc == Script::Greek) {
                lookup(TO_LATIN, c).unwrap_or(c)
            } else if !to_latin && sc == Script::Latin {
                lookup(TO_CYRILLIC, c).unwrap_or(c)
            } else {
                c
            }
        })
        .collect();
    Cow::Owned(repaired)
}

/// The Latin word an all-Cyrillic (or Greek) word looks like, if every letter has a Latin
/// look-alike (`ЕР` → `EP`). Used when such a word stands among Latin words of one name.
pub fn latin_lookalike(word: &str) -> Option<String> {
    word.chars()
        .map(|c| {
            if c.is_alphabetic() {
                lookup(TO_LATIN, c)
            } else {
                Some(c)
            }
        })
        .collect()
}

/// The UTS #39 confusable skeleton of a string: two strings with the same skeleton look alike.
///
/// Use it only to compare, never to display or index: `ＰＵＴＩＮ` becomes `PUTlN`.
pub fn skeleton(s: &str) -> String {
    unicode_security::skeleton(s).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repairs_cyrillic_letters_in_latin_words() {
        assert_eq!(repair_word("Рutin"), "Putin");
        assert_eq!(repair_word("Lukashenkо"), "Lukashenko");
        assert_eq!(repair_word("Аlеxаndеr"), "Alexander");
        assert_eq!(repair_word("ΝΑFTAN"), "NAFTAN");
    }

    #[test]
    fn repairs_towards_the_mappable_script() {
        assert_eq!(repair_word("НАМD"), "HAMD");
    }

    /// Whether every letter of an all-Cyrillic word has a Latin look-alike (`ЕР`, `НАМ`).
    #[test]
    fn lookalike_words() {
        assert_eq!(latin_lookalike("ЕР").as_deref(), Some("EP"));
        assert_eq!(latin_lookalike("Лука"), None);
    }

    #[test]
    fn repairs_latin_letters_in_cyrillic_words() {
        assert_eq!(repair_word("Лукaшенкo"), "Лукашенко");
    }

    #[test]
    fn repairs_digits_inside_words() {
        assert_eq!(repair_word("L0ukashenk0"), "Loukashenko");
        assert_eq!(repair_word("1954"), "1954");
        assert_eq!(repair_word("MIG29"), "MIG29");
    }

    #[test]
    fn single_script_words_are_untouched() {
        assert!(matches!(repair_word("Лукашенко"), Cow::Borrowed(_)));
        assert!(matches!(repair_word("Putin"), Cow::Borrowed(_)));
        assert_eq!(skeleton("Рutin"), skeleton("Putin"));
    }
}
