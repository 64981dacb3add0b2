#!/usr/bin/env bash
# Sets everything up and starts zhenggai on its embedded default (SQLite in ./zhenggai-data),
# with a demo of fictional units and reports loaded; prints the URL and the demo logins.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/setup.sh
export PATH="$PWD/.venv/bin:$PATH"
export ZHENGGAI_DATA_DIR=${ZHENGGAI_DATA_DIR:-$PWD/zhenggai-data}

if python -c 'import zhenggai.ledger.management.commands.demo' 2>/dev/null; then
  zhenggai migrate --noinput -v 0
  zhenggai demo
  exec zhenggai serve
fi
say "解析随附的样例报告:"
zhenggai parse ../shared/samples/*.txt ../shared/samples/*.docx ../shared/samples/*.pdf ../shared/samples/*.html --summary
