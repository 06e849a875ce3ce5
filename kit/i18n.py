"""Every participant-facing string, in Japanese (default) and English.

``t(key, lang, **values)`` looks a message up and fills it in; ``label(enum_value, lang)``
names an enum member; ``fmt_*`` format numbers the Japanese way (comma groups, 円, 時間,
年月日). A test checks both catalogues have the same keys.
"""

from __future__ import annotations

import datetime as _dt
import math

LANGS = ("ja", "en")
DEFAULT_LANG = "ja"

# --- enum labels --------------------------------------------------------------------------
LABELS: dict[str, dict[str, str]] = {
    "ja": {
        "actor.resident": "住民", "actor.counter": "窓口", "actor.back_office": "担当",
        "actor.approver": "管理職", "actor.system": "システム", "actor.external": "外部",
        "channel.counter": "窓口", "channel.paper": "紙", "channel.phone": "電話",
        "channel.mail": "メール", "channel.online": "オンライン", "channel.system": "システム",
        "value.value_adding": "付加価値", "value.necessary": "必要", "value.waste": "ムダ",
        "action.keep": "維持", "action.eliminate": "排除", "action.combine": "結合",
        "action.rearrange": "入替", "action.simplify": "簡素化", "action.automate": "自動化",
        "phase.quick_win": "すぐできる", "phase.redesign": "全体見直し",
        "bool.true": "はい", "bool.false": "いいえ",
    },
    "en": {
        "actor.resident": "resident", "actor.counter": "counter",
        "actor.back_office": "back office", "actor.approver": "approver",
        "actor.system": "system", "actor.external": "external",
        "channel.counter": "counter", "channel.paper": "paper", "channel.phone": "phone",
        "channel.mail": "mail", "channel.online": "online", "channel.system": "system",
        "value.value_adding": "value-adding", "value.necessary": "necessary",
        "value.waste": "waste",
        "action.keep": "keep", "action.eliminate": "eliminate", "action.combine": "combine",
        "action.rearrange": "rearrange", "action.simplify": "simplify",
        "action.automate": "automate",
        "phase.quick_win": "quick win", "phase.redesign": "workflow redesign",
        "bool.true": "yes", "bool.false": "no",
    },
}

