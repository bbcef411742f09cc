#!/usr/bin/env python3
"""Validate generate.py output (Mamori JSONL) and print a summary. Usage: check.py FILE..."""
import collections, ipaddress, json, re, sys

TS = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")
HEX = re.compile(r"^[0-9a-f]{16}$")
CC = re.compile(r"^[A-Z]{2}$")


def check(path):
    n = 0
    bad = []
    prev = ""
    lab = collections.Counter()
    scen = collections.Counter()
    to = collections.Counter()
    outc = collections.Counter()
    accts, ips, atk_ips, devs = set(), set(), set(), set()
    nodev = 0
    first = last = None
    with open(path, encoding="utf-8") as f:
        for ln, line in enumerate(f, 1):
            n += 1
            try:
                o = json.loads(line)
            except Exception as e:
                bad.append((ln, "json %s" % e)); continue
            for k in ("ts", "account", "ip", "user_agent", "outcome", "secret_fp", "asn", "country", "label",
                      "scenario", "takeover"):
                if k not in o:
                    bad.append((ln, "missing " + k))
            ts = o.get("ts", "")
            if not TS.match(ts):
                bad.append((ln, "ts " + ts))
            if ts < prev:
                bad.append((ln, "unsorted"))
            prev = ts
            first = first or ts
            last = ts
            try:
                ipaddress.ip_address(o["ip"])
            except Exception:
                bad.append((ln, "ip"))
            if o["outcome"] not in ("success", "wrong_secret", "unknown_account"):
                bad.append((ln, "outcome"))
            if not HEX.match(o["secret_fp"]):
                bad.append((ln, "fp"))
            if not isinstance(o["asn"], int) or not CC.match(o["country"]):
                bad.append((ln, "asn/cc"))
            if o["label"] not in ("legit", "attack") or not isinstance(o["takeover"], bool):
                bad.append((ln, "label"))
            if o["takeover"] and (o["label"] != "attack" or o["outcome"] != "success"):
                bad.append((ln, "takeover on non-attack-success"))
            if o["label"] == "attack" and o["outcome"] == "success" and not o["takeover"]:
                bad.append((ln, "attack success without takeover"))
            if "device" in o and not (isinstance(o["device"], str) and 0 < len(o["device"]) <= 256):
                bad.append((ln, "device"))
            if not (1 <= len(o["account"]) <= 256):
                bad.append((ln, "account"))
            lab[o["label"]] += 1
            scen[(o["label"], o["scenario"])] += 1
            outc[(o["label"], o["outcome"])] += 1
            if o["takeover"]:
                to[o["scenario"]] += 1
            accts.add(o["account"])
            ips.add(o["ip"])
            if o["label"] == "attack":
                atk_ips.add(o["ip"])
            if "device" in o:
                devs.add(o["device"])
            else:
                nodev += 1
    print("== %s" % path)
    print("  lines %d, invalid %d %s" % (n, len(bad), bad[:5]))
    print("  span %s .. %s" % (first, last))
    print("  events: legit %d, attack %d (%.1f %%)" % (lab["legit"], lab["attack"], 100.0 * lab["attack"] / max(1, n)))
    print("  outcomes: " + ", ".join("%s/%s %d" % (k[0], k[1], v) for k, v in sorted(outc.items())))
    print("  legit scenarios: " + ", ".join("%s %d" % (k[1], v) for k, v in sorted(scen.items()) if k[0] == "legit"))
    print("  attack scenarios (events / takeovers):")
    for k, v in sorted(scen.items()):
        if k[0] == "attack":
            print("    %-22s %7d  %4d" % (k[1], v, to[k[1]]))
    print("  takeovers total %d" % sum(to.values()))
    print("  distinct accounts %d, IPs %d (attack IPs %d), device tokens %d, events without device %d"
          % (len(accts), len(ips), len(atk_ips), len(devs), nodev))
    return not bad


ok = all([check(p) for p in sys.argv[1:]])
sys.exit(0 if ok else 1)
