//! Dependency order: lets before the lets that read them, rules before the
//! rules that read their outcome. Iterative, so a long chain of lets cannot
//! overflow the stack.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

/// The result of ordering.
#[derive(Debug, PartialEq, Eq)]
pub enum Order {
    /// Every node, each after its dependencies; ties keep source order.
    Sorted(Vec<usize>),
    /// The nodes of one cycle, each depending on the next.
    Cycle(Vec<usize>),
}

/// Orders nodes `0..dependencies.len()`, where `dependencies[i]` lists the
/// nodes that `i` reads.
pub fn topological(dependencies: &[Vec<usize>]) -> Order {
    let count = dependencies.len();
    let mut waiting_on = vec![0usize; count];
    let mut readers: Vec<Vec<usize>> = vec![Vec::new(); count];
    for (node, deps) in dependencies.iter().enumerate() {
        let mut deps = deps.clone();
        deps.sort_unstable();
        deps.dedup();
        waiting_on[node] = deps.len();
        for dep in deps {
            readers[dep].push(node);
        }
    }
    let mut ready: BinaryHeap<Reverse<usize>> = (0..count)
        .filter(|&n| waiting_on[n] == 0)
        .map(Reverse)
        .collect();
    let mut sorted = Vec::with_capacity(count);
    while let Some(Reverse(node)) = ready.pop() {
        sorted.push(node);
        for &reader in &readers[node] {
            waiting_on[reader] -= 1;
            if waiting_on[reader] == 0 {
                ready.push(Reverse(reader));
            }
        }
    }
    if sorted.len() == count {
        return Order::Sorted(sorted);
    }
    Order::Cycle(find_cycle(dependencies, &waiting_on))
}

/// Walks from a node left waiting along waiting dependencies until a node repeats.
fn find_cycle(dependencies: &[Vec<usize>], waiting_on: &[usize]) -> Vec<usize> {
    let Some(start) = (0..waiting_on.len()).find(|&n| waiting_on[n] > 0) else {
        return Vec::new();
    };
    let mut path = vec![start];
    let mut seen_at = vec![usize::MAX; waiting_on.len()];
    seen_at[start] = 0;
    let mut node = start;
    loop {
        let Some(&next) = dependencies[node].iter().find(|&&d| waiting_on[d] > 0) else {
            return path;
        };
        if seen_at[next] != usize::MAX {
            return path.split_off(seen_at[next]);
        }
        seen_at[next] = path.len();
        path.push(next);
        node = next;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dependencies_come_first_and_ties_keep_source_order() {
        let deps = vec![vec![2], vec![], vec![1]];
        assert_eq!(topological(&deps), Order::Sorted(vec![1, 2, 0]));
        assert_eq!(topological(&[vec![], vec![]]), Order::Sorted(vec![0, 1]));
    }

    #[test]
    fn a_cycle_is_found() {
        let deps = vec![vec![1], vec![2], vec![1], vec![]];
        assert_eq!(topological(&deps), Order::Cycle(vec![1, 2]));
        assert_eq!(topological(&[vec![0]]), Order::Cycle(vec![0]));
    }

    #[test]
    fn a_long_chain_does_not_recurse() {
        let deps: Vec<Vec<usize>> = (0..200_000)
            .map(|i| if i == 0 { vec![] } else { vec![i - 1] })
            .collect();
        let Order::Sorted(order) = topological(&deps) else {
            panic!("a chain has no cycle");
        };
        assert_eq!(order.len(), 200_000);
    }
}
