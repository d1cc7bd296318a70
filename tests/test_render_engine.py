"""The render engine: the prepared (fast) path gives what docxtpl gives, part by part.

Every built-in template is rendered with the contexts the examples produce, and a set of
templates written here in docxtpl's own syntax exercises what docxtpl's preprocessing handles:
row and column loops, paragraph conditionals, tags split across runs, headers and footers,
core properties, escaping, line breaks and images. Both outputs are compared as canonical XML.
"""

from __future__ import annotations

import base64
import io
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import docx
import pytest
from docx.shared import Pt
from docxtpl import DocxTemplate, InlineImage, Listing, RichText
from huiwu.definition.load import load_definition
from huiwu.documents import KINDS
from huiwu.figures.inputs import prepare
from huiwu.publish import volume
from huiwu.publish.packet import letter_set
from huiwu.render import docxzip
from huiwu.render.fieldnames import named
from huiwu.render.renderer import Renderer, TemplateProblem
from huiwu.templatekit.layouts import TEMPLATES
from huiwu.templates import BUILTIN_DIR
from huiwu.text.jinja import environment
from hypothesis import given
from hypothesis import strategies as st
from lxml import etree
from markupsafe import Markup

from tests.conftest import EXAMPLES

PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
)


def docxtpl_render(template: Path, context: dict) -> bytes:
    """What plain docxtpl makes of ``template``, in the same sandbox: the body, headers and
    footers autoescaped (they are XML), the document properties not (they are plain text)."""
    document = DocxTemplate(template)
    env = environment(autoescape=True)
    plain = environment(autoescape=False)
    document.render_properties = lambda context, _env=None: DocxTemplate.render_properties(
        document, context, plain
    )
    document.render(context, jinja_env=env, autoescape=True)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def assert_equivalent(expected: bytes, actual: bytes) -> None:
    want, got = docxzip.read_members(expected), docxzip.read_members(actual)
    assert want.keys() == got.keys()
    for name, data in want.items():
        if name.endswith((".xml", ".rels")):
            assert _c14n(got[name]) == _c14n(data), name
        else:
            assert got[name] == data, name


def _c14n(data: bytes) -> bytes:
    return etree.tostring(etree.fromstring(data), method="c14n")


def _example_contexts() -> list[tuple[str, dict]]:
    contexts = []
    for definition in EXAMPLES.values():
        inputs = prepare(load_definition(definition))
        kinds = [kind for kind in KINDS.values() if kind.available(inputs.definition)]
        contexts += [(kind.template, kind.build_context(inputs)) for kind in kinds]
        parts = [volume.Part(kind.name, b"") for kind in kinds]
        entries = volume.contents(parts, [index % 3 + 1 for index in range(len(parts))])
        contexts.append((volume.TEMPLATE, volume.context(inputs.definition, entries)))
    return contexts


def test_every_built_in_template_renders_as_docxtpl_renders_it():
    renderer = Renderer()
    covered = set()
    for stem, context in _example_contexts():
        path = BUILTIN_DIR / f"{stem}.docx"
        # The renderer gives templates the Chinese field names too (huiwu.render.fieldnames).
        expected = docxtpl_render(path, dict(named(context)))
        assert_equivalent(expected, renderer.render(path, context))
        covered.add(stem)
    assert covered == set(TEMPLATES) - {"letter"}, "the letter template is checked in test_letters"
    assert renderer.notices == []


