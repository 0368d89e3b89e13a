"""Charts that read at a distance, in a real browser at 1366×768 (Debian's Chromium against `streamlit run`):
present mode draws every chart's text at 16 px or more. Screenshots go to test-artifacts/screenshots/."""
from __future__ import annotations

import pytest

from test_browser import SHOTS, browser_type_launch_args, open_page, page, server, settle  # noqa: F401 (fixtures)


def _chart_text_sizes(page) -> list[tuple[str, float]]:
    """(text, font size in px) of every non-empty svg text in the page's Plotly charts, once one is drawn
    (a page whose charts have not arrived yet reads as settled: no chart is "every chart drawn")."""
    page.wait_for_function("() => [...document.querySelectorAll(\"[data-testid='stPlotlyChart'] svg text\")]"
                           ".some(e => e.textContent.trim() && e.getBBox().width > 0)")
    return page.locator("[data-testid='stPlotlyChart'] svg text").evaluate_all(
        "els => els.filter(e => e.textContent.trim() && e.getBBox().width > 0)"
        ".map(e => [e.textContent.trim(), parseFloat(getComputedStyle(e).fontSize)])")


def _present(page) -> None:
    page.locator("[data-testid='stSidebar'] label").filter(has_text="演示模式").click()
    page.locator("section[data-testid='stSidebar']").wait_for(state="hidden")
    settle(page)


@pytest.mark.parametrize("path, title", [("", "总览"), ("indicator", "指标详情"), ("districts", "区县对比")])
def test_present_mode_draws_chart_text_at_16px(page, server, path, title):
    """Chart text is at least 12 px, and 16 px once present mode is on (it scales chart text, not only
    the page's). No table cell reads None or NaN: that is checked on the data of every page in both modes
    through AppTest (tests/test_screens.py), which is faster and sees every row, not only those on screen."""
    page.set_viewport_size({"width": 1366, "height": 768})
    open_page(page, server, path, title)
    SHOTS.mkdir(parents=True, exist_ok=True)
    normal = _chart_text_sizes(page)
    assert normal and min(size for _, size in normal) >= 12, sorted(normal, key=lambda t: t[1])[:5]
    page.screenshot(path=str(SHOTS / f"screens_{path or 'overview'}_normal_1366x768.png"))
    _present(page)
    texts = _chart_text_sizes(page)
    assert texts, "no chart text found"
    small = [(t, s) for t, s in texts if s < 16]
    assert not small, small[:10]
    page.screenshot(path=str(SHOTS / f"screens_{path or 'overview'}_present_1366x768.png"))
