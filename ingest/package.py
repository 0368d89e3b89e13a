"""City packages (城市数据包): what a city's office sends to the province, and how a province loads it.

`export_package` writes a city's current figures as Parquet files (DuckDB's COPY … TO … (FORMAT parquet),
built in): the current observations and register entries, the submissions they come from (lineage), the
catalog version in force, and manifest.json listing every file with its row count and SHA-256.

`receive_package` loads one package into a higher-level warehouse (a province's), checked like a
submission before anything is written: the manifest, every file's SHA-256 and row count, the catalog
(every indicator known to the province with the same definition) and the area tree (every area code under
the package's root in the province's tree). An accepted package becomes one submission (shape 'package',
department_code = the package's root area code), so a newer package from the same city supersedes the older
one — as a whole: what the older one reported and the newer one does not is withdrawn — and never another
city's. Its files are kept in the archive by SHA-256 and the load is journaled (`python -m ingest rebuild`).
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from warehouse import journal
from warehouse.access import PACKAGE, Actor, personal_actor, require
from warehouse.audit import record
from warehouse.db import bump_data_version, first_row, transaction, warehouse_archive

from .normalise import printable
from .pipeline import ACCEPTED, DUPLICATE, REJECTED, keep_in_archive

FORMAT = "cfc-city-package"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
SHAPE = "package"
MAX_NAMED = 10   # codes named in one problem; the rest are counted

# file stem → (what it is, in Chinese; the columns a province needs from it)
FILES: dict[str, tuple[str, tuple[str, ...]]] = {
    "observation": ("当前数据", ("submission_id", "indicator_code", "district_code", "year", "period", "numerator",
                                 "denominator", "value", "note")),
    "register_entry": ("当前台账", ("submission_id", "indicator_code", "district_code", "community_code", "year",
                                     "period", "flag", "started_on", "grade")),
    "submission": ("报送记录", ("id", "sha256", "file_name", "department_code", "received_at", "periods")),
    "catalog_indicator": ("指标体系·指标", ("code", "name", "kind", "unit", "scale", "accumulation",
                                            "reporting_basis")),
    "catalog_district": ("指标体系·区县", ("code", "name", "parent_code")),
    "catalog_community": ("指标体系·社区", ("code", "district_code", "name")),
    "catalog_load": ("指标体系版本", ("id", "sha256", "file_name", "loaded_at")),
}
KIND_WORDS = {"rate": "比率", "count": "数量", "register": "台账", "yesno": "是否"}
# what must agree between a package's indicator and the province's (类型, its details, 单位)
DEFINITION = (("kind", "类型"), ("unit", "单位"), ("scale", "比例基数"), ("accumulation", "累计方式"),
              ("reporting_basis", "填报口径"))


class PackageRefused(ValueError):
    """A package cannot be written; the message says why and what to do, in Chinese."""


def file_name(stem: str) -> str:
    return f"{stem}.parquet"


def _only(paths: dict[str, str], *stems: str) -> dict[str, str]:
    """The package files a query reads, as its named parameters ($observation …)."""
    return {stem: paths[stem] for stem in stems}


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# -------------------------------------------------------------------- export
def export_package(con: duckdb.DuckDBPyConnection, to: Path | str, at: dt.datetime | None = None) -> dict:
    """Write the warehouse's current figures to the empty (or new) folder `to`; returns the manifest.

    The catalog is the version in force at `at` (now); figures are current_observation() and
    current_register_entry(), as the dashboard shows them."""
    to = Path(to)
    if to.exists() and (not to.is_dir() or any(to.iterdir())):
        raise PackageRefused(f"文件夹 {printable(to)} 已存在且不是空文件夹。请指定一个新的（或空的）文件夹，以免覆盖或混入其他文件。")
    at = (at or dt.datetime.now()).replace(microsecond=0)
    version = first_row(con, "SELECT catalog_id_at(?)", [at])[0]
    if version is None:
        raise PackageRefused("数据库中还没有指标体系，无法导出。请先运行 python -m ingest catalog 导入指标体系。")
    roots = con.execute("SELECT code, name FROM catalog_district WHERE catalog_id = ? AND parent_code IS NULL",
                        [version]).fetchall()
    if len(roots) != 1:
        raise PackageRefused(f"指标体系「区县」表中有 {len(roots)} 个没有上级代码的地区（应当只有一个，即本市或本地区）。"
                             "请在指标体系中为除本级以外的每个地区填写上级代码后再导出。")
    root_code, root_name = roots[0]
    load = first_row(con, "SELECT sha256, file_name, loaded_at FROM catalog_load WHERE id = ?", [version])
    queries = {
        "observation": "SELECT * FROM current_observation() ORDER BY indicator_code, district_code, period",
        "register_entry": "SELECT * FROM current_register_entry() ORDER BY indicator_code, community_code, period",
        # lineage of the figures; who received or filled a file (names, phones) stays in the city
        "submission": "SELECT id, sha256, file_name, shape, department_code, periods, received_at, submitted_on, "
                      "revert_of, n_rows FROM submission WHERE id IN (SELECT submission_id FROM current_observation() "
                      "UNION SELECT submission_id FROM current_register_entry()) ORDER BY id",
        "catalog_indicator": "SELECT * FROM catalog_indicator WHERE catalog_id = $version ORDER BY sort_order, code",
        "catalog_district": "SELECT * FROM catalog_district WHERE catalog_id = $version ORDER BY sort_order, code",
        "catalog_community": "SELECT * FROM catalog_community WHERE catalog_id = $version ORDER BY district_code, code",
        "catalog_load": "SELECT * FROM catalog_load WHERE id = $version",
    }
    to.mkdir(parents=True, exist_ok=True)
    listed = []
    for stem, sql in queries.items():
        path = to / file_name(stem)
        con.sql(sql, params={"version": version} if "$version" in sql else None).write_parquet(str(path))
        rows = first_row(con, "SELECT count(*) FROM read_parquet(?)", [str(path)])[0]
        listed.append({"name": path.name, "rows": int(rows), "sha256": _sha256(path.read_bytes())})
    manifest = {"format": FORMAT, "format_version": FORMAT_VERSION,
                "area": {"code": root_code, "name": root_name},
                "exported_at": at.isoformat(),
                "catalog": {"sha256": load[0], "file_name": load[1], "loaded_at": load[2].isoformat()},
                "files": listed}
    (to / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return manifest


# -------------------------------------------------------------------- import
@dataclass
class PackageResult:
    package: str                       # the folder (or journal entry) it came from
    status: str                        # accepted | rejected | duplicate
    problems: list[str] = field(default_factory=list)
    area_code: str | None = None
    area_name: str | None = None
    exported_at: str | None = None
    file_name: str | None = None       # the submission's name: "<area> 数据包 <exported_at>"
    submission_id: int | None = None
    observations: int = 0
    register_entries: int = 0
    withdrawn: int = 0                 # indicator × period an older package of the area reported, this one not


def read_folder(directory: Path | str) -> tuple[bytes | None, dict[str, bytes]]:
    """A package folder's manifest and the files it lists (those present)."""
    directory = Path(directory)
    path = directory / MANIFEST
    if not path.is_file():
        return None, {}
    data = path.read_bytes()
    files = {}
    for name in (name for name in _listed_names(data) if name in _EXPECTED):
        if (directory / name).is_file():
            files[name] = (directory / name).read_bytes()
    return data, files


