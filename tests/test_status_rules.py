"""The status rules of metrics/rules.sql and metrics/progress.sql, one section per rule, on the tiny catalog
(`mini`) or a variant of it built the same way (conftest.mini_catalog_bytes / mini_warehouse); plus the
catalog's history (figures as of a moment use the catalog then in force), revert, and the catalog checks
behind the rules (区县 targets, 目标性质, 基线, 季度进度).

Every expected figure is worked out by hand in the comments from the rows loaded in the test; nothing
is copied from the code's output. The numbers of data/settings.toml [status] are used as they are:
tolerance 5 %, 左右 band 2 points (rates) or 5 % of the target (counts), 30 events, z = 1.96.

Mini catalog (tests/conftest.py): districts 100 示例市 (city), 101 甲区, 102 乙县, 103 丙县.
R-UP % ↑ baseline 2022 = 80, targets 2025 市 95 / 国家 90 · R-DN ‰ ↓ monthly, 2022 = 6, 2025 市 5 ·
C-ADD 累计 当年新增, 2022 = 0, 2025 市 30 · C-RUN 累计 累计数, 2022 = 2, 2024 市 10 ·
C-YR 年度 count, quarterly, 2022 = 10, 2024 市 40, 2025 市 40 · REG 台账 · YN 是否.
"""
from __future__ import annotations

import datetime as dt
import math
import re

import pandas as pd
import pytest

from conftest import (MINI_COMMUNITIES, MINI_INDICATORS, MINI_TARGETS, call, days, has_row,  # noqa: F401
                      mini_catalog_bytes, mini_warehouse, one, wilson)
from ingest.catalog import read_catalog
from ingest.pipeline import revert_to
from metrics.progress import BEHIND, FAR_BEHIND, MET, NO_DATA, NOT_SPLIT, ON_TRACK, progress_table, targets
from metrics.values import city_values, district_values

D = dt.datetime
CITY, JIA, YI, BING = "100", "101", "102", "103"
NAMES = ("甲区", "乙县", "丙县")
TOL = 0.05
FL = "妇联"                                      # lead department of the counts, REG and YN
TARGET_HEADER = ("指标编码", "年度", "目标值", "层级", "区县", "目标性质", "来源")
CJK = re.compile(r"[\u4e00-\u9fff]")


def indicators_with(**changes) -> list[tuple]:
    """MINI_INDICATORS with some cells changed: indicators_with(C_ADD={15: 10}) sets C-ADD's 基线值."""
    rows = []
    for row in MINI_INDICATORS:
        row = list(row)
        for index, value in changes.get(row[0].replace("-", "_"), {}).items():
            row[index] = value
        rows.append(tuple(row))
    return rows


BASELINE_VALUE = 15   # column index of 基线值 in a MINI_INDICATORS row


@pytest.fixture
def variant(tmp_path):
    """variant(**mini_catalog_bytes kwargs) -> a warehouse with that variant of the tiny catalog."""
    opened = []

    def _make(loaded_at=None, **kw):
        m = mini_warehouse(tmp_path, mini_catalog_bytes(**kw), loaded_at=loaded_at, name=f"v{len(opened)}")
        opened.append(m)
        return m
    yield _make
    for m in opened:
        m.con.close()



def load_all(m, code, period, values, when, department=FL):
    """One file with `code` for `period` from each of 甲区, 乙县, 丙县: values are (num, den) or a count."""
    rows = [(code, name, period, *(v if isinstance(v, tuple) else (None, None)),
             None if isinstance(v, tuple) else v) for name, v in zip(NAMES, values)]
    return m.load(rows, when, department=department)


