"""docxtpl's own test templates render in huiwu as docxtpl renders them.

The templates are read from ``../shared/peer-tests/docxtpl/templates/`` (docxtpl's test suite,
not copied into the project); each context is the one docxtpl's ``tests/<name>.py`` renders with.
The reference is docxtpl as those scripts call it (its default Jinja environment); huiwu escapes
every value it prints, so contexts hold no unescaped XML characters except where the script itself
asks docxtpl to escape. Both outputs are compared part by part as canonical XML.

Not here: templates that need docxtpl objects bound to a template file (``replace_media``,
sub-documents, embedded files), custom Jinja filters (huiwu's filters are fixed), and undefined
names, which are errors in huiwu by design.
"""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import docx
import pytest
from docxtpl import DocxTemplate, Listing, RichText, RichTextParagraph
from huiwu.render.renderer import Renderer
from lxml import etree

from tests.test_render_engine import assert_equivalent

TEMPLATES = Path(__file__).resolve().parents[2] / "shared" / "peer-tests" / "docxtpl" / "templates"
if not TEMPLATES.is_dir():  # the worktrees live in /work/wt/, beside /work/shared
    TEMPLATES = Path("/work/shared/peer-tests/docxtpl/templates")

pytestmark = pytest.mark.skipif(not TEMPLATES.is_dir(), reason="docxtpl's templates not found")


def _richtext() -> RichText:
    text = RichText("an exemple of ")
    text.add("a rich text", style="myrichtextstyle")
    text.add(" with ")
    text.add("some italic", italic=True)
    text.add(" and ")
    text.add("some violet", color="#ff00ff")
    text.add(" and ")
    text.add("some striked", strike=True)
    text.add(" or ")
    text.add("big", size=60)
    text.add(" Et voilà ! ")
    text.add("\n1st line")
    text.add("\n2nd line")
    text.add("\n\n<cool>")
    return text


def _richtext_paragraph() -> RichTextParagraph:
    paragraph = RichTextParagraph()
    paragraph.add("The rich text paragraph function", parastyle="myrichparastyle")
    paragraph.add("Any built in paragraph style can be used", parastyle="IntenseQuote")
    paragraph.add("This allows for the use of")
    paragraph.add("custom bullet\apoints", parastyle="SquareBullet")
    paragraph.add("Numbered Bullet Points", parastyle="BasicNumbered")
    inner = RichText("This works with ")
    inner.add("Rich ", bold=True)
    inner.add("Strings", underline="single")
    paragraph.add(inner, parastyle="SquareBullet")
    return paragraph


ORDER = {
    "customer_name": "Eric",
    "items": [
        {"desc": "Python interpreters", "qty": 2, "price": "FREE"},
        {"desc": "Django projects", "qty": 5403, "price": "FREE"},
        {"desc": "Guido", "qty": 1, "price": "100,000,000.00"},
    ],
    "in_europe": True,
    "is_paid": False,
    "company_name": "The World Wide company",
    "total_price": "100,000,000.00",
}
PROJECTS = [
    {"name": "Project A", "year": 2023, "description": "A great project"},
    {"name": "Project B", "year": 2024, "description": "Another great project"},
]


