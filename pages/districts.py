"""区县对比: district × indicator heatmap, ranking, a district profile and a map."""
import html
import json
from dataclasses import replace

import numpy as np

import plotly.graph_objects as go
import streamlit as st

from warehouse import config
from metrics.inventory import district_tiles
from metrics.ranking import district_ranking
from ui import data, filters, format as fmt
from ui.charts import part_bars, style, target_line, text_size, value_range
from ui import strings as S
from ui.layout import fails_alone, page_header, require_figures

page_header(S.PAGE_DISTRICTS)
f = filters.current()
full = data.progress_table(f.as_of, f.place)
require_figures(data.has_figures(f.as_of))
table = f.apply(full)
local = table[~table["is_city"]]
present = filters.present_mode()
shown = fmt.progress_rows(local)   # values, targets and statuses as officials read them, for every figure below

with fails_alone(S.HEATMAP):
    st.subheader(S.HEATMAP)
    by = st.radio(S.HEATMAP_BY, [S.BY_STATUS, S.BY_ATTAINMENT], horizontal=True, key="heatmap_by")
    codes = list(dict.fromkeys(local["indicator"]))
    names = list(dict.fromkeys(local["district"]))
    grid = local.pivot_table(index="district", columns="indicator", values="attainment" if by == S.BY_ATTAINMENT else "status",
                             aggfunc="first").reindex(index=names, columns=codes)
    labels = local.assign(t=[fmt.attainment_label(r) for r in local.to_dict("records")]).pivot_table(
        index="district", columns="indicator", values="t", aggfunc="first").reindex(index=names, columns=codes).fillna("")
    hover = local.assign(t=local["indicator_name"] + "<br>" + local["district"] + "：" + shown["value"] + " " + shown["status"]
                         ).pivot_table(index="district", columns="indicator", values="t", aggfunc="first").reindex(index=names, columns=codes)
    if by == S.BY_STATUS:
        level = {w: i for i, w in enumerate(fmt.STATUS_ORDER)}
        n = len(fmt.STATUS_ORDER)
        z = grid.apply(lambda col: col.map(level)) + 0.5  # band i spans [i, i + 1) of a stepped colour scale
        scale = [[p, fmt.colour(w)] for i, w in enumerate(fmt.STATUS_ORDER) for p in (i / n, (i + 1) / n)]
        symbols = grid.apply(lambda col: col.map(fmt.STATUS_SYMBOL)).fillna("")
        heat = go.Heatmap(z=z.values, x=codes, y=names, zmin=0, zmax=n, colorscale=scale, customdata=hover.values,
                          hovertemplate="%{customdata}<extra></extra>", text=symbols.values, texttemplate="%{text}",
                          textfont=dict(size=16 if present else 15, color="white"), xgap=2, ygap=2,
                          colorbar=dict(tickvals=[i + 0.5 for i in range(n)], ticktext=[fmt.status(w) for w in fmt.STATUS_ORDER]))
    else:
        heat = go.Heatmap(z=grid.values.astype(float) * 100, x=codes, y=names, colorscale="Cividis", zmin=50, zmax=110,
                          customdata=hover.values, hovertemplate="%{customdata}<extra></extra>", text=labels.values,
                          texttemplate="%{text}", textfont=dict(size=12), xgap=2, ygap=2, colorbar=dict(title=S.ATTAINMENT_SCALE))
    # every area named: a province's 31 rows get room instead of every other label
    fig = style(go.Figure(heat), max(600 if present else 560, 26 * len(names) + 160), present)
    fig.update_layout(yaxis=dict(autorange="reversed", tickmode="array", tickvals=names))
    fig.update_xaxes(tickangle=-60, tickfont=dict(size=text_size("tick", present) - 1), gridcolor=None, tickmode="array",
                     tickvals=codes)
    st.plotly_chart(fig, width="stretch")

