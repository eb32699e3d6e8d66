"""`storylens serve`: the comparison as web pages, and the JSON API behind them.

Server-rendered pages (Jinja2, autoescaped) with one small local script; every
asset is served from the package, nothing from a CDN. Scraped text is untrusted:
it is only ever inserted as escaped text, and the Content-Security-Policy lets
no inline script or foreign resource run even if something slipped through.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterable
from contextlib import asynccontextmanager
from importlib.resources import files
from pathlib import Path
from typing import Any
from urllib.parse import quote

from fastapi import FastAPI, HTTPException, Request, UploadFile
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates

from storylens import __version__
from storylens.align.compare import Comparer
from storylens.clean import MAX_CHARS
from storylens.errors import StorylensError
from storylens.store.comparisons import Comparisons
from storylens.web import stories, views
from storylens.web.exports import comparison_csv, file_stem
from storylens.web.forms import Fields, read_form
from storylens.web.guard import Guard
from storylens.web.jobs import Job, Jobs
from storylens.web.summary import differing_quotes, naming, summary_of
from storylens.web.uploads import DEFAULT as LIMITS
from storylens.web.uploads import Piece, UploadError, UploadLimits, load, mib

HERE = Path(str(files("storylens.web")))
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; "
        "base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
}

# Read by web.forms (Starlette's own limits would refuse pasted text over 1 MiB), described here.
FORM_SCHEMA: dict[str, Any] = {
    "requestBody": {
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "properties": {
                        "text": {"type": "array", "items": {"type": "string"}, "description": "pasted articles"},
                        "outlet": {"type": "array", "items": {"type": "string"}, "description": "their outlets"},
                        "file": {"type": "array", "items": {"type": "string", "format": "binary"}},
                        "file_outlet": {"type": "array", "items": {"type": "string"}, "description": "files' outlets"},
                    },
                }
            }
        }
    }
}


def create_app(
    db: Path | None = None,
    comparer: Callable[[], Comparer] = Comparer,
    limits: UploadLimits = LIMITS,
    allow_hosts: Iterable[str] = (),
    keep_in: Path | None = None,
) -> FastAPI:
    """The app. ``comparer`` builds the models on the first comparison (so the
    server starts at once); ``db`` adds the story browser; ``allow_hosts`` are
    the names besides loopback it answers to (``serve --allow-host``).
    Finished comparisons are kept in ``db``, else in ``keep_in`` (``serve``
    passes ``store.comparisons.default_path()``), else only in memory."""
    store = None
    saved: Comparisons | None = None
    if db is not None:
        from storylens.store.db import Store

        if not Path(db).is_file():
            raise StorylensError(f"--db {db}: no such store; make one with `storylens ingest SOURCE... --db {db}`")
        store = Store(db)  # writable: finished comparisons are kept in it
        saved = Comparisons(store.con)
    elif keep_in is not None:
        saved = Comparisons.open(keep_in)

    def keep(job: Job) -> None:
        if saved is not None and job.result is not None:
            saved.save(job.id, job.title, job.result, job.details, job.seconds)

    jobs = Jobs(comparer, on_done=keep)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        yield
        jobs.shutdown()
        if store is not None:
            store.close()
        elif saved is not None:
            saved.close()

    app = FastAPI(
        lifespan=lifespan,
        title="storylens",
        version=__version__,
        description="How different outlets tell the same story: comparisons and stored stories.",
        docs_url=None,  # the interactive docs load scripts from a CDN; /openapi.json describes the API
        redoc_url=None,
    )
    templates = Jinja2Templates(directory=str(HERE / "templates"))
    templates.env.globals.update(
        version=__version__, has_db=store is not None, cell_labels=views.CELL_LABELS, quote_labels=views.QUOTE_LABELS
    )
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")
    templates.env.globals.update(mib=mib, max_chars=MAX_CHARS)
    templates.env.filters["seg"] = lambda v: quote(str(v), safe="")
    app.state.jobs = jobs
    app.add_middleware(Guard, allow_hosts=tuple(allow_hosts))

    @app.middleware("http")
    async def security_headers(request: Request, call_next: Callable) -> Response:
        response = await call_next(request)
        for k, v in SECURITY_HEADERS.items():
            response.headers.setdefault(k, v)
        return response

    def wants_html(request: Request) -> bool:
        return not request.url.path.startswith("/api/")

    def error_page(request: Request, status: int, message: str) -> Response:
        if wants_html(request):
            return templates.TemplateResponse(
                request, "error.html", {"status": status, "message": message}, status_code=status
            )
        return JSONResponse({"detail": message}, status_code=status)

    @app.exception_handler(UploadError)
    async def upload_error(request: Request, exc: UploadError) -> Response:
        return error_page(request, exc.status, exc.message)

    @app.exception_handler(StorylensError)
    async def storylens_error(request: Request, exc: StorylensError) -> Response:
        return error_page(request, 404 if "no story" in str(exc) else 422, str(exc))

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, exc: RequestValidationError) -> Response:
        fields = sorted({".".join(str(x) for x in e.get("loc", ())[1:]) or "request" for e in exc.errors()})
        return error_page(request, 422, "the request is malformed or incomplete: " + ", ".join(fields))

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> Response:
        return error_page(request, exc.status_code, str(exc.detail))

    def job_or_404(job_id: str) -> Job:
        job = jobs.get(job_id)
        if job is None and saved is not None:
            record = saved.get(job_id)
            if record is not None:
                job = Job(
                    id=record["id"],
                    title=record["title"],
                    articles=[],
                    problems=[],
                    status="done",
                    result=record["result"],
                    details=record["details"],
                    seconds=record["seconds"] or 0.0,
                    made_at=record["made_at"],
                )
        if job is None:
            kept = "" if saved is not None else " (this server keeps comparisons only while it runs)"
            raise HTTPException(404, f"there is no comparison {job_id!r} here; it may have been deleted{kept}")
        return job

    def recent(limit: int = 20) -> list[dict[str, Any]]:
        """Comparisons still running, then the kept ones, newest first."""
        listed = saved.list(limit) if saved is not None else []
        ids = {r["id"] for r in listed}
        live = [
            {
                "id": j.id,
                "title": j.title,
                "made_at": j.made_at,
                "seconds": j.seconds,
                "outlets": [a.outlet for a in j.articles],
                "dates": [a.published for a in j.articles],
                "status": j.status,
            }
            for j in jobs.all()
            if j.id not in ids and (saved is None or j.status != "done")
        ]
        return (live + [{**r, "status": "done"} for r in listed])[:limit]

    def finished(job_id: str) -> tuple[Job, dict[str, Any]]:
        job = job_or_404(job_id)
        if job.status != "done" or job.result is None:
            raise HTTPException(409, "this comparison is not finished yet")
        return job, job.result

    async def upload_piece(up: UploadFile, outlet: str, date: str = "") -> Piece:
        data = await up.read(limits.max_bytes + 1)  # one byte over is enough to refuse it
        return Piece(up.filename or "upload", data, outlet, size=up.size, date=date)

    async def api_pieces(form: Fields) -> list[Piece]:
        """The API's fields: texts paired with ``outlet``, files with ``file_outlet``."""
        pieces: list[Piece] = []
        for n, text in enumerate(form.texts):
            if text.strip():
                outlet = form.outlets[n] if n < len(form.outlets) else ""
                pieces.append(Piece(f"{outlet or f'pasted {n + 1}'}.txt", text.encode("utf-8"), outlet))
        for n, up in enumerate(form.files):
            if up.filename and len(pieces) <= limits.max_articles:  # past that, enough to refuse: never read
                pieces.append(await upload_piece(up, form.file_outlets[n] if n < len(form.file_outlets) else ""))
        return pieces

    async def slot_pieces(form: Fields) -> list[Piece]:
        """The page's slots: each has an outlet, a date, and a file or pasted text;
        a chosen file wins over text in the same slot."""
        pieces: list[Piece] = []
        for n in range(max(len(form.texts), len(form.files))):
            outlet = form.outlets[n].strip() if n < len(form.outlets) else ""
            date = form.dates[n].strip() if n < len(form.dates) else ""
            up = form.files[n] if n < len(form.files) else None
            text = form.texts[n] if n < len(form.texts) else ""
            if up is not None and up.filename and len(pieces) <= limits.max_articles:
                pieces.append(await upload_piece(up, outlet, date))
            elif text.strip():
                pieces.append(Piece(f"{outlet or f'pasted {n + 1}'}.txt", text.encode("utf-8"), outlet, date=date))
        return pieces

    def submit(pieces: list[Piece]) -> Job:
        collected = load(pieces, limits)
        return jobs.submit(collected.articles, collected.problems + collected.notes)

    # ---- pages ----

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def home(request: Request, slots: int = 4) -> Response:
        return templates.TemplateResponse(
            request,
            "new.html",
            {
                "recent": recent(),
                "limits": limits,
                "kept": saved is not None,
                "slots": max(limits.min_articles, min(slots, limits.max_articles)),
            },
        )

    @app.post("/compare", include_in_schema=False)
    async def compare_form(request: Request) -> Response:
        job = submit(await slot_pieces(await read_form(request, limits)))
        return RedirectResponse(f"/c/{job.id}", status_code=303)

    @app.get("/c/{job_id}", response_class=HTMLResponse, include_in_schema=False)
    def story_page(request: Request, job_id: str, ref: str | None = None, expand: int = 0) -> Response:
        job = job_or_404(job_id)
        if job.status != "done" or job.result is None:
            return templates.TemplateResponse(request, "running.html", {"job": job})
        result = job.result
        outlets = [a["outlet"] for a in result["articles"]]
        reference = ref if ref in outlets else outlets[0]
        return templates.TemplateResponse(
            request,
            "story.html",
            {
                "job": job,
                "result": result,
                "outlets": outlets,
                "reference": reference,
                "rows": views.matrix(result),
                "quotes": views.quote_groups(result, reference),
                "entities": views.entities(result, outlets),
                "summary": summary_of(result),
                "naming": naming(result),
                "differing": differing_quotes(result),
                "ledes": {aid: views.lede(d["text"]) for aid, d in job.details.items()},
                "expand": bool(expand),
            },
        )

    @app.get("/c/{job_id}/a", response_class=HTMLResponse, include_in_schema=False)
    def article_by_query(
        request: Request, job_id: str, id: str, start: int = -1, end: int = -1, view: str = "clean"
    ) -> Response:
        # The id travels in the query: ids such as "x/y", "h#f" or ".." cannot be one path segment.
        return article_page(request, job_id, id, start, end, view)

    @app.get("/c/{job_id}/a/{article_id:path}", response_class=HTMLResponse, include_in_schema=False)
    def article_page(
        request: Request, job_id: str, article_id: str, start: int = -1, end: int = -1, view: str = "clean"
    ) -> Response:
        job = job_or_404(job_id)
        if job.status != "done":
            raise HTTPException(409, "this comparison is not finished yet")
        article = job.details.get(article_id)
        if article is None:
            raise HTTPException(404, f"no article {article_id!r} in this comparison")
        return templates.TemplateResponse(
            request,
            "article.html",
            {
                "job": job,
                "article": article,
                "view": "resolved" if view == "resolved" else "clean",
                "pieces": views.highlighted(article["text"], start, end),
                "resolved": views.resolved_pieces(article["text"], article["edits"]),
                "removed": article["removed"],
                "start": start,
                "end": end,
            },
        )

    @app.get("/c/{job_id}/export.csv", include_in_schema=False)
    def export_csv(job_id: str) -> Response:
        job, result = finished(job_id)
        return Response(
            comparison_csv(result),
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="{file_stem(job.title)}.csv"'},
        )

    @app.get("/c/{job_id}/report.html", include_in_schema=False)
    def export_report(request: Request, job_id: str) -> Response:
        job, result = finished(job_id)
        outlets = [a["outlet"] for a in result["articles"]]
        page = templates.TemplateResponse(
            request,
            "report.html",
            {
                "job": job,
                "result": result,
                "outlets": outlets,
                "rows": views.matrix(result),
                "summary": summary_of(result),
                "naming": naming(result),
                "differing": differing_quotes(result),
                "ledes": {aid: views.lede(d["text"]) for aid, d in job.details.items()},
                "css": (HERE / "static" / "app.css").read_text(encoding="utf-8"),
            },
        )
        # The report carries its own styles and no script, so it reads the same saved anywhere.
        page.headers["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'"
        page.headers["Content-Disposition"] = f'attachment; filename="{file_stem(job.title)}.html"'
        return page

    @app.post("/c/{job_id}/delete", include_in_schema=False)
    def delete_page(job_id: str) -> Response:
        delete(job_id)
        return RedirectResponse("/", status_code=303)

    def delete(job_id: str) -> None:
        job = job_or_404(job_id)
        if job.status in ("queued", "running"):
            raise HTTPException(409, "this comparison is still running; delete it when it has finished")
        jobs.forget(job_id)
        if saved is not None:
            saved.delete(job_id)

    @app.get("/stories", response_class=HTMLResponse, include_in_schema=False)
    def stories_page(request: Request, q: str = "", entity: str = "", outlet: str = "", date: str = "") -> Response:
        if store is None:
            raise HTTPException(404, "no store: start the server with --db PATH to browse stories")
        found = stories.search(store, q, entity, outlet, date)
        return templates.TemplateResponse(
            request, "stories.html", {"stories": found, "q": q, "entity": entity, "outlet": outlet, "date": date}
        )

    @app.get("/story", include_in_schema=False)
    def open_story_by_query(id: str) -> Response:
        return open_story(id)

    @app.get("/stories/{story_id:path}", include_in_schema=False)
    def open_story(story_id: str) -> Response:
        if store is None:
            raise HTTPException(404, "no store: start the server with --db PATH to browse stories")
        try:
            articles = store.story_articles(story_id)
        except StorylensError:
            articles = []
        if not articles:
            raise HTTPException(404, f"there is no story {story_id!r} in this store; find one on the Stories page")
        if len(articles) < 2:
            raise HTTPException(422, "this story has only one article, so there is nothing to compare it with yet")
        title = stories.title_of(store, story_id)
        existing = next((r["id"] for r in recent(100) if r["title"] == title and r["status"] != "failed"), None)
        if existing is None:
            existing = jobs.submit(articles, [], title=title, parses=store.parses(a.id for a in articles)).id
        return RedirectResponse(f"/c/{existing}", status_code=303)

    # ---- API ----

    @app.post(
        "/api/comparisons",
        status_code=202,
        summary="Start a comparison of 2–20 pasted or uploaded articles",
        openapi_extra=FORM_SCHEMA,
    )
    async def api_submit(request: Request) -> dict[str, Any]:
        job = submit(await api_pieces(await read_form(request, limits)))
        return {**job.progress(), "url": f"/api/comparisons/{job.id}"}

    @app.get("/api/comparisons", summary="Comparisons running or kept by this server, newest first")
    def api_list() -> dict[str, Any]:
        return {"comparisons": recent(100)}

    @app.delete("/api/comparisons/{job_id}", status_code=204, summary="Delete a finished comparison")
    def api_delete(job_id: str) -> Response:
        delete(job_id)
        return Response(status_code=204)

    @app.get(
        "/api/comparisons/{job_id}",
        summary="A comparison's progress; when done, its result in the `storylens compare --json` shape",
    )
    def api_get(job_id: str) -> dict[str, Any]:
        job = job_or_404(job_id)
        return {**job.progress(), "result": job.result}

    @app.get("/api/stories", summary="Stored stories matching every filter given (needs --db)")
    def api_stories(q: str = "", entity: str = "", outlet: str = "", date: str = "") -> dict[str, Any]:
        if store is None:
            raise HTTPException(404, "no store: start the server with --db PATH")
        return {"stories": stories.search(store, q, entity, outlet, date)}

    return app
