"""Keras 3 (TensorFlow backend) peer of `rnn bench`: same configurations, same data."""
import os
import sys

sys.path.insert(0, os.path.dirname(__file__))
import common  # noqa: E402

args = common.parse_args()
os.environ["KERAS_BACKEND"] = "tensorflow"
os.environ["TF_CPP_MIN_LOG_LEVEL"] = "2"
os.environ["OMP_NUM_THREADS"] = str(args.threads)
import statistics  # noqa: E402
import time  # noqa: E402

import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402

tf.config.threading.set_intra_op_parallelism_threads(args.threads)
tf.config.threading.set_inter_op_parallelism_threads(args.threads)
import keras  # noqa: E402

keras.utils.set_random_seed(0)


def build(cfg):
    rnn = keras.layers.LSTM if cfg["cell"] == "lstm" else keras.layers.GRU
    layers = [keras.Input((cfg["lookback"], 1))]
    for i in range(cfg["layers"]):
        layers.append(rnn(cfg["units"], return_sequences=i < cfg["layers"] - 1))
        if cfg["dropout"] > 0:
            layers.append(keras.layers.Dropout(cfg["dropout"]))
    layers.append(keras.layers.Dense(1))
    model = keras.Sequential(layers)
    model.compile(optimizer=keras.optimizers.Adam(1e-3), loss="mse")
    return model


def bench(name):
    cfg = common.CONFIGS[name]
    x, y = common.load(args.data, name)
    model = build(cfg)
    n = x.shape[0]

    # One fit call for the warm-up and the timed epochs, timed per epoch by a callback, so
    # the figure is the epoch itself and not fit()'s per-call setup (data adapter, tracing).
    class EpochTimer(keras.callbacks.Callback):
        def __init__(self):
            super().__init__()
            self.seconds = []

        def on_epoch_begin(self, epoch, logs=None):
            self.start = time.perf_counter()

        def on_epoch_end(self, epoch, logs=None):
            self.seconds.append(time.perf_counter() - self.start)

    timer = EpochTimer()
    model.fit(x, y, batch_size=cfg["batch"], epochs=1 + common.TIMED_EPOCHS, shuffle=True, verbose=0, callbacks=[timer])
    seconds = statistics.median(timer.seconds[1:])

    def infer():
        model.predict(x, batch_size=common.INFER_BATCH, verbose=0)

    infer_seconds = common.median_epoch(infer)
    out = {"train_samples_per_s": n / seconds, "infer_samples_per_s": n / infer_seconds, "epoch_seconds": seconds}
    if name == "lab":
        one = x[:1]
        out["predict1_ms"] = common.median_call_ms(lambda: model.predict(one, verbose=0), 30)
    return out


configs = args.config or list(common.CONFIGS)
result = {"framework": "keras", "version": keras.__version__, "tensorflow": tf.__version__, "threads": args.threads, "configs": {}}
for name in configs:
    print(f"keras: {name}…", file=sys.stderr, flush=True)
    result["configs"][name] = bench(name)
if "lab" in result["configs"]:
    result["predict1_ms"] = result["configs"]["lab"].pop("predict1_ms")
common.emit(result)
