//! Bad articles never crash gongdu, never hide, and never lose anything: files in other
//! encodings, broken front matter, hostile YAML and Markdown, raw HTML. Each case is built as
//! part of a small site and its diagnostics are asserted exactly.

#[path = "support/site.rs"]
mod site;

use std::time::{Duration, Instant};

use gongdu::build::BuildError;
use gongdu::markdown::Standalone;
use site::Fixture;

fn write_bytes(f: &Fixture, rel: &str, bytes: &[u8]) {
    let path = f.root().join(rel);
    std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
    std::fs::write(path, bytes).expect("write");
}

const ARTICLE: &str = "---\r\ntitle: 工会驿站\r\n---\r\n职工之家，温暖港湾。\r\n";

#[test]
fn files_in_other_encodings_are_decoded_with_a_warning_naming_the_encoding() {
    let f = Fixture::copy("hostile");
    let (gbk, _, _) = encoding_rs::GB18030.encode(ARTICLE);
    let utf16: Vec<u8> = [0xFF, 0xFE]
        .into_iter()
        .chain(ARTICLE.encode_utf16().flat_map(u16::to_le_bytes))
        .collect();
    let cases: [(&str, Vec<u8>, Option<&str>); 4] = [
        ("plain", ARTICLE.replace("\r\n", "\n").into_bytes(), None),
        (
            "bom-crlf",
            [b"\xEF\xBB\xBF".as_slice(), ARTICLE.as_bytes()].concat(),
            None,
        ),
        (
            "gbk",
            gbk.into_owned(),
            Some(
                "content/gbk.md:0:0: warning: the file is GB18030/GBK text, not UTF-8; gongdu read it as GB18030",
            ),
        ),
        (
            "utf16",
            utf16,
            Some(
                "content/utf16.md:0:0: warning: the file is UTF-16 (little-endian) text, not UTF-8; gongdu read it as UTF-16",
            ),
        ),
    ];
    for (name, bytes, _) in &cases {
        write_bytes(&f, &format!("content/{name}.md"), bytes);
    }
    let report = f.build_ok();
    let expected: Vec<&str> = cases.iter().filter_map(|c| c.2).collect();
    assert_eq!(f.shown(&report.warnings), expected);
    for (name, _, _) in &cases {
        let page = f.output(&format!("{name}/index.html"));
        assert!(
            page.contains("<h1 class=\"article__title\">工会驿站</h1>"),
            "{name}: {page}"
        );
        assert!(
            page.contains("<div class=\"article__body prose\">\n      <p>职工之家，温暖港湾。</p>\n\n    </div>"),
            "{name}: {page}"
        );
    }
}

#[test]
fn undecodable_files_and_names_are_errors_naming_the_file() {
    use std::os::unix::ffi::OsStrExt;
    let f = Fixture::copy("hostile");
    write_bytes(&f, "content/latin1.md", b"---\ntitle: caf\xE9\n---\n");
    let (gbk, _, _) = encoding_rs::GB18030.encode("工会");
    write_bytes(
        &f,
        "content/damaged.md",
        &[
            b"---\ntitle: \xE5\xB7\xA5\xE4\xBC\x9A ".as_slice(),
            &gbk,
            b"\n---\n",
        ]
        .concat(),
    );
    let bad_name = f
        .root()
        .join("content")
        .join(std::ffi::OsStr::from_bytes(b"\xB9\xA4\xBB\xE1.md"));
    std::fs::write(&bad_name, "---\ntitle: x\n---\n").expect("write");
    let errors = f.build_errors();
    assert_eq!(
        f.shown(&errors),
        [
            "content/damaged.md:2:11: error: the file is not UTF-8 text, and not GB18030/GBK Chinese text either",
            "content/latin1.md:2:11: error: the file is not UTF-8 text, and not GB18030/GBK Chinese text either",
            "content/����.md:0:0: error: the file name is not valid UTF-8; rename it (the name shown is approximate)",
        ]
    );
    assert_eq!(
        errors[0].hint.as_deref(),
        Some(
            "find out how it was saved and convert it: iconv -f GB18030 -t UTF-8 old.md > new.md for GBK, or Save As → Encoding → UTF-8 in an editor"
        )
    );
}

