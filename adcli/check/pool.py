"""Long-lived grading workers forked from the pre-imported parent, under a watchdog.

The parent has imported the interpreter and computed the references before it forks, so
a worker starts in about a millisecond and never pays a Python start-up. Each worker
checks one submission at a time and reports every problem's verdict as it gets it. The
parent is the watchdog: a worker that takes longer than a problem's budget is killed with
SIGKILL, a worker that dies (a crash, the memory rlimit) is reaped, and either way the
problem it was on gets its verdict, the rest of that submission goes to a fresh worker,
and every other submission carries on.

Where fork is not the start method (``ADCLI_START_METHOD=spawn``; the default on macOS and
Windows), a worker is a fresh interpreter started with multiprocessing's spawn context: it
gets the problem set, the limits and the references the parent computed (pickled), builds
its own Grader, says it is ready, and then speaks the same protocol. Until it is ready the
watchdog gives it ``SPAWN_START_S`` (plus the time its references may take when it has to
compute them itself); a worker that dies before it is ready costs no answer a verdict.
"""

from __future__ import annotations

import faulthandler
import math
import os
import signal
import sys
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from multiprocessing import Pipe
from multiprocessing.connection import Connection, wait

from adcli.check.grade import Grader
from adcli.check.problems import Submission, SubmissionError, read_submission
from adcli.check.results import ProblemResult, SubmissionResult
from adcli.sandbox_process import (
    cap_after,
    die_with_parent,
    exit_description,
    limit_address_space,
    reap,
    start_method,
)

GRACE_S = 1.0  # what the watchdog allows beyond a problem's own time budget
MAX_SUBMISSIONS_PER_WORKER = 500  # then the worker is replaced, bounding any slow leak
SPAWN_START_S = 60.0  # what a spawned worker may take to start (import, build its Grader)
MAX_START_FAILURES = 3  # spawned workers in a row that die before they are ready


class PoolError(RuntimeError):
    """Workers could not be started (spawned workers kept dying before they were ready)."""


@dataclass
class _Task:
    key: str
    start: int  # the first problem still to check


@dataclass(eq=False)
class _Worker:
    pid: int
    conn: Connection
    task: _Task | None = None
    current: int = 0  # the problem being checked
    since: float = 0.0  # when it started on that problem
    killed: bool = False  # by the watchdog, for time
    process: object = None  # a spawned worker's multiprocessing.Process; None: forked
    ready: bool = True  # a spawned worker is not until it says so


