"""Loading: template round trip, all-or-nothing, supersession, duplicates, lineage, archive, CLI."""
from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import subprocess
import sys

import openpyxl
import pytest

from conftest import ROOT, count_rows, long_rows, xlsx
from ingest.template import DATA_SHEET, FIRST_DATA_ROW, build_template

T0 = dt.datetime(2026, 1, 10, 9, 0)
T1 = dt.datetime(2026, 1, 20, 9, 0)


def filled_template(catalog, dept="WJW", period="2025", values=None, edit=None) -> tuple[bytes, dict]:
    """Fill every white cell of a template; returns the bytes and {(indicator, district, field): value}."""
    wb = openpyxl.load_workbook(io.BytesIO(build_template(catalog, dept, period)))
    ws = wb[DATA_SHEET]
    meta = [r for r in wb["_meta"].iter_rows(min_row=7, max_col=5, values_only=True) if r[0] == "value"]
    written = {}
    districts = [d for d in catalog.districts.values() if d.parent_code]
    for k, d in enumerate(districts):
        row = FIRST_DATA_ROW + k
        for _, _, col, code, field in meta:
            value = (values or {}).get((code, d.code, field))
            if value is None:
                value = {"numerator": 40 + k, "denominator": 10000 + k, "value": 3 + k, "yesno": "是"}[field]
            ws[f"{col}{row}"] = value
            written[(code, d.code, field)] = value
    ws["B3"] = "李静"
    ws["H2"] = "2026-01-09"
    if edit:
        edit(ws)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue(), written


def current(con, as_of=None):
    sql = ("SELECT indicator_code, district_code, numerator, denominator, value FROM current_observation(as_of := ?) "
           "ORDER BY ALL")
    return con.execute(sql, [as_of or dt.datetime(9999, 1, 1)]).fetchall()


def test_template_round_trip(catalog, warehouse, load):
    data, written = filled_template(catalog)
    result = load(data, "卫健委_2025.xlsx", received_at=T0)
    assert result.status == "accepted" and not result.problems, result.problems
    assert result.department_code == "WJW" and result.periods == ["2025"] and result.shape == "template"
    loaded = {}
    for code, district, num, den, value in current(warehouse):
        kind = catalog.indicators[code].kind
        if kind == "rate":
            loaded[(code, district, "numerator")] = num
            loaded[(code, district, "denominator")] = den
        else:
            loaded[(code, district, "value")] = value
    assert loaded == {k: float(v) for k, v in written.items()}
    sub = warehouse.execute("SELECT filled_by, submitted_on, status FROM submission").fetchone()
    assert sub == ("李静", dt.date(2026, 1, 9), "accepted")


def test_template_has_dropdowns_locks_and_hidden_meta(catalog):
    wb = openpyxl.load_workbook(io.BytesIO(build_template(catalog, "FL", "2025")))
    assert wb["_meta"].sheet_state == "veryHidden"
    ws = wb[DATA_SHEET]
    assert ws.protection.sheet and ws["A5"].protection.locked and not ws["C7"].protection.locked
    lists = [dv for dv in ws.data_validations.dataValidation if dv.type == "list"]
    assert lists and lists[0].formula1 == '"是,否"' or any(dv.type == "decimal" for dv in ws.data_validations.dataValidation)
    register = wb["台账-GS-01"]
    assert register.max_row - 5 == len(catalog.communities)
    assert any(dv.formula1 == '"是,否"' for dv in register.data_validations.dataValidation)
    assert ws["B2"].value == "妇联" and ws["E2"].value == "2025"


def test_register_template_round_trip(catalog, warehouse, load):
    wb = openpyxl.load_workbook(io.BytesIO(build_template(catalog, "FL", "2025")))
    reg = wb["台账-GS-01"]
    flags = {}
    for r in range(6, reg.max_row + 1, 3):
        reg[f"E{r}"] = "是" if r % 2 else "否"
        flags[reg[f"D{r}"].value] = r % 2 == 1
    buffer = io.BytesIO()
    wb.save(buffer)
    result = load(buffer.getvalue(), "妇联.xlsx", received_at=T0)
    assert result.status == "accepted", result.problems
    got = dict(warehouse.execute("SELECT community_code, flag FROM current_register_entry()").fetchall())
    assert got == flags


