"""Print every claim's verdict and every pledge's status of a register for one council, as a TSV table.

    .venv/bin/python scripts/verdicts_table.py E10000003 [--manifesto PATH] [--section 06_transport]

Columns: section, id, claim/pledge, how it is tested (kind or function), verdict or status, why it cannot be
tested, conclusion or evidence. Use it to list the verdicts a change moves: run it before and after, then diff.
"""

from __future__ import annotations

import argparse
import sys

from helpers import areas, register


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("area")
    ap.add_argument("--manifesto", default=None)
    ap.add_argument("--section", default=None)
    args = ap.parse_args(argv)
    m = register.load(args.manifesto)
    area = areas.resolve_briefing_area(args.area)
    out = sys.stdout
    out.write("section\tid\ttype\thow\tverdict\tuntestable\tconclusion\n")
    for what in ("claims", "pledges"):
        for section, entry in m.entries(what):
            if args.section and section != args.section:
                continue
            if register.applies(entry, area.code) is None:
                continue
            ctx = register.Context(area=area, manifesto=m, section=section)
            _, o = register.evaluate(entry, ctx, pledge=what == "pledges")
            how = (
                f"kind {entry.check.parsed().kind}"
                if entry.check
                else (entry.test.function if entry.test else "untestable")
            )
            text = (o.conclusion or o.evidence).replace("\t", " ").replace("\n", " ")
            out.write(f"{section}\t{entry.id}\t{what[:-1]}\t{how}\t{o.verdict}\t{o.untestable}\t{text}\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