# =========================================================== 1. cumulative counts reported as 当年新增
def test_additions_stock_starts_from_the_baselines(variant):
    # C-ADD: city baseline 2022 = 10 (指标 基线值); 甲区 has its own 基线 row 2022 = 4, with a split target
    # 2025 = 12 (needs the 基线 row, as the city baseline is not 0); 乙县 and 丙县 have neither.
    m = variant(indicators=indicators_with(C_ADD={BASELINE_VALUE: 10}),
                targets=[*MINI_TARGETS, ("C-ADD", 2025, 12, "县", "甲区", None, "区县分解")],
                target_header=TARGET_HEADER,
                extra={"基线": [["指标编码", "区县", "基线年", "基线值", "来源"], ["C-ADD", "甲区", 2022, 4, "2022年统计"]]})
    load_all(m, "C-ADD", "2023", (2, 1, 0), D(2024, 1, 15))
    load_all(m, "C-ADD", "2024", (3, 1, 2), D(2025, 1, 15))
    # C-RUN (累计数): taken as reported, the city is the plain sum (its baseline 2 is not added)
    load_all(m, "C-RUN", "2024", (6, 3, 1), D(2025, 1, 15))
    table = progress_table(m.con, 2024, as_of=D(2025, 2, 1), tolerance=TOL)

    jia = one(table, "C-ADD", JIA, 2024)
    assert jia["value"] == 4 + 2 + 3 and not bool(jia["additions_only"])            # own stock: 9
    yi = one(table, "C-ADD", YI, 2024)
    assert yi["value"] == 1 + 1 and bool(yi["additions_only"])                      # its additions only
    assert one(table, "C-ADD", BING, 2024)["value"] == 0 + 2
    assert one(district_values(m.con, 2023), "C-ADD", JIA, 2023)["value"] == 4 + 2

    city = one(table, "C-ADD", CITY, 2024)
    # city baseline + every district's additions after 2022: 10 + (2+3) + (1+1) + (0+2) = 19
    assert city["value"] == 10 + 5 + 2 + 2 and bool(city["complete"])
    assert one(city_values(m.con, 2023), "C-ADD", CITY, 2023)["value"] == 10 + 2 + 1 + 0
    # path 10 → 30 (2022 → 2025) read on 2024-12-31: 10 + 20 × 731/1096 = 23.34; short 4.34 > 0.05 × 23.34
    path = 10 + 20 * days(dt.date(2022, 12, 31), dt.date(2024, 12, 31)) / days(dt.date(2022, 12, 31), dt.date(2025, 12, 31))
    assert city["expected"] == pytest.approx(path)
    assert city["status"] == FAR_BEHIND
    assert city["gap"] == 30 - 19 and city["gap_text"] == "还差 11个"

    # 甲区 against its own target and its own path: 4 → 12, 4 + 8 × 731/1096 = 9.336; short 0.336 ≤ 0.467
    jia_path = 4 + 8 * 731 / 1096
    assert (jia["target"], jia["target_level"], bool(jia["target_split"])) == (12, "县", True)
    assert jia["expected"] == pytest.approx(jia_path)
    assert jia_path - 9 <= TOL * jia_path and jia["status"] == BEHIND
    assert jia["gap"] == 12 - 9

    assert one(table, "C-RUN", JIA, 2024)["value"] == 6
    assert one(table, "C-RUN", CITY, 2024)["value"] == 6 + 3 + 1


# =========================================================== 2. 目标性质
def test_goal_sign_band_and_threshold(rules):
    assert call(rules, "goal_sign", "at_least", "lower") == 1          # 不低于 overrides 越低越好
    assert call(rules, "goal_sign", "at_most", "higher") == -1         # 不高于 overrides 越高越好
    assert call(rules, "goal_sign", None, "lower") == -1               # blank: by the indicator's direction
    assert call(rules, "goal_sign", "reach", "lower") == -1            # 达到: by the direction too
    assert call(rules, "goal_sign", "about", "higher") == 1
    # band of 左右: 2 points for a rate or share, 5 % of the target for a count; none for other natures
    assert call(rules, "about_band", "about", "rate", 50, 2.0, 0.05) == 2.0
    assert call(rules, "about_band", "about", "register", 50, 2.0, 0.05) == 2.0
    assert call(rules, "about_band", "about", "count", 40, 2.0, 0.05) == pytest.approx(0.05 * 40)
    assert call(rules, "about_band", "at_least", "rate", 50, 2.0, 0.05) == 0
    assert call(rules, "about_band", None, "rate", 50, 2.0, 0.05) == 0
    # threshold = target − sign × band: 约50 % → 48 from above; 约5 ‰ of a less-is-better rate → 7 from below
    assert call(rules, "threshold", 50, 1, 2.0) == 48
    assert call(rules, "threshold", 5, -1, 2.0) == 7


def test_meets(rules):
    assert call(rules, "meets", 49.75, 48.0, 1)                          # 49.75 % vs 约50 %: 已达标
    assert not call(rules, "meets", 47.99, 48.0, 1)
    assert call(rules, "meets", 48.0, 48.0, 1)                           # the band's edge is inside (≥ 0)
    assert call(rules, "meets", 4.0, 5.0, -1) and not call(rules, "meets", 5.01, 5.0, -1)
    # Σnumerator ÷ Σdenominator may miss the target by binary rounding only: still met
    assert call(rules, "meets", 95 - 1e-12, 95.0, 1)
    assert not call(rules, "meets", 95 - 1e-6, 95.0, 1)
    assert call(rules, "meets", None, 95.0, 1) is None


