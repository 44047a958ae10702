//! The time source connectors use to decide whether a device is online.

use chrono::{DateTime, Utc};

/// The system clock, or a fixed instant (tests, `HELPATWORK_NOW` in the app).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Clock {
    fixed: Option<DateTime<Utc>>,
}

impl Clock {
    /// The system clock.
    pub fn system() -> Self {
        Self { fixed: None }
    }

    /// Always reports `now`.
    pub fn fixed(now: DateTime<Utc>) -> Self {
        Self { fixed: Some(now) }
    }

    pub fn now(&self) -> DateTime<Utc> {
        self.fixed.unwrap_or_else(Utc::now)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fixed_clock_does_not_move() {
        let t = DateTime::from_timestamp(1_700_000_000, 0).expect("valid timestamp");
        let clock = Clock::fixed(t);
        assert_eq!(clock.now(), t);
        assert!(Clock::system().now() > t);
    }
}
