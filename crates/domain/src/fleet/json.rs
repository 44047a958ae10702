//! The JSON fleet file, `{"devices": [ … ]}`, read as a stream. A small scanner walks the
//! top-level object and the `devices` array over the buffered reader, cutting out each element's
//! bytes (tracking strings, escapes and nesting, chunk by chunk); each element is then read into a
//! device on its own by serde, so one bad device is one row error and memory holds one element at
//! a time. Anything else at the top level (another key, a second `devices`, trailing text) is a
//! file error naming its line.

use std::fmt;
use std::io::BufRead;

use serde::Deserialize;

use super::{FleetErrors, Intake, RowError, MAX_ID_LEN};
use crate::device::Device;

const EXPECTED: &str = "expected {\"devices\": [ … ]}";

/// Why the scan stopped.
enum Stop {
    /// The file is not the fleet shape: what was expected, and the line.
    Syntax { line: u32, what: String },
    /// Reading failed.
    Io { line: u32, error: std::io::Error },
    /// The sink failed: reading ends, the caller reports the sink's error.
    Sink,
}

struct Scanner<R> {
    reader: R,
    /// The line of the next byte.
    line: u32,
}

fn lines_in(bytes: &[u8]) -> u32 {
    bytes.iter().filter(|&&b| b == b'\n').count() as u32
}

impl<R: BufRead> Scanner<R> {
    fn syntax(&self, what: impl fmt::Display) -> Stop {
        Stop::Syntax {
            line: self.line,
            what: what.to_string(),
        }
    }

    fn buffer(&mut self) -> Result<&[u8], Stop> {
        let line = self.line;
        self.reader
            .fill_buf()
            .map_err(|error| Stop::Io { line, error })
    }

    fn peek(&mut self) -> Result<Option<u8>, Stop> {
        Ok(self.buffer()?.first().copied())
    }

    fn bump(&mut self) {
        self.reader.consume(1);
    }

    fn skip_white_space(&mut self) -> Result<(), Stop> {
        loop {
            let buf = self.buffer()?;
            if buf.is_empty() {
                return Ok(());
            }
            let n = buf
                .iter()
                .position(|b| !matches!(b, b' ' | b'\t' | b'\n' | b'\r'))
                .unwrap_or(buf.len());
            let breaks = lines_in(&buf[..n]);
            let done = n < buf.len();
            self.reader.consume(n);
            self.line = self.line.saturating_add(breaks);
            if done {
                return Ok(());
            }
        }
    }

    fn expect(&mut self, byte: u8, what: &str) -> Result<(), Stop> {
        match self.peek()? {
            Some(b) if b == byte => {
                self.bump();
                Ok(())
            }
            Some(b) => Err(self.syntax(format!("expected {what}, found {}", shown(b)))),
            None => Err(self.syntax(format!("expected {what}, found the end of the file"))),
        }
    }

    /// Copies bytes to `out` while `end(byte)` says the value goes on; stops after the byte
    /// for which it answers `Some(true)` (taken) or before the one for `Some(false)` (left).
    fn take_while(
        &mut self,
        out: &mut Vec<u8>,
        mut end: impl FnMut(u8) -> Option<bool>,
        at_eof: impl Fn() -> bool,
    ) -> Result<(), Stop> {
        loop {
            let buf = self.buffer()?;
            if buf.is_empty() {
                return if at_eof() {
                    Ok(())
                } else {
                    Err(self.syntax("the file ends inside a value"))
                };
            }
            let mut stop = None;
            for (i, &b) in buf.iter().enumerate() {
                match end(b) {
                    Some(true) => {
                        stop = Some(i + 1);
                        break;
                    }
                    Some(false) => {
                        stop = Some(i);
                        break;
                    }
                    None => {}
                }
            }
            let take = stop.unwrap_or(buf.len());
            out.extend_from_slice(&buf[..take]);
            let breaks = lines_in(&buf[..take]);
            self.reader.consume(take);
            self.line = self.line.saturating_add(breaks);
            if stop.is_some() {
                return Ok(());
            }
        }
    }

