"""`workplan codeowners` (edit/codeowners.py): the block from the parties' reviewer handles."""

from __future__ import annotations

import pytest

PEOPLE_WITH_REVIEWERS = (
    ("short_name: MICDE\n", "short_name: MICDE\n    reviewers: ['@ke-micde/digital-policy']\n"),
    (
        "short_name: BMDV\n",
        "short_name: BMDV\n    reviewers: ['@bmdv-user', '@de-bmdv/dialogue']\n",
    ),
)


def _reviewers(repo, pairs=PEOPLE_WITH_REVIEWERS) -> None:
    path = repo / "data" / "stakeholders.yaml"
    text = path.read_text(encoding="utf-8")
    for old, new in pairs:
        assert old in text
        text = text.replace(old, new, 1)
    path.write_text(text, encoding="utf-8")


def test_the_block_names_every_party_reviewer(git_repo, cli):
    _reviewers(git_repo)
    out = cli("codeowners").stdout
    owners = "@ke-micde/digital-policy @bmdv-user @de-bmdv/dialogue"
    assert f"/data/workplan-*.yaml {owners}\n" in out
    assert f"/data/stakeholders.yaml {owners}\n" in out
    assert out.startswith("# BEGIN workplan codeowners\n") and out.endswith(
        "# END workplan codeowners\n"
    )


def test_write_keeps_the_other_lines_and_replaces_its_block(git_repo, cli):
    _reviewers(git_repo)
    target = git_repo / ".github" / "CODEOWNERS"
    target.parent.mkdir()
    target.write_text("* @someone\n")
    cli("codeowners", "--write")
    first = target.read_text()
    assert first.startswith("* @someone\n\n# BEGIN workplan codeowners\n")
    _reviewers(git_repo, [("'@bmdv-user', ", "")])
    cli("codeowners", "--write")
    second = target.read_text()
    assert second.count("# BEGIN workplan") == 1 and "@bmdv-user" not in second
    assert second.startswith("* @someone\n")


def test_a_party_without_reviewers_is_warned_about_and_none_at_all_is_an_error(git_repo, cli):
    out = cli("codeowners", code=1)
    assert "no party of the plan has reviewers" in out.stderr
    _reviewers(git_repo, PEOPLE_WITH_REVIEWERS[:1])
    out = cli("codeowners")
    assert "Warning: bmdv has no reviewers in stakeholders.yaml" in out.stderr
    assert "/data/workplan-*.yaml @ke-micde/digital-policy\n" in out.stdout


@pytest.mark.parametrize(
    "handle",
    ["@a b", "@a\n* @evil", "@", "org/team", "@a/b/c", "@-x", "@a;rm", "@a/ b", "x@example.org"],
)
def test_hostile_handles_are_refused_with_their_place(git_repo, cli, handle):
    path = git_repo / "data" / "stakeholders.yaml"
    text = path.read_text(encoding="utf-8")
    quoted = '"' + handle.replace("\n", "\\n") + '"'
    path.write_text(
        text.replace("short_name: MICDE\n", f"short_name: MICDE\n    reviewers: [{quoted}]\n", 1)
    )
    out = cli("codeowners", code=1)
    assert "data/stakeholders.yaml:" in out.stderr and "reviewers[0]" in out.stderr
    assert "is not a forge handle" in out.stderr
    assert "@evil" not in out.stdout


def test_a_repository_without_git_uses_the_plan_folder(repo, cli):
    _reviewers(repo)
    assert "/data/workplan-*.yaml @ke-micde" in cli("codeowners").stdout


def test_the_shipped_data_invents_no_handles():
    from tests.conftest import DATA

    assert "reviewers" not in (DATA / "stakeholders.yaml").read_text()


def test_merged_refuses_a_file_with_one_marker_and_adds_to_an_empty_one():
    from workplan_cli.edit import codeowners
    from workplan_cli.errors import WorkplanError

    block = f"{codeowners.BEGIN}\n/data/x @a\n{codeowners.END}\n"
    assert codeowners.merged(None, block) == block
    assert codeowners.merged("* @b", block) == "* @b\n\n" + block
    with pytest.raises(WorkplanError, match="only one of workplan's two marker lines"):
        codeowners.merged(f"{codeowners.BEGIN}\n* @b\n", block)


def test_merged_keeps_crlf_line_ends_and_replaces_its_block_in_them():
    from workplan_cli.edit import codeowners

    block = f"{codeowners.BEGIN}\n/data/x @a\n{codeowners.END}\n"
    first = codeowners.merged("* @b\r\n", block)
    assert first == "* @b\r\n\r\n" + block.replace("\n", "\r\n")
    again = codeowners.merged(first + "/docs @c\r\n", block.replace("@a", "@d"))
    assert (
        again == "* @b\r\n\r\n" + block.replace("@a", "@d").replace("\n", "\r\n") + "/docs @c\r\n"
    )


def test_the_core_makes_the_block_and_writes_the_file_with_its_folder(repo):
    from workplan_cli.edit import codeowners
    from workplan_cli.plan.store import find_repo

    _reviewers(repo)
    made = codeowners.owners(find_repo(repo))
    assert made.path == repo / ".github" / "CODEOWNERS" and made.missing == []
    assert codeowners.save(made) == made.path
    assert made.path.read_text() == made.text


def test_a_codeowners_file_that_is_not_utf8_or_a_github_file_is_refused(git_repo, cli):
    _reviewers(git_repo)
    github = git_repo / ".github"
    github.write_bytes(b"not a folder\n")
    out = cli("codeowners", "--write", code=1)
    assert (
        out.stderr == "Error: cannot make the folder .github (File exists); nothing was written\n"
    )
    github.unlink()
    github.mkdir()
    (github / "CODEOWNERS").write_bytes(b"* @caf\xe9\n")
    out = cli("codeowners", "--write", code=1)
    assert out.stderr == "Error: .github/CODEOWNERS is not UTF-8 (byte 6); nothing was written\n"
    assert (github / "CODEOWNERS").read_bytes() == b"* @caf\xe9\n"


@pytest.mark.parametrize("folder", ["my data", "data#x", "data*", "-data", "plans/dätä"])
def test_a_data_folder_codeowners_cannot_name_as_it_is_is_refused(repo, folder):
    from workplan_cli.edit import codeowners
    from workplan_cli.errors import WorkplanError
    from workplan_cli.plan.store import find_repo

    _reviewers(repo)
    store = find_repo(repo)
    plan, people = store.load_plan(None), store.load_stakeholders()
    assert codeowners.block(plan, people, "plans/data")[0].count("\n/plans/data/") == 2
    with pytest.raises(WorkplanError, match="write the block by hand"):
        codeowners.block(plan, people, folder)
