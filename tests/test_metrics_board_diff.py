"""Metrics on the tiny catalog (`mini`): submission board, diff between two moments, as-of values,
lineage, quality checks and the `python -m metrics` command line.

Every expected figure is worked out by hand from the rows loaded in the test itself.
Layout of a file written by `mini.load`: row 1 is the header
指标编码(A) 区县(B) 统计期(C) 分子(D) 分母(E) 数值(F); the k-th data row is Excel row k + 1.
Layout of a register written by `mini.register`: row 1 "统计期 | period", row 2 the header
区县(A) 街道(乡镇)(B) 社区名称(C) 是否开展创建(D); the k-th community is Excel row k + 2.
"""
from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
import json
import subprocess
import sys

import pandas as pd
import pytest

from conftest import ROOT, xlsx
from warehouse import config
from ingest.pipeline import receive
from metrics import board as board_module
from metrics.__main__ import BOARD_FIELDS
from metrics.report import REPORT_FIELDS
from metrics.board import (LATE, MISSING, NOT_DUE, ON_TIME, REJECTED, expected_submissions, reporting_rates,
                           submission_board)
from metrics.diff import diff
from metrics.lineage import lineage
from metrics.quality import coverage_above_full, denominator_shifts, districts_above_city_total, value_jumps
from metrics.values import district_values

HEADER = ["指标编码", "区县", "统计期", "分子", "分母", "数值"]
EPS = dt.timedelta(minutes=1)
D = dt.date
T = dt.datetime


def receive_rows(mini, tmp_path, name, rows, when, department="卫健委"):
    """A long file sent straight through the pipeline (mini.load insists on acceptance)."""
    path = tmp_path / "raw" / name
    path.parent.mkdir(exist_ok=True)
    path.write_bytes(xlsx([HEADER, *[list(r) for r in rows]]))
    return receive(mini.con, path, tmp_path / "archive", department=department, received_at=when)


# ==================================================================== 1. submission board
BOARD_AS_OF = T(2025, 6, 1, 12, 0)
DEADLINE_DAYS = {"year": 31, "quarter": 10, "month": 10}


@pytest.fixture
def board_settings(monkeypatch):
    """The board starts 2025-01-15; yearly reports due 31 days after year end, others 10 days."""
    def patch(start=D(2025, 1, 15), days=None):
        patched = dataclasses.replace(config.settings(), board_start=start, deadline_days=dict(days or DEADLINE_DAYS))
        monkeypatch.setattr(board_module, "settings", lambda: patched)
        return patched
    return patch


def test_expected_submissions_follow_start_and_deadlines(mini, board_settings):
    board_settings()
    got = {(r.department_code, r.frequency, r.period): (r.period_end, r.deadline)
           for r in expected_submissions(mini.con, BOARD_AS_OF).itertuples()}
    # 卫健委 leads R-UP (year) and R-DN (month); 妇联 leads C-ADD, C-RUN, REG, YN (year) and C-YR (quarter).
    # year:    2024 ends 2024-12-31, due +31 days = 2025-01-31 >= start 2025-01-15 -> expected;
    #          2025 has not ended by 2025-06-01 -> not expected.
    # month:   2024-12 is due 2024-12-31 + 10 = 2025-01-10 < start -> no; 2025-01 ... 2025-05 have ended
    #          by 2025-06-01 (2025-05 ends 05-31) -> expected; 2025-06 has not ended.
    # quarter: 2024-Q4 due 2025-01-10 < start -> no; 2025-Q1 (ends 03-31, due 04-10) -> yes; Q2 not ended.
    months = {f"2025-{m:02d}": D(2025, m, [31, 28, 31, 30, 31][m - 1]) for m in range(1, 6)}
    want = {("WJW", "year", "2024"): (D(2024, 12, 31), D(2024, 12, 31) + dt.timedelta(days=31)),
            **{("WJW", "month", p): (end, end + dt.timedelta(days=10)) for p, end in months.items()},
            ("FL", "year", "2024"): (D(2024, 12, 31), D(2025, 1, 31)),
            ("FL", "quarter", "2025-Q1"): (D(2025, 3, 31), D(2025, 4, 10))}
    assert got == want

    # A later start drops the periods due before it: with start 2025-03-01 the 2024 reports
    # (due 2025-01-31) and 2025-01 (due 2025-02-10) go; 2025-02 (due 03-10) stays.
    board_settings(start=D(2025, 3, 1))
    got = {(r.department_code, r.frequency, r.period) for r in expected_submissions(mini.con, BOARD_AS_OF).itertuples()}
    assert got == {("WJW", "month", p) for p in ("2025-02", "2025-03", "2025-04", "2025-05")} | {
        ("FL", "quarter", "2025-Q1")}


