"""The `zhenggai` command. `parse` works without Django; every other command is a Django management
command run through the same entry point, so the CLI and the web share one set of services."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from zhenggai import __version__

DJANGO_COMMANDS = {
    "serve": "启动网页服务",
    "demo": "载入演示数据(虚构单位与报告)和演示账号",
    "import": "导入报告文件,建立整改台账",
    "export": "导出检查的报告或台账",
    "import-xlsx": "导入 Excel 台账的修改,或巡察组移交的反馈问题清单",
    "token": "为用户生成 API 令牌",
    "remind": "检查到期与逾期任务并发送提醒",
    "analyze": "共性问题、屡改屡犯与整改质量分析",
    "publish": "发布公开版整改报告",
    "opinions": "查看群众意见",
    "keys": "生成或查看内网与公众网站之间数据包的签名密钥",
    "public-export": "写出已批准公开内容的签名数据包(内网运行)",
    "public-import": "验证并导入内网的公开数据包(公众网站运行)",
    "opinions-export": "写出公众网站收到的群众意见的签名数据包(公众网站运行)",
    "opinions-import": "验证并导入公众网站的群众意见数据包(内网运行)",
    "migrate": "建立或升级数据库",
    "backup": "备份数据库、佐证材料和密钥;--verify 检查备份,--list 列出备份",
    "restore": "从备份文件恢复数据",
    "upgrade": "升级:先备份,再执行数据库迁移",
    "move-db": "把 SQLite 数据库整体迁移到空的 PostgreSQL 数据库并逐表核对",
    "createsuperuser": "创建巡察办管理员账号",
    "check": "检查设置;--deploy 检查能否投入生产(密钥、调试、HTTPS、数据与备份文件夹、定时备份、字体)",
}


# Commands of the staff side, which a public-only site (ZHENGGAI_MODE=public) has no business running:
# they read or write the ledger, users or opinions' handling, which live on the intranet.
STAFF_COMMANDS = frozenset(
    {"demo", "import", "export", "import-xlsx", "token", "remind", "analyze", "publish", "opinions", "createsuperuser"}
)


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] in DJANGO_COMMANDS:
        return run_django_command(argv[0], argv[1:])
    parser = _parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    return int(args.func(args))


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="zhenggai",
        description="整改:巡察整改台账系统。从已公布的整改报告重建台账,跟踪整改、审核销号、生成报告与公开。",
    )
    parser.add_argument("--version", action="version", version=f"zhenggai {__version__}")
    sub = parser.add_subparsers(title="命令", metavar="COMMAND")
    parse = sub.add_parser(
        "parse",
        help="解析整改报告或表格台账(txt、docx、doc、wps、xlsx、pdf、html),输出 zhenggai.ledger/1 JSON",
        description="解析整改报告并输出 zhenggai.ledger/1 JSON:单个文件且未指定 -o 时输出到标准输出;"
        "多个文件未指定 -o 时每行输出一个 JSON 文档;指定 -o 目录时每个文件写入 目录/<文件名>.json。"
        "任一文件失败时退出码为 1,其余文件照常解析。",
    )
    parse.add_argument("files", nargs="+", metavar="FILE", help="报告文件;给出文件夹时解析其中的报告文件(不含子文件夹)")
    parse.add_argument("-o", "--output", metavar="DIR", help="输出目录")
    parse.add_argument("--summary", action="store_true", help="只输出每个文件的摘要(方面数、具体问题数、提示)")
    parse.set_defaults(func=_cmd_parse)
    for name, help_text in DJANGO_COMMANDS.items():
        sub.add_parser(name, help=help_text, add_help=False)
    return parser


def _cmd_parse(args: argparse.Namespace) -> int:
    from zhenggai.ingest import IngestError, parse_file

    out_dir = Path(args.output) if args.output else None
    if out_dir:
        try:
            out_dir.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            _error(f"无法创建输出目录 {out_dir}:{exc.strerror}")
            return 1
    names, failed = _expand(args.files)
    for name in names:
        try:
            doc = parse_file(name)
        except IngestError as exc:
            failed += 1
            _error(f"{name}:{exc.message}")
            continue
        except Exception as exc:  # never a traceback at users; details with ZHENGGAI_DEBUG=1
            if os.environ.get("ZHENGGAI_DEBUG"):
                raise
            failed += 1
            _error(f"{name}:解析时发生内部错误({type(exc).__name__}),请将该文件反馈给系统管理员")
            continue
        if args.summary:
            leaves = doc.leaves()
            measures = sum(len(leaf.measures) for leaf in leaves)
            print(
                f"{name}:{doc.inspection.unit or '单位未识别'},{len(doc.findings)}个方面,"
                f"{len(leaves)}个具体问题,{measures}条整改措施,{len(doc.warnings)}条提示"
            )
        elif out_dir:
            target = out_dir / f"{Path(name).name}.json"
            target.write_text(doc.to_json() + "\n", encoding="utf-8")
        else:
            print(doc.to_json(indent=2 if len(names) == 1 else None))
    return 1 if failed else 0


def _expand(arguments: list[str]) -> tuple[list[str], int]:
    """Files as given; a folder stands for the report files directly in it (by the endings the readers
    claim, hidden files skipped, in name order). Returns the names and how many arguments failed."""
    from zhenggai.ingest.readers import readers

    endings = {ext for reader in readers() for ext in reader.extensions if ext}
    names: list[str] = []
    failed = 0
    for argument in arguments:
        folder = Path(argument)
        if not folder.is_dir():
            names.append(argument)
            continue
        found = sorted(
            str(p)
            for p in folder.iterdir()
            if p.is_file() and not p.name.startswith(".") and p.suffix.lower() in endings
        )
        if not found:
            failed += 1
            _error(f"{argument}:文件夹中没有可解析的报告文件(支持 {'、'.join(sorted(endings))})")
        names.extend(found)
    return names, failed


def _error(message: str) -> None:
    print(f"zhenggai: 错误:{message}", file=sys.stderr)


def run_django_command(name: str, args: list[str]) -> int:
    """Run a management command with Django set up; domain errors become a Chinese line and exit 1."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhenggai.settings")
    try:
        import django
        from django.core.management import execute_from_command_line
        from django.core.management.base import CommandError

        django.setup()
    except Exception as exc:
        if os.environ.get("ZHENGGAI_DEBUG"):
            raise
        _error(f"系统初始化失败:{exc}")
        return 1
    from django.conf import settings

    if settings.PUBLIC_ONLY and name in STAFF_COMMANDS:
        _error(f"本机为公众网站(ZHENGGAI_MODE=public),不能运行 zhenggai {name}:请在内网系统上运行")
        return 1
    try:
        execute_from_command_line(["zhenggai", name, *args])
    except CommandError as exc:
        _error(str(exc))
        return 1
    except SystemExit as exc:
        return int(exc.code or 0) if not isinstance(exc.code, str) else 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
