"""``bplab run EXAMPLE``: run a source document's example, original or fixed.

Exit codes: 0 when the run completes (an original that fails the way the document's code
would has completed: its failure is the result, in ``error``); 2 for usage errors (an unknown
example, an option the example does not take, a bad value, a run too large to fit in memory
or time); 1 if the example cannot be imported, if training diverges (a non-finite loss: the
learning rate is too large) or if the run fails otherwise. Errors are one line on stderr,
never a traceback.
"""
from __future__ import annotations

import argparse
import json
import math
import sys
import warnings

import numpy as np

from bplab.examples import EXAMPLES, get

_OPTION_FLAGS = {"sizes": "--sizes", "lr": "--lr", "steps": "--steps"}


def _sizes(text):
    try:
        sizes = [int(part) for part in text.split(",")]
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected comma-separated integers such as 1,25,10,1; got {text!r}") from None
    if len(sizes) < 2 or min(sizes) < 1:
        raise argparse.ArgumentTypeError(
            f"expected at least two positive layer sizes such as 1,25,1; got {text!r}")
    return sizes


def _seed(text):
    try:
        seed = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected a non-negative integer such as 0; got {text!r}") from None
    if seed < 0:
        raise argparse.ArgumentTypeError(
            f"expected a non-negative integer such as 0; got {text!r}")
    return seed


def configure(parser):
    parser.add_argument("example", choices=sorted(EXAMPLES), metavar="EXAMPLE",
                        help=f"one of {', '.join(sorted(EXAMPLES))}")
    parser.add_argument("--variant", choices=("original", "fixed"), default="fixed",
                        help="the document's code as written, or with its bugs fixed "
                             "(default: fixed)")
    parser.add_argument("--seed", type=_seed, default=0,
                        help="random seed, a non-negative integer (default: 0)")
    parser.add_argument("--sizes", type=_sizes, default=None,
                        help="layer sizes, input first, e.g. 1,25,10,1 (where it applies)")
    parser.add_argument("--lr", type=float, default=None,
                        help="learning rate (where it applies)")
    parser.add_argument("--steps", type=int, default=None,
                        help="training steps or epochs (where it applies)")
    parser.add_argument("--json", action="store_true",
                        help="print exactly one JSON object instead of a summary")
    return parser


def _usage_error(message) -> int:
    print(f"bplab run: error: {message}", file=sys.stderr)
    return 2


def _failure(message) -> int:
    print(f"bplab run: error: {message}", file=sys.stderr)
    return 1


def _diverged(module, options, where) -> int:
    default = getattr(module, "OPTIONS", {}).get("lr")
    lr = options.get("lr", default)
    if isinstance(lr, (int, float)) and isinstance(default, (int, float)):
        return _failure(f"training diverged: {where} became NaN or inf with lr={lr:g} (the "
                        f"example's default is {default:g}); use a smaller --lr.")
    return _failure(f"training diverged: {where} became NaN or inf.")


def _one_line(exc) -> str:
    return " ".join(str(exc).split())


def _non_finite(value, where="result"):
    """Where the first NaN or inf in a run's losses and result is (e.g. "losses[3]"), or None."""
    if isinstance(value, dict):
        items = value.items()
    elif isinstance(value, (list, tuple)):
        items = enumerate(value)
    elif hasattr(value, "tolist"):
        return _non_finite(value.tolist(), where)
    else:
        return where if isinstance(value, float) and not math.isfinite(value) else None
    for key, item in items:
        found = _non_finite(item, f"{where}[{key!r}]")
        if found:
            return found
    return None


def _plain(value):
    """JSON-ready: numpy scalars and arrays to Python, non-finite floats to None."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if hasattr(value, "tolist"):
        return _plain(value.tolist())
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def _short(value):
    if isinstance(value, float):
        return f"{value:.6g}"
    if isinstance(value, list):
        flat = all(isinstance(v, (int, float, bool)) or v is None for v in value)
        if flat and len(value) <= 8:
            return "[" + ", ".join(_short(v) for v in value) + "]"
        return f"<{'list' if flat else 'nested list'} of {len(value)}>"
    if isinstance(value, dict):
        return f"<{len(value)} entries: {', '.join(map(str, value))}>"
    return str(value)


def summary(out, module) -> str:
    """A few readable lines about one run's result dict."""
    lines = [f"{module.TITLE}", f"  source: {module.SOURCE}",
             f"example {out['example']}, variant {out['variant']}, seed {out.get('seed')}"]
    if out.get("options"):
        lines.append("options: " + ", ".join(f"{k}={_short(v)}"
                                             for k, v in out["options"].items()))
    losses = out.get("losses") or []
    every = out.get("recorded_every")
    if losses:
        lines.append(f"loss: {len(losses)} recorded (every {every}): first {losses[0]:.6g}, "
                     f"last {losses[-1]:.6g}")
    else:
        lines.append("loss: nothing recorded")
    error = out.get("error")
    if error:
        lines.append(f"FAILED, as the document's code does: {error['type']}: {error['message']}")
        for key in ("ledger", "where"):
            if error.get(key):
                lines.append(f"  {key}: {error[key]}")
    for key, value in (out.get("result") or {}).items():
        lines.append(f"  {key}: {_short(value)}")
    return "\n".join(lines)


def main(args) -> int:
    try:
        module = get(args.example)
    except ImportError as exc:
        print(f"bplab run: the {args.example!r} example could not be imported ({exc}).",
              file=sys.stderr)
        return 1
    options = {}
    for name, flag in _OPTION_FLAGS.items():
        value = getattr(args, name)
        if value is None:
            continue
        if name not in module.OPTIONS:
            takes = ", ".join(_OPTION_FLAGS[o] for o in module.OPTIONS) or "no options"
            return _usage_error(f"{flag} does not apply to the {args.example!r} example "
                                f"(it takes: {takes}).")
        options[name] = value
    try:
        # a diverging run overflows: that is detected below, not printed as numpy warnings
        with np.errstate(all="ignore"), warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            out = module.run(args.variant, seed=args.seed, **options)
    except ValueError as exc:
        if "lr" in options and ("non-finite" in str(exc) or "overflowed" in str(exc)):
            return _diverged(module, options, "the weights")   # the example's own check
        return _usage_error(_one_line(exc))
    except MemoryError as exc:
        return _failure(f"the run ran out of memory ({_one_line(exc) or 'MemoryError'}); use "
                        f"smaller --sizes or fewer --steps.")
    except Exception as exc:        # never a traceback: one line that says what happened
        return _failure(f"the {args.example!r} example failed: {type(exc).__name__}: "
                        f"{_one_line(exc)}")
    where = _non_finite({"losses": out.get("losses"), "result": out.get("result")}, "")
    if where is not None:
        return _diverged(module, options, where.replace("['", "", 1).replace("']", "", 1))
    if args.json:
        print(json.dumps(_plain(out), allow_nan=False))
    else:
        print(summary(out, module))
    return 0
