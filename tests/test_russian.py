"""The Russian reader (core/analysis/russian.py): inflection, homographs and false friends, mixed
Russian/English text, spans into the original text, sentences, relevance and the config checks."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.analysis.analyzer import analyze
from core.analysis.language import detect_language
from core.analysis.russian import RussianReader, default_russian_reader
from core.analysis.russian_sentences import split_russian_sentences
from core.analysis.russian_terms import load_russian_terms
from core.analysis.russian_words import LemmaMatcher
from core.config import ConfigError
from core.models import ActorMention, Analysis, ThemeMatch

# Six cases, each in a frame that asks for it: nominative, genitive, dative, accusative,
# instrumental, prepositional.
FRAMES = (
    "Об этом заявил {}, сообщает агентство.",
    "Заявление {} прозвучало в понедельник.",
    "Вопрос был адресован {}, сообщили журналисты.",
    "Журналисты спросили {} о планах на неделю.",
    "Встреча с {} продлилась два часа.",
    "В статье говорится о {} и его окружении.",
)
CASES = {
    "Vladimir Putin": ("Путин", "Путина", "Путину", "Путина", "Путиным", "Путине"),
    "Sergei Lavrov": ("Лавров", "Лаврова", "Лаврову", "Лаврова", "Лавровым", "Лаврове"),
    "Dmitry Peskov": ("Песков", "Пескова", "Пескову", "Пескова", "Песковым", "Пескове"),
    "Maria Zakharova": ("Захарова", "Захаровой", "Захаровой", "Захарову", "Захаровой", "Захаровой"),
    "Donald Trump": ("Трамп", "Трампа", "Трампу", "Трампа", "Трампом", "Трампе"),
    "Steve Witkoff": ("Уиткофф", "Уиткоффа", "Уиткоффу", "Уиткоффа", "Уиткоффом", "Уиткоффе"),
    "Marco Rubio": ("Рубио",) * 6,
    "State Department": ("Госдеп", "Госдепа", "Госдепу", "Госдеп", "Госдепом", "Госдепе"),
    "White House": (
        "Белый дом",
        "Белого дома",
        "Белому дому",
        "Белый дом",
        "Белым домом",
        "Белом доме",
    ),
    "Kremlin": ("Кремль", "Кремля", "Кремлю", "Кремль", "Кремлём", "Кремле"),
    "US Treasury": (
        "Минфин США",
        "Минфина США",
        "Минфину США",
        "Минфин США",
        "Минфином США",
        "Минфине США",
    ),
    "Russian Foreign Ministry": ("МИД России",) * 6,
    "Sergei Ryabkov": ("Рябков", "Рябкова", "Рябкову", "Рябкова", "Рябковым", "Рябкове"),
    "JD Vance": ("Вэнс", "Вэнса", "Вэнсу", "Вэнса", "Вэнсом", "Вэнсе"),
}


def _actors(analysis: Analysis) -> set[str]:
    return {mention.actor for mention in analysis.actors}


def _slices(analysis: Analysis, title: str, text: str) -> list[str]:
    fields = {"title": title, "text": text}
    spans: list[ThemeMatch | ActorMention] = [*analysis.themes, *analysis.actors]
    return [fields[span.field][span.start : span.end] for span in spans]


@pytest.mark.parametrize(
    ("actor", "case", "form"),
    [(actor, case, form) for actor, forms in CASES.items() for case, form in enumerate(forms)],
)
def test_every_case_of_an_actor_name_is_that_actor(actor: str, case: int, form: str) -> None:
    text = FRAMES[case].format(form)
    reader = default_russian_reader()
    _, mentions, _ = reader.evidence(text, "text")
    assert [mention.actor for mention in mentions] == [actor]
    assert text[mentions[0].start : mentions[0].end] == form


@pytest.mark.parametrize(
    "form", ["санкции", "санкций", "санкциям", "санкциями", "санкциях", "санкцию", "санкционного"]
)
def test_every_form_of_a_theme_term_counts(form: str) -> None:
    analysis = analyze("", f"Вашингтон обсуждает {form} против Москвы.")
    assert analysis.theme_names == ("sanctions",)
    assert analysis.themes[0].term in {"санкция", "санкционный"}


# --- homographs and false friends --------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "themes"),
    [
        # «мир»: the world is no theme, peace is
        ("Сборная пропустит чемпионат мира по хоккею.", ()),
        ("Во всём мире растёт интерес к русской литературе.", ()),
        ("Стороны обсудили мирное урегулирование конфликта.", ("ukraine_war",)),
        ("Москва готова заключить мир на своих условиях.", ("ukraine_war",)),
        ("Мирный план обсуждается третью неделю.", ("diplomacy",)),
        # «санкционировать» is to authorise; a prosecutor's «санкция» is a warrant
        ("Губернатор санкционировал строительство дороги.", ()),
        ("Прокуратура санкционировала обыск в офисе компании.", ()),
        ("Суд в Москве дал санкцию на арест гражданина США.", ("prisoners_consular",)),
        ("Арест американца в Москве произведён с санкции прокурора.", ("prisoners_consular",)),
        ("В санкционный список внесены десять банков.", ("sanctions",)),
        # «наступление»: an offensive, or the onset of winter
        ("С наступлением холодов заработали пункты обогрева.", ()),
        ("Армия продолжает наступление под Покровском.", ("ukraine_war",)),
        # «Дружба»: friendship, or the pipeline
        ("Российско-китайская дружба проверена временем.", ()),
        ("Поставки по нефтепроводу «Дружба» возобновлены.", ("energy_trade",)),
        # «торговый центр» is a shopping mall, not trade
        ("Мэр открыл новый торговый центр.", ()),
        ("Торговля между странами сократилась вдвое.", ("energy_trade",)),
        # attribution is not a story about the media
        ("Об этом Песков заявил журналистам.", ()),
        ("В Москве задержан журналист американской газеты.", ("information_propaganda",)),
    ],
)
def test_homographs_and_false_friends(text: str, themes: tuple[str, ...]) -> None:
    analysis = analyze("", text)
    assert analysis.lang == "ru"
    assert set(themes) <= set(analysis.theme_names)
    if not themes:
        assert analysis.theme_names == ()


def test_a_journalist_detained_is_also_a_prisoner_story() -> None:
    analysis = analyze("", "В Москве задержан журналист американской газеты.")
    assert analysis.theme_names == ("information_propaganda", "prisoners_consular")


def test_bears_are_not_medvedev_and_a_former_president_is_not_trump() -> None:
    assert _actors(analyze("", "Бумажных медведей не бывает, ответил он.")) == set()
    former = analyze("", "Бывший президент США Джо Байден ввёл против России санкции.")
    assert _actors(former) == {"Joe Biden"}


@pytest.mark.parametrize(
    ("text", "actors"),
    [
        (
            "Заместитель министра иностранных дел РФ Сергей Рябков заявил, что Вашингтон "
            "не ответил на предложения.",
            {"Sergei Ryabkov"},
        ),
        (
            "Спецпредставитель президента РФ Кирилл Дмитриев встретился с Уиткоффом.",
            {"Kirill Dmitriev", "Steve Witkoff"},
        ),
        ("Заявление заместителя главы МИД России прозвучало в Женеве.", set()),
        ("Помощник Путина Юрий Ушаков рассказал о звонке.", {"Vladimir Putin", "Yuri Ushakov"}),
        ("Министр иностранных дел РФ Сергей Лавров прибыл в Анкоридж.", {"Sergei Lavrov"}),
        ("Встреча президента РФ с американской делегацией продлилась час.", {"Vladimir Putin"}),
    ],
)
def test_an_office_after_another_office_is_someone_elses(text: str, actors: set[str]) -> None:
    """[ru.offices] in config/actors.toml: «заместитель министра» is not the minister."""
    assert _actors(analyze("", text)) == actors


@pytest.mark.parametrize(
    ("text", "actors"),
    [
        ("Президент США Джон Кеннеди и Никита Хрущёв сумели договориться.", set()),
        ("Президент США Дональд Трамп позвонил Путину.", {"Donald Trump", "Vladimir Putin"}),
        ("Энтони Блинкен, госсекретарь США при Байдене, пишет мемуары.", {"Joe Biden"}),
        ("Марко Рубио, госсекретарь США, прилетел в Женеву.", {"Marco Rubio"}),
        ("Теннисист Даниил Медведев обыграл американца.", set()),
        ("Балерина Светлана Захарова станцует Жизель.", set()),
        ("Заявление Марии Захаровой прозвучало утром.", {"Maria Zakharova"}),
        ("Эрик Трамп и Дональд Трамп-младший вложились в криптовалюту.", set()),
        ("В Тобольске отреставрируют памятник Ермаку.", set()),
        ("Словарь Ушакова переиздадут.", set()),
        ("В Казанском кремле открылась выставка.", set()),
        ("В Кремле открылась выставка.", {"Kremlin"}),
        ("Всемирный конгресс татар открылся в Казани.", set()),
        ("Правительство во главе с Мишустиным собралось в Белом доме.", set()),
        ("В Белом доме заявили, что Трамп готов к встрече.", {"White House", "Donald Trump"}),
        ("Хоккеисты «Ермака» обыграли соперников.", set()),
        ("Экономист Дмитрий Белоусов ждёт замедления инфляции.", set()),
        ("Его не допустили к выборам в президенты России.", set()),
        ("До выборов президента США остаётся год.", set()),
        ("Вратарь Медведев отразил 40 бросков.", set()),
        ("С Рютте Трамп обсудил поставки оружия.", {"NATO", "Donald Trump"}),
        ("Кирилл Дмитриев прилетел в Вашингтон.", {"Kirill Dmitriev"}),
        # round 12: the digital envoy, a plaque, OFAC as the Treasury
        ("Дмитрий Песков рассказал о цифровом развитии регионов на форуме АСИ.", set()),
        ("Дмитрий Песков заявил, что Кремль не комментирует слухи.", {"Dmitry Peskov", "Kremlin"}),
        ("На фасаде школы открыли доску Лаврову, её первому директору.", set()),
        ("OFAC продлил лицензию для европейских банков.", {"US Treasury"}),
    ],
)
def test_a_namesake_or_a_thing_is_not_the_actor(text: str, actors: set[str]) -> None:
    """core/analysis/russian_names.py with [ru.someone_else] and [ru.unless_in_sentence]."""
    assert _actors(analyze("", text)) == actors


def test_someone_elses_office_still_names_its_side() -> None:
    analysis = analyze(
        "", "Заместитель министра иностранных дел РФ заявил, что Вашингтон затягивает ответ."
    )
    assert _actors(analysis) == set() and analysis.relevant


def test_the_russian_white_house_is_still_read_as_the_american_one() -> None:
    # A known limit, kept visible: «Белый дом» in Moscow (the government building) reads as the
    # White House unless its sentence names the Russian government ([ru.unless_in_sentence]).
    assert _actors(analyze("", "У Белого дома в Москве прошёл митинг.")) == {"White House"}


def test_both_sides_counts_only_when_both_sides_are_named() -> None:
    war = analyze(
        "Россия и Украина обменялись пленными",
        "Россия и Украина провели обмен пленными. Обе стороны передали по 84 человека.",
    )
    talks = analyze(
        "Лавров встретился с Рубио",
        "Лавров встретился с Рубио в Эр-Рияде. Обе стороны договорились продолжить диалог.",
    )
    assert not war.relevant and war.relevance < 0.5
    assert talks.relevant and talks.relevance >= 0.85


# --- relevance, sentences, tone ----------------------------------------------------------------


def test_a_russian_article_about_both_sides_is_relevant_and_one_side_is_not() -> None:
    both = analyze("", "Кремль заявил, что Вашингтон несёт ответственность за срыв переговоров.")
    one = analyze("", "Кремль заявил, что переговоры с Киевом возобновятся.")
    assert both.relevant and both.relevance == pytest.approx(0.55)
    assert not one.relevant and one.relevance == pytest.approx(0.1)


def test_joint_phrases_of_names_keep_the_names() -> None:
    # «Путина и Трампа» is the joint phrase «Путин и Трамп» in the genitive; both names count.
    analysis = analyze("", "Встреча Путина и Трампа состоится в Будапеште.")
    assert _actors(analysis) == {"Vladimir Putin", "Donald Trump"}
    assert analysis.relevant


def test_sentences_know_russian_abbreviations_and_blank_lines() -> None:
    text = (
        "Как заявил г. Песков, В. В. Путин встретится с Д. Трампом, т. е. скоро.\n\nИтоги\nДалее."
    )
    spans = split_russian_sentences(text)
    pieces = [text[start:end] for start, end in spans]
    assert pieces[0] == "Как заявил г. Песков, В. В. Путин встретится с Д. Трампом, т. е. скоро."
    assert pieces[1:] == ["Итоги\nДалее."] or pieces[1:] == ["Итоги", "Далее."]


def test_russian_tone_is_null_with_every_sentence_kept() -> None:
    analysis = analyze("Заголовок статьи", "Первое предложение здесь. Второе предложение там.")
    assert analysis.lang == "ru"
    assert analysis.tone is None and analysis.tone_label == "n/a"
    assert [sentence.tone for sentence in analysis.sentences] == [None, None, None]
    assert "pymorphy3-" in analysis.analyzer_version and "razdel-" in analysis.analyzer_version


# --- mixed Russian and English -----------------------------------------------------------------


def test_english_names_inside_russian_text_are_read_too() -> None:
    title = "OFAC ввёл санкции против Rosneft"
    text = "Агентство Reuters сообщило, что Минфин США и OFAC готовят меры против Gazprom Neft."
    analysis = analyze(title, text)
    assert analysis.lang == "ru"
    assert {"sanctions", "energy_trade"} <= set(analysis.theme_names)
    assert {"OFAC", "санкции", "Rosneft", "Gazprom", "Минфин США"} <= set(
        _slices(analysis, title, text)
    )


def test_an_english_article_quoting_russian_stays_english() -> None:
    text = (
        "The Kremlin said the talks with Washington were useful. Peskov told reporters: "
        "«Мы готовы к диалогу». The sanctions remain in force."
    )
    analysis = analyze("Kremlin says talks were useful", text)
    assert analysis.lang == "en" and analysis.tone is not None
    assert {"Kremlin", "Dmitry Peskov"} <= _actors(analysis)


def test_cyrillic_languages_other_than_russian_are_not_read_as_russian() -> None:
    assert (
        detect_language("Міністр закордонних справ України заявив, що переговори тривають.") != "ru"
    )
    assert (
        detect_language("Министърът на външните работи заяви, че преговорите продължават.") != "ru"
    )
    assert detect_language("Министр иностранных дел заявил, что переговоры продолжаются.") == "ru"


# --- spans --------------------------------------------------------------------------------------

NAMES = [form for forms in CASES.values() for form in forms]
FILLER = [
    "заявил",
    "что",
    "Москва",
    "в",
    "понедельник",
    "санкции",
    "переговоры",
    "и",
    "—",
    "«",
    "»",
]


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.one_of(st.sampled_from(NAMES), st.sampled_from(FILLER), st.text(max_size=6)),
        max_size=30,
    ),
    st.lists(
        st.sampled_from([" ", ", ", ". ", "\n\n", " - ", "-", ": "]), min_size=30, max_size=30
    ),
)
def test_every_span_slices_the_original_text(pieces: list[str], gaps: list[str]) -> None:
    text = "".join(piece + gap for piece, gap in zip(pieces, gaps, strict=False))
    analysis = analyze(text[:40], text)
    fields = {"title": text[:40], "text": text}
    spans: list[ThemeMatch | ActorMention] = [*analysis.themes, *analysis.actors]
    for span in spans:
        body = fields[span.field]
        assert 0 <= span.start < span.end <= len(body)
        piece = body[span.start : span.end]
        assert piece == piece.strip() and re.match(r"\w", piece) and re.search(r"\w$", piece)
    for sentence in analysis.sentences:
        body = fields[sentence.field]
        assert 0 <= sentence.start < sentence.end <= len(body)


@settings(max_examples=100, deadline=None)
@given(st.sampled_from(NAMES), st.sampled_from(["", "Сегодня ", "«", "Как сообщил "]))
def test_a_name_is_found_at_its_place(name: str, before: str) -> None:
    text = f"{before}{name} прокомментировал новости."
    _, mentions, _ = default_russian_reader().evidence(text, "text")
    assert [(m.start, m.end) for m in mentions] == [(len(before), len(before) + len(name))]


# --- the matcher and the config ----------------------------------------------------------------


def test_star_exact_and_longest_terms() -> None:
    matcher = LemmaMatcher(["кибер*", "=ИГ", "санкция", "санкция прокурора"])
    text = "Кибератака ИГ; иг не считается; санкции прокурора и санкциями."
    hits = [(owners, text[start:end]) for owners, start, end in matcher.finditer(text)]
    assert hits == [
        ((0,), "Кибератака"),
        ((1,), "ИГ"),
        ((3,), "санкции прокурора"),
        ((2,), "санкциями"),
    ]


def test_stem_backend_merges_what_lemmas_keep_apart() -> None:
    text = "Бумажных медведей не бывает."
    assert LemmaMatcher(["Медведев"], "hybrid").finditer(text) == []
    assert LemmaMatcher(["Медведев"], "stem").finditer(text) == [((0,), 9, 17)]
    # The reader also asks a capitalised alias word for a capitalised word, in every backend.
    assert RussianReader(load_russian_terms(), "stem").evidence(text, "text")[1] == []


def _copy_config(tmp_path: Path) -> tuple[Path, Path]:
    root = Path(__file__).resolve().parent.parent / "config"
    themes, actors = tmp_path / "themes.toml", tmp_path / "actors.toml"
    themes.write_text((root / "themes.toml").read_text(encoding="utf-8"), encoding="utf-8")
    actors.write_text((root / "actors.toml").read_text(encoding="utf-8"), encoding="utf-8")
    return themes, actors


def _line(path: Path, needle: str) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(number for number, line in enumerate(lines, 1) if needle in line)


def test_the_shipped_russian_terms_cover_every_theme_and_actor() -> None:
    terms = load_russian_terms()
    from core.analysis.actors import default_gazetteer
    from core.analysis.themes import default_lexicon

    assert [theme.id for theme in terms.themes] == list(default_lexicon().theme_names)
    assert set(terms.aliases) == set(default_gazetteer().names)
    assert all(terms.aliases.values()) and all(theme.terms for theme in terms.themes)


def test_a_theme_without_russian_terms_is_named_with_its_line(tmp_path: Path) -> None:
    themes, actors = _copy_config(tmp_path)
    source = themes.read_text(encoding="utf-8")
    start = source.index("[themes.cyber_election.ru]")
    end = source.index("[themes.prisoners_consular.ru]")
    themes.write_text(source[:start] + source[end:], encoding="utf-8")
    with pytest.raises(ConfigError) as error:
        load_russian_terms(themes, actors)
    line = _line(themes, "[themes.cyber_election]")
    assert f"{themes}:{line}:" in str(error.value) and "'cyber_election'" in str(error.value)


def test_a_bad_russian_term_is_named_with_its_line(tmp_path: Path) -> None:
    themes, actors = _copy_config(tmp_path)
    source = themes.read_text(encoding="utf-8")
    themes.write_text(source.replace('"теневой флот"', '"теневой*флот"'), encoding="utf-8")
    with pytest.raises(ConfigError) as error:
        load_russian_terms(themes, actors)
    line = _line(themes, '"теневой*флот"')
    assert f"{themes}:{line}:" in str(error.value) and "'*' may only end a term" in str(error.value)


def test_a_bad_own_false_friend_is_named_with_its_line(tmp_path: Path) -> None:
    themes, actors = _copy_config(tmp_path)
    source = themes.read_text(encoding="utf-8")
    themes.write_text(source.replace('"задержание танкера"', '"задержание*танкера"'), "utf-8")
    with pytest.raises(ConfigError) as error:
        load_russian_terms(themes, actors)
    line = _line(themes, '"задержание*танкера"')
    assert f"{themes}:{line}:" in str(error.value) and "exclude_own" in str(error.value)


def test_an_unknown_or_missing_actor_is_named_with_its_line(tmp_path: Path) -> None:
    themes, actors = _copy_config(tmp_path)
    source = actors.read_text(encoding="utf-8")
    actors.write_text(source.replace('"Keir Starmer" =', '"Kier Starmer" ='), encoding="utf-8")
    with pytest.raises(ConfigError) as error:
        load_russian_terms(themes, actors)
    unknown_line = _line(actors, '"Kier Starmer" =')
    assert f"{actors}:{unknown_line}:" in str(error.value)
    actors.write_text(re.sub(r'"Keir Starmer" = \[[^\]]*\]\n', "", source), encoding="utf-8")
    with pytest.raises(ConfigError) as error:
        load_russian_terms(themes, actors)
    assert "'Keir Starmer' has no Russian aliases" in str(error.value)
    header_line = _line(actors, 'name = "Keir Starmer"') - 1
    assert f"{actors}:{header_line}:" in str(error.value)


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (("office_after = [", 'office_after = ["первый заместитель", '), "one word"),
        (("[ru.someone_else]", "[ru.someone_else]\nheads = []"), "unknown key 'heads'"),
        (("[ru.someone_else]", "[ru.extra]\nx = 1\n\n[ru.someone_else]"), "table 'ru.extra'"),
        (('"White House" = [\n  "Мишустин"', '"White Hous" = [\n  "Мишустин"'), "'White Hous'"),
    ],
)
def test_bad_someone_else_tables_are_named_with_their_line(
    tmp_path: Path, edit: tuple[str, str], message: str
) -> None:
    themes, actors = _copy_config(tmp_path)
    source = actors.read_text(encoding="utf-8")
    actors.write_text(source.replace(*edit), encoding="utf-8")
    with pytest.raises(ConfigError) as error:
        load_russian_terms(themes, actors)
    assert f"{actors}:" in str(error.value) and message in str(error.value)


def test_a_letter_without_a_unicode_name_is_read_not_raised() -> None:
    """pymorphy3 raises ValueError on such letters (hypothesis found '𗀀', U+17000)."""
    analysis = analyze("", "Путиным 𗀀 заявил о санкциях США.")
    assert analysis.lang == "ru" and any(a.actor == "Vladimir Putin" for a in analysis.actors)
