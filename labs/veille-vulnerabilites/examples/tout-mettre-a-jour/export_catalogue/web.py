"""A small Flask application previewing the export."""

from __future__ import annotations

from flask import Flask, Response

from export_catalogue.config import load_config
from export_catalogue.page import render_page


def create_app(config_text: str | None = None) -> Flask:
    app = Flask(__name__)
    text = config_text if config_text is not None else "titre: Catalogue\ndocuments: []\n"

    @app.get("/apercu")
    def apercu() -> Response:
        return Response(render_page(load_config(text)), mimetype="text/html")

    return app
