//! Output amplification (issue 11, class 2): every field that other pages repeat has a length
//! limit, refused at file:line:column with the limit named, however the YAML spells it; and the
//! shapes that repeat fields most (a long title named by many wikilinks, a long definition used
//! by many articles, many topics × many events, long tags on listings and feeds) produce at most
//! a constant times their input.

#[path = "support/site.rs"]
mod site;

use std::path::Path;

use site::Fixture;

/// A site with `site.yaml` and the given content files.
fn site_with(config: &str, files: &[(String, String)]) -> Fixture {
    let f = Fixture::empty();
    f.write("site.yaml", config);
    for (path, text) in files {
        f.write(path, text);
    }
    f
}

fn errors_of(f: &Fixture) -> Vec<String> {
    f.shown(&f.build_errors())
        .into_iter()
        .filter(|s| s.contains(": error: "))
        .collect()
}

/// `n` characters of Chinese text.
fn han(n: usize) -> String {
    "工会劳动者权益".chars().cycle().take(n).collect()
}

#[test]
fn every_repeated_front_matter_field_over_its_limit_is_refused_where_it_is_written() {
    let long_title = han(201);
    let long_name = han(51);
    let long_text = han(501);
    // (front matter lines after `title`, expected position and message start)
    let cases: Vec<(String, &str)> = vec![
        (
            format!("title: {long_title}\n"),
            "2:8: error: `title` is 201 characters long; a title may be at most 200",
        ),
        (
            format!("title: x\nsummary: \"{long_text}\"\n"),
            "3:10: error: `summary` is 501 characters long; a summary may be at most 500",
        ),
        (
            format!("title: x\nsummary: >\n  {long_text}\n"),
            "3:10: error: `summary` is 50",
        ),
        (
            format!("title: x\ntags: [{long_name}]\n"),
            "3:7: error: `tags` is 51 characters long; a name may be at most 50",
        ),
        (
            format!("title: x\ntags:\n  - 短\n  - {long_name}\n"),
            "3:6: error: `tags` is 51",
        ),
        (
            format!("title: x\ntopics: {long_name}\n"),
            "3:9: error: `topics` is 51",
        ),
        (
            format!("title: x\nauthors: ['{long_name}']\n"),
            "3:10: error: `authors` is 51",
        ),
        (
            format!("title: x\nseries: {long_name}\norder: 1\n"),
            "3:9: error: `series` is 51",
        ),
        (
            format!("title: x\nsynonyms: [{long_name}]\n"),
            "3:11: error: `synonyms` is 51",
        ),
        (
            format!("title: x\ndefinition: |\n  {long_text}\n"),
            "3:13: error: `definition` is 50",
        ),
        (
            format!("title: x\naffiliation: {}\n", han(101)),
            "3:14: error: `affiliation` is 101",
        ),
        (
            format!("title: x\nslug: {}\n", "a".repeat(101)),
            "3:7: error: `slug` is 101 characters long; a slug may be at most 100",
        ),
        (
            format!("title: x\naliases: [{}]\n", "a".repeat(201)),
            "3:10: error: `aliases` is 201",
        ),
        (
            format!("title: x\nevents:\n  - date: 1925\n    title: {long_title}\n"),
            "5:12: error: `events` is 201 characters long; a title may be at most 200",
        ),
        (
            format!("title: x\nevents: [{{date: 1925, title: 成立, detail: {long_text}}}]\n"),
            "3:9: error: `events` is 501 characters long; an event's detail",
        ),
        (
            format!("title: x\nsource:\n  publication: {}\n", han(301)),
            "3:8: error: `source` is 301 characters long; a citation field",
        ),
    ];
    for (front, expected) in cases {
        let f = site_with(
            "title: 测试站\n",
            &[("content/a.md".into(), format!("---\n{front}---\n正文\n"))],
        );
        let errors = errors_of(&f);
        let wanted = format!("content/a.md:{expected}");
        assert!(
            errors.iter().any(|e| e.starts_with(&wanted)),
            "{front:?}: expected {wanted:?} in {errors:#?}"
        );
    }
}

#[test]
fn events_per_article_and_section_fields_are_limited_too() {
    let events: String = (0..201)
        .map(|i| format!("  - {{date: {}, title: 第{i}件}}\n", 1900 + i % 100))
        .collect();
    let f = site_with(
        "title: 测试站\n",
        &[
            (
                "content/a.md".into(),
                format!("---\ntitle: x\nevents:\n{events}---\n正文\n"),
            ),
            (
                "content/s/_index.md".into(),
                format!("---\ntitle: {}\nsummary: {}\n---\n", han(201), han(501)),
            ),
        ],
    );
    let errors = errors_of(&f);
    for wanted in [
        "content/a.md:3:8: error: `events` lists 201 events; an article may declare at most 200",
        "content/s/_index.md:2:8: error: `title` is 201 characters long",
        "content/s/_index.md:3:10: error: `summary` is 501 characters long",
    ] {
        assert!(
            errors.iter().any(|e| e.starts_with(wanted)),
            "{wanted:?} in {errors:#?}"
        );
    }
}

