"""Responsibility letters as the office uses them: one per unit with its own quotas, the seed's
allocation, the points rule, a print file, reruns for some units, identical bytes every time."""

from __future__ import annotations

import hashlib
import json
import re
import zipfile
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import docx
import openpyxl
import pymupdf
import pytest
from docx.enum.section import WD_SECTION
from docx.oxml.ns import qn
from huiwu.definition.load import load_definition
from huiwu.publish.filenames import unique_names
from huiwu.publish.letters import LetterFiles, write_letters
from huiwu.publish.output import Staging
from huiwu.publish.packet import letter_set
from huiwu.render import docxzip
from huiwu.render.renderer import Renderer

from tests.conftest import DATA, make_workbook, run_cli, to_pdfs
from tests.test_render_engine import assert_equivalent, docxtpl_render

EXAMPLE = DATA / "responsibility-letters" / "meeting.yaml"
WORKBOOK = DATA / "responsibility-letters" / "责任书数据.xlsx"

# Seed 003 part 5, in the example's (invented) unit names.
SEED_CASES = {
    "松山乡": 5, "柏树镇": 5, "三溪镇": 5, "铁山镇": 5, "大坪铺镇": 6, "灵泉镇": 6, "陈塘镇": 7,
    "安乐镇": 7, "东城街办": 8, "金沙镇": 9, "湖滨街办": 9, "长桥镇": 10, "经济开发区": 11,
    "红星农场管理区": 1,
}  # fmt: skip
SEED_FEES = {
    "经济开发区": 265, "东城街办": 193, "湖滨街办": 215, "长桥镇": 233, "安乐镇": 178, "铁山镇": 131,
    "陈塘镇": 167, "金沙镇": 191, "灵泉镇": 131, "三溪镇": 105, "柏树镇": 113, "大坪铺镇": 153,
    "松山乡": 113, "红星农场管理区": 12,
}  # fmt: skip

FULL_NAMES = {
    "经济开发区": "楚安经济开发区管理委员会",
    "东城街办": "东城街道办事处",
    "湖滨街办": "湖滨街道办事处",
    "红星农场管理区": "红星农场管理区管理委员会",
}
"""The example workbook's text column 乙方全称, where it is not ``{unit}人民政府``."""


def letter_name(unit: str) -> str:
    return f"2012年目标管理责任书-{unit}.docx"


