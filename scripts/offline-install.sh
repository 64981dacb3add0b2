#!/usr/bin/env bash
# install.sh of the offline bundle (made by scripts/bundle.sh): installs zhenggai on a machine with no
# network at all, from the files beside it only. Checks every file against MANIFEST, installs the
# missing Debian packages and the Fandol fonts (as root), creates a virtualenv in TARGET_DIR from the
# bundled wheels with the lock's hashes, writes TARGET_DIR/zhenggai.env and the launcher
# TARGET_DIR/zhenggai, creates the data folder and its database. Run it again with a newer bundle to
# upgrade; zhenggai.env is kept.
# Usage: bash install.sh [TARGET_DIR] [--start]    (default TARGET_DIR: /opt/zhenggai)
set -euo pipefail
say() { printf '\033[1m[zhenggai]\033[0m %s\n' "$*"; }
fail() { say "错误:$*" >&2; exit 1; }
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

target=/opt/zhenggai
start=0
for arg in "$@"; do
  case "$arg" in
    --start) start=1 ;;
    -h|--help) sed -n '2,8p' "${BASH_SOURCE[0]}" | cut -c3-; exit 0 ;;
    -*) fail "未知参数 $arg(用法:bash install.sh [目标目录] [--start])" ;;
    *) target=$arg ;;
  esac
done
target=$(realpath -m "$target")

say "校验安装包中的每个文件"
cd "$here"
[ -f MANIFEST ] || fail "缺少 MANIFEST:安装包不完整,请重新拷贝"
sums=$(grep -E '^[0-9a-f]{64}  ' MANIFEST) || fail "MANIFEST 中没有校验和:安装包已损坏,请重新拷贝"
sha256sum -c --quiet --strict <<<"$sums" || fail "以上文件与 MANIFEST 不符:安装包已损坏或被改动,请重新拷贝"
unlisted=$(comm -13 <(cut -c67- <<<"$sums" | LC_ALL=C sort) <(find . -type f ! -name MANIFEST -printf '%P\n' | LC_ALL=C sort))
[ -z "$unlisted" ] || fail "安装包中有 MANIFEST 未列出的文件,已停止:$(tr '\n' ' ' <<<"$unlisted")"

