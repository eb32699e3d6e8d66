"""Finished comparisons kept in a DuckDB file, so their links outlive the server.

One row per comparison: its result in the `compare --json` shape, what the
article pages need (texts, edits, cleaning record) and what the list shows
(title, outlets, dates, when it was made). The table lives in the corpus store
when there is one (``serve --db``), else in a store of its own under the user's
data folder (``default_path``).
"""

from __future__ import annotations

import json
import os
import sys
import threading
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb

from storylens.errors import StorylensError

SCHEMA = """
CREATE TABLE IF NOT EXISTS comparisons (
    id TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    made_at TIMESTAMPTZ NOT NULL,
    seconds DOUBLE,
    outlets JSON,              -- outlet names, in the comparison's order
    dates JSON,                -- each article's publication date, or null
    result JSON NOT NULL,      -- the `storylens compare --json` object
    details JSON NOT NULL      -- per article: text, edits, cleaning record
);
"""


def default_path() -> Path:
    """Where comparisons are kept when the server has no --db: the user's data folder."""
    if sys.platform == "win32":
        base = Path(os.environ.get("LOCALAPPDATA") or Path.home() / "AppData" / "Local")
    elif sys.platform == "darwin":
        base = Path.home() / "Library" / "Application Support"
    else:
        base = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    return base / "storylens" / "comparisons.duckdb"


class Comparisons:
    """The ``comparisons`` table on a connection; safe to use from several threads."""

    def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
        self.con = con
        self._lock = threading.Lock()
        with self._lock:
            self.con.cursor().execute(SCHEMA)

    @classmethod
    def open(cls, path: Path) -> Comparisons:
        """A store of its own at ``path`` (made, with its folder, if missing)."""
        if path.is_dir():
            raise StorylensError(f"{path}: is a folder; give a file name for the comparisons store")
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            return cls(duckdb.connect(str(path)))
        except (OSError, duckdb.Error) as e:
            raise StorylensError(f"{path}: cannot keep comparisons there ({e})") from None

    def save(
        self,
        comparison_id: str,
        title: str,
        result: dict[str, Any],
        details: dict[str, dict[str, Any]],
        seconds: float,
        made_at: datetime | None = None,
    ) -> None:
        articles = result.get("articles", [])
        dates = [details.get(a["id"], {}).get("date") for a in articles]
        row = [
            comparison_id,
            title,
            made_at or datetime.now(UTC),
            seconds,
            json.dumps([a["outlet"] for a in articles]),
            json.dumps(dates),
            json.dumps(result),
            json.dumps(details),
        ]
        with self._lock:
            self.con.cursor().execute("INSERT OR REPLACE INTO comparisons VALUES (?, ?, ?, ?, ?, ?, ?, ?)", row)

    def get(self, comparison_id: str) -> dict[str, Any] | None:
        with self._lock:
            row = (
                self.con.cursor()
                .execute(
                    "SELECT id, title, made_at, seconds, outlets, dates, result, details FROM comparisons WHERE id = ?",
                    [comparison_id],
                )
                .fetchone()
            )
        if row is None:
            return None
        return {
            **_listed(row[:6]),
            "result": json.loads(row[6]),
            "details": json.loads(row[7]),
        }

    def list(self, limit: int = 100) -> list[dict[str, Any]]:
        """Newest first: id, title, made_at, seconds, outlets, dates."""
        with self._lock:
            rows = (
                self.con.cursor()
                .execute(
                    "SELECT id, title, made_at, seconds, outlets, dates FROM comparisons ORDER BY made_at DESC LIMIT ?",
                    [limit],
                )
                .fetchall()
            )
        return [_listed(r) for r in rows]

    def delete(self, comparison_id: str) -> bool:
        with self._lock:
            cur = self.con.cursor()
            found = cur.execute("SELECT count(*) FROM comparisons WHERE id = ?", [comparison_id]).fetchone()
            cur.execute("DELETE FROM comparisons WHERE id = ?", [comparison_id])
        return bool(found and found[0])

    def close(self) -> None:
        with self._lock:
            self.con.close()


def _listed(row: tuple | list) -> dict[str, Any]:
    made = row[2]
    return {
        "id": row[0],
        "title": row[1],
        "made_at": made.isoformat(timespec="seconds") if isinstance(made, datetime) else str(made),
        "seconds": row[3],
        "outlets": json.loads(row[4]) if row[4] else [],
        "dates": json.loads(row[5]) if row[5] else [],
    }
