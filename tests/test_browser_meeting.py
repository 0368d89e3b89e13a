"""The weekly meeting as an official runs it: from a folder of this week's department files to the briefing,
in Chromium at 1366×768, counting what the person does. Its own dashboard on its own copy of the demo, so
the uploads and the meeting it starts touch no other test."""
from __future__ import annotations

import io
import json
import shutil
import subprocess
import sys
import time
import zipfile

import pytest

from conftest import ROOT, long_rows, xlsx
from test_browser import SHOTS, browser_type_launch_args, serving, settle  # noqa: F401 — fixtures

# A 2026 count per district for five departments' own indicators; 团市委's file has one bad cell.
DISTRICTS = ["德城区", "陵城区", "宁津县", "庆云县", "临邑县", "齐河县", "平原县", "夏津县", "武城县", "乐陵市", "禹城市",
             "德州经济技术开发区", "德州运河经济开发区"]
FOLDER = {"卫健委_2026_儿童友好医院.xlsx": ("卫健委", "PS-12"), "教育局_2026_儿童友好学校.xlsx": ("教育局", "PS-13"),
          "文旅局_2026_阅读空间.xlsx": ("文旅局", "GS-06"), "住建局_2026_儿童友好公园.xlsx": ("住建局", "GS-03"),
          "团市委_2026_志愿服务队伍.xlsx": ("团市委", "DE-03")}
BAD_FILE = "团市委_2026_志愿服务队伍.xlsx"
STATUSES = ("已达标", "正常", "滞后", "严重滞后", "无数据")


def folder(tmp_path):
    out = tmp_path / "本周报送"
    out.mkdir()
    for name, (dept, code) in FOLDER.items():
        rows = [[code, d, 2026, None, None, 2 + i % 4] for i, d in enumerate(DISTRICTS)]
        if name == BAD_FILE:
            rows[3][5] = "五支左右"          # 庆云县: not a number
        (out / name).write_bytes(xlsx([["填报单位", dept], *long_rows(*rows)]))
    return sorted(out.iterdir())


@pytest.fixture
def dashboard(demo_db, tmp_path):
    db = tmp_path / "warehouse.duckdb"
    shutil.copy(demo_db, db)
    with serving(db, tmp_path) as url:
        yield url


def report(db, year: int) -> dict[str, int]:
    run = subprocess.run([sys.executable, "-m", "metrics", "report", "--db", str(db), "--year", str(year), "--level",
                          "city", "--format", "json"], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    counts = dict.fromkeys(STATUSES, 0)
    for row in json.loads(run.stdout):
        counts[row["status"]] += 1
    return counts


def test_from_a_folder_of_files_to_the_briefing_in_five_actions(page, dashboard, demo_db, tmp_path):
    files = folder(tmp_path)
    page.set_viewport_size({"width": 1366, "height": 768})
    page.set_default_timeout(60_000)
    page.goto(dashboard)
    page.get_by_role("heading", name="总览", level=1).wait_for()
    settle(page)
    actions: list[str] = []

    def act(what: str) -> None:
        actions.append(what)

    started = time.monotonic()
    page.get_by_role("link", name="数据上传").click()
    act("open 数据上传")
    page.get_by_role("heading", name="数据上传", level=1).wait_for()
    page.locator("input[type='file']").first.set_input_files([str(f) for f in files])
    act("choose the folder's five files")
    page.get_by_text("不能导入：1 个错误").wait_for()
    page.get_by_role("button", name="确认导入").wait_for()
    settle(page)
    page.get_by_role("button", name="确认导入").click()
    act("确认导入")
    page.get_by_text("4 个文件已接收，1 个退回").wait_for()
    page.get_by_role("button", name="开始本周例会").click()
    act("开始本周例会")
    page.get_by_role("heading", name="一、总体进展").wait_for()
    settle(page)

    # screen 1 at 1366×768: the header row is one row of at most 110 px, the status counts above the fold
    header = page.locator(".st-key-meeting_header").bounding_box()
    assert header["height"] <= 110, header
    cards = page.locator("[data-testid='stMetric']")
    assert cards.count() == 5
    for card in cards.all():
        box = card.bounding_box()
        assert box["y"] + box["height"] <= 768, box
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "meeting_flow_screen1_1366x768.png"))
    shown = {}
    for card in cards.all():
        label = card.locator("[data-testid='stMetricLabel']").inner_text()
        shown[label.split()[-1]] = int(card.locator("[data-testid='stMetricValue']").inner_text())
    summary = page.get_by_text("项指标中").first.inner_text()
    year = int(summary[summary.index("日，") + 2:][:4])

    # paging is not counted; screen 2 names the new files, one line each, and the rejected one
    for k in range(5):
        page.get_by_role("button", name="下一页 ▶").click()
        settle(page)
        if k == 0:
            assert page.get_by_text("卫生健康委 2026 年报：13项数据").count() == 1
            assert page.get_by_text("团市委 2026 年报：已退回（1个错误").count() == 1
            page.screenshot(path=str(SHOTS / "meeting_flow_screen2_1366x768.png"))
    page.get_by_role("heading", name="六、督办事项").wait_for()

    with page.expect_download() as download:
        page.get_by_role("button", name="导出简报").click()
    act("导出简报")
    elapsed = time.monotonic() - started
    briefing = zipfile.ZipFile(io.BytesIO(download.value.path().read_bytes()))
    names = briefing.namelist()
    assert sorted(n.rsplit(".", 1)[1] for n in names) == ["docx", "html", "xlsx"]

    assert len(actions) <= 5, actions
    assert elapsed < 120, f"{elapsed:.0f} s"
    print(f"\nfolder → briefing: {len(actions)} actions, {elapsed:.1f} s")

    # the figures on screen 1 are the command line's, for the same files loaded by `python -m ingest load`
    cli = tmp_path / "cli.duckdb"
    shutil.copy(demo_db, cli)
    for f in files:
        subprocess.run([sys.executable, "-m", "ingest", "load", str(f), "--db", str(cli)], cwd=ROOT,
                       capture_output=True, timeout=120)
    assert shown == report(cli, year)


def test_a_briefing_exported_right_after_an_action_item_has_the_item(page, dashboard):
    page.set_viewport_size({"width": 1366, "height": 768})
    page.set_default_timeout(60_000)
    page.goto(f"{dashboard}/meeting")
    page.get_by_role("heading", name="一、总体进展").wait_for()
    for _ in range(2):
        page.get_by_role("button", name="下一页 ▶").click()
        settle(page)
    page.get_by_role("heading", name="三、滞后指标").wait_for()
    grid = page.locator("[data-testid='stDataFrame']").first.bounding_box()
    page.mouse.click(grid["x"] + 18, grid["y"] + 35 + 17)      # the first lagging row
    created = page.get_by_text("已创建督办事项").first
    created.wait_for()
    promise = created.inner_text().split("：", 1)[1].strip()
    with page.expect_download() as download:
        page.get_by_role("button", name="导出简报").click()
    briefing = zipfile.ZipFile(io.BytesIO(download.value.path().read_bytes()))
    html = briefing.read(next(n for n in briefing.namelist() if n.endswith(".html"))).decode("utf-8")
    assert promise[:12] in html
