-- The warehouse schema: the one place tables and views are defined.
-- Submissions are append-only: nothing is ever updated in place or deleted,
-- except the catalog tables, which are replaced as a whole by a new catalog, and an account's
-- state (disabled, password, failed logins), each change with its row in audit_log.

CREATE TABLE IF NOT EXISTS meta (
    key   VARCHAR PRIMARY KEY,
    value VARCHAR
);

-- ---------------------------------------------------------------- catalog
-- Every catalog load is a version: nothing is overwritten. The tables catalog_* keep every
-- version (catalog_id = catalog_load.id); the views indicator, target … show the latest, and
-- the macros indicator_at(as_of) … the version in force at a moment, so past figures and past
-- meetings use the targets, districts and master list as they stood then.
CREATE TABLE IF NOT EXISTS catalog_load (
    id        INTEGER PRIMARY KEY,
    sha256    VARCHAR NOT NULL,
    file_name VARCHAR NOT NULL,
    loaded_at TIMESTAMP NOT NULL
);

CREATE TABLE IF NOT EXISTS catalog_indicator (
    catalog_id       INTEGER NOT NULL,
    code             VARCHAR NOT NULL,
    sort_order       INTEGER NOT NULL,
    area             VARCHAR NOT NULL,
    action           VARCHAR NOT NULL,
    name             VARCHAR NOT NULL,
    kind             VARCHAR NOT NULL,    -- rate | count | register | yesno
    scale            INTEGER,             -- rate: 100 (%) or 1000 (‰)
    accumulation     VARCHAR,             -- count: annual | cumulative
    reporting_basis  VARCHAR,             -- count: additions | running_total
    numerator_def    VARCHAR,
    denominator_def  VARCHAR,
    unit             VARCHAR NOT NULL,
    direction        VARCHAR NOT NULL,    -- higher | lower
    upper_bound      DOUBLE,              -- largest plausible value, in unit
    lead_department  VARCHAR NOT NULL,
    co_departments   VARCHAR[] NOT NULL,
    frequency        VARCHAR NOT NULL,    -- year | quarter | month
    baseline_year    INTEGER,
    baseline_value   DOUBLE,              -- the city's baseline (stock, for cumulative counts)
    source           VARCHAR,
    gap_phrase       VARCHAR,             -- "还需筛查{n}名儿童"
    quarter_profile  DOUBLE[],            -- 季度进度: share of a year's count expected by each quarter's end
    catalog_row      INTEGER NOT NULL,
    note             VARCHAR,             -- 口径说明: the choice made where the plan is ambiguous (issue 11)
    PRIMARY KEY (catalog_id, code)
);

CREATE TABLE IF NOT EXISTS catalog_target (
    catalog_id     INTEGER NOT NULL,
    indicator_code VARCHAR NOT NULL,
    year           INTEGER NOT NULL,
    value          DOUBLE NOT NULL,
    level          VARCHAR NOT NULL,      -- 国家 | 省 | 市 | 县
    district_code  VARCHAR,               -- a target split to one district (任务分解); NULL = the level as a whole
    nature         VARCHAR,               -- at_least | at_most | about | reach; NULL = by the indicator's direction
    source         VARCHAR,
    provisional    BOOLEAN NOT NULL,      -- a placeholder (来源 says 默认/待确认), not a plan target
    catalog_row    INTEGER NOT NULL
);

-- A district's own baseline (区县基线): where its cumulative stock starts.
CREATE TABLE IF NOT EXISTS catalog_baseline (
    catalog_id     INTEGER NOT NULL,
    indicator_code VARCHAR NOT NULL,
    district_code  VARCHAR NOT NULL,
    year           INTEGER NOT NULL,
    value          DOUBLE NOT NULL,
    source         VARCHAR,
    catalog_row    INTEGER NOT NULL
);

CREATE TABLE IF NOT EXISTS catalog_district (
    catalog_id  INTEGER NOT NULL,
    code        VARCHAR NOT NULL,
    sort_order  INTEGER NOT NULL,
    name        VARCHAR NOT NULL,
    aliases     VARCHAR[] NOT NULL,
    parent_code VARCHAR,                  -- NULL for the city itself
    kind        VARCHAR NOT NULL,         -- 市 | 区 | 县 | 功能区
    PRIMARY KEY (catalog_id, code)
);

