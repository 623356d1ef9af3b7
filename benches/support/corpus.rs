//! A deterministic synthetic Chinese corpus for build benchmarks: the shape of a real study
//! site (4 topics with nested sections, ~3,800 characters per article, ~40 tags, 240
//! authors, footnotes, lists, links between articles, some code and quotes), made from a
//! small vocabulary written for this file. Same seed and size, same bytes.

use std::fmt::Write as _;
use std::path::Path;

/// xorshift64*: small, fast, and the same everywhere.
pub(crate) struct Rng(u64);

impl Rng {
    pub(crate) fn new(seed: u64) -> Rng {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }

    pub(crate) fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    pub(crate) fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    pub(crate) fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }

    pub(crate) fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }
}

/// (folder, name) of a subsection; (folder, topic, subsections) of a topic.
type Sub = (&'static str, &'static str);
type Topic = (&'static str, &'static str, [Sub; 4]);

const TOPICS: [Topic; 4] = [
    (
        "productivity",
        "新质生产力",
        [
            ("innovation", "科技创新"),
            ("industry", "产业升级"),
            ("skills", "技能人才"),
            ("digital", "数字经济"),
        ],
    ),
    (
        "education",
        "工人教育",
        [
            ("theory", "理论学习"),
            ("academy", "工匠学院"),
            ("reading", "职工书屋"),
            ("training", "技能培训"),
        ],
    ),
    (
        "history",
        "工运历史",
        [
            ("early", "早期工运"),
            ("soviet", "苏区时期"),
            ("models", "劳模运动"),
            ("reform", "改革开放"),
        ],
    ),
    (
        "union",
        "工会建设",
        [
            ("grassroots", "基层组织"),
            ("rights", "维权服务"),
            ("platform", "智慧工会"),
            ("newforms", "新就业形态"),
        ],
    ),
];

const ACTORS: &[&str] = &[
    "基层工会",
    "县级工会",
    "产业工会",
    "企业工会",
    "工会干部",
    "一线职工",
    "青年职工",
    "女职工",
    "技术工人",
    "劳动模范",
    "大国工匠",
    "班组长",
    "老师傅",
    "学徒",
    "快递小哥",
    "网约车司机",
    "外卖骑手",
    "车间主任",
    "职业院校",
    "工匠学院",
    "培训中心",
    "职工书屋",
    "工会驿站",
    "劳模创新工作室",
    "职工代表",
    "调解员",
    "法律顾问",
    "地方总工会",
    "行业协会",
    "制造企业",
    "平台企业",
    "中小企业",
    "科研团队",
    "宣讲团",
];
const THINGS: &[&str] = &[
    "新质生产力",
    "劳动生产率",
    "技能等级认定",
    "劳动和技能竞赛",
    "五小活动",
    "合理化建议",
    "师带徒",
    "集体协商",
    "职工代表大会",
    "厂务公开",
    "劳动争议调解",
    "一函两书",
    "12351热线",
    "工会法务云",
    "就业帮扶",
    "职工书屋",
    "劳模精神",
    "劳动精神",
    "工匠精神",
    "数字技能",
    "智能制造",
    "工业互联网",
    "绿色低碳",
    "安全生产",
    "职业健康",
    "终身学习",
    "理论宣讲",
    "读书分享",
    "工人夜校",
    "扫盲运动",
    "春耕竞赛",
    "赠旗大会",
    "红板表彰",
    "枫桥经验",
    "服务圈",
    "会员入会",
    "困难帮扶",
    "产业工人队伍建设",
];
const VERBS: &[&str] = &[
    "推动", "组织", "开展", "完善", "建立", "总结", "学习", "宣传", "落实", "服务", "支持", "提升",
    "培育", "带动", "引导", "保障", "探索", "深化", "参与", "记录", "整理", "研究", "推广", "改进",
];
const QUALITIES: &[&str] = &[
    "扎实的",
    "持续的",
    "系统的",
    "具体的",
    "务实的",
    "长期的",
    "基层的",
    "创新的",
    "规范的",
    "开放的",
    "稳定的",
    "广泛的",
    "细致的",
    "有效的",
];
const PLACES: &[&str] = &[
    "江西",
    "福建",
    "湖南",
    "湖北",
    "山西",
    "宁夏",
    "广东",
    "上海",
    "安源",
    "龙岩",
    "瑞金",
    "株洲",
    "青铜峡",
    "太原",
    "长沙",
    "武汉",
];
const CONNECTIVES: &[&str] = &[
    "同时",
    "此外",
    "从实践看",
    "总的来说",
    "具体而言",
    "另一方面",
    "事实上",
    "由此可见",
];
const TAGS: [&str; 40] = [
    "劳模精神",
    "劳动精神",
    "工匠精神",
    "职工书屋",
    "工匠学院",
    "劳动竞赛",
    "维权服务",
    "数字化",
    "基层工会",
    "苏区",
    "劳动组合书记部",
    "产业工人",
    "集体协商",
    "枫桥经验",
    "新就业形态",
    "技能培训",
    "理论学习",
    "五小活动",
    "创新工作室",
    "工会驿站",
    "12351",
    "一函两书",
    "安全生产",
    "职工代表大会",
    "智慧工会",
    "大国工匠",
    "师带徒",
    "读书会",
    "劳动教育",
    "工人夜校",
    "县级工会",
    "帮扶救助",
    "法律援助",
    "厂务公开",
    "女职工",
    "青年职工",
    "绿色发展",
    "智能制造",
    "人工智能",
    "劳动关系",
];
const SURNAMES: &[&str] = &[
    "王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙", "胡", "朱", "高", "林",
];
const GIVEN: &[&str] = &[
    "建国", "红梅", "志强", "丽华", "海涛", "秀英", "卫东", "晓燕", "国庆", "春生", "文静", "明",
    "勇", "芳", "军",
];

