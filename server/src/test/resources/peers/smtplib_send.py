#!/usr/bin/env python3
"""Sends messages to an SMTP server and prints the server's replies as JSON.

Default mode uses Python's smtplib, one command at a time, as a real client no one here wrote.
--pipeline sends MAIL, every RCPT and DATA in one write (RFC 2920) over a plain socket.
"""
import argparse
import json
import smtplib
import socket


def read_reply(f):
    lines = []
    while True:
        line = f.readline()
        if not line.endswith(b"\r\n"):
            raise RuntimeError("reply line not ended by CRLF: %r" % line)
        lines.append(line[4:-2].decode())
        if line[3:4] == b" ":
            return [int(line[:3]), "\n".join(lines)]


def stuff(body):
    out = body.replace(b"\r\n.", b"\r\n..")
    return b"." + out if out.startswith(b".") else out


def pipelined(a, body):
    s = socket.create_connection((a.host, a.port), timeout=60)
    f = s.makefile("rb")
    replies = [read_reply(f)]
    s.sendall(b"EHLO python.test\r\n")
    replies.append(read_reply(f))
    for _ in range(a.count):
        batch = "MAIL FROM:<%s>%s\r\n" % (a.sender, "".join(" " + o for o in a.mail_option))
        batch += "".join("RCPT TO:<%s>\r\n" % r for r in a.to) + "DATA\r\n"
        s.sendall(batch.encode())
        for _ in range(2 + len(a.to)):
            replies.append(read_reply(f))
        s.sendall(stuff(body) + b".\r\n")
        replies.append(read_reply(f))
    s.sendall(b"QUIT\r\n")
    replies.append(read_reply(f))
    s.close()
    return {"replies": replies}


def with_smtplib(a, body):
    out = {"replies": []}
    with smtplib.SMTP(a.host, a.port, timeout=60) as s:
        code, resp = s.ehlo("python.test")
        out["ehlo"] = [code, resp.decode()]
        for _ in range(a.count):
            out["replies"].append(list(s.mail(a.sender, a.mail_option)))
            for r in a.to:
                out["replies"].append(list(s.rcpt(r)))
            out["replies"].append(list(s.data(body)))
    out["replies"] = [[c, r.decode() if isinstance(r, bytes) else r] for c, r in out["replies"]]
    return out


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--host", required=True)
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--from", dest="sender", required=True)
    p.add_argument("--to", action="append", required=True)
    p.add_argument("--body-file", required=True)
    p.add_argument("--mail-option", action="append", default=[])
    p.add_argument("--count", type=int, default=1)
    p.add_argument("--pipeline", action="store_true")
    a = p.parse_args()
    with open(a.body_file, "rb") as fh:
        body = fh.read()
    print(json.dumps(pipelined(a, body) if a.pipeline else with_smtplib(a, body)))


if __name__ == "__main__":
    main()
