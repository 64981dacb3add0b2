"""The public side (公开): approved rectification reports anyone can read and search, and opinions
(意见建议) from the public that are stored before anything else is done with them.

Only approved revisions are reachable from the public views; the ledger, drafts, exempt items and
the names of users never are.
"""
