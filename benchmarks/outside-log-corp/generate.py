#!/usr/bin/env python3
"""METHODS -- synthetic login log of a Japanese bank's corporate internet-banking portal

Usage:  python3 generate.py SEED OUT.jsonl [--users N] [--days D]
        (defaults N=15000 company logins, D=14 days; Python 3 standard library only)

Written from general knowledge of Japanese corporate ("hojin") internet banking, of how accounting and treasury
staff use it, and of published incident reporting -- NOT from the detection engine's code, tests or docs (only the
output format, "Mamori JSONL", was read). Every number below is an assumption a reader may disagree with; each is
stated with its reason. Addresses: prefixes were chosen from memory as belonging to the named network; an IP-geo
database may disagree with exact boundaries, but every event's asn and country are consistent with the network the
generator drew the address from, and every address is globally routable (no RFC 1918 / CGN-100.64 / documentation
space).

0. OUTPUT AND GROUND TRUTH
 * One JSON object per line, sorted by ts (UTC, millisecond, "Z"), non-decreasing (the simulation is one
   discrete-event loop, so the file is written in time order).
 * Fields: ts, account, ip, outcome, user_agent, device, secret_fp, asn, country, tenant, label, scenario, takeover.
   account = "<company code>-<user id>" (e.g. C004812-yamada), tenant = the company code ("C004812") when the code
   entered belongs to a client company (also for an unknown user id of a real company); absent when the code is not
   a customer's. device = the bank's long-lived "registered browser" cookie as presented with the request; it is
   minted by the bank at a successful login of a browser that presented none, so a never-seen browser, a
   fresh VDI desktop or a cookie-clearing browser has NO device field on its first login; attackers without the
   victim's cookie likewise send none. secret_fp = first 16 hex of SHA-256("corp-ib/"+password-as-typed): it depends
   only on the string typed, so one password gives one fp across all accounts (spraying shows as one fp on many
   accounts; a typo, a CapsLock or IME full-width entry gives a different but stable fp).
 * ~0.2% of events lack asn+country (geo look-up miss in the export), ~0.1% lack user_agent (stripped by some
   proxies); nothing else is ever missing.
 * The bank's second factor (hardware/software one-time-password token or e-certificate) is not in this export:
   no step_up field is written. (AitM phishing in 2023-24 relayed the OTP too, so the factor did not stop it.)
   The portal modelled is the "ID/password" login method; clients on the client-certificate method would not
   reach the password step from a foreign machine, so their relay/cash-out attempts would not appear here at all.
 * Expected size at the defaults: ~245,000 events, ~3.8% attack, ~180 takeovers, ~10-15 s on one core.
 * label legit|attack; takeover=true exactly on attack events whose outcome is success. scenario names the
   behaviour of the sitting ("episode"); when one sitting has several traits the most specific wins, in this
   precedence: fraud-hold > lockout > forgot > old-password > typo > pw-expiry > new-user > new-pc >
   dormant-return > travel > bpo > group-treasury > shared-login > vdi > cookie-clear > ie-mode > mobile > vpn >
   remote > sse-gateway > coworking > branch > office. A legit event whose outcome is "locked" is always lockout (or
   fraud-hold when the bank froze the account after a fraud).

1. SERVICE AND SERVER RULES
 * Period: Tue 2025-03-18 00:00 JST .. (D days; default to Mon 2025-03-31, Japanese fiscal-year end). Includes
   Vernal Equinox Day (Thu 20 Mar, holiday), two weekends, the 25th (salary / gotobi payment day) and 31 March
   (month- and fiscal-year end, the heaviest payment day of the year).
 * Lockout: 6 consecutive wrong passwords lock the login (Japanese banks use 3-10; 6 is common). The counter
   resets on success. A locked login answers "locked" to any password. The 6th failure itself is answered
   wrong_secret.
 * Unlock: a normal user asks the company's administrator ("master user"), who logs in and unlocks/reissues a
   temporary password within 10 min-3 h during office hours (next business morning otherwise). If the locked login
   is the administrator itself (or a one-user company), the bank's help desk must do it after a written/phone
   procedure: 1-3 business days, temporary password by mail. First login with a temporary password forces a
   change (success with the temp fp, then new password).
 * Password expiry: 6% of logins reach their (90-day style) expiry during the period; the expiry login is a
   success (the export records "password_expired" as success) followed by a change; for the next 2 sittings the
   user types the OLD password first with p=0.3 (old-password scenario).
 * Maintenance: the portal is closed Sun 2025-03-23 01:00-06:00 JST (monthly planned maintenance): no events at
   all in that window, for anyone. (Sittings planned inside it move to its end.)
 * Unknown user ids are answered unknown_account (the log is the bank's internal one, which knows).

2. CLIENT COMPANIES (N/5 companies, default 3,000)
 * Size (logins per company), heavy-tailed: 1:10%, 2:28%, 3:20%, 4:12%, 5-6:11%, 7-10:9%, 11-20:6%, 21-50:3%,
   51-120:1%; then trimmed to exactly N logins. Roles: 1 administrator (master user; in small firms the
   president, who is also the approver), approvers (1 + size/8), the rest operators (accounting/treasury staff).
 * Login ids: romanised Japanese surnames drawn with a Zipf-like weight from the ~100 commonest (sato, suzuki,
   takahashi ...), suffixed 2,3.. on collision inside a company; 40% of administrators are "admin"/"master"/
   "kanri"; 10% of companies of <=4 people use ONE shared login ("keiri", "soumu", "jimu", "keiri01") for 2-3
   people (bad practice, common in small firms).
 * Network per company (office egress):
   - own NAT: business fibre from OCN AS4713 35%, KDDI AS2516 20%, SoftBank AS17676 15%, IIJ AS2497 15%,
     ARTERIA AS17506 10%, BIGLOBE AS2518 5%; 1 address per site (75%), 2 (20%) or 3-4 (5%) used alternately
     (load-balanced lines). Companies of >=8 logins have 1 + size/15 (max 5) branch sites (Osaka, Nagoya,
     Fukuoka...) with their own NAT, often another ISP; 35% of their staff sit in branches (scenario branch).
   - coworking / shared office building: 4% of companies of <=6 logins sit in one of a few shared offices whose
     NAT address is shared by 3-8 unrelated small companies.
   - cloud security gateway (SSE/SWG: Zscaler ZIA AS53813/AS62044 55%, Netskope AS55256 15%, Cloudflare
     Gateway/WARP AS13335 15%, Palo Alto Prisma Access on Google Cloud AS396982 15%): adoption by size 60% (>=21
     logins), 35% (7-20), 15% (3-6), 6% (<=2). ALL of the company's traffic (office and remote via the client
     connector) leaves from the provider's egress pool (Tokyo/Osaka, 40-160 addresses per provider shared by all
     of the bank's clients on that provider); the address is drawn anew for every sitting. 1.5% of SSE sittings
     are served by a foreign node (SG/HK/US/DE: failover, or the traveller's nearest node).
   - VDI (8% of companies of >=11 logins, 3% of smaller ones): every sitting runs in a non-persistent desktop: a fresh browser
     profile each day (no device on the first login of the day, a new device id after it); egress is the VDI
     farm's NAT: Azure Virtual Desktop Japan East AS8075 (50%) or the company's data-centre line; location of the
     person is invisible.
   - cookie-clear (6%): browsers delete cookies on exit: 75% of sittings arrive without device.
   - IE mode (5%): the company's Edge policy opens the bank in IE mode (IE11 user agent, separate cookie jar);
     30% of their staff alternate between IE-mode and normal Edge on one PC (two device ids, one IP).
   - remote access policy: none 35% (accounting PCs stay in the office), corporate VPN full tunnel 30% (egress =
     a VPN concentrator address in the company's ISP range, 12% of these hosted on AWS/Azure Tokyo), direct
     split-tunnel from home 35%.
 * Passwords: per company with p=0.06 a "house" password (e.g. Sanwa2025) which 50% of its staff use (set by
   the administrator as initial password and never changed). Otherwise per login: 3.5% one of ~45 popular
   corporate passwords with Zipf weights (Passw0rd, Password1, abcd1234, Passw0rd!, P@ssw0rd, Haru2025,
   Keiri2025, ...), 2.5% a company-name pattern (Brand2025, brand2025, Brand2024, Brand1234, brand1234,
   Brand@2025, Brand0401, Brand01), 36% surname + date/number patterns (Yamada0415, yamada1985!), 58%
   effectively unique. Result: ~1% of logins use exactly <Brand>2025, ~0.5% Password1. Shared role logins use
   role-word passwords (keiri1234, Keiri2025 ...) 30% of the time. Each login also has an old password (previous
   year's variant or another draw) that users, forgetful users and combo lists may still use. The bank's policy
   (8+ chars, letters and digits) is respected by legit passwords, not by combo-list junk.

3. PEOPLE AND LEGITIMATE BEHAVIOUR (one actor per person, N persons)
 * Activity classes: daily 42% (present on 93% of workdays), regular 30% (present 55%), payment-day-only 20%
   (present 75% on heavy days, 10% otherwise), dormant 8% (no login; 25% of them return once: dormant-return,
   with forgot p=0.35). Operators are more often daily, administrators more often payment-day.
 * Sittings per present workday ~ Poisson(rate x day weight): operator 2.2, approver 1.6, administrator 1.0,
   shared login 1.8 per person; at most 8, >=4 min apart. A sitting is one successful login (the portal's
   10-15 min idle timeout makes staff log in several times a day).
 * Day weight: 1.0 base, Monday 1.08, business day before a payment day 1.15, first 3 business days of a month
   1.15, gotobi payment day (5/10/15/20/25 moved to the next business day) 1.3, the 25th 1.4, month end (moved to
   the previous business day) 1.6, 31 March 1.85. So 21 Mar (the 20th's payments after the holiday), 25 Mar and
   31 Mar peak. Approvers' weight is amplified 1.5x around payment days. Weekend/holiday work: 1.5% of persons
   per off-day (6% on the fiscal-year-end weekend 29-30 Mar; x1.5 for approvers/administrators), 1-2 sittings,
   75% from home where remote access is allowed (22% even where it is not: personal PC, bad practice).
 * Time of day (JST, half-hour weights): ramps 07:30-09:00, peak 09:00-11:30, lunch dip 12:00-13:00 (~1/3),
   afternoon peak 13:00-15:00 (the 15:00 same-day transfer cut-off), tail to 21:00, a trickle at night. Evening
   weight x(1+2(w-1)) on heavy days (month-end overtime). Personal shift +-40 min. Off-days: flat 10:00-17:00.
 * Remote work: per person p_remote 0.05 (50%), 0.2 (30%), 0.5 (20%) of workdays if the company allows it
   (0 on workdays otherwise). Remote egress: SSE pool (SSE companies), VPN concentrator (vpn companies) or the
   person's home line: OCN 22%, SoftBank 18%, KDDI au-hikari 18%, So-net/NURO 12%, J:COM 10%, BIGLOBE 8% and
   IPv6 (OCN / SoftBank / KDDI IPoE, 12% of homes; privacy address changes per sitting in a stable /56).
   Home IPv4 changes with p=0.12 per day (PPPoE reconnects). 8% of remote sittings are via phone tethering
   (docomo AS9605 / au AS2516 / SoftBank AS17676 / Rakuten AS138384 CGNAT: new address every sitting).
 * Devices: 70% of persons use one company laptop at office and home; 30% a desktop at office plus a personal
   PC at home (BYOD, second device). Browsers: Edge 52%, Chrome 38%, Mac Safari/Chrome 4%, Firefox (incl. ESR 128)
   3%. User agents as of March 2025 (Edge 134.0.3124.x with patch updates released ~21 and ~28 Mar that each
   device picks up 0-5 days later; 12% managed laggards on 133; Chrome reduced UA 134/133; Firefox 136/128 ESR;
   Safari 18.3; iOS 18.3.x). 20% of approvers also approve from a phone (15% of their sittings, mobile carrier;
   scenario mobile).
 * New PCs: 4% of persons receive a new PC during the period (fiscal-year-end PC refresh / Windows 10 end of
   support): from that day a new device and the newest UA (new-pc for that day and the next).
 * New users: 1.2% of logins are created during the period (April transfers prepared in March): the
   administrator logs in to create them; first login with the initial password 10 min-1.5 days later, forced
   change; new-user for 2 days. 70% sit at a PC that never logged in to the bank (no device on the first login),
   30% inherit a predecessor's PC (a device id the bank has seen, but for another login).
 * Travel: 0.42% of operators and 2.1% of approvers/administrators (none in VDI companies) travel 2-6 days to CN 22, US 14, VN 12,
   TH 12, SG 8, TW 8, KR 6, ID 6, PH 5, DE 5, IN 4 (weights); log in at local office hours; egress hotel Wi-Fi
   (local ISP: China Telecom AS4812, China Unicom AS4837, Viettel AS7552, VNPT AS45899, True AS7470, SingNet
   AS3758, HiNet AS3462, KT AS4766, Telkom AS7713, PLDT AS9299, Comcast AS7922, AT&T AS7018, Deutsche Telekom
   AS3320, Jio AS55836) 45%, company VPN / nearest SSE node 30%, roaming on the Japanese SIM (home-routed, so a
   JP mobile address) 25%; 30% of VPN/SSE-less companies' travellers fall back to roaming. Desktop users take a
   loaner laptop (new device).
 * Outsourced accounting (bpo): N/375 accounting/payroll firms (tax accountants, BPO) with 2-6 staff each log in
   to 3-15 small client companies' logins (one per client, e.g. C001234-zeirishi) from the firm's own office
   address and PCs: one device and one IP across many tenants; ~3 batches a workday, 1-5 clients per batch
   2-15 min apart.
 * Group treasury: N/1000 groups: 1-2 treasury staff of a large parent log in to 2-6 subsidiaries' logins from
   the parent's network (SSE or NAT).
 * Mistakes per sitting: typo 3% (per person x0.5/1/1.5: careful and clumsy typists; one edit of the
   password, a second typo 20%), CapsLock 0.6% (swapped case, once or twice: the same wrong fp each time),
   IME full-width entry 0.4% (Japanese input mode left on), user-id typo 0.5% (mistyped user id or transposed
   company-code digits: unknown_account, or occasionally another real login's wrong_secret), forgot (daily users
   0.15%, regular 0.3%, payment-day-only 0.5%, dormant users returning 35%: 2-5 wrong guesses drawn from old
   passwords/variants/popular; then remembers 60% or gives up and asks for a reset 40%; 20% of the forgetful keep
   trying to 6-8 and lock themselves out). After a locked answer
   the user retries 0-2 times, then asks for an unlock (see 1). On a shared login, a colleague's password change
   makes the others type the stale password once (old-password), then ask and succeed.
 * Legit failures are thus ~6% of legit events (wrong_secret ~5.7%, unknown_account ~0.5%, locked ~0.2%); legit locked answers arise from forgetting, from an attacker's
   failures piling on (targeted guessing), and from fraud holds.

4. ATTACKS (label attack; every success takeover=true). Sizes below are for N=15000, D=14 and scale with N and D.
 a. aitm-relay / aitm-cashout -- adversary-in-the-middle phishing of accounting staff, modelled on the
    2023-24 wave against Japanese corporate internet banking (fake bank pages reached from e-mail/SMS, and from
    2024 "voice phishing" calls posing as the bank that obtain an e-mail address, then send the link; the
    kit relays ID, password and one-time password in real time; unauthorized transfers follow within hours).
    28 victims (operators and approvers; companies behind an SSE are 0.3x as likely, URL filtering blocks the
    fresh phishing domains), phished during weekday office hours in three waves of infrastructure:
    wave 1 (days 0-5) relay on AWS Tokyo AS16509, cash-out from Japanese residential proxies and Vultr Tokyo;
    wave 2 (days 4-10) relay on ConoHa AS7506 / Sakura AS9371 (local JP VPS), cash-out from China/Vietnam
    residential and Alibaba/Tencent Hong Kong; wave 3 (days 9-13) relay on DigitalOcean Singapore AS14061 and
    Azure Japan East AS8075, cash-out from JP residential proxies. Two relay addresses per wave serve every
    victim of that wave (one IP, many unrelated companies). The relay presents the victim's own user agent (30% of victims opened the
    link on their phone: their iPhone/Android UA) and no device cookie (fresh cookie jar per victim); 15% of
    victims typo on the phishing page (relay wrong_secret first); 25% of kits ask twice ("please re-enter"),
    giving a second relay login 20-90 s later carrying the device minted at the first. 70% of victims are then
    cashed out: 1-3 logins from the attacker's own browser (anti-detect browser: plausible Windows Chrome/Edge
    UA, new device) 5 min-6 h later (or early next morning before the victim arrives), spaced 20 min-8 h.
    45% of cashed-out accounts are frozen by the bank 1-30 h after the first cash-out (victim or fraud team
    noticed): attacker and victim then get locked; released with a reissued password 1-3 business days later
    (legit side: fraud-hold).
 b. spray -- low-and-slow password spraying across client companies from rotating infrastructure ("Strontium"/
    APT28-style, also Midnight Blizzard 2023-24): a target list of ~725 ids in 450 companies: ~600 real logins
    (1-3 per company -- learned from phishing, invoices, BEC mailboxes) and ~130 guessed ids (-admin, -keiri,
    -tanaka ...) that mostly do not exist), 9
    rounds spread over the period at any hour (the operator works another time zone), each round ONE password
    tried once against every target, ordered company by company, over 4-10 h (one attempt every ~20-50 s).
    Passwords per round: Passw0rd!, Password1, <Brand>2025, P@ssw0rd, Haru2025, abcd1234, <Brand>2024,
    Qwer1234, Spring2025! (<Brand> = the client's company name, a targeted pattern). Each attempt from a
    different address: 60% Japanese residential/mobile proxies (same ISPs as the clients' staff), 25% foreign
    residential, 10% commercial VPN (Datacamp AS60068 Tokyo, M247 AS9009), 5% Tor exits; user agent drawn per
    attempt from 20 mainstream browser strings of mixed age; no cookies. Ids answered unknown_account twice and
    logins found locked are dropped; cracked ids are not retried. 50% of cracked logins get a follow-up login
    6-48 h later from a JP residential proxy (takeover).
 c. stuffing -- credential stuffing with a combo list derived from older leaks of this and other banks'
    corporate portals: 3 waves (~1000-1300 attempts each, 50-150 min, often at night JST), 28% of combo ids are
    real logins (password: the current one 3%, an old one 22%, other 75%), 72% do not exist (valid company code +
    unknown user, or non-customer code); generic leaked passwords repeat across entries. Per wave a pool of ~250
    proxy addresses (half datacentre proxies: M247, Datacamp, DigitalOcean, Linode, Alibaba HK, Tencent HK; half
    residential JP/foreign), each used a few times; 1-2 fixed user agents per wave (tool config, Chrome 119/120);
    no cookies. 30% of hits get a follow-up login 3 h-3 days later from a JP residential proxy.
 d. infostealer -- RedLine/Lumma/Vidar logs from an infected home/BYOD PC sold on a market: password saved in the
    browser + the bank's device cookie + the victim's user agent, replayed with an anti-detect browser through a
    Japanese residential proxy (50% on the victim's own home ISP). 14 victims (persons with a home/BYOD browser
    holding a device cookie), 1-3 sessions each on random days (half in JST evenings/weekends); 20% of the stolen
    passwords are stale (changed since the theft): wrong_secret, one retry later, then abandoned.
 e. insider -- ex-employees (left Feb/March) whose login was not deleted (4) or who still know the shared login's
    password (3): 1-4 logins from their home ISP (J:COM, So-net, KDDI, OCN, SoftBank) in evenings/weekends and
    some weekdays, new personal device; one of the stale own logins is deleted mid-period by the administrator
    (later attempts: unknown_account); a shared password changed in the meantime gives wrong_secret and the
    insider gives up after 1-3 tries.
 f. mailbox-cred -- BEC actor inside the victim company's Microsoft 365 mailbox finds the banking password
    (onboarding mail with the initial password, or a password sheet) and tries it: 6 victims from commercial VPN
    / AWS Tokyo / US residential; 50% of the mailbox passwords are stale (one more variant tried, then
    abandoned), otherwise 1-3 logins.
 g. id-probe -- reconnaissance of role ids over 2 days: <code>-admin/-keiri/-soumu/-zaimu/-kanri/-master/
    -user01/-jimu for ~100 company codes (70% real customers), password "<role>1234" or Password1, from 3 hosting
    addresses (DigitalOcean SG, Linode Tokyo, Vultr Tokyo), python-requests user agent, 5-20 s apart.
 h. targeted-guess -- online guessing against 3 approvers/administrators of large clients (id known from an
    e-mail signature): 12-25 guesses built from surname, company name, year and popular passwords, 20-90 s apart,
    from one Tor exit or VPS with a HeadlessChrome UA; the login locks after 6 and the script keeps going 2-6
    more times (locked); the real user later finds the login locked and goes through the unlock procedure.
 Not modelled: man-in-the-browser malware (Gozi/Ursnif, Dridex) that transacts inside the victim's own logged-in
 session -- it produces no attacker login event.
 Every attack acts on the same server state as the legit users: its failures count toward the lockout, a
 spray round can find a login locked (or lock a dormant login after six rounds), and a login the attacker locked
 is later found locked by its user, who goes through the unlock procedure.

5. DETERMINISM
 Every random stream is random.Random(f"{seed}/<purpose>/<id>") (string seeds hash with SHA-512 inside Python,
 independent of PYTHONHASHSEED); no set/dict iteration order of unordered data; the discrete-event heap breaks
 ties by a sequence number. Same seed and arguments -> byte-identical file. Each person is one generator
 coroutine that plans a day at JST midnight, runs its sittings (yielding the time of its next action) and sleeps
 to the next midnight; administrators' unlock/creation work and every attack are further coroutines.
"""

