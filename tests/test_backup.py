"""A damaged or busy warehouse is explained in Chinese; backups copy it with every received file, and
restoring one names the files to load again."""
from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import sys

import duckdb
import pytest

from conftest import ROOT, long_rows, xlsx
from ingest.backup import RestoreRefused, backup, backup_files, daily, noted, record_noted, restore
from warehouse import journal
from warehouse.access import ADMIN, VIEWER, Actor, NotAllowed, os_user
from warehouse.db import WarehouseDamaged, connect, connect_or_explain
from ingest.pipeline import receive
from meetings.records import start_meeting


def cli(*args, db):
    run = subprocess.run([sys.executable, "-m", *args, "--db", str(db)], cwd=ROOT, capture_output=True, text=True,
                         timeout=120, env={**os.environ, "PYTHONWARNINGS": "ignore"})
    return run.returncode, run.stdout + run.stderr


@pytest.fixture
def office(demo_db, tmp_path):
    db = tmp_path / "office" / "warehouse.duckdb"
    db.parent.mkdir()
    shutil.copy(demo_db, db)
    shutil.copytree(demo_db.parent / "archive", db.parent / "archive")
    return db


def damage_blocks(path) -> None:
    """A checksum-corrupt file: its header is fine, a data block is not (found when the block is read)."""
    data = bytearray(path.read_bytes())
    for i in range(16384, 16384 + 262144):
        data[i] ^= 0x5A
    path.write_bytes(bytes(data))


@pytest.mark.parametrize("damage", ["empty", "noise", "checksum"])
def test_a_damaged_warehouse_is_explained_never_a_traceback(office, damage, tmp_path):
    if damage == "checksum":
        con = connect(office)
        start_meeting(con, "第1次", at=dt.datetime(2026, 1, 20, 9))   # something for the briefing to read
        con.close()
        damage_blocks(office)
    else:
        office.write_bytes(b"" if damage == "empty" else os.urandom(4096))
        with pytest.raises(WarehouseDamaged) as caught:
            connect_or_explain(office)
        assert "python -m ingest restore" in str(caught.value) and "archive" in str(caught.value)
        assert ("0 字节" in str(caught.value)) == (damage == "empty")
    good = tmp_path / "good.xlsx"
    good.write_bytes(xlsx(long_rows(["PS-12", "德城区", 2026, None, None, 4])))
    for command in (("metrics", "report", "--year", "2025"), ("briefing", "--meeting", "latest", "-o", str(tmp_path)),
                    ("ingest", "load", "--department", "卫健委", str(good))):
        code, shown = cli(*command, db=office)
        assert code == 2 and "Traceback" not in shown and "无法使用" in shown, (command, shown)


def test_a_busy_warehouse_is_explained(office):
    holder = connect(office)  # the dashboard, or a load in progress
    try:
        for command in (("ingest", "catalog"), ("metrics", "report", "--year", "2025")):
            code, shown = cli(*command, db=office)
            assert code == 2 and "正被另一个程序占用" in shown and "Traceback" not in shown, command
    finally:
        holder.close()


def test_backup_then_restore_after_damage(office, tmp_path):
    con = connect(office)
    made = backup(con, office)
    # a file received after the backup: restoring must name it, and keep its bytes in the archive
    path = tmp_path / "late.xlsx"
    path.write_bytes(xlsx(long_rows(["PS-12", "德城区", 2026, None, None, 4])))
    assert receive(con, path, office.parent / "archive", department="卫健委").status == "accepted"
    rows_after = con.execute("SELECT count(*) FROM observation").fetchall()[0][0]
    con.close()
    office.write_bytes(os.urandom(4096))
    kept, newer = restore(made, office)
    assert kept.exists() and kept.name.startswith("warehouse.duckdb.damaged-")
    assert newer == ["late.xlsx"]
    again = duckdb.connect(str(office), read_only=True)
    assert again.execute("SELECT count(*) FROM observation").fetchall()[0][0] == rows_after - 1
    again.close()
    assert (office.parent / "archive" / "receipts.jsonl").read_text(encoding="utf-8").count("late.xlsx") == 1


