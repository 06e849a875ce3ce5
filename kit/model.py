"""Domain types of the workshop, validated on construction.

One typed model is the single source of truth: it gives widget defaults, the dict papermill
receives and what is written to disk. Anything a user types passes through here; a bad value
raises :class:`kit.exceptions.InputError` naming the field and the value in Japanese and
English. Pure: no Jupyter, widgets or plotting.
"""

from __future__ import annotations

import datetime as _dt
import enum
import math
import re
import unicodedata
import uuid
from typing import Annotated, Any

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from . import i18n
from .exceptions import InputError

SCHEMA_VERSION = 1
MAX_NAME = 200
MAX_TEXT = 2000
MAX_MINUTES = 100_000        # ~70 days of one person's time per case: beyond is a typo
MAX_CASES = 100_000_000
MAX_YEN = 1e13
SLUG_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,39}$")
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class Actor(str, enum.Enum):
    resident = "resident"
    counter = "counter"
    back_office = "back_office"
    approver = "approver"
    system = "system"
    external = "external"


STAFF_ACTORS = (Actor.counter, Actor.back_office, Actor.approver)


class Channel(str, enum.Enum):
    counter = "counter"
    paper = "paper"
    phone = "phone"
    mail = "mail"
    online = "online"
    system = "system"


class ValueClass(str, enum.Enum):
    value_adding = "value_adding"
    necessary = "necessary"
    waste = "waste"


class Action(str, enum.Enum):
    keep = "keep"
    eliminate = "eliminate"
    combine = "combine"
    rearrange = "rearrange"
    simplify = "simplify"
    automate = "automate"


class Phase(str, enum.Enum):
    quick_win = "quick_win"
    redesign = "redesign"


# --- boundary parsing ---------------------------------------------------------------------
_UNIT_RE = re.compile(r"(分|件|円|日|時間|人|回|min|mins|minutes|days?|yen|cases?)$", re.I)


def to_number(value: Any) -> Any:
    """Read what real sheets contain: full-width digits, '1,200件', '15分', '20%'.

    Returns a float for anything that reads as a number, else the value unchanged (the field
    validator then rejects it with a message naming the value).
    """
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, (int, float)):
        return float(value)
    if not isinstance(value, str):
        return value
    text = unicodedata.normalize("NFKC", value).strip().replace(",", "").replace(" ", "")
    text = text.replace("−", "-").replace("ー", "-") if text[:1] in "−ー" else text
    percent = text.endswith("%")
    text = _UNIT_RE.sub("", text.rstrip("%"))
    try:
        number = float(text)
    except ValueError:
        return value
    return number / 100 if percent else number


def to_bool(value: Any) -> Any:
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)) and value in (0, 1):
        return bool(value)
    if isinstance(value, str):
        text = unicodedata.normalize("NFKC", value).strip().lower()
        if text in ("はい", "yes", "y", "true", "1", "○", "◯", "有", "あり"):
            return True
        if text in ("いいえ", "no", "n", "false", "0", "", "×", "無", "なし", "-"):
            return False
    return value


def clean_text(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, float) and math.isnan(value):
        return ""
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, str):
        return unicodedata.normalize("NFC", value).strip()
    return value


def _no_control(value: str) -> str:
    if _CONTROL_RE.search(value):
        raise ValueError("control")
    return value


def _finite(value: float) -> float:
    if math.isnan(value) or math.isinf(value):
        raise ValueError("number")
    return value


_TAG_SPLIT_RE = re.compile(r"[;；、，,\s]+")


def split_tags(text: str) -> list[str]:
    """``"online; rpa、ocr" -> ["online", "rpa", "ocr"]`` (lower case, order kept)."""
    seen: list[str] = []
    for tag in _TAG_SPLIT_RE.split(unicodedata.normalize("NFKC", text or "").lower()):
        if tag and tag not in seen:
            seen.append(tag)
    return seen


