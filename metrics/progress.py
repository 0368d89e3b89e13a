"""Targets, progress to target and status. The rules are DuckDB macros (rules.sql) applied to every
indicator × area × year at once (progress.sql); this module runs them and summarises the result.

Status words, exactly: 已达标 / 正常 / 滞后 / 严重滞后 / 无数据.
Open SDG progress bands: 已实现 / 显著进展 / 中等进展 / 进展有限 / 倒退.
"""
from __future__ import annotations

import datetime as dt
from contextlib import contextmanager

import duckdb
import pandas as pd

from warehouse.config import settings

from .sql import FOREVER, query, text, use_rules

MET, ON_TRACK, BEHIND, FAR_BEHIND, NO_DATA = "已达标", "正常", "滞后", "严重滞后", "无数据"
STATUSES = (MET, ON_TRACK, BEHIND, FAR_BEHIND, NO_DATA)
ACHIEVED, SUBSTANTIAL, MODERATE, LIMITED, DETERIORATION = "已实现", "显著进展", "中等进展", "进展有限", "倒退"
PROGRESS_COLUMNS = ["indicator", "indicator_name", "area", "district_code", "district", "year", "numerator",
                    "denominator", "value", "unit", "target", "target_year", "target_level", "attainment", "gap",
                    "gap_text", "expected", "status", "yoy", "growth_ratio", "growth_band", "disagreement",
                    "lead_department", "direction", "period", "districts_reported", "complete"]


NOT_SPLIT = "未分解"   # a district's row of a count whose target is the city's total only
# Extra columns: how the target reads (nature, source, placeholder, held after its year, split to the
# district), the band of a 左右 target, a district's share of the districts' total, small numbers
# and the Wilson interval, and why a figure is not whole.
DETAIL_COLUMNS = ["met", "sign", "kind", "gap_phrase", "target_nature", "target_source", "target_provisional", "target_split",
                  "threshold", "band", "target_passed", "share_of_total", "small_sample", "within_interval", "ci_low",
                  "ci_high", "additions_only", "coverage", "is_city", "year_share", "is_leaf", "parent_code"]


def targets(con: duckdb.DuckDBPyConnection, as_of: dt.datetime | None = None) -> pd.DataFrame:
    """Every target of the catalog in force at `as_of`: indicator, year, value, level, district, nature, source."""
    return con.execute("""
        SELECT indicator_code AS indicator, year, value, level, district_code, nature, source, provisional
        FROM target_at(as_of := $as_of) ORDER BY indicator_code, year, level, district_code NULLS FIRST
    """, {"as_of": as_of or FOREVER}).df()


def progress_table(con: duckdb.DuckDBPyConnection, year: int | None = None, as_of: dt.datetime | None = None,
                   level: str = "all", tolerance: float | None = None, area: str | None = None,
                   keep: bool = False, columns: list[str] | None = None,
                   indicators: list[str] | None = None) -> pd.DataFrame:
    """One row per indicator × area (the city and each district) × year, with target, attainment, gap,
    expected value, status, year-over-year change and growth band — computed set-based in DuckDB by
    progress.sql with the rules of rules.sql, from the submissions and the catalog as of `as_of`.

    Every district of the catalog gets a row for every year shown, with 无数据 when it has no data.
    `level`: "city" (the root of the area tree), "district" (every other area) or "all"; `area`: only that
    area and the areas right under it. The formulas are stated on each macro and step of the SQL.

    The current table (no `as_of`) is read from progress_cache when it holds this data version; `keep`
    computes the whole table into it when it does not (what `python -m metrics report` does: a national
    table takes a while once, and every report after it is a scan). Pages compute just their place.
    `columns`: only these (of PROGRESS_COLUMNS + DETAIL_COLUMNS), in that order; a kept table's scan then
    reads and converts only them (a frame's cost is per column: 49 of them are most of a report's time).
    `indicators`: only these codes' rows (an upload's preview asks for the indicators its file reports).
    """
    columns = _known(columns)
    rules = _rules(as_of, tolerance)
    if as_of is None:
        kept = _kept_progress(con, rules, year, level, area, keep, columns, indicators)
        if kept is not None:
            frame = kept.df()
            if not (frame.empty and year is not None):   # a year with no figure yet: progress.sql gives
                return frame                              # its rows (all 无数据)
    params = {"as_of": as_of or FOREVER, "year": year, "level": level, "area": area, "indicators": indicators,
              **rules}
    return query(con, "progress.sql", params)[columns]


