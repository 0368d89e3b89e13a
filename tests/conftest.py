"""Shared fixtures: a warehouse with the real catalog, and small workbooks built in the test."""
from __future__ import annotations

import io
import sys
from pathlib import Path

import pytest
from openpyxl import Workbook

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from ingest import config  # noqa: E402
from ingest.catalog import Catalog, load_catalog, read_catalog  # noqa: E402
from ingest.db import connect  # noqa: E402
from ingest.pipeline import receive  # noqa: E402


@pytest.fixture(scope="session")
def catalog_bytes() -> bytes:
    return config.CATALOG_PATH.read_bytes()


@pytest.fixture(scope="session")
def catalog(catalog_bytes) -> Catalog:
    cat, problems = read_catalog(catalog_bytes)
    assert cat is not None, problems
    return cat


@pytest.fixture
def warehouse(tmp_path, catalog, catalog_bytes):
    """A fresh warehouse file holding the real catalog; yields the open connection."""
    con = connect(tmp_path / "w.duckdb")
    load_catalog(con, catalog, catalog_bytes, "catalog.xlsx")
    yield con
    con.close()


@pytest.fixture
def load(warehouse, tmp_path):
    """load(bytes, name, **kw) -> FileResult, through the real pipeline into `warehouse`."""
    def _load(data: bytes, name: str = "submission.xlsx", **kw):
        path = tmp_path / "in" / name
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(data)
        return receive(warehouse, path, tmp_path / "archive", **kw)
    return _load


def xlsx(rows: list[list], sheet: str = "Sheet1", hidden_rows=(), merge=(), extra=None) -> bytes:
    """A workbook from a list of rows (row 1 first). `extra` maps sheet names to more rows."""
    wb = Workbook()
    ws = wb.active
    ws.title = sheet
    for row in rows:
        ws.append(row)
    for r in hidden_rows:
        ws.row_dimensions[r].hidden = True
    for rng in merge:
        ws.merge_cells(rng)
    for name, more in (extra or {}).items():
        other = wb.create_sheet(name)
        for row in more:
            other.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def long_rows(*rows, header=("指标编码", "区县", "年度", "分子", "分母", "数值", "备注")) -> list[list]:
    """A long-format table: header then rows."""
    return [list(header), *[list(r) for r in rows]]


def count_rows(con, table: str) -> int:
    return con.execute("SELECT count(*) FROM " + table).fetchone()[0]
