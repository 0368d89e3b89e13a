"""Checks at the door (ingest.gate.check) and the message a user then sees through pipeline.examine."""
from __future__ import annotations

import dataclasses
import io
import random
import re
import struct
import time
import types
import zipfile

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings as hyp_settings, strategies as st
from openpyxl import Workbook

from conftest import xlsx
from ingest import gate, pipeline, workbook
from warehouse.config import settings
from ingest.gate import OLE_MAGIC, GateResult, check
from ingest.pipeline import examine
from ingest.problems import RULES, Problem

CJK = re.compile(r"[\u4e00-\u9fff]")
# English words that would mean a library's error text leaked into a message
LEAKS = re.compile(r"(?i)zip|error|traceback|exception|errno|none\b|invalid|unexpected|decode|codec|struct")

SIMPLE = xlsx([["指标编码", "区县", "年度", "数值"], ["GS-02", "德城区", 2025, 3]])


def small(**limits):
    return dataclasses.replace(settings(), **limits)


def refused(result: GateResult, rule: str):
    assert isinstance(result, GateResult)
    assert result.kind is None
    assert [p.rule for p in result.problems] == [rule]
    p = result.problems[0]
    assert p.severity == "error"
    assert CJK.search(p.message), p.message
    return p


def with_member(data: bytes, name: str, content: bytes, compression=zipfile.ZIP_DEFLATED) -> bytes:
    """A copy of a zip with one more member."""
    out = io.BytesIO(data)
    out.seek(0, io.SEEK_END)
    with zipfile.ZipFile(out, "a", compression) as zf:
        zf.writestr(name, content)
    return out.getvalue()


