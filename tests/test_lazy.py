"""Sequences made on read (huiwu.lazy) index, slice and refuse as a list does."""

from __future__ import annotations

import pytest
from huiwu.lazy import MadeOnRead
from huiwu.publish.letters import LetterEntries


class _Squares(MadeOnRead[int]):
    def __init__(self, count: int) -> None:
        self._count = count

    def __len__(self) -> int:
        return self._count

    def _at(self, index: int) -> int:
        assert 0 <= index < self._count, "only indexes inside are asked for"
        return index * index


def test_a_sequence_made_on_read_reads_as_a_list():
    made, listed = _Squares(5), [i * i for i in range(5)]
    for index in range(-5, 5):
        assert made[index] == listed[index]
    assert made[1:4] == listed[1:4] and made[::-2] == listed[::-2] and made[9:] == []
    assert list(made) == listed and 9 in made and made.index(16) == 4
    for outside in (5, -6):
        with pytest.raises(IndexError):
            made[outside]


class _NoStaging:
    def __init__(self) -> None:
        self.written: list[object] = []


def test_letter_entries_refuse_an_index_outside_them():
    entries = LetterEntries(_NoStaging())  # type: ignore[arg-type]
    entries.extend([{"文件": "合订本.docx"}, {"文件": "合订本.pdf"}])
    assert entries[-1] == {"文件": "合订本.pdf"} and entries[-2] == {"文件": "合订本.docx"}
    with pytest.raises(IndexError):
        entries[-3]  # the PDF's entry, before