@dataclass
class Pool:
    """Checks submissions in ``jobs`` forked workers; ``run`` calls back as each finishes."""

    grader: Grader
    jobs: int = 1
    memory_mb: int = 0  # address space a worker may add after the fork; 0: unbounded
    method: str = ""  # "fork" or "spawn"; "": sandbox_process.start_method()
    _workers: list[_Worker] = field(default_factory=list, init=False)
    _info: dict[str, tuple] = field(default_factory=dict, init=False)  # notes, student
    _payload: bytes | None = field(default=None, init=False)  # what a spawned worker gets
    _start_failures: int = field(default=0, init=False)

    def run(self, keys: list[str], on_done: Callable[[SubmissionResult], None]) -> None:
        """Check every submission in ``keys``; ``on_done`` gets each result once it is whole."""
        problems = self.grader.problem_set.problems
        timeout = self.grader.limits.timeout
        budget = timeout + GRACE_S if timeout else math.inf
        pending = deque(_Task(key, 0) for key in keys)
        if not self.method:
            self.method = start_method()
        start_budget = SPAWN_START_S
        if self.method == "spawn" and timeout:
            start_budget += timeout * len(problems)  # its references, if it computes them

        def deadline(worker: _Worker) -> float:
            if not worker.ready:
                return worker.since + start_budget
            return worker.since + (budget if worker.current < len(problems) else GRACE_S)

        partial: dict[str, list[ProblemResult | None]] = {}

        def record(key: str, index: int, result: ProblemResult) -> None:
            slots = partial.setdefault(key, [None] * len(problems))
            slots[index] = result
            if all(slots):
                del partial[key]
                notes, student = self._info.pop(key, ([], {}))
                on_done(
                    SubmissionResult(  # type: ignore[arg-type]
                        key, slots, notes, student=student
                    )
                )

        def lost(worker: _Worker, why: str) -> None:
            """The worker is gone mid-task: give its problem a verdict, requeue the rest."""
            task = worker.task
            self._workers.remove(worker)
            if not worker.ready:  # it never started: no answer is to blame
                self._start_failures += 1
                if self._start_failures >= MAX_START_FAILURES:
                    raise PoolError(f"{self._start_failures} spawned grading workers in a row "
                                    f"died before they were ready ({why})")
                if task is not None:
                    pending.appendleft(task)
                return
            if task is None or worker.current >= len(problems):
                return
            problem = problems[worker.current]
            verdict = "limit"
            if worker.killed:
                verdict = "timeout"
                why = f"no result within {timeout:g} s (the worker was killed)"
            record(
                task.key,
                worker.current,
                ProblemResult(problem.id, verdict, 0.0, problem.points, why),
            )
            if worker.current + 1 < len(problems):
                pending.appendleft(_Task(task.key, worker.current + 1))

        try:
            while pending or any(w.task for w in self._workers):
                for worker in self._workers:
                    if worker.task is None and pending:
                        self._assign(worker, pending.popleft())
                while pending and len(self._workers) < self.jobs:
                    self._assign(self._spawn(), pending.popleft())
                busy = [w for w in self._workers if w.task is not None]
                now = time.monotonic()
                soonest = min(deadline(w) for w in busy)
                ready = wait([w.conn for w in busy], timeout=max(0.0, min(soonest - now, 3600)))
                for worker in busy:
                    if worker.conn not in ready:
                        continue
                    while worker in self._workers and worker.conn.poll():
                        try:
                            message = worker.conn.recv()
                        except Exception:  # noqa: BLE001 - EOF or a torn message: it died
                            lost(worker, self._reap(worker))
                            break
                        self._handle(worker, message, record, pending)
                now = time.monotonic()
                for worker in list(self._workers):
                    if worker.task is not None and now >= deadline(worker):
                        worker.killed = worker.ready
                        self._kill(worker)
                        lost(worker, self._reap(worker))
        finally:
            self.close()

    def _handle(self, worker: _Worker, message: tuple, record: Callable, pending: deque) -> None:
        kind = message[0]
        task = worker.task
        assert task is not None
        if kind == "ready":  # a spawned worker has built its Grader: its clock starts now
            worker.ready = True
            worker.since = time.monotonic()
            self._start_failures = 0
        elif kind == "info":
            self._info[task.key] = (message[1], message[2])
        elif kind == "result":
            record(task.key, worker.current, message[1])
            worker.current += 1
            worker.since = time.monotonic()
        elif kind == "done":
            worker.task = None
            if message[1]:  # retiring
                self._workers.remove(worker)
                self._reap(worker)
        elif kind == "retire":  # mid-submission, its state suspect: hand the rest on
            self._workers.remove(worker)
            self._reap(worker)
            if worker.current < len(self.grader.problem_set.problems):
                pending.appendleft(_Task(task.key, worker.current))

    def _assign(self, worker: _Worker, task: _Task) -> None:
        try:
            worker.conn.send((task.key, task.start))
        except OSError:  # it died while idle (the OOM killer, say): replace it
            self._workers.remove(worker)
            self._reap(worker)
            worker = self._spawn()
            worker.conn.send((task.key, task.start))
        worker.task = task
        worker.current = task.start
        worker.since = time.monotonic()

    def _spawn(self) -> _Worker:
        if self.method == "spawn":
            return self._spawn_fresh()
        parent_end, child_end = Pipe()
        sys.stdout.flush()
        sys.stderr.flush()
        pid = os.fork()
        if pid == 0:  # the worker: it never returns into the parent's code
            code = 0
            try:
                parent_end.close()
                for other in self._workers:
                    other.conn.close()
                _worker_main(child_end, self.grader, self.memory_mb, os.getppid())
            except BaseException:  # noqa: BLE001
                code = 70
            finally:
                os._exit(code)
        child_end.close()
        worker = _Worker(pid, parent_end)
        self._workers.append(worker)
        return worker

    def _spawn_fresh(self) -> _Worker:
        """Start a worker in a fresh interpreter (multiprocessing's spawn context)."""
        import multiprocessing

        if self._payload is None:
            self._payload = _payload(self.grader)
        context = multiprocessing.get_context("spawn")
        parent_end, child_end = context.Pipe()
        sys.stdout.flush()
        sys.stderr.flush()
        process = context.Process(
            target=_spawned_main,
            args=(child_end, self._payload, self.memory_mb, os.getpid()),
            name="adcli-check-worker",
            daemon=True,
        )
        process.start()
        child_end.close()
        worker = _Worker(process.pid or 0, parent_end, process=process, ready=False)
        worker.since = time.monotonic()
        self._workers.append(worker)
        return worker

    def _kill(self, worker: _Worker) -> None:
        """End a worker at once (SIGKILL; TerminateProcess on Windows)."""
        try:
            if worker.process is not None:
                worker.process.kill()  # type: ignore[attr-defined]
            else:
                os.kill(worker.pid, signal.SIGKILL)
        except (ProcessLookupError, OSError):
            pass

    def _reap(self, worker: _Worker) -> str:
        """Wait for a worker that has exited or been killed; say how it ended."""
        worker.conn.close()
        if worker.process is not None:
            process = worker.process
            process.join()  # type: ignore[attr-defined]
            how = exit_description(process.exitcode)  # type: ignore[attr-defined]
            process.close()  # type: ignore[attr-defined]
        else:
            how = reap(worker.pid)
        if how.startswith("signal"):
            return f"the answer crashed its worker ({how[7:]}); a resource bound was probably hit"
        if how.startswith("exit code"):
            return f"the answer ended its worker (exit status {how[10:]})"
        return "the worker vanished"

    def close(self) -> None:
        """Stop every worker."""
        for worker in self._workers:
            self._kill(worker)
            self._reap(worker)
        self._workers.clear()


