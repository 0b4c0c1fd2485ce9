"""Learning from the coders: train a span model on a project's labels and measure it on held-out documents.

:func:`train_span_model` is the long job behind ``annotator train`` and the "Train span model" action:

1. **Labels.** The span labels of the gold layer when the project has one with labels in the chosen
   categories (a coder flagged as gold, or the coder named ``gold``): adjudicated labels are the best
   teacher. Otherwise every coder's labels, pooled: a span marked by several coders counts once, and
   spans that coders placed differently all count (the model sees each as a plausible reading). A
   document counts as coded, its unlabelled text as "no cue here", when one of those coders labelled
   something in it or marked it done; other documents are left out.
2. **Split.** Documents (never single spans) are shuffled with a fixed seed and a share (`holdout`, at
   least one document) is held out for measuring.
3. **Training.** A blank German pipeline with a span categorizer (:mod:`.span_model`) is trained with
   ``nlp.update`` (Adam, dropout 0.2, a few documents per batch), one pass over the training documents
   per epoch. After each epoch the model is measured on the held-out documents; training stops when the
   micro-averaged overlap F1 has not improved for `patience` epochs, after `max_epochs`, or when
   `max_seconds` are up, and the best epoch's model is kept.
4. **Report.** Precision, recall and F1 per category, exact and overlap (:mod:`.evaluate`), on the
   held-out documents. They were also used to pick the epoch, so they flatter the model slightly; with
   a few dozen documents they are a rough guide, not a published figure.

The model is saved to `output_dir` (by default next to the project file: ``study.db`` →
``study-span-model/``). Its ``meta.json`` records, under ``"annotator"``, the categories, the coders,
a hash of the training data, the held-out documents and the scores.
"""

from __future__ import annotations

import hashlib
import json
import math
import random
import time
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

from annotator.domain import CategoryKind, Span, Status, Zone
from annotator.errors import AnnotatorError

from .evaluate import ALL, CategoryScore, Evaluation, evaluate

if TYPE_CHECKING:
    from annotator.project import Project

__all__ = [
    "LabelledDocument",
    "TrainReport",
    "TrainingData",
    "TrainingError",
    "default_model_dir",
    "split_documents",
    "train_on_documents",
    "train_span_model",
    "training_data",
]

ProgressCallback = Callable[[int, int | None], None]  # (epochs done, most epochs)
CancelCheck = Callable[[], bool]
GOLD_NAME = "gold"


class TrainingError(AnnotatorError):
    """There is nothing (or too little) to train on, or a model folder cannot be used."""


@dataclass(frozen=True)
class LabelledDocument:
    """A coded document: its text and zones, and the spans of the categories trained on."""

    key: Any  # the project's document id
    name: str  # external id (or the id), for reports
    text: str
    zones: tuple[Zone, ...]
    spans: tuple[Span, ...]


@dataclass
class TrainingData:
    documents: list[LabelledDocument]
    categories: list[str]
    coders: list[str]
    source: str  # "gold" or "coders"
    digest: str  # changes when any text, label, category or coder changes


@dataclass
class TrainReport:
    """What a training run did and how well the kept model does on the held-out documents."""

    categories: list[str]
    coders: list[str]
    source: str
    data_digest: str
    train_documents: int
    heldout_documents: list[str]
    train_spans: dict[str, int]
    heldout_spans: dict[str, int]
    output_dir: Path | None = None
    epochs: int = 0
    best_epoch: int = 0
    seconds: float = 0.0
    stopped: str = ""  # why training ended
    cancelled: bool = False
    evaluation: Evaluation | None = None
    history: list[tuple[int, float, float]] = field(default_factory=list)  # (epoch, loss, held-out F1)

    def summary(self) -> str:
        if self.cancelled:
            return f"training cancelled after {self.epochs} epoch(s); no model saved"
        f1 = self.evaluation.overlap[ALL].f1 if self.evaluation is not None else math.nan
        where = f", saved to {self.output_dir}" if self.output_dir is not None else ""
        return (
            f"trained on {self.train_documents} document(s) ({self.source}: {', '.join(self.coders)}), "
            f"{self.epochs} epoch(s) in {self.seconds:.0f} s ({self.stopped}); best epoch {self.best_epoch}, "
            f"held-out overlap F1 {_cell(f1).strip()} on {len(self.heldout_documents)} document(s){where}"
        )

    def score_table(self) -> list[str]:
        """Per category: held-out spans, predicted spans, P/R/F1 exact and overlap."""
        if self.evaluation is None:
            return []
        header = f"{'category':<22}{'gold':>5}{'pred':>5}  {'exact P    R    F1':>19}  | {'overlap P    R    F1':>21}"
        lines = [header, "-" * len(header)]
        for category in [*self.categories, ALL]:
            exact = self.evaluation.exact.get(category, CategoryScore())
            overlap = self.evaluation.overlap.get(category, CategoryScore())
            lines.append(
                f"{category:<22}{overlap.support:>5}{overlap.predicted:>5}  "
                f"{_rates(exact):>19}  | {_rates(overlap):>21}"
            )
        return lines

    def scores(self) -> dict[str, dict[str, dict[str, float | int]]]:
        """The held-out scores as plain data: {category: {"exact"|"overlap": {precision, recall, f1, …}}}."""
        if self.evaluation is None:
            return {}
        return {
            category: {mode: _score_dict(table.get(category, CategoryScore())) for mode, table in
                       (("exact", self.evaluation.exact), ("overlap", self.evaluation.overlap))}
            for category in [*self.categories, ALL]
        }  # fmt: skip


