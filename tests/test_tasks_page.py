"""任务清单 as an official uses it, through AppTest: the tasks by state, 逾期 and 待佐证 first, filtered by 类别 and
牵头单位; evidence attached on the page (a PDF proves a task reported 已完成; a renamed program is refused in
Chinese and nothing is kept); a warehouse whose catalog has no tasks says what to do."""
from __future__ import annotations

import shutil

import pytest

from conftest import mini_warehouse, open_app, xlsx
from warehouse.db import connect
from ingest.pipeline import receive

PAGE = "pages/tasks.py"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\n%%EOF\n"
EXE = b"MZ\x90\x00\x03\x00\x00\x00" + b"\0" * 120


def task_sheet(department: str, code: str, state: str, evidence=None) -> bytes:
    """A department's 任务进展 sheet, as the demo's are: one task reported."""
    return xlsx([["填报单位", department, "报送日期", "2026-11-20"], ["任务编码", "状态", "更新日期", "佐证材料", "备注"],
                 [code, state, "2026-11-20", evidence, "已按方案完成"]], sheet="任务进展")


@pytest.fixture
def reported(demo_db, tmp_path, monkeypatch):
    """The demo with 妇联 reporting T-11 已完成 without evidence (待佐证), opened on 任务清单."""
    db = tmp_path / "warehouse.duckdb"
    shutil.copy(demo_db, db)
    con = connect(db)
    path = tmp_path / "妇联_任务进展.xlsx"
    path.write_bytes(task_sheet("妇联", "T-11", "已完成"))
    assert receive(con, path, tmp_path / "archive").status == "accepted"
    con.close()
    at = open_app(db, monkeypatch)
    at.switch_page(PAGE).run()
    yield at, db
    from ui.data import connection
    connection.clear()


def table(at):
    return at.dataframe[0].value.set_index("编码")


def counts(at) -> dict[str, int]:
    return {m.label.split()[-1]: int(m.value) for m in at.metric}


def evidence_rows(db) -> int:
    from ui.data import connection
    connection.clear()          # the page's connection holds the write lock: close it to look
    con = connect(db, read_only=True)
    try:
        return con.execute("SELECT count(*) FROM task_evidence").fetchall()[0][0]
    finally:
        con.close()


def test_the_demo_tasks_by_state_with_what_needs_acting_on_first(app):
    app.switch_page(PAGE).run()
    assert not app.exception
    assert app.title[0].value == "任务清单"
    shown = app.dataframe[0].value
    assert len(shown) == 12
    states = shown["状态"].tolist()
    assert states[:6] == ["▲ 逾期"] * 6 and states[-3:] == ["● 已完成"] * 3
    assert counts(app) == {"未启动": 1, "推进中": 2, "已完成": 3, "待佐证": 0, "逾期": 6}
    # every task is a 任务: the 类别 column is left out, so the names fit at 1366 px
    assert list(shown.columns) == ["编码", "任务", "牵头单位", "完成时限", "状态", "最近更新", "佐证材料"]
    row = shown.set_index("编码").loc["T-04"]            # never reported: no update, no evidence
    assert (row["最近更新"], row["佐证材料"], row["完成时限"]) == ("—", "—", "2026-06-30")
    app.selectbox(key="tasks_department").select("团市委").run()
    assert set(app.dataframe[0].value["编码"]) == {"T-02", "T-10"}
    app.selectbox(key="tasks_category").select("政策").run()     # the demo's tasks are all 任务
    assert not any("完成时限" in d.value.columns for d in app.dataframe)   # no task table; the history stays
    assert any("没有符合筛选条件" in i.value for i in app.info)


def test_a_pdf_proves_a_task_reported_done_and_a_renamed_program_is_refused(reported):
    at, db = reported
    assert not at.exception
    assert table(at).loc["T-11", "状态"] == "◇ 待佐证" and counts(at)["待佐证"] == 1
    assert at.dataframe[0].value["编码"].tolist().index("T-11") == 5     # after the five 逾期, first of the rest
    at.selectbox(key="evidence_task").select("T-11").run()

    at.get("file_uploader")[0].set_value(("x.pdf", EXE, "application/pdf")).run()
    at.button(key="evidence_save").click().run()
    assert any("不是 PDF、图片（PNG、JPG）或 Word 文档，未保存" in e.value for e in at.error)
    assert not at.success
    assert table(at).loc["T-11", "状态"] == "◇ 待佐证"
    assert evidence_rows(db) == 0

    at.get("file_uploader")[0].set_value(("验收纪要.pdf", PDF, "application/pdf")).run()
    at.button(key="evidence_save").click().run()
    assert not at.exception and not at.error
    said = " ".join(s.value for s in at.success)
    assert "验收纪要" in said and "● 已完成" in said
    row = table(at).loc["T-11"]
    assert row["状态"] == "● 已完成" and row["佐证材料"] == "验收纪要.pdf"
    assert counts(at)["待佐证"] == 0 and counts(at)["已完成"] == 4
    assert evidence_rows(db) == 1


