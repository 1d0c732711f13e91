"""Rendering reports from jinja2 templates (the only module that imports jinja2)."""

from __future__ import annotations

import contextlib
import functools
import os
import re
import stat
import traceback
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

import jinja2
from jinja2.sandbox import SandboxedEnvironment, SecurityError

from workplan_cli.errors import WorkplanError
from workplan_cli.output import pdfparts, reportparts, sandbox
from workplan_cli.output.markdown import md, md_block

DEFAULTS = Path(__file__).resolve().parent.parent / "templates"
TEMPLATE_NAMES = {"markdown": "report.md.j2", "html": "report.html.j2", "pdf": "report.html.j2"}
OVERRIDE_DIR = "templates"  # a plan repository's own templates, beside data/

# Hard limits on a user's template (a repository's templates/ or --template), which renders in a
# child process (sandbox.py); each can be changed with the environment variable named beside it.
MAX_MEMORY_MB = 512  # WORKPLAN_TEMPLATE_MEMORY_MB: address space of the child process
MAX_SECONDS = 20.0  # WORKPLAN_TEMPLATE_SECONDS: CPU time of the child (wall clock: 3 times)
MAX_OUTPUT = 20_000_000  # WORKPLAN_TEMPLATE_OUTPUT_MB (in MB): characters of output
MAX_TEMPLATE_BYTES = 1_000_000  # the size of one template file
# Typesetting a pdf (WeasyPrint) also runs in a child process, on any template's html.
PDF_MEMORY_MB = 1536  # WORKPLAN_PDF_MEMORY_MB
PDF_SECONDS = 180.0  # WORKPLAN_PDF_SECONDS: CPU time (wall clock: 3 times); 2,000 activities: 75 s
PDF_MAX_HTML = 2_500_000  # WORKPLAN_PDF_HTML_MB (in MB): larger html is refused at once
PDF_MAX_BYTES = 1_000_000_000  # of a pdf read back from its typesetter
# Per-operation guards inside the sandbox: they stop the common ways of building a huge value
# early, with the template's line in the message; the child's limits are what make the promise.
MAX_VALUE = 1_000_000  # characters or items of one value, and the largest int argument
MAX_INT_BITS = 4096
# A width or precision of a million or more, or one taken from the arguments, in a
# %-format or a str.format field.
_WIDE_FORMAT = re.compile(
    r"%[-#0 +]*(?:\*|[0-9]{7,})|%[-#0 +]*[0-9]*\.(?:\*|[0-9]{7,})|\{[^{}]*:[^{}]*(?:[0-9]{7,}|\{)"
)
# What the child processes see of the environment: nothing of the user's, except what
# WeasyPrint's font lookup (fontconfig) needs to find fonts and its cache.
_CHILD_ENV = {"LC_ALL": "C.UTF-8"}
_PDF_ENV_NAMES = ("HOME", "PATH", "LANG", "TMPDIR", "FONTCONFIG_FILE", "FONTCONFIG_PATH")


class TemplateError(WorkplanError):
    """A report template that cannot be read, compiled or rendered."""


@dataclass(frozen=True)
class TemplateChoice:
    """Which template file renders a report, and whether it is the shipped default."""

    path: Path
    default: bool  # shipped with workplan; anything else runs in the sandbox
    # The folder (a real path) that the template and what it includes must be inside; by
    # default the template's own folder.
    root: Path | None = field(default=None, compare=False)


