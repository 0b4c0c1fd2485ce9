"""A study on a PostgreSQL server whose database, not the app, enforces who may see and change what.

Three group roles per study database hold the privileges, and every person logs in with a role of
their own that is a member of one group:

- ``<db>_lead``: reads and writes every table's rows (adjudication, gold layer, settings, imports).
- ``<db>_coder``: reads the corpus and the codebook; reads and writes only rows of their own
  coder in the tables that hold a coder's work; in a blind study cannot even read others' rows.
- ``<db>_viewer``: reads everything, writes nothing.

Row-level security is switched on *and forced* on the coder-work tables, so the table owner is
held to the policies too. The policies ask `annotator_member_id()` who is connected. That helper
runs as its definer (so it may read the member list whatever the caller's grants are), and inside
such a function `current_user` is the definer, not the caller: the helper keys on `session_user`,
the login the connection was opened with. Login roles are created NOSUPERUSER NOBYPASSRLS and own
nothing, so none of them can step around the policies.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.engine import URL, make_url

from ..domain import MemberRole, member_name
from ..errors import ProjectError
from ..project import Project

# Tables whose rows belong to one coder (column coder_id): labels, document codes, statuses and
# time, suggestion decisions.
CODER_TABLES = ("annotations", "document_labels", "document_status", "suggestion_decisions")
SHARED_TABLES = (
    "meta", "documents", "zones", "coders", "categories", "suggestions", "suggestion_runs", "alembic_version",
)  # fmt: skip

_FUNCTIONS = """
CREATE OR REPLACE FUNCTION annotator_member_id() RETURNS integer
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = {schema}, pg_temp AS
$$ SELECT id FROM coders WHERE db_role = session_user $$;

CREATE OR REPLACE FUNCTION annotator_is_lead() RETURNS boolean
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = {schema}, pg_temp AS
$$ SELECT pg_has_role(session_user, {lead}, 'MEMBER') $$;

CREATE OR REPLACE FUNCTION annotator_reads_all() RETURNS boolean
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = {schema}, pg_temp AS
$$ SELECT pg_has_role(session_user, {lead}, 'MEMBER') OR pg_has_role(session_user, {viewer}, 'MEMBER')
       OR EXISTS (SELECT 1 FROM meta WHERE key = 'setting.show_others_labels' AND value = 'true') $$;
