"""City packages and the province warehouse: two cities export their current figures as Parquet, the province
loads both and rolls them up Σnum/Σden; a newer package of a city supersedes its older one only; a changed
byte, a differently defined indicator or a county outside the province refuses the package whole. Expected
figures are worked out by hand from the rows loaded in each test.

The province: 900000 示例省 → 910000 甲市 (911000 甲一县, 912000 甲二县), 920000 乙市 (921000 乙一县, 922000 乙二县).
"""
from __future__ import annotations

import datetime as dt
import json

import pandas as pd
import pytest

from conftest import MINI_INDICATORS, count_rows, mini_catalog_bytes, mini_warehouse, one, xlsx
from ingest.__main__ import main
from ingest.package import export_package, receive_folder
from ingest.pipeline import receive
from metrics.lineage import lineage
from metrics.progress import progress_table

D = dt.datetime
P, A, B = "900000", "910000", "920000"
A1, A2, B1, B2 = "911000", "912000", "921000", "922000"
A_TREE = [(A, "甲市", "", None, "市"), (A1, "甲一县", "", A, "县"), (A2, "甲二县", "", A, "县")]
B_TREE = [(B, "乙市", "", None, "市"), (B1, "乙一县", "", B, "县"), (B2, "乙二县", "", B, "县")]
A_UNITS = [("甲一县", "一镇", "一村", "911000001", "农村"), ("甲一县", "一镇", "二村", "911000002", "农村"),
           ("甲二县", "二镇", "三村", "912000001", "农村")]
B_UNITS = [("乙一县", "三街道", "四社区", "921000001", "城镇")]


def child(tree, parent):
    """A city's tree placed under the province's root."""
    return [(code, name, alias, up or parent, kind) for code, name, alias, up, kind in tree]


PROVINCE = [(P, "示例省", "", None, "省"), *child(A_TREE, P), *child(B_TREE, P)]


def city(tmp_path, name, tree, units, indicators=None):
    return mini_warehouse(tmp_path / name, mini_catalog_bytes(indicators=indicators, districts=tree, communities=units),
                          name=name)


@pytest.fixture
def province(tmp_path):
    """The province's warehouse, with the whole tree and both cities' master lists."""
    m = mini_warehouse(tmp_path / "p", mini_catalog_bytes(districts=PROVINCE, communities=A_UNITS + B_UNITS), name="p")
    yield m
    m.con.close()


@pytest.fixture
def cities(tmp_path, province):
    """City 甲 and city 乙, each with its own tree and figures, and the province."""
    a, b = city(tmp_path, "a", A_TREE, A_UNITS), city(tmp_path, "b", B_TREE, B_UNITS)
    a.load([("R-UP", "甲一县", "2025", 90, 100, None), ("R-UP", "甲二县", "2025", 5, 10, None)], D(2026, 1, 10))
    a.load([("C-YR", "甲一县", "2024", None, None, 12), ("C-YR", "甲二县", "2024", None, None, 8)], D(2025, 1, 10),
           department="妇联")
    register(a, tmp_path / "a", {"一村": "是", "二村": "否", "三村": "是"})
    b.load([("R-UP", "乙一县", "2025", 40, 50, None), ("R-UP", "乙二县", "2025", 30, 40, None)], D(2026, 1, 12))
    b.load([("C-YR", "乙一县", "2024", None, None, 30), ("C-YR", "乙二县", "2024", None, None, 5)], D(2025, 1, 12),
           department="妇联")
    yield a, b, province
    for m in (a, b):
        m.con.close()


def register(m, where, flags, when=D(2026, 1, 11)):
    """A 台账 of city 甲 for 2025: {community name: 是/否}."""
    by_name = {u[2]: u for u in A_UNITS}
    path = where / "reg.xlsx"
    path.write_bytes(xlsx([["统计期", "2025"], ["区县", "街道(乡镇)", "社区名称", "是否开展创建"],
                           *[[by_name[n][0], by_name[n][1], n, f] for n, f in flags.items()]]))
    assert receive(m.con, path, where / "archive", department="妇联", received_at=when).status == "accepted"


def figures(con, indicator, district, year):
    row = one(progress_table(con, year, level="all"), indicator, district, year)
    return row["numerator"], row["denominator"], row["value"]


