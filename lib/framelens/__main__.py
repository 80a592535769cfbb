"""`python -m framelens ...`: the command line (see `framelens.tools.cli`)."""

import sys

from framelens.tools.cli import main

if __name__ == "__main__":
    sys.exit(main())
