"""Client, Trial and the errors: ask for a trial, report each epoch, tell the outcome (or let optimize() do it)."""

from __future__ import annotations

import json
import math
import socket
import time
import urllib.error
import urllib.request
from typing import Any, Callable, Mapping, Sequence


# Reports, tells and heartbeats are idempotent on the service (a stored epoch or a repeated tell changes nothing).
RETRIES = 3


class HpSearchError(Exception):
    """The service refused a request: ``status`` is the HTTP status, ``field`` the first field the ProblemDetails names,
    ``errors`` every field with its messages, ``problem`` the whole ProblemDetails document."""

    def __init__(self, status: int, problem: Mapping[str, Any]):
        self.status = status
        self.problem = dict(problem)
        errors = problem.get("errors") or {}
        self.errors: dict[str, list[str]] = {k: list(v) for k, v in errors.items()} if isinstance(errors, dict) else {}
        self.field: str | None = next(iter(self.errors), None)
        detail = problem.get("detail") or problem.get("title") or f"HTTP {status}"
        if self.field is not None and not problem.get("detail"):
            detail = f"{self.field}: {' '.join(self.errors[self.field])}"
        self.message = str(detail)
        super().__init__(f"{status} {self.message}" + (f" (field: {self.field})" if self.field else ""))


class TrialPruned(Exception):
    """Raised by :meth:`Trial.report_or_raise` (and caught by :meth:`Client.optimize`) when the service prunes the trial."""


class Client:
    """Talks to one HpSearch service with an API key that has the ``write`` scope."""

    def __init__(self, url: str, key: str, timeout: float = 30.0, client_host: str | None = None):
        self.url = url.rstrip("/")
        self.key = key
        self.timeout = timeout
        self.client_host = client_host if client_host is not None else socket.gethostname()
        self.experiment_id: str | None = None

    # -- plain REST ---------------------------------------------------------------------------------------------------
    def request(self, method: str, path: str, body: Any = None, retries: int = 0) -> Any:
        """Sends one request; returns the parsed JSON answer, or raises :class:`HpSearchError` with the ProblemDetails.
        With ``retries``, a lost connection or a 502/503/504 is tried again (0.5 s, 1 s, 2 s … apart): only for the
        requests the service makes idempotent (epoch reports, tells, heartbeats)."""
        for attempt in range(retries + 1):
            try:
                return self._send(method, path, body)
            except HpSearchError as e:
                if e.status not in (502, 503, 504) or attempt == retries:
                    raise
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                if attempt == retries:
                    raise
            time.sleep(0.5 * 2 ** attempt)
        raise AssertionError("unreachable")

    def _send(self, method: str, path: str, body: Any) -> Any:
        data = None if body is None else json.dumps(body, allow_nan=False).encode("utf-8")
        req = urllib.request.Request(self.url + path, data=data, method=method)
        req.add_header("X-Api-Key", self.key)
        req.add_header("Accept", "application/json")
        if data is not None:
            req.add_header("Content-Type", "application/json")
        try:
            with urllib.request.urlopen(req, timeout=self.timeout) as resp:
                raw = resp.read()
                return json.loads(raw) if raw else None
        except urllib.error.HTTPError as e:
            raw = e.read()
            try:
                problem = json.loads(raw) if raw else {}
            except ValueError:
                problem = {"detail": raw.decode("utf-8", "replace")[:500]}
            raise HpSearchError(e.code, problem if isinstance(problem, dict) else {"detail": str(problem)}) from None

    def create_experiment(self, spec: Mapping[str, Any]) -> dict:
        """Submits a sweep (give it ``"trainer": "external"`` to train its trials here); later asks use its id."""
        experiment = self.request("POST", "/api/experiments", dict(spec))
        self.experiment_id = experiment["id"]
        return experiment

    def experiment(self, experiment_id: str | None = None) -> dict:
        return self.request("GET", f"/api/experiments/{self._experiment(experiment_id)}")

    def front(self, experiment_id: str | None = None) -> list[dict]:
        """The Pareto front of an experiment with several objectives: ``{"trialId", "number", "values"}`` per member, the
        values in the order of the experiment's ``objectives``; empty for a single objective."""
        return list(self.experiment(experiment_id).get("front", []))

    def trials(self, experiment_id: str | None = None) -> list[dict]:
        return self.request("GET", f"/api/experiments/{self._experiment(experiment_id)}/trials?pageSize=200")["items"]

    # -- ask/tell -------------------------------------------------------------------------------------------------------
    def ask(self, experiment_id: str | None = None, wait: bool = True, max_wait: float | None = None) -> "Trial | None":
        """Leases the next trial. With ``wait``, polls while every trial is out; returns None once the experiment is done."""
        eid = self._experiment(experiment_id)
        body = {"clientHost": self.client_host} if self.client_host else {}
        deadline = None if max_wait is None else time.monotonic() + max_wait
        while True:
            answer = self.request("POST", f"/api/experiments/{eid}/ask", body)
            if answer.get("trial"):
                return Trial(self, answer["trial"])
            if answer.get("done") or not wait:
                return None
            pause = float(answer.get("retryAfterSeconds") or 1.0)
            if deadline is not None and time.monotonic() + pause > deadline:
                return None
            time.sleep(pause)

    def report(self, trial: "Trial", epoch: int, metrics: Mapping[str, float | None]) -> bool:
        return trial.report(epoch, metrics)

    def tell(self, trial: "Trial", status: str = "completed", error: str | None = None) -> dict:
        return trial.tell(status, error)

    def optimize(self, objective: Callable[["Trial"], "float | Sequence[float] | None"], n_trials: int | None = None,
                 experiment_id: str | None = None, catch: tuple[type[BaseException], ...] = (Exception,)) -> list[dict]:
        """Like Optuna's ``study.optimize``: asks, runs ``objective(trial)`` and tells, until ``n_trials`` ran here or the
        experiment has no more trials. ``objective`` may call ``trial.report(epoch, metrics)`` each epoch and stop when it
        returns True (or use ``report_or_raise``); a value it returns is reported as the next epoch's objective metric when
        it reported nothing (with several objectives, a sequence of values in the order of ``trial.objective_metrics``, as
        Optuna's multi-objective studies return a tuple). An exception in ``catch`` fails the trial and the loop goes on."""
        done: list[dict] = []
        while n_trials is None or len(done) < n_trials:
            trial = self.ask(experiment_id)
            if trial is None:
                break
            try:
                value = objective(trial)
            except TrialPruned:
                value = None
            except catch as e:  # noqa: B902 - the caller chooses what a failed trial is
                done.append(trial.tell("failed", f"{type(e).__name__}: {e}"))
                continue
            if not trial.pruned and trial.last_epoch == 0 and value is not None:
                values = list(value) if isinstance(value, (list, tuple)) else [value]
                if len(values) != len(trial.objective_metrics):
                    raise ValueError(f"the objective returned {len(values)} values; the experiment has "
                                     f"{len(trial.objective_metrics)} objectives: {', '.join(trial.objective_metrics)}")
                trial.report(1, dict(zip(trial.objective_metrics, values)))
            done.append(trial.tell("completed") if not trial.pruned else trial.outcome())
        return done

    def _experiment(self, experiment_id: str | None) -> str:
        eid = experiment_id or self.experiment_id
        if not eid:
            raise ValueError("no experiment: pass experiment_id or call create_experiment first")
        return eid


