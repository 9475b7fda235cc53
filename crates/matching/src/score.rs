//! The scorer: how similar two words are, how well two names align, and how the other
//! attributes move the score. Every number here is a named constant so that the explanation
//! can say what fired and why.

use interdict_names::TokenRole;

use crate::vocab::NONE;

/// Optimal string alignment distance (Levenshtein plus adjacent transpositions) between two
/// byte strings, or `max + 1` as soon as it is known to exceed `max`.
pub fn osa_distance(a: &[u8], b: &[u8], max: usize) -> usize {
    let (la, lb) = (a.len(), b.len());
    if la.abs_diff(lb) > max {
        return max + 1;
    }
    if la == 0 || lb == 0 {
        return la.max(lb);
    }
    if la <= 64
        && let Some(d) = osa_bits(a, b)
    {
        return d.min(max + 1);
    }
    const W: usize = 64;
    if lb + 1 > W || la > 250 || lb > 250 {
        return osa_long(a, b);
    }
    // Three rotating rows of small counters (names are short).
    let mut rows = [[0u8; W]; 3];
    for (j, cell) in rows[1].iter_mut().enumerate().take(lb + 1) {
        *cell = j as u8;
    }
    let (mut p2, mut p1, mut cu) = (0usize, 1usize, 2usize);
    for i in 1..=la {
        rows[cu][0] = i as u8;
        let mut row_min = i as u8;
        for j in 1..=lb {
            let cost = u8::from(a[i - 1] != b[j - 1]);
            let mut v = (rows[p1][j] + 1)
                .min(rows[cu][j - 1] + 1)
                .min(rows[p1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                v = v.min(rows[p2][j - 2] + 1);
            }
            rows[cu][j] = v;
            row_min = row_min.min(v);
        }
        if usize::from(row_min) > max {
            return max + 1;
        }
        (p2, p1, cu) = (p1, cu, p2);
    }
    usize::from(rows[p1][lb])
}

/// Index of a byte in the bit-parallel alphabet (letters, digits), or `None`.
fn alphabet(c: u8) -> Option<usize> {
    match c {
        b'a'..=b'z' => Some((c - b'a') as usize),
        b'0'..=b'9' => Some(26 + (c - b'0') as usize),
        _ => None,
    }
}

/// Optimal string alignment distance by Hyyrö's bit-vector algorithm (2003) for `a` of at
/// most 64 letters and digits: one pass over `b` with a few word operations per letter.
/// `None` if either word has another byte.
fn osa_bits(a: &[u8], b: &[u8]) -> Option<usize> {
    let m = a.len();
    let mut peq = [0u64; 36];
    for (i, &c) in a.iter().enumerate() {
        peq[alphabet(c)?] |= 1 << i;
    }
    let mut vp: u64 = !0;
    let mut vn: u64 = 0;
    let mut d0: u64 = 0;
    let mut pm_old: u64 = 0;
    let mut dist = m;
    let last = 1u64 << (m - 1);
    for &c in b {
        let pm = peq[alphabet(c)?];
        let tr = ((!d0 & pm) << 1) & pm_old;
        d0 = (((pm & vp).wrapping_add(vp)) ^ vp) | pm | vn | tr;
        let mut hp = vn | !(d0 | vp);
        let mut hn = d0 & vp;
        if hp & last != 0 {
            dist += 1;
        }
        if hn & last != 0 {
            dist -= 1;
        }
        hp = (hp << 1) | 1;
        hn <<= 1;
        vp = hn | !(d0 | hp);
        vn = hp & d0;
        pm_old = pm;
    }
    Some(dist)
}

fn osa_long(a: &[u8], b: &[u8]) -> usize {
    let lb = b.len();
    let mut prev2 = vec![0usize; lb + 1];
    let mut prev: Vec<usize> = (0..=lb).collect();
    let mut cur = vec![0usize; lb + 1];
    for i in 1..=a.len() {
        cur[0] = i;
        for j in 1..=lb {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut v = (prev[j] + 1).min(cur[j - 1] + 1).min(prev[j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                v = v.min(prev2[j - 2] + 1);
            }
            cur[j] = v;
        }
        std::mem::swap(&mut prev2, &mut prev);
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[lb]
}

/// Letters that OCR, keyboards or spelling habits put for each other: a substitution between
/// them costs less than an unrelated one.
fn substitution_cost(a: u8, b: u8) -> f32 {
    if a == b {
        return 0.0;
    }
    let (x, y) = if a < b { (a, b) } else { (b, a) };
    match (x, y) {
        // Look alike on paper or screen (OCR).
        (b'i', b'l')
        | (b'c', b'e')
        | (b'b', b'h')
        | (b'u', b'v')
        | (b'e', b'f')
        | (b'f', b't')
        | (b'g', b'q')
        | (b'a', b'o')
        | (b'n', b'r')
        | (b'i', b'j') => 0.5,
        _ if sound_alike(x, y) => 0.6,
        _ => {
            let vowel = |c: u8| b"aeiou".contains(&c);
            if vowel(x) && vowel(y) {
                0.7
            } else if keyboard_neighbours(x, y) {
                0.6
            } else {
                1.0
            }
        }
    }
}

/// Letters that sound alike in some spelling (voiced and voiceless pairs, c/k/q, i/y/j).
fn sound_alike(a: u8, b: u8) -> bool {
    let (x, y) = if a < b { (a, b) } else { (b, a) };
    matches!(
        (x, y),
        (b'c', b'k')
            | (b'k', b'q')
            | (b's', b'z')
            | (b'v', b'w')
            | (b'i', b'y')
            | (b'j', b'y')
            | (b'b', b'v')
            | (b'b', b'p')
            | (b'd', b't')
            | (b'g', b'k')
            | (b'c', b's')
            | (b'f', b'v')
            | (b'g', b'j')
            | (b'j', b'z')
    )
}

/// Whether two letters are next to each other on a QWERTY keyboard.
fn keyboard_neighbours(a: u8, b: u8) -> bool {
    const ROWS: [&[u8]; 3] = [b"qwertyuiop", b"asdfghjkl", b"zxcvbnm"];
    let pos = |c: u8| {
        ROWS.iter().enumerate().find_map(|(r, row)| {
            row.iter()
                .position(|&x| x == c)
                .map(|p| (r as i32, p as i32))
        })
    };
    match (pos(a), pos(b)) {
        (Some((ra, pa)), Some((rb, pb))) => {
            (ra == rb && (pa - pb).abs() == 1) || ((ra - rb).abs() == 1 && (pa - pb).abs() <= 1)
        }
        _ => false,
    }
}

/// Two letters OCR reads as one (`rn` for `m`, `cl` for `d`), in either direction.
fn ocr_pair(two: [u8; 2], one: u8) -> bool {
    matches!(
        (two, one),
        ([b'r', b'n'], b'm')
            | ([b'c', b'l'], b'd')
            | ([b'v', b'v'], b'w')
            | ([b'i', b'i'], b'u')
            | ([b'l', b'i'], b'h')
            | ([b'r', b'i'], b'n')
            | ([b'n', b'n'], b'm')
            | ([b'l', b'l'], b'u')
    )
}

/// An edit distance that knows how names get damaged: a transposition costs 0.6, a letter
/// doubled or written once 0.4, look-alike or sound-alike letters 0.5–0.7, two letters OCR
/// reads as one 0.5, anything else 1. At most the plain [`osa_distance`].
pub fn damage_distance(a: &[u8], b: &[u8]) -> f32 {
    damage(a, b, false)
}

/// The distance between romanisation keys: a vowel put in or left out costs half an edit
/// (Polish `ie` for `e`: Szwied / Shved), letters that sound alike 0.6, anything else a whole
/// one (keys are sounds, not letters that look or type alike).
pub(crate) fn key_damage_distance(a: &[u8], b: &[u8]) -> f32 {
    damage(a, b, true)
}

fn damage(a: &[u8], b: &[u8], keys: bool) -> f32 {
    let (la, lb) = (a.len(), b.len());
    if la == 0 || lb == 0 {
        return la.max(lb) as f32;
    }
    if la > 62 || lb > 62 {
        return osa_long(a, b) as f32;
    }
    let vowel = |c: u8| b"aeiouy".contains(&c);
    let sub = |x: u8, y: u8| {
        if !keys {
            substitution_cost(x, y)
        } else if x == y {
            0.0
        } else if sound_alike(x, y) {
            0.6
        } else {
            // A vowel changed in a key is another name as often as not (Omar / Amir).
            1.0
        }
    };
    // Putting in or leaving out the letter at `k` of `w`: a letter that doubles its neighbour
    // costs little (Mohammed / Mohamed), a vowel of a key half an edit.
    let indel = |w: &[u8], k: usize| {
        let c = w[k];
        if !keys && ((k >= 1 && w[k - 1] == c) || (k + 1 < w.len() && w[k + 1] == c)) {
            0.4
        } else if keys && vowel(c) {
            0.5
        } else {
            1.0
        }
    };
    const W: usize = 64;
    // Three rolling rows (i - 2, i - 1, i).
    let mut rows = [[0f32; W]; 3];
    for j in 1..=lb {
        rows[1][j] = rows[1][j - 1] + indel(b, j - 1);
    }
    let (mut p2, mut p1, mut cu) = (0usize, 1usize, 2usize);
    let mut first_col = 0f32;
    for i in 1..=la {
        let x = a[i - 1];
        let del = indel(a, i - 1);
        first_col += del;
        rows[cu][0] = first_col;
        for j in 1..=lb {
            let y = b[j - 1];
            let mut v = (rows[p1][j] + del)
                .min(rows[cu][j - 1] + indel(b, j - 1))
                .min(rows[p1][j - 1] + sub(x, y));
            if i > 1 && j > 1 && x == b[j - 2] && a[i - 2] == y {
                v = v.min(rows[p2][j - 2] + if keys { 1.0 } else { 0.6 });
            }
            if !keys && i > 1 && ocr_pair([a[i - 2], x], y) {
                v = v.min(rows[p2][j - 1] + 0.5);
            }
            if !keys && j > 1 && ocr_pair([b[j - 2], y], x) {
                v = v.min(rows[p1][j - 2] + 0.5);
            }
            rows[cu][j] = v;
        }
        (p2, p1, cu) = (p1, cu, p2);
    }
    rows[p1][lb]
}

/// How a query word met a listed word.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum WordMethod {
    /// The same word.
    Exact,
    /// The same given name in another language or spelling (Alexander ≈ Aliaksandr).
    Equivalent,
    /// The same name in another romanisation (Lukashenko ≈ Loukachenko).
    Romanisation,
    /// A spelling within a few edits (typos, OCR damage, transpositions).
    Fuzzy,
    /// The same Double Metaphone code and a similar spelling.
    Phonetic,
    /// The same consonants (names from Arabic or Hebrew script; dropped vowels).
    Skeleton,
    /// One word is the beginning of the other (truncated field).
    Truncated,
    /// An initial standing for the word.
    Initial,
    /// Two spellings of one legal form (OAO ≈ OJSC).
    LegalForm,
    /// Two adjacent words written as one (Jin Ping ≈ Jinping).
    Joined,
}

impl WordMethod {
    /// The label used in explanations.
    pub fn label(self) -> &'static str {
        match self {
            WordMethod::Exact => "exact",
            WordMethod::Equivalent => "equivalent",
            WordMethod::Romanisation => "romanisation",
            WordMethod::Fuzzy => "fuzzy",
            WordMethod::Phonetic => "phonetic",
            WordMethod::Skeleton => "skeleton",
            WordMethod::Truncated => "truncated",
            WordMethod::Initial => "initial",
            WordMethod::LegalForm => "legal-form",
            WordMethod::Joined => "joined",
        }
    }
}

/// Similarity of the same given name in another language.
pub const SIM_EQUIVALENT: f32 = 0.95;
/// Similarity of the same romanisation key.
pub const SIM_ROMANISATION: f32 = 0.93;
/// Similarity of the same consonant skeleton (for vowelless words).
pub const SIM_SKELETON: f32 = 0.9;
/// Similarity of the same Double Metaphone code with a similar spelling.
pub const SIM_PHONETIC: f32 = 0.86;
/// The same, for words of four letters or fewer (Jung / Jang, Min / Man), where the code says
/// little.
pub const SIM_PHONETIC_SHORT: f32 = 0.76;
/// Factor on a match between a word of an `abd al-` compound (Abd al-Karim) and the same word
/// standing alone (Karim): the compound is another name.
pub const COMPOUND_CROSS: f32 = 0.7;
/// Similarity of a truncated word.
pub const SIM_TRUNCATED: f32 = 0.85;
/// Similarity of an initial with the word it stands for.
pub const SIM_INITIAL: f32 = 0.8;
/// Factor on a match between a patronymic and a word that is not one: a father's name is
/// not the person's given name.
pub const PATRONYMIC_CROSS: f32 = 0.45;
/// Words less similar than this are not aligned.
pub const MIN_WORD_SIM: f32 = 0.62;

/// How much of a pair's weight a similarity earns: all of it from 0.8 up, and a weak
/// similarity much less than its value (two short words a letter or two apart are more
/// often two names than one name misspelt).
pub(crate) fn credit(sim: f32) -> f32 {
    if sim >= 0.8 {
        sim
    } else {
        (sim - 1.5 * (0.8 - sim)).max(0.0)
    }
}

/// One word as the scorer sees it: text, role and precomputed key ids.
#[derive(Debug, Clone, Copy)]
pub(crate) struct WordView<'a> {
    /// The word's id: its vocabulary id for listed words, a per-query number (with the top
    /// bit set) for query words; pairs of ids key the similarity cache.
    pub id: u32,
    pub text: &'a str,
    pub role: TokenRole,
    pub vowelless: bool,
    pub legal_form: Option<&'static str>,
    pub key: u32,
    /// The second romanisation key (`ch` read as `kh`), or `NONE`.
    pub key2: u32,
    /// The romanisation key as text (for edit distance between keys).
    pub key_text: &'a str,
    /// The second key as text (empty if none).
    pub key2_text: &'a str,
    pub skeleton: u32,
    /// The consonant skeleton as text.
    pub skeleton_text: &'a str,
    pub dm: [u32; 2],
    pub class: u32,
    pub pclass: u32,
    /// Rarity factor in (0, 1]: common words weigh less.
    pub rarity: f32,
    /// [`FLAG_LAST`], [`FLAG_COMPOUND`], [`FLAG_PATRONYMIC_SHAPE`].
    pub flags: u8,
    /// The letters of the word and of its keys (`vocab::letter_mask`).
    pub letters: u32,
    pub key_letters: u32,
}

