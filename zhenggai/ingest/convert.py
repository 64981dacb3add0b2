"""Old Word (.doc) and WPS (.wps) documents converted to .docx with LibreOffice, then read as .docx.

LibreOffice is a large program reading a hostile file, so each conversion runs in a box of its own:
a fresh temporary directory holding the input, the output and a new user profile
(`-env:UserInstallation`, so no state is shared with another conversion or with a person's own
LibreOffice), a minimal environment, its own process group killed whole when the time limit passes,
and, where the kernel allows unprivileged namespaces, no network at all (`unshare --net`).
"""

from __future__ import annotations

import contextlib
import functools
import os
import shutil
import signal
import subprocess
import tempfile
import time
from pathlib import Path

from zhenggai.ingest.errors import CorruptFile, IngestError, UnsupportedFormat

NO_LIBREOFFICE = (
    "读取旧版 Word/WPS 文档(.doc、.wps)需要 LibreOffice,本机未安装;"
    "请按 README 的安装命令安装 LibreOffice,或在 Word、WPS 中另存为 .docx 后再导入"
)


class ConversionFailed(CorruptFile):
    code = "conversion_failed"


def soffice() -> str | None:
    """The LibreOffice program, or None (ZHENGGAI_SOFFICE names another, or "" for none at all)."""
    named = os.environ.get("ZHENGGAI_SOFFICE")
    if named is not None:
        return shutil.which(named) if named else None
    return shutil.which("soffice") or shutil.which("libreoffice")


@functools.cache
def _no_network_prefix() -> tuple[str, ...]:
    """`unshare` into a user and network namespace of our own, when this kernel lets us."""
    unshare = shutil.which("unshare")
    if not unshare:
        return ()
    try:
        probe = subprocess.run([unshare, "-rn", "true"], capture_output=True, timeout=5)
    except (OSError, subprocess.SubprocessError):
        return ()
    return (unshare, "-rn") if probe.returncode == 0 else ()


def to_docx(data: bytes, suffix: str, timeout: float) -> bytes:
    """The .docx LibreOffice makes of `data` (an old .doc or .wps); raises IngestError in Chinese."""
    program = soffice()
    if program is None:
        raise UnsupportedFormat(NO_LIBREOFFICE)
    with tempfile.TemporaryDirectory(prefix="zhenggai-convert-") as tmp:
        folder = Path(tmp)
        source = folder / f"input{suffix}"
        source.write_bytes(data)
        out = folder / "out"
        command = [
            *_no_network_prefix(),
            program,
            f"-env:UserInstallation={(folder / 'profile').as_uri()}",
            "--headless",
            "--invisible",
            "--norestore",
            "--nolockcheck",
            "--nodefault",
            "--nologo",
            "--convert-to",
            "docx:MS Word 2007 XML",
            "--outdir",
            str(out),
            str(source),
        ]
        environment = {"HOME": tmp, "TMPDIR": tmp, "PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LANG": "C.UTF-8"}
        _run(command, environment, folder, timeout)
        result = out / "input.docx"
        if not result.is_file() or result.stat().st_size == 0:
            raise ConversionFailed("文件已损坏或不是有效的 Word/WPS 文档,无法转换读取")
        return result.read_bytes()


def _run(command: list[str], environment: dict[str, str], folder: Path, timeout: float) -> None:
    try:
        process = subprocess.Popen(
            command,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env=environment,
            cwd=folder,
            start_new_session=True,  # its own process group: the limit kills LibreOffice's helpers too
        )
    except OSError:
        raise IngestError("无法启动 LibreOffice 转换旧版文档,请联系系统管理员", code="conversion_failed") from None
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        raise ConversionFailed(f"转换旧版文档超过{timeout:g}秒仍未完成,文件可能已损坏或受密码保护,已停止转换") from None
    finally:
        _kill_group(process)


def _kill_group(process: subprocess.Popen) -> None:
    """End whatever the conversion left running (LibreOffice forks a helper); never raises."""
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGKILL)
    deadline = time.monotonic() + 5
    while process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
