"""Free text of the staff survey: privacy masking and themes (Japanese tokenisation).

Masking runs before anything else reads the text: e-mail addresses, phone numbers (and
extensions), every respondent name from the name column (full name and each part of two or
more characters) and the names of sections too small to be shown are replaced by
:data:`MASK`. Names are matched with one regular expression built as a trie, so thousands
of names cost one pass over the text.

Themes: the text is split into sentences, each *unique* sentence is tokenised once with one
shared janome ``Tokenizer``, and runs of nouns are joined into compound nouns
(申請 + 書 → 申請書). A theme's count is the number of respondents whose text contains it.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable

import pandas as pd

MASK = "＊＊＊"
MIN_NAME_PART = 2
EMAIL_RE = re.compile(r"[\w.+\-]+@[\w\-]+(?:\.[\w\-]+)+", re.ASCII)
PHONE_RE = re.compile(
    r"(?<!\d)(?:(?:\+81[\s\-]?|0)\d{1,4}[\s\-(]\d{1,4}[\s\-)]\d{3,4}|0\d{9,10})(?!\d)"
    r"|内線\s*\d{2,6}|(?i:ext\.?)\s*\d{2,6}")
_SENTENCE_RE = re.compile(r"[。！？!?\n\r]+")
_SPACE_RE = re.compile(r"[\s\u3000]+")
_PUNCT_RE = re.compile(r"[\W_]+")
# noun kinds that build a term; 接尾 only extends a term, 非自立/代名詞/数/副詞可能 break it
_NOUN_KINDS = {"一般", "サ変接続", "固有名詞", "形容動詞語幹", "接尾", "ナイ形容詞語幹"}
STOP_WORDS = frozenset("""
こと もの ため よう とき 時 方 点 等 件 場合 状況 感じ 必要 対応 作業 業務 仕事 時間 毎日 毎月
自分 私 担当 部分 関係 的 性 化 上 中 内 後 前 全体 以上 以下 今 現在 特 なし 特になし
所 たち 皆 それ これ あれ そこ ここ 他 ほか 多く 際 一部 一つ 一方 MASK
""".replace("MASK", MASK).split())

_tokenizer = None


def normalize(text: object) -> str:
    """NFKC, whitespace collapsed; ``None``/NaN give ''."""
    if text is None or (isinstance(text, float) and text != text):
        return ""
    return _SPACE_RE.sub(" ", unicodedata.normalize("NFKC", str(text))).strip()


def task_label(text: object) -> str:
    """A task as a respondent named it, for grouping: NFKC (full/half width alike), every
    space removed, closing punctuation and quotes dropped (「 住民票の交付。」 → 住民票の交付)."""
    return _SPACE_RE.sub("", normalize(text)).strip("。.、,・「」『』\"'")


# --- masking ------------------------------------------------------------------------------
def _trie_pattern(words: Iterable[str]) -> str | None:
    """One regex alternation for ``words`` shaped as a trie (linear in the text length)."""
    trie: dict = {}
    for word in words:
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = True

    def build(node: dict) -> str:
        end = "" in node
        branches = [re.escape(ch) + build(child) for ch, child in sorted(node.items()) if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 and not end else \
            "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if end else body

    return build(trie) or None


def name_variants(names: Iterable[object]) -> set[str]:
    """Full names (with and without spaces) and each part of ≥ 2 characters."""
    out: set[str] = set()
    for raw in names:
        name = normalize(raw)
        if not name:
            continue
        parts = name.split(" ")
        out.update({name, "".join(parts)})
        out.update(p for p in parts if len(p) >= MIN_NAME_PART)
    return {w for w in out if len(w) >= MIN_NAME_PART}


class Masker:
    """Replaces e-mails, phone numbers, names and hidden words in free text by :data:`MASK`."""

    def __init__(self, names: Iterable[object] = (), hidden: Iterable[str] = ()):
        words = name_variants(names) | {normalize(h) for h in hidden if normalize(h)}
        # longest first at one position: a trie regex is greedy per branch already
        pattern = _trie_pattern(sorted(words, key=len, reverse=True))
        self.words_re = re.compile(pattern) if pattern else None

    def __call__(self, text: object) -> str:
        text = normalize(text)
        if not text:
            return ""
        text = EMAIL_RE.sub(MASK, text)
        text = PHONE_RE.sub(MASK, text)
        if self.words_re is not None:
            text = self.words_re.sub(MASK, text)
        return text

    def series(self, texts: pd.Series) -> pd.Series:
        """Mask each unique text once."""
        uniques = pd.unique(texts.fillna("").astype(str))
        masked = {t: self(t) for t in uniques}
        return texts.fillna("").astype(str).map(masked)


# --- themes -------------------------------------------------------------------------------
def tokenizer():
    """The shared janome Tokenizer (loading its dictionary costs ~0.3 s once)."""
    global _tokenizer
    if _tokenizer is None:
        from janome.tokenizer import Tokenizer
        _tokenizer = Tokenizer()
    return _tokenizer


def terms(sentence: str) -> list[str]:
    """Nouns and compound nouns of one sentence, stop words and 1-character terms dropped."""
    found: list[str] = []
    run: list[str] = []

    def flush():
        if run:
            word = "".join(run)
            if len(word) >= 2 and word not in STOP_WORDS and not word.isdigit():
                found.append(word)
            run.clear()

    for token in tokenizer().tokenize(sentence):
        pos = token.part_of_speech.split(",")
        if (pos[0] == "名詞" and pos[1] in _NOUN_KINDS and not (pos[1] == "接尾" and not run)
                and not _PUNCT_RE.fullmatch(token.surface)):
            run.append(token.surface)
        else:
            flush()
    flush()
    return found


def term_sets(texts: pd.Series) -> pd.Series:
    """Per text, the set of its terms; each unique sentence is tokenised once."""
    split = texts.fillna("").astype(str).map(
        lambda t: [s.strip() for s in _SENTENCE_RE.split(t) if s.strip()])
    unique = {s for sentences in split for s in sentences}
    by_sentence = {s: terms(s) for s in sorted(unique)}
    return split.map(lambda sentences: frozenset(w for s in sentences for w in by_sentence[s]))


def top_terms(sets: pd.Series, n: int = 20) -> pd.DataFrame:
    """The ``n`` terms most respondents used: term, respondents, share of respondents."""
    counts = Counter(w for s in sets for w in s)
    answered = int((sets.map(len) > 0).sum())
    rows = [(w, c, c / answered if answered else 0.0)
            for w, c in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:n]]
    return pd.DataFrame(rows, columns=["term", "respondents", "share"])
