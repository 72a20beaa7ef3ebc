"""Fixed codes in code and logs; the Chinese text people read is looked up here."""

from __future__ import annotations

from schemas.vocabulary import load_vocabulary

STATUS = load_vocabulary().long("submission_status")
STATUS_SHORT = load_vocabulary().short("submission_status")

REASON = {
    "empty": "空文件",
    "corrupt": "文件损坏，无法读取",
    "encrypted": "文件已加密，请去掉密码后重新报送",
    "too_large": "文件超过大小上限",
    "unsupported": "不支持的文件格式",
    "archive_bomb": "压缩内容异常（疑似压缩炸弹）",
    "timeout": "解析超时（超过时限）",
    "unsafe_name": "文件名不安全（含“..”、绝对路径或以“.”开头），未按此名保存",
    "unit_unknown": "无法确定报送单位",
    "unit_conflict": "报送单位信息相互矛盾",
    "period_unknown": "无法确定所属期间",
    "new_community": "发现登记册中没有的社区，待确认",
    "not_extracted": "未能提取内容",
    "ocr_incomplete": "扫描页数超过识别上限，其余页面未识别，待人工处理",
}

DOC_TYPE = {
    "work_summary": "工作总结",
    "info_report": "工作信息",
    "two_plans_statistics": "两规统计监测表",
    "petition_report": "信访统计报表",
    "chunlei_register": "春蕾女童登记表",
    "single_mother_register": "单亲特困母亲台账",
    "parent_school_record": "家长学校活动记录",
    "news_clipping": "媒体报道",
    "self_evaluation": "考评自评表",
    "other": "其他",
}

TEXT = {
    "ingest.none": "没有需要处理的新文件。",
    "ingest.summary": "本次处理 {total} 个文件：",
    "ingest.table": "本次收件",
    "verify.ok": "校验通过：审计链 {events} 条事件、{blobs} 个文件的 SHA-256 与 SM3 摘要均一致。",
    "verify.failed": "校验失败：发现 {n} 处问题。",
    "demo.inbox": "已生成示例收件箱：{inbox}（{n} 个文件）",
    "inbox.refused": "拒绝处理此收件箱（为防止误收文件）：{detail}。请把 FULIAN_INBOX 设为专用的收件文件夹。",
    "demo.archive": "存档中现有：{counts}",
    "demo.next": "查看明细：fulian --home {home} submissions ；校验存档：fulian --home {home} verify",
    "progress.ingest": "归档",
    "progress.reextract": "重新提取",
    "quality.title": "{year}年两规统计数据质量问题（{n}个）",
    "quality.reports": "报告：{html}\n表格：{xlsx}",
    "completeness.title": "{year}年报送完整性",
    "completeness.rates": "{year}年报送率",
    "completeness.none": "{year}年没有需要审计的报送要求。",
    "review.done": "收件 {id} 已更新，当前状态：{status}。",
    "review.bad_period": "期间格式不对：{period}（应为 2013、2013-H1、2013-Q3 或 2013-05）",
    "review.bad_doc_type": "没有这种材料类型：{doc_type}（可用：{known}）",
    "review.no_such_submission": "没有序号为 {detail} 的收件。",
    "review.not_reviewable": "此收件的状态为 {detail}，不能审核（只能审核待审核或已归档的收件）。",
    "review.no_such_unit": "没有这个单位：{detail}",
    "units.title": "单位登记册",
    "units.confirmed": "单位 {code} 已确认。",
    "unit.unknown": "找不到单位：{unit}。可以用代码、全称或简称，见 fulian units。",
    "indicators.title": "{year}年指标值",
    "reextract.done": "已用提取器 {version} 重新提取 {n} 个文件，其中 {changed} 个的归类有变化。",
    "progress.verify": "校验文件",
    "pending.title": "待核实的指标值（{n}个，未计入统计）",
    "correct.done": "指标值 {id} 已{review}（原提取值：{original}，现值：{value}）。",
    "correct.reason_required": "请用 --reason 写明核实依据：{detail}",
    "correct.value_or_reject": "请给出 --value（更正）或 --reject（否决），二者选一：{detail}",
    "correct.no_such_value": "没有这个指标值编号：{detail}（编号见 fulian pending）",
    "correct.bad_value": "值的格式不对：{detail}",
}

REVIEW = {"ok": "有效", "pending": "待核实", "corrected": "更正", "rejected": "否决"}


