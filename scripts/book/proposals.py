"""Registry entries for the headings a book's registry does not name yet, added as plain text.

`python -m scripts propose --write` turns every fallback slug a book has into a registry entry,
so the URL a new question was first published under stays its URL. The file is edited as text,
never dumped back from YAML: each entry goes right after the entry of the heading before it in
the book (a new question of chapter 2 lands among chapter 2's questions), and every byte and
comment already there stays where it was, so the change reads as a clean diff.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from scripts.book.identity import KINDS, Unregistered, load_registry, registry_path_for, unregistered
from scripts.book.model import Book, BookError, Diagnostic, Location
from scripts.book.text import match_key

# Where YAML (and so PyYAML's line numbers) breaks lines.
_LINE_BREAK = re.compile(r"\r\n|[\r\n\x85\u2028\u2029]")
_NEW_REGISTRY = (
    "# Stable-identity registry for {book}: every chapter, section and question heading\n"
    "# (as the book writes it, without its number) → its URL slug and English title.\n"
    "# Slugs are public URLs. To change one, keep the old one under `formerly:` so\n"
    "# every link already shared redirects to the new URL.\n"
)


@dataclass(frozen=True)
class Proposal:
    registry: Path
    entries: list[Unregistered]  # what `text` adds, in book order
    reworded: list[Unregistered]  # left out: each looks like an existing key reworded, a hand edit keeps its URL
    before: str  # the registry's text now ("" when there is none)
    text: str  # the registry's text with the entries added


def propose(book: Book) -> Proposal:
    """A slugged book's missing registry entries and the registry text that adds them."""
    path = registry_path_for(book.path)
    registry = load_registry(path)  # reports a malformed registry as file:line before anything else
    missing = unregistered(book, registry)
    entries = [h for h in missing if h.reworded is None]
    before = path.read_bytes().decode("utf-8") if path.exists() else ""
    return Proposal(path, entries, [h for h in missing if h.reworded is not None], before,
                    _with_entries(path, before, book, missing, entries))


def write_proposal(proposal: Proposal) -> None:
    """Replace the registry by its proposed text, atomically, after reading that text back."""
    path = proposal.registry
    target = path if path.exists() else path.parent
    if not os.access(target, os.W_OK):
        raise BookError([Diagnostic(Location(path, 0), f"cannot write the registry: {target} is read-only")])
    temporary = path.with_name(f".{path.name}.proposed")
    try:
        temporary.write_bytes(proposal.text.encode("utf-8"))
        _check_written(temporary, proposal)
        if path.exists():
            os.chmod(temporary, path.stat().st_mode)
        os.replace(temporary, path)
    except OSError as error:
        raise BookError([Diagnostic(Location(path, 0), f"cannot write the registry: {error.strerror or error}")]) from None
    finally:
        if temporary.is_file():  # left over from a failed write; never what was in the way
            with contextlib.suppress(OSError):
                temporary.unlink()


def _check_written(temporary: Path, proposal: Proposal) -> None:
    try:
        registry = load_registry(temporary)
    except BookError as error:
        problems = "; ".join(d.message for d in error.diagnostics)
        raise BookError([Diagnostic(Location(proposal.registry, 0), f"left unchanged: the entries would not read back ({problems})")]) from None
    for heading in proposal.entries:
        entry = registry.lookup(heading.kind, heading.title)
        if entry is None or entry.slug != heading.slug:
            raise BookError([Diagnostic(Location(proposal.registry, 0), f"left unchanged: '{heading.title}' would not read back as '{heading.slug}'")])


@dataclass
class _Group:
    """Where one kind's entries sit in the file (0-based lines), and how they are laid out."""

    key_line: int
    entry_end: dict[str, int]  # match key → last line of that entry
    indent: str = "  "
    field_indent: str = "    "
    blank_between: bool = True
    inline: bool = False  # written `kind: {…}`, where no block entry can go