import argparse
import bisect
import hashlib
import heapq
import ipaddress
import json
import math
import random
import sys
import time
from datetime import date, datetime, timedelta, timezone

SEC = 1000
MIN = 60 * SEC
HOUR = 60 * MIN
DAY = 24 * HOUR
JST = timezone(timedelta(hours=9))
START = date(2025, 3, 18)
T0 = int(datetime(START.year, START.month, START.day, tzinfo=JST).timestamp()) * 1000
LOCK_AT = 6
MAINT = [(int(datetime(2025, 3, 23, 1, 0, tzinfo=JST).timestamp()) * 1000,
          int(datetime(2025, 3, 23, 6, 0, tzinfo=JST).timestamp()) * 1000)]

HOLIDAYS = frozenset([
    date(2025, 3, 20), date(2025, 4, 29), date(2025, 5, 3), date(2025, 5, 4), date(2025, 5, 5), date(2025, 5, 6),
    date(2025, 7, 21), date(2025, 8, 11), date(2025, 9, 15), date(2025, 9, 23), date(2025, 10, 13),
    date(2025, 11, 3), date(2025, 11, 24), date(2025, 12, 31), date(2026, 1, 1), date(2026, 1, 2),
    date(2026, 1, 12), date(2026, 2, 11), date(2026, 2, 23), date(2026, 3, 20)])

# ----------------------------------------------------------------------------------------------- networks
NETS = {
    # Japanese fixed-line ISPs (home and business)
    'ocn': (4713, 'JP', ['114.160.0.0/13', '153.156.0.0/14', '60.36.0.0/14']),
    'ocn-biz': (4713, 'JP', ['122.16.0.0/13']),
    'kddi': (2516, 'JP', ['59.128.0.0/12', '182.248.0.0/14', '118.152.0.0/13']),
    'kddi-biz': (2516, 'JP', ['210.196.0.0/16']),
    'softbank': (17676, 'JP', ['126.0.0.0/10']),
    'softbank-biz': (17676, 'JP', ['126.64.0.0/12']),
    'iij': (2497, 'JP', ['210.130.0.0/16', '202.232.0.0/16', '210.138.0.0/16']),
    'arteria': (17506, 'JP', ['218.40.0.0/14']),
    'biglobe': (2518, 'JP', ['114.48.0.0/13']),
    'sonet': (2527, 'JP', ['220.208.0.0/14']),
    'jcom': (9824, 'JP', ['61.125.0.0/16', '180.144.0.0/14']),
    'ocn-v6': (4713, 'JP', ['2400:4050::/32']),
    'softbank-v6': (17676, 'JP', ['240b:10::/32']),
    'kddi-v6': (2516, 'JP', ['240f:60::/28']),
    # Japanese mobile carriers (CGNAT)
    'docomo': (9605, 'JP', ['49.96.0.0/12', '1.66.0.0/15', '1.72.0.0/13']),
    'au': (2516, 'JP', ['106.128.0.0/12', '111.86.0.0/15']),
    'sbm': (17676, 'JP', ['126.128.0.0/10']),
    'rakuten': (138384, 'JP', ['133.106.0.0/16']),
    # security service edge / secure web gateways
    'zscaler-jp': (53813, 'JP', ['165.225.96.0/23', '136.226.240.0/23']),
    'zscaler-osaka': (62044, 'JP', ['147.161.160.0/23']),
    'zscaler-sg': (53813, 'SG', ['165.225.112.0/23']),
    'zscaler-hk': (53813, 'HK', ['165.225.116.0/23']),
    'zscaler-us': (53813, 'US', ['165.225.8.0/23']),
    'zscaler-de': (62044, 'DE', ['147.161.172.0/23']),
    'netskope-jp': (55256, 'JP', ['163.116.128.0/23']),
    'netskope-sg': (55256, 'SG', ['163.116.192.0/23']),
    'cfwarp-jp': (13335, 'JP', ['104.28.192.0/20']),
    'prisma-jp': (396982, 'JP', ['34.84.0.0/16', '35.200.0.0/16']),
    # cloud / hosting
    'aws-tokyo': (16509, 'JP', ['13.112.0.0/14', '52.192.0.0/15', '54.64.0.0/15']),
    'azure-jpeast': (8075, 'JP', ['13.78.0.0/17', '104.41.160.0/19']),
    'do-sgp': (14061, 'SG', ['128.199.128.0/17']),
    'vultr-tokyo': (20473, 'JP', ['167.179.64.0/18']),
    'sakura': (9371, 'JP', ['160.16.0.0/16', '133.242.0.0/16']),
    'conoha': (7506, 'JP', ['150.95.0.0/16', '118.27.0.0/17']),
    'linode-tokyo': (63949, 'JP', ['139.162.64.0/19']),
    'alibaba-hk': (45102, 'HK', ['47.242.0.0/15']),
    'tencent-hk': (132203, 'HK', ['43.129.0.0/16']),
    # VPN / anonymisers
    'datacamp-jp': (60068, 'JP', ['156.146.32.0/21']),
    'm247': (9009, 'RO', ['37.120.128.0/18']),
    'tor-de': (60729, 'DE', ['185.220.100.0/22']),
    'tor-at': (208323, 'AT', ['109.70.100.0/24']),
    # foreign access ISPs (travel, foreign residential proxies)
    'ct-sh': (4812, 'CN', ['116.224.0.0/12']),
    'cu-bj': (4837, 'CN', ['123.112.0.0/12']),
    'viettel': (7552, 'VN', ['27.64.0.0/12']),
    'vnpt': (45899, 'VN', ['113.160.0.0/11']),
    'true-th': (7470, 'TH', ['171.96.0.0/13']),
    'singnet': (3758, 'SG', ['116.88.0.0/14']),
    'hinet': (3462, 'TW', ['36.224.0.0/12']),
    'kt': (4766, 'KR', ['175.192.0.0/12']),
    'telkom': (7713, 'ID', ['36.64.0.0/11']),
    'pldt': (9299, 'PH', ['112.198.0.0/16']),
    'comcast': (7922, 'US', ['73.0.0.0/10']),
    'att': (7018, 'US', ['99.0.0.0/11']),
    'dtag': (3320, 'DE', ['79.192.0.0/12']),
    'jio': (55836, 'IN', ['49.32.0.0/12']),
}


