"""The page's routes: HTML pages (Jinja) and the small JSON API their script calls.

Heavy work (checking, rendering, LibreOffice) runs in Starlette's thread pool, so one slow
request never holds up the others. Every path comes from :mod:`huiwu.web.workspace`.
"""

from __future__ import annotations

import contextlib
import io
import json
import tempfile
import time
import zipfile
from collections.abc import AsyncIterator
from dataclasses import asdict
from pathlib import Path
from typing import Any

from huiwu.web import backend
from huiwu.web.jobs import Jobs
from huiwu.web.preview import Previews
from huiwu.web.security import Guard, Secrets
from huiwu.web.workspace import (
    DEFINITION,
    MAX_UPLOAD,
    TEMPLATES,
    WORKBOOK,
    Meeting,
    Workspace,
    WorkspaceError,
    check_name,
    check_office_file,
    etag,
    inside,
    outside_references,
    write_atomically,
)
from huiwu.web.yamlform import FormError, read_form, write_form
from jinja2 import Environment, PackageLoader, select_autoescape
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, JSONResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

OUTPUT = "会议材料"
"""The packet's folder inside the meeting's folder (and ``会议材料.zip`` beside it)."""
MAX_TEXT = 1024 * 1024


class State:
    """What the routes share: the workspace, the tokens, the caches and the builds."""

    def __init__(self, root: Path, tokens: Secrets) -> None:
        self.workspace = Workspace(root)
        self.tokens = tokens
        self.previews = Previews()
        self.jobs = Jobs()
        self.pages = Environment(
            loader=PackageLoader("huiwu.web", "templates"),
            autoescape=select_autoescape(["html"]),
        )

    def render(self, name: str, **context: Any) -> HTMLResponse:
        """An HTML page, with the CSRF token its script sends back."""
        template = self.pages.get_template(name)
        return HTMLResponse(template.render(csrf=self.tokens.csrf, **context))


def _state(request: Request) -> State:
    return request.app.state.huiwu


def _meeting(request: Request) -> Meeting:
    return _state(request).workspace.meeting(request.path_params["meeting"])


def _inputs(meeting: Meeting, text: str | None = None) -> dict[str, Path | None]:
    """The workbook and template folder to use beside the definition: the page's uploads when
    the definition names none of its own. Refuses a definition naming files outside the
    workspace."""
    outside = outside_references(meeting.folder.parent, meeting.definition, text)
    if outside:
        raise WorkspaceError(
            "定义里的这些路径指向工作文件夹以外，网页不读取："
            + "；".join(outside)
            + "。请把这些文件放进工作文件夹，改写相对路径。",
            403,
        )
    data = meeting.folder / WORKBOOK
    templates = meeting.templates
    named = _named_workbook(meeting, text)
    return {
        "data": data if named is None and data.is_file() else None,
        "templates": templates if templates.is_dir() else None,
    }


def _named_workbook(meeting: Meeting, text: str | None = None) -> Path | None:
    try:
        model = backend.load(meeting.definition, text=text).model
    except backend.HuiwuError:
        return None
    if not model.workbook.file:
        return None
    return meeting.folder / model.workbook.file


async def _json(request: Request) -> dict[str, Any]:
    body = await _body(request, MAX_TEXT)
    try:
        value = json.loads(body or b"{}")
    except ValueError:
        raise WorkspaceError("请求格式不对。") from None
    if not isinstance(value, dict):
        raise WorkspaceError("请求格式不对。")
    return value


async def _body(request: Request, limit: int) -> bytes:
    """The request body, refused as soon as it is larger than ``limit``."""
    declared = request.headers.get("content-length")
    too_big = WorkspaceError(f"文件太大：最大 {limit // (1024 * 1024) or 1} MB。", 413)
    if declared is not None and declared.isdigit() and int(declared) > limit:
        raise too_big
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise too_big
        chunks.append(chunk)
    return b"".join(chunks)


