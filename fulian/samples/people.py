"""Made-up personal data for registers: names, valid ID numbers (GB 11643), phone numbers."""

from __future__ import annotations

import random

SURNAMES = "王李张刘陈杨赵黄周吴徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董潘袁蔡蒋余于杜叶程魏苏吕丁任卢姚沈钟姜崔谭陆范汪廖石金贾"
GIVEN = "秀英桂兰玉珍凤霞丽娟敏静芳燕红艳梅琳雪婷欣怡佳悦思雨涵萱晨曦子诗梦瑶可馨若彤"
WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK = "10X98765432"
LIXIA_AREA = "370102"  # 济南市历下区


def id_check_digit(first17: str) -> str:
    return CHECK[sum(int(d) * w for d, w in zip(first17, WEIGHTS, strict=True)) % 11]


def valid_id(number: str) -> bool:
    return len(number) == 18 and number[:17].isdigit() and id_check_digit(number[:17]) == number[17].upper()


def id_number(rng: random.Random, year: int, female: bool = True) -> str:
    """An 18-digit resident ID with a correct check digit (the sequence digit is even for women)."""
    month, day = rng.randint(1, 12), rng.randint(1, 28)
    seq = rng.randint(0, 99) * 10 + rng.choice([0, 2, 4, 6, 8] if female else [1, 3, 5, 7, 9])
    first17 = f"{LIXIA_AREA}{year:04d}{month:02d}{day:02d}{seq:03d}"
    return first17 + id_check_digit(first17)


def name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice([1, 2])))


def mobile(rng: random.Random) -> str:
    return rng.choice(["138", "139", "150", "158", "186", "135"]) + f"{rng.randint(0, 99999999):08d}"


def landline(rng: random.Random) -> str:
    return f"0531-{rng.randint(80000000, 88999999)}"
