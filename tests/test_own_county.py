"""A county huiwu has never seen: 27 townships, built end to end, every figure checked by hand.

The definition (tests/county/meeting.yaml) and the workbook below were written for this test
only. Every rate, difference, score, rank, flag and quota printed in the DOCX files is compared
with a computation made here independently, in Decimal with half-up rounding as the definition
reference (docs/定义文件说明.md) documents it.
"""

from __future__ import annotations

import math
import random
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import docx
import openpyxl
import pytest

from tests.conftest import run_cli, texts

DEFINITION = Path(__file__).parent / "county" / "meeting.yaml"
UNITS = [
    *("望江镇", "石门镇", "枫林乡", "双河镇", "白鹭乡", "桃源镇", "南岭乡", "北坪镇", "云溪乡"),
    *("青龙镇", "沙坪乡", "新塘镇", "竹园乡", "高桥镇", "麻阳乡", "金鸡镇", "荷花乡", "铜锣镇"),
    *("卧龙乡", "长乐镇", "梅林乡", "古城街道", "江北街道", "平安乡", "响水镇", "鹿鸣乡", "太和镇"),
]
COLUMNS = [
    "总人口",
    "上年征收额",
    "政策内出生人数",
    "出生人数",
    "出生男孩数",
    "出生女孩数",
    "已落实长效节育措施人数",
    "应落实长效节育措施人数",
]
LAST_YEAR_TOTAL = {"出生政策符合率": 91.255, "出生人口性别比": 117.05}
# name: (numerator, denominator, decimals, target, better, weight)
INDICATORS = {
    "出生政策符合率": ("政策内出生人数", "出生人数", 2, Decimal(90), "higher", Decimal(40)),
    "出生人口性别比": ("出生男孩数", "出生女孩数", 1, Decimal(118), "lower", Decimal(30)),
    "长效节育措施落实率": (
        "已落实长效节育措施人数",
        "应落实长效节育措施人数",
        2,
        Decimal(70),
        "higher",
        Decimal(30),
    ),
}


