"""What an import of real boundaries matched, missed, dissolved and wrote."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:  # geo.derive reads the database; the report only names its type
    from geo.derive import DeriveReport

T = TypeVar("T")

# Methods not worth a line each in the short report.
EXACT_METHODS = ("name",)


@dataclass(frozen=True)
class FileSummary:
    """How one file was read and which of its properties were used."""

    path: Path
    features: int
    crs: str
    level: str
    code_field: str | None
    name_field: str | None
    parent_field: str | None
    layer: str | None = None
    repaired_rows: tuple[int, ...] = ()
    empty_rows: tuple[int, ...] = ()


@dataclass(frozen=True)
class MatchedUnit:
    """A unit that got a geometry, from which features and how they matched."""

    unit_id: int
    code: str
    name: str
    level: str
    methods: tuple[str, ...]
    rows: tuple[tuple[str, int], ...]  # (file name, 1-based row)

    @property
    def dissolved(self) -> bool:
        """Whether the geometry is the union of more than one feature."""
        return len(self.rows) > 1


@dataclass(frozen=True)
class UnmatchedFeature:
    """A feature of a file that matched no unit."""

    file: str
    row: int
    code: str | None
    name: str | None


@dataclass(frozen=True)
class UnitRef:
    """A unit named in the report."""

    code: str
    name: str
    level: str


@dataclass
class ImportReport:
    """The outcome of ``geo.pipeline.import_boundaries``."""

    files: list[FileSummary] = field(default_factory=list)
    matched: list[MatchedUnit] = field(default_factory=list)
    unmatched: list[UnmatchedFeature] = field(default_factory=list)
    left_without_geometry: list[UnitRef] = field(default_factory=list)
    rebuilt: list[UnitRef] = field(default_factory=list)
    misplaced: list[UnitRef] = field(default_factory=list)
    written: int = 0
    deleted: int = 0
    dry_run: bool = False
    placement_checked: int = 0  # matched units with an official box
    placement_forced: bool = False  # imported although too many lie outside
    # a legacy import: the July-2025 provinces then derived
    derived: DeriveReport | None = None

    @property
    def dissolves(self) -> list[MatchedUnit]:
        """Units whose geometry was dissolved from more than one feature."""
        return [m for m in self.matched if m.dissolved]

    def matched_count(self, level: str | None = None) -> int:
        """Units matched (at ``level`` when given)."""
        return sum(1 for m in self.matched if level in (None, m.level))

    def format(self, verbose: bool = False) -> str:
        """A human-readable match report (``verbose``: every matched unit)."""
        lines = [_file_line(f) for f in self.files]
        lines += _matched_lines(self.matched, verbose)
        lines += _section(
            "features not matched",
            self.unmatched,
            lambda u: (
                f"{u.file} row {u.row}: code={u.code or '-'} name={u.name or '-'}"
            ),
            always=True,
        )
        lines += _section(
            "dissolved from several features",
            self.dissolves,
            lambda m: (
                f"{m.code} {m.name}: rows " + ", ".join(str(row) for _, row in m.rows)
            ),
        )
        lines += _section(
            "left without geometry", self.left_without_geometry, _unit, always=True
        )
        lines += _section("rebuilt as the union of their children", self.rebuilt, _unit)
        lines += _section(
            "geometry outside the unit's official box (wrong file or CRS?)",
            self.misplaced,
            _unit,
        )
        if self.placement_forced:
            lines.append(
                f"placement check overridden with --force: {len(self.misplaced)} of "
                f"{self.placement_checked} units lie outside their official boxes"
            )
        verb = "would write" if self.dry_run else "wrote"
        lines.append(f"{verb} {self.written} boundaries, removed {self.deleted}")
        if self.derived is not None and self.derived.provinces:
            lines.append(self.derived.format())
        return "\n".join(lines)


def _unit(unit: UnitRef) -> str:
    return f"{unit.level} {unit.code} {unit.name}"


def _file_line(f: FileSummary) -> str:
    used = ", ".join(
        f"{what}={name}"
        for what, name in (
            ("code", f.code_field),
            ("name", f.name_field),
            ("parent", f.parent_field),
        )
        if name
    )
    line = f"{f.path.name}: {f.features} features, {f.crs}, level {f.level} ({used})"
    if f.repaired_rows:
        line += f"; repaired rows {', '.join(map(str, f.repaired_rows))}"
    if f.empty_rows:
        line += f"; rows without polygon {', '.join(map(str, f.empty_rows))}"
    return line


def _matched_lines(matched: list[MatchedUnit], verbose: bool) -> list[str]:
    by_method: dict[str, int] = {}
    for m in matched:
        for method in set(m.methods):
            by_method[method] = by_method.get(method, 0) + 1
    summary = ", ".join(f"{n} by {method}" for method, n in sorted(by_method.items()))
    lines = [f"matched units: {len(matched)} ({summary})"]
    lines += [
        f"  {m.level} {m.code} {m.name}: {', '.join(sorted(set(m.methods)))}"
        for m in matched
        if verbose
        or any(x not in EXACT_METHODS and not x.startswith("code") for x in m.methods)
    ]
    return lines


def _section(
    title: str, items: Sequence[T], render: Callable[[T], str], always: bool = False
) -> list[str]:
    if not items and not always:
        return []
    return [f"{title}: {len(items)}"] + [f"  {render(item)}" for item in items]
