"""The HTTP API of the grading service (FastAPI; OpenAPI at /openapi.json, browsable at /docs).

Learners post submissions with their token and read their own; an instructor token reads the
cohort and the instructor page, each such read written to the audit log. Errors are JSON
`{"detail": "one line"}` with a 4xx status; 429s carry `Retry-After`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from fastapi import Depends, FastAPI, HTTPException, Request
from fastapi.responses import HTMLResponse, JSONResponse, PlainTextResponse, RedirectResponse, Response
from fastapi.exceptions import RequestValidationError
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException as StarletteHTTPException

from graders.errors import BadInput
from graders.service import store
from graders.service.intake import TooLarge, check_archive, check_git, lab_by_id
from graders.service.settings import Settings
from graders.service.views import learner_result, summary

COOKIE = "cda_token"
REPORTS = {"markdown": "text/markdown", "junit": "application/xml", "sarif": "application/json",
           "html": "text/html", "json": "application/json"}
UPLOAD_SCHEMA = {"requestBody": {"required": True, "content": {"multipart/form-data": {"schema": {
    "type": "object", "required": ["lab"], "properties": {
        "lab": {"type": "string", "description": "Lab id"},
        "archive": {"type": "string", "format": "binary", "description": ".zip or .tar.gz of the working copy"},
        "git_url": {"type": "string", "description": "Instead of archive: a git remote..."},
        "commit": {"type": "string", "description": "...and the full hash of the commit to grade"}}}}}}}


@dataclass(frozen=True)
class Caller:
    learner: str
    instructor: bool


def create_app(engine, publish: Callable[[str], bool], settings: Settings | None = None,
               allow_local_git: bool = False) -> FastAPI:
    """The API on `engine` (the gradebook); `publish(id)` sends a submission to the workers."""
    settings = settings or Settings.from_env()
    app = FastAPI(title="CDA grading service", version="1",
                  description="Submissions graded with the hidden tests; results by criterion (docs/service.md).")

    @app.exception_handler(StarletteHTTPException)
    async def one_line(_request: Request, exc: StarletteHTTPException) -> JSONResponse:
        return JSONResponse({"detail": str(exc.detail).splitlines()[0] if exc.detail else ""},
                            status_code=exc.status_code, headers=exc.headers)

    @app.exception_handler(RequestValidationError)
    async def invalid(_request: Request, exc: RequestValidationError) -> JSONResponse:
        first = exc.errors()[0] if exc.errors() else {}
        where = ".".join(str(part) for part in first.get("loc", ()))
        return JSONResponse({"detail": f"{where}: {first.get('msg', 'invalid request')}"}, status_code=422)

    def caller(request: Request) -> Caller:
        header = request.headers.get("authorization", "")
        token = header[7:].strip() if header.lower().startswith("bearer ") else request.cookies.get(COOKIE, "")
        owner = store.token_owner(engine, token) if token else None
        if owner is None:
            raise HTTPException(401, "missing or unknown token (Authorization: Bearer TOKEN)",
                                headers={"WWW-Authenticate": "Bearer"})
        return Caller(*owner)

    def instructor(who: Caller = Depends(caller)) -> Caller:
        if not who.instructor:
            raise HTTPException(403, "an instructor token is needed")
        return who

    def visible_row(ident: str, who: Caller):
        row = store.get(engine, ident)
        if row is None or (row.learner_id != who.learner and not who.instructor):
            raise HTTPException(404, "no such submission")  # another learner's: as if it did not exist
        if row.learner_id != who.learner:
            store.audit(engine, who.learner, "read-submission", f"{ident} ({row.learner_id}, {row.lab_id})")
        return row

    def too_many(message: str, retry_after: float) -> HTTPException:
        return HTTPException(429, message, headers={"Retry-After": str(max(1, int(retry_after)))})

    @app.post("/api/submissions", status_code=202, openapi_extra=UPLOAD_SCHEMA,
              summary="Submit a working copy (archive) or a commit (git_url + commit) for grading")
    async def submit(request: Request, who: Caller = Depends(caller)) -> dict:
        if store.recent_count(engine, who.learner, settings.rate_window_s) >= settings.rate_count:
            raise too_many(f"rate limit: {settings.rate_count} submissions per {settings.rate_window_s:g} s",
                           settings.rate_window_s / settings.rate_count)
        if store.backlog(engine) >= settings.max_backlog:
            raise too_many("the grading queue is full, try again shortly", 30)
        limit = int(settings.max_upload_mb * (1 << 20))
        if int(request.headers.get("content-length") or 0) > limit + 65536:
            raise HTTPException(413, f"upload larger than {settings.max_upload_mb:g} MB")
        try:
            form = await request.form(max_files=1, max_fields=8)
        except Exception as exc:  # noqa: BLE001 (malformed multipart)
            raise HTTPException(400, f"malformed form: {exc}") from None
        try:
            return await intake(form, who, limit)
        except TooLarge as exc:
            raise HTTPException(413, str(exc)) from None
        except BadInput as exc:
            raise HTTPException(422, str(exc)) from None
        finally:
            await form.close()

    async def intake(form, who: Caller, limit: int) -> dict:
        lab_id, archive = form.get("lab"), form.get("archive")
        git_url, commit = form.get("git_url"), form.get("commit")
        if not isinstance(lab_id, str) or not lab_id:
            raise BadInput("lab: the lab id is required")
        lab = lab_by_id(lab_id)
        if isinstance(archive, UploadFile):
            data = await archive.read(limit + 1)
            if len(data) > limit:
                raise TooLarge(f"upload larger than {settings.max_upload_mb:g} MB")
            digest = check_archive(lab, archive.filename or "", data)
            ident, new = store.add_submission(engine, who.learner, lab.id, digest, filename=archive.filename, data=data)
        elif isinstance(git_url, str) and git_url:
            digest = check_git(git_url, commit if isinstance(commit, str) else "", allow_local_git)
            ident, new = store.add_submission(engine, who.learner, lab.id, digest, git_url=git_url, commit=commit)
        else:
            raise BadInput("send an `archive` file, or `git_url` and `commit`")
        if new and publish(ident):
            store.mark_published(engine, ident)
        return {"id": ident, "status": store.get(engine, ident).status}

    @app.get("/api/submissions/{ident}", summary="A submission's status and, once graded, its result")
    def read(ident: str, who: Caller = Depends(caller)) -> dict:
        row = visible_row(ident, who)
        result = store.result_of(engine, row) if row.status == "graded" else None
        return {**summary(row), "result": learner_result(result, row.lab_id)}

    @app.get("/api/submissions/{ident}/report/{fmt}", summary="A graded submission's report: "
             + ", ".join(REPORTS), response_class=PlainTextResponse)
    def report(ident: str, fmt: str, lang: str = "fr", who: Caller = Depends(caller)) -> Response:
        from graders.render.registry import render
        from graders.results import Result

        if fmt not in REPORTS or lang not in ("fr", "en"):
            raise HTTPException(404, f"report formats: {', '.join(REPORTS)}; lang: fr, en")
        row = visible_row(ident, who)
        if row.status != "graded":
            raise HTTPException(409, f"submission {row.status}, no report yet")
        result = Result.model_validate(learner_result(store.result_of(engine, row), row.lab_id))
        return Response(render(result, fmt, lang), media_type=REPORTS[fmt])

    @app.get("/api/submissions", summary="Your submissions (an instructor: the cohort's, ?learner= to filter)")
    def index(learner: str | None = None, status: str | None = None, who: Caller = Depends(caller)) -> list[dict]:
        if not who.instructor:
            learner = who.learner
        else:
            store.audit(engine, who.learner, "list-submissions", f"learner={learner or '*'} status={status or '*'}")
        return [summary(row) for row in store.listing(engine, learner, (status,) if status else None, limit=2000)]

    @app.get("/api/health", summary="Liveness and the length of the queue")
    def health() -> dict:
        return {"status": "ok", "backlog": store.backlog(engine)}

    @app.get("/", include_in_schema=False)
    def home() -> RedirectResponse:
        return RedirectResponse("/instructor", status_code=303)

    @app.get("/login", response_class=HTMLResponse, include_in_schema=False)
    def login_form(lang: str = "fr") -> str:
        from graders.service.page import login_html

        return login_html(lang)

    @app.post("/login", include_in_schema=False)
    async def login(request: Request) -> Response:
        form = await request.form(max_files=0, max_fields=2)
        token = str(form.get("token") or "")
        owner = store.token_owner(engine, token) if token else None
        if owner is None or not owner[1]:
            raise HTTPException(401, "not an instructor token")
        answer = RedirectResponse("/instructor", status_code=303)
        answer.set_cookie(COOKIE, token, httponly=True, samesite="strict", secure=request.url.scheme == "https")
        return answer

    @app.get("/instructor", response_class=HTMLResponse, summary="Instructor page: queue, latest results, cohort")
    def page(request: Request, lang: str = "fr") -> Response:
        from graders.service.page import instructor_html

        try:
            who = instructor(caller(request))
        except HTTPException as exc:
            if exc.status_code == 401:
                return RedirectResponse("/login", status_code=303)
            raise
        store.audit(engine, who.learner, "view-instructor-page")
        return HTMLResponse(instructor_html(engine, lang if lang in ("fr", "en") else "fr"))

    return app