def test_a_document_number_is_checked_and_kept(reported):
    at, db = reported
    at.selectbox(key="evidence_task").select("T-11").run()
    at.radio(key="evidence_how").set_value("填写文号").run()
    at.button(key="evidence_save").click().run()
    assert any("文号是空的" in e.value for e in at.error)
    at.text_input(key="evidence_docno").input("德妇字〔2026〕12号").run()
    at.button(key="evidence_save").click().run()
    assert any("德妇字〔2026〕12号" in s.value for s in at.success)
    assert table(at).loc["T-11", "佐证材料"] == "德妇字〔2026〕12号"
    assert table(at).loc["T-11", "状态"] == "● 已完成"
    assert evidence_rows(db) == 1


def test_a_catalog_without_tasks_says_what_to_do(tmp_path, monkeypatch):
    m = mini_warehouse(tmp_path)
    m.con.close()
    at = open_app(tmp_path / "mini.duckdb", monkeypatch)
    at.switch_page(PAGE).run()
    assert not at.exception
    assert any("指标体系中没有任务清单" in i.value and "上传新版本" in i.value for i in at.info)
    assert not at.dataframe and not at.get("file_uploader")
    from ui.data import connection
    connection.clear()


def test_a_plan_without_due_dates_reads_a_dash_on_the_page_the_meeting_and_the_briefing(tmp_path, monkeypatch):
    """东阿县's plan gives a date for 1 of its 25 tasks: the others read "—" (never 待确认, which is the word for a
    provisional target); the department the plan does not name is the catalog's own text."""
    import datetime as dt

    from briefing.sections import sections
    from conftest import ROOT
    from ingest.catalog import load_catalog, read_catalog
    from meetings.records import start_meeting
    from metrics.meeting import meeting_pack
    name = "东阿县.xlsx"
    data = (ROOT / "data" / "plans" / name).read_bytes()
    con = connect(tmp_path / "office.duckdb")
    load_catalog(con, read_catalog(data, name)[0], data, name)
    meeting = start_meeting(con, "例会", at=dt.datetime(2026, 3, 2, 9))
    pack = meeting_pack(con, meeting)
    con.close()

    briefing = next(s for s in sections(pack) if s.key == "tasks").tables[0]
    due = [row[2][0] for row in briefing.rows]
    assert len(due) == 25 and due.count("—") == 24 and "待确认" not in due
    assert [r[3] for r in briefing.sheet_rows].count(None) == 24            # Excel: empty date cells
    assert pack.tasks["state"].iloc[0] == "逾期" and briefing.alert[0]       # the dated one passed: first, flagged

    at = open_app(tmp_path / "office.duckdb", monkeypatch)
    at.switch_page(PAGE).run()
    assert not at.exception
    shown = at.dataframe[0].value
    assert len(shown) == 25 and (shown["完成时限"] == "—").sum() == 24 and "待确认" not in set(shown["完成时限"])
    assert set(shown["牵头单位"]) == {"待确认(方案未写明)"}
    at.switch_page("pages/meeting.py").run()
    at.session_state["meeting_screen"] = 5
    at.run()
    assert not at.exception
    grid = next(d.value for d in at.dataframe if "完成时限" in d.value.columns)
    assert (grid["完成时限"] == "—").sum() == 24 and "待确认" not in set(grid["完成时限"])
    from ui.data import connection
    connection.clear()


def test_a_plan_with_results_and_policies_shows_and_filters_the_category(tmp_path, monkeypatch):
    """西青区's list holds 任务, 成果 (3) and 政策 (2): the 类别 column is shown and the filter keeps one kind."""
    from conftest import ROOT
    from ingest.catalog import load_catalog, read_catalog
    name = "西青区.xlsx"
    data = (ROOT / "data" / "plans" / name).read_bytes()
    con = connect(tmp_path / "office.duckdb")
    load_catalog(con, read_catalog(data, name)[0], data, name)
    con.close()
    at = open_app(tmp_path / "office.duckdb", monkeypatch)
    at.switch_page(PAGE).run()
    assert not at.exception
    assert set(at.dataframe[0].value["类别"]) == {"任务", "成果", "政策"}
    at.selectbox(key="tasks_category").select("成果").run()
    shown = at.dataframe[0].value
    assert len(shown) == 3 and "类别" not in shown.columns        # one kind left: the filter says it
    from ui.data import connection
    connection.clear()


def test_the_briefing_counts_and_flags_a_task_awaiting_evidence(demo_con, tmp_path):
    """妇联 reports T-11 已完成 without evidence; at the next meeting it comes right after the 逾期 tasks, flagged,
    with its department, and the task section's intro counts it."""
    import datetime as dt

    from briefing.sections import sections
    from meetings.records import start_meeting
    from metrics.meeting import meeting_pack
    path = tmp_path / "妇联_任务进展.xlsx"
    path.write_bytes(task_sheet("妇联", "T-11", "已完成"))
    assert receive(demo_con, path, tmp_path / "archive", received_at=dt.datetime(2026, 11, 20, 9)).status == "accepted"
    pack = meeting_pack(demo_con, start_meeting(demo_con, "例会", at=dt.datetime(2026, 11, 24, 9)))
    assert pack.tasks["state"].tolist()[:6] == ["逾期"] * 5 + ["待佐证"]
    section = next(s for s in sections(pack) if s.key == "tasks")
    assert "逾期5项、已报完成待佐证1项" in section.intro
    t = section.tables[0]
    assert t.rows[5][1:] == [["妇联"], ["2025年10月31日"], ["◇ 待佐证"]]
    assert t.alert[:7] == [True] * 6 + [False]
