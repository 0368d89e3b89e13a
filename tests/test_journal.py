"""The journal rebuilds the warehouse exactly: the demo, then a session of uploads (accepted, rejected,
a duplicate), a revert, a catalog change and a meeting with an action item opened and closed —
replayed into an empty warehouse elsewhere, every table is identical."""
from __future__ import annotations

import datetime as dt
import io
import shutil
import subprocess
import sys

import pandas as pd
from openpyxl import load_workbook

from conftest import ROOT, long_rows, table_frames, xlsx
from warehouse import config
from ingest.catalog import load_catalog, read_catalog
from warehouse.db import connect
from ingest.pipeline import receive, revert_to
from meetings.records import DONE, add_action_item, set_action_item_state, start_meeting


tables = table_frames


def test_replaying_the_journal_rebuilds_every_table(demo_db, tmp_path):
    office = tmp_path / "office" / "warehouse.duckdb"
    office.parent.mkdir()
    shutil.copy(demo_db, office)
    shutil.copytree(demo_db.parent / "archive", office.parent / "archive")
    archive = office.parent / "archive"
    con = connect(office)
    t = dt.datetime(2026, 11, 2, 9)

    def send(name, rows, department, minutes, data=None):
        path = tmp_path / name
        path.write_bytes(data or xlsx(long_rows(*rows)))
        return receive(con, path, archive, department=department, received_at=t + dt.timedelta(minutes=minutes))

    first = send("卫健委_更正.xlsx", [["PS-08", "德城区", 2025, 900, 1000, None],
                                     ["PS-12", "德城区", 2025, None, None, 5]], "卫健委", 1)
    assert first.status == "accepted"
    assert send("卫健委_再更正.xlsx", [["PS-08", "德城区", 2025, 950, 1000, None]], "卫健委", 2).status == "accepted"
    assert send("坏文件.xlsx", [["PS-08", "德城区", 2025, "很多", 1000, None]], "卫健委", 3).status == "rejected"
    # the same bytes again under another name (openpyxl stamps the time, so the bytes are copied, not rebuilt)
    same = (tmp_path / "卫健委_更正.xlsx").read_bytes()
    assert send("卫健委_更正_副本.xlsx", [], "卫健委", 4, data=same).status == "duplicate"
    revert_to(con, first.submission_id, "王敏", t + dt.timedelta(minutes=5))
    wb = load_workbook(config.CATALOG_PATH)
    wb["社区"].append(["德城区", "新湖街道", "新建示范社区", "371402001999", "城镇"])
    buffer = io.BytesIO()
    wb.save(buffer)
    load_catalog(con, read_catalog(buffer.getvalue())[0], buffer.getvalue(), "catalog_v2.xlsx",
                 t + dt.timedelta(minutes=6))
    meeting = start_meeting(con, "第1次", t.date(), ["WJW"], t + dt.timedelta(minutes=7))
    item = add_action_item(con, meeting, "WJW", "德城区PS-08：两周内补报", dt.date(2026, 11, 16), "PS-08", "371402",
                           by_whom="王敏", at=t + dt.timedelta(minutes=8))
    set_action_item_state(con, item, DONE, "已补报", "王敏", t + dt.timedelta(minutes=9))
    con.close()

    rebuilt = tmp_path / "rebuilt" / "warehouse.duckdb"
    run = subprocess.run([sys.executable, "-m", "ingest", "rebuild", "--from", str(archive), "--db", str(rebuilt)],
                         cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    before, after = tables(office), tables(rebuilt)
    assert before.keys() == after.keys()
    for name in before:
        pd.testing.assert_frame_equal(before[name], after[name], obj=name)
    assert len(before["submission"]) > 90 and len(before["catalog_load"]) == 2 and len(before["action_item_event"]) == 2 + 9  # the demo history has 9
    # the rebuilt warehouse has its own archive and journal: it can be rebuilt again
    assert (rebuilt.parent / "archive" / "journal.jsonl").read_text(encoding="utf-8") == \
        (archive / "journal.jsonl").read_text(encoding="utf-8")