CREATE TABLE IF NOT EXISTS catalog_department (
    catalog_id INTEGER NOT NULL,
    code       VARCHAR NOT NULL,
    name       VARCHAR NOT NULL,
    aliases    VARCHAR[] NOT NULL,
    contact    VARCHAR,
    phone      VARCHAR,
    PRIMARY KEY (catalog_id, code)
);

CREATE TABLE IF NOT EXISTS catalog_task (     -- 任务清单: the plan's tasks
    catalog_id      INTEGER NOT NULL,
    code            VARCHAR NOT NULL,
    sort_order      INTEGER NOT NULL,
    action          VARCHAR,
    name            VARCHAR NOT NULL,
    lead_department VARCHAR NOT NULL,
    co_departments  VARCHAR[] NOT NULL,
    due_on          DATE,                 -- NULL: the plan gives no date (shown 待确认)
    evidence        VARCHAR,              -- the evidence expected: 文号, 链接, 照片 …
    catalog_row     INTEGER NOT NULL,
    category        VARCHAR,              -- 任务 | 成果 (预期成果清单) | 政策 (政策举措清单) (issue 11)
    note            VARCHAR,
    source          VARCHAR,              -- where the plan says it
    PRIMARY KEY (catalog_id, code)
);

-- Warehouses built before issue 11: the same columns, added at the end as above (no-ops on a new warehouse).
ALTER TABLE catalog_indicator ADD COLUMN IF NOT EXISTS note VARCHAR;
ALTER TABLE catalog_indicator ADD COLUMN IF NOT EXISTS breakdowns VARCHAR[] DEFAULT [];   -- 分组 (issue 11)
ALTER TABLE catalog_indicator ADD COLUMN IF NOT EXISTS age_groups VARCHAR[] DEFAULT [];   -- 年龄组
ALTER TABLE catalog_task ADD COLUMN IF NOT EXISTS category VARCHAR;
ALTER TABLE catalog_task ADD COLUMN IF NOT EXISTS note VARCHAR;
ALTER TABLE catalog_task ADD COLUMN IF NOT EXISTS source VARCHAR;
-- (and catalog_task.due_on loses its NOT NULL: ingest/db.py _migrate_columns)

CREATE TABLE IF NOT EXISTS catalog_community (
    catalog_id    INTEGER NOT NULL,
    code          VARCHAR NOT NULL,
    district_code VARCHAR NOT NULL,
    street        VARCHAR NOT NULL,
    name          VARCHAR NOT NULL,
    urban_rural   VARCHAR NOT NULL,       -- 城镇 | 农村
    PRIMARY KEY (catalog_id, code)
);

-- The catalog version in force at a moment: the last loaded by then (the first one for
-- moments before any load, as with demo submissions dated before the catalog was loaded).
CREATE OR REPLACE MACRO catalog_id_at(as_of) AS
    (SELECT coalesce(max(id) FILTER (WHERE loaded_at <= as_of), min(id)) FROM catalog_load);

CREATE OR REPLACE MACRO indicator_at(as_of := TIMESTAMP '9999-12-31') AS TABLE
    SELECT * EXCLUDE (catalog_id) FROM catalog_indicator WHERE catalog_id = catalog_id_at(as_of);
CREATE OR REPLACE MACRO target_at(as_of := TIMESTAMP '9999-12-31') AS TABLE
    SELECT * EXCLUDE (catalog_id) FROM catalog_target WHERE catalog_id = catalog_id_at(as_of);
CREATE OR REPLACE MACRO baseline_at(as_of := TIMESTAMP '9999-12-31') AS TABLE
    SELECT * EXCLUDE (catalog_id) FROM catalog_baseline WHERE catalog_id = catalog_id_at(as_of);
CREATE OR REPLACE MACRO district_at(as_of := TIMESTAMP '9999-12-31') AS TABLE
    SELECT * EXCLUDE (catalog_id) FROM catalog_district WHERE catalog_id = catalog_id_at(as_of);
CREATE OR REPLACE MACRO community_at(as_of := TIMESTAMP '9999-12-31') AS TABLE
    SELECT * EXCLUDE (catalog_id) FROM catalog_community WHERE catalog_id = catalog_id_at(as_of);

