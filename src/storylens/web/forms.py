"""The comparison form read with this app's limits, its parse errors in the user's words.

Starlette's defaults refuse a pasted field over 1 MiB ("Field exceeded maximum
size of 1024KB") although an article may be 5 MiB, and python-multipart refuses
a part header over 4 KiB (a very long file name) as "Invalid multipart data".
"""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import Request, UploadFile
from starlette.exceptions import HTTPException

from storylens.web.uploads import UploadError, UploadLimits, mib

# python-multipart's longest part header (python_multipart.multipart.DEFAULT_MAX_HEADER_SIZE).
MAX_HEADER_BYTES = 4096


@dataclass(slots=True)
class Fields:
    """The form's fields, each list in form order."""

    texts: list[str]
    outlets: list[str]
    files: list[UploadFile]
    file_outlets: list[str]
    dates: list[str]


async def read_form(request: Request, limits: UploadLimits) -> Fields:
    try:
        form = await request.form(
            max_files=limits.max_articles + 1,  # one over: refused below with the app's own message
            max_fields=4 * limits.max_articles + 8,
            max_part_size=limits.max_bytes + 1,
        )
    except HTTPException as err:
        raise UploadError(*_explain(str(err.detail), limits)) from err

    def strings(name: str) -> list[str]:
        return [v for v in form.getlist(name) if isinstance(v, str)]

    files = [v for v in form.getlist("file") if not isinstance(v, str)]
    return Fields(strings("text"), strings("outlet"), files, strings("file_outlet"), strings("date"))


def _explain(detail: str, limits: UploadLimits) -> tuple[int, str]:
    if detail.startswith("Field exceeded maximum size"):
        return 413, f"a pasted text is over the {mib(limits.max_bytes)} limit for one article"
    if detail.startswith("Too many files"):
        return 413, f"at most {limits.max_articles} articles per comparison"
    if detail.startswith("Too many fields"):
        return 413, "the form has more fields than a comparison of 20 articles needs"
    if detail == "Invalid multipart data.":
        return 400, (
            "the upload could not be read: a file name may be too long "
            f"(at most about {MAX_HEADER_BYTES:,} bytes) or the form was cut off"
        )
    return 400, f"the upload could not be read ({detail})"
