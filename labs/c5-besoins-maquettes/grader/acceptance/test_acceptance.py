"""Every scenario of the learner's feature files, bound to the grader's step vocabulary."""

from conftest import FEATURES
from etapes import *  # noqa: F401,F403  (the step definitions are fixtures: they must be in this module)
from pytest_bdd import scenarios

scenarios(str(FEATURES))
