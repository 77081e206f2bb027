"""Executes one sanitized notebook inside the sandbox and reports the grade of each graded cell.

Started with `python -I /cda/runner/run_notebook.py`; the payload (the notebook with its test cells
restored from the source, hidden tests included) comes on stdin and is read whole before any learner
code runs, so it is never in a file the learner's code could read. Before starting the kernel the
runner:
  - makes itself non-dumpable (other processes of its uid can no longer read its memory, its
    environment or its file descriptors through /proc, nor ptrace it);
  - keeps its stdout on a private descriptor and points fds 1 and 2 at a log file, so the kernel
    cannot write on the channel that carries the results.
Results are JSON lines on that private stdout, one per graded cell as soon as it is graded (a run
stopped by the wall clock keeps what was graded), then a final {"event": "finish"} line.
Grades use nbgrader's own rules (nbgrader.utils.determine_grade) on nbgrader's Execute preprocessor.
"""

import ctypes
import importlib.util
import json
import os
import re
import sys
import time

STARTED = time.monotonic()
PR_SET_DUMPABLE = 4


def harden() -> int:
    devnull = os.open(os.devnull, os.O_RDONLY)
    os.dup2(devnull, 0)
    os.close(devnull)
    try:
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_DUMPABLE, 0, 0, 0, 0)
    except Exception:  # pragma: no cover - non-Linux
        pass
    private = os.dup(1)  # not inheritable: the kernel never gets it
    home = os.environ.get("HOME", "/tmp/home")
    for sub in ("", "ipython", "runtime", "tmp"):
        os.makedirs(os.path.join(home, sub), exist_ok=True)
    log = os.open(os.path.join(home, "runner.log"),
                  os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.dup2(log, 1)
    os.dup2(log, 2)
    os.close(log)
    return private


def fast_imports():
    """nbgrader's Execute and grading rules, imported without what a run never uses.

    nbgrader's and nbconvert's package __init__ load server extensions, exporters and HTML
    sanitizers (a third of a graded run); the modules below are nbgrader's and nbconvert's own,
    loaded from their packages with those __init__ files skipped. Any surprise: the plain imports.
    """
    import collections
    import types

    sys.modules.setdefault("rfc3987_syntax", None)  # jsonschema's optional IRI checker: seconds of import
    stubbed = ("nbgrader", "nbgrader.preprocessors", "nbconvert", "nbconvert.preprocessors", "nbconvert.exporters",
               "nbconvert.exporters.exporter", "setuptools.archive_util")
    try:
        for name in stubbed[:4]:
            sys.modules[name] = importlib.util.module_from_spec(importlib.util.find_spec(name))
        exporter = types.ModuleType("nbconvert.exporters.exporter")

        class ResourcesDict(collections.defaultdict):  # what nbconvert's is; used in type hints only
            def __missing__(self, key):
                return ""

        exporter.ResourcesDict = ResourcesDict
        sys.modules["nbconvert.exporters"] = types.ModuleType("nbconvert.exporters")
        sys.modules["nbconvert.exporters.exporter"] = exporter
        archive = types.ModuleType("setuptools.archive_util")  # nbgrader.utils imports it for zip collection
        archive.unpack_archive = archive.unpack_tarfile = archive.unpack_zipfile = None
        sys.modules["setuptools.archive_util"] = archive
        from nbclient.exceptions import CellExecutionError
        from nbconvert.preprocessors.base import Preprocessor

        sys.modules["nbconvert.preprocessors"].Preprocessor = Preprocessor
        from nbconvert.preprocessors.execute import ExecutePreprocessor

        sys.modules["nbconvert.preprocessors"].ExecutePreprocessor = ExecutePreprocessor
        sys.modules["nbconvert.preprocessors"].CellExecutionError = CellExecutionError
        from nbgrader.preprocessors.base import NbGraderPreprocessor

        sys.modules["nbgrader.preprocessors"].NbGraderPreprocessor = NbGraderPreprocessor
        from nbgrader.preprocessors.execute import Execute
        from nbgrader.utils import determine_grade, is_grade, is_solution
    except Exception:
        for name in [m for m in sys.modules if m.startswith(("nbgrader", "nbconvert")) or m in stubbed]:
            del sys.modules[name]
        from nbgrader.preprocessors import Execute
        from nbgrader.utils import determine_grade, is_grade, is_solution
    return Execute, determine_grade, is_grade, is_solution


ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


def error_text(cell) -> str | None:
    for output in cell.get("outputs", []):
        if output.get("output_type") == "error":
            text = f"{output.get('ename', '')}: {output.get('evalue', '')}".strip().rstrip(":")
            for frame in output.get("traceback", []):  # IPython marks the failing line of the cell with ---->
                marked = [ln for ln in ANSI.sub("", frame).splitlines() if ln.lstrip().startswith("---->")]
                if marked:
                    text += " ⟵ " + re.sub(r"^\s*---->\s*(\d+)\s*", r"[\1] ", marked[0]).strip()
                    break
            return ANSI.sub("", text)[:600]
    for output in cell.get("outputs", []):
        if output.get("output_type") == "stream" and output.get("name") == "stderr":
            return "stderr: " + ANSI.sub("", output.get("text", ""))[-600:]
    return None


def timed_out(cell) -> bool:
    return any(o.get("output_type") == "error" and o.get("ename") in ("CellTimeoutError", "KeyboardInterrupt")
               for o in cell.get("outputs", []))


def main() -> None:
    payload = json.loads(sys.stdin.buffer.read().decode("utf-8"))
    private = harden()

    def emit(record: dict) -> None:
        os.write(private, (json.dumps(record, ensure_ascii=False) + "\n").encode("utf-8"))

    Execute, determine_grade, is_grade, is_solution = fast_imports()
    import nbformat
    from traitlets.config import Config

    timings = {"imports": round(time.monotonic() - STARTED, 3)}

    nb = nbformat.from_dict(payload["notebook"])
    deadline = STARTED + float(payload["budget_s"])
    cell_timeout = int(payload["cell_timeout_s"])
    state = {"stopped": False}

    class GradingExecute(Execute):
        """nbgrader's Execute, reporting each graded cell as soon as it ran and keeping a deadline."""

        def preprocess_cell(self, cell, resources, index):
            timings.setdefault("kernel_ready", round(time.monotonic() - STARTED, 3))
            if state["stopped"] or time.monotonic() > deadline - 1:
                state["stopped"] = True
                return cell, resources
            cell, resources = super().preprocess_cell(cell, resources, index)
            report(cell, index)
            return cell, resources

    def timeout_for(cell) -> int:
        return max(1, min(cell_timeout, int(deadline - time.monotonic()) - 1))

    def report(cell, index) -> None:
        meta = cell.get("metadata", {}).get("nbgrader", {})
        grade_id = meta.get("grade_id")
        if not grade_id:
            return
        record = {"event": "cell", "grade_id": grade_id, "index": index, "timeout": timed_out(cell),
                  "error": error_text(cell)}
        if is_grade(cell):
            score, max_score = determine_grade(cell)
            record.update(score=score, max_score=max_score)
        record["solution"] = is_solution(cell)
        emit(record)

    config = Config()
    config.Execute.timeout = cell_timeout
    config.Execute.interrupt_on_timeout = True
    config.Execute.allow_errors = True
    executor = GradingExecute(config=config, timeout_func=timeout_for, kernel_name="python3")
    error = None
    try:
        executor.preprocess(nb, {"metadata": {"path": payload.get("cwd", "/workspace")}})
        timings["executed"] = round(time.monotonic() - STARTED, 3)
    except Exception as exc:  # the kernel died, or could not start: what was graded stays graded
        error = f"{type(exc).__name__}: {str(exc)[:300]}"

    timings["finished"] = round(time.monotonic() - STARTED, 3)
    emit({"event": "finish", "stopped": state["stopped"], "error": error,
          "duration_s": round(time.monotonic() - STARTED, 3), "timings": timings})


if __name__ == "__main__":
    main()
