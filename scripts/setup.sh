#!/usr/bin/env bash
# Sets up everything zhenggai needs on a fresh Debian machine with Python 3.11, idempotently:
# the Debian packages (browser, LibreOffice, CJK fonts, poppler), the Fandol fonts, a virtualenv in .venv
# with the locked dependencies (requirements-dev.lock, made by scripts/lock.sh), and the package itself in
# editable mode. Sourced by start.sh and test.sh.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

say() { printf '\033[1m[zhenggai]\033[0m %s\n' "$*"; }

APT_PACKAGES=(chromium libreoffice-writer-nogui fonts-noto-cjk poppler-utils python3-venv postgresql-client)
missing=()
for pkg in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if ((${#missing[@]})); then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    say "安装系统软件包: ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    say "缺少系统软件包 ${missing[*]},且当前不是 root,跳过安装(相关测试将被跳过)"
  fi
fi

# The Fandol fonts the PDFs embed for 仿宋, 楷体 and 黑体 (only their OTF files, see install_fonts.sh).
# shellcheck source=scripts/install_fonts.sh
source scripts/install_fonts.sh
install_fandol

PY=${PYTHON:-python3}
if ! "$PY" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))'; then
  say "需要 Python 3.11,当前: $("$PY" --version 2>&1)"
  exit 1
fi
stamp=.venv/.zhenggai-installed
if [ ! -x .venv/bin/python ]; then
  say "创建虚拟环境 .venv"
  "$PY" -m venv .venv
fi
# The stamp holds the checksums of the lock and of pyproject.toml: either changing reinstalls.
lock=requirements-dev.lock
wanted=$(sha256sum "$lock" pyproject.toml | cut -d' ' -f1 | tr '\n' ' ')
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$wanted" ]; then
  say "安装 Python 依赖(按 $lock 锁定的版本与校验和)"
  log=.venv/pip-install.log
  if ! { .venv/bin/python -m pip install -q --disable-pip-version-check --upgrade pip &&
         .venv/bin/python -m pip install -q --disable-pip-version-check --require-hashes -r "$lock" &&
         .venv/bin/python -m pip install -q --disable-pip-version-check --no-deps -e .; } >"$log" 2>&1; then
    cat "$log"
    say "Python 依赖安装失败(详见上方输出,或 $log)"
    exit 1
  fi
  printf '%s' "$wanted" >"$stamp"
fi

# The parser's text steps compiled to C with mypyc (1.5 times as fast); without a C compiler and the
# Python headers they run as plain Python, correctly and more slowly.
has_headers() { .venv/bin/python -c 'import os, sys, sysconfig; sys.exit(not os.path.exists(os.path.join(sysconfig.get_paths()["include"], "Python.h")))'; }
if ! command -v cc >/dev/null || ! has_headers; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    say "安装 C 编译器(用于编译解析器)"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends gcc libc6-dev python3-dev >/dev/null || true
  fi
fi
if ! .venv/bin/python -c 'import sys; from zhenggai.ingest import native; sys.exit(not native.libraries() or native.stale())'; then
  if command -v cc >/dev/null && has_headers; then
    say "编译解析器(mypyc)"
    if ! .venv/bin/python scripts/build_native.py >.venv/native-build.log 2>&1; then
      say "解析器未能编译(详见 .venv/native-build.log),将以纯 Python 运行"
    fi
  else
    say "没有 C 编译器,解析器以纯 Python 运行"
  fi
fi
