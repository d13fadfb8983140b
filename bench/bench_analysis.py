"""Analysis throughput vs bare VADER on the same sentences (target: ours >= 0.8 of VADER's rate),
on real text and as a user runs it.

Two corpora: real English editorial text — the VADER paper's 498 NYT editorials
(bench/data/NOTICE; each editorial's rated snippets joined into one text, no headline) — and
synthetic English news built here from varied sentence templates (deterministic), 5-30
sentences per article. Bare = stock vaderSentiment over the sentences our splitter finds (the
headline and the text's sentences); ours = core.analysis.analyzer.analyze, which also detects
the language, splits the sentences, applies the domain tone layer (core/analysis/tone_domain.py,
scoring a sentence twice only where a tone phrase is found), matches themes, false friends,
actors and side markers with exact spans, weighs the themes, aggregates the tone, scores
relevance and reads the relations events.

Two measurements of each corpus, in one run:
- the analyzer alone: CPU time of this process (other work on the machine inflates wall time
  unevenly), interleaved rounds, best of each, so both sides see the same machine load. Before
  each of our rounds the sentence splitter's memo of boundary decisions (nupunkt's, keyed by the
  text around each full stop) is cleared: a process meets new articles, not the same ones again,
  and the memo would otherwise answer every decision of the later rounds;
- the command a user runs: `python -m core analyze --jsonl FILE` as a subprocess, wall time
  from start to exit (interpreter start-up, imports, lexicons and models, reading and writing
  JSON Lines), against bare VADER run the same way — a Python process that loads VADER and
  scores the same sentences, one JSON string a line, writing its scores as JSON Lines
  (BARE_VADER_COMMAND); the CPU time of both children is printed too (the machine is shared: CPU
  time is what load does not inflate), and bare VADER's scoring alone in this process for the
  strictest comparison. Interleaved rounds, best of each. The children run as an installed
  program does: with bytecode caches (a folder of this run, PYTHONPYCACHEPREFIX; an environment
  with PYTHONDONTWRITEBYTECODE would otherwise compile the project's modules from source on every
  run while VADER's come compiled from site-packages), with their output buffered as a user's
  shell leaves it (without PYTHONUNBUFFERED, which an environment may set: it makes every line
  bare VADER writes a system call of its own, ~0.025 s for the synthetic news, and flattered the
  ratio by ~0.07) and with the cache folder of core/analysis/regex_cache.py (DETENTE_CACHE_DIR, a
  folder of this run), after one unmeasured first run of each command that fills both; that
  first run's time is printed too.
"""

from __future__ import annotations

import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

from core.analysis.analyzer import analyze
from core.analysis.sentences import _tokenizer, split_sentences
from core.analysis.tone import shared_analyzer

ARTICLES = 300
ROUNDS = 5
CLI_ROUNDS = 5
REPO = Path(__file__).resolve().parent.parent
NYT = Path(__file__).resolve().parent / "data" / "nytEditorialSnippets_GroundTruth.txt"

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


def nyt_editorials(path: Path = NYT) -> list[tuple[str, str]]:
    """("", text) per NYT editorial of the VADER paper: its snippets joined, in file order."""
    snippets: dict[str, list[str]] = defaultdict(list)
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            snippet_id, _, text = line.split("\t", 2)
            snippets[snippet_id.split("_")[0]].append(text.strip())
    return [("", " ".join(texts)) for texts in snippets.values()]


def _sentences(articles: list[tuple[str, str]]) -> list[str]:
    """What bare VADER scores: each headline and each sentence our splitter finds."""
    found = []
    for title, text in articles:
        if title:
            found.append(title)
        found.extend(text[s:e] for s, e in split_sentences(text))
    return found


def analyzer_alone(name: str, articles: list[tuple[str, str]]) -> float:
    """Print the in-process figures of one corpus; return the ratio ours / bare VADER."""
    analyze(*articles[0])  # load the lexicons and models outside the timing
    sentences = _sentences(articles)
    vader = SentimentIntensityAnalyzer()
    ours_scorer = shared_analyzer()  # the exact, faster VADER that analyze uses
    total_chars = sum(len(title) + len(text) for title, text in articles)

    best_ours = best_bare = best_scorer = best_memo = float("inf")
    for _ in range(ROUNDS):  # interleaved, best of each: both sides see the same machine load
        started = time.process_time()
        for sentence in sentences:
            vader.polarity_scores(sentence)
        best_bare = min(best_bare, time.process_time() - started)
        started = time.process_time()
        for sentence in sentences:
            ours_scorer.compound(sentence)
        best_scorer = min(best_scorer, time.process_time() - started)
        started = time.process_time()  # nupunkt's memo kept from the previous round
        for title, text in articles:
            analyze(title, text)
        best_memo = min(best_memo, time.process_time() - started)
        _tokenizer().clear_decision_cache()  # new articles: no boundary decided before
        started = time.process_time()
        for title, text in articles:
            analyze(title, text)
        best_ours = min(best_ours, time.process_time() - started)

    n = len(articles)
    print(
        f"{name}: {n} articles, {len(sentences)} sentences, "
        f"{total_chars / n:,.0f} characters per article"
    )
    print(f"  bare VADER over the pre-split sentences: {n / best_bare:8.1f} articles/s")
    print(f"  analyzer alone (everything):             {n / best_ours:8.1f} articles/s")
    print(f"  our VADER's compound, same sentences:    {n / best_scorer:8.1f} articles/s")
    print(f"  ratio analyzer / bare VADER: {best_bare / best_ours:.2f} (target >= 0.80)")
    print(
        f"  (with the splitter's memo kept from the round before, as this bench measured "
        f"before 2026-11-30: {best_bare / best_memo:.2f})"
    )
    print(
        f"  what we add on top of scoring (split, language, tone layer, themes, actors, "
        f"relevance, relations): {best_ours / best_scorer - 1:.0%} of our scoring time; "
        f"our VADER's compound runs at {best_bare / best_scorer:.2f}x stock VADER"
    )
    return best_bare / best_ours


