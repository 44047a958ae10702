//! The JSON fleet file, `{"devices": [ … ]}`, read as a stream: the top-level object by a
//! visitor, each element of `devices` captured raw (its text only) and read into a device on its
//! own, so one bad device is one row error and memory holds one device at a time.

use std::cell::Cell;
use std::fmt;
use std::io::Read;
use std::rc::Rc;

use serde::de::{self, DeserializeSeed, Deserializer as _, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;
use serde_json::value::RawValue;

use super::{FleetErrors, Intake, RowError, MAX_ID_LEN};
use crate::device::Device;

const EXPECTED: &str = "expected {\"devices\": [ … ]}";

/// Counts the line breaks the JSON reader has consumed: serde_json reads a `Read` one byte at a
/// time, so the count is the position of the reader.
struct Lines<R> {
    inner: R,
    breaks: Rc<Cell<u64>>,
}

impl<R: Read> Read for Lines<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        let breaks = buf[..n].iter().filter(|&&b| b == b'\n').count() as u64;
        if breaks > 0 {
            self.breaks.set(self.breaks.get() + breaks);
        }
        Ok(n)
    }
}

pub(super) fn read<R: Read, E>(reader: R, intake: &mut Intake<'_, E>) {
    let breaks = Rc::new(Cell::new(0));
    let lines = Lines {
        inner: reader,
        breaks: breaks.clone(),
    };
    let mut de = serde_json::Deserializer::from_reader(lines);
    let mut fleet = Fleet {
        intake,
        breaks,
        index: 0,
    };
    let outcome = (&mut de)
        .deserialize_map(&mut fleet)
        .and_then(|()| de.end());
    if let Err(e) = outcome {
        if fleet.intake.stopped() {
            return;
        }
        let reason = if e.to_string().contains("invalid unicode code point") {
            "the file is not valid UTF-8 text".to_string()
        } else {
            format!("not a fleet file: {e} ({EXPECTED})")
        };
        fleet
            .intake
            .error(file_error(Some(e.line() as u32), reason));
    }
}

fn file_error(line: Option<u32>, reason: String) -> RowError {
    let mut errors = FleetErrors::file(line, "file", reason);
    errors.errors.remove(0)
}

struct Fleet<'i, 's, E> {
    intake: &'i mut Intake<'s, E>,
    breaks: Rc<Cell<u64>>,
    index: usize,
}

impl<'de, E> Visitor<'de> for &mut Fleet<'_, '_, E> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object with a \"devices\" array")
    }

    fn visit_map<M: MapAccess<'de>>(self, mut map: M) -> Result<(), M::Error> {
        let mut seen = false;
        while let Some(key) = map.next_key::<String>()? {
            if key != "devices" {
                let shown: String = key.chars().take(64).collect();
                return Err(de::Error::unknown_field(&shown, &["devices"]));
            }
            if seen {
                return Err(de::Error::duplicate_field("devices"));
            }
            seen = true;
            map.next_value_seed(&mut *self)?;
        }
        if !seen {
            return Err(de::Error::missing_field("devices"));
        }
        Ok(())
    }
}

impl<'de, E> DeserializeSeed<'de> for &mut Fleet<'_, '_, E> {
    type Value = ();

    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_seq(Devices(self))
    }
}

struct Devices<'f, 'i, 's, E>(&'f mut Fleet<'i, 's, E>);

impl<'de, E> Visitor<'de> for Devices<'_, '_, '_, E> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an array of devices")
    }

    fn visit_seq<S: SeqAccess<'de>>(self, mut seq: S) -> Result<(), S::Error> {
        let fleet = self.0;
        while let Some(raw) = seq.next_element::<Box<RawValue>>()? {
            let text = raw.get();
            // The element ends where the reader is; it starts as many line breaks earlier as
            // it holds.
            let end_line = fleet.breaks.get() + 1;
            let inner = text.bytes().filter(|&b| b == b'\n').count() as u64;
            let line = u32::try_from(end_line.saturating_sub(inner)).unwrap_or(u32::MAX);
            element(fleet.intake, fleet.index, line, text);
            fleet.index += 1;
            if fleet.intake.stopped() {
                return Err(de::Error::custom("the import stopped"));
            }
        }
        Ok(())
    }
}

/// One element of `devices`: a device, or a row error naming the field.
fn element<E>(intake: &mut Intake<'_, E>, index: usize, line: u32, text: &str) {
    let mut de = serde_json::Deserializer::from_str(text);
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
                id: id_hint(text),
                field,
                reason: inner.to_string(),
            })
        }
    }
}

fn id_hint(raw: &str) -> Option<String> {
    #[derive(Deserialize)]
    struct IdOnly {
        id: Option<String>,
    }
    serde_json::from_str::<IdOnly>(raw)
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
