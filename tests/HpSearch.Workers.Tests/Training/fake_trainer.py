#!/usr/bin/python3
"""A stand-in for a real training script that speaks the HpSearch command-trainer protocol with the standard library only.

Reads HPSEARCH_PARAMS (JSON) and HPSEARCH_MAX_EPOCHS, prints one JSON object per epoch on stdout. The curve is a
deterministic function of `lr`: the closer log10(lr) is to -2, the higher the accuracy. Modes (first argument):
  normal     train every epoch and exit 0
  fail       two epochs, a traceback on stderr, exit 3
  hang       one epoch, then silence
  malformed  a stray line between epochs
  nan        the loss becomes NaN at epoch 2
Options: --sleep SECONDS per epoch, --pidfile PATH (the process writes its pid), --ignore-term (survives SIGTERM).
"""
import json
import math
import os
import signal
import sys
import time


def main(argv):
    mode = argv[1] if len(argv) > 1 else "normal"
    sleep = 0.0
    pidfile = None
    ignore_term = False
    i = 2
    while i < len(argv):
        if argv[i] == "--sleep":
            sleep = float(argv[i + 1]); i += 2
        elif argv[i] == "--pidfile":
            pidfile = argv[i + 1]; i += 2
        elif argv[i] == "--ignore-term":
            ignore_term = True; i += 1
        else:
            i += 1
    if ignore_term:
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
    if pidfile:
        with open(pidfile, "w") as f:
            f.write(str(os.getpid()))

    params = json.loads(os.environ.get("HPSEARCH_PARAMS", "{}"))
    epochs = int(os.environ.get("HPSEARCH_MAX_EPOCHS", "3"))
    lr = float(params.get("lr", 0.01))
    quality = max(0.05, 1.0 - abs(math.log10(lr) + 2.0) / 4.0)
    print("starting with", json.dumps(params), file=sys.stderr, flush=True)

    for epoch in range(1, epochs + 1):
        if sleep:
            time.sleep(sleep)
        if mode == "hang" and epoch == 2:
            time.sleep(3600)
        if mode == "fail" and epoch == 3:
            print("Traceback (most recent call last):", file=sys.stderr)
            print("RuntimeError: CUDA out of memory (pretend)", file=sys.stderr, flush=True)
            return 3
        if mode == "malformed" and epoch == 2:
            print("loading batch 7 of 9", flush=True)
        acc = quality * (1.0 - 0.5 / epoch)
        loss = float("nan") if mode == "nan" and epoch == 2 else 2.3 * (1.0 - acc)
        line = {"epoch": epoch, "trainLoss": loss, "valLoss": loss * 1.1, "valAccuracy": acc, "lr": lr}
        if os.environ.get("CUDA_VISIBLE_DEVICES"):
            line["cudaDevice"] = int(os.environ["CUDA_VISIBLE_DEVICES"])
        print(json.dumps(line), flush=True)
    artifacts = os.environ.get("HPSEARCH_ARTIFACT_DIR")
    if artifacts:
        # What a real training script keeps: its weights and a log, plus a link the worker must not follow.
        with open(os.path.join(artifacts, "model.txt"), "w") as f:
            f.write(json.dumps({"lr": lr, "seed": os.environ.get("HPSEARCH_SEED")}))
        os.makedirs(os.path.join(artifacts, "logs"), exist_ok=True)
        with open(os.path.join(artifacts, "logs", "last epoch.json"), "w") as f:
            f.write(json.dumps(line))
        os.symlink("/etc/hostname", os.path.join(artifacts, "hostname-link"))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
