"""`python -m graders.course_site`: build the course site (default, `-o build/site`), print the word
counts of the French teaching (`--words`), or refresh / check the CCP pages' mapping blocks
(`--mapping write|check`). Exit codes: 0 done; 1 `--mapping check` found stale blocks; 2 bad input."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from graders.errors import CdaError
from graders.paths import REPO_ROOT


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m graders.course_site", description=__doc__.split("\n\n")[0])
    parser.add_argument("-o", "--output", type=Path, default=REPO_ROOT / "build" / "site", help="Site folder.")
    parser.add_argument("--words", action="store_true", help="Print the French word count per section.")
    parser.add_argument("--verbose", action="store_true", help="Print MkDocs' warnings (broken links...) one by one.")
    parser.add_argument("--mapping", choices=("write", "check"), help="Refresh or check the CCP pages' mapping blocks.")
    args = parser.parse_args(argv)
    try:
        if args.words:
            from graders.course_site.words import course_words

            counts = course_words()
            for section, words in counts.items():
                print(f"{section:32} {words:7}")
            print(f"{'total':32} {sum(counts.values()):7}")
            return 0
        if args.mapping:
            from graders.course_site.mapping import sync_mappings
            from graders.labs import discover_labs
            from graders.referentiel import load_referentiel

            stale = sync_mappings(REPO_ROOT / "course", load_referentiel(), discover_labs(), args.mapping == "write")
            for path in stale:
                print(f"{path.relative_to(REPO_ROOT)}: {'updated' if args.mapping == 'write' else 'out of date'}")
            return 1 if stale and args.mapping == "check" else 0
        from graders.course_site.build import build_site

        stats = build_site(args.output.resolve())
        for warning in stats["warnings"] if args.verbose else []:
            print(f"  warning: {warning}")
        print(f"site: {args.output} ({stats['pages']} pages, {stats['html_files']} HTML files, {stats['seconds']} s, "
              f"{len(stats['warnings'])} MkDocs warning(s){'' if args.verbose else ': --verbose lists them'})")
        return 0
    except CdaError as exc:
        print(f"course_site: error: {exc}", file=sys.stderr)
        return exc.exit_code


if __name__ == "__main__":
    sys.exit(main())
