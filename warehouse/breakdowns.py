"""Breakdowns (分组): a figure reported by 性别, 年龄组 or 城乡 beside its total.

The words are fixed here, once: the dimensions and their parts. Age groups are the catalog's per
indicator (年龄组 column), else the four of the plans. How what people type maps onto them ("女性" → 女,
"农村" → 乡村, "0～3岁" → 0-3岁) is ingest's (ingest.normalise: parse_part, parse_dimensions, parse_age_groups).
"""
from __future__ import annotations

SEX, AGE, URBAN = "性别", "年龄组", "城乡"
DIMENSIONS = (SEX, AGE, URBAN)
FIELDS = {SEX: "sex", AGE: "age_group", URBAN: "urban_rural"}   # the long format's column fields
SEX_PARTS = ("男", "女")
URBAN_PARTS = ("城镇", "乡村")
DEFAULT_AGE_GROUPS = ("0-3岁", "3-6岁", "6-12岁", "12-18岁")


def parts_of(dimension: str, age_groups: tuple[str, ...] = ()) -> tuple[str, ...]:
    """The parts a dimension is split into, in the order they are shown."""
    if dimension == SEX:
        return SEX_PARTS
    if dimension == URBAN:
        return URBAN_PARTS
    return age_groups or DEFAULT_AGE_GROUPS