def choose_template(fmt: str, repo_root: Path | None, explicit: Path | None) -> TemplateChoice:
    """Returns `--template PATH` if given, else the repository's own template, else the default.

    A path the user typed is trusted as a file (wherever a link in it leads); a repository's
    template must really be inside the repository's templates/ folder, and that inside the
    repository: a link that leads out of either is an error, not read.
    """
    name = TEMPLATE_NAMES[fmt]
    default = DEFAULTS / name
    if explicit is not None:
        if not explicit.is_file():
            raise TemplateError(f"{explicit}: no such template file")
        if _same_file(explicit, default):
            return TemplateChoice(explicit, True)
        return TemplateChoice(explicit, False, explicit.resolve().parent)
    if repo_root is not None:
        override = repo_root / OVERRIDE_DIR / name
        if override.exists() or override.is_symlink():
            if _same_file(override, default):
                return TemplateChoice(override, True)
            return TemplateChoice(override, False, _repository_folder(repo_root, override))
    return TemplateChoice(default, True)


def _repository_folder(repo_root: Path, template: Path) -> Path:
    """Returns the real path of the repository's templates/ after checking where links lead."""
    folder = template.parent
    real_root, real_folder = repo_root.resolve(), folder.resolve()
    if not real_folder.is_relative_to(real_root):
        raise TemplateError(
            f"{_shown(folder)}: is a link that leads outside the repository; "
            "templates are read only from inside it"
        )
    real = template.resolve()
    if not real.is_relative_to(real_folder):
        raise TemplateError(
            f"{_shown(template)}: is a link that leads outside {OVERRIDE_DIR}/; "
            "templates are read only from inside it"
        )
    if not real.is_file():
        raise TemplateError(f"{_shown(template)}: not a regular file")
    return real_folder


def _same_file(path: Path, default: Path) -> bool:
    # The project's own top-level templates/ is a link to the shipped defaults.
    return path.resolve() == default.resolve()


def render(choice: TemplateChoice, context: dict, fmt: str) -> str:
    """Returns the report text that the template makes of the context.

    The shipped templates render here; any other runs in the jinja2 sandbox inside a child
    process with hard limits on memory, time and output (see sandbox.py).
    """
    if choice.default:
        return _render_here((choice, context, fmt, _output_limit()))
    limits = sandbox.Limits(
        memory_mb=_setting("WORKPLAN_TEMPLATE_MEMORY_MB", MAX_MEMORY_MB),
        seconds=_setting("WORKPLAN_TEMPLATE_SECONDS", MAX_SECONDS),
        output_bytes=4 * _output_limit() + 4,  # UTF-8 of at most MAX_OUTPUT characters
        memory_setting="WORKPLAN_TEMPLATE_MEMORY_MB",
        seconds_setting="WORKPLAN_TEMPLATE_SECONDS",
    )
    try:
        data = sandbox.run(
            "workplan_cli.output.report:_render_child",
            (choice, context, fmt, _output_limit()),
            limits,
            f"{_shown(choice.path)}: the template",
            dict(_CHILD_ENV),
        )
    except WorkplanError as e:  # the child's own TemplateError, or a limit it went past
        raise TemplateError(str(e)) from None
    return data.decode("utf-8", "surrogatepass")


def _render_child(request) -> bytes:
    """Returns the rendered report as UTF-8 (called in the child process)."""
    return _render_here(request).encode("utf-8", "surrogatepass")


def _render_here(request) -> str:
    choice, context, fmt, max_output = request
    lang = context.get("lang") if isinstance(context, dict) else None
    env = _environment(choice, autoescape=fmt in ("html", "pdf"), lang=lang)
    shown = _shown(choice.path)
    try:
        template = env.get_template(_top_name(choice))
        return _collect(template.generate(context), shown, max_output)
    except jinja2.TemplateSyntaxError as e:
        where = f"{_shown(Path(e.filename)) if e.filename else shown}:{e.lineno}"
        raise TemplateError(f"{where}: {e.message}") from None
    except jinja2.TemplateNotFound as e:
        raise TemplateError(f"{_where(e, shown)}: template {e.name!r} not found") from None
    except (TemplateError, MemoryError):
        raise
    except Exception as e:  # a user's template is code: any failure is its author's to see
        raise TemplateError(f"{_where(e, shown)}: {_describe(e)}") from None