fn clause(r: &mut Rng) -> String {
    match r.below(6) {
        0 => format!(
            "{}{}{}{}",
            r.pick(ACTORS),
            r.pick(VERBS),
            r.pick(QUALITIES),
            r.pick(THINGS)
        ),
        1 => format!(
            "在{}，{}把{}作为重点",
            r.pick(PLACES),
            r.pick(ACTORS),
            r.pick(THINGS)
        ),
        2 => format!(
            "{}年，{}的{}{}了{}",
            1921 + r.below(105),
            r.pick(PLACES),
            r.pick(ACTORS),
            r.pick(VERBS),
            r.pick(THINGS)
        ),
        3 => format!(
            "共有{}名{}参加了{}",
            100 + r.below(9900),
            r.pick(ACTORS),
            r.pick(THINGS)
        ),
        4 => format!(
            "{}的参与率提高了{}.{}%",
            r.pick(THINGS),
            1 + r.below(60),
            r.below(10)
        ),
        _ => format!(
            "{}，{}与{}共同{}{}",
            r.pick(CONNECTIVES),
            r.pick(ACTORS),
            r.pick(ACTORS),
            r.pick(VERBS),
            r.pick(THINGS)
        ),
    }
}

fn paragraph(r: &mut Rng, out: &mut String) {
    let n = 6 + r.below(7);
    for i in 0..n {
        let c = clause(r);
        if r.chance(8) {
            let _ = write!(out, "**{c}**");
        } else {
            out.push_str(&c);
        }
        out.push(if i + 1 == n {
            '。'
        } else if r.chance(60) {
            '，'
        } else {
            '；'
        });
    }
    out.push_str("\n\n");
}

pub(crate) struct Article {
    pub(crate) dir: String,
    pub(crate) slug: String,
    pub(crate) title: String,
}

