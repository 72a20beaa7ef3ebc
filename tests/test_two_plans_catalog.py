"""The two-plans catalog: the full indicator sets of both 2011–2020 outlines, names that reach
their own indicator and never another's, and table rows read through it.

Precision first: a row matched to the wrong indicator is a wrong number with convincing
evidence. Every name and alias must come back to its own indicator, and names that differ
by a population, an age, a grade or by being a share of a count must not be taken for it.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from extract.pipeline import extract_document
from schemas.extraction import Hints
from schemas.two_plans import MEASURE_RANGES, load_two_plans_catalog

CATALOG_FILE = Path(__file__).resolve().parents[1] / "schemas" / "two_plans.yaml"
WOMEN_AREAS = {"妇女与健康", "妇女与教育", "妇女与经济", "妇女参与决策和管理", "妇女与社会保障",
               "妇女与环境", "妇女与法律"}
CHILDREN_AREAS = {"儿童与健康", "儿童与福利", "儿童与社会环境", "儿童与教育", "儿童与法律保护"}


def test_both_outlines_every_area_is_covered() -> None:
    cat = load_two_plans_catalog()
    by_plan: dict[str, set[str]] = {}
    for ind in cat.indicators:
        by_plan.setdefault(ind.plan, set()).add(ind.area)
        assert ind.code.startswith({"women": "wp.", "children": "cp."}[ind.plan]), ind.code
    assert by_plan == {"women": WOMEN_AREAS, "children": CHILDREN_AREAS}
    assert len(cat.indicators) >= 120
    assert len({i.code for i in cat.indicators}) == len(cat.indicators)


def test_every_area_block_cites_its_source() -> None:
    """Each `# ---- plan: area` block opens with a `# source:` comment giving an address."""
    lines = CATALOG_FILE.read_text(encoding="utf-8").splitlines()
    heads = [i for i, line in enumerate(lines) if line.startswith("  # ---- ")]
    assert len(heads) >= 10
    for i in heads:
        assert lines[i + 1].startswith("  # source:") and "http" in lines[i + 1] + lines[i + 2], lines[i]


def test_measures_targets_and_ceilings_are_consistent() -> None:
    for ind in load_two_plans_catalog().indicators:
        assert ind.measure in MEASURE_RANGES, (ind.code, ind.measure)
        if ind.target_op is not None:  # a number to check against: the target states it
            assert ind.target_value is not None and ind.target, ind.code
            # "50左右" is checked with a tolerance (≥40); any other target states its number
            assert "左右" in ind.target or f"{ind.target_value:g}" in ind.target, ind.code
        if ind.max is not None:
            assert ind.measure == "%" and ind.max == 100, ind.code
        if ind.valid is not None and ind.max is not None:
            assert ind.valid[1] <= ind.max, ind.code


def test_every_name_and_alias_reaches_its_own_indicator() -> None:
    """No alias is another indicator's name, contains one that wins, or is taken as a subgroup."""
    cat = load_two_plans_catalog()
    for ind in cat.indicators:
        for name in (ind.name, *ind.aliases):
            found = cat.match(name)
            assert found is ind, (name, ind.code, found and found.code)
            assert cat.match_exact(name) is ind, name


def test_no_name_is_shared_by_two_indicators() -> None:
    seen: dict[str, str] = {}
    for ind in load_two_plans_catalog().indicators:
        for key in ind.names():
            assert seen.setdefault(key, ind.code) == ind.code, (key, seen[key], ind.code)


