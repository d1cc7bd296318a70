"""A block every document of a batch shares (the letters' allocation table) is rendered once and
copied in: each document still equals what docxtpl writes for it alone, and is a valid DOCX."""

from __future__ import annotations

import io
import zipfile

import docx
from huiwu.definition.load import load_definition
from huiwu.publish.packet import letter_set
from huiwu.render.renderer import Renderer

from tests.test_letters import EXAMPLE
from tests.test_render_engine import assert_equivalent, docxtpl_render


def _valid(data: bytes) -> None:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert archive.testzip() is None, "every member's CRC matches"


def test_letters_sharing_the_allocation_table_each_equal_docxtpl():
    letters = letter_set(load_definition(EXAMPLE))
    assert letters.allocation is not None
    renderer = Renderer()
    units = letters.units[:3] + letters.units[:1]
    for unit in units:
        context = letters.context(unit)
        data = renderer.render(letters.template, context)
        _valid(data)
        assert_equivalent(docxtpl_render(letters.template, context), data)


def test_a_changed_shared_value_is_rendered_again(tmp_path):
    letters = letter_set(load_definition(EXAMPLE))
    renderer = Renderer()
    context = letters.context(letters.units[0])
    renderer.render(letters.template, context)
    renderer.render(letters.template, context)
    changed = dict(letters.allocation)
    changed["rows"] = [{**row, "unit": row["unit"] + "（新）"} for row in changed["rows"]]
    for allocation in (changed, None, changed):
        again = {**context, "allocation": allocation}
        data = renderer.render(letters.template, again)
        _valid(data)
        assert_equivalent(docxtpl_render(letters.template, again), data)
    text = "\n".join(
        cell.text
        for table in docx.Document(io.BytesIO(data)).tables
        for row in table.rows
        for cell in row.cells
    )
    assert "（新）" in text


def test_a_shared_table_with_columns_from_a_loop_is_fixed_as_docxtpl_fixes_it(tmp_path):
    document = docx.Document()
    document.add_paragraph("{{ name }}")
    document.add_paragraph("{%p if shared %}")
    table = document.add_table(rows=4, cols=3)
    header = ("单位", "{%tc for c in shared.columns %}", "{{ c }}{%tc endfor %}")
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        cell.text = text
    table.rows[1].cells[0].text = "{%tr for r in shared.rows %}"
    row = ("{{ r.unit }}", "{%tc for v in r.cells %}", "{{ v }}{%tc endfor %}")
    for cell, text in zip(table.rows[2].cells, row, strict=True):
        cell.text = text
    table.rows[3].cells[0].text = "{%tr endfor %}"
    document.add_paragraph("{%p endif %}")
    document.add_paragraph("end {{ name }}")
    path = tmp_path / "shared.docx"
    document.save(str(path))
    shared = {
        "columns": ["甲", "乙", "丙", "丁"],
        "rows": [{"unit": f"单位{i}", "cells": [str(i * k) for k in range(4)]} for i in range(50)],
    }
    renderer = Renderer()
    for name in ("一", "二 & <三>", "四"):
        context = {"name": name, "shared": shared}
        data = renderer.render(path, context)
        _valid(data)
        assert_equivalent(docxtpl_render(path, context), data)


def test_a_letters_bytes_do_not_depend_on_the_letters_before_it():
    letters = letter_set(load_definition(EXAMPLE))
    first, second = letters.units[:2]
    alone = Renderer().render(letters.template, letters.context(second))
    batch = Renderer()
    batch.render(letters.template, letters.context(first))
    assert batch.render(letters.template, letters.context(second)) == alone


def test_a_block_whose_guard_is_false_renders_nothing_and_is_never_compiled():
    letters = letter_set(load_definition(EXAMPLE))
    renderer = Renderer()
    context = letters.context(letters.units[0])
    for allocation in (None, [], {}):
        without = {**context, "allocation": allocation}
        data = renderer.render(letters.template, without)
        _valid(data)
        assert_equivalent(docxtpl_render(letters.template, without), data)
    shared = renderer.prepare(letters.template)._body._shared
    assert all("template" not in vars(source) for source in shared._sources)
    data = renderer.render(letters.template, context)  # the table again: compiled now
    assert_equivalent(docxtpl_render(letters.template, context), data)
    assert any("template" in vars(source) for source in shared._sources)
