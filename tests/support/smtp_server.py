#!/usr/bin/python3
"""smtp_server.py: a real SMTP server on loopback for the mail tests (aiosmtpd).

Usage: smtp_server.py --dir DIR [--port N] [--user U --password P]
                      [--reject REGEX] [--tempfail REGEX] [--hang REGEX]

Every message received is written to DIR as one file (NNNNNN.eml, the raw message as sent,
headers and body). With --user/--password the server advertises AUTH LOGIN and PLAIN (over
plain TCP: this is loopback), refuses mail until the client has authenticated, and answers a
wrong password with 535. Recipients matching --reject get 550 (permanent), those matching
--tempfail 451 (try again later). A message to a recipient matching --hang is read whole and
then never answered (the client gives up; the message is not written, DIR/hanging is). Without --port a free port is chosen. When the server
answers, the port is printed on a line of its own ("port N") and flushed; SIGTERM stops it.
"""
import argparse
import asyncio
import logging
import os
import re
import signal
import socket
import sys
import threading
import warnings

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword


class Handler:
    def __init__(self, directory, reject, tempfail, hang):
        self.directory = directory
        self.hang = re.compile(hang) if hang else None
        self.reject = re.compile(reject) if reject else None
        self.tempfail = re.compile(tempfail) if tempfail else None
        self.lock = threading.Lock()
        self.count = 0

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.reject and self.reject.search(address):
            return "550 5.1.1 <%s>: Recipient address rejected: no such user" % address
        if self.tempfail and self.tempfail.search(address):
            return "451 4.3.0 <%s>: Temporary failure, try again later" % address
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.hang and any(self.hang.search(r) for r in envelope.rcpt_tos):
            # DIR/hanging tells the test that the whole message has been read
            open(os.path.join(self.directory, "hanging"), "w").close()
            await asyncio.sleep(3600)
        with self.lock:
            self.count += 1
            n = self.count
        # One file per message, written whole then renamed, so a reader never sees half.
        path = os.path.join(self.directory, "%06d.eml" % n)
        tmp = path + ".part"
        with open(tmp, "wb") as f:
            f.write(b"X-Envelope-From: " + envelope.mail_from.encode() + b"\r\n")
            f.write(b"X-Envelope-To: " + ",".join(envelope.rcpt_tos).encode() + b"\r\n")
            f.write(envelope.original_content or envelope.content)
        os.rename(tmp, path)
        return "250 2.0.0 Ok: queued as %06d" % n


def free_port():
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--dir", required=True)
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--user")
    ap.add_argument("--password")
    ap.add_argument("--reject")
    ap.add_argument("--tempfail")
    ap.add_argument("--hang")
    a = ap.parse_args()
    # AUTH without TLS is what a loopback test wants; say nothing about it.
    warnings.simplefilter("ignore")
    logging.getLogger("mail.log").setLevel(logging.ERROR)
    os.makedirs(a.dir, exist_ok=True)
    port = a.port or free_port()
    params = {}
    if a.user is not None:
        def authenticator(server, session, envelope, mechanism, auth_data):
            ok = (isinstance(auth_data, LoginPassword)
                  and auth_data.login == a.user.encode()
                  and auth_data.password == (a.password or "").encode())
            # handled=False: aiosmtpd then answers 535 itself (its default is to say nothing)
            return AuthResult(success=ok, handled=False)
        params = dict(authenticator=authenticator, auth_required=True, auth_require_tls=False)
    ctl = Controller(Handler(a.dir, a.reject, a.tempfail, a.hang), hostname="127.0.0.1", port=port,
                     server_hostname="smtp.test", **params)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    ctl.start()
    print("port %d" % port, flush=True)
    while not stop.wait(0.2):
        pass
    ctl.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