def _top_name(choice: TemplateChoice) -> str:
    if choice.default:
        return choice.path.name
    return choice.path.resolve().relative_to(_root(choice)).as_posix()


def _root(choice: TemplateChoice) -> Path:
    return choice.root or choice.path.resolve().parent


ENGINES = ("weasyprint", "chromium", "auto")


def pdf(choice: TemplateChoice, context: dict, engine: str = "weasyprint") -> bytes:
    """Returns the report as a pdf typeset by `engine` (see html_to_pdf).

    A report of more than PART_ACTIVITIES activities (WORKPLAN_PDF_PART_ACTIVITIES) in the
    shipped template is printed in parts and joined, so that the typesetter holds one part at a
    time (output/pdfparts.py); a repository's own template is printed whole.
    """
    most = int(_setting("WORKPLAN_PDF_PART_ACTIVITIES", pdfparts.PART_ACTIVITIES))
    parts = pdfparts.split(context, most) if choice.default else []
    with _typesetter(_engine(engine)) as typeset:  # Chromium starts while the pages render
        if len(parts) < 2:
            return typeset([_sized(render(choice, context, "pdf"))])[0]
        pages = [render(choice, part, "pdf") for part in parts]
        # As large as the report in one piece: each part after the first repeats its head.
        _sized("".join([pages[0], *(page[page.find("<body") :] for page in pages[1:])]))
        printed = typeset(pages)
        total = sum(pdfparts.count_pages(data) for data in printed)
        layer = typeset([render(choice, pdfparts.numbers(context, total), "pdf")])[0]
    levels = [pdfparts.outline_levels(part) for part in parts]
    request = (printed, layer, parts[0]["part"]["elsewhere"], levels)
    return _bounded("workplan_cli.output.pdfparts:join", request, "joining the parts")


def html_to_pdf(html: str, engine: str = "weasyprint") -> bytes:
    """Returns the html report typeset as PDF by WeasyPrint (an optional extra) or Chromium.

    `engine` is "weasyprint" (the default, wherever pango is), "chromium" (headless Chromium
    when it is installed: output/chromium.py) or "auto" (Chromium if installed, else
    WeasyPrint). Either runs in a child process with limits on memory and time; html larger
    than PDF_MAX_HTML is refused at once (its time grows with the size: see the report's figures).
    """
    engine = _engine(engine)
    _sized(html)
    with _typesetter(engine) as typeset:
        return typeset([html])[0]


def _sized(html: str) -> str:
    """Returns the html, refusing at once a report too large to typeset."""
    size = len(html.encode("utf-8", "surrogatepass"))
    largest = _setting("WORKPLAN_PDF_HTML_MB", PDF_MAX_HTML / 1e6) * 1e6
    if size > largest:
        raise WorkplanError(
            f"the report is {size / 1e6:.1f} MB of html, too large to typeset as pdf "
            f"(at most {largest / 1e6:g} MB, WORKPLAN_PDF_HTML_MB); {_NARROW}"
        )
    return html


def _engine(engine: str) -> str:
    """Returns the engine that will print ("auto" chosen), checking that it can be loaded."""
    import importlib.util

    from workplan_cli.output import chromium

    if engine not in ENGINES:
        raise WorkplanError(f"{engine!r}: not a pdf engine (one of {', '.join(ENGINES)})")
    if engine == "auto":
        engine = "chromium" if chromium.find() is not None else "weasyprint"
    if engine == "weasyprint" and importlib.util.find_spec("weasyprint") is None:
        raise WorkplanError(_NO_WEASYPRINT.format(reason="No module named 'weasyprint'"))
    return engine


def _pdf_limits() -> sandbox.Limits:
    """Returns the limits of every process that typesets or joins the pdf."""
    return sandbox.Limits(
        memory_mb=_setting("WORKPLAN_PDF_MEMORY_MB", PDF_MEMORY_MB),
        seconds=_setting("WORKPLAN_PDF_SECONDS", PDF_SECONDS),
        output_bytes=PDF_MAX_BYTES,
        memory_setting="WORKPLAN_PDF_MEMORY_MB",
        seconds_setting="WORKPLAN_PDF_SECONDS",
    )


