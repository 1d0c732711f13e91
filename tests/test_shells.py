"""Shell completion in the real bash, zsh and fish: hostile plan text is shown, never run.

Each test sources typer's completion script (what `workplan --show-completion SHELL` prints and
`--install-completion` installs) in the real shell, presses TAB (zsh: in a pseudo-terminal
through zsh's zpty; bash: the completion function with COMP_WORDS set, as readline calls it;
fish: `complete -C`), on a repository whose titles try to run commands, and checks that no
marker file appeared, that the ids came back and that the titles are shown as plain text.
typer's zsh script evaluates whatever the tool answers (twice: `eval`, then `_arguments`), so
what is inert is what workplan answers: plain ids, and descriptions of letters, digits, spaces
and `.,;/&+-` only (cli/complete.py).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import string
import subprocess
import sys
from pathlib import Path

import pytest

from workplan_cli.cli.complete import DESCRIPTION_MAX, plain_description, plain_value

TIMEOUT = 60  # seconds: a hang guard, not a speed figure

# zsh: start an interactive zsh in a pseudo-terminal, load compinit and the script, type the
# line and TAB twice (complete, then list), and print the screen until the last id shows. The
# user has GLOB_SUBST on, under which a substitution's `data(+cmd)` or `data(e.cmd.)` runs cmd
# (compsys turns it off for completion functions; descriptions hold no glob character anyway).
ZSH_DRIVER = r"""
zmodload zsh/zpty
zpty z zsh -f -i
zpty -w z "PS1='> '; setopt globsubst; autoload -Uz compinit; compinit -u -D; source ${(q)1}; LISTMAX=1000"
zpty -w z "print READY"
zpty -r z line '*READY*'
zpty -w -n z "$2"$'\t\t'
out=''
for i in {1..200}; do
  while zpty -r -t z chunk; do out+=$chunk; done
  [[ $out == *"$3  -- "* ]] && break
  sleep 0.1
done
sleep 0.3
while zpty -r -t z chunk; do out+=$chunk; done
print -r -- "$out"
zpty -d z
"""


def hostile_titles(marker: str) -> dict[str, str]:
    """Titles for activities 1.3.1-1.3.3, 1.2.1 and 1.1.2 that try to run `touch MARKER-n`."""
    return {
        "1.3.1": f"a $(touch {marker}-1) b `touch {marker}-2` c",
        # and glob qualifiers that run a command where zsh globs a substitution (GLOB_SUBST)
        "1.3.2": f"d \\$(touch {marker}-3) e \\`touch {marker}-4\\` f data(+wpmark) data(e.wpmark.)",
        "1.1.1": "Grüße ăŞ東京 a last backslash \\",  # UTF-8 bytes 0x83-0x9f: zsh's tokens
        "1.3.3": f"g ' $(touch {marker}-5) ' \" $(touch {marker}-6) \" h: i\\: j",
        "1.2.1": f"k\n$(touch {marker}-7)\r\x1b[31mred\x1b[0m\x1b]0;title\x07 \x00\x08 l",
        "1.1.2": f"[bold]m[/bold] [/x] %s %(x)s {{x}} ${{x}} ;touch {marker}-8; " + "n" * 5000,
    }


# What `show 1.` offers on the hostile plan, in the plan's order: each topic, its objectives, its
# indicators and its activities (not 1.1.3 nor 1.3-b, whose ids are code).
SHOWN_IDS = ["1.1", "1.1/1", "1.1.1", "1.1.2", "1.2", "1.2/1", "1.2.1"]
SHOWN_IDS += ["1.3", "1.3/1", "1.3-a", "1.3.1", "1.3.2", "1.3.3"]


def hostile_results(marker: str) -> dict[str, str]:
    """Texts of topic 1.3, its objective 1.3/1 and indicator 1.3-a (`show` completes them)."""
    return {
        "1.3": f"o $(touch {marker}-11) `touch {marker}-12` p: q",
        "1.3/1": f"r \\$(touch {marker}-13) [red]s[/red] \x1b[31mt",
        "1.3-a": f'u " $(touch {marker}-14) " v data(e.wpmark.)',
    }


def make_hostile(repo: Path, marker: str) -> None:
    """Writes the hostile titles into the repository's 2024 plan, hostile texts of topic 1.3,
    its objective and an indicator, and ids that are code."""
    path = repo / "data" / "workplan-2024.yaml"
    text = path.read_text(encoding="utf-8")
    for aid, title in hostile_titles(marker).items():
        match = re.search(rf'- id: "{re.escape(aid)}"\n\s+title: (.*)\n', text)
        assert match, aid
        text = text[: match.start(1)] + json.dumps(title) + text[match.end(1) :]
    hostile_id = f'- id: "1.1.3$(touch {marker}-9)"'
    text = text.replace('- id: "1.1.3"', hostile_id.replace('"', "'"), 1)
    results = hostile_results(marker)
    topic = '      - id: "1.3"\n        title: Cybersecurity\n        objectives:\n'
    objective = (
        "          - >-\n"
        "            Both countries learn from each other to ensure a safe and secure cyberspace.\n"
    )
    assert text.count(topic + objective) == 1
    indicators = (
        "        indicators:\n"
        f'          - id: "1.3-a"\n            text: {json.dumps(results["1.3-a"])}\n'
        f"          - id: '1.3-b$(touch {marker}-15)'\n            text: w\n"
    )
    text = text.replace(
        topic + objective,
        f'      - id: "1.3"\n        title: {json.dumps(results["1.3"])}\n        objectives:\n'
        f"          - {json.dumps(results['1.3/1'])}\n{indicators}",
    )
    path.write_text(text, encoding="utf-8")


@pytest.fixture
def hostile(repo, tmp_path):
    """The repository with hostile titles, `workplan` on PATH, and the marker's prefix."""
    marker = repo / "ran"  # the titles touch ran-N in the current folder, the repository
    make_hostile(repo, marker.name)
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    launcher = bin_dir / "workplan"
    launcher.write_text(f'#!/bin/sh\nexec {sys.executable} -m workplan_cli "$@"\n')
    launcher.chmod(0o755)
    wpmark = bin_dir / "wpmark"  # what the glob qualifiers in a title would run
    wpmark.write_text(f"#!/bin/sh\ntouch {marker.name}-10\n")
    wpmark.chmod(0o755)
    home = tmp_path / "home"
    home.mkdir()
    env = {
        **os.environ,
        "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}",
        "HOME": str(home),
        "XDG_CONFIG_HOME": str(home / ".config"),
        "XDG_DATA_HOME": str(home / ".local" / "share"),
        "LC_ALL": "C.UTF-8",
        "TERM": "xterm",
    }
    return repo, marker, env


