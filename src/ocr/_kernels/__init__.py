"""Compiled image kernels (Cython, sources in ``ext/``), one module per concern.

The kernel contract, the same for every function here:

- Inputs and outputs are uint8 typed memoryviews, C-contiguous (``[:, ::1]`` /
  ``[:, :, ::1]``: Cython requires the whole buffer contiguous, so the wrappers copy a
  strided input once). Read-only inputs are accepted.
- The caller allocates ``out`` with the right shape; kernels allocate only scratch
  memory, and a new array only for results whose size they discover (component boxes).
- Kernels do not validate: shapes, channel counts and value ranges are checked by the
  public wrappers in :mod:`ocr.preprocess` and :mod:`ocr.image`, which raise the
  user-facing errors. A kernel called with bad input is a bug in its caller.
- Pixel loops run without the GIL.
"""