def test_submission_board_statuses_and_rates(mini, board_settings, tmp_path):
    board_settings()
    # --- 卫健委
    up_2024 = mini.load([("R-UP", "甲区", "2024", 800, 1000, None)], T(2025, 1, 20, 10))          # due 01-31: on time
    jan = mini.load([("R-DN", "甲区", "2025-01", 5, 1000, None)], T(2025, 2, 10, 23, 0))           # due 02-10: same day
    mini.load([("R-DN", "甲区", "2025-01", 6, 1000, None)], T(2025, 3, 1))      # a late re-send of an on-time report
    feb = mini.load([("R-DN", "甲区", "2025-02", 5, 1000, None)], T(2025, 3, 15, 9))               # due 03-10: 5 days late
    bad = receive_rows(mini, tmp_path, "bad-2025-03.xlsx",
                       [("R-DN", "甲区", "2025-03", "abc", 1000, None),  # not a number -> the file is refused
                        ("R-DN", "乙县", "2025-03", 5, 1000, None)], T(2025, 4, 5))
    assert bad.status == "rejected" and bad.periods == ["2025-03"]
    assert [p.rule for p in bad.errors] == ["not_number"]
    mini.load([("R-DN", "甲区", "2025-04", 5, 1000, None)], T(2025, 6, 3))      # after as_of: does not count
    # 2025-05: nothing; due 2025-06-10, after as_of -> 未到期
    # --- 妇联
    add_2024 = mini.load([("C-ADD", "甲区", "2024", None, None, 3)], T(2025, 2, 3, 8), department="妇联")  # 3 days late
    q1 = mini.load([("C-YR", "甲区", "2025-Q1", None, None, 12)], T(2025, 4, 1), department="妇联")     # on time

    board = submission_board(mini.con, BOARD_AS_OF)
    rows = {(r.department_code, r.period): r for r in board.itertuples()}
    assert set(rows) == {("WJW", "2024"), ("WJW", "2025-01"), ("WJW", "2025-02"), ("WJW", "2025-03"),
                         ("WJW", "2025-04"), ("WJW", "2025-05"), ("FL", "2024"), ("FL", "2025-Q1")}
    as_of = BOARD_AS_OF.date()
    want = {
        ("WJW", "2024"): (ON_TIME, 0, up_2024.file),
        ("WJW", "2025-01"): (ON_TIME, 0, jan.file),   # received on the deadline day; first receipt counts
        ("WJW", "2025-02"): (LATE, (D(2025, 3, 15) - D(2025, 3, 10)).days, feb.file),             # 5
        ("WJW", "2025-03"): (REJECTED, (as_of - D(2025, 4, 10)).days, None),                     # 52
        ("WJW", "2025-04"): (MISSING, (as_of - D(2025, 5, 10)).days, None),                      # 22
        ("WJW", "2025-05"): (NOT_DUE, 0, None),
        ("FL", "2024"): (LATE, (D(2025, 2, 3) - D(2025, 1, 31)).days, add_2024.file),             # 3
        ("FL", "2025-Q1"): (ON_TIME, 0, q1.file),
    }
    got = {k: (r.status, r.days_late, r.file_name if isinstance(r.file_name, str) else None) for k, r in rows.items()}
    assert got == want
    assert want[("WJW", "2025-03")][1] == 52 and want[("WJW", "2025-04")][1] == 22
    assert rows[("WJW", "2025-01")].received_at == pd.Timestamp(T(2025, 2, 10, 23, 0))
    assert rows[("WJW", "2025-01")].department == "卫生健康委" and rows[("FL", "2024")].department == "妇联"
    # sorted by department code, then period end
    assert list(board["department_code"]) == ["FL"] * 2 + ["WJW"] * 6
    assert list(board["period_end"]) == sorted(board["period_end"][:2]) + sorted(board["period_end"][2:])

    rates = reporting_rates(board).set_index("department")
    # 卫健委: due = 6 expected - 1 未到期 = 5; 按时 2 (2024, 2025-01), 逾期 1, 未报 1, 退回 1
    # 妇联:   due = 2; 按时 1 (Q1), 逾期 1 (2024)
    # 合计:   due 7; 按时 3; 逾期 2
    want_counts = {"卫生健康委": (5, 2, 1, 1, 1), "妇联": (2, 1, 1, 0, 0), "合计": (7, 3, 2, 1, 1)}
    for dept, (due, on_time, late, missing, rejected) in want_counts.items():
        r = rates.loc[dept]
        assert (r["due"], r["on_time"], r["late"], r["missing"], r["rejected"]) == (due, on_time, late, missing, rejected)
    assert rates.loc["卫生健康委", "reporting_rate"] == pytest.approx((2 + 1) / 5)
    assert rates.loc["卫生健康委", "on_time_rate"] == pytest.approx(2 / 5)
    assert rates.loc["妇联", "reporting_rate"] == pytest.approx((1 + 1) / 2)
    assert rates.loc["妇联", "on_time_rate"] == pytest.approx(1 / 2)
    assert rates.loc["合计", "reporting_rate"] == pytest.approx((3 + 2) / 7)
    assert rates.loc["合计", "on_time_rate"] == pytest.approx(3 / 7)
    assert list(rates.index)[-1] == "合计"

    # Two days later the 2025-04 report (received 06-03) is there, late by 06-03 - 05-10 = 24 days;
    # 2025-05 is still not due (06-10).
    later = {(r.department_code, r.period): (r.status, r.days_late)
             for r in submission_board(mini.con, T(2025, 6, 3, 12)).itertuples()}
    assert later[("WJW", "2025-04")] == (LATE, (D(2025, 6, 3) - D(2025, 5, 10)).days)
    assert later[("WJW", "2025-05")] == (NOT_DUE, 0)