def _contexts() -> dict[str, list[dict]]:
    """Template name → the contexts docxtpl's scripts render it with (several for a batch)."""
    return {
        "order_tpl": [ORDER, {**ORDER, "items": [], "in_europe": False, "is_paid": True}],
        "cellbg_tpl": [
            {
                "alerts": [
                    {
                        "date": "2015-03-10",
                        "desc": "Very critical",
                        "type": "CRITICAL",
                        "bg": "FF0000",
                    },
                    {
                        "date": "2015-03-11",
                        "desc": "Just a warning",
                        "type": "WARNING",
                        "bg": "FFDD00",
                    },
                    {"date": "2015-03-12", "desc": "Information", "type": "INFO", "bg": "8888FF"},
                ]
            },
            {"alerts": []},
        ],
        "comments_tpl": [{}],
        "doc_properties_tpl": [{"test": "HelloWorld"}, {"test": "Other"}],
        "dynamic_table_tpl": [
            {
                "col_labels": ["fruit", "vegetable", "stone", "thing"],
                "tbl_contents": [
                    {"label": "yellow", "cols": ["banana", "capsicum", "pyrite", "taxi"]},
                    {"label": "red", "cols": ["apple", "tomato", "cinnabar", "doubledecker"]},
                    {"label": "green", "cols": ["guava", "cucumber", "aventurine", "card"]},
                ],
            },
            {
                "col_labels": ["fruit", "stone"],
                "tbl_contents": [{"label": "x", "cols": ["a", "b"]}],
            },
        ],
        "escape_tpl": [
            {
                "myvar": RichText('"less than" must be escaped : <, this can be done with R()'),
                "myescvar": 'It can be escaped with a "|e" jinja filter in the template too : < ',
                "nlnp": RichText("a multiple\nlines\nstring\aand some\aother", color="#ff00ff"),
                "mylisting": Listing("the listing\nwith\nsome\nlines\nand special chars : <>& ..."),
                "page_break": RichText("\f"),
                "new_listing": "\nThis is a new listing\nHere is a \t tab\a\nA page break : \f\nThat's it\n",
                "some_html": "HTTP/1.1 200 OK\n\n<html>\n<head>\n\t<title>Report</title>\n</html>",
            }
        ],
        "escape_tpl_auto": [
            {
                "myvar": RichText('"less than" must be escaped : <, this can be done with R()'),
                "myescvar": 'It can be escaped with a "|e" jinja filter in the template too : < ',
                "nlnp": RichText("Here is a multiple\nlines\nstring\aand some\aother\aparagraphs"),
                "mylisting": Listing("the listing\nwith\nsome\nlines\nand special chars : <>&"),
                "autoescape": """<, >, &, ", and '.""",
                "autoescape_unicode": """≤, ≥, &, ", and '.""",
                "nested_dict": {"<": "&lt;", ">": "&gt;", "&": "&amp;"},
                "iteritems": dict.items,
            }
        ],
        "footnotes_tpl": [{"a_jinja_variable": "A Jinja variable!"}],
        "get_undeclared_variables": [
            {
                "name": "John Doe",
                "age": 25,
                "email": "john@example.com",
                "is_student": True,
                "has_degree": True,
                "degree_field": "Computer Science",
                "skills": ["Python", "Django", "JavaScript"],
                "projects": PROJECTS,
                "company_name": "Test Corp",
                "page_number": 1,
                "generation_date": "2024-01-15",
                "author": "Test Author",
            },
            {
                "name": "Jane",
                "age": 30,
                "email": "jane@example.com",
                "is_student": False,
                "has_degree": False,
                "degree_field": "",
                "skills": [],
                "projects": [],
                "company_name": "Test Corp",
                "page_number": 2,
                "generation_date": "2024-01-16",
                "author": "Test Author",
            },
        ],
        "header_footer_entities_tpl": [{"title": "Header and footer test"}, {"title": "A"}],
        "header_footer_tpl": [
            {
                "title": "Header and footer test",
                "company_name": "The World Wide company",
                "date": "2016-03-17",
                "mysubdoc": "no sub-document",
            },
        ],
        "header_footer_tpl_utf8": [
            {
                "title": "헤더와 푸터",
                "company_name": "세계적 회사",
                "date": "2016-03-17",
                "mysubdoc": "-",
            },
        ],
        "horizontal_merge_tpl": [{}],
        "less_cells_after_loop_tpl": [{}],
        "merge_paragraph_tpl": [{"living_in_town": True}, {"living_in_town": False}],
        "module_execute_tpl": [json.loads((TEMPLATES / "module_execute.json").read_text())],
        "multi_rendering_tpl": [
            {"title": f"Title {n}", "body": f"This is the body for document {n}"}
            for n in ("ONE", "TWO", "THREE")
        ],
        "nested_for_tpl": [
            {
                "dishes": [
                    {"name": "Pizza", "ingredients": ["bread", "tomato", "ham", "cheese"]},
                    {"name": "Apple pie", "ingredients": ["flour", "apples", "quince jelly"]},
                ],
                "authors": [
                    {
                        "name": "Saint-Exupery",
                        "books": [{"title": "Le petit prince"}, {"title": "L'aviateur"}],
                    },
                    {"name": "Barjavel", "books": [{"title": "Ravage"}]},
                ],
            },
            {"dishes": [], "authors": []},
        ],
        "preserve_spaces_tpl": [{"tag_1": "looking", "tag_2": "too"}],
        "richtext_and_if_tpl": [{"foobar": RichText("Foobar!", color="ff0000")}, {"foobar": ""}],
        "richtext_eastAsia_tpl": [
            {
                "example": RichText("测试TEST", font="eastAsia:Microsoft YaHei"),
                "Chinese": RichText("测试TEST", font="eastAsia:微软雅黑"),
                "simsun": RichText("测试TEST", font="eastAsia:SimSun"),
            }
        ],
        "richtext_tpl": [{"example": _richtext()}],
        "richtext_paragraph_tpl": [{"example": _richtext_paragraph()}],
        "vertical_merge_tpl": [
            {"items": ORDER["items"], "total_price": "100,000,000.00", "category": "Book"},
            {"items": ORDER["items"][:1], "total_price": "2", "category": "Pen"},
        ],
        "vertical_merge_nested_tpl": [{}],
        "word2016_tpl": [
            {
                "test_space": "          ",
                "test_tabs": 5 * "\t",
                "test_space_r": RichText("          "),
                "test_tabs_r": RichText(5 * "\t"),
            }
        ],
    }


CONTEXTS = _contexts()
AUTOESCAPED = {"escape_tpl_auto"}  # its script calls render(context, autoescape=True)


