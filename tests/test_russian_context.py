"""The Russian reader reads the words around a match (core/analysis/russian.py,
core/analysis/russian_words.py, core/analysis/russian_names.py): capitalised common words,
modifiers inside a term, side markers inside a term, offices of former or future holders, bare
ministry names and side markers that name a thing or a person. Sentences written for these
tests, none from the evaluation sets."""

from __future__ import annotations

import pytest

from core.analysis.analyzer import analyze
from core.analysis.russian_model import TERM_PREFIX
from core.analysis.russian_words import LemmaMatcher
from core.models import Analysis


def _actors(analysis: Analysis) -> set[str]:
    return {mention.actor for mention in analysis.actors}


def test_a_capitalised_common_word_is_read_by_its_most_likely_lemma() -> None:
    # «после» is also the prepositional case of «посол»; at the start of a sentence it is still
    # the preposition, while a capitalised name keeps every lemma the dictionary offers.
    matcher = LemmaMatcher(["посол", "Рябков"])
    assert matcher.finditer("После обеда посол уехал.") == [((0,), 12, 17)]
    assert matcher.finditer("Рябкова спросили.") == [((1,), 0, 7)]


@pytest.mark.parametrize(
    ("text", "theme"),
    [
        ("Казначейство выдало американским банкам новые лицензии.", None),
        ("Минфин США выдал новую генеральную лицензию на сделки.", "sanctions"),
        ("Москву обвинили во вмешательстве в прошлые американские выборы.", "cyber_election"),
        ("Делегации подписали рамочное соглашение.", "diplomacy"),
    ],
)
def test_adjectives_may_stand_inside_a_term(text: str, theme: str | None) -> None:
    # the terms' reading only: the theme model (core/analysis/russian_model.py) may add sanctions
    # to a Treasury's licences on its own evidence, which is marked as the model's
    found = {m.theme for m in analyze("", text).themes if not m.term.startswith(TERM_PREFIX)}
    assert (theme in found) if theme else "sanctions" not in found


def test_words_a_term_spread_over_are_read_again() -> None:
    # «размещение ракет» spreads over «новых американских»; «ракеты средней дальности» inside it
    # is an arms-control term of its own (where limits are the subject: the moratorium).
    analysis = analyze(
        "",
        "В Кремле заявили, что размещение новых американских ракет средней дальности похоронит "
        "мораторий.",
    )
    assert {"arms_control", "military_nato"} <= set(analysis.theme_names)


def test_a_side_marker_inside_a_theme_term_names_its_side() -> None:
    analysis = analyze("", "Госдеп допустил передачу Киеву замороженных российских активов.")
    assert analysis.relevant and "sanctions" in analysis.theme_names


@pytest.mark.parametrize(
    ("text", "actors"),
    [
        ("Экс-глава Пентагона Марк Эспер выпустил книгу.", set()),
        ("Тогдашний президент США Барак Обама ввёл санкции.", set()),
        ("Кто станет следующим госсекретарем США, пока неясно.", set()),
        ("Ни один российский президент не выступал в Конгрессе США.", {"US Congress"}),
        ("Будучи президентом России, Медведев ездил в Кремниевую долину.", {"Dmitry Medvedev"}),
        ("Он не раз претендовал на пост президента России.", set()),
        ("Президент США заявил о новых пошлинах.", {"Donald Trump"}),
    ],
)
def test_an_office_of_a_former_or_future_holder_is_not_the_actor(
    text: str, actors: set[str]
) -> None:
    assert _actors(analyze("", text)) == actors


@pytest.mark.parametrize(
    ("text", "actors", "relevant"),
    [
        (
            "В МИД заявили, что ответят на высылку дипломатов из США.",
            {"Russian Foreign Ministry"},
            True,
        ),
        ("МИД Германии вызвал посла США.", set(), False),
        ("Французский МИД осудил удары по Одессе.", set(), False),
        ("Замглавы МИД Александр Грушко встретился с послом США.", set(), True),
        ("Минобороны Украины сообщило о новых поставках из США.", set(), False),
        (
            "В Минобороны сообщили о перехвате американского беспилотника.",
            {"Russian Defense Ministry"},
            True,
        ),
        ("Конгресс соотечественников открылся в Москве.", set(), False),
        ("Конгресс проголосовал за новые санкции против России.", {"US Congress"}, True),
    ],
)
def test_a_bare_ministry_is_russias_unless_another_country_goes_with_it(
    text: str, actors: set[str], relevant: bool
) -> None:
    analysis = analyze("", text)
    assert _actors(analysis) == actors and analysis.relevant is relevant


