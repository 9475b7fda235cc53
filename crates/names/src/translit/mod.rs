//! Transliteration of names to Latin, per script.
//!
//! Hand-written tables, not ICU: they run in well under a microsecond per word, so queries are
//! transliterated at query time as cheaply as listed names at index time, and they produce the
//! romanisations screening needs (ICAO passports, German, French and Polish spellings) that the
//! CLDR transforms lack. Scripts without a table here (Han, Hangul, Kana, Thai, Devanagari …)
//! go through `any_ascii`, which gives pinyin for Chinese.

pub mod arabic;
pub mod cyrillic;
pub mod greek;
pub mod hebrew;

pub use cyrillic::{CyrillicLanguage, Romanisation};

use crate::script::Script;

/// How a Latin form of a name was obtained, for explanations.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum FormSystem {
    /// The name as written (Latin script, folded).
    AsWritten,
    /// Latin with `č š ž` read as `ch sh zh` (ISO 9, Czech-style spellings of Slavic names).
    SlavicCarons,
    /// A Cyrillic romanisation.
    Cyrillic(CyrillicLanguage, Romanisation),
    /// Arabic script, consonants and long vowels.
    Arabic,
    /// Arabic script, with t+h, k+h … read as the Latin digraphs th, kh.
    ArabicDigraphs,
    /// Arabic script read as Persian or Urdu (ث s, ذ z, ض z).
    Persian,
    /// An organisation name in Arabic script with its common words (company, front,
    /// movement, islamic …) translated into English, the rest read as Arabic.
    ArabicTranslated,
    /// Greek, ELOT 743.
    GreekModern,
    /// Greek, classical transcription.
    GreekClassical,
    /// Hebrew consonants.
    Hebrew,
    /// Chinese characters in pinyin, given name joined (`xi jinping`).
    Pinyin,
    /// Chinese characters in pinyin, one word per syllable (`xi jin ping`).
    PinyinSyllables,
    /// Any other script through `any_ascii`.
    Ascii,
}

impl FormSystem {
    /// A short label for explanations (`as-written`, `ru-bgn`, `arabic` …).
    pub fn label(self) -> String {
        match self {
            FormSystem::AsWritten => "as-written".into(),
            FormSystem::SlavicCarons => "slavic-carons".into(),
            FormSystem::Cyrillic(l, r) => format!("{}-{}", l.code(), r.name()),
            FormSystem::Arabic => "arabic".into(),
            FormSystem::ArabicDigraphs => "arabic-digraphs".into(),
            FormSystem::Persian => "persian".into(),
            FormSystem::ArabicTranslated => "arabic-translated".into(),
            FormSystem::GreekModern => "greek-elot".into(),
            FormSystem::GreekClassical => "greek-classical".into(),
            FormSystem::Hebrew => "hebrew".into(),
            FormSystem::Pinyin => "pinyin".into(),
            FormSystem::PinyinSyllables => "pinyin-syllables".into(),
            FormSystem::Ascii => "ascii".into(),
        }
    }
}

/// One Latin word of a transliterated name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LatinWord {
    /// Lower-case ASCII.
    pub text: String,
    /// Whether the source script left the short vowels unwritten.
    pub vowelless: bool,
}

fn plain(s: &str) -> Vec<LatinWord> {
    crate::fold::fold_latin(s, false)
        .split(' ')
        .filter(|w| !w.is_empty())
        .map(|w| LatinWord {
            text: w.to_string(),
            vowelless: false,
        })
        .collect()
}

/// The Latin forms of one word (or run of words) written in `script`, one per applicable
/// system. `cyrillic_langs` are the languages guessed for the whole name (see
/// [`cyrillic::languages`]), so every Cyrillic word of a name is read in the same language.
pub fn latin_forms(
    text: &str,
    script: Script,
    cyrillic_langs: &[CyrillicLanguage],
) -> Vec<(FormSystem, Vec<LatinWord>)> {
    latin_forms_in_name(text, script, cyrillic_langs, false)
}