@pytest.fixture(scope="module")
def example_letters(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("letters") / "责任书"
    status, _, err = run_cli("letters", EXAMPLE, "-o", out, "--combined")
    assert status == 0, err
    assert err == "", "no progress bar or notices when not on a terminal"
    return out


def test_the_seed_allocation_comes_out_as_printed():
    letters = letter_set(load_definition(EXAMPLE))
    quotas = letters.quotas
    assert {unit: quotas.values[unit]["两非案件"] for unit in quotas.units} == SEED_CASES
    assert {unit: quotas.values[unit]["社会抚养费"] for unit in quotas.units} == SEED_FEES
    assert quotas.totals == {"两非案件": 94, "社会抚养费": 2200, "优生检测": 400}
    fifty_thousand = {u for u in quotas.units if u not in ("三溪镇", "红星农场管理区")}
    assert {u for u in quotas.units if quotas.values[u]["优生检测"] == 30} == fifty_thousand


def test_check_reports_the_letters_and_their_totals():
    status, out, err = run_cli("check", EXAMPLE)
    assert status == 0, err
    assert "目标管理责任书：14 个单位，检查通过。两非案件合计 94件，社会抚养费合计 2200万元" in out


def test_one_letter_per_unit_named_by_year_and_unit(example_letters):
    names = sorted(p.name for p in example_letters.iterdir())
    expected = [letter_name(unit) for unit in SEED_FEES]
    assert names == sorted([*expected, "2012年目标管理责任书（合订本）.docx", "manifest.json"])
    manifest = json.loads((example_letters / "manifest.json").read_text(encoding="utf-8"))
    assert [entry["文件"] for entry in manifest["材料"]][:-1] == expected
    assert manifest["材料"][-1]["材料"] == "目标管理责任书（合订本）"
    assert [entry["文件"] for entry in manifest["输入"]] == ["meeting.yaml", "责任书数据.xlsx"]


def test_a_letter_reads_like_an_official_responsibility_letter(example_letters):
    document = docx.Document(str(example_letters / letter_name("松山乡")))
    paragraphs = [(p.style.name, p.text) for p in document.paragraphs if p.text.strip()]
    texts = [text for _, text in paragraphs]
    assert paragraphs[0] == ("公文标题", "2012年人口和计划生育工作目标管理责任书")
    assert texts[1:3] == ["甲方：楚安市人口和计划生育局", "乙方：松山乡人民政府"]
    assert "楚安市人口和计划生育局与松山乡人民政府签订本责任书" in texts[3]
    headings = [text for style, text in paragraphs if style == "一级标题"]
    assert headings == ["一、责任目标", "二、奖励与责任"]
    sections = [text for style, text in paragraphs if style == "二级标题"]
    assert len(sections) == 13 and sections[-1] == "（十三）奖扣分项目", "bonus last, no points"
    points = [Decimal(re.search(r"（([\d.]+)分）$", s).group(1)) for s in sections[:-1]]
    assert sum(points) == 100
    assert "1.二孩及以上孕情在怀孕4个月以内登记上报，及时率不低于75%（8分）。" in texts
    signature = [text for style, text in paragraphs if style in ("签署栏", "签署日期")]
    assert signature[:2] == ["甲方（盖章）\t乙方（盖章）", "局长（签字）：\t计生办主任（签字）："]
    assert signature[2].replace("\u3000", "") == "年月日\t年月日"
    assert document.core_properties.title == "2012年人口和计划生育工作目标管理责任书（松山乡）"


def test_each_letter_carries_its_own_quotas_and_the_allocation_table(example_letters):
    for unit in ("松山乡", "红星农场管理区", "经济开发区"):
        document = docx.Document(str(example_letters / letter_name(unit)))
        # A unit moved whole to the next line is set after a line break (see test_units_on_lines).
        text = "\n".join(p.text.replace("\n", "") for p in document.paragraphs)
        assert f"全年查处不少于{SEED_CASES[unit]}件（全市共94件）（2分）" in text
        assert f"全年完成社会抚养费征收任务{SEED_FEES[unit]}万元（全市共2200万元）" in text
        rows = [[cell.text for cell in row.cells] for row in document.tables[0].rows]
        assert rows[0] == [
            "序号",
            "单位",
            "一般“两非”案件（件）",
            "社会抚养费征收任务（万元）",
            "TORCH优生检测（例）",
        ]
        assert rows[-1] == ["", "合计", "94", "2200", "400"]
        tier = "20" if unit in ("红星农场管理区",) else "30"
        assert f"全年完成TORCH优生检测{tier}例（5万人以上" in text
        assert rows[[row[1] for row in rows].index(unit)][4] == tier
        assert len(rows) == 2 + len(SEED_FEES)


# Thirty invented units with invented figures: each letter must show that unit's own quotas.
THIRTY = [
    f"{place}{kind}"
    for place, kind in zip(
        [
            "青石",
            "柳河",
            "白沙",
            "龙潭",
            "东坪",
            "西坪",
            "石桥",
            "桂花",
            "金山",
            "银河",
            "清泉",
            "松林",
            "马鞍",
            "凤凰",
            "黄土",
            "长岭",
            "新华",
            "城东",
            "城西",
            "红旗",
            "杨柳",
            "北港",
            "南湖",
            "云台",
            "双河",
            "三角",
            "五里",
            "七星",
            "九龙",
            "百花",
        ],
        ["镇", "乡", "镇", "街道", "镇"] * 6,
        strict=True,
    )
]


def _thirty_unit_workbook(path: Path) -> dict[str, tuple[int, Decimal, int]]:
    figures = {
        unit: (3000 + 4321 * i % 97000, Decimal(f"{20 + (37 * i) % 180}.{i % 10}"), 5 + i % 23)
        for i, unit in enumerate(THIRTY)
    }
    rows = [["单位", "总人口", "上年征收额", "村数", "乙方全称"]]
    rows += [
        [unit, pop, float(fee), villages, f"{unit}人民政府"]
        for unit, (pop, fee, villages) in figures.items()
    ]
    make_workbook(path, {"配额基数": rows})
    return figures


def test_thirty_units_each_get_their_own_letter_and_quotas(tmp_path):
    figures = _thirty_unit_workbook(tmp_path / "三十个单位.xlsx")
    out = tmp_path / "责任书"
    status, out_text, err = run_cli(
        "letters", EXAMPLE, "--data", tmp_path / "三十个单位.xlsx", "-o", out
    )
    assert status == 0, err
    assert "已生成 30 份目标管理责任书" in out_text
    fees = {}
    for unit, (population, _, villages) in figures.items():
        document = docx.Document(str(out / letter_name(unit)))
        text = "\n".join(p.text for p in document.paragraphs)
        assert f"乙方：{unit}人民政府" in text, "the text column 乙方全称"
        cases = max(1, int((Decimal(population) / 10000).quantize(Decimal(1), ROUND_HALF_UP)))
        assert f"全年查处不少于{cases}件" in text, unit
        assert f"全{unit}{villages}个村（社区）每村至少完成一起强制征收" in text
        fee = re.search(r"全年完成社会抚养费征收任务(\d+)万元（全市共2200万元）", text)
        assert fee is not None, unit
        fees[unit] = int(fee.group(1))
        table = {row.cells[1].text: row.cells[3].text for row in document.tables[0].rows[1:-1]}
        assert table[unit] == fee.group(1), "the text and the attached table agree"
    assert sum(fees.values()) == 2200, "the largest-remainder parts add up to the total"
    total = sum(Decimal(str(fee)) for _, fee, _ in figures.values())
    for unit, (_, base, _) in figures.items():
        assert abs(fees[unit] - 2200 * base / total) < 1, "within one of the exact share"


def test_unit_names_become_safe_distinct_file_names(tmp_path):
    rows = [["单位", "总人口", "上年征收额", "村数", "乙方全称"]]
    rows += [
        [name, 10000, 1.0, 1, f"{name}人民政府"]
        for name in ("东城/西城街道", "东城:西城街道", ".隐藏镇", "CON")
    ]
    make_workbook(tmp_path / "数据.xlsx", {"配额基数": rows})
    status, _, err = run_cli(
        "letters", EXAMPLE, "--data", tmp_path / "数据.xlsx", "-o", tmp_path / "out"
    )
    assert status == 0, err
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text(encoding="utf-8"))
    files = {entry["单位"]: entry["文件"] for entry in manifest["材料"]}
    assert files == {
        "东城/西城街道": "2012年目标管理责任书-东城_西城街道.docx",
        "东城:西城街道": "2012年目标管理责任书-东城_西城街道（2）.docx",
        ".隐藏镇": "2012年目标管理责任书-.隐藏镇.docx",
        "CON": "2012年目标管理责任书-CON.docx",
    }
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == sorted(
        [*files.values(), "manifest.json"]
    )


