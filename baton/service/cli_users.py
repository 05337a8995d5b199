"""``baton users``: manage accounts from the machine Baton runs on.

These write to the database directly (not through the HTTP API), so the first admin can be
made before anyone can sign in; accounts touch no index, so a running server is no obstacle.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Annotated

import typer
from rich.console import Console
from sqlalchemy.orm import Session

from baton.service.accounts.tokens import create_token
from baton.service.accounts.users import ROLES, create_user, find_user, reset_password
from baton.service.db import schema  # noqa: F401 - every table mapped
from baton.service.db.engine import make_engine, make_session_factory, transaction
from baton.service.db.migrate import upgrade_to_head
from baton.service.errors import ServiceError
from baton.service.settings import get_settings

users_app = typer.Typer(
    help="Accounts: create them, reset a password, make an API token.", no_args_is_help=True
)
console = Console(stderr=True)

PasswordStdin = Annotated[
    bool, typer.Option("--password-stdin", help="Read the password from standard input.")
]


def _read_password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    return str(typer.prompt("Password", hide_input=True, confirmation_prompt=True))


def _run(work: Callable[[Session], object]) -> None:
    settings = get_settings()
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    upgrade_to_head(settings.sqlalchemy_url)
    engine = make_engine(settings.sqlalchemy_url)
    try:
        with transaction(make_session_factory(engine)) as session:
            work(session)
    except ServiceError as refused:
        console.print(f"[red]{refused.detail}[/red]")
        raise typer.Exit(1) from None
    finally:
        engine.dispose()


@users_app.command("create")
def create(
    email: Annotated[str, typer.Argument(help="The account's email address.")],
    role: Annotated[
        list[str], typer.Option("--role", help=f"One of {', '.join(ROLES)}; repeat for more.")
    ],
    password_stdin: PasswordStdin = False,
) -> None:
    """Add an account with a password and one or more roles."""
    password = _read_password(password_stdin)
    _run(lambda session: create_user(session, email, password, role, actor="baton users create"))
    console.print(f"Created {email.strip().lower()} ({', '.join(role)}).")


@users_app.command("reset-password")
def reset(email: str, password_stdin: PasswordStdin = False) -> None:
    """Set a new password for an account (and lift a lockout)."""
    password = _read_password(password_stdin)

    def work(session: Session) -> None:
        user = find_user(session, email)
        if user is None:
            raise ServiceError(f"No account has the email {email!r}.")
        reset_password(session, user.id, password, actor="baton users reset-password")

    _run(work)
    console.print(f"New password set for {email.strip().lower()}.")


@users_app.command("token")
def token(
    email: Annotated[str, typer.Argument(help="The account the token acts as.")],
    name: Annotated[str, typer.Option(help="What the token is for, shown in the account.")] = "cli",
) -> None:
    """Print a new personal API token for an account (for BATON_TOKEN or a script's bearer
    header). It is shown this once; the account can revoke it in the web page or the API."""
    made: list[str] = []

    def work(session: Session) -> None:
        user = find_user(session, email)
        if user is None or user.disabled:
            raise ServiceError(f"No active account has the email {email!r}.")
        made.append(create_token(session, user, name)[1])

    _run(work)
    print(made[0])