    /// One JSON value's bytes, whole: an object or array up to its matching close, a string up
    /// to its closing quote, a number or literal up to the next delimiter. Its inside is checked
    /// when it is read (`element`).
    fn value(&mut self, out: &mut Vec<u8>) -> Result<(), Stop> {
        out.clear();
        match self.peek()? {
            Some(b'{') | Some(b'[') => {
                let (mut depth, mut in_string, mut escaped) = (0usize, false, false);
                self.take_while(
                    out,
                    |b| {
                        if in_string {
                            match (escaped, b) {
                                (true, _) => escaped = false,
                                (false, b'\\') => escaped = true,
                                (false, b'"') => in_string = false,
                                _ => {}
                            }
                            return None;
                        }
                        match b {
                            b'"' => in_string = true,
                            b'{' | b'[' => depth += 1,
                            b'}' | b']' => {
                                depth = depth.saturating_sub(1);
                                if depth == 0 {
                                    return Some(true);
                                }
                            }
                            _ => {}
                        }
                        None
                    },
                    || false,
                )
            }
            Some(b'"') => self.string(out),
            Some(_) => self.take_while(
                out,
                |b| matches!(b, b',' | b']' | b'}' | b' ' | b'\t' | b'\n' | b'\r').then_some(false),
                || true,
            ),
            None => Err(self.syntax("expected a device, found the end of the file")),
        }
    }

    /// A string's bytes, quotes included.
    fn string(&mut self, out: &mut Vec<u8>) -> Result<(), Stop> {
        self.expect(b'"', "`\"`")?;
        out.push(b'"');
        let mut escaped = false;
        self.take_while(
            out,
            |b| {
                match (escaped, b) {
                    (true, _) => escaped = false,
                    (false, b'\\') => escaped = true,
                    (false, b'"') => return Some(true),
                    _ => {}
                }
                None
            },
            || false,
        )
    }

    fn fleet<E>(&mut self, intake: &mut Intake<'_, E>) -> Result<(), Stop> {
        self.skip_white_space()?;
        self.expect(b'{', "`{`")?;
        self.skip_white_space()?;
        let mut found = false;
        if self.peek()? == Some(b'}') {
            self.bump();
        } else {
            let mut key = Vec::new();
            loop {
                key.clear();
                self.string(&mut key)?;
                let key: String = serde_json::from_slice(&key)
                    .map_err(|e| self.syntax(format!("a key that is not valid text ({e})")))?;
                if key != "devices" {
                    let shown: String = key.chars().take(64).collect();
                    return Err(self.syntax(format!("unknown field `{shown}`, expected `devices`")));
                }
                if found {
                    return Err(self.syntax("duplicate field `devices`"));
                }
                found = true;
                self.skip_white_space()?;
                self.expect(b':', "`:`")?;
                self.skip_white_space()?;
                self.devices(intake)?;
                self.skip_white_space()?;
                match self.peek()? {
                    Some(b',') => {
                        self.bump();
                        self.skip_white_space()?;
                    }
                    Some(b'}') => {
                        self.bump();
                        break;
                    }
                    Some(b) => {
                        return Err(self.syntax(format!("expected `,` or `}}`, found {}", shown(b))))
                    }
                    None => return Err(self.syntax("the file ends inside the object")),
                }
            }
        }
        if !found {
            return Err(self.syntax("missing field `devices`"));
        }
        self.skip_white_space()?;
        match self.peek()? {
            None => Ok(()),
            Some(b) => Err(self.syntax(format!(
                "trailing characters after the object: {}",
                shown(b)
            ))),
        }
    }

    fn devices<E>(&mut self, intake: &mut Intake<'_, E>) -> Result<(), Stop> {
        match self.peek()? {
            Some(b'[') => self.bump(),
            Some(b) => {
                return Err(self.syntax(format!(
                    "invalid type: {}, expected an array of devices",
                    shown(b)
                )))
            }
            None => return Err(self.syntax("the file ends before the devices")),
        }
        self.skip_white_space()?;
        if self.peek()? == Some(b']') {
            self.bump();
            return Ok(());
        }
        let mut raw = Vec::new();
        let mut index = 0usize;
        loop {
            let line = self.line;
            self.value(&mut raw)?;
            element(intake, index, line, &raw);
            index += 1;
            if intake.stopped() {
                return Err(Stop::Sink);
            }
            self.skip_white_space()?;
            match self.peek()? {
                Some(b',') => {
                    self.bump();
                    self.skip_white_space()?;
                }
                Some(b']') => {
                    self.bump();
                    return Ok(());
                }
                Some(b) => {
                    return Err(self.syntax(format!("expected `,` or `]`, found {}", shown(b))))
                }
                None => return Err(self.syntax("the file ends inside the devices")),
            }
        }
    }
}

