"""The Russian relations reading on the rules of relations 2026.11-11 (config/relations.toml,
core/analysis/relations_russian_roles.py, core/analysis/relations_russian_modality.py): blame
laid with words between, a summons to the ministry, talks at one table, «не против», answers
handed over, extraditions by a third country, indirect questions, acts still ahead, a third
country acting at one side's demand, and «на» with the accusative as an object, not a venue.
One case per rule, written for these tests in the style of Russian news (not from the labelled
sets), and the neighbours that must keep their reading."""

from __future__ import annotations

import pytest

from tests.test_relations_ru_coverage import reading


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # blame laid with words between the verb and «вину»
        ("Вашингтон возложил на Москву всю вину за срыв перемирия.", ("conflict", "us->russia")),
        (
            "Кремль и Белый дом снова перекладывают друг на друга ответственность за провал "
            "переговоров.",
            ("conflict", "mutual->mutual"),
        ),
        # a summons to the ministry
        (
            "Посла США вчера пригласили на Смоленскую площадь, чтобы вручить ему ноту.",
            ("conflict", "russia->us"),
        ),
        # talks at one table; answers handed to the other side
        (
            "Российские и американские дипломаты впервые за год сели за один стол в Эр-Рияде.",
            ("cooperation", "mutual->mutual"),
        ),
        (
            "Москва направила Вашингтону ответ на предложения по обмену пленными.",
            ("cooperation", "russia->us"),
        ),
        # «не против»: consent
        ("Вашингтон не против продолжить консультации с Москвой.", ("cooperation", "us->russia")),
        # experts of the two countries act for them, as their delegations do
        (
            "Эксперты двух стран согласовали в Вене график инспекций, сообщили в Кремле и "
            "Белом доме.",
            ("cooperation", "mutual->mutual"),
        ),
        # a bare «провели обмен» is a swap of people; of views it is talks
        (
            "Москва и Вашингтон провели обмен: на свободу вышли по три человека с каждой стороны.",
            ("cooperation", "mutual->mutual"),
        ),
        (
            "Лавров и Рубио провели обмен мнениями по Ближнему Востоку.",
            ("cooperation", "mutual->mutual"),
        ),
        # talks that ended in a row are undone: no contact credited
        ("Встреча Лаврова и Рубио в Анкаре закончилась скандалом.", ("neutral", "")),
        # an attempt to sway, judged by a side
        (
            "В МИД России назвали новые гранты Госдепа попыткой повлиять на российские выборы.",
            ("conflict", "russia->us"),
        ),
        # an extradition by a third country to one side of the other's national: its arrest
        (
            "Американский программист экстрадирован из Таиланда в Россию по делу о мошенничестве.",
            ("conflict", "russia->us"),
        ),
        (
            "Власти Польши экстрадировали в США россиянина, обвиняемого в отмывании денег.",
            ("conflict", "us->russia"),
        ),
        # a side's own hand-over stays cooperation
        (
            "Москва экстрадировала в США американца, осуждённого в России.",
            ("cooperation", "russia->us"),
        ),
        # a third country acting at one side's demand or request is that side's act
        (
            "По требованию Минфина США власти ОАЭ заблокировали счета российской компании.",
            ("conflict", "us->russia"),
        ),
        (
            "По запросу Вашингтона власти Таиланда арестовали российского программиста.",
            ("conflict", "us->russia"),
        ),
    ],
)
def test_rules_of_round_11(text: str, expected: tuple[str | None, str]) -> None:
    assert reading(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        # a third party blamed, with a side named later in the sentence
        "Песков возложил на Брюссель вину за провал инициативы Вашингтона.",
        # an indirect question whose «ли» stands before the sides joined by «и»
        "Аналитики гадают, смогут ли Россия и США вернуться к переговорам по ДСНВ.",
        "Политологи спорят, удастся ли Москве и Вашингтону договориться о встрече.",
        # a third country acting on its own
        "Власти ОАЭ заблокировали счета российской компании.",
        # a demand of a third party
        "По требованию Брюсселя власти Кипра заморозили счета российской компании.",
    ],
)
def test_neighbours_of_round_11_stay_none(text: str) -> None:
    assert reading(text)[0] is None