def test_a_tampered_backup_is_refused(office):
    con = connect(office)
    made = backup(con, office)
    con.close()
    with (made / "warehouse.duckdb").open("r+b") as f:
        f.seek(5000)
        f.write(b"\xa5" * 64)
    with pytest.raises(RestoreRefused, match="校验值不一致"):
        restore(made, office)


def test_the_cli_backs_up_and_restores_the_latest(office):
    code, shown = cli("ingest", "backup", db=office)
    assert code == 0 and "已备份到" in shown
    office.write_bytes(b"")
    code, shown = cli("ingest", "restore", db=office)
    assert code == 0 and "已用备份" in shown
    code, shown = cli("metrics", "report", "--year", "2025", "--level", "city", "--format", "csv", db=office)
    assert code == 0 and "已达标" in shown
    # the restored warehouse says who made the backup it came from (recorded before the copy), then who put it
    # back and from which backup (issue 13's audit trail)
    con = connect(office)
    rows = con.execute("SELECT action, actor, address, object_kind, object_id FROM audit_log "
                       "WHERE action IN ('backup', 'restore') ORDER BY id").fetchall()
    con.close()
    assert [r[:4] for r in rows] == [("backup", os_user(), "命令行", "backup"), ("restore", os_user(), "命令行", "backup")]
    assert rows[0][4] == rows[1][4] and "backups" in rows[0][4]      # the same folder


def test_daily_backups_keep_the_last_fourteen(office):
    con = connect(office)
    root = office.parent / "backups"
    for day in range(16):  # backups of earlier days, as the dashboard would have left them
        old = root / f"202601{day + 1:02d}-090000"
        old.mkdir(parents=True)
        (old / "backup.json").write_text("{}", encoding="utf-8")
    made = daily(con, office)
    assert made is not None and daily(con, office) is None   # once a day
    assert con.execute("SELECT actor, address, object_id, detail FROM audit_log WHERE action = 'backup'").fetchall() == [
        ("每日自动备份", "看板", str(made), "备份数据库和收到的全部文件（每日自动备份）")]
    kept = sorted(p.name for p in root.iterdir())
    assert len(kept) == 14 and kept[-1] == made.name and "20260101-090000" not in kept
    con.close()


def test_files_sent_while_the_dashboard_holds_the_warehouse_wait_in_the_inbox(office, tmp_path, monkeypatch):
    """The command line queues the files (exit 0, nothing refused unrecorded); the dashboard's next page
    run loads them with the sender's name and time, and the upload page lists the outcome."""
    from conftest import open_app
    from ingest.inbox import inbox_dir, waiting

    good = tmp_path / "卫健委_医院数.xlsx"
    good.write_bytes(xlsx(long_rows(["PS-12", "德城区", 2026, None, None, 4])))
    bad = tmp_path / "坏文件.xlsx"
    bad.write_bytes(xlsx(long_rows(["PS-12", "德城区", 2026, None, None, "很多"])))
    holder = connect(office)                      # the dashboard
    code, shown = cli("ingest", "load", "--department", "卫健委", str(good), str(bad), db=office)
    holder.close()
    assert code == 0 and shown.count("queued") == 2 and "收件箱" in shown
    assert len(waiting(office)) == 2
    at = open_app(office, monkeypatch)            # the dashboard's next page run
    assert not at.exception and not waiting(office)
    at.switch_page("pages/upload.py").run()
    assert not at.exception
    outcomes = at.dataframe[0].value if at.dataframe else None
    assert outcomes is not None and set(outcomes["文件"]) == {"卫健委_医院数.xlsx", "坏文件.xlsx"}
    assert set(outcomes["结果"]) == {"已接收", "已退回"}
    from ui.data import connection, cursor
    rows = cursor().execute("SELECT file_name, status, received_by FROM submission WHERE file_name IN "
                            "('卫健委_医院数.xlsx', '坏文件.xlsx') ORDER BY file_name").fetchall()
    assert [r[:2] for r in rows] == [("卫健委_医院数.xlsx", "accepted"), ("坏文件.xlsx", "rejected")]
    assert not any(inbox_dir(office).glob("*.xlsx"))   # the queued copies are gone; the bytes are archived
    connection.clear()