#[test]
fn site_yaml_texts_every_page_repeats_are_limited() {
    let config = format!(
        "title: {}\ndescription: \"{}\"\nmenu:\n  - label: {}\n    url: learn/\ntaxonomies:\n  - name: tags\n    label: {}\nseries:\n  - {{name: {}}}\n",
        han(201),
        han(501),
        han(51),
        han(51),
        han(51)
    );
    let f = site_with(
        &config,
        &[("content/a.md".into(), "---\ntitle: x\n---\n正文\n".into())],
    );
    let errors = errors_of(&f);
    for wanted in [
        "site.yaml:1:8: error: `title` is 201 characters long; a title may be at most 200",
        "site.yaml:2:14: error: `description` is 501",
        "site.yaml:4:12: error: `menu` is 51 characters long; a name may be at most 50",
        "site.yaml:8:12: error: `taxonomies` is 51",
        "site.yaml:9:8: error: `series` is 51",
    ] {
        assert!(
            errors.iter().any(|e| e.starts_with(wanted)),
            "{wanted:?} in {errors:#?}"
        );
    }
}

#[test]
fn fields_at_their_limits_are_accepted() {
    let f = site_with(
        "title: 测试站\n",
        &[(
            "content/a.md".into(),
            format!(
                "---\ntitle: {}\nsummary: {}\ntags: [{}]\n---\n正文\n",
                han(200),
                han(500),
                han(50)
            ),
        )],
    );
    f.build_ok();
}

/// Bytes of every file under `dir`.
fn bytes_under(dir: &Path) -> u64 {
    walk(dir)
        .iter()
        .map(|p| p.metadata().map_or(0, |m| m.len()))
        .sum()
}

fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return out;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out
}

/// Builds the site and returns (bytes in: site.yaml and content/, bytes out beyond what the
/// smallest site writes: the theme's stylesheets, scripts and empty listings).
fn amplification(config: &str, files: &[(String, String)]) -> (u64, u64) {
    let baseline = site_with(
        config,
        &[("content/a.md".into(), "---\ntitle: a\n---\nx\n".into())],
    );
    baseline.build_ok();
    let f = site_with(config, files);
    f.build_ok();
    let input = bytes_under(&f.root().join("content")) + config.len() as u64;
    let output = bytes_under(&f.out()).saturating_sub(bytes_under(&baseline.out()));
    (input, output)
}

/// How many bytes of output one byte of input may cost: no more than the theme itself costs
/// for the smallest article. A 19-byte article (`title: a` and one character) becomes a page
/// of about 5 KB of HTML plus its entries in listings, feeds and the search index, a ratio of
/// about 300 (`the_smallest_article_sets_the_scale` measures it). Each shape below is built at
/// the limits, the worst a hostile editor can now do; before the limits, a title of 100,000
/// characters named by 1,000 wikilinks gave a ratio of 5,000, and 100 tags of any length on
/// every article grew with the square of the list.
const K: u64 = 300;

fn assert_bounded(shape: &str, (input, output): (u64, u64)) {
    eprintln!(
        "{shape}: {input} bytes in, {output} bytes out, ratio {:.1}",
        output as f64 / input as f64
    );
    assert!(
        output <= K * input,
        "{shape}: {output} bytes out for {input} bytes in, more than {K} times"
    );
}

