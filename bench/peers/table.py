"""Prints the comparison table (Markdown) from the JSON of rnn bench and the two peers."""
import argparse
import json


def load(path):
    with open(path) as f:
        return json.load(f)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("recurrent")
    p.add_argument("pytorch")
    p.add_argument("keras")
    p.add_argument("--threads", type=int, default=0)
    a = p.parse_args()
    ours, torch, keras = load(a.recurrent), load(a.pytorch), load(a.keras)

    def ratio(x, y):
        return f"{x / y:.2f}×" if x and y else "–"

    def num(v, digits=0):
        return "–" if v is None else f"{v:,.{digits}f}"

    isa = ours.get("isa") or ("avx2" if ours.get("avx2") else "portable")
    cpu = ours.get("cpu_model") or "unknown CPU"
    flags = " ".join(ours.get("cpu_flags", []))
    lines = [
        f"Recurrent kernels: **{isa}** on {cpu} [{flags}]; PyTorch CPU capability: "
        f"{torch.get('cpu_capability', 'not reported')}",
        "",
        f"Threads: {a.threads or ours.get('threads')} each; PyTorch {torch.get('version')}, "
        f"Keras {keras.get('version')} (TensorFlow {keras.get('tensorflow')}); "
        f"GEMM peak measured in the same run: {ours['gemm_peak_gflops']:.1f} GFLOP/s "
        f"({ours.get('gemm_peak_isa', isa)} kernels)",
        "",
        "| config | what | Recurrent | PyTorch | Keras | Recurrent / PyTorch | Recurrent / Keras |",
        "|---|---|---:|---:|---:|---:|---:|",
    ]
    order = [n for n in ("lab", "lstm64", "gru128") if n in ours["configs"]] + sorted(set(ours["configs"]) - {"lab", "lstm64", "gru128"})
    for name in order:
        r = ours["configs"][name]
        t = torch["configs"].get(name, {})
        k = keras["configs"].get(name, {})
        for key, label in (("train_samples_per_s", "training samples/s"), ("infer_samples_per_s", "inference samples/s")):
            lines.append(f"| {name} | {label} | {num(r.get(key))} | {num(t.get(key))} | {num(k.get(key))} | "
                         f"{ratio(r.get(key), t.get(key))} | {ratio(r.get(key), k.get(key))} |")
    if "predict1_ms" in ours:
        o, t, k = ours["predict1_ms"], torch.get("predict1_ms"), keras.get("predict1_ms")
        lines.append(f"| predict1 | ms per window (lower is better) | {o:.3f} | {num(t, 3)} | {num(k, 3)} | "
                     f"{ratio(t, o)} faster | {ratio(k, o)} faster |")
    lines += ["", f"| config | Recurrent GFLOP/s ({isa}) | share of GEMM peak | peak memory MiB | epoch s |", "|---|---:|---:|---:|---:|"]
    for name in order:
        r = ours["configs"][name]
        lines.append(f"| {name} | {r['gflops']:.1f} | {100 * r['peak_fraction']:.1f} % | {r.get('peak_memory_mib', 0):.0f} | {r.get('epoch_seconds', 0):.3f} |")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
