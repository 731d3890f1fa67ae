"""Moved to `hub.formats` (one module per job); kept only so `hub/sync.py` still imports.

`hub/sync.py` is being split into `hub/sync/` on another branch; once that branch imports
`parse_directory` from `hub.formats.to_model` and `to_hsds3` from `hub.formats.hsds3`, delete
this file. Nothing else may import it.
"""

from hub.formats.hsds3 import to_hsds3
from hub.formats.to_model import parse_directory

__all__ = ["parse_directory", "to_hsds3"]
