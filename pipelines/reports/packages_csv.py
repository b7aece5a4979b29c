"""downloads/packages.csv: one row per current accepted package behind the figures, every fiscal year's.

The file grows with the history, while a resubmission changes one fiscal year's rows. A landscape read from a
warehouse (`WarehousePackages`) therefore keeps the file as one part per fiscal year in the site's hidden folder
PARTS_DIR, each recorded (PARTS_INDEX) with the fingerprint of its rows that sql/reports/package_periods.sql
computes in DuckDB, without reading them. A render takes over from the live site every part whose fingerprint
is the one recorded, reads and writes only the others, and puts the file together as the header and the parts,
byte for byte. When no fiscal year changed, the live file itself is taken over (a hard link: nothing is
written). Any doubt (no index, other code, a part missing or not the file recorded) writes that part from the
rows, so the file is byte-identical to the one `write_packages` writes from every row at once.

A part or the file is "the one recorded" when its inode, size and modification time are the ones recorded
(as the analysts' copy's Parquet files are, pipelines/warehouse/copy_fingerprints.py): writing to a file
changes its modification time, and hashing the history's parts on every render would cost what this module
saves. A part whose identity changed (a copied site, an edit) is hashed and taken over only if its SHA-256 is
the one recorded. The parts carry no people count (the same rows as packages.csv) and are not downloads.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
from dataclasses import asdict, dataclass, replace
from pathlib import Path

import duckdb
import polars as pl

from pipelines.published_text import neutralise, neutralise_frame
from pipelines.reports.files import file_hash, link_or_copy
from pipelines.sql import load_sql

PACKAGE_COLUMNS = ["grantee_id", "state", "period", "version", "sha256", "accepted_at"]
HEADER = (",".join(PACKAGE_COLUMNS) + "\n").encode()
PACKAGES_CSV = Path("downloads") / "packages.csv"
PARTS_DIR = Path(".packages-csv")
PARTS_INDEX = PARTS_DIR / "packages-parts.json"
PARTS_FORMAT = 1
PERIOD_QUERY, ROWS_QUERY = "reports/package_periods", "reports/package_rows"


def package_lines(packages: pl.DataFrame) -> str:
    """The CSV lines of these packages, without the header: the text Python's csv writer gives the rows
    (`isoformat` dates, formula-like text neutralised), formatted by polars (as many rows as the history
    holds), not one by one."""
    received = pl.col("received_at")
    strings = [name for name, dtype in packages.schema.items() if dtype == pl.String]
    carriage = packages.select(pl.any_horizontal(pl.col(strings).str.contains("\r", literal=True).any()))
    if packages.schema["received_at"] != pl.Datetime("us") or carriage.item():
        # A datetime with a zone or another unit, or a carriage return (csv.writer leaves it unquoted, polars
        # quotes it): row by row.
        return _lines_by_row(packages)
    rows = packages.select(
        "grantee_id",
        "state",
        "period",
        pl.col("version").cast(pl.Int64),
        "sha256",
        pl.when(received.dt.microsecond() == 0)  # isoformat leaves out a zero fraction
        .then(received.dt.strftime("%Y-%m-%dT%H:%M:%S"))
        .otherwise(received.dt.strftime("%Y-%m-%dT%H:%M:%S%.6f"))
        .alias("accepted_at"),
    )
    assert rows.columns == PACKAGE_COLUMNS
    text = neutralise_frame(rows).with_columns(  # csv.writer writes "" and None alike: nothing
        pl.when(pl.col(name) != "").then(pl.col(name)).alias(name)
        for name, dtype in rows.schema.items()
        if dtype == pl.String
    )
    return text.write_csv(
        None, include_header=False, line_terminator="\n", null_value="", quote_style="necessary"
    )


def _lines_by_row(packages: pl.DataFrame) -> str:
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\n")
    for r in packages.iter_rows(named=True):
        accepted = "" if r["received_at"] is None else r["received_at"].isoformat()
        row = (r["grantee_id"], r["state"], r["period"], int(r["version"]), r["sha256"], accepted)
        writer.writerow([neutralise(v) for v in row])
    return out.getvalue()


def write_packages(packages: pl.DataFrame, out_dir: Path) -> Path:
    """downloads/packages.csv of these package rows, written whole."""
    path = out_dir / PACKAGES_CSV
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(HEADER + package_lines(packages).encode())
    return path


@dataclass(frozen=True)
class Identity:
    """Which file is at a path: writing to it changes its modification time, replacing it its inode."""

    inode: int
    size: int
    mtime_ns: int

    @classmethod
    def of(cls, path: Path) -> Identity:
        st = path.stat()
        return cls(st.st_ino, st.st_size, st.st_mtime_ns)


@dataclass(frozen=True)
class FramePackages:
    """Package rows at hand (a landscape built from frames): the file is written from them whole."""

    rows: pl.DataFrame

    def write(self, out_dir: Path, live: Path | None, code: str) -> Path:
        return write_packages(self.rows, out_dir)


@dataclass(frozen=True)
class WarehousePackages:
    """A warehouse's current accepted packages, known by each fiscal year's fingerprint (period, packages,
    fingerprint: sql/reports/package_periods.sql, in file order); rows are read only for the parts written.
    `source`: the warehouse file the fingerprints were read from, taken before connecting to it."""

    warehouse: Path
    source: Identity
    periods: pl.DataFrame

    @classmethod
    def read(cls, con: duckdb.DuckDBPyConnection, warehouse: Path, source: Identity) -> WarehousePackages:
        return cls(warehouse, source, con.execute(load_sql(PERIOD_QUERY)).pl())

    def write(self, out_dir: Path, live: Path | None, code: str) -> Path:
        """downloads/packages.csv and its parts in out_dir, taking over from the `live` site what it can."""
        return _PartsWriter(self, out_dir, live, parts_code(code)).write()

    def rows(self, periods: list[str]) -> pl.DataFrame:
        """The package rows of these fiscal years, from the very file fingerprinted: a warehouse replaced or
        written since (a publish during the render) is refused rather than mixed into this site."""
        order = self.periods["period"].to_list()
        parts = ", ".join(str(order.index(period) + 1) for period in periods)  # whole numbers only
        con = duckdb.connect(str(self.warehouse), read_only=True)
        try:
            # Checked once connected: the file at the path then is the one connected to (or a later one).
            if Identity.of(self.warehouse) != self.source:
                raise RuntimeError(f"{self.warehouse} changed during the render: render the site again")
            return con.execute(load_sql(ROWS_QUERY).format(parts=parts)).pl()
        finally:
            con.close()


def parts_code(code: str) -> str:
    """What besides a fiscal year's rows decides its part: the reports code (`code`), the two queries, and the
    DuckDB and polars versions (the hash and the formatting)."""
    digest = hashlib.sha256(f"{code}\0{duckdb.__version__}\0{pl.__version__}\0".encode())
    for name in (PERIOD_QUERY, ROWS_QUERY):
        digest.update(load_sql(name).encode() + b"\0")
    return digest.hexdigest()


@dataclass(frozen=True)
class Part:
    period: str | None
    fingerprint: str
    sha256: str
    file: Identity

    @property
    def path(self) -> Path:
        return PARTS_DIR / part_name(self.period)


def part_name(period: str | None) -> str:
    """A fiscal year's part file: named by the year when that is a plain name, else by a hash of it."""
    if period is not None and re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_-]{0,63}", period):
        return f"{period}.part"
    return f"_{hashlib.sha256(repr(period).encode()).hexdigest()[:16]}.part"


