"""待审核, 审计 and 回执查询.

Decisions go through the same archive functions as the CLI (archive.review), in the
viewer's name, so the audit chain says who decided what.
"""

from __future__ import annotations

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse

from archive import queries_scoped as q
from fulian.messages import t
from fulian.web import data
from fulian.web.auth import require, viewer
from fulian.web.views import archive_of, render

router = APIRouter()
WEB_ERRORS = {  # the CLI's messages name its options; the page names its fields
    "reason_required": "请填写核实依据（理由）。",
    "value_or_reject": "请填写更正后的值，或勾选“否决”，二者选一。",
}
ACTION_ZH = {
    "submission.recorded": "登记收件", "submission.reviewed": "人工审核", "submission.superseded": "被更正版替代",
    "submission.reclassified": "重新归类", "extraction.recorded": "提取内容", "unit.registered": "登记单位",
    "unit.discovered": "发现新社区", "unit.confirmed": "确认单位", "unit.aliases_added": "补充单位别名",
    "quality.checked": "数据质量检查", "completeness.snapshot": "完整性审计", "fixity.checked": "固定性校验",
    "web.login": "登录", "web.login_failed": "登录失败", "web.login_refused": "登录被拒（次数过多）",
    "web.logout": "退出登录", "document.viewed": "查看文档", "document.downloaded": "下载原件",
    "export.downloaded": "导出数据", "upload.received": "网页上传", "user.added": "新增账号",
    "user.password_changed": "修改密码", "user.disabled": "停用账号", "user.enabled": "启用账号",
    "value.corrected": "更正数值", "value.rejected": "否决数值", "packet.downloaded": "下载年度材料",
    "packet.built": "生成年度材料", "bonus.awarded": "创新加分",
}


def review_page(request: Request, status: int = 200, error: str | None = None,
                done: str | None = None) -> HTMLResponse:
    archive, who = archive_of(request), viewer(request)
    require(who.may_review())
    from schemas.doc_types import load_doc_types

    return render(request, "review.html", status, items=q.review_queue(archive, who),
                  units=q.visible_units(archive, who), doc_types=load_doc_types(), error=error,
                  done=done, values=q.pending_values(archive, who),
                  decided=q.audit_events(archive, who, limit=30, action="submission.reviewed"),
                  corrected=q.audit_events(archive, who, limit=30, action="value."))


@router.get("/review", response_class=HTMLResponse)
def review(request: Request) -> HTMLResponse:
    return review_page(request)


@router.post("/review/{submission_id}", response_class=HTMLResponse)
def decide(request: Request, submission_id: int = data.record_id(), unit: str = Form(""), period: str = Form(""),
           doc_type: str = Form(""), note: str = Form("")) -> HTMLResponse:
    """An archivist's unit/period/type decision, as `fulian review` makes it."""
    from archive.audit import AuditLog
    from archive.review import ReviewError, assign
    from fulian.commands_review import _valid_period

    who = viewer(request)
    require(who.may_review())
    period, note = period.strip(), note.strip()[:500]
    if period and not _valid_period(period):
        return review_page(request, 400, t("review.bad_period", period=period))
    archive = archive_of(request)
    try:
        with archive.db.writer() as s:
            log = AuditLog(s, who.actor)
            result = assign(s, log, submission_id, unit=unit or None, period=period or None,
                            doc_type=doc_type or None, note=note)
            log.flush()
    except ReviewError as exc:
        return review_page(request, 400, t(f"review.{exc.code}", detail=exc.detail))
    from fulian.messages import status_zh

    return review_page(request, done=t("review.done", id=submission_id,
                                       status=status_zh(result["after"]["status"])))


@router.post("/values/correct", response_class=HTMLResponse)
def correct(request: Request, value_id: str = Form(""), value: str = Form(""),
            reject: str = Form(""), reason: str = Form("")) -> HTMLResponse:
    """Set or reject an extracted value with a reason, as `fulian correct` does."""
    from archive.audit import AuditLog
    from archive.corrections import CorrectionError, correct_value

    who = viewer(request)
    require(who.may_review())
    archive, value_id = archive_of(request), value_id.strip()
    if not q.value_in_scope(archive, who, value_id):
        return review_page(request, 400, t("correct.no_such_value", detail=value_id))
    try:
        with archive.db.writer() as s:
            log = AuditLog(s, who.actor)
            result = correct_value(s, log, value_id, value=None if reject else (value.strip() or None),
                                   reject=bool(reject), reason=reason[:500], actor=who.actor)
            log.flush()
    except CorrectionError as exc:
        return review_page(request, 400, WEB_ERRORS.get(exc.code) or t(f"correct.{exc.code}",
                                                                      detail=exc.detail))
    state = "否决" if result["review"] == "rejected" else "更正"
    return review_page(request, done=t("correct.done", id=value_id, review=state,
                                       original=result["original_value"], value=result["value"]))


@router.get("/audit", response_class=HTMLResponse)
def audit_log(request: Request, action: str = "") -> HTMLResponse:
    who = viewer(request)
    require(who.may_audit())
    rows = q.audit_events(archive_of(request), who, limit=300, action=action or None)
    return render(request, "audit.html", rows=list(reversed(rows)), action=action, names=ACTION_ZH,
                  may_verify=who.may_verify(), report=None)


@router.post("/audit/verify", response_class=HTMLResponse)
def verify(request: Request) -> HTMLResponse:
    """Recompute the chain and every blob's digests (as `fulian verify`), recorded as an event."""
    from archive.fixity import verify_archive

    who = viewer(request)
    require(who.may_verify())
    report = verify_archive(archive_of(request))
    rows = q.audit_events(archive_of(request), who, limit=300)
    return render(request, "audit.html", rows=list(reversed(rows)), action="", names=ACTION_ZH,
                  may_verify=True, report=report)


@router.get("/receipt", response_class=HTMLResponse)
def receipt(request: Request, number: str = "") -> HTMLResponse:
    """What became of an upload: still in the spool, or the submissions it made."""
    from connectors.spool import pending, spool_dir

    number = number.strip()[:64]
    rows, waiting = [], None
    if number:
        who = viewer(request)
        rows = q.receipt_submissions(archive_of(request), who, number)
        if not rows:
            home = request.app.state.web.settings.home_dir
            waiting = next((s for s in pending(spool_dir(home)) if s.id == number and who.sees(s.unit)),
                           None)
    return render(request, "receipt.html", number=number, rows=rows, waiting=waiting)

