"""The fuzz test's worker process: runs one input at a time, under an address-space cap.

Protocol: one JSON request per line on stdin, ``{"mode": "script"|"expr"|"bytes",
"data": text, or base64 for bytes}``; one JSON reply per line on stdout,
``{"status", "kind", "message", "elapsed", "rss_mb"}``. Status is ``ok`` (it ran),
``error`` (an AdcliError, which is fine), ``internal`` (adcli reported a bug of its own)
or ``escaped`` (a non-adcli exception got out). A crash or an out-of-memory kill shows
up in the parent as a dead worker. Run by ``test_fuzz.py``; not collected by pytest.
"""

from __future__ import annotations

import base64
import json
import os
import resource
import sys
import time
import traceback

CAP_BYTES = int(os.environ.get("ADCLI_FUZZ_AS_BYTES", str(3 << 30)))
BOUNDS = {"max_elements": 100_000, "max_steps": 20_000, "max_nodes": 20_000,
          "max_depth": 60, "max_input_bytes": 200_000, "timeout": 2.0}


def reset_peak_rss() -> None:
    """Start a fresh peak-memory reading for the next input (Linux: clear VmHWM)."""
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")
    except OSError:
        pass


def peak_rss_mb() -> float:
    """The peak resident memory since the last reset: this input's, not the worker's life."""
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (CAP_BYTES, CAP_BYTES))
    from adcli.batch import SourceError, decode_source
    from adcli.engine import api
    from adcli.errors import AdcliError
    from adcli.lang.interpreter import Session
    from adcli.limits import Limits

    out = sys.stdout
    for line in sys.stdin:
        request = json.loads(line)
        mode, data = request["mode"], request["data"]
        reply = {"status": "ok", "kind": "", "message": ""}
        reset_peak_rss()
        start = time.perf_counter()
        transcript: list[str] = []
        diagnostics: list[str] = []
        try:
            api.reset_state()  # print options, grad mode, ...: each input as a fresh run's
            api.manual_seed(0)
            session = Session(limits=Limits(**BOUNDS), out=transcript.append)
            session.deadline = time.monotonic() + BOUNDS["timeout"]
            if mode == "expr":
                repr(session.eval_expr(data))
            else:
                if mode == "bytes":
                    data = decode_source(base64.b64decode(data))
                report = session.run_cells(data, "<fuzz>", err=diagnostics.append)
                if report.internal:
                    reply = {"status": "internal", "kind": "", "message": "".join(diagnostics)}
                elif report.errors:
                    first = report.errors[0]
                    reply = {"status": "error", "kind": first.kind, "message": str(first)[:500]}
                if "Traceback" in "".join(transcript + diagnostics):
                    reply = {"status": "escaped", "kind": "", "message": "a traceback was shown"}
        except SourceError as exc:  # bytes that are not UTF-8: adcli's own decoding error
            reply = {"status": "error", "kind": "SyntaxError", "message": str(exc)}
        except AdcliError as exc:
            reply = {"status": "error", "kind": exc.kind, "message": str(exc)[:500]}
        except BaseException as exc:  # noqa: BLE001 - exactly what the fuzz looks for
            original = getattr(exc, "original", exc)  # the bug inside an InternalError
            reply = {"status": "escaped", "kind": type(original).__name__,
                     "message": "".join(traceback.format_exception(original))[-3000:]}
        reply["elapsed"] = time.perf_counter() - start
        reply["rss_mb"] = peak_rss_mb()
        out.write(json.dumps(reply) + "\n")
        out.flush()


if __name__ == "__main__":
    main()
