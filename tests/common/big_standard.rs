//! A large generated standard, shared by the robustness test and the check benchmark.

/// A standard of `rules` rules, about 500 bytes each.
pub fn big_standard(rules: usize) -> String {
    let mut source = String::from(
        "standard s {\n  key unit_id\n}\n\nfields {\n  unit_id text\n  x number\n}\n\n",
    );
    source.push_str("section A \"大量規則\" {\n");
    for i in 0..rules {
        source.push_str(&format!(
            "  rule R{i} \"第{i}條：辦公區綠化率、面積與整潔情況符合要求\" {{\n    when    x > {i} or x <= 0\n    require x >= 30 and x between 1 and 1000 and not (x == {i})\n    points  1, deduct 0.5 per x\n    remedy  \"限期整改：增加綠植，綠化率不低於百分之三十，清理暴露垃圾，保持辦公環境整潔有序\"\n    ref     \"三(一){i}\"\n    note    \"檢查組現場核查，拍照留存，填寫檢查記錄表並由受檢科室負責人簽字確認\"\n    owner   \"機關事務科\"\n  }}\n"
        ));
    }
    source.push_str("}\n");
    source
}
