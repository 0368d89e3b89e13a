"""Normalisation and every validation rule, each on a small workbook built here."""
from __future__ import annotations

import io
import re
import zipfile

import pytest

from conftest import long_rows, xlsx
from ingest.normalise import INVALID, parse_number, parse_period, parse_year, parse_yesno
from ingest.pipeline import examine

CJK = re.compile(r"[\u4e00-\u9fff]")


def run(catalog, data: bytes, name="t.xlsx", department="卫健委"):
    v, _, shape = examine(data, name, catalog, department=department)
    return v, shape


def rules(v) -> dict[str, list]:
    out: dict[str, list] = {}
    for p in v.problems:
        out.setdefault(p.rule, []).append(p)
    return out


def only(v, rule):
    found = rules(v).get(rule, [])
    assert len(found) == 1, f"expected one {rule}, got {[(p.rule, p.cell, p.message) for p in v.problems]}"
    p = found[0]
    assert CJK.search(p.message) and p.file == "t.xlsx"
    return p


# ------------------------------------------------------------------ normalise
@pytest.mark.parametrize("raw, expected", [
    (1234, 1234.0), ("1,234", 1234.0), ("１２３４", 1234.0), ("1，234.5", 1234.5), ("95%", 95.0),
    (" 12.5 ", 12.5), ("—", None), ("/", None), ("", None), (None, None), ("－", None),
])
def test_parse_number(raw, expected):
    assert parse_number(raw) == expected


@pytest.mark.parametrize("raw", ["约九成", "12a", True, "1.2.3"])
def test_parse_number_invalid(raw):
    assert parse_number(raw) is INVALID


@pytest.mark.parametrize("raw, expected", [
    ("2024", "2024"), ("2024年", "2024"), (2024.0, "2024"), ("2024-3", "2024-03"), ("2024年3月", "2024-03"),
    ("2024.03", "2024-03"), ("2024Q1", "2024-Q1"), ("2024年第一季度", "2024-Q1"), ("２０２４－Ｑ２", "2024-Q2"),
    ("2024年三季度", "2024-Q3"),
])
def test_parse_period(raw, expected):
    assert parse_period(raw) == expected


@pytest.mark.parametrize("raw", ["2024-13", "24年", "本年度", "2024Q5"])
def test_parse_period_invalid(raw):
    assert parse_period(raw) is INVALID


def test_parse_year_and_yesno():
    assert parse_year("２０２５年") == 2025
    assert parse_year("明年") is INVALID
    assert [parse_yesno(x) for x in ("是", "否", "√", "Y", 1, 0, "")] == [True, False, True, True, True, False, None]
    assert parse_yesno("也许") is INVALID


def test_long_format_normalisation(catalog):
    """Merged title rows, header on row 3 with spaces and full-width letters, aliases, 合计 and blanks."""
    data = xlsx([
        ["德州市儿童健康数据（2025年）"],
        ["填报单位：", "市卫健委"],
        ["指标 编码", "区 县", "年度", "分子", "分母", "Ｎｏｔｅ"],
        ["ＰＳ－０８", " 德城 ", "2025年", "１２,３４５", "13，000", "全角"],
        ["PS-08", "德州市陵城区", 2025, 900, 1000, None],
        ["PS-08", "371422", 2025, "—", "/", None],
        ["PS-08", "合计", 2025, 13245, 14000, None],
    ], merge=["A1:F1"])
    v, shape = run(catalog, data, department=None)
    assert shape == "long" and v.department_code == "WJW"
    assert not v.problems, v.problems
    got = {(o["district_code"], o["numerator"], o["denominator"], o["numerator_cell"]) for o in v.observations}
    assert got == {("371402", 12345.0, 13000.0, "D4"), ("371403", 900.0, 1000.0, "D5")}
    assert v.observations[0]["note"] == "全角"


