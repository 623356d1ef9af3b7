//! A whole small site from arbitrary bytes (site.yaml, front matter, bodies, glossary
//! entries, wikilinks), built into a temporary folder: the build ends with a site or with
//! diagnostics, never a panic or an output error, and `check` refuses exactly what `build`
//! refuses. The site is made by `site_from_bytes.rs`, which tests/hostile_fuzz.rs shares.
#![no_main]

#[path = "../site_from_bytes.rs"]
mod site_from_bytes;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    site_from_bytes::check(data);
});
