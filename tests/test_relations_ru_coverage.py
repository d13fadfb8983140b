"""The Russian relations reading (core/analysis/relations_russian.py, config/relations.toml)
on the acts Russian reporting words most often, per category, in both aspects and as nouns:
a pass over the vocabulary as a news editor would make it (relations 2026.11-9), not one phrase
per missed sentence, with the look-alikes that must stay none."""

from __future__ import annotations

import pytest

from core.analysis.analyzer import analyze


def reading(text: str) -> tuple[str | None, str]:
    """(label, direction of the first event of the label's sign) of a sentence read alone."""
    relations = analyze("", text).relations
    sign = {"cooperation": 1, "conflict": -1}.get(relations.label or "", 0)
    first = next((e for e in relations.events if e.weight * sign > 0), None)
    return relations.label, f"{first.source}->{first.target}" if first else ""


COOPERATION = [
    # agreeing, settling, conceding
    ("Лавров и Рубио условились продолжить консультации.", "mutual->mutual"),
    ("Стороны условились о прямой линии связи между военными России и США.", "mutual->mutual"),
    ("Москва и Вашингтон пришли к компромиссу по визам для дипломатов.", "mutual->mutual"),
    ("Россия и США нашли взаимопонимание по вопросу дипсобственности.", "mutual->mutual"),
    ("Вашингтон пошёл навстречу Москве в вопросе выдачи виз.", "us->russia"),
    ("Москва и Вашингтон обменялись нотами о возобновлении работы консульств.", "mutual->mutual"),
    ("Трамп направил Путину послание с предложением о встрече.", "us->russia"),
    # treaties and moratoria extended, signed
    ("Россия и США продлили мораторий на размещение ракет средней дальности.", "mutual->mutual"),
    ("Москва и Вашингтон подписали протокол о продлении инспекций.", "mutual->mutual"),
    # easing: postponed, lowered, unfrozen
    ("Белый дом отложил введение новых пошлин против России.", "us->russia"),
    ("США снизили пошлины на российские удобрения.", "us->russia"),
    ("Американский суд снял арест с активов российского фонда.", "us->russia"),
    ("Вашингтон ослабил экспортный контроль для российских авиакомпаний.", "us->russia"),
    # permits, visas, access
    ("Москва разрешила американским дипломатам посетить осуждённого.", "russia->us"),
    ("Госдеп предоставил визы членам российской делегации.", "us->russia"),
    ("Россия предоставила консульский доступ к задержанному американцу.", "russia->us"),
    ("Москва и Вашингтон возобновили работу рабочей группы по посольствам.", "mutual->mutual"),
    ("Вашингтон назначил нового посла в России.", "us->russia"),
    # joint work, things given back, movement permitted
    ("Российские и американские спасатели совместно эвакуировали экипаж судна.", "mutual->mutual"),
    (
        "Российские и американские пограничники провели совместные учения по спасению на море.",
        "mutual->mutual",
    ),
    ("Россия вернула США обломки американского беспилотника.", "russia->us"),
    ("Госдеп разрешил российским дипломатам передвигаться без уведомления.", "us->russia"),
]

CONFLICT = [
    ("США запретили импорт российского урана.", "us->russia"),
    ("Вашингтон повысил пошлины на российский алюминий.", "us->russia"),
    ("Вашингтон разорвал контракт с российской компанией.", "us->russia"),
    ("Россия расторгла соглашение с США о плутонии.", "russia->us"),
    ("Москва приостановила выдачу виз американским журналистам.", "russia->us"),
    ("Москва приостановила участие в ДСНВ.", "russia->us"),
    ("ВМС США нанесли удар по российскому судну.", "us->russia"),
    ("Российский истребитель открыл огонь по американскому беспилотнику.", "russia->us"),
    ("Россия признала «Радио Свобода» нежелательной организацией.", "russia->us"),
    ("США лишили российских дипломатов доступа к дачам.", "us->russia"),
    ("Москва ограничила передвижение американских дипломатов.", "russia->us"),
    ("США заблокировали резолюцию России в Совбезе ООН.", "us->russia"),
    ("Американские власти захватили российский танкер у берегов Венесуэлы.", "us->russia"),
    ("Госдеп выразил озабоченность задержанием американца в Москве.", "us->russia"),
    ("Захарова выразила возмущение действиями Вашингтона.", "russia->us"),
    ("Минфин США пополнил санкционный список российскими компаниями.", "us->russia"),
    ("Москва ответила на пошлины США запретом на экспорт титана.", "russia->us"),
    ("Американский эсминец вошёл в территориальные воды России.", "us->russia"),
]