Number = Annotated[float, BeforeValidator(to_number)]
Minutes = Annotated[float, BeforeValidator(to_number), Field(ge=0, le=MAX_MINUTES)]
Share = Annotated[float, BeforeValidator(to_number), Field(ge=0, le=1)]
Days = Annotated[float, BeforeValidator(to_number), Field(ge=0, le=3650)]
Yen = Annotated[float, BeforeValidator(to_number), Field(ge=0, le=MAX_YEN)]
Flag = Annotated[bool, BeforeValidator(to_bool)]
def clean_line(value: Any) -> Any:
    """A one-line name: like clean_text, with tabs and line breaks collapsed to one space."""
    value = clean_text(value)
    return " ".join(value.split()) if isinstance(value, str) else value


Name = Annotated[str, BeforeValidator(clean_line), Field(min_length=1, max_length=MAX_NAME)]
Text = Annotated[str, BeforeValidator(clean_text), Field(max_length=MAX_TEXT)]


def new_id() -> str:
    return uuid.uuid4().hex[:12]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=False, allow_inf_nan=False,
                              use_enum_values=False, str_strip_whitespace=True)

    @classmethod
    def parse(cls, data: Any, *, where: str = ""):
        """Construct from a dict, turning a validation error into the kit's InputError."""
        try:
            return cls.model_validate(data)
        except ValidationError as exc:
            raise input_error(exc, where=where) from None

    @field_validator("*", mode="after")
    @classmethod
    def _check_text_and_numbers(cls, value):
        if isinstance(value, str):
            return _no_control(value)
        if isinstance(value, float):
            return _finite(value)
        return value


class Step(_Model):
    """One step of a procedure, As-Is, with its To-Be change."""

    id: str = Field(default_factory=new_id, pattern=r"^[A-Za-z0-9_-]{1,40}$")
    name: Name
    actor: Actor = Actor.back_office
    channel: Channel = Channel.paper
    minutes: Minutes = 0.0
    share: Share = 1.0
    wait_days: Days = 0.0
    value: ValueClass = ValueClass.necessary
    pain: Text = ""
    # To-Be
    action: Action = Action.keep
    minutes_after: Minutes | None = None
    share_after: Share | None = None
    wait_days_after: Days | None = None
    phase: Phase = Phase.quick_win
    uptake_dependent: Flag = False
    is_new: Flag = False        # added in the To-Be: no As-Is time
    # decision depth (issue 5): three-point To-Be minutes and the capability a change needs
    minutes_after_low: Minutes | None = None
    minutes_after_high: Minutes | None = None
    needs: Text = ""            # capability tags, e.g. "online;rpa" (see kit.selection)

    @model_validator(mode="after")
    def _three_point_order(self):
        low, high, likely = self.minutes_after_low, self.minutes_after_high, self.minutes_tobe
        if self.action != Action.eliminate and (
                (low is not None and low > likely) or (high is not None and high < likely)):
            raise ValueError("range_order")
        return self

    @property
    def needs_tags(self) -> list[str]:
        return split_tags(self.needs)

    @property
    def minutes_tobe(self) -> float:
        if self.action == Action.eliminate:
            return 0.0
        return self.minutes if self.minutes_after is None else self.minutes_after

    @property
    def share_tobe(self) -> float:
        return self.share if self.share_after is None else self.share_after

    @property
    def wait_days_tobe(self) -> float:
        if self.action == Action.eliminate:
            return 0.0
        return self.wait_days if self.wait_days_after is None else self.wait_days_after

    @property
    def changed(self) -> bool:
        return (self.is_new or self.action != Action.keep
                or self.minutes_tobe != self.minutes or self.share_tobe != self.share
                or self.wait_days_tobe != self.wait_days)


class Costs(_Model):
    system: Text = ""
    initial_cost_yen: Yen = 0.0
    annual_cost_yen: Yen = 0.0
    source: Text = ""


