"""THE door to a study (see facade.py): `from annotator.project import Project`."""

from ..storage.engine import display_location, location_without_password
from .facade import Project, ProjectInfo, ProjectSettings

__all__ = ["Project", "ProjectInfo", "ProjectSettings", "display_location", "location_without_password"]
