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

/// The same machine with one more environment variable, for one command.
pub struct MachineView<'a> {
    machine: &'a Machine,
    extra: (String, String),
}

impl MachineView<'_> {
    pub fn run(&self, args: &[&str]) -> Run {
        self.machine.run_with(args, Some(&self.extra))
    }
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

    pub fn with_env(&self, key: &str, value: &str) -> MachineView<'_> {
        MachineView {
            machine: self,
            extra: (key.into(), value.into()),
        }
    }

    pub fn run(&self, args: &[&str]) -> Run {
        self.run_with(args, None)
    }

    /// The command, not yet run (to run several at once).
    pub fn command(&self, args: &[&str], extra: &[(&str, &str)]) -> Command {
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
        for (k, v) in extra {
            cmd.env(k, v);
        }
        cmd
    }

    /// Runs `script` with the shell `shell` (e.g. `["sh"]`, `["unshare", "-rm", "sh"]`) in this
    /// machine's environment, with `$HELPATWORK_BIN` the built binary and `$1…` the `args`.
    pub fn script(&self, shell: &[&str], script: &str, args: &[&str]) -> Run {
        let mut cmd = Command::new(shell.first().copied().unwrap_or("sh"));
        cmd.args(shell.iter().skip(1))
            .arg("-c")
            .arg(script)
            .arg("sh")
            .args(args)
            .env_clear()
            .env("PATH", std::env::var("PATH").unwrap_or_default())
            .env("HOME", self.data.path())
            .env("HELPATWORK_DATA_DIR", self.data.path().join("data"))
            .env("HELPATWORK_BIN", helpatwork_bin())
            .env("USER", "agent.test")
            .env("LANG", "C");
        for (k, v) in &self.envs {
            cmd.env(k, v);
        }
        let Output {
            status,
            stdout,
            stderr,
        } = cmd.output().expect("run the script");
        Run {
            code: status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&stdout).into_owned(),
            stderr: String::from_utf8_lossy(&stderr).into_owned(),
        }
    }

    fn run_with(&self, args: &[&str], extra: Option<&(String, String)>) -> Run {
        let extra: Vec<(&str, &str)> = extra
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        let mut cmd = self.command(args, &extra);
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

/// A fake TeamViewer service (the sandbox, following the documented API) on loopback, with a
/// fake desktop client install and a recording opener: everything a start needs.
pub struct World {
    pub machine: Machine,
    pub sandbox: helpatwork_teamviewer_sandbox::Sandbox,
    runtime: tokio::runtime::Runtime,
}

pub const SCRIPT_TOKEN: &str = "e2e-script-token-0123456789";

impl World {
    /// A machine with the fleet imported, TeamViewer desktop `desktop_version` installed, and
    /// the sandbox reachable; `script_token` signs the agent in without OAuth.
    pub fn new(desktop_version: &str, script_token: bool) -> Self {
        let world = Self::new_inner(desktop_version, script_token);
        world.admin_ready();
        world
    }

    fn new_inner(desktop_version: &str, script_token: bool) -> Self {
        Self::new_inner_with(desktop_version, script_token, None)
    }

    fn new_inner_with(desktop_version: &str, script_token: bool, database: Option<&str>) -> Self {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .expect("runtime");
        let sandbox = runtime
            .block_on(helpatwork_teamviewer_sandbox::spawn(
                helpatwork_teamviewer_sandbox::SandboxOptions {
                    script_tokens: vec![SCRIPT_TOKEN.to_string()],
                    ..Default::default()
                },
            ))
            .expect("sandbox");
        let mut machine = Machine::new();
        let home = machine.path("teamviewer");
        std::fs::create_dir_all(home.join("config")).unwrap();
        std::fs::write(
            home.join("config/global.conf"),
            format!("[strng] Version = \"{desktop_version}\"\n"),
        )
        .unwrap();
        let opener = machine.path("opener.sh");
        std::fs::write(
            &opener,
            format!(
                "#!/bin/sh\nprintf '%s\\n' \"$1\" >> '{}'\n",
                machine.path("opened.txt").display()
            ),
        )
        .unwrap();
        let browser = machine.path("browser.sh");
        std::fs::write(
            &browser,
            "#!/bin/sh\nexec curl -sS -L -o /dev/null \"$1\"\n",
        )
        .unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            for f in [&opener, &browser] {
                std::fs::set_permissions(f, std::fs::Permissions::from_mode(0o755)).unwrap();
            }
        }
        let service = format!(
            "helpatwork-e2e-{}",
            machine.data.path().file_name().unwrap().to_string_lossy()
        );
        machine = machine
            .env("HELPATWORK_TEAMVIEWER_API_URL", &sandbox.base_url)
            .env("HELPATWORK_TEAMVIEWER_LOGIN_URL", &sandbox.login_url)
            .env("HELPATWORK_TEAMVIEWER_CLIENT_ID", &sandbox.client_id)
            .env(
                "HELPATWORK_TEAMVIEWER_CLIENT_SECRET",
                &sandbox.client_secret,
            )
            .env("HELPATWORK_TEAMVIEWER_HOME", &home.display().to_string())
            .env("HELPATWORK_OPENER", &opener.display().to_string())
            .env("HELPATWORK_BROWSER", &browser.display().to_string())
            .env("HELPATWORK_KEYRING", "keyutils")
            .env("HELPATWORK_KEYRING_SERVICE", &service);
        if script_token {
            machine = machine.env("HELPATWORK_TEAMVIEWER_TOKEN", SCRIPT_TOKEN);
        }
        if let Some(url) = database {
            machine = machine.env("HELPATWORK_DATABASE_URL", url);
        }
        let fleet = machine.write("fleet.json", fleet_json());
        let run = machine.run(&["devices", "import", fleet.to_str().unwrap()]);
        assert_eq!(run.code, 0, "{}", run.stderr);
        Self {
            machine,
            sandbox,
            runtime,
        }
    }

    /// A world whose store is the database at `url` (team mode).
    pub fn with_database(url: &str) -> Self {
        let world = Self::new_inner_with("15.75.1", true, Some(url));
        world.admin_ready();
        world
    }

    /// A world whose tenant an admin has not set up yet (no tier, nothing activated).
    pub fn new_tenant(desktop_version: &str) -> Self {
        Self::new_inner(desktop_version, true)
    }

    /// Platinum, 10 unattended licences, both modes activated (as an admin signed in with a token).
    pub fn admin_ready(&self) {
        let admin = self
            .machine
            .with_env("HELPATWORK_TEAMVIEWER_TOKEN", SCRIPT_TOKEN);
        for args in [
            &["admin", "tier", "--set", "platinum"][..],
            &["admin", "licences", "--unattended", "10"],
            &["admin", "activate", "--mode", "attended", "--accept-eula"],
            &["admin", "activate", "--mode", "unattended", "--accept-eula"],
        ] {
            let run = admin.run(args);
            assert_eq!(run.code, 0, "{args:?}: {}{}", run.stdout, run.stderr);
        }
    }

    /// What the recording opener received, one link a line.
    pub fn opened(&self) -> Vec<String> {
        std::fs::read_to_string(self.machine.path("opened.txt"))
            .map(|t| t.lines().map(str::to_string).collect())
            .unwrap_or_default()
    }

    pub fn block_on<F: std::future::Future>(&self, f: F) -> F::Output {
        self.runtime.block_on(f)
    }
}
