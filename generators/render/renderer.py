"""Render a DOCX template with a context: the only module that drives docxtpl.

One engine with a fallback: each template is prepared once (:mod:`huiwu.render.prepared`, docxtpl's
own preprocessing run once, the result compiled once) and every document rendered from it;
where a template or a context uses something only docxtpl can render, that document is rendered
by docxtpl itself and a notice says which template and which construct. Both give the same
document.

Templates are data: they render in the Jinja sandbox with undefined names as errors, and a
template that fails is reported with its file and the text around the failing tag.
"""

from __future__ import annotations

import gc
import io
import re
import zipfile
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from docxtpl import DocxTemplate, RichText, RichTextParagraph
from huiwu.errors import HuiwuError, raised_by_huiwu
from huiwu.render import docxzip
from huiwu.render.docxtext import paragraph_texts
from huiwu.render.fieldnames import named
from huiwu.render.prepared import (
    NeedsDocxtpl,
    PreparedTemplate,
    Rendered,
    like_docxtpl_for_huiwu,
    refuse_docxtpl_objects,
)
from huiwu.render.safety import inspect_template
from huiwu.text.filters import FILTERS
from huiwu.text.jinja import (
    TooLarge,
    close_names,
    environment,
    explain_runtime,
    explain_syntax,
    undefined_name,
)
from jinja2 import TemplateError, TemplateNotFound, TemplateSyntaxError, UndefinedError
from jinja2.defaults import DEFAULT_FILTERS
from jinja2.exceptions import SecurityError
from lxml import etree


class TemplateProblem(HuiwuError):
    """A template that cannot be rendered: ``file`` is the template, ``message`` where in it
    and why, in Chinese; printed as ``file: message``."""

    def __init__(self, file: Path, message: str) -> None:
        self.file = file
        self.message = message
        super().__init__(f"{file}: {message}")

    def __reduce__(self) -> tuple[type[TemplateProblem], tuple[Path, str]]:
        # Raised in a worker process of a batch, it is pickled back to the parent.
        return (TemplateProblem, (self.file, self.message))


class Renderer:
    """Renders documents, preparing each template file once.

    ``notices`` collects, once per template and construct, the Chinese notes about documents
    that had to be rendered by docxtpl (slower, same result); ``notify`` is also called with each.
    """

    def __init__(self, notify: Callable[[str], None] | None = None) -> None:
        # A renderer lives for one build; a template is prepared once for one document
        # (``once``) and once for many.
        self._prepared: dict[tuple[Path, bool], PreparedTemplate] = {}
        self._notify = notify
        self.notices: list[str] = []

    def render(self, template: Path, context: Mapping[str, Any], *, once: bool = False) -> bytes:
        """Render ``template`` with ``context``; return the DOCX bytes (deterministic).

        ``once``: the template makes one document, not a batch (see :meth:`prepare`)."""
        return self.render_document(template, context, once=once).data

    def render_document(
        self, template: Path, context: Mapping[str, Any], *, once: bool = False
    ) -> Rendered:
        """Like :meth:`render`, also returning the main document part on its own."""
        context = named(_fit_title(context))
        prepared = self.prepare(template, once=once)
        reason = prepared.unsupported
        if reason is None:
            try:
                with _reported(template, context):
                    return prepared.render(context)
            except NeedsDocxtpl as exc:
                reason = exc.construct
        self._notice(template, reason)
        return _render_with_docxtpl(template, context)

    def prepare(self, template: Path, *, once: bool = False) -> PreparedTemplate:
        """The prepared template for ``template`` (prepared on first use). For a template that
        makes ``once`` one document (a packet's notice), nothing is set up for a batch: its
        loops are not rendered item by item, nor its tables kept (same document, less work)."""
        prepared = self._prepared.get((template, once))
        if prepared is None:
            document = _open(template)
            env = environment(autoescape=True, finalize=refuse_docxtpl_objects)
            with _reported(template):
                prepared = PreparedTemplate(document, env, batch=not once)
            self._prepared[(template, once)] = prepared
        return prepared

    def add_notices(self, texts: Iterable[str]) -> None:
        """Take notices given by a copy of this renderer (in a worker process)."""
        for text in texts:
            if text not in self.notices:
                self.notices.append(text)
                if self._notify is not None:
                    self._notify(text)

    def _notice(self, template: Path, reason: str) -> None:
        text = f"{template}: 模板或数据用到了{reason}，快速生成方式不支持，这份改由 docxtpl 逐份生成（结果相同，速度较慢）"
        if text not in self.notices:
            self.notices.append(text)
            if self._notify is not None:
                self._notify(text)


