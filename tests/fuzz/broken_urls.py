"""The site's URLs plus one page that reads a number the old way (tests only): the page fuzz must
find it."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.urls import path

from zhenggai.ledger.models import Round
from zhenggai.urls import urlpatterns as site


def careless(request: HttpRequest) -> HttpResponse:
    """The bug of the audit: str.isdigit() accepts "²", and int() of it raises."""
    raw = request.GET.get("round", "")
    rounds = Round.objects.filter(pk=int(raw)) if raw.isdigit() else Round.objects.all()
    return HttpResponse(str(rounds.count()))


urlpatterns = [path("careless/", careless), *site]
