"""The médiathèque's cahier des charges: read `cahier-des-charges.toml`, render its Markdown.

`python -m course.mediatheque.cahier [--check]` writes `cahier-des-charges.md` (or, with --check,
exits 1 when it differs); `--source X.toml --output X.md` renders another one (the template of
course/modeles/, a learner's own). Graders read the TOML (ids, actors, use cases).
"""

from __future__ import annotations

import argparse
import sys
import tomllib
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
SOURCE = HERE / "cahier-des-charges.toml"
RENDERED = HERE / "cahier-des-charges.md"
CATEGORIES = {"fonctionnelle": "Fonctionnelle", "performance": "Performance", "securite": "Sécurité",
              "rgpd": "RGPD", "rgaa": "RGAA"}


@dataclass(frozen=True)
class Requirement:
    id: str
    title: str
    text: str
    category: str
    priority: str
    owner: str
    actors: tuple[str, ...]
    use_cases: tuple[str, ...]


@dataclass(frozen=True)
class Cahier:
    data: dict
    requirements: tuple[Requirement, ...]
    actors: dict[str, str]  # id -> name
    use_cases: dict[str, tuple[str, tuple[str, ...]]]  # id -> (name, actor ids)
    owners: dict[str, str]


def load(path: Path = SOURCE) -> Cahier:
    """The cahier des charges, checked: every reference (owner, actor, use case, priority) is declared.
    Raises ValueError with one line naming the requirement and the unknown reference."""
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    actors = {a["id"]: a["name"] for a in data["actors"]}
    owners = {o["id"]: o["name"] for o in data["owners"]}
    use_cases = {u["id"]: (u["name"], tuple(u["actors"])) for u in data["use_cases"]}
    requirements = tuple(Requirement(r["id"], r["title"], r["text"], r["category"], r["priority"], r["owner"],
                                     tuple(r["actors"]), tuple(r["use_cases"])) for r in data["requirements"])
    for uc_id, (_, uc_actors) in use_cases.items():
        if unknown := set(uc_actors) - set(actors):
            raise ValueError(f"{path.name}: {uc_id}: unknown actor {sorted(unknown)[0]}")
    seen = set()
    for req in requirements:
        problems = [f"unknown actor {a}" for a in req.actors if a not in actors]
        problems += [f"unknown use case {u}" for u in req.use_cases if u not in use_cases]
        problems += [f"unknown owner {req.owner}"] if req.owner not in owners else []
        problems += [f"unknown priority {req.priority}"] if req.priority not in data["priorities"] else []
        problems += [f"unknown category {req.category}"] if req.category not in CATEGORIES else []
        problems += ["duplicate id"] if req.id in seen else []
        if problems:
            raise ValueError(f"{path.name}: {req.id}: {problems[0]}")
        seen.add(req.id)
    return Cahier(data, requirements, actors, use_cases, owners)


def render(cahier: Cahier) -> str:
    data = cahier.data
    lines = [f"# {data['title']}", "",
             "<!-- Généré depuis cahier-des-charges.toml : python -m course.mediatheque.cahier -->", "",
             f"Version {data['version']} · Commanditaire : {data['client']}", "", "## Contexte", "",
             data["context"].strip(), "", "## Acteurs", "", "| Acteur | Description |", "|---|---|"]
    lines += [f"| {a['name']} | {a['description']} |" for a in data["actors"]]
    lines += ["", "## Cas d'utilisation", "", "| Id | Cas d'utilisation | Acteurs |", "|---|---|---|"]
    lines += [f"| {uc_id} | {name} | {', '.join(cahier.actors[a] for a in actors)} |"
              for uc_id, (name, actors) in cahier.use_cases.items()]
    lines += ["", "## Priorités", "", "| Priorité | Sens |", "|---|---|"]
    lines += [f"| {name} | {meaning} |" for name, meaning in data["priorities"].items()]
    lines += ["", "## Porteurs des exigences", "", "| Id | Porteur |", "|---|---|"]
    lines += [f"| `{oid}` | {name} |" for oid, name in cahier.owners.items()]
    lines += ["", "## Exigences", "",
              "| Id | Exigence | Catégorie | Priorité | Porteur | Acteurs | Cas d'utilisation |",
              "|---|---|---|---|---|---|---|"]
    for r in cahier.requirements:
        lines.append(f"| {r.id} | **{r.title}** : {r.text} | {CATEGORIES[r.category]} | {r.priority} | "
                     f"{cahier.owners[r.owner]} | {', '.join(cahier.actors[a] for a in r.actors)} | "
                     f"{', '.join(r.use_cases)} |")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m course.mediatheque.cahier", description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="write nothing; exit 1 when the Markdown differs")
    parser.add_argument("--source", type=Path, default=SOURCE, help="the cahier des charges (TOML)")
    parser.add_argument("--output", type=Path, default=None, help="the Markdown to write (default: beside the source)")
    args = parser.parse_args(argv)
    output = args.output or args.source.with_suffix(".md")
    try:
        text = render(load(args.source))
    except (OSError, ValueError, KeyError, TypeError, tomllib.TOMLDecodeError) as exc:
        print(f"error: {args.source}: {exc}", file=sys.stderr)
        return 2
    current = output.read_text(encoding="utf-8") if output.is_file() else None
    if current == text:
        return 0
    if args.check:
        print(f"differs: {output} (run python -m course.mediatheque.cahier)", file=sys.stderr)
        return 1
    output.write_text(text, encoding="utf-8")
    print(f"written: {output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