def progress_records(con: duckdb.DuckDBPyConnection, year: int | None = None, as_of: dt.datetime | None = None,
                     level: str = "all", keep: bool = False, columns: list[str] | None = None) -> list[dict]:
    """progress_table's rows as dicts of `columns`, for a caller that goes over every row anyway (the
    report): a kept table's rows come straight from its scan, not through a frame built column by column
    and taken apart again (that was two thirds of a national city report's time)."""
    columns = _known(columns)
    if as_of is None:
        kept = _kept_progress(con, _rules(None, None), year, level, None, keep, columns)
        if kept is not None:
            rows = kept.fetchall()
            if rows or year is None:
                return [dict(zip(columns, row)) for row in rows]
    return progress_table(con, year, as_of, level, columns=columns).to_dict("records")


def _rules(as_of: dt.datetime | None, tolerance: float | None) -> dict:
    """The settings and the day the status rules of rules.sql read."""
    s = settings()
    return {"on": as_of.date() if as_of else dt.date.today(),
            "tolerance": s.status_tolerance if tolerance is None else tolerance,
            "band_points": s.about_band_points, "band_share": s.about_band_share,
            "small_events": s.small_sample_events, "z": s.confidence_z, "worse_margin": s.worse_margin}


def _known(columns: list[str] | None) -> list[str]:
    """The columns asked, each one of the table's (they are spliced into the kept table's scan)."""
    if columns is None:
        return PROGRESS_COLUMNS + DETAIL_COLUMNS
    unknown = [c for c in columns if c not in PROGRESS_COLUMNS + DETAIL_COLUMNS]
    if unknown:
        raise ValueError(f"not a column of the progress table: {unknown}")
    return list(columns)


_STAGING: set[int] = set()   # connections inside a transaction that will be rolled back


@contextmanager
def staging(con: duckdb.DuckDBPyConnection):
    """Within it, `con` holds changes that will be rolled back: progress is computed from them, never kept."""
    _STAGING.add(id(con))
    try:
        yield con
    finally:
        _STAGING.discard(id(con))


def _kept_progress(con: duckdb.DuckDBPyConnection, rules: dict, year: int | None, level: str,
                   area: str | None, keep: bool, columns: list[str],
                   indicators: list[str] | None = None) -> duckdb.DuckDBPyConnection | None:
    """The current table's scan of progress_cache with the filters applied, run and ready to fetch; None
    when the cache cannot serve it (another data version, catalog, day or setting).

    The cache is the whole table (every year, level and area) as progress.sql computes it, kept in the
    warehouse for one data version × rules × day: filled when `keep` asks (a read-only connection cannot),
    then a scan for every report and page until the next load. The city's rows are also kept on their
    own (progress_cache_city): a few hundred rows read faster alone than picked out of a national table."""
    meta = dict(con.execute("SELECT key, value FROM meta WHERE key IN ('data_version', 'progress_cache')").fetchall())
    key = f"{_KEPT_LAYOUT}|{meta.get('data_version', '0')}|{sorted(rules.items())}"
    if meta.get("progress_cache") != key:
        if not keep or not _keep_progress(con, rules, key):
            return None
    # only the filters asked, so each is a plain comparison the scan can skip row groups by
    asked = {"year": year, "city": {"city": True, "district": False}.get(level), "area": area,
             "indicators": indicators}
    where = [_KEPT_FILTERS[name] for name, value in asked.items() if value is not None]
    # the city's table is stored in row order, which a scan keeps (DuckDB preserves insertion order):
    # no sort, a millisecond of a city report's five
    source = " FROM progress_cache_city" if level == "city" else " FROM progress_cache"
    return con.execute("SELECT " + ", ".join(columns) + source   # known names and _KEPT_FILTERS only
                       + (" WHERE " + " AND ".join(where) if where else "")
                       + ("" if level == "city" else " ORDER BY row_order"),
                       {name: value for name, value in asked.items() if value is not None})


_KEPT_LAYOUT = 2   # the kept tables' shape: a warehouse kept by an earlier version computes them again
_KEPT_FILTERS = {"year": "year = $year", "city": "is_city = $city",
                 "area": "(district_code = $area OR parent_code = $area)",
                 "indicators": "list_contains($indicators, indicator)"}