def _payload(grader: Grader) -> bytes:
    """What a spawned worker needs to build its own Grader, pickled: the problem set, the
    limits, the references (None when they cannot be pickled: it computes them), and the
    engine (None for the real one, which it makes itself)."""
    import pickle

    engine = grader.engine
    if getattr(engine.session, "__module__", "") == "adcli.lang.interpreter":
        engine = None  # default_engine(): its seed cache is a closure, rebuilt there
    try:
        expected = pickle.dumps(grader.expected)
    except Exception:  # noqa: BLE001 - a value that does not pickle: recompute it there
        expected = None
    return pickle.dumps((grader.problem_set, grader.limits, engine, expected))


def _spawned_main(conn: Connection, payload: bytes, memory_mb: int, parent: int) -> None:
    """A spawned worker: become a worker, build the Grader, say so, then serve."""
    import pickle

    from adcli.check.grade import default_engine

    _become_worker(parent)
    problem_set, limits, engine, expected = pickle.loads(payload)
    grader = Grader(problem_set, limits, engine or default_engine())
    if expected is not None:
        grader.expected = pickle.loads(expected)
    else:
        grader.prepare()
    conn.send(("ready",))
    _serve(conn, grader, memory_mb)


def _become_worker(parent: int) -> None:
    """Ignore Ctrl-C, keep quiet, and die with the parent."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent handles Ctrl-C
    faulthandler.disable()  # a crash is reported by the parent, without a dump
    quiet = os.open(os.devnull, os.O_WRONLY)  # no answer's warnings on the user's terminal
    os.dup2(quiet, 1)
    os.dup2(quiet, 2)
    os.close(quiet)
    sys.stdout = sys.stderr = open(os.devnull, "w")  # for as long as the worker lives
    die_with_parent(parent)


def _worker_main(conn: Connection, grader: Grader, memory_mb: int, parent: int) -> None:
    """A forked worker's life: take submissions until told to stop, or until its state is
    suspect."""
    _become_worker(parent)
    _serve(conn, grader, memory_mb)


def _serve(conn: Connection, grader: Grader, memory_mb: int) -> None:
    """Take submissions until told to stop, or until the worker's state is suspect.

    The memory bound is RLIMIT_AS (Linux). Where it cannot be set (no ``resource`` module
    on Windows; macOS refuses or ignores it) ``limit_address_space`` does nothing, and the
    element bound on every tensor (``--max-elements``) with the watchdog stands in.
    """
    if memory_mb:  # the worker's address space: what it has now plus memory_mb
        limit_address_space(cap_after(memory_mb << 20))
    problems = grader.problem_set.problems
    ids = [p.id for p in problems]
    max_bytes = grader.limits.max_input_bytes
    for served in range(1, MAX_SUBMISSIONS_PER_WORKER + 1):
        try:
            key, start = conn.recv()
        except EOFError:
            return
        submission: Submission | None = None
        broken, internal = "", False
        try:
            submission = read_submission(key, ids, max_bytes)
        except SubmissionError as exc:
            broken = str(exc)
        except Exception as exc:  # noqa: BLE001 - adcli's own bug; the others carry on
            broken, internal = f"internal error: reading it: {type(exc).__name__}", True
        if submission is not None and (submission.notes or submission.student):
            conn.send(("info", submission.notes, submission.student))
        for index in range(start, len(problems)):
            problem = problems[index]
            suspect = False
            if submission is None:
                result = ProblemResult(
                    problem.id, "invalid", 0.0, problem.points, broken, internal=internal
                )
            elif problem.id in submission.refused:
                why = submission.refused[problem.id]
                result = ProblemResult(problem.id, "invalid", 0.0, problem.points, why)
            elif problem.id not in submission.answers:
                why = submission.missing(problem.id)
                result = ProblemResult(problem.id, "missing", 0.0, problem.points, why)
            else:
                result, suspect = grader.grade(
                    index,
                    submission.answers.get(problem.id),
                    submission.filename(problem.id),
                    submission.kind(problem.id),
                )
            conn.send(("result", result))
            if suspect:
                conn.send(("retire",))
                return
        conn.send(("done", served == MAX_SUBMISSIONS_PER_WORKER))
