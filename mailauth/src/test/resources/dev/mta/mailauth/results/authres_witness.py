"""Parses the Authentication-Results fields on stdin (a JSON list of strings) with python3-authres and prints what it
read (JSON): the authserv-id, the version and each result with its properties, or the error."""
import json
import re
import sys

import authres


def unescape(value):
    # authres keeps a quoted-string's quoted-pairs as written; a reader would resolve them.
    return None if value is None else re.sub(r"\\(.)", r"\1", str(value))


def read(field):
    try:
        header = authres.AuthenticationResultsHeader.parse(field)  # the core features: properties are generic
    except Exception as e:  # the test wants to know what failed, not a traceback
        return {"ok": False, "error": "%s: %s" % (type(e).__name__, e)}
    return {
        "ok": True,
        "authservId": header.authserv_id,
        "version": header.version or "",
        "results": [{
            "method": r.method,
            "version": r.version or "",
            "result": r.result,
            "reason": unescape(r.reason) or "",
            "properties": [[p.type, p.name, unescape(p.value)] for p in r.properties],
        } for r in header.results],
    }


def main():
    json.dump([read(field) for field in json.load(sys.stdin)], sys.stdout)


main()
