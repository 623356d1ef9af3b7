//! The search tokenizer exists twice: in Rust for the indexer (`gongdu::search`) and in
//! JavaScript for queries (`search/tokenize.js` with the folding table of `search/fold.js`).
//! A query finds a document only if both cut the same text into the same tokens at the same
//! positions, so this runs both on edge cases, and on every code point, in headless Chromium.
//! Skips when Chromium is absent unless GONGDU_REQUIRE_BROWSER=1 (as in CI).

#[path = "support/browser.rs"]
mod browser;
#[path = "support/site.rs"]
mod site;

use browser::{Browser, Page, file_url};
use serde_json::{Value, json};
use site::Fixture;

/// Texts whose tokens must agree. Each line says what it is about.
const CASES: &[&str] = &[
    // Han: runs, lone characters, bigrams, separators between runs.
    "新质生产力",
    "工",
    "工会",
    "工会，驿站",
    "工会 驿站",
    "工会。\n\n驿站",
    "劳模精神、劳动精神、工匠精神",
    // Traditional characters fold to Simplified (including ones OpenCC maps outside the BMP).
    "勞模精神與新質生產力",
    "發展新質生產力，離不開勞動者",
    "㑮㑯㑳𫝈",
    "乾隆皇帝乾燥",
    // Full-width Latin and digits, NFKC.
    "ＧＤＰ增长５．２％",
    "ｇｄｐ",
    "①②③ ⅫⅣ ½ ²",
    "ﬁnance ﬀ Ⅻ ㈱ ㍻ ㎏",
    "ｶﾀｶﾅ ﾊﾟﾋﾟ",
    // Latin and digits.
    "GDP",
    "12351",
    "2024",
    "GDP增长2024年",
    "年GDP",
    "COVID-19疫情",
    "e-mail user@example.com https://www.acftu.org/",
    "3.14 1,000,000 10%",
    "a b c",
    "İstanbul ǅemal ΣΑΣ Σ",
    // Greek, with final sigma in its various contexts.
    "ΟΔΟΣ ΟΔΟΣ.",
    "ΣΊΣΥΦΟΣ",
    "Σ",
    "AΣ",
    "AΣ'B",
    "ὈΔΥΣΣΕΎΣ",
    // German, Turkish and other case mappings.
    "STRASSE straße ẞ",
    "ΐ ΰ ŉ ǰ",
    "DŽ Dž dž",
    // Combining marks: composed, decomposed, stacked.
    "café cafe\u{301}",
    "e\u{301}\u{302}\u{303}",
    "\u{301}开头的组合符",
    "한\u{1100}\u{1161}\u{11a8}",
    // Japanese kana and Korean.
    "ひらがなカタカナ",
    "東京タワー",
    "日本語の文章です",
    "대한민국 노동조합",
    "한국어와中文混合",
    // Other scripts.
    "Россия МОСКВА",
    "العربية ١٢٣",
    "हिन्दी १२३",
    "ไทย",
    // CJK extensions and compatibility ideographs.
    "𠀀𠀁",
    "𠀀",
    "𰀀𰀁𱍐",
    "𪜀𫝀𫠠𬺰",
    "𮯰𮯱",
    "\u{2EBF0}\u{2EE5D}",
    "\u{31350}\u{323AF}",
    "豈更車",
    "\u{FA0E}\u{FA0F}",
    "\u{2F800}\u{2F801}",
    "⺀⻳⼀⿕",
    "〇〡〢",
    // Punctuation, symbols, emoji.
    "“引号”《书名》【括号】——破折号……",
    "！？。，、；：",
    "👍🏽 👨‍👩‍👧 🇨🇳 ❤️",
    "工会👍驿站",
    "a😀b",
    "\u{200B}零宽\u{200D}连接\u{FEFF}",
    "\t\r\n",
    "",
    " ",
    "   \u{3000}\u{3000}  ",
    "，",
    // Markup-like text.
    "\"><img src=x onerror=alert(1)>",
    "<script>alert('x')</script>",
];

fn launch() -> Option<Browser> {
    Browser::launch().expect("Chromium starts when it is installed")
}

