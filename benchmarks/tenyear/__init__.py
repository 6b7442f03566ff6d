"""A ten-year store and what the desk costs on it, each measure beside a
floor measured in the same run: ``python -m benchmarks.tenyear --help``.

Measurement only: nothing here is imported by the product or its tests."""
