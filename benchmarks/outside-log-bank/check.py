#!/usr/bin/env python3
"""Sanity summary and invariant checks for a log written by generate.py (standard library only).

Usage: python3 check.py LOG.jsonl [--top K]

Asserts: every line is a JSON object with the required fields and sane types; ts is RFC 3339 UTC with
milliseconds and the file is sorted by it; ip parses; secret_fp is 16 hex digits; asn is an integer;
country is two upper-case letters; outcome is success|wrong_secret|unknown_account; label is
legit|attack; takeover is boolean and true only on attack successes.  Exits non-zero on a violation.

Prints: events per label / scenario / outcome, takeovers per scenario, distinct accounts / addresses /
devices / fingerprints, device-token share, IPv6 share, countries, ASNs, per-hour (UTC) and per-day
distributions, and a few shapes an evaluator cares about (accounts per address, accounts per
fingerprint, legit accounts sharing a popular PIN fingerprint).
"""
import argparse
import collections
import ipaddress
import json
import re
import sys

TS_RE = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$")
FP_RE = re.compile(r"^[0-9a-f]{16}$")
REQUIRED = ("ts", "account", "ip", "user_agent", "outcome", "secret_fp", "asn", "country", "label", "scenario",
            "takeover", "ctx")
OUTCOMES = {"success", "wrong_secret", "unknown_account"}


