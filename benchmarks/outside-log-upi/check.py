#!/usr/bin/env python3
"""Check the invariants of a PayKaro synthetic login log and print a per-scenario summary.

Usage: python3 check.py OUT.jsonl

Invariants (exit status 1 and a message if any fails):
* every line is a JSON object with exactly the known fields, right types, no NaN/Infinity
  and no float anywhere;
* ts is ISO 8601 UTC with milliseconds and Z, and timestamps never decrease;
* ip parses as IPv4/IPv6, asn is a positive int, country a 2-letter upper-case code,
  secret_fp 16 lower-case hex chars, device (when present) a non-empty string;
* outcome in {success, wrong_secret, unknown_account, locked}, label in {legit, attack};
* takeover is true only on successful attack attempts; each scenario has one label;
* attack events are 3-10 % of all events; legit failure rate (non-success) is 3-12 %;
* lockout consistency per account: a `locked` outcome needs a wrong_secret on that
  account in the previous 24 h; after 3 consecutive wrong_secret the account is locked
  for 24 h, so within that window only `locked` or (after an OTP reset, which is not a
  login and so is invisible here) `success` may follow, never another wrong_secret;
  unknown_account never appears on an account that has had another outcome.
"""
import collections
import ipaddress
import json
import re
import sys
from datetime import datetime, timezone

FIELDS = {"ts", "account", "ip", "user_agent", "device", "outcome", "secret_fp", "asn", "country",
          "label", "scenario", "takeover"}
REQUIRED = FIELDS - {"device"}
OUTCOMES = ("success", "wrong_secret", "locked", "unknown_account")
TS_RE = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")
FP_RE = re.compile(r"^[0-9a-f]{16}$")
CC_RE = re.compile(r"^[A-Z]{2}$")


