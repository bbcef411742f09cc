#!/usr/bin/env python3
"""
generate.py - an independent synthetic login log for a hosted online/mobile banking
platform serving 12 US credit unions and community banks ("tenants").

    python3 generate.py SEED OUT.jsonl [--users N] [--days D]

Writes Mamori JSONL (docs/log-formats.md), one login attempt per line, sorted by ts,
with ground truth (label, scenario, takeover).  Python 3 standard library only;
deterministic for a seed (every random stream is a string-seeded random.Random; no
set iteration, no hash()).  Defaults: 30,000 members, 14 days.

METHODS - every modelling assumption, so a reader can disagree with it
=======================================================================

Calendar
  * Window starts Monday 2025-11-24 00:00 US Eastern (05:00Z) and runs D days.  It contains
    Thanksgiving (Thu 27 Nov), Black Friday, Cyber Monday (1 Dec, also the 1st of the month)
    and two Social Security payment days: Wed 26 Nov (4th-Wednesday birthday group) and
    Wed 3 Dec (people on benefits before May 1997); SSI for December is paid Mon 1 Dec.
    All of these are computed from the calendar, so other --days still work.
  * The whole window is after the end of US daylight time (2 Nov), so fixed standard
    offsets are used: ET -5, CT -6, MT/Arizona -7, PT -8, Alaska -9, Hawaii -10.
  * Day factors (multiply a person's daily login rate): Mon 1.12, Tue 1.05, Wed 1.00,
    Thu 0.98, Fri 1.05, Sat 0.82, Sun 0.80; Thanksgiving 0.60, Black Friday 1.08, the
    Saturday after 0.92, Cyber Monday 1.12; 1st of month 1.08 (rent, bills).
    Personal: payday x1.30 and the day before x1.15 (credit unions post direct deposits
    a day early); Social Security day x1.70 (and x1.20 the day after) for the ~85 % of
    members 66+ (40 % of 62-65) who draw benefits; SSI day x1.5 for a few.
    Pay schedules: biweekly Fridays (two phases) 55 %, semi-monthly (15th/last business
    day) 25 %, weekly 10 %, monthly 10 %.
  * Local hour-of-day profiles by age band (young: evening peak and late night; middle:
    morning, lunch and evening; 65+: 8-11 am peak, little after 9 pm), weekend mornings
    shifted later.

Tenants and members
  * 12 tenants; shares of members: cu-riverbend (OH) 40 %, cu-cascade (WA) 14 %,
    fcu-lonestar (TX) 11 %, cb-prairie (KS) 8 %, cu-tidewater (VA, Navy-heavy) 7 %,
    cu-desertsun (AZ, retirees) 6 %, cu-bluegrass (KY) 4.5 %, cb-harborview (ME) 3 %,
    cu-sierra-teachers (CA) 2.7 %, cu-aloha (HI) 1.8 %, cu-kodiak (AK) 1.2 %,
    cu-magnolia (MS) 0.8 % (~240 members).
  * Login ids: fcu-lonestar (8 digits), cb-prairie (7 digits) and cu-magnolia (6 digits) log
    in with member numbers, assigned in joining order (older members lower numbers) with
    ~45 % of numbers in a range not enrolled in online banking (closed, never enrolled) and
    so answering unknown_account.  The others use self-chosen usernames built from common
    US first/last names (jsmith, mary.jones, jsmith72, nicknames...), so the same username
    exists at several tenants as different people.
  * Ages skew old as credit-union membership does (18-29 17 %, 30-44 25 %, 45-59 25 %,
    60-74 22 %, 75-94 11 %), tenant-shifted (desertsun older, tidewater younger).
  * 90-93 % of a tenant's members live in its state; the rest anywhere in the US
    (population-weighted); tidewater has military members all over and 22 % of its
    service members (~35 % of its members) stationed in Germany, Japan or Korea.
  * Activity is heavy-tailed: 14 % dormant (0.01-0.05 logins/day, i.e. about monthly); the
    rest lognormal(median 0.26/day, sigma 1.0) capped at 5/day; x1.25 under 35,
    x0.75 65+, x0.55 80+.  A Poisson number of sessions per local day.
  * Devices: 92 % of 80+ and everyone younger has a smartphone; iPhone 65 % (<35) to
    50 % (65+).  The app is used by 92 % (<30), 85 % (30-44), 65 % (45-59), 40 % (60-74),
    15 % (75+) of phone owners; app users still use the web for 10-30 % of sessions.
    Desktop/laptop browser owned by 55 % (<35) to 90 % (65+); older members use Chrome/Edge
    on Windows, iPads (which send a Mac Safari user agent), a few Windows 7 with Chrome 109.
  * User agents are current for late 2025 and change in the window as browsers update
    (Chrome 143 on 2 Dec, Edge 143 on 5 Dec, Safari 26.2 / iOS 26.2 on 12 Dec, the
    platform's app 25.12.0 on 3 Dec), each client updating after an exponential lag and
    ~6 % never updating.  iOS 26 Safari reports a frozen "iPhone OS 18_6" token.
    Each tenant has a white-label app ("RiverbendCU/25.11.2 (...; iOS 26.1) Alamofire",
    "PrairieBank/25.11.2 (Android 15; SM-S921U; ...) okhttp/4.12.0").

Device token (`device`)
  * The app always sends its install id (a UUID; iOS upper case).  A reinstall (1.5 % of
    app users) or a new phone gives a new id.  New phones: 3 % of phone owners at a random
    time plus 3.5 % bought Black Friday - Cyber Monday and set up 0-6 days later.
  * The web's token is a long-lived cookie set by the first login response in a browser;
    the first attempt from a fresh browser carries none, later ones carry it.  15 % of
    browsers start the window without it, 1.5 % of sessions follow a cookie clear, 4 % of
    people browse privately (a cookie lives one session), 1.2 % get a new computer
    (Black Friday laptops).  Aggregators send no token.

Networks (ASNs are real; address ranges are plausible per ASN and kept consistent: each
(ASN, state) gets its own fixed /20s (IPv4) and /40s (IPv6))
  * Home broadband by state (Comcast 7922, Charter/Spectrum 20115 and its legacy ASNs 10796
    (OH/KY), 11427 (TX), 33363 (FL), AT&T 7018, Verizon Fios 701, Cox 22773, Frontier 5650,
    Lumen 209, Altice 6128, Cable One 11492, Ziply 20055, altafiber 6181, Windstream 7029,
    Google Fiber 16591, GCI 8047 (AK), Hawaiian Telcom 36149, Starlink 14593 rural) and
    5G fixed wireless (T-Mobile 21928, Verizon 6167) behind CGNAT.  A household keeps its
    IPv4 (4 % get a new lease in the window); dual-stack households (Comcast 85 %, Charter
    70 %, AT&T 65 %, Cox 60 %...) reach the platform over IPv6 for 55-90 % of logins, with a
    stable /64 and a privacy interface id that changes daily per device.
  * Phones off Wi-Fi use their carrier (Verizon Wireless 6167 37 %, T-Mobile 21928 33 %,
    AT&T Mobility 20057 30 %; GCI in Alaska): IPv6 (T-Mobile 90 %, Verizon 80 %, AT&T 75 %)
    with a new /64 per session, else a CGNAT address from a 128-address regional pool that
    thousands of subscribers share.  Phones are on home Wi-Fi 75 % of evenings/nights,
    35-65 % of daytimes.
  * iCloud Private Relay: 20 % of iPhone owners; only Safari traffic (mobile Safari, Mac
    Safari, iPad), not the app.  Egress from Akamai 36183 or Cloudflare 13335 regional pools
    shared by many users, country US, a different address nearly every session.
  * Work: 72 % of 22-66 year-olds work and 60 % of those at a computer (half of them also
    bank from the work browser, its own cookie); web logins on weekday work hours come from the office (Lumen 3356, Cogent 174, Zayo 6461, or a business line
    from the local ISP) or through Zscaler (62044); some military members from DoD (721).
    Phones at work: 30 % office guest Wi-Fi.
  * Travel: Thanksgiving trips for 10-22 % of households (depart Tue-Thu, back Sat-Mon;
    45 % in-state, else another state; relatives' Wi-Fi or own carrier there); 3 % of
    workers take a 2-4 night business trip (hotel Wi-Fi); 1.3 % of people are abroad for
    6-20 days (Mexico, Canada, UK/France/Spain/Italy/Germany, Philippines, India) using
    local Wi-Fi, and either home-routed roaming (the phone keeps a US carrier address,
    70 %) or a local SIM; snowbirds (7 % of 65+ households of northern tenants) move to a
    Florida/Arizona home with its own ISP during or before the window.
  * Military stationed abroad log in at local times from local ISPs (Deutsche Telekom,
    Vodafone DE, NTT, KDDI, SoftBank, KT, SK Broadband, LG U+), with local SIMs (Docomo,
    SK Telecom...) or US T-Mobile roaming.

Passwords and fingerprints
  * secret_fp = first 16 hex of HMAC-SHA256(platform key, password): equal passwords
    give equal fingerprints across accounts and tenants; each wrong password has its own.
  * The platform enforces 8+ characters with upper/lower/digit.  7 % of members (9 % under
    30, 6 % 60+) use one of ~110 policy-compliant popular passwords ("Password1",
    "Welcome1", "Fall2025!", ...) with Zipf(1.0) popularity; the rest have unique ones.
  * The app's biometric login (75 % of app users) replays the stored password, so it is
    logged with the password's fingerprint; browsers with a saved password (55 %) do too.
    A stored password goes stale after a change and fails once before the person types.
  * Typed logins start with a typo (caps lock, dropped/doubled/swapped character, wrong
    neighbouring key; 20 % of those typo twice) in 7 % (browser, +5 % for 65+) / 4 % (app
    without biometrics) of sessions, 12 % on a new phone; 0.6 % of typed web sessions first
    mistype the username (unknown_account).
  * 2.5 % of people (+3 % for 65+, +4 % for those logging in less than every ~12 days)
    forget their password once in the window: 1-4 wrong tries (an old password, variants),
    a reset, then a new password (60 % brand new, 40 % a variant of the old one).  0.5 % of 70+ members lock
    themselves out (7-11 tries), call the credit union and reset the next morning.
  * Operator lockout: 6 consecutive wrong passwords lock an account for 30 minutes (then
    every attempt, right or wrong, is "locked"); a success or a reset clears the count.
    Unknown accounts never lock.  Legitimate attempts locked because of an attack are
    re-labelled scenario "locked-out-by-attack".
  * The password-reset flow itself (e-mail/SMS link) is not a login and is not logged.

Sharing, care-giving, aggregators
  * 6 % of accounts (holder 28-80) are shared by a spouse with their own phone, the
    same home network and often the same home computer.  12 % of 78+ holders have a
    care-giving adult child (70 % in another state) logging in 1-3 times a week from
    their own devices and network; those holders log in less.
  * 4.5 % of members link an aggregator that logs in with their stored credentials from
    its cloud (LedgerBridge on AWS 16509, Moneyweave on Azure 8075, Fintally on Google
    Cloud 396982; own UA, no device token) once a day in a nightly batch (25 % twice) plus
    on-demand refreshes when the member opens the budgeting app; after a password change
    it keeps failing with the old password (stops after 3 failures) until the member
    relinks.  1.5 % link a tax/budgeting app that logs in weekly.

Attacks (label "attack", scenario name; takeover true on every attacker success)
  * stuffing-burst: ~2,200 attempts in ~3.2 h in the small hours after Cyber Monday
    (Tue 03:07-06:30 ET) against cu-riverbend, a combolist from another breach, one residential-proxy exit per attempt
    (US ISPs incl. some mobile), stale browser UAs, no cookie: ~72 % unknown usernames,
    ~26.5 % existing usernames with another password, ~1.5 % reused passwords that work.
    40 % of hits are used again 1-5 days later by the buyer (geo-matched proxy, own browser).
  * stuffing-slow: ~1,400 attempts spread over the whole window across all tenants (member
    number tenants only ever get unknown_account), ~1.2 % hits.
  * spraying: ~600 target logins (75 % valid) across all tenants; six rounds of one popular
    password each over 7-11 h (at most two a day per account): Password1, Welcome1,
    Password123 on days 3-4 from 12 hosting addresses (OVH, M247, Hetzner, DigitalOcean)
    with one UA, then Fall2025!, Summer2025, Qwerty123 on days 9-11 from residential proxies
    with rotating UAs; accounts that hit are dropped and half of them are used again later.
  * aitm-phishing: three waves of an Evilginx-style kit on US VPSs (DigitalOcean 14061,
    Vultr 20473, Linode 63949) against three tenants; each victim's own browser UA (their
    phone browser for SMS lures, 70 %), no device token, typo 12 %; 80 % are then used
    0.5-36 h later from the fraudster's own browser (a few reused machines whose cookie
    appears across victims, or anti-detect profiles) via geo-matched residential proxies,
    the VPS or a VPN (M247 9009, Datacamp 60068).
  * sim-swap: ~18 app users; the attacker's new phone on the victim's carrier (CGNAT/IPv6
    in a random region), app UA, new install id; sometimes a failed guess, then a reset by
    SMS OTP and the attacker's password; 1-3 more logins within hours.  The victim's app
    then fails with the old password; the victim calls the credit union and resets
    (legit, scenario "sim-swap-victim"); until then the victim's phone has no cellular
    service and logs in over home Wi-Fi only.
  * elder-remote-access: ~6 members 72+ talked through a remote-access ("refund") scam on
    their own computer: same cookie, same home address, their UA, their password, weekday
    daytime, 1-3 sessions over a few days.  Not expected to be detectable.
  * brute-force: 4 "high-balance" members (balances are not modelled: chosen aged 50-78), 1-2 attacker addresses (a VPS and a
    VPN), dictionary in cycles of 6 guesses + 1-3 retries that hit the lock, 31-45 min
    pauses, for 14-22 h over two nights; one victim's password is in the dictionary.
  * enumeration: a bot walking ~1,300 consecutive cb-prairie member numbers overnight with
    one common password, pretending to be an old Android app build with a fresh install
    id per request, first from two Vultr addresses then from residential proxies.
  * Volumes scale with --users; every scenario keeps at least a minimum size, and every
    tenant at least 30 members.  Attack times are placed at fixed fractions of the window.

Output fields: ts, account, ip, user_agent, device (omitted when none), outcome, secret_fp,
asn, country, tenant, label, scenario, takeover (always present).
"""

import argparse
import bisect
import datetime as dt
import hashlib
import hmac
import heapq
import ipaddress
import json
import math
import random
import sys

MS_S, MS_M, MS_H, MS_D = 1000, 60000, 3600000, 86400000
UTC = dt.timezone.utc


def ms_of(y, m, d, h=0, mi=0):
    return int(dt.datetime(y, m, d, h, mi, tzinfo=UTC).timestamp() * 1000)


START_DATE = dt.date(2025, 11, 24)          # a Monday
T0 = ms_of(2025, 11, 24, 5)                 # 00:00 US Eastern (EST)
DAYS = 14
TEND = T0 + DAYS * MS_D

