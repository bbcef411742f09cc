#!/usr/bin/env python3
"""Validate a log written by generate.py and summarise it.

    python3 check.py OUT.jsonl

Invariants checked (exit status 1 and the first few violations printed if any fails):
  * every line is a JSON object; ts is RFC 3339 UTC with milliseconds and Z; lines sorted by ts
  * required fields present with the right types: ts, account (1-256 chars), ip (IPv4/IPv6),
    outcome (success | wrong_secret | unknown_account | locked); optional user_agent (str),
    device (str <= 256, absent rather than empty), secret_fp (16 lowercase hex), asn (int 0..2^31-1),
    country (ISO alpha-2, upper case); ground truth label (legit|attack), scenario (str), takeover (bool)
  * takeover true only on an attack success, and every attack success is a takeover
  * every expected scenario is present, legit scenarios only on legit events and attack ones on attack
  * an address always maps to the same asn and country
Then prints a per label/scenario summary and a few shape statistics.
"""
import ipaddress
import json
import re
import sys
from collections import Counter, defaultdict
from datetime import datetime, timedelta, timezone

LEGIT = ["normal", "crash-surge", "auth-incident-retry", "forced-reset", "aggregator", "trading-tool", "travel"]
ATTACK = ["crash-stuffing", "slow-spray", "aitm-relay", "aitm-fraudster", "hnw-bruteforce", "leaked-old-password"]
OUTCOMES = ("success", "wrong_secret", "unknown_account", "locked")
TS_RE = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")
FP_RE = re.compile(r"^[0-9a-f]{16}$")
CC_RE = re.compile(r"^[A-Z]{2}$")
JST = timezone(timedelta(hours=9))


