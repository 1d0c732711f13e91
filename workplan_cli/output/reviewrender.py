"""A review as a pull-request comment (Markdown) or as JSON (pure functions returning values)."""

from __future__ import annotations

from workplan_cli.git.review import ADDED, REMOVED, RENAMED, FileReview, Review
from workplan_cli.output import diffrender
from workplan_cli.output.diffrender import MARKS, Node, field_node
from workplan_cli.output.markdown import md
from workplan_cli.output.markdown import md_inline as md_escape
from workplan_cli.plan.agreed import and_list

JSON_FORMAT = 1  # bump when the JSON shape changes in a way that breaks readers


def to_markdown(review: Review) -> str:
    """Returns the review as Markdown ready to post as a pull-request comment."""
    lines = ["## Work plan review", "", _compared(review), ""]
    lines += _validation(review)
    agreement = agreement_lines(review)
    if agreement:
        lines += ["", "### Agreement", "", *agreement]
    if not review.files and review.stakeholders is None and not review.stakeholders_skipped:
        lines += ["", "No plan or stakeholder files changed."]
        return "\n".join(lines) + "\n"
    lines += ["", "### Status changes", ""]
    lines += _status_table(review)
    lines += ["", "### Files", ""]
    lines += [f"- {_file_line(f)}" for f in review.files]
    if review.stakeholders is not None or review.stakeholders_skipped:
        lines.append(f"- {md(review.data_dir + '/stakeholders.yaml')}: changed")
        lines += ["", "### Stakeholders", ""]
        lines += _stakeholder_lines(review)
    for f in review.files:
        if f.diff is not None and f.old is not None and f.new is not None:
            lines += ["", *_demoted(diffrender.to_markdown(f.diff, f.old, f.new))]
    return "\n".join(lines).rstrip("\n") + "\n"


def _compared(review: Review) -> str:
    head = "the working tree" if review.head_commit is None else f"HEAD ({review.head_commit[:12]})"
    return (
        f"Changes in {head} since its merge base with {md_escape(review.base)} "
        f"({review.merge_base[:12]})."
    )


def _validation(review: Review) -> list[str]:
    waiting = [f"- {md(str(p))}" for p in review.awaiting]
    if waiting:
        waiting = ["", "⏳ Awaiting the parties' approval:", "", *waiting]
    if review.valid:
        return [f"✅ The new state is valid ({review.checked} files checked).", *waiting]
    n = len(review.invalid)
    out = [f"❌ The new state does not validate ({n} problem{'s' * (n != 1)}):", ""]
    return out + [f"- {md(str(p))}" for p in review.invalid] + waiting


def agreement_lines(review: Review) -> list[str]:
    """Returns, per plan file, what needs the parties' agreement and what is progress: "needs
    agreement of MICDE and BMDV: 3 changes (approved by: MICDE)", "progress: 4 status updates",
    the approvals and the signing the change made, and commit by commit who changed what."""
    out = []
    for f in review.files:
        a = f.agreement
        if a is None or f.new is None:
            continue
        names = {s.id: s.label for s in f.new.stakeholders.stakeholders}

        def named(ids, names=names) -> str:
            return and_list([names.get(i, i) for i in ids])

        head = md_escape(a.version) + ":"
        if a.changes:
            n = len(a.changes)
            what = f"{n} change{'s' * (n != 1)}"
            if a.needs_agreement:
                approved = f" (approved by: {md_escape(named(a.approved))})" if a.approved else ""
                text = f"❌ needs agreement of {md_escape(named(a.parties))}: {what}{approved}"
            else:
                text = f"✅ agreed by {md_escape(named(a.parties))}: {what}"
            out.append(f"- {head} {text}")
            out.append(f"  - agreed content changed: {md_escape(', '.join(a.changes))}")
        if a.progress or a.actuals:
            n, other = a.status_updates, a.progress - a.status_updates
            parts = [f"{n} status update{'s' * (n != 1)}"] if a.progress else []
            if other:
                parts.append(f"{other} other update{'s' * (other != 1)}")
            if a.actuals:
                parts.append(f"{a.actuals} actual{'s' * (a.actuals != 1)} recorded")
            out.append(f"- {head} progress: {', '.join(parts)}")
        for approval in a.approvals:
            who = md_escape(f"{names.get(approval.party, approval.party)} ({approval.by}")
            out.append(f"- {head} approved by {who}, {approval.date})")
        if a.signed is not None:
            out.append(
                f"- {head} signed {a.signed.date} by {md_escape(named(a.signed.by or a.parties))}"
            )
        for c in a.authors:
            did = []
            if c.agreed:
                did.append(f"agreed content ({', '.join(c.agreed)})")
            if c.approvals:
                did.append(f"approval by {named(c.approvals)}")
            if c.signed:
                did.append("signing")
            if c.progress:
                did.append("progress")
            if did:
                out.append(
                    f"  - {c.commit[:12]} {md_escape(c.author)}: {md_escape('; '.join(did))}"
                )
    return out


