"""Breakdowns (分组) by 性别, 年龄组 and 城乡: checked at the door, rolled up Σnum/Σden within each part.

Every expected figure is worked out by hand from the rows loaded in the test. The mini catalog's districts:
100 示例市 (the city), 101 甲区, 102 乙县, 103 丙县.
"""
from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest

from conftest import count_rows, mini_catalog_bytes, mini_warehouse, xlsx
from ingest.normalise import age_group, parse_part
from ingest.catalog import read_catalog
from ingest.normalise import INVALID
from ingest.pipeline import receive
from ingest.template import PARTS_SHEET, build_template
from metrics.breakdown import breakdown_values, part_choices

D = dt.datetime
CITY, JIA, YI = "100", "101", "102"
SPLIT = {"分组": {"R-UP": "性别、城乡", "C-YR": "年龄组", "REG": "城乡"},
         "年龄组": {"C-YR": "0-6岁、6-18岁"}}
HEADER = ["指标编码", "区县", "统计期", "性别", "年龄组", "城乡", "分子", "分母", "数值"]
# 甲区: 2 城镇 + 2 农村 communities; 乙县: 3 农村
COMMUNITIES = [("甲区", "一街道", "甲1社区", "101001001", "城镇"), ("甲区", "一街道", "甲2社区", "101001002", "城镇"),
               ("甲区", "一镇", "甲3村", "101001003", "农村"), ("甲区", "一镇", "甲4村", "101001004", "农村"),
               ("乙县", "二镇", "乙1村", "102001001", "农村"), ("乙县", "二镇", "乙2村", "102001002", "农村"),
               ("乙县", "二镇", "乙3村", "102001003", "农村")]


@pytest.fixture
def split(tmp_path):
    m = mini_warehouse(tmp_path, mini_catalog_bytes(indicator_columns=SPLIT, communities=COMMUNITIES))
    m.counter = iter(range(1, 1000))

    def send_bytes(data, when=D(2026, 1, 10), department=None):
        path = tmp_path / f"p{next(m.counter)}.xlsx"
        path.write_bytes(data)
        return receive(m.con, path, tmp_path / "archive", department=department, received_at=when)

    m.send_bytes = send_bytes
    m.send = lambda rows, when=D(2026, 1, 10), department="卫健委": send_bytes(
        xlsx([HEADER, *[list(r) for r in rows]]), when, department)
    yield m
    m.con.close()


def part(frame, district, dimension, name):
    rows = frame[(frame["district_code"] == district) & (frame["dimension"] == dimension) & (frame["part"] == name)]
    assert len(rows) == 1, frame
    return rows.iloc[0]


SEX_ROWS = [("R-UP", "甲区", "2025", None, None, None, 90, 100, None),
            ("R-UP", "甲区", "2025", "男", None, None, 42, 52, None),
            ("R-UP", "甲区", "2025", "女性", None, None, 48, 48, None),      # 女性 → 女
            ("R-UP", "乙县", "2025", None, None, None, 5, 10, None),
            ("R-UP", "乙县", "2025", "男", None, None, 1, 6, None),
            ("R-UP", "乙县", "2025", "女", None, None, 4, 4, None)]


def test_rate_parts_roll_up_pooled_within_each_part(split):
    result = split.send(SEX_ROWS)
    assert result.status == "accepted", result.problems
    frame = breakdown_values(split.con, 2025, "R-UP")
    assert part(frame, JIA, "性别", "男")["value"] == pytest.approx(42 / 52 * 100)
    assert part(frame, YI, "性别", "女")["value"] == pytest.approx(4 / 4 * 100)
    boys = part(frame, CITY, "性别", "男")
    assert (boys["numerator"], boys["denominator"]) == (42 + 1, 52 + 6)
    assert boys["value"] == pytest.approx((42 + 1) / (52 + 6) * 100)
    assert boys["value"] != pytest.approx((42 / 52 * 100 + 1 / 6 * 100) / 2)    # never a mean of rates
    girls = part(frame, CITY, "性别", "女")
    assert girls["value"] == pytest.approx((48 + 4) / (48 + 4) * 100)
    assert boys["gap_to_best"] == pytest.approx((43 / 58 - 1) * 100) and boys["best_part"] == "女"
    assert boys["districts_reported"] == 2
    # every district figure names the file and row it came from
    assert part(frame, JIA, "性别", "男")["row_number"] == 3
    assert part(frame, JIA, "性别", "男")["file_name"].endswith(".xlsx")
    # the totals are untouched: the parts are beside them, not in them
    assert count_rows(split.con, "observation") == 2


def test_parts_that_do_not_add_up_refuse_the_file(split):
    rows = [*SEX_ROWS[:2], ("R-UP", "甲区", "2025", "女", None, None, 47, 48, None)]
    result = split.send(rows)
    assert result.status == "rejected"
    [p] = [p for p in result.problems if p.rule == "breakdown_mismatch"]
    assert "甲区" in p.message and "性别" in p.message and "分子之和 89" in p.message and "总数 90" in p.message
    assert p.sheet == "Sheet1" and p.cell == "G3"
    assert count_rows(split.con, "observation_part") == 0 and count_rows(split.con, "observation") == 0


