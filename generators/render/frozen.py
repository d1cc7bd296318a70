"""A context value that never changes once made, so that a renderer may remember what it knows
about it (:mod:`huiwu.render.loops` keeps its comparison key on it)."""

from __future__ import annotations

from typing import Any


class Frozen(dict):  # type: ignore[type-arg]
    """A read-only mapping: the context of a paragraph that many documents of a batch share.

    Otherwise it is the dict it was made from: templates, JSON and pickle see a dict. A
    remembered loop reads its key (:attr:`loop_key`, made the first time it is needed) instead
    of comparing the values again for every document.
    """

    __slots__ = ("loop_key",)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.loop_key: Any = None

    def _read_only(self, *args: Any, **kwargs: Any) -> None:
        raise TypeError("a shared paragraph of the context cannot be changed; copy it first")

    __setitem__ = __delitem__ = __ior__ = _read_only  # type: ignore[assignment]
    clear = pop = popitem = setdefault = update = _read_only  # type: ignore[assignment]

    def __reduce__(self) -> tuple[type[Frozen], tuple[dict[str, Any]]]:
        return Frozen, (dict(self),)
