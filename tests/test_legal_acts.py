"""Every legal act the UI cites is written as DOMAIN.md gives it: number, date
and issuer (data.legal_acts), never a number alone or a guessed number."""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Iterator, Mapping

import pytest

import layouts
from data import legal_acts
from data.legal_acts import uncited_forms
from data.vocabulary import CF_REGIME_TERMS, names

# the modules whose strings reach the user: vocabulary, messages, layouts,
# report forms, table headings, the demo's indicator names, metric notes
MODULES = (
    "data.vocabulary",
    "data.report_forms",
    "data.tables.spec",
    "data.demo.indicators",
    "data.metrics.child_friendly",
    "data.recognition",
    *(f"layouts.{m.name}" for m in pkgutil.iter_modules(layouts.__path__)),
)


def _strings(value: object, seen: set[int]) -> Iterator[str]:
    if id(value) in seen:
        return
    seen.add(id(value))
    if isinstance(value, str):
        yield value
    elif isinstance(value, Mapping):
        for item in value.values():
            yield from _strings(item, seen)
    elif isinstance(value, list | tuple | set | frozenset):  # and NamedTuple terms
        for item in value:
            yield from _strings(item, seen)


def ui_strings() -> Iterator[tuple[str, str]]:
    for name in MODULES:
        module = importlib.import_module(name)
        seen: set[int] = set()
        for attr, value in vars(module).items():
            if attr.startswith("__") or isinstance(value, type(module)):
                continue
            for text in _strings(value, seen):
                yield f"{name}.{attr}", text


def test_the_scanner_sees_the_strings_that_cite_acts() -> None:
    cited = [text for _, text in ui_strings() if "06/QĐ-TTg" in text]
    assert len(cited) >= 4  # the regime's name and the round notes, VI
    assert any("Luật Trẻ em số 102/2016/QH13" in text for _, text in ui_strings())


@pytest.mark.parametrize(
    "bad",
    [
        "theo QĐ 06/2019/QĐ-TTg",  # the 2019 decision has no year in its number
        "theo QĐ 06/QĐ-TTg: tháng 11/2026",  # no date, no issuer
        "Decision 06/QĐ-TTg",  # a Vietnamese number in English, no date
        "(Luật Trẻ em 2016, Điều 10)",  # no number
        "Công văn 375/LĐTBXH-TE ngày 23/12/2021",  # the seed's OCR date
        "NĐ 56/2017/NĐ-CP",
    ],
)
def test_the_scanner_refuses_a_citation_not_written_in_full(bad: str) -> None:
    assert uncited_forms(bad) != []


def test_the_written_forms_pass_the_scanner() -> None:
    for act in legal_acts.ACTS:
        assert uncited_forms(f"theo {act.vi}: tháng 11/2026") == []
        assert uncited_forms(f"under {act.en}: 11/2026") == []


def test_every_act_the_ui_cites_is_written_in_full() -> None:
    wrong = [
        (where, found, text)
        for where, text in ui_strings()
        for found in uncited_forms(text)
    ]
    assert wrong == []


def test_the_regimes_as_domain_gives_them() -> None:
    assert names(CF_REGIME_TERMS, "vi") == {
        "QD37_2010": "Quyết định 37/2010/QĐ-TTg ngày 22/4/2010 của Thủ tướng Chính phủ",
        "QD34_2014": "Quyết định 34/2014/QĐ-TTg ngày 30/5/2014 của Thủ tướng Chính phủ",
        "QD06_2019": "Quyết định 06/QĐ-TTg ngày 3/1/2019 của Thủ tướng Chính phủ",
    }
    assert names(CF_REGIME_TERMS, "en")["QD06_2019"] == (
        "Decision 06/QD-TTg of 3 January 2019 of the Prime Minister"
    )
    assert legal_acts.CV375_2021.vi == (
        "Công văn 375/LĐTBXH-TE ngày 23/2/2021 của Bộ Lao động – Thương binh và Xã hội"
    )
    assert legal_acts.QD23_2021.vi == (
        "Quyết định 23/QĐ-TTg ngày 7/1/2021 của Thủ tướng Chính phủ"
    )
