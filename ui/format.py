"""How numbers and statuses are shown to officials: one decimal for rates, thousands separators,
units, and status as icon + word + colour (Okabe–Ito palette, safe for colour-blind viewers)."""
from __future__ import annotations

import math

import pandas as pd

STATUS_STYLE = {  # word: (icon, colour)
    "已达标": ("✅", "#0072B2"),
    "正常": ("🔵", "#56B4E9"),
    "滞后": ("⚠️", "#E69F00"),
    "严重滞后": ("⛔", "#D55E00"),
    "无数据": ("⬜", "#999999"),
}
STATUS_ORDER = list(STATUS_STYLE)
# A plain-text mark per status for places emoji do not fit (heatmap cells).
STATUS_SYMBOL = {"已达标": "✓", "正常": "○", "滞后": "!", "严重滞后": "✕", "无数据": "·"}
BOARD_STYLE = {"按时": ("✅", "#0072B2"), "逾期": ("⏰", "#E69F00"), "未报": ("❌", "#D55E00"),
               "退回": ("↩️", "#CC79A7"), "未到期": ("⏳", "#999999")}


def missing(x) -> bool:
    return x is None or (not isinstance(x, str) and bool(pd.isna(x)))


def number(x, decimals: int = 0) -> str:
    """1234.5 → "1,235" (decimals=0) or "1,234.5"."""
    if missing(x):
        return "—"
    return f"{x:,.{decimals}f}"


def value(x, unit: str) -> str:
    """A figure in its unit: 93.46 % → "93.5%", 5.16 ‰ → "5.2‰", 4.55 个/千人 → "4.55 个/千人", 1234 个 → "1,234 个"."""
    if missing(x):
        return "—"
    if unit in ("%", "‰"):
        full = 100 if unit == "%" else 1000
        if x < full and round(x, 1) >= full:  # 99.97 % must not read as 100.0 % beside a 100 % target
            return f"{math.floor(x * 100) / 100:,.2f}{unit}"
        return f"{x:,.1f}{unit}"
    if not float(x).is_integer():
        return f"{x:,.2f} {unit}"
    return f"{x:,.0f} {unit}"


def change(x, unit: str) -> str:
    """Year-over-year: percentage points for rates, units for counts."""
    if missing(x):
        return "—"
    if unit == "%":
        return f"{x:+.1f} 个百分点"
    if unit == "‰":
        return f"{x:+.1f} 个千分点"
    return f"{x:+,.{0 if float(x).is_integer() else 2}f} {unit}"


def figure(numerator, denominator, value) -> str:
    """A reported figure as it was sent: "43/49" (分子/分母) for rates, the number for counts."""
    if not missing(numerator) and not missing(denominator):
        return f"{number(numerator)}/{number(denominator)}"
    return number(value, 0 if missing(value) or float(value).is_integer() else 2)


def share(x) -> str:
    return "—" if missing(x) or (isinstance(x, float) and math.isinf(x)) else f"{x * 100:.1f}%"


def status(word) -> str:
    """"✅ 已达标"; "—" where no target applies (a district's share of a city-wide count)."""
    if missing(word):
        return "—"
    icon, _ = STATUS_STYLE.get(word, ("", ""))
    return f"{icon} {word}"


def board_status(word: str) -> str:
    icon, _ = BOARD_STYLE.get(word, ("", ""))
    return f"{icon} {word}"


def colour(word: str) -> str:
    return STATUS_STYLE.get(word, BOARD_STYLE.get(word, ("", "#999999")))[1]