def _issues(issues: list[backend.Issue]) -> list[dict[str, Any]]:
    return [asdict(issue) for issue in issues]


# Pages


async def meetings_page(request: Request) -> Response:
    """The list of meetings, with 新建 and 沿用到明年."""
    state = _state(request)
    rows = [_summary_row(m) for m in state.workspace.meetings()]
    examples = await run_in_threadpool(backend.examples)
    root = state.workspace.root
    return state.render(
        "meetings.html",
        meetings=rows,
        examples=examples,
        root=root,
        root_is_meeting=(root / DEFINITION).is_file(),
    )


def _summary_row(meeting: Meeting) -> dict[str, Any]:
    row: dict[str, Any] = {"id": meeting.id, "title": meeting.id, "date": "", "documents": ""}
    try:
        _inputs(meeting)
        model = backend.load(meeting.definition).model
    except (backend.HuiwuError, WorkspaceError):
        row["broken"] = True
        return row
    row["title"] = backend.title(meeting.definition)
    row["date"] = model.meeting.date.isoformat() if model.meeting.date else ""
    archive = meeting.folder / f"{OUTPUT}.zip"
    row["built"] = (
        time.strftime("%Y-%m-%d %H:%M", time.localtime(archive.stat().st_mtime))
        if archive.is_file()
        else "尚未生成"
    )
    return row


async def meeting_page(request: Request) -> Response:
    """One meeting: definition, workbook, templates, preview, build."""
    meeting = _meeting(request)
    return _state(request).render("meeting.html", meeting=meeting)


# Meetings


async def meeting_summary(request: Request) -> Response:
    """The slow part of a meeting's row: its documents and open problems."""
    meeting = _meeting(request)

    def summarise() -> dict[str, Any]:
        try:
            issues = backend.check(meeting.definition, **_inputs(meeting))
        except WorkspaceError:
            return {"errors": 1, "warnings": 0, "documents": []}
        try:
            kinds = [k.name for k in backend.kinds(meeting.definition) if k.available]
        except backend.HuiwuError:
            kinds = []
        errors = sum(1 for i in issues if i.severity == "error")
        return {"errors": errors, "warnings": len(issues) - errors, "documents": kinds}

    return JSONResponse(await run_in_threadpool(summarise))


async def create_meeting(request: Request) -> Response:
    """新建: a meeting folder from a built-in example (or the commented starter)."""
    body = await _json(request)
    name, target = _new_meeting(request, body)
    example = body.get("example") or None
    await run_in_threadpool(backend.new, target.folder, example=example)
    return JSONResponse({"id": name})


def _new_meeting(request: Request, body: dict[str, Any]) -> tuple[str, Meeting]:
    """The folder a new meeting named in ``body`` goes to; one that exists already is refused."""
    name = check_name(str(body.get("name", "")))
    target = _state(request).workspace.meeting(name, exists=False)
    if target.folder.exists():
        raise WorkspaceError(f"已有名为“{name}”的文件夹，请换一个名称。", 409)
    return name, target


async def roll_meeting(request: Request) -> Response:
    """沿用到明年: next year's definition in a new meeting folder."""
    meeting = _meeting(request)
    body = await _json(request)
    name, target = _new_meeting(request, body)
    year = body.get("year")
    _inputs(meeting)
    target.folder.mkdir()
    try:
        result = await run_in_threadpool(
            backend.roll, meeting.definition, target.definition, year=int(year) if year else None
        )
    except BaseException:
        target.folder.rmdir()
        raise
    return JSONResponse({"id": name, "todo": _issues(result.todo)})


# Definition


async def get_definition(request: Request) -> Response:
    """The definition's text and its version (for the stale-save check)."""
    meeting = _meeting(request)
    data = meeting.definition.read_bytes()
    return JSONResponse({"text": data.decode("utf-8-sig", "replace"), "etag": etag(data)})


