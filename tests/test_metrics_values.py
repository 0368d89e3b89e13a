"""Values, roll-up, targets and status on the tiny catalog (the `mini` fixture).

Every expected figure is worked out by hand from the few rows loaded in the test:
nothing here is copied from the code's output.

Districts of the mini catalog: 100 示例市 (the city), 101 甲区, 102 乙县, 103 丙县.
"""
from __future__ import annotations

import datetime as dt
import itertools
import math

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import call, days, has_row, mini_catalog_bytes, mini_warehouse, one, wilson  # noqa: F401
from metrics.progress import (ACHIEVED, BEHIND, DETERIORATION, FAR_BEHIND, LIMITED, MET, MODERATE, NO_DATA,
                              NOT_SPLIT, ON_TRACK, STATUSES, SUBSTANTIAL, progress_table, rank_districts,
                              status_summary, targets)
from metrics.values import city_values, district_values

D = dt.datetime
CITY, JIA, YI, BING = "100", "101", "102", "103"
TOL = 0.05  # data/settings.toml [status] tolerance, passed explicitly where it matters



# ------------------------------------------------------------------ rates
def test_city_rate_is_pooled_not_mean_of_district_rates(mini):
    mini.load([("R-UP", "甲区", "2025", 90, 100, None), ("R-UP", "乙县", "2025", 5, 10, None)], D(2026, 1, 10))
    dv = district_values(mini.con, 2025)
    assert one(dv, "R-UP", JIA, 2025)["value"] == pytest.approx(90 / 100 * 100)
    assert one(dv, "R-UP", YI, 2025)["value"] == pytest.approx(5 / 10 * 100)

    city = one(city_values(mini.con, 2025), "R-UP", CITY, 2025)
    pooled = (90 + 5) / (100 + 10) * 100
    mean_of_rates = (90 / 100 * 100 + 5 / 10 * 100) / 2
    assert city["value"] == pytest.approx(pooled)
    assert city["value"] != pytest.approx(mean_of_rates)
    assert city["numerator"] == 90 + 5
    assert city["denominator"] == 100 + 10
    assert city["districts_reported"] == 2


def test_missing_district_is_missing_never_zero(mini):
    mini.load([("R-UP", "甲区", "2025", 90, 100, None), ("R-UP", "乙县", "2025", 5, 10, None)], D(2026, 1, 10))
    dv = district_values(mini.con, 2025)
    assert not has_row(dv, "R-UP", BING, 2025)
    assert set(dv.loc[dv["indicator"] == "R-UP", "district_code"]) == {JIA, YI}

    table = progress_table(mini.con, 2025, as_of=D(2026, 2, 1), level="all", tolerance=TOL)
    bing = one(table, "R-UP", BING, 2025)
    assert bing["district"] == "丙县"
    assert bing["status"] == NO_DATA
    assert pd.isna(bing["value"])            # None in the records, NaN once in a frame: never 0
    assert pd.isna(bing["numerator"]) and pd.isna(bing["denominator"])
    assert pd.isna(bing["attainment"]) and pd.isna(bing["gap"]) and bing["gap_text"] == ""
    # the city still only covers the two reporting districts
    assert one(table, "R-UP", CITY, 2025)["districts_reported"] == 2


# --------------------------------------------------------- lower is better
def test_lower_is_better_year_uses_latest_month(mini):
    mini.load([("R-DN", "甲区", "2025-03", 3, 1000, None)], D(2025, 4, 10))
    mini.load([("R-DN", "甲区", "2025-06", 7, 1000, None)], D(2025, 7, 10))
    row = one(district_values(mini.con, 2025), "R-DN", JIA, 2025)
    assert row["period"] == "2025-06"
    assert row["value"] == pytest.approx(7 / 1000 * 1000)
    # before June's report arrived, March's figure was the year's value
    early = one(district_values(mini.con, 2025, as_of=D(2025, 5, 1)), "R-DN", JIA, 2025)
    assert early["period"] == "2025-03"
    assert early["value"] == pytest.approx(3 / 1000 * 1000)


def test_latest_month_counts_even_in_one_file(mini):
    mini.load([("R-DN", "甲区", "2025-06", 7, 1000, None), ("R-DN", "甲区", "2025-03", 3, 1000, None)],
              D(2025, 7, 10))
    row = one(district_values(mini.con, 2025), "R-DN", JIA, 2025)
    assert (row["period"], row["value"]) == ("2025-06", pytest.approx(7 / 1000 * 1000))


def test_annual_figure_outranks_december(mini):
    # the annual figure arrives first, December's later: the annual one still counts
    mini.load([("R-DN", "甲区", "2025", 4, 1000, None)], D(2026, 1, 20))
    mini.load([("R-DN", "甲区", "2025-12", 8, 1000, None)], D(2026, 1, 25))
    row = one(district_values(mini.con, 2025), "R-DN", JIA, 2025)
    assert row["period"] == "2025"
    assert row["value"] == pytest.approx(4 / 1000 * 1000)


