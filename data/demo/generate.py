"""Writes the bundled demo corpus: one RSS 2.0 file per outlet, and manifest.toml.

An outlet that publishes in two languages has two feeds under one outlet name (TASS, Meduza, DW):
its two *editions*. `EDITIONS` tells some events in Russian for the Russian edition, in the style
of Russian reporting (inflected names, as the Russian reader must find them), and the English
edition is made to report the same event, so the Outlets page can set them side by side.

Everything here is invented for Détente: the events, the headlines and the summaries are written
for this project (no copied article text) and the links point at demo.detente.invalid. Each event
is told by several outlets, each in its bloc's voice, so bloc framing differs as it does in real
coverage. Deterministic: `python data/demo/generate.py` rewrites the same files.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path
from xml.sax.saxutils import escape

HERE = Path(__file__).resolve().parent
START = datetime(2026, 8, 1, 6, 0, tzinfo=UTC)

OUTLETS = {
    # slug: (outlet, bloc, country, language, the real feed it stands in for)
    "tass": ("TASS", "russian-state", "RU", "en", "https://tass.com/rss/v2.xml"),
    "rt": ("RT", "russian-state", "RU", "en", "https://www.rt.com/rss/news/"),
    "sputnik": ("Sputnik", "russian-state", "RU", "en", "https://sputnikglobe.com/export/rss2/archive/index.xml"),
    "tass-ru": ("TASS", "russian-state", "RU", "ru", "https://tass.ru/rss/v2.xml"),
    "meduza": ("Meduza", "russian-independent", "LV", "en", "https://meduza.io/rss/en/all"),
    "meduza-ru": ("Meduza", "russian-independent", "LV", "ru", "https://meduza.io/rss/all"),
    "moscowtimes": ("The Moscow Times", "russian-independent", "NL", "en", "https://www.themoscowtimes.com/rss/news"),
    "nyt": ("The New York Times", "us", "US", "en", "https://rss.nytimes.com/services/xml/rss/nyt/World.xml"),
    "politico": ("Politico", "us", "US", "en", "https://rss.politico.com/politics-news.xml"),
    "foxnews": ("Fox News", "us", "US", "en", "https://moxie.foxnews.com/google-publisher/world.xml"),
    "bbc": ("BBC News", "european", "GB", "en", "https://feeds.bbci.co.uk/news/world/rss.xml"),
    "guardian": ("The Guardian", "european", "GB", "en", "https://www.theguardian.com/world/russia/rss"),
    "dw": ("DW", "european", "DE", "en", "https://rss.dw.com/rdf/rss-en-world"),
    "dw-ru": ("DW", "european", "DE", "ru", "https://rss.dw.com/rdf/rss-ru-all"),
    "kyivindependent": ("The Kyiv Independent", "ukrainian", "UA", "en", "https://kyivindependent.com/news-archive/rss/"),
    "pravda": ("Ukrainska Pravda", "ukrainian", "UA", "en", "https://www.pravda.com.ua/eng/rss/"),
    "reuters": ("Reuters (via Google News)", "wire", "GB", "en", "https://news.google.com/rss/search?q=site:reuters.com+Russia"),
    "ap": ("Associated Press", "wire", "US", "en", "https://apnews.com/hub/russia-ukraine"),
    "aljazeera": ("Al Jazeera", "other", "QA", "en", "https://www.aljazeera.com/xml/rss/all.xml"),
}  # fmt: skip
BY_BLOC: dict[str, list[str]] = {}
for _slug, (_, _bloc, _, _lang, _) in OUTLETS.items():
    if _lang == "en":
        BY_BLOC.setdefault(_bloc, []).append(_slug)


@dataclass(frozen=True)
class Event:
    day: int
    subject: str
    """A noun phrase: what happened."""
    facts: str
    """Two neutral sentences any outlet would report."""
    us_side: str
    ru_side: str


# Day 0 = 1 August 2026. Days 74–77 are the Geneva summit: coverage spikes.
EVENTS = [
    Event(2, "new US sanctions on Rosneft and Lukoil", "The Treasury Department added Rosneft and Lukoil subsidiaries to its sanctions list on Monday. The measures freeze US assets and threaten secondary sanctions on foreign buyers of Russian oil.", "Treasury Secretary Scott Bessent", "Dmitry Peskov"),
    Event(5, "the expiry countdown for New START", "With the New START treaty's last limits due to lapse, neither Washington nor Moscow has proposed a formal extension. Both sides say they will keep to the warhead ceilings for now.", "Secretary of State Marco Rubio", "Sergei Ryabkov"),
    Event(9, "a prisoner swap in Abu Dhabi", "Russia and the United States exchanged four detained citizens in Abu Dhabi on Thursday. The swap was brokered by the United Arab Emirates after months of quiet talks.", "President Trump", "Vladimir Putin"),
    Event(12, "a drone strike on a Kyiv power plant", "A Russian drone strike damaged a thermal power plant in Kyiv overnight, cutting heating to parts of the city. Ukraine's air force said most drones were shot down.", "the State Department", "the Russian Defense Ministry"),
    Event(15, "Lavrov's call with Rubio on embassy staffing", "Sergei Lavrov and Marco Rubio spoke by telephone about restoring embassy staffing and diplomatic property. The two ministers agreed their deputies would meet again in Istanbul.", "Marco Rubio", "Sergei Lavrov"),
    Event(19, "a ransomware attack on a US water utility", "A ransomware group with suspected links to Russian intelligence hit a water utility in Pennsylvania. The FBI said the hackers encrypted billing systems but did not reach treatment controls.", "the FBI", "Maria Zakharova"),
    Event(22, "NATO drills in the Baltic", "NATO began a two-week military exercise in the Baltic with 30,000 troops and a US carrier group. Moscow called the drills a rehearsal for war near Kaliningrad.", "the Pentagon", "Dmitry Medvedev"),
    Event(26, "a thwarted terror plot in Moscow", "Russian security services said they had foiled a terror plot by Islamic State supporters targeting a Moscow concert hall. US officials confirmed they had shared a warning about the plot through counterterrorism channels.", "the State Department", "the FSB"),
    Event(29, "the oil price cap review", "G7 finance ministers agreed to lower the oil price cap on Russian crude to $45 a barrel. The Treasury said enforcement against the shadow fleet would tighten.", "the Treasury Department", "Kirill Dmitriev"),
    Event(33, "a Russian test of the Burevestnik missile", "Russia announced a successful test of its nuclear-powered Burevestnik cruise missile over the Arctic. The Pentagon said it was studying the data and urged restraint on nuclear testing.", "the Pentagon", "Vladimir Putin"),
    Event(36, "an RT ban debate in Congress", "A bipartisan bill in Congress would designate RT and Sputnik as foreign agents and bar them from US cable systems. Supporters cite a propaganda campaign around the midterms.", "Senator Lindsey Graham", "Maria Zakharova"),
    Event(40, "Witkoff's visit to Moscow", "Special envoy Steve Witkoff met Vladimir Putin in the Kremlin for four hours on Tuesday. Kremlin aide Yuri Ushakov called the talks useful but said no ceasefire date was agreed.", "Steve Witkoff", "Yuri Ushakov"),
    Event(44, "a ceasefire proposal for the Black Sea", "Negotiators in Riyadh discussed a ceasefire covering shipping in the Black Sea. Ukraine insisted on security guarantees before any truce.", "Steve Witkoff", "Kirill Dmitriev"),
    Event(47, "election interference warnings", "US intelligence agencies warned of a Russian influence operation using deepfake videos ahead of the midterm elections. The GRU was named as the likely source of the campaign.", "the Office of the Director of National Intelligence", "Dmitry Peskov"),
    Event(51, "the detention of an American journalist in Yekaterinburg", "Russian authorities detained an American freelance journalist in Yekaterinburg on espionage charges. The State Department said he was wrongfully detained and demanded consular access.", "the State Department", "the Russian Foreign Ministry"),
    Event(54, "Patriot deliveries to Ukraine", "The Pentagon confirmed delivery of two more Patriot air defense batteries to Ukraine. Moscow said the weapons deliveries prolong the war.", "Pete Hegseth", "Dmitry Peskov"),
    Event(58, "LNG tariffs and Arctic LNG 2", "Washington imposed tariffs and sanctions on buyers of cargoes from Arctic LNG 2. European importers asked for clarity on existing contracts.", "the Treasury Department", "Novatek"),
    Event(61, "a Zakharova briefing on Washington's 'hybrid war'", "Foreign Ministry spokeswoman Maria Zakharova accused Washington of waging an information war against Russia. She cited US funding for Russian-language media abroad.", "the State Department", "Maria Zakharova"),
    Event(65, "talks on strategic stability in Geneva", "Russian and American delegations held their first strategic stability talks in three years in Geneva. Arms control experts said the agenda covered missile defense and nuclear doctrine.", "Under Secretary of State for arms control", "Sergei Ryabkov"),
    Event(68, "a summit date announced", "The White House and the Kremlin announced that Donald Trump and Vladimir Putin will meet in Geneva in mid-October. Officials said the agenda includes Ukraine, arms control and sanctions relief.", "the White House", "Yuri Ushakov"),
    Event(72, "Zelensky's warning ahead of the summit", "Volodymyr Zelensky said no deal about Ukraine could be made without Ukraine at the table. He met NATO leaders in Brussels to press for security guarantees.", "JD Vance", "Dmitry Peskov"),
    Event(74, "the opening of the Geneva summit", "Donald Trump and Vladimir Putin opened their summit in Geneva with a handshake and a private meeting. Aides said the talks covered a ceasefire in Ukraine and the future of New START.", "President Trump", "Vladimir Putin"),
    Event(75, "the Geneva summit's second day", "The second day of the Geneva summit ran three hours over schedule. Rubio and Lavrov worked on a joint statement on strategic stability and embassy staffing.", "Marco Rubio", "Sergei Lavrov"),
    Event(76, "the Geneva joint statement", "Trump and Putin issued a joint statement pledging new arms control talks and a working group on a ceasefire. There was no agreement on sanctions relief.", "President Trump", "Vladimir Putin"),
    Event(77, "reactions to the Geneva summit", "Allies in Europe gave the summit's results a cautious welcome. Kyiv said any ceasefire talks must include Ukraine.", "the White House", "the Kremlin"),
    Event(81, "a working group on the ceasefire", "The first meeting of the US-Russian working group on a ceasefire took place in Istanbul. Delegates discussed monitoring along the front line.", "Steve Witkoff", "Kirill Dmitriev"),
    Event(85, "a cyber attack on a European airport", "A cyber attack disrupted check-in systems at several European airports. Investigators traced the malware to a group previously tied to Russian military intelligence.", "the FBI", "Maria Zakharova"),
    Event(88, "sanctions relief for Aeroflot parts", "The Treasury eased some sanctions to allow the sale of aircraft parts to Aeroflot for safety reasons. Critics in Congress called the sanctions relief premature.", "the Treasury Department", "Kirill Dmitriev"),
    Event(92, "a missile strike on Kharkiv", "A Russian missile strike killed 11 people in Kharkiv, days after the ceasefire working group met. Ukraine called it proof that Moscow is not serious about a truce.", "Marco Rubio", "the Russian Defense Ministry"),
    Event(95, "a new consular agreement", "Russia and the United States agreed to return diplomatic property and resume visa services in both capitals. The consular agreement follows the Geneva summit.", "the State Department", "the Russian Foreign Ministry"),
    Event(99, "intelligence sharing on ISIS-K", "US and Russian officials said they had resumed limited intelligence sharing on ISIS-K after a failed attack in Dagestan. Counterterrorism cooperation had been frozen since 2022.", "the CIA", "the FSB"),
    Event(102, "a test ban dispute", "The Pentagon said it was reviewing readiness for nuclear testing after reports of activity at Novaya Zemlya. Moscow said it would test only if Washington did first, citing the CTBT.", "Pete Hegseth", "Sergei Ryabkov"),
    Event(105, "Medvedev's nuclear threats", "Dmitry Medvedev warned that Tomahawk missiles for Ukraine would trigger a nuclear response. The White House dismissed the comments as bluster.", "the White House", "Dmitry Medvedev"),
    Event(108, "a gas transit deal for Europe", "Hungary and Slovakia asked Washington for an exemption to keep buying Russian gas through TurkStream. The State Department said energy sanctions would stay.", "the State Department", "Gazprom"),
    Event(110, "a Security Council vote on Ukraine", "The UN Security Council voted on a resolution backing the ceasefire talks. Russia and the United States both voted in favour, an unusual alignment.", "the US ambassador to the UN", "Vasily Nebenzya"),
]  # fmt: skip

# Each bloc's voice: headline templates and a framing sentence pool. {s} is the subject,
# {us} and {ru} the two sides' actors.
VOICES = {
    "russian-state": (
        [
            "Kremlin: {s} shows Washington's double standards",
            "{ru} comments on {s}",
            "Moscow responds to {s}",
            "Experts: {s} will backfire on the West",
        ],
        [
            "Moscow has repeatedly warned that pressure from Washington is futile.",
            "Russian officials described the move as another hostile step by the US administration.",
            "The Kremlin said it remained open to dialogue on an equal footing.",
            "Analysts in Moscow said Western media had distorted the facts.",
        ],
    ),
    "russian-independent": (
        [
            "What {s} means for ordinary Russians",
            "Inside the Kremlin's thinking on {s}",
            "{s}: a view from Moscow's elites",
        ],
        [
            "Sources close to the Kremlin said the leadership was divided on how to respond.",
            "Independent economists warned that the costs would fall on ordinary Russians.",
            "State television covered the story only briefly, our review of broadcasts shows.",
        ],
    ),
    "us": (
        [
            "{us} defends {s}",
            "Why {s} matters for Washington",
            "{s}: what to know",
            "Lawmakers split over {s}",
        ],
        [
            "Republicans and Democrats were divided over whether the administration was too soft on Moscow.",
            "Administration officials said the goal was to pressure the Kremlin into serious negotiations.",
            "Critics warned that Russia has broken similar promises before.",
            "Officials called the development a modest but hopeful step.",
        ],
    ),
    "european": (
        [
            "Europe watches warily as {s} unfolds",
            "{s}: Europe fears being sidelined",
            "Analysis: {s} and the transatlantic rift",
        ],
        [
            "European diplomats said they had not been consulted in advance.",
            "Officials in Brussels said the EU would keep its own sanctions in place.",
            "Analysts said Europe's security depends on what Washington and Moscow agree.",
        ],
    ),
    "ukrainian": (
        [
            "Kyiv reacts to {s}",
            "{s}: Ukraine must not be left out",
            "Ukrainians skeptical over {s}",
        ],
        [
            "Ukrainian officials warned that Moscow uses talks to buy time for its offensive.",
            "Kyiv said any settlement without Ukraine would be a betrayal.",
            "Soldiers at the front line told us they expect nothing from the talks.",
        ],
    ),
    "wire": (
        ["{s} — timeline", "Factbox: {s}", "{s}, explained in five points"],
        [
            "Neither side gave further details.",
            "The statements could not be independently verified.",
            "Officials are expected to comment further this week.",
        ],
    ),
    "other": (
        ["Global South watches {s}", "{s}: the view from the Gulf"],
        [
            "Gulf states have offered to mediate between Moscow and Washington.",
            "Governments across Asia and Africa have urged both sides to de-escalate.",
        ],
    ),
}

NOT_RELEVANT = [
    ("Russia and China sign a new pipeline memorandum", "Gazprom and CNPC signed a memorandum on the Power of Siberia 2 pipeline in Beijing. Xi Jinping and Vladimir Putin praised the energy partnership."),
    ("Moscow raises its key interest rate again", "Russia's central bank raised its key rate by one point to fight inflation. Mortgage lending has slowed sharply."),
    ("EU agrees a new budget for farm subsidies", "European Union ministers agreed a compromise on farm subsidies after two days of talks. Farmers' groups called it insufficient."),
    ("Wildfires spread across Siberia", "Wildfires burned across more than a million hectares in Yakutia. Regional officials declared a state of emergency."),
    ("Russian grain exports to Egypt hit a record", "Russian wheat exports to Egypt reached a record in the season. Traders cited a strong harvest and lower freight costs."),
    ("Kazakhstan and Russia discuss a new rail corridor", "Kazakhstan and Russia discussed a rail corridor to Iran. The project would bypass European routes."),
    ("Germany debates conscription", "The Bundestag debated a return to conscription as the army struggles to recruit. The plan divides the governing coalition."),
    ("A Moscow court jails a theatre director", "A Moscow court sentenced a theatre director to six years for a play deemed to justify terrorism. Colleagues called the verdict absurd."),
    ("Russia and India expand defence cooperation", "Russia and India agreed to expand joint production of military equipment. India's defence minister visited Moscow."),
    ("Turkey hosts Black Sea grain talks with Russia", "Turkey hosted talks with Russia on grain shipping through the Black Sea. Ankara said progress was slow."),
    ("Record heat in southern Europe strains power grids", "Record temperatures strained power grids in Spain and Italy. Utilities asked customers to cut consumption."),
    ("Russian football league bans foreign-language chants", "Russia's football league banned chants in foreign languages at matches. Fans mocked the rule online."),
]  # fmt: skip

RUSSIAN = [
    ("Песков прокомментировал новые санкции США", "Пресс-секретарь президента Дмитрий Песков заявил, что новые санкции США не изменят политику России. По его словам, Москва готова к диалогу."),
    ("Лавров и Рубио обсудили работу посольств", "Министр иностранных дел Сергей Лавров провел телефонный разговор с госсекретарем США Марко Рубио. Стороны обсудили работу дипломатических миссий."),
    ("В Женеве открылся саммит России и США", "Владимир Путин и Дональд Трамп начали переговоры в Женеве. В повестке дня стратегическая стабильность и урегулирование на Украине."),
    ("Рябков: Россия не будет первой проводить ядерные испытания", "Замминистра иностранных дел Сергей Рябков заявил, что Россия не проведет ядерные испытания первой. Он призвал США соблюдать мораторий."),
    ("Ушаков назвал переговоры с Уиткоффом полезными", "Помощник президента Юрий Ушаков сообщил, что беседа Путина со спецпосланником США длилась четыре часа. Дата следующей встречи не определена."),
    ("Захарова обвинила Вашингтон в информационной войне", "Официальный представитель МИД Мария Захарова заявила, что США ведут информационную войну против России. Она привела примеры публикаций западных СМИ."),
    ("Россия и США провели обмен заключенными", "В Абу-Даби состоялся обмен заключенными между Россией и США. Посредником выступили Объединенные Арабские Эмираты."),
    ("Медведев предупредил о последствиях поставок ракет", "Дмитрий Медведев заявил, что поставки ракет Tomahawk Украине приведут к эскалации. Белый дом отверг эти заявления."),
    ("Дмитриев: экономическое сотрудничество с США возможно", "Глава РФПИ Кирилл Дмитриев заявил, что Россия и США могут возобновить экономическое сотрудничество. Он упомянул энергетику и Арктику."),
    ("МИД России заявил о возвращении дипломатической собственности", "МИД России сообщил о договоренности с США о возвращении дипломатической собственности. Возобновится выдача виз."),
    ("Совбез ООН поддержал переговоры о прекращении огня", "Совет Безопасности ООН принял резолюцию в поддержку переговоров. Россия и США проголосовали за."),
    ("Российские и американские делегации встретились в Стамбуле", "В Стамбуле прошла встреча рабочей группы по прекращению огня. Обсуждался мониторинг линии соприкосновения."),
    ("Путин провел совещание по вопросам безопасности", "Владимир Путин провел оперативное совещание с постоянными членами Совета безопасности. Обсуждались итоги саммита."),
    ("Песков: санкционное давление бесперспективно", "Дмитрий Песков заявил, что санкционное давление на Россию бесперспективно. Кремль продолжит курс на независимость экономики."),
    ("Лавров прибыл в Женеву", "Сергей Лавров прибыл в Женеву для подготовки саммита. Его встретил посол России."),
    ("Зарубежные СМИ исказили итоги саммита, заявили в Кремле", "В Кремле заявили, что ряд зарубежных СМИ исказил итоги саммита в Женеве. Песков призвал читать первоисточники."),
    ("ФСБ предотвратила теракт в Москве", "ФСБ сообщила о предотвращении теракта в Москве. Задержаны сторонники запрещенной группировки."),
    ("Россия испытала ракету «Буревестник»", "Минобороны сообщило об успешном испытании ракеты «Буревестник». Пуск прошел над Арктикой."),
    ("Рубио заявил о прогрессе на переговорах", "Госсекретарь США Марко Рубио заявил о прогрессе на переговорах с Россией. Он не назвал сроков."),
    ("Уиткофф прибыл в Москву", "Спецпосланник президента США Стив Уиткофф прибыл в Москву. Его встреча с Путиным запланирована на вторник."),
    ("Эксперты оценили итоги саммита в Женеве", "Российские эксперты положительно оценили итоги саммита. По их мнению, диалог с Вашингтоном возобновлен."),
    ("Нефтяные компании адаптируются к санкциям", "Российские нефтяные компании перестраивают логистику из-за санкций. Экспорт в Азию растет."),
]  # fmt: skip


EDITIONS: dict[int, dict[str, tuple[str, str]]] = {
    # event day -> Russian edition slug -> (title, text); the English edition is slug minus "-ru"
    2: {
        "tass-ru": ("Песков: новые санкции США против «Роснефти» и «Лукойла» не изменят курс России", "МОСКВА, 3 августа. /ТАСС/. Пресс-секретарь президента РФ Дмитрий Песков заявил журналистам, что новые ограничительные меры Вашингтона против «Роснефти» и «Лукойла» бесперспективны. По его словам, российские компании давно адаптировались к санкциям, а Москва продолжит поставки нефти своим партнерам."),
        "meduza-ru": ("Минфин США ввел санкции против «Роснефти» и «Лукойла». Что это значит для бюджета", "Американский Минфин внес дочерние компании «Роснефти» и «Лукойла» в санкционный список. Покупателям российской нефти грозят вторичные санкции. Независимые экономисты предупреждают, что бюджет недосчитается нефтегазовых доходов, а платить за это придется обычным россиянам."),
    },
    5: {
        "tass-ru": ("Рябков: Россия будет соблюдать ограничения ДСНВ, если США поступят так же", "МОСКВА, 6 августа. /ТАСС/. Заместитель министра иностранных дел РФ Сергей Рябков заявил, что Москва готова придерживаться центральных количественных ограничений Договора о сокращении стратегических наступательных вооружений после истечения его срока. Все зависит от действий Вашингтона, подчеркнул дипломат."),
    },
    9: {
        "tass-ru": ("Россия и США провели обмен заключенными в Абу-Даби", "АБУ-ДАБИ, 10 августа. /ТАСС/. Россия и США обменялись заключенными при посредничестве Объединенных Арабских Эмиратов. Как сообщили в ФСБ, на родину возвращены четверо российских граждан. Владимир Путин поблагодарил президента ОАЭ за содействие."),
        "meduza-ru": ("Обмен в Абу-Даби: кого отпустила Россия и кого получила взамен", "Россия и США обменялись четырьмя заключенными в Абу-Даби. Переговоры об обмене шли несколько месяцев при посредничестве ОАЭ. Правозащитники напоминают, что в российских колониях остаются десятки политзаключенных."),
    },
    15: {
        "tass-ru": ("Лавров и Рубио обсудили по телефону работу посольств", "МОСКВА, 16 августа. /ТАСС/. Министр иностранных дел России Сергей Лавров провел телефонный разговор с госсекретарем США Марко Рубио. Стороны обсудили восстановление штатной численности посольств и возвращение дипломатической собственности, сообщили в МИД РФ. Заместители министров встретятся в Стамбуле."),
    },
    22: {
        "tass-ru": ("Медведев назвал учения НАТО на Балтике провокацией", "МОСКВА, 23 августа. /ТАСС/. Зампред Совбеза РФ Дмитрий Медведев назвал начавшиеся на Балтике учения НАТО репетицией войны против России. В маневрах участвуют 30 тыс. военнослужащих и авианосная группа ВМС США. В Минобороны России заявили, что внимательно следят за действиями альянса у границ Калининградской области."),
        "dw-ru": ("НАТО начало крупные учения на Балтике", "НАТО начало двухнедельные военные учения на Балтике с участием 30 тысяч военнослужащих и авианосной группы США. В Москве учения назвали репетицией войны вблизи Калининграда. Европейские дипломаты говорят, что безопасность Европы зависит от того, о чем договорятся Вашингтон и Москва."),
    },
    40: {
        "tass-ru": ("Ушаков: беседа Путина и Уиткоффа была полезной", "МОСКВА, 10 сентября. /ТАСС/. Помощник президента РФ Юрий Ушаков сообщил, что переговоры Владимира Путина со спецпосланником президента США Стивом Уиткоффом в Кремле продолжались четыре часа. По словам Ушакова, стороны обменялись сигналами, однако дата прекращения огня пока не согласована."),
    },
    47: {
        "meduza-ru": ("Разведка США: ГРУ готовит дипфейки к выборам в Конгресс", "Американские спецслужбы предупредили о кампании влияния с использованием дипфейков накануне промежуточных выборов в США. Источником кампании назван ГРУ. Дмитрий Песков назвал обвинения Вашингтона голословными."),
    },
    51: {
        "meduza-ru": ("В Екатеринбурге задержали американского журналиста. Его обвиняют в шпионаже", "Российские власти задержали в Екатеринбурге американского журналиста-фрилансера по обвинению в шпионаже. Госдепартамент назвал задержание незаконным и потребовал консульского доступа. Коллеги журналиста считают, что Кремль пополняет «обменный фонд»."),
    },
    61: {
        "tass-ru": ("Захарова обвинила Вашингтон в гибридной войне против России", "МОСКВА, 1 октября. /ТАСС/. Официальный представитель МИД России Мария Захарова заявила на брифинге, что США ведут против России информационную войну. Она указала на финансирование Госдепартаментом русскоязычных СМИ за рубежом."),
    },
    65: {
        "tass-ru": ("В Женеве прошли российско-американские консультации по стратегической стабильности", "ЖЕНЕВА, 5 октября. /ТАСС/. Российская и американская делегации впервые за три года провели в Женеве консультации по стратегической стабильности. Делегацию РФ возглавил замминистра иностранных дел Сергей Рябков. Обсуждались противоракетная оборона и ядерные доктрины сторон."),
    },
    74: {
        "tass-ru": ("Путин и Трамп начали переговоры в Женеве", "ЖЕНЕВА, 14 октября. /ТАСС/. Президент России Владимир Путин и президент США Дональд Трамп начали переговоры в Женеве с рукопожатия и встречи один на один. Как сообщил пресс-секретарь Кремля Дмитрий Песков, в повестке урегулирование на Украине и будущее ДСНВ."),
        "meduza-ru": ("Трамп и Путин встретились в Женеве. Главное о первом дне саммита", "Дональд Трамп и Владимир Путин начали саммит в Женеве с рукопожатия и закрытой встречи. По словам источников, близких к Кремлю, в российской делегации нет единого мнения о том, чем Москва готова поступиться ради прекращения огня на Украине."),
    },
    76: {
        "tass-ru": ("Путин и Трамп приняли совместное заявление по итогам саммита", "ЖЕНЕВА, 16 октября. /ТАСС/. По итогам саммита в Женеве Владимир Путин и Дональд Трамп приняли совместное заявление о начале новых переговоров по контролю над вооружениями. Стороны договорились создать рабочую группу по прекращению огня. Вопрос о снятии санкций не обсуждался, уточнил Юрий Ушаков."),
    },
    77: {
        "dw-ru": ("Европа сдержанно оценила итоги саммита в Женеве", "Европейские союзники осторожно приветствовали итоги встречи Трампа и Путина в Женеве. В Киеве заявили, что любые переговоры о прекращении огня должны идти с участием Украины. В Брюсселе подчеркнули, что санкции ЕС останутся в силе."),
    },
    85: {
        "dw-ru": ("Кибератака нарушила работу европейских аэропортов", "Кибератака вывела из строя системы регистрации в нескольких европейских аэропортах. Следователи связали вредоносную программу с группировкой, которую ранее относили к российской военной разведке. Мария Захарова назвала обвинения русофобской кампанией."),
    },
    92: {
        "meduza-ru": ("Удар по Харькову: 11 погибших через несколько дней после переговоров о перемирии", "Российский ракетный удар по Харькову унес жизни 11 человек. Удар последовал через несколько дней после первой встречи российско-американской рабочей группы по прекращению огня. Госсекретарь США Марко Рубио назвал удар неприемлемым."),
    },
    95: {
        "tass-ru": ("МИД: Россия и США договорились о возвращении дипсобственности", "МОСКВА, 4 ноября. /ТАСС/. МИД России сообщил о договоренности с Вашингтоном о возвращении дипломатической собственности и возобновлении выдачи виз в обеих столицах. Консульское соглашение стало итогом саммита в Женеве."),
    },
    99: {
        "meduza-ru": ("США и Россия возобновили обмен разведданными об ИГИЛ", "Американские и российские спецслужбы возобновили ограниченный обмен разведданными о «Вилаяте Хорасан» после неудавшегося теракта в Дагестане. Сотрудничество с Вашингтоном в борьбе с терроризмом было заморожено с 2022 года."),
    },
    105: {
        "tass-ru": ("Медведев предупредил США о последствиях поставок Tomahawk Украине", "МОСКВА, 14 ноября. /ТАСС/. Зампред Совбеза Дмитрий Медведев заявил, что передача Киеву ракет Tomahawk повлечет ответ, в том числе ядерный. В Белом доме назвали эти слова бравадой."),
    },
    108: {
        "dw-ru": ("Венгрия и Словакия просят США об исключении для российского газа", "Венгрия и Словакия обратились к Вашингтону с просьбой об исключении, чтобы продолжить закупки российского газа по «Турецкому потоку». Госдепартамент заявил, что энергетические санкции против России сохранятся."),
    },
}  # fmt: skip


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:60]


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def build() -> dict[str, list[tuple[datetime, str, str, str]]]:
    """Items per outlet slug: (published, title, description, link)."""
    rng = random.Random(20261121)
    items: dict[str, list[tuple[datetime, str, str, str]]] = {slug: [] for slug in OUTLETS}
    covered: set[tuple[int, str]] = set()
    for number, event in enumerate(EVENTS):
        day = START + timedelta(days=event.day)
        spike = 74 <= event.day <= 77
        chosen: list[str] = []
        for slugs in BY_BLOC.values():
            take = len(slugs) if spike else rng.randint(1, len(slugs))
            chosen += rng.sample(slugs, take)
        for slug in chosen:
            _, bloc, *_ = OUTLETS[slug]
            templates, framings = VOICES[bloc]
            template = templates[(number + chosen.index(slug)) % len(templates)]
            title = _cap(template.format(s=event.subject, us=event.us_side, ru=event.ru_side))
            framing = rng.sample(framings, 2 if rng.random() < 0.4 else 1)
            text = " ".join([event.facts, *framing])
            when = day + timedelta(hours=rng.randint(0, 40), minutes=rng.randint(0, 59))
            link = f"https://demo.detente.invalid/{slug}/{_slug(title)}"
            items[slug].append((when, title, text, link))
            covered.add((event.day, slug))
        # Wire copy syndicated: one AP story also carried by a second outlet under the same link.
        if number % 4 == 0:
            copy_to = rng.choice(["nyt", "guardian", "aljazeera"])
            when = day + timedelta(hours=3)
            title = _cap(f"{event.subject} — what we know")
            link = f"https://demo.detente.invalid/ap/{_slug(event.subject)}-{number}"
            text = f"{event.facts} The Associated Press contributed to this report."
            items["ap"].append((when, title, text, link))
            items[copy_to].append((when + timedelta(minutes=40), title, text, link))
    for number, (title, text) in enumerate(NOT_RELEVANT * 3):
        slug = rng.choice(["tass", "rt", "moscowtimes", "dw", "bbc", "aljazeera", "meduza"])
        variant = ["", " (update)", " — analysis"][number // len(NOT_RELEVANT)]
        when = START + timedelta(days=rng.randint(0, 111), hours=rng.randint(0, 23))
        items[slug].append(
            (
                when,
                title + variant,
                text,
                f"https://demo.detente.invalid/{slug}/{_slug(title)}-{number}",
            )
        )
    for number, (title, text) in enumerate(RUSSIAN):
        when = START + timedelta(days=rng.randint(0, 111), hours=rng.randint(0, 23))
        items["tass-ru"].append(
            (when, title, text, f"https://demo.detente.invalid/tass-ru/{number}")
        )
    _editions(items, covered)
    return items


def _editions(
    items: dict[str, list[tuple[datetime, str, str, str]]], covered: set[tuple[int, str]]
) -> None:
    """The Russian editions of `EDITIONS`, and the English edition's report of the same event
    where the random draw above left it out. A separate generator, so the rest is unchanged."""
    rng = random.Random(11)
    days = {event.day: (number, event) for number, event in enumerate(EVENTS)}
    for day, told in EDITIONS.items():
        number, event = days[day]
        start = START + timedelta(days=day)
        for slug, (title, text) in told.items():
            when = start + timedelta(hours=rng.randint(1, 30), minutes=rng.randint(0, 59))
            link = f"https://demo.detente.invalid/{slug}/{day}-{number}"
            items[slug].append((when, title, text, link))
            english = slug.removesuffix("-ru")
            if (day, english) in covered:
                continue
            templates, framings = VOICES[OUTLETS[english][1]]
            headline = _cap(
                templates[number % len(templates)].format(
                    s=event.subject, us=event.us_side, ru=event.ru_side
                )
            )
            body = " ".join([event.facts, rng.choice(framings)])
            link = f"https://demo.detente.invalid/{english}/{_slug(headline)}"
            items[english].append((when - timedelta(hours=2), headline, body, link))
            covered.add((day, english))


def rss(slug: str, entries: list[tuple[datetime, str, str, str]]) -> str:
    outlet, _, _, language, _ = OUTLETS[slug]
    parts = [
        '<?xml version="1.0" encoding="utf-8"?>',
        '<rss version="2.0"><channel>',
        f"<title>{escape(outlet)} (Détente demo)</title>",
        f"<link>https://demo.detente.invalid/{slug}/</link>",
        f"<description>Synthetic demo feed standing in for {escape(outlet)}.</description>",
        f"<language>{language}</language>",
    ]
    for when, title, text, link in sorted(entries, reverse=True):
        parts.append(
            "<item>"
            f"<title>{escape(title)}</title><link>{escape(link)}</link>"
            f'<guid isPermaLink="false">{escape(link)}</guid>'
            f"<pubDate>{format_datetime(when, usegmt=True)}</pubDate>"
            f"<description>{escape(text)}</description>"
            "</item>"
        )
    parts.append("</channel></rss>")
    return "\n".join(parts) + "\n"


def main() -> None:
    items = build()
    manifest = [
        "# The Détente demo corpus: synthetic articles written for this project (no copied article",
        "# text), loaded by `detente demo` through the same parse → clean → analyze → store path as",
        "# live feeds. Regenerate with `python data/demo/generate.py`.",
        "",
    ]
    for slug, entries in items.items():
        if not entries:
            continue
        outlet, bloc, country, language, feed_url = OUTLETS[slug]
        (HERE / f"{slug}.xml").write_text(rss(slug, entries), encoding="utf-8")
        manifest += [
            "[[file]]",
            f'path = "{slug}.xml"',
            f'outlet = "{outlet}"',
            f'bloc = "{bloc}"',
            f'country = "{country}"',
            f'language = "{language}"',
            f'feed_url = "{feed_url}"',
            "",
        ]
    (HERE / "manifest.toml").write_text("\n".join(manifest), encoding="utf-8")
    print(
        f"{sum(len(e) for e in items.values())} items in {sum(1 for e in items.values() if e)} files"
    )


if __name__ == "__main__":
    main()
