"""Partnerportal: the platform for municipal development partnerships."""

__version__ = "0.1.0"