/// A page with the built site's `search/fold.js` and `search/tokenize.js` and nothing else.
fn tokenizer_page<'b>(browser: &'b Browser, fixture: &Fixture) -> Page<'b> {
    fixture.build_ok();
    let html = fixture.out().join("parity.html");
    std::fs::write(
        &html,
        "<!DOCTYPE html><meta charset=utf-8><title>parity</title>\
         <script src=\"search/fold.js\"></script><script src=\"search/tokenize.js\"></script>",
    )
    .expect("write page");
    let mut page = browser.new_page().expect("tab");
    page.goto(&file_url(&html).expect("url")).expect("opens");
    assert_eq!(
        page.eval("typeof gongduTokenize === 'function' && typeof gongduFoldPairs === 'string'")
            .expect("eval"),
        json!(true),
        "the tokenizer and the folding table load"
    );
    page.check_no_errors().expect("no errors");
    page
}

fn js_tokens(page: &mut Page<'_>, texts: &[String]) -> Vec<Vec<(String, u32)>> {
    let input = serde_json::to_string(texts).expect("serialise");
    let value = page
        .eval(&format!("{input}.map(t => gongduTokenize(t))"))
        .expect("eval");
    serde_json::from_value(value).expect("token lists")
}

fn js_normalized(page: &mut Page<'_>, texts: &[String]) -> Vec<String> {
    let input = serde_json::to_string(texts).expect("serialise");
    let value = page
        .eval(&format!("{input}.map(t => gongduTokenize.normalize(t))"))
        .expect("eval");
    serde_json::from_value(value).expect("strings")
}

/// One code point's tokens on both sides, for failure messages.
fn describe(page: &mut Page<'_>, c: char) -> String {
    let one = c.to_string();
    let js = js_tokens(page, std::slice::from_ref(&one)).remove(0);
    format!(
        "U+{:04X} {}: rust {:?}, js {js:?}",
        c as u32,
        show(&one),
        gongdu::search::tokenize_text(&one)
    )
}

fn show(text: &str) -> String {
    text.chars()
        .map(|c| {
            if c.is_ascii_graphic() || c == ' ' || (!c.is_control() && c as u32 > 0x2FF) {
                c.to_string()
            } else {
                format!("\\u{{{:X}}}", c as u32)
            }
        })
        .collect()
}

#[test]
fn rust_and_javascript_tokenize_the_edge_cases_alike() {
    let Some(browser) = launch() else { return };
    let fixture = Fixture::copy("search");
    let mut page = tokenizer_page(&browser, &fixture);
    let texts: Vec<String> = CASES.iter().map(|s| (*s).to_owned()).collect();
    let from_js = js_tokens(&mut page, &texts);
    let normalized_js = js_normalized(&mut page, &texts);
    let mut differences = Vec::new();
    for ((text, js), js_norm) in texts.iter().zip(&from_js).zip(&normalized_js) {
        let rust = gongdu::search::tokenize_text(text);
        if &rust != js {
            differences.push(format!(
                "{:?} ({})\n  rust: {rust:?}\n  js:   {js:?}",
                text,
                show(text)
            ));
        }
        let rust_norm = gongdu::search::normalize(text);
        if &rust_norm != js_norm {
            differences.push(format!(
                "normalize {:?}\n  rust: {}\n  js:   {}",
                text,
                show(&rust_norm),
                show(js_norm)
            ));
        }
    }
    assert!(
        differences.is_empty(),
        "{} differences:\n{}",
        differences.len(),
        differences.join("\n")
    );

    // Spot checks, so that both agreeing on something wrong is noticed too.
    let expect = |text: &str, tokens: &[(&str, u32)]| {
        let want: Vec<(String, u32)> = tokens.iter().map(|(t, p)| ((*t).to_owned(), *p)).collect();
        assert_eq!(gongdu::search::tokenize_text(text), want, "{text}");
    };
    expect(
        "新质生产力，GDP增长2024年",
        &[
            ("新质", 0),
            ("质生", 1),
            ("生产", 2),
            ("产力", 3),
            ("gdp", 5),
            ("增长", 6),
            ("2024", 7),
            ("年", 8),
        ],
    );
    expect("勞模精神", &[("劳模", 0), ("模精", 1), ("精神", 2)]);
    expect("ＧＤＰ", &[("gdp", 0)]);
    expect("工会，驿站", &[("工会", 0), ("驿站", 2)]);
    expect("  ", &[]);
    expect("", &[]);
    expect("𠀀", &[("𠀀", 0)]);
    page.check_no_errors().expect("no errors");
}

