//! Bounded exponential backoff with jitter, and the loop that retries a call with it.
//!
//! Which failures are worth another try, and which calls may be sent twice at all, is each
//! client's rule, not this module's: TeamViewer never re-sends a session create and Ivanti never
//! re-sends a forced check-in after a transport or server failure (the first one may have
//! arrived), so those calls run with [`RetryPolicy::never`] or outside [`retry`].

use std::future::Future;
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

    /// The retries of one call, none spent yet.
    pub fn backoff(&self) -> Backoff<'_> {
        Backoff {
            policy: self,
            retries: 0,
            waited: Duration::ZERO,
        }
    }
}

/// The state of one call's retries.
#[derive(Debug)]
pub struct Backoff<'a> {
    policy: &'a RetryPolicy,
    retries: u32,
    waited: Duration,
}

impl Backoff<'_> {
    /// The wait before the next try, or `None` when attempts or total wait are spent.
    /// "Equal jitter": half the exponential step plus a random share of the other half.
    pub fn next_delay(&mut self, rng: &mut impl Rng) -> Option<Duration> {
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
    pub fn retries(&self) -> u32 {
        self.retries
    }
}

/// A retry about to happen: its number (1 for the first retry) and the wait before it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Retry {
    pub number: u32,
    pub delay: Duration,
}

/// Runs `attempt` until it succeeds, fails in a way `is_transient` does not retry, or `policy`
/// is spent; `on_retry` hears of each failure that is tried again (for the client's log line)
/// before the wait. The last failure is returned as it came.
pub async fn retry<T, E, F, Fut>(
    policy: &RetryPolicy,
    is_transient: impl Fn(&E) -> bool,
    on_retry: impl FnMut(&E, Retry),
    attempt: F,
) -> Result<T, E>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T, E>>,
{
    retry_after(policy, is_transient, |_| None, on_retry, attempt).await
}

/// [`retry`] that honours the wait a server asks for (`Retry-After` on a 429 or 503):
/// `server_wait` reads it from the failure. That wait replaces the backoff's when it is longer;
/// a wait that would pass the policy's `max_delay` or `max_total_wait` ends the retries and
/// returns the failure (the caller says "try again later" rather than hanging).
pub async fn retry_after<T, E, F, Fut>(
    policy: &RetryPolicy,
    is_transient: impl Fn(&E) -> bool,
    server_wait: impl Fn(&E) -> Option<Duration>,
    mut on_retry: impl FnMut(&E, Retry),
    mut attempt: F,
) -> Result<T, E>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T, E>>,
{
    let mut backoff = policy.backoff();
    let mut waited = Duration::ZERO;
    loop {
        match attempt().await {
            Err(error) if is_transient(&error) => {
                // The generator is a temporary: a thread-local one must not live across an await.
                let Some(mut delay) = backoff.next_delay(&mut rand::thread_rng()) else {
                    return Err(error);
                };
                if let Some(asked) = server_wait(&error) {
                    if asked > policy.max_delay || waited + asked > policy.max_total_wait {
                        return Err(error);
                    }
                    delay = delay.max(asked);
                }
                waited += delay;
                on_retry(
                    &error,
                    Retry {
                        number: backoff.retries(),
                        delay,
                    },
                );
                tokio::time::sleep(delay).await;
            }
            other => return other,
        }
    }
}

#[cfg(test)]
mod tests {
    use std::cell::Cell;

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
            assert!(
                *delay >= Duration::from_millis(step / 2),
                "{delay:?} < half of {step}"
            );
            assert!(*delay <= Duration::from_millis(step), "{delay:?} > {step}");
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

    fn quick(max_attempts: u32) -> RetryPolicy {
        RetryPolicy {
            max_attempts,
            base_delay: Duration::from_millis(10),
            max_delay: Duration::from_millis(40),
            max_total_wait: Duration::from_secs(1),
        }
    }

    #[tokio::test(start_paused = true)]
    async fn transient_failures_are_tried_again_until_the_policy_is_spent() {
        let calls = Cell::new(0);
        let mut heard = Vec::new();
        let result: Result<(), &str> = retry(
            &quick(3),
            |e| *e == "busy",
            |e, r| heard.push((*e, r.number)),
            || {
                calls.set(calls.get() + 1);
                async { Err("busy") }
            },
        )
        .await;
        assert_eq!(result, Err("busy"));
        assert_eq!(calls.get(), 3, "3 attempts");
        assert_eq!(heard, vec![("busy", 1), ("busy", 2)]);
    }

    #[tokio::test(start_paused = true)]
    async fn other_failures_and_successes_end_at_once() {
        let calls = Cell::new(0);
        let result: Result<u8, &str> = retry(
            &quick(5),
            |e| *e == "busy",
            |_, _| panic!("no retry"),
            || {
                calls.set(calls.get() + 1);
                async { Err("refused") }
            },
        )
        .await;
        assert_eq!((result, calls.get()), (Err("refused"), 1));
        let calls = Cell::new(0);
        let result: Result<u8, &str> = retry(
            &quick(5),
            |e| *e == "busy",
            |_, _| {},
            || {
                calls.set(calls.get() + 1);
                let n = calls.get();
                async move {
                    if n < 3 {
                        Err("busy")
                    } else {
                        Ok(7)
                    }
                }
            },
        )
        .await;
        assert_eq!((result, calls.get()), (Ok(7), 3));
    }

    #[tokio::test(start_paused = true)]
    async fn a_server_wait_is_honoured_and_a_long_one_ends_the_retries() {
        let calls = Cell::new(0);
        let started = tokio::time::Instant::now();
        let result: Result<u8, u64> = retry_after(
            &quick(3),
            |_| true,
            |secs| Some(Duration::from_millis(*secs)),
            |_, _| {},
            || {
                calls.set(calls.get() + 1);
                let n = calls.get();
                async move {
                    if n < 2 {
                        Err(30)
                    } else {
                        Ok(1)
                    }
                }
            },
        )
        .await;
        assert_eq!((result, calls.get()), (Ok(1), 2));
        assert!(
            started.elapsed() >= Duration::from_millis(30),
            "waited as asked"
        );
        let calls = Cell::new(0);
        let result: Result<u8, u64> = retry_after(
            &quick(5),
            |_| true,
            |secs| Some(Duration::from_millis(*secs)),
            |_, _| panic!("no retry past max_delay"),
            || {
                calls.set(calls.get() + 1);
                async { Err(5_000) }
            },
        )
        .await;
        assert_eq!((result, calls.get()), (Err(5_000), 1));
    }

    #[tokio::test(start_paused = true)]
    async fn never_sends_once() {
        let calls = Cell::new(0);
        let result: Result<(), &str> = retry(
            &RetryPolicy::never(),
            |_| true,
            |_, _| panic!("no retry"),
            || {
                calls.set(calls.get() + 1);
                async { Err("busy") }
            },
        )
        .await;
        assert_eq!((result, calls.get()), (Err("busy"), 1));
    }
}
