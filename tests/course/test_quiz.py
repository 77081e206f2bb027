"""`cda quiz`: loading and validating a quiz file, grading given answers, asking on a terminal, exit
codes; and every quiz of the course (`course/quiz/*.toml`) is valid."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from graders.cli import app
from graders.course_site.quiz import MIN_QUESTIONS, QUIZ_DIR, load_quiz, load_quiz_file, quiz_files
from graders.errors import BadInput

SAMPLE = Path(__file__).parent.parent / "fixtures" / "quiz" / "exemple.toml"
runner = CliRunner()


def invoke(*args, input=None):
    return runner.invoke(app, ["quiz", *args], input=input)


def test_given_answers_are_graded_with_every_explanation():
    result = invoke(str(SAMPLE), "--answers", "1,0,b")
    assert result.exit_code == 0, result.output
    assert "Score : 2/3" in result.output
    assert "exemple-2 : faux, la bonne réponse est B. Haché avec Argon2id" in result.output
    assert "Argon2id) : même volée" in result.output and "RGAA 3.2 (WCAG 1.4.3)" in result.output


def test_json_and_english():
    result = invoke(str(SAMPLE), "--answers", "1,1,0", "--json", "--lang", "en")
    data = json.loads(result.output)
    assert (data["score"], data["total"]) == (2, 3)
    assert [q["correct"] for q in data["questions"]] == [True, True, False]
    assert data["questions"][2]["answer"] == 1 and data["questions"][2]["given"] == 0
    text = invoke(str(SAMPLE), "--answers", "1,1,0", "--lang", "en").output
    assert "Score: 2/3" in text and "exemple-3: wrong, the right answer is B. 4,5:1" in text


def test_questions_are_asked_on_the_terminal():
    result = invoke(str(SAMPLE), input="b\nx\nB\nc\n")  # "x" is refused and asked again
    assert result.exit_code == 0, result.output
    assert "Quelle requête est paramétrée ?" in result.output and "D. Haché avec MD5" in result.output
    assert "Score : 2/3" in result.output


@pytest.mark.parametrize("args, message", [
    (["inconnue"], "unknown section 'inconnue'"),
    (["../etc"], "is not a section id"),
    ([str(SAMPLE), "--answers", "1,0"], "2 answer(s) given, the quiz has 3 questions"),
    ([str(SAMPLE), "--answers", "1,0,7"], "the question has 3 choices"),
    ([str(SAMPLE), "--answers", "1,0,?"], "neither an index"),
    ([str(SAMPLE), "--json"], "--json needs --answers"),
])
def test_bad_input_is_one_line_and_exit_2(args, message, capsys):
    from graders.cli import main

    with pytest.raises(SystemExit) as done:
        import sys

        sys.argv = ["cda", "quiz", *args]
        main()
    err = capsys.readouterr().err
    assert done.value.code == 2 and message in err and err.count("\n") == 1, err


@pytest.mark.parametrize("change, message", [
    ('answer = 1\nexplanation = "La valeur', "answer 3 is not an index"),
    ('id = "exemple-2"', "duplicate question id 'exemple-1'"),
    ('section = "exemple"', "must equal the file name"),
    ('title = "Quiz', "invalid TOML"),
])
def test_malformed_files_are_refused_with_the_file_named(tmp_path, change, message):
    text = SAMPLE.read_text(encoding="utf-8")
    broken = {"answer = 1\nexplanation = \"La valeur": "answer = 3\nexplanation = \"La valeur",
              'id = "exemple-2"': 'id = "exemple-1"',
              'section = "exemple"': 'section = "autre"',
              'title = "Quiz': 'title = Quiz'}[change]
    assert change in text
    path = tmp_path / "exemple.toml"
    path.write_text(text.replace(change, broken, 1), encoding="utf-8")
    with pytest.raises(BadInput, match=message) as error:
        load_quiz_file(path)
    assert str(path) in str(error.value)


def test_a_section_is_found_in_the_quiz_folder(tmp_path):
    (tmp_path / "exemple.toml").write_text(SAMPLE.read_text(encoding="utf-8"), encoding="utf-8")
    assert load_quiz("exemple", tmp_path).title == "Quiz — exemple pour les tests"
    with pytest.raises(BadInput, match="known: exemple"):
        load_quiz("c3", tmp_path)


@pytest.mark.parametrize("path", quiz_files(QUIZ_DIR), ids=lambda p: p.name)
def test_every_course_quiz_is_valid(path):
    quiz = load_quiz_file(path)  # ids unique, answers in range, section = file name
    assert len(quiz.questions) >= MIN_QUESTIONS, f"{path.name}: {len(quiz.questions)} questions, at least {MIN_QUESTIONS}"
    assert len({q.question for q in quiz.questions}) == len(quiz.questions), f"{path.name}: a question is repeated"
