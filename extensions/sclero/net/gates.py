"""Per-host rate gates: at most so many requests at once, so many starts per second."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, replace

# Requests leave 5% further apart than the rate allows: connection set-up and thread
# scheduling (a build busy writing pages holds the GIL) jitter by tens of milliseconds, and
# the host must never see rate + 1 requests inside one second of its own clock.
SPACING_MARGIN = 1.05


@dataclass(frozen=True)
class HostProfile:
    """How hard one host may be asked: requests per second and requests at once."""

    rate: float = 1.0
    concurrency: int = 2


class HostGate:
    """One host's gate: at most ``concurrency`` requests at once, ``rate`` starts per second."""

    def __init__(self, profile: HostProfile) -> None:
        """The first request may start at once."""
        self.profile = profile
        self.slots = threading.Semaphore(profile.concurrency)
        self.lock = threading.Lock()
        self.next_start = 0.0

    def wait_turn(
        self, clock: Callable[[], float], sleep: Callable[[float], None], deadline: float
    ) -> bool:
        """Wait until ``1/rate`` after this host's last *actual* start; False at the deadline.

        Spacing planned start times is not enough: a request delayed in the client would
        then leave right before the next one, and the host would see a burst.
        """
        while True:
            with self.lock:
                now = clock()
                ready = self.next_start
                if now >= ready:
                    self.next_start = now + SPACING_MARGIN / self.profile.rate
                    return True
            if ready >= deadline:
                return False
            sleep(ready - now)

    def slow_to(self, rate: float) -> None:
        """A rate the host announces (its response headers): kept when below the profile's.

        Never faster than the profile, which holds the host's published limits.
        """
        with self.lock:
            if 0 < rate < self.profile.rate:
                self.profile = replace(self.profile, rate=rate)

    def back_off_until(self, when: float) -> None:
        """A Retry-After moves every later request to this host."""
        with self.lock:
            self.next_start = max(self.next_start, when)


class Gates:
    """Every host's gate, made on first use from its profile (or the default one)."""

    def __init__(self, profiles: dict[str, HostProfile], default: HostProfile) -> None:
        """No gate exists until a host is first asked."""
        self._profiles = profiles
        self._default = default
        self._gates: dict[str, HostGate] = {}
        self._lock = threading.Lock()

    def __call__(self, host: str) -> HostGate:
        """The gate of ``host``."""
        with self._lock:
            if host not in self._gates:
                self._gates[host] = HostGate(self._profiles.get(host, self._default))
            return self._gates[host]
