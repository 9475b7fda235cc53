//! Stable entity ids in the OpenSanctions style.

use sha2::{Digest, Sha256};

/// A derived id for an entity that the source does not number itself (an address, a passport,
/// a sanction record): `prefix-` followed by a hash of the parts that make it unique, so the same
/// input always gives the same id across imports.
pub fn derived_id(prefix: &str, parts: &[&str]) -> String {
    let mut h = Sha256::new();
    for p in parts {
        h.update(p.as_bytes());
        h.update([0x1f]);
    }
    let digest = h.finalize();
    format!("{prefix}-{}", hex::encode(&digest[..10]))
}

/// A lower-case slug of letters, digits and dashes (`UN QDi.237` → `un-qdi-237`).
pub fn slug(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    while out.ends_with('-') {
        out.pop();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_stable() {
        assert_eq!(
            derived_id("ofac-addr", &["9760", "Minsk"]),
            derived_id("ofac-addr", &["9760", "Minsk"])
        );
        assert_ne!(
            derived_id("ofac-addr", &["9760", "Minsk"]),
            derived_id("ofac-addr", &["9760Minsk"])
        );
        assert_eq!(slug("QDi.237 "), "qdi-237");
        assert_eq!(slug("EU.123.45"), "eu-123-45");
    }
}
