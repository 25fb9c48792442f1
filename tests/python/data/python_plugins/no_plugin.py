"""Imports the base class but defines no plugin."""

from nlpd.plugin import Plugin

__all__ = ["Plugin"]
