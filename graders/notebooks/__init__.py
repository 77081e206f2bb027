"""Notebook labs: nbgrader source notebooks graded in the sandbox, tampering reported, cohorts exported.

- `config.py`       the course configuration (the repository's jupyter_config.py, loaded once)
- `assignment.py`   a lab's nbgrader assignment (name, source folder) and the `nbgrader` check's options
- `sourcebook.py`   what the source notebook says: cells, points, hidden tests, released version
- `preprocessors.py` nbgrader preprocessors added by the platform (restore deleted cells, hide
                    hidden tests in feedback) and the source-backed stand-in for nbgrader's gradebook
- `tampering.py`    what a submission changed that it may not change
- `grading.py`      one submission: sanitize, execute in the sandbox, read grades
- `database.py`     the PostgreSQL database of the SQL lab (switchable to graders/services)
- `course.py`, `cohort.py`  the instructor's side: course folder from labs/, `cda cohort ...`
"""
