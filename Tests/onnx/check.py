"""Exports models with `rnn export --onnx` and checks them against `rnn predict` / `rnn forecast`.

Every exported model must pass onnx.checker.check_model, and ONNX Runtime's output on random
inputs (batch 1 and 7; several lengths when the time axis is dynamic) must match the rnn
command's within a relative error of 1e-5 (see rel_error). Exits non-zero on any failure.

Usage: python check.py RNN_BINARY [--bench]
"""
import datetime
import json
import math
import os
import struct
import subprocess
import sys
import tempfile
import time
import zlib

import numpy as np
import onnx
import onnx.numpy_helper
from onnx.reference import ReferenceEvaluator
import onnxruntime as ort

TOLERANCE = 1e-5
failures = []


def rel_error(got, want):
    """max |got − want| / max |want|: the largest difference relative to the output's magnitude.
    (Element by element, an output that cancels to near 0 would compare float32 rounding of
    terms of size 1 with a value of size 1e-3.)"""
    got = np.asarray(got, dtype=np.float64)
    want = np.asarray(want, dtype=np.float64)
    if got.shape != want.shape:
        return math.inf
    return float(np.max(np.abs(got - want)) / max(np.max(np.abs(want)), 1e-12))


def check(label, got, want):
    err = rel_error(got, want)
    ok = err <= TOLERANCE
    print(f"  {'ok  ' if ok else 'FAIL'} {label}: max relative error {err:.2e}", flush=True)
    if not ok:
        failures.append(f"{label}: {err:.2e}")


def run(args, **kw):
    r = subprocess.run(args, capture_output=True, text=True, **kw)
    if r.returncode != 0:
        raise RuntimeError(f"{' '.join(args)} failed ({r.returncode}): {r.stderr.strip()}")
    return r.stdout


def session(path):
    options = ort.SessionOptions()
    options.intra_op_num_threads = 1
    options.inter_op_num_threads = 1
    options.log_severity_level = 3  # the "initializer appears in graph inputs" warning is by design: optional states
    return ort.InferenceSession(path, options, providers=["CPUExecutionProvider"])


def export(rnn, model, onnx_path, *extra):
    run([rnn, "export", "--model", model, "--onnx", onnx_path, *extra])
    loaded = onnx.load(onnx_path)
    onnx.checker.check_model(loaded, full_check=True)
    # The reference protobuf library writes the same message back byte for byte: our encoder
    # uses its field numbers, wire types and (proto2, unpacked) layout.
    with open(onnx_path, "rb") as f:
        if loaded.SerializeToString() != f.read():
            failures.append(f"{onnx_path}: protobuf re-serialization differs from rnn's bytes")
            print(f"  FAIL {os.path.basename(onnx_path)}: re-serialized bytes differ", flush=True)
    return onnx_path


def predict(rnn, model, x, work):
    xin, yout = os.path.join(work, "x.npy"), os.path.join(work, "y.npy")
    np.save(xin, x.astype(np.float32))
    # --raw: the bare network, as --network-only exports it (a forecasting model file's
    # stored scaling is otherwise applied by rnn predict)
    run([rnn, "predict", "--raw", "--model", model, "--input", xin, "--output", yout])
    return np.load(yout)


# ---------- data and models ----------

def write_series(path, rows=420, seed=7):
    """A daily series with a weekly cycle, a trend and noise, plus one extra feature column."""
    rng = np.random.default_rng(seed)
    start = datetime.date(2022, 1, 3)
    with open(path, "w") as f:
        f.write("date,value,temperature\n")
        for t in range(rows):
            day = start + datetime.timedelta(days=t)
            temp = 10 + 8 * math.sin(2 * math.pi * t / 365) + rng.normal(0, 1)
            value = 50 + 0.05 * t + 6 * math.sin(2 * math.pi * t / 7) - 0.5 * temp + rng.normal(0, 1.5)
            f.write(f"{day.isoformat()},{value:.3f},{temp:.3f}\n")


def read_series(path):
    dates, values, temps = [], [], []
    with open(path) as f:
        next(f)
        for line in f:
            d, v, t = line.strip().split(",")
            dates.append(datetime.date.fromisoformat(d))
            values.append(float(v))
            temps.append(float(t))
    return dates, np.array(values), np.array(temps)


def train(rnn, data, out, spec, lookback, *extra):
    run([rnn, "train", "--data", data, "--lookback", str(lookback), "--model", spec, "--epochs", "2",
         "--out", out, "--quiet", "--json", *extra])
    return os.path.join(out, "model.safetensors")


