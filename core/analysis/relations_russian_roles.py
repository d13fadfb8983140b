"""More of the Russian relations reading's grammar (core/analysis/relations_russian.py): who acts
when no subject is named (the place left, the place or office where it happens), what a verb's
number allows as its subject, acts done separately, denied, or a restriction left to lapse.
Kept apart from core/analysis/relations_russian_grammar.py so each module stays small."""

from __future__ import annotations

import re
from collections.abc import Callable

from core.analysis.relations_clauses import Party
from core.analysis.relations_russian_grammar import ordered_by, target_side, words_before
from core.analysis.russian_words import grammemes, lemma

_BOTH = frozenset({"us", "russia"})
STRONG_MARKS = frozenset(";:()[]—–")
BREAKS = re.compile(
    r"[,;:()\[\]—–]|(?<!\w)(но|однако|а(?! также)|хотя|тогда как|в то время как|между тем|зато"
    r"|и|после|когда|потому что|так как|поскольку|котор\w*|где|чтобы)(?!\w)"
)
"""Where a Russian clause breaks: a mark or a conjunction (core/analysis/relations_russian.py)."""
STRONG_WORDS = frozenset(
    ("но", "однако", "а", "хотя", "тогда как", "в то время как", "между тем", "зато")
)
"""The conjunctions, and STRONG_MARKS the marks, that end the clause a subject reaches over."""
_WORD = re.compile(r"\w+")
_HEAD = re.compile(r"(\w+)\s+$")
_NAMED = frozenset({"Surn", "Name", "Patr", "Geox", "Orgn", "Abbr"})
_GENDERS = frozenset({"masc", "femn", "neut"})
_COMMON = frozenset({"Ms-f", "GNdr"})
_WITH = re.compile(r"(?<!\w)со?\s+$")
_PERSONAL = frozenset({"Surn", "Name", "Patr"})

_LEAVING = re.compile(
    r"(?<!\w)(?:покинуть|покинул\w*|покидать|покидает|покидают|выехать из|выезжать из"
    r"|уехать из|вылететь из|выдворить из|выслать из|высланы? из|выдворены? из)\s+$"
)
"""Verbs of leaving a country: its side is the host that expels or lets go («объявлен персоной нон
грата и должен покинуть Россию», «разрешено покинуть Россию»)."""


def left_side(text: str, parties: list[Party], target: str, start: int, s_end: int) -> str | None:
    """The other side than `target` named, after `start` in the sentence, as the country to
    leave: the host acts («Американский дипломат объявлен персоной нон грата и должен покинуть
    Россию»)."""
    for party in parties:
        if (
            start <= party[1] < s_end
            and party[0] in _BOTH - {target}
            and _LEAVING.search(text[max(start, party[1] - 25) : party[1]].lower())
        ):
            return party[0]
    return None


def leaving(text: str, parties: list[Party], start: int, s_end: int) -> Callable[[str], str | None]:
    """`left_side` for a passive's target, once its target is known."""
    return lambda target: left_side(text, parties, target, start, s_end)


def host_side(
    text: str, parties: list[Party], places: list[Party], target: str, start: int, s_end: int
) -> str | None:
    """Who acts on an object named before an impersonal verb with no agent («Корреспонденту
    американского агентства в Москве не продлили визу», «Американца … под Белгородом суд
    отправил за решётку»): the country to leave, else the place of the other side where it
    happens (the impersonal «они» of Russian news is the place's side)."""
    left = left_side(text, parties, target, start, s_end)
    if left is not None:
        return left
    here = next((p[0] for p in reversed(places) if p[0] in _BOTH - {target}), None)
    if here is not None:
        return here
    # «Экипаж российского самолёта отпустили после допроса в аэропорту Нью-Йорка»: the first
    # place after it in its clause, if the other side's («задержали в Париже» is no side's)
    stop = min([s_end] + [at for at in (text.find(m, start, s_end) for m in ";:—–") if at >= 0])
    placed = next((p for p in parties if start <= p[1] < stop and _placed(text, p)), None)
    return placed[0] if placed is not None and placed[0] in _BOTH - {target} else None


