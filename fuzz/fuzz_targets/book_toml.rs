//! book.toml: read or refused with a diagnostic inside the file, never a panic.
#![no_main]
#[path = "../../tests/properties/checks.rs"]
mod checks;
#[path = "../../tests/properties/cases.rs"]
mod cases;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    if let Err(e) = cases::book_toml(data) {
        panic!("{e}");
    }
});
