#!/usr/bin/env python3
"""
generate.py -- independent synthetic login traffic for a Japanese e-money wallet / bank app
("HanaWallet", an invented service), for testing a login-fraud engine on data its authors did not make.

Usage:  python3 generate.py SEED OUT.jsonl [--users N (20000)] [--days D (14)]

Output: Mamori JSONL, one login attempt per line, sorted by ts:
  ts (RFC 3339 UTC, ms), account, ip, user_agent, device (omitted when the client sent none), outcome
  (success | wrong_secret | unknown_account), secret_fp (first 16 hex of sha256(b"k"+secret): the same secret gives
  the same fp on every account), asn, country, and ground truth label (legit|attack), scenario, takeover.
Standard library only. Deterministic: every random draw comes from random.Random seeded with strings derived from
SEED (string seeding is hash-randomisation-proof); no set or dict iteration order is ever used to draw.
A one-line summary of the parameters drawn for the seed goes to stderr.

ASSUMPTIONS (everything below is my own modelling; ranges "a-b" are drawn per seed)
Calendar
  * Start date drawn per seed between 2026-02-02 and 2026-04-20 (00:00 JST); Japanese 2026 public holidays and
    Jan 2-3 count as days off. Payday (25th, moved back to the previous working day) x1.25 activity, 1st-2nd x1.1.
Population (N users, each one account; all accounts exist before the period)
  * 22-34 % are PIN wallets: the login ID is an 11-digit mobile number (070/080/090...), the secret a 4-digit PIN.
    PINs: 8-16 % from a popular list (1234 heaviest, then 1111, 0000, 1122, 7777, 1212, 5555, 2525 ...),
    ~25 % birthday MMDD, ~8 % a year, rest uniform.
  * The rest are password accounts: ID is an e-mail (62 %, Japanese-style local parts; gmail/yahoo.co.jp/icloud/
    carrier mail ...) or a chosen handle. Policy: >= 8 chars with letters and digits. 2-5 % of users pick one of
    ~20 popular compliant passwords (password1, abcd1234, qwerty123, a1234567, ...), Zipf-weighted.
  * Personas: office worker 54 %, at home (homemaker/retired, half of them "elderly") 29 %, student 14 %,
    night-shift 3 %; each has its own JST hourly curve (commute 7-9, lunch 12, evening peak 19-23, little at
    2-5 am), a personal shift of -1..+2 h, and its own weekend curve/volume factor.
  * Activity: 10-20 % dormant (no login in the period, still attack targets); the rest log in
    Poisson(lambda) times a day, lambda lognormal (median 0.30-0.50/day, sigma 1.0-1.25, cap 25): many users log
    in 1-5 times a fortnight, some daily, ~1 % more than 5 times a day. 8 % of sessions are followed by a
    second login 1-20 min later (session expiry / switching app).
Networks (ASNs real; IPv4/IPv6 prefixes are approximate, from memory, only internally consistent: no two
  prefixes in this file overlap, and an address always carries the ASN/country of its prefix)
  * Mobile carriers (CGNAT): Docomo AS9605 33 %, KDDI/au AS2516 25 %, SoftBank AS17676 21 %, Rakuten AS138384 7 %,
    MVNOs IIJmio AS2497, mineo/Optage AS17511, OCN mobile AS4713, BIGLOBE mobile AS2518. Each carrier has a
    limited pool of public addresses (2-5 % of its users, split into 4 regional gateways, Zipf-loaded), so
    every address is shared by many users; a phone keeps its address 15-90 min, then draws again.
  * Home fibre (75 % of households): OCN AS4713, KDDI au Hikari AS2516, SoftBank Hikari AS17676, So-net and NURO
    AS2527, BIGLOBE AS2518, J:COM AS9824, Asahi Net AS4685, and regional eo AS17511 (Kansai), Commufa AS18081
    (Chubu), BBIQ AS7679 (Kyushu). Connection: PPPoE (own IPv4, renumbered every exp(5-12 days); J:COM cable
    DHCP 3x longer), or IPoE with
    a MAP-E/DS-Lite IPv4 shared by ~8 households and stable, and - if the service is reachable over IPv6 (on for
    ~60 % of seeds) - a stable /64 per household with privacy interface IDs that change daily per device.
  * Households of 1-3 users share the home network; 12 % of multi-user households share a tablet (same device
    token on 2-3 accounts); 1.5 % of users have a relative who sometimes logs in to their account from the
    relative's own phone and network ("family-proxy").
  * Offices: 60 % of workers sometimes log in from work (desktop at work or phone on office Wi-Fi): one (or 2-3)
    address per company, business ISPs (OCN, KDDI, IIJ, SoftBank, ARTERIA, NTT PC ...); 12 % of companies egress
    through Zscaler (AS62044, Tokyo) shared by many companies.
  * Public Wi-Fi hotspots (cafes, stations, Wi2 / docomo Wi-Fi / FREESPOT-like) used by 30 % of users for 2-10 %
    of their phone sessions.
  * 1.5-4 % of users travel abroad once (3-8 days; KR, TW, US incl. Hawaii, TH, SG, VN, HK, FR), logging in by
    local time: phone roaming (home-routed, still a Japanese carrier IP) or local eSIM (local mobile carrier),
    hotel Wi-Fi (local ISP) in the evening/morning; PCs stay at home.
  * 2-3.5 % foreign residents (CN, VN, KR, PH, NP, BR, ID, TW): Japanese networks normally; 20 % visit home for
    6-14 days within the period; 20 % sometimes use a VPN exiting in their home country.
  * 0.8-2.5 % VPN users (NordVPN-like on M247 AS9009 / Datacamp AS60068 etc., mostly Tokyo exits), 30-100 % of
    their sessions; 15 % of iPhone Safari users have iCloud Private Relay (Akamai AS36183 / Cloudflare AS13335,
    geolocated JP).
  * Account aggregators (household-budget apps that scrape with the user's stored password from AWS Tokyo,
    AS16509, or GCP Tokyo AS396982): about 0.5-3.5 % of active password users are linked; a nightly batch at 2-5 JST plus on-demand refreshes, old
    desktop-Chrome UA, a stable per-account cookie. After the user resets the password the aggregator fails
    1-2 times with the old fp and stops until the user re-links (70 %, 0.5-6 days later).
Clients
  * Device mixes by persona: app only ~58 %, app + PC, mobile web only, PC first, PC only, app + tablet.
    iPhone share 55-68 % of phones (higher for students, lower for the elderly).
  * App UA "HanaWallet/7.x.y (jp.co.hanawallet.app; build:N; iOS 26.3) Alamofire/5.9.1" or
    "HanaWallet/7.x.y (Android 15; SH-54D) okhttp/4.12.0". A new app version ships on day 2..D-3 (Android a day
    later), hotfix 60 %; 75 % of users auto-update within ~1.5 days, the rest lag weeks, 5 % are months behind.
    iOS point release during the period; adoption lag exp(10 days); 45 % of iPhones are on iOS 18/17/16/15.
    Japanese Android models (Xperia, AQUOS, Galaxy, Pixel, arrows, OPPO, Redmi) on Android 12-16.
  * Browsers: iOS Safari 26 (frozen "iPhone OS 18_6"), Android Chrome reduced UA, Windows Chrome/Edge/Firefox,
    Mac Safari/Chrome; Chrome majors advance every 28 days (144 on 2026-01-13) and users update with a lag.
  * Device token: UUID per app install; random cookie token per browser. 80 % of browsers keep it, 15 % clear
    cookies on 8-30 % of logins (login then carries no token or a fresh one), 5 % are private (never a token);
    on ~50 % of seeds the web token is script-set and Safari ITP drops it after 7 days without a visit.
    3-5 % of users get a new phone (new token, new model, latest OS/app; 25 % of them forget the password on
    that occasion); 1 % reinstall the app (new token, same UA).
Legitimate mistakes
  * Typo: wrong_secret then success 4-60 s later (app 1.2 %, mobile web 5 %, PC 4 % of sessions; PIN 2-3 %;
    elderly x1.8; 15 % of typos are double).
  * Forgotten password/PIN: ~1 % of active users, 5 % of users who log in rarely (elderly x1.5), 25 % on a new
    phone: 2-5
    wrong_secret (old password, variants, sometimes a popular one) 6-45 s apart, then a reset and success with a
    NEW secret_fp 2-50 min later (82 %) or at the next session.
  * Mistyped ID: unknown_account (with the right password's fp) then success 5-40 s later (app 0.2 %, web
    1-1.5 %, phone-number IDs 0.8 %).
Attacks (label attack). Sizes scale with N/20000; timing within the period; takeover=true only on an attacker's
  success. All campaign sizes / victim counts scale with (N/20000) x (D/14) (D capped at 14 for 1, 2, 3, 5);
  a second campaign of 1 or 2 only when D >= 10. Success is decided against the victim's secret at that moment (a victim who has since reset makes the
  attacker fail). After a takeover, 25-50 % of victims see 1-3 further attacker logins (takeover=true) 0.5 h-3 days
  later from the campaign's cash-out infrastructure (similar ASNs/countries), carrying the cookie issued at the
  takeover (or, in some campaigns, one token reused across victims).
  1 reverse-brute-force: 1 campaign (30 %: 2), 3-5 popular PINs x 600-2000 phone-number IDs of which 25-50 %
    exist (PIN accounts); PIN-major rounds or interleaved; 3-12 h; 200-900 rotating addresses (JP residential
    proxies, JP mobile proxies drawn from the real carrier CGNAT pools, and 10-25 % hosting); copied app UA,
    mobile-browser UAs or a scripted okhttp UA; device none / random per attempt / one fixed token.
  2 credential-stuffing: 1-2 campaigns, 1500-5000 leaked (e-mail, password) pairs, 15-35 % of IDs exist, overall
    success 0.5-2 % (exact password reuse); 5-40 parallel workers through 200-800 addresses (worldwide
    residential proxies, 20-40 % hosting) in sticky runs of 2-12; rotating browser UAs, one browser UA, a scripted
    client, or a copied old app UA; 85-100 % without a device token. Leaked passwords may violate our policy.
  3 password-spray: 600-2000 harvested IDs (85-95 % real), 3-4 popular compliant passwords, one password per
    phase spread over the whole period, so each account is tried at most about once a day; 300-1500 addresses:
    20-40 % Tor exits, 30-50 % VPS, rest residential proxies; 1-3 fixed UAs; no device token.
  4 phishing: 12-40 victims (active users); attacker logs in 30 s-5 min (real-time relay, 35 %) or minutes-12 h
    after the victim's phish; from abroad (CN/HK/VN/TW/US residential or VPS, 35 %), a Japanese VPS (35 %) or a
    Japanese residential proxy (30 %); new device (none or a fresh token); the victim's UA copied in 20-45 %;
    10 % of victims typed a wrong password into the phishing page (attacker fails).
  5 brute-force: 2-6 accounts (at least 1) (70 % PIN) hammered with 50-600 guesses (popular PINs, birthdays, years, then
    sequential; or a password dictionary), 2-30 s apart with pauses, from 1-3 addresses; success only if the
    secret falls inside the guesses tried.
  6 infostealer-session: 6-20 Windows-browser users whose cookie + saved password were stolen; replayed 2 h-5
    days later with the victim's exact device token and (80 %) exact UA (else a current Chrome) from a JP residential proxy, JP VPS or
    JP mobile proxy.
"""
import argparse
import base64
import bisect
import hashlib
import ipaddress
import json
import math
import random
import sys
import time
from datetime import date, datetime, timedelta, timezone

DAY = 86400.0
HOUR = 3600.0
MIN = 60.0
JST = timezone(timedelta(hours=9))
APP_NAME = "HanaWallet"
APP_BUNDLE = "jp.co.hanawallet.app"

_FP = {}


def fp(secret):
    v = _FP.get(secret)
    if v is None:
        v = hashlib.sha256(b"k" + secret.encode("utf-8")).hexdigest()[:16]
        _FP[secret] = v
    return v


class WTable:
    __slots__ = ("items", "cum", "total")

    def __init__(self, items, weights):
        self.items = list(items)
        c = 0.0
        cum = []
        for w in weights:
            c += w
            cum.append(c)
        self.cum = cum
        self.total = c

    def pick(self, rng):
        return self.items[bisect.bisect_right(self.cum, rng.random() * self.total)]


def wpick(rng, pairs):
    items = [p[0] for p in pairs]
    weights = [p[1] for p in pairs]
    return rng.choices(items, weights)[0]


def poisson(rng, lam):
    if lam <= 0:
        return 0
    if lam > 30:
        return max(0, int(round(rng.gauss(lam, math.sqrt(lam)))))
    L = math.exp(-lam)
    k = 0
    p = rng.random()
    while p > L:
        k += 1
        p *= rng.random()
    return k


def lognorm_clamped(rng, median, sigma, lo, hi):
    return min(hi, max(lo, median * math.exp(rng.gauss(0, sigma))))


