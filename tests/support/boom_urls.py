"""A URL configuration for tests only: the site plus a page and an API endpoint that fail on purpose."""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import path
from ninja import NinjaAPI

from zhenggai.api import errors
from zhenggai.api.auth import AUTH
from zhenggai.urls import handler500
from zhenggai.urls import urlpatterns as site_urlpatterns
from zhenggai.web.views.common import page

__all__ = ["handler500", "urlpatterns"]

boom_api = NinjaAPI(urls_namespace="boom-api", auth=AUTH, docs_url=None, openapi_url=None)
errors.install(boom_api)


class Boom(RuntimeError):
    """An error no code of ours expects."""


@boom_api.get("/boom")
def api_boom(request: HttpRequest):
    raise Boom("secret detail of the API failure")


@page
def web_boom(request: HttpRequest):
    raise Boom("secret detail of the page failure")


def anonymous_boom(request: HttpRequest):
    raise Boom("secret detail of the anonymous failure")


urlpatterns = [
    path("test-only/boom/", web_boom),
    path("test-only/anonymous-boom/", anonymous_boom),
    path("test-only/api/", boom_api.urls),
    *site_urlpatterns,
]
