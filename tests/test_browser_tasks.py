"""A task from 未启动 to 已完成 as the office sees it, in Chromium at 1366×768 (issue 11): 文旅局 sends a task sheet
reporting T-08 已完成 without evidence — 待佐证 on 任务清单; a PDF attached there makes it 已完成; the meeting started
afterwards shows it on screen 6 and its briefing lists it. Its own dashboard on its own copy of the demo."""
from __future__ import annotations

import io
import re
import shutil
import zipfile

from conftest import xlsx
from test_browser import SHOTS, browser_type_launch_args, serving, settle  # noqa: F401 — fixtures

T08 = "建成“一县一馆”少儿阅读示范点"


def grid_cells(page) -> list[str]:
    """The text of every cell of the page's tables (drawn on a canvas; the text is in the accessible cells)."""
    return page.locator("[role='gridcell']").all_inner_texts()


def test_a_task_reported_done_is_proved_by_a_pdf_and_reaches_the_meeting_and_the_briefing(page, demo_db, tmp_path):
    db = tmp_path / "warehouse.duckdb"
    shutil.copy(demo_db, db)
    sheet = tmp_path / "文旅局_任务进展.xlsx"
    sheet.write_bytes(xlsx([["填报单位", "文旅局", "报送日期", "2026-11-20"],
                            ["任务编码", "状态", "更新日期", "佐证材料", "备注"],
                            ["T-08", "已完成", "2026-11-20", None, "13个县市区示范点全部建成"]], sheet="任务进展"))
    page.set_viewport_size({"width": 1366, "height": 768})
    page.set_default_timeout(60_000)
    with serving(db, tmp_path) as url:
        page.goto(f"{url}/upload")
        page.get_by_role("heading", name="数据上传", level=1).wait_for()
        page.locator("input[type='file']").first.set_input_files(str(sheet))
        page.get_by_text("可以导入").first.wait_for()
        settle(page)
        page.get_by_role("button", name="确认导入").click()
        page.get_by_text("1 个文件已接收").wait_for()

        page.get_by_role("link", name="任务清单").click()
        page.get_by_role("heading", name="任务清单", level=1).wait_for()
        settle(page)
        assert grid_cells(page).count("◇ 待佐证") == 1
        # the table fits the page beside the sidebar: no column cut off, no sideways scrolling
        grid = page.locator("[data-testid='stDataFrame']").first
        box = grid.bounding_box()
        assert box["x"] + box["width"] <= 1366
        assert grid.evaluate("g => { const s = g.querySelector('.dvn-scroller'); "
                             "return s.scrollWidth <= s.clientWidth; }")

        pick = page.get_by_label("任务", exact=True)
        pick.click()
        page.keyboard.type("T-08")
        page.keyboard.press("Enter")
        settle(page)
        page.locator("input[type='file']").first.set_input_files(
            files=[{"name": "验收报告.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4\n%%EOF\n"}])
        settle(page)
        page.get_by_role("button", name="保存佐证材料").click()
        page.get_by_text("已保存").wait_for()
        settle(page)
        cells = grid_cells(page)
        assert "◇ 待佐证" not in cells and "验收报告.pdf" in cells
        row = cells[cells.index("T-08"):cells.index("T-08") + 8]
        assert "● 已完成" in row and "文旅局" in row
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / "tasks_saved_1366x768.png"))
        page.get_by_role("heading", name="任务清单", level=1).scroll_into_view_if_needed()
        page.screenshot(path=str(SHOTS / "tasks_1366x768.png"))

        page.get_by_role("link", name="周例会").click()
        page.get_by_role("button", name="开始本周例会").click()
        page.get_by_text("上次会议：第6次").wait_for()
        page.get_by_role("heading", name="一、总体进展").wait_for()
        for k in range(2, 7):       # paged without waiting for each screen's charts
            page.get_by_role("button", name="下一页 ▶").click()
            page.get_by_text(f"{k} / 6", exact=True).wait_for()
        page.get_by_role("heading", name="六、督办事项").wait_for()
        page.locator("[role='gridcell']", has_text=T08).wait_for(state="attached")
        settle(page)
        cells = grid_cells(page)
        row = cells[cells.index("T-08"):cells.index("T-08") + 7]
        assert "● 已完成" in row and "文旅局" in row and "验收报告.pdf" in row
        page.locator("[data-testid='stDataFrame']").nth(1).evaluate("g => g.scrollIntoView({block: 'end'})")
        page.wait_for_timeout(300)
        page.screenshot(path=str(SHOTS / "meeting_6_tasks_1366x768.png"))

        with page.expect_download() as download:
            page.get_by_role("button", name="导出简报").click()
        briefing = zipfile.ZipFile(io.BytesIO(download.value.path().read_bytes()))
        html = briefing.read(next(n for n in briefing.namelist() if n.endswith(".html"))).decode("utf-8")
        row = re.search(r"<tr[^>]*>(?:(?!</tr>).)*" + re.escape(T08) + r"(?:(?!</tr>).)*</tr>", html, re.S)
        assert row and "已完成" in row.group(0) and "文旅局" in row.group(0) and "验收报告.pdf" in row.group(0)
