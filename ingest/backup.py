"""Backups: a consistent copy of the warehouse with the archive of received files, and restoring one.

A backup is a folder: warehouse.duckdb (copied after a CHECKPOINT, by the program that holds the
warehouse, so nothing writes while it is copied), archive/ (every received file and the receipts log)
and backup.json (when, from where, the warehouse's SHA-256). The dashboard makes one the first time it
is used each day and keeps the last 14; `python -m ingest backup` makes one on demand.

Every backup is an audit row (who, when, to which folder) and a journal line (issue 13). The program that
holds the warehouse records it just before copying, so the copy carries its own row and its archive the
line: a warehouse restored from it says who made the backup it came from. A backup taken while another
program (the dashboard) holds the warehouse cannot write to it: it leaves a note in the inbox, and the
holder records the row on its next page run (`record_noted`), with the backup's own time.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import shutil
import time
from contextlib import suppress
from pathlib import Path

import duckdb

from warehouse import journal
from warehouse.access import BACKUP, Actor, personal_actor, require
from warehouse.audit import record
from warehouse.config import archive_dir
from warehouse.db import backups_dir, transaction

from .inbox import inbox_dir


KEEP = 14
MANIFEST = "backup.json"
NOTE = ".backup.json"    # in inbox/: a backup taken while another program held the warehouse, to be recorded
DAILY = personal_actor("每日自动备份", address="看板")   # the dashboard's own daily backup


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def record_backup(con: duckdb.DuckDBPyConnection, actor: Actor, folder: Path | str, detail: str,
                  at: dt.datetime | None = None) -> None:
    """The audit row of a backup (its folder, what was copied) and its journal line."""
    require(actor, BACKUP)
    at = at or dt.datetime.now()
    with transaction(con):
        record(con, actor, BACKUP, "backup", str(folder), detail, at)
    journal.write(con, "backup", folder=str(folder), detail=detail, at=at, actor=actor)


@journal.replays("backup")
def _replay_backup(con, archive: Path, folder: str, detail: str, at: str, actor: dict) -> None:
    record_backup(con, Actor.from_dict(actor), folder, detail, journal.moment(at))


def backup(con: duckdb.DuckDBPyConnection, db_path: Path | str, out: Path | None = None,
           actor: Actor | None = None) -> Path:
    """Copy the warehouse (through `con`, the connection that holds it) and its archive into `out`
    (default: backups/<date-time> beside the warehouse). Returns the folder. Recorded as made by `actor`
    (personal mode: whoever uses this computer) before the copy, so the copy holds its own audit row; a copy
    that fails is recorded as failed."""
    actor = actor or personal_actor()
    require(actor, BACKUP)
    db_path = Path(db_path)
    now = dt.datetime.now()
    out = (Path(out) if out else backups_dir(db_path) / f"{now:%Y%m%d-%H%M%S}").resolve()
    out.mkdir(parents=True, exist_ok=False)
    record_noted(con, db_path)
    record_backup(con, actor, out, "备份数据库和收到的全部文件" + ("（每日自动备份）" if actor == DAILY else ""), now)
    try:
        con.execute("CHECKPOINT")  # everything is in the file; nothing else writes through this process now
        shutil.copy2(db_path, out / "warehouse.duckdb")
        archive = archive_dir(db_path)
        if archive.exists():
            shutil.copytree(archive, out / "archive")
        _write_manifest(out, now, db_path)
    except (OSError, duckdb.Error) as failed:
        shutil.rmtree(out, ignore_errors=True)
        with suppress(OSError, duckdb.Error):   # (a full disk may refuse this row too: the first error is raised)
            record_backup(con, actor, out, f"备份未完成，已删除不完整的备份文件夹：{failed}")
        raise
    return out


def backup_files(db_path: Path | str, out: Path | None = None, attempts: int = 5,
                 actor: Actor | None = None) -> Path:
    """A backup taken while another program (the dashboard) holds the warehouse: the file and its
    write-ahead log are copied when neither changes during the copy, and the copy must open and read;
    otherwise it is tried again (a load was writing). Raises RestoreRefused-like BackupFailed.
    The holder records it (a note in the inbox): this program cannot write to the warehouse."""
    actor = actor or personal_actor()
    require(actor, BACKUP)
    db_path = Path(db_path)
    wal = db_path.with_name(db_path.name + ".wal")
    now = dt.datetime.now()
    out = Path(out) if out else backups_dir(db_path) / f"{now:%Y%m%d-%H%M%S}"
    for _ in range(attempts):
        before = [(p.stat().st_mtime_ns, p.stat().st_size) if p.exists() else None for p in (db_path, wal)]
        out.mkdir(parents=True, exist_ok=True)
        shutil.copy2(db_path, out / "warehouse.duckdb")
        if wal.exists():
            shutil.copy2(wal, out / "warehouse.duckdb.wal")
        after = [(p.stat().st_mtime_ns, p.stat().st_size) if p.exists() else None for p in (db_path, wal)]
        if before == after and _opens(out / "warehouse.duckdb"):
            break
        time.sleep(1)
    else:
        shutil.rmtree(out, ignore_errors=True)
        raise BackupFailed("数据库一直在写入（可能正在导入文件），未能取得一致的副本。请稍后再试。")
    archive = archive_dir(db_path)
    if archive.exists():
        shutil.copytree(archive, out / "archive")
    _write_manifest(out, now, db_path)
    _note(db_path, actor, out.resolve(), now)
    return out


def _note(db_path: Path, actor: Actor, out: Path, at: dt.datetime) -> None:
    """Leave a backup's record for the program that holds the warehouse (written whole, then renamed)."""
    box = inbox_dir(db_path)
    box.mkdir(parents=True, exist_ok=True)
    part = box / f"{at:%Y%m%d-%H%M%S-%f}{NOTE}.part"
    part.write_text(json.dumps({"folder": str(out), "at": at.isoformat(), "actor": actor.as_dict()},
                               ensure_ascii=False), encoding="utf-8")
    part.replace(part.with_name(part.name[: -len(".part")]))


