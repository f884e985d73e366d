//! "Did you mean": the closest known name to a mistyped one. A leaf that
//! imports nothing of ours: the parser, the checker, the data reader, the
//! edition loader and the waiver reader all suggest names through it.

/// The candidate closest to `typed` by edit distance (counting a swap of two
/// neighbouring characters as one edit, and ignoring case), if one is close
/// enough to be a plausible typo. Ties go to the candidate sharing the longest
/// prefix with `typed`, then to the alphabetically first, so the answer never
/// depends on the candidates' order.
pub fn closest<'a>(typed: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let typed_lower = typed.to_lowercase();
    let length = typed.chars().count();
    let allowed = (length / 3).max(1);
    let candidates: Vec<&'a str> = candidates.into_iter().collect();
    let best = candidates
        .iter()
        .copied()
        .filter(|&candidate| candidate != typed)
        .filter_map(|candidate| {
            let distance = strsim::osa_distance(&typed_lower, &candidate.to_lowercase());
            let plausible = distance <= allowed && distance < length.max(candidate.chars().count());
            let shared = typed
                .chars()
                .zip(candidate.chars())
                .take_while(|(a, b)| a == b)
                .count();
            plausible.then_some((distance, std::cmp::Reverse(shared), candidate))
        })
        .min();
    if let Some((_, _, name)) = best {
        return Some(name);
    }
    // An abbreviation, common in Chinese (`執法` for `執法執紀`): the only
    // candidate that contains what was typed.
    let mut containing = candidates
        .iter()
        .copied()
        .filter(|c| !typed.is_empty() && c.contains(typed) && *c != typed);
    match (containing.next(), containing.next()) {
        (Some(only), None) => Some(only),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::closest;

    #[test]
    fn finds_typos_swaps_and_case() {
        let names = ["green_coverage", "green_area", "total_area"];
        assert_eq!(closest("green_coverge", names), Some("green_coverage"));
        assert_eq!(closest("gerrn_area", names), Some("green_area"));
        assert_eq!(closest("Total_Area", names), Some("total_area"));
        assert_eq!(closest("sectoin", ["section", "rule"]), Some("section"));
        assert_eq!(closest("D2", ["A2", "D1"]), Some("D1"));
        assert_eq!(closest("D2", ["D1", "A2"]), Some("D1"));
    }

    #[test]
    fn works_on_chinese_names() {
        assert_eq!(closest("綠化率x", ["綠化率", "面積"]), Some("綠化率"));
        assert_eq!(closest("綠化面積", ["綠化率", "面積"]), None);
        assert_eq!(
            closest("執法", ["行政", "執法執紀", "綜合服務"]),
            Some("執法執紀")
        );
    }

    #[test]
    fn does_not_suggest_unrelated_names() {
        assert_eq!(closest("x", ["k"]), None);
        assert_eq!(closest("volunteer", ["green_area"]), None);
    }
}
