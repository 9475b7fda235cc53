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
    ("ايوب", "ayyub"),
    ("بشير", "bashir"),
    ("منير", "munir"),
    ("سعد", "saad"),
    ("سعود", "saud"),
    ("فهد", "fahd"),
    ("هشام", "hisham"),
    ("عصام", "isam"),
    ("حسام", "husam"),
    ("هاني", "hani"),
    ("سامي", "sami"),
    ("زياد", "ziyad"),
    ("مروان", "marwan"),
    ("طلال", "talal"),
    ("عماد", "imad"),
    ("جواد", "jawad"),
    ("مهدي", "mahdi"),
    ("هادي", "hadi"),
    ("كمال", "kamal"),
    ("جلال", "jalal"),
    ("بلال", "bilal"),
    ("صلاح", "salah"),
    ("نجيب", "najib"),
    ("حبيب", "habib"),
    ("لطيف", "latif"),
    ("شاكر", "shakir"),
    ("وائل", "wail"),
    ("عمار", "ammar"),
    ("ياسر", "yasir"),
    ("ياسين", "yasin"),
    ("مجاهد", "mujahid"),
    ("انس", "anas"),
    ("اياد", "iyad"),
    ("فراس", "firas"),
    ("غسان", "ghassan"),
    ("قيس", "qays"),
    ("طلحة", "talha"),
    ("زبير", "zubayr"),
    ("جميل", "jamil"),
    ("فاروق", "faruq"),
    ("عارف", "arif"),
    ("طاهر", "tahir"),
    ("ظاهر", "zahir"),
    ("سيف", "sayf"),
    ("نصر", "nasr"),
    ("خان", "khan"),
    ("شاه", "shah"),
    ("ولي", "wali"),
    ("مير", "mir"),
    ("جان", "jan"),
    ("گل", "gul"),
    ("فيض", "fayz"),
    ("شمس", "shams"),
    ("ولد", "walad"),
];

/// Words that are titles only at the start of a name (`السيد` is Mr before a name and the
/// family name Sayyid after one).
const LEADING_TITLES: &[(&str, &str)] = &[("السيد", "mr"), ("الأخ", "brother"), ("الاخ", "brother")];

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

const ORG_WORDS: &str = include_str!("../../data/arabic_org_words.txt");

/// The English words a word of an organisation name in Arabic script is translated with
/// (`data/arabic_org_words.txt`): `alternative` 0 is the usual translation, 1 the other one
/// where the table has two (مؤسسة establishment / foundation). The article ال and the
/// prefixes و ب ل لل are stripped, and a final ة or ي tried without, before lookup.
pub fn translate_org_word(word: &str, alternative: usize) -> Option<&'static [&'static str]> {
    let t = &tables().org;
    let w = normalise(word);
    let mut stems: Vec<&str> = vec![w.as_str()];
    for prefix in ["وال", "بال", "فال", "كال", "لل", "ال", "و", "ب", "ل"] {
        if let Some(rest) = w.strip_prefix(prefix)
            && rest.chars().count() >= 2
        {
            stems.push(rest);
        }
    }
    for stem in stems {
        // A final ه or ى often stands for ة or ي (الجماعه, فى).
        let spelt = stem
            .strip_suffix('ه')
            .map(|s| format!("{s}ة"))
            .or_else(|| stem.strip_suffix('ى').map(|s| format!("{s}ي")));
        let candidates = [
            Some(stem),
            spelt.as_deref(),
            stem.strip_suffix('ة'),
            stem.strip_suffix('ي'),
            spelt.as_deref().and_then(|s| s.strip_suffix('ة')),
        ];
        for candidate in candidates.into_iter().flatten() {
            if let Some(alts) = t.get(candidate) {
                return alts.get(alternative).or(alts.first()).map(Vec::as_slice);
            }
        }
    }
    None
}

/// The word tables, keyed by their normalised Arabic spelling.
struct Tables {
    known: std::collections::HashMap<String, &'static str>,
    honorifics: std::collections::HashMap<String, &'static str>,
    titles: std::collections::HashMap<String, &'static str>,
    /// Organisation words: their translations, each a list of English words.
    org: std::collections::HashMap<String, Vec<Vec<&'static str>>>,
}

