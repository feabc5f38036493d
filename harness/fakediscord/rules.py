"""Discord's documented limits on request bodies; each check returns a list of problems."""

from __future__ import annotations

import re
import unicodedata
from typing import Any

Problems = list[str]

ACTION_ROW, BUTTON, TEXT_INPUT, LABEL = 1, 2, 4, 18
SELECT_TYPES = (3, 5, 6, 7, 8)
LINK_STYLE, PREMIUM_STYLE = 5, 6
SUBCOMMAND, SUBCOMMAND_GROUP = 1, 2
# Messages flagged IS_COMPONENTS_V2 lay out components freely instead of in action rows.
COMPONENTS_V2 = 1 << 15


def _length(problems: Problems, where: str, value: Any, low: int, high: int) -> None:
    if value is None:
        if low > 0:
            problems.append(f"{where}: required")
        return
    if not isinstance(value, str):
        problems.append(f"{where}: must be a string")
    elif not low <= len(value) <= high:
        problems.append(f"{where}: length {len(value)} not in {low}..{high}")


def check_embeds(embeds: Any) -> Problems:
    problems: Problems = []
    if not isinstance(embeds, list):
        return ["embeds: must be a list"]
    if len(embeds) > 10:
        problems.append(f"embeds: {len(embeds)} embeds, at most 10 allowed")
    total = 0
    for i, embed in enumerate(embeds):
        if not isinstance(embed, dict):
            problems.append(f"embeds.{i}: must be an object")
            continue
        texts = {
            "title": (embed.get("title"), 256),
            "description": (embed.get("description"), 4096),
            "footer.text": ((embed.get("footer") or {}).get("text"), 2048),
            "author.name": ((embed.get("author") or {}).get("name"), 256),
        }
        for key, (text, cap) in texts.items():
            if text is not None:
                _length(problems, f"embeds.{i}.{key}", text, 0, cap)
                total += len(str(text))
        fields = embed.get("fields") or []
        if len(fields) > 25:
            problems.append(f"embeds.{i}.fields: {len(fields)} fields, at most 25 allowed")
        for j, fld in enumerate(fields):
            _length(problems, f"embeds.{i}.fields.{j}.name", fld.get("name"), 1, 256)
            _length(problems, f"embeds.{i}.fields.{j}.value", fld.get("value"), 1, 1024)
            total += len(str(fld.get("name") or "")) + len(str(fld.get("value") or ""))
    # The 6000 cap counts every embed of the message together.
    if total > 6000:
        problems.append(f"embeds: {total} characters of embed text, at most 6000 allowed")
    return problems


def _check_button(problems: Problems, where: str, comp: dict[str, Any]) -> None:
    if comp.get("label") is not None:
        _length(problems, f"{where}.label", comp.get("label"), 0, 80)
    style = comp.get("style")
    if style == LINK_STYLE:
        if not comp.get("url"):
            problems.append(f"{where}: link buttons need a url")
        if comp.get("custom_id") is not None:
            problems.append(f"{where}: link buttons cannot have a custom_id")
    elif style == PREMIUM_STYLE:
        if not comp.get("sku_id"):
            problems.append(f"{where}: premium buttons need a sku_id")
    elif comp.get("custom_id") is None:
        problems.append(f"{where}: non-link buttons need a custom_id")
    elif comp.get("url") is not None:
        problems.append(f"{where}: only link buttons can have a url")


def _check_select(problems: Problems, where: str, comp: dict[str, Any]) -> None:
    if comp.get("placeholder") is not None:
        _length(problems, f"{where}.placeholder", comp.get("placeholder"), 0, 150)
    if comp.get("type") == 3:
        options = comp.get("options") or []
        if not 1 <= len(options) <= 25:
            problems.append(f"{where}.options: {len(options)} options, 1..25 allowed")
        for k, opt in enumerate(options):
            _length(problems, f"{where}.options.{k}.label", opt.get("label"), 1, 100)
            _length(problems, f"{where}.options.{k}.value", opt.get("value"), 1, 100)
            if opt.get("description") is not None:
                _length(problems, f"{where}.options.{k}.description", opt["description"], 0, 100)
    low, high = comp.get("min_values", 1), comp.get("max_values", 1)
    if not 0 <= low <= 25 or not 1 <= high <= 25 or low > high:
        problems.append(f"{where}: min_values/max_values out of range")