async def put_definition(request: Request) -> Response:
    """Save the editor's text, unless the file changed since the page read it."""
    meeting = _meeting(request)
    body = await _json(request)
    text = str(body.get("text", ""))
    new = await run_in_threadpool(
        _state(request).workspace.save, meeting.definition, text, body.get("etag")
    )
    return JSONResponse({"etag": new})


async def check_definition(request: Request) -> Response:
    """Every problem of the editor's text (not yet saved), with its line."""
    meeting = _meeting(request)
    body = await _json(request)
    text = body.get("text")
    try:
        inputs = _inputs(meeting, text)
    except WorkspaceError as exc:
        return JSONResponse({"issues": [asdict(backend.Issue("error", str(exc)))]})
    issues = await run_in_threadpool(lambda: backend.check(meeting.definition, text=text, **inputs))
    return JSONResponse({"issues": _issues(issues)})


async def form_read(request: Request) -> Response:
    """The yearly form's values, read from the editor's text."""
    body = await _json(request)
    try:
        return JSONResponse(read_form(str(body.get("text", ""))))
    except FormError as exc:
        raise WorkspaceError(str(exc)) from None


async def form_write(request: Request) -> Response:
    """The editor's text with the form written in (comments and order kept)."""
    body = await _json(request)
    try:
        text = write_form(str(body.get("text", "")), body.get("form") or {})
    except FormError as exc:
        raise WorkspaceError(str(exc)) from None
    return JSONResponse({"text": text})


async def field_help(request: Request) -> Response:
    """The schema's title and description of a field (keys joined by dots)."""
    keys = [k for k in request.query_params.get("path", "").split(".") if k]
    return JSONResponse(backend.field_help(keys) or {})


# Workbook


async def blank_workbook(request: Request) -> Response:
    """The blank workbook for this definition, as a download."""
    meeting = _meeting(request)
    _inputs(meeting)  # refuses a definition that reaches outside the workspace
    with tempfile.TemporaryDirectory() as scratch:
        target = Path(scratch) / WORKBOOK
        await run_in_threadpool(backend.blank_workbook, meeting.definition, target)
        data = target.read_bytes()
    return _download(data, f"{meeting.id}-空白指标表.xlsx", "application/vnd.ms-excel")


async def upload_workbook(request: Request) -> Response:
    """Take the filled workbook, checked by content, and check the meeting with it."""
    meeting = _meeting(request)
    _inputs(meeting)
    data = await _body(request, MAX_UPLOAD)
    check_office_file(data, "xlsx")
    target = _named_workbook(meeting) or meeting.folder / WORKBOOK
    target = inside(meeting.folder, target)
    await run_in_threadpool(write_atomically, target, data)
    issues = await run_in_threadpool(
        lambda: backend.check(meeting.definition, proofread=False, **_inputs(meeting))
    )
    return JSONResponse({"saved": target.name, "issues": _issues(issues)})


async def figure_tables(request: Request) -> Response:
    """The computed figures (rates, comparisons, ranks, quotas) to look over."""
    meeting = _meeting(request)
    data = _inputs(meeting)["data"]
    tables = await run_in_threadpool(lambda: backend.figures(meeting.definition, data=data))
    return JSONResponse({"tables": [asdict(t) for t in tables]})


# Templates


async def template_fields(request: Request) -> Response:
    """The names a template of one kind may use, with their values for this meeting."""
    meeting = _meeting(request)
    kind = request.query_params.get("kind", "notice")
    data = _inputs(meeting)["data"]
    found = await run_in_threadpool(lambda: backend.fields(meeting.definition, kind, data=data))
    kinds = await run_in_threadpool(backend.kinds, meeting.definition)
    return JSONResponse(
        {
            "fields": [asdict(f) for f in found],
            "kinds": [asdict(k) for k in kinds if k.available],
        }
    )


async def builtin_templates(request: Request) -> Response:
    """The built-in templates as one zip, to edit in Word/WPS."""
    with tempfile.TemporaryDirectory() as scratch:
        files = await run_in_threadpool(backend.copy_templates, Path(scratch) / "模板")
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for path in files:
                archive.write(path, f"模板/{path.name}")
    return _download(buffer.getvalue(), "huiwu-内置模板.zip", "application/zip")


