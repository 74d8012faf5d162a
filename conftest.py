"""Hypothesis profiles for the parity suite: `make parity PROFILE=dev|ci|nightly` (default: ci)."""

from hypothesis import HealthCheck, settings
from hypothesis.database import DirectoryBasedExampleDatabase

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


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    """End `make parity` with the summary table; write it to reports/ as JSON and Markdown."""
    try:
        from parity.report import markdown, write_reports
    except ImportError:  # the parity extra is not installed: nothing was measured
        return
    rows = write_reports()
    if rows:
        terminalreporter.section("parity summary (reports/parity.md)")
        terminalreporter.write(markdown(rows))