def edited_example(folder: Path, old: str, new: str) -> tuple[Path, str]:
    """A copy of the example with its workbook, ``old`` replaced by ``new`` in the definition."""
    text = EXAMPLE.read_text(encoding="utf-8")
    assert old in text
    text = text.replace(old, new)
    definition = folder / "meeting.yaml"
    definition.write_text(text, encoding="utf-8")
    (folder / WORKBOOK.name).write_bytes(WORKBOOK.read_bytes())
    return definition, text


def test_points_that_do_not_add_up_to_100_are_reported_with_the_sum(tmp_path):
    definition, text = edited_example(tmp_path, "      points: 13\n", "      points: 11\n")
    status, _, err = run_cli("check", definition)
    assert status == 1
    first_section = text.splitlines().index("  targets:") + 2
    assert f"meeting.yaml:{first_section}:" in err
    assert (
        "责任目标各节的基本分合计为 98 分（10+10+18+10+6+10+6+10+2+3+11+2），应正好是 100 分" in err
    )
    assert "这一节是 11 分，但各条分值合计为 13 分（1+1+1+3+2+1+1+1+2）" in err


def test_a_misspelt_quota_in_a_text_names_its_line(tmp_path):
    definition, text = edited_example(tmp_path, "{{ 配额.两非案件 }}件", "{{ 配额.两飞案件 }}件")
    status, _, err = run_cli("letters", definition, "-o", tmp_path / "out")
    assert status == 1 and not (tmp_path / "out").exists()
    lines = text.splitlines()
    misspelt = next(i for i, line in enumerate(lines) if "两飞案件" in line)
    item = max(i for i in range(misspelt) if "- text:" in lines[i]) + 1
    assert f"meeting.yaml:{item}:" in err
    assert "文字里引用了不存在的变量（没有这一项：两飞案件）。是不是“配额.两非案件”？" in err


