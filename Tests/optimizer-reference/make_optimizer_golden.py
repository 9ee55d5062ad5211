"""Writes optimizer_trajectories.json: ten optimizer steps on a small LSTM, in PyTorch and in Keras 3.

    python Tests/optimizer-reference/make_optimizer_golden.py            # both frameworks, writes the JSON beside this file
    python Tests/optimizer-reference/make_optimizer_golden.py --check    # regenerates and compares with the committed file

Needs numpy, torch and keras 3 with the tensorflow backend (e.g. /work/venv-bench/bin/python).
Each framework runs in its own child process (importing torch and tensorflow together aborts).

The model (float64 throughout): an LSTM with input 3 and hidden 4 whose last hidden state feeds a
Linear 4 -> 1, on a batch of 3 sequences of 5 steps, trained on the mean squared error against
fixed targets. Initial weights, inputs and targets come from numpy's seeded generator, so both
frameworks start from the same numbers. Parameters carry the names of `Sequential.namedParameters`,
which are PyTorch's (`layers.0.weight_ih_l0`, `layers.1.weight`, ...).

Keras runs the same LSTM written with keras.ops (its LSTM layer has one bias where PyTorch has two,
which would change the trajectory), so the two runs differ only in the optimizer's formulas.
See README.md beside this file for which formulas differ and which one the Swift optimizers follow.
"""
import argparse
import json
import os
import subprocess
import sys

import numpy as np

SEED = 2024
INPUT, HIDDEN, BATCH, STEPS, OPT_STEPS = 3, 4, 3, 5, 10
HERE = os.path.dirname(os.path.abspath(__file__))
OUTPUT = os.path.join(HERE, "optimizer_trajectories.json")

# Each case: the optimizer, its hyper-parameters in the Swift initializer's terms, and `l2`, the
# penalty λ·Σ w² over weights (not biases) added to the loss, as `FitOptions.l2` does.
# Every hyper-parameter is a binary fraction (exact in Float32): the Swift optimizers take Float
# settings, and Keras rounds some settings to float32 even in float64 training (`ops.cast` of a
# Python float goes through float32: SGD's momentum, Adam's betas in the bias correction).
CASES = [
    {"name": "sgd_momentum_l2", "optimizer": "SGD",
     "hyperparameters": {"learning_rate": 0.0625, "momentum": 0.875, "nesterov": False}, "l2": 0.0078125},
    {"name": "sgd_nesterov", "optimizer": "SGD",
     "hyperparameters": {"learning_rate": 0.0625, "momentum": 0.75, "nesterov": True}, "l2": 0.0},
    {"name": "rmsprop_centered_momentum", "optimizer": "RMSprop",
     "hyperparameters": {"learning_rate": 0.015625, "rho": 0.875, "momentum": 0.5, "epsilon": 2.0 ** -13,
                         "centered": True}, "l2": 0.0},
    {"name": "rmsprop_plain", "optimizer": "RMSprop",
     "hyperparameters": {"learning_rate": 0.0078125, "rho": 0.90625, "momentum": 0.0, "epsilon": 2.0 ** -23,
                         "centered": False}, "l2": 0.0},
    {"name": "adam", "optimizer": "Adam",
     "hyperparameters": {"learning_rate": 0.015625, "beta_1": 0.8125, "beta_2": 0.96875, "epsilon": 2.0 ** -10},
     "l2": 0.0},
    {"name": "adamw", "optimizer": "AdamW",
     "hyperparameters": {"learning_rate": 0.015625, "beta_1": 0.875, "beta_2": 0.9921875, "epsilon": 2.0 ** -10,
                         "weight_decay": 0.5}, "l2": 0.0},
]

# Frameworks whose trajectories agree within this (max abs, float64) are said to share a formula.
AGREE = 1e-12