def test_target_nature_in_the_table(variant):
    # R-UP 2025 市 约50 % (左右), C-YR 2025 市 不高于 40 (a cap), REG 2025 市 达到 50 (by direction: ≥)
    replaced = {("R-UP", 2025, "市"), ("C-YR", 2025, "市"), ("REG", 2025, "市")}
    m = variant(targets=[*(t for t in MINI_TARGETS if t[:2] + t[3:] not in replaced),
                         ("R-UP", 2025, 50, "市", None, "左右", "市方案"), ("C-YR", 2025, 40, "市", None, "不高于", "市方案"),
                         ("REG", 2025, 50, "市", None, "达到", "市方案")],
                target_header=TARGET_HEADER)
    # R-UP: 甲区 199/400 = 49.75 %, 乙县 199/400, 丙县 191/400 = 47.75 %
    load_all(m, "R-UP", "2025", ((199, 400), (199, 400), (191, 400)), D(2026, 1, 10), department="卫健委")
    load_all(m, "C-YR", "2025", (10, 12, 15), D(2026, 1, 10))
    table = progress_table(m.con, 2025, as_of=D(2026, 2, 1), tolerance=TOL)

    jia = one(table, "R-UP", JIA, 2025)
    assert jia["target_nature"] == "about" and (jia["band"], jia["threshold"]) == (2.0, 48.0)
    assert jia["value"] == pytest.approx(49.75) and jia["status"] == MET and jia["gap"] == 0
    bing = one(table, "R-UP", BING, 2025)
    assert bing["value"] == pytest.approx(47.75) and not bool(bing["met"])
    assert bing["gap"] == math.ceil(0.48 * 400) - 191 == 1                          # to the band's edge, not 50
    city = one(table, "R-UP", CITY, 2025)
    assert city["value"] == pytest.approx((199 + 199 + 191) / 1200 * 100)           # 49.08 ≥ 48
    assert city["status"] == MET

    # C-YR capped at 40: 10 + 12 + 15 = 37 ≤ 40 met, though the indicator is 越高越好
    cap = one(table, "C-YR", CITY, 2025)
    assert (cap["target_nature"], cap["sign"], cap["value"]) == ("at_most", -1, 37)
    assert cap["status"] == MET
    reg = one(table, "REG", CITY, 2025)
    assert (reg["target_nature"], reg["sign"], reg["target"]) == ("reach", 1, 50)
    assert bool(reg["target_provisional"]) is False and reg["target_source"] == "市方案"


# =========================================================== 3. district targets
@pytest.fixture
def split(variant):
    # R-UP: 县 92 for every district, 乙县 its own 88; C-YR: 甲区 its own 15, no other 县 target
    m = variant(targets=[*MINI_TARGETS, ("R-UP", 2025, 92, "县", None, None, "县方案"),
                         ("R-UP", 2025, 88, "县", "乙县", None, "任务分解"), ("C-YR", 2025, 15, "县", "甲区", None, "任务分解")],
                target_header=TARGET_HEADER)
    load_all(m, "R-UP", "2025", ((900, 1000), (890, 1000), (930, 1000)), D(2026, 1, 10), department="卫健委")
    load_all(m, "C-YR", "2025", (16, 10, 14), D(2026, 1, 10))
    return progress_table(m.con, 2025, as_of=D(2026, 2, 1), tolerance=TOL)


def test_district_rate_targets_own_then_county_then_city(split):
    city = one(split, "R-UP", CITY, 2025)
    assert (city["target"], city["target_level"], bool(city["target_split"])) == (95, "市", False)
    jia = one(split, "R-UP", JIA, 2025)
    assert (jia["target"], jia["target_level"], bool(jia["target_split"])) == (92, "县", False)
    # path from the city baseline (no 基线 row) to 92 at 2025-12-31: 92; 90 short by 2 ≤ 0.05 × 92 = 4.6
    assert jia["expected"] == pytest.approx(92) and jia["status"] == BEHIND
    yi = one(split, "R-UP", YI, 2025)
    assert (yi["target"], bool(yi["target_split"])) == (88, True) and yi["status"] == MET      # 89 ≥ 88
    assert one(split, "R-UP", BING, 2025)["status"] == MET                                    # 93 ≥ 92
    # the city: 2720/3000 = 90.67 % vs 95: short 4.33 ≤ 4.75
    assert city["value"] == pytest.approx(2720 / 3000 * 100) and city["status"] == BEHIND


