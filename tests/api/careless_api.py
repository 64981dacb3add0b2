"""A JSON API with one careless operation (tests only): the schemathesis run must catch its 500."""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import path
from ninja import NinjaAPI

api = NinjaAPI(urls_namespace="careless", docs_url=None)


@api.get("/share")
def share(request: HttpRequest, parts: int):
    """Divides without looking: parts=0 raises, which Django answers with a 500."""
    return {"share": 100 // parts}


urlpatterns = [path("careless/", api.urls)]
