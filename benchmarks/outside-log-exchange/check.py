#!/usr/bin/env python3
"""Sanity summary and invariant checks for a log written by generate.py.

Usage: python3 check.py LOG.jsonl
Asserts: time-sorted RFC 3339 UTC timestamps with milliseconds, required fields present and
well-formed, takeover true exactly on attack successes, ground truth present on every row.
"""
import collections
import ipaddress
import json
import re
import sys

TS = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")
HEX16 = re.compile(r"^[0-9a-f]{16}$")
REQ = ("ts", "account", "ip", "user_agent", "outcome", "secret_fp", "asn", "country", "label", "scenario",
       "takeover", "ctx")


def pct(a, b):
    return f"{100.0 * a / b:5.1f}%" if b else "  n/a"


def main(path):
    n = 0
    prev = ""
    by_label = collections.Counter()
    by_scen = collections.Counter()
    by_out = collections.Counter()
    scen_out = collections.defaultdict(collections.Counter)
    countries = collections.Counter()
    accts, ips, asns = set(), set(), set()
    acct_label = collections.defaultdict(set)
    ip_accts = collections.defaultdict(set)
    with_dev = collections.Counter()
    v6 = collections.Counter()
    takeovers = 0
    takeover_accts = set()
    fp_accts = collections.defaultdict(set)
    with open(path, encoding="utf-8") as f:
        for ln, line in enumerate(f, 1):
            e = json.loads(line)
            n += 1
            for k in REQ:
                assert k in e and e[k] is not None, f"line {ln}: missing {k}"
            assert TS.match(e["ts"]), f"line {ln}: bad ts {e['ts']}"
            assert e["ts"] >= prev, f"line {ln}: not sorted ({prev} > {e['ts']})"
            prev = e["ts"]
            assert isinstance(e["account"], str) and 1 <= len(e["account"]) <= 256, f"line {ln}: account"
            ip = ipaddress.ip_address(e["ip"])
            assert not (ip.is_private or ip.is_loopback or ip.is_unspecified), f"line {ln}: non-public ip {ip}"
            assert e["outcome"] in ("success", "wrong_secret", "unknown_account"), f"line {ln}: outcome"
            assert HEX16.match(e["secret_fp"]), f"line {ln}: secret_fp"
            assert isinstance(e["asn"], int) and 0 < e["asn"] < 2 ** 31, f"line {ln}: asn"
            assert re.match(r"^[A-Z]{2}$", e["country"]), f"line {ln}: country"
            assert e["label"] in ("legit", "attack"), f"line {ln}: label"
            assert isinstance(e["takeover"], bool), f"line {ln}: takeover type"
            want = e["label"] == "attack" and e["outcome"] == "success"
            assert e["takeover"] == want, f"line {ln}: takeover={e['takeover']} but label/outcome {e['label']}/{e['outcome']}"
            if "device" in e:
                assert isinstance(e["device"], str) and 0 < len(e["device"]) <= 256, f"line {ln}: device"
            assert len(e["user_agent"]) <= 512, f"line {ln}: user_agent too long"
            by_label[e["label"]] += 1
            key = f"{e['label']}/{e['scenario']}"
            by_scen[key] += 1
            by_out[(e["label"], e["outcome"])] += 1
            scen_out[key][e["outcome"]] += 1
            countries[e["country"]] += 1
            accts.add(e["account"])
            ips.add(e["ip"])
            asns.add(e["asn"])
            acct_label[e["account"]].add(e["label"])
            if e["label"] == "legit":
                ip_accts[e["ip"]].add(e["account"])
                if e["outcome"] == "success":
                    fp_accts[e["secret_fp"]].add(e["account"])
            with_dev[(e["label"], "device" in e)] += 1
            v6[(e["label"], ip.version)] += 1
            if e["takeover"]:
                takeovers += 1
                takeover_accts.add(e["account"])
    assert n > 0, "empty log"
    print(f"{path}: {n} events, {prev[:10]} last day")
    for lab in ("legit", "attack"):
        print(f"  {lab:6s} {by_label[lab]:8d} {pct(by_label[lab], n)}   outcomes: " +
              ", ".join(f"{o}={by_out[(lab, o)]}" for o in ("success", "wrong_secret", "unknown_account")))
    print(f"  takeovers: {takeovers} events on {len(takeover_accts)} accounts")
    print(f"  distinct accounts {len(accts)} (with attack events {sum(1 for s in acct_label.values() if 'attack' in s)}),"
          f" addresses {len(ips)}, ASNs {len(asns)}")
    for lab in ("legit", "attack"):
        tot = by_label[lab]
        print(f"  {lab}: device token {pct(with_dev[(lab, True)], tot)}, IPv6 {pct(v6[(lab, 6)], tot)}")
    shared = [len(a) for a in ip_accts.values()]
    print(f"  legit addresses used by >1 account: {sum(1 for x in shared if x > 1)} "
          f"(max {max(shared) if shared else 0} accounts on one address)")
    big_fp = sorted((len(a) for a in fp_accts.values()), reverse=True)[:5]
    print(f"  largest legit password-sharing groups (accounts per fingerprint): {big_fp}")
    print("  scenarios (events: success / wrong_secret / unknown_account):")
    for k, v in sorted(by_scen.items(), key=lambda kv: (kv[0].split('/')[0], -kv[1])):
        so = scen_out[k]
        print(f"    {k:38s} {v:7d}  {so['success']:6d} / {so['wrong_secret']:6d} / {so['unknown_account']:6d}")
    print("  countries: " + ", ".join(f"{c} {pct(x, n).strip()}" for c, x in countries.most_common()))
    share = by_label["legit"] / n
    if not 0.85 <= share <= 0.99:
        print(f"  WARNING: legit share {share:.1%} outside 85-99 %")
    print("OK: all invariants hold")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: check.py LOG.jsonl")
    main(sys.argv[1])
