"""What the `zhenggai` commands share: errors printed as one Chinese line, the acting user, finding a round.

Commands are thin: they parse arguments, call one service and print. A domain or parse error
becomes `zhenggai: 错误:…` on stderr and a non-zero exit, never a traceback.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q

from zhenggai.ingest import IngestError
from zhenggai.ledger.errors import LedgerError
from zhenggai.ledger.models import Round
from zhenggai.org.models import Role, User
from zhenggai.params import identifier

SYSTEM_USERNAME = "zhenggai-system"


class ZhenggaiCommand(BaseCommand):
    """A command whose errors read like the rest of the CLI (Django would print `CommandError: …`)."""

    def execute(self, *args: Any, **options: Any) -> Any:
        try:
            try:
                return super().execute(*args, **options)
            except (LedgerError, IngestError) as exc:
                raise CommandError(exc.message) from exc
        except CommandError as exc:
            if not getattr(self, "_called_from_command_line", False) or options.get("traceback"):
                raise
            self.stderr.write(f"zhenggai: 错误:{exc}")
            raise SystemExit(exc.returncode) from None


def system_actor() -> User:
    """The user that acts for commands run by the server's operator when no office user exists yet.

    It has the office role (imports need it) and no usable password, so nobody can log in as it.
    """
    user, created = User.objects.get_or_create(
        username=SYSTEM_USERNAME, defaults={"role": Role.OFFICE, "display_name": "系统(命令行)"}
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


def resolve_actor(username: str | None) -> User:
    """`--as USERNAME`, else the first active office user, else the system actor."""
    if username:
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"未找到用户“{username}”")
        return user
    office = Q(role=Role.OFFICE) | Q(is_superuser=True)
    first = User.objects.filter(office, is_active=True).exclude(username=SYSTEM_USERNAME).order_by("pk").first()
    return first or system_actor()


def find_round(spec: str) -> Round | None:
    """A round by id or by name; None when there is none. A name several committees use must be an id."""
    spec = spec.strip()
    round_id = identifier(spec)
    if round_id is not None:
        found = Round.objects.filter(pk=round_id).first()
        if found is not None:
            return found
    matches = list(Round.objects.filter(name=spec).select_related("committee")[:2])
    if len(matches) > 1:
        raise CommandError(f"多个党委都有名为“{spec}”的轮次,请改用轮次编号")
    return matches[0] if matches else None