_EXPECTED = {file_name(stem) for stem in FILES}


def _listed_names(manifest: bytes) -> list[str]:
    try:
        listed = json.loads(manifest.decode("utf-8")).get("files", [])
        return [str(f.get("name")) for f in listed if isinstance(f, dict)]
    except (ValueError, AttributeError):
        return []


def receive_folder(con: duckdb.DuckDBPyConnection, directory: Path | str, archive_root: Path | str | None = None,
                   received_at: dt.datetime | None = None, received_by: str | None = None, *,
                   actor: Actor | None = None) -> PackageResult:
    """Check and (when clean) load the package in `directory`."""
    manifest, files = read_folder(directory)
    return receive_package(con, manifest, files, str(directory), archive_root, received_at, received_by,
                           actor=actor)


def _manifest(data: bytes | None) -> tuple[dict | None, list[str]]:
    """The manifest, checked for what the rest of the checks rely on."""
    if data is None:
        return None, [f"数据包中没有 {MANIFEST}（文件清单）。请把城市导出的整个文件夹原样发送，不要只发送其中的 Parquet 文件。"]
    try:
        m = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return None, [f"{MANIFEST} 无法读取（不是 UTF-8 编码的 JSON）。文件可能在传送中损坏，请城市重新运行 "
                      "python -m ingest export 导出后再发送。"]
    problems = []
    if not isinstance(m, dict) or m.get("format") != FORMAT:
        return None, [f"{MANIFEST} 不是本系统导出的城市数据包清单。请用 python -m ingest export 导出。"]
    if m.get("format_version") != FORMAT_VERSION:
        return None, [f"数据包格式版本为 {m.get('format_version')!s:.20}，本系统只能读取第 {FORMAT_VERSION} 版。"
                      "请双方使用同一版本的监测系统后重新导出。"]
    area = m.get("area") if isinstance(m.get("area"), dict) else {}
    if not area.get("code") or not area.get("name") or not m.get("exported_at"):
        problems.append(f"{MANIFEST} 缺少导出地区（area）或导出时间（exported_at）。请城市重新导出数据包。")
    try:
        dt.datetime.fromisoformat(str(m.get("exported_at")))
    except ValueError:
        problems.append(f"{MANIFEST} 中的导出时间「{str(m.get('exported_at'))[:40]}」格式不正确。请城市重新导出数据包。")
    listed = m.get("files")
    if not isinstance(listed, list) or not all(
            isinstance(f, dict) and {"name", "rows", "sha256"} <= f.keys() for f in listed):
        problems.append(f"{MANIFEST} 中的文件列表（files）不完整：每个文件须有 name、rows、sha256。请城市重新导出数据包。")
        return None, problems
    names = [str(f["name"]) for f in listed]
    unknown = [n for n in names if n not in _EXPECTED]
    if unknown:
        problems.append(f"{MANIFEST} 列出了不属于数据包的文件：{'、'.join(n[:60] for n in unknown[:MAX_NAMED])}。"
                        "请使用 python -m ingest export 导出的原始文件夹。")
    twice = sorted({n for n in names if names.count(n) > 1})
    if twice:
        problems.append(f"{MANIFEST} 中 {'、'.join(n[:60] for n in twice)} 列出了不止一次。请城市重新导出数据包。")
    missing = sorted(_EXPECTED - set(names))
    if missing:
        problems.append(f"{MANIFEST} 没有列出 {'、'.join(missing)}。请城市重新导出数据包。")
    return (None if problems else m), problems


