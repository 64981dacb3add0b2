"""The rectification ledger (整改台账): inspections, findings, tasks, closure, results and history.

Models stay lean; every change goes through one service per use case in `services/`, status
changes through `workflow.transition`, and every service asks `access` first.
"""
