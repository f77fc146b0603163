"""The promises the repository makes about itself."""

from __future__ import annotations

import re
from importlib import resources

import ocr
from ocr._kernels import convert, resize

from shared_data import ROOT


def quickstart_commands() -> list[str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = readme.split("## Quickstart", 1)[1].split("```bash", 1)[1].split("```", 1)[0]
    return [re.sub(r"\s+#.*$", "", line).strip() for line in block.strip().splitlines()]


def test_readme_quickstart_is_two_commands_and_ci_runs_the_test_one():
    setup, test = quickstart_commands()
    assert setup == "./quickstart.sh"
    ci = [line.strip() for line in (ROOT / ".ci" / "run").read_text().splitlines()
          if line.strip() and not line.lstrip().startswith("#")]
    assert setup in ci
    assert ci[-1] == test  # exactly the README's test command, last


def test_kernels_are_compiled_and_typed():
    for module in (convert, resize):
        assert module.__file__.endswith((".so", ".pyd")), module.__file__
    package = resources.files(ocr)
    assert package.joinpath("py.typed").is_file()
    assert package.joinpath("_kernels", "convert.pyi").is_file()


def test_bundled_models_are_package_data():
    """pyproject's wheel.packages takes every file under src/ocr: the models too."""
    models = resources.files(ocr).joinpath("models")
    for name in ("eng.traineddata", "rus.traineddata", "MODELS.md"):
        assert models.joinpath(name).is_file(), name
