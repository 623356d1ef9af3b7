//! Site search in a real headless Chromium, from `file://`: the results page, the header box
//! with its quick results, keyboard use, the topic filter, safety of indexed text, and pages
//! without JavaScript. The expected result sets are computed here from the fixture's Markdown
//! (titles and bodies, normalised with `gongdu::search::normalize`, matched as substrings per
//! term), never typed by hand, so they follow the fixture when it changes.
//! Skips when Chromium is absent unless GONGDU_REQUIRE_BROWSER=1 (as in CI).

#[path = "support/browser.rs"]
mod browser;
#[path = "support/site.rs"]
mod site;

use std::cmp::Reverse;
use std::collections::BTreeSet;
use std::path::Path;
use std::time::Duration;

use browser::{Browser, Page, file_url};
use serde_json::{Value, json};
use site::Fixture;

const WAIT: Duration = Duration::from_secs(15);
const XSS: &str = "\"><img src=x onerror=alert(1)>";

fn launch() -> Option<Browser> {
    Browser::launch().expect("Chromium starts when it is installed")
}

// ---------------------------------------------------------------------------------------
// The fixture's documents, read from the Markdown sources.
// ---------------------------------------------------------------------------------------

struct Doc {
    title: String,
    date: String,
    topic: Option<String>,
    path: String,
    title_norm: String,
    body_norm: String,
}

fn fixture_docs() -> Vec<Doc> {
    let content = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/search/content");
    let mut docs = Vec::new();
    for entry in walkdir::WalkDir::new(&content) {
        let entry = entry.expect("readable fixture");
        let path = entry.path();
        if path.extension().is_none_or(|e| e != "md")
            || path.file_name().is_some_and(|n| n == "_index.md")
        {
            continue;
        }
        let text = std::fs::read_to_string(path).expect("fixture text");
        let rest = text.strip_prefix("---\n").expect("front matter");
        let (front, body) = rest.split_once("\n---\n").expect("end of front matter");
        let meta: serde_yaml::Value = serde_yaml::from_str(front).expect("front matter is YAML");
        let title = meta["title"].as_str().expect("title").to_owned();
        let date = meta["date"].as_str().expect("date").to_owned();
        let topic = meta["topics"]
            .as_sequence()
            .and_then(|t| t.first())
            .and_then(serde_yaml::Value::as_str)
            .map(str::to_owned);
        // What the indexer sees of the body: the text, without Markdown's own marks (the
        // fixture keeps searched phrases clear of markup so this is enough).
        let plain: String = body
            .lines()
            .map(|line| line.trim_start_matches('#').replace('`', ""))
            .collect::<Vec<_>>()
            .join("\n");
        docs.push(Doc {
            title_norm: gongdu::search::normalize(&title),
            body_norm: gongdu::search::normalize(&plain),
            title,
            date,
            topic,
            path: path
                .strip_prefix(&content)
                .expect("inside")
                .to_string_lossy()
                .into_owned(),
        });
    }
    assert!(docs.len() >= 8, "the search fixture has its articles");
    docs
}

/// Writes generated article `i` to `content/a/`, a day after article `i − 1` counting from
/// the start of `first_year`, and gives it as `fixture_docs` reads an article.
fn write_generated(f: &Fixture, i: usize, first_year: usize, title: String, body: &str) -> Doc {
    let date = format!(
        "{}-{:02}-{:02}",
        first_year + i / 336,
        1 + (i / 28) % 12,
        1 + i % 28
    );
    let path = format!("a/{i:04}.md");
    f.write(
        &format!("content/{path}"),
        &format!("---\ntitle: {title}\ndate: {date}\n---\n{body}\n"),
    );
    Doc {
        title_norm: gongdu::search::normalize(&title),
        body_norm: gongdu::search::normalize(body),
        title,
        date,
        topic: None,
        path,
    }
}

fn terms(query: &str) -> Vec<String> {
    query
        .split_whitespace()
        .map(gongdu::search::normalize)
        .collect()
}

fn matches(doc: &Doc, terms: &[String]) -> bool {
    terms
        .iter()
        .all(|t| doc.title_norm.contains(t.as_str()) || doc.body_norm.contains(t.as_str()))
}

/// Titles of the documents holding every term of `query` (in `topic`, if given).
fn expected(docs: &[Doc], query: &str, topic: Option<&str>) -> BTreeSet<String> {
    let terms = terms(query);
    docs.iter()
        .filter(|d| matches(d, &terms))
        .filter(|d| topic.is_none() || d.topic.as_deref() == topic)
        .map(|d| d.title.clone())
        .collect()
}

fn count_overlapping(haystack: &str, needle: &str) -> usize {
    (0..haystack.len())
        .filter(|&i| haystack.is_char_boundary(i) && haystack[i..].starts_with(needle))
        .count()
}

/// The contract's ranking: title hits for every term first, then more body matches, then
/// newer (document numbers: date descending, then title, then path).
fn expected_ranking(docs: &[Doc], query: &str) -> Vec<String> {
    let terms = terms(query);
    let mut hits: Vec<(&Doc, bool, usize)> = docs
        .iter()
        .filter(|d| matches(d, &terms))
        .map(|d| {
            let title = terms.iter().all(|t| d.title_norm.contains(t.as_str()));
            let body = terms
                .iter()
                .map(|t| count_overlapping(&d.body_norm, t))
                .sum();
            (d, title, body)
        })
        .collect();
    hits.sort_by(|a, b| {
        (
            !a.1,
            Reverse(a.2),
            Reverse(&a.0.date),
            &a.0.title,
            &a.0.path,
        )
            .cmp(&(
                !b.1,
                Reverse(b.2),
                Reverse(&b.0.date),
                &b.0.title,
                &b.0.path,
            ))
    });
    hits.into_iter().map(|(d, _, _)| d.title.clone()).collect()
}

// ---------------------------------------------------------------------------------------
// Browser helpers.
// ---------------------------------------------------------------------------------------

fn percent_encode(text: &str) -> String {
    let mut out = String::new();
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn search_url(out: &Path, query: &str, topic: Option<&str>) -> String {
    let mut url = format!(
        "{}?q={}",
        file_url(&out.join("search/index.html")).expect("url"),
        percent_encode(query)
    );
    if let Some(topic) = topic {
        url.push_str(&format!("&topic={}", percent_encode(topic)));
    }
    url
}

fn js(value: &str) -> String {
    serde_json::to_string(value).expect("a string serialises")
}

fn wait_settled(page: &mut Page<'_>) {
    page.wait_for(
        "['done', 'empty', 'idle'].includes(document.body.dataset.searchState)",
        WAIT,
    )
    .expect("the results page settles");
}

/// Ranked titles for `query` from the search engine itself (`gongduSearch.run`).
fn run_titles(page: &mut Page<'_>, query: &str, topic: Option<&str>) -> Vec<String> {
    let value = page
        .eval(&format!(
            "gongduSearch.run({}, {}).then(r => Promise.all(r.ids.map(id => gongduSearch.docInfo(id)))
               .then(infos => ({{count: r.count, titles: infos.map(i => i[0])}})))",
            js(query),
            js(topic.unwrap_or(""))
        ))
        .expect("gongduSearch.run");
    let titles: Vec<String> = serde_json::from_value(value["titles"].clone()).expect("titles");
    assert_eq!(value["count"], json!(titles.len()), "count matches the ids");
    titles
}