class Trial:
    """One leased attempt of a trial: its parameters, seed and epochs, and the attempt every write carries."""

    def __init__(self, client: Client, lease: Mapping[str, Any]):
        self.client = client
        self.lease = dict(lease)
        self.id: str = lease["trialId"]
        self.experiment_id: str = lease["experimentId"]
        self.number: int = lease["number"]
        self.attempt: int = lease["attempt"]
        self.params: dict[str, Any] = dict(lease["params"])
        self.seed: int = lease["seed"]
        self.max_epochs: int = lease["maxEpochs"]
        self.objective_metric: str = lease["objective"]["metric"]
        # Every objective (the first is objective_metric): each report must name all of them.
        self.objective_metrics: list[str] = [o["metric"] for o in lease.get("objectives") or [lease["objective"]]]
        self.lease_seconds: int = lease["leaseSeconds"]
        self.last_epoch = 0
        self.pruned = False
        self.decision: str | None = None
        self.stop_reason: dict | None = None
        self.status = "running"

    def __repr__(self) -> str:
        return f"Trial(number={self.number}, attempt={self.attempt}, params={self.params})"

    def report(self, epoch: int, metrics: Mapping[str, float | None]) -> bool:
        """Stores one epoch's metrics; returns True when the trial should stop now (pruned, or the experiment cancelled).
        NaN and infinite values are sent as null. Raises :class:`HpSearchError` (409, field ``attempt``) once this
        attempt's lease ran out and the trial went to another client."""
        clean = {k: (float(v) if v is not None and math.isfinite(float(v)) else None) for k, v in metrics.items()}
        answer = self.client.request("POST", f"/api/trials/{self.id}/report",
                                     {"attempt": self.attempt, "epoch": int(epoch), "metrics": clean}, retries=RETRIES)
        self.last_epoch = max(self.last_epoch, int(epoch))
        self.decision = answer["decision"]
        self.status = answer["trialStatus"]
        self.stop_reason = answer.get("stopReason")
        self.pruned = self.decision != "continue"
        return self.pruned

    # Optuna's name for the same question, asked after report().
    def should_prune(self) -> bool:
        return self.pruned

    def report_or_raise(self, epoch: int, metrics: Mapping[str, float | None]) -> None:
        """``report``, raising :class:`TrialPruned` when the trial should stop (Optuna's ``raise TrialPruned()`` idiom)."""
        if self.report(epoch, metrics):
            raise TrialPruned(self.stop_reason["message"] if self.stop_reason else self.decision)

    def heartbeat(self) -> None:
        """Renews the lease during an epoch longer than ``lease_seconds``."""
        self.client.request("POST", f"/api/trials/{self.id}/heartbeat", {"attempt": self.attempt}, retries=RETRIES)

    def tell(self, status: str = "completed", error: str | None = None) -> dict:
        """Records the outcome (completed, failed or diverged); repeating it, or telling a pruned trial, changes nothing."""
        body: dict[str, Any] = {"attempt": self.attempt, "status": status}
        if error is not None:
            body["error"] = error[:4000]
        answer = self.client.request("POST", f"/api/trials/{self.id}/tell", body, retries=RETRIES)
        self.status = answer["trialStatus"]
        return answer

    def outcome(self) -> dict:
        """The trial's end as the service recorded it, for a trial the service ended itself (pruned or cancelled)."""
        return {"trialId": self.id, "trialStatus": self.status, "recorded": False}
