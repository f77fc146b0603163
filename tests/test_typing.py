"""mypy --strict on the package, and the kernel stubs against the compiled modules."""

from __future__ import annotations

import subprocess
import sys

from shared_data import ROOT

KERNELS = ["ocr._kernels.convert", "ocr._kernels.resize", "ocr._kernels.threshold",
           "ocr._kernels.blocks", "ocr._kernels.components", "ocr._kernels.rotate",
           "ocr._kernels.profiles"]


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", *args], capture_output=True, text=True, cwd=ROOT)


def test_mypy_strict_on_the_package():
    result = run("mypy", "--strict", "--no-incremental", str(ROOT / "src" / "ocr"))
    assert result.returncode == 0, result.stdout + result.stderr


def test_kernel_stubs_match_the_compiled_modules():
    result = run("mypy.stubtest", *KERNELS)
    assert result.returncode == 0, result.stdout + result.stderr


def test_every_kernel_module_has_a_stub():
    cmake = (ROOT / "CMakeLists.txt").read_text()
    listed = cmake.split("set(OCR_KERNELS", 1)[1].split(")", 1)[0].split()
    assert sorted(f"ocr._kernels.{name}" for name in listed) == sorted(KERNELS)
    for name in listed:
        assert (ROOT / "ext" / f"{name}.pyx").is_file()
        assert (ROOT / "src" / "ocr" / "_kernels" / f"{name}.pyi").is_file()
