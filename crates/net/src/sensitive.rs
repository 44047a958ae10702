//! `Sensitive<T>`: a wrapper for secrets (OAuth tokens, client secrets, the Ivanti API users'
//! passwords).
//!
//! Debug and Display print `<redacted>`; there is deliberately no `Serialize` impl, so a secret
//! cannot end up in JSON, a DTO or a file by accident. Reading the value is an explicit
//! [`Sensitive::expose`].

use std::fmt;

use serde::{Deserialize, Deserializer};

/// A secret value. Debug/Display print `<redacted>`; use [`Sensitive::expose`] to read it.
///
/// It implements `Deserialize` (so a secret can be read from input) but never `Serialize`:
///
/// ```compile_fail
/// fn needs_serialize<T: serde::Serialize>() {}
/// needs_serialize::<helpatwork_net::Sensitive<String>>();
/// ```
#[derive(Clone, PartialEq, Eq, Default)]
pub struct Sensitive<T>(T);

impl<T> Sensitive<T> {
    /// Wraps a secret.
    pub fn new(value: T) -> Self {
        Self(value)
    }

    /// Reads the secret. Call sites are the only places a secret is visible: keep them few.
    pub fn expose(&self) -> &T {
        &self.0
    }

    /// Unwraps the secret.
    pub fn into_inner(self) -> T {
        self.0
    }
}

impl<T> From<T> for Sensitive<T> {
    fn from(value: T) -> Self {
        Self(value)
    }
}

impl From<&str> for Sensitive<String> {
    fn from(value: &str) -> Self {
        Self(value.to_owned())
    }
}

impl<T> fmt::Debug for Sensitive<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

impl<T> fmt::Display for Sensitive<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Sensitive<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        T::deserialize(deserializer).map(Self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_and_display_are_redacted() {
        let secrets: [Sensitive<String>; 3] = [
            Sensitive::new("tv-secret-123".to_owned()),
            Sensitive::from("hunter2"),
            Sensitive::from(String::from("hunter2")),
        ];
        for secret in secrets {
            assert_eq!(format!("{secret:?}"), "<redacted>");
            assert_eq!(format!("{secret}"), "<redacted>");
            assert_eq!(format!("{:?}", Some(&secret)), "Some(<redacted>)");
        }
        let secret: Sensitive<String> = "hunter2".into();
        assert_eq!(secret.expose(), "hunter2");
        assert_eq!(secret.into_inner(), "hunter2");
    }

    #[test]
    fn deserializes_transparently() {
        let secret: Sensitive<String> = serde_json::from_str("\"abc\"").expect("json string");
        assert_eq!(secret.expose(), "abc");
    }
}
