"""`storylens export --parquet DIR`: the store as Parquet tables (schema: docs/export.md).

DuckDB writes the files itself, unnesting the JSON columns into one row per
mention, quote and claim, so the export streams rather than loading the store.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from storylens.errors import StorylensError
from storylens.store.db import Store, literal_path

TABLES = {
    "articles": """
        SELECT a.key, a.id, a.source, a.outlet, a.title, a.url, a.published, a.language, a.text, a.resolved,
               a.near_duplicate_of, 's' || s.story AS story
        FROM articles a LEFT JOIN stories s ON s.article_key = a.key ORDER BY a.key""",
    "mentions": """
        SELECT key AS article_key, c.id AS cluster, c.canonical, c.type,
               m.start, m."end", m.text, m.kind
        FROM (SELECT key, unnest(from_json(clusters,
                '[{"id": "INTEGER", "canonical": "VARCHAR", "type": "VARCHAR",
                   "mentions": [{"start": "INTEGER", "end": "INTEGER", "text": "VARCHAR", "kind": "VARCHAR"}]}]'))
                AS c FROM articles),
             LATERAL (SELECT unnest(c.mentions) AS m)
        ORDER BY article_key, m.start""",
    "quotes": """
        SELECT key AS article_key, q.start, q."end", q.text, q.speaker, q.partial
        FROM (SELECT key, unnest(from_json(coalesce(quotes, '[]'),
                '[{"start": "INTEGER", "end": "INTEGER", "text": "VARCHAR", "speaker": "VARCHAR",
                   "partial": "BOOLEAN"}]')) AS q FROM articles)
        ORDER BY article_key, q.start""",
    "claims": """
        SELECT key AS article_key, c.start, c."end", c.text, c.resolved, c.speaker
        FROM (SELECT key, unnest(from_json(coalesce(claims, '[]'),
                '[{"start": "INTEGER", "end": "INTEGER", "text": "VARCHAR", "resolved": "VARCHAR",
                   "speaker": "VARCHAR"}]')) AS c FROM articles)
        ORDER BY article_key, c.start""",
    "stories": "SELECT 's' || story AS story, article_key FROM stories ORDER BY story, article_key",
}


def export_parquet(store: Store, folder: Path) -> dict[str, int]:
    """Write each table to ``folder/<table>.parquet``; returns rows per table.
    The folder may be new, but its parent must exist (a typo is not a tree to make)."""
    if folder.exists() and not folder.is_dir():
        raise StorylensError(f"--parquet {folder}: is a file; give a folder")
    if not folder.parent.is_dir():
        raise StorylensError(f"--parquet {folder}: the folder {folder.parent} does not exist")
    try:
        folder.mkdir(exist_ok=True)
    except OSError as e:
        raise StorylensError(f"--parquet {folder}: cannot create the folder ({e.strerror})") from None
    counts = {}
    for name, sql in TABLES.items():
        target = folder / f"{name}.parquet"
        if target.is_dir():
            raise StorylensError(f"--parquet {folder}: {target} is a folder; remove it or give another folder")
        tmp = folder / f".{name}.parquet.tmp"
        try:
            # COPY takes no parameter for its file; a quote in the name is doubled.
            quoted = str(tmp).replace("'", "''")
            store.con.execute(f"COPY ({sql}) TO '{quoted}' (FORMAT parquet)")
            tmp.replace(target)  # a reader never sees half a file
        except (OSError, duckdb.Error) as e:
            tmp.unlink(missing_ok=True)
            raise StorylensError(f"--parquet {folder}: cannot write {target.name} ({e})") from None
        counts[name] = store.con.execute("SELECT count(*) FROM read_parquet(?)", [literal_path(target)]).fetchone()[0]
    return counts
