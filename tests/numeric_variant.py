"""Run a command under a second floating-point environment: ``make test-portable``.

Usage: python -m tests.numeric_variant COMMAND [ARGS...]

The notebooks are stored with their outputs and nbval compares them digit for digit. Those
digits can depend on the processor: numpy dispatches its loops (``exp``, sums) to the widest
SIMD instructions the processor has, and OpenBLAS picks a matrix-product kernel per processor,
each with its own order of additions. A long training run amplifies such last-bit differences
into different printed digits, so a page that passes on one machine fails on another.

This wrapper runs COMMAND (e.g. nbval over ``book/``) with the other choice on this very
machine: numpy's optional SIMD targets switched off (``NPY_DISABLE_CPU_FEATURES``, only those
this processor has: numpy refuses to disable what it lacks) and OpenBLAS forced to an older
kernel (``OPENBLAS_CORETYPE``). A stored output that still matches is independent of those
choices; one that does not is an accident of the machine that executed it, and its cell must
print fewer digits, or assert its claim in code and be tagged ``nbval-ignore-output``.
"""
from __future__ import annotations

import os
import platform
import sys

# An older OpenBLAS kernel than this machine's own, for each architecture. Sandybridge (AVX,
# no FMA) runs on every x86-64 processor made since 2011; a kernel that the processor cannot
# run is never chosen, since OpenBLAS falls back when the forced type is unsupported.
_OLDER_KERNEL = {"x86_64": "Sandybridge", "AMD64": "Sandybridge", "aarch64": "ARMV8"}


def variant_environment(env=None) -> dict:
    env = dict(os.environ if env is None else env)
    from numpy._core._multiarray_umath import __cpu_dispatch__, __cpu_features__
    have = [name for name in __cpu_dispatch__ if __cpu_features__.get(name)]
    if have:
        env["NPY_DISABLE_CPU_FEATURES"] = " ".join(have)
    kernel = _OLDER_KERNEL.get(platform.machine())
    if kernel and env.get("OPENBLAS_CORETYPE", "").lower() != kernel.lower():
        env["OPENBLAS_CORETYPE"] = kernel
    return env


def main(argv) -> int:
    if not argv:
        print(__doc__)
        return 2
    env = variant_environment()
    shown = {k: env[k] for k in ("NPY_DISABLE_CPU_FEATURES", "OPENBLAS_CORETYPE") if k in env}
    print(f"numeric variant: {shown}", flush=True)
    os.execvpe(argv[0], argv, env)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
