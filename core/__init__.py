"""Détente: a monitoring desk for news coverage of US–Russia relations."""

from __future__ import annotations

__version__ = "0.1.0"