NONE = [
    # look-alikes: the same words with no act between the sides
    "Американская теннисистка обыграла россиянку в финале турнира.",
    "Курс доллара к рублю вырос на фоне новостей из США.",
    "Россия и США обменялись опытом борьбы с лесными пожарами на конференции.",
    "Срок действия ДСНВ между Россией и США истекает в феврале.",
    "Вашингтон вернул пошлины на российскую сталь к прежнему уровню.",
]


@pytest.mark.parametrize(("text", "direction"), COOPERATION)
def test_cooperative_acts_are_read(text: str, direction: str) -> None:
    label, found = reading(text)
    assert label == "cooperation"
    assert not direction or found == direction


@pytest.mark.parametrize(("text", "direction"), CONFLICT)
def test_conflictual_acts_are_read(text: str, direction: str) -> None:
    label, found = reading(text)
    assert label == "conflict"
    assert found == direction


@pytest.mark.parametrize("text", NONE)
def test_look_alikes_stay_none(text: str) -> None:
    assert reading(text)[0] is None


@pytest.mark.parametrize(
    ("text", "category", "direction"),
    [
        # forms the dictionary reads first as another word (пришли: прислать, закрыты: закрытый)
        ("Москва и Вашингтон пришли к компромиссу по визам.", "agree", "mutual->mutual"),
        ("Россия и США нашли общий язык по дипсобственности.", "agree", "mutual->mutual"),
        (
            "Стороны пошли на взаимные уступки, сообщили в Кремле и Госдепе.",
            "agree",
            "mutual->mutual",
        ),
        # a fronted passive: the object is the subject, before its participle
        ("Генконсульство России в Сиэтле закрыто Госдепом.", "close_mission", "us->russia"),
        ("Консульство США в Екатеринбурге закрыто.", "close_mission", "russia->us"),
        ("Санкции с российских удобрений сняты Вашингтоном.", "ease_sanctions", "us->russia"),
        (
            "Ограничения на поставку запчастей для российских самолётов смягчены Минфином США.",
            "ease_sanctions",
            "us->russia",
        ),
    ],
)
def test_forms_read_as_another_word_and_fronted_passives(
    text: str, category: str, direction: str
) -> None:
    events = analyze("", text).relations.events
    assert [(e.category, f"{e.source}->{e.target}") for e in events] == [(category, direction)]


def test_an_imperative_or_a_noun_look_alike_is_not_read_as_the_verb() -> None:
    # «вышли» is выйти (left), «прибыли» a profit: only imperatives and short adjectives yield
    assert reading("Прибыли российских и американских компаний выросли.")[0] is None


# --- grammar (core/analysis/relations_russian_grammar.py) ---------------------------------------


def first_event(text: str) -> tuple[str, str, str]:
    event = analyze("", text).relations.events[0]
    return event.category, event.source, event.target


