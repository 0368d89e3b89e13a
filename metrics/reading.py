"""How a figure reads beside its target: the digits shown must agree with the status.

Pure functions shared by the pages, the briefing and the command line.
"""
from __future__ import annotations

import math

import pandas as pd


def missing(x) -> bool:
    return x is None or (not isinstance(x, str) and bool(pd.isna(x)))


def _decimals(x, unit: str) -> int:
    return 1 if unit in ("%", "‰") else 0 if float(x).is_integer() else 2


def _render(x, unit: str, decimals: int) -> str:
    return f"{x:,.{decimals}f}{unit}" if unit in ("%", "‰") else f"{x:,.{decimals}f} {unit}"


def value(x, unit: str, target=None, met=None, sign: int = 1) -> str:
    """A figure in its unit: 93.46 % → "93.5%", 5.16 ‰ → "5.2‰", 4.55 个/千人 → "4.55 个/千人", 1234 个 → "1,234 个".

    Given its target and whether it is met (sign −1 when less is better), it shows as many decimals as
    it takes for the figure to read the way its status says: never equal to or past the target when
    not met (91.9997 % beside 92 % is "91.9997%", not "92.0%"), never short of it when met.
    """
    if missing(x):
        return "—"
    x = float(x)
    decimals = _decimals(x, unit)
    if missing(target) or met is None or missing(met):
        if unit in ("%", "‰"):
            full = 100 if unit == "%" else 1000
            if x < full and round(x, 1) >= full:  # 99.97 % must not read as 100.0 % beside a 100 % target
                return f"{math.floor(x * 100) / 100:,.2f}{unit}"
        return _render(x, unit, decimals)
    target, met = float(target), bool(met)
    for d in range(decimals, decimals + 10):
        shown = float(f"{x:.{d}f}")
        if (sign * (shown - target) >= 0) == met:
            return _render(x, unit, d)
    # beyond ten more decimals only a figure met within rounding of its target is left: it reads as the target
    return _render(target if met else x, unit, decimals + 10)


def target(x, unit: str, nature=None, provisional=False) -> str:
    """A target as officials read it, as the plan writes it: "95%", "约50%" for a 左右 target, "≤5.2‰" for 不高于,
    with "（待确认）" when it is a placeholder awaiting the office's confirmation."""
    if missing(x):
        return "—"
    x = float(x)
    d = len(f"{x:.6f}".rstrip("0").split(".")[1]) if not x.is_integer() else 0
    prefix = {"about": "约", "at_most": "≤", "at_least": "≥"}.get(nature if not missing(nature) else None, "")
    return prefix + _render(x, unit, d) + ("（待确认）" if not missing(provisional) and provisional else "")




JUDGED = ("已达标", "正常", "滞后", "严重滞后")


def judged(r) -> bool:
    """A progress row whose status compares its value with its target (a 左右 target's band aside)."""
    return r["status"] in JUDGED and r.get("target_nature") != "about"


def row_reading(r) -> str:
    """A progress row's value read against its target, with the digits its status needs (see `value`)."""
    j = judged(r)
    return value(r["value"], r["unit"], r["target"] if j else None, r["met"] if j else None,
                 int(r["sign"]) if j and not missing(r["sign"]) else 1)


def qualifier(r) -> str:
    """What qualifies a row's status: "占各区县合计12.3%", "9/13个区县已报", "样本小（95%区间 3.1‰–11.1‰）"."""
    if r["status"] == "未分解" and not missing(r.get("share_of_total")):
        return f"占各区县合计{r['share_of_total'] * 100:.1f}%"
    if not missing(r.get("coverage")):
        return r["coverage"]
    if not missing(r.get("small_sample")) and bool(r.get("small_sample")):
        if missing(r.get("ci_low")):
            return "样本小"
        return f"样本小（95%区间 {value(r['ci_low'], r['unit'])}–{value(r['ci_high'], r['unit'])}）"
    return ""
