"""`cda serve`, `cda worker`, `cda token create`: the grading service's commands (docs/service.md)."""

from __future__ import annotations

from typing import Optional

import typer

from graders.instructor.commands import gradebook_option

token_app = typer.Typer(no_args_is_help=True, help="Tokens of the grading service.")


def serve_command(
    port: int = typer.Option(8000, "--port", help="HTTP port."),
    host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on (0.0.0.0: every interface)."),
    workers: int = typer.Option(2, "--workers", min=0, help="Local Celery worker processes (0: none here)."),
    broker: Optional[str] = typer.Option(None, "--broker", help="redis:// or amqp:// broker (default: one of its own)."),
    gradebook: Optional[str] = gradebook_option(),
    allow_local_git: bool = typer.Option(False, "--allow-local-git", help="Accept file:// git URLs (tests)."),
) -> None:
    """Start the grading service: API, instructor page, local workers and (by default) its own broker."""
    from graders.service.serve import serve

    serve(host, port, workers, broker, gradebook, allow_local_git)


def worker_command(
    broker: str = typer.Option(..., "--broker", help="The service's broker: redis://... or amqp://..."),
    concurrency: int = typer.Option(1, "--concurrency", "-c", min=1, help="Gradings at once."),
    gradebook: Optional[str] = gradebook_option(),
) -> None:
    """Add a grading worker (on this or another machine) to a service's broker."""
    import os

    from graders.instructor.gradebook import gradebook_url
    from graders.service.worker import run_worker

    os.environ["CDA_GRADEBOOK"] = gradebook_url(gradebook)
    run_worker(broker, concurrency)


@token_app.command("create")
def token_create(
    learner: str = typer.Argument(..., help="Learner id (the folder name of their submissions)."),
    instructor: bool = typer.Option(False, "--instructor", help="Reads the whole cohort and the instructor page."),
    gradebook: Optional[str] = gradebook_option(),
) -> None:
    """Make a token; print it alone on stdout (only its hash is stored)."""
    from graders.instructor.collect import learner_id
    from graders.instructor.gradebook import open_gradebook
    from graders.service.store import create_token

    typer.echo(create_token(open_gradebook(gradebook), learner_id(learner), instructor))


def register(app: typer.Typer) -> None:
    app.command("serve")(serve_command)
    app.command("worker")(worker_command)
    app.add_typer(token_app, name="token")
