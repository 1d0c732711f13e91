"""Setting up a git repository for plan review: the diff driver, and `workplan init`.

The diff driver: `.gitattributes` gives plan files and stakeholders.yaml the attribute
`diff=workplan`, and the repository's own config (`git config --local`, never the global one)
sets `diff.workplan.textconv` to this interpreter running `-m workplan_cli textconv`. git then
diffs the one-line-a-field renderings of both sides (textconv.py). The interpreter is recorded by
its absolute path, so the driver works whatever PATH git runs with (an IDE, a hook, a venv that
is not activated); after moving or removing that environment, run `workplan git-setup` again.
"""

from __future__ import annotations

import re
import shlex
import sys
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from workplan_cli import fileio
from workplan_cli.errors import WorkplanError
from workplan_cli.git import gitio
from workplan_cli.plan import schemas

DRIVER = "workplan"
SECTION = f"diff.{DRIVER}"
ATTRIBUTES = ".gitattributes"
COMMENT = "# workplan: semantic diffs of plan files (added by `workplan git-setup`)"
# A hunk header names the activity, topic or area the change sits in.
XFUNCNAME = r"^([0-9]+(\.[0-9]+)* (title|topic|area): .*)$"


@dataclass(frozen=True)
class SetupResult:
    attributes: Path
    added_lines: list[str]  # lines added to (or, on uninstall, removed from) .gitattributes
    config: dict[str, str]  # keys set (or removed)
    removed_file: bool = False  # uninstall deleted a .gitattributes that held only our lines


def textconv_command() -> str:
    """Returns the command git runs (through its shell, with the file appended)."""
    return f"{shlex.quote(sys.executable)} -m workplan_cli textconv"


def attribute_lines(data_rel: str) -> list[str]:
    """Returns the .gitattributes lines for a data folder at `data_rel` in the work tree."""
    if not re.fullmatch(r"[A-Za-z0-9._/-]+", data_rel):
        raise WorkplanError(
            f"cannot name the data folder {data_rel!r} in .gitattributes "
            "(only letters, digits, '.', '_', '-' and '/' are supported)"
        )
    return [
        COMMENT,
        f"{data_rel}/workplan-*.yaml diff={DRIVER}",
        f"{data_rel}/stakeholders.yaml diff={DRIVER}",
    ]


def setup(root: Path) -> SetupResult:
    """Registers the diff driver for the plan repository at `root`; idempotent."""
    top = gitio.toplevel(root)
    lines = attribute_lines(gitio.relative_path(root / "data", top))
    path = top / ATTRIBUTES

    def add_lines(data: bytes) -> tuple[bytes, list[str]]:
        text = data.decode("utf-8", "surrogateescape")
        present = set(text.splitlines())
        missing = [line for line in lines if line not in present]
        if text and not text.endswith("\n"):
            text += "\n"
        return (text + "\n".join(missing) + "\n").encode(
            "utf-8", "surrogateescape"
        ) if missing else data, missing

    before = fileio.snapshot(path)
    if before.data is None:  # a new file, unless one appears meanwhile
        missing = lines
        fileio.replace_if_unchanged(path, before, ("\n".join(lines) + "\n").encode("utf-8"))
    else:
        missing = add_lines(before.data)[1]
        if missing:
            missing = fileio.rewrite(path, add_lines)[0]
    config = {f"{SECTION}.textconv": textconv_command(), f"{SECTION}.xfuncname": XFUNCNAME}
    for key, value in config.items():
        gitio.config_set(top, key, value)
    return SetupResult(path, missing, config)


def uninstall(root: Path) -> SetupResult:
    """Removes exactly what `setup` added: our .gitattributes lines and the config section."""
    top = gitio.toplevel(root)
    lines = set(attribute_lines(gitio.relative_path(root / "data", top)))
    path = top / ATTRIBUTES
    removed: list[str] = []
    deleted = False

    def drop_lines(data: bytes) -> tuple[bytes, list[str]]:
        text = data.decode("utf-8", "surrogateescape")
        kept = [line for line in text.splitlines(keepends=True) if line.rstrip("\r\n") not in lines]
        gone = [line.rstrip("\r\n") for line in text.splitlines(keepends=True) if line not in kept]
        return "".join(kept).encode("utf-8", "surrogateescape"), gone

    before = fileio.snapshot(path)
    if before.data is not None:
        kept, removed = drop_lines(before.data)
        if removed and not kept.strip():
            fileio.remove_if_unchanged(path, before)
            deleted = True
        elif removed:
            removed = fileio.rewrite(path, drop_lines)[0]
    config = {
        key: value
        for key in (f"{SECTION}.textconv", f"{SECTION}.xfuncname")
        if (value := gitio.config_get(top, key)) is not None
    }
    gitio.config_remove_section(top, SECTION)
    return SetupResult(path, removed, config, deleted)