MAX_PROPERTY = 255
"""Word's document properties (the title in File > Properties) hold this many characters."""


def _fit_title(context: Mapping[str, Any]) -> Mapping[str, Any]:
    """The context with ``doc_title`` cut to what a document property can hold: a title made
    from a very long unit name must not stop the letter."""
    title = context.get("doc_title")
    if isinstance(title, str) and len(title) > MAX_PROPERTY:
        return {**context, "doc_title": title[: MAX_PROPERTY - 1] + "…"}
    return context


def render(template: Path, context: Mapping[str, Any]) -> bytes:
    """Render one document with a renderer of its own (see :class:`Renderer` for batches)."""
    return Renderer().render(template, context, once=True)


def _render_with_docxtpl(template: Path, context: Mapping[str, Any]) -> Rendered:
    document = _owner(context) or _hyperlink_owner(template, context) or _open(template)
    env = environment(autoescape=True)
    like_docxtpl_for_huiwu(document, env)
    with _reported(template, context):
        document.render(dict(context), jinja_env=env, autoescape=True)
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


def _hyperlink_owner(template: Path, context: Mapping[str, Any]) -> DocxTemplate | None:
    """The DocxTemplate of ``template`` whose ``build_url_id`` made the hyperlinks of the
    RichText values in ``context`` (a RichText keeps only the relationship id, which means
    nothing in a freshly opened copy of the template)."""
    wanted = {
        rid
        for value in context.values()
        if isinstance(value, RichText | RichTextParagraph)
        for rid in _RELATIONSHIP_ID.findall(value.xml)
    }
    if not wanted:
        return None
    for candidate in gc.get_objects():
        if isinstance(candidate, DocxTemplate) and _links(candidate, template, wanted):
            return candidate
    return None


_RELATIONSHIP_ID = re.compile(r'r:id="([^"]+)"')


def _links(candidate: DocxTemplate, template: Path, wanted: set[str]) -> bool:
    source = candidate.template_file
    if candidate.docx is None or not isinstance(source, str | Path):
        return False
    if Path(source).resolve() != template.resolve():
        return False
    rels = candidate.docx.part.rels
    return all(rid in rels and rels[rid].is_external for rid in wanted)


MAX_UNPACKED_BYTES = 200 * 1024 * 1024
"""A template that unpacks to more than this is a zip bomb, not a Word document."""


def _open(template: Path) -> DocxTemplate:
    if not template.is_file():
        raise TemplateProblem(template, "找不到模板文件")
    if not zipfile.is_zipfile(template):
        raise TemplateProblem(
            template, "不是 DOCX 文件（可能是 .doc 或已损坏），请用 Word/WPS 另存为 .docx"
        )
    if docxzip.unpacked_size(template) > MAX_UNPACKED_BYTES:
        raise TemplateProblem(
            template, "模板解压后超过 200 MB，不像是一份普通的 Word 文档，请检查文件"
        )
    inspect_template(template)
    document = DocxTemplate(template)
    try:
        document.init_docx()
    except (KeyError, ValueError, zipfile.BadZipFile) as exc:
        raise TemplateProblem(template, f"模板文件已损坏，无法打开（{exc}）") from None
    except etree.XMLSyntaxError as exc:
        raise TemplateProblem(
            template,
            f"模板文件已损坏（里面的 XML 不完整：{exc.msg}），"
            "请用 Word/WPS 打开后重新保存，或重新复制内置模板",
        ) from None
    _refuse_fullwidth_tags(template, document)
    return document


_FULLWIDTH_TAG = re.compile(r"[｛{][｛{％%]|[％%}｝][｝}]")


