"""The indicator catalog: the real workbook, every rule of read_catalog, loading into DuckDB, and the CLI.

Rule tests start from the real data/catalog.xlsx, change one cell or sheet with
openpyxl, and check that the catalog is refused with a located Chinese message.
"""
from __future__ import annotations

import io
import os
import re
import subprocess
import sys

import duckdb
import openpyxl
import pytest

from conftest import ROOT
from ingest.catalog import AREAS, Catalog, load_catalog, read_catalog
from warehouse.db import connect
from ingest.problems import RULES

CJK = re.compile(r"[\u4e00-\u9fff]")


# ------------------------------------------------------------------ helpers
@pytest.fixture(scope="session")
def mutate(catalog_bytes):
    """mutate(fn) -> bytes: the real catalog workbook after fn(workbook)."""
    def _mutate(fn) -> bytes:
        wb = openpyxl.load_workbook(io.BytesIO(catalog_bytes))
        fn(wb)
        out = io.BytesIO()
        wb.save(out)
        return out.getvalue()
    return _mutate


def set_cells(**sheets):
    """set_cells(指标={"B2": "x"}) -> a mutation setting those cells."""
    def fn(wb):
        for sheet, cells in sheets.items():
            for ref, value in cells.items():
                wb[sheet][ref] = value
    return fn


def refused(data: bytes):
    """Read a catalog that must be refused; return its problems."""
    cat, problems = read_catalog(data, "bad.xlsx")
    assert cat is None, "a catalog with errors must not be returned"
    assert problems, "a refused catalog must say why"
    assert any(p.severity == "error" for p in problems)
    for p in problems:
        assert CJK.search(p.message), p.message
        assert p.file == "bad.xlsx"
    return problems


def one(problems, rule, sheet=None, cell=None):
    found = [p for p in problems if p.rule == rule and (sheet is None or p.sheet == sheet)
             and (cell is None or p.cell == cell)]
    assert found, f"no {rule} at {sheet}!{cell} in {[(p.rule, p.sheet, p.cell) for p in problems]}"
    return found[0]


def count_rows(con, table: str) -> int:
    """Row count, reading the result to the end (duckdb 2 refuses relation work after a half-read result)."""
    return con.execute("SELECT count(*) FROM " + table).fetchall()[0][0]


def targets_of(cat: Catalog, code: str) -> dict[tuple[int, str], float]:
    return {(t.year, t.level): t.value for t in cat.targets if t.indicator_code == code}


# ------------------------------------------------------------- real catalog
def test_real_catalog_reads_without_problems(catalog_bytes):
    cat, problems = read_catalog(catalog_bytes)
    assert problems == []
    assert cat is not None
    assert len(cat.indicators) >= 35
    assert {i.area for i in cat.indicators.values()} == set(AREAS)


def test_real_catalog_indicator_kinds(catalog):
    ind = catalog.indicators
    assert ind["GS-01"].kind == "register"
    assert (ind["GS-02"].kind, ind["GS-02"].accumulation) == ("count", "cumulative")
    assert (ind["GS-06"].kind, ind["GS-06"].accumulation) == ("count", "cumulative")
    assert (ind["PS-08"].kind, ind["PS-08"].scale) == ("rate", 100)
    assert (ind["PS-10"].kind, ind["PS-10"].scale, ind["PS-10"].direction) == ("rate", 1000, "lower")
    assert (ind["RP-06"].kind, ind["RP-06"].accumulation) == ("count", "cumulative")
    assert (ind["DE-01"].kind, ind["DE-01"].accumulation) == ("count", "annual")
    # sort order follows the sheet, and each indicator remembers its row
    assert ind["SP-01"].sort_order == 0 and ind["SP-01"].catalog_row == 2
    # rates without an explicit upper bound get their scale as the bound
    assert ind["PS-08"].upper_bound == 100 and ind["PS-10"].upper_bound == 100
    assert ind["PS-01"].upper_bound == 150


