"""URLs of the public site (namespace "public"), mounted at /gongkai/. No login anywhere below it;
every name here has its row in tests/public/test_permissions.py."""

from django.urls import path
from django.views.decorators.http import require_GET

from zhenggai.public.views import feed, files, opinions, search, site

app_name = "public"

urlpatterns = [
    path("", site.home, name="home"),
    path("reports/", site.report_list, name="reports"),
    path("reports/<int:pk>/", site.report_page, name="report"),
    path("reports/<int:pk>/print/", site.report_print, name="print"),
    path("reports/<int:pk>/report.docx", files.report_docx, name="docx"),
    path("reports/<int:pk>/report.pdf", files.report_pdf, name="pdf"),
    path("reports/<int:pk>/opinion/", opinions.opinion_form, name="report_opinion"),
    path("search/", search.search_page, name="search"),
    path("opinion/", opinions.opinion_form, name="opinion"),
    path("opinion/status/", opinions.opinion_status, name="status"),
    path("feed.atom", require_GET(feed.ReportFeed()), name="feed"),
]
