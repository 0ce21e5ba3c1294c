"""DMARC by python3-authheaders for the cases on stdin (JSON), answers on stdout (JSON). Offline: DNS answers come
from each case through authheaders' dnsfunc hook, and every socket is refused, so nothing can reach a network."""
import json
import socket
import sys

from authheaders import dmarc_per_from
from authres import DKIMAuthenticationResult, SPFAuthenticationResult


def no_network(*args, **kwargs):
    raise OSError("the DMARC witness runs offline")


# After the imports (ssl subclasses socket.socket): refuse every connection and name lookup.
socket.socket.connect = no_network
socket.socket.connect_ex = no_network
socket.socket.sendto = no_network
socket.getaddrinfo = no_network
socket.gethostbyname = no_network


def evaluate(case):
    txt = {name.lower(): record for name, record in case.get("txt", {}).items()}
    exists = {name.lower() for name in case.get("exists", [])}

    def dnsfunc(name, timeout=5):
        # TXT for _dmarc names; for the np check, authheaders asks with the From domain and wants anything truthy.
        name = name.lower().rstrip(".")
        if name in txt:
            return txt[name]
        return "exists" if name in exists else None

    spf = case.get("spf")
    spf_result = None
    if spf:
        spf_result = SPFAuthenticationResult(result=spf["result"], smtp_mailfrom="postmaster@" + spf["domain"])
    dkim = case.get("dkim") or []
    dkim_result = None
    if dkim:
        dkim_result = DKIMAuthenticationResult(result=dkim[0]["result"], header_d=dkim[0]["domain"])
    try:
        result, comment, from_domain, policy = dmarc_per_from(case["from"], spf_result, dkim_result, dnsfunc)
    except Exception as e:  # e.g. a tag without "=" breaks it: the test says which case, not a traceback
        return {"name": case["name"], "result": "error", "policy": "", "comment": "%s: %s" % (type(e).__name__, e)}
    return {"name": case["name"], "result": result, "policy": policy, "comment": comment}


def main():
    cases = json.load(sys.stdin)
    json.dump([evaluate(case) for case in cases], sys.stdout)


main()
