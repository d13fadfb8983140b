"""Relations events in Russian (core/analysis/relations_russian.py): every category with its
Russian phrase and direction, inflected forms, direction by case (passives, fronted objects,
places), negation, hypotheticals, reported speech, false friends, the Russian half of the lexicon
file and its errors, and spans (property test)."""

from __future__ import annotations

import dataclasses
import functools
import json
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.analysis.analyzer import Analyzer, analyze, default_analyzer
from core.analysis.relations import HYPOTHETICAL_SHARE, REFUSAL_WEIGHT
from core.analysis.relations_lexicon import default_relations, load_relations
from core.analysis.relations_russian import RussianRelationsReader
from core.analysis.russian import default_russian_reader
from core.config import CONFIG_DIR, ConfigError
from core.dashboard.annotate import annotate
from core.models import AnalyzedArticle, Filters, RelationEvent
from core.storage import Store
from tests.fixtures_db import analysed

# (category, sentence, the phrase read, source, target)
CATEGORY_CASES = [
    ("praise", "Кремль приветствовал решение Вашингтона.", "приветствовал", "russia", "us"),
    ("approve", "Лавров назвал переговоры с американцами конструктивными.", "конструктивными",
     "russia", "us"),
    ("thank", "Путин поблагодарил Трампа за полученные сведения.", "поблагодарил", "russia", "us"),
    ("consult", "Уиткофф провёл переговоры с Путиным в Петербурге.", "провёл переговоры", "us",
     "russia"),
    ("agree_talks", "Москва согласилась провести переговоры с Вашингтоном.",
     "согласилась провести переговоры", "russia", "us"),
    ("agree", "Россия приняла американское предложение.", "приняла американское предложение",
     "russia", "us"),
    ("propose", "Рубио предложил Лаврову новый канал связи.", "предложил", "us", "russia"),
    ("readiness", "Москва готова работать с администрацией Трампа.", "готова", "russia", "us"),
    ("sign_agreement", "Вашингтон подписал меморандум с Москвой.", "подписал меморандум", "us",
     "russia"),
    ("release_prisoners", "Россия освободила двух граждан США.", "освободила", "russia", "us"),
    ("swap_prisoners", "Россия и США провели обмен заключёнными.", "провели обмен заключёнными",
     "mutual", "mutual"),
    ("ease_sanctions", "Вашингтон снял санкции с «Аэрофлота».", "снял санкции", "us", "russia"),
    ("license", "Минфин США выдал генеральную лицензию «Роснефти».", "выдал генеральную лицензию",
     "us", "russia"),
    ("restore_relations", "Москва восстановила работу посольства США.",
     "восстановила работу", "russia", "us"),
    ("hand_over", "Россия экстрадировала подозреваемого американским следователям.",
     "экстрадировала", "russia", "us"),
    ("exchange_data", "ФБР передало российским спецслужбам разведданные.",
     "передало российским спецслужбам разведданные", "us", "russia"),
    ("resume_flights", "«Аэрофлот» возобновил рейсы в США.", "возобновил рейсы", "russia", "us"),
    ("accuse", "Лавров обвинил Вашингтон в систематической лжи.", "обвинил", "russia", "us"),
    ("charge", "Захарова заявила, что политика США — это чистая русофобия.", "русофобия",
     "russia", "us"),
    ("condemn", "Белый дом осудил российский удар.", "осудил", "us", "russia"),
    ("protest", "Москва вызвала посла США в МИД.", "вызвала посла", "russia", "us"),
    ("criticise", "Рубио раскритиковал позицию Кремля.", "раскритиковал", "us", "russia"),
    ("mock", "Медведев высмеял американского президента.", "высмеял", "russia", "us"),
    ("dismiss", "Песков отмахнулся от американского доклада.", "отмахнулся", "russia", "us"),
    ("warn", "Вашингтон предупредил Москву о последствиях.", "предупредил", "us", "russia"),
    ("threaten", "Трамп пригрозил России пошлинами.", "пригрозил", "us", "russia"),
    ("demand", "Москва потребовала извинений от Вашингтона.", "потребовала", "russia", "us"),
    ("reject", "Кремль отверг американский план.", "отверг", "russia", "us"),
    ("deny", "Москва опровергла американские обвинения в причастности к атакам на выборы.",
     "опровергла", "russia", "us"),
    ("impose_sanctions", "Вашингтон ввёл новые санкции против российских банков.",
     "ввёл новые санкции", "us", "russia"),
    ("expel", "Россия выслала двух американских дипломатов.", "выслала", "russia", "us"),
    ("close_mission", "Вашингтон закрыл российское консульство в Сан-Франциско.",
     "закрыл российское консульство", "us", "russia"),
    ("seize_assets", "США конфисковали яхту российского олигарха.", "конфисковали", "us",
     "russia"),
    ("indict", "Американские прокуроры предъявили обвинения российскому хакеру.",
     "предъявили обвинения", "us", "russia"),
    ("arrest", "Российская полиция задержала американского учителя.", "задержала", "russia", "us"),
    ("suspend_treaty", "Россия приостановила участие в договоре с США.",
     "приостановила участие", "russia", "us"),
    ("intercept", "Американские истребители перехватили российские бомбардировщики у Аляски.",
     "перехватили", "us", "russia"),
    ("hack", "Российские хакеры взломали американские водоканалы.", "взломали", "russia", "us"),
    ("harass", "Российский истребитель преследовал американский беспилотник над Чёрным морем.",
     "преследовал", "russia", "us"),
    ("retaliate", "Москва приняла ответные меры против Вашингтона.", "ответные меры", "russia",
     "us"),
]  # fmt: skip


