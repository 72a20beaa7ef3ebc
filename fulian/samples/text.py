"""Chinese wording helpers: number styles, unit names, dates and stock sentences."""

from __future__ import annotations

import random

from schemas.units import load_registry

DIGITS = "零一二三四五六七八九"
FULLWIDTH = str.maketrans("0123456789.%,", "０１２３４５６７８９．％，")

# Communities are not in the registry: documents from them are "new communities".
COMMUNITIES: dict[str, list[str]] = {
    "jiefanglu": ["山水社区", "历山东路社区"], "qianfoshan": ["佛山苑社区", "历山名郡社区"],
    "baotuquan": ["南券门巷社区", "正觉寺社区"], "quanchenglu": ["芙蓉街社区", "县西巷社区"],
    "daminghu": ["鞭指巷社区", "百花洲社区"], "dongguan": ["青龙街社区", "山水沟社区"],
    "wendong": ["青年东路社区", "东仓社区"], "jianxin": ["建新第一社区", "窑头社区"],
    "dianliu": ["甸柳第一社区", "新东苑社区"], "yanshan": ["燕子山社区", "和平新村社区"],
    "yaojia": ["兴隆庄社区", "姚家庄社区"], "longdong": ["龙洞庄社区", "锦屏家园社区"],
    "zhiyuan": ["智慧城社区", "远大花园社区"],
}


def streets() -> list[str]:
    """Street codes in registry order."""
    return [u.code for u in load_registry().units.values() if u.level == "street"]


def base(code: str) -> str:
    """解放路 for jiefanglu."""
    unit = load_registry().get(code)
    assert unit is not None and unit.base, code
    return unit.base


def street_name(code: str, style: int = 0) -> str:
    """The ways a street federation signs: 泉城路街道妇联, 泉城路街道办事处妇联 …"""
    suffixes = ("街道妇联", "街道办事处妇联", "街道妇女联合会", "街道")
    return base(code) + suffixes[style % len(suffixes)]


def community_full_name(street: str, community: str) -> str:
    return f"{base(street)}街道{community}妇联"


def cn_number(n: int, liang: bool = False) -> str:
    """Chinese numerals for 0..99,999,999: 326 → 三百二十六, 1200 → 一千二百, 2 → 两 (liang)."""
    if n < 0:
        raise ValueError(n)
    if n >= 10000:
        high, low = divmod(n, 10000)
        rest = cn_number(low) if low else ""
        zero = "零" if low and low < 1000 else ""
        return cn_number(high) + "万" + zero + rest
    if n == 0:
        return "零"
    if n == 2 and liang:
        return "两"
    out, pending_zero = "", False
    for value, mark in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        digit, n = divmod(n, value)
        if digit:
            if pending_zero:
                out += "零"
            out += ("" if (value == 10 and digit == 1 and not out) else DIGITS[digit]) + mark
            pending_zero = False
        elif out:
            pending_zero = True
    return out


def cn_year(year: int) -> str:
    """2013 → 二〇一三."""
    return "".join("〇一二三四五六七八九"[int(d)] for d in str(year))


def fmt_number(n: float, rng: random.Random, styles: tuple[str, ...] = ("arabic",)) -> str:
    """Write a number in one of the styles: arabic, fullwidth, chinese, comma, liang."""
    style = rng.choice(styles)
    text = f"{n:g}" if isinstance(n, float) and not n.is_integer() else str(int(n))
    if style == "fullwidth":
        return text.translate(FULLWIDTH)
    if style == "chinese" and float(n).is_integer():
        return cn_number(int(n), liang=False)
    if style == "comma" and n >= 1000:
        return f"{int(n):,}"
    return text


def cn_date(year: int, month: int, day: int, rng: random.Random | None = None) -> str:
    if rng is not None and rng.random() < 0.15:
        return f"{cn_year(year)}年{cn_number(month)}月{cn_number(day)}日"
    return f"{year}年{month}月{day}日"


OPENINGS = [
    "{year}，{unit}在街道党工委和区妇联的正确领导下，认真贯彻落实党的十八大精神，紧紧围绕全区中心工作，"
    "以服务妇女儿童为宗旨，扎实推进基层妇联工作规范化建设，各项工作取得了新的进展。现将{span}工作总结如下：",
    "{year}以来，{unit}按照区妇联的工作部署，坚持“党建带妇建、妇建服务党建”的原则，"
    "团结带领辖区广大妇女建功立业，较好地完成了各项目标任务。现将有关情况汇报如下：",
    "今年以来，我们认真落实历下妇发〔2013〕12号文件精神，围绕组织建设、宣传教育、妇女发展、"
    "妇女维权、儿童工作和两规实施六个方面，扎实开展工作。具体情况总结如下：",
]
CLOSINGS = [
    "回顾{span}的工作，我们也清醒地看到存在的不足：一是妇女之家活动阵地面积偏小；二是基层妇联干部多为兼职，"
    "业务能力有待提高。",
    "在看到成绩的同时，我们也认识到工作中还存在一些问题，主要是工作创新不够，宣传力度有待加强。",
    "工作中也存在一些不足，如部分社区妇代会活动开展不够经常，妇女群众参与面还不够广。",
]
FILLERS = [
    "深入开展“中国梦”系列主题教育活动，组织辖区妇女学习宣传党的十八大精神。",
    "围绕“三八”国际劳动妇女节，组织开展了文艺汇演、健康讲座等系列庆祝活动。",
    "积极开展“平安家庭”创建活动，营造和谐稳定的社区环境。",
    "深化“五好文明家庭”创建活动，推动家庭文化建设。",
    "组织巾帼志愿者深入社区开展学雷锋志愿服务活动，受到居民群众好评。",
    "六一期间，走访慰问辖区困难儿童，为孩子们送去学习用品和节日祝福。",
    "加强妇女之家规范化建设，做到妇联各项工作进“家”、工作载体进“家”、基层妇女群众进“家”。",
]