class FundingSource(_Model):
    """A subsidy or grant: subsidy = min(rate × eligible initial cost, cap)."""

    funding_id: Text = ""
    name: Name
    rate: Share = 0.5
    cap_yen: Yen | None = None
    eligible_share: Share = 1.0
    source: Text = ""
    assumption: Flag = True


Score = Annotated[float, BeforeValidator(to_number), Field(ge=1, le=5)]


class SystemOption(_Model):
    """A candidate system from the catalogue (costs are assumptions until quoted)."""

    system_id: Annotated[str, Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_-]{0,39}$")]
    name: Name
    initial_cost_yen: Yen = 0.0
    annual_cost_yen: Yen = 0.0
    integration: Score = 3
    resident_usability: Score = 3
    staff_usability: Score = 3
    operating_burden: Score = 3      # 5 = lightest burden
    capabilities: Text = ""
    source: Text = ""
    enables: Text = ""               # capability tags the system provides, e.g. "online;rpa"

    @property
    def enables_tags(self) -> list[str]:
        return split_tags(self.enables)


def _slug(value: Any) -> Any:
    if isinstance(value, str) and not SLUG_RE.match(value):
        raise ValueError("slug")
    return value


GroupId = Annotated[str, BeforeValidator(_slug)]


class Assumptions(_Model):
    """Session-wide assumptions; every default is an assumption to be confirmed."""

    labour_cost_yen_per_hour: Annotated[float, BeforeValidator(to_number),
                                        Field(ge=0, le=100_000)] = 3000.0
    labour_cost_source: Text = ("仮定: 職員1人1時間あたりの人件費（給与・手当・法定福利費）。"
                                "自団体の決算値で確認してください。")
    hours_per_fte: Annotated[float, BeforeValidator(to_number), Field(gt=0, le=8760)] = 1860.0
    horizon_years: Annotated[int, BeforeValidator(to_number), Field(ge=1, le=30)] = 5
    discount_rate: Annotated[float, BeforeValidator(to_number), Field(ge=0, le=0.5)] = 0.04
    discount_rate_source: Text = ("社会的割引率4%（国土交通省「公共事業評価の費用便益分析に関する"
                                  "技術指針」に倣う）。")
    uptake: Share = 0.3

    @field_validator("horizon_years", mode="before")
    @classmethod
    def _whole_years(cls, value):
        if isinstance(value, float) and value.is_integer():
            return int(value)
        return value


OptYen = Yen | None
OptCases = Annotated[float, BeforeValidator(to_number), Field(ge=0, le=MAX_CASES)] | None


class Ranges(_Model):
    """Three-point estimates (low / high around the likely value kept elsewhere); None = exact."""

    annual_cases_low: OptCases = None
    annual_cases_high: OptCases = None
    uptake_low: Share | None = None
    uptake_high: Share | None = None
    initial_cost_low: OptYen = None
    initial_cost_high: OptYen = None
    annual_cost_low: OptYen = None
    annual_cost_high: OptYen = None


class Actuals(_Model):
    """Measured after go-live (kit.followup): None = not measured yet."""

    measured_on: str = ""
    annual_cases: OptCases = None
    uptake: Share | None = None
    initial_cost_yen: OptYen = None
    annual_cost_yen: OptYen = None
    minutes: dict[str, Minutes] = Field(default_factory=dict, max_length=500)
    notes: Text = ""


