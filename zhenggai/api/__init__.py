"""The JSON API (django-ninja) at /api/v1/: thin routers over the ledger services, one module per resource.

Permissions are the ledger's own (`zhenggai.ledger.access`); this package only authenticates
(bearer tokens or the browser session), maps input to service calls and domain errors to statuses.
"""
