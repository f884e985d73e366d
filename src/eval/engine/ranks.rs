//! Ranks for `rank` grade bands: a batch's scores ranked, within groups.

use rust_decimal::Decimal;

/// Ranks by score, best first: 1 + the number of strictly better scores, so
/// ties share the better rank. `groups` gives each unit's group; ranks are
/// within a group.
pub fn ranks<G: Ord>(scores: &[Decimal], groups: &[G]) -> Vec<Decimal> {
    let mut order: Vec<usize> = (0..scores.len()).collect();
    order.sort_by(|&a, &b| groups[a].cmp(&groups[b]).then(scores[b].cmp(&scores[a])));
    let mut ranks = vec![Decimal::ZERO; scores.len()];
    let mut start = 0;
    while start < order.len() {
        let group = &groups[order[start]];
        let mut end = start;
        while end < order.len() && groups[order[end]] == *group {
            end += 1;
        }
        let mut rank = 1;
        for position in start..end {
            let unit = order[position];
            if position > start && scores[unit] < scores[order[position - 1]] {
                rank = position - start + 1;
            }
            ranks[unit] = Decimal::from(rank);
        }
        start = end;
    }
    ranks
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(n: i64) -> Decimal {
        Decimal::from(n)
    }

    #[test]
    fn ties_share_the_better_rank() {
        let scores = [d(90), d(95), d(90), d(80)];
        assert_eq!(ranks(&scores, &[(); 4]), vec![d(2), d(1), d(2), d(4)]);
    }

    #[test]
    fn ranks_within_groups() {
        let scores = [d(90), d(95), d(70), d(80)];
        let groups = ["東", "西", "東", "西"];
        assert_eq!(ranks(&scores, &groups), vec![d(1), d(1), d(2), d(2)]);
    }
}
