"""The audit trail (操作记录): one append-only row per change — who, in which role, when, what, on which
object, from which address. A change writes its row inside its own transaction, so a change without its
row (or a row without its change) cannot be committed. Rows are never updated or deleted."""
from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import duckdb

if TYPE_CHECKING:   # only named in annotations: reading a file (a worker process) need not import pandas
    import pandas as pd

from .access import Actor

# audit actions beyond the permission table's (warehouse.access): account changes and logins
ACCOUNT_ADD, ACCOUNT_DISABLE, ACCOUNT_ENABLE, ACCOUNT_RESET = "account_add", "account_disable", "account_enable", \
    "account_reset"
LOGIN, LOGIN_FAILED = "login", "login_failed"

WORDS = {"upload": "上传文件", "approve": "审核通过", "return": "退回", "reopen": "重新打开", "revert": "恢复历史报送",
         "catalog": "导入指标体系", "meeting": "开始周例会", "action_item": "督办事项", "task_evidence": "佐证材料",
         "package": "导入城市数据包", "backup": "备份数据库", "restore": "恢复数据库", ACCOUNT_ADD: "添加账号", ACCOUNT_DISABLE: "停用账号",
         ACCOUNT_ENABLE: "启用账号", ACCOUNT_RESET: "重设密码", LOGIN: "登录", LOGIN_FAILED: "登录失败"}
MAX_DETAIL = 500


def record(con: duckdb.DuckDBPyConnection, actor: Actor, action: str, object_kind: str | None,
           object_id: object, detail: str | None = None, at: dt.datetime | None = None) -> None:
    """Append one row. Runs in the caller's transaction (it opens none): call it before the caller commits.
    `at`: the change's own time (received_at, loaded_at …), so replaying the journal writes the same row."""
    con.execute("INSERT INTO audit_log (occurred_at, actor, role, department_code, account_id, address, action, "
                "object_kind, object_id, detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [at or dt.datetime.now(), actor.name, actor.role, actor.department, actor.account_id,
                 actor.address, action, object_kind, None if object_id is None else str(object_id),
                 None if detail is None else detail[:MAX_DETAIL]])


def audit_rows(con: duckdb.DuckDBPyConnection, since: dt.datetime | None = None, until: dt.datetime | None = None,
               actor: str | None = None, action: str | None = None) -> pd.DataFrame:
    """The trail, newest first, optionally from `since`, before `until`, by one person (name) or of one action."""
    return con.execute(
        "SELECT id, occurred_at, actor, role, department_code, account_id, address, action, object_kind, object_id, detail "
        "FROM audit_log WHERE ($since IS NULL OR occurred_at >= $since) AND ($until IS NULL OR occurred_at < $until) "
        "AND ($actor IS NULL OR actor = $actor) AND ($action IS NULL OR action = $action) ORDER BY occurred_at DESC, id DESC",
        {"since": since, "until": until, "actor": actor, "action": action}).df()
