"""The shared sidebar filters: year, districts, area, department and the "as of" moment.

Drawn once by app.py; pages read the choice through `current()`. Values live in
st.session_state under fixed keys, so they survive page switches.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import streamlit as st

from metrics.progress import default_year
from ui import data
from ui import strings as S

KEYS = {"year": "f_year", "districts": "f_districts", "areas": "f_areas", "department": "f_department",
        "as_of": "f_as_of", "present": "present_mode"}


@dataclass(frozen=True)
class Filters:
    year: int | None
    districts: tuple[str, ...]        # district codes; empty = all
    areas: tuple[str, ...]            # empty = all
    department: str | None            # department name; None = all
    as_of: dt.datetime | None         # None = everything received so far

    def apply(self, table):
        """Rows of a progress table that pass the filters (the city row always stays)."""
        t = table
        if self.year is not None:
            t = t[t["year"] == self.year]
        if self.areas:
            t = t[t["area"].isin(self.areas)]
        if self.department:
            t = t[t["lead_department"] == self.department]
        if self.districts:
            t = t[t["district_code"].isin(self.districts) | t["is_city"]]
        return t


def _as_of() -> dt.datetime | None:
    chosen = st.session_state.get(KEYS["as_of"])
    if not chosen or chosen >= dt.date.today():
        return None
    return dt.datetime.combine(chosen, dt.time.max)


def draw_sidebar() -> None:
    table = data.progress_table(_as_of())
    years = sorted(table["year"].unique().tolist(), reverse=True) if not table.empty else []
    districts = data.districts()
    meta = data.indicator_meta()
    with st.sidebar:
        st.header(S.FILTERS)
        if years:
            default = default_year(table)
            st.selectbox(S.FILTER_YEAR, years, index=years.index(default) if default in years else 0,
                         key=KEYS["year"], format_func=lambda y: f"{y}年")
        st.multiselect(S.FILTER_DISTRICTS, districts["code"].tolist(), key=KEYS["districts"],
                       format_func=dict(zip(districts["code"], districts["name"])).get, placeholder=S.ALL)
        st.multiselect(S.FILTER_AREAS, list(dict.fromkeys(meta["area"])), key=KEYS["areas"], placeholder=S.ALL)
        st.selectbox(S.FILTER_DEPARTMENT, [S.ALL, *dict.fromkeys(meta["lead_name"])], key=KEYS["department"])
        st.date_input(S.FILTER_AS_OF, value=dt.date.today(), max_value=dt.date.today(), key=KEYS["as_of"],
                      help=S.FILTER_AS_OF_HELP)
        st.toggle(S.PRESENT_MODE, key=KEYS["present"], help=S.PRESENT_MODE_HELP)


def current() -> Filters:
    s = st.session_state
    department = s.get(KEYS["department"])
    return Filters(
        year=s.get(KEYS["year"]),
        districts=tuple(s.get(KEYS["districts"]) or ()),
        areas=tuple(s.get(KEYS["areas"]) or ()),
        department=None if department in (None, S.ALL) else department,
        as_of=_as_of(),
    )


def present_mode() -> bool:
    return bool(st.session_state.get(KEYS["present"]))
