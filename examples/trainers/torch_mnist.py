#!/usr/bin/python3
"""An HpSearch command trainer for GPU nodes: an MLP on MNIST-style data with PyTorch.

Protocol (docs/rest-api.md, "Command trainers"): parameters arrive as JSON in HPSEARCH_PARAMS (and as arguments if the
operator's template passes them), the epoch budget in HPSEARCH_MAX_EPOCHS, the seed in HPSEARCH_SEED; one JSON object per
epoch goes to stdout. Everything else (progress, warnings) goes to stderr. The worker stops a pruned run with SIGTERM.

Data: `--data DIR` with the four MNIST IDX files (train-images-idx3-ubyte, train-labels-idx1-ubyte, optionally gzipped);
without it, a small synthetic MNIST-shaped set, so the script can be smoke-tested anywhere.
Parameters understood: lr, weightDecay, hidden (int or list), dropout, optimizer (sgd|momentum|adam|adamw), batchSize.
"""
import argparse
import gzip
import json
import os
import sys
import time

import torch
from torch import nn


def read_idx(path):
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as f:
        data = f.read()
    dims = data[3]
    shape = [int.from_bytes(data[4 + 4 * i: 8 + 4 * i], "big") for i in range(dims)]
    return torch.frombuffer(bytearray(data[4 + 4 * dims:]), dtype=torch.uint8).reshape(shape)


def find(folder, stem):
    for name in (stem, stem + ".gz"):
        if os.path.exists(os.path.join(folder, name)):
            return os.path.join(folder, name)
    raise FileNotFoundError(f"{stem} not found in {folder}")


def load(folder, generator):
    if folder:
        x = read_idx(find(folder, "train-images-idx3-ubyte")).float().div(255).flatten(1)
        y = read_idx(find(folder, "train-labels-idx1-ubyte")).long()
    else:
        # Ten noisy class prototypes in 784 dimensions: learnable, MNIST-shaped, no download.
        centers = torch.rand(10, 784, generator=generator)
        y = torch.randint(0, 10, (6000,), generator=generator)
        x = (centers[y] + 1.5 * torch.randn(6000, 784, generator=generator)).clamp(0, 1)
    perm = torch.randperm(len(y), generator=generator)
    x, y = x[perm], y[perm]
    n_val = len(y) // 6  # a fixed, seeded validation split: hyperparameters are chosen on it, never on test data
    return (x[n_val:], y[n_val:]), (x[:n_val], y[:n_val])


def model_for(params):
    hidden = params.get("hidden", [256, 256])
    hidden = [hidden] if isinstance(hidden, int) else list(hidden)
    layers, width = [], 784
    for h in hidden:
        layers += [nn.Linear(width, int(h)), nn.ReLU(), nn.Dropout(float(params.get("dropout", 0.0)))]
        width = int(h)
    layers.append(nn.Linear(width, 10))
    return nn.Sequential(*layers)


def optimizer_for(params, model):
    lr = float(params.get("lr", 1e-3))
    wd = float(params.get("weightDecay", 0.0))
    kind = params.get("optimizer", "adam")
    if kind == "sgd":
        return torch.optim.SGD(model.parameters(), lr=lr, weight_decay=wd)
    if kind == "momentum":
        return torch.optim.SGD(model.parameters(), lr=lr, momentum=0.9, weight_decay=wd)
    if kind == "adamw":
        return torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=wd)
    return torch.optim.Adam(model.parameters(), lr=lr, weight_decay=wd)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", default=os.environ.get("MNIST_DIR"))
    args = parser.parse_args()

    params = json.loads(os.environ.get("HPSEARCH_PARAMS", "{}"))
    epochs = int(os.environ.get("HPSEARCH_MAX_EPOCHS", "10"))
    seed = int(os.environ.get("HPSEARCH_SEED", "0"))
    torch.manual_seed(seed)
    generator = torch.Generator().manual_seed(seed)
    # The worker sets CUDA_VISIBLE_DEVICES to this slot's GPU, so "cuda" is always device 0 here.
    device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
    print(f"training on {device} with {params}", file=sys.stderr, flush=True)

    (train_x, train_y), (val_x, val_y) = load(args.data, generator)
    train_x, train_y, val_x, val_y = (t.to(device) for t in (train_x, train_y, val_x, val_y))
    model = model_for(params).to(device)
    optimizer = optimizer_for(params, model)
    loss_fn = nn.CrossEntropyLoss()
    batch = int(params.get("batchSize", 128))

    for epoch in range(1, epochs + 1):
        started = time.time()
        model.train()
        total, count = 0.0, 0
        order = torch.randperm(len(train_y), generator=generator).to(device)
        for i in range(0, len(order), batch):
            idx = order[i:i + batch]
            optimizer.zero_grad()
            loss = loss_fn(model(train_x[idx]), train_y[idx])
            loss.backward()
            optimizer.step()
            total += loss.item() * len(idx)
            count += len(idx)
        model.eval()
        with torch.no_grad():
            logits = model(val_x)
            val_loss = loss_fn(logits, val_y).item()
            val_acc = (logits.argmax(1) == val_y).float().mean().item()
        # NaN/Infinity print as Python's literals; the worker reads them and ends the trial as diverged.
        print(json.dumps({"epoch": epoch, "trainLoss": total / count, "valLoss": val_loss, "valAccuracy": val_acc,
                          "lr": optimizer.param_groups[0]["lr"], "seconds": time.time() - started}), flush=True)


if __name__ == "__main__":
    main()