/// Titles shown on the results page, in order.
fn shown_titles(page: &mut Page<'_>) -> Vec<String> {
    let value = page
        .eval("[...document.querySelectorAll('#search-results .search-result__title')].map(h => h.textContent)")
        .expect("eval");
    serde_json::from_value(value).expect("titles")
}

fn set_of(titles: &[String]) -> BTreeSet<String> {
    titles.iter().cloned().collect()
}

/// `query`'s results from the engine are the fixture's matching articles, each once.
fn assert_finds_what_the_texts_hold(page: &mut Page<'_>, docs: &[Doc], query: &str, what: &str) {
    let want = expected(docs, query, None);
    let got = run_titles(page, query, None);
    assert_eq!(set_of(&got), want, "{what}: {query}");
    assert_eq!(got.len(), want.len(), "{what}: {query}: no duplicates");
}

/// How many matches the results page marks in its snippets.
fn snippet_marks(page: &mut Page<'_>) -> u64 {
    page.eval("document.querySelectorAll('#search-results .search-result__snippet mark').length")
        .expect("eval")
        .as_u64()
        .expect("a number")
}

// ---------------------------------------------------------------------------------------
// Tests.
// ---------------------------------------------------------------------------------------

#[test]
fn results_match_the_fixture_text_for_every_kind_of_query() {
    let Some(browser) = launch() else { return };
    let f = Fixture::copy("search");
    f.build_ok();
    let docs = fixture_docs();
    let mut page = browser.new_page().expect("tab");

    // The fixture must make the interesting cases real, or the checks below prove nothing.
    let apart = docs
        .iter()
        .find(|d| d.path.ends_with("apart.md"))
        .expect("apart.md");
    let traditional = docs
        .iter()
        .find(|d| d.path.ends_with("traditional.md"))
        .expect("traditional.md");
    let simplified = docs
        .iter()
        .find(|d| d.path.ends_with("xin-zhi.md"))
        .expect("xin-zhi.md");
    assert!(!apart.body_norm.contains("新质生产力") && !apart.body_norm.contains("质生"));
    assert!(apart.body_norm.contains("新质") && apart.body_norm.contains("生产力"));
    let absent_phrase = "要求创新质量";
    let absent_tokens = gongdu::search::tokenize_text(absent_phrase);
    assert!(absent_tokens.len() > 2);
    assert!(
        absent_tokens
            .iter()
            .all(|(t, _)| apart.body_norm.contains(t.as_str())),
        "every bigram of {absent_phrase} occurs in apart.md, only not together"
    );
    assert!(
        std::fs::read_to_string(f.root().join("content/productivity/traditional.md"))
            .expect("read")
            .contains("勞模精神")
    );

    let cases: &[(&str, &str)] = &[
        ("新质生产力", "Simplified phrase"),
        ("勞模精神", "Traditional query"),
        ("劳模精神", "Simplified query for a Traditional article"),
        ("新質生產力", "Traditional phrase"),
        ("gdp", "Latin, lower case"),
        ("GDP", "Latin, upper case"),
        ("ＧＤＰ", "full-width Latin"),
        ("12351", "digits"),
        ("2024", "year"),
        ("驿", "single Han character"),
        ("劳", "single Han character, many articles"),
        ("共同富裕", "absent phrase"),
        (absent_phrase, "bigrams only apart"),
        ("工会 驿站", "two words (AND)"),
        ("劳模精神 新质生产力", "two phrases (AND)"),
        ("职工 gdp", "Han and Latin words (AND)"),
        ("gdp增长", "Latin and Han in one term"),
        ("onerror", "word from the markup-like payload"),
    ];
    page.goto(&search_url(&f.out(), "", None)).expect("opens");
    wait_settled(&mut page);
    for (query, what) in cases {
        assert_finds_what_the_texts_hold(&mut page, &docs, query, what);
    }
    // The sets that must hold something, and the ones that must not.
    for query in ["新质生产力", "勞模精神", "gdp", "12351", "驿", "工会 驿站"] {
        assert!(
            !expected(&docs, query, None).is_empty(),
            "{query} finds something"
        );
    }
    assert!(expected(&docs, "新质生产力", None).contains(&traditional.title));
    assert!(expected(&docs, "新质生产力", None).contains(&simplified.title));
    assert!(!expected(&docs, "新质生产力", None).contains(&apart.title));
    assert!(expected(&docs, "劳模精神", None).contains(&traditional.title));
    assert_eq!(
        expected(&docs, "GDP", None).len(),
        3,
        "gdp, GDP增长 and ＧＤＰ"
    );
    assert!(expected(&docs, "共同富裕", None).is_empty());
    assert!(expected(&docs, absent_phrase, None).is_empty());

    // Ranking: title hits first, then body matches, then newer.
    for query in ["劳模精神", "gdp", "劳模精神 新质生产力"] {
        assert_eq!(
            run_titles(&mut page, query, None),
            expected_ranking(&docs, query),
            "ranking of {query}"
        );
    }

    // The page reads ?q= and shows the same ranked results with a count.
    for query in ["劳模精神", "ＧＤＰ", "工会 驿站"] {
        page.goto(&search_url(&f.out(), query, None))
            .expect("opens");
        wait_settled(&mut page);
        assert_eq!(
            page.eval("document.querySelector('#search-q').value")
                .expect("eval"),
            json!(query)
        );
        assert_eq!(
            page.eval("document.body.dataset.searchState")
                .expect("eval"),
            json!("done")
        );
        let want = expected_ranking(&docs, query);
        assert_eq!(shown_titles(&mut page), want, "results page for {query}");
        let status = page
            .eval("document.querySelector('#search-status').textContent")
            .expect("eval");
        assert!(
            status
                .as_str()
                .expect("text")
                .contains(&want.len().to_string()),
            "count shown: {status}"
        );
        assert!(
            snippet_marks(&mut page) > 0,
            "{query}: the snippets mark the match"
        );
        page.check_no_errors().expect("no errors");
    }
}