# Rows as published tables write them (national monitoring reports, provincial and county forms).
NEW_NAMES = [
    ("城市孕产妇死亡率", "wp.maternal_mortality_urban"),
    ("农村孕产妇死亡率（1/10万）", "wp.maternal_mortality_rural"),
    ("农村孕产妇住院分娩率", "wp.rural_hospital_delivery_rate"),
    ("农村住院分娩率（%）", "wp.rural_hospital_delivery_rate"),
    ("孕产妇产前检查率", "wp.prenatal_check_rate"),
    ("婚前医学检查率", "wp.premarital_check_rate"),
    ("孕产妇中重度贫血患病率", "wp.maternal_anemia_rate"),
    ("高等教育毛入学率", "wp.higher_ed_gross_rate"),
    ("女研究生占全部研究生比重", "wp.female_postgrad_share"),
    ("普通本专科女生比重", "wp.female_undergrad_share"),
    ("女性就业人员占全社会就业人员的比重", "wp.female_employment_share"),
    ("公有制企事业单位女性专业技术人员所占比重", "wp.female_professional_share"),
    ("女性高级专业技术人员所占比重", "wp.senior_professional_women_share"),
    ("高级专业技术人员中女性所占比重", "wp.senior_professional_women_share"),
    ("执行“女职工劳动保护特别规定”的企业比重", "wp.labour_protection_firms_share"),
    ("村委会成员中女性比例", "wp.village_committee_women_share"),
    ("村委会主任中女性比例", "wp.village_director_women_share"),
    ("企业董事会中女职工董事占职工董事比重", "wp.worker_director_women_share"),
    ("职代会中女代表比例", "wp.workers_congress_women_share"),
    ("市人大代表中女性比例", "wp.npc_women_share"),
    ("参加失业保险的女性人数", "wp.female_unemployment_insured"),
    ("参加基本养老保险的女性人数", "wp.female_basic_pension_insured"),
    ("女性参加城镇职工基本养老保险人数", "wp.female_pension_insured"),
    ("人民陪审员中女性比例", "wp.female_jurors_share"),
    ("城市婴儿死亡率", "cp.infant_mortality_urban"),
    ("婴儿死亡率（农村）", "cp.infant_mortality_rural"),
    ("新生儿死亡率（‰）", "cp.neonatal_mortality"),
    ("5岁以下儿童低体重率", "cp.underweight_rate"),
    ("五岁以下儿童贫血患病率", "cp.under5_anemia_rate"),
    ("十八岁以下儿童伤害死亡率", "cp.injury_mortality"),
    ("严重致残的出生缺陷发生率", "cp.severe_birth_defect_rate"),
    ("出生缺陷发生率（1/万）", "cp.birth_defect_rate"),
    ("0至6个月婴儿纯母乳喂养率", "cp.exclusive_breastfeeding_rate"),
    ("低出生体重儿发生率", "cp.low_birth_weight_rate"),
    ("艾滋病母婴传播率", "cp.hiv_mtct_rate"),
    ("小学学龄儿童净入学率", "cp.primary_net_enrolment"),
    ("小学学龄女童净入学率", "wp.primary_girls_net_enrolment"),
    ("城乡社区儿童之家覆盖率", "cp.child_friendly_space_coverage"),
    ("城乡社区儿童之家数", "cp.child_friendly_spaces"),
    ("未成年人犯罪人数占同期犯罪人数的比重", "cp.juvenile_offenders_share"),
    ("未成年人犯罪率（1/10万）", "cp.juvenile_crime_rate"),
    ("破获拐卖儿童案件数", "cp.child_trafficking_cases"),
]


@pytest.mark.parametrize(("label", "code"), NEW_NAMES)
def test_published_names_match_their_indicator(label: str, code: str) -> None:
    found = load_two_plans_catalog().match(label)
    assert found is not None and found.code == code, (label, found and found.code)


