//! How batches retry: capped exponential backoff with full jitter.

use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, Hasher};
use std::time::Duration;

use aws_sdk_dynamodb::config::retry::RetryConfig;

/// How a batch retries unprocessed writes or keys, throttling and transport
/// errors: up to [`max_attempts`](RetryPolicy::max_attempts) requests per
/// chunk, sleeping between them for a random time ("full jitter") up to
/// `base_delay × 2^(attempt − 1)`, capped at `max_delay`.
///
/// The default makes 10 attempts with delays up to 25 ms, 50 ms, 100 ms, …
/// capped at 2 s: at most 7.175 s of sleep per chunk in all.
/// [`RetryPolicy::none`] sends every request once.
///
/// This is the only retry layer of a batch: its requests are sent with the
/// AWS SDK's own retries turned off, so that a throttled chunk is sent at
/// most `max_attempts` times, not `max_attempts` times the SDK's attempts.
/// [`max_elapsed`](RetryPolicy::max_elapsed) also bounds the time a chunk
/// may take from its first request.
///
/// ```
/// use std::time::Duration;
/// use resourceful_runtime::batch::RetryPolicy;
///
/// let patient = RetryPolicy::default()
///     .max_attempts(20)
///     .base_delay(Duration::from_millis(50))
///     .max_delay(Duration::from_secs(10));
/// assert_eq!(patient.attempts(), 20);
/// assert_eq!(RetryPolicy::none().attempts(), 1);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    max_attempts: u32,
    base_delay: Duration,
    max_delay: Duration,
    max_elapsed: Option<Duration>,
    jitter: bool,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 10,
            base_delay: Duration::from_millis(25),
            max_delay: Duration::from_secs(2),
            max_elapsed: None,
            jitter: true,
        }
    }
}

impl RetryPolicy {
    /// Sends every request once: whatever DynamoDB leaves unprocessed is
    /// returned at once.
    pub fn none() -> Self {
        RetryPolicy {
            max_attempts: 1,
            ..RetryPolicy::default()
        }
    }

    /// The most requests sent for one chunk, the first included (at least 1).
    pub fn max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = attempts.max(1);
        self
    }

    /// The delay cap before the first retry; it doubles with each retry.
    pub fn base_delay(mut self, delay: Duration) -> Self {
        self.base_delay = delay;
        self
    }

    /// The longest delay between two attempts.
    pub fn max_delay(mut self, delay: Duration) -> Self {
        self.max_delay = delay;
        self
    }

    /// Gives up on a chunk rather than sleep past `budget` after its first
    /// request was sent: no retry starts later than that. A request already
    /// sent finishes (or times out, by the client's timeout settings).
    pub fn max_elapsed(mut self, budget: Duration) -> Self {
        self.max_elapsed = Some(budget);
        self
    }

    /// Sleeps exactly the capped exponential delay instead of a random time
    /// up to it. Jitter spreads out clients that were throttled together;
    /// turn it off only for reproducible timing.
    pub fn without_jitter(mut self) -> Self {
        self.jitter = false;
        self
    }

    /// The configured number of attempts.
    pub fn attempts(&self) -> u32 {
        self.max_attempts
    }

    /// The sleep before the next attempt, after `attempt` attempts (≥ 1)
    /// that began `elapsed` ago, or `None` when the policy gives up.
    pub(crate) fn next_delay(&self, attempt: u32, elapsed: Duration) -> Option<Duration> {
        if attempt >= self.max_attempts {
            return None;
        }
        let delay = self.delay(attempt);
        match self.max_elapsed {
            Some(budget) if elapsed.saturating_add(delay) > budget => None,
            _ => Some(delay),
        }
    }

    /// The SDK configuration of a batch request: no retries of the SDK's
    /// own, since the policy retries.
    pub(crate) fn sdk_override() -> aws_sdk_dynamodb::config::Builder {
        aws_sdk_dynamodb::config::Builder::default().retry_config(RetryConfig::disabled())
    }

    /// The sleep before attempt `attempt + 1`, after `attempt` attempts (≥ 1).
    pub(crate) fn delay(&self, attempt: u32) -> Duration {
        let exponent = attempt.saturating_sub(1).min(30);
        let cap = self
            .base_delay
            .saturating_mul(1 << exponent)
            .min(self.max_delay);
        if !self.jitter || cap.is_zero() {
            return cap;
        }
        let nanos = u64::try_from(cap.as_nanos()).unwrap_or(u64::MAX);
        Duration::from_nanos(random() % (nanos + 1))
    }
}

/// A random number, from the standard library's per-instance random hash keys.
fn random() -> u64 {
    let mut hasher = RandomState::new().build_hasher();
    hasher.write_u64(0x9e37_79b9_7f4a_7c15);
    hasher.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delays_grow_and_are_capped() {
        let p = RetryPolicy::default()
            .base_delay(Duration::from_millis(10))
            .max_delay(Duration::from_millis(100))
            .without_jitter();
        let delays: Vec<_> = (1..=6).map(|a| p.delay(a).as_millis()).collect();
        assert_eq!(delays, [10, 20, 40, 80, 100, 100]);
        assert_eq!(p.delay(u32::MAX), Duration::from_millis(100));
    }

    #[test]
    fn jitter_stays_under_the_cap_and_varies() {
        let p = RetryPolicy::default()
            .base_delay(Duration::from_millis(10))
            .max_delay(Duration::from_millis(100));
        let delays: Vec<_> = (0..200).map(|_| p.delay(3)).collect();
        assert!(delays.iter().all(|d| *d <= Duration::from_millis(40)));
        let first = delays[0];
        assert!(delays.iter().any(|d| *d != first));
    }

    #[test]
    fn the_budget_and_the_attempts_both_bound_the_retries() {
        let p = RetryPolicy::default()
            .max_attempts(5)
            .base_delay(Duration::from_millis(10))
            .without_jitter();
        assert_eq!(
            p.next_delay(1, Duration::ZERO),
            Some(Duration::from_millis(10))
        );
        assert_eq!(
            p.next_delay(4, Duration::ZERO),
            Some(Duration::from_millis(80))
        );
        assert_eq!(p.next_delay(5, Duration::ZERO), None);
        let p = p.max_elapsed(Duration::from_millis(100));
        assert_eq!(
            p.next_delay(2, Duration::from_millis(80)),
            Some(Duration::from_millis(20))
        );
        assert_eq!(p.next_delay(2, Duration::from_millis(81)), None);
    }

    #[test]
    fn none_sends_once() {
        assert_eq!(RetryPolicy::none().attempts(), 1);
        assert_eq!(RetryPolicy::default().max_attempts(0).attempts(), 1);
    }
}