/// Packed data files (deflated, in base 85) read the same through the page's own inflater,
/// which browsers without `DecompressionStream("deflate-raw")` use, as the build wrote them:
/// every packed file of the fixture, DEFLATE's three kinds of block as the browser's own
/// `CompressionStream` makes them, bad data refused, and whole searches with
/// `DecompressionStream` taken away.
#[test]
fn packed_files_read_the_same_without_decompression_stream() {
    let Some(browser) = launch() else { return };
    let f = Fixture::copy("search");
    f.build_ok();
    let docs = fixture_docs();
    let mut page = browser.new_page().expect("tab");
    page.goto(&search_url(&f.out(), "", None)).expect("opens");
    wait_settled(&mut page);

    let mut packed = BTreeSet::new();
    for dir in ["search/s", "search/b", "search/t", "search/x"] {
        let Ok(entries) = std::fs::read_dir(f.out().join(dir)) else {
            continue;
        };
        for entry in entries {
            let path = entry.expect("entry").path();
            let script = std::fs::read(&path).expect("read");
            let json = gongdu::search::unpack(&script).expect("a packed file");
            let inflated = page
                .eval(&format!(
                    "new TextDecoder().decode(gongduSearch.inflateRaw(gongduSearch.base85({})))",
                    js(gongdu::search::script_parts(&script).expect("packed").1)
                ))
                .expect("inflates");
            assert_eq!(inflated, json!(json), "{}", path.display());
            packed.insert(dir);
        }
    }
    assert_eq!(
        packed,
        BTreeSet::from(["search/s", "search/x"]),
        "shards and document blocks"
    );

    // Base 85 as Python's base64.b85encode writes it, every length of last run included.
    let read = page
        .eval(
            r#"["Xa", "Xk`", "Xk}~", "Xk~0{", "Xk~0{Zv", "|Ns9", "{{", "", "X", "Xk~\"{", "~~~~~"]
                 .map(text => { try { return Array.from(gongduSearch.base85(text)); }
                                catch (e) { return e.message; } })"#,
        )
        .expect("eval");
    assert_eq!(
        read,
        json!([
            [104],
            [104, 101],
            [104, 101, 108],
            [104, 101, 108, 108],
            [104, 101, 108, 108, 111],
            [255, 255, 255],
            [255],
            [],
            "packed data cut short",
            "not base 85: \"",
            "not base 85: ~~~~~"
        ]),
        "base 85 read back, and bad text refused"
    );

    let kinds = page
        .eval(
            r#"(async () => {
                 const random = new Uint8Array(100000);
                 crypto.getRandomValues(random.subarray(0, 60000));
                 crypto.getRandomValues(random.subarray(60000));
                 const inputs = [random, new TextEncoder().encode("工会"),
                   new TextEncoder().encode("新质生产力与产业工人，".repeat(4000) + "职工夜校")];
                 const out = [];
                 for (const input of inputs) {
                   const stream = new Blob([input]).stream()
                     .pipeThrough(new CompressionStream("deflate-raw"));
                   const deflated = new Uint8Array(await new Response(stream).arrayBuffer());
                   const back = gongduSearch.inflateRaw(deflated);
                   out.push([(deflated[0] >> 1) & 3,
                     back.length === input.length && back.every((b, i) => b === input[i])]);
                 }
                 return out;
               })()"#,
        )
        .expect("compress and inflate");
    assert_eq!(
        kinds,
        json!([[0, true], [1, true], [2, true]]),
        "stored, fixed and dynamic blocks read back whole"
    );
    let refused = page
        .eval(
            "[[7], [5, 0], [3]].map(bytes => {
               try { gongduSearch.inflateRaw(new Uint8Array(bytes)); return 'read'; }
               catch (e) { return e.message; } })",
        )
        .expect("eval");
    assert_eq!(
        refused,
        json!([
            "packed data has a bad block type",
            "packed data ends early",
            "packed data ends early"
        ]),
        "bad data is refused, not read as something"
    );

    let mut page = browser.new_page().expect("tab");
    page.add_init_script("delete window.DecompressionStream;")
        .expect("init script");
    page.goto(&search_url(&f.out(), "劳模精神", None))
        .expect("opens");
    wait_settled(&mut page);
    assert_eq!(
        page.eval("typeof DecompressionStream").expect("eval"),
        json!("undefined")
    );
    assert_eq!(shown_titles(&mut page), expected_ranking(&docs, "劳模精神"));
    let marks = snippet_marks(&mut page);
    assert!(marks > 0, "snippets: {marks}");
    for query in ["gdp", "劳模精神 新质生产力"] {
        assert_eq!(
            run_titles(&mut page, query, None),
            expected_ranking(&docs, query),
            "{query} without DecompressionStream"
        );
    }
    for query in ["新质生产力", "工会 驿站", "驿"] {
        assert_finds_what_the_texts_hold(&mut page, &docs, query, "no DecompressionStream");
    }
    page.check_no_errors().expect("no errors");
}

#[test]
fn the_results_page_marks_matches_and_shows_details() {
    let Some(browser) = launch() else { return };
    let f = Fixture::copy("search");
    f.build_ok();
    let mut page = browser.new_page().expect("tab");
    page.goto(&search_url(&f.out(), "新质生产力", None))
        .expect("opens");
    wait_settled(&mut page);
    let first = page
        .eval(
            "(() => { const li = document.querySelector('#search-results .search-result');
               return { marks: [...li.querySelectorAll('.search-result__snippet mark')].map(m => m.textContent),
                        topic: li.querySelector('.search-result__topic')?.textContent,
                        date: li.querySelector('.search-result__date')?.textContent,
                        href: li.querySelector('a').getAttribute('href') }; })()",
        )
        .expect("eval");
    assert_eq!(first["marks"][0], json!("新质生产力"), "{first}");
    assert_eq!(first["topic"], json!("新质生产力"));
    assert_eq!(first["date"], json!("2024年5月20日"));
    let href = first["href"].as_str().expect("href");
    assert!(
        href.starts_with("../") && href.ends_with("index.html"),
        "{href}"
    );
    // A Traditional article: the match is marked in the original characters.
    let traditional_marks = page
        .eval("[...document.querySelectorAll('#search-results mark')].map(m => m.textContent)")
        .expect("eval");
    assert!(
        traditional_marks
            .as_array()
            .expect("list")
            .contains(&json!("新質生產力")),
        "{traditional_marks}"
    );
    // The links lead to the articles.
    page.eval("document.querySelector('#search-results a').click()")
        .expect("click");
    page.wait_for("document.querySelector('h1') && document.querySelector('h1').textContent.includes('新质生产力的内涵')", WAIT)
        .expect("article opened");
    page.check_no_errors().expect("no errors");
}

#[test]
fn indexed_markup_is_shown_as_text_and_never_runs() {
    let Some(browser) = launch() else { return };
    let f = Fixture::copy("search");
    f.build_ok();
    let mut page = browser.new_page().expect("tab");
    // Search from the page itself, after replacing alert, so a payload that ran would be seen.
    page.goto(&search_url(&f.out(), "", None)).expect("opens");
    wait_settled(&mut page);
    page.eval(
        "window.__alerted = false; window.alert = () => { window.__alerted = true; };
         document.body.dataset.searchState = '';
         document.querySelector('#search-q').value = 'onerror';
         document.querySelector('.search-page__form').requestSubmit();",
    )
    .expect("search");
    wait_settled(&mut page);
    let title = page
        .eval("document.querySelector('#search-results .search-result__title').textContent")
        .expect("eval");
    assert!(title.as_str().expect("text").contains(XSS), "{title}");
    let snippet = page
        .eval("document.querySelector('#search-results .search-result__snippet').textContent")
        .expect("eval");
    assert!(snippet.as_str().expect("text").contains(XSS), "{snippet}");
    assert_eq!(
        page.eval("document.querySelectorAll('#search-results img').length")
            .expect("eval"),
        json!(0)
    );
    assert_eq!(
        page.eval("document.querySelectorAll('img').length")
            .expect("eval"),
        json!(0)
    );

    // The quick dropdown too.
    page.eval("document.querySelector('#site-search-q').focus()")
        .expect("focus");
    page.type_text("onerror").expect("type");
    page.wait_for(
        "document.querySelectorAll('.search-box__option').length > 1",
        WAIT,
    )
    .expect("quick results");
    let label = page
        .eval("document.querySelector('.search-box__option .search-box__label').textContent")
        .expect("eval");
    assert!(label.as_str().expect("text").contains(XSS), "{label}");
    assert_eq!(
        page.eval("document.querySelectorAll('img').length")
            .expect("eval"),
        json!(0)
    );
    std::thread::sleep(Duration::from_millis(200));
    assert_eq!(page.eval("window.__alerted").expect("eval"), json!(false));
    page.check_no_errors().expect("no errors");
}

