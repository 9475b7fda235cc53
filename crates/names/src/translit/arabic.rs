//! Arabic script (Arabic, Persian, Urdu, Pashto letters) to Latin.
//!
//! Arabic writes consonants and long vowels only, so no single romanisation can be recovered:
//! `محمد` is Muhammad, Mohammed, Mohamed … The transliteration here writes the consonants and
//! long vowels it sees, marks the word as *vowelless*, and the matcher compares such words by
//! consonant skeleton ([`crate::keys::consonant_skeleton`]), on which `محمد`, `Muhammad` and
//! `Mohamed` all give `mhmd`. A short table of the commonest name words gives their usual
//! vowelled spelling, so those also meet the given-name equivalents (Muhammad ≈ Mohammed).
//!
//! The article `ال` becomes the particle `al`, `بن`/`ابن` the particle `bin`, `أبو` `abu`,
//! `عبد` `abd`, and honorifics (`الشيخ`, `الحاج`, `الملا`) their usual Latin words.

/// The readings of the marker letters [`romanise`] leaves in vowelless words: Arabic
/// (`th`, `dh`, `d`, ta marbuta `a`) or Persian/Urdu (`s`, `z`, `z`), and ta marbuta as `at`
/// (the construct state: عصبة الأنصار, Asbat al-Ansar).
pub fn read_markers(word: &str, persian: bool, construct: bool) -> String {
    let mut out = String::with_capacity(word.len() + 2);
    for c in word.chars() {
        match (c, persian) {
            ('T', false) => out.push_str("th"),
            ('T', true) => out.push('s'),
            ('Z', false) => out.push_str("dh"),
            ('Z', true) => out.push('z'),
            ('D', false) => out.push('d'),
            ('D', true) => out.push('z'),
            ('A', _) => out.push_str(if construct { "at" } else { "a" }),
            (c, _) => out.push(c),
        }
    }
    out
}

/// One Latin word produced from an Arabic-script word.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArabicWord {
    /// Lower-case ASCII Latin.
    pub text: String,
    /// Whether short vowels are unknown (compare by consonant skeleton only).
    pub vowelless: bool,
}

/// Common name words with their usual vowelled romanisation.
const KNOWN: &[(&str, &str)] = &[
    ("محمد", "muhammad"),
    ("احمد", "ahmad"),
    ("علي", "ali"),
    ("حسن", "hasan"),
    ("حسين", "husayn"),
    ("عمر", "umar"),
    ("عثمان", "uthman"),
    ("الله", "allah"),
    ("ابراهيم", "ibrahim"),
    ("يوسف", "yusuf"),
    ("خالد", "khalid"),
    ("محمود", "mahmud"),
    ("مصطفى", "mustafa"),
    ("سعيد", "said"),
    ("صالح", "salih"),
    ("سليمان", "sulayman"),
    ("عيسى", "isa"),
    ("موسى", "musa"),
    ("جمال", "jamal"),
    ("ناصر", "nasir"),
    ("كريم", "karim"),
    ("رحمن", "rahman"),
    ("رحيم", "rahim"),
    ("عزيز", "aziz"),
    ("طارق", "tariq"),
    ("فيصل", "faysal"),
    ("حمد", "hamad"),
    ("حامد", "hamid"),
    ("اسامة", "usama"),
    ("قاسم", "qasim"),
    ("عباس", "abbas"),
    ("جعفر", "jafar"),
    ("زيد", "zayd"),
    ("مالك", "malik"),
    ("نور", "nur"),
    ("دين", "din"),
    ("عبد", "abd"),
    ("بن", "bin"),
    ("ابن", "ibn"),
    ("بنت", "bint"),
    ("ابو", "abu"),
    ("ابي", "abi"),
    ("اسماعيل", "ismail"),
    ("يحيى", "yahya"),
    ("ادريس", "idris"),
    ("حمزة", "hamza"),
    ("رشيد", "rashid"),
    ("وليد", "walid"),
    ("خليل", "khalil"),
    ("منصور", "mansur"),
    ("سالم", "salim"),
    ("سلطان", "sultan"),
    ("عادل", "adil"),
    ("عامر", "amir"),
    ("امير", "amir"),
    ("فاطمة", "fatima"),
    ("عائشة", "aisha"),
    ("زينب", "zaynab"),
    ("مريم", "maryam"),
    ("خديجة", "khadija"),
    ("بكر", "bakr"),
    ("جابر", "jabir"),
    ("ماجد", "majid"),
    ("مجيد", "majid"),
    ("شريف", "sharif"),
    ("يعقوب", "yaqub"),
    ("ايمن", "ayman"),
    ("انور", "anwar"),
    ("نبيل", "nabil"),
];

