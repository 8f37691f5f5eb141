#!/usr/bin/env bash
# 슬라이드용 reveal.js 를 npm으로 받아 _vendor/slides/ 에 복사합니다 (수식은 책과 같은 _vendor/mathjax,
# RequireJS는 책과 같은 _vendor/require.min.js 를 씁니다).
# 결과는 저장소에 커밋되어 있으므로, 판을 올릴 때만 실행하면 됩니다 (node/npm 필요).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp "$here/package.json" "$work/"
[ -f "$here/package-lock.json" ] && cp "$here/package-lock.json" "$work/"
(cd "$work" && npm install --no-audit --no-fund --ignore-scripts >/dev/null)
cp "$work/package-lock.json" "$here/package-lock.json"

out="$root/_vendor/slides"
rm -rf "$out"
mkdir -p "$out/reveal.js/dist/theme" "$out/reveal.js/plugin/notes"
rv="$work/node_modules/reveal.js"
cp "$rv/dist/reveal.js" "$rv/dist/reveal.css" "$rv/dist/reset.css" "$out/reveal.js/dist/"
cp "$rv/dist/theme/white.css" "$out/reveal.js/dist/theme/"
mkdir -p "$out/reveal.js/dist/theme/fonts"
cp -r "$rv/dist/theme/fonts/source-sans-pro" "$out/reveal.js/dist/theme/fonts/"
cp "$rv/plugin/notes/notes.js" "$out/reveal.js/plugin/notes/"
cp "$rv/LICENSE" "$out/reveal.js/LICENSE"
echo "_vendor/slides/ 준비 완료: $(du -sh "$out" | cut -f1)"
