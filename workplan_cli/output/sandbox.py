"""Running untrusted work (a repository's report template, WeasyPrint, Chromium) in a bounded child.

The child is a fresh Python (`-I`: no PYTHON* variables, no user site, not the current folder on
sys.path) with only the environment variables it is given. Before it does anything else it sets
hard limits on its own address space and CPU time (`resource.setrlimit`, Linux and most POSIX;
where `resource` or a limit is missing it runs without that limit). The parent adds a wall-clock
timeout and a cap on the bytes it accepts back. What the child sends back is bytes, never a
pickle: the parent trusts nothing that the child says beyond the text of an error message.

`Piped` runs another program (Chromium) the same way, one that the parent talks to over a pair
of pipes: a fresh Python sets the limits and then becomes the program (`os.execv`), in a session
of its own so that the program and every process it starts are killed together at the deadline
and when the parent is done with it.
"""

from __future__ import annotations

import contextlib
import importlib
import os
import pickle
import select
import signal
import subprocess
import sys
import time
from dataclasses import dataclass

from workplan_cli.errors import WorkplanError

# The child's first byte on its stdout says how it ended; the rest is the result or a message.
_DONE, _FAILED, _NO_MEMORY = b"0", b"1", b"2"
_MESSAGE_MAX = 4000  # characters of an error message taken from the child
# The time limit is on CPU time, which measures the work whatever else the machine does; the
# wall clock (for a child that waits instead of working) allows this many times as long.
WALL_FACTOR = 3


class LimitError(WorkplanError):
    """Work in the child process went past one of its limits, or the child broke."""


@dataclass(frozen=True)
class Limits:
    """Hard limits for one child: address space, CPU time (and wall clock), bytes returned."""

    memory_mb: float  # a fraction is allowed: WORKPLAN_TEMPLATE_MEMORY_MB=0.5
    seconds: float  # of CPU time, rounded up to whole seconds; the wall clock is WALL_FACTOR times
    output_bytes: int
    memory_setting: str = ""  # the environment variable that changes memory_mb, for messages
    seconds_setting: str = ""


def run(target: str, payload: object, limits: Limits, what: str, env: dict[str, str]) -> bytes:
    """Returns the bytes that `module:function`(payload) returns when run in a bounded child.

    The function's WorkplanError comes back as a WorkplanError with the same message; going past
    a limit raises LimitError naming `what` and the limit.
    """
    request = pickle.dumps((target, payload, limits), protocol=pickle.HIGHEST_PROTOCOL)
    paths = [p for p in sys.path if p]  # the parent's packages, but never the current folder
    code = (
        f"import sys; sys.path[:] = {paths!r}; import workplan_cli.output.sandbox as s; s.child()"
    )
    try:
        proc = subprocess.Popen(
            [sys.executable, "-I", "-c", code],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=env,
        )
    except OSError as e:
        raise LimitError(f"{what}: cannot start the sandbox process ({e})") from None
    try:
        out, err = proc.communicate(request, timeout=limits.seconds * WALL_FACTOR)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.communicate()
        setting = f"{limits.seconds_setting} × {WALL_FACTOR}" if limits.seconds_setting else ""
        raise LimitError(
            f"{what} took more than {limits.seconds * WALL_FACTOR:g} seconds{_named(setting)}; "
            "stopped"
        ) from None
    return _result(proc.returncode, out, err, limits, what)


def _result(code: int, out: bytes, err: bytes, limits: Limits, what: str) -> bytes:
    status, body = out[:1], out[1:]
    if code == 0 and status == _DONE:
        if len(body) > limits.output_bytes:
            raise LimitError(f"{what}: the result is larger than {limits.output_bytes} bytes")
        return body
    if code == 0 and status == _FAILED:
        raise WorkplanError(body[:_MESSAGE_MAX].decode("utf-8", "replace"))
    memory = (
        f"{what} used more than {limits.memory_mb:g} MB of memory{_named(limits.memory_setting)}; "
        "stopped"
    )
    if code == 0 and status == _NO_MEMORY:
        raise LimitError(memory)
    if code in (-getattr(signal, "SIGXCPU", 0), -getattr(signal, "SIGKILL", 9)):
        raise LimitError(
            f"{what} used more than {_cpu_seconds(limits)} seconds of CPU time"
            f"{_named(limits.seconds_setting)}; stopped"
        )
    tail = "".join(err[-_MESSAGE_MAX:].decode("utf-8", "replace").strip().splitlines()[-1:])
    if code < 0:
        # Outside Python a failed allocation under the address-space limit ends in abort() or
        # a segmentation fault.
        raise LimitError(f"{memory} (the process ended by signal {-code})")
    raise RuntimeError(f"the sandbox process failed (exit {code}): {tail}")  # a bug: exit 3


def _cpu_seconds(limits: Limits) -> int:
    return max(1, int(limits.seconds + 0.999))


def _named(setting: str) -> str:
    return f" ({setting})" if setting else ""


def child() -> None:
    """The child's side: limits first, then the request from stdin, then the status and result."""
    out = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)  # whatever a library prints goes to stderr, never into the result
    request = sys.stdin.buffer.read()
    target, payload, limits = pickle.loads(request)  # written by the parent: trusted
    _limit_self(limits)
    del request
    try:
        module, name = target.split(":")
        result = getattr(importlib.import_module(module), name)(payload)
        reply = _DONE + result
    except (MemoryError, SystemError):
        # Under the address-space limit C code whose allocation fails may return an error without
        # setting one (CPython turns that into SystemError: seen in WeasyPrint at 60 MB).
        reply = _NO_MEMORY
    except WorkplanError as e:
        reply = _FAILED + str(e).encode("utf-8", "replace")
    out.write(reply)
    out.flush()


