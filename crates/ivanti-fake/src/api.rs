//! The fake's handlers. Shapes follow docs/reference/mdm-apis.md §2.2–§2.5; choices the reference leaves open
//! are marked "fake's choice".

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{RawQuery, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Map, Value};

use super::fleet::{DEFAULT_PARTITION_ID, OTHER_PARTITION_ID};
use super::Shared;

/// Rows when the request names none (fake's choice: XSOAR's page size; Ivanti's is undocumented).
const DEFAULT_ROWS: usize = 50;
/// The documented maximum of `rows` (§2.3).
const MAX_ROWS: i64 = 500;

/// `GET /api/v1/tenant/partition/device` (§2.2; shape of XSOAR `tenant_spaces.json`).
pub(crate) async fn partitions(State(shared): State<Shared>) -> Response {
    let device_count = shared.lock().devices.len();
    let space = |id: u64, name: &str, description: Value, default: bool, devices: usize| {
        json!({
            "id": id,
            "createdAt": 1_509_633_426_359_i64,
            "createdBy": 1,
            "modifiedAt": 1_598_483_659_513_i64,
            "modifiedBy": 123,
            "name": name,
            "description": description,
            "domainRule": if default { Value::Null } else { json!("ACCOUNTGROUP EQ 'Marketing'") },
            "defaultPartition": default,
            "priority": if default { 2 } else { 1 },
            "guid": null,
            "appCount": 0,
            "contentCount": 0,
            "memberCount": 0,
            "countLastUpdatedAt": null,
            "treeView": null,
            "deviceCount": devices,
            "configurationCount": 46,
            "policyCount": 6,
            "deviceGroupCount": 15
        })
    };
    // The non-default space comes first so a client must look at `defaultPartition`.
    let results = vec![
        space(OTHER_PARTITION_ID, "Marketing Space", Value::Null, false, 0),
        space(
            DEFAULT_PARTITION_ID,
            "Default Space",
            json!("Default device management Space."),
            true,
            device_count,
        ),
    ];
    ok(json!({
        "searchResults": results,
        "totalCount": 2,
        "offset": 0,
        "limit": 50
    }))
}

/// `GET /api/v1/device?q=&rows=&start=&dmPartitionId=&fq=` (§2.3).
pub(crate) async fn search(State(shared): State<Shared>, RawQuery(query): RawQuery) -> Response {
    let params: Vec<(String, String)> =
        url::form_urlencoded::parse(query.unwrap_or_default().as_bytes())
            .into_owned()
            .collect();
    let param = |name: &str| {
        params
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.trim())
            .filter(|v| !v.is_empty())
    };
    let rows = match param("rows") {
        None => DEFAULT_ROWS,
        Some(text) => match text.parse::<i64>() {
            Ok(n) if (1..=MAX_ROWS).contains(&n) => usize::try_from(n).unwrap_or(DEFAULT_ROWS),
            // The documented answer (§2.3); the `field` and `rejectedValue` keys are the fake's.
            Ok(_) => return field_error("rows", "Range", "must be between 1 and 500", text),
            Err(_) => return field_error("rows", "typeMismatch", "must be a number", text),
        },
    };
    let start = match param("start") {
        None => 0,
        Some(text) => match text.parse::<i64>() {
            Ok(n) if n >= 0 => usize::try_from(n).unwrap_or(usize::MAX),
            // Fake's choice.
            Ok(_) => {
                return field_error("start", "Min", "must be greater than or equal to 0", text)
            }
            Err(_) => return field_error("start", "typeMismatch", "must be a number", text),
        },
    };
    // Fake's choice: a missing or unknown space is a field error (Ivanti's answer is
    // undocumented; XSOAR always sends the parameter).
    let partition = match param("dmPartitionId") {
        None => return field_error("dmPartitionId", "NotNull", "may not be null", ""),
        Some(text) => match text.parse::<u64>() {
            Ok(id) if id == DEFAULT_PARTITION_ID || id == OTHER_PARTITION_ID => id,
            _ => return field_error("dmPartitionId", "Invalid", "unknown device space", text),
        },
    };
    let filter = match param("fq").map(parse_filter) {
        None => Vec::new(),
        Some(Ok(terms)) => terms,
        Some(Err(message)) => {
            return field_error("fq", "Invalid", &message, param("fq").unwrap_or_default())
        }
    };

    let mut state = shared.lock();
    let served = state.page_cap.map_or(rows, |cap| rows.min(cap.max(1)));
    let key = (partition, param("fq").unwrap_or_default().to_string());
    let cached = state
        .search_cache
        .as_ref()
        .filter(|c| c.key == key)
        .cloned();
    let search = match cached {
        Some(search) => search,
        None => {
            let search = SearchCache::new(key, &state.devices, partition, &filter);
            state.search_cache = Some(search.clone());
            search
        }
    };
    let matching = &search.matching;
    let page: Vec<Value> = matching
        .iter()
        .skip(start)
        .take(served)
        .map(|&i| state.devices[i].clone())
        .collect();
    drop(state);
    let facet = |field: &str| search.facets.get(field).cloned().unwrap_or_default();
    ok(json!({
        "totalCount": matching.len(),
        "searchResults": page,
        "offset": start,
        "limit": rows,
        "queryTime": 3,
        "facetedResults": {
            "REGISTRATIONSTATE": facet("registrationState"),
            "PLATFORMTYPE": facet("platformType"),
            "KIOSKSTATE": facet("kioskState"),
            "MAMONLY": facet("mamOnly"),
        },
        "totalUnfilteredResultCount": 0
    }))
}

