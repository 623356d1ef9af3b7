//! A date as a reader of the site's language writes it (`2024年4月26日`, `26 April 2024`).
//! Pages, listings, timelines and search results all show dates through [`date_text`]; the
//! formats themselves belong to `source`'s date types.

use crate::config::Language;
use crate::source::{Date, PartialDate};

/// A date that can be spelled out in each language the site may be written in.
pub(crate) trait Spelled {
    fn chinese(&self) -> String;
    fn english(&self) -> String;
}

impl Spelled for Date {
    fn chinese(&self) -> String {
        Date::chinese(self)
    }
    fn english(&self) -> String {
        Date::english(self)
    }
}

impl Spelled for PartialDate {
    fn chinese(&self) -> String {
        PartialDate::chinese(self)
    }
    fn english(&self) -> String {
        PartialDate::english(self)
    }
}

/// `date` in `language`.
pub(crate) fn date_text(date: &impl Spelled, language: Language) -> String {
    match language {
        Language::ZhCn => date.chinese(),
        Language::En => date.english(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_language_spells_days_and_partial_dates_its_own_way() {
        let day = Date::parse("2024-04-26").expect("a date");
        assert_eq!(date_text(&day, Language::ZhCn), "2024年4月26日");
        assert_eq!(date_text(&day, Language::En), "26 April 2024");
        let month = PartialDate::parse("1922-05").expect("a month");
        assert_eq!(date_text(&month, Language::ZhCn), "1922年5月");
        assert_eq!(date_text(&month, Language::En), "May 1922");
    }
}
