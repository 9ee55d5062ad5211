"""Shared pieces of the peer benchmarks: the configurations, data loading, timing."""
import json
import os
import statistics
import sys
import time

import numpy as np

# Must match BenchConfiguration (Sources/RecurrentBench/BenchConfiguration.swift): same shapes, same windows.
# Tests/RecurrentBenchTests/PeerConfigurationTests.swift compares the two.
CONFIGS = {
    "lab": {"cell": "lstm", "layers": 3, "units": 50, "dropout": 0.2, "lookback": 60, "batch": 32, "windows": 2000},
    "lstm64": {"cell": "lstm", "layers": 1, "units": 64, "dropout": 0.0, "lookback": 48, "batch": 64, "windows": 20000},
    "gru128": {"cell": "gru", "layers": 1, "units": 128, "dropout": 0.0, "lookback": 96, "batch": 128, "windows": 10000},
}
INFER_BATCH = 512
TIMED_EPOCHS = 3
PREDICT1_CALLS = 200


def load(data_dir, name):
    """X [N, T, 1] and y [N, 1] as float32, written by `rnn bench --export-data`."""
    x = np.load(os.path.join(data_dir, f"{name}_x.npy")).astype(np.float32)
    y = np.load(os.path.join(data_dir, f"{name}_y.npy")).astype(np.float32)
    return x, y


def median_epoch(run_epoch):
    """One warm-up epoch, then the median of TIMED_EPOCHS timed ones (seconds)."""
    run_epoch()
    times = []
    for _ in range(TIMED_EPOCHS):
        start = time.perf_counter()
        run_epoch()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def median_call_ms(call, calls):
    for _ in range(5):
        call()
    times = []
    for _ in range(calls):
        start = time.perf_counter()
        call()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000.0


def parse_args():
    import argparse
    p = argparse.ArgumentParser()
    p.add_argument("--data", required=True, help="folder written by rnn bench --export-data")
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--config", action="append", help="configs to run (default: all)")
    return p.parse_args()


def emit(result):
    json.dump(result, sys.stdout, indent=2)
    sys.stdout.write("\n")
