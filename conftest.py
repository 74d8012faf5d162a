"""Hypothesis profiles for the parity suite: `make parity PROFILE=dev|ci|nightly` (default: ci)."""

import gc

import pytest
from hypothesis import HealthCheck, settings
from hypothesis.database import DirectoryBasedExampleDatabase

RECORDER = pytest.StashKey()

# dev: quick local iteration.
settings.register_profile("dev", max_examples=20, deadline=None)
# ci: the gate. Derandomized (the same examples every run), no deadline, failures print a reproduction blob.
settings.register_profile(
    "ci", derandomize=True, deadline=None, print_blob=True, database=None, suppress_health_check=[HealthCheck.too_slow]
)
# nightly: many random examples, remembered across runs so a failure found once is retried first.
settings.register_profile(
    "nightly",
    max_examples=2000,
    deadline=None,
    print_blob=True,
    database=DirectoryBasedExampleDatabase(".hypothesis/examples"),
    suppress_health_check=[HealthCheck.too_slow],
)
settings.load_profile("ci")


def pytest_collection_finish(session):
    """Move what collection left alive (torch, diffusers and MLX: millions of objects) out of the garbage
    collector's reach. Hypothesis and pytest run full collections a few times a session, and the automatic
    ones walk the same heap; measured, a full collection took 0.3 s before this and under a millisecond
    after, and the gate ran 4 s faster."""
    gc.freeze()


def pytest_configure(config):
    """One recorder for the whole session: every judgement of the gate lands there, and the summary reads it."""
    try:
        from parity.record import Recorder, activate
    except ImportError:  # the parity extra is not installed: nothing will be measured
        return
    config.stash[RECORDER] = recorder = Recorder()
    activate(recorder)


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    """End `make parity` with the summary table; write it to reports/ as JSON and Markdown."""
    recorder = config.stash.get(RECORDER, None)
    if recorder is None:
        return
    from parity.report import markdown, surface_table, throughput, write_reports

    rows = write_reports(recorder)
    if rows:
        terminalreporter.section("parity summary (reports/parity.md)")
        terminalreporter.write(markdown(rows))
        terminalreporter.section("API surface (reports/surface.md)")
        terminalreporter.write(surface_table())
    if line := throughput(recorder):
        terminalreporter.write_line(line)


def pytest_runtest_logreport(report):
    """Time the Hypothesis properties, for the throughput line of the summary."""
    if report.when == "call" and report.nodeid.startswith("parity/tests/test_properties.py"):
        from parity.record import active

        active().property_seconds.append(report.duration)