def _check_files(con, m: dict, files: dict[str, bytes], folder: Path) -> list[str]:
    """Every listed file present, with its SHA-256 and row count; its columns readable."""
    problems = []
    for entry in m["files"]:
        name = str(entry["name"])
        what = FILES[name.removesuffix(".parquet")][0]
        data = files.get(name)
        if data is None:
            problems.append(f"缺少文件 {name}（{what}）。请把城市导出的整个文件夹原样发送。")
            continue
        if _sha256(data) != entry["sha256"]:
            problems.append(f"文件 {name}（{what}）的 SHA-256 校验值与 {MANIFEST} 不符：文件在导出后被改动或传送中损坏。"
                            "数据包未导入；请城市重新导出后再发送，不要打开或修改其中的文件。")
            continue
        path = folder / name
        path.write_bytes(data)
        try:
            rows = first_row(con, "SELECT count(*) FROM read_parquet(?)", [str(path)])[0]
            columns = {r[0] for r in con.execute("DESCRIBE SELECT * FROM read_parquet(?)", [str(path)]).fetchall()}
        except duckdb.Error:
            problems.append(f"文件 {name}（{what}）不是可读取的 Parquet 文件。请城市重新导出数据包。")
            continue
        if rows != entry["rows"]:
            problems.append(f"文件 {name}（{what}）有 {rows} 行，{MANIFEST} 中写的是 {entry['rows']} 行。"
                            "请城市重新导出数据包。")
        lacking = [c for c in FILES[name.removesuffix(".parquet")][1] if c not in columns]
        if lacking:
            problems.append(f"文件 {name}（{what}）缺少列 {'、'.join(lacking)}。请使用同一版本的监测系统重新导出。")
    return problems