@dataclass(frozen=True)
class PartsIndex:
    code: str
    file: Identity  # downloads/packages.csv as written from the parts
    parts: list[Part]

    @classmethod
    def read(cls, site: Path, code: str) -> PartsIndex | None:
        """The site's index of parts; None when there is none, it cannot be read, or other code wrote it."""
        try:
            data = json.loads((site / PARTS_INDEX).read_text(encoding="utf-8"))
            if data.get("format") != PARTS_FORMAT or data.get("code") != code:
                return None
            parts = [
                Part(p["period"], p["fingerprint"], p["sha256"], Identity(**p["file"])) for p in data["parts"]
            ]
            return cls(code, Identity(**data["file"]), parts)
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            return None

    def write(self, site: Path) -> None:
        data = {"format": PARTS_FORMAT, "code": self.code, "file": asdict(self.file)}
        data["parts"] = [{**asdict(p), "file": asdict(p.file)} for p in self.parts]
        (site / PARTS_INDEX).write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")


class _PartsWriter:
    def __init__(self, packages: WarehousePackages, out_dir: Path, live: Path | None, code: str):
        if packages.periods[
            "period"
        ].has_nulls():  # core.packages.period is NOT NULL; the rows query relies on it
            raise ValueError(f"{packages.warehouse} holds a current accepted package without a fiscal year")
        self.packages, self.out_dir, self.live, self.code = packages, out_dir, live, code
        self.previous = PartsIndex.read(live, code) if live is not None else None
        self.wanted = list(packages.periods.select("period", "fingerprint").iter_rows())

    def write(self) -> Path:
        (self.out_dir / PARTS_DIR).mkdir(parents=True, exist_ok=True)
        (self.out_dir / PACKAGES_CSV).parent.mkdir(parents=True, exist_ok=True)
        if not self._take_over_whole():
            self._write_from_parts()
        return self.out_dir / PACKAGES_CSV

    def _take_over_whole(self) -> bool:
        """Nothing changed: the live file and its parts, as they are (hard links)."""
        previous, live = self.previous, self.live
        if (
            previous is None
            or live is None
            or [(p.period, p.fingerprint) for p in previous.parts] != self.wanted
        ):
            return False
        if not all(_is(live / path, identity) for path, identity in self._recorded(previous)):
            return False
        for path, _ in self._recorded(previous):
            link_or_copy(live / path, self.out_dir / path)
        # Linked, the files are the ones recorded; copied (another file system), they are new files.
        parts = [replace(p, file=Identity.of(self.out_dir / p.path)) for p in previous.parts]
        PartsIndex(self.code, Identity.of(self.out_dir / PACKAGES_CSV), parts).write(self.out_dir)
        return True

    @staticmethod
    def _recorded(index: PartsIndex) -> list[tuple[Path, Identity]]:
        return [(PACKAGES_CSV, index.file), *((p.path, p.file) for p in index.parts)]

    def _write_from_parts(self) -> None:
        recorded = {p.period: p for p in self.previous.parts} if self.previous is not None else {}
        parts: dict[str, Part] = {}
        for period, fingerprint in self.wanted:
            part = recorded.get(period)
            if part is not None and part.fingerprint == fingerprint and self._take_over_part(part):
                parts[period] = replace(part, file=Identity.of(self.out_dir / part.path))
        missing = [period for period, _ in self.wanted if period not in parts]
        rows = self.packages.rows(missing) if missing else pl.DataFrame()
        by_period = rows.partition_by("period", as_dict=True) if missing else {}
        for period, fingerprint in self.wanted:
            if period in parts:
                continue
            text = package_lines(by_period.get((period,), rows.clear())).encode()
            path = self.out_dir / PARTS_DIR / part_name(period)
            path.write_bytes(text)
            parts[period] = Part(period, fingerprint, hashlib.sha256(text).hexdigest(), Identity.of(path))
        ordered = [parts[period] for period, _ in self.wanted]
        target = self.out_dir / PACKAGES_CSV
        with target.open("wb") as out:
            out.write(HEADER)
            for part in ordered:
                with (self.out_dir / part.path).open("rb") as fh:
                    while block := fh.read(1 << 20):
                        out.write(block)
        PartsIndex(self.code, Identity.of(target), ordered).write(self.out_dir)

    def _take_over_part(self, part: Part) -> bool:
        """The live part into the new site, when it is the file recorded (else when it hashes as recorded)."""
        source = self.live / part.path
        try:
            if not _is(source, part.file) and file_hash(source) != part.sha256:
                return False
            link_or_copy(source, self.out_dir / part.path)
        except OSError:
            return False
        return True


def _is(path: Path, identity: Identity) -> bool:
    try:
        return Identity.of(path) == identity
    except OSError:
        return False


__all__ = [
    "HEADER",
    "PACKAGES_CSV",
    "PACKAGE_COLUMNS",
    "PARTS_DIR",
    "FramePackages",
    "WarehousePackages",
    "package_lines",
    "write_packages",
]
