"""The data-sources registry: what each dataset is, where it comes from and how to verify it.

One YAML file per dataset in ``data/sources/<id>.yaml`` (the mySociety data-package habit: a small
metadata file per dataset). Each records publisher, licence, landing page, period, caveats and, per
file, the pinned download URL, sha256, size and expected columns.

The files are generated from the mirror's ``source.yaml`` descriptions with::

    python -m helpers.registry import ../shared/data/<dataset id>   # one
    python -m helpers.registry import-all                              # every dataset in the mirror

and ``tests/test_registry.py`` checks that the two still agree.
"""

from __future__ import annotations

import argparse
import difflib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

from . import config
from .errors import UnknownDatasetError


@dataclass(frozen=True)
class SourceFile:
    """One file of a dataset: its name, pinned URL and checksum."""

    name: str
    url: str
    sha256: str
    bytes: int | None = None
    columns: tuple[str, ...] = ()


@dataclass(frozen=True)
class Source:
    """A registered dataset."""

    id: str
    title: str
    publisher: str
    licence: str
    landing_page: str
    period: str
    caveats: str
    files: tuple[SourceFile, ...] = field(default_factory=tuple)
    #: the project's own note of breaks in the series (not from source.yaml): ``{year, kind, reason}`` dicts,
    #: kind "exclude" (an abnormal year, e.g. a Covid lockdown) or "definition" (the series changes from that
    #: year). :func:`helpers.stats.fit_trend` refuses to fit across them unless told.
    breaks: tuple[dict, ...] = field(default_factory=tuple)

    def file(self, name: str | None = None) -> SourceFile:
        """The file called ``name``; with no name, the dataset's only file."""
        if name is None:
            if len(self.files) == 1:
                return self.files[0]
            raise UnknownDatasetError(
                f"dataset '{self.id}' has {len(self.files)} files: pass file= one of "
                f"{', '.join(f.name for f in self.files)}"
            )
        for f in self.files:
            if f.name == name:
                return f
        close = difflib.get_close_matches(name, [f.name for f in self.files], n=3, cutoff=0.3)
        raise UnknownDatasetError(
            f"dataset '{self.id}' has no file '{name}': closest {close or [f.name for f in self.files][:3]}"
        )

    def citation(self) -> str:
        """One line naming publisher, licence and period, for chart and table source notes."""
        return f"{self.publisher} — {self.title.split(' - ')[0]} ({self.period}); licence: {self.licence}"


def _from_dict(d: dict) -> Source:
    files = tuple(
        SourceFile(
            name=f["file"],
            url=f["download_url"],
            sha256=f["sha256"],
            bytes=f.get("bytes"),
            columns=tuple(f.get("columns") or ()),
        )
        for f in d["files"]
    )
    return Source(
        id=d["id"],
        title=d["title"],
        publisher=d["publisher"],
        licence=d["licence"],
        landing_page=d["landing_page"],
        period=str(d.get("period") or ""),
        caveats=_text(d.get("caveats")),
        files=files,
        breaks=tuple(d.get("breaks") or ()),
    )


@lru_cache(maxsize=1)
def all_sources() -> dict[str, Source]:
    """Every registered dataset, by id."""
    out = {}
    for path in sorted(config.SOURCES_DIR.glob("*.yaml")):
        src = _from_dict(yaml.safe_load(path.read_text(encoding="utf-8")))
        out[src.id] = src
    return out


def get(dataset_id: str) -> Source:
    """The registered dataset ``dataset_id``; an unknown id names the three closest."""
    sources = all_sources()
    if dataset_id in sources:
        return sources[dataset_id]
    close = difflib.get_close_matches(dataset_id, list(sources), n=3, cutoff=0.0)
    raise UnknownDatasetError(
        f"dataset '{dataset_id}' is not in the registry data/sources/: did you mean {', '.join(close)}? "
        "(register a new one with `python -m helpers.registry import <folder>`)"
    )


# --- generating registry entries from a mirror's source.yaml -------------------------------------


def _text(value) -> str:
    """Caveats as prose: a YAML list of caveats becomes one paragraph, never a printed Python list."""
    if isinstance(value, list | tuple):
        return " ".join(str(v).strip() for v in value if v)
    return str(value or "")


def _columns(value) -> list[str]:
    """Column names as a list; a prose description of the columns (a string) stays one entry, not letters."""
    if isinstance(value, str):
        return [value]
    return [str(c) for c in value or []]


def entry_from_source_yaml(source_yaml: Path) -> dict:
    """The registry entry (a plain dict) described by a mirror folder's ``source.yaml``."""
    d = yaml.safe_load(Path(source_yaml).read_text(encoding="utf-8"))
    if d.get("files"):
        raw_files = d["files"]
    else:
        raw_files = [d]
    files = []
    for f in raw_files:
        files.append(
            {
                "file": f["file"],
                "download_url": f["download_url"],
                "sha256": f["sha256"],
                "bytes": f.get("bytes"),
                "columns": _columns(f.get("columns")),
            }
        )
    return {
        "id": d["id"],
        "title": d["title"],
        "publisher": d["original_publisher"],
        "licence": d["licence"],
        "landing_page": d["landing_page"],
        "period": str(d.get("period") or d.get("geography") or ""),
        "caveats": _text(d.get("caveats")),
        "files": files,
    }


def write_entry(entry: dict, sources_dir: Path | None = None) -> Path:
    """Write one registry entry to ``data/sources/<id>.yaml`` and return its path."""
    sources_dir = sources_dir or config.SOURCES_DIR
    sources_dir.mkdir(parents=True, exist_ok=True)
    path = sources_dir / f"{entry['id']}.yaml"
    if path.exists() and "breaks" not in entry:  # keep the project's own notes on a re-import
        previous = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        if previous.get("breaks"):
            entry = {**entry, "breaks": previous["breaks"]}
    header = (
        f"# Registry entry for dataset '{entry['id']}'. Generated from the mirror's source.yaml by\n"
        "# `python -m helpers.registry import`; tests/test_registry.py checks the two agree.\n"
    )
    path.write_text(header + yaml.safe_dump(entry, sort_keys=False, allow_unicode=True, width=100), encoding="utf-8")
    all_sources.cache_clear()
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m helpers.registry", description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    one = sub.add_parser("import", help="register the dataset in a mirror folder")
    one.add_argument("folders", nargs="+", type=Path)
    sub.add_parser("import-all", help="register every dataset in the mirror")
    sub.add_parser("list", help="list registered datasets")
    args = parser.parse_args(argv)
    if args.command == "list":
        for src in all_sources().values():
            print(f"{src.id:70s} {len(src.files):3d} file(s)  {src.licence[:40]}")
        return 0
    folders = (
        args.folders
        if args.command == "import"
        else sorted(p.parent for p in config.mirror_dir().glob("*/source.yaml"))
    )
    for folder in folders:
        print(write_entry(entry_from_source_yaml(Path(folder) / "source.yaml")).relative_to(config.REPO_ROOT))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
