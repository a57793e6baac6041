"""`python -m kanta_docs` runs the command line."""

import sys

from kanta_docs.cli import main

sys.exit(main())
