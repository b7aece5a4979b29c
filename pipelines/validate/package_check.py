"""One package checked offline, as the pipeline would check it (`landscape check`).

Where the package sits in <STATE>/<FY>/ folders those give state and period, as in the landing tree.
Otherwise (a grantee checking ./NY-0042/ or NY-0042.xlsx) the grantee id is the package name, the state its
prefix and the period --period or the organization table's reporting_period. Rules that need a roster (P06)
run only with a roster; rules that need history (W04) do not run.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from pipelines.contract import fiscal_year, load_contract
from pipelines.findings import finding
from pipelines.ingest.landing import landing_states
from pipelines.validate.batch import unopened_batch, validate_batch
from pipelines.validate.model import PackageContext, ValidatedBatch
from pipelines.validate.roster import is_on_roster, read_roster


def matches_identifier(identifier: str, text: str | None) -> bool:
    return bool(text) and re.fullmatch(load_contract().identifiers[identifier]["pattern"], text) is not None


def _package_name(path: Path) -> str:
    """The claimed grantee id: a folder's name, a file's stem (NY-0042.xlsm claims NY-0042 and is answered
    with P01 for its content, as in the landing tree, not with F05 for its name)."""
    return path.name if path.is_dir() else path.stem


def _organization_value(read, column: str) -> str | None:
    frame = None if read is None else read.tables.get("organization")
    if frame is None or column not in frame.columns or frame.height == 0:
        return None
    return frame[column][0]


def derive_context(path: Path, read, period: str | None, today: date) -> tuple[PackageContext, list]:
    """The package's context as the pipeline would see it, and findings about its name and place (read may be
    None: the package is not opened yet)."""
    name, findings = _package_name(path), []
    folder_period, folder_state = path.parent.name.upper(), path.parent.parent.name.upper()
    in_tree = matches_identifier("reporting_period", folder_period) and folder_state in landing_states()
    if not matches_identifier("grantee_id", name):
        findings.append(
            finding(
                "F05",
                table="organization",
                column="grantee_id",
                value=name,
                pattern_hint=_pattern_hint("grantee_id"),
            )
        )
        grantee = _organization_value(read, "grantee_id") or name
    else:
        grantee = name
    if in_tree:
        state, period = folder_state, period or folder_period
        if matches_identifier("grantee_id", name) and name[:2] != state:
            findings.append(
                finding("P05", table="organization", column="grantee_id", value=name, path_value=state)
            )
    else:
        state = grantee[:2].upper()
        written = (_organization_value(read, "reporting_period") or "").upper()
        period = period or (
            written if matches_identifier("reporting_period", written) else f"FY{fiscal_year(today)}"
        )
    return PackageContext(grantee_id=grantee, state=state, period=period, version=1), findings


def _pattern_hint(identifier: str) -> str:
    ident = load_contract().identifiers[identifier]
    return f"{ident['example']} ({ident['description']})"


def check_package(
    path: Path, today: date, period: str | None = None, roster: Path | None = None
) -> ValidatedBatch:
    """Validate one package as the pipeline would; raises RosterError for an unusable roster."""
    from pipelines.ingest.readers import read_package

    # Read first even when the name alone rejects the package: outside <STATE>/<FY>/ folders its period is
    # the one its organization table gives, whatever its name.
    read = read_package(path)
    ctx, place = derive_context(path, read, period, today)
    if place:
        # As in the landing tree: a package whose name is not a grantee id, or names another state, is
        # rejected on its name alone.
        return unopened_batch(ctx, place)
    if roster is not None:
        on_roster = is_on_roster(read_roster(roster), ctx.grantee_id, ctx.period)
        ctx = PackageContext(ctx.grantee_id, ctx.state, ctx.period, ctx.version, on_roster=on_roster)
    read.findings = place + read.findings
    return validate_batch([(ctx, read)], today)
