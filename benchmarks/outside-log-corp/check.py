#!/usr/bin/env python3
"""Validate a log written by generate.py (Mamori JSONL with ground truth) and print a summary.

Usage: python3 check.py OUT.jsonl     (exit 1 on any failure; at most 20 failures are listed)
"""
import ipaddress
import json
import re
import sys

TS = re.compile(r'^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$')
FP = re.compile(r'^[0-9a-f]{16}$')
CC = re.compile(r'^[A-Z]{2}$')
OUTCOMES = ('success', 'wrong_secret', 'unknown_account', 'locked')
REQUIRED = ('ts', 'account', 'ip', 'outcome')
OPTIONAL = ('user_agent', 'device', 'secret_fp', 'asn', 'country', 'tenant')
TRUTH = ('label', 'scenario', 'takeover')
ATTACK_SCENARIOS = ['aitm-relay', 'aitm-cashout', 'spray', 'stuffing', 'infostealer', 'insider', 'mailbox-cred',
                    'id-probe', 'targeted-guess']


def main(path):
    errors = []

    def bad(line, msg):
        if len(errors) < 20:
            errors.append('line %d: %s' % (line, msg))
        else:
            errors.append(None)

    n = 0
    last_ts = ''
    labels = {}
    scen = {}
    outcomes = {}
    takeovers = {}
    accounts = {}
    ips = {}
    tenants = {}
    ip_global_cache = {}
    with open(path, encoding='utf-8') as f:
        for ln, raw in enumerate(f, 1):
            raw = raw.rstrip('\n')
            if not raw:
                bad(ln, 'blank line')
                continue
            try:
                ev = json.loads(raw)
            except ValueError as e:
                bad(ln, 'invalid JSON: %s' % e)
                continue
            if not isinstance(ev, dict):
                bad(ln, 'not an object')
                continue
            n += 1
            for k in REQUIRED:
                if k not in ev:
                    bad(ln, 'missing ' + k)
            for k in ev:
                if k not in REQUIRED + OPTIONAL + TRUTH:
                    bad(ln, 'unexpected field ' + k)
            ts = ev.get('ts')
            if not isinstance(ts, str) or not TS.match(ts):
                bad(ln, 'bad ts %r' % (ts,))
            else:
                if ts < last_ts:
                    bad(ln, 'ts goes back: %s < %s' % (ts, last_ts))
                last_ts = ts
            acct = ev.get('account')
            if not isinstance(acct, str) or not 1 <= len(acct) <= 256:
                bad(ln, 'bad account')
            ip = ev.get('ip')
            g = ip_global_cache.get(ip)
            if g is None:
                try:
                    a = ipaddress.ip_address(ip)
                    g = 'ok' if a.is_global else 'not globally routable'
                except (ValueError, TypeError):
                    g = 'not an IP address'
                if len(ip_global_cache) < 2000000:
                    ip_global_cache[ip] = g
            if g != 'ok':
                bad(ln, 'ip %r: %s' % (ip, g))
            out = ev.get('outcome')
            if out not in OUTCOMES:
                bad(ln, 'bad outcome %r' % (out,))
            if 'user_agent' in ev and (not isinstance(ev['user_agent'], str) or not ev['user_agent']
                                       or len(ev['user_agent']) > 512):
                bad(ln, 'bad user_agent')
            if 'device' in ev and (not isinstance(ev['device'], str) or not 1 <= len(ev['device']) <= 256):
                bad(ln, 'bad device')
            if 'secret_fp' in ev and (not isinstance(ev['secret_fp'], str) or not FP.match(ev['secret_fp'])):
                bad(ln, 'bad secret_fp')
            if 'asn' in ev and (type(ev['asn']) is not int or not 0 <= ev['asn'] <= 2147483647):
                bad(ln, 'bad asn')
            if 'country' in ev and (not isinstance(ev['country'], str) or not CC.match(ev['country'])
                                    or ev['country'] in ('ZZ', 'XX')):
                bad(ln, 'bad country')
            if 'tenant' in ev and (not isinstance(ev['tenant'], str) or not 1 <= len(ev['tenant']) <= 64):
                bad(ln, 'bad tenant')
            lab = ev.get('label')
            sc = ev.get('scenario')
            to = ev.get('takeover')
            if lab not in ('legit', 'attack'):
                bad(ln, 'bad label %r' % (lab,))
            if not isinstance(sc, str) or not sc:
                bad(ln, 'bad scenario %r' % (sc,))
            if not isinstance(to, bool):
                bad(ln, 'bad takeover %r' % (to,))
            elif to != (lab == 'attack' and out == 'success'):
                bad(ln, 'takeover=%s but label=%s outcome=%s' % (to, lab, out))
            labels[lab] = labels.get(lab, 0) + 1
            key = (lab, sc)
            scen[key] = scen.get(key, 0) + 1
            outcomes[(lab, out)] = outcomes.get((lab, out), 0) + 1
            if to is True:
                takeovers[sc] = takeovers.get(sc, 0) + 1
            if isinstance(acct, str):
                accounts[acct] = True
            ips[ip] = True
            if 'tenant' in ev:
                tenants[ev['tenant']] = True
    if n == 0:
        bad(0, 'empty log')
    present = {s for (l, s) in scen if l == 'attack'}
    for s in ATTACK_SCENARIOS:
        if s not in present:
            bad(0, 'attack scenario %s absent' % s)
    for s in sorted(present):
        if s not in ATTACK_SCENARIOS:
            bad(0, 'unknown attack scenario %s' % s)

    print('file: %s' % path)
    print('events: %d   accounts: %d   ips: %d   tenants: %d   span: %s' % (
        n, len(accounts), len(ips), len(tenants), last_ts))
    for lab in sorted(labels, key=str):
        print('label %-7s %8d  (%.2f%%)' % (lab, labels[lab], 100.0 * labels[lab] / max(1, n)))
    print('outcomes:')
    for (lab, out), c in sorted(outcomes.items(), key=lambda x: (str(x[0][0]), str(x[0][1]))):
        print('  %-7s %-16s %8d' % (lab, out, c))
    print('scenarios:')
    for (lab, sc), c in sorted(scen.items(), key=lambda x: (str(x[0][0]), -x[1])):
        t = takeovers.get(sc, 0) if lab == 'attack' else 0
        print('  %-7s %-16s %8d%s' % (lab, sc, c, ('   takeovers %d' % t) if lab == 'attack' else ''))
    print('takeovers: %d' % sum(takeovers.values()))
    if errors:
        shown = [e for e in errors if e is not None]
        print('FAILED: %d problem(s)%s' % (len(errors), '' if len(shown) == len(errors) else ', first 20:'))
        for e in shown:
            print('  ' + e)
        return 1
    print('OK')
    return 0


if __name__ == '__main__':
    if len(sys.argv) != 2:
        print(__doc__.strip(), file=sys.stderr)
        sys.exit(2)
    sys.exit(main(sys.argv[1]))
