"""A batch of files through worker processes (ingest.batch) loads exactly what the same files loaded one by
one do: the same outcomes, problems, rows and warehouse; a register needing the master list and a file a
worker cannot handle fall back to the writing process."""
from __future__ import annotations

import datetime as dt
import shutil

import duckdb

from conftest import ROOT
from ingest import batch
from ingest.catalog import load_catalog
from ingest.pipeline import receive
from warehouse.db import connect

DEMO = ROOT / "data" / "demo"
FILES = ["教育局_2024.xlsx", "妇联_2024.xlsx", "卫生健康委_2024.xlsx", "教育局_2025.xlsx", "教育局_2025_有错误.xlsx",
         "团市委_任务进展_2025-04-02.xlsx"]
AT = dt.datetime(2026, 3, 2, 9, 0)
TABLES = {"submission": "id, file_name, status, department_code, periods, n_rows, n_errors, n_warnings",
          "observation": "submission_id, indicator_code, district_code, period, numerator, denominator, value, "
                         "numerator_cell",
          "register_entry": "submission_id, indicator_code, community_code, period, flag",
          "task_update": "submission_id, task_code", "submission_issue": "submission_id, rule, sheet, cell, message"}


def _folder(tmp_path):
    folder = tmp_path / "files"
    folder.mkdir()
    for name in FILES:
        shutil.copy(DEMO / name, folder / name)
    shutil.copy(DEMO / "教育局_2024.xlsx", folder / "教育局_2024_再发一次.xlsx")   # the same bytes again
    (folder / "不是表格.xlsx").write_bytes(b"this is not a workbook")
    return sorted(folder.iterdir())


def _warehouse(path, catalog, catalog_bytes):
    con = connect(path)
    load_catalog(con, catalog, catalog_bytes, "catalog.xlsx")
    return con


def _outcome(results):
    return [(r.file, r.status, r.rows, r.submission_id, [(p.rule, p.sheet, p.cell, p.message) for p in r.problems])
            for r in results]


def _contents(con):
    return {table: con.execute("SELECT " + columns + " FROM " + table + " ORDER BY ALL").fetchall()
            for table, columns in TABLES.items()}


def test_a_batch_loads_what_one_by_one_loads(tmp_path, catalog, catalog_bytes, monkeypatch):
    files = _folder(tmp_path)
    alone = _warehouse(tmp_path / "alone.duckdb", catalog, catalog_bytes)
    one_by_one = [receive(alone, f, tmp_path / "archive-alone", received_at=AT, received_by="测试") for f in files]

    inspected = {}

    def noting(con, path, archive_root, **kw):
        inspected[path.name] = kw.get("inspected") is not None
        writing.add(con.execute("SELECT current_setting('threads'), current_setting('checkpoint_threshold')"
                                ).fetchall()[0])
        return receive(con, path, archive_root, **kw)

    writing = set()
    monkeypatch.setattr(batch, "receive", noting)
    together = _warehouse(tmp_path / "together.duckdb", catalog, catalog_bytes)
    settings_before = together.execute("SELECT current_setting('threads'), current_setting('checkpoint_threshold')"
                                       ).fetchall()
    in_batch = batch.receive_all(together, files, tmp_path / "archive-together", workers=2, received_at=AT,
                                 received_by="测试")

    assert _outcome(in_batch) == _outcome(one_by_one)
    # while the workers hold the cores the writer runs DuckDB on one thread, checkpointing only at the end;
    # its settings are put back after, and the batch's log is folded into the file
    limit = duckdb.connect()
    limit.execute("SET checkpoint_threshold = ?", [batch.WAL_LIMIT])
    assert writing == {(1, limit.execute("SELECT current_setting('checkpoint_threshold')").fetchall()[0][0])}
    assert writing != set(settings_before)
    assert together.execute("SELECT current_setting('threads'), current_setting('checkpoint_threshold')"
                            ).fetchall() == settings_before
    wal = tmp_path / "together.duckdb.wal"
    assert not wal.exists() or wal.stat().st_size == 0
    assert {r.file: r.status for r in in_batch} == {
        "不是表格.xlsx": "rejected", "卫生健康委_2024.xlsx": "accepted", "团市委_任务进展_2025-04-02.xlsx": "accepted",
        "妇联_2024.xlsx": "accepted", "教育局_2024.xlsx": "accepted", "教育局_2024_再发一次.xlsx": "duplicate",
        "教育局_2025.xlsx": "accepted", "教育局_2025_有错误.xlsx": "rejected"}
    assert _contents(together) == _contents(alone)
    # every file received is kept (a worker writes the copy, the writer finds it), none half written
    kept = lambda root: sorted(p.name for p in root.rglob("*") if p.is_file() and len(p.parent.name) == 2)  # noqa: E731
    assert kept(tmp_path / "archive-together") == kept(tmp_path / "archive-alone")
    assert len(kept(tmp_path / "archive-alone")) == 7   # 8 files, two of them the same bytes
    assert not list((tmp_path / "archive-together").rglob("*.part"))
    assert sum(len(rows) for rows in _contents(together).values()) > 800   # not two empty warehouses
    # long-format files were inspected by a worker; the register (妇联's 台账) needs the master list: the writer
    assert inspected["教育局_2024.xlsx"] and inspected["卫生健康委_2024.xlsx"] and not inspected["妇联_2024.xlsx"]


def test_a_few_files_are_loaded_one_by_one_without_workers(tmp_path, catalog, catalog_bytes, monkeypatch):
    files = _folder(tmp_path)[:batch.MIN_FILES - 1]
    monkeypatch.setattr(batch, "ProcessPoolExecutor", None)   # starting a pool would fail
    con = _warehouse(tmp_path / "w.duckdb", catalog, catalog_bytes)
    assert [r.status for r in batch.receive_all(con, files, tmp_path / "archive", workers=2)] == \
        ["rejected", "accepted", "accepted"]   # 不是表格, 卫生健康委_2024, 团市委_任务进展


def test_a_workers_rows_travel_as_arrays_and_read_as_they_were():
    """A worker's rows (arrays prepared) are pickled as the arrays alone, not the lists as well; the writer
    reads the same rows, None where a figure was missing, and inserts the same arrays."""
    import pickle

    from ingest.rows import Rows
    rows = Rows([{"indicator_code": "PS-08", "numerator": 90.0, "note": None, "row_number": 5},
                 {"indicator_code": "SP-01", "numerator": None, "note": "补报", "row_number": 6}] * 50)
    both = len(pickle.dumps(rows.columns)) + len(pickle.dumps(rows.arrays()))
    rows.prepare_arrays()
    blob = pickle.dumps(rows)
    assert len(blob) < 0.7 * both
    back = pickle.loads(blob)
    assert back == rows and [dict(r) for r in back] == [dict(r) for r in rows]
    assert back.column("numerator")[:2] == [90.0, None] and back.column("note")[:2] == [None, "补报"]
    listed = lambda arrays: {f: [None if x != x else x for x in a.tolist()] for f, a in arrays.items()}  # noqa: E731
    assert listed(back.arrays()) == listed(rows.arrays())
    back.append({"indicator_code": "SP-02", "numerator": 1.0, "note": None, "row_number": 7})
    assert back.column("row_number")[-3:] == [5, 6, 7] and len(back) == 101