def test_rejected_file_loads_nothing_but_is_kept(catalog, warehouse, load, tmp_path):
    data, _ = filled_template(catalog, edit=lambda ws: ws.__setitem__("C8", "不详"))
    result = load(data, "bad.xlsx", received_at=T0)
    assert result.status == "rejected" and result.rows == 0
    assert [(p.rule, p.cell) for p in result.errors] == [("not_number", "C8")]
    assert count_rows(warehouse, "observation") == 0
    assert warehouse.execute("SELECT status, n_errors FROM submission").fetchall() == [("rejected", 1)]
    issue = warehouse.execute("SELECT sheet, cell, rule, value FROM submission_issue").fetchall()
    assert issue == [(DATA_SHEET, "C8", "not_number", "不详")]
    sha = hashlib.sha256(data).hexdigest()
    archived = tmp_path / "archive" / sha[:2] / f"{sha}.xlsx"
    assert archived.read_bytes() == data


def test_resubmission_supersedes_and_keeps_history(catalog, warehouse, load):
    first, _ = filled_template(catalog, values={("PS-03", "371402", "numerator"): 40})
    second, _ = filled_template(catalog, values={("PS-03", "371402", "numerator"): 46})
    assert load(first, "v1.xlsx", received_at=T0).status == "accepted"
    assert load(second, "v2.xlsx", received_at=T1).status == "accepted"
    value = lambda as_of: [r for r in current(warehouse, as_of) if r[:2] == ("PS-03", "371402")][0][2]  # noqa: E731
    assert value(None) == 46
    assert value(T0 + dt.timedelta(days=1)) == 40
    assert count_rows(warehouse, "submission") == 2
    assert count_rows(warehouse, "observation") == 2 * len(current(warehouse))
    # a resubmission of the same department and period replaces all its figures, not just the changed one
    assert len(current(warehouse)) == len(current(warehouse, T0 + dt.timedelta(days=1)))


def test_resubmission_replaces_only_what_it_reports(catalog, warehouse, load):
    """A long file for one indicator does not wipe the department's other indicators for that period."""
    template, _ = filled_template(catalog)
    load(template, "t.xlsx", received_at=T0)
    before = len(current(warehouse))
    fix = xlsx(long_rows(["PS-12", "德城区", 2025, None, None, 99]))
    assert load(fix, "fix.xlsx", department="卫健委", received_at=T1).status == "accepted"
    rows = current(warehouse)
    assert len(rows) == before - 12  # PS-12 now has only the district the fix reported
    assert [r[4] for r in rows if r[0] == "PS-12"] == [99.0]


def test_same_bytes_twice_is_a_noop(catalog, warehouse, load):
    data, _ = filled_template(catalog)
    assert load(data, "a.xlsx", received_at=T0).status == "accepted"
    again = load(data, "a-copy.xlsx", received_at=T1)
    assert again.status == "duplicate" and again.rows == 0
    assert count_rows(warehouse, "submission") == 1
    assert warehouse.execute("SELECT outcome FROM receipt ORDER BY id").fetchall() == [("accepted",), ("duplicate",)]


def test_lineage_points_at_the_cell(catalog, warehouse, load):
    data, _ = filled_template(catalog, values={("PS-09", "371425", "numerator"): 777})
    load(data, "lineage.xlsx", received_at=T0)
    sheet, row, cell, num, file_name = warehouse.execute(
        "SELECT o.sheet, o.row_number, o.numerator_cell, o.numerator, s.file_name FROM observation o "
        "JOIN submission s ON s.id = o.submission_id "
        "WHERE indicator_code = 'PS-09' AND district_code = '371425'").fetchone()
    ws = openpyxl.load_workbook(io.BytesIO(data))[sheet]
    assert ws[cell].value == num == 777 and int(cell[1:]) == row and file_name == "lineage.xlsx"
    assert ws[f"B{row}"].value == "齐河县"


