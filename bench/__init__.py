"""bplab's benchmark (``make bench``): bplab against the peers of issue 7, as ratios.

Not part of the test suite. See bench/README.md.
"""