class Pool:
    __slots__ = ('name', 'asn', 'cc', 'ranges', 'cum', 'v6')

    def __init__(self, name):
        asn, cc, prefixes = NETS[name]
        self.name, self.asn, self.cc = name, asn, cc
        nets = [ipaddress.ip_network(p) for p in prefixes]
        self.v6 = nets[0].version == 6
        self.ranges = [(int(n.network_address), n.prefixlen) for n in nets]
        w = [min(n.num_addresses, 1 << 20) for n in nets]
        self.cum = []
        s = 0
        for x in w:
            s += x
            self.cum.append(s)

    def _range(self, rng):
        i = bisect.bisect_right(self.cum, rng.random() * self.cum[-1])
        return self.ranges[min(i, len(self.ranges) - 1)]

    def draw(self, rng):
        """(ip, asn, cc) for a random host address."""
        base, plen = self._range(rng)
        if self.v6:
            return (v6str(base | (rng.getrandbits(128 - plen) & ((1 << (128 - plen)) - 1))), self.asn, self.cc)
        size = 1 << (32 - plen)
        while True:
            x = base + rng.randrange(1, size - 1)
            if 0 < (x & 255) < 255:
                return (v4str(x), self.asn, self.cc)

    def v6_site(self, rng):
        """a /56 customer prefix inside the pool (int)"""
        base, plen = self._range(rng)
        return base | ((rng.getrandbits(56 - plen)) << 72)

    def v6_addr(self, site, rng):
        return (v6str(site | (rng.getrandbits(8) << 64) | rng.getrandbits(64)), self.asn, self.cc)


def v4str(x):
    return '%d.%d.%d.%d' % (x >> 24, (x >> 16) & 255, (x >> 8) & 255, x & 255)


def v6str(x):
    return ipaddress.IPv6Address(x).compressed


POOLS = {k: Pool(k) for k in NETS}


def wchoice(rng, items):
    """items: list of (value, weight)"""
    tot = 0.0
    for _, w in items:
        tot += w
    r = rng.random() * tot
    for v, w in items:
        r -= w
        if r < 0:
            return v
    return items[-1][0]


def poisson(rng, lam):
    if lam <= 0:
        return 0
    L = math.exp(-lam)
    k, p = 0, 1.0
    while True:
        p *= rng.random()
        if p <= L:
            return k
        k += 1


def U(rng, a, b):
    return int(a + (b - a) * rng.random())


# ----------------------------------------------------------------------------------------------- user agents
WIN = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) '
MAC = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) '


def ua_edge(major, build):
    return WIN + 'Chrome/%d.0.0.0 Safari/537.36 Edg/%s' % (major, build)


def ua_chrome(major):
    return WIN + 'Chrome/%d.0.0.0 Safari/537.36' % major


IE_MODE_UAS = [
    'Mozilla/5.0 (Windows NT 10.0; WOW64; Trident/7.0; .NET4.0C; .NET4.0E; rv:11.0) like Gecko',
    'Mozilla/5.0 (Windows NT 10.0; WOW64; Trident/7.0; .NET4.0C; .NET4.0E; .NET CLR 2.0.50727; .NET CLR 3.0.30729; '
    '.NET CLR 3.5.30729; rv:11.0) like Gecko',
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64; Trident/7.0; .NET4.0C; .NET4.0E; rv:11.0) like Gecko',
]
EDGE_RELEASES = [(-30 * DAY, '134.0.3124.66'), (3 * DAY + 10 * HOUR, '134.0.3124.72'),
                 (10 * DAY + 10 * HOUR, '134.0.3124.83')]


def make_uas(rng, family):
    """list of (t, ua) for one browser over the period (patch/major updates picked up with a lag)."""
    if family == 'edge':
        if rng.random() < 0.12:
            return [(0, ua_edge(133, '133.0.3065.92'))]
        out = []
        for rel, build in EDGE_RELEASES:
            t = T0 + rel + (U(rng, 0, 5 * DAY) if rel > 0 else 0)
            out.append((t if rel > 0 else 0, ua_edge(134, build)))
        return out
    if family == 'chrome':
        r = rng.random()
        if r < 0.08:
            return [(0, ua_chrome(133)), (T0 + U(rng, 0, 12 * DAY), ua_chrome(134))]
        if r < 0.15:
            return [(0, ua_chrome(133))]
        return [(0, ua_chrome(134))]
    if family == 'firefox':
        if rng.random() < 0.5:
            return [(0, 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0')]
        return [(0, 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:136.0) Gecko/20100101 Firefox/136.0')]
    if family == 'iemode':
        return [(0, rng.choice(IE_MODE_UAS))]
    if family == 'mac-safari':
        return [(0, MAC + 'AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.3 Safari/605.1.15')]
    if family == 'mac-chrome':
        return [(0, MAC + 'AppleWebKit/537.36 (KHTML, like Gecko) Chrome/134.0.0.0 Safari/537.36')]
    if family == 'iphone':
        v = rng.choice(['18_3_2', '18_3_2', '18_3_1', '18_3', '18_1_1'])
        sv = '18.3' if v.startswith('18_3') else '18.1'
        return [(0, 'Mozilla/5.0 (iPhone; CPU iPhone OS %s like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) '
                    'Version/%s Mobile/15E148 Safari/604.1' % (v, sv))]
    if family == 'android':
        return [(0, 'Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) '
                    'Chrome/%d.0.0.0 Mobile Safari/537.36' % rng.choice([134, 134, 133]))]
    raise ValueError(family)


class Browser:
    __slots__ = ('uas', 'cookie', 'family')

    def __init__(self, rng, family, cookie=None, uas=None):
        self.family = family
        self.uas = uas if uas is not None else make_uas(rng, family)
        self.cookie = cookie

    def ua(self, t):
        u = self.uas[0][1]
        for tt, uu in self.uas:
            if tt <= t:
                u = uu
            else:
                break
        return u


def cookie_id(rng):
    return '%032x' % rng.getrandbits(128)


OFFICE_FAMILIES = [('edge', 52), ('chrome', 38), ('mac-safari', 2), ('mac-chrome', 2), ('firefox', 3), ('chrome', 3)]
HOME_FAMILIES = [('chrome', 50), ('edge', 30), ('mac-safari', 12), ('firefox', 8)]

ATTACKER_UAS = [ua_chrome(134), ua_chrome(133), ua_edge(134, '134.0.3124.72'), ua_chrome(131), ua_chrome(132),
                ua_edge(133, '133.0.3065.82')]
SPRAY_UAS = [ua_chrome(v) for v in (120, 122, 124, 126, 128, 130, 131, 132, 133, 134)] + [
    ua_edge(131, '131.0.2903.86'), ua_edge(133, '133.0.3065.92'), ua_edge(134, '134.0.3124.66'),
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:115.0) Gecko/20100101 Firefox/115.0',
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0',
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:135.0) Gecko/20100101 Firefox/135.0',
    MAC + 'AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.6 Safari/605.1.15',
    MAC + 'AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
    'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36',
    'Mozilla/5.0 (Windows NT 10.0; WOW64; Trident/7.0; rv:11.0) like Gecko']
STUFF_UAS = [ua_chrome(119), ua_chrome(120), 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:109.0) Gecko/20100101 '
             'Firefox/119.0', ua_chrome(116)]

# ----------------------------------------------------------------------------------------------- names, passwords
SURNAMES = ('sato suzuki takahashi tanaka ito watanabe yamamoto nakamura kobayashi kato yoshida yamada sasaki '
            'yamaguchi matsumoto inoue kimura hayashi saito shimizu yamazaki mori abe ikeda hashimoto yamashita '
            'ishikawa nakajima maeda fujita ogawa goto okada hasegawa murakami kondo ishii sakamoto endo aoki '
            'fujii nishimura fukuda ota miura fujiwara okamoto matsuda nakagawa nakano harada ono tamura takeuchi '
            'kaneko wada nakayama ishida ueda morita hara shibata sakai kudo yokoyama miyazaki miyamoto uchida '
            'takagi ando taniguchi ohno maruyama imai takada fujimoto takeda murata ueno sugiyama masuda '
            'sugawara hirano kojima otsuka chiba kubo matsui iwasaki sakurai kinoshita noguchi matsuo nomura '
            'kikuchi sano onishi sugimoto arai hamada ichikawa furukawa mizuno komatsu shimada').split()
SURNAME_W = [(s, 1.0 / (i + 1) ** 0.7) for i, s in enumerate(SURNAMES)]
BRANDS = ('yamato tokai sanyo nippon daiichi chuo kanto kansai fuji asahi sakura hokuriku marui taisei kyowa '
          'shinwa toyo meiwa sanwa daiwa nichiei heiwa eiko kosei tohoku kyushu shikoku minato hikari midori '
          'aoba fukuyama nishin tosei koyo seiwa wakaba hokuto tsubasa kyoei shoei ryoko tenyo hinode showa '
          'meiji taiyo ginga hoshi kaede nanko hakuyo kaiun suisei ohashi takumi').split()
SUFFIXES = ('shoji kogyo sangyo kensetsu unyu denki seiki bussan seisakusho tsusho foods logistics systems kasei '
            'kikai fudosan shokai').split()
POPULAR = ['Passw0rd', 'Password1', 'abcd1234', 'Passw0rd!', 'P@ssw0rd', 'pass1234', 'qwer1234', 'Qwer1234',
           'a1234567', 'Aa123456', 'password1', 'Abcd1234', 'abc12345', 'Haru2025', 'Spring2025', 'Sakura2025',
           'Keiri2025', 'keiri1234', 'Soumu2025', 'Zaimu1234', 'Kanri1234', 'Admin1234', 'admin123', 'Welcome1',
           'Nihon2025', 'Tokyo2025', 'Osaka2025', 'Fuyu2025', 'Winter2025', 'Spring2025!', 'Pass2025', 'Kaisha01',
           'Jimu1234', 'Furikomi1', 'Ginkou123', 'Password2025', 'Aa111111', 'Zxcv1234', 'asdf1234', 'Hello123',
           'Test1234', 'Aisatsu1', 'Passw0rd1', 'Haru2024', 'Pass0401']
POPULAR_W = [(p, 1.0 / (i + 1) ** 0.9) for i, p in enumerate(POPULAR)]
ROLE_PW = ['keiri1234', 'Keiri2025', 'Keiri0001', 'soumu1234', 'Jimu1234', 'keiri01', 'Keiri1234']
COMBO_JUNK = ['123456', '123456789', 'password', 'qwerty123', '1q2w3e4r', '11111111', 'iloveyou', 'abc123',
              'P@ssw0rd', 'Passw0rd', 'abcd1234', 'password1', 'qwerty', '1qaz2wsx', 'sakura', 'asdfghjk']
KEYNEAR = {c: n for c, n in zip('abcdefghijklmnopqrstuvwxyz0123456789',
                                ['s', 'v', 'x', 's', 'r', 'g', 'h', 'j', 'o', 'k', 'l', 'k', 'n', 'm', 'p', 'o',
                                 'w', 't', 'a', 'y', 'i', 'b', 'e', 'z', 't', 'x', '9', '2', '3', '4', '5', '6',
                                 '7', '8', '9', '0'])}


def cap(s):
    return s[:1].upper() + s[1:]


def company_pattern(rng, brand):
    return wchoice(rng, [(cap(brand) + '2025', 3), (brand + '2025', 2), (cap(brand) + '2024', 2),
                         (cap(brand) + '1234', 2), (cap(brand) + '@2025', 1), (cap(brand) + '0401', 1),
                         (cap(brand) + '01', 1), (brand + '1234', 2)])


def personal_pw(rng, surname):
    r = rng.random()
    if r < 0.35:
        return cap(surname) + '%02d%02d' % (U(rng, 1, 13), U(rng, 1, 29))
    if r < 0.6:
        return surname + str(U(rng, 1955, 2003)) + rng.choice(['', '', '!', '#'])
    if r < 0.8:
        return cap(surname) + rng.choice(['123', '1234', '01', '7777', '2025', '0000']) + rng.choice(['', '!'])
    return surname[:3] + '%06d' % U(rng, 0, 999999)


def unique_pw(rng):
    alpha = 'abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789'
    n = U(rng, 10, 15)
    return ''.join(rng.choice(alpha) for _ in range(n)) + rng.choice(['', '!', '#', '$', '%'])


def gen_password(rng, brand, surname, house=None):
    if house is not None and rng.random() < 0.5:
        return house
    r = rng.random()
    if r < 0.035:
        return wchoice(rng, POPULAR_W)
    if r < 0.06:
        return company_pattern(rng, brand)
    if r < 0.42:
        return personal_pw(rng, surname)
    return unique_pw(rng)


def old_version(rng, pw, brand, surname):
    if '2025' in pw:
        return pw.replace('2025', '2024')
    if rng.random() < 0.4:
        return pw[:-1] + ('1' if pw[-1] != '1' else '2')
    return gen_password(rng, brand, surname)


def typo(rng, pw):
    if len(pw) < 2:
        return pw + 'x'
    i = rng.randrange(len(pw))
    op = rng.random()
    if op < 0.4:
        c = pw[i].lower()
        rep = KEYNEAR.get(c, 'a')
        if pw[i].isupper():
            rep = rep.upper()
        out = pw[:i] + rep + pw[i + 1:]
    elif op < 0.65:
        out = pw[:i] + pw[i + 1:]
    elif op < 0.85:
        out = pw[:i] + pw[i] + pw[i:]
    else:
        j = min(i + 1, len(pw) - 1)
        out = pw[:i] + pw[j] + pw[i] + pw[j + 1:] if j > i else pw[:-1] + 'q'
    return out if out != pw else pw + '1'


def fullwidth(pw):
    return ''.join(chr(ord(c) + 0xFEE0) if '!' <= c <= '~' else c for c in pw)


_FP = {}


def fp(pw):
    v = _FP.get(pw)
    if v is None:
        v = hashlib.sha256(('corp-ib/' + pw).encode('utf-8')).hexdigest()[:16]
        _FP[pw] = v
    return v


