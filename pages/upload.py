"""数据上传: drop files, confirm the department, read the check report and preview, then load.
Also the submission history with revert, and template downloads."""
from pathlib import Path

import pandas as pd
import streamlit as st

from warehouse import config
from ingest.normalise import INVALID, parse_period
from ingest.pipeline import ACCEPTED, DUPLICATE, REFUSED, REJECTED, receive, revert_to
from ingest.template import build_template, file_name
from ui import data, filters, format as fmt, session
from ui import strings as S
from ui import layout
from ui.layout import page_header
from ui.meeting import start_now
from metrics.board import MISSING, NOT_DUE, REJECTED as BOARD_REJECTED
from ingest import approval
from warehouse.access import APPROVE, MEETING, REOPEN, REVERT



page_header(S.PAGE_UPLOAD)
cur = data.cursor()
catalog = data.catalog()
dept_names = {code: d.name for code, d in catalog.departments.items()}
actor = session.current()
own = actor.department if session.is_reporter() else None   # a 填报员 uploads as its own department only

if own:
    checklist = st.container()   # 本部门报送清单, drawn below once the page's own state is known
    st.info(S.UPLOAD_OWN_DEPARTMENT.format(department=fmt.plain(dept_names.get(own, own))),
            icon=":material/badge:")
if session.is_viewer():
    session.viewer_note()
    uploads = []
