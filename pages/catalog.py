"""指标体系: browse and download the catalog; upload a new version, checked like any submission."""
import pandas as pd
import streamlit as st

from warehouse import config
from ingest.catalog import install_catalog
from ingest.plans import PlanRefused
from warehouse.access import CATALOG, NotAllowed
from ui import data, filters, format as fmt, session
from ui import strings as S
from ui.layout import page_header

page_header(S.PAGE_CATALOG, S.CATALOG_CAPTION, needs_catalog=False)
table = data.indicator_catalog()
if table.empty:   # a warehouse with no catalog yet: what to do first, above the empty table
    st.info(S.CATALOG_NONE_YET, icon=":material/menu_book:")
st.caption(S.PROVISIONAL_NOTE)
if st.toggle(S.PROVISIONAL_FILTER, key="catalog_provisional"):
    table = table[table["provisional_targets"] > 0]
table["kind"] = table["kind"].map(S.KIND_WORDS)
table["direction"] = table["direction"].map(S.DIRECTION_WORDS)
table["frequency"] = table["frequency"].map(S.FREQUENCY_WORDS)
columns = list(table.columns)
widths = {"code": 70, "area": 110, "action": 200, "name": 280, "kind": 60, "unit": 70, "direction": 90, "lead": 100,
          "frequency": 70, "targets": 300, "provisional_targets": 100, "district_targets": 130, "note": 420}
if filters.present_mode():  # fewer, wider columns on the projector
    columns = ["code", "name", "unit", "lead", "targets"]
    widths |= {"code": 80, "name": 340, "unit": 80, "lead": 150, "targets": 480}
titles = S.COLUMNS | {"note": S.CATALOG_NOTE_COLUMN}
st.dataframe(fmt.cells(table[columns]).rename(columns=titles), hide_index=True, height=560, width="stretch",
             column_config={titles.get(c, c): st.column_config.Column(width=widths.get(c, 120)) for c in columns})
workbook_name, workbook = data.catalog_workbook()
st.download_button(S.CATALOG_DOWNLOAD, workbook, file_name=workbook_name,
                   mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")

st.subheader(S.TASK_LIST)
tasks = data.task_catalog()
if tasks.empty:
    st.caption(S.TASK_LIST_NONE)
else:
    tasks["due_on"] = tasks["due_on"].map(lambda d: S.TASK_DUE_PENDING if fmt.missing(d) else f"{d:%Y-%m-%d}")
    st.dataframe(fmt.cells(tasks).rename(columns=S.TASK_CATALOG_COLUMNS), hide_index=True, width="stretch",
                 column_config={S.TASK_CATALOG_COLUMNS["name"]: st.column_config.Column(width=300),
                                S.TASK_CATALOG_COLUMNS["note"]: st.column_config.Column(width=360)})

if not session.may(CATALOG):   # 填报员 and 查看者 browse and download; only a 管理员 changes the catalog
    if session.is_viewer():
        session.viewer_note()
    st.stop()
st.subheader(S.CATALOG_UPLOAD)
# no type filter: every file reaches the checks at the door, which answer in Chinese
upload = st.file_uploader(S.CATALOG_UPLOAD, key="catalog_upload", label_visibility="collapsed")
# a province's community list (hundreds of thousands of rows) may come as its own file
listed = st.file_uploader(S.CATALOG_MASTER_LIST, key="catalog_master_list", help=S.CATALOG_MASTER_LIST_HELP)
if upload is not None:
    raw = upload.getvalue()
    master_list = (listed.getvalue(), listed.name) if listed is not None else None
    catalog, problems = data.read_catalog_file(raw, upload.name, master_list)
    if catalog is None:
        st.error(S.CATALOG_BAD.format(n=len(problems)))
        st.dataframe(fmt.cells(pd.DataFrame([{S.COLUMNS["file_name"]: p.file, S.COLUMNS["sheet"]: p.sheet,
                                               S.COLUMNS["cell"]: p.cell, S.COLUMNS["message"]: p.message}
                                              for p in problems])),
                     hide_index=True, width="stretch")
    elif st.button(S.UPLOAD_CONFIRM, key="catalog_confirm", type="primary"):
        with session.refused_shown():
            install_catalog(data.cursor(), catalog, raw, upload.name, config.CATALOG_PATH,
                            config.archive_dir(config.default_db_path()), master_list, actor=session.current())
            st.cache_data.clear()
            st.success(S.CATALOG_OK.format(indicators=len(catalog.indicators)))

st.subheader(S.PLAN_TEMPLATE)
st.caption(S.PLAN_TEMPLATE_HELP)
templates = data.plan_templates()
if not templates:
    st.caption(S.PLAN_NONE)
else:
    chosen = st.selectbox(S.PLAN_PICK, range(len(templates)), format_func=lambda i: templates[i].title,
                          key="plan_template")
    plan = templates[chosen]
    with st.expander(S.PLAN_ABOUT, expanded=True):
        for line in plan.about:
            st.markdown(fmt.plain(line))
    refused = data.plan_refusal()
    if refused:
        st.error(fmt.plain(refused))
    else:
        st.caption(S.PLAN_DEMO_NOTE if data.demo_in_use() else S.PLAN_EMPTY_NOTE)
    if st.button(S.PLAN_START, key="plan_start", disabled=bool(refused)):
        try:
            data.start_from_plan(plan.path, session.current())
        except (PlanRefused, NotAllowed) as e:
            st.error(fmt.plain(str(e)))
        else:
            st.session_state["plan_started"] = plan.title
            st.rerun()
if "plan_started" in st.session_state:
    started = data.catalog()
    st.success(S.PLAN_STARTED.format(title=fmt.plain(st.session_state.pop("plan_started")),
                                     indicators=len(started.indicators), tasks=len(started.tasks)))
