"""Hostile files for labs whose submission is data only (C4: plans, reports, a git bundle).

Nothing of the learner's runs there: the attacks aim at the readers (size, encoding, YAML tags),
at git (a workspace dressed as a bare repository whose config names an fsmonitor command, hooks,
filters), and at the grader's own outputs (forged history dumps beside the bundle).
"""

FORGED = ('{"error": null, "commits": [], "heads": {}, "truncated": false, "secrets": [], '
          '"secrets_error": null}')
BARE_CONFIG = ("[core]\n\trepositoryformatversion = 0\n\tbare = true\n\tfsmonitor = touch /tmp/cda-sql-pwned\n"
               "\thooksPath = hooks\n[filter \"pwn\"]\n\tsmudge = touch /tmp/cda-sql-pwned\n")

DATA_ATTACKS = {
    "data-oversized-files": {"plan/chemin-critique.toml": "# " + "x" * (1 << 20) + "\n",
                             "suivi/avancement.toml": "a = 1\n" * 60000},
    "data-not-utf8": {"plan/planning.mmd": b"gantt\n\xff\xfe dateFormat YYYY-MM-DD\n"},
    "data-yaml-object-tags": {"suivi/replanification.yaml": "taches: !!python/object/apply:os.system ['touch /tmp/cda-sql-pwned']\n"},
    "data-git-dressed-workspace": {"HEAD": "ref: refs/heads/main\n", "config": BARE_CONFIG, "objects/info/alternates": "/\n",
                                   "refs/heads/.keep": "", "hooks/post-checkout": "#!/bin/sh\ntouch /tmp/cda-sql-pwned\n",
                                   ".gitattributes": "* filter=pwn\n"},
    "data-forged-dumps": {"history.json": FORGED, "out/history.json": FORGED, "ci/statuts.csv": "commit,statut\n0000000,success\n"},
    "data-garbage-bundle": {"historique.bundle": b"# v2 git bundle\n" + b"\x00" * 4096},
}
