#!/usr/bin/env bash
# Sets everything up and starts zhenggai on its embedded default (SQLite in ./zhenggai-data),
# with a demo of fictional units and reports loaded; prints the URL and the demo logins.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/setup.sh
export PATH="$PWD/.venv/bin:$PATH"
export ZHENGGAI_DATA_DIR=${ZHENGGAI_DATA_DIR:-$PWD/zhenggai-data}

say "建立或升级数据库"
zhenggai migrate --noinput -v 0
say "载入演示数据(虚构的县、单位与报告;已载入时不重复)"
# the demo refuses a database holding real users or data, and production settings: start anyway
zhenggai demo --brief || say "未载入演示数据(原因见上),照常启动"
# serve prints the URL and the demo logins, and stops cleanly on Ctrl-C
exec zhenggai serve --host "${ZHENGGAI_HOST:-127.0.0.1}" --port "${ZHENGGAI_PORT:-8000}"
