"""Process-level bounds for scripts from people you do not trust.

The interpreter keeps a script inside the language and checks its bounds between
statements; what it cannot stop (one long numpy call, memory held by many tensors) is
bounded here, on the process: an address-space rlimit, a wall-clock bound for the current
process (``wall_clock``), and the plumbing of a forked worker (``die_with_parent``). Batch
``adcli run`` workers, ``--untrusted`` single files, ``eval`` and ``verify`` use it; the
grading pool of ``adcli check`` can too.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager

GIB = 1 << 30
HARD_STOP_GRACE_S = 2.0  # after the bound, before a stuck process is ended from outside Python

START_METHOD_ENV = "ADCLI_START_METHOD"
START_METHODS = ("fork", "spawn")


def start_method(environ: dict[str, str] | None = None) -> str:
    """How workers (``adcli check``'s pool, ``adcli run``'s batch) are started: ``"fork"``
    or ``"spawn"``, from ``ADCLI_START_METHOD``.

    The default is ``fork`` on Linux (a worker starts warm, in about a millisecond) and
    ``spawn`` elsewhere (macOS, where forking a process that has loaded system libraries
    is unsafe, and Windows, which cannot fork). ``fork`` where ``os.fork`` is missing, and
    any other value, mean the default.
    """
    environ = os.environ if environ is None else environ
    wanted = environ.get(START_METHOD_ENV, "").strip().lower()
    can_fork = hasattr(os, "fork")
    if wanted == "spawn" or (wanted == "fork" and can_fork):
        return wanted
    return "fork" if can_fork and sys.platform.startswith("linux") else "spawn"


def exit_description(exitcode: int | None) -> str:
    """``reap``'s words for a ``multiprocessing`` process's ``exitcode`` (negative: the
    signal that ended it)."""
    if exitcode is None:
        return "it vanished"
    if exitcode < 0:
        try:
            return f"signal {signal.Signals(-exitcode).name}"
        except ValueError:
            return f"signal {-exitcode}"
    return f"exit code {exitcode}"


def address_space_cap(max_elements: int) -> int:
    """The address space a worker may use: room for eight float64 tensors of the element
    bound, and never less than 2 GiB (the cap of ``adcli run``'s batch workers)."""
    return max(max_elements * 8 * 8, 2 * GIB)


def cap_after(extra_bytes: int) -> int:
    """The address space this process has now plus ``extra_bytes`` (Linux; else just that)."""
    try:
        with open("/proc/self/statm") as fh:
            size = int(fh.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        size = 0
    return size + extra_bytes


def limit_address_space(cap: int, soft_only: bool = False) -> tuple[int, int] | None:
    """Cap this process's address space (RLIMIT_AS) at ``cap`` bytes and forbid core dumps.

    With ``soft_only`` only the soft limit is lowered, so that ``restore_address_space``
    can undo it (a one-shot command in the caller's process); a forked worker lowers both.
    Returns the previous (soft, hard) limits, or None where the limit cannot be set:
    Windows has no ``resource`` module, and macOS refuses or ignores RLIMIT_AS. There the
    element bound (``--max-elements``, checked before every tensor is allocated) and the
    wall-clock bound are what stand in for the memory bound.
    """
    try:
        import resource
    except ImportError:  # pragma: no cover - not POSIX
        return None
    if not hasattr(resource, "RLIMIT_AS"):  # pragma: no cover
        return None
    try:
        previous = resource.getrlimit(resource.RLIMIT_AS)
        hard = previous[1]
        if hard != resource.RLIM_INFINITY and cap > hard:
            cap = hard
        resource.setrlimit(resource.RLIMIT_AS, (cap, hard if soft_only else cap))
        if not soft_only:
            resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    except (ValueError, OSError):
        return None
    return previous


def restore_address_space(previous: tuple[int, int] | None) -> None:
    """Put back the limits that ``limit_address_space(..., soft_only=True)`` returned."""
    if previous is None:
        return
    try:
        import resource

        resource.setrlimit(resource.RLIMIT_AS, previous)
    except (ImportError, AttributeError, ValueError, OSError):
        pass


def die_with_parent(parent: int) -> None:
    """In a worker: ask Linux to SIGKILL it when ``parent`` dies (no orphans); elsewhere
    only the check that the parent is still there."""
    if sys.platform.startswith("linux"):
        try:
            import ctypes

            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
        except (OSError, AttributeError, TypeError):
            pass
    if os.getppid() != parent:
        os._exit(0)


def reap(pid: int) -> str:
    """Wait for a worker that has ended or been killed; say how it ended, in a few words:
    ``"exit code N"``, ``"signal SIGKILL"`` or ``"it vanished"``."""
    try:
        _, status = os.waitpid(pid, 0)
    except ChildProcessError:
        return "it vanished"
    if os.WIFSIGNALED(status):
        number = os.WTERMSIG(status)
        try:
            return f"signal {signal.Signals(number).name}"
        except ValueError:
            return f"signal {number}"
    return f"exit code {os.WEXITSTATUS(status)}"


def innermost_position(frame) -> tuple[tuple[int, int] | None, str | None]:
    """Where the interpreter is in the stack that ends at ``frame``: the innermost
    operation's (line, column), and the source text of the ``eval_expr`` running it."""
    from adcli.lang import interpreter

    pos = text = None
    while frame is not None:
        if frame.f_code.co_filename == interpreter.__file__:
            found = frame.f_locals.get("pos")
            if pos is None and isinstance(found, tuple):
                pos = found
            if text is None and frame.f_code.co_name == "eval_expr":
                source = frame.f_locals.get("text")
                text = source if isinstance(source, str) else None
        frame = frame.f_back
    return pos, text


class WallClockExceeded(BaseException):
    """The block under ``wall_clock`` ran past its bound.

    A BaseException, so that no ``except Exception`` or ``except AdcliError`` on the way
    (the interpreter's, a claim's check) mistakes it for an error of the script.
    """

    def __init__(self, seconds: float, pos: tuple[int, int] | None, text: str | None) -> None:
        super().__init__(f"ran longer than {seconds:g} s")
        self.seconds = seconds
        self.pos = pos
        self.text = text


@contextmanager
def wall_clock(seconds: float, stuck_message: str = "") -> Iterator[None]:
    """Stop the block after ``seconds`` of wall-clock time (0: no bound).

    SIGALRM raises ``WallClockExceeded`` in the main thread with the position the
    interpreter was at. A single long numpy call delays that until it returns, so a
    watchdog thread ends the process (exit status 1, ``stuck_message`` on stderr) if the
    block is still running ``HARD_STOP_GRACE_S`` later, and faulthandler's C thread ends
    it one second after that even if the call holds the GIL.
    """
    if not seconds:
        yield
        return
    main = threading.main_thread() is threading.current_thread()
    main = main and hasattr(signal, "setitimer")  # no SIGALRM on Windows: the thread only
    previous = None
    if main:
        def ring(signum: int, frame) -> None:
            signal.setitimer(signal.ITIMER_REAL, 0)
            raise WallClockExceeded(seconds, *innermost_position(frame))

        previous = signal.signal(signal.SIGALRM, ring)
        signal.setitimer(signal.ITIMER_REAL, seconds)
    done = threading.Event()

    def stuck() -> None:
        if done.wait(seconds + HARD_STOP_GRACE_S):
            return
        try:
            os.write(2, stuck_message.encode("utf-8", "backslashreplace"))
        finally:
            os._exit(1)

    watchdog = threading.Thread(target=stuck, name="adcli-wall-clock", daemon=True)
    watchdog.start()
    last_resort = _last_resort(seconds + HARD_STOP_GRACE_S + 1.0)
    try:
        yield
    finally:
        done.set()
        if main:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)
        if last_resort is not None:
            import faulthandler

            faulthandler.cancel_dump_traceback_later()
            last_resort.close()


def _last_resort(seconds: float):
    """Exit the process from faulthandler's C thread after ``seconds``, silently (the
    thread needs no GIL); returns the file it writes its dump to, to close afterwards."""
    import faulthandler

    try:
        sink = open(os.devnull, "w")  # noqa: SIM115 - closed by wall_clock
        faulthandler.dump_traceback_later(seconds, exit=True, file=sink)
    except (OSError, ValueError, RuntimeError):
        return None
    return sink


@contextmanager
def process_bounds(seconds: float, memory_cap: int | None, stuck_message: str = "",
                   ) -> Iterator[None]:
    """A one-shot command's bounds on its own process, for the block: ``wall_clock`` and,
    when ``memory_cap`` is given, the soft address-space limit (put back afterwards)."""
    previous = limit_address_space(memory_cap, soft_only=True) if memory_cap else None
    try:
        with wall_clock(seconds, stuck_message):
            yield
    finally:
        restore_address_space(previous)
