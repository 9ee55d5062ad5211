#!/usr/bin/env bash
# Runs `rnn bench` and the PyTorch and Keras peers on the same windows, one after another,
# with the same number of threads, and prints samples/s for each and the ratios.
#
#   bench/compare.sh [--setup] [--threads N] [--isa avx2] [--config NAME]... [--skip-build] [--out DIR]
#
#   --setup       create .venv-bench and pip install torch tensorflow-cpu numpy first
#   --threads N   threads for every framework (default: all CPUs)
#   --isa avx2    hold every framework to AVX2 on a CPU that has AVX-512, as on an AVX2-only
#                 machine: RK_ISA=avx2, and oneDNN/ATen at AVX2 (ONEDNN_MAX_CPU_ISA=AVX2,
#                 ATEN_CPU_CAPABILITY=avx2) for PyTorch and TensorFlow
#   --config NAME run only these configurations (lab, lstm64, gru128; default all)
#   --skip-build  use the existing .build/release/rnn
#   --out DIR     where the data and JSON results go (default bench/out)
#
# Python: $PYTHON if set, else .venv-bench/bin/python, else python3. PyTorch and TensorFlow run in separate processes.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"

setup=0; skip_build=0; threads=""; out="bench/out"; configs=()
while [ $# -gt 0 ]; do
    case "$1" in
        --setup) setup=1 ;;
        --skip-build) skip_build=1 ;;
        --threads) threads="$2"; shift ;;
        --isa)
            [ "${2:-}" = avx2 ] || { echo "compare.sh: --isa takes avx2 (the default is each framework's best)" >&2; exit 2; }
            export RK_ISA=avx2 ONEDNN_MAX_CPU_ISA=AVX2 ATEN_CPU_CAPABILITY=avx2; shift ;;
        --config) configs+=("$2"); shift ;;
        --out) out="$2"; shift ;;
        -h|--help) sed -n '2,16p' "$0"; exit 0 ;;
        *) echo "compare.sh: unknown option '$1' (see --help)" >&2; exit 2 ;;
    esac
    shift
done
[ -n "$threads" ] || threads="$(getconf _NPROCESSORS_ONLN 2>/dev/null || echo 2)"
[ ${#configs[@]} -gt 0 ] || configs=(lab lstm64 gru128)

if [ "$setup" = 1 ]; then
    python3 -m venv .venv-bench
    echo '*' > .venv-bench/.gitignore
    .venv-bench/bin/pip install --upgrade pip >/dev/null
    .venv-bench/bin/pip install torch tensorflow-cpu numpy
fi
if [ -z "${PYTHON:-}" ]; then
    for candidate in .venv-bench/bin/python python3; do
        if command -v "$candidate" >/dev/null 2>&1; then PYTHON="$candidate"; break; fi
    done
fi
"$PYTHON" -c "import numpy" 2>/dev/null || { echo "compare.sh: $PYTHON has no numpy; run with --setup or set PYTHON" >&2; exit 1; }

if [ "$skip_build" = 0 ]; then swift build -c release --product rnn >&2; fi
rnn=.build/release/rnn
mkdir -p "$out/data"
config_args=(); for c in "${configs[@]}"; do config_args+=(--config "$c"); done

echo "== exporting the windows" >&2
"$rnn" bench --export-data "$out/data" "${config_args[@]}" -q
echo "== Recurrent ($threads threads)" >&2
RK_THREADS="$threads" "$rnn" bench --threads "$threads" "${config_args[@]}" --config predict1 --json > "$out/recurrent.json"
echo "== PyTorch ($threads threads)" >&2
OMP_NUM_THREADS="$threads" MKL_NUM_THREADS="$threads" "$PYTHON" bench/peers/torch_bench.py --data "$out/data" --threads "$threads" "${config_args[@]}" > "$out/pytorch.json"
echo "== Keras ($threads threads)" >&2
OMP_NUM_THREADS="$threads" "$PYTHON" bench/peers/keras_bench.py --data "$out/data" --threads "$threads" "${config_args[@]}" > "$out/keras.json"

{
    if [ -n "${ONEDNN_MAX_CPU_ISA:-}" ]; then
        echo "oneDNN (in PyTorch and TensorFlow) held to ${ONEDNN_MAX_CPU_ISA} by ONEDNN_MAX_CPU_ISA"
        echo
    fi
    "$PYTHON" bench/peers/table.py "$out/recurrent.json" "$out/pytorch.json" "$out/keras.json" --threads "$threads"
} | tee "$out/table.md"
