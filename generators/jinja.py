"""The one place huiwu makes Jinja environments: sandboxed, strict, with the Chinese filters.

Templates and definitions travel between offices; neither may run code. The immutable sandbox
blocks attribute access to Python internals and calls that change data, and ``StrictUndefined``
turns a misspelt variable into an error instead of a silent blank in a printed document.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from jinja2 import StrictUndefined
from jinja2.sandbox import ImmutableSandboxedEnvironment

from .filters import FILTERS

_DICT_ATTRIBUTES = frozenset(dir(dict))


class _Sandbox(ImmutableSandboxedEnvironment):
    """The immutable sandbox, with a faster lookup of ``name.key`` on plain dicts.

    For ``b.text`` Jinja tries the attribute first and, on a dict, catches an AttributeError
    before it reads the item. A plain dict has no attributes of its own, so for a key that is
    not one of dict's methods the item is the only possible answer: reading it first gives the
    same result (and the same Undefined when it is missing) without raising an exception for
    every paragraph of every letter.
    """

    def getattr(self, obj: Any, attribute: str) -> Any:
        if type(obj) is dict and attribute not in _DICT_ATTRIBUTES:
            try:
                return obj[attribute]
            except KeyError:
                return self.undefined(obj=obj, name=attribute)
        return super().getattr(obj, attribute)


def environment(
    *, autoescape: bool, finalize: Callable[[Any], Any] | None = None
) -> ImmutableSandboxedEnvironment:
    """A sandboxed environment with huiwu's filters; autoescape for XML templates.

    ``finalize`` sees every value a ``{{ }}`` writes out (see Jinja's ``finalize``)."""
    env = _Sandbox(
        undefined=StrictUndefined,
        autoescape=autoescape,
        keep_trailing_newline=True,
        finalize=finalize,
    )
    env.filters.update(FILTERS)
    return env