def typer_script(shell: str, env: dict, cwd: Path) -> str:
    """Returns the script that `workplan --show-completion` prints in SHELL (typer's own; typer
    finds the shell from the parent processes, as for a user)."""
    done = subprocess.run(
        [shell, "-c", "workplan --show-completion; exit $status"],  # `; ...`: no exec, a child
        env=env,
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=True,
    )
    return done.stdout


def needs(shell: str) -> None:
    if shutil.which(shell) is None:
        pytest.skip(f"{shell} is not installed (CI installs it)")


def no_marker(marker: Path) -> None:
    ran = sorted(p.name for p in marker.parent.glob(marker.name + "*"))
    assert ran == [], f"completion ran plan text: {ran}"


def zsh_screen(script: str, line: str, last: str, hostile) -> str:
    repo, marker, env = hostile
    path = marker.parent.parent / "completion.zsh"
    path.write_text(script)
    driver = marker.parent.parent / "driver.zsh"
    driver.write_text(ZSH_DRIVER)
    done = subprocess.run(
        ["zsh", "-f", str(driver), str(path), line, last],
        env=env,
        cwd=repo,
        capture_output=True,
        timeout=TIMEOUT,
        check=False,
    )
    return done.stdout.decode("utf-8", "replace")


def shown(title: str) -> str:
    """Returns what a shell shows for `title`: cli/complete.py's plain description."""
    return plain_description(title)


@pytest.mark.slow
def test_zsh_shows_hostile_titles_as_text(hostile):
    needs("zsh")
    repo, marker, env = hostile
    script = typer_script("zsh", env, repo)
    assert "eval $(env" in script  # typer's script, which evaluates the answer
    titles = hostile_titles(marker.name)
    screen = zsh_screen(script, "workplan show 1.3", "1.3.3", hostile)
    no_marker(marker)
    for aid in ("1.3.1", "1.3.2", "1.3.3"):
        assert f"{aid}  -- {shown(titles[aid])}" in screen, screen
    assert f"1.3.1  -- a touch {marker.name}-1 b touch {marker.name}-2 c" in screen
    assert f"1.3.3  -- g touch {marker.name}-5 touch {marker.name}-6 h i j" in screen
    for ident, text in hostile_results(marker.name).items():  # show's topic, objective, indicator
        assert re.search(rf"{re.escape(ident)} +-- {re.escape(shown(text))}\x1b", screen), screen
    assert f"1.3/1  -- r touch {marker.name}-13 red s /red t" in screen
    assert "1.3-b" not in screen
    screen = zsh_screen(script, "workplan show 1.", "1.3.3", hostile)
    no_marker(marker)
    assert f"1.2.1  -- k touch {marker.name}-7 red l" in screen, screen
    assert "\x1b]0;" not in screen
    assert "1.1.1  -- Grüße ăŞ東京 a last backslash\x1b[K" in screen, screen
    assert "1.1.3" not in screen  # an id that is not a plain id is not offered
    assert "n" * (DESCRIPTION_MAX + 1) not in screen


