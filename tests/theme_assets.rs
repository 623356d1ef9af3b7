//! The theme's stylesheets and scripts as a host receives them: minified, under names that
//! carry a hash of their content (the search tokenizer under its own), linked by every page
//! under those names, with the vendored library's licence beside it; a file that does not
//! parse is an error at its line; a template that asks `asset()` for a file that is not there
//! is an error too.

#[path = "support/site.rs"]
mod site;

use gongdu::build::BuildError;
use site::{Fixture, check_links, published, snapshot_tree};

#[test]
fn assets_are_minified_and_named_by_their_content() {
    let f = Fixture::copy("basic");
    f.build_ok();
    let out = f.out();
    let css = published(&out, "assets/gongdu.css");
    let source = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("themes/default/static/assets/gongdu.css"),
    )
    .expect("theme stylesheet");
    let minified = f.output(&css);
    assert!(
        minified.len() * 10 < source.len() * 8,
        "minified to {} of {} bytes",
        minified.len(),
        source.len()
    );
    assert!(
        !minified.contains("/*") && !minified.contains("\n  "),
        "no comments or indents"
    );
    for script in [
        "assets/gongdu.js",
        "assets/search/ui.js",
        "assets/search/quick.js",
    ] {
        let path = published(&out, script);
        assert!(!f.output(&path).contains("\n  "), "{path} is minified");
    }
    // The search tokenizer, which the loader asks for by name, keeps its name, minified.
    let tokenizer = f.output("search/tokenize.js");
    let written = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("themes/default/static/search/tokenize.js"),
    )
    .expect("theme tokenizer");
    assert!(
        tokenizer.len() * 2 < written.len() && !tokenizer.contains("/*"),
        "search/tokenize.js minified to {} of {} bytes",
        tokenizer.len(),
        written.len()
    );
    assert!(
        tokenizer.starts_with("var gongduTokenize="),
        "its global keeps its name"
    );
    // No file is published under the name the theme gives it.
    let files = snapshot_tree(&out);
    for plain in [
        "assets/gongdu.css",
        "assets/gongdu.js",
        "assets/syntax.css",
        "assets/search/ui.js",
    ] {
        assert!(!files.contains_key(plain), "{plain} published unhashed");
    }
    // The vendored library keeps its bytes (and licence comment), with its licence beside it.
    let lunr = published(&out, "assets/elasticlunr.min.js");
    let vendored = std::fs::read(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("themes/default/static/assets/elasticlunr.min.js"),
    )
    .expect("vendored");
    assert_eq!(files[&lunr], vendored);
    assert!(files.contains_key("assets/elasticlunr.LICENSE.txt"));
    // Pages link to the published names, and the search box names the library for quick.js.
    let page = f.output("history/shu-ji-bu/index.html");
    assert!(page.contains(&format!("href=\"../../{css}\"")));
    assert!(page.contains(&format!(
        "src=\"../../{}\"",
        published(&out, "assets/search/loader.js")
    )));
    assert!(page.contains(&format!("data-elasticlunr=\"{lunr}\"")));
    let (checked, broken) = check_links(&out, "/");
    assert!(checked > 200 && broken.is_empty(), "{broken:#?}");
}

#[test]
fn a_changed_stylesheet_gets_a_new_name_and_an_unchanged_one_keeps_its_own() {
    let f = Fixture::copy("basic");
    f.write("static/assets/extra.css", "p { color: #101010 }\n");
    f.build_ok();
    let (css, js) = (
        published(&f.out(), "assets/extra.css"),
        published(&f.out(), "assets/gongdu.js"),
    );
    f.build_ok();
    assert_eq!(
        published(&f.out(), "assets/extra.css"),
        css,
        "same input, same name"
    );
    f.write("static/assets/extra.css", "p { color: #202020 }\n");
    f.build_ok();
    assert_ne!(published(&f.out(), "assets/extra.css"), css);
    assert_eq!(published(&f.out(), "assets/gongdu.js"), js);
}

fn errors(f: &Fixture) -> Vec<String> {
    match f.build() {
        Err(BuildError::Site(found)) => f.shown(&found),
        Ok(_) => Vec::new(),
        Err(other) => panic!("not a diagnostic: {other}"),
    }
}

#[test]
fn a_script_that_does_not_parse_is_an_error_at_its_line() {
    let f = Fixture::copy("basic");
    f.write("static/assets/broken.js", "var a = 1;\nvar b = ;\n");
    let found = errors(&f);
    assert!(
        found
            .iter()
            .any(|e| e.starts_with("static/assets/broken.js:2:9: error: ")),
        "{found:#?}"
    );
}

#[test]
fn asking_for_an_asset_the_theme_does_not_have_is_a_template_error() {
    let f = Fixture::copy("basic");
    f.write(
        "templates/404.html",
        "<link rel=\"stylesheet\" href=\"{{ asset(path=\"assets/missing.css\") }}\">",
    );
    let found = errors(&f);
    assert!(
        found.iter().any(|e| e.contains("assets/missing.css")),
        "{found:#?}"
    );
}
