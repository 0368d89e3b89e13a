"""Opening the warehouse. Extensions are never downloaded: the PC may be offline."""
from __future__ import annotations

import hashlib
import weakref
from contextlib import contextmanager
from importlib import resources
from pathlib import Path

import duckdb

OFFLINE = {"autoinstall_known_extensions": False, "autoload_known_extensions": False}


def _schema() -> str:
    return resources.files("warehouse").joinpath("schema.sql").read_text(encoding="utf-8")


def schema_fingerprint() -> str:
    return hashlib.sha256(_schema().encode("utf-8")).hexdigest()[:16]


def limit_memory(mb: int) -> None:
    """Every later connection of this process lets DuckDB use at most `mb` MB, beyond which it spills to disk
    (the dashboard: a national warehouse must not take the server's memory). One setting for all of the
    process's connections: DuckDB refuses a second connection to a file opened with other settings."""
    _MEMORY["memory_limit"] = f"{int(mb)}MB"


_MEMORY: dict[str, str] = {}


def connect(path: Path | str, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """Open (creating if needed) a warehouse and make sure its schema is in place.

    A new warehouse records the fingerprint of schema.sql it was built with, so a warehouse
    built by an older version can be recognised (see `schema_is_current`)."""
    if str(path) != ":memory:":
        Path(path).parent.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(path), read_only=read_only, config={**OFFLINE, **_MEMORY})
    if not read_only:
        fresh = not con.execute("SELECT 1 FROM duckdb_tables() WHERE table_name = 'meta'").fetchall()
        old_catalog = _unversioned_catalog(con)
        for table in old_catalog:
            con.execute("ALTER TABLE " + table + " RENAME TO unversioned_" + table)  # a name of _CATALOG_TABLES
        con.execute(_schema())
        if old_catalog:
            _migrate_catalog(con, old_catalog)
        _migrate_columns(con)
        scope_new_submissions(con)   # a warehouse built before submission_scope existed gets it whole
        if fresh:
            con.execute("INSERT INTO meta VALUES ('schema', ?)", [schema_fingerprint()])
    return con


_CATALOG_TABLES = ("indicator", "target", "district", "department", "community", "task")


