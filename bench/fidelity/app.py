"""The article's handler in its variants, as a real FastAPI app, for the fidelity benchmark.

Served by `uvicorn app:app --workers 1` on 127.0.0.1 (bench/fidelity/run.py starts and stops it).
I/O is a sleep: `asyncio.sleep` where the article awaits, `time.sleep` where it blocks. `validate`
is CPU work: a busy loop of VALIDATE_MS. The durations come from the environment, so the load
generator and the simulation read the same numbers:

    AL_VALIDATE_MS, AL_DB_MS, AL_EMAIL_MS, AL_DB_POOL (connections of the semaphore endpoint),
    AL_CPU_MS (the CPU work of the endpoints that compute on threads or in several workers)

`/probe` records the event loop's CPU time (time.thread_time) as each request reaches its handler,
and `/cpu` answers the loop's CPU time, so the generator can tell the framework's CPU before the
handler from the CPU after it, whatever else the machine runs; `/probe-times` hands the probe's
times over and forgets them.
"""

import asyncio
import os
import time

from fastapi import FastAPI
from pydantic import BaseModel
from starlette.concurrency import run_in_threadpool

VALIDATE_S = float(os.environ.get("AL_VALIDATE_MS", "2")) / 1000
DB_S = float(os.environ.get("AL_DB_MS", "50")) / 1000
EMAIL_S = float(os.environ.get("AL_EMAIL_MS", "200")) / 1000
DB_POOL = int(os.environ.get("AL_DB_POOL", "10"))
CPU_MS = float(os.environ.get("AL_CPU_MS", "20"))
PROBE_S = float(os.environ.get("AL_PROBE_MS", "500")) / 1000
TRACE = os.environ.get("AL_TRACE") == "1"

app = FastAPI()
db_pool = asyncio.Semaphore(DB_POOL)
probe_times: list[float] = []


class Student(BaseModel):
    name: str
    email: str


def validate(student: Student) -> None:
    if TRACE:
        probe_times.append(time.perf_counter())
    """CPU work: the thread keeps the interpreter for VALIDATE_S."""
    end = time.perf_counter() + VALIDATE_S
    while time.perf_counter() < end:
        pass


def cpu_work(ms: float) -> None:
    """CPU work of `ms` milliseconds of this thread's own CPU time (time.thread_time): while
    another thread holds the interpreter lock, it does not advance, as the simulation's
    cpu_work does not."""
    end = time.thread_time() + ms / 1000
    while time.thread_time() < end:
        pass


async def save_to_database(student: Student) -> None:
    await asyncio.sleep(DB_S)


async def save_with_pool(student: Student) -> None:
    async with db_pool:
        await asyncio.sleep(DB_S)


async def send_email(student: Student) -> None:
    await asyncio.sleep(EMAIL_S)


def smtp_send(student: Student) -> None:
    time.sleep(EMAIL_S)


def db_save(student: Student) -> None:
    time.sleep(DB_S)


def answer(student: Student) -> dict:
    return {"registered": student.name}


@app.post("/noop")
async def noop(student: Student):
    """No handler work: what a request costs the framework alone."""
    return answer(student)


@app.post("/noop-def")
def noop_def(student: Student):
    """No handler work in a `def` endpoint: the framework's cost with the hop to a pool thread
    and back."""
    return answer(student)


@app.post("/probe")
async def probe(student: Student):
    probe_times.append(time.thread_time())
    await asyncio.sleep(PROBE_S)
    return answer(student)


@app.get("/pid")
async def worker_pid():
    """Which worker process owns this connection (`uvicorn --workers N`)."""
    return os.getpid()


@app.get("/cpu")
async def loop_cpu():
    return time.thread_time()


@app.get("/probe-times")
async def take_probe_times():
    times = list(probe_times)
    probe_times.clear()
    return times


@app.post("/async")
async def register_async(student: Student):
    validate(student)
    await save_to_database(student)
    await send_email(student)
    return answer(student)


@app.post("/blocking-in-async")
async def register_blocking_in_async(student: Student):
    validate(student)
    await save_to_database(student)
    smtp_send(student)  # blocks the loop
    return answer(student)


@app.post("/def")
def register_def(student: Student):
    validate(student)
    db_save(student)
    smtp_send(student)
    return answer(student)


@app.post("/db-pool")
async def register_db_pool(student: Student):
    validate(student)
    await save_with_pool(student)
    await send_email(student)
    return answer(student)


@app.post("/run-in-threadpool")
async def register_run_in_threadpool(student: Student):
    validate(student)
    await save_to_database(student)
    await run_in_threadpool(smtp_send, student)
    return answer(student)


@app.post("/to-thread")
async def register_to_thread(student: Student):
    validate(student)
    await save_to_database(student)
    await asyncio.to_thread(smtp_send, student)
    return answer(student)


@app.post("/def-cpu")
def register_def_cpu(student: Student):
    cpu_work(CPU_MS)  # several threads share the interpreter lock
    smtp_send(student)
    return answer(student)


@app.post("/to-thread-cpu")
async def register_to_thread_cpu(student: Student):
    cpu_work(VALIDATE_S * 1000)  # validate, by CPU time: the threads take the lock from it
    await asyncio.to_thread(cpu_work, CPU_MS)  # CPU on a thread, beside the loop
    await send_email(student)
    return answer(student)


@app.post("/loop-cpu")
async def register_loop_cpu(student: Student):
    cpu_work(CPU_MS)  # on the loop: in several workers, they share the machine's cores
    await send_email(student)
    return answer(student)
