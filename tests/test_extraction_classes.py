"""The classes of issue 9, each in wording of our own: who sent it, what kind, which period, values.

Every document goes through the real pipeline (`extract_document`) as a plain-text or CSV file.
"""

from __future__ import annotations

import hashlib

import pytest

from extract.pipeline import extract_document
from extract.who import identify, proper_community
from schemas.extraction import Extraction, Hints
from schemas.settings import Settings
from schemas.units import load_registry

REG = load_registry()
THRESHOLD = Settings.model_fields["review_threshold"].default


def run(text: str, name: str = "材料.txt", source_path: str | None = None) -> Extraction:
    data = text.encode("utf-8")
    kind = "csv" if name.endswith(".csv") else "txt"
    return extract_document(data, Hints(name=name, source_path=source_path or name),
                            hashlib.sha256(data).hexdigest(), kind=kind)


def counted(ext: Extraction) -> dict[str, object]:
    """The values that count (at or above the review threshold)."""
    return {i.code: i.value for i in ext.indicators if i.evidence.confidence >= THRESHOLD}


# --- who sent it -----------------------------------------------------------------------------

@pytest.mark.parametrize("body", [
    "泉城路街道督促社区妇联按月报送工作信息，确保材料齐全。",
    "泉城路街道带领社区妇联主席赴外地参观学习。",
    "泉城路街道组织辖区各社区妇联开展三八维权宣传。",
    "泉城路街道要求社区妇联按时上报台账。",
])
def test_verb_phrases_before_shequ_are_not_communities(body: str) -> None:
    w = identify(REG, claimed=None, source_path=None, name="a.txt", title="泉城路街道妇联2013年工作总结",
                 header=[], signature=[], body=body)
    assert (w.unit, w.new_community) == ("quanchenglu", None)
    only_body = identify(REG, claimed=None, source_path=None, name="a.txt", title=None, header=[],
                         signature=[], body=body)
    assert (only_body.unit, only_body.new_community) == ("quanchenglu", None)


@pytest.mark.parametrize(("base", "proper"), [
    ("芙蓉街社区", True), ("燕子山社区", True), ("山大路社区", True),
    ("督促社区", False), ("带领社区", False), ("各社区", False), ("在芙蓉街社区", False),
    ("辖区社区", False), ("组织社区", False), ("社区", False), ("的社区", False),
])
def test_a_community_name_is_a_proper_noun(base: str, proper: bool) -> None:
    assert proper_community(base) is proper


def test_community_in_a_street_item_is_where_it_happened_not_the_sender() -> None:
    ext = run("姚家街道妇联举办“巾帼心向党”文艺汇演\n"
              "3月6日，姚家街道妇联在姚家街道荷花路社区文化广场举办文艺汇演，辖区妇女200余人观看。\n"
              "姚家街道妇联\n2013年3月8日")
    assert (ext.unit, ext.new_community) == ("yaojia", None)


def test_a_community_only_in_the_body_is_not_registered() -> None:
    ext = run("志愿服务信息\n三月份以来，文东街道燕翔社区妇联组织志愿者走访空巢老人十余户。")
    assert ext.new_community is None and ext.unit == "wendong"


def test_a_community_in_a_strong_place_is_still_registered() -> None:
    ext = run("甸柳街道新世界社区妇联2013年工作总结\n一年来，我们培训妇女120人。\n2013年12月20日")
    assert ext.new_community and ext.new_community["name"] == "新世界社区妇联"
    assert ext.new_community["parent"] == "dianliu"


# --- what kind of document --------------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "龙洞街道妇联举办家政服务技能培训班\n5月12日上午，龙洞街道妇联在办事处三楼会议室举办家政服务技能培训班，"
    "辖区40名待业妇女参加。\n龙洞街道妇联",
    "近日，燕山街道妇联联合司法所开展反家暴法律宣传，发放宣传资料500余份。",
    "智远街道妇联走访慰问单亲特困母亲\n1月20日，智远街道妇联走访慰问辖区12户单亲特困母亲家庭，送去米面油。",
    "千佛山街道妇联举办家长学校专题讲座\n4月8日，千佛山街道妇联邀请心理老师在家长学校授课，60余名家长参加。",
    "建新街道为春蕾女童送去新书包\n9月1日开学前，建新街道妇联为辖区8名春蕾女童送去书包和文具。",
])
def test_information_items_are_known_by_their_shape(text: str) -> None:
    assert run(text).doc_type == "info_report"


@pytest.mark.parametrize("text", [
    "燕山街道妇联承诺“有访必接”\n发布时间：2013-09-27 09:12 来源：燕山街道妇联\n"
    "燕山街道妇联把妇女群众来信来访作为日常工作，安排专人每天值班。",
    "姚家：新建女性社会组织妇联3个\n截至目前，姚家街道女性社会组织中新建妇联组织3个，实现全覆盖。",
])
def test_web_postings_and_place_led_headlines_are_information_items(text: str) -> None:
    assert run(text).doc_type == "info_report"