# --- workplan init -----------------------------------------------------------------------


def starter_file(name: str) -> bytes:
    """Returns a file shipped in the package's starter/ folder."""
    return resources.files("workplan_cli").joinpath("starter", name).read_bytes()


@dataclass(frozen=True)
class InitResult:
    written: list[Path]  # the files written (.gitattributes at the top of the work tree)
    install: str  # what the CI workflow installs ("" when no workflow was written)
    install_note: str | None = None  # why the workflow holds a placeholder, when it does
    enclosing: Path | None = None  # the git work tree the plan was added to (--nested)


def enclosing_work_tree(path: Path) -> Path | None:
    """Returns the top of the git work tree that `path` (which may not exist yet) would be in."""
    existing = path.absolute()
    while not existing.exists():
        existing = existing.parent
    if not existing.is_dir():
        return None
    try:
        return gitio.toplevel(existing)
    except gitio.NotAGitRepoError:
        return None


def init(
    path: Path,
    blank: bool = False,
    year: int | None = None,
    install: str | None = None,
    nested: bool = False,
) -> InitResult:
    """Creates a new plan repository at `path` (absent or an empty folder). `blank` writes empty
    skeletons that validate instead of the shipped plan; `install` is what the CI workflow
    installs (default: where this workplan was installed from, see install_spec). Inside an
    existing git work tree, `nested` adds the plan as a subfolder of it (no `git init`, no
    workflow or pre-commit config, which belong at its top); without it, that is refused."""
    if path.exists() and (not path.is_dir() or any(path.iterdir())):
        raise WorkplanError(f"{path} already exists and is not an empty folder")
    enclosing = enclosing_work_tree(path)
    if enclosing is not None and not nested:
        raise WorkplanError(
            f"{path} is inside the git repository {enclosing}: add --nested to keep the plan "
            "in a subfolder of that repository (no `git init`; its CI workflow and pre-commit "
            "config are then yours to set up at its top), or choose a folder outside it"
        )
    if nested and enclosing is None:
        raise WorkplanError(f"--nested: {path} is not inside a git repository")
    spec, note = ("", None) if nested else install_spec(install)
    path.mkdir(parents=True, exist_ok=True)
    if not nested:
        gitio.init_repo(path)
    if blank:
        version = str(year or _this_year())
        files = {
            f"data/workplan-{version}.yaml": blank_plan(version),
            "data/stakeholders.yaml": BLANK_STAKEHOLDERS,
        }
    else:
        files = {
            "data/workplan-2024.yaml": starter_file("workplan-2024.yaml").decode("utf-8"),
            "data/stakeholders.yaml": starter_file("stakeholders.yaml").decode("utf-8"),
        }
    files[f"schema/{schemas.PLAN_SCHEMA_FILE}"] = schemas.render(schemas.plan_schema())
    files[f"schema/{schemas.STAKEHOLDERS_SCHEMA_FILE}"] = schemas.render(
        schemas.stakeholders_schema()
    )
    files[".gitignore"] = GITIGNORE
    files[".yamllint"] = YAMLLINT_CONFIG
    if not nested:
        files[".pre-commit-config.yaml"] = PRE_COMMIT_CONFIG
        files[".github/workflows/workplan-review.yml"] = workflow_text(spec)
        files[".github/workflows/workplan-due.yml"] = due_workflow_text(spec)
    written = []
    for name, text in files.items():
        target = path / name
        target.parent.mkdir(parents=True, exist_ok=True)
        fileio.write_atomic(target, text.encode("utf-8"), replace=False)
        written.append(target)
    attributes = setup(path).attributes
    return InitResult([*written, attributes], spec, note, enclosing)