# --- messages -----------------------------------------------------------------------------
MESSAGES: dict[str, dict[str, str]] = {
    "ja": {
        # validation (model)
        "err.required": "「{field}」は必須です（入力値: {value}）。",
        "err.number": "「{field}」は数値で入力してください（入力値: {value}）。",
        "err.min": "「{field}」は{limit}以上にしてください（入力値: {value}）。",
        "err.max": "「{field}」は{limit}以下にしてください（入力値: {value}）。",
        "err.choice": "「{field}」は次のいずれかにしてください: {choices}（入力値: {value}）。",
        "err.text_long": "「{field}」は{limit}文字以内にしてください（{length}文字）。",
        "err.text_control": "「{field}」に使えない制御文字が含まれています（入力値: {value}）。",
        "err.invalid": "「{field}」の値が正しくありません（入力値: {value}）: {detail}",
        "err.bool": "「{field}」は「はい」か「いいえ」にしてください（入力値: {value}）。",
        "err.slug": "グループIDは半角英数字・ハイフン・下線の1〜40文字で、英数字で始めてください"
                    "（入力値: {value}）。",
        "err.duplicate_group": "グループID「{value}」が重複しています。",
        "err.row": "{row}行目: {message}",
        # store
        "err.no_session": "セッションフォルダが見つかりません: {value}（session.yaml がありません）。",
        "err.no_group": "グループ「{value}」はこのセッションにありません。",
        "err.broken_file": "ファイルを読み込めません: {value}（{detail}）。履歴から復元できます。",
        "err.conflict": "グループ「{group}」は他のメンバーが保存しました（保存番号 {disk}、"
                        "こちらは {expected}）。再読み込みしてから編集してください。",
        "err.schema": "作業ファイルの形式（版 {value}）はこのキットでは読めません。",
        "err.no_version": "グループ「{group}」に履歴の版 {value} はありません。",
        # tables
        "err.encoding": "ファイル {value} の文字コードを判別できません（UTF-8 / UTF-8 BOM付き / "
                        "Shift_JIS(CP932) で保存してください）。",
        "err.missing_column": "列「{field}」がありません（見つかった列: {value}）。",
        "err.duplicate_column": "列「{field}」が2回以上あります。",
        "err.empty_sheet": "ファイル {value} に手順が1行もありません。",
        "err.file_type": "ファイル形式に対応していません: {value}（.csv または .xlsx）。",
        "err.file_too_large": "ファイル {value} が大きすぎます（上限 {limit} MB）。",
        "err.unreadable": "ファイル {value} を読み込めません: {detail}",
        "err.formula_no_value": "ファイル {value} のセル {cell} の数式に計算結果が保存されていません。"
                                "Excelで開いて保存し直すか、値を直接入力してください。",
        "err.merged_cells": "ファイル {value} のセル {cell} が結合されています。結合を解除して、"
                            "各行に値を入力してください。",
        "err.no_rows": "ファイル {value} にデータの行が1行もありません。",
        "err.bad_id": "「{field}」のIDは半角英数字・ハイフン・下線の1〜40文字で、英数字で始めて"
                      "ください（入力値: {value}）。",
        "detail.cannot_open": "ファイルを開けません（存在しないか、読み取る権限がありません）",
        "detail.corrupt_xlsx": "ファイルが壊れているか、Excel（.xlsx）形式ではありません",
        "detail.bad_csv": "CSVの形式が正しくありません",
        "sheet.steps": "手順", "sheet.example": "記入例",
        "tpl.choose": "一覧から選んでください。",
        "tpl.example1_step": "住民が来庁して申請書に記入する",
        "tpl.example1_pain": "平日の開庁時間に来庁する必要がある",
        "tpl.example2_step": "記入漏れを電話で住民に確認する",
        "tpl.example2_pain": "記入例が分かりにくく、2割の申請で記入漏れがある",
        # report / render
        "err.render_failed": "グループ「{group}」の資料を作成できませんでした: {detail}",
        "msg.rendered": "{count}件の資料を作成しました: {path}",
        "msg.render_failures": "{count}件のグループで資料を作成できませんでした。",
        # report text
        "report.figures_note": "職員時間・金額は年間件数×対象割合×所要時間から計算した試算値です。"
                               "オンライン依存の手順はオンライン利用率の分だけ削減されます。",
        "report.changes_note": "★は見直しで新たに加わる手順です。削減時間は職員の時間（年間）です。",
        "report.assumption_mark": "仮定",
        "report.item": "項目", "report.value": "値", "report.source": "根拠・出典",
        "col.hours_saved": "削減時間(年)",
        "report.title": "業務改革（BPR）検討結果",
        "report.theme": "テーマ（手続）",
        "report.group": "グループ",
        "report.members": "メンバー",
        "report.session": "研修",
        "report.date": "作成日",
        "report.annual_cases": "年間件数",
        "report.uptake": "オンライン利用率",
        "report.asis": "現状（As-Is）",
        "report.tobe": "見直し後（To-Be）",
        "report.key_figures": "主要な数値",
        "report.changes_by_phase": "段階別の見直し内容",
        "report.quick_wins": "すぐできる改善（システム不要）",
        "report.redesign": "業務フロー全体の見直し（システム導入）",
        "report.no_changes": "この段階の見直しはありません。",
        "report.charts": "グラフ",
        "report.assumptions": "前提条件",
        "report.assumption_note": "「仮定」と記した数値は確認が必要な前提です。予算要求の前に"
                                  "根拠資料で確認してください。",
        "report.funding": "財源",
        "report.footer": "この資料は BPR ワークショップキットで作成しました。数値はすべて作業"
                         "ファイルから再計算できます。",
        "report.steps_count": "手順数",
        "report.waste_share": "ムダの割合（職員時間）",
        "report.lead_time": "処理期間（日）",
        # figure names
        "fig.hours_asis": "職員の作業時間（現状）",
        "fig.hours_tobe": "職員の作業時間（見直し後）",
        "fig.hours_saved": "削減できる職員時間",
        "fig.fte_freed": "人工換算",
        "fig.cost_saved": "人件費換算の削減額",
        "fig.resident_hours_saved": "住民の時間の削減",
        "fig.lead_time": "処理期間",
        "fig.initial_cost": "初期費用",
        "fig.annual_cost": "年間運用費",
        "fig.subsidy": "補助金・交付金",
        "fig.general_fund": "一般財源負担（期間合計）",
        "fig.npv": "正味現在価値（NPV）",
        "fig.payback": "回収年数",
        "fig.not_recovered": "期間内に回収できません",
        "fig.per_year": "年",
        # column names in tables
        "col.step": "手順", "col.actor": "担当", "col.channel": "手段",
        "col.minutes": "所要時間(分)", "col.share": "対象割合", "col.wait_days": "待ち日数",
        "col.value": "区分", "col.action": "見直し", "col.minutes_after": "見直し後(分)",
        "col.phase": "段階", "col.uptake_dependent": "オンライン依存", "col.pain": "課題",
        "col.share_after": "見直し後の対象割合", "col.wait_days_after": "見直し後の待ち日数",
        "col.is_new": "追加手順",
        "col.hours": "年間時間", "col.hours_after": "見直し後の年間時間",
        # field names used in messages
        "field.group_id": "グループID", "field.theme": "テーマ", "field.members": "メンバー",
        "field.annual_cases": "年間件数", "field.uptake": "オンライン利用率",
        "field.labour_cost_yen_per_hour": "人件費単価（円/時間）",
        "field.hours_per_fte": "1人あたり年間勤務時間", "field.horizon_years": "評価期間（年）",
        "field.discount_rate": "割引率", "field.initial_cost_yen": "初期費用（円）",
        "field.annual_cost_yen": "年間運用費（円）", "field.rate": "補助率",
        "field.cap_yen": "上限額（円）", "field.name": "名称", "field.session_name": "研修名",
        "field.lang": "言語", "field.uptake_by_year": "年度別オンライン利用率",
        "field.eligible_share": "対象経費の割合", "field.date": "日付",
        # charts
        "chart.minutes_by_step": "手順別の所要時間（分/件）",
        "chart.hours_by_actor": "担当別の年間時間",
        "chart.waterfall": "削減時間の内訳（年間）",
        "chart.cost_funding": "費用・財源と人件費削減額（累計）",
        "chart.hours": "時間",
        "chart.minutes": "分",
        "chart.yen": "円",
        "chart.total": "合計",
        "chart.asis": "現状",
        "chart.tobe": "見直し後",
        "chart.tobe_online": "見直し後（オンライン申請の場合）",
        "chart.new_step": "新規",
        "chart.minutes_per_case": "1件あたりの所要時間（分）",
        "chart.hours_per_year": "年間の時間（時間）",
        "chart.staff_hours_per_year": "職員の年間作業時間（時間）",
        "chart.others": "その他（{count}手順）",
        "chart.increase": "時間が増える手順",
        "chart.subsidy": "補助金・交付金",
        "chart.general_fund": "一般財源負担",
        "chart.cumulative_saving": "人件費削減額（累計）",
        "chart.money_axis": "金額（万円）",
        "chart.money_value": "{value}万円",
        "chart.year_n": "{n}年目",
        "chart.lead_time": "処理期間（申請から完了まで）",
        "chart.days": "日数（日）",
        "chart.days_value": "{value}日",
        "chart.processing": "職員の作業 {minutes}分/件",
        "chart.no_data": "表示するデータがありません",
        "chart.legend_value": "{name}：{value}",
        # units
        "unit.hours": "時間", "unit.yen": "円", "unit.days": "日", "unit.cases": "件",
        "unit.people": "人", "unit.years": "年", "unit.minutes": "分",
    },
    "en": {
        "err.required": "'{field}' is required (got: {value}).",
        "err.number": "'{field}' must be a number (got: {value}).",
        "err.min": "'{field}' must be at least {limit} (got: {value}).",
        "err.max": "'{field}' must be at most {limit} (got: {value}).",
        "err.choice": "'{field}' must be one of: {choices} (got: {value}).",
        "err.text_long": "'{field}' must be at most {limit} characters ({length} given).",
        "err.text_control": "'{field}' contains a control character that is not allowed "
                            "(got: {value}).",
        "err.invalid": "'{field}' is not valid (got: {value}): {detail}",
        "err.bool": "'{field}' must be yes or no (got: {value}).",
        "err.slug": "A group id is 1-40 letters, digits, '-' or '_', starting with a letter "
                    "or digit (got: {value}).",
        "err.duplicate_group": "Group id '{value}' appears more than once.",
        "err.row": "row {row}: {message}",
        "err.no_session": "No session folder at {value} (session.yaml is missing).",
        "err.no_group": "Group '{value}' is not in this session.",
        "err.broken_file": "Cannot read {value} ({detail}). A previous version can be restored "
                           "from history.",
        "err.conflict": "Another member saved group '{group}' (save {disk}, yours {expected}). "
                        "Reload, then edit again.",
        "err.schema": "This kit cannot read workspace format version {value}.",
        "err.no_version": "Group '{group}' has no history version {value}.",
        "err.encoding": "Cannot tell the text encoding of {value} (save it as UTF-8, UTF-8 with "
                        "BOM or Shift_JIS/CP932).",
        "err.missing_column": "Column '{field}' is missing (columns found: {value}).",
        "err.duplicate_column": "Column '{field}' appears more than once.",
        "err.empty_sheet": "{value} has no steps.",
        "err.file_type": "Unsupported file type: {value} (use .csv or .xlsx).",
        "err.file_too_large": "{value} is too large (limit {limit} MB).",
        "err.unreadable": "Cannot read {value}: {detail}",
        "err.formula_no_value": "Cell {cell} of {value} has a formula without a saved result. "
                                "Open and save the file in Excel, or type the value instead.",
        "err.merged_cells": "Cells {cell} of {value} are merged. Unmerge them and fill in every "
                            "row.",
        "err.no_rows": "{value} has no data rows.",
        "err.bad_id": "An id in '{field}' is 1-40 letters, digits, '-' or '_', starting with a "
                      "letter or digit (got: {value}).",
        "detail.cannot_open": "the file cannot be opened (missing, or no permission to read it)",
        "detail.corrupt_xlsx": "the file is damaged or not an Excel (.xlsx) file",
        "detail.bad_csv": "the CSV is malformed",
        "sheet.steps": "steps", "sheet.example": "example",
        "tpl.choose": "Choose a value from the list.",
        "tpl.example1_step": "Resident visits the office and fills in the application form",
        "tpl.example1_pain": "Must come in on a weekday during office hours",
        "tpl.example2_step": "Phone the resident about missing entries",
        "tpl.example2_pain": "The sample form is unclear: 2 in 10 applications miss an entry",
        "err.render_failed": "Could not render the handout of group '{group}': {detail}",
        "msg.rendered": "Rendered {count} handout(s): {path}",
        "msg.render_failures": "{count} group(s) could not be rendered.",
        "report.figures_note": "Staff hours and yen are estimates from annual cases × share × "
                               "minutes. Online-dependent steps save only for the share of "
                               "cases that come online.",
        "report.changes_note": "★ marks a step added by the redesign. Hours saved are staff "
                               "hours per year.",
        "report.assumption_mark": "assumption",
        "report.item": "item", "report.value": "value", "report.source": "basis / source",
        "col.hours_saved": "hours saved / year",
        "report.title": "Business process re-engineering (BPR): results",
        "report.theme": "Theme (procedure)",
        "report.group": "Group",
        "report.members": "Members",
        "report.session": "Session",
        "report.date": "Date",
        "report.annual_cases": "Annual cases",
        "report.uptake": "Online uptake",
        "report.asis": "Today (As-Is)",
        "report.tobe": "Redesigned (To-Be)",
        "report.key_figures": "Key figures",
        "report.changes_by_phase": "Changes by phase",
        "report.quick_wins": "Quick wins (no system needed)",
        "report.redesign": "Workflow redesign (needs a system)",
        "report.no_changes": "No changes in this phase.",
        "report.charts": "Charts",
        "report.assumptions": "Assumptions",
        "report.assumption_note": "Figures marked 'assumption' must be confirmed from a source "
                                  "before the budget request.",
        "report.funding": "Funding",
        "report.footer": "Made with the BPR workshop kit. Every figure can be recomputed from "
                         "the workspace file.",
        "report.steps_count": "Steps",
        "report.waste_share": "Share of waste (staff time)",
        "report.lead_time": "Lead time (days)",
        "fig.hours_asis": "Staff hours (today)",
        "fig.hours_tobe": "Staff hours (redesigned)",
        "fig.hours_saved": "Staff hours saved",
        "fig.fte_freed": "Full-time equivalents freed",
        "fig.cost_saved": "Staff cost saved",
        "fig.resident_hours_saved": "Resident hours saved",
        "fig.lead_time": "Lead time",
        "fig.initial_cost": "Initial cost",
        "fig.annual_cost": "Annual running cost",
        "fig.subsidy": "Subsidies and grants",
        "fig.general_fund": "General-fund burden (over the horizon)",
        "fig.npv": "Net present value (NPV)",
        "fig.payback": "Payback",
        "fig.not_recovered": "not recovered within the horizon",
        "fig.per_year": "year",
        "col.step": "step", "col.actor": "actor", "col.channel": "channel",
        "col.minutes": "minutes", "col.share": "share", "col.wait_days": "wait_days",
        "col.value": "value", "col.action": "action", "col.minutes_after": "minutes_after",
        "col.phase": "phase", "col.uptake_dependent": "uptake_dependent", "col.pain": "pain",
        "col.share_after": "share_after", "col.wait_days_after": "wait_days_after",
        "col.is_new": "is_new",
        "col.hours": "hours per year", "col.hours_after": "hours per year after",
        "field.group_id": "group id", "field.theme": "theme", "field.members": "members",
        "field.annual_cases": "annual cases", "field.uptake": "online uptake",
        "field.labour_cost_yen_per_hour": "labour cost (yen per hour)",
        "field.hours_per_fte": "hours per FTE per year", "field.horizon_years": "horizon (years)",
        "field.discount_rate": "discount rate", "field.initial_cost_yen": "initial cost (yen)",
        "field.annual_cost_yen": "annual running cost (yen)", "field.rate": "subsidy rate",
        "field.cap_yen": "cap (yen)", "field.name": "name", "field.session_name": "session name",
        "field.lang": "language", "field.uptake_by_year": "online uptake by year",
        "field.eligible_share": "eligible share of cost", "field.date": "date",
        "chart.minutes_by_step": "Minutes per case by step",
        "chart.hours_by_actor": "Hours per year by actor",
        "chart.waterfall": "Where the hours are saved (per year)",
        "chart.cost_funding": "Costs, funding and staff-cost saving (cumulative)",
        "chart.hours": "hours",
        "chart.minutes": "minutes",
        "chart.yen": "yen",
        "chart.total": "total",
        "chart.asis": "today",
        "chart.tobe": "redesigned",
        "chart.tobe_online": "redesigned (online cases)",
        "chart.new_step": "new",
        "chart.minutes_per_case": "minutes per case",
        "chart.hours_per_year": "hours per year",
        "chart.staff_hours_per_year": "staff hours per year",
        "chart.others": "others ({count} steps)",
        "chart.increase": "steps that add time",
        "chart.subsidy": "subsidies and grants",
        "chart.general_fund": "general-fund burden",
        "chart.cumulative_saving": "staff-cost saving (cumulative)",
        "chart.money_axis": "amount (yen)",
        "chart.money_value": "¥{value}",
        "chart.year_n": "year {n}",
        "chart.lead_time": "Lead time (application to completion)",
        "chart.days": "days",
        "chart.days_value": "{value} days",
        "chart.processing": "staff work {minutes} min/case",
        "chart.no_data": "no data to show",
        "chart.legend_value": "{name}: {value}",
        "unit.hours": "hours", "unit.yen": "yen", "unit.days": "days", "unit.cases": "cases",
        "unit.people": "people", "unit.years": "years", "unit.minutes": "minutes",
    },
}


