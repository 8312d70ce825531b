"""PyTorch peer of `hpsearch bench engine`: same model, data splits, batch size and optimizer; prints one JSON line.

Run by the bench with /usr/bin/python3 (Debian's python3-torch 1.13) and OMP_WAIT_POLICY=PASSIVE.
"""
import argparse, json, resource, time

import numpy as np
import torch
import torch.nn as nn


def load(path, channels, height, width):
    raw = np.fromfile(path, dtype=np.uint8)
    ntr, nva, nte, feat, classes = np.frombuffer(raw[:20].tobytes(), dtype="<i4")
    off = 20
    ys = []
    for n in (ntr, nva, nte):
        ys.append(torch.from_numpy(raw[off:off + n].astype(np.int64))); off += n
    xs = []
    for n in (ntr, nva, nte):
        x = torch.from_numpy(raw[off:off + n * feat].astype(np.float32) / 255.0).view(n, channels, height, width)
        xs.append(x); off += n * feat
    return xs, ys, int(classes)


def build(model, classes, channels, height, width):
    if model == "mlp":
        net = nn.Sequential(nn.Flatten(), nn.Linear(channels * height * width, 256), nn.ReLU(),
                            nn.Linear(256, 256), nn.ReLU(), nn.Linear(256, classes))
    else:
        net = nn.Sequential(nn.Conv2d(channels, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                            nn.Conv2d(32, 64, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(),
                            nn.Linear(64 * (height // 4) * (width // 4), 128), nn.ReLU(), nn.Linear(128, classes))
    for m in net.modules():
        if isinstance(m, (nn.Linear, nn.Conv2d)):
            nn.init.kaiming_normal_(m.weight, nonlinearity="relu")
            nn.init.zeros_(m.bias)
    return net


def train_epoch(net, opt, loss_fn, x, y, perm, batch_size):
    """One epoch of mini-batches in the order of perm; returns the last batch's loss."""
    for i in range(0, len(y), batch_size):
        idx = perm[i:i + batch_size]
        opt.zero_grad(set_to_none=True)
        loss = loss_fn(net(x[idx]), y[idx])
        loss.backward()
        opt.step()
    return loss


@torch.no_grad()
def evaluate(net, x, y):
    net.eval()
    correct = 0
    for i in range(0, len(y), 1000):
        correct += (net(x[i:i + 1000]).argmax(1) == y[i:i + 1000]).sum().item()
    net.train()
    return correct / len(y)


def peak_rss_mb():
    # VmHWM belongs to this process's own address space; ru_maxrss would also count the parent's (the bench's)
    # high-water mark, which Linux carries across fork + exec.
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return round(int(line.split()[1]) / 1024, 1)
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def main():
    ap = argparse.ArgumentParser()
    for a in ("--data", "--model"):
        ap.add_argument(a, required=True)
    for a, d in (("--batch-size", 128), ("--epochs", 2), ("--threads", 2), ("--seed", 1), ("--height", 28), ("--width", 28), ("--channels", 1)):
        ap.add_argument(a, type=int, default=d)
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    (xtr, xva, xte), (ytr, yva, yte), classes = load(args.data, args.channels, args.height, args.width)
    net = build(args.model, classes, args.channels, args.height, args.width)
    opt = torch.optim.Adam(net.parameters(), lr=1e-3)
    loss_fn = nn.CrossEntropyLoss()
    train_seconds = 0.0
    for _ in range(args.epochs):
        perm = torch.randperm(len(ytr))
        t0 = time.perf_counter()
        loss = train_epoch(net, opt, loss_fn, xtr, ytr, perm, args.batch_size)
        train_seconds += time.perf_counter() - t0
    print(json.dumps({
        "impl": "pytorch-" + torch.__version__, "model": args.model, "batchSize": args.batch_size, "epochs": args.epochs,
        "threads": args.threads, "gemm": "torch-cpu (" + torch.backends.cpu.get_cpu_capability() + ")" if hasattr(torch.backends, "cpu") else "torch-cpu",
        "trainSamplesPerSec": round(len(ytr) * args.epochs / train_seconds), "trainLoss": round(loss.item(), 4),
        "valAccuracy": round(evaluate(net, xva, yva), 4), "testAccuracy": round(evaluate(net, xte, yte), 4),
        "peakRssMb": peak_rss_mb(), "trainSeconds": round(train_seconds, 2),
    }))


if __name__ == "__main__":
    main()
