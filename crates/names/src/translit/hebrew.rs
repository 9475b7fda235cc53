//! Hebrew to Latin. Like Arabic, Hebrew writes consonants only: the result is marked
//! vowelless and compared by consonant skeleton.

/// Romanise Hebrew text to lower-case ASCII consonants (with `o`/`i` for the vowel letters
/// vav and yod inside words).
pub fn romanise(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::new();
    for (i, &c) in chars.iter().enumerate() {
        let first = i == 0 || !chars[i - 1].is_alphabetic();
        let s = match c {
            'א' | 'ע' => "",
            'ב' => {
                if first {
                    "b"
                } else {
                    "v"
                }
            }
            'ג' => "g",
            'ד' => "d",
            'ה' => "h",
            'ו' => {
                if first {
                    "v"
                } else {
                    "o"
                }
            }
            'ז' => "z",
            'ח' => "kh",
            'ט' | 'ת' => "t",
            'י' => {
                if first {
                    "y"
                } else {
                    "i"
                }
            }
            'כ' | 'ך' => {
                if first {
                    "k"
                } else {
                    "kh"
                }
            }
            'ל' => "l",
            'מ' | 'ם' => "m",
            'נ' | 'ן' => "n",
            'ס' => "s",
            'פ' => {
                if first {
                    "p"
                } else {
                    "f"
                }
            }
            'ף' => "f",
            'צ' | 'ץ' => "ts",
            'ק' => "k",
            'ר' => "r",
            'ש' => "sh",
            c if ('\u{591}'..='\u{5C7}').contains(&c) => "",
            other => {
                out.push(other);
                continue;
            }
        };
        out.push_str(s);
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn consonants() {
        assert_eq!(super::romanise("בנימין נתניהו"), "bnimin ntniho");
    }
}