#[test]
fn every_broken_structure_is_reported_at_its_place_in_one_run() {
    let f = Fixture::copy("hostile");
    let files = [
        ("empty.md", ""),
        ("unclosed.md", "---\ntitle: 没有结尾\n正文\n"),
        ("list.md", "---\n- 标题\n- 日期\n---\n"),
        ("words.md", "---\n只是一句话\n---\n"),
        ("date.md", "---\ntitle: 日期\ndate: 昨天\n---\n"),
        ("tags.md", "---\ntitle: 标签\ntags: 5\n---\n"),
        ("source.md", "---\ntitle: 出处\nsource: 人民日报\n---\n"),
        ("slug-a.md", "---\ntitle: 甲\nslug: same\n---\n"),
        ("slug-b.md", "---\ntitle: 乙\nslug: same\n---\n"),
        ("alias-a.md", "---\ntitle: 丙\naliases: [old/page/]\n---\n"),
        (
            "alias-b.md",
            "---\ntitle: 丁\naliases:\n  - old/page/\n---\n",
        ),
    ];
    for (name, text) in files {
        f.write(&format!("content/{name}"), text);
    }
    let errors = f.build_errors();
    assert_eq!(
        f.shown(&errors),
        [
            "content/alias-b.md:3:1: error: `old/page/index.html` would be written twice: by an alias in content/alias-a.md and by an alias in content/alias-b.md",
            "content/date.md:3:7: error: `昨天` is not a date; write it as 2024-04-26 or 2024-04-26T09:30:00+08:00",
            "content/empty.md:1:1: error: the file is empty",
            "content/list.md:2:1: error: the front matter is a list, not `key: value` lines",
            "content/slug-b.md:3:1: error: `same/index.html` would be written twice: by content/slug-a.md and by content/slug-b.md",
            "content/source.md:3:9: error: source: invalid type: string \"人民日报\", expected fields such as `title:` and `publication:`",
            "content/tags.md:3:7: error: tags: invalid type: integer `5`, expected a string or a list of strings",
            "content/unclosed.md:1:1: error: the front matter opened with `---` on line 1 is never closed; end it with a line `---`",
            "content/words.md:2:1: error: the front matter is plain text, not `key: value` lines",
        ]
    );
}

#[test]
fn three_bad_front_matters_and_one_missing_template_are_four_diagnostics() {
    let f = Fixture::copy("hostile");
    f.write("content/a.md", "---\ntitle: 甲\ndate: 明天\n---\n");
    f.write("content/b.md", "---\ntittle: 乙\n---\n");
    f.write("content/c.md", "---\ntitle: [丙]\n---\n");
    f.write(
        "templates/page.html",
        "{% extends \"base.html\" %}\n{% block main %}{% include \"partials/sidebar.html\" %}{% endblock main %}\n",
    );
    let errors = f.build_errors();
    assert_eq!(
        f.shown(&errors),
        [
            "content/a.md:3:7: error: `明天` is not a date; write it as 2024-04-26 or 2024-04-26T09:30:00+08:00",
            "content/b.md:2:1: error: unknown field `tittle`",
            "content/c.md:2:8: error: title: invalid type: sequence, expected a string",
            "templates/page.html:2:17: error: includes `partials/sidebar.html`, which does not exist",
        ]
    );
}

