"""Shared fixtures: a warehouse with the real catalog, and small workbooks built in the test."""
from __future__ import annotations

import io
import shutil
import sys
from pathlib import Path

import duckdb
import pytest
from openpyxl import Workbook

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from warehouse import config  # noqa: E402
from ingest.catalog import Catalog, load_catalog, read_catalog  # noqa: E402
from warehouse.db import connect  # noqa: E402
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
    return con.execute("SELECT count(*) FROM " + table).fetchall()[0][0]


# ----------------------------------------------------------- a tiny catalog
MINI_INDICATORS = [
    # code, area, action, name, kind, scale, accumulation, basis, unit, direction, upper, lead, co, freq,
    # baseline year, baseline value, gap phrase
    ("R-UP", "公共服务友好", "行动一", "筛查覆盖率", "比率", 100, None, None, "%", "越高越好", None, "卫健委", None, "年", 2022, 80, "还需筛查{n}名儿童"),
    ("R-DN", "公共服务友好", "行动一", "婴儿死亡率", "比率", 1000, None, None, "‰", "越低越好", 100, "卫健委", None, "月", 2022, 6, "需减少{n}例"),
    ("C-ADD", "成长空间友好", "行动二", "新建阅读点数", "数量", None, "累计", "当年新增", "个", "越高越好", None, "妇联", None, "年", 2022, 0, None),
    ("C-RUN", "成长空间友好", "行动二", "示范社区数", "数量", None, "累计", "累计数", "个", "越高越好", None, "妇联", None, "年", 2022, 2, None),
    ("C-YR", "发展环境友好", "行动三", "暑托班数", "数量", None, "年度", None, "个", "越高越好", None, "妇联", None, "季", 2022, 10, None),
    ("REG", "成长空间友好", "行动二", "开展创建的社区占比", "台账", None, None, None, "%", "越高越好", None, "妇联", None, "年", 2022, 10, "还需{n}个社区开展创建"),
    ("YN", "社会政策友好", "行动四", "建立议事会的区县占比", "是否", None, None, None, "%", "越高越好", None, "妇联", None, "年", None, None, None),
]
MINI_TARGETS = [("R-UP", 2025, 95, "市"), ("R-UP", 2025, 90, "国家"), ("R-DN", 2025, 5, "市"), ("C-ADD", 2025, 30, "市"),
                ("C-RUN", 2024, 10, "市"), ("C-YR", 2024, 40, "市"), ("C-YR", 2025, 40, "市"), ("REG", 2024, 30, "市"),
                ("REG", 2025, 50, "市"), ("YN", 2025, 100, "市")]
MINI_DISTRICTS = [("100", "示例市", "", None, "市"), ("101", "甲区", "甲", "100", "区"),
                  ("102", "乙县", "乙", "100", "县"), ("103", "丙县", "丙", "100", "县")]
MINI_DEPARTMENTS = [("WJW", "卫生健康委", "卫健委"), ("FL", "妇联", "市妇联")]
# 甲区 4 communities, 乙县 3, 丙县 3
MINI_COMMUNITIES = [("甲区", "一街道", f"甲{i}社区", f"101001{i:03d}", "城镇") for i in range(1, 5)] + \
                   [("乙县", "二镇", f"乙{i}村", f"102001{i:03d}", "农村") for i in range(1, 4)] + \
                   [("丙县", "三镇", f"丙{i}村", f"103001{i:03d}", "农村") for i in range(1, 4)]


