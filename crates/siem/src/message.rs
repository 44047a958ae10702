//! The messages: one audit event as a JSON object (the webhook's line, the syslog MSG) and as
//! an RFC 5424 syslog message with the event's fields in structured data.
//!
//! Written here rather than with a syslog crate's formatter: those stamp the time of
//! formatting, where a SIEM must get the time the event happened (a backlog is sent hours
//! later), and their message ids are numbers, where ours is the action. The unit tests parse
//! what is written back with `syslog_rfc5424`, an RFC 5424 parser.

use serde::Serialize;

/// The structured-data element carrying the event (SD-ID with the example private enterprise
/// number of RFC 5612, 32473).
pub const SD_ID: &str = "helpatwork@32473";

/// Facility 13, "log audit" (RFC 5424 table 1).
const FACILITY_LOG_AUDIT: u8 = 13;

/// The TeamViewer account verified for the agent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StreamAccount {
    pub userid: String,
    pub name: String,
}

/// One audit event as it is streamed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StreamEvent {
    /// The event id (a UUID): the receiver drops a second copy by it.
    pub id: String,
    pub at: chrono::DateTime<chrono::Utc>,
    /// The event's place in the tamper-evident chain, when the trail is chained.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub seq: Option<u64>,
    /// The event's chain hash, when the trail is chained.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hash: Option<String>,
    /// The OS account the command ran as.
    pub actor: String,
    /// The TeamViewer account verified for the agent, if any.
    pub account: Option<StreamAccount>,
    pub action: String,
    pub device_id: Option<String>,
    pub session_id: Option<String>,
    pub detail: serde_json::Value,
}

impl StreamEvent {
    /// The event as one line of JSON (no line break inside: JSON escapes them).
    pub fn json_line(&self) -> String {
        let mut object = serde_json::to_value(self).unwrap_or(serde_json::Value::Null);
        if let Some(map) = object.as_object_mut() {
            map.insert("source".into(), "helpatwork".into());
        }
        object.to_string()
    }

    /// A refused attempt is a warning (4), anything else a notice (5).
    fn severity(&self) -> u8 {
        if self.action.ends_with(".refused") {
            4
        } else {
            5
        }
    }
}

/// The header fields that name the sender.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyslogIdentity {
    /// APP-NAME: 1 to 48 printable ASCII characters.
    pub app_name: String,
    /// HOSTNAME: 1 to 255 printable ASCII characters.
    pub hostname: String,
}

/// Why a header field cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field} must be 1 to {max} printable ASCII characters without spaces")]
pub struct HeaderFieldError {
    pub field: &'static str,
    pub max: usize,
}

/// Checks a header field (RFC 5424 section 6: PRINTUSASCII, bounded).
pub fn check_header_field(
    field: &'static str,
    value: &str,
    max: usize,
) -> Result<(), HeaderFieldError> {
    if value.is_empty() || value.len() > max || !value.bytes().all(|b| (33..=126).contains(&b)) {
        return Err(HeaderFieldError { field, max });
    }
    Ok(())
}

impl SyslogIdentity {
    pub fn check(&self) -> Result<(), HeaderFieldError> {
        check_header_field("app-name", &self.app_name, 48)?;
        check_header_field("hostname", &self.hostname, 255)
    }
}

