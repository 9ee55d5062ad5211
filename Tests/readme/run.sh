#!/usr/bin/env bash
# Runs every `rnn …` command README.md (then docs/lab6-pl.md, the students' guide) shows —
# the backticked `rnn …` commands in their tables and the `rnn …` lines of their ```sh
# blocks — exactly as written, in document order, each once.
# They run in a temporary copy of the repository root (only examples/ is copied) with
# ../shared beside it and the release binary on PATH as `rnn`; any non-zero exit fails.
#
#   Tests/readme/run.sh            build nothing; use .build/release/rnn (or $RNN)
#   Tests/readme/run.sh --list     print the commands, run none
#
# `swift run -c release rnn ARGS` and `.build/release/rnn ARGS` are run as `rnn ARGS` (the same
# release binary); other
# lines (`swift build`, `swift test`, `cp`, comments) are listed as not run: CI runs the
# build and the tests itself. Nothing in a command is substituted.
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
documents=("$repo/README.md" "$repo/docs/lab6-pl.md")

# Commands, one per line, in README order.
extract() {
    awk '
    function trim(s) { sub(/^[ \t]+/, "", s); sub(/[ \t]+$/, "", s); return s }
    /^```/ {
        if (inblock) { inblock = 0; next }
        inblock = 1; sh = ($0 ~ /^```(sh|bash|shell)[ \t]*$/); pending = ""; next
    }
    inblock && sh {
        line = $0
        if (line ~ /\\[ \t]*$/) { sub(/\\[ \t]*$/, "", line); pending = pending trim(line) " "; next }
        line = trim(pending trim(line)); pending = ""
        if (line == "" || line ~ /^#/) next
        print "sh\t" line
        next
    }
    !inblock && /^\|/ {
        rest = $0
        while (match(rest, /`[^`]*`/)) {
            span = substr(rest, RSTART + 1, RLENGTH - 2)
            rest = substr(rest, RSTART + RLENGTH)
            if (span ~ /^rnn( |$)/) print "table\t" span
        }
    }' "$@"
}

mode=${1:-run}
commands=()
skipped=()
while IFS=$'\t' read -r where line; do
    case "$line" in
        "rnn "*|"rnn") cmd=$line ;;
        "swift run -c release rnn"*) cmd="rnn${line#swift run -c release rnn}" ;;
        ".build/release/rnn "*) cmd="rnn${line#.build/release/rnn}" ;;
        *) skipped+=("$line"); continue ;;
    esac
    cmd=${cmd%%  #*}                       # a trailing comment after two spaces
    cmd=$(printf '%s' "$cmd" | sed -e 's/[ \t]*$//')
    seen=0
    for c in "${commands[@]+"${commands[@]}"}"; do [ "$c" = "$cmd" ] && seen=1; done
    [ $seen = 0 ] && commands+=("$cmd")
done < <(extract "${documents[@]}")

if [ ${#commands[@]} -eq 0 ]; then echo "README.md shows no rnn command: the extractor is broken" >&2; exit 1; fi
if [ "$mode" = "--list" ]; then
    printf '%s\n' "${commands[@]}"
    printf 'not run: %s\n' "${skipped[@]+"${skipped[@]}"}"
    exit 0
fi

shared=${RECURRENT_SHARED:-$repo/../shared}
if [ ! -d "$shared/data" ]; then
    echo "README commands: skipped, no shared data at $shared (set RECURRENT_SHARED)"
    exit 0
fi
binary=${RNN:-$repo/.build/release/rnn}
if [ ! -x "$binary" ]; then
    echo "README commands: no rnn binary at $binary; run swift build -c release --product rnn first" >&2
    exit 1
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/bin" "$work/repo"
ln -s "$(cd "$(dirname "$binary")" && pwd)/$(basename "$binary")" "$work/bin/rnn"
ln -s "$(cd "$shared" && pwd)" "$work/shared"
cp -R "$repo/examples" "$work/repo/examples"
export PATH="$work/bin:$PATH"
cd "$work/repo"

for line in "${skipped[@]+"${skipped[@]}"}"; do echo "README: not an rnn command, not run here: $line"; done
failed=0
total_start=$SECONDS
for cmd in "${commands[@]}"; do
    echo "== $cmd"
    start=$SECONDS
    if bash -c "$cmd" > "$work/stdout" 2> "$work/stderr"; then
        echo "   ok ($((SECONDS - start)) s)"
    else
        status=$?
        echo "   FAILED with status $status ($((SECONDS - start)) s); last lines:"
        tail -n 5 "$work/stderr" "$work/stdout" | sed 's/^/   /'
        failed=$((failed + 1))
    fi
done
echo "README commands: ${#commands[@]} run, $failed failed, $((SECONDS - total_start)) s"
[ $failed -eq 0 ]
