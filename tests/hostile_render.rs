//! Rendering takes time proportional to the size of an article, syntax highlighting included,
//! whatever an editor pastes into a code block (issue 11, class 1). Each shape is rendered at
//! n and 4n bytes in this process and the CPU times compared: a ratio, never an absolute time, and
//! a generous one (8 for 4 times the input), so a busy machine does not make it flaky while a
//! quadratic cost (16) still fails it.

use std::time::Duration;

use gongdu::markdown::Standalone;

/// One pathological shape: the code block's language and its code for about `n` bytes.
struct Shape {
    name: &'static str,
    lang: &'static str,
    code: fn(usize) -> String,
}

/// `unit` repeated into lines of `width` bytes, about `n` bytes in all.
fn lines(unit: &str, width: usize, n: usize) -> String {
    let line: String = unit.repeat(width / unit.len() + 1)[..width].to_owned() + "\n";
    line.repeat(n / line.len() + 1)
}

const SHAPES: &[Shape] = &[
    Shape {
        name: "one line of [ in markdown (the reported case)",
        lang: "markdown",
        code: |n| "[".repeat(n),
    },
    Shape {
        name: "one line of [ in md",
        lang: "md",
        code: |n| "[".repeat(n),
    },
    Shape {
        name: "one line of [x]( in Markdown",
        lang: "Markdown",
        code: |n| "[x](".repeat(n / 4),
    },
    Shape {
        name: "nested brackets in mdown, lines just under the line limit",
        lang: "mdown",
        code: |n| lines("[[(", 190, n),
    },
    Shape {
        name: "links in markdown, lines of 150 bytes",
        lang: "markdown",
        code: |n| lines("[x](", 150, n),
    },
    Shape {
        name: "many short lines of [",
        lang: "markdown",
        code: |n| lines("[", 3, n),
    },
    Shape {
        name: "backticks in JavaScript",
        lang: "js",
        code: |n| lines("`", 180, n),
    },
    Shape {
        name: "one long line of backticks in JavaScript",
        lang: "javascript",
        code: |n| "`".repeat(n),
    },
    Shape {
        name: "emphasis marks in Python",
        lang: "python",
        code: |n| lines("*_", 180, n),
    },
    Shape {
        name: "unclosed elements in HTML, one a line",
        lang: "html",
        code: |n| lines("<div>", 5, n),
    },
    Shape {
        name: "one long line of unclosed tags in HTML",
        lang: "html",
        code: |n| "<a ".repeat(n / 3),
    },
    Shape {
        name: "open braces in Rust, one a line",
        lang: "rust",
        code: |n| lines("{", 1, n),
    },
    Shape {
        name: "quotes in YAML",
        lang: "yaml",
        code: |n| lines("'\"", 190, n),
    },
];

fn page(lang: &str, code: &str) -> String {
    // Tildes, so that a line of backticks in the code does not close the block.
    format!("---\ntitle: 代码\n---\n\n~~~~{lang}\n{code}\n~~~~\n\n结束。\n")
}

/// CPU time of this thread: unlike the clock on the wall, it does not count the time other
/// programs on a busy machine take the processor away, which made the ratios swing.
fn thread_cpu_time() -> Duration {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `ts` is a valid timespec to write to; this clock exists on Linux.
    let status = unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut ts) };
    assert_eq!(status, 0, "clock_gettime");
    Duration::new(ts.tv_sec as u64, ts.tv_nsec as u32)
}

/// The least CPU time of a few rounds of `reps` renders, and the page's HTML.
fn render_time(standalone: &Standalone, text: &str, reps: u32) -> (Duration, String) {
    let mut html = String::new();
    let fastest = (0..3)
        .map(|_| {
            let start = thread_cpu_time();
            for _ in 0..reps {
                html = match standalone.render(text) {
                    Ok((rendered, _)) => rendered.html.unpack().into_owned(),
                    Err(e) => panic!("{e:?}"),
                };
            }
            thread_cpu_time() - start
        })
        .min()
        .expect("three runs");
    (fastest, html)
}

/// The page's HTML as the reader sees it: tags dropped, character references read.
fn visible_text(html: &str) -> String {
    let mut text = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            c if !in_tag => text.push(c),
            _ => {}
        }
    }
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&#x27;", "'")
        .replace("&amp;", "&")
}