@pytest.mark.parametrize(
    ("text", "event"),
    [
        # a material noun act with no subject: its genitive or «против» party is acted upon
        (
            "Высылка американских дипломатов из России стала ответом на действия Вашингтона.",
            ("expel", "russia", "us"),
        ),
        (
            "Арест гражданина США в Екатеринбурге вызвал протест Госдепа.",
            ("arrest", "russia", "us"),
        ),
        # … and its instrumental acts
        (
            "Введение санкций против «Роснефти» Вашингтоном вызвало скачок цен.",
            ("impose_sanctions", "us", "russia"),
        ),
        # «со стороны» names the agent of a passive
        (
            "Со стороны США введены новые ограничения против российских судов.",
            ("impose_sanctions", "us", "russia"),
        ),
        # an adjective takes its noun's case: «российским дипломатам» is dative, no agent
        (
            "Двум российским дипломатам в Нью-Йорке предписано покинуть страну.",
            ("expel", "us", "russia"),
        ),
        # two verbs joined by «и» share the object after the second
        (
            "Российские власти помиловали и передали американской стороне гражданку США.",
            ("release_prisoners", "russia", "us"),
        ),
    ],
)
def test_who_acts_on_whom_in_noun_acts_passives_and_joined_verbs(
    text: str, event: tuple[str, str, str]
) -> None:
    assert first_event(text) == event


@pytest.mark.parametrize(
    "text",
    [
        "Никаких договорённостей о встрече Путина и Трампа пока нет.",
        "Переговоры России и США в Женеве завершились безрезультатно.",
        "Встреча Лаврова и Рубио в Будапеште сорвалась.",
    ],
)
def test_a_noun_act_whose_predicate_or_determiner_negates_it_did_not_happen(text: str) -> None:
    events = analyze("", text).relations.events
    assert events and all(e.negated and e.weight == 0.0 for e in events)


def test_a_noun_act_whose_predicate_is_a_plan_is_hypothetical() -> None:
    text = "Введение новых пошлин против России обсуждается в Конгрессе США."
    (event,) = analyze("", text).relations.events
    assert event.hypothetical


def test_a_refused_noun_act_is_still_a_refusal() -> None:
    text = "Российская сторона не дала согласия на визит американских сенаторов в Москву."
    assert analyze("", text).relations.label == "conflict"


def test_a_cooperative_act_demanded_is_the_demand_not_cooperation() -> None:
    relations = analyze("", "Вашингтон потребовал от Москвы освободить журналиста.").relations
    assert relations.label == "conflict"
    assert [e.category for e in relations.events] == ["demand"]


@pytest.mark.parametrize(
    "text",
    [
        # the press reporting what may happen is a guess, like a commentator's
        "Газета Washington Post утверждает, что Россия готовит обмен пленными с США.",
        "Bloomberg пишет, что Вашингтон может смягчить санкции против России.",
        "По данным СМИ, Москва и Вашингтон могут провести новый обмен заключёнными.",
        # an act named after «вопрос о возможности» is referred to
        "Лавров ответил на вопрос о возможности обмена заключёнными между Россией и США.",
        "Даты новой встречи российских и американских экспертов до сих пор не названы.",
    ],
)
def test_press_reports_of_what_may_happen_and_questions_about_it_stay_none(text: str) -> None:
    assert analyze("", text).relations.label is None


def test_a_sides_own_plan_still_counts_as_its_hypothetical() -> None:
    text = "Захарова заявила, что Москва может выслать американских дипломатов."
    (event,) = analyze("", text).relations.events
    assert event.hypothetical and (event.source, event.target) == ("russia", "us")


@pytest.mark.parametrize(
    "text",
    [
        # an outlet named in Latin letters next to a speech word is the press guessing
        "Путин и Трамп могут встретиться в ближайшие месяцы, полагают в Bloomberg.",
        "The Wall Street Journal сообщает, что Белый дом рассматривает снятие санкций с РФ.",
        # talk about an act is no act
        "Ранее в Кремле назвали преждевременными разговоры о встрече Путина и Трампа.",
        # one side discussing the relationship alone has no partner
        "Депутаты Госдумы обсудили российско-американские отношения на круглом столе.",
        # a giving act whose recipient or giver is a third party
        "Генпрокуратура санкционировала экстрадицию гражданина США в Казахстан.",
    ],
)
def test_guesses_talk_lone_discussion_and_third_recipients_stay_none(text: str) -> None:
    assert analyze("", text).relations.label is None


def test_a_discussion_with_a_partner_is_still_contact() -> None:
    assert reading("Лавров обсудил с Рубио подготовку встречи.")[0] == "cooperation"


