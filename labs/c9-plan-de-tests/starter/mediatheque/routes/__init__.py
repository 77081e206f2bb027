"""Couche présentation : lit la requête, appelle un service, rend une page. Aucun SQL ici."""

from __future__ import annotations

from flask import current_app


def service(name: str):
    return current_app.extensions["mediatheque"][name]


def today():
    return current_app.extensions["mediatheque"]["today"]()
