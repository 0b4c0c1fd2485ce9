"""The project's tables (sqlmodel). Portable SQL only: SQLite and PostgreSQL read the same schema.

Rows are an implementation detail of `annotator.project`; nothing else imports them.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any, Optional

from sqlalchemy import JSON, Column, Index, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

SCHEMA_VERSION = 3  # = the newest migration in storage/migrations/versions


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


class MetaRow(SQLModel, table=True):
    """Key/value facts about the project: schema version, name, settings."""

    __tablename__ = "meta"
    key: str = Field(primary_key=True)
    value: str = Field(sa_column=Column(Text, nullable=False))


class DocumentRow(SQLModel, table=True):
    __tablename__ = "documents"
    __table_args__ = (UniqueConstraint("sha256", name="uq_documents_sha256"),)

    id: Optional[int] = Field(default=None, primary_key=True)
    external_id: Optional[str] = Field(default=None, index=True)
    title: Optional[str] = Field(default=None, sa_column=Column(Text))
    outlet: Optional[str] = Field(default=None)
    url: Optional[str] = Field(default=None, sa_column=Column(Text))
    published: Optional[str] = Field(default=None)  # ISO date or datetime as given
    text: str = Field(sa_column=Column(Text, nullable=False))
    sha256: str = Field()
    layout: str = Field(default="clean")
    source_file: Optional[str] = Field(default=None, sa_column=Column(Text))
    extra: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    imported_at: datetime = Field(default_factory=utcnow)
    position: int = Field(default=0, index=True)  # import order, the natural reading order


class ZoneRow(SQLModel, table=True):
    __tablename__ = "zones"

    id: Optional[int] = Field(default=None, primary_key=True)
    document_id: int = Field(foreign_key="documents.id", index=True, ondelete="CASCADE")
    kind: str = Field()
    start: int
    end: int
    attrs: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))


class CoderRow(SQLModel, table=True):
    __tablename__ = "coders"

    id: Optional[int] = Field(default=None, primary_key=True)
    name: str = Field(unique=True)
    is_gold: bool = False
    role: str = Field(default="coder", sa_column=Column(Text, nullable=False, server_default="coder"))  # MemberRole
    db_role: Optional[str] = Field(default=None, sa_column=Column(Text))  # the server login acting as them (unique index)
    created_at: datetime = Field(default_factory=utcnow)


class CategoryRow(SQLModel, table=True):
    __tablename__ = "categories"

    id: Optional[int] = Field(default=None, primary_key=True)
    slug: str = Field(unique=True)  # stable id used in files and exports
    name: str = Field()
    kind: str = Field()  # CategoryKind
    shortcut: Optional[str] = Field(default=None)
    colour: str = Field(default="#888888")
    definition: str = Field(default="", sa_column=Column(Text, nullable=False))
    example: str = Field(default="", sa_column=Column(Text, nullable=False))
    parent_id: Optional[int] = Field(default=None, foreign_key="categories.id")
    level: str = Field(default="nominal")
    allowed_values: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    position: int = 0


class AnnotationRow(SQLModel, table=True):
    __tablename__ = "annotations"
    __table_args__ = (Index("ix_annotations_doc_coder", "document_id", "coder_id"),)

    id: Optional[int] = Field(default=None, primary_key=True)
    document_id: int = Field(foreign_key="documents.id", ondelete="CASCADE")
    coder_id: int = Field(foreign_key="coders.id", index=True)
    category_id: int = Field(foreign_key="categories.id", index=True)
    start: int
    end: int
    text: str = Field(sa_column=Column(Text, nullable=False))  # covered text, to detect drift
    note: Optional[str] = Field(default=None, sa_column=Column(Text))
    origin: str = Field(default="manual")
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)
    version: int = 1  # optimistic concurrency: bumped on every update


class DocumentLabelRow(SQLModel, table=True):
    __tablename__ = "document_labels"
    __table_args__ = (UniqueConstraint("document_id", "coder_id", "category_id", name="uq_doclabel"),)

    id: Optional[int] = Field(default=None, primary_key=True)
    document_id: int = Field(foreign_key="documents.id", index=True, ondelete="CASCADE")
    coder_id: int = Field(foreign_key="coders.id")
    category_id: int = Field(foreign_key="categories.id")
    value: str = Field()
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)
    version: int = 1


class DocumentStatusRow(SQLModel, table=True):
    __tablename__ = "document_status"

    document_id: int = Field(foreign_key="documents.id", primary_key=True, ondelete="CASCADE")
    coder_id: int = Field(foreign_key="coders.id", primary_key=True)
    status: str = Field(default="todo")
    seconds: float = 0.0  # time spent coding this document
    updated_at: datetime = Field(default_factory=utcnow)


class SuggestionRow(SQLModel, table=True):
    """A span proposed by the suggester; never a label until a coder accepts it."""

    __tablename__ = "suggestions"
    __table_args__ = (Index("ix_suggestions_doc", "document_id"),)

    id: Optional[int] = Field(default=None, primary_key=True)
    document_id: int = Field(foreign_key="documents.id", ondelete="CASCADE")
    category_id: int = Field(foreign_key="categories.id")
    start: int
    end: int
    text: str = Field(sa_column=Column(Text, nullable=False))
    rule_id: str = Field()
    extra: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    pattern_version: str = Field()
    created_at: datetime = Field(default_factory=utcnow)


class SuggestionDecisionRow(SQLModel, table=True):
    """A coder's accept/reject of a suggestion, keyed by content so re-runs do not bring it back."""

    __tablename__ = "suggestion_decisions"
    __table_args__ = (
        UniqueConstraint("coder_id", "document_id", "category_id", "start", "end", name="uq_suggestion_decision"),
    )

    id: Optional[int] = Field(default=None, primary_key=True)
    coder_id: int = Field(foreign_key="coders.id", index=True)
    document_id: int = Field(foreign_key="documents.id", ondelete="CASCADE")
    category_id: int = Field(foreign_key="categories.id")  # the category suggested
    start: int
    end: int
    rule_id: str = Field()
    decision: str = Field()  # accepted | rejected
    final_category_id: Optional[int] = Field(default=None, foreign_key="categories.id")
    annotation_id: Optional[int] = Field(default=None)
    created_at: datetime = Field(default_factory=utcnow)


class SuggestionRunRow(SQLModel, table=True):
    """Which text and pattern set a document's suggestions were computed from (incremental runs)."""

    __tablename__ = "suggestion_runs"

    document_id: int = Field(foreign_key="documents.id", primary_key=True, ondelete="CASCADE")
    text_sha256: str = Field()
    pattern_version: str = Field()
    run_at: datetime = Field(default_factory=utcnow)
