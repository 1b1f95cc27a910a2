"""Subcommands of the ``facies`` command, one module each."""