def _unversioned_catalog(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Catalog tables of a warehouse built before catalogs were versioned (plain tables, not views)."""
    found = {r[0] for r in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
    return [t for t in _CATALOG_TABLES if t in found]


def _migrate_catalog(con: duckdb.DuckDBPyConnection, tables: list[str]) -> None:
    """Keep an older warehouse's catalog as its first version; nothing else changes."""
    con.execute("BEGIN TRANSACTION")
    version = first_row(con, "SELECT max(id) FROM catalog_load")[0]
    if version is None:
        version = 1
        con.execute("INSERT INTO catalog_load VALUES (1, '', 'migrated', current_localtimestamp())")
    from warehouse.config import settings
    # table names come from _CATALOG_TABLES (identifiers cannot be bound); every value is a parameter
    for table in tables:
        if table == "target":  # the same rule as a catalog read: blank 来源, or one of the placeholder words
            con.execute("INSERT INTO catalog_target BY NAME SELECT $version AS catalog_id, *, "
                        "(source IS NULL OR len(list_filter($words, lambda w: contains(source, w))) > 0) AS provisional "
                        "FROM unversioned_target",
                        {"version": version, "words": list(settings().provisional_source_words)})
        else:
            con.execute("INSERT INTO catalog_" + table + " BY NAME SELECT $version AS catalog_id, * "
                        "FROM unversioned_" + table, {"version": version})
        con.execute("DROP TABLE unversioned_" + table)
    con.execute("COMMIT")


def _migrate_columns(con: duckdb.DuckDBPyConnection) -> None:
    """Constraints schema.sql cannot relax with IF NOT EXISTS: a task's 完成时限 may be 待确认 (NULL) since
    issue 11. Changes nothing on a warehouse that already allows it."""
    strict = con.execute("SELECT 1 FROM duckdb_columns() WHERE table_name = 'catalog_task' "
                         "AND column_name = 'due_on' AND NOT is_nullable").fetchall()
    if strict:
        con.execute("ALTER TABLE catalog_task ALTER COLUMN due_on DROP NOT NULL")


def warehouse_file(con: duckdb.DuckDBPyConnection) -> Path | None:
    """The file behind a connection (None in memory). Asked once per connection (a load asks for every file),
    on a cursor of its own: `con` may be the dashboard's connection, which its sessions share."""
    if con not in _FILES:
        own = con.cursor()
        try:
            rows = own.execute("SELECT path FROM duckdb_databases() WHERE database_name = current_database()"
                               ).fetchall()
        finally:
            own.close()
        _FILES[con] = Path(rows[0][0]) if rows and rows[0][0] else None
    return _FILES[con]


_FILES: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()   # connection → its file, for its lifetime


def warehouse_archive(con: duckdb.DuckDBPyConnection) -> Path | None:
    """The archive of received files beside the warehouse behind a connection (None in memory)."""
    from warehouse.config import archive_dir
    db = warehouse_file(con)
    return None if db is None else archive_dir(db)


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


@contextmanager
def transaction(con: duckdb.DuckDBPyConnection):
    """BEGIN … COMMIT, rolled back when the block raises: a change and its audit row are kept together or not at all."""
    con.execute("BEGIN TRANSACTION")
    try:
        yield con
    except BaseException:
        con.execute("ROLLBACK")
        raise
    con.execute("COMMIT")


def data_version(con: duckdb.DuckDBPyConnection) -> int:
    """A counter bumped by every load; caches key on it."""
    row = first_row(con, "SELECT value FROM meta WHERE key = 'data_version'")
    return int(row[0]) if row else 0


def bump_data_version(con: duckdb.DuckDBPyConnection) -> None:
    """Called by every change of the figures, inside its transaction, last: the version goes up by one and
    the new submissions are scoped (one statement each, as a load calls it for every file)."""
    version, done, last = _versions(con)
    if last > done:
        _scope(con, done)
    con.execute("INSERT OR REPLACE INTO meta VALUES ('data_version', ?), ('scoped_through', ?)",
                [str(version + 1), str(max(last, done))])


def _versions(con: duckdb.DuckDBPyConnection) -> tuple[int, int, int]:
    """(data version, submissions scoped through, the last submission's id)."""
    return first_row(con, """
        SELECT coalesce((SELECT value::BIGINT FROM meta WHERE key = 'data_version'), 0),
               coalesce((SELECT value::BIGINT FROM meta WHERE key = 'scoped_through'), 0),
               (SELECT coalesce(max(id), 0) FROM submission)""")


def scope_new_submissions(con: duckdb.DuckDBPyConnection) -> None:
    """Record what each submission loaded since the last call reports (submission_scope): its distinct
    indicators × periods. Ids only grow, so meta's scoped_through marks how far this has gone."""
    _, done, last = _versions(con)
    if last <= done:
        return
    _scope(con, done)
    con.execute("INSERT OR REPLACE INTO meta VALUES ('scoped_through', ?)", [str(last)])


def _scope(con: duckdb.DuckDBPyConnection, done: int) -> None:
    con.execute("""
        INSERT INTO submission_scope
        SELECT DISTINCT submission_id, indicator_code, period FROM (
            SELECT submission_id, indicator_code, period FROM observation WHERE submission_id > $done
            UNION ALL SELECT submission_id, indicator_code, period FROM register_entry WHERE submission_id > $done
            UNION ALL SELECT submission_id, indicator_code, period FROM withdrawal WHERE submission_id > $done)""",
                {"done": done})


class WarehouseUnusable(Exception):
    """The warehouse cannot be used right now; the message says why and what to do, in Chinese."""


class WarehouseBusy(WarehouseUnusable):
    """Another program (the open dashboard, or a load running from the command line) holds the lock."""


class WarehouseDamaged(WarehouseUnusable):
    """The file is empty, cut short or corrupt."""


_DAMAGE_SIGNS = ("not a valid duckdb database", "corrupt", "checksum", "serialization error",
                 "failed to read", "database file is too small", "could not read", "unexpected end")


def explain(error: BaseException, path: Path | str) -> WarehouseUnusable | None:
    """DuckDB's error on `path` as one an official can act on, or None when it is not about the file."""
    text = str(error).lower()
    damaged = any(sign in text for sign in _DAMAGE_SIGNS)   # checked first: "…in block" contains "lock"
    if not damaged and ("could not set lock" in text or "conflicting lock" in text or "lock on file" in text):
        return WarehouseBusy(
            f"数据库 {path} 正被另一个程序占用（打开着的看板，或正在运行的导入命令）。请等它完成或关闭它后再试；"
            "看板开着时，请在看板的「数据上传」页导入文件。")
    size = Path(path).stat().st_size if str(path) != ":memory:" and Path(path).exists() else None
    if size == 0 or damaged:
        what = "文件是空的（0 字节）" if size == 0 else "文件已损坏或不完整（可能是写入时断电、磁盘出错或被其他程序改动）"
        return WarehouseDamaged(
            f"数据库 {path} 无法使用：{what}。收到的所有文件都还保存在它旁边的 archive 文件夹里。"
            f"请运行 python -m ingest restore 恢复最近一次备份（备份在 {backups_dir(path)}），"
            "再重新导入备份之后收到的文件；没有备份时，请联系技术人员。")
    return None


def backups_dir(path: Path | str) -> Path:
    """Backups are kept beside the warehouse they copy."""
    return Path(path).parent / "backups"


def connect_or_explain(path: Path | str, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """`connect`, turning DuckDB's errors about the file into ones the command line and the dashboard
    can show in Chinese (WarehouseBusy, WarehouseDamaged)."""
    try:
        return connect(path, read_only=read_only)
    except (duckdb.Error, OSError) as e:
        explained = explain(e, path)
        if explained is None:
            raise
        raise explained from e
