"""The grading service (`cda serve`, `cda worker`, `cda token`): an HTTP API in front of Celery
workers that grade with the hidden tests and fill the gradebook. See docs/service.md."""
