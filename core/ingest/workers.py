"""Worker processes for the CPU-bound part of a refresh (core/ingest/read.py), and what happens
when one of them dies.

A worker that crashes (a segfault in a C parser, the OOM killer, os._exit) breaks the whole
`ProcessPoolExecutor`: every job in flight fails with BrokenProcessPool, not only the culprit's.
`WorkerPool` therefore replaces a broken pool at once for new work, and runs each job that the
crash took down once more in a quarantine: one spare worker process that takes these jobs one at
a time. An innocent feed is then read as usual, and the culprit crashes only the quarantine (which
is replaced) and is recorded as failed by the poller.
"""

from __future__ import annotations

import asyncio
import multiprocessing as mp
import multiprocessing.connection
import os
import threading
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any, TypeVar

from core.ingest.read import warm_up

T = TypeVar("T")


def exit_with_parent() -> None:
    """Run in every worker as it starts: end the worker as soon as the poller that spawned it
    is gone, even after `kill -9` (then nothing tells the pool's workers to stop, and they would
    wait for work forever). A spawned child holds the read end of a pipe whose write end only the
    parent holds (`multiprocessing.parent_process().sentinel`): it turns readable when the
    parent dies."""
    parent = mp.parent_process()
    if parent is None:
        return
    sentinel = parent.sentinel

    def watch() -> None:
        multiprocessing.connection.wait([sentinel])
        os._exit(1)

    threading.Thread(target=watch, name="exit-with-parent", daemon=True).start()


def _executor(processes: int) -> ProcessPoolExecutor:
    return ProcessPoolExecutor(
        processes, mp_context=mp.get_context("spawn"), initializer=exit_with_parent
    )


class WorkerPool:
    """`processes` spawned workers (spawned, not forked: the poller has threads)."""

    def __init__(self, processes: int) -> None:
        self.processes = processes
        self.generation = 0
        """How many times the pool was replaced after a crash."""
        self._pool = self._start()
        self._quarantine: ProcessPoolExecutor | None = None
        self._one_at_a_time = asyncio.Lock()

    def _start(self) -> ProcessPoolExecutor:
        pool = _executor(self.processes)
        for _ in range(self.processes):  # start the workers now, during the first fetches
            pool.submit(warm_up)
        return pool

    async def run(self, function: Callable[..., T], *args: Any) -> T:
        """`function(*args)` in a worker; after a crash, once more in the quarantine, alone."""
        loop = asyncio.get_running_loop()
        generation = self.generation
        try:
            return await loop.run_in_executor(self._pool, function, *args)
        except BrokenProcessPool:
            self._replace(generation)
        async with self._one_at_a_time:
            if self._quarantine is None:
                self._quarantine = _executor(1)
            try:
                return await loop.run_in_executor(self._quarantine, function, *args)
            except BrokenProcessPool:  # this job is the culprit: it fails, alone
                self._quarantine.shutdown(wait=False, cancel_futures=True)
                self._quarantine = None
                raise

    def _replace(self, generation: int) -> None:
        """A fresh pool for new work, once per crash (many jobs report the same one)."""
        if generation == self.generation:
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = self._start()
            self.generation += 1

    def shutdown(self) -> None:
        self._pool.shutdown(cancel_futures=True)
        if self._quarantine is not None:
            self._quarantine.shutdown(cancel_futures=True)


async def run_cpu(pool: WorkerPool | None, function: Callable[..., T], *args: Any) -> T:
    """In the worker processes when there are any, else in a thread of this process."""
    if pool is None:
        return await asyncio.get_running_loop().run_in_executor(None, function, *args)
    return await pool.run(function, *args)
