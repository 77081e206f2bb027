"""Dockerfiles (and compose files) against ANSSI's container recommendations, plus hadolint.

Our own rules read the Dockerfile as text: final user, pinned base images, secrets in ENV/ARG,
ADD from URLs, `curl | sh`, HEALTHCHECK. hadolint adds its best-practice rules (its own messages,
in English); its rules that duplicate ours (DL3002, DL3006, DL3007) are dropped.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from graders.security.model import Hit
from graders.security.runner import ToolCall, ToolRun, tool_path
from graders.security.tools.secrets_scan import classify

HADOLINT_DUPLICATES = {"DL3002", "DL3006", "DL3007", "DL3064"}
HADOLINT_SEVERITY = {"error": "medium", "warning": "low", "info": "info", "style": "info"}
SECRET_NAME = re.compile(r"(?i)(pass(word)?|passwd|pwd|secret|token|api_?key|access_?key|private_?key|credential|auth_?key)")
NOT_A_SECRET_NAME = re.compile(r"(?i)(_FILE|_PATH|_DIR|_URL|_HOST|_PORT|_USER|_NAME|_LENGTH|_EXPIRE\w*|_TTL)$")
PIPE_TO_SHELL = re.compile(r"\b(curl|wget)\b[^|;&]*\|\s*(sudo\s+)?(ba|z|da|k)?sh\b")
REPORT = "hadolint-{index}.json"
COMPOSE_NAMES = re.compile(r"^(docker-)?compose(\.[\w-]+)?\.ya?ml$")


@dataclass
class Instruction:
    keyword: str
    args: str
    line: int


@dataclass
class Stage:
    image: str
    alias: str | None
    line: int
    instructions: list[Instruction] = field(default_factory=list)


def parse(text: str) -> tuple[list[Instruction], list[Stage]]:
    instructions: list[Instruction] = []
    buffer, start = "", 0
    for number, raw in enumerate(text.splitlines(), 1):
        stripped = raw.strip()
        if not buffer and (not stripped or stripped.startswith("#")):
            continue
        if buffer and stripped.startswith("#"):
            continue
        if not buffer:
            start = number
        if stripped.endswith("\\"):
            buffer += stripped[:-1] + " "
            continue
        buffer += stripped
        keyword, _, args = buffer.partition(" ")
        instructions.append(Instruction(keyword.upper(), args.strip(), start))
        buffer = ""
    if buffer:
        keyword, _, args = buffer.partition(" ")
        instructions.append(Instruction(keyword.upper(), args.strip(), start))
    stages: list[Stage] = []
    for ins in instructions:
        if ins.keyword == "FROM":
            words = [w for w in ins.args.split() if not w.startswith("--")]
            image = words[0] if words else ""
            alias = words[2] if len(words) >= 3 and words[1].lower() == "as" else None
            stages.append(Stage(image, alias, ins.line))
        elif stages:
            stages[-1].instructions.append(ins)
    return instructions, stages


def _env_pairs(args: str) -> list[tuple[str, str]]:
    if "=" not in args.split(" ", 1)[0]:
        name, _, value = args.partition(" ")
        return [(name, value.strip())]
    pairs = []
    for match in re.finditer(r"""([A-Za-z_][A-Za-z0-9_]*)=("[^"]*"|'[^']*'|\S*)""", args):
        pairs.append((match.group(1), match.group(2).strip("'\"")))
    return pairs


