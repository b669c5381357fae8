"""notebase: a knowledge base for Korean and English research notes."""

__version__ = "0.1.0"
