"""Signing a plan that every party approved, as pure text edits of its file and of the file of
the plan it supersedes; and the one warning of commands that change agreed content."""

from __future__ import annotations

import codecs
import dataclasses
import datetime as dt
from collections.abc import Callable, Collection
from dataclasses import dataclass
from pathlib import Path

from workplan_cli import yamlio
from workplan_cli.edit import progress
from workplan_cli.edit.status import holds
from workplan_cli.errors import WorkplanError
from workplan_cli.git import gitio
from workplan_cli.plan import agreed, load
from workplan_cli.plan.checks import today_anywhere
from workplan_cli.plan.model import Plan, PlanStatus, Signing
from workplan_cli.plan.store import Repo, display_path, parse_plan, read_bytes


class NotAgreedError(WorkplanError):
    """The plan cannot be signed: a party has not approved its agreed content as it is."""

    def __init__(self, message: str, standing: agreed.Standing):
        super().__init__(message)
        self.standing = standing


@dataclass(frozen=True)
class Edit:
    """A planned change of one plan file: its bytes before and after."""

    old: bytes
    new: bytes
    version: str
    status: PlanStatus  # what the plan becomes


def refusal(plan: Plan, s: agreed.Standing) -> str:
    """Returns why the plan cannot be signed: who has not approved, whose approval is of an
    earlier text."""
    parts = []
    if s.missing:
        parts.append(f"no approval by {agreed.and_list(s.missing)}")
    for _, a in s.stale:
        parts.append(f"{a.party} approved an earlier text on {a.date} ({agreed.short(a.digest)})")
    approved = f" (approved by: {agreed.and_list(s.approved)})" if s.approved else ""
    return (
        f"plan {plan.version} cannot be signed: {'; '.join(parts)}{approved}. The agreed "
        f"content now is {agreed.short(s.digest)}: every party of the plan approves it with "
        f"`workplan approve {plan.version} --party PARTY --by NAME`"
    )


def sign(
    data: bytes,
    name: str,
    version: str,
    on: dt.date,
    stakeholder_ids: Collection[str] | None = None,
    parse: Callable[..., Plan] = load.parse_plan,
) -> Edit:
    """Returns the edit that signs the draft plan in `data`: status signed, and a `signed`
    block with the date, the parties and the digest of the agreed content every party approved.
    Raises NotAgreedError when a party's approval is missing or of an earlier text."""
    plan = parse(data, name, stakeholder_ids)
    meta = plan.plan
    if plan.version != version:
        raise WorkplanError(f"{name} holds plan {plan.version}, not {version}")
    if meta.status is not PlanStatus.DRAFT:
        raise WorkplanError(
            f"plan {version} is {meta.status.value}, not a draft: only a draft is signed (an "
            "amendment of a signed plan needs only every party's approval)"
        )
    s = agreed.standing(plan)
    if not s.complete:
        raise NotAgreedError(refusal(plan, s), s)
    today = today_anywhere()
    if on > today:
        raise WorkplanError(f"--on {on} is in the future (today is {today} at the latest)")
    latest = max(a.date for a in meta.approvals)
    if on < latest:
        raise WorkplanError(f"--on {on} is before the last approval, of {latest}")
    signing = Signing(date=on, by=list(meta.parties), digest=s.digest)
    lines = (
        "signed:",
        f"  date: {yamlio.double_quoted(on.isoformat())}",
        f"  by: [{', '.join(meta.parties)}]",
        f"  digest: {yamlio.double_quoted(s.digest)}",
    )
    edits: list = [yamlio.ReplaceValue(("plan", "status"), "signed")]
    if meta.signed is not None:  # a draft that kept an old signing block (revise removes it)
        edits.append(yamlio.RemoveEntry(("plan", "signed")))
    edits.append(yamlio.InsertAfter(("plan", "status"), lines))
    intended = dataclasses.replace(
        plan, plan=dataclasses.replace(meta, status=PlanStatus.SIGNED, signed=signing)
    )
    return _spliced(data, name, edits, intended, stakeholder_ids, parse, PlanStatus.SIGNED)


def supersede(
    data: bytes,
    name: str,
    version: str,
    stakeholder_ids: Collection[str] | None = None,
    parse: Callable[..., Plan] = load.parse_plan,
) -> Edit | None:
    """Returns the edit that marks the signed plan in `data` superseded (None when it is not
    signed: a draft or an already superseded plan stays as it is)."""
    plan = parse(data, name, stakeholder_ids)
    if plan.version != version:
        raise WorkplanError(f"{name} holds plan {plan.version}, not {version}")
    if plan.plan.status is not PlanStatus.SIGNED:
        return None
    edits = [yamlio.ReplaceValue(("plan", "status"), "superseded")]
    intended = dataclasses.replace(
        plan, plan=dataclasses.replace(plan.plan, status=PlanStatus.SUPERSEDED)
    )
    return _spliced(data, name, edits, intended, stakeholder_ids, parse, PlanStatus.SUPERSEDED)


