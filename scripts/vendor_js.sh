#!/usr/bin/env bash
# MathJax, ipywidgets JavaScript, 책이 쓰는 Font Awesome 아이콘을 npm으로 받아 _vendor/ 에 둡니다.
# 결과는 저장소에 커밋되어 있으므로, 판을 올릴 때만 실행하면 됩니다 (node/npm 필요).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp "$root/scripts/vendor/package.json" "$work/"
[ -f "$root/scripts/vendor/package-lock.json" ] && cp "$root/scripts/vendor/package-lock.json" "$work/"
(cd "$work" && npm install --no-audit --no-fund --ignore-scripts >/dev/null)
cp "$work/package-lock.json" "$root/scripts/vendor/package-lock.json"

vendor="$root/_vendor"
# 이 스크립트가 만드는 것만 지웁니다. 다른 사람이 만든 하위 폴더(예: _vendor/slides/)는 그대로 둡니다.
rm -rf "$vendor/mathjax" "$vendor/embed-amd.js" "$vendor/require.min.js" "$vendor/widgets-config.js" \
  "$vendor/LICENSE.html-manager" "$vendor/fontawesome-subset.js"
find "$vendor" -maxdepth 1 -type f \( -name '*.woff2' -o -name '*.woff' -o -name '*.ttf' -o -name '*.eot' -o -name '*.svg' \) \
  -delete 2>/dev/null || true
mkdir -p "$vendor/mathjax/output/chtml/fonts"
mj="$work/node_modules/mathjax/es5"
cp "$mj/tex-mml-chtml.js" "$vendor/mathjax/"
cp -r "$mj/output/chtml/fonts/woff-v2" "$vendor/mathjax/output/chtml/fonts/"
cp -r "$mj/input" "$mj/ui" "$mj/a11y" "$mj/adaptors" "$vendor/mathjax/"
cp "$work/node_modules/mathjax/LICENSE" "$vendor/mathjax/LICENSE"

hm="$work/node_modules/@jupyter-widgets/html-manager"
# 위젯 글꼴의 주소는 원래 모듈 주소(페이지 옆의 @jupyter-widgets/...)를 기준으로 정해집니다.
# 책에서는 _static/ 을 기준으로 삼도록, widgets-config.js 가 정하는 CNNBOOK_WIDGETS_BASE 를 먼저 보게 고칩니다.
# 번들마다 하나씩 있는 공용 경로 계산을 모두 고칩니다 (압축된 `r.uri` 도, 압축되지 않은 `module.uri` 도).
sed -E 's/new URL\(([A-Za-z_$]+)\.uri,document\.location\)/new URL((window.CNNBOOK_WIDGETS_BASE||\1.uri),document.location)/g' \
  "$hm/dist/embed-amd.js" > "$vendor/embed-amd.js"
patched=$(grep -o 'window.CNNBOOK_WIDGETS_BASE' "$vendor/embed-amd.js" | wc -l)
left=$(grep -cE 'new URL\([A-Za-z_$]+\.uri,document\.location\)' "$vendor/embed-amd.js" || true)  # 없으면 0
if [ "$patched" -lt 1 ] || [ "$left" -gt 0 ]; then
  echo "embed-amd.js 의 글꼴 경로를 다 고치지 못했습니다 (고침 $patched, 남음 $left; html-manager 판이 바뀌었나요?)" >&2
  exit 1
fi
cp "$hm/dist/"*.woff2 "$hm/dist/"*.woff "$hm/dist/"*.ttf "$hm/dist/"*.eot "$hm/dist/"*.svg "$vendor/" 2>/dev/null || true
cp "$hm/LICENSE" "$vendor/LICENSE.html-manager" 2>/dev/null || true
cp "$work/node_modules/requirejs/require.js" "$vendor/require.min.js"
cp "$root/scripts/vendor/widgets-config.js" "$vendor/"
# 테마의 fontawesome.js(모든 아이콘, 1.5 MB) 대신 책이 쓰는 아이콘만 묶은 것 (_ext/book_assets.py 가 바꿔 넣음)
cp "$root/scripts/vendor/fontawesome-subset.js" "$work/"
(cd "$work" && npx esbuild fontawesome-subset.js --bundle --minify --legal-comments=inline --format=iife \
  --outfile="$vendor/fontawesome-subset.js" --log-level=warning)
echo "_vendor/ 준비 완료: $(du -sh "$vendor" | cut -f1)"
