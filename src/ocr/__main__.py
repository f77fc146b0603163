"""python -m ocr: the command line (see ocr.cli)."""

from .cli import main

raise SystemExit(main())
