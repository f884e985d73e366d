//! Rolling up on every core: the units spread over shards by their key,
//! each shard a [`Roller`] behind its own lock, fed by the worker threads
//! as they score. A unit's inspections all go to one shard, and a roller
//! gives the same result whatever order its inspections come in (each
//! carries its place in the input), so the shards' units put together in
//! input order are the assessment one roller would make.

use std::hash::{BuildHasher, Hasher};
use std::sync::{Mutex, PoisonError};

use super::finish::finish_all;
use super::{Assessment, Inspection, Plan, Reason, Roller};

/// Shards a few times the cores, so that two threads rarely wait for one.
const SHARDS: usize = 64;

/// Rollers shared by the threads that score.
#[derive(Debug)]
pub struct Shared<'p> {
    plan: &'p Plan,
    shards: Vec<Mutex<Roller<'p>>>,
}

impl<'p> Shared<'p> {
    /// Empty shards for `plan`.
    pub fn new(plan: &'p Plan) -> Shared<'p> {
        Shared {
            plan,
            shards: (0..SHARDS).map(|_| Mutex::new(Roller::new(plan))).collect(),
        }
    }

    /// Takes one inspection (from any thread), or says why it is left out;
    /// `sequence` is its place in the input.
    pub fn add(&self, inspection: &Inspection, sequence: u64) -> Result<(), Reason> {
        let mut hasher = FixedState.build_hasher();
        hasher.write(inspection.key.as_bytes());
        let shard = (hasher.finish() % SHARDS as u64) as usize;
        self.shards[shard]
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .add(inspection, sequence)
    }

    /// The assessment of every unit taken.
    pub fn finish(self) -> Assessment {
        let rollers = self
            .shards
            .into_iter()
            .map(|shard| shard.into_inner().unwrap_or_else(PoisonError::into_inner))
            .collect();
        finish_all(self.plan, rollers)
    }
}

/// A hasher that spreads keys the same way in every run.
#[derive(Clone, Copy, Debug, Default)]
struct FixedState;

impl BuildHasher for FixedState {
    type Hasher = std::collections::hash_map::DefaultHasher;

    fn build_hasher(&self) -> Self::Hasher {
        std::collections::hash_map::DefaultHasher::new()
    }
}
