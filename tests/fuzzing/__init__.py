"""A seeded fuzzer for `gxgk check` and `gxgk build`, kept as a library.

A run copies a pristine site (the demo at the repository root, with secret markers planted where
nothing may be published), applies one to three named mutations to its files (``mutations.py``),
runs the real command line in child processes and judges what came out (``oracles.py``). Every
run is derived from ``(seed, kind, index)`` alone, so a failure is reproduced by its run id:

    python benchmarks/fuzz_long.py --replay check:7:123 --keep /tmp/repro

``tests/test_fuzz.py`` runs a bounded campaign in CI; ``benchmarks/fuzz_long.py`` a long one.
"""

from fuzzing.runner import (
    Campaign,
    Failure,
    RunId,
    RunResult,
    execute,
    format_failure,
    run_campaign,
)

__all__ = ["Campaign", "Failure", "RunId", "RunResult", "execute", "format_failure",
           "run_campaign"]
