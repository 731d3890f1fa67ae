"""One browser session's command under `hub serve`: ask the pre-loaded kiosk for a copy.

textual-serve runs a command per browser connection and talks to it over that command's
stdin, stdout and stderr. With a pre-loaded kiosk (`screens.preloaded_kiosk`) that
command is this small script, run as `python -I -S session_client.py SOCKET FOLDER --
WORDS...`: it hands its three pipes and its environment (textual-serve's TEXTUAL_DRIVER,
COLUMNS, ROWS and the rest) to the pre-loaded kiosk over a unix socket, which forks a
session that uses the pipes directly, then waits for that session's exit status and
exits with it. It is standard library only and imports almost nothing (no `site`, no
project code), so it starts in a few milliseconds and costs a few MB.

Closing the tab still ends the session: textual-serve's "quit" reaches the session
through the pipes themselves. If this script is killed instead, the pre-loaded kiosk
sees its connection close and stops the session.

When there is no pre-loaded kiosk to ask (it has not started yet, or it has died), the
script becomes the kiosk itself: it changes to FOLDER and runs WORDS (the whole kiosk
command, `python -m hub.cli ...`) in its own place, so a visitor is never left without
a screen. Nothing here reads or writes the hub's data.
"""

from __future__ import annotations

import os
import signal
import socket
import struct
import sys

HELLO = b"HUB-SESSION-1"
"""The first bytes of a request, so the kiosk turns away anything else."""
STARTED = b"S"
"""The kiosk's reply once the session's process exists (then its pid, 4 bytes)."""
ENDED = b"E"
"""The kiosk's reply when the session's process has ended (then its status, 4 bytes)."""


def _environment() -> bytes:
    """Return this process's environment as NUL-separated `NAME=value` bytes."""
    return b"\0".join(name + b"=" + value for name, value in os.environb.items())


def _read_exactly(connection: socket.socket, size: int) -> bytes | None:
    """Return the next `size` bytes, or None when the connection closed first."""
    data = b""
    while len(data) < size:
        try:
            more = connection.recv(size - len(data))
        except OSError:
            return None
        if not more:
            return None
        data += more
    return data


def _ask(path: str) -> socket.socket | None:
    """Return a connection on which a session has started, or None when none could be."""
    try:
        connection = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        connection.connect(path)
        environment = _environment()
        header = HELLO + struct.pack("!I", len(environment))
        socket.send_fds(connection, [header], [0, 1, 2])
        connection.sendall(environment)
    except OSError:
        return None
    reply = _read_exactly(connection, 5)
    if reply is None or reply[:1] != STARTED:
        connection.close()
        return None
    return connection


def _become_the_kiosk(folder: str, words: list[str]) -> None:
    """Run the kiosk command in this process's place (no pre-loaded kiosk to ask)."""
    os.chdir(folder)
    os.execv(words[0], words)


def _quiet_standard_streams() -> None:
    """Point stdin, stdout and stderr at /dev/null.

    The session's process has its own copies of the pipes; textual-serve sees the
    session end when the last copy of stdout closes, so this process must not keep one.
    """
    null = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(null, fd)
    os.close(null)


def main(argv: list[str]) -> int:
    """Start a session and return its exit status (or never return: become the kiosk)."""
    if len(argv) < 4 or argv[2] != "--":
        print("usage: session_client.py SOCKET FOLDER -- COMMAND...", file=sys.stderr)
        return 2
    path, folder, words = argv[0], argv[1], argv[3:]
    # Ctrl+C where `hub serve` runs reaches every process in its group, the session's
    # own included: the session decides what it means, as a kiosk started directly does.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    connection = _ask(path)
    if connection is None:
        _become_the_kiosk(folder, words)
        return 1  # only reached if exec failed, which raises first
    _quiet_standard_streams()
    reply = _read_exactly(connection, 5)
    if reply is None or reply[:1] != ENDED:
        return 1  # the pre-loaded kiosk went away; the session may go on by itself
    status: int = struct.unpack("!i", reply[1:])[0]
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
