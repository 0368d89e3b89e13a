"""Opening the warehouse. Extensions are never downloaded: the PC may be offline."""
from __future__ import annotations

from importlib import resources
from pathlib import Path

import duckdb

OFFLINE = {"autoinstall_known_extensions": False, "autoload_known_extensions": False}


def connect(path: Path | str, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """Open (creating if needed) a warehouse and make sure its schema is in place."""
    if str(path) != ":memory:":
        Path(path).parent.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(path), read_only=read_only, config=OFFLINE)
    if not read_only:
        con.execute(resources.files("ingest").joinpath("schema.sql").read_text(encoding="utf-8"))
    return con


def data_version(con: duckdb.DuckDBPyConnection) -> int:
    """A counter bumped by every load; caches key on it."""
    row = con.execute("SELECT value FROM meta WHERE key = 'data_version'").fetchone()
    return int(row[0]) if row else 0


def bump_data_version(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(
        "INSERT OR REPLACE INTO meta VALUES ('data_version', ?)", [str(data_version(con) + 1)]
    )
