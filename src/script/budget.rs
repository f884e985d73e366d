//! The wall-clock budget of one script call: part of the sandbox of
//! [`crate::script`].
//!
//! Rhai's operation limit counts a built-in function as one operation,
//! however much work it does: sorting or printing a 10,000-element array in
//! a loop would stay under the limit for minutes. So each call also gets a
//! deadline, checked from Rhai's progress callback (which runs at every
//! operation, in nested calls such as a sort's comparer too). The deadline is
//! kept per thread, as each worker thread makes its own calls; the clock is
//! read every [`CHECK_EVERY`] operations, which keeps its cost out of the way
//! of ordinary scripts. Once a call is over its budget every later operation
//! of it stops at once, so a built-in that calls back into the script (a
//! sort's comparer) gives up at its next step.

use std::cell::Cell;
use std::time::{Duration, Instant};

/// Operations between two readings of the clock.
const CHECK_EVERY: u32 = 8;

thread_local! {
    /// The running call's deadline on this thread, if a call is running.
    static DEADLINE: Cell<Option<Instant>> = const { Cell::new(None) };
    /// Operations since the clock was last read.
    static TICKS: Cell<u32> = const { Cell::new(0) };
    /// Whether the running call has gone past its deadline.
    static EXPIRED: Cell<bool> = const { Cell::new(false) };
}

/// A call's budget, running from its creation until it is dropped.
pub(super) struct Budget {
    /// The deadline of the call this one interrupted, if any, put back on drop.
    outer: Option<Instant>,
    outer_expired: bool,
}

impl Budget {
    /// Starts a budget of `time` for the call about to run on this thread.
    pub(super) fn start(time: Duration) -> Budget {
        let deadline = Instant::now().checked_add(time);
        let outer = DEADLINE.with(|d| d.replace(deadline));
        let outer_expired = EXPIRED.with(|e| e.replace(false));
        TICKS.with(|t| t.set(0));
        Budget {
            outer,
            outer_expired,
        }
    }

    /// Whether the call went past its deadline.
    pub(super) fn expired(&self) -> bool {
        EXPIRED.with(Cell::get)
    }
}

impl Drop for Budget {
    fn drop(&mut self) {
        DEADLINE.with(|d| d.set(self.outer));
        EXPIRED.with(|e| e.set(self.outer_expired));
    }
}

/// Rhai's progress callback: `true` when the running call must stop.
pub(super) fn over() -> bool {
    if EXPIRED.with(Cell::get) {
        return true;
    }
    let Some(deadline) = DEADLINE.with(Cell::get) else {
        return false;
    };
    let ticks = TICKS.with(|t| {
        let ticks = t.get().wrapping_add(1);
        t.set(ticks);
        ticks
    });
    if !ticks.is_multiple_of(CHECK_EVERY) || Instant::now() < deadline {
        return false;
    }
    EXPIRED.with(|e| e.set(true));
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_budget_expires_and_is_put_back_when_dropped() {
        assert!(!over(), "no call, no deadline");
        {
            let budget = Budget::start(Duration::ZERO);
            let stopped = (0..CHECK_EVERY).any(|_| over());
            assert!(stopped && budget.expired());
            assert!(over(), "every later operation stops too");
        }
        assert!(!over(), "the deadline ends with its call");
        let budget = Budget::start(Duration::from_secs(3600));
        assert!(!(0..100).any(|_| over()));
        assert!(!budget.expired());
    }
}
