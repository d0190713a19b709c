"""A real SMTP server for tests: aiosmtpd on a free loopback port, with answers the test chooses.

Used in-process by tests/test_delivery*.py and as a subprocess (`python -m tests.worker.smtp PORT
FILE`) by the worker tests and `make bench-send`, where it appends one line per recipient to FILE.
"""

import re
import socket
import sys
import threading
import time

from aiosmtpd.controller import Controller
from django.core.mail.backends.smtp import EmailBackend

MESSAGE_ID = re.compile(rb"^Message-ID:\s*(<[^>]+>)", re.I | re.M)


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Handler:
    """Records every message accepted; answers 421 to the next `temporary_failures` messages, 450
    once to each address in `greylist`, 550 to each address in `refuse`."""

    def __init__(self, out=None):
        self.lock = threading.Lock()
        self.received = []  # (recipient, Message-ID, raw message, connection)
        self.refused = []
        self.temporary_failures = 0
        self.greylist = set()
        self.refuse = set()
        self.out = out

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        with self.lock:
            if address in self.refuse:
                self.refused.append(address)
                return "550 5.1.1 No such mailbox"
            if address in self.greylist:
                self.greylist.discard(address)
                return "450 4.2.0 Greylisted, try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            if self.temporary_failures > 0:
                self.temporary_failures -= 1
                return "421 4.3.0 Try again later"
            found = MESSAGE_ID.search(envelope.content)
            message_id = found.group(1).decode() if found else ""
            for recipient in envelope.rcpt_tos:
                self.received.append((recipient, message_id, envelope.content, session.peer))
                if self.out:
                    self.out.write(f"{time.time():.6f} {recipient} {message_id}\n")
            if self.out:
                self.out.flush()
        return "250 2.0.0 OK"

    @property
    def recipients(self):
        with self.lock:
            return [recipient for recipient, *_ in self.received]

    @property
    def connections(self):
        with self.lock:
            return {peer for *_, peer in self.received}


class SMTPServer:
    def __init__(self, handler=None, port=None):
        self.handler = handler or Handler()
        self.port = port or free_port()
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port)

    def __enter__(self):
        self.controller.start()
        return self

    def __exit__(self, *exc):
        self.controller.stop()


class HangingServer:
    """Takes connections and never says a word, like a mail server that is stuck."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.port = self.sock.getsockname()[1]
        self.accepted = []
        self._thread = threading.Thread(target=self._accept, daemon=True)

    def _accept(self):
        while True:
            try:
                conn, _addr = self.sock.accept()
            except OSError:
                return
            self.accepted.append(conn)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self.sock.close()
        for conn in self.accepted:
            conn.close()


class CrashAfterHandOff(EmailBackend):
    """SMTP, except that the process "dies" right after handing the Nth message to the server.

    SystemExit is no Exception: like a killed worker, the code that would record the send never runs.
    """

    crash_after = None
    handed = 0

    def send_messages(self, email_messages):
        count = super().send_messages(email_messages)
        type(self).handed += count
        if self.crash_after is not None and type(self).handed >= self.crash_after:
            type(self).crash_after = None
            raise SystemExit("killed between hand-off and record")
        return count


if __name__ == "__main__":
    port, path = int(sys.argv[1]), sys.argv[2]
    with open(path, "a") as out, SMTPServer(Handler(out), port=port):
        print("ready", flush=True)
        try:
            threading.Event().wait()
        except KeyboardInterrupt:
            pass