def test_a_stated_total_must_match_the_per_n_rule(tmp_path):
    definition, _ = edited_example(
        tmp_path, "      per: 10000\n", "      per: 10000\n      total: 95\n"
    )
    status, _, err = run_cli("letters", definition, "-o", tmp_path / "out")
    assert status == 1
    assert (
        "配额“两非案件”：按每 10000 总人口一个计算，各单位合计为 94件，与写明的总数 95件 不符"
        in err
    )


def test_same_input_gives_identical_letters_and_manifest(tmp_path):
    for name in ("a", "b"):
        assert run_cli("letters", EXAMPLE, "-o", tmp_path / name, "--combined")[0] == 0
    first = sorted((tmp_path / "a").iterdir())
    assert [p.name for p in first] == sorted(p.name for p in (tmp_path / "b").iterdir())
    for path in first:
        assert path.read_bytes() == (tmp_path / "b" / path.name).read_bytes(), path.name
    with zipfile.ZipFile(first[0]) as archive:
        assert {info.date_time for info in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}
    core = docxzip.read_members(first[0].read_bytes())["docProps/core.xml"].decode()
    assert "dcterms:" not in core, "no created or modified time in the properties"


def test_units_redoes_only_those_letters_and_updates_the_manifest(tmp_path):
    folder = tmp_path / "letters"
    folder.mkdir()
    definition, _ = edited_example(folder, "", "")
    workbook = folder / WORKBOOK.name
    out = tmp_path / "out"
    assert run_cli("letters", definition, "-o", out, "--combined")[0] == 0
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    # 松山乡's population grows: one more case for it; rerun on its own, only it changes.
    book = openpyxl.load_workbook(workbook)
    sheet = book["配额基数"]
    row = next(r for r in sheet.iter_rows(min_row=2) if r[0].value == "松山乡")
    row[1].value = 58800
    book.save(workbook)
    status, _, err = run_cli("letters", definition, "-o", out, "--units", "松山乡")
    assert status == 1 and "--force" in err
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    status, _, err = run_cli("letters", definition, "-o", out, "--units", "松山乡", "--force")
    assert status == 0, err
    after = {p.name: p.read_bytes() for p in out.iterdir()}
    changed = {name for name in after if after[name] != before[name]}
    assert changed == {
        letter_name("松山乡"),
        "2012年目标管理责任书（合订本）.docx",
        "manifest.json",
    }
    text = "\n".join(p.text for p in docx.Document(str(out / letter_name("松山乡"))).paragraphs)
    assert "全年查处不少于6件" in text
    manifest = json.loads(after["manifest.json"])
    assert len(manifest["材料"]) == 15
    for entry in manifest["材料"]:
        digest = hashlib.sha256(after[entry["文件"]]).hexdigest()
        assert entry["sha256"] == digest, entry["文件"]
    status, _, err = run_cli("letters", definition, "-o", out, "--units", "松山镇", "--force")
    assert status == 1 and "没有名为“松山镇”的单位。是不是“" in err and "“松山乡”" in err
    # nothing close: the list says how many there are, not a silent first ten of fourteen
    status, _, err = run_cli("letters", definition, "-o", out, "--units", "无此单位", "--force")
    assert status == 1 and "没有名为“无此单位”的单位。现有的单位：" in err and "等 14 个" in err


