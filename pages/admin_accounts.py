"""账号管理 (管理员 only): what `python -m accounts add|list|disable|enable|reset` does, on a page. Every change goes
through accounts.store as the logged-in 管理员 (or personal mode's), so it is allowed, audited and journaled
there; the page never shows a password or its hash."""
import pandas as pd
import streamlit as st

from accounts import AccountRefused, add, disable, enable, reset_password
from warehouse.access import ACCOUNTS, ROLES, REPORTER, NotAllowed
from warehouse.config import settings
from ui import data, format as fmt, session
from ui import strings as S
from ui.layout import page_header

page_header(S.PAGE_ACCOUNTS, S.ACCOUNTS_CAPTION, needs_catalog=False)
session.require_page(ACCOUNTS)
DONE = "accounts_done"     # the last change's outcome, shown after the rerun that redraws the table


def _do(change, *args, said: str) -> None:
    """A form's callback: make the change as the current actor; keep the outcome (never a password) to show."""
    s = st.session_state
    try:
        change(data.cursor(), *args, actor=session.current())
    except (AccountRefused, NotAllowed) as refused:
        s[DONE] = ("error", str(refused))
    else:
        s[DONE] = ("success", said)


def _add() -> None:
    s = st.session_state
    name, role = s.get("account_name", ""), s.get("account_role")
    password, again = s.get("account_password", ""), s.get("account_password_again", "")
    s["account_password"] = s["account_password_again"] = ""
    if password != again:
        s[DONE] = ("error", S.ACCOUNT_PASSWORDS_DIFFER)
        return
    first = data.accounts_table().empty
    department = s.get("account_department") if role == REPORTER else None
    said = S.ACCOUNT_ADDED.format(name=" ".join(name.split()), role=role) + (S.ACCOUNT_FIRST if first else "")
    _do(lambda con, *a, actor: add(con, name, role, password, department, actor=actor), said=said)
    if s[DONE][0] == "success":
        s["account_name"] = ""
        if first:   # server mode now: the next run is the login form, which says why (this page's message is lost)
            s.pop(DONE)
            s[session.FIRST_ACCOUNT] = S.ACCOUNT_FIRST_LOGIN.format(name=" ".join(name.split()), role=role)


def _reset() -> None:
    s = st.session_state
    name, password, again = s.get("account_pick"), s.get("reset_password", ""), s.get("reset_password_again", "")
    s["reset_password"] = s["reset_password_again"] = ""
    if password != again:
        s[DONE] = ("error", S.ACCOUNT_PASSWORDS_DIFFER)
        return
    _do(reset_password, name, password, said=S.ACCOUNT_RESET_DONE.format(name=name))


if outcome := st.session_state.pop(DONE, None):
    kind, message = outcome
    (st.success if kind == "success" else st.error)(fmt.plain(message))

accounts = data.accounts_table()
names = data.department_names()
if accounts.empty:
    st.info(S.ACCOUNTS_NONE, icon=":material/person_off:")
else:
    now = session.clock()
    state = [S.ACCOUNT_STATES["disabled"] if d else
             S.ACCOUNT_STATES["locked"].format(until=u) if not pd.isna(u) and u > now else S.ACCOUNT_STATES["ok"]
             for d, u in zip(accounts["disabled"], accounts["locked_until"])]
    shown = accounts.assign(department=accounts["department_code"].map(names), state=state)
    st.dataframe(fmt.cells(shown[list(S.ACCOUNT_COLUMNS)]).rename(columns=S.ACCOUNT_COLUMNS), hide_index=True,
                 width="stretch")

st.subheader(S.ACCOUNT_ADD)
with st.form("account_add", border=True):
    left, middle, right = st.columns(3)
    left.text_input(S.ACCOUNT_NAME, key="account_name", max_chars=40, placeholder=S.ACCOUNT_NAME_PLACEHOLDER)
    middle.selectbox(S.ACCOUNT_ROLE, ROLES, key="account_role", help=S.ACCOUNT_ROLE_HELP)
    right.selectbox(S.ACCOUNT_DEPARTMENT, list(names), format_func=names.get, key="account_department", index=None,
                    placeholder=S.PLACEHOLDER_DEPARTMENT)
    help_text = S.ACCOUNT_PASSWORD_HELP.format(n=settings().min_password_length)
    left, middle, _ = st.columns(3)
    left.text_input(S.ACCOUNT_PASSWORD, key="account_password", type="password", help=help_text,
                    autocomplete="new-password")
    middle.text_input(S.ACCOUNT_PASSWORD_AGAIN, key="account_password_again", type="password",
                      autocomplete="new-password")
    st.form_submit_button(S.ACCOUNT_ADD, type="primary", key="account_add_submit", on_click=_add)

if not accounts.empty:
    st.subheader(S.ACCOUNT_CHANGE)
    pick = st.selectbox(S.ACCOUNT_PICK, accounts["name"].tolist(), key="account_pick")
    disabled = bool(accounts.set_index("name").loc[pick, "disabled"])
    if disabled:
        st.button(S.ACCOUNT_ENABLE, key="account_enable", on_click=_do, args=(enable, pick),
                  kwargs={"said": S.ACCOUNT_ENABLED.format(name=pick)})
    else:
        st.button(S.ACCOUNT_DISABLE, key="account_disable", on_click=_do, args=(disable, pick),
                  kwargs={"said": S.ACCOUNT_DISABLED.format(name=pick)})
    with st.form("account_reset", border=True):
        st.markdown(f"**{S.ACCOUNT_RESET}**")
        left, right = st.columns(2)
        left.text_input(S.ACCOUNT_NEW_PASSWORD, key="reset_password", type="password", autocomplete="new-password")
        right.text_input(S.ACCOUNT_PASSWORD_AGAIN, key="reset_password_again", type="password",
                         autocomplete="new-password")
        st.form_submit_button(S.ACCOUNT_RESET, key="account_reset_submit", on_click=_reset)