def test_a_giving_act_to_a_third_party_is_not_the_sides_act() -> None:
    text = "Песков осудил решение Вашингтона передать Киеву разведданные."
    relations = analyze("", text).relations
    assert [e.category for e in relations.events] == ["condemn"]


def test_a_passive_whose_subject_follows_the_participle() -> None:
    text = "В Москве к 12 годам колонии приговорён гражданин США."
    assert first_event(text) == ("arrest", "russia", "us")


@pytest.mark.parametrize(
    "text",
    [
        # a question anywhere before the act in its clause
        "Аналитики спорят, выгодна ли России отмена американских пошлин.",
        # what the sentence calls unconfirmed, and forecasts, are guesses
        "Лавров и Рубио могут встретиться на полях саммита, но это пока не подтверждено.",
        "Песков отказался предсказывать, когда возможна встреча Путина и Трампа.",
        # a former official speaks as a commentator
        "Экс-посол США в России заявил, что Москва может освободить журналиста.",
        # nothing planned is no refusal
        "Путин не планирует разговор с Трампом на этой неделе, сообщил Песков.",
    ],
)
def test_questions_unconfirmed_reports_forecasts_and_no_plans_stay_none(text: str) -> None:
    # none, or neutral (an act that did not happen weighs nothing): never either class
    assert analyze("", text).relations.label in (None, "neutral")


def test_a_refused_hostile_act_is_no_rejection() -> None:
    relations = analyze("", "Белый дом отказался от введения новых пошлин против России.").relations
    assert relations.label != "conflict"
    assert all(e.category != "reject" for e in relations.events)


def test_a_refused_cooperative_act_is_still_a_rejection() -> None:
    text = "Москва отказалась от предложения Вашингтона о перемирии."
    assert analyze("", text).relations.label == "conflict"


@pytest.mark.parametrize(
    ("text", "event"),
    [
        # the side that ordered the act acts
        (
            "Генконсульство США в Екатеринбурге по решению Москвы прекратило работу.",
            ("suspend_treaty", "russia", "us"),
        ),
        # passing a bill is no praise: what the bill does is read
        (
            "Палата представителей одобрила законопроект об ужесточении санкций против России.",
            ("impose_sanctions", "us", "russia"),
        ),
        (
            "ФСБ выдала американским коллегам данные о торговцах наркотиками.",
            ("exchange_data", "russia", "us"),
        ),
        (
            "Москва приняла американских инспекторов впервые с 2022 года.",
            ("consult", "russia", "us"),
        ),
        (
            "В Стамбуле прошёл очередной раунд консультаций России и США по работе посольств.",
            ("consult", "mutual", "mutual"),
        ),
    ],
)
def test_orders_bills_data_inspectors_and_rounds(text: str, event: tuple[str, str, str]) -> None:
    assert first_event(text) == event


@pytest.mark.parametrize(
    ("text", "event"),
    [
        # a citizen named by nationality and trade is the side's citizen when acted upon
        (
            "Минюст США предъявил обвинение российскому программисту во взломе банковских систем.",
            ("indict", "us", "russia"),
        ),
        ("Суд в Москве освободил американского музыканта.", ("release_prisoners", "russia", "us")),
        # feminine forms of the citizens a phrase names
        (
            "Россия выдала американскую гражданку представителям посольства США.",
            ("hand_over", "russia", "us"),
        ),
        # a third country as the venue is no target
        ("Лавров провёл в Стамбуле переговоры с Рубио.", ("consult", "russia", "us")),
        (
            "Москва разрешила американскому консулу навестить задержанного гражданина США.",
            ("license", "russia", "us"),
        ),
        ("Роскосмос предоставил NASA место в экипаже «Союза».", ("agree", "russia", "us")),
        (
            "Военные России и США восстановили линию деконфликтации.",
            ("restore_relations", "mutual", "mutual"),
        ),
        (
            "Москва внесла американскую НКО в реестр нежелательных организаций.",
            ("harass", "russia", "us"),
        ),
        ("Вашингтон ужесточил правила въезда для российских граждан.", ("harass", "us", "russia")),
        (
            "Россия и США обменялись резкими заявлениями в Совбезе ООН.",
            ("criticise", "mutual", "mutual"),
        ),
    ],
)
def test_citizens_venues_and_a_third_pass_of_acts(text: str, event: tuple[str, str, str]) -> None:
    assert first_event(text) == event