# ----------------------------------------------------------------------------------------------- calendar
def is_biz(d):
    return d.weekday() < 5 and d not in HOLIDAYS


def next_biz(d):
    while not is_biz(d):
        d += timedelta(days=1)
    return d


def prev_biz(d):
    while not is_biz(d):
        d -= timedelta(days=1)
    return d


def payment_days(y, m):
    out = {}
    for dd in (5, 10, 15, 20, 25):
        out[next_biz(date(y, m, dd))] = 1.4 if dd == 25 else 1.3
    nm = date(y + (m == 12), m % 12 + 1, 1)
    me = prev_biz(nm - timedelta(days=1))
    out[me] = 1.85 if m == 3 else 1.6
    return out


def calendar(D):
    pays = {}
    for k in range(-1, 3 + D // 28):
        y, m = START.year, START.month + k
        while m > 12:
            y, m = y + 1, m - 12
        while m < 1:
            y, m = y - 1, m + 12
        for dd, w in payment_days(y, m).items():
            pays[dd] = max(pays.get(dd, 0), w)
    cal = []
    for i in range(D):
        d = START + timedelta(days=i)
        if not is_biz(d):
            fy = (d.month == 3 and d.day >= 28) or (d.month == 4 and d.day <= 1)
            cal.append({'date': d, 'work': False, 'w': 0.0, 'offp': 0.06 if fy else 0.015, 'heavy': False})
            continue
        w = 1.08 if d.weekday() == 0 else 1.0
        if d in pays:
            w = max(w, pays[d])
        nb = next_biz(d + timedelta(days=1))
        if nb in pays:
            w = max(w, 1.15)
        first = next_biz(date(d.year, d.month, 1))
        if first <= d <= next_biz(next_biz(first + timedelta(days=1)) + timedelta(days=1)):
            w = max(w, 1.15)
        cal.append({'date': d, 'work': True, 'w': w, 'offp': 0.0, 'heavy': w >= 1.3})
    return cal


WORK_PROFILE = [0.2] * 12 + [0.5, 1, 2, 4, 8, 16, 30, 34, 32, 30, 28, 22, 9, 11, 26, 30, 30, 28, 20, 18, 18, 16, 14,
                             10, 7, 5, 4, 3, 2, 1.5, 1, 0.8, 0.6, 0.4, 0.3, 0.2]
OFF_PROFILE = [0.1] * 16 + [0.5, 0.5, 1.5, 1.5, 3, 3, 3.5, 3.5, 2.5, 2.5, 3, 3, 3.5, 3.5, 3, 3, 2.5, 2.5, 2, 2,
                            1.5, 1.5, 1.5, 1.5, 1.5, 1.5, 1.2, 1.2, 0.8, 0.8, 0.4, 0.4]
assert len(WORK_PROFILE) == 48 and len(OFF_PROFILE) == 48


def cum(ws):
    out, s = [], 0.0
    for w in ws:
        s += w
        out.append(s)
    return out


def profile_for(c):
    if not c['work']:
        return cum(OFF_PROFILE)
    ws = list(WORK_PROFILE)
    if c['w'] > 1.0:
        f = 1 + 2 * (c['w'] - 1)
        for i in range(35, 46):
            ws[i] *= f
    return cum(ws)


def sample_minute(rng, cumw):
    i = bisect.bisect_right(cumw, rng.random() * cumw[-1])
    i = min(i, 47)
    return i * 30 + rng.random() * 30


def in_maint(t):
    for a, b in MAINT:
        if a <= t < b:
            return b
    return 0


def jst_hour(t):
    return ((t - T0) % DAY) / HOUR


def day_of(t):
    return (t - T0) // DAY


# ----------------------------------------------------------------------------------------------- entities
class Company:
    def __init__(self, code, brand, name, size):
        self.code, self.brand, self.name, self.size = code, brand, name, size
        self.sites = []          # list of dict(nat=[net...], kind='office'|'branch'|'coworking')
        self.sse = None          # provider name
        self.remote = 'none'
        self.vpn = []
        self.vdi = None          # list of egress nets
        self.cookie_clear = False
        self.iemode = False
        self.house = None
        self.admin = None
        self.persons = []
        self.accounts = []


class Account:
    __slots__ = ('id', 'tenant', 'company', 'pw', 'fails', 'locked', 'hold', 'reset_T', 'waiters', 'created_t',
                 'deleted_t', 'expire_t', 'persons', 'old', 'shared', 'role')

    def __init__(self, aid, company, pw, role):
        self.id, self.company, self.pw, self.role = aid, company, pw, role
        self.tenant = company.code
        self.fails = 0
        self.locked = False
        self.hold = False
        self.reset_T = None
        self.waiters = []
        self.created_t = 0
        self.deleted_t = None
        self.expire_t = None
        self.persons = []
        self.old = []
        self.shared = False


class Person:
    def __init__(self, pid, rng, company, role):
        self.pid, self.rng, self.company, self.role = pid, rng, company, role
        self.accounts = []
        self.known = {}
        self.habit = {}
        self.pending = {}        # account id -> (t, pw, reason)
        self.kind = 'daily'
        self.rate = 1.0
        self.shift = 0
        self.remote_p = 0.0
        self.laptop = True
        self.work = None
        self.alt = None          # IE-mode companion browser
        self.home = None
        self.phone = None
        self.carrier = None
        self.home_pool = None
        self.home_v6 = None
        self.home_ip = None
        self.home_day = -1
        self.site = 0
        self.travel = None
        self.newpc_day = None
        self.newpc_browser = None
        self.created_day = None
        self.active_from = 0
        self.new_until = 0
        self.return_day = None
        self.typo_rate = 0.04
        self.forgot_rate = 0.004
        self.multi = None        # 'bpo' / 'group-treasury'
        self.firm_net = None
        self.vdi_browser = None
        self.vdi_day = -1
        self.surname = ''


PREC = ['fraud-hold', 'lockout', 'forgot', 'old-password', 'typo', 'pw-expiry', 'new-user', 'new-pc',
        'dormant-return', 'travel', 'bpo', 'group-treasury', 'shared-login', 'vdi', 'cookie-clear', 'ie-mode',
        'mobile', 'vpn', 'remote', 'sse-gateway', 'coworking', 'branch', 'office']
PRANK = {s: i for i, s in enumerate(PREC)}


def pick_scen(tags):
    best = 'office'
    br = PRANK[best]
    for t in tags:
        r = PRANK[t]
        if r < br:
            best, br = t, r
    return best


# ----------------------------------------------------------------------------------------------- simulation
class Sim:
    def __init__(self, seed, out, D):
        self.seed = seed
        self.out = out
        self.D = D
        self.END = T0 + D * DAY
        self.now = T0 - 1
        self.heap = []
        self.seq = 0
        self.srv = random.Random('%s/server' % seed)
        self.accounts = {}
        self.companies = {}
        self.cal = calendar(D)
        self.profiles = [profile_for(c) for c in self.cal]
        self.n_events = 0
        self.n_takeover = 0
        self.scen_count = {}

    # scheduling ------------------------------------------------------------------------
    def spawn(self, gen, t):
        self.seq += 1
        heapq.heappush(self.heap, (t, self.seq, gen))

    def run(self):
        heap = self.heap
        END = self.END
        while heap:
            t, _, g = heapq.heappop(heap)
            self.now = t
            try:
                nt = next(g)
            except StopIteration:
                continue
            if nt < t:
                raise RuntimeError('actor went back in time')
            if nt >= END:
                g.close()
                continue
            self.seq += 1
            heapq.heappush(heap, (nt, self.seq, g))

    # server --------------------------------------------------------------------------------
    def tenant_of(self, aid):
        code = aid.split('-', 1)[0]
        return code if code in self.companies else None

    def attempt(self, aid, pw, net, ua, browser, label, scen):
        t = self.now
        if t >= self.END or in_maint(t):
            return None
        a = self.accounts.get(aid)
        if a is None or t < a.created_t or (a.deleted_t is not None and t >= a.deleted_t):
            outcome = 'unknown_account'
            tenant = self.tenant_of(aid)
        else:
            tenant = a.tenant
            if a.locked:
                outcome = 'locked'
                if label == 'legit':
                    scen = 'fraud-hold' if a.hold else 'lockout'
            elif pw == a.pw:
                outcome = 'success'
                a.fails = 0
            else:
                outcome = 'wrong_secret'
                a.fails += 1
                if a.fails >= LOCK_AT:
                    a.locked = True
        device = browser.cookie if browser is not None else None
        if outcome == 'success' and browser is not None and browser.cookie is None:
            browser.cookie = cookie_id(self.srv)
        takeover = label == 'attack' and outcome == 'success'
        ev = {'ts': fmt_ts(t), 'account': aid, 'ip': net[0], 'outcome': outcome}
        r = self.srv.random()
        if ua is not None and r >= 0.001:
            ev['user_agent'] = ua
        if device is not None:
            ev['device'] = device
        ev['secret_fp'] = fp(pw)
        if not (0.001 <= r < 0.003):
            ev['asn'] = net[1]
            ev['country'] = net[2]
        if tenant is not None:
            ev['tenant'] = tenant
        ev['label'] = label
        ev['scenario'] = scen
        ev['takeover'] = takeover
        self.out.write(json.dumps(ev, separators=(',', ':')) + '\n')
        self.n_events += 1
        if takeover:
            self.n_takeover += 1
        k = (label, scen)
        self.scen_count[k] = self.scen_count.get(k, 0) + 1
        return outcome

    # account administration ----------------------------------------------------------------
    def biz_time(self, t, rng, lo, hi):
        """t if within business hours of a workday, else next workday 09:00 + something; then + U(lo,hi)"""
        d = day_of(t)
        h = jst_hour(t)
        if 0 <= d < self.D and self.cal[d]['work'] and 8.75 <= h < 17.5:
            return t + U(rng, lo, hi)
        k = d + 1 if h >= 8.75 or not (0 <= d < self.D and self.cal[d]['work']) else d
        while 0 <= k < self.D and not self.cal[k]['work']:
            k += 1
        return T0 + k * DAY + 9 * HOUR + U(rng, 0, 2 * HOUR) + U(rng, lo, hi) // 4

    def bank_time(self, t, rng):
        d = day_of(t) + 1
        n = U(rng, 1, 4)
        while n > 0 and d < self.D + 30:
            if d >= self.D or self.cal[d]['work']:
                n -= 1
            if n > 0:
                d += 1
        return T0 + d * DAY + 10 * HOUR + U(rng, 0, 6 * HOUR)

    def request_reset(self, acct, person, reason):
        """the person asks for an unlock / password reissue"""
        if person is not None and not any(w[0] is person for w in acct.waiters):
            acct.waiters.append((person, reason))
        if acct.reset_T is not None:
            return
        rng = random.Random('%s/reset/%s/%d' % (self.seed, acct.id, self.now))
        comp = acct.company
        admin = comp.admin
        admin_ok = (admin is not None and person is not None and admin is not person and admin.accounts
                    and not admin.accounts[0].locked and acct.role != 'admin')
        if admin_ok:
            T = self.biz_time(self.now, rng, 10 * MIN, 3 * HOUR)
            acct.reset_T = T
            self.spawn(unlock_actor(self, acct, admin, 'admin', T), max(self.now + MIN, T - U(rng, 2 * MIN, 10 * MIN)))
        else:
            T = self.bank_time(self.now, rng)
            acct.reset_T = T
            self.spawn(unlock_actor(self, acct, None, 'bank', T), self.now + 1)

    def hold(self, acct, release_T):
        acct.locked = True
        acct.hold = True
        if acct.reset_T is None or acct.reset_T < release_T:
            acct.reset_T = release_T
            self.spawn(unlock_actor(self, acct, None, 'bank', release_T), self.now + 1)


def fmt_ts(ms):
    s, m = divmod(ms, 1000)
    tt = time.gmtime(s)
    return '%04d-%02d-%02dT%02d:%02d:%02d.%03dZ' % (tt[0], tt[1], tt[2], tt[3], tt[4], tt[5], m)


def unlock_actor(sim, acct, admin, route, T):
    """administrator (or bank) unlocks the login and reissues a temporary password at T"""
    rng = random.Random('%s/unlock/%s/%d' % (sim.seed, acct.id, T))
    if admin is not None:
        yield from admin_sitting(sim, admin)
    yield max(T, sim.now + 1)
    if acct.reset_T != T:
        return  # superseded (e.g. the bank froze the login meanwhile)
    temp = 'Tmp%06d%s' % (rng.randrange(1000000), rng.choice('abcdefghjk'))
    acct.old = (acct.old + [acct.pw])[-3:]
    acct.pw = temp
    acct.fails = 0
    acct.locked = False
    reason_default = 'fraud-hold' if acct.hold else 'lockout'
    acct.hold = False
    acct.reset_T = None
    waiters = acct.waiters or ([(acct.persons[0], reason_default)] if acct.persons else [])
    acct.waiters = []
    if waiters:
        p, reason = waiters[0]
        if route == 'admin':
            t = sim.now + U(rng, 2 * MIN, 90 * MIN)
        else:
            t = sim.biz_time(sim.now + 18 * HOUR, rng, 0, 4 * HOUR)  # letter / secure mail arrives
        p.pending[acct.id] = (t, temp, reason)
        # the other waiters learn the new password from the first one (stale-password path)


def admin_sitting(sim, admin):
    d = day_of(sim.now)
    c = sim.cal[d] if 0 <= d < sim.D else {'work': True}
    h = jst_hour(sim.now)
    mode = 'office' if c['work'] and 8 <= h < 19 and admin.rng.random() > admin.remote_p else 'remote'
    if admin.company.remote == 'none' and mode == 'remote':
        mode = 'office'
    yield from legit_sitting(sim, admin, admin.accounts[0], mode, d)


# ----------------------------------------------------------------------------------------------- legit behaviour
def home_net(sim, p, d, rng):
    if p.home_v6 is not None:
        return p.home_pool.v6_addr(p.home_v6, rng)
    if p.home_ip is None or (d != p.home_day and rng.random() < 0.12):
        p.home_ip = p.home_pool.draw(rng)
    p.home_day = d
    return p.home_ip


def context(sim, p, mode, d, acct):
    """(net, browser, tags) for one sitting"""
    rng = p.rng
    comp = p.company
    tags = []
    if acct.shared:
        tags.append('shared-login')
    if p.multi is not None:
        tags.append(p.multi)
        if mode == 'remote' and p.home_pool is not None and comp.remote != 'none':
            return home_net(sim, p, d, rng), p.work, tags + ['remote']
        return rng.choice(p.firm_net) if isinstance(p.firm_net, list) else p.firm_net(rng), p.work, tags
    if comp.vdi is not None and mode != 'phone':
        if p.vdi_day != d:
            p.vdi_browser = Browser(rng, 'edge', None, p.work.uas)
            p.vdi_day = d
        tags.append('vdi')
        if mode == 'travel':
            tags.append('travel')
        return rng.choice(comp.vdi), p.vdi_browser, tags
    if mode == 'phone':
        return p.carrier.draw(rng), p.phone, tags + ['mobile']
    browser = p.work
    if p.alt is not None and rng.random() < 0.5:
        browser = p.alt
    if mode == 'travel':
        tr = p.travel
        tags.append('travel')
        if tr['loaner'] is not None:
            browser = tr['loaner']
        r = rng.random()
        if r < 0.45:
            net = rng.choice(tr['hotel'])
        elif r < 0.75 and (comp.sse or comp.vpn):
            net = rng.choice(SSE_POOLS[comp.sse][tr['node']]) if comp.sse else rng.choice(comp.vpn)
        else:
            net = POOLS[rng.choice(['docomo', 'au', 'sbm'])].draw(rng)
        return net, browser, tags
    if mode == 'office':
        site = comp.sites[p.site]
        if comp.sse:
            pool = SSE_POOLS[comp.sse]
            if rng.random() < 0.015:
                net = rng.choice(pool[rng.choice(sorted(k for k in pool if k != 'JP'))])
            else:
                net = rng.choice(pool['JP'])
            tags.append('sse-gateway')
        else:
            net = site['nat'][0] if len(site['nat']) == 1 else rng.choice(site['nat'])
            tags.append(site['kind'])
    else:  # remote
        if not p.laptop and p.home is not None:
            browser = p.home
        if rng.random() < 0.08:
            net = p.carrier.draw(rng)
            tags.append('mobile')
        elif comp.sse and browser is p.work:
            net = rng.choice(SSE_POOLS[comp.sse]['JP'])
            tags.append('sse-gateway')
        elif comp.remote == 'vpn' and browser is p.work:
            net = rng.choice(comp.vpn)
            tags.append('vpn')
        else:
            net = home_net(sim, p, d, rng)
            tags.append('remote')
    if browser.family == 'iemode':
        tags.append('ie-mode')
    if comp.cookie_clear and rng.random() < 0.75 and browser is not p.home:
        browser.cookie = None
        tags.append('cookie-clear')
    if p.newpc_day is not None and browser is p.work and p.newpc_day <= d <= p.newpc_day + 1:
        tags.append('new-pc')
    return net, browser, tags


def think(rng):
    return U(rng, 4 * SEC, 40 * SEC)


def legit_sitting(sim, p, acct, mode, d, forced=None):
    rng = p.rng
    net, browser, tags = context(sim, p, mode, d, acct)
    if sim.now < p.new_until:
        tags.append('new-user')
    if forced:
        tags.append(forced)
    known = p.known[acct.id]
    entries = []    # (pw, account string, tag)
    h = p.habit.get(acct.id)
    if h is not None and h[1] > 0:
        if rng.random() < 0.3:
            entries.append((h[0], acct.id, 'old-password'))
        p.habit[acct.id] = (h[0], h[1] - 1)
    give_up = False
    r = rng.random()
    tr = p.typo_rate
    if r < tr:
        entries.append((typo(rng, known), acct.id, 'typo'))
        if rng.random() < 0.2:
            entries.append((typo(rng, known), acct.id, 'typo'))
    elif r < tr + 0.006:
        for _ in range(1 if rng.random() < 0.7 else 2):
            entries.append((known.swapcase(), acct.id, 'typo'))
    elif r < tr + 0.010:
        entries.append((fullwidth(known), acct.id, 'typo'))
    elif r < tr + 0.015:
        entries.append((known, mangle_id(rng, acct.id), 'typo'))
    elif r < tr + 0.015 + p.forgot_rate:
        k = U(rng, 2, 6) if rng.random() < 0.8 else U(rng, 6, 9)
        cands = list(acct.old) + [typo(rng, known), wchoice(rng, POPULAR_W), known.swapcase(),
                                  old_version(rng, known, acct.company.brand, p.surname)]
        for i in range(k):
            g = cands[i] if i < len(cands) and rng.random() < 0.7 else typo(rng, rng.choice(cands))
            if g == known:
                g = typo(rng, known)
            entries.append((g, acct.id, 'forgot'))
        give_up = rng.random() < 0.4
    for e in entries:
        tags.append(e[2])
    stale = known != acct.pw and not acct.locked
    if stale:
        tags.append('old-password')
    expiring = acct.expire_t is not None and sim.now >= acct.expire_t
    if expiring:
        tags.append('pw-expiry')
    scen = pick_scen(tags)
    for pw, aid, _ in entries:
        out = sim.attempt(aid, pw, net, browser.ua(sim.now), browser, 'legit', scen)
        if out is None:
            return
        if out == 'locked':
            yield from locked_flow(sim, p, acct, net, browser, known)
            return
        yield sim.now + think(rng)
    if give_up and not acct.locked:
        sim.request_reset(acct, p, 'forgot')
        return
    out = sim.attempt(acct.id, known, net, browser.ua(sim.now), browser, 'legit', scen)
    if out == 'wrong_secret' and known != acct.pw:
        # password changed by a colleague / reissued: ask, then retry
        yield sim.now + U(rng, 1 * MIN, 15 * MIN)
        if acct.locked:
            out = 'locked'
        else:
            known = p.known[acct.id] = acct.pw
            out = sim.attempt(acct.id, known, net, browser.ua(sim.now), browser, 'legit', pick_scen(tags + ['old-password']))
    if out == 'locked':
        yield from locked_flow(sim, p, acct, net, browser, known)
        return
    if out == 'success' and acct.expire_t is not None and sim.now >= acct.expire_t:
        change_password(sim, p, acct, rng)


def change_password(sim, p, acct, rng):
    old = acct.pw
    new = gen_password(rng, acct.company.brand, p.surname)
    if new == old:
        new = old_version(rng, old, acct.company.brand, p.surname) + '1'
    acct.old = (acct.old + [old])[-3:]
    acct.pw = new
    acct.expire_t = None
    p.known[acct.id] = new
    p.habit[acct.id] = (old, 2)


def locked_flow(sim, p, acct, net, browser, known):
    rng = p.rng
    for _ in range(U(rng, 0, 3)):
        yield sim.now + U(rng, 10 * SEC, 60 * SEC)
        out = sim.attempt(acct.id, known, net, browser.ua(sim.now), browser, 'legit', 'lockout')
        if out != 'locked':
            return
    sim.request_reset(acct, p, 'fraud-hold' if acct.hold else 'lockout')


def reset_login(sim, p, acct, temp, reason):
    """first login with a temporary / initial password, forced change"""
    rng = p.rng
    d = day_of(sim.now)
    c = sim.cal[d]
    h = jst_hour(sim.now)
    mode = 'office' if c['work'] and 8 <= h < 19 else ('remote' if p.company.remote != 'none' else 'office')
    net, browser, tags = context(sim, p, mode, d, acct)
    p.known[acct.id] = temp
    out = sim.attempt(acct.id, temp, net, browser.ua(sim.now), browser, 'legit', reason)
    if out == 'success':
        new = gen_password(rng, acct.company.brand, p.surname)
        acct.old = (acct.old + [acct.pw])[-3:]
        acct.pw = new
        acct.expire_t = None
        p.known[acct.id] = new
    elif out == 'locked':
        sim.request_reset(acct, p, reason)
    yield sim.now + 1


def mangle_id(rng, aid):
    code, user = aid.split('-', 1)
    if rng.random() < 0.3:
        digits = list(code[1:])
        i = U(rng, 2, 5)
        digits[i], digits[i + 1] = digits[i + 1], digits[i]
        if digits[i] == digits[i + 1]:
            digits[i] = str((int(digits[i]) + 1) % 10)
        return 'C' + ''.join(digits) + '-' + user
    r = rng.random()
    if r < 0.4 and len(user) > 3:
        i = U(rng, 1, len(user))
        return code + '-' + user[:i] + user[i + 1:]
    if r < 0.7 and len(user) > 3:
        i = U(rng, 1, len(user) - 1)
        return code + '-' + user[:i] + user[i + 1] + user[i] + user[i + 2:]
    return code + user if r < 0.85 else code + '-' + user + user[-1]


def plan_day(sim, p, d):
    c = sim.cal[d]
    rng = p.rng
    day0 = T0 + d * DAY
    if p.newpc_day == d:
        p.work = p.newpc_browser
        if p.alt is not None:
            p.alt = None
    if p.kind == 'dormant':
        if p.return_day != d:
            return []
        m = sample_minute(rng, sim.profiles[d])
        return [(day0 + int(m * MIN), 'office' if c['work'] else 'remote')]
    travelling = p.travel is not None and p.travel['d0'] <= d < p.travel['d1']
    if c['work']:
        pres = {'daily': 0.93, 'regular': 0.55, 'payday': 0.75 if c['heavy'] else 0.10}[p.kind]
        if rng.random() >= pres:
            return []
        w = c['w']
        if p.role == 'approver':
            w = 1 + (w - 1) * 1.5
        lam = p.rate * w * (0.6 if travelling else 1.0)
        n = min(8, poisson(rng, lam))
    else:
        if rng.random() >= c['offp'] * (1.5 if p.role != 'operator' else 1.0):
            return []
        n = 1 + (rng.random() < 0.35)
    if n == 0:
        return []
    cumw = sim.profiles[d]
    if travelling:
        off = (9 - p.travel['tz']) * HOUR
    else:
        off = p.shift
    ts = sorted(day0 + int(sample_minute(rng, cumw) * MIN) + off for _ in range(n))
    for i in range(1, len(ts)):
        if ts[i] < ts[i - 1] + 4 * MIN:
            ts[i] = ts[i - 1] + 4 * MIN + U(rng, 0, 3 * MIN)
    if travelling:
        mode = 'travel'
    elif c['work']:
        mode = 'remote' if rng.random() < p.remote_p else 'office'
    else:
        mode = 'remote' if (p.company.remote != 'none' or rng.random() < 0.3) and rng.random() < 0.75 else 'office'
    out = []
    for t in ts:
        mt = in_maint(t)
        if mt:
            t = mt + U(rng, 0, 30 * MIN)
        if t < p.active_from:
            continue
        m = mode
        if p.phone is not None and m != 'travel' and rng.random() < 0.15:
            m = 'phone'
        out.append((t, m))
    return out


def person_actor(sim, p):
    """one person with one login (or several, bpo / group treasury)"""
    rng = p.rng
    for d in range(sim.D):
        if p.multi is not None:
            plan = plan_multi(sim, p, d)
        else:
            plan = plan_day(sim, p, d)
        day_end = T0 + (d + 1) * DAY
        idx = 0
        while True:
            pt, pa = None, None
            for aid, (t, _, _) in p.pending.items():
                if t < day_end and (pt is None or t < pt):
                    pt, pa = t, aid
            while idx < len(plan) and plan[idx][0] <= sim.now:
                idx += 1
            nt = plan[idx][0] if idx < len(plan) else None
            if pt is None and nt is None:
                break
            if pt is not None and (nt is None or pt <= nt):
                _, temp, reason = p.pending.pop(pa)
                yield max(pt, sim.now + 1)
                if in_maint(sim.now):
                    yield in_maint(sim.now) + U(rng, MIN, 20 * MIN)
                yield from reset_login(sim, p, sim.accounts[pa], temp, reason)
                continue
            t, mode = plan[idx]
            idx += 1
            yield t
            if p.multi is not None:
                yield from multi_batch(sim, p, mode, d)
                continue
            acct = p.accounts[0]
            if acct.id in p.pending or acct.reset_T is not None and acct.waiters and any(
                    w[0] is p for w in acct.waiters):
                continue  # waiting for the unlock / reissued password
            forced = 'dormant-return' if p.kind == 'dormant' else None
            yield from legit_sitting(sim, p, acct, mode, d, forced)
        # sleep to the next JST midnight, so that a reissued password (pending) set meanwhile is seen
        if d + 1 < sim.D:
            yield max(day_end, sim.now)


def plan_multi(sim, p, d):
    c = sim.cal[d]
    rng = p.rng
    if not c['work']:
        if rng.random() >= c['offp']:
            return []
        n = 1
    else:
        if rng.random() >= 0.9:
            return []
        n = min(6, poisson(rng, p.rate * c['w']))
    day0 = T0 + d * DAY
    ts = sorted(day0 + int(sample_minute(rng, sim.profiles[d]) * MIN) + p.shift for _ in range(n))
    out = []
    last = 0
    for t in ts:
        t = max(t, last + 30 * MIN)
        if in_maint(t):
            continue
        out.append((t, 'office' if c['work'] or rng.random() < 0.5 else 'remote'))
        last = t
    return out


def multi_batch(sim, p, mode, d):
    rng = p.rng
    k = min(len(p.accounts), U(rng, 1, 5))
    accts = rng.sample(p.accounts, k)
    for i, a in enumerate(accts):
        if i:
            yield sim.now + U(rng, 2 * MIN, 15 * MIN)
        if a.id in p.pending:
            continue
        yield from legit_sitting(sim, p, a, mode, d)


# ----------------------------------------------------------------------------------------------- setup
SSE_POOLS = {}


def build_sse(seed):
    rng = random.Random('%s/sse' % seed)
    spec = {
        'zscaler': {'JP': [('zscaler-jp', 120), ('zscaler-osaka', 40)], 'SG': [('zscaler-sg', 30)],
                    'HK': [('zscaler-hk', 20)], 'US': [('zscaler-us', 20)], 'DE': [('zscaler-de', 15)]},
        'netskope': {'JP': [('netskope-jp', 50)], 'SG': [('netskope-sg', 20)]},
        'cloudflare': {'JP': [('cfwarp-jp', 80)]},
        'prisma': {'JP': [('prisma-jp', 40)]},
    }
    for prov in ['zscaler', 'netskope', 'cloudflare', 'prisma']:
        SSE_POOLS[prov] = {}
        for region in sorted(spec[prov]):
            lst = []
            for name, n in spec[prov][region]:
                seen = {}
                while len(seen) < n:
                    net = POOLS[name].draw(rng)
                    seen[net[0]] = net
                lst.extend(seen.values())
            SSE_POOLS[prov][region] = lst
    # travellers' node by region; providers without that region use their JP/SG pool
    for prov in SSE_POOLS:
        for region in ['SG', 'HK', 'US', 'DE']:
            if region not in SSE_POOLS[prov]:
                SSE_POOLS[prov][region] = SSE_POOLS[prov].get('SG', SSE_POOLS[prov]['JP'])


BIZ_ISP = [('ocn-biz', 35), ('kddi-biz', 20), ('softbank-biz', 15), ('iij', 15), ('arteria', 10), ('biglobe', 5)]
HOME_ISP = [('ocn', 22), ('softbank', 18), ('kddi', 18), ('sonet', 12), ('jcom', 10), ('biglobe', 8)]
V6_ISP = [('ocn-v6', 50), ('softbank-v6', 30), ('kddi-v6', 20)]
CARRIERS = [('docomo', 38), ('au', 28), ('sbm', 26), ('rakuten', 8)]
TRAVEL = [  # cc, tz(UTC offset h), pools, weight, SSE node
    ('CN', 8, ['ct-sh', 'cu-bj'], 22, 'HK'), ('US', -7, ['comcast', 'att'], 8, 'US'),
    ('US', -4, ['comcast', 'att'], 6, 'US'), ('VN', 7, ['viettel', 'vnpt'], 12, 'SG'),
    ('TH', 7, ['true-th'], 12, 'SG'), ('SG', 8, ['singnet'], 8, 'SG'), ('TW', 8, ['hinet'], 8, 'HK'),
    ('KR', 9, ['kt'], 6, 'JP'), ('ID', 7, ['telkom'], 6, 'SG'), ('PH', 8, ['pldt'], 5, 'SG'),
    ('DE', 1, ['dtag'], 5, 'DE'), ('IN', 5.5, ['jio'], 4, 'SG')]
SIZE_BUCKETS = [((1, 1), 10), ((2, 2), 28), ((3, 3), 20), ((4, 4), 12), ((5, 6), 11), ((7, 10), 9), ((11, 20), 6),
                ((21, 50), 3), ((51, 120), 1)]


def make_site(rng, kind, isp=None):
    pool = POOLS[isp or wchoice(rng, BIZ_ISP)]
    r = rng.random()
    n = 1 if r < 0.75 else (2 if r < 0.95 else U(rng, 3, 5))
    return {'kind': kind, 'nat': [pool.draw(rng) for _ in range(n)]}


def pick_surname(rng, used):
    s = wchoice(rng, SURNAME_W)
    uid = s
    k = 2
    while uid in used:
        uid = '%s%d' % (s, k)
        k += 1
    used[uid] = True
    return s, uid


def new_person(sim, seed, pid, comp, role):
    p = Person(pid, random.Random('%s/person/%d' % (seed, pid)), comp, role)
    rng = p.rng
    p.shift = U(rng, -40 * MIN, 40 * MIN)
    if comp.remote == 'none':
        p.remote_p = 0.0
    else:
        p.remote_p = wchoice(rng, [(0.05, 50), (0.2, 30), (0.5, 20)])
    p.laptop = rng.random() < 0.7
    fam = 'iemode' if comp.iemode and rng.random() < 0.7 else wchoice(rng, OFFICE_FAMILIES)
    p.work = Browser(rng, fam, cookie_id(rng))
    if comp.iemode and rng.random() < 0.3:
        p.alt = Browser(rng, 'edge' if fam == 'iemode' else 'iemode', cookie_id(rng))
    if not p.laptop:
        p.home = Browser(rng, wchoice(rng, HOME_FAMILIES), cookie_id(rng) if rng.random() < 0.9 else None)
    p.home_pool = POOLS[wchoice(rng, HOME_ISP)]
    if rng.random() < 0.12:
        p.home_pool = POOLS[wchoice(rng, V6_ISP)]
        p.home_v6 = p.home_pool.v6_site(rng)
    p.carrier = POOLS[wchoice(rng, CARRIERS)]
    if role == 'approver' and rng.random() < 0.2:
        p.phone = Browser(rng, 'iphone' if rng.random() < 0.7 else 'android', cookie_id(rng))
    p.typo_rate = 0.03 * rng.choice([0.5, 1.0, 1.0, 1.5])
    if len(comp.sites) > 1 and rng.random() < 0.35:
        p.site = rng.randrange(1, len(comp.sites))
    comp.persons.append(p)
    return p


def setup(sim, seed, N):
    rng = random.Random('%s/world' % seed)
    build_sse(seed)
    nc = max(1, N // 5)
    codes = sorted(rng.sample(range(1000, 999999), nc))
    rng.shuffle(codes)
    sizes = []
    for _ in range(nc):
        lo, hi = wchoice(rng, SIZE_BUCKETS)
        sizes.append(U(rng, lo, hi + 1))
    tot = sum(sizes)
    while tot > N:
        i = rng.randrange(nc)
        if sizes[i] > 1:
            sizes[i] -= 1
            tot -= 1
    while tot < N:
        i = rng.randrange(nc)
        sizes[i] += 1
        tot += 1
    companies = []
    coworks = [make_site(rng, 'coworking', wchoice(rng, BIZ_ISP)) for _ in range(max(2, nc // 150))]
    for i in range(nc):
        brand = rng.choice(BRANDS)
        comp = Company('C%06d' % codes[i], brand, brand + rng.choice(SUFFIXES), sizes[i])
        s = sizes[i]
        if s <= 6 and rng.random() < 0.04:
            comp.sites.append(rng.choice(coworks))
        else:
            comp.sites.append(make_site(rng, 'office'))
        if s >= 8:
            for _ in range(min(5, 1 + s // 15)):
                comp.sites.append(make_site(rng, 'branch'))
        pse = 0.60 if s >= 21 else 0.35 if s >= 7 else 0.15 if s >= 3 else 0.06
        if rng.random() < pse:
            comp.sse = wchoice(rng, [('zscaler', 55), ('netskope', 15), ('cloudflare', 15), ('prisma', 15)])
        comp.remote = wchoice(rng, [('none', 35 + (15 if s <= 3 else 0)), ('vpn', 30 + (20 if s >= 21 else 0)),
                                    ('direct', 35)])
        if comp.remote == 'vpn':
            if rng.random() < 0.12:
                cloud = POOLS['aws-tokyo' if rng.random() < 0.6 else 'azure-jpeast']
                comp.vpn = [cloud.draw(rng) for _ in range(U(rng, 1, 3))]
            else:
                isp = POOLS[wchoice(rng, BIZ_ISP)]
                comp.vpn = [isp.draw(rng) for _ in range(U(rng, 1, 3))]
        if rng.random() < (0.08 if s >= 11 else 0.03):
            if rng.random() < 0.5:
                comp.vdi = [POOLS['azure-jpeast'].draw(rng) for _ in range(U(rng, 1, 3))]
            else:
                comp.vdi = list(comp.sites[0]['nat'])
        comp.cookie_clear = rng.random() < 0.06
        comp.iemode = rng.random() < 0.05
        if rng.random() < 0.06:
            comp.house = company_pattern(rng, brand)
        companies.append(comp)
        sim.companies[comp.code] = comp
    pid = 0
    persons = []
    for comp in companies:
        used = {}
        s = comp.size
        n_appr = 0 if s == 1 else min(s - 1, 1 + s // 8)
        roles = ['admin'] + ['approver'] * n_appr + ['operator'] * (s - 1 - n_appr)
        shared_acct = None
        if 2 <= s <= 4 and rng.random() < 0.10:
            shared_acct = rng.choice(['keiri', 'soumu', 'jimu', 'keiri01'])
        for role in roles:
            p = new_person(sim, seed, pid, comp, role)
            pid += 1
            surname, uid = pick_surname(rng, used)
            p.surname = surname
            if role == 'admin' and rng.random() < 0.4:
                uid = rng.choice(['admin', 'master', 'kanri'])
                used[uid] = True
            if shared_acct is not None and role == 'operator':
                aid = comp.code + '-' + shared_acct
                a = sim.accounts.get(aid)
                if a is None:
                    pw = rng.choice(ROLE_PW) if rng.random() < 0.3 else gen_password(rng, comp.brand, surname,
                                                                                      comp.house)
                    a = Account(aid, comp, pw, 'operator')
                    a.shared = True
                    sim.accounts[aid] = a
                    comp.accounts.append(a)
                p.accounts.append(a)
                a.persons.append(p)
                p.rate = 1.8
            else:
                aid = comp.code + '-' + uid
                a = Account(aid, comp, gen_password(rng, comp.brand, surname, comp.house), role)
                sim.accounts[aid] = a
                comp.accounts.append(a)
                p.accounts.append(a)
                a.persons.append(p)
                p.rate = {'admin': 1.0, 'approver': 1.6, 'operator': 2.2}[role]
            if role == 'admin':
                comp.admin = p
            persons.append(p)
        # shared login needs >=2 persons: if only one operator joined, add a second person
        if shared_acct is not None:
            aid = comp.code + '-' + shared_acct
            a = sim.accounts.get(aid)
            if a is None:
                pw = rng.choice(ROLE_PW) if rng.random() < 0.3 else gen_password(rng, comp.brand, 'keiri', comp.house)
                a = Account(aid, comp, pw, 'operator')
                a.shared = True
                sim.accounts[aid] = a
                comp.accounts.append(a)
            while len(a.persons) < 2:
                p2 = new_person(sim, seed, pid, comp, 'operator')
                pid += 1
                p2.surname = rng.choice(SURNAMES)
                p2.accounts.append(a)
                a.persons.append(p2)
                p2.rate = 1.8
                persons.append(p2)
    # activity, knowledge, expiry, old passwords
    for p in persons:
        r = p.rng
        a = p.accounts[0]
        p.known[a.id] = a.pw
        if p.role == 'operator':
            p.kind = wchoice(r, [('daily', 52), ('regular', 28), ('payday', 13), ('dormant', 7)])
        elif p.role == 'approver':
            p.kind = wchoice(r, [('daily', 38), ('regular', 32), ('payday', 22), ('dormant', 8)])
        else:
            p.kind = wchoice(r, [('daily', 22), ('regular', 33), ('payday', 33), ('dormant', 12)])
        p.forgot_rate = {'daily': 0.0015, 'regular': 0.003, 'payday': 0.005, 'dormant': 0.005}[p.kind]
        if p.kind == 'dormant' and r.random() < 0.25:
            p.return_day = r.randrange(sim.D)
            p.forgot_rate = 0.35
    for a in sorted(sim.accounts.values(), key=lambda x: x.id):
        r = random.Random('%s/acct/%s' % (seed, a.id))
        sn = a.persons[0].surname if a.persons else 'user'
        a.old = [old_version(r, a.pw, a.company.brand, sn)]
        if r.random() < 0.06:
            a.expire_t = T0 + U(r, 0, sim.D * DAY)
    # new PCs, travel, new users
    for p in persons:
        r = p.rng
        if r.random() < 0.04:
            p.newpc_day = r.randrange(sim.D)
            p.newpc_browser = Browser(r, 'edge' if r.random() < 0.7 else 'chrome', None,
                                      [(0, ua_edge(134, '134.0.3124.83'))] if r.random() < 0.5 else None)
        tp = 0.007 * (3 if p.role != 'operator' else 0.6)
        if r.random() < tp and p.company.vdi is None:
            cc, tz, pools, _, node = wchoice(r, [(x, x[3]) for x in TRAVEL])
            d0 = r.randrange(max(1, sim.D - 2))
            p.travel = {'d0': d0, 'd1': d0 + U(r, 2, 7), 'tz': tz, 'cc': cc,
                        'hotel': [POOLS[r.choice(pools)].draw(r) for _ in range(U(r, 1, 3))], 'node': node,
                        'loaner': None if p.laptop else Browser(r, 'edge', None)}
    # new users created during the period (by the administrator)
    n_new = max(1, round(0.012 * N))
    wr = random.Random('%s/newusers' % seed)
    cands = [c for c in companies if c.size >= 3 and c.admin is not None]
    for k in range(n_new):
        comp = wr.choice(cands)
        p = new_person(sim, seed, pid, comp, 'operator')
        pid += 1
        used = {a.id.split('-', 1)[1]: True for a in comp.accounts}
        surname, uid = pick_surname(wr, used)
        p.surname = surname
        init = wr.choice(['Init%04d' % wr.randrange(10000), cap(comp.brand) + '2025', 'Welcome1',
                          'Temp%05d' % wr.randrange(100000)])
        a = Account(comp.code + '-' + uid, comp, init, 'operator')
        d = wr.randrange(max(1, sim.D - 2))
        while not sim.cal[d]['work'] and d < sim.D - 1:
            d += 1
        a.created_t = T0 + d * DAY + U(wr, 9 * HOUR, 17 * HOUR)
        a.old = [init]
        sim.accounts[a.id] = a
        comp.accounts.append(a)
        p.accounts.append(a)
        a.persons.append(p)
        p.known[a.id] = init
        if wr.random() < 0.7:
            p.work.cookie = None   # a PC that never logged in to the bank (else a predecessor's PC: old cookie)
        p.home = None
        p.phone = None
        p.travel = None
        p.newpc_day = None
        p.kind = 'daily'
        p.rate = 2.0
        first = sim.biz_time(a.created_t + U(wr, 10 * MIN, 36 * HOUR), wr, 0, 30 * MIN)
        p.active_from = first + 1
        p.new_until = a.created_t + 2 * DAY
        p.pending[a.id] = (first, init, 'new-user')
        p.created_day = d
        persons.append(p)
        sim.spawn(admin_create(sim, comp.admin, a), max(T0, a.created_t - U(wr, 3 * MIN, 15 * MIN)))
    # outsourced accounting firms and group treasuries
    mrng = random.Random('%s/multi' % seed)
    small = [c for c in companies if c.size <= 6 and c.sse is None and c.vdi is None]
    for f in range(max(1, N // 375)):
        brand = mrng.choice(BRANDS)
        site = make_site(mrng, 'office')
        clients = mrng.sample(small, min(len(small), U(mrng, 3, 16)))
        staff = []
        for _ in range(U(mrng, 2, 7)):
            fake = Company('F%04d' % f, brand, brand + ' tax office', 1)
            fake.remote = 'direct' if mrng.random() < 0.5 else 'none'
            p = new_person(sim, seed, pid, fake, 'operator')
            pid += 1
            p.surname = mrng.choice(SURNAMES)
            p.multi = 'bpo'
            p.firm_net = site['nat']
            p.rate = 3.0
            staff.append(p)
            persons.append(p)
        tag = mrng.choice(['zeirishi', 'bpo01', 'jimusho', brand + 'tax'])
        for comp in clients:
            a = Account(comp.code + '-' + tag, comp, gen_password(mrng, brand, 'bpo'), 'operator')
            if a.id in sim.accounts:
                continue
            sim.accounts[a.id] = a
            comp.accounts.append(a)
            a.old = [old_version(mrng, a.pw, brand, 'bpo')]
            users = mrng.sample(staff, 1 if mrng.random() < 0.7 else min(2, len(staff)))
            for p in users:
                p.accounts.append(a)
                p.known[a.id] = a.pw
                a.persons.append(p)
            a.shared = len(users) > 1
    big = [c for c in companies if c.size >= 15]
    for g in range(max(1, N // 1000)):
        if not big:
            break
        parent = mrng.choice(big)
        subs = mrng.sample(small, min(len(small), U(mrng, 2, 7)))
        for k in range(U(mrng, 1, 3)):
            p = new_person(sim, seed, pid, parent, 'operator')
            pid += 1
            p.surname = mrng.choice(SURNAMES)
            p.multi = 'group-treasury'
            if parent.sse:
                pool = SSE_POOLS[parent.sse]['JP']
                p.firm_net = lambda r, pool=pool: r.choice(pool)
            else:
                p.firm_net = parent.sites[0]['nat']
            p.rate = 2.0
            persons.append(p)
            for comp in subs:
                a = Account(comp.code + '-hq' + p.surname, comp, gen_password(mrng, parent.brand, p.surname),
                            'operator')
                if a.id in sim.accounts:
                    continue
                a.old = [old_version(mrng, a.pw, parent.brand, p.surname)]
                sim.accounts[a.id] = a
                comp.accounts.append(a)
                p.accounts.append(a)
                p.known[a.id] = a.pw
                a.persons.append(p)
    persons = [p for p in persons if p.accounts]
    return companies, persons


def admin_create(sim, admin, acct):
    yield from admin_sitting(sim, admin)


# ----------------------------------------------------------------------------------------------- attacks
JP_RESI = [('ocn', 25), ('softbank', 20), ('kddi', 20), ('sonet', 10), ('jcom', 8), ('biglobe', 7), ('docomo', 4),
           ('au', 3), ('sbm', 3)]
FOREIGN_RESI = [('viettel', 20), ('jio', 15), ('telkom', 15), ('comcast', 15), ('dtag', 10), ('true-th', 10),
                ('hinet', 8), ('kt', 7)]


def scaled(n, N, D, minimum=1, per_day=False):
    v = n * N / 15000.0
    if per_day:
        v = v * D / 14.0
    return max(minimum, int(round(v)))


def pick_time(rng, sim, d, h0, h1):
    return T0 + d * DAY + U(rng, int(h0 * HOUR), int(h1 * HOUR))


def workday_list(sim, lo, hi):
    out = [d for d in range(max(0, lo), min(sim.D, hi)) if sim.cal[d]['work']]
    return out or [d for d in range(sim.D) if sim.cal[d]['work']] or [0]


def aitm_victim(sim, rng, p, acct, t, relay_net, cash_nets, cash_ua, wave):
    yield t
    if in_maint(sim.now):
        return
    on_phone = rng.random() < 0.3
    if on_phone:
        ua = (p.phone.ua(t) if p.phone is not None else
              Browser(rng, 'iphone' if rng.random() < 0.7 else 'android').ua(t))
    else:
        ua = p.work.ua(t)
    typed = p.known.get(acct.id, acct.pw)
    jar = Browser(rng, 'edge', None, [(0, ua)])
    if rng.random() < 0.15:
        sim.attempt(acct.id, typo(rng, typed), relay_net, ua, jar, 'attack', 'aitm-relay')
        yield sim.now + U(rng, 15 * SEC, 60 * SEC)
    out = sim.attempt(acct.id, typed, relay_net, ua, jar, 'attack', 'aitm-relay')
    if out == 'success' and rng.random() < 0.25:
        yield sim.now + U(rng, 20 * SEC, 90 * SEC)
        sim.attempt(acct.id, typed, relay_net, ua, jar, 'attack', 'aitm-relay')
    if out != 'success' or rng.random() >= 0.7:
        return
    # cash-out from the attacker's own environment
    delay = U(rng, 5 * MIN, 6 * HOUR)
    t1 = sim.now + delay
    if jst_hour(t1) >= 18 or jst_hour(t1) < 6:
        d = day_of(t1) + (1 if jst_hour(t1) >= 18 else 0)
        t1 = T0 + d * DAY + U(rng, 6 * HOUR, 8 * HOUR + 40 * MIN)
    mine = Browser(rng, 'edge', None, [(0, cash_ua)])
    n = U(rng, 1, 4)
    held = False
    for i in range(n):
        yield max(t1, sim.now + 1)
        net = cash_nets(rng)
        out = sim.attempt(acct.id, typed, net, cash_ua, mine, 'attack', 'aitm-cashout')
        if i == 0 and not held and rng.random() < 0.45:
            held = True
            sim.spawn(freeze(sim, acct, rng), sim.now + U(rng, 1 * HOUR, 30 * HOUR))
        if out == 'locked':
            if rng.random() < 0.5:
                return
        t1 = sim.now + U(rng, 20 * MIN, 8 * HOUR)


def freeze(sim, acct, rng):
    release = sim.bank_time(sim.now, rng)
    sim.hold(acct, release)
    return
    yield


def attack_aitm(sim, seed, persons, N):
    rng = random.Random('%s/atk/aitm' % seed)
    cands = [p for p in persons if p.multi is None and p.role in ('operator', 'approver') and p.kind != 'dormant'
             and not p.accounts[0].shared and p.accounts[0].created_t == 0]
    weights = [(p, 0.3 if p.company.sse else 1.0) for p in cands]
    nv = scaled(28, N, sim.D, 3, per_day=True)
    D = sim.D
    waves = [
        (0, max(1, D * 5 // 14 + 1), POOLS['aws-tokyo'], None,
         lambda r: POOLS[wchoice(r, JP_RESI)].draw(r) if r.random() < 0.75 else vultr_ip, ATTACKER_UAS[0]),
        (D * 4 // 14, max(D * 4 // 14 + 1, D * 10 // 14 + 1), POOLS['conoha'], POOLS['sakura'],
         lambda r: POOLS[r.choice(['ct-sh', 'viettel', 'alibaba-hk', 'tencent-hk'])].draw(r), ATTACKER_UAS[2]),
        (D * 9 // 14, D, POOLS['do-sgp'], POOLS['azure-jpeast'],
         lambda r: POOLS[wchoice(r, JP_RESI)].draw(r), ATTACKER_UAS[3]),
    ]
    vultr_ip = POOLS['vultr-tokyo'].draw(rng)
    chosen = []
    seen = {}
    while len(chosen) < min(nv, len(cands)):
        p = wchoice(rng, weights)
        if p.pid in seen:
            continue
        seen[p.pid] = True
        chosen.append(p)
    relays = [[w[2].draw(rng), (w[3] or w[2]).draw(rng)] for w in waves]
    for i, p in enumerate(chosen):
        wi = i * len(waves) // len(chosen)
        lo, hi, pool1, pool2, cash, cua = waves[wi]
        d = rng.choice(workday_list(sim, lo, hi))
        t = pick_time(rng, sim, d, 9.5, 17)
        relay = relays[wi][0] if rng.random() < 0.7 else relays[wi][1]
        sim.spawn(aitm_victim(sim, random.Random('%s/atk/aitm/%d' % (seed, i)), p, p.accounts[0], t, relay, cash,
                              cua, i), T0 - 1)


def attack_spray(sim, seed, persons, companies, N):
    rng = random.Random('%s/atk/spray' % seed)
    accts = [a for a in (p.accounts[0] for p in persons if p.multi is None) if a.created_t == 0]
    uniq = {}
    for a in accts:
        uniq[a.id] = a
    real = sorted(uniq.values(), key=lambda a: a.id)
    ncomp = scaled(450, N, 14, 5)
    comps = rng.sample(companies, min(ncomp, len(companies)))
    targets = []
    for c in comps:
        pool = [a for a in c.accounts if a.id in uniq]
        rng.shuffle(pool)
        for a in pool[:U(rng, 1, 3)]:
            targets.append((c.code, a.id, c.brand))
        if rng.random() < 0.3:
            targets.append((c.code, c.code + '-' + rng.choice(['admin', 'keiri', 'tanaka', 'suzuki', 'sato', 'user1']),
                            c.brand))
    seen = {}
    targets = [x for x in targets if not (x[1] in seen or seen.setdefault(x[1], False))]
    rounds = ['Passw0rd!', 'Password1', '{B}2025', 'P@ssw0rd', 'Haru2025', 'abcd1234', '{B}2024', 'Qwer1234',
              'Spring2025!']
    nr = max(2, round(len(rounds) * sim.D / 14))
    rounds = (rounds * 3)[:nr]
    sim.spawn(spray_actor(sim, rng, targets, rounds, seed), T0 - 1)


def proxy_net(rng):
    r = rng.random()
    if r < 0.60:
        return POOLS[wchoice(rng, JP_RESI)].draw(rng)
    if r < 0.85:
        return POOLS[wchoice(rng, FOREIGN_RESI)].draw(rng)
    if r < 0.95:
        return POOLS['datacamp-jp' if rng.random() < 0.6 else 'm247'].draw(rng)
    return POOLS['tor-de' if rng.random() < 0.7 else 'tor-at'].draw(rng)


def spray_actor(sim, rng, targets, rounds, seed):
    D = sim.D
    active = list(targets)
    unknown = {}
    span = (D - 1) * DAY
    for r_i, pw_t in enumerate(rounds):
        start = T0 + DAY // 2 + int(span * r_i / len(rounds)) + U(rng, 0, int(span / len(rounds) * 0.6))
        dur = U(rng, 4 * HOUR, 10 * HOUR)
        if start <= sim.now:
            start = sim.now + MIN
        yield start
        order = sorted(active, key=lambda x: x[0])
        # company order shuffled, but each company's ids consecutive
        codes = sorted({x[0]: True for x in order})
        rng.shuffle(codes)
        pos = {c: i for i, c in enumerate(codes)}
        order.sort(key=lambda x: (pos[x[0]], x[1]))
        gap = max(5 * SEC, dur // max(1, len(order)))
        drop = {}
        for code, aid, brand in order:
            pw = pw_t.replace('{B}', cap(brand))
            out = sim.attempt(aid, pw, proxy_net(rng), rng.choice(SPRAY_UAS), None, 'attack', 'spray')
            if out == 'success':
                drop[aid] = True
                if rng.random() < 0.5:
                    sim.spawn(followup(sim, random.Random('%s/atk/spray/f/%s' % (seed, aid)), aid, pw, 'spray',
                                       U(rng, 6 * HOUR, 48 * HOUR)), sim.now + 1)
            elif out == 'locked':
                drop[aid] = True
            elif out == 'unknown_account':
                unknown[aid] = unknown.get(aid, 0) + 1
                if unknown[aid] >= 2:
                    drop[aid] = True
            yield sim.now + int(gap * (0.5 + rng.random()))
        active = [x for x in active if x[1] not in drop]


def followup(sim, rng, aid, pw, scen, delay, n=None):
    yield sim.now + delay
    ua = rng.choice(ATTACKER_UAS)
    jar = Browser(rng, 'edge', None, [(0, ua)])
    for i in range(n or U(rng, 1, 3)):
        if i:
            yield sim.now + U(rng, 30 * MIN, 30 * HOUR)
        out = sim.attempt(aid, pw, POOLS[wchoice(rng, JP_RESI)].draw(rng), ua, jar, 'attack', scen)
        if out != 'success':
            return


def attack_stuffing(sim, seed, persons, companies, N):
    rng = random.Random('%s/atk/stuff' % seed)
    real = sorted((a for a in sim.accounts.values() if a.created_t == 0), key=lambda a: a.id)
    codes = [c.code for c in companies]
    waves = [scaled(1000, N, sim.D, 30), scaled(1300, N, sim.D, 30), scaled(1100, N, sim.D, 30)]
    days = [max(0, sim.D * 3 // 14), max(0, sim.D * 7 // 14), max(0, sim.D * 11 // 14)]
    for w, (n, d) in enumerate(zip(waves, days)):
        combos = []
        for _ in range(n):
            if rng.random() < 0.28:
                a = rng.choice(real)
                r = rng.random()
                pw = a.pw if r < 0.03 else (rng.choice(a.old) if r < 0.25 and a.old else
                                            (rng.choice(COMBO_JUNK) if rng.random() < 0.4 else unique_pw(rng)))
                combos.append((a.id, pw))
            else:
                code = rng.choice(codes) if rng.random() < 0.6 else 'C%06d' % rng.randrange(1000, 999999)
                user = rng.choice(SURNAMES) + rng.choice(['', '', '2', '.k', '01'])
                aid = code + '-' + user
                if aid in sim.accounts:
                    aid += 'x'
                pw = rng.choice(COMBO_JUNK) if rng.random() < 0.45 else (
                    personal_pw(rng, user.rstrip('.k0123456789')) if rng.random() < 0.5 else unique_pw(rng))
                combos.append((aid, pw))
        pool = []
        for _ in range(max(10, n // 4)):
            if rng.random() < 0.5:
                pool.append(POOLS[rng.choice(['m247', 'datacamp-jp', 'do-sgp', 'linode-tokyo', 'alibaba-hk',
                                              'tencent-hk'])].draw(rng))
            else:
                pool.append(POOLS[wchoice(rng, JP_RESI + FOREIGN_RESI)].draw(rng))
        uas = rng.sample(STUFF_UAS, U(rng, 1, 3))
        start = T0 + d * DAY + U(rng, 0, 5 * HOUR) if rng.random() < 0.7 else T0 + d * DAY + U(rng, 10 * HOUR,
                                                                                                23 * HOUR)
        dur = U(rng, 50 * MIN, 150 * MIN)
        sim.spawn(stuff_actor(sim, random.Random('%s/atk/stuff/%d' % (seed, w)), combos, pool, uas, start, dur,
                              seed, w), T0 - 1)


def stuff_actor(sim, rng, combos, pool, uas, start, dur, seed, w):
    yield start
    gap = max(200, dur // max(1, len(combos)))
    for i, (aid, pw) in enumerate(combos):
        out = sim.attempt(aid, pw, rng.choice(pool), rng.choice(uas), None, 'attack', 'stuffing')
        if out == 'success' and rng.random() < 0.3:
            sim.spawn(followup(sim, random.Random('%s/atk/stuff/f/%d/%d' % (seed, w, i)), aid, pw, 'stuffing',
                               U(rng, 3 * HOUR, 72 * HOUR)), sim.now + 1)
        yield sim.now + int(gap * (0.3 + 1.4 * rng.random()))


def attack_infostealer(sim, seed, persons, N):
    rng = random.Random('%s/atk/info' % seed)
    cands = [p for p in persons if p.multi is None and p.home is not None and p.home.cookie is not None
             and p.company.vdi is None and not p.company.cookie_clear and p.accounts[0].created_t == 0]
    n = min(len(cands), scaled(14, N, sim.D, 2))
    for i, p in enumerate(rng.sample(cands, n)):
        r = random.Random('%s/atk/info/%d' % (seed, i))
        a = p.accounts[0]
        stolen_pw = a.pw if r.random() < 0.8 else a.old[0]
        jar = Browser(r, 'edge', p.home.cookie, [(0, p.home.ua(T0))])
        pool = p.home_pool if (r.random() < 0.5 and not p.home_pool.v6) else POOLS[wchoice(r, JP_RESI)]
        sim.spawn(info_actor(sim, r, a, stolen_pw, jar, pool), T0 - 1)


def info_actor(sim, rng, acct, pw, jar, pool):
    sessions = U(rng, 1, 4)
    days = sorted(rng.sample(range(sim.D), min(sim.D, sessions)))
    fails = 0
    for d in days:
        if rng.random() < 0.5:
            t = T0 + d * DAY + U(rng, 19 * HOUR, 23 * HOUR + 30 * MIN)
        else:
            t = T0 + d * DAY + U(rng, 9 * HOUR, 18 * HOUR)
        if t <= sim.now:
            continue
        yield t
        out = sim.attempt(acct.id, pw, pool.draw(rng), jar.ua(t), jar, 'attack', 'infostealer')
        if out in ('wrong_secret', 'locked'):
            fails += 1
            if fails >= 2:
                return


def attack_insider(sim, seed, persons, companies, N):
    rng = random.Random('%s/atk/insider' % seed)
    n_own = scaled(4, N, 14, 1)
    n_shared = scaled(3, N, 14, 1)
    cands = [c for c in companies if c.size >= 3 and c.admin is not None]
    for i in range(n_own):
        comp = rng.choice(cands)
        sn = rng.choice(SURNAMES)
        aid = comp.code + '-' + sn + '9'
        if aid in sim.accounts:
            continue
        a = Account(aid, comp, gen_password(rng, comp.brand, sn), 'operator')
        a.old = [old_version(rng, a.pw, comp.brand, sn)]
        sim.accounts[aid] = a
        comp.accounts.append(a)
        if i == 0:
            a.deleted_t = T0 + U(rng, sim.D * DAY // 3, sim.D * DAY * 2 // 3)
            sim.spawn(admin_create(sim, comp.admin, a), max(T0, a.deleted_t - 5 * MIN))
        sim.spawn(insider_actor(sim, random.Random('%s/atk/insider/%d' % (seed, i)), a, a.pw), T0 - 1)
    shared = sorted((a for a in sim.accounts.values() if a.shared and a.role == 'operator'
                     and not a.id.endswith(('zeirishi', 'bpo01', 'jimusho'))), key=lambda a: a.id)
    for i, a in enumerate(rng.sample(shared, min(n_shared, len(shared)))):
        sim.spawn(insider_actor(sim, random.Random('%s/atk/insider/s%d' % (seed, i)), a, a.pw), T0 - 1)


def insider_actor(sim, rng, acct, pw):
    pool = POOLS[rng.choice(['jcom', 'sonet', 'kddi', 'ocn', 'softbank'])]
    home_ip = pool.draw(rng)
    jar = Browser(rng, rng.choice(['chrome', 'edge']), None)
    n = U(rng, 1, 5)
    days = sorted(rng.sample(range(sim.D), min(sim.D, n)))
    fails = 0
    for d in days:
        c = sim.cal[d]
        if not c['work'] or rng.random() < 0.6:
            t = T0 + d * DAY + U(rng, 19 * HOUR, 23 * HOUR + 50 * MIN) if c['work'] else T0 + d * DAY + U(
                rng, 10 * HOUR, 22 * HOUR)
        else:
            t = T0 + d * DAY + U(rng, 10 * HOUR, 17 * HOUR)
        if t <= sim.now:
            continue
        yield t
        out = sim.attempt(acct.id, pw, home_ip, jar.ua(t), jar, 'attack', 'insider')
        if out == 'wrong_secret':
            fails += 1
            for _ in range(U(rng, 0, 2)):
                yield sim.now + U(rng, 20 * SEC, 90 * SEC)
                sim.attempt(acct.id, typo(rng, pw) if rng.random() < 0.5 else pw, home_ip, jar.ua(sim.now), jar,
                            'attack', 'insider')
            return
        if out in ('unknown_account', 'locked'):
            fails += 1
            if fails >= 2:
                return


def attack_mailbox(sim, seed, persons, N):
    rng = random.Random('%s/atk/mail' % seed)
    cands = [p for p in persons if p.multi is None and p.kind != 'dormant' and p.accounts[0].created_t == 0]
    n = scaled(6, N, sim.D, 1)
    for i, p in enumerate(rng.sample(cands, min(n, len(cands)))):
        r = random.Random('%s/atk/mail/%d' % (seed, i))
        a = p.accounts[0]
        pw = a.pw if r.random() < 0.5 else a.old[0]
        net_pool = POOLS[r.choice(['m247', 'datacamp-jp', 'aws-tokyo', 'comcast', 'att'])]
        d = r.randrange(sim.D)
        sim.spawn(mailbox_actor(sim, r, a, pw, net_pool, T0 + d * DAY + U(r, 0, DAY)), T0 - 1)


def mailbox_actor(sim, rng, acct, pw, pool, t):
    yield t
    ua = rng.choice(ATTACKER_UAS[:3])
    jar = Browser(rng, 'edge', None, [(0, ua)])
    net = pool.draw(rng)
    out = sim.attempt(acct.id, pw, net, ua, jar, 'attack', 'mailbox-cred')
    if out == 'wrong_secret':
        yield sim.now + U(rng, 30 * SEC, 3 * MIN)
        sim.attempt(acct.id, old_version(rng, pw, acct.company.brand, 'x'), net, ua, jar, 'attack', 'mailbox-cred')
        return
    if out != 'success':
        return
    for _ in range(U(rng, 0, 3)):
        yield sim.now + U(rng, 1 * HOUR, 48 * HOUR)
        if sim.attempt(acct.id, pw, pool.draw(rng), ua, jar, 'attack', 'mailbox-cred') != 'success':
            return


def attack_idprobe(sim, seed, companies, N):
    rng = random.Random('%s/atk/probe' % seed)
    ncodes = scaled(100, N, 14, 5)
    roles = ['admin', 'keiri', 'soumu', 'zaimu', 'kanri', 'master', 'user01', 'jimu']
    codes = []
    for _ in range(ncodes):
        if rng.random() < 0.7:
            codes.append(rng.choice(companies).code)
        else:
            codes.append('C%06d' % rng.randrange(1000, 999999))
    attempts = []
    for c in codes:
        for r in rng.sample(roles, U(rng, 3, 7)):
            attempts.append((c + '-' + r, (r + '1234') if rng.random() < 0.6 else 'Password1'))
    ips = [POOLS['do-sgp'].draw(rng), POOLS['linode-tokyo'].draw(rng), POOLS['vultr-tokyo'].draw(rng)]
    d0 = min(sim.D - 1, max(0, sim.D * 2 // 14))
    sim.spawn(probe_actor(sim, rng, attempts, ips, d0), T0 - 1)


def probe_actor(sim, rng, attempts, ips, d0):
    per_session = max(20, len(attempts) // 4)
    i = 0
    s = 0
    while i < len(attempts):
        d = min(sim.D - 1, d0 + s // 2)
        t = T0 + d * DAY + (U(rng, 1 * HOUR, 6 * HOUR) if s % 2 == 0 else U(rng, 13 * HOUR, 20 * HOUR))
        yield max(t, sim.now + 1)
        ip = ips[s % len(ips)]
        for aid, pw in attempts[i:i + per_session]:
            sim.attempt(aid, pw, ip, 'python-requests/2.31.0', None, 'attack', 'id-probe')
            yield sim.now + U(rng, 5 * SEC, 20 * SEC)
        i += per_session
        s += 1


def attack_targeted(sim, seed, persons, N):
    rng = random.Random('%s/atk/target' % seed)
    cands = [p for p in persons if p.multi is None and p.role in ('approver', 'admin') and p.company.size >= 11
             and not p.accounts[0].shared and p.accounts[0].created_t == 0]
    n = min(len(cands), scaled(3, N, 14, 1))
    for i, p in enumerate(rng.sample(cands, n)):
        r = random.Random('%s/atk/target/%d' % (seed, i))
        a = p.accounts[0]
        sn, b = p.surname, a.company.brand
        guesses = [cap(sn) + '2025', sn + '123', cap(sn) + '1234', cap(b) + '2025', cap(b) + '2024', sn + '2025',
                   'Passw0rd', 'Password1', cap(sn) + '0101', cap(b) + '1234', sn + sn, cap(sn) + '!2025',
                   'P@ssw0rd', cap(b) + '@2025', sn + '1', cap(sn) + '2024', 'abcd1234', cap(sn) + '01',
                   cap(b) + cap(sn), 'Qwer1234', sn + '0000', cap(sn) + '1985', cap(sn) + '1975', 'Welcome1']
        r.shuffle(guesses)
        guesses = guesses[:U(r, 12, 26)]
        net = POOLS[r.choice(['tor-de', 'tor-at', 'vultr-tokyo', 'do-sgp'])].draw(r)
        ua = WIN + 'HeadlessChrome/133.0.0.0 Safari/537.36'
        d = r.randrange(sim.D)
        t = T0 + d * DAY + U(r, 0, DAY)
        sim.spawn(targeted_actor(sim, r, a, guesses, net, ua, t), T0 - 1)


def targeted_actor(sim, rng, acct, guesses, net, ua, t):
    yield t
    locked = 0
    for g in guesses:
        out = sim.attempt(acct.id, g, net, ua, None, 'attack', 'targeted-guess')
        if out == 'success':
            return
        if out == 'locked':
            locked += 1
            if locked >= U(rng, 2, 7):
                return
        yield sim.now + U(rng, 20 * SEC, 90 * SEC)


ATTACK_SCENARIOS = ['aitm-relay', 'aitm-cashout', 'spray', 'stuffing', 'infostealer', 'insider', 'mailbox-cred',
                    'id-probe', 'targeted-guess']


# ----------------------------------------------------------------------------------------------- main
def main(argv):
    ap = argparse.ArgumentParser(description='synthetic corporate internet-banking login log (Mamori JSONL)')
    ap.add_argument('seed')
    ap.add_argument('out')
    ap.add_argument('--users', type=int, default=15000)
    ap.add_argument('--days', type=int, default=14)
    args = ap.parse_args(argv)
    if args.users < 50 or args.days < 3:
        ap.error('need --users >= 50 and --days >= 3')
    t0 = time.time()
    seed = str(args.seed)
    with open(args.out, 'w', encoding='utf-8', newline='\n') as out:
        sim = Sim(seed, out, args.days)
        companies, persons = setup(sim, seed, args.users)
        for p in persons:
            sim.spawn(person_actor(sim, p), T0 - 1)
        attack_aitm(sim, seed, persons, args.users)
        attack_spray(sim, seed, persons, companies, args.users)
        attack_stuffing(sim, seed, persons, companies, args.users)
        attack_infostealer(sim, seed, persons, args.users)
        attack_insider(sim, seed, persons, companies, args.users)
        attack_mailbox(sim, seed, persons, args.users)
        attack_idprobe(sim, seed, companies, args.users)
        attack_targeted(sim, seed, persons, args.users)
        sim.run()
    dt = time.time() - t0
    print('%s: %d events, %d takeovers, %d companies, %d logins, %d persons, %.1f s' % (
        args.out, sim.n_events, sim.n_takeover, len(companies), len(sim.accounts), len(persons), dt),
        file=sys.stderr)
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
