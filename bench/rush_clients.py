"""Deadline rush: the load generator (aiohttp, closed loop) and the SMTP sink (aiosmtpd).

Each client is a signed-in participant who sends one submission after another through
`POST /api/v1/processes/{slug}/submissions`, each with a fresh Idempotency-Key; a tenth of the
submissions are sent twice at the same moment with the same key (a double click, a proxy retry).
A client behaves as a real one: on a 503, another 5xx or a broken connection it sends the same
request again with the same key, after Retry-After when the server gave one. A request that takes
more than 30 s is counted as a hang (and retried).

`python -m bench.rush_clients smtp PORT FILE` runs the sink: every message becomes one JSON line
(recipients and subject) in FILE.
"""

from __future__ import annotations

import asyncio
import json
import random
import sys
import time
import uuid
from dataclasses import dataclass, field
from typing import Any

HANG_SECONDS = 30.0
TWIN_SHARE = 0.1
DRAIN_SECONDS = 90.0  # after the deadline, in-flight submissions get this long to be answered


@dataclass
class Attempt:
    started: float
    seconds: float
    status: int  # HTTP status; 0: connection error; -1: hang (> HANG_SECONDS)


@dataclass
class Submission:
    """One logical submission (one Idempotency-Key) and what each of its senders was told."""

    key: str
    client: int
    twin: bool
    started: float
    attempts: list[Attempt] = field(default_factory=list)
    # tracking number each sender was finally acknowledged with (None: never acknowledged)
    answers: list[str | None] = field(default_factory=list)
    acked_at: float | None = None
    created: int = 0  # how many senders got 201 (must be 1 at most)


@dataclass
class LoadResult:
    started: float
    deadline: float
    finished: float
    submissions: list[Submission]


async def _send(
    http: Any,
    url: str,
    headers: dict[str, str],
    body: bytes,
    submission: Submission,
    stop_at: float,
) -> None:
    """One sender of a submission: retry with the same key until answered or the drain ends."""
    import aiohttp

    answer: str | None = None
    while answer is None and time.monotonic() < stop_at:
        started = time.monotonic()
        retry_after = 0.2
        try:
            async with http.post(
                url, data=body, headers=headers, timeout=aiohttp.ClientTimeout(total=HANG_SECONDS)
            ) as response:
                status = response.status
                text = await response.read()
                if status in (200, 201):
                    answer = json.loads(text)["tracking_number"]
                    submission.created += status == 201
                elif "Retry-After" in response.headers:
                    try:
                        retry_after = max(0.05, float(response.headers["Retry-After"]))
                    except ValueError:
                        retry_after = 1.0
                elif status < 500:
                    # A refusal (4xx) would be a bug of the benchmark or the server: stop retrying.
                    submission.attempts.append(Attempt(started, time.monotonic() - started, status))
                    submission.answers.append(None)
                    return
        except TimeoutError:
            status = -1
        except (aiohttp.ClientError, OSError):
            status = 0
        submission.attempts.append(Attempt(started, time.monotonic() - started, status))
        if answer is None:
            await asyncio.sleep(retry_after * (0.5 + random.random()))
    submission.answers.append(answer)
    if answer is not None and submission.acked_at is None:
        submission.acked_at = time.monotonic()


async def _client(
    http: Any,
    index: int,
    base: str,
    run: str,
    slug: str,
    cookies: dict[str, str],
    deadline: float,
    rng: random.Random,
    out: list[Submission],
) -> None:
    csrf = (
        uuid.uuid4().hex
    )  # a 32-character secret: cookie and header agree (Django's double submit)
    cookie = "; ".join([*(f"{k}={v}" for k, v in cookies.items()), f"csrftoken={csrf}"])
    url = f"{base}/api/v1/processes/{slug}/submissions"
    n = 0
    while time.monotonic() < deadline:
        n += 1
        key = f"{run}-{index}-{n}-{uuid.uuid4().hex[:8]}"
        headers = {
            "Cookie": cookie,
            "X-CSRFToken": csrf,
            "Idempotency-Key": key,
            "Content-Type": "application/json",
            "Referer": base + "/",
        }
        body = json.dumps(
            {
                "title": f"Input {n} of participant {index}",
                "text": f"Submission key={key}. Keep the internet open, interoperable and "
                "secure; fund community networks so that rural areas connect on their own terms.",
            }
        ).encode()
        twin = rng.random() < TWIN_SHARE
        submission = Submission(key=key, client=index, twin=twin, started=time.monotonic())
        out.append(submission)
        stop_at = deadline + DRAIN_SECONDS
        senders = 2 if twin else 1
        await asyncio.gather(
            *(_send(http, url, headers, body, submission, stop_at) for _ in range(senders))
        )


