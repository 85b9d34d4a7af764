"""Files the commands write: whole or not at all."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def write_atomically(path: Path, text: str, option: str = "--out") -> None:
    """Write ``text`` to ``path`` via a temporary file in the same folder, then rename it, so a
    reader never sees half a file and a failure leaves nothing behind.

    Raises:
        ValueError: the folder does not exist (naming ``option``).
        OSError: the file cannot be written.
    """
    directory = path.resolve().parent
    if not directory.is_dir():
        raise ValueError(f"{option}: folder does not exist: {directory}")
    handle, temporary = tempfile.mkstemp(dir=directory, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as stream:
            stream.write(text)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