def _walk(components: list[Any], where: str) -> list[tuple[str, dict[str, Any]]]:
    out: list[tuple[str, dict[str, Any]]] = []
    for i, comp in enumerate(components):
        if not isinstance(comp, dict):
            continue
        here = f"{where}.{i}"
        out.append((here, comp))
        out += _walk(comp.get("components") or [], f"{here}.components")
        if isinstance(comp.get("accessory"), dict):
            out.append((f"{here}.accessory", comp["accessory"]))
        if isinstance(comp.get("component"), dict):
            out.append((f"{here}.component", comp["component"]))
    return out


def check_components(components: Any, flags: int = 0) -> Problems:
    problems: Problems = []
    if not isinstance(components, list):
        return ["components: must be a list"]
    if not flags & COMPONENTS_V2:
        if len(components) > 5:
            problems.append(f"components: {len(components)} action rows, at most 5 allowed")
        for i, row in enumerate(components):
            if not isinstance(row, dict) or row.get("type") != ACTION_ROW:
                problems.append(f"components.{i}: top level components must be action rows")
                continue
            children = row.get("components") or []
            kinds = [c.get("type") for c in children]
            if not children:
                problems.append(f"components.{i}: an action row cannot be empty")
            if any(k in SELECT_TYPES for k in kinds) and len(children) > 1:
                problems.append(f"components.{i}: a select menu must be alone in its row")
            if len(children) > 5:
                problems.append(f"components.{i}: {len(children)} buttons, at most 5 per row")
    seen: set[str] = set()
    for where, comp in _walk(components, "components"):
        custom_id = comp.get("custom_id")
        if custom_id is not None:
            _length(problems, f"{where}.custom_id", custom_id, 1, 100)
            if custom_id in seen:
                problems.append(f"{where}.custom_id: duplicate custom_id {custom_id!r}")
            seen.add(custom_id)
        if comp.get("type") == BUTTON:
            _check_button(problems, where, comp)
        elif comp.get("type") in SELECT_TYPES:
            _check_select(problems, where, comp)
    return problems


def check_poll(poll: Any) -> Problems:
    problems: Problems = []
    if not isinstance(poll, dict):
        return ["poll: must be an object"]
    _length(problems, "poll.question.text", (poll.get("question") or {}).get("text"), 1, 300)
    answers = poll.get("answers") or []
    if not 1 <= len(answers) <= 10:
        problems.append(f"poll.answers: {len(answers)} answers, 1..10 allowed")
    for i, answer in enumerate(answers):
        text = (answer.get("poll_media") or {}).get("text")
        _length(problems, f"poll.answers.{i}.poll_media.text", text, 1, 55)
    duration = poll.get("duration", 24)
    # Whole hours only; discord.py sends them as floats like 1.0, which Discord accepts.
    whole = isinstance(duration, int | float) and not isinstance(duration, bool)
    if not whole or duration != int(duration) or not 1 <= duration <= 768:
        problems.append(f"poll.duration: {duration!r} is not a whole number of hours in 1..768")
    return problems


def check_allowed_mentions(am: Any) -> Problems:
    if am is None:
        return []
    if not isinstance(am, dict):
        return ["allowed_mentions: must be an object"]
    problems: Problems = []
    parse = am.get("parse", [])
    if not isinstance(parse, list) or not set(parse) <= {"roles", "users", "everyone"}:
        problems.append(
            f"allowed_mentions.parse: {parse!r} is not a subset of roles/users/everyone"
        )
        parse = []
    for kind in ("users", "roles"):
        ids = am.get(kind)
        if ids is None:
            continue
        if not isinstance(ids, list) or len(ids) > 100:
            problems.append(f"allowed_mentions.{kind}: must be a list of at most 100 ids")
        # Discord refuses a type both in parse and listed explicitly.
        elif ids and kind in parse:
            problems.append(f"allowed_mentions: {kind} in parse and listed (mutually exclusive)")
    if "replied_user" in am and not isinstance(am["replied_user"], bool):
        problems.append("allowed_mentions.replied_user: must be a boolean")
    return problems


def check_message(body: dict[str, Any]) -> Problems:
    problems: Problems = []
    content = body.get("content")
    if content is not None:
        _length(problems, "content", content, 0, 2000)
    if body.get("embeds") is not None:
        problems += check_embeds(body["embeds"])
    if body.get("components") is not None:
        problems += check_components(body["components"], body.get("flags") or 0)
    if body.get("poll") is not None:
        problems += check_poll(body["poll"])
    problems += check_allowed_mentions(body.get("allowed_mentions"))
    return problems