def mini_catalog_bytes(indicators=None, targets=None, target_header=("指标编码", "年度", "目标值", "层级"),
                       communities=None, indicator_columns=None, extra=None, districts=None) -> bytes:
    """The tiny catalog workbook. With no arguments: MINI_INDICATORS, MINI_TARGETS … as they are.
    A variant for one test may replace the indicator, target or community rows, give the 目标 sheet more
    columns (`target_header`, e.g. + 区县, 目标性质, 来源), replace the 区县 rows (`districts`), add 指标 columns
    (`indicator_columns` = {title: {indicator code: cell}}) and add sheets (`extra` = {name: [header, *rows]})."""
    indicators = MINI_INDICATORS if indicators is None else indicators
    indicator_columns = indicator_columns or {}
    wb = Workbook()
    wb.active.title = "指标"
    ws = wb["指标"]
    ws.append(["指标编码", "领域", "行动/任务", "指标名称", "类型", "比例基数", "累计方式", "填报口径", "单位", "方向",
               "取值上限", "牵头单位", "配合单位", "报送频率", "基线年", "基线值", "缺口表述", *indicator_columns])
    for row in indicators:
        ws.append([*row, *(cells.get(row[0]) for cells in indicator_columns.values())])
    for title, header, rows in (
            ("目标", list(target_header), MINI_TARGETS if targets is None else targets),
            ("区县", ["统计代码", "名称", "别名", "上级代码", "类型"], MINI_DISTRICTS if districts is None else districts),
            ("部门", ["部门编码", "部门名称", "别名"], MINI_DEPARTMENTS),
            ("社区", ["区县", "街道(乡镇)", "社区名称", "社区代码", "城乡"],
             MINI_COMMUNITIES if communities is None else communities),
            *((name, more[0], more[1:]) for name, more in (extra or {}).items())):
        sheet = wb.create_sheet(title)
        sheet.append(header)
        for row in rows:
            sheet.append(list(row))
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


class Mini:
    """A warehouse with a tiny catalog (see the `mini` fixture)."""


def mini_warehouse(tmp_path: Path, data: bytes | None = None, loaded_at=None, name: str = "mini") -> Mini:
    """A warehouse at tmp_path/<name>.duckdb holding the catalog `data` (the tiny catalog by default),
    loaded at `loaded_at` (now by default). Close `m.con` when done."""
    data = mini_catalog_bytes() if data is None else data
    cat, problems = read_catalog(data, "mini.xlsx")
    assert cat is not None, problems
    con = connect(tmp_path / f"{name}.duckdb")
    load_catalog(con, cat, data, "mini.xlsx", loaded_at=loaded_at)

    m = Mini()
    m.con, m.catalog = con, cat
    counter = iter(range(1, 10_000))
    inbox = tmp_path / ("in" if name == "mini" else f"in-{name}")

    def _load(rows, when, department="卫健委"):
        table = [["指标编码", "区县", "统计期", "分子", "分母", "数值"], *[list(r) for r in rows]]
        path = inbox / f"f{next(counter)}.xlsx"
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(xlsx(table))
        result = receive(con, path, tmp_path / "archive", department=department, received_at=when)
        assert result.status == "accepted", result.problems
        return result

    def _register(period, flags, when, department="妇联"):
        """flags: {community name: "是"/"否"}."""
        by_name = {c[2]: c for c in MINI_COMMUNITIES}
        table = [["统计期", period], ["区县", "街道(乡镇)", "社区名称", "是否开展创建"],
                 *[[by_name[n][0], by_name[n][1], n, f] for n, f in flags.items()]]
        path = inbox / f"r{next(counter)}.xlsx"
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(xlsx(table))
        result = receive(con, path, tmp_path / "archive", department=department, received_at=when)
        assert result.status == "accepted", result.problems
        return result

    def _load_catalog(more: bytes, when):
        """Load another catalog version, in force from `when`."""
        other, problems = read_catalog(more, "mini.xlsx")
        assert other is not None, problems
        return load_catalog(con, other, more, "mini.xlsx", loaded_at=when)

    m.load, m.register, m.load_catalog = _load, _register, _load_catalog
    return m


@pytest.fixture
def mini(tmp_path):
    """A warehouse with the tiny catalog; `mini.load(rows, when, department)` loads a long-format file
    (rows: indicator, district, period, numerator, denominator, value); `mini.register(...)` a 台账."""
    m = mini_warehouse(tmp_path)
    yield m
    m.con.close()