async def _drive(
    base: str,
    slug: str,
    run: str,
    sessions: list[dict[str, Any]],
    session_cookie: str,
    seconds: float,
    seed: int,
) -> LoadResult:
    import aiohttp

    connector = aiohttp.TCPConnector(limit=0, force_close=False)
    out: list[Submission] = []
    async with aiohttp.ClientSession(
        connector=connector, cookie_jar=aiohttp.DummyCookieJar()
    ) as http:
        started = time.monotonic()
        deadline = started + seconds
        await asyncio.gather(
            *(
                _client(
                    http,
                    i,
                    base,
                    run,
                    slug,
                    {session_cookie: s["session"]},
                    deadline,
                    random.Random(seed * 100_003 + i),
                    out,
                )
                for i, s in enumerate(sessions)
            )
        )
        finished = time.monotonic()
    return LoadResult(started, deadline, finished, out)


def drive(
    base: str,
    slug: str,
    run: str,
    sessions: list[dict[str, Any]],
    session_cookie: str,
    seconds: float,
    seed: int = 0,
) -> LoadResult:
    """Run the clients until `seconds` have passed and every submission in flight is answered."""
    return asyncio.run(_drive(base, slug, run, sessions, session_cookie, seconds, seed))


async def _warm(url: str, concurrency: int, rounds: int) -> list[float]:
    import aiohttp

    slowest: list[float] = []
    async with aiohttp.ClientSession(cookie_jar=aiohttp.DummyCookieJar()) as http:

        async def one() -> float:
            started = time.monotonic()
            try:
                async with http.get(url, timeout=aiohttp.ClientTimeout(total=120)) as response:
                    await response.read()
            except (aiohttp.ClientError, OSError, TimeoutError):
                pass
            return time.monotonic() - started

        for _ in range(rounds):
            slowest.append(max(await asyncio.gather(*(one() for _ in range(concurrency)))))
            if slowest[-1] < 1.0:
                break
    return slowest


def warm(url: str, concurrency: int, rounds: int = 10) -> list[float]:
    """Rounds of `concurrency` simultaneous GETs until every one is answered within a second:
    each web worker has imported the URLconf (seconds, on its first request) before the rush, as
    a server that has been up for a while would have."""
    return asyncio.run(_warm(url, concurrency, rounds))


def smtp_sink(port: int, path: str) -> int:
    """A real SMTP server on loopback; one JSON line per message. Runs until killed."""
    import email
    import signal
    from email.header import decode_header, make_header

    from aiosmtpd.controller import Controller

    handle = open(path, "a", encoding="utf-8")  # noqa: SIM115 (lives as long as the process)

    class Sink:
        async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
            message = email.message_from_bytes(envelope.content)
            subject = str(make_header(decode_header(message.get("Subject", ""))))
            handle.write(json.dumps({"to": envelope.rcpt_tos, "subject": subject}) + "\n")
            handle.flush()
            return "250 OK"

    controller = Controller(Sink(), hostname="127.0.0.1", port=port)
    controller.start()
    print("ready", flush=True)
    signal.sigwait({signal.SIGTERM, signal.SIGINT})
    controller.stop()
    return 0


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "smtp":
        import signal as _signal

        _signal.pthread_sigmask(_signal.SIG_BLOCK, {_signal.SIGTERM, _signal.SIGINT})
        sys.exit(smtp_sink(int(sys.argv[2]), sys.argv[3]))
    sys.exit("usage: python -m bench.rush_clients smtp PORT FILE")