def bad_const(x):
    raise ValueError("non-finite constant %s" % x)


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: check.py OUT.jsonl")
    errors = []

    def err(msg):
        if len(errors) < 30:
            errors.append(msg)
        else:
            errors.append(None)

    prev = ""
    n = 0
    lab = collections.Counter()
    scen_label = {}
    st = collections.defaultdict(lambda: {"n": 0, "o": collections.Counter(), "take": 0, "acct": set(),
                                          "ip": set(), "dev": set(), "v6": 0, "nodev": 0, "cc": collections.Counter()})
    legit_fail = legit_n = 0
    first_ts = last_ts = None
    fps_attack_fail = collections.Counter()
    acc_state = {}   # account -> [consecutive wrong, ms of last wrong, lock_until ms]
    with open(sys.argv[1]) as f:
        for ln, line in enumerate(f, 1):
            n += 1
            try:
                e = json.loads(line, parse_constant=bad_const)
            except ValueError as x:
                err("line %d: bad JSON (%s)" % (ln, x))
                continue
            if not isinstance(e, dict):
                err("line %d: not an object" % ln)
                continue
            keys = set(e)
            if not REQUIRED <= keys or not keys <= FIELDS:
                err("line %d: fields %s" % (ln, sorted(keys ^ FIELDS)))
                continue
            for k, v in e.items():
                if isinstance(v, float):
                    err("line %d: float in %s" % (ln, k))
            ts = e["ts"]
            if not isinstance(ts, str) or not TS_RE.match(ts):
                err("line %d: bad ts %r" % (ln, ts))
                continue
            try:
                datetime.strptime(ts, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=timezone.utc)
            except ValueError:
                err("line %d: unparsable ts %r" % (ln, ts))
            if ts < prev:
                err("line %d: ts %s before %s" % (ln, ts, prev))
            prev = ts
            first_ts = first_ts or ts
            last_ts = ts
            acct = e["account"]
            if not isinstance(acct, str) or not acct:
                err("line %d: bad account" % ln)
            try:
                ipo = ipaddress.ip_address(e["ip"])
            except (ValueError, TypeError):
                err("line %d: bad ip %r" % (ln, e["ip"]))
                ipo = None
            if not isinstance(e["user_agent"], str) or not e["user_agent"]:
                err("line %d: bad user_agent" % ln)
            if "device" in e and (not isinstance(e["device"], str) or not e["device"]):
                err("line %d: bad device" % ln)
            oc = e["outcome"]
            if oc not in OUTCOMES:
                err("line %d: bad outcome %r" % (ln, oc))
            if not isinstance(e["secret_fp"], str) or not FP_RE.match(e["secret_fp"]):
                err("line %d: bad secret_fp" % ln)
            if type(e["asn"]) is not int or e["asn"] <= 0:
                err("line %d: bad asn %r" % (ln, e["asn"]))
            if not isinstance(e["country"], str) or not CC_RE.match(e["country"]):
                err("line %d: bad country" % ln)
            label, scen, take = e["label"], e["scenario"], e["takeover"]
            if label not in ("legit", "attack"):
                err("line %d: bad label %r" % (ln, label))
            if not isinstance(scen, str) or not scen:
                err("line %d: bad scenario" % ln)
                continue
            if type(take) is not bool:
                err("line %d: takeover not bool" % ln)
            if take and not (label == "attack" and oc == "success"):
                err("line %d: takeover on %s/%s" % (ln, label, oc))
            if scen_label.setdefault(scen, label) != label:
                err("line %d: scenario %s has two labels" % (ln, scen))
            ms = int(datetime.strptime(ts, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=timezone.utc).timestamp() * 1000)
            a = acc_state.get(acct)
            if oc == "unknown_account":
                if a is not None and a[0] >= 0:
                    err("line %d: unknown_account on known account %s" % (ln, acct))
                acc_state[acct] = [-1, 0, 0]
            else:
                if a is not None and a[0] < 0:
                    err("line %d: %s on account %s that was unknown" % (ln, oc, acct))
                    a = None
                if a is None:
                    a = acc_state[acct] = [0, -10 ** 15, 0]
                if a[2] and ms >= a[2]:
                    a[0], a[2] = 0, 0
                if oc == "locked":
                    if ms - a[1] > 24 * 3600 * 1000:
                        err("line %d: locked without a wrong_secret in the last 24 h (%s)" % (ln, acct))
                elif oc == "wrong_secret":
                    if a[2] and ms < a[2]:
                        err("line %d: wrong_secret inside a lock window (%s)" % (ln, acct))
                    a[0] += 1
                    a[1] = ms
                    if a[0] >= 3:
                        a[2] = ms + 24 * 3600 * 1000
                else:
                    a[0], a[2] = 0, 0
            lab[label] += 1
            if label == "legit":
                legit_n += 1
                legit_fail += oc != "success"
            elif oc != "success":
                fps_attack_fail[e["secret_fp"]] += 1
            s = st[(label, scen)]
            s["n"] += 1
            s["o"][oc] += 1
            s["take"] += take is True
            s["acct"].add(acct)
            s["ip"].add(e["ip"])
            if "device" in e:
                s["dev"].add(e["device"])
            else:
                s["nodev"] += 1
            if ipo is not None and ipo.version == 6:
                s["v6"] += 1
            s["cc"][e["country"]] += 1

    if n == 0:
        err("empty log")
    att_share = lab["attack"] / n if n else 0
    legit_fr = legit_fail / legit_n if legit_n else 0
    if not 0.03 <= att_share <= 0.10:
        err("attack share %.2f%% outside 3-10%%" % (100 * att_share))
    if not 0.03 <= legit_fr <= 0.12:
        err("legit failure rate %.2f%% outside 3-12%%" % (100 * legit_fr))

    # ---- report
    print("file: %s" % sys.argv[1])
    print("events: %d   first: %s   last: %s" % (n, first_ts, last_ts))
    print("labels: legit %d, attack %d (attack share %.2f%%)   legit failure rate %.2f%%" % (
        lab["legit"], lab["attack"], 100 * att_share, 100 * legit_fr))
    tot_take = sum(s["take"] for s in st.values())
    print("takeover events: %d" % tot_take)
    hdr = "%-6s %-18s %8s %6s %6s %6s %6s %6s %6s %7s %7s %7s %5s %5s  %s" % (
        "label", "scenario", "events", "%all", "succ%", "wrong%", "lock%", "unkn%", "takeov",
        "accts", "ips", "devices", "v6%", "nodv%", "countries")
    print()
    print(hdr)
    print("-" * len(hdr))
    for (l, sc), s in sorted(st.items(), key=lambda kv: (kv[0][0] != "legit", -kv[1]["n"])):
        k = s["n"]
        o = s["o"]
        ccs = ",".join("%s:%d" % (c, m) for c, m in s["cc"].most_common(3))
        print("%-6s %-18s %8d %6.2f %6.1f %6.1f %6.1f %6.1f %6d %7d %7d %7d %5.1f %5.1f  %s" % (
            l, sc, k, 100 * k / n, 100 * o["success"] / k, 100 * o["wrong_secret"] / k, 100 * o["locked"] / k,
            100 * o["unknown_account"] / k, s["take"], len(s["acct"]), len(s["ip"]), len(s["dev"]),
            100 * s["v6"] / k, 100 * s["nodev"] / k, ccs))
    print()
    print("top secret_fp among failed attack attempts: %s" % ", ".join(
        "%s:%d" % kv for kv in fps_attack_fail.most_common(4)))
    if errors:
        print()
        print("FAILED:")
        for m in errors:
            if m is None:
                print("  ... more errors")
                break
            print("  " + m)
        sys.exit(1)
    print("\nOK: all invariants hold")


if __name__ == "__main__":
    main()