CREATE OR REPLACE VIEW indicator AS SELECT * FROM indicator_at();
CREATE OR REPLACE VIEW target AS SELECT * FROM target_at();
CREATE OR REPLACE VIEW baseline AS SELECT * FROM baseline_at();
CREATE OR REPLACE VIEW district AS SELECT * FROM district_at();
CREATE OR REPLACE VIEW community AS SELECT * FROM community_at();
CREATE OR REPLACE VIEW department AS
    SELECT * EXCLUDE (catalog_id) FROM catalog_department WHERE catalog_id = catalog_id_at(TIMESTAMP '9999-12-31');
CREATE OR REPLACE VIEW task AS
    SELECT * EXCLUDE (catalog_id) FROM catalog_task WHERE catalog_id = catalog_id_at(TIMESTAMP '9999-12-31');

-- ------------------------------------------------------------ submissions
-- One row per distinct file (by content); the bytes live in the archive.
CREATE TABLE IF NOT EXISTS received_file (
    sha256       VARCHAR PRIMARY KEY,
    size_bytes   BIGINT NOT NULL,
    file_kind    VARCHAR,                 -- xlsx | xls | csv | NULL when unreadable
    archive_path VARCHAR NOT NULL
);

-- One row per time a file arrived, duplicates included.
CREATE SEQUENCE IF NOT EXISTS receipt_id;
CREATE TABLE IF NOT EXISTS receipt (
    id            INTEGER PRIMARY KEY DEFAULT nextval('receipt_id'),
    sha256        VARCHAR NOT NULL,
    file_name     VARCHAR NOT NULL,
    received_at   TIMESTAMP NOT NULL,
    received_by   VARCHAR,
    outcome       VARCHAR NOT NULL,       -- accepted | rejected | duplicate | revert
    submission_id INTEGER                 -- the submission this receipt created or repeated
);

-- One row per file that was examined (the first receipt of its bytes).
CREATE SEQUENCE IF NOT EXISTS submission_id;
CREATE TABLE IF NOT EXISTS submission (
    id              INTEGER PRIMARY KEY DEFAULT nextval('submission_id'),
    sha256          VARCHAR NOT NULL,
    file_name       VARCHAR NOT NULL,
    shape           VARCHAR,              -- template | long | register
    department_code VARCHAR,
    periods         VARCHAR[] NOT NULL,   -- the 统计期 the file reports
    status          VARCHAR NOT NULL,     -- accepted | rejected
    received_at     TIMESTAMP NOT NULL,
    received_by     VARCHAR,
    filled_by       VARCHAR,              -- 填报人 from the file's header
    phone           VARCHAR,
    submitted_on    DATE,                 -- 报送日期 from the file's header
    n_rows          INTEGER NOT NULL,
    n_errors        INTEGER NOT NULL,
    n_warnings      INTEGER NOT NULL,
    revert_of       INTEGER,             -- a revert: the earlier submission made current again
    needs_approval  BOOLEAN DEFAULT false -- loaded as 待审核: counts once a 管理员 approves it (approval_event)
);
-- Warehouses built before approval (issue 13): every earlier submission counted at once.
ALTER TABLE submission ADD COLUMN IF NOT EXISTS needs_approval BOOLEAN DEFAULT false;

-- 审核: each decision on a submission, in order; append-only. A submission's state at a moment is its latest
-- decision by then, or before any decision 待审核 (needs_approval) or approved (the rest).
CREATE SEQUENCE IF NOT EXISTS approval_event_id;
CREATE TABLE IF NOT EXISTS approval_event (
    id            INTEGER PRIMARY KEY DEFAULT nextval('approval_event_id'),
    submission_id INTEGER NOT NULL,
    decision      VARCHAR NOT NULL,       -- approved | returned | reopened (reopened: 待审核 again)
    decided_at    TIMESTAMP NOT NULL,
    actor         VARCHAR NOT NULL,       -- the person's name
    role          VARCHAR NOT NULL,
    reason        VARCHAR                 -- required to return or reopen
);

CREATE TABLE IF NOT EXISTS submission_issue (
    submission_id INTEGER NOT NULL,
    severity      VARCHAR NOT NULL,       -- error | warning
    sheet         VARCHAR,
    cell          VARCHAR,
    rule          VARCHAR NOT NULL,
    value         VARCHAR,
    message       VARCHAR NOT NULL
);

