#!/usr/bin/env python3
"""Synthetic login log of a Japanese online brokerage through two weeks of market turmoil.

    python3 generate.py SEED OUT.jsonl [--users N] [--days D]

Writes Mamori JSONL (docs/log-formats.md), one login attempt per line, sorted by ts, with
ground truth (label, scenario, takeover) beside each event. Standard library only;
deterministic for a seed (every random stream is a random.Random seeded with a string
derived from SEED; no set is iterated, hash() is never used).

This generator was written without looking at the engine, its tests, its simulator or any
other benchmark generator. It models what a brokerage's login service would log; it does
not model what any detector looks at.

METHODS (every modelling assumption; disagree here)
===================================================

Service and calendar
--------------------
* A fictional broker ("Sakura Securities", web + iOS/Android app) with N customers
  (default 25,000). Day 0 is Monday 2024-07-29 00:00 JST; default 14 days (to Sun 08-11).
  Trading days are weekdays that are not Japanese holidays (none fall in the default window).
  The TSE sessions of 2024 are assumed: 09:00-11:30, lunch break, 12:30-15:00.
* Login IDs are user-chosen usernames (as at SBI Securities): romanised Japanese surnames,
  given names or initials, birth years and digits. The password policy is 8+ characters with
  letters and digits. Every login attempt is one line; the service records the outcome:
  success | wrong_secret | unknown_account | locked.
* Lockout policy of the service (modelled by an in-order replay of every attempt against
  each account's password and lock state): 5 consecutive wrong secrets lock the account for
  30 minutes; the counter restarts after 60 minutes without a failure, after a success and
  after a password reset; a reset also lifts a lock. While locked every attempt is logged
  as "locked" whatever the password (its secret_fp is still the fingerprint of what was
  typed). A successful login by an attacker does not change the password.
* secret_fp = first 16 hex digits of HMAC-SHA256(key derived from SEED, password). Equal
  passwords give equal fingerprints across accounts; every wrong password (typo, old
  password, other site's password, attacker guess) has its own fingerprint. A typo of a
  popular password is shared across the accounts that make the same typo.

Customers (legitimate traffic)
------------------------------
* Segments: active traders 6% (about 5 logins per trading day, 0.8 on other days; app
  session time-outs make traders log in repeatedly), regular 30% (0.9 / 0.45 a day),
  occasional 32% (0.14 / 0.10), dormant 32% (have not logged in for months: 0.002 a day
  until the crash makes some return, then 0.2 a day). A per-customer log-normal activity
  multiplier (sigma 0.5) spreads rates within a segment. Counts are Poisson.
* Time of day (JST, 10-minute bins): night low; 07:00-09:00 ramp; a spike at the 09:00
  open; lunch-break bump (office workers), afternoon-session open 12:30 and close 15:00;
  after-market and evening peaks (19:00-23:00) and a US-market bump at 22:30. Active traders
  concentrate on market hours. Weekends are flatter. Customers living abroad mix their
  local-time rhythm with JST market hours.
* Channels per customer: app (72% of JP customers have it; iOS 62% / Android 38%), phone
  browser, home PC browser (50%, 90% of active traders), an office PC (40% of those who
  have an office) and, for 30% of active traders, a desktop trading tool with its own user
  agent that logs in before the open and on reconnects. The app keeps the password (so few
  typos: 1.2% of sessions vs 4% in a browser).
* Device token (`device`): app = install id (stable; new on a new phone, 1.5% of customers
  in the window, or a reinstall, 1%); browsers = the operator's cookie, persistent unless
  cleared (3% of web sessions get a new persistent cookie, 1.5% are private windows with a
  throw-away cookie, 1% of web customers block cookies and send no device); trading tool =
  its install id; aggregators send none.
* Networks: JP home broadband for 85% of JP customers (OCN 24%, SoftBank BB 18%, KDDI au
  Hikari 20%, So-net 12%, BIGLOBE 8%, IIJ 5%, ARTERIA 5%, OPTAGE eo 5%, Asahi Net 3%);
  45% of those reach the broker over IPv6 (a stable delegated /56, interface id rotating
  daily, 10% of their logins still over IPv4); home IPv4 is dynamic (4% chance a day of a new
  address; 5% have a static one). Mobile: NTT Docomo AS9605 36%, KDDI AS2516 28%, SoftBank
  AS17676 24%, Rakuten Mobile AS138384 9%, IIJmio (AS2497) 3%; mobile IPv4 is carrier-grade
  NAT: each login takes a random address from a carrier pool (200-2,500 addresses) shared by
  all subscribers; 30% of mobile logins (not IIJmio) come over IPv6 with a fresh /64.
  Phones use home Wi-Fi 65% of the time in the evening/weekend, 15% on weekday daytime (60%
  for the 35% retired/at-home customers), office Wi-Fi 12% of weekday daytime logins of
  office workers, otherwise the carrier; PCs are at home (or the office PC). Offices: one per
  40 customers, 1-2 static business addresses each (NTT/KDDI/IIJ/SoftBank/ARTERIA business
  ranges); 26% of JP customers work in one.
* Abroad: 1.5% of customers live abroad (SG 40%, US 35%, TH 25%) on local ISPs/carriers;
  1% of JP customers travel (3-8 days to US/SG/TH/KR/TW) and log in from hotel Wi-Fi (one
  address per trip) or roam home-routed on their Japanese carrier (scenario "travel").
* Prefixes are illustrative: each network gets IPv4/IPv6 ranges that are plausible for its
  ASN but not checked against registries; ranges never overlap, so one address always maps
  to one ASN and country across the log (residential proxies draw from the same ranges as
  real home users, as they are real home users' lines).
* User agents are mid-2024 strings; versions move during the window (Chrome 126->127,
  Edge 127, Firefox 128->129, iOS 17.5.1->17.6->17.6.1, app 7.4.2->7.5.0 released day 5
  with per-user update delays). App UAs are native ("SakuraSec/7.4.2 (iPhone15,4; iOS 17.5.1)
  CFNetwork/... Darwin/...", "SakuraSec/7.4.2 (Android 14; SC-51D) okhttp/4.12.0").
* Passwords: 6% of customers use a password from a 40-entry list of popular passwords that
  satisfy the policy (Zipf-like weights 1/rank^0.9: the top one ~1.2% of all customers,
  the top eight 3.5%); the rest are unique. Each customer has two other-site passwords
  (popular ones for half of the popular-password users) and an old password they try when
  they forget. A customer who resets picks a new unique password, or another popular one
  (30% of popular-password users).
* Ordinary friction: username typos (0.4% web sessions, mostly unknown_account; a typo
  can hit another existing account and then is a wrong_secret there), password typos
  (habitual: the same typo recurs), forgotten passwords (1-6 wrong candidates: old,
  other-site, typos; 85% then reset by e-mail link 3-15 minutes later and log in with a new
  password, which gets a new fingerprint).

Operational events (what makes this log different)
-------------------------------------------------
* Market crash: the first trading day at or after day D//2 (Mon 2024-08-05 by default, the
  real Nikkei -12% day); the trading day before it has 1.3x traffic. On the crash day
  every active trader logs in ~3 extra times, 80% of regulars, 50% of occasional and 33% of
  dormant customers log in; the next two trading days repeat this at 35% and 18%
  intensity. Surge login times: 15% pre-market (06:30-08:58, rising), 40% in an
  exponential burst from 08:59 (mean 10 min), 27% through the trading day, 18% evening.
  This gives roughly 5-10x the usual 09:00-09:15 login rate (check.py prints the ratio).
  Surge sessions are hurried: 2.5x the typo rate, more forgotten passwords (occasional
  6%, regular 1.5%) and username typos (2%).
* Dormant returners (scenario crash-surge): first login in months, so always a new device
  (new app install id, 40% on a new phone model, or a fresh browser cookie), on the mobile
  network 70% of the time, 25% typo rate, 30% forgot the password (85% of them reset), 10%
  mistype the username. After returning they log in 0.2 times a day.
* Authentication-backend incident: the first trading day after the crash, 09:07-09:48 JST.
  Each attempt with the correct password is rejected as wrong_secret with probability 0.5
  (all clients: app, web, trading tool, aggregators, attackers); the rejected line carries
  the fingerprint of the correct password, since the service hashed what was typed.
  Customers retry every 3-40 s up to a patience of 2-9 tries (the 5th consecutive failure
  locks the account, so later tries are "locked"); then 25% reset their password (new
  fingerprint), 20% switch app <-> browser (another device token and UA), 55% give up
  and come back 15-90 minutes later. The trading tool retries 3 times automatically. All of it is scenario
  auth-incident-retry (the whole affected session and its later retry session).
* Forced password reset: at 17:30 JST on day int(0.15*D) (Wed 07-31) the broker announces a
  breach at a partner and requires the 15% of customers whose credentials leaked to set a
  new password. 12% of them never do within the window; the rest reset 0.2-6 h later (30%),
  the next day (25%) or later (exponential, mean 4 days). 55% reset through an e-mailed
  link on a PC (then log in right away from that PC: a new cookie for half of PC owners
  and always new for those without a PC) and afterwards the app, which stored the old
  password, fails once with the old fingerprint 45% of the time; 45% are forced to change
  at their next login (a success with the old fingerprint, then the new one). 15% of web
  sessions after a reset first try the old password out of habit. 2% of other customers
  change their password voluntarily after the announcement. Scenario forced-reset.
* Account aggregators (scenario aggregator): 6% of non-dormant customers link their
  account to one of three money-management services (AWS/GCP/Sakura Internet clouds in
  Japan, 4-14 egress addresses each, own user agent, no device token). Each logs in once a
  day in its night batch window and on demand when the customer opens the app (3x on
  surge days). After a customer's password changes, the aggregator keeps failing with the
  old fingerprint until the customer re-enters it (35% within a day, 30% in 1-5 days, 35%
  not within the window).

Attacks (label attack; takeover true on every attacker success)
--------------------------------------------------------------
* crash-stuffing: a combo list from another breach, ~6,000 entries per 25k customers:
  2.5% of customers appear with their username, 13% of those with their broker password as
  it was before the window (reuse; a customer who has reset since is safe), the rest are
  non-existent usernames (30% of them e-mail addresses) and other passwords (8% popular).
  Replayed on the crash day 08:50-12:30, 45% in the first 40 minutes of the open, through
  Japanese residential proxies (85% home ISP lines, 15% mobile carrier lines; 1-4 attempts
  per proxy address), current mobile/desktop browser UAs, 55% without a device token,
  otherwise a fresh cookie per proxy session. 35% of the takeovers get 1-2 follow-up
  logins 2-40 h later through other proxies (same UA and device as the first).
* slow-spray: 8 popular passwords (8 per 14 days), each tried once against the same ~700
  harvested usernames (75% existing), one password after the other, spread evenly over the
  whole window with a diurnal shape (~400 attempts a day); 88% through residential proxies
  (1-6 attempts each), 12% from four cloud VPS addresses (Hetzner, OVH, DigitalOcean,
  Vultr); three slightly stale Chrome/Edge UAs; no device token.
* aitm-relay / aitm-fraudster: three SMS-phishing waves starting 19:30 JST the day after the
  breach announcement ("reset your password" lure), 18:30 on the crash day and 20:00 two
  days later (victims arrive over ~70 minutes, exponential); ~30 victims per 25k customers
  among those who have a phone. The relay on a Japanese cloud server
  (AWS, Sakura, GMO ConoHa, Vultr, Linode Tokyo; 1-2 per wave) replays the victim's login in
  real time with the victim's own phone-browser user agent and a cookie it just obtained
  (or none); 10% of victims mistype first. Then one of three fraudsters logs in again from
  their own device (a fixed cookie and UA per fraudster, shared across their victims,
  through residential proxies or a fixed cloud VPN address) 10-180 minutes later and 1-4
  more times over the next 36 hours to sell holdings and buy a small-cap stock. 30% of
  victims notice 2-20 h after the first fraudster login and reset their password (their
  recovery session is legit "normal"), so later fraudster logins fail.
* hnw-bruteforce: 6 (per 25k) high-net-worth active traders; two of them have a weak
  personal password that sits at rank ~120/~210 of the attacker's per-target dictionary
  (the 40 popular passwords first, then per-target guesses). From day crash+3 01:00 JST,
  bursts of 5 guesses (15% of bursts 6-7, which then hit the lock) every 31-40 minutes for
  up to 36 hours, rotating three cloud addresses (DO SG, OVH FR, Vultr JP); a
  scripted UA; no device. Owners who try during a lock see "locked".
* leaked-old-password: the attacker bought the partner's leak (the OLD password of the
  15% forced-reset group) and, from 18 h after the announcement, tries 7% of them once
  (front-loaded: exponential, mean 2.5 days) through residential proxies (85%) and a few
  cloud addresses; accounts that already reset answer wrong_secret with the old
  fingerprint, the others are taken over (35% of takeovers get 1-2 follow-up logins).
* Volumes scale linearly with --users (and --days for spray). With the defaults attacks
  are ~3-5% of events and there are a few hundred takeovers (each attacker success counts).
* The log is an export of the window: attempts of sessions that run past its end are cut.

Scenario names
--------------
legit: normal, crash-surge (extra surge sessions and dormant returners on the crash day and
the two after), auth-incident-retry, forced-reset (reset logins and the old-password slips
after them), aggregator, trading-tool, travel. attack: crash-stuffing, slow-spray,
aitm-relay, aitm-fraudster, hnw-bruteforce, leaked-old-password.

Simplifications (and places to disagree)
----------------------------------------
* No MFA/step-up field, no IPv4-over-IPv6 (MAP-E/DS-Lite) shared addresses, no VPN users
  among customers, no bot-detection responses (CAPTCHA) from the service, no sessions
  abroad for the trading tool; legit scripts are generated from the customer's own view
  (they do not react to locks an attacker caused, they just see "locked").
* CGNAT pools are small (200-2,500 addresses per carrier), so a carrier address is shared by
  a handful to a few dozen of this broker's customers over the window, not thousands.
* The incident rejects at one flat rate for every client and account; a real fault may hit
  one backend shard or one client type.
* Residential proxies are drawn uniformly from the ISPs' ranges, so they almost never reuse a
  customer's address; attackers never change passwords or contact details.
"""
import argparse
import bisect
import hashlib
import heapq
import hmac
import ipaddress
import itertools
import json
import math
import random
import sys
import time
from datetime import date, timedelta

