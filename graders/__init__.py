"""CDA graders: grade learners' submissions against lab manifests."""

__version__ = "0.1.0"