def events_of(text: str) -> tuple[RelationEvent, ...]:
    return analyze("", text).relations.events


def described(text: str) -> list[tuple[str, str, str, str, bool, bool]]:
    return [
        (text[e.start : e.end], e.category, e.source, e.target, e.negated, e.hypothetical)
        for e in events_of(text)
    ]


def test_every_category_has_russian_phrases_and_a_case() -> None:
    lexicon = default_relations()
    assert lexicon.ru is not None
    assert set(lexicon.ru.phrases) == set(lexicon.by_code)
    assert all(lexicon.ru.phrases[code] for code in lexicon.by_code)
    assert {case[0] for case in CATEGORY_CASES} == set(lexicon.by_code)


@pytest.mark.parametrize(("category", "text", "phrase", "source", "target"), CATEGORY_CASES)
def test_each_category_in_russian_with_its_phrase_and_direction(
    category: str, text: str, phrase: str, source: str, target: str
) -> None:
    analysis = analyze("", text)
    assert analysis.lang == "ru"
    found = [e for e in analysis.relations.events if e.category == category]
    assert found, f"no {category} event in {text!r}: {described(text)}"
    event = found[0]
    assert text[event.start : event.end] == phrase
    assert (event.source, event.target) == (source, target)
    assert not event.negated and not event.hypothetical
    assert event.weight == default_relations().by_code[category].weight


# (sentence, phrase, category): the same act in other cases, numbers, tenses and aspects
INFLECTION_CASES = [
    ("Москва высылает американских дипломатов.", "высылает", "expel"),
    ("Американские дипломаты были высланы из России.", "высланы", "expel"),
    ("Россия объявила о высылке американских дипломатов.", "высылке", "expel"),
    ("США вводили санкции против России десятками.", "вводили санкции", "impose_sanctions"),
    ("Вашингтон объявил о введении санкций против Москвы.", "введении санкций",
     "impose_sanctions"),
    ("Москва обвиняет Вашингтон во вмешательстве.", "обвиняет", "accuse"),
    ("Россия и США обменялись заключёнными.", "обменялись заключёнными", "swap_prisoners"),
    ("Лавров обсудил с Рубио ситуацию на Украине.", "обсудил", "consult"),
]  # fmt: skip


@pytest.mark.parametrize(("text", "phrase", "category"), INFLECTION_CASES)
def test_inflected_forms_are_read(text: str, phrase: str, category: str) -> None:
    assert (phrase, category) in [(d[0], d[1]) for d in described(text)], described(text)