@pytest.mark.parametrize("row, rule, words", [
    (("R-UP", "甲区", "2025", None, "0-3岁", None, 1, 2, None), "breakdown_not_in_catalog", ("年龄组", "性别、城乡")),
    (("R-UP", "甲区", "2025", "男", None, "城镇", 1, 2, None), "breakdown_two_dimensions", ("性别、城乡",)),
    (("R-UP", "甲区", "2025", "未知", None, None, 1, 2, None), "breakdown_part_invalid", ("未知", "男、女")),
    (("R-UP", "合计", "2025", "男", None, None, 1, 2, None), "breakdown_on_total", ("合计行",)),
])
def test_wrong_breakdown_rows_are_refused_with_what_to_do(split, row, rule, words):
    result = split.send([SEX_ROWS[0], row])
    assert result.status == "rejected"
    [p] = [p for p in result.problems if p.rule == rule]
    assert all(w in p.message for w in words), p.message
    assert count_rows(split.con, "observation") == 0


def test_parts_without_their_total_are_refused(split):
    result = split.send(SEX_ROWS[1:3])
    assert result.status == "rejected"
    [p] = [p for p in result.problems if p.rule == "breakdown_without_total"]
    assert "甲区" in p.message and "总数" in p.message


def test_age_groups_are_the_catalogs_and_counts_add(split):
    rows = [("C-YR", "甲区", "2025-Q2", None, None, None, None, None, 12),
            ("C-YR", "甲区", "2025-Q2", None, "0～6岁", None, None, None, 5),
            ("C-YR", "甲区", "2025-Q2", None, "6至18岁", None, None, None, 7),
            ("C-YR", "乙县", "2025-Q2", None, None, None, None, None, 3),
            ("C-YR", "乙县", "2025-Q2", None, "6-18岁", None, None, None, 3),
            ("C-YR", "乙县", "2025-Q2", None, "0-6岁", None, None, None, 0)]
    assert split.send(rows, department="妇联").status == "accepted"
    frame = breakdown_values(split.con, 2025, "C-YR", level="city")
    assert list(frame["part"]) == ["0-6岁", "6-18岁"]
    assert list(frame["value"]) == [5 + 0, 7 + 3]
    # the plans' default groups do not apply where the catalog names its own
    refused = split.send([rows[0], ("C-YR", "甲区", "2025-Q2", None, "3-6岁", None, None, None, 12)],
                         department="妇联")
    assert any(p.rule == "breakdown_part_invalid" and "0-6岁、6-18岁" in p.message for p in refused.problems)


def test_register_by_urban_rural_from_the_master_list(split):
    flags = {"甲1社区": "是", "甲2社区": "否", "甲3村": "是", "甲4村": "否", "乙1村": "是", "乙2村": "否", "乙3村": "否"}
    by_name = {c[2]: c for c in COMMUNITIES}
    table = [["统计期", "2025"], ["区县", "街道(乡镇)", "社区名称", "是否开展创建"],
             *[[by_name[n][0], by_name[n][1], n, f] for n, f in flags.items()]]
    result = split.send_bytes(xlsx(table), department="妇联")
    assert result.status == "accepted", result.problems
    frame = breakdown_values(split.con, 2025, "REG", dimension="城乡")
    # 甲区: 城镇 1 of 2, 乡村 (农村 in the list) 1 of 2; 乙县: 乡村 1 of 3, no 城镇 units
    assert part(frame, JIA, "城乡", "城镇")["value"] == pytest.approx(50)
    assert part(frame, YI, "城乡", "乡村")["value"] == pytest.approx(100 / 3)
    city_rural = part(frame, CITY, "城乡", "乡村")
    assert (city_rural["numerator"], city_rural["denominator"]) == (1 + 1, 2 + 3)
    assert city_rural["gap_to_best"] == pytest.approx((2 / 5 - 1 / 2) * 100)


def test_parts_follow_their_total_when_a_later_file_revises_it(split):
    split.send(SEX_ROWS, when=D(2026, 1, 10))
    split.send([("R-UP", "甲区", "2025", None, None, None, 91, 100, None)], when=D(2026, 1, 20))
    frame = breakdown_values(split.con, 2025, "R-UP")
    assert JIA not in set(frame["district_code"])            # 甲区's current total came without parts
    before = breakdown_values(split.con, 2025, "R-UP", as_of=D(2026, 1, 15))
    assert part(before, JIA, "性别", "男")["numerator"] == 42


