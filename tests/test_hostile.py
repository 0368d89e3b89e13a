"""Values and files that try to take the monitor down: plausible values only, reports a person can read."""
from __future__ import annotations

import re

from conftest import long_rows, xlsx
from ingest.normalise import fmt_num
from ingest.pipeline import examine
from ingest.problems import PER_RULE, SHOWN_CHARS, problem

CJK = re.compile(r"[\u4e00-\u9fff]")


def check(catalog, rows, department="妇联"):
    v, _, _ = examine(xlsx(long_rows(*rows)), "t.xlsx", catalog, department=department)
    return v


def test_an_absurd_count_is_refused_at_the_door(catalog):
    # DE-01 暑托班数 1e308 in 德城区: a count per district is at most 1,000,000 (data/settings.toml)
    v = check(catalog, [["DE-01", "德城区", 2025, None, None, 1e308], ["DE-01", "陵城区", 2025, None, None, 40]])
    found = [p for p in v.problems if p.rule == "implausible_count"]
    assert len(found) == 1 and found[0].cell == "F2" and v.has_errors()   # the file loads nothing
    assert "1e+308" in found[0].message and "1,000,000" in found[0].message and "取值上限" in found[0].message
    assert not re.search(r"\d{13,}", found[0].message)   # never a 309-digit number


def test_an_absurd_denominator_is_refused_at_the_door(catalog):
    v = check(catalog, [["PS-08", "德城区", 2025, 1e15, 1e15, None]], department="卫健委")
    found = [p for p in v.problems if p.rule == "implausible_denominator"]
    assert len(found) == 1 and found[0].cell == "E2" and "50,000,000" in found[0].message


def test_the_largest_plausible_values_pass(catalog):
    v = check(catalog, [["DE-01", "德城区", 2025, None, None, 1_000_000],
                        ["PS-08", "德城区", 2025, 50_000_000, 50_000_000, None]], department="妇联")
    assert not [p for p in v.problems if p.rule.startswith("implausible")]


def test_a_huge_value_is_cut_in_the_message():
    p = problem("not_number", value="九" * 1000, label="数值")
    assert len(p.value) == SHOWN_CHARS and p.value.endswith("…") and len(p.message) < 200
    assert fmt_num(1e308) == "1e+308" and fmt_num(1234.0) == "1234"


def test_a_file_of_repeated_rows_gets_a_readable_report(catalog):
    # 300 copies of one row: 299 duplicates → the first 50 listed, then one line counting the other 249
    v = check(catalog, [["PS-08", "德城区", 2025, 900, 1000, None]] * 300, department="卫健委")
    duplicates = [p for p in v.problems if p.rule == "duplicate_row"]
    assert len(duplicates) == PER_RULE + 1
    assert duplicates[-1].cell is None and "另有 249 处同类错误" in duplicates[-1].message
    assert all(CJK.search(p.message) for p in duplicates)
