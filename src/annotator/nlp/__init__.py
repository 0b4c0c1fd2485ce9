"""Rule-based suggestions for coders, built on spaCy (no Qt, no database here).

* :mod:`.pipeline` — ``build_pipeline(patterns_dir=None, outlets_file=None)``: the spaCy pipeline
* :mod:`.suggest` — ``suggest_documents(items, …)``, ``suggest_text(text, zones)``, ``Suggestion``
* :mod:`.patterns` — pattern files, ``pattern_set_version(nlp or folder)``, ``PatternError``
* :mod:`.evaluate` — precision, recall and F1 against gold spans (exact and overlap matching)

Components, one concept each: :mod:`.zones`, :mod:`.outlets`, :mod:`.ruler`, :mod:`.quotes`,
:mod:`.zonecues`, :mod:`.context`, :mod:`.filtering`. Importing this package does not load spaCy;
importing :mod:`.pipeline` registers the components' factories.
"""
