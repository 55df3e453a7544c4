//! How many requests a [`BatchWriter`](super::BatchWriter) keeps in flight:
//! a fixed number, or a window that adapts to what DynamoDB answers.

use std::sync::{Arc, Mutex, PoisonError};

use super::{DEFAULT_CONCURRENCY, DEFAULT_MAX_CONCURRENCY};

/// How many `BatchWriteItem` requests a writer keeps in flight.
///
/// The best number depends on what the writer cannot see in advance: with
/// more network latency, more requests in flight keep the server busy; when
/// DynamoDB throttles, more requests only earn more throttling. The default,
/// [`Concurrency::adaptive`], finds it as TCP finds its window: it starts at
/// [`DEFAULT_CONCURRENCY`] requests, adds one request per answered request
/// while the window is full and nothing was throttled (doubling each round
/// trip until the first throttle, one request per round trip after it),
/// halves the window when DynamoDB throttles (unprocessed items or a
/// throttling error, at most once per round trip), and never goes above its
/// maximum. [`Concurrency::Fixed`] keeps exactly the number given.
///
/// ```
/// use resourceful_runtime::batch::Concurrency;
/// assert_eq!(Concurrency::default(), Concurrency::adaptive(64));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Concurrency {
    /// Always allow this many requests in flight (at least 1).
    Fixed(usize),
    /// Start at `initial`, grow while requests succeed, halve on
    /// throttling, stay between 1 and `max`.
    Adaptive {
        /// The window at the start.
        initial: usize,
        /// The most requests in flight at once.
        max: usize,
    },
}

impl Concurrency {
    /// An adaptive window that starts at [`DEFAULT_CONCURRENCY`] (or at
    /// `max`, if smaller) and never exceeds `max` (at least 1).
    pub fn adaptive(max: usize) -> Self {
        let max = max.max(1);
        Concurrency::Adaptive {
            initial: DEFAULT_CONCURRENCY.min(max),
            max,
        }
    }
}

impl Default for Concurrency {
    /// [`Concurrency::adaptive`] up to [`DEFAULT_MAX_CONCURRENCY`] requests.
    fn default() -> Self {
        Concurrency::adaptive(DEFAULT_MAX_CONCURRENCY)
    }
}

/// The window of a writer, shared by its request tasks (which report each
/// answer) and the writer (which reads the limit before sending).
#[derive(Debug, Clone)]
pub(super) struct Window {
    inner: Arc<Mutex<State>>,
}

#[derive(Debug)]
struct State {
    mode: Concurrency,
    /// The window, fractional during additive increase.
    limit: f64,
    /// Until the first throttle, each success adds a whole request.
    slow_start: bool,
    /// Counts the decreases, so that the throttled answers to requests sent
    /// before a decrease do not decrease the window again.
    epoch: u64,
}

/// What a request task knows of the window when it sends a request.
#[derive(Debug, Clone, Copy)]
pub(super) struct Sent {
    epoch: u64,
    /// Whether the window was full: only then does a success say that a
    /// larger window would have been used.
    full: bool,
}

impl Window {
    pub(super) fn new(mode: Concurrency) -> Self {
        let limit = match mode {
            Concurrency::Fixed(n) => n.max(1),
            Concurrency::Adaptive { initial, max } => initial.clamp(1, max.max(1)),
        };
        Window {
            inner: Arc::new(Mutex::new(State {
                mode,
                limit: limit as f64,
                slow_start: true,
                epoch: 0,
            })),
        }
    }

    fn state(&self) -> std::sync::MutexGuard<'_, State> {
        // The state is a few numbers, consistent after every update.
        self.inner.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// How many requests may be in flight now.
    pub(super) fn limit(&self) -> usize {
        self.state().limit as usize
    }

    /// The mode the writer was given.
    pub(super) fn mode(&self) -> Concurrency {
        self.state().mode
    }

    /// A request is about to be sent with `in_flight` others (itself
    /// included) in flight.
    pub(super) fn sent(&self, in_flight: usize) -> Sent {
        let state = self.state();
        Sent {
            epoch: state.epoch,
            full: in_flight >= state.limit as usize,
        }
    }

    /// DynamoDB answered a request, throttling it (in part) or not.
    pub(super) fn answered(&self, sent: Sent, throttled: bool) {
        let mut state = self.state();
        let Concurrency::Adaptive { max, .. } = state.mode else {
            return;
        };
        if throttled {
            if sent.epoch == state.epoch {
                state.limit = (state.limit / 2.0).max(1.0);
                state.slow_start = false;
                state.epoch += 1;
            }
        } else if sent.full {
            let step = if state.slow_start {
                1.0
            } else {
                1.0 / state.limit
            };
            state.limit = (state.limit + step).min(max.max(1) as f64);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn adaptive(initial: usize, max: usize) -> Window {
        Window::new(Concurrency::Adaptive { initial, max })
    }

    #[test]
    fn a_fixed_window_never_moves() {
        let window = Window::new(Concurrency::Fixed(3));
        let sent = window.sent(3);
        window.answered(sent, false);
        window.answered(sent, true);
        assert_eq!(window.limit(), 3);
        assert_eq!(Window::new(Concurrency::Fixed(0)).limit(), 1);
    }

    #[test]
    fn slow_start_doubles_each_round_trip_up_to_the_cap() {
        let window = adaptive(4, 20);
        // One round trip: four requests sent with the window full.
        let sent: Vec<_> = (0..4).map(|_| window.sent(4)).collect();
        for s in sent {
            window.answered(s, false);
        }
        assert_eq!(window.limit(), 8);
        for _ in 0..100 {
            window.answered(window.sent(usize::MAX), false);
        }
        assert_eq!(window.limit(), 20);
    }

    #[test]
    fn successes_while_the_window_is_not_full_do_not_grow_it() {
        let window = adaptive(8, 64);
        for _ in 0..100 {
            window.answered(window.sent(2), false);
        }
        assert_eq!(window.limit(), 8);
    }

    #[test]
    fn a_throttle_halves_once_per_round_trip_then_growth_is_additive() {
        let window = adaptive(16, 64);
        // Sixteen requests in flight, all throttled: one decrease only.
        let sent: Vec<_> = (0..16).map(|_| window.sent(16)).collect();
        for s in sent {
            window.answered(s, true);
        }
        assert_eq!(window.limit(), 8);
        // Additive increase: about one request per window of successes.
        for _ in 0..8 {
            window.answered(window.sent(8), false);
        }
        assert_eq!(window.limit(), 8, "eight successes add less than one");
        for _ in 0..9 {
            window.answered(window.sent(8), false);
        }
        assert_eq!(window.limit(), 9);
        // Throttling without end bottoms out at one request.
        for _ in 0..20 {
            window.answered(window.sent(1), true);
        }
        assert_eq!(window.limit(), 1);
    }
}