def test_real_catalog_targets(catalog):
    gs01 = targets_of(catalog, "GS-01")
    assert gs01[(2024, "市")] == 30 and gs01[(2025, "市")] == 50 and gs01[(2030, "市")] == 100
    assert targets_of(catalog, "GS-02")[(2024, "市")] == 20
    assert targets_of(catalog, "GS-06")[(2025, "市")] >= 10
    ps08 = targets_of(catalog, "PS-08")
    assert ps08[(2025, "市")] == 95 and ps08[(2025, "国家")] == 90
    assert targets_of(catalog, "PS-02")[(2025, "市")] == 30
    assert targets_of(catalog, "PS-03")[(2025, "市")] == 100
    assert targets_of(catalog, "PS-10")[(2025, "市")] == pytest.approx(5.2)
    rp01 = targets_of(catalog, "RP-01")
    assert all(rp01[(y, "市")] == 100 for y in range(2023, 2027))
    assert targets_of(catalog, "RP-02")[(2025, "市")] == 100
    assert targets_of(catalog, "RP-04")[(2025, "市")] == 100
    rp06 = targets_of(catalog, "RP-06")
    assert rp06[(2023, "市")] == 200 and rp06[(2025, "市")] == 500
    de01 = targets_of(catalog, "DE-01")
    assert all(de01[(y, "市")] == 500 for y in range(2023, 2027))
    assert all(t.indicator_code in catalog.indicators for t in catalog.targets)


@pytest.mark.parametrize("name", ["卫生健康委", "卫健委", "教育局", "民政局", "妇联", "住建局", "发改委", "团市委",
                                  "文旅局", "自然资源和规划局", "公安局", "残联"])
def test_real_catalog_departments_resolve(catalog, name):
    code = catalog.department_code(name)
    assert code is not None and code in catalog.departments


def test_department_aliases_point_to_the_same_code(catalog):
    assert catalog.department_code("卫健委") == catalog.department_code("卫生健康委") == "WJW"
    assert catalog.department_code("市教育局") == catalog.department_code("教育局")
    assert catalog.department_code("德州市民政局") == catalog.department_code("民政局")
    assert catalog.department_code("财政厅") is None


DEZHOU = {"371402", "371403", "371422", "371423", "371424", "371425", "371426", "371427", "371428",
          "371481", "371482", "371471", "371472"}


def test_real_catalog_districts(catalog):
    assert set(catalog.districts) == DEZHOU | {"371400"}
    roots = [d.code for d in catalog.districts.values() if not d.parent_code]
    assert roots == ["371400"]
    assert catalog.city is not None and catalog.city.code == "371400"
    assert all(catalog.districts[c].parent_code == "371400" for c in DEZHOU)


@pytest.mark.parametrize("raw", ["德城", "德州市德城区", "371402", " 德城区 ", "德城区", "德 城 区"])
def test_district_names_resolve(catalog, raw):
    assert catalog.district_code(raw) == "371402"


def test_unknown_district_name(catalog):
    assert catalog.district_code("火星区") is None
    assert catalog.district_code("") is None


def test_real_catalog_communities(catalog):
    assert 550 <= len(catalog.communities) <= 650
    assert {c.district_code for c in catalog.communities.values()} <= set(catalog.districts)
    assert {c.urban_rural for c in catalog.communities.values()} <= {"城镇", "农村"}
    first = catalog.communities["371402001001"]
    assert (first.district_code, first.street, first.name) == ("371402", "新湖街道", "瑞祥北社区")
    assert catalog.community("371402", "新湖街道", "瑞祥北社区") == first


# --------------------------------------------------------------- the rules
def test_missing_sheet(mutate):
    problems = refused(mutate(lambda wb: wb.remove(wb["目标"])))
    p = one(problems, "catalog_missing_sheet")
    assert p.value == "目标" and "「目标」" in p.message


def test_missing_column(mutate):
    problems = refused(mutate(set_cells(指标={"B1": "区域"})))
    p = one(problems, "missing_column", sheet="指标")
    assert p.value == "领域" and "「领域」" in p.message and "「指标」" in p.message


def test_empty_sheet(mutate):
    def fn(wb):
        wb["部门"].delete_rows(2, 200)
    p = one(refused(mutate(fn)), "catalog_empty", sheet="部门")
    assert "「部门」" in p.message


def test_required_field(mutate):
    p = one(refused(mutate(set_cells(指标={"D2": None}))), "required_field", sheet="指标", cell="D2")
    assert "「指标名称」" in p.message


@pytest.mark.parametrize("sheet, cell, value, column", [
    ("指标", "B2", "社会友好", "领域"),
    ("指标", "E2", "百分比", "类型"),
    ("指标", "L2", "越大越好", "方向"),
    ("指标", "P2", "周", "报送频率"),
    ("目标", "D2", "区", "层级"),
    ("区县", "E3", "乡", "类型"),
    ("社区", "E2", "郊区", "城乡"),
    ("指标", "G2", "每年", "累计方式"),
])
def test_invalid_choice(mutate, sheet, cell, value, column):
    p = one(refused(mutate(set_cells(**{sheet: {cell: value}}))), "invalid_choice", sheet=sheet, cell=cell)
    assert f"「{value}」" in p.message and column in p.message and "可选" in p.message


