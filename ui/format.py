"""How numbers and statuses are shown to officials: one decimal for rates, thousands separators,
units, and status as icon + word + colour (Okabe–Ito palette, safe for colour-blind viewers)."""
from __future__ import annotations

import math
import re

import pandas as pd

from metrics.board import LATE, MISSING, NOT_DUE, ON_TIME, PENDING, REJECTED
from metrics.progress import BEHIND, FAR_BEHIND, MET, NO_DATA, NOT_SPLIT, ON_TRACK
from metrics.reading import judged, missing, qualifier, row_reading, target, value  # noqa: F401
from metrics.tasks import AWAITING_EVIDENCE, COMPLETED, IN_PROGRESS, NOT_STARTED, OVERDUE

# Status marks are geometric shapes found in every CJK font (GB2312's symbol block: 宋体, 微软雅黑, Noto):
# they show on PCs without an emoji font, print in black and white, and differ by shape, not only
# by colour. The word always stays beside the mark.
STATUS_STYLE = {  # word: (mark, colour); the words are metrics' own, defined once there
    MET: ("●", "#0072B2"),
    ON_TRACK: ("○", "#56B4E9"),
    BEHIND: ("▲", "#E69F00"),
    FAR_BEHIND: ("■", "#D55E00"),
    NO_DATA: ("—", "#999999"),
}
STATUS_ORDER = list(STATUS_STYLE)
# The mark alone, for places too small for the word (heatmap cells; the legend says the word).
STATUS_SYMBOL = {word: mark for word, (mark, _) in STATUS_STYLE.items()}
# A district's row of a count whose target is the city's total: no status of its own, its share instead.
NOT_SPLIT_STYLE = ("◇", "#BBBBBB")
BOARD_STYLE = {ON_TIME: ("●", "#0072B2"), LATE: ("▲", "#E69F00"), MISSING: ("×", "#D55E00"),
               REJECTED: ("◆", "#CC79A7"), NOT_DUE: ("○", "#999999"), PENDING: ("◐", "#56B4E9")}
TASK_MARKS = {NOT_STARTED: "○", IN_PROGRESS: "◎", COMPLETED: "●", OVERDUE: "▲", AWAITING_EVIDENCE: "◇"}
# Severity for sorting: 严重滞后 first, then 滞后, 正常, 已达标, 无数据 (never the strings' own order).
STATUS_SEVERITY = {FAR_BEHIND: 0, BEHIND: 1, ON_TRACK: 2, MET: 3, NOT_SPLIT: 4, NO_DATA: 5}


def task_state(word) -> str:
    """A task's state with its mark: "▲ 逾期"."""
    return f"{TASK_MARKS.get(word, '')} {word}".strip()


def number(x, decimals: int = 0) -> str:
    """1234.5 → "1,235" (decimals=0) or "1,234.5"."""
    if missing(x):
        return "—"
    return f"{x:,.{decimals}f}"


def row_value(r) -> str:
    """A progress-table row's value, read against its target (see `value`); a 左右 target's band and
    figures with no status word are shown plainly; a figure not yet whole says so ("（9/13个区县已报）")."""
    shown = row_reading(r)
    if not missing(r.get("coverage")) and not missing(r["value"]):
        shown += f"（{r['coverage']}）"
    if r.get("additions_only") is True:
        shown += "（基线后新增）"
    return shown


def row_target(r) -> str:
    return target(r["target"], r["unit"], r.get("target_nature"), r.get("target_provisional"))


def rules_text() -> str:
    """The status rules in the officials' words, with this installation's thresholds."""
    from warehouse.config import settings
    from ui.strings import RULES_TEXT
    s = settings()
    return RULES_TEXT.format(points=s.about_band_points, share=s.about_band_share, tolerance=s.status_tolerance,
                             events=s.small_sample_events, worse=s.worse_margin)


_MARKDOWN = re.compile(r"([\\`*_{}\[\]()#+\-.!|~<>$:=\"'])")


def plain(text) -> str:
    """Text that came from a file or the catalog, for an element that renders Markdown (labels, captions,
    messages): every Markdown character escaped, so a name written as a Markdown image shows as typed and
    the browser fetches nothing. Line breaks become spaces."""
    if missing(text):
        return "—"
    return _MARKDOWN.sub(r"\\\1", " ".join(str(text).split()))


def change(x, unit: str) -> str:
    """Year-over-year: percentage points for rates, units for counts."""
    if missing(x):
        return "—"
    words = {"%": "个百分点", "‰": "个千分点"}
    if unit in words:
        # a small move keeps two significant digits: it never reads as "-0.0"
        shown = f"{x:+.1f}" if abs(x) >= 0.05 or x == 0 else f"{x:+.2g}"
        return f"{shown} {words[unit]}"
    return f"{x:+,.{0 if float(x).is_integer() else 2}f} {unit}"


def figure(numerator, denominator, value) -> str:
    """A reported figure as it was sent: "43/49" (分子/分母) for rates, the number for counts."""
    if not missing(numerator) and not missing(denominator):
        return f"{number(numerator)}/{number(denominator)}"
    return number(value, 0 if missing(value) or float(value).is_integer() else 2)


def share(x) -> str:
    return "—" if missing(x) or (isinstance(x, float) and math.isinf(x)) else f"{x * 100:.1f}%"


def attainment_label(r) -> str:
    """A heatmap cell's whole-number 完成度: rounded down when the target is not met (99.997 → "99",
    never "100"), rounded when met."""
    a = r["attainment"]
    if missing(a) or (isinstance(a, float) and math.isinf(a)):
        return ""
    return f"{math.floor(a * 100) if r['met'] is False or r['met'] == 0 else round(a * 100)}"


