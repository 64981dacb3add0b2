"""zhenggai (整改): carry an inspection's findings through to verified, published rectification."""

__version__ = "0.1.0"
