#!/usr/bin/env bash
# Installs the Fandol fonts (FandolFang 仿宋, FandolKai 楷体, FandolHei 黑体, FandolSong 宋) that the PDFs
# embed, idempotently, into /usr/local/share/fonts/fandol where fontconfig (and so LibreOffice) finds
# them. Only the six OTF files and the README stating their licence (GPL with the font exception, which
# allows embedding) are taken from Debian's texlive-lang-chinese: installing the package itself would
# pull texlive-base and texlive-lang-cjk, hundreds of MB, for four fonts. Run as root; sourced by
# setup.sh, or run on its own.
set -euo pipefail

FANDOL_DIR=${ZHENGGAI_FANDOL_DIR:-/usr/local/share/fonts/fandol}
FANDOL_FILES=(FandolFang-Regular.otf FandolKai-Regular.otf FandolHei-Regular.otf FandolHei-Bold.otf
  FandolSong-Regular.otf FandolSong-Bold.otf)

fandol_installed() {
  local name
  for name in "${FANDOL_FILES[@]}"; do [ -s "$FANDOL_DIR/$name" ] || return 1; done
}

# The six OTF files and the licence README into DEST, from Debian's texlive-lang-chinese (root, apt-get);
# bundle.sh calls it too when this machine has no fonts installed to copy.
download_fandol() {
  local dest=$1 work name
  work=$(mktemp -d)
  chmod 755 "$work"  # apt's _apt user writes the download here
  apt-get update -qq
  (cd "$work" && apt-get download -qq texlive-lang-chinese >/dev/null 2>&1)
  dpkg-deb -x "$work"/texlive-lang-chinese_*.deb "$work/x"
  mkdir -p "$dest"
  local source="$work/x/usr/share/texlive/texmf-dist/fonts/opentype/public/fandol"
  for name in "${FANDOL_FILES[@]}"; do install -m 644 "$source/$name" "$dest/$name"; done
  install -m 644 "$work/x/usr/share/doc/texlive-doc/fonts/fandol/README" "$dest/README"
  rm -rf "$work"
}

install_fandol() {
  fandol_installed && return 0
  if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null; then
    printf '[zhenggai] 缺少 Fandol 字体(仿宋、楷体),当前不是 root 或没有 apt-get,跳过安装(PDF 将以替代字体生成)\n'
    return 0
  fi
  printf '[zhenggai] 安装 Fandol 字体(仿宋、楷体、黑体、宋体)到 %s\n' "$FANDOL_DIR"
  download_fandol "$FANDOL_DIR"
  fc-cache -f "$FANDOL_DIR" >/dev/null
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  install_fandol
fi