def _placed(text: str, party: Party) -> bool:
    """A party named as a place, also through a noun of place («в аэропорту Нью-Йорка»)."""
    before = text[max(0, party[1] - 30) : party[1]].lower().split()
    if before[-1:] and _PLACE.search(before[-1] + " "):
        return True
    return (
        len(before) >= 2
        and _PLACE.search(before[-2] + " ") is not None
        and lemma(before[-1])
        in {"аэропорт", "город", "штат", "порт", "столица", "пригород", "окрестность", "район"}
    )


_LINKED = re.compile(
    r"(?<!\w)(?:связан\w*\s+с|связыва\w*\s+с|близк\w*\s+к|аффилированн\w*\s+с"
    r"|работающ\w*\s+на|подконтрольн\w*|действующ\w*\s+по\s+заданию)\s+$"
)


def acted_upon(
    text: str,
    target: Party,
    parties: tuple[list[Party], list[Party], list[Party]],
    scope: tuple[int, int],
    speaker_of: Callable[[], Party | None],
) -> tuple[str, str] | None:
    """(source, target) of an act whose only party before it is its object («Российских
    дипломатов выслали из США»): the other side after it, else the speaker of the other side,
    else the host (`host_side`). `parties`: those after the act, all, and the places before it;
    `scope`: the act's start and the sentence's end."""
    after, every, places = parties
    other = _BOTH - {target[0]}
    if target[0] in _BOTH and _LINKED.search(text[max(0, target[1] - 40) : target[1]].lower()):
        # «Хакеры, связанные с российскими спецслужбами, атаковали сайт Пентагона»: the side
        # behind the subject acts
        victim = next((p for p in after if p[0] in other), None)
        return (target[0], victim[0]) if victim else None
    source = next((p for p in after if p[0] in other), None)
    if source is None:
        said = speaker_of()
        source = said if said and said[0] in other else None
    if target[0] not in _BOTH or not object_case(text, target, scope[0]):
        return None  # «связывают с российскими спецслужбами»: no object
    if source is not None:
        return source[0], target[0]
    if any(p[0] == "other" and not _PLACE.search(text[max(0, p[1] - 4) : p[1]]) for p in after):
        return None  # «из-за встречи его сотрудников с оппозиционерами»: a third party's act
    host = host_side(text, every, places, target[0], *scope)
    return (host, target[0]) if host else None


def object_case(text: str, party: Party, start: int) -> bool:
    """Whether a party before an act can be its object: in the accusative, dative or genitive,
    or the partner after «с» («С Песковым согласились в Белом доме»), and not inside a relative
    or participle clause closed before the act («Группировка, которую в США связывают с российскими
    спецслужбами, атаковала серверы»)."""
    comma = text.rfind(",", 0, party[1])
    if comma >= 0 and "," in text[party[2] : start]:
        opener = _WORD.search(text, comma, party[1])
        word = opener.group().lower() if opener else ""
        if word.startswith(("котор", "чей", "чья", "чьи", "где")) or (
            word and bool(grammemes(word)) and bool(grammemes(word)[0] & {"PRTF", "ADJF"})
        ):
            return False  # «Хакеры, связанные с российскими спецслужбами, атаковали …»
    found = _WORD.search(text, party[1], party[2])
    readings = grammemes(found.group().lower()) if found else ()
    if not readings or any(r & {"accs", "datv", "gent", "Fixd", "UNKN"} for r in readings):
        return True
    return _WITH.search(text[max(0, party[1] - 5) : party[1]].lower()) is not None


