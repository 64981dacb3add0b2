"""`zhenggai serve`: check the database, collect static files if needed, serve with granian (WSGI).

Address, port, workers and threads default to ZHENGGAI_HOST / _PORT / _WORKERS / _THREADS, so a
systemd unit sets them in its environment file (docs/deploy.md) and runs plain `zhenggai serve`.

Static files are served by whitenoise from the data folder; evidence never is (it goes through
the access-checked download). Ctrl-C stops the workers and returns cleanly.
"""

from __future__ import annotations

import signal
import socket
from typing import Any

from django.conf import settings
from django.core.management.base import CommandError
from django.db import connection, connections
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from zhenggai.ledger.management import demo
from zhenggai.ledger.management.base import ZhenggaiCommand
from zhenggai.ledger.management.commands.demo import login_lines
from zhenggai.ledger.management.static_files import collect_if_needed


def _port_free(host: str, port: int) -> bool:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError:
            return False
    return True


def _backup_scheduler(stdout: Any) -> Any:
    """The daily backup process when ZHENGGAI_BACKUP_HOUR is set (zhenggai.ops.schedule says why a process)."""
    from zhenggai.ops import schedule
    from zhenggai.ops.backup import Site

    try:
        plan = schedule.from_settings()
    except ValueError as exc:
        raise CommandError(str(exc)) from exc
    if plan is None:
        return None
    site = Site.from_django()
    stdout.write(
        f"每天 {plan.hour} 点后自动备份到 {site.backup_dir}(保留最近 {plan.daily} 天、{plan.monthly} 个月的备份)"
    )
    return schedule.start_process()


class Command(ZhenggaiCommand):
    help = "启动网页服务(granian,WSGI),静态文件由 whitenoise 提供;Ctrl-C 停止"

    def add_arguments(self, parser):
        host, port = settings.ZHENGGAI_HOST, settings.ZHENGGAI_PORT
        workers, threads = settings.ZHENGGAI_WORKERS, settings.ZHENGGAI_THREADS
        parser.add_argument("--host", default=host, help=f"监听地址(默认 {host},取自 ZHENGGAI_HOST)")
        parser.add_argument("--port", type=int, default=port, help=f"端口(默认 {port},取自 ZHENGGAI_PORT)")
        parser.add_argument(
            "--workers", type=int, default=workers, help=f"工作进程数(默认 {workers},取自 ZHENGGAI_WORKERS)"
        )
        parser.add_argument(
            "--threads", type=int, default=threads, help=f"每个进程的处理线程数(默认 {threads},取自 ZHENGGAI_THREADS)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        from granian import Granian
        from granian.constants import Interfaces
        from granian.log import LogLevels

        # Ctrl-C before granian has its own handlers must still stop the server, not leave it half-started:
        # remember it, and hand it to granian from its startup hook (which runs after it installed them).
        interrupted: list[int] = []
        for sig in (signal.SIGINT, signal.SIGTERM):
            signal.signal(sig, lambda signum, frame: interrupted.append(signum))
        executor = MigrationExecutor(connection)
        plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
        if plan:
            raise CommandError(f"数据库尚未建立或需要升级({len(plan)}项迁移未执行),请先运行:zhenggai migrate")
        if collect_if_needed():
            self.stdout.write("已整理静态文件")
        host, port = options["host"], options["port"]
        if not _port_free(host, port):
            raise CommandError(f"端口 {port} 已被占用:请关闭占用该端口的程序,或用 --port 指定其他端口")
        shown_host = f"[{host}]" if ":" in host else host
        workers, threads = max(1, options["workers"]), max(1, options["threads"])
        self.stdout.write(f"整改系统已启动:http://{shown_host}:{port}/")
        self.stdout.write(f"工作进程 {workers} 个,每个 {threads} 个线程")
        users = [] if settings.PUBLIC_ONLY else demo.demo_users()  # the public-only site has no logins
        if users:
            round_ = demo.demo_round()
            summary = demo.summarise(round_, timezone.localdate(), created=False) if round_ else None
            self.stdout.write(f"演示账号(密码均为 {demo.DEMO_PASSWORD}):")
            for line in login_lines(users, summary):
                self.stdout.write(line)
        scheduler = _backup_scheduler(self.stdout)
        self.stdout.write("按 Ctrl-C 停止")
        self.stdout.flush()
        connections.close_all()  # the workers open their own
        if interrupted:
            self.stdout.write("已取消启动")
            return
        server = Granian(
            target="zhenggai.wsgi:application",
            address=host,
            port=port,
            interface=Interfaces.WSGI,
            workers=workers,
            blocking_threads=threads,
            log_level=LogLevels.warning,
            # a worker still loading the application ignores the stop signal; kill it rather than wait forever
            workers_kill_timeout=10,
        )

        @server.on_startup
        def _replay_early_interrupt() -> None:
            if interrupted:
                server.signal_handler_interrupt()

        server.serve()
        if scheduler is not None:
            scheduler.terminate()
            scheduler.join(10)
        self.stdout.write("整改系统已停止")
