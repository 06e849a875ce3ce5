"""``python -m kit …``: the same as the ``kit`` command (works where no script is on PATH)."""

import sys

from kit.cli import main

sys.exit(main())
