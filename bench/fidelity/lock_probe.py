"""How CPython hands its interpreter lock to a thread that wants it while others compute.

Starts K threads that compute without end, then a probe thread, 60 times over, sleeps 30 ms
(giving the lock up), notes how long after the sleep it had the lock again, and computes 20 ms
of its own CPU time. Prints the quantiles of both waits for K = 1, 2 and 4. Taking turns (the
simulation's rule) gives the wake 5 to 10 ms with two threads computing, 15 to 20 with four,
and the 20 ms 50 and 100 ms; the README's fidelity section says what this machine measured.

    python3 bench/fidelity/lock_probe.py [K ...]
"""

import statistics
import sys
import threading
import time


def cpu_work(ms: float) -> None:
    """`ms` milliseconds of this thread's own CPU time, as the fidelity app computes."""
    end = time.thread_time() + ms / 1000
    while time.thread_time() < end:
        pass


def probe(k: int, tries: int = 60) -> tuple:
    stop = threading.Event()

    def hog() -> None:
        while not stop.is_set():
            cpu_work(1)

    hogs = [threading.Thread(target=hog) for _ in range(k)]
    for h in hogs:
        h.start()
    time.sleep(0.1)
    wakes, jobs = [], []
    for _ in range(tries):
        t0 = time.perf_counter()
        time.sleep(0.03)
        wakes.append((time.perf_counter() - t0 - 0.03) * 1000)
        t1 = time.perf_counter()
        cpu_work(20)
        jobs.append((time.perf_counter() - t1) * 1000)
    stop.set()
    for h in hogs:
        h.join()
    return wakes, jobs


def quantiles(xs: list) -> str:
    xs = sorted(xs)
    return (f"median {statistics.median(xs):.1f}, one in ten over {xs[int(0.9 * len(xs))]:.1f}, "
            f"max {xs[-1]:.1f} ms")


def main() -> int:
    try:
        ks = [int(a) for a in sys.argv[1:]] or [1, 2, 4]
    except ValueError:
        print("lock_probe: give the numbers of threads computing, such as 1 2 4", file=sys.stderr)
        return 2
    if any(k < 1 or k > 64 for k in ks):
        print("lock_probe: each number of threads is from 1 to 64", file=sys.stderr)
        return 2
    for k in ks:
        wakes, jobs = probe(k)
        print(f"{k} computing: the lock back after a sleep: {quantiles(wakes)}")
        print(f"{k} computing: 20 ms of CPU took: {quantiles(jobs)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