def test_invalid_choice_lists_only_chinese_choices(mutate):
    p = one(refused(mutate(set_cells(指标={"E2": "百分比"}))), "invalid_choice", cell="E2")
    assert "比率、数量、台账、是否" in p.message
    assert "rate" not in p.message


def test_rate_scale_must_be_100_or_1000(mutate):
    # PS-01 is on row 8 and is a rate
    p = one(refused(mutate(set_cells(指标={"F8": 50}))), "invalid_choice", sheet="指标", cell="F8")
    assert "50" in p.message and "100、1000" in p.message


def test_rate_scale_message_quotes_the_number_as_typed(mutate):
    p = one(refused(mutate(set_cells(指标={"F8": 50}))), "invalid_choice", cell="F8")
    assert "「50」" in p.message


def test_bad_indicator_cell_does_not_claim_its_targets_are_unknown(mutate):
    problems = refused(mutate(set_cells(指标={"F8": 50})))
    assert [p.rule for p in problems] == ["invalid_choice"]


def test_rate_without_scale(mutate):
    p = one(refused(mutate(set_cells(指标={"F8": None}))), "required_field", sheet="指标", cell="F8")
    assert "比例基数" in p.message


def test_duplicate_indicator_code(mutate):
    p = one(refused(mutate(set_cells(指标={"A3": "SP-01"}))), "duplicate_code", sheet="指标", cell="A3")
    assert "SP-01" in p.message and "第 2 行" in p.message


def test_duplicate_community_code(mutate):
    p = one(refused(mutate(set_cells(社区={"D3": "371402001001"}))), "duplicate_code", sheet="社区", cell="D3")
    assert "371402001001" in p.message and "第 2 行" in p.message


def test_duplicate_department_code(mutate):
    p = one(refused(mutate(set_cells(部门={"A3": "FEW"}))), "duplicate_code", sheet="部门", cell="A3")
    assert "FEW" in p.message


def test_duplicate_target(mutate):
    # row 8 is PS-08 2025 国家; make it a second 市 target for the same year
    p = one(refused(mutate(set_cells(目标={"D8": "市"}))), "duplicate_code", sheet="目标", cell="A8")
    assert "PS-08" in p.message and "第 7 行" in p.message


def test_duplicate_target_message_has_no_python_syntax(mutate):
    p = one(refused(mutate(set_cells(目标={"D8": "市"}))), "duplicate_code", sheet="目标")
    assert "('" not in p.message and "'" not in p.message


def test_unknown_lead_department(mutate):
    p = one(refused(mutate(set_cells(指标={"N2": "财政厅"}))), "unknown_reference", sheet="指标", cell="N2")
    assert "「财政厅」" in p.message and "「部门」" in p.message


def test_unknown_co_department(mutate):
    p = one(refused(mutate(set_cells(指标={"O2": "妇儿工委办、宣传部"}))), "unknown_reference",
            sheet="指标", cell="O2")
    assert "「宣传部」" in p.message


def test_target_for_unknown_indicator(mutate):
    p = one(refused(mutate(set_cells(目标={"A2": "ZZ-99"}))), "unknown_reference", sheet="目标", cell="A2")
    assert "「ZZ-99」" in p.message and "「指标」" in p.message


def test_unknown_parent_district(mutate):
    p = one(refused(mutate(set_cells(区县={"D3": "379999"}))), "unknown_reference", sheet="区县", cell="D3")
    assert "「379999」" in p.message and "上级代码" in p.message


def test_unknown_parent_is_located_after_a_skipped_row(mutate):
    problems = refused(mutate(set_cells(区县={"E4": None, "D6": "379999"})))
    one(problems, "required_field", sheet="区县", cell="E4")
    one(problems, "unknown_reference", sheet="区县", cell="D6")


def test_alias_conflict(mutate):
    problems = refused(mutate(set_cells(区县={"C4": "陵城、德城"})))
    p = one(problems, "alias_conflict", sheet="区县")
    assert "「德城」" in p.message and "371402" in p.message and "371403" in p.message


def test_department_alias_conflict(mutate):
    p = one(refused(mutate(set_cells(部门={"C5": "市民政局、妇联"}))), "alias_conflict", sheet="部门")
    assert "妇联" in p.message and "MZJ" in p.message and "FL" in p.message