def test_two_cities_roll_up_in_the_province(cities, tmp_path):
    a, b, province = cities
    manifest = export_package(a.con, tmp_path / "pkg" / "甲市")
    assert manifest["area"] == {"code": A, "name": "甲市"}
    rows = {f["name"]: f["rows"] for f in manifest["files"]}
    assert rows["observation.parquet"] == 4 and rows["register_entry.parquet"] == 3 and rows["submission.parquet"] == 3
    assert rows["catalog_district.parquet"] == 3 and rows["catalog_load.parquet"] == 1
    export_package(b.con, tmp_path / "pkg" / "乙市")
    results = [receive_folder(province.con, tmp_path / "pkg" / c) for c in ("甲市", "乙市")]
    assert [r.status for r in results] == ["accepted", "accepted"], [r.problems for r in results]
    assert (results[0].observations, results[0].register_entries) == (4, 3)

    # rates: Σnumerator ÷ Σdenominator at every level — 甲市 (90+5)/(100+10), 乙市 (40+30)/(50+40), the province 165/200
    assert figures(province.con, "R-UP", A, 2025) == (95, 110, pytest.approx(95 / 110 * 100))
    assert figures(province.con, "R-UP", B, 2025) == (70, 90, pytest.approx(70 / 90 * 100))
    assert figures(province.con, "R-UP", P, 2025) == (165, 200, pytest.approx(82.5))
    # counts sum: 12 + 8 + 30 + 5
    assert figures(province.con, "C-YR", P, 2024)[2] == 55 and figures(province.con, "C-YR", A, 2024)[2] == 20
    # the register against the province's master list: 甲市 2 of its 3 units
    assert figures(province.con, "REG", A, 2025)[:2] == (2, 3)
    # one submission per package, under the city's area code
    subs = province.con.execute("SELECT department_code, shape, file_name FROM submission ORDER BY id").fetchall()
    assert [(d, s) for d, s, _ in subs] == [(A, "package"), (B, "package")]
    assert subs[0][2].startswith("甲市 数据包 ")

    # lineage names the package's file and the row in it
    rows = lineage(province.con, "R-UP", A1, 2025)
    assert list(rows["sheet"]) == ["observation.parquet"] and rows["file_name"][0].startswith("甲市 数据包")
    assert rows["cells"][0].startswith("numerator[") and rows["cells"][0].endswith("]")
    # …and that row of the package names the city's own file
    sheet, n = province.con.execute("SELECT sheet, row_number FROM observation WHERE district_code = ? "
                                    "AND indicator_code = 'R-UP'", [A1]).fetchall()[0]
    pkg = tmp_path / "pkg" / "甲市"
    original = province.con.execute(
        "SELECT s.file_name FROM read_parquet($rows, file_row_number = true) o "
        "JOIN read_parquet($submissions) s ON s.id = o.submission_id "
        "WHERE o.file_row_number + 1 = $n",
        {"rows": str(pkg / sheet), "submissions": str(pkg / "submission.parquet"), "n": n}).fetchall()
    assert original == [("f1.xlsx",)]


def test_a_newer_package_supersedes_its_citys_older_one_only(cities, tmp_path):
    a, b, province = cities
    export_package(a.con, tmp_path / "a1")
    export_package(b.con, tmp_path / "b1")
    assert receive_folder(province.con, tmp_path / "a1", received_at=D(2026, 2, 1)).status == "accepted"
    assert receive_folder(province.con, tmp_path / "b1", received_at=D(2026, 2, 2)).status == "accepted"
    # 甲市's 卫健委 sends a corrected file (it supersedes its earlier one in the city, both counties)
    a.load([("R-UP", "甲一县", "2025", 99, 100, None), ("R-UP", "甲二县", "2025", 5, 10, None)], D(2026, 2, 10))
    export_package(a.con, tmp_path / "a2")
    newer = receive_folder(province.con, tmp_path / "a2", received_at=D(2026, 2, 20))
    assert newer.status == "accepted" and newer.withdrawn == 0
    # 甲市 (99+5)/(100+10); 乙市 still 70/90, though received before 甲市's newer package
    assert figures(province.con, "R-UP", A, 2025) == (104, 110, pytest.approx(104 / 110 * 100))
    assert figures(province.con, "R-UP", B, 2025) == (70, 90, pytest.approx(70 / 90 * 100))
    assert figures(province.con, "R-UP", P, 2025) == (174, 200, pytest.approx(87.0))
    assert figures(province.con, "C-YR", P, 2024)[2] == 55
    # as of before the newer package, the older one counts
    old = one(progress_table(province.con, 2025, as_of=D(2026, 2, 10), level="all"), "R-UP", P, 2025)
    assert (old["numerator"], old["denominator"]) == (165, 200)
    assert count_rows(province.con, "submission") == 3   # the older package stays in history

    # a package is the city's whole state: a newer one without C-YR withdraws 甲市's C-YR
    rebuilt = city(tmp_path, "a-new", A_TREE, A_UNITS)
    rebuilt.load([("R-UP", "甲一县", "2025", 99, 100, None), ("R-UP", "甲二县", "2025", 5, 10, None)], D(2026, 3, 1))
    export_package(rebuilt.con, tmp_path / "a3")
    rebuilt.con.close()
    third = receive_folder(province.con, tmp_path / "a3", received_at=D(2026, 3, 2))
    assert third.status == "accepted" and third.withdrawn == 2   # C-YR 2024 and REG 2025
    assert pd.isna(figures(province.con, "C-YR", A, 2024)[2])
    assert figures(province.con, "C-YR", B, 2024)[2] == 35
    assert figures(province.con, "R-UP", P, 2025) == (174, 200, pytest.approx(87.0))