def test_lower_is_better_attainment_status_and_gap(mini):
    # 甲区 7/1500 = 4.67‰ (meets 5‰); 乙县 10/1400 = 7.14‰ (does not); 丙县 500/80000 = 6.25‰ (does not)
    mini.load([("R-DN", "甲区", "2025", 7, 1500, None), ("R-DN", "乙县", "2025", 10, 1400, None),
               ("R-DN", "丙县", "2025", 500, 80000, None)], D(2026, 1, 20))
    table = progress_table(mini.con, 2025, as_of=D(2026, 2, 1), level="all", tolerance=TOL)
    target = 5
    expected = 5  # read on 2025-12-31, the target's own date: the path has reached the target

    jia = one(table, "R-DN", JIA, 2025)
    jia_value = 7 / 1500 * 1000
    assert jia["value"] == pytest.approx(jia_value)
    assert jia["attainment"] == pytest.approx(target / jia_value)
    assert jia["status"] == MET
    assert jia["gap"] == 0 and jia["gap_text"] == ""

    yi = one(table, "R-DN", YI, 2025)
    yi_value = 10 / 1400 * 1000
    assert yi["value"] == pytest.approx(yi_value)
    assert yi["attainment"] == pytest.approx(target / yi_value)
    assert yi["expected"] == pytest.approx(expected)
    # 7.14 − 5 > 0.05 × 5 would be 严重滞后, but only 5/1000 × 1400 = 7 < 30 deaths are expected at the
    # target: small numbers alone never make 严重滞后
    assert bool(yi["small_sample"]) and yi["status"] == BEHIND
    assert yi["gap"] == 10 - math.floor(target / 1000 * 1400)
    assert yi["gap_text"] == f"需减少{10 - math.floor(target / 1000 * 1400)}例"

    bing = one(table, "R-DN", BING, 2025)
    # 6.25 − 5 > 0.25; 5/1000 × 80000 = 400 events expected, and the interval lies above 5
    assert not bool(bing["small_sample"]) and wilson(500, 80000)[0] * 1000 > target
    assert bing["status"] == FAR_BEHIND
    assert bing["gap"] == 500 - math.floor(target / 1000 * 80000) == 100

    city = one(table, "R-DN", CITY, 2025)
    city_value = (7 + 10 + 500) / (1500 + 1400 + 80000) * 1000        # 6.236‰
    assert city["value"] == pytest.approx(city_value)
    assert city["attainment"] == pytest.approx(target / city_value)
    assert bool(city["complete"]) and city["districts_reported"] == 3
    assert wilson(517, 82900)[0] * 1000 > target and target / 1000 * 82900 >= 30
    assert city["status"] == FAR_BEHIND                  # 6.24 − 5 > 0.25
    assert city["gap"] == 517 - math.floor(target / 1000 * 82900) == 517 - 414   # 517 − ⌊414.5⌋


def test_lower_is_better_status_met_at_target(mini):
    mini.load([("R-DN", "甲区", "2025", 5, 1000, None)], D(2026, 1, 20))
    row = one(progress_table(mini.con, 2025, as_of=D(2026, 2, 1), tolerance=TOL), "R-DN", JIA, 2025)
    assert row["value"] == pytest.approx(5 / 1000 * 1000)
    assert row["status"] == MET                          # value ≤ target
    assert row["attainment"] == pytest.approx(5 / (5 / 1000 * 1000))


# --------------------------------------------------------------- register
def test_register_coverage_is_against_the_master_list(mini):
    # 甲区 has 4 communities in the master list; the file lists 3, of which 2 say 是
    mini.register("2025", {"甲1社区": "是", "甲2社区": "是", "甲3社区": "否",
                           "乙1村": "是", "乙2村": "否", "乙3村": "否"}, D(2026, 1, 10))
    dv = district_values(mini.con, 2025)
    jia = one(dv, "REG", JIA, 2025)
    assert (jia["numerator"], jia["denominator"]) == (2, 4)
    assert jia["value"] == pytest.approx(2 / 4 * 100)
    assert jia["value"] != pytest.approx(2 / 3 * 100)
    yi = one(dv, "REG", YI, 2025)
    assert yi["value"] == pytest.approx(1 / 3 * 100)
    assert not has_row(dv, "REG", BING, 2025)

    city = one(city_values(mini.con, 2025), "REG", CITY, 2025)
    assert city["value"] == pytest.approx((2 + 1) / (4 + 3) * 100)   # 丙县's 3 villages do not count
    assert (city["numerator"], city["denominator"]) == (2 + 1, 4 + 3)
    assert city["districts_reported"] == 2


def test_register_resubmission_as_of(mini):
    mini.register("2025", {"甲1社区": "是", "甲2社区": "否"}, D(2026, 1, 10))
    mini.register("2025", {"甲1社区": "是", "甲2社区": "是", "甲3社区": "是"}, D(2026, 2, 10))
    before = one(district_values(mini.con, 2025, as_of=D(2026, 1, 20)), "REG", JIA, 2025)
    assert before["value"] == pytest.approx(1 / 4 * 100)
    after = one(district_values(mini.con, 2025), "REG", JIA, 2025)
    assert after["value"] == pytest.approx(3 / 4 * 100)


# ------------------------------------------------------------------ counts
def test_cumulative_count_reported_as_additions(mini):
    for year, jia_add in ((2023, 5), (2024, 7), (2025, 9)):
        rows = [("C-ADD", "甲区", str(year), None, None, jia_add)]
        if year != 2024:                     # 乙县 skips 2024: +1 in 2023, +2 in 2025
            rows.append(("C-ADD", "乙县", str(year), None, None, {2023: 1, 2025: 2}[year]))
        mini.load(rows, D(year + 1, 1, 15), department="妇联")
    dv = district_values(mini.con)
    assert one(dv, "C-ADD", JIA, 2023)["value"] == 5
    assert one(dv, "C-ADD", JIA, 2024)["value"] == 5 + 7
    jia = one(dv, "C-ADD", JIA, 2025)
    assert jia["value"] == 5 + 7 + 9
    assert bool(jia["complete"]) is True

    yi = one(dv, "C-ADD", YI, 2025)
    assert yi["value"] == 1 + 2
    assert bool(yi["complete"]) is False               # 2024's additions are missing
    assert bool(one(dv, "C-ADD", YI, 2023)["complete"]) is True

    city = one(city_values(mini.con, 2025), "C-ADD", CITY, 2025)
    assert city["value"] == (5 + 7 + 9) + (1 + 2)
    assert bool(city["complete"]) is False
    assert pd.isna(city["numerator"]) and pd.isna(city["denominator"])