START_UTC_S = 1722178800            # 2024-07-28T15:00:00Z == 2024-07-29 00:00 JST
START_DATE = date(2024, 7, 29)
JP_HOLIDAYS = ("2024-08-12", "2024-09-16", "2024-09-23", "2024-10-14", "2024-11-04")
LOCK_THRESHOLD = 5
FAIL_RESET_MS = 60 * 60 * 1000
LOCK_MS = 30 * 60 * 1000
P_INCIDENT_REJECT = 0.5
MIN = 60000
HOUR = 3600000
DAY = 86400000


# --------------------------------------------------------------------------- helpers

def poisson(rng, lam):
    if lam <= 0:
        return 0
    if lam > 30:
        return max(0, int(rng.gauss(lam, math.sqrt(lam)) + 0.5))
    limit = math.exp(-lam)
    k, p = 0, 1.0
    while True:
        p *= rng.random()
        if p <= limit:
            return k
        k += 1


def cum(ws):
    return list(itertools.accumulate(ws))


def pick(rng, items, cw):
    return items[bisect.bisect_right(cw, rng.random() * cw[-1])]


def uuidish(rng, upper=False):
    h = f"{rng.getrandbits(128):032x}"
    s = f"{h[:8]}-{h[8:12]}-4{h[13:16]}-{'89ab'[int(h[16], 16) & 3]}{h[17:20]}-{h[20:32]}"
    return s.upper() if upper else s


def cookie(rng):
    return f"{rng.getrandbits(96):024x}"


def v4str(n):
    return f"{n >> 24}.{(n >> 16) & 255}.{(n >> 8) & 255}.{n & 255}"


def v6str(n):
    return ipaddress.IPv6Address(n).compressed


# --------------------------------------------------------------------------- networks

class Net:
    def __init__(self, key, asn, cc, v4, v6=(), pool=0):
        self.key, self.asn, self.cc = key, asn, cc
        self.v4 = [ipaddress.IPv4Network(c) for c in v4]
        self.v4cw = cum([n.num_addresses for n in self.v4])
        self.v6 = [ipaddress.IPv6Network(c) for c in v6]
        self.pool_size = pool
        self.pool = []

    def rand_v4(self, rng):
        n = pick(rng, self.v4, self.v4cw)
        while True:
            a = int(n.network_address) + rng.randrange(n.num_addresses)
            if 0 < (a & 255) < 255:
                return a

    def rand_v6_prefix(self, rng, plen):
        n = self.v6[rng.randrange(len(self.v6))]
        return int(n.network_address) | (rng.getrandbits(plen - n.prefixlen) << (128 - plen))

    def build_pool(self, rng):
        seen = {}
        while len(self.pool) < self.pool_size:
            a = self.rand_v4(rng)
            if a not in seen:
                seen[a] = 1
                self.pool.append(v4str(a))


def make_nets():
    N = {}

    def add(*a, **k):
        n = Net(*a, **k)
        N[n.key] = n
    # Japanese home broadband (asn, IPv4 ranges, IPv6 delegations) -- illustrative prefixes
    add("ocn", 4713, "JP", ["153.128.0.0/11", "114.160.0.0/12", "180.0.0.0/12", "60.32.0.0/12"], ["2400:4050::/30"])
    add("sbb", 17676, "JP", ["126.0.0.0/10", "126.64.0.0/11"], ["240b:10::/30"])
    add("auhikari", 2516, "JP", ["118.0.0.0/13", "124.208.0.0/12"], ["2001:f70::/30"])
    add("sonet", 2527, "JP", ["220.208.0.0/12", "114.48.0.0/13"], ["2400:2410::/30"])
    add("biglobe", 2518, "JP", ["114.144.0.0/13", "133.200.0.0/13"], ["2404:7a80::/30"])
    add("iij", 2497, "JP", ["210.130.0.0/16", "202.232.0.0/14", "210.138.0.0/15"], ["2001:240::/32"])
    add("arteria", 17506, "JP", ["61.125.0.0/16", "121.2.0.0/15"], ["2405:6580::/32"])
    add("optage", 17511, "JP", ["121.116.0.0/14", "42.144.0.0/14"], ["2405:6584::/32"])
    add("asahi", 4685, "JP", ["219.98.0.0/15", "113.197.0.0/16"], ["2400:2653::/32"])
    # Japanese mobile carriers (CGNAT pools)
    add("docomo", 9605, "JP", ["1.66.0.0/15", "1.72.0.0/13", "49.96.0.0/12", "110.163.0.0/16", "110.165.0.0/16"],
        ["2400:2200::/32"], pool=2500)
    add("au", 2516, "JP", ["106.128.0.0/11", "182.248.0.0/14"], ["2001:268::/32"], pool=2000)
    add("sbm", 17676, "JP", ["126.192.0.0/10"], ["240b:250::/32"], pool=2000)
    add("rakuten", 138384, "JP", ["133.106.0.0/16", "157.192.0.0/16"], ["2400:c980::/32"], pool=500)
    add("iijmio", 2497, "JP", ["160.237.0.0/16"], [], pool=200)
    # Japanese business lines (offices)
    add("ocn-biz", 4713, "JP", ["122.16.0.0/13"])
    add("kddi-biz", 2516, "JP", ["210.196.0.0/14"])
    add("iij-biz", 2497, "JP", ["202.238.0.0/16"])
    add("sb-biz", 17676, "JP", ["221.112.0.0/13"])
    add("arteria-biz", 17506, "JP", ["210.172.0.0/15"])
    # abroad
    add("singtel", 9506, "SG", ["116.86.0.0/15", "118.200.0.0/14"])
    add("starhub", 4657, "SG", ["27.104.0.0/14"])
    add("m1", 4773, "SG", ["111.65.0.0/16"], pool=300)
    add("comcast", 7922, "US", ["73.0.0.0/8"], ["2601::/20"])
    add("verizon", 701, "US", ["71.160.0.0/11"])
    add("att", 7018, "US", ["99.0.0.0/10"])
    add("tmobile", 21928, "US", ["172.56.0.0/14"], ["2607:fb90::/32"], pool=400)
    add("true", 7470, "TH", ["171.96.0.0/13"])
    add("3bb", 45758, "TH", ["171.4.0.0/14"])
    add("ais", 131445, "TH", ["49.228.0.0/14"], pool=300)
    add("kt", 4766, "KR", ["211.216.0.0/13"])
    add("cht", 3462, "TW", ["36.224.0.0/12"])
    # clouds
    add("aws-jp", 16509, "JP", ["13.112.0.0/14", "52.192.0.0/15", "54.64.0.0/15", "18.176.0.0/15", "35.72.0.0/13"])
    add("gcp-jp", 396982, "JP", ["34.84.0.0/16", "34.146.0.0/16", "35.187.192.0/19"])
    add("sakura", 9370, "JP", ["133.242.0.0/16", "153.127.0.0/16", "160.16.0.0/16"])
    add("conoha", 7506, "JP", ["150.95.0.0/16", "118.27.0.0/17"])
    add("vultr-jp", 20473, "JP", ["45.32.0.0/19", "202.182.96.0/19"])
    add("linode-jp", 63949, "JP", ["139.162.64.0/19", "172.104.64.0/19"])
    add("do-sg", 14061, "SG", ["128.199.0.0/16", "159.89.192.0/19"])
    add("hetzner", 24940, "DE", ["5.9.0.0/16", "88.198.0.0/16", "95.216.0.0/16"])
    add("ovh", 16276, "FR", ["51.68.0.0/16", "51.77.0.0/16"])
    # sanity: no two networks overlap, so ip -> (asn, country) is a function
    allv = []
    for n in N.values():
        allv += [(x, n.key) for x in n.v4 + n.v6]
    for i in range(len(allv)):
        for j in range(i + 1, len(allv)):
            a, b = allv[i][0], allv[j][0]
            if a.version == b.version and a.overlaps(b):
                raise SystemExit(f"overlapping ranges {a} ({allv[i][1]}) {b} ({allv[j][1]})")
    return N