# (sentence, category, source, target): who acts on whom, as Russian marks it
DIRECTION_CASES = [
    # a nominative subject before the verb
    ("США обвинили Россию в кибератаках.", "accuse", "us", "russia"),
    ("Россию обвинили в кибератаках в Вашингтоне.", "accuse", "us", "russia"),  # fronted object
    ("Российских дипломатов выслали из США.", "expel", "us", "russia"),  # fronted object
    ("Американских дипломатов выслали из Москвы.", "expel", "russia", "us"),
    ("В Вашингтоне ввели санкции против России.", "impose_sanctions", "us", "russia"),  # place
    ("Американский журналист был задержан в Москве.", "arrest", "russia", "us"),  # passive
    ("Решение Белого дома было высоко оценено Кремлём.", "praise", "russia", "us"),  # agent
    ("Российские банки попали под санкции США.", "impose_sanctions", "us", "russia"),
    ("Представитель Госдепа обвинил Москву во лжи.", "accuse", "us", "russia"),  # genitive
    ("Лавров и Рубио договорились о новой встрече.", "agree_talks", "mutual", "mutual"),
    ("Переговоры России и США прошли в Стамбуле.", "consult", "mutual", "mutual"),
    ("Рябков обвинил Вашингтон в срыве договорённостей.", "accuse", "russia", "us"),
    ("Вашингтон передал Москве предложения по урегулированию украинского конфликта.", "propose",
     "us", "russia"),  # an object of the other side just before the act
    ("Россия передала США список американцев, которых она готова освободить.", "readiness",
     "russia", "us"),  # a pronoun subject is the sentence's first party
    ("Глава МИД России Сергей Лавров и госсекретарь США Марко Рубио встретились в Эр-Рияде.",
     "consult", "mutual", "mutual"),  # joined subjects with their titles
    ("В Кремле положительно оценили итоги встречи Путина и Уиткоффа.", "praise", "russia", "us"),
    ("Делегации России и США провели переговоры в Женеве.", "consult", "mutual", "mutual"),
    ("Минфин США выдал лицензию, разрешающую сделки с «Роснефтью».", "license", "us", "russia"),
    ("Вашингтон передал российской стороне через посредников важные данные.", "exchange_data",
     "us", "russia"),  # the recipient between the verb and its object
    ("Вашингтон открыт для диалога с Москвой.", "readiness", "us", "russia"),  # not a passive
    ("ФБР передало российским коллегам сведения о подозреваемых в подготовке теракта.",
     "exchange_data", "us", "russia"),  # the verb's own object, not a noun of its complement
]  # fmt: skip


@pytest.mark.parametrize(("text", "category", "source", "target"), DIRECTION_CASES)
def test_direction(text: str, category: str, source: str, target: str) -> None:
    found = [(d[2], d[3]) for d in described(text) if d[1] == category]
    assert found and found[0] == (source, target), described(text)


NO_EVENT_CASES = [
    "Лавров обвинил Киев в срыве переговоров.",  # a third party is the target
    "Россия и США осудили теракт.",  # both sides against a third party: no reciprocal cue
    "Задержанный в Москве американец дал показания.",  # a participle used as an adjective
    "Вашингтон ввёл санкции против иранских поставщиков беспилотников.",
    "Путин и Трамп выступили на разных площадках.",
    "Со стороны США заявлений не было, а Москва промолчала.",
    "Американские власти задержали рейс из-за погоды; в Москве его ждали пассажиры.",
    "Москва освободила населённый пункт, сообщили российские военные; в США это не комментировали.",
    "Американца задержали в Париже по подозрению в краже; в Москве об этом узнали из новостей.",
    "Российский и американский хоккеисты встретились в финале.",  # not acting for a state
    "В Москве и Вашингтоне вспомнили годовщину подписания договора.",  # an act referred to
    "Москва так и не дождалась ответа на предложения Вашингтона.",
]


def test_a_noun_act_in_the_complement_of_another_is_not_an_act_of_its_own() -> None:
    """«в срыве договорённостей» is what the accusation is about, not an agreement."""
    text = "США и Россия обменялись обвинениями в срыве договорённостей."
    assert [d[1:4] for d in described(text)] == [("accuse", "mutual", "mutual")], described(text)


