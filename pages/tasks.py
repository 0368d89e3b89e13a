"""任务清单: the plan's tasks (任务, 成果, 政策) as the departments reported them, 逾期 and 待佐证 first; evidence
(佐证材料) attached here — a file checked by its content, or a 文号 — through ingest.evidence."""
import datetime as dt

import streamlit as st

from warehouse import config
from ingest.evidence import EvidenceRefused, attach_doc_number, attach_file
from ingest.catalog import TASK_CATEGORIES
from metrics.tasks import AWAITING_EVIDENCE, OVERDUE, attention_first, state_counts
from ui import data, filters, format as fmt, session
from ui import strings as S
from ui.layout import page_header
from warehouse.access import TASK_EVIDENCE, NotAllowed, allowed

SAVED, ROUND = "evidence_saved", "evidence_round"   # the last save's outcome; the uploader's round (a new one empties it)
ROW = 35                                             # px per table row: the whole list shows without scrolling

page_header(S.PAGE_TASKS, S.TASKS_CAPTION)
f = filters.current()
tasks = attention_first(data.task_status(f.as_of, f.as_of.date() if f.as_of else dt.date.today()))
if tasks.empty:
    st.info(S.TASKS_NONE, icon=":material/checklist:")
    st.page_link("pages/catalog.py", label=S.GO_CATALOG, icon=":material/menu_book:")
    st.stop()

counts = state_counts(tasks)
for column, (state, n) in zip(st.columns(len(counts)), counts.items()):
    column.metric(fmt.task_state(state), n)

pick_category, pick_department, shown_note = st.columns([1, 1, 2], vertical_alignment="bottom")
category = pick_category.selectbox(S.TASKS_CATEGORY, [S.ALL, *TASK_CATEGORIES], key="tasks_category")
departments = [S.ALL, *dict.fromkeys(d for d in tasks["department"] if not fmt.missing(d))]
department = pick_department.selectbox(S.FILTER_DEPARTMENT, departments, key="tasks_department",
                                       index=departments.index(f.department) if f.department in departments else 0)
shown = tasks
if category != S.ALL:
    shown = shown[shown["category"] == category]
if department != S.ALL:
    shown = shown[shown["department"] == department]
shown_note.caption(S.TASKS_SHOWN.format(shown=len(shown), total=len(tasks)) + "　"
                   + S.TASKS_ATTENTION.format(overdue=counts[OVERDUE], awaiting=counts[AWAITING_EVIDENCE]))

if shown.empty:
    st.info(S.TASKS_FILTER_NONE)
else:
    # fits the page beside the sidebar at 1366 px (about 890 px): a 类别 the same on every row is left out (the
    # filter above still says it), which leaves the demo's names, departments and 文号 whole
    widths = {"code": 58, "category": 44, "name": 250, "department": 130, "due_on": 88, "state": 80, "updated_on": 88,
              "evidence": 150}
    if shown["category"].nunique() <= 1:
        del widths["category"]
        widths |= {"name": 270, "department": 134, "evidence": 170}
    view = shown.assign(state=shown["state"].map(fmt.task_state))[list(widths)]
    st.dataframe(fmt.cells(view).rename(columns=S.TASK_PAGE_COLUMNS), hide_index=True, width="stretch",
                 row_height=ROW, height=min(ROW * (len(view) + 1) + 3, 560),
                 column_config={S.TASK_PAGE_COLUMNS[c]: st.column_config.Column(width=w) for c, w in widths.items()})

# ------------------------------------------------------------------------------ evidence (佐证材料)
st.subheader(S.EVIDENCE_TITLE)
if not session.may(TASK_EVIDENCE):
    session.viewer_note()