def test_cumulative_count_reported_as_running_total(mini):
    mini.load([("C-RUN", "甲区", "2023", None, None, 4)], D(2024, 1, 15), department="妇联")
    mini.load([("C-RUN", "甲区", "2024", None, None, 6), ("C-RUN", "乙县", "2024", None, None, 3)],
              D(2025, 1, 15), department="妇联")
    dv = district_values(mini.con)
    assert one(dv, "C-RUN", JIA, 2023)["value"] == 4
    assert one(dv, "C-RUN", JIA, 2024)["value"] == 6   # taken as is, not 4 + 6
    assert one(city_values(mini.con, 2024), "C-RUN", CITY, 2024)["value"] == 6 + 3


def test_annual_count_uses_the_latest_quarter(mini):
    mini.load([("C-YR", "甲区", "2024", None, None, 30)], D(2025, 1, 15), department="妇联")
    mini.load([("C-YR", "甲区", "2025-Q1", None, None, 3)], D(2025, 4, 5), department="妇联")
    mini.load([("C-YR", "甲区", "2025-Q2", None, None, 5), ("C-YR", "乙县", "2025-Q2", None, None, 2)],
              D(2025, 7, 5), department="妇联")
    mini.load([("C-YR", "甲区", "2025-Q3", None, None, 8)], D(2025, 10, 5), department="妇联")
    dv = district_values(mini.con)
    jia = one(dv, "C-YR", JIA, 2025)
    assert (jia["period"], jia["value"]) == ("2025-Q3", 8)   # not 3 + 5 + 8, and not + 2024's 30
    assert one(dv, "C-YR", JIA, 2024)["value"] == 30
    assert one(dv, "C-YR", YI, 2025)["value"] == 2
    city = one(city_values(mini.con, 2025), "C-YR", CITY, 2025)
    assert city["value"] == 8 + 2
    assert city["districts_reported"] == 2


# ------------------------------------------------------------------ yes/no
def test_yes_no_share_of_districts(mini):
    mini.load([("YN", "甲区", "2025", None, None, "是"), ("YN", "乙县", "2025", None, None, "是"),
               ("YN", "丙县", "2025", None, None, "否")], D(2026, 1, 10), department="妇联")
    dv = district_values(mini.con, 2025)
    assert one(dv, "YN", JIA, 2025)["value"] == pytest.approx(1 / 1 * 100)
    bing = one(dv, "YN", BING, 2025)                        # a real 否: a row with 0, not missing
    assert (bing["numerator"], bing["denominator"], bing["value"]) == (0, 1, 0)
    city = one(city_values(mini.con, 2025), "YN", CITY, 2025)
    assert city["value"] == pytest.approx(2 / 3 * 100)
    assert city["districts_reported"] == 3


# ------------------------------------------------------------------- as of
def test_as_of_before_and_after_a_resubmission(mini):
    first, second = D(2026, 1, 10), D(2026, 2, 10)
    mini.load([("R-UP", "甲区", "2025", 90, 100, None), ("R-UP", "乙县", "2025", 5, 10, None)], first)
    mini.load([("R-UP", "甲区", "2025", 92, 100, None), ("R-UP", "乙县", "2025", 5, 10, None)], second)

    assert district_values(mini.con, 2025, as_of=first - dt.timedelta(days=1)).empty
    before = district_values(mini.con, 2025, as_of=D(2026, 1, 20))
    assert one(before, "R-UP", JIA, 2025)["numerator"] == 90
    assert one(before, "R-UP", JIA, 2025)["value"] == pytest.approx(90 / 100 * 100)
    after = district_values(mini.con, 2025, as_of=D(2026, 2, 20))
    assert one(after, "R-UP", JIA, 2025)["value"] == pytest.approx(92 / 100 * 100)
    assert one(district_values(mini.con, 2025), "R-UP", JIA, 2025)["value"] == pytest.approx(92 / 100 * 100)

    assert one(city_values(mini.con, 2025, as_of=D(2026, 1, 20)), "R-UP", CITY, 2025)["value"] == \
        pytest.approx((90 + 5) / (100 + 10) * 100)
    assert one(city_values(mini.con, 2025, as_of=D(2026, 2, 20)), "R-UP", CITY, 2025)["value"] == \
        pytest.approx((92 + 5) / (100 + 10) * 100)


def test_resubmission_dropping_a_district_drops_its_figure(mini):
    # a submission replaces its department's indicator and period as a whole
    mini.load([("R-UP", "甲区", "2025", 90, 100, None), ("R-UP", "乙县", "2025", 5, 10, None)], D(2026, 1, 10))
    mini.load([("R-UP", "甲区", "2025", 92, 100, None)], D(2026, 2, 10))
    dv = district_values(mini.con, 2025)
    assert not has_row(dv, "R-UP", YI, 2025)
    assert one(city_values(mini.con, 2025), "R-UP", CITY, 2025)["value"] == pytest.approx(92 / 100 * 100)


