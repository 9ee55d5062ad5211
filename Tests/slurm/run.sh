#!/usr/bin/env bash
# `rnn study --sbatch` against a real, running one-node Slurm cluster (munged, slurmctld,
# slurmd started here, stopped on exit whatever happens).
#   1. A small study as a 3-task array plus the merge job: sacct shows them COMPLETED and the
#      merged results equal an unsharded run of the same study (training times aside).
#   2. The same study again; one array task is cancelled mid-run (scancel), the study is
#      resubmitted, and it completes without training any finished trial again.
# Usage: bash Tests/slurm/run.sh   (as root; RNN_BINARY=path/to/rnn to skip the release build)
# Exits 0 when it passes or cannot run here (the reason is printed), 1 on a failure.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
source "$here/cluster.sh"
started=$SECONDS

skip() { echo "slurm harness SKIPPED: $*"; exit 0; }
fail() { echo "slurm harness FAILED: $*"; exit 1; }

# ---- prerequisites ----
[ "$(id -u)" = 0 ] || skip "needs root (slurmd runs the jobs); run as root"
if ! command -v slurmctld >/dev/null || ! command -v slurmd >/dev/null || ! command -v munged >/dev/null || ! command -v sbatch >/dev/null; then
    command -v apt-get >/dev/null || skip "slurm-wlm and munge are not installed and there is no apt-get"
    cluster_log "installing Debian's slurm-wlm and munge"
    if ! { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq slurm-wlm munge; } >/tmp/slurm-harness-apt.log 2>&1; then
        skip "apt-get install slurm-wlm munge failed (see /tmp/slurm-harness-apt.log)"
    fi
fi
rnn=${RNN_BINARY:-$root/.build/release/rnn}
if [ ! -x "$rnn" ]; then
    cluster_log "building the release CLI"
    (cd "$root" && swift build -c release --product rnn) || fail "swift build -c release --product rnn failed"
fi

work=$(mktemp -d /tmp/rnn-slurm-harness.XXXXXX)
passed=""
trap 'cluster_stop; if [ -n "$passed" ]; then rm -rf "$work"; else echo "work folder kept: $work"; fi' EXIT
trap 'exit 1' INT TERM HUP

# ---- the study: generated hourly data (150 days), 2 architectures × 3 seeds = 6 trials of about
# 2 s of CPU each, long enough to cancel a task between its two trials ----
awk 'BEGIN {
    print "datetime,PM10"; v = 30
    for (d = 0; d < 150; d++) for (h = 0; h < 24; h++) {
        t = d * 24 + h
        v = 0.8 * v + 0.2 * (30 + 10 * sin(2 * 3.14159265 * d / 7) + 5 * sin(2 * 3.14159265 * h / 24)) + (t * 7919 % 13) / 6 - 1
        printf "%s %02d:00:00,%.3f\n", strftime("%Y-%m-%d", 1609459200 + d * 86400, 1), h, v
    }
}' >"$work/pm.csv"
cat >"$work/grid.json" <<'EOF'
{"epochs": 40, "patience": 40, "batchSize": 32, "architectures": ["gru:24,dense:1", "lstm:24,dense:1"]}
EOF
study=(study --data "$work/pm.csv" --target hourly --lookback 24 --grid "$work/grid.json" --seeds 3)

# results.csv without train_seconds_mean (the second-to-last column), and each trial's metrics.
table() { awk 'BEGIN { FS = OFS = "," } { $(NF - 1) = ""; print }' "$1/results.csv"; }
trial_metrics() { cut -d, -f1-8 "$1/trials.csv" | sort; }
# Complete (newline-ended) lines: a task killed while writing may leave a partial last line.
complete_lines() { if [ -f "$1" ]; then wc -l <"$1"; else echo 0; fi; }