def test_city_root_must_be_unique(mutate):
    p = one(refused(mutate(set_cells(区县={"D3": None}))), "city_root", sheet="区县")
    assert "2" in p.message


def test_unknown_district_in_communities(mutate):
    p = one(refused(mutate(set_cells(社区={"A2": "火星区"}))), "unknown_district", sheet="社区", cell="A2")
    assert "「火星区」" in p.message


def test_target_not_a_number(mutate):
    # row 7 is PS-08 2025 市 95
    p = one(refused(mutate(set_cells(目标={"C7": "九十五"}))), "not_number", sheet="目标", cell="C7")
    assert "「九十五」" in p.message and "目标值" in p.message


def test_target_year_not_a_year(mutate):
    p = one(refused(mutate(set_cells(目标={"B2": "明年"}))), "not_number", sheet="目标", cell="B2")
    assert "「明年」" in p.message


def test_all_problems_are_collected_at_once(mutate):
    problems = refused(mutate(set_cells(指标={"B2": "社会友好"}, 目标={"C7": "九十五"}, 社区={"A2": "火星区"})))
    found = {(p.rule, p.sheet, p.cell) for p in problems}
    assert {("invalid_choice", "指标", "B2"), ("not_number", "目标", "C7"),
            ("unknown_district", "社区", "A2")} <= found


def test_all_missing_sheets_are_reported(mutate):
    def fn(wb):
        wb.remove(wb["目标"])
        wb.remove(wb["社区"])
        wb["指标"]["B1"] = "区域"
    problems = refused(mutate(fn))
    assert {p.value for p in problems if p.rule == "catalog_missing_sheet"} == {"目标", "社区"}
    one(problems, "missing_column", sheet="指标")


def test_every_catalog_rule_has_a_chinese_message():
    for rule in ("catalog_missing_sheet", "missing_column", "required_field", "invalid_choice", "duplicate_code",
                 "unknown_reference", "alias_conflict", "city_root", "catalog_empty", "unknown_district",
                 "not_number"):
        severity, template = RULES[rule]
        assert severity == "error" and CJK.search(template)


def test_not_a_workbook_is_refused_at_the_door():
    cat, problems = read_catalog(b"%PDF-1.4 not a catalog", "catalog.pdf")
    assert cat is None and [p.rule for p in problems] == ["file_pdf"]
    assert problems[0].file == "catalog.pdf"


# ---------------------------------------------------------- normalisation
def test_headers_with_spaces_and_full_width_characters(mutate, catalog):
    changed = mutate(set_cells(
        指标={"A1": "指标 编码", "B1": "领\u3000域", "D1": "指标名称 ", "K1": "单位（计量）", "N1": " 牵头单位"},
        目标={"A1": "指标编码 ", "C1": "目标值（%）"},
        区县={"A1": "统计 代码"},
        部门={"B1": "部门名称\u3000"},
        社区={"C1": "社区 名称"},
    ))
    cat, problems = read_catalog(changed)
    assert problems == []
    assert cat.indicators == catalog.indicators
    assert cat.targets == catalog.targets
    assert cat.districts == catalog.districts


def test_values_with_spaces_and_full_width_characters(mutate, catalog):
    changed = mutate(set_cells(
        指标={"N2": "发 改 委", "B2": "社会政策友好 "},
        社区={"A2": " 德城 "},
    ))
    cat, problems = read_catalog(changed)
    assert problems == []
    assert cat.indicators["SP-01"].lead_department == "FGW"
    assert cat.indicators["SP-01"].area == "社会政策友好"
    assert cat.communities["371402001001"].district_code == "371402"


def test_english_headers_and_values(mutate):
    changed = mutate(set_cells(指标={"E1": "KIND", "E2": "count", "L2": "higher", "P2": "year"}))
    cat, problems = read_catalog(changed)
    assert problems == []
    sp01 = cat.indicators["SP-01"]
    assert (sp01.kind, sp01.direction, sp01.frequency) == ("count", "higher", "year")


# -------------------------------------------------------------- loading
def _snapshot(cat: Catalog):
    return (cat.indicators, sorted(cat.targets, key=lambda t: (t.indicator_code, t.year, t.level)),
            cat.districts, cat.departments, cat.communities)


def test_load_catalog_round_trips(tmp_path, catalog, catalog_bytes):
    con = connect(tmp_path / "w.duckdb")
    try:
        load_catalog(con, catalog, catalog_bytes, "catalog.xlsx")
        back = Catalog.from_db(con)
        assert _snapshot(back) == _snapshot(catalog)
        assert back.city.code == "371400"
        assert back.department_code("卫健委") == "WJW"
        assert back.district_code("德州市德城区") == "371402"
        assert count_rows(con, "catalog_load") == 1
    finally:
        con.close()