# Near misses: each names another indicator (or one the catalog lacks) and contains, or
# nearly is, a catalog name. None: the row stays unmatched and `fulian catalog unmatched`
# lists it; a code: it must be that one, never the near one.
NEAR_MISSES = [
    ("孕产妇死亡率", "wp.maternal_mortality"),
    ("孕产妇住院分娩率", "wp.hospital_delivery_rate"),
    ("孕产妇死亡人数", "wp.maternal_deaths"),
    ("婴儿死亡率", "cp.infant_mortality"),
    ("5岁以下儿童死亡率", "cp.under5_mortality"),
    ("婴儿死亡数", "cp.infant_deaths"),
    ("城市新生儿死亡率", None),  # not 新生儿死亡率
    ("流动人口孕产妇死亡率", None),  # not 孕产妇死亡率
    ("流动儿童疫苗接种率", None),  # not 儿童国家免疫规划疫苗接种率
    ("5岁以下儿童伤害死亡率", None),  # not 18岁以下儿童伤害死亡率
    ("高中阶段毛入学率（女）", None),  # a population after the name: not the total
    ("小学净入学率-女", None),
    ("女性高等教育毛入学率", None),
    ("中级专业技术人员中女性比例", None),  # a grade: not all professionals
    ("新录用公务员中女性比例", None),  # an intake: not the stock
    ("未成年人犯罪人数占全部犯罪人数比重", None),  # a share of the count, not the count
    ("活产数增长率", None),
    ("社会散居孤儿人数", "cp.orphans_scattered"),  # not 孤儿集中养育人数
    ("出生缺陷发生率", "cp.birth_defect_rate"),  # not the severe ones
    ("5岁以下儿童低体重率", "cp.underweight_rate"),  # not 低出生体重发生率
    ("5岁以下儿童生长迟缓率", "cp.stunting_rate"),
    ("人大常委会委员中女性比例", "wp.npc_standing_women_share"),  # not 人大代表中女性比例
    ("政协常委中女性比例", "wp.cppcc_standing_women_share"),
    ("居委会主任中女性比例", "wp.community_director_women_share"),  # not 居委会成员中女性比例
    ("居委会成员中女性比例", "wp.community_committee_women_share"),
    ("村委会成员中女性比例", "wp.village_committee_women_share"),  # not 居委会…
    ("生育保险参保人数", "wp.maternity_insured"),  # not 生育保险参保率
    ("生育保险参保率", "wp.maternity_insurance_rate"),
    ("新生儿疾病筛查率", "cp.newborn_screening_rate"),  # not 产前筛查率
    ("学前一年毛入园率", "cp.preschool1_gross_rate"),  # not 学前三年毛入园率
    ("出生性别比（女=100）", "cp.sex_ratio_at_birth"),  # 女=100 is a measure, not a subgroup
    ("妇女之家数", None),  # a federation work count, not an outline indicator
    ("特殊教育学校", None),
]


@pytest.mark.parametrize(("label", "code"), NEAR_MISSES)
def test_near_miss_names_do_not_match_the_wrong_indicator(label: str, code: str | None) -> None:
    found = load_two_plans_catalog().match(label)
    assert (found.code if found else None) == code, label


def _rows(csv: str) -> dict[str, tuple[float | None, str]]:
    data = csv.encode("utf-8")
    ext = extract_document(data, Hints(name="监测表.csv"), hashlib.sha256(data).hexdigest(), kind="csv")
    assert ext.doc_type == "two_plans_statistics"
    return {r.code or r.name: (r.value, r.measure) for r in ext.two_plans if r.year == 2020}


def test_a_table_with_new_rows_gives_their_codes_in_the_catalog_measure() -> None:
    """Read as a file like any submission: new rows get codes; 万人 and per-mille birth-defect
    figures come out in the catalog's measure; a row no name matches is kept as written."""
    rows = _rows("某县妇女儿童发展规划统计监测表（2020年）,,\n"
                 "指标名称,计量单位,2020年\n"
                 "孕产妇死亡率,1/10万,16.9\n"
                 "城市孕产妇死亡率,1/10万,14.1\n"
                 "村委会主任中女性比例,%,11.5\n"
                 "参加失业保险的女性人数,万人,7950\n"
                 "出生缺陷发生率,‰,13.52\n"
                 "新生儿死亡率,%,0.31\n"
                 "中级专业技术人员中女性比例,%,58.6\n")
    assert rows["wp.maternal_mortality"] == (16.9, "1/10万")
    assert rows["wp.maternal_mortality_urban"] == (14.1, "1/10万")
    assert rows["wp.village_director_women_share"] == (11.5, "%")
    assert rows["wp.female_unemployment_insured"] == (79_500_000, "人")
    assert rows["cp.birth_defect_rate"] == (135.2, "1/万")
    # % against the catalog's ‰ is not converted: the column is as likely wrong as the value
    assert rows["cp.neonatal_mortality"] == (0.31, "‰")
    assert rows["中级专业技术人员中女性比例"] == (58.6, "%")