def _named(codes: list[tuple]) -> str:
    shown = "、".join(f"{c}（{n}）" if n else str(c) for c, n in codes[:MAX_NAMED])
    return shown + (f" 等 {len(codes)} 个" if len(codes) > MAX_NAMED else "")


def _check_fit(con, m: dict, folder: Path) -> list[str]:
    """The package against the province's catalog in force: its area tree and its indicators."""
    p = {stem: str(folder / file_name(stem)) for stem in FILES}   # bound as $observation, $catalog_district …
    problems = []
    root, root_name = str(m["area"]["code"]), str(m["area"]["name"])
    own_root = con.execute("SELECT code FROM read_parquet(?) WHERE parent_code IS NULL",
                           [p["catalog_district"]]).fetchall()
    if [r[0] for r in own_root] != [root]:
        problems.append(f"{MANIFEST} 中的导出地区 {root} 与数据包指标体系中的本级地区不一致。请城市重新导出数据包。")
    if not first_row(con, "SELECT count(*) FROM district WHERE code = ?", [root])[0]:
        return problems + [f"数据包的导出地区 {root}（{root_name}）不在本级指标体系的「区县」表中。请在本级指标体系中"
                           f"加入该地区（统计代码 {root}，上级代码填所属的上级地区）后重新导入，或核对是否发错了数据包。"]
    # every area code the package uses (its rows and its own tree) must be the root or under it here
    outside = con.execute("""
        WITH RECURSIVE under(code) AS (
            SELECT $root UNION SELECT d.code FROM district d JOIN under u ON d.parent_code = u.code),
        used AS (SELECT district_code AS code FROM read_parquet($observation)
                 UNION SELECT district_code FROM read_parquet($register_entry)
                 UNION SELECT code FROM read_parquet($catalog_district))
        SELECT u.code, any_value(pd.name) FROM used u
        LEFT JOIN read_parquet($catalog_district) pd ON pd.code = u.code
        WHERE u.code NOT IN (SELECT code FROM under) GROUP BY u.code ORDER BY u.code""",
        {"root": root, **_only(p, "observation", "register_entry", "catalog_district")}).fetchall()
    if outside:
        problems.append(f"数据包中的地区 {_named(outside)} 不在本级指标体系「区县」表中 {root}（{root_name}）之下。"
                        "请核对这些区县的统计代码和上级代码：在本级指标体系中补上，或请城市更正其指标体系后重新导出。")
    # every indicator the package has (its catalog and its rows) must be the province's, defined the same way
    rows_only = con.execute("""
        SELECT DISTINCT indicator_code, NULL FROM (
            SELECT indicator_code FROM read_parquet($observation)
            UNION SELECT indicator_code FROM read_parquet($register_entry))
        WHERE indicator_code NOT IN (SELECT code FROM read_parquet($catalog_indicator)) ORDER BY 1""",
        _only(p, "observation", "register_entry", "catalog_indicator")).fetchall()
    if rows_only:
        problems.append(f"数据包中有指标 {_named(rows_only)} 的数据，但数据包的指标体系中没有这些指标。请城市重新导出数据包。")
    pairs = con.execute(f"""
        SELECT pk.code, pk.name, i.code IS NOT NULL, {', '.join(f'pk.{c}, i.{c}' for c, _ in DEFINITION)}
        FROM read_parquet($catalog_indicator) pk LEFT JOIN indicator i ON i.code = pk.code
        ORDER BY pk.sort_order, pk.code""", _only(p, "catalog_indicator")).fetchall()
    unknown = [(code, name) for code, name, known, *_ in pairs if not known]
    if unknown:
        problems.append(f"指标 {_named(unknown)} 不在本级指标体系中。请在本级指标体系中增加这些指标（编码、类型、单位与城市一致），"
                        "或请城市确认指标编码后重新导出。")
    for code, name, known, *values in pairs:
        if not known:
            continue
        differ = [f"{title}：城市为「{_word(values[2 * k])}」，本级为「{_word(values[2 * k + 1])}」"
                  for k, (_, title) in enumerate(DEFINITION) if values[2 * k] != values[2 * k + 1]]
        if differ:
            problems.append(f"指标 {code}（{name}）的定义与本级指标体系不同（{'；'.join(differ)}），数据无法汇总。"
                            "请双方核对指标体系，统一该指标的定义后重新导出、导入。")
    # a register's units must be on the province's master list, in the same area
    units = con.execute("""
        SELECT DISTINCT r.community_code, pc.name FROM read_parquet($register_entry) r
        LEFT JOIN read_parquet($catalog_community) pc ON pc.code = r.community_code
        WHERE NOT EXISTS (SELECT 1 FROM community c
                          WHERE c.code = r.community_code AND c.district_code = r.district_code)
        ORDER BY 1""", _only(p, "register_entry", "catalog_community")).fetchall()
    if units:
        problems.append(f"台账中的社区 {_named(units)} 不在本级指标体系的「社区」名册中（或所属区县不同）。"
                        "请在本级社区名册中补上这些社区，或请城市核对社区代码后重新导出。")
    return problems