def _lang(lang: str | None) -> str:
    return lang if lang in LANGS else DEFAULT_LANG


def t(key: str, lang: str | None = DEFAULT_LANG, **values: object) -> str:
    """The message ``key`` in ``lang`` with ``values`` filled in."""
    catalogue = MESSAGES[_lang(lang)]
    text = catalogue.get(key) or LABELS[_lang(lang)].get(key) or key
    return text.format(**values) if values else text


def both(key: str, **values: object) -> tuple[str, str]:
    """The message in Japanese and in English, for an exception."""
    return t(key, "ja", **values), t(key, "en", **values)


def label(kind: str, value: object, lang: str | None = DEFAULT_LANG) -> str:
    """The display name of an enum value: ``label("actor", "resident") == "住民"``."""
    raw = getattr(value, "value", value)
    if isinstance(raw, bool):
        raw = str(raw).lower()
    return LABELS[_lang(lang)].get(f"{kind}.{raw}", str(raw))


def choices(kind: str, lang: str | None = DEFAULT_LANG) -> list[tuple[str, str]]:
    """``[(display name, value)]`` of an enum kind, for dropdowns."""
    prefix = kind + "."
    return [(text, key[len(prefix):]) for key, text in LABELS[_lang(lang)].items()
            if key.startswith(prefix)]


