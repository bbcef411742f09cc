#!/usr/bin/env python3
"""Synthetic login log for "PayKaro", an Indian-style mobile payments (UPI) app.

Usage:  python3 generate.py SEED OUT.jsonl [--users N] [--days D]

Writes JSON Lines, one login attempt per line, sorted by time (see check.py for the
invariants).  Python 3 standard library only; deterministic for a given seed and
arguments (no set iteration, no hash(), string-seeded random.Random everywhere).

How it works
------------
A discrete-event simulation.  Every customer has a list of session start times; each
session, and each attacker campaign, is a Python generator that yields login attempts
and sleeps.  One account store decides every outcome (right/wrong secret, unknown
account, 3-strikes lockout) in global time order, so attacks and customers interact
for real: a reverse-brute-force night can lock a dormant customer out, a SIM-swap
changes the MPIN under the victim, a customer who finds himself locked resets via
OTP.  Labels are ground truth by construction: label/scenario come from the actor,
`takeover` is true exactly when an attacker's attempt succeeded on a real customer's
account (never on mule accounts, never on failures).

Assumptions (and what public knowledge they lean on)
----------------------------------------------------
Time and rhythm
* Window starts Sunday 19 Oct 2025 00:00 IST (= 18 Oct 18:30Z).  Diwali (Lakshmi
  Puja) fell on Mon 20 Oct 2025, so day 1 is the festival spike (x2.6; NPCI's
  published daily UPI counts show festival/month-start peaks well above normal
  days); the day before (shopping, x1.35), after (x1.3), Bhai Dooj (x1.15).
  Salary day: many Indian private employers pay on the last working day / the 1st,
  so Fri 31 Oct is x1.25 and Sat 1 Nov x1.7.  With --days smaller the specials
  that fall outside the window are simply absent.
* Hourly shape in IST follows the commonly published UPI intraday pattern: trough
  02-05 h, morning rise from 07 h, plateau 10-14 h, evening peak 18-21 h.  Shops
  (merchants) 08-22 h.  Gulf workers live on Gulf time (UTC+4 UAE, UTC+3 KSA), i.e.
  their day is shifted 1.5/2.5 h earlier in IST.
* Login here = the MPIN screen of the app (or password/MPIN on the web portal).
  Biometric unlocks are not logged (not a secret-bearing attempt).

Population (default 40,000 customers)
* Activity: 35 % dormant (1-2 logins in the window), 30 % casual (~0.25/day),
  26 % regular (~1.2/day), 9 % power users (~3.5/day), about 0.8 % merchants
  (shop owners; the app re-asks the MPIN after inactivity, so ~6-50 logins a day),
  all with a per-user log-normal spread.  These shares are judgement, shaped after
  the usual heavy-tailed app usage (a few % of users make a large share of logins).
* Channel: ~94 % Android app, ~5 % iOS (India's iOS share is ~4-6 %), ~3 % web
  portal users; a tenth of merchants use the web "business portal" from an office;
  ~25 merchant accounts are driven by a POS/reconciliation backend logging in on a
  fixed schedule every 15-120 min (70 % hosted on AWS Mumbai AS16509, 30 % on an
  office server on Tata/Sify); the only legit automation, none on the app.  A quarter
  of them see the merchant change the portal password, so the connector keeps
  failing with the stale one until it locks and an admin fixes it (2-30 h later).
* Phones: cheap Android models popular in India (Samsung A/M, Redmi, Realme, Vivo,
  Oppo, Infinix, Tecno, itel, Lava, Moto), Android 10-16.  App id (`device`) is a
  per-install UUID: it changes on reinstall (3.5 %/week per phone) and on phone
  change (1 %/week).  3 % of users alternate between two phones, 4 % live in
  households of 2-4 accounts sharing one family phone (half of those households use
  the same MPIN for all members, which makes one secret_fp appear on several
  accounts from one device - legit).  A staged app update 8.4.x -> 8.5.0 rolls out
  from day 5, so the UA of one install changes mid-window; a reinstall always gets
  the current Play-Store version.
* Network: mobile subscriber shares roughly TRAI's 2024-25 figures (Jio ~41 %,
  Airtel ~34 %, Vi ~17 %, BSNL ~8 %).  Mobile IPv4 is CGNAT: per (carrier, telecom
  circle) a pool of 24-512 public addresses (sized so that, in a 40k-user sample,
  each address is shared by dozens of customers; at India's real scale it is
  thousands), a fresh address per session unless the previous session was <15 min
  earlier.  Jio is mostly IPv6 (India's IPv6 adoption is largely Jio's): ~65 % of
  Jio and ~15 % of Airtel sessions are IPv6 with a rotating /64.  Home broadband in
  metro circles (ACT AS24309, Hathway AS17488, Airtel broadband AS24560) with a
  lease that changes every 1-7 days; ~12 % of users have office Wi-Fi (Tata Comm
  AS4755, Sify AS9583, Airtel business AS9498, AS24560) shared by coworkers.
  ALL PREFIXES ARE INVENTED (plausible first octets per operator, not
  authoritative whois data); they are consistent within and across seeds.
* Gulf workers (1.5 %): the NPCI 2023 change lets NRIs in 10 countries (incl. UAE,
  Saudi Arabia) use UPI with their international number, so half of them log in
  with a 9715.../9665... account id; the rest keep an Indian number, and when on
  Indian-SIM roaming their data is home-routed (Indian carrier IP seen from abroad
  - a known property of GSM roaming).  Some visit home during the window.
* Domestic travel (3 %): 1-5 days in another circle; same country, new pools.

Secrets
* MPIN length: 65 % 4-digit, 35 % 6-digit.  4-digit choice follows the
  DataGenetics analysis of 3.4 M leaked 4-digit PINs (1234 ~10.7 %, 1111 ~6 %,
  0000 ~1.9 %, top-20 ~26 %), with India-flavoured tweaks (7860 / 0786 for "786",
  2580 keypad column), plus birth years 1985-2003 (7 %, peaked ~1996, India's young
  population) and DDMM dates (Bonneau, Preibusch & Anderson 2012 found dates are a
  large share of human PINs).  6-digit: 123456 ~7 % and a ~21 % top list, DDMMYY
  birth dates 14 % (in line with Wang et al. 2017 and Markert et al. 2020, IEEE S&P,
  on 6-digit PINs).  Each user also has a UPI PIN (bank PIN) drawn the same way;
  typing the UPI PIN at the MPIN prompt is a common confusion.
* Web-portal passwords (for ~15 % of customers) are Indian-style (Name@123,
  name+year, India@123 ...); credential-stuffing combos reuse a customer's password
  for ~15 % of listed customers who have one (password-reuse studies such as Das et
  al. 2014 report much higher raw reuse, but most combos here belong to app-only
  customers who never set a web password), giving a success rate well under 1 %,
  in line with commonly cited stuffing success rates (0.1-2 %).
* Errors: a typo session (adjacent keypad digit / transposition, or UPI PIN
  confusion) in ~3-4 % of app sessions; "forgot MPIN" in ~0.6 % (x8 on the first
  login after a reinstall or phone change, x6 after a long gap); the user tries 1-3
  guesses, then resets via OTP (not logged; the reset unlocks) or gives up.
  Lockout: 3 consecutive wrong secrets lock the account for 24 h (any channel);
  attempts while locked are `locked` and are not checked.  A success resets the
  counter.
* secret_fp = first 16 hex of HMAC-SHA256(fixed key, typed secret) for every
  attempt, including unknown_account and locked (the server computes it before it
  looks anything up).

Attacks (campaign sizes scale with --users x --days/14; herders with --users)
* rbf_mpin: one crew, 3 consecutive nights (23:15-05:00 IST): 1234, then 1111,
  then 0000, each tried once against a leaked list of ~6,000 mobile numbers (40 %
  customers).  After night 1 it drops numbers that came back unknown_account and
  accounts it already owns.  Mobile-proxy exits (SIM-box farms) in 4 circles, i.e.
  addresses from the SAME CGNAT pools customers use, sticky for 1-6 attempts; a
  fresh emulator install id per attempt; an old APK (8.3.2).  Wins are cashed out
  by 1-2 later logins from the winning emulator.  Three wrong nights in a row lock
  dormant customers (collateral, see lockout_by_attack).
* rbf_mpin_slow: a second crew over 10 days at daytime rhythm: 1234 then 123456
  on a ~3,000 number list, proxies from all circles, spoofed real models with the
  current app version.
* cred_stuffing: 3 bursts of mobile+password combos on the web portal (~9,000
  attempts), 35 % customers, 5 % e-mail junk; residential proxies (Indian
  broadband/mobile pools shared with customers, plus Comcast, Viettel, Telkom ID,
  Claro BR, Rostelecom, Grameenphone) rotating every 1-4 attempts; rotating
  browser UAs (some stale); cookies mostly absent.  Hits get a manual follow-up.
* sim_swap: gangs in Jamtara (Jharkhand, Bihar circle), Bharatpur (Rajasthan) and
  Nuh (Haryana) - the hubs named in Indian police reporting - obtain a duplicate
  SIM, reset the MPIN via OTP (often to the gang's favourite PIN), log in 2-5 times
  from a gang phone on the victim's carrier in their own circle.  The victim is
  offline until the SIM is restored (4-36 h), then fails with the old MPIN, resets
  and recovers (scenario sim_swap_victim, legit).
* remote_access: victim installs a screen-sharing app during a "KYC/refund" call;
  the fraudster logs in 2-5 times on the victim's phone: same device, same
  address, correct MPIN (sometimes a mis-dictated one first).
* mule_herder: herders log into 5-10 fake-merchant mule accounts from one phone in
  rounds several times a day, often with one shared MPIN; mule_setup: the opener's
  first logins on their own phones.  Never takeovers.  The ~50 mule accounts are
  registered accounts in addition to the N customers.
* phishing_relay / phishing_login: fake KYC-update SMS; the kit relays number+MPIN
  in real time from a VPS (DigitalOcean BLR, AWS Mumbai, Azure Pune, Hetzner,
  OVH, Linode; rotated after takedowns) with the reduced generic Android Chrome UA
  (pinned at an old Chrome 124) and no cookie; 75 % of captured MPINs are then used
  from the fraudster's own phone (one device across many victims).  Non-customers
  and scambaiters produce unknown_account.

A customer never runs two sessions at once (a session start that falls inside a
running session of the same customer is dropped).

Scenario naming: legit events carry the most specific unusual circumstance
(gulf_worker, domestic_travel, family_phone, two_phones, reinstall / phone_change
for 48 h after the change, office_wifi, merchant, merchant_web, pos_backend,
sim_swap_victim, ras_victim, lockout_by_attack); typo / forgot_mpin replace only
the plain activity classes (dormant, casual, regular, power_user, web_user).
"""
import argparse
import bisect
import datetime
import hashlib
import heapq
import hmac
import json
import math
import random
import sys

