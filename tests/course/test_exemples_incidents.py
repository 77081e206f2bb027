"""Runs the worked example of course/transversal/incidents.md: POSTMORTEM.md is read by the
incident-production lab's own post-mortem parser (its `section` function, with CDA_SUBMISSION set
to the example folder): the cause names the faulty component and the data that triggers it, and
every time of the chronology comes from journal.log."""

from __future__ import annotations

import importlib.util
import re

import pytest

from tests.helpers import REPO

FOLDER = REPO / "course" / "exemples" / "incidents"
LAB_CHECK = REPO / "labs" / "incident-production" / "grader" / "post_mortem" / "test_post_mortem.py"


@pytest.fixture
def section(monkeypatch):
    monkeypatch.setenv("CDA_SUBMISSION", str(FOLDER))
    spec = importlib.util.spec_from_file_location("incident_post_mortem_check", LAB_CHECK)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.section


def test_the_cause_names_the_component_and_the_triggering_data(section):
    cause = section(r"causes?")
    assert "reservations_one_per_document" in cause and "reservationrepository.add" in cause
    assert "deja reserve" in cause  # the lab's parser lowers the text and strips the accents


@pytest.mark.parametrize("moment", ["09:12", "09:15", "09:41"])
def test_the_chronology_has_the_key_moments_of_the_log(section, moment):
    assert moment in section(r"chronologie|timeline")
    assert re.search(rf"T{moment}:\d\d ", (FOLDER / "journal.log").read_text(encoding="utf-8"))


def test_every_time_of_the_chronology_is_in_the_log(section):
    log = (FOLDER / "journal.log").read_text(encoding="utf-8")
    times = re.findall(r"\b\d\d:\d\d\b", section(r"chronologie|timeline"))
    assert len(times) >= 7 and all(f"T{t}:" in log for t in times)


def test_impact_and_actions_sections_exist(section):
    assert re.search(r"\d+ demandes", section(r"impact")) and "responsable" in section(r"actions")