/// Honorifics and titles written before Arabic names, with the Latin word used for them.
const HONORIFICS: &[(&str, &str)] = &[
    ("الشيخ", "sheikh"),
    ("شيخ", "sheikh"),
    ("الحاج", "hajj"),
    ("حاج", "hajj"),
    ("الملا", "mullah"),
    ("ملا", "mullah"),
    ("المولوي", "mawlawi"),
    ("مولوي", "mawlawi"),
    ("الدكتور", "dr"),
    ("دكتور", "dr"),
    ("الامام", "imam"),
    ("امام", "imam"),
    ("العميد", "brigadier"),
    ("اللواء", "general"),
    ("الفريق", "general"),
    ("العقيد", "colonel"),
];

/// Normalise letter variants that do not change a name: hamza seats and alif forms to bare
/// alif, alif maqsura kept, Persian kaf/yeh to Arabic, harakat already removed by folding.
fn normalise(word: &str) -> String {
    word.chars()
        .filter_map(|c| match c {
            'أ' | 'إ' | 'آ' | 'ٱ' => Some('ا'),
            'ک' => Some('ك'),
            'ی' | 'ې' => Some('ي'),
            'ۀ' | 'ە' => Some('ه'),
            'ٔ' | 'ٕ' | '\u{64B}'..='\u{65F}' | '\u{670}' => None,
            c => Some(c),
        })
        .collect()
}

fn letter(c: char, first: bool, last: bool) -> &'static str {
    match c {
        'ا' => "a",
        'ء' | 'ؤ' | 'ئ' | 'ع' => "",
        'ب' => "b",
        'ت' | 'ط' | 'ٹ' => "t",
        // Upper-case letters mark sounds romanised two ways (see `translit::latin_forms`):
        // ث th/s, ذ dh/z, ض d/z.
        'ث' => "T",
        'ج' => "j",
        'ح' | 'ه' | 'ھ' | 'ہ' => "h",
        'ۃ' => "a",
        'خ' => "kh",
        'د' | 'ڈ' => "d",
        'ض' => "D",
        'ذ' => "Z",
        'ر' | 'ڑ' => "r",
        'ز' | 'ظ' => "z",
        'س' | 'ص' => "s",
        'ش' => "sh",
        'غ' => "gh",
        'ف' => "f",
        'ق' => "q",
        'ك' => "k",
        'ل' => "l",
        'م' => "m",
        'ن' | 'ں' => "n",
        'ة' => "a",
        'و' => {
            if first {
                "w"
            } else {
                "u"
            }
        }
        'ي' => {
            if first {
                "y"
            } else {
                "i"
            }
        }
        'ى' => "a",
        'ے' => {
            if last {
                "e"
            } else {
                "y"
            }
        }
        'پ' => "p",
        'چ' => "ch",
        'ژ' => "zh",
        'گ' => "g",
        _ => "",
    }
}

