//! Markdown → HTML: no element, attribute or URL that runs script, whatever the entry says.
#![no_main]
#[path = "../../tests/properties/checks.rs"]
mod checks;
#[path = "../../tests/properties/cases.rs"]
mod cases;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    if let Err(e) = cases::markdown_html(data) {
        panic!("{e}");
    }
});
