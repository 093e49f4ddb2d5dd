#!/usr/bin/env bash
# Renders SVG or HTML files to PNG with headless Chromium, so a human can look at the charts.
#
#   scripts/reports/render_png.sh FILE.{svg,html} [...]      -> FILE.png beside each input
#   scripts/reports/render_png.sh --gallery [OUT_DIR]        -> builds the chart gallery
#       (causal-mmm report --gallery), renders the page and every standalone SVG
#
# Chromium is installed with apt-get if missing. SVGs are rendered at their own size; HTML
# pages at 1100 px wide and tall enough for the whole page (--height to override).
set -euo pipefail

root="$(cd "$(dirname "$0")/../.." && pwd)"
height=""

find_chromium() {
  for candidate in chromium chromium-browser google-chrome; do
    if command -v "$candidate" >/dev/null 2>&1; then echo "$candidate"; return; fi
  done
  echo "render_png: installing chromium (apt-get)" >&2
  apt-get install -y chromium >/dev/null
  echo chromium
}

# The page height needed for an HTML report (headless Chromium cannot size the screenshot to
# the page): the inline SVG heights plus generous allowances for text, tables and headings.
html_height() {
  python3 - "$1" <<'PY'
import re, sys
text = open(sys.argv[1], encoding="utf-8").read()
svg = 0.0
for tag in re.findall(r"<svg[^>]*>", text):
    m = re.search(r'height="([0-9.]+)(pt|px)?"', tag)
    if m:
        svg += float(m.group(1)) * (4 / 3 if m.group(2) == "pt" else 1)
pre_lines = sum(block.count("\n") for block in re.findall(r"<pre>(.*?)</pre>", text, re.S))
estimate = (svg + 34 * text.count("<tr>") + 50 * len(re.findall(r"<p[ >]", text)) + 80 * text.count("<h2")
            + 70 * text.count("<figure") + 18 * pre_lines + 30 * text.count("<li>") + 300)
print(int(estimate))
PY
}

svg_size() {
  python3 - "$1" <<'PY'
import re, sys
head = open(sys.argv[1], encoding="utf-8").read(4000)
m = re.search(r'<svg[^>]*>', head, re.S)
tag = m.group(0) if m else ""
def get(name, default):
    v = re.search(name + r'="([0-9.]+)(pt|px)?"', tag)
    if not v: return default
    value = float(v.group(1))
    return value * 4 / 3 if v.group(2) == "pt" else value
print(int(get("width", 800) + 0.5), int(get("height", 600) + 0.5))
PY
}

render() {
  local input="$1"
  local output="${input%.*}.png"
  local absolute
  absolute="$(cd "$(dirname "$input")" && pwd)/$(basename "$input")"
  local width page_height
  case "$input" in
    *.svg) read -r width page_height < <(svg_size "$input") ;;
    *.html | *.htm) width=1100; page_height="${height:-$(html_height "$input")}" ;;
    *) echo "render_png: $input: error: expected a .svg or .html file" >&2; return 1 ;;
  esac
  "$chromium" --headless=new --no-sandbox --disable-gpu --hide-scrollbars \
    --force-device-scale-factor=1 --window-size="${width},${page_height}" \
    --screenshot="$output" "file://$absolute" >/dev/null 2>&1
  if [[ ! -s "$output" ]]; then
    echo "render_png: $input: error: chromium produced no PNG" >&2
    return 1
  fi
  echo "$output (${width}x${page_height})"
}

if [[ $# -eq 0 ]]; then
  sed -n '2,9p' "$0"
  exit 2
fi

chromium="$(find_chromium)"

if [[ "$1" == "--gallery" ]]; then
  out="${2:-$root/.build/gallery}"
  mkdir -p "$out"
  (cd "$root" && swift build --product causal-mmm >/dev/null)
  "$root/.build/debug/causal-mmm" report --gallery -o "$out/gallery.html" --svg-dir "$out/svg"
  render "$out/gallery.html"
  for file in "$out"/svg/*.svg; do render "$file"; done
  exit 0
fi

while [[ $# -gt 0 ]]; do
  case "$1" in
    --height) height="$2"; shift 2 ;;
    *) render "$1"; shift ;;
  esac
done
