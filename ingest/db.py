"""Opening the warehouse. Extensions are never downloaded: the PC may be offline."""
from __future__ import annotations

import hashlib
from importlib import resources
from pathlib import Path

import duckdb

OFFLINE = {"autoinstall_known_extensions": False, "autoload_known_extensions": False}


def _schema() -> str:
    return resources.files("ingest").joinpath("schema.sql").read_text(encoding="utf-8")


def schema_fingerprint() -> str:
    return hashlib.sha256(_schema().encode("utf-8")).hexdigest()[:16]


def connect(path: Path | str, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """Open (creating if needed) a warehouse and make sure its schema is in place.

    A new warehouse records the fingerprint of schema.sql it was built with, so a warehouse
    built by an older version can be recognised (see `schema_is_current`)."""
    if str(path) != ":memory:":
        Path(path).parent.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(path), read_only=read_only, config=OFFLINE)
    if not read_only:
        fresh = not con.execute("SELECT 1 FROM duckdb_tables() WHERE table_name = 'meta'").fetchall()
        con.execute(_schema())
        if fresh:
            con.execute("INSERT INTO meta VALUES ('schema', ?)", [schema_fingerprint()])
    return con


def schema_is_current(con: duckdb.DuckDBPyConnection) -> bool:
    row = first_row(con, "SELECT value FROM meta WHERE key = 'schema'")
    return bool(row) and row[0] == schema_fingerprint()


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


class WarehouseBusy(Exception):
    """Another program (usually the open dashboard) holds the warehouse's write lock."""


def connect_or_explain(path: Path | str, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """`connect`, turning DuckDB's lock error into one the command line can show in Chinese."""
    try:
        return connect(path, read_only=read_only)
    except duckdb.IOException as e:
        if "lock" in str(e).lower():
            raise WarehouseBusy(f"数据库 {path} 正被另一个程序（通常是打开着的看板）占用。"
                                "请先关闭看板再运行命令，或在看板的「数据上传」页导入。") from e
        raise
