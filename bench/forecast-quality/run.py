#!/usr/bin/env python3
"""Forecast-quality table: the default `rnn train` (no --model) against linear_ar, the
classical baselines (ar_diff, ets) and the plain LSTM (lstm:32,dense:1), on real series of
several frequencies; 70/15/15 chronological split, one-step forecasts, test RMSE.

Usage: run.py RNN SHARED_DIR PUBLIC_CSV_DIR OUT_DIR [--series a,b] [--variants default,lstm,...]
  RNN             the rnn binary (build it with: swift build -c release --product rnn)
  SHARED_DIR      ../shared (data/nbp, data/pm10)
  PUBLIC_CSV_DIR  written by make_data.py (statsmodels datasets)
Writes OUT_DIR/results.json and OUT_DIR/table.md; every run's folder stays under OUT_DIR/runs."""
import json
import os
import subprocess
import sys
import time

SPLIT = ["--train", "0.7", "--validation", "0.15"]
TRAINING = ["--epochs", "50", "--early-stopping", "5"]


def series_list(shared, public):
    nbp = f"{shared}/data/nbp"
    pm10 = f"{shared}/data/pm10/krakow-zloty-rog-pm10-1h.csv"
    return {
        "USD/PLN (NBP, business days)": ["--data", nbp, "--column", "USD"],
        "EUR/PLN (NBP, business days)": ["--data", nbp, "--column", "EUR"],
        "CHF/PLN (NBP, business days)": ["--data", nbp, "--column", "CHF"],
        "PM10 Złoty Róg daily": ["--data", pm10, "--resample", "daily", "--fill-gaps", "3"],
        "PM10 Złoty Róg hourly (2024)": ["--data", pm10, "--from", "2024-01-01", "--fill-gaps", "3"],
        "CO2 Mauna Loa weekly": ["--data", f"{public}/co2-weekly.csv", "--fill-gaps", "3"],
        "El Niño SST monthly": ["--data", f"{public}/elnino-monthly.csv"],
        "US real GDP quarterly": ["--data", f"{public}/usgdp-quarterly.csv"],
        "Sunspots yearly": ["--data", f"{public}/sunspots-yearly.csv"],
        "Nile flow yearly": ["--data", f"{public}/nile-yearly.csv"],
    }


# Each variant: extra arguments (the lookback is the default model's, passed to the others).
VARIANTS = {
    "default": [],
    "lstm": ["--model", "lstm:32,dense:1"] + SPLIT + TRAINING,
    "ar": ["--model", "ar,lstm:32,dense:1"] + SPLIT + TRAINING,
    "ar_revin": ["--model", "ar,revin,lstm:32,dense:1"] + SPLIT + TRAINING,
    "revin": ["--model", "revin,lstm:32,dense:1"] + SPLIT + TRAINING,
    "ar_revin_auto": ["--model", "ar,revin,lstm:32,dense:1", "--transform", "auto"] + SPLIT + TRAINING,
    "arfrozen_revin_auto": ["--model", "ar:frozen,revin,lstm:32,dense:1", "--transform", "auto"] + SPLIT + TRAINING,
    "arfrozen_auto": ["--model", "ar:frozen,lstm:32,dense:1", "--transform", "auto"] + SPLIT + TRAINING,
    "ar_auto": ["--model", "ar,lstm:32,dense:1", "--transform", "auto"] + SPLIT + TRAINING,
    "default_p10": ["--early-stopping", "10"],
    "default_x3": ["--ensemble", "3"],
}


def run(rnn, args, out):
    os.makedirs(out, exist_ok=True)
    start = time.time()
    p = subprocess.run([rnn, "train", *args, "--out", out, "--progress", "none", "--quiet"], capture_output=True, text=True)
    if p.returncode != 0:
        print(f"  FAILED ({p.returncode}): {p.stderr.strip()[-400:]}", file=sys.stderr)
        return None
    with open(f"{out}/metrics.json") as f:
        m = json.load(f)
    m["wall_seconds"] = time.time() - start
    return m


def main():
    if len(sys.argv) < 5:
        sys.exit(__doc__)
    rnn, shared, public, out = sys.argv[1:5]
    opts = dict(zip(sys.argv[5::2], sys.argv[6::2]))
    all_series = series_list(shared, public)
    names = [n for n in all_series if "--series" not in opts or any(s.lower() in n.lower() for s in opts["--series"].split(","))]
    variants = opts.get("--variants", "default,lstm").split(",")
    results_path = f"{out}/results.json"
    results = json.load(open(results_path)) if os.path.exists(results_path) else {}
    for name in names:
        slug = "".join(c if c.isalnum() else "-" for c in name.lower()).strip("-")
        results.setdefault(name, {})
        lookback = None
        for v in ["default"] + [v for v in variants if v != "default"]:
            if v not in variants and v != "default":
                continue
            if v == "default" and "default" not in variants and results[name].get("default"):
                lookback = results[name]["default"]["lookback"]
                continue
            args = all_series[name] + VARIANTS[v] + (["--lookback", str(lookback)] if lookback and v != "default" else [])
            print(f"{name}: {v} …", file=sys.stderr, flush=True)
            m = run(rnn, args, f"{out}/runs/{slug}/{v}")
            if m is None:
                continue
            if v == "default":
                lookback = m["lookback"]
            results[name][v] = m
            tmp = results_path + ".tmp"
            with open(tmp, "w") as f:
                json.dump(results, f, indent=1, sort_keys=True)
            os.replace(tmp, results_path)
    write_table(results, variants, f"{out}/table.md")


def write_table(results, variants, path):
    extra = [v for v in variants if v not in ("default", "lstm")]
    head = ["series", "calendar (period)", "test n", "default", "linear_ar", "ar_diff", "ets", "best classical",
            "lstm:32,dense:1"] + extra + ["default / linear_ar", "default vs best", "train s default / lstm"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    wins = within = count = 0
    for name, r in results.items():
        d = r.get("default")
        if not d:
            continue
        t = d["test"]
        rm = lambda k: t.get(k, {}).get("rmse")
        classical = {k: v["rmse"] for k, v in t.items() if k != "model"}
        best_name = min(classical, key=classical.get)
        best = classical[best_name]
        model = rm("model")
        ratio = model / rm("linear_ar")
        count += 1
        wins += model < best
        within += ratio <= 1.02
        lstm = r.get("lstm")
        fmt = lambda x: "–" if x is None else f"{x:.4g}"
        row = [name, f"{d['frequency']} ({d['seasonal_period']})", str(t["model"]["count"]), fmt(model), fmt(rm("linear_ar")),
               fmt(rm("ar_diff")), fmt(rm("ets")), f"{fmt(best)} ({best_name})",
               fmt(lstm["test"]["model"]["rmse"]) if lstm else "–"]
        row += [fmt(r[v]["test"]["model"]["rmse"]) if r.get(v) else "–" for v in extra]
        row += [f"{ratio:.3f}", "beats" if model < best else f"+{100 * (model / best - 1):.1f} %",
                f"{d['train_seconds']:.1f} / {lstm['train_seconds']:.1f}" if lstm else f"{d['train_seconds']:.1f} / –"]
        lines.append("| " + " | ".join(row) + " |")
    lines.append("")
    lines.append(f"Default within 2 % of linear_ar (or better): {within} of {count}; beats the best classical baseline: {wins} of {count}.")
    tmp = path + ".tmp"
    with open(tmp, "w") as f:
        f.write("\n".join(lines) + "\n")
    os.replace(tmp, path)
    print("\n".join(lines))


if __name__ == "__main__":
    main()