_WEASYPRINT = "workplan_cli.output.report:_pdf_child"
Typeset = Callable[[list[str]], list[bytes]]  # html pages -> their pdfs


@contextlib.contextmanager
def _typesetter(engine: str) -> Iterator[Typeset]:
    """Yields the function that prints html pages to pdf with the engine: Chromium prints them
    all in one browser, WeasyPrint each in a process of its own (which gives back all its memory
    when it ends)."""
    from workplan_cli.output import chromium

    if engine != "chromium":
        yield lambda pages: [_bounded(_WEASYPRINT, page) for page in pages]
        return
    try:
        with chromium.Printer(_pdf_limits()) as printer:
            yield printer.print
    except sandbox.LimitError as e:
        raise WorkplanError(f"{e}; {_NARROW}") from None


def _bounded(target: str, payload: object, what: str = "typesetting the pdf") -> bytes:
    env = dict(_CHILD_ENV)
    env.update((k, v) for k, v in os.environ.items() if k in _PDF_ENV_NAMES or k.startswith("XDG_"))
    try:
        return sandbox.run(target, payload, _pdf_limits(), what, env)
    except sandbox.LimitError as e:
        raise WorkplanError(f"{e}; {_NARROW}") from None


_NARROW = (
    "use --format html and print it from a browser, or narrow the report with --area or --topic"
)


_NO_WEASYPRINT = (
    "pdf output needs WeasyPrint, which is not installed or cannot load its system "
    "libraries ({reason}); install it with: pip install 'workplan[pdf]'"
)


def _pdf_child(html: str) -> bytes:
    """Returns the pdf of the html (called in the child process)."""
    import gc

    # WeasyPrint keeps millions of objects until the pdf is written: the cyclic collector's
    # passes over them cost a fifth of its time, for 2% more memory without them (the address
    # space of this process is bounded).
    gc.disable()
    try:
        import weasyprint
    except (ImportError, OSError) as e:
        raise WorkplanError(_NO_WEASYPRINT.format(reason=e)) from None

    return weasyprint.HTML(string=html, url_fetcher=_no_fetching(weasyprint)).write_pdf()


def _no_fetching(weasyprint):
    """Returns WeasyPrint's url fetcher that reads data: URLs only (inline images and fonts).

    The report is self-contained: nothing may be fetched while typesetting it. WeasyPrint 68 and
    later take a URLFetcher (a plain function fails there on the first URL of a page); earlier
    ones take a function.
    """
    fetcher = getattr(weasyprint, "URLFetcher", None)
    if fetcher is not None:
        return fetcher(allowed_protocols=("data",))

    def data_only(url: str, *args, **kwargs):
        if url.lower().startswith("data:"):
            return weasyprint.default_url_fetcher(url, *args, **kwargs)
        raise ValueError(f"not fetching {url}: reports are self-contained")

    return data_only


def _setting(name: str, default: float) -> float:
    """Returns the positive number in the environment variable `name`, else the default."""
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    try:
        number = float(value)
    except ValueError:
        number = 0
    if not number > 0 or number != number or number == float("inf"):
        raise WorkplanError(f"{name}={value!r}: not a positive number")
    return int(number) if number.is_integer() else number


def _output_limit() -> int:
    return int(_setting("WORKPLAN_TEMPLATE_OUTPUT_MB", MAX_OUTPUT / 1e6) * 1e6)


# --- Environments and filters --------------------------------------------------------------