def agrees(text: str, party: Party, verb: str) -> bool:
    """Whether a party can be the subject of a finite verb by number and, in the past, gender: a
    singular verb takes no plural-only subject («Лавров заявил, что США …, и отверг поправки»:
    not США), a masculine one no feminine noun («Рубио сказал, что Россия …, и раскритиковал»)."""
    verbs = grammemes(verb)
    if not verbs or not all("VERB" in r and "sing" in r for r in verbs):
        return True
    found = _WORD.search(text, party[1], party[2])
    written = found.group() if found else ""
    known = [r for r in grammemes(written.lower()) if "UNKN" not in r]
    if written[:1].isupper() and not written.isupper():
        # a name the dictionary may read as a common plural («Рябков»: рябок)
        known = [r for r in known if r & _NAMED]
    if not known:
        return True
    if not any("sing" in r for r in known):
        head = _HEAD.search(text, max(0, party[1] - 40), party[1])  # «Постпред США … обвинил»
        return head is not None and any(
            {"NOUN", "nomn", "sing"} <= r for r in grammemes(head.group(1).lower())
        )
    gender = verbs[0] & _GENDERS
    if not gender or "past" not in verbs[0] or any(r & _PERSONAL for r in known):
        return True  # «Небензя обвинил»: a man's name may end as a feminine noun
    singular = [r for r in known if "sing" in r and "nomn" in r] or [
        r for r in known if "sing" in r
    ]
    return any(r & gender or not r & _GENDERS or r & _COMMON for r in singular)


_SEPARATELY = re.compile(
    r"(?<!\w)(?:по отдельности|порознь|независимо друг от друга|каждая по отдельности"
    r"|каждый по отдельности|каждое по отдельности|по-отдельности|раздельн\w*|порознь"
    r"|отдельн\w+\s+(?:встреч|переговор|консультац|беседы|контакт)\w*)(?!\w)"
)


def separately(text: str, left: int, start: int) -> bool:
    """Whether the two sides named together act each on their own («Посольства США и России …
    по отдельности выразили соболезнования»): no joint act, nor one aimed at each other."""
    lowered = text[left : start + 60].lower()
    return (  # each of its words holds one of these (a cheap test first)
        "дельн" in lowered or "порознь" in lowered or "независимо" in lowered
    ) and _SEPARATELY.search(lowered) is not None


_AND = re.compile(r"\s+и\s+")


def paired(text: str, parties: list[Party]) -> list[Party]:
    """The two sides' adjectives joined by «и» as one mutual party («переговоры российской и
    американской делегаций», «российские и американские спасатели»), as «Лавров и Рубио» is."""
    if len(parties) < 2:
        return parties
    out: list[Party] = []
    last: Party | None = None  # out[-1]
    for party in parties:
        if (
            last is not None
            and last[0] != party[0]
            and last[0] in _BOTH
            and party[0] in _BOTH
            and _AND.fullmatch(text, last[2], party[1])
            and _adjective(text, last)
            and _adjective(text, party)
        ):
            last = out[-1] = ("mutual", last[1], party[2])
        else:
            out.append(party)
            last = party
    return out


def paired_adjectives(text: str, party: Party) -> bool:
    """Whether a party is a pair of the two sides' adjectives (`paired`), which names both sides
    of the noun it qualifies, in whatever case («Переговоры российской и американской
    делегаций … завершились взаимными упрёками»)."""
    found = _WORD.match(text, party[1], party[2])
    return (
        party[0] == "mutual"
        and found is not None
        and _AND.search(text, party[1], party[2]) is not None
        and _adjective(text, (party[0], party[1], found.end()))
    )


def _adjective(text: str, party: Party) -> bool:
    found = _WORD.fullmatch(text, party[1], party[2])
    readings = grammemes(found.group().lower()) if found else ()
    return bool(readings) and all("ADJF" in r for r in readings)