/// What a generated corpus holds besides plain articles.
// Each benchmark includes this file and uses one kind of corpus.
#[allow(dead_code)]
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Knowledge {
    /// Articles with ordinary `.md` links only (the search benchmark's corpus).
    None,
    /// Also three wikilinks per article to other articles (by title where the title is
    /// unique, else by path), a glossary of the corpus's recurring terms, so that the first
    /// use of each is linked, and a study path of ten articles.
    Linked,
}

/// Writes `articles` articles and their sections under `content`; returns bytes written.
#[allow(dead_code)]
pub(crate) fn generate(content: &Path, articles: usize, seed: u64) -> std::io::Result<usize> {
    generate_with(content, articles, seed, Knowledge::None)
}

/// The corpus sizes to run: `GONGDU_BENCH_SIZES` (`1000,10000` unless set).
pub(crate) fn sizes() -> Vec<usize> {
    std::env::var("GONGDU_BENCH_SIZES")
        .unwrap_or_else(|_| "1000,10000".into())
        .split(',')
        .filter_map(|s| s.trim().parse().ok())
        .collect()
}

/// The gongdu programs to time: this package's own, or several side by side, taken in turns
/// on the same corpus, when `GONGDU_BENCH_BINS` names them as `label=path` pairs separated by
/// commas (e.g. `before=/tmp/gongdu-old,after=target/profiling/gongdu`), so that a change is
/// measured against the code before it under the same load.
#[allow(dead_code)]
pub(crate) fn binaries() -> Vec<(String, std::path::PathBuf)> {
    match std::env::var("GONGDU_BENCH_BINS") {
        Ok(list) if !list.trim().is_empty() => list
            .split(',')
            .map(|pair| {
                let (label, path) = pair
                    .split_once('=')
                    .unwrap_or_else(|| panic!("GONGDU_BENCH_BINS: {pair:?} is not label=path"));
                assert!(
                    Path::new(path).is_file(),
                    "GONGDU_BENCH_BINS: no program at {path}"
                );
                (label.trim().to_owned(), path.trim().into())
            })
            .collect(),
        _ => vec![("gongdu".to_owned(), env!("CARGO_BIN_EXE_gongdu").into())],
    }
}

/// The folder a benchmark keeps its sites in: `$GONGDU_BENCH_DIR/<name>` when set (a tmpfs
/// there keeps disk noise out of the figures), else Cargo's temporary folder for benchmarks.
pub(crate) fn work_dir(name: &str) -> std::path::PathBuf {
    match std::env::var_os("GONGDU_BENCH_DIR") {
        Some(dir) => Path::new(&dir).join(name),
        None => Path::new(env!("CARGO_TARGET_TMPDIR")).join(name),
    }
}

/// Bytes in the files under `dir`, all the way down.
// Each benchmark includes this file; the serve benchmark measures no folder.
#[allow(dead_code)]
pub(crate) fn dir_bytes(dir: &Path) -> u64 {
    let mut total = 0;
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            match entry.metadata() {
                Ok(meta) if meta.is_dir() => stack.push(entry.path()),
                Ok(meta) => total += meta.len(),
                Err(_) => {}
            }
        }
    }
    total
}

/// The benchmark site `work/n<n>`: site.yaml and a generated corpus, made once and kept
/// (a `.corpus-<version>` stamp says which generator made it; change `version` when the
/// corpus must be made again).
pub(crate) fn prepare(
    work: &Path,
    n: usize,
    site_yaml: &str,
    knowledge: Knowledge,
    version: &str,
) -> std::path::PathBuf {
    made_once(
        work,
        n,
        site_yaml,
        &format!(".corpus-{version}"),
        |content| {
            let started = std::time::Instant::now();
            generate_with(content, n, 1, knowledge).expect("corpus");
            eprintln!(
                "generated {n} articles in {:.1} s",
                started.elapsed().as_secs_f64()
            );
            true
        },
    )
    .expect("this file's generator makes the articles")
}