/// Front matter built to exhaust the YAML parser, and files too big or too deep to render.
#[test]
fn hostile_input_is_refused_with_a_clear_limit_error() {
    let lol = "\"lol\",".repeat(9);
    let mut bomb = format!("---\ntitle: 炸弹\nextra:\n  a: &a [{lol}]\n");
    for (name, prev) in ["b", "c", "d", "e", "f", "g", "h", "i"]
        .iter()
        .zip("abcdefgh".chars())
    {
        let refs = format!("*{prev},").repeat(9);
        bomb.push_str(&format!("  {name}: &{name} [{refs}]\n"));
    }
    bomb.push_str("---\n");
    let flow = format!("---\ntitle: 深\nextra: {}\n---\n", "[".repeat(100_000));
    let block: String = (0..200)
        .map(|i| format!("{}k:\n", " ".repeat(i + 1)))
        .collect();
    let block = format!("---\ntitle: 深\nextra:\n{block}---\n");
    let quotes = format!("---\ntitle: 引\n---\n{} 深\n", ">".repeat(10_000));
    let lists = format!("---\ntitle: 列\n---\n{}深\n", "- ".repeat(10_000));
    let html = format!("---\ntitle: 套\n---\n{}\n", "<div>".repeat(100_000));
    let names: Vec<String> = (0..5_000).map(|i| format!("标签{i}")).collect();
    let tags = format!("---\ntitle: 标签\ntags: [{}]\n---\n", names.join(", "));
    let cases: [(&str, &str, &str); 7] = [
        (
            "bomb",
            &bomb,
            "content/bomb.md:2:1: error: the YAML repeats aliases (`*name`) so often that it would expand beyond any real value",
        ),
        (
            "flow",
            &flow,
            "content/flow.md:3:136: error: `[` and `{` nest more than 128 levels deep here",
        ),
        (
            "block",
            &block,
            "content/block.md:131:129: error: the YAML nests more than 128 levels deep",
        ),
        (
            "quotes",
            &quotes,
            "content/quotes.md:4:101: error: quotes, lists and HTML elements nest more than 100 levels deep here",
        ),
        (
            "lists",
            &lists,
            "content/lists.md:4:101: error: quotes, lists and HTML elements nest more than 100 levels deep here",
        ),
        (
            "tags",
            &tags,
            "content/tags.md:3:7: error: `tags` lists 5000 names; a page may have at most 20",
        ),
        (
            "html",
            &html,
            "content/html.md:4:1: error: quotes, lists and HTML elements nest more than 100 levels deep here",
        ),
    ];
    let f = Fixture::copy("hostile");
    for (name, text, _) in &cases {
        f.write(&format!("content/{name}.md"), text);
    }
    // A 50 MB article is refused before it is read (a sparse file: cheap to make).
    std::fs::File::create(f.root().join("content/huge.md"))
        .and_then(|file| file.set_len(50 * 1024 * 1024))
        .expect("sparse file");
    let started = Instant::now();
    let errors = f.build_errors();
    let mut expected: Vec<&str> = cases.iter().map(|c| c.2).collect();
    expected.push(
        "content/huge.md:0:0: error: the file is 50.0 MB; gongdu reads Markdown files up to 10 MB",
    );
    expected.sort_unstable();
    assert_eq!(f.shown(&errors), expected);
    assert!(
        started.elapsed() < Duration::from_secs(60),
        "hostile input took {:?}",
        started.elapsed()
    );
}

/// The best of three timings of rendering `text`, which must not fail to render.
fn render_time(standalone: &Standalone, text: &str) -> Duration {
    (0..3)
        .map(|_| {
            let started = Instant::now();
            let result = standalone.render(text);
            let elapsed = started.elapsed();
            assert!(result.is_ok(), "{:?}", result.err());
            elapsed
        })
        .min()
        .expect("three runs")
}

/// Makes an article body of size `n`.
type Body = fn(usize) -> String;

/// Markdown known to make parsers slow, at size n and 4n. Linear work takes about 4 times as
/// long at 4n and quadratic work 16 times; the bound of 10 leaves room for noise on a busy
/// machine while still failing quadratic behaviour. Sizes are the issue's where they are
/// cheap in a debug build; each case takes well under a second.
#[test]
fn pathological_markdown_renders_in_linear_time() {
    let standalone = Standalone::default();
    let page = |body: String| format!("---\ntitle: 慢\n---\n{body}\n");
    let cases: [(&str, usize, Body); 7] = [
        ("a*** × 80,000", 20_000, |n| "a***".repeat(n)),
        ("[a](<b × 50,000", 12_500, |n| "[a](<b".repeat(n)),
        ("runs of [[", 25_000, |n| "[[".repeat(n)),
        ("[[ … ]] nested", 10_000, |n| {
            "[[".repeat(n) + &"]]".repeat(n)
        }),
        ("the same heading again and again", 2_000, |n| {
            "## 注释\n\n".repeat(n)
        }),
        ("many broken links", 1_000, |n| {
            "[断](nowhere.md) ".repeat(n)
        }),
        ("many <script> warnings", 1_000, |n| {
            "<script>x</script>\n\n".repeat(n)
        }),
    ];
    for (name, n, body) in cases {
        let (small, large) = (page(body(n)), page(body(4 * n)));
        // Broken links are errors, which the render reports rather than fails on here.
        let time = |text: &str| {
            if name == "many broken links" {
                let started = Instant::now();
                let errors = standalone.render(text).expect_err("broken links");
                assert_eq!(
                    errors.len(),
                    101,
                    "at most 100 problems per file, then a count"
                );
                started.elapsed()
            } else {
                render_time(&standalone, text)
            }
        };
        let (t1, t4) = (time(&small), time(&large));
        let ratio = t4.as_secs_f64() / t1.as_secs_f64().max(1e-6);
        assert!(
            ratio < 10.0,
            "{name}: {t1:?} at n = {n}, {t4:?} at 4n (ratio {ratio:.1}, quadratic would be 16)"
        );
    }
}