-- One reported figure for an indicator, district and period, with its cells.
CREATE TABLE IF NOT EXISTS observation (
    submission_id    INTEGER NOT NULL,
    indicator_code   VARCHAR NOT NULL,
    district_code    VARCHAR NOT NULL,
    year             INTEGER NOT NULL,
    period           VARCHAR NOT NULL,    -- YYYY | YYYY-Qn | YYYY-MM
    numerator        DOUBLE,
    denominator      DOUBLE,
    value            DOUBLE,              -- counts and yes/no (1/0); NULL for rates
    note             VARCHAR,
    sheet            VARCHAR NOT NULL,
    row_number       INTEGER NOT NULL,
    numerator_cell   VARCHAR,
    denominator_cell VARCHAR,
    value_cell       VARCHAR
);

-- A part of an observation (分组): its figure for one 性别, 年龄组 or 城乡, reported beside the total
-- in the same file. Checked at the door to add up to the total; current exactly when its total is.
CREATE TABLE IF NOT EXISTS observation_part (
    submission_id    INTEGER NOT NULL,
    indicator_code   VARCHAR NOT NULL,
    district_code    VARCHAR NOT NULL,
    year             INTEGER NOT NULL,
    period           VARCHAR NOT NULL,
    dimension        VARCHAR NOT NULL,    -- 性别 | 年龄组 | 城乡
    part             VARCHAR NOT NULL,    -- 男 | 女 | 0-3岁 … | 城镇 | 乡村
    numerator        DOUBLE,
    denominator      DOUBLE,
    value            DOUBLE,
    sheet            VARCHAR NOT NULL,
    row_number       INTEGER NOT NULL,
    numerator_cell   VARCHAR,
    denominator_cell VARCHAR,
    value_cell       VARCHAR
);

-- A revert withdraws what later files reported for the reverted file's periods but the file itself
-- did not: the revert becomes current for them with no figure, so they read as missing again.
CREATE TABLE IF NOT EXISTS withdrawal (
    submission_id  INTEGER NOT NULL,
    indicator_code VARCHAR NOT NULL,
    period         VARCHAR NOT NULL
);

-- A 合计 row as the department reported it: checked at the door, never part of
-- the figures, kept so later revisions can be compared with what was sent.
CREATE TABLE IF NOT EXISTS reported_total (
    submission_id  INTEGER NOT NULL,
    indicator_code VARCHAR NOT NULL,
    period         VARCHAR NOT NULL,
    numerator      DOUBLE,
    denominator    DOUBLE,
    value          DOUBLE,
    sheet          VARCHAR NOT NULL,
    row_number     INTEGER NOT NULL
);

-- One unit (社区/村) of a register (台账), matched to the master list.
CREATE TABLE IF NOT EXISTS register_entry (
    submission_id  INTEGER NOT NULL,
    indicator_code VARCHAR NOT NULL,
    district_code  VARCHAR NOT NULL,
    community_code VARCHAR NOT NULL,
    year           INTEGER NOT NULL,
    period         VARCHAR NOT NULL,
    flag           BOOLEAN NOT NULL,
    started_on     VARCHAR,
    grade          VARCHAR,
    sheet          VARCHAR NOT NULL,
    row_number     INTEGER NOT NULL,
    flag_cell      VARCHAR NOT NULL
);

-- --------------------------------------------------------------- meetings
-- A weekly coordination meeting is a record: its figures are those received by `as_of`,
-- frozen when the meeting was started, so opening it later shows exactly what was shown.
CREATE SEQUENCE IF NOT EXISTS meeting_id;
CREATE TABLE IF NOT EXISTS meeting (
    id          INTEGER PRIMARY KEY DEFAULT nextval('meeting_id'),
    held_on     DATE NOT NULL,
    title       VARCHAR NOT NULL,
    departments VARCHAR[] NOT NULL,       -- attending department codes
    as_of       TIMESTAMP NOT NULL,       -- the moment its figures were frozen at
    created_at  TIMESTAMP NOT NULL
);

-- 督办事项: a promise made in a meeting, tied to an indicator (and district) or to a task.
CREATE SEQUENCE IF NOT EXISTS action_item_id;
CREATE TABLE IF NOT EXISTS action_item (
    id              INTEGER PRIMARY KEY DEFAULT nextval('action_item_id'),
    meeting_id      INTEGER NOT NULL,
    indicator_code  VARCHAR,
    district_code   VARCHAR,
    task_code       VARCHAR,
    department_code VARCHAR NOT NULL,
    promise         VARCHAR NOT NULL,
    due_on          DATE NOT NULL,
    created_at      TIMESTAMP NOT NULL
);