/// The benchmark site `work/n<n>` with its articles from the shared generator `gen_corpus.py`
/// ([`gen_corpus`]), made once and kept: longer articles, with more varied text and more
/// common words, than [`generate`] writes. `None` when the script is not there or fails.
#[allow(dead_code)]
pub(crate) fn prepare_gen_corpus(
    work: &Path,
    n: usize,
    site_yaml: &str,
) -> Option<std::path::PathBuf> {
    made_once(work, n, site_yaml, ".corpus-gen_corpus-seed1", |content| {
        gen_corpus(content, n)
    })
}

/// `work/n<n>` once `make` has written its articles into its `content` folder, beside
/// `site.yaml`; kept, and not made again, while the file `stamp` in it says which generator
/// made it. `None` when `make` fails.
fn made_once(
    work: &Path,
    n: usize,
    site_yaml: &str,
    stamp: &str,
    make: impl FnOnce(&Path) -> bool,
) -> Option<std::path::PathBuf> {
    let site = work.join(format!("n{n}"));
    let stamp = site.join(stamp);
    if !stamp.exists() {
        let _ = std::fs::remove_dir_all(&site);
        std::fs::create_dir_all(&site).expect("bench folder");
        std::fs::write(site.join("site.yaml"), site_yaml).expect("site.yaml");
        if !make(&site.join("content")) {
            return None;
        }
        std::fs::write(&stamp, "").expect("stamp");
    }
    Some(site)
}

/// Writes `n` articles into `content` with the shared generator `gen_corpus.py` (`--format
/// plain --seed 1`, as `hugo_compare.sh` and issue 15's figures make them): the script
/// `GONGDU_GEN_CORPUS` names, else `../shared/bench/gen_corpus.py` beside the repository.
/// False when the script is not there or fails.
#[allow(dead_code)]
pub(crate) fn gen_corpus(content: &Path, n: usize) -> bool {
    let script = std::env::var_os("GONGDU_GEN_CORPUS")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| {
            Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/bench/gen_corpus.py")
        });
    script.is_file()
        && std::process::Command::new("python3")
            .arg(&script)
            .args(["--articles", &n.to_string()])
            .args(["--format", "plain", "--seed", "1", "--out"])
            .arg(content)
            .stdout(std::process::Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
}

