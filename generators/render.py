"""Render a DOCX template with a context: the only module that drives docxtpl.

One engine with a fallback: each template is prepared once (:mod:`generators.prepared`, docxtpl's
own preprocessing run once, the result compiled once) and every document rendered from it;
where a template or a context uses something only docxtpl can render, that document is rendered
by docxtpl itself and a notice says which template and which construct. Both give the same
document.

Templates are data: they render in the Jinja sandbox with undefined names as errors, and a
template that fails is reported with its file and the text around the failing tag.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from docxtpl import DocxTemplate
from jinja2 import TemplateError, TemplateNotFound, TemplateSyntaxError, UndefinedError
from jinja2.exceptions import SecurityError

from . import docxzip
from .errors import HuiwuError
from .jinja import TooLarge, environment
from .prepared import NeedsDocxtpl, PreparedTemplate, Rendered, refuse_docxtpl_objects


class TemplateProblem(HuiwuError):
    """A template that cannot be rendered, with where and why in Chinese."""


class Renderer:
    """Renders documents, preparing each template file once.

    ``notices`` collects, once per template and construct, the Chinese notes about documents
    that had to be rendered by docxtpl (slower, same result); ``notify`` is also called with each.
    """

    def __init__(self, notify: Callable[[str], None] | None = None) -> None:
        self._prepared: dict[Path, PreparedTemplate] = {}  # a renderer lives for one build
        self._notify = notify
        self.notices: list[str] = []

    def render(self, template: Path, context: Mapping[str, Any]) -> bytes:
        """Render ``template`` with ``context``; return the DOCX bytes (deterministic)."""
        return self.render_document(template, context).data

    def render_document(self, template: Path, context: Mapping[str, Any]) -> Rendered:
        """Like :meth:`render`, also returning the main document part on its own."""
        prepared = self.prepare(template)
        reason = prepared.unsupported
        if reason is None:
            try:
                with _reported(template):
                    return prepared.render(context)
            except NeedsDocxtpl as exc:
                reason = exc.construct
        self._notice(template, reason)
        return _render_with_docxtpl(template, context)

    def prepare(self, template: Path) -> PreparedTemplate:
        """The prepared template for ``template`` (prepared on first use)."""
        prepared = self._prepared.get(template)
        if prepared is None:
            document = _open(template)
            env = environment(autoescape=True, finalize=refuse_docxtpl_objects)
            with _reported(template):
                prepared = PreparedTemplate(document, env)
            self._prepared[template] = prepared
        return prepared

    def _notice(self, template: Path, reason: str) -> None:
        text = f"{template}: 模板或数据用到了{reason}，快速生成方式不支持，这份改由 docxtpl 逐份生成（结果相同，速度较慢）"
        if text not in self.notices:
            self.notices.append(text)
            if self._notify is not None:
                self._notify(text)


def render(template: Path, context: Mapping[str, Any]) -> bytes:
    """Render one document with a renderer of its own (see :class:`Renderer` for batches)."""
    return Renderer().render(template, context)


def _render_with_docxtpl(template: Path, context: Mapping[str, Any]) -> Rendered:
    document = _owner(context) or _open(template)
    with _reported(template):
        document.render(dict(context), jinja_env=environment(autoescape=True), autoescape=True)
        buffer = io.BytesIO()
        document.save(buffer)
    members = docxzip.read_members(buffer.getvalue())
    return Rendered(docxzip.pack(members), members[document.docx.part.partname.lstrip("/")])


def _owner(context: Mapping[str, Any]) -> DocxTemplate | None:
    """The DocxTemplate an image or sub-document in the context was made for: it must render."""
    for value in context.values():
        owner = getattr(value, "tpl", None)
        if isinstance(owner, DocxTemplate):
            return owner
    return None


def _open(template: Path) -> DocxTemplate:
    if not template.is_file():
        raise TemplateProblem(f"{template}: 找不到模板文件")
    if not zipfile.is_zipfile(template):
        raise TemplateProblem(
            f"{template}: 不是 DOCX 文件（可能是 .doc 或已损坏），请用 Word/WPS 另存为 .docx"
        )
    document = DocxTemplate(template)
    try:
        document.init_docx()
    except (KeyError, ValueError, zipfile.BadZipFile) as exc:
        raise TemplateProblem(f"{template}: 模板文件已损坏，无法打开（{exc}）") from None
    return document


@contextmanager
def _reported(template: Path) -> Iterator[None]:
    """Turn what a broken template raises into a :class:`TemplateProblem` naming it."""
    try:
        yield
    except TemplateError as exc:
        raise TemplateProblem(_describe(template, exc)) from None
    except (TypeError, ValueError, AttributeError, ArithmeticError, LookupError) as exc:
        # Raised by expressions in the template (e.g. looping over a number): the template's fault.
        raise TemplateProblem(f"{template}: 模板里的表达式无法计算（{exc}）") from None


def _describe(template: Path, exc: TemplateError) -> str:
    where = _context_text(exc)
    if isinstance(exc, UndefinedError):
        what = f"模板引用了不存在的变量：{exc.message}"
    elif isinstance(exc, TemplateNotFound):
        what = f"模板不能引用其他文件（{exc.name}），已拒绝：请把要用的文字直接写进模板"
    elif isinstance(exc, TooLarge):
        what = f"模板里的{exc}，已拒绝"
    elif isinstance(exc, SecurityError):
        what = "模板试图访问不允许的内容，已拒绝（模板只能使用给定的数据）"
    elif isinstance(exc, TemplateSyntaxError):
        what = f"模板标签写错了：{exc.message}"
    else:
        what = f"模板无法生成：{exc}"
    return f"{template}: {what}" + (f"。出错位置附近的文字：“{where}”" if where else "")


def _context_text(exc: TemplateError) -> str:
    lines = getattr(exc, "docx_context", None)
    if not lines:
        return ""
    text = re.sub(r"\s+", " ", " ".join(lines)).strip()
    return text[:120]
