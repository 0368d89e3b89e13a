"""The app as a user opens it: AppTest over every page on a fresh demo warehouse."""
from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).parents[1] / "app.py")


@pytest.fixture
def app(tmp_path, monkeypatch):
    monkeypatch.setenv("CFC_DB", str(tmp_path / "warehouse.duckdb"))
    from ui.data import connection
    connection.clear()
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    yield at
    connection.clear()


def test_first_start_builds_demo_and_shows_banner(app, tmp_path):
    assert not app.exception
    assert (tmp_path / "warehouse.duckdb").exists()
    assert any("演示数据" in w.value for w in app.warning)
    values = {m.label: m.value for m in app.metric}
    assert values["监测指标"] == "43" and values["区县"] == "13" and values["已退回报送"] == "1"


@pytest.mark.parametrize("page, heading", [("pages/catalog.py", "指标体系"), ("pages/submissions.py", "报送记录")])
def test_pages_open(app, page, heading):
    app.switch_page(page).run()
    assert not app.exception
    assert app.title[0].value == heading
    assert any("演示数据" in w.value for w in app.warning)
    assert len(app.dataframe[0].value) > 40
