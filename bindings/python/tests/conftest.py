# Shared fixtures: the source tree, the corpus, the esc tool (for parity checks).
import os
import pathlib
import shutil

import pytest

SOURCE = pathlib.Path(os.environ.get("ESC_SOURCE_DIR", pathlib.Path(__file__).resolve().parents[3]))
CORPUS = pathlib.Path(os.environ.get("ESC_CORPUS_DIR", SOURCE.parent / "shared" / "corpus"))


@pytest.fixture(scope="session")
def source_dir():
    return SOURCE


@pytest.fixture(scope="session")
def sisimai():
    d = CORPUS / "sisimai" / "emails" / "maildir"
    if not d.is_dir():
        pytest.skip(f"no corpus at {d}")
    return d


@pytest.fixture(scope="session")
def esc_tool():
    """The esc program: $ESC_TOOL, else build/release/esc, else on PATH. With ESC_REQUIRE_TOOL=1 (CI) a
    missing tool fails the parity tests instead of skipping them."""
    candidates = [os.environ.get("ESC_TOOL"), str(SOURCE / "build" / "release" / "esc"), shutil.which("esc")]
    for c in candidates:
        if c and os.access(c, os.X_OK):
            return c
    if os.environ.get("ESC_REQUIRE_TOOL") == "1":
        pytest.fail("the esc tool is required (ESC_TOOL) and was not found")
    pytest.skip("the esc tool is not built (set ESC_TOOL)")
