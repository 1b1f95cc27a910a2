"""Class tables: the names, colours and kinds of the facies classes of a label volume.

A class table travels with every label or facies volume as a JSON file beside
it, so each class number keeps its meaning from the synthetic survey or the
interpreter's labels through training to the predicted SEG-Y legend. The file
looks like this::

    {"classes": [
        {"index": 0, "name": "parallel", "colour": "#1f77b4", "kind": "stratigraphic"},
        {"index": 1, "name": "channel", "colour": "#ff7f0e", "kind": "geomorphologic"}
    ]}

A class is *stratigraphic* when an interpreter judges it in cross-section (its
reflector pattern and place in the column) and *geomorphologic* when it is
judged in plane view (the map shape of a channel or fan). The label value -1
is not a class: it marks an unlabelled sample, or a missing trace in a
prediction.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from seismic.atomic import atomic_output
from seismic.errors import InputNotFoundError, InvalidInputError

__all__ = [
    "ClassTable",
    "find_class_table",
    "has_class_table",
    "KINDS",
    "UNLABELLED",
    "CLASS_TABLE_NAME",
    "MAX_LEGEND_LINE",
]

UNLABELLED = -1
"""Label value of an unlabelled sample (in predictions: a missing trace)."""

KINDS = ("stratigraphic", "geomorphologic")
"""Accepted class kinds."""

CLASS_TABLE_NAME = "classes.json"
"""File name of a class table shared by every label file in a folder."""

MAX_LEGEND_LINE = 76
"""Maximum legend line length, so that a ``C01 `` prefix keeps it within an 80-column textual header row."""

_HEX_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")

# Twelve colours that stay distinguishable side by side on seismic in grey or
# in a red-white-blue colour map; longer tables repeat them.
_PALETTE = (
    "#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#e6c800",
    "#17becf", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#393b79",
)


@dataclass(frozen=True)
class ClassTable:
    """Names, colours and kinds of the classes ``0 .. n_classes - 1``.

    Parameters
    ----------
    names : list of str
        Class names, indexed by class number. Names are non-empty and unique.
    colours : list of str
        Display colours as ``"#rrggbb"``, one per class.
    kinds : list of str
        ``"stratigraphic"`` or ``"geomorphologic"``, one per class.

    Raises
    ------
    InvalidInputError
        If the lists differ in length, are empty, or hold an empty or repeated
        name, a colour that is not ``#rrggbb`` or an unknown kind.
    """

    names: tuple[str, ...]
    colours: tuple[str, ...]
    kinds: tuple[str, ...]

    def __init__(self, names: Sequence[str], colours: Sequence[str], kinds: Sequence[str]) -> None:
        object.__setattr__(self, "names", tuple(str(name) for name in names))
        object.__setattr__(self, "colours", tuple(str(colour).lower() for colour in colours))
        object.__setattr__(self, "kinds", tuple(str(kind) for kind in kinds))
        self._validate()

    def _validate(self) -> None:
        counts = (len(self.names), len(self.colours), len(self.kinds))
        if len(set(counts)) != 1:
            raise InvalidInputError(
                f"class table has {counts[0]} names, {counts[1]} colours and {counts[2]} kinds; "
                "give one of each per class"
            )
        if counts[0] == 0:
            raise InvalidInputError("class table has no classes; give at least one class")
        for index, name in enumerate(self.names):
            if not name.strip():
                raise InvalidInputError(f"class {index} has an empty name; give every class a name")
        repeated = sorted({name for name in self.names if self.names.count(name) > 1})
        if repeated:
            raise InvalidInputError(f"class names {repeated} are repeated; give every class its own name")
        for index, colour in enumerate(self.colours):
            if not _HEX_COLOUR.match(colour):
                raise InvalidInputError(
                    f"class {index} colour {colour!r} is invalid; give a hex colour such as '#1f77b4'"
                )
        for index, kind in enumerate(self.kinds):
            if kind not in KINDS:
                raise InvalidInputError(f"class {index} kind {kind!r} is invalid; use one of {list(KINDS)}")

    def __len__(self) -> int:
        return len(self.names)

    @property
    def n_classes(self) -> int:
        """Number of classes."""
        return len(self.names)

    @classmethod
    def default(cls, n_classes: int) -> ClassTable:
        """Build the table used when a label volume comes without one.

        Parameters
        ----------
        n_classes : int
            Number of classes, at least 1.

        Returns
        -------
        ClassTable
            Classes named ``"class 0"``, ``"class 1"``, ..., all stratigraphic,
            coloured from a fixed palette that repeats after 12 classes.

        Raises
        ------
        InvalidInputError
            If ``n_classes`` is less than 1.
        """
        if int(n_classes) < 1:
            raise InvalidInputError(f"class count {n_classes} is invalid; a class table needs at least 1 class")
        count = int(n_classes)
        return cls(
            names=[f"class {index}" for index in range(count)],
            colours=[_PALETTE[index % len(_PALETTE)] for index in range(count)],
            kinds=["stratigraphic"] * count,
        )

    def to_dict(self) -> dict[str, Any]:
        """Return the table as the JSON-ready mapping stored in ``classes.json``."""
        return {
            "classes": [
                {"index": index, "name": name, "colour": colour, "kind": kind}
                for index, (name, colour, kind) in enumerate(zip(self.names, self.colours, self.kinds))
            ]
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ClassTable:
        """Build a table from the mapping written by :meth:`to_dict`.

        Each class entry needs ``name``; ``colour`` (or ``color``) and ``kind``
        default to the palette colour and ``"stratigraphic"``. Entries may
        carry ``index``; when present, the indexes must be ``0 .. n - 1`` in
        order.

        Raises
        ------
        InvalidInputError
            If the mapping has no ``classes`` list, an entry is not a mapping or
            lacks a name, the indexes are out of order, or the values are
            invalid (see :class:`ClassTable`).
        """
        entries = data.get("classes") if isinstance(data, Mapping) else None
        if not isinstance(entries, list):
            raise InvalidInputError(
                "class table has no 'classes' list; write {\"classes\": [{\"name\": ...}, ...]}"
            )
        names, colours, kinds = [], [], []
        for position, entry in enumerate(entries):
            if not isinstance(entry, Mapping) or "name" not in entry:
                raise InvalidInputError(
                    f"class table entry {position} is {entry!r}; give each class a mapping with a 'name'"
                )
            if "index" in entry and entry["index"] != position:
                raise InvalidInputError(
                    f"class table entry {position} has index {entry['index']!r}; "
                    "list the classes in order from index 0 without gaps"
                )
            names.append(entry["name"])
            colours.append(entry.get("colour", entry.get("color", _PALETTE[position % len(_PALETTE)])))
            kinds.append(entry.get("kind", "stratigraphic"))
        return cls(names=names, colours=colours, kinds=kinds)

    def to_json(self, path: str | os.PathLike[str]) -> Path:
        """Write the table to a JSON file (under a temporary name, renamed on success).

        Returns
        -------
        Path
            The written file.
        """
        final = Path(path)
        with atomic_output(final) as temporary:
            temporary.write_text(json.dumps(self.to_dict(), indent=2) + "\n", encoding="utf-8")
        return final

    @classmethod
    def from_json(cls, path: str | os.PathLike[str]) -> ClassTable:
        """Read a table written by :meth:`to_json` (or by hand in the same form).

        Raises
        ------
        InputNotFoundError
            If ``path`` does not exist.
        InvalidInputError
            If the file is not valid JSON or not a valid class table.
        """
        path = Path(path)
        if not path.is_file():
            raise InputNotFoundError(f"class table not found: {path}; check the path")
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (json.JSONDecodeError, UnicodeDecodeError) as error:
            raise InvalidInputError(f"class table {path} is not valid JSON ({error}); fix or delete the file") from None
        try:
            return cls.from_dict(data)
        except InvalidInputError as error:
            raise InvalidInputError(f"class table {path}: {error}") from None

    def legend_lines(self) -> list[str]:
        """Return the legend as short lines for a SEG-Y textual header.

        Returns
        -------
        list of str
            ``"FACIES LEGEND: -1 no trace/unlabelled"`` followed by one
            ``"<index> <name> (<kind>)"`` line per class, each cut to
            :data:`MAX_LEGEND_LINE` characters.
        """
        lines = [f"FACIES LEGEND: {UNLABELLED} no trace/unlabelled"]
        for index, (name, kind) in enumerate(zip(self.names, self.kinds)):
            suffix = f" ({kind})"
            prefix = f"{index} "
            room = MAX_LEGEND_LINE - len(prefix) - len(suffix)
            lines.append(f"{prefix}{name[:room]}{suffix}")
        return lines


def _class_table_candidates(labels_path: Path) -> tuple[Path, Path]:
    return (labels_path.with_name(f"{labels_path.stem}.classes.json"), labels_path.with_name(CLASS_TABLE_NAME))


def has_class_table(labels_path: str | os.PathLike[str]) -> bool:
    """Return whether a class table file lies beside ``labels_path`` (see :func:`find_class_table`)."""
    return any(candidate.is_file() for candidate in _class_table_candidates(Path(labels_path)))


def find_class_table(labels_path: str | os.PathLike[str], n_classes: int | None = None) -> ClassTable:
    """Read the class table that belongs to a label (or facies) file.

    The table is looked up, in this order, as ``<stem>.classes.json`` beside
    the label file (for example ``labels.classes.json`` for ``labels.sgy``)
    and as ``classes.json`` in the same folder. When neither exists, the
    default table of ``n_classes`` classes is returned.

    Parameters
    ----------
    labels_path : path-like
        The label file; it need not exist, only its folder is searched.
    n_classes : int, optional
        Number of classes the caller expects (from the labels or the model).

    Returns
    -------
    ClassTable

    Raises
    ------
    InvalidInputError
        If the table found has a class count other than ``n_classes``, if a
        table file is invalid, or if there is no table and ``n_classes`` is
        not given.
    """
    labels_path = Path(labels_path)
    candidates = _class_table_candidates(labels_path)
    for candidate in candidates:
        if candidate.is_file():
            table = ClassTable.from_json(candidate)
            if n_classes is not None and len(table) != int(n_classes):
                raise InvalidInputError(
                    f"class table {candidate} lists {len(table)} classes but {int(n_classes)} are expected; "
                    "fix the table or the class count"
                )
            return table
    if n_classes is None:
        raise InvalidInputError(
            f"no class table beside {labels_path} ({candidates[0].name} or {candidates[1].name}); "
            "write one or pass the class count"
        )
    return ClassTable.default(n_classes)
