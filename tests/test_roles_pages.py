"""Logins and roles on the pages (issue 13), through AppTest on a small warehouse with three accounts: server mode
shows the login form and nothing else; wrong passwords, the lock after five and the session's idle end say so in
Chinese; each role sees the controls it may use and no others; a 填报员's file for another department is refused
on the page and loads nothing; 账号管理 and 操作记录 are a 管理员's; personal mode records the name typed in the
sidebar."""
from __future__ import annotations

import datetime as dt
import io

import pandas as pd
import pytest

from conftest import long_rows, mini_catalog_bytes, mini_warehouse, open_app, xlsx
from accounts import add, list_accounts
from warehouse.access import ADMIN, REPORTER, VIEWER, personal_actor

pytestmark = pytest.mark.usefixtures("fast_hashes")

PASSWORD = "春天的风吹过田野"
ADMIN_NAME, REPORTER_NAME, VIEWER_NAME = "王敏", "张三", "李四"
TASKS = [["任务编码", "任务", "牵头单位", "完成时限"], ["T-01", "建设儿童友好医院", "卫健委", "2026-12-31"],
         ["T-02", "建设社区阅读点", "妇联", "2026-12-31"]]


@pytest.fixture
def office(tmp_path):
    """A small warehouse (卫生健康委 and 妇联, two tasks, one accepted file) with a 管理员, a 卫生健康委 填报员 and a
    查看者: server mode. Yields the warehouse's path."""
    m = mini_warehouse(tmp_path, mini_catalog_bytes(extra={"任务": TASKS}))
    m.load([("R-UP", "甲区", "2025", 90, 100, None)], dt.datetime(2026, 1, 10))
    first = personal_actor("管理员甲")
    add(m.con, ADMIN_NAME, ADMIN, PASSWORD, actor=first)
    add(m.con, REPORTER_NAME, REPORTER, PASSWORD, "卫生健康委", actor=first)
    add(m.con, VIEWER_NAME, VIEWER, PASSWORD, actor=first)
    m.con.close()
    yield tmp_path / "mini.duckdb"
    from ui.data import connection
    connection.clear()


def login(at, name: str, password: str = PASSWORD):
    at.text_input(key="login_name").input(name)
    at.text_input(key="login_password").input(password)
    return at.button(key="login_submit").click().run()


def opened(db, monkeypatch, name: str | None = None):
    at = open_app(db, monkeypatch)
    assert not at.exception
    if name:
        login(at, name)
        assert not at.exception and not at.error, [e.value for e in at.error]
    return at


def texts(at) -> str:
    """Every message, caption, heading and markdown of the run, as one text to search."""
    kinds = ("title", "header", "subheader", "markdown", "caption", "info", "warning", "error", "success")
    return "\n".join(str(e.value) for kind in kinds for e in at.get(kind))


def keys(at, kind: str) -> set[str]:
    return {w.key for w in at.get(kind) if getattr(w, "key", None)}


def observations() -> int:
    from ui.data import cursor
    return cursor().execute("SELECT count(*) FROM observation").fetchall()[0][0]


# ------------------------------------------------------------------ the login
def test_server_mode_shows_the_login_form_and_nothing_else(office, monkeypatch):
    at = opened(office, monkeypatch)
    assert at.title[0].value == "儿童友好城市建设监测看板"
    assert {t.label for t in at.text_input} == {"账号", "密码"}
    assert not at.sidebar.children                     # no filters, no name, no navigation's pages drawn by us
    assert not at.selectbox and not at.get("file_uploader") and not at.metric and not at.dataframe
    assert "筛选" not in texts(at) and "演示数据" not in texts(at)


