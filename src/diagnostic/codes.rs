//! The table of diagnostic codes: for each `GD0xxx`, its severity, its message in English and
//! Chinese (templates with `{name}` holes) and the page `gongdu explain` prints. The numbering
//! follows the pipeline: 01 YAML, 02 site.yaml, 03 the content folder, 04 front matter,
//! 05 links and Markdown, 06 the knowledge base, 07 themes, 08 output, 09 the publishing guard.

use super::Severity;
use super::text::Words;

/// One code's row of the table.
#[derive(Debug)]
pub struct Entry {
    pub code: Code,
    pub id: &'static str,
    pub severity: Severity,
    pub message: Words,
    /// What the problem means and how to fix it, for `gongdu explain`.
    pub explain: Words,
}

macro_rules! codes {
    ($($name:ident = $id:literal $sev:ident
        en $en:literal zh $zh:literal
        explain_en $xen:literal explain_zh $xzh:literal;)*) => {
        /// A stable diagnostic code; [`Code::entry`] has its words.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Code { $($name),* }

        /// Every code, in the order of [`Code`] (so `CODES[code as usize]` is its row).
        pub static CODES: &[Entry] = &[$(Entry {
            code: Code::$name,
            id: $id,
            severity: Severity::$sev,
            message: Words { en: $en, zh: $zh },
            explain: Words { en: $xen, zh: $xzh },
        }),*];
    };
}

impl Code {
    pub fn entry(self) -> &'static Entry {
        &CODES[self as usize]
    }

    pub fn id(self) -> &'static str {
        self.entry().id
    }

    /// The code named `id` (`GD0102`, `gd0102` or `0102`).
    pub fn from_id(id: &str) -> Option<Code> {
        let id = id.trim().to_ascii_uppercase();
        let id = id.strip_prefix("GD").unwrap_or(&id);
        CODES.iter().find(|e| &e.id[2..] == id).map(|e| e.code)
    }
}