# What a plan repository never commits: workplan's lock files (next to the file they guard),
# a virtual environment and tool caches.
GITIGNORE = """\
# Not part of the plan (written by `workplan init`)
*.yaml.lock
.venv/
__pycache__/
.pytest_cache/
.ruff_cache/
.cache/
"""

# The workflow's install line when init cannot tell where workplan came from: the job stops
# with a message instead of installing whatever a package index serves under a name.
INSTALL_PLACEHOLDER = "SET-ME: the workplan source to install (see docs/git-review.md)"
_SPEC = re.compile(r"[A-Za-z0-9][A-Za-z0-9+.-]*://[A-Za-z0-9._~:/?#@!&+,;=%-]+|\./[A-Za-z0-9._/-]*")


def install_spec(given: str | None) -> tuple[str, str | None]:
    """Returns (what the CI workflow installs, None) or (the placeholder, why).

    A given spec must be a URL (git+https://...@COMMIT, https://.../x.whl) or a path in the
    repository (./...): never a bare name, which anyone may register on a package index.
    Without one, the source this workplan was installed from (pip's direct_url.json) is used
    when it can be fetched from anywhere: a git commit or an archive URL."""
    if given is not None:
        if not _SPEC.fullmatch(given) or given.startswith("file:"):
            raise WorkplanError(
                f"--install-spec {given!r} is not a URL or a ./path in the repository: give "
                "where to install workplan from, e.g. git+https://github.com/OWNER/workplan@"
                "COMMIT (a bare package name could be anyone's)"
            )
        return given, None
    import json
    from importlib import metadata

    try:
        raw = metadata.distribution("workplan").read_text("direct_url.json")
    except metadata.PackageNotFoundError:
        raw = None
    if raw is None:
        return INSTALL_PLACEHOLDER, "workplan was not installed from a URL or a git commit"
    try:
        found = json.loads(raw)
        url = str(found["url"])
    except (ValueError, KeyError, TypeError):
        return INSTALL_PLACEHOLDER, "workplan's installation record (direct_url.json) is unreadable"
    vcs, archive = found.get("vcs_info"), found.get("archive_info")
    spec = None
    if isinstance(vcs, dict) and vcs.get("vcs") == "git" and vcs.get("commit_id"):
        spec = f"git+{url}@{vcs['commit_id']}"
    elif isinstance(archive, dict) and url.startswith("https://"):
        spec = url
    if spec is None or url.startswith("file:") or not _SPEC.fullmatch(spec):
        where = url.removeprefix("file://")
        return INSTALL_PLACEHOLDER, f"workplan was installed from {where}, which CI cannot reach"
    return spec, None


def _this_year() -> int:
    import datetime as dt

    return dt.date.today().year


def blank_plan(version: str) -> str:
    """Returns a plan skeleton that validates: two parties, one area, one topic, no activities."""
    return f"""\
# yaml-language-server: $schema=../schema/workplan.schema.json
# A new Work Plan: replace every placeholder, then run `workplan validate`.
# Ids are quoted strings: unquoted, 1.10 would load as the number 1.1.
schema_version: 1

plan:
  id: my-dialogue
  title: Work Plan of the dialogue
  dialogue: The dialogue
  version: "{version}"
  status: draft
  parties: [party-a, party-b]

areas:
  - id: "1"
    title: First area
    topics:
      - id: "1.1"
        title: First topic
        objectives:
          - What the two sides want to achieve under this topic.
        activities: []
"""


BLANK_STAKEHOLDERS = """\
# yaml-language-server: $schema=../schema/stakeholders.schema.json
# The institutions and stakeholder groups that plans refer to by id.
schema_version: 1
stakeholders:
  - id: party-a
    name: The first party
    type: government
    kind: institution

  - id: party-b
    name: The second party
    type: government
    kind: institution
"""

PRE_COMMIT_CONFIG = """\
# pre-commit (https://pre-commit.com): after `pre-commit install`, every commit that touches
# data/ runs `workplan validate` (workplan must be installed). Other repositories can use the
# hook that the workplan repository defines in its .pre-commit-hooks.yaml instead:
#   - repo: <the workplan repository's URL>
#     rev: <a tag>
#     hooks: [{id: workplan-validate}]
repos:
  - repo: local
    hooks:
      - id: workplan-validate
        name: workplan validate
        entry: workplan validate
        language: system
        files: ^data/.*\\.yaml$
        pass_filenames: false
"""


