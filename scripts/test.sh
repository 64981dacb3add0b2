#!/usr/bin/env bash
# Sets everything up, then runs the whole test suite: lint, migration check, tests on SQLite, the
# database tests again on PostgreSQL when a server is reachable (always under CI), benchmark smoke runs.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/setup.sh
export PATH="$PWD/.venv/bin:$PATH"
# the suite never touches the data folder of a running system
ZHENGGAI_DATA_DIR="$(mktemp -d)"
export ZHENGGAI_DATA_DIR
trap 'rm -rf "$ZHENGGAI_DATA_DIR"' EXIT

say "代码检查 (ruff)"
ruff check zhenggai tests benchmarks scripts
ruff format --check zhenggai tests benchmarks scripts

if [ -f manage.py ]; then
  say "检查迁移是否完整 (makemigrations --check)"
  python manage.py makemigrations --check --dry-run >/dev/null
fi

say "测试 (SQLite)"
python -m pytest -q -p no:cacheprovider "$@"

PG_URL=${ZHENGGAI_TEST_PG_URL:-postgres://postgres@127.0.0.1:5432/test}
if python - "$PG_URL" <<'PY' 2>/dev/null
import sys, psycopg
psycopg.connect(sys.argv[1].replace("postgres://", "postgresql://"), connect_timeout=3).close()
PY
then
  say "测试 (PostgreSQL: $PG_URL,仅数据库相关测试)"
  set +e
  DATABASE_URL="$PG_URL" ZHENGGAI_TEST_DB_NAME="test_zhenggai_$$" \
    python -m pytest -q -p no:cacheprovider -m database "$@"
  rc=$?
  set -e
  # exit code 5: no test carries the database marker yet
  [ "$rc" = 0 ] || [ "$rc" = 5 ] || exit "$rc"
elif [ "${CI:-}" = "true" ]; then
  say "错误: CI 环境下必须运行 PostgreSQL 测试,但无法连接 $PG_URL"
  exit 1
else
  say "跳过 PostgreSQL 测试: 无法连接 $PG_URL(设置 ZHENGGAI_TEST_PG_URL 可指定其他地址)"
fi

say "基准测试冒烟运行"
for bench in benchmarks/*_bench.py; do
  [ -e "$bench" ] || continue
  python "$bench" --smoke >/dev/null
  echo "  ok  $bench"
done
say "全部通过"