-- Every change of an action item's state, in order: 进行中 when created, then 已完成 / 重新打开 ….
CREATE TABLE IF NOT EXISTS action_item_event (
    action_item_id INTEGER NOT NULL,
    changed_at     TIMESTAMP NOT NULL,
    state          VARCHAR NOT NULL,      -- 进行中 | 已完成
    note           VARCHAR,
    by_whom        VARCHAR
);

-- ----------------------------------------------------------------- periods
-- The last day a 统计期 covers: YYYY → Dec 31, YYYY-Qn → quarter end, YYYY-MM → month end.
CREATE OR REPLACE MACRO period_end(p) AS
    CASE WHEN length(p) = 4 THEN make_date(CAST(p AS INTEGER), 12, 31)
         WHEN p LIKE '%Q%' THEN last_day(make_date(CAST(left(p, 4) AS INTEGER), CAST(right(p, 1) AS INTEGER) * 3, 1))
         ELSE last_day(make_date(CAST(left(p, 4) AS INTEGER), CAST(right(p, 2) AS INTEGER), 1)) END;

-- The same period a year earlier: 2025 → 2024, 2025-Q3 → 2024-Q3, 2025-07 → 2024-07 (warehouse.periods.year_before).
CREATE OR REPLACE MACRO year_before(p) AS CAST(CAST(left(p, 4) AS INTEGER) - 1 AS VARCHAR) || substr(p, 5);

-- Is period p within the years first..last? A range of the period text ("2024" … "2025-12" sort inside
-- ["2024", "2025~"]), so that a scan skips row groups by it and it can be pushed under a window keyed on p.
CREATE OR REPLACE MACRO period_in_years(p, first_year, last_year) AS
    p BETWEEN CAST(first_year AS VARCHAR) AND CAST(last_year AS VARCHAR) || '~';

-- A department's report on a plan task: its state on a date, with the evidence.
CREATE TABLE IF NOT EXISTS task_update (
    submission_id INTEGER NOT NULL,
    task_code     VARCHAR NOT NULL,
    state         VARCHAR NOT NULL,       -- 未启动 | 推进中 | 已完成 (逾期 is derived from the due date)
    updated_on    DATE,
    evidence      VARCHAR,
    note          VARCHAR,
    sheet         VARCHAR NOT NULL,
    row_number    INTEGER NOT NULL,
    state_cell    VARCHAR NOT NULL
);

-- ------------------------------------------------------- current figures
-- A submission replaces, for its department, the indicators and periods it
-- reports: the latest accepted one received by `as_of` counts, earlier ones
-- stay in history, superseded. Should two departments report the same
-- indicator, district and period, the later submission's figure counts.
-- What each submission reports (its indicators × periods, withdrawals included), kept when it is loaded
-- (warehouse.db.bump_data_version) so that "what is current" never rescans millions of register rows.
CREATE TABLE IF NOT EXISTS submission_scope (
    submission_id  INTEGER NOT NULL,
    indicator_code VARCHAR NOT NULL,
    period         VARCHAR NOT NULL
);

-- Each accepted submission received by `as_of` with its approval state then: pending | approved | returned.
CREATE OR REPLACE MACRO approval_state(as_of := TIMESTAMP '9999-12-31') AS TABLE
    SELECT s.id AS submission_id, s.department_code, s.received_at,
           CASE WHEN e.decision IS NULL THEN CASE WHEN s.needs_approval THEN 'pending' ELSE 'approved' END
                WHEN e.decision = 'reopened' THEN 'pending' ELSE e.decision END AS state,
           e.decision AS last_decision, e.decided_at, e.reason
    FROM submission s
    LEFT JOIN (SELECT submission_id, arg_max(decision, (decided_at, id)) AS decision,
                      max(decided_at) AS decided_at, arg_max(reason, (decided_at, id)) AS reason
               FROM approval_event WHERE decided_at <= as_of GROUP BY submission_id) e ON e.submission_id = s.id
    WHERE s.status = 'accepted' AND s.received_at <= as_of;

-- The submissions whose figures count at `as_of`: accepted, received by then and approved by then (or not
-- needing approval). Metrics, meetings and the briefing see nothing else.
CREATE OR REPLACE MACRO counted_submission(as_of := TIMESTAMP '9999-12-31') AS TABLE
    SELECT submission_id AS id, department_code, received_at FROM approval_state(as_of := as_of)
    WHERE state = 'approved';

