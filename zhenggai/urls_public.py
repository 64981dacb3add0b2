"""URL configuration of the public-only mode (ZHENGGAI_MODE=public): the public site, the health probe
and nothing else — no login, no API, no staff page exists to be reached from the internet."""

from django.urls import include, path
from django.views.generic import RedirectView

from zhenggai.org.views import healthz

handler404 = "zhenggai.public.views.common.page_not_found"
handler500 = "zhenggai.web.views.errors.server_error"

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("gongkai/", include("zhenggai.public.urls")),
    path("", RedirectView.as_view(pattern_name="public:home", permanent=False)),
]