/// The matches of one search (by partition and `fq`) and their facet counts.
#[derive(Debug, Clone)]
pub(crate) struct SearchCache {
    key: (u64, String),
    /// Indexes into the fleet, in fleet order.
    matching: Arc<Vec<usize>>,
    /// Counts per value of each faceted field.
    facets: Arc<Map<String, Value>>,
}

impl SearchCache {
    fn new(key: (u64, String), devices: &[Value], partition: u64, filter: &[Term]) -> Self {
        let matching: Vec<usize> = devices
            .iter()
            .enumerate()
            .filter(|(_, d)| partition == DEFAULT_PARTITION_ID && matches_filter(d, filter))
            .map(|(i, _)| i)
            .collect();
        let mut facets = Map::new();
        for field in ["registrationState", "platformType", "kioskState", "mamOnly"] {
            let mut counts = Map::new();
            for &i in &matching {
                let key = field_text(devices[i].get(field).unwrap_or(&Value::Null));
                let count = counts.get(&key).and_then(Value::as_u64).unwrap_or(0) + 1;
                counts.insert(key, json!(count));
            }
            facets.insert(field.to_string(), Value::Object(counts));
        }
        Self {
            key,
            matching: Arc::new(matching),
            facets: Arc::new(facets),
        }
    }
}

/// `PUT /api/v1/device/forceCheckin`, form `ids=<deviceId>` (§2.5).
pub(crate) async fn force_checkin(
    State(shared): State<Shared>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let form = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
    if !form {
        // Fake's choice: the documented call is a form post.
        return envelope_error(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "Content type must be application/x-www-form-urlencoded",
        );
    }
    let ids: Vec<String> = url::form_urlencoded::parse(&body)
        .filter(|(k, _)| k == "ids")
        .flat_map(|(_, v)| {
            v.split(',')
                .map(|s| s.trim().to_owned())
                .filter(|s| !s.is_empty())
                .collect::<Vec<_>>()
        })
        .collect();
    if ids.is_empty() {
        return field_error("ids", "NotEmpty", "may not be empty", "");
    }
    let mut state = shared.lock();
    // Fake's choice, after the CPS call (§2.5): unknown or retired ids are ignored and the
    // result counts the devices acted on.
    let known: Vec<String> = ids
        .into_iter()
        .filter(|id| {
            state.devices.iter().any(|d| {
                let retired = matches!(
                    d.get("registrationState").and_then(Value::as_str),
                    Some("RETIRED" | "RETIRE_PENDING")
                );
                !retired
                    && (record_id(d).as_deref() == Some(id.as_str())
                        || d.get("guid").and_then(Value::as_str) == Some(id.as_str()))
            })
        })
        .collect();
    let count = known.len();
    state.checkins.extend(known);
    ok(json!(count))
}

/// The Ivanti `id` of a record as text.
pub(crate) fn record_id(device: &Value) -> Option<String> {
    match device.get("id")? {
        Value::Number(n) => Some(n.to_string()),
        Value::String(s) => Some(s.clone()),
        _ => None,
    }
}

fn ok(result: Value) -> Response {
    Json(json!({"errors": null, "result": result})).into_response()
}

fn field_error(field: &str, code: &str, message: &str, rejected: &str) -> Response {
    (
        StatusCode::BAD_REQUEST,
        Json(json!({
            "errors": {
                "fieldErrors": [{
                    "field": field,
                    "code": code,
                    "message": message,
                    "rejectedValue": rejected
                }]
            },
            "result": null
        })),
    )
        .into_response()
}

/// An error in the envelope (fake's choice of shape: Ivanti's non-field errors are
/// undocumented).
pub(crate) fn envelope_error(status: StatusCode, message: &str) -> Response {
    (
        status,
        Json(json!({"errors": {"message": message}, "result": null})),
    )
        .into_response()
}

/// One `fq` term: `field`, a comparison, a value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Term {
    field: String,
    op: Op,
    value: String,
}

/// The comparisons of a term. `>` is how an incremental sync asks for the devices whose
/// `lastCheckin` (epoch milliseconds) is later than its watermark ("Searching for devices
/// efficiently", docs/reference/mdm-apis.md §2.3); the others are the same family.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Op {
    Eq,
    Gt,
    Ge,
    Lt,
    Le,
}