/// A lower bound of the edit distance between two words from their letter sets.
fn mask_bound(a: u32, b: u32) -> usize {
    ((a ^ b).count_ones() as usize).div_ceil(2)
}

/// The last word of a query name: a cut-off field may have truncated it.
pub(crate) const FLAG_LAST: u8 = 1;
/// A word after `abd` (`abd al-rahman`): part of a compound name.
pub(crate) const FLAG_COMPOUND: u8 = 2;
/// A word that ends like a patronymic (Piatkevich), whatever its role.
pub(crate) const FLAG_PATRONYMIC_SHAPE: u8 = 4;
/// A word of a name that has an `abd` somewhere.
pub(crate) const FLAG_NAME_HAS_ABD: u8 = 8;

/// The compound flags of a name's words: every word right after `abd`, or after `abd al`;
/// and when the name ends in `abd (al)` (`HAQ, Abdul`: the list put the compound's second
/// half first, as a family name), its first word that is not a particle.
pub(crate) fn compound_flags(texts: &[&str]) -> Vec<u8> {
    let n = texts.len();
    let mut flags: Vec<u8> = (0..n)
        .map(|i| {
            let after_abd = i >= 1 && texts[i - 1] == "abd" && texts[i] != "al";
            let after_abd_al = i >= 2 && texts[i - 2] == "abd" && texts[i - 1] == "al";
            if after_abd || after_abd_al {
                FLAG_COMPOUND
            } else {
                0
            }
        })
        .collect();
    let ends_open = n >= 2
        && (texts[n - 1] == "abd" || (n >= 3 && texts[n - 2] == "abd" && texts[n - 1] == "al"));
    let particle = |t: &str| matches!(t, "al" | "el" | "abd" | "bin" | "ibn" | "abu");
    let mut core = (0..n).filter(|&i| !particle(texts[i]));
    if ends_open
        && let (Some(first), None) = (core.next(), core.next())
        && first + 2 < n
    {
        flags[first] |= FLAG_COMPOUND;
    }
    if texts.contains(&"abd") {
        for f in &mut flags {
            *f |= FLAG_NAME_HAS_ABD;
        }
    }
    flags
}

