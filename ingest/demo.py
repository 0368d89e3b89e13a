"""Building the demo warehouse from data/catalog.xlsx and the files in data/demo/.

data/demo/manifest.csv lists the files in the order they arrived, with when
and by whom, so the demo's history (late reports, a resubmission, a
rejected file) is replayed exactly.
"""
from __future__ import annotations

import csv
import datetime as dt
import hashlib
import shutil
import tomllib
from pathlib import Path

from warehouse import config, journal
from warehouse.db import connect, connect_or_explain, first_row, schema_is_current

from .catalog import load_catalog, read_catalog
from .pipeline import FileResult, receive


class NotADemoWarehouse(Exception):
    pass


def is_demo(con) -> bool:
    row = first_row(con, "SELECT value FROM meta WHERE key = 'demo'")
    return bool(row and row[0] == "true")


def mark_demo(con) -> None:
    con.execute("INSERT OR REPLACE INTO meta VALUES ('demo', 'true')")
    journal.write(con, "demo")


@journal.replays("demo")
def _replay_demo(con, archive: Path) -> None:
    mark_demo(con)


def remove_warehouse(db_path: Path) -> None:
    """Delete a demo warehouse with its write-ahead log and its archive (received files, journal)."""
    db_path.unlink()
    Path(str(db_path) + ".wal").unlink(missing_ok=True)
    shutil.rmtree(config.archive_dir(db_path), ignore_errors=True)


def build_demo(db_path: Path | str, demo_dir: Path = config.DEMO_DIR,
               catalog_path: Path = config.CATALOG_PATH) -> list[FileResult]:
    """Rebuild the warehouse at db_path from scratch. Refuses to replace a non-demo warehouse."""
    db_path = Path(db_path)
    if db_path.exists():
        con = connect(db_path)
        demo = is_demo(con) or not first_row(con, "SELECT count(*) FROM submission")[0]
        con.close()
        if not demo:
            raise NotADemoWarehouse(f"{db_path} 不是演示数据库，为防止误删，未重建")
        remove_warehouse(db_path)
    data = catalog_path.read_bytes()
    catalog, problems = read_catalog(data, catalog_path.name)
    if catalog is None:
        raise ValueError("指标体系有错误：" + "；".join(p.message for p in problems[:5]))
    con = connect(db_path)
    try:
        load_catalog(con, catalog, data, catalog_path.name)
        mark_demo(con)
        results = []
        with (demo_dir / "manifest.csv").open(encoding="utf-8") as f:
            for row in csv.DictReader(f):
                results.append(receive(
                    con, demo_dir / row["file"], config.archive_dir(db_path),
                    department=row["department"] or None,
                    received_at=dt.datetime.fromisoformat(row["received_at"]),
                    received_by=row["received_by"] or None))
        hold_meetings(con, demo_dir / MEETINGS)
        con.execute("CHECKPOINT")
    finally:
        con.close()
    return results


MEETINGS = "meetings.toml"


def _history_fingerprint(path: Path = config.DEMO_DIR / MEETINGS) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.exists() else ""


def _history_current(con) -> bool:
    row = first_row(con, "SELECT value FROM meta WHERE key = 'demo_meetings'")
    return (row[0] if row else "") == _history_fingerprint()


def hold_meetings(con, path: Path) -> None:
    """The demo's meeting history (data/demo/meetings.toml): weekly meetings frozen at their times and
    their 督办事项 with every later change of state, written through the same functions the meeting page uses."""
    # The demo is the one place that builds a whole office's history: files first, then the meetings held on them.
    from meetings.records import add_action_item, set_action_item_state, start_meeting
    if not path.exists():
        return
    history = tomllib.loads(path.read_text(encoding="utf-8"))
    ids = [start_meeting(con, m["title"], departments=m.get("departments"), at=m["at"], created_at=m["at"])
           for m in history.get("meeting", [])]
    for a in history.get("action", []):
        at = history["meeting"][a["meeting"] - 1]["at"] + dt.timedelta(minutes=30)
        item = add_action_item(con, ids[a["meeting"] - 1], a["department"], a["promise"], a["due"],
                               a.get("indicator"), a.get("district"), a.get("task"), by_whom="妇儿工委办", at=at)
        for change in a.get("states", []):
            set_action_item_state(con, item, change["state"], change.get("note"), "妇儿工委办", change["at"])
    mark_history(con, _history_fingerprint(path))


def mark_history(con, fingerprint: str) -> None:
    """Which meeting history the demo holds: a changed meetings.toml rebuilds the demo."""
    con.execute("INSERT OR REPLACE INTO meta VALUES ('demo_meetings', ?)", [fingerprint])
    journal.write(con, "demo_meetings", fingerprint=fingerprint)


@journal.replays("demo_meetings")
def _replay_history(con, archive: Path, fingerprint: str) -> None:
    mark_history(con, fingerprint)


def ensure_demo(db_path: Path | str) -> bool:
    """Build the demo warehouse when none exists, or rebuild it when it is a demo warehouse built
    with an older schema. True when it was (re)built."""
    if Path(db_path).exists():
        con = connect_or_explain(db_path)
        stale_demo = is_demo(con) and (not schema_is_current(con) or not _history_current(con))
        con.close()
        if not stale_demo:
            return False
    build_demo(db_path)
    return True