def test_english_headers_and_period_column(catalog):
    data = xlsx(long_rows(["PS-10", "Decheng", "2025", "2025-03", 3, 1000],
                          header=("indicator", "district", "year", "period", "numerator", "denominator")))
    v, _ = run(catalog, data)
    assert rules(v).keys() == {"unknown_district"}  # English district names are not aliases
    data = xlsx(long_rows(["PS-10", "德城区", "2025", "2025-03", 3, 1000],
                          header=("indicator", "district", "year", "period", "numerator", "denominator")))
    v, _ = run(catalog, data)
    assert not v.problems and v.observations[0]["period"] == "2025-03"


def test_csv_gbk(catalog):
    text = "指标编码,区县,年度,数值\nPS-12,德城区,2025,3\nPS-12,齐河,2025,2\n"
    v, shape = run(catalog, text.encode("gbk"), name="t.csv")
    assert shape == "long" and sorted(o["value"] for o in v.observations) == [2.0, 3.0]


def test_hidden_row_is_skipped_with_a_warning(catalog):
    data = xlsx(long_rows(["PS-12", "德城区", 2025, None, None, 3], ["PS-12", "陵城区", 2025, None, None, 4]),
                hidden_rows=[3])
    v, _ = run(catalog, data)
    p = only(v, "hidden_row")
    assert p.severity == "warning" and p.cell == "A3" and "第 3 行" in p.message
    assert [o["district_code"] for o in v.observations] == ["371402"]
    assert not v.has_errors()


def test_formula_cached_value_is_read(catalog):
    data = xlsx(long_rows(["PS-12", "德城区", 2025, None, None, "=1+2"]))
    # openpyxl writes no cached value; give the formula one, as Excel would.
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as dst:
        for item in src.infolist():
            body = src.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                body = body.replace(b"<f>1+2</f><v></v>", b"<f>1+2</f><v>3</v>").replace(b"<f>1+2</f><v />", b"<f>1+2</f><v>3</v>")
                assert b"<v>3</v>" in body
            dst.writestr(item, body)
    v, _ = run(catalog, out.getvalue())
    assert [o["value"] for o in v.observations] == [3.0]


def test_total_row_checked_not_loaded(catalog):
    ok = xlsx(long_rows(["PS-12", "德城区", 2025, None, None, 3], ["PS-12", "陵城区", 2025, None, None, 4],
                        ["PS-12", "合计", 2025, None, None, 7]))
    v, _ = run(catalog, ok)
    assert not v.problems and len(v.observations) == 2
    bad = xlsx(long_rows(["PS-12", "德城区", 2025, None, None, 3], ["PS-12", "陵城区", 2025, None, None, 4],
                         ["PS-12", "总计", 2025, None, None, 9]))
    v, _ = run(catalog, bad)
    p = only(v, "total_mismatch")
    assert p.cell == "F4" and "9" in p.message and "7" in p.message and "相差 2" in p.message


# ---------------------------------------------------------------- cell rules
@pytest.mark.parametrize("row, rule, cell, shown", [
    (["ZZ-01", "德城区", 2025, 1, 2, None], "unknown_indicator", "A2", "ZZ-01"),
    (["PS-08", "德州新区", 2025, 1, 2, None], "unknown_district", "B2", "德州新区"),
    (["PS-08", "德城区", 2025, "约九成", 2, None], "not_number", "D2", "约九成"),
    (["PS-08", "德城区", 2025, -1, 2, None], "negative", "D2", "-1"),
    (["PS-08", "德城区", 2025, 30, 20, None], "numerator_gt_denominator", "D2", "30"),
    (["PS-04", "德城区", 2025, 60, 1000, None], "rate_out_of_bounds", "D2", "60"),
    (["PS-08", "德城区", 2019, 1, 2, None], "year_out_of_range", "C2", "2019"),
    (["PS-08", "德城区", 2025, 5, None, None], "half_rate", "E2", "分母"),
    (["PS-08", "德城区", 2025, None, None, 93.5], "rate_needs_parts", "F2", "93.5"),
    (["PS-12", "德城区", 2025, None, None, 2.5], "not_integer", "F2", "2.5"),
    (["PS-12", "德城区", 2025, 1, 2, None], "count_needs_value", "D2", "数值"),
    (["GS-01", "德城区", 2025, None, None, 5], "register_in_table", "A2", "台账"),
    (["PS-10", "德城区", "2025年第二季度", 1, 100, None], "not_number", "C2", "2025年第二季度"),
])
def test_cell_rules(catalog, row, rule, cell, shown):
    v, _ = run(catalog, xlsx(long_rows(row)))
    p = only(v, rule)
    assert p.severity == "error" and p.cell == cell and p.sheet == "Sheet1"
    assert shown in p.message
    assert not v.observations


