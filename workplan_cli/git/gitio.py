"""The one module that runs git: without a shell, with arguments that cannot be read as options."""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from workplan_cli.errors import InvalidFileError, Problem, WorkplanError
from workplan_cli.fileio import MAX_READ_BYTES


class GitError(WorkplanError):
    """git failed, or was asked for something it does not have."""


class NotAGitRepoError(GitError):
    """The folder is not inside a git work tree."""


class UnknownRevisionError(GitError):
    """A revision that does not name a commit."""


class FileAbsentError(GitError):
    """A file that the commit does not hold."""


def run_git(args: list[str], cwd: Path, input: bytes | None = None, check: bool = True) -> bytes:
    """Returns git's stdout; raises GitError with git's own message when it fails."""
    env = {**os.environ, "GIT_TERMINAL_PROMPT": "0", "LC_ALL": "C"}
    try:
        done = subprocess.run(
            ["git", *args], cwd=cwd, input=input, capture_output=True, env=env, check=False
        )
    except FileNotFoundError:
        raise GitError("git is not installed (no 'git' on PATH)") from None
    if check and done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise GitError(f"git {args[0]} failed: {message[-1] if message else done.returncode}")
    return done.stdout


def toplevel(cwd: Path) -> Path:
    """Returns the root of the git work tree that holds `cwd`."""
    try:
        out = run_git(["rev-parse", "--show-toplevel"], cwd)
    except GitError:
        raise NotAGitRepoError(f"{cwd} is not in a git repository") from None
    return Path(out.decode().strip())


def relative_path(path: Path, top: Path) -> str:
    """Returns `path` as git names it in the work tree at `top` (relative, with slashes)."""
    try:
        return path.resolve().relative_to(top.resolve()).as_posix()
    except ValueError:
        raise GitError(f"{path} is outside the git work tree {top}") from None


def check_revision_text(rev: str) -> None:
    """Refuses text that git could read as an option or that holds no revision at all."""
    if not rev or rev.startswith("-") or any(c in rev for c in "\n\r\0"):
        raise UnknownRevisionError(f"{rev!r} is not a valid git revision")


def resolve(rev: str, cwd: Path) -> str:
    """Returns the full commit id that `rev` names."""
    check_revision_text(rev)
    toplevel(cwd)
    out = run_git(
        ["rev-parse", "--verify", "--quiet", "--end-of-options", f"{rev}^{{commit}}"],
        cwd,
        check=False,
    )
    sha = out.decode().strip()
    if not sha:
        raise UnknownRevisionError(f"unknown git revision {rev!r}")
    return sha


def read_blob(commit: str, path: str, cwd: Path, limit: int = MAX_READ_BYTES) -> bytes:
    """Returns the bytes of `path` (relative to the work tree's root) at a resolved commit; a
    blob over `limit` bytes is refused before it is read."""
    spec = f"{commit}:{path}"
    if any(c in spec for c in "\n\r\0"):
        raise FileAbsentError(f"{path} does not exist at {commit[:12]}")
    check = run_git(
        ["cat-file", "--batch-check=%(objecttype) %(objectsize)"],
        cwd,
        input=spec.encode() + b"\n",
        check=False,
    ).split()
    if len(check) != 2 or check[0] != b"blob" or not check[1].isdigit():
        raise FileAbsentError(f"{path} does not exist at {commit[:12]}")
    _check_size(int(check[1]), limit, f"{path} at {commit[:12]}")
    return run_git(["cat-file", "blob", "--end-of-options", spec], cwd)


def _check_size(size: int, limit: int, name: str) -> None:
    if size > limit:
        raise InvalidFileError(
            [Problem(name, f"file is too large ({size:,} bytes; the limit is {limit:,})")]
        )


def user_name(cwd: Path) -> str | None:
    """Returns git's user.name, or None when git has none (or there is no git)."""
    try:
        out = run_git(["config", "--get", "user.name"], cwd, check=False)
    except GitError:
        return None
    return out.decode("utf-8", "replace").strip() or None


def is_dirty(path: Path) -> bool:
    """Whether the file differs from HEAD (staged or not)."""
    out = run_git(["status", "--porcelain", "--", path.name], path.parent)
    return bool(out.strip())


def commit_files(paths: list[Path], message: str) -> str:
    """Commits exactly these files of one folder with `message`; returns the new commit id
    (when it fails, they are unstaged again before the GitError is raised)."""
    cwd = paths[0].parent
    names = [p.name for p in paths]
    try:
        run_git(["add", "--", *names], cwd)
        run_git(
            ["commit", "--quiet", "--file=-", "--only", "--", *names], cwd, input=message.encode()
        )
    except GitError:
        run_git(["reset", "--quiet", "HEAD", "--", *names], cwd)
        raise
    return run_git(["rev-parse", "HEAD"], cwd).decode().strip()


