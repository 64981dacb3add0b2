"""`zhenggai restore FILE [--force]`: rebuild the data folder (and a PostgreSQL database) from a backup."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import CommandError
from django.db import connections
from django.db.migrations.loader import MigrationLoader
from django.utils import timezone

from zhenggai.ledger.management.base import ZhenggaiCommand
from zhenggai.ops.backup import Site
from zhenggai.ops.errors import OpsError
from zhenggai.ops.restore import migration_notes, restore


class Command(ZhenggaiCommand):
    help = "从备份文件恢复数据;先完整检查备份,失败时原有数据不变。恢复前请先停止网页服务"

    def add_arguments(self, parser):
        parser.add_argument("file", metavar="FILE", help="zhenggai backup 生成的备份文件")
        parser.add_argument("--force", action="store_true", help="目标已有数据时也恢复(原数据文件夹会改名保留)")

    def handle(self, *args: Any, **options: Any) -> None:
        site = Site.from_django()
        connections.close_all()
        try:
            done = restore(site, Path(options["file"]), force=options["force"], now=timezone.localtime())
        except OpsError as exc:
            raise CommandError(exc.message) from exc
        manifest = done.manifest
        rows = sum(t["rows"] for t in manifest["tables"].values())
        self.stdout.write(
            f"已从 {options['file']} 恢复({manifest['created_at']} 的备份:{len(manifest['tables'])}张表 {rows}行,"
            f"佐证材料{manifest['media']['files']}个),数据与备份清单一致"
        )
        if done.previous is not None:
            self.stdout.write(f"原数据文件夹已移到 {done.previous},确认无误后可删除")
        known = set(MigrationLoader(None, ignore_no_migrations=True).graph.nodes)
        for note in migration_notes(manifest, known):
            self.stdout.write(note)
