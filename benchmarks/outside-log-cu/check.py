#!/usr/bin/env python3
"""
check.py OUT.jsonl - validate a log written by generate.py and summarise it.

Invariants checked (each violation is counted and the first few are shown):
  * every line is a JSON object; ts strictly "YYYY-MM-DDTHH:MM:SS.mmmZ" and non-decreasing;
  * required fields present with the right types: ts, account (1-256 chars), ip (valid,
    globally routable IPv4/IPv6), outcome (success|wrong_secret|unknown_account|locked);
  * optional fields well formed when present: user_agent (str <= 512), device (non-empty
    str <= 256, never null), secret_fp (16 lowercase hex), asn (int 0..2^31-1), country
    (two upper-case letters), tenant (str <= 64);
  * ground truth: label legit|attack, scenario a non-empty string, takeover a boolean;
    takeover true only on an attack success, and every attack success is a takeover;
  * every expected attack scenario appears, and so does legitimate traffic.
Exit status 1 when any check fails.  Python 3 standard library only.
"""

import ipaddress
import json
import re
import sys

ATTACK_SCENARIOS = ["stuffing-burst", "stuffing-slow", "spraying", "aitm-phishing", "sim-swap",
                    "elder-remote-access", "brute-force", "enumeration"]
OUTCOMES = ("success", "wrong_secret", "unknown_account", "locked")
TS_RE = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")
FP_RE = re.compile(r"^[0-9a-f]{16}$")
CC_RE = re.compile(r"^[A-Z]{2}$")
ALLOWED = {"ts", "account", "ip", "user_agent", "device", "outcome", "secret_fp", "asn", "country", "tenant",
           "label", "scenario", "takeover"}