fn ratio(d: usize, a: usize, b: usize) -> f32 {
    let m = a.max(b).max(1);
    1.0 - d as f32 / m as f32
}

/// Similarity of two spellings `d` edits apart: an edit costs more in a short word (one edit
/// in a ten-letter name is a typo, in a five-letter name it may be another name).
pub(crate) fn edit_similarity(d: usize, a: usize, b: usize) -> f32 {
    damage_similarity(d as f32, a, b)
}

/// [`edit_similarity`] for a [`damage_distance`].
pub(crate) fn damage_similarity(d: f32, a: usize, b: usize) -> f32 {
    let len = a.max(b).max(1) as f32;
    let per_edit = (1.6 / len).max(0.12);
    (1.0 - per_edit * d).max(0.0)
}

/// How similar two words are, and how they met. `0.0` when they do not.
pub(crate) fn word_similarity(q: &WordView, c: &WordView) -> (f32, WordMethod) {
    if q.role == TokenRole::Honorific || c.role == TokenRole::Honorific {
        // A title read as a name on one side (`ABD AL-NASIR, Hajji`; حجي for Haji, in Arabic
        // script) still meets itself.
        let same = q.role != c.role
            && (q.text == c.text
                || (q.vowelless || c.vowelless)
                    && q.skeleton_text.len() >= 2
                    && q.skeleton_text == c.skeleton_text);
        return (if same { 1.0 } else { 0.0 }, WordMethod::Exact);
    }
    let (qa, ca) = (q.text.as_bytes(), c.text.as_bytes());
    if q.legal_form.is_some() || c.legal_form.is_some() {
        return match (q.legal_form, c.legal_form) {
            (Some(a), Some(b)) if a == b => (1.0, WordMethod::LegalForm),
            _ if qa == ca => (1.0, WordMethod::Exact),
            // A truncated field: "TARDIGRADE LIMIT" for "TARDIGRADE LIMITED".
            (None, Some(_)) if qa.len() >= 3 && ca.len() > qa.len() && ca.starts_with(qa) => {
                (SIM_TRUNCATED, WordMethod::Truncated)
            }
            _ => (0.0, WordMethod::LegalForm),
        };
    }
    // A particle (al, bin, abd) meets only itself: `al` is not `Ali`.
    if (q.role == TokenRole::Particle) != (c.role == TokenRole::Particle)
        && qa != ca
        && q.role != TokenRole::Initial
        && c.role != TokenRole::Initial
    {
        return (0.0, WordMethod::Exact);
    }
    let (sim, method) = base_similarity(q, c, qa, ca);
    // What the pair earns: weak similarities count for less than their value, then the
    // role factors apply.
    let mut sim = credit(sim);
    if sim > 0.0 {
        let qp = q.role == TokenRole::Patronymic;
        let cp = c.role == TokenRole::Patronymic;
        // A father's name is not the person's name, unless the other word is shaped like a
        // patronymic too (a family name such as Piatkevich read as one).
        let other_shaped = if qp {
            c.flags & FLAG_PATRONYMIC_SHAPE != 0
        } else {
            q.flags & FLAG_PATRONYMIC_SHAPE != 0
        };
        if qp != cp
            && !other_shaped
            && !(q.role == TokenRole::Initial || c.role == TokenRole::Initial)
        {
            sim *= PATRONYMIC_CROSS;
        }
        // Karim is not Abd al-Karim; but when the other name has an `abd` of its own
        // (Abdul SHARIKH for AL-SHARIKH, Abd al-Mohsen), the compounds may just be cut
        // differently.
        let plain_side = if q.flags & FLAG_COMPOUND != 0 { c } else { q };
        if (q.flags ^ c.flags) & FLAG_COMPOUND != 0
            && plain_side.flags & FLAG_NAME_HAS_ABD == 0
            && q.role != TokenRole::Particle
            && q.role != TokenRole::Initial
            && c.role != TokenRole::Initial
        {
            sim *= COMPOUND_CROSS;
        }
    }
    (sim, method)
}

