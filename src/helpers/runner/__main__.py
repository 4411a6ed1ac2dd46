"""``python -m helpers.runner``: see :mod:`helpers.runner`."""

from .cli import main

raise SystemExit(main())