BARE_VADER_COMMAND = """
import json, sys
from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer
vader = SentimentIntensityAnalyzer()
with open(sys.argv[1], encoding="utf-8") as source:
    for line in source:
        sys.stdout.write(json.dumps(vader.polarity_scores(json.loads(line))) + "\\n")
"""
"""Bare VADER as a command: start Python, load VADER, score one JSON string per line."""


def _timed_run(command: list[str], env: dict[str, str]) -> tuple[float, float, bytes]:
    """(wall seconds, CPU seconds of the child, stdout) of one subprocess."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(command, cwd=REPO, capture_output=True, check=True, env=env)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, done.stdout


def _child_env(folder: Path) -> dict[str, str]:
    """The children's environment: bytecode and the analyzer's cache kept in `folder`, as an
    installed program keeps them, and output buffered (see the module docstring)."""
    unset = ("PYTHONDONTWRITEBYTECODE", "PYTHONUNBUFFERED")
    env = {k: v for k, v in os.environ.items() if k not in unset}
    env["PYTHONPYCACHEPREFIX"] = str(folder / "bytecode")
    env["DETENTE_CACHE_DIR"] = str(folder / "cache")
    return env


def command_as_run(name: str, articles: list[tuple[str, str]]) -> tuple[float, float]:
    """Print the figures of `detente analyze --jsonl` on the articles as a process, against
    bare VADER over the same sentences as a process and in this process; return the ratios
    command / bare VADER as a process (wall time, CPU time)."""
    sentences = _sentences(articles)
    vader = SentimentIntensityAnalyzer()
    best = dict.fromkeys(("cli", "cli_cpu", "bare", "bare_cpu", "inside", "startup"), 1e9)
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        source, lines = folder / "articles.jsonl", folder / "sentences.jsonl"
        with source.open("w", encoding="utf-8") as out:
            for number, (title, text) in enumerate(articles):
                out.write(json.dumps({"id": number, "title": title, "text": text}) + "\n")
        with lines.open("w", encoding="utf-8") as out:
            out.writelines(json.dumps(sentence) + "\n" for sentence in sentences)
        empty = folder / "empty.jsonl"
        empty.write_text("", encoding="utf-8")
        env = _child_env(folder)
        command = [sys.executable, "-m", "core", "analyze", "--jsonl", str(source)]
        bare = [sys.executable, "-c", BARE_VADER_COMMAND, str(lines)]
        first_wall, first_cpu, _ = _timed_run(command, env)  # fills the caches: not counted
        _timed_run(bare, env)
        for _ in range(CLI_ROUNDS):  # interleaved, best of each
            wall, cpu, output = _timed_run(command, env)
            assert len(output.splitlines()) == len(articles), "every article must come back"
            best["cli"], best["cli_cpu"] = min(best["cli"], wall), min(best["cli_cpu"], cpu)
            wall, cpu, output = _timed_run(bare, env)
            assert len(output.splitlines()) == len(sentences)
            best["bare"], best["bare_cpu"] = min(best["bare"], wall), min(best["bare_cpu"], cpu)
            started = time.perf_counter()
            for sentence in sentences:
                vader.polarity_scores(sentence)
            best["inside"] = min(best["inside"], time.perf_counter() - started)
            wall, _, _ = _timed_run([*command[:-1], str(empty)], env)
            best["startup"] = min(best["startup"], wall)
    n = len(articles)
    print(f"{name} as a user runs them ({n} articles, best of {CLI_ROUNDS}):")
    print(
        f"  detente analyze --jsonl, as a process: {n / best['cli']:7.1f} articles/s wall, "
        f"{n / best['cli_cpu']:7.1f} per CPU second; start-up alone {best['startup']:.2f} s"
    )
    print(
        f"  bare VADER, as a process:              {n / best['bare']:7.1f} articles/s wall, "
        f"{n / best['bare_cpu']:7.1f} per CPU second"
    )
    print(f"  bare VADER scoring alone, in process:  {n / best['inside']:7.1f} articles/s wall")
    print(
        f"  first run (empty bytecode and regex caches, not in the best): {first_wall:.2f} s "
        f"wall, {first_cpu:.2f} s CPU"
    )
    wall_ratio, cpu_ratio = best["bare"] / best["cli"], best["bare_cpu"] / best["cli_cpu"]
    print(
        f"  ratio command / bare VADER as a process: {wall_ratio:.2f} wall, "
        f"{cpu_ratio:.2f} CPU (target >= 0.80); "
        f"vs bare VADER's scoring alone: {best['inside'] / best['cli']:.2f}"
    )
    return wall_ratio, cpu_ratio


def main() -> None:
    real, synthetic = nyt_editorials(), make_articles(ARTICLES)
    alone_real = analyzer_alone("NYT editorials (real text)", real)
    alone_synthetic = analyzer_alone("synthetic news", synthetic)
    real_wall, real_cpu = command_as_run("NYT editorials", real)
    synthetic_wall, synthetic_cpu = command_as_run("synthetic news", synthetic)
    print(
        f"summary (target >= 0.80 for each): analyzer alone / bare VADER {alone_real:.2f} on NYT "
        f"editorials, {alone_synthetic:.2f} on synthetic news; detente analyze --jsonl / bare "
        f"VADER as processes {real_wall:.2f} wall, {real_cpu:.2f} CPU on NYT editorials, "
        f"{synthetic_wall:.2f} wall, {synthetic_cpu:.2f} CPU on synthetic news"
    )


if __name__ == "__main__":
    main()
