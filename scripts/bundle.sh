#!/usr/bin/env bash
# Writes one archive that installs zhenggai on a machine with no network at all (run it here, where the
# package registries can be reached, on Debian 12 x86_64 with Python 3.11 — the platform of the target):
#   wheels/   every package of requirements.lock, checked against the lock's hashes
#   project/  zhenggai itself as a wheel (templates and the vendored front-end assets inside)
#   debs/     the Debian packages production needs (setup.sh's APT_PACKAGES without the test browser)
#             and every dependency a minimal Debian (priority "required") lacks
#   fonts/fandol/  the Fandol fonts the PDFs embed and their licence README (scripts/install_fonts.sh)
#   deploy/   the systemd unit and nginx example of docs/deploy.md;  install.sh;  requirements.lock
#   MANIFEST  versions of everything, and the sha256 of every file, which install.sh verifies
# Usage: bash scripts/bundle.sh [--no-debs] [-o DIR]     (default DIR: dist)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
say() { printf '\033[1m[zhenggai]\033[0m %s\n' "$*" >&2; }
fail() { say "错误:$*"; exit 1; }

with_debs=1
out=dist
while (($#)); do
  case "$1" in
    --no-debs) with_debs=0 ;;
    -o) out=${2:?-o 需要目录}; shift ;;
    *) fail "未知参数 $1(用法:bash scripts/bundle.sh [--no-debs] [-o 目录])" ;;
  esac
  shift
done
# packages only the test suite needs stay out of production
TEST_ONLY_DEBS=(chromium)

PY=${PYTHON:-$( [ -x .venv/bin/python ] && echo .venv/bin/python || echo python3 )}
"$PY" -c 'import platform, sys; sys.exit(sys.version_info[:2] != (3, 11) or platform.machine() != "x86_64")' ||
  fail "打包须在 Linux x86_64、Python 3.11 上进行(与目标机器相同),当前:$("$PY" --version 2>&1) $(uname -m)"
pyver=$("$PY" -c 'import platform; print(platform.python_version())')
version=$("$PY" -c 'import tomllib; print(tomllib.load(open("pyproject.toml", "rb"))["project"]["version"])')
name="zhenggai-offline-$version-$(date -u +%Y%m%d)"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
stage="$work/$name"
mkdir -p "$stage"/{wheels,project,debs,deploy,fonts/fandol} "$out"

say "下载 Python 依赖的 wheel(按 requirements.lock 校验)"
"$PY" -m pip download -q --disable-pip-version-check --only-binary=:all: --no-deps --require-hashes \
  -r requirements.lock -d "$stage/wheels" || fail "下载 wheel 失败(需要能访问软件包仓库)"

say "构建 zhenggai 的 wheel"
# from a copy holding what git tracks or would track: no build leftovers, no compiled parser from this machine
src="$work/src"
mkdir "$src"
if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
  git ls-files -z --cached --others --exclude-standard | while IFS= read -r -d '' f; do
    [ -e "$f" ] && printf '%s\0' "$f"
  done | tar -c --null -T - | tar -x -C "$src"
else
  tar -c --exclude=.venv --exclude=zhenggai-data --exclude=dist --exclude=build --exclude='*.egg-info' \
    --exclude=__pycache__ --exclude='zhenggai/ingest/*.so' . | tar -x -C "$src"
fi
"$PY" -m pip wheel -q --disable-pip-version-check --no-deps -w "$stage/project" "$src" >/dev/null ||
  fail "构建 zhenggai 的 wheel 失败"

if ((with_debs)); then
  [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null || fail "收集 Debian 软件包需要 root 和 apt-get(或用 --no-debs 跳过)"
  eval "$(grep -E '^APT_PACKAGES=\(' scripts/setup.sh)"
  debs=()
  for pkg in "${APT_PACKAGES[@]}"; do
    [[ " ${TEST_ONLY_DEBS[*]} " == *" $pkg "* ]] || debs+=("$pkg")
  done
  say "下载 Debian 软件包及其依赖:${debs[*]}"
  # resolve against a minimal Debian, so apt downloads all a bare machine lacks, not what this one lacks
  base="$work/apt"
  mkdir -p "$base/archives/partial"
  "$PY" scripts/debian_base_status.py >"$base/status"
  ls /var/lib/apt/lists/*_Packages >/dev/null 2>&1 || apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --download-only --no-install-recommends \
    -o Dir::State::status="$base/status" -o Dir::Cache::archives="$base/archives" -o Debug::NoLocking=1 \
    -o APT::Sandbox::User=root "${debs[@]}" >/dev/null || fail "下载 Debian 软件包失败"
  mv "$base"/archives/*.deb "$stage/debs/"
fi

# Not a Debian package of their own: copied from where install_fonts.sh installed them, else taken from
# texlive-lang-chinese the same way (the package itself would pull hundreds of MB of TeX)
source scripts/install_fonts.sh
if fandol_installed && [ -s "$FANDOL_DIR/README" ]; then
  say "收入 Fandol 字体(来自 $FANDOL_DIR)"
  for font in "${FANDOL_FILES[@]}" README; do install -m 644 "$FANDOL_DIR/$font" "$stage/fonts/fandol/$font"; done
elif [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  say "下载 Fandol 字体(Debian 软件包 texlive-lang-chinese 中的字体文件)"
  download_fandol "$stage/fonts/fandol" || fail "下载 Fandol 字体失败"
else
  fail "本机没有安装 Fandol 字体,也不能下载(需要 root 和 apt-get):先以 root 运行 bash scripts/install_fonts.sh"
fi

cp requirements.lock "$stage/"
cp scripts/offline-install.sh "$stage/install.sh"
cp deploy/* "$stage/deploy/"
cp docs/deploy.md "$stage/deploy/README.md"

say "写入 MANIFEST(版本与校验和)"
(
  cd "$stage"
  echo "# zhenggai $version 离线安装包,生成于 $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "# 平台:Linux x86_64,Python 3.11(在 $pyver 上生成),Debian $(cat /etc/debian_version 2>/dev/null || echo ?)"
  echo "# 安装:bash install.sh [目标目录]"
  echo "#"
  echo "# Python 软件包"
  for whl in wheels/*.whl project/*.whl; do
    base=${whl##*/}
    echo "#   $(cut -d- -f1 <<<"$base") $(cut -d- -f2 <<<"$base")"
  done
  echo "# 字体:Fandol(仿宋、楷体、黑体、宋体,GPL 附字体例外,许可见 fonts/fandol/README)"
  for font in fonts/fandol/*.otf; do
    echo "#   ${font##*/}"
  done
  if compgen -G 'debs/*.deb' >/dev/null; then
    echo "# Debian 软件包"
    for deb in debs/*.deb; do
      echo "#   $(dpkg-deb -f "$deb" Package) $(dpkg-deb -f "$deb" Version)"
    done
  else
    echo "# Debian 软件包:未收入(--no-debs)"
  fi
  echo "#"
  echo "# 每个文件的 sha256(install.sh 逐一校验)"
  find . -type f ! -name MANIFEST -printf '%P\n' | LC_ALL=C sort | xargs -d '\n' sha256sum
) >"$work/MANIFEST"
mv "$work/MANIFEST" "$stage/MANIFEST"

archive="$out/$name.tar.gz"
tar -C "$work" -czf "$archive" "$name"
say "已生成 $archive($(du -h "$archive" | cut -f1))"
echo "$archive"
