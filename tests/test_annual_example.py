"""The annual-assessment example, checked against figures worked out here from the workbook's raw
counts — read with openpyxl, computed in Decimal and rounded half up, independently of huiwu."""

from __future__ import annotations

import importlib.util
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import docx
import pytest
from openpyxl import load_workbook

from tests.conftest import DATA, ROOT, texts

WORKBOOK = DATA / "annual-assessment" / "指标.xlsx"
CENT = Decimal("0.01")


def half_up(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def digits(value: Decimal) -> str:
    """A difference as reports write it: 0.4, not 0.40."""
    return format(abs(value).normalize(), "f")


def read_sheet(name: str) -> dict[str, dict[str, Decimal]]:
    sheet = load_workbook(WORKBOOK, read_only=True)[name]
    rows = list(sheet.iter_rows(values_only=True))
    header = rows[0]
    return {
        row[0]: {h: Decimal(str(v)) for h, v in zip(header[1:], row[1:], strict=True)}
        for row in rows[1:]
    }


@pytest.fixture(scope="module")
def counts() -> dict[str, dict[str, Decimal]]:
    """Each unit's counts, plus 全县: their sums."""
    units = read_sheet("数据")
    columns = next(iter(units.values()))
    units["全县"] = {c: sum((row[c] for row in units.values()), Decimal(0)) for c in columns}
    return units


def rates(row: dict[str, Decimal]) -> dict[str, Decimal | None]:
    def ratio(numerator: str, denominator: str) -> Decimal | None:
        if row[denominator] == 0:
            return None
        return half_up(row[numerator] / row[denominator] * 100)

    return {
        "出生政策符合率": ratio("政策内出生人数", "出生人数"),
        "政策外多孩率": ratio("政策外多孩出生人数", "出生人数"),
        "出生人口性别比": ratio("出生男孩数", "出生女孩数"),
        "长效节育措施落实率": ratio("已落实长效节育措施人数", "应落实长效节育措施人数"),
    }


def test_report_sentences_follow_from_the_counts(built_examples, counts):
    area = counts["全县"]
    rate = rates(area)
    three_years = read_sheet("前三年平均")["合计"]["出生政策符合率"]
    last_year = read_sheet("上年")["合计"]
    period = "2012年（2011.10.1—2012.9.30），"

    compliance = rate["出生政策符合率"]
    multiple = rate["政策外多孩率"]
    ratio = rate["出生人口性别比"]
    contraception = rate["长效节育措施落实率"]
    # The example's totals are the seed's: 521 of 571 births, 6 of 571, 245 of 336.
    assert (compliance, multiple, contraception) == (
        Decimal("91.24"),
        Decimal("1.05"),
        Decimal("72.92"),
    )
    assert compliance > three_years and compliance > 90
    assert multiple < Decimal("1.45") and multiple < last_year["政策外多孩率"] and multiple < 2
    assert ratio < last_year["出生人口性别比"] and ratio < 120
    expected = [
        f"出生政策符合率。{period}全县上报出生{area['出生人数']}人，其中政策内出生"
        f"{area['政策内出生人数']}人，出生政策符合率为{compliance}%，与前三年平均值比高"
        f"{digits(compliance - three_years)}个百分点，高于90%的目标值{digits(compliance - 90)}个百分点。",
        f"政策外多孩率。{period}全县上报出生{area['出生人数']}人，其中政策外多孩出生"
        f"{area['政策外多孩出生人数']}人，政策外多孩率为{multiple}%，与前三年平均值比低"
        f"{digits(multiple - Decimal('1.45'))}个百分点，与上年同比下降"
        f"{digits(multiple - last_year['政策外多孩率'])}个百分点，低于2%的控制目标"
        f"{digits(multiple - 2)}个百分点。",
        f"出生人口性别比。{period}全县出生男孩{area['出生男孩数']}人，出生女孩"
        f"{area['出生女孩数']}人，出生人口性别比为100:{ratio}，与上年同比下降"
        f"{digits(ratio - last_year['出生人口性别比'])}个单位值，低于120的控制目标"
        f"{digits(ratio - 120)}个单位值。",
        f"长效节育措施落实率。{period}全县应采取长效节育措施{area['应落实长效节育措施人数']}人，"
        f"其中已采取长效节育措施{area['已落实长效节育措施人数']}人，长效节育措施落实率为"
        f"{contraception}%，高于65%的目标值{digits(contraception - 65)}个百分点。",
    ]
    lines = texts(built_examples["annual"] / "工作汇报.docx")
    start = lines.index("一、2012年度人口和计划生育主要目标完成情况")
    assert lines[start + 1 : start + 5] == expected
    assert "全县上报出生571人，其中政策内出生521人，出生政策符合率为91.24%" in expected[0]
    assert "高于65%的目标值7.92个百分点" in expected[3]


def competition(values: list[Decimal | None], *, higher: bool) -> list[int]:
    """1, 2, 2, 4: how many do strictly better, plus one; no figure ranks last."""
    keys = [(1, 0) if v is None else (0, -v if higher else v) for v in values]
    return [1 + sum(other < mine for other in keys) for mine in keys]


def test_ranking_table_follows_from_the_counts(built_examples, counts):
    document = docx.Document(str(built_examples["annual"] / "考核结果通报.docx"))
    table, _imprint = document.tables  # the ranking, then the 版记 under it
    cells = [[cell.text for cell in row.cells] for row in table.rows]
    names = ["出生政策符合率", "政策外多孩率", "出生人口性别比", "长效节育措施落实率"]
    assert cells[0] == ["名次", "单位", *names, "综合得分", "备注"]
    units = [u for u in counts if u != "全县"]
    assert len(units) >= 20 and sorted(row[1] for row in cells[1:-1]) == sorted(units)

    # 排名 scoring: each indicator gives (n − place + 1)/n of its weight.
    unit_rates = {u: rates(counts[u]) for u in units}
    weights = {
        "出生政策符合率": 40,
        "政策外多孩率": 20,
        "出生人口性别比": 20,
        "长效节育措施落实率": 20,
    }
    lower = {"政策外多孩率", "出生人口性别比"}
    score = dict.fromkeys(units, Decimal(0))
    for name, weight in weights.items():
        places = competition([unit_rates[u][name] for u in units], higher=name not in lower)
        for unit, place in zip(units, places, strict=True):
            score[unit] += Decimal(weight) * (len(units) - place + 1) / len(units)
    score = {u: half_up(s) for u, s in score.items()}
    ranks = dict(zip(units, competition(list(score.values()), higher=True), strict=True))
    tied = {u for u in units if list(ranks.values()).count(ranks[u]) > 1}
    assert tied, "the example shows a shared rank"
    bottom_two = {u for u in units if ranks[u] >= sorted(ranks.values())[-2]}
    below_target = {u for u in units if unit_rates[u]["出生政策符合率"] < 90}

    body = cells[1:-1]
    assert [Decimal(row[-2]) for row in body] == sorted(score.values(), reverse=True)
    for row in body:
        unit = row[1]
        assert row[0] == (f"{ranks[unit]}（并列）" if unit in tied else str(ranks[unit]))
        shown = [format_rate(name, unit_rates[unit][name]) for name in names]
        assert row[2:-2] == shown, unit
        assert row[-2] == f"{score[unit]:.2f}"
        flagged = (("预否决", bottom_two), ("黄牌警告", below_target))
        assert row[-1] == "、".join(label for label, hit in flagged if unit in hit), unit
    area = rates(counts["全县"])
    assert cells[-1] == ["", "全县", *(format_rate(n, area[n]) for n in names), "", ""]


def format_rate(name: str, value: Decimal | None) -> str:
    if value is None:
        return "—"
    return f"100:{value}" if name == "出生人口性别比" else f"{value}%"


def test_ranking_notice_text(built_examples):
    lines = texts(built_examples["annual"] / "考核结果通报.docx")
    document = docx.Document(str(built_examples["annual"] / "考核结果通报.docx"))
    body = [[cell.text for cell in row.cells] for row in document.tables[0].rows][1:-1]
    top = [row[1] for row in body if int(row[0].removesuffix("（并列）")) <= 3]
    vetoed = [row[1] for row in body if "预否决" in row[-1]]
    warned = [row[1] for row in body if "黄牌警告" in row[-1]]
    # 版头: the issuer's mark and the 发文字号, then the title's two lines.
    assert lines[:2] == ["云川县人口和计划生育工作领导小组文件", "云人口领发〔2012〕6号"]
    lines = lines[2:]
    assert lines[2] == (
        "各乡镇党委、政府，各街道党工委、办事处，县人口和计划生育领导小组各成员单位："
    )
    assert lines[3].startswith("根据《云川县2012年度人口和计划生育目标管理考核办法》")
    assert "对22个乡镇（街道）2012年度" in lines[3]
    assert (
        "全县出生政策符合率为91.24%，与前三年平均值比高0.91个百分点，高于90%的目标值1.24个百分点；"
        "长效节育措施落实率为72.92%，高于65%的目标值7.92个百分点。现将考核结果通报如下："
    ) in lines[3]
    assert lines[4] == f"{'、'.join(top[:-1])}和{top[-1]}综合得分位列全县前三名，予以通报表扬。"
    assert lines[5] == f"对{'、'.join(vetoed[:-1])}和{vetoed[-1]}实行“预否决”。"
    assert lines[6] == f"对{'、'.join(warned[:-1])}和{warned[-1]}实行“黄牌警告”。"
    assert lines[7] == "附件：全县22个乡镇（街道）综合得分排名表"
    assert lines[-1] == "全县22个乡镇（街道）综合得分排名表"


def test_committed_workbook_is_what_the_script_writes(tmp_path):
    spec = importlib.util.spec_from_file_location(
        "make_example_workbook", ROOT / "scripts" / "make_example_workbook.py"
    )
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    fresh = tmp_path / "指标.xlsx"
    script.build(fresh)
    assert _values(fresh) == _values(WORKBOOK), "run scripts/make_example_workbook.py"


def _values(path: Path) -> dict[str, list[tuple]]:
    book = load_workbook(path, read_only=True)
    return {sheet.title: list(sheet.iter_rows(values_only=True)) for sheet in book.worksheets}