# --- formatting ---------------------------------------------------------------------------
def _finite(x: float | None) -> bool:
    return x is not None and not (isinstance(x, float) and math.isnan(x))


def fmt_number(x: float | None, digits: int = 0) -> str:
    if not _finite(x):
        return "—"
    return f"{x:,.{digits}f}"


def fmt_yen(x: float | None, lang: str | None = DEFAULT_LANG) -> str:
    """``1234567 -> "1,234,567円"`` (ja) or ``"¥1,234,567"`` (en)."""
    if not _finite(x):
        return "—"
    value = round(x)
    sign = "-" if value < 0 else ""
    body = f"{abs(value):,}"
    return f"{sign}{body}円" if _lang(lang) == "ja" else f"{sign}¥{body}"


def fmt_hours(x: float | None, lang: str | None = DEFAULT_LANG, digits: int = 1) -> str:
    if not _finite(x):
        return "—"
    return f"{x:,.{digits}f}時間" if _lang(lang) == "ja" else f"{x:,.{digits}f} h"


def fmt_percent(x: float | None, digits: int = 0) -> str:
    if not _finite(x):
        return "—"
    return f"{x * 100:.{digits}f}%"


def fmt_date(d: _dt.date | str | None, lang: str | None = DEFAULT_LANG) -> str:
    """``2026-11-26 -> "2026年11月26日"`` (ja) or ``"26 Nov 2026"`` (en)."""
    if d is None or d == "":
        return "—"
    if isinstance(d, str):
        d = _dt.date.fromisoformat(d)
    if _lang(lang) == "ja":
        return f"{d.year}年{d.month}月{d.day}日"
    return d.strftime("%d %b %Y").lstrip("0")
