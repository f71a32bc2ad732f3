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
    check_budget(name, opts)
    return opts


# What a training step of each example costs at least, on a fast machine: (seconds of
# Python overhead per layer, samples per matrix product, passes per step, default sizes).
# Used only to refuse at once a run that cannot finish, never to slow one down.
_COST = {"sine": (10e-6, 100, 1, [1, 25, 1]), "xor": (10e-6, 4, 1, [2, 4, 1]),
         "nielsen": (15e-6, 1, 1348, [64, 30, 10]), "perceptron": (2e-6, 4, 1, [2, 1]),
         "net222": (5e-6, 1, 1, [2, 2, 2])}
_FLOPS = 5e9            # floating-point operations per second, a fast core
TIME_LIMIT = 3600.0     # seconds: a run estimated to take longer is refused


def check_budget(name: str, opts: dict) -> None:
    """Refuse, before anything is allocated, a run whose layers cannot fit in memory or whose
    steps cannot finish within :data:`TIME_LIMIT` even on a fast machine."""
    if name not in _COST or "steps" not in opts:
        return
    overhead, m, passes, default = _COST[name]
    sizes = opts.get("sizes", default)
    if not isinstance(sizes, (list, tuple)) or len(sizes) < 2 or not all(
            isinstance(n, numbers.Integral) and not isinstance(n, bool) and n >= 1
            for n in sizes):
        return          # the example refuses such sizes itself, with its own message
    params = sum(int(a) * int(b) + int(b) for a, b in zip(sizes[:-1], sizes[1:]))
    units = sum(int(n) for n in sizes)
    v.check_memory(f"the {name!r} example with sizes {list(sizes)}",
                   8.0 * (4 * params + 4 * units * m), "Use smaller --sizes.")
    per_step = passes * (overhead * (len(sizes) - 1) + 6.0 * params * m / _FLOPS)
    seconds = opts["steps"] * per_step
    if seconds > TIME_LIMIT:
        most = max(1, int(TIME_LIMIT / per_step))
        raise ValueError(f"steps={opts['steps']:,} would take at least {_duration(seconds)} "
                         f"on the {name!r} example with sizes {list(sizes)} (about "
                         f"{per_step * 1e6:.3g} microseconds per step on a fast machine), more "
                         f"than the limit of {_duration(TIME_LIMIT)}: use at most "
                         f"{most:,} steps, or smaller sizes.")


def _duration(seconds: float) -> str:
    for unit, size in (("years", 365.25 * 86400), ("days", 86400), ("hours", 3600),
                       ("minutes", 60)):
        if seconds >= size:
            amount = f"{seconds / size:.3g}"
            return f"{amount} {unit[:-1] if amount == '1' else unit}"
    return f"{seconds:.3g} seconds"


def summary(name, variant, seed, options, losses, error, result, **extra) -> dict:
    """The dict every ``run`` returns: example, variant, seed, options, then any ``extra``
    keys (recorded_every, ...), then losses, error and result."""
    return {"example": name, "variant": variant, "seed": seed, "options": options, **extra,
            "losses": losses, "error": error, "result": result}