def test_wrong_passwords_lock_the_account_and_the_right_one_works_after_the_lock(office, monkeypatch):
    from ui import session
    at = opened(office, monkeypatch)
    login(at, ADMIN_NAME, "不对的密码一二三")
    assert at.error[0].value.startswith("账号或密码不正确")
    assert at.text_input(key="login_password").value == ""          # never kept, never shown again
    assert at.text_input(key="login_name").value == ADMIN_NAME
    for _ in range(4):
        login(at, ADMIN_NAME, "不对的密码一二三")
    message = at.error[0].value
    assert "锁定至" in message and "还需等待约 15 分钟" in message and "不对的密码" not in message
    login(at, ADMIN_NAME)                                              # the right one, while locked
    assert "已锁定" in at.error[0].value and "还需等待约" in at.error[0].value and not at.sidebar.children
    later = dt.datetime.now() + dt.timedelta(minutes=16)
    monkeypatch.setattr(session, "clock", lambda: later)
    login(at, ADMIN_NAME)
    assert not at.error and at.title[0].value == "总览"
    assert any("当前用户：账号 王敏（管理员）" in m.value for m in at.sidebar.markdown)
    # idle longer than [accounts] session_idle_minutes (30): the login form again, saying why
    monkeypatch.setattr(session, "clock", lambda: later + dt.timedelta(minutes=31))
    at.run()
    assert at.text_input(key="login_name") and any("自动退出" in i.value for i in at.info)
    assert not at.sidebar.children


def test_a_disabled_account_and_the_logout_button(office, monkeypatch):
    at = opened(office, monkeypatch, VIEWER_NAME)
    at.button(key="logout").click().run()
    assert any("已退出登录" in i.value for i in at.info) and not at.sidebar.children
    from accounts import disable
    from ui.data import cursor
    login(at, VIEWER_NAME)
    disable(cursor(), VIEWER_NAME, actor=personal_actor("管理员甲"))
    at.run()                                          # the open session ends at its next run
    assert any("已被停用" in i.value for i in at.info)
    login(at, VIEWER_NAME)
    assert at.error[0].value == "账号已停用。如需使用，请联系管理员。"


# ------------------------------------------------------------------ what each role sees
WRITE_CONTROLS = {   # page → (widget kind, key) of the controls that change data
    "pages/upload.py": [("file_uploader", "uploads"), ("selectbox", "reopen_pick"), ("button", "reopen_go")],
    "pages/catalog.py": [("file_uploader", "catalog_upload"), ("button", "plan_start")],
    "pages/tasks.py": [("button", "evidence_save")],
    "pages/meeting.py": [("button", "meeting_start")],
}
MAY = {ADMIN: {"uploads", "reopen_pick", "reopen_go", "catalog_upload", "plan_start", "evidence_save", "meeting_start"},
       REPORTER: {"uploads", "evidence_save"}, VIEWER: set()}


@pytest.mark.parametrize("name, role", [(ADMIN_NAME, ADMIN), (REPORTER_NAME, REPORTER), (VIEWER_NAME, VIEWER)])
def test_each_role_sees_the_controls_it_may_use(office, monkeypatch, name, role):
    at = opened(office, monkeypatch, name)
    for page, controls in WRITE_CONTROLS.items():
        at.switch_page(page).run()
        assert not at.exception, page
        for kind, key in controls:
            shown = key in keys(at, kind)
            assert shown == (key in MAY[role]), (role, page, key)
        if role == VIEWER and page != "pages/meeting.py":   # the meeting has no controls to stand in for
            assert "您的账号为查看者，只能查看。" in texts(at), page
    at.switch_page("pages/upload.py").run()
    if role == REPORTER:
        assert "本部门报送清单" in texts(at) and "卫生健康委" in texts(at)
        dept = at.selectbox(key="template_dept")
        assert dept.options == ["卫生健康委"] and dept.disabled
    else:
        assert "本部门报送清单" not in texts(at)


