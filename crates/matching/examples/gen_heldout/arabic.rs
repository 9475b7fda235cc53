//! Arabic script for the held-out set, written independently of `interdict-names`:
//! orthographic variants of Arabic-script names (vowel marks, tatweel, hamza seats, alif
//! maqsura, ta marbuta, Persian letters, joined or split compounds, articles, honorifics,
//! invisible marks) and Latin spellings of Arabic names written back in Arabic script.

use interdict_synthetic::Rng;

/// Common name words with their usual Arabic spelling (Latin spellings folded to lower case).
const NAMES: &[(&[&str], &str)] = &[
    (
        &[
            "muhammad", "mohammed", "mohamed", "mohammad", "muhammed", "mohamad", "mohd",
        ],
        "محمد",
    ),
    (&["ahmad", "ahmed"], "أحمد"),
    (&["mahmud", "mahmoud"], "محمود"),
    (&["ali"], "علي"),
    (&["hasan", "hassan"], "حسن"),
    (
        &["husayn", "hussein", "husain", "hussain", "hossein"],
        "حسين",
    ),
    (&["umar", "omar"], "عمر"),
    (&["uthman", "othman", "osman", "usman"], "عثمان"),
    (&["khalid", "khaled"], "خالد"),
    (&["yusuf", "yousef", "youssef", "yousif", "yusif"], "يوسف"),
    (&["ibrahim", "ebrahim"], "إبراهيم"),
    (&["ismail", "ismael", "isma'il"], "إسماعيل"),
    (&["mustafa", "mustapha", "moustafa"], "مصطفى"),
    (&["said", "saeed", "sa'id", "sayyid", "sayed"], "سعيد"),
    (&["salih", "saleh", "salah"], "صالح"),
    (&["sulayman", "suleiman", "sulaiman", "soliman"], "سليمان"),
    (&["musa", "moussa", "mousa"], "موسى"),
    (&["isa", "issa"], "عيسى"),
    (&["yahya", "yehia"], "يحيى"),
    (&["jamal", "gamal"], "جمال"),
    (&["nasir", "nasser", "naser"], "ناصر"),
    (&["faisal", "faysal", "faysel"], "فيصل"),
    (&["tariq", "tarek", "tareq", "tarik"], "طارق"),
    (&["walid", "waleed"], "وليد"),
    (&["zayd", "zaid", "zeid"], "زيد"),
    (&["hamza", "hamzah"], "حمزة"),
    (&["abu", "abou", "abo"], "أبو"),
    (&["bin", "ben", "ibn"], "بن"),
    (&["bint"], "بنت"),
    (&["bakr", "bakir", "baker"], "بكر"),
    (&["usama", "osama", "usamah"], "أسامة"),
    (&["anwar", "anouar"], "أنور"),
    (&["ayman", "aiman"], "أيمن"),
    (&["jafar", "jaafar", "ja'far"], "جعفر"),
    (&["qasim", "kassem", "qassim", "qasem"], "قاسم"),
    (&["abbas"], "عباس"),
    (&["hadi"], "هادي"),
    (&["hamid", "hamed"], "حامد"),
    (&["rashid", "rachid", "rasheed"], "رشيد"),
    (&["khalil"], "خليل"),
    (&["mansur", "mansour"], "منصور"),
    (&["salim", "salem"], "سالم"),
    (&["sultan"], "سلطان"),
    (&["adil", "adel"], "عادل"),
    (&["amir", "ameer"], "أمير"),
    (&["majid", "majed"], "ماجد"),
    (&["sharif", "sherif"], "شريف"),
    (&["yasin", "yassin", "yaseen"], "ياسين"),
    (&["idris", "idriss"], "إدريس"),
    (&["harun", "haroun"], "هارون"),
    (&["nur", "noor", "nour"], "نور"),
    (&["din", "deen", "dine"], "الدين"),
    (&["allah", "ullah", "ollah", "illah"], "الله"),
    (&["rahman", "rahmane", "rehman"], "الرحمن"),
    (&["rahim", "raheem"], "الرحيم"),
    (&["karim", "kareem"], "الكريم"),
    (&["aziz", "azeez"], "العزيز"),
    (&["latif", "lateef"], "اللطيف"),
    (&["qadir", "kadir", "kader", "qader"], "القادر"),
    (&["salam", "salaam"], "السلام"),
    (&["wahhab", "wahab"], "الوهاب"),
    (&["razzaq", "razak", "razzak"], "الرزاق"),
    (&["hakim", "hakeem"], "الحكيم"),
    (&["ghani"], "الغني"),
    (&["jabbar"], "الجبار"),
    (&["fattah"], "الفتاح"),
    (&["basit"], "الباسط"),
    (&["majeed"], "المجيد"),
    (&["baghdadi"], "البغدادي"),
    (&["masri"], "المصري"),
    (&["iraqi"], "العراقي"),
    (&["libi"], "الليبي"),
    (&["yemeni"], "اليمني"),
    (&["tunisi"], "التونسي"),
    (&["shami"], "الشامي"),
    (&["qahtani"], "القحطاني"),
    (&["ansari"], "الأنصاري"),
    (&["hashimi", "hashemi"], "الهاشمي"),
    (&["zawahiri"], "الظواهري"),
    (&["awlaki"], "العولقي"),
    (&["qaida", "qaeda", "qa'ida"], "القاعدة"),
];

