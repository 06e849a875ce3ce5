"""How each column of a staff-survey export is read (docs/inputs.md). Pure: no I/O.

Exports of Microsoft Forms, Google Forms or LoGoフォーム work as they are: their metadata
columns are recognised and their questions (whole sentences) are classified by their
answers. In this order, the first rule that fits decides:

1. **Mapping sheet** (optional): ``列`` → ``種類`` (and ``名前`` for a task or item name).
2. **Header as the kit names it** (after NFKC, case and spaces ignored): 所属, 職種, 勤続年数,
   参加希望, 氏名/名前, 回答ID/ID, メール, and the metadata 回答日時, タイムスタンプ, 開始時刻,
   完了時刻, 最終変更時刻 (kept out of the analysis); ``業務時間:<task>`` (hours a month);
   ``自由記述…`` (free text).
3. **A sentence naming the field**: 勤続/在職 → years, 職種/役職 → role, 所属/部署 → section,
   氏名/名前 → name, メール → e-mail — unless its answers read as a 5-point scale.
4. **The answers** (blank cells aside):
   - at least half read as the 5-point scale (1–5, とてもそう思う … 全くそう思わない), or all
     are numbers and the header does not speak of time → a pain item (1–5; the rest are
     reported as problems);
   - numbers and a header or answers speaking of time (時間, hours) → hours a month on a
     task, named by the question (``証明書の交付に月何時間…`` → 証明書の交付);
   - yes/no answers (はい/いいえ, 参加する/しない, 希望する/しない) → taking part when the
     header speaks of it (参加, ワークショップ, join), else kept out;
   - anything else → free text.
5. **Pairs**: an hours question that names its task by a demonstrative (「その業務に月に何時間…」,
   「それに…何時間」) is paired with the task question before it (a free-text question naming
   a task: 「…業務を教えてください」「…作業は何ですか」), which becomes ``task``: each respondent's
   hours go to the task they named. The mapping sheet pairs them anywhere with the 種類
   ``hours_of:<the task question's header>``. An unpaired demonstrative is refused by the
   caller (its wording never becomes a task or a theme).

Metadata, names, e-mails and ids are never analysed or shown; names and e-mails are masked
in free text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

import pandas as pd

from kit import i18n
from kit.domain.values import header_key as _key
from kit.domain.values import to_bool, to_number

KINDS = ("section", "role", "years", "willing", "name", "email", "id", "meta", "likert",
         "hours", "free_text", "ignore")
HEADERS = {
    "section": ("所属", "所属課", "部署", "課", "section", "department"),
    "role": ("職種", "役職", "role"),
    "years": ("勤続年数", "在職年数", "years", "yearsofservice"),
    "willing": ("参加希望", "ワークショップ参加希望", "willing", "willingtojoin"),
    "name": ("氏名", "名前", "お名前", "name", "fullname"),
    "id": ("回答ID", "回答番号", "受付番号", "id", "respondentid", "responseid"),
    "email": ("メール", "メールアドレス", "電子メール", "email", "emailaddress", "mail"),
    "meta": ("回答日時", "タイムスタンプ", "開始時刻", "完了時刻", "最終変更時刻", "最終更新日時",
             "受付日時", "送信日時", "回答開始日時", "回答終了日時", "timestamp", "starttime",
             "completiontime", "lastmodifiedtime", "submittedat", "submissiontime"),
}
_EXACT = {_key(text): kind for kind, texts in HEADERS.items() for text in texts}
# a sentence naming a field, in the order tried
_WORDS = (("years", ("勤続", "在職", "yearsofservice")), ("role", ("職種", "役職")),
          ("section", ("所属", "部署", "department")), ("name", ("氏名", "名前")),
          ("email", ("メール", "email")))
FREE_PREFIXES = ("自由記述", "freetext")
HOURS_RE = re.compile(r"^(?:業務時間|hours)\s*[:：_／/\-]\s*(.+)$", re.I)
_TIME_RE = re.compile(r"時間|hours?\b|\bh\b", re.I)
_JOIN_RE = re.compile(r"参加|ワークショップ|workshop|join|particip", re.I)
_TASK_TAIL = re.compile(
    r"(?:に|で|には|では|について)?[、,\s]*(?:毎月|(?:1|一|ひと)?(?:か月|ヶ月|カ月|月))?"
    r"(?:あたり|当たり)?(?:に|で)?(?:平均)?(?:約|およそ)?(?:何|なん)時間.*$")
LIKERT_WORDS = {
    5: ("とてもそう思う", "非常にそう思う", "強くそう思う", "stronglyagree"),
    4: ("そう思う", "ややそう思う", "どちらかといえばそう思う", "agree", "somewhatagree"),
    3: ("どちらともいえない", "どちらとも言えない", "どちらでもない", "ふつう", "neutral",
        "neither"),
    2: ("あまりそう思わない", "そう思わない", "どちらかといえばそう思わない", "disagree",
        "somewhatdisagree"),
    1: ("全くそう思わない", "まったくそう思わない", "全然そう思わない", "stronglydisagree"),
}
LIKERT = {_key(w): float(v) for v, words in LIKERT_WORDS.items() for w in words} | \
    {str(v): float(v) for v in range(1, 6)} | {f"{v}.0": float(v) for v in range(1, 6)}
# an hours question naming its task by a demonstrative, and a question naming a task
_PLACEHOLDER_RE = re.compile(r"^(?:その|それ|この|これ|当該|上記|前問)")
_TASK_QUESTION_RE = re.compile(
    r"(?:業務|作業|仕事|事務|手続|タスク|task).*(?:教えて|何|なん|どれ|どの|名|書いて|記入|挙げ"
    r"|which|what|name)", re.I)
HOURS_OF_RE = re.compile(r"^\s*hours_of\s*[:：]\s*(.+?)\s*$", re.I)
_BRACKETS = re.compile(r"[（(【\[][^）)】\]]*[）)】\]]")
YES_NO = ("希望する", "希望しない", "参加する", "参加しない", "参加したい", "参加できない",
          "参加を希望する", "参加を希望しない")


@dataclass(frozen=True)
class Column:
    """How one column is read: ``kind`` (:data:`KINDS`), ``label`` (a task's or item's name),
    ``by`` — ``mapping``, ``header`` or ``answers``; ``of`` — for hours paired with a task
    question (kind ``task``), that question's header."""

    header: str
    kind: str
    label: str = ""
    by: str = "header"
    of: str = ""

    def describe(self, lang: str = "ja") -> str:
        if self.kind == "task":
            kind = i18n.t("survey_pairs.kind_task", lang)
        elif self.of:
            kind = i18n.t("survey_pairs.kind_hours_of", lang, label=self.of)
        else:
            kind = i18n.t(f"inputs.kind_{self.kind}", lang, label=self.label or self.header)
        return i18n.t("inputs.column_read", lang, field=self.header, kind=kind,
                      by=i18n.t(f"inputs.by_{self.by}", lang))


