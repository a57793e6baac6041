"""The multipart form of an upload: one file in the field `data`.

A dataclass, not a bare `UploadFile` parameter: Litestar (2.25) picks the first file of any
field for a bare one, and a form without a file made it crash (StopIteration, a 500). With a
declared field, a missing or wrong field is an ordinary 400.
"""

from __future__ import annotations

from dataclasses import dataclass

from litestar.datastructures import UploadFile


@dataclass
class UploadForm:
    """multipart/form-data with the file in `data`."""

    data: UploadFile
