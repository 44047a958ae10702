//! A device's labels: the device groups Ivanti reports for it through Common Platform Services,
//! *Get device groups associated with device list*, `POST /msa/v1/cps/rule/deviceGuid` [CPS API
//! guide, "Device Group APIs", `Get_Device_Groups_by_Device_Guid.htm`; docs/reference/mdm-apis.md
//! §2.4].
//!
//! Documented and followed: the JSON body `{"identifiers": ["<deviceGuid>", …]}` (device GUIDs,
//! no identifier type), and the answer `{"errors": null, "result": [{"deviceGuid": …, "rules":
//! [{"id", "name", "definition"}]}]}`; "device groups correspond to rule IDs", and a group's
//! `name` is what the admin portal shows, so it is the label [CPS "Rules"]. The call is made
//! by the CPS user (the CPS role), in the app inventory's batches and pace (at most 100
//! identifiers a call, "Batch ID recommendation").
//!
//! Left open by the guide, and chosen here: a device the answer does not name keeps its labels
//! unknown (it may be an identifier CPS did not recognise), while a named device with no rules
//! is in no group (`Some(vec![])`).

use std::collections::HashMap;

use helpatwork_net::RetryPolicy;
use reqwest::Method;
use serde_json::{json, Value};

use super::config::CpsConfig;
use super::cps::{Pace, IDS_PER_CALL};
use super::http::{Body, Transport};
use super::MDM;
use crate::error::{tidy_to, MdmError};

/// The request body for one batch of device GUIDs [CPS "Get device groups associated with
/// device list": `{"identifiers": ["deviceGuid"]}`].
pub(crate) fn request_body(guids: &[&str]) -> String {
    json!({ "identifiers": guids }).to_string()
}

/// The device groups of the devices with these GUIDs, by lower-case GUID, for the devices the
/// answer names.
pub(crate) async fn device_groups(
    transport: &Transport,
    cps: &CpsConfig,
    retry: &RetryPolicy,
    pace: &Pace,
    guids: &[&str],
) -> Result<HashMap<String, Vec<String>>, MdmError> {
    let url = cps.endpoint("rule/deviceGuid")?;
    let mut out = HashMap::new();
    for batch in guids.chunks(IDS_PER_CALL) {
        let body = request_body(batch);
        let on_retry = |error: &MdmError, retry: helpatwork_net::Retry| {
            tracing::warn!(code = %error.code(), delay = ?retry.delay, "CPS device groups failed; retrying");
        };
        // A read, though a POST: retried like a GET when the service is busy or down.
        let answer = helpatwork_net::retry(retry, MdmError::is_transient, on_retry, || async {
            pace.wait().await;
            transport
                .send(
                    (&cps.user, &cps.password),
                    Method::POST,
                    url.clone(),
                    Some(Body::Json(body.clone().into_bytes())),
                )
                .await
        })
        .await?;
        out.extend(parse_groups(&answer, batch)?);
    }
    Ok(out)
}

/// Parses an answer: `{"errors": null, "result": [{"deviceGuid", "rules": [{"id", "name",
/// "definition"}]}]}`. Entries for devices not asked about are ignored; a rule without a name
/// is skipped; names are tidied and listed once (case does not matter, as a label rule reads
/// them).
pub(crate) fn parse_groups(
    body: &[u8],
    asked: &[&str],
) -> Result<Vec<(String, Vec<String>)>, MdmError> {
    let value: Value = serde_json::from_slice(body)
        .map_err(|_| MdmError::malformed(MDM, "device groups: not JSON"))?;
    if let Some(errors) = value.get("errors").filter(|e| !e.is_null()) {
        let shown = tidy_to(&errors.to_string(), 200);
        return Err(MdmError::malformed(
            MDM,
            format!("device groups: the answer reports errors: {shown}"),
        ));
    }
    let Some(Value::Array(entries)) = value.get("result") else {
        return Err(MdmError::malformed(MDM, "device groups: no result list"));
    };
    let mut out = Vec::new();
    for fields in entries.iter().filter_map(Value::as_object) {
        let Some(guid) = fields
            .get("deviceGuid")
            .and_then(Value::as_str)
            .map(|g| g.trim().to_ascii_lowercase())
            .filter(|g| asked.iter().any(|a| a.eq_ignore_ascii_case(g)))
        else {
            continue;
        };
        let rules = match fields.get("rules") {
            Some(Value::Array(rules)) => rules,
            Some(Value::Null) | None => &Vec::new(),
            Some(_) => {
                return Err(MdmError::malformed(
                    MDM,
                    "device groups: a device's rules are not a list",
                ))
            }
        };
        let mut names: Vec<String> = Vec::new();
        for name in rules
            .iter()
            .filter_map(|r| r.get("name").and_then(Value::as_str))
            .map(|n| tidy_to(n, 128))
            .filter(|n| !n.is_empty())
        {
            if !names.iter().any(|n| n.eq_ignore_ascii_case(&name)) {
                names.push(name);
            }
        }
        out.push((guid, names));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_request_names_guids_as_documented() {
        assert_eq!(
            request_body(&["6b8df48e-7778-4a33-97e4-1cc6b39de61c"]),
            r#"{"identifiers":["6b8df48e-7778-4a33-97e4-1cc6b39de61c"]}"#
        );
    }

    #[test]
    fn the_documented_answer_maps_group_names_to_each_named_device() {
        // The guide's example answer, with a second device in no group.
        let body = br#"{"errors": null, "result": [
          {"deviceGuid": "6B8DF48E-7778-4a33-97e4-1cc6b39de61c", "rules": [
            {"id": 51173, "name": "jk Sandbox User Group", "definition": "DISPLAYNAME EQ 'jk Sandbox User'"},
            {"id": 390113, "name": "test#2", "definition": "PLATFORMTYPE EQ 'IOS'"},
            {"id": 390114, "name": "TEST#2", "definition": ""},
            {"id": 390115, "definition": "no name"}
          ]},
          {"deviceGuid": "bbbb", "rules": []},
          {"deviceGuid": "not-asked", "rules": [{"id": 1, "name": "x"}]}
        ]}"#;
        let got = parse_groups(
            body,
            &["6b8df48e-7778-4a33-97e4-1cc6b39de61c", "bbbb", "cccc"],
        )
        .unwrap();
        assert_eq!(
            got,
            vec![
                (
                    "6b8df48e-7778-4a33-97e4-1cc6b39de61c".to_owned(),
                    vec!["jk Sandbox User Group".to_owned(), "test#2".to_owned()]
                ),
                ("bbbb".to_owned(), vec![]),
            ],
            "cccc is not named: its labels stay unknown"
        );
    }

    #[test]
    fn unreadable_answers_are_errors_not_empty_labels() {
        for body in [
            &b"not json"[..],
            b"[]",
            b"{}",
            br#"{"errors": {"message": "denied"}, "result": null}"#,
            br#"{"errors": null, "result": [{"deviceGuid": "a", "rules": "x"}]}"#,
        ] {
            assert!(parse_groups(body, &["a"]).is_err(), "{body:?}");
        }
    }
}
