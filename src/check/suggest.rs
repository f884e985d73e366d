//! "Did you mean": the closest known name to a mistyped one.

/// The candidate closest to `typed` by edit distance (counting a swap of two
/// neighbouring characters as one edit, and ignoring case), if one is close
/// enough to be a plausible typo. Ties go to the earliest candidate.
pub fn closest<'a>(typed: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let typed_lower = typed.to_lowercase();
    let length = typed.chars().count();
    let allowed = (length / 3).max(1);
    let mut best: Option<(usize, &'a str)> = None;
    for candidate in candidates {
        if candidate == typed {
            continue;
        }
        let distance = strsim::osa_distance(&typed_lower, &candidate.to_lowercase());
        if distance <= allowed
            && distance < length.max(candidate.chars().count())
            && best.is_none_or(|(d, _)| distance < d)
        {
            best = Some((distance, candidate));
        }
    }
    best.map(|(_, name)| name)
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
    }

    #[test]
    fn works_on_chinese_names() {
        assert_eq!(closest("綠化率x", ["綠化率", "面積"]), Some("綠化率"));
        assert_eq!(closest("綠化面積", ["綠化率", "面積"]), None);
    }

    #[test]
    fn does_not_suggest_unrelated_names() {
        assert_eq!(closest("x", ["k"]), None);
        assert_eq!(closest("volunteer", ["green_area"]), None);
    }
}
