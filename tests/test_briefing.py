"""The meeting briefing: Word, Excel and an offline web page built from a meeting pack, and its command line.

One demo warehouse per module with two meetings (2026-01-20 and 2026-01-27) and action items made in the
first, so the second has changes (卫生健康委's correction arrives 2026-01-24), open and overdue items, an item
closed in between, and promises that try formula and HTML injection.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import html
import io
import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path
from urllib.parse import urlparse

import pandas as pd
import pytest
from docx import Document
from docx.oxml.ns import qn
from openpyxl import load_workbook

from conftest import ROOT
from briefing import formatting as F
from briefing.export import DEMO_MARK, cover, file_stem, sections, to_docx, to_html, to_xlsx, to_zip
from warehouse.config import settings
from warehouse.db import connect
from ingest.demo import build_demo
from meetings.records import DONE, add_action_item, set_action_item_state, start_meeting
from metrics.board import REJECTED, submission_board
from metrics.meeting import meeting_pack
from ui import format as fmt

M1, M2 = dt.datetime(2026, 1, 20, 9), dt.datetime(2026, 1, 27, 9)
INJECTIONS = ['=HYPERLINK("x")', "-5 人", "@SUM(A1)", "+1 督办"]
HTML_INJECTION = '<img src="x.png" onerror="alert(1)">核对数据'
SHOTS = ROOT / "test-artifacts" / "screenshots"
CHROMIUM = "/usr/bin/chromium"
SHEETS = ["简报摘要", "主要进展", "新达标", "督办事项", "退回的报送", "状态变化", "排名变化", "办结督办事项", "滞后指标",
          "未报和逾期", "任务清单", "数值变化"]
SECTIONS = ["一、总体情况", "二、新达标指标", "三、滞后指标", "四、在办督办事项", "五、退回的报送", "六、上次会议以来的变化",
            "七、滞后指标的差距与所需进度", "八、未报和逾期", "九、任务清单", "附件：数值变化明细（原值 → 新值）"]
FIRST_PAGE = ["overview", "met", "lagging_city", "actions", "rejected"]
# A resource fetched from another host: src=/href= attributes, CSS url(…) and @import.
OUTSIDE = re.compile(r"""(?:\bsrc|\bhref)\s*=\s*["']?\s*(?:https?:)?//|url\(\s*["']?\s*(?:https?:)?//|@import""", re.I)
BUNDLE = re.compile(r"<script[^>]*>\s*/\*\*\s*\* plotly\.js v.*?</script>", re.S)


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory) -> tuple[Path, int]:
    db = tmp_path_factory.mktemp("briefing") / "warehouse.duckdb"
    build_demo(db)
    con = connect(db)
    try:
        first = start_meeting(con, "第一次周例会", M1.date(), at=M1)
        at = M1 + dt.timedelta(hours=1)
        for promise in INJECTIONS + [HTML_INJECTION]:
            add_action_item(con, first, "WJW", promise, dt.date(2026, 1, 24), at=at)
        add_action_item(con, first, "WJW", "德城区补报托育设施台账", dt.date(2026, 2, 10), indicator_code="PS-03",
                        district_code="371402", at=at)
        done = add_action_item(con, first, "JYJ", "教育局说明心理健康教师配备计划", dt.date(2026, 1, 23), at=at)
        set_action_item_state(con, done, DONE, "已书面说明", at=dt.datetime(2026, 1, 22, 15))
        second = start_meeting(con, "第二次周例会", M2.date(), at=M2)
    finally:
        con.close()
    return db, second


@pytest.fixture(scope="module")
def pack(warehouse):
    db, second = warehouse
    con = connect(db, read_only=True)
    try:
        return meeting_pack(con, second)
    finally:
        con.close()


