"""The completion scripts for bash, zsh and fish, and the inert text each receives on a TAB.

typer's zsh script runs `eval $(workplan)` and typer answers with `_arguments '*: :((...))'`,
which zsh's _arguments evaluates a second time (`eval ws=( ... )`) inside double quotes; typer
escapes `$` and backticks but not the backslash, so a title with `\\$(cmd)` ran `cmd` on TAB.
Here every character of every value and description that is not a letter, digit, `.`, `_` or
`-` reaches zsh as a `\\xHH` byte escape inside `$'...'`, the list goes to `_describe` (which
does not evaluate it), and the output is one line without spaces to split: inert under typer's
script (already installed by users) and under ours, which quotes what it evaluates. bash gets
plain ids one a line (read with `mapfile`, never split or globbed); fish gets `value<TAB>help`
lines (a command substitution's lines are never evaluated by fish) with no control characters.

The classes are registered through click's `add_completion_class` (typer carries its own copy of
click as `typer._click`, as cli/__init__.py notes) every time the tool starts, after typer has
registered its own, and `--show-completion`/`--install-completion` print and install these
scripts instead of typer's.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

from typer._click.shell_completion import (  # typer's own click: its public completion API
    CompletionItem,
    ShellComplete,
    add_completion_class,
    split_arg_string,
)

from workplan_cli.cli.complete import plain_description

_SAFE_BYTE = re.compile(rb"[A-Za-z0-9._-]")
_BASH_WORD = re.compile(r"[A-Za-z0-9._=,:@%+/-]+")  # no quote, glob, space or control character
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")

BASH_SCRIPT = """\
%(complete_func)s() {
    local IFS=$'\\n'
    mapfile -t COMPREPLY < <(env COMP_WORDS="${COMP_WORDS[*]}" COMP_CWORD="$COMP_CWORD" \\
        %(autocomplete_var)s=complete_bash "$1" 2>/dev/null)
    return 0
}

complete -o default -F %(complete_func)s %(prog_name)s
"""

ZSH_SCRIPT = """\
#compdef %(prog_name)s

%(complete_func)s() {
  local reply
  reply="$(env _TYPER_COMPLETE_ARGS="${words[1,$CURRENT]}" \\
    %(autocomplete_var)s=complete_zsh %(prog_name)s 2>/dev/null)" || return 1
  eval "$reply"
}

compdef %(complete_func)s %(prog_name)s
"""

FISH_SCRIPT = (
    "complete --command %(prog_name)s --no-files --arguments "
    '"(env %(autocomplete_var)s=complete_fish _TYPER_COMPLETE_FISH_ACTION=get-args '
    '_TYPER_COMPLETE_ARGS=(commandline -cp) %(prog_name)s)" --condition '
    '"env %(autocomplete_var)s=complete_fish _TYPER_COMPLETE_FISH_ACTION=is-args '
    '_TYPER_COMPLETE_ARGS=(commandline -cp) %(prog_name)s"\n'
)


def zsh_quoted(text: str) -> str:
    """Returns `text` as one zsh word, `$'...'` with every byte but [A-Za-z0-9._-] escaped."""
    return (
        "$'"
        + "".join(
            chr(b) if _SAFE_BYTE.fullmatch(bytes([b])) else f"\\x{b:02x}"
            for b in text.encode("utf-8", "replace")
        )
        + "'"
    )


class _Complete(ShellComplete):
    """What the three shells share: the script's variables and the typed words."""

    def source_vars(self) -> dict[str, Any]:
        return {
            "complete_func": self.func_name,
            "autocomplete_var": self.complete_var,
            "prog_name": self.prog_name,
        }

    def get_completion_args(self) -> tuple[list[str], str]:
        typed = os.environ.get("_TYPER_COMPLETE_ARGS", "")
        words = split_arg_string(typed)[1:]
        if words and not typed.endswith(" "):
            return words[:-1], words[-1]
        return words, ""


class BashComplete(_Complete):
    name = "bash"
    source_template = BASH_SCRIPT

    def get_completion_args(self) -> tuple[list[str], str]:
        words = split_arg_string(os.environ.get("COMP_WORDS", ""))
        cword = int(os.environ.get("COMP_CWORD") or 0)
        return words[1:cword], words[cword] if cword < len(words) else ""

    def format_completion(self, item: CompletionItem) -> str:
        value = str(item.value)
        return value if _BASH_WORD.fullmatch(value) else ""

    def complete(self) -> str:
        args, incomplete = self.get_completion_args()
        lines = [self.format_completion(item) for item in self.get_completions(args, incomplete)]
        return "\n".join(line for line in lines if line)


