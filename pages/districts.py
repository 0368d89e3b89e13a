"""区县对比: district × indicator heatmap, ranking, a district profile and a map."""
import json

import plotly.graph_objects as go
import streamlit as st

from ingest import config
from metrics.inventory import district_tiles
from metrics.progress import met_share, rank_districts
from ui import data, filters, format as fmt
from ui.charts import style
from ui import strings as S
from ui.layout import fails_alone, page_header, require_figures

page_header(S.PAGE_DISTRICTS)
f = filters.current()
full = data.progress_table(f.as_of)
require_figures(full)
table = f.apply(full)
local = table[~table["is_city"]]
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
                          textfont=dict(size=15, color="white"), xgap=2, ygap=2,
                          colorbar=dict(tickvals=[i + 0.5 for i in range(n)], ticktext=[fmt.status(w) for w in fmt.STATUS_ORDER]))
    else:
        heat = go.Heatmap(z=grid.values.astype(float) * 100, x=codes, y=names, colorscale="Cividis", zmin=50, zmax=110,
                          customdata=hover.values, hovertemplate="%{customdata}<extra></extra>", text=labels.values,
                          texttemplate="%{text}", textfont=dict(size=12), xgap=2, ygap=2, colorbar=dict(title="完成度 %"))
    fig = style(go.Figure(heat), 560)
    fig.update_layout(yaxis=dict(autorange="reversed"))
    fig.update_xaxes(tickangle=-60, tickfont=dict(size=13), gridcolor=None, tickmode="array", tickvals=codes)
    st.plotly_chart(fig, width="stretch")

left, right = st.columns([1, 1])
with left:
    with fails_alone(S.RANKING):
        st.subheader(S.RANKING)
        ranks = rank_districts(local)
        ranked = ranks.groupby("district").agg(mean_rank=("rank", "mean"), met=("status", lambda s: (s == "已达标").sum()),
                                               indicators=("indicator", "nunique")).reset_index()
        ranked = ranked.sort_values(["met", "mean_rank"], ascending=[False, True]).reset_index(drop=True)
        ranked.insert(0, "place", range(1, len(ranked) + 1))
        ranked["mean_rank"] = ranked["mean_rank"].round(1)
        st.dataframe(ranked.rename(columns={"place": "名次", "district": S.COLUMNS["district"], "mean_rank": "各指标平均排名",
                                            "met": fmt.status("已达标"), "indicators": "有数据的指标"}),
                     hide_index=True, width="stretch", height=420)
with right:
    with fails_alone(S.TILE_MAP):
        st.subheader(S.TILE_MAP)
        scores = met_share(local)
        geojson = config.DATA_DIR / "districts.geojson"
        if geojson.exists():
            shapes = json.loads(geojson.read_text(encoding="utf-8"))
            chart = go.Figure(go.Choropleth(geojson=shapes, locations=scores.index, z=scores.values * 100,
                                            featureidkey="properties.code", colorscale="Cividis"))
            chart.update_geos(fitbounds="locations", visible=False)
        else:
            tiles = district_tiles(config.DATA_DIR / "district_tiles.csv")
            district_names = data.districts().set_index("code")["name"]
            tiles = tiles.assign(name=tiles["code"].map(district_names), share=tiles["code"].map(scores))
            chart = go.Figure(go.Scatter(
                x=tiles["col"], y=-tiles["row"], mode="markers+text", marker=dict(symbol="square", size=86,
                color=tiles["share"] * 100, colorscale="Cividis", cmin=0, cmax=100, colorbar=dict(title="已达标 %")),
                text=[f"{n}<br>{fmt.share(s)}" for n, s in zip(tiles["name"], tiles["share"])],
                textfont=dict(size=13, color="white"), hoverinfo="text"))
            chart.update_xaxes(visible=False, range=[-0.6, 3.6])
            chart.update_yaxes(visible=False, range=[-4.6, 0.6])
        chart.update_layout(height=480, margin=dict(l=10, r=10, t=10, b=10))
        st.plotly_chart(chart, width="stretch")

with fails_alone(S.PROFILE):
    st.subheader(S.PROFILE)
    district_names = dict(zip(local["district_code"], local["district"]))
    if district_names:
        who = st.selectbox(S.PICK_DISTRICT, list(district_names), format_func=district_names.get, key="profile_district")
        mine = local[local["district_code"] == who]
        st.dataframe(shown[shown["district_code"] == who].assign(
            yoy=[fmt.change(v, u) for v, u in zip(mine["yoy"], mine["unit"])],
        )[["area", "indicator", "indicator_name", "value", "target", "attainment", "gap_text", "status", "yoy"]].rename(
            columns=S.COLUMNS), hide_index=True, width="stretch")