/// The names whose Latin spelling carries the article (`abd al-rahman`): after `abd`, the
/// Arabic word already has `ال`.
fn dictionary(word: &str) -> Option<&'static str> {
    NAMES
        .iter()
        .find(|(l, _)| l.contains(&word))
        .map(|(_, a)| *a)
}

fn letters(word: &str, rng: &mut Rng) -> String {
    let b: Vec<char> = word
        .chars()
        .filter(|c| c.is_ascii_alphabetic() || *c == '\'')
        .collect();
    let n = b.len();
    let mut out = String::new();
    let mut i = 0;
    let starts = |k: usize, s: &str| {
        let s: Vec<char> = s.chars().collect();
        k + s.len() <= n && b[k..k + s.len()] == s[..]
    };
    while i < n {
        let first = i == 0;
        let last = |len: usize| i + len == n;
        let digraphs: &[(&str, &str)] = &[
            ("kh", "خ"),
            ("sh", "ش"),
            ("th", "ث"),
            ("dh", "ذ"),
            ("gh", "غ"),
            ("ch", "ش"),
            ("ph", "ف"),
            ("aa", "ا"),
            ("ee", "ي"),
            ("ii", "ي"),
            ("oo", "و"),
            ("ou", "و"),
            ("uu", "و"),
            ("ai", "ي"),
            ("ay", "ي"),
            ("ei", "ي"),
            ("aw", "و"),
            ("au", "و"),
        ];
        if let Some((l, a)) = digraphs.iter().find(|(l, _)| starts(i, l)) {
            if first && "aeiou".contains(b[0]) {
                out.push('ا');
            }
            out.push_str(a);
            i += l.len();
            continue;
        }
        let c = b[i];
        let next = b.get(i + 1).copied();
        // A vowel between a consonant and a final consonant is often long (Yasin, Karim).
        let long_before_final = next.is_some() && i + 2 == n && !"aeiou".contains(b[i + 1]);
        let s: &str = match c {
            'a' => {
                if first {
                    "ا"
                } else if last(1) {
                    if rng.chance(0.5) { "ة" } else { "ا" }
                } else if next == Some('h') && last(2) {
                    i += 1;
                    "ة"
                } else if long_before_final && rng.chance(0.5) {
                    "ا"
                } else {
                    ""
                }
            }
            'i' | 'e' => {
                if first {
                    "إ"
                } else if last(1) || long_before_final {
                    "ي"
                } else {
                    ""
                }
            }
            'u' | 'o' => {
                if first {
                    "أ"
                } else if last(1) || long_before_final {
                    "و"
                } else {
                    ""
                }
            }
            'b' | 'p' => "ب",
            't' => "ت",
            'j' | 'g' => "ج",
            'h' => {
                if last(1) {
                    "ه"
                } else {
                    "ح"
                }
            }
            'd' => "د",
            'r' => "ر",
            'z' => "ز",
            's' => "س",
            'f' | 'v' => "ف",
            'q' => "ق",
            'k' | 'c' => "ك",
            'l' => "ل",
            'm' => "م",
            'n' => "ن",
            'w' => "و",
            'y' => "ي",
            'x' => "كس",
            '\'' => "ع",
            _ => "",
        };
        // Doubled consonants are written once (shadda is left out).
        if !(i > 0 && b[i - 1] == c && !"aeiou".contains(c)) {
            out.push_str(s);
        }
        i += 1;
    }
    out
}

