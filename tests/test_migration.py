"""A warehouse built before catalogs were versioned keeps its catalog as the first version."""
from __future__ import annotations

import duckdb

from warehouse.db import connect

# catalog tables as schema.sql defined them before catalog versions (commit 60e720b)
OLD_SCHEMA = """
CREATE TABLE catalog_load (id INTEGER PRIMARY KEY, sha256 VARCHAR NOT NULL, file_name VARCHAR NOT NULL,
                           loaded_at TIMESTAMP NOT NULL);
CREATE TABLE target (indicator_code VARCHAR NOT NULL, year INTEGER NOT NULL, value DOUBLE NOT NULL,
                     level VARCHAR NOT NULL, source VARCHAR, catalog_row INTEGER NOT NULL,
                     PRIMARY KEY (indicator_code, year, level));
CREATE TABLE district (code VARCHAR PRIMARY KEY, sort_order INTEGER NOT NULL, name VARCHAR NOT NULL,
                       aliases VARCHAR[] NOT NULL, parent_code VARCHAR, kind VARCHAR NOT NULL);
"""


def test_an_unversioned_catalog_becomes_version_one(tmp_path):
    db = tmp_path / "old.duckdb"
    old = duckdb.connect(str(db))
    old.execute(OLD_SCHEMA)
    old.execute("INSERT INTO district VALUES ('1', 0, '示例市', [], NULL, '市'), ('2', 1, '甲区', [], '1', '区')")
    old.execute("INSERT INTO target VALUES ('A', 2025, 50, '市', '默认（待确认）', 3), ('B', 2025, 95, '市', '方案', 4)")
    old.close()
    con = connect(db)
    assert con.execute("SELECT code, name FROM district ORDER BY code").fetchall() == [("1", "示例市"), ("2", "甲区")]
    assert con.execute("SELECT indicator_code, value, provisional FROM target ORDER BY 1").fetchall() == [
        ("A", 50.0, True), ("B", 95.0, False)]
    assert con.execute("SELECT id, file_name FROM catalog_load").fetchall() == [(1, "migrated")]
    con.close()
    again = connect(db)  # opening it again changes nothing
    assert again.execute("SELECT count(*) FROM catalog_target").fetchall() == [(2,)]
    again.close()
