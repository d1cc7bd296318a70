"""Render a DOCX template with a context: the only module that drives docxtpl.

Templates are data: they render in the Jinja sandbox with undefined names as errors, and a
template that fails is reported with its file and the text around the failing tag.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path
from typing import Any

from docxtpl import DocxTemplate
from jinja2 import TemplateError, TemplateNotFound, TemplateSyntaxError, UndefinedError
from jinja2.exceptions import SecurityError

from . import docxzip
from .errors import HuiwuError
from .jinja import TooLarge, environment


class TemplateProblem(HuiwuError):
    """A template that cannot be rendered, with where and why in Chinese."""


def render(template: Path, context: dict[str, Any]) -> bytes:
    """Render ``template`` with ``context`` and return the DOCX bytes (deterministic)."""
    document = _open(template)
    try:
        document.render(context, jinja_env=environment(autoescape=True), autoescape=True)
    except TemplateError as exc:
        raise TemplateProblem(_describe(template, exc)) from None
    except (TypeError, ValueError, AttributeError, ArithmeticError, LookupError) as exc:
        # Raised by expressions in the template (e.g. looping over a number): the template's fault.
        raise TemplateProblem(f"{template}: 模板里的表达式无法计算（{exc}）") from None
    buffer = io.BytesIO()
    document.save(buffer)
    return docxzip.normalize(buffer.getvalue())


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