# ----------------------------------------------------------------------------------------------------------------
# Networks
# ----------------------------------------------------------------------------------------------------------------
ALL_PREFIXES = []


class Prefix:
    __slots__ = ("cidr", "asn", "cc", "name", "v6", "base", "size")

    def __init__(self, cidr, asn, cc, name):
        n = ipaddress.ip_network(cidr)
        self.cidr = cidr
        self.asn = asn
        self.cc = cc
        self.name = name
        self.v6 = n.version == 6
        self.base = int(n.network_address)
        self.size = n.num_addresses
        ALL_PREFIXES.append(self)

    def rand_ip(self, rng):
        while True:
            x = self.base + rng.randrange(self.size)
            if 0 < (x & 255) < 255:
                return (v4str(x), self.asn, self.cc)


def v4str(x):
    return "%d.%d.%d.%d" % (x >> 24, (x >> 16) & 255, (x >> 8) & 255, x & 255)


def mk(asn, cc, name, cidrs):
    return [Prefix(c, asn, cc, name) for c in cidrs]


# Mobile carriers: key -> (asn, weight, prefixes)
MOBILE = [
    ("docomo", 9605, 0.33, ["1.66.0.0/15", "1.72.0.0/13", "49.96.0.0/12", "110.163.0.0/16"]),
    ("au", 2516, 0.25, ["106.128.0.0/11", "182.248.0.0/15", "111.239.0.0/16"]),
    ("softbank", 17676, 0.21, ["126.192.0.0/10"]),
    ("rakuten", 138384, 0.07, ["133.106.0.0/15"]),
    ("iijmio", 2497, 0.05, ["160.86.0.0/16"]),
    ("mineo", 17511, 0.04, ["58.188.0.0/14"]),
    ("ocn-mobile", 4713, 0.03, ["153.232.0.0/14"]),
    ("biglobe-mobile", 2518, 0.02, ["133.205.0.0/16"]),
]
MOBILE_PFX = {k: mk(asn, "JP", k, c) for k, asn, w, c in MOBILE}

# Home ISPs: key, asn, weight, v4 prefixes, v6 /32, region multipliers (East, Central, West, Kyushu)
HOME = [
    ("ocn", 4713, 0.26, ["153.128.0.0/11", "114.144.0.0/13", "122.16.0.0/13"], "2400:4050::/32", (1, 1, 1, 1)),
    ("au-hikari", 2516, 0.14, ["59.128.0.0/13", "111.86.0.0/15"], "240f:7a::/32", (1, 1, 1, 1)),
    ("softbank-hikari", 17676, 0.12, ["126.0.0.0/10"], "240b:10::/32", (1, 1, 1, 1)),
    ("so-net", 2527, 0.08, ["220.208.0.0/13"], "240d:1a::/32", (1, 1, 1, 1)),
    ("nuro", 2527, 0.08, ["118.86.0.0/15", "118.240.0.0/13"], "240d:2::/32", (1.3, 1, 1, 0.8)),
    ("biglobe", 2518, 0.08, ["180.32.0.0/13", "133.200.0.0/14"], "2404:7a80::/32", (1, 1, 1, 1)),
    ("jcom", 9824, 0.08, ["203.165.0.0/16", "175.132.0.0/14"], "2001:f70::/32", (1.2, 0.8, 1, 0.9)),
    ("asahi-net", 4685, 0.03, ["113.197.0.0/16"], "2400:ac00::/32", (1, 1, 1, 1)),
    ("eo", 17511, 0.10, ["118.103.0.0/16", "125.207.0.0/16"], "2405:6580::/32", (0, 0, 1, 0)),
    ("commufa", 18081, 0.12, ["220.156.0.0/15"], "2405:1200::/32", (0, 1, 0, 0)),
    ("bbiq", 7679, 0.15, ["218.40.0.0/14"], "2405:6e00::/32", (0, 0, 0, 1)),
]
HOME_PFX = {k: mk(asn, "JP", k, c) for k, asn, w, c, v6, r in HOME}
HOME_V6 = {k: int(ipaddress.ip_network(v6).network_address) for k, asn, w, c, v6, r in HOME}
for _k, _asn, _w, _c, _v6, _r in HOME:
    Prefix(_v6, _asn, "JP", _k + "-v6")

BIZ = [
    ("ocn-biz", 4713, 0.35, ["61.112.0.0/14", "210.160.0.0/14"]),
    ("kddi-biz", 2516, 0.18, ["210.131.0.0/16", "27.110.0.0/16"]),
    ("iij", 2497, 0.14, ["202.232.0.0/14"]),
    ("softbank-biz", 17676, 0.12, ["221.96.0.0/14"]),
    ("arteria", 17506, 0.07, ["124.211.0.0/16"]),
    ("ntt-pc", 2514, 0.06, ["157.107.0.0/16"]),
    ("biglobe-biz", 2518, 0.04, ["61.125.0.0/16"]),
    ("nuro-biz", 2527, 0.04, ["118.238.0.0/15"]),
]
BIZ_PFX = {k: mk(asn, "JP", k, c) for k, asn, w, c in BIZ}

HOTSPOT = [
    ("wi2", 2516, 0.3, ["59.138.0.0/16"]),
    ("docomo-wifi", 9605, 0.25, ["1.33.0.0/16"]),
    ("freespot-ocn", 4713, 0.25, ["60.236.0.0/14"]),
    ("softbank-wifi", 17676, 0.2, ["126.64.0.0/12"]),
]
HOTSPOT_PFX = {k: mk(asn, "JP", k, c) for k, asn, w, c in HOTSPOT}

ZSCALER = mk(62044, "JP", "zscaler", ["165.225.96.0/20", "147.161.160.0/20"])
ZSCALER_SG = mk(62044, "SG", "zscaler-sg", ["165.225.112.0/20"])
RELAY = mk(36183, "JP", "akamai-private-relay", ["172.224.224.0/19"]) + mk(13335, "JP", "cloudflare-private-relay",
                                                                          ["104.28.80.0/20"])
VPN = {
    "JP": mk(60068, "JP", "datacamp", ["156.146.35.0/24"]) + mk(9009, "JP", "m247", ["89.187.161.0/24"]),
    "US": mk(60068, "US", "datacamp", ["156.146.54.0/24"]) + mk(9009, "US", "m247", ["89.187.170.0/24"]),
    "SG": mk(9009, "SG", "m247", ["89.187.162.0/24"]),
    "HK": mk(9009, "HK", "m247", ["84.17.57.0/24"]),
    "KR": mk(9009, "KR", "m247", ["89.187.163.0/24"]),
    "TW": mk(9009, "TW", "m247", ["89.187.164.0/24"]),
    "VN": mk(9009, "VN", "m247", ["89.187.165.0/24"]),
    "CN": mk(9009, "HK", "m247", ["84.17.58.0/24"]),  # mainland users exit in HK
    "PH": mk(9009, "PH", "m247", ["89.187.166.0/24"]),
    "BR": mk(9009, "BR", "m247", ["89.187.167.0/24"]),
    "NP": mk(9009, "IN", "m247", ["89.187.168.0/24"]),
    "ID": mk(9009, "ID", "m247", ["89.187.169.0/24"]),
}
HOST_JP = {
    "sakura": mk(9370, "JP", "sakura", ["153.120.0.0/14", "133.242.0.0/16"]),
    "conoha": mk(7506, "JP", "gmo-conoha", ["150.95.0.0/16", "118.27.0.0/17"]),
    "aws-tokyo": mk(16509, "JP", "aws", ["13.112.0.0/14", "52.192.0.0/13"]),
    "gcp-tokyo": mk(396982, "JP", "gcp", ["34.84.0.0/15"]),
    "vultr-tokyo": mk(20473, "JP", "vultr", ["45.76.192.0/19"]),
    "linode-tokyo": mk(63949, "JP", "linode", ["139.162.64.0/18"]),
    "azure-japan": mk(8075, "JP", "azure", ["20.18.0.0/16"]),
    "idcf": mk(4694, "JP", "idcf", ["210.140.0.0/16"]),
}
HOST_FOREIGN = {
    "do-sg": mk(14061, "SG", "digitalocean", ["128.199.0.0/16"]),
    "do-us": mk(14061, "US", "digitalocean", ["159.65.0.0/16"]),
    "hetzner-de": mk(24940, "DE", "hetzner", ["78.46.0.0/15"]),
    "hetzner-fi": mk(24940, "FI", "hetzner", ["65.21.0.0/16"]),
    "ovh-fr": mk(16276, "FR", "ovh", ["51.75.0.0/16"]),
    "ovh-ca": mk(16276, "CA", "ovh", ["51.79.0.0/16"]),
    "contabo": mk(51167, "DE", "contabo", ["161.97.0.0/16"]),
    "aws-us": mk(16509, "US", "aws", ["3.80.0.0/12"]),
    "alibaba-hk": mk(45102, "HK", "alibaba", ["47.242.0.0/15"]),
    "tencent-hk": mk(132203, "HK", "tencent", ["43.128.0.0/13"]),
    "leaseweb-nl": mk(60781, "NL", "leaseweb", ["5.79.64.0/18"]),
    "frantech": mk(53667, "US", "frantech", ["209.141.32.0/19"]),
    "vultr-us": mk(20473, "US", "vultr", ["45.32.0.0/16"]),
    "m247-ro": mk(9009, "RO", "m247", ["185.156.172.0/22"]),
}
TOR = (mk(60729, "DE", "tor-zwiebelfreunde", ["185.220.100.0/22"]) +
       mk(208323, "AT", "tor-appliedprivacy", ["109.70.100.0/24"]) +
       mk(4224, "US", "tor-calyx", ["162.247.72.0/22"]) +
       mk(53667, "LU", "tor-frantech", ["104.244.72.0/21"]) +
       mk(24940, "DE", "tor-hetzner", ["95.216.0.0/16"]) +
       mk(16276, "FR", "tor-ovh", ["51.89.0.0/16"]) +
       mk(43350, "NL", "tor-nforce", ["185.107.44.0/22"]))

# Foreign networks: cc -> (tz offset hours, fixed prefixes, mobile prefixes)
FOREIGN = {
    "KR": (9, mk(4766, "KR", "kt", ["121.128.0.0/10"]) + mk(9318, "KR", "skbroadband", ["175.192.0.0/12"]) +
           mk(3786, "KR", "lguplus", ["106.240.0.0/12"]),
           mk(9644, "KR", "skt", ["223.38.0.0/15"]) + mk(4766, "KR", "kt-mobile", ["39.7.0.0/16"]) +
           mk(17858, "KR", "lgu-mobile", ["211.234.0.0/16"])),
    "TW": (8, mk(3462, "TW", "hinet", ["114.32.0.0/12"]) + mk(9924, "TW", "tfn", ["27.240.0.0/13"]),
           mk(24158, "TW", "taiwanmobile", ["39.8.0.0/13"]) + mk(3462, "TW", "cht-mobile", ["101.8.0.0/14"])),
    "US": (-16, mk(7922, "US", "comcast", ["73.0.0.0/8"]) + mk(20001, "US", "charter", ["76.166.0.0/15"]) +
           mk(7018, "US", "att", ["99.0.0.0/10"]),
           mk(21928, "US", "tmobile", ["172.56.0.0/14"]) + mk(22394, "US", "verizon-wireless", ["174.192.0.0/10"])),
    "US-HI": (-19, mk(36149, "US", "hawaiian-telcom", ["66.91.0.0/16"]) + mk(20001, "US", "charter-hi",
                                                                             ["72.130.0.0/15"]),
              mk(21928, "US", "tmobile-hi", ["172.60.0.0/14"])),
    "TH": (7, mk(7470, "TH", "true", ["171.96.0.0/13"]) + mk(45758, "TH", "3bb", ["110.164.0.0/15"]) +
           mk(133481, "TH", "ais-fibre", ["49.228.0.0/14"]),
           mk(45430, "TH", "ais", ["1.46.0.0/16"]) + mk(24378, "TH", "dtac", ["1.47.0.0/16"]) +
           mk(132061, "TH", "true-mobile", ["223.24.0.0/14"])),
    "SG": (8, mk(9506, "SG", "singtel", ["116.14.0.0/15"]) + mk(4657, "SG", "starhub", ["101.127.0.0/16"]),
           mk(17547, "SG", "m1", ["111.65.32.0/19"])),
    "VN": (7, mk(45899, "VN", "vnpt", ["123.16.0.0/12"]) + mk(18403, "VN", "fpt", ["42.112.0.0/13"]),
           mk(7552, "VN", "viettel", ["27.64.0.0/12", "171.224.0.0/11"]) + mk(45899, "VN", "vinaphone",
                                                                                ["14.160.0.0/11"])),
    "HK": (8, mk(4760, "HK", "hkt", ["112.118.0.0/15"]) + mk(9269, "HK", "hkbn", ["61.244.0.0/14"]),
           mk(4760, "HK", "csl", ["223.104.0.0/15"])),
    "FR": (1, mk(3215, "FR", "orange", ["90.0.0.0/9"]), mk(51207, "FR", "free-mobile", ["37.160.0.0/12"])),
    "CN": (8, mk(4134, "CN", "chinatelecom", ["116.224.0.0/12"]) + mk(4837, "CN", "chinaunicom", ["123.112.0.0/12"]),
           mk(9808, "CN", "chinamobile", ["120.192.0.0/10"])),
    "PH": (8, mk(9299, "PH", "pldt", ["112.198.0.0/16"]) + mk(17639, "PH", "converge", ["180.190.0.0/16"]),
           mk(132199, "PH", "globe", ["112.200.0.0/13"]) + mk(10139, "PH", "smart", ["110.54.128.0/17"])),
    "NP": (5.75, mk(17501, "NP", "worldlink", ["103.10.28.0/22"]) + mk(23752, "NP", "ntc", ["27.34.0.0/17"]),
           mk(45650, "NP", "ncell", ["110.44.112.0/20"])),
    "BR": (-12, mk(26599, "BR", "vivo", ["177.0.0.0/14"]) + mk(28573, "BR", "claro", ["187.0.0.0/12"]),
           mk(26615, "BR", "tim", ["179.216.0.0/13"])),
    "ID": (7, mk(7713, "ID", "telkom", ["36.64.0.0/11"]),
           mk(23693, "ID", "telkomsel", ["114.120.0.0/13"]) + mk(24203, "ID", "xl", ["112.215.0.0/16"])),
    "IN": (5.5, mk(24560, "IN", "airtel", ["122.160.0.0/12"]), mk(55836, "IN", "jio", ["49.32.0.0/11"])),
    "RU": (3, mk(12389, "RU", "rostelecom", ["95.24.0.0/13"]), mk(8359, "RU", "mts", ["188.32.0.0/13"])),
    "DE": (1, mk(3320, "DE", "dtag", ["79.192.0.0/10"]) + mk(3209, "DE", "vodafone-de", ["88.64.0.0/12"]),
           mk(6805, "DE", "telefonica-de", ["176.0.0.0/12"])),
}


