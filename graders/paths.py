"""Where the platform's own files live (a source checkout: the package sits beside course/ and labs/)."""

import os
from pathlib import Path

REPO_ROOT = Path(os.environ.get("CDA_ROOT", Path(__file__).resolve().parent.parent))
LABS_DIR = Path(os.environ.get("CDA_LABS_DIR", REPO_ROOT / "labs"))
REFERENTIEL_FILE = REPO_ROOT / "course" / "referentiel.toml"
