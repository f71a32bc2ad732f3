"""What every example module shares: checking the variant, the seed and the options, and
the shape of the dict that ``run`` returns (the JSON of ``bplab run --json``)."""
from __future__ import annotations

import numbers

from bplab import _validation as v

VARIANTS = ("original", "fixed")


def check_variant(variant) -> str:
    if variant not in VARIANTS:
        raise ValueError(f"Unknown variant {variant!r}: variant must be 'original' or "
                         f"'fixed'.")
    return variant


def check_seed(seed, *, allow_none=False):
    if seed is None and allow_none:
        return None
    if isinstance(seed, bool) or not isinstance(seed, numbers.Integral) or seed < 0:
        raise ValueError(f"seed must be a non-negative integer; got {seed!r}.")
    return int(seed)


def merge_options(name: str, defaults: dict, options: dict, extra: dict | None = None) -> dict:
    """``defaults`` (the module's ``OPTIONS``) and ``extra`` (keyword options only Python
    callers use) overridden by ``options``; ``None`` means "the default". ``lr`` and
    ``steps`` are checked here, anything else by the module."""
    allowed = {**defaults, **(extra or {})}
    unknown = sorted(set(options) - set(allowed))
    if unknown:
        raise ValueError(f"unknown option(s) {unknown}: they do not apply to the {name!r} "
                         f"example, which takes {sorted(allowed)}.")
    opts = {**allowed, **{k: val for k, val in options.items() if val is not None}}
    if "lr" in defaults:
        opts["lr"] = v.positive_number("lr", opts["lr"])
    if "steps" in defaults:
        opts["steps"] = v.positive_int("steps", opts["steps"])
    return opts


def summary(name, variant, seed, options, losses, error, result, **extra) -> dict:
    """The dict every ``run`` returns: example, variant, seed, options, then any ``extra``
    keys (recorded_every, ...), then losses, error and result."""
    return {"example": name, "variant": variant, "seed": seed, "options": options, **extra,
            "losses": losses, "error": error, "result": result}
