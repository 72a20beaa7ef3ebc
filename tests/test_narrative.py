"""Indicator values from sentences: every phrasing and distractor of the brief, plus variants."""

import pytest

from extract.document import Block
from extract.narrative import best_per_code, extract
from schemas.indicators import load_indicator_catalog

CAT = load_indicator_catalog()


def values(*paragraphs: str, year: int | None = 2013) -> dict[str, float | bool]:
    blocks = [Block(p, f"第{i + 1}段") for i, p in enumerate(paragraphs)]
    return {c: f.value for c, f in best_per_code(extract(blocks, CAT, year)).items()}


@pytest.mark.parametrize("sentence,code,value", [
    ("培训妇女326人。", "dev.women_trained", 326),
    ("共培训326名妇女。", "dev.women_trained", 326),
    ("开展培训12期，培训妇女达326人次。", "dev.women_trained", 326),
    ("全年累计培训各类妇女三百二十六人。", "dev.women_trained", 326),
    ("组织３２６名妇女参加技能培训。", "dev.women_trained", 326),
    ("参训妇女共计1,326人。", "dev.women_trained", 1326),
    ("帮助58名妇女实现就业。", "dev.women_employed", 58),
    ("安置下岗失业妇女就业五十八人。", "dev.women_employed", 58),
    ("受理来信来访来电45件，办结44件。", "rights.cases_received", 45),
    ("受理来信来访来电45件，办结44件。", "rights.cases_closed", 44),
    ("全年共接待受理妇女信访案件四十五件，已全部办结。", "rights.cases_received", 45),
    ("举办妇女专场招聘会两场。", "dev.job_fairs", 2),
    ("先后举办2场妇女专场招聘会。", "dev.job_fairs", 2),
    ("扶持5名妇女自主创业。", "dev.entrepreneurs_supported", 5),
    ("案件处结率达100%。", "rights.case_closure_rate", 100),
    ("信访案件处结率为百分之九十八。", "rights.case_closure_rate", 98),
    ("报刊征订任务完成率100%。", "pub.subscription_completion", 100),
    ("组织家庭教育实践活动6次。", "child.family_education_activities", 6),
    ("家长学校全年开展家庭教育活动五场。", "child.family_education_activities", 5),
    ("登记春蕾女童12人。", "child.chunlei_girls", 12),
    ("在大众日报等省级媒体刊发稿件3篇。", "pub.news_provincial", 3),
    ("专项经费单独建帐、独立核算。", "org.fund_separate_account", True),
    ("全年培训任务300人，实际培训326人。", "dev.women_trained", 326),
    ("实现社区妇联组织全覆盖。", "org.federation_coverage", 100),
    ("培训人数326人（其中下岗失业妇女100人）。", "dev.women_trained", 326),
    ("今年以来，累计培训妇女326人。", "dev.women_trained", 326),
    ("举办培训班11期，参训妇女913人：帮助56名妇女实现家门口就业。", "dev.women_employed", 56),
    ("在省级报刊刊发稿件1篇对照市级新闻宣传报道不少于2篇的目标。", "pub.news_provincial", 1),
    ("受理信访案件45件，已全部办结。", "rights.cases_closed", 45),
    ("圆满完成报刊征订任务，完成率达98.6%。", "pub.subscription_completion", 98.6),
    ("共有58名妇女通过招聘会实现就业。", "dev.women_employed", 58),
    ("参加培训的妇女达326人。", "dev.women_trained", 326),
    ("培训妇女1.2万人次。", "dev.women_trained", 12000),
    ("专项经费尚未单独建账，与其他经费合并使用。", "org.fund_separate_account", False),
    ("帮助12名妇女申请小额担保贷款，成功实现自主创业。", "dev.entrepreneurs_supported", 12),
    ("开展技能培训，共计326人。", "dev.women_trained", 326),
    ("3个社区妇女之家被评为省级示范妇女之家。", "org.provincial_model_homes", 3),
    ("在非公企业和新社会组织中新成立妇委会两个。", "org.two_new_women_orgs_new", 2),
    ("培树了两个先进典型并大力宣传。", "pub.models_publicized", 2),
])
def test_phrasings(sentence: str, code: str, value: float) -> None:
    assert values(sentence).get(code) == value