def test_board_rejected_file_with_only_bad_rows_shows_as_returned(mini, board_settings, tmp_path):
    board_settings()
    bad = receive_rows(mini, tmp_path, "bad-only.xlsx", [("R-DN", "甲区", "2025-03", "abc", 1000, None)],
                       T(2025, 4, 5))
    assert bad.status == "rejected"
    rows = {(r.department_code, r.period): r.status for r in submission_board(mini.con, BOARD_AS_OF).itertuples()}
    # The department did send a 2025-03 report before the deadline (04-10); it was refused.
    assert rows[("WJW", "2025-03")] == REJECTED


# ==================================================================== 2. snapshots and diff
T1, T2, T3 = T(2026, 1, 10, 9), T(2026, 2, 10, 9), T(2026, 3, 10, 9)
R_UP_T1 = [("R-UP", "甲区", "2025", 930, 1000, None),   # 93.0 %
           ("R-UP", "乙县", "2025", 960, 1000, None),   # 96.0 %
           ("R-UP", "丙县", "2025", 850, 1000, None)]   # 85.0 %
R_UP_T2 = [("R-UP", "甲区", "2025", 970, 1000, None), *R_UP_T1[1:]]   # 甲区 revised: 930 -> 970, 97.0 %


@pytest.fixture
def revised(mini):
    first = mini.load(R_UP_T1, T1)
    second = mini.load(R_UP_T2, T2)
    third = mini.load([("R-DN", "甲区", "2025-12", 4, 1000, None), ("R-DN", "乙县", "2025-12", 6, 1000, None),
                       ("R-DN", "丙县", "2025-12", 5, 1000, None)], T3)
    return mini, first, second, third


def test_values_as_of_before_and_after_a_resubmission(revised):
    mini, *_ = revised

    def r_up(as_of):
        v = district_values(mini.con, 2025, as_of=as_of)
        v = v[v["indicator"] == "R-UP"]
        return {r.district_code: (r.numerator, r.denominator, r.value) for r in v.itertuples()}

    assert r_up(T1 - EPS) == {}
    at_t1 = r_up(T1 + EPS)
    assert at_t1["101"][:2] == (930, 1000) and at_t1["101"][2] == pytest.approx(930 / 1000 * 100)
    at_t2 = r_up(T2 + EPS)
    assert at_t2["101"][:2] == (970, 1000) and at_t2["101"][2] == pytest.approx(97.0)
    assert r_up(None) == at_t2
    # the other districts were re-sent unchanged
    assert {k: v[:2] for k, v in at_t1.items() if k != "101"} == {"102": (960, 1000), "103": (850, 1000)}
    assert {k: v[:2] for k, v in at_t2.items() if k != "101"} == {"102": (960, 1000), "103": (850, 1000)}


