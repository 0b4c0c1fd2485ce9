"""Coders, their roles and (on a server) the logins acting as them."""

from __future__ import annotations

from sqlalchemy import literal_column
from sqlalchemy.exc import IntegrityError
from sqlmodel import select

from ..domain import CoderInfo, MemberRole, member_name
from ..errors import ProjectError
from ..storage.models import CoderRow


class Members:
    """Mixed into `Project`: who codes, and who may lead."""

    @staticmethod
    def _member_name(raw: str) -> str:
        try:
            return member_name(raw)
        except ValueError as exc:
            raise ProjectError(f"{raw!r}: {exc}") from None

    def ensure_coder(self, name: str, is_gold: bool = False) -> CoderInfo:
        name = self._member_name(name)
        with self._read() as s:
            # Reading first: on a server a coder's login may read the member list but not add to it.
            row = s.exec(select(CoderRow).where(CoderRow.name == name)).first()
            if row is not None and (row.is_gold or not is_gold):
                self._coder_ids[name] = row.id
                return _coder_info(row)
        with self._session() as s:
            row = s.exec(select(CoderRow).where(CoderRow.name == name)).first()
            if row is not None and is_gold and not row.is_gold:
                row.is_gold = True
                s.add(row)
                s.commit()
            if row is None:
                row = CoderRow(name=name, is_gold=is_gold)
                s.add(row)
                try:
                    s.commit()
                except IntegrityError:  # another process created the same coder a moment ago
                    s.rollback()
                    row = s.exec(select(CoderRow).where(CoderRow.name == name)).one()
            self._coder_ids[name] = row.id
            return _coder_info(row)

    def coders(self) -> list[CoderInfo]:
        with self._read() as s:
            return [_coder_info(r) for r in s.exec(select(CoderRow).order_by(CoderRow.name))]

    def set_member(self, name: str, role: MemberRole | str, db_role: str | None = None) -> CoderInfo:
        """Make `name` a member with a role (and, on a server, the login that acts as them)."""
        role = MemberRole(role)
        info = self.ensure_coder(name)
        with self._session() as s:
            row = s.get(CoderRow, info.id)
            row.role = role.value
            if db_role is not None:
                row.db_role = db_role
            s.add(row)
            s.commit()
            return _coder_info(row)

    def may_lead(self, name: str | None) -> bool:
        """Whether `name` may do the lead's work: dashboards, comparison, adjudication, settings.

        A project with no member named lead belongs to whoever opens it (one researcher at a desk);
        once a lead is named, only leads may. On a server the login decides, not the name."""
        login = self.member_for_login()
        if login is not None:
            return MemberRole(login.role) is MemberRole.LEAD
        leads = {c.name for c in self.coders() if MemberRole(c.role) is MemberRole.LEAD}
        if not leads:
            return True
        return name is not None and self._member_name(name) in leads

    def _role(self, name: str) -> str:
        return next((MemberRole(c.role).value for c in self.coders() if c.name == name), MemberRole.CODER.value)

    def member_for_login(self) -> CoderInfo | None:
        """On a server: the member whose database login this connection uses (None for a file)."""
        if self._engine.dialect.name != "postgresql":
            return None
        with self._read() as s:
            row = s.exec(select(CoderRow).where(CoderRow.db_role == literal_column("session_user"))).first()
            return _coder_info(row) if row is not None else None

    def _coder_id(self, name: str) -> int:
        cid = self._coder_ids.get(name)
        return cid if cid is not None else self.ensure_coder(name).id


def _coder_info(row: CoderRow) -> CoderInfo:
    return CoderInfo(row.id, row.name, row.is_gold, MemberRole(row.role or "coder"), row.db_role)


