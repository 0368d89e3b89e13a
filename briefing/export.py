"""A meeting's briefing as file contents: Word (.docx), Excel (.xlsx), one self-contained web page (.html),
or the three in one .zip.

Pure functions of a `MeetingPack`: nothing here reads the warehouse. `briefing.sections` turns the pack
into a cover and sections of tables; `briefing.word`, `briefing.excel` and `briefing.web` lay them out.
"""
from __future__ import annotations

import io
import zipfile

from metrics.meeting import MeetingPack

from .excel import to_xlsx
from .sections import Num, Section, Table, cover, file_stem, sections
from .web import lagging_chart, status_chart, to_html
from .word import to_docx
from .words import DEMO_MARK

FORMATS = {"docx": to_docx, "xlsx": to_xlsx, "html": to_html}


def files(pack: MeetingPack) -> dict[str, bytes]:
    """Each format's file name and content: {"周例会简报_2026-01-27.docx": b"…", …}."""
    stem = file_stem(pack)
    out = {}
    for suffix, make in FORMATS.items():
        content = make(pack)
        out[f"{stem}.{suffix}"] = content.encode("utf-8") if isinstance(content, str) else content
    return out


def zip_of(contents: dict[str, bytes]) -> bytes:
    """Files in one .zip (names stored as UTF-8)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        for name, content in contents.items():
            z.writestr(name, content)
    return buffer.getvalue()


def to_zip(pack: MeetingPack) -> bytes:
    """The three files in one .zip, named {file_stem}.docx / .xlsx / .html: what one 导出简报 button downloads."""
    return zip_of(files(pack))


__all__ = ["DEMO_MARK", "FORMATS", "Num", "Section", "Table", "cover", "file_stem", "files", "lagging_chart",
           "sections", "status_chart", "to_docx", "to_html", "to_xlsx", "to_zip", "zip_of"]
