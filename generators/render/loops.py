"""Loops rendered once per distinct item: a batch's letters repeat most paragraphs word for word.

A template's body is one loop over the document's paragraphs (``{% for 段 in body %}``), and
in a batch nearly every paragraph of one letter is, to the character, a paragraph of the letter
before it. When every iteration of a top-level loop depends on nothing but its item — the body
names no other variable, not even ``loop`` — its output is a function of the item. Such a loop,
if its body makes a choice (``{% if %}``, ``{% set %}``: a plain line per item is written faster
than looked up), is replaced by a call (:func:`cache_loops`) that renders the body once for each
distinct item and copies the rendering for every later equal item: the same text, at the cost
of a lookup.

Items are compared by value and type (``"2"`` and ``Markup("2")``, ``Decimal("2")`` and
``Decimal("2.0")`` are different items); an item that cannot be compared so (an object of a
class huiwu does not know) is rendered each time. The items not seen yet are rendered together
in one run of the loop, charged to its budget (:mod:`huiwu.text.jinja`) as the loop itself
would have been; what the loop writes, rendered or copied, is charged to the document's once.
"""

from __future__ import annotations

import re
from collections import OrderedDict
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any

from huiwu.render.frozen import Frozen
from huiwu.text.jinja import budget
from jinja2 import Environment, Template, TemplateSyntaxError, meta, nodes, pass_context
from jinja2.runtime import Context
from markupsafe import Markup

BLOCK_TAG = re.compile(r"\{%-?\s*(\w*)(.*?)-?%\}", re.DOTALL)
"""A Jinja block tag: its keyword, and the rest."""
OPENING = frozenset({"if", "for", "macro", "call", "filter", "with", "autoescape"})
"""Keywords that open a block closed by ``end…``."""

_LOOP = re.compile(r"\{%\s*for\s+(?P<name>[^\W\d]\w*)\s+in\s+(?P<items>.+?)\s*%\}", re.DOTALL)
_LARGEST = 8192
"""The longest text of an item that is remembered, in characters: 512 of them take at most
8 MB (Chinese text, two bytes a character)."""
_AT_ONCE = 20_000
"""More items than this (no real document has as many paragraphs) are rendered as the loop
would have been, without being compared or remembered."""
_REMEMBERED = 512
"""Items a loop remembers, the least recently used forgotten first: the paragraphs every letter
has stay, while one unit's own text is soon forgotten (memory stays flat in any batch)."""


def top_level_blocks(source: str) -> list[tuple[int, int]]:
    """The spans of the ``{% if %}`` and ``{% for %}`` blocks not inside another block."""
    spans = []
    depth = 0
    start = 0
    for match in BLOCK_TAG.finditer(source):
        keyword, rest = match.group(1), match.group(2)
        if keyword == "set" and "=" in rest:
            continue
        if keyword in OPENING or keyword == "set":
            if depth == 0:
                start = match.start()
            depth += 1
        elif keyword.startswith("end"):
            depth -= 1
            if depth == 0 and keyword in ("endif", "endfor"):
                spans.append((start, match.end()))
            if depth < 0:
                return []
    return spans if depth == 0 else []


def cache_loops(
    env: Environment,
    source: str,
    numbered: Callable[[str], str],
    paragraphs: Callable[[str], str] | None = None,
    gather: Callable[[list[str]], str] | None = None,
) -> tuple[str, dict[str, Any]]:
    """``source`` with each top-level loop whose body depends only on its item replaced by a
    call, and the functions called (names for the render's context).

    ``numbered`` turns a source into the text the templates are compiled from (huiwu puts each
    paragraph on a line of its own). The call keeps the lines the loop had, and each loop's own
    template has its lines where they were in ``source``, so that whatever names a line (a bound
    exceeded) names the template's own text: every template made here shows ``source``.

    ``paragraphs`` is the clean-up the whole document gets paragraph by paragraph (docxtpl's
    line breaks typed in text): applied once to an item's text, and remembered with it, where
    the item is whole paragraphs standing between whole paragraphs — there the clean-up of the
    document finds the very same paragraphs. Give it only for a template whose every block
    renders balanced XML (:func:`huiwu.render.prepared.always_well_formed`).

    ``gather`` joins the finished texts of such a loop's items (:class:`huiwu.render.chunks.
    Chunks`, which may put markers of compressed chunks in their place); by default they are
    joined as they are."""
    pieces: list[str] = []
    functions: dict[str, Any] = {}
    shown = numbered(source)
    position = 0
    for start, end in top_level_blocks(source):
        found = _independent_loop(env, source, start, end)
        if found is None:
            continue
        name, items, body_start, body_end = found
        call = f"__huiwu_loop_{len(functions)}"
        # Each iteration ends with a mark, so one render of the loop gives each item's text.
        loop = (
            _lines(numbered(source[:start]))
            + f"{{% for {name} in {_ITEMS} %}}"
            + numbered(source[body_start:body_end])
            + f"{_END_OF_ITEM}{{% endfor %}}"
        )
        template = env.from_string(loop)
        template.source = shown  # type: ignore[attr-defined]
        between = _between_paragraphs(source, start)
        whole = paragraphs is not None and between  # items are finished paragraphs
        functions[call] = _render_each(
            template, paragraphs if whole else None, gather if whole else None
        )
        # Jinja's own list filter takes the items, so that what they are is the template's
        # affair as in the loop (a number to loop over is the template's fault, not huiwu's).
        kept = _lines(numbered(source[start:end]))
        pieces += [source[position:start], f"{{{{ {call}(({items}) | list) }}}}{kept}"]
        position = end
    if not functions:
        return source, {}
    return "".join(pieces) + source[position:], functions


