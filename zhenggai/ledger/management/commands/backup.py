"""`zhenggai backup [-o FILE]`, `zhenggai backup --verify FILE`, `zhenggai backup --list` (zhenggai.ops)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import CommandError
from django.utils import timezone

from zhenggai.ledger.management.base import ZhenggaiCommand
from zhenggai.ops.backup import Site, backup_name, create_backup, human_size, list_backups
from zhenggai.ops.errors import OpsError
from zhenggai.ops.restore import verify
from zhenggai.ops.schedule import Schedule, prune


class Command(ZhenggaiCommand):
    help = "备份数据库、佐证材料和密钥(运行中也可备份);--verify 检查备份文件,--list 列出备份"

    def add_arguments(self, parser):
        parser.add_argument("-o", "--output", metavar="FILE", help="备份文件(.tar.gz 或 .tar;默认写入备份文件夹)")
        parser.add_argument("--verify", metavar="FILE", help="只检查备份文件是否完整可用,不恢复")
        parser.add_argument("--list", action="store_true", help="列出备份文件夹中的备份")
        parser.add_argument(
            "--prune",
            action="store_true",
            help="备份后按保留规则删除备份文件夹中较旧的日常备份(ZHENGGAI_BACKUP_DAILY 天、ZHENGGAI_BACKUP_MONTHLY 个月)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        site = Site.from_django()
        try:
            if options["verify"]:
                self._verify(Path(options["verify"]))
            elif options["list"]:
                self._list(site)
            else:
                now = timezone.localtime()
                output = Path(options["output"]) if options["output"] else backup_name("backup", now, site.backup_dir)
                manifest = create_backup(site, output.absolute(), now=now)
                rows = sum(t["rows"] for t in manifest["tables"].values())
                self.stdout.write(
                    f"已备份到 {output.absolute()}({human_size(output.stat().st_size)};"
                    f"{len(manifest['tables'])}张表 {rows}行,佐证材料{manifest['media']['files']}个)"
                )
                if options["prune"]:
                    self._prune(site)
        except OpsError as exc:
            raise CommandError(exc.message) from exc

    def _prune(self, site: Site) -> None:
        from django.conf import settings

        kept = Schedule(hour=0, daily=settings.ZHENGGAI_BACKUP_DAILY, monthly=settings.ZHENGGAI_BACKUP_MONTHLY)
        for path in prune(site.backup_dir, kept):
            self.stdout.write(f"已删除旧备份 {path.name}")

    def _verify(self, path: Path) -> None:
        manifest = verify(path)
        self.stdout.write(
            f"{path}:备份完整({manifest['created_at']},版本 {manifest['system_version']},"
            f"{manifest['database']['engine']},{len(manifest['files'])}个文件校验无误)"
        )

    def _list(self, site: Site) -> None:
        backups = list_backups(site.backup_dir)
        if not backups:
            self.stdout.write(f"{site.backup_dir} 中没有备份")
            return
        self.stdout.write(f"备份文件夹:{site.backup_dir}")
        for backup in reversed(backups):
            kind = "升级前" if backup.kind == "upgrade" else "日常"
            self.stdout.write(
                f"{backup.created:%Y-%m-%d %H:%M:%S}  {kind}  {human_size(backup.size):>8}  {backup.path.name}"
            )
