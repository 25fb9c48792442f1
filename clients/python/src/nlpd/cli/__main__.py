"""python -m nlpd.cli: the same as nlpctl."""

import sys

from nlpd.cli.command_line import main

sys.exit(main())