async def upload_template(request: Request) -> Response:
    """Take one of the user's templates (named after the kind's template), checked."""
    meeting = _meeting(request)
    _inputs(meeting)
    kinds = await run_in_threadpool(backend.kinds, meeting.definition)
    stem = request.path_params["name"]
    if stem not in {k.template for k in kinds} | {"volume"}:
        raise WorkspaceError(f"没有名为“{stem}”的模板。", 404)
    data = await _body(request, MAX_UPLOAD)
    check_office_file(data, "docx")
    meeting.templates.mkdir(exist_ok=True)
    target = inside(meeting.folder, meeting.templates / f"{stem}.docx")
    previous = target.read_bytes() if target.exists() else None
    await run_in_threadpool(write_atomically, target, data)
    issues = await run_in_threadpool(lambda: backend.check(meeting.definition, **_inputs(meeting)))
    if any(i.severity == "error" for i in issues):
        # A template that breaks the packet is not kept: the meeting stays buildable.
        if previous is None:
            target.unlink()
        else:
            write_atomically(target, previous)
        return JSONResponse({"saved": False, "issues": _issues(issues)}, status_code=422)
    return JSONResponse({"saved": True, "issues": _issues(issues)})


# Preview


async def preview(request: Request) -> Response:
    """Every document's page images for the editor's text (only changed ones re-rendered)."""
    meeting = _meeting(request)
    body = await _json(request)
    text = body.get("text")
    state = _state(request)
    documents = await run_in_threadpool(
        lambda: state.previews.refresh(meeting.definition, text=text, **_inputs(meeting, text))
    )
    return JSONResponse({"documents": [asdict(d) for d in documents]})


async def preview_page(request: Request) -> Response:
    """One page image."""
    path = _state(request).previews.page(request.path_params["digest"], request.path_params["page"])
    if path is None:
        return Response(status_code=404)
    return FileResponse(path, media_type="image/png", headers={"Cache-Control": "max-age=3600"})


# Build and download


async def start_build(request: Request) -> Response:
    """Start building the whole packet (DOCX, PDF, 汇编, letters, zip) in the background."""
    meeting = _meeting(request)
    body = await _json(request)
    inputs = _inputs(meeting)
    pdf = bool(body.get("pdf", True))
    options = backend.BuildOptions(
        out_dir=meeting.folder / OUTPUT,
        force=True,
        templates=inputs["templates"],
        data=inputs["data"],
        pdf=pdf,
        merged=pdf,
        zip=True,
    )
    job = _state(request).jobs.start(meeting.id, meeting.definition, options)
    return JSONResponse(job.as_json())


async def job_status(request: Request) -> Response:
    """How far a build is; when done, its files."""
    job = _state(request).jobs.get(request.path_params["job"])
    if job is None:
        return JSONResponse({"error": "没有这次生成。"}, status_code=404)
    return JSONResponse(job.as_json())


async def cancel_job(request: Request) -> Response:
    """Ask a build to stop; it stops at its next stage and writes nothing."""
    job = _state(request).jobs.get(request.path_params["job"])
    if job is None:
        return JSONResponse({"error": "没有这次生成。"}, status_code=404)
    job.cancel.set()
    return JSONResponse(job.as_json())


async def built_files(request: Request) -> Response:
    """The files of the meeting's last packet, for download one by one."""
    meeting = _meeting(request)
    folder = meeting.folder / OUTPUT
    files = (
        sorted(
            p.relative_to(folder).as_posix()
            for p in folder.rglob("*")
            if p.is_file() and p.name != "manifest.json"
        )
        if folder.is_dir()
        else []
    )
    archive = meeting.folder / f"{OUTPUT}.zip"
    return JSONResponse({"files": files, "archive": archive.is_file()})


