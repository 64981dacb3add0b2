"""Deployment checks of our own (`zhenggai check --deploy`), beside Django's.

Registered with deploy=True, so they run only when an operator asks whether this machine is ready for
production; each names the setting or folder at fault, in Chinese, with an id (zhenggai.E1xx for what
must be fixed, zhenggai.W1xx for what may be a deliberate choice). Registered from OrgConfig.ready().
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.checks import Error, Warning, register
from django.db import connections

DEPLOY = "zhenggai-deploy"
SECRET_KEY_MIN_LENGTH = 50
SECRET_KEY_MIN_DISTINCT = 10
# Keys copied from examples and tutorials; any of them in production signs sessions anyone can forge.
KNOWN_SECRET_KEYS = frozenset({"changeme", "change-me", "secret", "secret_key", "your-secret-key", "zhenggai", "test"})
FANDOL_FAMILIES = ("FandolFang", "FandolKai", "FandolHei", "FandolSong")
FANDOL_DIR = Path("/usr/local/share/fonts/fandol")
LOCAL_HOSTS = frozenset({"localhost", "127.0.0.1", "[::1]", "::1"})


@register(DEPLOY, deploy=True)
def check_secret_key(app_configs, **kwargs) -> list:
    """A short, repetitive or well-known key lets anyone forge sessions and signed links."""
    key = settings.SECRET_KEY or ""
    problem = None
    if key.lower() in KNOWN_SECRET_KEYS or key.startswith("django-insecure-"):
        problem = "是示例中公开的默认值"
    elif len(key) < SECRET_KEY_MIN_LENGTH:
        problem = f"只有 {len(key)} 个字符(至少 {SECRET_KEY_MIN_LENGTH} 个)"
    elif len(set(key)) < SECRET_KEY_MIN_DISTINCT:
        problem = f"只用了 {len(set(key))} 种字符(至少 {SECRET_KEY_MIN_DISTINCT} 种),容易被猜出"
    if problem is None:
        return []
    return [
        Error(
            f"SECRET_KEY 强度不足:{problem}。",
            hint="不要设置 SECRET_KEY 环境变量,系统会在数据文件夹中生成随机密钥(secret_key,权限 0600);"
            "或用 python3 -c 'import secrets; print(secrets.token_urlsafe(50))' 生成。",
            id="zhenggai.E101",
        )
    ]


@register(DEPLOY, deploy=True)
def check_debug_off(app_configs, **kwargs) -> list:
    """Debug pages show settings and source code to whoever triggers an error."""
    if not settings.DEBUG:
        return []
    return [
        Error(
            "DEBUG 已开启:出错时会向访问者显示程序代码和设置。",
            hint="生产环境中删除 DEBUG 设置(或设为 0)。",
            id="zhenggai.E102",
        )
    ]


@register(DEPLOY, deploy=True)
def check_https(app_configs, **kwargs) -> list:
    """Without HTTPS passwords and the ledger cross the network in clear; on a closed intranet an office
    may accept that, so this warns rather than fails."""
    if getattr(settings, "HTTPS", False):
        return []
    return [
        Warning(
            "未启用 HTTPS(ZHENGGAI_HTTPS 未设为 1):登录密码和台账内容以明文在网络上传输。",
            hint="在 nginx 上配置证书并设置 ZHENGGAI_HTTPS=1(见 docs/deploy.md);只在封闭内网明文运行时,可忽略本警告。",
            id="zhenggai.W103",
        )
    ]


def _not_writable(folder: Path) -> str | None:
    """Why nothing can be written into `folder`, or None when a file can be created there."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=folder, prefix=".zhenggai-check-"):
            pass
    except OSError as exc:
        return exc.strerror or type(exc).__name__
    return None


@register(DEPLOY, deploy=True)
def check_folders_writable(app_configs, **kwargs) -> list:
    """The database, the evidence and the log live in the data folder: an unwritable one fails on the
    first upload or the first write, long after start."""
    folders = (
        ("数据文件夹 ZHENGGAI_DATA_DIR", Path(settings.DATA_DIR)),
        ("佐证材料文件夹", Path(settings.MEDIA_ROOT)),
        ("日志文件夹", Path(settings.LOG_DIR)),
    )
    problems = []
    for name, folder in folders:
        reason = _not_writable(folder)
        if reason:
            problems.append(
                Error(
                    f"{name} {folder} 不可写:{reason}。",
                    hint="让运行系统的用户(如 zhenggai)拥有该文件夹:chown -R zhenggai:zhenggai " + str(folder),
                    id="zhenggai.E104",
                )
            )
    return problems