def test_a_changed_byte_refuses_the_package_and_writes_nothing(cities, tmp_path):
    a, _, province = cities
    export_package(a.con, tmp_path / "pkg-a")
    path = tmp_path / "pkg-a" / "observation.parquet"
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x01
    path.write_bytes(bytes(data))
    journal = tmp_path / "p" / "archive" / "journal.jsonl"
    before = journal.read_text(encoding="utf-8")
    result = receive_folder(province.con, tmp_path / "pkg-a")
    assert result.status == "rejected"
    [problem] = result.problems
    assert "observation.parquet" in problem and "SHA-256" in problem and "重新导出" in problem
    assert count_rows(province.con, "submission") == count_rows(province.con, "observation") == 0
    assert count_rows(province.con, "received_file") == 0
    assert journal.read_text(encoding="utf-8") == before
    # the manifest's row count is checked too
    export_package(a.con, tmp_path / "a-rows")
    manifest = json.loads((tmp_path / "a-rows" / "manifest.json").read_text(encoding="utf-8"))
    manifest["files"][0]["rows"] += 1
    (tmp_path / "a-rows" / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    [problem] = receive_folder(province.con, tmp_path / "a-rows").problems
    assert "observation.parquet" in problem and "有 4 行" in problem and "5 行" in problem


def test_an_indicator_defined_otherwise_is_refused(tmp_path, province):
    as_count = [("R-UP", *MINI_INDICATORS[0][1:4], "数量", None, "年度", None, "人", *MINI_INDICATORS[0][9:]),
                *MINI_INDICATORS[1:]]
    other = city(tmp_path, "c", A_TREE, A_UNITS, indicators=as_count)
    other.load([("R-UP", "甲一县", "2025", None, None, 7)], D(2026, 1, 10))
    export_package(other.con, tmp_path / "c-pkg")
    other.con.close()
    result = receive_folder(province.con, tmp_path / "c-pkg")
    assert result.status == "rejected"
    [problem] = result.problems
    assert "R-UP" in problem and "类型：城市为「数量」，本级为「比率」" in problem and "单位" in problem
    assert count_rows(province.con, "observation") == 0


def test_a_county_outside_the_province_is_refused(tmp_path, province):
    wider = city(tmp_path, "w", [*A_TREE, ("913000", "甲三县", "", A, "县")], A_UNITS)
    wider.load([("R-UP", "甲三县", "2025", 1, 2, None)], D(2026, 1, 10))
    export_package(wider.con, tmp_path / "w-pkg")
    wider.con.close()
    result = receive_folder(province.con, tmp_path / "w-pkg")
    assert result.status == "rejected"
    [problem] = result.problems
    assert "913000（甲三县）" in problem and "910000（甲市）" in problem
    # a city the province does not have at all
    stranger = city(tmp_path, "s", [("930000", "丙市", "", None, "市"), ("931000", "丙一县", "", "930000", "县")], [])
    export_package(stranger.con, tmp_path / "s-pkg")
    stranger.con.close()
    [problem] = receive_folder(province.con, tmp_path / "s-pkg").problems
    assert "930000（丙市）" in problem and "不在本级指标体系" in problem
    assert count_rows(province.con, "submission") == 0


def test_command_line_duplicate_and_rebuild(cities, tmp_path, capsys):
    a, b, province = cities
    for m in (a, b, province):
        m.con.close()
    pkg_a, pkg_b = tmp_path / "out" / "甲市", tmp_path / "out" / "乙市"
    assert main(["export", "--to", str(pkg_a), "--db", str(tmp_path / "a" / "a.duckdb")]) == 0
    assert "已导出 甲市（910000）" in capsys.readouterr().out
    assert main(["export", "--to", str(pkg_a), "--db", str(tmp_path / "a" / "a.duckdb")]) == 2
    assert "已存在且不是空文件夹" in capsys.readouterr().err
    assert main(["export", "--to", str(pkg_b), "--db", str(tmp_path / "b" / "b.duckdb")]) == 0
    capsys.readouterr()
    db = str(tmp_path / "p" / "p.duckdb")
    assert main(["import-package", str(pkg_a), str(pkg_b), "--db", db]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("accepted\t") and "当前数据 4 行，台账 3 行" in lines[0]
    assert lines[1].startswith("accepted\t") and "乙市 数据包" in lines[1]
    # the same package again changes nothing
    assert main(["import-package", str(pkg_a), "--db", db]) == 0
    out = capsys.readouterr().out
    assert out.startswith("duplicate\t") and "未再次导入" in out
    assert main(["import-package", str(tmp_path / "nowhere"), "--db", db]) == 2
    capsys.readouterr()

    rebuilt = tmp_path / "rebuilt" / "p.duckdb"
    assert main(["rebuild", "--from", str(tmp_path / "p" / "archive"), "--db", str(rebuilt)]) == 0
    import duckdb
    before, after = (duckdb.connect(str(x), read_only=True) for x in (db, rebuilt))
    for table in ("submission", "observation", "register_entry", "withdrawal", "receipt", "received_file"):
        pd.testing.assert_frame_equal(before.table(table).order("ALL").df(), after.table(table).order("ALL").df(),
                                      obj=table)
    assert after.execute("SELECT count(*) FROM submission WHERE shape = 'package'").fetchall() == [(2,)]
    before.close()
    after.close()
