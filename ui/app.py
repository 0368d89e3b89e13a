"""The dashboard's entry: page config, the warehouse, the login (server mode), the navigation and the page, with
a page's failure explained in Chinese. app.py calls `main()`; so does a page opened straight from its address (below)."""
from __future__ import annotations

import threading

import streamlit as st

from ui import session
from ui import strings as S
from warehouse.access import ACCOUNTS, READ_AUDIT, NotAllowed, allowed
from ui.data import connection

_run = threading.local()   # a script run is one thread: marks a run that went through main()


def main() -> None:
    # the favicon stays an emoji: a Material icon as favicon is fetched from fonts.gstatic.com (outside host)
    st.set_page_config(page_title=S.APP_TITLE, page_icon="🧒", layout="wide")
    connection()  # opens the warehouse, building the demo one on first start
    actor = session.gate()
    # a 管理员's pages, in the navigation only for a role the permission table allows them
    admin_pages = [st.Page(path, title=title, icon=icon) for path, title, icon, action in (
        ("pages/admin_accounts.py", S.PAGE_ACCOUNTS, ":material/manage_accounts:", ACCOUNTS),
        ("pages/audit_log.py", S.PAGE_AUDIT, ":material/history:", READ_AUDIT),
    ) if actor is not None and allowed(actor, action)]
    pages = [
        st.Page("pages/overview.py", title=S.PAGE_OVERVIEW, icon=":material/dashboard:", default=True),
        st.Page("pages/meeting.py", title=S.PAGE_MEETING, icon=":material/event:"),
        st.Page("pages/indicator.py", title=S.PAGE_INDICATOR, icon=":material/show_chart:"),
        st.Page("pages/districts.py", title=S.PAGE_DISTRICTS, icon=":material/map:"),
        st.Page("pages/submissions.py", title=S.PAGE_SUBMISSIONS, icon=":material/assignment_turned_in:"),
        st.Page("pages/tasks.py", title=S.PAGE_TASKS, icon=":material/checklist:"),
        st.Page("pages/upload.py", title=S.PAGE_UPLOAD, icon=":material/upload_file:"),
        st.Page("pages/quality.py", title=S.PAGE_QUALITY, icon=":material/fact_check:"),
        st.Page("pages/catalog.py", title=S.PAGE_CATALOG, icon=":material/menu_book:"),
        *admin_pages,
    ]
    if actor is None:   # server mode without a valid session: the login form alone, no navigation, no sidebar
        st.navigation(pages, position="hidden")   # keeps the address asked for (/upload) for after the login
        session.login_page()
        st.stop()
    page = st.navigation(pages)
    _run.navigated = True
    try:
        page.run()
    except NotAllowed as refused:   # a change the role may not make, reached some way the page did not expect
        st.error(str(refused), icon=":material/block:")
    except Exception as error:  # noqa: BLE001 — the page says what went wrong in Chinese instead of a traceback
        from ui.data import explain_failure
        explain_failure(error)
    finally:
        _run.navigated = False


def through_main() -> None:
    """Called first by every page. A browser opening a page's address in a new session (a shared link,
    a reload) makes Streamlit run that file alone, since the folder is named pages/: without the app's
    layout and navigation. Such a run goes through main() instead, and the lone run stops."""
    if not getattr(_run, "navigated", False):
        main()
        st.stop()
