"""Every text a member or a server sees passes through gettext (bot/i18n.py): a check of the
code itself, so a new English-only reply fails here rather than in front of a French member.

It reads cogs/ and bot/render/ and finds literal text (a string or f-string with letters in
its own words) handed straight to what Discord shows: message content, embed titles,
descriptions, fields and footers, button and modal labels, placeholders, a `UserError`'s
line, and what a renderer returns. A button declared by a decorator, in no one's language,
marks its label with `N_()` and sets it per member when the view is made. Text inside `_()`, `ngettext()` or `N_()` is translated; names and
markup without words ("**{title}**", "—") need no translation.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FOLDERS = ("cogs", "bot/render")
TRANSLATORS = {"_", "N_", "ngettext", "pgettext", "npgettext"}
# Command declarations: their names and descriptions reach Discord through the Translator
# (bot/i18n.py), extracted by bot/i18n_build.py from the declarations themselves.
DECLARATIONS = {"command", "describe", "Choice", "rename", "Group", "group", "choices"}
# The product's own name, shown as it is in every language.
NAMES = ("Watchparty",)
# Calls whose first positional argument is shown as it is.
SHOWN_FIRST = {
    "send",
    "send_message",
    "reply",
    "respond",
    "UserError",
    "edit_original_response",
}
# Keyword arguments Discord shows, on any call.
SHOWN_KEYWORDS = {"content", "title", "description", "label", "placeholder", "text", "reason"}
WORDS = re.compile(r"[A-Za-z]{2,}")
URLS = re.compile(r"https?://\S*")


def _shown_words(node: ast.expr) -> str:
    """The words of a literal a reader would see: without names and links."""
    text = URLS.sub("", _own_words(node))
    for name in NAMES:
        text = text.replace(name, "")
    return text if WORDS.search(text) else ""


def _own_words(node: ast.expr) -> str:
    """The literal text of a string or f-string, without what it interpolates."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(
            part.value
            for part in node.values
            if isinstance(part, ast.Constant) and isinstance(part.value, str)
        )
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return _own_words(node.left) + _own_words(node.right)
    return ""


def _name(call: ast.Call) -> str:
    func = call.func
    return func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")


def _untranslated(tree: ast.AST, renderer: bool) -> Iterator[tuple[int, str]]:
    for node in ast.walk(tree):
        # A renderer's returned line is shown by whoever calls it (a cog's own returns may be
        # reasons for the operator's log).
        returned = node.value if renderer and isinstance(node, ast.Return) else None
        if returned is not None and (text := _shown_words(returned)):
            yield returned.lineno, text
        if not isinstance(node, ast.Call) or _name(node) in TRANSLATORS | DECLARATIONS:
            continue
        shown = [kw.value for kw in node.keywords if kw.arg in SHOWN_KEYWORDS]
        if _name(node) in SHOWN_FIRST and node.args:
            shown.append(node.args[0])
        for value in shown:
            if text := _shown_words(value):
                yield value.lineno, text


def test_every_shown_text_goes_through_gettext() -> None:
    found = [
        f"{path.relative_to(ROOT)}:{line}: {text!r}"
        for folder in FOLDERS
        for path in sorted((ROOT / folder).rglob("*.py"))
        for line, text in _untranslated(
            ast.parse(path.read_text(), str(path)), renderer=folder == "bot/render"
        )
    ]
    assert not found, "English-only text a member sees:\n" + "\n".join(found)