def _with_entries(path: Path, text: str, book: Book, missing: list[Unregistered], entries: list[Unregistered]) -> str:
    if not entries:
        return text
    newline = "\r\n" if "\r\n" in text else "\n"
    groups = _groups(path, text)
    starts = [0] + [m.end() for m in _LINE_BREAK.finditer(text)]
    inserts: dict[int, list[str]] = {}  # offset → texts to put there, in order
    appended: dict[str, list[Unregistered]] = {}
    anchors = _anchors(missing, groups)
    for heading in entries:
        group = groups.get(heading.kind)
        if group is None:
            appended.setdefault(heading.kind, []).append(heading)
            continue
        if group.inline:
            raise BookError([Diagnostic(Location(path, group.key_line + 1),
                                        f"'{heading.kind}' is written inline ({{…}}); write it one entry a line so new entries can be added")])
        entry = _entry_text(heading, group, newline)
        anchor = anchors[id(heading)]
        if anchor is None:  # the first of its kind in the book: at the top of the group
            offset = starts[group.key_line + 1] if group.key_line + 1 < len(starts) else len(text)
            inserts.setdefault(offset, []).append(entry + (newline if group.blank_between else ""))
        else:
            line = group.entry_end[anchor]
            offset = starts[line + 1] if line + 1 < len(starts) else len(text)
            inserts.setdefault(offset, []).append((newline if group.blank_between else "") + entry)
    out = text
    for offset in sorted(inserts, reverse=True):
        out = out[:offset] + "".join(inserts[offset]) + out[offset:]
    if appended:
        if out and not _LINE_BREAK.fullmatch(out[-1]):
            out += newline
        if not out:
            out = _NEW_REGISTRY.format(book=book.path.name).replace("\n", newline)
        layout = _Group(-1, {})
        for kind in KINDS:
            if kind in appended:
                out += newline + f"{kind}:{newline}" + newline.join(_entry_text(h, layout, newline) for h in appended[kind])
    return out


def _anchors(missing: list[Unregistered], groups: dict[str, _Group]) -> dict[int, str | None]:
    """For each heading, the registered heading of its kind nearest before it in the book."""
    anchors: dict[int, str | None] = {}
    last_known: dict[str, str | None] = {}  # match key of an unregistered heading → its anchor
    for heading in missing:
        group = groups.get(heading.kind)
        after = heading.after
        if after is not None and (group is None or after not in group.entry_end):
            after = last_known.get(after)
        anchors[id(heading)] = after
        last_known[match_key(heading.title)] = after
    return anchors


def _entry_text(heading: Unregistered, group: _Group, newline: str) -> str:
    # JSON's double-quoted string is one YAML reads too, whatever quotes or backslashes the title has.
    key = json.dumps(heading.title, ensure_ascii=False)
    return (f"{group.indent}{key}:{newline}{group.field_indent}slug: {heading.slug}{newline}"
            f'{group.field_indent}en: ""{newline}')


def _groups(path: Path, text: str) -> dict[str, _Group]:
    root = yaml.compose(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)) if text else None
    groups: dict[str, _Group] = {}
    for key_node, value in root.value if isinstance(root, yaml.MappingNode) else ():
        kind = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
        if kind not in KINDS or not isinstance(value, yaml.MappingNode):
            continue
        group = _Group(key_node.start_mark.line, {match_key(k.value): _last_line(v) for k, v in value.value}, inline=value.flow_style)
        if value.value:
            first_key, first_value = value.value[0]
            group.indent = " " * first_key.start_mark.column
            if isinstance(first_value, yaml.MappingNode) and first_value.value and not first_value.flow_style:
                group.field_indent = " " * first_value.value[0][0].start_mark.column
            else:
                group.field_indent = group.indent + "  "
            lines = _LINE_BREAK.split(text)
            after_first = group.entry_end[match_key(first_key.value)] + 1
            group.blank_between = len(value.value) == 1 or (after_first < len(lines) and not lines[after_first].strip())
        groups[kind] = group
    return groups


def _last_line(node: yaml.Node) -> int:
    """The 0-based line an entry ends on: its last scalar's, not the next key's (block
    collections end where the next token starts, past trailing blank lines and comments)."""
    while isinstance(node, (yaml.MappingNode, yaml.SequenceNode)) and not node.flow_style and node.value:
        node = node.value[-1][1] if isinstance(node, yaml.MappingNode) else node.value[-1]
    mark = node.end_mark
    return mark.line - 1 if mark.column == 0 and mark.line > node.start_mark.line else mark.line
