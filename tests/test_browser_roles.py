"""Server mode as people see it (issue 13), in Chromium at 1366×768 against a real `streamlit run`: the login page
alone, centred; a 填报员 logged in sees who it is, uploads as its own department only and has its checklist; a
管理员 has 账号管理 and 操作记录. Screenshots go to test-artifacts/screenshots/."""
from __future__ import annotations

import shutil

import pytest

from accounts import add
from test_browser import SHOTS, browser_type_launch_args, serving, settle  # noqa: F401 — fixtures
from warehouse.access import ADMIN, REPORTER, personal_actor
from warehouse.db import connect

PASSWORD = "春天的风吹过田野"


@pytest.fixture(scope="module")
def office(tmp_path_factory, demo_db):
    """The demo warehouse with a 管理员 and a 卫生健康委 填报员 (server mode), served once for the module."""
    folder = tmp_path_factory.mktemp("office")
    db = folder / "warehouse.duckdb"
    shutil.copy(demo_db, db)
    con = connect(db)
    first = personal_actor("管理员甲")
    add(con, "王敏", ADMIN, PASSWORD, actor=first)
    add(con, "张三", REPORTER, PASSWORD, "卫健委", actor=first)
    con.close()
    with serving(db, folder) as url:
        yield url


def log_in(page, url: str, name: str) -> None:
    page.goto(url)
    page.get_by_label("账号").fill(name)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.get_by_text(f"当前用户：账号 {name}").wait_for()
    settle(page)


def test_the_login_page_and_a_reporter(page, office):
    page.set_viewport_size({"width": 1366, "height": 768})
    page.set_default_timeout(60_000)
    page.goto(f"{office}/upload")
    page.get_by_role("button", name="登录").wait_for()
    settle(page)
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "login_1366x768.png"))
    # nothing of the dashboard before a login: no navigation, no sidebar, no figures
    assert page.locator("[data-testid='stSidebarNav']").count() == 0
    assert not page.locator("section[data-testid='stSidebar']").is_visible()
    assert page.locator("[data-testid='stMetric']").count() == 0
    form = page.locator("[data-testid='stForm']").bounding_box()
    assert abs(form["x"] + form["width"] / 2 - 1366 / 2) < 40 and form["y"] + form["height"] < 768

    log_in(page, office, "张三")
    nav = page.locator("[data-testid='stSidebarNav']").inner_text()
    assert "数据上传" in nav and "账号管理" not in nav and "操作记录" not in nav
    page.get_by_role("link", name="数据上传").click()
    page.get_by_role("heading", name="本部门报送清单").wait_for()
    page.get_by_text("没有等待审核的文件。").wait_for()
    settle(page)
    page.screenshot(path=str(SHOTS / "reporter_upload_1366x768.png"))
    assert page.get_by_text("只能上传本部门的文件").count() >= 1
    page.get_by_role("button", name="退出登录").click()
    page.get_by_role("button", name="登录").wait_for()


def test_an_admin_has_the_accounts_and_the_audit_trail(page, office):
    page.set_viewport_size({"width": 1366, "height": 768})
    page.set_default_timeout(60_000)
    log_in(page, office, "王敏")
    nav = page.locator("[data-testid='stSidebarNav']").inner_text()
    assert "账号管理" in nav and "操作记录" in nav
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "admin_overview_1366x768.png"))
    page.get_by_role("link", name="账号管理").click()
    page.get_by_role("heading", name="账号管理", level=1).wait_for()
    settle(page)
    page.screenshot(path=str(SHOTS / "admin_accounts_1366x768.png"))
    page.get_by_role("link", name="操作记录").click()
    page.get_by_role("heading", name="操作记录", level=1).wait_for()
    settle(page)
    assert page.locator("[role='gridcell']", has_text="王敏").count() >= 1
    page.screenshot(path=str(SHOTS / "admin_audit_1366x768.png"))
    with page.expect_download() as download:
        page.get_by_role("button", name="下载 CSV").click()
    csv = download.value.path().read_bytes()
    assert csv.startswith("\ufeff".encode()) and "登录成功".encode() in csv and PASSWORD.encode() not in csv