def test_diff_lists_the_revision_its_status_target_and_ranks(revised):
    mini, first, second, _ = revised
    out = diff(mini.con, T1 + EPS, T2 + EPS, 2025)
    assert set(out) == {"submissions", "values", "problems", "status", "met", "rank"}

    subs = out["submissions"]
    assert len(subs) == 1
    s = subs.iloc[0]
    assert (s["file_name"], s["department"], s["status"], bool(s["revises"])) == (second.file, "卫生健康委", "accepted", True)

    values = out["values"]
    assert len(values) == 1   # 乙县 and 丙县 were re-sent with the same figures: not a change
    v = values.iloc[0]
    assert (v["indicator"], v["district_code"], v["period"], v["change"]) == ("R-UP", "101", "2025", "revised")
    assert (v["numerator_before"], v["numerator_after"]) == (930, 970)
    assert (v["denominator_before"], v["denominator_after"]) == (1000, 1000)
    assert (v["file_name"], v["department"], v["received_at"]) == (second.file, "卫生健康委", pd.Timestamp(T2))
    assert (v["sheet"], v["cells"]) == ("Sheet1", "D2,E2")   # 甲区 is the first data row: Excel row 2

    # Status on the path: baseline 2022 = 80, target 2025 = 95 (市); read on min(2025-12-31, as_of) = 2025-12-31,
    # so the expected value is the target itself: 95. tolerance × expected = 0.05 × 95 = 4.75.
    tol = config.settings().status_tolerance * 95
    assert tol == pytest.approx(4.75)
    # 甲区: 93.0 -> shortfall 2.0 <= 4.75 -> 滞后; 97.0 >= 95 -> 已达标.
    # 乙县 96 (已达标), 丙县 85 (shortfall 10 > 4.75: 严重滞后) unchanged.
    # city: 2740/3000 = 91.33 % (shortfall 3.67) -> 2780/3000 = 92.67 % (shortfall 2.33): 滞后 both times.
    assert 95 - 93.0 <= tol and 95 - 2740 / 3000 * 100 <= tol and 95 - 2780 / 3000 * 100 <= tol
    status = out["status"]
    assert [(r.indicator, r.district_code, r.year, r.status_before, r.status) for r in status.itertuples()] == [
        ("R-UP", "101", 2025, "滞后", "已达标")]
    assert status.iloc[0]["value_before"] == pytest.approx(93.0) and status.iloc[0]["value"] == pytest.approx(97.0)
    assert [(r.indicator, r.district_code, r.status) for r in out["met"].itertuples()] == [("R-UP", "101", "已达标")]

    # Ranks (higher is better): before 乙 96 > 甲 93 > 丙 85 -> 乙 1, 甲 2, 丙 3;
    # after 甲 97 > 乙 96 > 丙 85 -> 甲 1, 乙 2, 丙 3 (丙 did not move).
    rank = {(r.indicator, r.district_code): (r.rank_before, r.rank) for r in out["rank"].itertuples()}
    assert rank == {("R-UP", "101"): (2, 1), ("R-UP", "102"): (1, 2)}


def test_diff_after_a_new_indicator_shows_only_new_values(revised):
    mini, _, _, third = revised
    out = diff(mini.con, T2 + EPS, T3 + EPS, 2025)
    values = out["values"]
    assert set(values["change"]) == {"new"}
    assert [(r.indicator, r.district_code, r.period, r.numerator_after) for r in values.itertuples()] == [
        ("R-DN", "101", "2025-12", 4), ("R-DN", "102", "2025-12", 6), ("R-DN", "103", "2025-12", 5)]
    assert values["numerator_before"].isna().all() and set(values["file_name"]) == {third.file}
    subs = out["submissions"]
    # 卫健委 sent 2025 before, but 2025-12 is another period: nothing is revised
    assert list(subs["file_name"]) == [third.file] and not bool(subs.iloc[0]["revises"])
    # R-DN (‰, lower is better, target 5 for 2025, expected on the path = 5 by 2025-12-31), from 无数据:
    # 甲区 4 <= 5 and 丙县 5 <= 5 met; city (4 + 6 + 5) / 3000 × 1000 = 5 met;
    # 乙县 6: short by 1 > 0.05 × 5 = 0.25, but only 5/1000 × 1000 = 5 < 30 deaths are expected at the
    # target (small numbers) -> 滞后, never 严重滞后 on that alone. R-UP did not change; no ranks before.
    assert [(r.indicator, r.district_code, r.status_before, r.status) for r in out["status"].itertuples()] == [
        ("R-DN", "100", "无数据", "已达标"), ("R-DN", "101", "无数据", "已达标"),
        ("R-DN", "102", "无数据", "滞后"), ("R-DN", "103", "无数据", "已达标")]
    assert list(out["met"]["district_code"]) == ["100", "101", "103"]
    assert out["rank"].empty
    # nothing happened between T1+ε and T1+2ε
    quiet = diff(mini.con, T1 + EPS, T1 + 2 * EPS, 2025)
    assert all(frame.empty for frame in quiet.values())


