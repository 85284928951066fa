"""Which process renders a report, and whether it is still there.

A report is marked with ``host:pid:start`` (the process's start time in clock ticks since
boot, from /proc) while it renders, so a page that finds it "rendering" can tell at once
when that process died on this host, even when a reused pid runs something else now.
Elsewhere, or without /proc, only the time since the report last moved tells.
"""

from __future__ import annotations

import os
import socket
from functools import cache
from pathlib import Path


def _start_ticks(pid: int) -> str | None:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    # The command name (field 2) may hold spaces; the fields after it do not.
    return stat.rsplit(")", 1)[1].split()[19]


@cache
def process_token() -> str:
    """This process, as ``host:pid:start``."""
    pid = os.getpid()
    return f"{socket.gethostname()}:{pid}:{_start_ticks(pid) or '?'}"


def process_is_gone(token: str) -> bool:
    """True when ``token`` names a process of this host that is no longer running; False
    when it runs, or when this host cannot tell (another host, no /proc)."""
    parts = token.rsplit(":", 2)
    if len(parts) != 3 or not parts[1].isdigit() or parts[2] == "?":
        return False
    host, pid, start = parts
    if host != socket.gethostname() or not Path("/proc/self/stat").exists():
        return False
    return _start_ticks(int(pid)) != start
