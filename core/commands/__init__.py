"""The `detente` command line, one module per command family."""
