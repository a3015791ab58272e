"""The legal acts the dashboard cites, written once as DOMAIN.md gives them.

Every act shown to a user is written with its number, its date and its issuer
(``vi``/``en``): "Quyết định 06/QĐ-TTg ngày 3/1/2019 của Thủ tướng Chính phủ",
never a number alone and never a guessed form such as "06/2019/QĐ-TTg" (the 2019
child-friendly decision carries no year in its number).  Where DOMAIN.md gives an
act's entry-into-force date but not its signing date, that date is written as
such.  ``tests/test_legal_acts.py`` scans the UI's strings (vocabulary, messages,
report forms) and refuses any act number not written in one of these forms.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import NamedTuple


class Act(NamedTuple):
    number: str  # as the act writes it, e.g. "06/QĐ-TTg"
    vi: str
    en: str
    signed: dt.date | None  # None: DOMAIN.md does not give the signing date


PRIME_MINISTER = ("của Thủ tướng Chính phủ", "of the Prime Minister")
MOLISA = (
    "của Bộ Lao động – Thương binh và Xã hội",
    "of the Ministry of Labour, Invalids and Social Affairs",
)


MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def _decision(number: str, day: dt.date) -> Act:
    ascii_number = number.replace("Đ", "D")
    month = MONTHS[day.month - 1]
    signed = f"{day.day}/{day.month}/{day.year}"
    return Act(
        number,
        f"Quyết định {number} ngày {signed} {PRIME_MINISTER[0]}",
        f"Decision {ascii_number} of {day.day} {month} {day.year} {PRIME_MINISTER[1]}",
        day,
    )


# Child-friendly communes (DOMAIN.md section 1): the three regimes.
QD37_2010 = _decision("37/2010/QĐ-TTg", dt.date(2010, 4, 22))
QD34_2014 = _decision("34/2014/QĐ-TTg", dt.date(2014, 5, 30))
QD06_2019 = _decision("06/QĐ-TTg", dt.date(2019, 1, 3))
# National programme targets (sections 3 and 6).
QD23_2021 = _decision("23/QĐ-TTg", dt.date(2021, 1, 7))
# The Law on Children (section 0): DOMAIN.md gives the day it came into force.
CHILDREN_LAW = Act(
    "102/2016/QH13",
    "Luật Trẻ em số 102/2016/QH13 của Quốc hội, có hiệu lực từ 1/6/2017",
    "Law on Children No. 102/2016/QH13 of the National Assembly, "
    "in force from 1 June 2017",
    None,
)
# Abuse response clocks (section 0); DOMAIN.md gives no signing date.
ND56_2017 = Act(
    "56/2017/NĐ-CP",
    "Nghị định 56/2017/NĐ-CP của Chính phủ",
    "Decree 56/2017/ND-CP of the Government",
    None,
)
# Action Month (section 0); DOMAIN.md gives no signing date.
TT28_2019 = Act(
    "28/2019/TT-BLĐTBXH",
    f"Thông tư 28/2019/TT-BLĐTBXH {MOLISA[0]}",
    f"Circular 28/2019/TT-BLDTBXH {MOLISA[1]}",
    None,
)
# Statistics on children (section 5).
TT13_2021 = Act(
    "13/2021/TT-BLĐTBXH",
    f"Thông tư 13/2021/TT-BLĐTBXH ngày 30/9/2021 {MOLISA[0]}",
    f"Circular 13/2021/TT-BLDTBXH of 30 September 2021 {MOLISA[1]}",
    dt.date(2021, 9, 30),
)
# MOLISA guidance on child work 2021 (section 0: not "37§ ... 23/12/2021").
CV375_2021 = Act(
    "375/LĐTBXH-TE",
    f"Công văn 375/LĐTBXH-TE ngày 23/2/2021 {MOLISA[0]}",
    f"Official letter 375/LDTBXH-TE of 23 February 2021 {MOLISA[1]}",
    dt.date(2021, 2, 23),
)

ACTS = (
    QD37_2010,
    QD34_2014,
    QD06_2019,
    QD23_2021,
    CHILDREN_LAW,
    ND56_2017,
    TT28_2019,
    TT13_2021,
    CV375_2021,
)

# An act number as Vietnamese acts write it (or its ASCII English spelling):
# 06/QĐ-TTg, 34/2014/QĐ-TTg, 56/2017/NĐ-CP, 102/2016/QH13, 375/LĐTBXH-TE ...
CITATION = re.compile(
    r"\b\d{1,4}/(?:\d{4}/)?(?:QĐ|QD|NĐ|ND|TT|QH\d{2}|LĐTBXH|LDTBXH)[-A-Za-zĐđ0-9]*"
    # an act named without its number: "QĐ 06", "Luật Trẻ em 2016", "Decree 56"
    r"|\b(?:QĐ|QD|NĐ|ND|TT|CV|Quyết định|Nghị định|Thông tư|Công văn|Decision"
    r"|Decree|Circular|Official letter) (?:số )?\d+"
    r"|Luật Trẻ em|Law on Children"
)


def uncited_forms(text: str) -> list[str]:
    """Act citations in ``text`` that are not one of the acts' written forms."""
    rest = text
    for act in ACTS:
        rest = rest.replace(act.vi, "").replace(act.en, "")
    return CITATION.findall(rest)