def _spliced(data, name, edits, intended, ids, parse, status: PlanStatus) -> Edit:
    bom = codecs.BOM_UTF8 if data.startswith(codecs.BOM_UTF8) else b""
    try:
        text = yamlio.splice(load.decode(data, name), edits=edits)
    except yamlio.SpliceError as e:
        raise WorkplanError(f"{name}: cannot mark the plan {status.value} in place: {e}") from None
    new = holds(intended, bom, name, parse, ids)(text)
    if new is None:
        raise WorkplanError(
            f"{name}: the edit would change more than plan.status and plan.signed; nothing was "
            "written (please report this as a bug)"
        )
    return Edit(data, new, intended.version, status)


def commit_message(version: str, on: dt.date, parties: list[str], old: str | None) -> str:
    """Returns the commit message of a signing."""
    subject = f"{version}: signed {on} by {agreed.and_list(parties)}"
    return subject + (f"\n\nPlan {old} is superseded.\n" if old else "\n")


def tag_message(plan: Plan, on: dt.date) -> str:
    """Returns the annotated tag's message."""
    s = agreed.standing(plan)
    return (
        f"Work plan {plan.version} signed {on} by {agreed.and_list(plan.plan.parties)}\n\n"
        f"Agreed content: {s.digest}\n"
    )


# --- commands that change agreed content ------------------------------------------------------


def amendment_notice(plan: Plan) -> str | None:
    """Returns what a command that changes agreed content says when it touches a signed plan
    (None for a draft): the change is an amendment that needs every party's approval, which
    `validate` and `review` track until it has it. Every such command calls this one."""
    if plan.plan.status is PlanStatus.DRAFT:
        return None
    parties = agreed.and_list(plan.plan.parties)
    return (
        f"this changes agreed content of the {plan.plan.status.value} {plan.version} plan: "
        f"as an amendment it needs the approval of {parties} (workplan approve "
        f"{plan.version} --party PARTY --by NAME); until then `validate` and `review` report it"
    )


# --- signing the files ------------------------------------------------------------------------


@dataclass(frozen=True)
class Signed:
    """What `workplan sign` did (or, on a dry run, would do)."""

    edit: Edit
    name: str
    old: Edit | None  # the plan it supersedes, marked superseded
    old_name: str | None
    written: bool
    commit: str | None = None
    tag: str | None = None


def tag_name(version: str) -> str:
    """Returns the name of the tag of a signed plan: workplan-2025-signed."""
    return f"workplan-{version}-signed"


def sign_plan(
    repo: Repo,
    version: str,
    on: dt.date,
    dry_run: bool = False,
    commit: bool = False,
    tag: bool = False,
    sign_tag: bool = False,
) -> Signed:
    """Signs the plan `version` and marks the plan it supersedes superseded (when it is signed),
    both files in one write of `progress.rewrite_files`, under both locks; with `commit`, in one
    commit (both put back as they were when it fails); with `tag`, an annotated tag at that
    commit (signed by git with the user's key with `sign_tag`)."""
    if (tag or sign_tag) and not commit:
        raise WorkplanError("--tag marks the commit of the signing: add --commit")
    ids = set(repo.load_stakeholders().by_id())
    path = progress.plan_file(repo, version, ids)
    name = display_path(path)
    plan = parse_plan(read_bytes(path), name, ids)
    old_path = None
    if plan.plan.supersedes and plan.plan.supersedes in repo.plan_paths():
        old_path = progress.plan_file(repo, plan.plan.supersedes, ids)
    old_name = display_path(old_path) if old_path else None
    old_version = plan.plan.supersedes or ""

    def make(data: bytes) -> Edit:
        return sign(data, name, version, on, ids, parse_plan)

    def make_old(data: bytes) -> Edit | None:
        return supersede(data, old_name or "", old_version, ids, parse_plan)

    if dry_run:
        superseded = make_old(read_bytes(old_path)) if old_path else None
        return Signed(make(read_bytes(path)), name, superseded, old_name, False)
    if tag:
        gitio.toplevel(path.parent)  # a tag needs a repository: say so before writing

    def message(edits: list[Edit | None]) -> str:
        old = old_version if edits[1:] and edits[1] is not None else None
        return commit_message(version, on, plan.plan.parties, old)

    makes: list[tuple[Path, Callable[[bytes], Edit | None]]] = [(path, make)]
    if old_path is not None:
        makes.append((old_path, make_old))
    done = progress.rewrite_files(makes, message if commit else None, "the signing")
    made = done.files[0].edit
    assert made is not None  # `make` gives an edit or raises
    old = done.files[1].edit if old_path else None
    sha = done.commit
    made_tag = None
    if tag and sha:
        signed_plan = parse_plan(made.new, name, ids)
        made_tag = tag_name(version)
        try:
            gitio.tag_annotated(path.parent, made_tag, sha, tag_message(signed_plan, on), sign_tag)
        except gitio.GitError as e:
            raise WorkplanError(
                f"the signing is committed ({sha[:12]}) but the tag was not made ({e}); make it "
                f"with: git tag -a {made_tag} {sha[:12]}"
            ) from None
    return Signed(made, name, old, old_name, True, sha, made_tag)
