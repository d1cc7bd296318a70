"""A sequence whose items are made when asked for: a batch of ten thousand letters keeps its
numbers, names and digests compactly and makes each value (a Decimal, a path, a record) only
when it is read."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar, overload

Item = TypeVar("Item")


class MadeOnRead(Sequence[Item]):
    """Indexing, negative indexes and slices (a list) for a sequence that knows its length and
    how to make item ``index`` (:meth:`_at`, given 0 ≤ ``index`` < length)."""

    @overload
    def __getitem__(self, index: int) -> Item: ...

    @overload
    def __getitem__(self, index: slice) -> list[Item]: ...

    def __getitem__(self, index: int | slice) -> Item | list[Item]:
        if isinstance(index, slice):
            return [self._at(i) for i in range(*index.indices(len(self)))]
        if index < 0:
            index += len(self)
        if not 0 <= index < len(self):
            raise IndexError(index)
        return self._at(index)

    def _at(self, index: int) -> Item:
        raise NotImplementedError
