"""RBA rows (from convert.py) with the public RBA dataset's variety of keys, for measuring replay on it.

The simulator's customers come back from the same carrier addresses and with a few thousand agent strings. The dataset
has about 431,000 distinct addresses per million rows, and agent strings synthesized with build numbers. This keeps
every row and its labels, and changes two columns:
  - IP Address: for a legitimate row, the first two octets of the original, then two from a hash of (account, day). So
    each account gets a new address each day, in the same /16 and ASN. Attack rows and IPv6 addresses stay as they are.
  - User Agent String: the original with " variation/N" appended, N from a hash of the account (one of 300,000).

    python3 diversify.py IN.rba.csv OUT.rba.csv

docs/BENCHMARKS.md ("Replay speed") has what it measured. Python 3 standard library only; deterministic.
"""
import csv
import hashlib
import sys

if len(sys.argv) != 3 or sys.argv[1] in ('-h', '--help'):
    print(__doc__.strip(), file=sys.stderr if len(sys.argv) != 2 else sys.stdout)
    sys.exit(0 if len(sys.argv) == 2 else 2)

with open(sys.argv[1], newline='') as f, open(sys.argv[2], 'w', newline='') as g:
    rows = csv.reader(f)
    out = csv.writer(g, lineterminator='\n')
    out.writerow(next(rows))
    for row in rows:
        account, day = row[2], row[1][:10]
        if row[14] != 'True' and '.' in row[4]:
            h = hashlib.blake2b((account + day).encode(), digest_size=4).digest()
            octets = row[4].split('.')
            row[4] = f"{octets[0]}.{octets[1]}.{h[2]}.{h[3] or 1}"
        variation = int.from_bytes(hashlib.blake2b(account.encode(), digest_size=3).digest(), 'big') % 300_000
        row[9] = f"{row[9]} variation/{variation}"
        out.writerow(row)
