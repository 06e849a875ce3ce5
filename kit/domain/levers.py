"""Levers: what Japanese guidance names for a step, with the effect a municipality published.

The catalogue is data (``data_samples/levers/levers.yaml``, a session's ``levers.yaml`` merged
over it by id; read by :mod:`kit.io.levers`; format in docs/levers.md). Each lever has the
words that point to it (``triggers``, written with their variants: 押印/印鑑/ハンコ …),
optional conditions on the step's channel, actor and value, the ECRS action, the capability
tags it needs (:mod:`kit.domain.money.bundle`), a cited case (``effect``) and its source.

:func:`suggest` proposes at most :data:`MAX_PER_STEP` levers per step, best first:

- **words**: a trigger found in the NFKC-normalised step name + 課題 (``pain``); the longer
  (more specific) the matched words, the higher the score;
- **flow**: the steps before and after — an online step followed by 転記/入力 → RPA; a
  添付/証明書 check after a 住民票 step → 情報連携; two or more counter steps in a row →
  ワンストップ;
- a value-adding step gets none unless its own words name a trigger (flow rules never apply).

An effect is a reported case, never a rate applied to the group's numbers. Pure: no I/O.
"""

from __future__ import annotations

import unicodedata
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError

from kit import i18n
from kit.domain.dates import check_date
from kit.domain.enums import Action, Actor, Channel, Phase, ValueClass
from kit.domain.model import GroupWork, Step
from kit.exceptions import InputError

MAX_PER_STEP = 3
FLOW_BONUS = 20         # a flow rule outranks words alone …
WEAK_FLOW = {"one_stop": 3}     # … except a run of counter steps: a hint, below specific words
ID_PATTERN = r"^[a-z][a-z0-9_]{1,39}$"


def normalise(text: str) -> str:
    """NFKC (full-width letters and digits, half-width kana), lower case, no spaces."""
    return "".join(unicodedata.normalize("NFKC", text or "").lower().split())


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class Both(_Strict):
    ja: Annotated[str, Field(min_length=1, max_length=1000)]
    en: Annotated[str, Field(min_length=1, max_length=1000)]

    def get(self, lang: str | None) -> str:
        return self.en if i18n._lang(lang) == "en" else self.ja


class Source(_Strict):
    title: Annotated[str, Field(min_length=1, max_length=300)]
    publisher: Annotated[str, Field(min_length=1, max_length=200)]
    title_en: Annotated[str, Field(max_length=300)] = ""       # for an English reader
    publisher_en: Annotated[str, Field(max_length=200)] = ""
    year: Annotated[int, Field(ge=1990, le=2100)]
    url: Annotated[str, Field(pattern=r"^https?://\S+$", max_length=1000)]
    checked: Annotated[str, BeforeValidator(lambda v: check_date(str(v))),
                       Field(min_length=10)]


    def cited(self, lang: str | None = i18n.DEFAULT_LANG) -> dict:
        """title, publisher (in English when given), year, url, checked."""
        en = i18n._lang(lang) == "en"
        return {"title": (en and self.title_en) or self.title,
                "publisher": (en and self.publisher_en) or self.publisher,
                "year": self.year, "url": self.url, "checked": self.checked}


class Lever(_Strict):
    id: Annotated[str, Field(pattern=ID_PATTERN)]
    label: Both
    triggers: list[Annotated[str, Field(min_length=1, max_length=40)]] = \
        Field(min_length=1, max_length=60)
    channels: list[Channel] = Field(default_factory=list)   # empty: any channel
    actors: list[Actor] = Field(default_factory=list)       # empty: any actor
    values: list[ValueClass] = Field(default_factory=list)  # empty: any value
    action: Action
    needs: list[Annotated[str, Field(pattern=r"^[a-z0-9_]{1,40}$")]] = \
        Field(default_factory=list)
    effect: Both
    source: Source

    def words(self) -> list[str]:
        return [normalise(t) for t in self.triggers]

    def allows(self, step: Step) -> bool:
        return ((not self.channels or step.channel in self.channels)
                and (not self.actors or step.actor in self.actors)
                and (not self.values or step.value in self.values))

    def word_score(self, text: str) -> int:
        """The matched triggers' length (a trigger inside a longer matched one not counted)."""
        hits = [w for w in dict.fromkeys(self.words()) if w and w in text]
        kept = [w for w in hits if not any(w != o and w in o for o in hits)]
        return sum(len(w) for w in kept)