@pytest.fixture(scope="module")
def syntax_template(tmp_path_factory) -> Path:
    """A template in docxtpl's syntax, made the way a user makes one: in a word processor."""
    document = docx.Document()
    document.core_properties.title = "{{ title }}"
    document.core_properties.subject = "固定主题"
    section = document.sections[0]
    section.header.paragraphs[0].text = "页眉：{{ unit }} & 共{{ rows | length }}行"
    section.footer.paragraphs[0].text = "页脚固定文字"
    document.add_paragraph("{{ title }}", style="Title")
    split = document.add_paragraph()
    split.add_run("单位：{{ un")
    split.add_run("it }}").bold = True  # a tag Word split across two runs
    document.add_paragraph("{%p if flag %}")
    document.add_paragraph("条件为真时的段落：{{ note }}")
    document.add_paragraph("{%p else %}")
    document.add_paragraph("条件为假")
    document.add_paragraph("{%p endif %}")
    document.add_paragraph("{%p for item in items %}")
    document.add_paragraph("{{ loop.index }}. {{ item }}", style="List Number")
    document.add_paragraph("{%p endfor %}")
    document.add_paragraph("富文本：{{r rich }}；清单：{{ listing }}；换行：{{ multiline }}")
    for text in (
        "本单位位于",
        "{%- if flag -%}",
        "城区",
        "{%- else -%}",
        "乡村",
        "{%- endif -%}",
        "。",
    ):
        document.add_paragraph(text)  # docxtpl merges these into one paragraph
    rows = document.add_table(rows=4, cols=3)
    for cell, text in zip(rows.rows[0].cells, ("序号", "单位", "数量"), strict=True):
        cell.text = text
    rows.rows[1].cells[0].text = "{%tr for r in rows %}"
    for cell, text in zip(
        rows.rows[2].cells, ("{{ loop.index }}", "{{ r.unit }}", "{{ r.count }}"), strict=True
    ):
        cell.text = text
    rows.rows[3].cells[0].text = "{%tr endfor %}"
    columns = document.add_table(rows=2, cols=5)
    header = ("名称", "{%tc for c in columns %}", "{{ c }}", "{%tc endfor %}", "合计")
    values = ("{{ unit }}", "{%tc for c in columns %}", "{{ values[c] }}", "{%tc endfor %}", "9")
    for row, texts in zip(columns.rows, (header, values), strict=True):
        for cell, text in zip(row.cells, texts, strict=True):
            cell.text = text
    picture = tmp_path_factory.mktemp("image") / "dot.png"
    picture.write_bytes(PNG)
    document.add_picture(str(picture), width=Pt(12))
    document.add_picture(str(picture), width=Pt(12))
    path = tmp_path_factory.mktemp("syntax") / "syntax.docx"
    document.save(str(path))
    return path


def _syntax_context(**changes) -> dict:
    context = {
        "title": "2012年目标管理责任书（“两非”案件 & <配额>）",
        "unit": "松山乡 & <东区>",
        "flag": True,
        "note": 'a < b & c > "d"',
        "items": ["第一项", "第二项 & 第三项"],
        "rich": RichText("加粗红字", bold=True, color="FF0000"),
        "listing": Listing("甲\n乙\t丙\a丁"),
        "multiline": "第一行\n第二行",
        "rows": [{"unit": f"单位{i}", "count": i * 3} for i in range(1, 4)],
        "columns": ["两非案件", "社会抚养费"],
        "values": {"两非案件": 5, "社会抚养费": 265},
    }
    context.update(changes)
    return context


@pytest.mark.parametrize(
    "changes",
    [
        {},
        {"flag": False, "items": [], "rows": []},
        {"columns": ["甲", "乙", "丙", "丁"], "values": dict.fromkeys("甲乙丙丁", 1)},
        {"columns": []},
    ],
    ids=["full", "empty-loops", "more-columns", "no-columns"],
)
def test_docxtpl_syntax_renders_as_docxtpl_renders_it(syntax_template, changes):
    context = _syntax_context(**changes)
    renderer = Renderer()
    fast = renderer.render(syntax_template, context)
    assert_equivalent(docxtpl_render(syntax_template, context), fast)
    assert renderer.notices == []


def test_the_same_template_renders_many_documents_independently(syntax_template):
    renderer = Renderer()
    first = renderer.render(syntax_template, _syntax_context(unit="甲镇"))
    second = renderer.render(syntax_template, _syntax_context(unit="乙镇"))
    again = renderer.render(syntax_template, _syntax_context(unit="甲镇"))
    assert first == again and first != second
    header = docx.Document(io.BytesIO(second)).sections[0].header.paragraphs[0].text
    assert header == "页眉：乙镇 & 共3行"


def test_values_bound_to_docxtpl_fall_back_with_a_notice(syntax_template, tmp_path):
    picture = tmp_path / "dot.png"
    picture.write_bytes(PNG)
    owner = DocxTemplate(syntax_template)
    context = _syntax_context(note=InlineImage(owner, str(picture), width=Pt(10)))
    renderer = Renderer()
    data = renderer.render(syntax_template, context)
    assert len(renderer.notices) == 1
    assert "syntax.docx" in renderer.notices[0] and "InlineImage" in renderer.notices[0]
    document = docxzip.read_members(data)["word/document.xml"].decode("utf-8")
    assert document.count("<pic:pic") == 3, "the template's two pictures and the inserted one"


def test_template_errors_name_the_template_and_the_text_around(tmp_path):
    document = docx.Document()
    document.add_paragraph("开头的文字")
    document.add_paragraph("{{ 单位 | 不存在的过滤器 }}")
    path = tmp_path / "坏模板.docx"
    document.save(str(path))
    with pytest.raises(TemplateProblem, match=r"坏模板\.docx: 模板标签写错了.*不存在的过滤器"):
        Renderer().render(path, {"单位": "甲"})
    document = docx.Document()
    document.add_paragraph("{{ 没有的变量 }}")
    document.save(str(path))
    with pytest.raises(TemplateProblem, match="模板引用了不存在的变量"):
        Renderer().render(path, {})