codes! {
    Generic = "GD0000" Error
        en "{text}" zh "{text}"
        explain_en "A problem reported by a part of gongdu that has not been given a code of its own yet. The message says what is wrong; its file, line and column say where."
        explain_zh "gongdu 的某个部分报告的问题，还没有专门的代码。消息说明出了什么错，文件、行号和列号说明在哪里。";

    YamlSyntax = "GD0101" Error
        en "{detail}" zh "YAML 写法有误：{detail_zh}"
        explain_en "The front matter or site.yaml is not valid YAML. The most common causes: a value that contains `: ` (quote it: `title: \"学习体会: 第一讲\"`), a tab used for indentation (indent with spaces), a full-width colon `：` after a key (type the half-width `:` followed by a space)."
        explain_zh "前言或 site.yaml 不是合法的 YAML。最常见的原因：值里含有“冒号加空格”（给整个值加引号：`title: \"学习体会: 第一讲\"`）；用 Tab 键缩进（改用空格）；键后面用了全角冒号“：”（改成半角冒号 `:` 再加一个空格）。";
    UnknownField = "GD0102" Error
        en "{prefix}unknown field `{field}`" zh "{prefix}未知字段 `{field}`"
        explain_en "A key that gongdu does not know, usually a misspelling (`titel:` for `title:`). The hint names the closest known key. Custom values belong under `extra:`."
        explain_zh "gongdu 不认识这个键，通常是拼写错误（把 `title:` 写成了 `titel:`）。提示会给出最接近的已知键。自定义的值请写在 `extra:` 下面。";
    YamlFlowTooDeep = "GD0103" Error
        en "`[` and `{` nest more than {max} levels deep here" zh "`[` 和 `{` 在这里嵌套超过 {max} 层"
        explain_en "Brackets nest deeper than any real value needs; gongdu refuses such text before parsing it, so that a build always finishes. Write the values out plainly."
        explain_zh "方括号或花括号嵌套得比任何真实内容都深；gongdu 在解析之前就拒绝这样的文本，以保证构建总能完成。请把值直接写出来。";
    YamlTooDeep = "GD0104" Error
        en "the YAML nests more than {max} levels deep" zh "YAML 嵌套超过 {max} 层"
        explain_en "Indented blocks nest deeper than any real value needs. Write the values out plainly."
        explain_zh "缩进的层次比任何真实内容都深。请把值直接写出来。";
    YamlAliasBomb = "GD0105" Error
        en "the YAML repeats aliases (`*name`) so often that it would expand beyond any real value"
        zh "YAML 中的别名（`*name`）重复过多，展开后会远超任何真实内容"
        explain_en "YAML aliases (`&name` … `*name`) that multiply into a huge value are refused. Write the values out plainly."
        explain_zh "会成倍展开成巨大内容的 YAML 别名（`&name` … `*name`）会被拒绝。请把值直接写出来。";
    FrontMatterShape = "GD0106" Error
        en "the front matter is {found}, not `key: value` lines" zh "前言是{found}，而不是 `键: 值` 形式的行"
        explain_en "The block between the `---` lines must be `key: value` lines such as `title: 文章标题`. A line like `title：文章标题` with a full-width colon is read as plain text."
        explain_zh "两行 `---` 之间必须是 `键: 值` 形式的行，例如 `title: 文章标题`。像 `title：文章标题` 这样用全角冒号的行会被当作纯文本。";
    YamlValue = "GD0107" Error
        en "{detail}" zh "值不合要求：{detail_zh}"
        explain_en "A key has a value of the wrong kind (text where a list is wanted, a word where a number is wanted), or a value that is not one of those allowed, or a required key is missing. The message names the key and what it expects."
        explain_zh "某个键的值类型不对（需要列表却写了文字，需要数字却写了文字），或者不是允许的取值，或者缺少必需的键。消息会说明是哪个键、需要什么。";

    ConfigUnreadable = "GD0201" Error
        en "cannot read the site settings: {error}" zh "无法读取站点设置：{error_zh}"
        explain_en "There is no readable site.yaml in the site's folder. Run gongdu in the folder that holds site.yaml, pass --root, or start a site with `gongdu new site DIR`."
        explain_zh "站点文件夹中没有可读的 site.yaml。请在存放 site.yaml 的文件夹中运行 gongdu，或者用 --root 指定，或者用 `gongdu new site 文件夹` 新建站点。";
    BaseUrl = "GD0202" Error
        en "base_url must be an absolute http(s) URL such as https://example.org/study/, not `{url}`"
        zh "base_url 必须是完整的 http(s) 网址，例如 https://example.org/study/，而不是 `{url}`"
        explain_en "`base_url` (or --base-url) is the address the site is published at; feeds and the sitemap need it whole, with its scheme and host."
        explain_zh "`base_url`（或 --base-url）是站点发布的网址；订阅源和站点地图需要完整的网址，包括协议和主机名。";
    PageSizeZero = "GD0203" Error
        en "page_size must be at least 1" zh "page_size 至少为 1"
        explain_en "`pagination.page_size` is how many articles a listing page shows; write 1 or more."
        explain_zh "`pagination.page_size` 是每个列表页显示的文章数，请写 1 或更大的数。";
    SeriesTwice = "GD0204" Error
        en "study path `{name}` is described twice" zh "学习路线 `{name}` 描述了两次"
        explain_en "Two entries under `series:` in site.yaml have the same name. Keep one."
        explain_zh "site.yaml 的 `series:` 下有两项名称相同。请只保留一项。";
    SeriesSlug = "GD0205" Error
        en "study path `{name}` has a slug with no letters or digits" zh "学习路线 `{name}` 的 slug 不含字母或数字"
        explain_en "A study path's `slug` names its folder under paths/; it needs letters or digits."
        explain_zh "学习路线的 `slug` 是它在 paths/ 下的文件夹名，必须含有字母或数字。";
    TaxonomyTwice = "GD0206" Error
        en "taxonomy `{name}` is listed twice" zh "分类 `{name}` 列出了两次"
        explain_en "`taxonomies:` lists the same taxonomy twice. Keep one entry for each of topics, tags and authors."
        explain_zh "`taxonomies:` 把同一种分类列了两次。topics、tags、authors 各保留一项即可。";
    MenuTarget = "GD0207" Error
        en "menu entry `{label}` links to `{url}`, which is no page of the site"
        zh "菜单项 `{label}` 指向 `{url}`，站点中没有这个页面"
        explain_en "A `menu:` entry in site.yaml points to a site path that no page has, so every page would carry a dead link. Write the path of a section, a page or a listing (`history/`, `topics/`), or a full https:// address."
        explain_zh "site.yaml 中 `menu:` 的某一项指向的站内路径没有对应的页面，每个页面上都会出现一个死链接。请写栏目、文章或列表页的路径（如 `history/`、`topics/`），或者完整的 https:// 网址。";
    ThemeNotFound = "GD0208" Error
        en "theme `{theme}` not found: there is no folder themes/{theme}" zh "找不到主题 `{theme}`：没有 themes/{theme} 文件夹"
        explain_en "`theme:` in site.yaml names a theme that is neither built in (`default`) nor a folder under themes/."
        explain_zh "site.yaml 中 `theme:` 指定的主题既不是内置的 `default`，也不是 themes/ 下的文件夹。";
    BaseUrlCharacter = "GD0209" Error
        en "base_url holds the character {character}, which a URL cannot contain; write it as https://example.org/study/"
        zh "base_url 含有字符 {character}，网址中不能有它；请写成 https://example.org/study/ 这样"
        explain_en "base_url is written into robots.txt, the sitemap, feeds and every page's head. A line break, space, quote or bracket in it would add lines or end an attribute there, so it is refused."
        explain_zh "base_url 会写进 robots.txt、站点地图、订阅源和每一页的头部。其中的换行、空格、引号或尖括号会在那里多出一行或提前结束属性，所以会被拒绝。";

    SymlinkOutside = "GD0301" Warning
        en "symbolic link to {target}, outside the site folder: not followed" zh "符号链接指向站点文件夹之外的 {target}：未跟随"
        explain_en "A link under content/ points outside the site. It is not followed, so that no file elsewhere on the machine is published by mistake. Copy the file into the site."
        explain_zh "content/ 中的符号链接指向站点之外。为避免误将电脑上的其他文件发布出去，gongdu 不跟随它。请把文件复制到站点中。";
    NonUtf8Name = "GD0302" Error
        en "the file name is not valid UTF-8; rename it (the name shown is approximate)"
        zh "文件名不是有效的 UTF-8，请重命名（显示的名称是近似的）"
        explain_en "The file's name was written in another encoding (often by an old archive tool). Rename the file."
        explain_zh "文件名是用其他编码写的（常见于旧的压缩工具）。请给文件重新命名。";
    NoContent = "GD0303" Error
        en "there is no content folder here" zh "这里没有 content 文件夹"
        explain_en "Articles live in content/ beside site.yaml. Run gongdu in the site's folder or pass --root."
        explain_zh "文章放在 site.yaml 旁边的 content/ 文件夹中。请在站点文件夹中运行 gongdu，或者用 --root 指定。";
    SymlinkLoop = "GD0304" Warning
        en "symbolic link loop: the link points to a folder that contains it; skipped"
        zh "符号链接循环：链接指向包含它自身的文件夹；已跳过"
        explain_en "Following this link would walk the same folders forever; remove the link."
        explain_zh "跟随这个链接会无穷无尽地重复走同样的文件夹；请删除这个链接。";
    SymlinkBroken = "GD0305" Warning
        en "symbolic link that cannot be followed ({error}); skipped" zh "无法跟随的符号链接（{error_zh}）；已跳过"
        explain_en "The link's target is missing or unreadable. Fix or remove the link."
        explain_zh "链接的目标不存在或不可读。请修正或删除这个链接。";
    CannotRead = "GD0306" Error
        en "cannot read: {error}" zh "无法读取：{error_zh}"
        explain_en "The system refused to read a file or folder (permissions, a disk error). The message is the system's own."
        explain_zh "系统拒绝读取某个文件或文件夹（权限或磁盘错误）。常见的原因先用中文说明，括号里是系统给出的原文。";
    CannotReadFile = "GD0307" Error
        en "cannot read the file: {error}" zh "无法读取文件：{error_zh}"
        explain_en "The system refused to read an article (permissions, a disk error). The message is the system's own."
        explain_zh "系统拒绝读取这篇文章（权限或磁盘错误）。常见的原因先用中文说明，括号里是系统给出的原文。";
    NestedBundle = "GD0308" Warning
        en "an article folder inside another article folder is not read" zh "文章文件夹里的文章文件夹不会被读取"
        explain_en "A folder with an index.md is one article with its files; an article folder inside it is ignored. Move it out."
        explain_zh "含有 index.md 的文件夹是一篇文章及其附件；放在其中的另一个文章文件夹会被忽略。请把它移出来。";
    MarkdownInBundle = "GD0309" Warning
        en "Markdown file inside an article folder is not an article; move it out or rename it"
        zh "文章文件夹里的 Markdown 文件不算文章；请移出或改名"
        explain_en "Files beside an index.md belong to that article; a second .md file there is not built."
        explain_zh "与 index.md 放在一起的文件属于那篇文章；其中另外的 .md 文件不会被构建。";
    FileTooLarge = "GD0310" Error
        en "the file is {size} MB; gongdu reads Markdown files up to {max} MB"
        zh "文件有 {size} MB；gongdu 只读取不超过 {max} MB 的 Markdown 文件"
        explain_en "An article this large is almost always a mistake (an embedded image, a whole archive). Split it into several articles."
        explain_zh "这么大的文章几乎总是出了错（嵌入了图片、粘贴了整个档案）。请拆成几篇文章。";
    Encoding = "GD0311" Error
        en "{detail}" zh "文件编码有误：{detail}"
        explain_en "The file is neither UTF-8 nor GB18030/GBK text. Save it as UTF-8 in your editor (WPS and Word: 另存为 → 纯文本 → UTF-8)."
        explain_zh "文件既不是 UTF-8 也不是 GB18030/GBK 文本。请在编辑器中另存为 UTF-8（WPS 或 Word：另存为 → 纯文本 → UTF-8）。";
    EncodingGuessed = "GD0312" Warning
        en "{detail}" zh "文件编码：{detail}"
        explain_en "The file was not UTF-8; gongdu read it in the encoding named. Save it as UTF-8 to be sure."
        explain_zh "文件不是 UTF-8；gongdu 按消息中所说的编码读取了它。为稳妥起见，请另存为 UTF-8。";
    EmptyFile = "GD0313" Error
        en "the file is empty" zh "文件是空的"
        explain_en "An article needs at least front matter with a title: `---`, `title: 文章标题`, `---`."
        explain_zh "文章至少需要带标题的前言：`---`、`title: 文章标题`、`---` 三行。";
    Unclosed = "GD0314" Error
        en "the front matter opened with `---` on line 1 is never closed; end it with a line `---`"
        zh "第 1 行以 `---` 开始的前言没有结束；请用一行 `---` 结束它"
        explain_en "Front matter starts and ends with a line of three hyphens. Add the closing `---` after the last key."
        explain_zh "前言以一行三个减号开始，也以一行三个减号结束。请在最后一个键之后加上 `---`。";

    NoTitle = "GD0401" Error
        en "the page has no title" zh "页面没有标题"
        explain_en "Every article needs `title:` in its front matter. If you wrote it, check its spelling."
        explain_zh "每篇文章的前言都需要 `title:`。如果已经写了，请检查拼写。";
    BadDate = "GD0402" Error
        en "`{text}` is not a date; write it as 2024-04-26 or 2024-04-26T09:30:00+08:00"
        zh "`{text}` 不是日期；请写成 2024-04-26 或 2024-04-26T09:30:00+08:00"
        explain_en "Dates are written year-month-day: `date: 2024-05-08`. gongdu also reads 2024年5月8日, 2024.5.8 and 2024/05/08 (with a warning naming the ISO form)."
        explain_zh "日期按“年-月-日”书写：`date: 2024-05-08`。gongdu 也能读 2024年5月8日、2024.5.8 和 2024/05/08（会给出警告并写出标准写法）。";
    ImpossibleDate = "GD0403" Error
        en "`{text}` is not a day of the calendar" zh "日历上没有 `{text}` 这一天"
        explain_en "The date is written correctly but no such day exists (2023-02-30, 2024-13-01). Check the source."
        explain_zh "日期格式正确，但没有这一天（例如 2023-02-30、2024-13-01）。请核对出处。";
    InvalidMoment = "GD0404" Error
        en "`{text}` is not a valid {what}" zh "`{text}` 不是有效的{what}"
        explain_en "The date and time do not exist in China Standard Time. Check the source."
        explain_zh "这个日期时间在北京时间中不存在。请核对出处。";
    BadPartialDate = "GD0405" Error
        en "`{text}` is not a date; write a year (1922), a month (1922-05) or a day (1922-05-01)"
        zh "`{text}` 不是日期；请写年份（1922）、年月（1922-05）或年月日（1922-05-01）"
        explain_en "Timeline events and citations may give a year, a month or a day, written with hyphens."
        explain_zh "大事记和出处的日期可以只写年、年月或年月日，用减号连接。";
    TooManyTerms = "GD0406" Error
        en "`{key}` lists {count} names; a page may have at most {max}" zh "`{key}` 列了 {count} 个名称；一个页面最多 {max} 个"
        explain_en "Each topic, tag or author gets a page listing its articles; a very long list makes the site grow with its square."
        explain_zh "每个专题、标签、作者都会生成一个列出其文章的页面；列表太长会让站点规模成平方增长。";
    SlugEmpty = "GD0407" Error
        en "slug `{slug}` has no letters or digits to use in a URL" zh "slug `{slug}` 不含可用于网址的字母或数字"
        explain_en "`slug:` becomes the last part of the article's address; give it letters, digits or Chinese characters."
        explain_zh "`slug:` 是文章网址的最后一段，请使用字母、数字或汉字。";
    EventNoTitle = "GD0408" Error
        en "an event has an empty `title`" zh "有一条大事记的 `title` 是空的"
        explain_en "Each entry under `events:` needs a `date:` and a `title:`."
        explain_zh "`events:` 下的每一项都需要 `date:` 和 `title:`。";
    SeriesNoOrder = "GD0409" Error
        en "the article names a `series` but not its `order`" zh "文章写了 `series`，但没写 `order`"
        explain_en "An article in a study path says where it stands: `order: 1` for the first."
        explain_zh "学习路线中的文章要写明自己的位置：第一篇写 `order: 1`。";
    OrderZero = "GD0410" Error
        en "`order` counts from 1" zh "`order` 从 1 开始数"
        explain_en "The first article of a study path has `order: 1`."
        explain_zh "学习路线的第一篇文章是 `order: 1`。";
    OrderNoSeries = "GD0411" Error
        en "`order` is the place in a study path, but the article names no `series`"
        zh "`order` 是文章在学习路线中的位置，但文章没写 `series`"
        explain_en "Add `series: 学习路线名称`, or remove `order`."
        explain_zh "请加上 `series: 学习路线名称`，或者删掉 `order`。";
    ChineseDate = "GD0412" Warning
        en "`{text}` was read as {iso}" zh "`{text}` 已按 {iso} 读取"
        explain_en "gongdu accepts the common Chinese ways of writing a day (2024年5月8日, 2024.5.8, 2024/05/08) and says which day it read. Write the ISO form to silence the warning."
        explain_zh "gongdu 接受常见的中文日期写法（2024年5月8日、2024.5.8、2024/05/08），并说明按哪一天读取。改成标准写法即可消除警告。";
    OneTagWithSeparators = "GD0413" Warning
        en "`{key}: {value}` is one name, but `{separator}` inside it looks like a list"
        zh "`{key}: {value}` 是一个名称，但其中的 `{separator}` 看起来像列表"
        explain_en "`tags: 苏区、劳模运动`, `tags: [工运历史，工会建设]` and `tags: 苏区, 劳模运动` (no brackets) are one tag each: YAML separates list items only with a half-width comma inside brackets. Write `tags: [苏区, 劳模运动]`, or set `split_tags: true` in site.yaml to split on `、`, `，` and `,`."
        explain_zh "`tags: 苏区、劳模运动`、`tags: [工运历史，工会建设]` 和不带方括号的 `tags: 苏区, 劳模运动` 都只是一个标签：YAML 只把方括号里的半角逗号当作列表分隔。请写成 `tags: [苏区, 劳模运动]`，或在 site.yaml 中设置 `split_tags: true`，让 gongdu 按“、”“，”和“,”拆分。";
    YearOutOfRange = "GD0414" Error
        en "`{text}` has the year {year}; write a year from 0001 to 9999"
        zh "`{text}` 的年份是 {year}；年份应在 0001 到 9999 之间"
        explain_en "Dates are written with a year from 0001 to 9999. Year 0000 and years before it are refused, because feeds, the sitemap and browsers cannot show them."
        explain_zh "日期的年份应在 0001 到 9999 之间。0000 年及更早的年份会被拒绝，因为订阅源、站点地图和浏览器都无法表示。";
    TooLong = "GD0415" Error
        en "`{key}` is {chars} characters long; {what} may be at most {max} characters (`{head}`)"
        zh "`{key}` 有 {chars} 个字符；{what}最多 {max} 个字符（`{head}`）"
        explain_en "Fields that other pages repeat (titles in listings, feeds, backlinks and wikilinks; names on every listing; site.yaml's title and menu on every page) have length limits, so that the built site stays in proportion to its sources. docs/security.md lists every limit. Shorten the field."
        explain_zh "会在其他页面重复出现的字段（标题出现在列表、订阅源、反向链接和维基链接中；名称出现在每个列表中；site.yaml 的标题和菜单出现在每一页）都有长度限制，使生成的网站与原稿的大小相称。docs/security.md 列出了全部限制。请缩短该字段。";
    TooManyEvents = "GD0416" Error
        en "`events` lists {count} events; an article may declare at most {max}"
        zh "`events` 列了 {count} 个事件；一篇文章最多 {max} 个"
        explain_en "Every topic of an article repeats its events on its own timeline page, so one article may declare a bounded number of events. Split them over several articles."
        explain_zh "文章的每个专题都会在自己的大事记页面上重复这些事件，所以一篇文章能声明的事件数有上限。请把事件分到几篇文章中。";

    LinkOutside = "GD0501" Error
        en "link `{dest}` points outside the content folder" zh "链接 `{dest}` 指向 content 文件夹之外"
        explain_en "Relative links are read from the article's folder; too many `../` leave the site."
        explain_zh "相对链接从文章所在的文件夹算起；`../` 太多就出了站点。";
    NoArticle = "GD0502" Error
        en "link to `{dest}`: there is no article content/{target}" zh "链接 `{dest}`：没有文章 content/{target}"
        explain_en "The link names an article file that does not exist. Links are relative to the article's folder; check the spelling and the folder."
        explain_zh "链接指向的文章文件不存在。链接从文章所在的文件夹算起，请检查拼写和文件夹。";
    NoImage = "GD0503" Error
        en "image `{dest}`: there is no file content/{target}" zh "图片 `{dest}`：没有文件 content/{target}"
        explain_en "The image file is missing. Save it beside the article (or in its folder) and link it by its file name."
        explain_zh "图片文件不存在。请把图片存到文章旁边（或文章文件夹中），并用文件名链接。";
    NoFile = "GD0504" Error
        en "link to `{dest}`: there is no file content/{target}" zh "链接 `{dest}`：没有文件 content/{target}"
        explain_en "The link names a file or page of the site that does not exist."
        explain_zh "链接指向的站内文件或页面不存在。";
    WikilinkMissing = "GD0505" Error
        en "wikilink `[[{dest}]]` matches no page title, synonym, slug or path"
        zh "维基链接 `[[{dest}]]` 找不到对应的页面标题、同义词、slug 或路径"
        explain_en "`[[…]]` names a page by its exact title, a glossary synonym, its slug or its path under content/ without .md."
        explain_zh "`[[…]]` 中要写页面的完整标题、术语的同义词、slug，或者 content/ 下不带 .md 的路径。";
    WikilinkAmbiguous = "GD0506" Error
        en "wikilink `[[{dest}]]` is ambiguous: {count} pages have this {kind}: {pages}"
        zh "维基链接 `[[{dest}]]` 有歧义：{count} 个页面有这个{kind}：{pages}"
        explain_en "Several pages answer to the name; link one by its path (`[[history/anyuan]]`)."
        explain_zh "有几个页面都叫这个名字；请用路径链接其中一个（`[[history/anyuan]]`）。";
    AnchorMissing = "GD0507" Error
        en "link to `{link}`: {whose} has no heading `{fragment}`" zh "链接 `{link}`：{whose}没有小节 `{fragment}`"
        explain_en "The part after `#` names a heading the page does not have. The hint lists its headings."
        explain_zh "`#` 后面的部分是页面中不存在的小节。提示中列出了它的小节。";
    WikiAnchorMissing = "GD0508" Error
        en "wikilink `{link}`: {whose} has no heading `{fragment}`" zh "维基链接 `{link}`：{whose}没有小节 `{fragment}`"
        explain_en "The part after `#` names a heading the page does not have. The hint lists its headings."
        explain_zh "`#` 后面的部分是页面中不存在的小节。提示中列出了它的小节。";
    UrlRefused = "GD0509" Error
        en "{what} `{url}` uses the `{scheme}:` scheme; pages may only link to http, https, mailto, tel and relative URLs"
        zh "{what} `{url}` 使用了 `{scheme}:` 协议；页面只能链接 http、https、mailto、tel 和相对地址"
        explain_en "Links such as `javascript:` or `data:` can run code in a reader's browser, so no page carries them."
        explain_zh "`javascript:`、`data:` 之类的链接可能在读者的浏览器里执行代码，所以页面不会带上它们。";
    UrlShownPlain = "GD0510" Warning
        en "{what} `{url}` uses the `{scheme}:` scheme; pages may only link to http, https, mailto, tel and relative URLs; it is shown as plain text"
        zh "{what} `{url}` 使用了 `{scheme}:` 协议；页面只能链接 http、https、mailto、tel 和相对地址；它会显示为纯文本"
        explain_en "The site trusts its raw HTML, so the link's text is kept, but not the link."
        explain_zh "站点信任原始 HTML，所以保留链接文字，但不保留链接。";
    RawHtmlRemoved = "GD0511" Warning
        en "raw HTML with {what} was removed from the page" zh "含有 {what} 的原始 HTML 已从页面中删除"
        explain_en "Scripts, event handlers and `javascript:` URLs in an article are removed. Set `markdown: {raw_html: trusted}` in site.yaml only if every article's HTML is trusted."
        explain_zh "文章中的脚本、事件处理和 `javascript:` 网址会被删除。只有在每篇文章的 HTML 都可信时，才在 site.yaml 中设置 `markdown: {raw_html: trusted}`。";
    NestingTooDeep = "GD0512" Error
        en "quotes, lists and HTML elements nest more than {max} levels deep here"
        zh "引用、列表和 HTML 元素在这里嵌套超过 {max} 层"
        explain_en "No real article nests this deep; gongdu stops here so that a build always finishes."
        explain_zh "真实的文章不会嵌套这么深；gongdu 在这里停下，以保证构建总能完成。";
    ControlChar = "GD0513" Warning
        en "control character U+{code} in the text; feeds show it as a space" zh "正文中有控制字符 U+{code}；订阅源会把它显示为空格"
        explain_en "Text pasted from Word or WPS often carries invisible control characters. Delete them."
        explain_zh "从 Word 或 WPS 粘贴的文字常带有看不见的控制字符。请删除它们。";
    ControlChars = "GD0514" Warning
        en "control character U+{code} in the text (and {more} more in this file); feeds show it as a space"
        zh "正文中有控制字符 U+{code}（本文件中还有 {more} 个）；订阅源会把它们显示为空格"
        explain_en "Text pasted from Word or WPS often carries invisible control characters. Delete them."
        explain_zh "从 Word 或 WPS 粘贴的文字常带有看不见的控制字符。请删除它们。";
    MoreProblems = "GD0515" Error
        en "{count} more problems in this file are not shown" zh "本文件还有 {count} 个问题未显示"
        explain_en "A file with very many problems shows the first ones; fix them and build again."
        explain_zh "问题很多的文件只显示前面一部分；改好后再构建一次。";
    CodeLineLong = "GD0516" Warning
        en "line {line} of this code block is {bytes} bytes long; lines over {max} bytes are not highlighted and are shown as plain text"
        zh "这个代码块的第 {line} 行有 {bytes} 字节；超过 {max} 字节的行不做语法高亮，按纯文本显示"
        explain_en "Very long lines are shown without colours. Break the line, or leave out the language after ``` if it is not code."
        explain_zh "很长的行不做着色。请断行；如果不是代码，去掉 ``` 后面的语言名。";
    CodeTooDeep = "GD0517" Warning
        en "the code in this block nests more than {max} levels deep by its line {line}; the lines after it are shown as plain text"
        zh "这个代码块到第 {line} 行嵌套超过 {max} 层；其后的行按纯文本显示"
        explain_en "Usually an unclosed bracket or quote. Close it, or leave out the language after ```."
        explain_zh "通常是括号或引号没有闭合。请闭合它，或者去掉 ``` 后面的语言名。";
    CodeBudget = "GD0518" Warning
        en "this page has more than {max} KB of code to highlight; the rest of this block and the later ones are shown as plain text"
        zh "这个页面要高亮的代码超过 {max} KB；本代码块其余部分和之后的代码块按纯文本显示"
        explain_en "Split the page, or leave out the language of the largest blocks."
        explain_zh "请拆分页面，或者去掉最大的几个代码块的语言名。";
    ExternalImage = "GD0519" Warning
        en "image `{url}` is loaded from another site: an offline mirror shows it as missing"
        zh "图片 `{url}` 从其他网站加载：离线镜像中会显示为缺失"
        explain_en "`gongdu check` warns about what an offline copy cannot show. Save the image beside the article and link it by its file name."
        explain_zh "`gongdu check` 会提醒离线副本无法显示的内容。请把图片存到文章旁边，并用文件名链接。";
    ExternalLink = "GD0520" Warning
        en "link to `{url}` leaves the site: offline readers cannot follow it"
        zh "链接 `{url}` 指向站外：离线阅读时无法打开"
        explain_en "`gongdu check` warns about links an offline copy cannot follow; nothing needs fixing if the link is meant for online readers."
        explain_zh "`gongdu check` 会提醒离线副本无法打开的链接；如果链接本就是给在线读者的，无需修改。";
    ActiveContent = "GD0521" Error
        en "{what} in a file copied as it is; a browser would run it"
        zh "原样复制的文件中有 {what}，浏览器会执行它"
        explain_en "An .svg, .html or similar file in content/ is copied to the site as it is, so a script, an event handler, a frame or a javascript: URL inside it would run in readers' browsers. Under `raw_html: safe` (the default) the build refuses it; under `raw_html: trusted` it warns. Remove the active part from the file."
        explain_zh "content/ 中的 .svg、.html 等文件会原样复制到网站，其中的脚本、事件处理属性、框架或 javascript: 网址会在读者的浏览器中执行。在 `raw_html: safe`（默认）下构建会拒绝它；在 `raw_html: trusted` 下只给出警告。请从文件中删除这些内容。";

    GlossaryNoDefinition = "GD0601" Error
        en "the glossary entry has no `definition`" zh "术语条目没有 `definition`"
        explain_en "A glossary entry needs a short `definition:`, shown when a reader points at the term."
        explain_zh "术语条目需要简短的 `definition:`，读者指向术语时会显示它。";
    RelatedMissing = "GD0602" Error
        en "related term `{name}` is not in the glossary" zh "相关术语 `{name}` 不在术语表中"
        explain_en "`related:` names glossary entries by title or slug."
        explain_zh "`related:` 中要写术语条目的标题或 slug。";
    GlossaryNameTaken = "GD0603" Error
        en "`{name}` already names the glossary entry {other}" zh "`{name}` 已经是术语条目 {other} 的名称"
        explain_en "Two glossary entries share a title or synonym, so a term in the text could not know where to link."
        explain_zh "两个术语条目的标题或同义词相同，正文中的术语就不知道该链接到哪里。";
    OrderTaken = "GD0604" Error
        en "`order: {order}` in study path `{name}` is taken by {other} too" zh "学习路线 `{name}` 中的 `order: {order}` 也被 {other} 占用"
        explain_en "Two articles of a study path claim the same place; give each its own `order`."
        explain_zh "学习路线中有两篇文章占了同一个位置；请给每篇文章不同的 `order`。";
    AliasOutside = "GD0605" Error
        en "alias `{alias}` is not a path inside the site" zh "别名 `{alias}` 不是站内路径"
        explain_en "`aliases:` lists old addresses of the page, as paths inside the site (`old/page/`)."
        explain_zh "`aliases:` 列出页面以前的地址，应写站内路径（如 `old/page/`）。";
    WrittenTwice = "GD0606" Error
        en "`{url}` would be written twice: by {first} and by {second}" zh "`{url}` 会被写两次：{first} 和 {second}"
        explain_en "Two pages would have the same address. Give one of them another `slug:` or file name."
        explain_zh "两个页面的网址相同。请给其中一个换一个 `slug:` 或文件名。";
    TermNoLetters = "GD0607" Error
        en "`{name}` has no letters or digits to name a page after" zh "`{name}` 不含可用作页面名的字母或数字"
        explain_en "Each topic, tag and author gets a page named after it; a name made only of punctuation cannot."
        explain_zh "每个专题、标签和作者都有一个以其命名的页面；只有标点的名称无法做页面名。";
    TooManyTips = "GD0608" Warning
        en "the article uses more than {max} glossary terms; from `{term}` on, terms link to their entries without showing their definitions"
        zh "文章用到的术语超过 {max} 个；从 `{term}` 起，术语只链接到条目，不再显示定义"
        explain_en "Each definition shown on hover is copied into the page, so a page shows at most a bounded number of them; the rest still link to the glossary."
        explain_zh "悬停时显示的每条定义都会复制到页面中，所以一页显示的定义数有上限；其余术语仍然链接到术语表。";

    TemplateSyntax = "GD0701" Error
        en "template syntax error: {detail}" zh "模板语法错误：{detail}"
        explain_en "A theme template is not valid tera. The message says what the parser expected at the caret."
        explain_zh "主题模板不是合法的 tera 模板。消息说明了解析器在插入符处期望什么。";
    Template = "GD0702" Error
        en "{detail}" zh "模板错误：{detail}"
        explain_en "A theme template failed: a missing template, a cycle of includes, or an error while rendering a page. The message is tera's, with the page it broke."
        explain_zh "主题模板出错：缺少模板、模板互相包含成环，或渲染页面时出错。消息是 tera 给出的，并注明出错的页面。";
    TemplateUnreadable = "GD0703" Error
        en "cannot read the template: {error}" zh "无法读取模板：{error_zh}"
        explain_en "The system refused to read a template file."
        explain_zh "系统拒绝读取模板文件。";
    ThemeUnreadable = "GD0704" Warning
        en "cannot read: {error}" zh "无法读取：{error_zh}"
        explain_en "A file of the theme could not be read; it is left out."
        explain_zh "主题中的某个文件无法读取，已略过。";
    AssetSyntax = "GD0705" Error
        en "cannot minify this stylesheet or script: {detail}" zh "无法压缩这个样式表或脚本：{detail}"
        explain_en "Stylesheets and scripts under the theme's `static/assets/` are minified and published under names that carry a hash of their content; scripts under `static/search/` are minified under their own names. This one does not parse as CSS or JavaScript; fix it at the line shown, or name it `*.min.css` / `*.min.js` to publish it as it is."
        explain_zh "主题 `static/assets/` 下的样式表和脚本会被压缩，并以带内容哈希的文件名发布；`static/search/` 下的脚本会被压缩，文件名不变。这个文件无法按 CSS 或 JavaScript 解析；请在所示行修正，或者把它命名为 `*.min.css` / `*.min.js`，原样发布。";

    Output = "GD0801" Error
        en "{detail}" zh "无法写出站点：{detail}"
        explain_en "The output folder could not be written (permissions, a full disk, a folder gongdu did not create). The message says which."
        explain_zh "无法写入输出文件夹（权限、磁盘已满，或者该文件夹不是 gongdu 创建的）。消息会说明原因。";
    OutputPathClash = "GD0802" Error
        en "{detail}" zh "输出路径冲突：{detail}"
        explain_en "Two things would be written to the same path of the built site (compared without regard to case, as on a FAT USB stick), a file would stand where a folder is needed, something would be put inside the generated search/ folder, or a name would be longer than file systems allow (200 bytes; a Chinese character takes 3). The message names both writers; rename one."
        explain_zh "生成的网站中有两样东西会写到同一路径（不区分大小写，和 FAT 格式的 U 盘一样），或者需要文件夹的地方会是一个文件，或者有内容要放进生成的 search/ 文件夹，或者名称超过文件系统允许的长度（200 字节；一个汉字占 3 字节）。消息会说出两个写入者；请给其中一个改名。";

    SpamTerm = "GD0901" Warning
        en "published page contains the gambling or adult term `{term}` ({field})"
        zh "将要发布的页面含有赌博或色情词语 `{term}`（{field}）"
        explain_en "Spam injected into a source site (a gambling or adult brand, often replacing a name or a common word) has reached a page that will be published. `gongdu build` warns; `gongdu check` refuses it. Remove the term (restoring the word it replaced, if you know it), or set `draft: true` until an editor has checked the page. `gongdu import` finds most such spam before it gets here."
        explain_zh "源网站被注入的垃圾内容（赌博或色情品牌名，常常顶替人名或常用词）进入了将要发布的页面。`gongdu build` 给出警告，`gongdu check` 视为错误。请删除该词（知道被顶替的原词时补回原词），或在编辑核对前设为 `draft: true`。`gongdu import` 会在导入时找出大部分这类内容。";
}

