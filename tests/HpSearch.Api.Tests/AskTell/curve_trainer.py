#!/usr/bin/python3
"""Command trainer of the parity test: prints curves.curve for each epoch (the command-trainer protocol)."""
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from curves import curve  # noqa: E402

params = json.loads(os.environ.get("HPSEARCH_PARAMS", "{}"))
for epoch in range(1, int(os.environ.get("HPSEARCH_MAX_EPOCHS", "3")) + 1):
    print(json.dumps({"epoch": epoch, **curve(params, epoch)}), flush=True)
