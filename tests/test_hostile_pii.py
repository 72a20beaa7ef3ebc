"""Issue 14: personal data in the forms the first masking missed."""

from __future__ import annotations

import pytest

from extract.pii import mask, scan, valid_id

_W = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def _id(first17: str) -> str:
    number = first17 + "10X98765432"[sum(int(d) * w for d, w in zip(first17, _W, strict=True)) % 11]
    assert valid_id(number)
    return number


ID = _id("37010219800101123")


@pytest.mark.parametrize(("text", "masked", "kind"), [
    ("联系电话：+86 138 1234 5678", "联系电话：+86 138****5678", "phone"),
    ("手机+8613812345678。", "手机+86138****5678。", "phone"),
    ("电话(0531)86122061", "电话(0531)****2061", "phone"),
    ("电话（0531）86122061", "电话（0531）****2061", "phone"),
    ("座机0531-86122061", "座机0531-****2061", "phone"),
    ("身份证号370102800101123，", "身份证号370102******123，", "id_number"),
    (f"身份证 {ID[:6]} {ID[6:14]} {ID[14:]}", f"身份证 {ID[:6]} ******** {ID[14:]}", "id_number"),
])
def test_missed_forms_are_found_and_masked(text: str, masked: str, kind: str) -> None:
    assert mask(text) == masked
    assert kind in scan(text).kinds


@pytest.mark.parametrize("text", ["共计 12 34 56 78 90 12 34 56 78 人", "2013年参加妇女326人，培训1200人次",
                                  "文号济历妇发〔2013〕15号"])
def test_ordinary_numbers_are_left_alone(text: str) -> None:
    assert mask(text) == text
    assert scan(text).kinds == []
