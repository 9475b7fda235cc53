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
/// Similarity of a truncated word.
pub const SIM_TRUNCATED: f32 = 0.85;
/// Similarity of an initial with the word it stands for.
pub const SIM_INITIAL: f32 = 0.8;
/// Factor on a match between a patronymic and a word that is not one: a father's name is
/// not the person's given name.
pub const PATRONYMIC_CROSS: f32 = 0.45;
/// Words less similar than this are not aligned.
pub const MIN_WORD_SIM: f32 = 0.62;

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
}

fn ratio(d: usize, a: usize, b: usize) -> f32 {
    let m = a.max(b).max(1);
    1.0 - d as f32 / m as f32
}

/// Similarity of two spellings `d` edits apart: an edit costs more in a short word (one edit
/// in a ten-letter name is a typo, in a five-letter name it may be another name).
pub(crate) fn edit_similarity(d: usize, a: usize, b: usize) -> f32 {
    let len = a.max(b).max(1) as f32;
    let per_edit = (1.6 / len).max(0.12);
    (1.0 - per_edit * d as f32).max(0.0)
}

/// How similar two words are, and how they met. `0.0` when they do not.
pub(crate) fn word_similarity(q: &WordView, c: &WordView) -> (f32, WordMethod) {
    if q.role == TokenRole::Honorific || c.role == TokenRole::Honorific {
        return (0.0, WordMethod::Exact);
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
    let (mut sim, method) = base_similarity(q, c, qa, ca);
    if sim > 0.0 {
        let qp = q.role == TokenRole::Patronymic;
        let cp = c.role == TokenRole::Patronymic;
        if qp != cp && !(q.role == TokenRole::Initial || c.role == TokenRole::Initial) {
            sim *= PATRONYMIC_CROSS;
        }
    }
    (sim, method)
}

fn base_similarity(q: &WordView, c: &WordView, qa: &[u8], ca: &[u8]) -> (f32, WordMethod) {
    if qa == ca {
        return (1.0, WordMethod::Exact);
    }
    // Initials.
    if qa.len() == 1 || ca.len() == 1 {
        if !q.vowelless && !c.vowelless && qa.first() == ca.first() {
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
        if q.skeleton != NONE && q.skeleton == c.skeleton {
            let short = q.text.len().min(c.text.len()) <= 2;
            return (
                if short { 0.75 } else { SIM_SKELETON },
                WordMethod::Skeleton,
            );
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
        return (SIM_ROMANISATION, WordMethod::Romanisation);
    }
    let max = crate::vocab::max_edits(qa.len().max(ca.len())) + 1;
    let d = osa_distance(qa, ca, max);
    let mut best = (0.0f32, WordMethod::Fuzzy);
    if d <= max {
        best = (edit_similarity(d, qa.len(), ca.len()), WordMethod::Fuzzy);
    }
    // The same distance between romanisation keys: "szwied" and "shved" differ by one letter
    // once "sz" and "sh" are both read as the same sound.
    if best.0 < 0.85 {
        for qk in [q.key_text, q.key2_text] {
            for ck in [c.key_text, c.key2_text] {
                let (qk, ck) = (qk.as_bytes(), ck.as_bytes());
                if qk.is_empty() || ck.is_empty() {
                    continue;
                }
                let kmax = crate::vocab::max_edits(qk.len().max(ck.len())).max(1);
                let kd = osa_distance(qk, ck, kmax);
                if kd <= kmax {
                    let s = edit_similarity(kd, qk.len(), ck.len()) * 0.97;
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
        if ratio(d, qa.len(), ca.len()) > 0.6 && (!short || qa[0] == ca[0]) {
            best = (SIM_PHONETIC, WordMethod::Phonetic);
        }
    }
    if best.0 < SIM_TRUNCATED {
        let (short, long) = if qa.len() < ca.len() {
            (qa, ca)
        } else {
            (ca, qa)
        };
        if short.len() >= 4 && long.starts_with(short) && short.len() * 2 >= long.len() {
            best = (SIM_TRUNCATED, WordMethod::Truncated);
        }
    }
    if best.0 < 0.8 && q.skeleton != NONE && q.skeleton == c.skeleton {
        // Dropped vowels: "Lkshnk" for "Lukashenka".
        let ql = qa.iter().filter(|b| !b"aeiouy".contains(b)).count();
        if ql * 10 >= qa.len() * 8 && qa.len() >= 3 {
            best = (0.82, WordMethod::Skeleton);
        }
    }
    if best.0 < MIN_WORD_SIM {
        return (0.0, best.1);
    }
    best
}

/// How much a word of a role counts when it is aligned.
pub(crate) fn matched_weight(role: TokenRole) -> f32 {
    match role {
        TokenRole::Name | TokenRole::Given | TokenRole::Family => 1.0,
        TokenRole::Middle => 0.8,
        TokenRole::Patronymic => 0.6,
        TokenRole::Initial => 0.4,
        TokenRole::Particle => 0.2,
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
        TokenRole::Particle => 0.1,
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
        TokenRole::Particle => 0.1,
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
pub(crate) type SimCache = rustc_hash::FxHashMap<(u32, u32, u8), (f32, WordMethod)>;

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
            let key = (qw.id, cw.id, role_code(qw.role) << 4 | role_code(cw.role));
            let (s, m) = match cache.get(&key) {
                Some(v) => *v,
                None => {
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
                sim * (span_weight(q) + pair_weight(&c[other as usize])),
            )
        } else {
            (
                (other, other),
                (first, last),
                sim * (span_weight(c) + pair_weight(&q[other as usize])),
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
    let mut total = 0.0f32;
    for (i, w) in q.iter().enumerate().take(nq) {
        total += if q_used[i] {
            pair_weight(w)
        } else {
            unmatched_weight(w, true)
        };
    }
    for (j, w) in c.iter().enumerate().take(nc) {
        total += if c_used[j] {
            pair_weight(w)
        } else {
            unmatched_weight(w, false)
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

fn unmatched_weight(w: &WordView, query: bool) -> f32 {
    let base = if query {
        unmatched_query_weight(w.role)
    } else {
        unmatched_listed_weight(w.role)
    };
    if rarity_applies(w.role) {
        base * (0.4 + 0.6 * w.rarity)
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
                let joined_skeleton = if abjad || b.iter().any(|w| w.vowelless) {
                    interdict_names::keys::consonant_skeleton(&buf)
                } else {
                    String::new()
                };
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
                        if joined_skeleton.len() >= 3 && joined_skeleton == bw.skeleton_text {
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
    fn rarity_falls_with_frequency() {
        assert!(rarity(1, 30_000) > 0.9);
        assert!(rarity(1_500, 30_000) < 0.6);
        assert!(rarity(1_000_000, 30_000) >= 0.35);
    }
}
