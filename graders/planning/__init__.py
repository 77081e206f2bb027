"""Project plans as data: the backlog and team a lab ships, the plans learners write (Mermaid gantt,
TOML, YAML, CSV, sprint plans), the constraints they must meet and the follow-up of a project."""
