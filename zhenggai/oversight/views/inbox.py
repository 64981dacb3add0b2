"""The in-app inbox of reminders (站内提醒): a list, an unread badge for htmx, marking as read."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from zhenggai.ledger.links import is_own_path
from zhenggai.oversight.models import Notification
from zhenggai.oversight.views.common import page, signed_in


@signed_in
@require_GET
def inbox(request: HttpRequest) -> HttpResponse:
    notes = Notification.objects.filter(recipient=request.user).select_related("task")
    if request.GET.get("unread"):
        notes = notes.filter(read_at__isnull=True)
    page_obj = Paginator(notes, 50).get_page(request.GET.get("page"))
    return page(
        "oversight/inbox.html",
        request,
        {"page_obj": page_obj, "only_unread": bool(request.GET.get("unread")), "tab": "inbox"},
    )


@signed_in
@require_GET
def unread_badge(request: HttpRequest) -> HttpResponse:
    """A fragment for the header: the count of unread reminders (htmx polls it)."""
    count = Notification.objects.filter(recipient=request.user, read_at__isnull=True).count()
    return page("oversight/_unread.html", request, {"count": count})


@signed_in
@require_POST
def mark_read(request: HttpRequest, pk: int) -> HttpResponse:
    note = get_object_or_404(Notification, pk=pk, recipient=request.user)
    if note.read_at is None:
        note.read_at = timezone.now()
        note.save(update_fields=["read_at"])
    target = request.POST.get("next") or note.link
    return redirect(target if is_own_path(target) else "oversight:inbox")


@signed_in
@require_POST
def mark_all_read(request: HttpRequest) -> HttpResponse:
    Notification.objects.filter(recipient=request.user, read_at__isnull=True).update(read_at=timezone.now())
    return redirect("oversight:inbox")
