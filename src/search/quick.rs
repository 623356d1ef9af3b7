//! The quick index that answers as the reader types: titles, headings and tags (and, once the
//! site has a glossary, its terms), built with elasticlunr-rs through a `Language` that uses
//! gongdu's own tokenizer and no pipeline, and read by elasticlunr.js in the browser.

use std::sync::Arc;

use elasticlunr::{IndexBuilder, Language, Pipeline};

use super::fold::FoldTable;
use super::tokenize::tokenize;

/// elasticlunr's view of the shared tokenizer.
struct Bigrams(Arc<FoldTable>);

impl Language for Bigrams {
    fn name(&self) -> String {
        // elasticlunr.js does not read the language; the tokenizer is passed to it directly.
        "gongdu-bigram".into()
    }

    fn code(&self) -> String {
        "zh".into()
    }

    fn tokenize(&self, text: &str) -> Vec<String> {
        tokenize(text, &self.0)
            .into_iter()
            .map(|(t, _)| t)
            .collect()
    }

    fn make_pipeline(&self) -> Pipeline {
        // No stemming, no stop words, no trimmer: tokens are already what queries produce.
        Pipeline { queue: Vec::new() }
    }
}

/// One thing the quick index can find.
pub(crate) struct Entry {
    pub label: String,
    pub url: String,
    pub kind: &'static str,
}

/// The elasticlunr index over `entries` (ref = position in the list) as JSON, and the
/// `refs` object the browser shows results from.
pub(crate) fn build(entries: &[Entry], fold: Arc<FoldTable>) -> (String, serde_json::Value) {
    let mut index = IndexBuilder::with_language(Box::new(Bigrams(fold)))
        .save_docs(false)
        .add_field("label")
        .build();
    let mut refs = serde_json::Map::new();
    for (i, e) in entries.iter().enumerate() {
        let id = i.to_string();
        index.add_doc(&id, [e.label.as_str()]);
        refs.insert(id, serde_json::json!([e.label, e.url, e.kind]));
    }
    (index.to_json(), serde_json::Value::Object(refs))
}