class Catalogue(_Strict):
    levers: list[Lever] = Field(default_factory=list, max_length=500)

    def by_id(self) -> dict[str, Lever]:
        return {lever.id: lever for lever in self.levers}


def parse_catalogue(data: Any, *, where: str = "levers.yaml") -> Catalogue:
    """A catalogue from its YAML data; a bad entry raises :class:`InputError` naming it."""
    if isinstance(data, list):
        data = {"levers": data}
    try:
        catalogue = Catalogue.model_validate(data or {})
    except ValidationError as exc:
        first = exc.errors()[0]
        place = ".".join(str(p) for p in first["loc"])
        detail = f"{place}: {first['msg']}"
        raise InputError(*i18n.both("levers.bad_catalogue", file=where, detail=detail),
                         field=where, value=place) from None
    seen: set[str] = set()
    for lever in catalogue.levers:
        if lever.id in seen:
            raise InputError(*i18n.both("levers.bad_catalogue", file=where,
                                        detail=f"duplicate id {lever.id}"),
                             field=where, value=lever.id)
        seen.add(lever.id)
    return catalogue


def merge(base: Catalogue, extra: Catalogue | None) -> Catalogue:
    """``extra`` (a session's levers) over ``base``: same id replaces, new ids follow."""
    if extra is None:
        return base
    ours = extra.by_id()
    levers = [ours.pop(lever.id, lever) for lever in base.levers]
    levers += [lever for lever in extra.levers if lever.id in ours]
    return Catalogue(levers=levers)


# --- matching ------------------------------------------------------------------------
ONLINE_WORDS = ("オンライン", "電子申請", "webフォーム", "ウェブ", "フォーム", "マイナポータル")
REKEY_WORDS = ("転記", "入力", "打ち直し", "打ち込", "貼り付け", "取込", "取り込")
RESIDENT_RECORD_WORDS = ("住民票",)
CHECK_WORDS = ("添付", "証明書", "写し", "確認")
COUNTER_WORDS = ("窓口",)


def step_text(step: Step) -> str:
    return normalise(f"{step.name} {step.pain}")


def _has(text: str, words: tuple[str, ...]) -> bool:
    return any(normalise(w) in text for w in words)


def _is_online(step: Step, text: str) -> bool:
    return step.channel == Channel.online or _has(text, ONLINE_WORDS)


def _is_counter(step: Step, text: str) -> bool:
    return step.channel == Channel.counter or step.actor == Actor.counter or \
        _has(text, COUNTER_WORDS)


def flow_levers(steps: list[Step], texts: list[str], i: int) -> list[str]:
    """Lever ids the steps around step ``i`` point to (best first)."""
    step, text = steps[i], texts[i]
    found: list[str] = []
    before = range(0, i)
    if i > 0 and _is_online(steps[i - 1], texts[i - 1]) and _has(text, REKEY_WORDS) \
            and step.channel != Channel.online:
        found.append("rpa")
    if any(_has(texts[j], RESIDENT_RECORD_WORDS) for j in before) and _has(text, CHECK_WORDS) \
            and not _has(text, RESIDENT_RECORD_WORDS):
        found.append("info_link")
    counter = [_is_counter(s, t) for s, t in zip(steps, texts, strict=True)]
    if counter[i] and ((i > 0 and counter[i - 1]) or (i + 1 < len(steps) and counter[i + 1])):
        found.append("one_stop")
    return found


def suggest_step(steps: list[Step], i: int, catalogue: Catalogue,
                 texts: list[str] | None = None) -> list[Lever]:
    """At most :data:`MAX_PER_STEP` levers for step ``i`` of ``steps``, best first."""
    texts = texts if texts is not None else [step_text(s) for s in steps]
    step, text = steps[i], texts[i]
    scores: dict[str, float] = {}
    order = {lever.id: n for n, lever in enumerate(catalogue.levers)}
    levers = catalogue.by_id()
    for lever in catalogue.levers:
        score = lever.word_score(text)
        if score and lever.allows(step):
            scores[lever.id] = score
    if step.value != ValueClass.value_adding:
        for rank, lever_id in enumerate(flow_levers(steps, texts, i)):
            if lever_id in levers and levers[lever_id].allows(step):
                bonus = WEAK_FLOW.get(lever_id, FLOW_BONUS - rank)
                scores[lever_id] = scores.get(lever_id, 0) + bonus
    best = sorted(scores, key=lambda k: (-scores[k], order[k]))
    return [levers[k] for k in best[:MAX_PER_STEP]]


