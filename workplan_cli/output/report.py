"""Rendering reports from jinja2 templates (the only module that imports jinja2)."""

from __future__ import annotations

import functools
import re
import signal
import threading
import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import jinja2
from jinja2.sandbox import SandboxedEnvironment, SecurityError

from workplan_cli.errors import WorkplanError
from workplan_cli.output.markdown import md, md_block

DEFAULTS = Path(__file__).resolve().parent.parent / "templates"
TEMPLATE_NAMES = {"markdown": "report.md.j2", "html": "report.html.j2", "pdf": "report.html.j2"}
OVERRIDE_DIR = "templates"  # a plan repository's own templates, beside data/

# Bounds on a user's template: the sandbox stops attribute escapes, not `'a' * 10**8` or
# endless loops (RELIABILITY.md), so values, output and time are capped as well.
MAX_SECONDS = 20.0
MAX_OUTPUT = 20_000_000  # characters of output
MAX_VALUE = 1_000_000  # characters or items of one value, and the largest int argument
MAX_INT_BITS = 4096
# A width or precision of a million or more, or one taken from the arguments, in a
# %-format or a str.format field.
_WIDE_FORMAT = re.compile(
    r"%[-#0 +]*(?:\*|[0-9]{7,})|%[-#0 +]*[0-9]*\.(?:\*|[0-9]{7,})|\{[^{}]*:[^{}]*(?:[0-9]{7,}|\{)"
)


class TemplateError(WorkplanError):
    """A report template that cannot be read, compiled or rendered."""


@dataclass(frozen=True)
class TemplateChoice:
    """Which template file renders a report, and whether it is the shipped default."""

    path: Path
    default: bool  # shipped with workplan; anything else runs in the sandbox


def choose_template(fmt: str, repo_root: Path | None, explicit: Path | None) -> TemplateChoice:
    """Returns `--template PATH` if given, else the repository's own template, else the default."""
    name = TEMPLATE_NAMES[fmt]
    default = DEFAULTS / name
    if explicit is not None:
        if not explicit.is_file():
            raise TemplateError(f"{explicit}: no such template file")
        return TemplateChoice(explicit, _same_file(explicit, default))
    if repo_root is not None:
        override = repo_root / OVERRIDE_DIR / name
        if override.is_file():
            return TemplateChoice(override, _same_file(override, default))
    return TemplateChoice(default, True)


def _same_file(path: Path, default: Path) -> bool:
    # The project's own top-level templates/ is a link to the shipped defaults.
    return path.resolve() == default.resolve()


def render(choice: TemplateChoice, context: dict, fmt: str) -> str:
    """Returns the report text that the template makes of the context."""
    env = _environment(choice, autoescape=fmt in ("html", "pdf"))
    shown = _shown(choice.path)
    try:
        with _deadline(None if choice.default else MAX_SECONDS):
            template = env.get_template(choice.path.name)
            return _collect(template.generate(context), shown)
    except _Timeout:
        raise TemplateError(
            f"{shown}: rendering took longer than {MAX_SECONDS:g} seconds; stopped"
        ) from None
    except jinja2.TemplateSyntaxError as e:
        where = f"{_shown(Path(e.filename)) if e.filename else shown}:{e.lineno}"
        raise TemplateError(f"{where}: {e.message}") from None
    except jinja2.TemplateNotFound as e:
        raise TemplateError(f"{shown}: template {e.name!r} not found") from None
    except TemplateError:
        raise
    except Exception as e:  # a user's template is code: any failure is its author's to see
        raise TemplateError(f"{_where(e, shown)}: {_describe(e)}") from None


def html_to_pdf(html: str) -> bytes:
    """Returns the html report typeset as PDF by WeasyPrint (an optional extra)."""
    try:
        import weasyprint
    except (ImportError, OSError) as e:
        raise WorkplanError(
            "pdf output needs WeasyPrint, which is not installed or cannot load its system "
            f"libraries ({e}); install it with: pip install 'workplan[pdf]'"
        ) from None

    def refuse(url: str, *args, **kwargs):
        # The report is self-contained; nothing may be fetched while typesetting it.
        raise ValueError(f"not fetching {url}: reports are self-contained")

    return weasyprint.HTML(string=html, url_fetcher=refuse).write_pdf()


# --- Environments and filters --------------------------------------------------------------


def _environment(choice: TemplateChoice, autoescape: bool) -> jinja2.Environment:
    # Autoescaping follows the output format, not the file name: select_autoescape() does not
    # match `report.html.j2` (RELIABILITY.md), and a `--template` may be named anything.
    options = {
        "undefined": jinja2.StrictUndefined,
        "autoescape": autoescape,
        "keep_trailing_newline": True,
        "trim_blocks": True,
        "lstrip_blocks": True,
    }
    if choice.default:
        env = jinja2.Environment(loader=jinja2.FileSystemLoader(DEFAULTS), **options)
    else:
        # A user's template may include its neighbours or extend "default/report.html.j2".
        loader = jinja2.ChoiceLoader(
            [
                jinja2.FileSystemLoader(choice.path.parent),
                jinja2.PrefixLoader({"default": jinja2.FileSystemLoader(DEFAULTS)}),
            ]
        )
        env = _BoundedSandbox(loader=loader, **options)
    env.filters.update(md=md, md_block=md_block)
    if isinstance(env, _BoundedSandbox):
        env.filters = {name: _guarded(f) for name, f in env.filters.items()}
    return env


