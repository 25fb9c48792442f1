"""``python -m nlpd`` runs nlpctl."""

import sys

from nlpd.cli import main

sys.exit(main())
