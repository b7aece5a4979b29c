"""The archive: the system of record of what grantees sent. Append-only.

Every received package version is copied to `$LANDSCAPE_HOME/archive/<STATE>/<FY>/<GRANTEE_ID>/v<N>/`,
with `manifest.json` beside the copy (what rebuilding needs: received time, source path, SHA-256, size,
what could not be copied and why, the roster it was validated against; and the landing package's stat key,
so an unchanged package is not hashed again). A version is written under a temporary name and renamed into
place, so it is either whole or absent; an archived version is never deleted or overwritten. Version numbers come from here, so losing the warehouse cannot renumber anything.

Rosters are archived the same way, each content once, as `archive/<STATE>/roster/r<N>/roster.csv`.

- `record.py`: the layout and an archived version as its manifest records it
- `copier.py`: one package copied, links never followed, its identity hashed from the bytes copied
- `writer.py`: the append-only writer (copies staged side by side, manifest, rename into place)
- `queries.py`: which versions and partitions the archive holds
- `rosters.py`: the rosters' archive
"""

from pipelines.ingest.archive.queries import archived_partitions, archived_versions, has_versions
from pipelines.ingest.archive.record import ArchiveConflict, ArchivedVersion, archive_dir, read_manifest
from pipelines.ingest.archive.rosters import archive_roster, latest_roster, roster_copy
from pipelines.ingest.archive.writer import archive_package

__all__ = [
    "ArchiveConflict",
    "ArchivedVersion",
    "archive_dir",
    "archive_package",
    "archive_roster",
    "archived_partitions",
    "archived_versions",
    "has_versions",
    "latest_roster",
    "read_manifest",
    "roster_copy",
]
