//! Switches and inspection of a running fake: failures, latency, the fleet and its apps, and
//! the requests it received.

use std::time::Duration;

use serde_json::{json, Value};

use super::failures::{Endpoint, Failure};
use super::{api, cps, RequestRecord, Shared};

/// Switches and inspection of a running fake. Cheap to clone.
#[derive(Clone)]
pub struct FakeIvantiHandle {
    pub(super) shared: Shared,
}

impl std::fmt::Debug for FakeIvantiHandle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("FakeIvantiHandle")
    }
}

impl FakeIvantiHandle {
    /// Makes `endpoint` fail this way on every request until cleared.
    pub fn inject(&self, endpoint: Endpoint, failure: Failure) {
        self.push_failure(endpoint, failure, None);
    }

    /// Makes `endpoint` fail this way for the next `times` requests.
    pub fn inject_times(&self, endpoint: Endpoint, failure: Failure, times: u32) {
        if times > 0 {
            self.push_failure(endpoint, failure, Some(times));
        }
    }

    /// Lets the next `after` requests to `endpoint` through, then fails this way until
    /// cleared: a service that breaks in the middle of a run.
    pub fn inject_after(&self, endpoint: Endpoint, failure: Failure, after: u32) {
        self.push_failure_after(endpoint, failure, None, after);
    }

    fn push_failure(&self, endpoint: Endpoint, failure: Failure, remaining: Option<u32>) {
        self.push_failure_after(endpoint, failure, remaining, 0);
    }

    fn push_failure_after(
        &self,
        endpoint: Endpoint,
        failure: Failure,
        remaining: Option<u32>,
        after: u32,
    ) {
        self.shared
            .lock()
            .failures
            .push(endpoint, failure, remaining, after);
    }

    /// Removes every injected failure.
    pub fn clear_failures(&self) {
        self.shared.lock().failures.clear();
    }

    /// Latency added to every request.
    pub fn set_latency(&self, latency: Duration) {
        self.shared.lock().latency = latency;
    }

    /// Caps the rows served per search page (`None`: serve what `rows` asks).
    pub fn set_page_cap(&self, cap: Option<usize>) {
        self.shared.lock().page_cap = cap;
    }

    /// Every request so far, oldest first.
    pub fn requests(&self) -> Vec<RequestRecord> {
        self.shared.lock().requests.all()
    }

    /// Requests so far that addressed `endpoint`.
    /// The `fq` of each device search received, in order (`None`: the search had none).
    pub fn search_filters(&self) -> Vec<Option<String>> {
        self.requests()
            .iter()
            .filter(|r| r.endpoint == Some(Endpoint::DeviceSearch))
            .map(|r| r.query_param("fq"))
            .collect()
    }

    pub fn request_count(&self, endpoint: Endpoint) -> usize {
        self.shared
            .lock()
            .requests
            .count(|r| r.endpoint == Some(endpoint))
    }

    /// Forgets the recorded requests.
    pub fn clear_requests(&self) {
        self.shared.lock().requests.clear();
    }

    /// Device ids that were sent a forced check-in (known ids only), oldest first.
    pub fn forced_checkins(&self) -> Vec<String> {
        self.shared.lock().checkins.clone()
    }

    /// The current device records.
    pub fn devices(&self) -> Vec<Value> {
        self.shared.lock().devices.clone()
    }

    /// Replaces the fleet with these records (e.g. one taken from `docs/reference/mdm-apis.md` §2.4).
    pub fn replace_devices(&self, devices: Vec<Value>) {
        *self.shared.lock().devices_mut() = devices;
    }

    /// Appends one record.
    pub fn push_device(&self, device: Value) {
        self.shared.lock().devices_mut().push(device);
    }

    /// Sets the app inventory (CPS *Application* objects) the fake reports for the device with
    /// this guid; `None` leaves the device out of every answer.
    pub fn set_inventory(&self, guid: &str, applications: Option<Vec<Value>>) {
        self.shared
            .lock()
            .inventories
            .insert(guid.to_ascii_lowercase(), applications);
    }

    /// The app inventory the fake reports for the device with this guid (`None`: left out).
    pub fn inventory(&self, guid: &str) -> Option<Vec<Value>> {
        let state = self.shared.lock();
        if let Some(set) = state.inventories.get(&guid.to_ascii_lowercase()) {
            return set.clone();
        }
        let record = state.devices.iter().find(|d| {
            d.get("guid")
                .and_then(Value::as_str)
                .is_some_and(|g| g.eq_ignore_ascii_case(guid))
        })?;
        cps::inventory_of(&state, record)
    }

    /// Sets the device groups (names) the fake reports for the device with this guid, instead of
    /// the ones derived from its record ([`crate::groups::groups_of`]).
    pub fn set_device_groups(&self, guid: &str, groups: &[&str]) {
        self.shared.lock().groups.insert(
            guid.to_ascii_lowercase(),
            groups.iter().map(|g| (*g).to_owned()).collect(),
        );
    }

    /// The device groups the fake reports for the device with this guid (`None`: no such
    /// device).
    pub fn device_groups(&self, guid: &str) -> Option<Vec<String>> {
        let state = self.shared.lock();
        let record = state.devices.iter().find(|d| {
            d.get("guid")
                .and_then(Value::as_str)
                .is_some_and(|g| g.eq_ignore_ascii_case(guid))
        })?;
        Some(crate::groups::groups_of(&state, record))
    }

    /// Sets `registrationState` of the device with this Ivanti `id`; `false` if none has it.
    pub fn set_registration_state(&self, id: &str, state: &str) -> bool {
        let mut guard = self.shared.lock();
        match guard
            .devices_mut()
            .iter_mut()
            .find(|d| api::record_id(d).as_deref() == Some(id))
        {
            Some(device) => {
                device["registrationState"] = json!(state);
                true
            }
            None => false,
        }
    }

    /// The devices with these Ivanti `id`s check in at `at`: their `lastCheckin` and
    /// `clientLastCheckin` become `at` and `change` edits each record (a new OS version, …).
    /// Answers how many were found. What an incremental sync must then read.
    pub fn check_in(
        &self,
        ids: &[String],
        at: chrono::DateTime<chrono::Utc>,
        mut change: impl FnMut(&mut Value),
    ) -> usize {
        let wanted: std::collections::HashSet<&str> = ids.iter().map(String::as_str).collect();
        let mut guard = self.shared.lock();
        let mut found = 0;
        for device in guard.devices_mut().iter_mut() {
            if api::record_id(device).is_some_and(|id| wanted.contains(id.as_str())) {
                device["lastCheckin"] = json!(at.timestamp_millis());
                device["clientLastCheckin"] = json!(at.timestamp_millis());
                change(device);
                found += 1;
            }
        }
        found
    }
}
