"""Analysis throughput vs bare VADER on the same sentences (target: ours >= 0.8 of VADER's rate).

Both sides score the same sentences (the headline and the text's sentences): bare = stock
vaderSentiment; ours = core.analysis.tone.Vader (identical scores, less repeated work), and
ours also detects the language, splits the sentences, matches
themes, false friends, actors and side markers with exact spans, aggregates the tone and scores
relevance. The corpus is synthetic English news built here from varied sentence templates
(deterministic), 5-30 sentences per article. CPU time of this process (other work on the
machine inflates wall time unevenly), interleaved rounds, best of each, so
both sides see the same machine load; the figures printed come from one run.
"""

from __future__ import annotations

import random
import time

from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

from core.analysis.analyzer import analyze
from core.analysis.sentences import split_sentences
from core.analysis.tone import shared_analyzer

ARTICLES = 300
ROUNDS = 5

PEOPLE = [
    "Kremlin spokesman Dmitry Peskov",
    "Secretary of State Marco Rubio",
    "Russian Foreign Minister Sergei Lavrov",
    "President Donald Trump",
    "Russian President Vladimir Putin",
    "Foreign Ministry spokeswoman Maria Zakharova",
    "Special envoy Steve Witkoff",
    "Vice President JD Vance",
    "Kremlin aide Yuri Ushakov",
    "Kirill Dmitriev, head of the Russian Direct Investment Fund,",
    "Ukrainian President Volodymyr Zelensky",
    "Former President Dmitry Medvedev",
    "A senior State Department official",
    "A Pentagon spokesperson",
    "NATO Secretary General Mark Rutte",
    "Deputy Foreign Minister Sergei Ryabkov",
    "Mr. Lavrov",
    "Lt. Gen. Keith Kellogg",
    "Analysts at a Washington think tank",
    "European diplomats",
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
    "wrote on social media",
    "said in a statement on Dec. 19",
]
CLAIMS = [
    "that new sanctions on Russian banks would only deepen the crisis",
    "that talks on extending New START could resume before Feb. 5",
    "the U.S. remained open to a prisoner swap involving two detained journalists",
    "that Moscow and Washington had agreed to restore embassy staffing",
    "that the ceasefire proposal was a hopeful but fragile step toward peace",
    "that hackers linked to the GRU were behind the attack on critical infrastructure",
    "that NATO troops deployed in the Baltic posed a direct threat",
    "that the oil price cap had failed to cut Russia's export revenue",
    "that counterterrorism cooperation after the Crocus City Hall attack had been useful",
    "that state media propaganda had distorted the results of the summit",
    "that the meeting in Riyadh was constructive, friendly and businesslike",
    "that the decision was a disgrace and a dangerous provocation",
    "that US-Russia relations had hit their lowest point since the Cold War",
    "that a resumption of nuclear testing would violate the spirit of the CTBT",
    "that there was no agreement yet on security guarantees for Kyiv",
    "the Russian-American working group would meet again in Istanbul next month",
]
BACKGROUND = [
    "The two presidents last spoke by phone in March.",
    "Relations between the two countries have been strained for more than a decade.",
    "The ruble weakened slightly against the dollar on Tuesday.",
    "Officials did not say when the next round would take place.",
    "The announcement came hours after a drone strike on an energy facility in the Kursk region.",
    "Markets in Europe were little changed.",
    "Reuters could not independently verify the claims.",
    "The statement did not mention Ukraine.",
    "It was not immediately clear whether the measures would take effect on Jan. 1.",
    "Some 3.5 million barrels of crude a day are still exported by sea, according to estimates.",
    "The embassy declined to comment.",
    "Critics called the move short-sighted, while supporters praised it as long overdue.",
    "The talks, held behind closed doors, lasted nearly five hours.",
    "Prices for natural gas in Europe rose 4% after the news.",
    "\u201cWe are ready for dialogue, but not at any price,\u201d the diplomat said.",
    "Several lawmakers in Congress urged the administration to act quickly.",
]
TAILS = ["", " on Tuesday", " in a statement", " at a briefing in Moscow", " after the summit"]
HEADLINES = [
    "{who} says {what}",
    "Kremlin rejects US demands as talks stall",
    "Rubio and Lavrov meet in Istanbul",
    "Sanctions bite as oil revenue falls",
    "Putin and Trump discuss ceasefire by phone",
    "US warns of Russian cyber operations before election",
    "Moscow expels two American diplomats",
    "Arms control: New START deadline looms",
]


def make_articles(count: int, seed: int = 19) -> list[tuple[str, str]]:
    """(title, text) pairs, English news-like, 5-30 sentences each; deterministic for a seed."""
    rng = random.Random(seed)
    articles = []
    for _ in range(count):
        sentences = []
        for _ in range(rng.randint(5, 30)):
            if rng.random() < 0.35:
                sentences.append(rng.choice(BACKGROUND))
            else:
                who, verb, what = rng.choice(PEOPLE), rng.choice(VERBS), rng.choice(CLAIMS)
                sentences.append(f"{who} {verb} {what}{rng.choice(TAILS)}.")
        paragraphs = [" ".join(sentences[i : i + 4]) for i in range(0, len(sentences), 4)]
        who, what = rng.choice(PEOPLE).split(",")[0], rng.choice(CLAIMS).removeprefix("that ")
        title = rng.choice(HEADLINES).format(who=who, what=what)
        articles.append((title, "\n\n".join(paragraphs)))
    return articles


def main() -> None:
    articles = make_articles(ARTICLES)
    analyze(*articles[0])  # load the lexicons and models outside the timing
    sentences = [
        [title] + [text[s:e] for s, e in split_sentences(text)] for title, text in articles
    ]
    vader = SentimentIntensityAnalyzer()
    ours_scorer = shared_analyzer()  # the exact, faster VADER that analyze uses
    total_sentences = sum(len(group) for group in sentences)
    total_chars = sum(len(title) + len(text) for title, text in articles)

    best_ours = best_bare = best_scorer = float("inf")
    for _ in range(ROUNDS):  # interleaved, best of each: both sides see the same machine load
        started = time.process_time()
        for group in sentences:
            for sentence in group:
                vader.polarity_scores(sentence)
        best_bare = min(best_bare, time.process_time() - started)
        started = time.process_time()
        for group in sentences:
            for sentence in group:
                ours_scorer.polarity_scores(sentence)
        best_scorer = min(best_scorer, time.process_time() - started)
        started = time.process_time()
        for title, text in articles:
            analyze(title, text)
        best_ours = min(best_ours, time.process_time() - started)

    n = len(articles)
    print(
        f"{n} articles, {total_sentences} sentences, {total_chars / n:,.0f} characters per article"
    )
    print(f"bare VADER over the pre-split sentences: {n / best_bare:8.1f} articles/s")
    print(f"detente analyze (everything):            {n / best_ours:8.1f} articles/s")
    print(f"our VADER (same scores) alone, same sentences: {n / best_scorer:8.1f} articles/s")
    print(f"ratio ours / bare VADER: {best_bare / best_ours:.2f} (target >= 0.80)")
    print(
        f"what we add on top of scoring (split, language, themes, actors, relevance): "
        f"{best_ours / best_scorer - 1:.0%} of our scoring time; "
        f"our VADER runs at {best_bare / best_scorer:.2f}x stock VADER"
    )


if __name__ == "__main__":
    main()