def write_model_file(path, input_shape, layers, seed):
    """A model file with random weights written directly (safetensors + architecture metadata),
    for architectures `rnn train` does not make: sequence outputs, softmax/sigmoid heads."""
    rng = np.random.default_rng(seed)
    tensors = {}
    feat = input_shape[-1]
    for i, layer in enumerate(layers):
        kind = layer["type"]
        def rec(cell, units, suffix, f):
            gates = {"SimpleRNN": 1, "LSTM": 4, "GRU": 3}[cell]
            s = 1 / math.sqrt(units)
            tensors[f"layers.{i}.weight_ih_l0{suffix}"] = rng.uniform(-s, s, (gates * units, f))
            tensors[f"layers.{i}.weight_hh_l0{suffix}"] = rng.uniform(-s, s, (gates * units, units))
            tensors[f"layers.{i}.bias_ih_l0{suffix}"] = rng.uniform(-s, s, (gates * units,))
            tensors[f"layers.{i}.bias_hh_l0{suffix}"] = rng.uniform(-s, s, (gates * units,))
        if kind in ("SimpleRNN", "LSTM", "GRU"):
            rec(kind, layer["units"], "", feat)
            feat = layer["units"]
        elif kind == "Bidirectional":
            inner = layer["layer"]
            rec(inner["type"], inner["units"], "", feat)
            rec(inner["type"], inner["units"], "_reverse", feat)
            feat = inner["units"] * (1 if layer.get("merge") == "sum" else 2)
        elif kind == "Dense":
            tensors[f"layers.{i}.weight"] = rng.uniform(-0.5, 0.5, (layer["units"], feat))
            tensors[f"layers.{i}.bias"] = rng.uniform(-0.5, 0.5, (layer["units"],))
            feat = layer["units"]
        elif kind == "Conv1D":
            tensors[f"layers.{i}.weight"] = rng.uniform(-0.5, 0.5, (layer["filters"], feat, layer["kernel_size"]))
            tensors[f"layers.{i}.bias"] = rng.uniform(-0.5, 0.5, (layer["filters"],))
            feat = layer["filters"]
    arch = json.dumps({"format": "recurrent-model", "version": 1, "input_shape": input_shape, "layers": layers})
    header, offset, blobs = {"__metadata__": {"recurrent.architecture": arch}}, 0, []
    for name, value in tensors.items():
        blob = np.asarray(value, dtype="<f4").tobytes()
        header[name] = {"dtype": "F32", "shape": list(np.shape(value)), "data_offsets": [offset, offset + len(blob)]}
        offset += len(blob)
        blobs.append(blob)
    text = json.dumps(header).encode()
    text += b" " * (-len(text) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)) + text + b"".join(blobs))
    return path


# ---------- checks ----------

def check_network(rnn, label, model, work, lengths, features, batches=(1, 7), state_check=False, extra=()):
    """ONNX (network only) against rnn predict, batch 1 and 7, at each length."""
    print(f"{label}: {model}", flush=True)
    path = export(rnn, model, os.path.join(work, f"{label}.onnx"), "--network-only", *extra)
    sess = session(path)
    rng = np.random.default_rng(zlib.crc32(label.encode()))
    for t in lengths:
        for b in batches:
            x = rng.normal(0, 1, (b, t, features)).astype(np.float32)
            got = sess.run(["output"], {"input": x})[0]
            want = predict(rnn, model, x, work)
            check(f"{label} batch {b} length {t}", got, want)
            if t == lengths[0] and b == batches[-1]:
                # ONNX's own reference implementation, read from the spec independently of
                # ONNX Runtime: the graph means what we say, not only what one runtime does.
                try:
                    reference = ReferenceEvaluator(onnx.load(path)).run(["output"], {"input": x})[0]
                    check(f"{label} batch {b} length {t}, onnx.reference", reference, want)
                except RuntimeError as e:
                    if "Unknown activation function" not in str(e):
                        raise
                    print(f"  skip {label}, onnx.reference: its RNN implements only Tanh ({e})", flush=True)
    if state_check:
        check_states(label, sess, features, rng)
    return path


def check_control(work, onnx_path, lookback):
    """The comparison has teeth: the lab model with its first LSTM's o and f gate blocks swapped
    (the classic ONNX export bug) must be far off."""
    model = onnx.load(onnx_path)
    for t in model.graph.initializer:
        if t.name == "layers.0.W":
            w = onnx.numpy_helper.to_array(t).copy()
            h = w.shape[1] // 4
            w[:, h:2 * h], w[:, 2 * h:3 * h] = w[:, 2 * h:3 * h].copy(), w[:, h:2 * h].copy()
            t.CopyFrom(onnx.numpy_helper.from_array(w, t.name))
    broken = os.path.join(work, "broken.onnx")
    onnx.save(model, broken)
    x = np.random.default_rng(5).normal(0, 1, (7, lookback, 1)).astype(np.float32)
    right = session(onnx_path).run(["output"], {"input": x})[0]
    wrong = session(broken).run(["output"], {"input": x})[0]
    err = rel_error(wrong, right)
    ok = err > 1e-3
    print(f"  {'ok  ' if ok else 'FAIL'} control: swapped LSTM gates give relative error {err:.2e} (must exceed 1e-3)", flush=True)
    if not ok:
        failures.append(f"control: swapped gates only {err:.2e} off")


