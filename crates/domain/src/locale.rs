//! A device's locale as its source reports it (`pt-BR`, `en_US`, `de-DE`…): what a valid one is
//! and how a CSV cell carries it. The coaching card speaks it when this product does
//! (`crate::coaching::device_card_lang`).
//!
//! A locale is a fact a source may not report: `None` is unknown, never a guess from the
//! country, the user's name or the product's language. It is kept as the source gives it (a
//! BCP 47-like tag, `-` or `_`); only its shape is checked. In a CSV cell an empty cell, or a
//! file without the `locale` column, is unknown (docs/fleet-files.md).

/// Longest locale, in characters (BCP 47 suggests tags up to 35 characters will do).
pub const MAX_LOCALE_LEN: usize = 35;

/// Why a locale is not valid, or `None`. Letters, digits and `_ . @ -` only (`sr_RS@latin`,
/// `en_US.UTF-8` are reported by some devices), 1 to [`MAX_LOCALE_LEN`] characters.
pub fn locale_issue(locale: &str) -> Option<String> {
    if locale.trim().is_empty() {
        Some("is empty (use null, or leave it out, when it is unknown)".into())
    } else if locale.chars().any(char::is_control) {
        Some("must not contain control characters".into())
    } else if locale.chars().count() > MAX_LOCALE_LEN {
        Some(format!("is longer than {MAX_LOCALE_LEN} characters"))
    } else if let Some(c) = locale.chars().find(|c| !allowed(*c)) {
        Some(format!(
            "must hold only letters, digits and _ . @ - (found \"{c}\"), e.g. pt-BR or en_US"
        ))
    } else if locale.trim().eq_ignore_ascii_case(crate::fleet::UNKNOWN) {
        Some("\"unknown\" is not a locale (leave the cell empty)".into())
    } else {
        None
    }
}

fn allowed(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '@' | '-')
}

/// Reads a CSV cell: empty is unknown, anything else the locale (trimmed; validated later).
pub fn parse_cell(cell: &str) -> Option<String> {
    let cell = cell.trim();
    (!cell.is_empty()).then(|| cell.to_string())
}

/// Writes a locale in one CSV cell, [`parse_cell`]'s inverse.
pub fn cell(locale: Option<&str>) -> String {
    locale.unwrap_or_default().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cell_round_trips_and_empty_is_unknown() {
        assert_eq!(parse_cell(""), None);
        assert_eq!(parse_cell("  "), None);
        assert_eq!(parse_cell(" pt-BR "), Some("pt-BR".into()));
        assert_eq!(parse_cell(&cell(Some("en_US"))), Some("en_US".into()));
        assert_eq!(parse_cell(&cell(None)), None);
    }

    #[test]
    fn tags_as_devices_report_them_pass_and_bad_ones_are_named() {
        for good in [
            "pt-BR",
            "en_US",
            "en",
            "sr_RS@latin",
            "en_US.UTF-8",
            "zh-Hant-TW",
        ] {
            assert_eq!(locale_issue(good), None, "{good}");
        }
        assert!(locale_issue("").unwrap().contains("empty"));
        assert!(locale_issue("pt\u{7}BR").unwrap().contains("control"));
        assert!(locale_issue(&"a".repeat(MAX_LOCALE_LEN + 1))
            .unwrap()
            .contains("longer"));
        assert_eq!(locale_issue(&"a".repeat(MAX_LOCALE_LEN)), None);
        assert!(locale_issue("pt BR").unwrap().contains("letters"));
        assert!(locale_issue("português").unwrap().contains("ê"));
        assert!(locale_issue("unknown").is_some());
    }
}