def test_a_reporters_file_for_another_department_is_refused_and_loads_nothing(office, monkeypatch):
    at = opened(office, monkeypatch, REPORTER_NAME)
    at.switch_page("pages/upload.py").run()
    before = observations()
    foreign = xlsx([["填报单位", "妇联"], *long_rows(["C-ADD", "甲区", 2025, None, None, 5])])
    at.get("file_uploader")[0].set_value(("妇联_阅读点.xlsx", foreign, "application/octet-stream")).run()
    assert not at.exception
    dept = at.selectbox(key="dept_0_妇联_阅读点.xlsx")
    assert dept.options == ["卫生健康委"] and dept.disabled     # uploads as 卫生健康委 only
    assert any("不能导入" in e.value and "填报员只能上传本部门的文件" in e.value for e in at.error)
    at.button(key="confirm_upload").click().run()
    assert not at.exception
    assert any("1 个文件被拒收，没有导入任何数据" in e.value and "不能为 妇联 上传数据" in e.value for e in at.error)
    assert observations() == before
    from ui.data import cursor
    assert cursor().execute("SELECT outcome, received_by FROM receipt ORDER BY id DESC LIMIT 1").fetchall() == [
        ("refused", REPORTER_NAME)]
    # its own department's file loads, under its name
    own = xlsx([["填报单位", "卫健委"], *long_rows(["R-UP", "乙县", 2025, 45, 50, None])])
    at.get("file_uploader")[0].set_value(("卫健委_筛查.xlsx", own, "application/octet-stream")).run()
    at.button(key="confirm_upload").click().run()
    assert any("1 个文件已接收" in s.value for s in at.success)
    assert observations() == before + 1


def test_a_reporter_sees_what_was_returned_and_why(office, monkeypatch):
    at = opened(office, monkeypatch, REPORTER_NAME)
    at.switch_page("pages/upload.py").run()
    bad = xlsx([["填报单位", "卫健委"], *long_rows(["R-UP", "丙县", 2025, "很多", 50, None])])
    at.get("file_uploader")[0].set_value(("卫健委_有错.xlsx", bad, "application/octet-stream")).run()
    at.button(key="confirm_upload").click().run()
    at.run()
    tables = [d.value for d in at.dataframe]
    returned = next(t for t in tables if "问题和修改方法" in t.columns and "上传时间" in t.columns)
    assert set(returned["文件"]) == {"卫健委_有错.xlsx"} and returned["问题和修改方法"].str.len().min() > 0
    assert "没有等待审核的文件。" in texts(at)


def test_a_reporter_attaches_evidence_only_to_its_own_departments_tasks(office, monkeypatch):
    from ui.data import cursor
    at = opened(office, monkeypatch, REPORTER_NAME)
    at.switch_page("pages/tasks.py").run()
    task = at.selectbox(key="evidence_task")
    assert task.value == "T-01" and task.options[0].startswith("T-01")      # its own department's first
    assert "evidence_save" in keys(at, "button")
    task.select("T-02").run()                                             # 妇联's: shown, not attachable
    assert not at.exception and "evidence_save" not in keys(at, "button") and not at.get("file_uploader")
    assert "evidence_docno" not in keys(at, "text_input")
    assert any("这项任务由妇联牵头或配合" in i.value and "填报员只能为本部门" in i.value for i in at.info)
    at.selectbox(key="evidence_task").select("T-01").run()
    at.radio(key="evidence_how").set_value("填写文号").run()
    at.text_input(key="evidence_docno").input("德卫发〔2026〕3号")
    at.button(key="evidence_save").click().run()
    assert not at.exception and any("已保存：T\\-01 的文号" in s.value for s in at.success)   # fmt.plain
    assert cursor().execute("SELECT task_code, doc_number FROM task_evidence").fetchall() == [
        ("T-01", "德卫发〔2026〕3号")]
    admin = opened(office, monkeypatch, ADMIN_NAME)                      # a 管理员 attaches to any task
    admin.switch_page("pages/tasks.py").run()
    admin.selectbox(key="evidence_task").select("T-02").run()
    assert "evidence_save" in keys(admin, "button") and not any("牵头或配合" in i.value for i in admin.info)