def test_a_backup_while_the_dashboard_holds_the_warehouse(office):
    holder = connect(office)                     # the dashboard, with a change still in the write-ahead log
    holder.execute("INSERT INTO meta VALUES ('marker', 'after the last checkpoint')")
    try:
        code, shown = cli("ingest", "backup", "--by", "王敏", db=office)
        # the command line cannot write to the warehouse the dashboard holds: the dashboard records the backup
        assert code == 0 and "已备份到" in shown and "记入操作记录" in shown and len(noted(office)) == 1
        assert record_noted(holder, office) == 1 and not noted(office)
        [(actor, address, folder, at)] = holder.execute("SELECT actor, address, object_id, occurred_at FROM audit_log "
                                                        "WHERE action = 'backup'").fetchall()
    finally:
        holder.close()
    assert (actor, address) == ("王敏", "命令行") and folder in shown and at < dt.datetime.now()
    office.write_bytes(b"")
    code, shown = cli("ingest", "restore", db=office)
    assert code == 0
    con = duckdb.connect(str(office), read_only=True)
    assert con.execute("SELECT value FROM meta WHERE key = 'marker'").fetchall() == [("after the last checkpoint",)]
    con.close()


ADMIN_ACTOR = Actor("王敏", ADMIN, None, "10.0.0.2", 1)


def test_a_backup_is_recorded_in_the_warehouse_and_in_its_copy_and_a_rebuild_keeps_the_row(warehouse, tmp_path):
    import ingest.catalog  # noqa: F401  (registers how the catalog replays)
    db = tmp_path / "w.duckdb"
    with pytest.raises(NotAllowed, match="查看者只能查看"):
        backup(warehouse, db, actor=Actor("李四", VIEWER, None, "10.0.0.9", 3))
    assert not (tmp_path / "backups").exists()
    assert not warehouse.execute("SELECT count(*) FROM audit_log WHERE action = 'backup'").fetchall()[0][0]
    made = backup(warehouse, db, actor=ADMIN_ACTOR)
    query = "SELECT actor, role, address, object_kind, object_id, detail FROM audit_log WHERE action = 'backup'"
    expected = [("王敏", ADMIN, "10.0.0.2", "backup", str(made), "备份数据库和收到的全部文件")]
    assert warehouse.execute(query).fetchall() == expected
    copy = duckdb.connect(str(made / "warehouse.duckdb"), read_only=True)   # the copy holds its own row
    assert copy.execute(query).fetchall() == expected
    copy.close()
    assert journal.entries(made / "archive")[-1]["op"] == "backup"          # and its journal the line
    again = connect(tmp_path / "again" / "w.duckdb")
    journal.replay(again, tmp_path / "archive")
    assert again.execute("SELECT * EXCLUDE (id) FROM audit_log WHERE action = 'backup'").fetchall() == \
        warehouse.execute("SELECT * EXCLUDE (id) FROM audit_log WHERE action = 'backup'").fetchall()
    again.close()


def test_a_backup_taken_while_the_dashboard_holds_the_warehouse_is_recorded_by_the_dashboard(office, monkeypatch):
    from conftest import open_app
    holder = connect(office)
    try:
        made = backup_files(office, actor=Actor("王敏", ADMIN, None, "命令行"))
    finally:
        holder.close()
    assert len(noted(office)) == 1
    at = open_app(office, monkeypatch)            # the dashboard's next page run
    assert not at.exception and not noted(office)
    from ui.data import connection, cursor
    assert cursor().execute("SELECT actor, address, object_id FROM audit_log WHERE action = 'backup'").fetchall() == [
        ("王敏", "命令行", str(made.resolve()))]
    connection.clear()