def test_denominator_jump_warning(catalog, warehouse, load):
    load(xlsx(long_rows(["PS-08", "德城区", 2024, 90, 1000, None])), "2024.xlsx", department="卫健委",
         received_at=T0)
    result = load(xlsx(long_rows(["PS-08", "德城区", 2025, 90, 1300, None])), "2025.xlsx", department="卫健委",
                  received_at=T1)
    assert result.status == "accepted"
    [p] = result.warnings
    assert p.rule == "denominator_jump" and p.cell == "E2" and "1000" in p.message and "+30%" in p.message


def test_denominator_jumps_compare_the_figure_held_for_the_same_period_a_year_before(catalog, warehouse, load):
    """Each row against what counts now for its indicator, district and period a year earlier: 2024 gave
    德城区 1000 (then corrected to 1100) and 禹城市 0 and 陵城区 10; 2025 moves 德城区 by -30% against the
    corrected 1100 → 770, 禹城市 from 0 (not compared), 陵城区 10 → 19 (both under 20: not news), 乐陵市
    (no 2024 figure) and 临邑县 by +10% (within 20%)."""
    first = [["PS-08", "德城区", 2024, 90, 1000, None], ["PS-08", "禹城市", 2024, 0, 0, None],
             ["PS-08", "陵城区", 2024, 5, 10, None], ["PS-08", "临邑县", 2024, 50, 500, None]]
    load(xlsx(long_rows(*first)), "2024.xlsx", department="卫健委", received_at=T0)
    corrected = [first[0][:4] + [1100, None], *first[1:]]
    load(xlsx(long_rows(*corrected)), "2024b.xlsx", department="卫健委", received_at=T0 + dt.timedelta(hours=1))
    result = load(xlsx(long_rows(["PS-08", "乐陵市", 2025, 90, 5000, None], ["PS-08", "德城区", 2025, 90, 770, None],
                                 ["PS-08", "禹城市", 2025, 90, 800, None], ["PS-08", "陵城区", 2025, 9, 19, None],
                                 ["PS-08", "临邑县", 2025, 50, 550, None])),
                  "2025.xlsx", department="卫健委", received_at=T1)
    assert result.status == "accepted"
    [p] = result.warnings
    assert p.rule == "denominator_jump" and p.cell == "E3" and "1100" in p.message and "770" in p.message
    assert "-30%" in p.message and "德城区" in p.message


def _cli(*args, cwd=ROOT):
    return subprocess.run([sys.executable, "-m", "ingest", *map(str, args)], cwd=cwd, capture_output=True,
                          text=True, timeout=120)


@pytest.fixture
def cli_db(tmp_path):
    db = tmp_path / "cli.duckdb"
    assert _cli("catalog", "--db", db).returncode == 0
    return db


def test_cli_load_json_and_exit_codes(catalog, cli_db, tmp_path):
    good, _ = filled_template(catalog)
    bad = xlsx(long_rows(["PS-12", "德城区", 2025, None, None, -3]))
    (tmp_path / "good.xlsx").write_bytes(good)
    (tmp_path / "bad.xlsx").write_bytes(bad)
    run = _cli("load", "--db", cli_db, "--json", tmp_path / "good.xlsx")
    assert run.returncode == 0
    [entry] = json.loads(run.stdout)
    assert entry["status"] == "accepted" and entry["rows"] > 0 and entry["errors"] == []
    run = _cli("load", "--db", cli_db, "--department", "卫健委", "--json", tmp_path / "bad.xlsx", tmp_path / "good.xlsx")
    assert run.returncode == 1
    bad_entry, dup_entry = json.loads(run.stdout)
    assert bad_entry["status"] == "rejected" and bad_entry["rows"] == 0
    assert bad_entry["errors"][0]["cell"] == "F2" and bad_entry["errors"][0]["rule"] == "negative"
    assert set(bad_entry["errors"][0]) == {"sheet", "cell", "rule", "message", "value"}
    assert dup_entry["status"] == "duplicate"
    # the same refused bytes again are examined again (the department or catalog may have changed): still refused
    run = _cli("load", "--db", cli_db, "--department", "卫健委", tmp_path / "bad.xlsx")
    assert run.returncode == 1 and run.stdout.startswith("rejected\tbad.xlsx")
    assert _cli("load", "--db", cli_db, tmp_path / "missing.xlsx").returncode == 2
    assert _cli("load", "--db", cli_db, "--department", "气象局", tmp_path / "good.xlsx").returncode == 2
    assert _cli("load").returncode == 2