def pct(a, b):
    return f"{100.0 * a / b:5.1f}%" if b else "  n/a"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("log")
    ap.add_argument("--top", type=int, default=12)
    a = ap.parse_args()
    errors = []

    def bad(i, msg):
        if len(errors) < 20:
            errors.append(f"line {i}: {msg}")
        else:
            errors.append(None)

    n = 0
    last_ts = ""
    label_c = collections.Counter()
    scen_c = collections.Counter()
    scen_out = collections.defaultdict(collections.Counter)
    out_by_label = collections.defaultdict(collections.Counter)
    take_by_scen = collections.Counter()
    take_days = collections.Counter()
    take_accts = set()
    accts = collections.defaultdict(set)
    ips = collections.defaultdict(set)
    devs = collections.defaultdict(set)
    fps = set()
    with_dev = collections.Counter()
    v6 = collections.Counter()
    countries = collections.Counter()
    asns = collections.Counter()
    hours = collections.defaultdict(collections.Counter)
    days = collections.defaultdict(collections.Counter)
    ip_accts = collections.defaultdict(set)
    ip_label = collections.defaultdict(collections.Counter)
    fp_accts_fail = collections.defaultdict(set)
    fp_accts_ok_legit = collections.defaultdict(set)
    ua_kind = collections.defaultdict(collections.Counter)
    with open(a.log, encoding="utf-8") as f:
        for i, line in enumerate(f, 1):
            line = line.rstrip("\n")
            if not line:
                bad(i, "blank line")
                continue
            try:
                e = json.loads(line)
            except ValueError as ex:
                bad(i, f"not JSON: {ex}")
                continue
            n += 1
            missing = [k for k in REQUIRED if k not in e]
            if missing:
                bad(i, f"missing {missing}")
                continue
            ts = e["ts"]
            if not isinstance(ts, str) or not TS_RE.match(ts):
                bad(i, f"bad ts {ts!r}")
            elif ts < last_ts:
                bad(i, f"not sorted: {ts} after {last_ts}")
            last_ts = max(last_ts, ts) if isinstance(ts, str) else last_ts
            acct, ip, lab, scen, out = e["account"], e["ip"], e["label"], e["scenario"], e["outcome"]
            if not isinstance(acct, str) or not (1 <= len(acct) <= 256):
                bad(i, f"bad account {acct!r}")
            try:
                ipo = ipaddress.ip_address(ip)
                if ipo.is_private or ipo.is_loopback:
                    bad(i, f"non-public ip {ip}")
            except ValueError:
                bad(i, f"bad ip {ip!r}")
                ipo = None
            if out not in OUTCOMES:
                bad(i, f"bad outcome {out!r}")
            if lab not in ("legit", "attack"):
                bad(i, f"bad label {lab!r}")
            if not isinstance(scen, str) or not scen:
                bad(i, "empty scenario")
            if not isinstance(e["takeover"], bool):
                bad(i, "takeover not boolean")
            if e["takeover"] and not (lab == "attack" and out == "success"):
                bad(i, f"takeover on {lab}/{out}")
            if not isinstance(e["secret_fp"], str) or not FP_RE.match(e["secret_fp"]):
                bad(i, f"bad secret_fp {e['secret_fp']!r}")
            if not isinstance(e["asn"], int) or isinstance(e["asn"], bool) or e["asn"] <= 0:
                bad(i, f"bad asn {e['asn']!r}")
            if not isinstance(e["country"], str) or not re.match(r"^[A-Z]{2}$", e["country"]):
                bad(i, f"bad country {e['country']!r}")
            if "device" in e and (not isinstance(e["device"], str) or not e["device"] or len(e["device"]) > 256):
                bad(i, f"bad device {e['device']!r}")
            if not isinstance(e["user_agent"], str) or not e["user_agent"] or len(e["user_agent"]) > 512:
                bad(i, "bad user_agent")
            if not isinstance(e["ctx"], str) or not e["ctx"]:
                bad(i, "empty ctx")
            label_c[lab] += 1
            scen_c[(lab, scen)] += 1
            scen_out[(lab, scen)][out] += 1
            out_by_label[lab][out] += 1
            if e["takeover"]:
                take_days[ts[:10]] += 1
                take_by_scen[scen] += 1
                take_accts.add(acct)
            accts[lab].add(acct)
            ips[lab].add(ip)
            fps.add(e["secret_fp"])
            if "device" in e:
                with_dev[lab] += 1
                devs[lab].add(e["device"])
            if ipo is not None and ipo.version == 6:
                v6[lab] += 1
            countries[e["country"]] += 1
            asns[e["asn"]] += 1
            if isinstance(ts, str) and len(ts) > 13:
                hours[lab][int(ts[11:13])] += 1
                days[lab][ts[:10]] += 1
            ip_accts[ip].add(acct)
            ip_label[ip][lab] += 1
            if out == "wrong_secret":
                fp_accts_fail[e["secret_fp"]].add(acct)
            elif out == "success" and lab == "legit":
                fp_accts_ok_legit[e["secret_fp"]].add(acct)
            ua = e["user_agent"]
            kind = ("bank app" if ua.startswith("Lindenbank/") else "FinTS client" if ua.startswith("FinTS/")
                    else "browser" if ua.startswith("Mozilla/") else "server/other")
            ua_kind[lab][kind] += 1

    print(f"== {a.log}: {n} events")
    for lab in ("legit", "attack"):
        print(f"  {lab:6s} {label_c[lab]:8d} ({pct(label_c[lab], n)})   outcomes: " +
              ", ".join(f"{k} {v} ({pct(v, label_c[lab])})" for k, v in sorted(out_by_label[lab].items())))
    print(f"  takeovers: {sum(take_by_scen.values())} events on {len(take_accts)} accounts")
    print("\n== scenarios (events | success / wrong / unknown | takeovers)")
    for (lab, scen), k in sorted(scen_c.items(), key=lambda x: (x[0][0] != "legit", -x[1])):
        o = scen_out[(lab, scen)]
        tk = take_by_scen[scen] if lab == "attack" else 0
        print(f"  {lab:6s} {scen:34s} {k:8d} | {o['success']:7d} {o['wrong_secret']:6d} {o['unknown_account']:6d}"
              f" | {tk}")
    print("\n== distinct")
    for lab in ("legit", "attack"):
        print(f"  {lab:6s} accounts {len(accts[lab]):7d}  addresses {len(ips[lab]):7d}  devices {len(devs[lab]):7d}"
              f"  with device token {pct(with_dev[lab], label_c[lab])}  IPv6 {pct(v6[lab], label_c[lab])}")
    print(f"  accounts in both: {len(accts['legit'] & accts['attack'])}; addresses in both: "
          f"{len(ips['legit'] & ips['attack'])}; distinct secret fingerprints: {len(fps)}")
    print("  client kinds: " + "; ".join(
        f"{lab}: " + ", ".join(f"{k} {pct(v, label_c[lab])}" for k, v in ua_kind[lab].most_common())
        for lab in ("legit", "attack")))
    print("\n== countries: " + ", ".join(f"{c} {pct(k, n).strip()}" for c, k in countries.most_common(a.top + 8)))
    print("== ASNs: " + ", ".join(f"AS{c} {k}" for c, k in asns.most_common(a.top + 8)))
    print("\n== per hour (UTC), legit / attack")
    for h in range(24):
        lg, at = hours["legit"][h], hours["attack"][h]
        print(f"  {h:02d}  {lg:7d} {'#' * int(60 * lg / max(1, max(hours['legit'].values())))}"
              f"  | {at:6d}")
    print("\n== per day (UTC date): legit / attack / takeovers")
    for d in sorted(set(days["legit"]) | set(days["attack"])):
        print(f"  {d}  {days['legit'][d]:7d}  {days['attack'][d]:6d}  {take_days[d]:4d}")
    print("\n== addresses with most distinct accounts (legit events / attack events)")
    for ip, s in sorted(ip_accts.items(), key=lambda x: -len(x[1]))[:a.top]:
        print(f"  {ip:40s} {len(s):6d} accounts  {ip_label[ip]['legit']:6d} / {ip_label[ip]['attack']:6d}")
    print("\n== secret fingerprints failing on most distinct accounts (and legit accounts it succeeds for)")
    for fp, s in sorted(fp_accts_fail.items(), key=lambda x: -len(x[1]))[:a.top]:
        print(f"  {fp}  fails on {len(s):5d} accounts, legit successes on {len(fp_accts_ok_legit.get(fp, ())):4d}")
    shared = sorted(((len(s), fp) for fp, s in fp_accts_ok_legit.items() if len(s) > 1), reverse=True)
    print(f"\n== fingerprints with legit successes on >1 account: {len(shared)}; largest: "
          + ", ".join(f"{k}" for k, _ in shared[:10]))
    bad_count = len(errors)
    if errors:
        print("\n== VIOLATIONS")
        for m in errors:
            if m:
                print("  " + m)
        print(f"  ({bad_count} in all)")
        sys.exit(1)
    legit_share = label_c["legit"] / n if n else 0
    print(f"\nOK: invariants hold; legit share {100 * legit_share:.1f}%, "
          f"takeovers {sum(take_by_scen.values())}")


if __name__ == "__main__":
    main()