def _cell(value: float) -> str:
    return "   –" if math.isnan(value) else f"{value:4.2f}"


def _rates(score: CategoryScore) -> str:
    return f"{_cell(score.precision)} {_cell(score.recall)} {_cell(score.f1)}"


def _score_dict(score: CategoryScore) -> dict[str, float | int]:
    def plain(value: float) -> float | None:
        return None if math.isnan(value) else round(value, 4)

    return {"precision": plain(score.precision), "recall": plain(score.recall), "f1": plain(score.f1),
            "tp": score.tp, "fp": score.fp, "fn": score.fn}  # fmt: skip


# --- training data ----------------------------------------------------------------------------------------


def training_data(
    project: "Project", *, categories: Iterable[str] | None = None, coders: Iterable[str] | None = None
) -> TrainingData:
    """The coded documents and their labels in `categories` (default: every span category with labels).

    `coders` chooses whose labels to learn from; by default the gold layer when it has labels in those
    categories, else all other coders (see the module notes). Raises `TrainingError` when nothing is left.
    """
    known = [c.id for c in project.categories(CategoryKind.SPAN)]
    wanted = list(dict.fromkeys(categories)) if categories is not None else list(known)
    unknown = [c for c in wanted if c not in known]
    if unknown:
        raise TrainingError(
            f"unknown span categor{'y' if len(unknown) == 1 else 'ies'} {', '.join(unknown)}; "
            f"the codebook has: {', '.join(known)}"
        )
    everyone = project.coders()
    if coders is not None:
        chosen = list(dict.fromkeys(coders))
        missing = [c for c in chosen if c not in {info.name for info in everyone}]
        if missing:
            raise TrainingError(f"no coder named {', '.join(missing)} in this project")
        source = "gold" if all(_is_gold(c, everyone) for c in chosen) else "coders"
    else:
        gold = [info.name for info in everyone if info.is_gold or info.name == GOLD_NAME]
        gold_labels = [a for a in project.annotations(coders=gold) if a.category in wanted] if gold else []
        if gold_labels:
            chosen, source = gold, "gold"
        else:
            chosen, source = [info.name for info in everyone if info.name not in gold], "coders"
    labels = [a for a in project.annotations(coders=chosen) if a.category in wanted]
    if categories is None:
        wanted = [c for c in wanted if any(a.category == c for a in labels)]
    if not labels:
        raise TrainingError(
            f"no span labels to learn from in {', '.join(wanted) or 'any category'} "
            f"(coders: {', '.join(chosen) or 'none'}); label some documents first"
        )
    coded = {a.document_id for a in project.annotations(coders=chosen)}
    statuses = project.statuses()
    coded |= {doc_id for (doc_id, coder), (status, _) in statuses.items() if coder in chosen and status is Status.DONE}
    by_document: dict[int, set[tuple[int, int, str]]] = {doc_id: set() for doc_id in coded}
    for a in labels:
        by_document[a.document_id].add((a.start, a.end, a.category))
    documents = []
    for doc_id in sorted(by_document):
        doc = project.document(doc_id)
        spans = tuple(Span(start, end, category) for start, end, category in sorted(by_document[doc_id]))
        documents.append(LabelledDocument(doc_id, doc.external_id or str(doc_id), doc.text, doc.zones, spans))
    return TrainingData(documents, wanted, chosen, source, _digest(documents, wanted, chosen))


def _is_gold(name: str, everyone: Sequence[Any]) -> bool:
    return any(info.name == name and (info.is_gold or info.name == GOLD_NAME) for info in everyone)


