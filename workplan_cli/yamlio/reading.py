"""Reading YAML: plain data from libyaml's composed nodes, limits, and where a value stands."""

from __future__ import annotations

import io
import itertools
import re
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.constructor import SafeConstructor
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from ruamel.yaml.reader import ReaderError
from ruamel.yaml.resolver import VersionedResolver, implicit_resolvers
from ruamel.yaml.tag import Tag

from workplan_cli import fast
from workplan_cli.errors import WorkplanError

MAX_DEPTH = 64  # a plan is about ten levels deep; far deeper is an accident or an attack
MAX_TEXT = 100_000  # characters of one value; the longest text of a plan has about 1,500
MAX_KEYS = 200  # in one mapping; the models' largest has 14 (unknown keys cost an error each)
MAX_NODES = 300_000  # a plan of 10,000 activities (7 MB) holds 250,000 values; 2025 holds 1,500
MAX_NUMBER = 100  # characters of a number: Python refuses to print an int of 4,300 digits


class YamlSyntaxError(WorkplanError):
    """Text that is not the YAML a plan file may hold; line and column are 1-based."""

    def __init__(self, message: str, line: int | None = None, column: int | None = None):
        self.message, self.line, self.column = message, line, column
        super().__init__(message)


# Numbers as the YAML 1.2 core schema writes them. ruamel's own rules also read `2_024` as
# 2024, `0b101` as 5 and `=` as a "value" tag, and `-_` or `._` crashed its constructor.
_CORE_NUMBERS = [
    ("tag:yaml.org,2002:int", r"[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+"),
    (
        "tag:yaml.org,2002:float",
        r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
        r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)",
    ),
]
_NOT_CORE = {"tag:yaml.org,2002:int", "tag:yaml.org,2002:float", "tag:yaml.org,2002:value"}


def _rules() -> list[tuple[Tag, Any, Any]]:
    """Returns YAML 1.2's implicit tag rules: (tag, pattern, the first characters it admits)."""
    rules: list[tuple[Tag, Any, Any]] = [  # an int before a float: "12" matches both
        (Tag(suffix=tag), re.compile(f"(?:{pattern})\\Z"), "-+.0123456789")
        for tag, pattern in _CORE_NUMBERS
    ]
    for versions, tag, regexp, firsts in implicit_resolvers:
        if (1, 2) in versions and tag not in _NOT_CORE and not tag.endswith(":yaml"):
            rules.append((Tag(suffix=tag), regexp, firsts))
    return rules


_RULES = _rules()