@pytest.fixture(scope="module")
def files(pack, tmp_path_factory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("briefing_out")
    paths = {s: out / f"{file_stem(pack)}.{s}" for s in ("docx", "xlsx", "html")}
    paths["docx"].write_bytes(to_docx(pack))
    paths["xlsx"].write_bytes(to_xlsx(pack))
    paths["html"].write_text(to_html(pack), encoding="utf-8")
    return paths


def test_the_scenario_has_what_a_briefing_shows(pack):
    assert pack.demo
    assert len(pack.changes["values"]) >= 1 and (pack.changes["values"]["department"] == "卫生健康委").any()
    assert len(pack.lagging) > 0
    open_items = pack.actions[pack.actions["state"] == "进行中"]
    assert len(open_items) == 6 and open_items["overdue"].sum() == 5
    assert (pack.actions["state"] == DONE).sum() == 1   # closed since the last meeting, still shown once


def test_file_stem_is_the_meeting_date(pack):
    assert file_stem(pack) == "周例会简报_2026-01-27"


# -------------------------------------------------------------------------------------------- docx
def _docx_text(doc) -> tuple[list[str], list[list[str]]]:
    paragraphs = [p.text for p in doc.paragraphs]
    rows = [[c.text for c in r.cells] for t in doc.tables for r in t.rows]
    return paragraphs, rows


def test_docx(pack, files):
    doc = Document(str(files["docx"]))
    paragraphs, rows = _docx_text(doc)
    # demo mark first, in red; then the head of a 工作简报: title, 第N期, issuing office and date, the meeting
    assert paragraphs[0] == DEMO_MARK
    assert str(doc.paragraphs[0].runs[0].font.color.rgb) == "C00000"
    assert DEMO_MARK in doc.sections[0].header.paragraphs[0].text
    assert paragraphs[1:4] == ["儿童友好城市建设工作简报", "第2期", f"{settings().issuing_office}\t2026年1月27日"]
    assert doc.paragraphs[1].style.name == "Title"
    assert any(pack.meeting["title"] in p and "数据截至：2026年1月27日 09:00" in p for p in paragraphs[4:6])
    assert pack.summary in paragraphs
    headings = [p.text for p in doc.paragraphs if p.style.name == "Heading 1"]
    assert headings == SECTIONS
    # the annex starts on a new page
    assert len(doc.sections) == 2 and doc.sections[1].start_type == 2   # WD_SECTION.NEW_PAGE
    lag = pack.lagging
    shown = fmt.progress_rows(lag)
    # first page: the city's lagging indicators, one line each with the department that leads on it
    city = lag[lag["is_city"]]
    compact = [row for row in rows if len(row) == 5 and row[0] != "指标"]
    assert [row[0] for row in compact] == city["indicator_name"].tolist()
    for row, (i, r) in zip(compact, city.iterrows()):
        assert row[1:] == [shown.loc[i, "value"], shown.loc[i, "target"], F.status(r.status), r.lead_department]
    # then one row per lagging indicator: the city's value, target and gap as the pack has them, formatted by
    # ui.format, the districts lagging on it named in the same row, and the lead department
    for r in lag.itertuples():
        found = [row for row in rows if row[0].split("\n")[0] == r.indicator_name and len(row) == 4
                 and ("目标 " in row[1] or "个区县" in row[1])]
        assert len(found) == 1, r.indicator_name
        text = " ".join(found[0])
        assert found[0][3] == r.lead_department
        if r.is_city:
            # read against the target: a figure short of it never reads as equal (91.9997% beside 92%)
            assert shown.loc[r.Index, "value"] in text and shown.loc[r.Index, "target"] in text
            assert fmt.value(r.value, r.unit, r.target, r.met, r.sign) == shown.loc[r.Index, "value"]
            assert r.gap_text in text and F.status(r.status) in text
        else:
            assert "滞后区县" in text and r.district in text
    # headline across: a column per status (mark and word), its count and the change since the last meeting
    head = next(i for i, row in enumerate(rows) if row[0] == "状态" and len(row) == len(pack.headline) + 1)
    assert rows[head][1:] == [F.status(w) for w in pack.headline["status"]]
    assert rows[head + 1] == ["项数"] + [str(int(c)) for c in pack.headline["count"]]
    # the correction since the last meeting (annex), old → new, and the overdue promise marked
    assert any("卫生健康委" in row[2] and "→" in row[1] for row in rows if len(row) == 3)
    promise_rows = [row for row in rows if row[0].startswith(INJECTIONS[0])]
    assert len(promise_rows) == 1 and "逾期" in promise_rows[0][3]


def test_docx_styles_set_chinese_fonts_for_east_asian_text(files):
    """仿宋 body, 黑体 title and headings, named on the styles as East Asian fonts (what LibreOffice and WPS
    read), no theme fonts; body 14 pt, everything black."""
    doc = Document(str(files["docx"]))
    expected = {"Normal": "FangSong", "Title": "SimHei", "Heading 1": "SimHei", "Heading 2": "SimHei"}
    for name, east_asian in expected.items():
        fonts = doc.styles[name].element.rPr.rFonts
        assert fonts.get(qn("w:eastAsia")) == east_asian, name
        assert fonts.get(qn("w:ascii")) and fonts.get(qn("w:eastAsiaTheme")) is None, name
        assert doc.styles[name].element.rPr.find(qn("w:lang")).get(qn("w:eastAsia")) == "zh-CN"
        if name != "Normal":
            assert str(doc.styles[name].font.color.rgb) == "000000"
    assert doc.styles["Normal"].font.size.pt == 14


def test_first_page_and_what_it_lists(pack):
    """总体情况, 新达标 (now 已达标, not before), the city's lagging list, 在办督办事项, 退回的报送; the raw figures in the annex."""
    parts = sections(pack)
    assert [s.key for s in parts[:5]] == FIRST_PAGE and parts[-1].annex
    by_key = {s.key: s for s in parts}
    assert by_key["overview"].intro == pack.summary
    c = pack.changes["status"]
    met = c[(c["status"] == "已达标") & (c["status_before"] != "已达标")]
    assert len(met) == 1   # 德城区's correction meets PS-03
    assert [row[0][0] for row in by_key["met"].tables[0].rows] == met["indicator_name"].tolist()
    assert [row[1][0] for row in by_key["met"].tables[0].rows] == met["district"].tolist()
    open_items = pack.actions[pack.actions["state"] == "进行中"]
    assert [row[0][0] for row in by_key["actions"].tables[0].rows] == open_items["promise"].tolist()
    assert by_key["actions"].tables[0].alert == open_items["overdue"].tolist()
    assert [row[0][0] for row in by_key["annex"].tables[0].rows] == [
        pack.progress.drop_duplicates("indicator").set_index("indicator").loc[i, "indicator_name"]
        for i in pack.changes["values"]["indicator"]]
    assert not by_key["rejected"].tables[0].rows and "没有退回的报送" in by_key["rejected"].intro


def test_rejected_reports_are_on_the_first_page(pack):
    """Rows as the board gives them: one report sent back (its file had errors, no contact on record), one late."""
    row = {"department_code": "JYJ", "department": "教育局", "frequency": "year", "period": "2025",
           "period_end": dt.date(2025, 12, 31), "deadline": dt.date(2026, 1, 31), "contact": None, "phone": None,
           "received_at": dt.datetime(2026, 1, 25, 10), "submission_id": 99, "file_name": HTML_INJECTION + ".xlsx",
           "status": "退回", "days_late": None}
    late = {**row, "department_code": "MZJ", "department": "民政局", "period": "2025Q4", "deadline": dt.date(2026, 1, 10),
            "received_at": None, "submission_id": None, "file_name": None, "status": "逾期", "days_late": 17,
            "contact": "王芳"}
    board = pd.DataFrame([row, late])
    later = dataclasses.replace(pack, missing=board)
    parts = {s.key: s for s in sections(later)}
    rejected, late = parts["rejected"].tables[0].rows, parts["missing"].tables[0].rows
    assert [r[0] for r in rejected] == [["教育局"]] and [r[0] for r in late] == [["民政局"]]
    assert rejected[0][2] == [fmt.board_status(REJECTED), HTML_INJECTION + ".xlsx"] and rejected[0][3] == ["—"]
    assert "1份报送" in parts["rejected"].intro
    page = to_html(later)
    assert HTML_INJECTION not in page and html.escape(HTML_INJECTION) in page
    ws = load_workbook(io.BytesIO(to_xlsx(later)))["退回的报送"]
    assert [c.value for c in ws[2]][:3] == ["教育局", "2025", fmt.board_status(REJECTED)] and ws.cell(2, 8).value == "—"


def test_meeting_number_counts_meetings_up_to_it(warehouse):
    db, second = warehouse
    con = connect(db, read_only=True)
    try:
        assert meeting_pack(con, second).number == 2 and meeting_pack(con, second - 1).number == 1
    finally:
        con.close()


def test_cover(pack):
    c = cover(pack)
    assert (c.title, c.issue, c.office, c.date) == ("儿童友好城市建设工作简报", f"第{pack.number}期",
                                                    settings().issuing_office, "2026年1月27日")
    assert c.meeting == "第二次周例会　数据截至：2026年1月27日 09:00　年度：2025年"


# -------------------------------------------------------------------------------------------- xlsx
def test_xlsx_has_a_sheet_per_table_with_the_packs_figures(pack, files):
    wb = load_workbook(files["xlsx"])
    assert wb.sheetnames == SHEETS
    summary = [[c.value for c in row] for row in wb["简报摘要"].iter_rows()]
    assert summary[1] == ["数据性质", DEMO_MARK]
    assert ["摘要", pack.summary] in summary
    for ws in wb:
        assert ws.freeze_panes == "A2"
        assert all(c.font.bold for c in ws[1] if c.value)
        assert ws.column_dimensions["A"].width >= 8
    head = [[c.value for c in row] for row in wb["主要进展"].iter_rows(min_row=2)]
    assert [(r[0], r[1], r[3]) for r in head] == [
        (F.status(s), int(c), int(ch)) for s, c, ch in zip(pack.headline["status"], pack.headline["count"],
                                                             pack.headline["change"])]
    ws = wb["滞后指标"]
    header = [c.value for c in ws[1]]
    rows = [dict(zip(header, [c.value for c in row])) for row in ws.iter_rows(min_row=2)]
    assert len(rows) == len(pack.lagging)
    for got, r in zip(rows, pack.lagging.itertuples()):
        assert (got["指标编码"], got["指标"], got["区县"]) == (r.indicator, r.indicator_name, r.district)
        assert got["数值"] == pytest.approx(r.value) and got["目标值"] == pytest.approx(r.target)
        assert got["差距"] == (r.gap_text or "—") and got["状态"] == F.row_status(r._asdict())
        assert got["牵头单位"] == r.lead_department
    # a rate displays like ui.format: its unit, and as many decimals as reading it against its target needs
    # (one as a rule; 91.9997% beside a 92% target that is not met needs four)
    shown = fmt.progress_rows(pack.lagging)["value"].tolist()
    for i, r in enumerate(pack.lagging.itertuples(), start=2):
        if r.unit == "%":
            decimals = len(shown[i - 2].rstrip("%").split(".")[1])
            assert ws.cell(i, header.index("数值") + 1).number_format == "#,##0." + "0" * decimals + '"%"'
    values = wb["数值变化"]
    assert values.max_row - 1 == len(pack.changes["values"])
    assert [c.value for c in values[2]][header_index(values, "填报单位")] == "卫生健康委"


def test_xlsx_changed_values_have_old_and_new_value_rounded_as_on_screen(pack, files):
    """德城区's PS-03 correction: 43/49 → 49/49, a rate in %: 原值 87.755…% shown 87.8%, 新值 100.0%."""
    ws = load_workbook(files["xlsx"])["数值变化"]
    header = [c.value for c in ws[1]]
    got = dict(zip(header, ws[2]))
    assert (got["原分子"].value, got["原分母"].value, got["新分子"].value, got["新分母"].value) == (43, 49, 49, 49)
    assert got["原值"].value == pytest.approx(43 / 49 * 100) and got["新值"].value == pytest.approx(100)
    assert got["原值"].number_format == got["新值"].number_format == '#,##0.0"%"'   # one decimal, as fmt.value
    assert fmt.value(43 / 49 * 100, "%") == "87.8%"
    rows = [[c.text for c in r.cells] for t in Document(str(files["docx"])).tables for r in t.rows]
    assert any(row[1] == "更正：87.8% → 100.0%\n分子/分母 43/49 → 49/49" for row in rows if len(row) == 3)


def header_index(ws, name: str) -> int:
    return [c.value for c in ws[1]].index(name)


def test_xlsx_never_stores_a_formula(pack, files):
    ws = load_workbook(files["xlsx"])["督办事项"]
    column = header_index(ws, "督办事项") + 1
    cells = {ws.cell(r, column).value: ws.cell(r, column) for r in range(2, ws.max_row + 1)}
    for text in INJECTIONS:
        cell = cells["'" + text]
        assert cell.data_type == "s" and not str(cell.value).startswith("=")
    with zipfile.ZipFile(files["xlsx"]) as z:
        sheets = [n for n in z.namelist() if n.startswith("xl/worksheets/")]
        assert sheets and not any(b"<f>" in z.read(n) or b"<f " in z.read(n) for n in sheets)


def test_xlsx_leading_tab_and_carriage_return_are_text(pack):
    actions = pack.actions.copy()
    first, second = actions.index[actions["state"] == "进行中"][:2]   # the sheet lists the open items
    actions.loc[first, "promise"] = "\t=1+1"
    actions.loc[second, "promise"] = "\r=2+2"
    wb = load_workbook(io.BytesIO(to_xlsx(dataclasses.replace(pack, actions=actions))))
    ws = wb["督办事项"]
    column = header_index(ws, "督办事项") + 1
    got = [ws.cell(r, column) for r in (2, 3)]
    assert [c.value for c in got] == ["'\t=1+1", "'\r=2+2"] or [c.value for c in got] == ["'\t=1+1", "'\n=2+2"]
    assert all(c.data_type == "s" for c in got)


def test_empty_tables_say_so(pack):
    """No previous meeting and nothing missing: each table says so instead of going blank."""
    first = dataclasses.replace(pack, meeting={**pack.meeting, "previous_id": None, "previous_as_of": None},
                                headline=pack.headline.assign(previous=None, change=None))
    parts = {s.key: s for s in sections(first)}
    changes = parts["changes"]
    assert all(not t.rows for t in changes.tables if t.sheet in ("状态变化", "排名变化"))
    assert "第一次会议" in changes.intro and "第一次会议" in parts["met"].intro
    assert not parts["annex"].tables[0].rows and "第一次会议" in parts["annex"].intro
    doc = Document(io.BytesIO(to_docx(first)))
    assert any("第一次会议" in p.text for p in doc.paragraphs)
    assert "第一次会议" in to_html(first)
    wb = load_workbook(io.BytesIO(to_xlsx(first)))
    assert "第一次会议" in wb["数值变化"]["A2"].value


def test_late_and_missing_reports_are_listed(warehouse, pack):
    """The demo has none by 2026-01-27; the board of a later day has a late and a missing report."""
    db, _ = warehouse
    con = connect(db, read_only=True)
    try:
        board = pd.concat([submission_board(con, dt.datetime(2026, d[0], d[1])) for d in ((2, 15), (4, 30))])
    finally:
        con.close()
    missing = board[board["status"].isin(["逾期", "未报"])].reset_index(drop=True)
    assert set(missing["status"]) == {"逾期", "未报"}
    later = dataclasses.replace(pack, missing=missing)
    rows = [[c.text for c in r.cells] for t in Document(io.BytesIO(to_docx(later))).tables for r in t.rows]
    ws = load_workbook(io.BytesIO(to_xlsx(later)))["未报和逾期"]
    assert ws.max_row - 1 == len(missing)
    for i, r in enumerate(missing.itertuples(), start=2):
        assert [ws.cell(i, j).value for j in (1, 2, 3, 5, 8)] == [
            r.department, r.period, F.board_status(r.status), int(r.days_late), r.contact]
        assert any(row[0] == r.department and row[1].startswith(r.period) and F.board_status(r.status) in row[2]
                   and f"{int(r.days_late)} 天" in row[2] and r.contact in row[3] for row in rows)


# ---------------------------------------------------------------------------------- every cell, all formats
# Emoji and pictographs (and the variation selector that makes a symbol one); geometric shapes such as
# ● ○ ▲ ■ ◆ × — print in black and white and are allowed, but not the emoji-capable ones (▶ ◀ ▪ ▫ ◻ ◼ ◽ ◾).
EMOJI = re.compile("[\U0001F000-\U0001FAFF\u2600-\u27BF\u2B00-\u2BFF\u2300-\u23FF\uFE0F\u21A9\u21AA\u2139"
                   "\u203C\u2049\u25AA\u25AB\u25B6\u25C0\u25FB-\u25FE]")
LITERAL_MISSING = re.compile(r"(?<![A-Za-z])(?:None|NaN|nan|NaT|<NA>)(?![A-Za-z])")


def _every_text(pack) -> dict[str, list[str]]:
    """Every text a reader sees in each file: Word paragraphs, headers, footers and table cells; every
    Excel cell; the web page without the inlined plotly library (its markup, styles and the figures' JSON)."""
    doc = Document(io.BytesIO(to_docx(pack)))
    word = [p.text for p in doc.paragraphs] + [c.text for t in doc.tables for r in t.rows for c in r.cells]
    for sec in doc.sections:
        word += [p.text for p in sec.header.paragraphs + sec.footer.paragraphs]
    wb = load_workbook(io.BytesIO(to_xlsx(pack)))
    excel = [str(c.value) for ws in wb for row in ws.iter_rows() for c in row if c.value is not None]
    excel += [ws.title for ws in wb]
    return {"docx": word, "xlsx": excel, "html": [BUNDLE.sub("", to_html(pack))]}


def test_no_none_nan_or_emoji_in_any_file(pack, warehouse):
    """The demo's latest meeting, and the same with late, missing and sent-back reports (contacts missing)."""
    db, _ = warehouse
    con = connect(db, read_only=True)
    try:
        board = submission_board(con, dt.datetime(2026, 4, 30))
    finally:
        con.close()
    owed = board[board["status"].isin(["逾期", "未报"])].head(2).assign(contact=None, phone=None)
    owed = pd.concat([owed, owed.head(1).assign(status="退回", file_name=None, days_late=None)], ignore_index=True)
    for p in (pack, dataclasses.replace(pack, missing=owed)):
        texts = _every_text(p)
        for kind, found in texts.items():
            assert found, kind
            for t in found:
                assert not LITERAL_MISSING.search(t), (kind, LITERAL_MISSING.search(t), t[:200])
                assert not EMOJI.search(t), (kind, EMOJI.search(t), t[:200])
        # every Excel cell that is not a number or a date holds text, and an empty field reads "—"
        assert "—" in texts["xlsx"]


def test_every_empty_excel_cell_reads_dash(files):
    wb = load_workbook(files["xlsx"])
    for ws in wb:
        for row in ws.iter_rows(min_row=2, max_col=ws.max_column):
            values = [c.value for c in row]
            if any(v is not None for v in values[1:]):   # not the note of an empty table ("无。")
                assert all(v is not None for v in values), (ws.title, values)


def test_zip_holds_the_three_files(pack):
    with zipfile.ZipFile(io.BytesIO(to_zip(pack))) as z:
        stem = file_stem(pack)
        assert z.namelist() == [f"{stem}.docx", f"{stem}.xlsx", f"{stem}.html"]
        assert Document(io.BytesIO(z.read(f"{stem}.docx"))).paragraphs[1].text == "儿童友好城市建设工作简报"
        assert load_workbook(io.BytesIO(z.read(f"{stem}.xlsx"))).sheetnames == SHEETS
        assert pack.summary in z.read(f"{stem}.html").decode("utf-8")


# -------------------------------------------------------------------------------------------- html
def test_html_is_self_contained(pack, files):
    page = files["html"].read_text(encoding="utf-8")
    assert '<meta charset="utf-8">' in page and '<meta name="viewport"' in page
    assert page.count("plotly.js v") == 1
    bundles = BUNDLE.findall(page)
    assert len(bundles) == 1
    # The inlined library holds URL strings it never fetches here (map tiles, its logo link);
    # everything else — our markup, styles and the figures' JSON — must name no outside resource.
    ours = BUNDLE.sub("", page)
    assert not OUTSIDE.findall(ours), OUTSIDE.findall(ours)[:5]
    assert not re.search(r"<(?:script|link|img|iframe)[^>]*\b(?:src|href)=", ours, re.I)
    assert len(re.findall(r'class="plotly-graph-div"', ours)) >= 2
    assert pack.summary in page and "演示数据" in page
    assert HTML_INJECTION not in page and "&lt;img src=&quot;x.png&quot;" in page
    for title in SECTIONS:
        assert f"<h2>{title}</h2>" in page


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Debian's Chromium, as tests/test_browser.py launches it; skipped only where it is not installed outside CI."""
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail("browser tests must run in CI: install Debian's chromium (see .ci/run)")
        pytest.skip("Debian's chromium is not installed")
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "headless": True,
            "args": ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                     "--disable-component-update", "--disable-sync", "--no-first-run"]}