@pytest.mark.parametrize(
    "text",
    [
        # a third party the act aims at, though a side speaks after
        "Минфин США ввёл санкции против иранских нефтяных компаний, в Москве промолчали.",
        # an indirect question opened by «когда» after «вопрос»
        "Песков не ответил на вопрос, когда Путин и Трамп проведут переговоры.",
        # the absence of an act
        "Американские туристы приезжают в Петербург, несмотря на отсутствие прямых рейсов.",
        # people named by nationality who act for no state
        "Российский хоккеист подписал контракт с американским клубом.",
    ],
)
def test_third_targets_indirect_questions_absence_and_private_people_stay_none(text: str) -> None:
    assert analyze("", text).relations.label in (None, "neutral")


@pytest.mark.parametrize(
    "text",
    [
        # an act named after a verb that answers or weighs it, or a noun of debate or memory
        "Москва ожидает, что Вашингтон ответит на предложения по безопасности, заявил Рябков.",
        "В американском Конгрессе продолжаются споры о новом пакете санкций против России.",
        "Путин рассказал о своих впечатлениях от встречи с Трампом на Аляске.",
        # declining to answer is no rejection of talks
        "Представитель Белого дома отказался отвечать на вопросы о переговорах с Россией.",
        # a nationality of a private group is no side
        "Российский посол встретился с представителями американского бизнеса в Хьюстоне.",
    ],
)
def test_acts_answered_debated_or_remembered_and_private_groups_stay_none(text: str) -> None:
    assert analyze("", text).relations.label in (None, "neutral")


def test_excluding_a_side_from_a_programme_is_harassment() -> None:
    text = "Администрация Трампа исключила Россию из программы обмена студентами."
    assert first_event(text) == ("harass", "us", "russia")


@pytest.mark.parametrize(
    ("text", "event"),
    [
        # a side in the dative is the recipient, whatever third place the object names
        (
            "Россия передала американской стороне тело погибшего в Сирии военного.",
            ("hand_over", "russia", "us"),
        ),
        # the owner of what a passive acts on, after the participle
        ("В США арестованы счета российского фонда.", ("seize_assets", "us", "russia")),
        # a verb of receiving makes its subject the target
        ("Посольство США в Москве получило ноту протеста.", ("protest", "russia", "us")),
        # of two phrases a verb begins, the one whose object begins first, then the longest
        (
            "Минфин США приостановил действие санкций против «Норникеля» на полгода.",
            ("ease_sanctions", "us", "russia"),
        ),
        ("Российские пограничники спасли экипаж американской яхты.", ("agree", "russia", "us")),
        ("Москва заблокировала работу американских соцсетей.", ("harass", "russia", "us")),
        (
            "Москва пустила американских наблюдателей на учения «Запад».",
            ("license", "russia", "us"),
        ),
        ("Вашингтон депортировал группу российских граждан.", ("harass", "us", "russia")),
        (
            "Госдума приняла закон о запрете усыновления детей гражданами США.",
            ("harass", "russia", "us"),
        ),
    ],
)
def test_recipients_owners_receiving_and_a_sixth_pass(
    text: str, event: tuple[str, str, str]
) -> None:
    assert first_event(text) == event


