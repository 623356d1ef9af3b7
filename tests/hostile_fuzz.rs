//! The whole-site fuzz target's property, run as a bounded deterministic loop on stable Rust
//! (the fuzz target itself needs cargo-fuzz; see fuzz/README.md): sites made from the seed
//! inputs and from mutations of them, chosen by a fixed pseudo-random sequence, build to a
//! site or to diagnostics, never a panic or an output error, and `check` agrees with `build`.

#[path = "../fuzz/site_from_bytes.rs"]
mod site_from_bytes;

use std::path::Path;

/// Pieces the mutations insert: the syntax of front matter, wikilinks and Markdown.
const TOKENS: &[&str] = &[
    "---\n",
    "title: ",
    "date: 0000-01-01",
    "tags: [",
    "]",
    "aliases: [atom.xml]",
    "slug: ",
    "series: 入门\n",
    "order: 1\n",
    "events: [{date: 1925, title: 成立}]",
    "definition: ",
    "synonyms: [",
    "[[",
    "]]",
    "|",
    "#",
    "&lt;",
    "&#x6A;",
    "\u{b}",
    "\r",
    "\n",
    "```md\n",
    "<script>",
    "<svg onload=x>",
    "javascript:",
    "[a](",
    ")",
    "![",
    "文0",
    "术语2",
    "\u{1b}",
    "\u{FDFA}",
    "search/config.js",
    "> ",
    "- ",
    "1. ",
    "\u{ff}",
];

/// xorshift64*: a fixed sequence, so a failure names the step that found it.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

fn mutate(seed: &[u8], rng: &mut Rng) -> Vec<u8> {
    let mut data = seed.to_vec();
    for _ in 0..1 + rng.below(6) {
        let at = rng.below(data.len() + 1);
        match rng.below(4) {
            0 => {
                let token = TOKENS[rng.below(TOKENS.len())].as_bytes();
                data.splice(at..at, token.iter().copied());
            }
            1 if at < data.len() => {
                let end = (at + 1 + rng.below(16)).min(data.len());
                data.drain(at..end);
            }
            2 if at < data.len() => data[at] = rng.next() as u8,
            _ => {
                // Repeat a slice: long fields and many links.
                let end = (at + rng.below(12)).min(data.len());
                let piece = data[at..end].repeat(1 + rng.below(40));
                data.splice(at..at, piece);
            }
        }
    }
    data
}

#[test]
fn small_sites_from_mutated_seeds_build_or_explain_and_check_agrees() {
    let seeds_dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/seeds/site");
    let mut seeds: Vec<Vec<u8>> = std::fs::read_dir(&seeds_dir)
        .expect("fuzz/seeds/site")
        .map(|e| std::fs::read(e.expect("entry").path()).expect("seed"))
        .collect();
    seeds.sort();
    assert!(seeds.len() >= 3, "the seeds are there");
    for seed in &seeds {
        site_from_bytes::check(seed);
    }
    // GONGDU_FUZZ_STEPS runs a longer sequence by hand; the suite runs 25 steps (a
    // step builds a site twice, about a second in a debug build).
    let steps: usize = std::env::var("GONGDU_FUZZ_STEPS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(25);
    let mut rng = Rng(0x676f_6e67_6475);
    for step in 0..steps {
        let seed = &seeds[rng.below(seeds.len())];
        let input = mutate(seed, &mut rng);
        let outcome = std::panic::catch_unwind(|| site_from_bytes::check(&input));
        if outcome.is_err() {
            panic!(
                "step {step}: the site from {:?} broke the build (see the panic above)",
                String::from_utf8_lossy(&input)
            );
        }
    }
}