def noted(db_path: Path | str) -> list[Path]:
    """Backups taken while this program held the warehouse, not yet recorded, oldest first."""
    box = inbox_dir(db_path)
    return sorted(box.glob(f"*{NOTE}")) if box.exists() else []


def record_noted(con: duckdb.DuckDBPyConnection, db_path: Path | str) -> int:
    """Record the backups noted in the inbox (taken by the command line while `con` held the warehouse), each
    with its own time and maker; returns how many."""
    notes = noted(db_path)
    for note in notes:
        info = json.loads(note.read_text(encoding="utf-8"))
        record_backup(con, Actor.from_dict(info["actor"]), info["folder"],
                      "备份数据库和收到的全部文件（看板正在使用数据库时由命令行复制）",
                      dt.datetime.fromisoformat(info["at"]))
        note.unlink()
    return len(notes)


class BackupFailed(Exception):
    """No consistent copy could be taken (the message says why, in Chinese)."""


def _opens(copy: Path) -> bool:
    try:
        con = duckdb.connect(str(copy), read_only=True)
        con.execute("SELECT count(*) FROM submission").fetchall()
        con.close()
        return True
    except duckdb.Error:
        return False


def _write_manifest(out: Path, now: dt.datetime, db_path: Path) -> None:
    (out / MANIFEST).write_text(json.dumps({
        "made_at": now.isoformat(timespec="seconds"), "warehouse": str(db_path.resolve()),
        "sha256": _sha256(out / "warehouse.duckdb")}, ensure_ascii=False, indent=2), encoding="utf-8")


def daily(con: duckdb.DuckDBPyConnection, db_path: Path | str, keep: int = KEEP) -> Path | None:
    """The dashboard's automatic backup: one the first time it is used each day; the last `keep` kept."""
    root = backups_dir(db_path)
    today = f"{dt.date.today():%Y%m%d}"
    if root.exists() and any(p.name.startswith(today) for p in root.iterdir()):
        return None
    made = backup(con, db_path, actor=DAILY)
    for old in sorted((p for p in root.iterdir() if (p / MANIFEST).exists()), key=lambda p: p.name)[:-keep]:
        shutil.rmtree(old)
    return made


def latest(db_path: Path | str) -> Path | None:
    root = backups_dir(db_path)
    found = sorted((p for p in root.iterdir() if (p / MANIFEST).exists()), key=lambda p: p.name) if root.exists() else []
    return found[-1] if found else None


class RestoreRefused(Exception):
    """The backup cannot be used (the message says why, in Chinese)."""


def restore(source: Path, db_path: Path | str) -> tuple[Path | None, list[str]]:
    """Put the backup in `source` in place of the warehouse at `db_path`. The file it replaces is kept
    beside it (…damaged-<time>); received files newer than the backup stay in the archive. Returns the
    kept file and the names of files received after the backup, which must be loaded again."""
    source, db_path = Path(source), Path(db_path)
    manifest = source / MANIFEST
    copy = source / "warehouse.duckdb"
    if not manifest.exists() or not copy.exists():
        raise RestoreRefused(f"{source} 不是一个备份文件夹（缺少 {MANIFEST} 或 warehouse.duckdb）。")
    made = json.loads(manifest.read_text(encoding="utf-8"))
    if _sha256(copy) != made["sha256"]:
        raise RestoreRefused(f"备份 {source} 中的数据库与备份时的校验值不一致，可能已损坏。请换一个更早的备份。")
    try:
        duckdb.connect(str(copy), read_only=True).close()
    except duckdb.Error as e:
        raise RestoreRefused(f"备份 {source} 中的数据库无法打开（{e}）。请换一个更早的备份。") from e
    kept = None
    if db_path.exists():
        kept = db_path.with_name(f"{db_path.name}.damaged-{dt.datetime.now():%Y%m%d-%H%M%S}")
        db_path.replace(kept)
        wal = db_path.with_name(db_path.name + ".wal")
        if wal.exists():
            wal.replace(kept.with_name(kept.name + ".wal"))
    shutil.copy2(copy, db_path)
    if (source / "warehouse.duckdb.wal").exists():  # taken while the dashboard ran: its log goes with it
        shutil.copy2(source / "warehouse.duckdb.wal", db_path.with_name(db_path.name + ".wal"))
    archive = archive_dir(db_path)
    if (source / "archive").exists():  # content-addressed: only files the archive lacks are copied back
        shutil.copytree(source / "archive", archive, dirs_exist_ok=True,
                        ignore=lambda d, names: [n for n in names if (archive / Path(d).relative_to(
                            source / "archive") / n).is_file()])
    return kept, _received_after(archive, made["made_at"])


def _received_after(archive: Path, moment: str) -> list[str]:
    log = archive / "receipts.jsonl"
    if not log.exists():
        return []
    names = []
    for line in log.read_text(encoding="utf-8").splitlines():
        entry = json.loads(line)
        if entry["received_at"] > moment:
            names.append(entry["file"])
    return names
