#!/usr/bin/env bash
# Seed 002 on the seed's own data: PyMC-Marketing's public `data/mmm_roas_data.csv` (131 weeks; not
# shipped here, give its path). Fits the seed's configuration uncalibrated, with the seed's marginal lift
# tests and with go-dark lift tests, and prints the same table as seed002_study.sh.
#   - True ROAS as the seed computes it: sum(y - y01) / sum(x1), sum(y - y02) / sum(x2).
#   - The seed's df_lift_test: x = delta_x = 0.25, 0.1, 0.8, 0.25 on x1, x2, x1, x2, delta_y = true ROAS x
#     delta_x, sigma 3, dated 50, 30, 14 and 12 weeks before the last date.
#   - Go-dark tests on the same channels, each window the 8 weeks ending on that test's date: delta_x = -(mean
#     spend over the window), delta_y = the window's mean of the true weekly lift, sigma 10% of it. The true
#     lift is the file's own data-generating process (y = 100 (... + x1_effect + x2_effect + ...), x_effect =
#     beta x logistic(lam, geometric adstock(x))), with alpha, normalisation, l_max, lam and beta read back from
#     the file's x_adstock, x_adstock_saturated and x_effect columns; the script stops if they do not
#     reproduce those columns to 1e-9.
#   usage: Examples/UnobservedConfounder/seed002_public_data.sh mmm_roas_data.csv OUT
#   env:   CONFIG (default model_seed002.yaml), BIN (causal-mmm binary; default: build the release binary),
#          SEED (sampler seed; default: the configuration's), CHAINS, TUNE, DRAWS (override the sampler)
DATA=${1:?usage: seed002_public_data.sh mmm_roas_data.csv OUT}
OUT=${2:?usage: seed002_public_data.sh mmm_roas_data.csv OUT}
source "$(dirname "$0")/../../scripts/examples/common.sh"
CONFIG=${CONFIG:-$ROOT/Examples/UnobservedConfounder/model_seed002.yaml}
[ -f "$DATA" ] || { echo "seed002_public_data.sh: error: $DATA not found" >&2; exit 1; }
S=()
[ -n "${SEED:-}" ] && S+=(--seed "$SEED")
[ -n "${CHAINS:-}" ] && S+=(--chains "$CHAINS")
[ -n "${TUNE:-}" ] && S+=(--tune "$TUNE")
[ -n "${DRAWS:-}" ] && S+=(--draws "$DRAWS")
mkdir -p "$OUT"
: >"$OUT/wall.tsv"

$PY - "$DATA" "$OUT" <<'PY'
import csv, datetime, json, math, sys
data, out = sys.argv[1:3]
rows = list(csv.DictReader(open(data)))
need = ["date", "x1", "x2", "y", "y01", "y02", "x1_adstock", "x2_adstock", "x1_adstock_saturated",
        "x2_adstock_saturated", "x1_effect", "x2_effect"]
missing = [c for c in need if c not in rows[0]]
if missing:
    sys.exit(f"seed002_public_data.sh: error: {data}: missing column(s) {', '.join(missing)}")
col = {c: [float(r[c]) for r in rows] for c in need[1:]}
dates = [datetime.date.fromisoformat(r["date"]) for r in rows]
T = len(rows)
truth = {f"roas[{c}]": sum(a - b for a, b in zip(col["y"], col[f"y0{c[-1]}"])) / sum(col[c]) for c in ["x1", "x2"]}
json.dump(truth, open(f"{out}/truth_values.json", "w"), indent=2, sort_keys=True)

def adstock(x, alpha, l_max, normalize):
    w = [alpha ** k for k in range(l_max)]
    s = sum(w) if normalize else 1.0
    return [sum(w[k] * x[t - k] for k in range(min(l_max, t + 1))) / s for t in range(len(x))]

def logistic(x, lam):
    return [(1 - math.exp(-lam * v)) / (1 + math.exp(-lam * v)) for v in x]

