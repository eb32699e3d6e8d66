"""Articles from WARC / WARC.gz crawl files (warcio): each HTML response is one input."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from storylens.clean import MAX_BYTES, clean_article
from storylens.clean.html import extract_html
from storylens.clean.load import decode
from storylens.engine.stages import Work
from storylens.errors import StorylensError
from storylens.model import Article


def is_warc(path: Path) -> bool:
    name = path.name.lower()
    return name.endswith((".warc", ".warc.gz"))


def read_warc(path: Path) -> Iterator[Work]:
    """Every HTML response in the file; other records (requests, metadata, images)
    are not articles and are passed over. The record id is the article's key."""
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    n = 0
    try:
        with path.open("rb") as f:
            for n, record in enumerate(ArchiveIterator(f), 1):
                if record.format != "warc":
                    # warcio reads unknown text as an old ARC record; a WARC file has WARC records.
                    yield Work(f"error:{path}", str(path), error=f"{path}: not a WARC file (record {n})", stage="load")
                    return
                if record.rec_type != "response":
                    continue
                kind = (record.http_headers.get_header("Content-Type") or "") if record.http_headers else ""
                if "html" not in kind.lower():
                    continue
                uri = record.rec_headers.get_header("WARC-Target-URI") or ""
                key = record.rec_headers.get_header("WARC-Record-ID") or f"{path.name}#{n}"
                key = key.strip("<>").removeprefix("urn:uuid:")
                where = f"{path}#{n} {uri}".strip()
                data = record.content_stream().read(MAX_BYTES + 1)
                if len(data) > MAX_BYTES:
                    yield Work(key, where, error=f"{where}: over the {MAX_BYTES // 1_000_000} MB limit", stage="load")
                    continue
                try:
                    html, _ = decode(data, where)
                    extracted = extract_html(html, where)
                    article = Article(
                        id=key,
                        raw=extracted.text,
                        title=extracted.title,
                        url=uri or extracted.url,
                        published=extracted.published or record.rec_headers.get_header("WARC-Date"),
                        source_path=where,
                    )
                    yield Work(key, where, clean_article(article, where))
                except StorylensError as e:
                    yield Work(key, where, error=str(e), stage="load")
    except ArchiveLoadFailed as e:
        yield Work(f"error:{path}", str(path), error=f"{path}: not a readable WARC file ({e})", stage="load")
        return
    if n == 0:
        yield Work(f"error:{path}", str(path), error=f"{path}: not a readable WARC file (no records)", stage="load")