HMAC_KEY = b"paykaro-synthetic-benchmark-key-2025-10"
SEC, MIN, HOUR, DAY = 1000, 60000, 3600000, 86400000
START_DATE = datetime.date(2025, 10, 19)               # IST date of day 0
START_MS = int(datetime.datetime(2025, 10, 18, 18, 30, tzinfo=datetime.timezone.utc).timestamp() * 1000)
LOCK_MS = 24 * HOUR
RELEASE_850 = START_MS + 5 * DAY + 10 * HOUR            # staged rollout of 8.5.0
NEG = START_MS - 400 * DAY

# outcome codes
OK, WRONG, WRONG_LOCK, LOCKED, UNKNOWN = 0, 1, 2, 3, 4
OUT_NAME = ["success", "wrong_secret", "wrong_secret", "locked", "unknown_account"]

PLAIN = ("dormant", "casual", "regular", "power_user", "web_user")

# ----------------------------------------------------------------------------- calendar
SPECIAL_DAYS = {
    datetime.date(2025, 10, 19): 1.35,  # choti Diwali shopping
    datetime.date(2025, 10, 20): 2.6,   # Diwali
    datetime.date(2025, 10, 21): 1.3,
    datetime.date(2025, 10, 23): 1.15,  # Bhai Dooj
    datetime.date(2025, 10, 31): 1.25,  # last working day: salaries
    datetime.date(2025, 11, 1): 1.7,    # salary day
}
DOW_MULT = [1.0, 1.0, 1.0, 1.0, 1.05, 1.0, 0.92]  # Mon..Sun

GEN_H = [1.2, 0.6, 0.35, 0.25, 0.3, 0.6, 1.5, 3.0, 4.5, 5.5, 6.3, 6.6, 6.5, 6.0, 5.6, 5.6,
         5.8, 6.2, 6.8, 7.2, 7.0, 5.8, 4.0, 2.4]
MERCH_H = [0.2, 0.05, 0.02, 0.02, 0.02, 0.1, 0.6, 2.5, 5, 6.5, 7, 7, 6.5, 6, 5.5, 5.5, 6, 6.5,
           7.5, 8, 7.5, 6, 3, 1]
OFFICE_H = [0, 0, 0, 0, 0, 0, 0, 0.2, 1, 4, 6, 6, 5, 4, 5, 6, 6, 5, 3, 1, 0.3, 0, 0, 0]


def cum(ws):
    out, s = [], 0.0
    for w in ws:
        s += w
        out.append(s)
    return out


GEN_C, MERCH_C, OFFICE_C = cum(GEN_H), cum(MERCH_H), cum(OFFICE_H)


def pick_hour(rng, c):
    return bisect.bisect_right(c, rng.random() * c[-1])


def poisson(rng, lam):
    if lam <= 0:
        return 0
    if lam > 40:
        return max(0, int(round(rng.gauss(lam, math.sqrt(lam)))))
    L, k, p = math.exp(-lam), 0, 1.0
    while True:
        p *= rng.random()
        if p <= L:
            return k
        k += 1


def wchoice(rng, items, cw):
    return items[bisect.bisect_right(cw, rng.random() * cw[-1])]


def uuid4(rng, upper=False):
    h = "%032x" % rng.getrandbits(128)
    s = "%s-%s-4%s-%s%s-%s" % (h[:8], h[8:12], h[13:16], "89ab"[int(h[16], 16) & 3], h[17:20], h[20:32])
    return s.upper() if upper else s


# ----------------------------------------------------------------------------- secrets
TOP4 = [("1234", 10.0), ("1111", 6.0), ("0000", 1.9), ("1212", 1.2), ("7777", 0.75), ("2000", 0.6),
        ("4444", 0.53), ("2222", 0.52), ("2580", 0.5), ("7860", 0.45), ("9999", 0.45), ("3333", 0.42),
        ("5555", 0.40), ("6666", 0.39), ("1122", 0.37), ("1313", 0.30), ("8888", 0.30), ("4321", 0.29),
        ("2001", 0.29), ("1010", 0.28), ("1004", 0.2), ("6969", 0.2), ("0786", 0.15), ("1947", 0.1),
        ("5683", 0.1), ("1231", 0.12), ("0007", 0.1), ("1008", 0.1)]
TOP6 = [("123456", 7.0), ("111111", 2.5), ("000000", 1.5), ("121212", 0.8), ("123123", 0.8),
        ("888888", 0.7), ("654321", 0.6), ("666666", 0.6), ("786786", 0.6), ("999999", 0.5),
        ("112233", 0.5), ("777777", 0.5), ("123321", 0.4), ("555555", 0.4), ("147258", 0.3),
        ("159753", 0.3), ("101010", 0.3), ("222222", 0.3), ("789456", 0.3), ("246810", 0.2),
        ("456789", 0.3), ("100200", 0.1), ("852852", 0.1)]
TOP4_I, TOP4_C = [p for p, _ in TOP4], cum([w for _, w in TOP4])
TOP6_I, TOP6_C = [p for p, _ in TOP6], cum([w for _, w in TOP6])
YEARS = list(range(1985, 2004))
YEARS_C = cum([math.exp(-((y - 1996) / 5.0) ** 2) for y in YEARS])
DIM = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]


def rand_date(rng):
    m = rng.randrange(12)
    return rng.randint(1, DIM[m]), m + 1


def sample_pin(rng, n):
    r = rng.random() * 100
    if n == 4:
        if r < TOP4_C[-1]:
            return TOP4_I[bisect.bisect_right(TOP4_C, rng.random() * TOP4_C[-1])]
        r -= TOP4_C[-1]
        if r < 7:
            return str(wchoice(rng, YEARS, YEARS_C))
        if r < 15:
            d, m = rand_date(rng)
            return "%02d%02d" % (d, m)
        if r < 16:
            d, m = rand_date(rng)
            return "%02d%02d" % (m, d)
        return "%04d" % rng.randrange(10000)
    if r < TOP6_C[-1]:
        return TOP6_I[bisect.bisect_right(TOP6_C, rng.random() * TOP6_C[-1])]
    r -= TOP6_C[-1]
    if r < 14:
        d, m = rand_date(rng)
        return "%02d%02d%02d" % (d, m, wchoice(rng, YEARS, YEARS_C) % 100)
    if r < 16:
        return sample_pin(rng, 4) + "00"
    return "%06d" % rng.randrange(1000000)


KEYPAD_NB = {"1": "24", "2": "135", "3": "26", "4": "157", "5": "2468", "6": "359", "7": "48",
             "8": "5790", "9": "68", "0": "8"}


def pin_typo(rng, pin):
    for _ in range(10):
        p = list(pin)
        i = rng.randrange(len(p))
        if rng.random() < 0.8:
            p[i] = rng.choice(KEYPAD_NB[p[i]])
        else:
            j = i + 1 if i + 1 < len(p) else i - 1
            p[i], p[j] = p[j], p[i]
        s = "".join(p)
        if s != pin:
            return s
    return pin[:-1] + str((int(pin[-1]) + 1) % 10)


NAMES = ["rahul", "priya", "amit", "neha", "suresh", "anita", "vijay", "pooja", "rajesh", "sunita",
         "arjun", "kavya", "manoj", "deepak", "sneha", "ravi", "lakshmi", "ganesh", "mohammed",
         "imran", "fatima", "harpreet", "gurpreet", "sanjay", "anil", "kiran", "divya", "akash",
         "rohit", "sachin", "krishna", "sai", "murugan", "babu", "shiva", "ayesha", "vikas", "nikhil"]
WORDS = ["india", "password", "welcome", "jaishreeram", "sairam", "omsairam", "krishna", "ganesha",
         "mahadev", "bismillah", "waheguru", "cricket", "dhoni", "virat", "love", "mummy", "papa",
         "baby", "sweet", "qwerty"]


def sample_password(rng):
    r = rng.random()
    nm = rng.choice(NAMES)
    yr = wchoice(rng, YEARS, YEARS_C)
    if r < 0.22:
        return nm.capitalize() + "@" + rng.choice(["123", "1234", str(yr), "12345", "786"])
    if r < 0.40:
        return nm + str(yr if rng.random() < 0.6 else yr % 100)
    if r < 0.52:
        return rng.choice(WORDS).capitalize() + "@" + rng.choice(["123", "1234", "2024", "2025", "108"])
    if r < 0.64:
        return rng.choice(WORDS) + str(rng.randint(1, 9999))
    if r < 0.70:
        return rng.choice(["12345678", "123456789", "1234567890", "password", "Password@123",
                           "India@123", "qwerty123", "abcd1234", "Pass@1234", "Admin@123"])
    if r < 0.84:
        return nm + rng.choice(["", "_", "."]) + rng.choice(NAMES) + str(rng.randint(1, 99))
    al = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789!@#$"
    return "".join(rng.choice(al) for _ in range(rng.randint(9, 14)))


def pwd_typo(rng, pw):
    for _ in range(10):
        r = rng.random()
        if r < 0.3 and pw[0].isalpha():
            s = pw[0].swapcase() + pw[1:]
        elif r < 0.5:
            s = pw.swapcase()            # caps lock
        elif r < 0.75:
            s = pw[:-1]
        elif r < 0.9:
            i = rng.randrange(len(pw))
            s = pw[:i] + pw[i] + pw[i:]
        else:
            i = rng.randrange(len(pw))
            s = pw[:i] + rng.choice("qwertyuiopasdfghjkl1234567890") + pw[i + 1:]
        if s != pw and s:
            return s
    return pw + "1"


# ----------------------------------------------------------------------------- geography & IPs
CIRCLES = [  # code, weight, broadband share  (telecom circles)
    ("MU", 0.05, 0.25), ("MH", 0.08, 0.12), ("DL", 0.07, 0.25), ("KA", 0.07, 0.22), ("TN", 0.07, 0.18),
    ("KL", 0.04, 0.15), ("AP", 0.09, 0.16), ("GJ", 0.06, 0.12), ("RJ", 0.05, 0.08), ("UE", 0.08, 0.06),
    ("UW", 0.06, 0.07), ("BR", 0.07, 0.05), ("WB", 0.05, 0.06), ("KO", 0.03, 0.20), ("MP", 0.05, 0.08),
    ("PB", 0.03, 0.10), ("HR", 0.02, 0.12), ("OR", 0.03, 0.06)]