#[test]
fn highlighting_takes_time_proportional_to_the_code_whatever_its_shape() {
    let standalone = Standalone::default();
    // Loads the syntax definitions, which the first highlighted block pays for.
    standalone
        .render(&page("rust", "fn main() {}"))
        .expect("renders");
    let n = 4_000;
    let mut failures = Vec::new();
    for shape in SHAPES {
        let (small, large) = ((shape.code)(n), (shape.code)(4 * n));
        let (small_page, large_page) = (page(shape.lang, &small), page(shape.lang, &large));
        // Renders that take microseconds are repeated until the smaller takes 20 ms, so that
        // the clock's granularity and the caches do not decide the ratio.
        let (once, _) = render_time(&standalone, &small_page, 1);
        let reps = (Duration::from_millis(20).as_secs_f64() / once.as_secs_f64().max(1e-6))
            .ceil()
            .clamp(1.0, 1_000.0) as u32;
        let (t_small, _) = render_time(&standalone, &small_page, reps);
        let (t_large, html) = render_time(&standalone, &large_page, reps);
        let ratio = t_large.as_secs_f64() / t_small.as_secs_f64().max(1e-4);
        eprintln!(
            "{}: {t_small:?} for {} bytes, {t_large:?} for {} bytes ({reps} renders), ratio {ratio:.1}",
            shape.name,
            small.len(),
            large.len()
        );
        if ratio >= 8.0 {
            failures.push(format!("{}: ratio {ratio:.1}", shape.name));
        }
        assert!(
            visible_text(&html).contains(&large),
            "{}: the code is on the page",
            shape.name
        );
        assert!(html.contains("结束。"), "{}", shape.name);
    }
    assert!(failures.is_empty(), "{failures:#?}");
}

/// What a page whose code is not all highlighted must warn: the one warning's message, whole
/// or its beginning, and where it points.
enum Message {
    Is(&'static str),
    StartsWith(&'static str),
}

/// A page with code that is shown without highlighting, and what it must warn and show.
struct Unhighlighted {
    name: &'static str,
    text: String,
    /// `path:line:column` of the warning, when the case pins it.
    at: Option<&'static str>,
    message: Message,
    /// Code the page must show in full, and how many times.
    shows: String,
    times: usize,
    /// The rest of the code keeps its colours.
    coloured: bool,
}

fn check_unhighlighted(standalone: &Standalone, case: &Unhighlighted) {
    let name = case.name;
    let (rendered, warnings) = standalone
        .render(&case.text)
        .expect("a warning, not an error");
    assert_eq!(warnings.len(), 1, "{name}: {warnings:?}");
    let d = &warnings[0];
    if let Some(at) = case.at {
        let shown = format!("{}:{}:{}", d.path.display(), d.line, d.column);
        assert_eq!(shown, at, "{name}");
    }
    match case.message {
        Message::Is(m) => assert_eq!(d.message, m, "{name}"),
        Message::StartsWith(m) => assert!(d.message.starts_with(m), "{name}: {}", d.message),
    }
    let html = rendered.html.unpack();
    let visible = visible_text(&html);
    assert_eq!(visible.matches(&case.shows).count(), case.times, "{name}");
    if case.coloured {
        assert!(
            html.contains("hl-"),
            "{name}: the other lines keep their colours"
        );
    }
}

#[test]
fn code_that_is_not_highlighted_is_one_warning_and_shown_in_full() {
    let standalone = Standalone::default();
    let long_line = format!("let a = 1;\n{}\nlet b = 2;", "[".repeat(5_000));
    let block = "fn f() { let x = [1, 2, 3]; }\n".repeat(800);
    let cases = [
        Unhighlighted {
            name: "a line too long to highlight",
            text: page("rust", &long_line),
            at: Some("content/a.md:5:1"),
            message: Message::Is(
                "line 2 of this code block is 5000 bytes long; lines over 200 bytes are not highlighted and are shown as plain text",
            ),
            shows: long_line.clone(),
            times: 1,
            coloured: true,
        },
        Unhighlighted {
            name: "more code than the allowance",
            text: format!(
                "---\ntitle: 多\n---\n\n{}",
                (0..5)
                    .map(|_| format!("```rust\n{block}```\n\n"))
                    .collect::<String>()
            ),
            at: None,
            message: Message::StartsWith("this page has more than 64 KB of code to highlight"),
            shows: block.clone(),
            times: 5,
            coloured: false,
        },
    ];
    for case in &cases {
        check_unhighlighted(&standalone, case);
    }
}
