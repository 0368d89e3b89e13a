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


def first_row(con: duckdb.DuckDBPyConnection, sql: str, params: list | None = None) -> tuple | None:
    """The first row of a query, with the result finished.

    duckdb 2.0 refuses further relation work on a connection whose last
    result was not read to the end, which fetchone() leaves it in.
    """
    rows = con.execute(sql, params or []).fetchall()
    return rows[0] if rows else None


def data_version(con: duckdb.DuckDBPyConnection) -> int:
    """A counter bumped by every load; caches key on it."""
    row = first_row(con, "SELECT value FROM meta WHERE key = 'data_version'")
    return int(row[0]) if row else 0


def bump_data_version(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(
        "INSERT OR REPLACE INTO meta VALUES ('data_version', ?)", [str(data_version(con) + 1)]
    )