def check_modal(data: dict[str, Any]) -> Problems:
    problems: Problems = []
    _length(problems, "data.title", data.get("title"), 1, 45)
    _length(problems, "data.custom_id", data.get("custom_id"), 1, 100)
    rows = data.get("components") or []
    if not 1 <= len(rows) <= 5:
        problems.append(f"data.components: {len(rows)} components, 1..5 allowed")
    for where, comp in _walk(rows, "data.components"):
        if comp.get("type") == TEXT_INPUT:
            _length(problems, f"{where}.custom_id", comp.get("custom_id"), 1, 100)
            if comp.get("label") is not None:
                _length(problems, f"{where}.label", comp.get("label"), 1, 45)
        if comp.get("type") == LABEL:
            _length(problems, f"{where}.label", comp.get("label"), 1, 45)
    return problems


def check_choices(choices: Any, where: str = "data.choices") -> Problems:
    problems: Problems = []
    if not isinstance(choices, list):
        return [f"{where}: must be a list"]
    if len(choices) > 25:
        problems.append(f"{where}: {len(choices)} choices, at most 25 allowed")
    for i, choice in enumerate(choices):
        _length(problems, f"{where}.{i}.name", choice.get("name"), 1, 100)
        for locale, name in (choice.get("name_localizations") or {}).items():
            _length(problems, f"{where}.{i}.name_localizations.{locale}", name, 1, 100)
        if isinstance(choice.get("value"), str):
            _length(problems, f"{where}.{i}.value", choice["value"], 1, 100)
    return problems


def _name_ok(name: Any) -> bool:
    """Discord's ^[-_'\\p{L}\\p{N}\\p{sc=Deva}\\p{sc=Thai}]{1,32}$, lowercase where possible."""
    if not isinstance(name, str) or not 1 <= len(name) <= 32:
        return False
    for ch in name:
        scripts_ok = 0x0900 <= ord(ch) <= 0x097F or 0x0E00 <= ord(ch) <= 0x0E7F
        if not (ch in "-_'" or unicodedata.category(ch)[0] in "LN" or scripts_ok):
            return False
        if ch.lower() != ch:
            return False
    return True


def _count_chars(node: dict[str, Any]) -> int:
    total = len(str(node.get("name") or "")) + len(str(node.get("description") or ""))
    for choice in node.get("choices") or []:
        total += len(str(choice.get("name") or "")) + len(str(choice.get("value") or ""))
    return total + sum(_count_chars(o) for o in node.get("options") or [])


def _check_options(problems: Problems, where: str, options: Any, depth: int) -> None:
    if not isinstance(options, list):
        problems.append(f"{where}: must be a list")
        return
    if len(options) > 25:
        problems.append(f"{where}: {len(options)} options, at most 25 allowed")
    kinds = [o.get("type") for o in options]
    nested = [k in (SUBCOMMAND, SUBCOMMAND_GROUP) for k in kinds]
    if any(nested) and not all(nested):
        problems.append(f"{where}: subcommands cannot be mixed with plain options")
    names = [o.get("name") for o in options]
    if len(set(names)) != len(names):
        problems.append(f"{where}: duplicate option names")
    _check_localized_names(problems, where, options)
    seen_optional = False
    for i, opt in enumerate(options):
        here = f"{where}.{i}"
        if not _name_ok(opt.get("name")):
            problems.append(f"{here}.name: {opt.get('name')!r} breaks Discord's naming rule")
        _length(problems, f"{here}.description", opt.get("description"), 1, 100)
        _check_localizations(problems, here, opt)
        kind = opt.get("type")
        if kind == SUBCOMMAND_GROUP and depth > 0:
            problems.append(f"{here}: a subcommand group can only sit at the top level")
        if kind == SUBCOMMAND and depth > 1:
            problems.append(f"{here}: subcommands nest at most two levels deep")
        if kind == SUBCOMMAND_GROUP and any(
            o.get("type") != SUBCOMMAND for o in opt.get("options") or []
        ):
            problems.append(f"{here}: a subcommand group may only hold subcommands")
        if kind in (SUBCOMMAND, SUBCOMMAND_GROUP):
            _check_options(problems, f"{here}.options", opt.get("options") or [], depth + 1)
            continue
        # Discord lists required options first so clients can prompt in order.
        if opt.get("required"):
            if seen_optional:
                problems.append(f"{here}: required option after an optional one")
        else:
            seen_optional = True
        if opt.get("choices") is not None:
            problems += check_choices(opt["choices"], f"{here}.choices")
            if opt.get("autocomplete"):
                problems.append(f"{here}: autocomplete and choices are mutually exclusive")