# ------------------------------------------------------------------ 账号管理 and 操作记录
@pytest.mark.parametrize("page", ["pages/admin_accounts.py", "pages/audit_log.py"])
def test_a_viewer_cannot_reach_the_admin_pages(office, monkeypatch, page):
    for name in (VIEWER_NAME, REPORTER_NAME):   # 操作记录 too is a 管理员's (READ_AUDIT), not a 查看者's
        at = opened(office, monkeypatch, name)
        with pytest.raises(ValueError, match="Could not find a navigation page"):   # not in their navigation
            at.switch_page(page)
    admin = opened(office, monkeypatch, ADMIN_NAME)
    admin.switch_page(page).run()
    assert not admin.exception and admin.title[0].value in ("账号管理", "操作记录")


def test_an_admin_adds_an_account_on_the_page(office, monkeypatch):
    at = opened(office, monkeypatch, ADMIN_NAME)
    at.switch_page("pages/admin_accounts.py").run()
    listed = at.dataframe[0].value
    assert set(listed["账号"]) == {ADMIN_NAME, REPORTER_NAME, VIEWER_NAME}
    assert not any("hash" in c or "密码" in c for c in listed.columns)
    at.text_input(key="account_name").input("赵六")
    at.selectbox(key="account_role").select(REPORTER)
    at.selectbox(key="account_department").select("FL")
    at.text_input(key="account_password").input("夏天的雨落在河上")
    at.text_input(key="account_password_again").input("夏天的雨落在河上")
    at.button(key="account_add_submit").click().run()
    assert not at.exception and any("已添加账号「赵六」（填报员）" in s.value for s in at.success)
    assert at.text_input(key="account_password").value == ""
    from ui.data import cursor
    accounts = list_accounts(cursor()).set_index("name")
    assert accounts.loc["赵六", "role"] == REPORTER and accounts.loc["赵六", "department_code"] == "FL"
    assert "赵六" in set(at.dataframe[0].value["账号"])
    assert "夏天的雨" not in texts(at)
    # two passwords that differ: nothing added
    at.text_input(key="account_name").input("钱七")
    at.text_input(key="account_password").input("秋天的月亮很圆很亮")
    at.text_input(key="account_password_again").input("秋天的月亮很圆很暗")
    at.button(key="account_add_submit").click().run()
    assert any("两次输入的密码不一致" in e.value for e in at.error)
    assert "钱七" not in set(list_accounts(cursor())["name"])


def test_the_audit_page_shows_the_login_and_exports_csv(office, monkeypatch):
    kept = csv_kept(monkeypatch)
    at = opened(office, monkeypatch, ADMIN_NAME)
    at.switch_page("pages/audit_log.py").run()
    assert not at.exception
    rows = at.dataframe[0].value
    logins = rows[(rows["操作"] == "登录") & (rows["操作人"] == ADMIN_NAME)]
    assert len(logins) == 1 and logins.iloc[0]["角色"] == ADMIN and "登录成功" in logins.iloc[0]["详情"]
    assert "添加账号" in set(rows["操作"]) and "上传文件" not in set(rows["操作"])    # the last 30 days
    at.date_input(key="audit_from").set_value(dt.date(2026, 1, 1)).run()
    assert "上传文件" in set(at.dataframe[0].value["操作"])
    at.selectbox(key="audit_action").select("login").run()
    assert set(at.dataframe[0].value["操作"]) == {"登录"}
    assert len(at.get("download_button")) == 1
    name, csv = next((n, b) for n, b in reversed(kept.items()) if n and n.endswith(".csv"))
    assert name.startswith("操作记录_")
    assert csv.startswith("\ufeff".encode()) and PASSWORD.encode() not in csv
    table = pd.read_csv(io.BytesIO(csv), encoding="utf-8-sig")
    assert list(table.columns[:3]) == ["时间", "操作人", "角色"] and set(table["操作"]) == {"登录"}