/// site.yaml, what the page keeps, what it loses, and the warnings.
type SanitiseCase = (
    &'static str,
    &'static [&'static str],
    &'static [&'static str],
    &'static [&'static str],
);

#[test]
fn raw_html_is_sanitised_with_a_warning_unless_the_site_trusts_it() {
    let article = "---\ntitle: 转载\n---\n正文<sup>1</sup>\n\n<script>alert('x')</script>\n\n<a href=\"javascript:alert(1)\" onclick=\"x()\">链接</a>\n";
    let cases: [SanitiseCase; 2] = [
        (
            "title: 站\n",
            &["<sup>1</sup>", "链接"],
            &["<script>", "javascript:", "onclick"],
            &[
                "content/imported.md:6:1: warning: raw HTML with a <script> element was removed from the page",
                "content/imported.md:8:1: warning: raw HTML with a javascript: URL was removed from the page",
            ],
        ),
        (
            "title: 站\nmarkdown: {raw_html: trusted}\n",
            &[
                "<sup>1</sup>",
                "<script>alert('x')</script>",
                "onclick=\"x()\"",
            ],
            &[],
            &[],
        ),
    ];
    for (settings, kept, removed, warnings) in cases {
        let f = Fixture::copy("hostile");
        f.write("site.yaml", settings);
        f.write("content/imported.md", article);
        let report = f.build_ok();
        assert_eq!(f.shown(&report.warnings), warnings, "{settings}");
        let page = f.output("imported/index.html");
        for k in kept {
            assert!(page.contains(k), "{settings}: {k} lost");
        }
        for r in removed {
            assert!(!page.contains(r), "{settings}: {r} kept");
        }
    }
}

#[test]
fn a_failed_hostile_build_leaves_the_previous_output_alone() {
    let f = Fixture::copy("hostile");
    f.build_ok();
    let before = site::snapshot_tree(&f.out());
    f.write(
        "content/deep.md",
        &format!("---\ntitle: 深\n---\n{}x\n", ">".repeat(500)),
    );
    assert!(matches!(f.build(), Err(BuildError::Site(_))));
    assert_eq!(site::snapshot_tree(&f.out()), before);
}

/// The page's `<meta name="description">` holds the summary escaped exactly once, whichever
/// way the summary was written (issue 11: `&lt;` used to come out as `&amp;lt;`).
#[test]
fn the_description_meta_escapes_markup_characters_once() {
    let cases = [
        (
            "---\ntitle: 比较\n---\n工资 <= 3 & 福利 > 2 是\"底线\"。\n\n第二段。\n",
            r#"<meta name="description" content="工资 &lt;= 3 &amp; 福利 &gt; 2 是&quot;底线&quot;。">"#,
        ),
        (
            "---\ntitle: 比较\nsummary: \"A<B & 'C'\"\n---\n正文。\n",
            r#"<meta name="description" content="A&lt;B &amp; &#39;C&#39;">"#,
        ),
        (
            "---\ntitle: 比较\n---\n**加粗**与`<code>`，\n换行的句子。\n",
            r#"<meta name="description" content="加粗与&lt;code&gt;，换行的句子。">"#,
        ),
    ];
    for (article, meta) in cases {
        let f = Fixture::copy("hostile");
        f.write("content/compare.md", article);
        f.build_ok();
        let page = f.output("compare/index.html");
        let found = page
            .lines()
            .find(|l| l.contains("name=\"description\""))
            .unwrap_or_default();
        assert!(
            found.contains(meta),
            "{article:?}\nwanted {meta}\ngot    {found}"
        );
    }
}