@pytest.mark.parametrize("sentence,code", [
    ("按照每年培训妇女300人以上的要求开展工作。", "dev.women_trained"),
    ("目标是培训妇女300人。", "dev.women_trained"),
    ("培训妇女不少于300人。", "dev.women_trained"),
    ("完成培训妇女300人以上的任务。", "dev.women_trained"),
    ("明年计划培训400人。", "dev.women_trained"),
    ("2014年力争安置就业80人。", "dev.women_employed"),
    ("下一步，我们将继续培训妇女500人。", "dev.women_trained"),
    ("同比增长46人。", "dev.women_trained"),
    ("培训人数比上年增加46人。", "dev.women_trained"),
    ("去年培训妇女280人。", "dev.women_trained"),
    ("2012年培训妇女280人。", "dev.women_trained"),
    ("根据历下妇发〔2013〕12号文件精神开展培训。", "dev.women_trained"),
    ("11月5日举办培训。", "dev.women_trained"),
    ("开展培训12期。", "dev.women_trained"),
    ("举办妇女专场招聘会1-2场次。", "dev.job_fairs"),
    ("达成就业意向120人。", "dev.women_employed"),
    ("提供就业岗位300个。", "dev.women_employed"),
    ("处结率提高了2.5个百分点。", "rights.case_closure_rate"),
    ("培训覆盖12个社区。", "dev.women_trained"),
    ("走访慰问困难妇女23户，开展技能培训。", "dev.women_trained"),
    ("2011年以来累计培训妇女2600人次。", "dev.women_trained"),
    ("刊发稿件1篇对照市级新闻宣传报道不少于2篇的目标。", "pub.news_municipal"),
    ("多年来累计培训妇女2600人次。", "dev.women_trained"),
    ("培训妇女同比增长16.4%。", "dev.women_trained"),
    ("发放宣传材料500余份，接受群众咨询120人次。", "rights.cases_received"),
    ("下一步，计划举办招聘会，力争帮助100名妇女就业。", "dev.women_employed"),
])
def test_distractors_are_not_taken(sentence: str, code: str) -> None:
    assert code not in values(sentence)


def test_target_restated_then_achievement_then_comparison() -> None:
    got = values("按照每年培训妇女300人以上的要求，全年共培训妇女326人，比去年的280人增加46人。")
    assert got == {"dev.women_trained": 326}


def test_exceeded_target_keeps_actual() -> None:
    assert values("超额完成全年培训妇女300人的目标任务，实际培训妇女326人。") == {"dev.women_trained": 326}


def test_target_paragraph_with_semicolons() -> None:
    got = values("目标任务：每年举办妇女专场招聘会1-2场次，培训妇女300人以上，安置就业50人以上；每年扶持5名以上妇女创业。")
    assert got == {}


def test_plan_section_is_skipped() -> None:
    got = values("一、主要工作", "全年培训妇女326人。", "二、2014年工作打算", "计划培训妇女400人，安置就业80人。",
                 "1.加强培训，培训妇女500人。")
    assert got == {"dev.women_trained": 326}


@pytest.mark.parametrize("heading", ["三、明年工作重点", "（三）下步打算", "四、2014年工作思路", "五、工作目标"])
def test_plan_headings(heading: str) -> None:
    assert values("培训妇女326人。", heading, "培训妇女400人，安置就业80人。") == {"dev.women_trained": 326}


def test_past_heading_ends_a_plan_section() -> None:
    got = values("一、工作目标", "培训妇女300人。", "二、目标完成情况", "培训妇女326人。")
    assert got == {"dev.women_trained": 326}


def test_person_count_beats_person_visits() -> None:
    got = values("开展培训，参训妇女达400人次。", "其中，培训妇女326人。")
    assert got["dev.women_trained"] == 326


def test_total_beats_a_part_stated_first() -> None:
    got = values("其中开展创业培训，培训妇女120人。", "全年共培训妇女326人。")
    assert got["dev.women_trained"] == 326


def test_person_visits_accepted_alone_with_lower_confidence() -> None:
    found = extract([Block("培训妇女达400人次。", "第1段")], CAT, 2013)
    assert found[0].value == 400 and found[0].confidence < 1


def test_cumulative_total_without_known_year() -> None:
    assert values("2011年以来累计培训妇女2600人次。", year=None) == {}


def test_absent_is_not_zero() -> None:
    got = values("全年开展了丰富多彩的活动，受到妇女欢迎。")
    assert got == {}


def test_evidence_is_the_sentence_and_block_location() -> None:
    found = extract([Block("开展活动。培训妇女326人。其他。", "第2页第5段")], CAT, 2013)
    assert found[0].snippet == "培训妇女326人。" and found[0].location == "第2页第5段"


def test_several_indicators_in_one_sentence() -> None:
    got = values("举办妇女专场招聘会3场，提供岗位500余个，帮助120名妇女实现就业，扶持8名妇女自主创业。")
    assert got == {"dev.job_fairs": 3, "dev.women_employed": 120, "dev.entrepreneurs_supported": 8}
