//! Where secrets live: the OS keyring (`KeyringStore`) or memory (`InMemoryStore`, tests).
//!
//! The store holds opaque strings under a key; the TeamViewer client keeps one entry holding the
//! JSON of access token, refresh token and expiry, so a rotated pair is written in one step.
//! Nothing here writes files or logs values.

use std::collections::HashMap;
use std::sync::Mutex;

use helpatwork_net::Sensitive;

/// A failure of the secret store. Messages never contain the secret.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SecretStoreError {
    #[error("the system keyring is not available: {0}")]
    Unavailable(String),
    #[error("the stored TeamViewer credentials are unreadable")]
    Corrupt,
}

/// A place to keep secrets. Implementations are blocking; the client calls them off the async
/// runtime (`spawn_blocking`).
pub trait SecretStore: Send + Sync + 'static {
    /// The secret under `key`, or `None` when there is none.
    fn get(&self, key: &str) -> Result<Option<Sensitive<String>>, SecretStoreError>;
    /// Stores (replaces) the secret under `key`.
    fn set(&self, key: &str, value: &Sensitive<String>) -> Result<(), SecretStoreError>;
    /// Deletes the secret under `key`; deleting a missing key is not an error.
    fn delete(&self, key: &str) -> Result<(), SecretStoreError>;
}

/// Which keyring back end a [`KeyringStore`] uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum KeyringBackend {
    /// The platform default: macOS Keychain, Windows Credential Manager, Secret Service
    /// (GNOME Keyring/KWallet over D-Bus) on Linux.
    PlatformDefault,
    /// Linux kernel keyutils (session keyring). Needs a session keyring (a desktop login, or
    /// `keyctl session -`); secrets do not survive the session. Used by the headless tests.
    #[cfg(target_os = "linux")]
    LinuxKeyutils,
}

/// Secrets in the OS keyring, under one service name (e.g. `helpatwork-desk`,
/// `helpatwork-desk-dev`); the key is the keyring "user".
#[derive(Debug, Clone)]
pub struct KeyringStore {
    service: String,
    backend: KeyringBackend,
}

impl KeyringStore {
    /// A store on the platform's default keyring.
    pub fn new(service: impl Into<String>) -> Self {
        Self::with_backend(service, KeyringBackend::PlatformDefault)
    }

    /// A store on an explicitly chosen back end.
    pub fn with_backend(service: impl Into<String>, backend: KeyringBackend) -> Self {
        Self {
            service: service.into(),
            backend,
        }
    }

    /// The service name entries are stored under.
    pub fn service(&self) -> &str {
        &self.service
    }

    fn entry(&self, key: &str) -> Result<keyring::Entry, SecretStoreError> {
        match self.backend {
            KeyringBackend::PlatformDefault => {
                keyring::Entry::new(&self.service, key).map_err(map_keyring_error)
            }
            #[cfg(target_os = "linux")]
            KeyringBackend::LinuxKeyutils => {
                let credential = keyring::keyutils::KeyutilsCredential::new_with_target(
                    None,
                    &self.service,
                    key,
                )
                .map_err(map_keyring_error)?;
                Ok(keyring::Entry::new_with_credential(Box::new(credential)))
            }
        }
    }
}

impl SecretStore for KeyringStore {
    #[tracing::instrument(skip_all, err, fields(service = %self.service))]
    fn get(&self, key: &str) -> Result<Option<Sensitive<String>>, SecretStoreError> {
        match self.entry(key)?.get_password() {
            Ok(value) => Ok(Some(Sensitive::new(value))),
            Err(keyring::Error::NoEntry) => Ok(None),
            Err(e) => Err(map_keyring_error(e)),
        }
    }

    #[tracing::instrument(skip_all, err, fields(service = %self.service))]
    fn set(&self, key: &str, value: &Sensitive<String>) -> Result<(), SecretStoreError> {
        self.entry(key)?
            .set_password(value.expose())
            .map_err(map_keyring_error)
    }

    #[tracing::instrument(skip_all, err, fields(service = %self.service))]
    fn delete(&self, key: &str) -> Result<(), SecretStoreError> {
        match self.entry(key)?.delete_credential() {
            Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
            Err(e) => Err(map_keyring_error(e)),
        }
    }
}

/// Maps keyring errors without ever printing the stored bytes (`BadEncoding` carries them).
fn map_keyring_error(error: keyring::Error) -> SecretStoreError {
    match error {
        keyring::Error::BadEncoding(_) => SecretStoreError::Corrupt,
        keyring::Error::PlatformFailure(e) => {
            SecretStoreError::Unavailable(format!("platform failure: {e}"))
        }
        keyring::Error::NoStorageAccess(e) => {
            SecretStoreError::Unavailable(format!("no access (locked?): {e}"))
        }
        keyring::Error::NoEntry => SecretStoreError::Unavailable("no entry".to_owned()),
        keyring::Error::TooLong(attr, limit) => {
            SecretStoreError::Unavailable(format!("{attr} longer than {limit}"))
        }
        keyring::Error::Invalid(attr, reason) => {
            SecretStoreError::Unavailable(format!("invalid {attr}: {reason}"))
        }
        keyring::Error::Ambiguous(_) => {
            SecretStoreError::Unavailable("several matching entries".to_owned())
        }
        _ => SecretStoreError::Unavailable("unknown keyring error".to_owned()),
    }
}

/// Secrets in process memory, for tests and the demo mode.
#[derive(Default)]
pub struct InMemoryStore {
    entries: Mutex<HashMap<String, Sensitive<String>>>,
}

impl InMemoryStore {
    pub fn new() -> Self {
        Self::default()
    }

    fn entries(&self) -> std::sync::MutexGuard<'_, HashMap<String, Sensitive<String>>> {
        // A poisoned lock only means another thread panicked mid-insert; the map is still usable.
        self.entries
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

impl std::fmt::Debug for InMemoryStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("InMemoryStore")
            .field("keys", &self.entries().keys().collect::<Vec<_>>())
            .finish()
    }
}

impl SecretStore for InMemoryStore {
    fn get(&self, key: &str) -> Result<Option<Sensitive<String>>, SecretStoreError> {
        Ok(self.entries().get(key).cloned())
    }

    fn set(&self, key: &str, value: &Sensitive<String>) -> Result<(), SecretStoreError> {
        self.entries().insert(key.to_owned(), value.clone());
        Ok(())
    }

    fn delete(&self, key: &str) -> Result<(), SecretStoreError> {
        self.entries().remove(key);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn in_memory_roundtrip() {
        let store = InMemoryStore::new();
        assert_eq!(store.get("k").expect("get"), None);
        store.set("k", &Sensitive::from("v")).expect("set");
        assert_eq!(
            store
                .get("k")
                .expect("get")
                .map(Sensitive::into_inner)
                .as_deref(),
            Some("v")
        );
        store.delete("k").expect("delete");
        store.delete("k").expect("delete twice");
        assert_eq!(store.get("k").expect("get"), None);
        store.set("tv", &Sensitive::from("topsecret")).expect("set");
        let debug = format!("{store:?}");
        assert!(
            debug.contains("tv") && !debug.contains("topsecret"),
            "{debug}"
        );
    }

    #[test]
    fn bad_encoding_never_prints_bytes() {
        let err = map_keyring_error(keyring::Error::BadEncoding(b"secret-bytes".to_vec()));
        assert!(!format!("{err} {err:?}").contains("secret"));
    }
}