fn base_similarity(q: &WordView, c: &WordView, qa: &[u8], ca: &[u8]) -> (f32, WordMethod) {
    if qa == ca {
        return (1.0, WordMethod::Exact);
    }
    // Initials.
    // An `abd` that stands for a whole compound (`AL-SHARIKH, Abdul`) meets the compound.
    let abd_initial = |w: &WordView, t: &[u8]| w.role == TokenRole::Initial && t == b"abd";
    if abd_initial(q, qa) || abd_initial(c, ca) {
        let other = if abd_initial(q, qa) { (c, ca) } else { (q, qa) };
        let meets = other.0.flags & FLAG_COMPOUND != 0 || other.1 == b"a";
        return if meets {
            (SIM_INITIAL, WordMethod::Initial)
        } else {
            (0.0, WordMethod::Initial)
        };
    }
    if qa.len() == 1 || ca.len() == 1 {
        // The initial of an `abd al-` compound is A (A. BASAL for BASAL, Abd al-Rahman).
        let initial_of = |w: &WordView, t: &[u8]| {
            if w.flags & FLAG_COMPOUND != 0 {
                Some(b'a')
            } else {
                t.first().copied()
            }
        };
        let same = if qa.len() == 1 {
            qa.first().copied() == initial_of(c, ca) || qa.first() == ca.first()
        } else {
            ca.first().copied() == initial_of(q, qa) || qa.first() == ca.first()
        };
        if !q.vowelless && !c.vowelless && same {
            return (SIM_INITIAL, WordMethod::Initial);
        }
        return (0.0, WordMethod::Initial);
    }
    if q.vowelless || c.vowelless {
        // A common name written in Arabic script (محمد) is read with its usual vowels and
        // meets its class (Muhammad ≈ Mohamed) before the consonants are compared.
        if q.class != NONE && q.class == c.class {
            return (SIM_EQUIVALENT, WordMethod::Equivalent);
        }
        // A Latin `-ah`/`-eh` ends in ta marbuta (Hamzah, no h in the skeleton) or in ح/ه
        // (Faleh, Saleh): accept a skeleton that differs by that final h.
        // The other way round, Arabic script writes ta marbuta as ه (القاعده, Qaida).
        let final_h = |a: &WordView, b: &WordView| {
            let (sa, sb) = (a.skeleton_text, b.skeleton_text);
            sb.len() == sa.len() + 1
                && sb.ends_with('h')
                && sb.starts_with(sa)
                && sa.len() >= 2
                && (a.text.ends_with('h') || b.vowelless)
        };
        if q.skeleton != NONE && q.skeleton == c.skeleton || final_h(q, c) || final_h(c, q) {
            // Two consonants (Haq, Ali) say less than three.
            let short = q.skeleton_text.len() <= 2;
            return (if short { 0.8 } else { SIM_SKELETON }, WordMethod::Skeleton);
        }
        let (qs, cs) = (q.skeleton_text, c.skeleton_text);
        if qs.len() >= 3 && cs.len() >= 3 {
            let d = osa_distance(qs.as_bytes(), cs.as_bytes(), 1);
            if d <= 1 {
                return (
                    0.72 + 0.08 * (qs.len().min(cs.len()) as f32 - 3.0).clamp(0.0, 1.0),
                    WordMethod::Skeleton,
                );
            }
        }
        return (0.0, WordMethod::Skeleton);
    }
    if q.class != NONE && q.class == c.class {
        return (SIM_EQUIVALENT, WordMethod::Equivalent);
    }
    if q.pclass != NONE && q.pclass == c.pclass {
        return (SIM_EQUIVALENT, WordMethod::Equivalent);
    }
    if q.key != NONE && (q.key == c.key || q.key == c.key2)
        || q.key2 != NONE && (q.key2 == c.key || q.key2 == c.key2)
    {
        // A short key says little when the words start differently (Sang / Chang).
        let short = q.key_text.len().min(c.key_text.len()) <= 4 && qa[0] != ca[0];
        return (
            if short { 0.8 } else { SIM_ROMANISATION },
            WordMethod::Romanisation,
        );
    }
    let max = crate::vocab::max_edits(qa.len().max(ca.len())) + 1;
    // Two letters OCR reads as one count as two plain edits: allow one more here.
    let d = if mask_bound(q.letters, c.letters) > max + 1 {
        max + 2
    } else {
        osa_distance(qa, ca, max + 1)
    };
    let mut best = (0.0f32, WordMethod::Fuzzy);
    if d <= max + 1 {
        let wd = damage_distance(qa, ca);
        if wd <= max as f32 {
            best = (damage_similarity(wd, qa.len(), ca.len()), WordMethod::Fuzzy);
        }
    }
    // The same distance between romanisation keys: "szwied" and "shved" differ by one letter
    // once "sz" and "sh" are both read as the same sound; a vowel more or less in a key costs
    // half an edit.
    if best.0 < 0.85 && mask_bound(q.key_letters, c.key_letters) <= 2 {
        for qk in [q.key_text, q.key2_text] {
            for ck in [c.key_text, c.key2_text] {
                let (qk, ck) = (qk.as_bytes(), ck.as_bytes());
                if qk.len() < 4 || ck.len() < 4 {
                    continue;
                }
                let kmax = crate::vocab::max_edits(qk.len().max(ck.len())).max(1);
                let kd = osa_distance(qk, ck, kmax);
                if kd <= kmax {
                    let wd = key_damage_distance(qk, ck);
                    let s = damage_similarity(wd, qk.len(), ck.len()) * 0.97;
                    if s > best.0 {
                        best = (s, WordMethod::Romanisation);
                    }
                }
            }
        }
    }
    let dm_equal = q.dm.iter().any(|d| *d != NONE && c.dm.contains(d));
    if dm_equal && best.0 < SIM_PHONETIC {
        // Double Metaphone is coarse on short words (Amir/Omar, Jason/Yasin): ask for a similar
        // spelling, and for short words the same first letter.
        let d = osa_distance(qa, ca, qa.len().max(ca.len()));
        let short = qa.len().min(ca.len()) <= 6;
        let sim = match qa.len().min(ca.len()) {
            0..=3 => SIM_PHONETIC_SHORT - 0.06,
            4 => SIM_PHONETIC_SHORT,
            _ => SIM_PHONETIC,
        };
        if ratio(d, qa.len(), ca.len()) > 0.6 && (!short || qa[0] == ca[0]) && sim > best.0 {
            best = (sim, WordMethod::Phonetic);
        }
    }
    if best.0 < SIM_TRUNCATED {
        // A word cut short: the query's last word (a field too short for the name) from three
        // letters, any other word from four, and by at most half unless it is the last.
        let last = q.flags & FLAG_LAST != 0;
        if qa.len() < ca.len() && ca.starts_with(qa) {
            let (n, m) = (qa.len(), ca.len());
            let sim = if n >= 4 && n * 2 >= m {
                SIM_TRUNCATED
            } else if last && n >= 3 {
                SIM_TRUNCATED - 0.07
            } else {
                0.0
            };
            if sim > best.0 {
                best = (sim, WordMethod::Truncated);
            }
        } else if ca.len() < qa.len()
            && qa.starts_with(ca)
            && ca.len() >= 4
            && ca.len() * 2 >= qa.len()
        {
            best = (SIM_TRUNCATED, WordMethod::Truncated);
        }
    }
    if best.0 < 0.8 {
        // Dropped vowels: "Lkshnk" for "Lukashenka", "Blta" for "Balita": the query word is
        // the listed word without some of its vowels and has few vowels left; the more
        // consonants agree, the surer.
        let vowel = |b: &u8| b"aeiouy".contains(b);
        let consonants = qa.iter().filter(|b| !vowel(b)).count();
        let vowels = qa.len() - consonants;
        if consonants >= 3
            && vowels <= (qa.len() / 5).max(1)
            && qa.len() < ca.len()
            && only_vowels_dropped(qa, ca)
        {
            best = (
                (0.76 + 0.02 * consonants as f32).clamp(0.8, 0.88),
                WordMethod::Skeleton,
            );
        }
    }
    if best.0 < MIN_WORD_SIM {
        return (0.0, best.1);
    }
    best
}