def csv_kept(monkeypatch) -> dict[str, bytes]:
    """The files the page hands to its download buttons (AppTest keeps its media store only during a run)."""
    from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage
    kept: dict[str, bytes] = {}
    keep = MemoryMediaFileStorage.load_and_get_id

    def load_and_get_id(self, path_or_data, mimetype, kind, filename=None):
        kept[filename] = path_or_data
        return keep(self, path_or_data, mimetype, kind, filename)
    monkeypatch.setattr(MemoryMediaFileStorage, "load_and_get_id", load_and_get_id)
    return kept


# ------------------------------------------------------------------ personal mode
def test_personal_mode_has_no_login_and_records_the_name_typed(tmp_path, monkeypatch):
    m = mini_warehouse(tmp_path)
    m.con.close()
    at = opened(tmp_path / "mini.duckdb", monkeypatch)
    assert at.title[0].value == "总览" and "login_name" not in keys(at, "text_input")
    at.sidebar.text_input(key="my_name").input("  王 敏 ").run()
    at.switch_page("pages/upload.py").run()
    assert at.sidebar.text_input(key="my_name").value == "王 敏"            # kept across pages
    own = xlsx([["填报单位", "卫健委"], *long_rows(["R-UP", "甲区", 2025, 45, 50, None])])
    at.get("file_uploader")[0].set_value(("卫健委_筛查.xlsx", own, "application/octet-stream")).run()
    at.button(key="confirm_upload").click().run()
    assert any("1 个文件已接收" in s.value for s in at.success)
    from ui.data import cursor
    assert cursor().execute("SELECT received_by FROM submission").fetchall() == [("王 敏",)]
    assert cursor().execute("SELECT actor, role, account_id FROM audit_log WHERE action = 'upload'").fetchall() == [
        ("王 敏", ADMIN, None)]


# ------------------------------------------------------------------ approval (待审核)
def test_a_reporters_file_waits_until_an_admin_approves_it_on_the_upload_page(office, monkeypatch):
    from metrics.progress import progress_table
    from ui.data import cursor
    reporter = opened(office, monkeypatch, REPORTER_NAME)
    reporter.switch_page("pages/upload.py").run()
    own = xlsx([["填报单位", "卫健委"], *long_rows(["R-UP", "乙县", 2025, 30, 50, None])])
    reporter.get("file_uploader")[0].set_value(("卫健委_筛查.xlsx", own, "application/octet-stream")).run()
    reporter.button(key="confirm_upload").click().run()
    assert any("1 个文件待审核" in i.value for i in reporter.info)
    city = lambda: progress_table(cursor(), 2025, level="city").set_index("indicator").loc["R-UP"]  # noqa: E731
    assert (city()["numerator"], city()["denominator"]) == (90, 100)        # 甲区 alone: 乙县 waits
    reporter.switch_page("pages/upload.py").run()
    assert "卫健委_筛查.xlsx" in "\n".join(str(d.value) for d in reporter.dataframe)   # in its own checklist

    admin = opened(office, monkeypatch, ADMIN_NAME)
    admin.switch_page("pages/upload.py").run()
    assert any(s.value.startswith("待审核（1）") for s in admin.subheader)
    [submission_id] = {int(k.split("_")[1]) for k in keys(admin, "button") if k.startswith("approve_")}
    # the effect shown: the department's new file replaces its earlier one, 90/100 = 90.0% → 30/50 = 60.0%
    from ui import strings as S
    effect = next(d.value for d in admin.dataframe if S.UPLOAD_BEFORE in d.value.columns)
    assert effect[S.COLUMNS["indicator"]].tolist() == ["R-UP"]
    assert (effect[S.UPLOAD_BEFORE].tolist(), effect[S.UPLOAD_AFTER].tolist()) == (["90.0%"], ["60.0%"])
    admin.button(key=f"return_{submission_id}").click().run()            # a return needs its reason
    assert any("须填写原因" in e.value for e in admin.error)
    admin.button(key=f"approve_{submission_id}").click().run()
    assert not admin.exception
    assert any(f"已通过第 {submission_id} 号报送" in s.value for s in admin.success)
    assert (city()["numerator"], city()["denominator"]) == (30, 50)


