//! Bounded exponential backoff with jitter, for GET requests only.
//!
//! Server errors (5xx), rate limits, timeouts and connection failures are retried. Writes
//! (`PUT /device/forceCheckin`) are never re-sent after such a failure: the first one may have
//! reached the MDM, and the caller decides whether to try again.

use std::time::Duration;

use rand::Rng;

/// Retry bounds. `max_attempts` counts the first try; waits never add up past `max_total_wait`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Total tries including the first (1 = never retry).
    pub max_attempts: u32,
    /// The wait before the first retry (before jitter); doubles on each retry.
    pub base_delay: Duration,
    /// The cap of one wait.
    pub max_delay: Duration,
    /// The cap of all waits of one call together.
    pub max_total_wait: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_attempts: 4,
            base_delay: Duration::from_millis(500),
            max_delay: Duration::from_secs(8),
            max_total_wait: Duration::from_secs(20),
        }
    }
}

impl RetryPolicy {
    /// No retries at all.
    pub fn never() -> Self {
        Self {
            max_attempts: 1,
            ..Self::default()
        }
    }

    pub(crate) fn backoff(&self) -> Backoff<'_> {
        Backoff {
            policy: self,
            retries: 0,
            waited: Duration::ZERO,
        }
    }
}

/// The state of one call's retries.
#[derive(Debug)]
pub(crate) struct Backoff<'a> {
    policy: &'a RetryPolicy,
    retries: u32,
    waited: Duration,
}

impl Backoff<'_> {
    /// The wait before the next try, or `None` when attempts or total wait are spent.
    /// "Equal jitter": half the exponential step plus a random share of the other half.
    pub(crate) fn next_delay(&mut self, rng: &mut impl Rng) -> Option<Duration> {
        if self.retries.saturating_add(1) >= self.policy.max_attempts {
            return None;
        }
        let factor = 1u32 << self.retries.min(16);
        let step = self
            .policy
            .base_delay
            .saturating_mul(factor)
            .min(self.policy.max_delay);
        let half = step / 2;
        let jitter = if half.is_zero() {
            Duration::ZERO
        } else {
            Duration::from_nanos(
                rng.gen_range(0..=u64::try_from(half.as_nanos()).unwrap_or(u64::MAX)),
            )
        };
        let delay = half + jitter;
        let waited = self.waited + delay;
        if waited > self.policy.max_total_wait {
            return None;
        }
        self.retries += 1;
        self.waited = waited;
        Some(delay)
    }

    /// Retries done so far.
    pub(crate) fn retries(&self) -> u32 {
        self.retries
    }
}

#[cfg(test)]
mod tests {
    use rand::SeedableRng;

    use super::*;

    #[test]
    fn delays_grow_within_bounds_and_stop() {
        let policy = RetryPolicy {
            max_attempts: 6,
            base_delay: Duration::from_millis(100),
            max_delay: Duration::from_millis(400),
            max_total_wait: Duration::from_secs(10),
        };
        let mut rng = rand::rngs::StdRng::seed_from_u64(7);
        let mut backoff = policy.backoff();
        let delays: Vec<_> = std::iter::from_fn(|| backoff.next_delay(&mut rng)).collect();
        assert_eq!(delays.len(), 5, "6 attempts = 5 waits");
        for (delay, step) in delays.iter().zip([100u64, 200, 400, 400, 400]) {
            assert!(*delay >= Duration::from_millis(step / 2), "{delay:?}");
            assert!(*delay <= Duration::from_millis(step), "{delay:?}");
        }
        assert_eq!(backoff.retries(), 5);
    }

    #[test]
    fn total_wait_is_capped() {
        let policy = RetryPolicy {
            max_attempts: 100,
            base_delay: Duration::from_millis(100),
            max_delay: Duration::from_millis(100),
            max_total_wait: Duration::from_millis(500),
        };
        let mut rng = rand::rngs::StdRng::seed_from_u64(1);
        let mut backoff = policy.backoff();
        let total: Duration = std::iter::from_fn(|| backoff.next_delay(&mut rng)).sum();
        assert!(total <= Duration::from_millis(500), "{total:?}");
    }

    #[test]
    fn never_means_one_attempt() {
        let mut rng = rand::rngs::StdRng::seed_from_u64(1);
        assert_eq!(RetryPolicy::never().backoff().next_delay(&mut rng), None);
    }
}
