"""Generate a synthetic all-staff survey as a Japanese city hall's Excel writes it (CP932 CSV).

    python data_samples/survey/generate.py [--n 300] [--seed 7] [--out staff_survey.csv]
                                           [--encoding cp932|utf-8-sig]

~15 sections with their own pain profiles, two tiny sections (fewer than 5 respondents, to
exercise the privacy rule), Likert answers in words, hours a month on recurring tasks and
two free-text columns in which a few people leave e-mail addresses, phone numbers and
colleagues' names (which the kit must mask). Deterministic for a given seed.
"""

from __future__ import annotations

import argparse
import csv
from pathlib import Path

import numpy as np

SECTIONS = {  # section: (weight, pain profile shift per item group)
    "市民課": (34, {"counter": 1.2, "paper": 0.6}), "保険年金課": (28, {"paper": 1.0, "counter": 0.6}),
    "税務課": (30, {"paper": 1.2, "transcribe": 1.0}), "子育て支援課": (26, {"paper": 0.8, "phone": 0.8}),
    "福祉総務課": (22, {"phone": 0.9, "approval": 0.6}), "介護保険課": (20, {"paper": 0.9, "phone": 0.5}),
    "環境政策課": (14, {"approval": 0.4}), "道路管理課": (16, {"approval": 0.8, "paper": 0.3}),
    "都市計画課": (14, {"approval": 0.6}), "商工観光課": (12, {}),
    "総務課": (18, {"approval": 1.0, "transcribe": 0.3}), "財政課": (10, {"approval": 0.7, "excel": 0.8}),
    "職員課": (12, {"excel": 0.9, "paper": 0.4}), "教育総務課": (16, {"paper": 0.5, "excel": 0.6}),
    "会計課": (10, {"paper": 1.1, "approval": 0.9}),
    "監査委員事務局": (3, {"approval": 0.5}), "公平委員会事務局": (2, {}),
}
ITEMS = [  # (pain statement, group)
    ("紙の申請書をシステムに手入力している", "transcribe"),
    ("同じ内容を複数のシステムや台帳に入力している", "transcribe"),
    ("窓口で住民を長く待たせている", "counter"),
    ("電話での問い合わせ対応に追われている", "phone"),
    ("決裁に押印と回覧で時間がかかる", "approval"),
    ("紙の書類の保管や検索に手間がかかる", "paper"),
    ("Excelの集計作業が多い", "excel"),
    ("マニュアルがなく担当者しか分からない業務がある", "none"),
    ("繁忙期に残業が続く", "none"),
    ("住民から同じ書類を何度も提出してもらっている", "counter"),
]
TASKS = ["証明書の交付", "申請書の入力", "電話での問い合わせ対応", "決裁の回覧",
         "Excelでの集計", "郵送物の発送"]
TASK_SECTIONS = {"証明書の交付": ("市民課", "税務課", "保険年金課"),
                 "申請書の入力": ("税務課", "子育て支援課", "介護保険課", "保険年金課"),
                 "電話での問い合わせ対応": ("福祉総務課", "子育て支援課", "介護保険課"),
                 "決裁の回覧": ("総務課", "会計課", "財政課", "道路管理課"),
                 "Excelでの集計": ("財政課", "職員課", "教育総務課"),
                 "郵送物の発送": ("税務課", "保険年金課", "介護保険課")}
WORDS = {5: "とてもそう思う", 4: "そう思う", 3: "どちらともいえない", 2: "あまりそう思わない",
         1: "全くそう思わない"}
ROLES = ["一般事務", "一般事務", "一般事務", "技術職", "保健師", "会計年度任用職員", "係長", "課長補佐"]
FAMILY = ["佐藤", "鈴木", "高橋", "田中", "伊藤", "渡辺", "山本", "中村", "小林", "加藤", "吉田",
          "山田", "佐々木", "山口", "松本", "井上", "木村", "林", "清水", "斎藤"]
GIVEN = ["太郎", "花子", "健一", "美咲", "翔太", "陽子", "大輔", "由美", "直樹", "明美", "拓也", "恵"]
PAINS = ["{task}に毎月多くの時間がかかっている", "{doc}の記入漏れが多く、住民への確認電話が必要になる",
         "{doc}を紙で受け取り、基幹系システムに手入力で転記している",
         "窓口の待ち時間が長く、住民から苦情が来る", "決裁の押印のために上司の帰りを待つことがある",
         "{task}の手順書がなく、異動のたびに引継ぎが大変", "Excelの集計表が課ごとにばらばらで突合に時間がかかる",
         "同じ{doc}を住民に何度も提出してもらっている", "繁忙期は{task}で残業が続く",
         "問い合わせの電話が多く、本来の業務が進まない", "紙の台帳の検索に時間がかかる",
         "LGWAN端末が少なく、順番待ちになる"]
