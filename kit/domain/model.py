"""Domain types of the workshop, validated on construction.

One typed model is the single source of truth: it gives widget defaults, the dict papermill
receives and what is written to disk. Anything a user types passes through here; a bad value
raises :class:`kit.exceptions.InputError` naming the field and the value in Japanese and
English. Pure: no Jupyter, widgets or plotting.
"""

from __future__ import annotations

import datetime as _dt
from typing import Annotated, Any

from pydantic import (
    BeforeValidator,
    Field,
    field_validator,
    model_validator,
)

from kit import i18n
from kit.domain.after import plan
from kit.domain.enums import (  # noqa: F401 - the model's vocabulary, used as model.Actor …
    STAFF_ACTORS,
    Action,
    Actor,
    Channel,
    Phase,
    Realised,
    ValueClass,
)
from kit.domain.fields import (  # noqa: F401 - the field types, used as model.Yen …
    MAX_CASES,
    MAX_MINUTES,
    MAX_NAME,
    MAX_TEXT,
    MAX_YEN,
    SLUG_RE,
    Days,
    Flag,
    IsoDate,
    Minutes,
    Name,
    Number,
    Share,
    Text,
    Yen,
    _Model,
    new_id,
)
from kit.domain.frontyard.counter import CounterProfile
from kit.domain.money import risks as _risks
from kit.domain.money.debt import FundingKind, default_start, parse_kind
from kit.domain.values import split_tags, to_number

SCHEMA_VERSION = 1
LOGIN_LETTERS = "abcdefghijklmnopqrstuvwxyz"


def login_name(group: str, index: int) -> str:
    """The room's login of a group's ``index``-th member (0-based): ``g01-a``, ``g01-b`` …
    (lower case, as JupyterHub stores names); the roster sheet and ``kit hub`` share it."""
    return f"{group.lower()}-{LOGIN_LETTERS[index]}"


def _realised(value: Any) -> Any:
    """The value, or its label in either language (再配置 / 時間外 / 任用・委託)."""
    if isinstance(value, str):
        for lang in i18n.LANGS:
            for text, key in i18n.choices("realised_as", lang):
                if value.strip() == text:
                    return key
    return value


RealisedAs = Annotated[Realised, BeforeValidator(_realised)]


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
    new_trip: Flag = False      # the resident comes back another time (出直し): a new visit
    # decision depth: three-point To-Be minutes and the capability a change needs
    minutes_after_low: Minutes | None = None
    minutes_after_high: Minutes | None = None
    needs: Text = ""            # capability tags, e.g. "online;rpa" (see kit.domain.money.bundle)
    # finance: how the saving is realised (None = the session's default), non-labour cost
    realised_as: RealisedAs | None = None
    unit_cost_yen: Yen = 0.0                # e.g. postage 110 円 per case through the step
    unit_cost_after_yen: Yen | None = None  # default unchanged; 0 when eliminated
    procedure: Text = ""        # procedures (life event) the step belongs to, e.g. "転入;国保"

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
    def unit_cost_tobe(self) -> float:
        if self.action == Action.eliminate:
            return 0.0
        return self.unit_cost_yen if self.unit_cost_after_yen is None else \
            self.unit_cost_after_yen

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
                or self.wait_days_tobe != self.wait_days
                or self.unit_cost_tobe != self.unit_cost_yen)


class Costs(_Model):
    system: Text = ""
    initial_cost_yen: Yen = 0.0
    annual_cost_yen: Yen = 0.0
    source: Text = ""


class FundingSource(_Model):
    """A source of funds as the budget books it (docs/formulas.md, kit.domain.money.fiscal): a
    subsidy = min(rate × eligible initial cost, cap); a bond (地方債) on what the subsidies
    leave, repaid later; an allocation tax (交付税措置) that lowers the net burden."""

    funding_id: Text = ""
    name: Name
    rate: Share = 0.5
    cap_yen: Yen | None = None
    eligible_share: Share = 1.0
    source: Text = ""
    assumption: Flag = True
    on_remaining: Flag = False      # True: applies to what the sources above it leave
    kind: Annotated[FundingKind | None, BeforeValidator(parse_kind)] = None  # None: subsidy
    coverage: Share = 1.0           # bond: 充当率 of the initial cost the subsidies leave
    interest_rate: Annotated[float, BeforeValidator(to_number), Field(ge=0, le=0.2)] = 0.0
    grace_years: Annotated[int, BeforeValidator(to_number), Field(ge=0, le=30)] = 0
    repayment_years: Annotated[int, BeforeValidator(to_number), Field(ge=1, le=40)] = 10
    allocation_tax_rate: Share = 0.0    # bond: 交付税算入率 of each year's debt service


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
    labour_cost_source: Text = ""          # empty: the catalogue's default note is shown
    hours_per_fte: Annotated[float, BeforeValidator(to_number), Field(gt=0, le=8760)] = 1860.0
    horizon_years: Annotated[int, BeforeValidator(to_number), Field(ge=1, le=30)] = 5
    discount_rate: Annotated[float, BeforeValidator(to_number), Field(ge=0, le=0.5)] = 0.04
    discount_rate_source: Text = ""        # empty: the catalogue's default note is shown
    uptake: Share = 0.3
    # cash versus capacity (docs/formulas.md); every default is an assumption
    realised_as: RealisedAs = Realised.redeploy
    overtime_premium: Annotated[float, BeforeValidator(to_number), Field(ge=1, le=3)] = 1.25
    contract_rate_yen_per_hour: Annotated[float, BeforeValidator(to_number),
                                          Field(ge=0, le=100_000)] | None = None
    # the resident's burden as a social benefit: never in the city's NPV
    resident_value_yen_per_hour: Annotated[float, BeforeValidator(to_number),
                                           Field(ge=0, le=100_000)] = 1000.0
    travel_cost_yen_per_visit: Annotated[float, BeforeValidator(to_number),
                                         Field(ge=0, le=100_000)] = 300.0
    resident_value_source: Text = ("仮定: 住民1人1時間あたりの時間価値と来庁1回あたりの交通費"
                                   "（往復）。社会的な便益で、市の財政効果には含めません。")
    # year 0 of the fiscal years (年度, April–March); None: the year after the session date's
    start_fiscal_year: Annotated[int, BeforeValidator(to_number), Field(ge=1989, le=2200)] | None \
        = None

    @property
    def contract_rate(self) -> float:
        """Yen per contract hour not bought (default: the labour cost)."""
        return self.labour_cost_yen_per_hour if self.contract_rate_yen_per_hour is None \
            else self.contract_rate_yen_per_hour

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
    """Measured after go-live (kit.domain.after.followup): None = not measured yet."""

    measured_on: IsoDate = ""
    annual_cases: OptCases = None
    uptake: Share | None = None
    initial_cost_yen: OptYen = None
    annual_cost_yen: OptYen = None
    minutes: dict[str, Minutes] = Field(default_factory=dict, max_length=500)
    notes: Text = ""


