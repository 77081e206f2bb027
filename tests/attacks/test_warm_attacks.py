"""Attacks on the next run of a warm zygote (tests/attacks/warm_catalogue.py): each is graded warm
like any attack (tests/attacks/test_attack_suite.py: neutralised), then the probe is graded in the
same zygote; it must get its cold result, and the zygote must still serve (no run went cold)."""

from __future__ import annotations

import shutil
from functools import lru_cache

import pytest

from graders.engine import grade
from graders.labs import load_lab
from graders.sandbox.bubblewrap import BubblewrapSandbox
from graders.sandbox.warm import WarmPool, cold_reason
from tests.attacks.test_attack_suite import Attack, attack_labs, base_of, check_neutralised, planted, python_package
from tests.attacks.warm_catalogue import MARKER, PROBE, WARM_ATTACKS
from tests.helpers import FIXTURE_LABS
from tests.test_warm_sandbox import verdicts

pytestmark = pytest.mark.skipif(cold_reason(BubblewrapSandbox()) is not None,
                                reason=f"no warm sandbox here: {cold_reason(BubblewrapSandbox())}")


def mini_lab():
    return next(lab for lab in attack_labs() if lab.id == "mini-lab")


def probe_copy(tmp_path, name="probe"):
    work = shutil.copytree(base_of(mini_lab()), tmp_path / name)
    init = work / python_package(work) / "__init__.py"
    init.write_text(planted(init.read_text(), PROBE))
    return work


@lru_cache(maxsize=None)
def probe_cold(tmp_root):
    from pathlib import Path

    return verdicts(grade(mini_lab(), probe_copy(Path(tmp_root), "probe-cold")))


@pytest.fixture(scope="module")
def pool():
    with WarmPool(enabled=True) as zygotes:
        yield zygotes


def test_the_probe_finds_a_trace(tmp_path):
    """The probe fails on a trace it can see in a cold run too: a marker file in its workspace."""
    clean = grade(mini_lab(), probe_copy(tmp_path, "clean"))
    traced = probe_copy(tmp_path, "traced")
    (traced / MARKER).write_text("x")
    assert grade(load_lab(FIXTURE_LABS / "mini-lab"), base_of(mini_lab())).score > 0
    assert grade(mini_lab(), traced).score < clean.score


@pytest.mark.parametrize("name", sorted(WARM_ATTACKS))
def test_warm_attack_reaches_nothing_of_the_next_run(name, tmp_path, tmp_path_factory, pool, monkeypatch):
    monkeypatch.setenv("CDA_CHECK_JOBS", "1")  # one zygote serves the attack and the probe after it
    cold = probe_cold(str(tmp_path_factory.getbasetemp()))
    attack = Attack("package", name, WARM_ATTACKS[name])
    check_neutralised(mini_lab(), attack, tmp_path / "attack", BubblewrapSandbox(), services={"warm": pool})
    after = grade(mini_lab(), probe_copy(tmp_path), services={"warm": pool})
    assert verdicts(after) == cold
    assert pool.runs["cold"] == 0 and pool.runs["warm"] >= 4, pool.runs