@register(DEPLOY, deploy=True)
def check_backup_schedule(app_configs, **kwargs) -> list:
    """Records must never be lost: either `zhenggai serve` backs up daily or the operator says cron does."""
    hour = settings.ZHENGGAI_BACKUP_HOUR
    if getattr(settings, "ZHENGGAI_BACKUP_BY_CRON", False) or 0 <= hour <= 23:
        return []
    if hour < 0:
        problem = "未设置定时备份(ZHENGGAI_BACKUP_HOUR 未设置)"
    else:
        problem = f"ZHENGGAI_BACKUP_HOUR={hour} 不是 0–23 之间的小时"
    return [
        Error(
            f"{problem},数据没有按时备份。",
            hint="设置 ZHENGGAI_BACKUP_HOUR(如 2,每天 2 点后由 zhenggai serve 备份);"
            "若由 cron 运行 zhenggai backup,设置 ZHENGGAI_BACKUP_BY_CRON=1。",
            id="zhenggai.E105",
        )
    ]


@register(DEPLOY, deploy=True)
def check_backup_folder(app_configs, **kwargs) -> list:
    """A restore replaces the whole data folder, so backups inside it would be replaced with it; and a
    folder the service cannot write makes every scheduled backup fail."""
    folder = Path(settings.ZHENGGAI_BACKUP_DIR).resolve()
    data = Path(settings.DATA_DIR).resolve()
    if folder == data or folder.is_relative_to(data):
        return [
            Error(
                f"备份文件夹 ZHENGGAI_BACKUP_DIR={folder} 在数据文件夹 {data} 之内:恢复时会连同数据一起被替换。",
                hint="把备份放在数据文件夹之外,最好在另一块磁盘上(如 /var/lib/zhenggai-backups)。",
                id="zhenggai.E106",
            )
        ]
    reason = _not_writable(folder)
    if reason:
        return [
            Error(
                f"备份文件夹 ZHENGGAI_BACKUP_DIR={folder} 不可写:{reason}。",
                hint=f"创建该文件夹并交给运行系统的用户:install -d -o zhenggai -g zhenggai -m 0750 {folder}",
                id="zhenggai.E107",
            )
        ]
    return []


@register(DEPLOY, deploy=True)
def check_allowed_hosts(app_configs, **kwargs) -> list:
    """Served over HTTPS, the system is reached by a name; with only localhost allowed every request
    through the proxy is refused."""
    if not getattr(settings, "HTTPS", False):
        return []
    if any(host not in LOCAL_HOSTS for host in settings.ALLOWED_HOSTS):
        return []
    return [
        Error(
            "已启用 HTTPS,但 ZHENGGAI_ALLOWED_HOSTS 只允许本机(localhost):用户经域名访问时都会被拒绝。",
            hint="把服务器的域名写入 ZHENGGAI_ALLOWED_HOSTS(如 zhenggai.example.gov.cn)。",
            id="zhenggai.E108",
        )
    ]


@register(DEPLOY, deploy=True)
def check_peer_key(app_configs, **kwargs) -> list:
    """A public-only site learns everything through signed bundles; without the intranet's public key
    it can verify, and so import, none of them."""
    if not settings.PUBLIC_ONLY:
        return []
    path = Path(settings.ZHENGGAI_EXCHANGE_PEER_KEY)
    if path.is_file():
        return []
    return [
        Error(
            f"公众网站模式(ZHENGGAI_MODE=public)缺少内网的公钥 ZHENGGAI_EXCHANGE_PEER_KEY={path}:"
            "无法验证和导入内网的公开数据包。",
            hint="在内网运行 zhenggai keys,把它给出的公钥文件复制到上述位置。",
            id="zhenggai.E109",
        )
    ]


@register(DEPLOY, deploy=True)
def check_database_reachable(app_configs, **kwargs) -> list:
    """A wrong DATABASE_URL or a stopped PostgreSQL should show at check time, not on the first page."""
    problems = []
    for alias in connections:
        try:
            connections[alias].ensure_connection()
        except Exception as exc:  # any driver error: the message is what the operator needs
            problems.append(
                Error(
                    f"无法连接数据库 {alias!r}:{str(exc).strip() or type(exc).__name__}",
                    hint="检查 DATABASE_URL 以及数据库服务是否在运行。",
                    id="zhenggai.E110",
                )
            )
    return problems


def fandol_missing() -> list[str]:
    """The Fandol families fontconfig cannot find (all of them when there is no fontconfig)."""
    if shutil.which("fc-list") is None:
        return [f for f in FANDOL_FAMILIES if not any(FANDOL_DIR.glob(f"{f}-*.otf"))]
    found = subprocess.run(["fc-list", ":", "family"], capture_output=True, text=True, timeout=60, check=False).stdout
    return [family for family in FANDOL_FAMILIES if family not in found]


@register(DEPLOY, deploy=True)
def check_fonts(app_configs, **kwargs) -> list:
    """PDFs set 仿宋 and 楷体 in Fandol; without it they fall back to Noto and no longer look official."""
    missing = fandol_missing()
    if not missing:
        return []
    return [
        Warning(
            f"缺少 Fandol 字体({'、'.join(missing)}):生成的 PDF 将以替代字体显示仿宋、楷体。",
            hint=f"以 root 运行离线安装包的 install.sh,或 bash scripts/install_fonts.sh,把字体装入 {FANDOL_DIR}。",
            id="zhenggai.W111",
        )
    ]