/// A byte as the error shows it.
fn shown(b: u8) -> String {
    if b.is_ascii_graphic() {
        format!("`{}`", char::from(b))
    } else {
        format!("byte 0x{b:02x}")
    }
}

pub(super) fn read<R: BufRead, E>(reader: R, intake: &mut Intake<'_, E>) {
    let mut scanner = Scanner { reader, line: 1 };
    let (line, reason) = match scanner.fleet(intake) {
        Ok(()) | Err(Stop::Sink) => return,
        Err(Stop::Syntax { line, what }) => {
            (line, format!("not a fleet file: {what} ({EXPECTED})"))
        }
        Err(Stop::Io { line, error }) => (line, format!("the file could not be read: {error}")),
    };
    let mut errors = FleetErrors::file(Some(line), "file", reason);
    intake.error(errors.errors.remove(0));
}

/// One element of `devices`: a device, or a row error naming the field.
fn element<E>(intake: &mut Intake<'_, E>, index: usize, line: u32, raw: &[u8]) {
    // The scanner cut exactly one value: nothing can follow it inside `raw`.
    let mut de = serde_json::Deserializer::from_slice(raw);
    match serde_path_to_error::deserialize::<_, Device>(&mut de) {
        Ok(device) => intake.device(device, index, Some(line)),
        Err(_) if intake.listing_full() => intake.count_error(),
        Err(e) => {
            let path = e.path().to_string();
            let inner = e.into_inner();
            let field = match path.as_str() {
                "." | "" => field_of_serde_error(&inner.to_string()),
                p => p.to_string(),
            };
            intake.error(RowError {
                index: Some(index as u32),
                line: Some(line.saturating_add((inner.line() as u32).saturating_sub(1))),
                id: id_hint(raw),
                field,
                reason: inner.to_string(),
            })
        }
    }
}

fn id_hint(raw: &[u8]) -> Option<String> {
    #[derive(Deserialize)]
    struct IdOnly {
        id: Option<String>,
    }
    serde_json::from_slice::<IdOnly>(raw)
        .ok()
        .and_then(|d| d.id)
        .map(|id| id.chars().take(MAX_ID_LEN).collect())
}

fn field_of_serde_error(message: &str) -> String {
    // serde's messages name the field in backquotes: "missing field `name`", "unknown field `x`".
    if let Some(start) = message.find('`') {
        if let Some(len) = message[start + 1..].find('`') {
            return message[start + 1..start + 1 + len].to_string();
        }
    }
    "device".to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scan(text: &str) -> Result<Vec<String>, String> {
        let mut values = Vec::new();
        let mut scanner = Scanner {
            reader: std::io::BufReader::with_capacity(3, text.as_bytes()),
            line: 1,
        };
        let mut raw = Vec::new();
        loop {
            scanner.skip_white_space().map_err(|_| "io")?;
            if scanner.peek().map_err(|_| "io")?.is_none() {
                return Ok(values);
            }
            match scanner.value(&mut raw) {
                Ok(()) => values.push(String::from_utf8(raw.clone()).unwrap()),
                Err(Stop::Syntax { what, .. }) => return Err(what),
                Err(_) => return Err("stopped".into()),
            }
        }
    }

    #[test]
    fn values_are_cut_whole_across_buffer_boundaries() {
        let values = scan(r#"{"a":"}]\"{","b":[1,{"c":"]"}]} [1,2] "x\"y" 12.5 true"#).unwrap();
        assert_eq!(
            values,
            vec![
                r#"{"a":"}]\"{","b":[1,{"c":"]"}]}"#,
                "[1,2]",
                r#""x\"y""#,
                "12.5",
                "true"
            ]
        );
        assert!(scan(r#"{"a":"open"#).is_err());
    }
}
