"""Checks request bodies against Discord's published OpenAPI 3.1 description of API v10."""

from __future__ import annotations

import json
import os
import re
from functools import lru_cache
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

SPEC_URI = "urn:discord-openapi"
METHODS = ("get", "put", "post", "patch", "delete")
# Bodies whose verdict is kept: a benchmark's thousands of answers are mostly the same few
# bodies (one vote reply per option), and validating one is most of the emulator's time.
VERDICTS_KEPT = 4096


def default_spec_path() -> Path:
    override = os.environ.get("DISCORD_OPENAPI_SPEC")
    if override:
        return Path(override)
    return Path(__file__).resolve().parents[2].parent / "shared/discord-api-spec/openapi.json"


@lru_cache(maxsize=4)
def _load(path: str) -> dict[str, Any]:
    with open(path, encoding="utf-8") as fh:
        doc: dict[str, Any] = json.load(fh)
    # Discord accepts snowflakes as JSON integers too (discord.py sends ints for
    # allowed_mentions ids, tags and roles), though the spec only types them as strings.
    snowflake = doc.get("components", {}).get("schemas", {}).get("SnowflakeType")
    if isinstance(snowflake, dict):
        doc["components"]["schemas"]["SnowflakeType"] = {
            "anyOf": [snowflake, {"type": "integer", "minimum": 0}]
        }
    return doc


# Verdicts by (spec file, method, route, body), shared by every emulator in the process: each
# test's bot syncs the same command tree (most of a CPU second to check), and a benchmark sends
# the same answer thousands of times.
_VERDICTS: dict[tuple[str, str, str, str], list[str]] = {}


def _pointer(*parts: str) -> str:
    return "/".join(p.replace("~", "~0").replace("/", "~1") for p in parts)


class OpenAPI:
    """One loaded spec: matches request paths to operations and validates bodies lazily."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or default_spec_path()
        self.skip_reason: str | None = None
        self._doc: dict[str, Any] | None = None
        self._routes: list[tuple[re.Pattern[str], str]] = []
        self._validators: dict[tuple[str, str], Draft202012Validator | None] = {}
        self._registry: Registry[Any] | None = None
        if not self.path.is_file():
            self.skip_reason = (
                f"Discord's OpenAPI spec was not found at {self.path} (set DISCORD_OPENAPI_SPEC "
                "to its path), so request bodies are not checked against it."
            )
            return
        self._doc = _load(str(self.path))
        templates = list(self._doc.get("paths", {}))
        # Literal segments win over parameters, as in /messages/@original vs /messages/{id}.
        templates.sort(key=lambda t: (t.count("{"), -len(t)))
        for template in templates:
            pattern = re.sub(r"\\\{[^/]+?\\\}", "[^/]+", re.escape(template))
            self._routes.append((re.compile(f"^{pattern}$"), template))

    @property
    def enabled(self) -> bool:
        return self._doc is not None

    def match(self, method: str, path: str) -> str | None:
        """The spec's path template for this request, or None if the spec lacks it."""
        if self._doc is None:
            return None
        for regex, template in self._routes:
            if regex.match(path) and method.lower() in self._doc["paths"][template]:
                return template
        return None

    def operation_id(self, method: str, template: str) -> str:
        assert self._doc is not None
        op = self._doc["paths"][template][method.lower()]
        return str(op.get("operationId", f"{method} {template}"))

    def _validator(self, method: str, template: str) -> Draft202012Validator | None:
        key = (method.lower(), template)
        if key in self._validators:
            return self._validators[key]
        assert self._doc is not None
        op = self._doc["paths"][template][method.lower()]
        content = (op.get("requestBody") or {}).get("content") or {}
        validator = None
        if "application/json" in content:
            if self._registry is None:
                resource = Resource.from_contents(self._doc, default_specification=DRAFT202012)
                self._registry = Registry().with_resource(SPEC_URI, resource)
            ref = _pointer(
                "", "paths", template, method.lower(), "requestBody", "content", "application/json"
            )
            schema = {"$ref": f"{SPEC_URI}#{ref}/schema"}
            validator = Draft202012Validator(schema, registry=self._registry)
        self._validators[key] = validator
        return validator

    def validate(self, method: str, template: str, body: Any) -> list[str]:
        """The first few schema errors for this body (empty when it conforms). A verdict is a
        function of the operation and the body alone, so the same body's is looked up."""
        key = (str(self.path), method, template, json.dumps(body, sort_keys=True))
        if key not in _VERDICTS:
            if len(_VERDICTS) >= VERDICTS_KEPT:
                _VERDICTS.clear()
            _VERDICTS[key] = self._validate(method, template, body)
        return list(_VERDICTS[key])

    def _validate(self, method: str, template: str, body: Any) -> list[str]:
        validator = self._validator(method, template)
        if validator is None:
            return []
        return self._errors(validator, body)

    @staticmethod
    def _errors(validator: Draft202012Validator, body: Any) -> list[str]:
        errors = sorted(validator.iter_errors(body), key=lambda e: list(e.absolute_path))
        out = []
        for error in errors[:5]:
            where = ".".join(str(p) for p in error.absolute_path) or "<body>"
            detail = error.message if len(error.message) < 300 else error.message[:300] + "..."
            # anyOf failures hide the useful reason one level down.
            if error.context:
                best = min(error.context, key=lambda e: len(list(e.absolute_path)) * -1)
                detail += f" (e.g. {best.message[:200]})"
            out.append(f"{where}: {detail}")
        return out