/// Every folding pair, every Unicode scalar value: the character classes (Han / letter or
/// number / separator), NFKC and lowercasing must agree one code point at a time, so the
/// Unicode versions behind Rust's std, `unicode-normalization` and Chromium's ICU do not drift
/// apart unnoticed.
#[test]
fn rust_and_javascript_agree_on_every_code_point() {
    let Some(browser) = launch() else { return };
    let fixture = Fixture::copy("search");
    let mut page = tokenizer_page(&browser, &fixture);

    // Each folding pair's Traditional character, alone and in a run with its neighbours.
    let pairs: Vec<char> = page
        .eval("Array.from(gongduFoldPairs).filter((_, i) => i % 2 === 0).join('')")
        .expect("eval")
        .as_str()
        .expect("text")
        .chars()
        .collect();
    assert!(pairs.len() > 3000, "{} pairs", pairs.len());
    let mut texts: Vec<String> = pairs.chunks(64).map(|c| c.iter().collect()).collect();
    texts.extend(
        pairs
            .chunks(64)
            .map(|c| c.iter().map(|ch| format!("{ch} ")).collect::<String>()),
    );

    // Every scalar value, separated by a space (a separator in both), 512 to a text.
    let scalars: Vec<char> = (0..=0x10FFFFu32).filter_map(char::from_u32).collect();
    texts.extend(
        scalars
            .chunks(512)
            .map(|c| c.iter().map(|ch| format!("{ch} ")).collect::<String>()),
    );

    let mut differences: Vec<char> = Vec::new();
    let mut whole_texts = Vec::new();
    for batch in texts.chunks(256) {
        let from_js = js_tokens(&mut page, batch);
        for (text, js) in batch.iter().zip(&from_js) {
            let rust = gongdu::search::tokenize_text(text);
            if &rust == js {
                continue;
            }
            // Narrow down to the code points that differ.
            let before = differences.len();
            let chars: Vec<String> = text
                .chars()
                .filter(|c| *c != ' ')
                .map(|c| c.to_string())
                .collect();
            let js_each = js_tokens(&mut page, &chars);
            for (one, js_one) in chars.iter().zip(&js_each) {
                if &gongdu::search::tokenize_text(one) != js_one {
                    differences.extend(one.chars());
                }
            }
            if differences.len() == before {
                whole_texts.push(format!(
                    "{}…: rust {:?}, js {:?}",
                    show(&text.chars().take(40).collect::<String>()),
                    rust.iter().take(8).collect::<Vec<_>>(),
                    js.iter().take(8).collect::<Vec<_>>()
                ));
            }
        }
    }
    assert!(
        whole_texts.is_empty(),
        "texts tokenize differently although each of their characters agrees:\n{}",
        whole_texts.join("\n")
    );

    // Code points that this browser's Unicode data does not know yet (general category Cn)
    // cannot be helped from JavaScript: Rust's tables may be a Unicode version ahead. They are
    // reported, not failed. Everything else must agree.
    let listed: Vec<String> = differences.iter().map(|c| c.to_string()).collect();
    let unassigned: Vec<bool> = serde_json::from_value(
        page.eval(&format!(
            "{}.map(c => /\\p{{Cn}}/u.test(c))",
            serde_json::to_string(&listed).expect("serialise")
        ))
        .expect("eval"),
    )
    .expect("flags");
    let mut newer = Vec::new();
    let mut real = Vec::new();
    for (c, is_new) in differences.iter().zip(&unassigned) {
        if *is_new {
            newer.push(*c);
        } else {
            real.push(*c);
        }
    }
    let version: Value = page.eval("navigator.userAgent").expect("eval");
    if !newer.is_empty() {
        println!(
            "note: {} code points are unassigned in this browser's Unicode data ({version}) \
             and tokenize differently there, e.g. {}",
            newer.len(),
            newer
                .iter()
                .take(3)
                .map(|c| describe(&mut page, *c))
                .collect::<Vec<_>>()
                .join("; ")
        );
    }
    let real: Vec<String> = real
        .into_iter()
        .take(200)
        .map(|c| describe(&mut page, c))
        .collect();
    assert!(
        real.is_empty(),
        "{} code points tokenize differently ({version}):\n{}",
        real.len(),
        real.join("\n")
    );
}
