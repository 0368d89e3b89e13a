"""The shared sidebar filters: year, districts, area, department, the "as of" moment and present mode.

Drawn by every page through ui.layout.page_header; pages read the choice through `current()`.
Streamlit forgets a widget's value when a page that does not draw it runs, and widgets of different
pages are different widgets, so each choice is also kept under a key of its own (`_keep_…`) and handed
back to the widget on the next page. The choice is mirrored in the URL's query parameters, so a reload
or a shared link opens the same view; values from the URL are checked against what exists.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import streamlit as st

from ui import data
from ui import strings as S

KEYS = {"year": "f_year", "place": "f_place", "districts": "f_districts", "areas": "f_areas",
        "department": "f_department", "as_of": "f_as_of", "present": "present_mode"}
# query parameter per filter (short, readable in a shared link)
PARAMS = {"year": "year", "place": "place", "districts": "district", "areas": "area", "department": "dept",
          "as_of": "asof", "present": "present"}
_URL_READ = "_filters_from_url"
_ROOT = "_place_root"   # the area tree's root, noted when the sidebar is drawn


@dataclass(frozen=True)
class Filters:
    year: int | None
    districts: tuple[str, ...]        # district codes (areas right under `place`); empty = all
    areas: tuple[str, ...]            # empty = all
    department: str | None            # department name; None = all
    as_of: dt.datetime | None         # None = everything received so far
    place: str | None = None          # the area shown with its children (a province's city); None = the root

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


def _keep(name: str) -> str:
    return f"_keep_{KEYS[name]}"


def _remember(name: str) -> None:
    st.session_state[_keep(name)] = st.session_state.get(KEYS[name])


def _restore(name: str, allowed, default) -> None:
    """Give the widget its kept value (or the default) before it is drawn, dropping values that no
    longer exist (a year without data, a district removed from the catalog)."""
    s = st.session_state
    value = s.get(KEYS[name], s.get(_keep(name), default))
    if isinstance(value, list):
        value = [v for v in value if v in allowed]
    elif allowed is not None and value not in allowed:
        value = default
    s[KEYS[name]] = value


def _from_url(years: list[int], districts: list[str], areas: list[str], departments: list[str],
              places: list[str]) -> None:
    """Once per browser session: the filters named in the URL, each checked against what exists."""
    s = st.session_state
    if s.get(_URL_READ):
        return
    s[_URL_READ] = True
    q = st.query_params
    if (y := q.get(PARAMS["year"], "")).isdigit() and int(y) in years:
        s[_keep("year")] = int(y)
    if q.get(PARAMS["place"]) in places:
        s[_keep("place")] = q.get(PARAMS["place"])
    if PARAMS["districts"] in q:
        s[_keep("districts")] = [c for c in q.get_all(PARAMS["districts"]) if c in districts]
    if PARAMS["areas"] in q:
        s[_keep("areas")] = [a for a in q.get_all(PARAMS["areas"]) if a in areas]
    if q.get(PARAMS["department"]) in departments:
        s[_keep("department")] = q.get(PARAMS["department"])
    try:
        day = dt.date.fromisoformat(q.get(PARAMS["as_of"], "")[:10])
        if day < dt.date.today():
            s[_keep("as_of")] = day
    except ValueError:
        pass
    if q.get(PARAMS["present"]) == "1":
        s[_keep("present")] = True


def _to_url() -> None:
    """The current choice in the URL; defaults are left out, so a plain link stays plain."""
    f, s = current(), st.session_state
    wanted = {PARAMS["year"]: str(f.year) if f.year is not None else None, PARAMS["place"]: f.place,
              PARAMS["districts"]: list(f.districts) or None, PARAMS["areas"]: list(f.areas) or None,
              PARAMS["department"]: f.department,
              PARAMS["as_of"]: f.as_of.date().isoformat() if f.as_of else None,
              PARAMS["present"]: "1" if s.get(KEYS["present"]) else None}
    for key, value in wanted.items():
        current_value = st.query_params.get_all(key)
        if value is None:
            if current_value:
                del st.query_params[key]
        elif current_value != (value if isinstance(value, list) else [value]):
            st.query_params[key] = value


def draw_sidebar() -> None:
    # the years and the default one, without the progress table: a page that shows no figure stays quick
    years, default = data.year_choices(_as_of_from(st.session_state.get(KEYS["as_of"],
                                                                         st.session_state.get(_keep("as_of")))))
    places = data.places()
    meta = data.indicator_meta()
    areas = list(dict.fromkeys(meta["area"]))
    departments = list(dict.fromkeys(meta["lead_name"]))
    place_codes = places["code"].tolist()
    # a place's districts are the areas right under it; a city with districts only has one place
    _from_url(years, data.area_names().index.tolist(), areas, departments, place_codes[1:])
    root = place_codes[0] if place_codes else None
    st.session_state[_ROOT] = root
    _restore("place", place_codes, root)   # the root itself is a choice: a selectbox never shows a blank
    districts = data.districts(st.session_state.get(KEYS["place"]))
    today = dt.date.today()
    _restore("districts", districts["code"].tolist(), [])
    _restore("areas", areas, [])
    _restore("department", [S.ALL, *departments], S.ALL)
    _restore("as_of", None, today)
    _restore("present", None, False)
    with st.sidebar:
        st.header(S.FILTERS)
        if years:
            _restore("year", years, default if default in years else years[0])
            st.selectbox(S.FILTER_YEAR, years, key=KEYS["year"], format_func=lambda y: f"{y}年",
                         on_change=_remember, args=("year",))
        if len(places) > 1:
            names = dict(zip(places["code"], ["　" * int(d) + n for d, n in zip(places["depth"], places["name"])]))
            st.selectbox(S.FILTER_PLACE, place_codes, key=KEYS["place"], on_change=_place_changed,
                         format_func=names.get)
        st.multiselect(S.FILTER_DISTRICTS, districts["code"].tolist(), key=KEYS["districts"],
                       format_func=dict(zip(districts["code"], districts["name"])).get, placeholder=S.ALL,
                       on_change=_remember, args=("districts",))
        st.multiselect(S.FILTER_AREAS, areas, key=KEYS["areas"], placeholder=S.ALL, on_change=_remember,
                       args=("areas",))
        st.selectbox(S.FILTER_DEPARTMENT, [S.ALL, *departments], key=KEYS["department"], on_change=_remember,
                     args=("department",))
        st.date_input(S.FILTER_AS_OF, max_value=today, key=KEYS["as_of"], help=S.FILTER_AS_OF_HELP,
                      on_change=_remember, args=("as_of",))
        st.toggle(S.PRESENT_MODE, key=KEYS["present"], help=S.PRESENT_MODE_HELP, on_change=_remember,
                  args=("present",))
    for name in KEYS:  # kept for the next page, whichever way the value was set (widget, URL, a button)
        if KEYS[name] in st.session_state:
            _remember(name)
    _to_url()


def _place_changed() -> None:
    """Another place: its own districts, so the districts chosen under the last one are let go."""
    _remember("place")
    st.session_state[KEYS["districts"]] = []
    _remember("districts")


def _as_of_from(chosen) -> dt.datetime | None:
    if not chosen or not isinstance(chosen, dt.date) or chosen >= dt.date.today():
        return None
    return dt.datetime.combine(chosen, dt.time.max)


def current() -> Filters:
    s = st.session_state
    department = s.get(KEYS["department"], s.get(_keep("department")))
    pick = lambda name: s.get(KEYS[name], s.get(_keep(name)))  # noqa: E731
    return Filters(
        year=pick("year"),
        districts=tuple(pick("districts") or ()),
        areas=tuple(pick("areas") or ()),
        department=None if department in (None, S.ALL) else department,
        as_of=_as_of_from(pick("as_of")),
        place=_below_root(pick("place")),
    )


def _below_root(place):
    """A place chosen below the root; the root itself (or nothing) reads as None: the whole tree's top."""
    return None if place is None or place == st.session_state.get(_ROOT) else place


def present_mode() -> bool:
    s = st.session_state
    return bool(s.get(KEYS["present"], s.get(_keep("present"))))


def set_present(on: bool) -> None:
    """Enter or leave present mode from a button (a callback: before the toggle is drawn again)."""
    st.session_state[KEYS["present"]] = on
    st.session_state[_keep("present")] = on
