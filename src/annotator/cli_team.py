"""`annotator team …`: the members of a study, their roles and (on a server) their logins."""

from __future__ import annotations

import argparse

from .cli_support import EXIT_OK
from .domain import MemberRole
from .project import Project


def cmd_team(args: argparse.Namespace) -> int:
    from .team import server

    with Project.open(args.project) as project:
        if args.team_command == "init":
            groups = server.init_server(project, lead_name=args.lead)
            print(f"{project.display_location}: server roles ready (groups {groups.lead}, {groups.coder}, {groups.viewer});")
            print("  row-level security is on for labels, document codes, statuses and suggestion decisions")
        elif args.team_command == "add":
            if project.backend == "postgresql":
                new = server.add_member(project, args.name, args.role, login=args.login, pgpass_dir=args.pgpass_dir)
                print(f"{new.member}: {new.role.value}, logs in as {new.login}")
                print(f"  password written to {new.pgpass_file} (mode 0600): hand this file to {new.member}, who")
                print("  appends it to ~/.pgpass (Windows: %APPDATA%\\postgresql\\pgpass.conf) and then runs")
                print(f"  annotator open {new.url}")
            else:
                info = project.set_member(args.name, args.role)
                print(f"{info.name}: {MemberRole(info.role).value} (a project file: the app honours the role, "
                      "but the file's owner can always change it)")  # fmt: skip
        else:
            for c in project.coders():
                login = f", login {c.db_role}" if c.db_role else ""
                gold = " (gold layer)" if c.is_gold else ""
                print(f"{c.name}: {MemberRole(c.role).value}{login}{gold}")
    return EXIT_OK


def add_parsers(sub) -> None:
    p = sub.add_parser("team", help="members of a study and their roles; server logins with row-level security")
    team = p.add_subparsers(dest="team_command", required=True, metavar="ACTION")
    t = team.add_parser("init", help="set up the server's group roles and row-level security (PostgreSQL; run as the owner)")
    t.add_argument("--project", "-p", required=True)
    t.add_argument("--lead", help="member name of the lead who runs this (default: the login name)")
    t.set_defaults(func=cmd_team)
    t = team.add_parser("add", help="add a member: coder, lead or viewer (on a server: a login of their own)")
    t.add_argument("name", help="the member's name as the app shows it")
    t.add_argument("--project", "-p", required=True)
    t.add_argument("--role", choices=[r.value for r in MemberRole], default=MemberRole.CODER.value)
    t.add_argument("--login", help="the database login to create (default: <database>_<name>)")
    t.add_argument("--pgpass-dir", default=".", help="folder for the member's .pgpass file (default: here)")
    t.set_defaults(func=cmd_team)
    t = team.add_parser("list", help="members, roles and logins")
    t.add_argument("--project", "-p", required=True)
    t.set_defaults(func=cmd_team)
