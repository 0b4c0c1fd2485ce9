"""Speed work must not change a single suggestion: the sample corpus gives exactly the recorded ones.

The digest covers every article of ``sample_corpus/`` twice, once with the zones an import gives it and
once as plain body text (which lets the rules fire in furniture too), and for each suggestion its
category, offsets, rule id and extra facts. When a rule is changed on purpose, check the differences
(``_suggestion_rows`` lists them) and record the new digest.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

SAMPLE = Path(__file__).resolve().parents[2] / "sample_corpus"
RECORDED = "3f73971b6d42b6370d33ed36ecc7d6c2120b1f6341abab0d38c5ba446db1f9b2"
RECORDED_COUNT = 715


def _articles() -> dict[str, tuple[str, list]]:
    from annotator.corpus.importer import PreparedDocument, prepare
    from annotator.corpus.readers import iter_corpus
    from annotator.corpus.records import RawRecord

    articles = {}
    for item in iter_corpus(SAMPLE):
        if isinstance(item, RawRecord):
            prepared = prepare(item)
            if isinstance(prepared, PreparedDocument) and prepared.external_id is not None:
                articles[prepared.external_id] = (prepared.text, list(prepared.zones))
    return articles


def _suggestion_rows(nlp) -> list[list]:
    from annotator.nlp.suggest import suggest_documents

    articles = sorted(_articles().items())
    items = [(f"{key}|zones", text, zones) for key, (text, zones) in articles]
    items += [(f"{key}|plain", text, None) for key, (text, _) in articles]
    rows = []
    for key, suggestions in suggest_documents(items, nlp=nlp):
        for s in suggestions:
            extra = json.dumps(s.extra, sort_keys=True, ensure_ascii=False)
            rows.append([key, s.category, s.start, s.end, s.rule_id, extra])
    return rows


def test_the_sample_corpus_gets_the_recorded_suggestions(nlp):
    rows = _suggestion_rows(nlp)
    digest = hashlib.sha256(json.dumps(rows, ensure_ascii=False).encode("utf-8")).hexdigest()
    assert (len(rows), digest) == (RECORDED_COUNT, RECORDED)


def test_batches_and_single_documents_give_the_same_suggestions(nlp):
    from annotator.nlp.suggest import suggest_documents

    items = [(key, text, zones) for key, (text, zones) in sorted(_articles().items())][:8]
    assert list(suggest_documents(items, nlp=nlp, batch_size=1)) == list(suggest_documents(items, nlp=nlp))