def test_the_batch_writes_into_a_packet_subfolder(tmp_path):
    letters = letter_set(load_definition(EXAMPLE))
    with Staging(tmp_path / "packet", force=False) as staging:
        entries = write_letters(
            letters, staging, Renderer(), units=["松山乡", "柏树镇"], folder="责任书"
        )
        staging.commit()
    assert [entry["文件"] for entry in entries] == [
        f"责任书/{letter_name('柏树镇')}",
        f"责任书/{letter_name('松山乡')}",
    ]
    assert sorted(p.name for p in (tmp_path / "packet" / "责任书").iterdir()) == sorted(
        letter_name(unit) for unit in ("松山乡", "柏树镇")
    )


def test_letter_file_names_are_made_when_asked_and_numbered_where_they_collide():
    units = ["东城/西城街道", "松山乡", "东城:西城街道"]
    files = LetterFiles(units, 2012, known=set(units))
    stems = [f"2012年目标管理责任书-{unit}" for unit in units]
    taken = ["2012年目标管理责任书（合订本）.docx", "manifest.json"]
    assert dict(files) == dict(zip(units, unique_names(stems, ".docx", taken), strict=True))
    assert files["东城:西城街道"] == "2012年目标管理责任书-东城_西城街道（2）.docx"
    assert list(files) == units and len(files) == 3 and "无此单位" not in files


def test_the_letters_entries_are_made_from_what_the_staging_folder_keeps(tmp_path):
    letters = letter_set(load_definition(EXAMPLE))
    with Staging(tmp_path / "packet", force=False) as staging:
        entries = write_letters(letters, staging, Renderer(), units=["柏树镇", "松山乡"])
        assert len(entries) == 2 and entries[-1] == entries[1] and entries[:1] == [entries[0]]
        for entry in entries:
            data = (staging.place(entry["文件"])).read_bytes()
            assert entry == {
                "材料": "目标管理责任书",
                "单位": entry["单位"],
                "文件": letter_name(entry["单位"]),
                "sha256": hashlib.sha256(data).hexdigest(),
            }
        staging.write("其他.docx", b"x")
        with pytest.raises(RuntimeError, match="after another file"):
            entries.record("三溪镇", letter_name("三溪镇"), hashlib.sha256(b"").digest())


def test_the_letter_template_renders_as_docxtpl_renders_it():
    letters = letter_set(load_definition(EXAMPLE))
    context = letters.context("松山乡")
    assert_equivalent(
        docxtpl_render(letters.template, context), Renderer().render(letters.template, context)
    )
    assert_equivalent(
        docxtpl_render(letters.template, {**context, "allocation": None}),
        Renderer().render(letters.template, {**context, "allocation": None}),
    )


def test_print_file_has_one_section_per_letter_numbered_from_one(example_letters):
    document = docx.Document(str(example_letters / "2012年目标管理责任书（合订本）.docx"))
    assert len(document.sections) == len(SEED_FEES)
    for section in document.sections:
        start = section._sectPr.find(qn("w:pgNumType")).get(qn("w:start"))
        assert start == "1" and section.start_type == WD_SECTION.NEW_PAGE
    titles = [p.text for p in document.paragraphs if p.style.name == "公文标题"]
    assert titles.count("2012年人口和计划生育工作目标管理责任书") == len(SEED_FEES)
    parties = [p.text for p in document.paragraphs if p.text.startswith("乙方：")]
    assert parties == [f"乙方：{FULL_NAMES.get(unit, unit + '人民政府')}" for unit in SEED_FEES]