/// Whether `short` is `long` with some of its vowels left out.
fn only_vowels_dropped(short: &[u8], long: &[u8]) -> bool {
    let mut i = 0;
    for &c in long {
        if i < short.len() && short[i] == c {
            i += 1;
        } else if !b"aeiouy".contains(&c) {
            return false;
        }
    }
    i == short.len()
}

/// How much a word of a role counts when it is aligned.
pub(crate) fn matched_weight(role: TokenRole) -> f32 {
    match role {
        TokenRole::Name | TokenRole::Given | TokenRole::Family => 1.0,
        TokenRole::Middle => 0.8,
        TokenRole::Patronymic => 0.6,
        TokenRole::Initial => 0.4,
        TokenRole::Particle => 0.05,
        TokenRole::LegalForm => 0.15,
        TokenRole::Generational => 0.1,
        TokenRole::Honorific => 0.0,
    }
}

/// How much a query word counts when the listed name lacks it.
pub(crate) fn unmatched_query_weight(role: TokenRole) -> f32 {
    match role {
        TokenRole::Name | TokenRole::Given | TokenRole::Family => 1.0,
        TokenRole::Middle => 0.5,
        TokenRole::Patronymic => 0.4,
        TokenRole::Initial => 0.3,
        TokenRole::Particle => 0.05,
        TokenRole::LegalForm => 0.1,
        TokenRole::Generational => 0.05,
        TokenRole::Honorific => 0.0,
    }
}