@pytest.mark.parametrize(
    ("text", "event"),
    [
        # a fronted passive's subject is no act of its own
        (
            "Санкции против «Аэрофлота» отменены решением Минфина США.",
            ("ease_sanctions", "us", "russia"),
        ),
        # a participle with its agent right after it reports an act
        (
            "Помилованный Путиным американец вылетел на родину.",
            ("release_prisoners", "russia", "us"),
        ),
        # a source cited («по данным») takes no part; «под санкции попали» undergoes
        (
            "По данным Минфина США, под санкции попали 30 российских компаний.",
            ("impose_sanctions", "us", "russia"),
        ),
        # being charged: the subject undergoes the act
        (
            "Как сообщили в ФСБ, задержанный американец обвиняется в шпионаже.",
            ("indict", "russia", "us"),
        ),
        # the genitive after a noun of intent acts in the infinitive after it
        (
            "Решение Вашингтона ввести пошлины Москва назвала враждебным.",
            ("impose_sanctions", "us", "russia"),
        ),
        # an indeclinable side after a comma takes no case from the noun before the comma
        (
            "Как заявили в Белом доме, США продлят исключение для «Сахалина-2».",
            ("license", "us", "russia"),
        ),
        (
            "Российским дипломатам возвращён доступ к дачам, подтвердили в Госдепе.",
            ("restore_relations", "us", "russia"),
        ),
        (
            "По словам Рябкова, Москва передала Вашингтону проект договора о гарантиях.",
            ("propose", "russia", "us"),
        ),
    ],
)
def test_fronted_subjects_agents_sources_and_intent(text: str, event: tuple[str, str, str]) -> None:
    assert first_event(text) == event


def test_an_economists_guess_is_no_act() -> None:
    text = "Если Вашингтон снимет санкции, Москва может вернуть активы, полагает экономист."
    assert analyze("", text).relations.label is None


@pytest.mark.parametrize(
    ("text", "event"),
    [
        # the genitive right after a said noun act is its author
        (
            "Лавров заверил Рубио в готовности Москвы к продолжению контактов.",
            ("readiness", "russia", "us"),
        ),
        (
            "Россия запретила американским НКО работать на своей территории.",
            ("harass", "russia", "us"),
        ),
        ("Москва ответила симметрично на высылку дипломатов США.", ("retaliate", "russia", "us")),
        # accepting an invitation is the acceptor's act
        ("Москва приняла приглашение Вашингтона провести консультации.", ("agree", "russia", "us")),
        # a relative clause after a comma still targets its antecedent (Prague: a third
        # country's arrest is no act; Brooklyn, a US place, would make the arrest a US act)
        (
            "В Праге арестован россиянин, которого американские власти обвиняют в контрабанде.",
            ("accuse", "us", "russia"),
        ),
    ],
)
def test_authors_of_noun_acts_and_relative_clauses(text: str, event: tuple[str, str, str]) -> None:
    assert first_event(text) == event


@pytest.mark.parametrize(
    "text",
    [
        # an earlier side in another clause is no target
        "Путин поздравил Си Цзиньпина с днём рождения, Трамп ограничился звонком Моди.",
        "Россия и США могут возобновить авиасообщение не раньше лета, считают в отрасли.",
    ],
)
def test_other_clauses_and_industry_guesses_stay_none(text: str) -> None:
    assert analyze("", text).relations.label is None


@pytest.mark.parametrize(
    ("text", "event"),
    [
        # a joint party that the actors reading spans over the verb is still its subject
        (
            "Стороны договорились о возобновлении работы посольств, сообщили в МИД РФ и Госдепе.",
            ("agree", "mutual", "mutual"),
        ),
        # an indeclinable side after a said noun may be whom it is addressed to
        (
            "МИД России выразил решительный протест США в связи с досмотром российского судна.",
            ("protest", "russia", "us"),
        ),
        (
            "Вашингтон не стал препятствовать участию российской делегации в форуме АТЭС.",
            ("agree", "us", "russia"),
        ),
    ],
)
def test_joint_subjects_addressees_and_not_hindering(
    text: str, event: tuple[str, str, str]
) -> None:
    assert first_event(text) == event


def test_news_about_an_act_is_no_act() -> None:
    text = "Американские биржи закрылись в минусе на фоне новостей о переговорах с Россией."
    assert analyze("", text).relations.label is None
