"""python -m ocr.training: the model-file command line (see ocr.training.cli)."""

from .cli import main

raise SystemExit(main())