def test_templates_stay_sandboxed(tmp_path):
    document = docx.Document()
    document.add_paragraph("{{ unit.__class__.__mro__ }}")
    path = tmp_path / "sandbox.docx"
    document.save(str(path))
    with pytest.raises(TemplateProblem, match="不允许"):
        Renderer().render(path, {"unit": "甲"})


@pytest.mark.parametrize(
    "expression",
    ["d.text", "d.items", "d.get", "d.missing is undefined", "d.__class__ is undefined", "o.text"],
)
def test_the_faster_dict_lookup_answers_as_the_jinja_sandbox_does(expression):
    from jinja2 import StrictUndefined
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    class Object:
        text = "属性"

    values = {"d": {"text": "文字", "items": "键", "get": 1}, "o": Object()}
    stock = ImmutableSandboxedEnvironment(undefined=StrictUndefined)
    # A method is compared by being one: huiwu refuses to print it (its text holds an address).
    source = (
        f"{{{{ ({expression}) is callable }}}}"
        f"{{% if not ({expression}) is callable %}}{{{{ {expression} }}}}{{% endif %}}"
    )
    expected = stock.from_string(source).render(values)
    assert environment(autoescape=False).from_string(source).render(values) == expected


_XML_PIECES = (
    "<w:p>",
    '<w:p w:rsidR="1">',
    "</w:p>",
    "<w:pPr><w:jc/></w:pPr>",
    "<w:pPr>",
    "<w:r>",
    "</w:r>",
    "<w:rPr><w:b/></w:rPr>",
    "<w:t>",
    '<w:t xml:space="preserve">',
    "</w:t>",
    "文字",
    "a",
    "\t",
    "\n",
    "\a",
    "\f",
    "<w:p",
    ">",
    "<w:tbl>",
)


@given(st.lists(st.sampled_from(_XML_PIECES), max_size=40))
def test_line_breaks_typed_in_text_resolve_as_docxtpl_resolves_them(pieces):
    from huiwu.render.prepared import _resolve_listing

    xml = "".join(pieces)
    template = DocxTemplate.__new__(DocxTemplate)
    assert _resolve_listing(template, xml) == template.resolve_listing(xml)


def _loop_template(tmp_path: Path, body: str, before: str | None = None) -> Path:
    document = docx.Document()
    if before is not None:
        document.add_paragraph(before)
    document.add_paragraph("{%p for 段 in body %}")
    document.add_paragraph(body)
    document.add_paragraph("{%p endfor %}")
    path = tmp_path / "loop.docx"
    document.save(str(path))
    return path


@pytest.mark.parametrize(
    "items",
    [
        # Equal as Python compares them, different as printed: never taken for one another.
        [{"text": "a&amp;b"}, {"text": Markup("a&amp;b")}, {"text": "<2>"}, {"text": "a&amp;b"}],
        [{"text": Decimal("2")}, {"text": Decimal("2.0")}, {"text": 2}, {"text": True}],
        [{"text": 0.0}, {"text": -0.0}, {"text": "甲", "n": 1}, {"n": 1, "text": "甲"}],
        [{"text": ["a", "b"]}, {"text": ("a", "b")}, {"text": Fraction(1, 3)}],
        # Typed line breaks, tabs and page breaks become Word's, in items seen again too.
        [{"text": "甲\n乙"}, {"text": "丙\t丁\f戊"}, {"text": "甲\n乙"}, {"text": "己\a庚"}],
    ],
    ids=["markup", "decimal", "float-and-order", "sequences", "line-breaks"],
)
def test_a_loop_rendered_once_per_item_writes_what_each_item_prints(tmp_path, items):
    template = _loop_template(tmp_path, "{% if 段.text is string %}文：{% endif %}{{ 段.text }}")
    renderer = Renderer()
    for batch in (items, list(reversed(items)), items):
        context = {"body": batch}
        got = renderer.render(template, context)
        assert_equivalent(docxtpl_render(template, context), got)


def test_shared_paragraphs_found_by_identity_write_what_they_print(tmp_path):
    from huiwu.render.frozen import Frozen

    template = _loop_template(tmp_path, "{% if 段.text is string %}文：{% endif %}{{ 段.text }}")
    shared = [Frozen(text="甲"), Frozen(text=Markup("甲")), Frozen(text=Decimal("2.0"))]
    renderer = Renderer()
    for own in ("乙", "丙", Decimal("2")):  # each document: the shared ones and one of its own
        context = {"body": [*shared, Frozen(text=own), {"text": own}, *shared]}
        got = renderer.render(template, context)
        assert_equivalent(docxtpl_render(template, context), got)