def check_states(label, sess, features, rng):
    """Initial-state inputs and final-state outputs: running x1 then x2 from x1's final states
    must equal running x1 + x2 in one go (every output and final state)."""
    outs = [o.name for o in sess.get_outputs()]
    state_outputs = [n for n in outs if n.startswith("final_")]
    x1 = rng.normal(0, 1, (3, 9, features)).astype(np.float32)
    x2 = rng.normal(0, 1, (3, 6, features)).astype(np.float32)
    whole = dict(zip(outs, sess.run(outs, {"input": np.concatenate([x1, x2], axis=1)})))
    first = dict(zip(outs, sess.run(outs, {"input": x1})))
    feeds = {"input": x2}
    for n in state_outputs:
        feeds["initial_" + n[len("final_"):]] = first[n]
    second = dict(zip(outs, sess.run(outs, feeds)))
    for n in ["output"] + state_outputs:
        want, got = whole[n], second[n]
        if n == "output" and want.ndim == 3:
            want = want[:, -x2.shape[1]:, :]
        check(f"{label} carried states: {n}", got, want)


def check_forecast(rnn, label, model, data, work, setup_steps, horizon, change, with_features, calendar):
    """ONNX with the preparation in the graph against rnn forecast on the same data, for 7
    different ends of the series; batch 1 (each end) and 7 (all ends at once)."""
    print(f"{label}: {model}", flush=True)
    path = export(rnn, model, os.path.join(work, f"{label}.onnx"))
    sess = session(path)
    dates, values, temps = read_series(data)
    ends = [len(values) - 31 * k for k in range(7)]
    windows, wants = [], []
    for end in ends:
        cut = os.path.join(work, f"{label}-cut.csv")
        with open(data) as f:
            lines = f.readlines()
        with open(cut, "w") as f:
            f.writelines(lines[: end + 1])
        out = json.loads(run([rnn, "forecast", "--model", model, "--data", cut, "--steps", str(horizon),
                              "--out", os.path.join(work, f"{label}-forecast"), "--quiet", "--json"]))
        wants.append([p["value"] for p in out["forecast"]])
        rows = range(end - setup_steps, end)
        cols = [values[list(rows)]]
        if with_features:
            cols.append(temps[list(rows)])
        if calendar:
            wd = np.array([dates[r].isoweekday() - 1 for r in rows], dtype=np.float64)
            cols += [np.sin(2 * np.pi * wd / 7), np.cos(2 * np.pi * wd / 7)]
        windows.append(np.stack(cols, axis=-1))
    x = np.array(windows, dtype=np.float32)
    want = np.array(wants)
    for i in range(len(ends)):
        got = sess.run(["forecast"], {"series": x[i:i + 1]})[0]
        check(f"{label} batch 1 (series end {i})", got, want[i:i + 1])
    check(f"{label} batch 7", sess.run(["forecast"], {"series": x})[0], want)
    check(f"{label} batch 7, onnx.reference", ReferenceEvaluator(onnx.load(path)).run(["forecast"], {"series": x})[0], want)


def bench(rnn, model, work, lookback, windows=512, repeats=5):
    """The lab model, per window: ONNX Runtime (1 thread) against rnn predict (1 thread, then
    the default), at batch 1, 32 and all windows at once. Best of `repeats`."""
    path = export(rnn, model, os.path.join(work, "bench.onnx"), "--network-only")
    sess = session(path)
    x = np.random.default_rng(1).normal(0, 1, (windows, lookback, 1)).astype(np.float32)
    xin, yout = os.path.join(work, "bench-x.npy"), os.path.join(work, "bench-y.npy")
    np.save(xin, x)
    for batch in (1, 32, windows):
        def rnn_seconds(threads):
            env = dict(os.environ)
            if threads:
                env["RK_THREADS"] = str(threads)
            return min(json.loads(run([rnn, "predict", "--raw", "--model", model, "--input", xin, "--output", yout,
                                       "--batch-size", str(batch), "--json"], env=env))["seconds"] for _ in range(repeats))
        one, default = rnn_seconds(1), rnn_seconds(None)
        best_ort = math.inf
        for _ in range(repeats):
            start = time.perf_counter()
            for s in range(0, windows, batch):
                sess.run(["output"], {"input": x[s:s + batch]})
            best_ort = min(best_ort, time.perf_counter() - start)
        per = lambda sec: sec / windows * 1e6
        print(f"  batch {batch:4d}: rnn predict {per(one):8.1f} µs/window (1 thread), {per(default):8.1f} (default threads); "
              f"ONNX Runtime {per(best_ort):8.1f} µs/window (1 thread)", flush=True)