def check_prefixes():
    rs = sorted((p.v6, p.base, p.base + p.size - 1, p.cidr) for p in ALL_PREFIXES)
    for a, b in zip(rs, rs[1:]):
        if a[0] == b[0] and b[1] <= a[2]:
            raise SystemExit("prefix overlap: %s %s" % (a[3], b[3]))


# ----------------------------------------------------------------------------------------------------------------
# Secrets, names
# ----------------------------------------------------------------------------------------------------------------
POP_PINS = [("1234", 30), ("1111", 14), ("0000", 9), ("1122", 5), ("7777", 5), ("1212", 5), ("5555", 4),
            ("2525", 3), ("8888", 3), ("0123", 3), ("4321", 2), ("2222", 2), ("9999", 2), ("1010", 2),
            ("3333", 2), ("6666", 1.5), ("1004", 1), ("0721", 1), ("4444", 1), ("2000", 1)]
POP_PW = [("password1", 14), ("abcd1234", 9), ("qwerty123", 8), ("a1234567", 7), ("password123", 6),
          ("abc12345", 6), ("Aa123456", 5), ("1qaz2wsx", 5), ("pass1234", 4), ("asdf1234", 4), ("sakura123", 3),
          ("Passw0rd", 3), ("p@ssw0rd1", 2), ("iloveyou1", 2), ("doraemon1", 1.5), ("pokemon1", 1.5),
          ("q1w2e3r4", 2), ("zaq12wsx", 1.5), ("hello123", 1.5), ("abcd12345", 1.5)]
LEAK_NONCOMPLIANT = ["123456", "123456789", "12345678", "password", "111111", "qwerty", "abc123", "000000",
                     "iloveyou", "sakura", "doraemon", "pokemon"]
SURNAMES = ("sato suzuki takahashi tanaka watanabe ito yamamoto nakamura kobayashi kato yoshida yamada sasaki "
            "yamaguchi matsumoto inoue kimura hayashi shimizu yamazaki mori abe ikeda hashimoto yamashita ishikawa "
            "nakajima maeda fujita ogawa goto okada hasegawa murakami kondo ishii saito sakamoto endo aoki fujii "
            "nishimura fukuda ota miura fujiwara okamoto matsuda nakagawa").split()
GIVEN = ("hiroshi takashi kenji yuki yuta sho daiki haruto ren sota kaito yui aoi sakura hina yuna misaki ayaka "
         "mai yoko keiko akiko tomoko naoko kazuki ryo taro ichiro makoto satoshi emi megumi kana riko mio koharu "
         "nanami hikari shota tsubasa kenta yusuke takuya naoki masato rina saki asuka nao").split()
FOREIGN_NAMES = {"CN": "wang li zhang liu chen yang huang zhao".split(),
                 "VN": "nguyen tran le pham hoang phan vu dang".split(),
                 "KR": "kim lee park choi jung kang cho yoon".split(),
                 "PH": "santos reyes cruz bautista garcia mendoza".split(),
                 "NP": "gurung tamang shrestha rai magar thapa".split(),
                 "BR": "silva santos oliveira souza lima pereira".split(),
                 "ID": "putri sari wijaya pratama saputra".split(),
                 "TW": "chen lin huang chang lee wang".split()}
DOMAINS = [("gmail.com", 35), ("yahoo.co.jp", 18), ("icloud.com", 12), ("docomo.ne.jp", 8), ("ezweb.ne.jp", 4),
           ("au.com", 3), ("softbank.ne.jp", 3), ("i.softbank.jp", 3), ("outlook.jp", 3), ("hotmail.co.jp", 3),
           ("outlook.com", 2), ("nifty.com", 2), ("biglobe.ne.jp", 1), ("ymobile.ne.jp", 1), ("me.com", 1)]
DOMAIN_TYPOS = {"gmail.com": ["gmai.com", "gmial.com", "gmail.co", "gmail.con"],
                "yahoo.co.jp": ["yahoo.co.jo", "yaho.co.jp", "yahoo.jp", "yahoo.com"],
                "icloud.com": ["iclod.com", "icloud.co", "icould.com"],
                "docomo.ne.jp": ["docomo.ne.jo", "docomo.co.jp", "docomo.jp"],
                "ezweb.ne.jp": ["ezweb.co.jp", "ezwed.ne.jp"]}

ANDROID_MODELS = [("SO-51D", 13, 15, 6), ("XQ-ES44", 14, 16, 5), ("SO-53C", 12, 14, 4), ("SH-54D", 13, 16, 8),
                  ("SH-53E", 15, 16, 5), ("SHG11", 13, 16, 4), ("A302SH", 14, 16, 3), ("SH-51C", 12, 14, 3),
                  ("SC-51E", 14, 16, 5), ("SCG25", 14, 16, 3), ("SC-54D", 13, 15, 3), ("Pixel 8a", 14, 16, 6),
                  ("Pixel 9", 14, 16, 4), ("Pixel 7a", 13, 16, 4), ("F-52E", 14, 15, 3), ("F-51C", 12, 14, 2),
                  ("CPH2523", 13, 15, 3), ("A402OP", 14, 15, 2), ("XIG03", 13, 15, 3), ("24117RN76O", 15, 15, 2)]

T_CHROME144 = datetime(2026, 1, 13, 18, 0, tzinfo=timezone.utc).timestamp()


def chrome_major(t, lag):
    return 144 + int(math.floor((t - lag - T_CHROME144) / (28 * DAY)))


HOLIDAYS = {date(2026, 1, 1), date(2026, 1, 2), date(2026, 1, 3), date(2026, 1, 12), date(2026, 2, 11),
            date(2026, 2, 23), date(2026, 3, 20), date(2026, 4, 29), date(2026, 5, 3), date(2026, 5, 4),
            date(2026, 5, 5), date(2026, 5, 6), date(2026, 7, 20), date(2026, 8, 11)}

# hourly curves (JST local hour 0..23)
CURVES = {
    "worker": [1.0, .5, .25, .12, .1, .3, 1.3, 3.2, 3.8, 2.0, 1.4, 1.8, 4.6, 2.6, 1.2, 1.3, 1.5, 2.2, 3.6, 3.8, 3.9,
               4.2, 3.6, 2.2],
    "home": [.6, .3, .15, .1, .1, .3, .9, 1.8, 2.4, 3.0, 3.4, 3.4, 3.6, 3.0, 3.0, 3.1, 3.2, 3.0, 2.8, 2.8, 2.8, 2.6,
             1.8, 1.1],
    "student": [2.2, 1.4, .7, .3, .15, .15, .6, 2.0, 2.4, 1.2, 1.0, 1.4, 3.4, 2.4, 1.5, 1.8, 2.6, 3.0, 3.2, 3.4, 3.8,
                4.2, 4.2, 3.2],
    "off": [1.6, 1.0, .5, .25, .15, .2, .5, 1.1, 1.8, 2.6, 3.3, 3.8, 4.2, 4.2, 4.0, 3.8, 3.6, 3.6, 3.8, 4.0, 4.2, 4.2,
            3.6, 2.6],
}


# ----------------------------------------------------------------------------------------------------------------
# Entities
# ----------------------------------------------------------------------------------------------------------------
class Dev:
    __slots__ = ("kind", "plat", "token", "hist", "mode", "p_clear", "itp", "last_t", "app_adopt", "os_track",
                 "os_adopt", "br", "br_lag", "andv", "model", "edge_patch", "relay", "v6iid", "shared", "osv_static")

    def __init__(self):
        self.token = None
        self.hist = []
        self.mode = "keep"
        self.p_clear = 0.0
        self.itp = False
        self.last_t = None
        self.app_adopt = None
        self.os_track = None
        self.os_adopt = None
        self.br = None
        self.br_lag = 0.0
        self.andv = None
        self.model = None
        self.edge_patch = 0
        self.relay = False
        self.v6iid = {}
        self.shared = False
        self.osv_static = None

    def token_at(self, t):
        tok = None
        for ht, tk in self.hist:
            if ht <= t:
                tok = tk
            else:
                break
        return tok


class Household:
    __slots__ = ("isp", "asn", "mode", "ips", "ip_times", "mape", "v6p", "tablet", "members", "region")


class User:
    __slots__ = ("idx", "account", "kind", "secrets", "old_secret", "persona", "elderly", "region", "carrier",
                 "hh", "office", "desk_office", "phone_wifi_office", "pub_p", "fav_hotspot", "vpn", "vpn_p",
                 "vpn_cc", "foreign", "trip", "lam", "wk_f", "shift", "devices", "newphone", "newphone_t",
                 "newphone_old_until", "reinstall_t", "caretaker", "proxy_p", "tablet_p", "mob_ip", "mob_until",
                 "pending_reset", "forgot_idx", "agg", "email_domain")

    def secret_at(self, t):
        s = self.secrets[0][1]
        for ct, sec in self.secrets:
            if ct <= t:
                s = sec
            else:
                break
        return s


