//! Renders three pages of a generated 1,000-article site (an article, a tag page, a section
//! page; their contexts in `contexts/`, as gongdu built them) with the default theme, with
//! tera 1 and with tera 2, and prints the time per page of each. Rendering is timed apart
//! from making the context: gongdu makes a `serde_json` value per page for tera 1 today, and
//! would serialize its page structs into tera 2's values instead.
//!
//! `python3 prep.py && cargo run --release [renders]`

use std::collections::HashMap;
use std::hint::black_box;
use std::time::{Duration, Instant};

fn templates(version: &str) -> Vec<(String, String)> {
    let dir = format!("target/templates/{version}");
    let mut out = Vec::new();
    for sub in ["", "partials/"] {
        for entry in std::fs::read_dir(format!("{dir}/{sub}")).expect("run prep.py first") {
            let path = entry.expect("a readable folder").path();
            if path.is_file() {
                let name = path.file_name().and_then(|n| n.to_str()).expect("a name");
                let text = std::fs::read_to_string(&path).expect("a template");
                out.push((format!("{sub}{name}"), text));
            }
        }
    }
    out
}

/// gongdu's escaping for tera 1 (`html::escape`): tera 1's own also writes `/` as `&#x2F;`.
fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

/// The theme's `asset(path=…)`, without fingerprints.
struct Asset;

impl tera1::Function for Asset {
    fn call(&self, args: &HashMap<String, tera1::Value>) -> tera1::Result<tera1::Value> {
        Ok(args["path"].clone())
    }
}

fn per_render(renders: u32, mut f: impl FnMut()) -> Duration {
    let start = Instant::now();
    for _ in 0..renders {
        f();
    }
    start.elapsed() / renders
}

fn main() {
    let renders: u32 = std::env::args()
        .nth(1)
        .map_or(2000, |s| s.parse().expect("a count"));
    let mut one = tera1::Tera::default();
    one.set_escape_fn(escape);
    one.register_function("asset", Asset);
    one.add_raw_templates(templates("v1"))
        .expect("tera 1 loads the theme");
    let mut two = tera2::Tera::default();
    two.register_function("asset", |kwargs: tera2::Kwargs, _: &tera2::State| {
        kwargs.must_get::<&str>("path").map(str::to_owned)
    });
    two.add_raw_templates(templates("v2"))
        .expect("tera 2 loads the theme");
    println!("per page, {renders} renders each: tera 1 | tera 2 | ratio | bytes out (1, 2)");
    for name in ["page.html", "taxonomy_term.html", "section.html"] {
        let text = std::fs::read_to_string(format!("contexts/{name}.json")).expect("a context");
        let value: serde_json::Value = serde_json::from_str(&text).expect("JSON");
        let context1 = tera1::Context::from_value(value.clone()).expect("a map");
        let context2 = tera2::Context::from_serialize(&value).expect("a map");
        let out1 = one.render(name, &context1).expect("tera 1 renders");
        let out2 = two.render(name, &context2).expect("tera 2 renders");
        let time1 = per_render(renders, || {
            black_box(one.render(name, &context1).expect("tera 1 renders"));
        });
        let time2 = per_render(renders, || {
            black_box(two.render(name, &context2).expect("tera 2 renders"));
        });
        let convert = per_render(renders, || {
            black_box(tera2::Context::from_serialize(&value).expect("a map"));
        });
        println!(
            "{name:20} {time1:>10.1?} | {time2:>10.1?} | {:.1}x | {}, {} (tera 2 context from a JSON value: {convert:.1?})",
            time1.as_secs_f64() / time2.as_secs_f64(),
            out1.len(),
            out2.len(),
        );
    }
}
