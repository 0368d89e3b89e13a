"""The sidebar filters hold across pages, reruns and a reload (the URL's query parameters)."""
from __future__ import annotations

import datetime as dt
import shutil

from conftest import open_link


def chosen(at) -> tuple:
    return (at.selectbox(key="f_year").value, tuple(at.multiselect(key="f_districts").value),
            tuple(at.multiselect(key="f_areas").value), at.selectbox(key="f_department").value)


def test_filters_hold_across_pages(app):
    app.selectbox(key="f_year").select(2024).run()
    app.multiselect(key="f_districts").select("371423").run()
    app.multiselect(key="f_areas").select("成长空间友好").run()
    picked = chosen(app)
    assert picked[0] == 2024 and picked[1] == ("371423",)
    for page in ("pages/indicator.py", "pages/districts.py", "pages/meeting.py", "pages/overview.py"):
        app.switch_page(page).run()
        assert not app.exception, page
        assert chosen(app) == picked, page
    assert app.query_params["year"] == "2024"
    assert app.query_params["district"] in ("371423", ["371423"])


def test_a_shared_link_opens_the_same_view(demo_db, tmp_path, monkeypatch):
    db = tmp_path / "warehouse.duckdb"
    shutil.copy(demo_db, db)
    at = open_link(db, monkeypatch, {"year": "2024", "district": ["371423", "999999"], "asof": "2025-06-30",
                                     "dept": "<script>", "present": "1"})
    assert not at.exception
    assert at.selectbox(key="f_year").value == 2024
    assert at.multiselect(key="f_districts").value == ["371423"]   # an unknown code is dropped
    assert at.selectbox(key="f_department").value == "全部"          # not a department: ignored
    assert at.date_input(key="f_as_of").value == dt.date(2025, 6, 30)
    assert at.toggle(key="present_mode").value is True


def test_a_bad_year_in_the_link_falls_back_to_the_default(demo_db, tmp_path, monkeypatch):
    db = tmp_path / "warehouse.duckdb"
    shutil.copy(demo_db, db)
    at = open_link(db, monkeypatch, {"year": "1900"})
    assert not at.exception
    assert at.selectbox(key="f_year").value == 2025