/// A Latin name (natural order) written in Arabic script as an Arabic speaker would,
/// approximately: known name words from the dictionary, the rest letter by letter.
pub fn from_latin(name: &str, rng: &mut Rng) -> String {
    let lower = name.to_lowercase();
    let raw: Vec<&str> = lower
        .split(|c: char| c.is_whitespace() || c == ',' || c == '-' || c == '.')
        .filter(|w| !w.is_empty())
        .collect();
    let mut words: Vec<String> = Vec::new();
    let mut article_next = false;
    let mut i = 0;
    while i < raw.len() {
        let w = raw[i];
        if article_next {
            article_next = false;
            let core = dictionary(w)
                .map(str::to_string)
                .unwrap_or_else(|| letters(w, rng));
            words.push(if core.starts_with("ال") {
                core
            } else {
                format!("ال{core}")
            });
            i += 1;
            continue;
        }
        // The article and its assimilated forms attach to the next word.
        if matches!(
            w,
            "al" | "el"
                | "ar"
                | "ad"
                | "as"
                | "ash"
                | "at"
                | "an"
                | "az"
                | "ul"
                | "ud"
                | "ur"
                | "ad-"
        ) && i + 1 < raw.len()
        {
            let next = raw[i + 1];
            let core = dictionary(next)
                .map(str::to_string)
                .unwrap_or_else(|| letters(next, rng));
            let core = core.strip_prefix("ال").map(str::to_string).unwrap_or(core);
            // After `abd` the article joins the name: عبد الرحمن.
            words.push(format!("ال{core}"));
            i += 2;
            continue;
        }
        // Abdul, Abdel, Abdullah written as one word.
        if let Some(rest) = w.strip_prefix("abd") {
            let (connector, rest) = ["ul", "el", "al", "ol", "ur", "ar", "u", "i", "o"]
                .iter()
                .find_map(|p| rest.strip_prefix(p).map(|r| (*p, r)))
                .unwrap_or(("", rest));
            if rest.is_empty() {
                // Abdul Hadi: عبد الهادي; Abdo / Abdu alone: عبده.
                if matches!(connector, "o" | "u") {
                    words.push("عبده".into());
                } else {
                    words.push("عبد".into());
                    article_next = connector.len() == 2;
                }
                i += 1;
                continue;
            }
            if rest.chars().count() >= 3 {
                let core = dictionary(rest)
                    .map(str::to_string)
                    .unwrap_or_else(|| letters(rest, rng));
                let core = if core.starts_with("ال") {
                    core
                } else {
                    format!("ال{core}")
                };
                if rng.chance(0.5) {
                    words.push(format!("عبد{core}"));
                } else {
                    words.push("عبد".into());
                    words.push(core);
                }
                i += 1;
                continue;
            }
        }
        let a = match dictionary(w) {
            Some(a)
                if !matches!(words.last().map(String::as_str), Some("عبد"))
                    && !a.ends_with("الله")
                    && !a.ends_with("الدين") =>
            {
                a.strip_prefix("ال").unwrap_or(a).to_string()
            }
            Some(a) => a.to_string(),
            None => letters(w, rng),
        };
        if !a.is_empty() {
            words.push(a);
        }
        i += 1;
    }
    words.join(" ")
}

