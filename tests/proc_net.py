"""What a process tree listens on, read from Linux's /proc, for tests that check a server
they started binds loopback only (tests/n8n_server.py). Standard library only."""

from __future__ import annotations

import ipaddress
import os
from contextlib import suppress
from pathlib import Path


def listening_sockets(root: int) -> set[tuple[str, int]]:
    """The (address, port) pairs that process ``root`` and its descendants listen on for
    TCP: each process's socket inodes (/proc/<pid>/fd) matched to the kernel's TCP tables
    (/proc/net/tcp and tcp6, state 0A is LISTEN). An IPv4-mapped IPv6 address is given as
    IPv4; a process that ends meanwhile is skipped."""
    inodes: set[str] = set()
    for pid in _process_tree(root):
        with suppress(OSError):
            for fd in Path(f"/proc/{pid}/fd").iterdir():
                with suppress(OSError):
                    target = os.readlink(fd)
                    if target.startswith("socket:["):
                        inodes.add(target[8:-1])
    found: set[tuple[str, int]] = set()
    for table in ("tcp", "tcp6"):
        for line in Path(f"/proc/net/{table}").read_text().splitlines()[1:]:
            fields = line.split()
            if fields[3] == "0A" and fields[9] in inodes:
                address, port = fields[1].split(":")
                found.add((_proc_address(address), int(port, 16)))
    return found


def _process_tree(root: int) -> list[int]:
    """``root`` and every process below it (Linux /proc)."""
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with suppress(OSError, ValueError, IndexError):
            fields = stat.read_text().rsplit(")", 1)[1].split()
            children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    found, pending = [], [root]
    while pending:
        pid = pending.pop()
        found.append(pid)
        pending.extend(children.get(pid, []))
    return found


def _proc_address(hex_address: str) -> str:
    """/proc/net/tcp's little-endian hex address as text: "0100007F" -> "127.0.0.1"."""
    raw = bytes.fromhex(hex_address)
    if len(raw) == 4:
        return str(ipaddress.IPv4Address(raw[::-1]))
    words = b"".join(raw[i : i + 4][::-1] for i in range(0, 16, 4))
    address = ipaddress.IPv6Address(words)
    return str(address.ipv4_mapped or address)
