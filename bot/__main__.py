"""`python -m bot`: the command line (bot/cli/), which runs the bot unless told otherwise."""

import sys

from .cli import main

if __name__ == "__main__":
    sys.exit(main())
