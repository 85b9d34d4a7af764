"""The project's ``shared/`` folder (spec, source data), which lies beside a working checkout and
beside CI's clone, but not beside a bare clone of the public repository.

Tests that read it are marked ``@needs_shared("spec/seed-digest.md", ...)``: they run where the files
are and are skipped, with the reason, where they are not.
"""

from __future__ import annotations

from pathlib import Path

import pytest

SHARED_DIR = Path(__file__).resolve().parents[1].parent / "shared"


def needs_shared(*files: str) -> pytest.MarkDecorator:
    """Skip unless every one of ``files`` (paths relative to ``shared/``) is there."""
    missing = [f for f in files if not (SHARED_DIR / f).is_file()]
    return pytest.mark.skipif(
        bool(missing),
        reason=f"needs {', '.join(missing)} in {SHARED_DIR} (beside the checkout; absent in a bare clone)",
    )
