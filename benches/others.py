"""The benchmark's 21 rules (../shared/bench/WORKLOAD.md) in DuckDB SQL and in
Polars, for `benches/eval.sh`: each reads the same CSV, writes
unit_id,score,grade,failed, and prints the equivalence summary (rows, grade
counts, score sum) so that the results can be compared with yardstick's.

Usage: python3 benches/others.py duckdb|polars INPUT.csv OUTPUT.csv
"""

import sys

RULES = [
    # id, applicable (SQL), passed (SQL), points, deduction per unit (SQL amount or None)
    ("A1", "TRUE", "sealed_bins", 4, None),
    ("A2", "TRUE", "exposed_waste = 0", 4, ("1.0", "exposed_waste")),
    ("A3", "TRUE", "stains = 0", 3, ("0.5", "stains")),
    ("A4", "TRUE", "graffiti = 0", 3, ("1.0", "graffiti")),
    ("A5", "TRUE", "vehicles_orderly", 3, None),
    ("A6", "TRUE", "items_tidy", 3, None),
    ("A7", "TRUE", "guard_uniform", 2, None),
    ("B1", "TRUE", "core_values_posted", 3, None),
    ("B2", "TRUE", "culture_wall", 3, None),
    ("B3", "TRUE", "slogans_posted", 2, None),
    ("C1", "TRUE", "late_arrivals + early_leaves = 0", 5, ("1.0", "(late_arrivals + early_leaves)")),
    ("C2", "TRUE", "absent_staff = 0", 5, None),
    ("C3", "TRUE", "noise_incidents = 0", 3, None),
    ("C4", "TRUE", "gaming_incidents = 0", 5, None),
    ("C5", "TRUE", "duties_posted", 3, None),
    ("C6", "TRUE", "name_plates", 3, None),
    ("C7", "kind IN ('執法執紀', '綜合服務')", "coalesce(uniform_worn, FALSE)", 4, None),
    ("D1", "TRUE", "green_coverage >= 30", 6, None),
    ("D2", "total_area > 0", "green_area / total_area * 100 >= 30", 2, None),
    ("E1", "TRUE", "volunteer_hours >= 4", 3, None),
    ("E2", "method = '暗訪'", "slogans_posted AND core_values_posted", 2, None),
]


def duckdb_run(source, target):
    import duckdb

    con = duckdb.connect()
    earned, possible, failed = [], [], []
    for rule_id, applies, passes, points, deduct in RULES:
        if deduct:
            per, amount = deduct
            gain = f"greatest(0, {points} - {per} * {amount})"
        else:
            gain = "0"
        earned.append(f"CASE WHEN NOT ({applies}) THEN 0 WHEN {passes} THEN {points} ELSE {gain} END")
        possible.append(f"CASE WHEN {applies} THEN {points} ELSE 0 END")
        failed.append(f"CASE WHEN ({applies}) AND NOT ({passes}) THEN '{rule_id}' END")
    columns = (
        "{'green_area': 'DECIMAL(12,1)', 'total_area': 'DECIMAL(12,1)', "
        "'green_coverage': 'DECIMAL(6,1)', 'volunteer_hours': 'DECIMAL(6,1)'}"
    )
    query = f"""
    COPY (
      WITH scored AS (
        SELECT unit_id,
               100.0 * ({' + '.join(earned)}) / ({' + '.join(possible)}) AS score,
               (gaming_incidents = 0) AS no_critical, (green_coverage >= 30) AS d1,
               concat_ws(';', {', '.join(failed)}) AS failed
        FROM read_csv('{source}', header = true, types = {columns})
      )
      SELECT unit_id, round(score, 2) AS score,
             CASE WHEN score >= 95 AND d1 AND no_critical THEN '示範'
                  WHEN score >= 80 THEN '達標' ELSE '不達標' END AS grade,
             failed
      FROM scored
    ) TO '{target}' (HEADER, DELIMITER ',');
    """
    con.execute(query)
    print(con.execute(f"SELECT count(*), sum(score) FROM read_csv('{target}')").fetchall())


def polars_run(source, target):
    import polars as pl

    df = pl.read_csv(source, schema_overrides={"uniform_worn": pl.Boolean})
    col = pl.col
    def expr(sql):
        # The few forms the rules use, as Polars expressions.
        table = {
            "TRUE": pl.lit(True),
            "kind IN ('執法執紀', '綜合服務')": col("kind").is_in(["執法執紀", "綜合服務"]),
            "total_area > 0": col("total_area") > 0,
            "method = '暗訪'": col("method") == "暗訪",
            "coalesce(uniform_worn, FALSE)": col("uniform_worn").fill_null(False),
            "green_coverage >= 30": col("green_coverage") >= 30,
            "green_area / total_area * 100 >= 30": col("green_area") * 100 >= col("total_area") * 30,
            "volunteer_hours >= 4": col("volunteer_hours") >= 4,
            "slogans_posted AND core_values_posted": col("slogans_posted") & col("core_values_posted"),
            "late_arrivals + early_leaves = 0": (col("late_arrivals") + col("early_leaves")) == 0,
            "(late_arrivals + early_leaves)": col("late_arrivals") + col("early_leaves"),
        }
        if sql in table:
            return table[sql]
        if sql.endswith(" = 0"):
            return col(sql[:-4]) == 0
        return col(sql)
    earned, possible, failed = [], [], []
    for rule_id, applies, passes, points, deduct in RULES:
        a, p = expr(applies), expr(passes)
        if deduct:
            per, amount = deduct
            gain = pl.max_horizontal(pl.lit(0.0), points - float(per) * expr(amount))
        else:
            gain = pl.lit(0.0)
        earned.append(pl.when(~a).then(0.0).when(p).then(float(points)).otherwise(gain))
        possible.append(pl.when(a).then(float(points)).otherwise(0.0))
        failed.append(pl.when(a & ~p).then(pl.lit(rule_id)).otherwise(None))
    out = df.select(
        col("unit_id"),
        (100.0 * pl.sum_horizontal(earned) / pl.sum_horizontal(possible)).alias("score"),
        (col("gaming_incidents") == 0).alias("no_critical"),
        (col("green_coverage") >= 30).alias("d1"),
        pl.concat_str(failed, separator=";", ignore_nulls=True).alias("failed"),
    ).with_columns(
        pl.when((col("score") >= 95) & col("d1") & col("no_critical")).then(pl.lit("示範"))
        .when(col("score") >= 80).then(pl.lit("達標")).otherwise(pl.lit("不達標")).alias("grade")
    )
    out.select("unit_id", col("score").round(2), "grade", "failed").write_csv(target)
    print([(out.height, out["score"].sum())])


if __name__ == "__main__":
    engine, source, target = sys.argv[1:4]
    {"duckdb": duckdb_run, "polars": polars_run}[engine](source, target)