def main():
    rnn = os.path.abspath(sys.argv[1])
    print(f"onnx {onnx.__version__}, onnxruntime {ort.__version__}, numpy {np.__version__}", flush=True)
    with tempfile.TemporaryDirectory(prefix="rnn-onnx-") as work:
        data = os.path.join(work, "series.csv")
        write_series(data)
        lab_spec = "lstm:50:seq,dropout:0.2,lstm:50:seq,dropout:0.2,lstm:50,dropout:0.2,dense:1"
        lab = train(rnn, data, os.path.join(work, "lab"), lab_spec, 60)
        if "--bench" in sys.argv:
            bench(rnn, lab, work, 60)
            return 0
        lab_onnx = check_network(rnn, "lab-3xLSTM50", lab, work, [60, 5, 17], 1, state_check=True)
        check_control(work, lab_onnx, 60)
        gru = train(rnn, data, os.path.join(work, "gru"), "gru:16,dense:1", 20)
        check_network(rnn, "gru", gru, work, [20, 3, 41], 1, state_check=True)
        check_network(rnn, "gru-opset13", gru, work, [20], 1, extra=("--opset", "13"))
        check_network(rnn, "gru-opset21", gru, work, [20], 1, extra=("--opset", "21"))
        bi = train(rnn, data, os.path.join(work, "bilstm"), "bilstm:12:seq,bigru:6:sum,dense:1", 20)
        check_network(rnn, "bilstm-seq+bigru-sum", bi, work, [20, 4, 29], 1)
        srnn = train(rnn, data, os.path.join(work, "rnn-relu"), "rnn:16:seq:relu,rnn:8:relu,dense:1", 20)
        check_network(rnn, "stacked-simplernn-relu", srnn, work, [20, 2, 35], 1, state_check=True)
        conv = train(rnn, data, os.path.join(work, "conv"), "conv1d:8:3:d=2:relu,lstm:12,dense:1", 20)
        check_network(rnn, "conv1d+lstm", conv, work, [20], 1)
        seq = write_model_file(os.path.join(work, "seq-heads.safetensors"), [15, 3], [
            {"type": "Bidirectional", "merge": "sum", "layer": {"type": "SimpleRNN", "units": 6, "activation": "tanh", "return_sequences": True}},
            {"type": "Bidirectional", "merge": "concat", "layer": {"type": "LSTM", "units": 5, "return_sequences": True}},
            {"type": "GRU", "units": 7, "return_sequences": True},
            {"type": "Dense", "units": 6, "activation": "tanh"},
            {"type": "Dense", "units": 5, "activation": "sigmoid"},
            {"type": "Dense", "units": 4, "activation": "softmax"}], seed=3)
        check_network(rnn, "sequence-output-heads", seq, work, [15, 1, 26], 3)
        conv_seq = write_model_file(os.path.join(work, "conv-seq.safetensors"), [12, 2], [
            {"type": "Conv1D", "filters": 4, "kernel_size": 2, "activation": "tanh"},
            {"type": "Conv1D", "filters": 3, "kernel_size": 3, "dilation": 3, "activation": "sigmoid"},
            {"type": "Dense", "units": 2, "activation": "relu"}], seed=4)
        check_network(rnn, "conv-sequence", conv_seq, work, [12], 2)
        check_network(rnn, "conv-sequence-batch7", conv_seq, work, [12], 2, batches=(7,), extra=("--batch", "7"))
        mm = train(rnn, data, os.path.join(work, "fc-minmax"), "lstm:8,dense:1", 14,
                   "--column", "value", "--calendar", "weekday", "--scaler", "minmax")
        check_forecast(rnn, "forecast-minmax-calendar", mm, data, work, 14, 1, "none", False, True)
        diff = train(rnn, data, os.path.join(work, "fc-diff"), "gru:8,dense:3", 10,
                     "--column", "value", "--transform", "difference", "--direct", "--horizon", "3", "--scaler", "standard")
        check_forecast(rnn, "forecast-difference-direct3", diff, data, work, 11, 3, "difference", False, False)
        logr = train(rnn, data, os.path.join(work, "fc-logret"), "lstm:6,dense:1", 10,
                     "--column", "value", "--transform", "log-return")
        check_forecast(rnn, "forecast-log-return", logr, data, work, 11, 1, "log-return", False, False)
    if failures:
        print(f"{len(failures)} check(s) failed:", *failures, sep="\n  ")
        return 1
    print("all ONNX checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
