"""Validation errors as the participant reads them: the field named in their language
(「手順3の所要時間(分)」, "step 3 minutes") with the value they typed and what to do."""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

from kit import i18n
from kit.domain.values import CONTROL_RE
from kit.exceptions import InputError

_STEP_FIELD_COLUMN = {"name": "step"}


def field_name(loc: tuple, lang: str) -> str:
    """A readable name for a pydantic location, e.g. ('steps', 2, 'minutes') -> 手順3 所要時間(分)."""
    parts: list[str] = []
    for i, part in enumerate(loc):
        if isinstance(part, int):
            continue
        key = _STEP_FIELD_COLUMN.get(part, part) if "steps" in loc else part  # Session.name
        text = i18n.t(f"col.{key}", lang)
        if text == f"col.{key}":
            text = i18n.t(f"field.{part}", lang)
            if text == f"field.{part}":
                text = str(part)
        if part == "steps" and i + 1 < len(loc) and isinstance(loc[i + 1], int):
            n = loc[i + 1] + 1
            text = i18n.t("unit.step_n", lang, n=n)
        parts.append(text)
    return i18n.t("unit.field_join", lang).join(parts)


def short_value(value: Any) -> str:
    text = value if isinstance(value, str) and not CONTROL_RE.search(value) else repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def message(err: dict, lang: str, where: str) -> str:
    loc = tuple(err.get("loc", ()))
    kind = err.get("type", "")
    ctx = err.get("ctx", {}) or {}
    value = short_value(err.get("input"))
    field = (where + " " if where else "") + field_name(loc, lang)
    reason = str(ctx.get("error", ""))
    if kind == "missing":
        return i18n.t("err.required", lang, field=field, value="")
    if kind in ("greater_than_equal", "greater_than"):
        return i18n.t("err.min", lang, field=field, value=value,
                      limit=ctx.get("ge", ctx.get("gt")))
    if kind in ("less_than_equal", "less_than"):
        return i18n.t("err.max", lang, field=field, value=value,
                      limit=ctx.get("le", ctx.get("lt")))
    if kind == "enum":
        kind_name = loc[-1] if loc else ""
        names = "/".join(text for text, _ in i18n.choices(str(kind_name), lang)) or \
            ctx.get("expected", "")
        return i18n.t("err.choice", lang, field=field, value=value, choices=names)
    if kind in ("string_too_short", "too_short"):
        return i18n.t("err.required", lang, field=field, value=value)
    if kind == "string_too_long" or kind == "too_long":
        limit = ctx.get("max_length", "")
        length = ctx.get("actual_length", len(str(err.get("input", ""))))
        key = "err.text_long" if isinstance(err.get("input"), str) else "bad.too_many"
        return i18n.t(key, lang, field=field, limit=limit, length=length)
    if kind == "bool_parsing" or kind == "bool_type":
        return i18n.t("err.bool", lang, field=field, value=value)
    if kind.startswith(("float", "int", "finite")) or "number" in reason:
        return i18n.t("err.number", lang, field=field, value=value)
    if "control" in reason:
        return i18n.t("err.text_control", lang, field=field, value=value)
    if reason == "date":
        return i18n.t("act.err.date", lang, field=field, value=value)
    if "slug" in reason:
        return i18n.t("err.slug", lang, value=value)
    if "range_order" in reason:
        named = reason.split("range_order:", 1)[1] if "range_order:" in reason else ""
        if named:
            field = (where + " " if where else "") + i18n.t(f"field.{named}", lang)
        return i18n.t("err.range_order", lang, field=field)
    if "duplicate_group" in reason:
        return i18n.t("err.duplicate_group", lang, value=value)
    if kind == "extra_forbidden":
        return i18n.t("err.invalid", lang, field=field, value=value,
                      detail=i18n.t("err.unknown_field", lang))
    return i18n.t("err.invalid", lang, field=field, value=value, detail=err.get("msg", ""))


def input_error(exc: ValidationError, *, where: str = "", row: int | None = None) -> InputError:
    """The first problem of a pydantic error as the kit's bilingual InputError."""
    err = exc.errors(include_url=False)[0]
    loc = tuple(err.get("loc", ()))
    ja, en = message(err, "ja", where), message(err, "en", where)
    return InputError(ja, en, field=".".join(str(p) for p in loc), value=err.get("input"),
                      row=row)