/// How much a listed word counts when the query lacks it: a missing middle name or
/// patronymic is normal, a missing family name is not.
pub(crate) fn unmatched_listed_weight(role: TokenRole) -> f32 {
    match role {
        TokenRole::Name | TokenRole::Given | TokenRole::Family => 1.0,
        TokenRole::Middle => 0.35,
        TokenRole::Patronymic => 0.25,
        TokenRole::Initial => 0.3,
        TokenRole::Particle => 0.05,
        TokenRole::LegalForm => 0.1,
        TokenRole::Generational => 0.05,
        TokenRole::Honorific => 0.0,
    }
}

fn rarity_applies(role: TokenRole) -> bool {
    matches!(
        role,
        TokenRole::Name | TokenRole::Given | TokenRole::Family | TokenRole::Middle
    )
}

/// One aligned pair of words.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Aligned {
    pub q: u8,
    pub c: u8,
    /// For a joined match, the second query word (or listed word, see `joined_listed`).
    pub q2: Option<u8>,
    pub c2: Option<u8>,
    pub sim: f32,
    pub method: WordMethod,
}

/// The alignment of a query name with a listed name and its score.
#[derive(Debug, Clone, Default)]
pub(crate) struct Alignment {
    pub score: f32,
    pub pairs: Vec<Aligned>,
}

/// At most this many words per name are compared (longer names are rare and cut).
pub(crate) const MAX_WORDS: usize = 24;

/// Align the words of a query name with those of a listed name and score the alignment:
/// the weighted share of both names' words that found a counterpart, each counted by its
/// similarity. `with_pairs` keeps the alignment for the explanation.
/// Word similarities already computed during one search: the same query word meets the same
/// listed word in many candidate names.
pub(crate) type SimCache = rustc_hash::FxHashMap<u64, (f32, WordMethod)>;

fn role_code(r: TokenRole) -> u8 {
    // The similarity depends on the roles only through the patronymic cross factor and
    // honorifics/legal forms; key the cache on the role.
    r as u8
}

/// A candidate pairing: weighted similarity, query words, listed words, method. A split
/// pairing covers words first..=last on its split side (the article between them included).
#[derive(Clone, Copy)]
pub(crate) struct Cand {
    w: f32,
    sim: f32,
    q: (u8, u8),
    c: (u8, u8),
    method: WordMethod,
}

/// Buffers [`align`] reuses from one call to the next within a search.
#[derive(Default)]
pub(crate) struct AlignScratch {
    cand: Vec<Cand>,
    joined: Vec<(f32, u8, u8, u8, bool)>,
}

