//! `Sensitive<T>`: a wrapper for secrets (the Ivanti API user's password).
//!
//! Debug and Display print `<redacted>`; there is deliberately no `Serialize` impl, so a secret
//! cannot end up in JSON, a DTO or a file by accident. Reading the value is an explicit
//! [`Sensitive::expose`].

use std::fmt;

/// A secret value. Debug/Display print `<redacted>`; use [`Sensitive::expose`] to read it.
///
/// It never implements `Serialize`:
///
/// ```compile_fail
/// fn needs_serialize<T: serde::Serialize>() {}
/// needs_serialize::<helpatwork_mdm::Sensitive<String>>();
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
}

impl From<&str> for Sensitive<String> {
    fn from(value: &str) -> Self {
        Self(value.to_owned())
    }
}

impl From<String> for Sensitive<String> {
    fn from(value: String) -> Self {
        Self(value)
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_and_display_are_redacted() {
        let secret = Sensitive::from("hunter2");
        assert_eq!(format!("{secret:?}"), "<redacted>");
        assert_eq!(format!("{secret}"), "<redacted>");
        assert_eq!(format!("{:?}", Some(&secret)), "Some(<redacted>)");
        assert_eq!(secret.expose(), "hunter2");
    }
}