@pytest.mark.parametrize("text", NO_EVENT_CASES)
def test_no_us_russia_event(text: str) -> None:
    assert described(text) == [], described(text)


# (sentence, category, negated, hypothetical, weight share of the category's weight or a value)
MODALITY_CASES = [
    ("Москва не будет высылать американских дипломатов.", "expel", True, False, 0.0),
    ("Вашингтон не стал вводить новые санкции против России.", "impose_sanctions", True, False,
     0.0),
    ("США отказались снимать санкции с российских банков.", "ease_sanctions", True, False,
     REFUSAL_WEIGHT),
    ("Кремль так и не принял американское предложение.", "agree", True, False, REFUSAL_WEIGHT),
    ("Вашингтон может ввести пошлины против России.", "impose_sanctions", False, True, None),
    ("Россия могла бы выслать американских дипломатов.", "expel", False, True, None),
    ("Если Вашингтон введёт санкции против России, Москва ответит.", "impose_sanctions", False,
     True, None),
    ("В случае поставок ракет Москва разорвёт отношения с США.", "close_mission", False, True,
     None),
    ("Москва не исключила высылки американских дипломатов.", "expel", False, True, None),
    ("США введут санкции против российских банков.", "impose_sanctions", False, True, None),
    ("Трамп пригрозил ввести санкции против России.", "impose_sanctions", False, True, None),
    ("Россия не только выслала американских дипломатов, но и закрыла консульство США.", "expel",
     False, False, None),
]  # fmt: skip


@pytest.mark.parametrize(("text", "category", "negated", "hypothetical", "weight"), MODALITY_CASES)
def test_negation_and_hypotheticals(
    text: str, category: str, negated: bool, hypothetical: bool, weight: float | None
) -> None:
    found = [e for e in events_of(text) if e.category == category]
    assert found, described(text)
    event = found[0]
    assert (event.negated, event.hypothetical) == (negated, hypothetical), described(text)
    full = default_relations().by_code[category].weight
    if weight is not None:
        assert event.weight == weight
    elif hypothetical:
        assert event.weight == full * HYPOTHETICAL_SHARE
    else:
        assert event.weight == full


# (sentence, category, source, target): a judgement is the speaker's act
SPEECH_CASES = [
    ("Захарова назвала выступления представителей Госдепа провокацией.", "charge", "russia", "us"),
    ("Заявления Вашингтона — провокация, заявила Захарова.", "charge", "russia", "us"),
    ("В Кремле назвали ограничения США незаконными.", "charge", "russia", "us"),
    ("По словам Пескова, разговор с американской стороной был конструктивным.", "approve",
     "russia", "us"),
    ("Рубио назвал беседу с Лавровым продуктивной.", "approve", "us", "russia"),
    ("Кремль: действия Вашингтона — проявление русофобии.", "charge", "russia", "us"),
    ("Захарова заявила, что США ввели санкции против российских компаний.", "impose_sanctions",
     "us", "russia"),
]  # fmt: skip


@pytest.mark.parametrize(("text", "category", "source", "target"), SPEECH_CASES)
def test_reported_speech(text: str, category: str, source: str, target: str) -> None:
    found = [(d[2], d[3]) for d in described(text) if d[1] == category]
    assert found and found[0] == (source, target), described(text)


def test_a_russian_article_gets_a_reading_and_a_headline_reading() -> None:
    analysis = analyze(
        "Москва выслала американских дипломатов",
        "МИД России объявил о высылке двух сотрудников посольства США. "
        "Песков при этом назвал недавний разговор Путина и Трампа конструктивным.",
    )
    assert analysis.lang == "ru" and analysis.relevant
    assert analysis.title_relations.label == "conflict"
    categories = [e.category for e in analysis.relations.events]
    assert categories == ["expel", "expel", "approve"]
    assert [e.field for e in analysis.relations.events] == ["title", "text", "text"]
    assert analysis.relations.score == round((-7 - 7 + 3) / 3 / 10, 4)
    assert analysis.relations.label == "conflict"


