"""The demo city, built from the committed files exactly as `python -m ingest demo` does."""
from __future__ import annotations

import subprocess
import sys
import tomllib

import pytest

from conftest import ROOT
from warehouse.db import connect
from ingest.demo import NotADemoWarehouse, build_demo


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    db = tmp_path_factory.mktemp("demo") / "warehouse.duckdb"
    run = subprocess.run([sys.executable, "-m", "ingest", "demo", "--db", str(db)], cwd=ROOT,
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    con = connect(db, read_only=True)
    yield con, run.stdout, db
    con.close()


def test_every_committed_file_is_received_and_archived(demo):
    con, out, db = demo
    manifest = (ROOT / "data" / "demo" / "manifest.csv").read_text(encoding="utf-8").splitlines()[1:]
    assert con.execute("SELECT count(*) FROM receipt").fetchall()[0][0] == len(manifest)
    statuses = dict(con.execute("SELECT status, count(*) FROM submission GROUP BY ALL").fetchall())
    assert statuses == {"accepted": len(manifest) - 1, "rejected": 1}
    archive = db.parent / "archive"
    archived = [p for p in archive.rglob("*") if p.is_file() and p.suffix != ".jsonl" and p.parent.name != "catalog"]
    assert len(archived) == len(manifest)
    # the catalog's workbook is kept too, and the journal lists the catalog, the demo mark, every file and
    # the meeting history (meetings, action items, their changes of state, the history's fingerprint)
    assert len(list((archive / "catalog").iterdir())) == 1
    history = tomllib.loads((ROOT / "data" / "demo" / "meetings.toml").read_text(encoding="utf-8"))
    changes = len(history["meeting"]) + sum(1 + len(a.get("states", [])) for a in history["action"]) + 1
    assert len((archive / "journal.jsonl").read_text(encoding="utf-8").splitlines()) == len(manifest) + 2 + changes
    assert con.execute("SELECT count(*) FROM meeting").fetchall()[0][0] == len(history["meeting"]) == 6
    assert con.execute("SELECT value FROM meta WHERE key = 'demo'").fetchall() == [("true",)]


def test_the_broken_file_is_rejected_cell_by_cell(demo):
    con, out, _ = demo
    assert "rejected\t教育局_2025_有错误.xlsx" in out
    issues = con.execute("""
        SELECT i.cell, i.rule FROM submission_issue i JOIN submission s ON s.id = i.submission_id
        WHERE s.status = 'rejected' ORDER BY i.cell""").fetchall()
    assert issues == [("B12", "unknown_district"), ("C7", "not_number"), ("E20", "total_mismatch"),
                      ("F9", "numerator_gt_denominator")]
    loaded = con.execute("""
        SELECT count(*) FROM observation o JOIN submission s ON s.id = o.submission_id
        WHERE s.status = 'rejected'""").fetchall()[0][0]
    assert loaded == 0


def test_the_resubmission_corrects_the_value(demo):
    con, _, _ = demo
    rows = con.execute("""
        SELECT s.file_name, o.numerator FROM observation o JOIN submission s ON s.id = o.submission_id
        WHERE o.indicator_code = 'PS-03' AND o.district_code = '371402' AND o.period = '2025'
        ORDER BY s.received_at""").fetchall()
    (first, before), (second, after) = rows
    assert first == "卫生健康委_2025.xlsx" and second == "卫生健康委_2025_更正.xlsx" and after == before + 6
    current = con.execute("""
        SELECT numerator FROM current_observation()
        WHERE indicator_code = 'PS-03' AND district_code = '371402' AND period = '2025'""").fetchall()
    assert current == [(after,)]


def test_the_story(demo):
    """Every district reports; 2023–2026 are covered; monthly figures run to 2026-10; a late and a missing report."""
    con, _, _ = demo
    assert con.execute("SELECT count(DISTINCT district_code) FROM current_observation()").fetchall()[0][0] == 13
    assert con.execute("SELECT min(year), max(year), max(period) FILTER (WHERE period SIMILAR TO '\\d{4}-\\d{2}') "
                       "FROM current_observation()").fetchall() == [(2023, 2026, "2026-10")]
    late = con.execute("SELECT received_at FROM submission WHERE file_name = '住建局_2025.xlsx'").fetchall()
    assert late[0][0].month == 3  # two months after the others
    missing = con.execute("SELECT count(*) FROM submission WHERE department_code = 'GAJ' "
                          "AND list_contains(periods, '2026-Q3')").fetchall()[0][0]
    assert missing == 0
    # the register reaches the master list: every community of the catalog is in 2025's 台账
    assert con.execute("SELECT count(*) FROM current_register_entry() WHERE year = 2025").fetchall()[0][0] == \
        con.execute("SELECT count(*) FROM community").fetchall()[0][0]


def test_refuses_to_replace_a_real_warehouse(warehouse, load, tmp_path):
    from conftest import long_rows, xlsx
    load(xlsx(long_rows(["PS-12", "德城区", 2025, None, None, 1])), department="卫健委")
    warehouse.close()
    with pytest.raises(NotADemoWarehouse):
        build_demo(tmp_path / "w.duckdb")
    assert (tmp_path / "w.duckdb").exists()