def _refuse_fullwidth_tags(template: Path, document: DocxTemplate) -> None:
    """Tags typed with a Chinese input method (``｛｛ 会议名称 ｝｝``) would print as they are."""
    for text in paragraph_texts(document.get_xml()):
        tags = [t for t in _FULLWIDTH_TAG.findall(text) if any(c in t for c in "｛｝％")]
        if tags:
            raise TemplateProblem(
                template,
                f"模板标记用了全角符号“{tags[0]}”（多半是中文输入法打的），"
                f"应为半角的 {{{{ }}}} 或 {{% %}}。出错的段落：“{_clip(text)}”",
            )


@contextmanager
def _reported(template: Path, names: Iterable[str] = ()) -> Iterator[None]:
    """Turn what a broken template raises into a :class:`TemplateProblem` naming it (and, for
    an unknown variable, the ``names`` the template could have used)."""
    try:
        yield
    except TemplateError as exc:
        raise TemplateProblem(template, _describe(template, exc, names)) from None
    except (TypeError, ValueError, AttributeError, ArithmeticError, LookupError) as exc:
        # Raised by expressions in the template (e.g. looping over a number): the template's
        # fault; raised inside huiwu's own code (a filter, a context object): a bug, not theirs.
        if raised_by_huiwu(exc):
            raise
        raise TemplateProblem(
            template, f"模板里的表达式无法计算（{explain_runtime(exc)}）"
        ) from None


def _describe(template: Path, exc: TemplateError, names: Iterable[str] = ()) -> str:
    where = _context_text(exc)
    if isinstance(exc, UndefinedError):
        name = undefined_name(exc)
        where = where or _paragraph_using(template, name)
        what = f"模板引用了不存在的变量“{name}”" + _known(name, names)
    elif isinstance(exc, TemplateNotFound):
        what = f"模板不能引用其他文件（{exc.name}），已拒绝：请把要用的文字直接写进模板"
    elif isinstance(exc, TooLarge):
        what = f"模板里的{exc}，已拒绝"
    elif isinstance(exc, SecurityError):
        what = "模板试图访问不允许的内容，已拒绝（模板只能使用给定的数据）"
    elif isinstance(exc, TemplateSyntaxError):
        what = f"模板标签写错了：{explain_syntax(exc.message or '', FILTERS.keys() | DEFAULT_FILTERS.keys())}"
    else:
        what = f"模板无法生成：{explain_syntax(exc.message or '')}"
    return what + (f"。出错位置附近的文字：“{where}”" if where else "")


MAX_LISTED = 30
"""Names listed in an unknown-name message; ``huiwu fields`` lists them all with their values."""


def _known(name: str, names: Iterable[str]) -> str:
    """``（可用的有：…；是不是“单位”？）`` for an unknown ``name`` in a template."""
    context = names if isinstance(names, Mapping) else dict.fromkeys(names)
    known = sorted(str(n) for n in context if not str(n).startswith("_"))
    if not known:
        return ""
    listed = "、".join(known[:MAX_LISTED])
    if len(known) > MAX_LISTED:
        listed += f"等 {len(known)} 个，全部名称及取值可用 huiwu fields 列出"
    close = close_names(name, context)
    hint = f"；是不是“{'”或“'.join(close)}”？" if close else ""
    return f"（可用的有：{listed}{hint}）"


def _context_text(exc: TemplateError) -> str:
    """The failing paragraph's text (docxtpl attaches the lines around it, the failing one in
    the middle)."""
    lines = getattr(exc, "docx_context", None)
    if not lines:
        return ""
    middle = lines[min(3, len(lines) - 1)]
    return _clip(middle) or _clip(" ".join(lines))


def _paragraph_using(template: Path, name: str) -> str:
    """The text of the first paragraph of ``template`` whose tags mention ``name``."""
    try:
        texts = paragraph_texts(_document_xml(template))
    except (KeyError, zipfile.BadZipFile, OSError, etree.XMLSyntaxError):
        return ""
    for text in texts:
        if name in text and ("{" in text):
            return _clip(text)
    return ""


def _document_xml(template: Path) -> bytes:
    with zipfile.ZipFile(template) as archive:
        return archive.read("word/document.xml")


def _clip(text: str) -> str:
    text = re.sub(r"\s+", " ", text).strip()
    return text if len(text) <= 80 else text[:80] + "…"
