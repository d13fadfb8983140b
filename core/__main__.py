"""`python -m core` is the same as the `detente` command."""

from __future__ import annotations

from core.commands.main import main

raise SystemExit(main())
