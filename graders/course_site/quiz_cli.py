"""`cda quiz SECTION`: the self-check quiz of a course section, asked in the terminal or graded from
`--answers`. Exit codes: 0 graded (whatever the score); 2 unknown section, malformed quiz file or bad
answers (one line on stderr)."""

from __future__ import annotations

import json
from enum import Enum
from typing import Optional

import typer


class QuizLang(str, Enum):
    fr = "fr"
    en = "en"


def ask(quiz, _) -> list[int]:
    """Asks each question on the terminal; the learner types a letter."""
    from rich.markup import escape
    from rich.prompt import Prompt

    from graders.console import out
    from graders.course_site.quiz import letter

    answers = []
    out.print(f"[bold]{escape(quiz.title)}[/]")
    for number, question in enumerate(quiz.questions, 1):
        out.print(f"\n[bold]{number}/{len(quiz.questions)}[/] {escape(question.question)}")
        letters = [letter(i).lower() for i in range(len(question.choices))]
        for i, choice in enumerate(question.choices):
            out.print(f"  {letters[i].upper()}. {escape(choice)}", highlight=False)
        try:
            given = Prompt.ask(_("Your answer"), choices=letters, case_sensitive=False, console=out)
        except EOFError:
            from graders.errors import BadInput

            raise BadInput("quiz: no answer on the standard input (give them with --answers)") from None
        answers.append(letters.index(given.lower()))
    return answers


def report(quiz, graded, as_json: bool, _) -> None:
    from rich.markup import escape

    from graders.console import out
    from graders.course_site.quiz import letter

    score = sum(g.correct for g in graded)
    if as_json:
        print(json.dumps({
            "section": quiz.section, "title": quiz.title, "score": score, "total": len(graded),
            "questions": [{"id": g.question.id, "given": g.given, "answer": g.question.answer,
                           "correct": g.correct, "explanation": g.question.explanation} for g in graded],
        }, ensure_ascii=False, indent=2))
        return
    out.print()
    for g in graded:
        mark = "[green]✓[/]" if g.correct else "[red]✗[/]"
        right = f"{letter(g.question.answer)}. {g.question.choices[g.question.answer]}"
        line = _("{id}: right").format(id=g.question.id) if g.correct \
            else _("{id}: wrong, the right answer is {answer}").format(id=g.question.id, answer=right)
        out.print(f"{mark} {escape(line)}", highlight=False)
        out.print(f"   {escape(g.question.explanation)}", highlight=False)
    total = _("Score: {score}/{total}").format(score=score, total=len(graded))
    out.print(f"\n[bold]{escape(total)}[/]")


def register(app: typer.Typer) -> None:
    @app.command("quiz")
    def quiz_command(
        section: str = typer.Argument(..., help="The course section: c1..c11 or a transversal stem (course/quiz/<section>.toml), or the path of a quiz file."),
        answers: Optional[str] = typer.Option(None, "--answers", help="Grade these answers instead of asking: 0-based indices as in the file (1,0,2...) or letters (b,a,c...), one per question."),
        lang: QuizLang = typer.Option(QuizLang.fr, "--lang", help="Language of the messages."),
        as_json: bool = typer.Option(False, "--json", help="Print the graded answers as JSON (needs --answers)."),
    ) -> None:
        """Self-check quiz of a course section: asks the questions (or grades --answers), then gives the score and each explanation."""
        from graders.course_site.quiz import grade, load_quiz, parse_answers
        from graders.errors import BadInput
        from graders.i18n import gettext_for

        _ = gettext_for(lang.value)
        quiz = load_quiz(section)
        if answers is None and as_json:
            raise BadInput("--json needs --answers (the questions are asked only on a terminal)")
        given = parse_answers(answers, quiz) if answers is not None else ask(quiz, _)
        report(quiz, grade(quiz, given), as_json, _)