def test_an_english_only_lexicon_reads_no_russian_events(tmp_path: Path) -> None:
    path = tmp_path / "relations.toml"
    path.write_text(GOOD_EN, encoding="utf-8")
    lexicon = load_relations(path)
    assert lexicon.ru is None
    analyzer = Analyzer(default_analyzer().lexicon, default_analyzer().gazetteer, relations=lexicon)
    analysis = analyzer.analyze("", "Россия выслала двух американских дипломатов.")
    assert analysis.lang == "ru" and analysis.relations.events == ()


# --- the lexicon file ---------------------------------------------------------------------------

GOOD_EN = """version = "t1"
[categories.expel]
quad = "material_conflict"
weight = -7
phrases = ["expel*"]
"""
GOOD = (
    GOOD_EN
    + """[categories.expel.ru]
phrases = ["выслать", "предписать ... покинуть|оставить"]
exclude = ["выслать почтой"]
[ru.parties]
mutual = ["две страны"]
[ru.cues]
negation = ["не"]
neutral = ["не только"]
"""
)


def test_a_small_russian_lexicon_loads_and_reads(tmp_path: Path) -> None:
    path = tmp_path / "relations.toml"
    path.write_text(GOOD, encoding="utf-8")
    lexicon = load_relations(path)
    assert lexicon.ru is not None and lexicon.ru.phrases == {
        "expel": ("выслать", "предписать ... покинуть|оставить")
    }
    analyzer = Analyzer(default_analyzer().lexicon, default_analyzer().gazetteer, relations=lexicon)
    text = "Москва предписала двум американским дипломатам покинуть страну."
    events = analyzer.analyze("", text).relations.events
    assert [(text[e.start : e.end], e.source, e.target) for e in events] == [
        ("предписала двум американским дипломатам покинуть", "russia", "us")
    ]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (GOOD.replace('"выслать", ', '"выслать", "", '),
         ":7: category 'expel' (ru): empty phrase ''"),
        (GOOD.replace("покинуть|оставить", "покинуть|"),
         ":7: category 'expel' (ru): empty alternative"),
        (GOOD.replace("exclude = [", "exclude = [\"*\", "), ":8: category 'expel' (ru): exclude"),
        (GOOD.replace('exclude = ["выслать почтой"]', 'excludes = ["x"]'),
         ":8: category 'expel' (ru): unknown key 'excludes'"),
        (GOOD.replace('phrases = ["выслать", "предписать ... покинуть|оставить"]', "phrases = []"),
         ":6: category 'expel' has no Russian phrases"),
        (GOOD.replace("[categories.expel.ru]", "[categories.expel.rus]"),
         ":2: category 'expel': unknown key 'rus'"),
        (GOOD.replace("[ru.cues]\nnegation", "[ru.cues]\nnegations"),
         ":12: unknown ru.cues list 'negations'"),
        (GOOD.replace("[ru.parties]\nmutual", "[ru.parties]\nboth"),
         ":10: unknown ru.parties list 'both'"),
        (GOOD + "[ru.extra]\nx = 1\n", ":14: unknown table 'ru.extra'"),
        (GOOD.replace(GOOD[len(GOOD_EN) : GOOD.index("[ru.parties]")], ""),
         ":2: category 'expel' has no Russian phrases"),
    ],
)  # fmt: skip
def test_a_malformed_russian_half_is_refused_naming_file_line_and_entry(
    tmp_path: Path, content: str, message: str
) -> None:
    path = tmp_path / "relations.toml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ConfigError, match=re.escape(message)) as caught:
        load_relations(path)
    assert str(caught.value).startswith(f"{path}:")


def test_the_shipped_file_documents_its_russian_half() -> None:
    text = (CONFIG_DIR / "relations.toml").read_text(encoding="utf-8")
    assert "[categories.expel.ru]" in text and "[ru.cues]" in text


# --- spans ----------------------------------------------------------------------------------------

SENTENCES = (
    [case[1] for case in CATEGORY_CASES]
    + [case[0] for case in INFLECTION_CASES]
    + [case[0] for case in DIRECTION_CASES]
    + [case[0] for case in MODALITY_CASES]
)
FILLER = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=40)
CYRILLIC = st.text(alphabet="абвгдеёжзийклмнопрстуфхцчшщъыьэюя АБВГДЕЁ,.—«»-", max_size=30)