/// [`latin_forms`] for a word of a longer name: `followed` says another word comes after it,
/// which puts an Arabic ta marbuta in the construct state (عصبة الأنصار, Asbat al-Ansar).
pub fn latin_forms_in_name(
    text: &str,
    script: Script,
    cyrillic_langs: &[CyrillicLanguage],
    followed: bool,
) -> Vec<(FormSystem, Vec<LatinWord>)> {
    match script {
        Script::Latin | Script::Common => {
            let mut out = vec![(FormSystem::AsWritten, plain(text))];
            if text.chars().any(|c| "čšžČŠŽŝŜûÛâÂ".contains(c)) {
                let expanded = crate::fold::fold_latin(text, true)
                    .split(' ')
                    .filter(|w| !w.is_empty())
                    .map(|w| LatinWord {
                        text: w.to_string(),
                        vowelless: false,
                    })
                    .collect();
                out.push((FormSystem::SlavicCarons, expanded));
            }
            out
        }
        Script::Cyrillic => {
            let mut out = Vec::new();
            for &lang in cyrillic_langs {
                for sys in Romanisation::ALL {
                    out.push((
                        FormSystem::Cyrillic(lang, sys),
                        plain(&cyrillic::romanise(text, lang, sys)),
                    ));
                }
            }
            out
        }
        Script::Arabic => {
            let raw = arabic::romanise(text);
            let n = raw.len();
            // Three readings: Arabic; Arabic with Latin digraphs (ك+ح, ت+ح read as kh, th, as a
            // Latin writer spells them) and ta marbuta as `at` before another word; Persian/Urdu
            // (ث s, ذ z, ض z).
            let read = |persian: bool, digraphs: bool| -> Vec<LatinWord> {
                raw.iter()
                    .enumerate()
                    .map(|(i, w)| {
                        let t = arabic::read_markers(
                            &w.text,
                            persian,
                            digraphs && (i + 1 < n || followed),
                        );
                        LatinWord {
                            text: if digraphs { t.replace('\'', "") } else { t },
                            vowelless: w.vowelless,
                        }
                    })
                    .collect()
            };
            let mut out: Vec<(FormSystem, Vec<LatinWord>)> = Vec::new();
            for (system, words) in [
                (FormSystem::Arabic, read(false, false)),
                (FormSystem::ArabicDigraphs, read(false, true)),
                (FormSystem::Persian, read(true, true)),
            ] {
                if !out.iter().any(|(_, w)| *w == words) {
                    out.push((system, words));
                }
            }
            out
        }
        Script::Hebrew => {
            let words = hebrew::romanise(text)
                .split_whitespace()
                .map(|w| LatinWord {
                    text: w.to_string(),
                    vowelless: true,
                })
                .collect();
            vec![(FormSystem::Hebrew, words)]
        }
        Script::Greek => vec![
            (FormSystem::GreekModern, plain(&greek::romanise(text, true))),
            (
                FormSystem::GreekClassical,
                plain(&greek::romanise(text, false)),
            ),
        ],
        Script::Han => {
            let syllables: Vec<String> = text
                .chars()
                .filter(|c| !c.is_whitespace())
                .map(|c| any_ascii::any_ascii_char(c).to_lowercase())
                .filter(|s| s.chars().all(|c| c.is_ascii_alphanumeric()) && !s.is_empty())
                .collect();
            let words = |v: Vec<String>| {
                v.into_iter()
                    .map(|t| LatinWord {
                        text: t,
                        vowelless: false,
                    })
                    .collect()
            };
            let mut out = vec![(FormSystem::PinyinSyllables, words(syllables.clone()))];
            if syllables.len() >= 3 {
                let joined = vec![syllables[0].clone(), syllables[1..].concat()];
                out.insert(0, (FormSystem::Pinyin, words(joined)));
            }
            out
        }
        _ => vec![(FormSystem::Ascii, plain(&any_ascii::any_ascii(text)))],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn han_gives_pinyin_forms() {
        let forms = latin_forms("习近平", Script::Han, &[]);
        let texts: Vec<Vec<String>> = forms
            .iter()
            .map(|(_, w)| w.iter().map(|w| w.text.clone()).collect())
            .collect();
        assert_eq!(texts[0], vec!["xi", "jinping"]);
        assert_eq!(texts[1], vec!["xi", "jin", "ping"]);
    }

    #[test]
    fn cyrillic_gives_every_system() {
        let forms = latin_forms(
            "Лукашэнка",
            Script::Cyrillic,
            &[CyrillicLanguage::Belarusian],
        );
        let texts: Vec<&str> = forms.iter().map(|(_, w)| w[0].text.as_str()).collect();
        assert!(texts.contains(&"lukashenka"));
        assert!(texts.contains(&"lukaszenka"));
        assert!(texts.contains(&"loukachenka"));
        assert!(texts.contains(&"lukaschenka"));
    }
}