# ----------------------------------------------------------------------------------------------------------------
class Gen:
    def __init__(self, seed, n_users, days):
        self.seed = seed
        self.N = n_users
        self.D = days
        self.su = n_users / 20000.0
        self.sd = days / 14.0
        self.events = []
        self.R = lambda name: random.Random("alien2/%d/%s" % (seed, name))
        r = self.R("params")
        d0 = date(2026, 2, 2) + timedelta(days=r.randint(0, 77))
        self.start_date = d0
        self.start = datetime(d0.year, d0.month, d0.day, tzinfo=JST).timestamp()
        self.end = self.start + days * DAY
        P = {}
        P["pin_share"] = r.uniform(0.22, 0.34)
        P["pin_pop"] = r.uniform(0.08, 0.16)
        P["pw_pop"] = r.uniform(0.02, 0.05)
        P["dormant"] = r.uniform(0.10, 0.20)
        P["lam_med"] = r.uniform(0.30, 0.50)
        P["lam_sigma"] = r.uniform(1.0, 1.25)
        P["cgnat_factor"] = r.uniform(0.02, 0.05)
        P["pppoe_days"] = r.uniform(5, 12)
        P["service_v6"] = r.random() < 0.6
        P["ipoe_share"] = r.uniform(0.35, 0.6)
        P["itp"] = r.random() < 0.5
        P["ios_share"] = r.uniform(0.55, 0.68)
        P["travel"] = r.uniform(0.015, 0.04)
        P["foreign"] = r.uniform(0.02, 0.035)
        P["vpn"] = r.uniform(0.008, 0.025)
        P["agg"] = r.uniform(0.005, 0.03)
        P["newphone"] = r.uniform(0.03, 0.05)
        P["follow_p"] = r.uniform(0.25, 0.5)
        P["app_release_day"] = r.uniform(2, max(2.5, days - 3))
        P["ios_release_day"] = r.uniform(1, max(1.5, days - 2))
        self.P = P
        self.accounts = {}
        self.users = []

    # ------------------------------------------------------------------ helpers
    def emit(self, t, account, net, ua, device, outcome, secret, label, scenario, takeover=False):
        if t < self.start or t >= self.end:
            return
        self.events.append((int(round(t * 1000)), len(self.events), account, net[0], ua, device, outcome,
                            fp(secret) if secret is not None else None, net[1], net[2], label, scenario, takeover))

    def new_uuid(self, rng, upper=False):
        h = "%032x" % rng.getrandbits(128)
        s = "%s-%s-4%s-%s-%s" % (h[:8], h[8:12], h[13:16], "89ab"[int(h[16], 16) & 3] + h[17:20], h[20:32])
        return s.upper() if upper else s

    def new_cookie(self, rng):
        return "d." + base64.urlsafe_b64encode(rng.getrandbits(144).to_bytes(18, "big")).decode().rstrip("=")

    def new_token(self, dev, rng):
        if dev.kind in ("app", "tablet_app"):
            return self.new_uuid(rng, upper=(dev.plat in ("ios", "ipados")))
        return self.new_cookie(rng)

    def day_info(self, d):
        dd = self.start_date + timedelta(days=d)
        off = dd.weekday() >= 5 or dd in HOLIDAYS
        f = 1.0
        # payday: 25th or previous working day
        pd = date(dd.year, dd.month, 25)
        while pd.weekday() >= 5 or pd in HOLIDAYS:
            pd -= timedelta(days=1)
        if dd == pd:
            f = 1.25
        elif dd.day in (1, 2):
            f = 1.1
        return off, f

    # ------------------------------------------------------------------ world
    def build_releases(self):
        r = self.R("releases")
        s = self.start
        mn0 = r.randint(2, 9)
        self.app_rel = {}
        for plat, delay in (("ios", 0.0), ("android", 1.0)):
            rel = []
            for i in range(5):
                t = s - (5 - i) * 21 * DAY - r.uniform(0, 5) * DAY
                rel.append((t, "7.%d.%d" % (mn0 + i, r.choice([0, 0, 1, 2])), 7000000 + (mn0 + i) * 1000 + r.randint(1, 40)))
            t = s + self.P["app_release_day"] * DAY + delay * DAY
            rel.append((t, "7.%d.0" % (mn0 + 5), 7000000 + (mn0 + 5) * 1000 + r.randint(1, 40)))
            if r.random() < 0.6:
                rel.append((t + r.uniform(2, 5) * DAY, "7.%d.1" % (mn0 + 5), 7000000 + (mn0 + 5) * 1000 + 50))
            self.app_rel[plat] = rel
        L = 3 if self.start_date < date(2026, 3, 24) else 4
        ios_r = s + self.P["ios_release_day"] * DAY
        self.os_tracks = {
            "ios26": [(s - 70 * DAY, "26.%d" % (L - 1)), (s - 45 * DAY, "26.%d.1" % (L - 1)),
                      (s - r.uniform(10, 30) * DAY, "26.%d" % L), (ios_r, "26.%d.1" % L)],
            "ios18": [(s - 80 * DAY, "18.7.2"), (s - 40 * DAY, "18.7.3"), (s - 12 * DAY, "18.7.4"), (ios_r, "18.7.5")],
            "ios17": [(s - 200 * DAY, "17.7.10")],
            "ios16": [(s - 300 * DAY, "16.7.12")],
            "ios15": [(s - 300 * DAY, "15.8.5")],
        }
        self.ios_latest = "26.%d" % L

    def adopt_times(self, rel, rng, mode):
        out = []
        for t, *_ in rel:
            if mode == "auto":
                lag = rng.expovariate(1 / 1.5) * DAY + 0.1 * DAY
            elif mode == "manual":
                lag = rng.expovariate(1 / 20.0) * DAY
            elif mode == "stale":
                lag = rng.uniform(60, 140) * DAY
            else:  # os
                lag = rng.expovariate(1 / 10.0) * DAY
            out.append(t + lag)
        return out

    def build_networks(self):
        r = self.R("networks")
        P = self.P
        # CGNAT pools: carrier -> region -> WTable of ip tuples
        self.mobile_pool = {}
        self.mobile_all = {}
        region_w = [0.5, 0.15, 0.25, 0.10]
        for k, asn, w, cidrs in MOBILE:
            size = max(12, int(round(P["cgnat_factor"] * self.N * w)))
            per = {}
            allips = []
            for g in range(4):
                n = max(3, int(round(size * region_w[g])))
                ips = [r.choice(MOBILE_PFX[k]).rand_ip(r) for _ in range(n)]
                ws = [1.0 / (i + 1) ** 0.6 for i in range(n)]
                r.shuffle(ws)
                per[g] = WTable(ips, ws)
                allips.extend(ips)
            self.mobile_pool[k] = per
            self.mobile_all[k] = allips
        self.carrier_table = WTable([m[0] for m in MOBILE], [m[2] for m in MOBILE])
        self.home_tables = []
        for g in range(4):
            self.home_tables.append(WTable([h[0] for h in HOME], [h[2] * h[5][g] for h in HOME]))
        self.home_asn = {h[0]: h[1] for h in HOME}
        self.mape_pools = {}
        for h in HOME:
            n = max(4, int(round(self.N * 0.75 * h[2] * P["ipoe_share"] / 8 / 1.6)))
            self.mape_pools[h[0]] = [r.choice(HOME_PFX[h[0]]).rand_ip(r) for _ in range(n)]
        # hotspots
        n_hot = max(20, int(round(150 * self.su)))
        ht = WTable([h[0] for h in HOTSPOT], [h[2] for h in HOTSPOT])
        self.hotspots = [r.choice(HOTSPOT_PFX[ht.pick(r)]).rand_ip(r) for _ in range(n_hot)]
        # relay / vpn / zscaler pools
        self.relay_pool = [r.choice(RELAY).rand_ip(r) for _ in range(max(10, int(60 * self.su)))]
        self.zscaler_pool = [r.choice(ZSCALER).rand_ip(r) for _ in range(8)]
        self.zscaler_sg = [ZSCALER_SG[0].rand_ip(r) for _ in range(2)]
        self.vpn_pools = {cc: [r.choice(pf).rand_ip(r) for _ in range(6 if cc != "JP" else 25)] for cc, pf in VPN.items()}
        # companies
        self.biz_table = WTable([b[0] for b in BIZ], [b[2] for b in BIZ])

    def make_companies(self, n_workers, r):
        n = max(5, n_workers // 6)
        comps = []
        for i in range(n):
            size_w = 1.0 / (i + 1) ** 0.9
            big = i < n * 0.1
            if r.random() < (0.35 if big else 0.07):
                comps.append(("zscaler", None, size_w))
            else:
                k = self.biz_table.pick(r)
                nip = r.choice([1, 1, 1, 2, 3]) if big else 1
                ips = [r.choice(BIZ_PFX[k]).rand_ip(r) for _ in range(nip)]
                comps.append(("nat", ips, size_w))
        self.companies = comps
        self.company_table = WTable(list(range(n)), [c[2] for c in comps])

    def pppoe_ips(self, hh, r):
        t = self.start - r.uniform(0, self.P["pppoe_days"]) * DAY
        times, ips = [], []
        if hh.isp == "jcom":
            mean = self.P["pppoe_days"] * 3
        else:
            mean = self.P["pppoe_days"]
        while t < self.end:
            times.append(t)
            ips.append(r.choice(HOME_PFX[hh.isp]).rand_ip(r))
            t += max(HOUR, r.expovariate(1 / mean) * DAY)
        hh.ip_times = times
        hh.ips = ips

    # ------------------------------------------------------------------ devices
    def make_device(self, kind, plat, r, newest=False):
        d = Dev()
        d.kind = kind
        d.plat = plat
        if kind in ("app", "tablet_app"):
            mode = "auto" if (newest or r.random() < 0.75) else ("stale" if r.random() < 0.2 else "manual")
            d.app_adopt = self.adopt_times(self.app_rel["ios" if plat in ("ios", "ipados") else "android"], r, mode)
        if plat in ("ios", "ipados", "mac"):
            if newest:
                d.os_track = "ios26"
            else:
                d.os_track = wpick(r, [("ios26", 55), ("ios18", 28), ("ios17", 7), ("ios16", 6), ("ios15", 4)])
            d.os_adopt = self.adopt_times(self.os_tracks[d.os_track], r, "os")
            if newest:
                d.os_adopt = [min(a, self.start) for a in d.os_adopt[:-1]] + [d.os_adopt[-1]]
        if plat == "android":
            m = wpick(r, [(x, x[3]) for x in ANDROID_MODELS])
            if newest:
                m = wpick(r, [(x, x[3]) for x in ANDROID_MODELS if x[2] >= 16])
            d.model = m[0]
            d.andv = m[2] if (newest or r.random() < 0.55) else r.randint(m[1], m[2])
        if kind in ("mweb", "desktop", "tablet_web"):
            if plat == "win":
                d.br = wpick(r, [("chrome", 58), ("edge", 32), ("firefox", 10)])
            elif plat == "mac":
                d.br = wpick(r, [("safari", 60), ("chrome", 40)])
            elif plat == "android":
                d.br = "chrome"
            else:
                d.br = "safari"
            x = r.random()
            if newest or x < 0.85:
                d.br_lag = r.expovariate(1 / 3.0) * DAY
            elif x < 0.97:
                d.br_lag = r.uniform(28, 60) * DAY
            else:
                d.br_lag = r.uniform(100, 400) * DAY
            d.edge_patch = r.randint(40, 120)
            x = r.random()
            if x < 0.80:
                d.mode = "keep"
            elif x < 0.95:
                d.mode = "clear"
                d.p_clear = r.uniform(0.08, 0.30)
            else:
                d.mode = "private"
            d.itp = self.P["itp"] and d.br == "safari"
            if d.br == "safari" and plat == "ios" and r.random() < 0.15:
                d.relay = True
        tok = None if d.mode == "private" else self.new_token(d, r)
        d.token = tok
        d.hist = [(-1e18, tok)]
        return d

    def version_at(self, adopt, rel, t):
        v = rel[0]
        for i, a in enumerate(adopt):
            if a <= t and rel[i][0] <= t:
                v = rel[i]
        return v

    def ua(self, d, t):
        k, p = d.kind, d.plat
        if k in ("app", "tablet_app"):
            if p in ("ios", "ipados"):
                rel = self.version_at(d.app_adopt, self.app_rel["ios"], t)
                osv = self.version_at(d.os_adopt, self.os_tracks[d.os_track], t)[1]
                return "%s/%s (%s; build:%d; %s %s) Alamofire/5.9.1" % (
                    APP_NAME, rel[1], APP_BUNDLE, rel[2], "iPadOS" if p == "ipados" else "iOS", osv)
            rel = self.version_at(d.app_adopt, self.app_rel["android"], t)
            return "%s/%s (Android %d; %s) okhttp/4.12.0" % (APP_NAME, rel[1], d.andv, d.model)
        if p in ("ios", "ipados") or (p == "mac" and d.br == "safari"):
            osv = self.version_at(d.os_adopt, self.os_tracks[d.os_track], t)[1]
            parts = osv.split(".")
            sv = "%s.%s" % (parts[0], parts[1] if len(parts) > 1 else "0")
            if p == "ios":
                osf = "18_6" if int(parts[0]) >= 26 else "_".join(parts)
                return ("Mozilla/5.0 (iPhone; CPU iPhone OS %s like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
                        "Version/%s Mobile/15E148 Safari/604.1" % (osf, sv))
            return ("Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) "
                    "Version/%s Safari/605.1.15" % sv)
        M = chrome_major(t, d.br_lag)
        if p == "android":
            return ("Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/%d.0.0.0 Mobile "
                    "Safari/537.36" % M)
        if p == "mac":
            return ("Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) "
                    "Chrome/%d.0.0.0 Safari/537.36" % M)
        if d.br == "firefox":
            F = M + 3
            return "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:%d.0) Gecko/20100101 Firefox/%d.0" % (F, F)
        base = ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/%d.0.0.0 "
                "Safari/537.36" % M)
        if d.br == "edge":
            return base + " Edg/%d.0.%d.%d" % (M, 3300 + (M - 138) * 55, d.edge_patch)
        return base

    def login_token(self, d, t, rng):
        """Device token presented at a login at t (advancing cookie state). Returns (token, cleared?)."""
        if d.mode == "private":
            return None, False
        cleared = False
        if d.kind not in ("app", "tablet_app"):
            if d.mode == "clear" and rng.random() < d.p_clear:
                cleared = True
            elif d.itp and d.last_t is not None and t - d.last_t > 7 * DAY:
                cleared = True
        d.last_t = t
        if cleared:
            newtok = self.new_token(d, rng)
            d.token = newtok
            d.hist.append((t, newtok))
            if rng.random() < 0.5:
                return None, True
        return d.token, cleared

    # ------------------------------------------------------------------ population
    def make_email(self, r, foreign=None):
        for _ in range(100):
            if foreign:
                sn = r.choice(FOREIGN_NAMES[foreign])
                gn = r.choice(GIVEN + FOREIGN_NAMES[foreign])
            else:
                sn, gn = r.choice(SURNAMES), r.choice(GIVEN)
            pat = r.random()
            if pat < 0.25:
                local = "%s.%s" % (gn, sn)
            elif pat < 0.45:
                local = "%s%02d" % (gn, r.randint(0, 99))
            elif pat < 0.6:
                local = "%s%s%d" % (sn, gn[0], r.randint(1, 999))
            elif pat < 0.75:
                local = "%s_%s%d" % (gn, sn, r.randint(60, 2010))
            elif pat < 0.88:
                local = "%s.%s.%04d" % (gn[0], sn, r.randint(1955, 2008))
            else:
                local = "%s-%s%04d" % (gn, r.choice(["love", "papa", "mama", "neko", "inu", "sun", "smile", "happy"]),
                                        r.randint(101, 1231))
            dom = wpick(r, DOMAINS)
            e = "%s@%s" % (local, dom)
            if e not in self.accounts:
                return e
        return "user%d@example.jp" % r.getrandbits(40)

    def make_handle(self, r):
        for _ in range(100):
            sn, gn = r.choice(SURNAMES), r.choice(GIVEN)
            pat = r.random()
            if pat < 0.3:
                h = "%s%d" % (gn[:4], r.randint(1960, 2009))
            elif pat < 0.6:
                h = "%s_%s" % (sn, gn[:1])
            elif pat < 0.8:
                h = "%s%02d%02d" % (sn, r.randint(1, 12), r.randint(1, 28))
            else:
                h = "%s%s%d" % (gn, sn[:2], r.randint(1, 99))
            if h not in self.accounts:
                return h
        return "id%d" % r.getrandbits(40)

    def make_phone_id(self, r):
        while True:
            p = "0%s0%08d" % (r.choice("789998"), r.randrange(10 ** 8))
            if p not in self.accounts:
                return p

    def rand_pin(self, r):
        x = r.random()
        if x < self.P["pin_pop"]:
            return wpick(r, POP_PINS)
        x = r.random()
        if x < 0.30:
            return "%02d%02d" % (r.randint(1, 12), r.randint(1, 28))
        if x < 0.40:
            return "%04d" % r.randint(1955, 2012)
        return "%04d" % r.randrange(10000)

    def rand_pw(self, r, u_idx, tag):
        if r.random() < self.P["pw_pop"]:
            return wpick(r, POP_PW)
        return "pw/%d/%d/%s/%x" % (self.seed, u_idx, tag, r.getrandbits(48))

    def build_users(self):
        r = self.R("users")
        P = self.P
        N = self.N
        persona_t = WTable(["worker", "home", "student", "night"], [54, 29, 14, 3])
        dev_mix = {
            "worker": [55, 20, 10, 8, 2, 5], "home": [65, 6, 12, 6, 2, 9], "elderly": [30, 8, 12, 25, 15, 10],
            "student": [78, 4, 14, 2, 0, 2], "night": [55, 20, 10, 8, 2, 5]}
        cats = ["app_only", "app_desktop", "mweb_only", "desktop_main", "desktop_only", "app_tablet"]
        # households
        households = []
        i = 0
        order = list(range(N))
        while i < N:
            x = r.random()
            size = 1 if x < 0.70 else (2 if x < 0.92 else 3)
            households.append(order[i:i + size])
            i += size
        users = [None] * N
        hh_of = {}
        for members in households:
            hh = Household()
            hh.region = wpick(r, [(0, 50), (1, 15), (2, 25), (3, 10)])
            hh.members = members
            hh.tablet = None
            if r.random() < 0.75:
                hh.isp = self.home_tables[hh.region].pick(r)
                hh.asn = self.home_asn[hh.isp]
                if r.random() < P["ipoe_share"] and hh.isp != "jcom":
                    hh.mode = "v6"
                    hh.mape = r.choice(self.mape_pools[hh.isp])
                    hh.v6p = HOME_V6[hh.isp] | (r.getrandbits(32) << 64)
                else:
                    hh.mode = "pppoe"
                    self.pppoe_ips(hh, r)
            else:
                hh.isp = None
            for m in members:
                hh_of[m] = hh
        n_workers_est = int(N * 0.57 * 0.6)
        self.make_companies(n_workers_est, r)
        for idx in range(N):
            u = User()
            u.idx = idx
            u.hh = hh_of[idx]
            u.region = u.hh.region
            u.persona = persona_t.pick(r)
            u.elderly = u.persona == "home" and r.random() < 0.5
            u.kind = "pin" if r.random() < P["pin_share"] else "pw"
            u.foreign = None
            if r.random() < P["foreign"]:
                u.foreign = wpick(r, [("CN", 30), ("VN", 22), ("KR", 14), ("PH", 10), ("NP", 8), ("BR", 6),
                                      ("ID", 5), ("TW", 5)])
            if u.kind == "pin":
                u.account = self.make_phone_id(r)
                u.secrets = [(-1e18, self.rand_pin(r))]
                u.old_secret = "%04d" % r.randrange(10000)
                u.email_domain = None
            else:
                if r.random() < 0.62:
                    u.account = self.make_email(r, u.foreign)
                    u.email_domain = u.account.split("@", 1)[1]
                else:
                    u.account = self.make_handle(r)
                    u.email_domain = None
                u.secrets = [(-1e18, self.rand_pw(r, idx, "init"))]
                u.old_secret = self.rand_pw(r, idx, "old")
            self.accounts[u.account] = u
            u.carrier = self.carrier_table.pick(r)
            u.office = None
            u.desk_office = False
            u.phone_wifi_office = False
            if u.persona in ("worker", "night") and r.random() < 0.6:
                u.office = self.company_table.pick(r)
                u.desk_office = r.random() < 0.7
                u.phone_wifi_office = r.random() < 0.3
            u.pub_p = r.uniform(0.02, 0.10) if r.random() < 0.3 else 0.0
            u.fav_hotspot = r.choice(self.hotspots)
            u.vpn = r.random() < P["vpn"]
            u.vpn_p = r.uniform(0.3, 1.0) if u.vpn else 0.0
            u.vpn_cc = wpick(r, [("JP", 60), ("US", 20), ("SG", 10), ("HK", 5), ("KR", 5)]) if u.vpn else None
            if u.foreign and r.random() < 0.2:
                u.vpn = True
                u.vpn_p = r.uniform(0.05, 0.3)
                u.vpn_cc = u.foreign
            # activity
            if r.random() < P["dormant"]:
                u.lam = 0.0
            else:
                m = {"worker": 1.0, "home": 0.8, "student": 1.2, "night": 1.0}[u.persona] * (0.7 if u.elderly else 1)
                u.lam = min(25.0, P["lam_med"] * m * math.exp(r.gauss(0, P["lam_sigma"])))
            u.wk_f = {"worker": 1.05, "home": 0.85, "student": 1.15, "night": 1.0}[u.persona] * math.exp(
                r.gauss(0, 0.35))
            u.shift = r.choice([-1, 0, 0, 0, 1, 1, 2]) if u.persona != "night" else r.choice([10, 11, 12])
            # devices
            mix = dev_mix["elderly" if u.elderly else u.persona]
            cat = wpick(r, list(zip(cats, mix)))
            ios_p = P["ios_share"] + (0.08 if u.persona == "student" else 0) - (0.1 if u.elderly else 0)
            phone_plat = "ios" if r.random() < ios_p else "android"
            desk_plat = "mac" if r.random() < (0.35 if u.persona == "student" else 0.18) else "win"
            devs = []
            if cat in ("app_only", "app_desktop", "app_tablet"):
                devs.append([self.make_device("app", phone_plat, r), 1.0 if cat == "app_only" else (
                    0.7 if cat == "app_desktop" else 0.6)])
            if cat in ("mweb_only", "desktop_main"):
                devs.append([self.make_device("mweb", phone_plat, r), 1.0 if cat == "mweb_only" else 0.2])
            if cat in ("app_desktop", "desktop_main", "desktop_only"):
                devs.append([self.make_device("desktop", desk_plat, r),
                             {"app_desktop": 0.3, "desktop_main": 0.8, "desktop_only": 1.0}[cat]])
            if cat == "app_tablet":
                tp = "ipados" if r.random() < 0.8 else "android"
                devs.append([self.make_device("tablet_app", tp, r), 0.4])
            u.devices = devs
            u.newphone = None
            u.newphone_t = None
            u.reinstall_t = None
            phone = self.phone_of(u)
            if phone is not None and r.random() < P["newphone"]:
                u.newphone_t = self.start + r.uniform(0.5, self.D - 0.5) * DAY
                plat = phone.plat if r.random() < 0.9 else ("android" if phone.plat == "ios" else "ios")
                u.newphone = self.make_device(phone.kind, plat, r, newest=True)
                u.newphone_old_until = u.newphone_t + (r.uniform(0, 1.5) * DAY if r.random() < 0.5 else 0)
            elif phone is not None and phone.kind == "app" and r.random() < 0.01:
                u.reinstall_t = self.start + r.uniform(0.5, self.D - 0.5) * DAY
            u.trip = None
            u.caretaker = None
            u.proxy_p = 0.0
            u.tablet_p = 0.0
            u.mob_ip = None
            u.mob_until = -1
            u.pending_reset = False
            u.forgot_idx = None
            u.agg = False
            users[idx] = u
        self.users = users
        # shared tablets in multi-user households with home internet
        for members in households:
            hh = hh_of[members[0]]
            if len(members) >= 2 and hh.isp and r.random() < 0.12:
                plat = "ipados" if r.random() < 0.8 else "android"
                kind = "tablet_app" if r.random() < 0.8 else "tablet_web"
                if kind == "tablet_web":
                    dv = self.make_device(kind, "ipados" if plat == "ipados" else "android", r)
                    if dv.mode == "private":
                        dv.mode = "keep"
                        dv.token = self.new_token(dv, r)
                        dv.hist = [(-1e18, dv.token)]
                else:
                    dv = self.make_device(kind, plat, r)
                dv.shared = True
                hh.tablet = dv
                for m in members:
                    users[m].tablet_p = r.uniform(0.15, 0.5)
        # family proxies: elderly users get a relative (another user) who logs in for them
        eld = [u for u in users if u.elderly and u.lam > 0]
        for u in eld:
            if r.random() < 0.06:
                c = users[r.randrange(N)]
                if c is not u and self.phone_of(c) is not None and c.persona in ("worker", "home"):
                    u.caretaker = c
                    u.proxy_p = r.uniform(0.2, 1.0)
        # travel
        for u in users:
            if u.lam <= 0 or self.phone_of(u) is None:
                continue
            if u.foreign and r.random() < 0.2:
                self.make_trip(u, r, u.foreign, r.uniform(6, 14), "foreign-resident-home-visit")
            elif r.random() < P["travel"]:
                cc = wpick(r, [("KR", 26), ("TW", 21), ("US", 10), ("US-HI", 8), ("TH", 12), ("SG", 6), ("VN", 6),
                               ("HK", 6), ("FR", 5)])
                self.make_trip(u, r, cc, r.uniform(3, 8), "travel-abroad")

    def make_trip(self, u, r, cc, length, tag):
        tz, fixed, mobile = FOREIGN[cc]
        length = min(length, self.D - 1)
        t0 = self.start + r.uniform(0, self.D - length) * DAY
        mode = "roam" if (r.random() < 0.4 and tag == "travel-abroad") else "local"
        hotel = r.choice(fixed).rand_ip(r)
        u.trip = (t0, t0 + length * DAY, cc, tz, mode, hotel, mobile, tag)

    def phone_of(self, u):
        for d, w in u.devices:
            if d.kind in ("app", "mweb"):
                return d
        return None

    # ------------------------------------------------------------------ legit traffic
    def hour_tables(self):
        self._ht = {}

    def hour_table(self, persona, off, shift):
        key = (persona, off, shift)
        t = self._ht.get(key)
        if t is None:
            if off:
                base = CURVES["off"] if persona != "night" else CURVES["worker"]
            else:
                base = CURVES["worker" if persona == "night" else persona]
            w = [base[(h - shift) % 24] for h in range(24)]
            t = WTable(list(range(24)), w)
            self._ht[key] = t
        return t

    def session_times(self, u, r):
        out = []
        for d in range(self.D):
            off, payf = self.day_info(d)
            tz = 9.0
            trip = u.trip
            mid = self.start + d * DAY
            if trip and trip[0] <= mid + 12 * HOUR < trip[1]:
                tz = trip[3]
            lam = u.lam * (u.wk_f if off else 1.0) * payf
            n = poisson(r, lam)
            if n == 0:
                continue
            tab = self.hour_table(u.persona, off, u.shift)
            local_mid = mid - (tz - 9.0) * HOUR
            for _ in range(n):
                h = tab.pick(r)
                t = local_mid + h * HOUR + r.random() * HOUR
                out.append(t)
                if r.random() < 0.08:
                    out.append(t + r.uniform(60, 1200))
        out.sort()
        return [t for t in out if self.start <= t < self.end]

    def local_hour(self, u, t):
        tz = 9.0
        if u.trip and u.trip[0] <= t < u.trip[1]:
            tz = u.trip[3]
        lt = t + tz * HOUR
        h = int((lt % DAY) // HOUR)
        d = int((t - self.start) // DAY)
        off = self.day_info(max(0, min(self.D - 1, d)))[0]
        return h, off

    def mobile_ip(self, u, t, r):
        if u.mob_ip is not None and t < u.mob_until:
            return u.mob_ip
        pools = self.mobile_pool[u.carrier]
        g = u.region if r.random() < 0.85 else r.randrange(4)
        u.mob_ip = pools[g].pick(r)
        u.mob_until = t + r.uniform(15, 90) * MIN
        return u.mob_ip

    def home_ip(self, hh, d, t, r):
        if hh.mode == "v6":
            if self.P["service_v6"] and r.random() < 0.93:
                day = int((t - self.start) // DAY)
                iid = d.v6iid.get(day)
                if iid is None:
                    iid = r.getrandbits(64)
                    d.v6iid[day] = iid
                return (ipaddress.IPv6Address(hh.v6p | iid).compressed, hh.asn, "JP")
            return hh.mape
        i = bisect.bisect_right(hh.ip_times, t) - 1
        return hh.ips[max(0, i)]

    def office_ip(self, u, r):
        c = self.companies[u.office]
        if c[0] == "zscaler":
            if r.random() < 0.03:
                return r.choice(self.zscaler_sg)
            return r.choice(self.zscaler_pool)
        return r.choice(c[1])

    def pick_net(self, u, d, t, r):
        """(ip, asn, cc), tag or None if no session possible."""
        h, off = self.local_hour(u, t)
        trip = u.trip if (u.trip and u.trip[0] <= t < u.trip[1]) else None
        phone_like = d.kind in ("app", "mweb")
        if trip:
            if not phone_like:
                if d.kind.startswith("tablet") and r.random() < 0.3:
                    return trip[5], trip[7]
                return None, None
            if (h < 9 or h >= 20) and r.random() < 0.6:
                return trip[5], trip[7]
            if trip[4] == "roam":
                return self.mobile_ip(u, t, r), trip[7]
            return r.choice(trip[6]).rand_ip(r), trip[7]
        if d.relay:
            return r.choice(self.relay_pool), "private-relay"
        if u.vpn and d.kind in ("app", "mweb", "desktop") and r.random() < u.vpn_p:
            return r.choice(self.vpn_pools[u.vpn_cc]), "vpn"
        hh = u.hh
        if d.kind.startswith("tablet"):
            if hh.isp:
                return self.home_ip(hh, d, t, r), None
            return self.mobile_ip(u, t, r), None
        work_hours = (not off) and 9 <= h < 18
        if u.persona == "night":
            work_hours = (not off) and (h >= 21 or h < 6)
        if d.kind == "desktop":
            if u.office is not None and u.desk_office and work_hours:
                return self.office_ip(u, r), None
            if hh.isp:
                return self.home_ip(hh, d, t, r), None
            return self.mobile_ip(u, t, r), None
        # phone
        if u.office is not None and u.phone_wifi_office and work_hours and r.random() < 0.25:
            return self.office_ip(u, r), None
        if hh.isp:
            p = self.p_home(u.persona, h, off)
            if r.random() < p:
                return self.home_ip(hh, d, t, r), None
        if u.pub_p and r.random() < u.pub_p:
            return (u.fav_hotspot if r.random() < 0.5 else r.choice(self.hotspots)), "public-wifi"
        return self.mobile_ip(u, t, r), None

    @staticmethod
    def p_home(persona, h, off):
        if persona == "night":
            h = (h + 12) % 24
        if off:
            return 0.85 if h < 10 else (0.45 if h < 18 else 0.75)
        if persona in ("worker", "night"):
            if h < 7:
                return 0.85
            if h < 9:
                return 0.35
            if h < 18:
                return 0.05
            if h < 19:
                return 0.2
            return 0.8
        if persona == "student":
            return 0.2 if 8 <= h < 17 else 0.7
        return 0.9 if h < 9 else (0.6 if h < 18 else 0.85)

    def pick_device(self, u, t, r):
        """Returns (device, actor_user, tag)."""
        if u.caretaker is not None and r.random() < u.proxy_p:
            c = u.caretaker
            d = self.current_phone(c, t, r)
            if d is not None:
                return d, c, "family-proxy"
        hh = u.hh
        if hh.tablet is not None and u.tablet_p and r.random() < u.tablet_p:
            h, off = self.local_hour(u, t)
            if h >= 18 or h < 9 or off:
                return hh.tablet, u, "shared-device"
        devs = u.devices
        if len(devs) == 1:
            d = devs[0][0]
        else:
            d = wpick(r, devs)
        tag = None
        if d.kind in ("app", "mweb"):
            d2 = self.current_phone(u, t, r)
            if d2 is not d:
                tag = "new-phone" if t < u.newphone_t + DAY else None
            d = d2
        trip = u.trip and u.trip[0] <= t < u.trip[1]
        if trip and d.kind not in ("app", "mweb"):
            ph = self.current_phone(u, t, r)
            if ph is not None and r.random() < 0.8:
                d = ph
        return d, u, tag

    def current_phone(self, u, t, r):
        ph = self.phone_of(u)
        if u.newphone is not None and t >= u.newphone_t:
            if t < u.newphone_old_until and r.random() < 0.5:
                return ph
            return u.newphone
        if u.reinstall_t is not None and ph is not None and t >= u.reinstall_t:
            if ph.hist[-1][0] < u.reinstall_t:
                tok = self.new_token(ph, r)
                ph.token = tok
                ph.hist.append((u.reinstall_t, tok))
        return ph

    def wrong_pin_typo(self, pin, r):
        adj = {"0": "8", "1": "24", "2": "135", "3": "26", "4": "157", "5": "2468", "6": "359", "7": "48",
               "8": "5790", "9": "68"}
        s = list(pin)
        if r.random() < 0.3:
            i = r.randrange(3)
            s[i], s[i + 1] = s[i + 1], s[i]
        else:
            i = r.randrange(4)
            s[i] = r.choice(adj[s[i]])
        w = "".join(s)
        if w == pin:
            w = pin[:3] + str((int(pin[3]) + 1) % 10)
        return w

    def typo_secret(self, u, secret, r):
        if u.kind == "pin":
            return self.wrong_pin_typo(secret, r)
        return "typo/%s/%x" % (secret, r.getrandbits(40))

    def id_typo(self, acct, r):
        for _ in range(20):
            if "@" in acct:
                local, dom = acct.split("@", 1)
                x = r.random()
                if x < 0.4 and dom in DOMAIN_TYPOS:
                    cand = local + "@" + r.choice(DOMAIN_TYPOS[dom])
                elif x < 0.7 and len(local) > 3:
                    i = r.randrange(len(local) - 1)
                    cand = local[:i] + local[i + 1] + local[i] + local[i + 2:] + "@" + dom
                else:
                    i = r.randrange(len(local))
                    cand = local[:i] + local[i + 1:] + "@" + dom
            elif acct.isdigit():
                s = list(acct)
                i = r.randrange(3, len(s))
                s[i] = str((int(s[i]) + r.choice([1, 9, 3])) % 10)
                cand = "".join(s)
            else:
                i = r.randrange(len(acct))
                cand = acct[:i] + acct[i + 1:] if r.random() < 0.5 else acct[:i] + r.choice("aeiou1") + acct[i:]
            if cand and cand != acct and cand not in self.accounts:
                return cand
        return acct + "x"

    def legit_user(self, u, r):
        times = self.session_times(u, r)
        if not times:
            return
        forgot_i = None
        p_forgot = 0.05 if u.lam < 0.15 else 0.01
        if u.elderly:
            p_forgot *= 1.5
        if r.random() < p_forgot:
            forgot_i = 0 if u.lam < 0.15 else r.randrange(len(times))
        np_forgot = u.newphone is not None and r.random() < 0.25
        np_done = False
        for i, t in enumerate(times):
            d, actor, tag = self.pick_device(u, t, r)
            if d is None:
                continue
            net, ntag = self.pick_net(actor, d, t, r)
            if net is None:
                continue
            forgot = (i == forgot_i)
            if np_forgot and not np_done and d is u.newphone:
                forgot = True
                np_done = True
            self.legit_session(u, d, net, t, r, tag or ntag, forgot)

    def legit_session(self, u, d, net, t, r, tag, forgot):
        acct = u.account
        tok, cleared = self.login_token(d, t, r)
        scen = tag or ("cookie-cleared" if cleared else "normal")
        ua = self.ua(d, t)
        if u.pending_reset:
            u.pending_reset = False
            new = self.rand_pin(r) if u.kind == "pin" else self.rand_pw(r, u.idx, "reset%d" % len(u.secrets))
            u.secrets.append((t - r.uniform(30, 300), new))
            self.emit(t, acct, net, ua, tok, "success", new, "legit", "forgot-password")
            return
        sec = u.secret_at(t)
        if forgot:
            n = r.choice([2, 2, 3, 3, 3, 4, 5])
            for j in range(n):
                x = r.random()
                if x < 0.35:
                    w = u.old_secret
                elif x < 0.5:
                    w = wpick(r, POP_PINS) if u.kind == "pin" else wpick(r, POP_PW)
                else:
                    w = self.typo_secret(u, sec, r) if u.kind == "pin" else "forgot/%d/%x" % (u.idx, r.getrandbits(40))
                if w == sec:
                    w = sec + "!" if u.kind != "pin" else self.wrong_pin_typo(sec, r)
                self.emit(t, acct, net, ua, tok, "wrong_secret", w, "legit", "forgot-password")
                t += r.uniform(6, 45)
            if r.random() < 0.82:
                t += lognorm_clamped(r, 7 * MIN, 0.7, 90, 50 * MIN)
                new = self.rand_pin(r) if u.kind == "pin" else self.rand_pw(r, u.idx, "reset%d" % len(u.secrets))
                u.secrets.append((t - r.uniform(5, 60), new))
                self.emit(t, acct, net, ua, tok, "success", new, "legit", "forgot-password")
            else:
                u.pending_reset = True
            return
        web = d.kind in ("mweb", "desktop", "tablet_web")
        if u.kind == "pin":
            p_id = 0.008 if web else 0.002
            p_typo = 0.03 if web else 0.02
        else:
            p_id = (0.012 if d.kind == "mweb" else 0.01) if web else 0.002
            p_typo = {"mweb": 0.05, "desktop": 0.04, "tablet_web": 0.04}.get(d.kind, 0.012)
        if u.elderly:
            p_typo *= 1.8
            p_id *= 1.5
        if r.random() < p_id:
            wrong_id = self.id_typo(acct, r)
            self.emit(t, wrong_id, net, ua, tok, "unknown_account",
                      sec if r.random() < 0.8 else self.typo_secret(u, sec, r), "legit", "id-typo")
            t += r.uniform(5, 40)
            scen = "id-typo"
        if r.random() < p_typo:
            k = 2 if r.random() < 0.15 else 1
            for _ in range(k):
                self.emit(t, acct, net, ua, tok, "wrong_secret", self.typo_secret(u, sec, r), "legit", "typo")
                t += r.uniform(4, 60)
            scen = "typo"
        self.emit(t, acct, net, ua, tok, "success", sec, "legit", scen)

    def aggregators(self):
        r = self.R("aggregators")
        n_svc = 2
        svcs = []
        for s in range(n_svc):
            ips = [r.choice(HOST_JP["aws-tokyo"] if s == 0 else HOST_JP["gcp-tokyo"]).rand_ip(r)
                   for _ in range(r.randint(4, 12))]
            M = chrome_major(self.start, r.uniform(6, 20) * 28 * DAY)
            ua = ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/%d.0.0.0 "
                  "Safari/537.36" % M)
            svcs.append((ips, ua, r.uniform(1.5, 4.0)))
        for u in self.users:
            if u.kind != "pw" or u.lam <= 0 or r.random() >= self.P["agg"] / 0.85:
                continue
            u.agg = True
            ips, ua, batch_h = svcs[0] if r.random() < 0.65 else svcs[1]
            tok = self.new_cookie(r)
            stored = u.secret_at(self.start)
            fails = 0
            suspended_until = None
            relink_at = None
            for d in range(self.D):
                mid = self.start + d * DAY
                times = [mid + (batch_h + r.uniform(0, 2.5)) * HOUR]
                if r.random() < min(0.9, 0.3 + u.lam * 0.2):
                    times.append(mid + r.uniform(7, 23.5) * HOUR)
                times.sort()
                for t in times:
                    if suspended_until is not None:
                        if relink_at is not None and t >= relink_at:
                            stored = u.secret_at(t)
                            suspended_until = None
                            fails = 0
                        else:
                            continue
                    cur = u.secret_at(t)
                    net = r.choice(ips)
                    if stored == cur:
                        self.emit(t, u.account, net, ua, tok, "success", cur, "legit", "aggregator")
                        fails = 0
                    else:
                        self.emit(t, u.account, net, ua, tok, "wrong_secret", stored, "legit", "aggregator")
                        fails += 1
                        if fails >= r.choice([1, 2]):
                            suspended_until = 1
                            ch = [ct for ct, _ in u.secrets if ct <= t][-1]
                            relink_at = ch + r.uniform(0.5, 6) * DAY if r.random() < 0.7 else None

    # ------------------------------------------------------------------ attack infrastructure
    def jp_resi(self, r):
        k = self.home_tables[wpick(r, [(0, 50), (1, 15), (2, 25), (3, 10)])].pick(r)
        return r.choice(HOME_PFX[k]).rand_ip(r)

    def jp_mobile_proxy(self, r):
        k = self.carrier_table.pick(r)
        return r.choice(self.mobile_all[k])

    def hosting(self, r, jp_share):
        if r.random() < jp_share:
            pf = HOST_JP[r.choice(list(HOST_JP))]
        else:
            pf = HOST_FOREIGN[r.choice(list(HOST_FOREIGN))]
        return r.choice(pf).rand_ip(r)

    def foreign_resi(self, r, weights=None):
        cc = wpick(r, weights or [("US", 20), ("BR", 10), ("VN", 10), ("IN", 10), ("ID", 8), ("TH", 5), ("RU", 6),
                                  ("DE", 5), ("KR", 4), ("TW", 4), ("PH", 4), ("FR", 4), ("CN", 4), ("HK", 2)])
        tz, fixed, mobile = FOREIGN[cc]
        return r.choice(fixed + mobile).rand_ip(r)

    def tor_pool(self, r, n):
        return [r.choice(TOR).rand_ip(r) for _ in range(n)]

    def attacker_browser_uas(self, r, n, age_majors=(1, 20)):
        out = []
        for _ in range(n):
            M = chrome_major(self.start, r.randint(*age_majors) * 28 * DAY)
            x = r.random()
            if x < 0.6:
                out.append("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
                           "Chrome/%d.0.0.0 Safari/537.36" % M)
            elif x < 0.75:
                out.append("Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) "
                           "Chrome/%d.0.0.0 Safari/537.36" % M)
            elif x < 0.87:
                out.append("Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:%d.0) Gecko/20100101 Firefox/%d.0"
                           % (M + 3, M + 3))
            else:
                out.append("Mozilla/5.0 (iPhone; CPU iPhone OS 17_%d like Mac OS X) AppleWebKit/605.1.15 (KHTML, like "
                           "Gecko) Version/17.%d Mobile/15E148 Safari/604.1" % (r.randint(0, 6), r.randint(0, 6)))
        return out

    def copied_app_ua(self, r):
        plat = r.choice(["ios", "android"])
        rel = self.app_rel[plat][r.randint(0, 3)]
        if plat == "ios":
            return "%s/%s (%s; build:%d; iOS %s) Alamofire/5.9.1" % (APP_NAME, rel[1], APP_BUNDLE, rel[2],
                                                                    r.choice(["17.5.1", "18.1", "18.3.2"]))
        return "%s/%s (Android %d; %s) okhttp/4.12.0" % (APP_NAME, rel[1], r.choice([13, 14]), r.choice(
            ["SH-54D", "Pixel 7a", "SO-53C"]))

    def takeover(self, u, t, net, ua, dev, secret, scen, camp, r):
        self.emit(t, u.account, net, ua, dev, "success", secret, "attack", scen, True)
        self.stats_to.append((scen, u.account))
        if r.random() >= self.P["follow_p"]:
            return
        n = r.choice([1, 1, 1, 2, 2, 3])
        tok = camp.get("shared_token") or camp["tokgen"](r)
        tt = t
        for k in range(n):
            tt += lognorm_clamped(r, (3 if k == 0 else 10) * HOUR, 1.1, 0.5 * HOUR, 3 * DAY)
            if tt >= self.end:
                break
            cnet = camp["cashout"](r)
            cua = camp.get("cashout_ua") or ua
            cur = u.secret_at(tt)
            if cur == secret:
                self.emit(tt, u.account, cnet, cua, tok, "success", secret, "attack", scen, True)
            else:
                self.emit(tt, u.account, cnet, cua, tok, "wrong_secret", secret, "attack", scen, False)
                break

    def campaign_base(self, r, cashout_kind):
        if cashout_kind == "jp":
            pool = [self.jp_resi(r) if r.random() < 0.6 else self.hosting(r, 1.0) for _ in range(r.randint(3, 10))]
        elif cashout_kind == "mixed":
            pool = [self.jp_resi(r) if r.random() < 0.5 else self.hosting(r, 0.5) for _ in range(r.randint(3, 10))]
        else:
            pool = cashout_kind
        camp = {"cashout": (lambda rr, p=pool: rr.choice(p)), "tokgen": lambda rr: self.new_cookie(rr)}
        if r.random() < 0.3:
            camp["shared_token"] = self.new_cookie(r)
        return camp

    # ------------------------------------------------------------------ attacks
    def reverse_brute_force(self):
        r = self.R("rbf")
        n_camp = 2 if (r.random() < 0.3 and self.D >= 10) else 1
        pin_users = [u for u in self.users if u.kind == "pin"]
        self.params_log["rbf"] = []
        for c in range(n_camp):
            pins = []
            k = r.randint(3, 5)
            top = [p for p, w in POP_PINS[:8]]
            while len(pins) < k:
                p = wpick(r, [(x, w) for x, w in POP_PINS[:10]])
                if p not in pins:
                    pins.append(p)
            pins.sort(key=lambda p: top.index(p) if p in top else 99)
            n_t = max(20, int(r.randint(600, 2000) * self.su * min(1.0, self.sd) / n_camp ** 0.5))
            exist = r.uniform(0.25, 0.50)
            n_ex = min(len(pin_users), int(n_t * exist))
            targets = [u.account for u in r.sample(pin_users, n_ex)]
            while len(targets) < n_t:
                targets.append(self.make_phone_id(r))
            r.shuffle(targets)
            dur = r.uniform(3, 12) * HOUR
            t0 = self.start + r.uniform(0, self.D * DAY - dur)
            n_ip = max(20, int(r.randint(200, 900) * self.su))
            mob_share = r.uniform(0.1, 0.3)
            host_share = r.uniform(0.1, 0.25)
            pool = []
            for _ in range(n_ip):
                x = r.random()
                pool.append(self.jp_mobile_proxy(r) if x < mob_share else (
                    self.hosting(r, 0.6) if x < mob_share + host_share else self.jp_resi(r)))
            ua_mode = wpick(r, [("app", 45), ("mweb", 30), ("script", 25)])
            if ua_mode == "app":
                uas = [self.copied_app_ua(r)]
            elif ua_mode == "mweb":
                uas = self.attacker_browser_uas(r, r.randint(3, 8))
                uas = [x for x in uas if "iPhone" in x] or [
                    "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/%d.0.0.0 "
                    "Mobile Safari/537.36" % chrome_major(self.start, 60 * DAY)]
            else:
                uas = [r.choice(["okhttp/4.9.3", "okhttp/3.14.9", "Dalvik/2.1.0 (Linux; U; Android 11; SM-G991B "
                                                                 "Build/RP1A.200720.012)"])]
            dev_mode = wpick(r, [("none", 50), ("random", 35), ("fixed", 15)])
            fixed_tok = self.new_uuid(r, upper=True)
            order = "pin-major" if r.random() < 0.7 else "interleaved"
            sched = []
            if order == "pin-major":
                rd = dur / len(pins)
                for j, p in enumerate(pins):
                    tl = targets[:]
                    r.shuffle(tl)
                    for i, a in enumerate(tl):
                        sched.append((t0 + j * rd + (i + r.random()) / len(tl) * rd * 0.95, a, p))
            else:
                for a in targets:
                    ts = sorted(t0 + r.random() * dur for _ in pins)
                    for tt, p in zip(ts, pins):
                        sched.append((tt, a, p))
            sched.sort()
            camp = self.campaign_base(r, "jp")
            camp["cashout_ua"] = self.copied_app_ua(r)
            camp["tokgen"] = lambda rr: self.new_uuid(rr, upper=True)
            done = set()
            sticky = None
            left = 0
            for tt, a, p in sched:
                if a in done:
                    continue
                if left <= 0:
                    sticky = r.choice(pool)
                    left = r.randint(1, 5)
                left -= 1
                ua = r.choice(uas)
                dev = None if dev_mode == "none" else (fixed_tok if dev_mode == "fixed" else self.new_uuid(r, True))
                u = self.accounts.get(a)
                if u is None:
                    self.emit(tt, a, sticky, ua, dev, "unknown_account", p, "attack", "reverse-brute-force")
                elif u.secret_at(tt) == p:
                    done.add(a)
                    self.takeover(u, tt, sticky, ua, dev, p, "reverse-brute-force", camp, r)
                else:
                    self.emit(tt, a, sticky, ua, dev, "wrong_secret", p, "attack", "reverse-brute-force")
            self.params_log["rbf"].append(dict(pins=pins, targets=n_t, exist=round(exist, 2), hours=round(dur / HOUR, 1),
                                               ips=n_ip, ua=ua_mode, dev=dev_mode, order=order))

    def credential_stuffing(self):
        r = self.R("stuffing")
        n_camp = 2 if (r.random() < 0.4 and self.D >= 10) else 1
        pw_users = [u for u in self.users if u.kind == "pw"]
        email_users = [u for u in pw_users if "@" in u.account]
        self.params_log["stuffing"] = []
        for c in range(n_camp):
            L = max(30, int(r.randint(1500, 5000) * self.su * min(1.0, self.sd) / n_camp ** 0.5))
            m = r.uniform(0.15, 0.35)
            s = r.uniform(0.005, 0.02)
            reuse = min(0.9, s / m)
            n_match = min(len(pw_users), int(L * m))
            matched = r.sample(email_users, min(len(email_users), int(n_match * 0.9)))
            matched += r.sample(pw_users, n_match - len(matched))
            t0 = self.start + r.uniform(0, self.D * DAY - 12 * HOUR)
            lst = []
            for u in matched:
                if r.random() < reuse:
                    lst.append((u.account, "REUSE"))
                else:
                    x = r.random()
                    pw = (r.choice(LEAK_NONCOMPLIANT) if x < 0.15 else wpick(r, POP_PW) if x < 0.22 else
                          "leak/%d/%x" % (c, r.getrandbits(48)))
                    lst.append((u.account, pw))
            while len(lst) < L:
                e = self.make_email(r)
                x = r.random()
                pw = (r.choice(LEAK_NONCOMPLIANT) if x < 0.15 else wpick(r, POP_PW) if x < 0.22 else
                      "leak/%d/%x" % (c, r.getrandbits(48)))
                lst.append((e, pw))
            r.shuffle(lst)
            n_ip = max(20, int(r.randint(200, 800) * self.su))
            host = r.uniform(0.2, 0.4)
            jp = r.uniform(0.0, 0.15)
            pool = [self.hosting(r, 0.25) if r.random() < host else (self.jp_resi(r) if r.random() < jp
                                                                       else self.foreign_resi(r)) for _ in range(n_ip)]
            ua_mode = wpick(r, [("rotate", 45), ("single", 20), ("script", 15), ("app", 20)])
            if ua_mode == "rotate":
                uas = self.attacker_browser_uas(r, r.randint(8, 30))
            elif ua_mode == "single":
                uas = self.attacker_browser_uas(r, 1)
            elif ua_mode == "script":
                uas = [r.choice(["python-requests/2.31.0", "python-requests/2.32.3", "Go-http-client/2.0",
                                 "axios/1.6.8", "curl/8.5.0"])]
            else:
                uas = [self.copied_app_ua(r)]
            nodev = r.uniform(0.85, 1.0)
            workers = r.randint(5, 40)
            gap = r.uniform(2, 60)
            dur = L / workers * gap
            if dur < 20 * MIN:
                gap *= 20 * MIN / dur
            if dur > 12 * HOUR:
                gap *= 12 * HOUR / dur
            waves = r.choice([1, 1, 2, 3])
            chunks = [lst[i::waves] for i in range(waves)]
            camp = self.campaign_base(r, "mixed" if r.random() < 0.5 else "jp")
            camp["cashout_ua"] = self.attacker_browser_uas(r, 1, (0, 2))[0]
            ok = 0
            for w, chunk in enumerate(chunks):
                tw = t0 + w * r.uniform(0.5, 2.5) * DAY
                for wk in range(workers):
                    t = tw + r.uniform(0, gap * 3)
                    left = 0
                    ip = None
                    for a, pw in chunk[wk::workers]:
                        if left <= 0:
                            ip = r.choice(pool)
                            left = r.randint(2, 12)
                            t += r.uniform(0, 4 * gap)
                        left -= 1
                        t += r.expovariate(1 / gap)
                        ua = r.choice(uas)
                        dev = None if r.random() < nodev else self.new_cookie(r)
                        u = self.accounts.get(a)
                        if u is None:
                            self.emit(t, a, ip, ua, dev, "unknown_account", pw if pw != "REUSE" else "x", "attack",
                                      "credential-stuffing")
                            continue
                        sec = u.secret_at(t)
                        if pw == "REUSE":
                            pw = u.secret_at(t0 - 30 * DAY)
                        if pw == sec:
                            ok += 1
                            self.takeover(u, t, ip, ua, dev, sec, "credential-stuffing", camp, r)
                        else:
                            self.emit(t, a, ip, ua, dev, "wrong_secret", pw, "attack", "credential-stuffing")
            self.params_log["stuffing"].append(dict(list=L, match=round(m, 2), reuse=round(reuse, 3), ips=n_ip,
                                                    ua=ua_mode, workers=workers, gap=round(gap, 1), waves=waves))

    def password_spray(self):
        r = self.R("spray")
        pw_users = [u for u in self.users if u.kind == "pw"]
        T = max(20, int(r.randint(600, 2000) * self.su * min(1.0, self.sd)))
        real = r.uniform(0.85, 0.95)
        tg = [u.account for u in r.sample(pw_users, min(len(pw_users), int(T * real)))]
        while len(tg) < T:
            tg.append(self.make_email(r))
        k = r.randint(3, 4)
        top = [p for p, w in POP_PW[:8]]
        pws = []
        while len(pws) < k:
            p = r.choice(top)
            if p not in pws:
                pws.append(p)
        n_ip = max(30, int(r.randint(300, 1500) * self.su))
        tor = r.uniform(0.2, 0.4)
        vps = r.uniform(0.3, 0.5)
        pool = []
        torp = self.tor_pool(r, max(10, int(90 * self.su)))
        for _ in range(n_ip):
            x = r.random()
            pool.append(r.choice(torp) if x < tor else (self.hosting(r, 0.15) if x < tor + vps else
                                                        (self.foreign_resi(r) if r.random() < 0.7 else self.jp_resi(r))))
        uas = self.attacker_browser_uas(r, r.randint(1, 3), (2, 30))
        work = r.random() < 0.6
        work_start = r.uniform(0, 24)
        phase = self.D * DAY / k
        sched = []
        for j, p in enumerate(pws):
            for a in tg:
                if r.random() < 0.03:
                    continue
                while True:
                    tt = self.start + j * phase + r.uniform(0.02, 1.0) * phase
                    if not work or ((tt / HOUR - work_start) % 24) < 9:
                        break
                sched.append((tt, a, p))
                if r.random() < 0.02:  # a retry after a timeout
                    sched.append((tt + r.uniform(30, 600), a, p))
        sched.sort()
        camp = self.campaign_base(r, [r.choice(torp) if r.random() < 0.3 else self.hosting(r, 0.3)
                                      for _ in range(r.randint(4, 12))])
        camp["cashout_ua"] = uas[0]
        done = set()
        for tt, a, p in sched:
            if a in done:
                continue
            ip = r.choice(pool)
            ua = r.choice(uas)
            u = self.accounts.get(a)
            if u is None:
                self.emit(tt, a, ip, ua, None, "unknown_account", p, "attack", "password-spray")
            elif u.secret_at(tt) == p:
                done.add(a)
                self.takeover(u, tt, ip, ua, None, p, "password-spray", camp, r)
            else:
                self.emit(tt, a, ip, ua, None, "wrong_secret", p, "attack", "password-spray")
        self.params_log["spray"] = dict(targets=T, real=round(real, 2), pws=pws, ips=n_ip, tor=round(tor, 2),
                                        vps=round(vps, 2), uas=len(uas), workhours=work)

    def phishing(self):
        r = self.R("phishing")
        act = [u for u in self.users if u.lam > 0.1]
        V = max(2, int(r.randint(12, 40) * self.su * self.sd))
        copy_p = r.uniform(0.2, 0.45)
        cash_ips = [self.hosting(r, 0.6) if r.random() < 0.5 else self.jp_resi(r) for _ in range(r.randint(3, 8))]
        camp = self.campaign_base(r, cash_ips)
        camp["tokgen"] = lambda rr: self.new_cookie(rr)
        camp.pop("shared_token", None)
        for u in r.sample(act, min(V, len(act))):
            tp = self.start + r.uniform(0, self.D * DAY - 2 * HOUR)
            h = int(((tp + 9 * HOUR) % DAY) // HOUR)
            if h < 7:
                tp += (8 - h) * HOUR  # smishing is read while awake
            sec = u.secret_at(tp)
            if r.random() < 0.35:
                tl = tp + r.uniform(30, 300)
            else:
                tl = tp + lognorm_clamped(r, 40 * MIN, 1.2, 2 * MIN, 12 * HOUR)
            x = r.random()
            if x < 0.35:
                net = self.foreign_resi(r, [("CN", 35), ("HK", 15), ("VN", 15), ("TW", 10), ("US", 15), ("KR", 10)]) \
                    if r.random() < 0.6 else self.hosting(r, 0.0)
            elif x < 0.7:
                net = self.hosting(r, 1.0)
            else:
                net = self.jp_resi(r) if r.random() < 0.75 else self.jp_mobile_proxy(r)
            ph = self.phone_of(u) or u.devices[0][0]
            if r.random() < copy_p:
                ua = self.ua(ph, tp)
            else:
                ua = r.choice(self.attacker_browser_uas(r, 3, (0, 3)))
            dev = None if r.random() < 0.5 else (self.new_uuid(r, True) if APP_NAME in ua else self.new_cookie(r))
            if r.random() < 0.10:
                wrong = self.typo_secret(u, sec, r)
                for _ in range(r.randint(1, 3)):
                    self.emit(tl, u.account, net, ua, dev, "wrong_secret", wrong, "attack", "phishing")
                    tl += r.uniform(20, 300)
                continue
            c2 = dict(camp)
            if dev:
                c2["shared_token"] = dev
            if u.secret_at(tl) == sec:
                self.takeover(u, tl, net, ua, dev, sec, "phishing", c2, r)
            else:
                self.emit(tl, u.account, net, ua, dev, "wrong_secret", sec, "attack", "phishing")
        self.params_log["phishing"] = dict(victims=V, copy_ua=round(copy_p, 2))

    def brute_force(self):
        r = self.R("bruteforce")
        B = max(1, int(round(r.randint(2, 6) * self.su * min(1.0, self.sd))))
        order = [p for p, w in sorted(POP_PINS, key=lambda x: -x[1])]
        for m in range(1, 13):
            for d in range(1, 32):
                order.append("%02d%02d" % (m, d))
        for y in range(1950, 2011):
            order.append("%04d" % y)
        seen = set()
        pin_order = []
        for p in order + ["%04d" % i for i in range(10000)]:
            if p not in seen:
                seen.add(p)
                pin_order.append(p)
        pw_dict = [p for p, w in sorted(POP_PW, key=lambda x: -x[1])] + LEAK_NONCOMPLIANT
        pin_users = [u for u in self.users if u.kind == "pin"]
        pw_users = [u for u in self.users if u.kind == "pw"]
        log = []
        for b in range(B):
            u = r.choice(pin_users) if r.random() < 0.7 else r.choice(pw_users)
            n = r.randint(50, 600)
            x = r.random()
            if x < 0.4:
                ips = [self.hosting(r, 0.5) for _ in range(r.randint(1, 3))]
            elif x < 0.8:
                ips = [self.jp_resi(r) for _ in range(r.randint(1, 3))]
            else:
                ips = [self.foreign_resi(r) for _ in range(r.randint(1, 2))]
            ua = r.choice(self.attacker_browser_uas(r, 2) + [self.copied_app_ua(r), "python-requests/2.31.0"])
            dev = None if r.random() < 0.7 else self.new_cookie(r)
            t = self.start + r.uniform(0, self.D * DAY - 6 * HOUR)
            if u.kind == "pin":
                guesses = pin_order[:n]
            else:
                guesses = pw_dict + ["dict/%d/%d" % (b, i) for i in range(n)]
                guesses = guesses[:n]
            camp = self.campaign_base(r, ips)
            gap = r.uniform(2, 30)
            succ = False
            for i, g in enumerate(guesses):
                t += r.expovariate(1 / gap)
                if i and i % r.randint(20, 50) == 0:
                    t += r.uniform(5, 30) * MIN
                if u.secret_at(t) == g:
                    self.takeover(u, t, r.choice(ips), ua, dev, g, "brute-force", camp, r)
                    succ = True
                    break
                self.emit(t, u.account, r.choice(ips), ua, dev, "wrong_secret", g, "attack", "brute-force")
            log.append((u.kind, n, succ))
        self.params_log["bruteforce"] = log

    def infostealer(self):
        r = self.R("infostealer")
        cands = []
        for u in self.users:
            for d, w in u.devices:
                if d.kind == "desktop" and d.plat == "win" and d.mode != "private" and u.lam > 0:
                    cands.append((u, d))
        I = max(1, int(r.randint(6, 20) * self.su * self.sd))
        cash = [self.jp_resi(r) if r.random() < 0.6 else self.hosting(r, 1.0) for _ in range(r.randint(3, 8))]
        for u, d in r.sample(cands, min(I, len(cands))):
            tth = self.start + r.uniform(-3, self.D - 1) * DAY
            tok = d.token_at(tth)
            if tok is None:
                continue
            sec = u.secret_at(tth)
            ua = self.ua(d, tth)
            tr = tth + lognorm_clamped(r, 1.5 * DAY, 1.0, 2 * HOUR, 5 * DAY)
            if tr < self.start:
                tr = self.start + r.uniform(0, 2) * DAY
            if r.random() > 0.8:  # anti-detect browser's own, current Chrome instead of the victim's exact UA
                ua = ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
                      "Chrome/%d.0.0.0 Safari/537.36" % chrome_major(tr, 2 * DAY))
            x = r.random()
            net = self.jp_resi(r) if x < 0.6 else (self.hosting(r, 1.0) if x < 0.9 else self.jp_mobile_proxy(r))
            camp = {"cashout": (lambda rr, p=[net] + cash: rr.choice(p)), "tokgen": lambda rr: tok,
                    "shared_token": tok, "cashout_ua": ua}
            if u.secret_at(tr) == sec:
                self.takeover(u, tr, net, ua, tok, sec, "infostealer-session", camp, r)
            else:
                self.emit(tr, u.account, net, ua, tok, "wrong_secret", sec, "attack", "infostealer-session")
        self.params_log["infostealer"] = dict(victims=I)

    # ------------------------------------------------------------------
    def run(self):
        check_prefixes()
        self.params_log = {}
        self.stats_to = []
        self.build_releases()
        self.build_networks()
        self.build_users()
        self.hour_tables()
        r = self.R("legit")
        for u in self.users:
            if u.lam > 0:
                self.legit_user(u, r)
        self.aggregators()
        self.reverse_brute_force()
        self.credential_stuffing()
        self.password_spray()
        self.phishing()
        self.brute_force()
        self.infostealer()

    def write(self, path):
        self.events.sort(key=lambda e: (e[0], e[1]))
        with open(path, "w", encoding="utf-8", newline="\n") as f:
            for e in self.events:
                ms, _, acct, ip, ua, dev, outc, sfp, asn, cc, label, scen, to = e
                sec, msr = divmod(ms, 1000)
                ts = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(sec)) + ".%03dZ" % msr
                o = {"ts": ts, "account": acct, "ip": ip, "user_agent": ua}
                if dev:
                    o["device"] = dev
                o["outcome"] = outc
                o["secret_fp"] = sfp
                o["asn"] = asn
                o["country"] = cc
                o["label"] = label
                o["scenario"] = scen
                o["takeover"] = to
                f.write(json.dumps(o, ensure_ascii=False, separators=(",", ":")) + "\n")
        p = dict((k, (round(v, 3) if isinstance(v, float) else v)) for k, v in self.P.items())
        sys.stderr.write("seed=%d start=%s users=%d days=%d params=%s attacks=%s\n" % (
            self.seed, self.start_date.isoformat(), self.N, self.D, json.dumps(p), json.dumps(self.params_log)))


def main():
    ap = argparse.ArgumentParser(description="Synthetic Japanese wallet login traffic (Mamori JSONL)")
    ap.add_argument("seed", type=int)
    ap.add_argument("out")
    ap.add_argument("--users", type=int, default=20000)
    ap.add_argument("--days", type=int, default=14)
    a = ap.parse_args()
    if a.users < 50 or a.days < 2:
        ap.error("need --users >= 50 and --days >= 2")
    g = Gen(a.seed, a.users, a.days)
    g.run()
    g.write(a.out)


if __name__ == "__main__":
    main()
