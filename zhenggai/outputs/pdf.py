"""PDF from the GB/T .docx through LibreOffice headless, with free Chinese fonts embedded.

Each conversion runs in its own temporary directory with its own LibreOffice profile
(-env:UserInstallation): concurrent conversions sharing a profile silently lose their output.
FONTCONFIG_FILE points at a generated configuration that includes the system's and then our alias
file (fonts/cjk-aliases.conf), so 仿宋_GB2312, 楷体_GB2312 and 黑体 resolve to FandolFang, FandolKai
and FandolHei (scripts/install_fonts.sh), 方正小标宋简体 and 宋体 to Noto Serif CJK SC, and not to
DejaVu. A semaphore bounds how many LibreOffice processes one server runs at once.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
import threading
from pathlib import Path

from zhenggai.outputs.errors import PdfFailed, PdfUnavailable

ALIASES = Path(__file__).resolve().parent / "fonts" / "cjk-aliases.conf"
SYSTEM_FONTCONFIG = Path("/etc/fonts/fonts.conf")
DEFAULT_TIMEOUT = 120.0
_SLOTS = threading.BoundedSemaphore(max(1, int(os.environ.get("ZHENGGAI_PDF_WORKERS", "2"))))


def soffice() -> str | None:
    """The LibreOffice executable: ZHENGGAI_SOFFICE, else soffice or libreoffice on the PATH."""
    configured = os.environ.get("ZHENGGAI_SOFFICE")
    if configured:
        return configured if Path(configured).exists() else None
    return shutil.which("soffice") or shutil.which("libreoffice")


def fontconfig_file(directory: Path) -> Path:
    """Write the fontconfig configuration that adds our aliases to the system's; returns its path."""
    system = os.environ.get("ZHENGGAI_SYSTEM_FONTCONFIG") or str(SYSTEM_FONTCONFIG)
    target = directory / "fonts.conf"
    target.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">\n<fontconfig>\n'
        f'  <include ignore_missing="yes">{system}</include>\n'
        f"  <include>{ALIASES}</include>\n</fontconfig>\n",
        encoding="utf-8",
    )
    return target


def docx_to_pdf(data: bytes, *, timeout: float = DEFAULT_TIMEOUT) -> bytes:
    """Convert .docx bytes to PDF bytes. Raises PdfUnavailable without LibreOffice, PdfFailed otherwise."""
    executable = soffice()
    if executable is None:
        raise PdfUnavailable(
            "服务器未安装 LibreOffice(soffice),无法生成 PDF;请安装 libreoffice-writer-nogui,或先下载 Word 版(.docx)"
        )
    with _SLOTS, tempfile.TemporaryDirectory(prefix="zhenggai-pdf-") as name:
        tmp = Path(name)
        source, out = tmp / "report.docx", tmp / "out"
        source.write_bytes(data)
        command = [
            executable,
            f"-env:UserInstallation={(tmp / 'profile').as_uri()}",
            "--headless",
            "--norestore",
            "--nolockcheck",
            "--nodefault",
            "--nologo",
            "--convert-to",
            "pdf:writer_pdf_Export",
            "--outdir",
            str(out),
            str(source),
        ]
        env = {**os.environ, "FONTCONFIG_FILE": str(fontconfig_file(tmp))}
        stderr = _run(command, env, timeout)
        result = out / "report.pdf"
        if not result.exists() or result.stat().st_size == 0:
            detail = stderr.strip().splitlines()[-1] if stderr.strip() else "未输出文件"
            raise PdfFailed(f"LibreOffice 未能生成 PDF({detail})")
        return result.read_bytes()


def _run(command: list[str], env: dict[str, str], timeout: float) -> str:
    """Run LibreOffice in its own process group, so a timeout kills soffice.bin and not only its launcher."""
    try:
        process = subprocess.Popen(
            command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True
        )
    except OSError as exc:
        raise PdfUnavailable(f"无法启动 LibreOffice:{exc.strerror or exc}") from None
    try:
        _, err = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.communicate()
        raise PdfFailed(f"生成 PDF 超时(超过{int(timeout)}秒),请稍后重试或下载 Word 版") from None
    if process.returncode != 0:
        message = err.decode("utf-8", "replace").strip().splitlines()
        raise PdfFailed(f"LibreOffice 转换失败(退出码 {process.returncode}){':' + message[-1] if message else ''}")
    return err.decode("utf-8", "replace")