@pytest.mark.parametrize(
    "text",
    [
        "На улице Вашингтона в Москве открыли кофейню.",
        "Портрет Джорджа Вашингтона продали на аукционе в Москве.",
        "Американский актёр снялся в российском сериале.",
        "Российские и американские шахматисты сыграли вничью.",
    ],
)
def test_a_side_marker_that_names_a_thing_or_a_person_names_no_side(text: str) -> None:
    assert not analyze("", text).relevant


def test_a_citizen_held_abroad_is_still_a_sides_concern() -> None:
    analysis = analyze("", "Суд в Москве арестовал американского хоккеиста на два месяца.")
    assert analysis.relevant and "prisoners_consular" in analysis.theme_names


def test_a_given_name_the_dictionary_does_not_know_still_leaves_the_side() -> None:
    # A known limit, kept visible: «Дензел» is not a given name to pymorphy3.
    assert analyze("", "Фильм с Дензелом Вашингтоном покажут в российских кинотеатрах.").relevant


def test_a_state_named_by_its_nationality_is_still_a_side() -> None:
    analysis = analyze("", "Американские дипломаты передали российской стороне ноту.")
    assert analysis.relevant and "diplomacy" in analysis.theme_names


def test_a_false_friend_hides_the_words_it_spread_over() -> None:
    # «сообщают СМИ» is attribution across «американские»; «СМИ» is not read again on its own
    analysis = analyze("", "Решение отложено до января, сообщают американские СМИ.")
    assert "information_propaganda" not in analysis.theme_names


def test_a_russian_state_company_names_russias_side() -> None:
    assert analyze("", "Минфин США ввёл санкции против «Совкомфлота».").relevant


@pytest.mark.parametrize(
    "text",
    [
        "Краснодарский краевой суд оставил под стражей гражданина США, задержанного с оружием.",
        "В Новосибирске арестован американец, прилетевший на конференцию.",
    ],
)
def test_a_large_russian_city_names_russia(text: str) -> None:
    # the city where a court sits or a citizen is held is Russia's side (actors 2026.11-7)
    assert analyze("", text).relevant


def test_ofac_named_alone_is_the_us_side() -> None:
    text = "Под ограничения OFAC попали ещё три перевозчика российского угля."
    assert analyze("", text).relevant


@pytest.mark.parametrize(
    ("text", "actor"),
    [
        ("Президент Франции позвонил Зеленскому накануне саммита.", "Emmanuel Macron"),
        ("Британский премьер выступил в парламенте с заявлением.", "Keir Starmer"),
        ("Турецкий лидер предложил свою площадку для встречи.", "Recep Tayyip Erdogan"),
        ("В Сенате рассмотрят законопроект о помощи союзникам.", "US Congress"),
    ],
)
def test_offices_and_the_bare_senate_name_their_holder(text: str, actor: str) -> None:
    assert actor in _actors(analyze("", text))


def test_the_senate_of_another_country_names_nobody() -> None:
    assert "US Congress" not in _actors(analyze("", "Сенат Польши одобрил бюджет на оборону."))


@pytest.mark.parametrize(
    ("text", "theme", "present"),
    [
        ("Стороны решили заключить соглашение о поставках зерна.", "prisoners_consular", False),
        ("Платежи шли через посредников в Гонконге.", "diplomacy", False),
        ("Об этом выяснили журналисты регионального издания.", "information_propaganda", False),
        ("Хор исполнил «Песню о Буревестнике» на открытии.", "arms_control", False),
        ("Минфин США добавил в SDN-список ещё две компании.", "sanctions", True),
        ("Эксперты обсудили вмешательство России в выборы в Румынии.", "cyber_election", True),
        ("Президент подписал ответное послание коллеге.", "diplomacy", True),
        ("Тарифы на фрахт танкеров выросли вдвое.", "energy_trade", True),
    ],
)
def test_theme_terms_and_false_friends_of_round_8(text: str, theme: str, present: bool) -> None:
    assert (theme in analyze("", text).theme_names) is present