def test_rate_bounds_use_the_scale(catalog):
    """PS-04 is per 1,000 people: 30 places per 1,000 people is fine, 60 is not (bound 50)."""
    v, _ = run(catalog, xlsx(long_rows(["PS-04", "德城区", 2025, 30, 1000, None])))
    assert not v.problems
    # 毛入园率 (gross enrolment) may exceed 100%: numerator above denominator is allowed there.
    v, _ = run(catalog, xlsx(long_rows(["PS-01", "德城区", 2025, 105, 100, None])), department="教育局")
    assert not v.problems


def test_period_rules(catalog):
    data = xlsx(long_rows(["PS-10", "德城区", 2025, "2025-13", 1, 100],
                          header=("指标编码", "区县", "年度", "统计期", "分子", "分母")))
    assert only(run(catalog, data)[0], "period_invalid").cell == "D2"
    data = xlsx(long_rows(["PS-10", "德城区", 2024, "2025-03", 1, 100],
                          header=("指标编码", "区县", "年度", "统计期", "分子", "分母")))
    assert only(run(catalog, data)[0], "period_year_mismatch").cell == "D2"
    data = xlsx(long_rows(["PS-10", "德城区", 2025, "2025-Q1", 1, 100],
                          header=("指标编码", "区县", "年度", "统计期", "分子", "分母")))
    p = only(run(catalog, data)[0], "period_frequency")
    assert "月度" in p.message and "2025-09" in p.message


def test_duplicate_rows(catalog):
    v, _ = run(catalog, xlsx(long_rows(["PS-12", "德城区", 2025, None, None, 1],
                                       ["PS-12", "德城", 2025, None, None, 2])))
    p = only(v, "duplicate_row")
    assert p.cell == "B3" and "第 2 行" in p.message


def test_yesno(catalog):
    v, _ = run(catalog, xlsx(long_rows(["SP-03", "德城区", 2025, None, None, "是"],
                                       ["SP-03", "陵城区", 2025, None, None, "否"],
                                       ["SP-03", "宁津县", 2025, None, None, "大概"])), department="团市委")
    assert only(v, "yesno_invalid").cell == "F4"
    assert [o["value"] for o in v.observations] == [1.0, 0.0]


def test_all_problems_are_collected(catalog):
    data = xlsx(long_rows(["ZZ-01", "德城区", 2025, 1, 2, None],
                          ["PS-08", "火星区", 2025, 1, 2, None],
                          ["PS-08", "陵城区", 2025, "x", 2, None],
                          ["PS-08", "宁津县", 2025, 3, 2, None]))
    v, _ = run(catalog, data)
    assert {p.rule for p in v.problems} == {"unknown_indicator", "unknown_district", "not_number",
                                           "numerator_gt_denominator"}
    assert {p.cell for p in v.problems} == {"A2", "B3", "D4", "D5"}


def test_department_rules(catalog):
    data = xlsx(long_rows(["PS-12", "德城区", 2025, None, None, 1]))
    assert only(run(catalog, data, department=None)[0], "department_missing")
    data = xlsx([["填报单位", "市气象局"], *long_rows(["PS-12", "德城区", 2025, None, None, 1])])
    p = only(run(catalog, data, department=None)[0], "department_unknown")
    assert p.cell == "B1" and "市气象局" in p.message