CIRC = [c for c, _, _ in CIRCLES]
CIRC_C = cum([w for _, w, _ in CIRCLES])
CIRC_W = {c: w for c, w, _ in CIRCLES}
CIRC_BB = {c: b for c, _, b in CIRCLES}
CIRC_IX = {c: i for i, c in enumerate(CIRC)}

JIO, AIRTEL, VI, BSNL = 55836, 45609, 38266, 9829
CARRIERS = [JIO, AIRTEL, VI, BSNL]
CARRIER_C = cum([0.41, 0.34, 0.17, 0.08])
V6_SHARE = {JIO: 0.65, AIRTEL: 0.15, VI: 0.0, BSNL: 0.0}
ACT, HATHWAY, AIRTEL_BB = 24309, 17488, 24560
BB_AVAIL = {AIRTEL_BB: set(CIRC), ACT: {"KA", "AP", "TN", "DL"},
            HATHWAY: {"MU", "MH", "KA", "GJ", "TN", "KO", "AP", "DL"}}
BB_W = {AIRTEL_BB: 0.45, ACT: 0.30, HATHWAY: 0.25}
TATA, SIFY, AIRTEL_ENT = 4755, 9583, 9498
AWS, DO, AZURE, HETZNER, OVH, LINODE = 16509, 14061, 8075, 24940, 16276, 63949
ETISALAT, DU, STC, MOBILY = 5384, 15802, 25019, 35819


def r16(a, lo, hi):
    return ["%d.%d" % (a, b) for b in range(lo, hi + 1)]


SUPERNETS = {  # invented-but-plausible /16s per ASN (country)
    JIO: ("IN", r16(49, 32, 47) + r16(157, 32, 51) + r16(152, 56, 59) + r16(136, 232, 239)),
    AIRTEL: ("IN", r16(106, 192, 223) + r16(223, 176, 191)),
    VI: ("IN", r16(42, 104, 111) + r16(27, 56, 63) + ["1.38", "1.39", "49.14", "49.15"] + r16(110, 224, 227)),
    BSNL: ("IN", r16(117, 192, 223) + r16(59, 88, 99) + ["61.0", "61.1", "61.2", "61.3", "218.248"]),
    ACT: ("IN", r16(49, 204, 207) + ["106.51", "183.82", "183.83", "202.83"]),
    HATHWAY: ("IN", r16(115, 96, 99) + r16(27, 4, 7) + ["183.87", "103.59"]),
    AIRTEL_BB: ("IN", r16(122, 161, 179) + r16(182, 64, 79) + ["59.144", "59.145"]),
    TATA: ("IN", r16(14, 140, 143) + r16(115, 110, 119) + ["203.197"]),
    SIFY: ("IN", ["210.18", "202.144", "61.95", "59.160"]),
    AIRTEL_ENT: ("IN", r16(125, 16, 23)),
    AWS: ("IN", r16(13, 232, 235) + ["15.206", "15.207"] + r16(3, 108, 111) + ["43.204", "43.205"]),
    DO: ("IN", ["139.59", "143.110", "64.227", "165.232", "68.183"]),
    AZURE: ("IN", ["20.193", "20.192", "4.240", "4.213"]),
    HETZNER: ("DE", ["116.202", "116.203", "88.198", "88.99", "5.9", "95.216", "95.217", "167.235", "49.12", "49.13"]),
    OVH: ("FR", ["51.75", "51.77", "51.83", "51.91", "54.36", "54.37", "54.38", "145.239", "137.74"]),
    LINODE: ("US", ["172.104", "172.105", "45.33", "45.56", "50.116", "173.255"]),
    ETISALAT: ("AE", r16(94, 200, 207) + r16(5, 192, 195) + r16(86, 96, 99) + ["2.50", "2.51"]),
    DU: ("AE", r16(94, 56, 59) + ["2.48", "2.49", "83.110", "83.111"]),
    STC: ("SA", r16(188, 48, 55) + r16(2, 88, 91) + ["37.40", "37.41"]),
    MOBILY: ("SA", r16(37, 104, 111) + ["188.71", "188.70"]),
    7922: ("US", r16(73, 0, 31) + r16(24, 0, 15) + r16(98, 192, 223)),
    7552: ("VN", r16(27, 64, 79) + r16(171, 224, 255) + r16(116, 96, 98)),
    7713: ("ID", r16(36, 64, 95) + r16(180, 240, 255) + ["114.4", "114.5"]),
    28573: ("BR", r16(177, 33, 36) + r16(179, 180, 182) + ["189.0", "189.1", "191.180", "191.181"]),
    12389: ("RU", r16(95, 24, 31) + r16(178, 64, 67) + ["5.138", "5.139"]),
    24389: ("BD", ["116.58", "116.59", "119.30", "103.230"]),
}
FOREIGN_RESI = [7922, 7552, 7713, 28573, 12389, 24389]