# The ranking and the map rank every district (areas and department filters apply); a district chosen
# in the sidebar keeps its place among all of them.
year_rows = replace(f, districts=()).apply(full)
ranking = district_ranking(year_rows)
ranking["share"] = ranking["met"] / ranking["rated"].where(ranking["rated"] > 0)
left, right = st.columns([6, 5])   # the ranking's six columns fit beside the map at 1366 px
with left:
    with fails_alone(S.RANKING):
        st.subheader(S.RANKING)
        ranked = ranking[ranking["district_code"].isin(f.districts)] if f.districts else ranking
        columns = ["place", "district", "met", "rated", "share", "mean_rank"]
        if present:  # fewer, wider columns on the projector
            columns = ["place", "district", "met", "share"]
        shown_ranking = ranked.assign(share=ranked["share"].map(fmt.share),
                                      mean_rank=ranked["mean_rank"].map(lambda v: fmt.number(v, 1)))
        names = {"place": S.RANK_PLACE, "district": S.COLUMNS["district"], "met": fmt.status(S.RANK_MET),
                 "rated": S.RANK_RATED, "share": S.RANK_SHARE, "mean_rank": S.RANK_MEAN}
        setup = {"place": st.column_config.NumberColumn(width=50, format="%d"),
                  "district": st.column_config.TextColumn(width=145),
                  "met": st.column_config.NumberColumn(width=75, format="%d"),
                  "rated": st.column_config.NumberColumn(width=70, format="%d"),
                  "share": st.column_config.TextColumn(width=75), "mean_rank": st.column_config.TextColumn(width=85)}
        st.dataframe(fmt.cells(shown_ranking[columns]).rename(columns=names), hide_index=True, width="stretch",
                     height=min(38 * (len(shown_ranking) + 1), 580),
                     column_config={names[c]: setup[c] for c in columns})
        st.caption(S.RANK_NOTE)
with right:
    with fails_alone(S.TILE_MAP):
        st.subheader(S.TILE_MAP)
        # the colour is what the caption says: 已达标 among the indicators with a district status
        scores = ranking.set_index("district_code")
        geojson = config.DATA_DIR / "districts.geojson"
        if geojson.exists():
            shapes = json.loads(geojson.read_text(encoding="utf-8"))
            chart = go.Figure(go.Choropleth(geojson=shapes, locations=scores.index, z=scores["share"] * 100,
                                            featureidkey="properties.code", colorscale="Cividis", zmin=0, zmax=100,
                                            colorbar=dict(title=S.TILE_SCALE)))
            chart.update_geos(fitbounds="locations", visible=False)
        else:
            tiles = district_tiles(config.DATA_DIR / "district_tiles.csv", list(scores.index))
            tiles = tiles.assign(name=tiles["code"].map(scores["district"]),
                                 short=fmt.short_names(tiles["code"], tiles["code"].map(scores["district"])),
                                 share=tiles["code"].map(scores["share"]), met=tiles["code"].map(scores["met"]),
                                 rated=tiles["code"].map(scores["rated"]))
            tiles = tiles[tiles["name"].notna()]
            rows_n, cols_n = int(tiles["row"].max()) + 1, int(tiles["col"].max()) + 1
            z = np.full((rows_n, cols_n), np.nan)
            text = np.full((rows_n, cols_n), "", dtype=object)
            hover = np.full((rows_n, cols_n), "", dtype=object)
            for t in tiles.itertuples():
                chosen_tile = t.code in f.districts
                z[t.row, t.col] = np.nan if fmt.missing(t.share) else t.share * 100
                label = f"<b>{html.escape(str(t.short))}</b>" if chosen_tile else html.escape(str(t.short))
                text[t.row, t.col] = f"{label}<br>{fmt.share(t.share)}"
                hover[t.row, t.col] = S.TILE_HOVER.format(name=html.escape(str(t.name)), met=int(t.met), rated=int(t.rated))
            # a grid of tiles that scales with the column: names never overlap at any width
            chart = go.Figure(go.Heatmap(z=z, text=text, customdata=hover, texttemplate="%{text}",
                                         hovertemplate="%{customdata}<extra></extra>", colorscale="Cividis",
                                         zmin=0, zmax=100, xgap=6, ygap=6, hoverongaps=False,
                                         colorbar=dict(title=dict(text=S.TILE_SCALE, side="right"), ticksuffix="%"),
                                         textfont=dict(size=16 if present else 14)))
            chart.update_xaxes(visible=False, showgrid=False)
            chart.update_yaxes(visible=False, showgrid=False, autorange="reversed")
        style(chart, 480, present)
        chart.update_layout(margin=dict(l=10, r=10, t=10, b=10), plot_bgcolor="white")
        st.plotly_chart(chart, width="stretch")
        st.caption(S.TILE_NOTE)