def row_attainment(r) -> str:
    """完成度 read like the value: an unmet target's attainment never reads "100.0%" (99.9997%)."""
    if missing(r["attainment"]) or (isinstance(r["attainment"], float) and math.isinf(r["attainment"])):
        return "—"
    j = judged(r)
    return value(r["attainment"] * 100, "%", 100 if j else None, r["met"] if j else None, 1)


def status(word) -> str:
    """"● 已达标"; "—" where no target applies at all."""
    if missing(word):
        return "—"
    icon, _ = STATUS_STYLE.get(word, NOT_SPLIT_STYLE if word == "未分解" else ("", ""))
    return f"{icon} {word}"


def row_status(r) -> str:
    """A row's status with what qualifies it: "▲ 滞后 · 样本小（95%区间 3.1‰–11.1‰）",
    "◇ 未分解 · 占各区县合计12.3%", "— 无数据 · 9/13个区县已报"."""
    note = qualifier(r)
    return f"{status(r['status'])} · {note}" if note else status(r["status"])


def progress_rows(table: pd.DataFrame) -> pd.DataFrame:
    """A progress table with value, target and status as officials read them (see row_value,
    row_target, row_status); the numbers stay in value_number for sorting and charts."""
    if table.empty:
        return table.assign(value_number=table["value"], status_word=table["status"])

    rows = table.to_dict("records")
    return table.assign(value_number=table["value"], value=[row_value(r) for r in rows],
                        target=[row_target(r) for r in rows], status_word=table["status"],
                        status=[row_status(r) for r in rows], attainment=[row_attainment(r) for r in rows],
                        growth_band=table["growth_band"].fillna("—"), disagreement=table["disagreement"].fillna("—"))


def board_status(word: str) -> str:
    icon, _ = BOARD_STYLE.get(word, ("", ""))
    return f"{icon} {word}"


def colour(word: str) -> str:
    return STATUS_STYLE.get(word, BOARD_STYLE.get(word, ("", "#999999")))[1]


def severity(word) -> int:
    """Sort key of a status word: 严重滞后 0, 滞后 1, 正常 2, 已达标 3, 未分解 4, 无数据 5, anything else last."""
    return STATUS_SEVERITY.get(word, len(STATUS_SEVERITY))


def cells(frame: pd.DataFrame) -> pd.DataFrame:
    """A table as shown: no cell reads None, NaN, nan or NaT — a missing value is "—".

    Text columns get "—" for missing cells; a numeric column with a missing cell becomes text (whole
    numbers with thousands separators, others as they are), so the grid never prints "None"; complete
    numeric columns stay numbers (right-aligned, sortable, formatted by the page's column_config);
    times read to the minute, dates as dates; yes/no reads 是/否."""
    from ui.strings import NO, YES
    out = frame.copy()
    for column in out.columns:
        col = out[column]
        if pd.api.types.is_bool_dtype(col):
            continue
        if pd.api.types.is_datetime64_any_dtype(col):
            whole_days = col.dropna().dt.normalize().eq(col.dropna()).all()
            out[column] = col.dt.strftime("%Y-%m-%d" if whole_days else "%Y-%m-%d %H:%M").fillna("—")
        elif pd.api.types.is_numeric_dtype(col):
            if col.isna().any():
                out[column] = [_cell_number(v) for v in col]
        else:
            out[column] = [YES if v is True else NO if v is False else _cell_number(v)
                           if isinstance(v, float) else "—" if missing(v) or str(v).strip().lower() in ("none", "nan", "nat")
                           else v if isinstance(v, str) else str(v) for v in col]
    return out


def _cell_number(v) -> str:
    if missing(v):
        return "—"
    v = float(v)
    return f"{v:,.0f}" if v.is_integer() else f"{v:,.4g}" if abs(v) < 1000 else f"{v:,.2f}"


def short_names(codes, names) -> list[str]:
    """Districts' short names (data/district_tiles.csv's short column: 经开区, 运河区), for tiles and
    axis labels where a long name would overlap its neighbour; the name itself where none is given."""
    shorts = _short_names()
    return [shorts.get(str(c)) or n for c, n in zip(codes, names)]


def _short_names() -> dict[str, str]:
    from warehouse import config
    from metrics.inventory import district_tiles
    path = config.DATA_DIR / "district_tiles.csv"
    tiles = district_tiles(path) if path.exists() else pd.DataFrame(columns=["code", "short"])
    if "short" not in tiles:
        return {}
    return {c: s for c, s in zip(tiles["code"], tiles["short"]) if not missing(s) and str(s).strip()}


def part_gap(x, unit: str) -> str:
    """A part's distance below the highest part, at the precision values are shown: "-4.8 个百分点", or "—"."""
    if missing(x):
        return "—"
    shown = round(float(x), 1 if unit in ("%", "‰") else 2)
    return "—" if shown == 0 else change(shown, unit)


def part_gaps(rows: pd.DataFrame, unit: str) -> list[str]:
    """Per dimension of a breakdown (rows of one area and year): "城乡：乡村比城镇低 4.8 个百分点"."""
    from ui.strings import PART_GAP, PART_EVEN
    out = []
    for dimension, group in rows.dropna(subset=["value"]).groupby("dimension", sort=False):
        if len(group) < 2:
            continue
        low, high = group.loc[group["value"].idxmin()], group.loc[group["value"].idxmax()]
        gap = high["value"] - low["value"]
        if round(gap, 1 if unit in ("%", "‰") else 2) == 0:   # no gap at the precision shown
            out.append(PART_EVEN.format(dim=dimension))
        else:
            out.append(PART_GAP.format(dim=dimension, low=low["part"], high=high["part"],
                                       gap=change(gap, unit).lstrip("+")))
    return out
