"""The inbox: files sent from the command line while the dashboard holds the warehouse.

DuckDB lets one program write at a time. Rather than refusing a file unrecorded, the command line
copies it into inbox/ beside the warehouse with a small ticket (who sent it, for which department,
when); the dashboard loads waiting files on its next page run, through the same checks as any upload,
and keeps each outcome in inbox/loaded.jsonl for its upload page. In server mode the command line always
queues (one writer: every change goes through the dashboard), and an accepted file waits for approval like
any other; `python -m ingest drain` loads the inbox when the dashboard is not running.
"""
from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import duckdb

from warehouse.config import archive_dir

from warehouse.access import Actor

from .pipeline import FileResult, receive

TICKET = ".ticket.json"
LOG = "loaded.jsonl"


def inbox_dir(db_path: Path | str) -> Path:
    return Path(db_path).parent / "inbox"


def enqueue(path: Path, db_path: Path | str, department: str | None, received_by: str | None,
            received_at: dt.datetime | None = None) -> Path:
    """Copy `path` into the inbox; its ticket is written last, atomically, so the dashboard never
    picks up a half-copied file. `received_at`: a historical file's receipt time (now by default)."""
    box = inbox_dir(db_path)
    box.mkdir(parents=True, exist_ok=True)
    now = dt.datetime.now()
    safe = re.sub(r"[^\w.\-\u4e00-\u9fff]", "_", path.name)[:120]
    queued = box / f"{now:%Y%m%d-%H%M%S-%f}-{safe}"
    queued.write_bytes(path.read_bytes())
    ticket = {"file": path.name, "department": department, "received_by": received_by,
              "received_at": (received_at or now).isoformat()}
    part = queued.with_name(queued.name + TICKET + ".part")
    part.write_text(json.dumps(ticket, ensure_ascii=False), encoding="utf-8")
    part.replace(queued.with_name(queued.name + TICKET))
    return queued


def waiting(db_path: Path | str) -> list[Path]:
    box = inbox_dir(db_path)
    if not box.exists():
        return []
    return sorted(t for t in box.iterdir() if t.name.endswith(TICKET))


def drain(con: duckdb.DuckDBPyConnection, db_path: Path | str, actor: Actor | None = None) -> list[FileResult]:
    """Load every waiting file (as received when it was queued, under its sender's file name) and
    record the outcome; the queued copy is removed once its bytes are in the archive. `actor`: who loads
    them (by default a 管理员 named by the ticket's sender)."""
    results = []
    for ticket in waiting(db_path):
        queued = ticket.with_name(ticket.name[: -len(TICKET)])
        info = json.loads(ticket.read_text(encoding="utf-8"))
        # the archive and the history show the name the sender gave it, and when it was sent
        result = receive(con, queued, archive_dir(db_path), department=info["department"],
                         received_at=dt.datetime.fromisoformat(info["received_at"]),
                         received_by=info["received_by"], file_name=info["file"], actor=actor)
        results.append(result)
        with (inbox_dir(db_path) / LOG).open("a", encoding="utf-8") as log:
            log.write(json.dumps({"file": info["file"], "status": result.status, "errors": len(result.errors),
                                  **({"pending": True} if result.pending else {}),
                                  "submission_id": result.submission_id, "queued_at": info["received_at"],
                                  "loaded_at": dt.datetime.now().isoformat()}, ensure_ascii=False) + "\n")
        queued.unlink()
        ticket.unlink()
    return results


def loaded(db_path: Path | str, last: int = 20) -> list[dict]:
    """The latest outcomes of files loaded from the inbox, newest first."""
    log = inbox_dir(db_path) / LOG
    if not log.exists():
        return []
    return [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()[-last:]][::-1]
