"""Every plan monitorable (issue 11): the four plan catalogs in data/plans/ read and load, every page opens on
each of them with no data and with a little, and the 指标体系 page starts a warehouse from a plan template —
replacing the demo, never a warehouse with real submissions."""
from __future__ import annotations

import datetime as dt
import importlib.util
import io
import shutil
import subprocess
import sys

import duckdb
import openpyxl
import pytest

from conftest import ROOT, count_rows, long_rows, mini_catalog_bytes, open_app, xlsx
from warehouse import config
from ingest.catalog import load_catalog, read_catalog
from warehouse.db import connect
from ingest.demo import is_demo
from ingest.pipeline import receive
from ingest.plans import PlanRefused, plan_templates, start_from_plan

PLANS_DIR = ROOT / "data" / "plans"
PLAN_FILES = ["东阿县.xlsx", "三年行动计划2023-2025.xlsx", "西青区.xlsx", "德州市.xlsx"]
PAGES = ["pages/overview.py", "pages/meeting.py", "pages/indicator.py", "pages/districts.py",
         "pages/submissions.py", "pages/tasks.py", "pages/upload.py", "pages/quality.py", "pages/catalog.py"]
NEXT_STEP = "还没有报送数据：请在「数据上传」页上传"
PENDING_DEPT = "待确认(方案未写明)"   # as read: full-width brackets are normalised