def test_html_in_a_browser_with_the_network_cut(page, files):
    url = files["html"].as_uri()
    outside: list[str] = []

    def cut(route):
        if route.request.url == url:
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    page.route("**/*", cut)
    page.on("request", lambda r: outside.append(r.url) if r.url != url and urlparse(r.url).scheme not in
            ("data", "blob", "about") else None)
    page.set_default_timeout(30_000)
    SHOTS.mkdir(parents=True, exist_ok=True)
    for name, (width, height) in {"phone": (390, 844), "1366x768": (1366, 768)}.items():
        page.set_viewport_size({"width": width, "height": height})
        page.goto(url)
        page.wait_for_function("""() => {
            const divs = [...document.querySelectorAll('.plotly-graph-div')];
            return divs.length > 0 && divs.every(d => d.querySelector('svg.main-svg'));
        }""")
        charts = page.locator(".plotly-graph-div").count()
        drawn = page.locator(".plotly-graph-div:has(svg.main-svg)").count()
        assert charts >= 2 and drawn == charts
        assert page.get_by_text("演示数据", exact=False).first.is_visible()
        # nothing spills sideways: wide tables scroll inside their own box
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
        page.wait_for_timeout(300)
        page.screenshot(path=str(SHOTS / f"briefing_{name}.png"), full_page=True)
    assert not outside, f"requests beyond the file: {outside}"


