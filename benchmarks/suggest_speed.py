"""How fast the rule pipeline runs, next to spaCy's bare German tokenizer on the same text.

    .venv/bin/python benchmarks/suggest_speed.py [--megabytes 4] [--processes 1 2] [--profile]

The articles of the sample corpus are read and prepared as an import stores them (text and zones, as in
``suggest_quality.py``) and repeated until the stream holds a few megabytes. Both pipelines get the same
stream through ``nlp.pipe``: the peer is ``spacy.blank("de")`` (tokenizer only), ours the full suggestion
pipeline (sentencizer, zone marker, lemmatizer, outlet tagger, cue ruler, quote finder, zone cues,
context checks, filter), with the zones put on each doc first, as :func:`suggest_documents` does.
Printed per process count: tokens/s and docs/s for both, and our speed as a share of the peer's.
The requirement is a share of at least 0.5.

``--profile`` runs the full pipeline once under cProfile and prints the most expensive functions.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from annotator.domain import Zone
from annotator.nlp.pipeline import build_pipeline
from annotator.nlp.zones import set_zones

sys.path.insert(0, str(Path(__file__).resolve().parent))
from suggest_quality import SAMPLE, load_articles  # noqa: E402

TARGET_RATIO = 0.5
BATCH_SIZE = 32


def corpus_stream(megabytes: float) -> list[tuple[str, list[Zone]]]:
    """(text, zones) pairs: the sample articles, repeated until they hold `megabytes` of text."""
    articles = [(a.text, a.zones) for a in load_articles(SAMPLE).values()]
    wanted = megabytes * 1_000_000
    stream: list[tuple[str, list[Zone]]] = []
    size = 0
    while size < wanted:
        for text, zones in articles:
            stream.append((text, zones))
            size += len(text.encode("utf-8"))
    return stream


def _bare_docs(stream: list[tuple[str, list[Zone]]]) -> Iterator[str]:
    return (text for text, _ in stream)


def _zoned_docs(nlp: Language, stream: list[tuple[str, list[Zone]]]) -> Iterator[Doc]:
    # Making the doc is part of the work: it is tokenisation, timed for both sides.
    return (set_zones(nlp.make_doc(text), zones, text) for text, zones in stream)


def measure(run: Callable[[], Iterator[Doc]]) -> tuple[float, int, int]:
    """Seconds, documents and tokens for one pass."""
    started = time.perf_counter()
    docs = tokens = 0
    for doc in run():
        docs += 1
        tokens += len(doc)
    return time.perf_counter() - started, docs, tokens


def compare(stream: list[tuple[str, list[Zone]]], processes: int, repeats: int) -> tuple[tuple, tuple]:
    """Best of `repeats` passes for the bare tokenizer and for the full pipeline, taken in turns so that
    a change in the machine's load falls on both."""
    bare = spacy.blank("de")
    full = build_pipeline()
    measure(lambda: bare.pipe(_bare_docs(stream[:50])))  # warm-up: vocabulary, lookups
    measure(lambda: full.pipe(_zoned_docs(full, stream[:50])))
    bare_runs, full_runs = [], []
    for _ in range(repeats):
        bare_runs.append(measure(lambda: bare.pipe(_bare_docs(stream), batch_size=BATCH_SIZE, n_process=processes)))
        full_runs.append(
            measure(lambda: full.pipe(_zoned_docs(full, stream), batch_size=BATCH_SIZE, n_process=processes))
        )
    return min(bare_runs, key=lambda r: r[0]), min(full_runs, key=lambda r: r[0])


def profile(stream: list[tuple[str, list[Zone]]], lines: int) -> None:
    full = build_pipeline()
    measure(lambda: full.pipe(_zoned_docs(full, stream[:50])))
    profiler = cProfile.Profile()
    profiler.enable()
    measure(lambda: full.pipe(_zoned_docs(full, stream), batch_size=BATCH_SIZE))
    profiler.disable()
    pstats.Stats(profiler).sort_stats("cumulative").print_stats(lines)
    pstats.Stats(profiler).sort_stats("tottime").print_stats(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--megabytes", type=float, default=4.0, help="size of the text stream (default 4)")
    parser.add_argument("--processes", type=int, nargs="+", default=[1, 2], help="n_process values (default 1 2)")
    parser.add_argument("--repeats", type=int, default=3, help="passes per measurement; the best counts")
    parser.add_argument("--profile", action="store_true", help="print a cProfile of the full pipeline")
    args = parser.parse_args(argv)

    stream = corpus_stream(args.megabytes)
    chars = sum(len(text) for text, _ in stream)
    if args.profile:
        profile(stream, 40)
        return 0

    print(f"{len(stream):,} documents, {chars:,} characters (sample corpus repeated), batch {BATCH_SIZE}")
    header = f"{'processes':>9}  {'pipeline':<28}{'seconds':>8}{'tokens/s':>12}{'docs/s':>9}{'ratio':>8}"
    print(header)
    print("-" * len(header))
    verdicts = []
    for processes in args.processes:
        bare, full = compare(stream, processes, args.repeats)
        ratio = (full[2] / full[0]) / (bare[2] / bare[0])
        for name, (seconds, docs, tokens), shown in (
            ('spacy.blank("de") tokenizer', bare, ""),
            ("annotator rule pipeline", full, f"{ratio:.2f}"),
        ):
            rates = f"{tokens / seconds:>12,.0f}{docs / seconds:>9,.0f}"
            print(f"{processes:>9}  {name:<28}{seconds:>8.2f}{rates}{shown:>8}")
        verdicts.append((processes, ratio))
    print()
    for processes, ratio in verdicts:
        met = "met" if ratio >= TARGET_RATIO else "NOT met"
        print(f"{processes} process(es): pipeline at {ratio:.2f} of the tokenizer's speed, "
              f"target >= {TARGET_RATIO}: {met}")
    return 0 if all(ratio >= TARGET_RATIO for processes, ratio in verdicts if processes == 1) else 1


if __name__ == "__main__":
    sys.exit(main())
