"""graders/redaction.py: the one function that cuts hidden-test text out of learner feedback."""

from graders import redaction
from graders.redaction import REDACTED, distinctive_lines, leaks, redact, secret_fragments

HIDDEN = 'assert total_penalty(days=12) == 3.60, "late fee for 12 days"\n    pass\n'


def test_a_whole_line_is_cut_before_any_piece_of_it():
    secrets = secret_fragments(HIDDEN.splitlines(), visible_text="")
    echoed = "AssertionError: assert total_penalty(days=12) == 3.60, \"late fee for 12 days\""
    assert redact(echoed, secrets) == f"AssertionError: {REDACTED}"


def test_a_repr_of_the_line_is_cut_by_its_quoted_pieces():
    secrets = secret_fragments(HIDDEN.splitlines(), visible_text="")
    echoed = repr(HIDDEN.splitlines()[0])
    assert "late fee for 12 days" not in redact(echoed, secrets)


def test_what_the_learner_already_sees_is_kept_and_short_lines_are_not_secrets():
    secrets = secret_fragments(HIDDEN.splitlines(), visible_text="late fee for 12 days")
    assert "late fee for 12 days" not in secrets and "pass" not in secrets
    assert "pass" not in distinctive_lines([HIDDEN])


def test_outputs_are_redacted_all_the_way_down():
    secrets = distinctive_lines([HIDDEN])
    output = {"text": [HIDDEN], "data": {"text/plain": HIDDEN}, "count": 1}
    cleaned = redact(output, secrets)
    assert not leaks(str(cleaned), secrets) and cleaned["count"] == 1 and REDACTED in cleaned["data"]["text/plain"]


def test_a_hidden_tests_folder_gives_its_lines(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "test_x.py").write_text(HIDDEN, encoding="utf-8")
    assert redaction.hidden_test_lines(tmp_path) == distinctive_lines([HIDDEN])
    assert redact(None, redaction.hidden_test_lines(tmp_path)) is None
