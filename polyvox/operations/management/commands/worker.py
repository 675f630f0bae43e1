"""`polyvox worker`: the background task worker, the record integrator and the clock (deadline
reminders, daily digests), in one command."""

import logging
import threading
import time
from argparse import ArgumentParser
from types import FrameType
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import InterfaceError, OperationalError, close_old_connections, connections
from django.utils.crypto import get_random_string
from django_tasks_db.management.commands.db_worker import Worker

from polyvox.operations.clock import run_clock

logger = logging.getLogger("polyvox.operations.worker")

# How long a failed database waits before the task worker tries again (a PostgreSQL restart).
RECONNECT_SECONDS = 2.0


class TaskWorker(Worker):
    """django-tasks-db's worker, whose first SIGTERM/SIGINT also stops the integrator."""

    def __init__(self, *, stop: threading.Event, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.stop = stop

    def shutdown(self, signum: int, frame: FrameType | None) -> None:
        self.stop.set()
        super().shutdown(signum, frame)


def run_integrator(stop: threading.Event, interval: float, batch_size: int | None) -> None:
    """The record integrator's loop, in its own thread (and its own database connection)."""
    logger.info("Record integrator started (a pass every %s s).", interval)
    try:
        from polyvox.record.services import integrate_forever

        batch = {} if batch_size is None else {"batch_size": batch_size}
        while not stop.is_set():
            try:
                integrate_forever(interval=interval, stop=stop, **batch)
            except Exception:  # never dies while the worker runs: the next pass retries
                logger.exception("Record integrator failed; restarting in %s s.", interval)
                connections.close_all()
                stop.wait(interval)
    finally:
        connections.close_all()
        logger.info("Record integrator stopped.")


class Command(BaseCommand):
    help = (
        "Run the background task worker (django-tasks' database queue) and the record "
        "integrator (pending entries into the Merkle tree, a signed checkpoint after each batch) "
        "in one process. SIGTERM or SIGINT stops both after the current task; kill -9 loses "
        "nothing (every step is a transaction, and a restart resumes where it stopped)."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--no-clock",
            action="store_true",
            help="do not send deadline reminders (hourly) and daily digests from this worker",
        )
        parser.add_argument(
            "--queue-name", default="default", help="task queues, comma-separated ('*': all)"
        )
        parser.add_argument(
            "--interval", type=float, default=1.0, help="seconds between polls of the task queue"
        )
        parser.add_argument(
            "--integrate-interval",
            type=float,
            default=None,
            help="seconds between integrator passes (default POLYVOX_RECORD_INTEGRATE_INTERVAL)",
        )
        parser.add_argument(
            "--batch-size",
            type=int,
            default=None,
            help="most entries one integrator transaction takes in per process",
        )
        parser.add_argument("--no-integrator", action="store_true", help="run the task worker only")

    def handle(self, *args: Any, **options: Any) -> None:
        self.configure_logging(options["verbosity"])
        stop = threading.Event()
        worker = TaskWorker(
            stop=stop,
            queue_names=options["queue_name"].split(","),
            interval=options["interval"],
            batch=False,
            backend_name="default",
            startup_delay=False,
            max_tasks=None,
            worker_id=get_random_string(32),
            excluded_queue_names=[],
        )
        integrator: threading.Thread | None = None
        if not options["no_integrator"]:
            interval = options["integrate_interval"]
            if interval is None:
                interval = settings.POLYVOX_RECORD_INTEGRATE_INTERVAL
            integrator = threading.Thread(
                target=run_integrator,
                args=(stop, interval, options["batch_size"]),
                name="record-integrator",
                daemon=True,
            )
            integrator.start()
        clock: threading.Thread | None = None
        if not options["no_clock"]:
            clock = threading.Thread(target=run_clock, args=(stop,), name="clock", daemon=True)
            clock.start()
        worker.configure_signals()
        try:
            run_tasks(worker, stop)
        finally:
            stop.set()
            if integrator is not None:
                integrator.join(timeout=30)
            if clock is not None:
                clock.join(timeout=30)
            connections.close_all()
            logger.info("Worker stopped.")

    def configure_logging(self, verbosity: int) -> None:
        level = logging.WARNING if verbosity == 0 else logging.INFO
        if verbosity > 1:
            level = logging.DEBUG
        for name in ("polyvox", "django_tasks", "django_tasks_db"):
            logging.getLogger(name).setLevel(level)


def run_tasks(worker: TaskWorker, stop: threading.Event) -> None:
    """The task loop; an unreachable database (a restart) is waited out, not fatal."""
    logger.info(
        "Task worker %s started (queues: %s).", worker.worker_id, ",".join(worker.queue_names)
    )
    while not stop.is_set():
        try:
            worker.run()
            return
        except (OperationalError, InterfaceError):
            logger.exception("Task worker lost the database; retrying in %s s.", RECONNECT_SECONDS)
            close_old_connections()
            connections.close_all()
            # A signal during the wait sets `stop` (and exits through SystemExit).
            time.sleep(RECONNECT_SECONDS)