def docxtpl_alone(name: str, context: dict) -> bytes:
    """What docxtpl writes for one document, called as its own test script calls it."""
    template = DocxTemplate(TEMPLATES / f"{name}.docx")
    template.render(dict(context), autoescape=name in AUTOESCAPED)
    buffer = io.BytesIO()
    template.save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize("name", sorted(CONTEXTS))
def test_each_template_renders_as_docxtpl_renders_it(name):
    renderer = Renderer()
    for context in CONTEXTS[name]:
        assert_equivalent(
            docxtpl_alone(name, context), renderer.render(TEMPLATES / f"{name}.docx", context)
        )


@pytest.mark.parametrize("name", sorted(n for n, c in CONTEXTS.items() if len(c) > 1))
def test_a_batch_gives_each_document_as_docxtpl_alone_in_any_order(name):
    expected = [docxtpl_alone(name, context) for context in CONTEXTS[name]]
    for order in (list(range(len(expected))), list(reversed(range(len(expected))))):
        renderer = Renderer()
        for index in order:
            got = renderer.render(TEMPLATES / f"{name}.docx", CONTEXTS[name][index])
            assert_equivalent(expected[index], got)


@pytest.fixture(scope="module")
def crossing_template(tmp_path_factory) -> Path:
    """An ``{% if %}`` opened in a table cell and closed after the table: its documents are
    well-formed or not depending on the condition (docxtpl repairs them leniently)."""
    document = docx.Document()
    document.add_paragraph("before {{ name }}")
    table = document.add_table(rows=2, cols=2)
    table.rows[0].cells[0].text = "cell {% if flag %}shown"
    table.rows[0].cells[1].text = "{{ name }}"
    table.rows[1].cells[0].text = "last"
    document.add_paragraph("after the table {% endif %} end")
    document.add_paragraph("closing {{ name }}")
    path = tmp_path_factory.mktemp("crossing") / "crossing.docx"
    document.save(str(path))
    return path


@pytest.mark.parametrize("flags", [(True, False, True), (False, True, False)])
def test_every_document_of_a_batch_is_well_formed_whatever_the_order(crossing_template, flags):
    renderer = Renderer()
    for number, flag in enumerate(flags):
        context = {"flag": flag, "name": f"unit {number}"}
        data = renderer.render(crossing_template, context)
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            etree.fromstring(archive.read("word/document.xml"))  # raises if not well-formed
        reference = DocxTemplate(crossing_template)
        reference.render(context)
        buffer = io.BytesIO()
        reference.save(buffer)
        assert_equivalent(buffer.getvalue(), data)


def test_an_ampersand_in_a_tag_literal_prints_once(tmp_path):
    renderer = Renderer()
    path = TEMPLATES / "header_footer_entities_tpl.docx"
    data = renderer.render(path, {"title": "x"})
    footer = zipfile.ZipFile(io.BytesIO(data)).read("word/footer1.xml").decode()
    assert "Testé&amp;xx;" in footer and "&amp;amp;" not in footer


def test_a_title_with_xml_characters_is_stored_as_typed(tmp_path):
    document = docx.Document()
    document.core_properties.title = "{{ doc_title }}"
    document.add_paragraph("{{ doc_title }}")
    path = tmp_path / "title.docx"
    document.save(str(path))
    data = Renderer().render(path, {"doc_title": "A & B <C>"})
    rendered = docx.Document(io.BytesIO(data))
    assert rendered.core_properties.title == "A & B <C>"
    assert rendered.paragraphs[0].text == "A & B <C>"


def test_count_is_jinjas_length_for_a_list_and_huiwus_unit_for_a_number(tmp_path):
    document = docx.Document()
    document.add_paragraph("{{ labels|count }} / {{ 94|count('例') }} / {{ 571|count }}")
    path = tmp_path / "count.docx"
    document.save(str(path))
    data = Renderer().render(path, {"labels": ["a", "b", "c"]})
    assert docx.Document(io.BytesIO(data)).paragraphs[0].text == "3 / 94例 / 571人"


def test_a_richtext_hyperlink_keeps_its_relationship():
    path = TEMPLATES / "richtext_tpl.docx"
    owner = DocxTemplate(path)
    text = RichText("see ")
    text.add("the site", url_id=owner.build_url_id("https://example.com/a?b=1&c=2"))
    renderer = Renderer()
    data = renderer.render(path, {"example": text})
    members = {
        n: zipfile.ZipFile(io.BytesIO(data)).read(n)
        for n in ("word/document.xml", "word/_rels/document.xml.rels")
    }
    rels = etree.fromstring(members["word/_rels/document.xml.rels"])
    targets = {rel.get("Id"): rel.get("Target") for rel in rels}
    document = members["word/document.xml"].decode()
    link_id = document.split('<w:hyperlink r:id="')[1].split('"')[0]
    assert targets[link_id] == "https://example.com/a?b=1&c=2"
