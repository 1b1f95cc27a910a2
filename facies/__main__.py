"""Run the command-line app as ``python -m facies``."""

import sys

from facies.cli import main

sys.exit(main())
