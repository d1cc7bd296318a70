"""Prepared templates: a DOCX template made ready once, then rendered many times, fast.

For every document, docxtpl re-opens the template, re-runs its XML clean-up (``patch_xml``),
recompiles the Jinja source and re-serialises every part of the package; in a batch of letters
that is nearly all of the time. A :class:`PreparedTemplate` does that work once. It runs
docxtpl's own preprocessing on the body, headers and footers, compiles the results in huiwu's
sandbox, renders the parts that hold no tags once, and keeps the compressed bytes of every zip
member that does not change. Rendering a document then costs one Jinja render of the parts that
change (normally ``word/document.xml`` and ``docProps/core.xml``), docxtpl's post-processing of
them, and one deflate.

The output is equivalent to docxtpl's (tests compare both, part by part, as canonical XML):

- body: ``patch_xml`` → Jinja → the clean-up of ``render_xml_part`` → ``resolve_listing`` →
  ``fix_tables`` → ``fix_docpr_ids``. The last three run only when they can change something:
  a tab, line break, ``\\a`` or ``\\f`` in the text; a table whose column count varies
  (``{%tc %}``, ``{% hm %}``, ``{% colspan %}``) was rendered; drawings are present; or the
  document is not well-formed (docxtpl repairs it leniently) — checked for every document of a
  template whose tags cut across its XML elements (:func:`always_well_formed`).
- headers and footers of the main document: the same, without the table and drawing fixes.
- core properties: author, comments, identifier, language, subject and title are rendered as
  text, with python-docx's limit of 255 characters.
- every other part: as python-docx saves it.

Not supported — :attr:`PreparedTemplate.unsupported` and :class:`NeedsDocxtpl` (raised by
:func:`refuse_docxtpl_objects`, the environment's ``finalize``) name the construct, and
:mod:`huiwu.render.renderer` falls back to docxtpl:

- template tags in footnotes (docxtpl renders footnotes once per section of the document);
- context values that add parts or relationships to the package while they render:
  ``InlineImage``, ``Subdoc``, and ``RichText`` carrying a hyperlink. ``RichText``,
  ``RichTextParagraph`` and ``Listing`` without hyperlinks are plain markup and are supported.

docxtpl's ``replace_pic``/``replace_media``/``replace_embedded``/``replace_zipname`` are methods
of a ``DocxTemplate`` object, which huiwu never hands out.

Two fixes over docxtpl, made the same way in the fallback (:func:`like_docxtpl_for_huiwu`):
XML escapes inside tags are undone before Jinja sees them (huiwu autoescapes, so ``"A&B"`` in a
tag prints once), and the document properties render without escaping (they are plain text).

One deliberate difference: a template without ``docProps/core.xml`` gets python-docx's default
properties without the clock time docxtpl would stamp into them, so that output stays
reproducible.
"""

from __future__ import annotations

import functools
import io
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.oxml import serialize_part_xml
from docx.oxml.ns import qn
from docx.oxml.parser import parse_xml
from docxtpl import DocxTemplate, InlineImage, RichText, RichTextParagraph
from huiwu.render import chunks, docxzip
from huiwu.render.loops import BLOCK_TAG, OPENING, cache_loops, top_level_blocks
from jinja2 import Environment, Template, TemplateError, Undefined, meta, nodes
from lxml import etree
from markupsafe import Markup

try:  # docxtpl imports Subdoc only when docxcompose is installed
    from docxtpl import Subdoc
except ImportError:  # pragma: no cover
    Subdoc = None  # type: ignore[assignment,misc]

_FOOTNOTES = "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"
_TAG_MARKS = ("{{", "{%", "{#", "{_{", "}_}", "{_%", "%_}")
_LISTING_CHARS = re.compile("[\t\n\a\f]")
_PARAGRAPH_START = re.compile(r"<w:p(?: [^>]*)?>")
_PARAGRAPH_END = "</w:p>"
"""docxtpl's pattern for a paragraph in ``resolve_listing`` is ``<w:p(?: [^>]*)?>.*?</w:p>``."""
_TBL_GRID = re.compile(r"<w:tblGrid\b(?:[^>]*/>|.*?</w:tblGrid>)", re.DOTALL)
_W_TBL, _W_TR, _W_GRID_SPAN, _W_VAL = qn("w:tbl"), qn("w:tr"), qn("w:gridSpan"), qn("w:val")

