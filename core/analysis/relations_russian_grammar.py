"""The grammar helpers of the Russian relations reading (core/analysis/relations_russian.py):
cases of parties, passives, modality, clause breaks and targets, kept apart so each module stays
small."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any

from core.analysis import russian_kept
from core.analysis.relations_clauses import Party
from core.analysis.russian_words import LemmaMatcher, _parses, grammemes, lemma, modifier, window

_BOTH = frozenset({"us", "russia"})
_WORD = re.compile(r"\w+")
_PLACE_WORDS = frozenset("в во на из у под около вблизи близ над".split())
_PRONOUNS = frozenset({"он", "она", "оно", "они"})
_PAIR = re.compile(r"\s+и\s")
_PRONOUN = re.compile(r"(?<!\w)(?:он|она|оно|они)(?!\w)", re.IGNORECASE)
JOINING = frozenset({"и", ",", "а также"})
NOMINAL = frozenset({"NOUN", "ADJF"})
"""A phrase that opens with a noun or its adjective («договорённость», «телефонный разговор»)
names an act rather than doing it."""
GIVING = frozenset({"hand_over", "exchange_data"})
"""Acts that give something to someone: a third party as the recipient or the giver is no
US–Russia act."""
UNDERGO = frozenset(
    {"попасть", "подпасть", "подвергнуться", "оказаться", "обвиняться", "подозреваться"}
)
"""Verbs whose subject undergoes the act («попали под санкции», «обвиняется в шпионаже»)."""
HEAD_NOUNS = frozenset(
    "представитель глава посол министр пресс-секретарь секретарь спикер руководитель сотрудник "
    "власть директор председатель лидер президент премьер министерство ведомство делегация "
    "администрация правительство посольство генпрокурор суд прокуратура спецслужба разведка "
    "военный дипломат депутат сенатор замминистра замглавы советник помощник агент эксперт "
    "специалист переговорщик отношение".split()
)
"""Nouns whose genitive complement is the party that acts («представитель Госдепа заявил»)."""
FRAMING = frozenset({"demand", "threaten", "warn"})
"""Acts whose content is the act that follows: a cooperative act demanded is no cooperation."""
_NAMED = frozenset({"Surn", "Name", "Patr", "Geox", "Orgn"})
_OBLIQUE_ENDINGS = ("а", "я", "у", "ю", "е", "и", "ы", "ом", "ем", "ём", "ым", "им", "ой", "ей")
_TOPIC_HEADS = frozenset(
    {
        "годовщина", "юбилей", "ответ", "сообщение", "уведомление", "слух", "вопрос",
        "комментарий", "провал", "публикация", "информация", "разговор", "спекуляция",
        "домысел", "предположение", "прогноз", "версия", "дата", "срок", "деталь", "подробность",
        "спор", "дискуссия", "дебаты", "обсуждение", "впечатление", "воспоминание", "новость",
        "известие", "запрос", "просьба", "ходатайство",
        # verbs that answer or weigh an act named after them: «ответит на предложения»
        "ответить", "отвечать", "отреагировать", "реагировать", "изучать", "изучить",
    }
)  # fmt: skip
"""A noun whose complement names an act referred to, not reported: «годовщина встречи»,
«ответ на предложения», «сообщения о возможной встрече», «уведомления о задержании», «провал
мирной инициативы», «разговоры о встрече», «даты новой встречи», «споры о пакете санкций», and
the complement of a verb that answers or weighs it («ответит на предложения»)."""
_POSSIBILITY = frozenset({"возможность", "вероятность", "перспектива", "целесообразность"})
"""A noun of possibility between a noun of reference and the act it refers to («ответил на
вопрос о возможности обмена»)."""
_PREPOSITIONS = frozenset("в во на о об по к с со за от для из".split())


_MINOR_RIVALS = frozenset({"impr", "ADJS"})
"""Rival readings that Russian news almost never means: an imperative (пришли, «send!»), a
short adjective (закрыт as «closed», снята as «снятой»)."""


_SHADOWED_KINDS = frozenset({"VERB", "PRTS", "NOUN"})
"""The forms that can be shadowed so (finite verbs, short participles, nouns): a verb's lexeme
also holds its full participles and gerunds, some hundred forms no rival reads first, and reading
each cost a Russian reader ~2 s to build."""


def shadowed_forms(word: str) -> tuple[str, ...]:
    """The written forms of a verb or noun that the dictionary reads first as another word, so
    matching by lemma misses them: пришли (прислать), нашли (наслать), закрыты (закрытый), снята
    (снятой), смягчён (смягчённый). Only forms whose every rival reading is an imperative or a
    short adjective: «вышли» (выйти), «прибыли» (прибыль), «после» (посол) stay unread. Kept
    between processes (core/analysis/russian_kept.py)."""
    kept: list[str] | None = russian_kept.lookup("shadowed", word)
    if kept is not None:
        return tuple(kept)
    found = _shadowed_forms(word)
    russian_kept.keep("shadowed", word, list(found))
    return found


def _shadowed_forms(word: str) -> tuple[str, ...]:
    parses = _parses(word)
    if not parses or word.isascii():
        return ()
    own = parses[0].normal_form
    found: dict[str, None] = {}
    for form in parses[0].lexeme:
        if form.tag.POS not in _SHADOWED_KINDS:
            continue
        written = str(form.word)
        if written in found or lemma(written) == lemma(word):
            continue
        readings = _parses(written)
        rivals = [r for r in readings if r.normal_form != own]
        if any(r.normal_form == own for r in readings) and all(
            r.tag.grammemes & _MINOR_RIVALS for r in rivals
        ):
            found[written] = None
    return tuple(found)


def short_participle(word: str) -> bool:
    """Whether a lower-case word is a short passive participle («высланы»), also where the
    dictionary reads it first as a short adjective («закрыты», «снята»)."""
    readings = grammemes(word)
    if not readings:
        return False
    return "PRTS" in readings[0] or ("ADJS" in readings[0] and any("PRTS" in r for r in readings))


def first_word(text: str, start: int, end: int) -> str:
    found = _WORD.search(text, start, end)
    return found.group().lower() if found else ""


def can_be(text: str, party: Party, case: str) -> bool:
    """Whether a party's first word can stand in `case`: unknown and indeclinable words can, and
    so can a capitalised word the dictionary reads only as something else than a name or place
    (Рябков as a bird's genitive)."""
    word = first_word(text, party[1], party[2])
    written = text[party[1] : party[1] + len(word)]
    readings = grammemes(word)
    if written[:1].isupper():  # «Путина» is a name here, not the fishing season
        readings = tuple(r for r in readings if r & _NAMED) or readings
    if readings and any("Fixd" in r for r in readings):
        head = governing_noun(text, party[1])
        if head:  # «Посольству США», «Гражданину США»: the head noun's case is the party's
            return any(case in r for r in head)
    if readings and all("ADJF" in r for r in readings):
        noun = qualified_noun(text, party[1] + len(word))
        if noun:  # «российским дипломатам»: the adjective stands in its noun's case
            return any(case in r for r in noun) and any(case in r for r in readings)
    if not readings or any(case in r or "Fixd" in r or "UNKN" in r for r in readings):
        return True
    return (
        written[:1].isupper()
        and not written.isupper()
        and all("NOUN" in r and not r & _NAMED for r in readings)
        and not word.endswith(_OBLIQUE_ENDINGS)
    )


def qualified_noun(text: str, end: int) -> tuple[frozenset[str], ...]:
    """The readings of the word right after an adjective when it is a noun only («российским
    дипломатам»: dative, not the instrumental the adjective alone allows); empty otherwise."""
    found = _WORD.match(text, end + 1) if text[end : end + 1] == " " else None
    if found is None:
        return ()
    readings = grammemes(found.group().lower())
    return readings if readings and all("NOUN" in r for r in readings) else ()


def governing_noun(text: str, start: int) -> tuple[frozenset[str], ...]:
    """The readings of the noun right before an indeclinable party when that noun cannot be
    nominative («Посольству США», «Гражданину США»): the party is its genitive complement and
    stands in its case. Empty otherwise (a preposition, a nominative noun, no noun)."""
    found = _WORD.findall(text, max(0, start - 30), start)
    if not found or text[start - 1 : start] != " " or _last_mark(text, start - 1) in ",;:—–":
        return ()  # «Как заявили в Белом доме, США продлят …»: no noun across a comma
    readings = grammemes(found[-1].lower())
    if not readings or not all("NOUN" in r for r in readings):
        return ()
    if any("nomn" in r or "Fixd" in r for r in readings):
        return ()
    return readings


def _last_mark(text: str, end: int) -> str:
    """The last character before `end` that is not white space, "" if none: what
    `text[:end].rstrip()[-1:]` says, without copying the text before it."""
    at = end - 1
    while at >= 0 and text[at].isspace():
        at -= 1
    return text[at] if at >= 0 else ""


def words_before(text: str, left: int, right: int, count: int = 1) -> list[str]:
    return [w.lower() for w in _WORD.findall(text, max(left, right - 40), right)[-count:]]


def passive_direction(
    text: str,
    before: list[Party],
    after: list[Party],
    speaker_of: Callable[[], Party | None],
    host: Callable[[str], str | None] = lambda target: None,
) -> tuple[str, str] | None:
    """«Американец был задержан в Москве», «санкции введены против России Вашингтоном»; `host`:
    the side of the country the target is to leave («объявлен персоной нон грата и должен
    покинуть Россию»), when no agent, speaker or place names who acts."""
    agent = next(
        (p for p in before + after if p[0] in _BOTH and agent_marked(text, p)),
        next(
            (p for p in before + after if p[0] in _BOTH and not can_be(text, p, "nomn")
             and can_be(text, p, "ablt")),
            None,
        ),
    )  # fmt: skip
    places = [p for p in before + after if is_place(text, 0, p)]
    patients = [p for p in before if p is not agent and p not in places and can_be(text, p, "nomn")]
    patients = patients or [p for p in before if p is not agent and p not in places]
    # «В Москве … приговорён гражданин США», «В США арестованы счета российского фонда»: the
    # subject, or its owner, after the participle
    patients = (
        patients
        or [p for p in after if p[0] in _BOTH and p is not agent and not is_place(text, 0, p)][:1]
    )
    patients = patients or [p for p in before if p is not agent]  # «решение Белого дома»
    target = patients[-1] if patients else None
    if target is None:
        target = next((p for p in after if p[0] in _BOTH and p is not agent), None)
    if target is None or target[0] not in _BOTH:
        return None
    other = _BOTH - {target[0]}
    source = agent if agent is not None and agent[0] in other else None
    source = source or next((p for p in after if p[0] in other), None)
    if source is None:
        said = speaker_of()
        source = said if said is not None and said[0] in other else None
    # «Посольству США в Москве вручена нота»: the impersonal «они» is the place's side
    source = source or next((p for p in places if p[0] in other), None)
    if source is None:
        hosting = host(target[0])
        return (hosting, target[0]) if hosting else None
    return source[0], target[0]


def openings(*groups: tuple[Sequence[str], int]) -> re.Pattern[str]:
    """A regex finding, in lower-case text, the first letters (each group's number of them) of
    any term's first word (the part inflection leaves alone): a cheap test before a full scan.
    Written as a tree of their letters («д(?:ва|ве|ел|ог)»): it is only ever asked whether it
    finds one, which an opening that continues a shorter one cannot change, and a tree is tried
    letter by letter rather than opening by opening at every place."""
    tree: dict[str, dict[str, Any]] = {}
    for terms, size in groups:
        for term in terms:
            node = tree
            for letter in term.lstrip("=").split()[0].lower()[:size]:
                node = node.setdefault(letter, {})
            node[""] = {}
    return re.compile(_alternatives(tree) if tree else r"(?!x)x")


def _alternatives(node: dict[str, dict[str, Any]]) -> str:
    """The regex of a letter tree's openings (`openings`): empty where one ends."""
    if "" in node:
        return ""
    branches = [re.escape(letter) + _alternatives(node[letter]) for letter in sorted(node)]
    return branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"


def joins(text: str, parties: list[Party], start: int, end: int) -> bool:
    """Whether a break at text[start:end] is an «и» between two parties («Путина и Уиткоффа»)."""
    return (
        text[start:end].lower() == "и"
        and any(p[2] <= start and not text[p[2] : start].strip() for p in parties)
        and any(p[1] >= end and not text[end : p[1]].strip() for p in parties)
    )


def pronoun_subject(text: str, left: int, start: int) -> int | None:
    """Where a personal pronoun stands as the subject in the few words before a phrase (from
    `left`, the clause's start), or None. A case-ignoring search of the slice first: it finds
    every word that lowers to a pronoun (most clauses have none)."""
    if not _PRONOUN.search(text[max(left, start - 40) : start]):
        return None
    for found in reversed(list(_WORD.finditer(text, max(left, start - 40), start))):
        if found.group().lower() in _PRONOUNS:
            return found.start()
    return None


_LOCI = frozenset(
    "аэропорт город штат порт столица пригород окрестность район область край регион "
    "побережье акватория небо гавань".split()
)
"""Nouns of a place whose genitive names it («в аэропорту Майами», «в окрестностях Москвы»)."""


def is_place(text: str, s_start: int, party: Party) -> bool:
    """A party named as a place («в Москве», «из США», «на Кипре»), not as an actor
    («возложила на Брюссель вину»)."""
    words = words_before(text, s_start, party[1], 2)
    if words and words[-1] in _PLACE_WORDS:
        return words[-1] != "на" or can_be(text, party, "loct")
    return len(words) == 2 and words[0] in _PLACE_WORDS and lemma(words[1]) in _LOCI


def target_side(text: str, side: str, after: list[Party]) -> str | None:
    """The first party after the phrase of another side; a third party means none, unless
    joined to the other side («Киеву и Вашингтону») or named as the venue («в Женеве»)."""
    for position, party in enumerate(after):
        if party[0] == side or (party[0] == "other" and is_place(text, 0, party)):
            continue  # «провели в Женеве консультации»: a third country as the venue
        if party[0] == "mutual":
            return "russia" if side == "us" else "us"
        following = after[position + 1] if position + 1 < len(after) else None
        if following and following[0] == "other" and not text[party[2] : following[1]].strip():
            return None  # «американского бизнеса»: a nationality of a third party
        if party[0] != "other":
            return party[0]
        for following in after[position + 1 :]:
            if text[party[2] : following[1]].strip().lower() not in JOINING:
                return None
            if following[0] not in (side, "other"):
                return following[0] if following[0] != "mutual" else None
            party = following
        return None
    return None


def attributive(text: str, start: int, end: int) -> bool:
    """Whether a break at text[start:end] is the comma before a participle clause that describes
    the object («выдал лицензию, разрешающую операции с «Аэрофлотом»»): the act's target may
    stand in it."""
    if text[start:end] != ",":
        return False
    readings = grammemes(first_word(text, end, end + 40))
    return bool(readings) and all("PRTF" in r for r in readings)


def referred(
    text: str,
    clause: tuple[int, int],
    start: int,
    readings: Sequence[frozenset[str]],
    weak: list[tuple[int, int]],
) -> bool:
    """Whether a noun act names what another act is about rather than an act of its own: a
    noun in an oblique case that continues the complement of the act before it in the same
    clause, with no verb between («обвинили друг друга в срыве договорённостей», «передала
    данные о подозреваемых в организации кибератак»), or the complement of a noun of reference
    («годовщина встречи», «ответ на предложения»). `clause`: the sentence's start and the end
    of the phrase before (-1 if none)."""
    if not readings or not all(r & NOMINAL for r in readings):
        return False  # «новом пакете санкций» opens with its adjective
    before = words_before(text, clause[0], start, 4)
    while before and modifier(before[-1]):  # «сообщения о возможной встрече»
        before = before[:-1]
    about = bool(before) and before[-1] in ("о", "об")
    if before and before[-1] in _PREPOSITIONS:
        before = before[:-1]
    if before and lemma(before[-1]) in _POSSIBILITY:  # «вопрос о возможности обмена»
        before = before[:-1]
        if before and before[-1] in _PREPOSITIONS:
            before = before[:-1]
    if before and lemma(before[-1]) in _TOPIC_HEADS:
        return True
    owners = before  # «запросы российских дипломатов о продлении виз»: the asker between
    while owners and lemma(owners[-1]) not in _TOPIC_HEADS and _genitive(owners[-1]):
        owners = owners[:-1]
    if about and len(owners) < len(before) and owners and lemma(owners[-1]) in _TOPIC_HEADS:
        return True
    follows = clause[1]
    if any("nomn" in r or "NOUN" not in r for r in readings) or follows < 0:
        return False  # an adjective after an act judges it: «назвал переговоры конструктивными»
    if any(follows <= b < start for b, _ in weak):
        return False
    return not any(
        any(r & {"VERB", "INFN"} for r in grammemes(word.lower()))
        for word in _WORD.findall(text, follows, start)
    )


_DECREED = re.compile(
    r"(?<!\w)(?:со стороны|(?:по\s+)?(?:указу|решению|распоряжению|приказу)"
    r"|указом|решением|распоряжением|приказом|постановлением)(?:\s+(?:президента|главы|суда))?\s*$",
    re.IGNORECASE,
)


def _genitive(word: str) -> bool:
    readings = grammemes(word)
    return bool(readings) and "gent" in readings[0] and bool(readings[0] & NOMINAL)


def agent_marked(text: str, party: Party) -> bool:
    """Whether a party is the agent of a passive or a noun act: after «со стороны»
    («со стороны США введены ограничения») or an instrument of office («помилован указом
    Путина»), or in the instrumental only («Вашингтоном»)."""
    if _DECREED.search(text[max(0, party[1] - 30) : party[1]]):
        return True
    return (
        not can_be(text, party, "nomn")
        and can_be(text, party, "ablt")
        and not can_be(text, party, "gent")
    )


def nominal_direction(
    text: str, after: list[Party], present: set[str], end: int
) -> tuple[str, str] | None:
    """(source, target) of a material noun act with no subject before it: its agent is a party
    after «со стороны» or in the instrumental («введение санкций … Вашингтоном»), its object
    the first other party after it, in the genitive or after «против» («высылка американских
    дипломатов из России», «арест гражданина США»); without an agent the other side acts. (A
    said act's genitive may be its speaker or its object, «критика Вашингтона»: not read.)"""
    sides = [p for p in after if p[0] in _BOTH]
    # the instrumental of a participle clause after a comma belongs to that clause («санкцию на
    # арест бизнесмена, торговавшего американскими запчастями»): neither agent nor object
    clausal = [p for p in sides if "," in text[end : p[1]] and agent_marked(text, p)]
    sides = [p for p in sides if p not in clausal]
    present = present - ({p[0] for p in clausal} - {p[0] for p in sides})
    agent = next((p for p in sides if agent_marked(text, p)), None)
    rest = [p for p in sides if p is not agent and not is_place(text, 0, p)]
    patient = rest[0] if rest else None
    source = agent[0] if agent else None
    target = patient[0] if patient else None
    if source is None and target is not None:
        source = next(iter(_BOTH - {target} & present), None)
    if target is None and source is not None:
        target = next(iter(_BOTH - {source} & present), None)
    if source is None or target is None or source == target:
        return None
    return source, target


def shares_object(text: str, end: int, start: int, stop: int) -> bool:
    """Whether a break at text[start:stop] is an «и» that joins the act's verb to another verb
    that shares its object («помиловали и передали американской стороне гражданку США»): the
    act's object stands after both."""
    if text[start:stop].lower() != "и" or text[end:start].strip():
        return False
    readings = grammemes(first_word(text, stop, stop + 40))
    return bool(readings) and "VERB" in readings[0]


_WITH_VERBS = frozenset({"обсудить", "обсуждать"})
"""Verbs of talking that name the other side only as a partner («обсудили с Рубио»): what one
side discusses alone («депутаты обсудили российско-американские отношения») is no contact."""


def partner_needed(text: str, head_start: int, after: list[Party]) -> bool:
    """Whether a talking verb lacks its partner: no party after it follows «с»/«со»."""
    if lemma(first_word(text, head_start, head_start + 40)) not in _WITH_VERBS:
        return False
    return not any(words_before(text, head_start, p[1])[-1:] in (["с"], ["со"]) for p in after)


_WAYS = frozenset({"в", "во", "из", "изо"})


def third_recipient(text: str, head_end: int, after: list[Party]) -> bool:
    """Whether a giving act's recipient or giver is a third party: one after «в» or «из»
    («экстрадиция … в Казахстан», «экстрадирован из Испании»), or in the dative right after the
    verb («передать Киеву разведданные»)."""
    for party in after:
        way = words_before(text, head_end, party[1])[-1:]
        if party[0] in _BOTH and can_be(text, party, "datv") and not set(way) & _WAYS:
            return False  # «передала американской стороне тело погибшего в Сирии военного»
        if party[0] != "other":
            continue
        if (
            words_before(text, head_end, party[1])[-1:]
            and words_before(text, head_end, party[1])[-1] in _WAYS
        ):
            return True
        if len(_WORD.findall(text, head_end, party[1])) <= 1 and can_be(text, party, "datv"):
            return True
    return False


_BY_ORDER = re.compile(
    r"по (?:решению|требованию|указанию|распоряжению|приказу|инициативе|запросу|просьбе)\s+$"
)


def ordered_by(text: str, parties: list[Party], side: str, left: int, right: int) -> str | None:
    """The side that ordered an act between `left` and `right` («Генконсульство США … по решению
    Москвы прекратило работу»: Moscow closed it), when not the subject's own."""
    for party in parties:
        if (
            left <= party[1] < right
            and party[0] in _BOTH - {side}
            and _BY_ORDER.search(text[max(left, party[1] - 25) : party[1]].lower())
        ):
            return party[0]
    return None


_CITING = re.compile(r"(?:по (?:словам|данным|информации|мнению|сведениям)|со ссылкой на)\s+$")


def cited(text: str, party: Party) -> bool:
    """Whether a party is cited as a source («По данным Минфина США, …», «по словам Рябкова»):
    it speaks, it takes no part in the act."""
    return _CITING.search(text[max(0, party[1] - 25) : party[1]].lower()) is not None


def agent_after(text: str, head_end: int, after: list[Party]) -> bool:
    """Whether a party in the instrumental follows a participle right away («Помилованный
    Путиным американец», «задержанный ФСБ»): the participle reports an act, not a state."""
    return any(
        p[0] in _BOTH
        and (not _WORD.findall(text, head_end, p[1]) or _DECREED.search(text[head_end : p[1]]))
        and agent_marked(text, p)
        for p in after[:1]
    )


_INTENT_NOUNS = frozenset(
    "решение намерение план попытка готовность предложение требование угроза отказ".split()
)


def intended_by(text: str, actors: list[Party], start: int) -> Party | None:
    """The party in the genitive after a noun of intent right before an infinitive act or «о»
    and a noun act («Решение Вашингтона ввести пошлины», «попытка США сорвать переговоры»,
    «решение Вашингтона о выходе из договора»): it acts."""
    if not actors or [w.lower() for w in _WORD.findall(text, actors[-1][2], start)] not in (
        [],
        ["о"],
        ["об"],
    ):
        return None
    party = actors[-1]
    noun = words_before(text, max(0, party[1] - 40), party[1])
    return party if noun and lemma(noun[-1]) in _INTENT_NOUNS and party[0] in _BOTH else None


def fronted(
    text: str, candidates: list[tuple[str, LemmaMatcher]], left: int, start: int, gap: int
) -> tuple[int, str]:
    """(start, category) of a passive phrase whose object stands before its participle, as the
    passive's subject («Ограничения на поставку запчастей … смягчены», «Консульство США …
    закрыто»): the first object (`candidates`: each phrase's category and first later part)
    found within `gap` words before the head at `start` (more than a verb's object may stand
    away: the subject carries its complements), no comma between; (-1, "") if none."""
    left = max([left] + [at + 1 for at in (text.rfind(m, left, start) for m in ",;:") if at >= 0])
    for code, tail in candidates:
        hits = tail.finditer(text, window(tail, text, left, start))
        if hits and len(_WORD.findall(text, hits[0][2], start)) <= gap:
            return hits[0][1], code
    return -1, ""


def noun_agent(
    text: str, words: list[str], head_end: int, after: list[Party], parties: list[Party]
) -> Party | None:
    """The party in the genitive right after a said noun act, which is its author («в
    готовности Москвы», «предложения Вашингтона»), unless it opens a pair of the two sides
    («переговоры России и США»)."""
    readings = grammemes(words[0]) if words else ()
    if not readings or not all("NOUN" in r for r in readings) or not after:
        return None
    party = after[0]
    if party[0] not in _BOTH or _WORD.findall(text, head_end, party[1]):
        return None
    pair = _PAIR.match(text, party[2])
    if pair is not None:
        at = party[2] + pair.group().index("и")
        if joins(text, parties, at, at + 1):
            return None
    if can_be(text, party, "datv"):
        return None  # «выразил протест США»: the indeclinable may be whom it is addressed to
    return party if can_be(text, party, "gent") else None


def relative_comma(text: str, left: int, right: int) -> int:
    """Where the last comma before `right` stands, from which an earlier party of the other side
    is no target of a new clause («Путин поздравил Си, Трамп ограничился звонком Моди»); `left`
    - 1 when none does or when a relative clause follows it («арестован россиянин, которого
    американские власти обвиняют …» targets the antecedent)."""
    comma = text.rfind(",", left, right)
    if comma < 0 or first_word(text, comma, right).startswith(("котор", "чей", "чья", "чьи")):
        return left - 1
    return comma


def object_before(
    text: str, before: list[Party], subject: Party, side: str, start: int
) -> str | None:
    """The other side as an object just before the act, after its subject («Вашингтон передал
    Москве предложения»: at most one word between, not nominative)."""
    return next(
        (
            p[0]
            for p in before
            if p[0] in _BOTH - {side}
            and p[1] > subject[2]
            and len(_WORD.findall(text, p[2], start)) <= 1
            and not can_be(text, p, "nomn")
        ),
        None,
    )