def review_zh(code: str | None) -> str:
    return REVIEW.get(code or "", code or "")


def status_zh(code: str | None) -> str:
    return STATUS.get(code or "", code or "")


def status_short(code: str | None) -> str:
    return STATUS_SHORT.get(code or "", code or "")


def short_unit(name: str | None) -> str:
    """泉城路街道妇联 → 泉城路; a community keeps its own name."""
    if not name:
        return ""
    for suffix in ("街道妇联", "妇联", "妇女联合会"):
        if name.endswith(suffix):
            return name[: -len(suffix)] or name
    return name


def reason_zh(code: str | None) -> str:
    return REASON.get(code or "", code or "")


def doc_type_zh(code: str | None) -> str:
    return DOC_TYPE.get(code or "", code or "")


def t(key: str, **kw: object) -> str:
    return TEXT[key].format(**kw)


# Annual review packets (issue 8).
PACKET_TEXT = {
    "progress.packet": "生成考评资料",
    "packet.not_scored": "单位 {unit} 属于“{level}”，考评表（schemas/scorecard.yaml）没有这一级的评分项目。",
    "packet.built": "{name}：{total}分（{grade}），文件 {n} 个，{seconds:.1f} 秒",
    "packet.built_district": "{name}：全区汇总，文件 {n} 个，{seconds:.1f} 秒",
    "packet.failed": "{name}：生成失败（{error}），其他单位不受影响",
    "packet.summary": "{year}年度考评资料已写入 {out}：成功 {ok} 份，失败 {failed} 份。",
    "packet.verify_ok": "资料包完整，是本存档生成的原件，存档此后没有变化。",
    "packet.verify_stale": "资料包完整，是本存档生成的原件；存档此后有变化。",
    "packet.verify_failed": "资料包核验未通过：{n} 个问题。",
    "packet.bonus_bad": "加分应在 0 到 {cap} 分之间，并写明理由（--reason）。",
    "packet.bonus_done": "已为{unit}评定{year}年度创新加分 {points} 分（评定人 {actor}），重新生成资料包后生效。",
}
TEXT.update(PACKET_TEXT)


# Issue 11 (the command line): start-up phases, the archive in use, interrupted runs.
TEXT.update({
    "interrupted.kept": "至少 {done} 个文件已保存在存档中；其余（最多 {rest} 个）文件下次运行时会重新处理，已保存的不会重复登记。",
    "progress.extract": "提取",
    "phase.server": "正在连接本机流程服务（Prefect）……",
    "phase.server_start": "正在启动本机流程服务（Prefect，首次约需 10–20 秒，以后的命令直接使用）……",
    "phase.scan": "正在扫描文件……",
    "phase.later": "正在运行后续环节（数据质量检查、完整性审计）……",
    "archive.using": "使用存档：{home}（{source}）",
    "archive.source_option": "由 --home 指定",
    "archive.source_default": "未设置 FULIAN_HOME，使用默认位置",
    "archive.source_toml": "由 fulian.toml 指定",
    "archive.none": "{where} 没有存档（找不到 {db}）。请用 --home 或 FULIAN_HOME 指向已有的数据目录；"
                    "要新建存档，请先运行 fulian ingest 或 fulian nightly。",
    "ingest.received_at": "本次新登记的文件，收到时间均按 {at}（北京时间，由 --received-at 指定）记录，并在审计日志中注明。",
    "time.invalid": "时间写法不对：{text}（应为 2013-12-20 或 \"2013-12-20 09:30\"，北京时间）。",
    "status.unknown": "没有这种状态：{status}。可用（代码或中文均可）：{known}",
    "year.invalid": "年度应为四位数，如 2013（收到的是 {year}）。",
    "review.unchanged": "收件 {detail} 的单位、期间、类型与所给的相同，没有需要更改的内容，未做任何记录。",
    "log.title": "审计日志",
    "server.failed": "本机流程服务（Prefect）没有启动成功，详情见 {log}。可以运行 fulian server stop 后重试。",
    "server.not_running": "本机流程服务没有运行（下一个归档命令会自动启动它）。",
    "server.running": "本机流程服务正在运行：{url}（进程 {pid}）。停止：fulian server stop",
    "server.stopped": "已停止本机流程服务（进程 {pid}）。",
    "archive.none_db": "数据库 {db} 中还没有存档。请检查 FULIAN_DATABASE_URL；要新建存档，请先运行 fulian ingest 或 fulian nightly。",
})
