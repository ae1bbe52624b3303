"""equipid: identify military equipment and score who most likely fielded it.

The library in four names (docs/api.md)::

    engine = equipid.open_catalog()          # the bundled catalog, compiled and cached
    engine.lookup("АК-74М")                  # -> LookupResult
    engine.assess({"observed": ["MIB"]})     # -> Assessment
    engine.score(many_sightings)             # -> Iterator[Assessment], errors in place
"""

from equipid.api import Assessment, Engine, GroupShare, LookupResult, Ranked, open_catalog
from equipid.errors import CatalogError, EquipidError, InputError

__version__ = "0.1.0"

__all__ = [
    "Assessment",
    "CatalogError",
    "Engine",
    "EquipidError",
    "GroupShare",
    "InputError",
    "LookupResult",
    "Ranked",
    "__version__",
    "open_catalog",
]