def tag_annotated(cwd: Path, name: str, commit: str, message: str, sign: bool = False) -> None:
    """Makes the annotated tag `name` at `commit`; with `sign`, git signs it with the user's
    own key (git's `-s`). An existing tag is never moved (git refuses)."""
    try:
        if name.startswith("-"):
            raise GitError(name)
        run_git(["check-ref-format", f"refs/tags/{name}"], cwd)
    except GitError:
        raise GitError(f"{name!r} is not a tag name") from None
    args = ["tag", "--annotate", *(["--sign"] if sign else []), "--file=-"]
    run_git([*args, "--end-of-options", name, commit], cwd, input=message.encode())


# --- Review, log and diff driver (issue 6): merge bases, changed files, history, blobs ---------

ZERO_SHA = "0" * 40


@dataclass(frozen=True)
class FileChange:
    """One file changed between two trees: status letter (A, D, M, R, C, T), old and new path."""

    status: str
    old_path: str | None  # None for an added file
    new_path: str | None  # None for a deleted file
    old_blob: str | None = None  # known from `git log --raw`; None from `git diff --name-status`
    new_blob: str | None = None


@dataclass(frozen=True)
class LogCommit:
    """One commit of `git log`, with its (history-simplified) parents and raw file changes."""

    sha: str
    parents: tuple[str, ...]
    date: str  # author date, ISO 8601 with offset
    author: str
    subject: str
    changes: tuple[FileChange, ...]


def merge_base(a: str, b: str, cwd: Path) -> str:
    """Returns the best common ancestor of two resolved commits."""
    out = run_git(["merge-base", "--end-of-options", a, b], cwd, check=False).decode().strip()
    if not out:
        raise GitError(f"{a[:12]} and {b[:12]} have no common ancestor")
    return out


def changed_files(base: str, head: str | None, cwd: Path, under: str) -> list[FileChange]:
    """Returns the files under `under` that differ between `base` and `head` (a resolved commit),
    or the working tree when `head` is None (untracked files count as added)."""
    revs = [base] if head is None else [base, head]
    out = run_git(
        ["diff", "--name-status", "-z", "-M", "--end-of-options", *revs, "--", under], cwd
    )
    changes = _name_status(out.split(b"\0"))
    if head is None:
        extra = run_git(["ls-files", "-z", "--others", "--exclude-standard", "--", under], cwd)
        changes += [FileChange("A", None, p.decode()) for p in extra.split(b"\0") if p]
    return changes


def _name_status(tokens: list[bytes]) -> list[FileChange]:
    out, i = [], 0
    while i < len(tokens):
        status = tokens[i].decode().strip()
        if not status:
            i += 1
            continue
        letter = status[0]
        if letter in "RC":
            out.append(FileChange(letter, tokens[i + 1].decode(), tokens[i + 2].decode()))
            i += 3
        else:
            path = tokens[i + 1].decode()
            old = None if letter == "A" else path
            new = None if letter == "D" else path
            out.append(FileChange(letter, old, new))
            i += 2
    return out


_LOG_FORMAT = "%x01%H %P%x00%aI%x00%an%x00%s"


def log_with_changes(cwd: Path, under: str, rev: str = "HEAD") -> list[LogCommit]:
    """Returns the commits that changed files under `under`, children before parents, each with
    its raw changes (blob ids, renames detected): ONE `git log` call."""
    check_revision_text(rev)
    out = run_git(
        [
            "log",
            "--topo-order",
            "--parents",
            "--raw",
            "-M",
            "--no-abbrev",
            "-z",
            f"--format={_LOG_FORMAT}",
            "--end-of-options",
            rev,
            "--",
            under,
        ],
        cwd,
    )
    return _parse_log(out.split(b"\0"))


def _parse_log(tokens: list[bytes]) -> list[LogCommit]:
    commits: list[LogCommit] = []
    head: list[str] | None = None
    changes: list[FileChange] = []

    def flush() -> None:
        if head is not None:
            shas = head[0].split()
            date, author, subject = head[1:4]
            parents = tuple(shas[1:])
            commits.append(LogCommit(shas[0], parents, date, author, subject, tuple(changes)))

    i = 0
    while i < len(tokens):
        token = tokens[i].lstrip(b"\n")
        if token.startswith(b"\x01"):
            flush()
            head = [token[1:].decode()] + [
                t.decode("utf-8", "replace") for t in tokens[i + 1 : i + 4]
            ]
            changes = []
            i += 4
        elif token.startswith(b":"):
            meta = token.decode().split()
            letter = meta[4][0]
            old_blob = None if meta[2] == ZERO_SHA else meta[2]
            new_blob = None if meta[3] == ZERO_SHA else meta[3]
            paths: tuple[str | None, str | None]
            if letter in "RC":
                paths = tokens[i + 1].decode(), tokens[i + 2].decode()
                i += 3
            else:
                path = tokens[i + 1].decode()
                paths = (None if letter == "A" else path, None if letter == "D" else path)
                i += 2
            changes.append(FileChange(letter, *paths, old_blob, new_blob))
        else:
            i += 1
    flush()
    return commits


