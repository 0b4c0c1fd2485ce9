"""Small German corpora and a project with overlapping, stacked and awkward labels for the exchange tests."""

from __future__ import annotations

import json
from pathlib import Path

from annotator.domain import Origin
from annotator.project import Project

ARTICLES = [
    {
        "id": "bern/2026-001",
        "title": "Streit um die «Brücke» in Thun",
        "source": "Thuner Tagblatt",
        "date": "2026-03-02",
        "url": "https://example.ch/thun/bruecke",
        "text": (
            "Der Gemeinderat | tagt am Montag über das Projekt „Aarebrücke_Nord“ [Variante B].\n\n"
            "Die Kosten dürften steigen, sagen Fachleute 😊.\n\n"
            "«Wir prüfen alle Optionen», sagte die Präsidentin."
        ),
    },
    {
        "id": "Z-2",
        "title": "Droht jetzt ein Verkehrschaos am Gotthard?",
        "source": "Landbote",
        "date": "2026-04-11",
        "text": (
            "Laut «SRF» könnte der Stau bis zu zwölf Kilometer lang werden.\n\n"
            "Beobachter gehen davon aus, dass die Kantone reagieren.\n\n"
            "=Ja, sagen die Jungen."
        ),
    },
]

ODD_CODER = "Lea [Hilfskraft] | B_2"


def write_corpus(path: Path, articles=ARTICLES) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(a, ensure_ascii=False) + "\n" for a in articles), encoding="utf-8")
    return path


def at(text: str, phrase: str, occurrence: int = 1) -> tuple[int, int]:
    """Offsets of the n-th occurrence of `phrase` in `text`."""
    start = -1
    for _ in range(occurrence):
        start = text.index(phrase, start + 1)
    return start, start + len(phrase)


def new_project(tmp_path: Path, name: str, articles=ARTICLES) -> Project:
    project = Project.create(tmp_path / f"{name}.db")
    report = project.import_corpus(write_corpus(tmp_path / f"{name}-corpus" / "articles.jsonl", articles))
    assert report.new == len(articles), report
    return project


def label(project: Project) -> None:
    """Token-aligned labels: overlapping, stacked (same coder and across coders), multi-sentence, odd names."""
    project.ensure_coder("gold", is_gold=True)
    thun = project.document(project.document_id_for("bern/2026-001"))
    gotthard = project.document(project.document_id_for("Z-2"))

    def add(doc, coder, category, phrase, occurrence=1, **kw):
        start, end = at(doc.text, phrase, occurrence)
        project.add_annotation(doc.id, coder, category, start, end, **kw)

    add(thun, "anna", "loaded_language", "Streit")
    add(thun, "anna", "direct_quote", "«Wir prüfen alle Optionen»")
    add(thun, "anna", "hedge", "dürften", origin=Origin.SUGGESTION)
    add(thun, "anna", "unnamed_source", "Fachleute")
    add(thun, "anna", "personalisation", "Fachleute")  # stacked on the same token, same coder
    add(thun, "ben", "direct_quote", "«Wir prüfen alle Optionen»")  # same span, other coder
    add(thun, "ben", "hedge", "Die Kosten dürften steigen")  # overlaps anna's and gold's hedge
    add(thun, "ben", "loaded_language", "„Aarebrücke_Nord“ [Variante B]")
    add(thun, ODD_CODER, "outlet_attribution", "|")
    add(thun, "gold", "hedge", "dürften", note="Konjunktiv | unsicher_[x] *")
    add(gotthard, "anna", "rhetorical_question", "Droht jetzt ein Verkehrschaos am Gotthard?")
    add(gotthard, "anna", "outlet_attribution", "Laut «SRF»")
    add(gotthard, "anna", "hedge", "könnte")
    add(gotthard, "anna", "loaded_language", "Kilometer lang werden.\n\nBeobachter")  # runs over a paragraph break
    add(gotthard, ODD_CODER, "unnamed_source", "Beobachter")
    add(gotthard, "ben", "loaded_language", "=Ja")
    project.set_document_label(thun.id, "anna", "tone", "negative")
    project.set_document_label(thun.id, "anna", "frame_conflict", "present")
    project.set_document_label(thun.id, "ben", "tone", "neutral")
    project.set_document_label(thun.id, "gold", "tone", "negative")
    project.set_document_label(gotthard.id, "anna", "frame_economic", "absent")


def span_keys(project: Project, with_notes: bool = True) -> set[tuple]:
    keys = set()
    for doc in project.iter_documents():
        for a in project.annotations(document_id=doc.id):
            key = (doc.external_id, a.coder, a.category, a.start, a.end, a.text)
            keys.add(key + ((a.note,) if with_notes else ()))
    return keys


def code_keys(project: Project) -> set[tuple]:
    external = {doc.id: doc.external_id for doc in project.iter_documents()}
    return {(external[l.document_id], l.coder, l.category, l.value) for l in project.document_labels()}
