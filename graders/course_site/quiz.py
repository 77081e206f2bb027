"""Self-check quizzes (`course/quiz/<section>.toml`): the model, loading with one-line errors, grading,
and the Markdown the course site shows. The format is in docs/course-site.md."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, model_validator

from graders.errors import BadInput
from graders.manifest import load_toml_model
from graders.paths import REPO_ROOT

QUIZ_DIR = REPO_ROOT / "course" / "quiz"
MIN_QUESTIONS = 8  # what the course conventions ask of every course quiz (tests/course/test_quiz.py)
SECTION_PATTERN = r"^[a-z0-9][a-z0-9-]*$"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Question(_Strict):
    id: str = Field(min_length=1)
    question: str = Field(min_length=1)
    choices: list[str] = Field(min_length=2)
    answer: int
    explanation: str = Field(min_length=1)

    @model_validator(mode="after")
    def answer_in_range(self) -> "Question":
        if not 0 <= self.answer < len(self.choices):
            raise ValueError(f"question {self.id!r}: answer {self.answer} is not an index of its "
                             f"{len(self.choices)} choices (0-based)")
        return self


class Quiz(_Strict):
    section: str = Field(pattern=SECTION_PATTERN)
    title: str = Field(min_length=1)
    questions: list[Question] = Field(min_length=1)

    @model_validator(mode="after")
    def unique_ids(self) -> "Quiz":
        seen: set[str] = set()
        for question in self.questions:
            if question.id in seen:
                raise ValueError(f"duplicate question id {question.id!r}")
            seen.add(question.id)
        return self


def quiz_files(folder: Path = QUIZ_DIR) -> list[Path]:
    return sorted(folder.glob("*.toml")) if folder.is_dir() else []


def load_quiz_file(path: Path) -> Quiz:
    quiz = load_toml_model(path, Quiz)
    if quiz.section != path.stem:
        raise BadInput(f"{path}: section: {quiz.section!r} must equal the file name {path.stem!r}")
    return quiz


def load_quiz(section: str, folder: Path = QUIZ_DIR) -> Quiz:
    """The quiz of a section (`c3`, `securite-anssi`...) or of a `.toml` file (a draft), or BadInput."""
    if section.endswith(".toml"):
        return load_quiz_file(Path(section))
    if not re.match(SECTION_PATTERN, section):
        raise BadInput(f"quiz: {section!r} is not a section id (c1..c11 or a transversal stem)")
    path = folder / f"{section}.toml"
    if not path.is_file():
        known = ", ".join(p.stem for p in quiz_files(folder)) or "none"
        raise BadInput(f"quiz: unknown section {section!r} (known: {known})")
    return load_quiz_file(path)


def parse_answers(text: str, quiz: Quiz) -> list[int]:
    """`1,0,2` (0-based indices, as `answer` in the file) or `b,a,c` (letters): one per question."""
    parts = [p.strip().lower() for p in text.split(",")]
    if len(parts) != len(quiz.questions):
        raise BadInput(f"--answers: {len(parts)} answer(s) given, the quiz has {len(quiz.questions)} questions")
    answers = []
    for question, part in zip(quiz.questions, parts):
        if part.isdigit():
            index = int(part)
        elif len(part) == 1 and "a" <= part <= "z":
            index = ord(part) - ord("a")
        else:
            raise BadInput(f"--answers: {part!r} for {question.id} is neither an index (0, 1...) nor a letter (a, b...)")
        if not 0 <= index < len(question.choices):
            raise BadInput(f"--answers: {part!r} for {question.id}: the question has {len(question.choices)} choices")
        answers.append(index)
    return answers


@dataclass(frozen=True)
class Graded:
    question: Question
    given: int

    @property
    def correct(self) -> bool:
        return self.given == self.question.answer


def grade(quiz: Quiz, answers: list[int]) -> list[Graded]:
    return [Graded(q, a) for q, a in zip(quiz.questions, answers)]


def letter(index: int) -> str:
    return chr(ord("A") + index)


def quiz_markdown(quiz: Quiz, _) -> str:
    """The site's page: each question with its choices; the answer and explanation folded away."""
    lines = [f"# {quiz.title}", "",
             _("Try it in a terminal too: `cda quiz {section}` asks the questions and gives your score.").format(
                 section=quiz.section), ""]
    word, answer = _("Question"), _("Answer")
    for number, question in enumerate(quiz.questions, 1):
        lines += [f"## {word} {number}", "", question.question, ""]
        lines += [f"- {letter(i)}. {choice}" for i, choice in enumerate(question.choices)]
        lines += ["", "<details>", f"<summary>{answer}</summary>", "",
                  f"**{letter(question.answer)}. {question.choices[question.answer]}**", "",
                  question.explanation, "", "</details>", ""]
    return "\n".join(lines)
