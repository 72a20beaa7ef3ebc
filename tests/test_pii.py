"""ID check digits, phone numbers, names in registers, and masking."""

import random

import pandas as pd
import pytest

from extract.document import Table
from extract.pii import mask, scan, valid_id

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def make_id(first17: str) -> str:
    return first17 + "10X98765432"[sum(int(d) * w for d, w in zip(first17, WEIGHTS, strict=True)) % 11]


def test_known_valid_ids() -> None:
    # published examples of GB 11643 numbers
    assert valid_id("11010519491231002X")
    assert valid_id("440524188001010014")
    assert valid_id("11010519491231002x")
    assert valid_id("１１０１０５１９４９１２３１００２Ｘ")


def test_every_wrong_check_digit_is_rejected() -> None:
    rng = random.Random(7)
    for _ in range(200):
        first = "370102" + f"{rng.randint(1950, 2012)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}" \
            + f"{rng.randint(0, 999):03d}"
        good = make_id(first)
        assert valid_id(good)
        for wrong in "0123456789X":
            if wrong != good[-1]:
                assert not valid_id(first + wrong)


@pytest.mark.parametrize("bad", ["37010219900307123", "3701021990030712345", "37010219900307123A", ""])
def test_malformed(bad: str) -> None:
    assert not valid_id(bad)


def test_scan_kinds() -> None:
    ident = make_id("37010219900307123")
    assert scan(f"身份证号{ident}").kinds == ["id_number"]
    assert scan("联系电话13812345678").kinds == ["phone"]
    assert scan("电话：0531-86012345").kinds == ["phone"]
    assert scan("培训妇女326人，文件编号2013120500012345").kinds == []
    wrong = ident[:-1] + ("0" if ident[-1] != "0" else "1")
    assert scan(f"编号{wrong}").kinds == []


def test_names_from_name_column() -> None:
    frame = pd.DataFrame([["1", "李小红", "10"], ["2", "欧阳娜娜", "9"], ["", "合计", ""]],
                         columns=["序号", "姓名", "年龄"])
    result = scan("", [Table(frame, "表1")])
    assert result.names == {"李小红", "欧阳娜娜"} and result.kinds == ["name"]


def test_mask_formats() -> None:
    assert mask("370102199003071238") == "370102********1238"
    assert mask("身份证：37010219900307123X。") == "身份证：370102********123X。"
    assert mask("手机13812345678") == "手机138****5678"
    assert mask("手机138-1234-5678") == "手机138****5678"
    assert mask("座机0531-86012345") == "座机0531-****2345"
    assert mask("电话：86012345") == "电话：****2345"
    assert mask("联系人：王秀英，") == "联系人：王**，"
    assert mask("李小红，10岁", names=["李小红"]) == "李**，10岁"


def test_mask_hides_birth_date_and_full_width() -> None:
    out = mask("３７０１０２１９９００３０７１２３８")
    assert "19900307" not in out and "１９９００３０７" not in out and out.startswith("370102")


def test_mask_leaves_ordinary_text_alone() -> None:
    text = "2013年11月5日，培训妇女326人，受理来访45件，处结率98.5%。"
    assert mask(text) == text
