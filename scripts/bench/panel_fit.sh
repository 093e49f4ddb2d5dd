#!/usr/bin/env bash
# The large-panel fit: generates the 200-geo x 156-week x 12-channel panel (scripts/bench/panel_200x12.py)
# and fits it with `causal-mmm fit` (release build), 4 chains x (1000 tune + 1000 draws) unless overridden,
# then prints wall time, gradient evaluations per second, max R-hat, min bulk ESS, divergences, step sizes,
# the mean tree depth and the mean acceptance statistic of the kept transitions.
# usage: scripts/bench/panel_fit.sh [OUTDIR] [extra fit flags, e.g. --chains 2 --tune 150 --draws 150]
set -euo pipefail
cd "$(dirname "$0")/../.."
OUT=${1:-/tmp/panel_fit}
shift || true
# Built for this machine's CPU (its vector width) in its own build folder, unless NATIVE=0: the same
# arithmetic, so the same draws, about 1.75x faster on an AVX-512 machine (README, "Performance").
if [ "${NATIVE:-1}" = 1 ]; then
  FLAGS=(--scratch-path .build/native -Xswiftc -target-cpu -Xswiftc native)
else
  FLAGS=()
fi
swift build -c release --product causal-mmm "${FLAGS[@]}" >/dev/null
BIN="$(swift build -c release "${FLAGS[@]}" --show-bin-path)/causal-mmm"
python3 scripts/bench/panel_200x12.py "$OUT/data" >/dev/null
/usr/bin/time -f "%e %U %M" -o "$OUT/time.txt" \
  "$BIN" fit --config "$OUT/data/geo200x12.yaml" --data "$OUT/data/geo200x12.csv" \
  --out "$OUT/fit" --force --quiet "$@"
python3 - "$OUT" <<'PY'
import csv, glob, json, sys
out = sys.argv[1]
wall, user, rss = open(f"{out}/time.txt").read().split()[-3:]
summary = json.load(open(f"{out}/fit/summary.json"))
s = summary["sampler"]
rows = summary["parameters"].values()
rhat = max(r["r_hat"] for r in rows if r["r_hat"] is not None)
ess = min(r["ess_bulk"] for r in rows if r["ess_bulk"] is not None)
depths, leapfrogs, accepts = [], 0, []
for path in sorted(glob.glob(f"{out}/fit/chain-*.csv")):
    reader = csv.reader(line for line in open(path) if not line.startswith("#"))
    header = next(reader)
    d, n, a = header.index("treedepth__"), header.index("n_leapfrog__"), header.index("accept_stat__")
    for row in reader:
        depths.append(int(row[d]))
        leapfrogs += int(row[n])
        accepts.append(float(row[a]))
kept = len(depths)
total = leapfrogs + s.get("warmup_leapfrog_steps", leapfrogs * s["tune"] / max(s["draws"], 1))
approx = "" if "warmup_leapfrog_steps" in s else " (warm-up estimated from the kept draws)"
print(f"panel fit: {s['chains']} chains x ({s['tune']} + {s['draws']}), wall {float(wall):.1f} s "
      f"(sampling {s['seconds']:.1f} s, user CPU {float(user):.1f} s, peak RSS {int(rss) // 1024} MB)")
print(f"gradient evaluations: {total:.0f}, {total / s['seconds']:.0f}/s{approx}")
print(f"max R-hat {rhat:.4f}, min bulk ESS {ess:.0f}, divergences {s['divergences']} of {kept} "
      f"({100 * s['divergences'] / kept:.2f}%), step sizes {', '.join(f'{x:.4f}' for x in s['step_sizes'])}, "
      f"mean tree depth {sum(depths) / kept:.2f}, mean leapfrog steps {leapfrogs / kept:.1f}, "
      f"mean acceptance {sum(accepts) / kept:.3f} (target {s['target_accept']})")
PY