@pytest.mark.parametrize("text", [
    "关于做好2014年报刊征订工作的通知\n发布时间：2013-10-12 来源：区妇联\n各街道妇联：请按时完成报刊征订。",
    "附件1：妇女之家建设标准\n一、有场所。二、有牌子。",
])
def test_notices_and_attachments_are_not_information_items(text: str) -> None:
    assert run(text).doc_type != "info_report"


@pytest.mark.parametrize("text", [
    "本报讯（记者 李明）日前，大明湖街道妇联在明湖社区举办“最美家庭”分享会。",
    "昨日，记者从区妇联执委会上获悉，今年全区将新建妇女之家12个。",
    "记者近日在大明湖街道妇联了解到，该街道已有8个社区建起儿童之家。",
])
def test_a_newspaper_item_is_a_clipping(text: str) -> None:
    assert run(text).doc_type == "news_clipping"


@pytest.mark.parametrize("title", ["解放路街道妇联2014年工作要点", "东关街道妇联2014年工作计划",
                                   "文东街道妇联三八维权周活动实施方案"])
def test_plans_give_no_values(title: str) -> None:
    ext = run(f"{title}\n一、全年培训妇女500人，举办专场招聘会2场。\n二、受理信访案件全部办结。")
    assert ext.doc_type == "other" and ext.indicators == []


# --- for which period -------------------------------------------------------------------------

def test_a_january_item_stays_in_january() -> None:
    ext = run("东关街道妇联开展新春慰问\n2014年1月8日，东关街道妇联走访慰问困难妇女15户。\n东关街道妇联\n2014年1月10日")
    assert (ext.doc_type, ext.period) == ("info_report", "2014-01")


def test_an_event_day_takes_its_year_from_the_date_written() -> None:
    ext = run("建新街道妇联举办迎新年联谊会\n12月28日，建新街道妇联举办迎新年联谊会。\n建新街道妇联\n2014年1月3日")
    assert ext.period == "2013-12"


def test_an_item_without_its_own_date_goes_to_review() -> None:
    ext = run("甸柳街道妇联召开会议部署2014年工作\n会上，甸柳街道妇联主席通报了2013年工作，部署了2014年重点任务。")
    assert ext.doc_type == "info_report" and ext.period is None and "period_unknown" in ext.problems


def test_an_undated_item_takes_its_month_from_the_folder() -> None:
    ext = run("姚家街道妇联开展读书活动\n姚家街道妇联组织辖区妇女开展读书分享活动，30余人参加。",
              source_path="姚家街道/2013年05月/读书活动.txt")
    assert ext.period == "2013-05"


def test_day_month_year_as_web_pages_print_it() -> None:
    ext = run("燕山街道妇联召开执委会\n18.10.2013 09:30\n10月16日，燕山街道妇联召开执委会议。")
    assert ext.period == "2013-10"


# --- values -----------------------------------------------------------------------------------

def summary(*sentences: str) -> Extraction:
    return run("泉城路街道妇联2013年工作总结\n" + "\n".join(sentences) + "\n泉城路街道妇联\n2013年12月20日")


@pytest.mark.parametrize(("sentence", "value"), [
    ("街道妇联经费设立专户、专人管理。", True),
    ("妇联工作经费单独核算，专款专用。", True),
    ("目前妇联经费暂未独立核算。", False),
    ("妇联经费与工会经费合并使用。", False),
])
def test_yes_no_said_many_ways(sentence: str, value: bool) -> None:
    assert counted(summary(sentence)).get("org.fund_separate_account") is value


@pytest.mark.parametrize(("sentence", "value"), [
    ("全年订阅《中国妇女报》《山东妇女》等报刊186份，完成任务数的100%。", 100),
    ("报刊征订工作扎实推进，任务完成率达103.5%。", 103.5),
])
def test_completion_rates_against_a_quota(sentence: str, value: float) -> None:
    assert counted(summary(sentence)).get("pub.subscription_completion") == value


def test_the_total_not_its_part() -> None:
    got = counted(summary("全年接待妇女群众来信来访52件次，其中来访30件，均已办结。"))
    assert got.get("rights.cases_received") == 52


def test_levels_joined_by_a_pause_mark_each_keep_their_number() -> None:
    got = counted(summary("全年在省级媒体发表报道2篇、市级报道9篇。"))
    assert (got.get("pub.news_provincial"), got.get("pub.news_municipal")) == (2, 9)