IDEAS = ["{doc}をオンライン申請にしたい", "電子決裁を導入してほしい", "{task}をRPAで自動化できないか",
         "よくある質問をホームページに載せれば電話が減ると思う", "{doc}の記入例を分かりやすくしたい",
         "書かない窓口を導入したい", "AI-OCRで{doc}の読み取りを試したい", "キャッシュレス決済を導入したい",
         "チャットボットで問い合わせに答えられるとよい", "特になし"]
DOCS = ["申請書", "届出書", "住民票の請求書", "児童手当の申請書", "介護認定の申請書", "納税証明の請求書"]
LEAKS = ["詳しくは{name}さん（内線{ext}）に聞いてください", "連絡先: {mail}",
         "電話 {phone} まで", "{name}さんしか分からない"]


def _text(rng, pool, names, own) -> str:
    parts = []
    for _ in range(rng.integers(1, 3)):
        template = pool[rng.integers(len(pool))]
        tasks = own if own and rng.random() < 0.7 else TASKS
        parts.append(template.format(task=tasks[rng.integers(len(tasks))],
                                     doc=DOCS[rng.integers(len(DOCS))]))
    if rng.random() < 0.04:
        leak = LEAKS[rng.integers(len(LEAKS))]
        parts.append(leak.format(name=names[rng.integers(len(names))], ext=rng.integers(100, 999),
                                 mail=f"user{rng.integers(1000)}@city.example.lg.jp",
                                 phone=f"0467-{rng.integers(10, 99)}-{rng.integers(1000, 9999)}"))
    return "。".join(parts) + "。"


def _row(rng, i, section, shifts, names) -> list:
    base = rng.normal(2.5, 0.5) + 0.3 * sum(shifts.values())
    own = [t for t in TASKS if section in TASK_SECTIONS[t]]
    answers = []
    for _item, group in ITEMS:
        score = base + shifts.get(group, 0.0) + rng.normal(0, 0.8)
        answers.append("" if rng.random() < 0.02 else WORDS[int(np.clip(round(score), 1, 5))])
    hours = []
    for task in TASKS:
        mean = 12.0 if task in own else (2.0 if rng.random() < 0.3 else 0.0)
        value = max(0.0, rng.normal(mean, mean / 2))
        hours.append("" if value < 0.5 else f"{value:.0f}")
    willing = "希望する" if rng.random() < 0.35 + 0.05 * len(shifts) else "希望しない"
    free1 = "" if rng.random() < 0.25 else _text(rng, PAINS, names, own)
    free2 = "" if rng.random() < 0.45 else _text(rng, IDEAS, names, own)
    return [f"R{i + 1:05d}", names[i], section, ROLES[rng.integers(len(ROLES))],
            int(rng.integers(0, 38)), willing, *answers, *hours, free1, free2]


def generate(n: int = 300, seed: int = 7) -> tuple[list[str], list[list]]:
    rng = np.random.default_rng(seed)
    names = [f"{FAMILY[rng.integers(len(FAMILY))]} {GIVEN[rng.integers(len(GIVEN))]}"
             for _ in range(n)]
    big = {s: w for s, (w, _) in SECTIONS.items() if w >= 5}
    weights = np.array(list(big.values()), dtype=float)
    small = [s for s, (w, _) in SECTIONS.items() if w < 5]
    sections = [s for s in small for _ in range(SECTIONS[s][0])]
    sections += list(rng.choice(list(big), size=n - len(sections), p=weights / weights.sum()))
    header = ["回答ID", "氏名", "所属", "職種", "勤続年数", "参加希望", *[i for i, _ in ITEMS],
              *[f"業務時間:{t}" for t in TASKS], "自由記述（困っていること）",
              "自由記述（改善のアイデア）"]
    order = rng.permutation(n)
    rows = [_row(rng, i, sections[order[i]], SECTIONS[sections[order[i]]][1], names)
            for i in range(n)]
    return header, rows


def write(path: str | Path, n: int = 300, seed: int = 7, encoding: str = "cp932") -> Path:
    header, rows = generate(n, seed)
    path = Path(path)
    with path.open("w", encoding=encoding, newline="") as fh:
        writer = csv.writer(fh, lineterminator="\r\n")     # as Excel writes it
        writer.writerow(header)
        writer.writerows(rows)
    return path


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--n", type=int, default=300)
    p.add_argument("--seed", type=int, default=7)
    p.add_argument("--encoding", default="cp932")
    p.add_argument("--out", default=str(Path(__file__).with_name("staff_survey.csv")))
    args = p.parse_args()
    print(write(args.out, args.n, args.seed, args.encoding))


if __name__ == "__main__":
    main()