fn spell(word: &str) -> ArabicWord {
    if let Some((_, latin)) = KNOWN.iter().find(|(a, _)| normalise(a) == word) {
        return ArabicWord {
            text: (*latin).to_string(),
            vowelless: true,
        };
    }
    let chars: Vec<char> = word.chars().collect();
    let mut text = String::new();
    for (i, &c) in chars.iter().enumerate() {
        let latin = if c == 'ة' && i + 1 == chars.len() {
            "A"
        } else {
            letter(c, i == 0, i + 1 == chars.len())
        };
        // ت followed by ح is t+h, not the digraph th (ث): keep them apart with an apostrophe,
        // which the keys skip.
        if latin.starts_with('h') && text.ends_with(['t', 'd', 'k', 's', 'g', 'z', 'c']) {
            text.push('\'');
        }
        text.push_str(latin);
    }
    ArabicWord {
        text,
        vowelless: true,
    }
}

/// Romanise one Arabic-script word into one or more Latin words (the article and the
/// `abd`/`abu` prefixes become words of their own).
pub fn romanise_word(word: &str) -> Vec<ArabicWord> {
    let w = normalise(word);
    if w.is_empty() {
        return Vec::new();
    }
    if let Some((_, h)) = HONORIFICS.iter().find(|(a, _)| normalise(a) == w) {
        return vec![ArabicWord {
            text: (*h).to_string(),
            vowelless: false,
        }];
    }
    let mut out = Vec::new();
    let mut rest = w.as_str();
    // عبدالرحمن, عبدالله: `abd` + article + name written as one word.
    if let Some(r) = rest.strip_prefix("عبد").filter(|r| r.chars().count() >= 3) {
        out.push(ArabicWord {
            text: "abd".into(),
            vowelless: false,
        });
        rest = r;
    } else if let Some(r) = rest.strip_prefix("ابو").filter(|r| r.chars().count() >= 3) {
        out.push(ArabicWord {
            text: "abu".into(),
            vowelless: false,
        });
        rest = r;
    }
    if let Some(r) = rest
        .strip_prefix("ال")
        .filter(|r| r.chars().count() >= 2 && rest != "الله")
    {
        out.push(ArabicWord {
            text: "al".into(),
            vowelless: false,
        });
        rest = r;
    }
    out.push(spell(rest));
    out
}

/// Romanise an Arabic-script text word by word (non-Arabic characters are copied).
pub fn romanise(text: &str) -> Vec<ArabicWord> {
    text.split(|c: char| c.is_whitespace() || c == '-' || c == '،')
        .filter(|w| !w.is_empty())
        .flat_map(romanise_word)
        .filter(|w| !w.text.is_empty())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(s: &str) -> Vec<String> {
        romanise(s).into_iter().map(|w| w.text).collect()
    }

    #[test]
    fn particles_and_known_names() {
        assert_eq!(
            words("صدام حسين التكريتي"),
            vec!["sdam", "husayn", "al", "tkriti"]
        );
        assert_eq!(words("عصبة"), vec!["sbA"]);
        assert_eq!(words("عبد اللطيف"), vec!["abd", "al", "ltif"]);
        assert_eq!(words("عبدالرحمن"), vec!["abd", "al", "rahman"]);
        assert_eq!(words("عبدالستار"), vec!["abd", "al", "star"]);
        assert_eq!(words("أسامة بن لادن"), vec!["usama", "bin", "ladn"]);
        assert_eq!(words("الشيخ محمد"), vec!["sheikh", "muhammad"]);
        assert_eq!(words("عبد الله"), vec!["abd", "allah"]);
    }

    #[test]
    fn unknown_words_are_vowelless() {
        let w = romanise("القذافي");
        assert_eq!(read_markers(&w[1].text, false, false), "qdhafi");
        assert_eq!(read_markers(&w[1].text, true, false), "qzafi");
        assert_eq!(romanise("الاتحاد")[1].text, "at'had");
        assert!(w[1].vowelless);
        assert_eq!(romanise("محمد")[0].text, "muhammad");
    }
}