def _check_localizations(problems: Problems, where: str, node: dict[str, Any]) -> None:
    """A command's or option's translations obey the rules of the English name and text."""
    for locale, name in (node.get("name_localizations") or {}).items():
        if not _name_ok(name):
            problems.append(f"{where}.name_localizations.{locale}: {name!r} breaks the naming rule")
    for locale, text in (node.get("description_localizations") or {}).items():
        _length(problems, f"{where}.description_localizations.{locale}", text, 1, 100)


def _check_localized_names(problems: Problems, where: str, options: list[Any]) -> None:
    """Within one level, no two options may show the same name in any language."""
    locales = {loc for o in options for loc in (o.get("name_localizations") or {})}
    for locale in locales:
        shown = [(o.get("name_localizations") or {}).get(locale, o.get("name")) for o in options]
        if len(set(shown)) != len(shown):
            problems.append(f"{where}: duplicate option names in {locale}")


def check_command(cmd: Any, where: str = "command") -> Problems:
    problems: Problems = []
    if not isinstance(cmd, dict):
        return [f"{where}: must be an object"]
    kind = cmd.get("type", 1)
    if kind == 1:
        if not _name_ok(cmd.get("name")):
            problems.append(f"{where}.name: {cmd.get('name')!r} breaks Discord's naming rule")
        _length(problems, f"{where}.description", cmd.get("description"), 1, 100)
        _check_localizations(problems, where, cmd)
        _check_options(problems, f"{where}.options", cmd.get("options") or [], 0)
        total = _count_chars(cmd)
        if total > 4000:
            problems.append(f"{where}: {total} characters in names/descriptions/values, max 4000")
    else:
        _length(problems, f"{where}.name", cmd.get("name"), 1, 32)
        if cmd.get("description"):
            problems.append(f"{where}.description: user/message commands have no description")
    return problems


def check_command_list(cmds: Any, *, global_scope: bool) -> Problems:
    if not isinstance(cmds, list):
        return ["commands: must be a list"]
    problems: Problems = []
    for i, cmd in enumerate(cmds):
        problems += check_command(cmd, f"{i}")
    by_type: dict[int, list[str]] = {}
    for cmd in cmds:
        if isinstance(cmd, dict):
            by_type.setdefault(cmd.get("type", 1), []).append(str(cmd.get("name")))
    caps = {1: 100, 2: 15, 3: 15}
    for kind, names in by_type.items():
        if len(names) > caps.get(kind, 100):
            scope = "global" if global_scope else "guild"
            problems.append(f"commands: {len(names)} {scope} commands of type {kind}, too many")
        if len(set(names)) != len(names):
            problems.append(f"commands: duplicate names among type {kind}")
    _check_localized_names(problems, "commands", [c for c in cmds if isinstance(c, dict)])
    return problems


def check_thread(body: dict[str, Any]) -> Problems:
    problems: Problems = []
    if "name" in body:
        _length(problems, "name", body.get("name"), 1, 100)
    if isinstance(body.get("message"), dict):
        problems += [f"message.{p}" for p in check_message(body["message"])]
    return problems


def check_event(body: dict[str, Any], *, partial: bool) -> Problems:
    problems: Problems = []
    if "name" in body or not partial:
        _length(problems, "name", body.get("name"), 1, 100)
    if body.get("description") is not None:
        _length(problems, "description", body.get("description"), 0, 1000)
    return problems


_MENTION = re.compile(r"@(everyone|here)|<@!?(\d+)>|<@&(\d+)>")


def pings(body: dict[str, Any], *, listed: bool = True) -> list[str]:
    """Mentions in the content that would notify someone under this body's allowed_mentions.

    Discord's rule: a mention notifies only when allowed_mentions lets it, by kind (`parse`)
    or by id (`users`, `roles`). With `listed=False`, only those let through by kind: a
    sender that names the exact ids it means to ping chose them, while `parse` lets any
    mention in the text through, whoever wrote it.
    """
    content = body.get("content")
    if not isinstance(content, str):
        return []
    am = body.get("allowed_mentions")
    # No allowed_mentions means Discord parses every mention in the text.
    parse = set(am.get("parse") or []) if isinstance(am, dict) else {"everyone", "users", "roles"}
    users = {str(u) for u in am.get("users") or []} if isinstance(am, dict) and listed else set()
    roles = {str(r) for r in am.get("roles") or []} if isinstance(am, dict) and listed else set()
    out = []
    for match in _MENTION.finditer(content):
        everyone, user_id, role_id = match.groups()
        allowed = (
            (everyone and "everyone" in parse)
            or (user_id and ("users" in parse or user_id in users))
            or (role_id and ("roles" in parse or role_id in roles))
        )
        if allowed:
            out.append(match.group(0))
    return out