def runs():
    """The cases, plus each one with an epsilon rerun with epsilon 0 (`name@epsilon0`): where the two
    frameworks differ only in where epsilon enters, they agree again without it."""
    out = list(CASES)
    for case in CASES:
        if "epsilon" in case["hyperparameters"]:
            variant = dict(case, name=case["name"] + "@epsilon0")
            variant["hyperparameters"] = dict(case["hyperparameters"], epsilon=0.0)
            out.append(variant)
    return out


def initial_problem():
    """Initial weights (PyTorch layout and names), inputs x [B, T, I] and targets y [B, 1]."""
    rng = np.random.default_rng(SEED)
    k = 1 / np.sqrt(HIDDEN)
    weights = {
        "layers.0.weight_ih_l0": rng.uniform(-k, k, (4 * HIDDEN, INPUT)),
        "layers.0.weight_hh_l0": rng.uniform(-k, k, (4 * HIDDEN, HIDDEN)),
        "layers.0.bias_ih_l0": rng.uniform(-k, k, (4 * HIDDEN,)),
        "layers.0.bias_hh_l0": rng.uniform(-k, k, (4 * HIDDEN,)),
        "layers.1.weight": rng.uniform(-k, k, (1, HIDDEN)),
        "layers.1.bias": rng.uniform(-k, k, (1,)),
    }
    x = rng.uniform(-1, 1, (BATCH, STEPS, INPUT))
    y = rng.uniform(-1, 1, (BATCH, 1))
    return weights, x, y


def is_penalized(name):
    """Weights shrink under L2 and decoupled decay; biases do not (`Parameter.isPenalized`)."""
    return "bias" not in name.rsplit(".", 1)[-1]


