"""Plain value types shared by every layer (no database, no Qt).

Offsets are always character offsets (Python ``str`` indices) into a document's
stored, normalised text: Unicode NFC, ``\\n`` line ends, no BOM.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from enum import Enum
from typing import Any


class ZoneKind(str, Enum):
    """The structural parts of a news page, as recognised at import."""

    KICKER = "kicker"  # topic line above the headline
    HEADLINE = "headline"
    BYLINE = "byline"  # author name(s)
    DATELINE = "dateline"  # location/date line, e.g. "Schweiz," or "Bern, 3. Mai –"
    LEAD = "lead"  # teaser paragraph right after the headline block
    IMAGE_ALT = "image_alt"  # alt text of a picture, often lower-case file-name words
    IMAGE_CAPTION = "image_caption"  # attrs: symbolic (bool), credit (str | None)
    PHOTO_CREDIT = "photo_credit"  # agency/photographer after " - " in a caption
    SUBHEADING = "subheading"  # attrs: question (bool)
    BODY = "body"
    COMMENTS_HEADER = "comments_header"  # the "Kommentare" heading
    COMMENT_USER = "comment_user"  # user label of a reader comment
    COMMENT = "comment"  # text of one reader comment
    BOILERPLATE = "boilerplate"  # page furniture: teasers, "MEHR IN …", "Weiterlesen"

    @property
    def codable(self) -> bool:
        """Whether coders may place labels here (furniture and mere labels are not)."""
        return self not in _NOT_CODABLE

    @property
    def is_boilerplate(self) -> bool:
        return self is ZoneKind.BOILERPLATE


_NOT_CODABLE = frozenset(
    {ZoneKind.BOILERPLATE, ZoneKind.COMMENTS_HEADER, ZoneKind.COMMENT_USER, ZoneKind.PHOTO_CREDIT}
)


@dataclass(frozen=True)
class Zone:
    """One structural region ``text[start:end]`` of a document."""

    kind: ZoneKind
    start: int
    end: int
    attrs: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)

    def __post_init__(self) -> None:
        if not 0 <= self.start <= self.end:
            raise ValueError(f"bad zone bounds {self.start}..{self.end}")

    def contains(self, start: int, end: int) -> bool:
        return self.start <= start and end <= self.end


class CategoryKind(str, Enum):
    SPAN = "span"
    DOCUMENT = "document"


class Origin(str, Enum):
    """How an annotation came to be."""

    MANUAL = "manual"
    SUGGESTION = "suggestion"  # a suggestion the coder accepted
    IMPORTED = "imported"  # brought in from a file (demo set, merge, exchange format)


class Status(str, Enum):
    """A coder's progress on one document."""

    TODO = "todo"
    IN_PROGRESS = "in_progress"
    DONE = "done"


@dataclass(frozen=True)
class Span:
    """A labelled character range, independent of storage."""

    start: int
    end: int
    category: str
    coder: str = ""

    def __post_init__(self) -> None:
        if not 0 <= self.start < self.end:
            raise ValueError(f"a span needs 0 <= start < end, got {self.start}..{self.end}")

    def overlaps(self, other: "Span") -> bool:
        return self.start < other.end and other.start < self.end


# --- Records the project API hands out (read-only snapshots, safe to pass between threads) -------


@dataclass(frozen=True)
class DocumentSummary:
    """One row of the document list."""

    id: int
    external_id: str | None
    title: str | None
    outlet: str | None
    published: str | None
    length: int
    status: Status = Status.TODO
    label_count: int = 0
    seconds: float = 0.0


@dataclass(frozen=True)
class Document:
    id: int
    external_id: str | None
    title: str | None
    outlet: str | None
    url: str | None
    published: str | None
    text: str
    sha256: str
    layout: str
    source_file: str | None
    extra: dict[str, Any]
    zones: tuple[Zone, ...]

    def zone_at(self, offset: int) -> Zone | None:
        for z in self.zones:
            if z.start <= offset < z.end:
                return z
        return None


@dataclass(frozen=True)
class Annotation:
    id: int
    document_id: int
    coder: str
    category: str  # category id (slug)
    start: int
    end: int
    text: str
    note: str | None
    origin: Origin
    version: int
    created_at: str = ""
    updated_at: str = ""

    @property
    def span(self) -> Span:
        return Span(self.start, self.end, self.category, self.coder)


@dataclass(frozen=True)
class DocumentLabel:
    document_id: int
    coder: str
    category: str
    value: str


@dataclass(frozen=True)
class CoderInfo:
    id: int
    name: str
    is_gold: bool = False
    role: "MemberRole | str" = "coder"
    db_role: str | None = None  # the server login that acts as this member (PostgreSQL)


class MemberRole(str, Enum):
    """What a project member may do. On a server the database enforces it; in a project file the app does."""

    CODER = "coder"  # codes; in a blind study sees only their own labels
    LEAD = "lead"  # sets up the study, sees everything, adjudicates, writes gold, changes settings
    VIEWER = "viewer"  # reads everything, writes nothing


MAX_MEMBER_NAME = 100


def member_name(raw: str) -> str:
    """The one spelling of a coder's name: Unicode NFC, no invisible format characters (zero-width
    spaces, joiners, bidi overrides: "an\u200bna" and "\u202eanna" are "anna"), single spaces.

    Raises ValueError for a name that is empty or longer than MAX_MEMBER_NAME characters."""
    text = unicodedata.normalize("NFC", raw)
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Cf")
    text = " ".join(text.split())
    if not text:
        raise ValueError("a coder needs a name with at least one visible character")
    if len(text) > MAX_MEMBER_NAME:
        raise ValueError(f"a coder's name has at most {MAX_MEMBER_NAME} characters ({len(text)} given)")
    return text


@dataclass(frozen=True)
class Suggestion:
    """A span the suggester proposes; it counts as nothing until a coder accepts it."""

    id: int
    document_id: int
    category: str
    start: int
    end: int
    text: str
    rule_id: str  # which rule fired, so coders and researchers can see why
    extra: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)


class Decision(str, Enum):
    ACCEPTED = "accepted"
    REJECTED = "rejected"