@pytest.mark.parametrize(("sentence", "code", "value"), [
    ("新建“两新”组织妇女组织4个。", "org.two_new_women_orgs_new", 4),
    ("新建「两新」组织妇女组织4个。", "org.two_new_women_orgs_new", 4),
    ("新创建省级示范“妇女之家”2个。", "org.provincial_model_homes", 2),
    ("联合人社部门举办了两场“春风送岗位”妇女专场招聘会。", "dev.job_fairs", 2),
])
def test_quoted_terms_are_the_same_words(sentence: str, code: str, value: float) -> None:
    assert counted(summary(sentence)).get(code) == value


@pytest.mark.parametrize(("sentence", "code"), [
    ("招聘会现场达成就业意向64人。", "dev.women_employed"),
    ("明年计划培训妇女400人。", "dev.women_trained"),
    ("今年下半年将举办妇女专场招聘会3场。", "dev.job_fairs"),
    ("通过培训，60多名下岗女工有望重新上岗就业。", "dev.women_employed"),
    ("发放小额担保贷款80万元，扶持创业。", "dev.entrepreneurs_supported"),
    ("帮扶困难妇女家庭23户实现就业增收。", "dev.women_employed"),
    ("近年来累计培训妇女3200人。", "dev.women_trained"),
    ("全区共培训妇女5600人。", "dev.women_trained"),
    ("目前，全街已在辖区企业中建立妇女组织17个。", "org.two_new_women_orgs_new"),
])
def test_intentions_money_households_and_context_are_not_values(sentence: str, code: str) -> None:
    assert code not in counted(summary(sentence))


@pytest.mark.parametrize(("paragraph", "code"), [
    ("去年以来，街道妇联积极争取资金，救助困难家庭37户、春蕾女童19名。", "child.chunlei_girls"),
    ("三年来，通过小额担保贷款扶持，已有126名妇女获得创业贷款。", "dev.entrepreneurs_supported"),
    ("近年来，街道妇联高度重视妇女技能培训。先后举办培训班18期、培训妇女260人。", "dev.women_trained"),
    ("多年来，街道妇联始终把维权放在首位。共接待妇女来信来访134件。", "rights.cases_received"),
])
def test_several_years_carry_through_their_paragraph(paragraph: str, code: str) -> None:
    assert code not in counted(summary(paragraph))


@pytest.mark.parametrize(("paragraph", "code", "value"), [
    ("近年来，街道妇联高度重视妇女技能培训。2013年，共培训妇女260人。", "dev.women_trained", 260),
    ("近年来，街道妇联高度重视妇女技能培训。今年共培训妇女260人。", "dev.women_trained", 260),
    ("今年以来，共培训妇女300人。", "dev.women_trained", 300),
    ("3月以来，共培训妇女80人。", "dev.women_trained", 80),
    ("2013年以来，共培训妇女300人。", "dev.women_trained", 300),
    ("一年来，共培训妇女300人。", "dev.women_trained", 300),
])
def test_this_period_ends_the_span_of_years(paragraph: str, code: str, value: float) -> None:
    assert counted(summary(paragraph)).get(code) == value


def test_money_beside_a_count_still_names_who_is_counted() -> None:
    assert counted(summary("发放春蕾资助款1.2万元，受助女童12名。")).get("child.chunlei_girls") == 12
    assert "child.chunlei_girls" not in counted(summary("发放春蕾资助款1.2万元，慰问困难家庭12户。"))
    assert "child.chunlei_girls" not in counted(summary("春蕾计划明年将投入资金2万元，资助女童20名。"))


def test_people_not_person_times() -> None:
    assert "dev.women_trained" not in counted(summary("开展技能培训6期，培训妇女310人次。"))
    assert counted(summary("开展技能培训6期，培训妇女310人次，其中新培训妇女180人。")).get("dev.women_trained") == 180


def test_the_streets_own_figure_beside_the_districts() -> None:
    got = counted(summary("全区共培训妇女5600人，我街道培训妇女420人。"))
    assert got.get("dev.women_trained") == 420


def test_rights_sheet_with_channels_and_a_total_row() -> None:
    ext = run("泉城路街道妇联2013年第四季度信访统计表\n渠道,受理件数,办结件数,办结率\n来信,3,3,100%\n"
              "来访,11,10,90.9%\n来电,6,6,100%\n合计,20,19,95%\n", name="信访统计.csv")
    got = {i.code: i.value for i in ext.indicators}
    assert got["rights.cases_received"] == 20 and got["rights.cases_closed"] == 19
    assert got["rights.case_closure_rate"] == 95


def test_kinds_of_case_with_a_share_column() -> None:
    ext = run("信访情况统计\n类别,件数,占总数\n婚姻家庭,14,70%\n劳动权益,6,30%\n合计,20,100%\n", name="信访.csv")
    assert {i.code: i.value for i in ext.indicators}.get("rights.cases_received") == 20
