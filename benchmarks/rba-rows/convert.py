#!/usr/bin/env python3
"""Mamori JSONL (from `mamori simulate`) to rows of the RBA dataset's 16 columns (Wiefling et al.), for measuring
`mamori replay --format rba` at the dataset's scale without the dataset.

    python3 convert.py OUT.csv IN.jsonl[:OFFSET_DAYS:ACCOUNT_PREFIX] ...

Several inputs are written one after another: each shifted by OFFSET_DAYS and its accounts prefixed, so runs of the
simulator (which holds at most 20M user-days in memory) make one longer log with distinct users. The dataset has no
secret fingerprint and no device token, so neither is written; its Region and City are '-', RTT and the parsed
browser, OS and device-type columns empty (replay reads the user agent itself).

The 36M-row file of docs/BENCHMARKS.md ("Replay speed"):
    for s in 6 7 8; do mamori simulate --scenario mixed --users 2000000 --days 10 --seed $s --out chunk$s.jsonl; done
    python3 convert.py big.rba.csv chunk6.jsonl:0:a chunk7.jsonl:10:b chunk8.jsonl:20:c
"""
import csv
import datetime
import json
import sys

COLUMNS = ['index', 'Login Timestamp', 'User ID', 'Round-Trip Time [ms]', 'IP Address', 'Country', 'Region', 'City',
           'ASN', 'User Agent String', 'Browser Name and Version', 'OS Name and Version', 'Device Type',
           'Login Successful', 'Is Attack IP', 'Is Account Takeover']


def main(out, inputs):
    if not inputs:
        sys.exit(__doc__)
    with open(out, 'w', newline='') as f:
        w = csv.writer(f)
        w.writerow(COLUMNS)
        index = 0
        for spec in inputs:
            path, offset, prefix = (spec.split(':') + ['0', ''])[:3]
            delta = datetime.timedelta(days=int(offset))
            with open(path) as lines:
                for line in lines:
                    e = json.loads(line)
                    ts = datetime.datetime.fromisoformat(e['ts'].replace('Z', '+00:00')) + delta
                    w.writerow([index, ts.strftime('%Y-%m-%d %H:%M:%S.%f')[:-3], prefix + e['account'], '', e['ip'],
                                e.get('country', ''), '-', '-', e.get('asn', ''), e.get('user_agent', ''), '', '', '',
                                e['outcome'] == 'success', e.get('label') == 'attack', bool(e.get('takeover'))])
                    index += 1


if __name__ == '__main__':
    main(sys.argv[1] if len(sys.argv) > 1 else '', sys.argv[2:])