# ----------------------------------------------------------------- targets
def test_targets_table(mini):
    t = targets(mini.con)
    r_up = t[t["indicator"] == "R-UP"]
    assert sorted(zip(r_up["year"], r_up["value"], r_up["level"])) == [(2025, 90, "国家"), (2025, 95, "市")]


def chosen_target(con, indicator: str, year: int, district: str = CITY):
    row = one(progress_table(con, year, as_of=D(2026, 2, 1), tolerance=TOL), indicator, district, year)
    return (None if pd.isna(row["target_year"]) else int(row["target_year"]),
            None if pd.isna(row["target"]) else float(row["target"]),
            None if pd.isna(row["target_level"]) else row["target_level"])


def test_target_chosen_for_a_year(mini):
    assert chosen_target(mini.con, "R-UP", 2025) == (2025, 95, "市")     # 市 preferred over 国家
    assert chosen_target(mini.con, "R-UP", 2023) == (2025, 95, "市")     # next later milestone
    assert chosen_target(mini.con, "C-RUN", 2025) == (2024, 10, "市")    # held after its year
    assert chosen_target(mini.con, "REG", 2023)[0] == 2024                # the nearest later, not 2025
    assert chosen_target(mini.con, "REG", 2024) == (2024, 30, "市")
    assert chosen_target(mini.con, "REG", 2026) == (2025, 50, "市")      # the last one, held
    # a rate's district row falls back to the city's target when there is no 县 target
    assert chosen_target(mini.con, "R-UP", 2025, JIA) == (2025, 95, "市")


def test_target_level_priority(tmp_path):
    # R-UP with no 市 target: 国家 90, 省 92, 县 93
    data = mini_catalog_bytes(targets=[("R-UP", 2025, 90, "国家"), ("R-UP", 2025, 92, "省"), ("R-UP", 2025, 93, "县")])
    m = mini_warehouse(tmp_path, data, name="levels")
    try:
        assert chosen_target(m.con, "R-UP", 2025) == (2025, 93, "县")     # no 市: the next most local
        assert chosen_target(m.con, "R-UP", 2025, YI) == (2025, 93, "县")
        assert chosen_target(m.con, "R-DN", 2025) == (None, None, None)   # no target at all
    finally:
        m.con.close()


# ------------------------------------------------- the rule macros (metrics/rules.sql)
UP, DOWN = 1, -1   # goal_sign: more is better / less is better


def test_path_value_is_a_straight_line(rules):
    start, end = dt.date(2022, 12, 31), dt.date(2025, 12, 31)
    on = dt.date(2024, 12, 31)
    assert days(start, on) == 731 and days(start, end) == 1096
    assert call(rules, "path_value", 2022, 80, 2025, 95, on) == pytest.approx(
        80 + (95 - 80) * days(start, on) / days(start, end))
    mid = dt.date(2025, 6, 30)
    assert call(rules, "path_value", 2022, 80, 2025, 95, mid) == pytest.approx(
        80 + 15 * days(start, mid) / days(start, end))
    # lower is better: 6 → 5
    assert call(rules, "path_value", 2022, 6, 2025, 5, on) == pytest.approx(
        6 + (5 - 6) * days(start, on) / days(start, end))
    # held at the baseline before it, at the target after it
    assert call(rules, "path_value", 2022, 80, 2025, 95, dt.date(2022, 6, 1)) == pytest.approx(80)
    assert call(rules, "path_value", 2022, 80, 2025, 95, dt.date(2027, 1, 1)) == pytest.approx(95)
    assert call(rules, "path_value", None, None, 2025, 100, on) is None
    assert call(rules, "path_value", 2025, 80, 2025, 95, on) == pytest.approx(95)


def test_attainment(rules):
    assert call(rules, "attainment", 90, 95, UP) == pytest.approx(90 / 95)
    assert call(rules, "attainment", 7, 5, DOWN) == pytest.approx(5 / 7)
    assert call(rules, "attainment", 4, 5, DOWN) == pytest.approx(5 / 4)
    assert call(rules, "attainment", None, 95, UP) is None
    assert call(rules, "attainment", 90, None, UP) is None
    assert call(rules, "attainment", 0, 0, DOWN) == 1.0     # zero deaths against a zero target: met in full


@pytest.mark.parametrize("value, target, expected, previous, direction, status", [
    (96, 95, 92, 90, "higher", MET),                # target met, whatever the path
    (95, 95, 92, None, "higher", MET),
    (93, 95, 92, 90, "higher", ON_TRACK),           # at or beyond the path
    (92, 95, 92, None, "higher", ON_TRACK),
    (90, 95, 92, 88, "higher", BEHIND),             # short by 2 < 0.05 × 92 = 4.6
    (85, 95, 92, 80, "higher", FAR_BEHIND),         # short by 7 > 4.6
    (90, 95, 92, 91, "higher", FAR_BEHIND),         # within tolerance but worse than last year
    (4.5, 5, 5.2, 5.5, "lower", MET),
    (5.1, 5, 5.2, 5.5, "lower", ON_TRACK),
    (5.3, 5, 5.2, 5.5, "lower", BEHIND),            # above path by 0.1 < 0.05 × 5.2 = 0.26
    (5.6, 5, 5.2, 5.8, "lower", FAR_BEHIND),        # above path by 0.4 > 0.26
    (5.3, 5, 5.2, 5.1, "lower", FAR_BEHIND),        # rising: moving away
    (80, 100, None, 70, "higher", BEHIND),          # no baseline, no path
    (80, 100, None, 90, "higher", FAR_BEHIND),
])
def test_path_status(rules, value, target, expected, previous, direction, status):
    # 无数据 (no value) and a missing target are decided before the path, in progress.sql: see
    # test_missing_district_is_missing_never_zero and test_progress_table_count_without_gap_phrase
    sign = UP if direction == "higher" else DOWN
    met = call(rules, "meets", value, target, sign)
    assert call(rules, "path_status", value, met, expected, previous, sign, TOL) == status