@pytest.mark.parametrize(
    ("text", "theme", "present"),
    [
        ("Власти закрыли польское генконсульство в Калининграде.", "prisoners_consular", True),
        ("Холдинг ведёт переговоры о продаже завода.", "diplomacy", False),
        ("Стороны решили продолжить контакты на уровне экспертов.", "diplomacy", True),
        ("В часть прибыла новая бригада морской пехоты.", "military_nato", True),
        ("Весенний призыв начнётся первого апреля.", "military_nato", True),
        ("МАГАТЭ сообщило об обстановке на Запорожской АЭС.", "ukraine_war", True),
        ("Жёны мобилизованных вышли на пикет.", "ukraine_war", True),
        ("Эвакуация детей из Сумской области продолжается.", "ukraine_war", True),
        ("Дрон атаковал нефтеналивной терминал в Туапсе.", "energy_trade", True),
        ("Крупнейшие импортёры зерна снизили закупки.", "energy_trade", True),
        ("Депутат назвал доклад очередным вбросом.", "information_propaganda", True),
        ("Наблюдатели заметили вброс бюллетеней на участке.", "information_propaganda", False),
    ],
)
def test_theme_terms_and_false_friends_of_round_9(text: str, theme: str, present: bool) -> None:
    assert (theme in analyze("", text).theme_names) is present


@pytest.mark.parametrize(
    "text",
    [
        "Мосгорсуд продлил арест гражданину США ещё на три месяца.",
        "Басманный суд арестовал американца, прилетевшего в Шереметьево.",
        "Акции «Русала» выросли после решения Вашингтона о пошлинах.",
        "В Ростове задержан гражданин США, прилетевший из Стамбула.",
    ],
)
def test_moscows_courts_and_rusal_name_russia(text: str) -> None:
    # actors 2026.11-8
    assert analyze("", text).relevant


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("Эстония задержала танкер с российской нефтью у своих берегов.", "energy_trade"),
        ("Белый дом осудил российский удар по энергосистеме Украины.", None),
    ],
)
def test_an_own_false_friend_hides_only_its_themes_terms(text: str, kept: str | None) -> None:
    # `exclude_own` (themes 2026.11-11): no prisoners story, but the tanker and the side stay
    analysis = analyze("", text)
    assert "prisoners_consular" not in analysis.theme_names
    assert kept is None or kept in analysis.theme_names
    assert analysis.relevant or kept is not None


def test_an_own_false_friend_leaves_the_relations_reading_its_party() -> None:
    assert analyze("", "Белый дом осудил российский удар по Киеву.").relations.label == "conflict"


def test_growth_is_no_rostov() -> None:
    # «Ростов» is matched by its written forms: «росте» (growth) would share its stem
    assert not analyze("", "Данные о росте цен в США удивили рынки.").relevant


@pytest.mark.parametrize(
    ("text", "kept", "hidden"),
    [
        # themes 2026.11-12: false friends that span other themes' terms hide only their own
        (
            "Россия и Украина могут заключить мирное соглашение к весне.",
            "ukraine_war",
            "prisoners_consular",
        ),
        ("Стороны намерены заключить рамочное соглашение.", "diplomacy", "prisoners_consular"),
        ("В Совбезе ООН Россия заблокировала резолюцию.", "diplomacy", "information_propaganda"),
        ("Торговля оружием с режимом выросла вдвое.", "military_nato", "energy_trade"),
    ],
)
def test_a_false_friend_spanning_another_themes_term_hides_only_its_own(
    text: str, kept: str, hidden: str
) -> None:
    names = analyze("", text).theme_names
    assert kept in names and hidden not in names