def test_load_catalog_twice_replaces(tmp_path, catalog, catalog_bytes):
    con = connect(tmp_path / "w.duckdb")
    try:
        load_catalog(con, catalog, catalog_bytes, "catalog.xlsx")
        counts = {t: count_rows(con, t) for t in ("indicator", "target", "district", "department", "community")}
        assert counts["indicator"] == len(catalog.indicators)
        assert counts["community"] == len(catalog.communities)
        load_catalog(con, catalog, catalog_bytes, "catalog.xlsx")
        assert {t: count_rows(con, t) for t in counts} == counts
        assert count_rows(con, "catalog_load") == 2
        assert _snapshot(Catalog.from_db(con)) == _snapshot(catalog)
    finally:
        con.close()


def test_load_smaller_catalog_removes_old_rows(tmp_path, catalog, catalog_bytes, mutate):
    def fn(wb):
        ws = wb["目标"]
        ws.delete_rows(3, 200)  # keep only the first target
    smaller, problems = read_catalog(mutate(fn))
    assert problems == [] and len(smaller.targets) == 1
    con = connect(tmp_path / "w.duckdb")
    try:
        load_catalog(con, catalog, catalog_bytes, "catalog.xlsx")
        load_catalog(con, smaller, b"smaller", "smaller.xlsx")
        assert count_rows(con, "target") == 1
        assert Catalog.from_db(con).targets == smaller.targets
    finally:
        con.close()


# ------------------------------------------------------------------ CLI
def _cli(*args):
    return subprocess.run([sys.executable, "-m", "ingest", "catalog", *map(str, args)], cwd=ROOT,
                          capture_output=True, encoding="utf-8", timeout=60,
                          env={**os.environ, "PYTHONIOENCODING": "utf-8"})


def test_cli_refuses_a_bad_catalog_and_loads_nothing(tmp_path, mutate):
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(mutate(set_cells(指标={"B2": "社会友好"}, 目标={"C7": "九十五"})))
    db = tmp_path / "w.duckdb"
    run = _cli("--db", db, bad)
    assert run.returncode == 1, run.stdout + run.stderr
    assert "「社会友好」不是有效的领域" in run.stdout
    assert "目标值「九十五」不是数字" in run.stdout
    assert "指标体系未导入" in run.stdout
    assert "Traceback" not in run.stderr
    if db.exists():
        con = duckdb.connect(str(db), read_only=True)
        try:
            tables = {r[0] for r in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
            assert "indicator" not in tables or count_rows(con, "indicator") == 0
        finally:
            con.close()


def test_cli_loads_the_real_catalog(tmp_path, catalog):
    db = tmp_path / "w.duckdb"
    run = _cli("--db", db, ROOT / "data" / "catalog.xlsx")
    assert run.returncode == 0, run.stdout + run.stderr
    assert f"指标 {len(catalog.indicators)} 项" in run.stdout
    con = duckdb.connect(str(db), read_only=True)
    try:
        assert count_rows(con, "indicator") == len(catalog.indicators)
        assert count_rows(con, "community") == len(catalog.communities)
    finally:
        con.close()


def test_install_catalog_replaces_the_workbook_and_keeps_the_old(tmp_path, catalog_bytes):
    import hashlib as _h
    from ingest.catalog import install_catalog
    from warehouse.db import connect as _connect
    path = tmp_path / "catalog.xlsx"
    path.write_bytes(b"old workbook bytes")
    wb = openpyxl.load_workbook(io.BytesIO(catalog_bytes))
    wb["指标"]["D2"] = "新的指标名称"
    buffer = io.BytesIO()
    wb.save(buffer)
    new = buffer.getvalue()
    cat, problems = read_catalog(new, "new.xlsx")
    assert cat is not None, problems
    con = _connect(tmp_path / "w.duckdb")
    install_catalog(con, cat, new, "new.xlsx", path, tmp_path / "archive")
    assert path.read_bytes() == new
    kept = tmp_path / "archive" / "catalog" / f"{_h.sha256(b'old workbook bytes').hexdigest()}.xlsx"
    assert kept.read_bytes() == b"old workbook bytes"
    assert con.execute("SELECT name FROM indicator WHERE code = 'SP-01'").fetchall() == [("新的指标名称",)]
    con.close()