fn tables() -> &'static Tables {
    static T: std::sync::OnceLock<Tables> = std::sync::OnceLock::new();
    T.get_or_init(|| {
        let map = |t: &[(&str, &'static str)]| {
            let mut m = std::collections::HashMap::new();
            for (a, l) in t {
                m.entry(normalise(a)).or_insert(*l);
            }
            m
        };
        let mut org = std::collections::HashMap::new();
        for line in ORG_WORDS.lines() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let Some((arabic, english)) = line.split_once(':') else {
                continue;
            };
            let alts: Vec<Vec<&'static str>> = english
                .split('|')
                .map(|a| a.split_whitespace().collect::<Vec<_>>())
                .filter(|a| !a.is_empty())
                .collect();
            if !alts.is_empty() {
                org.entry(normalise(arabic.trim())).or_insert(alts);
            }
        }
        Tables {
            known: map(KNOWN),
            honorifics: map(HONORIFICS),
            titles: map(LEADING_TITLES),
            org,
        }
    })
}

/// Normalise letter variants that do not change a name: hamza seats and alif forms to bare
/// alif, alif maqsura kept, Persian kaf/yeh to Arabic, harakat already removed by folding.
fn normalise(word: &str) -> String {
    // الله is often typed with a ta marbuta (اللة, عبداللة).
    let word = match word.strip_suffix("للة") {
        Some(stem) => format!("{stem}لله"),
        None => word.to_string(),
    };
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
    // Egyptian spelling writes a final ya as alif maqsura (على for علي, Ali).
    let ya = word.strip_suffix('ى').map(|w| format!("{w}ي"));
    let known = tables();
    if let Some(latin) = known
        .known
        .get(word)
        .or_else(|| ya.as_deref().and_then(|y| known.known.get(y)))
    {
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
        } else if i == 1 && chars[0] == 'ا' && i + 1 < chars.len() && matches!(c, 'ي' | 'و') {
            // After a word-initial alif, ya and waw are consonants: ايمن Ayman, اوس Aws.
            if c == 'ي' { "y" } else { "w" }
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
    romanise_word_at(word, false)
}

/// The Latin title an Arabic word stands for when it opens a name (`السيد` Mr, `الأخ`
/// Brother); after a name word the same word is a name (the family name Sayyid).
pub fn leading_title(word: &str) -> Option<&'static str> {
    let w = normalise(word);
    tables().titles.get(w.as_str()).copied()
}

fn romanise_word_at(word: &str, first: bool) -> Vec<ArabicWord> {
    let w = normalise(word);
    if w.is_empty() {
        return Vec::new();
    }
    if let Some(h) = leading_title(word).filter(|_| first) {
        return vec![ArabicWord {
            text: h.to_string(),
            vowelless: false,
        }];
    }
    if let Some(h) = tables().honorifics.get(w.as_str()) {
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
        .flat_map(|w| romanise_word_at(w, false))
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
        assert_eq!(words("عبد اللطيف"), vec!["abd", "al", "latif"]);
        assert_eq!(words("عبدالرحمن"), vec!["abd", "al", "rahman"]);
        assert_eq!(words("عبدالستار"), vec!["abd", "al", "star"]);
        assert_eq!(words("أسامة بن لادن"), vec!["usama", "bin", "ladn"]);
        assert_eq!(words("الشيخ محمد"), vec!["sheikh", "muhammad"]);
        assert_eq!(words("عبد الله"), vec!["abd", "allah"]);
        assert_eq!(leading_title("السيد"), Some("mr"));
        assert_eq!(translate_org_word("الجماعة", 0), Some(&["group"][..]));
        assert_eq!(translate_org_word("الاسلامية", 0), Some(&["islamic"][..]));
        assert_eq!(translate_org_word("للصرافة", 0), Some(&["exchange"][..]));
        assert_eq!(translate_org_word("مؤسسة", 1), Some(&["foundation"][..]));
        assert_eq!(translate_org_word("صدام", 0), None);
        assert_eq!(words("محمد السيد"), vec!["muhammad", "al", "sid"]);
    }

    #[test]
    fn unknown_words_are_vowelless() {
        let w = romanise("القذافي");
        assert_eq!(read_markers(&w[1].text, false, false), "qdhafi");
        assert_eq!(read_markers(&w[1].text, true, false), "qzafi");
        assert_eq!(romanise("الاتحاد")[1].text, "at'had");
        assert!(w[1].vowelless);
        assert_eq!(romanise("محمد")[0].text, "muhammad");
        assert_eq!(romanise("ايمان")[0].text, "ayman");
    }
}