class BlobReader:
    """Reads many blobs through ONE long-running `git cat-file --batch` process.

    Use as a context manager; `read(spec)` takes a blob id (or COMMIT:PATH) and returns its bytes,
    or None when git has no such object; a blob over `limit` bytes is skipped unread and refused.
    """

    def __init__(self, cwd: Path, limit: int = MAX_READ_BYTES):
        self.cwd = cwd
        self.limit = limit
        self._proc: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> BlobReader:
        env = {**os.environ, "GIT_TERMINAL_PROMPT": "0", "LC_ALL": "C"}
        try:
            self._proc = subprocess.Popen(
                ["git", "cat-file", "--batch"],
                cwd=self.cwd,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
                env=env,
            )
        except FileNotFoundError:
            raise GitError("git is not installed (no 'git' on PATH)") from None
        return self

    def __exit__(self, *exc: object) -> None:
        proc = self._proc
        if proc is not None:
            for pipe in (proc.stdin, proc.stdout):
                if pipe is not None:
                    pipe.close()
            proc.wait()
            self._proc = None

    def _pipes(self) -> tuple[IO[bytes], IO[bytes]]:
        """The process's stdin and stdout (both pipes, opened in __enter__)."""
        proc = self._proc
        if proc is None or proc.stdin is None or proc.stdout is None:
            raise GitError("BlobReader used outside its `with` block")
        return proc.stdin, proc.stdout

    def read(self, spec: str) -> bytes | None:
        """Returns the bytes of the blob `spec` names, or None when it names no blob."""
        stdin, stdout = self._pipes()
        if any(c in spec for c in "\n\r\0"):
            return None  # the batch protocol is line-based: such a name cannot be asked for
        stdin.write(spec.encode() + b"\n")
        stdin.flush()
        header = stdout.readline()
        parts = header.split()
        if len(parts) != 3:
            if not header:
                raise GitError("git cat-file --batch stopped unexpectedly")
            return None  # "<spec> missing" or "<spec> ambiguous"
        size = int(parts[2])
        if size > self.limit:
            self._skip(size + 1)  # keep the stream in step for the next request
            _check_size(size, self.limit, spec)
        data = self._read_exactly(size + 1)[:size]  # the content, then a newline
        return data if parts[1] == b"blob" else None

    def _skip(self, n: int) -> None:
        while n:
            n -= len(self._read_exactly(min(n, 1024 * 1024)))

    def _read_exactly(self, n: int) -> bytes:
        stdout = self._pipes()[1]
        chunks, left = [], n
        while left:
            chunk = stdout.read(left)
            if not chunk:
                raise GitError("git cat-file --batch stopped unexpectedly")
            chunks.append(chunk)
            left -= len(chunk)
        return b"".join(chunks)


def file_commits(cwd: Path, path: str, limit: int) -> list[str]:
    """Returns the ids of the last `limit` commits of HEAD that changed the file at `path`
    (relative to the work tree's root), newest first; none outside a repository."""
    args = ["log", f"--max-count={limit}", "--format=%H", "--end-of-options", "HEAD", "--", path]
    try:
        out = run_git(args, cwd)
    except GitError:
        return []
    return out.decode().split()


def range_commits(cwd: Path, base: str, head: str, path: str) -> list[tuple[str, str]]:
    """Returns (commit id, author name) of each commit in base..head that changed the file at
    `path`, oldest first."""
    args = ["log", "--reverse", "--format=%H%x00%an", "--end-of-options", f"{base}..{head}"]
    out = run_git([*args, "--", path], cwd).decode("utf-8", "replace")
    pairs = []
    for line in out.splitlines():
        sha, sep, author = line.partition("\0")
        if sep:
            pairs.append((sha, author))
    return pairs


def ls_tree(commit: str, cwd: Path, under: str) -> list[str]:
    """Returns the paths of the files under `under` at a resolved commit."""
    out = run_git(
        ["ls-tree", "-r", "-z", "--name-only", "--end-of-options", commit, "--", under], cwd
    )
    return [p.decode() for p in out.split(b"\0") if p]


def config_set(cwd: Path, key: str, value: str) -> None:
    """Sets `key` in the repository's own config (.git/config), never the global one."""
    run_git(["config", "--local", "--replace-all", key, value], cwd)


def config_get(cwd: Path, key: str) -> str | None:
    """Returns `key` from the repository's own config, or None."""
    out = run_git(["config", "--local", "--get", key], cwd, check=False)
    return out.decode().strip() or None


def config_unset(cwd: Path, key: str) -> None:
    """Removes every value of `key` from the repository's own config (absent is fine)."""
    run_git(["config", "--local", "--unset-all", key], cwd, check=False)


def config_remove_section(cwd: Path, section: str) -> None:
    """Removes a section from the repository's own config (absent is fine)."""
    run_git(["config", "--local", "--remove-section", section], cwd, check=False)


def git_dir(cwd: Path) -> Path:
    """Returns the repository's git folder (.git), absolute."""
    out = run_git(["rev-parse", "--absolute-git-dir"], cwd)
    return Path(out.decode().strip())


def init_repo(path: Path) -> None:
    """Makes the existing folder `path` a new git repository."""
    run_git(["init", "--quiet"], path)