class GroupWork(_Model):
    """Everything one group produces: the single versioned document on disk."""

    schema_version: int = SCHEMA_VERSION
    revision: int = Field(default=0, ge=0)
    updated_at: str = ""
    group_id: GroupId
    theme: Name
    members: list[Name] = Field(default_factory=list, max_length=20)
    annual_cases: Annotated[float, BeforeValidator(to_number), Field(ge=0, le=MAX_CASES)] = 0.0
    uptake: Share | None = None
    uptake_by_year: list[Share] = Field(default_factory=list, max_length=30)
    steps: list[Step] = Field(default_factory=list, max_length=500)
    costs: Costs = Field(default_factory=Costs)
    funding: list[FundingSource] = Field(default_factory=list, max_length=20)
    notes: Text = ""
    # decision depth (issue 5): system selection, ranges, follow-up
    candidates: list[SystemOption] = Field(default_factory=list, max_length=30)
    weights: dict[str, Annotated[float, BeforeValidator(to_number), Field(ge=0, le=1000)]] = \
        Field(default_factory=dict, max_length=30)
    scores: dict[str, dict[str, Score]] = Field(default_factory=dict, max_length=30)
    selected_system: Text = ""
    ranges: Ranges = Field(default_factory=Ranges)
    optimism_bias: Flag = False
    actuals: Actuals = Field(default_factory=Actuals)

    @model_validator(mode="after")
    def _ranges_in_order(self):
        """low ≤ likely ≤ high for every three-point estimate that has a bound."""
        r, c = self.ranges, self.costs
        uptake = self.uptake
        for name, likely, low, high in (
                ("annual_cases", self.annual_cases, r.annual_cases_low, r.annual_cases_high),
                ("uptake", uptake, r.uptake_low, r.uptake_high),
                ("initial_cost_yen", c.initial_cost_yen, r.initial_cost_low, r.initial_cost_high),
                ("annual_cost_yen", c.annual_cost_yen, r.annual_cost_low, r.annual_cost_high)):
            if likely is None:
                continue
            if (low is not None and low > likely) or (high is not None and high < likely):
                raise ValueError(f"range_order:{name}")
        return self

    @model_validator(mode="after")
    def _unique_step_ids(self):
        seen: set[str] = set()
        for step in self.steps:
            if step.id in seen:
                step.id = new_id()
            seen.add(step.id)
        return self


class Session(_Model):
    schema_version: int = SCHEMA_VERSION
    name: Name
    date: str = Field(default_factory=lambda: _dt.date.today().isoformat())
    lang: str = i18n.DEFAULT_LANG
    assumptions: Assumptions = Field(default_factory=Assumptions)
    groups: list[GroupId] = Field(default_factory=list)
    systems: list[SystemOption] = Field(default_factory=list, max_length=100)
    funding_sources: list[FundingSource] = Field(default_factory=list, max_length=100)

    @field_validator("lang")
    @classmethod
    def _lang(cls, value):
        if value not in i18n.LANGS:
            raise ValueError("lang")
        return value

    @field_validator("date", mode="before")
    @classmethod
    def _date(cls, value):
        if isinstance(value, _dt.date):
            return value.isoformat()
        _dt.date.fromisoformat(str(value))
        return str(value)

    @field_validator("groups")
    @classmethod
    def _unique_groups(cls, value):
        if len(set(value)) != len(value):
            raise ValueError("duplicate_group")
        return value


# --- errors -------------------------------------------------------------------------------
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
            text = f"手順{n}" if lang == "ja" else f"step {n}"
        parts.append(text)
    return " ".join(parts) if lang == "en" else "の".join(parts)


def _short(value: Any) -> str:
    text = value if isinstance(value, str) and not _CONTROL_RE.search(value) else repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _message(err: dict, lang: str, where: str) -> str:
    loc = tuple(err.get("loc", ()))
    kind = err.get("type", "")
    ctx = err.get("ctx", {}) or {}
    value = _short(err.get("input"))
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
                      detail="unknown field" if lang == "en" else "未知の項目です")
    return i18n.t("err.invalid", lang, field=field, value=value, detail=err.get("msg", ""))


def input_error(exc: ValidationError, *, where: str = "", row: int | None = None) -> InputError:
    """The first problem of a pydantic error as the kit's bilingual InputError."""
    err = exc.errors(include_url=False)[0]
    loc = tuple(err.get("loc", ()))
    ja, en = _message(err, "ja", where), _message(err, "en", where)
    return InputError(ja, en, field=".".join(str(p) for p in loc), value=err.get("input"),
                      row=row)
