"""Page layout rule sets, one module per outlet style; importing this package registers them.

To support another outlet, add a module here that derives its rules from ``generic.GENERIC`` with
``GENERIC.extend(name, description, signatures=..., furniture=..., ...)``, registers them with
``register_layout`` and is imported below. ``tests/corpus/test_structure.py`` shows what a rule set
is expected to recognise.
"""

from annotator.corpus.layouts import generic, regional_daily, swiss_portal

__all__ = ["generic", "regional_daily", "swiss_portal"]