def test_template_has_a_parts_sheet_that_reads_back(split):
    data = build_template(split.catalog, "WJW", "2025")
    wb = openpyxl.load_workbook(io.BytesIO(data))
    ws = wb[PARTS_SHEET]
    rows = list(ws.iter_rows(min_row=6, values_only=True))
    # R-UP: 3 districts × (男, 女, 城镇, 乡村)
    assert len(rows) == 3 * 4 and rows[0][:3] == ("R-UP", "甲区", "男")
    main = wb["填报表"]
    for r, (num, den) in zip(range(7, 10), ((90, 100), (5, 10), (7, 7))):
        main[f"C{r}"], main[f"D{r}"] = num, den
    parts = {("甲区", "男"): (42, 52), ("甲区", "女"): (48, 48), ("甲区", "城镇"): (60, 70), ("甲区", "乡村"): (30, 30)}
    for k, row in enumerate(rows, start=6):
        key = (row[1], row[2] or row[4])
        if key in parts:
            ws[f"F{k}"], ws[f"G{k}"] = parts[key]
    buffer = io.BytesIO()
    wb.save(buffer)
    result = split.send_bytes(buffer.getvalue())
    assert result.status == "accepted", result.problems
    frame = breakdown_values(split.con, 2025, "R-UP", level="district")
    assert part(frame, JIA, "城乡", "乡村")["value"] == pytest.approx(100.0)
    assert part(frame, JIA, "城乡", "城镇")["value"] == pytest.approx(60 / 70 * 100)
    assert set(frame["district_code"]) == {JIA}


def test_catalog_breakdown_words_are_checked():
    bad = mini_catalog_bytes(indicator_columns={"分组": {"R-UP": "性别、民族", "YN": "城乡"}})
    catalog, problems = read_catalog(bad, "bad.xlsx")
    assert catalog is None
    words = " ".join(p.message for p in problems)
    assert "民族" in words and "城乡" in words and "分组" in words


def test_part_words():
    assert parse_part("城乡", "农村") == "乡村" and parse_part("性别", "女童") == "女"
    assert parse_part("年龄组", "0—3岁") == "0-3岁" and parse_part("性别", "") is None
    assert parse_part("城乡", "郊区") is INVALID and age_group("12～18") == "12-18岁"


def test_part_choices_follow_the_catalog(split):
    assert part_choices(split.con, "R-UP") == [("性别", "男"), ("性别", "女"), ("城乡", "城镇"), ("城乡", "乡村")]
    assert part_choices(split.con, "YN") == []


# --------------------------------------------------------------- the pages, on the demo
def test_indicator_page_shows_the_parts_beside_the_total(app, demo_con):
    app.switch_page("pages/indicator.py").run()
    app.selectbox(key="indicator_code").select("PS-08").run()
    assert not app.exception
    year = int(next(h.value for h in app.subheader if h.value.startswith("分组情况"))[5:9])
    expected = breakdown_values(demo_con, year, "PS-08", level="city")
    rural, town = part(expected, "371400", "城乡", "乡村"), part(expected, "371400", "城乡", "城镇")
    assert town["value"] - rural["value"] > 3          # the demo's visible rural gap
    heads = [h.value for h in app.subheader]
    assert any(h.startswith("分组情况") for h in heads), heads
    gap = f"城乡：乡村比城镇低 {town['value'] - rural['value']:.1f} 个百分点"
    shown = [m.value.replace("\\", "") for m in app.markdown]     # Markdown escapes taken off
    assert any(gap in m and "性别：各分组持平" in m for m in shown), shown
    table = next(d.value for d in app.dataframe if "分组" in d.value.columns)
    assert list(table["分组"]) == ["男", "女", "城镇", "乡村"]
    assert table.loc[table["分组"] == "乡村", "分子"].iloc[0] == f"{rural['numerator']:,.0f}"


def test_districts_page_ranks_districts_on_one_part(app):
    app.switch_page("pages/districts.py").run()
    assert not app.exception
    app.selectbox(key="parts_indicator").select("GS-01").run()
    app.selectbox(key="parts_part").select(("城乡", "乡村")).run()
    assert not app.exception
    assert any(h.value == "分组对比" for h in app.subheader)
    assert not any("还没有该指标的分组数据" in c.value for c in app.caption)


def test_report_by_part_on_the_command_line(split, tmp_path, capsys):
    import csv

    from metrics.__main__ import main
    assert split.send(SEX_ROWS).status == "accepted"
    split.con.close()
    assert main(["report", "--by", "性别", "--year", "2025", "--level", "city", "--db", str(tmp_path / "mini.duckdb"),
                 "--format", "csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert [(r["district"], r["part"]) for r in rows] == [("示例市", "男"), ("示例市", "女")]
    assert float(rows[0]["value"]) == pytest.approx((42 + 1) / (52 + 6) * 100)
    with pytest.raises(SystemExit) as stop:
        main(["report", "--by", "民族", "--db", str(tmp_path / "mini.duckdb")])
    assert stop.value.code == 2 and "用法错误" in capsys.readouterr().err