def test_path_status_with_the_hand_computed_path(rules):
    start, end = dt.date(2022, 12, 31), dt.date(2025, 12, 31)
    path = 80 + 15 * days(start, dt.date(2024, 12, 31)) / days(start, end)     # ≈ 90.00

    def status(value):
        return call(rules, "path_status", value, call(rules, "meets", value, 95, UP), path, None, UP, TOL)
    assert status(89) == BEHIND                                                  # 1.00 < 4.5
    assert status(path - TOL * path - 0.01) == FAR_BEHIND
    assert status(path - TOL * path + 0.01) == BEHIND


def test_gap_units(rules):
    n = math.ceil(95 / 100 * 100) - 90
    assert call(rules, "gap_units", "rate", UP, 100, 90, 100, 90.0, 95) == n == 5
    # the city of the first test: ⌈0.95 × 110⌉ − 95 = 105 − 95
    assert call(rules, "gap_units", "rate", UP, 100, 95, 110, 95 / 110 * 100, 95) == math.ceil(95 / 100 * 110) - 95
    # lower is better: numerator − ⌊target/1000 × denominator⌋
    assert call(rules, "gap_units", "rate", DOWN, 1000, 17, 2900, 17 / 2900 * 1000, 5) == 17 - math.floor(5 / 1000 * 2900)
    assert call(rules, "gap_units", "rate", DOWN, 1000, 4, 1000, 4.0, 5) == 0
    # register (no scale → %)
    assert call(rules, "gap_units", "register", UP, None, 2, 4, 50.0, 60) == math.ceil(60 / 100 * 4) - 2
    # counts: ⌈target − value⌉, never negative
    assert call(rules, "gap_units", "count", UP, None, None, None, 21, 30) == 30 - 21
    assert call(rules, "gap_units", "count", UP, None, None, None, 31, 30) == 0
    assert call(rules, "gap_units", "count", UP, None, None, None, 21, None) is None


def test_gap_text_in_the_table(mini):
    # 甲区 94000/100000, 乙县 95000/100000, 丙县 94760/100000; target 95 %
    mini.load([("R-UP", "甲区", "2025", 94000, 100000, None), ("R-UP", "乙县", "2025", 95000, 100000, None),
               ("R-UP", "丙县", "2025", 94760, 100000, None)], D(2026, 1, 20))
    table = progress_table(mini.con, 2025, as_of=D(2026, 2, 1), tolerance=TOL)
    # city: ⌈0.95 × 300000⌉ − (94000 + 95000 + 94760) = 285000 − 283760 = 1240, with a thousands separator
    city = one(table, "R-UP", CITY, 2025)
    assert city["gap"] == 1240 and city["gap_text"] == "还需筛查1,240名儿童"
    assert one(table, "R-UP", JIA, 2025)["gap_text"] == "还需筛查1,000名儿童"    # 95000 − 94000
    assert one(table, "R-UP", BING, 2025)["gap_text"] == "还需筛查240名儿童"      # 95000 − 94760
    yi = one(table, "R-UP", YI, 2025)
    assert yi["gap"] == 0 and yi["gap_text"] == ""                                # met: nothing to say


def test_progress_table_count_without_gap_phrase(mini):
    # C-ADD (累计, 当年新增, city baseline 2022 = 0, target 2025 = 30): every district reports every year
    for year, adds in ((2023, (5, 1, 0)), (2024, (7, 2, 1)), (2025, (9, 1, 2))):
        mini.load([("C-ADD", name, str(year), None, None, add) for name, add in zip(("甲区", "乙县", "丙县"), adds)],
                  D(year + 1, 1, 15), department="妇联")
    table = progress_table(mini.con, 2025, as_of=D(2026, 2, 1), tolerance=TOL)
    # the city is held to the city's target of 30: 0 + (5+7+9) + (1+2+1) + (0+1+2) = 28
    row = one(table, "C-ADD", "100", 2025)
    assert bool(row["complete"])
    assert row["value"] == 0 + 21 + 4 + 3
    assert row["gap"] == 30 - 28
    assert row["gap_text"] == "还差 2个"                 # no 缺口表述: the number and the unit
    # a count's target is a city total: 甲区 has no target of its own, hence 未分解, never a guessed one
    district = one(table, "C-ADD", JIA, 2025)
    assert district["value"] == 5 + 7 + 9
    assert pd.isna(district["target"]) and district["status"] == NOT_SPLIT
    assert pd.isna(district["gap"]) and district["gap_text"] == ""


def cagr_ratio(first_year, first, last_year, last, target_year, target):
    observed = (last / first) ** (1 / (last_year - first_year)) - 1
    required = (target / first) ** (1 / (target_year - first_year)) - 1
    return observed / required


