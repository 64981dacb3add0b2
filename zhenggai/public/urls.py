"""URLs of the public site (namespace "public"), mounted at /gongkai/. No login anywhere below it;
every view is `hardened` (content security policy: nothing from elsewhere, no scripts). Every name
here has its row in tests/public/test_permissions.py."""

from django.urls import path
from django.views.decorators.http import require_GET

from zhenggai.public.views import feed, files, opinions, search, site
from zhenggai.public.views.common import hardened as h

app_name = "public"

urlpatterns = [
    path("", h(site.home), name="home"),
    path("reports/", h(site.report_list), name="reports"),
    path("reports/<id:pk>/", h(site.report_page), name="report"),
    path("reports/<id:pk>/print/", h(site.report_print), name="print"),
    path("reports/<id:pk>/report.docx", h(files.report_docx), name="docx"),
    path("reports/<id:pk>/report.pdf", h(files.report_pdf), name="pdf"),
    path("reports/<id:pk>/opinion/", h(opinions.opinion_form), name="report_opinion"),
    path("search/", h(search.search_page), name="search"),
    path("opinion/", h(opinions.opinion_form), name="opinion"),
    path("opinion/status/", h(opinions.opinion_status), name="status"),
    path("opinion/challenge.png", h(opinions.challenge_picture), name="challenge"),
    path("feed.atom", h(require_GET(feed.ReportFeed())), name="feed"),
]