def test_a_template_prepared_for_one_document_writes_what_a_batch_writes():
    from tests.test_letters import EXAMPLE

    letters = letter_set(load_definition(EXAMPLE))
    renderer = Renderer()
    for unit in letters.units[:2]:
        context = letters.context(unit)
        batch = renderer.render_document(letters.template, context)
        once = renderer.render_document(letters.template, context, once=True)
        assert once.document_xml == batch.document_xml
        assert renderer.prepare(letters.template, once=True) is not renderer.prepare(
            letters.template
        )
        assert_equivalent(docxtpl_render(letters.template, context), once.data)


def test_only_loops_whose_body_depends_on_the_item_alone_are_rendered_once(tmp_path):
    from huiwu.render.loops import cache_loops

    env = environment(autoescape=True)
    source = (
        "<w:p>{% for a in xs %}<w:r>{% if a %}{{ a }}{% endif %}</w:r>{% endfor %}</w:p>"
        "<w:p>{% for z in xs %}<w:r>{{ z }}</w:r>{% endfor %}</w:p>"
        "<w:p>{% for b in xs %}<w:r>{{ b }}{{ other }}</w:r>{% endfor %}</w:p>"
        "<w:p>{% for c in xs %}<w:r>{{ loop.index }}</w:r>{% endfor %}</w:p>"
        "<w:p>{% for d in xs if d %}<w:r>{{ d }}</w:r>{% endfor %}</w:p>"
        "<w:p>{% for e in xs %}<w:r>{{ e }}</w:r>{% else %}无{% endfor %}</w:p>"
        '<w:p>{% for f in xs + ["%}"] %}<w:r>{{ f }}</w:r>{% endfor %}</w:p>'
    )
    changed, functions = cache_loops(env, source, lambda text: text)
    assert list(functions) == ["__huiwu_loop_0"]
    assert changed.startswith("<w:p>{{ __huiwu_loop_0((xs) | list) }}</w:p>")
    xs = ["<1>", "2", "<1>"]
    expected = env.from_string(source).render(xs=xs, other="!")
    assert env.from_string(changed).render(xs=xs, other="!", **functions) == expected


def test_what_a_remembered_loop_writes_counts_once_whatever_was_rendered_before(
    tmp_path, monkeypatch
):
    from huiwu.text import jinja

    monkeypatch.setattr(jinja, "MAX_OUTPUT", 2000)
    template = _loop_template(tmp_path, "{% if 段.text %}{{ 段.text }}{% endif %}", "{{ 前言 }}")
    body = [{"text": "文" * 600}, {"text": "字" * 600}]
    renderer = Renderer()
    for _ in range(3):  # rendered new, then copied: 1,200 characters written each time
        renderer.render(template, {"前言": "", "body": body})
    for _ in range(2):  # 2,100 in all: over the bound, rendered new or copied
        with pytest.raises(TemplateProblem, match="过长"):
            renderer.render(template, {"前言": "序" * 900, "body": body})


def test_an_error_in_a_loop_rendered_once_per_item_names_its_paragraph(tmp_path):
    template = _loop_template(tmp_path, "金额：{{ 段.text | int * 段.missing }}")
    with pytest.raises(TemplateProblem, match="金额"):
        Renderer().render(template, {"body": [{"text": "3"}]})


def test_a_loop_inside_a_paragraph_keeps_its_line_breaks_as_docxtpl_writes_them(tmp_path):
    document = docx.Document()
    document.add_paragraph("前{% for x in xs %}{% if x %}{{ x }}{% endif %}{% endfor %}后")
    document.add_paragraph("{%p for x in xs %}")
    document.add_paragraph("{% if x %}{{ x }}{% endif %}")
    document.add_paragraph("{%p endfor %}")
    path = tmp_path / "inline.docx"
    document.save(str(path))
    context = {"xs": ["甲\n乙", "丙", "甲\n乙", "丁\t戊"]}
    renderer = Renderer()
    for _ in range(2):
        assert_equivalent(docxtpl_render(path, context), renderer.render(path, context))


@pytest.mark.parametrize("count", [30_000, 2_000_000], ids=["many", "far-too-many"])
def test_a_loop_over_more_items_than_any_document_has_ends_as_the_loop_would(
    tmp_path, monkeypatch, count
):
    document = docx.Document()
    document.add_paragraph("{%p for x in xs %}")
    document.add_paragraph("{% if x %}" + "长" * 200 + "{{ x }}{% endif %}")
    document.add_paragraph("{%p endfor %}")
    path = tmp_path / "many.docx"
    document.save(str(path))
    context = {"xs": list(range(count))}

    def outcome() -> bytes | str:
        try:
            return Renderer().render(path, context)
        except TemplateProblem as exc:
            return str(exc)

    remembered = outcome()
    monkeypatch.setattr("huiwu.render.prepared.cache_loops", lambda *args: (args[1], {}))
    assert remembered == outcome()
    if count > 1_000_000:
        assert "文字过长" in remembered