def half_up(value: Decimal, places: int) -> Decimal:
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def county_rows() -> dict[str, dict[str, int]]:
    """27 townships of invented figures, with the edge cases a hand check is about."""
    rnd = random.Random(2027)
    rows = []
    for _ in UNITS:
        births = rnd.randint(200, 900)
        girls = rnd.randint(births // 2 - 40, births // 2)
        need = rnd.randint(150, 600)
        rows.append(
            [
                rnd.randint(8000, 90000),
                rnd.randint(20, 400),
                births - rnd.randint(0, 90),
                births,
                births - girls,
                girls,
                need - rnd.randint(0, need // 2),
                need,
            ]
        )
    rows[0][2:4] = [789, 800]  # 98.625 %: half up gives 98.63 (half even would give 98.62)
    rows[3][2:4] = [450, 500]  # exactly on the 90 % floor: meets the target
    rows[4][4:6] = [449, 400]  # 112.25: half up at one decimal gives 112.3
    rows[2] = list(rows[1])  # identical twins: a shared rank at the bottom
    rows[5][0] = 5000  # under 10000 people: the minimum of one case applies
    rows[6][0] = 60000  # exactly on a tier boundary: the upper tier
    return {
        unit: dict(zip(COLUMNS, row, strict=True)) for unit, row in zip(UNITS, rows, strict=True)
    }


def write_workbook(path: Path, rows: dict[str, dict[str, int]]) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "数据"
    sheet.append(["单位", *COLUMNS])
    for unit, row in rows.items():
        sheet.append([unit, *row.values()])
    last = book.create_sheet("上年")
    last.append(["单位", *LAST_YEAR_TOTAL])
    rnd = random.Random(7)
    for unit in UNITS:
        last.append([unit, round(rnd.uniform(85, 99), 2), round(rnd.uniform(105, 125), 1)])
    last.append(["合计", *LAST_YEAR_TOTAL.values()])
    book.save(path)


def rate(name: str, row: dict[str, int]) -> Decimal:
    numerator, denominator, places, *_ = INDICATORS[name]
    return half_up(Decimal(row[numerator]) * 100 / Decimal(row[denominator]), places)


def shown(name: str, value: Decimal) -> str:
    return f"{value}%" if name.endswith("率") else str(value)


DEDUCT = {
    "出生政策符合率": Decimal(2),
    "出生人口性别比": Decimal("1.5"),
    "长效节育措施落实率": Decimal(1),
}


def score(unit: str, rows: dict[str, dict[str, int]], scoring: str) -> Decimal:
    """A unit's composite score under each documented scoring method."""
    total = Decimal(0)
    for name, (_, _, _, target, better, weight) in INDICATORS.items():
        value = rate(name, rows[unit])
        if scoring == "比例":  # reaching the target earns the weight, short of it in proportion
            share = value / target if better == "higher" else target / value
            total += weight * min(share, Decimal(1))
        elif scoring == "排名":  # the first of n earns the weight, the last 1/n of it
            values = [rate(name, row) for row in rows.values()]
            place = 1 + sum((v > value) if better == "higher" else (v < value) for v in values)
            total += weight * (len(values) - place + 1) / len(values)
        else:  # 扣分: so many points per percentage point (unit) short of the target
            short = (target - value) if better == "higher" else (value - target)
            total += weight - min(max(short, Decimal(0)) * DEDUCT[name], weight)
    return half_up(total, 2)


def proportional(total: int, bases: list[int], minimum: int) -> list[int]:
    """Largest remainder, after giving the minimum to units whose share falls below it."""
    fixed: set[int] = set()
    while True:
        free = [i for i in range(len(bases)) if i not in fixed]
        rest = total - minimum * len(fixed)
        weight = sum(bases[i] for i in free)
        below = {i for i in free if Decimal(rest) * bases[i] / weight < minimum}
        if not below:
            break
        fixed |= below
    parts = {i: minimum for i in fixed}
    exact = {i: Decimal(rest) * bases[i] / weight for i in free}
    for i in free:
        parts[i] = int(exact[i])
    left = rest - sum(parts[i] for i in free)
    lucky = sorted(free, key=lambda i: (-(exact[i] - int(exact[i])), -bases[i], i))[:left]
    for i in lucky:
        parts[i] += 1
    return [parts[i] for i in range(len(bases))]


def build(folder: Path, definition: Path) -> tuple[Path, dict[str, dict[str, int]]]:
    rows = county_rows()
    workbook = folder / "数据.xlsx"
    write_workbook(workbook, rows)
    status, _, err = run_cli("build", definition, "--data", workbook, "-o", folder / "packet")
    assert status == 0, err
    return folder / "packet", rows


@pytest.fixture(scope="module")
def county(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, dict[str, int]]]:
    return build(tmp_path_factory.mktemp("county"), DEFINITION)


def test_report_states_the_county_figures_as_computed_by_hand(county):
    packet, rows = county
    paragraphs = texts(packet / "工作汇报.docx")
    for name in INDICATORS:
        numerator, denominator, places, target, _, _ = INDICATORS[name]
        summed = {c: sum(row[c] for row in rows.values()) for c in (numerator, denominator)}
        value = rate(name, summed)
        (text,) = [p for p in paragraphs if p.startswith(f"{name}。")]
        assert f"{name}为{shown(name, value)}" in text
        unit = "个百分点" if name.endswith("率") else "个单位值"
        gap = value - target
        word = "高于" if gap > 0 else "低于"
        assert f"{word}{shown(name, target)}的" in text
        assert f"{abs(gap)}{unit}" in text.split(word)[-1]
        if name in LAST_YEAR_TOTAL:
            base = half_up(Decimal(str(LAST_YEAR_TOTAL[name])), places)
            change = value - base
            direction = "上升" if change > 0 else "下降"
            assert f"与上年同比{direction}{abs(change)}{unit}" in text


@pytest.mark.parametrize("scoring", ["比例", "排名", "扣分"])
def test_ranking_table_matches_hand_scores_ranks_and_flags(tmp_path, scoring):
    text = DEFINITION.read_text(encoding="utf-8")
    text = text.replace("  flags:\n", f"  scoring: {scoring}\n  flags:\n")
    for name, points in DEDUCT.items():
        text = text.replace(f"  {name}:\n", f"  {name}:\n    deduct: {points}\n", 1)
    assert f"scoring: {scoring}" in text and text.count("    deduct: ") == len(DEDUCT)
    definition = tmp_path / "meeting.yaml"
    definition.write_text(text, encoding="utf-8")
    packet, rows = build(tmp_path, definition)
    scores = {unit: score(unit, rows, scoring) for unit in rows}
    ranks = {unit: 1 + sum(s > scores[unit] for s in scores.values()) for unit in UNITS}
    ordered = sorted(UNITS, key=lambda unit: (ranks[unit], UNITS.index(unit)))
    cut = ranks[ordered[len(UNITS) - 3]]
    document = docx.Document(str(packet / "考核结果通报.docx"))
    table = document.tables[0]
    printed = [[cell.text for cell in row.cells] for row in table.rows]
    assert printed[0] == ["名次", "单位", *INDICATORS, "综合得分", "备注"]
    for unit, cells in zip(ordered, printed[1:], strict=False):
        tied = sum(r == ranks[unit] for r in ranks.values()) > 1
        flags = []
        if ranks[unit] >= cut:
            flags.append("预否决")
        if rate("出生政策符合率", rows[unit]) < 90:
            flags.append("黄牌警告")
        assert cells == [
            f"{ranks[unit]}（并列）" if tied else str(ranks[unit]),
            unit,
            *(shown(name, rate(name, rows[unit])) for name in INDICATORS),
            str(scores[unit]),
            "、".join(flags),
        ]
    assert len(printed) == len(UNITS) + 2  # header, 27 townships, the county row


def test_each_letter_and_the_allocation_table_carry_the_hand_quotas(county):
    packet, rows = county
    people = [rows[u]["总人口"] for u in UNITS]
    cases = [max(math.ceil(Decimal(p) / 10000), 1) for p in people]
    levy = proportional(3000, [rows[u]["上年征收额"] for u in UNITS], 20)
    checks = [40 if p >= 60000 else 30 if p >= 30000 else 20 for p in people]
    assert sum(levy) == 3000
    letters = packet / "目标管理责任书"
    for i, unit in enumerate(UNITS):
        body = "\n".join(texts(letters / f"2026年目标管理责任书-{unit}.docx"))
        assert f"乙方：{unit}" in body
        assert f"不少于{cases[i]}件（全县共{sum(cases)}件）" in body
        assert f"征收任务{levy[i]}万元（全县共3000万元）" in body
        assert f"优生检测{checks[i]}例" in body
    table = docx.Document(str(letters / f"2026年目标管理责任书-{UNITS[0]}.docx")).tables[0]
    printed = [[cell.text for cell in row.cells] for row in table.rows]
    assert printed[1:-1] == [
        [str(i + 1), unit, str(cases[i]), str(levy[i]), str(checks[i])]
        for i, unit in enumerate(UNITS)
    ]
    assert printed[-1] == ["", "合计", str(sum(cases)), "3000", str(sum(checks))]


def test_the_notice_names_the_county_meeting(county):
    packet, _ = county
    body = "\n".join(texts(packet / "会议通知.docx"))
    assert "2025年度全县计划生育目标管理考核暨责任书签订会" in body
    assert "2026年3月10日（星期二）9时。" in body  # 2026-03-10 is a Tuesday
    assert "县行政中心二楼会议室。" in body
    assert "会议由县委副书记、县长覃海波同志主持" in body
