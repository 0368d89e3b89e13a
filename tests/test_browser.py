"""What a person sees: Debian's Chromium, driven by Playwright, against a real `streamlit run`.

Screenshots of every page at 1366×768 and 1920×1080 go to test-artifacts/screenshots/.
Any request to a host other than localhost fails the test.
"""
from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlparse

import pytest

from conftest import ROOT, long_rows, xlsx

playwright = pytest.importorskip("playwright.sync_api")
CHROMIUM = "/usr/bin/chromium"
if not Path(CHROMIUM).exists():
    if os.environ.get("CI"):
        raise RuntimeError("browser tests must run in CI: install Debian's chromium (see .ci/run)")
    pytest.skip("Debian's chromium is not installed", allow_module_level=True)

SHOTS = ROOT / "test-artifacts" / "screenshots"
SIZES = {"1366x768": (1366, 768), "1920x1080": (1920, 1080)}
PAGES = {"": "总览", "indicator": "指标详情", "districts": "区县对比", "submissions": "报送情况",
         "tasks": "任务清单", "upload": "数据上传", "quality": "数据质量", "catalog": "指标体系"}
LOCAL = {"localhost", "127.0.0.1", "::1", "[::1]"}


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "headless": True,
            "args": ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                     "--disable-component-update", "--disable-sync", "--no-first-run"]}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def serving(db: Path, log_dir: Path):
    """`streamlit run app.py` on the warehouse `db`; stopped by its own PID."""
    port = _free_port()
    env = {**os.environ, "CFC_DB": str(db)}
    log = open(log_dir / "streamlit.log", "w")
    proc = subprocess.Popen([sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port),
                             "--server.headless", "true", "--server.address", "localhost"],
                            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    deadline = time.time() + 60
    while time.time() < deadline:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                break
        time.sleep(0.3)
    else:
        proc.kill()
        raise RuntimeError("streamlit did not start")
    try:
        yield f"http://localhost:{port}"
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


@pytest.fixture(scope="session")
def server(tmp_path_factory, demo_db):
    """The dashboard on a copy of the demo warehouse, shared by the tests that only look."""
    db = tmp_path_factory.mktemp("browser") / "warehouse.duckdb"
    shutil.copy(demo_db, db)
    # the running app holds DuckDB's write lock; the command line reads a copy taken before it starts
    snapshot = db.with_name("snapshot.duckdb")
    shutil.copy(db, snapshot)
    with serving(db, tmp_path_factory.mktemp("log")) as url:
        yield {"url": url, "db": db, "snapshot": snapshot}


@pytest.fixture
def page(page, server):
    """A page that records every request and fails the test on any outside host."""
    outside: list[str] = []
    page.on("request", lambda r: outside.append(r.url) if urlparse(r.url).hostname not in LOCAL
            and urlparse(r.url).scheme in ("http", "https", "ws", "wss") else None)
    page.set_default_timeout(30_000)
    yield page
    assert not outside, f"requests to outside hosts: {outside}"


def settle(page) -> None:
    """Wait until Streamlit has finished the run: nothing running, no skeletons, every chart drawn."""
    page.wait_for_function("""() => {
        const running = document.querySelector('[data-testid="stStatusWidget"]');
        const skeletons = document.querySelectorAll('[data-testid="stSkeleton"]').length;
        const charts = [...document.querySelectorAll('[data-testid="stPlotlyChart"]')];
        return !running && skeletons === 0 && charts.every(c => c.querySelector('.main-svg'));
    }""")
    page.wait_for_timeout(500)


def open_page(page, server, path: str, title: str) -> None:
    page.goto(f"{server['url']}/{path}")
    page.get_by_role("heading", name=title, level=1).wait_for()
    settle(page)


# every page on the projector's 1366×768; the chart-heavy ones on a 1920×1080 screen too (the suite's time)
RENDERS = [(path, title, "1366x768") for path, title in PAGES.items()] + \
          [(path, PAGES[path], "1920x1080") for path in ("", "indicator", "districts")]


@pytest.mark.parametrize("path, title, size", RENDERS)
def test_every_page_renders(page, server, path, title, size):
    page.set_viewport_size(dict(zip(("width", "height"), SIZES[size])))
    open_page(page, server, path, title)
    assert page.get_by_text("演示数据", exact=False).first.is_visible()
    assert page.locator("[data-testid='stException']").count() == 0
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{path or 'overview'}_{size}.png"), full_page=True)


