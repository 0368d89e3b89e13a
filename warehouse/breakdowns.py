"""Breakdowns (分组): a figure reported by 性别, 年龄组 or 城乡 beside its total.

The words are fixed here, once: the dimensions, their parts, and how what people type maps onto them
("女性" → 女, "农村" → 乡村, "0～3岁" → 0-3岁). Age groups are the catalog's per indicator (年龄组 column),
else the four of the plans.
"""
from __future__ import annotations

import re

from ingest.normalise import INVALID, canon, is_missing

SEX, AGE, URBAN = "性别", "年龄组", "城乡"
DIMENSIONS = (SEX, AGE, URBAN)
FIELDS = {SEX: "sex", AGE: "age_group", URBAN: "urban_rural"}   # the long format's column fields
SEX_PARTS = ("男", "女")
URBAN_PARTS = ("城镇", "乡村")
DEFAULT_AGE_GROUPS = ("0-3岁", "3-6岁", "6-12岁", "12-18岁")
_ALIASES = {"男性": "男", "女性": "女", "男童": "男", "女童": "女", "城市": "城镇", "城区": "城镇", "农村": "乡村"}
_DASHES = re.compile(r"[-–—―~～至到]+")
_LIST = re.compile(r"[、,，;；/\s]+")


def parts_of(dimension: str, age_groups: tuple[str, ...] = ()) -> tuple[str, ...]:
    """The parts a dimension is split into, in the order they are shown."""
    if dimension == SEX:
        return SEX_PARTS
    if dimension == URBAN:
        return URBAN_PARTS
    return age_groups or DEFAULT_AGE_GROUPS


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