@pytest.mark.parametrize("last, band", [(91, SUBSTANTIAL), (87, MODERATE), (82, LIMITED), (78, DETERIORATION)])
def test_growth_ratio_and_band(rules, last, band):
    # baseline 2022 = 80, observed 2024, target 2025 = 95
    r = cagr_ratio(2022, 80, 2024, last, 2025, 95)
    assert call(rules, "growth_ratio", 2022, 80, 2024, last, 2025, 95) == pytest.approx(r)
    lo, hi = {SUBSTANTIAL: (0.95, math.inf), MODERATE: (0.6, 0.95), LIMITED: (0, 0.6),
              DETERIORATION: (-math.inf, 0)}[band]
    assert lo <= r < hi                  # the hand value really falls in the band under test
    assert call(rules, "growth_band", r, False) == band


def test_growth_ratio_hand_values_and_edges(rules):
    def growth_ratio(*args):
        return call(rules, "growth_ratio", *args)

    def growth_band(ratio, met):
        return call(rules, "growth_band", ratio, met)
    # 91 after two years from 80, where 95 after three was required
    assert growth_ratio(2022, 80, 2024, 91, 2025, 95) == pytest.approx(
        ((91 / 80) ** (1 / 2) - 1) / ((95 / 80) ** (1 / 3) - 1))
    # lower is better: falling from 6 toward 5 is positive progress
    r = growth_ratio(2022, 6, 2024, 5.5, 2025, 5)
    assert r == pytest.approx(((5.5 / 6) ** (1 / 2) - 1) / ((5 / 6) ** (1 / 3) - 1))
    assert r > 0
    assert growth_ratio(2022, 6, 2024, 7, 2025, 5) < 0         # rising: 倒退
    assert growth_ratio(2022, 0, 2024, 5, 2025, 30) is None    # no growth rate from zero
    assert growth_ratio(2024, 80, 2024, 90, 2025, 95) is None  # no elapsed years
    assert growth_ratio(2022, 80, 2024, 90, 2025, 80) is None  # no growth required
    assert growth_band(0.95, met=False) == SUBSTANTIAL
    assert growth_band(0.6, met=False) == MODERATE
    assert growth_band(0.0, met=False) == LIMITED
    assert growth_band(-0.01, met=False) == DETERIORATION
    assert growth_band(None, met=True) == ACHIEVED
    assert growth_band(-5, met=True) == ACHIEVED
    assert growth_band(None, met=False) is None


def test_disagreement(rules):
    def disagreement(status, band):
        return call(rules, "disagreement", status, band)
    assert disagreement(BEHIND, LIMITED) == "按目标路径为「滞后」，按年均增速为「进展有限」"
    assert disagreement(FAR_BEHIND, SUBSTANTIAL) == "按目标路径为「严重滞后」，按年均增速为「显著进展」"
    assert disagreement(ON_TRACK, DETERIORATION) == "按目标路径为「正常」，按年均增速为「倒退」"
    assert disagreement(BEHIND, MODERATE) is None
    assert disagreement(ON_TRACK, SUBSTANTIAL) is None
    assert disagreement(FAR_BEHIND, DETERIORATION) is None
    assert disagreement(MET, ACHIEVED) is None
    assert disagreement(NO_DATA, DETERIORATION) is None
    assert disagreement(NOT_SPLIT, DETERIORATION) is None
    assert disagreement(BEHIND, None) is None


# ----------------------------------------------------------- the table
@pytest.fixture
def r_up_2023_2024(mini):
    """R-UP: 2023 甲区 84/100, 乙县 7/10; 2024 甲区 89/100, 乙县 8/10; 丙县 never reports."""
    mini.load([("R-UP", "甲区", "2023", 84, 100, None), ("R-UP", "乙县", "2023", 7, 10, None)], D(2024, 1, 20))
    mini.load([("R-UP", "甲区", "2024", 89, 100, None), ("R-UP", "乙县", "2024", 8, 10, None)], D(2025, 1, 20))
    return mini


def test_progress_table_end_to_end(r_up_2023_2024):
    table = progress_table(r_up_2023_2024.con, 2024, as_of=D(2025, 2, 1), level="all", tolerance=TOL)
    # for 2024 the target is the next milestone, 2025 = 95 (市); the path is read on 2024-12-31
    start, end = dt.date(2022, 12, 31), dt.date(2025, 12, 31)
    path = 80 + (95 - 80) * days(start, dt.date(2024, 12, 31)) / days(start, end)

    city = one(table, "R-UP", CITY, 2024)
    value = (89 + 8) / (100 + 10) * 100
    previous = (84 + 7) / (100 + 10) * 100
    assert city["district"] == "示例市"
    assert city["value"] == pytest.approx(value)
    assert (city["target"], city["target_year"], city["target_level"]) == (95, 2025, "市")
    assert city["attainment"] == pytest.approx(value / 95)
    assert city["expected"] == pytest.approx(path)
    assert city["yoy"] == pytest.approx(value - previous)
    r_city = cagr_ratio(2022, 80, 2024, value, 2025, 95)           # the city grows from the catalog's baseline
    assert city["growth_ratio"] == pytest.approx(r_city)
    # 丙县 never reported: the city's figure covers 2 of 3 districts, so it gets no status, gap or band
    assert city["districts_reported"] == 2 and not bool(city["complete"])
    assert city["coverage"] == "2/3个区县已报"
    assert city["status"] == NO_DATA
    assert pd.isna(city["gap"]) and city["gap_text"] == ""
    assert pd.isna(city["growth_band"]) and pd.isna(city["disagreement"])

    jia = one(table, "R-UP", JIA, 2024)
    assert jia["value"] == pytest.approx(89 / 100 * 100)
    assert (jia["target"], jia["target_level"]) == (95, "市")
    assert jia["attainment"] == pytest.approx(89 / 95)
    assert jia["gap"] == math.ceil(95 / 100 * 100) - 89
    assert jia["gap_text"] == "还需筛查6名儿童"
    assert jia["expected"] == pytest.approx(path)
    assert jia["status"] == BEHIND                                  # 90.00 − 89 < 4.5
    assert jia["yoy"] == pytest.approx(89 - 84)
    r_jia = cagr_ratio(2023, 84, 2024, 89, 2025, 95)                # a district grows from its own first year
    assert jia["growth_ratio"] == pytest.approx(r_jia)
    assert 0.6 <= r_jia < 0.95 and jia["growth_band"] == MODERATE

    yi = one(table, "R-UP", YI, 2024)
    assert yi["value"] == pytest.approx(8 / 10 * 100)
    assert yi["gap"] == math.ceil(95 / 100 * 10) - 8
    # short by more than 5 % of the path: 严重滞后. A coverage rate (more is better) counts every child, so
    # it is never softened as small numbers, though 0.95 × 10 = 9.5 < 30
    assert path - 8 / 10 * 100 > TOL * path and yi["status"] == FAR_BEHIND
    assert not bool(yi["small_sample"]) and not bool(yi["within_interval"])

    bing = one(table, "R-UP", BING, 2024)
    assert bing["status"] == NO_DATA and pd.isna(bing["value"])

    # levels
    assert set(progress_table(r_up_2023_2024.con, 2024, as_of=D(2025, 2, 1), level="city",
                              tolerance=TOL)["district_code"]) == {CITY}
    assert set(progress_table(r_up_2023_2024.con, 2024, as_of=D(2025, 2, 1), level="district",
                              tolerance=TOL)["district_code"]) == {JIA, YI, BING}


