//! Graph calls beyond the device list: JSON in and out, each behind the connector's retry
//! policy (429 after Graph's `Retry-After`, 5xx, timeouts, connection failures; a read also on
//! a cut-off answer), and collections read to their end through `@odata.nextLink`.
//!
//! Every call here is safe to send twice: reads, deletes, `assign` (it sets the whole list of
//! a configuration's assignments) and creations of the product's own named objects, which the
//! clearing finds by name whatever their number (docs/intune.md §5). `syncDevice` is not here:
//! it is never re-sent.

use std::time::Duration;

use reqwest::Method;
use serde_json::Value;
use url::Url;

use super::{IntuneConnector, MDM};
use crate::error::MdmError;

/// Pages of one collection read at most (a loop guard against paging that never ends).
const MAX_PAGES: usize = 200;

impl IntuneConnector {
    /// One call, retried; the answer's body (empty for `204 No Content`).
    pub(crate) async fn call(
        &self,
        method: Method,
        url: Url,
        body: Option<&Value>,
        needs: &'static str,
    ) -> Result<Vec<u8>, MdmError> {
        let read = method == Method::GET;
        let on_retry = |(error, _): &(MdmError, Option<Duration>), retry: helpatwork_net::Retry| {
            tracing::warn!(
                code = %error.code(),
                retry = retry.number,
                delay = ?retry.delay,
                "Graph call failed; retrying"
            );
        };
        helpatwork_net::retry_after(
            &self.inner.options.retry,
            |(error, _): &(MdmError, Option<Duration>)| {
                error.is_transient()
                    || (read && matches!(error, MdmError::MalformedResponse { .. }))
            },
            |(_, wait): &(MdmError, Option<Duration>)| *wait,
            on_retry,
            || self.send(method.clone(), url.clone(), body, needs),
        )
        .await
        .map_err(|(error, _)| error)
    }

    /// A call whose answer is a JSON object.
    pub(crate) async fn call_json(
        &self,
        method: Method,
        url: Url,
        body: Option<&Value>,
        needs: &'static str,
    ) -> Result<Value, MdmError> {
        let bytes = self.call(method, url, body, needs).await?;
        let value: Value = serde_json::from_slice(&bytes)
            .map_err(|_| MdmError::malformed(MDM, "the answer is not JSON"))?;
        if value.is_object() {
            Ok(value)
        } else {
            Err(MdmError::malformed(MDM, "the answer is not a JSON object"))
        }
    }

    /// A `DELETE`; `404` counts as done (already gone).
    pub(crate) async fn delete(&self, url: Url, needs: &'static str) -> Result<(), MdmError> {
        match self.call(Method::DELETE, url, None, needs).await {
            Ok(_) | Err(MdmError::NotFound { .. }) => Ok(()),
            Err(error) => Err(error),
        }
    }

    /// Every entry of a collection, following `@odata.nextLink` only within the first
    /// address's origin and path (the token never goes elsewhere).
    pub(crate) async fn collect(
        &self,
        url: Url,
        needs: &'static str,
    ) -> Result<Vec<Value>, MdmError> {
        let mut values = Vec::new();
        let mut next = Some(url.clone());
        let mut pages = 0;
        while let Some(page) = next.take() {
            pages += 1;
            if pages > MAX_PAGES {
                return Err(MdmError::malformed(
                    MDM,
                    format!("more than {MAX_PAGES} pages"),
                ));
            }
            let mut body = self.call_json(Method::GET, page, None, needs).await?;
            match body.get_mut("value").map(Value::take) {
                Some(Value::Array(entries)) => values.extend(entries),
                _ => return Err(MdmError::malformed(MDM, "a collection without `value`")),
            }
            if let Some(link) = body.get("@odata.nextLink").and_then(Value::as_str) {
                let link = Url::parse(link)
                    .map_err(|_| MdmError::malformed(MDM, "@odata.nextLink is not a URL"))?;
                if link.origin() != url.origin() || link.path() != url.path() {
                    return Err(MdmError::malformed(
                        MDM,
                        "@odata.nextLink leaves the collection's address; not followed",
                    ));
                }
                next = Some(link);
            }
        }
        Ok(values)
    }
}

/// The `id` of a created or listed object.
pub(crate) fn id_of(value: &Value) -> Result<String, MdmError> {
    value
        .get("id")
        .and_then(Value::as_str)
        .filter(|id| !id.is_empty() && id.len() <= 100)
        .map(str::to_owned)
        .ok_or_else(|| MdmError::malformed(MDM, "an object without `id`"))
}