def test_diff_new_indicator_for_an_already_reported_period_is_not_a_revision(mini):
    mini.load(R_UP_T1, T1)                                                      # 卫健委, R-UP, period 2025
    extra = mini.load([("R-DN", "甲区", "2025", 4, 1000, None)], T2)            # 卫健委, R-DN, period 2025 (annual)
    out = diff(mini.con, T1 + EPS, T2 + EPS, 2025)
    assert list(out["values"]["change"]) == ["new"]                             # the figure is new …
    assert list(out["submissions"]["file_name"]) == [extra.file]
    assert not bool(out["submissions"].iloc[0]["revises"])                      # … so the file revises nothing


def test_diff_from_before_any_data_without_a_year(mini):
    mini.load(R_UP_T1, T1)
    out = diff(mini.con, T1 - EPS, T1 + EPS)
    # the three figures of the first file are new
    assert [(r.district_code, r.change) for r in out["values"].itertuples()] == [
        ("101", "new"), ("102", "new"), ("103", "new")]


# ==================================================================== 3. lineage
def test_lineage_of_a_rate_for_a_district_and_for_the_city(revised):
    mini, first, second, _ = revised
    mini.load([("R-UP", "甲区", "2024", 880, 1000, None)], T(2026, 3, 20))   # an earlier year: not part of 2025
    got = lineage(mini.con, "R-UP", "102", 2025)
    assert len(got) == 1
    r = got.iloc[0]
    # 乙县 is the second data row of the file: Excel row 3, 分子 in column D, 分母 in E
    assert (r["indicator"], r["district_code"], r["district"], r["year"], r["period"]) == (
        "R-UP", "102", "乙县", 2025, "2025")
    assert (r["numerator"], r["denominator"]) == (960, 1000)
    assert (r["file_name"], r["sheet"], r["cells"], r["department"]) == (second.file, "Sheet1", "D3,E3", "卫生健康委")
    assert r["received_at"] == pd.Timestamp(T2) and r["submission_id"] == second.submission_id

    # as of T1 (before the revision) the figure came from the first file
    old = lineage(mini.con, "R-UP", "101", 2025, as_of=T1 + EPS)
    assert [(x.file_name, x.numerator, x.cells) for x in old.itertuples()] == [(first.file, 930, "D2,E2")]

    city = lineage(mini.con, "R-UP", "100", 2025)
    assert [(x.district_code, x.numerator, x.cells, x.file_name) for x in city.itertuples()] == [
        ("101", 970, "D2,E2", second.file), ("102", 960, "D3,E3", second.file), ("103", 850, "D4,E4", second.file)]


def test_lineage_of_a_register_is_one_row_per_community(mini):
    reg = mini.register("2025", {"甲1社区": "是", "甲2社区": "否", "甲3社区": "是", "甲4社区": "否", "乙1村": "是"},
                        T(2026, 1, 5))
    got = lineage(mini.con, "REG", "101", 2025)
    # communities are data rows 1..4 of the register: Excel rows 3..6, flag in column D
    assert [(x.community, bool(x.flag), x.cells) for x in got.itertuples()] == [
        ("甲1社区", True, "D3"), ("甲2社区", False, "D4"), ("甲3社区", True, "D5"), ("甲4社区", False, "D6")]
    assert set(got["file_name"]) == {reg.file} and set(got["department"]) == {"妇联"}
    assert set(got["street"]) == {"一街道"} and set(got["received_at"]) == {pd.Timestamp(T(2026, 1, 5))}
    city = lineage(mini.con, "REG", "100", 2025)
    assert [(x.district_code, x.community, x.cells) for x in city.itertuples()] == [
        ("101", "甲1社区", "D3"), ("101", "甲2社区", "D4"), ("101", "甲3社区", "D5"), ("101", "甲4社区", "D6"),
        ("102", "乙1村", "D7")]
    # the figure it explains: 甲区 2 of its 4 master-list communities -> 50 %
    v = district_values(mini.con, 2025).set_index(["indicator", "district_code"])
    assert v.loc[("REG", "101"), "value"] == pytest.approx(2 / 4 * 100)
    assert v.loc[("REG", "102"), "value"] == pytest.approx(1 / 3 * 100)


