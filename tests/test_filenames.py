"""File names made from unit names and titles: safe on Windows, unique, never hidden."""

from __future__ import annotations

import pytest
from huiwu.publish.filenames import MAX_STEM, renamed, safe_name, unique_names


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ('东城/西城:街道*?"<>|', "东城_西城_街道______"),
        ("..隐藏镇", "隐藏镇"),
        ("尾巴镇. ", "尾巴镇"),
        ("制表\t符\n镇", "制表_符_镇"),
        ("CON", "_CON"),
        ("nul.docx", "_nul.docx"),
        ("COM1", "_COM1"),
        ("COM10", "COM10"),
        ("  ", "未命名"),
    ],
)
def test_names_are_safe_everywhere(name, expected):
    assert safe_name(name) == expected


def test_long_names_are_cut_without_leaving_a_trailing_dot():
    assert len(safe_name("镇" * 200)) == MAX_STEM
    assert not safe_name("镇" * (MAX_STEM - 1) + ". 后面").endswith((".", " "))


def test_names_that_collide_after_cleaning_or_by_case_are_numbered_in_order():
    names = unique_names(["甲/乙", "甲:乙", "甲_乙", "Abc", "abc"], ".docx", taken=["ABC.docx"])
    assert names == [
        "甲_乙.docx",
        "甲_乙（2）.docx",
        "甲_乙（3）.docx",
        "Abc（2）.docx",
        "abc（3）.docx",
    ]


def test_only_the_numbered_names_are_given_by_position():
    stems = ["甲/乙", "丙", "甲:乙", "Abc", "abc"]
    assert renamed(stems, ".docx", taken=["ABC.docx"]) == {
        2: "甲_乙（2）.docx",
        3: "Abc（2）.docx",
        4: "abc（3）.docx",
    }
    assert renamed(iter(["丙", "丁"]), ".docx") == {}
