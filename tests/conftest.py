from __future__ import annotations

import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BOOK = ROOT / "aigc-interview-book.md"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture
def book_copy(tmp_path: Path) -> Path:
    """Our book and its registry in a scratch folder, free to edit."""
    target = tmp_path / BOOK.name
    shutil.copy(BOOK, target)
    shutil.copy(BOOK.with_name(BOOK.stem + ".registry.yml"), tmp_path)
    return target
