"""Who is using this browser session (issue 13): the Actor every change on a page is made as.

Server mode (the warehouse holds an account): `gate()`, called by ui.app.main before anything else is drawn,
lets a run through only for a logged-in, enabled account whose session has not been idle longer than
[accounts] session_idle_minutes; otherwise it draws the login form alone and stops the run. The session keeps
the Actor (never the password: the field is emptied as soon as it has been checked).

Personal mode (no account): no login; the actor is a 管理员 named by 「您的姓名」 in the sidebar, or the computer's
user. The name is remembered in the browser as a cookie: st.context.cookies is read-only in Streamlit 1.67, so
the cookie is written by a two-line script in a same-origin iframe (the technique of ui.layout.keyboard_paging),
with the name percent-encoded, so no typed character ever reaches the script as code.
"""
from __future__ import annotations

import datetime as dt
from contextlib import contextmanager
from urllib.parse import quote, unquote

import pandas as pd
import streamlit as st

from accounts import LoginFailed, authenticate, refresh, server_mode, session_expired
from ingest.pipeline import reported_for
from warehouse.access import (ADMIN, REPORTER, UPLOAD, UPLOAD_OTHER, VIEWER, Actor, NotAllowed, allowed, os_user,
                              personal_actor, refusal, who)
from warehouse.config import settings
from ui import data
from ui import format as fmt
from ui import strings as S
from ingest.approval import ApprovalRefused

ACTOR, SEEN, NOTE = "_session_actor", "_session_seen", "_session_note"   # Actor.as_dict(), last run, why it ended
LOGIN_ERROR = "_login_error"
FIRST_ACCOUNT = "_first_account_note"   # personal mode's first account added: why the login form appeared
NAME, KEPT_NAME, COOKIE_SET = "my_name", "_my_name", "_my_name_cookie"
COOKIE = "cfc_name"
clock = dt.datetime.now   # tests move time forward


def address() -> str | None:
    """The browser's address as Streamlit sees it (None on localhost or outside a browser session)."""
    try:
        ip = st.context.ip_address
    except Exception:  # noqa: BLE001 — no client context
        return None
    return ip if isinstance(ip, str) and ip else None   # AppTest answers with a stand-in object


def is_server() -> bool:
    return server_mode(data.cursor())


# ------------------------------------------------------------------ the gate
def gate() -> Actor | None:
    """The actor of this run; None in server mode without a valid session (ui.app.main then draws the login form
    alone and stops the run)."""
    con, s = data.cursor(), st.session_state
    if not server_mode(con):
        s.pop(ACTOR, None)
        return personal()
    now = clock()
    kept = Actor.from_dict(s.get(ACTOR))
    if kept is not None:
        current = refresh(con, kept)
        if current is None:
            _end(S.SESSION_ENDED)
        elif session_expired(s.get(SEEN, now), now):
            _end(S.SESSION_EXPIRED.format(minutes=settings().session_idle_minutes))
        else:
            s[ACTOR], s[SEEN] = current.as_dict(), now
            return current
    return None


def _end(note: str | None) -> None:
    s = st.session_state
    s.pop(ACTOR, None)
    s.pop(SEEN, None)
    if note:
        s[NOTE] = note


def logout() -> None:
    """The sidebar's 退出登录 (a callback): the next run shows the login form."""
    _end(S.LOGGED_OUT)


def _try_login() -> None:
    """The form's callback: check the name and password, keep the Actor on success, empty the password field
    either way (it stays in no session state, log or message)."""
    s = st.session_state
    name, password = (s.get("login_name") or "").strip(), s.get("login_password") or ""
    s["login_password"] = ""
    s.pop(NOTE, None)
    if not name or not password:
        s[LOGIN_ERROR] = S.LOGIN_EMPTY
        return
    now = clock()
    try:
        actor = authenticate(data.cursor(), name, password, address(), now)
    except LoginFailed as failed:
        s[LOGIN_ERROR] = str(failed) + _minutes_left(name, now)
        return
    s.pop(LOGIN_ERROR, None)
    s.pop(FIRST_ACCOUNT, None)
    s[ACTOR], s[SEEN] = actor.as_dict(), now


