"""Running jobs together: the one rule for "run these concurrently" in every layer."""

from __future__ import annotations

import asyncio
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


async def gather_all(jobs: list[Awaitable[T]]) -> list[T]:
    """Run the jobs together, results in their order; the first failure cancels the others and
    is raised as it is (an `EspaceError` rather than another kind), not as an exception group.
    How many requests are really in flight is the portal client's bound, not this one's."""

    async def run(job: Awaitable[T]) -> T:
        return await job

    try:
        async with asyncio.TaskGroup() as group:
            tasks = [group.create_task(run(job)) for job in jobs]
    except BaseExceptionGroup as failure:
        raise first_error(failure) from None
    return [task.result() for task in tasks]
