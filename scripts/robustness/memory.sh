#!/usr/bin/env bash
# Peak RSS (/usr/bin/time -v) of `causal-mmm adjust` on a 20,000-node DAG, of a short fit on a
# 200-geo x 156-week table (3 channels) and of a fit of the 200-geo x 12-channel panel
# (scripts/bench/panel_200x12.py, 5,061 parameters; PANEL_FIT_ARGS sets its chains and iterations,
# default "--chains 4 --tune 0 --draws 1000 --max-tree-depth 1": the kept draws and their summaries
# dominate the memory, so this run has the footprint of the full 4 x (1000 + 1000) fit at a fraction of
# its time). Inputs are generated into a temporary folder.
# Usage: scripts/robustness/memory.sh [path/to/causal-mmm]   (default: .build/release/causal-mmm)
set -euo pipefail
cd "$(dirname "$0")/../.."
bin=${1:-.build/release/causal-mmm}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 - "$work" <<'PY'
import datetime, math, random, sys
work = sys.argv[1]
r = random.Random(1)
lines = ["digraph big {"]
for v in range(1, 20000):  # graph-benchmark's scheme: 0-3 parents among the 200 previous nodes
    for _ in range(r.randint(0, 3)):
        lines.append(f"  v{r.randint(max(0, v - 200), v - 1)} -> v{v};")
open(f"{work}/dag20k.dot", "w").write("\n".join(lines + ["}"]) + "\n")
r = random.Random(5)
rows = ["date,geo,tv,radio,search,y"]
for g in range(200):
    for t in range(156):
        tv, radio, search = r.random() * 1000, r.random() * 300, r.random() * 500
        y = 50 + 20 * (1 - math.exp(-tv / 400)) + 8 * (1 - math.exp(-radio / 150)) + 12 * (1 - math.exp(-search / 200))
        date = datetime.date(2021, 1, 4) + datetime.timedelta(weeks=t)
        rows.append(f"{date},g{g:03d},{tv:.2f},{radio:.2f},{search:.2f},{y + r.gauss(0, 1):.3f}")
open(f"{work}/geo200.csv", "w").write("\n".join(rows) + "\n")
open(f"{work}/geo200.yaml", "w").write("""date_column: date
geo_column: geo
target_column: y
channel_columns: [tv, radio, search]
adstock: {type: geometric, l_max: 8}
saturation: {type: logistic}
""")
PY
measure() { # label command...
  /usr/bin/time -v "$@" > /dev/null 2> "$work/time.txt" || true
  printf '%-34s peak RSS %6d MB, wall %s\n' "$label" \
    $(($(grep 'Maximum resident' "$work/time.txt" | awk '{print $NF}') / 1024)) \
    "$(grep 'Elapsed (wall' "$work/time.txt" | awk '{print $NF}')"
}
label="adjust, 20,000 nodes (--max 10)"
measure "$bin" adjust "$work/dag20k.dot" --treatment v2500 --outcome v19990 --max 10 --format json
label="fit, 200 geos x 156 weeks"
measure "$bin" fit --config "$work/geo200.yaml" --data "$work/geo200.csv" --out "$work/fit" --quiet \
  --chains 2 --tune 100 --draws 100
python3 scripts/bench/panel_200x12.py "$work/panel" > /dev/null
read -r -a panel_args <<< "${PANEL_FIT_ARGS:---chains 4 --tune 0 --draws 1000 --max-tree-depth 1}"
label="fit, panel 200 geos x 12 channels (${panel_args[*]})"
measure "$bin" fit --config "$work/panel/geo200x12.yaml" --data "$work/panel/geo200x12.csv" --out "$work/panel-fit" \
  --quiet --force "${panel_args[@]}"