@pytest.mark.slow
def test_bash_offers_ids_and_runs_nothing(hostile):
    needs("bash")
    repo, marker, env = hostile
    script = marker.parent.parent / "completion.bash"
    script.write_text(typer_script("bash", env, repo))
    reply = {}
    for line, words in (("show 1.", ["workplan", "show", "1."]), ("set", ["workplan", "set"])):
        done = subprocess.run(
            [
                "bash",
                "--norc",
                "--noprofile",
                "-c",
                'source "$0"; COMP_WORDS=("${@}"); COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 )); '
                '_workplan_completion workplan "${COMP_WORDS[-1]}" "${COMP_WORDS[-2]}"; '
                'printf "%s\\n" "${COMPREPLY[@]}"',
                str(script),
                *words,
            ],
            env=env,
            cwd=repo,
            capture_output=True,
            text=True,
            timeout=TIMEOUT,
            check=False,
        )
        reply[line] = done.stdout.split()
    no_marker(marker)
    assert reply["show 1."] == SHOWN_IDS
    assert reply["set"] == ["set-status"]


@pytest.mark.slow
def test_fish_shows_hostile_titles_as_text(hostile):
    needs("fish")
    repo, marker, env = hostile
    script = marker.parent.parent / "completion.fish"
    script.write_text(typer_script("fish", env, repo))
    done = subprocess.run(
        ["fish", "--no-config", "-c", 'source $argv[1]; complete -C "workplan show 1."', script],
        env=env,
        cwd=repo,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=False,
    )
    no_marker(marker)
    lines = done.stdout.splitlines()
    ids = [line.split("\t")[0] for line in lines]
    assert sorted(ids) == sorted(SHOWN_IDS), lines
    titles = hostile_titles(marker.name)
    got = dict(line.split("\t", 1) for line in lines)
    texts = {**hostile_results(marker.name), **titles}
    assert {i: got[i] for i in texts if i in got} == {
        i: shown(t) for i, t in texts.items() if i in SHOWN_IDS
    }
    assert got["1.3"] == f"o touch {marker.name}-11 touch {marker.name}-12 p q"
    assert got["1.3/1"] == f"r touch {marker.name}-13 red s /red t"
    assert got["1.3-a"] == f"u touch {marker.name}-14 v data e.wpmark."
    assert got["1.3.1"] == f"a touch {marker.name}-1 b touch {marker.name}-2 c"
    assert (
        got["1.3.2"]
        == f"d touch {marker.name}-3 e touch {marker.name}-4 f data +wpmark data e.wpmark."
    )
    assert got["1.2.1"] == f"k touch {marker.name}-7 red l"
    assert got["1.1.1"] == "Grüße ăŞ東京 a last backslash"
    assert len(got["1.1.2"]) == DESCRIPTION_MAX


@pytest.mark.slow
def test_set_status_completes_ids_and_statuses(hostile):
    needs("fish")
    repo, marker, env = hostile
    script = marker.parent.parent / "completion.fish"
    script.write_text(typer_script("fish", env, repo))
    done = subprocess.run(
        [
            "fish",
            "--no-config",
            "-c",
            'source $argv[1]; complete -C "workplan set-status 1.3"; '
            'complete -C "workplan set-status 1.3.1 c"',
            script,
        ],
        env=env,
        cwd=repo,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=False,
    )
    ids = [line.split("\t")[0] for line in done.stdout.splitlines()]
    assert ids == ["1.3.1", "1.3.2", "1.3.3", "cancelled", "completed"]


def test_descriptions_hold_only_letters_digits_spaces_and_few_signs():
    assert plain_description("a\nb\r\tc\x00d\x7f\x85e") == "a b c d e"
    assert plain_description("x\x1b[31mred\x1b[0m\x1b]0;t\x07y") == "x red y"
    assert plain_description("\u202eevil\u200b") == "evil"
    long = plain_description("word " * 1000)
    assert len(long) == DESCRIPTION_MAX and long.endswith("...")
    hostile = "$(touch x) `y` 'q' \"r\" a:b \\c [b]d[/b] *?~#!%^{}<>|=@"
    assert plain_description(hostile) == "touch x y q r a b c b d /b"
    kept = "Deutsche Gesellschaft für Int. Zusammenarbeit, GIZ; R&D/ICT, +2 - 3"
    assert plain_description(kept) == kept
    assert plain_description("Agency (GIZ) data(e.x.)") == "Agency GIZ data e.x."
    assert plain_description("Gru\u0308\u00dfe") == "Grüße"  # a combining accent joins its letter
    every = "".join(map(chr, range(0x110000)))  # nothing else passes, in any script
    out = "".join(plain_description(every[i : i + 80]) for i in range(0, len(every), 80))
    assert {c for c in out if not c.isalnum()} == set(" .,;/&+-")
    assert {c for c in out if c.isascii() and c.isalnum()} == set(
        string.ascii_letters + string.digits
    )


def test_only_plain_ids_are_offered():
    assert plain_value("1.3.2") == "1.3.2"
    assert plain_value("2024-rev2") == "2024-rev2"
    assert plain_value("1.3/2") == "1.3/2"  # an objective
    for bad in ("1.3$(x)", "a b", "-x", "*", "1.3\n", "", "'a'", "1" * 65):
        assert plain_value(bad) is None
    for bad in ("1.3/", "/2", "1.3/0", "1.3/2/1", "1.3/../x", "1.3/x", "1.3//2"):
        assert plain_value(bad) is None
