//! Fuzz the dealing readers: no input may panic, whatever format it claims to be, and a dealing
//! read from any format must survive a round trip through its JSON form unchanged.
//!
//! Seed with the scenario inputs: `cargo +nightly fuzz run dealings /tmp/dealings-corpus
//! examples/decisions`.
#![no_main]

use interdict_dealings::{InputFormat, Tz, read, read_all, read_json, to_json};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let zone: Option<Tz> = Some(interdict_dealings::Tz::America__New_York);
    let _ = read_all(data, None, None);
    for hint in [InputFormat::Pacs008, InputFormat::Mt103, InputFormat::Json] {
        if let Ok(dealing) = read(data, Some(hint), zone) {
            let json = to_json(&dealing);
            match read_json(json.as_bytes(), None) {
                Ok(again) => assert_eq!(dealing, again, "round trip changed the dealing:\n{json}"),
                Err(e) => panic!("its own JSON form was refused: {e}\n{json}"),
            }
        }
    }
});