def _script():
    spec = importlib.util.spec_from_file_location("make_plan_catalogs", ROOT / "scripts" / "make_plan_catalogs.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module          # dataclasses look their module up while the class is built
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def script():
    return _script()


def read_plan(name: str):
    data = (PLANS_DIR / name).read_bytes()
    cat, problems = read_catalog(data, name)
    assert cat is not None, [(p.sheet, p.cell, p.message) for p in problems]
    assert not [p for p in problems if p.severity == "error"]
    return cat, data


# ------------------------------------------------------------- the workbooks
def test_the_four_plans_are_there():
    assert sorted(p.name for p in PLANS_DIR.glob("*.xlsx")) == sorted(PLAN_FILES)


@pytest.mark.parametrize("name", PLAN_FILES)
def test_plan_catalog_reads_and_loads(name, tmp_path, script):
    cat, data = read_plan(name)
    plan = next(p for p in script.PLANS if p.file == name)
    assert (len(cat.indicators), len(cat.targets), len(cat.tasks)) == (
        len(plan.indicators), len(plan.targets), len(plan.tasks))
    word = plan.indicators[0][17].split()[0]            # the plan's short name: "东阿方案" …
    assert all(i.source and i.source.startswith(word) for i in cat.indicators.values())
    assert all(t.source and t.source.startswith(word) for t in cat.targets)
    assert all(t.source and t.source.startswith(word) for t in cat.tasks.values())
    # what the plan does not say stays 待确认: a department of that name, tasks without a date
    assert any(d.name == PENDING_DEPT for d in cat.departments.values())
    assert any(t.due_on is None for t in cat.tasks.values())
    assert {t.category for t in cat.tasks.values()} <= {"任务", "成果", "政策"}
    # every Table A and Table B row of the summary is named by some row of the catalog
    cover = script.coverage(plan)
    assert cover["table_a_in_catalog"] == cover["table_a"] and cover["table_b_in_catalog"] == cover["table_b"]
    con = connect(tmp_path / "w.duckdb")
    load_catalog(con, cat, data, name)
    assert count_rows(con, "indicator") == len(cat.indicators)
    assert count_rows(con, "task") == len(cat.tasks)
    assert con.execute("SELECT count(*) FROM task WHERE due_on IS NULL").fetchall()[0][0] == cover["due_pending"]
    assert con.execute("SELECT count(*) FROM indicator WHERE note IS NOT NULL").fetchall()[0][0] >= 1
    con.close()


def test_ambiguities_are_choices_with_a_note():
    """梦想小屋: 500 by 2025 counts the first 200 (累计); 暑托班 ≥500 every summer, its year 待确认;
    普惠托育 divides by 托位; each note names the alternative."""
    cat, _ = read_plan("三年行动计划2023-2025.xlsx")
    dream = cat.indicators["SY-04"]
    assert (dream.kind, dream.accumulation, dream.reporting_basis) == ("count", "cumulative", "running_total")
    assert {(t.year, t.value) for t in cat.targets if t.indicator_code == "SY-04"} == {(2023, 200), (2025, 500)}
    assert "700" in dream.note
    summer = [t for t in cat.targets if t.indicator_code == "SY-09"]
    assert {t.year for t in summer} == {2023, 2024, 2025}
    assert all(t.nature == "at_least" and t.value == 500 and t.provisional for t in summer)
    assert "三年累计" in cat.indicators["SY-09"].note
    assert cat.indicators["SY-02"].denominator_def == "托位总数" and "机构" in cat.indicators["SY-02"].note
    dezhou, _ = read_plan("德州市.xlsx")
    natures = {t.year: (t.value, t.nature) for t in dezhou.targets if t.indicator_code == "DZ-01"}
    assert natures == {2024: (30, "at_least"), 2025: (50, "about")}


def test_named_programmes_are_count_indicators_without_invented_targets():
    cat, _ = read_plan("东阿县.xlsx")
    names = {i.name: i for i in cat.indicators.values()}
    for word in ("希望小屋", "春蕾", "爱心妈妈", "最美家庭", "家长学校"):
        ind = next(i for n, i in names.items() if word in n)
        assert ind.kind == "count"
        assert not [t for t in cat.targets if t.indicator_code == ind.code]   # the plan gives no number
        assert "待确认" in ind.note
        assert cat.departments[ind.lead_department].name == PENDING_DEPT


def test_the_script_gives_the_committed_bytes(script):
    for plan in script.PLANS:
        assert script.workbook(plan) == (PLANS_DIR / plan.file).read_bytes(), plan.file


def test_templates_list_each_plan_with_its_about():
    found = {t.path.name: t for t in plan_templates()}
    assert set(found) == set(PLAN_FILES)
    assert all(t.title.startswith("《") and t.about for t in found.values())


def test_cli_loads_a_plan(tmp_path):
    run = subprocess.run([sys.executable, "-m", "ingest", "catalog", str(PLANS_DIR / "德州市.xlsx"),
                          "--db", str(tmp_path / "w.duckdb")], cwd=ROOT, capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    assert "指标 3 项" in run.stdout


# ------------------------------------------------- the reader's new columns
def _with_tasks(rows, header=("任务编码", "任务", "牵头单位", "完成时限", "类别", "备注")):
    return mini_catalog_bytes(extra={"任务": [list(header), *rows]})


def test_old_catalogs_load_as_before(catalog):
    """data/catalog.xlsx has no 类别, 备注 or 口径说明 columns: every task is a 任务 with its date."""
    assert all(t.category == "任务" and t.note is None and t.due_on for t in catalog.tasks.values())
    assert all(i.note is None for i in catalog.indicators.values())


def test_task_due_may_be_pending_but_not_nonsense():
    cat, problems = read_catalog(_with_tasks([("T1", "甲", "妇联", "待确认", "成果", "方案未写明时限"),
                                              ("T2", "乙", "妇联", None, None, None),
                                              ("T3", "丙", "妇联", "2025-06-30", "政策", None)]))
    assert cat is not None, problems
    assert [(t.due_on, t.category, t.note) for t in cat.tasks.values()] == [
        (None, "成果", "方案未写明时限"), (None, "任务", None), (dt.date(2025, 6, 30), "政策", None)]
    cat, problems = read_catalog(_with_tasks([("T1", "甲", "妇联", "明年", "计划", None)]), "bad.xlsx")
    assert cat is None
    messages = {p.rule: p.message for p in problems}
    assert "完成时限「明年」不是日期" in messages["not_date"]
    assert "「计划」不是有效的类别" in messages["invalid_choice"] and "任务、成果、政策" in messages["invalid_choice"]


def test_an_older_warehouse_gains_the_new_columns(tmp_path):
    db = tmp_path / "old.duckdb"
    old = duckdb.connect(str(db))
    old.execute("""CREATE TABLE catalog_task (catalog_id INTEGER NOT NULL, code VARCHAR NOT NULL,
        sort_order INTEGER NOT NULL, action VARCHAR, name VARCHAR NOT NULL, lead_department VARCHAR NOT NULL,
        co_departments VARCHAR[] NOT NULL, due_on DATE NOT NULL, evidence VARCHAR, catalog_row INTEGER NOT NULL,
        PRIMARY KEY (catalog_id, code))""")
    old.execute("INSERT INTO catalog_task VALUES (1, 'T-01', 0, NULL, '任务', 'FL', [], DATE '2025-06-30', NULL, 2)")
    old.close()
    con = connect(db)
    columns = dict(con.execute("SELECT column_name, is_nullable FROM information_schema.columns "
                               "WHERE table_name = 'catalog_task'").fetchall())
    assert columns["due_on"] == "YES" and {"category", "note", "source"} <= set(columns)
    assert con.execute("SELECT code, due_on, category FROM catalog_task").fetchall() == [
        ("T-01", dt.date(2025, 6, 30), None)]
    con.execute("INSERT INTO catalog_task (catalog_id, code, sort_order, name, lead_department, co_departments, "
                "catalog_row) VALUES (1, 'T-02', 1, '乙', 'FL', [], 3)")
    con.close()
    connect(db).close()   # opening again changes nothing


# ------------------------------------------------------------ the pages
def _plan_only(tmp_path, name):
    cat, data = read_plan(name)
    db = tmp_path / "office.duckdb"
    con = connect(db)
    load_catalog(con, cat, data, name)
    con.close()
    return db, cat


def _open_every_page(db, monkeypatch):
    from ui.data import connection
    at = open_app(db, monkeypatch)
    shown = {}
    for page in PAGES:
        at.switch_page(page).run()
        assert not at.exception, (page, [e.value for e in at.exception])
        shown[page] = ([i.value for i in at.info], len(at.get("plotly_chart")), at)
    connection.clear()
    return shown


def _a_little_data(db, cat, tmp_path):
    """A long-format file for the plan's first indicators of one department, received into the warehouse."""
    area = next(d for d in cat.districts.values() if d.parent_code)
    first = next(iter(cat.indicators.values()))
    chosen = [i for i in cat.indicators.values() if i.lead_department == first.lead_department][:3]
    rows = []
    for i in chosen:
        if i.kind == "rate":     # 2025: the one year every plan's period holds (东阿's only time node)
            rows.append([i.code, area.name, 2025, 40, 100, None])
        else:
            rows.append([i.code, area.name, 2025, None, None, 7])
    path = tmp_path / "one.xlsx"
    path.write_bytes(xlsx(long_rows(*rows)))
    con = connect(db)
    result = receive(con, path, tmp_path / "archive", department=cat.departments[first.lead_department].name)
    con.close()
    assert result.status == "accepted", result.problems
    return chosen


@pytest.mark.parametrize("name", PLAN_FILES)
def test_every_page_on_a_plan_before_and_after_data(name, tmp_path, monkeypatch):
    db, cat = _plan_only(tmp_path, name)
    shown = _open_every_page(db, monkeypatch)
    for page in set(PAGES) - {"pages/upload.py", "pages/catalog.py", "pages/tasks.py"}:
        assert any(NEXT_STEP in text for text in shown[page][0]), page
        assert shown[page][1] == 0, page                      # no figure before any data
    catalog_page = shown["pages/catalog.py"][2]
    grids = [d.value for d in catalog_page.dataframe]
    tasks = next(g for g in grids if "完成时限" in g.columns)
    assert len(tasks) == len(cat.tasks) and "待确认" in set(tasks["完成时限"])
    assert PENDING_DEPT in set(tasks["牵头单位"])
    assert "口径说明" in grids[0].columns

    _a_little_data(db, cat, tmp_path)
    shown = _open_every_page(db, monkeypatch)
    assert not any(NEXT_STEP in text for texts, _, _ in shown.values() for text in texts)
    assert shown["pages/overview.py"][1] > 0 and shown["pages/indicator.py"][1] > 0


# ------------------------------------------------------- starting from a plan
def test_choosing_a_plan_replaces_the_demo_with_an_empty_warehouse(app, tmp_path):
    from ui.data import connection
    db = tmp_path / "warehouse.duckdb"
    archive = config.archive_dir(db)
    (archive / "demo").mkdir(parents=True, exist_ok=True)      # what the demo received (the fixture copies only the db)
    (archive / "demo" / "f.xlsx").write_bytes(b"demo")
    at = app.switch_page("pages/catalog.py").run()
    choices = at.selectbox(key="plan_template").options
    at.selectbox(key="plan_template").select(next(i for i, c in enumerate(choices) if "西青" in c)).run()
    assert any("演示数据库将被替换" in c.value for c in at.caption)
    at.button(key="plan_start").click().run()
    assert not at.exception
    assert any("已用方案模板新建" in s.value and "西青" in s.value for s in at.success)
    connection().close()
    connection.clear()
    con = duckdb.connect(str(db), read_only=True)
    assert con.execute("SELECT count(*) FROM submission").fetchall() == [(0,)]
    assert con.execute("SELECT count(*) FROM meeting").fetchall() == [(0,)]
    assert con.execute("SELECT file_name FROM catalog_load").fetchall() == [("西青区.xlsx",)]
    assert con.execute("SELECT code FROM indicator").fetchall() == [("XQ-01",)]
    assert not is_demo(con)
    con.close()
    kept = sorted(p.relative_to(archive).as_posix() for p in archive.rglob("*") if p.is_file())
    assert "demo/f.xlsx" not in kept and "journal.jsonl" in kept     # the demo's files are gone, a new journal
    assert [k for k in kept if k.startswith("catalog/")] and len(kept) == 2  # with the plan's workbook


def test_a_warehouse_with_real_submissions_is_refused_and_unchanged(tmp_path, monkeypatch):
    db, cat = _plan_only(tmp_path, "德州市.xlsx")
    _a_little_data(db, cat, tmp_path)
    before = (db.stat().st_size, _counts(db))
    at = open_app(db, monkeypatch).switch_page("pages/catalog.py").run()
    assert any("不能用方案模板新建" in e.value and "上传新的指标体系" in e.value for e in at.error)
    assert at.button(key="plan_start").disabled
    from ui.data import connection
    connection().close()
    connection.clear()
    with pytest.raises(PlanRefused, match="已收到 1 份报送文件"):
        start_from_plan(db, PLANS_DIR / "东阿县.xlsx")
    assert _counts(db) == before[1]


def test_an_empty_office_warehouse_takes_the_plan_as_a_new_catalog_version(tmp_path):
    db, _ = _plan_only(tmp_path, "德州市.xlsx")
    start_from_plan(db, PLANS_DIR / "东阿县.xlsx")
    con = duckdb.connect(str(db), read_only=True)
    assert con.execute("SELECT file_name FROM catalog_load ORDER BY id").fetchall() == [("德州市.xlsx",), ("东阿县.xlsx",)]
    assert con.execute("SELECT count(*) FROM indicator WHERE code LIKE 'DA-%'").fetchall() == [(8,)]
    con.close()


def test_a_broken_plan_is_refused_in_chinese(tmp_path):
    wb = openpyxl.load_workbook(PLANS_DIR / "德州市.xlsx")
    wb["指标"]["B2"] = "社区友好"
    bad = tmp_path / "坏方案.xlsx"
    buffer = io.BytesIO()
    wb.save(buffer)
    bad.write_bytes(buffer.getvalue())
    with pytest.raises(PlanRefused, match="方案模板 坏方案.xlsx 有错误"):
        start_from_plan(tmp_path / "w.duckdb", bad)
    assert not (tmp_path / "w.duckdb").exists()


def _counts(db):
    con = duckdb.connect(str(db), read_only=True)
    out = [con.table(t).count("*").fetchall()[0][0]
           for t in ("catalog_load", "catalog_indicator", "submission", "observation")]
    con.close()
    return out


def test_a_task_without_a_date_is_reported_and_never_overdue(tmp_path):
    """The template says 待确认 for the date; a report on the task is received; the task is never 逾期."""
    from ingest.template import build_template
    from metrics.tasks import OVERDUE, task_status
    db, cat = _plan_only(tmp_path, "东阿县.xlsx")
    wb = openpyxl.load_workbook(io.BytesIO(build_template(cat, "DQR", "2025")))
    ws = wb["任务进展"]
    assert (ws["A6"].value, ws["C6"].value) == ("DA-B01", "待确认")
    assert (ws["A7"].value, ws["C7"].value) == ("DA-B02", "2025-12-31")
    ws["D6"], ws["D7"] = "推进中", "推进中"
    buffer = io.BytesIO()
    wb.save(buffer)
    path = tmp_path / "任务.xlsx"
    path.write_bytes(buffer.getvalue())
    con = connect(db)
    result = receive(con, path, tmp_path / "archive", department="待确认", received_at=dt.datetime(2026, 3, 1))
    assert result.status == "accepted", result.problems
    states = task_status(con, on=dt.date(2026, 3, 1)).set_index("code")["state"]
    con.close()
    assert states["DA-B01"] == "推进中"          # no date: never late
    assert states["DA-B02"] == OVERDUE          # 2025-12-31 passed without 已完成
