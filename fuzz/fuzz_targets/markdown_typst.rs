//! Markdown → Typst markup: it compiles, reads no file and prints the entry's text.
#![no_main]
#[path = "../../tests/properties/checks.rs"]
mod checks;
#[path = "../../tests/properties/cases.rs"]
mod cases;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    if let Err(e) = cases::markdown_typst(data) {
        panic!("{e}");
    }
});
