//! The reorder buffer: batches are scored several at a time and finish in
//! any order; each is released (written) only when every batch before it
//! has been, so output follows input order whatever the threads do.

use std::collections::BTreeMap;
use std::io;

/// Numbered outcomes waiting for the ones before them to be released.
pub(super) struct Ready<T> {
    waiting: BTreeMap<usize, std::thread::Result<T>>,
    /// The number of the next outcome to release.
    pub(super) next: usize,
    /// The first error of releasing, after which nothing more is released.
    pub(super) result: io::Result<()>,
}

impl<T> Default for Ready<T> {
    fn default() -> Self {
        Ready {
            waiting: BTreeMap::new(),
            next: 0,
            result: Ok(()),
        }
    }
}

impl<T> Ready<T> {
    /// Takes outcome `number`, or the panic that making it raised, and
    /// releases every outcome now next in order to `release`; a panic is
    /// raised again when its turn comes, after the outcomes before it are
    /// released.
    pub(super) fn add(
        &mut self,
        number: usize,
        outcome: std::thread::Result<T>,
        mut release: impl FnMut(T) -> io::Result<()>,
    ) {
        self.waiting.insert(number, outcome);
        while let Some(outcome) = self.waiting.remove(&self.next) {
            let value = outcome.unwrap_or_else(|panic| std::panic::resume_unwind(panic));
            if self.result.is_ok() {
                self.result = release(value);
            }
            self.next += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Adds `numbers` in that order and returns what was released after each.
    fn release(numbers: &[usize]) -> (Ready<usize>, Vec<Vec<usize>>) {
        let mut ready = Ready::default();
        let mut steps = Vec::new();
        for &number in numbers {
            let mut released = Vec::new();
            ready.add(number, Ok(number), |n| {
                released.push(n);
                Ok(())
            });
            steps.push(released);
        }
        (ready, steps)
    }

    #[test]
    fn in_order_arrivals_are_released_at_once() {
        let (ready, steps) = release(&[0, 1, 2]);
        assert_eq!(steps, [vec![0], vec![1], vec![2]]);
        assert_eq!(ready.next, 3);
    }

    #[test]
    fn out_of_order_arrivals_wait_for_the_ones_before() {
        let (ready, steps) = release(&[2, 0, 3, 1]);
        assert_eq!(steps, [vec![], vec![0], vec![], vec![1, 2, 3]]);
        assert_eq!(ready.next, 4);
    }

    #[test]
    fn a_gap_holds_back_everything_after_it() {
        let (ready, steps) = release(&[0, 2, 3, 4]);
        assert_eq!(steps, [vec![0], vec![], vec![], vec![]]);
        assert_eq!(ready.next, 1);
        assert_eq!(ready.waiting.len(), 3);
    }

    #[test]
    fn after_an_error_nothing_more_is_released() {
        let mut ready = Ready::default();
        let mut released = Vec::new();
        for number in [1, 0, 2] {
            ready.add(number, Ok(number), |n| {
                released.push(n);
                if n == 0 {
                    Err(io::Error::other("full"))
                } else {
                    Ok(())
                }
            });
        }
        assert_eq!(released, [0]);
        assert!(ready.result.is_err());
        // Outcomes are still taken in order, so the run can end.
        assert_eq!(ready.next, 3);
    }

    #[test]
    fn a_panic_is_raised_in_its_turn() {
        let mut ready = Ready::default();
        let mut released = Vec::new();
        ready.add(1, Err(Box::new("scoring panicked")), |n: usize| {
            released.push(n);
            Ok(())
        });
        let raised = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            ready.add(0, Ok(0), |n| {
                released.push(n);
                Ok(())
            });
        }));
        assert!(raised.is_err());
        assert_eq!(released, [0]);
    }
}