def test_progress_table_as_of_hides_later_years(r_up_2023_2024):
    table = progress_table(r_up_2023_2024.con, 2024, as_of=D(2024, 6, 1), level="all", tolerance=TOL)
    assert (table.loc[table["indicator"] == "R-UP", "status"] == NO_DATA).all()
    row = one(progress_table(r_up_2023_2024.con, 2023, as_of=D(2024, 6, 1), tolerance=TOL), "R-UP", CITY, 2023)
    assert row["value"] == pytest.approx((84 + 7) / (100 + 10) * 100)


def test_status_summary_by_area(r_up_2023_2024):
    table = progress_table(r_up_2023_2024.con, 2024, as_of=D(2025, 2, 1), level="all", tolerance=TOL)
    summary = status_summary(table, "area").set_index("area")
    assert list(summary.columns) == list(STATUSES)
    # 公共服务友好 = R-UP and R-DN, 4 rows each (city + 3 districts); only R-UP has data:
    # city 无数据 (2 of 3 districts), 甲区 滞后, 乙县 严重滞后, 丙县 无数据; all of R-DN 无数据
    assert summary.loc["公共服务友好"].to_dict() == {MET: 0, ON_TRACK: 0, BEHIND: 1, FAR_BEHIND: 1, NO_DATA: 2 + 4}
    assert summary.loc["成长空间友好"].to_dict() == {MET: 0, ON_TRACK: 0, BEHIND: 0, FAR_BEHIND: 0, NO_DATA: 3 * 4}
    assert summary.loc["发展环境友好", NO_DATA] == 1 * 4
    assert summary.loc["社会政策友好", NO_DATA] == 1 * 4
    assert int(summary.to_numpy().sum()) == 7 * 4


def test_rank_districts_ties_and_direction(mini):
    # R-UP: 甲区 90/100 = 90%, 乙县 45/50 = 90% (a tie), 丙县 80/100 = 80%
    mini.load([("R-UP", "甲区", "2025", 90, 100, None), ("R-UP", "乙县", "2025", 45, 50, None),
               ("R-UP", "丙县", "2025", 80, 100, None)], D(2026, 1, 10))
    # R-DN: 甲区 7‰, 乙县 5‰, 丙县 6‰ — lower is better
    mini.load([("R-DN", "甲区", "2025", 7, 1000, None), ("R-DN", "乙县", "2025", 5, 1000, None),
               ("R-DN", "丙县", "2025", 6, 1000, None)], D(2026, 1, 20))
    table = progress_table(mini.con, 2025, as_of=D(2026, 2, 1), level="district", tolerance=TOL)
    ranks = rank_districts(table)
    up = dict(zip(ranks.loc[ranks["indicator"] == "R-UP", "district_code"],
                  ranks.loc[ranks["indicator"] == "R-UP", "rank"]))
    assert up == {JIA: 1, YI: 1, BING: 3}                 # tie shares rank 1, rank 2 is skipped
    dn = dict(zip(ranks.loc[ranks["indicator"] == "R-DN", "district_code"],
                  ranks.loc[ranks["indicator"] == "R-DN", "rank"]))
    assert dn == {YI: 1, BING: 2, JIA: 3}
    assert set(ranks["indicator"]) == {"R-UP", "R-DN"}     # indicators without data are not ranked


def test_rank_districts_skips_missing(mini):
    mini.load([("R-UP", "甲区", "2025", 90, 100, None), ("R-UP", "丙县", "2025", 95, 100, None)], D(2026, 1, 10))
    ranks = rank_districts(progress_table(mini.con, 2025, as_of=D(2026, 2, 1), level="district", tolerance=TOL))
    assert dict(zip(ranks["district_code"], ranks["rank"])) == {BING: 1, JIA: 2}