CREATE OR REPLACE MACRO reported(as_of := TIMESTAMP '9999-12-31') AS TABLE
    SELECT s.id AS submission_id, s.department_code, s.received_at, x.indicator_code, x.period
    FROM counted_submission(as_of := as_of) s
    JOIN submission_scope x ON x.submission_id = s.id;

CREATE OR REPLACE MACRO current_submission(as_of := TIMESTAMP '9999-12-31') AS TABLE
    SELECT department_code, indicator_code, period,
           arg_max(submission_id, (received_at, submission_id)) AS submission_id
    FROM reported(as_of := as_of)
    GROUP BY ALL;

CREATE OR REPLACE MACRO current_observation(as_of := TIMESTAMP '9999-12-31') AS TABLE
    SELECT o.*
    FROM observation o
    JOIN current_submission(as_of := as_of) c USING (submission_id, indicator_code, period)
    JOIN submission s ON s.id = o.submission_id
    QUALIFY row_number() OVER (PARTITION BY o.indicator_code, o.district_code, o.period
                               ORDER BY s.received_at DESC, s.id DESC) = 1;

CREATE OR REPLACE MACRO current_register_entry(as_of := TIMESTAMP '9999-12-31') AS TABLE
    SELECT r.*
    FROM register_entry r
    JOIN current_submission(as_of := as_of) c USING (submission_id, indicator_code, period)
    JOIN submission s ON s.id = r.submission_id
    QUALIFY row_number() OVER (PARTITION BY r.indicator_code, r.community_code, r.period
                               ORDER BY s.received_at DESC, s.id DESC) = 1;

-- ------------------------------------------------------- evidence for tasks (佐证材料)
-- A file a department attached (kept in the archive by SHA-256, never opened or rendered) or a document
-- number (文号). One row per piece; nothing is updated or deleted.
CREATE TABLE IF NOT EXISTS task_evidence (
    task_code   VARCHAR NOT NULL,
    kind        VARCHAR NOT NULL,         -- file | docno
    sha256      VARCHAR,                  -- a file's content
    file_name   VARCHAR,
    file_type   VARCHAR,                  -- pdf | png | jpg | doc | docx
    size_bytes  BIGINT,
    doc_number  VARCHAR,                  -- a 文号 typed instead of a file
    received_at TIMESTAMP NOT NULL,
    received_by VARCHAR
);

-- ------------------------------------------------------- accounts and the audit trail (issue 13)
-- Server mode is on as soon as one account exists. The password is kept only as an Argon2id hash.
CREATE SEQUENCE IF NOT EXISTS account_id;
CREATE TABLE IF NOT EXISTS account (
    id              INTEGER PRIMARY KEY DEFAULT nextval('account_id'),
    name            VARCHAR NOT NULL UNIQUE,
    role            VARCHAR NOT NULL,         -- 管理员 | 填报员 | 查看者
    department_code VARCHAR,                  -- a 填报员's department; NULL for the others
    password_hash   VARCHAR NOT NULL,
    disabled        BOOLEAN NOT NULL DEFAULT false,
    created_at      TIMESTAMP NOT NULL,
    failed_count    INTEGER NOT NULL DEFAULT 0,   -- wrong passwords since the last login or lock
    locked_until    TIMESTAMP,
    last_login      TIMESTAMP
);

-- 操作记录: one row per change, login and failed login; append-only, written in the change's transaction.
CREATE SEQUENCE IF NOT EXISTS audit_id;
CREATE TABLE IF NOT EXISTS audit_log (
    id              INTEGER PRIMARY KEY DEFAULT nextval('audit_id'),
    occurred_at     TIMESTAMP NOT NULL,
    actor           VARCHAR NOT NULL,         -- the person's name
    role            VARCHAR NOT NULL,
    department_code VARCHAR,
    account_id      INTEGER,                  -- NULL in personal mode
    address         VARCHAR,                  -- the browser's address, 命令行 …
    action          VARCHAR NOT NULL,         -- upload | revert | catalog | meeting | action_item | … | login
    object_kind     VARCHAR,                  -- submission | receipt | catalog | meeting | action_item | task | account
    object_id       VARCHAR,
    detail          VARCHAR
);