HOME_ISPS = [("ocn", .24), ("sbb", .18), ("auhikari", .20), ("sonet", .12), ("biglobe", .08),
             ("iij", .05), ("arteria", .05), ("optage", .05), ("asahi", .03)]
CARRIERS = [("docomo", .36), ("au", .28), ("sbm", .24), ("rakuten", .09), ("iijmio", .03)]
OFFICE_NETS = [("ocn-biz", .35), ("kddi-biz", .2), ("iij-biz", .15), ("sb-biz", .2), ("arteria-biz", .1)]
ABROAD = {"SG": (["singtel", "starhub"], "m1"), "US": (["comcast", "verizon", "att"], "tmobile"),
          "TH": (["true", "3bb"], "ais")}
TRIP_HOTEL = {"US": ["comcast", "verizon", "att"], "SG": ["singtel", "starhub"], "TH": ["true", "3bb"],
              "KR": ["kt"], "TW": ["cht"]}
TZ_SHIFT_H = {"JP": 0, "SG": -1, "TH": -2, "US": -13, "KR": 0, "TW": -1}

# --------------------------------------------------------------------------- names, passwords

SURNAMES = ("sato suzuki takahashi tanaka watanabe ito yamamoto nakamura kobayashi kato yoshida yamada "
            "sasaki yamaguchi matsumoto inoue kimura hayashi shimizu yamazaki mori abe ikeda hashimoto "
            "yamashita ishikawa nakajima maeda fujita ogawa goto okada hasegawa murakami kondo ishii saito "
            "sakamoto endo aoki fujii nishimura fukuda ota miura fujiwara okamoto matsuda nakagawa nakano "
            "harada ono tamura takeuchi kaneko wada nakayama ishida ueda morita hara shibata sakai kudo "
            "yokoyama miyazaki miyamoto uchida takagi ando taniguchi ohno maruyama imai takada fujimoto "
            "takeda murata ueno sugiyama masuda sugawara hirano otsuka chiba kubo matsui iwasaki sakurai "
            "kinoshita noguchi matsuo nomura kikuchi sano onishi sugimoto arai").split()
GIVEN = ("hiroshi takashi kenji yuki akira makoto satoshi naoki kazuya daisuke yusuke takuya kenta shota "
         "ryo yoko keiko yumi naomi akiko tomoko mayumi emi ayaka misaki haruka yui kaori megumi junko "
         "masaki tetsuya koji shinji hideki toshio manabu sho ren haruto").split()
WORDS = "kabu invest trade money stock nisa toushi shisan fund tokyo osaka nagoya fukuoka sapporo".split()
MAILDOMAINS = ["docomo.ne.jp", "ezweb.ne.jp", "softbank.ne.jp", "gmail.com", "yahoo.co.jp", "icloud.com",
               "i.softbank.jp", "hotmail.co.jp", "outlook.jp"]
POPULAR = ["password1", "abcd1234", "a1234567", "abc12345", "qwerty123", "1qaz2wsx", "pass1234", "asdf1234",
           "aaaa1111", "test1234", "password123", "abc123456", "1q2w3e4r", "qwerty12", "zxcv1234", "aa123456",
           "a12345678", "123456ab", "sakura123", "tokyo1234", "iloveyou1", "monkey123", "dragon12", "baseball1",
           "soccer123", "1234qwer", "q1w2e3r4", "abcd12345", "kabu1234", "money123", "yamato01", "pokemon1",
           "yankees1", "hello123", "nihon123", "tanaka123", "suzuki123", "password01", "admin1234", "love1234"]
POPULAR_CW = cum([1.0 / (r + 1) ** 0.9 for r in range(len(POPULAR))])


def make_username(rng):
    s, g = rng.choice(SURNAMES), rng.choice(GIVEN)
    r = rng.random()
    if r < 0.25:
        return f"{s}{g[0]}{rng.randint(40, 99)}"
    if r < 0.40:
        return f"{g}_{s}"
    if r < 0.55:
        return f"{s}{rng.randint(1945, 2002)}"
    if r < 0.70:
        return f"{g}{s[:3]}{rng.randint(1, 999)}"
    if r < 0.80:
        return f"{g}.{s}{rng.randint(1, 99)}"
    if r < 0.90:
        return f"{rng.choice(WORDS)}{s}{rng.randint(1, 9999)}"
    return f"{s[0]}{g[0]}{rng.randint(100000, 9999999)}"


def typo_username(rng, u):
    r = rng.random()
    i = rng.randrange(len(u))
    if r < 0.3 and len(u) > 6:
        return u[:i] + u[i + 1:]
    if r < 0.55 and i < len(u) - 1:
        return u[:i] + u[i + 1] + u[i] + u[i + 2:]
    if r < 0.8:
        return u[:i] + rng.choice("abcdefghijklmnopqrstuvwxyz0123456789") + u[i + 1:]
    return u.capitalize() if u[0].isalpha() and rng.random() < 0.5 else u + rng.choice("0123456789")


# --------------------------------------------------------------------------- calendar

