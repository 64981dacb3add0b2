"""Reports (报告): the drafts a unit edits before publishing, what it keeps out of the public version,
and the downloads (report .docx/.pdf/.html/.txt, the three lists as .xlsx) and the Excel import.

The documents themselves are built by the pure `zhenggai.outputs`; this app gathers what they need
from the ledger (statuses as of a date, counts, late tasks, exemptions, the unit's wording) and
checks who may do what through `zhenggai.ledger.access`.
"""