class Member(_Model):
    """A participant drawn from the survey: a name alone is ambiguous (two 山田 花子)."""

    name: Text = ""
    section: Text = ""
    respondent_id: Text = ""


class GroupWork(_Model):
    """Everything one group produces: the single versioned document on disk."""

    schema_version: int = SCHEMA_VERSION
    revision: int = Field(default=0, ge=0)
    updated_at: str = ""
    group_id: GroupId
    theme: Name
    members: list[Name] = Field(default_factory=list, max_length=20)
    members_detail: list[Member] = Field(default_factory=list, max_length=20)
    annual_cases: Annotated[float, BeforeValidator(to_number), Field(ge=0, le=MAX_CASES)] = 0.0
    uptake: Share | None = None
    uptake_by_year: list[Share] = Field(default_factory=list, max_length=30)
    steps: list[Step] = Field(default_factory=list, max_length=500)
    costs: Costs = Field(default_factory=Costs)
    funding: list[FundingSource] = Field(default_factory=list, max_length=20)
    notes: Text = ""
    # decision depth: system selection, ranges, follow-up
    candidates: list[SystemOption] = Field(default_factory=list, max_length=30)
    weights: dict[str, Annotated[float, BeforeValidator(to_number), Field(ge=0, le=1000)]] = \
        Field(default_factory=dict, max_length=30)
    scores: dict[str, dict[str, Score]] = Field(default_factory=dict, max_length=30)
    selected_system: Text = ""        # kept for old workspaces; the bundle is ``systems``
    systems: list[SystemOption] = Field(default_factory=list, max_length=10)
    ranges: Ranges = Field(default_factory=Ranges)
    optimism_bias: Flag = False
    snapshots: list[Actuals] = Field(default_factory=list, max_length=100)   # follow-ups
    charter: plan.Charter = Field(default_factory=lambda: plan.Charter())
    actions: list[plan.ActionItem] = Field(default_factory=list, max_length=200)
    risks: list[_risks.Risk] = Field(default_factory=list, max_length=30)   # the group's own
    counter: CounterProfile | None = None       # the counter queue (kit.domain.frontyard.measures)
    dismissed_levers: list[str] = Field(default_factory=list, max_length=2000)  # kit.domain.levers

    @model_validator(mode="before")
    @classmethod
    def _actuals_to_snapshots(cls, data):
        """A workspace saved with one ``actuals`` (before snapshots) keeps it as the first."""
        if isinstance(data, dict) and "actuals" in data:
            data = dict(data)
            one = data.pop("actuals") or {}
            if not data.get("snapshots") and any(
                    v not in (None, "", {}) for k, v in dict(one).items() if k != "measured_on"):
                data["snapshots"] = [one]
        return data

    @property
    def actuals(self) -> Actuals:
        """The latest follow-up snapshot (by measured date), or an empty one."""
        return max(self.snapshots, key=lambda a: a.measured_on, default=None) or Actuals()

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
    roles: dict[str, str] = Field(default_factory=dict, max_length=200)  # 主査: 担当 (name -> actor)

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

    @model_validator(mode="after")
    def _fiscal_start(self):
        """No ``start_fiscal_year`` set: the fiscal year after the session date's."""
        if self.assumptions.start_fiscal_year is None:
            self.assumptions = self.assumptions.model_copy(
                update={"start_fiscal_year": default_start(self.date)})
        return self

    @field_validator("groups")
    @classmethod
    def _unique_groups(cls, value):
        if len({g.casefold() for g in value}) != len(value):     # g01 / G01: one folder
            raise ValueError("duplicate_group")
        return value