# -------------------------------------------------- a minimal OLE2 (CFB) writer
def ole_file(streams: dict[str, bytes]) -> bytes:
    """A compound file (version 3, 512-byte sectors) holding a few streams in its root.

    Streams are padded to 4096 bytes so that none goes to the mini stream.
    """
    sector, end, free, fatsect, nostream = 512, 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFD, 0xFFFFFFFF
    names = list(streams)
    assert len(names) <= 3
    bodies, chains, next_sector = [], [], 2  # sector 0: FAT, sector 1: directory
    for name in names:
        body = streams[name].ljust(4096, b"\0")
        body = body.ljust(-(-len(body) // sector) * sector, b"\0")
        chains.append((next_sector, len(body) // sector, max(len(streams[name]), 4096)))
        bodies.append(body)
        next_sector += len(body) // sector
    fat = [fatsect, end]
    for start, n, _ in chains:
        fat += [start + k + 1 for k in range(n - 1)] + [end]
    assert len(fat) <= 128
    fat += [free] * (128 - len(fat))

    def entry(name, typ, child=nostream, right=nostream, start=end, size=0):
        raw = name.encode("utf-16-le") + b"\0\0"
        return (raw.ljust(64, b"\0") + struct.pack("<HBB3I", len(raw), typ, 1, nostream, right, child)
                + b"\0" * 36 + struct.pack("<IQ", start, size))

    directory = entry("Root Entry", 5, child=1 if names else nostream)
    for i, (name, (start, _, size)) in enumerate(zip(names, chains), start=1):
        directory += entry(name, 2, right=i + 1 if i < len(names) else nostream, start=start, size=size)
    header = (OLE_MAGIC + b"\0" * 16 + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6) + b"\0" * 6
              + struct.pack("<9I", 0, 1, 1, 0, 4096, end, 0, end, 0)
              + struct.pack("<I", 0) + struct.pack("<I", free) * 108)
    return header + struct.pack("<128I", *fat) + directory.ljust(sector, b"\0") + b"".join(bodies)


def biff(*records: tuple[int, bytes]) -> bytes:
    return b"".join(struct.pack("<HH", rtype, len(payload)) + payload for rtype, payload in records)


BOF = (0x0809, struct.pack("<HHHHII", 0x0600, 0x0005, 0, 0, 0, 0))
FILEPASS = (0x002F, struct.pack("<HHH", 1, 1, 1) + b"\0" * 48)
EOF = (0x000A, b"")


def encrypted_xlsx(plain: bytes) -> bytes:
    """A password-protected workbook as Excel writes it: an OLE file with an EncryptedPackage stream."""
    try:
        from msoffcrypto.format.ooxml import OOXMLFile
    except ImportError:  # msoffcrypto-tool not installed: the same structure, by hand
        return ole_file({"EncryptionInfo": b"\x04\x00\x04\x00\x40\x00\x00\x00", "EncryptedPackage": plain})
    out = io.BytesIO()
    OOXMLFile(io.BytesIO(plain)).encrypt("pw", out)
    return out.getvalue()


# ----------------------------------------------------------------- the door
def test_a_plain_workbook_passes(catalog_bytes):
    result = check(catalog_bytes, settings())
    assert result.kind == "xlsx" and result.problems == []
    assert {"指标", "目标", "区县", "部门", "社区"} <= result.sheets.keys()
    wb = openpyxl.load_workbook(io.BytesIO(catalog_bytes))
    header = [c.value for c in wb["指标"][1] if c.value is not None]
    assert result.sheets["指标"].max_col == len(header) >= 19
    assert result.sheets["社区"].max_row >= 551


def test_empty_file():
    refused(check(b"", settings()), "file_empty")


def test_file_over_the_size_limit():
    limit = settings().max_file_bytes
    p = refused(check(b"x" * (limit + 1), settings()), "file_too_large")
    assert f"{limit / 2**20:.0f} MB" in p.message


def test_file_size_limit_is_inclusive():
    cfg = small(max_file_bytes=len(SIMPLE))
    assert check(SIMPLE, cfg).kind == "xlsx"
    refused(check(SIMPLE + b"\0", small(max_file_bytes=len(SIMPLE) - 1)), "file_too_large")


def test_pdf():
    refused(check(b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF", settings()), "file_pdf")


@pytest.mark.parametrize("data", [
    b"<html><table><tr><td>\xe6\x8c\x87\xe6\xa0\x87</td></tr></table></html>",
    b"\xef\xbb\xbf  <!DOCTYPE html><html><body><table></table></body></html>",
    b'<table border="1"><tr><td>1</td></tr></table>',
    b"<?xml version='1.0'?>\n<html xmlns:x='urn:schemas-microsoft-com:office:excel'><table/></html>",
])
def test_html_saved_as_xls(data):
    refused(check(data, settings()), "file_html")


@pytest.mark.parametrize("data, kind", [
    (b"\x89PNG\r\n\x1a\n" + b"\0" * 64, "PNG"),
    (b"\xff\xd8\xff\xe0" + b"\0" * 64, "JPEG"),
    (b"Rar!\x1a\x07\x00" + b"\0" * 64, "RAR"),
    (b"\x1f\x8b\x08\x00" + b"\0" * 64, "gzip"),
])
def test_pictures_and_archives(data, kind):
    p = refused(check(data, settings()), "file_not_workbook")
    assert kind in p.message


def _zip(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, content in members.items():
            zf.writestr(name, content)
    return out.getvalue()


def test_word_document():
    docx = _zip({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"})
    p = refused(check(docx, settings()), "file_not_workbook")
    assert "Word" in p.message


def test_powerpoint_and_plain_zip():
    assert "PPT" in refused(check(_zip({"ppt/presentation.xml": b"<p/>"}), settings()),
                            "file_not_workbook").message
    refused(check(_zip({"readme.txt": b"hello"}), settings()), "file_not_workbook")


def test_truncated_xlsx(catalog_bytes):
    refused(check(catalog_bytes[: len(catalog_bytes) // 2], settings()), "file_truncated")


def test_xlsx_without_workbook_rels_is_damaged():
    src = zipfile.ZipFile(io.BytesIO(SIMPLE))
    damaged = _zip({i.filename: src.read(i.filename) for i in src.infolist()
                    if i.filename != "xl/_rels/workbook.xml.rels"})
    refused(check(damaged, settings()), "file_truncated")


def test_encrypted_xlsx():
    data = encrypted_xlsx(SIMPLE)
    assert data.startswith(OLE_MAGIC)
    p = refused(check(data, settings()), "file_encrypted")
    assert "密码" in p.message


def test_encrypted_package_in_a_hand_made_ole_file():
    data = ole_file({"EncryptionInfo": b"\x04\x00\x04\x00", "EncryptedPackage": SIMPLE})
    refused(check(data, settings()), "file_encrypted")


def test_xls_with_a_password():
    refused(check(ole_file({"Workbook": biff(BOF, FILEPASS, EOF)}), settings()), "file_encrypted")


def test_xls_without_a_password_passes():
    result = check(ole_file({"Workbook": biff(BOF, EOF)}), settings())
    assert result.kind == "xls" and result.problems == []


def test_old_word_document():
    p = refused(check(ole_file({"WordDocument": b"\xec\xa5"}), settings()), "file_not_workbook")
    assert "Word" in p.message


def test_truncated_ole_file():
    data = ole_file({"Workbook": biff(BOF, EOF)})
    refused(check(data[:600], settings()), "file_truncated")


# ---------------------------------------------------------------- zip bombs
FILLER = "xl/media/filler.bin"


@pytest.fixture(scope="module")
def bomb() -> bytes:
    """A valid workbook plus a 20 MB member of zeros (compresses about 1000:1)."""
    return with_member(SIMPLE, FILLER, bytes(20 * 2**20))


def test_zip_ratio(bomb, monkeypatch):
    opened = []
    real_open = zipfile.ZipFile.open

    def spy(self, name, *a, **kw):
        opened.append(getattr(name, "filename", name))
        return real_open(self, name, *a, **kw)

    monkeypatch.setattr(zipfile.ZipFile, "open", spy)
    p = refused(check(bomb, settings()), "zip_ratio")
    assert f"「{FILLER}」" in p.message
    assert f"上限 {settings().max_compression_ratio:.0f} 倍" in p.message
    assert FILLER not in opened, "the ratio must be judged from the directory, without inflating"


def test_zip_too_large(bomb):
    p = refused(check(bomb, small(max_uncompressed_bytes=2**20)), "zip_too_large")
    assert "20 MB" in p.message


def test_zip_too_large_counts_every_member():
    total = sum(i.file_size for i in zipfile.ZipFile(io.BytesIO(SIMPLE)).infolist())
    assert check(SIMPLE, small(max_uncompressed_bytes=total)).kind == "xlsx"
    refused(check(SIMPLE, small(max_uncompressed_bytes=total - 1)), "zip_too_large")


def test_large_member_with_ordinary_compression_passes():
    noise = random.Random(0).randbytes(1_200_000)  # incompressible, over 1 MB
    assert check(with_member(SIMPLE, "xl/media/photo.bin", noise), settings()).kind == "xlsx"


# ---------------------------------------------------------- far-away cells
@pytest.fixture(scope="module")
def far_cell() -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "填报"
    ws["A1"] = "指标编码"
    ws["XFD1048576"] = 1
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _no_calamine(monkeypatch):
    def boom(*a, **kw):
        raise AssertionError("calamine must not be called for a sheet refused at the door")
    monkeypatch.setattr(workbook, "pc", types.SimpleNamespace(
        CalamineWorkbook=types.SimpleNamespace(from_filelike=boom)))
    monkeypatch.setattr(pipeline, "read", boom)


def _recording_problem(monkeypatch) -> list:
    """Replace gate.problem by a recorder, to see what the door decided apart from how it is worded."""
    calls = []

    def record(rule, *, sheet=None, cell=None, value=None, file=None, **details):
        calls.append({"rule": rule, "sheet": sheet, "cell": cell, **details})
        return Problem(rule, RULES[rule][0], "（测试）", file, sheet, cell, value)

    monkeypatch.setattr(gate, "problem", record)
    return calls


def test_far_cell_is_refused_fast_without_calamine(far_cell, monkeypatch):
    _no_calamine(monkeypatch)
    calls = _recording_problem(monkeypatch)
    start = time.perf_counter()
    result = check(far_cell, settings())
    elapsed = time.perf_counter() - start
    assert elapsed < 2, f"took {elapsed:.1f}s"
    assert result.kind is None and [p.rule for p in result.problems] == ["sheet_too_big"]
    assert len(calls) == 1
    call = calls[0]
    assert (call["rule"], call["sheet"], call["rows"], call["cols"], call["limit"]) == (
        "sheet_too_big", "填报", 1048576, 16384, settings().max_sheet_cells)
    assert "XFD1048576" in call.values()  # the farthest cell is handed on for the message


def test_sheet_cell_limit_is_rows_times_columns(monkeypatch):
    calls = _recording_problem(monkeypatch)
    data = xlsx([[None] * 9 + [1]] * 10)  # 10 rows x 10 columns
    assert check(data, small(max_sheet_cells=100)).kind == "xlsx"
    assert check(data, small(max_sheet_cells=99)).kind is None
    assert [(c["rule"], c["rows"], c["cols"]) for c in calls] == [("sheet_too_big", 10, 10)]
    assert "J10" in calls[0].values()


def test_sheet_too_big_message(far_cell, monkeypatch):
    _no_calamine(monkeypatch)
    start = time.perf_counter()
    result = check(far_cell, settings())
    assert time.perf_counter() - start < 2
    p = refused(result, "sheet_too_big")
    assert "XFD1048576" in p.message and "1048576 行 × 16384 列" in p.message
    assert p.sheet == "填报"


def test_sheet_too_big_through_examine(far_cell, catalog, monkeypatch):
    _no_calamine(monkeypatch)
    start = time.perf_counter()
    v, kind, shape = examine(far_cell, "大表.xlsx", catalog)
    assert time.perf_counter() - start < 2
    assert [p.rule for p in v.problems] == ["sheet_too_big"]
    assert v.problems[0].file == "大表.xlsx" and "XFD1048576" in v.problems[0].message
    assert kind is None and shape is None


def test_extent_counts_cells_without_a_reference():
    sheet = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
             b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
             b'<row r="1"><c r="XFD1"><v>1</v></c></row>'
             b'<row r="1048576"><c><v>2</v></c></row>'
             b"</sheetData></worksheet>")
    scan = gate._scan_sheet_xml(sheet)
    assert (scan.max_row, scan.max_col) == (1048576, 16384)


# -------------------------------------------------------------- hidden rows
def test_hidden_rows_are_reported_one_based():
    data = xlsx([["指标编码", "区县", "年度", "数值"], ["GS-02", "德城区", 2025, 3], ["GS-02", "陵城区", 2025, 4],
                 ["GS-02", "宁津县", 2025, 5]], sheet="数据", hidden_rows=(3, 4),
                extra={"其他": [["a"], ["b"]]})
    result = check(data, settings())
    assert result.kind == "xlsx"
    assert result.sheets["数据"].hidden_rows == {3, 4}
    assert (result.sheets["数据"].max_row, result.sheets["数据"].max_col) == (4, 4)
    assert result.sheets["其他"].hidden_rows == set()
    sheets, problems = workbook.read(data, result)
    assert problems == [] and sheets[0].hidden_rows == {3, 4}


# ------------------------------------------------------------------------ CSV
CSV_TEXT = "指标编码,区县,年度,数值\nGS-02,德城区,2025,3\nGS-02,陵城区,2025,4\n"


@pytest.mark.parametrize("data", [CSV_TEXT.encode("utf-8"), b"\xef\xbb\xbf" + CSV_TEXT.encode("utf-8"),
                                  CSV_TEXT.encode("gbk"), CSV_TEXT.encode("gb18030")],
                         ids=["utf8", "utf8-bom", "gbk", "gb18030"])
def test_csv_encodings(data):
    result = check(data, settings())
    assert result.kind == "csv" and result.problems == []
    assert result.text == CSV_TEXT


def test_gbk_is_not_mistaken_for_utf8():
    data = CSV_TEXT.encode("gbk")
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    assert check(data, settings()).text == CSV_TEXT


def test_binary_noise_is_not_a_csv():
    refused(check(b"\x01\x02\x00\x03" * 50, settings()), "file_unknown_type")


def test_text_renamed_xlsx(catalog):
    data = "这是一份工作说明，不是表格。\n请于月底前报送。\n".encode("utf-8")
    v, kind, shape = examine(data, "x.xlsx", catalog)
    assert [p.rule for p in v.problems] == ["text_renamed"]
    p = v.problems[0]
    assert p.file == "x.xlsx" and ".xlsx" in p.message and CJK.search(p.message)
    assert v.has_errors()


def test_same_text_named_csv_is_not_renamed(catalog):
    data = "这是一份工作说明，不是表格。\n请于月底前报送。\n".encode("utf-8")
    v, kind, shape = examine(data, "x.csv", catalog)
    assert kind == "csv"
    assert "text_renamed" not in [p.rule for p in v.problems]
    assert "header_not_found" in [p.rule for p in v.problems]


def test_real_csv_named_xlsx_is_read_as_csv(catalog):
    v, kind, shape = examine(CSV_TEXT.encode("gbk"), "数据.XLSX", catalog)
    assert kind == "csv"
    assert "text_renamed" not in [p.rule for p in v.problems]


def test_csv_starting_with_pk_is_a_csv():
    result = check(b"PK-01,2025,3\nPK-02,2025,4\n", settings())
    assert result.kind == "csv"


# ------------------------------------------------------ damaged zip members
def _corrupt_member(data: bytes, name: str) -> bytes:
    """Overwrite a member's deflate stream with 0xFF (an invalid block type); the directory stays intact."""
    info = zipfile.ZipFile(io.BytesIO(data)).getinfo(name)
    out = bytearray(data)
    name_len, extra_len = struct.unpack_from("<HH", out, info.header_offset + 26)
    start = info.header_offset + 30 + name_len + extra_len
    out[start:start + info.compress_size] = b"\xff" * info.compress_size
    return bytes(out)


def _patch_central(data: bytes, name: str, offset: int, value: int) -> bytes:
    """Set a 2-byte field of a member's central-directory entry (8: flags, 10: compression method)."""
    out = bytearray(data)
    pos = 0
    while (pos := out.find(b"PK\x01\x02", pos)) != -1:
        name_len = struct.unpack_from("<H", out, pos + 28)[0]
        if out[pos + 46:pos + 46 + name_len] == name.encode():
            struct.pack_into("<H", out, pos + offset, value)
            return bytes(out)
        pos += 4
    raise KeyError(name)


@pytest.mark.parametrize("damage", ["deflate", "method", "zip-password"])
def test_damaged_member_is_reported_not_raised(damage):
    member = "xl/worksheets/sheet1.xml"
    data = {"deflate": lambda: _corrupt_member(SIMPLE, member),          # zlib.error
            "method": lambda: _patch_central(SIMPLE, member, 10, 99),   # NotImplementedError
            "zip-password": lambda: _patch_central(SIMPLE, member, 8, 1),  # RuntimeError
            }[damage]()
    refused(check(data, settings()), "file_truncated")


# ---------------------------------------- what the user reads, end to end
CASES = {
    "empty.xlsx": (b"", "file_empty"),
    "scan.pdf": (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "file_pdf"),
    "export.xls": (b"<html><table><tr><td>1</td></tr></table></html>", "file_html"),
    "photo.xlsx": (b"\x89PNG\r\n\x1a\n" + b"\0" * 32, "file_not_workbook"),
    "report.xlsx": (None, "file_not_workbook"),  # a .docx renamed
    "half.xlsx": (None, "file_truncated"),
    "locked.xlsx": (None, "file_encrypted"),
    "bomb.xlsx": (None, "zip_ratio"),
    "far.xlsx": (None, "sheet_too_big"),
    "noise.csv": (b"\x00\x01\x02" * 10, "file_unknown_type"),
}


@pytest.fixture(scope="module")
def case_bytes(bomb, far_cell):
    def build(name):
        data, _ = CASES[name]
        if data is not None:
            return data
        return {
            "report.xlsx": lambda: _zip({"word/document.xml": b"<w:document/>"}),
            "half.xlsx": lambda: SIMPLE[: len(SIMPLE) // 2],
            "locked.xlsx": lambda: encrypted_xlsx(SIMPLE),
            "bomb.xlsx": lambda: bomb,
            "far.xlsx": lambda: far_cell,
        }[name]()
    return build


@pytest.mark.parametrize("name", list(CASES))
def test_examine_reports_the_door_problem(name, case_bytes, catalog):
    v, kind, shape = examine(case_bytes(name), name, catalog)
    assert [p.rule for p in v.problems] == [CASES[name][1]]
    p = v.problems[0]
    assert p.file == name and p.severity == "error"
    assert v.has_errors() and v.observations == [] and kind is None and shape is None
    assert CJK.search(p.message)
    shown = p.message.replace(FILLER, "")
    assert not LEAKS.search(shown), shown


def _template_text(template: str) -> str:
    return re.sub(r"\{[^}]*\}", "", template)


@pytest.mark.parametrize("rule", list(RULES))
def test_every_rule_template_is_chinese_and_free_of_library_text(rule):
    severity, template = RULES[rule]
    assert severity in ("error", "warning")
    assert CJK.search(template)
    text = _template_text(template)
    assert not LEAKS.search(text), text
    assert not re.search(r"[A-Za-z]{3,}Error|Traceback|Errno", text)


def test_zip_ratio_message_without_the_member_name(bomb):
    p = refused(check(bomb, settings()), "zip_ratio")
    shown = p.message.replace(FILLER, "")
    assert not LEAKS.search(shown) and CJK.search(shown)
    assert re.search(r"（\d+ 倍，上限 \d+ 倍）", shown)


# ------------------------------------------------------------ never raises
@hyp_settings(max_examples=150, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=4096))
def test_check_never_raises_on_arbitrary_bytes(data):
    result = check(data, small(max_file_bytes=4000))
    assert (result.kind is None) == bool(result.problems)
    assert result.kind in (None, "xlsx", "xls", "csv")
    for p in result.problems:
        assert p.rule in RULES and CJK.search(p.message)


@hyp_settings(max_examples=80, deadline=None, database=None)
@given(st.binary(max_size=3000))
def test_check_never_raises_on_damaged_ole_files(tail):
    result = check(OLE_MAGIC + tail, settings())
    assert result.kind == "xls" or [p.rule for p in result.problems] in (
        ["file_truncated"], ["file_encrypted"], ["file_not_workbook"])
