"""What people read of stored records: times in Beijing time to the minute, audit actions and
their details in Chinese words (the stored values keep ISO 8601 with offset and English codes)."""

from __future__ import annotations

import unicodedata
from datetime import datetime
from zoneinfo import ZoneInfo

from schemas.vocabulary import load_vocabulary

SHANGHAI = ZoneInfo("Asia/Shanghai")
DETAIL_WORDS = {
    "unit": "单位", "period": "期间", "doc_type": "类型", "status": "状态", "reason": "原因",
    "source_path": "文件", "name": "名称", "level": "层级", "parent": "上级", "note": "说明",
    "year": "年度", "findings": "问题数", "sha256": "SHA-256", "events": "事件数", "blobs": "文件数",
    "ok": "结果", "version": "版本", "values": "数值数", "by": "替代者", "superseded": "被替代",
    "before": "原为", "after": "改为", "aliases": "别名", "source": "来源", "size": "大小",
}
HIDDEN = {"state", "report_html", "report_xlsx", "kinds", "run", "run_id", "receipt", "sm3"}


def local_minute(iso: str | None) -> str:
    """2013-12-20T01:00:00+00:00 → 2013-12-20 09:00 (Beijing time)."""
    if not iso:
        return ""
    try:
        at = datetime.fromisoformat(iso)
    except ValueError:
        return iso
    if at.tzinfo is None:  # stored without an offset: written as UTC
        at = at.replace(tzinfo=ZoneInfo("UTC"))
    return at.astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M")


def action_zh(action: str) -> str:
    return load_vocabulary().short("audit_action").get(action, action)


def details_zh(details: dict) -> str:
    """The details a person can use, named in Chinese; hashes and internal ids left out."""
    parts = []
    for key, value in details.items():
        if key in HIDDEN or value in (None, [], "", {}):
            continue
        parts.append(f"{DETAIL_WORDS.get(key, key)}：{_value(key, value)}")
    return "；".join(parts)


def _value(key: str, value: object) -> str:
    vocab = load_vocabulary()
    if isinstance(value, dict):
        return "，".join(f"{DETAIL_WORDS.get(k, k)} {_value(k, v)}" for k, v in value.items()
                        if v not in (None, [], ""))
    if isinstance(value, bool):
        return "是" if value else "否"
    if key == "status" and isinstance(value, str):
        return vocab.short("submission_status").get(value, value)
    if key == "level" and isinstance(value, str):
        return vocab.short("unit_level").get(value, value)
    if isinstance(value, list):
        return "、".join(str(v) for v in value)
    return str(value)


def parse_local_time(text: str) -> str:
    """A date or date and time a person typed, in Beijing time → ISO 8601 UTC; exit 2 if unreadable."""
    from datetime import UTC

    import typer

    from fulian.messages import t
    from fulian.output import err_console
    from fulian.params import YEAR_MAX, YEAR_MIN

    typed = unicodedata.normalize("NFKC", text).strip()  # full-width digits from an input method
    for fmt in ("%Y-%m-%d", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M:%S"):
        try:
            at = datetime.strptime(typed, fmt).replace(tzinfo=SHANGHAI)
        except ValueError:
            continue
        if not YEAR_MIN <= at.year <= YEAR_MAX:  # 0001-01-01 overflowed converting to UTC (exit 70)
            break
        return at.astimezone(UTC).isoformat()
    err_console.print(t("time.invalid", text=text), markup=False, soft_wrap=True)
    raise typer.Exit(2)