def _word(value) -> str:
    if value is None:
        return "空"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return KIND_WORDS.get(value, str(value))


def receive_package(con: duckdb.DuckDBPyConnection, manifest: bytes | None, files: dict[str, bytes],
                    label: str, archive_root: Path | str | None = None, received_at: dt.datetime | None = None,
                    received_by: str | None = None, *, actor: Actor | None = None) -> PackageResult:
    """Check one package (its manifest's bytes and its files' bytes by name) and load it when clean, in one
    transaction with its audit row. A refused package writes nothing: no row, no archived file, no journal
    line. A 管理员's change (personal mode: one named `received_by`); NotAllowed for the other roles."""
    actor = actor or personal_actor(received_by)
    require(actor, PACKAGE)
    received_at = received_at or dt.datetime.now()
    received_by = received_by or actor.name
    m, problems = _manifest(manifest)
    if m is None:
        return PackageResult(label, REJECTED, problems)
    result = PackageResult(label, REJECTED, area_code=str(m["area"]["code"]), area_name=str(m["area"]["name"]),
                           exported_at=str(m["exported_at"]))
    result.file_name = f"{result.area_name} 数据包 {dt.datetime.fromisoformat(result.exported_at).isoformat(' ')}"
    with tempfile.TemporaryDirectory(prefix="cfc-package-") as tmp:
        folder = Path(tmp)
        result.problems = _check_files(con, m, files, folder)
        if result.problems:
            return result
        sha = _sha256(manifest)
        earlier = first_row(con, "SELECT id FROM submission WHERE sha256 = ? AND shape = ? AND status = 'accepted' "
                                 "ORDER BY id LIMIT 1", [sha, SHAPE])
        if earlier:
            result.status, result.submission_id = DUPLICATE, earlier[0]
            return result
        result.problems = _check_fit(con, m, folder)
        if result.problems:
            return result
        archive = Path(archive_root) if archive_root is not None else warehouse_archive(con)
        stored = {}
        if archive is not None:
            for name, data in [(MANIFEST, manifest), *((str(f["name"]), files[str(f["name"])]) for f in m["files"])]:
                path = keep_in_archive(archive, _sha256(data), data, name, received_at, received_by)
                stored[name] = path.relative_to(archive).as_posix()
        _write(con, result, m, manifest, files, folder, stored, received_at, received_by, actor)
    if archive is not None:
        journal.write(con, "package", package=label, manifest=stored[MANIFEST],
                      files={k: v for k, v in stored.items() if k != MANIFEST},
                      received_at=received_at, received_by=received_by, actor=actor)
    return result


