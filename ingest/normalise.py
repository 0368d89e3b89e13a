"""Turning what people type into Excel into canonical values.

Each parser returns a value, None for "missing", or INVALID when the text
cannot be read; deciding whether that is a problem is validation's job.
"""
from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata

from warehouse.breakdowns import AGE, DIMENSIONS, parts_of

INVALID = object()

# "无" is not among them: in a 是/否 column it means 否, and elsewhere it is better questioned than dropped.
MISSING_MARKERS = {"", "—", "——", "–", "-", "/", "\\", "暂无", "n/a", "na", "null", "none"}
TOTAL_LABELS = {"合计", "总计", "小计", "全市", "全市合计", "总数", "total"}
YES = {"是", "y", "yes", "true", "1", "√", "✓", "有", "已开展"}
NO = {"否", "n", "no", "false", "0", "×", "✗", "无", "未开展"}

_CN_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4}


def canon(raw: object) -> str:
    """Full-width to half-width (NFKC), all whitespace removed."""
    if raw is None:
        return ""
    text = raw if isinstance(raw, str) else str(raw)
    # str.split() breaks on exactly the characters the regex \s matches (str.isspace), and faster
    return "".join(unicodedata.normalize("NFKC", text).split())


class Uncached(str):
    """A formula cell saved without its calculated value (the file was not opened in Excel/WPS)."""

    def __new__(cls):
        return super().__new__(cls, "（公式无计算结果）")


def is_missing(raw: object) -> bool:
    if raw is None:
        return True
    if isinstance(raw, float) and math.isnan(raw):
        return True
    return isinstance(raw, str) and canon(raw).lower() in MISSING_MARKERS


def parse_number(raw: object):
    """A number from a cell: 1234, "1,234", "95%", "１２３", "12.5 " → float."""
    if is_missing(raw):
        return None
    if isinstance(raw, bool) or isinstance(raw, (dt.date, dt.time, dt.timedelta)):
        return INVALID
    if isinstance(raw, (int, float)):
        return float(raw) if math.isfinite(raw) else INVALID
    text = canon(raw).replace(",", "")
    if text.endswith("%") or text.endswith("‰"):
        text = text[:-1]
    try:
        value = float(text)
    except ValueError:
        return INVALID
    return value if math.isfinite(value) else INVALID


def parse_year(raw: object):
    """2024, 2024.0, "2024", "2024年", "２０２４" → 2024."""
    if is_missing(raw):
        return None
    if isinstance(raw, bool):
        return INVALID
    if isinstance(raw, (int, float)):
        return int(raw) if float(raw).is_integer() and 1900 < raw < 2200 else INVALID
    text = canon(raw).removesuffix("年").removesuffix("年度")
    if re.fullmatch(r"(19|20|21)\d\d", text):
        return int(text)
    return INVALID


def parse_period(raw: object):
    """Canonical 统计期: "YYYY", "YYYY-Qn" or "YYYY-MM"."""
    if is_missing(raw):
        return None
    if isinstance(raw, (dt.date, dt.datetime)):
        return f"{raw.year:04d}-{raw.month:02d}"
    if isinstance(raw, (int, float)) and not isinstance(raw, bool):
        year = parse_year(raw)
        return str(year) if year not in (None, INVALID) else INVALID
    text = canon(raw).upper().replace("第", "")
    if m := re.fullmatch(r"(\d{4})(?:年度?)?", text):
        return m[1]
    if m := re.fullmatch(r"(\d{4})[-./年]?(?:Q([1-4])|([1-4一二三四])(?:季度|季)|([1-4])Q)", text):
        q = m[2] or m[4] or m[3]
        return f"{m[1]}-Q{_CN_DIGITS.get(q, q)}"
    if m := re.fullmatch(r"(\d{4})(?:[-./年](\d{1,2})月?|(\d{2}))", text):
        month = int(m[2] or m[3])
        return f"{m[1]}-{month:02d}" if 1 <= month <= 12 else INVALID
    return INVALID


def parse_yesno(raw: object):
    if is_missing(raw):
        return None
    if isinstance(raw, bool):
        return raw
    key = canon(raw).lower()
    if isinstance(raw, (int, float)):
        key = "1" if raw == 1 else "0" if raw == 0 else key
    if key in YES:
        return True
    if key in NO:
        return False
    return INVALID


def parse_date(raw: object):
    """A date cell or text such as 2024-03-05, 2024/3/5, 2024年3月5日."""
    if is_missing(raw):
        return None
    if isinstance(raw, dt.datetime):
        return raw.date()
    if isinstance(raw, dt.date):
        return raw
    text = canon(raw)
    m = re.fullmatch(r"(\d{4})[-./年](\d{1,2})[-./月](\d{1,2})日?", text)
    if not m:
        return INVALID
    try:
        return dt.date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        return INVALID