def _minutes_left(name: str, now: dt.datetime) -> str:
    """How long a locked account still waits, to add to the lock's message (nothing for any other refusal)."""
    accounts = data.accounts_table()
    row = accounts[accounts["name"] == " ".join(name.split())]
    if row.empty or pd.isna(row["locked_until"].iloc[0]) or row["locked_until"].iloc[0] <= now:
        return ""
    left = (row["locked_until"].iloc[0] - now).total_seconds() / 60
    return S.LOGIN_MINUTES_LEFT.format(minutes=max(1, int(-(-left // 1))))


_LOGIN_CSS = """
<style>
section[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"] { display: none; }
.block-container { padding-top: 4rem; }
.st-key-login_box h1 { font-size: 1.9rem !important; text-align: center; }
.st-key-login_box [data-testid="stCaptionContainer"] p { text-align: center; font-size: 1rem; }
</style>
"""


def login_page() -> None:
    """The login form, alone on the page and centred: nothing of the dashboard before a login."""
    st.markdown(_LOGIN_CSS, unsafe_allow_html=True)
    s = st.session_state
    _, middle, _ = st.columns([1, 1.3, 1])
    with middle.container(key="login_box"):
        st.title(S.APP_TITLE)
        st.caption(S.LOGIN_CAPTION)
        if note := s.get(NOTE):
            st.info(note, icon=":material/logout:")
        if first := s.get(FIRST_ACCOUNT):   # shown until a login succeeds
            st.success(fmt.plain(first), icon=":material/how_to_reg:")
        with st.form("login", border=True):
            st.text_input(S.LOGIN_NAME, key="login_name", max_chars=40, autocomplete="username")
            st.text_input(S.LOGIN_PASSWORD, key="login_password", type="password", max_chars=256,
                          autocomplete="current-password")
            st.form_submit_button(S.LOGIN_BUTTON, type="primary", key="login_submit", on_click=_try_login,
                                  width="stretch")
        if error := s.get(LOGIN_ERROR):
            st.error(error, icon=":material/lock:")
        st.caption(S.LOGIN_HELP)


# ------------------------------------------------------------------ the actor on every page
def personal() -> Actor:
    return personal_actor(st.session_state.get(KEPT_NAME) or _remembered(), address())


def _remembered() -> str | None:
    try:
        value = st.context.cookies.get(COOKIE)
    except Exception:  # noqa: BLE001 — no client context
        return None
    if not isinstance(value, str):   # AppTest answers with a stand-in object
        return None
    return " ".join(unquote(value).split())[:40] if value else None


def current() -> Actor:
    """The actor of this run: the logged-in account (server mode) or personal mode's named 管理员."""
    kept = Actor.from_dict(st.session_state.get(ACTOR))
    if kept is not None and kept.account_id is not None:
        return kept
    if is_server():   # a page reached without the gate: should not happen, refused rather than guessed
        raise NotAllowed(S.LOGIN_CAPTION)
    return personal()


def role() -> str:
    return current().role


def may(action: str, department=None) -> bool:
    return allowed(current(), action, department)


def is_admin() -> bool:
    return current().role == ADMIN


def is_reporter() -> bool:
    return current().role == REPORTER


def is_viewer() -> bool:
    return current().role == VIEWER


def viewer_note() -> None:
    """One line where a 查看者's controls would be."""
    st.caption(S.VIEWER_ONLY)


@contextmanager
def refused_shown():
    """A change refused by the warehouse (NotAllowed, or an approval its state does not allow) says why in
    Chinese, in place of a traceback."""
    try:
        yield
    except (NotAllowed, ApprovalRefused) as refused:
        st.error(fmt.plain(str(refused)), icon=":material/block:")


def upload_refusal(validated, catalog) -> str | None:
    """Why the current actor may not send this examined file (another department's: by its 填报单位 or by an
    indicator its department neither leads nor works on), as the load would refuse it; None when it may."""
    actor = current()
    if allowed(actor, UPLOAD_OTHER):
        return None
    foreign = [d for d in reported_for(validated, catalog) if not allowed(actor, UPLOAD, d)]
    names = {code: d.name for code, d in catalog.departments.items()}
    return refusal(actor, UPLOAD, foreign, names) if foreign else None


def require_page(action: str) -> None:
    """An admin page (its `action`: ACCOUNTS, READ_AUDIT) reached by a role without it (an address typed, an old
    link): a refusal, nothing else."""
    if not may(action):
        st.error(S.ADMIN_ONLY, icon=":material/block:")
        st.stop()


# ------------------------------------------------------------------ the sidebar
def _name_changed() -> None:
    s = st.session_state
    s[KEPT_NAME] = " ".join(str(s.get(NAME) or "").split())[:40]
    s[COOKIE_SET] = False


_COOKIE_JS = """<script>
window.parent.document.cookie = "%(name)s=%(value)s; path=/; max-age=%(age)d; SameSite=Strict";
</script>"""


def draw_identity() -> None:
    """The sidebar's top: who is logged in and 退出登录 (server mode), or 「您的姓名」 (personal mode)."""
    s = st.session_state
    with st.sidebar:
        if s.get(ACTOR) and Actor.from_dict(s[ACTOR]).account_id is not None:
            actor = current()
            st.markdown(fmt.plain(S.SIGNED_IN.format(who=who(actor, data.department_names()))))
            st.button(S.LOGOUT, key="logout", on_click=logout, icon=":material/logout:")
            return
        if KEPT_NAME not in s:
            s[KEPT_NAME] = _remembered() or ""
            s[COOKIE_SET] = True            # the cookie already says this
        s[NAME] = s[KEPT_NAME]
        st.text_input(S.MY_NAME, key=NAME, on_change=_name_changed, max_chars=40, placeholder=S.MY_NAME_PLACEHOLDER,
                      help=S.MY_NAME_HELP.format(user=os_user()))
        st.caption(S.PERSONAL_MODE_NOTE)
        if not s.get(COOKIE_SET):
            # the value is percent-encoded: only letters, digits and %_.~- reach the script
            st.iframe(_COOKIE_JS % {"name": COOKIE, "value": quote(s[KEPT_NAME], safe=""),
                                    "age": 0 if not s[KEPT_NAME] else 400 * 24 * 3600}, height=1)
            s[COOKIE_SET] = True
