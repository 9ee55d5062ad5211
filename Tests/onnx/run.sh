#!/usr/bin/env bash
# Exports models with `rnn export --onnx` and checks each against ONNX Runtime (check.py).
#
# Python: $ONNX_PYTHON when set (a python with onnx, onnxruntime and numpy), otherwise a
# throwaway virtual environment with those three installed from PyPI. When neither works the
# check is skipped with the reason printed (exit 0); any failed check exits non-zero.
# The rnn binary: $RNN_BINARY, or the release build (built here when missing).
# Pass --bench to time the lab model in ONNX Runtime (1 thread) against rnn predict instead.
set -euo pipefail
cd "$(dirname "$0")/../.."

skip() { echo "onnx check SKIPPED: $*"; exit 0; }

python="${ONNX_PYTHON:-}"
if [ -z "$python" ]; then
    command -v python3 >/dev/null || skip "no python3 on this machine"
    venv=$(mktemp -d -t rnn-onnx-venv-XXXXXX)
    trap 'rm -rf "$venv"' EXIT
    python3 -m venv "$venv" >/dev/null 2>&1 || skip "python3 -m venv failed (install python3-venv)"
    echo "== installing onnx, onnxruntime, numpy into a throwaway venv"
    "$venv/bin/pip" install --quiet --disable-pip-version-check onnx onnxruntime numpy \
        || skip "pip could not install onnx, onnxruntime and numpy"
    python="$venv/bin/python"
fi
"$python" -c "import onnx, onnxruntime, numpy" 2>/dev/null || skip "$python cannot import onnx, onnxruntime and numpy"

rnn="${RNN_BINARY:-}"
if [ -z "$rnn" ]; then
    swift build -c release --product rnn
    rnn="$(swift build -c release --show-bin-path)/rnn"
fi

# Not exec: the EXIT trap must still remove the throwaway venv.
"$python" Tests/onnx/check.py "$rnn" "$@"
