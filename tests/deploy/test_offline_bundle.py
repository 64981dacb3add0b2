"""The offline bundle installs and runs on a machine with no network at all.

scripts/bundle.sh builds the archive here (it needs the registries); install.sh then runs inside a
network namespace of its own (`unshare -n`: only a loopback, nothing else reachable), into a fresh
folder, and the installed system serves the login page and the public home page on that loopback.
The Debian packages are left out (--no-debs): their closure is some hundreds of megabytes from the
Debian mirror, too much for every test run; this machine has them installed already. The Fandol fonts
are always in the bundle; install.sh (root here) installs them into a folder of the test's
(ZHENGGAI_FANDOL_DIR) rather than over this machine's /usr/local/share/fonts/fandol.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tarfile
import time
from pathlib import Path

import pytest

from tests.conftest import REPO

FANDOL = ("FandolFang-Regular.otf", "FandolKai-Regular.otf", "FandolHei-Regular.otf", "FandolHei-Bold.otf",
          "FandolSong-Regular.otf", "FandolSong-Bold.otf", "README")  # fmt: skip

pytestmark = pytest.mark.slow

# Runs inside the namespace: proves there is no network, installs, serves from the environment
# (ZHENGGAI_PORT, ZHENGGAI_WORKERS), fetches the pages, stops the server with Ctrl-C.
DRIVER = r"""
import json, os, signal, socket, subprocess, sys, time, urllib.error, urllib.request

bundle, target, port = sys.argv[1], sys.argv[2], sys.argv[3]
result = {}
subprocess.run(["ip", "link", "set", "lo", "up"], check=True)
try:
    socket.create_connection(("1.1.1.1", 443), timeout=3).close()
    result["network"] = "reachable"
except OSError as exc:
    result["network"] = f"unreachable: {exc}"
started = time.monotonic()
install = subprocess.run(["bash", os.path.join(bundle, "install.sh"), target], capture_output=True, text=True)
result["install_seconds"] = round(time.monotonic() - started, 1)
result["install"] = [install.returncode, install.stdout, install.stderr]
if install.returncode == 0:
    env = dict(os.environ, ZHENGGAI_PORT=port, ZHENGGAI_WORKERS="2")
    server = subprocess.Popen([os.path.join(target, "zhenggai"), "serve"], env=env, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True, start_new_session=True)
    pages = {}
    deadline = time.monotonic() + 90
    for path in ("/login/", "/gongkai/"):
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=10) as response:
                    pages[path] = [response.status, response.read().decode("utf-8", "replace")]
                break
            except urllib.error.HTTPError as error:
                pages[path] = [error.code, ""]
                break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                if server.poll() is not None or time.monotonic() > deadline:
                    pages[path] = [None, ""]
                    break
                time.sleep(0.5)
    result["pages"] = pages
    os.killpg(server.pid, signal.SIGINT)
    try:
        out, err = server.communicate(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)
        out, err = server.communicate()
    result["serve"] = [server.returncode, out, err]