/// Words used inside messages and hints, in both languages.
pub mod words {
    use super::Words;

    macro_rules! words {
        ($($name:ident = $en:literal, $zh:literal;)*) => {
            $(pub static $name: Words = Words { en: $en, zh: $zh };)*
        };
    }

    words! {
        A_LIST = "a list", "列表";
        PLAIN_TEXT = "plain text", "纯文本";
        A_NUMBER = "a number", "数字";
        A_YES_NO = "a yes/no value", "是非值";
        THIS_PAGE = "this page", "本页";
        MOMENT = "moment", "时刻";
        DAY = "day", "日期";
        LINK = "link", "链接";
        IMAGE = "image", "图片";
        MENU_URL = "menu url", "菜单网址";
        SOURCE_URL = "source url", "出处网址";
        TITLE = "title", "标题";
        SYNONYM = "synonym", "同义词";
        SLUG = "slug", "slug";
        PATH = "path", "路径";
        EVENT = "event `{title}`: ", "大事记 `{title}`：";
        SOURCE_DATE = "source date: ", "出处日期：";
        SOURCE = "source: ", "出处：";
        WHILE_RENDERING = " (while rendering {page})", "（渲染 {page} 时）";
        WHILE_RENDERING_MORE = " (while rendering {page} and {others} other pages)", "（渲染 {page} 及另外 {others} 个页面时）";
        DID_YOU_MEAN = "did you mean `{name}`?", "是不是想写 `{name}`？";
        KNOWN_FIELDS = "known fields here: {names}", "这里可用的字段：{names}";
    }
}
