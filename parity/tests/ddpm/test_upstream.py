"""Fail loudly when the installed reference is not the one the DDPM gate was validated against."""

from __future__ import annotations

import diffusers

from parity.entries.ddpm import UPSTREAM, reference
from parity.upstream import drift_report


def test_reference_file_is_the_validated_one():
    report = drift_report(reference.reference_module.__file__, diffusers.__version__, UPSTREAM)
    assert report is None, report
