"""Backups: a consistent copy of the warehouse with the archive of received files, and restoring one.

A backup is a folder: warehouse.duckdb (copied after a CHECKPOINT, by the program that holds the
warehouse, so nothing writes while it is copied), archive/ (every received file and the receipts log)
and backup.json (when, from where, the warehouse's SHA-256). The dashboard makes one the first time it
is used each day and keeps the last 14; `python -m ingest backup` makes one on demand.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import shutil
import time
from pathlib import Path

import duckdb

from warehouse.config import archive_dir
from warehouse.db import backups_dir


KEEP = 14
MANIFEST = "backup.json"


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def backup(con: duckdb.DuckDBPyConnection, db_path: Path | str, out: Path | None = None) -> Path:
    """Copy the warehouse (through `con`, the connection that holds it) and its archive into `out`
    (default: backups/<date-time> beside the warehouse). Returns the folder."""
    db_path = Path(db_path)
    now = dt.datetime.now()
    out = Path(out) if out else backups_dir(db_path) / f"{now:%Y%m%d-%H%M%S}"
    out.mkdir(parents=True, exist_ok=False)
    con.execute("CHECKPOINT")  # everything is in the file; nothing else writes through this process now
    shutil.copy2(db_path, out / "warehouse.duckdb")
    archive = archive_dir(db_path)
    if archive.exists():
        shutil.copytree(archive, out / "archive")
    _write_manifest(out, now, db_path)
    return out


def backup_files(db_path: Path | str, out: Path | None = None, attempts: int = 5) -> Path:
    """A backup taken while another program (the dashboard) holds the warehouse: the file and its
    write-ahead log are copied when neither changes during the copy, and the copy must open and read;
    otherwise it is tried again (a load was writing). Raises RestoreRefused-like BackupFailed."""
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
    return out


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
    made = backup(con, db_path)
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
