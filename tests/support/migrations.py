"""Migration tests step the test database back to an older state and forward again. Forward to the one
migration under test is not enough: whatever else that step unapplied (a later migration of the same
app, or of an app depending on it) would be missing for every test after it in a transactional run.
So a migration test steps through `migrate_to` and always ends with `migrate_to_latest`."""

from __future__ import annotations

from django.db import connection
from django.db.migrations.executor import MigrationExecutor


def migrate_to(*targets: tuple[str, str]) -> MigrationExecutor:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(list(targets))
    return executor


def migrate_to_latest() -> None:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
