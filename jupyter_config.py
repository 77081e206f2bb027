"""nbgrader and JupyterLab configuration of the CDA course built from the notebook labs of labs/.

Jupyter reads every `jupyter_config.py` found on its configuration path, so one variable puts this
file in force for `nbgrader`, `jupyter lab` and the nbgrader extensions of JupyterLab alike:

    export JUPYTER_CONFIG_PATH=/path/to/this/repo
    export PATH=/path/to/this/repo/.venv/bin:$PATH     # nbgrader calls `alembic`
    nbgrader generate_assignment nb-c3-regles-metier   # source is built from labs/ on first use

`cda grade` reads the same file (graders/notebooks/config.py), so a notebook graded by `cda` and by
`nbgrader autograde` gets the same stubs, time limits and preprocessors. See docs/notebooks.md.

Environment overrides: CDA_COURSE_ROOT (course folder), CDA_EXCHANGE (exchange folder),
CDA_LEARNER_DIR (where a learner's assignments are fetched), CDA_EXCHANGE_CACHE (a learner's
submission cache), CDA_COURSE_ID, CDA_NB_CELL_TIMEOUT (seconds per
cell), CDA_COURSE_AUTOBUILD=0 (do not build the course source from labs/).
"""

import os
from pathlib import Path

c = get_config()  # noqa: F821 (provided by traitlets when it loads this file)

REPO = Path(__file__).resolve().parent
COURSE_ROOT = Path(os.environ.get("CDA_COURSE_ROOT", REPO / "build" / "course"))
EXCHANGE = Path(os.environ.get("CDA_EXCHANGE", REPO / "build" / "exchange"))

# --- Course ---------------------------------------------------------------------------------
c.CourseDirectory.course_id = os.environ.get("CDA_COURSE_ID", "cda-mediatheque")
c.CourseDirectory.root = str(COURSE_ROOT)
# Grader-only data of a lab stays in labs/<id>/grader: only notebooks are released.
c.CourseDirectory.ignore = [".ipynb_checkpoints", "*.pyc", "__pycache__", "feedback", "*.gradebook.json"]
c.Exchange.root = str(EXCHANGE)
c.Exchange.timezone = "Europe/Paris"
c.Exchange.path_includes_course = False
# Where a learner's assignments are fetched (default: the folder JupyterLab was started from).
if os.environ.get("CDA_LEARNER_DIR"):
    c.Exchange.assignment_dir = os.environ["CDA_LEARNER_DIR"]
# Where a learner's nbgrader keeps copies of their submissions (default: ~/.local/share/jupyter).
if os.environ.get("CDA_EXCHANGE_CACHE"):
    c.Exchange.cache = os.environ["CDA_EXCHANGE_CACHE"]

# --- Assignments: French stubs in place of the solution regions ---------------------------------
c.ClearSolutions.code_stub = {"python": "# VOTRE CODE ICI\nraise NotImplementedError()"}
c.ClearSolutions.text_stub = "VOTRE RÉPONSE ICI"

# --- Autograding --------------------------------------------------------------------------------
# Per-cell time limit: an infinite loop is interrupted, its cell gets 0 and the next cells still run.
c.Execute.timeout = int(os.environ.get("CDA_NB_CELL_TIMEOUT", "10"))
c.Execute.interrupt_on_timeout = True
c.LimitOutput.max_lines = 200
c.LimitOutput.max_traceback = 60
# Deleted test cells come back from the source notebook (at their place), then nbgrader's
# OverwriteCells restores their source and points.
c.Autograde.sanitize_preprocessors = [
    "nbgrader.preprocessors.ClearOutput",
    "nbgrader.preprocessors.DeduplicateIds",
    "nbgrader.preprocessors.OverwriteKernelspec",
    "graders.notebooks.preprocessors.RestoreSourceCells",
    "nbgrader.preprocessors.OverwriteCells",
    "nbgrader.preprocessors.CheckCellMetadata",
]

# --- Feedback: hidden tests never reach the learner (sources, outputs, tracebacks) ---------------
c.GenerateFeedback.preprocessors = [
    "nbgrader.preprocessors.GetGrades",
    "graders.notebooks.preprocessors.HideHiddenTests",
    "nbconvert.preprocessors.CSSHTMLHeaderPreprocessor",
]

# --- JupyterLab (the nbgrader extensions are enabled by the nbgrader package itself) -------------
c.ServerApp.open_browser = False

# Build the course source from labs/ the first time (never overwrites an instructor's edits).
# `cda` loads this file with CDA_LOADER set and builds nothing.
if not globals().get("CDA_LOADER") and os.environ.get("CDA_COURSE_AUTOBUILD", "1") == "1":
    try:
        from graders.notebooks.course import ensure_course_source

        ensure_course_source(COURSE_ROOT)
    except ImportError:  # graders not installed in this environment: build it with `cda cohort init`
        pass
