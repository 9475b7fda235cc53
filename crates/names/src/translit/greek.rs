//! Greek to Latin: ELOT 743 (passports, road signs) and the classical/phonetic spelling.

/// Romanise Greek text: `modern` gives ELOT 743 (`Tsipras`, `Giorgos`), otherwise the
/// classical transcription English sources often use (`Georgios`, `Khristos`).
pub fn romanise(text: &str, modern: bool) -> String {
    let folded: String = crate::fold::clean(text)
        .chars()
        .flat_map(char::to_lowercase)
        .map(|c| match c {
            'ά' => 'α',
            'έ' => 'ε',
            'ή' => 'η',
            'ί' | 'ϊ' | 'ΐ' => 'ι',
            'ό' => 'ο',
            'ύ' | 'ϋ' | 'ΰ' => 'υ',
            'ώ' => 'ω',
            'ς' => 'σ',
            c => c,
        })
        .collect();
    let chars: Vec<char> = folded.chars().collect();
    let mut out = String::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let n = chars.get(i + 1).copied();
        let word_start = i == 0 || !chars[i - 1].is_alphabetic();
        let pair = match (c, n) {
            ('ο', Some('υ')) => Some("ou"),
            ('α', Some('ι')) => Some(if modern { "ai" } else { "ae" }),
            ('ε', Some('ι')) => Some(if modern { "ei" } else { "i" }),
            ('ο', Some('ι')) => Some(if modern { "oi" } else { "i" }),
            ('α', Some('υ')) => Some("av"),
            ('ε', Some('υ')) => Some("ev"),
            ('μ', Some('π')) => Some(if word_start { "b" } else { "mp" }),
            ('ν', Some('τ')) => Some(if word_start { "d" } else { "nt" }),
            ('γ', Some('κ')) => Some(if word_start { "g" } else { "gk" }),
            ('γ', Some('γ')) => Some("ng"),
            ('τ', Some('σ')) => Some("ts"),
            ('τ', Some('ζ')) => Some("tz"),
            _ => None,
        };
        if let Some(p) = pair {
            out.push_str(p);
            i += 2;
            continue;
        }
        let s = match c {
            'α' => "a",
            'β' => {
                if modern {
                    "v"
                } else {
                    "b"
                }
            }
            'γ' => "g",
            'δ' => "d",
            'ε' => "e",
            'ζ' => "z",
            'η' => {
                if modern {
                    "i"
                } else {
                    "e"
                }
            }
            'θ' => "th",
            'ι' => "i",
            'κ' => "k",
            'λ' => "l",
            'μ' => "m",
            'ν' => "n",
            'ξ' => "x",
            'ο' => "o",
            'π' => "p",
            'ρ' => "r",
            'σ' => "s",
            'τ' => "t",
            'υ' => {
                if modern {
                    "y"
                } else {
                    "u"
                }
            }
            'φ' => "f",
            'χ' => {
                if modern {
                    "ch"
                } else {
                    "kh"
                }
            }
            'ψ' => "ps",
            'ω' => "o",
            other => {
                out.push(other);
                i += 1;
                continue;
            }
        };
        out.push_str(s);
        i += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn elot_and_classical() {
        assert_eq!(romanise("Αλέξης Τσίπρας", true), "alexis tsipras");
        assert_eq!(romanise("Γιώργος Παπανδρέου", true), "giorgos papandreou");
        assert_eq!(romanise("Χρήστος", false), "khrestos");
        assert_eq!(romanise("Μπακογιάννη", true), "bakogianni");
    }
}