if compgen -G 'debs/*.deb' >/dev/null; then
  missing=()
  for deb in debs/*.deb; do
    pkg=$(dpkg-deb -f "$deb" Package)
    dpkg-query -W -f='${Status}\n' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$deb")
  done
  if ((${#missing[@]})) && [ "$(id -u)" = 0 ]; then
    say "安装 ${#missing[@]} 个 Debian 软件包(LibreOffice、中文字体、poppler 及其依赖)"
    DEBIAN_FRONTEND=noninteractive dpkg -i "${missing[@]}" >/dev/null ||
      fail "Debian 软件包安装失败(见上方 dpkg 的输出);本机需为 Debian 12 x86_64"
  elif ((${#missing[@]})); then
    say "缺少 ${#missing[@]} 个 Debian 软件包,当前不是 root,未安装:文书转 PDF 等功能不可用;以 root 重新运行本脚本即可补装"
  fi
fi

# The fonts the PDFs embed for 仿宋, 楷体 and 黑体; ZHENGGAI_FANDOL_DIR (as for scripts/install_fonts.sh)
# installs them elsewhere
fonts_dir=${ZHENGGAI_FANDOL_DIR:-/usr/local/share/fonts/fandol}
if compgen -G 'fonts/fandol/*.otf' >/dev/null; then
  changed=()
  for font in fonts/fandol/*; do
    cmp -s "$font" "$fonts_dir/${font##*/}" || changed+=("$font")
  done
  if ((${#changed[@]})) && [ "$(id -u)" = 0 ]; then
    say "安装 Fandol 字体(仿宋、楷体、黑体、宋体)到 $fonts_dir"
    mkdir -p "$fonts_dir"
    install -m 644 "${changed[@]}" "$fonts_dir/" || fail "无法把字体写入 $fonts_dir"
    if command -v fc-cache >/dev/null; then fc-cache -f "$fonts_dir" >/dev/null || true; fi
  elif ((${#changed[@]})); then
    say "缺少 Fandol 字体,当前不是 root,未安装:PDF 将以替代字体显示仿宋、楷体;以 root 重新运行本脚本即可补装"
  fi
fi

PY=${PYTHON:-python3}
command -v "$PY" >/dev/null || fail "找不到 python3(需要 Python 3.11;以 root 运行本脚本会从安装包中安装)"
"$PY" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))' ||
  fail "需要 Python 3.11,当前:$("$PY" --version 2>&1)"
"$PY" -c 'import ensurepip, venv' 2>/dev/null || fail "Python 缺少 venv 模块(Debian 软件包 python3-venv)"

# only the bundle: no index, and no pip configuration of this machine (an index or find-links set there)
while IFS= read -r name; do unset "$name"; done < <(compgen -e | grep '^PIP_' || true)
export PIP_CONFIG_FILE=/dev/null PIP_NO_INDEX=1 PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_INPUT=1
mkdir -p "$target" || fail "无法创建 $target:请以 root 运行,或指定可写的目录"
if [ ! -x "$target/venv/bin/python" ]; then
  say "创建虚拟环境 $target/venv"
  "$PY" -m venv "$target/venv"
fi
say "安装 Python 软件包(离线,按 requirements.lock 校验)"
"$target/venv/bin/python" -m pip install -q --no-index --find-links wheels --require-hashes -r requirements.lock ||
  fail "Python 软件包安装失败(见上方输出)"
"$target/venv/bin/python" -m pip install -q --no-index --no-deps --force-reinstall project/*.whl ||
  fail "zhenggai 安装失败(见上方输出)"

env_file="$target/zhenggai.env"
if [ ! -f "$env_file" ]; then
  cat >"$env_file" <<ENV
# zhenggai 的运行设置:systemd 的 EnvironmentFile 与 $target/zhenggai 都读取本文件
# 全部设置及生产环境的取值见 deploy/README.md
ZHENGGAI_DATA_DIR=${ZHENGGAI_DATA_DIR:-$target/data}
ZHENGGAI_HOST=127.0.0.1
ZHENGGAI_PORT=8000
ZHENGGAI_WORKERS=2
ENV
  chmod 0640 "$env_file"
fi
cat >"$target/zhenggai" <<'LAUNCHER'
#!/usr/bin/env bash
# zhenggai with the settings of zhenggai.env beside it; a variable already set in the environment wins
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
while IFS= read -r line; do
  [[ $line =~ ^([A-Za-z_][A-Za-z0-9_]*)=(.*)$ ]] || continue
  name=${BASH_REMATCH[1]} value=${BASH_REMATCH[2]}
  [ -n "${!name+x}" ] || export "$name=$value"
done <"$here/zhenggai.env"
exec "$here/venv/bin/zhenggai" "$@"
LAUNCHER
chmod 0755 "$target/zhenggai"
mkdir -p "$target/deploy"
cp deploy/* "$target/deploy/"

# a setting as the launcher sees it: from the environment, else from zhenggai.env
setting() {
  if [ -n "${!1:-}" ]; then echo "${!1}"; else sed -n "s/^$1=//p" "$env_file" | tail -1; fi
}
# The service's user owns the data folder (docs/deploy.md): the database files the migration creates must
# be that user's too, or the service cannot open them; root runs it as the owner.
as_owner=()
data_dir=$(setting ZHENGGAI_DATA_DIR)
if [ "$(id -u)" = 0 ] && [ -d "$data_dir" ] && [ "$(stat -c %u "$data_dir")" != 0 ]; then
  owner=$(stat -c %U "$data_dir")
  chgrp "$(id -gn "$owner")" "$env_file"
  as_owner=(runuser -u "$owner" --)
fi
say "建立或升级数据库(数据目录 $data_dir)"
"${as_owner[@]}" "$target/zhenggai" migrate --noinput -v 0 || fail "数据库迁移失败(见上方输出)"

url="http://$(setting ZHENGGAI_HOST):$(setting ZHENGGAI_PORT)/"
say "已安装到 $target(数据目录与设置见 $env_file)"
echo "  创建巡察办管理员账号:$target/zhenggai createsuperuser"
echo "  启动:$target/zhenggai serve      然后用浏览器访问 $url"
echo "  作为系统服务运行(systemd、nginx 与 HTTPS):见 $target/deploy/README.md"
if ((start)); then
  exec "$target/zhenggai" serve
fi