# --------------------------------------------------------------------------------------------- CLI
def _cli(*args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "CFC_DB"}
    return subprocess.run([sys.executable, "-m", "briefing", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=120, env=env)


def test_cli_writes_three_files_named_by_date(warehouse, tmp_path):
    db, _ = warehouse
    run = _cli("--db", str(db), "--meeting", "latest", "-o", str(tmp_path))
    assert run.returncode == 0, run.stderr
    names = sorted(p.name for p in tmp_path.iterdir())
    # the demo ships six weekly meetings; the latest (2026-11-10) is after the fixture's January meetings
    assert names == ["周例会简报_2026-11-10.docx", "周例会简报_2026-11-10.html", "周例会简报_2026-11-10.xlsx"]
    assert sorted(Path(line).name for line in run.stdout.split()) == names
    assert Document(str(tmp_path / names[0])).paragraphs[0].text == DEMO_MARK


def test_cli_unknown_meeting(warehouse, tmp_path):
    db, _ = warehouse
    run = _cli("--db", str(db), "--meeting", "999", "-o", str(tmp_path))
    assert run.returncode == 2
    assert "没有编号为 999 的会议" in run.stderr and not list(tmp_path.iterdir())


def test_cli_no_meeting_yet_and_locked_warehouse(tmp_path):
    db = tmp_path / "fresh.duckdb"
    connect(db).close()
    run = _cli("--db", str(db), "-o", str(tmp_path / "out"))
    assert run.returncode == 2 and "还没有会议记录" in run.stderr and "周例会" in run.stderr
    con = connect(db)          # the dashboard holds the write lock
    try:
        run = _cli("--db", str(db), "-o", str(tmp_path / "out"))
    finally:
        con.close()
    assert run.returncode == 2 and "正被另一个程序" in run.stderr


def test_xlsx_lists_the_tasks_as_the_pack_has_them(pack, files):
    ws = load_workbook(files["xlsx"])["任务清单"]
    rows = [[c.value for c in row] for row in ws.iter_rows(min_row=2)]
    expected = [(r.code, r.state) for r in pack.tasks.itertuples()]
    assert [(r[0], r[4]) for r in rows] == expected
    # the demo's 住建局 guideline (T-05, due 2025-09-30) is still 推进中 at the meeting: shown 逾期
    assert ("T-05", "逾期") in expected
