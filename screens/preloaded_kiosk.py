"""A kiosk loaded once that forks one copy per browser session of `hub serve`.

Why: textual-serve starts a whole process per browser connection. Started from scratch,
each one imports Textual, Rich, pydantic, Babel and the hub (about 60 MB and a second or
more of CPU) before it draws Home. This process does all of that once; each session is a
`fork` of it, sharing those pages with every other session (copy-on-write), so a session
costs only what it changes.

How:

* `hub serve` starts it (`PreloadedKiosk.start`) with the kiosk's words (`--data-dir`,
  `--browser-session`, `--language`). It imports the kiosk, fills the caches that hold
  only bundled data (needs, vocabulary, crisis phrases, translations), then
  `gc.collect()` and `gc.freeze()` so the collector never writes to the shared pages,
  and only then listens on a unix socket in a private (0700) folder of `hub serve`'s.
* Each browser connection's command is `screens/session_client.py`, which sends its
  stdin, stdout and stderr (SCM_RIGHTS) and its environment. The request comes from
  this user only (checked with SO_PEERCRED). A forked child puts the pipes on 0, 1 and
  2, takes that environment, closes everything else it inherited (the listening socket,
  other sessions' connections) and runs `hub.cli.main` with the kiosk's words, as a
  directly started session would. Textual's constants are read again from the new
  environment (textual-serve sets the driver and sizes there).
* Nothing per-session exists before the fork: this process opens no data folder, starts
  no thread and no event loop, so each session opens its own SQLite connections and
  locks, starts its own threads, and (Python reseeds `random` after a fork) its own
  random state. One visitor's session never sees another's.
* When a session ends, its exit status goes back to its client, which exits with it.
  When a client goes away first (killed), its session is asked to stop (SIGTERM, which
  the kiosk handles cleanly) and killed a few seconds later if it has not.
* It ends when `hub serve` does: its stdin is a pipe from `hub serve`, closed when that
  process exits however it exits. Sessions still running then carry on until their tab
  closes; they hold their own pipes.

If this process is missing or dies, each client runs the kiosk itself (slower, more
memory, same screen), and `hub serve`, which looks every WATCH_SECONDS, starts a new one
(less and less often if each new one stops soon after starting).

Why one module of about 500 lines: the server that forks sessions and `hub serve`'s handle
on it (`PreloadedKiosk`) share the socket's folder, the request's format and the start-up
words; kept together, the two ends of that protocol change together.
"""

from __future__ import annotations

import contextlib
import datetime
import gc
import importlib
import os
import selectors
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path

from screens import session_client

SOCKET_NAME = "kiosk.sock"
STOP_GRACE_SECONDS = 5.0
"""How long a session whose client went away has to stop before it is killed."""
WATCH_SECONDS = 2.0
"""How often `hub serve` looks whether the pre-loaded kiosk is still there, and the first
wait before starting one again after it stopped."""
MAX_RESTART_SECONDS = 300.0
"""The longest wait between starts of a pre-loaded kiosk that keeps stopping."""
SHORT_LIFE_SECONDS = 60.0
"""A pre-loaded kiosk that stops within this long of its start doubles the next wait."""
REQUEST_SECONDS = 5.0
"""How long a client has to send its whole request."""
MAX_ENVIRONMENT_BYTES = 1024 * 1024
CLIENT_SCRIPT = Path(session_client.__file__).resolve()
SERVE_ENVIRONMENT = {
    # What textual-serve 1.1.3 sets for every session (AppService._build_environment),
    # set here too so Textual's constants are already right at import; each session
    # still reads them again from its own environment.
    "TEXTUAL_DRIVER": "textual.drivers.web_driver:WebDriver",
    "TEXTUAL_FPS": "60",
    "TEXTUAL_COLOR_SYSTEM": "truecolor",
    "TERM_PROGRAM": "textual",
}


@dataclass
class _Session:
    """A running session: its client's connection and when to kill it, once asked to stop."""

    connection: socket.socket
    kill_at: float | None = None


@dataclass
class _Zygote:
    """What the serving loop holds; every bit of it is closed in a session's child."""

    listener: socket.socket
    wake_reader: socket.socket
    wake_writer: socket.socket
    selector: selectors.BaseSelector
    words: list[str]
    sessions: dict[int, _Session] = field(default_factory=dict)

    def close_all(self) -> None:
        """Close every file this loop holds (in a child: none of it is the session's)."""
        self.selector.close()
        self.listener.close()
        self.wake_reader.close()
        self.wake_writer.close()
        for session in self.sessions.values():
            session.connection.close()