"""


@dataclass(frozen=True)
class Groups:
    lead: str
    coder: str
    viewer: str

    def for_role(self, role: MemberRole) -> str:
        return {MemberRole.LEAD: self.lead, MemberRole.CODER: self.coder, MemberRole.VIEWER: self.viewer}[role]


@dataclass(frozen=True)
class NewLogin:
    """What a lead hands to a new member: where to connect and a .pgpass line (kept off the screen)."""

    member: str
    role: MemberRole
    login: str
    url: str  # without the password
    pgpass_file: Path


def groups_for(database: str) -> Groups:
    base = _role_name(database)
    return Groups(f"{base}_lead", f"{base}_coder", f"{base}_viewer")


def _role_name(raw: str) -> str:
    """A PostgreSQL role name from free text: lower-case ASCII letters, digits and underscores."""
    name = re.sub(r"[^a-z0-9_]+", "_", raw.lower()).strip("_") or "member"
    return name[:50]


def _quote(conn, name: str) -> str:
    return conn.dialect.identifier_preparer.quote_identifier(name)


def _require_server(project: Project) -> None:
    if project.backend != "postgresql":
        raise ProjectError(
            f"{project.location}: a project file has no server roles; the app honours member roles in a file, "
            "but a file cannot stop its owner (use a PostgreSQL project for enforced roles)"
        )


def init_server(project: Project, lead_name: str | None = None) -> Groups:
    """Create the study's group roles, the policy helpers, the policies and the grants (idempotent).

    Run it as the role that owns the schema; it needs CREATEROLE to make the groups. That login
    becomes the study's first lead member (named `lead_name`, or after the login)."""
    _require_server(project)
    with project.admin_connection() as conn:
        database = conn.exec_driver_sql("SELECT current_database()").scalar_one()
        schema = conn.exec_driver_sql("SELECT current_schema()").scalar_one()
        groups = groups_for(database)
        q = lambda name: _quote(conn, name)  # noqa: E731
        for group in (groups.lead, groups.coder, groups.viewer):
            exists = conn.execute(text("SELECT 1 FROM pg_roles WHERE rolname = :n"), {"n": group}).first()
            if not exists:
                conn.exec_driver_sql(f"CREATE ROLE {q(group)} NOLOGIN NOINHERIT")
        me = conn.exec_driver_sql("SELECT session_user").scalar_one()
        # The schema's owner is the study's first lead (it imports the corpus and sets up the team).
        conn.exec_driver_sql(f"GRANT {q(groups.lead)} TO {q(me)}")
        literal = lambda value: "'" + value.replace("'", "''") + "'"  # noqa: E731
        conn.exec_driver_sql(
            _FUNCTIONS.format(schema=q(schema), lead=literal(groups.lead), viewer=literal(groups.viewer))
        )
        for fn in ("annotator_member_id()", "annotator_is_lead()", "annotator_reads_all()"):
            conn.exec_driver_sql(f"REVOKE ALL ON FUNCTION {fn} FROM PUBLIC")
            for group in (groups.lead, groups.coder, groups.viewer):
                conn.exec_driver_sql(f"GRANT EXECUTE ON FUNCTION {fn} TO {q(group)}")
            conn.exec_driver_sql(f"GRANT EXECUTE ON FUNCTION {fn} TO {q(me)}")
        everyone = ", ".join(q(g) for g in (groups.lead, groups.coder, groups.viewer))
        conn.exec_driver_sql(f"GRANT CONNECT ON DATABASE {q(database)} TO {everyone}")
        conn.exec_driver_sql(f"GRANT USAGE ON SCHEMA {q(schema)} TO {everyone}")
        all_tables = ", ".join(q(t) for t in (*SHARED_TABLES, *CODER_TABLES))
        conn.exec_driver_sql(f"REVOKE ALL ON {all_tables} FROM PUBLIC")
        conn.exec_driver_sql(f"GRANT SELECT ON {all_tables} TO {everyone}")
        conn.exec_driver_sql(f"GRANT INSERT, UPDATE, DELETE ON {all_tables} TO {q(groups.lead)}")
        work = ", ".join(q(t) for t in CODER_TABLES)
        conn.exec_driver_sql(f"GRANT INSERT, UPDATE, DELETE ON {work} TO {q(groups.coder)}")
        conn.exec_driver_sql(f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {q(schema)} TO {q(groups.lead)}, {q(groups.coder)}")
        writes = "(annotator_is_lead() OR coder_id = annotator_member_id())"
        reads = "(annotator_reads_all() OR coder_id = annotator_member_id())"
        for table in CODER_TABLES:
            conn.exec_driver_sql(f"ALTER TABLE {q(table)} ENABLE ROW LEVEL SECURITY")
            conn.exec_driver_sql(f"ALTER TABLE {q(table)} FORCE ROW LEVEL SECURITY")
            for policy, clause in (
                ("annotator_read", f"FOR SELECT USING {reads}"),
                ("annotator_insert", f"FOR INSERT WITH CHECK {writes}"),
                ("annotator_update", f"FOR UPDATE USING {writes} WITH CHECK {writes}"),
                ("annotator_delete", f"FOR DELETE USING {writes}"),
            ):
                conn.exec_driver_sql(f"DROP POLICY IF EXISTS {policy} ON {q(table)}")
                conn.exec_driver_sql(f"CREATE POLICY {policy} ON {q(table)} {clause}")
        for key, value in (("team.lead_group", groups.lead), ("team.coder_group", groups.coder), ("team.viewer_group", groups.viewer)):
            conn.execute(text("DELETE FROM meta WHERE key = :k"), {"k": key})
            conn.execute(text("INSERT INTO meta (key, value) VALUES (:k, :v)"), {"k": key, "v": value})
    if not _has_login(project, me):
        project.set_member(lead_name or me, MemberRole.LEAD, db_role=me)
    return groups


def _has_login(project: Project, login: str) -> bool:
    return any(c.db_role == login for c in project.coders())


def add_member(
    project: Project, name: str, role: MemberRole | str = MemberRole.CODER, *, login: str | None = None,
    pgpass_dir: str | Path = ".",
) -> NewLogin:  # fmt: skip
    """Create a login role for a member, put it in the role's group and record it in the project.

    The password is random and written only to a .pgpass file (mode 0600) for the member; the
    returned URL has no password in it, since libpq reads it from ~/.pgpass."""
    _require_server(project)
    role = MemberRole(role)
    name = member_name(name)
    url = make_url(project.location if "://" in project.location else "postgresql://")
    with project.admin_connection() as conn:
        database = conn.exec_driver_sql("SELECT current_database()").scalar_one()
        groups = groups_for(database)
        has_groups = conn.execute(text("SELECT 1 FROM pg_roles WHERE rolname = :n"), {"n": groups.coder}).first()
        if not has_groups:
            raise ProjectError(f"{database}: the study has no server roles yet; run 'annotator team init' first")
        login = _role_name(login or f"{database}_{name}")
        if conn.execute(text("SELECT 1 FROM pg_roles WHERE rolname = :n"), {"n": login}).first():
            raise ProjectError(f"the login {login!r} exists already; choose another with --login")
        password = secrets.token_urlsafe(24)
        q = lambda n: _quote(conn, n)  # noqa: E731
        conn.exec_driver_sql(
            f"CREATE ROLE {q(login)} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS INHERIT "
            f"PASSWORD '{password}' IN ROLE {q(groups.for_role(role))}"
        )
    project.set_member(name, role, db_role=login)
    host, port = url.host or "localhost", url.port or 5432
    folder = Path(pgpass_dir)
    folder.mkdir(parents=True, exist_ok=True)
    pgpass = folder / f"{login}.pgpass"
    # libpq's format; ':' and '\' in a field are escaped with '\'.
    esc = lambda v: str(v).replace("\\", "\\\\").replace(":", "\\:")  # noqa: E731
    line = ":".join(esc(v) for v in (host, port, database, login, password)) + "\n"
    pgpass.touch(mode=0o600, exist_ok=True)
    pgpass.chmod(0o600)
    pgpass.write_text(line, encoding="utf-8")
    member_url = URL.create("postgresql", login, None, url.host, url.port, database, url.query)
    return NewLogin(name, role, login, member_url.render_as_string(hide_password=False), pgpass)


def logins(project: Project) -> list[tuple[str, str, str | None]]:
    """(member, role, login) for every member."""
    return [(c.name, MemberRole(c.role).value, c.db_role) for c in project.coders()]
