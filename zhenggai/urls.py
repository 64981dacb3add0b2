"""Root URL configuration. The web pages and the JSON API mount their routers here."""

from django.urls import include, path

from zhenggai.api.main import api
from zhenggai.org.views import healthz

handler500 = "zhenggai.web.views.errors.server_error"  # Chinese, with the request id

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("api/v1/", api.urls),
    path("oversight/", include("zhenggai.oversight.urls")),
    path("", include("zhenggai.reports.urls")),
    path("gongkai/", include("zhenggai.public.urls")),
    path("publication/", include("zhenggai.public.staff_urls")),
    path("", include("zhenggai.web.urls")),
]