def test_not_owned_is_a_warning(catalog):
    v, _ = run(catalog, xlsx(long_rows(["PS-12", "德城区", 2025, None, None, 1])), department="公安局")
    p = only(v, "not_owned")
    assert p.severity == "warning" and "卫生健康委" in p.message and "公安局" in p.message
    assert not v.has_errors() and len(v.observations) == 1
    # a co-department may report without a warning: 教育局 co-owns PS-08
    v, _ = run(catalog, xlsx(long_rows(["PS-08", "德城区", 2025, 1, 2, None])), department="教育局")
    assert not v.problems


def test_header_not_found_and_value_columns(catalog):
    v, shape = run(catalog, xlsx([["随便写的表"], ["a", "b"], [1, 2]]))
    assert shape is None and only(v, "header_not_found")
    v, _ = run(catalog, xlsx([["指标编码", "区县", "年度", "金额"], ["PS-12", "德城区", 2025, 1]]))
    assert only(v, "value_columns_missing").cell == "A1"


def test_empty_file_of_values(catalog):
    v, _ = run(catalog, xlsx(long_rows(["PS-12", "德城区", 2025, None, None, "—"])))
    assert only(v, "no_rows")


# ------------------------------------------------------------------ register
REGISTER_HEADER = ("区县", "街道(乡镇)", "社区名称", "是否开展创建", "创建时间", "评定等级")


def _units(catalog, n=3, district="371402"):
    return [u for u in catalog.communities.values() if u.district_code == district][:n]


def test_register_matches_master_list(catalog):
    a, b, c = _units(catalog)
    data = xlsx([["统计期", "2025"], list(REGISTER_HEADER),
                 ["德城区", a.street, a.name, "是", "2024-05-01", "市级"],
                 ["德城", b.street, " " + b.name, "否", None, None],
                 ["德城区", c.street, "不存在社区", "是", None, None]])
    v, shape = run(catalog, data, department="妇联")
    assert shape == "register"
    p = only(v, "unit_not_in_master")
    assert p.cell == "C5" and "不存在社区" in p.message and "德城区" in p.message
    assert [(u["community_code"], u["flag"], u["flag_cell"]) for u in v.units] == [(a.code, True, "D3"),
                                                                                    (b.code, False, "D4")]
    assert v.units[0]["indicator_code"] == "GS-01" and v.units[0]["started_on"] == "2024-05-01"


def test_register_duplicate_unit(catalog):
    a, = _units(catalog, 1)
    data = xlsx([["统计期", "2025"], list(REGISTER_HEADER),
                 ["德城区", a.street, a.name, "是", None, None],
                 ["德城区", a.street, a.name, "否", None, None]])
    p = only(run(catalog, data, department="妇联")[0], "register_duplicate_unit")
    assert p.cell == "C4" and "第 3 行" in p.message


def test_legacy_xls_is_read(catalog):
    """An .xls (BIFF8) workbook from an older Excel or WPS is accepted like an .xlsx."""
    import xlwt
    book = xlwt.Workbook()
    sheet = book.add_sheet("数据")
    for r, row in enumerate(long_rows(["PS-12", "德城区", 2025, None, None, 3], ["PS-12", "齐河", 2025, None, None, 5])):
        for c, value in enumerate(row):
            if value is not None:
                sheet.write(r, c, value)
    buffer = io.BytesIO()
    book.save(buffer)
    v, shape = run(catalog, buffer.getvalue(), name="t.xls")
    assert shape == "long" and not v.problems
    assert {(o["district_code"], o["value"], o["value_cell"]) for o in v.observations} == {
        ("371402", 3.0, "F2"), ("371425", 5.0, "F3")}


# -------------------------------------------------------------- task updates
TASK_HEADER = ["任务编码", "状态", "更新日期", "佐证材料", "备注"]


