"""`landscape generate`: write a synthetic landing tree (or a later wave of resubmissions) from the shell."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from pipelines.generate import DEFAULT_PERIODS, generate_landing, generate_resubmissions
from pipelines.generate.periods import parse_periods


class _UsageError(Exception):
    pass


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="landscape generate",
        description="Write a synthetic landing tree of grantee packages (deterministic for the same arguments).",
    )
    parser.add_argument(
        "--out",
        required=True,
        type=Path,
        help="landing folder to create (must be new or empty; for --wave 2+ the folder wave 1 wrote)",
    )
    parser.add_argument("--seed", type=int, default=7, help="random seed (default 7)")
    parser.add_argument(
        "--periods",
        default=f"{DEFAULT_PERIODS[0]}-{DEFAULT_PERIODS[-1]}",
        help="FY2024-FY2026 (range) or FY2024,FY2026 (list); default %(default)s",
    )
    parser.add_argument("--scale", type=float, default=1.0, help="1.0 = about 4,000 grantees nationally")
    parser.add_argument(
        "--error-rate", type=float, default=0.03, help="share of packages with one mistake (0-1)"
    )
    parser.add_argument(
        "--states", default=None, help="comma-separated USPS codes, e.g. NY,VT (default: 50 states + DC)"
    )
    parser.add_argument(
        "--wave",
        type=int,
        default=1,
        help="1 = first deliveries; 2+ = resubmissions written over a tree made with the same arguments",
    )
    parser.add_argument(
        "--manifest",
        type=Path,
        default=None,
        help="write the manifest here (.json, or .csv for one row per package); keep it outside --out",
    )
    return parser


def _check(args: argparse.Namespace) -> None:
    if args.scale <= 0:
        raise _UsageError("--scale must be greater than 0")
    if not 0 <= args.error_rate <= 1:
        raise _UsageError("--error-rate must be between 0 and 1")
    if args.wave < 1:
        raise _UsageError("--wave must be 1 or more")
    if args.manifest is not None:
        out, manifest = args.out.resolve(), args.manifest.resolve()
        if manifest == out or out in manifest.parents:
            raise _UsageError(
                "--manifest must be outside --out: a file in the landing tree is logged as unknown"
            )
    if args.wave == 1 and args.out.exists() and (not args.out.is_dir() or any(args.out.iterdir())):
        raise _UsageError(f"--out {args.out} is not empty; choose a new or empty folder")


def main(argv: list[str]) -> int:
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit_:  # argparse has printed its usage message
        return int(exit_.code or 0)
    try:
        _check(args)
        periods = parse_periods(args.periods)
        states = [s.strip() for s in args.states.split(",") if s.strip()] if args.states else None
        options = dict(
            seed=args.seed, periods=periods, scale=args.scale, error_rate=args.error_rate, states=states
        )
        if args.wave == 1:
            manifest = generate_landing(args.out, **options)
        else:
            manifest = generate_resubmissions(args.out, wave=args.wave, **options)
    except (_UsageError, ValueError, FileExistsError, FileNotFoundError) as error:
        print(f"landscape generate: error: {error}", file=sys.stderr)
        return 2
    if args.manifest is not None:
        manifest.write(args.manifest)
    mistaken = len(manifest.mistaken)
    print(
        f"wrote {len(manifest.packages)} packages ({mistaken} with an injected mistake) for "
        f"{len(manifest.states)} states, {', '.join(manifest.periods)}, wave {manifest.wave} -> {args.out}"
    )
    if args.manifest is not None:
        print(f"manifest: {args.manifest}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
