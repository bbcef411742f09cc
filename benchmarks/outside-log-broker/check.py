#!/usr/bin/env python3
"""Check a log written by generate.py for internal consistency.

Usage: python3 check.py LOG.jsonl [--asn-csv asn-ipv4.csv]   (the csv: @ip-location-db/asn, optional)

Checks: time order; required fields; every address lies in a prefix generate.py lists for the event's
ASN (and, with --asn-csv, that the public table gives the same ASN); country matches the network;
takeover only on an attacker's success; a customer's own successes always use one fingerprint at a
time (a change only after a reset); no run of 10 consecutive failures on an account holds a customer's own
failure (attackers' runs are allowed: no lockout is modelled); labels known.
"""
import bisect, csv, ipaddress, json, sys, os
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from generate import NETS, MOBILE_V6

def main(argv):
    path = argv[1]
    table = None
    if "--asn-csv" in argv:
        rows = []
        for r in csv.reader(open(argv[argv.index("--asn-csv") + 1])):
            rows.append((int(ipaddress.ip_address(r[0])), int(ipaddress.ip_address(r[1])), int(r[2])))
        rows.sort(); table = (rows, [x[0] for x in rows])
    nets = {a: [ipaddress.ip_network(p) for p in v[3] + v[4] + MOBILE_V6.get(a, [])] for a, v in NETS.items()}
    errs = []; last = ""; consec = {}; fp_of = {}; n = 0; mism = 0
    def err(i, m):
        if len(errs) < 20: errs.append("line %d: %s" % (i, m))
    for i, line in enumerate(open(path), 1):
        e = json.loads(line); n += 1
        for f in ("ts", "account", "ip", "outcome", "asn", "country", "label", "scenario", "takeover"):
            if f not in e: err(i, "missing " + f)
        if e["ts"] < last: err(i, "out of order")
        last = e["ts"]
        ip = ipaddress.ip_address(e["ip"]); asn = e["asn"]
        if asn not in NETS or not any(ip in p for p in nets[asn]): err(i, "%s not in AS%s's prefixes" % (ip, asn))
        elif NETS[asn][1] != e["country"]: err(i, "country %s for AS%s" % (e["country"], asn))
        if table and ip.version == 4:
            rows, st = table; k = bisect.bisect_right(st, int(ip)) - 1
            if not (k >= 0 and rows[k][0] <= int(ip) <= rows[k][1] and rows[k][2] == asn):
                mism += 1; err(i, "public table disagrees on %s (AS%s)" % (ip, asn))
        if e["takeover"] and not (e["label"] == "attack" and e["outcome"] == "success"): err(i, "takeover on a non-attack success")
        if e["label"] == "attack" and e["outcome"] == "success" and not e["takeover"]: err(i, "attack success not a takeover")
        if e["label"] not in ("legit", "attack"): err(i, "label")
        a = e["account"]
        if e["outcome"] == "success":
            consec[a] = (0, False)
            if e["label"] == "legit" and e.get("ctx") != "reset":
                if a in fp_of and fp_of[a] != e["secret_fp"] and not e.get("ctx", "").startswith("aggregator"):
                    err(i, "legit success with another password without a reset")
            if e["label"] == "legit":
                fp_of[a] = e["secret_fp"]
        elif e["outcome"] == "wrong_secret":
            n_, legit_ = consec.get(a, (0, False))
            consec[a] = (n_ + 1, legit_ or e["label"] == "legit")
            if consec[a][0] >= 10 and consec[a][1]: err(i, "10 consecutive failures, a customer's among them, on " + a)
    print("%d events, %d problems%s" % (n, len(errs), "" if not table else ", %d addresses the public table disagrees on" % mism))
    for x in errs: print(" ", x)
    return 1 if errs else 0

if __name__ == "__main__":
    sys.exit(main(sys.argv))