# --------------------------------------------------------------------------- preloading


LATER_IMPORTS = (
    # What a session imports after Home is up (found with `python -X importtime`): the
    # first scroll bar, the layouts, the search worker's thread pool, Babel's dates.
    "textual.scrollbar",
    "textual.layouts.factory",
    "textual.layouts.horizontal",
    "textual.layouts.stream",
    "textual.pilot",
    "textual.drivers.headless_driver",
    "concurrent.futures.thread",
    "queue",
    "babel.dates",
    "babel.numbers",
    "babel.lists",
    "babel.localtime",
)


def preload() -> None:
    """Import the kiosk and fill the caches that hold only bundled data.

    Nothing here opens the data folder, starts a thread or an event loop: all of that
    must be a session's own, made after the fork.
    """
    for name, value in SERVE_ENVIRONMENT.items():
        os.environ.setdefault(name, value)
    import textual.drivers.web_driver  # noqa: F401  (the driver textual-serve asks for)

    import hub.cli  # noqa: F401  (the kiosk's start: argument parsing, the folder)
    import screens.app  # noqa: F401  (the whole UI)

    for name in LATER_IMPORTS:
        importlib.import_module(name)
    _warm_bundled_data()
    gc.freeze()


def _warm_bundled_data() -> None:
    """Read the bundled data every session reads the same way, once for them all.

    The needs, the crisis phrases (and their stemmed words), the glossary, each offered
    language's catalogue and Babel's data for it: all read-only once loaded, and none of
    it from the data folder.
    """
    from hub import crisis, glossary, i18n, needs, schedule

    needs.tile_needs()
    needs.more_needs()
    crisis.crisis_kinds("somewhere to stay and food for the children")
    glossary.load_glossary()
    in_use = i18n.current_catalogue()
    today = datetime.date.today()
    for code in i18n.offered_languages():
        i18n.use_language([code])
        schedule.format_time(datetime.time(14, 30))
        schedule.format_day(today)
    i18n.use_catalogue(in_use)


# --------------------------------------------------------------------------- a session


def _run_session(
    zygote: _Zygote, request: socket.socket, fds: list[int], environment: dict[str, str]
) -> int:
    """Become one browser session (in the forked child) and return its exit status."""
    signal.set_wakeup_fd(-1)
    for number in (signal.SIGCHLD, signal.SIGTERM, signal.SIGHUP):
        signal.signal(number, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.default_int_handler)
    zygote.close_all()
    request.close()
    gc.enable()
    for target, fd in enumerate(fds):
        os.dup2(fd, target)  # dup2 clears close-on-exec: the session's 0, 1, 2
    for fd in set(fds) - {0, 1, 2}:
        os.close(fd)
    os.environ.clear()
    os.environ.update(environment)
    import textual.constants

    importlib.reload(textual.constants)  # read from this session's environment
    import hub.cli

    sys.argv = ["hub", *zygote.words]
    return hub.cli.main(zygote.words)


def _fork_session(
    zygote: _Zygote, request: socket.socket, fds: list[int], environment: dict[str, str]
) -> int:
    """Fork a session on the client's pipes; return its pid (in this process)."""
    sys.stdout.flush()
    sys.stderr.flush()
    pid = os.fork()
    if pid == 0:
        status = 1
        try:
            status = _run_session(zygote, request, fds, environment)
        except SystemExit as exc:
            status = exc.code if isinstance(exc.code, int) else 1
        except BaseException:
            traceback.print_exc()
        finally:
            with contextlib.suppress(Exception):
                sys.stdout.flush()
                sys.stderr.flush()
            os._exit(status)
    return pid


# --------------------------------------------------------------------------- requests


def _read_exactly(connection: socket.socket, size: int) -> bytes:
    """Return exactly `size` bytes; raise OSError when the client stops short."""
    data = b""
    while len(data) < size:
        more = connection.recv(size - len(data))
        if not more:
            raise OSError("the client closed its connection mid-request")
        data += more
    return data


def _environment(data: bytes) -> dict[str, str]:
    """Return the environment the client sent as NUL-separated `NAME=value` bytes."""
    found: dict[str, str] = {}
    for item in data.split(b"\0"):
        name, equals, value = item.partition(b"=")
        if equals and name:
            found[os.fsdecode(name)] = os.fsdecode(value)
    return found