class _Resolver(VersionedResolver):
    """YAML 1.2 tag resolution by our own rules (fast.ScalarTags). Plan files are YAML 1.2
    whatever directive they carry.

    ruamel's own resolver took two thirds of the time of composing a large plan (see fast.py);
    a resolver is the one seam its loader offers, so this subclass overrides its `resolve`, and
    pyproject.toml bounds ruamel.yaml's version (tests/test_fast.py fails when the reason goes).
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._tag = fast.ScalarTags(_RULES, self.DEFAULT_SCALAR_TAG).tag

    def resolve(self, kind: Any, value: Any, implicit: Any) -> Any:
        if kind is not ScalarNode:
            return super().resolve(kind, value, implicit)
        if not implicit[0]:
            return self.DEFAULT_SCALAR_TAG  # quoted: text
        return self._tag(value)


def _safe_yaml(pure: bool = False) -> YAML:
    yaml = YAML(typ="safe", pure=pure)  # the C parser when ruamel.yaml.clib is installed
    yaml.Resolver = _Resolver
    return yaml


def parse(text: str) -> Any:
    """Returns the plain data (dicts, lists, scalars) of one YAML document.

    Raises YamlSyntaxError for bad syntax, duplicate keys, tags, aliases, keys that are not
    text and deep nesting. Dates stay text: the models check them, with a place.
    """
    _check_density(text)  # see "Hostile input" at the end of this module
    yaml = _safe_yaml()
    root = _compose(text, yaml)
    data = None if root is None else _construct(root, text, yaml.constructor)
    _check_anchors(text)
    _check_unicode(data, text)
    return data


def _input(text: str) -> io.BytesIO:
    """Returns the text as a stream for ruamel, to be closed once read (`with`).

    ruamel's loader keeps its input until Python's cycle collector frees it (the loader refers
    to itself), and a command runs with that collector off (cli.main): a dry run of set-status
    on a 16 MB plan kept three copies of it, a peak of 240 MB (192 MB with the collector on);
    a closed stream lets them go at once (160 MB). libyaml reads the same UTF-8 either way: the
    nodes, marks and errors are the same (20,000 generated texts and the hostile corpus agreed).
    """
    return io.BytesIO(text.encode("utf-8"))


def _compose(text: str, yaml: YAML | None = None) -> Node | None:
    """Returns the node tree of one document (None when empty), composed by libyaml in C.

    Its marks index into `text` and its scalars keep their style ('' for plain).
    """
    _check_flow_depth(text)
    _check_block_depth(text)
    hidden, shown = _hide_yaml11_breaks(text)
    try:
        with _input(hidden) as stream:
            root = (yaml or _safe_yaml()).compose(stream)
        if shown and root is not None:
            _show_yaml11_breaks(root, shown)
        return root
    except MarkedYAMLError as e:
        raise _syntax_error(e, text) from None
    except ReaderError as e:
        line, column = _place(text, e.position)
        raise YamlSyntaxError(
            f"character U+{e.character:04X} is not allowed in YAML ({e.reason})", line, column
        ) from None
    except YAMLError as e:  # several documents in one file, and the like
        raise YamlSyntaxError(str(e).strip().splitlines()[0]) from None
    except RecursionError:
        raise YamlSyntaxError(f"nesting is too deep (more than {MAX_DEPTH} levels)") from None
    except (
        ValueError,
        TypeError,
    ) as e:  # slips of the pure-Python parser, e.g. chr() of "\U00110000"
        raise YamlSyntaxError(f"cannot be read as YAML ({e})") from None


# Flow collections nest by recursion in libyaml's C composer, which crashes the whole process
# (a segmentation fault) somewhere past 10,000 levels, so brackets are counted before parsing.
# Every bracket counts, even in quoted text (skipping quotes would let a stray quote hide a
# deep nesting); a plan's text holds far fewer unmatched brackets than this. Block nesting
# costs indentation, so the size limit bounds it below the crash.
MAX_BRACKETS = 1000
_BRACKET = re.compile(r"[\[\]{}]")
_NOT_BRACKETS = bytes(b for b in range(256) if b not in b"[]{}")
_OPENERS = frozenset(b"[{")


def _check_flow_depth(text: str) -> None:
    # The brackets alone, cut out in C (UTF-8 keeps ASCII bytes apart from every other
    # character): looping over the matches of _BRACKET in 7 MB took 70 ms.
    brackets = text.encode("utf-8", "surrogatepass").translate(None, _NOT_BRACKETS)
    depth = 0
    for i, byte in enumerate(brackets):
        if byte in _OPENERS:
            depth += 1
            if depth > MAX_BRACKETS:
                token = next(itertools.islice(_BRACKET.finditer(text), i, None))  # the i-th
                line, column = _place(text, token.start())
                raise YamlSyntaxError(
                    f"nesting is too deep (more than {MAX_BRACKETS} open brackets)", line, column
                )
        elif depth:
            depth -= 1


# Block collections nest by recursion in the same composer. libyaml opens one only at a column
# greater than the enclosing one's (a list under a key may share the key's column), and only
# where a line's indentation ends or after a chain of `- `, `? ` and `: ` on one line; so twice
# the number of different such columns in a file bounds its block nesting, whatever the lines
# mean (lines inside quotes or block scalars only add columns). `- - - x` on one line, `? ? x`
# or 50,000 lines each indented one more crashed the process or passed as deep data.
MAX_COLUMNS = 100  # a plan's lines start values at about 15 columns
_BREAKS = "\r\n"  # libyaml's others (U+0085, U+2028, U+2029) are hidden from it, see below
# Possessive (`*+`): the plain `*` took 8 s and 900 MB on one line of 5,000,000 `? `.
_LINE_PREFIX = re.compile(r" *(?:[-?:][ \t]+)*+")
_PREFIXES = re.compile(f"(?:\r\n|[{_BREAKS}])({_LINE_PREFIX.pattern})")
_CHAIN = re.compile(r"[-?:][ \t]+")


def _check_block_depth(text: str) -> None:
    # Columns are at most as far right as a line's prefix is long: without a prefix of
    # MAX_COLUMNS characters there cannot be more columns (a quick search, 15 ms for 4 MB).
    run = f"[ \t?:-]{{{MAX_COLUMNS}}}"
    if not re.match(run, text) and not any(
        re.search(re.escape(c) + run, text) for c in _BREAKS if c in text
    ):
        return
    # The MAX_COLUMNS + 1 leftmost columns (once there are that many), and the rightmost of them.
    columns: set[int] = set()
    past = None
    first_line = _LINE_PREFIX.match(text)  # always matches: every part of it is optional
    first_prefix = first_line.group() if first_line else ""
    for prefix in {first_prefix, *_PREFIXES.findall(text)}:
        for column in _columns(prefix):  # left to right
            if past is not None and column >= past:
                break
            columns.add(column)
            if len(columns) > MAX_COLUMNS:
                columns = set(sorted(columns)[: MAX_COLUMNS + 1])
                past = max(columns)
    if past is None:
        return
    # The place: the first line that reaches as far right as the column past the limit (found
    # without a loop over lines, which may be millions).
    found = re.search(f"(?:\\A|(?<=[{_BREAKS}]))[ \t?:-]{{{past}}}", text)
    line, col = _place(text, found.end() if found else 0)
    raise YamlSyntaxError(
        f"nesting is too deep (values start at more than {MAX_COLUMNS} different columns, "
        "counting indentation and chains of '- ', '? ', ': ')",
        line,
        col,
    )


def _columns(prefix: str) -> Iterator[int]:
    """Yields the columns where a line's nodes may start, left to right: its indentation, and
    after each indicator that follows it."""
    indent = len(prefix) - len(prefix.lstrip(" "))
    yield indent
    for m in _CHAIN.finditer(prefix, indent):
        yield m.end()


# In YAML 1.2, U+0085, U+2028 and U+2029 are ordinary characters; libyaml (YAML 1.1) takes
# them for line breaks, which broke plain titles, turned U+0085 in quotes into a space and
# shifted every line number after them. Each is swapped for a private-use character that the
# text does not hold (same length: marks stay right), and swapped back in the composed values.
_YAML11_BREAKS = "\x85\u2028\u2029"


def _hide_yaml11_breaks(text: str) -> tuple[str, dict[int, str]]:
    if not any(c in text for c in _YAML11_BREAKS):
        return text, {}
    present = set(text)
    free = (
        chr(c)
        for c in itertools.chain(range(0xE000, 0xF900), range(0xF0000, 0x10FFFE))
        if chr(c) not in present
    )
    shown: dict[int, str] = {}
    for char, stand_in in zip(_YAML11_BREAKS, free, strict=False):
        text = text.replace(char, stand_in)
        shown[ord(stand_in)] = char
    if len(shown) < len(_YAML11_BREAKS):  # it holds every private-use character
        raise YamlSyntaxError("U+0085, U+2028 or U+2029 cannot be read in this file")
    return text, shown


def _show_yaml11_breaks(root: Node, shown: dict[int, str]) -> None:
    stack = [root]
    while stack:
        node = stack.pop()
        if isinstance(node, ScalarNode):
            node.value = node.value.translate(shown)
        elif isinstance(node, SequenceNode):
            stack.extend(node.value)
        elif isinstance(node, MappingNode):
            stack.extend(itertools.chain.from_iterable(node.value))


def _libyaml_text(text: str) -> str:
    return _hide_yaml11_breaks(text)[0]


_STR = "tag:yaml.org,2002:str"
_NULL = "tag:yaml.org,2002:null"
_TEXT_TAGS = {_STR, "tag:yaml.org,2002:timestamp"}  # dates stay text
_NUMBER_TAGS = {"tag:yaml.org,2002:int", "tag:yaml.org,2002:float", "tag:yaml.org,2002:bool"}
_MERGE = "tag:yaml.org,2002:merge"
_SEQ = "tag:yaml.org,2002:seq"
_MAP = "tag:yaml.org,2002:map"


def _tag(node: Node) -> str:
    tag = node.ctag
    return tag.suffix if tag.handle is None else str(tag)


def _construct(root: Node, text: str, numbers: SafeConstructor) -> Any:
    """Returns the data of a composed document, built without recursion.

    Only the core schema's plain data is allowed: no tags, aliases, merge keys or keys that are
    not text. Numbers and booleans are built by ruamel's `numbers` constructor.
    """
    seen: set[int] = set()
    result: list[Any] = []
    # Each task fills one slot: (node, depth, container, key); the root fills result[0].
    stack: list[tuple[Node, int, Any, Any]] = [(root, 0, result, None)]
    while stack:
        node, depth, into, key = stack.pop()
        if id(node) in seen:
            line, column = _first_alias(text)
            raise YamlSyntaxError("anchors and aliases are not allowed in plan files", line, column)
        seen.add(id(node))
        if len(seen) > MAX_NODES:
            raise _error_at(node, _TOO_MANY)
        if depth > MAX_DEPTH:
            raise _error_at(node, f"nesting is too deep (more than {MAX_DEPTH} levels)")
        tag = _tag(node)
        if isinstance(node, ScalarNode):
            if len(node.value) > MAX_TEXT:
                raise _error_at(node, _TOO_LONG)
            if tag in _TEXT_TAGS:
                value = node.value
            elif tag == _NULL:
                value = None
            elif tag in _NUMBER_TAGS:
                if len(node.value) > MAX_NUMBER:
                    raise _error_at(node, _too_long_number(node.value))
                value = numbers.construct_object(node)
            elif tag == _MERGE:
                value = node.value  # `<<` as a value is text; as a key, see _key
            else:
                raise _error_at(node, f"tags such as {tag!r} are not allowed")
        elif isinstance(node, SequenceNode) and tag == _SEQ:
            value = [None] * len(node.value)
            stack.extend((child, depth + 1, value, i) for i, child in enumerate(node.value))
        elif isinstance(node, MappingNode) and tag == _MAP:
            if len(node.value) > MAX_KEYS:
                raise _error_at(node, _TOO_MANY_KEYS)
            value = {}
            for key_node, child in node.value:
                name = _key(key_node)
                if name in value:
                    raise _duplicate(key_node, child, node, name)
                value[name] = None
                stack.append((child, depth + 1, value, name))
        else:
            raise _error_at(node, f"tags such as {tag!r} are not allowed")
        if into is result:
            result.append(value)
        else:
            into[key] = value
    return result[0]


def _key(node: Node) -> str:
    if isinstance(node, ScalarNode) and _tag(node) == _STR:
        return node.value
    if isinstance(node, ScalarNode) and _tag(node) == "tag:yaml.org,2002:merge":
        raise _error_at(node, "merge keys (<<) are not allowed in plan files")
    if isinstance(node, ScalarNode) and len(node.value) > MAX_NUMBER:
        raise _error_at(node, f"keys must be text, found {_too_long_number(node.value)}")
    if isinstance(node, ScalarNode):
        raise _error_at(node, f"keys must be text, found {node.value}")
    raise _error_at(node, f"keys must be text, found a {_kinds[type(node)]}")


_kinds: dict[type[Node], str] = {MappingNode: "mapping", SequenceNode: "list"}


def _too_long_number(value: str) -> str:
    return f"a number of {len(value):,} characters ({value[:20]}...); quote it if it is text"


def _duplicate(key: Node, value: Node, mapping: Node, name: str) -> YamlSyntaxError:
    first = next(v for k, v in mapping.value if isinstance(k, ScalarNode) and k.value == name)
    message = f'found duplicate key "{name}"'
    if isinstance(value, ScalarNode) and isinstance(first, ScalarNode):
        message += f' with value "{value.value}" (original value: "{first.value}")'
    return _error_at(key, message)


def _error_at(node: Node, message: str) -> YamlSyntaxError:
    return YamlSyntaxError(message, node.start_mark.line + 1, node.start_mark.column + 1)


def _syntax_error(e: MarkedYAMLError, text: str | None = None) -> YamlSyntaxError:
    mark = e.problem_mark or e.context_mark
    problem = (e.problem or e.context or "not valid YAML").strip()
    if problem.startswith("found invalid Unicode character escape code") and text and mark:
        return _bad_escape(text, mark.index)
    plain = _plain_words(e, text)
    if plain is not None:
        problem = plain
    elif e.context and e.problem:
        problem = f"{problem} ({e.context.strip()}{_started_at(e)})"
    if mark is None:
        return YamlSyntaxError(problem)
    return YamlSyntaxError(problem, mark.line + 1, mark.column + 1)


def _place(text: str, index: int) -> tuple[int, int]:
    """Returns the 1-based line and column of a character index (lines end as libyaml's do,
    at LF, CRLF or a lone CR)."""
    line_start = max(text.rfind("\n", 0, index), text.rfind("\r", 0, index)) + 1
    breaks = text.count("\n", 0, index) + text.count("\r", 0, index)
    return breaks - text.count("\r\n", 0, index) + 1, index - line_start + 1


def _first_alias(text: str) -> tuple[int | None, int | None]:
    from ruamel.yaml.events import AliasEvent

    with _input(_libyaml_text(text)) as stream:
        for event in _safe_yaml().parse(stream):  # C events: pure Python took minutes
            if isinstance(event, AliasEvent):
                return event.start_mark.line + 1, event.start_mark.column + 1
    return None, None


class Locator:
    """Finds the line and column of a path of keys and indexes in one document."""

    def __init__(self, text: str):
        try:
            self._root: Node | None = _compose(text)
        except YamlSyntaxError:
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


# --- Hostile input: lone anchors, text that is not Unicode, far too many values -------------
# Plan files hold plain data written out in full; a file that cannot be printed or that would
# take minutes to build is refused with its place, before or while it is built.

_TOO_MANY = f"more than {MAX_NODES:,} values in one file; a plan of 10,000 activities holds 250,000"
_TOO_LONG = f"a value of more than {MAX_TEXT:,} characters; a plan's longest text has about 1,500"
_TOO_MANY_KEYS = f"a mapping with more than {MAX_KEYS} keys; no mapping of a plan has more than 20"
_NOT_ALLOWED = "anchors and aliases are not allowed in plan files"
# An anchor is `&name` where a node starts. Text such as "R&D" or "Q & A" does not look like
# one, so the event scan below runs only for files that may really hold one.
_AMPERSAND = re.compile(r"&(?=[^\s\[\]{},])")
# Lone surrogates can only come from escapes (UTF-8 decoding refuses them), so files without
# an escape skip the walk.
_SURROGATE = re.compile("[\ud800-\udfff]")


def _check_anchors(text: str) -> None:
    """Refuses an anchor even when no alias uses it (the C composer does not keep anchors)."""
    if not any(
        m.start() == 0 or text[m.start() - 1] in " \t\r\n[{," for m in _AMPERSAND.finditer(text)
    ):
        return
    from ruamel.yaml.events import AliasEvent

    with _input(_libyaml_text(text)) as stream:
        for event in _safe_yaml().parse(stream):
            if getattr(event, "anchor", None) and not isinstance(event, AliasEvent):
                mark = event.start_mark
                raise YamlSyntaxError(_NOT_ALLOWED, mark.line + 1, mark.column + 1)


def _check_unicode(data: Any, text: str) -> None:
    """Refuses text holding a lone surrogate (from an escape such as "\\ud800"), which no
    output can print; the C parser refuses those escapes itself, the pure one does not."""
    if "\\u" not in text and "\\U" not in text:
        return
    stack: list[tuple[Any, tuple, bool]] = [(data, (), False)]
    while stack:
        value, path, is_key = stack.pop()
        if isinstance(value, str) and _SURROGATE.search(value):
            place = Locator(text).find(path, at_key=is_key)
            line, column = place or (None, None)
            raise YamlSyntaxError(_not_unicode(value), line, column)
        if isinstance(value, dict):
            for key, child in value.items():
                stack += [(key, (*path, key), True), (child, (*path, key), False)]
        elif isinstance(value, list):
            stack += [(child, (*path, i), False) for i, child in enumerate(value)]


_HALF_PAIR = "half of a surrogate pair): write the character itself, or one \\U0001xxxx escape"


def _not_unicode(value: str) -> str:
    shown = repr(value) if len(value) <= 60 else repr(value[:57]) + "..."
    return f"{shown} is not valid Unicode (it holds {_HALF_PAIR}"


def _bad_escape(text: str, index: int) -> YamlSyntaxError:
    """Returns the error for an escape that names no character, quoting it at its place."""
    start = text.rfind("\\", max(0, index - 10), index + 1)  # the mark stands inside the escape
    found = re.match(r"\\(?:u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8})", text[start:]) if start >= 0 else None
    if found is None:
        return YamlSyntaxError("an escape is not valid Unicode", *_place(text, index))
    escape = found.group(0)
    why = (
        f"it names {_HALF_PAIR}"
        if 0xD800 <= int(escape[2:], 16) <= 0xDFFF
        else "no such character)"
    )
    return YamlSyntaxError(f"{escape} is not valid Unicode ({why}", *_place(text, start))


# libyaml's words for the usual slips of a plan editor, said in the editor's terms: (message,
# what began earlier). {start} becomes " (the list starts at line L, column C)" when the list,
# mapping, key or text began on another line than the one the problem is found on.
_BAD_INDENT = "a tab character is used for indentation: indent with spaces"
_COLON = (
    "a ': ' is not allowed here: put a value that contains ': ' in quotes, or check the "
    "indentation of this line"
)
_PLAIN_WORDS = {
    ("did not find expected '-' indicator", "while parsing a block collection"): (
        "this line does not continue the list above it{start}: each item starts with '- ' at the "
        "indentation of the others; check this line's indentation",
        "it starts",
    ),
    ("did not find expected key", "while parsing a block mapping"): (
        "this line is not a 'key: value' at the indentation of the keys{start}: check its "
        "indentation, and quote a value that starts with a character such as '[', '{', '*', "
        "'&', '!', '%', '@' or '`'",
        "they start",
    ),
    ("mapping values are not allowed in this context", ""): (_COLON, ""),
    ("mapping values are not allowed here", ""): (_COLON, ""),
    ("could not find expected ':'", "while scanning a simple key"): (
        "{start} is neither a 'key: value' nor a list item ('- '): add the ':' after "
        "the key, or indent a continued text further than its key",
        "the text",
    ),
    ("did not find expected ',' or ']'", "while parsing a flow sequence"): (
        "a list written in [ ]{start} is not closed: expected ',' or ']' here",
        "it starts",
    ),
    ("did not find expected ',' or '}'", "while parsing a flow mapping"): (
        "a mapping written in { }{start} is not closed: expected ',' or '}' here",
        "it starts",
    ),
    ("found unexpected end of stream", "while scanning a quoted scalar"): (
        "a quoted text{start} is never closed: the file ends before its closing quote",
        "it starts",
    ),
    ("found a tab character that violates indentation", ""): (_BAD_INDENT, ""),
    ("but found another document", "expected a single document in the stream"): (
        "a second document starts here ('---' or '...'): a plan file holds one document; "
        "remove the line or put its text in quotes",
        "",
    ),
}


def _plain_words(e: MarkedYAMLError, text: str | None) -> str | None:
    """Returns libyaml's complaint in a plan editor's words, or None when it has none."""
    problem, context = (e.problem or "").strip(), (e.context or "").strip()
    if problem == "found character that cannot start any token" and e.problem_mark and text:
        char = text[e.problem_mark.index : e.problem_mark.index + 1]
        if char == "\t":
            return _BAD_INDENT
        if char in "@`":
            return f"a value cannot start with {char!r}: put the value in quotes"
        return None
    found = _PLAIN_WORDS.get((problem, context)) or _PLAIN_WORDS.get((problem, ""))
    if found is None:
        return None
    words, noun = found
    start, at = e.context_mark, e.problem_mark
    if noun == "the text":  # the line that lacks its ':' is where the key began
        where = "this line"
        if start is not None and (at is None or start.line != at.line):
            where = f"the text at line {start.line + 1}, column {start.column + 1}"
        if at is not None and at.column > 1024:
            return (
                "a key is at most 1024 characters long: this line has no ':' within that "
                "length (quote a long text, or write it under a key)"
            )
        return words.replace("{start}", where)
    began = ""
    if noun and start is not None and at is not None and start.line != at.line:
        began = f" ({noun} at line {start.line + 1}, column {start.column + 1})"
    return words.replace("{start}", began)


def _started_at(e: MarkedYAMLError) -> str:
    """Returns ' that starts at line L, column C' when the context began on another line."""
    start, problem = e.context_mark, e.problem_mark
    if start is None or problem is None or start.line == problem.line:
        return ""
    if not (e.context or "").startswith("while "):
        return ""  # "expected a single document in the stream" names no place of its own
    return f" that starts at line {start.line + 1}, column {start.column + 1}"


def _check_density(text: str) -> None:
    """Refuses text with far too many values before any is built: composing a megabyte of
    `[1,1,1,...]` took seconds and hundreds of megabytes before the constructor could count.
    Nearly every value follows a line break, `,`, `- `, `: `, `":`, `[` or `{`; a plan of
    10,000 activities has 1.2 of these a value."""
    marks = sum(text.count(sep) for sep in ("\n", ",", "- ", ": ", '":', "[", "{"))
    if marks > MAX_NODES * 3 // 2:
        raise YamlSyntaxError(
            f"too many values for a plan file ({marks:,} line breaks, commas, dashes, colons "
            "and brackets; a plan of 10,000 activities has about 300,000)"
        )
