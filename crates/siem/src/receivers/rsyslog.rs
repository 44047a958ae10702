//! Debian's rsyslogd as a test receiver: TLS (gtls, anonymous client), octet counting, each
//! message's raw text (header, structured data, MSG) as one line of `received.log`.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use super::{free_port, TestPki};

/// An rsyslogd the test started, with its private directory.
#[derive(Debug)]
pub struct Rsyslog {
    dir: PathBuf,
    pub port: u16,
    pub pki: TestPki,
    child: Option<Child>,
}

/// Where rsyslogd is, if installed (`apt-get install rsyslog rsyslog-gnutls`).
pub fn rsyslogd() -> Option<PathBuf> {
    [
        "/usr/sbin/rsyslogd",
        "/sbin/rsyslogd",
        "/usr/local/sbin/rsyslogd",
    ]
    .iter()
    .map(PathBuf::from)
    .find(|p| p.exists())
}

impl Rsyslog {
    /// `None` when rsyslogd is not installed (the caller skips, saying so).
    pub fn available() -> bool {
        rsyslogd().is_some()
    }

    /// Starts rsyslogd in `dir` on a free port and waits until it accepts connections.
    pub fn start(dir: &Path) -> std::io::Result<Self> {
        std::fs::create_dir_all(dir.join("work"))?;
        let pki = TestPki::create(dir)?;
        let mut me = Self {
            dir: dir.to_path_buf(),
            port: free_port()?,
            pki,
            child: None,
        };
        me.write_conf()?;
        me.restart()?;
        Ok(me)
    }

    fn write_conf(&self) -> std::io::Result<()> {
        let d = self.dir.display();
        let conf = format!(
            r#"global(workDirectory="{d}/work"
       DefaultNetstreamDriver="gtls"
       DefaultNetstreamDriverCAFile="{ca}"
       DefaultNetstreamDriverCertFile="{cert}"
       DefaultNetstreamDriverKeyFile="{key}")
module(load="imtcp" StreamDriver.Name="gtls" StreamDriver.Mode="1" StreamDriver.AuthMode="anon")
template(name="raw" type="string" string="%rawmsg%\n")
ruleset(name="siem") {{
  action(type="omfile" file="{d}/received.log" template="raw" flushOnTXEnd="on" asyncWriting="off")
}}
input(type="imtcp" port="{port}" ruleset="siem")
"#,
            ca = self.pki.ca.display(),
            cert = self.pki.cert.display(),
            key = self.pki.key.display(),
            port = self.port,
        );
        std::fs::write(self.dir.join("rsyslog.conf"), conf)
    }

    /// Starts rsyslogd (again) on the same port and waits up to 10 s until it accepts.
    pub fn restart(&mut self) -> std::io::Result<()> {
        let bin = rsyslogd().ok_or_else(|| std::io::Error::other("rsyslogd is not installed"))?;
        let pid = self.dir.join("rsyslogd.pid");
        let _ = std::fs::remove_file(&pid);
        let child = Command::new(bin)
            .arg("-n")
            .arg("-f")
            .arg(self.dir.join("rsyslog.conf"))
            .arg("-i")
            .arg(&pid)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(std::fs::File::create(self.dir.join("rsyslogd.err"))?)
            .spawn()?;
        self.child = Some(child);
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline {
            if std::net::TcpStream::connect(("127.0.0.1", self.port)).is_ok() {
                return Ok(());
            }
            if let Some(Ok(Some(status))) = self.child.as_mut().map(|c| c.try_wait()) {
                let err =
                    std::fs::read_to_string(self.dir.join("rsyslogd.err")).unwrap_or_default();
                return Err(std::io::Error::other(format!(
                    "rsyslogd exited ({status}): {err}"
                )));
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        Err(std::io::Error::other("rsyslogd did not listen within 10 s"))
    }

    /// kill -9: the receiver is gone at once, its connections reset.
    pub fn kill(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// The messages received so far, one raw RFC 5424 message each.
    pub fn received(&self) -> Vec<String> {
        std::fs::read_to_string(self.dir.join("received.log"))
            .unwrap_or_default()
            .lines()
            .map(str::to_string)
            .collect()
    }

    /// Waits up to `timeout` until at least `n` messages arrived; answers them.
    pub fn wait_for(&self, n: usize, timeout: Duration) -> Vec<String> {
        let deadline = Instant::now() + timeout;
        loop {
            let got = self.received();
            if got.len() >= n || Instant::now() >= deadline {
                return got;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// rsyslogd's own complaints (its stderr), for a failing test's message.
    pub fn errors(&self) -> String {
        std::fs::read_to_string(self.dir.join("rsyslogd.err")).unwrap_or_default()
    }
}

impl Drop for Rsyslog {
    fn drop(&mut self) {
        self.kill();
    }
}
