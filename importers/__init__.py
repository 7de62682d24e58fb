"""Importers turn sources (files, folders, URLs) into article drafts for the library."""

from .base import Importer, Source
from .errors import ImportFailure
from .runner import ImportReport, import_paths

__all__ = ["ImportFailure", "ImportReport", "Importer", "Source", "import_paths"]
