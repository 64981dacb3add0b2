"""Views of the reports pages, one module per page or concern; thin: check, call one service, show."""

from zhenggai.reports.views.drafts import draft_approve, draft_create, draft_page
from zhenggai.reports.views.exemptions import exemption_decide, exemption_propose, exemption_withdraw
from zhenggai.reports.views.page import (
    download,
    feedback_import,
    ledger_import,
    ledger_resolve,
    ledger_xlsx,
    reports_page,
)

__all__ = [
    "download",
    "draft_approve",
    "draft_create",
    "draft_page",
    "exemption_decide",
    "exemption_propose",
    "exemption_withdraw",
    "feedback_import",
    "ledger_import",
    "ledger_resolve",
    "ledger_xlsx",
    "reports_page",
]
