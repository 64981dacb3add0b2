"""What every page's navigation needs to know about the user: role and the sections open to them."""

from __future__ import annotations

from django.apps import apps

from zhenggai.ledger.access import Action, can, role_of
from zhenggai.org.models import Role


def _section(request) -> str:
    """Which part of the navigation the current page belongs to, for aria-current."""
    match = getattr(request, "resolver_match", None)
    name = match.url_name if match else ""
    for prefix, section in (("my_tasks", "my"), ("import", "import"), ("manage", "manage")):
        if name and name.startswith(prefix):
            return section
    return "rounds"


def navigation(request) -> dict:
    user = getattr(request, "user", None)
    role = role_of(user)
    if role is None:
        return {"nav_role": None}
    return {
        **_assigned_opinions(user, role),
        "section": _section(request),
        "nav_role": role,
        "nav_role_label": Role(role).label,
        "nav_my_tasks": role in (Role.RESPONSIBLE, Role.UNIT_OFFICE),
        "nav_import": can(user, Action.IMPORT),
        "nav_oversight": role in (Role.OFFICE, Role.SUPERVISOR),
        "nav_publication": _publication_open_to(role),
        "nav_manage": can(user, Action.MANAGE_USERS),
    }


def _publication_open_to(role) -> bool:
    """Whether the publication pages (/publication/) answer this role: the office approves, the unit office
    submits and handles opinions, supervisors and teams follow them read-only (`zhenggai.public.access`)."""
    if not apps.is_installed("zhenggai.public"):
        return False
    from zhenggai.public.access import VIEWERS

    return role in VIEWERS


def _assigned_opinions(user, role) -> dict:
    """For a responsible person with opinions assigned to them: a link to them (群众意见) and how many
    are still open. One aggregate over the handler's index; other roles reach opinions through 公开与意见."""
    if role != Role.RESPONSIBLE or not apps.is_installed("zhenggai.public"):
        return {}
    from django.db.models import Count, Q

    from zhenggai.public.access import opinions_for
    from zhenggai.public.models import Opinion

    counts = (
        opinions_for(user)
        .order_by()
        .aggregate(assigned=Count("pk"), open=Count("pk", filter=~Q(state=Opinion.State.CLOSED)))
    )
    return {"nav_opinions": counts["assigned"] > 0, "nav_opinions_open": counts["open"]}