def _same_user(connection: socket.socket) -> bool:
    """Return True when the process at the other end runs as this process's user."""
    credentials = connection.getsockopt(
        socket.SOL_SOCKET, socket.SO_PEERCRED, struct.calcsize("3i")
    )
    uid: int = struct.unpack("3i", credentials)[1]
    return uid == os.getuid()


def _take_request(zygote: _Zygote, connection: socket.socket) -> None:
    """Read one client's request and start its session, or turn it away."""
    fds: list[int] = []
    try:
        connection.settimeout(REQUEST_SECONDS)
        if not _same_user(connection):
            raise OSError("a request from another user")
        header_size = len(session_client.HELLO) + 4
        header, fds, _flags, _address = socket.recv_fds(connection, header_size, 3)
        header += _read_exactly(connection, header_size - len(header))
        if not header.startswith(session_client.HELLO) or len(fds) != 3:
            raise OSError("not a session request")
        (size,) = struct.unpack("!I", header[len(session_client.HELLO) :])
        if size > MAX_ENVIRONMENT_BYTES:
            raise OSError("an environment too large to be real")
        environment = _environment(_read_exactly(connection, size))
        pid = _fork_session(zygote, connection, fds, environment)
        connection.sendall(session_client.STARTED + struct.pack("!i", pid))
    except OSError:
        connection.close()
        return
    finally:
        for fd in fds:
            os.close(fd)  # the session has its own copies now
    connection.setblocking(False)
    zygote.sessions[pid] = _Session(connection)
    zygote.selector.register(connection, selectors.EVENT_READ, pid)


def _client_gone(zygote: _Zygote, pid: int) -> None:
    """Ask a session whose client went away to stop (killed later if it does not)."""
    session = zygote.sessions.get(pid)
    if session is None or session.kill_at is not None:
        return
    zygote.selector.unregister(session.connection)
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGTERM)
    session.kill_at = time.monotonic() + STOP_GRACE_SECONDS


def _reap(zygote: _Zygote) -> None:
    """Collect ended sessions and tell each one's client its exit status."""
    while True:
        try:
            pid, wait_status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return
        status = os.waitstatus_to_exitcode(wait_status)
        if status < 0:
            status = 128 - status  # stopped by signal N: 128 + N, as a shell says
        session = zygote.sessions.pop(pid, None)
        if session is None:
            continue
        if session.kill_at is None:
            zygote.selector.unregister(session.connection)
            with contextlib.suppress(OSError):
                session.connection.setblocking(True)
                session.connection.sendall(session_client.ENDED + struct.pack("!i", status))
        session.connection.close()


def _kill_overdue(zygote: _Zygote) -> None:
    """Kill sessions that were asked to stop and have not."""
    now = time.monotonic()
    for pid, session in zygote.sessions.items():
        if session.kill_at is not None and session.kill_at <= now:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
            session.kill_at = now + STOP_GRACE_SECONDS  # reaped long before then


# --------------------------------------------------------------------------- serving


def _listen(path: Path) -> socket.socket:
    """Return a socket listening at `path`, which appears only once it is ready."""
    building = path.with_name(path.name + ".new")
    with contextlib.suppress(FileNotFoundError):
        building.unlink()
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(str(building))
    listener.listen(64)
    os.replace(building, path)  # clients find it only now, already listening
    return listener


