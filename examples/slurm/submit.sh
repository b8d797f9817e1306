#!/bin/bash
# Submits a sweep to Slurm as a job array of N shards (shards.sbatch) and a merge
# (merge.sbatch) that starts once every task has ended. README.md, "Running on a cluster".
#
#   examples/slurm/submit.sh CONFIG DIR N [SBATCH_OPTION...]
#
# The options (--account=..., --partition=...) go to both jobs; #SBATCH lines in the two
# scripts set their defaults (cores and time per task). Add %M to the array (edit below) to
# run at most M tasks at once.
set -euo pipefail
if [ $# -lt 3 ]; then
    echo "usage: $0 CONFIG DIR N [SBATCH_OPTION...]" >&2
    exit 2
fi
here=$(cd "$(dirname "$0")" && pwd)
config=$1 dir=$2 shards=$3
shift 3
array=$(sbatch --parsable "$@" --array="0-$((shards - 1))" "$here/shards.sbatch" \
    "$config" "$dir" "$shards")
array=${array%%;*} # --parsable prints JOBID or JOBID;CLUSTER
# afterany, not afterok: the merge runs even when a task failed, and then names the runs
# missing and the shards to resubmit (an afterok merge would wait forever instead).
merge=$(sbatch --parsable "$@" --dependency="afterany:$array" "$here/merge.sbatch" \
    "$dir" "$shards")
echo "shards: job array $array (tasks 0-$((shards - 1))); merge: job ${merge%%;*}"
