//! Fuzz the FollowTheMoney JSON lines and delta importer: any bytes must give records or an
//! `ImportError`, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let bytes = data.to_vec();
    if let Ok(import) = interdict_lists::ftm::read_bytes("entities.ftm.json", bytes, "fuzz") {
        for record in import {
            if record.is_err() {
                break;
            }
        }
    }
});