pub(crate) fn align(
    q: &[WordView],
    c: &[WordView],
    with_pairs: bool,
    cache: &mut SimCache,
    scratch: &mut AlignScratch,
) -> Alignment {
    let nq = q.len().min(MAX_WORDS);
    let nc = c.len().min(MAX_WORDS);
    let AlignScratch { cand, joined } = scratch;
    cand.clear();
    joined.clear();
    for (i, qw) in q.iter().enumerate().take(nq) {
        for (j, cw) in c.iter().enumerate().take(nc) {
            // Query word (its per-query number), listed word, both roles and flags, packed.
            let qidx = qw.id & 0x7fff_ffff;
            let key = u64::from(cw.id)
                | u64::from(qidx & 0xfff) << 32
                | u64::from(role_code(qw.role) << 4 | role_code(cw.role)) << 44
                | u64::from(qw.flags & 0xf) << 52
                | u64::from(cw.flags & 0xf) << 56;
            let (s, m) = match cache.get(&key) {
                Some(v) if qidx < 0x1000 => *v,
                _ => {
                    let v = word_similarity(qw, cw);
                    cache.insert(key, v);
                    v
                }
            };
            if s > 0.0 {
                let w = s * (pair_weight(qw) + pair_weight(cw));
                cand.push(Cand {
                    w,
                    sim: s,
                    q: (i as u8, i as u8),
                    c: (j as u8, j as u8),
                    method: m,
                });
            }
        }
    }
    // Joined words only matter when some word found no good counterpart of its own.
    let well_matched = |side_q: bool, k: usize| {
        cand.iter().any(|x| {
            x.sim >= 0.9
                && if side_q {
                    x.q.0 as usize == k
                } else {
                    x.c.0 as usize == k
                }
        })
    };
    if (0..nq).any(|i| !well_matched(true, i)) || (0..nc).any(|j| !well_matched(false, j)) {
        joined_candidates(q, c, nq, nc, joined);
    }
    for &(sim, first, last, other, split_is_query) in joined.iter() {
        let span_weight = |side: &[WordView]| -> f32 {
            (first..=last).map(|k| pair_weight(&side[k as usize])).sum()
        };
        let (qs, cs, w) = if split_is_query {
            (
                (first, last),
                (other, other),
                credit(sim) * (span_weight(q) + pair_weight(&c[other as usize])),
            )
        } else {
            (
                (other, other),
                (first, last),
                credit(sim) * (span_weight(c) + pair_weight(&q[other as usize])),
            )
        };
        cand.push(Cand {
            w,
            sim,
            q: qs,
            c: cs,
            method: WordMethod::Joined,
        });
    }
    cand.sort_unstable_by(|a, b| b.w.total_cmp(&a.w));
    let mut q_used = [false; MAX_WORDS];
    let mut c_used = [false; MAX_WORDS];
    let mut pairs: Vec<Aligned> = if with_pairs {
        Vec::with_capacity(nq.max(nc))
    } else {
        Vec::new()
    };
    let mut gained = 0.0f32;
    let mut core_matched = false;
    for &k in cand.iter() {
        let qr = k.q.0 as usize..=k.q.1 as usize;
        let cr = k.c.0 as usize..=k.c.1 as usize;
        if qr.clone().any(|i| q_used[i]) || cr.clone().any(|j| c_used[j]) {
            continue;
        }
        for i in qr.clone() {
            q_used[i] = true;
        }
        for j in cr.clone() {
            c_used[j] = true;
        }
        gained += k.w;
        if k.sim >= 0.7
            && qr.clone().any(|i| {
                q[i].role.is_core()
                    || q[i].role == TokenRole::Middle
                    || k.method == WordMethod::Joined
            })
        {
            core_matched = true;
        }
        if with_pairs {
            pairs.push(Aligned {
                q: k.q.0,
                c: k.c.0,
                q2: (k.q.1 != k.q.0).then_some(k.q.1),
                c2: (k.c.1 != k.c.0).then_some(k.c.1),
                sim: k.sim,
                method: k.method,
            });
        }
    }
    // A middle name or patronymic missing on one side is normal; one on each side that do not
    // meet are two different names (Kim Min-jun is not Kim Min Chol), and count as such.
    let unmatched_name = |words: &[WordView], used: &[bool], n: usize| {
        (0..n).any(|k| {
            !used[k]
                && matches!(
                    words[k].role,
                    TokenRole::Name
                        | TokenRole::Given
                        | TokenRole::Family
                        | TokenRole::Middle
                        | TokenRole::Patronymic
                )
        })
    };
    let conflict = unmatched_name(q, &q_used, nq) && unmatched_name(c, &c_used, nc);
    let mut total = 0.0f32;
    for (i, w) in q.iter().enumerate().take(nq) {
        total += if q_used[i] {
            pair_weight(w)
        } else {
            unmatched_weight(w, true, conflict)
        };
    }
    for (j, w) in c.iter().enumerate().take(nc) {
        total += if c_used[j] {
            pair_weight(w)
        } else {
            unmatched_weight(w, false, conflict)
        };
    }
    let score = if core_matched && total > 0.0 {
        (gained / total).min(1.0)
    } else {
        0.0
    };
    Alignment { score, pairs }
}

fn pair_weight(w: &WordView) -> f32 {
    let base = matched_weight(w.role);
    if rarity_applies(w.role) {
        base * (0.4 + 0.6 * w.rarity)
    } else {
        base
    }
}

/// Weight of an unmatched middle name or patronymic when the other side has an unmatched
/// name too.
const CONFLICTING_MIDDLE: f32 = 0.9;

fn unmatched_weight(w: &WordView, query: bool, conflict: bool) -> f32 {
    let base = if conflict && matches!(w.role, TokenRole::Middle | TokenRole::Patronymic) {
        CONFLICTING_MIDDLE
    } else if query {
        unmatched_query_weight(w.role)
    } else {
        unmatched_listed_weight(w.role)
    };
    // A missing word is evidence against whether it is common or rare: rarity discounts it
    // less than a matched word.
    if rarity_applies(w.role) {
        base * (0.7 + 0.3 * w.rarity)
    } else {
        base
    }
}