class Catalog:
    """Fixed (seed-independent) address plan."""

    def __init__(self):
        r = random.Random("paykaro-ip-catalog-v1")
        seen = {}
        self.blocks, self.cc = {}, {}
        for asn, (cc, nets) in SUPERNETS.items():
            for n in nets:
                assert n not in seen, (n, asn, seen.get(n))
                seen[n] = asn
            bl = ["%s.%d" % (n, k) for n in nets for k in range(256)]
            r.shuffle(bl)
            self.blocks[asn] = bl
            self.cc[asn] = cc
        self.next = {a: 0 for a in self.blocks}
        self.r = r
        # mobile CGNAT pools per (carrier, circle)
        self.mpool = {}
        for ci, c in enumerate(CIRC):
            for k, car in enumerate(CARRIERS):
                share = [0.41, 0.34, 0.17, 0.08][k]
                size = max(24, min(512, int(CIRC_W[c] * share * 6000)))
                self.mpool[(car, c)] = self._contig(car, size)
        self.bpool = {}
        for isp, circles in BB_AVAIL.items():
            for c in CIRC:
                if c in circles:
                    self.bpool[(isp, c)] = self._contig(isp, 1200)
        self.gpool = {a: self._contig(a, 700) for a in (ETISALAT, DU, STC, MOBILY)}
        self.fpool = {a: self._scatter(a, 5000) for a in FOREIGN_RESI}

    def take_blocks(self, asn, n):
        i = self.next[asn]
        self.next[asn] = i + n
        return self.blocks[asn][i:i + n]

    def _contig(self, asn, size):
        nb = (size + 199) // 200
        per = (size + nb - 1) // nb
        out = []
        for b in self.take_blocks(asn, nb):
            st = self.r.randint(1, 255 - per) if per < 254 else 1
            out.extend("%s.%d" % (b, h) for h in range(st, min(255, st + per)))
        return out[:size]

    def _scatter(self, asn, size):
        bl = self.take_blocks(asn, max(8, size // 40))
        return ["%s.%d" % (self.r.choice(bl), self.r.randint(1, 254)) for _ in range(size)]

    def static_ip(self, asn):
        b = self.take_blocks(asn, 1)[0]
        return "%s.%d" % (b, self.r.randint(2, 250))


def v6_addr(rng, carrier, circle, pfx=None):
    if pfx is None:
        if carrier == JIO:
            pfx = "2409:40%02x:%x:%x" % (0x40 + CIRC_IX[circle] * 4 + rng.randrange(4), rng.getrandbits(16), rng.getrandbits(16))
        else:
            pfx = "2401:49%02x:%x:%x" % (CIRC_IX[circle] * 3 + rng.randrange(3), rng.getrandbits(16), rng.getrandbits(16))
    iid = "%x:%x:%x:%x" % (rng.getrandbits(16), rng.getrandbits(16), rng.getrandbits(16), rng.getrandbits(16))
    return pfx, pfx + ":" + iid


# ----------------------------------------------------------------------------- devices & UAs
AMODELS = [
    ("SM-A155F", 5, (14, 15)), ("SM-A145F", 5, (13, 14)), ("SM-M156B", 3, (14, 15)), ("SM-A055F", 4, (13, 14)),
    ("SM-A256E", 3, (14, 15)), ("SM-M346B", 2, (13, 14)), ("SM-S921B", 1, (14, 15, 16)), ("SM-A356E", 2, (14, 15)),
    ("23108RN04Y", 5, (13, 14)), ("2312DRAABI", 4, (13, 14, 15)), ("2406ERN9CI", 4, (14, 15)),
    ("23129RN51X", 4, (14,)), ("220333QBI", 3, (11, 12, 13)), ("M2006C3MII", 2, (10, 11)),
    ("RMX3761", 4, (13, 14)), ("RMX3710", 3, (13, 14)), ("RMX3939", 3, (14, 15)), ("RMX3834", 2, (13,)),
    ("RMX2185", 2, (10, 11)), ("V2247", 3, (13, 14)), ("V2332", 3, (14,)), ("V2318", 2, (13, 14)),
    ("V2111", 2, (11, 12)), ("CPH2591", 3, (14, 15)), ("CPH2579", 2, (13, 14)), ("CPH2269", 2, (11, 12)),
    ("CPH2467", 2, (13, 14, 15)), ("CPH2409", 1, (12, 13)), ("moto g54 5G", 2, (13, 14)),
    ("moto g34 5G", 2, (14,)), ("Infinix X6525", 2, (13,)), ("TECNO KI5q", 1.5, (13,)),
    ("itel A665L", 1.5, (13, 14)), ("I2302", 1, (14, 15)), ("Pixel 8a", 0.5, (15, 16)), ("LAVA LXX504", 1, (13,)),
]
AMODELS_C = cum([w for _, w, _ in AMODELS])
BUILDS = {"7.1.2": ("N2G4", "NMF2"), 9: ("PQ3A", "PPR1"), 10: ("QP1A", "QKQ1"), 11: ("RP1A", "RKQ1"), 12: ("SP1A", "SKQ1"),
          13: ("TP1A", "TKQ1"), 14: ("UP1A", "UKQ1"), 15: ("AP3A", "AQ3A"), 16: ("BP2A", "BP1A")}
IMODELS = [("iPhone12,1", 2), ("iPhone13,2", 2), ("iPhone14,5", 2), ("iPhone14,7", 3), ("iPhone15,4", 3),
           ("iPhone16,2", 1), ("iPhone17,3", 2)]
IMODELS_C = cum([w for _, w in IMODELS])
IOS_VERS = ["17.7.2", "18.5", "18.6.2", "18.7.1", "26.0.1"]
INIT_VERS = ["8.4.1", "8.4.0", "8.3.2", "8.2.5"]
INIT_VERS_C = cum([55, 25, 15, 5])
EMU_MODELS = [("SM-G988N", 9), ("SM-G977N", "7.1.2"), ("ASUS_Z01QD", 9), ("sdk_gphone64_x86_64", 12),
              ("Android SDK built for x86", 11), ("G011A", 9), ("SM-N976N", 9)]

CHROME_DESK = ["Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/%d.0.0.0 Safari/537.36",
               "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/%d.0.0.0 Safari/537.36 Edg/%d.0.0.0",
               "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/%d.0.0.0 Safari/537.36",
               "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/%d.0.0.0 Safari/537.36"]
ANDROID_WEB = "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/%d.0.0.0 Mobile Safari/537.36"
FIREFOX = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:%d.0) Gecko/20100101 Firefox/%d.0"
SAFARI_IOS = "Mozilla/5.0 (iPhone; CPU iPhone OS 18_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.6 Mobile/15E148 Safari/604.1"
SAMSUNG_WEB = "Mozilla/5.0 (Linux; Android 14; SAMSUNG SM-A155F) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/28.0 Chrome/130.0.0.0 Mobile Safari/537.36"


def legit_browser(rng, mobile):
    v = rng.choice([139, 140, 140, 141, 141, 141])
    if mobile:
        r = rng.random()
        if r < 0.75:
            return ANDROID_WEB % v
        return SAMSUNG_WEB if r < 0.9 else SAFARI_IOS
    r = rng.random()
    if r < 0.62:
        return CHROME_DESK[0] % v
    if r < 0.80:
        return CHROME_DESK[1] % (v, v)
    if r < 0.90:
        return FIREFOX % (143, 143) if rng.random() < 0.5 else FIREFOX % (144, 144)
    return CHROME_DESK[2] % v


def stuffing_ua(rng):
    r = rng.random()
    v = rng.choice([96, 104, 110, 116, 120, 122, 124, 126, 128, 131, 135, 138, 140, 141])
    if r < 0.55:
        return CHROME_DESK[0] % v
    if r < 0.70:
        return CHROME_DESK[1] % (v, v)
    if r < 0.80:
        return FIREFOX % ((115, 115) if rng.random() < 0.5 else (128, 128))
    if r < 0.92:
        return ANDROID_WEB % v
    return CHROME_DESK[2] % v


class Phone:
    __slots__ = ("os", "model", "osver", "build", "carrier", "born", "it", "iid", "iver", "upd", "uac")

    def __init__(self, rng, os, carrier, born, t_ver):
        self.os, self.carrier, self.born = os, carrier, born
        if os == "A":
            m = AMODELS[bisect.bisect_right(AMODELS_C, rng.random() * AMODELS_C[-1])]
            self.model = m[0]
            self.osver = rng.choice(m[2])
            self.build = rng.choice(BUILDS[self.osver])
        else:
            self.model = IMODELS[bisect.bisect_right(IMODELS_C, rng.random() * IMODELS_C[-1])][0]
            self.osver = rng.choice(IOS_VERS)
            self.build = None
        if t_ver is None:
            ver = wchoice(rng, INIT_VERS, INIT_VERS_C)
        else:
            ver = "8.5.0" if t_ver >= RELEASE_850 else "8.4.1"
        self.it, self.iid, self.iver = [born], [uuid4(rng, os == "I")], [ver]
        self.upd = RELEASE_850 + int(rng.expovariate(1 / 2.5) * DAY) if rng.random() < 0.8 else None
        self.uac = {}

    def reinstall(self, rng, t):
        k = bisect.bisect_right(self.it, t)
        self.it.insert(k, t)
        self.iid.insert(k, uuid4(rng, self.os == "I"))
        self.iver.insert(k, "8.5.0" if t >= RELEASE_850 else "8.4.1")

    def at(self, t):
        k = bisect.bisect_right(self.it, t) - 1
        if k < 0:
            k = 0
        ver = self.iver[k]
        if self.upd is not None and t >= self.upd and ver != "8.5.0":
            ver = "8.5.0"
        ua = self.uac.get(ver)
        if ua is None:
            if self.os == "A":
                ua = "PayKaro/%s (Android %d; %s; Build/%s)" % (ver, self.osver, self.model, self.build)
            else:
                ua = "PayKaro/%s (iOS %s; %s)" % (ver, self.osver, self.model)
            self.uac[ver] = ua
        return self.it[k], self.iid[k], ua, k


def app_ua(os_, ver, osver, model, build=None):
    if os_ == "A":
        return "PayKaro/%s (Android %s; %s; Build/%s)" % (ver, osver, model, build)
    return "PayKaro/%s (iOS %s; %s)" % (ver, osver, model)


# ----------------------------------------------------------------------------- entities
class User:
    __slots__ = ("i", "acct", "pin", "pinlen", "upi", "old", "pwd", "seg", "chan", "circle", "carrier", "v6cap",
                 "home", "office", "phones", "gulf", "travel", "scen", "sess", "si", "last_ip", "last_t",
                 "last_net", "v6pfx", "v6t", "last_dev", "browser", "suppress", "pending_reset", "pt", "pf",
                 "shop_bb", "hh", "active")

    def __init__(self):
        self.home = self.office = self.gulf = self.travel = self.pwd = self.browser = self.hh = None
        self.last_ip = self.last_net = self.v6pfx = self.last_dev = None
        self.last_t = self.v6t = self.suppress = -1
        self.pending_reset = False
        self.shop_bb = False
        self.active = False
        self.si = 0
        self.old = []


class Office:
    __slots__ = ("asn", "ips", "circle")


class Acct:
    __slots__ = ("pin", "pwd", "fails", "until", "cause", "mule")

    def __init__(self, pin, pwd, mule=False):
        self.pin, self.pwd, self.fails, self.until, self.cause, self.mule = pin, pwd, 0, 0, "", mule


# ----------------------------------------------------------------------------- the simulator
class Sim:
    def __init__(self, seed, n_users, days, out):
        self.seed, self.N, self.D = seed, n_users, days
        self.END = START_MS + days * DAY
        self.scale = n_users / 40000.0
        self.cat = Catalog()
        self.rng = random.Random("%s:runtime" % seed)
        self.accts = {}
        self.used_numbers = set()
        self.heap = []
        self.seq = 0
        self.out = out
        self.buf = []
        self.n_events = 0
        self.fpc = {}
        self.esc = {}
        self.daymult = []
        for d in range(days):
            dt = START_DATE + datetime.timedelta(days=d)
            self.daymult.append(DOW_MULT[dt.weekday()] * SPECIAL_DAYS.get(dt, 1.0))
        self.daymult_c = cum(self.daymult)
        self.dcache = {}
        self.now = 0

    # ---------------------------------------------------------------- helpers
    def fp(self, s):
        v = self.fpc.get(s)
        if v is None:
            v = hmac.new(HMAC_KEY, s.encode("utf-8"), hashlib.sha256).hexdigest()[:16]
            self.fpc[s] = v
        return v

    def js(self, s):
        v = self.esc.get(s)
        if v is None:
            v = json.dumps(s)
            self.esc[s] = v
        return v

    def ts(self, ms):
        d, r = divmod(ms, DAY)
        p = self.dcache.get(d)
        if p is None:
            p = (datetime.date(1970, 1, 1) + datetime.timedelta(days=d)).isoformat() + "T"
            self.dcache[d] = p
        h, r = divmod(r, HOUR)
        m, r = divmod(r, MIN)
        s, x = divmod(r, SEC)
        return "%s%02d:%02d:%02d.%03dZ" % (p, h, m, s, x)

    def new_number(self, rng, prefix=None):
        while True:
            if prefix:
                n = prefix + "%08d" % rng.randrange(10 ** 8)
            else:
                n = rng.choice("9999988888777666") + "%09d" % rng.randrange(10 ** 9)
            if n not in self.used_numbers:
                self.used_numbers.add(n)
                return n

    def push(self, t, kind, obj):
        self.seq += 1
        heapq.heappush(self.heap, (t, self.seq, kind, obj))

    def ist_hour(self, t):
        return ((t - START_MS) % DAY) // HOUR

    def ist_dow(self, t):
        return (START_DATE + datetime.timedelta(days=(t - START_MS) // DAY)).weekday()

    def day_start(self, d):
        return START_MS + d * DAY

    def mobile_ip(self, rng, carrier, circle, u=None, t=0):
        if rng.random() < V6_SHARE[carrier] and (u is None or u.v6cap):
            if u is not None:
                if u.v6pfx is not None and t - u.v6t < 4 * HOUR:
                    pfx, ip = v6_addr(rng, carrier, circle, u.v6pfx)
                else:
                    pfx, ip = v6_addr(rng, carrier, circle)
                u.v6pfx, u.v6t = pfx, t
                return ip
            return v6_addr(rng, carrier, circle)[1]
        pool = self.cat.mpool[(carrier, circle)]
        return pool[rng.randrange(len(pool))]

    def home_ip(self, rng, home, t):
        # home = [asn, circle, ip, expires]
        if t >= home[3]:
            pool = self.cat.bpool[(home[0], home[1])]
            home[2] = pool[rng.randrange(len(pool))]
            home[3] = t + rng.randint(1, 7) * DAY + rng.randrange(DAY)
        return home[2]

    # ---------------------------------------------------------------- the account store
    def attempt(self, t, a):
        # a = ('L', acct, typed, kind, ip, asn, cc, ua, dev, label, scen)
        acct = a[1]
        st = self.accts.get(acct)
        take = False
        if st is None:
            oc = UNKNOWN
        elif st.until > t:
            oc = LOCKED
        else:
            if st.until:
                st.until, st.fails = 0, 0
            secret = st.pin if a[3] == "m" else st.pwd
            if secret is not None and a[2] == secret:
                oc = OK
                st.fails = 0
                take = a[9] == "attack" and not st.mule
            else:
                st.fails += 1
                oc = WRONG
                if st.fails >= 3:
                    oc = WRONG_LOCK
                    st.until = t + LOCK_MS
                    st.cause = a[9]
        dev = a[8]
        self.buf.append('{"ts":"%s","account":%s,"ip":"%s","user_agent":%s,%s"outcome":"%s","secret_fp":"%s",'
                        '"asn":%d,"country":"%s","label":"%s","scenario":"%s","takeover":%s}\n' % (
                            self.ts(t), self.js(acct), a[4], self.js(a[7]),
                            ('"device":"%s",' % dev) if dev else "", OUT_NAME[oc], self.fp(a[2]),
                            a[5], a[6], a[9], a[10], "true" if take else "false"))
        self.n_events += 1
        if len(self.buf) >= 20000:
            self.out.write("".join(self.buf))
            self.buf = []
        return oc

    def reset(self, acct, kind, secret):
        st = self.accts[acct]
        if kind == "m":
            st.pin = secret
        else:
            st.pwd = secret
        st.fails, st.until = 0, 0

    def step(self, gen, t):
        self.now = t
        val = None
        while True:
            try:
                a = gen.send(val)
            except StopIteration:
                return
            if a.__class__ is int:
                self.push(t + a, 1, gen)
                return
            c = a[0]
            if c == "L":
                val = self.attempt(t, a)
            elif c == "R":
                self.reset(a[1], a[2], a[3])
                val = None
            else:  # spawn
                self.push(t + a[1], 1, a[2])
                val = None

    def run(self):
        heap = self.heap
        END = self.END
        while heap:
            t, _, kind, obj = heapq.heappop(heap)
            if t >= END:
                continue
            if kind == 0:
                u = obj
                u.si += 1
                if u.si < len(u.sess):
                    self.push(u.sess[u.si], 0, u)
                if t < u.suppress or u.active:
                    continue      # SIM dead after a swap / still inside the previous session
                self.step(self.user_session(u, t), t)
            else:
                self.step(obj, t)
        self.out.write("".join(self.buf))
        self.buf = []

    # ---------------------------------------------------------------- population
    def build_population(self):
        rng = random.Random("%s:population" % self.seed)
        N, D = self.N, self.D
        users = []
        n_pos = max(2, int(round(25 * self.scale)))
        offices_by_circle = {c: [] for c in CIRC}
        for c in CIRC:
            n_off = max(2, int(round(CIRC_W[c] * 4800 * self.scale / 20)))
            for _ in range(n_off):
                o = Office()
                o.circle = c
                r = rng.random()
                o.asn = TATA if r < 0.35 else SIFY if r < 0.5 else AIRTEL_ENT if r < 0.8 else AIRTEL_BB
                if o.asn == AIRTEL_BB:
                    pool = self.cat.bpool[(AIRTEL_BB, c)]
                    o.ips = [pool[rng.randrange(len(pool))]]
                else:
                    o.ips = [self.cat.static_ip(o.asn) for _ in range(rng.choice((1, 1, 2)))]
                offices_by_circle[c].append((o, rng.paretovariate(1.1)))
        off_c = {c: (list(o for o, _ in v), cum([w for _, w in v])) for c, v in offices_by_circle.items()}

        for i in range(N):
            u = User()
            u.i = i
            u.circle = wchoice(rng, CIRC, CIRC_C)
            u.carrier = wchoice(rng, CARRIERS, CARRIER_C)
            u.v6cap = rng.random() < 0.92
            u.pinlen = 4 if rng.random() < 0.65 else 6
            u.pin = sample_pin(rng, u.pinlen)
            u.upi = sample_pin(rng, 4 if rng.random() < 0.6 else 6)
            if i < n_pos:
                seg, chan = "pos_backend", "w"
            else:
                r = rng.random()
                if r < 0.008:
                    seg = "merchant"
                    chan = "w" if rng.random() < 0.10 else "a"
                elif r < 0.038:
                    seg, chan = "web_user", "w"
                else:
                    r2 = rng.random()
                    seg = "dormant" if r2 < 0.35 else "casual" if r2 < 0.65 else "regular" if r2 < 0.91 else "power_user"
                    chan = "a" if rng.random() < 0.945 else "i"
            if seg == "merchant" and chan == "w":
                seg = "merchant_web"
            u.seg, u.chan = seg, chan
            u.scen = seg
            u.acct = self.new_number(rng)
            if chan == "w" or rng.random() < 0.12:
                u.pwd = sample_password(rng)
            if chan == "w" and u.pwd is None:
                u.pwd = sample_password(rng)
            u.pt = {"merchant": 0.02, "power_user": 0.03, "pos_backend": 0.0}.get(seg, 0.035)
            u.pf = 0.006
            # broadband at home
            if rng.random() < CIRC_BB[u.circle] or (seg == "merchant" and rng.random() < 0.4):
                isps = [a for a in (AIRTEL_BB, ACT, HATHWAY) if u.circle in BB_AVAIL[a]]
                isp = wchoice(rng, isps, cum([BB_W[a] for a in isps]))
                u.home = [isp, u.circle, None, -1]
                if seg == "merchant":
                    u.shop_bb = True
            if seg in ("casual", "regular", "power_user", "web_user", "merchant_web") and rng.random() < (
                    0.12 if seg != "merchant_web" else 1.0):
                offs, oc_ = off_c[u.circle]
                u.office = wchoice(rng, offs, oc_)
            # devices
            u.phones = []
            if chan in ("a", "i"):
                ph = Phone(rng, "A" if chan == "a" else "I", u.carrier, NEG, None)
                u.phones.append([ph, NEG, 1 << 62, 1.0])
            else:
                u.browser = [legit_browser(rng, rng.random() < 0.4 and seg == "web_user"), "pkw_%020x" % rng.getrandbits(80)]
                if u.browser[0].startswith("Mozilla/5.0 (Linux; Android") or "iPhone" in u.browser[0]:
                    u.browser.append("m")   # mobile web: MPIN login
                else:
                    u.browser.append("p")
            users.append(u)
        self.users = users

        # gulf workers, travellers, families, two phones, reinstalls
        app_users = [u for u in users if u.chan in ("a", "i") and u.seg != "merchant"]
        rng.shuffle(app_users)
        k_g = int(0.015 * N)
        k_f = int(0.04 * N)
        k_2 = int(0.03 * N)
        k_t = int(0.03 * N)
        gulf = app_users[:k_g]
        fam = app_users[k_g:k_g + k_f]
        two = app_users[k_g + k_f:k_g + k_f + k_2]
        trav = app_users[k_g + k_f + k_2:k_g + k_f + k_2 + k_t]
        for u in gulf:
            if u.seg == "dormant":
                u.seg = "casual"
            u.scen = "gulf_worker"
            u.office = None
            r = rng.random()
            u.circle = "KL" if r < 0.6 else rng.choice(["TN", "AP", "UE", "BR", "RJ", "PB"])
            cc = "AE" if rng.random() < 0.6 else "SA"
            isp = (ETISALAT if rng.random() < 0.55 else DU) if cc == "AE" else (STC if rng.random() < 0.6 else MOBILY)
            intl = rng.random() < 0.5
            home_from = home_to = -1
            if rng.random() < 0.12:
                home_from = START_MS + rng.randrange(D) * DAY + rng.randrange(DAY)
                home_to = home_from + rng.randint(3, 10) * DAY
            u.gulf = (cc, isp, intl, home_from, home_to)
            if intl:
                self.used_numbers.discard(u.acct)
                u.acct = self.new_number(rng, "9715" if cc == "AE" else "9665")
        for u in trav:
            t0 = START_MS + rng.randrange(max(1, D - 1)) * DAY + rng.randrange(DAY)
            other = wchoice(rng, CIRC, CIRC_C)
            while other == u.circle:
                other = wchoice(rng, CIRC, CIRC_C)
            u.travel = (t0, t0 + rng.randint(1, 5) * DAY + rng.randrange(DAY), other)
        i = 0
        hh_id = 0
        while i < len(fam):
            size = rng.choice((2, 2, 3, 3, 4))
            members = fam[i:i + size]
            i += size
            if len(members) < 2:
                members[0].scen = members[0].seg
                break
            hh_id += 1
            head = members[0]
            shared = rng.random() < 0.5
            ph = head.phones[0][0]
            for j, m in enumerate(members):
                m.scen = "family_phone"
                m.hh = hh_id
                m.circle, m.carrier, m.home, m.office = head.circle, head.carrier, head.home, (head.office if j == 0 else None)
                m.phones = [[ph, NEG, 1 << 62, 1.0]]
                if j > 0:
                    m.seg = rng.choice(("casual", "dormant", "regular"))
                    if shared:
                        m.pin, m.pinlen = head.pin, head.pinlen
        for u in two:
            u.scen = "two_phones"
            car2 = u.carrier if rng.random() < 0.4 else wchoice(rng, CARRIERS, CARRIER_C)
            u.phones[0][3] = 0.7
            u.phones.append([Phone(rng, "A", car2, NEG, None), NEG, 1 << 62, 0.3])
        # reinstalls / phone changes
        w = D / 7.0
        p_re = 1 - (1 - 0.035) ** w
        p_ch = 1 - (1 - 0.01) ** w
        seen_ph = set()
        for u in users:
            if not u.phones:
                continue
            for rec in list(u.phones):
                ph = rec[0]
                if id(ph) in seen_ph:
                    continue
                seen_ph.add(id(ph))
                if rng.random() < p_re:
                    ph.reinstall(rng, START_MS + rng.randrange(D * DAY))
                    if rng.random() < 0.1:
                        ph.reinstall(rng, START_MS + rng.randrange(D * DAY))
            if u.hh is None and rng.random() < p_ch:
                tch = START_MS + rng.randrange(D * DAY)
                old = u.phones[0]
                old[2] = tch
                nph = Phone(rng, old[0].os if rng.random() < 0.95 else "A", old[0].carrier, tch, tch)
                u.phones.append([nph, tch, 1 << 62, old[3]])
        # accounts
        for u in users:
            self.accts[u.acct] = Acct(u.pin, u.pwd)
        # sessions
        for u in users:
            u.sess = self.session_times(rng, u)
            if u.sess:
                self.push(u.sess[0], 0, u)

    def session_times(self, rng, u):
        D = self.D
        seg = u.seg
        if seg == "pos_backend":
            prng = random.Random("%s:pos:%d" % (self.seed, u.i))
            t0 = START_MS + prng.randrange(30 * MIN)
            self.push(t0, 1, self.pos_backend(u, prng, t0))
            return []
        out = []
        if seg == "dormant":
            k = 1 if rng.random() < 0.6 else 2
            for _ in range(k):
                d = bisect.bisect_right(self.daymult_c, rng.random() * self.daymult_c[-1])
                out.append(self.day_start(d) + pick_hour(rng, GEN_C) * HOUR + rng.randrange(HOUR))
            out.sort()
            return out
        base = {"casual": 0.25, "regular": 1.2, "power_user": 3.5, "web_user": 0.5, "merchant_web": 3.0}.get(seg)
        if seg == "merchant":
            base = min(60.0, math.exp(rng.gauss(math.log(14), 0.55)))
        else:
            base *= math.exp(rng.gauss(0, 0.5) - 0.125)
        prof = MERCH_C if seg == "merchant" else OFFICE_C if seg == "merchant_web" else GEN_C
        shift = 0
        if u.gulf:
            shift = int((1.5 if u.gulf[0] == "AE" else 2.5) * HOUR)
        for d in range(D):
            m = self.daymult[d]
            if seg == "merchant":
                m = m ** 1.15
            if seg == "merchant_web":
                dow = (START_DATE + datetime.timedelta(days=d)).weekday()
                m = 1.0 if dow < 5 else 0.25 if dow == 5 else 0.05
            k = poisson(rng, base * m)
            ds = self.day_start(d)
            for _ in range(k):
                out.append(ds + pick_hour(rng, prof) * HOUR + rng.randrange(HOUR) + shift)
        out.sort()
        # minimum spacing 20 s
        for j in range(1, len(out)):
            if out[j] - out[j - 1] < 20 * SEC:
                out[j] = out[j - 1] + 20 * SEC + rng.randrange(40 * SEC)
        return [x for x in out if x < self.END]

    # ---------------------------------------------------------------- legit behaviour
    def net(self, u, t, carrier):
        """-> ip, asn, country, kind"""
        rng = self.rng
        h = self.ist_hour(t)
        g = u.gulf
        if g is not None and not (g[3] <= t < g[4]):
            if g[2] or rng.random() < 0.8:
                isp = g[1] if rng.random() < 0.85 else {ETISALAT: DU, DU: ETISALAT, STC: MOBILY, MOBILY: STC}[g[1]]
                if u.last_net == "gulf" and t - u.last_t < 15 * MIN:
                    return u.last_ip, isp, g[0], "gulf"
                pool = self.cat.gpool[isp]
                ip = pool[rng.randrange(len(pool))]
                u.last_ip, u.last_t, u.last_net = ip, t, "gulf"
                return ip, isp, g[0], "gulf"
            # roaming on Indian SIM, home-routed
            ip = self.mobile_ip(rng, carrier, u.circle, u, t)
            return ip, carrier, "IN", "roam"
        circle = u.circle
        tr = u.travel
        if tr is not None and tr[0] <= t < tr[1]:
            circle = tr[2]
            if rng.random() < 0.15:
                pool = self.cat.bpool[(AIRTEL_BB, circle)]
                return pool[rng.randrange(len(pool))], AIRTEL_BB, "IN", "hotel"
        else:
            weekend = self.ist_dow(t) >= 5
            if u.office is not None and not weekend and 9 <= h < 19 and rng.random() < 0.65:
                o = u.office
                return o.ips[rng.randrange(len(o.ips))], o.asn, "IN", "office"
            if u.home is not None:
                if u.shop_bb:
                    if 8 <= h < 22 and rng.random() < 0.6:
                        return self.home_ip(rng, u.home, t), u.home[0], "IN", "home"
                elif (h >= 19 or h < 9 or weekend) and rng.random() < 0.7:
                    return self.home_ip(rng, u.home, t), u.home[0], "IN", "home"
        key = (carrier, circle)
        if u.last_net == key and t - u.last_t < 15 * MIN:
            u.last_t = t
            return u.last_ip, carrier, "IN", "mob"
        ip = self.mobile_ip(rng, carrier, circle, u, t)
        u.last_ip, u.last_t, u.last_net = ip, t, key
        return ip, carrier, "IN", "mob"

    def pick_phone(self, u, t):
        act = [r for r in u.phones if r[1] <= t < r[2]]
        if len(act) == 1:
            return act[0][0]
        if not act:
            return u.phones[-1][0]
        x = self.rng.random() * sum(r[3] for r in act)
        for r in act:
            x -= r[3]
            if x <= 0:
                return r[0]
        return act[-1][0]

    def user_ctx(self, u, t):
        """-> (ip, asn, cc, ua, dev, kind, scen, newdev)"""
        scen = u.scen
        if u.chan == "w":
            b = u.browser
            dev = b[1]
            if self.rng.random() < 0.15:   # cleared cookies / incognito: no cookie on this login
                dev = None
                b[1] = "pkw_%020x" % self.rng.getrandbits(80)
            carrier = u.carrier
            ip, asn, cc, nk = self.net(u, t, carrier)
            if nk == "office" and scen in PLAIN:
                scen = "office_wifi"
            return ip, asn, cc, b[0], dev, b[2], scen, False
        ph = self.pick_phone(u, t)
        it, dev, ua, k = ph.at(t)
        ip, asn, cc, nk = self.net(u, t, ph.carrier)
        if u.travel is not None and u.travel[0] <= t < u.travel[1]:
            scen = "domestic_travel"
        if ph.born > NEG and t - ph.born < 48 * HOUR:
            scen = "phone_change"
        elif k > 0 and t - it < 48 * HOUR:
            scen = "reinstall"
        if nk == "office" and scen in PLAIN:
            scen = "office_wifi"
        newdev = u.last_dev is not None and u.last_dev != dev
        u.last_dev = dev
        return ip, asn, cc, ua, dev, "m", scen, newdev

    def wrong_guesses(self, u, kind, rng):
        cands = []
        if kind == "m":
            real = u.pin
            cands = [u.upi] + list(u.old) + [pin_typo(rng, real), "1234" if len(real) == 4 else "123456",
                                              sample_pin(rng, len(real))]
        else:
            real = u.pwd
            cands = list(u.old) + [pwd_typo(rng, real), pwd_typo(rng, real), sample_password(rng)]
        out = []
        for c in cands:
            if c != real and c not in out:
                out.append(c)
        rng.shuffle(out)
        n = 1 if rng.random() < 0.35 else 2 if rng.random() < 0.55 else 3
        return out[:n] or [pin_typo(rng, real) if kind == "m" else pwd_typo(rng, real)]

    def do_reset(self, u, kind, rng):
        """generator: OTP reset flow for the legit user, then login with the new secret"""
        yield rng.randint(40, 300) * SEC
        if kind == "m":
            new = u.upi if rng.random() < 0.25 else sample_pin(rng, u.pinlen)
            if new != u.pin:
                u.old = (u.old + [u.pin])[-2:]
            u.pin = new
        else:
            new = sample_password(rng) if rng.random() < 0.7 else u.pwd + "1"
            u.old = (u.old + [u.pwd])[-2:]
            u.pwd = new
        yield ("R", u.acct, kind, new)
        yield rng.randint(3, 20) * SEC

    def legit_flow(self, u, ctx, scen, kind, pf, pt, force=False):
        rng = self.rng
        ip, asn, cc, ua, dev = ctx
        A = u.acct
        known = u.pin if kind == "m" else u.pwd
        if u.pending_reset:
            u.pending_reset = False
            scen = "ras_victim"
            force = True
            yield from self.do_reset(u, kind, rng)
            known = u.pin if kind == "m" else u.pwd
        st = self.accts[A]
        if st.until > self.now and st.cause == "attack" and not force:
            scen, force = "lockout_by_attack", True   # locked out by somebody else's failures
        plain = (scen in PLAIN) and not force
        r = rng.random()
        if r < pf:
            if plain:
                scen = "forgot_mpin"
            locked = False
            for g in self.wrong_guesses(u, kind, rng):
                oc = yield ("L", A, g, kind, ip, asn, cc, ua, dev, "legit", scen)
                if oc == OK:
                    return
                if oc in (WRONG_LOCK, LOCKED):
                    locked = True
                    break
                yield rng.randint(4, 25) * SEC
            if locked:
                x = rng.random()
                if x < 0.15:
                    yield rng.randint(20, 300) * SEC
                    yield ("L", A, known, kind, ip, asn, cc, ua, dev, "legit", scen)
                if x < 0.85:
                    yield from self.do_reset(u, kind, rng)
                    yield ("L", A, u.pin if kind == "m" else u.pwd, kind, ip, asn, cc, ua, dev, "legit", scen)
                return
            if rng.random() < 0.55:
                yield from self.do_reset(u, kind, rng)
                known = u.pin if kind == "m" else u.pwd
            else:
                yield rng.randint(5, 60) * SEC
            oc = yield ("L", A, known, kind, ip, asn, cc, ua, dev, "legit", scen)
            if oc == OK:
                return
        elif r < pf + pt:
            if plain:
                scen = "typo"
            if kind == "m":
                first = u.upi if (rng.random() < 0.3 and u.upi != known) else pin_typo(rng, known)
            else:
                first = pwd_typo(rng, known)
            oc = yield ("L", A, first, kind, ip, asn, cc, ua, dev, "legit", scen)
            if oc == LOCKED or oc == WRONG_LOCK:
                pass
            else:
                yield rng.randint(3, 15) * SEC
                if rng.random() < 0.12:
                    oc = yield ("L", A, pin_typo(rng, known) if kind == "m" else pwd_typo(rng, known),
                                kind, ip, asn, cc, ua, dev, "legit", scen)
                    yield rng.randint(3, 15) * SEC
                if oc != WRONG_LOCK:
                    oc = yield ("L", A, known, kind, ip, asn, cc, ua, dev, "legit", scen)
        else:
            oc = yield ("L", A, known, kind, ip, asn, cc, ua, dev, "legit", scen)
        if oc == OK:
            return
        # unexpected failure: the secret we believe in is rejected, or the account is locked
        tries = 0
        while oc in (WRONG, WRONG_LOCK, LOCKED) and tries < 3:
            tries += 1
            st = self.accts[A]
            if oc in (LOCKED, WRONG_LOCK):
                if oc == LOCKED and st.cause == "attack" and not force:
                    scen = "lockout_by_attack"
                if rng.random() < 0.35 and scen != "sim_swap_victim":
                    return   # give up for now, try another day
                yield from self.do_reset(u, kind, rng)
            elif tries == 1:
                yield rng.randint(4, 20) * SEC   # assume own typo, retype
            else:
                yield from self.do_reset(u, kind, rng)
            known = u.pin if kind == "m" else u.pwd
            oc = yield ("L", A, known, kind, ip, asn, cc, ua, dev, "legit", scen)

    def user_session(self, u, t, force_scen=None):
        ip, asn, cc, ua, dev, kind, scen, newdev = self.user_ctx(u, t)
        pf = u.pf
        if newdev:
            pf *= 8
        if u.seg == "dormant":
            pf *= 6
        force = False
        if force_scen:
            scen, force = force_scen, True
        pt = u.pt if not force else 0.0
        if u.chan == "w" and kind == "p" and self.rng.random() < 0.02 and not force:
            # mistyped mobile number on the web portal
            bad = list(u.acct)
            j = self.rng.randrange(len(bad))
            bad[j] = str((int(bad[j]) + self.rng.randint(1, 9)) % 10)
            sc2 = "typo" if scen in PLAIN else scen
            return self._wrap(u, self._chain([("L", "".join(bad), u.pwd, "p", ip, asn, cc, ua, dev, "legit", sc2),
                                self.rng.randint(5, 25) * SEC],
                               self.legit_flow(u, (ip, asn, cc, ua, dev), sc2, kind, 0.0, 0.0)))
        return self._wrap(u, self.legit_flow(u, (ip, asn, cc, ua, dev), scen, kind, pf, pt, force))

    def _wrap(self, u, gen):
        u.active = True
        try:
            yield from gen
        finally:
            u.active = False

    def _chain(self, acts, gen):
        for a in acts:
            yield a
        yield from gen

    def pos_backend(self, u, rng, t0):
        """Cloud POS connector on AWS Mumbai: scheduled logins with a stored password."""
        if rng.random() < 0.7:
            host_asn = AWS     # cloud POS backend, AWS Mumbai
            ips = [self.cat.static_ip(AWS) for _ in range(rng.choice((1, 2)))]
        else:
            host_asn = rng.choice((TATA, SIFY))   # on-prem server in the merchant's office
            ips = [self.cat.static_ip(host_asn)]
        ua = rng.choice(["PayKaroPOS-Connector/3.2.0 okhttp/4.12.0", "PayKaroPOS-Connector/3.1.4 okhttp/4.11.0",
                         "python-requests/2.32.3", "Apache-HttpClient/5.3.1 (Java/17.0.12)"])
        cookie = ("pkw_%020x" % rng.getrandbits(80)) if rng.random() < 0.5 else None
        period = rng.choice((15, 30, 30, 60, 60, 120)) * MIN
        allday = rng.random() < 0.2
        open_h, close_h = rng.randint(7, 9), rng.randint(21, 23)
        stored = u.pwd
        rotate_at = START_MS + rng.randrange(self.D * DAY) if rng.random() < 0.25 else None
        fixed_at = None
        now = t0
        while now < self.END:
            h = self.ist_hour(now)
            if allday or open_h <= h < close_h:
                if rotate_at is not None and now >= rotate_at:
                    # the merchant changed the portal password; the connector still has the old one
                    new = sample_password(rng)
                    u.pwd = new
                    yield ("R", u.acct, "p", new)
                    fixed_at = now + rng.randint(2, 30) * HOUR
                    rotate_at = None
                if fixed_at is not None and now >= fixed_at:
                    yield ("R", u.acct, "p", u.pwd)   # admin unlocks/resets and updates the connector
                    stored = u.pwd
                    fixed_at = None
                yield ("L", u.acct, stored, "p", ips[rng.randrange(len(ips))], host_asn, "IN", ua, cookie, "legit", "pos_backend")
            nxt = now + period + rng.randint(-20, 20) * SEC
            yield nxt - now
            now = nxt

    # ---------------------------------------------------------------- attacks
    def lazy(self, fn, *args):
        yield from fn(*args)

    def proxy_mobile(self, rng, circles):
        car = JIO if rng.random() < 0.5 else AIRTEL if rng.random() < 0.7 else VI
        pool = self.cat.mpool[(car, rng.choice(circles))]
        return pool[rng.randrange(len(pool))], car, "IN"

    def proxy_resi(self, rng, foreign_share):
        if rng.random() < foreign_share:
            asn = rng.choice(FOREIGN_RESI)
            pool = self.cat.fpool[asn]
            return pool[rng.randrange(len(pool))], asn, self.cat.cc[asn]
        if rng.random() < 0.7:
            isp = wchoice(rng, [AIRTEL_BB, ACT, HATHWAY], cum([0.5, 0.25, 0.25]))
            circ = rng.choice(sorted(BB_AVAIL[isp]))
            pool = self.cat.bpool[(isp, circ)]
            return pool[rng.randrange(len(pool))], isp, "IN"
        return self.proxy_mobile(rng, CIRC)

    def emu_ua(self, rng, t, careful):
        if not careful and rng.random() < 0.5:
            model, av = rng.choice(EMU_MODELS)
            return app_ua("A", "8.3.2", av, model, rng.choice(BUILDS[av]))
        m = AMODELS[bisect.bisect_right(AMODELS_C, rng.random() * AMODELS_C[-1])]
        if careful:
            av = rng.choice(m[2])
            ver = "8.5.0" if (t >= RELEASE_850 and rng.random() < 0.5) else "8.4.1"
        else:
            av = rng.choice((9, 10, 11, 12, 13))
            ver = "8.3.2"
        return app_ua("A", ver, av, m[0], rng.choice(BUILDS[av]))

    def cashout(self, rng, a, pin, dev, ua, circles, scen, n):
        for _ in range(n):
            ip, asn, cc = self.proxy_mobile(rng, circles)
            yield ("L", a, pin, "m", ip, asn, cc, ua, dev, "attack", scen)
            yield rng.randint(10, 150) * MIN

    def rbf_fast(self, rng, t0, n0, targets):
        now = t0
        exists, won = {}, set()
        circles = rng.sample(CIRC, 4)
        proxy, left = None, 0
        for night, pin in enumerate(("1234", "1111", "0000")):
            ws = self.day_start(n0 + night) + 23 * HOUR + 15 * MIN
            we = ws + 5 * HOUR + 45 * MIN
            if ws >= self.END:
                break
            lst = list(targets) if night == 0 else [a for a in targets if exists.get(a) and a not in won]
            rng.shuffle(lst)
            times = sorted(ws + rng.randrange(we - ws) for _ in lst)
            for a, tt in zip(lst, times):
                if tt > now:
                    yield tt - now
                    now = tt
                if left <= 0:
                    proxy, left = self.proxy_mobile(rng, circles), rng.randint(1, 6)
                left -= 1
                dev, ua = uuid4(rng), self.emu_ua(rng, now, False)
                oc = yield ("L", a, pin, "m", proxy[0], proxy[1], "IN", ua, dev, "attack", "rbf_mpin")
                exists[a] = oc != UNKNOWN
                if oc == OK:
                    won.add(a)
                    yield ("S", rng.randint(5, 180) * MIN,
                           self.cashout(rng, a, pin, dev, ua, circles, "rbf_mpin", rng.randint(1, 2)))

    def rbf_slow(self, rng, t0, d0, ndays, targets):
        now = t0
        exists, won = {}, set()
        half = max(1, ndays // 2)
        for phase, pin in enumerate(("1234", "123456")):
            if phase == 0:
                lst = list(targets)
                dlo, dhi = d0, d0 + half
            else:
                lst = [a for a in targets if exists.get(a) and a not in won]
                dlo, dhi = d0 + half, d0 + ndays
            rng.shuffle(lst)
            times = sorted(self.day_start(rng.randrange(dlo, max(dlo + 1, dhi))) + pick_hour(rng, GEN_C) * HOUR
                           + rng.randrange(HOUR) for _ in lst)
            for a, tt in zip(lst, times):
                if tt >= self.END:
                    return
                if tt > now:
                    yield tt - now
                    now = tt
                ip, asn, cc = self.proxy_mobile(rng, CIRC)
                dev, ua = uuid4(rng), self.emu_ua(rng, now, True)
                oc = yield ("L", a, pin, "m", ip, asn, cc, ua, dev, "attack", "rbf_mpin_slow")
                exists[a] = oc != UNKNOWN
                if oc == OK:
                    won.add(a)
                    yield ("S", rng.randint(1, 8) * HOUR,
                           self.cashout(rng, a, pin, dev, ua, CIRC, "rbf_mpin_slow", 1))

    def stuffing(self, rng, t0, dur, combos):
        now = t0
        times = sorted(t0 + rng.randrange(dur) for _ in combos)
        left = 0
        for (a, pw), tt in zip(combos, times):
            if tt > now:
                yield tt - now
                now = tt
            if left <= 0:
                ip, asn, cc = self.proxy_resi(rng, 0.4)
                ua = stuffing_ua(rng)
                jar = ("pkw_%020x" % rng.getrandbits(80)) if rng.random() < 0.2 else None
                left = rng.randint(1, 4)
            left -= 1
            oc = yield ("L", a, pw, "p", ip, asn, cc, ua, jar, "attack", "cred_stuffing")
            if oc == OK:
                yield ("S", rng.randint(60, 720) * MIN, self.stuff_followup(rng, a, pw))

    def stuff_followup(self, rng, a, pw):
        ua = legit_browser(rng, False)
        for _ in range(rng.randint(1, 2)):
            ip, asn, cc = self.proxy_resi(rng, 0.3)
            yield ("L", a, pw, "p", ip, asn, cc, ua, None, "attack", "cred_stuffing")
            yield rng.randint(20, 300) * MIN

    def simswap(self, rng, u, t, gang):
        circle, phones, fav = gang
        ph = rng.choice(phones)
        _, dev, ua, _ = ph.at(t)
        if rng.random() < 0.6:
            dev = uuid4(rng)      # fresh install for this victim
        newpin = fav if rng.random() < 0.6 else sample_pin(rng, 4 if rng.random() < 0.7 else 6)
        yield ("R", u.acct, "m", newpin)
        delay = rng.randint(4, 36) * HOUR + rng.randrange(HOUR)
        u.suppress = t + delay
        yield ("S", delay, self.lazy(self.recovery, u, t + delay))
        yield rng.randint(40, 240) * SEC
        for _ in range(rng.randint(2, 5)):
            ip = self.mobile_ip(rng, u.carrier, circle)
            yield ("L", u.acct, newpin, "m", ip, u.carrier, "IN", ua, dev, "attack", "sim_swap")
            yield rng.randint(10, 120) * MIN

    def recovery(self, u, t):
        return self.user_session(u, t, force_scen="sim_swap_victim")

    def ras(self, rng, u, t):
        ip, asn, cc, ua, dev, kind, scen, _ = self.user_ctx(u, t)
        if rng.random() < 0.6:
            yield ("L", u.acct, u.pin, "m", ip, asn, cc, ua, dev, "legit", "ras_victim")
            yield rng.randint(2, 8) * MIN
        for i in range(rng.randint(2, 5)):
            if i == 0 and rng.random() < 0.2:
                yield ("L", u.acct, pin_typo(rng, u.pin), "m", ip, asn, cc, ua, dev, "attack", "remote_access")
                yield rng.randint(5, 20) * SEC
            yield ("L", u.acct, u.pin, "m", ip, asn, cc, ua, dev, "attack", "remote_access")
            yield rng.randint(3, 20) * MIN
        if rng.random() < 0.5:
            u.pending_reset = True

    def herder(self, rng, t0, sched, dev, ua, carrier, circle, home):
        now = t0
        for tt, accts in sched:
            if tt >= self.END:
                return
            if tt > now:
                yield tt - now
                now = tt
            if home is not None and rng.random() < 0.3:
                ip, asn = self.home_ip(rng, home, now), home[0]
            else:
                ip, asn = self.mobile_ip(rng, carrier, circle), carrier
            for a, pin in accts:
                if rng.random() < 0.03:
                    yield ("L", a, pin_typo(rng, pin), "m", ip, asn, "IN", ua, dev, "attack", "mule_herder")
                    yield rng.randint(4, 15) * SEC
                yield ("L", a, pin, "m", ip, asn, "IN", ua, dev, "attack", "mule_herder")
                g = rng.randint(40, 240) * SEC
                yield g
                now += g

    def mule_setup(self, rng, a, pin, n):
        circle = wchoice(rng, CIRC, CIRC_C)
        car = wchoice(rng, CARRIERS, CARRIER_C)
        ph = Phone(rng, "A", car, NEG, None)
        _, dev, ua, _ = ph.at(0)
        for _ in range(n):
            yield ("L", a, pin, "m", self.mobile_ip(rng, car, circle), car, "IN", ua, dev, "attack", "mule_setup")
            yield rng.randint(30, 600) * MIN

    def phish_victim(self, rng, camp, a, u, t):
        vps = camp["vps"]
        ip, asn, cc = vps[rng.randrange(len(vps))]
        ua = camp["ua"]
        if u is None:
            seq = [sample_pin(rng, 4 if rng.random() < 0.6 else 6)]
            if rng.random() < 0.3:
                seq.append(sample_pin(rng, 4))
        else:
            r = rng.random()
            seq = [u.pin] if r < 0.85 else [pin_typo(rng, u.pin), u.pin] if r < 0.95 else [u.upi, u.pin]
        oc = None
        for typed in seq:
            oc = yield ("L", a, typed, "m", ip, asn, cc, ua, None, "attack", "phishing_relay")
            if oc != WRONG:
                break
            yield rng.randint(20, 90) * SEC
        if oc == OK and rng.random() < 0.75:
            yield ("S", rng.randint(10, 600) * MIN, self.phish_login(rng, camp, a, typed))

    def phish_login(self, rng, camp, a, pin):
        ph, car, circle = camp["phone"]
        for _ in range(rng.randint(1, 3)):
            _, dev, ua, _ = ph.at(0)
            yield ("L", a, pin, "m", self.mobile_ip(rng, car, circle), car, "IN", ua, dev, "attack", "phishing_login")
            yield rng.randint(5, 90) * MIN

    def build_attacks(self):
        rng = random.Random("%s:attacks" % self.seed)
        D = self.D
        sc = self.scale * D / 14.0     # campaign sizes scale with users and window length
        indian = [u for u in self.users if len(u.acct) == 10 and u.seg != "pos_backend"]
        active_app = [u for u in self.users if u.chan in ("a", "i") and u.seg not in ("dormant",)
                      and u.gulf is None and u.hh is None and u.travel is None]

        def leak_list(n, frac_cust):
            k = min(len(indian), int(n * frac_cust))
            lst = [u.acct for u in rng.sample(indian, k)]
            lst += [self.new_number(rng) for _ in range(n - k)]
            rng.shuffle(lst)
            return lst

        # reverse brute force, fast: 3 nights
        n0 = rng.randint(1, max(1, D - 4)) if D >= 4 else 0
        tl = leak_list(int(6000 * sc), 0.4)
        t0 = self.day_start(n0) + 23 * HOUR + 15 * MIN
        self.push(t0, 1, self.rbf_fast(random.Random("%s:rbf" % self.seed), t0, n0, tl))
        # reverse brute force, slow: 10 days
        nd = min(10, D)
        d0 = rng.randint(0, max(0, D - nd))
        tl2 = leak_list(int(3000 * sc), 0.5)
        t0 = self.day_start(d0)
        self.push(t0, 1, self.rbf_slow(random.Random("%s:rbfslow" % self.seed), t0, d0, nd, tl2))
        # credential stuffing: 3 bursts
        for b in range(3):
            n = int(3000 * sc * rng.uniform(0.7, 1.3))
            combos = []
            for _ in range(n):
                r = rng.random()
                if r < 0.35:
                    u = rng.choice(indian)
                    if u.pwd is not None and rng.random() < 0.10:
                        pw = u.pwd
                    elif u.pwd is not None and rng.random() < 0.2:
                        pw = pwd_typo(rng, u.pwd)
                    else:
                        pw = sample_password(rng)
                    combos.append((u.acct, pw))
                elif r < 0.95:
                    combos.append((self.new_number(rng), sample_password(rng)))
                else:
                    nm = rng.choice(NAMES)
                    combos.append(("%s%s%d@%s" % (nm, rng.choice(["", ".", "_"]), rng.randint(1, 999),
                                                  rng.choice(["gmail.com", "yahoo.co.in", "rediffmail.com", "hotmail.com"])),
                                   sample_password(rng)))
            st = self.day_start(rng.randrange(D)) + rng.randrange(DAY)
            self.push(st, 1, self.stuffing(random.Random("%s:stuff:%d" % (self.seed, b)), st,
                                           rng.randint(8, 36) * HOUR, combos))
        # SIM swap gangs
        gangs = []
        for circle in ("BR", "RJ", "HR"):
            phones = [Phone(rng, "A", None, NEG, None) for _ in range(rng.randint(1, 3))]
            gangs.append((circle, phones, rng.choice(["1122", "2580", "1234", "9999", "0786", "4321"])))
        n_ss = max(1, int(round(25 * sc)))
        for u in rng.sample(active_app, min(n_ss, len(active_app))):
            if len(u.acct) != 10:
                continue
            d = rng.randrange(D)
            t = self.day_start(d) + rng.choice((18, 19, 20, 21, 22, 23, 13, 15)) * HOUR + rng.randrange(HOUR)
            self.push(t, 1, self.simswap(random.Random("%s:ss:%s" % (self.seed, u.acct)), u, t, rng.choice(gangs)))
        # remote access scams
        pool = [u for u in active_app if u.suppress < 0]
        n_ras = max(1, int(round(30 * sc)))
        chosen = rng.sample(pool, min(n_ras * 2, len(pool)))
        picked = 0
        for u in chosen:
            if picked >= n_ras:
                break
            picked += 1
            d = rng.randrange(D)
            t = self.day_start(d) + rng.randint(10, 18) * HOUR + rng.randrange(HOUR)
            self.push(t, 1, self.lazy(self.ras, random.Random("%s:ras:%s" % (self.seed, u.acct)), u, t))
        # mule herders
        n_h = max(1, int(round(6 * self.scale)))
        for h in range(n_h):
            hr = random.Random("%s:herder:%d" % (self.seed, h))
            circle = wchoice(hr, CIRC, CIRC_C)
            car = wchoice(hr, CARRIERS, CARRIER_C)
            ph = Phone(hr, "A", car, NEG, None)
            _, dev, ua, _ = ph.at(0)
            home = None
            if hr.random() < 0.4:
                isps = [a for a in (AIRTEL_BB, ACT, HATHWAY) if circle in BB_AVAIL[a]]
                home = [hr.choice(isps), circle, None, -1]
            shared = sample_pin(hr, 4) if hr.random() < 0.6 else None
            accts = []
            for _ in range(hr.randint(5, 10)):
                a = self.new_number(hr)
                pin = shared or sample_pin(hr, 4)
                self.accts[a] = Acct(pin, None, mule=True)
                accts.append((a, pin))
            a0 = hr.randint(0, min(3, D - 1))
            a1 = D if hr.random() < 0.7 else hr.randint(a0 + 1, D)
            for a, pin in accts:
                ts = self.day_start(max(0, a0 - 1)) + hr.randint(9, 20) * HOUR + hr.randrange(HOUR)
                self.push(ts, 1, self.mule_setup(hr, a, pin, hr.randint(1, 2)))
            sched = []
            for d in range(a0, a1):
                for _ in range(hr.randint(3, 8)):
                    tt = self.day_start(d) + hr.randint(9, 22) * HOUR + hr.randrange(HOUR)
                    sub = [x for x in accts if hr.random() < 0.8]
                    hr.shuffle(sub)
                    if sub:
                        sched.append((tt, sub))
            sched.sort(key=lambda x: x[0])
            if sched:
                t0 = sched[0][0]
                self.push(t0, 1, self.herder(hr, t0, sched, dev, ua, car, circle, home))
        # phishing campaign
        pr = random.Random("%s:phish" % self.seed)
        vps_all = [(self.cat.static_ip(DO), DO, "IN"), (self.cat.static_ip(AWS), AWS, "IN"),
                   (self.cat.static_ip(AZURE), AZURE, "IN"), (self.cat.static_ip(HETZNER), HETZNER, "DE"),
                   (self.cat.static_ip(OVH), OVH, "FR"), (self.cat.static_ip(LINODE), LINODE, "US")]
        pr.shuffle(vps_all)
        fcircle = pr.choice(["WB", "BR", "RJ", "UE"])
        fcar = wchoice(pr, CARRIERS, CARRIER_C)
        camp_phone = (Phone(pr, "A", fcar, NEG, None), fcar, fcircle)
        n_blasts = 3
        n_vict = max(2, int(round(90 * sc)))
        n_junk = max(1, int(round(40 * sc)))
        victims = pr.sample(indian, min(n_vict, len(indian)))
        per = [[] for _ in range(n_blasts)]
        for j, u in enumerate(victims):
            per[j % n_blasts].append((u.acct, u))
        for j in range(n_junk):
            a = self.new_number(pr) if pr.random() < 0.7 else pr.choice(["9999999999", "9876543210", "1234567890",
                                                                            "9000000000", "8888888888"])
            per[j % n_blasts].append((a, None))
        for b in range(n_blasts):
            camp = {"vps": vps_all[b * 2:b * 2 + (2 if pr.random() < 0.4 else 1)],
                    "ua": ANDROID_WEB % 124, "phone": camp_phone}
            bt = self.day_start(pr.randrange(D)) + pr.choice((10, 11, 17, 18)) * HOUR
            for a, u in per[b]:
                t = bt + int(pr.expovariate(1 / 3.0) * HOUR)
                h = self.ist_hour(t)
                if h < 7:
                    t += (7 - h) * HOUR
                elif h >= 23:
                    t += 8 * HOUR
                self.push(t, 1, self.phish_victim(pr, camp, a, u, t))


def main():
    ap = argparse.ArgumentParser(description="PayKaro synthetic login log generator")
    ap.add_argument("seed")
    ap.add_argument("out")
    ap.add_argument("--users", type=int, default=40000)
    ap.add_argument("--days", type=int, default=14)
    a = ap.parse_args()
    if a.days < 1 or a.users < 100:
        sys.exit("need --days >= 1 and --users >= 100")
    with open(a.out, "w") as f:
        sim = Sim(a.seed, a.users, a.days, f)
        sim.build_population()
        sim.build_attacks()
        sim.run()
    print("wrote %d events to %s" % (sim.n_events, a.out), file=sys.stderr)


if __name__ == "__main__":
    main()