print(json.dumps(result))
"""


def clean_environment() -> dict[str, str]:
    """What an operator's shell would have: none of the test run's Python path, data folder or database."""
    drop = {"PYTHONPATH", "VIRTUAL_ENV", "DJANGO_SETTINGS_MODULE", "DATABASE_URL", "ZHENGGAI_DATA_DIR"}
    env = {k: v for k, v in os.environ.items() if k not in drop and not k.startswith("ZHENGGAI_")}
    env["PATH"] = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
    return env


def require_unshare() -> None:
    if not shutil.which("unshare") or not shutil.which("ip"):
        pytest.skip("unshare 或 ip 命令不存在,无法建立无网络的命名空间")
    probe = subprocess.run(["unshare", "-n", "true"], capture_output=True, text=True)
    if probe.returncode != 0:
        pytest.skip(f"不允许 unshare -n(需要 root 或 CAP_SYS_ADMIN):{probe.stderr.strip()}")


def test_the_bundle_installs_and_serves_with_no_network(tmp_path):
    require_unshare()
    started = time.monotonic()
    build = subprocess.run(
        ["bash", "scripts/bundle.sh", "--no-debs", "-o", str(tmp_path / "dist")],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert build.returncode == 0, build.stderr[-3000:]
    build_seconds = time.monotonic() - started
    archive = Path(build.stdout.strip().splitlines()[-1])
    assert archive.name.startswith("zhenggai-offline-") and archive.name.endswith(".tar.gz")
    with tarfile.open(archive) as tar:
        tar.extractall(tmp_path / "unpacked", filter="tar")
    (bundle,) = (tmp_path / "unpacked").iterdir()
    manifest = (bundle / "MANIFEST").read_text(encoding="utf-8")
    assert "django 5.2.19" in manifest and "zhenggai " in manifest
    listed = {line[66:] for line in manifest.splitlines() if line[:64].isalnum() and line[64:66] == "  "}
    present = {str(p.relative_to(bundle)) for p in bundle.rglob("*") if p.is_file() and p.name != "MANIFEST"}
    assert listed == present
    # the fonts the PDFs embed travel with their licence, checked like every other file
    sums = {line[66:]: line[:64] for line in manifest.splitlines() if line[:64].isalnum() and line[64:66] == "  "}
    for name in FANDOL:
        font = bundle / "fonts" / "fandol" / name
        assert font.stat().st_size > 0 and f"fonts/fandol/{name}" in listed
        assert sums[f"fonts/fandol/{name}"] == hashlib.sha256(font.read_bytes()).hexdigest()
    assert "GPL" in (bundle / "fonts" / "fandol" / "README").read_text(encoding="utf-8", errors="replace")
    assert "#   FandolFang-Regular.otf" in manifest

    target = tmp_path / "fresh" / "zhenggai"
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    fonts = tmp_path / "fonts" / "fandol"
    run = subprocess.run(
        ["unshare", "-n", sys.executable, "-c", DRIVER, str(bundle), str(target), str(port)],
        capture_output=True,
        text=True,
        timeout=900,
        env={**clean_environment(), "ZHENGGAI_FANDOL_DIR": str(fonts)},
    )
    assert run.returncode == 0, run.stderr[-3000:]
    result = json.loads(run.stdout.strip().splitlines()[-1])
    assert result["network"].startswith("unreachable"), result["network"]
    code, out, err = result["install"]
    assert code == 0, out + err
    assert "访问 http://127.0.0.1:8000/" in out
    assert f"安装 Fandol 字体(仿宋、楷体、黑体、宋体)到 {fonts}" in out  # as root, from the bundle alone
    for name in FANDOL:
        assert (fonts / name).read_bytes() == (bundle / "fonts" / "fandol" / name).read_bytes()
    login, public = result["pages"]["/login/"], result["pages"]["/gongkai/"]
    assert login[0] == 200 and "登录" in login[1]
    assert public[0] == 200
    code, out, err = result["serve"]
    assert f"整改系统已启动:http://127.0.0.1:{port}/" in out
    assert "工作进程 2 个" in out  # ZHENGGAI_WORKERS reached the server through the environment
    assert "Traceback" not in err
    assert (target / "data" / "db.sqlite3").is_file()
    print(
        f"\nbundle {archive.stat().st_size / 1e6:.0f} MB (without Debian packages) built in {build_seconds:.0f} s; "
        f"offline install {result['install_seconds']} s"
    )

    # a damaged bundle is refused before anything is installed
    lock = bundle / "requirements.lock"
    lock.write_text(lock.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    damaged = subprocess.run(
        ["unshare", "-n", "bash", str(bundle / "install.sh"), str(tmp_path / "other")],
        capture_output=True,
        text=True,
        timeout=120,
        env=clean_environment(),
    )
    assert damaged.returncode != 0
    assert "requirements.lock" in damaged.stdout + damaged.stderr
    assert "安装包已损坏或被改动" in damaged.stderr
    assert not (tmp_path / "other").exists()


def test_the_debian_packages_are_resolved_against_a_minimal_debian(tmp_path):
    """The bundle's .deb closure is what a bare Debian lacks, not what this (well-stocked) machine lacks."""
    if not shutil.which("apt-get") or not Path("/var/lib/dpkg/status").is_file():
        pytest.skip("不是 Debian:没有 apt-get 与 dpkg")
    status = tmp_path / "status"
    with status.open("w") as handle:
        subprocess.run([sys.executable, "scripts/debian_base_status.py"], cwd=REPO, stdout=handle, check=True)
    packages = set(re.findall(r"^Package: (\S+)$", status.read_text(encoding="utf-8"), re.M))
    assert {"dpkg", "libc6", "bash"} <= packages
    assert not packages & {"libreoffice-core-nogui", "fonts-noto-cjk", "poppler-utils", "python3"}
    apt = ["apt-get", "-o", f"Dir::State::status={status}", "-o", "Debug::NoLocking=1"]
    check = subprocess.run([*apt, "check"], capture_output=True, text=True, timeout=120)
    assert check.returncode == 0, check.stdout + check.stderr  # the base is whole: nothing in it lacks a dependency
    production = ["libreoffice-writer-nogui", "fonts-noto-cjk", "poppler-utils", "python3-venv"]
    simulate = subprocess.run(
        [*apt, "install", "-s", "--no-install-recommends", *production], capture_output=True, text=True, timeout=120
    )
    if simulate.returncode != 0 and "Unable to locate package" in simulate.stdout + simulate.stderr:
        pytest.skip("本机 apt 软件包索引为空(未运行 apt-get update)")
    assert simulate.returncode == 0, simulate.stdout + simulate.stderr
    to_install = set(re.findall(r"^Inst (\S+)", simulate.stdout, re.M))
    assert {"libreoffice-core-nogui", "fonts-noto-cjk", "libpoppler126", "python3.11"} <= to_install