def suggest(work: GroupWork, catalogue: Catalogue) -> list[list[Lever]]:
    """Per step of ``work`` (same order): the levers suggested, best first."""
    steps = list(work.steps)
    texts = [step_text(s) for s in steps]
    return [suggest_step(steps, i, catalogue, texts) for i in range(len(steps))]


def to_json(lever: Lever, lang: str | None = i18n.DEFAULT_LANG) -> dict:
    """One suggestion as ``kit steps suggest --json`` writes it."""
    return {"lever": lever.id, "label": lever.label.get(lang), "action": lever.action.value,
            "needs": list(lever.needs), "effect": lever.effect.get(lang),
            "source": lever.source.cited(lang)}


def suggestions_json(work: GroupWork, catalogue: Catalogue,
                     lang: str | None = i18n.DEFAULT_LANG) -> list[dict]:
    """``[{step (1-based), name, suggestions: [...]}]`` for every step."""
    return [{"step": n, "name": s.name, "suggestions": [to_json(x, lang) for x in found]}
            for n, (s, found) in enumerate(zip(work.steps, suggest(work, catalogue),
                                               strict=True), start=1)]


# --- taking a suggestion (the 02 editor) and what the handout lists -------------------------
ONLINE_TAGS = ("online",)       # a lever the resident must choose online: uptake-dependent


def dismiss_key(step_id: str, lever_id: str) -> str:
    """How ``GroupWork.dismissed_levers`` records a suggestion dismissed for one step."""
    return f"{step_id}:{lever_id}"


def taken(step: Step, lever: Lever) -> bool:
    """The step's change is the lever's: its action, with every capability it needs."""
    return step.action == lever.action and set(lever.needs) <= set(step.needs_tags)


def applied(step: Step, lever: Lever) -> dict:
    """The step's fields after taking ``lever``: its action and needs (added to the step's);
    a lever that needs a system is a redesign (全体見直し); an online one depends on uptake."""
    update: dict[str, Any] = {
        "action": lever.action,
        "needs": ";".join(dict.fromkeys([*step.needs_tags, *lever.needs]))}
    if lever.needs:
        update["phase"] = Phase.redesign
    if any(tag in ONLINE_TAGS for tag in lever.needs):
        update["uptake_dependent"] = True
    return update


def taken_id(step: Step, found: list[Lever], gone: set[str] = frozenset()) -> str | None:
    """The one suggestion the step's change takes: its action, every capability it needs, the
    most capabilities (a lever needing none matches any change of its action), best first."""
    fits = [x for x in found if taken(step, x) and dismiss_key(step.id, x.id) not in gone]
    return max(fits, key=lambda x: len(x.needs)).id if fits else None


def review(work: GroupWork, catalogue: Catalogue) -> list[tuple[int, Step, Lever, str]]:
    """Every suggestion as (step number, step, lever, ``taken`` | ``dismissed`` | ``open``)."""
    gone = set(work.dismissed_levers)
    out = []
    for n, (s, found) in enumerate(zip(work.steps, suggest(work, catalogue), strict=True), 1):
        chosen = taken_id(s, found, gone)
        for x in found:
            state = "dismissed" if dismiss_key(s.id, x.id) in gone else \
                "taken" if x.id == chosen else "open"
            out.append((n, s, x, state))
    return out


def open_suggestions(work: GroupWork, catalogue: Catalogue) -> list[list[Lever]]:
    """Per step: the suggestions neither taken nor dismissed (what the editor offers)."""
    by_step: dict[int, list[Lever]] = {n: [] for n in range(1, len(work.steps) + 1)}
    for n, _s, x, state in review(work, catalogue):
        if state == "open":
            by_step[n].append(x)
    return list(by_step.values())
