"""Russian reading: accuracy on tests/data/ru_eval.jsonl, and speed against English.

Accuracy (the learned theme model, core/analysis/russian_model.py, was fitted on every set
scored here, so the default analyzer's figures on them are in-sample; the terms alone are
printed too, and the honest figure is the pooled first scores, with and without the model):
every item of the labelled set (written for this project in the style of Russian
reporting; gold themes, actors and relevance; the Russian terms were developed on it, so sets
written afterwards are scored too, each held out until its misses were read, the last HOLDOUT12)
is analysed with each way of comparing words (core/analysis/russian.py: `lemma` = pymorphy3,
`stem` = Snowball, `hybrid` = the default) and scored: themes and actors by micro
precision/recall over (item, label) pairs, relevance by the share of items whose
relevant/not-relevant call agrees with the gold one.
Targets (issue 11): themes P >= 0.85, R >= 0.80; actors P >= 0.95, R >= 0.90; relevance >= 0.9.

Speed: the set's longer articles (and all of them joined into one long article) analysed with
the default analyzer against English articles of exactly the same lengths (bench/bench_analysis.py's
synthetic news, cut to length), CPU time, ROUNDS interleaved rounds, best of each; the first
(cold-cache) round is printed too. Target: a Russian article at no less than half the rate of an
English one (ratio >= 0.5). Figures from one run.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from bench.bench_analysis import make_articles
from core.analysis import russian_words
from core.analysis.actors import default_gazetteer
from core.analysis.analyzer import Analyzer, analyze
from core.analysis.language import _langid
from core.analysis.relations_lexicon import RelationsLexicon, default_relations
from core.analysis.russian import RussianReader
from core.analysis.russian_sentences import split_russian_sentences
from core.analysis.russian_terms import load_russian_terms
from core.analysis.russian_words import Backend
from core.analysis.themes import default_lexicon
from core.models import Analysis

EVAL = Path(__file__).resolve().parent.parent / "tests" / "data" / "ru_eval.jsonl"
HOLDOUT = EVAL.with_name("ru_eval_holdout.jsonl")
"""Written after the Russian terms were settled on EVAL and never used to change them: the
figures on it say how the terms do on text they were not fitted to. Its misses were read once
(2026-11-30), so it is no longer unseen; HOLDOUT2 is."""
HOLDOUT2 = EVAL.with_name("ru_eval_holdout2.jsonl")
"""44 items written (2026-11-30) before the second round of Russian theme terms and kept
unseen while they were edited; its actor misses were then read and fixed (actors 2026.11-4), so
it is a dev set now."""
HOLDOUT3 = EVAL.with_name("ru_eval_holdout3.jsonl")
"""58 items written (2026-11-30) before that actor fix (namesakes, Moscow's «Белый дом», bare
«Минфин», other people's offices, every case) and scored once after it as the held-out set
(actors P 0.658); its misses were then read and fixed (core/analysis/russian_names.py), so it is
a dev set now."""
HOLDOUT4 = EVAL.with_name("ru_eval_holdout4.jsonl")
"""45 items written (2026-11-30) after HOLDOUT3's held-out run and before its misses were read,
scored once as the held-out set; its misses were then read and fixed, so it is a dev set now."""
HOLDOUT5 = EVAL.with_name("ru_eval_holdout5.jsonl")
"""42 items written (2026-11-30) after HOLDOUT4's held-out run and before its misses were read:
scored once as the held-out set (every target met); a dev set since round 6."""
HOLDOUT6 = EVAL.with_name("ru_eval_holdout6.jsonl")
"""106 items (95 sentences, 11 articles) written (2026-11-30) by another session before any
rule of round 6 was changed, labelled by the lexicons' definitions, and scored once with the code
as it stood, d74fd15 (its first score, the generalisation figure: themes P 0.945 R 0.825, actors
P 0.964 R 0.981, relevance 0.896); then the errors of all sets were read by kind and their
general causes fixed (themes 2026.11-7, actors 2026.11-5), so it is a dev set too: no Russian
set of tests/data was unseen then."""
HOLDOUT7 = EVAL.with_name("ru_eval_holdout7.jsonl")
"""107 items (96 sentences, 11 articles) written (2026-11-30) by another session after round 6
and before any rule was changed again, labelled by the lexicons' definitions without reading
the reading's output, and scored once with the code as it stood, 61f84bb (its first score:
themes P 0.918 R 0.795, actors P 1.000 R 1.000, relevance 0.953); then its misses were read by
kind and their general causes fixed (round 7: themes 2026.11-8, actors 2026.11-6), so it is a
dev set too."""
HOLDOUT8 = EVAL.with_name("ru_eval_holdout8.jsonl")
"""107 items (96 sentences, 11 articles) written (2026-11-30) after round 7 and before any rule
was changed again, labelled by the lexicons' definitions without reading the reading's output,
checked by word overlap against every earlier Russian set, and scored once with the code as it
stood, 1f05c45 (its first score: themes P 0.882 R 0.836, actors P 0.965 R 0.965, relevance
0.897); then its misses were read by kind and their general causes fixed (round 8: themes
2026.11-9, actors 2026.11-7), so it is a dev set too."""
HOLDOUT9 = EVAL.with_name("ru_eval_holdout9.jsonl")
"""115 items (104 sentences, 11 articles; a daily feed's mix, most of them domestic or naming one
side) written (2026-11-30) after round 8 and before any rule was changed again, labelled by the
lexicons' definitions without reading the reading's output, checked by word overlap against
every earlier Russian set, and scored once with the code as it stood, e1015e2 (its first score
is in FIRST_SCORES: themes P 0.920 R 0.689, actors P 0.988 R 1.000, relevance 0.939); then its
misses were read by kind and their general causes fixed (round 9: themes 2026.11-11, actors
2026.11-9), so it is a dev set too."""
HOLDOUT10 = EVAL.with_name("ru_eval_holdout10.jsonl")
"""111 items (101 sentences, 10 articles; 46 relevant) written (2026-11-30) after round 9 by a
session that read neither the Russian terms nor the reading's output, checked by word overlap
against every earlier Russian set (highest Jaccard 0.35), and scored once after round 10 (themes
2026.11-12, the learned theme model, relations 2026.11-9), 4d4b2f1: themes P 0.821 R 0.802,
actors P 1.000 R 0.978, relevance 0.910 (in FIRST_SCORES). Its misses were then read (docs/
analysis.md, "Round 10") and their general causes fixed (round 11: themes 2026.11-13, terms in
context), and the theme model is fitted on it too."""
HOLDOUT11 = EVAL.with_name("ru_eval_holdout11.jsonl")
"""151 items (141 sentences, 10 articles; 72 relevant) written (2026-12-01) before round 11 by a
session that read neither the Russian terms nor the reading's output, labelled by the written
spec of what each theme covers (docs/analysis.md section 9, "Labelling conventions"), checked by
word overlap (highest Jaccard 0.48), and scored once at each merge of round 11, counts only:
code before it (440affe) themes P 0.775 R 0.863; round 11 whole (39b48c3) themes P 0.813
R 0.869, actors P 0.983 R 0.936, relevance 0.940 (in FIRST_SCORES). Its misses were then read
by kind and their general causes fixed (round 12: themes 2026.11-14, actors 2026.11-11), and the
theme model (2026.11-4) is fitted on it too, so it is a dev set."""
HOLDOUT12 = EVAL.with_name("ru_eval_holdout12.jsonl")
"""138 items (126 sentences, 12 articles; 62 relevant) written (2026-12-01) during round 12 by a
session that read neither the Russian terms nor the reading's output, labelled by the same
spec, checked by word overlap against every earlier set and held-out 11 (highest Jaccard
0.44), and scored once at each merge of round 12, counts only: round 11 with relations
2026.11-11 (5e24c9a) themes P 0.843 R 0.850; round 12 whole (02bf9df) themes P 0.898 R 0.865,
actors P 0.979 R 0.969, relevance 0.942 (in FIRST_SCORES). The theme model is not fitted on it
(bench/train_russian_themes.py, HELD_OUT)."""
FIRST_SCORES = {
    # set: (themes right, found, gold; actors right, found, gold; relevance agreements, items),
    # each counted once by the rules before the round that read its misses (the commit named)
    "ru_eval_holdout6.jsonl (d74fd15)": (104, 110, 126, 106, 110, 108, 95, 106),
    "ru_eval_holdout7.jsonl (61f84bb)": (101, 110, 127, 117, 117, 117, 102, 107),
    "ru_eval_holdout8.jsonl (1f05c45)": (97, 110, 116, 82, 85, 85, 96, 107),
    "ru_eval_holdout9.jsonl (e1015e2)": (104, 113, 151, 85, 86, 85, 108, 115),
    "ru_eval_holdout10.jsonl (4d4b2f1)": (101, 123, 126, 89, 89, 91, 101, 111),
    "ru_eval_holdout11.jsonl (39b48c3)": (139, 171, 160, 117, 119, 125, 142, 151),
    "ru_eval_holdout12.jsonl (02bf9df)": (115, 128, 133, 93, 95, 96, 130, 138),
}
"""The first scores of the fresh held-out sets, each set scored once as unseen text by the code
before its round of rules: pooled (counts summed, not ratios averaged) they are the measure of
how the rules carry over to text they were not fitted to."""
WITH_MODEL = (436, 491, 520)
"""Themes (right, found, gold) over the same four fresh sets, pooled, read by those rules PLUS the
learned theme model (core/analysis/russian_model.py) fitted on the sets before each: the time-order
cross-validation of docs/analysis.md section 9 (a throwaway script; not rerun here)."""
SEEN = (
    (HOLDOUT, "seen once"),
    (HOLDOUT2, "dev since actors 2026.11-4"),
    (HOLDOUT3, "dev: its misses were fixed"),
    (HOLDOUT4, "dev: its misses were fixed"),
    (HOLDOUT5, "dev since round 6"),
    (HOLDOUT6, "held out at first, dev since round 6"),
    (HOLDOUT7, "held out at first, dev since round 7"),
    (HOLDOUT8, "held out at first, dev since round 8"),
    (HOLDOUT9, "held out at first, dev since round 9"),
    (HOLDOUT10, "held out at first, dev since round 11"),
    (HOLDOUT11, "held out at first, scored once after round 11, dev since round 12"),
    (HOLDOUT12, "held out at first, scored once after round 12; not read since"),
)
BACKENDS: tuple[Backend, ...] = ("lemma", "stem", "hybrid")
LONG = 400
"""Characters from which an item counts as an article for the speed comparison."""
ROUNDS = 30
"""Interleaved rounds of the speed comparison, best of each kept: a round takes ~25 ms, and on
a shared 2-core machine five were too few for the best of each to be a quiet one."""
TARGETS = {
    "themes P": 0.85,
    "themes R": 0.80,
    "actors P": 0.95,
    "actors R": 0.90,
    "relevance": 0.90,
}


def load_eval(path: Path = EVAL) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as lines:
        return [json.loads(line) for line in lines if line.strip()]


def _pr(pairs: list[tuple[set[str], set[str]]]) -> tuple[float, float]:
    found = sum(len(predicted) for predicted, _ in pairs)
    gold = sum(len(expected) for _, expected in pairs)
    right = sum(len(predicted & expected) for predicted, expected in pairs)
    return (right / found if found else 1.0), (right / gold if gold else 1.0)


def score(items: list[dict[str, Any]], read: Callable[[str, str], Analysis]) -> dict[str, float]:
    """Themes and actors P/R, relevance agreement and the share read as Russian."""
    themes, actors, agree, russian = [], [], 0, 0
    for item in items:
        analysis = read(item["title"], item["text"])
        themes.append((set(analysis.theme_names), set(item["themes"])))
        actors.append(({mention.actor for mention in analysis.actors}, set(item["actors"])))
        agree += analysis.relevant == item["relevant"]
        russian += analysis.lang == "ru"
    theme_p, theme_r = _pr(themes)
    actor_p, actor_r = _pr(actors)
    return {
        "themes P": theme_p,
        "themes R": theme_r,
        "actors P": actor_p,
        "actors R": actor_r,
        "relevance": agree / len(items),
        "read as ru": russian / len(items),
    }


def misses(items: list[dict[str, Any]], read: Callable[[str, str], Analysis]) -> list[str]:
    """One line per item where the reading and the gold labels differ (for lexicon work)."""
    lines = []
    for item in items:
        analysis = read(item["title"], item["text"])
        got_themes, gold_themes = set(analysis.theme_names), set(item["themes"])
        got_actors = {mention.actor for mention in analysis.actors}
        gold_actors = set(item["actors"])
        parts = []
        if got_themes != gold_themes:
            parts.append(
                f"themes +{sorted(got_themes - gold_themes)} -{sorted(gold_themes - got_themes)}"
            )
        if got_actors != gold_actors:
            parts.append(
                f"actors +{sorted(got_actors - gold_actors)} -{sorted(gold_actors - got_actors)}"
            )
        if analysis.relevant != item["relevant"]:
            parts.append(f"relevance {analysis.relevance} (gold {item['relevant']})")
        if parts:
            lines.append(f"{item['id']}: {'; '.join(parts)}")
    return lines


def pooled(first: Mapping[str, tuple[int, ...]]) -> dict[str, float]:
    """Precision, recall and agreement over the summed counts of the first scorings."""
    sums = [sum(counts[i] for counts in first.values()) for i in range(8)]
    tr, tf, tg, ar, af, ag, agree, n = sums
    return {
        "themes P": tr / tf,
        "themes R": tr / tg,
        "actors P": ar / af,
        "actors R": ar / ag,
        "relevance": agree / n,
    }


def english_of_lengths(lengths: list[int]) -> list[tuple[str, str]]:
    """English (title, text) pairs whose texts have exactly the given lengths."""
    stream = " ".join(text for _, text in make_articles(400))
    out, at = [], 0
    for length in lengths:
        if at + length > len(stream):
            at = 0
        out.append(("Russia and US hold talks on sanctions", stream[at : at + length]))
        at += length
    return out


def _cpu(articles: list[tuple[str, str]], read: Callable[[str, str], Analysis]) -> float:
    started = time.process_time()
    for title, text in articles:
        read(title, text)
    return time.process_time() - started


def speed(items: list[dict[str, Any]]) -> dict[str, float]:
    """Also the Russian rate without the Russian relations reading (the same analyzer with a
    relations lexicon that has no Russian half), to show what that reading costs."""
    russian = [(item["title"], item["text"]) for item in items if len(item["text"]) >= LONG]
    russian.append((russian[0][0], "\n\n".join(text for _, text in russian)))  # one long read
    english = english_of_lengths([len(text) for _, text in russian])
    full = default_relations()
    no_ru = Analyzer(
        default_lexicon(),
        default_gazetteer(),
        relations=RelationsLexicon(full.categories, full.parties, full.cues, full.version),
    ).analyze
    english_times, russian_times, plain_times = [], [], []
    for _ in range(ROUNDS):
        english_times.append(_cpu(english, analyze))
        russian_times.append(_cpu(russian, analyze))
        plain_times.append(_cpu(russian, no_ru))
    return {
        "ratio without relations": min(english_times) / min(plain_times),
        "articles": len(russian),
        "chars": sum(len(text) for _, text in russian) / len(russian),
        "en ms": 1000 * min(english_times) / len(english),
        "ru ms": 1000 * min(russian_times) / len(russian),
        "ru ms cold": 1000 * russian_times[0] / len(russian),
        "ratio": min(english_times) / min(russian_times),
    }


def main(show_misses: bool = False) -> None:
    items = load_eval()
    lexicon, gazetteer, terms = default_lexicon(), default_gazetteer(), load_russian_terms()
    print(f"{len(items)} labelled items in {EVAL.name}")
    header = "".join(f"{name:>11}" for name in (*TARGETS, "read as ru"))
    print(f"{'backend':<8}{header}{'ms cold':>9}{'ms warm':>9}  (per item)")
    russian_words._morph(), russian_words._stemmer()  # loaded outside the timings
    split_russian_sentences("Первое. Второе.")  # razdel too
    _langid("Пример")  # py3langid, which short Cyrillic items without ы or э still ask
    for backend in BACKENDS:
        for cache in (russian_words.lemma, russian_words.lemmas, russian_words.stem):
            cache.cache_clear()
        analyzer = Analyzer(lexicon, gazetteer, russian=RussianReader(terms, backend))
        started = time.process_time()
        figures = score(items, analyzer.analyze)
        cold = 1000 * (time.process_time() - started) / len(items)
        started = time.process_time()
        score(items, analyzer.analyze)
        warm = 1000 * (time.process_time() - started) / len(items)
        row = "".join(f"{figures[name]:>11.3f}" for name in (*TARGETS, "read as ru"))
        print(f"{backend:<8}{row}{cold:>9.2f}{warm:>9.2f}")
        if show_misses and backend == "hybrid":
            print("\n".join(misses(items, analyzer.analyze)))
    default = score(items, analyze)
    failed = [name for name, target in TARGETS.items() if default[name] < target]
    print(f"targets {'met' if not failed else 'NOT met: ' + ', '.join(failed)} (default analyzer)")
    terms_only = Analyzer(lexicon, gazetteer, russian=RussianReader(terms, model=False)).analyze
    row = "".join(f"{score(items, terms_only)[name]:>11.3f}" for name in (*TARGETS, "read as ru"))
    print(f"{'terms':<8}{row}  (hybrid, the terms alone: no learned theme model)")
    print(
        "(the learned theme model was fitted on every set below: its figures on them are "
        "in-sample; see the pooled first scores)"
    )
    for path, status in SEEN:
        held = load_eval(path)
        figures_held = score(held, analyze)
        row = "".join(f"{figures_held[name]:>11.3f}" for name in (*TARGETS, "read as ru"))
        missed = [name for name, target in TARGETS.items() if figures_held[name] < target]
        verdict = "met" if not missed else "NOT met: " + ", ".join(missed)
        print(f"{path.name} ({len(held)} items, {status}), default analyzer: targets {verdict}")
        print(f"{'hybrid':<8}{row}")
    first = pooled(FIRST_SCORES)
    row = "".join(f"{first[name]:>11.3f}" for name in TARGETS)
    missed = [name for name, target in TARGETS.items() if first[name] < target]
    verdict = "met" if not missed else "NOT met: " + ", ".join(missed)
    items_first = sum(counts[7] for counts in FIRST_SCORES.values())
    last = 6 + len(FIRST_SCORES) - 1
    print(f"first scores of held-out 6-{last} pooled ({items_first} items, each once unseen):")
    print(f"{'pooled':<8}{row}  targets {verdict}")
    right, found, gold = WITH_MODEL
    print(
        f"{'+model':<8}{right / found:>11.3f}{right / gold:>11.3f}  (themes, the same sets read "
        "by those rules plus the theme model fitted on the sets before each; docs/analysis.md §9)"
    )
    figures = speed(items)
    print(
        f"speed: {figures['articles']:.0f} Russian articles of {figures['chars']:.0f} chars on "
        f"average: {figures['ru ms']:.2f} ms each ({figures['ru ms cold']:.2f} ms cold) vs "
        f"{figures['en ms']:.2f} ms for English of the same lengths: Russian rate = "
        f"{figures['ratio']:.2f} x English (target >= 0.5); without the Russian relations "
        f"reading {figures['ratio without relations']:.2f} x"
    )


if __name__ == "__main__":
    import sys

    main(show_misses="--misses" in sys.argv)
