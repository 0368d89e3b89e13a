"""指标体系: browse and download the catalog; upload a new version, checked like any submission."""
import pandas as pd
import streamlit as st

from ingest import config
from ingest.catalog import install_catalog, read_catalog
from ui import data, filters, format as fmt
from ui import strings as S
from ui.layout import page_header

page_header(S.PAGE_CATALOG, S.CATALOG_CAPTION)
table = data.indicator_catalog()
st.caption(S.PROVISIONAL_NOTE)
if st.toggle(S.PROVISIONAL_FILTER, key="catalog_provisional"):
    table = table[table["provisional_targets"] > 0]
table["kind"] = table["kind"].map(S.KIND_WORDS)
table["direction"] = table["direction"].map(S.DIRECTION_WORDS)
table["frequency"] = table["frequency"].map(S.FREQUENCY_WORDS)
columns = list(table.columns)
widths = {"code": 70, "area": 110, "action": 200, "name": 280, "kind": 60, "unit": 70, "direction": 90, "lead": 100,
          "frequency": 70, "targets": 300, "provisional_targets": 100, "district_targets": 130}
if filters.present_mode():  # fewer, wider columns on the projector
    columns = ["code", "name", "unit", "lead", "targets"]
    widths |= {"code": 80, "name": 340, "unit": 80, "lead": 150, "targets": 480}
st.dataframe(fmt.cells(table[columns]).rename(columns=S.COLUMNS), hide_index=True, height=560, width="stretch",
             column_config={S.COLUMNS.get(c, c): st.column_config.Column(width=widths.get(c, 120)) for c in columns})
st.download_button(S.CATALOG_DOWNLOAD, config.CATALOG_PATH.read_bytes(), file_name="catalog.xlsx",
                   mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")

st.subheader(S.CATALOG_UPLOAD)
# no type filter: every file reaches the checks at the door, which answer in Chinese
upload = st.file_uploader(S.CATALOG_UPLOAD, key="catalog_upload", label_visibility="collapsed")
if upload is not None:
    raw = upload.getvalue()
    catalog, problems = read_catalog(raw, upload.name)
    if catalog is None:
        st.error(S.CATALOG_BAD.format(n=len(problems)))
        st.dataframe(fmt.cells(pd.DataFrame([{S.COLUMNS["sheet"]: p.sheet, S.COLUMNS["cell"]: p.cell,
                                               S.COLUMNS["message"]: p.message} for p in problems])),
                     hide_index=True, width="stretch")
    elif st.button(S.UPLOAD_CONFIRM, key="catalog_confirm", type="primary"):
        install_catalog(data.cursor(), catalog, raw, upload.name, config.CATALOG_PATH,
                        config.archive_dir(config.default_db_path()))
        st.cache_data.clear()
        st.success(S.CATALOG_OK.format(indicators=len(catalog.indicators)))