/// One orthographic variant of an Arabic-script name; `None` if the chosen change does not
/// apply.
pub fn variant(name: &str, person: bool, rng: &mut Rng) -> Option<(String, &'static str)> {
    let words: Vec<&str> = name.split_whitespace().collect();
    if words.is_empty() {
        return None;
    }
    match rng.below(10) {
        // Titles and name order are for people.
        7 | 9 if !person => None,
        0 => {
            // Vowel marks on some letters.
            let marks = [
                '\u{64E}', '\u{650}', '\u{64F}', '\u{652}', '\u{651}', '\u{64B}',
            ];
            let out: String = name
                .chars()
                .flat_map(|c| {
                    let m = (('\u{621}'..='\u{64A}').contains(&c) && rng.chance(0.4))
                        .then(|| marks[rng.below(marks.len())]);
                    std::iter::once(c).chain(m)
                })
                .collect();
            Some((out, "harakat"))
        }
        1 => {
            // Tatweel inside a word.
            let i = rng.below(words.len());
            let w: Vec<char> = words[i].chars().collect();
            if w.len() < 3 {
                return None;
            }
            let k = 1 + rng.below(w.len() - 2);
            let mut nw: String = w[..k].iter().collect();
            nw.push('\u{640}');
            nw.extend(&w[k..]);
            Some((replace_word(&words, i, &nw), "tatweel"))
        }
        2 => {
            // Hamza seats: bare alif where a hamza is written, or the reverse.
            let out: String = if name.contains(['أ', 'إ', 'آ']) {
                name.replace(['أ', 'إ', 'آ'], "ا")
            } else {
                let i = words
                    .iter()
                    .position(|w| w.starts_with('ا') && !w.starts_with("ال"))?;
                let nw = format!("أ{}", &words[i]['ا'.len_utf8()..]);
                replace_word(&words, i, &nw)
            };
            (out != name).then_some((out, "hamza"))
        }
        3 => {
            // Final ya / alif maqsura and ta marbuta / ha.
            let out: Vec<String> = words
                .iter()
                .map(|w| {
                    if let Some(s) = w.strip_suffix('ي') {
                        format!("{s}ى")
                    } else if let Some(s) = w.strip_suffix('ى') {
                        format!("{s}ي")
                    } else if let Some(s) = w.strip_suffix('ة') {
                        format!("{s}ه")
                    } else {
                        w.to_string()
                    }
                })
                .collect();
            let out = out.join(" ");
            (out != name).then_some((out, "final-letters"))
        }
        4 => {
            // Persian letter forms.
            let out = name.replace('ي', "ی").replace('ك', "ک").replace('ى', "ی");
            (out != name).then_some((out, "persian-letters"))
        }
        5 => {
            // Compounds joined or split: عبد الله / عبدالله, أبو بكر / أبوبكر.
            for (i, w) in words.iter().enumerate() {
                if (*w == "عبد" || *w == "أبو" || *w == "ابو") && i + 1 < words.len() {
                    let mut v: Vec<String> = words.iter().map(|w| w.to_string()).collect();
                    let joined = format!("{}{}", v[i], v[i + 1]);
                    v[i] = joined;
                    v.remove(i + 1);
                    return Some((v.join(" "), "compound"));
                }
                if let Some(rest) = w.strip_prefix("عبدال")
                    && rest.chars().count() >= 2
                {
                    return Some((
                        replace_word(&words, i, &format!("عبد ال{rest}")),
                        "compound",
                    ));
                }
            }
            None
        }
        6 => {
            // The article dropped from, or added to, the last word.
            let i = words.len() - 1;
            let w = words[i];
            if words.len() < 2 {
                return None;
            }
            let nw = match w.strip_prefix("ال") {
                Some(rest) if rest.chars().count() >= 3 => rest.to_string(),
                Some(_) => return None,
                None => format!("ال{w}"),
            };
            Some((replace_word(&words, i, &nw), "article"))
        }
        7 => {
            let h = [
                "الشيخ",
                "الحاج",
                "السيد",
                "الدكتور",
                "المولوي",
                "الملا",
                "الأخ",
            ];
            Some((format!("{} {name}", h[rng.below(h.len())]), "honorific"))
        }
        8 => {
            // Invisible marks: zero-width non-joiner inside a word, right-to-left marks around.
            let i = rng.below(words.len());
            let w: Vec<char> = words[i].chars().collect();
            if w.len() < 3 {
                return None;
            }
            let k = 1 + rng.below(w.len() - 2);
            let mut nw: String = w[..k].iter().collect();
            nw.push('\u{200C}');
            nw.extend(&w[k..]);
            Some((
                format!("\u{200F}{}\u{200F}", replace_word(&words, i, &nw)),
                "invisible",
            ))
        }
        _ => {
            // The last word (family or tribal name) first, with an Arabic comma.
            if words.len() < 3 {
                return None;
            }
            let last = words[words.len() - 1];
            // Not the second half of a compound (حبيب الله, شمس الدين).
            if last == "الله" || last == "الدين" || words[words.len() - 2] == "عبد" {
                return None;
            }
            Some((
                format!("{last}، {}", words[..words.len() - 1].join(" ")),
                "order",
            ))
        }
    }
}

fn replace_word(words: &[&str], i: usize, new: &str) -> String {
    words
        .iter()
        .enumerate()
        .map(|(k, w)| if k == i { new } else { *w })
        .collect::<Vec<_>>()
        .join(" ")
}
