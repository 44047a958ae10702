//! The two languages the product speaks (spec: Interface words).

use serde::{Deserialize, Serialize};
use ts_rs::TS;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize, TS)]
#[ts(export)]
pub enum Lang {
    #[default]
    #[serde(rename = "en")]
    En,
    #[serde(rename = "pt-BR")]
    PtBr,
}

impl Lang {
    pub fn as_str(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::PtBr => "pt-BR",
        }
    }

    /// Accepts "en", "pt-BR" and the usual spellings of both ("pt_BR", "pt", "en-US", …).
    pub fn parse(text: &str) -> Option<Self> {
        let lower = text.trim().to_ascii_lowercase().replace('_', "-");
        if lower == "en" || lower.starts_with("en-") {
            Some(Lang::En)
        } else if lower == "pt" || lower.starts_with("pt-") {
            Some(Lang::PtBr)
        } else {
            None
        }
    }

    /// Picks the text for this language.
    pub fn pick<'a>(self, en: &'a str, pt_br: &'a str) -> &'a str {
        match self {
            Lang::En => en,
            Lang::PtBr => pt_br,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_common_spellings() {
        assert_eq!(Lang::parse("pt-BR"), Some(Lang::PtBr));
        assert_eq!(
            Lang::parse("pt_BR.UTF-8".split('.').next().unwrap()),
            Some(Lang::PtBr)
        );
        assert_eq!(Lang::parse("en-US"), Some(Lang::En));
        assert_eq!(Lang::parse("de"), None);
    }
}
