"""`workplan diff A [B]`: what changed between two plans, in the plan's own terms."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Optional

import typer

from workplan_cli.cli.common import AreaOption, RepoOption, TopicOption, open_repo
from workplan_cli.cli.output import echo, is_terminal, print_json, print_rich, write
from workplan_cli.output.inert import one_line

EXIT_DIFFERENCES = 4  # 1 is taken by errors, 2 by usage errors, 3 by internal errors

STYLES = {"+": "green", "-": "red", ">": "cyan", "~": "yellow", " ": "bold"}


class DiffFormat(StrEnum):
    TREE = "tree"
    TEXT = "text"
    MARKDOWN = "markdown"
    JSON = "json"


def diff(
    old: Annotated[
        str,
        typer.Argument(
            metavar="OLD",
            help="A plan: version (2024), file path, or GITREV:VERSION (HEAD~1:2024, main:2025).",
        ),
    ],
    new: Annotated[
        Optional[str],
        typer.Argument(
            metavar="[NEW]",
            help="The plan to compare with (default: the working copy of OLD's version).",
            show_default=False,
        ),
    ] = None,
    area: AreaOption = None,
    topic: TopicOption = None,
    format: Annotated[
        DiffFormat,
        typer.Option(
            "--format",
            "-f",
            help="tree (text when piped), text, markdown (for a pull request) or json.",
        ),
    ] = DiffFormat.TREE,
    exit_code: Annotated[
        bool,
        typer.Option(
            "--exit-code",
            help=f"Exit {EXIT_DIFFERENCES} when the plans differ, 0 when they do not.",
        ),
    ] = False,
    repo: RepoOption = None,
) -> None:
    """Compare two plans: areas, topics and activities added, removed, moved or changed.

    Entries are matched by id, and a renumbered or moved activity by its text.

    Example: workplan diff 2024 2025 --format markdown
    """
    from workplan_cli.diff.plans import diff_plans, narrow
    from workplan_cli.errors import WorkplanError
    from workplan_cli.git.sides import load_side
    from workplan_cli.output import diffrender

    store = open_repo(repo)
    before = load_side(store, old)
    if new is None:
        if before.working_copy_version is not None:
            raise WorkplanError(
                f"{old!r} is the working copy itself: give a second plan "
                f"(workplan diff {old} NEW) or a git revision (workplan diff HEAD:{old})"
            )
        new = before.plan.version
    after = load_side(store, new)
    result = diff_plans(before.plan, after.plan, before.stakeholders, after.stakeholders)
    for what, idents in (("area", area), ("topic", topic)):
        for ident in idents or ():
            if ident not in result.titles:
                raise WorkplanError(f"no {what} {ident!r} in {before.name} or {after.name}")
    result = narrow(result, area, topic)
    if format is DiffFormat.JSON:
        print_json(diffrender.to_json(result, before, after))
    elif format is DiffFormat.MARKDOWN:
        echo(diffrender.to_markdown(result, before, after).rstrip("\n"))
    elif format is DiffFormat.TREE and is_terminal():
        _print_tree(result, before, after)
    else:
        write(diffrender.to_text(result, before, after))
    if exit_code and not result.empty:
        raise typer.Exit(EXIT_DIFFERENCES)


def _print_tree(result, before, after) -> None:
    from rich.text import Text
    from rich.tree import Tree

    from workplan_cli.output import diffrender

    print_rich(Text(one_line(diffrender.heading(result, before, after)), style="bold"))
    if result.empty:
        print_rich(Text("No differences."))
        return
    for line in diffrender.summary_lines(result):
        print_rich(Text(line))

    def add(tree, node) -> None:
        label = Text(one_line(f"{node.mark} {node.label}".strip()), style=STYLES.get(node.mark, ""))
        for word in diffrender.shorten(node.words or []):
            style = {"-": "red strike", "+": "green underline"}.get(word.op, "")
            label.append(" ")
            label.append(one_line(word.text), style=style)
        branch = tree.add(label)
        for child in node.children:
            add(branch, child)

    root = Tree(Text(one_line(f"{before.name} → {after.name}"), style="bold"), guide_style="dim")
    for node in diffrender.outline(result):
        add(root, node)
    print_rich(root)
