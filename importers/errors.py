"""The one error importers raise."""


class ImportFailure(Exception):
    """A source could not be imported; the message is one plain line for the user."""