def run_torch():
    import torch

    torch.set_default_dtype(torch.float64)
    weights, x, y = initial_problem()

    class Model(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.layers = torch.nn.ModuleList([torch.nn.LSTM(INPUT, HIDDEN, batch_first=True),
                                               torch.nn.Linear(HIDDEN, 1)])

        def forward(self, x):
            out, _ = self.layers[0](x)
            return self.layers[1](out[:, -1, :])

    def make_optimizer(case, model):
        hp = case["hyperparameters"]
        named = list(model.named_parameters())
        decayed = [p for n, p in named if is_penalized(n)]
        other = [p for n, p in named if not is_penalized(n)]
        kind = case["optimizer"]
        if kind == "SGD":
            # Coupled L2: weight_decay adds wd·w to the gradient, the gradient of (wd/2)·Σ w².
            wd = 2 * case["l2"]
            groups = [{"params": decayed, "weight_decay": wd}, {"params": other, "weight_decay": 0.0}]
            return torch.optim.SGD(groups, lr=hp["learning_rate"], momentum=hp["momentum"], nesterov=hp["nesterov"])
        if kind == "RMSprop":
            return torch.optim.RMSprop(model.parameters(), lr=hp["learning_rate"], alpha=hp["rho"], eps=hp["epsilon"],
                                       momentum=hp["momentum"], centered=hp["centered"])
        if kind == "Adam":
            return torch.optim.Adam(model.parameters(), lr=hp["learning_rate"], betas=(hp["beta_1"], hp["beta_2"]),
                                    eps=hp["epsilon"])
        if kind == "AdamW":
            groups = [{"params": decayed, "weight_decay": hp["weight_decay"]}, {"params": other, "weight_decay": 0.0}]
            return torch.optim.AdamW(groups, lr=hp["learning_rate"], betas=(hp["beta_1"], hp["beta_2"]),
                                     eps=hp["epsilon"])
        raise ValueError(kind)

    xt, yt = torch.tensor(x), torch.tensor(y)
    results = {}
    for case in runs():
        model = Model()
        with torch.no_grad():
            for name, p in model.named_parameters():
                p.copy_(torch.tensor(weights[name]))
        assert sorted(n for n, _ in model.named_parameters()) == sorted(weights)
        optimizer = make_optimizer(case, model)
        trajectory, losses = [], []
        for _ in range(OPT_STEPS):
            optimizer.zero_grad()
            loss = torch.mean((model(xt) - yt) ** 2)
            losses.append(loss.item())
            loss.backward()
            optimizer.step()
            trajectory.append({n: p.detach().numpy().tolist() for n, p in model.named_parameters()})
        results[case["name"]] = {"losses": losses, "trajectory": trajectory}
    return {"framework": "torch", "version": torch.__version__, "results": results}


def run_keras():
    os.environ["KERAS_BACKEND"] = "tensorflow"
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    import keras
    import tensorflow as tf
    from keras import ops

    keras.config.set_floatx("float64")
    weights, x, y = initial_problem()
    xt, yt = tf.constant(x), tf.constant(y)
    order = list(weights)

    def forward(v):
        w_ih, w_hh, b_ih, b_hh, w, b = (v[n] for n in order)
        h = ops.zeros((BATCH, HIDDEN), dtype="float64")
        c = ops.zeros((BATCH, HIDDEN), dtype="float64")
        for t in range(STEPS):
            z = ops.matmul(xt[:, t, :], ops.transpose(w_ih)) + b_ih + ops.matmul(h, ops.transpose(w_hh)) + b_hh
            i, f, g, o = (z[:, k * HIDDEN:(k + 1) * HIDDEN] for k in range(4))  # PyTorch's gate order
            c = ops.sigmoid(f) * c + ops.sigmoid(i) * ops.tanh(g)
            h = ops.sigmoid(o) * ops.tanh(c)
        return ops.matmul(h, ops.transpose(w)) + b

    def make_optimizer(case):
        hp = case["hyperparameters"]
        kind = case["optimizer"]
        if kind == "SGD":
            return keras.optimizers.SGD(learning_rate=hp["learning_rate"], momentum=hp["momentum"],
                                        nesterov=hp["nesterov"])
        if kind == "RMSprop":
            return keras.optimizers.RMSprop(learning_rate=hp["learning_rate"], rho=hp["rho"], momentum=hp["momentum"],
                                            epsilon=hp["epsilon"], centered=hp["centered"])
        if kind == "Adam":
            return keras.optimizers.Adam(learning_rate=hp["learning_rate"], beta_1=hp["beta_1"], beta_2=hp["beta_2"],
                                         epsilon=hp["epsilon"])
        if kind == "AdamW":
            opt = keras.optimizers.AdamW(learning_rate=hp["learning_rate"], weight_decay=hp["weight_decay"],
                                         beta_1=hp["beta_1"], beta_2=hp["beta_2"], epsilon=hp["epsilon"])
            opt.exclude_from_weight_decay(var_names=["bias"])
            return opt
        raise ValueError(kind)

    results = {}
    for case in runs():
        # Keras names may not contain dots; the map back to PyTorch's names is `order`.
        variables = {n: keras.Variable(weights[n], dtype="float64", name=n.replace(".", "_")) for n in order}
        var_list = [variables[n] for n in order]
        optimizer = make_optimizer(case)
        trajectory, losses = [], []
        for _ in range(OPT_STEPS):
            with tf.GradientTape() as tape:
                mse = ops.mean((forward(variables) - yt) ** 2)
                # Keras's L2 is a penalty in the loss (kernel_regularizer), not an optimizer option.
                penalty = sum(ops.sum(variables[n] ** 2) for n in order if is_penalized(n))
                loss = mse + case["l2"] * penalty
            losses.append(float(mse))
            grads = tape.gradient(loss, var_list)
            optimizer.apply_gradients(zip(grads, var_list))
            trajectory.append({n: np.asarray(variables[n].numpy()).tolist() for n in order})
        results[case["name"]] = {"losses": losses, "trajectory": trajectory}
    return {"framework": "keras", "version": f"keras {keras.__version__}, tensorflow {tf.__version__}",
            "results": results}


def tensor(values):
    array = np.asarray(values, dtype=np.float64)
    return {"shape": list(array.shape), "data": array.tolist()}


def child(framework):
    """Runs one framework in a fresh interpreter and returns its JSON result."""
    done = subprocess.run([sys.executable, os.path.abspath(__file__), "--framework", framework],
                          check=True, capture_output=True, text=True)
    return json.loads(done.stdout)


def max_difference(a, b):
    return max(float(np.max(np.abs(np.asarray(a[n]) - np.asarray(b[n])))) for n in a)


def build_golden():
    torch_run, keras_run = child("torch"), child("keras")
    weights, x, y = initial_problem()
    cases = []
    for case in CASES:
        t, k = torch_run["results"][case["name"]], keras_run["results"][case["name"]]
        per_step = [max_difference(a, b) for a, b in zip(t["trajectory"], k["trajectory"])]
        agree = max(per_step) <= AGREE
        entry = dict(case)
        entry["frameworks_agree"] = agree
        entry["torch_vs_keras_max_abs_difference"] = per_step
        without = case["name"] + "@epsilon0"
        if without in torch_run["results"]:
            a, b = torch_run["results"][without], keras_run["results"][without]
            entry["torch_vs_keras_with_epsilon_0"] = max(max_difference(p, q)
                                                         for p, q in zip(a["trajectory"], b["trajectory"]))
        for name, run in (("torch", t), ("keras", k)):
            entry[name] = {"losses": run["losses"],
                           "trajectory": [{n: tensor(v) for n, v in step.items()} for step in run["trajectory"]]}
        cases.append(entry)
        verdict = "agree" if agree else "DIFFER"
        note = ""
        if "torch_vs_keras_with_epsilon_0" in entry:
            note = f"; with epsilon 0: {entry['torch_vs_keras_with_epsilon_0']:.3e}"
        print(f"{case['name']:28s} torch vs keras: {verdict}, max |diff| {max(per_step):.3e}{note}", file=sys.stderr)
    return {
        "generator": "Tests/optimizer-reference/make_optimizer_golden.py",
        "versions": {"torch": torch_run["version"], "keras": keras_run["version"], "numpy": np.__version__},
        "config": {"input_size": INPUT, "hidden_size": HIDDEN, "batch": BATCH, "seq_len": STEPS,
                   "optimizer_steps": OPT_STEPS, "seed": SEED, "dtype": "float64", "batch_first": True,
                   "model": "LSTM(3 -> 4, last hidden state) -> Linear(4 -> 1)",
                   "loss": "mean((prediction - y)^2) + l2 * sum of squared weights (not biases)"},
        "initial_weights": {n: tensor(v) for n, v in weights.items()},
        "x": tensor(x),
        "y": tensor(y),
        "cases": cases,
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--framework", choices=["torch", "keras"], help=argparse.SUPPRESS)
    parser.add_argument("--check", action="store_true", help="compare a fresh run with the committed file")
    parser.add_argument("--output", default=OUTPUT)
    args = parser.parse_args()
    if args.framework:
        json.dump(run_torch() if args.framework == "torch" else run_keras(), sys.stdout)
        return
    golden = build_golden()
    if args.check:
        with open(args.output) as f:
            committed = json.load(f)
        worst = 0.0
        for new, old in zip(golden["cases"], committed["cases"]):
            for framework in ("torch", "keras"):
                for a, b in zip(new[framework]["trajectory"], old[framework]["trajectory"]):
                    for n in a:
                        worst = max(worst, float(np.max(np.abs(np.asarray(a[n]["data"]) - np.asarray(b[n]["data"])))))
        print(f"fresh run vs {args.output}: max |diff| {worst:.3e}")
        sys.exit(0 if worst <= 1e-12 else 1)
    temporary = args.output + ".tmp"
    with open(temporary, "w") as f:
        json.dump(golden, f)
        f.write("\n")
    os.replace(temporary, args.output)
    print(f"wrote {args.output}", file=sys.stderr)


if __name__ == "__main__":
    main()