def test_cli_plain_output_names_cells(catalog, cli_db, tmp_path):
    (tmp_path / "bad.xlsx").write_bytes(xlsx(long_rows(["PS-08", "德城区", 2025, 30, 20, None])))
    run = _cli("load", "--db", cli_db, "--department", "卫健委", tmp_path / "bad.xlsx")
    assert run.returncode == 1
    assert run.stdout.startswith("rejected\tbad.xlsx")
    assert "D2" in run.stdout and "分子 30 大于分母 20" in run.stdout


def test_cli_template(tmp_path):
    out = tmp_path / "t.xlsx"
    run = _cli("template", "--department", "妇联", "--period", "2026", "-o", out)
    assert run.returncode == 0, run.stderr
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == [DATA_SHEET, "台账-GS-01", "任务进展", "_meta"]
    # no monthly indicator, but tasks to report on: a template of the task sheet alone
    assert _cli("template", "--department", "妇联", "--period", "2026-03", "-o", out).returncode == 0
    assert openpyxl.load_workbook(out).sheetnames == ["任务进展", "_meta"]
    # 残联 has neither a monthly indicator nor a task: nothing to fill in
    assert _cli("template", "--department", "残联", "--period", "2026-03", "-o", out).returncode == 2
    assert _cli("template", "--department", "气象局", "--period", "2026").returncode == 2


def test_task_sheet_of_the_template_reads_back(catalog, warehouse, load):
    wb = openpyxl.load_workbook(io.BytesIO(build_template(catalog, "FL", "2025")))
    ws = wb["任务进展"]
    assert [ws.cell(r, 1).value for r in range(6, ws.max_row + 1)] == ["T-06", "T-11"]  # 妇联's tasks
    ws["D7"], ws["E7"], ws["G7"] = "推进中", "2025-11-01", "征求意见中"  # T-11 reported; T-06 left blank
    buffer = io.BytesIO()
    wb.save(buffer)
    result = load(buffer.getvalue(), "妇联_任务.xlsx", received_at=T0)
    assert result.status == "accepted", result.problems
    rows = warehouse.execute("SELECT task_code, state, updated_on, note, sheet, state_cell FROM task_update").fetchall()
    assert rows == [("T-11", "推进中", dt.date(2025, 11, 1), "征求意见中", "任务进展", "D7")]


def test_a_quarterly_count_template_says_year_to_date(catalog):
    """SP-06 宣传活动场次 is a quarterly count: its cell holds January to the end of the quarter."""
    owner = catalog.indicators["SP-06"].lead_department
    wb = openpyxl.load_workbook(io.BytesIO(build_template(catalog, owner, "2025-Q2")))
    captions = [c.value for c in wb[DATA_SHEET][6] if c.value]
    assert "数值（场，1月至本期累计）" in captions
    # annual templates: a yearly count (SP-02) is the year's figure, a stock reported as additions (SP-01) the year's new ones
    for code, caption in (("SP-02", "数值（项，全年）"), ("SP-01", "数值（件，当年新增）")):
        annual = build_template(catalog, catalog.indicators[code].lead_department, "2025")
        assert caption in [c.value for c in openpyxl.load_workbook(io.BytesIO(annual))[DATA_SHEET][6] if c.value]