# docxtpl.DocxTemplate.render_properties renders these, in this order.
_PROPERTIES = ("author", "comments", "identifier", "language", "subject", "title")
_SENTINEL = "\ue000huiwu-property-{}\ue001"
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


@dataclass(frozen=True)
class Rendered:
    """One rendered document: the whole DOCX, and its main document part on its own."""

    data: bytes
    body: bytes | docxzip.Pieces

    @property
    def document_xml(self) -> bytes:
        """The main document part's XML."""
        return self.body.joined() if isinstance(self.body, docxzip.Pieces) else self.body


class PreparedTemplate:
    """A template whose work is done once; see the module docstring.

    Takes a freshly opened ``DocxTemplate`` and keeps it. Raises ``jinja2.TemplateError`` for a
    template whose tags do not compile (with docxtpl's ``docx_context`` lines attached). Check
    :attr:`unsupported` before rendering.
    """

    def __init__(self, template: DocxTemplate, env: Environment, *, batch: bool = True) -> None:
        self._tpl = template
        self._tpl.render_init()
        settle_namespaces(self._tpl)
        self.unsupported: str | None = _unsupported_in_template(self._tpl)
        if self.unsupported is not None:
            return
        self._body = _Body(self._tpl, env, batch=batch)
        self._headers = list(_dynamic_headers_and_footers(self._tpl, env))
        self._core = _CoreProperties(self._tpl, env.overlay(autoescape=False))
        changing = {self._body.name, *(h.name for h in self._headers)}
        if not self._core.static:
            changing.add(self._core.name)
        members = _saved_members(self._tpl)
        self._order = docxzip.ordered(members)
        self._static = {
            name: docxzip.deflate(name, data)
            for name, data in members.items()
            if name not in changing
        }

    @property
    def document_name(self) -> str:
        """The zip member of the main document part (normally ``word/document.xml``)."""
        return self._body.name

    def render(self, context: Mapping[str, Any]) -> Rendered:
        """Render one document from ``context``."""
        parts = self.render_parts(context)
        return Rendered(self.pack(parts), parts[self._body.name])

    def render_parts(self, context: Mapping[str, Any]) -> dict[str, bytes | docxzip.Pieces]:
        """The parts that change with the context, rendered: name → bytes."""
        parts: dict[str, bytes | docxzip.Pieces] = {self._body.name: self._body.render(context)}
        for header in self._headers:
            parts[header.name] = header.render(context)
        if not self._core.static:
            parts[self._core.name] = self._core.render(context)
        return parts

    @property
    def varying_headers(self) -> list[str]:
        """Headers and footers whose text depends on the context."""
        return [header.name for header in self._headers]

    def pack(self, parts: Mapping[str, bytes | docxzip.Pieces]) -> bytes:
        """The DOCX holding ``parts`` and the template's unchanged members."""
        entries = (
            self._static[name] if name in self._static else docxzip.deflate(name, parts[name])
            for name in self._order
        )
        return docxzip.pack_entries(entries)

    def static_entries(self) -> Iterator[tuple[str, docxzip.Entry | None]]:
        """Each member in archive order with its compressed bytes, None for those rendered."""
        for name in self._order:
            yield name, self._static.get(name)

    def document_frame(self) -> tuple[str, str]:
        """The main document part's XML before and after ``<w:body>…</w:body>``."""
        return self._body.prefix, self._body.suffix


class NeedsDocxtpl(Exception):
    """Raised while rendering when the context holds a value only docxtpl can render."""

    def __init__(self, construct: str) -> None:
        super().__init__(construct)
        self.construct = construct


def refuse_docxtpl_objects(value: Any) -> Any:
    """Jinja ``finalize`` of the fast path: every value written out passes here, so a docxtpl
    object that would add parts or relationships stops the render (cheaper than searching the
    context beforehand)."""
    if isinstance(value, str):
        return value
    if isinstance(value, InlineImage):
        raise NeedsDocxtpl("图片（InlineImage）")
    if Subdoc is not None and isinstance(value, Subdoc):
        raise NeedsDocxtpl("子文档（Subdoc）")
    if isinstance(value, RichText | RichTextParagraph) and "r:id=" in value.xml:
        raise NeedsDocxtpl("带超链接的 RichText")
    return value


