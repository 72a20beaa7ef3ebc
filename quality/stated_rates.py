"""Stated rates against their own counts (办结率 against 办结÷受理, 就业率 against 就业÷培训).

A rule of kind `rate_inconsistent` (schemas/validation_rules.yaml) is judged only where the
rate and every count it is computed from were stated together: the same document and the
same sentence (a work summary) or the same table (a statistics sheet). A unit's annual
training total from one paragraph and a rate stated for one course in another are not a
pair, and two documents of the same unit and period never are.

Precision first, since a wrong 错误 on a stated figure is an injustice to its author:
- a rate or count written as approximate or as a bound (300余人, 约, 90%以上, 左右) is not judged;
- a rate that some other pair of counts in the same sentence explains (培训300人，结业280人，
  就业252人，就业率90%: 252÷280) is not judged either: its base is not ours to choose.
"""

from __future__ import annotations

import re
import unicodedata
from itertools import permutations

import pandas as pd

from quality.expressions import evaluate, holds
from quality.findings import fmt
from quality.frames import prepare
from schemas.extraction import table_of
from schemas.findings import Finding
from schemas.indicators import IndicatorCatalog
from schemas.validation_rules import ValidationRule, expression_codes

TEXT_COLUMNS = ("unit", "unit_name", "period", "code", "name", "source_path", "sha256", "location",
                "snippet")
_COUNT = re.compile(r"(?<![\d.])(\d+(?:\.\d+)?)\s*(万)?\s*(余|多)?\s*(?:人次|人|名|位|件次|件|起|例|宗)")
_APPROX = re.compile(r"\d\s*(?:万)?\s*(?:余|多)\s*(?:人|名|位|件|起|例|宗)|[约近]\s*\d"
                     r"|[%％]\s*(?:以上|左右|以下)|(?:超过|不低于|不少于|达到?)\s*\d[\d.]*\s*[%％]\s*以上")


def passage(location: str, snippet: str) -> tuple[str, str]:
    """Where a value was stated, at the grain rates are bound: the table, else the sentence."""
    table = table_of(location)
    return ("table", table) if table else ("text", f"{location}\n{snippet}")


def sentence_counts(snippet: str) -> list[float]:
    """The counts of people or cases written in a sentence (Arabic digits, 万 applied)."""
    text = unicodedata.normalize("NFKC", snippet or "").replace(",", "")
    return [float(m.group(1)) * (10000 if m.group(2) else 1) for m in _COUNT.finditer(text)]


def approximate(snippet: str) -> bool:
    return bool(_APPROX.search(unicodedata.normalize("NFKC", snippet or "").replace("％", "%")))


def explained_otherwise(snippet: str, stated: float, tolerance: float) -> bool:
    """Some pair of counts in the sentence gives the stated rate: its base may be that pair."""
    counts = sentence_counts(snippet)
    return any(b > 0 and a <= b and abs(a / b * 100 - stated) <= tolerance + 1e-9
               for a, b in permutations(counts, 2))


def stated_rate_findings(values: pd.DataFrame, rules: list[ValidationRule], catalog: IndicatorCatalog,
                         year: int | None) -> list[Finding]:
    """`rate_inconsistent` findings, each rule judged within one passage of one document."""
    if values is None or len(values) == 0 or not rules:
        return []
    df = values.copy()
    if "snippet" not in df:
        df["snippet"] = ""
    df = prepare(df, TEXT_COLUMNS)
    df = df[pd.to_numeric(df["value"], errors="coerce").notna()]
    if year is not None:
        df = df[df["year"] == year]
    keys = [passage(loc, snip) for loc, snip in zip(df["location"], df["snippet"], strict=True)]
    df["passage_kind"] = [k for k, _ in keys]
    df["passage_id"] = [p for _, p in keys]
    names = {i.code: i.name for i in catalog.indicators}
    measures = {i.code: i.measure for i in catalog.indicators}
    out: list[Finding] = []
    for _key, group in df.groupby(["unit", "period", "sha256", "passage_kind", "passage_id"], sort=True):
        rows = {}
        for row in group.itertuples(index=False):
            rows.setdefault(row.code, row)  # the first stated, should a code repeat in one passage
        for rule in rules:
            finding = _judge(rule, rows, names, measures)
            if finding is not None:
                out.append(finding)
    return out


def _judge(rule: ValidationRule, rows: dict, names: dict[str, str], measures: dict[str, str]
           ) -> Finding | None:
    codes = rule.codes()
    if not all(c in rows for c in codes):
        return None  # the rate or one of its counts was not stated in this passage
    nums = {c: float(rows[c].value) for c in codes}
    left, right = evaluate(rule.left, nums), evaluate(rule.right, nums)
    if left is None or right is None or holds(rule, left, right):
        return None
    rate_code = expression_codes(rule.left)[0]
    row = rows[rate_code]
    kind = row.passage_kind
    if kind == "text" and (approximate(row.snippet) or explained_otherwise(row.snippet, left, rule.tolerance)):
        return None
    where = "表" if kind == "table" else "句"
    counts = [c for c in codes if c != rate_code]
    shown = "；".join(f"{names.get(c, c)}{fmt(nums[c])}{measures.get(c, '')}（{rows[c].location}）"
                      for c in counts)
    return Finding(
        unit=row.unit, unit_name=row.unit_name, year=int(row.year), period=row.period,
        indicator=rate_code, name=names.get(rate_code, row.name), kind=rule.kind, severity=rule.severity,
        observed=fmt(left), expected=f"={fmt(round(right, 4))}",
        message=f"{rule.description}：所写{names.get(rate_code, rate_code)}为{fmt(left)}%，"
                f"按同一{where}中的{_with_values(rule.right, names, nums)}重算为{fmt(round(right, 1))}%，"
                f"相差{fmt(round(abs(left - right), 1))}个百分点",
        source_path=row.source_path, sha256=row.sha256, location=row.location,
        rule=f"validation_rules.yaml:{rule.code}",
        reference=f"同一{where}所写：{shown}；重算值{fmt(round(right, 2))}%，允许误差±{fmt(rule.tolerance)}")


def _with_values(text: str, names: dict[str, str], nums: dict[str, float]) -> str:
    """The expression for people, each code as its name and the number stated: 办结案件数44÷受理信访案件数45×100."""
    out = re.sub(r"[A-Za-z_][\w.]*", lambda m: f"{names.get(m.group(), m.group())}{fmt(nums.get(m.group()))}",
                 text)
    return out.replace("*", "×").replace("/", "÷").replace(" ", "")
