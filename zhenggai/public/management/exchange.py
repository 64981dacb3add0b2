"""The four exchange commands share these two classes; each command file names its channel."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import CommandError

from zhenggai.ledger.management.base import ZhenggaiCommand
from zhenggai.public.exchange import BundleError
from zhenggai.public.exchange.channel import Channel, export, import_


class ExportCommand(ZhenggaiCommand):
    channel: Channel

    def add_arguments(self, parser):
        parser.add_argument("-o", "--output", metavar="PATH", help="写入的目录(默认当前目录),或以 .tar 结尾的文件名")
        parser.add_argument("--full", action="store_true", help="导出全部内容(对方缺少数据包时用),而不只是变化")

    def handle(self, *args: Any, **options: Any) -> None:
        target = Path(options["output"] or ".")
        folder, output = (target.parent, target) if target.suffix == ".tar" else (target, None)
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise CommandError(f"无法建立目录 {folder}:{exc.strerror}") from None
        try:
            done = export(self.channel, folder, full=options["full"], output=output)
        except BundleError as exc:
            raise CommandError(exc.message) from None
        if done.path is None:
            self.stdout.write("没有新的内容需要导出,未生成数据包")
            return
        kind = "完整数据包" if done.manifest.full else "数据包"
        self.stdout.write(
            f"已生成{kind}(序号{done.manifest.seq}):{done.path}\n"
            f"新增或更新{done.puts}条,删除{done.drops}条;请将该文件交对方用 zhenggai {self.channel.import_command} 导入"
        )


class ImportCommand(ZhenggaiCommand):
    channel: Channel

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", metavar="FILE", help="数据包文件(可多个,按序号顺序导入)")
        parser.add_argument("--force", action="store_true", help="序号不连续时仍然导入(确认中间的数据包已丢失)")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            for name in _in_sequence(options["files"]):
                done = import_(self.channel, Path(name), force=options["force"])
                if done.skipped_because:
                    self.stdout.write(f"{name}:{done.skipped_because},跳过")
                    continue
                counts = "、".join(f"{label}{n}条" for label, n in done.counts.items())
                note = f"(跳过了缺少的序号{done.gap})" if done.gap else ""
                self.stdout.write(f"{name}:已导入序号{done.manifest.seq}{note}:{counts}")
        except BundleError as exc:
            raise CommandError(f"{name}:{exc.message}") from None


def _in_sequence(names: list[str]) -> list[str]:
    """Bundles named by the exporter sort by their sequence number; others keep the given order."""
    return sorted(names, key=lambda name: Path(name).name) if all("zhenggai-" in n for n in names) else names