def judged_third(
    text: str, parties: list[Party], speaker: Party | None, phrase: tuple[int, int, int]
) -> bool:
    """Whether a judgement's object is a third party's act: the first party that is no place
    between the speaker and the judging word («Лавров назвал израильские удары по Ирану
    варварскими»), else right after the word up to a comma, is a third party's. A side's act
    judged, whatever its target, is the other side's business («Рубио назвал российские удары
    по энергетике Украины варварством»). A party inside the phrase is its object («возложила на
    Брюссель вину»). `phrase`: the sentence's start, the word's start and
    end."""
    if speaker is None:
        return False
    s_start, start, end = phrase
    left = speaker[2] if speaker[2] <= start else s_start
    between = [p for p in parties if left <= p[1] and p[2] <= start and p != speaker]
    inside = [p for p in parties if start < p[1] and p[2] <= end]
    if not between and inside:  # the object inside the phrase: «возложила на Брюссель вину»
        return inside[0][0] == "other"
    if not between:
        comma = text.find(",", end)
        between = [p for p in parties if end <= p[1] and (comma < 0 or p[1] < comma)]
    first = next((p for p in between if not _PLACE.search(text[max(0, p[1] - 4) : p[1]])), None)
    return first is not None and first[0] == "other"


_PLACE = re.compile(r"(?<!\w)(?:в|во|на|из|под)\s+$", re.IGNORECASE)
_DENIALS = frozenset(
    "опровергнуть опровергать отрицать опровержение отвергнуть фейк ложь выдумка неправда "
    "дезинформация вымысел вброс".split()
)
"""Denials, and what a speaker calls a report («назвал фейком сообщения о том, что …»)."""
_DENIAL_STEMS = (
    "опроверг",
    "отрица",
    "отверг",
    "фейк",
    "лож",
    "выдум",
    "неправд",
    "дезинф",
    "вымысл",
    "вброс",
)
_THAT = frozenset({"что", "будто"})


def denied(text: str, sentence: tuple[int, int], start: int) -> bool:
    """Whether an act stands in the clause a denial governs («Захарова опровергла сообщения о
    том, что Россия выслала сотрудника посольства США», «отрицает, что …», «назвал фейком
    сообщения о том, что …»: the denial's «что» or «будто» within six words after it), or in a
    report said to be false after it («сообщения о том, что …, не соответствуют
    действительности»): it is the report denied, not an act."""
    left = max(sentence[0], start - 160)
    upper = text[left:start].upper()  # a cheap test first: see _THAT_WORD
    if ("ЧТО" not in upper and "БУДТО" not in upper) or not _THAT_WORD.search(text, left, start):
        return False  # both readings need a «что» or «будто» before the act
    lowered = text[left:start].lower()
    if _REPORT.search(lowered) and _FALSE.search(text[start : sentence[1]].lower()):
        return True
    if not any(stem in lowered for stem in _DENIAL_STEMS):
        return False
    words = _WORD.findall(lowered)
    for at, word in enumerate(words):
        if lemma(word) in _DENIALS and _THAT & set(words[at + 1 : at + 7]):
            return True
    return False


_THAT_WORD = re.compile(r"(?<!\w)(?:что|будто)(?!\w)", re.IGNORECASE)
"""Ignoring case, it matches a Cyrillic letter only where the upper case of the text has that
letter's capital (Python's re takes letters with the same capital as one: «ᲂ» is «о»), so an
upper-cased text without «ЧТО» and «БУДТО» holds no match: a search slow over every character
(the look-behind) is made only where one may be."""
_REPORT = re.compile(
    r"(?<!\w)(?:сообщени|информаци|данны|слух|утверждени|публикаци|заявлени)\w*\s+о\s+том,?\s+(?:что|будто)"
)
_FALSE = re.compile(
    r"(?<!\w)(?:не соответству|не подтверди|не подтвержда|ложн|фейк|не имеют ничего общего"
    r"|не имеет ничего общего|выдумк|вымысел)"
)