def test_an_admin_reopens_an_approved_file_with_a_reason_and_its_figure_stops_counting(office, monkeypatch):
    from ingest.approval import state
    from metrics.progress import progress_table
    from ui.data import cursor

    def city():   # R-UP for the city in 2025: (numerator, denominator), None when nothing counts
        row = progress_table(cursor(), 2025, level="city").set_index("indicator").loc["R-UP"]
        return None if pd.isna(row["numerator"]) else (row["numerator"], row["denominator"])

    def reopened() -> list[tuple]:
        return cursor().execute("SELECT actor, role, object_id, detail FROM audit_log WHERE action = 'reopen'").fetchall()

    admin = opened(office, monkeypatch, ADMIN_NAME)
    admin.switch_page("pages/upload.py").run()
    [(submission_id,)] = cursor().execute("SELECT id FROM submission").fetchall()   # 甲区's 90/100, approved
    assert city() == (90, 100) and state(cursor(), submission_id) == "approved"
    assert not any(s.value.startswith("待审核") for s in admin.subheader)
    admin.selectbox(key="reopen_pick").select(submission_id).run()
    admin.button(key="reopen_go").click().run()                      # no reason: refused, nothing changes
    assert not admin.exception
    assert any(f"重新打开第 {submission_id} 号报送须填写原因" in e.value for e in admin.error)
    assert city() == (90, 100) and state(cursor(), submission_id) == "approved" and not reopened()
    admin.text_input(key="reopen_reason").input("  分母填成了上年的数  ")
    admin.button(key="reopen_go").click().run()
    assert not admin.exception and not admin.error
    assert any(f"已重新打开第 {submission_id} 号报送" in s.value for s in admin.success)
    assert city() is None and state(cursor(), submission_id) == "pending"   # back to 待审核, counts no more
    assert reopened() == [(ADMIN_NAME, ADMIN, str(submission_id), "f1.xlsx：重新打开。原因：分母填成了上年的数")]
    assert any(s.value.startswith("待审核（1）") for s in admin.subheader)
    assert "此前已通过，被重新打开：分母填成了上年的数" in texts(admin)
    assert "reopen_pick" not in keys(admin, "selectbox")                # nothing else approved
    history = next(d.value for d in admin.dataframe if "是否计入" in d.value.columns)
    assert history.set_index("编号").loc[submission_id, "是否计入"] == "待审核"


# ------------------------------------------------------------------ personal mode's first account
def test_the_first_account_added_says_so_on_the_login_page_it_leads_to(tmp_path, monkeypatch):
    m = mini_warehouse(tmp_path)
    m.con.close()
    at = opened(tmp_path / "mini.duckdb", monkeypatch)
    at.switch_page("pages/admin_accounts.py").run()
    at.text_input(key="account_name").input("王 敏")
    at.selectbox(key="account_role").select(ADMIN)
    at.text_input(key="account_password").input(PASSWORD)
    at.text_input(key="account_password_again").input(PASSWORD)
    at.button(key="account_add_submit").click().run()
    assert not at.exception
    # server mode now: the login form alone, saying why it appeared
    assert at.text_input(key="login_name") and not at.sidebar.children
    [note] = [s.value for s in at.success]
    assert "已添加账号「王 敏」（管理员）" in note and "服务器模式" in note and "请用该账号和刚才设置的密码登录" in note
    login(at, "王 敏", "不对的密码一二三")                                # still there after a wrong password
    assert any("服务器模式" in s.value for s in at.success)
    login(at, "王 敏")
    assert not at.exception and any("当前用户：账号 王 敏（管理员）" in m.value for m in at.sidebar.markdown)
    assert not any("已添加账号" in s.value for s in at.success)          # once: not again after the login
    at.switch_page("pages/admin_accounts.py").run()
    assert not any("已添加账号" in s.value for s in at.success)
    at.run()
    at.button(key="logout").click().run()
    assert not at.success and any("已退出登录" in i.value for i in at.info)