/// [`generate`], with the knowledge-base features chosen.
pub(crate) fn generate_with(
    content: &Path,
    articles: usize,
    seed: u64,
    knowledge: Knowledge,
) -> std::io::Result<usize> {
    let mut r = Rng::new(seed);
    let authors: Vec<String> = (0..240)
        .map(|i| {
            format!(
                "{}{}",
                SURNAMES[i % SURNAMES.len()],
                GIVEN[(i / SURNAMES.len() + i) % GIVEN.len()]
            )
        })
        .collect();
    let mut bytes = 0;
    let mut write = |path: &Path, text: &str| -> std::io::Result<()> {
        std::fs::create_dir_all(path.parent().expect("has a folder"))?;
        bytes += text.len();
        std::fs::write(path, text)
    };
    write(
        &content.join("_index.md"),
        "---\ntitle: 基准知识库\n---\n合成语料，用于构建速度基准。\n",
    )?;
    for (ti, (dir, name, subs)) in TOPICS.iter().enumerate() {
        write(
            &content.join(dir).join("_index.md"),
            &format!("---\ntitle: {name}\nweight: {ti}\n---\n{name}栏目。\n"),
        )?;
        for (sdir, sname) in subs {
            write(
                &content.join(dir).join(sdir).join("_index.md"),
                &format!("---\ntitle: {sname}\n---\n"),
            )?;
        }
    }
    let metas: Vec<Article> = (0..articles)
        .map(|i| {
            let (dir, _, subs) = TOPICS[r.below(4)];
            let (sdir, _) = subs[r.below(4)];
            Article {
                dir: format!("{dir}/{sdir}"),
                slug: format!("a{i:05}"),
                title: format!("{}与{}", r.pick(THINGS), r.pick(THINGS)),
            }
        })
        .collect();
    let mut title_count: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    for a in &metas {
        *title_count.entry(a.title.as_str()).or_default() += 1;
    }
    if knowledge == Knowledge::Linked {
        write(
            &content.join("glossary/_index.md"),
            "---\ntitle: 术语表\n---\n",
        )?;
        for (i, term) in THINGS.iter().enumerate() {
            write(
                &content.join(format!("glossary/t{i:03}.md")),
                &format!(
                    "---\ntitle: {term}\ndefinition: {term}是职工学习中常见的概念，这里给出一句话的简短说明。\n---\n{term}的详细解释。\n"
                ),
            )?;
        }
    }
    for (i, a) in metas.iter().enumerate() {
        let topic = TOPICS
            .iter()
            .find(|t| a.dir.starts_with(t.0))
            .map_or("", |t| t.1);
        let mut tags: Vec<&str> = (0..2 + r.below(4))
            .map(|_| TAGS[r.below(TAGS.len())])
            .collect();
        tags.dedup();
        let by: Vec<&str> = (0..1 + r.below(3))
            .map(|_| authors[r.below(authors.len())].as_str())
            .collect();
        let series = if knowledge == Knowledge::Linked && i < 10 {
            format!(
                "series: 基准路线\norder: {}\nquestions: [这一篇讲了什么？]\nevents:\n  - {{ date: {}, title: 基准事件{i} }}\n",
                i + 1,
                1950 + i
            )
        } else {
            String::new()
        };
        let mut text = format!(
            "---\n{series}title: \"{}\"\ndate: {}-{:02}-{:02}\nauthors: [{}]\ntopics: [{topic}]\ntags: [{}]\nsummary: \"{}。\"\nsource:\n  publication: 工人日报\n  date: {}\n---\n\n",
            a.title,
            2015 + r.below(12),
            1 + r.below(12),
            1 + r.below(28),
            by.join(", "),
            tags.join(", "),
            clause(&mut r),
            2015 + r.below(12),
        );
        paragraph(&mut r, &mut text);
        for s in 0..2 + r.below(6) + r.below(2) {
            let _ = write!(
                text,
                "## {}、{}\n\n",
                ["一", "二", "三", "四", "五", "六", "七", "八"][s],
                clause(&mut r)
            );
            for _ in 0..2 + r.below(3) {
                paragraph(&mut r, &mut text);
            }
            if r.chance(40) {
                for _ in 0..3 + r.below(3) {
                    let _ = writeln!(text, "- {}。", clause(&mut r));
                }
                text.push('\n');
            }
            if r.chance(10) {
                let _ = write!(text, "> {}。\n\n", clause(&mut r));
            }
        }
        if knowledge == Knowledge::Linked {
            for _ in 0..3 {
                let o = &metas[r.below(metas.len())];
                if title_count[o.title.as_str()] == 1 {
                    let _ = write!(text, "另见[[{}]]。", o.title);
                } else {
                    let _ = write!(text, "另见[[{}/{}|{}]]。", o.dir, o.slug, o.title);
                }
            }
            text.push_str("\n\n");
        }
        let other = &metas[r.below(metas.len())];
        let _ = write!(
            text,
            "参见[{}](../../{}/{}.md)。{}[^1]\n\n",
            other.title,
            other.dir,
            other.slug,
            clause(&mut r)
        );
        if r.chance(6) {
            text.push_str("```python\nfor worker in workers:\n    print(worker.name, worker.skill_level)\n```\n\n");
        }
        let _ = writeln!(
            text,
            "[^1]: 见《工人日报》{}年的有关报道。",
            2015 + r.below(12)
        );
        write(&content.join(&a.dir).join(format!("{}.md", a.slug)), &text)?;
    }
    Ok(bytes)
}
