# The dkimpy side of DkimpyWitnessTest: signs or verifies with Debian's python3-dkim, reading the files the Java
# test wrote and printing what dkimpy made of them, many messages per run. Run with /usr/bin/python3 (Debian's,
# where python3-dkim is).
#
#   verify DNS MESSAGE...   per message a line: per DKIM-Signature field, top to bottom, "pass" or "fail"
#   sign REQUESTS           per line of REQUESTS (tab-separated: MESSAGE KEY SELECTOR DOMAIN ALGORITHM HEADER_C
#                           BODY_C HEADERS LENGTH) a line: the base64 of the DKIM-Signature field dkimpy makes;
#                           HEADERS "-" for dkimpy's default list, else colon-separated; LENGTH "l" to add l=
#
# DNS is a file of lines "name<TAB>record"; a name not in it has no record.
import base64
import sys

import dkim


def load_dns(path):
    records = {}
    with open(path, encoding='ascii') as f:
        for line in f:
            line = line.rstrip('\n')
            if line:
                name, record = line.split('\t', 1)
                records[name.lower().rstrip('.')] = record
    return records


def verdicts(message, dnsfunc):
    count = sum(1 for name, _ in dkim.DKIM(message).headers if name.lower() == b'dkim-signature')
    out = []
    for i in range(count):
        try:
            ok = dkim.DKIM(message).verify(idx=i, dnsfunc=dnsfunc)
        except dkim.DKIMException:
            ok = False
        out.append('pass' if ok else 'fail')
    return ' '.join(out)


def verify(dns_path, message_paths):
    records = load_dns(dns_path)

    def dnsfunc(name, timeout=5):
        if isinstance(name, bytes):
            name = name.decode('ascii')
        return records.get(name.lower().rstrip('.'))

    for path in message_paths:
        with open(path, 'rb') as f:
            print(verdicts(f.read(), dnsfunc))


def sign(requests_path):
    with open(requests_path, encoding='ascii') as f:
        requests = [line.rstrip('\n').split('\t') for line in f if line.strip()]
    for message_path, key_path, selector, domain, algorithm, header_c, body_c, headers, length in requests:
        with open(message_path, 'rb') as f:
            message = f.read()
        with open(key_path, 'rb') as f:
            key = f.read().strip()
        include = None if headers == '-' else [h.encode('ascii') for h in headers.split(':')]
        field = dkim.sign(message, selector.encode('ascii'), domain.encode('ascii'), key,
                          canonicalize=(header_c.encode('ascii'), body_c.encode('ascii')),
                          signature_algorithm=algorithm.encode('ascii'), include_headers=include,
                          length=(length == 'l'))
        print(base64.b64encode(field).decode('ascii'))


if __name__ == '__main__':
    if sys.argv[1] == 'verify':
        verify(sys.argv[2], sys.argv[3:])
    elif sys.argv[1] == 'sign':
        sign(sys.argv[2])
    else:
        sys.exit('unknown mode ' + sys.argv[1])