/// `fq` terms `field=value` or `field>value` (also `>=`, `<`, `<=`) joined by `and` (fake's
/// choice: the subset of the documented examples without `or` and parentheses, §2.3).
/// Ordered comparisons take whole numbers only (the time fields are epoch milliseconds).
fn parse_filter(text: &str) -> Result<Vec<Term>, String> {
    let mut terms = Vec::new();
    let lowered = text.to_ascii_lowercase();
    let mut rest = text;
    let mut rest_lower = lowered.as_str();
    loop {
        let (term, next) = match rest_lower.find(" and ") {
            Some(at) => (&rest[..at], Some(at + 5)),
            None => (rest, None),
        };
        let at = term
            .find(['=', '>', '<'])
            .ok_or_else(|| format!("cannot parse filter term '{}'", term.trim()))?;
        let field = &term[..at];
        let after = &term[at..];
        let (op, value) = if let Some(v) = after.strip_prefix(">=") {
            (Op::Ge, v)
        } else if let Some(v) = after.strip_prefix("<=") {
            (Op::Le, v)
        } else if let Some(v) = after.strip_prefix('>') {
            (Op::Gt, v)
        } else if let Some(v) = after.strip_prefix('<') {
            (Op::Lt, v)
        } else {
            (Op::Eq, &after[1..])
        };
        let (field, value) = (field.trim(), value.trim());
        let plain = |s: &str| {
            !s.is_empty()
                && s.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"_.:@-".contains(&b))
        };
        if !plain(field) || !plain(value) {
            return Err(format!(
                "the fake supports only field=value or field>number terms joined by 'and', not '{}'",
                term.trim()
            ));
        }
        if op != Op::Eq && value.parse::<i64>().is_err() {
            return Err(format!(
                "'{}' compares with a number (epoch milliseconds for times)",
                term.trim()
            ));
        }
        terms.push(Term {
            field: field.to_owned(),
            op,
            value: value.to_owned(),
        });
        match next {
            Some(at) => {
                rest = &rest[at..];
                rest_lower = &rest_lower[at..];
            }
            None => return Ok(terms),
        }
    }
}

fn matches_filter(device: &Value, terms: &[Term]) -> bool {
    terms.iter().all(|term| {
        let Some(v) = device.get(&term.field) else {
            return false;
        };
        if term.op == Op::Eq {
            return field_text(v).eq_ignore_ascii_case(&term.value);
        }
        let (Some(have), Ok(want)) = (v.as_i64(), term.value.parse::<i64>()) else {
            return false;
        };
        match term.op {
            Op::Gt => have > want,
            Op::Ge => have >= want,
            Op::Lt => have < want,
            Op::Le => have <= want,
            Op::Eq => have == want,
        }
    })
}

fn field_text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        Value::Null => "null".to_owned(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filters_parse_and_terms() {
        let terms = parse_filter("registrationState=ACTIVE and platformType=ANDROID").expect("ok");
        assert_eq!(
            terms
                .iter()
                .map(|t| (t.field.as_str(), t.op, t.value.as_str()))
                .collect::<Vec<_>>(),
            vec![
                ("registrationState", Op::Eq, "ACTIVE"),
                ("platformType", Op::Eq, "ANDROID")
            ]
        );
        assert_eq!(
            parse_filter("wifiMacAddress=02:00:00:0f:42:40").map(|t| t.len()),
            Ok(1)
        );
        assert!(parse_filter("quarantined=true or jailbroken=true").is_err());
        assert!(parse_filter("(a=b)").is_err());
        assert!(parse_filter("nonsense").is_err());
    }

    #[test]
    fn filters_match_strings_bools_and_numbers() {
        let device = json!({"platformType": "ANDROID", "mamOnly": false, "id": 7});
        let terms = parse_filter("platformType=android and mamOnly=false and id=7").expect("ok");
        assert!(matches_filter(&device, &terms));
        let terms = parse_filter("platformType=IOS").expect("ok");
        assert!(!matches_filter(&device, &terms));
    }

    #[test]
    fn time_terms_compare_epoch_milliseconds() {
        let device = json!({"lastCheckin": 1_750_000_000_000_i64, "platformType": "IOS"});
        let after = |t: i64| parse_filter(&format!("lastCheckin>{t}")).expect("ok");
        assert!(matches_filter(&device, &after(1_749_999_999_999)));
        assert!(
            !matches_filter(&device, &after(1_750_000_000_000)),
            "strictly later"
        );
        let ge = parse_filter("lastCheckin>=1750000000000 and platformType=IOS").expect("ok");
        assert!(matches_filter(&device, &ge));
        assert!(matches_filter(
            &device,
            &parse_filter("lastCheckin<1750000000001").expect("ok")
        ));
        assert!(!matches_filter(&json!({"lastCheckin": null}), &after(0)));
        assert!(parse_filter("lastCheckin>yesterday").is_err());
    }
}
