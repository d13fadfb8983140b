"""A synthetic English news corpus for benchmarks: varied sentences about the relationship."""

from __future__ import annotations

import random

SUBJECTS = [
    "Kremlin spokesperson Dmitry Peskov",
    "Secretary of State Marco Rubio",
    "Russian Foreign Minister Sergei Lavrov",
    "President Trump",
    "Vladimir Putin",
    "A senior State Department official",
    "Maria Zakharova",
    "Special envoy Steve Witkoff",
    "The Pentagon",
    "NATO diplomats",
    "Analysts in Washington",
    "Ukrainian President Volodymyr Zelensky",
]
VERBS = [
    "said",
    "warned",
    "insisted",
    "told reporters",
    "argued",
    "acknowledged",
    "suggested",
    "claimed",
]
CLAIMS = [
    "that new sanctions on Russian banks would deepen the crisis",
    "that talks on New START could resume before Feb. 5",
    "the U.S. remained open to a prisoner swap involving detained journalists",
    "that Moscow and Washington had agreed to restore embassy staffing",
    "that the ceasefire proposal was a hopeful but fragile step",
    "that Russian hackers were behind the attack on critical infrastructure",
    "that NATO troops deployed in the Baltic posed a threat",
    "that the oil price cap had failed to cut export revenue",
    "that counterterrorism cooperation after the Crocus City Hall attack was useful",
    "that state media propaganda distorted the summit's results",
    "that the meeting in Riyadh was constructive and friendly",
    "that the decision was a disgrace and a dangerous provocation",
]
TAILS = [
    "",
    " on Tuesday",
    " in a statement",
    " at a briefing in Moscow",
    ", according to officials",
    " after the summit",
]


def make_articles(count: int, seed: int = 7) -> list[tuple[str, str]]:
    """(title, text) pairs of 5–30 sentences each, deterministic for a seed."""
    rng = random.Random(seed)
    articles = []
    for _ in range(count):
        sentences = [
            f"{rng.choice(SUBJECTS)} {rng.choice(VERBS)} {rng.choice(CLAIMS)}{rng.choice(TAILS)}."
            for _ in range(rng.randint(5, 30))
        ]
        title = f"{rng.choice(SUBJECTS)} {rng.choice(VERBS)} {rng.choice(CLAIMS)}"[:120]
        articles.append((title, " ".join(sentences)))
    return articles