def test_the_words_an_own_false_friend_spread_over_are_read_once() -> None:
    analysis = analyze("", "Москва и Киев готовы заключить мирное соглашение, заявил Песков.")
    # once per theme: the war's term, and diplomacy's (a settlement with Russia a party)
    found = sorted((match.theme, match.term) for match in analysis.themes)
    assert found == [("diplomacy", "мирное соглашение"), ("ukraine_war", "мирное соглашение")]


@pytest.mark.parametrize(
    ("text", "theme", "present"),
    [
        # themes 2026.11-12: a vocabulary pass per theme (derived forms, abbreviations, named
        # systems and bodies), each word in an inflected form; and the homographs it guards
        ("Минфин США расширил перечень подсанкционных компаний.", "sanctions", True),
        ("Бельгия возражает против репарационного кредита Евросоюза.", "sanctions", True),
        ("Страны обсудили продление ДНЯО на конференции в Нью-Йорке.", "arms_control", True),
        ("Дивизион провёл учебный пуск «Ярса» из шахты.", "military_nato", True),
        ("Полиция задержала террористку, готовившую взрыв на вокзале.", "counterterrorism", True),
        ("Сотрудника постпредства России вызвали для объяснений.", "diplomacy", True),
        ("Лидеры России и США обменялись мнениями во время созвона.", "diplomacy", True),
        ("Цель спецоперации не изменилась, заявил генерал.", "ukraine_war", True),
        ("Бои идут на окраинах Часова Яра.", "ukraine_war", True),
        ("В Славянске-на-Кубани открыли новую школу.", "ukraine_war", False),
        ("Цены на нефтепродукты выросли после пожара на нефтебазе.", "energy_trade", True),
        ("Злоумышленники провели DDoS-атаку на портал мэрии.", "cyber_election", True),
        ("Американцу грозит в России до десяти лет лишения свободы.", "prisoners_consular", True),
        ("Гражданина Казахстана экстрадировали из Польши.", "prisoners_consular", True),
        ("Фрегат Северного флота провёл ракетные стрельбы.", "military_nato", True),
        ("В Севастополе отметили День Черноморского флота.", "military_nato", False),
        ("Роскомнадзор замедлил работу видеохостинга.", "information_propaganda", True),
        ("Натовские самолёты нарушили границу.", "military_nato", True),
        ("Президенты России и США переговорили по телефону.", "diplomacy", True),
        ("Строительство АЭС в Египте идёт по графику.", "energy_trade", True),
        ("Бои идут вдоль линии соприкосновения.", "ukraine_war", True),
        ("Неизвестные годами взламывали почту чиновников.", "cyber_election", True),
        ("Минфин разместил облигации на 61 млрд рублей.", "military_nato", False),
        ("Через год заключения соглашения его продлили.", "prisoners_consular", False),
        ("Совет директоров урегулирует конфликт интересов.", "diplomacy", False),
        ("Стороны готовы урегулировать конфликт мирным путём.", "diplomacy", True),
        # «заморозки» is read as «заморозок» (frosts), so the genitive is a term of its own
        ("ЕС обсуждает продление заморозки активов.", "sanctions", True),
        ("Ночные заморозки ударили по урожаю.", "sanctions", False),
        ("Борьба с фишингом продолжается.", "cyber_election", True),
        # «боевик» is a militant (English «militant*»), not the film genre
        ("Силовики ликвидировали трёх боевиков в горах.", "counterterrorism", True),
        ("Актёр снялся в новом голливудском боевике.", "counterterrorism", False),
        ("Колонна обстреляла окраины Горловки.", "ukraine_war", True),
        ("Москва требует вывести чужие войска из региона.", "ukraine_war", True),
        ("ЕС продолжает замораживать активы банков.", "sanctions", True),
        ("Поставки угля в Китай выросли.", "energy_trade", True),
        ("Лавров и его американский визави обсудили повестку.", "diplomacy", True),
    ],
)
def test_theme_terms_of_the_vocabulary_pass(text: str, theme: str, present: bool) -> None:
    assert (theme in analyze("", text).theme_names) is present
