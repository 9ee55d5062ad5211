#!/usr/bin/env bash
# The sanitizer job: run before each release (too slow for every CI run: about 25 minutes on
# 2 cores). Exits 1 on the first sanitizer report or test failure.
#
#   Tests/sanitizers/run.sh [asan] [tsan] [study]      default: all three
#
#   asan   swift test --sanitize=address (scratch .build-asan)
#   tsan   swift test --sanitize=thread  (scratch .build-tsan)
#   study  a TSan-built rnn running `rnn study --workers 2` on a generated hourly series
set -euo pipefail
cd "$(dirname "$0")/../.."
export SWIFT_BACKTRACE=enable=no
jobs=("$@"); [ ${#jobs[@]} -gt 0 ] || jobs=(asan tsan study)
for job in "${jobs[@]}"; do
    case "$job" in
    asan)
        echo "== swift test --sanitize=address"
        ASAN_OPTIONS=detect_leaks=0 swift test --sanitize=address --scratch-path .build-asan ;;
    tsan)
        echo "== swift test --sanitize=thread"
        TSAN_OPTIONS=halt_on_error=1 swift test --sanitize=thread --scratch-path .build-tsan ;;
    study)
        echo "== rnn study --workers 2 under ThreadSanitizer"
        swift build --sanitize=thread --product rnn --scratch-path .build-tsan
        dir=$(mktemp -d); trap 'rm -rf "$dir"' EXIT
        python3 -c '
import datetime, math, random
random.seed(7); t = datetime.datetime(2024, 1, 1)
print("datetime,pm10")
for h in range(24 * 120):
    print(f"{t + datetime.timedelta(hours=h):%Y-%m-%d %H:%M:%S},{30 + 10 * math.sin(h / 3.8) + 5 * random.random():.3f}")
' > "$dir/series.csv"
        TSAN_OPTIONS=halt_on_error=1 .build-tsan/debug/rnn study --data "$dir/series.csv" --target hourly \
            --grid examples/study-grid.json --epochs 2 --seeds 2 --workers 2 --out "$dir/study" --quiet ;;
    *) echo "unknown job '$job' (asan, tsan, study)" >&2; exit 2 ;;
    esac
done
echo "sanitizers: no report"