_ITEMS = "__huiwu_items"
_END_OF_ITEM = "\ue000huiwu-item\ue001"


def _lines(text: str) -> str:
    """A comment taking as many lines as ``text`` (nothing when it takes one)."""
    count = text.count("\n")
    return "{#" + "\n" * count + "#}" if count else ""


def _independent_loop(
    env: Environment, source: str, start: int, end: int
) -> tuple[str, str, int, int] | None:
    """(item name, items expression, body start, body end) of the loop spanning
    ``source[start:end]``, if it is a plain ``{% for name in items %}`` whose body names
    nothing but ``name`` and makes a choice (``{% if %}``, ``{% set %}``…); else None."""
    opening = _LOOP.match(source, start)
    if opening is None or "\n" in source[start:end]:
        return None  # a line break in the body is kept or trimmed by its context: not alike
    closing = source.rfind("{%", start, end)
    body = source[opening.end() : closing]
    try:
        tree = env.parse(source[start:end])
    except TemplateSyntaxError:
        return None
    (loop,) = tree.body if len(tree.body) == 1 else (None,)
    if not isinstance(loop, nodes.For) or loop.test is not None or loop.else_ or loop.recursive:
        return None
    body_alone = nodes.Template(loop.body).set_environment(env)
    names = meta.find_undeclared_variables(body_alone)
    if not isinstance(loop.target, nodes.Name) or names - {loop.target.name}:
        return None
    keywords = {match.group(1) for match in BLOCK_TAG.finditer(body)}
    if not keywords or _UNSAFE_IN_BODY & keywords:
        return None  # a body without a choice in it is written faster than it is looked up
    name, items = opening.group("name"), opening.group("items")
    if not _same_items(env, name, items, loop.iter):
        return None  # the tag was not cut where Jinja reads it (a "%}" inside a string)
    return name, items, opening.end(), closing


_UNSAFE_IN_BODY = frozenset({"macro", "call", "include", "import", "from", "extends", "block"})


def _same_items(env: Environment, name: str, items: str, parsed: nodes.Node) -> bool:
    try:
        tree = env.parse(f"{{% for {name} in ({items}) %}}{{% endfor %}}")
    except TemplateSyntaxError:
        return False
    loop = tree.body[0]
    return isinstance(loop, nodes.For) and _bare(loop.iter) == _bare(parsed)


def _bare(node: nodes.Node) -> nodes.Node:
    """The items of a loop without the sandbox's charging of each iteration around them (it
    charges the body's size, which differs between the loop and its stand-in)."""
    charged = isinstance(node, nodes.Filter) and node.name.startswith("_huiwu")
    return node.node if charged and node.node is not None else node  # type: ignore[attr-defined]


def _between_paragraphs(source: str, start: int) -> bool:
    """The loop at ``start`` stands between paragraphs: every paragraph opened before it is
    closed before it (the caller knows each block of the template renders balanced XML)."""
    return "txbxContent" not in source and _balanced(source[:start])


def _balanced(text: str) -> bool:
    return text.count("<w:p>") + text.count("<w:p ") == text.count("</w:p>")


def _whole_paragraphs(text: str) -> bool:
    """``text`` is paragraphs, none inside another (nothing a text box could put there)."""
    text = text.strip()
    return (
        text.startswith(("<w:p>", "<w:p "))
        and text.endswith("</w:p>")
        and "txbxContent" not in text
        and _balanced(text)
    )


