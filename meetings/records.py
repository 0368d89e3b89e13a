"""Writing meeting records and action items. Every change is a new row, with its audit row in the same
transaction; nothing is updated or deleted. Meetings and action items are a 管理员's changes."""
from __future__ import annotations

import datetime as dt

import duckdb

from warehouse import journal
from warehouse.access import ACTION_ITEM, MEETING, Actor, personal_actor, require
from warehouse.audit import record
from warehouse.db import bump_data_version, first_row, transaction

OPEN, DONE = "进行中", "已完成"
DUE_AFTER = dt.timedelta(days=14)   # an action item set in a meeting is due two meetings later


def default_due(held_on: dt.date) -> dt.date:
    return held_on + DUE_AFTER


def start_meeting(con: duckdb.DuckDBPyConnection, title: str, held_on: dt.date | None = None,
                  departments: list[str] | None = None, at: dt.datetime | None = None,
                  created_at: dt.datetime | None = None, *, actor: Actor | None = None) -> int:
    """Record a meeting whose figures are frozen at `at` (now by default). Returns its id."""
    actor = actor or personal_actor()
    require(actor, MEETING)
    at = at or dt.datetime.now()
    held_on, departments, created_at = held_on or at.date(), departments or [], created_at or dt.datetime.now()
    with transaction(con):
        meeting = first_row(con, "INSERT INTO meeting (held_on, title, departments, as_of, created_at) "
                                 "VALUES (?, ?, ?, ?, ?) RETURNING id", [held_on, title, departments, at, created_at])[0]
        bump_data_version(con)
        record(con, actor, MEETING, "meeting", meeting, f"{title}（{held_on}，数据截至 {at:%Y-%m-%d %H:%M}）", created_at)
    journal.write(con, "meeting", title=title, held_on=held_on, departments=departments, at=at,
                  created_at=created_at, actor=actor)
    return meeting


@journal.replays("meeting")
def _replay_meeting(con, archive, title, held_on, departments, at, created_at, actor=None) -> None:
    start_meeting(con, title, journal.day(held_on), departments, journal.moment(at), journal.moment(created_at),
                  actor=Actor.from_dict(actor))


def add_action_item(con: duckdb.DuckDBPyConnection, meeting_id: int, department_code: str, promise: str,
                    due_on: dt.date, indicator_code: str | None = None, district_code: str | None = None,
                    task_code: str | None = None, by_whom: str | None = None,
                    at: dt.datetime | None = None, *, actor: Actor | None = None) -> int:
    """Create a 督办事项 in a meeting; its first state is 进行中, recorded by `by_whom` (the actor's name)."""
    actor = actor or personal_actor(by_whom)
    require(actor, ACTION_ITEM)
    if not promise.strip():
        raise ValueError("督办事项须写明承诺的内容")
    at, by_whom = at or dt.datetime.now(), by_whom or actor.name
    with transaction(con):
        item = first_row(con, "INSERT INTO action_item (meeting_id, indicator_code, district_code, task_code, "
                              "department_code, promise, due_on, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
                              "RETURNING id",
                         [meeting_id, indicator_code, district_code, task_code, department_code, promise.strip(),
                          due_on, at])[0]
        con.execute("INSERT INTO action_item_event VALUES (?, ?, ?, ?, ?)", [item, at, OPEN, None, by_whom])
        bump_data_version(con)
        record(con, actor, ACTION_ITEM, "action_item", item,
               f"第 {meeting_id} 次会议新增督办事项（{department_code}，{due_on} 前）：{promise.strip()}", at)
    journal.write(con, "action_item", meeting_id=meeting_id, department_code=department_code, promise=promise,
                  due_on=due_on, indicator_code=indicator_code, district_code=district_code, task_code=task_code,
                  by_whom=by_whom, at=at, actor=actor)
    return item


@journal.replays("action_item")
def _replay_action_item(con, archive, meeting_id, department_code, promise, due_on, indicator_code, district_code,
                        task_code, by_whom, at, actor=None) -> None:
    add_action_item(con, meeting_id, department_code, promise, journal.day(due_on), indicator_code, district_code,
                    task_code, by_whom, journal.moment(at), actor=Actor.from_dict(actor))


def set_action_item_state(con: duckdb.DuckDBPyConnection, item_id: int, state: str, note: str | None = None,
                          by_whom: str | None = None, at: dt.datetime | None = None, *,
                          actor: Actor | None = None) -> None:
    """Close (已完成) or reopen (进行中) an action item; the change joins its history."""
    actor = actor or personal_actor(by_whom)
    require(actor, ACTION_ITEM)
    if state not in (OPEN, DONE):
        raise ValueError(f"状态只能是 {OPEN} 或 {DONE}")
    at, by_whom = at or dt.datetime.now(), by_whom or actor.name
    with transaction(con):
        con.execute("INSERT INTO action_item_event VALUES (?, ?, ?, ?, ?)", [item_id, at, state, note, by_whom])
        bump_data_version(con)
        record(con, actor, ACTION_ITEM, "action_item", item_id, f"督办事项改为 {state}" + (f"：{note}" if note else ""), at)
    journal.write(con, "action_state", item_id=item_id, state=state, note=note, by_whom=by_whom, at=at, actor=actor)


@journal.replays("action_state")
def _replay_action_state(con, archive, item_id, state, note, by_whom, at, actor=None) -> None:
    set_action_item_state(con, item_id, state, note, by_whom, journal.moment(at), actor=Actor.from_dict(actor))
