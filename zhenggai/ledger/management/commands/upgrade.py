"""`zhenggai upgrade`: after installing a newer version, back up and then migrate the database."""

from __future__ import annotations

from typing import Any

from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from zhenggai import __version__
from zhenggai.ledger.management.base import ZhenggaiCommand
from zhenggai.ops.backup import Site
from zhenggai.ops.errors import OpsError
from zhenggai.ops.upgrade import upgrade


class Command(ZhenggaiCommand):
    help = "升级数据库:先备份,再执行迁移;失败时给出恢复到升级前的命令"

    def handle(self, *args: Any, **options: Any) -> None:
        executor = MigrationExecutor(connection)
        pending = len(executor.migration_plan(executor.loader.graph.leaf_nodes()))
        connection.close()
        try:
            backup = upgrade(
                Site.from_django(),
                now=timezone.localtime(),
                migrate=lambda: call_command("migrate", interactive=False, verbosity=0),
            )
        except OpsError as exc:
            raise CommandError(exc.message) from exc
        if backup is not None:
            self.stdout.write(f"已备份到 {backup}")
        if pending:
            self.stdout.write(f"已执行 {pending} 项数据库迁移,升级到 {__version__} 完成")
        else:
            self.stdout.write(f"数据库已是最新({__version__}),无需迁移")
