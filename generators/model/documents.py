"""Which documents to produce, and the options of each document kind."""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal

from huiwu.documents import KINDS, kinds_text
from huiwu.documents import parse_kind as parse_registered_kind
from huiwu.model.base import CnDate, Schema, Text
from pydantic import BeforeValidator, Field, field_validator
from pydantic_core import PydanticCustomError

KIND_NAMES: dict[str, str] = {kind.id: kind.name for kind in KINDS.values()}
"""Document kind id → its Chinese name, in packet order (read from :data:`huiwu.documents.KINDS`)."""


def parse_kind(value: Any) -> str:
    """Accept a kind by its id (``notice``) or its Chinese name (``会议通知``)."""
    try:
        return parse_registered_kind(value)
    except ValueError:
        raise PydanticCustomError(
            "doc_kind",
            "不认识的文档种类“{value}”，可选：{allowed}",
            {"value": value, "allowed": kinds_text()},
        ) from None


DocKind = Annotated[str, BeforeValidator(parse_kind)]


_DOC_NUMBER = re.compile(r"^\S+〔[12]\d{3}〕[1-9]\d*号$")


def check_doc_number(value: str) -> str:
    """A 发文字号 as §7.2.4 writes it: ``X政办发〔2012〕12号``."""
    text = value.strip()
    fixed = re.sub(r"[\[［(（【]\s*(\d{4})\s*[\]］)）】]", r"〔\1〕", text)
    if not _DOC_NUMBER.match(fixed) or "第" in fixed.split("〕")[-1]:
        raise PydanticCustomError(
            "doc_number",
            "发文字号“{value}”不合规范，应写成“云政办发〔2012〕12号”：机关代字、"
            "年份（四位，放在六角括号〔〕里）、序号（不编虚位、不加“第”）和“号”",
            {"value": value},
        )
    return fixed


class Masthead(Schema):
    """版头：发文机关标志、发文字号、签发人（GB/T 9704 第7.2条、第10.1条）。"""

    form: Literal["文件", "信函"] = Field(
        "文件",
        title="版头格式",
        description="文件：发文机关标志后加“文件”二字，发文字号下一条红色分隔线（第7.2条）；"
        "信函：标志下一条红色双线，发文字号居右，首页不印页码（第10.1条）。"
        "不要版头（便函式）时不写 masthead。",
    )
    issuers: list[str] = Field(
        title="发文机关标志",
        description="发文机关全称或规范化简称，如 [云川县人民政府办公室]；联合行文时主办机关在前，"
        "每个机关一项。不含“文件”二字。",
        min_length=1,
    )
    number: str = Field(
        title="发文字号",
        description="如“云政办发〔2012〕12号”：年份用六角括号，序号不编虚位、不加“第”。",
    )
    signers: list[str] = Field(
        default_factory=list,
        title="签发人",
        description="上行文才写，如 [张三]；写了时发文字号居左、签发人居右。",
    )

    @field_validator("number")
    @classmethod
    def _number_as_written(cls, value: str) -> str:
        return check_doc_number(value)


class Imprint(Schema):
    """版记：抄送、印发机关和印发日期（GB/T 9704 第7.4条），印在最后一页的底部。

    huiwu 生成的 PDF 里，版记所在的最后一页总是偶数页；版记单独一页时，这一页和它前面补的空白页
    不印页码（第7.5条）。DOCX 由 Word/WPS 自己排版，版记在正文最后一页的底部。
    """

    copy_to: list[str] = Field(
        default_factory=list,
        title="抄送",
        description="抄送机关，每个一项，如 [县委办公室, 县人大常委会办公室]；最后一项后加句号。",
    )
    printer: Text = Field(title="印发机关", description="一般为发文机关的办公厅（室）。")
    printed: CnDate = Field(
        title="印发日期", description="如 2012-09-18，印为“2012年9月18日印发”。"
    )


class Receipt(Schema):
    """参会回执：作为通知的附件，另起一页，由参会单位填好后报回。"""

    title: Text | None = Field(None, title="回执标题", description="不写时为“{会议名称}参会回执”。")
    columns: list[str] = Field(
        default_factory=list,
        title="增加的栏目",
        description="单位、姓名、职务、联系电话之外还要填的栏目，如 [性别, 备注]。",
    )
    rows: int = Field(8, ge=1, le=40, title="空白行", description="回执表格里留给填写的行数。")
    deadline: CnDate = Field(title="报送截止日期", description="参会单位报回回执的最后一天。")
    send_to: Text | None = Field(
        None,
        title="报送方式",
        description="如“传真至县委办公室（0000-1234567）”或“发送至 hy@example.gov.cn”；"
        "不写时为“报送至{发文机关}”。",
    )


class Notice(Schema):
    """会议通知。"""

    title: Text | None = Field(
        None,
        title="标题",
        description="不写时为“关于召开{会议名称}的通知”。标题过长时自动按词断行。",
    )
    to: Text = Field(
        title="主送机关",
        description="如“各村（社区）党支部、村委会，镇直各单位”；末尾的全角冒号可以不写。",
    )
    lead: Text | None = Field(
        None,
        title="开头语",
        description="不写时为“经{主办单位}研究，决定召开{会议名称}。现将有关事项通知如下：”。",
    )
    attendees: Text | None = Field(
        None, title="参会人员", description="不写时由 attendees 列出；写了就用这段话。"
    )
    requirements: list[Text] = Field(
        default_factory=list,
        title="有关要求",
        description="每条一项，生成“五、有关要求”下的 1. 2. 3.。",
    )
    attachments: list[str] = Field(
        default_factory=list, title="附件", description="附件名称，生成“附件：1.…”说明。"
    )
    issuer: Text | None = Field(None, title="发文机关署名", description="不写时用会议的主办单位。")
    date: CnDate = Field(title="成文日期", description="通知落款的日期。")
    seal: bool = Field(
        True,
        title="加盖印章",
        description="加盖印章时署名以成文日期为准居中、日期右空四字；不盖章时署名右空二字。",
    )
    masthead: Masthead | None = Field(
        None,
        title="版头",
        description="正式发文时写：发文机关标志、发文字号等；不写时没有版头（便函式通知）。",
    )
    receipt: Receipt | None = Field(
        None,
        title="参会回执",
        description="写了时通知附上参会回执（另起一页），正文写明报送期限和联系人。",
    )
    imprint: Imprint | None = Field(
        None, title="版记", description="抄送、印发机关和印发日期；正式发文时写。"
    )


class SignIn(Schema):
    """签到表。"""

    title: Text | None = Field(None, title="标题", description="不写时为“{会议名称}签到表”。")
    blank_rows: int = Field(
        5, ge=0, le=500, title="空白行", description="名单之后留给临时参会人员的空行数。"
    )


DocumentList = list[DocKind]