def _digest(documents: Sequence[LabelledDocument], categories: Sequence[str], coders: Sequence[str]) -> str:
    state = {
        "categories": sorted(categories),
        "coders": sorted(coders),
        "documents": [
            [d.name, _text_hash(d.text), [[s.start, s.end, s.category] for s in d.spans]]
            for d in sorted(documents, key=lambda d: d.name)
        ],
    }
    return hashlib.sha256(json.dumps(state, ensure_ascii=False).encode("utf-8")).hexdigest()[:16]


def _text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def split_documents(
    documents: Sequence[LabelledDocument], holdout: float, seed: int, heldout: Iterable[str] | None = None
) -> tuple[list[LabelledDocument], list[LabelledDocument]]:
    """(training, held-out): documents shuffled with `seed`, a share `holdout` (at least one) held out.

    `heldout` names the documents to hold out instead (external ids), e.g. a split fixed in advance.
    """
    if heldout is not None:
        names = set(heldout)
        held = [d for d in documents if d.name in names]
        train = [d for d in documents if d.name not in names]
        if not held or not train:
            raise TrainingError(
                f"the held-out list leaves {len(train)} document(s) to train on and {len(held)} to measure on; "
                "both need at least one"
            )
        return train, held
    if not 0 < holdout < 1:
        raise TrainingError(f"the held-out share must lie between 0 and 1, not {holdout}")
    if len(documents) < 2:
        raise TrainingError(f"{len(documents)} coded document(s): at least two are needed, one to hold out")
    order = sorted(documents, key=lambda d: d.name)
    random.Random(seed).shuffle(order)
    held = max(1, min(len(order) - 1, round(holdout * len(order))))
    return order[held:], order[:held]


def default_model_dir(project: "Project") -> Path:
    """``study.db`` → ``study-span-model/`` beside it; a project behind a database URL needs a folder given."""
    location = str(project.location)
    if "://" in location:
        raise TrainingError(f"{location} is a database server: give a folder for the model (--output)")
    path = Path(location)
    return path.with_name(f"{path.stem}-span-model")


# --- training ---------------------------------------------------------------------------------------------


def train_span_model(
    project: "Project",
    *,
    categories: Iterable[str] | None = None,
    coders: Iterable[str] | None = None,
    output_dir: str | Path | None = None,
    holdout: float = 0.2,
    heldout: Iterable[str] | None = None,
    seed: int = 20260,
    max_epochs: int = 100,
    patience: int = 15,
    max_seconds: float = 240.0,
    threshold: float = 0.5,
    progress: ProgressCallback | None = None,
    cancel: CancelCheck | None = None,
) -> TrainReport:
    """Train a span model on the project's labels, measure it on held-out documents and save it.

    See the module notes for the choices made. `progress(epochs done, max_epochs)` is called after each
    epoch; `cancel()` is checked between batches (a cancelled run saves nothing). `heldout` names the
    documents to measure on (external ids) instead of a random share `holdout` of them.
    """
    data = training_data(project, categories=categories, coders=coders)
    output = Path(output_dir) if output_dir is not None else default_model_dir(project)
    return train_on_documents(
        data, output_dir=output, holdout=holdout, heldout=heldout, seed=seed, max_epochs=max_epochs,
        patience=patience, max_seconds=max_seconds, threshold=threshold, progress=progress, cancel=cancel,
    )  # fmt: skip