def serve(path: Path, words: list[str]) -> int:
    """Preload, then fork a session per request until stdin closes; return 0."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl+C stops `hub serve`; we follow
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    gc.disable()
    preload()
    wake_reader, wake_writer = socket.socketpair()
    wake_reader.setblocking(False)
    wake_writer.setblocking(False)
    signal.signal(signal.SIGCHLD, lambda _number, _frame: None)
    signal.set_wakeup_fd(wake_writer.fileno(), warn_on_full_buffer=False)
    zygote = _Zygote(_listen(path), wake_reader, wake_writer, selectors.DefaultSelector(), words)
    zygote.selector.register(zygote.listener, selectors.EVENT_READ, "listener")
    zygote.selector.register(wake_reader, selectors.EVENT_READ, "children")
    zygote.selector.register(sys.stdin.fileno(), selectors.EVENT_READ, "parent")
    try:
        while True:
            overdue = [s.kill_at for s in zygote.sessions.values() if s.kill_at is not None]
            timeout = max(0.0, min(overdue) - time.monotonic()) if overdue else None
            for key, _events in zygote.selector.select(timeout):
                if key.data == "listener":
                    with contextlib.suppress(OSError):
                        connection, _address = zygote.listener.accept()
                        _take_request(zygote, connection)
                elif key.data == "children":
                    with contextlib.suppress(OSError):
                        while wake_reader.recv(512):
                            pass
                    _reap(zygote)
                elif key.data == "parent":
                    if not os.read(sys.stdin.fileno(), 512):
                        return 0  # `hub serve` has gone
                else:
                    _client_gone(zygote, key.data)
            _kill_overdue(zygote)
            _reap(zygote)
    finally:
        with contextlib.suppress(FileNotFoundError):
            path.unlink()


# --------------------------------------------------------------------------- hub serve's side


class PreloadedKiosk:
    """`hub serve`'s handle on the pre-loaded kiosk: start it, restart it, the command.

    `words` are the kiosk's own (`--data-dir D --browser-session visitor ...`);
    `folder` is the one holding the `hub` package, where sessions run.
    """

    def __init__(self, words: list[str], folder: Path) -> None:
        self.words = words
        self.folder = folder
        self.private = Path(tempfile.mkdtemp(prefix="hub-serve-"))  # 0700: this user only
        self.socket_path = self.private / SOCKET_NAME
        self.process: subprocess.Popen[bytes] | None = None
        self.started_at = 0.0
        """When the running (or last) pre-loaded kiosk was started (time.monotonic)."""
        self.restart_wait = WATCH_SECONDS
        """How long after a stop the next start waits (doubles while starts keep failing)."""
        self.next_start = 0.0
        """Not started again before this time (time.monotonic)."""

    def session_command(self) -> list[str]:
        """Return the words textual-serve runs per browser connection (the client)."""
        direct = [sys.executable, "-m", "hub.cli", *self.words]
        return [
            sys.executable,
            "-I",
            "-S",
            str(CLIENT_SCRIPT),
            str(self.socket_path),
            str(self.folder),
            "--",
            *direct,
        ]

    def start(self) -> None:
        """Start the pre-loaded kiosk (it listens once its imports are done)."""
        environment = {**os.environ, **SERVE_ENVIRONMENT}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "screens.preloaded_kiosk", str(self.socket_path), *self.words],
            cwd=self.folder,
            stdin=subprocess.PIPE,  # closed when `hub serve` ends: the kiosk then ends
            env=environment,
        )
        self.started_at = time.monotonic()

    def wait_until_ready(self, timeout: float) -> bool:
        """Return True once it listens, False if it stopped or `timeout` passed first."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.socket_path.exists():
                return True
            if self.process is None or self.process.poll() is not None:
                return False
            time.sleep(0.05)
        return False

    def keep_running(self, now: float | None = None) -> bool:
        """Start it again if it has stopped; return True when a new one was started.

        `hub serve` calls this every WATCH_SECONDS and at each browser connection, so a
        kiosk that was killed (or ran out of memory) is back before the next visitor,
        who would otherwise wait for a start from scratch. Meanwhile sessions start the
        slow way. One that keeps stopping soon after its start (a broken install) is
        started again less and less often: the wait doubles up to MAX_RESTART_SECONDS,
        so a crash loop never keeps the PC busy; one that ran a while waits the least.
        `now` is time.monotonic() unless a test gives it.
        """
        if self.process is None or self.process.poll() is None:
            return False
        now = time.monotonic() if now is None else now
        if self.next_start == 0.0:  # just noticed that it stopped: decide the wait
            short_life = now - self.started_at < SHORT_LIFE_SECONDS
            self.restart_wait = (
                min(self.restart_wait * 2, MAX_RESTART_SECONDS) if short_life else WATCH_SECONDS
            )
            self.next_start = now + self.restart_wait
        if now < self.next_start:
            return False
        self.next_start = 0.0
        with contextlib.suppress(FileNotFoundError):
            self.socket_path.unlink()
        self.start()
        self.started_at = now  # on the caller's clock, as the next check reads it
        return True

    def stop(self) -> None:
        """Stop it and remove its private folder (running sessions go on by themselves)."""
        if self.process is not None:
            if self.process.stdin is not None:
                self.process.stdin.close()
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        with contextlib.suppress(FileNotFoundError):
            self.socket_path.unlink()
        with contextlib.suppress(OSError):
            self.private.rmdir()


def main(argv: list[str]) -> int:
    """Run as `python -m screens.preloaded_kiosk SOCKET WORDS...`; return the exit status."""
    if not argv:
        print("usage: python -m screens.preloaded_kiosk SOCKET [KIOSK WORDS...]", file=sys.stderr)
        return 2
    return serve(Path(argv[0]), argv[1:])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