/// A PARAM-VALUE with `"`, `\` and `]` escaped (RFC 5424 section 6.3.3).
fn escape_param(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for c in value.chars() {
        if matches!(c, '"' | '\\' | ']') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// The MSGID: the action, limited to 32 printable ASCII characters.
fn msgid(action: &str) -> String {
    let id: String = action
        .chars()
        .filter(|c| c.is_ascii_graphic())
        .take(32)
        .collect();
    if id.is_empty() {
        "-".into()
    } else {
        id
    }
}

/// The event as an RFC 5424 message: `<109>1 TIMESTAMP HOSTNAME APP-NAME - ACTION [SD] BOM JSON`.
pub fn syslog_5424(event: &StreamEvent, identity: &SyslogIdentity) -> String {
    let pri = FACILITY_LOG_AUDIT * 8 + event.severity();
    let mut sd = format!("[{SD_ID} id=\"{}\"", escape_param(&event.id));
    let mut param = |name: &str, value: Option<&str>| {
        if let Some(v) = value {
            sd.push_str(&format!(" {name}=\"{}\"", escape_param(v)));
        }
    };
    let seq = event.seq.map(|s| s.to_string());
    param("seq", seq.as_deref());
    param("hash", event.hash.as_deref());
    param("actor", Some(&event.actor));
    param("account", event.account.as_ref().map(|a| a.userid.as_str()));
    param("action", Some(&event.action));
    param("device", event.device_id.as_deref());
    param("session", event.session_id.as_deref());
    sd.push(']');
    format!(
        "<{pri}>1 {} {} {} - {} {sd} \u{feff}{}",
        event
            .at
            .to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
        identity.hostname,
        identity.app_name,
        msgid(&event.action),
        event.json_line()
    )
}

/// A message framed by octet counting (RFC 6587 section 3.4.1, RFC 5425 section 4.3):
/// `MSG-LEN SP SYSLOG-MSG`, the length in bytes.
pub fn octet_counted(message: &str) -> Vec<u8> {
    let mut out = format!("{} ", message.len()).into_bytes();
    out.extend_from_slice(message.as_bytes());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event() -> StreamEvent {
        StreamEvent {
            id: "0190c3a0-0000-7000-8000-000000000001".into(),
            at: "2026-12-06T17:10:00.250Z".parse().unwrap(),
            seq: Some(42),
            hash: Some("ab12".into()),
            actor: "agent \"quoted\" ]x\\".into(),
            account: Some(StreamAccount {
                userid: "u123".into(),
                name: "Ana Agent".into(),
            }),
            action: "session.start".into(),
            device_id: Some("AND-001".into()),
            session_id: Some("s-1".into()),
            detail: serde_json::json!({"mode": "attended", "reason": "line\nbreak"}),
        }
    }

    fn identity() -> SyslogIdentity {
        SyslogIdentity {
            app_name: "helpatwork".into(),
            hostname: "desk-01".into(),
        }
    }

    #[test]
    fn a_syslog_message_parses_back_with_every_field_in_structured_data() {
        let text = syslog_5424(&event(), &identity());
        let parsed = syslog_rfc5424::parse_message(&text).unwrap();
        assert_eq!(parsed.hostname.as_deref(), Some("desk-01"));
        assert_eq!(parsed.appname.as_deref(), Some("helpatwork"));
        assert_eq!(parsed.msgid.as_deref(), Some("session.start"));
        assert_eq!(parsed.severity as u8, 5);
        assert_eq!(parsed.facility as u8, 13);
        let sd = |name: &str| parsed.sd.find_tuple(SD_ID, name).map(|v| v.to_string());
        assert_eq!(
            sd("id").as_deref(),
            Some("0190c3a0-0000-7000-8000-000000000001")
        );
        assert_eq!(sd("seq").as_deref(), Some("42"));
        assert_eq!(sd("hash").as_deref(), Some("ab12"));
        assert_eq!(sd("actor").as_deref(), Some("agent \"quoted\" ]x\\"));
        assert_eq!(sd("account").as_deref(), Some("u123"));
        assert_eq!(sd("device").as_deref(), Some("AND-001"));
        assert_eq!(sd("session").as_deref(), Some("s-1"));
        // The timestamp is the event's, not the time of sending.
        assert!(text.contains(" 2026-12-06T17:10:00.250Z desk-01 "));
        // The MSG is the JSON line, after a BOM, on one line.
        let msg = parsed.msg.trim_start_matches('\u{feff}');
        let json: serde_json::Value = serde_json::from_str(msg).unwrap();
        assert_eq!(json["id"], "0190c3a0-0000-7000-8000-000000000001");
        assert_eq!(json["detail"]["reason"], "line\nbreak");
        assert!(!text.contains('\n'));
    }

    #[test]
    fn absent_fields_are_left_out_and_refusals_are_warnings() {
        let mut e = event();
        e.seq = None;
        e.hash = None;
        e.device_id = None;
        e.action = "session.start.refused".into();
        let text = syslog_5424(&e, &identity());
        assert!(text.starts_with("<108>1 "), "{text}");
        assert!(!text.contains(" seq=") && !text.contains(" hash=") && !text.contains(" device="));
        let line: serde_json::Value = serde_json::from_str(&e.json_line()).unwrap();
        assert!(line.get("seq").is_none());
        assert_eq!(line["source"], "helpatwork");
    }

    #[test]
    fn octet_counting_counts_bytes_not_characters() {
        assert_eq!(octet_counted("é"), b"2 \xc3\xa9".to_vec());
    }

    #[test]
    fn header_fields_are_printable_ascii_and_bounded() {
        assert!(identity().check().is_ok());
        let bad = SyslogIdentity {
            app_name: "help at work".into(),
            hostname: "h".into(),
        };
        assert_eq!(bad.check().unwrap_err().field, "app-name");
        assert!(check_header_field("hostname", &"h".repeat(256), 255).is_err());
    }
}