# ----------------------------------------------------------------------------------------
# Networks
# ----------------------------------------------------------------------------------------
# asn: (country, name, IPv4 prefixes, IPv6 prefixes)
ASNS = {
    # US fixed broadband
    7922: ("US", "Comcast", ["73.0.0.0/8", "98.192.0.0/10", "71.192.0.0/12", "67.160.0.0/11", "24.0.0.0/12", "76.96.0.0/11"], ["2601::/20"]),
    20115: ("US", "Charter Spectrum", ["71.80.0.0/13", "75.128.0.0/11", "24.176.0.0/12", "66.188.0.0/14"], ["2600:6c00::/24"]),
    10796: ("US", "Charter (TWC Midwest)", ["65.24.0.0/13", "74.128.0.0/12", "184.56.0.0/13"], ["2603:6000::/24"]),
    11427: ("US", "Charter (TWC Texas)", ["70.112.0.0/13", "24.160.0.0/13", "72.176.0.0/12"], ["2603:8000::/24"]),
    33363: ("US", "Charter (BHN Florida)", ["97.96.0.0/11", "72.184.0.0/13"], ["2603:9000::/24"]),
    7018: ("US", "AT&T Internet", ["99.0.0.0/10", "108.192.0.0/10", "76.192.0.0/10", "107.128.0.0/12"], ["2600:1700::/28"]),
    701: ("US", "Verizon Fios", ["72.64.0.0/11", "173.48.0.0/12", "96.224.0.0/11", "71.160.0.0/11"], ["2600:4040::/26"]),
    22773: ("US", "Cox", ["68.0.0.0/11", "70.160.0.0/11", "72.192.0.0/11", "98.160.0.0/11"], ["2600:8800::/28"]),
    5650: ("US", "Frontier", ["47.128.0.0/10", "50.32.0.0/12", "74.32.0.0/12"], ["2600:4c00::/26"]),
    209: ("US", "Lumen / Quantum Fiber", ["67.0.0.0/12", "71.208.0.0/12", "97.112.0.0/12", "174.16.0.0/12"], ["2602::/24"]),
    6128: ("US", "Altice Optimum", ["24.184.0.0/13", "67.80.0.0/13", "69.112.0.0/13"], []),
    11492: ("US", "Cable One / Sparklight", ["24.116.0.0/14", "173.80.0.0/14"], []),
    20055: ("US", "Ziply Fiber", ["50.46.0.0/15", "50.52.0.0/14"], []),
    6181: ("US", "altafiber", ["74.83.0.0/16", "216.68.0.0/16"], []),
    7029: ("US", "Windstream", ["75.88.0.0/14", "98.16.0.0/13"], []),
    16591: ("US", "Google Fiber", ["136.32.0.0/11"], ["2605:a601::/32"]),
    8047: ("US", "GCI", ["24.237.0.0/16", "209.193.0.0/16", "66.223.128.0/17"], []),
    36149: ("US", "Hawaiian Telcom", ["72.234.0.0/15", "66.8.128.0/17"], []),
    14593: ("US", "Starlink", ["98.97.0.0/16", "129.222.0.0/16", "143.105.0.0/16"], ["2605:59c8::/31"]),
    # US mobile
    21928: ("US", "T-Mobile USA", ["172.32.0.0/11"], ["2607:fb90::/28"]),
    6167: ("US", "Verizon Wireless", ["174.192.0.0/10"], ["2600:1000::/28"]),
    20057: ("US", "AT&T Mobility", ["107.64.0.0/10", "166.128.0.0/11"], ["2600:380::/28"]),
    # offices, enterprise
    3356: ("US", "Lumen (Level 3)", ["4.0.0.0/9"], []),
    174: ("US", "Cogent", ["38.0.0.0/10"], []),
    6461: ("US", "Zayo", ["64.125.0.0/16", "208.184.0.0/15"], []),
    62044: ("US", "Zscaler", ["165.225.0.0/17", "136.226.0.0/16"], []),
    721: ("US", "DoD Network Information Center", ["214.0.0.0/8"], []),
    # cloud (aggregators)
    16509: ("US", "Amazon AWS", ["3.208.0.0/12", "34.192.0.0/10", "52.0.0.0/11", "54.80.0.0/12"], []),
    8075: ("US", "Microsoft Azure", ["20.36.0.0/14", "40.64.0.0/10", "52.224.0.0/11"], []),
    396982: ("US", "Google Cloud", ["34.64.0.0/10", "35.184.0.0/13"], []),
    # hosting / VPS / VPN
    14061: ("US", "DigitalOcean", ["159.203.0.0/16", "167.99.0.0/16", "164.90.0.0/16", "137.184.0.0/16"], ["2604:a880::/32"]),
    20473: ("US", "Vultr", ["45.76.0.0/15", "149.28.0.0/16", "155.138.128.0/17"], ["2001:19f0::/32"]),
    63949: ("US", "Linode (Akamai)", ["45.79.0.0/16", "172.104.0.0/15", "50.116.0.0/18"], ["2600:3c00::/28"]),
    16276: ("US", "OVH US", ["51.81.0.0/16", "135.148.0.0/16"], []),
    9009: ("US", "M247", ["146.70.0.0/16", "37.120.128.0/17"], []),
    60068: ("US", "Datacamp", ["89.187.160.0/19", "143.244.32.0/19"], []),
    24940: ("US", "Hetzner (US)", ["5.161.0.0/16", "5.78.0.0/16"], []),
    # iCloud Private Relay egress
    36183: ("US", "Akamai (Private Relay)", ["172.224.0.0/12"], ["2a02:26f7::/32"]),
    13335: ("US", "Cloudflare (Private Relay)", ["104.28.0.0/16"], ["2a09:bac0::/29"]),
    # abroad
    8151: ("MX", "Telmex", ["187.128.0.0/11", "189.128.0.0/11"], []),
    13999: ("MX", "Megacable", ["177.224.0.0/12"], []),
    22884: ("MX", "Totalplay", ["187.188.0.0/14"], []),
    28403: ("MX", "Telcel", ["200.68.128.0/17", "189.203.0.0/16"], []),
    812: ("CA", "Rogers", ["99.224.0.0/11", "174.112.0.0/12"], []),
    577: ("CA", "Bell Canada", ["70.48.0.0/13", "142.112.0.0/12"], []),
    852: ("CA", "Telus", ["154.5.0.0/16", "96.48.0.0/12"], []),
    2856: ("GB", "BT", ["86.128.0.0/10", "81.128.0.0/11"], []),
    5089: ("GB", "Virgin Media", ["86.0.0.0/11", "82.0.0.0/11"], []),
    12576: ("GB", "EE", ["31.94.0.0/16"], []),
    3215: ("FR", "Orange", ["90.0.0.0/9"], []),
    12322: ("FR", "Free", ["78.192.0.0/10", "82.64.0.0/14"], []),
    3352: ("ES", "Telefonica de Espana", ["83.32.0.0/11", "88.0.0.0/11"], []),
    3269: ("IT", "TIM", ["79.0.0.0/11", "87.0.0.0/12"], []),
    30722: ("IT", "Vodafone Italia", ["2.32.0.0/11"], []),
    3320: ("DE", "Deutsche Telekom", ["79.192.0.0/10", "87.128.0.0/10", "80.187.0.0/16"], []),
    3209: ("DE", "Vodafone Germany", ["88.64.0.0/12", "94.134.0.0/15"], []),
    9299: ("PH", "PLDT", ["122.52.0.0/14", "112.208.0.0/12"], []),
    4775: ("PH", "Globe Telecom", ["112.198.0.0/16", "120.28.0.0/16"], []),
    10139: ("PH", "Smart", ["110.54.128.0/17", "175.176.0.0/16"], []),
    17639: ("PH", "Converge ICT", ["180.190.0.0/16", "49.144.0.0/13"], []),
    55836: ("IN", "Reliance Jio", ["49.32.0.0/11"], ["2409:4000::/22"]),
    24560: ("IN", "Bharti Airtel", ["122.160.0.0/12"], []),
    45609: ("IN", "Bharti Airtel Mobile", ["106.192.0.0/11"], []),
    9829: ("IN", "BSNL", ["117.192.0.0/10"], []),
    4713: ("JP", "NTT OCN", ["153.128.0.0/9"], []),
    2516: ("JP", "KDDI", ["106.128.0.0/11"], []),
    17676: ("JP", "SoftBank", ["126.0.0.0/8"], []),
    9605: ("JP", "NTT Docomo", ["1.66.0.0/15", "49.96.0.0/12"], []),
    4766: ("KR", "Korea Telecom", ["175.192.0.0/10", "121.128.0.0/10"], []),
    9318: ("KR", "SK Broadband", ["218.144.0.0/12"], []),
    17858: ("KR", "LG U+", ["106.240.0.0/12"], []),
    9644: ("KR", "SK Telecom", ["223.32.0.0/11"], []),
}

MOBILE_V6 = {21928: 0.90, 6167: 0.80, 20057: 0.75, 55836: 0.80}
HOME_V6 = {7922: .85, 20115: .70, 10796: .70, 11427: .70, 33363: .70, 7018: .65, 701: .30, 22773: .60,
           5650: .20, 209: .15, 16591: .90, 14593: .90}
FWA = (21928, 6167)          # 5G home internet: CGNAT like a phone

# state: (UTC offset, population in millions, carrier region)
STATES = {
    "ME": (-5, 1.4, "NE"), "MA": (-5, 7.0, "NE"), "NY": (-5, 19.6, "NE"), "NJ": (-5, 9.3, "NE"),
    "PA": (-5, 13.0, "NE"), "MD": (-5, 6.2, "MA"), "VA": (-5, 8.7, "MA"), "NC": (-5, 10.8, "SE"),
    "SC": (-5, 5.3, "SE"), "GA": (-5, 11.0, "SE"), "FL": (-5, 22.6, "SE"), "OH": (-5, 11.8, "MW"),
    "MI": (-5, 10.0, "MW"), "IN": (-5, 6.9, "MW"), "KY": (-5, 4.5, "MW"), "TN": (-6, 7.1, "SE"),
    "AL": (-6, 5.1, "SE"), "MS": (-6, 2.9, "SC"), "LA": (-6, 4.6, "SC"), "IL": (-6, 12.5, "MW"),
    "WI": (-6, 5.9, "MW"), "MN": (-6, 5.7, "MW"), "MO": (-6, 6.2, "MW"), "KS": (-6, 2.9, "SC"),
    "OK": (-6, 4.1, "SC"), "TX": (-6, 30.5, "SC"), "CO": (-7, 5.9, "MT"), "UT": (-7, 3.4, "MT"),
    "AZ": (-7, 7.4, "SW"), "NV": (-8, 3.2, "SW"), "CA": (-8, 39.0, "W"), "OR": (-8, 4.2, "NW"),
    "WA": (-8, 7.8, "NW"), "AK": (-9, 0.7, "AK"), "HI": (-10, 1.4, "HI"),
}
STATE_CODES = list(STATES)
STATE_POP = [STATES[s][1] for s in STATE_CODES]
CONUS = [s for s in STATE_CODES if s not in ("AK", "HI")]
CONUS_POP = [STATES[s][1] for s in CONUS]

DEFAULT_ISP = [(7922, .30), (20115, .25), (7018, .14), (701, .06), (22773, .05), (5650, .04), (209, .04),
               (21928, .06), (6167, .03), (14593, .02), (7029, .01)]
STATE_ISP = {
    "OH": [(10796, .38), (7018, .18), (7922, .08), (6181, .10), (5650, .04), (21928, .08), (6167, .04), (14593, .02), (7029, .03)],
    "KY": [(10796, .40), (7018, .16), (6181, .08), (7029, .12), (21928, .08), (6167, .04), (14593, .04)],
    "MI": [(7922, .40), (10796, .20), (7018, .20), (21928, .1), (6167, .05), (14593, .03)],
    "WA": [(7922, .42), (209, .14), (20055, .15), (21928, .12), (6167, .05), (14593, .04)],
    "OR": [(7922, .40), (209, .14), (20055, .18), (21928, .12), (6167, .05), (14593, .04)],
    "TX": [(7018, .28), (11427, .28), (7922, .10), (5650, .08), (21928, .10), (6167, .05), (14593, .03)],
    "KS": [(22773, .30), (7018, .18), (20115, .10), (11492, .10), (16591, .06), (21928, .11), (6167, .05), (14593, .05)],
    "VA": [(22773, .30), (701, .20), (7922, .20), (20115, .05), (7018, .05), (21928, .10), (6167, .05), (14593, .03)],
    "AZ": [(22773, .40), (209, .22), (20115, .06), (7018, .05), (21928, .13), (6167, .05), (14593, .03)],
    "ME": [(20115, .62), (14593, .10), (21928, .13), (6167, .08), (5650, .05)],
    "CA": [(20115, .28), (7922, .18), (7018, .20), (22773, .06), (5650, .08), (21928, .10), (6167, .05), (14593, .02)],
    "HI": [(20115, .55), (36149, .30), (21928, .10), (14593, .04)],
    "AK": [(8047, .68), (14593, .17), (20115, .05)],
    "MS": [(7018, .35), (11492, .22), (7922, .10), (20115, .05), (21928, .12), (6167, .05), (14593, .06)],
    "FL": [(33363, .30), (7922, .28), (7018, .15), (5650, .12), (21928, .08), (6167, .04), (14593, .03)],
    "NY": [(20115, .40), (701, .25), (6128, .20), (5650, .03), (21928, .08), (14593, .03)],
    "NJ": [(701, .35), (7922, .30), (6128, .20), (21928, .10), (6167, .05)],
    "MO": [(20115, .40), (7018, .25), (16591, .05), (21928, .12), (6167, .05), (14593, .05)],
    "NV": [(22773, .55), (209, .10), (20115, .05), (21928, .15), (6167, .05)],
}
CARRIERS = [(6167, .37), (21928, .33), (20057, .30)]
STATE_CARRIERS = {"AK": [(8047, .45), (20057, .35), (6167, .12), (21928, .08)]}

# country: (UTC offset, fixed ISPs, mobile carriers)
COUNTRIES = {
    "MX": (-6, [(8151, .6), (13999, .2), (22884, .2)], [(28403, 1.0)]),
    "CA": (-5, [(812, .4), (577, .4), (852, .2)], [(812, .4), (577, .35), (852, .25)]),
    "GB": (0, [(2856, .5), (5089, .5)], [(12576, 1.0)]),
    "FR": (1, [(3215, .6), (12322, .4)], [(3215, 1.0)]),
    "ES": (1, [(3352, 1.0)], [(3352, 1.0)]),
    "IT": (1, [(3269, 1.0)], [(30722, 1.0)]),
    "DE": (1, [(3320, .6), (3209, .4)], [(3320, .6), (3209, .4)]),
    "PH": (8, [(9299, .5), (17639, .3), (4775, .2)], [(4775, .5), (10139, .5)]),
    "IN": (5.5, [(55836, .4), (24560, .4), (9829, .2)], [(55836, .6), (45609, .4)]),
    "JP": (9, [(4713, .4), (2516, .3), (17676, .3)], [(9605, .45), (2516, .3), (17676, .25)]),
    "KR": (9, [(4766, .45), (9318, .3), (17858, .25)], [(9644, .5), (4766, .3), (17858, .2)]),
}
ABROAD_TRIPS = [("MX", 30), ("CA", 14), ("GB", 6), ("FR", 4), ("ES", 3), ("IT", 4), ("DE", 3), ("PH", 14), ("IN", 14)]
BASES = [("DE", 40), ("JP", 35), ("KR", 25)]


