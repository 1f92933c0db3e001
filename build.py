"""Build the demo site at the repository root: the same as `gxgk build .` (options pass through)."""

import sys
from pathlib import Path

from gxgk_site.cli import main

if __name__ == "__main__":
    sys.argv = ["gxgk", "build", str(Path(__file__).resolve().parent), *sys.argv[1:]]
    main()