def train_on_documents(
    data: TrainingData,
    *,
    output_dir: str | Path | None,
    holdout: float = 0.2,
    heldout: Iterable[str] | None = None,
    seed: int = 20260,
    max_epochs: int = 100,
    patience: int = 15,
    max_seconds: float = 240.0,
    threshold: float = 0.5,
    batch_size: int = 4,
    dropout: float = 0.2,
    progress: ProgressCallback | None = None,
    cancel: CancelCheck | None = None,
) -> TrainReport:
    """The training loop of :func:`train_span_model`, on documents already gathered."""
    from spacy.training import Example
    from spacy.util import fix_random_seed, minibatch

    from .span_model import SPANS_KEY, blank_span_model, predict_spans

    started = time.perf_counter()
    train, held = split_documents(data.documents, holdout, seed, heldout)
    report = TrainReport(
        categories=list(data.categories),
        coders=list(data.coders),
        source=data.source,
        data_digest=data.digest,
        train_documents=len(train),
        heldout_documents=sorted(d.name for d in held),
        train_spans=_count(train),
        heldout_spans=_count(held),
    )
    fix_random_seed(seed)
    nlp = blank_span_model(data.categories)

    def example(text: str, spans: list[Span]) -> Example:
        reference = nlp.make_doc(text)
        found = [reference.char_span(s.start, s.end, label=s.category, alignment_mode="expand") for s in spans]
        reference.spans[SPANS_KEY] = [span for span in found if span is not None]
        return Example(nlp.make_doc(text), reference)

    examples = [example(text, spans) for d in train for text, spans in _passages(d)]
    optimizer = nlp.initialize(lambda: examples)
    spancat = nlp.get_pipe("spancat")
    held_docs = [nlp.make_doc(d.text) for d in held]
    gold = {d.name: list(d.spans) for d in held}
    shuffle = random.Random(seed)
    best_f1, best_weights, waiting = -1.0, None, 0
    report.stopped = f"{max_epochs} epochs"
    for epoch in range(1, max_epochs + 1):
        shuffle.shuffle(examples)
        losses: dict[str, float] = {}
        out_of_time = False
        for batch in minibatch(examples, size=batch_size):
            if cancel is not None and cancel():
                report.cancelled, report.stopped = True, "cancelled"
                report.seconds = time.perf_counter() - started
                return report
            nlp.update(batch, drop=dropout, sgd=optimizer, losses=losses)
            out_of_time = time.perf_counter() - started > max_seconds
            if out_of_time:
                break
        predicted = predict_spans(nlp, held_docs, [d.zones for d in held], threshold)
        found = {d.name: [Span(s, e, c) for s, e, c, _ in spans] for d, spans in zip(held, predicted)}
        evaluation = evaluate(gold, found, data.categories)
        f1 = evaluation.overlap[ALL].f1
        f1 = 0.0 if math.isnan(f1) else f1
        report.epochs = epoch
        report.history.append((epoch, round(losses.get("spancat", 0.0), 4), round(f1, 4)))
        if f1 > best_f1:
            best_f1, best_weights, waiting = f1, spancat.to_bytes(), 0
            report.best_epoch, report.evaluation = epoch, evaluation
        else:
            waiting += 1
        if progress is not None:
            progress(epoch, max_epochs)
        if out_of_time:
            report.stopped = f"time limit of {max_seconds:.0f} s"
            break
        if waiting >= patience:
            report.stopped = f"no better held-out F1 for {patience} epochs"
            break
    if best_weights is not None:
        spancat.from_bytes(best_weights)
    report.seconds = time.perf_counter() - started
    if output_dir is not None:
        report.output_dir = Path(output_dir)
        _save(nlp, report, threshold, seed)
    return report


def _passages(document: LabelledDocument, size: int = 600) -> list[tuple[str, list[Span]]]:
    """The document cut at line breaks into passages of about `size` characters, never through a span.

    A document is one example to spaCy; cut into passages it gives many, hence many more (smaller)
    updates per pass, which a small corpus needs.
    """
    text = document.text
    cuts = [0]
    for i, char in enumerate(text):
        if char == "\n" and i + 1 - cuts[-1] >= size and not any(s.start < i + 1 < s.end for s in document.spans):
            cuts.append(i + 1)
    cuts.append(len(text))
    passages = []
    for start, end in zip(cuts, cuts[1:]):
        if text[start:end].strip():
            inside = [s for s in document.spans if start <= s.start and s.end <= end]
            passages.append((text[start:end], [Span(s.start - start, s.end - start, s.category) for s in inside]))
    return passages


def _count(documents: Iterable[LabelledDocument]) -> dict[str, int]:
    return dict(sorted(Counter(s.category for d in documents for s in d.spans).items()))


def _save(nlp: Any, report: TrainReport, threshold: float, seed: int) -> None:
    import spacy

    path = report.output_dir
    assert path is not None
    if path.exists() and any(path.iterdir()) and not (path / "meta.json").is_file():
        raise TrainingError(f"{path}: folder exists and holds something other than a span model; choose another")
    nlp.meta["name"] = "annotator_spans"
    nlp.meta["annotator"] = {
        "name": path.name,
        "categories": report.categories,
        "coders": report.coders,
        "label_source": report.source,
        "data_digest": report.data_digest,
        "train_documents": report.train_documents,
        "heldout_documents": report.heldout_documents,
        "train_spans": report.train_spans,
        "heldout_spans": report.heldout_spans,
        "epochs": report.epochs,
        "best_epoch": report.best_epoch,
        "seconds": round(report.seconds, 1),
        "threshold": threshold,
        "seed": seed,
        "scores": report.scores(),
        "trained_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "spacy": spacy.__version__,
    }
    nlp.to_disk(path)
