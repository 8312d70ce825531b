#!/usr/bin/python3
"""An ask/tell client for the end-to-end tests, on the hpsearch_client package (standard library only).

  asktell_client.py optimize URL KEY EXPERIMENT HOST [SLEEP]   train every trial it gets (curves.curve), until done
  asktell_client.py hold URL KEY EXPERIMENT HOST               lease one trial, report epoch 1, then hang (to be killed)
  asktell_client.py late URL KEY TRIAL ATTEMPT EPOCH           one report carrying an old lease
  asktell_client.py pareto URL KEY EXPERIMENT HOST             two objectives (score up, cost down) returned as a tuple
Prints one JSON object per line for the test to read.
"""
import json
import os
import sys
import time

here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, here)
from curves import curve  # noqa: E402
from hpsearch_client import Client, HpSearchError, Trial  # noqa: E402


def say(**event):
    print(json.dumps(event), flush=True)


def optimize(url, key, experiment, host, sleep=0.0):
    client = Client(url, key, client_host=host)

    def objective(trial):
        for epoch in range(1, trial.max_epochs + 1):
            if sleep:
                time.sleep(sleep)
            if trial.report(epoch, curve(trial.params, epoch)):
                break
        return None

    # optimize() asks, runs and tells; the events say which trial and attempt this client trained.
    original_ask = client.ask

    def ask(*args, **kwargs):
        t = original_ask(*args, **kwargs)
        if t is not None:
            say(event="asked", number=t.number, attempt=t.attempt, trialId=t.id)
        return t

    client.ask = ask
    results = client.optimize(objective, experiment_id=experiment)
    say(event="done", told=[r["trialStatus"] for r in results])


def hold(url, key, experiment, host):
    client = Client(url, key, client_host=host)
    trial = client.ask(experiment)
    trial.report(1, curve(trial.params, 1))
    say(event="leased", trialId=trial.id, number=trial.number, attempt=trial.attempt)
    time.sleep(3600)


def late(url, key, trial_id, attempt, epoch):
    client = Client(url, key)
    lease = {"trialId": trial_id, "experimentId": "", "number": -1, "attempt": int(attempt), "params": {}, "seed": 0,
             "maxEpochs": 0, "objective": {"metric": "valAccuracy"}, "leaseSeconds": 0}
    trial = Trial(client, lease)
    try:
        trial.report(int(epoch), curve({}, int(epoch)))
        say(event="accepted")
    except HpSearchError as e:
        say(event="refused", status=e.status, field=e.field, message=e.message)


def pareto(url, key, experiment, host):
    client = Client(url, key, client_host=host)

    def objective(trial):
        # score peaks at speed 1.4 while cost grows with it: the front is 0.2 <= speed <= 1.4.
        speed = float(trial.params["speed"])
        return 1.0 - (speed - 1.4) ** 2, speed

    results = client.optimize(objective, experiment_id=experiment)
    say(event="done", told=[r["trialStatus"] for r in results])
    # The controller settles the front after the last tell: wait for the experiment to end, then read it.
    deadline = time.monotonic() + 60
    while client.experiment(experiment)["status"] not in ("completed", "failed", "cancelled") and time.monotonic() < deadline:
        time.sleep(0.2)
    say(event="front", front=client.front(experiment))


if __name__ == "__main__":
    mode, args = sys.argv[1], sys.argv[2:]
    if mode == "optimize":
        optimize(*args[:4], sleep=float(args[4]) if len(args) > 4 else 0.0)
    elif mode == "hold":
        hold(*args)
    elif mode == "late":
        late(*args)
    elif mode == "pareto":
        pareto(*args)
    else:
        sys.exit(f"unknown mode {mode}")