def test_count_district_never_takes_the_city_total(split):
    jia = one(split, "C-YR", JIA, 2025)
    assert (jia["target"], bool(jia["target_split"]), jia["status"]) == (15, True, MET)        # 16 ≥ 15
    for code in (YI, BING):
        row = one(split, "C-YR", code, 2025)
        assert pd.isna(row["target"]) and row["status"] == NOT_SPLIT
        assert pd.isna(row["gap"]) and row["gap_text"] == ""
    # share of the districts' total 16 + 10 + 14 = 40
    assert one(split, "C-YR", YI, 2025)["share_of_total"] == pytest.approx(10 / 40)
    assert one(split, "C-YR", BING, 2025)["share_of_total"] == pytest.approx(14 / 40)
    assert one(split, "C-YR", JIA, 2025)["share_of_total"] == pytest.approx(16 / 40)
    city = one(split, "C-YR", CITY, 2025)
    assert (city["target"], city["target_level"], city["value"], city["status"]) == (40, "市", 40, MET)
    assert pd.isna(city["share_of_total"])


# =========================================================== 4. a city figure needs every district
def test_city_needs_every_district(mini):
    load_all(mini, "R-UP", "2025", ((900, 1000), (950, 1000)), D(2026, 1, 10), department="卫健委")   # 丙县 missing
    table = progress_table(mini.con, 2025, as_of=D(2026, 2, 1), tolerance=TOL)
    city = one(table, "R-UP", CITY, 2025)
    assert city["value"] == pytest.approx(1850 / 2000 * 100)               # shown, for what it covers
    assert (bool(city["complete"]), city["districts_reported"]) == (False, 2)
    assert city["coverage"] == "2/3个区县已报" and city["status"] == NO_DATA
    assert pd.isna(city["gap"]) and pd.isna(city["growth_band"])
    assert one(table, "R-UP", YI, 2025)["status"] == MET                    # districts are judged as usual

    load_all(mini, "R-UP", "2025", ((900, 1000), (950, 1000), (960, 1000)), D(2026, 1, 20), department="卫健委")
    city = one(progress_table(mini.con, 2025, as_of=D(2026, 2, 1), tolerance=TOL), "R-UP", CITY, 2025)
    assert bool(city["complete"]) and pd.isna(city["coverage"])
    # 2810/3000 = 93.67 % vs 95 at 2025-12-31: short 1.33 ≤ 4.75
    assert city["status"] == BEHIND and city["gap"] == 2850 - 2810


def test_city_needs_one_period(mini):
    # R-DN monthly: 甲区 and 乙县 through June, 丙县 through March only
    mini.load([("R-DN", "甲区", "2025-06", 50, 10000, None), ("R-DN", "乙县", "2025-06", 50, 10000, None),
               ("R-DN", "丙县", "2025-03", 50, 10000, None)], D(2025, 7, 10))
    table = progress_table(mini.con, 2025, as_of=D(2025, 8, 1), tolerance=TOL)
    city = one(table, "R-DN", CITY, 2025)
    assert city["districts_reported"] == 3 and not bool(city["complete"])
    assert city["coverage"] == "各区县统计期不一致" and city["status"] == NO_DATA
    assert bool(one(table, "R-DN", BING, 2025)["complete"])


def test_city_needs_whole_district_stocks(mini):
    # C-ADD since the 2022 baseline: 乙县 skipped 2024, so its 2025 stock (and the city's) is not whole
    load_all(mini, "C-ADD", "2023", (1, 1, 1), D(2024, 1, 15))
    mini.load([("C-ADD", "甲区", "2024", None, None, 2), ("C-ADD", "丙县", "2024", None, None, 2)],
              D(2025, 1, 15), department=FL)
    load_all(mini, "C-ADD", "2025", (3, 3, 3), D(2026, 1, 15))
    table = progress_table(mini.con, 2025, as_of=D(2026, 2, 1), tolerance=TOL)
    yi = one(table, "C-ADD", YI, 2025)
    assert yi["value"] == 1 + 3 and not bool(yi["complete"])
    assert yi["coverage"] == "缺少往年新增数据，累计数不全" and yi["status"] == NO_DATA
    jia = one(table, "C-ADD", JIA, 2025)
    assert jia["value"] == 1 + 2 + 3 and bool(jia["complete"]) and jia["status"] == NOT_SPLIT
    city = one(table, "C-ADD", CITY, 2025)
    assert city["value"] == 0 + 6 + 4 + 6 and city["districts_reported"] == 3
    assert not bool(city["complete"]) and city["coverage"] == "部分区县缺少往年新增数据"
    assert city["status"] == NO_DATA