def text(raw: object) -> str | None:
    """A free-text cell, trimmed; None when blank."""
    if is_missing(raw):
        return None
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    value = unicodedata.normalize("NFKC", str(raw)).strip()
    return value or None


def texts(values: list) -> list:
    """text() of every value of a column: a string read once however often it repeats, and an ASCII string
    of digits (a code) taken as it is, which is what text() makes of it."""
    if set(map(type, values)) == {str} and all(map(str.isdigit, values)) and all(map(str.isascii, values)):
        return list(values)   # a column of codes
    done: dict[str, str | None] = {}
    out = []
    for v in values:
        if type(v) is not str:
            out.append(text(v))
        elif v.isdigit() and v.isascii():
            out.append(v)
        else:
            t = done.get(v, INVALID)
            out.append(done.setdefault(v, text(v)) if t is INVALID else t)
    return out


def _other_ideographs() -> re.Pattern:
    """A pattern finding a CJK unified ideograph that is in no total label. Such a character has no
    decomposition and composes with nothing, so NFKC keeps it: a text holding one (a community's name) is
    never a total label."""
    used = sorted({ord(c) for label in TOTAL_LABELS for c in label if 0x4E00 <= ord(c) <= 0x9FFF})
    ranges, start = [], 0x4E00
    for c in used + [0xA000]:
        if start < c:
            ranges.append(f"{chr(start)}-{chr(c - 1)}")
        start = c + 1
    return re.compile("[" + "".join(ranges) + "]")


_OTHER_IDEOGRAPH = _other_ideographs()


def is_total_label(raw: object) -> bool:
    if type(raw) is str and _OTHER_IDEOGRAPH.search(raw):
        return False
    return canon(raw).lower() in TOTAL_LABELS


def printable(text: object) -> str:
    """Text for a terminal: control and format characters (escape sequences, bidi overrides, tabs and
    line breaks inside a name) shown as \\xNN / \\uNNNN, so a file name cannot move the cursor or
    recolour the screen."""
    return "".join(c if unicodedata.category(c)[0] != "C" else
                   (f"\\x{ord(c):02x}" if ord(c) < 0x100 else f"\\u{ord(c):04x}") for c in str(text))


def fmt_num(value: float | int | None) -> str:
    """How a number is quoted back in a message: 1234 → "1234", 93.50 → "93.5"."""
    if value is None:
        return "空"
    if abs(value) >= 1e12:  # never spell out a 309-digit number
        return f"{value:.3g}"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return f"{value:.10g}"


# -- breakdowns (分组): what people type for a dimension or a part → warehouse.breakdowns' words

_ALIASES = {"男性": "男", "女性": "女", "男童": "男", "女童": "女", "城市": "城镇", "城区": "城镇", "农村": "乡村"}
_DASHES = re.compile(r"[-–—―~～至到]+")
_LIST = re.compile(r"[、,，;；/\s]+")


def age_group(raw: object) -> str:
    """"0～3岁", "0—3", "0至3岁" → "0-3岁"."""
    text = _DASHES.sub("-", canon(raw)).removesuffix("岁").removesuffix("周岁")
    return text + "岁"


def parse_part(dimension: str, raw: object, age_groups: tuple[str, ...] = ()):
    """The canonical part a cell names, None when blank, INVALID when it is not one of the dimension's."""
    if is_missing(raw):
        return None
    word = canon(raw)
    word = age_group(word) if dimension == AGE else _ALIASES.get(word, word)
    return word if word in parts_of(dimension, age_groups) else INVALID


def parse_dimensions(raw: object) -> tuple[tuple[str, ...], list[str]]:
    """The catalog's 分组 cell ("性别、城乡") → (dimensions in order, words that are not a dimension)."""
    if is_missing(raw):
        return (), []
    words = [w for w in _LIST.split(canon(raw)) if w]
    return tuple(d for d in DIMENSIONS if d in words), [w for w in words if w not in DIMENSIONS]


def parse_age_groups(raw: object) -> tuple[str, ...]:
    """The catalog's 年龄组 cell ("0-3岁、3-6岁") → its groups, canonical."""
    if is_missing(raw):
        return ()
    return tuple(dict.fromkeys(age_group(w) for w in re.split(r"[、,，;；/\s]+", canon(raw)) if w))


def urban_part(master_list_word: str) -> str:
    """The master list says 城镇/农村; a breakdown says 城镇/乡村."""
    return _ALIASES.get(master_list_word, master_list_word)
