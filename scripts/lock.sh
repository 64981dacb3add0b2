#!/usr/bin/env bash
# Re-locks the Python dependencies from pyproject.toml: requirements.lock (what the system needs to
# run; the offline bundle ships exactly these wheels) and requirements-dev.lock (that plus the dev
# extra, for setup.sh and the tests), every file pinned with its sha256. Python 3.11 on Linux x86_64.
# Run after changing a pin in pyproject.toml; tests/test_lock.py fails until you do.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

UV=${UV:-}
if [ -z "$UV" ]; then
  if [ -x .venv/bin/uv ]; then UV=.venv/bin/uv
  elif command -v uv >/dev/null; then UV=uv
  else
    echo "[zhenggai] 找不到 uv:请先运行 bash scripts/setup.sh(开发依赖含 uv),或设置 UV=路径" >&2
    exit 1
  fi
fi

compile() {
  "$UV" pip compile pyproject.toml --quiet --generate-hashes --no-emit-index-url \
    --python-version 3.11 --python-platform x86_64-unknown-linux-gnu \
    --custom-compile-command "bash scripts/lock.sh" "$@"
}
# runtime first; the dev lock is constrained by it, so both name the same version of every shared package
compile --output-file requirements.lock
compile --extra dev --constraints requirements.lock --output-file requirements-dev.lock
echo "[zhenggai] 已更新 requirements.lock 与 requirements-dev.lock"
