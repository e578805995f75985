"""Running jobs together: the one rule for "run these concurrently" in every layer."""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Awaitable
from typing import TypeVar

from espace_tui.core.errors import EspaceError

T = TypeVar("T")


def first_error(group: BaseExceptionGroup[BaseException]) -> BaseException:
    """The first leaf of a task group's failure, preferring our own typed errors (they carry
    the words for the user; a cancellation or a stray error of the others does not)."""
    leaves: list[BaseException] = []

    def walk(error: BaseException) -> None:
        if isinstance(error, BaseExceptionGroup):
            for inner in error.exceptions:
                walk(inner)
        else:
            leaves.append(error)

    walk(group)
    return next((e for e in leaves if isinstance(e, EspaceError)), leaves[0])


async def gather_all(jobs: list[Awaitable[T]], *, at_once: int | None = None) -> list[T]:
    """Run the jobs together, results in their order; the first failure cancels the others and
    is raised as it is (an `EspaceError` rather than another kind), not as an exception group.
    How many requests are really in flight is the portal client's bound, not this one's.

    With `at_once`, only that many jobs are started at a time (each next one when one ends):
    ten thousand details need not be ten thousand tasks waiting for six places, each holding
    its frames (memory) and woken in turn (CPU)."""
    if at_once is None or at_once >= len(jobs):

        async def run(job: Awaitable[T]) -> T:
            return await job

        try:
            async with asyncio.TaskGroup() as group:
                tasks = [group.create_task(run(job)) for job in jobs]
        except BaseExceptionGroup as failure:
            raise first_error(failure) from None
        return [task.result() for task in tasks]

    results: list[T | None] = [None] * len(jobs)
    waiting = iter(enumerate(jobs))

    async def worker() -> None:
        for index, job in waiting:  # shared: each worker takes the next job not yet started
            results[index] = await job

    try:
        async with asyncio.TaskGroup() as group:
            for _worker in range(max(1, at_once)):
                group.create_task(worker())
    except BaseExceptionGroup as failure:
        for _index, job in waiting:  # never started: closed, so none is left un-awaited
            if inspect.iscoroutine(job):
                job.close()
        raise first_error(failure) from None
    return results  # type: ignore[return-value]  # every place was filled