with fails_alone(S.PROFILE):
    st.subheader(S.PROFILE)
    district_names = dict(zip(local["district_code"], local["district"]))
    if district_names:
        who = st.selectbox(S.PICK_DISTRICT, list(district_names), format_func=district_names.get, key="profile_district")
        mine = local[local["district_code"] == who]
        columns = ["area", "indicator", "indicator_name", "value", "target", "attainment", "gap_text", "status", "yoy"]
        if present:  # fewer, wider columns on the projector
            columns = ["indicator_name", "value", "target", "status", "gap_text"]
        widths = {"area": 110, "indicator": 70, "indicator_name": 250, "value": 110, "target": 80, "attainment": 80,
                  "gap_text": 200, "status": 200, "yoy": 130}
        profile = shown[shown["district_code"] == who].assign(yoy=[fmt.change(v, u) for v, u in zip(mine["yoy"], mine["unit"])])
        st.dataframe(fmt.cells(profile[columns]).rename(columns=S.COLUMNS), hide_index=True, width="stretch",
                     column_config={S.COLUMNS[c]: st.column_config.TextColumn(width=widths[c]) for c in columns})

with fails_alone(S.PARTS_COMPARE):
    st.subheader(S.PARTS_COMPARE)
    meta = data.indicator_meta()
    split = meta[meta["breakdowns"].map(lambda b: b is not None and len(b) > 0)]
    if split.empty:
        st.caption(S.PARTS_COMPARE_NONE)
    else:
        labels = dict(zip(split["code"], split["code"] + " " + split["name"]))
        pick, part_pick = st.columns([3, 2])
        chosen_code = pick.selectbox(S.PARTS_PICK_INDICATOR, list(labels), format_func=labels.get, key="parts_indicator")
        pairs = data.part_choices(chosen_code)
        # a dimension's parts side by side, or one part alone (districts ranked on it)
        choices = [(d, None) for d in dict.fromkeys(d for d, _ in pairs)] + pairs
        part_key = part_pick.selectbox(S.PARTS_PICK_PART, choices, key="parts_part",
                                       format_func=lambda c: S.PARTS_ALL.format(dim=c[0]) if c[1] is None
                                       else f"{c[0]}：{c[1]}")
        unit = split.set_index("code").loc[chosen_code, "unit"]
        parts = data.breakdown_values(int(f.year), chosen_code, part_key[0], f.as_of, "district")
        if f.districts:
            parts = parts[parts["district_code"].isin(f.districts)]
        if part_key[1]:
            parts = parts[parts["part"] == part_key[1]].sort_values("value", ascending=False)
        if parts.empty:
            st.caption(S.PARTS_COMPARE_EMPTY.format(year=f.year))
        else:
            shown_parts = parts.assign(label=parts["district"], group=parts["dimension"] + "：" + parts["part"])
            chart = part_bars(shown_parts, unit, "label", present, colour_by="group")
            goal = full[(full["indicator"] == chosen_code) & full["is_city"] & (full["year"] == f.year)]
            goal = goal[goal["target"].notna() & (goal["kind"] != "count")]
            for g in goal.to_dict("records"):   # the city's target, for the parts to be read against
                target_line(chart, g["target"], S.TARGET_LINE.format(level=g["target_level"], value=fmt.row_target(g),
                                                                     year=int(g["target_year"])),
                            bool(g["target_provisional"]), g["target_level"], vertical=True)
            axis, note = value_range(parts["value"], unit, goal["target"].tolist(), axis=S.AXIS_X)
            if axis:
                chart.update_xaxes(range=axis)
            if unit in ("%", "‰"):
                chart.update_xaxes(ticksuffix=unit)
            st.plotly_chart(chart, width="stretch")
            st.caption(" ".join(x for x in (note, S.PARTS_NOTE) if x))