def _unsupported_in_template(tpl: DocxTemplate) -> str | None:
    for part in tpl.docx.part.package.iter_parts():
        if part.content_type == _FOOTNOTES and _has_tags(part.blob.decode("utf-8", "replace")):
            return "脚注里的模板标记"
    return None


class _Body:
    """The main document part: compiled body, and the XML around it.

    A top-level block that makes a table in a loop (``{% if allocation %}…{% endif %}``) is
    rendered on its own, its tables fixed, and compressed on its own (:class:`_SharedBlock`);
    while its names keep the very same values from one document to the next, that rendering is
    copied into each. The allocation table every letter carries thus costs once per batch
    instead of once per letter. The bytes of a document do not depend on what was rendered
    before it: the block is always compressed apart.
    """

    def __init__(self, tpl: DocxTemplate, env: Environment, *, batch: bool = True) -> None:
        self._tpl = tpl
        self.name = tpl.docx.part.partname.lstrip("/")
        source = patch(tpl, tpl.get_xml())
        self._grids = _varying_table_grids(source)
        self._always_well_formed = always_well_formed(source)
        self._resolved: dict[str, str] = {}
        self._chunks = chunks.Chunks(_unnumbered, self._stays_inline)
        original = source
        self._loops: dict[str, Any] = {}
        if batch:  # what only pays when many documents are rendered: set up once for them
            source, self._loops = cache_loops(
                env,
                original,
                _numbered,
                self._listing if self._always_well_formed else None,
                self._chunks.gather,
            )
        self.prefix, self.suffix = _frame(tpl)
        self._shared = self._find_shared(env, source) if batch else None
        if self._shared is None:  # else the whole body is never rendered in one piece
            self._template = _compile(env, source)
            self._template.source = _numbered(original)  # type: ignore[attr-defined]  # named in messages
        else:  # the document is assembled from pieces: chunks of its paragraphs can be some
            self._chunks.enabled = True
            self._split = re.compile(f"({self._shared.pattern}|{chunks.PATTERN})")

    def _find_shared(self, env: Environment, source: str) -> _SharedBlocks | None:
        if self._grids is None:
            return None
        try:
            return _SharedBlocks.find(env, source)
        except TemplateError:
            return None  # compiled whole, the body's error is reported where it stands

    def render(self, context: Mapping[str, Any]) -> bytes | docxzip.Pieces:
        if self._shared is not None:
            return self._render_sharing(self._shared, context)
        xml = self._finish(_render(self._template, context, self._loops))
        return (self.prefix + xml + self.suffix).encode("utf-8")

    def _render_sharing(
        self, shared: _SharedBlocks, context: Mapping[str, Any]
    ) -> bytes | docxzip.Pieces:
        blocks = shared.blocks(context, self._tpl, self._grids or ())
        self._chunks.start()
        xml = _render(shared.template, context, self._loops, shared.markers)
        pieces = self._split.split(xml)  # text, marker, text, …, text
        segments = [
            blocks[p].segment if p in blocks else self._chunks.segment(p) for p in pieces[1::2]
        ]
        # Line breaks typed in the text (listing characters) are resolved paragraph by
        # paragraph: the pieces between shared blocks hold whole paragraphs, so each is resolved
        # on its own and the shared blocks are not searched again for every document.
        texts = [_resolve_listing(self._tpl, text, self._resolved) for text in pieces[::2]]
        outside = "".join(texts)
        if self._needs_tree(outside, checked=False):
            whole = "".join(
                texts[i // 2] if i % 2 == 0 else segments[i // 2].raw.decode("utf-8")
                for i in range(len(pieces))
            )
            return (self.prefix + self._finish(whole) + self.suffix).encode("utf-8")
        items: list[docxzip.Segment] = []
        plain = [self.prefix, texts[0]]
        for segment, text in zip(segments, texts[1:], strict=True):
            if segment.size:  # a block that wrote nothing (no allocation table) is no piece
                self._add_between(items, "".join(plain))
                items.append(segment)
                plain = []
            plain.append(text)
        self._add_between(items, "".join([*plain, self.suffix]))
        return docxzip.Pieces(tuple(items))

    def _add_between(self, items: list[docxzip.Segment], xml: str) -> None:
        if xml:
            items.append(self._chunks.between(xml))

    def _listing(self, xml: str) -> str:
        return _resolve_listing(self._tpl, xml, self._resolved)

    def _stays_inline(self, xml: str) -> bool:
        """Finished paragraphs that the clean-up of the whole part must still see (a table to
        fix, a drawing to number, a line break typed in text) are not compressed apart."""
        return _LISTING_CHARS.search(xml) is not None or self._needs_tree(xml, checked=False)

    def _finish(self, xml: str) -> str:
        """docxtpl's clean-up of a rendered body: listings, tables, drawing ids, repair."""
        xml = _resolve_listing(self._tpl, xml, self._resolved)
        if self._needs_tree(xml):
            tree = self._tpl.fix_tables(xml)
            self._tpl.docx_ids_index = 1000  # as render_init sets it for every document
            self._tpl.fix_docpr_ids(tree)
            xml = etree.tostring(tree, encoding="unicode")
        return xml

    def _needs_tree(self, xml: str, *, checked: bool = True) -> bool:
        if self._grids is None or ":docPr " in xml or any(grid in xml for grid in self._grids):
            return True
        if self._always_well_formed or not checked:
            return False
        # docxtpl parses leniently: a document that renders to broken XML gets that same
        # lenient repair. Whether it is broken depends on the context, so every document of a
        # template whose tags cut across its XML elements is checked.
        try:
            etree.fromstring(xml)
        except etree.XMLSyntaxError:
            return True
        return False


def _resolve_listing(tpl: DocxTemplate, xml: str, resolved: dict[str, str] | None = None) -> str:
    """docxtpl's ``resolve_listing`` (line breaks, tabs and page breaks typed in text become
    Word's), applied only to the paragraphs that hold such a character: the others come out
    of it unchanged, and searching every run of every paragraph costs more than the render.

    ``resolved`` remembers paragraphs already resolved: in a batch most recur in every
    document (a heading whose points go on a line of their own)."""
    listing = _LISTING_CHARS.search(xml)
    if listing is None:
        return xml
    out: list[str] = []
    done = 0
    for start, end in _paragraphs(xml):
        if listing.start() < start:
            listing = _LISTING_CHARS.search(xml, start)
            if listing is None:
                break
        if listing.start() < end:
            out += [xml[done:start], _resolve_paragraph(tpl, xml[start:end], resolved)]
            done = end
    return "".join(out) + xml[done:] if out else xml


_REMEMBERED_PARAGRAPHS = 4096


def _resolve_paragraph(tpl: DocxTemplate, paragraph: str, resolved: dict[str, str] | None) -> str:
    if resolved is None:
        return tpl.resolve_listing(paragraph)
    done = resolved.get(paragraph)
    if done is None:
        if len(resolved) >= _REMEMBERED_PARAGRAPHS:  # memory stays flat in any batch
            resolved.clear()
        done = resolved[paragraph] = tpl.resolve_listing(paragraph)
    return done


def _paragraphs(xml: str) -> Iterator[tuple[int, int]]:
    """The spans docxtpl's paragraph pattern matches, left to right, found with plain string
    searches (the pattern's lazy ``.*?`` steps through the document a character at a time)."""
    position = 0
    while (opening := _PARAGRAPH_START.search(xml, position)) is not None:
        end = xml.find(_PARAGRAPH_END, opening.end())
        if end < 0:
            return
        position = end + len(_PARAGRAPH_END)
        yield opening.start(), position


_MARKER = "\ue000huiwu-block-{}\ue001"


@dataclass(frozen=True)
class _SharedBlock:
    """One rendering of a shared block: its XML and the same compressed once."""

    xml: str
    segment: docxzip.Segment


class _SharedBlocks:
    """The top-level blocks of a body worth rendering once for a batch, and their last
    renderings (kept for as long as the values they were rendered from)."""

    def __init__(
        self,
        template: Template,
        sources: list[_Source],
        names: list[tuple[str, ...]],
        opening: str,
    ) -> None:
        self.template = template
        self._sources = sources
        self._names = names
        self._opening = opening
        self.pattern = "|".join(re.escape(_MARKER.format(i)) for i in range(len(sources)))
        """What finds the blocks' markers in a rendering."""
        self.markers = {
            f"__huiwu_block_{i}": Markup(_MARKER.format(i)) for i in range(len(sources))
        }
        self._previous: tuple[Any, ...] | None = None
        self._rendered: list[_SharedBlock] | None = None

    @classmethod
    def find(cls, env: Environment, source: str) -> _SharedBlocks | None:
        """The shared blocks of ``source``, or None if it has none worth it."""
        spans = [span for span in top_level_blocks(source) if _shareable(source[span[0] : span[1]])]
        if not spans:
            return None
        pieces, sources, names = [], [], []
        position = 0
        for index, (start, end) in enumerate(spans):
            block = source[start:end]
            pieces += [source[position:start], f"{{{{ __huiwu_block_{index} }}}}"]
            position = end
            tree = env.parse(block)
            sources.append(_Source(env, block, _guard(tree)))
            names.append(tuple(sorted(meta.find_undeclared_variables(tree))))
        pieces.append(source[position:])
        opening = source[: source.index(">") + 1]
        return cls(_compile(env, "".join(pieces)), sources, names, opening)

    def _key(self, context: Mapping[str, Any]) -> tuple[Any, ...]:
        return tuple(context.get(name, _MISSING) for names in self._names for name in names)

    def blocks(
        self, context: Mapping[str, Any], tpl: DocxTemplate, grids: tuple[str, ...]
    ) -> dict[str, _SharedBlock]:
        """Marker → the block rendered (once for these values)."""
        key = self._key(context)
        previous = self._previous
        if previous is None or not all(a is b for a, b in zip(previous, key, strict=True)):
            self._rendered = [self._render(source, context, tpl, grids) for source in self._sources]
            self._previous = key
        assert self._rendered is not None
        return {_MARKER.format(i): block for i, block in enumerate(self._rendered)}

    def _render(
        self,
        source: _Source,
        context: Mapping[str, Any],
        tpl: DocxTemplate,
        grids: tuple[str, ...],
    ) -> _SharedBlock:
        if source.left_out(context):
            return _NOTHING
        xml = _render(source.template, context)
        if _LISTING_CHARS.search(xml):
            xml = tpl.resolve_listing(xml)
        if any(grid in xml for grid in grids):
            tree = tpl.fix_tables(f"{self._opening}{xml}</w:body>")
            whole = etree.tostring(tree, encoding="unicode")
            xml = whole[whole.index(">") + 1 : whole.rindex("</")]
        return _SharedBlock(xml, docxzip.Segment.of(xml.encode("utf-8")))


class _Source:
    """A shared block's template, compiled when it is first rendered: a block guarded by a
    name that is false (``{% if allocation %}`` with no allocation table) never is."""

    def __init__(self, env: Environment, block: str, guard: str | None) -> None:
        self._env = env
        self._block = block
        self._guard = guard

    @functools.cached_property
    def template(self) -> Template:
        """The block compiled."""
        return _compile(self._env, self._block)

    def left_out(self, context: Mapping[str, Any]) -> bool:
        """Whether the block renders nothing with ``context``: its guard holds a false value
        (as Jinja tests it; an undefined name is the template's error, found by rendering)."""
        if self._guard is None or self._guard not in context:
            return False
        value = context[self._guard]
        return not isinstance(value, Undefined) and not value


def _guard(tree: nodes.Template) -> str | None:
    """``name`` of a block that is ``{% if name %}…{% endif %}`` and nothing else."""
    if len(tree.body) != 1 or not isinstance(tree.body[0], nodes.If):
        return None
    test = tree.body[0]
    if test.elif_ or test.else_ or not isinstance(test.test, nodes.Name):
        return None
    return test.test.name


_NOTHING = _SharedBlock("", docxzip.Segment.of(b""))
_MISSING = object()
_SHARE_AT_LEAST = 4096  # characters of template without a loop worth reusing
_NOT_SHAREABLE = frozenset(
    {"set", "macro", "call", "import", "from", "include", "extends", "block", "raw"}
)


def _shareable(block: str) -> bool:
    """A table that a loop makes or that is big, and nothing in it that a rendering could change outside
    it (variables set, macros) or that is numbered across the document (drawings)."""
    if ":docPr " in block or "<w:tbl" not in block:
        return False
    keywords = {match.group(1) for match in BLOCK_TAG.finditer(block)}
    if "for" not in keywords and len(block) < _SHARE_AT_LEAST:
        return False  # rendering it costs less than reusing it
    return not (keywords & _NOT_SHAREABLE) and always_well_formed(block)


def _frame(tpl: DocxTemplate) -> tuple[str, str]:
    """The document part as python-docx serialises it, split around the body."""
    root = tpl.docx.element
    body = root.body
    children, text = list(body), body.text
    for child in children:
        body.remove(child)
    body.text = _SENTINEL.format("body")
    try:
        xml = serialize_part_xml(root).decode("utf-8")
    finally:
        body.text = text
        body.extend(children)
    marker = re.escape(_SENTINEL.format("body"))
    match = re.search(rf"<w:body\b[^>]*>{marker}</w:body>", xml)
    assert match is not None, "python-docx always writes the body with the w: prefix"
    return xml[: match.start()], xml[match.end() :]


class _HeaderOrFooter:
    """A header or footer with tags, rendered and re-serialised the way docxtpl does."""

    def __init__(self, tpl: DocxTemplate, name: str, template: Template, encoding: str) -> None:
        self._tpl = tpl
        self.name = name
        self._template = template
        self._encoding = encoding

    def render(self, context: Mapping[str, Any]) -> bytes:
        xml = _render(self._template, context)
        if _LISTING_CHARS.search(xml):
            xml = self._tpl.resolve_listing(xml)
        return serialize_part_xml(parse_xml(xml.encode(self._encoding)))


def _dynamic_headers_and_footers(tpl: DocxTemplate, env: Environment) -> Iterator[_HeaderOrFooter]:
    """Render the headers and footers without tags into the package once; yield the others."""
    for uri in (tpl.HEADER_URI, tpl.FOOTER_URI):
        for key, part in list(tpl.get_headers_footers(uri)):
            xml = tpl.get_part_xml(part)
            encoding = tpl.get_headers_footers_encoding(xml)
            source = patch(tpl, xml)
            template = _compile(env, source)
            if _has_tags(source):
                yield _HeaderOrFooter(tpl, part.partname.lstrip("/"), template, encoding)
            else:
                tpl.map_headers_footers_xml(key, _render(template, {}).encode(encoding))


class _CoreProperties:
    """``docProps/core.xml`` with the six properties docxtpl renders."""

    def __init__(self, tpl: DocxTemplate, env: Environment) -> None:
        package = tpl.docx.part.package
        had_part = any(rel.reltype == RT.CORE_PROPERTIES for rel in package.rels.values())
        properties = tpl.docx.core_properties  # python-docx adds default ones when missing
        element = properties._element
        if not had_part:
            for stamp in element.findall(qn("dcterms:modified")):
                element.remove(stamp)
        self._templates: list[Template] = []
        for name in _PROPERTIES:
            initial = getattr(properties, name)
            if _has_tags(initial):
                setattr(properties, name, _SENTINEL.format(len(self._templates)))
                self._templates.append(env.from_string(initial))
            else:
                setattr(properties, name, env.from_string(initial).render({}))
        self.name = package.part_related_by(RT.CORE_PROPERTIES).partname.lstrip("/")
        text = serialize_part_xml(element).decode("utf-8")
        self._pieces = re.split("\ue000huiwu-property-\\d+\ue001", text)

    @property
    def static(self) -> bool:
        """Whether no property has tags (the part is then copied like any other)."""
        return not self._templates

    def render(self, context: Mapping[str, Any]) -> bytes:
        out = [self._pieces[0]]
        namespace = {**self._templates[0].environment.globals, **context}  # for all six
        for template, after in zip(self._templates, self._pieces[1:], strict=True):
            out.append(_property_text(template.render_in(namespace)))  # type: ignore[attr-defined]
            out.append(after)
        return "".join(out).encode("utf-8")


def _property_text(value: str) -> str:
    """A property value as python-docx and lxml would write it."""
    if len(value) > 255:
        raise ValueError(f"exceeded 255 char limit for property, got:\n\n'{value}'")
    if _NOT_XML.search(value):
        raise ValueError(
            "All strings must be XML compatible: Unicode or ASCII, no NULL bytes or control characters"
        )
    return (
        value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;")
    )


def _saved_members(tpl: DocxTemplate) -> dict[str, bytes]:
    buffer = io.BytesIO()
    tpl.docx.save(buffer)
    return docxzip.read_members(buffer.getvalue())


def _compile(env: Environment, source: str) -> Template:
    """Compile patched XML as docxtpl's ``render_xml_part`` does: each paragraph on a line of
    its own, so that error messages can point at a line."""
    source = _numbered(source)
    try:
        return env.from_string(source)
    except TemplateError as exc:
        _attach_context(exc, source)
        raise


def _numbered(source: str) -> str:
    """Each paragraph on a line of its own."""
    return re.sub(r"<w:p([ >])", r"\n<w:p\1", source)


def _render(template: Template, context: Mapping[str, Any], *more: Mapping[str, Any]) -> str:
    """Render with the names of ``context`` and then of ``more`` (huiwu's own: the loops
    rendered once per item, the markers of shared blocks), then undo the line breaks and
    escapes as ``render_xml_part`` does."""
    namespace = {**template.environment.globals, **context}
    for names in more:
        namespace.update(names)
    try:
        # One copy of the names, with Jinja's globals, as the template's own: render() would
        # copy a document's whole context twice over.
        xml = template.render_in(namespace)  # type: ignore[attr-defined]
    except NeedsDocxtpl:
        raise
    except TemplateError as exc:
        _attach_context(exc, None)
        raise
    return _unnumbered(xml)


def _unnumbered(xml: str) -> str:
    """Rendered XML without the line breaks :func:`_numbered` put in, and with the escaped
    braces docxtpl writes for a literal ``{{`` restored."""
    xml = xml.replace("\n<w:p ", "<w:p ").replace("\n<w:p>", "<w:p>")
    if "_" in xml:
        xml = (
            xml.replace("{_{", "{{").replace("}_}", "}}").replace("{_%", "{%").replace("%_}", "%}")
        )
    return xml


def _attach_context(exc: TemplateError, source: str | None) -> None:
    """The template text around the failing line, as docxtpl attaches it."""
    line = getattr(exc, "lineno", None)
    if line is None or source is None:
        return
    start = max(line - 4, 0)
    lines = source.splitlines()[start : start + 7]
    exc.docx_context = [re.sub(r"<[^>]+>", "", text) for text in lines]  # type: ignore[attr-defined]


def _has_tags(xml: str) -> bool:
    return any(mark in xml for mark in _TAG_MARKS)


def _varying_table_grids(source: str) -> tuple[str, ...] | None:
    """The ``<w:tblGrid>`` XML of each table whose column count can vary between documents,
    or None when the body cannot be analysed (then every document takes the full path).

    Tags between the cells of a row come from ``{%tc %}`` and ``{% hm %}``; a computed
    ``gridSpan`` from ``{% colspan %}``. Only tables like these need docxtpl's ``fix_tables``.
    """
    if "<w:tbl" not in source:
        return ()
    try:
        root = etree.fromstring(source)
    except etree.XMLSyntaxError:
        return None
    grids = _TBL_GRID.findall(source)
    tables = list(root.iter(_W_TBL))
    if len(grids) != len(tables):
        return None
    return tuple(grid for grid, table in zip(grids, tables, strict=True) if _columns_vary(table))


def _columns_vary(table: etree._Element) -> bool:
    for row in table.iter(_W_TR):
        if _has_tags(row.text or "") or any(_has_tags(cell.tail or "") for cell in row):
            return True
    return any(_has_tags(span.get(_W_VAL, "")) for span in table.iter(_W_GRID_SPAN))


def patch(tpl: DocxTemplate, xml: str) -> str:
    """docxtpl's ``patch_xml``, then the XML escapes inside tags undone.

    Word stores ``{{ x|default("A&B") }}`` as ``A&amp;B``; docxtpl hands that to Jinja as it is,
    which prints ``A&B`` without autoescaping but ``A&amp;B`` with it. huiwu always escapes what
    a tag prints, so a string literal in a tag must hold what the user typed.
    """
    return _TAG_BODY.sub(_unescape_tag, DocxTemplate.patch_xml(tpl, xml))


_TAG_BODY = re.compile(r"(?<=\{[\{%])(.*?)(?=[\}%]\})", re.DOTALL)
_TAG_ENTITIES = (("&quot;", '"'), ("&apos;", "'"), ("&#39;", "'"), ("&amp;", "&"))


def _unescape_tag(match: re.Match[str]) -> str:
    text = match.group(0)
    if "&" not in text:
        return text
    for entity, char in _TAG_ENTITIES:
        text = text.replace(entity, char)
    return text


def settle_namespaces(tpl: DocxTemplate) -> None:
    """Re-insert the body into its document, as docxtpl does with every rendered body.

    lxml then drops namespace declarations that repeat one of the document element (a Word
    file may declare ``wp14`` again on a paragraph for the URI the document calls ``w14``), so
    the prepared template writes the prefixes docxtpl writes.
    """
    root = tpl.docx.element
    body = root.body
    xml = etree.tostring(body, encoding="unicode")
    if "xmlns:" not in xml[xml.index(">") :]:
        return
    root.replace(body, parse_xml(etree.tostring(body)))


def like_docxtpl_for_huiwu(tpl: DocxTemplate, env: Environment) -> DocxTemplate:
    """``tpl`` rendering as the prepared path does: tags patched by :func:`patch`, and the
    document properties rendered as plain text (they are not XML, so never escaped)."""
    plain = env.overlay(autoescape=False)
    tpl.patch_xml = lambda xml: patch(tpl, xml)  # type: ignore[method-assign]
    tpl.render_properties = (  # type: ignore[method-assign]
        lambda context, jinja_env=None: DocxTemplate.render_properties(tpl, context, plain)
    )
    return tpl


_EXPRESSION = re.compile(r"\{\{.*?\}\}|\{#.*?#\}", re.DOTALL)
_XML_TAG = re.compile(r"<(/?)([\w.:-]+)(?:\s[^<>]*?)?(/?)>|<\?[^<>]*\?>|<!--.*?-->", re.DOTALL)
_NEUTRAL = frozenset({"set", "do", "break", "continue", "trans", "pluralize"})


def always_well_formed(source: str) -> bool:
    """Whether every rendering of ``source`` (patched XML with Jinja tags) is well-formed XML.

    True when the XML between a block tag and the next one at the same level (``{% if %}`` …
    ``{% else %}`` … ``{% endif %}``, a loop's body) is balanced on its own: then removing,
    repeating or choosing any of them keeps the document balanced. False for anything not
    understood, so that such a template's documents are each checked.
    """
    source = _EXPRESSION.sub("", source)
    frames: list[list[str]] = [[]]
    position = 0
    for match in BLOCK_TAG.finditer(source):
        if not _balance(source[position : match.start()], frames[-1]):
            return False
        position = match.end()
        keyword, rest = match.group(1), match.group(2)
        if keyword == "set" and "=" in rest:
            continue
        if keyword in OPENING or keyword == "set":
            frames.append([])
        elif keyword in ("elif", "else"):
            if frames[-1] or len(frames) == 1:
                return False
        elif keyword.startswith("end"):
            if frames[-1] or len(frames) == 1:
                return False
            frames.pop()
        elif keyword not in _NEUTRAL:
            return False
    return _balance(source[position:], frames[-1]) and len(frames) == 1 and not frames[0]


def _balance(xml: str, open_elements: list[str]) -> bool:
    """Apply ``xml``'s start and end tags to ``open_elements``; False if one closes an
    element opened outside, or a tag is cut by a block tag."""
    rest = _XML_TAG.sub(lambda m: _apply(m, open_elements), xml)
    return "<" not in rest and ">" not in rest and "\0" not in rest


def _apply(match: re.Match[str], open_elements: list[str]) -> str:
    closing, name, empty = match.group(1), match.group(2), match.group(3)
    if name is None or empty:
        return ""
    if not closing:
        open_elements.append(name)
    elif open_elements and open_elements[-1] == name:
        open_elements.pop()
    else:
        return "\0"
    return ""