def likert_value(text: str) -> float | None:
    """1–5 for a scale answer (``とてもそう思う``, ``5``, ``5（とてもそう思う）``), else None."""
    key = _key(text)
    if key in LIKERT:
        return LIKERT[key]
    bare = _key(_BRACKETS.sub("", text))
    if bare in LIKERT:
        return LIKERT[bare]
    head = re.match(r"^([1-5])(?:[.:：\s]|$)", text.strip())
    return float(head.group(1)) if head else None


def _is_yes_no(text: str) -> bool:
    return isinstance(to_bool(text), bool) or _key(text) in {_key(w) for w in YES_NO}


def task_name(header: str) -> str:
    """``証明書の交付に月何時間かかっていますか`` → ``証明書の交付``; else the header."""
    match = HOURS_RE.match(header)
    if match:
        return match.group(1).strip()
    name = _TASK_TAIL.sub("", header).strip(" 　、,。？?")
    return name or header


def is_placeholder(label: str) -> bool:
    """「その業務」「それ」: a task named by a demonstrative, not by its name."""
    return bool(_PLACEHOLDER_RE.match(label.strip()))


def names_task(header: str) -> bool:
    """A question asking which task (「最も負担に感じている定型業務を教えてください」)."""
    return bool(_TASK_QUESTION_RE.search(header))


