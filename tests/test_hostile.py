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


def test_a_total_row_with_its_code_merged_away_is_checked_not_loaded(catalog):
    # offices merge the 指标编码 cell over a block: the 合计 row's own code cell is blank
    rows = [["PS-08", "德城区", 2025, 900, 1000, None], ["PS-08", "陵城区", 2025, 450, 500, None],
            [None, "合计", 2025, 1350, 1500, None]]
    v = check(catalog, rows, department="卫健委")
    assert not v.has_errors(), [p.message for p in v.problems]
    assert len(v.observations) == 2 and v.totals and v.totals[0]["numerator"] == 1350
    wrong = check(catalog, rows[:2] + [[None, "合计", 2025, 1351, 1500, None]], department="卫健委")
    assert [p.rule for p in wrong.problems if p.severity == "error"] == ["total_mismatch"]


def test_a_data_row_without_a_code_says_so(catalog):
    v = check(catalog, [["PS-08", "德城区", 2025, 900, 1000, None], [None, "陵城区", 2025, 450, 500, None]],
              department="卫健委")
    blank = [p for p in v.problems if p.rule == "indicator_blank"]
    assert len(blank) == 1 and blank[0].cell == "A3" and blank[0].message.startswith("指标编码为空")


def test_a_formula_saved_without_its_value_says_what_to_do(catalog):
    """openpyxl, like some converters, writes formulas without computing them: 陵城区's 分子 is =450 with no
    cached value. The 合计 row's formula without a value is only not checked; a data cell's is an error."""
    import io

    from openpyxl import Workbook
    wb = Workbook()
    ws = wb.active
    for row in long_rows(["PS-08", "德城区", 2025, 900, 1000, None], ["PS-08", "陵城区", 2025, "=450", 500, None],
                         [None, "合计", 2025, "=SUM(D2:D3)", "=SUM(E2:E3)", None]):
        ws.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    v, _, _ = examine(buffer.getvalue(), "t.xlsx", catalog, department="卫健委")
    errors = [p for p in v.problems if p.severity == "error"]
    assert [(p.rule, p.cell) for p in errors] == [("formula_no_value", "D3")]
    assert "请在 Excel/WPS 中打开后保存再提交" in errors[0].message


def test_a_workbook_with_macros_is_read_and_its_macros_never_run(catalog):
    """An .xlsm: a workbook zip with a vbaProject.bin. Its values are read; the report says macros were ignored."""
    import io
    import zipfile

    data = xlsx(long_rows(["PS-08", "德城区", 2025, 900, 1000, None]))
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(buffer, "w") as out:
        for item in src.infolist():
            out.writestr(item, src.read(item))
        out.writestr("xl/vbaProject.bin", b"\xd0\xcf\x11\xe0 not run")
    v, kind, _ = examine(buffer.getvalue(), "t.xlsm", catalog, department="卫健委")
    assert kind == "xlsx" and not v.has_errors() and len(v.observations) == 1
    assert [p.rule for p in v.problems] == ["macros_ignored"] and "宏不会运行" in v.problems[0].message


def test_a_file_name_with_terminal_control_characters_is_printed_safely(tmp_path):
    """A name carrying an escape sequence, a bell and a right-to-left override is printed escaped."""
    import subprocess
    import sys

    from conftest import ROOT
    name = "卫健委\x1b[2J\x07\u202e.xlsx"
    path = tmp_path / name
    path.write_bytes(b"not a workbook")
    db = str(tmp_path / "w.duckdb")
    subprocess.run([sys.executable, "-m", "ingest", "catalog", "--db", db], cwd=ROOT, capture_output=True, timeout=120)
    run = subprocess.run([sys.executable, "-m", "ingest", "load", "--db", db, "--department", "卫健委", str(path)],
                         cwd=ROOT, capture_output=True, text=True, timeout=120)
    shown = run.stdout + run.stderr
    assert run.returncode == 1 and shown.startswith("rejected")        # refused, and the name was printed
    assert "\x1b" not in shown and "\x07" not in shown and "\u202e" not in shown
    assert "\\x1b[2J\\x07\\u202e.xlsx" in shown


def test_a_csv_beyond_the_cell_limit_is_refused_before_parsing(catalog):
    """The same limit as a sheet (data/settings.toml max_sheet_cells): 200,001 rows × 6 columns."""
    text = "指标编码,区县,年度,分子,分母,数值\n" + "PS-08,德城区,2025,900,1000,\n" * 200_000
    v, kind, _ = examine(text.encode("utf-8"), "big.csv", catalog, department="卫健委")
    assert kind is None and [p.rule for p in v.problems] == ["sheet_too_big"]
    assert "200,002 行 × 6 列" in v.problems[0].message


def test_a_file_with_too_many_errors_is_not_read_to_the_end(catalog):
    """1,200 copies of one row: after 1,000 errors (max_errors) the check stops and says where."""
    text = "指标编码,区县,年度,分子,分母,数值\n" + "PS-08,德城区,2025,900,1000,\n" * 1_200
    v, _, _ = examine(text.encode("utf-8"), "dup.csv", catalog, department="卫健委")
    stop = [p for p in v.problems if p.rule == "too_many_errors"]
    assert len(stop) == 1 and stop[0].cell == "A1003" and "超过 1000 处错误" in stop[0].message
    assert v.has_errors() and len([p for p in v.problems if p.rule == "duplicate_row"]) == PER_RULE + 1
