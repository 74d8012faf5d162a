"""Hypothesis profiles for the parity suite: `make parity PROFILE=dev|ci|nightly` (default: ci)."""

import functools
import gc
import os

import pytest
from hypothesis import HealthCheck, settings
from hypothesis.database import DirectoryBasedExampleDatabase
from hypothesis.internal.conjecture import providers

RECORDER = pytest.StashKey()
WORKER_RECORDER = "parity_recorder"  # the key of a worker's serialized recorder in xdist's workeroutput
# Test files whose tests of one entry must run on one pytest-xdist worker, in order: an entry's Hypothesis properties
# and the coverage ledger that counts what they drew (their parameter ids start with the entry's name).
GROUPED_PER_ENTRY = ("parity/tests/test_properties.py",)
# Test files that run whole on one worker: the papers' properties write reports/papers.md when their module ends.
GROUPED_WHOLE = ("parity/tests/test_papers.py",)

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

# Hypothesis (6.170) mixes into its draws (5% of choices) the literal numbers and short strings of every project
# module imported so far, so a derandomized profile drew other examples depending on which modules a worker had
# imported before a property ran (the same gate drew different DDIM error cases from run to run, and a test file run
# alone drew others than the whole gate). Without that pool, the draws depend on the strategies alone: the same
# examples every run, whatever runs first. (A private hook of the pinned Hypothesis; its absence is an error here.)
providers._get_local_constants = functools.partial(providers.Constants)


def pytest_collection_finish(session):
    """Move what collection left alive (torch, diffusers and MLX: millions of objects) out of the garbage
    collector's reach. Hypothesis and pytest run full collections a few times a session, and the automatic
    ones walk the same heap; measured, a full collection took 0.3 s before this and under a millisecond
    after, and the gate ran 4 s faster."""
    gc.freeze()


def pytest_configure(config):
    """One recorder for the whole session: every judgement of the gate lands there, and the summary reads it.
    A pytest-xdist worker also runs torch on one thread: two workers share this machine's two cores, and torch's
    own pool oversubscribed them (measured: the gate took 53 s of wall time with torch's default threads, 49 with
    one; torch's elementwise results do not depend on the thread count)."""
    if os.environ.get("PYTEST_XDIST_WORKER"):
        try:
            import torch
        except ImportError:  # the reference stack is not installed: nothing to pin
            pass
        else:
            torch.set_num_threads(1)
    try:
        from parity.record import Recorder, activate
    except ImportError:  # the parity extra is not installed: nothing will be measured
        return
    config.stash[RECORDER] = recorder = Recorder()
    activate(recorder)


def pytest_sessionfinish(session):
    """A pytest-xdist worker hands its recorder to the controller (merged in pytest_testnodedown)."""
    recorder = session.config.stash.get(RECORDER, None)
    if recorder is not None and hasattr(session.config, "workeroutput"):
        session.config.workeroutput[WORKER_RECORDER] = recorder.to_json()


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node, error):
    """On the pytest-xdist controller: merge each worker's recorder as it finishes, so the summary is the whole run's."""
    recorder = node.config.stash.get(RECORDER, None)
    output = getattr(node, "workeroutput", {}).get(WORKER_RECORDER)
    if recorder is not None and output is not None:
        from parity.record import Recorder

        recorder.merge(Recorder.from_json(output))


def entry_group(nodeid: str) -> str | None:
    """The worker group of a test: "<file>[<entry>]" for a test of GROUPED_PER_ENTRY, "<file>" for one of
    GROUPED_WHOLE, else None."""
    path, _, rest = nodeid.partition("::")
    if path in GROUPED_WHOLE:
        return path
    if path not in GROUPED_PER_ENTRY or "[" not in rest:
        return None
    return f"{path}[{rest.partition('[')[2].split('-')[0].rstrip(']')}]"


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config, log):
    """`--dist loadgroup`, as the gate needs it: each test is a unit of its own (as with --dist load), except the
    tests of GROUPED_PER_ENTRY, one unit per entry, run on one worker in order (largest units first: xdist's
    loadscope reordering). pytest-xdist's own xdist_group marks do not group on pytest 9 (they rename the test's
    `_nodeid`, which pytest 9 no longer reads: measured, marked tests ran on both workers), so the group is
    read from the test id here, on the controller, which never sees the marks."""
    if config.getvalue("dist") != "loadgroup":
        return None
    from xdist.scheduler import LoadScopeScheduling

    class EntryGroupScheduling(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            return entry_group(nodeid) or nodeid

    return EntryGroupScheduling(config, log)


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    """End `make parity` with the summary tables; write them to reports/ as JSON and Markdown."""
    recorder = config.stash.get(RECORDER, None)
    if recorder is None or hasattr(config, "workerinput"):
        return
    from parity.report import summary_markdown, surface_tables, throughput, write_reports

    by_section = write_reports(recorder)
    if by_section:
        terminalreporter.section("parity summary (reports/parity.md)")
        terminalreporter.write(summary_markdown(by_section))
    if recorder.surfaces:
        terminalreporter.section("API surface (reports/surface.md)")
        terminalreporter.write(surface_tables(recorder))
    for line in throughput(recorder):
        terminalreporter.write_line(line)
