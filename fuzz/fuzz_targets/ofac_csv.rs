//! Fuzz the ofac_csv importer: any bytes must give records or an ImportError, never a panic.
//!
//! The input is split at NUL bytes into up to four files of one set, in role order: primary
//! (`sdn.csv`), aliases (`alt.csv`), addresses (`add.csv`) and remark continuations
//! (`sdn_comments.csv`), so the joins between the files are fuzzed too.
#![no_main]

use interdict_lists::ofac_csv::{MemorySet, read_set};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut parts = data.splitn(4, |b| *b == 0);
    let file = |name: &str, bytes: Option<&[u8]>| bytes.map(|b| (name.into(), b.to_vec()));
    let set = MemorySet {
        primary: ("sdn.csv".into(), parts.next().unwrap_or_default().to_vec()),
        aliases: file("alt.csv", parts.next()),
        addresses: file("add.csv", parts.next()),
        comments: file("sdn_comments.csv", parts.next()),
    };
    if let Ok(records) = read_set(set) {
        for record in records {
            if record.is_err() {
                break;
            }
        }
    }
});