def test_lineage_of_yearly_additions_covers_every_year_so_far(mini):
    files = {y: mini.load([("C-ADD", "甲区", str(y), None, None, n)], T(2026, 1, y - 2020), department="妇联")
             for y, n in ((2023, 3), (2024, 4), (2025, 5))}
    run = {y: mini.load([("C-RUN", "甲区", str(y), None, None, n)], T(2026, 2, y - 2020), department="妇联")
           for y, n in ((2024, 6), (2025, 9))}
    got = lineage(mini.con, "C-ADD", "101", 2025)
    # only the 数值 cell is filled: column F of data row 1 = F2
    assert [(x.year, x.value, x.cells, x.file_name) for x in got.itertuples()] == [
        (2023, 3, "F2", files[2023].file), (2024, 4, "F2", files[2024].file), (2025, 5, "F2", files[2025].file)]
    assert list(lineage(mini.con, "C-ADD", "101", 2024)["year"]) == [2023, 2024]
    # the 2025 figure is 3 + 4 + 5 = 12
    v = district_values(mini.con, 2025).set_index(["indicator", "district_code"])
    assert v.loc[("C-ADD", "101"), "value"] == 3 + 4 + 5
    # a running total is its own year's row only
    assert [(x.year, x.value, x.file_name) for x in lineage(mini.con, "C-RUN", "101", 2025).itertuples()] == [
        (2025, 9, run[2025].file)]
    assert v.loc[("C-RUN", "101"), "value"] == 9


# ==================================================================== 4. quality checks
def test_value_jumps_and_denominator_shifts(mini):
    cfg = config.settings()
    mini.load([("R-UP", "甲区", "2024", 500, 1000, None), ("R-UP", "乙县", "2024", 500, 1000, None),
               ("R-UP", "丙县", "2024", 5, 10, None),
               ("R-DN", "甲区", "2024-12", 5, 1000, None), ("R-DN", "乙县", "2024-12", 5, 1000, None)], T(2025, 1, 20))
    mini.load([("R-UP", "甲区", "2025", 750, 1000, None), ("R-UP", "乙县", "2025", 812, 1250, None),
               ("R-UP", "丙县", "2025", 8, 15, None),
               ("R-DN", "甲区", "2025-12", 6, 1150, None), ("R-DN", "乙县", "2025-12", 30, 1000, None)], T(2026, 1, 20))
    # (indicator, district): (previous value, value, previous denominator, denominator), values in the unit
    cases = {("R-UP", "101"): (500 / 1000 * 100, 750 / 1000 * 100, 1000, 1000),    # 50 -> 75 %: +25 points
             ("R-UP", "102"): (500 / 1000 * 100, 812 / 1250 * 100, 1000, 1250),    # 50 -> 64.96 %: +14.96; den +25 %
             ("R-UP", "103"): (5 / 10 * 100, 8 / 15 * 100, 10, 15),                # 50 -> 53.3 %; den +50 % but < 20
             ("R-DN", "101"): (5 / 1000 * 1000, 6 / 1150 * 1000, 1000, 1150),      # 5 -> 5.2 ‰; den +15 %
             ("R-DN", "102"): (5 / 1000 * 1000, 30 / 1000 * 1000, 1000, 1000)}     # 5 -> 30 ‰: +25 ‰ points
    assert (cfg.jump_points, cfg.denominator_jump, cfg.denominator_jump_min) == (20, 0.20, 20)
    want_jumps = {k for k, (p, v, _, _) in cases.items() if abs(v - p) > cfg.jump_points}
    assert want_jumps == {("R-UP", "101"), ("R-DN", "102")}
    jumps = value_jumps(mini.con)
    assert {(r.indicator, r.district_code) for r in jumps.itertuples()} == want_jumps
    assert set(jumps["year"]) == {2025}
    j = jumps.set_index(["indicator", "district_code"])
    assert (j.loc[("R-UP", "101"), "value_prev"], j.loc[("R-UP", "101"), "value"]) == pytest.approx((50, 75))
    assert j.loc[("R-DN", "102"), "unit"] == "‰" and j.loc[("R-DN", "102"), "value"] == pytest.approx(30)

    want_shifts = {k for k, (_, _, dp, d) in cases.items()
                   if max(dp, d) >= cfg.denominator_jump_min and abs(d / dp - 1) > cfg.denominator_jump}
    assert want_shifts == {("R-UP", "102")}
    shifts = denominator_shifts(mini.con)
    assert [(r.indicator, r.district_code, r.year, r.denominator_prev, r.denominator) for r in shifts.itertuples()] == [
        ("R-UP", "102", 2025, 1000, 1250)]
    # before the 2025 file there is nothing to compare
    assert value_jumps(mini.con, T(2025, 12, 31)).empty and denominator_shifts(mini.con, T(2025, 12, 31)).empty