async def download_file(request: Request) -> Response:
    """One file of the packet (or the whole packet's zip)."""
    meeting = _meeting(request)
    relative = request.path_params["path"]
    if relative == f"{OUTPUT}.zip":
        path = inside(meeting.folder, meeting.folder / relative)
    else:
        path = inside(meeting.folder / OUTPUT, meeting.folder / OUTPUT / relative)
    if not path.is_file():
        raise WorkspaceError("没有这个文件，请先生成。", 404)
    return FileResponse(path, filename=path.name)


def _download(data: bytes, filename: str, media_type: str) -> Response:
    from urllib.parse import quote

    disposition = f"attachment; filename*=UTF-8''{quote(filename)}"
    return Response(data, media_type=media_type, headers={"Content-Disposition": disposition})


async def _user_error(request: Request, exc: Exception) -> Response:
    if isinstance(exc, WorkspaceError):
        return JSONResponse({"error": str(exc)}, status_code=exc.status)
    return JSONResponse({"error": str(exc), "issues": _problems(exc)}, status_code=422)


def _problems(exc: Exception) -> list[dict[str, Any]]:
    if isinstance(exc, backend.InputError):
        return [
            {"message": str(p), "severity": "error"}
            for p in exc.problems  # type: ignore[attr-defined]
        ]
    return []


@contextlib.asynccontextmanager
async def _lifespan(app: Starlette) -> AsyncIterator[None]:
    # A LibreOffice kept running makes a preview of an edited document a fraction of a second
    # instead of a LibreOffice start; it goes when the server does.
    backend.keep_libreoffice_running(True)
    try:
        yield
    finally:
        backend.keep_libreoffice_running(False)


def create_app(root: Path, tokens: Secrets, hosts: list[str]) -> Guard:
    """The whole web application for the workspace ``root``, behind its guard."""
    static = Path(__file__).parent / "static"
    routes = [
        Route("/", meetings_page),
        Route("/m/{meeting}", meeting_page),
        Route("/api/meetings", create_meeting, methods=["POST"]),
        Route("/api/m/{meeting}/summary", meeting_summary),
        Route("/api/m/{meeting}/roll", roll_meeting, methods=["POST"]),
        Route("/api/m/{meeting}/definition", get_definition),
        Route("/api/m/{meeting}/definition", put_definition, methods=["PUT"]),
        Route("/api/m/{meeting}/check", check_definition, methods=["POST"]),
        Route("/api/m/{meeting}/form/read", form_read, methods=["POST"]),
        Route("/api/m/{meeting}/form/write", form_write, methods=["POST"]),
        Route("/api/help", field_help),
        Route("/m/{meeting}/blank.xlsx", blank_workbook),
        Route("/api/m/{meeting}/workbook", upload_workbook, methods=["PUT"]),
        Route("/api/m/{meeting}/figures", figure_tables),
        Route("/api/m/{meeting}/fields", template_fields),
        Route("/templates.zip", builtin_templates),
        Route(f"/api/m/{{meeting}}/{TEMPLATES}/{{name}}", upload_template, methods=["PUT"]),
        Route("/api/m/{meeting}/preview", preview, methods=["POST"]),
        Route("/preview/{digest}/{page:int}.png", preview_page),
        Route("/api/m/{meeting}/build", start_build, methods=["POST"]),
        Route("/api/jobs/{job}", job_status),
        Route("/api/jobs/{job}/cancel", cancel_job, methods=["POST"]),
        Route("/api/m/{meeting}/files", built_files),
        Route("/m/{meeting}/download/{path:path}", download_file),
        Mount("/static", StaticFiles(directory=static), name="static"),
    ]
    app = Starlette(
        routes=routes,
        lifespan=_lifespan,
        exception_handlers={
            WorkspaceError: _user_error,
            backend.HuiwuError: _user_error,
        },
    )
    app.state.huiwu = State(root, tokens)
    return Guard(app, tokens, hosts)