def _environment(
    choice: TemplateChoice, autoescape: bool, lang: str | None = None
) -> jinja2.Environment:
    # Autoescaping follows the output format, not the file name: select_autoescape() does not
    # match `report.html.j2` (RELIABILITY.md), and a `--template` may be named anything.
    options: dict[str, Any] = {
        "undefined": jinja2.StrictUndefined,
        "autoescape": autoescape,
        "keep_trailing_newline": True,
        "trim_blocks": True,
        "lstrip_blocks": True,
        "extensions": ["jinja2.ext.i18n"],
    }
    if choice.default:
        env = jinja2.Environment(loader=jinja2.FileSystemLoader(DEFAULTS), **options)
    else:
        # A user's template may include its neighbours or extend "default/report.html.j2".
        loader = jinja2.ChoiceLoader(
            [
                _ConfinedLoader(_root(choice)),
                jinja2.PrefixLoader({"default": _ConfinedLoader(DEFAULTS)}),
            ]
        )
        env = _BoundedSandbox(loader=loader, **options)
    # The report's language: `_()`, `gettext`, `ngettext` and `{% trans %}` from its catalog,
    # and the filters `date`, `number` and `percent` (a share, 0.45) formatted for it.
    from workplan_cli.output import i18n  # babel: not in the pdf's child process, which is small

    tr = i18n.language(lang if isinstance(lang, str) else i18n.SOURCE_LANGUAGE)
    env.install_gettext_callables(  # type: ignore[attr-defined]  # added by jinja2.ext.i18n
        tr.gettext, tr.ngettext, newstyle=True
    )
    env.filters.update(md=md, md_block=md_block, date=tr.date, number=tr.number)
    env.filters.update(
        percent=tr.percent, css_string=reportparts.css_string, in_sentence=tr.in_sentence
    )
    env.filters.update(status_in_sentence=lambda word: tr.in_sentence(word, adjective=True))
    if isinstance(env, _BoundedSandbox):
        env.filters = {name: _guarded(f) for name, f in env.filters.items()}
    return env


class _ConfinedLoader(jinja2.BaseLoader):
    """Loads templates only from inside one folder: relative names, no `..`, no link out."""

    def __init__(self, root: Path) -> None:
        self.root = root.resolve()

    def get_source(self, environment, template):
        parts = PurePosixPath(template).parts
        if (
            "\\" in template
            or "\0" in template
            or PurePosixPath(template).is_absolute()
            or ".." in parts
            or (parts and ":" in parts[0])  # a Windows drive
        ):
            _refuse(
                f"the template name {template!r} must be a relative path inside the template's "
                "folder, without '..'"
            )
        path = self.root.joinpath(*parts)
        try:
            real = path.resolve()
            if not real.is_relative_to(self.root):
                _refuse(f"the template {template!r} is a link that leads outside its folder")
            info = real.stat()
        except (OSError, RuntimeError):  # absent, a link loop, unreadable
            raise jinja2.TemplateNotFound(template) from None
        if not stat.S_ISREG(info.st_mode):
            _refuse(f"the template {template!r} is not a regular file")
        if info.st_size > MAX_TEMPLATE_BYTES:
            _refuse(f"the template {template!r} is larger than {MAX_TEMPLATE_BYTES} bytes")
        try:
            with open(real, "rb") as f:
                source = f.read(MAX_TEMPLATE_BYTES + 1)[:MAX_TEMPLATE_BYTES]
            text = source.decode("utf-8")
        except OSError as e:
            raise TemplateError(f"{_shown(real)}: cannot read ({e.strerror})") from None
        except UnicodeDecodeError as e:
            raise TemplateError(f"{_shown(real)}: not UTF-8 (byte {e.start})") from None
        return text, str(real), lambda: False


# --- The sandbox for a user's template ------------------------------------------------------


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


def _collect(chunks: Iterator[str], shown: str, max_output: int | None) -> str:
    parts, size = [], 0
    for chunk in chunks:
        size += len(chunk)
        if max_output is not None and size > max_output:
            raise TemplateError(f"{shown}: the report grew beyond {max_output} characters; stopped")
        parts.append(chunk)
    return "".join(parts)


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