def test_print_file_prints_each_letter_as_its_single_file_does(example_letters, tmp_path):
    combined = "2012年目标管理责任书（合订本）.docx"
    pdfs = to_pdfs([example_letters / letter_name(unit) for unit in SEED_FEES], tmp_path)
    pages = [pymupdf.open(pdf).page_count for pdf in pdfs]
    printed = pymupdf.open(to_pdfs([example_letters / combined], tmp_path)[0])
    assert printed.page_count == sum(pages), "no extra page between letters or at the end"
    numbers = [_page_number(page) for page in printed]
    assert numbers == [n for count in pages for n in range(1, count + 1)]


def _page_number(page: pymupdf.Page) -> int:
    match = re.search(r"—\s*(\d+)\s*—", page.get_text())
    assert match is not None
    return int(match.group(1))


def test_print_file_zip_is_a_valid_docx(example_letters):
    with zipfile.ZipFile(example_letters / "2012年目标管理责任书（合订本）.docx") as archive:
        assert archive.testzip() is None
        assert archive.namelist()[0] == "[Content_Types].xml"


def test_the_whole_packet_holds_the_letters_in_a_subfolder(tmp_path):
    out = tmp_path / "packet"
    status, listing, err = run_cli("build", EXAMPLE, "-o", out)
    assert status == 0, err
    assert "目标管理责任书/（15 个文件）" in listing
    folder = out / "目标管理责任书"
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        [letter_name(unit) for unit in SEED_FEES] + ["2012年目标管理责任书（合订本）.docx"]
    )
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    by_unit = {e["单位"]: e["文件"] for e in manifest["材料"] if "单位" in e}
    assert by_unit["松山乡"] == f"目标管理责任书/{letter_name('松山乡')}"
    assert {e["材料"] for e in manifest["材料"]} >= {
        "主持词",
        "目标管理责任书",
        "目标管理责任书（合订本）",
    }
    document = docx.Document(str(folder / letter_name("松山乡")))
    assert any("乙方：松山乡人民政府" in p.text for p in document.paragraphs)

    hosting = (out / "主持词.docx").read_bytes()
    status, _, err = run_cli("build", EXAMPLE, "-o", out, "--only", "letters", "--force")
    assert status == 0, err
    assert (out / "主持词.docx").read_bytes() == hosting, "a partial rebuild keeps the rest"
    again = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert sorted(e["文件"] for e in again["材料"]) == sorted(e["文件"] for e in manifest["材料"])


def test_hostile_unit_names_stay_inside_the_output_folder(tmp_path):
    names = [
        "东城\\西城街道",
        "星*号镇",
        "问?号乡",
        '引"号镇',
        "<尖括号>镇",
        "竖|线乡",
        "..",
        "../../逃逸镇",
        "...三个点",
        "长" * 300,
        "长" * 300 + "乡",
        "LPT1",
        "东城／西城街道",
    ]
    rows = [["单位", "总人口", "上年征收额", "村数", "乙方全称"]]
    rows += [[name, 10000 + i, 1.0, 1, f"{name}人民政府"] for i, name in enumerate(names)]
    make_workbook(tmp_path / "数据.xlsx", {"配额基数": rows})
    out = tmp_path / "nested" / "out"
    status, _, err = run_cli("letters", EXAMPLE, "--data", tmp_path / "数据.xlsx", "-o", out)
    assert status == 0, err
    written = [p for p in tmp_path.rglob("*") if p.is_file() and p.suffix == ".docx"]
    assert all(p.parent == out for p in written), "nothing is written outside the folder"
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    files = [entry["文件"] for entry in manifest["材料"]]
    assert len(files) == len(set(f.casefold() for f in files)) == len(names)
    for name in files:
        assert not set('\\/:*?"<>|') & set(name) and not name.startswith(".")
        assert len(name.encode("utf-8")) <= 255, "fits a file name on every file system"
    assert sorted(p.name for p in out.iterdir()) == sorted([*files, "manifest.json"])