@functools.cache
def reader() -> RussianRelationsReader:
    """One reader for the checks (compiling one costs ~0.3 s; it only memoises pure lookups)."""
    return RussianRelationsReader(default_relations(), default_russian_reader().terms)


@settings(max_examples=150, deadline=None)
@given(
    before=st.one_of(FILLER, CYRILLIC),
    sentences=st.lists(st.sampled_from(SENTENCES), min_size=1, max_size=4),
    after=st.one_of(FILLER, CYRILLIC),
)
def test_every_russian_event_span_slices_the_text_to_its_phrase(
    before: str, sentences: list[str], after: str
) -> None:
    text = " ".join([before, *sentences, after])
    title = before[:20]
    check = reader()
    for event in analyze(title, text).relations.events:
        field = text if event.field == "text" else title
        span = field[event.start : event.end]
        assert span and span == span.strip()
        assert check.matches(event.category, span), (event.category, span)


# --- stored and shown like English ------------------------------------------------------------

RU_TITLE = "Москва выслала американских дипломатов"
RU_TEXT = (
    "МИД России объявил о высылке двух сотрудников посольства США. "
    "Песков при этом назвал недавний разговор Путина и Трампа конструктивным."
)


def test_a_russian_articles_events_are_stored_rolled_up_and_annotated(fresh_db: Store) -> None:
    found = analyze(RU_TITLE, RU_TEXT)
    assert found.lang == "ru" and len(found.relations.events) == 3
    item = analysed("ru1", outlet="TASS", bloc="russian-state", lang="ru")
    article = dataclasses.replace(
        item.article, title=RU_TITLE, content=RU_TEXT, summary=RU_TEXT[:200]
    )
    fresh_db.save_articles([AnalyzedArticle(article, found)])
    only_ru = Filters(languages=("ru",))
    by_category = fresh_db.relations_by_category(only_ru)
    assert dict(zip(by_category["category"], by_category["events"], strict=True)) == {
        "expel": 2,
        "approve": 1,
    }
    by_direction = fresh_db.relations_by_day(only_ru, "direction")
    assert by_direction["events"].sum() == 3
    assert set(by_direction["key"]) == {"russia-us"}
    assert fresh_db.relations_by_day(Filters(languages=("en",)), "direction")["events"].sum() == 0
    labels = {"expel": "Expel diplomats", "approve": "Positive assessment"}
    body = annotate(RU_TEXT, found, "text", {}, labels)
    assert "RU→US Expel diplomats" in body and "RU→US Positive assessment" in body
    assert "RU→US Expel diplomats" in annotate(RU_TITLE, found, "title", {}, labels)


def test_every_labelled_russian_text_is_read_and_its_spans_match_their_phrases() -> None:
    check = reader()
    data = Path(__file__).parent / "data"
    names = ("ru_eval.jsonl", "ru_eval_holdout.jsonl", "ru_eval_holdout2.jsonl")
    items = [json.loads(line) for name in names for line in (data / name).open(encoding="utf-8")]
    items += [
        {"title": "", "text": json.loads(line)["text"]}
        for line in (data / "relations_ru_eval.jsonl").open(encoding="utf-8")
    ]
    events = 0
    for item in items:
        found = analyze(item["title"], item["text"])
        for event in found.relations.events:
            field = item["text"] if event.field == "text" else item["title"]
            assert check.matches(event.category, field[event.start : event.end])
            events += 1
    assert events > 100


# --- relations 2026.11-4 --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Кремль пока не получал от Вашингтона предложений о продлении договора.",
        "Минфин США ещё не продлил лицензию на операции с российскими банками.",
    ],
)
def test_what_has_not_happened_yet_is_no_refusal(text: str) -> None:
    events = events_of(text)
    assert events and all(e.negated and e.weight == 0.0 for e in events)


def test_a_refusal_still_weighs_as_one() -> None:
    (event,) = events_of("Вашингтон не продлил лицензию на операции с российскими банками.")
    assert event.negated and event.weight == REFUSAL_WEIGHT


