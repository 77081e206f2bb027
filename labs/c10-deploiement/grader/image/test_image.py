"""L'image de production, lue dans le Dockerfile : plusieurs étapes, base épinglée, utilisateur
non root, HEALTHCHECK. (Les règles ANSSI et hadolint sont un contrôle à part.)"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest


def stages() -> list[tuple[str, str | None, list[tuple[str, str]]]]:
    """[(image, alias, [(INSTRUCTION, arguments)])] of the submission's Dockerfile."""
    path = Path(os.environ.get("CDA_SUBMISSION") or Path.cwd()) / "Dockerfile"
    if not path.is_file():
        pytest.fail("Dockerfile absent")
    text = re.sub(r"\\\n", " ", path.read_text(encoding="utf-8", errors="replace"))
    found: list = []
    for line in text.splitlines():
        words = line.strip().split(None, 1)
        if not words or words[0].startswith("#"):
            continue
        keyword, args = words[0].upper(), (words[1] if len(words) > 1 else "")
        if keyword == "FROM":
            parts = [w for w in args.split() if not w.startswith("--")]
            alias = parts[2] if len(parts) >= 3 and parts[1].lower() == "as" else None
            found.append((parts[0] if parts else "", alias, []))
        elif found:
            found[-1][2].append((keyword, args))
    if not found:
        pytest.fail("le Dockerfile n'a aucune instruction FROM")
    return found


def test_construction_en_plusieurs_etapes():
    built = stages()
    assert len(built) >= 2, "une seule étape : les outils de construction restent dans l'image"
    final = built[-1][2]
    assert any(k == "COPY" and "--from=" in a for k, a in final), "l'étape finale ne copie rien d'une étape de construction"


def test_image_de_base_epinglee():
    aliases = {alias for _, alias, _ in stages() if alias}
    for image, _, _ in stages():
        if image in aliases or image == "scratch":
            continue
        name = image.split("@", 1)[0]
        tag = name.rsplit(":", 1)[1] if ":" in name.rsplit("/", 1)[-1] else None
        assert "@sha256:" in image or (tag and tag != "latest"), f"image de base non épinglée : {image}"


def test_utilisateur_non_root():
    users = [a.split(":", 1)[0].strip() for k, a in stages()[-1][2] if k == "USER"]
    assert users and users[-1] not in ("root", "0"), "l'image finale tourne en root"


def test_healthcheck():
    checks = [a for k, a in stages()[-1][2] if k == "HEALTHCHECK"]
    assert checks and not checks[-1].upper().startswith("NONE"), "pas de HEALTHCHECK dans l'image finale"