# =========================================================== 5. small numbers
def test_small_numbers_never_make_far_behind(mini):
    # R-DN ‰, less is better, target 5, expected 5 at 2025-12-31; tolerance 0.05 × 5 = 0.25
    mini.load([("R-DN", "甲区", "2025", 3, 2000, None), ("R-DN", "乙县", "2025", 12, 1000, None),
               ("R-DN", "丙县", "2025", 45, 7000, None)], D(2026, 1, 20))
    table = progress_table(mini.con, 2025, as_of=D(2026, 2, 1), tolerance=TOL)

    # 甲区 1.5 ‰ meets the target; 5/1000 × 2000 = 10 < 30 events: small, but met stays met
    jia = one(table, "R-DN", JIA, 2025)
    assert bool(jia["small_sample"]) and jia["status"] == MET

    # 乙县 12 ‰ short by 7 > 0.25 (严重滞后 on the path), 5/1000 × 1000 = 5 < 30 events: 滞后
    yi = one(table, "R-DN", YI, 2025)
    low, high = wilson(12, 1000)
    assert (yi["ci_low"], yi["ci_high"]) == (pytest.approx(low * 1000), pytest.approx(high * 1000))
    assert low * 1000 > 5 and not bool(yi["within_interval"])     # the small count alone softens it
    assert bool(yi["small_sample"]) and yi["status"] == BEHIND

    # 丙县 45/7000 = 6.43 ‰: 35 ≥ 30 events, not small, but the interval (4.81 ‰ …) contains 5: 滞后
    bing = one(table, "R-DN", BING, 2025)
    low, high = wilson(45, 7000)
    assert low * 1000 <= 5 <= high * 1000
    assert not bool(bing["small_sample"]) and bool(bing["within_interval"])
    assert bing["value"] - 5 > TOL * 5 and bing["status"] == BEHIND
    assert (bing["ci_low"], bing["ci_high"]) == (pytest.approx(low * 1000), pytest.approx(high * 1000))


def test_coverage_rates_are_not_small_numbers(mini):
    # A coverage rate (more is better) counts every unit: 8/10 vs 95 % is 严重滞后 on its own figure
    # (short 15 > 4.75), though only 9.5 children are expected at the target.
    load_all(mini, "R-UP", "2025", ((8, 10), (950, 1000), (950, 1000)), D(2026, 1, 10), department="卫健委")
    jia = one(progress_table(mini.con, 2025, as_of=D(2026, 2, 1), tolerance=TOL), "R-UP", JIA, 2025)
    assert not bool(jia["small_sample"]) and not bool(jia["within_interval"])
    assert jia["status"] == FAR_BEHIND


# =========================================================== 6. year to date
@pytest.fixture
def c_yr_2024(mini):
    # C-YR 2024 full year: 20 + 12 + 10 = 42 (target 40 met)
    load_all(mini, "C-YR", "2024", (20, 12, 10), D(2025, 1, 10))
    return mini


def test_annual_count_in_year_is_a_share_of_the_year(c_yr_2024):
    load_all(c_yr_2024, "C-YR", "2025-Q3", (12, 9, 8), D(2025, 10, 5))
    city = one(progress_table(c_yr_2024.con, 2025, as_of=D(2025, 10, 10), tolerance=TOL), "C-YR", CITY, 2025)
    # path at 2025-12-31 = the 2025 target 40; by Q3 3/4 of it: 30. 29 is short by 1 ≤ 0.05 × 30 = 1.5: 滞后,
    # not 严重滞后 for being below last year's full-year 42
    assert city["year_share"] == pytest.approx(3 / 4)
    assert city["expected"] == pytest.approx(40 * 3 / 4)
    assert city["value"] == 29 and city["yoy"] == 29 - 42
    assert city["status"] == BEHIND


def test_annual_count_follows_the_quarter_profile(variant):
    m = variant(indicator_columns={"季度进度": {"C-YR": "20/45/75/100"}})
    load_all(m, "C-YR", "2025-Q2", (8, 6, 5), D(2025, 7, 5))
    city = one(progress_table(m.con, 2025, as_of=D(2025, 7, 10), tolerance=TOL), "C-YR", CITY, 2025)
    # by Q2 45 % of 40 = 18 is expected (not 2/4 × 40 = 20): 19 is at or beyond it
    assert city["year_share"] == pytest.approx(0.45)
    assert city["expected"] == pytest.approx(18)
    assert city["status"] == ON_TRACK


def test_period_share(rules):
    profile = [0.2, 0.45, 0.75, 1.0]
    assert call(rules, "period_share", "2025", None) == 1
    assert call(rules, "period_share", "2025-Q1", None) == pytest.approx(1 / 4)
    assert call(rules, "period_share", "2025-Q3", None) == pytest.approx(3 / 4)
    assert call(rules, "period_share", "2025-05", None) == pytest.approx(5 / 12)
    assert call(rules, "period_share", "2025-Q2", profile) == pytest.approx(0.45)
    # months inside a quarter: from the previous quarter's share to this one's, a third per month
    assert call(rules, "period_share", "2025-01", profile) == pytest.approx(0.2 / 3)
    assert call(rules, "period_share", "2025-03", profile) == pytest.approx(0.2)
    assert call(rules, "period_share", "2025-05", profile) == pytest.approx(0.2 + (0.45 - 0.2) * 2 / 3)
    assert call(rules, "period_share", "2025-12", profile) == pytest.approx(1.0)


