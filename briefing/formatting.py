"""How the briefing writes one value: dates, counts, figures in their units, statuses with a printable mark.

Text for Word and the web page follows ui.format (one decimal for rates, thousands separators); a `Num`
carries a number to Excel with the number format that displays it the same way. Missing is "—".
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from metrics.reading import qualifier
from ui import format as fmt

from . import words as W

DASH = "—"


@dataclass(frozen=True)
class Num:
    """A number for Excel with the format that shows it the way ui.format does."""
    value: float | int | None
    format: str = "General"


def day(x, ref_year: int | None = None) -> str:
    """"1月27日" within `ref_year`, else "2025年12月31日"."""
    if fmt.missing(x):
        return DASH
    t = pd.Timestamp(x)
    return (W.DAY if t.year == ref_year else W.DATE).format(year=t.year, month=t.month, day=t.day)


def moment(x, ref_year: int | None = None) -> str:
    return DASH if fmt.missing(x) else f"{day(x, ref_year)} {pd.Timestamp(x):%H:%M}"


def count(x) -> str:
    """A numerator or denominator: whole numbers without decimals."""
    return fmt.number(x, 0 if fmt.missing(x) or float(x).is_integer() else 2)


def text(x) -> str:
    """A field shown on its own: "—" when missing."""
    return DASH if fmt.missing(x) or str(x).strip() == "" else str(x)


def optional(x) -> str:
    """A field that only adds to another (a second line, a note): "" when missing, so it is left out."""
    return "" if fmt.missing(x) else str(x).strip()


def status(word) -> str:
    """"● 已达标": the word with a mark that prints in black and white; "—" where no status applies."""
    if fmt.missing(word):
        return DASH
    mark = W.STATUS_MARK.get(word)
    return f"{mark} {word}" if mark else str(word)


def row_status(r) -> str:
    """A progress row's status with what qualifies it ("▲ 滞后 · 样本小（…）"), as ui.format.row_status without emoji."""
    note = qualifier(r)
    return f"{status(r['status'])} · {note}" if note else status(r["status"])


def board_status(word) -> str:
    if fmt.missing(word):
        return DASH
    mark = W.BOARD_MARK.get(word)
    return f"{mark} {word}" if mark else str(word)


def num(x, unit: str, shown: str | None = None) -> Num:
    """A figure in its unit for Excel, displayed like ui.format.value (93.5%, 1,234 个, 4.55 个/千人);
    with as many decimals as `shown` (the figure read against its target, e.g. 91.9997%) has."""
    if fmt.missing(x):
        return Num(None)
    x, unit = float(x), unit if isinstance(unit, str) else ""
    suffix = "" if not unit or '"' in unit or "\\" in unit else f'"{unit}"' if unit in ("%", "‰") else f'" {unit}"'
    digits = len(shown.split(unit)[0].strip().split(".")[1]) if shown and "." in shown.split(unit)[0] else None
    if digits is not None:
        return Num(x, "#,##0." + "0" * digits + suffix)
    if unit in ("%", "‰"):
        return Num(x, "#,##0.0" + suffix)
    return Num(int(x) if x.is_integer() else x, ("#,##0" if x.is_integer() else "#,##0.00") + suffix)


def percent_format(shown: str) -> str:
    """An Excel percentage format with as many decimals as `shown` ("99.9997%" → "0.0000%")."""
    digits = len(shown.rstrip("%").split(".")[1]) if "." in shown else 1
    return "0." + "0" * digits + "%"


def plain(x) -> Num:
    if fmt.missing(x):
        return Num(None)
    x = float(x)
    return Num(int(x) if x.is_integer() else x, "#,##0" if x.is_integer() else "#,##0.00")


def when(x) -> dt.datetime | None:
    return None if fmt.missing(x) else pd.Timestamp(x).to_pydatetime()


def date(x) -> dt.date | None:
    return None if fmt.missing(x) else pd.Timestamp(x).date()


def heading(i: int, title: str) -> str:
    """"三、滞后指标" for the third section (up to 十)."""
    return W.HEADING.format(numeral=W.NUMERALS[i - 1], title=title)