def test_districts_above_the_reported_city_total(mini):
    first = mini.load([("R-UP", "甲区", "2025", 900, 1000, None), ("R-UP", "乙县", "2025", 900, 1000, None),
                       ("R-UP", "丙县", "2025", 900, 1000, None),
                       ("R-UP", "合计", "2025", 900 * 3, 1000 * 3, None)], T1)   # 合计 = the sum: accepted
    totals = mini.con.execute("SELECT submission_id, indicator_code, period, numerator, denominator, value, row_number "
                              "FROM reported_total").fetchall()
    assert totals == [(first.submission_id, "R-UP", "2025", 2700, 3000, None, 5)]   # 4th data row: Excel row 5
    assert mini.con.execute("SELECT count(*) FROM observation WHERE district_code NOT IN ('101', '102', '103')"
                            ).fetchall() == [(0,)]
    assert districts_above_city_total(mini.con).empty

    # revision without a 合计 row: 甲区 900 -> 950, so the districts sum 950 + 900 + 900 = 2750 > 2700
    mini.load([("R-UP", "甲区", "2025", 950, 1000, None), ("R-UP", "乙县", "2025", 900, 1000, None),
               ("R-UP", "丙县", "2025", 900, 1000, None)], T2)
    got = districts_above_city_total(mini.con)
    assert [(r.indicator, r.period, r.field, r.reported, r.summed) for r in got.itertuples()] == [
        ("R-UP", "2025", "numerator", 2700, 950 + 900 + 900)]   # denominators still 3000 = 3000
    assert districts_above_city_total(mini.con, T1 + EPS).empty   # as it stood before the revision


def test_coverage_above_full_is_refused_at_the_door(mini, tmp_path):
    mini.load([("R-UP", "甲区", "2025", 1000, 1000, None), ("R-UP", "乙县", "2025", 0, 1000, None),
               ("R-DN", "甲区", "2025-06", 100, 1000, None)], T1)   # 100 %, 0 % and 100 ‰ are all allowed
    assert coverage_above_full(mini.con).empty
    for code, period, name in (("R-UP", "2025", "up.xlsx"), ("R-DN", "2025-06", "dn.xlsx")):
        refused = receive_rows(mini, tmp_path, name, [(code, "丙县", period, 1001, 1000, None)], T2)
        assert refused.status == "rejected"
        assert [(p.rule, p.cell) for p in refused.errors] == [("numerator_gt_denominator", "D2")]
    assert mini.con.execute("SELECT count(*) FROM observation WHERE district_code = '103'").fetchall() == [(0,)]
    assert coverage_above_full(mini.con).empty
    # a figure the door never saw (an older warehouse, or edited by hand): found, of its year only
    mini.con.execute("UPDATE observation SET numerator = 1200 WHERE district_code = '101' AND indicator_code = 'R-UP'")
    found = coverage_above_full(mini.con)
    assert [(r.indicator, r.district_code, r.year, r.numerator, r.denominator) for r in found.itertuples()] == [
        ("R-UP", "101", 2025, 1200, 1000)] and found["value"].tolist() == pytest.approx([120])
    assert coverage_above_full(mini.con, year=2024).empty and len(coverage_above_full(mini.con, year=2025)) == 1


def test_quality_checks_of_one_year(mini):
    """The page's year is asked of the checks themselves: 2024's moves, not 2025's, and none for 2023."""
    mini.load([("R-UP", "甲区", "2023", 500, 1000, None)], T(2024, 1, 20))
    mini.load([("R-UP", "甲区", "2024", 750, 1000, None)], T(2025, 1, 20))
    mini.load([("R-UP", "甲区", "2025", 200, 2000, None)], T(2026, 1, 20))
    assert value_jumps(mini.con)["year"].tolist() == [2024, 2025]
    assert value_jumps(mini.con, year=2025)[["value_prev", "value"]].values.tolist() == [[75, 10]]
    assert value_jumps(mini.con, year=2023).empty
    assert denominator_shifts(mini.con, year=2025)["denominator"].tolist() == [2000]
    assert denominator_shifts(mini.con, year=2024).empty


# ==================================================================== 5. command line
def run_cli(*args):
    return subprocess.run([sys.executable, "-m", "metrics", *map(str, args)], cwd=ROOT, capture_output=True,
                          text=True, encoding="utf-8", timeout=60)


@pytest.fixture
def cli_db(mini):
    mini.load([("R-UP", "甲区", "2025", 900, 1000, None), ("R-UP", "乙县", "2025", 970, 1000, None),
               ("R-DN", "甲区", "2025-03", 5, 1000, None), ("R-DN", "乙县", "2025-03", 7, 1000, None)], T1)
    path = mini.con.execute("SELECT file FROM pragma_database_list WHERE name = current_database()").fetchall()[0][0]
    mini.con.close()   # one writer at a time: the CLI opens the file read-only
    return path