/// Two adjacent words on one side (or two around the article `al`) that are one word on the
/// other: `Jin Ping` / `Jinping`, `Jalal al-Din` / `Jalaluddin`, `هدايت الله` / `Hidayatullah`.
/// Returns (first, last, other-side word, similarity); `a_is_query` tells which side is split.
fn joined_candidates(
    q: &[WordView],
    c: &[WordView],
    nq: usize,
    nc: usize,
    out: &mut Vec<(f32, u8, u8, u8, bool)>,
) {
    let mut buf = String::new();
    for (a, b, na, nb, a_is_query) in [(q, c, nq, nc, true), (c, q, nc, nq, false)] {
        for i in 0..na.saturating_sub(1) {
            for last in [i + 1, i + 2] {
                if last >= na || (last == i + 2 && a[i + 1].text != "al") {
                    continue;
                }
                let joinable = |w: &WordView| {
                    w.text.len() >= 2
                        && matches!(
                            w.role,
                            TokenRole::Name
                                | TokenRole::Given
                                | TokenRole::Family
                                | TokenRole::Middle
                                | TokenRole::Particle
                        )
                };
                if !joinable(&a[i]) || !joinable(&a[last]) {
                    continue;
                }
                buf.clear();
                buf.push_str(a[i].text);
                buf.push_str(a[last].text);
                let abjad = a[i].vowelless || a[last].vowelless;
                // The skeletons of the joined word, with and (around the article) without it
                // (bin al-Shibh / Binalshibh), computed only for a word that may be them.
                let mut skeletons: Option<(String, String)> = None;
                let (sa, sl) = (a[i].skeleton_text, a[last].skeleton_text);
                let expected = sa.len() + sl.len();
                for (j, bw) in b.iter().enumerate().take(nb) {
                    let bt = bw.text.as_bytes();
                    if bt.len() < 5 {
                        continue;
                    }
                    if !abjad
                        && !bw.vowelless
                        && (bt.len().abs_diff(buf.len()) > 2 || bt[0] != buf.as_bytes()[0])
                    {
                        continue;
                    }
                    let sim = if abjad || bw.vowelless {
                        let sb = bw.skeleton_text;
                        if sb.len() + 2 < expected
                            || sb.len() > expected + 2
                            || sa.as_bytes().first() != sb.as_bytes().first()
                        {
                            continue;
                        }
                        let (joined, with_article) = skeletons.get_or_insert_with(|| {
                            let joined = interdict_names::keys::consonant_skeleton(&buf);
                            let with_article = if last == i + 2 {
                                interdict_names::keys::consonant_skeleton(&format!(
                                    "{}al{}",
                                    a[i].text, a[last].text
                                ))
                            } else {
                                String::new()
                            };
                            (joined, with_article)
                        });
                        // The article is heard only before a moon letter (Abd al-Qadir /
                        // Abdulqadir); before a sun letter it becomes that letter (Sa'd
                        // al-Din / Saduddin), and only then may the joined word lack it.
                        let sun = a[last]
                            .text
                            .bytes()
                            .next()
                            .is_some_and(|c| b"tdrzsnl".contains(&c));
                        let drops_article = last == i + 1 || sun;
                        if joined.len() >= 3 && drops_article && joined == sb
                            || with_article.len() >= 4 && with_article == sb
                        {
                            SIM_SKELETON * 0.97
                        } else {
                            continue;
                        }
                    } else {
                        let max = crate::vocab::max_edits(buf.len());
                        let d = osa_distance(buf.as_bytes(), bt, max);
                        if d > max {
                            continue;
                        }
                        edit_similarity(d, buf.len(), bt.len()) * 0.97
                    };
                    if sim >= 0.84 {
                        out.push((sim, i as u8, last as u8, j as u8, a_is_query));
                    }
                }
            }
        }
    }
}

/// Rarity factor of a word that occurs in `df` of `names` indexed names: 1 for rare words,
/// falling towards 0.35 for words in a large share of names (Mohammed, Company, Trading).
pub(crate) fn rarity(df: u32, names: usize) -> f32 {
    let df0 = (names as f32 / 2000.0).max(3.0);
    let x = 1.0 / (1.0 + 0.5 * (1.0 + df as f32 / df0).log10());
    x.clamp(0.35, 1.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn osa() {
        assert_eq!(osa_distance(b"lukashenko", b"lukashenka", 2), 1);
        assert_eq!(osa_distance(b"lukashenko", b"lukahsenko", 2), 1);
        assert_eq!(osa_distance(b"abc", b"xyz", 1), 2);
        assert_eq!(osa_distance(b"", b"abc", 5), 3);
        let long = vec![b'a'; 60];
        let mut other = long.clone();
        other[3] = b'b';
        assert_eq!(osa_distance(&long, &other, 3), 1);
    }

    #[test]
    fn bit_parallel_osa_agrees_with_the_table() {
        let words: &[&[u8]] = &[
            b"lukashenko",
            b"lukashenka",
            b"lukahsenko",
            b"loukachenko",
            b"aleksandr",
            b"alexander",
            b"gilda",
            b"iglda",
            b"abc",
            b"ca",
            b"muhammad",
            b"mhmd",
            b"x1z",
        ];
        for a in words {
            for b in words {
                let bits = osa_bits(a, b).unwrap();
                assert_eq!(bits, osa_long(a, b), "{:?} {:?}", a, b);
            }
        }
        assert_eq!(osa_bits(b"ab", b"a-b"), None);
    }

    #[test]
    fn damage_costs() {
        assert!((damage_distance(b"mohammed", b"mohamed") - 0.4).abs() < 1e-6);
        assert!((damage_distance(b"narirnan", b"nariman") - 0.5).abs() < 1e-6);
        assert!((damage_distance(b"gilda", b"iglda") - 0.6).abs() < 1e-6);
        assert!((damage_distance(b"azlz", b"aziz") - 0.5).abs() < 1e-6);
        assert!((damage_distance(b"savin", b"saviz") - 1.0).abs() < 1e-6);
        assert!((key_damage_distance(b"svied", b"sved") - 0.5).abs() < 1e-6);
    }

    #[test]
    fn rarity_falls_with_frequency() {
        assert!(rarity(1, 30_000) > 0.9);
        assert!(rarity(1_500, 30_000) < 0.6);
        assert!(rarity(1_000_000, 30_000) >= 0.35);
    }
}