#[test]
fn header_box_offers_quick_results_and_works_from_the_keyboard() {
    let Some(browser) = launch() else { return };
    let f = Fixture::copy("search");
    f.build_ok();
    let mut page = browser.new_page().expect("tab");
    let article = f.out().join("union/hotline/index.html");
    page.goto(&file_url(&article).expect("url")).expect("opens");

    // "/" jumps to the box.
    page.press_key("/").expect("key");
    assert_eq!(
        page.eval("document.activeElement.id").expect("eval"),
        json!("site-search-q")
    );
    assert_eq!(
        page.eval("document.activeElement.value").expect("eval"),
        json!(""),
        "the slash is not typed"
    );

    // Typing shows titles, headings and tags.
    page.type_text("劳模").expect("type");
    page.wait_for(
        "document.querySelectorAll('.search-box__option').length > 2",
        WAIT,
    )
    .expect("quick results appear");
    let labels: Vec<String> = serde_json::from_value(
        page.eval("[...document.querySelectorAll('.search-box__option')].map(o => o.textContent)")
            .expect("eval"),
    )
    .expect("labels");
    assert!(
        labels.iter().any(|l| l.contains("学习劳模精神")),
        "{labels:?}"
    );
    assert!(
        labels.iter().any(|l| l.contains("勞模精神與新質生產力")),
        "Traditional title found: {labels:?}"
    );
    assert!(
        labels.iter().any(|l| l.contains("新时代的劳模")),
        "heading: {labels:?}"
    );
    assert_eq!(
        page.eval("document.querySelector('#site-search-q').getAttribute('aria-expanded')")
            .expect("eval"),
        json!("true")
    );

    // Escape closes, ArrowDown opens again and moves through the options.
    page.press_key("Escape").expect("key");
    assert_eq!(
        page.eval("document.querySelector('.search-box__popup').hidden")
            .expect("eval"),
        json!(true)
    );
    page.press_key("ArrowDown").expect("key");
    page.wait_for("!document.querySelector('.search-box__popup').hidden", WAIT)
        .expect("reopened");
    page.press_key("ArrowDown").expect("key");
    page.press_key("ArrowDown").expect("key");
    page.press_key("ArrowUp").expect("key");
    let active = page
        .eval("(() => { const id = document.querySelector('#site-search-q').getAttribute('aria-activedescendant');
                       const o = document.getElementById(id); return o && o.querySelector('a').href; })()")
        .expect("eval");
    let first = page
        .eval("document.querySelector('.search-box__option a').href")
        .expect("eval");
    assert_eq!(active, first, "down, down, up: the first option");
    let target = first.as_str().expect("href").to_owned();
    page.press_key("Enter").expect("key");
    page.wait_for(&format!("location.href === {}", js(&target)), WAIT)
        .expect("Enter opens the option");
    page.check_no_errors().expect("no errors");

    // Enter without choosing an option: the full results page for what was typed.
    page.goto(&file_url(&article).expect("url")).expect("opens");
    page.press_key("/").expect("key");
    page.type_text("12351").expect("type");
    page.press_key("Enter").expect("key");
    page.wait_for("location.pathname.endsWith('/search/index.html') && document.body.dataset.searchState === 'done'", WAIT)
        .expect("results page");
    assert_eq!(
        page.eval("new URLSearchParams(location.search).get('q')")
            .expect("eval"),
        json!("12351")
    );
    assert!(shown_titles(&mut page).iter().any(|t| t.contains("12351")));

    // On the results page, the arrows walk the results and come back to the box.
    page.goto(&search_url(&f.out(), "劳模精神", None))
        .expect("opens");
    wait_settled(&mut page);
    page.eval("document.querySelector('#search-q').focus()")
        .expect("focus");
    page.press_key("ArrowDown").expect("key");
    assert_eq!(
        page.eval("document.activeElement === document.querySelectorAll('#search-results a')[0]")
            .expect("eval"),
        json!(true)
    );
    page.press_key("ArrowDown").expect("key");
    assert_eq!(
        page.eval("document.activeElement === document.querySelectorAll('#search-results a')[1]")
            .expect("eval"),
        json!(true)
    );
    page.press_key("ArrowUp").expect("key");
    page.press_key("ArrowUp").expect("key");
    assert_eq!(
        page.eval("document.activeElement.id").expect("eval"),
        json!("search-q")
    );
    page.press_key("ArrowDown").expect("key");
    let target = page.eval("document.activeElement.href").expect("eval");
    page.press_key("Enter").expect("key");
    page.wait_for(&format!("location.href === {}", target), WAIT)
        .expect("Enter opens the result");
    // "/" on the results page goes to its own box.
    page.goto(&search_url(&f.out(), "劳模精神", None))
        .expect("opens");
    wait_settled(&mut page);
    page.eval("document.activeElement.blur()").expect("blur");
    page.press_key("/").expect("key");
    assert_eq!(
        page.eval("document.activeElement.id").expect("eval"),
        json!("search-q")
    );
    page.check_no_errors().expect("no errors");
}