def test_rate_in_year_moves_along_the_path(mini):
    # R-DN through June 2025, 510/100000 = 5.1 ‰ everywhere. Path 6 → 5 (2022 → 2025):
    # at 2024-12-31 6 − 731/1096 = 5.333; half way through 2025: 5.333 + (5 − 5.333) × 6/12 = 5.167.
    # 5.1 is below (better than) 5.167: 正常 — against the year-end 5 it would be short by 0.1.
    load_all(mini, "R-DN", "2025-06", ((510, 100000),) * 3, D(2025, 7, 10), department="卫健委")
    table = progress_table(mini.con, 2025, as_of=D(2025, 7, 20), tolerance=TOL)
    start = 6 - 731 / 1096
    expected = start + (5 - start) * 6 / 12
    for code in (CITY, JIA):
        row = one(table, "R-DN", code, 2025)
        assert row["year_share"] == pytest.approx(0.5)
        assert row["expected"] == pytest.approx(expected)
        assert row["value"] == pytest.approx(5.1) and row["status"] == ON_TRACK


# =========================================================== 7. after the last target year
def test_last_target_is_held_after_its_year(mini):
    # C-RUN (running total) has one target: 2024 市 10. 2024 and 2025 both 3 + 2 + 1 = 6.
    load_all(mini, "C-RUN", "2024", (3, 2, 1), D(2025, 1, 15))
    load_all(mini, "C-RUN", "2025", (3, 2, 1), D(2026, 1, 15))
    table = progress_table(mini.con, None, as_of=D(2026, 2, 1), level="city", tolerance=TOL)
    y2024, y2025 = one(table, "C-RUN", CITY, 2024), one(table, "C-RUN", CITY, 2025)
    assert (y2024["target"], y2024["target_year"], bool(y2024["target_passed"])) == (10, 2024, False)
    assert y2024["gap_text"] == "还差 4个"
    assert (y2025["target"], y2025["target_year"], bool(y2025["target_passed"])) == (10, 2024, True)
    assert y2025["expected"] == pytest.approx(10)                  # the path stays at the target
    assert y2025["gap"] == 10 - 6 and y2025["gap_text"] == "2024年目标未完成，还差 4个"
    assert y2025["status"] == FAR_BEHIND                           # short 4 > 0.05 × 10
    r_up = one(progress_table(mini.con, 2025, as_of=D(2026, 2, 1), level="city", tolerance=TOL), "R-UP", CITY, 2025)
    assert not bool(r_up["target_passed"])


def test_annual_count_target_is_held_as_each_later_years_target(variant):
    # a 2026 national R-UP target lets the catalog accept 2026 figures. C-YR (年度) has 2024 and 2025 = 40:
    # in 2026 the 2025 target is that year's target again, not a missed past one
    m = variant(targets=[*MINI_TARGETS, ("R-UP", 2026, 96, "国家")])
    load_all(m, "C-YR", "2026", (10, 10, 10), D(2027, 1, 10))
    city = one(progress_table(m.con, 2026, as_of=D(2027, 2, 1), level="city", tolerance=TOL), "C-YR", CITY, 2026)
    assert (city["target"], city["target_year"], bool(city["target_passed"])) == (40, 2025, False)
    assert city["gap"] == 40 - 30 and city["gap_text"] == "还差 10个"


# =========================================================== catalog history
def test_figures_as_of_a_moment_use_the_catalog_then(variant):
    m = variant(loaded_at=D(2025, 1, 1))
    load_all(m, "R-UP", "2025", ((900, 1000), (920, 1000), (940, 1000)), D(2026, 1, 10), department="卫健委")
    m.register("2025", {"甲1社区": "是", "甲2社区": "是", "乙1村": "是", "丙1村": "否"}, D(2026, 1, 10))
    T = D(2026, 2, 1)
    before = progress_table(m.con, 2025, as_of=T, tolerance=TOL)
    assert one(before, "R-UP", CITY, 2025)["target"] == 95
    assert one(before, "REG", JIA, 2025)["denominator"] == 4

    # a second version from 2026-03-01: R-UP's 2025 市 target 95 → 90, and a fifth community in 甲区
    newer = mini_catalog_bytes(
        targets=[(c, y, 90 if (c, y, lv) == ("R-UP", 2025, "市") else v, lv) for c, y, v, lv in MINI_TARGETS],
        communities=[*MINI_COMMUNITIES, ("甲区", "一街道", "甲5社区", "101001005", "城镇")])
    assert m.load_catalog(newer, D(2026, 3, 1)) == 2

    pd.testing.assert_frame_equal(progress_table(m.con, 2025, as_of=T, tolerance=TOL), before)
    now = progress_table(m.con, 2025, tolerance=TOL)
    city = one(now, "R-UP", CITY, 2025)
    # 2760/3000 = 92 % meets 90, where it was short of 95
    assert city["target"] == 90 and city["status"] == MET and one(before, "R-UP", CITY, 2025)["status"] != MET
    jia = one(now, "REG", JIA, 2025)
    assert (jia["numerator"], jia["denominator"]) == (2, 5) and jia["value"] == pytest.approx(2 / 5 * 100)
    assert set(targets(m.con, as_of=T).query("indicator == 'R-UP' and level == '市'")["value"]) == {95}
    assert set(targets(m.con).query("indicator == 'R-UP' and level == '市'")["value"]) == {90}


