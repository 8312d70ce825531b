#!/usr/bin/python3
"""Times ask + E reports + tell round trips, one trial after another, for `bench asktell`.

  asktell_round_trips.py hpsearch URL KEY EXPERIMENT --trials N --epochs E
  asktell_round_trips.py optuna STORAGE_URL --trials N --epochs E
Both sides report the same curve and run a median rule on every report (the service's median stopping rule; Optuna's
MedianPruner, asked with should_prune after each report, as its docs show). Every trial reports the same rising curve
(ties go on under both rules), so the rule does its work on every report but prunes nothing, and every round trip is
exactly ask + E reports + tell. Prints one JSON object with the samples in ms.
"""
import argparse
import json
import math
import os
import sys
import time


def curve(x, epoch):
    # The parameter is sampled (the sampler's cost is part of ask) but does not move the curve: nothing may be pruned.
    return 0.9 - 0.5 / epoch


def run_hpsearch(url, key, experiment, trials, epochs):
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    from hpsearch_client import Client
    client = Client(url, key, client_host="bench")
    samples, pruned = [], 0
    for _ in range(trials):
        start = time.perf_counter()
        trial = client.ask(experiment)
        for epoch in range(1, epochs + 1):
            if trial.report(epoch, {"valAccuracy": curve(trial.params["x"], epoch)}):
                pruned += 1
                break
        trial.tell("completed")
        samples.append((time.perf_counter() - start) * 1000)
    return samples, pruned


def run_optuna(storage, trials, epochs):
    import optuna
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    study = optuna.create_study(storage=storage, study_name=f"bench-{os.getpid()}-{time.time_ns()}", direction="maximize",
                                sampler=optuna.samplers.RandomSampler(seed=1),
                                pruner=optuna.pruners.MedianPruner(n_startup_trials=2, n_warmup_steps=1))
    samples, pruned = [], 0
    for _ in range(trials):
        start = time.perf_counter()
        trial = study.ask()
        x = trial.suggest_float("x", 0.0, 1.0)
        value = None
        for epoch in range(1, epochs + 1):
            value = curve(x, epoch)
            trial.report(value, epoch)
            if trial.should_prune():
                pruned += 1
                break
        study.tell(trial, value)
        samples.append((time.perf_counter() - start) * 1000)
    return samples, pruned, optuna.__version__


def main():
    p = argparse.ArgumentParser()
    p.add_argument("system")
    p.add_argument("target", nargs="+")
    p.add_argument("--trials", type=int, default=200)
    p.add_argument("--epochs", type=int, default=10)
    a = p.parse_args()
    if a.system == "hpsearch":
        samples, pruned = run_hpsearch(*a.target, a.trials, a.epochs)
        print(json.dumps({"samplesMs": samples, "pruned": pruned}))
    else:
        samples, pruned, version = run_optuna(a.target[0], a.trials, a.epochs)
        print(json.dumps({"samplesMs": samples, "pruned": pruned, "version": version}))


if __name__ == "__main__":
    main()