def test_task_update_rules(catalog):
    data = xlsx([TASK_HEADER, ["T-01", "已完成", "2025-06-20", "德卫发〔2025〕12号", None],
                 ["T-99", "推进中", None, None, None], ["T-04", "逾期", None, None, None],
                 ["T-05", "差不多", "昨天", None, None]])
    v, shape = run(catalog, data)
    assert shape == "task"
    found = {(p.rule, p.cell) for p in v.problems}
    assert found == {("unknown_task", "A3"), ("task_state_overdue", "B4"), ("task_state_invalid", "B5"),
                     ("not_date", "C5")}
    assert [u["task_code"] for u in v.task_updates] == ["T-01"]
    assert "系统按完成时限自动判断" in next(p.message for p in v.problems if p.rule == "task_state_overdue")


def test_task_update_by_another_department_is_a_warning(catalog):
    v, _ = run(catalog, xlsx([TASK_HEADER, ["T-02", "推进中", None, None, None]]), department="卫健委")
    [p] = v.problems
    assert p.rule == "task_not_owned" and p.severity == "warning" and "团市委" in p.message
    assert v.task_updates[0]["state"] == "推进中"


def test_year_column_beside_a_quarterly_period_keeps_the_quarter(catalog):
    data = xlsx([["统计期", "2025-Q3"], ["指标编码", "区县", "年度", "分子", "分母"], ["PS-02", "德城区", 2025, 50, 100]])
    v, _ = run(catalog, data)
    assert not v.problems and v.observations[0]["period"] == "2025-Q3"
    data = xlsx([["统计期", "2025-Q3"], ["指标编码", "区县", "年度", "分子", "分母"], ["PS-02", "德城区", 2024, 50, 100]])
    assert only(run(catalog, data)[0], "period_year_mismatch").cell == "C3"


def test_labels_and_codes_typed_oddly(catalog):
    # "统计期间" is the label, not "统计期" followed by "间"; a district code typed as a number
    data = xlsx([["统计期间：2025-Q3"], ["指标编码", "区县", "分子", "分母"], ["PS-02", 371402, 50, 100]])
    v, _ = run(catalog, data)
    assert not v.problems and (v.observations[0]["period"], v.observations[0]["district_code"]) == ("2025-Q3", "371402")
    # "无" in a 是/否 column is 否, not a blank
    v, _ = run(catalog, xlsx(long_rows(["SP-03", "德城区", 2025, None, None, "无"])), department="团市委")
    assert [o["value"] for o in v.observations] == [0.0]


def test_template_row_whose_name_disagrees_with_its_code(catalog):
    import openpyxl
    from ingest.template import DATA_SHEET, build_template
    wb = openpyxl.load_workbook(io.BytesIO(build_template(catalog, "WJW", "2025-Q3")))
    ws = wb[DATA_SHEET]
    ws["B7"], ws["C7"], ws["D7"] = "陵城区", 10, 100  # the user pasted rows in another order over the names
    buffer = io.BytesIO()
    wb.save(buffer)
    v, _ = run(catalog, buffer.getvalue())
    p = only(v, "district_mismatch")
    assert p.cell == "B7" and "371402" in p.message and "德城区" in p.message and not v.observations


def test_each_sheet_keeps_its_own_period(catalog):
    data = xlsx([["统计期", "2025-Q2"], ["指标编码", "区县", "分子", "分母"], ["PS-08", "德城区", 90, 100]],
                sheet="二季度", extra={"三季度": [["统计期", "2025-Q3"], ["指标编码", "区县", "分子", "分母"],
                                              ["PS-08", "德城区", 93, 100]]})
    v, _ = run(catalog, data)
    assert not v.problems
    assert sorted((o["sheet"], o["period"], o["numerator"]) for o in v.observations) == [
        ("三季度", "2025-Q3", 93.0), ("二季度", "2025-Q2", 90.0)]
