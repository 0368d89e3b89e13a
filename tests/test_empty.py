"""A new office's first days: its own catalog and no submissions yet, then one file. Every page opens
and says what to do next; nothing takes a page down."""
from __future__ import annotations

import pytest

from conftest import long_rows, open_app, xlsx
from warehouse import config
from ingest.catalog import load_catalog, read_catalog
from warehouse.db import connect
from ingest.pipeline import receive

PAGES = ["pages/overview.py", "pages/meeting.py", "pages/indicator.py", "pages/districts.py",
         "pages/submissions.py", "pages/tasks.py", "pages/upload.py", "pages/quality.py", "pages/catalog.py"]
NEXT_STEP = "还没有报送数据：请在「数据上传」页上传"


@pytest.fixture
def catalog_only(tmp_path, catalog):
    db = tmp_path / "office.duckdb"
    con = connect(db)
    data = config.CATALOG_PATH.read_bytes()
    load_catalog(con, read_catalog(data)[0], data, "catalog.xlsx")
    con.close()
    return db


def open_every_page(db, monkeypatch):
    from ui import strings as S
    from ui.data import connection
    shown = {}
    for page in PAGES:
        at = open_app(db, monkeypatch)
        at.switch_page(page).run()
        assert not at.exception, (page, [e.value for e in at.exception])
        failed = [e.value for e in at.error if e.value == S.PAGE_FAILED]   # "本页计算出错": a page taken down too
        assert not failed, page
        shown[page] = [i.value for i in at.info]
    connection.clear()
    return shown


def test_every_page_with_a_catalog_and_no_data(catalog_only, monkeypatch):
    shown = open_every_page(catalog_only, monkeypatch)
    # every page but those where the office acts (upload, catalog, and tasks: a plan's tasks need no figures)
    # says what to do next
    for page in set(PAGES) - {"pages/upload.py", "pages/catalog.py", "pages/tasks.py"}:
        assert any(NEXT_STEP in text for text in shown[page]), page


def test_every_page_with_no_catalog_at_all(tmp_path, monkeypatch):
    """A warehouse file made before any catalog was loaded (`python -m accounts add` on a fresh copy, say):
    every page but 指标体系 says to load the catalog first, with the way there."""
    from ui import strings as S
    db = tmp_path / "blank.duckdb"
    connect(db).close()
    shown = open_every_page(db, monkeypatch)
    for page in set(PAGES) - {"pages/catalog.py"}:
        assert shown[page] == [S.NO_CATALOG_YET], page
    assert shown["pages/catalog.py"] == [S.CATALOG_NONE_YET]


def test_filters_that_leave_no_indicator_say_so(catalog_only, monkeypatch):
    from ui import strings as S
    from ui.filters import KEYS
    at = open_app(catalog_only, monkeypatch)
    at.switch_page("pages/indicator.py").run()
    areas = at.multiselect(key=KEYS["areas"]).options
    departments = at.selectbox(key=KEYS["department"]).options[1:]
    meta = None
    from ui import data
    meta = data.indicator_meta()
    # a lead department and an area none of its indicators belongs to
    pair = next((d, a) for d in departments for a in areas
                if not ((meta["lead_name"] == d) & (meta["area"] == a)).any())
    at.selectbox(key=KEYS["department"]).select(pair[0]).run()
    at.multiselect(key=KEYS["areas"]).select(pair[1]).run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert [i.value for i in at.info] == [S.INDICATOR_FILTER_NONE]


def test_every_page_with_one_file(catalog_only, monkeypatch, tmp_path):
    con = connect(catalog_only)
    path = tmp_path / "one.xlsx"
    path.write_bytes(xlsx(long_rows(["PS-08", "德城区", 2025, 900, 1000, None])))
    assert receive(con, path, tmp_path / "archive", department="卫健委").status == "accepted"
    con.close()
    shown = open_every_page(catalog_only, monkeypatch)
    assert not any(NEXT_STEP in text for texts in shown.values() for text in texts)


def test_every_page_with_the_largest_values_the_door_lets_through(catalog_only, monkeypatch, tmp_path):
    """A count of 1,000,000 in every district and rates over 50,000,000: the worst that passes the door."""
    from ingest.catalog import read_catalog as _read
    cat = _read(config.CATALOG_PATH.read_bytes())[0]
    rows = []
    for d in (d for d in cat.districts.values() if d.parent_code):
        rows.append(["DE-01", d.name, 2025, None, None, 1_000_000])
        rows.append(["RP-06", d.name, 2025, None, None, 1_000_000])
    con = connect(catalog_only)
    path = tmp_path / "big.xlsx"
    path.write_bytes(xlsx(long_rows(*rows)))
    assert receive(con, path, tmp_path / "archive", department="妇联").status == "accepted"
    rates = [["PS-08", d.name, 2025, 50_000_000, 50_000_000, None] for d in cat.districts.values() if d.parent_code]
    path = tmp_path / "rates.xlsx"
    path.write_bytes(xlsx(long_rows(*rates)))
    assert receive(con, path, tmp_path / "archive", department="卫健委").status == "accepted"
    con.close()
    open_every_page(catalog_only, monkeypatch)


def test_catalog_text_is_never_rendered_as_markdown(tmp_path, monkeypatch):
    """A catalog definition holding a Markdown image and a link is shown as typed on 指标详情."""
    import io

    from openpyxl import load_workbook
    wb = load_workbook(config.CATALOG_PATH)
    ws = wb["指标"]
    header = [c.value for c in ws[1]]
    ws.cell(2, header.index("分子定义") + 1).value = "![x](http://example.invalid/x.png) [点我](http://example.invalid)"
    buffer = io.BytesIO()
    wb.save(buffer)
    db = tmp_path / "office.duckdb"
    con = connect(db)
    load_catalog(con, read_catalog(buffer.getvalue())[0], buffer.getvalue(), "catalog.xlsx")
    path = tmp_path / "one.xlsx"
    path.write_bytes(xlsx(long_rows(["SP-01", "德城区", 2025, None, None, 2])))
    assert receive(con, path, tmp_path / "archive", department="发改委").status == "accepted"
    con.close()
    at = open_app(db, monkeypatch)
    at.switch_page("pages/indicator.py").run()
    assert not at.exception
    body = "\n".join(m.value for m in at.markdown)
    assert r"\!\[x\]\(http\://example\.invalid/x\.png\)" in body and "![x](" not in body
    from ui.data import connection
    connection.clear()


def test_a_failing_figure_fails_alone(demo_db, tmp_path, monkeypatch):
    """The two bar charts of 总览 raise: each shows a note in its place; the cards and the lagging list
    are drawn as usual, and no exception reaches the page."""
    import shutil

    import ui.charts

    def broken(*args, **kwargs):
        raise OverflowError("math range error")

    db = tmp_path / "warehouse.duckdb"
    shutil.copy(demo_db, db)
    monkeypatch.setattr(ui.charts, "stacked_bars", broken)
    at = open_app(db, monkeypatch)
    assert not at.exception
    notes = [w.value for w in at.warning if "计算出错" in w.value]
    assert len(notes) == 2 and any("各领域进展" in n for n in notes)
    assert len(at.metric) == 5 and at.dataframe          # the cards and the lagging list are there
    from ui.data import connection
    connection.clear()