/// The site-relative `src` of every script element in the page: those it lists and those the
/// search scripts inserted to load data. The theme's scripts are named as the theme names
/// them, without the content hash their published names carry (`ui.2a3f3697.js` → `ui.js`).
fn script_sources(page: &mut Page<'_>) -> Vec<String> {
    let value = page
        .eval(r"[...document.querySelectorAll('script[src]')].map(s => s.getAttribute('src').replace(/^(\.\.\/)+/, ''))
                 .map(s => s.startsWith('assets/') ? s.replace(/\.[0-9a-f]{8}\.js$/, '.js') : s)")
        .expect("eval");
    serde_json::from_value(value).expect("sources")
}

#[test]
fn pages_other_than_the_results_page_load_no_full_text_engine() {
    let Some(browser) = launch() else { return };
    let f = Fixture::copy("search");
    f.build_ok();
    let mut page = browser.new_page().expect("tab");
    page.goto(&file_url(&f.out().join("union/hotline/index.html")).expect("url"))
        .expect("opens");
    // Using the quick box loads its index, and still nothing of full-text search.
    page.press_key("/").expect("key");
    page.type_text("劳模").expect("type");
    page.wait_for(
        "document.querySelectorAll('.search-box__option').length > 2",
        WAIT,
    )
    .expect("quick results appear");
    let sources = script_sources(&mut page);
    let theme: Vec<&str> = sources
        .iter()
        .map(String::as_str)
        .filter(|s| s.starts_with("assets/search/"))
        .collect();
    assert_eq!(
        theme,
        [
            "assets/search/loader.js",
            "assets/search/query.js",
            "assets/search/highlight.js",
            "assets/search/ui.js",
            "assets/search/quick.js",
        ],
        "{sources:?}"
    );
    let data: BTreeSet<&str> = sources
        .iter()
        .map(String::as_str)
        .filter(|s| s.starts_with("search/"))
        .collect();
    assert_eq!(
        data,
        BTreeSet::from(["search/fold.js", "search/quick.js", "search/tokenize.js"]),
        "the quick index and the tokenizer only: {sources:?}"
    );
    assert_eq!(
        page.eval("[typeof gongduSearch.run, typeof gongduSearch.engine]")
            .expect("eval"),
        json!(["undefined", "undefined"])
    );
    page.check_no_errors().expect("no errors");

    // The results page is where the engine and the full-text index load.
    page.goto(&search_url(&f.out(), "劳模精神", None))
        .expect("opens");
    wait_settled(&mut page);
    let sources = script_sources(&mut page);
    for script in [
        "assets/search/engine.js",
        "search/config.js",
        "search/alphabet.js",
    ] {
        assert!(sources.iter().any(|s| s == script), "{script}: {sources:?}");
    }
    assert!(
        sources.iter().any(|s| s.starts_with("search/x/")),
        "document files: {sources:?}"
    );
    assert_eq!(
        page.eval("typeof gongduSearch.run").expect("eval"),
        json!("function")
    );
    page.check_no_errors().expect("no errors");
}

/// `search.quick: false` (what a site past 20,000 searchable pages gets unless it asks): no
/// `search/quick.js` is written, typing in the box shows no list and loads no index, and Enter
/// still opens the results page, which finds the articles.
#[test]
fn without_the_quick_list_the_box_is_a_plain_form() {
    let Some(browser) = launch() else { return };
    let f = Fixture::copy("search");
    f.write(
        "site.yaml",
        "title: 搜索测试站\nlanguage: zh-CN\nsearch:\n  quick: false\n",
    );
    f.build_ok();
    assert!(!f.out().join("search/quick.js").exists(), "no quick index");
    assert!(f.out().join("search/config.js").exists(), "full text still");
    let mut page = browser.new_page().expect("tab");
    page.goto(&file_url(&f.out().join("union/hotline/index.html")).expect("url"))
        .expect("opens");
    page.press_key("/").expect("key");
    page.type_text("劳模").expect("type");
    // Longer than the list's debounce and load would take, had it been there.
    std::thread::sleep(Duration::from_millis(600));
    assert_eq!(
        page.eval(
            "[document.querySelectorAll('.search-box__option').length,
              document.querySelector('form.search-box').getAttribute('data-quick'),
              document.querySelector('input[name=q]').getAttribute('role')]"
        )
        .expect("eval"),
        json!([0, "off", null]),
        "no list, and the input is no combobox"
    );
    let data: Vec<String> = script_sources(&mut page)
        .into_iter()
        .filter(|s| s.starts_with("search/"))
        .collect();
    assert!(data.is_empty(), "no search data loaded: {data:?}");
    page.press_key("Enter").expect("enter");
    page.wait_for("location.pathname.endsWith('/search/index.html')", WAIT)
        .expect("the results page opens");
    wait_settled(&mut page);
    assert!(
        !shown_titles(&mut page).is_empty(),
        "the results page finds articles"
    );
    page.check_no_errors().expect("no errors");
}

#[test]
fn the_folding_table_loads_only_when_a_query_or_a_result_holds_traditional_characters() {
    let Some(browser) = launch() else { return };
    let f = Fixture::copy("search");
    f.build_ok();
    let docs = fixture_docs();
    let traditional = docs
        .iter()
        .find(|d| d.path.ends_with("traditional.md"))
        .expect("traditional.md");
    let loads_fold =
        |page: &mut Page<'_>| script_sources(page).iter().any(|s| s == "search/fold.js");
    // Written in Simplified, and so is every article it finds: the table is never asked for.
    let want = expected(&docs, "工会 驿站", None);
    assert!(!want.is_empty() && !want.contains(&traditional.title));
    let mut page = browser.new_page().expect("tab");
    page.goto(&search_url(&f.out(), "工会 驿站", None))
        .expect("opens");
    wait_settled(&mut page);
    assert_eq!(set_of(&shown_titles(&mut page)), want);
    assert!(!loads_fold(&mut page), "{:?}", script_sources(&mut page));
    page.check_no_errors().expect("no errors");

    // The same query in Traditional needs it to fold the query, and finds the same articles.
    let mut page = browser.new_page().expect("tab");
    page.goto(&search_url(&f.out(), "工會 驛站", None))
        .expect("opens");
    wait_settled(&mut page);
    assert_eq!(set_of(&shown_titles(&mut page)), want);
    assert!(loads_fold(&mut page));
    page.check_no_errors().expect("no errors");

    // A query in Simplified that finds an article written in Traditional needs it to match
    // and mark the article's own characters.
    assert!(expected(&docs, "劳模精神", None).contains(&traditional.title));
    let mut page = browser.new_page().expect("tab");
    page.goto(&search_url(&f.out(), "劳模精神", None))
        .expect("opens");
    wait_settled(&mut page);
    assert!(shown_titles(&mut page).contains(&traditional.title));
    assert!(loads_fold(&mut page));
    let marks = page
        .eval("[...document.querySelectorAll('#search-results mark')].map(m => m.textContent)")
        .expect("eval");
    assert!(
        marks.as_array().expect("list").contains(&json!("勞模精神")),
        "{marks}"
    );
    page.check_no_errors().expect("no errors");
}

#[test]
fn the_topic_filter_narrows_results_and_keeps_the_url_shareable() {
    let Some(browser) = launch() else { return };
    let f = Fixture::copy("search");
    f.build_ok();
    let docs = fixture_docs();
    let mut page = browser.new_page().expect("tab");
    let query = "劳";
    page.goto(&search_url(&f.out(), query, None))
        .expect("opens");
    wait_settled(&mut page);
    let all = expected(&docs, query, None);
    assert_eq!(set_of(&shown_titles(&mut page)), all);

    let topic = "工会建设";
    let narrowed = expected(&docs, query, Some(topic));
    assert!(
        !narrowed.is_empty() && narrowed.len() < all.len(),
        "the filter makes a difference"
    );
    page.eval(&format!(
        "{{ document.body.dataset.searchState = '';
           const s = document.querySelector('#search-topic'); s.value = {}; s.dispatchEvent(new Event('change')); }}",
        js(topic)
    ))
    .expect("choose topic");
    wait_settled(&mut page);
    assert_eq!(set_of(&shown_titles(&mut page)), narrowed);
    assert_eq!(set_of(&run_titles(&mut page, query, Some(topic))), narrowed);
    let params = page
        .eval("(() => { const p = new URLSearchParams(location.search); return [p.get('q'), p.get('topic')]; })()")
        .expect("eval");
    assert_eq!(
        params,
        json!([query, topic]),
        "the URL carries the query and topic"
    );

    // The URL opens the same view.
    let url: String =
        serde_json::from_value(page.eval("location.href").expect("eval")).expect("url");
    page.goto(&url).expect("reopens");
    wait_settled(&mut page);
    assert_eq!(
        page.eval("document.querySelector('#search-topic').value")
            .expect("eval"),
        json!(topic)
    );
    assert_eq!(set_of(&shown_titles(&mut page)), narrowed);

    // Changing the query on the page updates the URL too.
    page.eval(
        "document.body.dataset.searchState = '';
         document.querySelector('#search-q').value = '驿站';
         document.querySelector('.search-page__form').requestSubmit();",
    )
    .expect("new query");
    wait_settled(&mut page);
    assert_eq!(
        page.eval("new URLSearchParams(location.search).get('q')")
            .expect("eval"),
        json!("驿站")
    );
    assert_eq!(
        set_of(&shown_titles(&mut page)),
        expected(&docs, "驿站", Some(topic))
    );
    page.check_no_errors().expect("no errors");
}