def _write(con, result: PackageResult, m: dict, manifest: bytes, files: dict[str, bytes], folder: Path,
           stored: dict[str, str], received_at: dt.datetime, received_by: str | None, actor: Actor) -> None:
    obs, reg = str(folder / file_name("observation")), str(folder / file_name("register_entry"))
    obs_name, reg_name = file_name("observation"), file_name("register_entry")
    sha = _sha256(manifest)
    periods = [r[0] for r in con.execute(
        "SELECT DISTINCT period FROM (SELECT period FROM read_parquet($obs) "
        "UNION ALL SELECT period FROM read_parquet($reg)) ORDER BY 1", {"obs": obs, "reg": reg}).fetchall()]
    n_obs, n_reg = (int(f["rows"]) for name in (obs_name, reg_name) for f in m["files"] if f["name"] == name)
    with transaction(con):
        for name, data in [(MANIFEST, manifest), *((str(f["name"]), files[str(f["name"])]) for f in m["files"])]:
            con.execute("INSERT OR IGNORE INTO received_file VALUES (?, ?, ?, ?)",
                        [_sha256(data), len(data), "json" if name == MANIFEST else "parquet",
                         stored.get(name, name)])
        sid = first_row(con, """
            INSERT INTO submission (sha256, file_name, shape, department_code, periods, status, received_at,
                                    received_by, submitted_on, n_rows, n_errors, n_warnings)
            VALUES (?, ?, ?, ?, ?, 'accepted', ?, ?, ?, ?, 0, 0) RETURNING id""",
            [sha, result.file_name, SHAPE, result.area_code, periods, received_at, received_by,
             dt.datetime.fromisoformat(result.exported_at).date(), n_obs + n_reg])[0]
        # sheet = the package's file, row_number = the row in it (from 1), a cell = column[row]
        con.execute("""
            INSERT INTO observation
            SELECT $sid, indicator_code, district_code, year, period, numerator, denominator, value, note,
                   $file, file_row_number + 1,
                   CASE WHEN numerator IS NOT NULL THEN concat('numerator[', file_row_number + 1, ']') END,
                   CASE WHEN denominator IS NOT NULL THEN concat('denominator[', file_row_number + 1, ']') END,
                   CASE WHEN value IS NOT NULL THEN concat('value[', file_row_number + 1, ']') END
            FROM read_parquet($path, file_row_number = true) ORDER BY file_row_number""",
                    {"sid": sid, "file": obs_name, "path": obs})
        con.execute("""
            INSERT INTO register_entry
            SELECT $sid, indicator_code, district_code, community_code, year, period, flag, started_on, grade,
                   $file, file_row_number + 1, concat('flag[', file_row_number + 1, ']')
            FROM read_parquet($path, file_row_number = true) ORDER BY file_row_number""",
                    {"sid": sid, "file": reg_name, "path": reg})
        # A package is the city's whole current state: what an older package of the same area reported, and
        # this one does not, is withdrawn (it reads 无数据 again, as in the city).
        con.execute("""
            INSERT INTO withdrawal
            SELECT DISTINCT $sid, c.indicator_code, c.period FROM current_submission() c
            WHERE c.department_code = $area AND c.submission_id <> $sid
              AND (EXISTS (SELECT 1 FROM observation o WHERE o.submission_id = c.submission_id
                           AND o.indicator_code = c.indicator_code AND o.period = c.period)
                   OR EXISTS (SELECT 1 FROM register_entry r WHERE r.submission_id = c.submission_id
                              AND r.indicator_code = c.indicator_code AND r.period = c.period))
              -- (this package is not yet in submission_scope: what it reports itself is not withdrawn)
              AND NOT EXISTS (SELECT 1 FROM observation o WHERE o.submission_id = $sid
                              AND o.indicator_code = c.indicator_code AND o.period = c.period)
              AND NOT EXISTS (SELECT 1 FROM register_entry r WHERE r.submission_id = $sid
                              AND r.indicator_code = c.indicator_code AND r.period = c.period)""",
                    {"sid": sid, "area": result.area_code})
        result.withdrawn = first_row(con, "SELECT count(*) FROM withdrawal WHERE submission_id = ?", [sid])[0]
        con.execute("INSERT INTO receipt (sha256, file_name, received_at, received_by, outcome, submission_id) "
                    "VALUES (?, ?, ?, ?, 'accepted', ?)", [sha, result.file_name, received_at, received_by, sid])
        bump_data_version(con)
        record(con, actor, PACKAGE, "submission", sid,
               f"{result.file_name}：当前数据 {n_obs} 行，台账 {n_reg} 行，撤下 {result.withdrawn} 项", received_at)
    result.status, result.submission_id = ACCEPTED, sid
    result.observations, result.register_entries = n_obs, n_reg


@journal.replays("package")
def _replay_package(con, archive: Path, package: str, manifest: str, files: dict, received_at: str,
                    received_by, actor: dict | None = None) -> None:
    receive_package(con, (archive / manifest).read_bytes(),
                    {name: (archive / stored).read_bytes() for name, stored in files.items()}, package,
                    warehouse_archive(con), journal.moment(received_at), received_by, actor=Actor.from_dict(actor))