def wchoice(rng, pairs):
    return rng.choices([p[0] for p in pairs], [p[1] for p in pairs])[0]


def v4str(a):
    return f"{a >> 24}.{(a >> 16) & 255}.{(a >> 8) & 255}.{a & 255}"


def v6str(a):
    return str(ipaddress.IPv6Address(a))


class Net:
    """Address plan: each (ASN, region) owns a few fixed /20s and /40s of the ASN's prefixes."""

    def __init__(self):
        self.p4, self.p6 = {}, {}
        for asn, (_cc, _n, v4s, v6s) in ASNS.items():
            self.p4[asn] = [(int(n.network_address), n.num_addresses) for n in map(ipaddress.ip_network, v4s)]
            self.p6[asn] = [(int(n.network_address), n.prefixlen) for n in map(ipaddress.ip_network, v6s)]
        self._b4, self._b6, self._pool = {}, {}, {}

    def blocks4(self, asn, region):
        key = (asn, region)
        b = self._b4.get(key)
        if b is None:
            r = random.Random(f"blk4|{asn}|{region}")
            pf = self.p4[asn]
            b = []
            for _ in range(4):
                base, size = r.choices(pf, [s for _, s in pf])[0]
                if size <= 4096:
                    b.append((base, size))
                else:
                    b.append((base + r.randrange(size // 4096) * 4096, 4096))
            self._b4[key] = b
        return b

    def blocks6(self, asn, region):
        key = (asn, region)
        b = self._b6.get(key)
        if b is None:
            r = random.Random(f"blk6|{asn}|{region}")
            b = []
            for _ in range(2):
                base, plen = r.choice(self.p6[asn])
                sub = r.randrange(1 << (40 - plen)) if plen < 40 else 0
                b.append(base | (sub << (128 - 40)))
            self._b6[key] = b
        return b

    def addr4(self, rng, asn, region):
        base, size = rng.choice(self.blocks4(asn, region))
        while True:
            a = base + rng.randrange(size)
            if 0 < (a & 255) < 255:
                return v4str(a)

    def has6(self, asn):
        return bool(self.p6[asn])

    def prefix64(self, rng, asn, region):
        return rng.choice(self.blocks6(asn, region)) | (rng.getrandbits(24) << 64)

    def pool4(self, asn, region, n=128):
        key = (asn, region, n)
        p = self._pool.get(key)
        if p is None:
            r = random.Random(f"pool4|{asn}|{region}|{n}")
            p = [self.addr4(r, asn, region) for _ in range(n)]
            self._pool[key] = p
        return p

    def pool6(self, asn, region, n=48):
        key = (asn, region, n, 6)
        p = self._pool.get(key)
        if p is None:
            r = random.Random(f"pool6|{asn}|{region}|{n}")
            p = [v6str(self.prefix64(r, asn, region) | r.getrandbits(64)) for _ in range(n)]
            self._pool[key] = p
        return p


NET = Net()


def cc_of(asn):
    return ASNS[asn][0]


def mobile_addr(rng, asn, region):
    """A phone (or 5G home router) on a carrier: a fresh IPv6 /64 or a shared CGNAT IPv4."""
    if NET.has6(asn) and rng.random() < MOBILE_V6.get(asn, 0.0):
        return v6str(NET.prefix64(rng, asn, region) | rng.getrandbits(64))
    return rng.choice(NET.pool4(asn, region))


def resi_proxy(rng, state=None):
    """A residential-proxy exit: an address in some US household's (or phone's) network."""
    st = state or rng.choices(CONUS, CONUS_POP)[0]
    if rng.random() < 0.12:
        asn = wchoice(rng, STATE_CARRIERS.get(st, CARRIERS))
        return mobile_addr(rng, asn, STATES[st][2]), asn, "US"
    isps = [(a, w) for a, w in STATE_ISP.get(st, DEFAULT_ISP) if a not in FWA]
    asn = wchoice(rng, isps)
    if NET.has6(asn) and rng.random() < 0.08:
        return v6str(NET.prefix64(rng, asn, st) | rng.getrandbits(64)), asn, "US"
    return NET.addr4(rng, asn, st), asn, "US"


def host_ip(rng, asn, region="us"):
    return NET.addr4(rng, asn, region), asn, cc_of(asn)


# ----------------------------------------------------------------------------------------
# Calendar
# ----------------------------------------------------------------------------------------
def nth_weekday(y, m, wd, n):
    d = dt.date(y, m, 1)
    d += dt.timedelta((wd - d.weekday()) % 7)
    return d + dt.timedelta(7 * (n - 1))


def holidays(y):
    return {nth_weekday(y, 11, 3, 4), dt.date(y, 12, 25), dt.date(y, 1, 1), dt.date(y, 11, 11),
            dt.date(y, 7, 4), nth_weekday(y, 9, 0, 1), nth_weekday(y, 1, 0, 3), nth_weekday(y, 2, 0, 3)}


def business_before(d):
    """Payment date rule: a weekend or federal holiday moves it to the business day before."""
    while d.weekday() >= 5 or d in holidays(d.year):
        d -= dt.timedelta(1)
    return d


def last_business(y, m):
    nxt = dt.date(y + (m == 12), m % 12 + 1, 1)
    return business_before(nxt - dt.timedelta(1))


WEEKDAY_F = [1.12, 1.05, 1.00, 0.98, 1.05, 0.82, 0.80]


class Cal:
    def __init__(self, days):
        self.ks = list(range(-2, days + 2))
        self.date = {k: START_DATE + dt.timedelta(k) for k in self.ks}
        self.base = {}
        self.flags = {}
        for k, d in self.date.items():
            y, m = d.year, d.month
            tg = nth_weekday(y, 11, 3, 4)
            f = WEEKDAY_F[d.weekday()]
            if d == tg:
                f *= 0.60
            elif d == tg + dt.timedelta(1):
                f *= 1.08
            elif d == tg + dt.timedelta(2):
                f *= 0.92
            elif d == tg + dt.timedelta(4):
                f *= 1.12
            elif d.month == 12 and d.day == 24:
                f *= 0.80
            elif d.month == 12 and d.day == 25:
                f *= 0.50
            elif d.month == 1 and d.day == 1:
                f *= 0.60
            if d.day == 1:
                f *= 1.08
            self.base[k] = f
            fl = set()
            if d.weekday() == 2:
                for n in (2, 3, 4):
                    if d == business_before(nth_weekday(y, m, 2, n)) or d == nth_weekday(y, m, 2, n):
                        fl.add(f"ssw{n}")
            if d == business_before(dt.date(y, m, 3)):
                fl.add("ss3")
            # SSI for the next month when the 1st falls on a weekend is paid the business day before
            nm = dt.date(y + (m == 12), m % 12 + 1, 1)
            if d == business_before(dt.date(y, m, 1)) or d == business_before(nm):
                fl.add("ssi")
            if d.weekday() == 4:
                fl.add("fri")
                fl.add("friA" if d.isocalendar()[1] % 2 == 0 else "friB")
            if d == business_before(dt.date(y, m, 15)) or d == last_business(y, m):
                fl.add("semi")
            if d == last_business(y, m):
                fl.add("monthly")
            self.flags[k] = fl

    def day_utc0(self, k, tz):
        d = START_DATE + dt.timedelta(k)
        return ms_of(d.year, d.month, d.day) - int(tz * MS_H)


HOURS = {
    "young": [2.2, 1.4, .8, .5, .4, .6, 1.5, 3.0, 4.2, 4.6, 4.6, 4.8, 5.4, 5.0, 4.6, 4.6, 4.8, 5.2, 5.8, 6.4, 6.8, 6.6, 5.4, 3.8],
    "mid": [.8, .4, .3, .3, .5, 1.4, 3.4, 5.6, 6.4, 6.2, 5.8, 5.8, 6.4, 5.8, 5.4, 5.2, 5.2, 5.4, 5.8, 6.2, 6.0, 5.0, 3.4, 1.8],
    "old": [.3, .2, .2, .3, .6, 1.6, 3.6, 6.2, 8.0, 8.6, 8.0, 7.2, 6.6, 6.2, 5.6, 5.0, 4.6, 4.4, 4.4, 4.2, 3.6, 2.6, 1.4, .6],
}
HOUR_CUM = {}
for _g, _w in HOURS.items():
    for _we in (0, 1):
        w = list(_w)
        if _we:
            for h in range(5, 10):
                w[h] *= 0.6
            for h in range(10, 14):
                w[h] *= 1.2
        c, s = [], 0.0
        for x in w:
            s += x
            c.append(s)
        HOUR_CUM[(_g, _we)] = c
HOUR_RANGE = list(range(24))


def age_band(age):
    return "young" if age < 35 else ("mid" if age < 65 else "old")


# ----------------------------------------------------------------------------------------
# User agents
# ----------------------------------------------------------------------------------------
def rel(*items):
    return [(ms_of(y, m, d), v) for (y, m, d, v) in items]


CHROME_REL = rel((2025, 9, 30, 141), (2025, 10, 28, 142), (2025, 12, 2, 143), (2026, 1, 13, 144), (2026, 2, 10, 145))
EDGE_REL = rel((2025, 10, 3, 141), (2025, 10, 31, 142), (2025, 12, 5, 143), (2026, 1, 16, 144))
FF_REL = rel((2025, 9, 16, 143), (2025, 10, 14, 144), (2025, 11, 11, 145), (2025, 12, 9, 146), (2026, 1, 13, 147))
SAFARI_REL = rel((2025, 9, 15, "26.0"), (2025, 11, 3, "26.1"), (2025, 12, 12, "26.2"))
APP_REL = rel((2025, 9, 22, "25.9.3"), (2025, 10, 20, "25.10.1"), (2025, 11, 18, "25.11.2"), (2025, 12, 3, "25.12.0"), (2026, 1, 12, "26.1.0"))
IOS_REL = {
    "26": rel((2025, 9, 15, "26.0"), (2025, 9, 29, "26.0.1"), (2025, 11, 3, "26.1"), (2025, 12, 12, "26.2")),
    "18": rel((2025, 7, 29, "18.6"), (2025, 8, 20, "18.6.2"), (2025, 9, 15, "18.7"), (2025, 9, 29, "18.7.1"), (2025, 11, 3, "18.7.2")),
    "17": rel((2024, 11, 19, "17.7.2")),
    "16": rel((2025, 3, 31, "16.7.11")),
}


def ver_at(rl, t, lag):
    v = rl[0][1]
    for r, x in rl:
        if r + lag <= t:
            v = x
        else:
            break
    return v


def client_lag(rng, mean_days):
    if rng.random() < 0.06:
        return 400 * MS_D
    return int(rng.expovariate(1.0 / mean_days) * MS_D)


IOS_MODELS = [("iPhone18,3", .07, True), ("iPhone17,3", .13, True), ("iPhone17,1", .07, True), ("iPhone16,2", .08, True),
              ("iPhone15,4", .12, True), ("iPhone15,2", .07, True), ("iPhone14,7", .10, True), ("iPhone14,5", .12, True),
              ("iPhone14,6", .05, True), ("iPhone13,2", .09, True), ("iPhone12,1", .07, True), ("iPhone10,4", .03, False)]
ANDROID_MODELS = [("SM-S931U", .08, "16"), ("SM-S936U", .03, "16"), ("SM-S921U", .09, "15"), ("SM-S911U", .07, "15"),
                  ("SM-S918U", .04, "15"), ("SM-A156U", .10, "15"), ("SM-A256U", .06, "15"), ("SM-A166U", .06, "15"),
                  ("SM-G991U", .06, "14"), ("Pixel 9", .07, "16"), ("Pixel 8a", .06, "16"), ("Pixel 7", .05, "16"),
                  ("moto g 5G - 2024", .08, "14"), ("moto g play - 2024", .07, "14"), ("motorola razr 2024", .03, "15"),
                  ("SM-A135U", .05, "14")]
NEW_IOS = [("iPhone18,3", .45), ("iPhone18,1", .15), ("iPhone17,3", .25), ("iPhone17,5", .15)]
NEW_ANDROID = [("SM-S931U", .35), ("Pixel 10", .2), ("SM-A166U", .25), ("Pixel 9a", .2)]


def ios_token(osv, safari_ua):
    if safari_ua and osv.startswith("26"):
        return "18_6"
    return osv.replace(".", "_")


TENANT_APP = {}          # slug -> (app name, bundle suffix)


def app_ua(slug, ph, gen, t):
    name, short = TENANT_APP[slug]
    ver = ver_at(APP_REL, t, ph.lag_app)
    build = "".join(f"{int(x):02d}" for x in ver.split("."))
    if ph.os == "ios":
        osv = ver_at(IOS_REL[gen[3]], t, ph.lag_os)
        return f"{name}/{ver} (com.cudigital.{short}; build:{build}; iOS {osv}) Alamofire/5.10.2"
    return f"{name}/{ver} (Android {gen[3]}; {gen[1]}; Build/{build}) okhttp/4.12.0"


def mweb_ua(ph, gen, t):
    if ph.os == "ios":
        osv = ver_at(IOS_REL[gen[3]], t, ph.lag_os)
        if ph.wb == "crios":
            cv = ver_at(CHROME_REL, t, ph.lag_browser)
            return (f"Mozilla/5.0 (iPhone; CPU iPhone OS {ios_token(osv, False)} like Mac OS X) AppleWebKit/605.1.15 "
                    f"(KHTML, like Gecko) CriOS/{cv}.0.7444.{46 + cv % 7} Mobile/15E148 Safari/604.1")
        sv = osv if not osv.startswith("26") else ".".join(osv.split(".")[:2])
        sv = ".".join(sv.split(".")[:2])
        return (f"Mozilla/5.0 (iPhone; CPU iPhone OS {ios_token(osv, True)} like Mac OS X) AppleWebKit/605.1.15 "
                f"(KHTML, like Gecko) Version/{sv} Mobile/15E148 Safari/604.1")
    if ph.wb == "samsung":
        return ("Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/29.0 "
                "Chrome/136.0.0.0 Mobile Safari/537.36")
    cv = ver_at(CHROME_REL, t, ph.lag_browser)
    return f"Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/{cv}.0.0.0 Mobile Safari/537.36"


def desk_ua(fam, lag, t):
    if fam == "chrome_win":
        v = ver_at(CHROME_REL, t, lag)
        return f"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/{v}.0.0.0 Safari/537.36"
    if fam == "edge_win":
        v = ver_at(EDGE_REL, t, lag)
        return (f"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/{v}.0.0.0 "
                f"Safari/537.36 Edg/{v}.0.0.0")
    if fam == "ff_win":
        v = ver_at(FF_REL, t, lag)
        return f"Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:{v}.0) Gecko/20100101 Firefox/{v}.0"
    if fam == "chrome_mac":
        v = ver_at(CHROME_REL, t, lag)
        return f"Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/{v}.0.0.0 Safari/537.36"
    if fam in ("safari_mac", "ipad"):
        v = ver_at(SAFARI_REL, t, lag)
        return f"Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/{v} Safari/605.1.15"
    if fam == "ff_mac":
        v = ver_at(FF_REL, t, lag)
        return f"Mozilla/5.0 (Macintosh; Intel Mac OS X 10.15; rv:{v}.0) Gecko/20100101 Firefox/{v}.0"
    if fam == "chrome_cros":
        v = ver_at(CHROME_REL, t, lag)
        return f"Mozilla/5.0 (X11; CrOS x86_64 14541.0.0) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/{v}.0.0.0 Safari/537.36"
    if fam == "chrome_win7":
        return "Mozilla/5.0 (Windows NT 6.1; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/109.0.0.0 Safari/537.36"
    raise ValueError(fam)


DESK_MIX = {
    "young": [("chrome_win", .40), ("chrome_mac", .15), ("safari_mac", .22), ("edge_win", .08), ("ff_win", .05), ("chrome_cros", .10)],
    "mid": [("chrome_win", .45), ("edge_win", .15), ("safari_mac", .18), ("chrome_mac", .08), ("ff_win", .05), ("ff_mac", .02),
            ("chrome_cros", .03), ("ipad", .04)],
    "old": [("chrome_win", .40), ("edge_win", .20), ("safari_mac", .10), ("ipad", .14), ("ff_win", .06), ("chrome_mac", .04),
            ("chrome_cros", .02), ("chrome_win7", .04)],
}
SAFARI_FAMS = ("safari_mac", "ipad")
DESK_LAG = {"chrome_win": 4, "chrome_mac": 4, "chrome_cros": 5, "edge_win": 5, "ff_win": 5, "ff_mac": 5,
            "safari_mac": 25, "ipad": 25, "chrome_win7": 5}

# Attackers' user agents: what stuffing tools rotate (stale versions, some unreduced builds)
STALE_UAS = [
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/122.0.6261.112 Safari/537.36",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.6367.207 Safari/537.36",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/128.0.0.0 Safari/537.36",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/134.0.0.0 Safari/537.36",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/137.0.0.0 Safari/537.36",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/125.0.0.0 Safari/537.36 Edg/125.0.2535.92",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:121.0) Gecko/20100101 Firefox/121.0",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/123.0.0.0 Safari/537.36",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4.1 Safari/605.1.15",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 16_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/16.6 Mobile/15E148 Safari/604.1",
    "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Mobile Safari/537.36",
    "Mozilla/5.0 (Linux; Android 13; SM-S901U) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/119.0.6045.163 Mobile Safari/537.36",
    "Mozilla/5.0 (Linux; Android 14; Pixel 7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/127.0.6533.103 Mobile Safari/537.36",
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/125.0.0.0 Safari/537.36",
    "Mozilla/5.0 (Windows NT 10.0; WOW64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/109.0.0.0 Safari/537.36",
    "Mozilla/5.0 (Windows NT 6.3; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/118.0.0.0 Safari/537.36",
]
MODERN_UAS = [
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/142.0.0.0 Safari/537.36",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/141.0.0.0 Safari/537.36",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/142.0.0.0 Safari/537.36 Edg/142.0.0.0",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/142.0.0.0 Safari/537.36",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:145.0) Gecko/20100101 Firefox/145.0",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/26.1 Safari/605.1.15",
]

# ----------------------------------------------------------------------------------------
# Names and passwords
# ----------------------------------------------------------------------------------------
FIRST = ("james mary john patricia robert jennifer michael linda william elizabeth david barbara richard susan joseph "
         "jessica thomas sarah charles karen christopher lisa daniel nancy matthew betty anthony sandra mark margaret "
         "donald ashley steven kimberly paul emily andrew donna joshua michelle kenneth carol kevin amanda brian melissa "
         "george deborah timothy stephanie ronald rebecca jason sharon edward laura jeffrey cynthia ryan dorothy jacob "
         "amy gary kathleen nicholas angela eric shirley jonathan brenda stephen emma larry anna justin pamela scott "
         "nicole brandon samantha benjamin katherine samuel christine gregory debra alexander rachel patrick carolyn "
         "frank janet raymond maria jack olivia dennis heather jerry helen tyler catherine aaron diane jose julie adam "
         "victoria nathan joyce henry lauren zachary kelly douglas christina peter ruth kyle joan noah virginia ethan "
         "judith jeremy evelyn walter hannah christian andrea keith megan roger cheryl terry jacqueline austin madison "
         "sean teresa gerald abigail carl sophia harold martha dylan sara arthur gloria lawrence janice jordan kathryn "
         "jesse ann bryan isabella billy judy bruce charlotte gabriel julia logan grace alan amber juan alice wayne "
         "denise elijah danielle roy marilyn ralph beverly randy rose eugene diana vincent natalie russell brittany "
         "bobby theresa mason kayla philip alexis louis lori").split()
LAST = ("smith johnson williams brown jones garcia miller davis rodriguez martinez hernandez lopez gonzalez wilson "
        "anderson thomas taylor moore jackson martin lee perez thompson white harris sanchez clark ramirez lewis "
        "robinson walker young allen king wright scott torres nguyen hill flores green adams nelson baker hall rivera "
        "campbell mitchell carter roberts gomez phillips evans turner diaz parker cruz edwards collins reyes stewart "
        "morris morales murphy cook rogers gutierrez ortiz morgan cooper peterson bailey reed kelly howard ramos kim "
        "cox ward richardson watson brooks chavez wood james bennett gray mendoza ruiz hughes price alvarez castillo "
        "sanders patel myers long ross foster jimenez powell jenkins perry russell sullivan bell coleman butler "
        "henderson barnes gonzales fisher vasquez simmons romero jordan patterson alexander hamilton graham reynolds "
        "griffin wallace moreno west cole hayes bryant herrera gibson ellis tran medina aguilar stevens murray ford "
        "castro marshall owens harrison fernandez mcdonald woods washington kennedy wells vargas henry chen freeman "
        "webb tucker guzman burns crawford olson simpson porter hunter gordon mendez silva shaw snyder mason dixon "
        "munoz hunt hicks holmes palmer wagner black robertson boyd rose stone salazar fox warren mills meyer rice "
        "schmidt garza daniels ferguson nichols stephens soto weaver ryan gardner payne grant dunn kelley spencer "
        "hawkins arnold pierce hansen peters santos hart bradley knight elliott cunningham duncan armstrong hudson "
        "carroll lane riley andrews ray berry perkins hoffman johnston matthews pena richards willis carpenter "
        "lawrence sandoval").split()
NICKS = ("bigdawg nana papa mimi hunter gator buckeye cowgirl sunshine lucky teacher navyvet sailor golfer fisher "
         "runner gamer mustang harley dragon tiger angel princess cowboy trucker farmer surfer hiker nurse coach").split()

POPULAR = ("Password1 Password123 Welcome1 Password1! Qwerty123 Abc12345 Summer2025 Iloveyou1 Football1 Baseball1 "
           "Welcome123 Changeme1 Letmein1 Monkey123 Dragon123 Sunshine1 Princess1 Jesus123 Blessed1 Charlie1 "
           "Michael1 Jordan23 Fall2025! Cowboys1 Steelers1 Buckeyes1 Password2 Password12 Winter2024 Summer2024 "
           "Spring2025 November2025 Shadow123 Master123 Freedom1 America1 Mustang1 Hunter123 Jennifer1 Ashley123 "
           "Soccer123 Hockey123 Basketball1 Chocolate1 Butterfly1 Flower123 Tigger123 Pepper123 Maggie123 Buster123 "
           "Bailey123 Daisy1234 Ginger123 Lucky1234 Family123 Mother123 Grandma1 Loveyou2 Angel123 Trustno1! "
           "Qwerty1! Asdf1234 Zxcvbnm1 1Qaz2wsx P@ssw0rd P@ssword1 Passw0rd Welcome2025 Money123 Banking1 "
           "Savings1 Abcd1234 Aa123456 Test1234 Admin123 Computer1 Internet1 Superman1 Batman123 Starwars1 "
           "Pokemon1 Matthew1 Andrew1 Joshua1 Daniel1 Hannah1 Jessica1 Brandon1 Tyler123 Austin123 Dallas1 "
           "Texas123 Ohio1234 Seattle1 Hawaii123 Aloha123 Alaska1 Kentucky1 Wildcats1 Longhorns1 Seahawks1 "
           "Chiefs1 Yankees1 Eagles1 Liverpool1 Godisgood1 Faith123 Hope1234 Winter2025 Autumn2025 Summer2023").split()
POP_W = [1.0 / (i + 1) for i in range(len(POPULAR))]
BREACH_POP = ("123456 123456789 password qwerty 12345678 111111 iloveyou 1234567 abc123 password1 123123 000000 "
              "1234567890 qwerty123 1q2w3e4r dragon monkey letmein sunshine princess football baseball welcome "
              "shadow master 654321 superman Password1 Password123 Welcome1 michael jordan23 charlie").split()
BREACH_W = [1.0 / (i + 1) ** 0.9 for i in range(len(BREACH_POP))]
ALNUM = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def unique_pw(rng):
    s = "".join(rng.choice(ALNUM) for _ in range(rng.randint(9, 13)))
    return s + rng.choice("0123456789") + rng.choice(["", "", "!", "#", "$"])


def new_member_pw(rng, age):
    p_pop = 0.09 if age < 30 else (0.07 if age < 60 else 0.06)
    if rng.random() < p_pop:
        return rng.choices(POPULAR, POP_W)[0]
    return unique_pw(rng)


NEIGH = {}
for _row in ("1234567890", "qwertyuiop", "asdfghjkl", "zxcvbnm"):
    for _i, _c in enumerate(_row):
        NEIGH[_c] = _row[max(0, _i - 1):_i] + _row[_i + 1:_i + 2]


def typo(pw, rng):
    k = rng.random()
    n = len(pw)
    if k < 0.25:
        out = pw.swapcase()
    elif k < 0.45:
        out = pw[:-1]
    elif k < 0.58:
        i = rng.randrange(n)
        out = pw[:i] + pw[i] + pw[i:]
    elif k < 0.72 and n > 2:
        i = rng.randrange(n - 1)
        out = pw[:i] + pw[i + 1] + pw[i] + pw[i + 2:]
    elif k < 0.90:
        i = rng.randrange(n)
        c = pw[i]
        nb = NEIGH.get(c.lower())
        r = rng.choice(nb) if nb else "x"
        out = pw[:i] + (r.upper() if c.isupper() else r) + pw[i + 1:]
    else:
        out = pw + rng.choice("1!")
    return out if out != pw else pw + "1"


def variant_old(pw, rng):
    """An older password of the same person: same stem, another number (or another word)."""
    stem = pw.rstrip("0123456789!#$")
    if stem and stem != pw and rng.random() < 0.7:
        return stem + str(rng.randint(1, 2024)) + rng.choice(["", "!"])
    return unique_pw(rng) if rng.random() < 0.7 else rng.choices(POPULAR, POP_W)[0]


FP_KEY = b""
_FP = {}


def fp(pw):
    f = _FP.get(pw)
    if f is None:
        f = hmac.new(FP_KEY, pw.encode("utf-8"), hashlib.sha256).hexdigest()[:16]
        _FP[pw] = f
    return f


def new_uuid(rng, upper=False):
    h = "%032x" % rng.getrandbits(128)
    s = f"{h[:8]}-{h[8:12]}-4{h[13:16]}-{'89ab'[int(h[16], 16) & 3]}{h[17:20]}-{h[20:32]}"
    return s.upper() if upper else s


def new_cookie(rng):
    return "%032x" % rng.getrandbits(128)


def poisson(rng, lam):
    if lam <= 0:
        return 0
    if lam > 30:
        return max(0, int(rng.gauss(lam, math.sqrt(lam)) + 0.5))
    L, k, p = math.exp(-lam), 0, 1.0
    while True:
        p *= rng.random()
        if p <= L:
            return k
        k += 1


# ----------------------------------------------------------------------------------------
# Population
# ----------------------------------------------------------------------------------------
TENANTS = [
    # slug, share, home state, login scheme, app name, age shift, out-of-state share
    ("cu-riverbend", .40, "OH", "user", "RiverbendCU", 0, .08),
    ("cu-cascade", .14, "WA", "user", "CascadeCU", -2, .08),
    ("fcu-lonestar", .11, "TX", "num8", "LoneStarFCU", 0, .07),
    ("cb-prairie", .08, "KS", "num7", "PrairieBank", 3, .07),
    ("cu-tidewater", .07, "VA", "user", "TidewaterCU", -7, .20),
    ("cu-desertsun", .06, "AZ", "user", "DesertSunCU", 8, .07),
    ("cu-bluegrass", .045, "KY", "user", "BluegrassCU", 2, .07),
    ("cb-harborview", .03, "ME", "user", "HarborviewBank", 5, .08),
    ("cu-sierra-teachers", .027, "CA", "user", "SierraTeachersCU", 1, .08),
    ("cu-aloha", .018, "HI", "user", "AlohaCU", 0, .10),
    ("cu-kodiak", .012, "AK", "user", "KodiakCU", -2, .09),
    ("cu-magnolia", .008, "MS", "num6", "MagnoliaCU", 6, .06),
]
NORTHERN = ("OH", "KY", "ME", "KS", "WA", "MI", "NY", "PA", "MN", "WI", "IL")
NUM_BASE = {"num8": 10040000, "num7": 2100000, "num6": 400000}


class HH:
    __slots__ = ("state", "region", "cc", "tz", "asn", "kind", "v4", "v4b", "v4t", "v6", "v6share")


def make_hh(rng, state=None, country=None, kind=None):
    h = HH()
    h.v6, h.v6share, h.v4b, h.v4t = None, 0.0, None, None
    if country:
        tz, fixed, _mob = COUNTRIES[country]
        h.state, h.region, h.cc, h.tz = country, country, country, tz
        h.asn = wchoice(rng, fixed)
        h.kind = "fixed"
        h.v4 = NET.addr4(rng, h.asn, country)
        return h
    h.state, h.cc = state, "US"
    h.tz, _pop, h.region = STATES[state]
    isps = STATE_ISP.get(state, DEFAULT_ISP)
    if kind == "hotel":
        isps = [(a, w) for a, w in isps if a not in FWA and a != 14593] + [(3356, .1), (174, .05)]
    h.asn = wchoice(rng, isps)
    if h.asn in FWA:
        h.kind = "fwa"
        h.v4 = None
        return h
    h.kind = kind or "fixed"
    h.v4 = NET.addr4(rng, h.asn, state)
    if rng.random() < 0.04:
        h.v4t = T0 + rng.randrange(DAYS * MS_D)
        h.v4b = NET.addr4(rng, h.asn, state)
    if NET.has6(h.asn) and rng.random() < HOME_V6.get(h.asn, 0) and h.kind == "fixed":
        h.v6 = NET.prefix64(rng, h.asn, state)
        h.v6share = rng.uniform(0.55, 0.9)
    return h


def hh_addr(h, rng, devkey, t):
    if h.kind == "fwa":
        return mobile_addr(rng, h.asn, h.region), h.asn, "US"
    if h.v6 is not None and rng.random() < h.v6share:
        day = (t - T0) // MS_D
        iid = int.from_bytes(hashlib.blake2b(f"{devkey}|{day}".encode(), digest_size=8).digest(), "big") | 1
        return v6str(h.v6 | iid), h.asn, h.cc
    if h.v4t is not None and t >= h.v4t:
        return h.v4b, h.asn, h.cc
    return h.v4, h.asn, h.cc


class Place:
    __slots__ = ("kind", "tz", "hh", "cc", "region", "cell", "tag")

    def __init__(self, kind, hh, cell, tag):
        self.kind, self.hh, self.cell, self.tag = kind, hh, cell, tag
        self.tz, self.cc, self.region = hh.tz, hh.cc, hh.region


class Phone:
    __slots__ = ("os", "gens", "app_stored", "app_gen", "bio", "wb", "wcookie", "wgen", "wsaved", "wsaved_pw",
                 "lag_app", "lag_os", "lag_browser", "carrier", "creg", "uses", "ugen")


class Browser:
    __slots__ = ("fam", "cookie", "private", "saved", "saved_pw", "loc", "lag", "repl", "tagleft")


class Work:
    __slots__ = ("net", "ip", "asn", "region")


class Person:
    __slots__ = ("acct", "role", "age", "band", "home", "trips", "snow", "phone", "app", "app_share", "profiles",
                 "work", "relay", "known", "typo", "lam", "mult", "tag", "forget_k", "lockout_k", "mil")

    def place_at(self, t):
        for s, e, pl in self.trips:
            if s <= t < e:
                return pl
        if self.snow is not None and t >= self.snow[0]:
            return self.snow[1]
        return self.home


class Account:
    __slots__ = ("tenant", "login", "persons", "pw", "prev_pw", "hist_t", "hist_pw", "owner", "links", "rng",
                 "simswap", "elder", "state", "age", "snowbird", "pending")

    def pw_at(self, t):
        i = bisect.bisect_right(self.hist_t, t) - 1
        return self.hist_pw[max(i, 0)]

    def set_pw(self, t, pw, owner):
        self.pw = pw
        self.owner = owner
        self.hist_t.append(t)
        self.hist_pw.append(pw)


def sample_age(rng, shift):
    r = rng.random()
    if r < .17:
        a = rng.uniform(18, 30)
    elif r < .42:
        a = rng.uniform(30, 45)
    elif r < .67:
        a = rng.uniform(45, 60)
    elif r < .89:
        a = rng.uniform(60, 75)
    else:
        a = rng.uniform(75, 95)
    return int(min(95, max(18, a + shift * rng.random())))


def make_username(rng, age):
    f, l = rng.choice(FIRST), rng.choice(LAST)
    by = 2025 - age
    st = rng.random()
    if st < .22:
        return f[0] + l
    if st < .36:
        return f + "." + l
    if st < .46:
        return f + l
    if st < .58:
        return f + l + str(rng.randint(1, 99))
    if st < .68:
        return f[0] + l + f"{by % 100:02d}"
    if st < .76:
        return f + str(by)
    if st < .82:
        return l + f[0]
    if st < .90:
        return f + "_" + l[0] + str(rng.randint(1, 999))
    return rng.choice(NICKS) + str(rng.randint(1, 9999))


def make_phone(rng, age, state, region, carrier_pairs=None):
    ph = Phone()
    ios_p = 0.65 if age < 35 else (0.57 if age < 65 else 0.50)
    ph.os = "ios" if rng.random() < ios_p else "android"
    if ph.os == "ios":
        m = rng.choices(IOS_MODELS, [x[1] for x in IOS_MODELS])[0]
        if not m[2]:
            branch = "16"
        else:
            r = rng.random()
            branch = "26" if r < 0.62 else ("18" if r < 0.94 else "17")
        gen = [T0 - 400 * MS_D, m[0], "ios", branch, new_uuid(rng, True), None]
        ph.wb = "crios" if rng.random() < 0.18 else "safari"
    else:
        m = rng.choices(ANDROID_MODELS, [x[1] for x in ANDROID_MODELS])[0]
        gen = [T0 - 400 * MS_D, m[0], "android", m[2], new_uuid(rng), None]
        ph.wb = "samsung" if (m[0].startswith("SM-") and rng.random() < 0.3) else "chrome"
    ph.gens = [gen]
    ph.app_stored, ph.app_gen = None, -1
    ph.bio = rng.random() < 0.75
    ph.wcookie, ph.wgen = (new_cookie(rng), 0) if rng.random() < 0.6 else (None, -1)
    ph.wsaved = rng.random() < 0.5
    ph.wsaved_pw = None
    ph.lag_app = client_lag(rng, 3)
    ph.lag_os = client_lag(rng, 20)
    ph.lag_browser = client_lag(rng, 4)
    ph.carrier = wchoice(rng, carrier_pairs or STATE_CARRIERS.get(state, CARRIERS))
    ph.creg = region
    ph.uses, ph.ugen = 0, 0
    return ph


def add_phone_changes(rng, ph, cal):
    """New phones (some Black Friday purchases) and app reinstalls inside the window."""
    tg = None
    for k in cal.ks:
        d = cal.date[k]
        if d.month == 11 and d.weekday() == 3 and 22 <= d.day <= 28:
            tg = k
    r = rng.random()
    tnew = None
    if r < 0.03:
        tnew = T0 + rng.randrange(DAYS * MS_D)
    elif r < 0.065 and tg is not None:
        tnew = T0 + (tg + 1) * MS_D + rng.randrange(4 * MS_D) + rng.randrange(6 * MS_D)
    if tnew is not None and T0 < tnew < TEND:
        # people stay on their platform; the new phone runs the current OS
        model = wchoice(rng, NEW_IOS) if ph.os == "ios" else wchoice(rng, NEW_ANDROID)
        branch = "26" if ph.os == "ios" else "16"
        ph.gens.append([tnew, model, ph.os, branch, new_uuid(rng, ph.os == "ios"), "new-phone"])
    elif rng.random() < 0.015:
        t = T0 + rng.randrange(DAYS * MS_D)
        g = ph.gens[-1]
        ph.gens.append([t, g[1], g[2], g[3], new_uuid(rng, ph.os == "ios"), "app-reinstall"])


def phone_gen(ph, t):
    g = 0
    for i in range(1, len(ph.gens)):
        if ph.gens[i][0] <= t:
            g = i
    return g


def make_browser(rng, fam, loc, private_p=0.04):
    b = Browser()
    b.fam, b.loc = fam, loc
    b.private = rng.random() < private_p
    b.cookie = None if (b.private or rng.random() < 0.15) else new_cookie(rng)
    b.saved = rng.random() < 0.55
    b.saved_pw = None
    b.lag = client_lag(rng, DESK_LAG[fam])
    b.repl = None
    b.tagleft = 0
    return b


def make_person(rng, acct, role, age, home, cal, mil=False):
    p = Person()
    p.acct, p.role, p.age, p.band, p.home = acct, role, age, age_band(age), home
    p.trips, p.snow, p.mil = [], None, mil
    p.tag = {"holder": None, "spouse": "shared-login", "caregiver": "caregiver"}[role]
    if home.kind == "base":
        p.tag = "military-abroad"
    st = home.hh.state
    has_phone = age < 80 or rng.random() < 0.92
    p.phone = None
    if has_phone:
        if home.kind == "base":
            if rng.random() < 0.4:
                ph = make_phone(rng, age, "VA", "MA", [(21928, 1.0)])
                ph.creg = "MA"
                home.cell = ("roam",)
            else:
                ph = make_phone(rng, age, home.hh.state, home.hh.state, COUNTRIES[home.hh.cc][2])
                ph.creg = home.hh.cc
                home.cell = ("local", ph.carrier, home.hh.cc)
        else:
            ph = make_phone(rng, age, st, STATES[st][2])
        add_phone_changes(rng, ph, cal)
        p.phone = ph
    a = age
    app_p = .92 if a < 30 else (.85 if a < 45 else (.65 if a < 60 else (.40 if a < 75 else .15)))
    p.app = p.phone is not None and rng.random() < app_p
    p.app_share = rng.uniform(0.7, 0.9) if p.app else 0.0
    desk_p = .55 if a < 35 else (.8 if a < 65 else .9)
    p.profiles = []
    if rng.random() < desk_p or p.phone is None:
        fam = wchoice(rng, DESK_MIX[p.band])
        p.profiles.append(make_browser(rng, fam, "home"))
        if rng.random() < 0.15:
            p.profiles.append(make_browser(rng, wchoice(rng, DESK_MIX[p.band]), "home"))
    p.work = None
    if 22 <= a <= 66 and rng.random() < 0.72 and rng.random() < 0.6 and home.kind != "base":
        w = Work()
        r = rng.random()
        region = STATES[st][2]
        if mil and r < 0.25:
            w.net, w.asn = "office", 721
            w.ip = NET.addr4(rng, 721, "us")
        elif r < 0.6:
            w.net = "office"
            w.asn = rng.choice([3356, 174, 6461, 7922, 7018, 20115])
            w.ip = NET.addr4(rng, w.asn, st if w.asn in (7922, 7018, 20115) else region)
        else:
            w.net, w.asn, w.ip = "zscaler", 62044, None
        w.region = region
        p.work = w
        if rng.random() < 0.5:
            p.profiles.append(make_browser(rng, rng.choice(["chrome_win", "edge_win"]), "work", 0.01))
    for b in p.profiles:
        if rng.random() < 0.012:
            b.repl = (T0 + rng.randrange(DAYS * MS_D), wchoice(rng, DESK_MIX[p.band]))
    has_apple = (p.phone is not None and p.phone.os == "ios") or any(b.fam in SAFARI_FAMS for b in p.profiles)
    p.relay = has_apple and rng.random() < 0.20
    p.typo = 0.07 + (0.05 if a >= 65 else 0.0)
    # activity
    if rng.random() < 0.14:
        lam = rng.uniform(0.01, 0.05)
    else:
        lam = min(5.0, rng.lognormvariate(math.log(0.26), 1.0))
        lam *= 1.25 if a < 35 else (1.0 if a < 65 else (0.75 if a < 80 else 0.55))
    p.lam = lam
    # personal calendar multipliers
    mult = {}
    ss = (a >= 66 and rng.random() < 0.85) or (62 <= a < 66 and rng.random() < 0.40)
    if ss:
        grp = "ss3" if (a >= 80 and rng.random() < 0.8) else f"ssw{rng.choice((2, 3, 4))}"
        for k in cal.ks:
            if grp in cal.flags[k]:
                mult[k] = mult.get(k, 1.0) * 1.7
                if k + 1 in cal.flags:
                    mult[k + 1] = mult.get(k + 1, 1.0) * 1.2
    if (a >= 65 and rng.random() < 0.06) or rng.random() < 0.02:
        for k in cal.ks:
            if "ssi" in cal.flags[k]:
                mult[k] = mult.get(k, 1.0) * 1.5
    if 20 <= a <= 67 and rng.random() < 0.75:
        sched = wchoice(rng, [("friA", .275), ("friB", .275), ("semi", .25), ("fri", .10), ("monthly", .10)])
        for k in cal.ks:
            if sched in cal.flags[k]:
                mult[k] = mult.get(k, 1.0) * 1.3
                if k - 1 in cal.flags:
                    mult[k - 1] = mult.get(k - 1, 1.0) * 1.15
    p.mult = mult
    p.known = acct.pw
    p.forget_k = None
    p.lockout_k = None
    fp_p = 0.025 + (0.03 if a >= 65 else 0.0) + (0.04 if lam < 0.08 else 0.0)
    if rng.random() < fp_p:
        p.forget_k = rng.randrange(DAYS)
    if a >= 70 and p.profiles and rng.random() < 0.005:
        p.lockout_k = rng.randrange(DAYS)
    return p


AGGS = [
    ("LedgerBridge", 16509, "LedgerBridgeConnector/4.18 (account-refresh; +server)", .45, "daily"),
    ("Moneyweave", 8075, "Moneyweave-Sync/2.7.3 (aggregation)", .30, "daily"),
    ("Fintally", 396982, "Fintally-Refresh/1.9.0", .25, "daily"),
]
WEEKLY_APPS = [
    ("TaxNest", 16509, "TaxNest-Import/2025.3 (financial-data)", .5, "weekly"),
    ("BudgetBee", 396982, "BudgetBee-DataRefresh/5.4", .5, "weekly"),
]


class Link:
    __slots__ = ("name", "asn", "ua", "freq", "stored", "active", "fails", "slot", "twice", "wday", "scen")


def make_link(rng, spec, pw):
    L = Link()
    L.name, L.asn, L.ua, _w, L.freq = spec
    L.stored, L.active, L.fails = pw, True, 0
    L.slot = (6 * MS_H) + rng.randrange(5 * MS_H)        # 06:00-11:00 UTC nightly batch
    L.twice = rng.random() < 0.25
    L.wday = rng.randrange(7)
    L.scen = "aggregator" if L.freq == "daily" else "budget-app"
    return L


def link_pool(name, asn):
    return NET.pool4(asn, "agg-" + name, 24)


class Pop:
    def __init__(self, seed, n_users, cal):
        self.accounts = []
        self.by_tenant = {}
        self.tenant_accts = {}
        self.cal = cal
        n_t = len(TENANTS)
        for ti, (slug, share, hstate, scheme, app, shift, out_p) in enumerate(TENANTS):
            TENANT_APP[slug] = (app, slug.split("-", 1)[1].replace("-", ""))
            size = max(30, int(round(share * n_users)))
            accts = {}
            taken = {}
            self.by_tenant[slug] = accts
            lst = []
            for i in range(size):
                rng = random.Random(f"{seed}|acct|{slug}|{i}")
                a = Account()
                a.tenant = slug
                a.rng = rng
                age = sample_age(rng, shift)
                mil = slug == "cu-tidewater" and age < 50 and rng.random() < 0.45
                mil = mil or (age < 45 and rng.random() < 0.01)
                if scheme == "user":
                    u = make_username(rng, age)
                    while u in taken:
                        u = u + str(rng.randint(0, 9))
                    taken[u] = 1
                    a.login = u
                else:
                    a.login = None
                a.age = age
                a.pw = new_member_pw(rng, age)
                a.prev_pw = variant_old(a.pw, rng)
                a.hist_t, a.hist_pw, a.owner = [T0 - 1000 * MS_D], [a.pw], "member"
                a.links, a.simswap, a.elder, a.pending = [], None, [], False
                # home
                if mil and rng.random() < 0.22:
                    cc = wchoice(rng, BASES)
                    hh = make_hh(rng, country=cc)
                    home = Place("base", hh, ("local", None, cc), "military-abroad")
                    st = cc
                else:
                    if rng.random() < out_p:
                        st = rng.choices(STATE_CODES, STATE_POP)[0]
                    else:
                        st = hstate
                    hh = make_hh(rng, st)
                    home = Place("home", hh, ("home",), None)
                a.state = st
                holder = make_person(rng, a, "holder", age, home, cal, mil)
                a.persons = [holder]
                if 28 <= age <= 80 and home.kind == "home" and rng.random() < 0.06:
                    sp_age = int(max(20, min(90, age + rng.gauss(0, 4))))
                    sp = make_person(rng, a, "spouse", sp_age, home, cal)
                    if holder.profiles and rng.random() < 0.6:
                        sp.profiles = [holder.profiles[0]] + [b for b in sp.profiles if b.loc == "work"]
                    sp.lam *= 0.6
                    a.persons.append(sp)
                if age >= 78 and rng.random() < 0.12:
                    cst = st if (rng.random() < 0.3 or home.kind != "home") else rng.choices(STATE_CODES, STATE_POP)[0]
                    chh = make_hh(rng, cst if cst in STATES else "OH")
                    cg = make_person(rng, a, "caregiver", rng.randint(45, 62), Place("home", chh, ("home",), None), cal)
                    cg.lam = rng.uniform(0.15, 0.45)
                    cg.forget_k = None
                    holder.lam *= 0.4
                    a.persons.append(cg)
                # snowbirds
                a.snowbird = False
                if age >= 65 and home.kind == "home" and st in NORTHERN and rng.random() < 0.07:
                    dest = "FL" if rng.random() < 0.7 else "AZ"
                    shh = make_hh(rng, dest)
                    spl = Place("snowbird", shh, ("home",), "snowbird")
                    tsw = T0 + int(rng.uniform(-20, DAYS) * MS_D)
                    for pp in a.persons:
                        if pp.role != "caregiver":
                            pp.snow = (tsw, spl)
                    a.snowbird = True
                # aggregators
                if rng.random() < (0.06 if age < 50 else 0.03):
                    spec = rng.choices(AGGS, [x[3] for x in AGGS])[0]
                    a.links.append(make_link(rng, spec, a.pw))
                if rng.random() < 0.015:
                    spec = rng.choices(WEEKLY_APPS, [x[3] for x in WEEKLY_APPS])[0]
                    a.links.append(make_link(rng, spec, a.pw))
                lst.append(a)
            if scheme != "user":
                # member numbers in joining order: older members joined earlier
                order = sorted(range(len(lst)), key=lambda j: (-(lst[j].age + lst[j].rng.uniform(-15, 15)), j))
                num = NUM_BASE[scheme]
                nrng = random.Random(f"{seed}|numbers|{slug}")
                for j in order:
                    num += 1
                    while nrng.random() < 0.45:
                        num += 1
                    lst[j].login = str(num)
                self.num_range = getattr(self, "num_range", {})
                self.num_range[slug] = (NUM_BASE[scheme] + 1, num)
            for a in lst:
                assert a.login not in accts
                accts[a.login] = a
            self.tenant_accts[slug] = lst
            self.accounts.extend(lst)
        self.plan_travel(seed)

    def plan_travel(self, seed):
        cal = self.cal
        tg = None
        for k in cal.ks:
            d = cal.date[k]
            if d.month == 11 and d.weekday() == 3 and 22 <= d.day <= 28:
                tg = k
        for a in self.accounts:
            rng = random.Random(f"{seed}|travel|{a.tenant}|{a.login}")
            hold = a.persons[0]
            if hold.home.kind != "home":
                continue
            fam = [p for p in a.persons if p.role != "caregiver"]
            # Thanksgiving
            pt = .22 if a.age < 35 else (.16 if a.age < 65 else .10)
            if tg is not None and rng.random() < pt:
                dep = tg + wchoice(rng, [(-1, .55), (-2, .20), (0, .25)])
                ret = tg + wchoice(rng, [(2, .25), (3, .55), (4, .20)])
                if rng.random() < 0.45:
                    dst = hold.home.hh.state
                else:
                    dst = rng.choices(CONUS, CONUS_POP)[0]
                pl = Place("relatives", make_hh(rng, dst), ("home",), "travel-domestic")
                s = cal.day_utc0(dep, hold.home.tz) + int(rng.uniform(7, 17) * MS_H)
                e = cal.day_utc0(ret, pl.tz) + int(rng.uniform(10, 20) * MS_H)
                for p in fam:
                    p.trips.append((s, e, pl))
            # business trip
            for p in fam:
                if p.work is not None and rng.random() < 0.03:
                    dst = rng.choices(CONUS, CONUS_POP)[0]
                    pl = Place("hotel", make_hh(rng, dst, kind="hotel"), ("home",), "travel-domestic")
                    d0 = rng.randrange(-1, DAYS)
                    s = cal.day_utc0(d0, p.home.tz) + int(rng.uniform(6, 12) * MS_H)
                    e = s + int(rng.uniform(2, 4.5) * MS_D)
                    if not any(s < e2 and s2 < e for s2, e2, _ in p.trips):
                        p.trips.append((s, e, pl))
            # abroad
            pa = 0.013 if 25 <= a.age <= 75 else 0.006
            if rng.random() < pa:
                cc = wchoice(rng, ABROAD_TRIPS)
                hh = make_hh(rng, country=cc)
                cell = ("roam",) if rng.random() < 0.7 else ("local", wchoice(rng, COUNTRIES[cc][2]), cc)
                pl = Place("abroad", hh, cell, "travel-abroad")
                s = T0 + int(rng.uniform(-12, DAYS) * MS_D)
                e = s + int(rng.uniform(6, 20) * MS_D)
                for p in fam:
                    if not any(s < e2 and s2 < e for s2, e2, _ in p.trips):
                        p.trips.append((s, e, pl))
        for a in self.accounts:
            for p in a.persons:
                p.trips.sort(key=lambda x: x[0])


# ----------------------------------------------------------------------------------------
# Event sink
# ----------------------------------------------------------------------------------------
class Sink:
    """Events as lists: [t, seq, tenant, account, exists, ip, ua, device, pw, ok, asn, cc, label, scenario]"""

    def __init__(self):
        self.ev = []
        self.resets = []
        self.seq = 0

    def add(self, t, tenant, account, exists, ip, ua, device, pw, ok, asn, cc, label, scen):
        if not (T0 <= t < TEND):
            return
        self.seq += 1
        self.ev.append([t, self.seq, tenant, account, exists, ip, ua, device, pw, ok, asn, cc, label, scen])

    def reset(self, tenant, account, t):
        self.seq += 1
        self.resets.append((t, self.seq, tenant, account))


# ----------------------------------------------------------------------------------------
# Legitimate behaviour per account
# ----------------------------------------------------------------------------------------
def local_hw(t, tz):
    lt = t + int(tz * MS_H)
    return (lt // MS_H) % 24, ((lt // MS_D) + 3) % 7      # 1970-01-01 was a Thursday (3)


def person_times(p, cal, rng):
    out = []
    for k in cal.ks:
        lam = p.lam * cal.base[k] * p.mult.get(k, 1.0)
        if lam <= 0:
            continue
        noon = cal.day_utc0(k, p.home.tz) + 12 * MS_H
        pl = p.place_at(noon)
        if pl.kind in ("relatives", "hotel"):
            lam *= 0.85
        elif pl.kind == "abroad":
            lam *= 0.6
        n = poisson(rng, lam)
        if not n:
            continue
        base = cal.day_utc0(k, pl.tz)
        we = 1 if cal.date[k].weekday() >= 5 else 0
        cum = HOUR_CUM[(p.band, we)]
        for _ in range(n):
            h = rng.choices(HOUR_RANGE, cum_weights=cum)[0]
            t = base + h * MS_H + rng.randrange(MS_H)
            if T0 - MS_D <= t < TEND:
                out.append(t)
    return out


def link_times(L, acct, cal, rng):
    out = []
    hold = acct.persons[0]
    for k in cal.ks:
        day_utc = ms_of(cal.date[k].year, cal.date[k].month, cal.date[k].day)
        if L.freq == "daily":
            out.append((day_utc + L.slot + rng.randrange(-20 * MS_M, 20 * MS_M), "batch"))
            if L.twice:
                out.append((day_utc + L.slot + 12 * MS_H + rng.randrange(-30 * MS_M, 30 * MS_M), "batch"))
            for _ in range(poisson(rng, 0.3 * min(2.0, 0.5 + hold.lam))):
                lb = cal.day_utc0(k, hold.home.tz)
                out.append((lb + int(rng.uniform(8, 22) * MS_H), "ondemand"))
        else:
            if cal.date[k].weekday() == L.wday:
                out.append((day_utc + L.slot + rng.randrange(-40 * MS_M, 40 * MS_M), "batch"))
    return out


def pick_client(p, place, lh, wd, rng, mode):
    """Returns (kind, obj): 'app'/'mweb' with the Phone, 'web' with a Browser."""
    on_trip = place.kind in ("relatives", "hotel", "abroad")
    if mode == "E":
        homes = [b for b in p.profiles if b.loc == "home"]
        return ("web", homes[0]) if homes else None
    workhours = wd < 5 and 8 <= lh < 17 and p.work is not None and not on_trip
    if p.phone is not None and p.app and rng.random() < p.app_share:
        return ("app", p.phone)
    works = [b for b in p.profiles if b.loc == "work"]
    homes = [b for b in p.profiles if b.loc == "home"]
    if workhours and works and rng.random() < 0.6:
        return ("web", works[0])
    if homes and (not on_trip or rng.random() < 0.45) and (p.phone is None or rng.random() < 0.85):
        if len(homes) > 1 and rng.random() < 0.3:
            return ("web", homes[1])
        return ("web", homes[0])
    if p.phone is not None:
        if p.app and rng.random() < 0.5:
            return ("app", p.phone)
        return ("mweb", p.phone)
    if homes:
        return ("web", homes[0])
    if works:
        return ("web", works[0])
    return None


def pick_net(p, place, kind, obj, t, lh, wd, rng, devkey):
    """Returns (ip, asn, country, via) for a session."""
    on_trip = place.kind in ("relatives", "hotel", "abroad")
    safari = (kind == "mweb" and obj.wb == "safari") or (kind == "web" and obj.fam in SAFARI_FAMS)
    if kind == "web" and obj.loc == "work":
        w = p.work
        if w is None:
            return hh_addr(place.hh, rng, devkey, t) + ("home",)
        if w.net == "office" and wd < 5 and 7 <= lh < 19 and not on_trip:
            return w.ip, w.asn, "US", "work"
        return rng.choice(NET.pool4(62044, w.region, 32)), 62044, "US", "work"
    if p.relay and safari:
        prov = 36183 if rng.random() < 0.6 else 13335
        reg = STATES[place.hh.state][2] if place.cc == "US" else "intl-" + place.cc
        if rng.random() < 0.5:
            return rng.choice(NET.pool6(prov, reg)), prov, "US", "relay"
        return rng.choice(NET.pool4(prov, reg, 48)), prov, "US", "relay"
    if kind == "web":
        return hh_addr(place.hh, rng, devkey, t) + ("home",)
    # phone
    workhours = wd < 5 and 9 <= lh < 17 and p.work is not None and not on_trip
    if workhours and p.work.net == "office" and rng.random() < 0.3:
        return p.work.ip, p.work.asn, "US", "work"
    if on_trip:
        wifi = 0.55
    elif workhours:
        wifi = 0.35
    elif lh >= 18 or lh < 8:
        wifi = 0.75
    else:
        wifi = 0.6
    if p.acct.owner == "attacker" and p.role == "holder":
        wifi = 1.0            # the number was ported away: no cellular service until it is restored
    if rng.random() < wifi:
        return hh_addr(place.hh, rng, devkey, t) + ("home",)
    ph = p.phone
    cell = place.cell
    if cell[0] == "local":
        asn = cell[1] or ph.carrier
        if cc_of(asn) == place.cc:
            return mobile_addr(rng, asn, place.cc), asn, place.cc, "cell"
        return mobile_addr(rng, ph.carrier, ph.creg), ph.carrier, cc_of(ph.carrier), "cell"
    if cell[0] == "roam" or place.cc != "US":
        return mobile_addr(rng, ph.carrier, ph.creg), ph.carrier, cc_of(ph.carrier), "cell"
    reg = STATES[place.hh.state][2] if ph.carrier != 8047 else "AK"
    return mobile_addr(rng, ph.carrier, reg), ph.carrier, "US", "cell"


def simulate_account(acct, cal, sink):
    rng = acct.rng
    heap = []
    cnt = [0]

    def push(t, kind, payload, order=5):
        cnt[0] += 1
        heapq.heappush(heap, (t, order, cnt[0], kind, payload))

    for p in acct.persons:
        for t in person_times(p, cal, rng):
            push(t, "S", p)
    for L in acct.links:
        for t, why in link_times(L, acct, cal, rng):
            push(t, "A", (L, why))
    sw = acct.simswap
    if sw:
        push(sw["t"], "X", sw, 1)
        for ft in sw["follow"]:
            push(ft, "Y", sw, 1)
        push(sw["t"] + int(rng.uniform(1.0, 18.0) * MS_H), "S", acct.persons[0])
    for et in acct.elder:
        push(et, "E", acct.persons[0], 2)
    holder = acct.persons[0]
    tenant, login = acct.tenant, acct.login

    while heap:
        t, _o, _c, kind, payload = heapq.heappop(heap)
        if kind == "A":
            L, why = payload
            if not L.active:
                continue
            ip = rng.choice(link_pool(L.name, L.asn))
            ok = L.stored == acct.pw
            sink.add(t, tenant, login, True, ip, L.ua, None, L.stored, ok, L.asn, "US", "legit",
                     L.scen if ok else "aggregator-stale-password")
            if ok:
                L.fails = 0
            else:
                L.fails += 1
                if L.fails >= 3:
                    L.active = False
            continue
        if kind == "X":
            simswap_takeover(acct, payload, t, sink)
            continue
        if kind == "Y":
            simswap_followup(acct, payload, t, sink)
            continue
        if kind == "R":
            p, ck, cobj, tag = payload
            acct.pending = False
            sink.reset(tenant, login, t)
            newpw = new_member_pw(rng, p.age) if rng.random() < 0.5 else variant_old(acct.pw, rng)
            acct.set_pw(t, newpw, "member")
            for q in acct.persons:
                q.known = newpw
            run_session(acct, p, t + int(rng.uniform(3, 20) * MS_M), rng, sink, "S", forced=(ck, cobj, tag))
            continue
        p = payload
        mode = kind
        if kind == "S":
            k = int((t - T0) // MS_D)
            if p.lockout_k is not None and k >= p.lockout_k:
                p.lockout_k = None
                mode = "L"
            elif p.forget_k is not None and k >= p.forget_k:
                p.forget_k = None
                mode = "F"
        res = run_session(acct, p, t, rng, sink, mode, push=push)
        # holders relink broken aggregator links sometimes
        if res and p.role == "holder" and mode in ("S", "F"):
            for L in acct.links:
                if (not L.active or L.stored != acct.pw) and rng.random() < 0.35:
                    L.stored, L.active, L.fails = acct.pw, True, 0
                    tt = res + int(rng.uniform(1, 6) * MS_M)
                    sink.add(tt, tenant, login, True, rng.choice(link_pool(L.name, L.asn)), L.ua, None, acct.pw,
                             True, L.asn, "US", "legit", L.scen)


def run_session(acct, p, t, rng, sink, mode, forced=None, push=None):
    """One sign-in by a person; returns the end time of a successful sign-in, else None."""
    place = p.place_at(t)
    lh, wd = local_hw(t, place.tz)
    if forced is not None:
        kind, obj, tag0 = forced
    else:
        c = pick_client(p, place, lh, wd, rng, mode)
        if c is None:
            return None
        kind, obj = c
        tag0 = None
    tenant, login = acct.tenant, acct.login
    label = "attack" if mode == "E" else "legit"
    # client state
    newtag = None
    if kind in ("app", "mweb"):
        ph = obj
        g = phone_gen(ph, t)
        gen = ph.gens[g]
        if ph.ugen != g:
            ph.ugen, ph.uses = g, 0
        if gen[5] and ph.uses < 3 and g > 0:
            newtag = gen[5]
        devkey = gen[4]
        if kind == "app":
            ua = app_ua(tenant, ph, gen, t)
            stored = ph.app_stored if ph.app_gen == g else None
            use_stored = stored is not None and ph.bio
        else:
            ua = mweb_ua(ph, gen, t)
            if ph.wgen != g:
                ph.wcookie, ph.wgen = None, g
            stored = ph.wsaved_pw if ph.wsaved else None
            use_stored = stored is not None
    else:
        b = obj
        if b.repl is not None and t >= b.repl[0]:
            b.fam, b.cookie, b.saved_pw, b.repl = b.repl[1], None, None, None
            b.lag = client_lag(rng, DESK_LAG[b.fam])
            b.tagleft = 2
        if b.tagleft > 0:
            newtag = "new-computer"
        if not b.private and b.cookie is not None and rng.random() < 0.015:
            b.cookie = None
        ua = desk_ua(b.fam, b.lag, t)
        devkey = id_key(b, acct)
        stored = b.saved_pw if b.saved else None
        use_stored = stored is not None
    ip, asn, cc, via = pick_net(p, place, kind, obj, t, lh, wd, rng, devkey)
    sess_cookie = [None]

    def token():
        if kind == "app":
            return obj.gens[phone_gen(obj, t)][4]
        if kind == "mweb":
            return obj.wcookie
        if obj.private:
            return sess_cookie[0]
        return obj.cookie

    def after():
        if kind == "app":
            return
        if token() is None:
            c = new_cookie(rng)
            if kind == "mweb":
                obj.wcookie = c
            elif obj.private:
                sess_cookie[0] = c
            else:
                obj.cookie = c

    # scenario tag for the session
    if mode == "E":
        tag = "elder-remote-access"
    elif tag0:
        tag = tag0
    else:
        tag = (p.tag if p.role != "holder" else None) or place.tag or newtag or (
            "private-relay" if via == "relay" else None) or p.tag or "member"
    cur = [t]

    def attempt(pw, scen=None, account=None):
        acc = account or login
        exists = account is None
        ok = exists and pw == acct.pw
        sink.add(cur[0], tenant, acc, exists, ip, ua, token(), pw, ok, asn, cc, label, scen or tag)
        after()
        return ok

    def gap(lo, hi):
        cur[0] += int(rng.uniform(lo, hi) * MS_S)

    def remember():
        if kind == "app":
            obj.app_stored, obj.app_gen = acct.pw, phone_gen(obj, cur[0])
            obj.uses += 1
        elif kind == "mweb":
            obj.wsaved_pw = acct.pw if obj.wsaved else None
            obj.uses += 1
        else:
            if obj.saved:
                obj.saved_pw = acct.pw
            if obj.tagleft > 0:
                obj.tagleft -= 1
        return cur[0]

    typed_p = p.typo if kind != "app" else 0.04
    if newtag == "new-phone":
        typed_p = 0.12

    if mode == "F":        # forgotten password: old passwords / variants, then a reset
        tag = "forgot-password"
        for _ in range(rng.randint(1, 4)):
            attempt(rng.choice([acct.prev_pw, typo(p.known, rng), variant_old(p.known, rng)]))
            gap(8, 45)
        cur[0] += int(rng.uniform(2, 10) * MS_M)
        sink.reset(tenant, login, cur[0])
        newpw = new_member_pw(rng, p.age) if rng.random() < 0.6 else variant_old(acct.pw, rng)
        acct.set_pw(cur[0], newpw, "member")
        for q in acct.persons:
            q.known = newpw
        gap(30, 120)
        attempt(newpw)
        return remember()
    if mode == "L":        # elderly member locks themself out, resets next morning
        tag = "lockout-elderly"
        cands = [acct.prev_pw, typo(p.known, rng), variant_old(p.known, rng), typo(acct.prev_pw, rng)]
        n = rng.randint(7, 11)
        for i in range(n):
            pw = p.known if (i >= 7 and rng.random() < 0.4) else rng.choice(cands)
            attempt(pw)
            gap(20, 120)
        if push is not None:
            nxt = cal_next_morning(cur[0], place.tz, rng)
            push(nxt, "R", (p, kind, obj, "lockout-elderly"))
        return None

    # normal flow
    if acct.owner == "attacker" and p.known != acct.pw and label == "legit":
        tag = "sim-swap-victim"
    if use_stored:
        if stored != acct.pw and tag == "member":
            tag = "stale-credential"
        if attempt(stored):
            return remember()
        gap(3, 12)
    if rng.random() < 0.006 and kind != "app" and not use_stored:
        bad = typo(login, rng)
        if bad not in BY_TENANT[tenant]:
            attempt(p.known, "member-typo" if label == "legit" else tag, account=bad)
            gap(5, 20)
    if rng.random() < typed_p:
        attempt(typo(p.known, rng), tag if tag != "member" else "member-typo")
        gap(4, 20)
        if rng.random() < 0.2:
            attempt(typo(p.known, rng), tag if tag != "member" else "member-typo")
            gap(4, 20)
    if attempt(p.known):
        return remember()
    # what the person knows no longer works
    if acct.owner == "attacker":
        tag = "sim-swap-victim"
        for _ in range(rng.randint(1, 2)):
            gap(10, 40)
            attempt(p.known, tag)
        if push is not None and not acct.pending:
            acct.pending = True
            push(cur[0] + int(rng.uniform(0.3, 6.0) * MS_H), "R", (p, kind, obj, "sim-swap-victim"))
        return None
    # someone else in the account changed it (and told them): retype after a while
    p.known = acct.pw
    gap(20, 90)
    if attempt(p.known):
        return remember()
    return None


def id_key(b, acct):
    return f"{acct.tenant}|{acct.login}|{b.fam}|{b.loc}|{b.lag}"


def cal_next_morning(t, tz, rng):
    lt = t + int(tz * MS_H)
    day0 = (lt // MS_D + 1) * MS_D
    return day0 + int(rng.uniform(9.0, 11.5) * MS_H) - int(tz * MS_H)


BY_TENANT = {}


# ----------------------------------------------------------------------------------------
# Attacks inside the account timeline (they change the password / use the victim's machine)
# ----------------------------------------------------------------------------------------
def simswap_takeover(acct, sw, t, sink):
    rng = sw["rng"]
    tenant, login = acct.tenant, acct.login
    ph_os, model, branch, dev = sw["phone"]
    fake = Phone()
    fake.os, fake.lag_app, fake.lag_os = ph_os, 0, 0
    gen = [t, model, ph_os, branch, dev, None]
    ua = app_ua(tenant, fake, gen, t)
    sw["ua"] = ua
    asn, reg = sw["carrier"], sw["region"]
    cur = t
    if rng.random() < 0.35:
        pw = rng.choices(BREACH_POP, BREACH_W)[0] if rng.random() < 0.5 else variant_old(acct.pw, rng)
        sink.add(cur, tenant, login, True, mobile_addr(rng, asn, reg), ua, dev, pw, pw == acct.pw, asn, "US",
                 "attack", "sim-swap")
        cur += int(rng.uniform(20, 90) * MS_S)
    cur += int(rng.uniform(2, 6) * MS_M)
    sink.reset(tenant, login, cur)
    apw = unique_pw(rng)
    acct.set_pw(cur, apw, "attacker")
    sw["pw"] = apw
    cur += int(rng.uniform(40, 200) * MS_S)
    sink.add(cur, tenant, login, True, mobile_addr(rng, asn, reg), ua, dev, apw, True, asn, "US", "attack", "sim-swap")


def simswap_followup(acct, sw, t, sink):
    rng = sw["rng"]
    asn, reg = sw["carrier"], sw["region"]
    pw = sw.get("pw")
    if pw is None:
        return
    sink.add(t, acct.tenant, acct.login, True, mobile_addr(rng, asn, reg), sw["ua"], sw["phone"][3], pw,
             pw == acct.pw, asn, "US", "attack", "sim-swap")


# ----------------------------------------------------------------------------------------
# External attacks
# ----------------------------------------------------------------------------------------
class Attacks:
    def __init__(self, seed, pop, cal, sink, scale):
        self.seed, self.pop, self.cal, self.sink, self.scale = seed, pop, cal, sink, scale
        self.used = {}

    def r(self, name):
        return random.Random(f"{self.seed}|attack|{name}")

    def n(self, base, minimum):
        return max(minimum, int(round(base * self.scale)))

    def at(self, day_frac):
        return T0 + int(day_frac / 14.0 * DAYS * MS_D)

    def emit(self, t, tenant, login, ip, asn, cc, ua, dev, pw, scen):
        a = self.pop.by_tenant[tenant].get(login)
        ok = a is not None and pw == a.pw_at(t)
        self.sink.add(t, tenant, login, a is not None, ip, ua, dev, pw, ok, asn, cc, "attack", scen)
        return ok

    def unknown_name(self, rng, tenant):
        while True:
            u = make_username(rng, rng.randint(20, 70))
            if rng.random() < 0.3:
                u = u + str(rng.randint(1, 99))
            if u not in self.pop.by_tenant[tenant]:
                return u

    def combo_entry(self, rng, tenant, t, p_hit, p_exist):
        accts = self.pop.tenant_accts[tenant]
        numeric = accts[0].login.isdigit()
        r = rng.random()
        if numeric or r >= p_hit + p_exist:
            return self.unknown_name(rng, tenant), self.breach_pw(rng)
        a = rng.choice(accts)
        if r < p_hit:
            return a.login, a.pw_at(t)
        return a.login, self.breach_pw(rng)

    def breach_pw(self, rng):
        if rng.random() < 0.35:
            return rng.choices(BREACH_POP, BREACH_W)[0]
        if rng.random() < 0.2:
            return rng.choices(POPULAR, POP_W)[0]
        return unique_pw(rng)

    def buyer_followup(self, rng, tenant, login, t, scen, p_use):
        """A cracked account is used later by whoever bought it: geo-matched proxy, own browser."""
        if rng.random() >= p_use:
            return
        a = self.pop.by_tenant[tenant][login]
        st = a.state if a.state in STATES else None
        ua = rng.choice(MODERN_UAS)
        tt = t + int(rng.uniform(0.5, 5) * MS_D)
        cookie = None
        for _ in range(rng.randint(1, 2)):
            ip, asn, cc = resi_proxy(rng, st)
            self.emit(tt, tenant, login, ip, asn, cc, ua, cookie, a.pw_at(tt), scen)
            cookie = cookie or new_cookie(rng)
            tt += int(rng.uniform(1, 30) * MS_H)

    def stuffing_burst(self):
        rng = self.r("burst")
        tenant = "cu-riverbend"
        n = self.n(2200, 60)
        t = self.at(8.13) + rng.randrange(MS_M)
        dur = 3.2 * MS_H
        step = dur / n
        for i in range(n):
            t += int(rng.expovariate(1.0 / step))
            if i == n // 2:
                t += int(rng.uniform(10, 25) * MS_M)      # proxy pool swap
            login, pw = self.combo_entry(rng, tenant, t, 0.015, 0.265)
            ip, asn, cc = resi_proxy(rng)
            if self.emit(t, tenant, login, ip, asn, cc, rng.choice(STALE_UAS), None, pw, "stuffing-burst"):
                self.buyer_followup(rng, tenant, login, t, "stuffing-burst", 0.4)

    def stuffing_slow(self):
        rng = self.r("slow")
        n = self.n(1400, 40)
        slugs = [x[0] for x in TENANTS]
        w = [math.sqrt(x[1]) for x in TENANTS]
        for _ in range(n):
            t = T0 + rng.randrange(DAYS * MS_D)
            tenant = rng.choices(slugs, w)[0]
            login, pw = self.combo_entry(rng, tenant, t, 0.016, 0.28)
            ip, asn, cc = resi_proxy(rng)
            if self.emit(t, tenant, login, ip, asn, cc, rng.choice(STALE_UAS), None, pw, "stuffing-slow"):
                self.buyer_followup(rng, tenant, login, t, "stuffing-slow", 0.4)

    def spraying(self):
        rng = self.r("spray")
        n = self.n(600, 30)
        slugs = [x[0] for x in TENANTS]
        w = [x[1] for x in TENANTS]
        targets = []
        for _ in range(n):
            tenant = rng.choices(slugs, w)[0]
            accts = self.pop.tenant_accts[tenant]
            if rng.random() < 0.75:
                login = rng.choice(accts).login
            elif accts[0].login.isdigit():
                lo, hi = self.pop.num_range[tenant]
                login = str(rng.randint(lo, hi + 500))
            else:
                login = self.unknown_name(rng, tenant)
            targets.append((tenant, login))
        hosting = []
        for asn in (16276, 16276, 9009, 9009, 9009, 24940, 24940, 14061, 14061, 16276, 9009, 24940):
            hosting.append(host_ip(rng, asn))
        ua_fixed = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36"
        rounds = [(2.25, "Password1", "host"), (2.75, "Welcome1", "host"), (3.3, "Password123", "host"),
                  (8.2, "Fall2025!", "resi"), (9.3, "Summer2025", "resi"), (10.8, "Qwerty123", "resi")]
        hit = set()
        for day, pw, src in rounds:
            t = self.at(day) + rng.randrange(20 * MS_M)
            span = rng.uniform(7, 11) * MS_H
            order = list(range(len(targets)))
            rng.shuffle(order)
            step = span / max(1, len(order))
            uas = rng.sample(STALE_UAS, 8)
            for j in order:
                t += int(rng.expovariate(1.0 / step))
                tenant, login = targets[j]
                if (tenant, login) in hit:
                    continue
                if src == "host":
                    ip, asn, cc = rng.choice(hosting)
                    ua = ua_fixed
                else:
                    ip, asn, cc = resi_proxy(rng)
                    ua = rng.choice(uas)
                if self.emit(t, tenant, login, ip, asn, cc, ua, None, pw, "spraying"):
                    hit.add((tenant, login))
                    self.buyer_followup(rng, tenant, login, t, "spraying", 0.5)

    def pick_victims(self, rng, k, pred, tenants=None, weights=None):
        out = []
        tries = 0
        while len(out) < k and tries < 200000:
            tries += 1
            if tenants is None:
                a = rng.choice(self.pop.accounts)
            else:
                a = rng.choice(self.pop.tenant_accts[rng.choices(tenants, weights)[0]])
            key = (a.tenant, a.login)
            if key in self.used or a.simswap or a.elder:
                continue
            if pred(a):
                self.used[key] = 1
                out.append(a)
        return out

    def aitm(self):
        rng = self.r("aitm")
        n = self.n(55, 6)
        waves = [(2.6, 6.0, [14061, 14061]), (6.0, 9.2, [20473]), (9.2, 13.2, [63949, 63949])]
        wave_ips = [[host_ip(rng, asn, "nyc" if asn == 14061 else "us") for asn in w[2]] for w in waves]
        victims = self.pick_victims(rng, n, lambda a: a.persons[0].home.kind == "home",
                                    ["cu-riverbend", "cu-cascade", "cu-desertsun"], [.6, .25, .15])
        # fraudster's machines: two persistent browsers whose cookie survives across victims
        machines = [{"ua": MODERN_UAS[0], "cookie": None}, {"ua": MODERN_UAS[2], "cookie": None}]
        plan = []
        for a in victims:
            wi = rng.randrange(3)
            d0, d1, _ = waves[wi]
            day = rng.uniform(d0, d1)
            p = a.persons[0]
            base = self.at(day)
            day0 = T0 + ((base - T0) // MS_D) * MS_D - int((p.home.tz + 5) * MS_H)
            t = day0 + int(rng.uniform(9, 21.5) * MS_H)
            plan.append((t, a, wi))
        plan.sort(key=lambda x: (x[0], x[1].tenant, x[1].login))
        for t, a, wi in plan:
            p = a.persons[0]
            homes = [b for b in p.profiles if b.loc == "home"]
            sms = rng.random() < 0.7
            if (sms or not homes) and p.phone is not None:
                ph = p.phone
                ua = mweb_ua(ph, ph.gens[phone_gen(ph, t)], t)
            elif homes:
                ua = desk_ua(homes[0].fam, homes[0].lag, t)
            else:
                ua = rng.choice(MODERN_UAS)
            ip, asn, cc = rng.choice(wave_ips[wi])
            if rng.random() < 0.12:
                self.emit(t, a.tenant, a.login, ip, asn, cc, ua, None, typo(a.pw_at(t), rng), "aitm-phishing")
                t += int(rng.uniform(6, 25) * MS_S)
            captured = a.pw_at(t)
            self.emit(t, a.tenant, a.login, ip, asn, cc, ua, None, captured, "aitm-phishing")
            if rng.random() < 0.8:
                tt = t + int(rng.uniform(0.5, 36) * MS_H)
                r = rng.random()
                if r < 0.5:
                    m = rng.choice(machines)
                else:
                    m = {"ua": rng.choice(MODERN_UAS), "cookie": None}
                for _ in range(rng.randint(1, 2)):
                    s = rng.random()
                    if s < 0.45:
                        fip, fasn, fcc = resi_proxy(rng, a.state if a.state in STATES else None)
                    elif s < 0.75:
                        fip, fasn, fcc = ip, asn, cc
                    else:
                        fip, fasn, fcc = host_ip(rng, rng.choice([9009, 60068]))
                    self.emit(tt, a.tenant, a.login, fip, fasn, fcc, m["ua"], m["cookie"], captured, "aitm-phishing")
                    if m["cookie"] is None:
                        m["cookie"] = new_cookie(rng)
                    tt += int(rng.uniform(0.3, 20) * MS_H)

    def brute_force(self):
        rng = self.r("brute")
        k = self.n(4, 2)
        victims = self.pick_victims(rng, k, lambda a: 50 <= a.age <= 78 and a.persons[0].home.kind == "home"
                                    and not a.simswap)
        lucky = rng.randrange(len(victims))
        ua = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"
        for vi, a in enumerate(victims):
            srcs = [host_ip(rng, rng.choice([20473, 16276])), host_ip(rng, 9009)][: rng.randint(1, 2)]
            first = a.login.split(".")[0].rstrip("0123456789")
            guesses = []
            for i in range(400):
                r = rng.random()
                if r < 0.45:
                    guesses.append(POPULAR[i % len(POPULAR)])
                elif r < 0.8:
                    guesses.append((first.capitalize() or "Money") + str(rng.randint(1940, 2025)) + rng.choice(["", "!", "#"]))
                else:
                    guesses.append(variant_old(a.pw, rng))
            total_h = rng.uniform(14, 22)
            nights = [self.at(rng.uniform(3.5, 6.5)), self.at(rng.uniform(7.5, 11.5))]
            gi = 0
            success = False
            correct_cycle = rng.randint(14, 22) if vi == lucky else None
            cyc = 0
            for ni, t in enumerate(nights):
                tend = t + int(total_h / 2 * MS_H)
                while t < tend and not success:
                    cyc += 1
                    ip, asn, cc = srcs[cyc % len(srcs)]
                    for j in range(6):
                        pw = guesses[gi % len(guesses)]
                        if correct_cycle is not None and cyc == correct_cycle and j == 2:
                            pw = a.pw_at(t)
                        gi += 1
                        if self.emit(t, a.tenant, a.login, ip, asn, cc, ua, None, pw, "brute-force"):
                            success = True
                            break
                        t += int(rng.uniform(2, 7) * MS_S)
                    if success:
                        # come back later from the same address to use the account
                        tt = t + int(rng.uniform(2, 20) * MS_H)
                        for _ in range(rng.randint(1, 2)):
                            self.emit(tt, a.tenant, a.login, ip, asn, cc, ua, None, a.pw_at(tt), "brute-force")
                            tt += int(rng.uniform(1, 10) * MS_H)
                        break
                    for _ in range(rng.randint(1, 3)):       # retries that meet the lock
                        self.emit(t, a.tenant, a.login, ip, asn, cc, ua, None, guesses[gi % len(guesses)], "brute-force")
                        t += int(rng.uniform(3, 9) * MS_S)
                    t += int(rng.uniform(31, 45) * MS_M)

    def enumeration(self):
        rng = self.r("enum")
        tenant = "cb-prairie"
        lo, hi = self.pop.num_range[tenant]
        n = self.n(1300, 40)
        start = lo + rng.randrange(max(1, (hi - lo) - n))
        pw = "Welcome1"
        app, short = TENANT_APP[tenant]
        ua = f"{app}/25.9.3 (Android 13; SM-G991U; Build/250903) okhttp/4.12.0"
        vultr = [host_ip(rng, 20473), host_ip(rng, 20473)]
        t = self.at(10.05) + rng.randrange(MS_M)
        cur_ip = None
        hits = []
        for i in range(n):
            num = str(start + i)
            if i < int(n * 0.4):
                ip, asn, cc = vultr[i % 2]
            else:
                if cur_ip is None or rng.random() < 0.15:
                    cur_ip = resi_proxy(rng)
                ip, asn, cc = cur_ip
            if self.emit(t, tenant, num, ip, asn, cc, ua, new_uuid(rng), pw, "enumeration"):
                hits.append((num, t))
            t += int(rng.uniform(6, 16) * MS_S)
        for num, th in hits:
            if rng.random() < 0.4:
                tt = th + int(rng.uniform(8, 30) * MS_H)
                dev = new_uuid(rng)
                for _ in range(rng.randint(1, 2)):
                    ip, asn, cc = resi_proxy(rng)
                    a = self.pop.by_tenant[tenant][num]
                    self.emit(tt, tenant, num, ip, asn, cc, ua, dev, a.pw_at(tt), "enumeration")
                    tt += int(rng.uniform(1, 12) * MS_H)


def plan_inner_attacks(seed, pop, scale):
    """SIM swaps and elder-fraud sessions live inside the victim's own timeline."""
    rng = random.Random(f"{seed}|attack|simswap")
    k = max(3, int(round(18 * scale)))
    accts = pop.accounts
    chosen = 0
    tries = 0
    while chosen < k and tries < 100000:
        tries += 1
        a = rng.choice(accts)
        h = a.persons[0]
        if a.simswap or h.phone is None or not h.app or h.home.kind != "home" or not (22 <= a.age <= 70):
            continue
        if h.phone.carrier not in (6167, 21928, 20057):
            continue
        day = rng.uniform(0.5, DAYS - 0.8)
        t = T0 + int(day * MS_D)
        if rng.random() < 0.6:    # evenings / nights local
            t = T0 + int(day) * MS_D + int(rng.uniform(13, 23) * MS_H)
        ios = rng.random() < 0.6
        model = wchoice(rng, NEW_IOS) if ios else wchoice(rng, NEW_ANDROID)
        dev = new_uuid(rng, ios)
        region = STATES[h.home.hh.state][2] if rng.random() < 0.5 else rng.choice(["NE", "SE", "MW", "SC", "W", "SW"])
        follow = [t + int(rng.uniform(0.3, 8) * MS_H) for _ in range(rng.randint(1, 3))]
        a.simswap = {"t": t, "rng": random.Random(f"{seed}|simswap|{a.tenant}|{a.login}"),
                     "phone": ("ios" if ios else "android", model, "26" if ios else "16", dev),
                     "carrier": h.phone.carrier, "region": region, "follow": sorted(follow)}
        chosen += 1
    rng = random.Random(f"{seed}|attack|elder")
    k = max(2, int(round(6 * scale)))
    chosen = tries = 0
    while chosen < k and tries < 100000:
        tries += 1
        a = rng.choice(accts)
        h = a.persons[0]
        if a.simswap or a.elder or a.age < 72 or h.home.kind != "home" or a.snowbird:
            continue
        if not [b for b in h.profiles if b.loc == "home" and not b.private]:
            continue
        day = rng.randrange(0, max(1, DAYS - 3))
        ts = []
        for j in range(rng.randint(1, 3)):
            d = day + j * rng.randint(0, 2)
            base = T0 + d * MS_D - int((h.home.tz + 5) * MS_H)
            tt = base + int(rng.uniform(10, 16) * MS_H)
            if h.place_at(tt).kind == "home" and tt < TEND:
                ts.append(tt)
        if ts:
            a.elder = sorted(ts)
            chosen += 1


# ----------------------------------------------------------------------------------------
# Operator lockout and output
# ----------------------------------------------------------------------------------------
LOCK_N, LOCK_MS = 6, 30 * MS_M
I_T, I_SEQ, I_TEN, I_ACC, I_EX, I_IP, I_UA, I_DEV, I_PW, I_OK, I_ASN, I_CC, I_LAB, I_SCEN = range(14)


def apply_lockout(sink):
    per = {}
    for i, e in enumerate(sink.ev):
        if e[I_EX]:
            per.setdefault((e[I_TEN], e[I_ACC]), []).append((e[I_T], e[I_SEQ], 1, i))
    for (t, seq, ten, acc) in sink.resets:
        lst = per.get((ten, acc))
        if lst is not None:
            lst.append((t, seq, 0, -1))
    outcome = [None] * len(sink.ev)
    for key in per:
        lst = per[key]
        lst.sort()
        fails, until, cause = 0, -1, None
        for t, _s, kind, i in lst:
            if kind == 0:
                fails, until = 0, -1
                continue
            e = sink.ev[i]
            if t < until:
                outcome[i] = "locked"
                if e[I_LAB] == "legit" and cause == "attack":
                    e[I_SCEN] = "locked-out-by-attack"
                continue
            if e[I_OK]:
                outcome[i] = "success"
                fails = 0
            else:
                outcome[i] = "wrong_secret"
                fails += 1
                if fails >= LOCK_N:
                    until, fails, cause = t + LOCK_MS, 0, e[I_LAB]
    for i, e in enumerate(sink.ev):
        if not e[I_EX]:
            outcome[i] = "unknown_account"
    return outcome


_DAYSTR = {}


def fmt_ts(ms):
    d, r = divmod(ms, MS_D)
    ds = _DAYSTR.get(d)
    if ds is None:
        ds = (dt.date(1970, 1, 1) + dt.timedelta(d)).isoformat()
        _DAYSTR[d] = ds
    h, r = divmod(r, MS_H)
    m, r = divmod(r, MS_M)
    s, ms_ = divmod(r, MS_S)
    return f"{ds}T{h:02d}:{m:02d}:{s:02d}.{ms_:03d}Z"


def write(sink, outcome, path):
    idx = sorted(range(len(sink.ev)), key=lambda i: (sink.ev[i][I_T], sink.ev[i][I_SEQ]))
    dumps = json.dumps
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        buf = []
        for i in idx:
            e = sink.ev[i]
            o = outcome[i]
            rec = {"ts": fmt_ts(e[I_T]), "account": e[I_ACC], "ip": e[I_IP], "user_agent": e[I_UA]}
            if e[I_DEV]:
                rec["device"] = e[I_DEV]
            rec["outcome"] = o
            rec["secret_fp"] = fp(e[I_PW])
            rec["asn"] = e[I_ASN]
            rec["country"] = e[I_CC]
            rec["tenant"] = e[I_TEN]
            rec["label"] = e[I_LAB]
            rec["scenario"] = e[I_SCEN]
            rec["takeover"] = e[I_LAB] == "attack" and o == "success"
            buf.append(dumps(rec, separators=(",", ":")))
            if len(buf) >= 20000:
                f.write("\n".join(buf) + "\n")
                buf = []
        if buf:
            f.write("\n".join(buf) + "\n")
    return len(idx)


def main(argv=None):
    global DAYS, TEND, FP_KEY
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[1], formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("seed")
    ap.add_argument("out")
    ap.add_argument("--users", type=int, default=30000)
    ap.add_argument("--days", type=int, default=14)
    args = ap.parse_args(argv)
    if args.users < 200 or args.days < 2:
        ap.error("need --users >= 200 and --days >= 2")
    DAYS = args.days
    TEND = T0 + DAYS * MS_D
    FP_KEY = f"cu-platform-secret-fp-key|{args.seed}".encode()
    cal = Cal(DAYS)
    pop = Pop(args.seed, args.users, cal)
    BY_TENANT.clear()
    BY_TENANT.update(pop.by_tenant)
    scale = args.users / 30000.0
    plan_inner_attacks(args.seed, pop, scale)
    sink = Sink()
    for a in pop.accounts:
        simulate_account(a, cal, sink)
    atk = Attacks(args.seed, pop, cal, sink, scale)
    atk.stuffing_burst()
    atk.stuffing_slow()
    atk.spraying()
    atk.aitm()
    atk.brute_force()
    atk.enumeration()
    outcome = apply_lockout(sink)
    n = write(sink, outcome, args.out)
    print(f"wrote {n} events for {len(pop.accounts)} members, {DAYS} days -> {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
