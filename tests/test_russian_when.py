"""Theme terms that count only in context: the [[themes.<id>.ru.when]] tables of
config/themes.toml, read by core/analysis/russian_context.py, and their checks in
core/analysis/russian_terms.py. Sentences written for these tests, none from the evaluation sets;
the reading of the terms is tested (the learned theme model may add a theme on its own evidence,
marked as the model's)."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.analysis.analyzer import analyze
from core.analysis.russian import RussianReader
from core.analysis.russian_model import TERM_PREFIX
from core.analysis.russian_terms import load_russian_terms
from core.config import ConfigError


def _themes(text: str) -> set[str]:
    """The themes the terms name (not the model's additions)."""
    return {m.theme for m in analyze("", text).themes if not m.term.startswith(TERM_PREFIX)}


@pytest.mark.parametrize(
    ("text", "theme", "present"),
    [
        # a detention, trial or sentence: a national of one side held by the other, or at its
        # request, or an exchange; not a domestic arrest
        ("Суд в Перми заочно арестовал блогера за пост в соцсетях.", "prisoners_consular", False),
        ("Военные задержали двух волонтёров на блокпосту.", "prisoners_consular", False),
        ("В Баварии задержан россиянин, подозреваемый в поджогах.", "prisoners_consular", False),
        ("В Калининграде суд арестовал гражданина США.", "prisoners_consular", True),
        ("Американку приговорили в Москве к шести годам колонии.", "prisoners_consular", True),
        ("Россиянина задержали в Таиланде по запросу США.", "prisoners_consular", True),
        ("Осуждённого журналиста могут включить в обмен.", "prisoners_consular", True),
        ("Гражданина США, задержанного в Шереметьеве, отпустили.", "prisoners_consular", True),
        ("Суд отправил под стражу гражданина США в Калининграде.", "prisoners_consular", True),
        ("Суд в Перми отправил под стражу блогера.", "prisoners_consular", False),
        # visas, consulates, staff and expulsions: of the US or Russia
        ("Латвия выслала эстонского дипломата.", "prisoners_consular", False),
        ("Латвия выслала российского дипломата.", "prisoners_consular", True),
        ("Генконсульство США в Екатеринбурге закрыто.", "prisoners_consular", True),
        # diplomacy: the US or Russia a party, and not another country's term
        ("Президенты Казахстана и Индии провели переговоры.", "diplomacy", False),
        ("Посол Индии в Москве рассказал о закупках нефти.", "diplomacy", False),
        ("Саммит Евросоюза завершился в Брюсселе без решения.", "diplomacy", False),
        ("Посол США в Москве встретился с Рябковым.", "diplomacy", True),
        ("Россия и США провели переговоры при посредничестве ОАЭ.", "diplomacy", True),
        ("Кремлю не удалось уговорить Вашингтон снять ограничения.", "diplomacy", True),
        ("Москва получила от Вашингтона новый вариант документа.", "diplomacy", True),
        # troops and air defence inside the fighting are the war's alone
        ("Российские войска заняли два села в Донецкой области.", "military_nato", False),
        ("Российские войска заняли два села в Донецкой области.", "ukraine_war", True),
        ("Силы ПВО сбили над Брянском двадцать беспилотников.", "military_nato", False),
        ("Войска НАТО проводят учения в Эстонии.", "military_nato", True),
        # a place is military posture's only with a military word
        ("Суд в Калининграде оштрафовал водителя.", "military_nato", False),
        ("В Калининграде разместили новые ракеты.", "military_nato", True),
        # aid, weapons and frozen assets are the war's too with Ukraine named
        ("Бундестаг одобрил выделение Киеву военной помощи.", "ukraine_war", True),
        ("Бундестаг одобрил выделение Киеву военной помощи.", "military_nato", True),
        ("Германия увеличила военную помощь Израилю.", "ukraine_war", False),
        ("ЕС направит замороженные российские активы на кредит Украине.", "ukraine_war", True),
        ("ЕС направит замороженные российские активы на кредит Украине.", "sanctions", True),
        # the GRU and campaigns in social networks: with hacking or elections named
        ("Офицеры ГРУ стояли за поджогами складов.", "cyber_election", False),
        ("Хакеры ГРУ взломали серверы избиркома.", "cyber_election", True),
        ("Кампания в соцсетях против кандидатов шла через Дубай.", "cyber_election", True),
        ("Сеть кофеен запустила кампанию в соцсетях.", "cyber_election", False),
        # a treaty of strategic partnership limits no weapons
        ("Госдума одобрила договор о стратегическом партнёрстве с Ираном.", "arms_control", False),
        # round 12: an embassy, diplomats or an agreement in a sentence about consular access,
        # an expulsion or a release are consular affairs alone
        (
            "Посольство США добивается консульского доступа к задержанной туристке.",
            "diplomacy",
            False,
        ),
        (
            "Посольство США добивается консульского доступа к задержанной туристке.",
            "prisoners_consular",
            True,
        ),
        ("Польша выслала троих сотрудников российского посольства.", "diplomacy", False),
        ("Американские дипломаты провели в Москве приём по случаю праздника.", "diplomacy", True),
        ("Контакты Москвы и Вашингтона по этому вопросу продолжаются.", "diplomacy", True),
        # envoys and foreign ministries: with a side named
        ("Спецпредставитель ООН по Сирии прибыл в Дамаск.", "diplomacy", False),
        ("Спецпосланник США прилетел в Москву.", "diplomacy", True),
        # missiles and nuclear forces: arms control only where limits are the subject
        ("Армия провела учебные пуски межконтинентальных ракет.", "arms_control", False),
        ("Армия провела учебные пуски межконтинентальных ракет.", "military_nato", True),
        ("Стороны обсудили ограничение ракет средней дальности.", "arms_control", True),
        # air defence for Kyiv is the war's too
        ("Германия передаст Киеву ещё две системы ПВО.", "ukraine_war", True),
        ("Израиль закупил новые системы ПВО.", "ukraine_war", False),
        # a ministry's name is no trade story
        ("Министерство торговли США опубликовало доклад.", "energy_trade", False),
    ],
)
def test_a_conditional_term_counts_only_in_its_context(
    text: str, theme: str, present: bool
) -> None:
    assert (theme in _themes(text)) is present


def test_a_term_whose_condition_fails_is_no_evidence_for_the_model_either() -> None:
    # its span is read like a false friend's: the theme model does not see «арестовал»
    reader = RussianReader(load_russian_terms(), model=False)
    text = "Суд в Перми арестовал блогера."
    *_, evidence, _tokens, hidden = reader.read("", text)
    assert not evidence[0]
    assert (text.index("арестовал"), text.index(" блогера")) in hidden[1]


def _copy(tmp_path: Path) -> tuple[Path, Path]:
    root = Path(__file__).resolve().parent.parent / "config"
    themes, actors = tmp_path / "themes.toml", tmp_path / "actors.toml"
    themes.write_text((root / "themes.toml").read_text(encoding="utf-8"), encoding="utf-8")
    actors.write_text((root / "actors.toml").read_text(encoding="utf-8"), encoding="utf-8")
    return themes, actors


@pytest.mark.parametrize(
    ("old", "new", "line", "header", "message"),
    [
        ('sides = "both"', 'sides = "all"', 'sides = "all"', False, "sides must be one of"),
        ("owned_by_side = true", 'owned_by_side = "yes"', '"yes"', True, "must be true or false"),
        ('unless_themes = ["ukraine_war"]', 'unless_themes = ["ua"]', '["ua"]', False, "no other"),
        ('unless_themes = ["ukraine_war"]', 'colour = "red"', "colour", True, "key 'colour'"),
        ('unless_themes = ["ukraine_war"]\n', "", '"войска", "военнослужащий"', True, "no cond"),
        (
            '"=ГРУ", "кампания в соцсетях"',
            '"хакер", "=ГРУ", "кампания в соцсетях"',
            '"хакер", "=ГРУ"',
            False,
            "also",
        ),
        ('"госизмена"', '"гос*измена"', '"гос*измена"', False, "'*' may only end a term"),
        (
            'terms = ["уговорить", "уговаривать", "переубедить"]',
            "terms = []",
            "terms = []",
            True,
            "no terms",
        ),
    ],
)
def test_a_bad_when_table_is_named_with_its_file_line_and_entry(
    tmp_path: Path, old: str, new: str, line: str, header: bool, message: str
) -> None:
    themes, actors = _copy(tmp_path)
    source = themes.read_text(encoding="utf-8")
    assert old in source
    themes.write_text(source.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(ConfigError) as error:
        load_russian_terms(themes, actors)
    lines = themes.read_text(encoding="utf-8").splitlines()
    at = next(number for number, text in enumerate(lines, 1) if line in text)
    if header:  # the table's own line: the last [[themes.<id>.ru.when]] before it
        at = max(number for number, text in enumerate(lines[:at], 1) if ".ru.when]]" in text)
    assert f"{themes}:{at}:" in str(error.value), str(error.value)
    assert message in str(error.value) and "ru.when" in str(error.value)
