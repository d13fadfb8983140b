"""`python -m core` is the same as the `detente` command."""

from __future__ import annotations

from core.cli import main

raise SystemExit(main())
