//! Support for end-to-end tests: run the built `helpatwork` binary in a temp data dir.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The `helpatwork` binary cargo built beside this test binary.
pub fn helpatwork_bin() -> PathBuf {
    let exe = std::env::current_exe().expect("test binary path");
    // target/<profile>/deps/cli-<hash> → target/<profile>/helpatwork
    let dir = exe.parent().and_then(Path::parent).expect("target dir");
    let bin = dir.join(format!("helpatwork{}", std::env::consts::EXE_SUFFIX));
    assert!(
        bin.exists(),
        "{} is missing: run `cargo build -p helpatwork-cli` first (scripts/test.sh does)",
        bin.display()
    );
    bin
}

/// A user's machine: its own data dir and environment.
pub struct Machine {
    pub data: tempfile::TempDir,
    envs: Vec<(String, String)>,
}

pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.stdout).unwrap_or_else(|e| {
            panic!(
                "stdout is not one JSON document ({e}):\n{}\nstderr:\n{}",
                self.stdout, self.stderr
            )
        })
    }
}

impl Default for Machine {
    fn default() -> Self {
        Self::new()
    }
}

impl Machine {
    pub fn new() -> Self {
        Self {
            data: tempfile::tempdir().expect("temp dir"),
            envs: Vec::new(),
        }
    }

    pub fn env(mut self, key: &str, value: &str) -> Self {
        self.envs.push((key.into(), value.into()));
        self
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.data.path().join(name)
    }

    pub fn write(&self, name: &str, contents: impl AsRef<[u8]>) -> PathBuf {
        let p = self.path(name);
        std::fs::write(&p, contents).expect("write test file");
        p
    }

    pub fn run(&self, args: &[&str]) -> Run {
        let mut cmd = Command::new(helpatwork_bin());
        cmd.args(args)
            .env_clear()
            .env("PATH", std::env::var("PATH").unwrap_or_default())
            .env("HOME", self.data.path())
            .env("HELPATWORK_DATA_DIR", self.data.path().join("data"))
            .env("USER", "agent.test")
            .env("LANG", "C");
        for (k, v) in &self.envs {
            cmd.env(k, v);
        }
        let Output {
            status,
            stdout,
            stderr,
        } = cmd.output().expect("run helpatwork");
        Run {
            code: status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&stdout).into_owned(),
            stderr: String::from_utf8_lossy(&stderr).into_owned(),
        }
    }
}

/// A small valid fleet in the documented JSON shape.
pub fn fleet_json() -> String {
    serde_json::json!({"devices": [
        {"id":"and-001","name":"Ana's Galaxy","user":{"name":"Ana Souza","email":"ana@example.com"},
         "platform":"android","os_version":"14","manufacturer":"Samsung","model":"Galaxy S23","kiosk":false,
         "mam_only":false,"online":true,"last_checkin":"2026-11-20T10:00:00Z","host_activated":true,
         "apps":[{"app":"quicksupport","version":"15.60.1","managed":true,"allowlisted":true},
                 {"app":"addon-oem","version":"15.42.2","managed":true,"allowlisted":true}]},
        {"id":"ios-002","name":"Bruno's iPhone","user":{"name":"Bruno Lima","email":"bruno@example.com"},
         "platform":"ios","os_version":"17.6.1","manufacturer":"Apple","model":"iPhone 15","kiosk":false,
         "mam_only":false,"online":true,"last_checkin":"2026-11-20T10:00:00Z","host_activated":false,
         "apps":[{"app":"quicksupport","version":"15.59.0","managed":true,"allowlisted":true}]},
        {"id":"ios-003","name":"Carla's old iPhone","user":{"name":"Carla Reis","email":"carla@example.com"},
         "platform":"ios","os_version":"10.3.3","manufacturer":"Apple","model":"iPhone 5c","kiosk":false,
         "mam_only":false,"online":false,"last_checkin":"2026-11-01T10:00:00Z","host_activated":false,"apps":[]},
        {"id":"ios-004","name":"Diego's MAM iPhone","user":{"name":"Diego Costa","email":"diego@example.com"},
         "platform":"ios","os_version":"17.0","manufacturer":"Apple","model":"iPhone 13","kiosk":false,
         "mam_only":true,"online":true,"last_checkin":"2026-11-20T10:00:00Z","host_activated":false,"apps":[]}
    ]})
    .to_string()
}
