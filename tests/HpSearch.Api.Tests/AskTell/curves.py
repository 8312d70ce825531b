"""Deterministic learning curves shared by both sides of the ask/tell parity test: the command trainer prints them for a
worker's trial, the ask/tell client reports them for its own. Curves cross (fast starters fade), so every rule prunes."""
import math


def curve(params, epoch):
    lr = float(params.get("lr", 0.01))
    speed = float(params.get("speed", 1.0))
    quality = max(0.05, 1.0 - abs(math.log10(lr) + 2.0) / 1.5)
    acc = quality * (1.0 - math.exp(-speed * epoch)) - 0.04 * speed * max(0, epoch - 3)
    loss = 2.3 * (1.0 - acc)
    return {"trainLoss": loss * 0.9, "valLoss": loss, "valAccuracy": acc, "lr": lr}
