"""The web pages of the ledger: server-rendered, htmx for partial updates, in Simplified Chinese.

Views are thin: parse the input, call one service of `zhenggai.ledger.services`, render the page
or map a `LedgerError` to a message. Every list comes from `zhenggai.ledger.access`.
"""