# --- The sandbox for a user's template ------------------------------------------------------


class _Timeout(Exception):
    pass


class _BoundedSandbox(SandboxedEnvironment):
    """The jinja2 sandbox, refusing operations that would build huge values."""

    intercepted_binops = frozenset({"*", "**", "+", "%"})

    def call_binop(self, context, operator, left, right):
        _check_binop(operator, left, right)
        return super().call_binop(context, operator, left, right)

    def call(__self, __context, __obj, *args, **kwargs):  # jinja2's own signature
        _check_arguments(getattr(__obj, "__name__", "call"), args, kwargs)
        method = getattr(__obj, "__wrapped__", __obj)  # the sandbox wraps str.format
        if isinstance(getattr(method, "__self__", None), str) and method.__name__ in (
            "format",
            "format_map",
        ):
            _check_format(method.__self__)
        return super().call(__context, __obj, *args, **kwargs)


def _check_binop(operator: str, left, right) -> None:
    sized = (str, bytes, list, tuple)
    ints = isinstance(left, int) and isinstance(right, int)
    if operator == "*":
        for seq, n in ((left, right), (right, left)):
            if isinstance(seq, sized) and isinstance(n, int) and len(seq) * n > MAX_VALUE:
                _refuse(f"'*' would make a value of {len(seq) * n} items")
        if ints and left.bit_length() + right.bit_length() > MAX_INT_BITS:
            _refuse("'*' would make a number too large")
    elif operator == "**":
        if ints and right > 0 and abs(left) > 1 and right * left.bit_length() > MAX_INT_BITS:
            _refuse("'**' would make a number too large")
    elif operator == "+":
        both = isinstance(left, sized) and isinstance(right, sized)
        if both and len(left) + len(right) > MAX_VALUE:
            _refuse(f"'+' would make a value of {len(left) + len(right)} items")
    elif operator == "%" and isinstance(left, str):
        _check_format(left)
        values = right if isinstance(right, tuple) else (right,)
        _check_arguments("'%'", values, {})


def _check_format(text: str) -> None:
    if _WIDE_FORMAT.search(text):
        _refuse("a format with a width of a million or more, or a '*' width, is not allowed")


def _check_arguments(what: str, args, kwargs) -> None:
    for value in (*args, *kwargs.values()):
        if isinstance(value, int) and not isinstance(value, bool) and abs(value) > MAX_VALUE:
            _refuse(f"{what}() with the argument {value} (larger than {MAX_VALUE})")


def _guarded(f):
    """Returns the filter, refusing huge numeric arguments (`center(10**8)`) and formats."""

    @functools.wraps(f)  # keeps jinja2's pass_context/pass_environment marks
    def guarded(*args, **kwargs):
        _check_arguments(f.__name__, args, kwargs)
        if f.__name__ == "do_format" and args and isinstance(args[0], str):
            _check_format(args[0])
        return f(*args, **kwargs)

    return guarded


def _refuse(message: str) -> None:
    raise SecurityError(f"refused: {message}")


# --- Bounds and error places ------------------------------------------------------------------


def _collect(chunks: Iterator[str], shown: str) -> str:
    parts, size = [], 0
    for chunk in chunks:
        size += len(chunk)
        if size > MAX_OUTPUT:
            raise TemplateError(f"{shown}: the report grew beyond {MAX_OUTPUT} characters; stopped")
        parts.append(chunk)
    return "".join(parts)


@contextmanager
def _deadline(seconds: float | None):
    """Raises _Timeout in the block after `seconds` (POSIX, main thread; else no time bound)."""
    usable = hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
    if seconds is None or not usable:
        yield
        return

    def expire(signum, frame):
        raise _Timeout

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


_TEMPLATE_FRAME = re.compile(r"top-level template code|template|block '.*'")


def _where(error: BaseException, shown: str) -> str:
    """Returns `template:line` of the innermost template frame the error passed through."""
    frames = [
        f
        for f in traceback.extract_tb(error.__traceback__)
        if _TEMPLATE_FRAME.fullmatch(f.name) and f.filename and f.lineno
    ]
    if not frames:
        return shown
    return f"{_shown(Path(frames[-1].filename))}:{frames[-1].lineno}"


def _describe(error: Exception) -> str:
    if isinstance(error, jinja2.UndefinedError):
        return f"undefined: {error}"
    if isinstance(error, jinja2.TemplateError):
        return str(error)
    return f"{type(error).__name__}: {error}"


def _shown(path: Path) -> str:
    """Returns the path relative to the current folder when it is inside it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except (ValueError, OSError):
        return str(path)
