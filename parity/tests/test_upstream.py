"""Fail loudly when an entry's installed reference is not the one the gate was validated against."""

from __future__ import annotations

from parity.upstream import drift_report


def test_reference_file_is_the_validated_one(entry):
    installed_file, installed_version = entry.installed_reference()
    report = drift_report(installed_file, installed_version, entry.UPSTREAM)
    assert report is None, report