#[test]
fn output_stays_within_a_constant_times_the_input_for_every_amplifying_shape() {
    let config = "title: 测试站\nbase_url: https://example.org/\ntaxonomies:\n  - {name: topics, label: 专题, feed: true}\n  - {name: tags, label: 标签, feed: true}\n  - {name: authors, label: 作者, feed: true}\n";
    // A title at its limit, named by 2,000 of the shortest wikilinks from 10 articles.
    let mut files = vec![(
        "content/t.md".to_owned(),
        format!(
            "---\ntitle: {}\nsummary: {}\n---\n正文\n",
            han(200),
            han(500)
        ),
    )];
    let links: String = "[[t]]".repeat(200);
    for i in 0..10 {
        files.push((
            format!("content/l{i}.md"),
            format!("---\ntitle: 文{i}\n---\n{links}\n"),
        ));
    }
    assert_bounded(
        "long title named by many wikilinks",
        amplification(config, &files),
    );

    // A definition at its limit, used by 100 articles.
    let mut files = vec![
        (
            "content/glossary/_index.md".to_owned(),
            "---\ntitle: 术语表\n---\n".to_owned(),
        ),
        (
            "content/glossary/t.md".to_owned(),
            format!("---\ntitle: 劳模\ndefinition: {}\n---\n", han(500)),
        ),
    ];
    for i in 0..100 {
        files.push((
            format!("content/u{i}.md"),
            format!("---\ntitle: 用{i}\n---\n劳模\n"),
        ));
    }
    assert_bounded(
        "long definition used by many articles",
        amplification(config, &files),
    );

    // Many topics × many events: every event at its limits, every article in 20 topics.
    let topics: Vec<String> = (0..20).map(|i| format!("专题{i}")).collect();
    let events: String = (0..200)
        .map(|i| {
            format!(
                "  - date: {}\n    title: {}\n    detail: {}\n",
                1900 + i % 100,
                han(200),
                han(500)
            )
        })
        .collect();
    let files: Vec<(String, String)> = (0..2)
        .map(|i| {
            (
                format!("content/e{i}.md"),
                format!(
                    "---\ntitle: 大事{i}\ntopics: [{}]\nevents:\n{events}---\n正文\n",
                    topics.join(", ")
                ),
            )
        })
        .collect();
    assert_bounded("many topics × many events", amplification(config, &files));

    // Long tags, authors and topics on many articles: listings, feeds, backlinks, related.
    let names = |p: &str| -> String {
        (0..20)
            .map(|i| format!("{p}{i}{}", han(45)))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let (tags, authors, topics) = (names("标"), names("作"), names("题"));
    let files: Vec<(String, String)> = (0..30)
        .map(|i| {
            (
                format!("content/t{i}.md"),
                format!(
                    "---\ntitle: {}{i}\nsummary: {}\ntags: [{tags}]\nauthors: [{authors}]\ntopics: [{topics}]\n---\n[[t{}]]\n",
                    han(195),
                    han(500),
                    (i + 1) % 30
                ),
            )
        })
        .collect();
    assert_bounded(
        "long tags on listings, feeds, backlinks and related",
        amplification(config, &files),
    );
}

#[test]
fn the_smallest_article_sets_the_scale() {
    let config = "title: 测试站\nbase_url: https://example.org/\n";
    let files: Vec<(String, String)> = (0..50)
        .map(|i| {
            (
                format!("content/m{i}.md"),
                "---\ntitle: a\n---\nx\n".to_owned(),
            )
        })
        .collect();
    let (input, output) = amplification(config, &files);
    let ratio = output as f64 / input as f64;
    eprintln!("smallest articles: {input} bytes in, {output} bytes out, ratio {ratio:.1}");
    // The bound is the theme's own cost, not a number picked to pass: within a factor of two.
    assert!(
        ratio * 2.0 >= K as f64 && ratio <= K as f64 * 2.0,
        "K = {K} no longer matches the theme's cost per article ({ratio:.1})"
    );
}

#[test]
fn a_page_shows_at_most_fifty_short_definitions_and_says_so() {
    let terms: Vec<char> = (0..60u32)
        .map(|i| char::from_u32(0x4E01 + i * 7).expect("a Han character"))
        .collect();
    let mut files = vec![(
        "content/glossary/_index.md".to_owned(),
        "---\ntitle: 术语表\n---\n".to_owned(),
    )];
    for (i, t) in terms.iter().enumerate() {
        files.push((
            format!("content/glossary/g{i}.md"),
            format!(
                "---\ntitle: \"{t}\"\ndefinition: 定义{i}号{}\n---\n",
                han(400)
            ),
        ));
    }
    let body: String = terms.iter().map(|t| format!("{t}，")).collect();
    files.push((
        "content/a.md".into(),
        format!("---\ntitle: 用语\n---\n{body}\n"),
    ));
    let f = site_with("title: 测试站\n", &files);
    let report = f.build_ok();
    let warnings = f.shown(&report.warnings);
    assert!(
        warnings.iter().any(|w| w.starts_with(&format!(
            "content/a.md:4:101: warning: the article uses more than 50 glossary terms; from `{}` on",
            terms[50]
        ))),
        "{warnings:#?}"
    );
    let page = f.output("a/index.html");
    assert_eq!(page.matches("class=\"gd-term__tip\"").count(), 50);
    assert_eq!(page.matches("class=\"gd-term__link\"").count(), 60);
    assert!(page.contains("定义49号") && !page.contains("定义50号"));
    // A tooltip shows the start of a long definition; the glossary page shows all of it.
    assert!(
        !page.contains(&han(200)),
        "a whole definition was copied into the page"
    );
    assert!(f.output("glossary/g0/index.html").contains(&han(400)));
}