def check_dockerfile(rel: str, text: str, _) -> list[Hit]:
    hits: list[Hit] = []
    _instructions, stages = parse(text)
    if not stages:
        return hits
    aliases = {s.alias.lower() for s in stages if s.alias}
    for stage in stages:
        image = stage.image
        if not image or image.lower() == "scratch" or image.lower() in aliases or "$" in image:
            continue
        name_part = image.split("@", 1)[0]
        tag = name_part.rsplit(":", 1)[1] if ":" in name_part.rsplit("/", 1)[-1] else None
        if "@sha256:" not in image and (tag is None or tag == "latest"):
            hits.append(Hit("docker-unpinned-image", rel, stage.line, source="dockerfile",
                            detail=_("Image: {image}.").format(image=image)))
    final = stages[-1]
    users = [ins for ins in final.instructions if ins.keyword == "USER"]
    base = final.image.lower()
    if users:
        last = users[-1]
        user = last.args.split(":", 1)[0].strip()
        if user in ("root", "0"):
            hits.append(Hit("docker-root-user", rel, last.line, source="dockerfile",
                            detail=_("The last USER instruction switches back to root.")))
    elif "nonroot" not in base and "rootless" not in base and base != "scratch":
        hits.append(Hit("docker-root-user", rel, final.line, source="dockerfile",
                        detail=_("The final stage has no USER instruction.")))
    if not any(ins.keyword == "HEALTHCHECK" and not ins.args.upper().startswith("NONE") for ins in final.instructions):
        hits.append(Hit("docker-no-healthcheck", rel, final.line, source="dockerfile"))
    for stage in stages:
        for ins in stage.instructions:
            if ins.keyword in ("ENV", "ARG"):
                pairs = _env_pairs(ins.args) if ins.keyword == "ENV" else [
                    (ins.args.split("=", 1)[0].strip(), ins.args.split("=", 1)[1].strip().strip("'\"") if "=" in ins.args else "")]
                for name, value in pairs:
                    if not SECRET_NAME.search(name) or NOT_A_SECRET_NAME.search(name):
                        continue
                    if not value:
                        if ins.keyword == "ARG":
                            hits.append(Hit("docker-secret-in-layer", rel, ins.line, source="dockerfile", severity="medium",
                                            confidence="medium",
                                            detail=_("Build argument {name}: its value is recorded in the image history.")
                                            .format(name=name)))
                        continue
                    kind = "variable" if value.startswith("$") else classify(value, rel)
                    if kind == "variable":
                        hits.append(Hit("docker-secret-in-layer", rel, ins.line, source="dockerfile", severity="medium",
                                        confidence="medium",
                                        detail=_("{keyword} {name} copies a build argument into the image.").format(
                                            keyword=ins.keyword, name=name)))
                    elif kind == "placeholder":
                        hits.append(Hit("docker-secret-in-layer", rel, ins.line, source="dockerfile", severity="low",
                                        confidence="medium",
                                        detail=_("{keyword} {name}: the value looks like a placeholder, but a real "
                                                 "secret must never be set this way.").format(keyword=ins.keyword, name=name)))
                    else:
                        hits.append(Hit("docker-secret-in-layer", rel, ins.line, source="dockerfile",
                                        detail=_("{keyword} {name}.").format(keyword=ins.keyword, name=name)))
            elif ins.keyword == "ADD":
                words = ins.args.split()
                if "--checksum" in ins.args:
                    continue
                if any(re.match(r"^https?://", w) for w in words if not w.startswith("--")):
                    hits.append(Hit("docker-add-url", rel, ins.line, source="dockerfile"))
            elif ins.keyword == "RUN" and PIPE_TO_SHELL.search(ins.args):
                hits.append(Hit("docker-pipe-to-shell", rel, ins.line, source="dockerfile"))
    return hits


def check_compose(rel: str, text: str, _) -> list[Hit]:
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError:
        return []
    if not isinstance(data, dict) or not isinstance(data.get("services"), dict):
        return []
    lines = text.splitlines()

    def line_of(needle: str) -> int:
        return next((i for i, line in enumerate(lines, 1) if needle in line), 1)

    hits = []
    for name, service in data["services"].items():
        if not isinstance(service, dict):
            continue
        if service.get("privileged") is True:
            hits.append(Hit("compose-privileged", rel, line_of("privileged"), source="compose",
                            detail=_("Service {name}.").format(name=name)))
        for volume in service.get("volumes") or []:
            text_volume = volume if isinstance(volume, str) else str((volume or {}).get("source", ""))
            if "docker.sock" in text_volume:
                hits.append(Hit("compose-docker-socket", rel, line_of("docker.sock"), source="compose",
                                detail=_("Service {name}.").format(name=name)))
    return hits


def hadolint_calls(dockerfiles: list[str], timeout: float = 120) -> list[ToolCall]:
    exe = tool_path("hadolint")
    if exe is None:
        return []
    return [ToolCall(f"hadolint-{i}", [exe, "--no-fail", "--no-color", "--disable-ignore-pragma", "-c",
                                       "{cda}/hadolint.yaml", "-f", "json", rel],
                     timeout=timeout, stdout=REPORT.format(index=i))
            for i, rel in enumerate(dockerfiles)]


def hadolint_hits(out: Path, dockerfiles: list[str], _) -> tuple[list[Hit], list[str]]:
    hits, problems = [], []
    for index, rel in enumerate(dockerfiles):
        report = out / REPORT.format(index=index)
        try:
            items = json.loads(report.read_text(encoding="utf-8")) if report.is_file() else None
        except json.JSONDecodeError:
            items = None
        if items is None:
            problems.append(rel)
            continue
        for item in items:
            code = item.get("code", "")
            if code in HADOLINT_DUPLICATES:
                continue
            hits.append(Hit("hadolint", rel, item.get("line"), source="hadolint",
                            severity=HADOLINT_SEVERITY.get(item.get("level", ""), "low"),
                            finding_rule=f"hadolint-{code}",
                            message=_("Dockerfile best practice (hadolint {code}): {text}").format(
                                code=code, text=item.get("message", "")),
                            references=[f"hadolint {code}", "ANSSI déploiement de conteneurs Docker (ANSSI-FT-082)"]))
    return hits, problems


def own_hits(root: Path, dockerfiles: list[str], compose_files: list[str], _) -> list[Hit]:
    hits = []
    for rel in dockerfiles:
        try:
            text = (root / rel).read_text(encoding="utf-8", errors="replace")
        except OSError:
            continue
        hits.extend(check_dockerfile(rel, text, _))
    for rel in compose_files:
        try:
            text = (root / rel).read_text(encoding="utf-8", errors="replace")
        except OSError:
            continue
        hits.extend(check_compose(rel, text, _))
    return hits


def compose_files(text_files: list[str]) -> list[str]:
    return [rel for rel in text_files if COMPOSE_NAMES.match(rel.rsplit("/", 1)[-1])]


def failed(runs: dict[str, ToolRun]) -> str | None:
    for name, run in runs.items():
        if name.startswith("hadolint") and run.failed:
            return run.reason()
    return None
