"""Design deliverables (C5): user stories in Gherkin, Mermaid diagrams, HTML mock-ups, read as data.

Shared by the traceability, gherkin-acceptance, uml-diagrams, screen-flow and mockup-audit checks.
Nothing here executes the submission: feature files go through the official Gherkin parser,
diagrams through Mermaid's own parser in the headless browser, mock-ups through html.parser.
"""
