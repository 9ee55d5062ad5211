"""PyTorch peer of `rnn bench`: same configurations, same data, eager CPU training."""
import os
import sys

sys.path.insert(0, os.path.dirname(__file__))
import common  # noqa: E402

args = common.parse_args()
os.environ["OMP_NUM_THREADS"] = str(args.threads)
import numpy as np  # noqa: E402
import torch  # noqa: E402
from torch import nn  # noqa: E402

torch.set_num_threads(args.threads)
torch.manual_seed(0)


class Net(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        rnn = nn.LSTM if cfg["cell"] == "lstm" else nn.GRU
        self.layers = nn.ModuleList()
        size = 1
        for _ in range(cfg["layers"]):
            self.layers.append(rnn(size, cfg["units"], batch_first=True))
            size = cfg["units"]
        self.dropout = nn.Dropout(cfg["dropout"])
        self.head = nn.Linear(cfg["units"], 1)

    def forward(self, x):
        for layer in self.layers:
            x, _ = layer(x)
            x = self.dropout(x)
        return self.head(x[:, -1, :])


def bench(name):
    cfg = common.CONFIGS[name]
    x, y = common.load(args.data, name)
    x, y = torch.from_numpy(x), torch.from_numpy(y)
    model = Net(cfg)
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss_fn = nn.MSELoss()
    n, b = x.shape[0], cfg["batch"]
    gen = torch.Generator().manual_seed(0)

    def epoch():
        model.train()
        order = torch.randperm(n, generator=gen)
        for start in range(0, n, b):
            idx = order[start:start + b]
            opt.zero_grad(set_to_none=True)
            loss = loss_fn(model(x[idx]), y[idx])
            loss.backward()
            opt.step()

    seconds = common.median_epoch(epoch)

    def infer():
        model.eval()
        with torch.no_grad():
            for start in range(0, n, common.INFER_BATCH):
                model(x[start:start + common.INFER_BATCH])

    infer_seconds = common.median_epoch(infer)
    out = {"train_samples_per_s": n / seconds, "infer_samples_per_s": n / infer_seconds, "epoch_seconds": seconds}
    if name == "lab":
        model.eval()
        one = x[:1]

        def call():
            with torch.no_grad():
                model(one)

        out["predict1_ms"] = common.median_call_ms(call, common.PREDICT1_CALLS)
    return out


configs = args.config or list(common.CONFIGS)
result = {"framework": "pytorch", "version": torch.__version__, "threads": args.threads, "configs": {},
          "cpu_capability": torch.backends.cpu.get_cpu_capability()}
for name in configs:
    print(f"pytorch: {name}…", file=sys.stderr, flush=True)
    result["configs"][name] = bench(name)
if "lab" in result["configs"]:
    result["predict1_ms"] = result["configs"]["lab"].pop("predict1_ms")
common.emit(result)
