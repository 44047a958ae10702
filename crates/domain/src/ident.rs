//! Ids and names that come from outside (fleet files, the MDM): when two ids are the same
//! device, which characters an id may not hold, and how names are normalised.
//!
//! Two ids are the same device when their [`id_key`]s are equal: Unicode compatibility
//! normalisation (NFKC), lower case, and every dash-like character read as `-`. So `AND-001`,
//! `and-001`, `and‐001` (U+2010) and `ａｎｄ-００１` are one device. An id holding a character
//! that changes how text reads without being seen (bidi controls such as RLO, zero-width
//! characters, line and paragraph separators, other format characters) is refused
//! ([`id_problem`]). Names are kept in NFC ([`normalize_text`]), so the NFC and NFD forms of one
//! name are one name; printers show their invisible characters escaped.

use unicode_normalization::UnicodeNormalization;

/// Longest id accepted, in bytes.
pub const MAX_ID_LEN: usize = 128;

/// A character that changes how text reads or is laid out without being seen: the bidi
/// controls (LRE…RLO, LRI…PDI, LRM, RLM, ALM), zero-width characters, the line and paragraph
/// separators, the byte order mark and the other format (`Cf`) characters, and every control
/// character.
pub fn is_invisible(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{00AD}'
                | '\u{034F}'
                | '\u{0600}'..='\u{0605}'
                | '\u{061C}'
                | '\u{06DD}'
                | '\u{070F}'
                | '\u{08E2}'
                | '\u{115F}'
                | '\u{1160}'
                | '\u{17B4}'
                | '\u{17B5}'
                | '\u{180B}'..='\u{180F}'
                | '\u{200B}'..='\u{200F}'
                | '\u{2028}'..='\u{202E}'
                | '\u{2060}'..='\u{206F}'
                | '\u{3164}'
                | '\u{FE00}'..='\u{FE0F}'
                | '\u{FEFF}'
                | '\u{FFA0}'
                | '\u{FFF9}'..='\u{FFFB}'
                | '\u{110BD}'
                | '\u{110CD}'
                | '\u{13430}'..='\u{1343F}'
                | '\u{1BCA0}'..='\u{1BCA3}'
                | '\u{1D173}'..='\u{1D17A}'
                | '\u{E0001}'
                | '\u{E0020}'..='\u{E007F}'
                | '\u{E0100}'..='\u{E01EF}'
        )
}

/// A dash that reads as `-` (hyphens, dashes, minus signs).
fn is_dash(c: char) -> bool {
    matches!(
        c,
        '\u{2010}'
            ..='\u{2015}'
                | '\u{2043}'
                | '\u{2212}'
                | '\u{2E3A}'
                | '\u{2E3B}'
                | '\u{FE58}'
                | '\u{FE63}'
                | '\u{FF0D}'
                | '\u{058A}'
                | '\u{05BE}'
                | '\u{1806}'
                | '\u{30FC}'
    )
}

/// What two ids are compared by: NFKC, lower case, dashes as `-`.
pub fn id_key(id: &str) -> String {
    let id = id.trim();
    if id.is_ascii() {
        // ASCII is its own NFKC form, and its only dash is `-`.
        return id.to_ascii_lowercase();
    }
    let lower: String = id.nfkc().flat_map(char::to_lowercase).collect();
    lower
        .nfkc()
        .map(|c| if is_dash(c) { '-' } else { c })
        .collect()
}

/// Why `id` cannot be a device id, if it cannot: empty, too long, white space, control or
/// invisible characters.
pub fn id_problem(id: &str) -> Option<String> {
    if id.trim().is_empty() {
        return Some("must not be empty".into());
    }
    if id.len() > MAX_ID_LEN {
        return Some(format!("is longer than {MAX_ID_LEN} characters"));
    }
    if let Some(c) = id.chars().find(|c| is_invisible(*c) && !c.is_control()) {
        return Some(format!(
            "must not contain invisible or direction-changing characters (U+{:04X})",
            u32::from(c)
        ));
    }
    if id.chars().any(|c| c.is_control() || c.is_whitespace()) {
        return Some("must not contain spaces or control characters".into());
    }
    None
}

/// A name as it is kept: Unicode NFC, so its composed and decomposed forms are one name.
pub fn normalize_text(text: &str) -> String {
    if text.is_ascii()
        || unicode_normalization::is_nfc_quick(text.chars())
            == unicode_normalization::IsNormalized::Yes
    {
        text.to_string()
    } else {
        text.nfc().collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn case_width_and_dash_variants_are_one_id() {
        let key = id_key("and-001");
        for variant in [
            "AND-001",
            "And-001",
            "and\u{2010}001",
            "and\u{2011}001",
            "and\u{2212}001",
            "ａｎｄ－００１",
            " and-001 ",
        ] {
            assert_eq!(id_key(variant), key, "{variant:?}");
        }
        assert_ne!(id_key("and-002"), key);
    }

    #[test]
    fn nfc_and_nfd_ids_are_one_id() {
        assert_eq!(id_key("jos\u{e9}-1"), id_key("jose\u{301}-1"));
    }

    #[test]
    fn invisible_and_bidi_characters_are_refused_in_ids() {
        for bad in [
            "and\u{202e}100-",
            "and\u{200b}001",
            "and\u{2028}001",
            "\u{feff}and-001",
            "and\u{2066}001",
            "and\u{00ad}001",
        ] {
            let why = id_problem(bad).unwrap_or_default();
            assert!(why.contains("invisible"), "{bad:?}: {why}");
        }
        assert!(id_problem("and 001").is_some());
        assert!(id_problem("and\u{1b}[2J").is_some());
        assert!(id_problem("").is_some());
        assert_eq!(id_problem("and-001"), None);
        assert_eq!(id_problem("josé-1"), None);
    }

    #[test]
    fn names_are_kept_in_nfc() {
        assert_eq!(normalize_text("Jose\u{301}"), "Jos\u{e9}");
        assert_eq!(normalize_text("Ana"), "Ana");
    }
}
