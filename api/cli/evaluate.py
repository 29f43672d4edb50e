"""`hfkg eval FILE`: a questions file asked and scored (api/cli/scoring.py), per question and overall."""

from __future__ import annotations

import argparse
import json

from api.cli.output import EXIT_OK, print_json
from api.cli.scoring import score
from api.reads import Reads


def cmd_eval(reads: Reads, args: argparse.Namespace) -> int:
    questions = json.loads(args.file.read_text(encoding="utf-8"))
    report = score(questions, reads.ask)
    if args.json:
        print_json(report)
        return EXIT_OK
    for q in report["questions"]:
        print(
            f"{q['id']:<32} recall {q['recall']:.2f}  precision {q['precision']:.2f}  "
            f"evidence {q['evidence_rate']:.2f}  forbidden {len(q['forbidden'])}"
        )
        if q["missing"]:
            print(f"    missing: {', '.join(q['missing'])}")
        if q["unexpected"]:
            print(f"    unexpected: {', '.join(q['unexpected'])}")
    o = report["overall"]
    print(
        f"\noverall: recall {o['recall']:.3f}  precision {o['precision']:.3f}  "
        f"evidence {o['evidence_rate']:.3f}  forbidden {o['forbidden']}  ({o['questions']} questions)"
    )
    return EXIT_OK