#[test]
fn no_results_explains_what_to_try() {
    let Some(browser) = launch() else { return };
    let f = Fixture::copy("search");
    f.build_ok();
    let mut page = browser.new_page().expect("tab");
    page.goto(&search_url(&f.out(), "共同富裕", None))
        .expect("opens");
    page.wait_for("document.body.dataset.searchState === 'empty'", WAIT)
        .expect("empty state");
    let state = page
        .eval(
            "({ shown: !document.querySelector('#search-empty').hidden,
                query: document.querySelector('#search-empty-query').textContent,
                links: [...document.querySelectorAll('#search-empty a')].map(a => a.getAttribute('href')),
                status: document.querySelector('#search-status').textContent,
                live: document.querySelector('#search-status').getAttribute('aria-live'),
                results: document.querySelectorAll('#search-results li').length })",
        )
        .expect("eval");
    assert_eq!(state["shown"], json!(true), "{state}");
    assert_eq!(state["query"], json!("共同富裕"));
    assert_eq!(state["results"], json!(0));
    assert_eq!(state["live"], json!("polite"));
    assert!(
        state["status"].as_str().expect("text").contains('0'),
        "{state}"
    );
    assert!(
        state["links"]
            .as_array()
            .expect("links")
            .contains(&json!("../topics/index.html")),
        "links to the topic list: {state}"
    );
    page.check_no_errors().expect("no errors");
}

#[test]
fn without_javascript_the_form_still_leads_somewhere_useful() {
    let Some(browser) = launch() else { return };
    let f = Fixture::copy("search");
    f.build_ok();
    let mut page = browser.new_page().expect("tab");
    page.set_javascript_enabled(false).expect("js off");
    page.goto(&file_url(&f.out().join("union/hotline/index.html")).expect("url"))
        .expect("opens");
    let form = page
        .eval(
            "(() => { const f = document.querySelector('header form[role=search]');
               return [f.getAttribute('action'), f.method, f.querySelector('input').name,
                       !!document.querySelector('label[for=site-search-q]')]; })()",
        )
        .expect("eval");
    assert_eq!(form, json!(["../../search/index.html", "get", "q", true]));

    page.goto(&search_url(&f.out(), "劳模", None))
        .expect("opens");
    let state = page
        .eval(
            "({ note: document.querySelector('.search-nojs').innerText,
                visible: document.querySelector('.search-nojs').offsetHeight > 0,
                links: [...document.querySelectorAll('.search-nojs a')].map(a => a.getAttribute('href')),
                form: document.querySelector('.search-page__form').offsetHeight })",
        )
        .expect("eval");
    assert_eq!(state["visible"], json!(true), "{state}");
    assert!(
        state["note"].as_str().expect("text").contains("JavaScript"),
        "{state}"
    );
    let links = state["links"].as_array().expect("links");
    assert!(links.contains(&json!("../topics/index.html")), "{state}");
    assert!(links.contains(&json!("../tags/index.html")), "{state}");
    assert_eq!(
        state["form"],
        json!(0),
        "the page's own form needs JavaScript and stays hidden"
    );
}

#[test]
fn search_pages_fit_a_phone() {
    let Some(browser) = launch() else { return };
    let f = Fixture::copy("search");
    f.build_ok();
    let mut page = browser.new_page().expect("tab");
    page.set_viewport(360, 740, true).expect("viewport");
    page.goto(&search_url(&f.out(), "劳模精神", None))
        .expect("opens");
    wait_settled(&mut page);
    page.eval("document.querySelector('#site-search-q').focus()")
        .expect("focus");
    page.type_text("劳模").expect("type");
    page.wait_for(
        "document.querySelectorAll('.search-box__option').length > 1",
        WAIT,
    )
    .expect("quick results");
    let overflow = page
        .eval("document.documentElement.scrollWidth - window.innerWidth")
        .expect("eval");
    assert_eq!(overflow, json!(0), "no sideways scrolling at 360 px");
    let value: Value = page
        .eval("document.querySelector('.search-box__popup').getBoundingClientRect().right <= window.innerWidth")
        .expect("eval");
    assert_eq!(value, json!(true));
    page.check_no_errors().expect("no errors");
}

