#!/usr/bin/python3
"""Tunes a small PyTorch MLP with HpSearch's ask/tell: this script trains, the service samples and prunes.

    /usr/bin/python3 examples/tune_pytorch.py --url http://127.0.0.1:5080 --key "$(cat .data/api-key)" [--trials 12]

Debian's python3-torch is enough (no other package). The data is a seeded synthetic 10-class problem made here, so the
example runs anywhere in seconds; put your own DataLoader in `load_data`. Each epoch's validation accuracy goes to the
service, which answers whether to go on (ASHA prunes the weak trials at its rungs).
"""
import argparse
import os
import sys

import torch
from torch import nn

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from hpsearch_client import Client  # noqa: E402

SPEC = {
    "name": "pytorch-mlp-ask-tell",
    "trainer": "external",
    "dataset": "synthetic-10-class",
    "searchSpace": {
        "lr": {"type": "logUniform", "low": 1e-4, "high": 1e-1},
        "weightDecay": {"type": "logUniform", "low": 1e-6, "high": 1e-2},
        "hidden": {"type": "categorical", "values": [32, 64, 128]},
        "optimizer": {"type": "categorical", "values": ["sgd", "adam"]},
    },
    "objective": {"metric": "valAccuracy", "direction": "maximize"},
    "strategy": {"kind": "random", "seed": 42},
    "budget": {"maxTrials": 12, "maxEpochs": 9, "parallelism": 2},
    "earlyStopping": {"kind": "asha", "minEpochs": 1, "reductionFactor": 3},
}


def load_data(seed=0, n=3000, features=20, classes=10):
    g = torch.Generator().manual_seed(seed)
    centers = torch.randn(classes, features, generator=g) * 1.5
    y = torch.randint(0, classes, (n,), generator=g)
    x = centers[y] + torch.randn(n, features, generator=g) * 2.0
    split = int(n * 0.8)
    return (x[:split], y[:split]), (x[split:], y[split:])


def objective(trial):
    torch.manual_seed(trial.seed)  # every random draw of the trial from its seed: a re-offered attempt redoes the same run
    (xt, yt), (xv, yv) = load_data()
    p = trial.params
    model = nn.Sequential(nn.Linear(xt.shape[1], int(p["hidden"])), nn.ReLU(), nn.Linear(int(p["hidden"]), 10))
    make = torch.optim.Adam if p["optimizer"] == "adam" else torch.optim.SGD
    opt = make(model.parameters(), lr=p["lr"], weight_decay=p["weightDecay"])
    loss_fn = nn.CrossEntropyLoss()
    for epoch in range(1, trial.max_epochs + 1):
        model.train()
        perm = torch.randperm(len(xt))
        for i in range(0, len(xt), 64):
            idx = perm[i:i + 64]
            opt.zero_grad()
            loss = loss_fn(model(xt[idx]), yt[idx])
            loss.backward()
            opt.step()
        model.eval()
        with torch.no_grad():
            out = model(xv)
            val_loss = loss_fn(out, yv).item()
            val_acc = (out.argmax(1) == yv).float().mean().item()
        if trial.report(epoch, {"trainLoss": loss.item(), "valLoss": val_loss, "valAccuracy": val_acc}):
            print(f"trial {trial.number} pruned at epoch {epoch}: {trial.stop_reason['message'] if trial.stop_reason else trial.decision}")
            return None
    print(f"trial {trial.number} done: valAccuracy {val_acc:.3f} with {p}")
    return val_acc


def main():
    a = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    a.add_argument("--url", default="http://127.0.0.1:5080")
    a.add_argument("--key", default=os.environ.get("HPSEARCH_API_KEY", ""))
    a.add_argument("--experiment", help="join an experiment another client created (many machines, one sweep)")
    a.add_argument("--trials", type=int, help="stop after this many trials here (default: until the sweep is done)")
    args = a.parse_args()
    client = Client(args.url, args.key)
    if args.experiment:
        client.experiment_id = args.experiment
    else:
        print("experiment", client.create_experiment(SPEC)["id"])
    client.optimize(objective, n_trials=args.trials)
    best = client.experiment().get("bestTrial")
    if best:
        print(f"best: trial {best['number']} valAccuracy {best['bestValue']:.3f} params {best['params']}")


if __name__ == "__main__":
    main()