def main():
    if len(sys.argv) != 2:
        raise SystemExit("usage: check.py OUT.jsonl")
    errors = []

    def err(ln, msg):
        if len(errors) < 30:
            errors.append(f"line {ln}: {msg}")
        else:
            errors.append(None)

    stats = defaultdict(lambda: Counter())
    accts = defaultdict(set)
    ip_map = {}
    prev_ts = ""
    n = 0
    v6 = 0
    nodev = 0
    per_day = Counter()
    open_win = Counter()          # (date JST) -> legit events 09:00-09:15 JST
    fp_accts = defaultdict(set)
    attack_n = 0
    with open(sys.argv[1], encoding="utf-8") as f:
        for ln, line in enumerate(f, 1):
            n += 1
            try:
                e = json.loads(line)
            except ValueError as x:
                err(ln, f"bad JSON {x}")
                continue
            if not isinstance(e, dict):
                err(ln, "not an object")
                continue
            ts = e.get("ts")
            if not isinstance(ts, str) or not TS_RE.match(ts):
                err(ln, f"bad ts {ts!r}")
                continue
            if ts < prev_ts:
                err(ln, f"not sorted: {ts} after {prev_ts}")
            prev_ts = ts
            acct = e.get("account")
            if not isinstance(acct, str) or not 1 <= len(acct) <= 256:
                err(ln, "bad account")
            ip = e.get("ip")
            try:
                ipo = ipaddress.ip_address(ip)
                if ipo.version == 6:
                    v6 += 1
            except (ValueError, TypeError):
                err(ln, f"bad ip {ip!r}")
            o = e.get("outcome")
            if o not in OUTCOMES:
                err(ln, f"bad outcome {o!r}")
            if "user_agent" in e and not isinstance(e["user_agent"], str):
                err(ln, "bad user_agent")
            if "device" in e:
                d = e["device"]
                if not isinstance(d, str) or not 1 <= len(d) <= 256:
                    err(ln, "bad device")
            else:
                nodev += 1
            fp = e.get("secret_fp")
            if fp is not None and (not isinstance(fp, str) or not FP_RE.match(fp)):
                err(ln, "bad secret_fp")
            asn = e.get("asn")
            if asn is not None and (not isinstance(asn, int) or isinstance(asn, bool) or not 0 <= asn <= 2147483647):
                err(ln, f"bad asn {asn!r}")
            cc = e.get("country")
            if cc is not None and (not isinstance(cc, str) or not CC_RE.match(cc)):
                err(ln, f"bad country {cc!r}")
            if isinstance(ip, str):
                prevm = ip_map.setdefault(ip, (asn, cc))
                if prevm != (asn, cc):
                    err(ln, f"ip {ip} seen as {prevm} and {(asn, cc)}")
            lab, scen, to = e.get("label"), e.get("scenario"), e.get("takeover")
            if lab not in ("legit", "attack"):
                err(ln, f"bad label {lab!r}")
            if not isinstance(scen, str) or not scen:
                err(ln, "bad scenario")
            if not isinstance(to, bool):
                err(ln, "bad takeover")
            if to and not (lab == "attack" and o == "success"):
                err(ln, "takeover on a non-attack or non-success")
            if lab == "attack" and o == "success" and to is not True:
                err(ln, "attack success without takeover")
            if lab == "legit" and scen in ATTACK or lab == "attack" and scen in LEGIT:
                err(ln, f"scenario {scen} with label {lab}")
            k = (lab, scen)
            s = stats[k]
            s["events"] += 1
            s[o] += 1
            if to:
                s["takeover"] += 1
            accts[k].add(acct)
            if lab == "attack":
                attack_n += 1
            if fp and o != "unknown_account":
                fp_accts[fp].add(acct)
            t = datetime.strptime(ts, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=timezone.utc).astimezone(JST)
            per_day[(t.date().isoformat(), lab)] += 1
            if lab == "legit" and t.hour == 9 and t.minute < 15 and t.weekday() < 5:
                open_win[t.date().isoformat()] += 1

    present = {s for (_, s) in stats}
    for s in LEGIT + ATTACK:
        if s not in present:
            err(0, f"scenario {s} missing")
    for (lab, s) in stats:
        if s not in LEGIT + ATTACK:
            err(0, f"unexpected scenario {s} ({lab})")

    hdr = f"{'label':6} {'scenario':22} {'events':>8} {'success':>8} {'wrong':>7} {'unknown':>7} {'locked':>6} {'takeov':>6} {'accounts':>8}"
    print(hdr)
    print("-" * len(hdr))
    tot = Counter()
    for lab in ("legit", "attack"):
        sub = Counter()
        for s in (LEGIT if lab == "legit" else ATTACK):
            c = stats.get((lab, s), Counter())
            na = len(accts.get((lab, s), ()))
            print(f"{lab:6} {s:22} {c['events']:8d} {c['success']:8d} {c['wrong_secret']:7d} {c['unknown_account']:7d} "
                  f"{c['locked']:6d} {c['takeover']:6d} {na:8d}")
            sub.update(c)
        la = set()
        for (l2, s), a in accts.items():
            if l2 == lab:
                la |= a
        print(f"{lab:6} {'(all)':22} {sub['events']:8d} {sub['success']:8d} {sub['wrong_secret']:7d} "
              f"{sub['unknown_account']:7d} {sub['locked']:6d} {sub['takeover']:6d} {len(la):8d}")
        tot.update(sub)
    print(f"{'all':6} {'':22} {tot['events']:8d} {tot['success']:8d} {tot['wrong_secret']:7d} {tot['unknown_account']:7d} "
          f"{tot['locked']:6d} {tot['takeover']:6d}")
    print()
    print(f"attack share {attack_n / max(n, 1):.2%}; IPv6 events {v6 / max(n, 1):.1%}; without device {nodev / max(n, 1):.1%}; "
          f"distinct ips {len(ip_map)}")
    if open_win:
        peak_day = max(open_win, key=lambda d: open_win[d])
        others = sorted(v for d, v in open_win.items() if d != peak_day)
        med = others[len(others) // 2] if others else 0
        print(f"09:00-09:15 JST legit events: crash day {peak_day} {open_win[peak_day]}, median other weekday {med} "
              f"-> {open_win[peak_day] / max(med, 1):.1f}x; by weekday: "
              + " ".join(f"{d[5:]}:{v}" for d, v in sorted(open_win.items())))
    shared = sorted(((len(a), fp) for fp, a in fp_accts.items()), reverse=True)[:3]
    print("most shared fingerprints (accounts): " + ", ".join(f"{fp}:{k}" for k, fp in shared))
    print("events per JST day (legit/attack): " + " ".join(
        f"{d[5:]}:{per_day[(d, 'legit')]}/{per_day[(d, 'attack')]}" for d in sorted({d for d, _ in per_day})))
    if errors:
        shown = [e for e in errors if e]
        print(f"\nFAILED: {len(errors)} violation(s), first ones:", file=sys.stderr)
        for e in shown:
            print("  " + e, file=sys.stderr)
        sys.exit(1)
    print(f"\nOK: {n} events, all invariants hold")


if __name__ == "__main__":
    main()
