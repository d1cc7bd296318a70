"""One kind registry: every table that names the document kinds agrees with it."""

from __future__ import annotations

import importlib

from huiwu.definition.reference import REFERENCE_PATH
from huiwu.documents import KINDS
from huiwu.model import KIND_NAMES
from huiwu.templatekit.layouts import TEMPLATES
from huiwu.templates import BUILTIN_DIR

from tests.conftest import ROOT, run_cli


def test_every_table_agrees_with_the_registry():
    assert {kind.id: kind.name for kind in KINDS.values()} == KIND_NAMES
    assert len({kind.name for kind in KINDS.values()}) == len(KINDS)
    for kind in KINDS.values():
        assert (BUILTIN_DIR / f"{kind.template}.docx").is_file(), kind.id
        assert kind.template in TEMPLATES, kind.id
        module = importlib.import_module(kind.context_module)
        assert callable(module.build_context), kind.id
        assert kind.available.__name__ == "_always" or kind.requires, kind.id
    reference = (ROOT / REFERENCE_PATH.relative_to(ROOT)).read_text(encoding="utf-8")
    assert "、".join(f"{kind.id}（{kind.name}）" for kind in KINDS.values()) in reference
    templates = {path.stem for path in BUILTIN_DIR.glob("*.docx")}
    assert templates - {kind.template for kind in KINDS.values()} == {"volume"}


def test_only_and_documents_accept_every_kind_by_id_or_name(tmp_path):
    from huiwu.cli import make_parser

    out = make_parser()._subparsers._group_actions[0].choices["build"].format_help()
    for kind in KINDS.values():
        assert kind.id in out and kind.name in out
    status, _, err = run_cli("build", ROOT / "data/mobilisation/meeting.yaml", "--only", "纪要x")
    assert status == 1 and "不认识的文档种类“纪要x”" in err and "letters（目标管理责任书）" in err
