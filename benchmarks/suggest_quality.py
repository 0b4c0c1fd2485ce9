"""How good the rule-based suggestions are, measured against the gold labels of the sample corpus.

    .venv/bin/python benchmarks/suggest_quality.py [--errors dev] [--corpus DIR]

Articles are read and prepared exactly as an import stores them (``iter_corpus`` + ``prepare``), gold
labels (``sample_corpus/gold/gold.annotations.jsonl``: quote + occurrence) are resolved to offsets in
that text, and the suggester runs over every document. Printed per category, for the development
documents and the held-out ones (``gold/heldout.txt``) separately: precision, recall and F1 for exact and
for overlap matches, then throughput. The peer is the same pattern set with no context checks and no
zone policy (every match anywhere), to show what the context rules are worth.

``--errors dev`` lists the misses and false alarms of the development documents (never the held-out ones:
rules are tuned on the development part only).
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from annotator.corpus.importer import PreparedDocument, prepare
from annotator.corpus.readers import iter_corpus
from annotator.corpus.records import RawRecord
from annotator.domain import Span, Zone
from annotator.nlp.evaluate import ALL, Evaluation, evaluate
from annotator.nlp.pipeline import build_pipeline
from annotator.nlp.suggest import suggest_documents

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "sample_corpus"
TARGETS = ("hedge", "unnamed_source", "outlet_attribution", "symbolic_image")
TARGET_F1 = 0.85


@dataclass
class Article:
    key: str
    text: str
    zones: list[Zone]


def load_articles(corpus: Path) -> dict[str, Article]:
    articles = {}
    for item in iter_corpus(corpus):
        if not isinstance(item, RawRecord):
            continue
        prepared = prepare(item)
        if not isinstance(prepared, PreparedDocument) or prepared.external_id is None:
            continue
        articles[prepared.external_id] = Article(prepared.external_id, prepared.text, list(prepared.zones))
    return articles


def nth_occurrence(text: str, quote: str, occurrence: int) -> int:
    """Start of the `occurrence`-th (from 1) match of `quote` in `text`, matches inside words included."""
    position = -1
    for _ in range(occurrence):
        position = text.find(quote, position + 1)
        if position < 0:
            raise LookupError(f"{quote!r} occurs fewer than {occurrence} times")
    return position


def load_gold(path: Path, articles: dict[str, Article]) -> tuple[dict[str, list[Span]], list[str]]:
    gold: dict[str, list[Span]] = {}
    problems = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        row = json.loads(line)
        article = articles.get(row["document"])
        if article is None:
            problems.append(f"line {number}: no article {row['document']!r}")
            continue
        try:
            start = nth_occurrence(article.text, row["quote"], int(row.get("occurrence", 1)))
        except LookupError as error:
            problems.append(f"line {number} ({row['document']}): {error}")
            continue
        gold.setdefault(row["document"], []).append(Span(start, start + len(row["quote"]), row["category"], "gold"))
    return gold, problems


def run(nlp, articles: Iterable[Article]) -> tuple[dict[str, list[Span]], dict[str, list], float]:
    predicted: dict[str, list[Span]] = {}
    raw: dict[str, list] = {}
    started = time.perf_counter()
    for key, suggestions in suggest_documents(((a.key, a.text, a.zones) for a in articles), nlp=nlp):
        predicted[key] = [Span(s.start, s.end, s.category) for s in suggestions]
        raw[key] = suggestions
    return predicted, raw, time.perf_counter() - started


def _cell(value: float) -> str:
    return "   –" if math.isnan(value) else f"{value:4.2f}"


def _rates(score) -> str:
    return f"{_cell(score.precision)} {_cell(score.recall)} {_cell(score.f1)}"


def print_table(title: str, result: Evaluation, peer: Evaluation) -> None:
    print(f"\n{title}")
    header = f"{'category':<21}{'gold':>5}{'pred':>5}  {'P    R    F1':>14}  |  {'P    R    F1':>14}  | peer F1  ratio"
    print(f"{'':<31}{'exact':^16}|{'overlap':^17}|")
    print(header)
    print("-" * len(header))
    for category in result.categories + [ALL]:
        e, o = result.exact[category], result.overlap[category]
        p = peer.overlap.get(category)
        peer_f1 = p.f1 if p is not None else math.nan
        ratio = o.f1 / peer_f1 if peer_f1 and not math.isnan(peer_f1) and not math.isnan(o.f1) else math.nan
        name = category + (" *" if category in TARGETS else "")
        counts = f"{name:<21}{o.support:>5}{o.predicted:>5}"
        print(f"{counts}  {_rates(e)}  |  {_rates(o)}  |    {_cell(peer_f1)}  {_cell(ratio)}")


def _context(text: str, start: int, end: int) -> str:
    return repr(text[max(0, start - 40) : end + 40])


def print_errors(articles: dict[str, Article], gold: dict[str, list[Span]], raw: dict[str, list]) -> None:
    """Misses (MISS), false alarms (FA) and boundary differences (BND) per document."""
    from annotator.nlp.evaluate import match_overlap

    for key in sorted(articles):
        text = articles[key].text
        g = gold.get(key, [])
        ours = raw.get(key, [])
        pairs = match_overlap(g, [Span(s.start, s.end, s.category) for s in ours])
        matched_g = {i for i, _ in pairs}
        matched_p = {j for _, j in pairs}
        lines = []
        for i, span in enumerate(g):
            if i not in matched_g:
                quote = text[span.start : span.end]
                lines.append(f"  MISS {span.category:<20} {quote!r}  …{_context(text, span.start, span.end)}")
        for j, s in enumerate(ours):
            if j not in matched_p:
                lines.append(f"  FA   {s.category:<20} {s.text!r} [{s.rule_id}]  …{_context(text, s.start, s.end)}")
        for i, j in pairs:
            span, s = g[i], ours[j]
            if (span.start, span.end) != (s.start, s.end):
                quote = text[span.start : span.end]
                lines.append(f"  BND  {span.category:<20} gold {quote!r} / ours {s.text!r} [{s.rule_id}]")
        if lines:
            print(f"\n{key}")
            print("\n".join(lines))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=SAMPLE)
    parser.add_argument("--errors", choices=["dev"], help="list the development documents' errors")
    parser.add_argument("--part", choices=["both", "dev", "heldout"], default="both", help="which tables to print")
    args = parser.parse_args(argv)

    articles = load_articles(args.corpus)
    gold, problems = load_gold(args.corpus / "gold" / "gold.annotations.jsonl", articles)
    heldout = set((args.corpus / "gold" / "heldout.txt").read_text(encoding="utf-8").split())
    for problem in problems:
        print(f"gold: {problem}", file=sys.stderr)
    labelled = [articles[key] for key in sorted(gold)]  # documents with gold labels (the German articles)
    dev = [a for a in labelled if a.key not in heldout]
    held = [a for a in labelled if a.key in heldout]

    nlp = build_pipeline()
    run(nlp, labelled[:2])  # warm-up
    predicted, raw, _ = run(nlp, labelled)
    peer_nlp = build_pipeline()
    peer_nlp.remove_pipe("annotator_cue_context")
    peer_nlp.remove_pipe("annotator_suggestion_filter")
    peer_predicted, _, _ = run(peer_nlp, labelled)

    categories = sorted({s.category for spans in gold.values() for s in spans})
    parts = {"development": dev, "held-out": held}
    if args.part != "both":
        parts = {"development": dev} if args.part == "dev" else {"held-out": held}
    for title, part in parts.items():
        keys = [a.key for a in part]
        result = evaluate({k: gold.get(k, []) for k in keys}, {k: predicted[k] for k in keys}, categories)
        peer = evaluate({k: gold.get(k, []) for k in keys}, {k: peer_predicted[k] for k in keys}, categories)
        print_table(f"{title}: {len(part)} documents ({', '.join(keys)})", result, peer)
    print(f"\n* target: overlap F1 >= {TARGET_F1} on the held-out documents")
    print("peer: same patterns, no context checks and no zone policy")

    everything = list(articles.values())
    rounds = max(1, 2000 // max(1, len(everything)))
    stream = [Article(f"{a.key}#{i}", a.text, a.zones) for i in range(rounds) for a in everything]
    _, _, seconds = run(nlp, stream)
    chars = sum(len(a.text) for a in stream)
    print(
        f"\nthroughput: {len(stream)} documents ({chars:,} characters) in {seconds:.2f} s = "
        f"{len(stream) / seconds:,.0f} docs/s, {chars / seconds:,.0f} chars/s (batch 32, one process)"
    )
    if args.errors == "dev":
        print_errors({a.key: a for a in dev}, gold, {k: raw[k] for k in (a.key for a in dev)})
    return 0


if __name__ == "__main__":
    sys.exit(main())
