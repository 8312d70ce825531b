"""Optuna peer of `hpsearch bench search`: the same sweep (space, model, data, 30 trials x 8 epochs, batch 128) run
three times with Optuna: no pruning, MedianPruner and SuccessiveHalvingPruner; one JSON line per run.

Run by the bench with /usr/bin/python3 (Debian's python3-optuna and python3-torch) and OMP_WAIT_POLICY=PASSIVE.
The data file is the one `bench engine --peer torch` reads (same export, same splits).
"""
import argparse, json, math, time

import optuna
import torch
import torch.nn as nn

from torch_engine import evaluate, load, train_epoch


def mlp(classes, features, hidden, dropout):
    layers, width = [nn.Flatten()], features
    for h in hidden:
        layers += [nn.Linear(width, h), nn.ReLU(), nn.Dropout(dropout)]
        width = h
    net = nn.Sequential(*layers, nn.Linear(width, classes))
    for m in net.modules():
        if isinstance(m, nn.Linear):  # the service's init: "he"
            nn.init.kaiming_normal_(m.weight, nonlinearity="relu")
            nn.init.zeros_(m.bias)
    return net


def optimizer(name, net, lr, weight_decay):
    # As the built-in engine: weight decay on weights only, none on biases.
    groups = [{"params": [p for p in net.parameters() if p.dim() > 1], "weight_decay": weight_decay},
              {"params": [p for p in net.parameters() if p.dim() <= 1], "weight_decay": 0.0}]
    if name == "adam":
        return torch.optim.Adam(groups, lr=lr)
    return torch.optim.SGD(groups, lr=lr, momentum=0.9 if name == "momentum" else 0.0)


def pruner(kind):
    if kind == "median":  # the service's median rule: 3 startup trials, 1 warm-up epoch
        return optuna.pruners.MedianPruner(n_startup_trials=3, n_warmup_steps=1)
    if kind == "sha":  # the service's ASHA: min 1 epoch, reduction factor 3
        return optuna.pruners.SuccessiveHalvingPruner(min_resource=1, reduction_factor=3)
    return optuna.pruners.NopPruner()


def run(kind, args, data):
    (xtr, xva, _), (ytr, yva, _), classes = data
    epochs = {"n": 0}
    loss_fn = nn.CrossEntropyLoss()

    def objective(trial):
        lr = trial.suggest_float("lr", 1e-5, 1e-1, log=True)
        wd = trial.suggest_float("weightDecay", 1e-8, 1e-3, log=True)
        opt_name = trial.suggest_categorical("optimizer", ["sgd", "momentum", "adam"])
        dropout = trial.suggest_float("dropout", 0.0, 0.6)
        torch.manual_seed(args.seed * 1000 + trial.number)
        net = mlp(classes, xtr[0].numel(), [256, 256], dropout)
        opt = optimizer(opt_name, net, lr, wd)
        best = 0.0
        for epoch in range(1, args.epochs + 1):
            loss = train_epoch(net, opt, loss_fn, xtr, ytr, torch.randperm(len(ytr)), args.batch_size)
            epochs["n"] += 1
            if not math.isfinite(loss.item()):
                return float("nan")  # diverged: Optuna records a failed trial, the service a diverged one
            acc = evaluate(net, xva, yva)
            best = max(best, acc)
            trial.report(acc, epoch)
            if trial.should_prune():
                raise optuna.TrialPruned()
        return best  # a trial's value is its best epoch, as the service's (it keeps the best epoch's checkpoint)

    sampler = optuna.samplers.TPESampler(seed=args.seed) if args.sampler == "tpe" else optuna.samplers.RandomSampler(seed=args.seed)
    study = optuna.create_study(direction="maximize", sampler=sampler, pruner=pruner(kind))
    for params in args.configs or []:  # the service's own draws, in its trial order: the same 30 configurations
        study.enqueue_trial(params)
    t0 = time.perf_counter()
    study.optimize(objective, n_trials=args.trials)
    wall = time.perf_counter() - t0
    done = [t.value for t in study.trials if t.state == optuna.trial.TrialState.COMPLETE and t.value is not None and math.isfinite(t.value)]
    states = {}
    for t in study.trials:
        states[t.state.name.lower()] = states.get(t.state.name.lower(), 0) + 1
    return {
        "peer": "optuna-" + optuna.__version__, "torch": torch.__version__, "stopping": kind, "sampler": args.sampler,
        "bestValAccuracy": round(study.best_value, 4), "epochsTrained": epochs["n"], "epochsBudget": args.trials * args.epochs,
        "wallSeconds": round(wall, 1), "trials": states, "threads": args.threads, "sameConfigs": bool(args.configs),
        "meanCompletedValue": round(sum(done) / len(done), 4) if done else None,
    }


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", required=True)
    ap.add_argument("--runs", default="none,median,sha")
    ap.add_argument("--sampler", default="random", choices=["random", "tpe"])
    for a, d in (("--trials", 30), ("--epochs", 8), ("--batch-size", 128), ("--threads", 2), ("--seed", 42)):
        ap.add_argument(a, type=int, default=d)
    ap.add_argument("--configs", help="JSON file: a list of {lr, weightDecay, optimizer, dropout} to try in this order")
    args = ap.parse_args()
    if args.configs:
        with open(args.configs) as f:
            args.configs = json.load(f)
    torch.set_num_threads(args.threads)
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    data = load(args.data, 1, 28, 28)
    for kind in args.runs.split(","):
        print(json.dumps(run(kind, args, data)), flush=True)


if __name__ == "__main__":
    main()
