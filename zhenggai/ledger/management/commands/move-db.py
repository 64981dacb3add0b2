"""`zhenggai move-db --to postgres://…`: move this SQLite installation into an empty PostgreSQL database."""

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandError
from django.db import connections
from django.db.migrations.loader import MigrationLoader

from zhenggai.ledger.management.base import ZhenggaiCommand
from zhenggai.ops.errors import OpsError
from zhenggai.ops.move import move


class Command(ZhenggaiCommand):
    help = "把 SQLite 数据库整体迁移到空的 PostgreSQL 数据库,逐表核对行数与校验和;原数据库不改动。迁移前请停止网页服务"

    def add_arguments(self, parser):
        parser.add_argument(
            "--to", required=True, metavar="URL", help="目标数据库,如 postgres://用户名:密码@主机:5432/数据库名"
        )
        parser.add_argument("--force", action="store_true", help="目标数据库已有数据时清空它再迁移(其中数据将丢失)")

    def handle(self, *args: Any, **options: Any) -> None:
        source = dict(connections["default"].settings_dict)
        known = set(MigrationLoader(None, ignore_no_migrations=True).graph.nodes)
        connections.close_all()
        try:
            result = move(source, options["to"], force=options["force"], known_migrations=known)
        except OpsError as exc:
            raise CommandError(exc.message) from exc
        width = max((len(t.name) for t in result.tables), default=0)
        for table in result.tables:
            self.stdout.write(f"  {table.name:<{width}}  {table.rows:>9}行  校验和一致 {table.sha256[:12]}")
        rows = sum(t.rows for t in result.tables)
        self.stdout.write(
            f"已迁移 {len(result.tables)}张表 {rows}行,两边逐表行数与校验和一致;公开报告检索索引已重建({result.search_rows}篇)。"
        )
        self.stdout.write(
            "佐证材料仍在数据文件夹中(数据库只记路径),无需复制。下一步:把 DATABASE_URL 设为目标数据库地址"
            "(不含密码时用 ~/.pgpass 提供),然后重启网页服务;原 SQLite 数据库保留不动,确认无误前请勿删除。"
        )