# --------------------------------------------------------- property tests
_received = itertools.count()
# every example loads a file through the pipeline and recomputes the progress query: a few dozen suffice
PROPS = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

fraction = st.integers(min_value=1, max_value=10_000).flatmap(
    lambda den: st.tuples(st.integers(min_value=0, max_value=den), st.just(den)))


@PROPS
@given(values=st.lists(st.integers(min_value=0, max_value=100_000), min_size=1, max_size=3),
       code=st.sampled_from(["C-YR", "C-RUN", "C-ADD"]))
def test_city_count_property(mini, values, code):
    """Counts loaded through the pipeline: each example's file supersedes the previous one for the code's 2025."""
    i = next(_received)
    names = ("甲区", "乙县", "丙县")[:len(values)]
    rows = [(code, name, "2025", None, None, v) for name, v in zip(names, values)]
    rows.append(("C-YR", "甲区", "2023", None, None, 1000 + i))   # keeps every file's bytes distinct
    mini.load(rows, D(2026, 1, 1) + dt.timedelta(minutes=i), department="妇联")
    city = one(city_values(mini.con, 2025), code, CITY, 2025)
    # C-ADD adds its city baseline (0 in the mini catalog) to the districts' additions after 2022
    assert city["value"] == sum(values)
    assert city["districts_reported"] == len(values)
    assert pd.isna(city["numerator"]) and pd.isna(city["denominator"])


@PROPS
@given(figures=st.tuples(*[st.one_of(st.none(), fraction)] * 3).filter(lambda f: any(x is not None for x in f)),
       extra=fraction)
def test_city_rate_property_through_the_warehouse(mini, figures, extra):
    """Loaded through the pipeline: each example's file supersedes the previous one for R-UP 2025 and 2024.
    A district with no 2025 figure reports 2024 only (`extra`): that changes nothing in 2025."""
    i = next(_received)
    names = dict(zip((JIA, YI, BING), ("甲区", "乙县", "丙县")))
    reporting = {code: f for code, f in zip((JIA, YI, BING), figures) if f is not None}
    rows = [("R-UP", names[c], "2025", n, d, None) for c, (n, d) in reporting.items()]
    rows += [("R-UP", names[c], "2024", *extra, None) for c in names if c not in reporting]
    rows.append(("R-DN", "甲区", "2024", 0, 1000 + i, None))       # keeps every file's bytes distinct
    mini.load(rows, D(2026, 1, 1) + dt.timedelta(minutes=i))

    dv = district_values(mini.con, 2025)
    assert set(dv.loc[dv["indicator"] == "R-UP", "district_code"]) == set(reporting)
    city = one(city_values(mini.con, 2025), "R-UP", CITY, 2025)
    rates = [n / d * 100 for n, d in reporting.values()]
    assert city["value"] == pytest.approx(sum(n for n, _ in reporting.values())
                                          / sum(d for _, d in reporting.values()) * 100)
    assert min(rates) - 1e-9 <= city["value"] <= max(rates) + 1e-9
    assert city["districts_reported"] == len(reporting)
    assert bool(city["complete"]) == (len(reporting) == 3)      # whole only when every district reported


# ------------------------------------------------------------------ an upload's preview
def test_an_uploads_preview_computes_its_own_indicators_only_and_finds_the_same_change(mini, tmp_path):
    """数据上传's preview stages the file and computes the city figures of the indicators the file reports
    (a national warehouse: 3.9 s → 1.1 s a file). It shows what computing every indicator would."""
    from conftest import xlsx
    from ui.review import review
    from metrics.preview import effect_of
    from ingest.pipeline import ACCEPTED, record
    mini.load([("R-UP", "甲区", "2025", 90, 100, None), ("C-YR", "甲区", "2025", None, None, 12)], D(2026, 1, 10))
    mini.load([("C-ADD", "乙县", "2025", None, None, 4)], D(2026, 1, 11), department="妇联")
    # 卫健委's new file: R-UP 甲区 90/100 → 45/50, and 乙县 20/40 (new); C-YR is not in it
    data = xlsx([["指标编码", "区县", "统计期", "分子", "分母", "数值"], ["R-UP", "甲区", "2025", 45, 50, None],
                 ["R-UP", "乙县", "2025", 20, 40, None]])
    seen = review(mini.con, data, "卫健委_新.xlsx", "卫健委")
    assert not seen.validated.has_errors()
    # by hand: before 90/100 = 90.0 % from one district; after (45 + 20)/(50 + 40) = 72.2 % from two
    assert seen.effect[["indicator", "year"]].values.tolist() == [["R-UP", 2025]]
    row = seen.effect.iloc[0]
    assert (row["value_before"], row["districts_reported_before"]) == (pytest.approx(90.0), 1)
    assert (row["value_after"], row["districts_reported_after"]) == (pytest.approx(65 / 90 * 100), 2)
    stage = lambda c: record(c, seen.validated, "sha", "x.xlsx", seen.shape, ACCEPTED, D.now(), None)  # noqa: E731
    every = effect_of(mini.con, stage)
    assert every[["indicator", "year", "value_before", "value_after"]].values.tolist() == \
        seen.effect[["indicator", "year", "value_before", "value_after"]].values.tolist()
    # computing only R-UP: nothing else's figures were read (C-ADD, C-YR are not in the staged table)
    assert set(city_values(mini.con, indicators=["R-UP"])["indicator"]) == {"R-UP"}
    assert {"C-ADD", "C-YR", "R-UP"} <= set(city_values(mini.con)["indicator"])
