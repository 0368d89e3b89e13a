"""Who may change what (issue 13): the person acting, the three roles, and the one table of permissions.

Every function that changes the warehouse takes an `Actor` and calls `require` before it changes anything,
so a role is enforced where the data changes, not only by hiding a button. In personal mode (no account in
the warehouse) the actor is `personal_actor()`: a 管理员 named by the sidebar or the computer's user.
"""
from __future__ import annotations

import getpass
from dataclasses import asdict, dataclass
from typing import Iterable

import duckdb

ADMIN, REPORTER, VIEWER = "管理员", "填报员", "查看者"
ROLES = (ADMIN, REPORTER, VIEWER)
COMMAND_LINE = "命令行"   # the address of a change made with python -m ingest / python -m accounts

# actions (the words of the permission table, of `require` and of the 操作记录)
UPLOAD, UPLOAD_OTHER = "upload", "upload_for_other_department"
APPROVE, RETURN, REOPEN, REVERT = "approve", "return", "reopen", "revert"
CATALOG, MEETING, ACTION_ITEM = "catalog", "meeting", "action_item"
TASK_EVIDENCE, TASK_EVIDENCE_OTHER = "task_evidence", "task_evidence_for_other_department"
PACKAGE, ACCOUNTS, BACKUP, RESTORE, READ_AUDIT = "package", "accounts", "backup", "restore", "read_audit"

PERMISSIONS: dict[str, frozenset[str]] = {
    UPLOAD: frozenset({ADMIN, REPORTER}),            # a 填报员: only its own department's files (UPLOAD_OTHER)
    UPLOAD_OTHER: frozenset({ADMIN}),
    APPROVE: frozenset({ADMIN}),
    RETURN: frozenset({ADMIN}),
    REOPEN: frozenset({ADMIN}),                      # an approved submission back to 待审核
    REVERT: frozenset({ADMIN}),
    CATALOG: frozenset({ADMIN}),
    MEETING: frozenset({ADMIN}),
    ACTION_ITEM: frozenset({ADMIN}),
    TASK_EVIDENCE: frozenset({ADMIN, REPORTER}),     # a 填报员: only tasks its department leads or works on
    TASK_EVIDENCE_OTHER: frozenset({ADMIN}),
    PACKAGE: frozenset({ADMIN}),
    ACCOUNTS: frozenset({ADMIN}),
    BACKUP: frozenset({ADMIN}),
    RESTORE: frozenset({ADMIN}),
    READ_AUDIT: frozenset({ADMIN}),                  # 操作记录: a 管理员's page (a 查看者 reads the figures)
}
# An action bound to a department, and the action that allows it for any department.
FOR_OTHERS = {UPLOAD: UPLOAD_OTHER, TASK_EVIDENCE: TASK_EVIDENCE_OTHER}

WORDS = {UPLOAD: "上传数据", UPLOAD_OTHER: "为其他部门上传数据", APPROVE: "审核通过报送", RETURN: "退回报送",
         REOPEN: "重新打开已审核的报送", REVERT: "恢复历史报送", CATALOG: "更换指标体系", MEETING: "开始周例会",
         ACTION_ITEM: "添加或更改督办事项",
         TASK_EVIDENCE: "添加佐证材料", TASK_EVIDENCE_OTHER: "为其他部门的任务添加佐证材料",
         PACKAGE: "导入城市数据包", ACCOUNTS: "管理账号", BACKUP: "备份数据库", RESTORE: "恢复数据库",
         READ_AUDIT: "查看操作记录"}
_FOR_WHAT = {UPLOAD: ("上传数据", "填报员只能上传本部门的文件", "上传"),   # (what, why, the verb of what to do)
             TASK_EVIDENCE: ("的任务添加佐证材料", "填报员只能为本部门牵头或配合的任务添加佐证材料", "添加")}


@dataclass(frozen=True)
class Actor:
    """The person behind a change: a logged-in account, or in personal mode whoever uses this computer."""
    name: str
    role: str
    department: str | None = None      # a 填报员's department code
    address: str | None = None         # where the request came from (the browser's address, 命令行 …)
    account_id: int | None = None      # None in personal mode

    def as_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, fields: dict | None) -> Actor | None:
        return None if fields is None else cls(**fields)


class NotAllowed(Exception):
    """The actor's role does not allow the change; the message says who, what, why and what to do, in Chinese."""


def os_user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "本机用户"


def personal_actor(name: str | None = None, address: str | None = None) -> Actor:
    """Personal mode (no accounts): everyone at this computer is a 管理员, recorded under the name typed
    in the sidebar, or the computer's user."""
    name = " ".join(str(name or "").split())
    return Actor(name or os_user(), ADMIN, address=address)


def _departments(department: str | Iterable[str] | None) -> tuple[str, ...]:
    if department is None:
        return ()
    return (department,) if isinstance(department, str) else tuple(department)


def allowed(actor: Actor, action: str, department: str | Iterable[str] | None = None) -> bool:
    """May `actor` do `action`? `department`: the department (or any of the departments, e.g. a task's
    lead and co-departments) the change is for; None asks about the role alone."""
    if actor.role not in PERMISSIONS[action]:
        return False
    wanted = _departments(department)
    if action in FOR_OTHERS and wanted and actor.department not in wanted:
        return actor.role in PERMISSIONS[FOR_OTHERS[action]]
    return True


def who(actor: Actor, names: dict[str, str] | None = None) -> str:
    """张三（填报员，卫生健康委） for an account, 张三（管理员） in personal mode."""
    dept = (names or {}).get(actor.department, actor.department) if actor.department else None
    return ("账号 " if actor.account_id is not None else "") + f"{actor.name}（{actor.role}{'，' + dept if dept else ''}）"


def refusal(actor: Actor, action: str, department: str | Iterable[str] | None = None,
            names: dict[str, str] | None = None) -> str | None:
    """None when `allowed`; else why not, in Chinese: who, what, why and what to do.
    `names`: department code → name, for the message."""
    if allowed(actor, action, department):
        return None
    names = names or {}
    if actor.role in PERMISSIONS[action] and action in _FOR_WHAT:
        what, why, verb = _FOR_WHAT[action]
        other = "、".join(names.get(d, d) for d in _departments(department))
        return f"{who(actor, names)}不能为 {other} {what}：{why}。请由{other}的填报员{verb}，或联系管理员。"
    what = WORDS[action]
    if actor.role == VIEWER:
        return f"{who(actor, names)}不能{what}：查看者只能查看，不能修改数据。如需{what}，请联系管理员。"
    roles = "或".join(r for r in ROLES if r in PERMISSIONS[action])
    return f"{who(actor, names)}不能{what}：只有{roles}可以{what}。请联系管理员。"


def require(actor: Actor, action: str, department: str | Iterable[str] | None = None,
            names: dict[str, str] | None = None) -> None:
    """Raise NotAllowed (with `refusal`'s message) unless `allowed`."""
    message = refusal(actor, action, department, names)
    if message:
        raise NotAllowed(message)


def server_mode(con: duckdb.DuckDBPyConnection) -> bool:
    """True as soon as the warehouse holds an account (a disabled one too): every page then asks for a login.
    (accounts.server_mode; here so that every floor can ask.)"""
    return con.execute("SELECT count(*) FROM account").fetchall()[0][0] > 0


def department_names(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """Department code → name in the current catalog, for messages."""
    return dict(con.execute("SELECT code, name FROM department").fetchall())
