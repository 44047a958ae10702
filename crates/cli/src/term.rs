//! Everything `helpatwork` prints as text goes through here.
//!
//! - Values that came from outside (fleet files, settings, the environment, TeamViewer, the
//!   audit trail) are shown with their control and invisible characters escaped (`\u{1b}`,
//!   `\u{202e}`, `\n`…), so no ESC, BEL, CSI or OSC sequence reaches the terminal, and no bidi
//!   control or zero-width character reorders or hides text. [`visible`] escapes a one-line
//!   value (line breaks too); [`out_line`] and [`err_line`] escape every line they print, line breaks
//!   kept, as a net under the printers.
//! - A closed pipe (`helpatwork devices list | head`) ends the command quietly with exit 0,
//!   where `println!` panicked (exit 101).

use std::borrow::Cow;
use std::io::Write;

use helpatwork_domain::ident::is_invisible;

fn escape(c: char, out: &mut String) {
    match c {
        '\n' => out.push_str("\\n"),
        '\r' => out.push_str("\\r"),
        '\t' => out.push_str("\\t"),
        c => out.push_str(&format!("\\u{{{:x}}}", u32::from(c))),
    }
}

/// `text` with every control and invisible character escaped, line breaks included.
pub fn visible(text: &str) -> Cow<'_, str> {
    if !text.chars().any(is_invisible) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if is_invisible(c) {
            escape(c, &mut out);
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// `text` with every control and invisible character escaped except its line breaks.
pub fn visible_lines(text: &str) -> Cow<'_, str> {
    if !text.chars().any(|c| c != '\n' && is_invisible(c)) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if c != '\n' && is_invisible(c) {
            escape(c, &mut out);
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// A JSON document with every invisible character JSON leaves raw (DEL, C1 controls, bidi and
/// zero-width characters) written as a `\uXXXX` escape: the same JSON value, inert in a
/// terminal. (JSON escapes the C0 controls itself; outside strings there is only white space.)
pub fn json_inert(text: &str) -> Cow<'_, str> {
    if !text.chars().any(|c| c != '\n' && is_invisible(c)) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        if c != '\n' && is_invisible(c) {
            let mut units = [0u16; 2];
            for unit in c.encode_utf16(&mut units) {
                out.push_str(&format!("\\u{:04x}", unit));
            }
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

fn write_line(mut to: impl Write, text: &str) {
    let line = visible_lines(text);
    let written = to
        .write_all(line.as_bytes())
        .and_then(|()| to.write_all(b"\n"))
        .and_then(|()| to.flush());
    if let Err(e) = written {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            // The reader is gone (`| head`): nothing more can be said to it.
            std::process::exit(0);
        }
    }
}

/// One line (or several) on standard output.
pub fn out_line(text: &str) {
    write_line(std::io::stdout().lock(), text);
}

/// One line (or several) on standard error: notes, warnings, errors.
pub fn err_line(text: &str) {
    write_line(std::io::stderr().lock(), text);
}

/// Raw bytes on standard output (a CSV export to `-`), ending quietly on a closed pipe.
pub struct Stdout;

impl Write for Stdout {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        quiet_on_closed_pipe(std::io::stdout().lock().write(buf))
    }

    fn flush(&mut self) -> std::io::Result<()> {
        quiet_on_closed_pipe(std::io::stdout().lock().flush())
    }
}

fn quiet_on_closed_pipe<T>(r: std::io::Result<T>) -> std::io::Result<T> {
    if let Err(e) = &r {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            std::process::exit(0);
        }
    }
    r
}

/// `say!` is `println!` through [`out_line`].
macro_rules! say {
    ($($arg:tt)*) => { $crate::term::out_line(&format!($($arg)*)) };
}

/// `note!` is `eprintln!` through [`err_line`].
macro_rules! note {
    ($($arg:tt)*) => { $crate::term::err_line(&format!($($arg)*)) };
}

pub(crate) use {note, say};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_terminal_sequences_and_invisible_characters() {
        let hostile =
            "a\u{1b}[2J\u{7}b\u{1b}]0;pwned\u{7}c\u{9b}31m\u{202e}d\u{200b}e\u{2028}f\nline";
        let shown = visible(hostile);
        assert!(!shown.chars().any(is_invisible), "{shown}");
        assert_eq!(
            shown,
            "a\\u{1b}[2J\\u{7}b\\u{1b}]0;pwned\\u{7}c\\u{9b}31m\\u{202e}d\\u{200b}e\\u{2028}f\\nline"
        );
        assert_eq!(visible_lines("x\u{1b}\ny"), "x\\u{1b}\ny");
        assert_eq!(visible("José 🙂"), "José 🙂");
    }

    #[test]
    fn json_stays_the_same_value_with_invisible_characters_escaped() {
        let value = serde_json::json!({"name": "a\u{202e}b\u{9b}c\u{7f}\u{e0041}", "n": "\u{1b}"});
        let text = serde_json::to_string_pretty(&value).unwrap();
        let inert = json_inert(&text);
        assert!(
            !inert.chars().any(|c| c != '\n' && is_invisible(c)),
            "{inert}"
        );
        let back: serde_json::Value = serde_json::from_str(&inert).unwrap();
        assert_eq!(back, value);
    }
}