def _limit_self(limits: Limits) -> None:
    try:
        import resource
    except ImportError:  # not POSIX: only the parent's wall-clock timeout applies
        return
    memory = int(limits.memory_mb * 1024 * 1024)
    cpu = _cpu_seconds(limits)
    for which, value in (
        (getattr(resource, "RLIMIT_AS", None), (memory, memory)),
        (getattr(resource, "RLIMIT_CPU", None), (cpu, cpu + 1)),
    ):
        if which is None:
            continue
        try:
            hard = resource.getrlimit(which)[1]
            if hard != resource.RLIM_INFINITY:
                value = (min(value[0], hard), min(value[1], hard))
            resource.setrlimit(which, value)
        except (ValueError, OSError):  # e.g. macOS refuses some RLIMIT_AS values
            pass


# A program's address space is not limited (a browser reserves far more than it uses); its data
# (what it writes to: the heap) is, per process, and so is each process's CPU time. `fds` maps
# the descriptors the program expects (3, 4) to those the parent passed (moved out of the way
# first, so that one never overwrites another).
_EXEC = (
    "import fcntl, os, resource, sys\n"
    "for which, value in ((getattr(resource, 'RLIMIT_DATA', None), {data}),"
    " (getattr(resource, 'RLIMIT_CPU', None), {cpu})):\n"
    "    try:\n"
    "        which is None or resource.setrlimit(which, (value, value))\n"
    "    except (ValueError, OSError):\n"
    "        pass\n"
    "moved = {{to: fcntl.fcntl(fd, fcntl.F_DUPFD, 64) for to, fd in {fds!r}.items()}}\n"
    "for fd in {fds!r}.values():\n"
    "    os.close(fd)\n"
    "for to, fd in moved.items():\n"
    "    os.dup2(fd, to)\n"
    "    os.close(fd)\n"
    "try:\n"
    "    os.execv(sys.argv[1], sys.argv[1:])\n"
    "except OSError as e:\n"
    "    sys.exit(f'cannot run {{sys.argv[1]}}: {{e.strerror}}')\n"
)


def _trampoline(argv: list[str], limits: Limits, fds: dict[int, int]) -> list[str]:
    """Returns the command line of a Python that sets the limits, then becomes the program."""
    data, cpu = int(limits.memory_mb * 1024 * 1024), _cpu_seconds(limits)
    return [sys.executable, "-I", "-c", _EXEC.format(data=data, cpu=cpu, fds=fds), *argv]


class Piped:
    """A program started by `start_piped`, that reads requests on its descriptor 3 and writes
    replies on its descriptor 4 (Chromium's `--remote-debugging-pipe`).

    Every read waits at most until the wall-clock deadline (`limits.seconds` × WALL_FACTOR from
    the start); past it the program and all its processes are killed (LimitError). `close` ends
    them in any case. Its stderr goes to a file (a pipe that nobody reads would fill and stop it);
    `stderr_tail` reads the end of it.
    """

    def __init__(self, argv: list[str], limits: Limits, what: str, env: dict, stderr) -> None:
        self.limits, self.what, self.stderr = limits, what, stderr
        requests, self._to = os.pipe()
        self._from, replies = os.pipe()
        try:
            self.proc = subprocess.Popen(
                _trampoline(argv, limits, {3: requests, 4: replies}),
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=stderr,
                env=env,
                pass_fds=(requests, replies),
                start_new_session=True,
            )
        except OSError as e:
            for fd in (requests, replies, self._to, self._from):
                os.close(fd)
            raise LimitError(f"{what}: cannot start {argv[0]} ({e})") from None
        os.close(requests)
        os.close(replies)
        self.deadline = time.monotonic() + limits.seconds * WALL_FACTOR

    def send(self, data: bytes) -> None:
        """Writes all of `data` to the program (whose reading end may have closed: BrokenPipe)."""
        view = memoryview(data)
        while view:
            self._wait(write=True)
            view = view[os.write(self._to, view[: 1 << 16]) :]

    def receive(self) -> bytes:
        """Returns what the program wrote next (b"" when it closed its end)."""
        self._wait(write=False)
        return os.read(self._from, 1 << 20)

    def _wait(self, write: bool) -> None:
        fd = self._to if write else self._from
        left = max(self.deadline - time.monotonic(), 0)
        ready = select.select([] if write else [fd], [fd] if write else [], [], left)
        if not any(ready):
            self.close()
            setting = self.limits.seconds_setting
            raise LimitError(
                f"{self.what} took more than {self.limits.seconds * WALL_FACTOR:g} seconds"
                f"{_named(f'{setting} × {WALL_FACTOR}' if setting else '')}; stopped"
            )

    def close(self, grace: float = 0) -> int:
        """Ends the program and everything it started; returns its exit code (or signal).

        With `grace`, a program that is ending anyway gets that many seconds to end by itself,
        so that its own exit code is the one returned.
        """
        for fd in (self._to, self._from):
            with contextlib.suppress(OSError):
                os.close(fd)
        if grace:
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.proc.wait(timeout=grace)
        _kill_group(self.proc.pid)
        return self.proc.wait()

    def stderr_tail(self, lines: int = 3) -> str:
        """Returns the last lines the program wrote to stderr (read from the end of its file)."""
        self.stderr.flush()
        size = os.fstat(self.stderr.fileno()).st_size
        self.stderr.seek(max(0, size - _MESSAGE_MAX))
        text = self.stderr.read(_MESSAGE_MAX).decode("utf-8", "replace")
        return " / ".join(text.strip().splitlines()[-lines:])


def _kill_group(pid: int) -> None:
    killpg = getattr(os, "killpg", None)
    if killpg is None:  # not POSIX
        return
    with contextlib.suppress(ProcessLookupError, PermissionError):
        killpg(pid, signal.SIGKILL)