def headed(text: str, s_start: int, party: Party, heads: frozenset[str]) -> bool:
    """Whether a party is the genitive of a head noun that can be the subject («представитель
    Госдепа заявил»), not of one in an oblique case («Почтовые ящики сотрудников Госдепа
    взломали хакеры СВР»: the Department's staff are acted upon)."""
    found = _HEAD.search(text, max(s_start, party[1] - 40), party[1])
    if found is None or lemma(found.group(1).lower()) not in heads:
        return False
    if _PLACE.search(text, max(s_start, found.start() - 4), found.start()):
        return True  # «В посольстве США … потребовали»: the office where it is said
    return any("nomn" in r for r in grammemes(found.group(1).lower()))


_EXTENDING = frozenset({"продлить", "продлевать", "продление", "пролонгировать", "сохранить"})


def lapsed(text: str, left: int, phrase: tuple[int, int]) -> bool:
    """Whether a restriction's phrase (its start and end) is, follows right away, or is followed
    in its clause by a verb of extending it («Минфин США не стал продлевать запрет для
    «Росатома»», «решил не продлевать пошлины», «Действие ограничений … продлевать не стали»):
    not extending a restriction is relief, not a hostile act that did not happen."""
    start, end = phrase
    head = _WORD.search(text, start, end)
    if head and lemma(head.group().lower()) in _EXTENDING:
        return True
    words = _WORD.findall(text, max(left, start - 30), start)
    if words and lemma(words[-1].lower()) in _EXTENDING:
        return True
    # «Действие ограничений на экспорт урана продлевать не стали»: the verb after its object
    stop = min([len(text)] + [at for at in (text.find(m, end) for m in ",;:.") if at >= 0])
    return any(lemma(w.lower()) in _EXTENDING for w in _WORD.findall(text, end, stop)[:8])


def relief(code: str) -> str:
    """The relief a restriction left to lapse is: an arrest not extended frees a prisoner."""
    return "release_prisoners" if code == "arrest" else "ease_sanctions"


def at_request(
    text: str, parties: list[Party], span: tuple[int, int], after: list[Party]
) -> tuple[str, str] | None:
    """A third country's act done at one side's demand or request is that side's act against
    the other («По требованию Вашингтона власти Кипра заморозили счета …», «по запросу США
    Испания экстрадировала россиянина»); else none. `span`: the clause's start, the act's."""
    side = ordered_by(text, parties, "other", *span)
    if side is None:
        return None
    other = "russia" if side == "us" else "us"
    target = target_side(text, side, after)
    if target is None and any(p[0] == other for p in parties):
        target = other
    return None if target is None or target == side else (side, target)


_RECEIVING = frozenset({"получить", "получать"})


def received(text: str, left: int, start: int) -> bool:
    """Whether a verb of receiving stands right before an act («Посольство США получило ноту
    протеста»): its subject is the act's target, not its source."""
    return any(lemma(word) in _RECEIVING for word in words_before(text, left, start, 2))


_INTO = re.compile(r"(?<!\w)(?:во?|по (?:запросу|требованию|просьбе))\s+$", re.IGNORECASE)


def extradited(
    text: str, parties: list[Party], sentence: tuple[int, int], head: str
) -> tuple[str, str] | None:
    """(receiving side, the other side) of an extradition by a third country to one side (or at
    its request) of the other side's national («Российский бизнесмен экстрадирован из Испании в
    США», «Власти Польши экстрадировали в США российского хакера»): the receiving side's law
    enforcement acts against the other, whoever hands him over; else none. `head`: the act's
    first word or words."""
    if not head.lower().startswith(("экстрадир", "экстрадиц")):
        return None
    s_start, s_end = sentence
    inside = [p for p in parties if s_start <= p[1] < s_end]
    if not any(p[0] == "other" for p in inside):
        return None
    near = [(p, text[max(s_start, p[1] - 20) : p[1]]) for p in inside]
    into = next((p[0] for p, before in near if p[0] in _BOTH and _INTO.search(before)), None)
    other = "russia" if into == "us" else "us"
    if into is None or not any(p[0] == other for p in inside):
        return None
    return into, other