class Cal:
    def __init__(self, days):
        self.days = days
        self.dates = [START_DATE + timedelta(d) for d in range(days)]
        self.trading = [d.weekday() < 5 and d.isoformat() not in JP_HOLIDAYS for d in self.dates]
        tdays = [d for d in range(days) if self.trading[d]]
        after = [d for d in tdays if d >= days // 2]
        self.crash = after[0] if after else min(days - 1, days // 2)
        nxt = [d for d in tdays if d > self.crash]
        self.surge = {self.crash: 1.0}
        for d, inten in zip(nxt[:2], (0.35, 0.18)):
            self.surge[d] = inten
        before = [d for d in tdays if d < self.crash]
        self.pre_crash = before[-1] if before else -1
        self.incident_day = nxt[0] if nxt else self.crash
        self.inc0 = self.ms(self.incident_day, 9 * 60 + 7)
        self.inc1 = self.inc0 + 41 * MIN
        self.announce_day = min(days - 1, int(days * 0.15))
        self.announce = self.ms(self.announce_day, 17 * 60 + 30)
        self.app_release_day = min(days - 1, 5)
        self.end = self.ms(days, 0)

    @staticmethod
    def ms(day, minute):
        return (START_UTC_S + day * 86400) * 1000 + int(minute * 60000)

    @staticmethod
    def daymin(t):
        x = t - START_UTC_S * 1000
        return int(x // DAY), (x % DAY) / 60000.0

    def in_incident(self, t):
        return self.inc0 <= t < self.inc1


HOURLY_WK = [1.2, .6, .3, .2, .2, .4, 1.2, 2.5, 4.0, 6.0, 4.0, 3.2, 4.5, 3.0, 3.0, 3.8, 2.8, 2.8, 3.2, 3.8, 4.2, 4.6,
             4.4, 2.8]
HOURLY_ACT = [.6, .4, .2, .1, .1, .2, .8, 2.5, 5.0, 9.0, 6.0, 4.5, 5.0, 5.5, 5.0, 3.5, 2.0, 1.8, 2.0, 2.5, 2.8, 3.0,
              3.2, 1.8]
HOURLY_WE = [1.5, .8, .4, .3, .3, .5, 1.0, 1.8, 2.5, 3.0, 3.2, 3.0, 2.8, 2.8, 2.8, 2.8, 2.8, 2.8, 3.0, 3.6, 4.0, 4.2,
             3.6, 2.4]
MODS_WK = {(8, 50): 1.4, (9, 0): 2.4, (9, 10): 1.5, (11, 30): .8, (12, 0): 1.3, (12, 10): 1.3, (12, 30): 1.5,
           (15, 0): 1.5, (22, 30): 1.4}


def build_profile(hourly, mods, shift_h=0):
    w = [hourly[((b // 6) + shift_h) % 24] for b in range(144)]
    for (hh, mm), f in mods.items():
        b = ((hh * 60 + mm) // 10 - shift_h * 6) % 144
        w[b] *= f
    return w


def sample_minute(rng, cw):
    b = bisect.bisect_right(cw, rng.random() * cw[-1])
    return min(b, 143) * 10 + rng.random() * 10


def surge_minute(rng):
    r = rng.random()
    if r < 0.15:
        return 390 + 148 * math.sqrt(rng.random())
    if r < 0.55:
        return 539 + min(rng.expovariate(1 / 10.0), 150)
    if r < 0.82:
        m = 560 + rng.expovariate(1 / 80.0)
        return m if m < 900 else 900 + rng.random() * 180
    return 1080 + rng.random() * 300


# --------------------------------------------------------------------------- user agents

IPHONES = ["iPhone14,5", "iPhone14,7", "iPhone15,4", "iPhone16,1", "iPhone14,6", "iPhone13,2", "iPhone15,2",
           "iPhone12,1", "iPhone15,5", "iPhone16,2"]
ANDROIDS = [("SC-51D", 14), ("SO-51D", 14), ("SH-51D", 14), ("Pixel 8", 14), ("Pixel 7a", 14), ("SOG10", 14),
            ("A301SH", 13), ("SH-M26", 13), ("XQ-DQ44", 14), ("moto g53j 5G", 13), ("SC-53D", 14), ("A202SH", 13),
            ("SHG10", 13), ("Pixel 6a", 14)]
IOS_DARWIN = {"16.7.8": ("22.6.0", "1410.1"), "17.4.1": ("23.4.0", "1494.0.7"), "17.5.1": ("23.5.0", "1496.0.7"),
              "17.6": ("23.6.0", "1496.0.7"), "17.6.1": ("23.6.0", "1496.0.7")}
EDGE_VER = {126: "126.0.2592.113", 127: "127.0.2651.74"}


class Browser:
    """A browser install whose version moves during the window."""

    def __init__(self, rng, kind, ios_track=None):
        self.kind = kind
        self.up127 = -1 if rng.random() < 0.55 else int(rng.expovariate(1 / 3.0))
        self.ff129 = 8 + int(rng.expovariate(1 / 2.5))
        self.ios = ios_track

    def ua(self, day):
        k = self.kind
        cv = 127 if day >= self.up127 else 126
        if k == "chrome_win":
            return f"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/{cv}.0.0.0 Safari/537.36"
        if k == "edge_win":
            return (f"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/{cv}.0.0.0 "
                    f"Safari/537.36 Edg/{EDGE_VER[cv]}")
        if k == "chrome_mac":
            return f"Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/{cv}.0.0.0 Safari/537.36"
        if k == "safari_mac":
            v = "17.6" if day >= self.up127 + 1 else "17.5"
            return f"Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/{v} Safari/605.1.15"
        if k == "firefox_win":
            v = 129 if day >= self.ff129 else 128
            return f"Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:{v}.0) Gecko/20100101 Firefox/{v}.0"
        if k == "android_chrome":
            return f"Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/{cv}.0.0.0 Mobile Safari/537.36"
        if k == "ios_safari":
            iv = ios_version(self.ios, day)
            short = ".".join(iv.split(".")[:2])
            return (f"Mozilla/5.0 (iPhone; CPU iPhone OS {iv.replace('.', '_')} like Mac OS X) AppleWebKit/605.1.15 "
                    f"(KHTML, like Gecko) Version/{short} Mobile/15E148 Safari/604.1")
        raise ValueError(k)


PC_KINDS = ["chrome_win", "edge_win", "safari_mac", "chrome_mac", "firefox_win"]
PC_KINDS_CW = cum([.45, .25, .12, .13, .05])
WORK_KINDS = ["edge_win", "chrome_win"]


def ios_track(rng):
    r = rng.random()
    if r < 0.06:
        return [(0, "16.7.8")]
    if r < 0.12:
        return [(0, "17.4.1")]
    d1 = int(rng.expovariate(1 / 4.0))
    tr = [(0, "17.5.1"), (d1, "17.6")]
    d2 = max(d1 + 1, 9 + int(rng.expovariate(1 / 3.0)))
    tr.append((d2, "17.6.1"))
    return tr


def ios_version(track, day):
    v = track[0][1]
    for d, x in track:
        if day >= d:
            v = x
    return v


AGGREGATORS = [  # name, ua, net, n_ips, share, batch window (JST minutes)
    ("moneybook", "MoneyBookAggregator/3.8.2 (+https://moneybook.example/crawler)", "aws-jp", 14, .55, (120, 300)),
    ("kakeibo", "KakeiboCloud-Sync/2.14 (Linux; +https://kakeibo-cloud.example/bot)", "gcp-jp", 6, .30, (240, 360)),
    ("assetview", "AssetView-Fetcher/1.9.0 Java/17.0.11", "sakura", 4, .15, (60, 180)),
]
TOOL_UA = "SakuraTrader/5.4.1.2 (Windows NT 10.0; Win64; x64) SakuraSecAPI/2"
STUFF_UAS = [
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.6 Mobile/15E148 Safari/604.1",
    "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/127.0.0.0 Mobile Safari/537.36",
    "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Mobile Safari/537.36",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/127.0.0.0 Safari/537.36",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36 Edg/126.0.2592.113",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15",
]
SPRAY_UAS = [
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/122.0.0.0 Safari/537.36",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/123.0.0.0 Safari/537.36 Edg/123.0.2420.81",
]
BF_UA = "python-requests/2.31.0"

# --------------------------------------------------------------------------- output sink


class Sink:
    """Collects login attempts and password resets; the replay decides outcomes."""

    def __init__(self):
        self.att = []   # [t, seq, acct, ip, ua, dev, pw, asn, cc, label, scen, forced, u]
        self.res = []   # (t, seq, acct, newpw)
        self.seq = itertools.count()
        self.u = random.Random("u")

    def attempt(self, t, ctx, acct, pw, label, scen, forced=None):
        ip, asn, cc, ua, dev = ctx
        self.att.append([int(t), next(self.seq), acct, ip, ua, dev, pw, asn, cc, label, scen, forced,
                         self.u.random()])

    def reset(self, t, acct, pw):
        self.res.append((int(t), next(self.seq), acct, pw))


# --------------------------------------------------------------------------- customers

class Cust:
    pass


def make_customers(seed, n, cal, nets):
    rng = random.Random(f"{seed}:customers")
    seen = {}
    offices = []
    orng = random.Random(f"{seed}:offices")
    off_names = [k for k, _ in OFFICE_NETS]
    off_cw = cum([w for _, w in OFFICE_NETS])
    for _ in range(max(20, n // 40)):
        net = nets[pick(orng, off_names, off_cw)]
        ips = [v4str(net.rand_v4(orng)) for _ in range(1 + (orng.random() < 0.4))]
        offices.append((net, ips))
    isp_names = [k for k, _ in HOME_ISPS]
    isp_cw = cum([w for _, w in HOME_ISPS])
    car_names = [k for k, _ in CARRIERS]
    car_cw = cum([w for _, w in CARRIERS])
    seg_names = ["active", "regular", "occasional", "dormant"]
    seg_cw = cum([.06, .30, .32, .32])
    custs = []
    for i in range(n):
        c = Cust()
        c.i = i
        while True:
            u = make_username(rng)
            if u not in seen:
                seen[u] = i
                break
        c.acct = u
        c.rng = random.Random(f"{seed}:cust:{i}")
        r = c.rng
        c.seg = pick(r, seg_names, seg_cw)
        c.mult = math.exp(r.gauss(0, 0.5) - 0.125)
        # residence
        c.cc = "JP"
        if r.random() < 0.015:
            c.cc = pick(r, ["SG", "US", "TH"], cum([.4, .35, .25]))
        if c.cc == "JP":
            c.home = nets[pick(r, isp_names, isp_cw)] if r.random() < 0.85 else None
            c.carrier = nets[pick(r, car_names, car_cw)]
        else:
            fixed, mob = ABROAD[c.cc]
            c.home = nets[r.choice(fixed)]
            c.carrier = nets[mob]
        c.home_v6 = bool(c.home and c.home.v6 and r.random() < (0.45 if c.cc == "JP" else 0.5))
        c.v6pfx = c.home.rand_v6_prefix(r, 56) if c.home_v6 else 0
        c.home_v4 = []
        if c.home:
            static = r.random() < 0.05
            a = v4str(c.home.rand_v4(r))
            for d in range(cal.days):
                if d and not static and r.random() < 0.04:
                    a = v4str(c.home.rand_v4(r))
                c.home_v4.append(a)
        c.at_home_day = r.random() < 0.35
        c.office = offices[r.randrange(len(offices))] if (c.cc == "JP" and not c.at_home_day and r.random() < 0.4) else None
        c.pc_at_work = bool(c.office and r.random() < 0.4)
        c.work_browser = Browser(r, r.choice(WORK_KINDS)) if c.pc_at_work else None
        c.work_cookie = cookie(r)
        # devices
        c.has_app = r.random() < (0.72 if c.cc == "JP" else 0.5)
        c.ios = r.random() < 0.62
        c.ios_track = ios_track(r)
        c.model = r.choice(IPHONES) if c.ios else r.choice(ANDROIDS)
        c.app_id = uuidish(r, upper=c.ios)
        c.app_update = cal.app_release_day + (int(r.expovariate(1 / (2.0 if c.ios else 3.0))) if r.random() > 0.1 else 999)
        c.has_pc = r.random() < (0.9 if c.seg == "active" else 0.5)
        c.pc = Browser(r, pick(r, PC_KINDS, PC_KINDS_CW))
        c.uses_pweb = r.random() < 0.15 or not (c.has_app or c.has_pc)
        c.pweb = Browser(r, "ios_safari" if c.ios else "android_chrome", c.ios_track)
        c.no_cookie = r.random() < 0.01
        c.pc_cookie, c.pweb_cookie = cookie(r), cookie(r)
        c.w_app = r.uniform(2, 6) if c.has_app else 0.0
        c.w_pc = r.uniform(1, 4) if c.has_pc else 0.0
        c.w_pweb = r.uniform(0.5, 2) if c.uses_pweb else 0.0
        c.tool = c.seg == "active" and c.cc == "JP" and c.home is not None and r.random() < 0.3
        c.tool_id = "ST-" + f"{r.getrandbits(64):016X}"
        # life events
        c.new_phone_day = r.randrange(cal.days) if r.random() < 0.015 else -1
        c.reinstall_day = r.randrange(cal.days) if r.random() < 0.01 else -1
        c.trip = None
        if c.cc == "JP" and r.random() < 0.01:
            dest = pick(r, ["US", "SG", "TH", "KR", "TW"], cum([.3, .2, .2, .15, .15]))
            d0 = r.randrange(cal.days)
            hotel = nets[r.choice(TRIP_HOTEL[dest])]
            c.trip = (d0, d0 + r.randint(3, 8), dest, hotel, v4str(hotel.rand_v4(r)))
        # passwords
        c.popular = r.random() < 0.06
        c.pw0 = pick(r, POPULAR, POPULAR_CW) if c.popular else f"u:{u}:{r.getrandbits(40):x}"
        c.pw = c.pw0
        c.pw_hist = [(0, c.pw0)]
        c.other_pws = [pick(r, POPULAR, POPULAR_CW) if (c.popular and r.random() < 0.5) else f"o:{u}:{k}"
                       for k in range(2)]
        c.old_pw = f"old:{u}"
        c.typo_cw = cum([.55, .25, .12, .08])
        c.nver = 0
        c.leaked = False
        c.agg = None
        c.returned_day = None if c.seg == "dormant" else -1
        c.app_stale = False
        c.web_stale = False
        c.tool_stale = False
        c.hnw = False
        custs.append(c)
    by_acct = {c.acct: c for c in custs}
    # forced-reset group, aggregator links, high-net-worth targets
    rng2 = random.Random(f"{seed}:groups")
    for c in custs:
        c.leaked = rng2.random() < 0.15
        if c.seg != "dormant" and rng2.random() < 0.06:
            k = pick(rng2, [0, 1, 2], cum([a[4] for a in AGGREGATORS]))
            c.agg = k
    return custs, by_acct


# --------------------------------------------------------------------------- legit sessions

class Legit:
    def __init__(self, seed, cal, nets, sink, custs, by_acct):
        self.cal, self.nets, self.sink, self.custs, self.by_acct = cal, nets, sink, custs, by_acct
        self.prof_wk = cum(build_profile(HOURLY_WK, MODS_WK))
        self.prof_act = cum(build_profile(HOURLY_ACT, MODS_WK))
        self.prof_we = cum(build_profile(HOURLY_WE, {}))
        self.prof_abroad = {}
        for cc, sh in TZ_SHIFT_H.items():
            local = build_profile(HOURLY_WK, {}, sh)
            jst = build_profile(HOURLY_WK, MODS_WK)
            self.prof_abroad[cc] = cum([0.5 * a + 0.5 * b for a, b in zip(local, jst)])

    # ---- context (ip, asn, cc, ua, device) for a channel at a time
    def pw_version(self, c, t, fresh=False):
        c.nver += 1
        return f"u:{c.acct}:v{c.nver}:{c.rng.getrandbits(32):x}"

    def mobile_ip(self, c, net):
        r = c.rng
        if net.v6 and r.random() < 0.3:
            return v6str(net.rand_v6_prefix(r, 64) | r.getrandbits(64)), net.asn, net.cc
        return r.choice(net.pool), net.asn, net.cc

    def home_ip(self, c, day, dev_salt):
        r = c.rng
        if c.home_v6 and r.random() < 0.9:
            iid = random.Random(f"{c.acct}:{day}:{dev_salt}").getrandbits(64)
            return v6str(c.v6pfx | iid), c.home.asn, c.home.cc
        return c.home_v4[min(day, len(c.home_v4) - 1)], c.home.asn, c.home.cc

    def where(self, c, day, minute, phone, force_mobile=False):
        """('home'|'mobile'|'office'|'hotel'|'roam')"""
        r = c.rng
        if c.trip and c.trip[0] <= day < c.trip[1]:
            return "hotel" if (not phone or r.random() < 0.55) else "roam"
        if force_mobile or c.home is None:
            return "mobile" if phone else ("home" if c.home else "mobile")
        if not phone:
            return "home"
        weekday_day = self.cal.trading[day] and 8 * 60 <= minute < 19 * 60
        p_home = (0.6 if c.at_home_day else 0.15) if weekday_day else 0.65
        if c.office and weekday_day and r.random() < 0.12:
            return "office"
        return "home" if r.random() < p_home else "mobile"

    def ip_for(self, c, loc, day, salt):
        if loc == "home":
            return self.home_ip(c, day, salt)
        if loc == "mobile" or loc == "roam":
            return self.mobile_ip(c, c.carrier)
        if loc == "office":
            net, ips = c.office
            return c.rng.choice(ips), net.asn, net.cc
        if loc == "hotel":
            return c.trip[4], c.trip[3].asn, c.trip[3].cc
        raise ValueError(loc)

    def web_cookie(self, c, attr):
        r = c.rng
        if c.no_cookie:
            return None
        x = r.random()
        if x < 0.03:
            setattr(c, attr, cookie(r))
        elif x < 0.045:
            return cookie(r)
        return getattr(c, attr)

    def app_ua(self, c, day):
        ver = "7.5.0" if day >= c.app_update else "7.4.2"
        if c.ios:
            iv = ios_version(c.ios_track, day)
            dw, cf = IOS_DARWIN[iv]
            return f"SakuraSec/{ver} ({c.model}; iOS {iv}) CFNetwork/{cf} Darwin/{dw}"
        model, osv = c.model
        return f"SakuraSec/{ver} (Android {osv}; {model}) okhttp/4.12.0"

    def ctx(self, c, chan, t, force_mobile=False, new_device=False):
        day, minute = self.cal.daymin(t)
        day = min(day, self.cal.days - 1)
        r = c.rng
        if chan == "app":
            loc = self.where(c, day, minute, True, force_mobile)
            if new_device:
                c.app_id = uuidish(r, upper=c.ios)
            ip, asn, cc = self.ip_for(c, loc, day, "app")
            return ip, asn, cc, self.app_ua(c, day), c.app_id
        if chan == "pweb":
            loc = self.where(c, day, minute, True, force_mobile)
            if new_device:
                c.pweb_cookie = cookie(r)
            ip, asn, cc = self.ip_for(c, loc, day, "pweb")
            return ip, asn, cc, c.pweb.ua(day), self.web_cookie(c, "pweb_cookie")
        if chan == "pc":
            loc = self.where(c, day, minute, False, False)
            if new_device:
                c.pc_cookie = cookie(r)
            ip, asn, cc = self.ip_for(c, loc, day, "pc")
            return ip, asn, cc, c.pc.ua(day), self.web_cookie(c, "pc_cookie")
        if chan == "wpc":
            net, ips = c.office
            return r.choice(ips), net.asn, net.cc, c.work_browser.ua(day), (None if c.no_cookie else c.work_cookie)
        if chan == "tool":
            ip, asn, cc = self.home_ip(c, day, "tool")
            return ip, asn, cc, TOOL_UA, c.tool_id
        raise ValueError(chan)

    def pick_channel(self, c, t):
        day, minute = self.cal.daymin(t)
        day = min(day, self.cal.days - 1)
        opts, ws = [], []
        for ch, w in (("app", c.w_app), ("pc", c.w_pc), ("pweb", c.w_pweb)):
            if w > 0:
                opts.append(ch)
                ws.append(w)
        if c.pc_at_work and self.cal.trading[day] and 9 * 60 <= minute < 18 * 60 and not (
                c.trip and c.trip[0] <= day < c.trip[1]):
            opts.append("wpc")
            ws.append(3.0)
        return pick(c.rng, opts, cum(ws))

    # ---- passwords typed
    def typo_of(self, c, pw):
        k = pick(c.rng, [0, 1, 2, 3], c.typo_cw)
        return f"{pw}~caps" if k == 3 else f"{pw}~t{k}"

    def wrong_candidate(self, c):
        r = c.rng
        x = r.random()
        if x < 0.3:
            return c.old_pw if len(c.pw_hist) < 2 else c.pw_hist[-2][1]
        if x < 0.65:
            return r.choice(c.other_pws)
        return self.typo_of(c, c.pw)

    def set_pw(self, c, t, new=None):
        new = new or self.pw_version(c, t)
        if c.popular and c.rng.random() < 0.3:
            new = pick(c.rng, POPULAR, POPULAR_CW)
            if new == c.pw:
                new = self.pw_version(c, t)
        c.pw = new
        c.pw_hist.append((int(t), new))
        self.sink.reset(t, c.acct, new)
        if c.has_app:
            c.app_stale = True
        c.web_stale = c.rng.random() < 0.15
        if c.tool:
            c.tool_stale = True

    # ---- one login session (a list of attempts); returns (end time, affected-by-incident)
    def session(self, c, t, chan, scen, p_typo, p_forgot, p_utypo, new_device=False, force_mobile=False,
                heap=None):
        r = c.rng
        cal = self.cal
        ctx = self.ctx(c, chan, t, force_mobile, new_device)
        out = []   # (t, ctx, acct, pw, forced)
        if r.random() < p_utypo:
            for _ in range(1 + (r.random() < 0.3)):
                out.append((t, ctx, typo_username(r, c.acct), c.pw, None))
                t += r.uniform(6, 30) * 1000
        # stale stored / habitual old password after a reset
        if chan == "app" and c.app_stale:
            c.app_stale = False
            if r.random() < 0.45:
                out.append((t, ctx, c.acct, c.pw_hist[-2][1], None))
                t += r.uniform(8, 40) * 1000
                scen = "forced-reset" if scen == "normal" and c.leaked else scen
        elif chan in ("pc", "pweb", "wpc") and c.web_stale:
            c.web_stale = False
            out.append((t, ctx, c.acct, c.pw_hist[-2][1], None))
            t += r.uniform(5, 25) * 1000
            scen = "forced-reset" if scen == "normal" and c.leaked else scen
        elif chan == "tool" and c.tool_stale:
            c.tool_stale = False
            out.append((t, ctx, c.acct, c.pw_hist[-2][1], None))
            t += r.uniform(20, 90) * 1000
        if r.random() < p_forgot:
            k = pick(r, [1, 2, 3, 4, 5, 6], cum([.15, .3, .25, .15, .1, .05]))
            for _ in range(k):
                out.append((t, ctx, c.acct, self.wrong_candidate(c), None))
                t += r.uniform(8, 45) * 1000
            if r.random() < 0.15:
                self.flush(c, out, scen, False)
                return t, False
            t += r.uniform(180, 900) * 1000
            self.set_pw(c, t)
            c.app_stale = False
            c.web_stale = False
            t += r.uniform(20, 120) * 1000
        elif r.random() < p_typo:
            out.append((t, ctx, c.acct, self.typo_of(c, c.pw), None))
            t += r.uniform(4, 20) * 1000
            if r.random() < 0.1:
                out.append((t, ctx, c.acct, self.typo_of(c, c.pw), None))
                t += r.uniform(4, 20) * 1000
        # the correct password, with the incident rejecting some
        affected = False
        tries = 0
        patience = r.randint(2, 9) if chan != "tool" else 3
        switched = False
        resets = 0
        while True:
            rej = cal.in_incident(t) and r.random() < P_INCIDENT_REJECT
            out.append((t, ctx, c.acct, c.pw, rej if cal.in_incident(t) else None))
            if not rej:
                break
            affected = True
            tries += 1
            if tries < patience:
                t += (r.uniform(3, 40) if chan != "tool" else r.uniform(8, 12)) * 1000
                continue
            x = r.random()
            if chan != "tool" and x < 0.25 and resets == 0:
                resets += 1
                t += r.uniform(120, 600) * 1000
                self.set_pw(c, t)
                c.app_stale = False
                c.web_stale = False
                t += r.uniform(20, 90) * 1000
                tries, patience = 0, r.randint(2, 5)
                continue
            if chan != "tool" and x < 0.45 and not switched:
                switched = True
                if chan == "app":
                    chan = "pc" if (c.has_pc and c.home) else "pweb"
                else:
                    chan = "app" if c.has_app else ("pweb" if chan != "pweb" else "pc")
                t += r.uniform(30, 180) * 1000
                ctx = self.ctx(c, chan, t)
                tries, patience = 0, r.randint(2, 6)
                continue
            # give up for now; come back later
            if heap is not None:
                back = t + r.uniform(15, 90) * MIN
                heapq.heappush(heap, (int(back), next(self.sink.seq), "incident-retry", chan))
            break
        self.flush(c, out, "auth-incident-retry" if affected else scen, affected)
        return t, affected

    def flush(self, c, out, scen, affected):
        for (t, ctx, acct, pw, forced) in out:
            self.sink.attempt(t, ctx, acct, pw, "legit", scen, forced)
        return affected

    # ---- a customer's whole window
    def run_customer(self, c, extra_plan):
        cal, r = self.cal, c.rng
        heap = []
        seq = self.sink.seq
        for day in range(cal.days):
            tr = cal.trading[day]
            if c.seg == "dormant":
                base = 0.2 if (c.returned_day is not None and day > c.returned_day) else 0.002
            else:
                base = {"active": (5.0, 0.8), "regular": (0.9, 0.45), "occasional": (0.14, 0.10)}[c.seg][
                    0 if tr else 1]
            base *= c.mult
            if day == cal.pre_crash:
                base *= 1.3
            if c.cc != "JP":
                prof = self.prof_abroad[c.cc]
            elif not tr:
                prof = self.prof_we
            elif c.seg == "active":
                prof = self.prof_act
            else:
                prof = self.prof_wk
            if c.trip and c.trip[0] <= day < c.trip[1] and c.trip[2] == "US":
                prof = self.prof_abroad["US"]
            for _ in range(poisson(r, base)):
                heapq.heappush(heap, (cal.ms(day, sample_minute(r, prof)), next(seq), "normal", None))
            inten = cal.surge.get(day)
            if inten:
                if c.seg == "dormant":
                    if c.returned_day is None and r.random() < 0.33 * inten:
                        c.returned_day = day
                        heapq.heappush(heap, (cal.ms(day, surge_minute(r)), next(seq), "return", None))
                else:
                    p1, extra = {"active": (1.0, 3.0), "regular": (0.8, 0.4), "occasional": (0.5, 0.1)}[c.seg]
                    n = (1 if r.random() < p1 * inten else 0) + poisson(r, extra * inten)
                    for _ in range(n):
                        heapq.heappush(heap, (cal.ms(day, surge_minute(r)), next(seq), "surge", None))
            if c.tool and tr:
                heapq.heappush(heap, (cal.ms(day, r.uniform(495, 538)), next(seq), "tool", None))
                for _ in range(poisson(r, 0.6 + (1.5 * inten if inten else 0))):
                    heapq.heappush(heap, (cal.ms(day, r.uniform(540, 900)), next(seq), "tool", None))
        for (t, kind) in extra_plan.get(c.acct, ()):
            heapq.heappush(heap, (t, next(seq), kind, None))
        busy = 0
        while heap:
            t, _, kind, arg = heapq.heappop(heap)
            if t >= cal.end:
                continue
            if t < busy:
                t = busy + int(r.uniform(20, 300) * 1000)
                if t >= cal.end:
                    continue
            day, minute = cal.daymin(t)
            if day == c.new_phone_day or day == c.reinstall_day:
                if day == c.new_phone_day:
                    c.model = r.choice(IPHONES) if c.ios else r.choice(ANDROIDS)
                c.app_id = uuidish(r, upper=c.ios)
                if day == c.new_phone_day:
                    c.new_phone_day = -1
                else:
                    c.reinstall_day = -1
            hurried = day in cal.surge
            web_typo = 0.04 * (2.5 if hurried else 1)
            app_typo = 0.012 * (2.5 if hurried else 1)
            base_forgot = {"active": .001, "regular": .004, "occasional": .02, "dormant": .25}[c.seg]
            if hurried:
                base_forgot = max(base_forgot, {"active": .005, "regular": .015, "occasional": .06, "dormant": .25}[c.seg])
            travel = bool(c.trip and c.trip[0] <= day < c.trip[1])
            scen = "travel" if travel else "normal"
            if kind == "tool":
                end, _ = self.session(c, t, "tool", "trading-tool", 0.0, 0.0, 0.0, heap=heap)
            elif kind == "return":
                chan = "app" if c.has_app and r.random() < 0.8 else ("pc" if c.has_pc and r.random() < 0.5 else "pweb")
                if chan == "app" and r.random() < 0.4:
                    c.model = r.choice(IPHONES) if c.ios else r.choice(ANDROIDS)
                end, _ = self.session(c, t, chan, "crash-surge", 0.25, 0.30, 0.10, new_device=True,
                                      force_mobile=(r.random() < 0.7 and chan != "pc"), heap=heap)
            elif kind == "surge":
                chan = self.pick_channel(c, t)
                pt = app_typo if chan == "app" else web_typo
                end, _ = self.session(c, t, chan, "crash-surge", pt, base_forgot, 0.02 if chan != "app" else .005,
                                      heap=heap)
            elif kind == "incident-retry":
                chan = arg
                end, _ = self.session(c, t, chan, "auth-incident-retry", 0.02, 0.0, 0.0, heap=heap)
            elif kind == "freset":
                end = self.forced_reset(c, t, heap)
            elif kind == "aitm-recover":
                # victim of phishing notices and resets the password, then logs in on the web
                t2 = t + int(r.uniform(120, 600) * 1000)
                self.set_pw(c, t)
                chan = "pc" if c.has_pc else "pweb"
                end, _ = self.session(c, t2, chan, scen, 0.02, 0.0, 0.0, heap=heap)
            else:
                chan = self.pick_channel(c, t)
                pt = app_typo if chan == "app" else web_typo
                end, _ = self.session(c, t, chan, scen, pt, base_forgot, 0.004 if chan != "app" else .001,
                                      heap=heap)
            busy = end + int(r.uniform(30, 240) * 1000)

    def forced_reset(self, c, t, heap):
        r = c.rng
        day, _ = self.cal.daymin(t)
        if r.random() < 0.55:
            # reset by e-mailed link on a PC, then log in from that PC
            self.set_pw(c, t)
            c.web_stale = False
            t2 = t + int(r.uniform(30, 300) * 1000)
            if c.has_pc:
                end, _ = self.session(c, t2, "pc", "forced-reset", 0.05, 0.0, 0.0, new_device=(r.random() < 0.5),
                                      heap=heap)
            else:
                # a family / shared PC the customer never used here: new cookie, new UA
                b = Browser(r, pick(r, PC_KINDS, PC_KINDS_CW))
                loc = "home" if c.home else "mobile"
                ip, asn, cc = self.ip_for(c, loc, day, "famipc")
                ctx = (ip, asn, cc, b.ua(day), None if c.no_cookie else cookie(r))
                out = [(t2, ctx, c.acct, c.pw, None)]
                self.flush(c, out, "forced-reset", False)
                end = t2
            return end
        # forced to change at the next login: success with the old password, then the new one
        chan = self.pick_channel(c, t)
        end, _ = self.session(c, t, chan, "forced-reset", 0.01, 0.0, 0.0, heap=heap)
        self.set_pw(c, end + int(r.uniform(30, 120) * 1000))
        c.app_stale = False if chan == "app" else c.app_stale
        c.web_stale = False
        return end + 150000

    # ---- aggregator logins, after the customer's password timeline is known
    def run_aggregators(self, seed):
        cal = self.cal
        ags = []
        for k, (name, ua, netkey, nips, _, win) in enumerate(AGGREGATORS):
            rr = random.Random(f"{seed}:agg:{name}")
            net = self.nets[netkey]
            ips = [v4str(net.rand_v4(rr)) for _ in range(nips)]
            ags.append((ua, net, ips, win))
        for c in self.custs:
            if c.agg is None:
                continue
            ua, net, ips, win = ags[c.agg]
            r = random.Random(f"{seed}:aggc:{c.acct}")
            # when the aggregator learns each new password
            upd = []
            for (tr_, pw) in c.pw_hist[1:]:
                x = r.random()
                if x < 0.35:
                    upd.append((tr_ + int(r.uniform(0.1, 1.0) * DAY), pw))
                elif x < 0.65:
                    upd.append((tr_ + int(r.uniform(1.0, 5.0) * DAY), pw))
                else:
                    upd.append((10 ** 16, pw))
            slot = r.uniform(*win)
            od_rate = r.uniform(0.1, 1.2)

            def stored(t):
                best, bt = c.pw0, -1
                for j, (tu, pw) in enumerate(upd):
                    if tu <= t and j >= bt:
                        best, bt = pw, j
                return best
            times = []
            for day in range(cal.days):
                times.append(cal.ms(day, slot + r.uniform(-8, 8)))
                inten = cal.surge.get(day, 0)
                for _ in range(poisson(r, od_rate * (1 + 2 * inten))):
                    times.append(cal.ms(day, sample_minute(r, self.prof_wk)))
            for t in sorted(times):
                ctx = (r.choice(ips), net.asn, net.cc, ua, None)
                self.sink.attempt(t, ctx, c.acct, stored(t), "legit", "aggregator", None)


# --------------------------------------------------------------------------- attacks

class Attacks:
    def __init__(self, seed, cal, nets, sink, custs, by_acct, scale):
        self.seed, self.cal, self.nets, self.sink = seed, cal, nets, sink
        self.custs, self.by_acct, self.f = custs, by_acct, scale
        self.rng = random.Random(f"{seed}:attacks")
        self.isp_names = [k for k, _ in HOME_ISPS]
        self.isp_cw = cum([w for _, w in HOME_ISPS])
        self.car_names = [k for k, _ in CARRIERS[:4]]
        self.car_cw = cum([w for _, w in CARRIERS[:4]])
        self.name_rng = random.Random(f"{seed}:fake-names")

    def proxy_ip(self, r):
        if r.random() < 0.85:
            net = self.nets[pick(r, self.isp_names, self.isp_cw)]
            if net.v6 and r.random() < 0.1:
                return v6str(net.rand_v6_prefix(r, 56) | r.getrandbits(64)), net.asn, net.cc
            return v4str(net.rand_v4(r)), net.asn, net.cc
        net = self.nets[pick(r, self.car_names, self.car_cw)]
        return r.choice(net.pool), net.asn, net.cc

    def fake_username(self, r):
        while True:
            if r.random() < 0.3:
                u = make_username(r).replace("_", ".") + "@" + r.choice(MAILDOMAINS)
            else:
                u = make_username(r)
            if u not in self.by_acct:
                return u

    def n(self, base):
        return max(1, int(round(base * self.f)))

    # ---- plans injected into customers' timelines before they are generated
    def plan_aitm(self):
        cal, r = self.cal, self.rng
        waves = []
        for d, m in ((cal.announce_day + 1, 19 * 60 + 30), (cal.crash, 18 * 60 + 30), (cal.crash + 2, 20 * 60)):
            if d < cal.days:
                waves.append((d, m))
        cands = [c for c in self.custs if c.cc == "JP" and (c.has_app or c.uses_pweb)]
        nv = self.n(30)
        victims = []
        used = {}
        relay_nets = ["aws-jp", "sakura", "conoha", "vultr-jp", "linode-jp"]
        wave_relays = []
        for w in waves:
            ks = [r.choice(relay_nets) for _ in range(1 + (r.random() < 0.5))]
            wave_relays.append([(self.nets[k], v4str(self.nets[k].rand_v4(r))) for k in ks])
        self.fraudsters = []
        for k, ua in enumerate([STUFF_UAS[4], STUFF_UAS[2], STUFF_UAS[6]]):
            vpn = self.nets[r.choice(["vultr-jp", "linode-jp", "conoha"])]
            self.fraudsters.append((ua, cookie(r), r.random() < 0.5, (v4str(vpn.rand_v4(r)), vpn.asn, vpn.cc)))
        plan = {}
        for i in range(min(nv, len(cands))):
            while True:
                c = r.choice(cands)
                if c.acct not in used:
                    used[c.acct] = 1
                    break
            wi = r.randrange(len(waves)) if waves else 0
            d, m = waves[wi]
            t = cal.ms(d, m + r.expovariate(1 / 70.0))
            if t >= cal.end - HOUR:
                t = cal.end - 2 * HOUR
            relay = r.choice(wave_relays[wi])
            fr = i % len(self.fraudsters)
            follow = [t + int(r.uniform(10, 180) * MIN)]
            for _ in range(r.randint(1, 4)):
                follow.append(follow[0] + int(r.uniform(0.5, 36) * HOUR))
            notice = None
            if r.random() < 0.3:
                notice = follow[0] + int(r.uniform(2, 20) * HOUR)
                plan.setdefault(c.acct, []).append((notice, "aitm-recover"))
            victims.append((c, t, relay, fr, sorted(follow)))
        self.aitm_victims = victims
        return plan

    def plan_hnw(self):
        r = self.rng
        actives = [c for c in self.custs if c.seg == "active" and c.cc == "JP"]
        k = min(len(actives), self.n(6))
        targets = []
        for i in range(k):
            while True:
                c = r.choice(actives)
                if not c.hnw:
                    c.hnw = True
                    break
            weak_rank = None
            if i < max(1, round(k / 3)):
                weak_rank = (120, 210, 160, 90)[i % 4]
                c.pw0 = c.pw = f"weak:{c.acct}"
                c.pw_hist = [(0, c.pw0)]
                c.popular = False
            targets.append((c, weak_rank))
        self.hnw = targets

    def plan_forced_reset(self):
        """When the forced-reset group resets; 2% of others change voluntarily."""
        cal = self.cal
        plan = {}
        for c in self.custs:
            r = random.Random(f"{self.seed}:freset:{c.acct}")
            if c.leaked:
                x = r.random()
                if x < 0.12:
                    continue
                x = r.random()
                if x < 0.30:
                    d = r.uniform(0.2, 6) * HOUR
                elif x < 0.55:
                    d = r.uniform(14, 38) * HOUR
                else:
                    d = 38 * HOUR + r.expovariate(1 / 4.0) * DAY
            elif r.random() < 0.02:
                d = r.uniform(0.2, 96) * HOUR
            else:
                continue
            t = cal.announce + int(d)
            if t < cal.end:
                plan.setdefault(c.acct, []).append((t, "freset"))
        return plan

    # ---- attack traffic, after legit timelines exist
    def pw_at(self, c, t):
        i = bisect.bisect_right([x[0] for x in c.pw_hist], t) - 1
        return c.pw_hist[max(i, 0)][1]

    def stuffing(self):
        cal, r, sink = self.cal, random.Random(f"{self.seed}:stuffing"), self.sink
        entries = []
        for c in self.custs:
            if r.random() < 0.025:
                pw = c.pw0 if r.random() < 0.13 else (pick(r, POPULAR, POPULAR_CW) if r.random() < 0.08 else f"x:{c.acct}:{r.getrandbits(24):x}")
                entries.append((c.acct, pw))
        n_fake = self.n(5400)
        for _ in range(n_fake):
            u = self.fake_username(r)
            pw = pick(r, POPULAR, POPULAR_CW) if r.random() < 0.08 else f"x:{u}:{r.getrandbits(24):x}"
            entries.append((u, pw))
        r.shuffle(entries)
        times = []
        for _ in entries:
            x = r.random()
            if x < 0.45:
                m = 539 + r.uniform(0, 40)
            elif x < 0.55:
                m = 530 + r.uniform(0, 9)
            else:
                m = 580 + r.expovariate(1 / 55.0)
                if m > 750:
                    m = 580 + r.uniform(0, 170)
            times.append(cal.ms(cal.crash, m))
        times.sort()
        i = 0
        while i < len(entries):
            ip, asn, cc = self.proxy_ip(r)
            ua = r.choice(STUFF_UAS)
            dev = None if r.random() < 0.55 else cookie(r)
            k = r.randint(1, 4)
            for j in range(i, min(i + k, len(entries))):
                acct, pw = entries[j]
                sink.attempt(times[j], (ip, asn, cc, ua, dev), acct, pw, "attack", "crash-stuffing")
            i += k

    def spray(self):
        cal, r, sink = self.cal, random.Random(f"{self.seed}:spray"), self.sink
        pws = POPULAR[:max(2, min(len(POPULAR), round(8 * cal.days / 14)))]
        r.shuffle(pws)
        ntarget = self.n(700)
        targets = []
        used = {}
        while len(targets) < ntarget:
            if r.random() < 0.75:
                c = r.choice(self.custs)
                if c.acct in used:
                    continue
                used[c.acct] = 1
                targets.append(c.acct)
            else:
                targets.append(self.fake_username(r))
        clouds = [(self.nets[k], None) for k in ("hetzner", "ovh", "do-sg", "vultr-jp")]
        cloud_ips = [(v4str(n.rand_v4(r)), n.asn, n.cc) for n, _ in clouds]
        total = len(pws) * len(targets)
        span = cal.end - cal.ms(0, 0) - HOUR
        attempts = []
        for pi, pw in enumerate(pws):
            order = targets[:]
            r.shuffle(order)
            for acct in order:
                attempts.append((acct, pw))
        # evenly spread with diurnal jitter: the k-th attempt near k/total of the window
        prof = cum(build_profile(HOURLY_WE, {}))
        times = []
        per_day = total / cal.days
        for k in range(total):
            day = min(cal.days - 1, int(k / per_day))
            times.append(cal.ms(day, sample_minute(r, prof)))
        times.sort()
        i = 0
        while i < total:
            if r.random() < 0.12:
                ip, asn, cc = r.choice(cloud_ips)
                k = r.randint(2, 8)
            else:
                ip, asn, cc = self.proxy_ip(r)
                k = r.randint(1, 6)
            ua = r.choice(SPRAY_UAS)
            for j in range(i, min(i + k, total)):
                acct, pw = attempts[j]
                sink.attempt(times[j], (ip, asn, cc, ua, None), acct, pw, "attack", "slow-spray")
            i += k
        del span

    def aitm(self, legit):
        r, sink = random.Random(f"{self.seed}:aitm"), self.sink
        for (c, t, relay, fr, follow) in self.aitm_victims:
            net, rip = relay
            day, _ = self.cal.daymin(t)
            ua = c.pweb.ua(day)
            dev = cookie(r) if r.random() < 0.5 else None
            ctx = (rip, net.asn, net.cc, ua, dev)
            pw = self.pw_at(c, t)
            if r.random() < 0.1:
                sink.attempt(t, ctx, c.acct, legit.typo_of(c, pw), "attack", "aitm-relay")
                t += int(r.uniform(6, 25) * 1000)
            sink.attempt(t, ctx, c.acct, pw, "attack", "aitm-relay")
            fua, fdev, via_proxy, vpn = self.fraudsters[fr]
            for tf in follow:
                if tf >= self.cal.end:
                    continue
                ip, asn, cc = self.proxy_ip(r) if via_proxy else vpn
                sink.attempt(tf, (ip, asn, cc, fua, fdev), c.acct, pw, "attack", "aitm-fraudster")

    def hnw_bruteforce(self):
        cal, r, sink = self.cal, random.Random(f"{self.seed}:hnw"), self.sink
        srcs = []
        for k in ("do-sg", "ovh", "vultr-jp"):
            n = self.nets[k]
            srcs.append((v4str(n.rand_v4(r)), n.asn, n.cc))
        d0 = min(cal.days - 1, cal.crash + 3)
        for ti, (c, weak_rank) in enumerate(self.hnw):
            t = cal.ms(d0, 60 + ti * 17 + r.uniform(0, 10))
            stop = t + 36 * HOUR
            guess = 0
            b = 0
            while t < stop and t < cal.end:
                src = srcs[b % len(srcs)]
                size = 5 if r.random() < 0.85 else r.randint(6, 7)
                done = False
                for _ in range(size):
                    if weak_rank is not None and guess == weak_rank:
                        pw = c.pw0
                        done = True
                    else:
                        pw = POPULAR[guess] if guess < len(POPULAR) else f"bf:{c.acct}:{guess}"
                    sink.attempt(t, (src[0], src[1], src[2], BF_UA, None), c.acct, pw, "attack", "hnw-bruteforce")
                    guess += 1
                    t += int(r.uniform(8, 20) * 1000)
                    if done:
                        break
                if done:
                    break
                b += 1
                t += int(r.uniform(31, 40) * MIN)

    def leaked(self):
        cal, r, sink = self.cal, random.Random(f"{self.seed}:leaked"), self.sink
        group = [c for c in self.custs if c.leaked]
        start = cal.announce + 18 * HOUR
        if start >= cal.end:
            start = cal.announce + HOUR
        cloud = []
        for k in ("vultr-jp", "do-sg", "hetzner"):
            n = self.nets[k]
            cloud.append((v4str(n.rand_v4(r)), n.asn, n.cc))
        for c in group:
            if r.random() >= 0.07:
                continue
            t = start + int(r.expovariate(1 / 2.5) * DAY)
            if t >= cal.end:
                t = start + int(r.random() * (cal.end - start))
            src = self.proxy_ip(r) if r.random() < 0.85 else r.choice(cloud)
            ua = r.choice(STUFF_UAS)
            sink.attempt(t, (src[0], src[1], src[2], ua, None), c.acct, c.pw0, "attack", "leaked-old-password")

    def follow_ups(self, successes):
        """Attackers who got in come back (stuffing and leaked-password takeovers)."""
        r = random.Random(f"{self.seed}:followups")
        for (t, acct, pw, scen, ua, dev) in successes:
            if scen not in ("crash-stuffing", "leaked-old-password") or r.random() >= 0.35:
                continue
            for _ in range(r.randint(1, 2)):
                tf = t + int(r.uniform(2, 40) * HOUR)
                if tf >= self.cal.end:
                    continue
                ip, asn, cc = self.proxy_ip(r)
                self.sink.attempt(tf, (ip, asn, cc, ua, dev), acct, pw, "attack", scen)


# --------------------------------------------------------------------------- service replay

def replay(sink, by_acct, cal):
    """Decide each attempt's outcome as the login service would, in time order."""
    att = sorted((a for a in sink.att if a[0] < cal.end), key=lambda a: (a[0], a[1]))
    res = sorted(sink.res)
    pw = {c.acct: c.pw_hist[0][1] for c in by_acct.values()}
    st = {}
    ri = 0
    outcomes = []
    for a in att:
        t, s = a[0], a[1]
        while ri < len(res) and (res[ri][0], res[ri][1]) < (t, s):
            _, _, acct, newpw = res[ri]
            pw[acct] = newpw
            st[acct] = [0, 0, 0]
            ri += 1
        acct = a[2]
        cur = pw.get(acct)
        if cur is None:
            outcomes.append("unknown_account")
            continue
        x = st.get(acct)
        if x is None:
            x = st[acct] = [0, 0, 0]   # fails, last_fail, lock_until
        if x[2] > t:
            outcomes.append("locked")
            continue
        if x[0] and t - x[1] > FAIL_RESET_MS:
            x[0] = 0
        ok = a[6] == cur
        if ok:
            forced = a[11]
            rejected = forced if forced is not None else (cal.in_incident(t) and a[12] < P_INCIDENT_REJECT)
            ok = not rejected
        if ok:
            x[0] = 0
            outcomes.append("success")
        else:
            x[0] += 1
            x[1] = t
            if x[0] >= LOCK_THRESHOLD:
                x[2] = t + LOCK_MS
                x[0] = 0
            outcomes.append("wrong_secret")
    return att, outcomes


# --------------------------------------------------------------------------- main

def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("seed")
    ap.add_argument("out")
    ap.add_argument("--users", type=int, default=25000)
    ap.add_argument("--days", type=int, default=14)
    a = ap.parse_args()
    if a.users < 100 or a.days < 3:
        raise SystemExit("need --users >= 100 and --days >= 3")
    t_start = time.time()
    seed = str(a.seed)
    cal = Cal(a.days)
    nets = make_nets()
    prng = random.Random(f"{seed}:pools")
    for n in nets.values():
        n.build_pool(prng)
    sink = Sink()
    sink.u = random.Random(f"{seed}:incident-draws")
    custs, by_acct = make_customers(seed, a.users, cal, nets)
    atk = Attacks(seed, cal, nets, sink, custs, by_acct, a.users / 25000.0)
    atk.plan_hnw()
    plan = {}
    for p in (atk.plan_forced_reset(), atk.plan_aitm()):
        for k, v in p.items():
            plan.setdefault(k, []).extend(v)
    legit = Legit(seed, cal, nets, sink, custs, by_acct)
    for c in custs:
        legit.run_customer(c, plan)
    legit.run_aggregators(seed)
    atk.stuffing()
    atk.spray()
    atk.aitm(legit)
    atk.hnw_bruteforce()
    atk.leaked()
    att, outs = replay(sink, by_acct, cal)
    succ = [(x[0], x[2], x[6], x[10], x[4], x[5]) for x, o in zip(att, outs) if x[9] == "attack" and o == "success"]
    atk.follow_ups(succ)
    att, outs = replay(sink, by_acct, cal)

    key = f"outside-log-surge/{seed}".encode()
    fps = {}
    ts_cache = {}
    with open(a.out, "w", encoding="utf-8", newline="\n") as f:
        for x, o in zip(att, outs):
            t = x[0]
            sec, ms = divmod(t, 1000)
            base = ts_cache.get(sec)
            if base is None:
                base = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(sec))
                ts_cache[sec] = base
            pw = x[6]
            fp = fps.get(pw)
            if fp is None:
                fp = hmac.new(key, pw.encode(), hashlib.sha256).hexdigest()[:16]
                fps[pw] = fp
            ev = {"ts": f"{base}.{ms:03d}Z", "account": x[2], "ip": x[3], "user_agent": x[4]}
            if x[5] is not None:
                ev["device"] = x[5]
            ev["outcome"] = o
            ev["secret_fp"] = fp
            ev["asn"] = x[7]
            ev["country"] = x[8]
            ev["label"] = x[9]
            ev["scenario"] = x[10]
            ev["takeover"] = bool(x[9] == "attack" and o == "success")
            f.write(json.dumps(ev, ensure_ascii=False, separators=(",", ":")))
            f.write("\n")
    n_att = sum(1 for x in att if x[9] == "attack")
    n_to = sum(1 for x, o in zip(att, outs) if x[9] == "attack" and o == "success")
    print(f"wrote {len(att)} events ({n_att} attack, {n_to} takeovers) to {a.out} "
          f"in {time.time() - t_start:.1f}s; crash day {cal.dates[cal.crash]}, incident "
          f"{cal.dates[cal.incident_day]} 09:07-09:48 JST, reset announced {cal.dates[cal.announce_day]} 17:30 JST",
          file=sys.stderr)


if __name__ == "__main__":
    main()
