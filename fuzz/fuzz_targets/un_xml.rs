//! Fuzz the un_xml importer: any bytes must give records or an ImportError, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let path = std::path::Path::new("fuzz.xml");
    if let Ok(records) = interdict_lists::un_xml::read(path, data) {
        for record in records {
            if record.is_err() {
                break;
            }
        }
    }
});