else:
    st.caption(S.EVIDENCE_HELP.format(mb=config.settings().max_file_bytes // 2**20))
labels = dict(zip(tasks["code"], tasks["code"] + " " + tasks["name"]))
# the tasks the actor may attach evidence to first (a 填报员: those its department leads or works on)
task_departments, actor = data.task_departments(), session.current()
mine = [code for code in labels if allowed(actor, TASK_EVIDENCE, task_departments.get(code, ()))]
labels = {code: labels[code] for code in [*mine, *(code for code in labels if code not in mine)]}
if st.session_state.get("evidence_task") not in labels:
    st.session_state.pop("evidence_task", None)
upload_key = f"evidence_file_{st.session_state.get(ROUND, 0)}"


def _size(n: int) -> str:
    return f"{n / 2**20:.1f} MB" if n >= 2**20 else f"{max(1, round(n / 1024))} KB"


def save() -> None:
    """The button's callback: it runs before the page is drawn again, so the table above shows the new state.
    A refusal changes nothing and says why."""
    s = st.session_state
    code, how = s.get("evidence_task"), s.get("evidence_how", S.EVIDENCE_FILE)
    try:
        if how == S.EVIDENCE_FILE:
            upload = s.get(upload_key)
            if upload is None:
                s[SAVED] = ("error", S.EVIDENCE_NO_FILE)
                return
            raw = upload.getvalue()
            attach_file(data.cursor(), code, raw, upload.name, actor=session.current())
            kept = data.evidence_pieces(code).iloc[-1]      # the name as kept (a path in the name dropped)
            said, words = S.EVIDENCE_KEPT_FILE, dict(name=kept["piece"], kind=str(kept["file_type"]).upper(),
                                                     size=_size(len(raw)))
            s[ROUND] = s.get(ROUND, 0) + 1          # a fresh, empty uploader: the same file is not kept twice
        else:
            attach_doc_number(data.cursor(), code, s.get("evidence_docno", ""), actor=session.current())
            said, words = S.EVIDENCE_KEPT_DOCNO, dict(docno=data.evidence_pieces(code).iloc[-1]["piece"])
            s["evidence_docno"] = ""
    except (EvidenceRefused, NotAllowed) as refused:
        s[SAVED] = ("error", str(refused))
        return
    now = data.task_status(None, dt.date.today()).set_index("code")["state"]
    s[SAVED] = ("success", said.format(task=code, state=fmt.task_state(now.get(code)), **words))


chosen = st.selectbox(S.EVIDENCE_TASK, list(labels), format_func=labels.get, key="evidence_task")
if chosen not in mine and allowed(actor, TASK_EVIDENCE):   # a 填报员, another department's task: no control
    names = data.department_names()
    st.info(fmt.plain(S.EVIDENCE_NOT_OWN.format(
        departments="、".join(names.get(d, d) for d in task_departments.get(chosen, ())))), icon=":material/badge:")
if chosen in mine:   # the save is refused for any other task too (ingest.evidence)
    how = st.radio(S.EVIDENCE_HOW, [S.EVIDENCE_FILE, S.EVIDENCE_DOCNO], horizontal=True, key="evidence_how")
    if how == S.EVIDENCE_FILE:
        # no type filter: every file reaches the check by content, which answers in Chinese (Streamlit's own
        # refusal of a file type is in English); a renamed program is refused there
        st.file_uploader(S.EVIDENCE_UPLOAD, key=upload_key)
    else:
        st.text_input(S.EVIDENCE_DOCNO_INPUT, key="evidence_docno", placeholder=S.EVIDENCE_DOCNO_PLACEHOLDER,
                      max_chars=200)
    st.button(S.EVIDENCE_SAVE, type="primary", key="evidence_save", on_click=save)
if outcome := st.session_state.pop(SAVED, None):
    kind, message = outcome
    (st.success if kind == "success" else st.error)(fmt.plain(message), icon=":material/check_circle:"
                                                   if kind == "success" else ":material/block:")

code = st.session_state.get("evidence_task") or next(iter(labels))
with st.expander(fmt.plain(S.EVIDENCE_HISTORY.format(task=labels[code]))):
    history = data.task_history(code)
    if history.empty:
        st.caption(S.EVIDENCE_HISTORY_NONE)
    else:
        st.dataframe(fmt.cells(history.assign(state=history["state"].map(fmt.task_state))[list(S.TASK_HISTORY_COLUMNS)])
                     .rename(columns=S.TASK_HISTORY_COLUMNS), hide_index=True, width="stretch")
    pieces = data.evidence_pieces(code)
    if pieces.empty:
        st.caption(S.EVIDENCE_PIECES_NONE)
    else:
        st.dataframe(fmt.cells(pieces.assign(kind=pieces["kind"].map(S.EVIDENCE_KINDS),
                                             file_type=pieces["file_type"].str.upper()))
                     .rename(columns=S.EVIDENCE_PIECE_COLUMNS), hide_index=True, width="stretch")