def main(path):
    errors = {}
    examples = []

    def bad(kind, line, msg=""):
        errors[kind] = errors.get(kind, 0) + 1
        if len(examples) < 15:
            examples.append(f"line {line}: {kind} {msg}")

    stats = {}        # (label, scenario) -> [events, success, wrong, unknown, locked, takeovers, accounts-set]
    tenants = {}
    ips, devs, fps = {}, 0, {}
    v6 = 0
    prev_ts = ""
    n = 0
    first_ts = last_ts = None
    with open(path, encoding="utf-8") as f:
        for ln, line in enumerate(f, 1):
            n += 1
            try:
                e = json.loads(line)
            except ValueError as x:
                bad("invalid-json", ln, str(x))
                continue
            if not isinstance(e, dict):
                bad("not-object", ln)
                continue
            for k in e:
                if k not in ALLOWED:
                    bad("unexpected-field", ln, k)
            ts = e.get("ts")
            if not isinstance(ts, str) or not TS_RE.match(ts):
                bad("ts-format", ln, repr(ts))
            else:
                if ts < prev_ts:
                    bad("not-sorted", ln, f"{ts} < {prev_ts}")
                prev_ts = ts
                first_ts = first_ts or ts
                last_ts = ts
            acc = e.get("account")
            if not isinstance(acc, str) or not (1 <= len(acc) <= 256):
                bad("account", ln, repr(acc))
            ip = e.get("ip")
            try:
                a = ipaddress.ip_address(ip)
                if not a.is_global:
                    bad("ip-not-global", ln, ip)
                if a.version == 6:
                    v6 += 1
                ips[ip] = 1
            except (ValueError, TypeError):
                bad("ip", ln, repr(ip))
            out = e.get("outcome")
            if out not in OUTCOMES:
                bad("outcome", ln, repr(out))
            ua = e.get("user_agent")
            if "user_agent" in e and (not isinstance(ua, str) or not ua or len(ua) > 512):
                bad("user_agent", ln, repr(ua))
            if "device" in e:
                d = e["device"]
                if not isinstance(d, str) or not d or len(d) > 256:
                    bad("device", ln, repr(d))
                else:
                    devs += 1
            sf = e.get("secret_fp")
            if not isinstance(sf, str) or not FP_RE.match(sf):
                bad("secret_fp", ln, repr(sf))
            else:
                fps[sf] = fps.get(sf, 0) + 1
            asn = e.get("asn")
            if not isinstance(asn, int) or isinstance(asn, bool) or not (0 <= asn <= 2147483647):
                bad("asn", ln, repr(asn))
            cc = e.get("country")
            if not isinstance(cc, str) or not CC_RE.match(cc):
                bad("country", ln, repr(cc))
            ten = e.get("tenant")
            if not isinstance(ten, str) or not (1 <= len(ten) <= 64):
                bad("tenant", ln, repr(ten))
            lab = e.get("label")
            if lab not in ("legit", "attack"):
                bad("label", ln, repr(lab))
            sc = e.get("scenario")
            if not isinstance(sc, str) or not sc:
                bad("scenario", ln, repr(sc))
            tk = e.get("takeover", False)
            if not isinstance(tk, bool):
                bad("takeover-type", ln, repr(tk))
            if tk and not (lab == "attack" and out == "success"):
                bad("takeover-not-attack-success", ln)
            if lab == "attack" and out == "success" and not tk:
                bad("attack-success-without-takeover", ln)
            key = (lab, sc)
            s = stats.get(key)
            if s is None:
                s = stats[key] = [0, 0, 0, 0, 0, 0, {}]
            s[0] += 1
            if out in OUTCOMES:
                s[1 + OUTCOMES.index(out)] += 1
            if tk is True:
                s[5] += 1
            s[6][(ten, acc)] = 1
            t = tenants.setdefault(ten, [0, 0, {}])
            t[0] += 1
            if lab == "attack":
                t[1] += 1
            t[2][acc] = 1

    present = {sc for (lab, sc) in stats if lab == "attack"}
    for sc in ATTACK_SCENARIOS:
        if sc not in present:
            bad("missing-scenario", 0, sc)
    if not any(lab == "legit" for lab, _ in stats):
        bad("missing-legit", 0)

    # ---- summary
    tot = [0] * 6
    print(f"{path}: {n} events, {first_ts} .. {last_ts}")
    hdr = f"{'label':7} {'scenario':24} {'events':>8} {'success':>8} {'wrong':>7} {'unknown':>8} {'locked':>7} {'takeover':>8} {'accounts':>8}"
    print(hdr)
    print("-" * len(hdr))
    lab_tot = {}
    for lab in ("legit", "attack"):
        keys = sorted([k for k in stats if k[0] == lab], key=lambda k: -stats[k][0])
        for k in keys:
            s = stats[k]
            print(f"{lab:7} {k[1]:24} {s[0]:8d} {s[1]:8d} {s[2]:7d} {s[3]:8d} {s[4]:7d} {s[5]:8d} {len(s[6]):8d}")
            lt = lab_tot.setdefault(lab, [0] * 6)
            for i in range(6):
                lt[i] += s[i]
                tot[i] += s[i]
    print("-" * len(hdr))
    for lab in ("legit", "attack"):
        if lab in lab_tot:
            s = lab_tot[lab]
            print(f"{lab:7} {'(all)':24} {s[0]:8d} {s[1]:8d} {s[2]:7d} {s[3]:8d} {s[4]:7d} {s[5]:8d}")
    print(f"{'total':7} {'':24} {tot[0]:8d} {tot[1]:8d} {tot[2]:7d} {tot[3]:8d} {tot[4]:7d} {tot[5]:8d}")
    if tot[0]:
        print(f"attack share {100.0 * lab_tot.get('attack', [0])[0] / tot[0]:.2f} %; "
              f"{len(ips)} distinct IPs ({100.0 * v6 / tot[0]:.1f} % of events IPv6); "
              f"{100.0 * devs / tot[0]:.1f} % of events carry a device token; {len(fps)} distinct fingerprints")
    print()
    print(f"{'tenant':20} {'events':>8} {'attack':>7} {'accounts':>8}")
    for ten in sorted(tenants, key=lambda x: -tenants[x][0]):
        t = tenants[ten]
        print(f"{ten:20} {t[0]:8d} {t[1]:7d} {len(t[2]):8d}")
    print()
    if errors:
        print("FAILED:")
        for k in sorted(errors):
            print(f"  {k}: {errors[k]}")
        for x in examples:
            print("   ", x)
        return 1
    print("OK: all invariants hold")
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 2:
        print("usage: check.py OUT.jsonl", file=sys.stderr)
        sys.exit(2)
    sys.exit(main(sys.argv[1]))
