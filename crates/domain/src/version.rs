//! Dotted numeric versions: OS versions ("10.3.3", "17"), app versions ("15.60.1").
//!
//! Missing components compare as zero, so "11" == "11.0" == "11.0.0". At most four
//! numeric components are accepted; anything else is a [`VersionError`].

use std::cmp::Ordering;
use std::fmt;
use std::str::FromStr;

/// A parsed version with up to four numeric components.
#[derive(Debug, Clone, Copy, Eq)]
pub struct Version {
    parts: [u32; 4],
    len: u8,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum VersionError {
    #[error("the version is empty")]
    Empty,
    #[error("\"{0}\" is not a version: use digits separated by dots, such as 15.60.1")]
    Malformed(String),
}

impl Version {
    pub const fn new(major: u32, minor: u32, patch: u32) -> Self {
        Self {
            parts: [major, minor, patch, 0],
            len: 3,
        }
    }

    /// Parses "15", "15.60", "15.60.1" or "15.60.1.2". Surrounding white space is ignored.
    pub fn parse(text: &str) -> Result<Self, VersionError> {
        let text = text.trim();
        if text.is_empty() {
            return Err(VersionError::Empty);
        }
        let mut parts = [0u32; 4];
        let mut len = 0u8;
        for piece in text.split('.') {
            let malformed = || VersionError::Malformed(text.chars().take(64).collect());
            if len == 4 || piece.is_empty() || !piece.bytes().all(|b| b.is_ascii_digit()) {
                return Err(malformed());
            }
            parts[len as usize] = piece.parse().map_err(|_| malformed())?;
            len += 1;
        }
        Ok(Self { parts, len })
    }

    pub fn major(&self) -> u32 {
        self.parts[0]
    }

    pub fn minor(&self) -> u32 {
        self.parts[1]
    }

    pub fn patch(&self) -> u32 {
        self.parts[2]
    }
}

impl PartialEq for Version {
    fn eq(&self, other: &Self) -> bool {
        self.parts == other.parts
    }
}

impl Ord for Version {
    fn cmp(&self, other: &Self) -> Ordering {
        self.parts.cmp(&other.parts)
    }
}

impl PartialOrd for Version {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl std::hash::Hash for Version {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.parts.hash(state);
    }
}

impl FromStr for Version {
    type Err = VersionError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let shown = self.len.max(1) as usize;
        for (i, part) in self.parts[..shown].iter().enumerate() {
            if i > 0 {
                f.write_str(".")?;
            }
            write!(f, "{part}")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn missing_components_are_zero() {
        assert_eq!(
            Version::parse("11").unwrap(),
            Version::parse("11.0.0").unwrap()
        );
        assert!(Version::parse("10.3.3").unwrap() < Version::parse("11").unwrap());
        assert!(Version::parse("15.60.1").unwrap() > Version::parse("15.9.9").unwrap());
    }

    #[test]
    fn rejects_garbage() {
        for bad in [
            "",
            " ",
            "a",
            "1..2",
            "1.2.",
            ".1",
            "1.2.3.4.5",
            "-1",
            "1.x",
            "99999999999",
            "１",
        ] {
            assert!(Version::parse(bad).is_err(), "{bad:?} must be rejected");
        }
    }

    #[test]
    fn displays_as_written() {
        assert_eq!(Version::parse(" 15.60.1 ").unwrap().to_string(), "15.60.1");
        assert_eq!(Version::parse("17").unwrap().to_string(), "17");
    }

    proptest! {
        #[test]
        fn parse_never_panics(s in ".{0,40}") {
            let _ = Version::parse(&s);
        }

        #[test]
        fn round_trips(a in 0u32..100_000, b in 0u32..1000, c in 0u32..1000) {
            let v = Version::parse(&format!("{a}.{b}.{c}")).unwrap();
            prop_assert_eq!(v, Version::new(a, b, c));
            prop_assert_eq!(Version::parse(&v.to_string()).unwrap(), v);
        }
    }
}
