//! One entry file: front matter splitting, YAML reading and field checks report located
//! diagnostics, never a panic.
#![no_main]
#[path = "../../tests/properties/checks.rs"]
mod checks;
#[path = "../../tests/properties/cases.rs"]
mod cases;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    if let Err(e) = cases::front_matter(data) {
        panic!("{e}");
    }
});
