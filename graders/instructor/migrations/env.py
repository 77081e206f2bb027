"""Alembic environment of the gradebook: run by `open_gradebook` on the connection it passes."""

from alembic import context

from graders.instructor.gradebook import Base
import graders.service.models  # noqa: F401,E402  (the service's tables belong to the same metadata)

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
