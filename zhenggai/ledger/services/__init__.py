"""One module per use case. Views, the API and commands call these and nothing else to change data.

Every service takes the acting user as `actor`, asks `zhenggai.ledger.access` first and raises
the domain errors of `zhenggai.ledger.errors`.
"""
