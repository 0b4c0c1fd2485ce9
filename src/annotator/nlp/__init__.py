"""Suggestions for coders, built on spaCy (no Qt, no database here): rules, and a model learnt from labels.

* :mod:`.pipeline` — ``build_pipeline(patterns_dir=None, outlets_file=None)``: the rule pipeline
* :mod:`.suggest` — ``suggest_documents(items, …)``, ``suggest_text(text, zones)``, ``Suggestion``
* :mod:`.patterns` — pattern files, ``pattern_set_version(nlp or folder)``, ``PatternError``
* :mod:`.evaluate` — precision, recall and F1 against gold spans (exact and overlap matching)
* :mod:`.project_run` — ``run_suggester(project, …, model_dir=None)``: a project's suggestion run
* :mod:`.train` — ``train_span_model(project, …)``: a span model learnt from the coders' labels
* :mod:`.span_model` — the trained model as a suggestion source: ``model_suggestions(model_dir, items)``

Components, one concept each: :mod:`.sentences`, :mod:`.zones`, :mod:`.lemmas`, :mod:`.outlets`,
:mod:`.ruler` (with :mod:`.matching`), :mod:`.quotes`, :mod:`.zonecues`, :mod:`.context`,
:mod:`.filtering`; what they share per doc is in :mod:`.docfacts`, how they take docs in
:mod:`.batching`. Importing this package does not load spaCy; importing :mod:`.pipeline` registers the
components' factories.
"""

from __future__ import annotations

import threading

__all__ = ["preload_suggester"]


def preload_suggester() -> threading.Thread:
    """Load spaCy and build the default rule pipeline in a background (daemon) thread.

    For the app: call it once the window is shown, so that neither start-up nor the first "Suggest
    labels" waits for spaCy (about 1.5 s). Errors surface at the first real use, not here.
    """

    def build() -> None:
        try:
            from .suggest import default_pipeline

            default_pipeline()
        except Exception:  # noqa: BLE001 - reported where the pipeline is needed, not in a stray thread
            pass

    thread = threading.Thread(target=build, name="annotator-suggester-preload", daemon=True)
    thread.start()
    return thread