def _keep_progress(con: duckdb.DuckDBPyConnection, rules: dict, key: str) -> bool:
    """Compute the whole current table into progress_cache and note its key; False when the connection
    cannot write (read-only) or another session is writing it at the same moment."""
    params = {"as_of": FOREVER, "year": None, "level": "all", "area": None, "indicators": None, **rules}
    columns = ", ".join(PROGRESS_COLUMNS + DETAIL_COLUMNS)   # names of our own lists, not values
    if id(con) in _STAGING:
        return False   # inside a preview's transaction: computed, never kept (a failed BEGIN would abort it)
    use_rules(con)
    try:
        con.execute("BEGIN TRANSACTION")
        # stored by year and level, so that a year's or the city's rows are a few row groups of a national table
        con.execute("CREATE OR REPLACE TABLE progress_cache AS SELECT * FROM (SELECT " + columns + ", row_number() "
                    "OVER () AS row_order FROM (" + text("progress.sql") + ")) ORDER BY year, NOT is_city, row_order",
                    params)
        con.execute("CREATE OR REPLACE TABLE progress_cache_city AS "
                    "SELECT * FROM progress_cache WHERE is_city ORDER BY row_order")
        con.execute("INSERT OR REPLACE INTO meta VALUES ('progress_cache', ?)", [key])
        con.execute("COMMIT")
        return True
    except duckdb.Error:
        try:
            con.execute("ROLLBACK")
        except duckdb.Error:
            pass
        return False


def held_targets(table: pd.DataFrame, year: int | None) -> pd.DataFrame:
    """The city's indicators whose last target's year is over by `year` and is held for it:
    indicator and target_year."""
    if year is None or table.empty:
        return pd.DataFrame(columns=["indicator", "target_year"])
    rows = table[(table["year"] == year) & table["is_city"] & table["target_passed"].fillna(False).astype(bool)]
    return rows[["indicator", "target_year"]].astype({"target_year": int}).reset_index(drop=True)


def met_share(table: pd.DataFrame) -> pd.Series:
    """Per district: indicators 已达标 ÷ indicators judged (已达标, 正常, 滞后 or 严重滞后); rows with no data
    or no target of their own (未分解) count in neither."""
    judged = table[table["status"].isin([MET, ON_TRACK, BEHIND, FAR_BEHIND])]
    return judged.groupby("district_code")["status"].apply(lambda s: (s == MET).mean()).rename("met_share")


def status_summary(table: pd.DataFrame, by: str) -> pd.DataFrame:
    """Counts of indicators per status word, grouped by `by` ("area" or "district")."""
    if table.empty:
        return pd.DataFrame(columns=[by, *STATUSES])
    counts = table.groupby([by, "status"]).size().unstack(fill_value=0)
    for s in STATUSES:
        if s not in counts:
            counts[s] = 0
    return counts[list(STATUSES)].reset_index()


def rank_districts(table: pd.DataFrame) -> pd.DataFrame:
    """Rank of districts per indicator and year (1 = best, direction-aware); ties share the best rank."""
    rows = table[table["value"].notna()].copy()
    if rows.empty:
        return rows.assign(rank=pd.Series(dtype="int64"))
    rows["sort_value"] = rows["value"].where(rows["direction"] == "higher", -rows["value"])
    rows["rank"] = rows.groupby(["indicator", "year"])["sort_value"].rank(method="min", ascending=False).astype(int)
    return rows.drop(columns="sort_value")


def year_choices(con: duckdb.DuckDBPyConnection, as_of: dt.datetime | None = None) -> tuple[list[int], int | None]:
    """The years with figures, newest first, and the default one (default_year's rule: the latest year in
    which at least half the catalog's indicators have a city figure), from the figures held, without
    computing the progress table: what the sidebar needs on every page, cheap on a national warehouse.
    A city figure exists where some area reported a value (a rate with a denominator, a register entry)."""
    rows = con.execute("""
        WITH held AS (
            SELECT indicator_code, year, value IS NOT NULL OR (numerator IS NOT NULL AND denominator <> 0) AS valued
            FROM current_observation(as_of := $as_of)
            UNION ALL
            SELECT indicator_code, year, true FROM current_register_entry(as_of := $as_of)
        )
        SELECT h.year, count(DISTINCT h.indicator_code) FILTER (WHERE h.valued) AS valued,
               (SELECT count(*) FROM indicator_at(as_of := $as_of)) AS indicators
        FROM held h JOIN indicator_at(as_of := $as_of) i ON i.code = h.indicator_code
        GROUP BY h.year ORDER BY h.year DESC""", {"as_of": as_of or FOREVER}).fetchall()
    years = [year for year, _, _ in rows]
    enough = [year for year, valued, indicators in rows if valued >= indicators / 2]
    return years, (enough[0] if enough else years[0] if years else None)


def default_year(table: pd.DataFrame) -> int | None:
    """The latest year in which at least half the indicators have a city figure: the year a meeting
    would look at first (the current year has only monthly and quarterly figures for most of it)."""
    if table.empty:
        return None
    city = table[table["is_city"]]
    covered = city[city["value"].notna()].groupby("year")["indicator"].nunique()
    enough = covered[covered >= table["indicator"].nunique() / 2]
    return int(enough.index.max()) if not enough.empty else int(table["year"].max())
