//! Fuzz the UK OFSI ConList.csv importer: any bytes must give entities or an `ImportError`,
//! never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(import) = interdict_lists::uk_conlist::read_bytes("ConList.csv", data.to_vec()) {
        for record in import {
            if record.is_err() {
                break;
            }
        }
    }
});