/// A generated site big enough for several shards (so the browser's FNV-1a must agree with the
/// indexer's), phrases confirmed against many document files, a big postings file and more
/// than one page of results.
#[test]
fn many_articles_page_through_shards_chunks_and_big_postings() {
    let Some(browser) = launch() else { return };
    let f = Fixture::empty();
    f.write("site.yaml", "title: 大站点\nlanguage: zh-CN\n");
    // A small deterministic generator (no external crates): linear congruential.
    let mut seed: u64 = 0x5eed;
    let mut next = move |n: usize| {
        seed = seed
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        ((seed >> 33) as usize) % n
    };
    let pool: Vec<char> = (0..400u32)
        .filter_map(|k| char::from_u32(0x4E00 + k * 37))
        .collect();
    let articles = 70;
    let mut bodies = Vec::new();
    for i in 0..articles {
        let mut body = String::from("工会");
        for _ in 0..300 {
            body.push(pool[next(pool.len())]);
            if next(12) == 0 {
                body.push('。');
            }
        }
        if i == 3 {
            // A long document, and the one article with 附录 in its body.
            body.push_str(&"，职工之家".repeat(6000));
            body.push_str("。附录");
        }
        let title = format!("第{i}篇文章");
        f.write(
            &format!("content/a/{i:02}.md"),
            &format!(
                "---\ntitle: {title}\ndate: 2020-{:02}-{:02}\n---\n{body}\n",
                1 + i / 28,
                1 + i % 28
            ),
        );
        bodies.push((title, gongdu::search::normalize(&body)));
    }
    // Short appendices, so many that the postings of 附录 (in each of their titles) and 说明
    // (in each body) are too long for a shard: files of their own.
    let mut all = bodies.clone();
    let note = gongdu::search::normalize("说明。");
    for i in 0..1030 {
        let title = format!("附录{i}");
        f.write(
            &format!("content/b/{i:04}.md"),
            &format!("---\ntitle: {title}\ndate: 2019-01-01\n---\n说明。\n"),
        );
        all.push((title, note.clone()));
    }
    f.build_ok();
    let config = std::fs::read_to_string(f.out().join("search/config.js")).expect("config");
    let shards: u64 = config
        .split("\"shards\":")
        .nth(1)
        .and_then(|s| s.split([',', '}']).next())
        .and_then(|s| s.parse().ok())
        .expect("shards in config.js");
    assert!(shards > 1, "several shards: {config}");
    let big: Vec<_> = std::fs::read_dir(f.out().join("search/b"))
        .expect("big postings")
        .collect();
    assert!(!big.is_empty(), "a big postings file");
    // Documents ride in blocks of `block` in a row: a file for every block, none past them.
    let block: usize = config
        .split("\"block\":")
        .nth(1)
        .and_then(|s| s.split([',', '}']).next())
        .and_then(|s| s.parse().ok())
        .expect("block in config.js");
    let last = 1099 / block;
    assert!(
        f.out().join("search/x/0.js").is_file()
            && f.out().join(format!("search/x/{last}.js")).is_file()
            && !f.out().join(format!("search/x/{}.js", last + 1)).exists(),
        "a file for each block of {block} documents"
    );

    let mut page = browser.new_page().expect("tab");
    page.goto(&search_url(&f.out(), "", None)).expect("opens");
    wait_settled(&mut page);
    let expected_for = |query: &str| -> BTreeSet<String> {
        let terms = terms(query);
        all.iter()
            .filter(|(title, body)| {
                terms.iter().all(|t| {
                    body.contains(t.as_str())
                        || gongdu::search::normalize(title).contains(t.as_str())
                })
            })
            .map(|(title, _)| title.clone())
            .collect()
    };
    // Random phrases cut from the articles, alone and in pairs: the index must find exactly
    // the articles that hold them.
    let mut queries = vec![
        "工会".to_owned(),
        "职工之家".to_owned(),
        "之家 工会".to_owned(),
        "附录 工会".to_owned(),
        "附录 职工之家".to_owned(),
    ];
    for _ in 0..40 {
        let (_, body) = &bodies[next(bodies.len())];
        let chars: Vec<char> = body.chars().collect();
        let len = 1 + next(4);
        let start = next(chars.len() - len);
        let phrase: String = chars[start..start + len].iter().collect();
        if phrase.contains(['。', '，']) {
            continue;
        }
        queries.push(phrase);
    }
    for i in 0..10 {
        queries.push(format!("{} {}", queries[5 + i], queries[15 + i]));
    }
    for query in &queries {
        let got = run_titles(&mut page, query, None);
        assert_eq!(set_of(&got), expected_for(query), "{query}");
    }
    assert_eq!(expected_for("工会").len(), articles);
    assert_eq!(expected_for("附录 职工之家").len(), 1);

    // Ten at a time, then more.
    page.goto(&search_url(&f.out(), "工会", None))
        .expect("opens");
    wait_settled(&mut page);
    let count = |page: &mut Page<'_>| {
        page.eval("document.querySelectorAll('#search-results li').length")
            .expect("eval")
    };
    assert_eq!(count(&mut page), json!(10));
    for shown in [20, 30, 40, 50, 60, 70] {
        page.eval("document.querySelector('#search-more').click()")
            .expect("more");
        page.wait_for(
            &format!("document.querySelectorAll('#search-results li').length === {shown}"),
            WAIT,
        )
        .expect("more results");
    }
    assert_eq!(
        page.eval("document.querySelector('#search-more').hidden")
            .expect("eval"),
        json!(true),
        "nothing more to show"
    );
    // The newest first, all with a title and a snippet.
    let titles = shown_titles(&mut page);
    assert_eq!(titles.first().map(String::as_str), Some("第69篇文章"));
    assert_eq!(
        page.eval("[...document.querySelectorAll('#search-results li')].every(li => li.querySelector('.search-result__snippet mark'))")
            .expect("eval"),
        json!(true)
    );
    page.check_no_errors().expect("no errors");
}

/// Phrases whose bigrams also occur in other words (产业工人: 业工 in 企业工会 and 产业工会) get
/// tighter bounds from indexed triples (业工人) in the big postings file of their first pair.
/// The bounds only decide the order in which candidates are confirmed: results and ranking
/// must still be exactly those of the text, on the page (ten at a time) and in full.
#[test]
fn triples_tighten_phrase_bounds_and_results_stay_exact() {
    let Some(browser) = launch() else { return };
    let f = Fixture::empty();
    f.write("site.yaml", "title: 三字\nlanguage: zh-CN\n");
    let mut seed: u64 = 0x7219;
    let mut next = move |n: usize| {
        seed = seed
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        ((seed >> 33) as usize) % n
    };
    let words = [
        "企业工会",
        "企业工会",
        "产业工会",
        "产业工人",
        "工人",
        "企业",
        "工人",
        "工人",
    ];
    let mut docs = Vec::new();
    for i in 0..1100 {
        let mut body = String::new();
        for _ in 0..(4 + next(20)) {
            body.push_str(words[next(words.len())]);
            body.push_str(["，", "。", ""][next(3)]);
        }
        let title = if i % 50 == 7 {
            format!("产业工人第{i}篇")
        } else {
            format!("第{i}篇")
        };
        docs.push(write_generated(&f, i, 2000, title, &body));
    }
    f.build_ok();
    let holds_triple = std::fs::read_dir(f.out().join("search/b"))
        .expect("big postings")
        .filter_map(|e| std::fs::read(e.expect("entry").path()).ok())
        .filter_map(|script| gongdu::search::unpack(&script))
        .any(|json| json.contains("\"业工人\":"));
    assert!(holds_triple, "the triple 业工人 is indexed beside 业工");

    let ranking = |query: &str| expected_ranking(&docs, query);
    let mut page = browser.new_page().expect("tab");
    for query in [
        "产业工人",
        "业工人",
        "产业工",
        "产业工会",
        "企业工会",
        "企业工人",
        "产业工人 企业工会",
        "工人 产业工人",
    ] {
        let expected = ranking(query);
        page.goto(&search_url(&f.out(), query, None))
            .expect("opens");
        wait_settled(&mut page);
        let shown = shown_titles(&mut page);
        let first: Vec<String> = expected.iter().take(10).cloned().collect();
        assert_eq!(shown, first, "first page of {query}");
        assert_eq!(run_titles(&mut page, query, None), expected, "{query}");
    }
    page.check_no_errors().expect("no errors");
}

