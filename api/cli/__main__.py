"""``python -m api.cli``: the ``hfkg`` command."""

import sys

from api.cli import main

sys.exit(main())
