"""The one module that touches ruamel.yaml: parsing, and finding where a value stands."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.constructor import SafeConstructor
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.nodes import MappingNode, Node, SequenceNode
from ruamel.yaml.reader import ReaderError

from workplan_cli.errors import WorkplanError

MAX_DEPTH = 64  # a plan is about ten levels deep; far deeper is an accident or an attack


class YamlSyntaxError(WorkplanError):
    """Text that is not the YAML a plan file may hold; line and column are 1-based."""

    def __init__(self, message: str, line: int | None = None, column: int | None = None):
        self.message, self.line, self.column = message, line, column
        super().__init__(message)


class _Constructor(SafeConstructor):
    """Safe constructor that leaves dates as text, so the models check them with a place."""


_Constructor.add_constructor("tag:yaml.org,2002:timestamp", SafeConstructor.construct_yaml_str)


def _safe_yaml() -> YAML:
    yaml = YAML(typ="safe", pure=False)  # the C parser when ruamel.yaml.clib is installed
    yaml.Constructor = _Constructor
    return yaml


def parse(text: str) -> Any:
    """Returns the plain data (dicts, lists, scalars) of one YAML document.

    Raises YamlSyntaxError for bad syntax, duplicate keys, tags, aliases and deep nesting.
    """
    try:
        data = _safe_yaml().load(text)
    except MarkedYAMLError as e:
        raise _syntax_error(e) from None
    except ReaderError as e:
        line, column = _place(text, e.position)
        raise YamlSyntaxError(
            f"character U+{e.character:04X} is not allowed in YAML ({e.reason})", line, column
        ) from None
    except YAMLError as e:  # several documents in one file, and the like
        raise YamlSyntaxError(str(e).strip().splitlines()[0]) from None
    except RecursionError:
        raise YamlSyntaxError(f"nesting is too deep (more than {MAX_DEPTH} levels)") from None
    _check_shape(data, text)
    return data


def _syntax_error(e: MarkedYAMLError) -> YamlSyntaxError:
    mark = e.problem_mark or e.context_mark
    problem = (e.problem or e.context or "not valid YAML").strip()
    if problem.startswith("could not determine a constructor for the tag"):
        problem = "tags such as " + problem.rsplit(" ", 1)[-1] + " are not allowed"
    if e.context and e.problem and "duplicate key" not in problem:
        problem = f"{problem} ({e.context.strip()})"
    if mark is None:
        return YamlSyntaxError(problem)
    return YamlSyntaxError(problem, mark.line + 1, mark.column + 1)


def _place(text: str, index: int) -> tuple[int, int]:
    """Returns the 1-based line and column of a character index."""
    line_start = text.rfind("\n", 0, index) + 1
    return text.count("\n", 0, index) + 1, index - line_start + 1


def _check_shape(data: Any, text: str) -> None:
    """Refuses containers used twice (aliases: a "billion laughs" hides there), keys that are
    not text, and deep nesting."""
    seen: set[int] = set()
    stack: list[tuple[Any, tuple]] = [(data, ())]
    while stack:
        value, path = stack.pop()
        if not isinstance(value, (dict, list)):
            continue
        if id(value) in seen:
            line, column = _first_alias(text)
            raise YamlSyntaxError("anchors and aliases are not allowed in plan files", line, column)
        seen.add(id(value))
        if len(path) > MAX_DEPTH:
            raise YamlSyntaxError(f"nesting is too deep (more than {MAX_DEPTH} levels)")
        if isinstance(value, list):
            stack.extend((child, (*path, i)) for i, child in enumerate(value))
            continue
        for key, child in value.items():
            if not isinstance(key, str):
                place = Locator(text).find(path)
                line, column = place or (None, None)
                raise YamlSyntaxError(f"keys must be text, found {key!r}", line, column)
            stack.append((child, (*path, key)))


def _first_alias(text: str) -> tuple[int | None, int | None]:
    from ruamel.yaml.events import AliasEvent

    for event in YAML(typ="safe", pure=True).parse(text):
        if isinstance(event, AliasEvent):
            return event.start_mark.line + 1, event.start_mark.column + 1
    return None, None


class Locator:
    """Finds the line and column of a path of keys and indexes in one document."""

    def __init__(self, text: str):
        try:
            self._root: Node | None = YAML().compose(text)
        except (YAMLError, RecursionError):
            self._root = None

    def find(self, loc: Sequence[str | int], at_key: bool = False) -> tuple[int, int] | None:
        """Returns the 1-based (line, column) of the value at `loc`, or of its key.

        A path that runs past the document (a missing key) gives the deepest node it reached.
        """
        node = self._root
        if node is None:
            return None
        key_node = None
        for part in loc:
            child = _child(node, part)
            if child is None:
                break
            key_node, node = child
        target = key_node if at_key and key_node is not None else node
        return target.start_mark.line + 1, target.start_mark.column + 1


def _child(node: Node, part: str | int) -> tuple[Node | None, Node] | None:
    if isinstance(node, MappingNode):
        for key, value in node.value:
            if key.value == str(part):
                return key, value
    elif isinstance(node, SequenceNode) and isinstance(part, int) and 0 <= part < len(node.value):
        return None, node.value[part]
    return None


def find_all(text: str, locs: Iterable[tuple[Sequence[str | int], bool]]) -> list:
    """Returns the places of several paths, composing the document once."""
    locator = Locator(text)
    return [locator.find(loc, at_key) for loc, at_key in locs]


# --- Node marks for text splices (workplan revise) ----------------------------------------------


def node_marks(text: str, locs: Iterable[Sequence[str | int]]) -> list[tuple[int | None, int, int]]:
    """Returns (key start, value start, value end) character indexes for each path.

    The key start is None for a list item. A path that the document does not hold raises
    KeyError. A block value's end may run past its last line into the blank lines and comments
    that follow it; callers trim to the last line of content.
    """
    root = YAML().compose(text)
    out = []
    for loc in locs:
        node, key = root, None
        for part in loc:
            child = _child(node, part) if node is not None else None
            if child is None:
                raise KeyError(loc)
            key, node = child
        out.append(
            (
                key.start_mark.index if key is not None else None,
                node.start_mark.index,
                node.end_mark.index,
            )
        )
    return out