def _render_each(
    template: Template,
    paragraphs: Callable[[str], str] | None,
    gather: Callable[[list[str]], str] | None,
) -> Callable[..., Markup]:
    """The function that writes the loop for a list of items: the text of each item already
    seen copied, the others rendered together in one run of the loop (``template``), charged
    to its budget as the loop itself would have been."""
    remembered: OrderedDict[Any, str] = OrderedDict()
    known: dict[int, tuple[Frozen, str]] = {}
    """Shared paragraphs (read-only, the very same object in every document of a batch) and
    their texts, found by identity: neither their keys nor a hash of them made again."""
    join = gather if gather is not None else "".join
    globals_ = template.environment.globals

    def finished(text: str) -> str:
        return paragraphs(text) if paragraphs is not None and _whole_paragraphs(text) else text

    @pass_context
    def render_each(context: Context, items: list[Any]) -> Markup:
        if len(items) > _AT_ONCE:  # more than any document has: run as the loop, keep nothing
            return Markup(template.render({_ITEMS: items}).replace(_END_OF_ITEM, ""))
        texts: list[str | None] = [None] * len(items)
        new: dict[Any, list[int]] = {}
        for index, item in enumerate(items):
            hit = known.get(id(item))
            if hit is not None and hit[0] is item:
                texts[index] = hit[1]
                continue
            key = _key(item)
            text = remembered.get(key) if key is not None else None
            if text is None:
                new.setdefault(("at", index) if key is None else key, []).append(index)
                continue
            remembered.move_to_end(key)
            texts[index] = text
            if type(item) is Frozen:
                _identify(known, item, text)
        if new:
            fresh = [items[at[0]] for at in new.values()]
            rendered = template.render_in({**globals_, _ITEMS: fresh})  # type: ignore[attr-defined]
            for (key, at), raw in zip(new.items(), rendered.split(_END_OF_ITEM), strict=False):
                text = finished(raw)
                for index in at:
                    texts[index] = text
                if key[0] != "at":
                    remember(
                        remembered, key, text, size=len(text), largest=_LARGEST, most=_REMEMBERED
                    )
                    if type(items[at[0]]) is Frozen and len(text) <= _LARGEST:
                        _identify(known, items[at[0]], text)
        # What the loop wrote is charged to the document once, whether rendered just now (in a
        # run with a budget of its own) or copied, the same whatever was rendered before: the
        # call's result is charged as any value written; what stands in it for chunks of text
        # (markers) is made up for here.
        joined = join(texts)  # type: ignore[arg-type]  # every item has its text now
        budget(context).step(sum(map(len, texts)) - len(joined))  # type: ignore[arg-type]
        return Markup(joined)

    return render_each


def _identify(known: dict[int, tuple[Frozen, str]], item: Frozen, text: str) -> None:
    """Keep ``item``'s text under its identity (the entry keeps the item alive, so that its
    number is no other object's); forgotten all at once when there are too many."""
    if len(known) >= _REMEMBERED:
        known.clear()
    known[id(item)] = (item, text)


def remember(
    kept: OrderedDict[Any, Any], key: Any, value: Any, *, size: int, largest: int, most: int
) -> None:
    """Keep ``value`` (of ``size`` characters) under ``key`` in a cache of the ``most`` lately
    used, unless it is larger than ``largest``: what one document alone has (a unit's own
    paragraph, a whole table an item) soon goes, and memory stays flat in any batch."""
    if size > largest:
        return
    kept[key] = value
    if len(kept) > most:
        kept.popitem(last=False)


_SCALARS = (str, int, bool, type(None))
_TEXT = {str}


def _key(value: Any) -> Any:
    """``value`` as a dictionary key that tells apart what prints differently, or None."""
    kind = type(value)
    if kind is Frozen:  # made once: its key too
        key = value.loop_key
        if key is None:
            key = value.loop_key = _key(dict(value))
        return key
    if kind is dict and set(map(type, value.values())) <= _TEXT:  # a paragraph: the usual item
        return kind, tuple(value.items())
    if kind in _SCALARS or kind is Markup:
        return kind, value
    if isinstance(value, Decimal | float):
        return kind, repr(value)
    if isinstance(value, Mapping):
        entries = []
        for key, item in value.items():
            frozen = _key(item)
            if frozen is None:
                return None
            entries.append((key, frozen))
        return kind, tuple(entries)
    if isinstance(value, list | tuple):
        frozen_items = tuple(_key(item) for item in value)
        return None if None in frozen_items else (kind, frozen_items)
    return None