def _pair(columns: list[Column]) -> list[Column]:
    """Pair each hours column naming its task by a demonstrative with the task question
    before it (the nearest free-text column, when it asks for a task or is right before);
    mark every paired task question (also one named by the mapping) ``task``."""
    columns = list(columns)
    for i, c in enumerate(columns):
        if c.kind != "hours" or c.of or c.by == "mapping" or not is_placeholder(c.label):
            continue
        for j in range(i - 1, -1, -1):
            prev = columns[j]
            if prev.kind == "hours":
                break
            if prev.kind in ("free_text", "task") and (j == i - 1 or names_task(prev.header)):
                columns[i] = replace(c, label="", of=prev.header)
                break
    wanted = {_key(c.of) for c in columns if c.of}
    return [replace(c, kind="task", label="") if _key(c.header) in wanted and not c.of
            and c.kind not in ("hours",) else c for c in columns]


def _by_answers(header: str, answers: pd.Series) -> Column:
    values = [a for a in answers if a != ""]
    if not values:
        return Column(header, "ignore", by="answers")
    timed = bool(_TIME_RE.search(header)) or any("時間" in v for v in values)
    numbers = [to_number(v) for v in values]
    numeric = all(isinstance(n, float) for n in numbers)
    if numeric and timed:
        return Column(header, "hours", task_name(header), by="answers")
    scale = sum(likert_value(v) is not None for v in values)
    if numeric or scale * 2 >= len(values):
        return Column(header, "likert", header, by="answers")
    if all(_is_yes_no(v) for v in values):
        kind = "willing" if _JOIN_RE.search(header) else "ignore"
        return Column(header, kind, by="answers")
    return Column(header, "free_text", by="answers")


def classify(frame: pd.DataFrame, mapping: dict[str, tuple[str, str]] | None = None
             ) -> list[Column]:
    """How each column of ``frame`` is read (module docstring). A field taken by an earlier
    column leaves a later sentence to the next rules; a second column of the same field by
    its header or the mapping is ``duplicate`` (refused by the caller)."""
    mapping = {_key(k): v for k, v in (mapping or {}).items()}
    columns: list[Column] = []
    taken: set[str] = set()
    single = {"section", "role", "years", "willing", "name", "email", "id"}
    for header in frame.columns:
        header = str(header)
        key = _key(header)
        answers = frame[header]
        if key in mapping:
            kind, label = mapping[key]
            if kind == "hours_of":
                column = Column(header, "hours", "", by="mapping", of=label)
            else:
                column = Column(header, kind, label or (task_name(header) if kind == "hours"
                                                        else header), by="mapping")
        elif key in _EXACT and _EXACT[key] in taken and _EXACT[key] in single:
            column = Column(header, "duplicate")
        elif key in _EXACT:
            column = Column(header, _EXACT[key])
        elif key.startswith(FREE_PREFIXES):
            column = Column(header, "free_text")
        elif HOURS_RE.match(header):
            column = Column(header, "hours", task_name(header))
        else:
            column = _by_words(header, key, answers, taken) or _by_answers(header, answers)
        if column.kind in single and column.kind in taken:
            column = Column(header, "duplicate", by=column.by)
        taken.add(column.kind)
        columns.append(column)
    return _pair(columns)


def _by_words(header: str, key: str, answers: pd.Series, taken: set[str]) -> Column | None:
    for kind, words in _WORDS:
        if kind not in taken and any(_key(w) in key for w in words):
            values = [a for a in answers if a != ""]
            if values and sum(likert_value(v) is not None for v in values) * 2 >= len(values):
                return None          # a pain item that mentions 所属 etc.
            return Column(header, kind)
    return None
