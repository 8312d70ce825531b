"""A standard-library client for HpSearch's REST API and its ask/tell routes (Python 3.11+)."""

from .client import Client, Trial, TrialPruned, HpSearchError

__all__ = ["Client", "Trial", "TrialPruned", "HpSearchError"]
