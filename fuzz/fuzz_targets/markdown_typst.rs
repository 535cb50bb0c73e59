//! Markdown → Typst markup: it compiles, reads no file and prints the entry's text.
#![no_main]
#[path = "../../tests/properties/checks.rs"]
mod checks;
#[path = "../../tests/properties/cases.rs"]
mod cases;

libfuzzer_sys::fuzz_target!(init: {
    // libfuzzer-sys's panic hook aborts at once; the default one lets `checks::typst_text`
    // catch Typst's known shaper panic. Any panic the checks let through still ends the run.
    let _ = std::panic::take_hook();
}, |data: &[u8]| {
    if let Err(e) = cases::markdown_typst(data) {
        panic!("{e}");
    }
});
