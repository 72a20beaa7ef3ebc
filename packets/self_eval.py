"""自评 beside 区评: a unit's claimed scores matched to scorecard lines by 考评内容, and flagged
where the two differ by more than the scorecard's margin, with the evidence of both sides."""

from __future__ import annotations

import re
import unicodedata

from packets.scoring import ScoredLine, ScoreSheet

_NOISE = re.compile(r"[\s，,。、；;：:（）()“”\"《》]+")


def _key(text: str) -> str:
    return _NOISE.sub("", unicodedata.normalize("NFKC", text or ""))


def apply_claims(sheet: ScoreSheet, claims: list[dict], margin: float) -> list[dict]:
    """Set each line's claimed score and flag; the claims no line matched (shown, not scored)."""
    by_content = {_key(line.content): line for line in sheet.lines}
    unmatched = []
    for claim in claims:
        line = by_content.get(_key(claim["content"]))
        if line is None:
            unmatched.append(claim)
            continue
        line.self_score = claim["score"]
        line.self_evidence = {"document": claim["document"], "sha256": claim["sha256"],
                              "location": claim["location"], "snippet": f"自评{claim['score']:g}分"}
        line.flag = _flag(line, margin)
    return unmatched


def _flag(line: ScoredLine, margin: float) -> str:
    claimed = line.self_score
    if claimed is None:
        return ""
    if line.status != "scored" or line.score is None:
        return f"自评{claimed:g}分，区评{line.status_label}：请单位提供依据"
    diff = round(claimed - line.score, 2)
    if abs(diff) <= margin:
        return ""
    return f"自评{'高于' if diff > 0 else '低于'}区评{abs(diff):g}分（允许差{margin:g}分）"