# =========================================================== revert
def test_revert_restores_exactly_what_the_file_said(mini):
    # 妇联 sends its own C-YR 2025 for 乙县 first; it is not 卫健委's to withdraw
    mini.load([("C-YR", "乙县", "2025", None, None, 3)], D(2026, 1, 5), department=FL)
    a = mini.load([("R-UP", "甲区", "2025", 900, 1000, None), ("R-UP", "乙县", "2025", 800, 1000, None),
                   ("R-DN", "甲区", "2025", 5, 1000, None)], D(2026, 1, 10))
    mini.load([("R-UP", "甲区", "2025", 950, 1000, None), ("R-UP", "乙县", "2025", 850, 1000, None),
               ("R-UP", "丙县", "2025", 700, 1000, None), ("R-DN", "甲区", "2025", 4, 1000, None),
               ("C-YR", "甲区", "2025", None, None, 7)], D(2026, 1, 20))
    after_b = district_values(mini.con, 2025)
    assert one(after_b, "C-YR", JIA, 2025)["value"] == 7 and one(after_b, "R-UP", JIA, 2025)["value"] == 95

    revert_to(mini.con, a.submission_id, at=D(2026, 1, 25))
    dv = district_values(mini.con, 2025)
    assert one(dv, "R-UP", JIA, 2025)["value"] == pytest.approx(90)
    assert one(dv, "R-UP", YI, 2025)["value"] == pytest.approx(80)
    assert not has_row(dv, "R-UP", BING, 2025)                      # A did not report 丙县
    assert one(dv, "R-DN", JIA, 2025)["value"] == pytest.approx(5)
    assert not has_row(dv, "C-YR", JIA, 2025)                       # only B said it: withdrawn
    assert one(dv, "C-YR", YI, 2025)["value"] == 3                   # 妇联's own figure stays
    # history is kept: before the revert, B's figures
    before = district_values(mini.con, 2025, as_of=D(2026, 1, 22))
    assert one(before, "C-YR", JIA, 2025)["value"] == 7 and one(before, "R-UP", JIA, 2025)["value"] == 95

    # a later file of 卫健委 reporting C-YR again makes it count again
    mini.load([("C-YR", "甲区", "2025", None, None, 8)], D(2026, 2, 1))
    assert one(district_values(mini.con, 2025), "C-YR", JIA, 2025)["value"] == 8


def test_revert_to_a_revert_restores_its_withdrawals(mini):
    a = mini.load([("R-UP", "甲区", "2025", 900, 1000, None)], D(2026, 1, 10))
    mini.load([("R-UP", "甲区", "2025", 950, 1000, None), ("C-YR", "甲区", "2025", None, None, 7)], D(2026, 1, 20))
    first = revert_to(mini.con, a.submission_id, at=D(2026, 1, 25))          # R-UP 90, no C-YR
    mini.load([("R-UP", "甲区", "2025", 960, 1000, None), ("C-YR", "甲区", "2025", None, None, 9)], D(2026, 2, 1))
    assert one(district_values(mini.con, 2025), "C-YR", JIA, 2025)["value"] == 9
    revert_to(mini.con, first, at=D(2026, 2, 5))                             # back to what the first revert showed
    dv = district_values(mini.con, 2025)
    assert one(dv, "R-UP", JIA, 2025)["value"] == pytest.approx(90)
    assert not has_row(dv, "C-YR", JIA, 2025)


# =========================================================== catalog checks
def refused(data: bytes):
    cat, problems = read_catalog(data, "bad.xlsx")
    assert cat is None and any(p.severity == "error" for p in problems)
    for p in problems:
        assert CJK.search(p.message), p.message
        assert p.file == "bad.xlsx"
    return problems


def found(problems, rule, sheet, cell):
    hits = [p for p in problems if p.rule == rule and p.sheet == sheet and p.cell == cell]
    assert hits, f"no {rule} at {sheet}!{cell} in {[(p.rule, p.sheet, p.cell) for p in problems]}"
    return hits[0]