# wait_queue SECONDS JOB…: until none of the jobs is in the queue.
jobs_gone() { local q; q=$(timeout 20 squeue -h -t PD,R,CG,CF,S -j "$1" -o %i 2>&1); [ -z "$q" ] || [[ $q == *"Invalid job id"* ]]; }
wait_queue() {
    local limit=$1; shift
    local ids; ids=$(IFS=,; echo "$*")
    wait_for "$limit" "jobs $ids to finish" jobs_gone "$ids" ||
        { squeue; tail -n 20 "$work"/*/logs/*.out 2>/dev/null; return 1; }
}

# sacct_lines NAME: the completion records of the jobs named NAME and NAME-merge, each with its
# array task (ArrayJobId_ArrayTaskId, which this sacct does not read from the filetxt log) appended.
sacct_lines() {
    timeout 20 sacct --completion -o JobID,JobName%24,State,ExitCode,NodeList,Elapsed 2>/dev/null |
        awk -v n="$1" -v jc="$CLUSTER_DIR/jobcomp.log" '
            BEGIN { while ((getline line < jc) > 0) if (match(line, /JobId=[0-9]+ /)) {
                id = substr(line, RSTART + 6, RLENGTH - 7); task[id] = "-"
                if (match(line, /ArrayJobId=[0-9]+ ArrayTaskId=[0-9]+/)) { t = substr(line, RSTART, RLENGTH); gsub(/ArrayJobId=|ArrayTaskId=/, "", t); sub(/ /, "_", t); task[id] = t }
            } }
            NR == 1 { print $0 " ArrayTask"; next }
            NR == 2 { print $0 " ---------"; next }
            $2 == n || $2 == n "-merge" { print $0 " " task[$1] }'
}
count_state() { sacct_lines "$1" | awk -v n="$2" -v s="$3" 'NR > 2 && $2 == n && $3 == s' | wc -l; }

submit() { # submit OUT → prints "ARRAY_JOB MERGE_JOB"
    "$rnn" "${study[@]}" --out "$1" --sbatch "$1/study.sbatch" --array-size 3 --cpus-per-task 1 --time 00:20:00 --submit --quiet |
        tee -a "$work/submissions.log" | sed -n 's/^submitted array job \([0-9]*\) .* merge job \([0-9]*\) .*/\1 \2/p'
}

cluster_start "$work/cluster" || { tail -n 20 "$work"/cluster/*.log "$work"/cluster/*.out 2>/dev/null; fail "the cluster did not start"; }

cluster_log "unsharded reference run"
"$rnn" "${study[@]}" --out "$work/whole" --quiet >/dev/null || fail "the unsharded study failed"

# ---- scenario 1: 3-task array + merge ----
cluster_log "scenario 1: submitting the study as a 3-task array plus the merge job"
read -r array merge < <(submit "$work/s1") || true
[ -n "${merge:-}" ] || fail "rnn study --sbatch --submit printed no job ids"
cat "$work/s1/study.sbatch"
wait_queue 600 "$array" "$merge" || fail "scenario 1 did not finish in 600 s"
sacct_lines rnn-s1
[ "$(count_state rnn-s1 rnn-s1 COMPLETED)" = 3 ] || fail "sacct: not all 3 array tasks COMPLETED"
[ "$(count_state rnn-s1 rnn-s1-merge COMPLETED)" = 1 ] || fail "sacct: the merge job did not COMPLETE"
[ -s "$work/s1/results.csv" ] || fail "the merge wrote no results.csv"
diff <(table "$work/whole") <(table "$work/s1") || fail "merged results differ from the unsharded run's"
diff <(trial_metrics "$work/whole") <(trial_metrics "$work/s1") || fail "merged trial metrics differ from the unsharded run's"
awk -F, 'NR > 1 && ($10 == "" || $11 !~ /^[123]\/3$/ || $12 == "" || $13 !~ /^[0-9]+_[123]$/) { bad = 1 } END { exit bad }' "$work/s1/trials.csv" ||
    fail "trials.csv lacks a trial's time, shard, host or job: $(cat "$work/s1/trials.csv")"
grep -A6 "Where the trials ran" "$work/s1/results.md"
cluster_log "scenario 1 passed: merged results equal the unsharded run's"

# ---- scenario 2: cancel one task mid-run, resubmit ----
cluster_log "scenario 2: submitting again, cancelling task 2 after its first trial"
read -r array merge < <(submit "$work/s2") || true
[ -n "${merge:-}" ] || fail "rnn study --sbatch --submit printed no job ids"
task2_mid_run() {
    [ "$(complete_lines "$work/s2/shards/2/trials.jsonl")" -ge 1 ] && [ "$(timeout 20 squeue -h -j "${array}_2" -o %T 2>/dev/null)" = RUNNING ]
}
POLL=0.1 wait_for 600 "task 2 to finish one trial while still running" task2_mid_run || fail "could not catch task 2 mid-run (trials too fast?)"
timeout 20 scancel "${array}_2"
cluster_log "cancelled ${array}_2 with $(complete_lines "$work/s2/shards/2/trials.jsonl") of 2 trials finished"
wait_queue 600 "$array" "$merge" || fail "the first submission of scenario 2 did not end"
mkdir "$work/s2-before"
for k in 1 2 3; do cp "$work/s2/shards/$k/trials.jsonl" "$work/s2-before/$k.jsonl" 2>/dev/null || : >"$work/s2-before/$k.jsonl"; done
[ "$(complete_lines "$work/s2-before/2.jsonl")" -lt 2 ] || fail "task 2 finished before the cancel took effect"
[ ! -e "$work/s2/results.csv" ] || fail "the merge ran although a task was cancelled"

cluster_log "scenario 2: resubmitting"
read -r array2 merge2 < <(submit "$work/s2") || true
[ -n "${merge2:-}" ] || fail "the resubmission printed no job ids"
wait_queue 600 "$array2" "$merge2" || fail "the resubmission did not finish in 600 s"
sacct_lines rnn-s2
[ "$(count_state rnn-s2 rnn-s2 CANCELLED)" -ge 1 ] || fail "sacct shows no CANCELLED task"
# Tasks 1 and 3 of the first submission, all three of the second, and the second merge.
[ "$(count_state rnn-s2 rnn-s2 COMPLETED)" = 5 ] || fail "sacct: the resubmitted array did not COMPLETE"
[ "$(count_state rnn-s2 rnn-s2-merge COMPLETED)" = 1 ] || fail "sacct: the resubmitted merge did not COMPLETE"
for k in 1 2 3; do
    before=$work/s2-before/$k.jsonl after=$work/s2/shards/$k/trials.jsonl
    cmp -s -n "$(stat -c %s "$before")" "$before" "$after" || fail "shard $k: finished trials were rewritten"
    [ "$(complete_lines "$after")" = 2 ] || fail "shard $k has $(complete_lines "$after") trials, expected 2"
    done_before=$(complete_lines "$before")
    grep -q "$done_before already finished, $((2 - done_before)) to train" "$work/s2/logs/shard-$k-job$array2.out" ||
        fail "shard $k's resubmitted task did not skip its $done_before finished trial(s): $(cat "$work/s2/logs/shard-$k-job$array2.out")"
done
[ "$(cut -d, -f1 "$work/s2/trials.csv" | sort | uniq -d | wc -l)" = 0 ] || fail "a trial ran twice"
diff <(table "$work/whole") <(table "$work/s2") || fail "scenario 2's merged results differ from the unsharded run's"
cluster_log "scenario 2 passed: the resubmission trained only the unfinished trials"

passed=yes
echo "slurm harness PASSED in $((SECONDS - started)) s (wall time; includes starting and stopping the cluster)"
