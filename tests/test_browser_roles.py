"""Server mode as people see it (issue 13), in Chromium at 1366×768 against a real `streamlit run`: the login page
alone, centred; a 填报员 logged in sees who it is, uploads as its own department only and has its checklist, with
its file waiting for approval; a 查看者 sees the upload page without an uploader or any decision; a 管理员 approves
the waiting file and has 账号管理 and 操作记录. The tests share one server and run in this order (the file waits
until the 管理员's test). Screenshots go to test-artifacts/screenshots/."""
from __future__ import annotations

import shutil

import pytest

from accounts import add, list_accounts
from conftest import long_rows, xlsx
from ingest.pipeline import receive
from test_browser import SHOTS, browser_type_launch_args, serving, settle  # noqa: F401 — fixtures
from warehouse.access import ADMIN, REPORTER, VIEWER, Actor, personal_actor
from warehouse.config import archive_dir
from warehouse.db import connect

PASSWORD = "春天的风吹过田野"
CELLS = "(file) => { const c = [...document.querySelectorAll(\"[role='gridcell']\")].map(e => e.textContent); "
WAITING = "卫健委_医院数补报.xlsx"   # 张三's file, 待审核 when the server starts: PS-12 for 德城区 in 2026


@pytest.fixture(scope="module")
def office(tmp_path_factory, demo_db):
    """The demo warehouse with a 管理员, a 卫生健康委 填报员 and a 查看者 (server mode), and one file the 填报员 sent
    that waits for approval; served once for the module."""
    folder = tmp_path_factory.mktemp("office")
    db = folder / "warehouse.duckdb"
    shutil.copy(demo_db, db)
    con = connect(db)
    first = personal_actor("管理员甲")
    add(con, "王敏", ADMIN, PASSWORD, actor=first)
    add(con, "张三", REPORTER, PASSWORD, "卫健委", actor=first)
    add(con, "李四", VIEWER, PASSWORD, actor=first)
    reporter = list_accounts(con).set_index("name").loc["张三"]
    path = folder / WAITING
    path.write_bytes(xlsx(long_rows(["PS-12", "德城区", 2026, None, None, 4])))
    sent = receive(con, path, archive_dir(db), department="卫健委",
                   actor=Actor("张三", REPORTER, reporter["department_code"], None, int(reporter["id"])))
    assert sent.status == "accepted" and sent.pending, sent.problems
    con.close()
    with serving(db, folder) as url:
        yield url


def log_in(page, url: str, name: str) -> None:
    page.goto(url)
    page.get_by_label("账号").fill(name)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.get_by_text(f"当前用户：账号 {name}").wait_for()
    page.locator("[data-testid='stForm']").wait_for(state="detached")   # the login form's stale copy gone too
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
    page.locator("[role='gridcell']", has_text=WAITING).first.wait_for(state="attached")   # its file, waiting
    settle(page)
    page.screenshot(path=str(SHOTS / "reporter_upload_1366x768.png"))
    assert page.get_by_text("只能上传本部门的文件").count() >= 1
    page.get_by_role("button", name="退出登录").click()
    page.get_by_role("button", name="登录").wait_for()


def test_a_viewer_sees_the_upload_page_without_any_control(page, office):
    page.set_viewport_size({"width": 1366, "height": 768})
    page.set_default_timeout(60_000)
    log_in(page, office, "李四")
    nav = page.locator("[data-testid='stSidebarNav']").inner_text()
    assert "数据上传" in nav and "账号管理" not in nav and "操作记录" not in nav
    page.get_by_role("link", name="数据上传").click()
    page.get_by_role("heading", name="报送历史").wait_for()
    settle(page)
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "viewer_upload_1366x768.png"))
    assert page.get_by_text("您的账号为查看者，只能查看。").is_visible()
    assert page.locator("[data-testid='stFileUploader']").count() == 0
    for word in ("审核通过", "退回", "重新打开", "恢复（记录为一次新的报送，不删除任何记录）", "确认导入"):
        assert page.get_by_role("button", name=word).count() == 0, word
    assert page.get_by_role("heading", name="待审核（1）").count() == 0       # a file waits, unseen here


def test_an_admin_approves_the_waiting_file(page, office):
    page.set_viewport_size({"width": 1366, "height": 768})
    page.set_default_timeout(60_000)
    log_in(page, office, "王敏")
    page.get_by_role("link", name="数据上传").click()
    queue = page.get_by_role("heading", name="待审核（1）")
    queue.wait_for()
    settle(page)
    # the file, who sent it, and what it changes in the city's figures: PS-12 in 2026, — → 4 家
    assert page.get_by_text(WAITING).first.is_visible() and page.get_by_text("由 张三 上传").is_visible()
    # the tables' cells, row by row (their accessible copy, filled once the grid has drawn): the effect's row,
    # and 报送历史's 是否计入 of the file
    page.wait_for_function(CELLS + "return c.join('|').includes('PS-12|儿童友好医院数|2026|—|4 家') "
                           "&& c[c.indexOf(file) + 4] === '待审核'; }", arg=WAITING)
    queue.evaluate("e => e.scrollIntoView({block: 'start'})")     # the queue at the top, its decision in view
    page.wait_for_timeout(300)
    assert page.get_by_role("button", name="审核通过").bounding_box()["y"] + 40 < 768
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "approval_queue_1366x768.png"))
    page.get_by_role("button", name="审核通过").click()
    page.get_by_text("号报送，其数字自现在起计入。").wait_for()
    settle(page)
    assert page.get_by_role("heading", name="待审核（1）").count() == 0         # it left the queue
    page.wait_for_function(CELLS + "return !c.includes('PS-12') && c[c.indexOf(file) + 4] === '计入'; }",
                           arg=WAITING)                                    # its figures count now
    # and it may be reopened, with a reason (the control under 报送历史)
    reopen = page.get_by_role("button", name="重新打开")
    reopen.scroll_into_view_if_needed()
    page.wait_for_timeout(300)
    page.screenshot(path=str(SHOTS / "reopen_1366x768.png"))
    assert reopen.is_disabled() and page.get_by_text("重新打开的原因（必填）").is_visible()


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
