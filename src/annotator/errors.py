"""Errors a user can cause. Each message names the file/line and what to do about it.

The CLI prints these without a traceback and exits non-zero; the UI shows them in one presenter.
"""

from __future__ import annotations


class AnnotatorError(Exception):
    """Base class for every error that is the user's input, not a bug."""


class ProjectError(AnnotatorError):
    """The project file/URL cannot be opened or is not an annotator project."""


class CodebookError(AnnotatorError):
    """The codebook file is malformed or inconsistent."""


class CorpusError(AnnotatorError):
    """A corpus path cannot be read at all (single bad records are reported, not raised)."""


class AnnotationError(AnnotatorError):
    """An annotation that cannot be stored (bad offsets, unknown category, boilerplate zone …)."""


class ConflictError(AnnotatorError):
    """A row was changed by someone else since it was read."""
