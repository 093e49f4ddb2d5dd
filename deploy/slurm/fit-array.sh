#!/usr/bin/env bash
# One causal-mmm fit, its chains run as the tasks of a Slurm job array, then merged by a dependent job.
#
#   deploy/slurm/fit-array.sh MODEL.yaml DATA.csv SHARED_DIR CHAINS [more fit options...]
#   e.g. deploy/slurm/fit-array.sh model.yaml data.csv /shared/run1 4 --lift-tests lifts.csv --seed 7
#
# Submits `sbatch --array=0-(CHAINS-1)`: task SLURM_ARRAY_TASK_ID runs chain SLURM_ARRAY_TASK_ID of a
# CHAINS-chain fit (`causal-mmm fit --chain-count CHAINS` reads the index from the environment) into
# SHARED_DIR/parts/part-<index>. The array must start at 0 (Slurm arrays may start at 1: fit refuses an
# index >= CHAINS). A second job, submitted with --dependency=afterok:$ARRAY_JOB_ID, starts once every
# task has succeeded and runs `causal-mmm merge` into SHARED_DIR/fit. SHARED_DIR must be on a file system
# every node sees, and causal-mmm on PATH on the nodes (or set CAUSAL_MMM=/path/to/causal-mmm).
# Environment: CPUS (per chain, default 2), TIME (default 04:00:00), PARTITION (optional).
# Written from Slurm's sbatch and job-array documentation; not run on a cluster here.
set -euo pipefail

if [ "$#" -lt 4 ]; then
  echo "usage: $0 MODEL.yaml DATA.csv SHARED_DIR CHAINS [more fit options...]" >&2
  exit 2
fi
config=$(realpath "$1")
data=$(realpath "$2")
shared=$3
chains=$4
shift 4
mkdir -p "$shared/logs"
shared=$(realpath "$shared")
bin=${CAUSAL_MMM:-causal-mmm}
cpus=${CPUS:-2}
time_limit=${TIME:-04:00:00}
partition=()
if [ -n "${PARTITION:-}" ]; then partition=(--partition="$PARTITION"); fi

# Every task runs the same command; Slurm sets SLURM_ARRAY_TASK_ID in each.
fit_command=$(printf '%q ' "$bin" fit --config "$config" --data "$data" --out "$shared/parts" \
  --chain-count "$chains" --threads 1 --gradient-threads "$cpus" --force --quiet "$@")
array_job_id=$(sbatch --parsable ${partition[@]+"${partition[@]}"} --job-name=causal-mmm-chains \
  --array="0-$((chains - 1))" --ntasks=1 --cpus-per-task="$cpus" --time="$time_limit" \
  --output="$shared/logs/chain-%a.out" --wrap="$fit_command")
array_job_id=${array_job_id%%;*}   # --parsable prints "jobid" or "jobid;cluster"

parts=()
for ((k = 0; k < chains; k++)); do parts+=("$shared/parts/part-$k"); done
merge_command=$(printf '%q ' "$bin" merge --out "$shared/fit" --force "${parts[@]}")
merge_job_id=$(sbatch --parsable ${partition[@]+"${partition[@]}"} --job-name=causal-mmm-merge \
  --dependency="afterok:$array_job_id" --ntasks=1 --cpus-per-task=1 --time=01:00:00 \
  --output="$shared/logs/merge.out" --wrap="$merge_command")
merge_job_id=${merge_job_id%%;*}

echo "chains: job array $array_job_id (tasks 0-$((chains - 1))), parts in $shared/parts"
echo "merge:  job $merge_job_id (after all tasks succeed), fit in $shared/fit"
