"""A portal that answers too slowly, too much, or a little that inflates to a lot: the client
gives up within its deadline and refuses pages over its limit, in words (exit 4 or 5)."""

from __future__ import annotations

import contextlib
import resource
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import Run
from espace_tui.portal.browser import EspaceCitoyensBrowser
from support.hostile_portal import account, assert_no_controls, assert_plain_failure, serve

EXTRA_ADDRESS_SPACE = 1 << 30


@contextlib.contextmanager
def address_space_guard(extra: int = EXTRA_ADDRESS_SPACE) -> Iterator[None]:
    """Cap this process's address space at what it uses now plus `extra` while the test runs,
    so that a client that inflates 1 GiB in memory fails with MemoryError instead of eating the
    shared machine's memory. Not an assertion: a capped client never comes near it."""
    status = Path("/proc/self/status")
    try:
        line = next(x for x in status.read_text().splitlines() if x.startswith("VmSize:"))
        used = int(line.split()[1]) * 1024
        soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    except (OSError, StopIteration, ValueError):
        yield
        return
    limit = used + extra
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    if soft != resource.RLIM_INFINITY and soft <= limit:
        yield
        return
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


def test_a_dripping_page_ends_at_the_deadline(
    run: Run, request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch
) -> None:
    portal = serve(request, monkeypatch, drip=True)
    started = time.monotonic()
    code, out, err = run(
        *account(portal),
        "invoices",
        portal_factory=lambda url: EspaceCitoyensBrowser(url, deadline=3.0),
    )
    elapsed = time.monotonic() - started
    assert code == 4, err
    assert elapsed < 30, f"{elapsed:.1f} s for a deadline of 3 s"
    assert_plain_failure(err)
    assert_no_controls(out, err)


def test_a_page_over_the_default_limit_is_refused(
    run: Run, request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch
) -> None:
    portal = serve(request, monkeypatch, big_page_mb=8)
    with address_space_guard():
        code, out, err = run(*account(portal), "invoices")
    assert code in (4, 5), err
    assert_plain_failure(err)
    assert_no_controls(out, err)


def test_a_page_over_a_given_limit_is_refused(
    run: Run, request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch
) -> None:
    portal = serve(request, monkeypatch, big_page_mb=2)
    code, out, err = run(
        *account(portal),
        "invoices",
        "--json",
        portal_factory=lambda url: EspaceCitoyensBrowser(url, max_page_bytes=1_000_000),
    )
    assert code in (4, 5), err
    assert out.strip() == ""
    assert_plain_failure(err)


def test_a_gzip_bomb_is_not_inflated_past_the_limit(
    run: Run, request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch
) -> None:
    portal = serve(request, monkeypatch, gzip_bomb=True)
    started = time.monotonic()
    with address_space_guard():
        code, out, err = run(*account(portal), "invoices")
    assert code in (4, 5), err
    assert time.monotonic() - started < 30
    assert_plain_failure(err)
    assert_no_controls(out, err)
