"""Margin's terminal UI and the ``margin`` command. No Textual import here: the CLI stays fast."""
