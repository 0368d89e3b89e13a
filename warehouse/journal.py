"""The journal: every change to the warehouse, in order, append-only, beside the archive.

Each change writes one JSON line to archive/journal.jsonl once it is committed: a file received (its
bytes are in the archive, by SHA-256), a catalog version (its workbook archived the same way), a
revert, a meeting, an action item and each change of its state, an account change or a login — with
every time, name and actor the change used, so replaying the journal into an empty warehouse
(`python -m ingest rebuild`) reproduces every table exactly, the audit trail included. Modules that
change the warehouse register how their changes are replayed. It is on the ground floor so that every
floor that changes the warehouse (ingest, meetings, accounts) can write it.
"""
from __future__ import annotations

import datetime as dt
import json
from dataclasses import asdict, is_dataclass
from pathlib import Path
from typing import Callable

import duckdb

from warehouse.db import warehouse_archive


JOURNAL = "journal.jsonl"
_REPLAY: dict[str, Callable] = {}


def replays(op: str):
    """Register how a journaled change `op` is made again: fn(con, archive, **fields)."""
    def register(fn: Callable) -> Callable:
        _REPLAY[op] = fn
        return fn
    return register


def _path(con: duckdb.DuckDBPyConnection) -> Path | None:
    archive = warehouse_archive(con)
    return None if archive is None else archive / JOURNAL  # an in-memory warehouse keeps none


def _plain(value):
    if isinstance(value, (dt.datetime, dt.date)):
        return value.isoformat()
    if isinstance(value, tuple):
        return list(value)
    if is_dataclass(value):   # an Actor
        return asdict(value)
    return value


def write(con: duckdb.DuckDBPyConnection, op: str, **fields) -> None:
    """Append a committed change to the journal of the warehouse behind `con`."""
    path = _path(con)
    if path is None:
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as f:
        f.write(json.dumps({"op": op, **{k: _plain(v) for k, v in fields.items()}}, ensure_ascii=False) + "\n")


def entries(archive: Path) -> list[dict]:
    path = Path(archive) / JOURNAL
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def replay(con: duckdb.DuckDBPyConnection, archive: Path) -> int:
    """Make every change of the journal in `archive` again, in order, on `con` (an empty warehouse whose
    own archive and journal are written afresh as the changes are made). Returns how many."""
    done = 0
    for entry in entries(archive):
        op = entry.pop("op")
        if op not in _REPLAY:
            raise KeyError(f"日志中有无法重放的操作「{op}」")
        _REPLAY[op](con, Path(archive), **entry)
        done += 1
    return done


def moment(text: str | None) -> dt.datetime | None:
    return None if text is None else dt.datetime.fromisoformat(text)


def day(text: str | None) -> dt.date | None:
    return None if text is None else dt.date.fromisoformat(text)