else:
    # no type filter: every file reaches the checks at the door, which answer in Chinese (an .xlsm is read,
    # its macros never run)
    st.markdown(S.UPLOAD_ACCEPTS.format(mb=config.settings().max_file_bytes // (1024 * 1024)))
    uploads = st.file_uploader(S.UPLOAD_FILES, accept_multiple_files=True, key="uploads")
reviews = []
for i, up in enumerate(uploads or []):
    raw = up.getvalue()
    with st.container(border=True):
        first = data.review_file(raw, up.name, own) if own else data.review_file(raw, up.name)
        guessed = first.validated.department_code
        options = [own] if own else list(dept_names)
        chosen = st.selectbox(f"{S.UPLOAD_DEPARTMENT}（{fmt.plain(up.name)}）", options, key=f"dept_{i}_{up.name}",
                              index=0 if own else options.index(guessed) if guessed in options else None,
                              format_func=dept_names.get, placeholder=S.PLACEHOLDER_DEPARTMENT, disabled=bool(own))
        r = first if chosen in (None, guessed) or own else data.review_file(raw, up.name, chosen)
        v = r.validated
        refusal = session.upload_refusal(v, catalog)
        st.markdown(f"**{fmt.plain(up.name)}** · {S.UPLOAD_PERIOD}：{fmt.plain('、'.join(v.periods) or '—')}")
        if refusal:
            st.error(S.UPLOAD_REFUSED_BEFORE.format(message=fmt.plain(refusal)), icon=":material/block:")
        elif r.duplicate_of is not None:
            st.info(S.UPLOAD_DUPLICATE, icon=":material/content_copy:")
        elif v.has_errors():
            st.error(S.UPLOAD_BAD.format(errors=sum(p.severity == 'error' for p in v.problems)), icon=":material/block:")
        else:
            st.success(S.UPLOAD_OK.format(rows=v.rows, warnings=len(v.problems)), icon=":material/check_circle:")
        if v.problems:
            st.markdown(f"**{S.UPLOAD_REPORT}**")
            st.dataframe(pd.DataFrame([{
                S.COLUMNS["file_name"]: p.file, S.COLUMNS["sheet"]: p.sheet or "—", S.COLUMNS["cell"]: p.cell or "—",
                S.UPLOAD_SEVERITY: S.SEVERITY_WORDS[p.severity], S.UPLOAD_TYPED: p.value or "—",
                S.COLUMNS["message"]: p.message} for p in v.problems]), hide_index=True, width="stretch",
                column_config={S.COLUMNS["message"]: st.column_config.TextColumn(width="large")})
        if r.loadable and not r.rows.empty:
            with st.expander(f"{S.UPLOAD_PREVIEW}（{len(r.rows)}）"):
                st.dataframe(r.rows.rename(columns=S.COLUMNS), hide_index=True, width="stretch", height=240)
            if not r.effect.empty:
                layout.effect_table(r.effect)
    reviews.append((up.name, raw, chosen, r, refusal))

loadable = sum(r.loadable and not refused for *_, r, refused in reviews)
label = S.UPLOAD_CONFIRM_N.format(n=loadable, kept=len(reviews) - loadable) if reviews else S.UPLOAD_CONFIRM
if reviews and st.button(label, type="primary", key="confirm_upload"):
    bar = st.progress(0.0)
    outcome = {ACCEPTED: 0, REJECTED: 0, DUPLICATE: 0, REFUSED: 0, "refusals": [], "pending": 0}
    db = config.default_db_path()
    with session.refused_shown():
        for k, (name, raw, chosen, *_) in enumerate(reviews, start=1):
            bar.progress((k - 1) / len(reviews), text=S.UPLOAD_LOADING.format(i=k, n=len(reviews), name=name))
            result = receive(cur, Path(name), config.archive_dir(db), department=chosen, file_name=name, data=raw,
                             actor=actor)
            outcome[result.status] += 1
            outcome["pending"] += result.pending
            if result.status == REFUSED:
                outcome["refusals"] += [f"{name}：{p.message}" for p in result.errors]
    bar.progress(1.0)
    st.session_state["upload_outcome"] = outcome

if outcome := st.session_state.get("upload_outcome"):
    st.success(S.UPLOAD_DONE.format(accepted=outcome[ACCEPTED], rejected=outcome[REJECTED],
                                    duplicate=outcome[DUPLICATE]))
    if outcome.get("pending"):
        st.info(S.UPLOAD_PENDING.format(n=outcome["pending"]), icon=":material/hourglass_top:")
    if outcome.get(REFUSED):
        st.error(S.UPLOAD_REFUSED.format(n=outcome[REFUSED]) + "\n\n"
                 + "\n".join(f"- {fmt.plain(line)}" for line in outcome["refusals"]), icon=":material/block:")
    if outcome[ACCEPTED] and session.may(MEETING) and st.button(
            S.MEETING_START_AFTER_UPLOAD, type="primary", key="upload_start_meeting", on_click=start_now):
        st.session_state.pop("upload_outcome", None)
        st.switch_page("pages/meeting.py")

inbox = data.inbox_outcomes()
if inbox:
    st.subheader(S.INBOX_TITLE)
    st.caption(S.INBOX_CAPTION)
    st.dataframe(pd.DataFrame(inbox).assign(status=lambda t: t["status"].map(S.STATUS_WORDS))[
        ["file", "status", "errors", "submission_id", "queued_at", "loaded_at"]].rename(columns=S.INBOX_COLUMNS),
        hide_index=True, width="stretch")

waiting = data.awaiting_approval() if session.may(APPROVE) and data.approval_on() else None
if waiting is not None and not waiting.empty:   # 待审核: the office's queue, each file with its effect
    st.subheader(f"{S.APPROVAL_QUEUE}（{len(waiting)}）")
    st.caption(S.APPROVAL_QUEUE_CAPTION)
    for w in waiting.itertuples():
        with st.container(border=True):
            st.markdown(fmt.plain(S.APPROVAL_FILE.format(
                id=w.id, file=w.file_name, department=w.department or "—", periods=w.periods or "—", rows=w.n_rows,
                received=w.received_at, by=w.received_by or "—")))
            if w.reopened:
                st.caption(fmt.plain(S.APPROVAL_REOPENED.format(reason=w.reason or "—")))
            effect = data.approval_effect(int(w.id))
            if effect.empty:
                st.caption(S.APPROVAL_NO_EFFECT)
            else:
                layout.effect_table(effect)
            yes, reason, no = st.columns([1, 3, 1], vertical_alignment="bottom")
            if yes.button(S.APPROVE, key=f"approve_{w.id}", type="primary"):
                with session.refused_shown():
                    approval.approve(cur, int(w.id), actor=actor)
                    st.session_state["approval_done"] = S.APPROVED_DONE.format(id=w.id)
                    st.rerun()
            why = reason.text_input(S.RETURN_REASON, key=f"return_reason_{w.id}", max_chars=200)
            if no.button(S.RETURN, key=f"return_{w.id}"):
                with session.refused_shown():
                    approval.return_submission(cur, int(w.id), why, actor=actor)
                    st.session_state["approval_done"] = S.RETURNED_DONE.format(id=w.id)
                    st.rerun()
if done := st.session_state.pop("approval_done", None):
    st.success(done, icon=":material/check_circle:")

st.divider()
st.subheader(S.TEMPLATE_DOWNLOAD)
pick_dept, pick_period, get = st.columns([2, 1, 3], vertical_alignment="bottom")
dept = pick_dept.selectbox(S.UPLOAD_DEPARTMENT, [own] if own else list(dept_names), format_func=dept_names.get,
                           key="template_dept", disabled=bool(own))
period_text = pick_period.text_input(S.UPLOAD_PERIOD, value=str(filters.current().year or pd.Timestamp.today().year),
                                     key="template_period", help=S.PERIOD_FORMATS)
period = parse_period(period_text)
if period in (None, INVALID):
    get.warning(S.PERIOD_BAD)
else:
    try:
        template = build_template(catalog, dept, period)
    except ValueError:
        get.info(S.TEMPLATE_NONE)
    else:
        name = file_name(catalog, dept, period)
        get.download_button(S.TEMPLATE_BUTTON.format(name=name), template, file_name=name,
                            mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")

# the history is as wide as the page: at 1366 px every column shows (the file's name 176 px: a longer one is cut
# short, whole on hover)
st.subheader(S.HISTORY)
history = data.submission_history()
shown = history.assign(status=history["status"].map(S.STATUS_WORDS),
                       current=[S.COUNTED if counts else S.APPROVAL_WORDS.get(state, "—")
                                for counts, state in zip(history["current"], history["approval"])],
                       revert_of=history["revert_of"].map(lambda x: "—" if fmt.missing(x) else f"#{int(x)}"))
shown = shown.astype({"received_by": object, "periods": object}).fillna({"received_by": "—", "periods": "—"}).replace(
    {"periods": {"": "—"}})
st.dataframe(shown[["id", "file_name", "department", "periods", "status", "current", "received_at", "rows",
                    "revert_of", "received_by"]].rename(columns=S.COLUMNS | S.HISTORY_COLUMNS),
             hide_index=True, width="stretch", height=360,
             column_config={S.COLUMNS["received_at"]: st.column_config.DatetimeColumn(format="YYYY-MM-DD HH:mm"),
                            S.COLUMNS["file_name"]: st.column_config.TextColumn(width=176)})
# a revert makes an approved file count again; one waiting for approval or returned is not offered
candidates = history[(history["approval"] == approval.APPROVED) & ~history["current"]]
if not candidates.empty and session.may(REVERT):
    labels = {r.id: f"#{r.id} {r.file_name}（{r.received_at:%Y-%m-%d %H:%M}）" for r in candidates.itertuples()}
    pick = st.selectbox(S.REVERT_PICK, list(labels), format_func=labels.get, key="revert_pick", index=None,
                        placeholder=S.PLACEHOLDER)
    if pick is not None and st.button(S.REVERT_GO, key="revert_go"):
        with session.refused_shown():
            new_id = revert_to(cur, int(pick), actor=actor)
            st.success(S.REVERT_DONE.format(new=new_id, old=pick))

# 重新打开: an approved file goes back to 待审核 (a 管理员's act, with a reason); its figures stop counting (its
# task progress too: a file of task progress alone is approved and counts without being 计入 any figure)
reopenable = history[history["approval"] == approval.APPROVED]
if session.may(REOPEN) and data.approval_on() and not reopenable.empty:
    st.markdown(f"**{S.REOPEN_TITLE}**")
    st.caption(S.REOPEN_CAPTION)
    labels = {r.id: f"#{r.id} {r.file_name}（{r.department or '—'}，{r.received_at:%Y-%m-%d %H:%M}）"
              for r in reopenable.itertuples()}
    pick_col, why_col, go_col = st.columns([3, 3, 1], vertical_alignment="bottom")
    pick = pick_col.selectbox(S.REOPEN_PICK, list(labels), format_func=labels.get, key="reopen_pick", index=None,
                              placeholder=S.PLACEHOLDER)
    why = why_col.text_input(S.REOPEN_REASON, key="reopen_reason", max_chars=200)
    if go_col.button(S.REOPEN_GO, key="reopen_go", disabled=pick is None, width="stretch"):
        with session.refused_shown():
            approval.reopen(cur, int(pick), why, actor=actor)
            st.session_state["reopen_done"] = S.REOPENED_DONE.format(id=pick)
            for key in ("reopen_pick", "reopen_reason"):   # emptied for the next one
                st.session_state.pop(key, None)
            st.rerun()
if reopened := st.session_state.pop("reopen_done", None):
    st.success(reopened, icon=":material/undo:")

if own:   # 本部门报送清单: what is due, what was sent back and why, what waits for approval
    with checklist:
        st.subheader(S.CHECKLIST)
        C = S.CHECKLIST_COLUMNS
        board = data.submission_board(filters.current().as_of)
        due = board[(board["department_code"] == own) & board["status"].isin([MISSING, BOARD_REJECTED, NOT_DUE])]
        st.markdown(f"**{S.CHECKLIST_DUE}**")
        if due.empty:
            st.caption(S.CHECKLIST_DUE_NONE)
        else:
            shown = due.assign(status=due["status"].map(fmt.board_status))[["period", "deadline", "status", "days_late"]]
            st.dataframe(fmt.cells(shown).rename(columns=C), hide_index=True, width="stretch",
                         height=min(35 * (len(shown) + 1) + 3, 320))
        st.markdown(f"**{S.CHECKLIST_RETURNED}**")
        returned = data.returned_submissions(own)
        if returned.empty:
            st.caption(S.CHECKLIST_RETURNED_NONE)
        else:
            st.dataframe(fmt.cells(returned[["file_name", "periods", "received_at", "sheet", "cell", "message"]])
                         .rename(columns=C), hide_index=True, width="stretch",
                         column_config={C["message"]: st.column_config.TextColumn(width="large")})
        sent_back = data.returned_by_office(own)
        if not sent_back.empty:
            st.markdown(f"**{S.CHECKLIST_SENT_BACK}**")
            st.dataframe(fmt.cells(sent_back[["file_name", "periods", "returned_at", "reason"]]).rename(
                columns=C | S.CHECKLIST_SENT_BACK_COLUMNS), hide_index=True, width="stretch")
        st.markdown(f"**{S.CHECKLIST_PENDING}**")
        pending = data.awaiting_approval(own)
        if pending.empty:
            st.caption(S.CHECKLIST_PENDING_NONE)
        else:
            st.dataframe(fmt.cells(pending[["file_name", "periods", "received_at", "received_by", "n_rows"]])
                         .rename(columns=C), hide_index=True, width="stretch")
        st.divider()