process = {}
for c in ["x1", "x2"]:
    x, a = col[c], col[f"{c}_adstock"]
    best = None
    for l_max in range(1, 25):
        for normalize in (True, False):
            # alpha by bisection-free golden search on the squared error over (0, 1)
            lo, hi = 0.0, 1.0
            f = lambda al: sum((u - v) ** 2 for u, v in zip(adstock(x, al, l_max, normalize), a))
            for _ in range(200):
                m1, m2 = lo + (hi - lo) * 0.382, lo + (hi - lo) * 0.618
                if f(m1) < f(m2): hi = m2
                else: lo = m1
            alpha = (lo + hi) / 2
            err = max(abs(u - v) for u, v in zip(adstock(x, alpha, l_max, normalize), a))
            if best is None or err < best[0]:
                best = (err, alpha, l_max, normalize)
    err, alpha, l_max, normalize = best
    sat = col[f"{c}_adstock_saturated"]
    lam = sum(2 * math.atanh(s) / v for s, v in zip(sat, a) if v > 1e-6) / sum(1 for v in a if v > 1e-6)
    beta = sum(col[f"{c}_effect"]) / sum(sat)
    effect = [beta * s for s in logistic(adstock(x, alpha, l_max, normalize), lam)]
    worst = max(err, max(abs(u - v) for u, v in zip(effect, col[f"{c}_effect"])),
                max(abs(100 * e - (y - y0)) for e, y, y0 in zip(effect, col["y"], col[f"y0{c[-1]}"])))
    if worst > 1e-9:
        sys.exit(f"seed002_public_data.sh: error: {data}: {c}'s process not reproduced (max error {worst:.2e})")
    process[c] = (alpha, l_max, normalize, lam, beta)
    print(f"{c}: alpha {alpha:.6f}, l_max {l_max}, normalize {normalize}, lam {lam:.6f}, beta {beta:.6f}"
          f" (reproduces the file's columns to {worst:.1e})")

last = dates[-1]
with open(f"{out}/lifts_marginal.csv", "w") as marginal, open(f"{out}/lifts_go-dark.csv", "w") as dark:
    marginal.write("channel,x,delta_x,delta_y,sigma,date\n")
    dark.write("channel,x,delta_x,delta_y,sigma,start,end\n")
    for c, x0, weeks in [("x1", 0.25, 50), ("x2", 0.1, 30), ("x1", 0.8, 14), ("x2", 0.25, 12)]:
        end = dates.index(last - datetime.timedelta(weeks=weeks))
        marginal.write(f"{c},{x0},{x0},{truth[f'roas[{c}]'] * x0:.6f},3,{dates[end]}\n")
        alpha, l_max, normalize, lam, beta = process[c]
        window = range(end - 7, end + 1)
        x = col[c]
        dark_x = [0.0 if t in window else v for t, v in enumerate(x)]
        on = logistic(adstock(x, alpha, l_max, normalize), lam)
        off = logistic(adstock(dark_x, alpha, l_max, normalize), lam)
        lift = sum(100 * beta * (on[t] - off[t]) for t in window) / len(window)
        spend = sum(x[t] for t in window) / len(window)
        dark.write(f"{c},{spend:.6f},{-spend:.6f},{-lift:.6f},{0.1 * lift:.6f},{dates[window[0]]},{dates[end]}\n")
PY
echo "marginal (the seed's table):"; cat "$OUT/lifts_marginal.csv"
echo "go-dark:"; cat "$OUT/lifts_go-dark.csv"

timed uncalibrated "$BIN" fit --config "$CONFIG" --data "$DATA" --out "$OUT/uncalibrated" --force --quiet "${S[@]}"
for kind in marginal go-dark; do
  timed "$kind" "$BIN" fit --config "$CONFIG" --data "$DATA" --lift-tests "$OUT/lifts_$kind.csv" \
    --out "$OUT/$kind" --force --quiet "${S[@]}"
done
$PY "$ROOT/scripts/examples/seed002_table.py" "$OUT"