def test_overview_matches_the_command_line(page, server):
    open_page(page, server, "", "总览")
    heading = page.locator("h3").filter(has_text="全市指标进展").first.inner_text()
    year = int(heading[:4])
    run = subprocess.run([sys.executable, "-m", "metrics", "report", "--db", str(server["snapshot"]), "--year", str(year),
                          "--level", "city", "--format", "json"], cwd=ROOT, capture_output=True, text=True,
                         timeout=120)
    assert run.returncode == 0, run.stderr
    expected: dict[str, int] = {}
    for row in json.loads(run.stdout):
        expected[row["status"]] = expected.get(row["status"], 0) + 1
    shown = {}
    for card in page.locator("[data-testid='stMetric']").all():
        label = card.locator("[data-testid='stMetricLabel']").inner_text()
        shown[label.split()[-1]] = int(card.locator("[data-testid='stMetricValue']").inner_text())
    assert shown == {word: expected.get(word, 0) for word in ("已达标", "正常", "滞后", "严重滞后", "无数据")}


def test_upload_through_the_file_widget(page, server, tmp_path):
    open_page(page, server, "upload", "数据上传")
    rows = [["PS-12", "德城区", 2026, None, None, 4], ["PS-12", "陵城区", 2026, None, None, 2]]
    file = tmp_path / "卫健委_医院数.xlsx"
    file.write_bytes(xlsx([["填报单位", "卫健委"], *long_rows(*rows)]))
    page.locator("input[type='file']").first.set_input_files(str(file))
    page.get_by_text("可以导入：2 行数据").wait_for()
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "upload_review_1366x768.png"), full_page=True)
    page.get_by_role("button", name="确认导入").click()
    page.get_by_text("1 个文件已接收").wait_for()
    bad = tmp_path / "坏文件.xlsx"
    bad.write_bytes(xlsx([["填报单位", "卫健委"], *long_rows(["PS-12", "德城区", 2026, None, None, "很多"])]))
    page.locator("input[type='file']").first.set_input_files(str(bad))
    page.get_by_text("不能导入：1 个错误").wait_for()
    page.screenshot(path=str(SHOTS / "upload_rejected_1366x768.png"), full_page=True)


def test_meeting_walked_with_the_keyboard(page, server):
    page.set_viewport_size({"width": 1366, "height": 768})
    page.goto(f"{server['url']}/meeting")
    page.get_by_role("button", name="开始本周例会").click()   # one click: no box to fill in or close
    page.get_by_text("上次会议：第6次 · 2026-11-10 09:30").wait_for()   # the new meeting (第7次) is selected
    page.get_by_role("heading", name="一、总体进展").wait_for()
    settle(page)
    assert not page.locator("section[data-testid='stSidebar']").is_visible()  # present mode
    SHOTS.mkdir(parents=True, exist_ok=True)
    screens = ["一、总体进展", "二、上次会议以来的变化", "三、滞后指标", "四、未报和逾期", "五、区县排名", "六、督办事项"]
    for k, name in enumerate(screens):
        page.get_by_role("heading", name=name).wait_for()
        settle(page)
        page.screenshot(path=str(SHOTS / f"meeting_{k + 1}_1366x768.png"))
        if name == "三、滞后指标":  # one click on a lagging row creates an action item
            grid = page.locator("[data-testid='stDataFrame']").first.bounding_box()
            page.mouse.click(grid["x"] + 18, grid["y"] + 35 + 17)
            page.get_by_text("已创建督办事项").wait_for()
            settle(page)
            page.screenshot(path=str(SHOTS / "meeting_3_action_created_1366x768.png"))
        if k < len(screens) - 1:
            page.get_by_role("heading", name=name).click()  # focus the page, not an input
            page.keyboard.press("ArrowRight")
    assert page.get_by_text("核实").count() + page.get_by_text("前报告进展").count() >= 1  # the item is on screen 6
    page.keyboard.press("ArrowLeft")
    page.get_by_role("heading", name=screens[4]).wait_for()
    page.set_viewport_size({"width": 1920, "height": 1080})
    for _ in range(4):
        page.keyboard.press("ArrowLeft")
        page.wait_for_timeout(700)
    page.get_by_role("heading", name=screens[0]).wait_for()
    settle(page)
    page.screenshot(path=str(SHOTS / "meeting_1_1920x1080.png"))


