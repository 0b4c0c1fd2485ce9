"""How well a span model learnt from the gold labels does, next to the rules, and how long training takes.

    .venv/bin/python benchmarks/train_quality.py [--max-seconds 240] [--keep DIR]

Builds the demo project from ``sample_corpus/`` the way a user would (``annotator demo``, then
``annotator import-labels sample_corpus/gold/gold.annotations.jsonl``), trains a span model on the gold
layer with the documents of ``gold/heldout.txt`` held out (the split the rules are measured on, so the
figures compare), and prints the training time and, per category, overlap F1 on the held-out documents
for the rules (the peer), the model, and both together (as ``annotator suggest --model`` stores them),
plus the model's exact and overlap precision and recall. Training must finish in under 5 minutes on a
2-core machine.
"""

from __future__ import annotations

import argparse
import math
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from annotator.domain import Span
from annotator.nlp.evaluate import ALL, evaluate
from annotator.nlp.span_model import merge_suggestions, model_suggestions
from annotator.nlp.suggest import suggest_documents
from annotator.nlp.train import train_span_model
from annotator.project import Project

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "sample_corpus"
TIME_LIMIT = 300.0


def _cli(*args: str) -> None:
    subprocess.run([sys.executable, "-m", "annotator", *args], check=True, stdout=subprocess.DEVNULL)


def _cell(value: float) -> str:
    return "   –" if math.isnan(value) else f"{value:4.2f}"


def _as_spans(found: dict) -> dict:
    return {key: [Span(s.start, s.end, s.category) for s in suggestions] for key, suggestions in found.items()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--max-seconds", type=float, default=240.0, help="training time limit (default 240)")
    parser.add_argument("--max-epochs", type=int, default=100)
    parser.add_argument("--keep", type=Path, help="keep the demo project and the model in this folder")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory() as tmp:
        folder = args.keep or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        study = folder / "demo.db"
        study.unlink(missing_ok=True)
        _cli("demo", "--project", str(study), "--quiet")
        _cli("import-labels", str(SAMPLE / "gold" / "gold.annotations.jsonl"), "--project", str(study))
        heldout = (SAMPLE / "gold" / "heldout.txt").read_text(encoding="utf-8").split()

        with Project.open(study) as project:
            started = time.perf_counter()
            report = train_span_model(
                project, output_dir=folder / "demo-span-model", heldout=heldout,
                max_seconds=args.max_seconds, max_epochs=args.max_epochs,
                progress=lambda done, total: print(f"  epoch {done}", end="\r", file=sys.stderr, flush=True),
            )  # fmt: skip
            seconds = time.perf_counter() - started
            held_docs = [project.document(project.document_id_for(name)) for name in report.heldout_documents]
            gold = {d.id: [Span(a.start, a.end, a.category) for a in project.annotations(d.id, coder="gold")]
                    for d in held_docs}  # fmt: skip
            items = [(d.id, d.text, d.zones) for d in held_docs]
            rules = dict(suggest_documents(items))
            predicting = time.perf_counter()
            model = dict(model_suggestions(report.output_dir, items))
            predict_seconds = time.perf_counter() - predicting
        both = {k: merge_suggestions(rules[k], model[k]) for k in rules}
        scored = {name: evaluate(gold, _as_spans(found), report.categories)
                  for name, found in (("rules", rules), ("model", model), ("both", both))}  # fmt: skip

    print(report.summary())
    print(f"training data: {report.train_documents} documents, spans {report.train_spans}")
    print(f"held out (gold/heldout.txt): {len(report.heldout_documents)} documents, spans {report.heldout_spans}")
    print(f"epochs (loss, held-out overlap F1): {report.history}")
    print()
    header = (f"{'category':<21}{'gold':>5} | {'model exact P    R    F1':>24} | {'model overlap P    R    F1':>26} |"
              f" {'overlap F1: rules':>17} {'model':>6} {'both':>6}  model/rules")  # fmt: skip
    print(header)
    print("-" * len(header))
    model_eval = scored["model"]
    for category in [*report.categories, ALL]:
        e, o = model_eval.exact[category], model_eval.overlap[category]
        rule_f1 = scored["rules"].overlap[category].f1
        ratio = o.f1 / rule_f1 if rule_f1 and not math.isnan(rule_f1) and not math.isnan(o.f1) else math.nan
        print(f"{category:<21}{o.support:>5} | {_cell(e.precision):>14} {_cell(e.recall)} {_cell(e.f1)} |"
              f" {_cell(o.precision):>16} {_cell(o.recall)} {_cell(o.f1)} | {_cell(rule_f1):>17}"
              f" {_cell(o.f1):>6} {_cell(scored['both'].overlap[category].f1):>6}  {_cell(ratio):>11}")  # fmt: skip
    print()
    print(f"training time: {seconds:.0f} s (limit {TIME_LIMIT:.0f} s): {'met' if seconds < TIME_LIMIT else 'NOT met'}")
    print(f"model suggestions on the {len(held_docs)} held-out documents: {predict_seconds:.2f} s "
          f"({len(held_docs) / predict_seconds:.0f} docs/s)")  # fmt: skip
    return 0 if seconds < TIME_LIMIT else 1


if __name__ == "__main__":
    sys.exit(main())