def _status_table(review: Review) -> list[str]:
    if not review.status_changes:
        return ["No status changes."]
    out = ["| Plan | Activity | Title | From | To | Date | Note |", "|---|---|---|---|---|---|---|"]
    for s in review.status_changes:
        cells = [s.version, s.id, s.title, s.old or "", s.new, s.date or "", s.note or ""]
        out.append("| " + " | ".join(md_escape(str(c)) for c in cells) + " |")
    return out


def _file_line(f: FileReview) -> str:
    text = f"{md(f.path)}: {f.change}"  # md: it starts a list item
    if f.change == RENAMED:
        text += f" from {md_escape(f.old_path or '')}"
    if f.change in (ADDED, REMOVED) and f.activities is not None:
        text += f" ({f.activities} activit{'y' if f.activities == 1 else 'ies'})"
    if f.skipped:
        text += f"; {md_escape(f.skipped)}"
    elif f.diff is not None and f.diff.empty:
        text += "; no differences in the plan's content"
    return text


def _stakeholder_lines(review: Review) -> list[str]:
    if review.stakeholders_skipped:
        return [md(review.stakeholders_skipped) + "; not compared."]
    if not review.stakeholders:
        return ["No differences in the stakeholders' content."]
    nodes = [
        Node(MARKS[s.change], f"{s.id}  {s.name}", children=[field_node(f) for f in s.fields])
        for s in review.stakeholders
    ]
    return diffrender.markdown_list(nodes)


def _demoted(markdown: str) -> list[str]:
    """Returns the lines with each heading one level deeper: the diff sits inside the review."""
    # Plan text is escaped by the renderer (a '#' in it becomes '\#'), so only headings match.
    return ["#" + line if line.startswith("#") else line for line in markdown.splitlines()]


# --- JSON ------------------------------------------------------------------------------------


def to_json(review: Review) -> dict:
    """Returns the documented JSON shape (see docs/git-review.md, `workplan review`)."""
    return {
        "format": JSON_FORMAT,
        "base": {"rev": review.base, "commit": review.base_commit, "merge_base": review.merge_base},
        "head": {
            "worktree": review.head_commit is None,
            "commit": review.head_commit,
        },
        "valid": review.valid,
        "agreed": review.agreed,
        "checked": review.checked,
        "problems": [p.as_dict() for p in review.invalid],
        "awaiting_approval": [p.as_dict() for p in review.awaiting],
        "status_changes": [
            {
                "version": s.version,
                "id": s.id,
                "title": s.title,
                "from": s.old,
                "to": s.new,
                "date": s.date,
                "note": s.note,
            }
            for s in review.status_changes
        ],
        "files": [_file(f) for f in review.files],
        "stakeholders": {
            "changed": review.stakeholders is not None or review.stakeholders_skipped is not None,
            "skipped": review.stakeholders_skipped,
            "changes": [
                {
                    "change": s.change,
                    "id": s.id,
                    "name": s.name,
                    "fields": [diffrender.field_json(f) for f in s.fields],
                }
                for s in review.stakeholders or []
            ],
        },
    }


def _file(f: FileReview) -> dict:
    diff = None
    if f.diff is not None and f.old is not None and f.new is not None:
        diff = diffrender.to_json(f.diff, f.old, f.new)
    return {
        "path": f.path,
        "old_path": f.old_path,
        "change": f.change,
        "version": f.version,
        "activities": f.activities,
        "skipped": f.skipped,
        "agreement": None if f.agreement is None else _agreement(f.agreement),
        "diff": diff,
    }


def _agreement(a) -> dict:
    return {
        "parties": list(a.parties),
        "changes": list(a.changes),
        "needs_agreement": a.needs_agreement,
        "approved_by": list(a.approved),
        "pending": list(a.pending),
        "status_updates": a.status_updates,
        "progress_updates": a.progress,
        "actuals_recorded": a.actuals,
        "approvals": [
            {"party": x.party, "by": x.by, "date": x.date.isoformat(), "digest": x.digest}
            for x in a.approvals
        ],
        "signed": None
        if a.signed is None
        else {"date": a.signed.date.isoformat(), "by": list(a.signed.by)},
        "commits": [
            {
                "commit": c.commit,
                "author": c.author,
                "agreed": list(c.agreed),
                "approvals": list(c.approvals),
                "signed": c.signed,
                "progress": c.progress,
            }
            for c in a.authors
        ],
    }