@pytest.mark.parametrize(
    "text",
    [
        "В Кремле не стали комментировать сообщения о предстоящей встрече с американцами.",
        "МИД России не получал от США уведомления о задержании россиянина.",
    ],
)
def test_an_act_referred_to_after_a_noun_of_reference_is_not_an_act(text: str) -> None:
    assert events_of(text) == ()


def test_the_two_sides_in_the_genitive_after_relations_are_the_subject() -> None:
    (event,) = events_of("Отношения России и США ухудшились из-за взаимной высылки дипломатов.")
    assert (event.category, event.source) == ("expel", "mutual")


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("Послу США в Москве вручена нота протеста.", "protest"),
        ("Гражданину США продлили арест, сообщили в Мосгорсуде.", "arrest"),
    ],
)
def test_an_indeclinable_side_after_an_oblique_noun_is_acted_upon(text: str, category: str) -> None:
    # «США» takes the case of the noun it completes: the dative is the target, not the subject
    (event,) = events_of(text)
    assert (event.category, event.source, event.target) == (category, "russia", "us")


@pytest.mark.parametrize(
    "text",
    [
        "Аналитики полагают, что Россия и США могут договориться о новом обмене.",
        "Если Путин и Трамп созвонятся, это снизит напряжённость, считают эксперты.",
        "Эксперты считают, что Кремль не рассчитывает на сделку с Вашингтоном.",
    ],
)
def test_a_commentators_guess_is_no_act(text: str) -> None:
    assert events_of(text) == ()


def test_a_sides_own_hypothetical_still_counts() -> None:
    (event,) = events_of("Рябков заявил, что Россия может ответить на размещение ракет США.")
    assert event.hypothetical and event.source == "russia"


@pytest.mark.parametrize(
    ("text", "label"),
    [
        # declining to comment rejects nothing (relations 2026.11-6)
        ("Вашингтон и Киев обменялись нотами, в Москве от комментариев отказались.", None),
        ("В Кремле отказались от комментариев по поводу решения Вашингтона.", None),
        # a law that ends a treaty is no signing
        ("Путин подписал закон о денонсации договора с США о морской границе.", "conflict"),
        # naming a state a sponsor of terrorism
        ("Палата представителей США признала Россию спонсором терроризма.", "conflict"),
        # refusing to extend an exemption is a refusal
        ("Минфин США отказался продлить исключение для расчётов с банками РФ.", "conflict"),
        # the charge a suspect faces is no act between the sides
        ("ФСБ передала ФБР данные о хакере, подозреваемом в организации кибератак.", "cooperation"),
        ("Российские власти запретили вещание американского телеканала.", "conflict"),
    ],
)
def test_relations_phrases_of_round_8(text: str, label: str | None) -> None:
    assert analyze("", text).relations.label == label


@pytest.mark.parametrize(
    ("text", "label"),
    [
        # a commentator's forecast is a guess, like their opinion (relations 2026.11-7)
        ("Эксперты прогнозируют, что Вашингтон может ослабить ограничения против банков РФ.", None),
        ("Политологи ожидают, что Москва может отпустить американского журналиста.", None),
        # «ли» after the verb asks whether the act happened
        ("Журналисты спросили, звонил ли Трамп Путину на этой неделе.", None),
        ("Минобороны России заранее уведомило Пентагон о пусках ракет.", "cooperation"),
        ("НАСА и Роскосмос продлили соглашение о полётах астронавтов.", "cooperation"),
        ("Делегация РФ покинула зал во время речи американского представителя.", "conflict"),
        ("Министерство торговли США расширило экспортный контроль для поставок в РФ.", "conflict"),
        ("Басманный суд заочно арестовал американского журналиста.", "conflict"),
        ("Федеральный суд в Техасе приговорил россиянина к пяти годам за шпионаж.", "conflict"),
        # relations 2026.11-8: a licence to sell, not objecting, a side named by a US city
        ("OFAC разрешил американским фондам продать акции российских компаний.", "cooperation"),
        ("Москва не стала возражать против приезда американских экспертов.", "cooperation"),
        ("Сотруднику генконсульства РФ в Хьюстоне предписано покинуть страну.", "conflict"),
    ],
)
def test_relations_phrases_of_round_9(text: str, label: str | None) -> None:
    assert analyze("", text).relations.label == label
