//! The kinds of HTML page a theme renders, each with its template. `kind` in every template
//! context is [`PageKind::name`].

/// A kind of page, rendered by one template of the theme.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PageKind {
    Home,
    Section,
    Page,
    TaxonomyList,
    TaxonomyTerm,
    Search,
    Glossary,
    Timeline,
    Paths,
    Path,
    NotFound,
}

impl PageKind {
    pub const ALL: [PageKind; 11] = [
        PageKind::Home,
        PageKind::Section,
        PageKind::Page,
        PageKind::TaxonomyList,
        PageKind::TaxonomyTerm,
        PageKind::Search,
        PageKind::Glossary,
        PageKind::Timeline,
        PageKind::Paths,
        PageKind::Path,
        PageKind::NotFound,
    ];

    /// `kind` as templates see it.
    pub fn name(self) -> &'static str {
        match self {
            PageKind::Home => "home",
            PageKind::Section => "section",
            PageKind::Page => "page",
            PageKind::TaxonomyList => "taxonomy_list",
            PageKind::TaxonomyTerm => "taxonomy_term",
            PageKind::Search => "search",
            PageKind::Glossary => "glossary",
            PageKind::Timeline => "timeline",
            PageKind::Paths => "paths",
            PageKind::Path => "path",
            PageKind::NotFound => "404",
        }
    }

    /// The theme template that renders this kind of page.
    pub fn template(self) -> &'static str {
        match self {
            PageKind::Home => "home.html",
            PageKind::Section => "section.html",
            PageKind::Page => "page.html",
            PageKind::TaxonomyList => "taxonomy_list.html",
            PageKind::TaxonomyTerm => "taxonomy_term.html",
            PageKind::Search => "search.html",
            PageKind::Glossary => "glossary.html",
            PageKind::Timeline => "timeline.html",
            PageKind::Paths => "paths.html",
            PageKind::Path => "path.html",
            PageKind::NotFound => "404.html",
        }
    }
}