def test_cli_report_city_json_and_csv(cli_db):
    proc = run_cli("report", "--db", cli_db, "--year", 2025, "--level", "city", "--format", "json")
    assert proc.returncode == 0, proc.stderr
    rows = json.loads(proc.stdout)
    assert [r["indicator"] for r in rows] == ["R-UP", "R-DN", "C-ADD", "C-RUN", "C-YR", "REG", "YN"]
    assert all(list(r) == REPORT_FIELDS for r in rows)
    assert {(r["district_code"], r["district"], r["year"]) for r in rows} == {("100", "示例市", 2025)}
    assert all(r["status"] in ("已达标", "正常", "滞后", "严重滞后", "无数据") for r in rows)
    by = {r["indicator"]: r for r in rows}

    # R-UP city = (900 + 970) / (1000 + 1000) × 100 = 93.5 %; target 95 (市 before 国家)
    up = by["R-UP"]
    assert (up["numerator"], up["denominator"], up["unit"], up["target"]) == (1870, 2000, "%", 95)
    assert up["value"] == pytest.approx(93.5)
    assert up["attainment"] == pytest.approx(93.5 / 95)
    # expected: 80 at 2022-12-31 to 95 at 2025-12-31, read at the end of the figure's period (the year 2025)
    assert up["expected"] == pytest.approx(95)
    # 丙县 did not report: the city's figure covers 2 of 3 districts, so it has no gap and no status
    assert up["gap"] is None and up["status"] == "无数据"

    # R-DN city = (5 + 7) / 2000 × 1000 = 6 ‰; lower is better, target 5: not met, and 2 of 3 districts only
    dn = by["R-DN"]
    assert dn["value"] == pytest.approx(6.0) and dn["unit"] == "‰" and dn["target"] == 5
    assert dn["status"] == "无数据"
    for code in ("C-ADD", "C-RUN", "C-YR", "REG", "YN"):
        assert by[code]["status"] == "无数据" and by[code]["value"] is None

    proc = run_cli("report", "--db", cli_db, "--year", 2025, "--level", "city", "--format", "csv")
    assert proc.returncode == 0, proc.stderr
    table = list(csv.reader(io.StringIO(proc.stdout)))
    assert table[0] == REPORT_FIELDS and len(table) == 1 + 7
    assert {r[REPORT_FIELDS.index("district_code")] for r in table[1:]} == {"100"}


def test_cli_board_diff_and_missing_db(cli_db, tmp_path):
    proc = run_cli("board", "--db", cli_db, "--format", "json", "--as-of", "2026-02-01T00:00")
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    assert set(out) == {"board", "rates"}
    assert out["board"] and all(list(r) == BOARD_FIELDS for r in out["board"])
    assert out["rates"][-1]["department"] == "合计"

    proc = run_cli("diff", "--db", cli_db, "--from", (T1 - EPS).isoformat(), "--to", (T1 + EPS).isoformat(),
                   "--year", 2025, "--format", "json")
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    assert set(out) == {"submissions", "values", "problems", "status", "met", "rank"}
    # one file with four rows, all new
    assert len(out["submissions"]) == 1 and len(out["values"]) == 4
    assert {v["change"] for v in out["values"]} == {"new"}
    assert not out["submissions"][0]["revises"]
    # newly met (from 无数据): R-UP 乙县 97 % >= 95; R-DN 甲区 5/1000 × 1000 = 5 ‰ <= 5 (lower is better).
    # Not met: R-UP 甲区 90 %, city 93.5 %; R-DN 乙县 7 ‰, city 6 ‰. Nothing was ranked before: no rank moves.
    assert {(r["indicator"], r["district_code"]) for r in out["met"]} == {("R-UP", "102"), ("R-DN", "101")}
    assert out["rank"] == []

    # between two moments after the file: nothing changed
    proc = run_cli("diff", "--db", cli_db, "--from", (T1 + EPS).isoformat(), "--to", (T1 + 2 * EPS).isoformat(),
                   "--format", "json")
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout) == {k: [] for k in ("submissions", "values", "problems", "status", "met", "rank")}

    missing = tmp_path / "nowhere.duckdb"
    proc = run_cli("report", "--db", missing, "--format", "json")
    assert proc.returncode == 2 and "找不到数据库" in proc.stderr and proc.stdout == ""
    assert not missing.exists()