@pytest.fixture
def fast_hashes(monkeypatch):
    """Argon2id at its smallest cost, for tests about accounts and logins rather than about the hash's cost
    (the real one takes about half a second a hash on a busy 2-core machine)."""
    from argon2 import PasswordHasher

    from accounts import passwords
    monkeypatch.setattr(passwords, "_HASHER", PasswordHasher(time_cost=1, memory_cost=8, parallelism=1))


# ------------------------------------------------------------- the demo city
@pytest.fixture(scope="session")
def demo_db(tmp_path_factory) -> Path:
    """The demo warehouse, built once per session; tests copy it before changing anything."""
    from ingest.demo import build_demo
    db = tmp_path_factory.mktemp("demo") / "warehouse.duckdb"
    build_demo(db)
    return db


def open_app(db: Path, monkeypatch):
    """The dashboard (app.py) opened through AppTest on the warehouse at `db`, with no cache left over."""
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    from ui.data import connection
    monkeypatch.setenv("CFC_DB", str(db))
    connection.clear()
    st.cache_data.clear()
    return AppTest.from_file(str(ROOT / "app.py"), default_timeout=120).run()


@pytest.fixture
def app(demo_db, tmp_path, monkeypatch):
    """A fresh copy of the demo warehouse for each test, and the dashboard opened on it."""
    db = tmp_path / "warehouse.duckdb"
    shutil.copy(demo_db, db)
    yield open_app(db, monkeypatch)
    from ui.data import connection
    connection.clear()


@pytest.fixture
def demo_con(demo_db, tmp_path):
    """A connection to a fresh copy of the demo warehouse (its archive starts empty beside it)."""
    db = tmp_path / "warehouse.duckdb"
    shutil.copy(demo_db, db)
    c = connect(db)
    yield c
    c.close()


def open_link(db: Path, monkeypatch, params: dict):
    """The dashboard opened as from a shared link: the address's query parameters set before the first run."""
    from streamlit.testing.v1 import AppTest

    from ui.data import connection
    monkeypatch.setenv("CFC_DB", str(db))
    connection.clear()
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.query_params.update(params)
    return at.run()


# ------------------------------------------------------------ metrics tests
def one(frame, indicator: str, district: str, year: int):
    """The single row of `frame` for an indicator, district and year."""
    rows = frame[(frame["indicator"] == indicator) & (frame["district_code"] == district) & (frame["year"] == year)]
    assert len(rows) == 1, rows
    return rows.iloc[0]


def has_row(frame, indicator: str, district: str, year: int) -> bool:
    return bool(((frame["indicator"] == indicator) & (frame["district_code"] == district)
                 & (frame["year"] == year)).any())


def days(a, b) -> int:
    return (b - a).days


def wilson(k: float, n: float, z: float = 1.96) -> tuple[float, float]:
    """The Wilson score interval of k/n, from the textbook formula (for checking small-numbers flags)."""
    import math
    p = k / n
    centre, half = p + z * z / (2 * n), z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    return (centre - half) / (1 + z * z / n), (centre + half) / (1 + z * z / n)


@pytest.fixture(scope="module")
def rules():
    """An in-memory connection with the rule macros of metrics/rules.sql."""
    import duckdb

    from metrics.sql import use_rules
    con = duckdb.connect()
    use_rules(con)
    yield con
    con.close()


def call(con, macro: str, *args):
    """macro(args…) evaluated by DuckDB: the rule as the progress query applies it (an expression built by
    DuckDB's API from the macro's name and constants, no SQL text)."""
    expression = duckdb.FunctionExpression(macro, *map(duckdb.ConstantExpression, args))
    return con.sql("SELECT 1").select(expression).fetchall()[0][0]


def table_frames(db) -> dict:
    """Every table of the warehouse at `db`, its rows in order: two warehouses compared table by table."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        names = [r[0] for r in con.execute("SELECT table_name FROM duckdb_tables() ORDER BY 1").fetchall()]
        return {n: con.table(n).order("ALL").df() for n in names}
    finally:
        con.close()
