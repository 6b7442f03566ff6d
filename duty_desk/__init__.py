"""duty-desk 值班台: a terminal console for the duty desk."""

__version__ = "0.1.0"