/// Common tokens' postings come split (`search.postings_head`, here tiny so that a small site
/// has them; only lists too long for a shard are): a head of the documents that rank first for the token, and a tail loaded only
/// when the head cannot settle what the page shows. The first page of a query the heads
/// settle loads no tail; the next page, which needs the rest, loads it; and every query's
/// results and ranking stay exactly those of the text, on the page and in full.
#[test]
fn split_postings_load_their_tails_only_when_the_results_need_them() {
    let Some(browser) = launch() else { return };
    let f = Fixture::empty();
    f.write(
        "site.yaml",
        "title: 分段\nlanguage: zh-CN\nsearch:\n  postings_head: 64\n",
    );
    let mut docs = Vec::new();
    for i in 0..1200 {
        // Fifteen articles have 工会 in their title and far more often in their body than
        // the others: the head of its postings holds them, and nothing else.
        let titled = i % 80 == 0;
        let mut body = "工会，".repeat(if titled { 30 + i / 80 } else { 1 + i % 5 });
        body.push_str(&"驿站。".repeat(1 + (i * 7) % 11));
        if i % 3 == 0 {
            body.push_str(&"工会驿站，".repeat(1 + i % 4));
        }
        // 班组 and 夜校: twelve articles hold one of them 40–51 times, and are the heads of
        // their postings; twelve more hold both 35 times, and are in neither head, yet rank
        // first for the two together.
        let (teams, schools) = match i % 100 {
            1 => (40 + i / 100, 1),
            2 => (1, 40 + i / 100),
            3 => (35, 35),
            _ => (1 + i % 5, 1 + (i / 7) % 4),
        };
        body.push_str(&"班组；".repeat(teams));
        body.push_str(&"夜校；".repeat(schools));
        let title = if titled {
            format!("工会第{i}篇")
        } else {
            format!("第{i}篇")
        };
        docs.push(write_generated(&f, i, 2001, title, &body));
    }
    f.build_ok();
    let tails: Vec<_> = std::fs::read_dir(f.out().join("search/t"))
        .expect("tails of split postings")
        .collect();
    assert!(!tails.is_empty(), "a tail file");

    let ranking = |query: &str| expected_ranking(&docs, query);
    let tail_loaded = |page: &mut Page<'_>| {
        script_sources(page)
            .iter()
            .any(|s| s.starts_with("search/t/"))
    };

    // 工会: the fifteen title hits in its head settle the first page.
    let mut page = browser.new_page().expect("tab");
    page.goto(&search_url(&f.out(), "工会", None))
        .expect("opens");
    wait_settled(&mut page);
    let expected = ranking("工会");
    assert_eq!(shown_titles(&mut page), expected[..10].to_vec());
    assert!(!tail_loaded(&mut page), "the first page needs no tail");
    // Before the tail is loaded the count shown is an estimate, from the head's numbers.
    let estimate = page.eval("gongduSearch.lastCount").expect("count");
    let estimate = estimate.as_u64().expect("a number") as usize;
    assert!(
        estimate.abs_diff(expected.len()) <= expected.len() / 10,
        "约 {estimate} for {} matches",
        expected.len()
    );
    page.eval("document.querySelector('#search-more').click()")
        .expect("more");
    page.wait_for(
        "document.querySelectorAll('#search-results li').length === 20",
        WAIT,
    )
    .expect("the next page");
    assert_eq!(shown_titles(&mut page), expected[..20].to_vec());
    assert!(tail_loaded(&mut page), "past the head, the tail");

    // 班组 夜校: what its heads hold ranks below what they cannot place, so the tails load
    // before the first page is shown.
    page.goto(&search_url(&f.out(), "班组 夜校", None))
        .expect("opens");
    wait_settled(&mut page);
    let expected = ranking("班组 夜校");
    assert_eq!(shown_titles(&mut page), expected[..10].to_vec());
    assert!(tail_loaded(&mut page), "the heads could not settle it");

    for query in [
        "工会",
        "驿站",
        "工会驿站",
        "会驿",
        "工会 驿站",
        "驿站 工会驿站",
        "班组",
        "班组 夜校",
        "夜校 工会",
    ] {
        let expected = ranking(query);
        assert!(expected.len() > 10, "{query}: more than a page");
        page.goto(&search_url(&f.out(), query, None))
            .expect("opens");
        wait_settled(&mut page);
        assert_eq!(
            shown_titles(&mut page),
            expected[..10].to_vec(),
            "first page of {query}"
        );
        assert_eq!(run_titles(&mut page, query, None), expected, "{query}");
    }
    // A single character ranks by how often it occurs, title and body together, and its
    // postings are split too: confirmed in the text where the head does not hold it.
    let mut by_count: Vec<(usize, &String, &String)> = docs
        .iter()
        .map(|d| {
            (
                d.title_norm.matches('夜').count() + d.body_norm.matches('夜').count(),
                &d.date,
                &d.title,
            )
        })
        .filter(|h| h.0 > 0)
        .collect();
    by_count.sort_by(|a, b| (Reverse(a.0), Reverse(a.1)).cmp(&(Reverse(b.0), Reverse(b.1))));
    let expected: Vec<String> = by_count.into_iter().map(|h| h.2.clone()).collect();
    page.goto(&search_url(&f.out(), "夜", None)).expect("opens");
    wait_settled(&mut page);
    assert_eq!(
        shown_titles(&mut page),
        expected[..10].to_vec(),
        "first page of 夜"
    );
    assert_eq!(run_titles(&mut page, "夜", None), expected, "夜");
    // Beside a word: a single character has no say on title hits, and where the head of
    // 工会 holds a document that the head of 夜 does not, its count comes from the text.
    let mut hits: Vec<(bool, usize, &String, &String)> = docs
        .iter()
        .filter(|d| d.body_norm.contains('夜') && matches(d, &terms("工会")))
        .map(|d| {
            let count = d.body_norm.matches('夜').count() + count_overlapping(&d.body_norm, "工会");
            (d.title_norm.contains("工会"), count, &d.date, &d.title)
        })
        .collect();
    hits.sort_by(|a, b| {
        (!a.0, Reverse(a.1), Reverse(a.2)).cmp(&(!b.0, Reverse(b.1), Reverse(b.2)))
    });
    let expected: Vec<String> = hits.into_iter().map(|h| h.3.clone()).collect();
    page.goto(&search_url(&f.out(), "夜 工会", None))
        .expect("opens");
    wait_settled(&mut page);
    assert_eq!(
        shown_titles(&mut page),
        expected[..10].to_vec(),
        "first page of 夜 工会"
    );
    assert_eq!(run_titles(&mut page, "夜 工会", None), expected, "夜 工会");

    // Where confirming a document costs less than loading the tails (documents far shorter
    // than this site's tails: `docBytes` set to 1 in config.js), the candidates that lean on
    // a tail are confirmed in their texts, and the first page loads no tail at all.
    let config_path = f.out().join("search/config.js");
    let config = std::fs::read_to_string(&config_path).expect("config");
    let (before, after) = config.split_once("\"docBytes\":").expect("docBytes");
    let rest = after.trim_start_matches(|c: char| c.is_ascii_digit());
    std::fs::write(&config_path, format!("{before}\"docBytes\":1{rest}")).expect("config");
    page.goto(&search_url(&f.out(), "夜 工会", None))
        .expect("opens");
    wait_settled(&mut page);
    assert_eq!(
        shown_titles(&mut page),
        expected[..10].to_vec(),
        "first page of 夜 工会, confirmed in the texts"
    );
    assert!(!tail_loaded(&mut page), "no tail for 夜 工会");
    // Confirming what the heads hold cannot settle 班组 夜校, however cheap: its best
    // documents are in neither head, so the tails load before the first page.
    page.goto(&search_url(&f.out(), "班组 夜校", None))
        .expect("opens");
    wait_settled(&mut page);
    assert_eq!(
        shown_titles(&mut page),
        ranking("班组 夜校")[..10].to_vec(),
        "first page of 班组 夜校, confirmed in the texts as far as they settle it"
    );
    assert!(tail_loaded(&mut page), "the tails for 班组 夜校");
    page.check_no_errors().expect("no errors");
}

#[test]
fn a_missing_index_is_reported_instead_of_hanging() {
    let Some(browser) = launch() else { return };
    let f = Fixture::copy("search");
    f.build_ok();
    std::fs::remove_file(f.out().join("search/config.js")).expect("remove config.js");
    let mut page = browser.new_page().expect("tab");
    page.goto(&search_url(&f.out(), "劳模精神", None))
        .expect("opens");
    page.wait_for("document.body.dataset.searchState === 'error'", WAIT)
        .expect("error state");
    let status = page
        .eval("document.querySelector('#search-status').textContent")
        .expect("eval");
    assert!(
        status.as_str().expect("text").contains("搜索索引"),
        "{status}"
    );
    let failed: Vec<String> = page
        .failed_requests()
        .iter()
        .map(|r| r.url.clone())
        .collect();
    assert!(
        failed.iter().all(|u| u.ends_with("search/config.js")),
        "{failed:?}"
    );
}