class ZshComplete(_Complete):
    name = "zsh"
    source_template = ZSH_SCRIPT

    def format_completion(self, item: CompletionItem) -> str:
        value = str(item.value).replace("\\", "\\\\").replace(":", "\\:")  # _describe's syntax
        help = plain_description(item.help or "").replace("\\", "\\\\")
        return zsh_quoted(f"{value}:{help}" if help else value)

    def complete(self) -> str:
        args, incomplete = self.get_completion_args()
        words = [self.format_completion(item) for item in self.get_completions(args, incomplete)]
        if not words:
            return "_files"
        return f"local -a _wp_matches;_wp_matches=({' '.join(words)});_describe value _wp_matches"


class FishComplete(_Complete):
    name = "fish"
    source_template = FISH_SCRIPT

    def format_completion(self, item: CompletionItem) -> str:
        value = str(item.value)
        if _CONTROL.search(value) or not value.strip():
            return ""
        help = plain_description(item.help or "")
        return f"{value}\t{help}" if help else value

    def complete(self) -> str:
        args, incomplete = self.get_completion_args()
        lines = [self.format_completion(item) for item in self.get_completions(args, incomplete)]
        lines = [line for line in lines if line]
        action = os.environ.get("_TYPER_COMPLETE_FISH_ACTION", "")
        if action == "is-args":
            raise SystemExit(0 if lines else 1)  # 1: let fish complete file names
        return "\n".join(lines)


SHELLS = {cls.name: cls for cls in (BashComplete, ZshComplete, FishComplete)}


def register() -> None:
    """Makes the `_WORKPLAN_COMPLETE` protocol use these classes (typer registers its own first)."""
    for name, cls in SHELLS.items():
        add_completion_class(cls, name)


def script(shell: str, prog_name: str = "workplan") -> str:
    """Returns the completion script for `shell`."""
    complete_var = "_{}_COMPLETE".format(prog_name.replace("-", "_").upper())
    return SHELLS[shell](None, {}, prog_name, complete_var).source()


# --- --show-completion and --install-completion -------------------------------------------------


def detected_shell() -> str | None:
    """Returns the shell that runs the tool, or None when it is not one of ours."""
    import shellingham  # typer's own dependency; it reads the parent processes

    try:
        name = shellingham.detect_shell()[0]
    except shellingham.ShellDetectionFailure:
        name = os.path.basename(os.environ.get("SHELL", ""))
    return name if name in SHELLS else None


def install(shell: str, home: Path | None = None, prog_name: str = "workplan") -> Path:
    """Writes the script where `shell` loads it from (as typer does); returns its path."""
    home = home or Path.home()
    if shell == "bash":
        path = home / ".bash_completions" / f"{prog_name}.sh"
        _add_line(home / ".bashrc", f"source '{path}'")
    elif shell == "zsh":
        path = home / ".zfunc" / f"_{prog_name}"
        _add_line(home / ".zshrc", "fpath+=~/.zfunc; autoload -Uz compinit; compinit")
    else:
        path = home / ".config" / "fish" / "completions" / f"{prog_name}.fish"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(script(shell, prog_name), encoding="utf-8")
    return path


def _add_line(rc: Path, line: str) -> None:
    text = rc.read_text(encoding="utf-8") if rc.is_file() else ""
    if line not in text.splitlines():
        rc.write_text(f"{text}{'' if not text or text.endswith(chr(10)) else chr(10)}{line}\n")


def attach(command: Any) -> None:
    """Registers the classes and points the root command's `--show-completion` and
    `--install-completion` at these scripts (typer's own callbacks still serve other shells)."""
    register()
    ours = {"show_completion": _show, "install_completion": _install}
    for param in command.params:
        if param.name in ours and not getattr(param.callback, "workplan", False):
            param.callback = _wrap(ours[param.name], param.callback)


def _wrap(ours, typers):
    def callback(ctx, param, value):
        if not value or ctx.resilient_parsing:
            return value
        shell = getattr(value, "value", value) if isinstance(value, str) else detected_shell()
        if shell not in SHELLS:
            return typers(ctx, param, value)  # powershell, or a shell typer may know
        ours(ctx, shell)

    callback.workplan = True
    return callback


def _show(ctx, shell: str) -> None:
    import typer

    typer.echo(script(shell, ctx.find_root().info_name or "workplan"), nl=False)
    ctx.exit(0)


def _install(ctx, shell: str) -> None:
    import typer

    path = install(shell, prog_name=ctx.find_root().info_name or "workplan")
    typer.echo(f"{shell} completion installed in {path}")
    typer.echo("Completion will take effect once you restart the terminal")
    ctx.exit(0)
