"""URLs of the reports pages (namespace "reports"). Every name has its row in tests/outputs/test_views.py."""

from django.urls import path

from zhenggai.reports import views

app_name = "reports"

urlpatterns = [
    path("inspections/<id:pk>/reports/", views.reports_page, name="page"),
    path("inspections/<id:pk>/reports/drafts/", views.draft_create, name="draft_create"),
    path("inspections/<id:pk>/reports/download/", views.download, name="download"),
    path("inspections/<id:pk>/reports/ledger.xlsx", views.ledger_xlsx, name="ledger_xlsx"),
    path("inspections/<id:pk>/reports/ledger/import/", views.ledger_import, name="ledger_import"),
    path("inspections/<id:pk>/reports/ledger/resolve/", views.ledger_resolve, name="ledger_resolve"),
    path("inspections/<id:pk>/reports/exemptions/", views.exemption_propose, name="exemption_propose"),
    path("reports/drafts/<id:pk>/", views.draft_page, name="draft"),
    path("reports/drafts/<id:pk>/approve/", views.draft_approve, name="draft_approve"),
    path("reports/exemptions/<id:pk>/decide/", views.exemption_decide, name="exemption_decide"),
    path("reports/exemptions/<id:pk>/withdraw/", views.exemption_withdraw, name="exemption_withdraw"),
    path("reports/feedback-list/", views.feedback_import, name="feedback_import"),
]
