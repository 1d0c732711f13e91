"""Writes a synthetic, valid plan repository of any size: `python benchmarks/make_plan.py 2000 DIR`.

The plan looks like the shipped one: folded text of realistic length, comments, quoted ids,
flow lists, and a status history on some activities. The stakeholders file is the shipped one.
`--indicators N` gives every objective N indicators (a number, a percent and a qualitative one
in turn) with a baseline, targets for 2024 and 2025 and an actual or two.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import shutil
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORDS = [
    "digital",
    "dialogue",
    "expert",
    "exchange",
    "workshop",
    "policy",
    "data",
    "protection",
    "cyber",
    "security",
    "innovation",
    "startup",
    "investment",
    "infrastructure",
    "public",
    "services",
    "government",
    "stakeholders",
    "cooperation",
    "capacity",
    "building",
    "regulation",
    "sandboxing",
    "artificial",
    "intelligence",
    "internet",
    "governance",
    "multilateral",
    "fora",
    "students",
    "industry",
    "associations",
    "civil",
    "society",
    "Kenya",
    "Germany",
]
STAKEHOLDERS = [
    "giz",
    "igf",
    "public-authorities",
    "business",
    "civil-society",
    "academia",
    "students",
]
KINDS = ["expert-exchange", "workshop", "conference", "joint-position", "innovation-challenge"]
FLOW = [("planned", "in-progress"), ("in-progress", "completed"), ("planned", "postponed")]


def sentence(rng: random.Random, words: int) -> str:
    text = " ".join(rng.choice(WORDS) for _ in range(words))
    return text[0].upper() + text[1:] + "."


def folded(text: str, indent: int) -> str:
    pad = " " * indent
    return ">-\n" + "\n".join(pad + line for line in textwrap.wrap(text, 96 - indent))


def make_plan(activities: int, seed: int = 1, dates: bool = False, indicators: int = 0) -> str:
    """Returns the text of a valid plan file with about `activities` activities; with `dates`,
    every activity has a planned start and end in 2024 (so that the schedule has work); with
    `indicators`, that many indicators on every objective."""
    rng = random.Random(seed)
    areas = max(3, activities // 400)
    topics = 8
    per_topic = max(1, round(activities / (areas * topics)))
    out = [
        "# yaml-language-server: $schema=../schema/workplan.schema.json",
        f"# Synthetic plan with {areas * topics * per_topic} activities, for benchmarks only.",
        "schema_version: 1",
        "",
        "plan:",
        "  id: synthetic-dialogue",
        "  title: Synthetic Work Plan",
        "  dialogue: Synthetic Digital Dialogue",
        '  version: "2024"',
        "  status: signed",
        "  parties: [micde, bmdv]",
        "  facilitator: giz",
        "  signed:",
        "    date: 2024-02-13",
        "    occasion: synthetic signing",
        "    recorded_in: the synthetic signing (benchmarks only)",
        *(["  monitoring:", '    periods: ["2024", "2025", "2024-Q4"]'] if indicators else []),
        "",
        "areas:",
    ]
    for a in range(1, areas + 1):
        out += [f'  - id: "{a}"', f"    title: {sentence(rng, 5)[:-1]}", "    topics:"]
        for t in range(1, topics + 1):
            out += [
                f'      - id: "{a}.{t}"',
                f"        title: {sentence(rng, 4)[:-1]}",
                "        objectives:",
                "          - " + folded(sentence(rng, 25), 12),
                "        activities:",
            ]
            for i in range(1, per_topic + 1):
                out += activity(rng, f"{a}.{t}.{i}", dates)
            if indicators:
                out.append("        indicators:")
                for k in range(indicators):
                    out += indicator(rng, f"{a}.{t}-{k + 1}", k)
    return "\n".join(out) + "\n"


MEASURES = ["number", "percent", "qualitative"]


def indicator(rng: random.Random, ident: str, k: int) -> list[str]:
    measure = MEASURES[k % 3]

    def value(low: int, high: int) -> str:
        if measure == "qualitative":
            return '"' + sentence(rng, 8) + '"'
        return str(rng.randint(low, min(high, 100)))

    lines = [
        f'          - id: "{ident}"',
        "            objective: 1",
        f"            text: {sentence(rng, 8)[:-1]}",
        f"            measure: {measure}",
        "            baseline:",
        '              date: "2024-01-15"',
        f"              value: {value(0, 10)}",
        "            targets:",
        '              - period: "2024"',
        f"                value: {value(20, 40)}",
        '              - period: "2025"',
        f"                value: {value(50, 90)}",
        "            actuals:",
    ]
    for day in ("2024-06-30", "2024-11-30")[: rng.randint(1, 2)]:
        lines += [
            f'              - date: "{day}"',
            '                period: "2024"',
            f"                value: {value(5, 40)}",
            f"                note: {sentence(rng, 6)[:-1]}",
        ]
    return lines


def activity(rng: random.Random, ident: str, dates: bool = False) -> list[str]:
    lines = []
    if rng.random() < 0.2:
        lines.append(f"          # {sentence(rng, 10)}")
    stakeholders = ", ".join(rng.sample(STAKEHOLDERS, rng.randint(1, 3)))
    history = []
    status = "planned"
    if rng.random() < 0.3:
        before, status = rng.choice(FLOW)
        if before != "planned":
            history.append(("2024-03-01", "planned", before))
        history.append(("2024-06-15", before, status))
    lines += [
        f'          - id: "{ident}"',
        f"            title: {sentence(rng, 6)[:-1]}",
        "            text: " + folded(sentence(rng, rng.randint(15, 45)), 14),
        f"            kind: {rng.choice(KINDS)}",
        f"            status: {status}",
        "            lead: [micde, bmdv]",
        f"            stakeholders: [{stakeholders}]",
    ]
    if dates:  # a start in the first half of 2024, an end 1 to 180 days after it
        start = dt.date(2024, 1, 1) + dt.timedelta(days=rng.randrange(180))
        end = start + dt.timedelta(days=rng.randint(1, 180))
        lines += [f"            start: {start}", f'            end: "{end}"']
    if history:
        lines.append("            history:")
        for date, before, after in history:
            lines += [
                f"              - date: {date}",
                f"                from: {before}",
                f"                to: {after}",
                f"                note: {sentence(rng, 8)[:-1]}",
            ]
    else:
        lines.append("            history: []")
    lines.append("")
    return lines


def make_repo(
    folder: Path, activities: int, seed: int = 1, dates: bool = False, indicators: int = 0
) -> Path:
    """Writes data/workplan-2024.yaml and data/stakeholders.yaml under `folder`."""
    data = folder / "data"
    data.mkdir(parents=True, exist_ok=True)
    text = make_plan(activities, seed, dates, indicators)
    (data / "workplan-2024.yaml").write_text(text, encoding="utf-8")
    shutil.copy(ROOT / "data" / "stakeholders.yaml", data / "stakeholders.yaml")
    return folder


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("activities", type=int)
    parser.add_argument("folder", type=Path)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--dates", action="store_true", help="a planned start and end on each")
    parser.add_argument("--indicators", type=int, default=0, help="indicators per objective")
    args = parser.parse_args()
    make_repo(args.folder, args.activities, args.seed, args.dates, args.indicators)
    print(args.folder / "data" / "workplan-2024.yaml")


if __name__ == "__main__":
    main()