def accepted(data: bytes):
    cat, problems = read_catalog(data, "ok.xlsx")
    assert cat is not None, problems
    return cat


# 目标 rows: the header is row 1, MINI_TARGETS rows 2–11, a row added after them is row 12;
# columns 指标编码 A, 年度 B, 目标值 C, 层级 D, 区县 E, 目标性质 F, 来源 G.
def test_district_target_must_be_county_level():
    problems = refused(mini_catalog_bytes(targets=[*MINI_TARGETS, ("R-UP", 2025, 92, "市", "甲区")],
                                          target_header=TARGET_HEADER))
    p = found(problems, "district_target_level", "目标", "D12")
    assert "市" in p.message and "县" in p.message


def test_district_target_of_additions_needs_a_district_baseline():
    row = ("C-ADD", 2025, 12, "县", "甲区")
    with_city_baseline = indicators_with(C_ADD={BASELINE_VALUE: 10})
    problems = refused(mini_catalog_bytes(indicators=with_city_baseline, targets=[*MINI_TARGETS, row],
                                          target_header=TARGET_HEADER))
    p = found(problems, "district_target_baseline", "目标", "E12")
    assert "C-ADD" in p.message and "甲区" in p.message and "基线" in p.message

    baseline = {"基线": [["指标编码", "区县", "基线年", "基线值"], ["C-ADD", "甲区", 2022, 4]]}
    cat = accepted(mini_catalog_bytes(indicators=with_city_baseline, targets=[*MINI_TARGETS, row],
                                      target_header=TARGET_HEADER, extra=baseline))
    assert [(t.district_code, t.level, t.value) for t in cat.targets if t.district_code] == [(JIA, "县", 12)]
    assert [(b.indicator_code, b.district_code, b.year, b.value) for b in cat.baselines] == [("C-ADD", JIA, 2022, 4)]
    # with a city baseline of 0 (the mini catalog) the district's stock is its additions: no 基线 needed
    accepted(mini_catalog_bytes(targets=[*MINI_TARGETS, row], target_header=TARGET_HEADER))


@pytest.mark.parametrize("profile", ["20/45/75/90", "20/45/40/100", "20/45/75", "前低后高"])
def test_quarter_profile_is_checked(profile):
    # 季度进度 is the 18th 指标 column (R); C-YR is the 5th indicator: row 6
    problems = refused(mini_catalog_bytes(indicator_columns={"季度进度": {"C-YR": profile}}))
    assert found(problems, "quarter_profile", "指标", "R6").value == profile


def test_quarter_profile_reads_as_shares():
    cat = accepted(mini_catalog_bytes(indicator_columns={"季度进度": {"C-YR": "20%/45%/75%/100%", "C-ADD": "10/40/70/100"}}))
    assert cat.indicators["C-YR"].quarter_profile == pytest.approx((0.2, 0.45, 0.75, 1.0))
    assert cat.indicators["C-ADD"].quarter_profile == pytest.approx((0.1, 0.4, 0.7, 1.0))
    assert cat.indicators["R-UP"].quarter_profile is None


def test_target_nature_and_provisional_sources():
    cat = accepted(mini_catalog_bytes(
        targets=[("R-UP", 2025, 95, "市", None, "不低于", "市实施方案"), ("R-DN", 2025, 5, "市", None, "不高于", "默认值"),
                 ("C-ADD", 2025, 30, "市", None, "左右", None), ("C-YR", 2025, 40, "市", None, "达到", "待确认（省里）"),
                 ("REG", 2025, 50, "市", None, None, "市实施方案")],
        target_header=TARGET_HEADER))
    got = {t.indicator_code: (t.nature, t.provisional) for t in cat.targets}
    assert got == {"R-UP": ("at_least", False), "R-DN": ("at_most", True), "C-ADD": ("about", True),
                   "C-YR": ("reach", True), "REG": (None, False)}
    problems = refused(mini_catalog_bytes(targets=[("R-UP", 2025, 95, "市", None, "大约", "x")],
                                          target_header=TARGET_HEADER))
    found(problems, "invalid_choice", "目标", "F2")


def test_unknown_district_in_targets_and_baselines():
    problems = refused(mini_catalog_bytes(
        targets=[*MINI_TARGETS, ("R-UP", 2025, 92, "县", "丁县")], target_header=TARGET_HEADER,
        extra={"基线": [["指标编码", "区县", "基线年", "基线值"], ["C-ADD", "戊县", 2022, 4]]}))
    found(problems, "unknown_reference", "目标", "E12")
    found(problems, "unknown_reference", "基线", "B2")