def test_a_figure_short_of_its_target_never_reads_as_reaching_it(page, server):
    """PS-09 2025: 184,717 / 200,780 = 91.9997% beside a 92% target that is not met: the trend's label
    says 91.9997%, not 92.0%; PS-10 in 德州运河经济开发区 (9 infant deaths in 1,529 births) is 滞后 with
    样本小, never 严重滞后."""
    page.set_viewport_size({"width": 1366, "height": 768})
    open_page(page, server, "indicator", "指标详情")
    pick = page.get_by_label("选择指标")
    pick.click()
    page.keyboard.type("PS-09")
    page.keyboard.press("Enter")
    settle(page)
    labels = page.locator("[data-testid='stPlotlyChart'] text").evaluate_all("els => els.map(e => e.textContent)")
    assert "91.9997%" in labels      # the city's 2025 point on the trend (2023 was 92.0%, met)
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "indicator_PS-09_1366x768.png"), full_page=True)


def test_a_file_name_written_as_markdown_is_shown_as_typed(page, server):
    """A file named like a Markdown image must not make the browser fetch from that host (the page
    fixture fails the test on any request off localhost); the name shows as typed."""
    open_page(page, server, "upload", "数据上传")
    name = "![b](http://example.invalid/x.png)**粗**.xlsx"
    data = xlsx([["填报单位", "卫健委"], *long_rows(["PS-12", "德城区", 2026, None, None, 3])])
    page.locator("input[type='file']").first.set_input_files(
        files=[{"name": name, "mimeType": "application/octet-stream", "buffer": data}])
    page.get_by_text("可以导入").first.wait_for()
    settle(page)
    assert page.get_by_text("![b](http://example.invalid/x.png)**粗**.xlsx", exact=False).first.is_visible()
    assert page.locator("img[src*='example.invalid']").count() == 0


def test_the_upload_box_lets_every_file_reach_the_chinese_checks(page, server):
    """A 21 MB file is not stopped by Streamlit's English upload box: the project's own door answers in
    Chinese."""
    open_page(page, server, "upload", "数据上传")
    big = b"PK" + b"\0" * (21 * 2**20)
    page.locator("input[type='file']").first.set_input_files(
        files=[{"name": "卫健委_大文件.xlsx", "mimeType": "application/octet-stream", "buffer": big}])
    page.get_by_text("不能导入：1 个错误").wait_for()
    settle(page)
    # the report's cell (drawn on a canvas; its text is in the grid's accessible cells)
    assert page.locator("[role='gridcell']", has_text="超过上限 20 MB").count() >= 1
    assert page.get_by_text("exceeds", exact=False).count() == 0
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "upload_too_large_1366x768.png"), full_page=True)


def test_a_shared_link_to_a_page_opens_the_dashboard_with_its_filters(browser, server):
    """A new session opening /indicator?year=2024&district=371423 (a link from a colleague, a reload):
    the dashboard's own navigation in Chinese and wide layout, with 2024 and 庆云县 chosen."""
    context = browser.new_context(viewport={"width": 1366, "height": 768})
    page = context.new_page()
    page.goto(f"{server['url']}/indicator?year=2024&district=371423")
    page.get_by_role("heading", name="指标详情", level=1).wait_for()
    settle(page)
    nav = page.locator("[data-testid='stSidebarNav']").inner_text()
    labels = {line.strip() for line in nav.splitlines()}   # the icons' ligature names are in the text too
    assert {"总览", "数据上传"} <= labels and not labels & {"app", "upload", "overview", "meeting"}
    assert "庆云县" in page.locator("section[data-testid='stSidebar']").inner_text()
    assert page.get_by_role("heading", name="2024年 各区县").count() == 1   # the page draws 2024
    page.get_by_role("link", name="区县对比").click()
    page.get_by_role("heading", name="区县对比", level=1).wait_for()
    assert "year=2024" in page.url and "district=371423" in page.url
    context.close()


def test_personal_mode_remembers_the_name_in_the_browser(page, server):
    """「您的姓名」 is typed once: a cookie keeps it, so a reload (a new session) has it again, as typed."""
    page.set_viewport_size({"width": 1366, "height": 768})
    page.goto(server["url"])
    name = page.get_by_role("textbox", name="您的姓名")
    name.fill("王敏 <b>")
    name.press("Enter")
    settle(page)
    page.wait_for_timeout(500)
    page.reload()
    page.get_by_role("textbox", name="您的姓名").wait_for()
    settle(page)
    assert page.get_by_role("textbox", name="您的姓名").input_value() == "王敏 <b>"