# yamllint's default rules refuse about 200 lines of a plan repository that are as meant; these
# are the choices of the files workplan ships and writes (the repository's own .yamllint is this).
YAMLLINT_CONFIG = """\
# yamllint (https://yamllint.readthedocs.io): the style of this plan repository.
extends: default
ignore: |
  .venv/
rules:
  # Texts are wrapped at 100 columns for review, but a note that `workplan set-status` writes
  # stays on one line however long it is: a longer line is a warning, not an error.
  line-length:
    max: 100
    level: warning
  # Plan files begin with the editor's schema comment; workplan never writes `---`.
  document-start: disable
  # GitHub Actions' `on:` is a key, not a boolean; values are still only true or false.
  truthy:
    check-keys: false
  # Lists under a key may be indented or not (both are common in hand-edited files), as long
  # as a file keeps to one way.
  indentation:
    indent-sequences: consistent
"""


def workflow_text(install: str) -> str:
    """Returns the GitHub Actions workflow that validates and reviews every pull request that
    touches data/; `install` is what pip installs (`.` in the workplan repository itself, a URL
    from install_spec, or INSTALL_PLACEHOLDER, which stops the job with a message)."""
    return f"""\
# Validates the plan files of every pull request that touches data/ (errors show as annotations
# on the changed lines) and writes `workplan review` to the job summary.
name: Work plan review

on:
  pull_request:
    paths:
      - "data/**"

permissions:
  contents: read

jobs:
  review:
    runs-on: ubuntu-latest
    env:
      # Where pip installs workplan from: a source you control, e.g.
      # git+https://github.com/OWNER/workplan@COMMIT (never a bare package name).
      WORKPLAN_INSTALL: "{install}"
      # The base branch, through the environment: a branch name is never pasted into the script.
      BASE_REF: ${{{{ github.base_ref }}}}
    steps:
      - uses: actions/checkout@v6
        with:
          fetch-depth: 0  # the whole history: review needs the merge base
      - uses: actions/setup-python@v6
        with:
          python-version: "3.11"
      - name: Install workplan
        run: |
          case "$WORKPLAN_INSTALL" in ""|SET-ME*)
            echo "::error::Set WORKPLAN_INSTALL in this workflow: where to install workplan from"
            exit 1;;
          esac
          pip install "$WORKPLAN_INSTALL"
      - name: Validate
        run: workplan validate --format github
      - name: Review
        if: ${{{{ !cancelled() }}}}
        run: workplan review "origin/$BASE_REF" --format markdown >> "$GITHUB_STEP_SUMMARY"
"""


def due_workflow_text(install: str) -> str:
    """Returns the GitHub Actions workflow that writes `workplan due` to the job summary once a
    week (and on demand), and fails when something is overdue (`--exit-code`: exit 4), so
    that GitHub tells the repository's maintainers; `install` as for workflow_text."""
    return f"""\
# Once a week (and when run by hand), writes what is overdue and what falls due soon
# (`workplan due`) to the job summary. The job fails when something is overdue, so that GitHub
# tells whoever looks after the plan; the summary still says what is late.
name: Work plan due dates

on:
  schedule:
    - cron: "17 6 * * 1"  # Mondays at 06:17 UTC
  workflow_dispatch:

permissions:
  contents: read

jobs:
  due:
    runs-on: ubuntu-latest
    env:
      # Where pip installs workplan from: a source you control, e.g.
      # git+https://github.com/OWNER/workplan@COMMIT (never a bare package name).
      WORKPLAN_INSTALL: "{install}"
    steps:
      - uses: actions/checkout@v6
      - uses: actions/setup-python@v6
        with:
          python-version: "3.11"
      - name: Install workplan
        run: |
          case "$WORKPLAN_INSTALL" in ""|SET-ME*)
            echo "::error::Set WORKPLAN_INSTALL in this workflow: where to install workplan from"
            exit 1;;
          esac
          pip install "$WORKPLAN_INSTALL"
      - name: What is due
        run: workplan due --format markdown --exit-code >> "$GITHUB_STEP_SUMMARY"
"""
