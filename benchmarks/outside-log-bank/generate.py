#!/usr/bin/env python3
"""Outside-evaluator login log of a European retail bank ("Lindenbank", fictional), as JSONL.

    python3 generate.py SEED OUT.jsonl [--users N] [--days D] [--start YYYY-MM-DD]

Defaults: 30,000 customers, 21 days from Monday 2025-07-21 (summer holidays, the month-end payday and
the 1st are inside the window).  Standard library only; the same SEED and options give a byte-identical
file; about 20 s for the defaults.

This generator was written from the evaluator's own picture of real traffic, without reading the
engine's code, tests, detector documentation or simulator.  It is not tuned to any engine.  What
follows is the methods section: every modelling assumption, so a reader can disagree with it.

OUTPUT.  One JSON object per line, sorted by ts: ts (RFC 3339 UTC, ms), account, ip, user_agent,
device (omitted when the client holds none), outcome (success | wrong_secret | unknown_account),
secret_fp, asn, country, and ground truth the engine must not read: label (legit | attack), scenario,
takeover (true exactly on an attacker's successful login into an account that is not the attacker's),
ctx (free text: how the login came about).

1. THE BANK AND ITS CHANNELS
 * A retail bank with online customers in DE 34 %, FR 16 %, NL 12 %, PL 12 %, BE 9 %, AT 9 %, CZ 5 %,
   LU 3 % (shares of customers).  The log holds every password/PIN check of online and mobile banking.
 * Web banking: user ID + password.  25 % of German/Austrian customers still have a 5-digit numeric
   "online-banking PIN" as web password (German savings-bank heritage); half of them use the same
   digits as app PIN.  Mobile app: user ID (remembered by the app) + 5-digit app PIN; biometric unlock
   releases the stored PIN, so it is still a PIN check.  PSD2 strong customer authentication (push/TAN)
   happens after the password check and is not in the log; phishing kits phish it too.
 * The bank applies "embedded" PSD2 access: third-party providers (AIS aggregators, payment-initiation
   services) submit the customer's user ID and password to the bank's XS2A interface from their cloud
   servers, so their logins are password checks in this log (no device token).  German/Austrian finance
   software logs in via FinTS with user ID + PIN; the FinTS gateway renders the product registration as
   the user agent and the customer-system ID (Kundensystem-ID) as a stable device token.
 * User IDs: bank-assigned sequential numbers in opening order, 10 digits (401xxxxxxx) or, for 40 % of
   NL/BE customers, 8 digits from a merged legacy bank (201xxxxx); about 35 % of numbers in the range
   are closed or never-activated accounts (gaps), so enumerating numbers hits unknown_account about a
   third of the time.  12 % of customers (18 % of under-30s, 5 % of over-65s) chose a username
   (jan.devries, mkowalski, lea_91).  Money-mule accounts are among the newest numbers.
 * Lockout: 3 consecutive wrong secrets lock that credential (web password and app PIN separately; a
   success resets the count; wrong secrets on unknown IDs count nowhere).  While locked the bank refuses
   every attempt, logged as wrong_secret (the export has no 'locked' outcome); an attacker's correct
   guess then is not a takeover.  A customer who meets a lock calls the hotline (07:00-22:00 local) and
   waits; it is unlocked with the same secret 15-150 min after the call.  Aggregators retry once, then
   pause.  A forgotten password/PIN is reset, giving a new secret, either online in minutes (35 %) or by
   a letter 2-5 days later (65 %).

2. SECRETS AND FINGERPRINTS
 * secret_fp = first 8 bytes of HMAC-SHA256(pepper, submitted secret) in hex; the pepper is fixed per
   seed.  Equal secrets give equal fingerprints across accounts and channels; a typo gives another.
 * App PINs (no blocklist at PIN choice): 25 popular PINs (12345 3.0 % of app users, 11111 1.2 %,
   00000 0.8 %, 54321 0.6 %, repdigits, 12321, 13579, 98765, keypad patterns 14789/25802/15975, 24680,
   01234...; 9.3 % in all, shaped after published 4- and 6-digit PIN studies), 4.5 % date-shaped
   (day, month, last digit of birth year), 2 % a big-city postcode (DE/FR/PL/CZ postcodes are 5 digits),
   the rest uniform over 00000-99999 (so chance collisions also exist).  PIN typos change one digit to a
   keypad neighbour, so a typo can coincide with someone else's PIN.
 * Web passwords: 5 % a locally popular password (Passwort1, Hallo123, Sommer2025, Schalke04,
   Azerty123, Soleil123, Welkom01, Haslo123, Heslo123, 123456789, Qwerty123...), otherwise unique.
   15 % of customers have caps-lock habits (the same wrong fingerprint recurs for them).

3. WHO THE CUSTOMERS ARE AND WHEN THEY LOG IN
 * Ages 18-29 17 %, 30-49 35 %, 50-64 27 %, 65-79 16 %, 80+ 5 %.  App use by band 93/86/68/40/14 %,
   web use 45/55/72/88/94 % (everyone has at least one).  Households: 72 % one customer, 23 % a
   couple, 5 % with an adult child; 35 % of multi-customer households share a family tablet whose
   browser cookie (device token) serves every member's account.
 * Rate of logins per customer: lognormal (sigma 1.0) around medians of 0.22/0.24/0.20/0.14/0.09 per
   day by age band, x1.3 for app users, capped at 6/day: most customers log in a few times a month, a
   few several times a day, some not at all in the window.
 * Rhythm in the customer's own local time (summer time handled): app peaks at commute, lunch and
   20-21 h; web peaks mid-morning and evening; over-70s log in mornings and early afternoons; weekends
   start later; weekday factors Mon 1.15 ... Sat 0.80, Sun 0.85.
 * Paydays: each customer has a salary/pension day (DE/AT/BE/FR/LU: mostly the last banking day;
   NL: the 23rd-25th; PL: the 10th or month end; CZ: 10th-15th; French pensions on the 9th, Polish ZUS
   pensions on fixed days); activity x2.3 on it, x1.5 the day after, x1.45 on the 1st (rent, standing
   orders).
 * Employment: 66 % of 21-64-year-olds work; half of them at a desk from which they sometimes log in
   (office line of the employer, shared by colleagues; 19 % of employers egress through Zscaler, a few
   German ones through a Colt corporate gateway).  Cross-border commuters: FR->LU 4 %, FR->CH 2 %,
   BE->LU 5 %, DE->LU/CH 2 %, PL->DE 4 %, CZ->DE 5 %, AT->DE/CH 3.5 %, NL->DE/BE 2.5 % of customers;
   at work their PC shows the LU/CH/DE office (or a Zscaler node in another country) and their phone
   keeps the home carrier's address (roam like at home).
 * Holidays: 24-40 % of households (by country) travel abroad for 6-22 days overlapping the window,
   8-25 % holiday at home; destinations by home country (Germans: Spain, Italy, Turkey, Greece,
   Croatia, Austria...; Poles: Croatia, Greece, Turkey, Egypt...); couples travel together.  Abroad the
   app runs on EU roaming with the home carrier's address (55 % of app logins in EU destinations, 10 %
   outside), on the hotel's (shared by its guests, some of them our customers) or rental's Wi-Fi,
   cafe/airport Wi-Fi, or outside the EU on a local SIM/eSIM (Turkcell, True, Vodafone EG, Swisscom).
   Local time follows the destination.
 * Small businesses (1.5 % of customers): one business login shared by 2-5 staff on their own office
   PCs (same password, different device tokens, one static office address), weekdays 7-18 h, plus
   accounting software via FinTS (SFirm, StarMoney Business) each morning.
 * Helpers: 25 % of over-78s and 8 % of 70-77s with web banking have an adult child who logs in for
   them half the time, from the child's home and browser (often the browser the child also uses for
   their own account at this bank).
 * PSD2: 0.2-3.2 % of customers (by age) have linked an aggregator: finAPI (AWS Frankfurt), Tink (GCP
   Finland), GoCardless (AWS Ireland), TrueLayer (AWS London, country GB), Salt Edge (Azure NL).  The
   provider refreshes 1, 2 or 4 times a day in fixed batch windows from 3-8 NAT addresses each, plus
   live refreshes when the customer opens its app.  After a password change the stored credential fails
   once and the provider pauses until the customer re-connects.  7 % of DE/AT/NL/BE/PL customers pay
   an online shop once or twice via a payment-initiation service (customer present, can mistype).
   Provider user-agent strings are invented.
 * FinTS software: 6 % of German/Austrian web customers over 30 (StarMoney, MoneyMoney, Hibiscus,
   Banking4, WISO, Outbank); 30 % refresh automatically several times a day, 70 % store the PIN.
 * Mishaps: typo before success in 2.2 % of app logins (4 % over-70s) and 3 % of web logins (6 %), a
   second typo in 20 % of those; user-ID typos on 0.4 % of web logins (1.2 % for over-70s; may land on
   another customer's ID or an e-mail address); forgotten password (1.2 % of web customers in 21 days)
   or PIN (0.6 %): three old secrets (the first one twice) -> locked -> reset, or 40 % remember at the
   third try; new phone (3.5 % of app users in 21 days, 10 % of them switching OS): a fresh install id
   and the newest app version.

4. ADDRESSES, NETWORKS, DEVICES, USER AGENTS
 * Real ASNs of real operators per country (Telekom, Vodafone, O2, 1&1, NetCologne, M-net; A1,
   Magenta, Drei; KPN, VodafoneZiggo, Odido; Proximus, Telenet, VOO, Orange BE; Orange, Free, SFR,
   Bouygues; Orange PL, UPC PL, Netia, Vectra, Play, T-Mobile PL, Plus; O2 CZ, T-Mobile CZ, Vodafone CZ;
   POST Luxembourg; Swisscom; destination ISPs; clouds, hosters, VPN and Tor exits).  Prefixes are
   plausible blocks of those operators chosen from memory, not verified against today's BGP table;
   host parts are invented but stable (derived from a keyed hash of the line and its address epoch).
 * Home lines: German DSL lines (Telekom 55 %, 1&1 85 %, O2 70 %, Vodafone DSL 80 %) and 60 % of
   Orange Polska lines get a new IPv4 every 24 h at a fixed reconnect hour (mostly 2-6 h), with a new
   IPv6 prefix; other lines keep an address for a lognormal number of days around the operator's mean
   (KPN/Free: effectively static).  Dual-stack lines (Telekom 85 %, Vodafone cable 90 %, Free 90 %,
   Orange FR 80 %...) send 92 % of logins over IPv6: the delegated prefix per line and a privacy
   interface id per device and day (RFC 4941).  Half of the Vodafone-cable IPv6 lines are DS-Lite, their
   rare IPv4 logins come from 400 shared AFTR addresses.  Some Polish and Austrian households use LTE/5G
   routers (carrier NAT).
 * Mobile: every session draws a public address from the carrier's CGNAT pool (512-3,072 addresses in
   use for our customers), so addresses change per session and are shared by unrelated customers (and
   by attackers' mobile proxies); Telekom DE mobile and Free Mobile hand out IPv6 to 55-60 % of sessions,
   a new /64 each time.
 * Privacy tools: 0.4-5 % of customers (young more) use an always-on consumer VPN for 40-95 % of logins
   (M247, Datacamp exits in their own country or NL/CH); 20 % of Safari users have iCloud Private
   Relay (Akamai AS36183, Cloudflare AS13335, region of the user), changing address per session.
 * Device tokens: the app's install id (until a new phone or re-registration); a first-party cookie for
   browsers: Chrome/Edge keep it until an occasional clean-up, Safari loses it after 7 days without a
   visit (ITP), 5 % (20 % of Firefox users) clear on exit or use private windows (never a token), the
   first login after a loss has none; office PCs have their own cookie (20 % of employers wipe it);
   family tablet and helper browsers as above; FinTS system id; providers none.
 * User agents: the app (Alamofire on iOS, OkHttp on Android) with the installed version (releases
   7.14.2 before the window, 7.15.0 on day 9, 7.15.1 on day 17; personal update lags, 8 % never
   update); browsers with the version in force on that date (Chrome 138 -> 139 on 5 Aug 2025, Firefox
   140 -> 141 -> 142, Safari 18.5 -> 18.6) minus a personal update lag; Chrome's reduced Android UA; Windows
   7 + Chrome 109 and Firefox ESR among the elderly; iPadOS Safari reporting as a Mac.

5. ATTACKS (label=attack) -- scale at the defaults, growing with --users (and --days for the slow
   ones).  Why this mix: by volume a European bank mostly sees automated credential stuffing and
   spraying; by losses it mostly sees phishing/smishing with real-time relay, on-device banking malware
   and social-engineering remote-access scams, plus infostealer logs and money-mule networks.  Numeric
   sequential user IDs and 5-digit PINs make reverse brute force (the Docomo pattern) a real risk.
 * credential_stuffing_residential: two campaigns (4,000 and 2,000 attempts over 10-18 h, bursty)
   through a rotating residential proxy pool (65 % exits in the bank's countries, 35 % US/BR/IN/VN/ID/
   UA/RO/TR...), 1-6 requests per exit, stale browser user agents chosen per request, a throwaway device
   cookie on a quarter.  Combos: 55 % e-mail addresses (unknown accounts), 13 % usernames (about half
   real usernames of ours), 32 % numeric IDs from old dumps of this bank (80 % still open); 1.2 % of
   the real ones still carry the current password, plus popular junk passwords shared across lines.
 * credential_stuffing_datacenter: 2,000 attempts in 2-3.5 h round-robin over 15 VPS/VPN addresses
   (DigitalOcean, OVH, Contabo, Vultr, M247), one stale Chrome user agent, no cookies.
 * credential_stuffing_low_slow: 1,200 attempts spread over the window following the daily rhythm,
   one request per residential exit in the account holder's country, current user agents; mostly
   numeric IDs from a bank-specific list (1.5 % still valid).
 * pin_spray_enumeration (reverse brute force): PIN 12345 against 1,200 consecutive user IDs overnight
   (23:00-07:00 CET), then 48 h later PIN 11111 against the IDs that proved to exist; app API with
   emulator builds of an old app version and a forged install id per request; residential and mobile
   proxy exits, 1-4 requests each.  No account sees more than two failures, so none locks.
 * pin_spray_low_slow: 1,000 attempts over 16 days, one popular PIN (of 8) per account from a leaked
   list of existing customers (85 % app users), each through a different 4G (75 %) or residential proxy
   exit in the customer's country, genuine current app user agents, fresh install ids, daily rhythm.
 * password_spray_web: 3 blocks of 900 user IDs x 2 popular passwords each (2 per account to stay
   under the lockout), rounds of 3-5 h separated by 4-10 h, 25 VPN/Tor exits, Firefox 115 on Linux.
 * brute_force_single_account: a VPS dictionary attack (150 tries in 20 min), a sequential app-PIN
   run (300 tries in an hour from Hetzner), 60 tries over two days via Tor, 12 guesses by an
   acquaintance from a home line, 40 on a business login via VPN.  All hit the lockout; the real
   holders then meet a locked credential and call the hotline.
 * family_member_guessing (hard): a partner guesses the other's password on the shared family tablet
   or their own browser at home (same address, sometimes the same device token), 2 tries every other
   evening, succeeding on the fifth.
 * phishing_relay: two smishing waves (DE/AT, then NL/BE/FR) of 24 submissions each over ~2 days; the
   kit relays each submission within seconds from one of two servers (Stark Industries, DigitalOcean,
   OVH, Hetzner), forwarding the victim's mobile user agent or its own headless one, no cookie.  62 %
   victims with correct credentials, 12 % who mistype first, 26 % non-customers and junk
   (unknown_account).  30 % of victims notice within 2-20 h and have the password reset.
 * phishing_fraudster_device: for 70 % of successfully relayed victims the fraudster logs in 10 min-
   10 h later, 1-2 times, from his own browser via a residential proxy in the victim's country, a VPN
   exit, or his phone on mobile data; 40 % from one browser reused across victims (one device token on
   several accounts).  Fails where the victim has reset.
 * psd2_channel_abuse (very hard): 10 % of phished credentials are entered into a payment-initiation
   service, so the attacker's login arrives from the same cloud addresses and user agent as genuine
   payment initiations.
 * banking_trojan_on_device (hard): 6 Android app users whose PIN an overlay trojan captured; the
   operator drives the victim's own app by hidden remote access (same install id, same user agent, the
   victim's home Wi-Fi or mobile address), 60 % at 01:00-04:30 while the phone charges, 1-3 logins in
   1-2 episodes.
 * remote_access_scam (hard): 4 elderly web customers talked into installing AnyDesk by a fake "bank
   security" caller; the scammer logs in on the customer's own PC (same cookie, address, user agent) in
   the daytime, 35 % after a mistyped first try.
 * infostealer_residential_proxy: 14 web customers whose browser credentials (and cookies) were stolen
   days to weeks earlier; the buyer logs in 1-3 times via a residential proxy in the victim's country
   (40 % on the victim's own ISP); half replay the stolen device cookie and user agent with an
   anti-detect browser; 12 % of the logs hold an outdated password.
 * money_mule: 12 new accounts opened by recruited mules (DE/NL/AT/BE); each mule logs in once or twice
   from their own phone, then a herder checks and empties them from one phone (one install id, mostly
   one PIN for all) on mobile data or his home DSL, 2-8 accounts within minutes, 1-4 rounds on 65 % of
   days.  Label attack; takeover false (the holders handed over their credentials; no one's account is
   taken over).

6. GROUND TRUTH.  Every event an attacker causes is label=attack with its scenario; everything else,
 including helpers, shared tablets, aggregators and customers locked out by others, is legit.  A
 remote-access-scam session is the scammer's even where the victim types.  takeover=true exactly on an
 attack event whose outcome is success, except money-mule logins; the lockout replay turns an
 attacker's correct guess on a locked credential into a refused attempt (takeover false).  A legit
 login refused because of a lock becomes scenario locked_out_customer.  Legit scenarios:
 everyday_app, everyday_web, popular_pin_customer, elderly_home_pc, family_shared_device,
 helper_for_relative, small_business, psd2_aggregator, psd2_payment_initiation, fints_software,
 login_at_work, cross_border_commuter, holiday_abroad, domestic_holiday, vpn_user, private_relay,
 new_phone, cleared_cookies, typo_retry, user_id_typo, forgotten_password, locked_out_customer (one
 scenario per event by priority: mishap > holiday > helper/tablet/FinTS/new phone > commuter > work >
 VPN > relay > lost cookie > elderly > popular PIN > everyday).

7. KNOWN SIMPLIFICATIONS.  No other banks' customers on shared addresses (CGNAT, hotels) appear,
 since the log is one bank's.  No account opening/closing apart from the mule accounts.  Browser
 fingerprint attributes beyond user agent and cookie are not modelled.  A lock is released with the same
 secret.  Attack volumes are an evaluator's judgement of one plausible three weeks, not statistics of a
 real bank.
"""

import argparse
import bisect
import datetime as _dt
import hashlib
import hmac
import ipaddress
import json
import math
import random
import sys
import time as _time

# ====================================================================== network tables
# (key, operator, ASN, country, kind, IPv4 prefixes, IPv6 prefix or None, options).  Real ASNs; prefixes
# are plausible blocks of the operator picked from memory (not checked against a current BGP table).
# Options of fixed lines: daily = share of lines with a forced daily reconnect (new IPv4 and, unless
# v6static, new IPv6 prefix); epoch = mean days an address lasts otherwise; v6 = share of dual-stack
# lines; v6static = share of those with a never-changing delegated prefix; dslite = share of IPv6 lines
# whose IPv4 leaves through the provider's shared AFTR.  Mobile/VPN/Zscaler: pool = public addresses the
# operator rotates our customers' sessions through; v6 = share of sessions on IPv6 (new /64 each).
NETS = [
    # ------------------------------------------------------------------ Germany, fixed
    ("de_telekom", "Deutsche Telekom", 3320, "DE", "fixed",
     ["79.192.0.0/10", "87.128.0.0/10", "91.0.0.0/10", "93.192.0.0/10", "217.224.0.0/11", "84.128.0.0/10"],
     "2003::/19", dict(daily=0.55, epoch=30, v6=0.85)),
    ("de_vf_cable", "Vodafone Kabel Deutschland", 3209, "DE", "fixed",
     ["92.208.0.0/13", "88.152.0.0/14", "95.222.0.0/15"],
     "2a02:8100::/27", dict(daily=0.0, epoch=45, v6=0.9, dslite=0.5)),
    ("de_vf_dsl", "Vodafone DSL (ex-Arcor)", 3209, "DE", "fixed",
     ["2.200.0.0/13", "188.96.0.0/12", "178.0.0.0/12"], None, dict(daily=0.8, epoch=20)),
    ("de_o2", "Telefonica Germany (O2 DSL)", 6805, "DE", "fixed",
     ["77.176.0.0/12", "78.48.0.0/13", "95.112.0.0/12"], "2a02:3100::/24", dict(daily=0.7, epoch=20, v6=0.5)),
    ("de_1und1", "1&1 Versatel", 8881, "DE", "fixed",
     ["89.247.0.0/16", "94.134.0.0/15", "87.122.0.0/15", "92.116.0.0/15"], "2001:16b8::/32",
     dict(daily=0.85, epoch=20, v6=0.6)),
    ("de_netcologne", "NetCologne", 8422, "DE", "fixed", ["87.78.0.0/15", "78.34.0.0/16"], None,
     dict(daily=0.0, epoch=60)),
    ("de_mnet", "M-net", 8767, "DE", "fixed", ["93.104.0.0/14"], None, dict(daily=0.3, epoch=30)),
    ("de_telekom_biz", "Deutsche Telekom (business, static)", 3320, "DE", "fixed", ["217.6.0.0/16", "80.146.0.0/16"],
     None, dict()),
    ("de_colt", "Colt Technology Services (corporate gateways)", 8220, "DE", "fixed", ["213.61.0.0/16"], None, dict()),
    # ------------------------------------------------------------------ Germany, mobile
    ("de_telekom_mob", "Telekom Deutschland mobile", 3320, "DE", "mobile", ["80.187.0.0/16"], "2a01:598::/32",
     dict(pool=3072, v6=0.55)),
    ("de_vf_mob", "Vodafone Germany mobile", 3209, "DE", "mobile", ["109.40.0.0/13"], None, dict(pool=3072)),
    ("de_o2_mob", "Telefonica Germany mobile", 6805, "DE", "mobile", ["176.0.0.0/13", "82.113.96.0/19"], None,
     dict(pool=3072)),
    # ------------------------------------------------------------------ Austria
    ("at_a1", "A1 Telekom Austria", 8447, "AT", "fixed", ["62.46.0.0/15", "91.114.0.0/15"], None,
     dict(daily=0.3, epoch=25)),
    ("at_magenta", "Magenta Telekom (ex-UPC)", 8412, "AT", "fixed", ["62.178.0.0/15", "84.112.0.0/13"],
     "2a02:8388::/32", dict(epoch=50, v6=0.6)),
    ("at_drei_home", "Hutchison Drei Austria (5G home internet, CGNAT)", 25255, "AT", "mobile",
     ["178.115.0.0/16", "188.20.0.0/14"], None, dict(pool=1024)),
    ("at_a1_mob", "A1 Telekom Austria mobile", 8447, "AT", "mobile", ["77.116.0.0/14"], None, dict(pool=1536)),
    ("at_magenta_mob", "Magenta Telekom mobile", 8412, "AT", "mobile", ["213.162.64.0/19"], None, dict(pool=1024)),
    ("at_drei_mob", "Hutchison Drei Austria mobile", 25255, "AT", "mobile", ["178.115.0.0/16", "188.20.0.0/14"], None,
     dict(pool=1536)),
    # ------------------------------------------------------------------ Netherlands
    ("nl_kpn", "KPN", 1136, "NL", "fixed", ["77.160.0.0/12", "86.80.0.0/12", "145.53.0.0/16"], "2a02:a440::/29",
     dict(epoch=200, v6=0.6, v6static=1.0)),
    ("nl_ziggo", "VodafoneZiggo", 33915, "NL", "fixed", ["84.24.0.0/13", "94.208.0.0/12", "62.194.0.0/15"],
     "2001:1c00::/23", dict(epoch=60, v6=0.7, v6static=0.9)),
    ("nl_kpn_mob", "KPN mobile", 1136, "NL", "mobile", ["109.36.0.0/14"], None, dict(pool=1536)),
    ("nl_odido_mob", "Odido (ex-T-Mobile Netherlands)", 31615, "NL", "mobile", ["37.74.0.0/16"], None, dict(pool=1536)),
    ("nl_vf_mob", "VodafoneZiggo mobile", 33915, "NL", "mobile", ["5.132.0.0/16"], None, dict(pool=1024)),
    # ------------------------------------------------------------------ Belgium
    ("be_proximus", "Proximus", 5432, "BE", "fixed", ["81.240.0.0/13", "91.176.0.0/13", "109.128.0.0/13"],
     "2a02:a03f::/32", dict(epoch=20, v6=0.6)),
    ("be_telenet", "Telenet", 6848, "BE", "fixed", ["84.192.0.0/13", "94.224.0.0/13", "81.82.0.0/15"],
     "2a02:1810::/28", dict(epoch=90, v6=0.7, v6static=0.9)),
    ("be_voo", "VOO", 12392, "BE", "fixed", ["109.88.0.0/14"], None, dict(epoch=30)),
    ("be_proximus_mob", "Proximus mobile", 5432, "BE", "mobile", ["46.178.0.0/16"], None, dict(pool=1536)),
    ("be_orange_mob", "Orange Belgium", 47377, "BE", "mobile", ["94.104.0.0/15"], None, dict(pool=1536)),
    # ------------------------------------------------------------------ France
    ("fr_orange", "Orange France", 3215, "FR", "fixed", ["90.0.0.0/9", "86.192.0.0/11", "2.0.0.0/12", "92.128.0.0/12"],
     "2a01:cb00::/24", dict(epoch=40, v6=0.8, v6static=0.8)),
    ("fr_free", "Free (Iliad)", 12322, "FR", "fixed", ["82.64.0.0/14", "88.160.0.0/11", "82.224.0.0/11"],
     "2a01:e00::/26", dict(epoch=1000, v6=0.9, v6static=1.0)),
    ("fr_sfr", "SFR", 15557, "FR", "fixed", ["77.128.0.0/11", "109.8.0.0/13"], "2a02:8400::/25",
     dict(epoch=30, v6=0.5)),
    ("fr_bouygues", "Bouygues Telecom", 5410, "FR", "fixed", ["176.128.0.0/10", "89.80.0.0/12"], "2001:861::/32",
     dict(epoch=40, v6=0.8, v6static=0.7)),
    ("fr_orange_mob", "Orange France mobile", 3215, "FR", "mobile", ["92.184.96.0/19", "80.12.0.0/17"], None,
     dict(pool=3072)),
    ("fr_free_mob", "Free Mobile", 51207, "FR", "mobile", ["37.160.0.0/12"], "2a04:cec0::/29", dict(pool=2048, v6=0.6)),
    ("fr_sfr_mob", "SFR mobile", 15557, "FR", "mobile", ["80.214.0.0/15"], None, dict(pool=2048)),
    ("fr_bouygues_mob", "Bouygues Telecom mobile", 5410, "FR", "mobile", ["176.162.0.0/15"], None, dict(pool=2048)),
    # ------------------------------------------------------------------ Poland
    ("pl_orange", "Orange Polska", 5617, "PL", "fixed", ["83.0.0.0/11", "79.184.0.0/13"], None,
     dict(daily=0.6, epoch=15)),
    ("pl_upc", "UPC Polska (Liberty Global)", 6830, "PL", "fixed", ["89.64.0.0/13", "89.72.0.0/13"], None,
     dict(epoch=60)),
    ("pl_netia", "Netia", 12741, "PL", "fixed", ["83.238.0.0/15"], None, dict(epoch=30)),
    ("pl_vectra", "Vectra", 29314, "PL", "fixed", ["78.88.0.0/13"], None, dict(epoch=40)),
    ("pl_orange_mob", "Orange Polska mobile", 5617, "PL", "mobile", ["31.60.0.0/14"], None, dict(pool=1536)),
    ("pl_play_mob", "Play (P4)", 39603, "PL", "mobile", ["37.248.0.0/14"], None, dict(pool=1536)),
    ("pl_tmobile_mob", "T-Mobile Polska", 12912, "PL", "mobile", ["46.112.0.0/13"], None, dict(pool=1536)),
    ("pl_plus_mob", "Polkomtel (Plus)", 8374, "PL", "mobile", ["37.7.0.0/16"], None, dict(pool=1024)),
    # ------------------------------------------------------------------ Czechia
    ("cz_o2", "O2 Czech Republic", 5610, "CZ", "fixed", ["90.176.0.0/12", "94.112.0.0/13"], None, dict(epoch=40)),
    ("cz_tmobile", "T-Mobile Czech Republic", 5588, "CZ", "fixed", ["89.24.0.0/14"], None, dict(epoch=30)),
    ("cz_vodafone", "Vodafone Czech Republic", 16019, "CZ", "fixed", ["188.175.0.0/16"], None, dict(epoch=60)),
    ("cz_o2_mob", "O2 Czech Republic mobile", 5610, "CZ", "mobile", ["46.135.0.0/16"], None, dict(pool=1024)),
    ("cz_tmobile_mob", "T-Mobile Czech Republic mobile", 5588, "CZ", "mobile", ["37.188.128.0/17"], None,
     dict(pool=1024)),
    ("cz_vodafone_mob", "Vodafone Czech Republic mobile", 16019, "CZ", "mobile", ["46.13.0.0/16"], None,
     dict(pool=1024)),
    # ------------------------------------------------------------------ Luxembourg, Switzerland (work places)
    ("lu_post", "POST Luxembourg", 6661, "LU", "fixed", ["80.90.32.0/19", "85.93.192.0/18"], None, dict(epoch=90)),
    ("lu_post_mob", "POST Luxembourg mobile", 6661, "LU", "mobile", ["94.252.0.0/16"], None, dict(pool=512)),
    ("ch_swisscom", "Swisscom", 3303, "CH", "fixed", ["178.192.0.0/14", "62.202.0.0/15"], None, dict(epoch=60)),
    ("ch_swisscom_mob", "Swisscom mobile", 3303, "CH", "mobile", ["178.197.0.0/16"], None, dict(pool=1024)),
    # ------------------------------------------------------------------ holiday destinations
    ("es_telefonica", "Telefonica de Espana (Movistar)", 3352, "ES", "fixed", ["83.32.0.0/11", "81.32.0.0/12"], None,
     dict(epoch=30)),
    ("es_vodafone", "Vodafone Spain (ONO)", 6739, "ES", "fixed", ["88.0.0.0/11"], None, dict(epoch=30)),
    ("es_orange", "Orange Espagne", 12479, "ES", "fixed", ["90.160.0.0/11"], None, dict(epoch=30)),
    ("it_tim", "Telecom Italia (TIM)", 3269, "IT", "fixed", ["79.0.0.0/11", "87.0.0.0/12"], None, dict(epoch=20)),
    ("it_fastweb", "Fastweb", 12874, "IT", "fixed", ["2.224.0.0/12", "93.32.0.0/13"], None, dict(epoch=60)),
    ("it_windtre", "Wind Tre", 1267, "IT", "fixed", ["151.16.0.0/12"], None, dict(epoch=20)),
    ("gr_ote", "OTE (Cosmote)", 6799, "GR", "fixed", ["94.64.0.0/13", "79.103.0.0/16"], None, dict(epoch=10)),
    ("gr_vodafone", "Vodafone Greece", 3329, "GR", "fixed", ["46.103.0.0/16"], None, dict(epoch=10)),
    ("hr_ht", "Hrvatski Telekom", 5391, "HR", "fixed", ["93.136.0.0/13", "78.0.0.0/13"], None, dict(epoch=10)),
    ("pt_meo", "MEO (Altice Portugal)", 3243, "PT", "fixed", ["85.240.0.0/13"], None, dict(epoch=30)),
    ("pt_nos", "NOS Comunicacoes", 2860, "PT", "fixed", ["89.152.0.0/14"], None, dict(epoch=30)),
    ("tr_ttnet", "Turk Telekom (TTNet)", 9121, "TR", "fixed", ["78.160.0.0/11", "88.224.0.0/11"], None, dict(epoch=7)),
    ("tr_turkcell_mob", "Turkcell", 16135, "TR", "mobile", ["188.56.0.0/14"], None, dict(pool=2048)),
    ("th_3bb", "Triple T Broadband (3BB)", 45758, "TH", "fixed", ["171.96.0.0/13"], None, dict(epoch=7)),
    ("th_true_mob", "True Move H", 7470, "TH", "mobile", ["49.228.0.0/14"], None, dict(pool=2048)),
    ("eg_tedata", "TE Data (Telecom Egypt)", 8452, "EG", "fixed", ["41.32.0.0/12"], None, dict(epoch=7)),
    ("eg_vodafone_mob", "Vodafone Egypt", 36935, "EG", "mobile", ["41.234.0.0/15"], None, dict(pool=1024)),
    # ------------------------------------------------------------------ foreign residential (proxy exits)
    ("us_comcast", "Comcast Cable", 7922, "US", "fixed", ["73.0.0.0/8", "98.192.0.0/10"], None, dict(epoch=60)),
    ("br_claro", "Claro NXT (Brazil)", 28573, "BR", "fixed", ["177.32.0.0/11"], None, dict(epoch=7)),
    ("in_jio", "Reliance Jio", 55836, "IN", "mobile", ["49.32.0.0/12"], None, dict(pool=4096)),
    ("vn_viettel", "Viettel", 7552, "VN", "fixed", ["27.64.0.0/12"], None, dict(epoch=7)),
    ("id_telkom", "Telkom Indonesia", 7713, "ID", "fixed", ["36.64.0.0/11"], None, dict(epoch=7)),
    ("ua_kyivstar", "Kyivstar", 15895, "UA", "fixed", ["46.211.0.0/16"], None, dict(epoch=7)),
    ("ro_rcsrds", "RCS & RDS (Digi Romania)", 8708, "RO", "fixed", ["86.120.0.0/13", "79.112.0.0/13"], None,
     dict(epoch=30)),
    # ------------------------------------------------------------------ hosting / cloud
    ("dc_do_fra", "DigitalOcean (Frankfurt)", 14061, "DE", "dc",
     ["164.90.160.0/19", "46.101.128.0/17", "167.172.160.0/19", "138.68.64.0/18"], None, dict()),
    ("dc_do_ams", "DigitalOcean (Amsterdam)", 14061, "NL", "dc", ["188.166.0.0/17", "178.62.192.0/18"], None, dict()),
    ("dc_vultr", "Vultr (Choopa, Frankfurt)", 20473, "DE", "dc", ["199.247.0.0/19", "45.76.80.0/20"], None, dict()),
    ("dc_ovh", "OVH", 16276, "FR", "dc", ["51.75.0.0/16", "54.36.0.0/16", "137.74.0.0/16", "164.132.0.0/16",
                                          "51.68.0.0/16"], None, dict()),
    ("dc_hetzner", "Hetzner Online", 24940, "DE", "dc", ["78.46.0.0/15", "88.198.0.0/16", "116.202.0.0/15",
                                                         "5.9.0.0/16"], None, dict()),
    ("dc_hetzner_fi", "Hetzner Online (Helsinki)", 24940, "FI", "dc", ["65.21.0.0/16", "95.216.0.0/16"], None, dict()),
    ("dc_contabo", "Contabo", 51167, "DE", "dc", ["207.180.192.0/18", "161.97.64.0/18", "144.91.64.0/18",
                                                 "173.212.192.0/18"], None, dict()),
    ("dc_stark", "Stark Industries Solutions", 44477, "NL", "dc", ["94.131.96.0/19", "5.252.176.0/21"], None, dict()),
    ("aws_fra", "Amazon AWS eu-central-1", 16509, "DE", "cloud", ["3.120.0.0/14", "18.184.0.0/15", "52.28.0.0/16"],
     None, dict()),
    ("aws_dub", "Amazon AWS eu-west-1", 16509, "IE", "cloud", ["52.208.0.0/13", "34.240.0.0/13"], None, dict()),
    ("aws_lon", "Amazon AWS eu-west-2", 16509, "GB", "cloud", ["3.8.0.0/14", "18.130.0.0/16"], None, dict()),
    ("gcp_fi", "Google Cloud europe-north1", 396982, "FI", "cloud", ["35.228.0.0/16", "34.88.0.0/16"], None, dict()),
    ("azure_nl", "Microsoft Azure West Europe", 8075, "NL", "cloud", ["20.50.0.0/16", "13.81.0.0/16"], None, dict()),
    # ------------------------------------------------------------------ VPN exits, anonymisers, relays
    ("vpn_m247_de", "M247 (consumer VPN exits, Frankfurt)", 9009, "DE", "vpn", ["146.70.107.0/24", "146.70.80.0/24"],
     None, dict(pool=120)),
    ("vpn_m247_nl", "M247 (consumer VPN exits, Amsterdam)", 9009, "NL", "vpn", ["146.70.117.0/24"], None,
     dict(pool=80)),
    ("vpn_m247_fr", "M247 (consumer VPN exits, Paris)", 9009, "FR", "vpn", ["146.70.194.0/24"], None, dict(pool=80)),
    ("vpn_m247_pl", "M247 (consumer VPN exits, Warsaw)", 9009, "PL", "vpn", ["146.70.144.0/24"], None, dict(pool=60)),
    ("vpn_m247_ch", "M247 (consumer VPN exits, Zurich)", 9009, "CH", "vpn", ["146.70.134.0/24"], None, dict(pool=60)),
    ("vpn_datacamp_de", "Datacamp/CDN77 (VPN exits, Frankfurt)", 60068, "DE", "vpn", ["89.187.162.0/23"], None,
     dict(pool=100)),
    ("vpn_datacamp_nl", "Datacamp/CDN77 (VPN exits, Amsterdam)", 60068, "NL", "vpn", ["89.187.180.0/23"], None,
     dict(pool=100)),
    ("tor_de", "Tor exits (Stiftung Erneuerbare Freiheit)", 60729, "DE", "tor", ["185.220.101.0/24"], None,
     dict(pool=200)),
    ("relay_akamai", "Akamai (iCloud Private Relay egress)", 36183, "", "relay", ["172.224.0.0/12"], None, dict()),
    ("relay_cf", "Cloudflare (iCloud Private Relay egress)", 13335, "", "relay", ["104.28.0.0/16"], None, dict()),
    ("zs_fra", "Zscaler (Frankfurt)", 53813, "DE", "zscaler", ["165.225.72.0/22"], None, dict(pool=256)),
    ("zs_ams", "Zscaler (Amsterdam)", 53813, "NL", "zscaler", ["165.225.240.0/22"], None, dict(pool=256)),
    ("zs_par", "Zscaler (Paris)", 53813, "FR", "zscaler", ["165.225.20.0/22"], None, dict(pool=256)),
    ("zs_bru", "Zscaler (Brussels)", 53813, "BE", "zscaler", ["165.225.12.0/23"], None, dict(pool=128)),
    ("zs_waw", "Zscaler (Warsaw)", 53813, "PL", "zscaler", ["165.225.206.0/23"], None, dict(pool=128)),
]

# Where customers live, with the market shares (fixed and mobile) used for them.
HOME = {
    "DE": dict(w=0.34, loc="de_DE",
               fixed=[("de_telekom", .40), ("de_vf_cable", .20), ("de_vf_dsl", .07), ("de_o2", .12),
                      ("de_1und1", .15), ("de_netcologne", .02), ("de_mnet", .04)],
               mobile=[("de_telekom_mob", .40), ("de_vf_mob", .30), ("de_o2_mob", .30)],
               zs="zs_fra", vpn="vpn_m247_de"),
    "FR": dict(w=0.16, loc="fr_FR",
               fixed=[("fr_orange", .40), ("fr_free", .25), ("fr_sfr", .18), ("fr_bouygues", .17)],
               mobile=[("fr_orange_mob", .38), ("fr_free_mob", .24), ("fr_sfr_mob", .22), ("fr_bouygues_mob", .16)],
               zs="zs_par", vpn="vpn_m247_fr"),
    "NL": dict(w=0.12, loc="nl_NL",
               fixed=[("nl_kpn", .5), ("nl_ziggo", .5)],
               mobile=[("nl_kpn_mob", .38), ("nl_odido_mob", .32), ("nl_vf_mob", .30)],
               zs="zs_ams", vpn="vpn_m247_nl"),
    "PL": dict(w=0.12, loc="pl_PL",
               fixed=[("pl_orange", .40), ("pl_upc", .25), ("pl_netia", .12), ("pl_vectra", .11),
                      ("pl_play_mob", .12)],   # LTE routers at home: CGNAT
               mobile=[("pl_orange_mob", .27), ("pl_play_mob", .30), ("pl_tmobile_mob", .23), ("pl_plus_mob", .20)],
               zs="zs_waw", vpn="vpn_m247_pl"),
    "BE": dict(w=0.09, loc="nl_BE",
               fixed=[("be_proximus", .45), ("be_telenet", .40), ("be_voo", .15)],
               mobile=[("be_proximus_mob", .55), ("be_orange_mob", .45)],
               zs="zs_bru", vpn="vpn_datacamp_nl"),
    "AT": dict(w=0.09, loc="de_AT",
               fixed=[("at_a1", .45), ("at_magenta", .35), ("at_drei_home", .20)],
               mobile=[("at_a1_mob", .40), ("at_magenta_mob", .30), ("at_drei_mob", .30)],
               zs="zs_fra", vpn="vpn_datacamp_de"),
    "CZ": dict(w=0.05, loc="cs_CZ",
               fixed=[("cz_o2", .45), ("cz_tmobile", .25), ("cz_vodafone", .30)],
               mobile=[("cz_o2_mob", .40), ("cz_tmobile_mob", .35), ("cz_vodafone_mob", .25)],
               zs="zs_fra", vpn="vpn_datacamp_de"),
    "LU": dict(w=0.03, loc="fr_LU",
               fixed=[("lu_post", 1.0)], mobile=[("lu_post_mob", 1.0)],
               zs="zs_fra", vpn="vpn_m247_de"),
}

# Fixed networks used for accommodation / cafe Wi-Fi in destinations that are not home countries.
DEST_FIXED = {
    "ES": [("es_telefonica", .5), ("es_vodafone", .25), ("es_orange", .25)],
    "IT": [("it_tim", .45), ("it_fastweb", .3), ("it_windtre", .25)],
    "GR": [("gr_ote", .6), ("gr_vodafone", .4)],
    "HR": [("hr_ht", 1.0)],
    "PT": [("pt_meo", .55), ("pt_nos", .45)],
    "TR": [("tr_ttnet", 1.0)],
    "TH": [("th_3bb", 1.0)],
    "EG": [("eg_tedata", 1.0)],
    "CH": [("ch_swisscom", 1.0)],
}
DEST_MOBILE = {"TR": "tr_turkcell_mob", "TH": "th_true_mob", "EG": "eg_vodafone_mob", "CH": "ch_swisscom_mob"}
FOREIGN_RESI = [("us_comcast", 3), ("br_claro", 2), ("in_jio", 2), ("vn_viettel", 2), ("id_telkom", 1),
                ("ua_kyivstar", 1), ("ro_rcsrds", 2), ("tr_ttnet", 1), ("es_telefonica", 1), ("it_tim", 1)]

DAY = 86400.0
HOUR = 3600.0
BANK = "Lindenbank"
START_DEFAULT = "2025-07-21"

# ---------------------------------------------------------------------------- time zones
STD_OFF = {"DE": 1, "AT": 1, "NL": 1, "BE": 1, "FR": 1, "PL": 1, "CZ": 1, "LU": 1, "CH": 1, "ES": 1, "IT": 1,
           "HR": 1, "PT": 0, "GB": 0, "IE": 0, "GR": 2, "FI": 2, "RO": 2, "UA": 2, "TR": 3, "TH": 7, "EG": 2,
           "US": -5, "BR": -3, "IN": 5.5, "VN": 7, "ID": 7, "SE": 1}
NO_DST = {"TR", "TH", "US", "BR", "IN", "VN", "ID"}   # (US has DST but proxies' local time is irrelevant)
EU_RLAH = {"DE", "AT", "NL", "BE", "FR", "PL", "CZ", "LU", "ES", "IT", "GR", "HR", "PT"}
_dst_cache = {}


def _last_sunday_utc1(y, m):
    d = _dt.date(y, m, 31)
    while d.weekday() != 6:
        d -= _dt.timedelta(days=1)
    return _dt.datetime(d.year, d.month, d.day, 1, tzinfo=_dt.timezone.utc).timestamp()


def is_dst(t):
    day = int(t // DAY)
    v = _dst_cache.get(day)
    if v is None:
        y = (_dt.date(1970, 1, 1) + _dt.timedelta(days=day)).year
        v = (_last_sunday_utc1(y, 3), _last_sunday_utc1(y, 10))
        _dst_cache[day] = v
    return v[0] <= t < v[1]


def utc_off(cc, t):
    o = STD_OFF.get(cc, 1)
    if cc not in NO_DST and is_dst(t):
        o += 1
    return o * HOUR


_daystr = {}


def fmt_ts(ms):
    d, r = divmod(ms, 86400000)
    s = _daystr.get(d)
    if s is None:
        s = (_dt.date(1970, 1, 1) + _dt.timedelta(days=d)).isoformat()
        _daystr[d] = s
    h, r = divmod(r, 3600000)
    m, r = divmod(r, 60000)
    sec, msr = divmod(r, 1000)
    return f"{s}T{h:02d}:{m:02d}:{sec:02d}.{msr:03d}Z"


def h64(*p):
    return int.from_bytes(hashlib.blake2b(repr(p).encode(), digest_size=8).digest(), "big")


def wchoice(rng, items):
    """items: list of (value, weight)."""
    tot = 0.0
    for _, w in items:
        tot += w
    x = rng.random() * tot
    for v, w in items:
        x -= w
        if x < 0:
            return v
    return items[-1][0]


def poisson(rng, lam):
    if lam <= 0:
        return 0
    if lam < 30:
        L = math.exp(-lam)
        k = 0
        p = rng.random()
        while p > L:
            k += 1
            p *= rng.random()
        return k
    return max(0, int(rng.gauss(lam, math.sqrt(lam)) + 0.5))


# ---------------------------------------------------------------------------- networks
def _ip4(a):
    return f"{a >> 24}.{(a >> 16) & 255}.{(a >> 8) & 255}.{a & 255}"


class Net:
    def __init__(self, key, name, asn, cc, kind, v4, v6, opt):
        self.key, self.name, self.asn, self.cc, self.kind, self.opt = key, name, asn, cc, kind, opt
        self.blocks, self.cum = [], []
        tot = 0
        for c in v4:
            n = ipaddress.ip_network(c)
            self.blocks.append(int(n.network_address))
            tot += n.num_addresses
            self.cum.append(tot)
        self.total = tot
        if v6:
            n6 = ipaddress.ip_network(v6)
            self.v6base, self.v6len = int(n6.network_address), n6.prefixlen
        else:
            self.v6base = None
        self._pool = None

    def v4(self, k):
        k %= self.total
        i = bisect.bisect_right(self.cum, k)
        a = self.blocks[i] + k - (self.cum[i - 1] if i else 0)
        lo = a & 255
        if lo == 0:
            a += 1
        elif lo == 255:
            a -= 1
        return _ip4(a)

    def v6(self, site, iid):
        bits = 64 - self.v6len
        a = self.v6base | ((site % (1 << bits)) << 64) | (iid & 0xFFFFFFFFFFFFFFFF)
        return ipaddress.IPv6Address(a).compressed

    def pool_v4(self, rng):
        if self._pool is None:
            size = self.opt.get("pool", 2048)
            self._pool = [h64(self.key, "pool", j) for j in range(size)]
        return self.v4(self._pool[rng.randrange(len(self._pool))])

    def a(self, ip, cc=None):
        return (ip, self.asn, cc or self.cc)


NET = {}
for _row in NETS:
    NET[_row[0]] = Net(*_row)


def mobile_addr(net, rng):
    if net.v6base is not None and rng.random() < net.opt.get("v6", 0):
        return net.a(net.v6(rng.getrandbits(48), rng.getrandbits(64)))
    return net.a(net.pool_v4(rng))


class Line:
    """A fixed access line (home, office, holiday flat, hotel)."""
    __slots__ = ("net", "key", "mode", "L", "phase", "rh", "v6", "v6static", "dslite", "cc")

    def __init__(self, net, rng, static=False):
        self.net = net
        self.key = rng.getrandbits(62)
        self.cc = net.cc
        o = net.opt
        self.rh = 0.0
        self.L = 1.0
        self.phase = 0.0
        if static or net.kind != "fixed":
            self.mode = 0
        elif rng.random() < o.get("daily", 0.0):
            self.mode = 1
            self.rh = rng.uniform(2, 6) if rng.random() < 0.6 else rng.uniform(0, 24)
        else:
            self.mode = 2
            self.L = max(1.0, rng.lognormvariate(math.log(o.get("epoch", 20)), 0.8))
            self.phase = rng.random() * self.L
        self.v6 = net.v6base is not None and not static and rng.random() < o.get("v6", 0.0)
        self.v6static = rng.random() < o.get("v6static", 0.0)
        self.dslite = self.v6 and rng.random() < o.get("dslite", 0.0)

    def epoch(self, t):
        if self.mode == 0:
            return 0
        if self.mode == 1:
            return int((t + utc_off(self.cc, t) - self.rh * HOUR) // DAY)
        return int((t / DAY + self.phase) // self.L)

    def addr(self, t, devkey, rng):
        net = self.net
        if net.kind == "mobile":            # LTE/5G router at home: carrier-grade NAT
            return net.a(net.pool_v4(rng))
        e = self.epoch(t)
        if self.v6 and rng.random() < 0.92:   # dual stack: Happy Eyeballs prefers IPv6
            site = h64(self.key, "p6", 0 if self.v6static else e)
            iid = h64(devkey, int(t // DAY))   # RFC 4941 temporary address, rotated daily
            return net.a(net.v6(site, iid))
        if self.dslite:                     # IPv4 via the provider's shared AFTR address
            return net.a(net.v4(h64(net.key, "aftr", rng.randrange(400))))
        return net.a(net.v4(h64(self.key, "v4", e)))


def resi_addr(rng, cc):
    """A random address on a fixed residential line of country cc (a residential-proxy exit)."""
    if cc in HOME:
        net = NET[wchoice(rng, HOME[cc]["fixed"])]
    elif cc in DEST_FIXED:
        net = NET[wchoice(rng, DEST_FIXED[cc])]
    else:
        net = NET[wchoice(rng, FOREIGN_RESI)]
    if net.kind == "mobile":
        return net.a(net.pool_v4(rng))
    return net.a(net.v4(rng.getrandbits(40)))


def relay_addr(rng, relay, cc):
    """iCloud Private Relay egress: per-region sub-blocks of the relay operator."""
    blocks = relay.total // 4096
    k = (h64("relay", relay.key, cc) % blocks) * 4096 + rng.randrange(4096)
    return relay.a(relay.v4(k), cc)


# ---------------------------------------------------------------------------- user agents
def _epoch(y, m, d):
    return _dt.datetime(y, m, d, tzinfo=_dt.timezone.utc).timestamp()


# stable releases (Chrome skipped a week in summer 2025); later ones every 4 weeks
CHROME_REL = [(137, _epoch(2025, 5, 27)), (138, _epoch(2025, 6, 24)), (139, _epoch(2025, 8, 5)),
              (140, _epoch(2025, 9, 2)), (141, _epoch(2025, 9, 30)), (142, _epoch(2025, 10, 28))]
FIREFOX_REL = [(139, _epoch(2025, 5, 27)), (140, _epoch(2025, 6, 24)), (141, _epoch(2025, 7, 22)),
               (142, _epoch(2025, 8, 19)), (143, _epoch(2025, 9, 16)), (144, _epoch(2025, 10, 14))]
SAFARI = [(_epoch(2025, 5, 12), "18.5", "18_5"), (_epoch(2025, 7, 29), "18.6", "18_6"),
          (_epoch(2025, 9, 15), "26.0", "18_7")]


def _rel(table, t):
    v, t0 = table[0]
    if t < t0:
        return max(100, v - int((t0 - t) // (28 * DAY)) - 1)
    for v1, t1 in table:
        if t >= t1:
            v, t0 = v1, t1
    return v + int((t - t0) // (28 * DAY)) if t0 == table[-1][1] else v


def chrome_v(t):
    return _rel(CHROME_REL, t)


def firefox_v(t):
    return _rel(FIREFOX_REL, t)


def safari_v(t):
    v = SAFARI[0]
    for s in SAFARI:
        if t >= s[0]:
            v = s
    return v


BROWSERS = {
    "win_chrome": lambda t: f"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
                            f"Chrome/{chrome_v(t)}.0.0.0 Safari/537.36",
    "win_edge": lambda t: f"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
                          f"Chrome/{chrome_v(t)}.0.0.0 Safari/537.36 Edg/{chrome_v(t)}.0.0.0",
    "win_firefox": lambda t: f"Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:{firefox_v(t)}.0) Gecko/20100101 "
                             f"Firefox/{firefox_v(t)}.0",
    "win_firefox_esr": lambda t: "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0",
    "win7_chrome109": lambda t: "Mozilla/5.0 (Windows NT 6.1; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
                                "Chrome/109.0.0.0 Safari/537.36",
    "mac_safari": lambda t: f"Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) "
                            f"Version/{safari_v(t)[1]} Safari/605.1.15",
    "mac_chrome": lambda t: f"Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) "
                            f"Chrome/{chrome_v(t)}.0.0.0 Safari/537.36",
    "ios_safari": lambda t: f"Mozilla/5.0 (iPhone; CPU iPhone OS {safari_v(t)[2]} like Mac OS X) AppleWebKit/605.1.15 "
                            f"(KHTML, like Gecko) Version/{safari_v(t)[1]} Mobile/15E148 Safari/604.1",
    "android_chrome": lambda t: f"Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) "
                                f"Chrome/{chrome_v(t)}.0.0.0 Mobile Safari/537.36",
    "android_samsung": lambda t: "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) "
                                 "SamsungBrowser/28.0 Chrome/130.0.0.0 Mobile Safari/537.36",
    "linux_firefox": lambda t: f"Mozilla/5.0 (X11; Linux x86_64; rv:{firefox_v(t)}.0) Gecko/20100101 "
                               f"Firefox/{firefox_v(t)}.0",
    "ipad_safari": lambda t: f"Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) "
                             f"Version/{safari_v(t)[1]} Safari/605.1.15",
    "android_tablet": lambda t: f"Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) "
                                f"Chrome/{chrome_v(t)}.0.0.0 Safari/537.36",
}
SAFARI_LIKE = {"mac_safari", "ios_safari", "ipad_safari"}
BROWSER_MIX_YOUNG = [("win_chrome", .24), ("win_edge", .08), ("win_firefox", .06), ("mac_safari", .09),
                     ("mac_chrome", .06), ("ios_safari", .21), ("android_chrome", .19), ("android_samsung", .04),
                     ("linux_firefox", .03)]
BROWSER_MIX_OLD = [("win_chrome", .36), ("win_edge", .22), ("win_firefox", .10), ("win_firefox_esr", .04),
                   ("win7_chrome109", .06), ("mac_safari", .08), ("ios_safari", .07), ("android_chrome", .07)]

# app releases (version, days after the window start); customers update with a personal lag
APP_RELEASES = [("7.12.4", -75), ("7.13.1", -40), ("7.14.2", -12), ("7.15.0", 9), ("7.15.1", 17), ("7.16.0", 38)]
IOS_MODELS = [("iPhone12,1", .10), ("iPhone13,2", .10), ("iPhone14,5", .14), ("iPhone14,7", .10),
              ("iPhone15,2", .08), ("iPhone15,4", .12), ("iPhone16,1", .10), ("iPhone17,3", .14), ("iPhone14,6", .06),
              ("iPhone11,8", .06)]
IOS_VERS = [("18.5", .55), ("18.4.1", .12), ("18.3.2", .06), ("17.6.1", .15), ("16.7.11", .08), ("15.8.4", .04)]
ANDROID_MODELS = [("SM-S921B", .08), ("SM-A546B", .10), ("SM-A556B", .08), ("SM-G991B", .06), ("SM-A536B", .08),
                  ("SM-S911B", .06), ("SM-A155F", .06), ("Pixel 8", .04), ("Pixel 7a", .03), ("2201117TG", .05),
                  ("23129RAA4G", .05), ("CPH2581", .03), ("moto g54 5G", .04), ("SM-A256B", .06), ("SM-G781B", .04),
                  ("M2101K6G", .04), ("ANE-LX1", .02), ("SM-A127F", .03), ("SM-G973F", .02), ("XQ-DQ54", .01)]
ANDROID_VERS = [("15", .30), ("14", .30), ("13", .18), ("12", .10), ("11", .07), ("10", .05)]


def app_version(t, T0, lag):
    v = APP_RELEASES[0][0]
    for ver, d in APP_RELEASES:
        if t >= T0 + (d * DAY) + lag:
            v = ver
    return v


def app_ua(os_, osver, model, ver, loc):
    b = ver.replace(".", "")
    if os_ == "ios":
        return f"{BANK}/{ver} (de.lindenbank.mobile; build:{b}0; iOS {osver}; {model}; {loc}) Alamofire/5.9.1"
    return f"{BANK}/{ver} (Android {osver}; {model}; build {b}0; {loc}) okhttp/4.12.0"


FINTS_PRODUCTS = [("FinTS/3.0 StarMoney/14.0.6 (Windows)", .30), ("FinTS/3.0 MoneyMoney/2.4.51 (macOS 15.5)", .18),
                  ("FinTS/3.0 Hibiscus/2.10.24 (hbci4java 3.5)", .12), ("FinTS/3.0 Banking4W/8.6.1", .10),
                  ("FinTS/3.0 WISO MeinGeld/2025", .18), ("FinTS/3.0 Outbank/4.5.2 (iOS)", .12)]
FINTS_BIZ = [("FinTS/3.0 SFirm/4.0.12", .5), ("FinTS/3.0 StarMoney Business/11.0", .3),
             ("FinTS/3.0 Lexware FinanzManager/2025", .2)]

# PSD2 third-party providers (names are real companies; the user-agent strings are invented)
TPPS = {
    "finapi": dict(name="finAPI (AIS, embedded SCA)", net="aws_fra", n_ip=6, slots=[2.0, 8.0, 14.0, 20.0],
                   ua="finAPI-XS2A-Connector/5.3 (+https://www.finapi.io)"),
    "tink": dict(name="Tink (AIS)", net="gcp_fi", n_ip=8, slots=[1.0, 7.0, 13.0, 19.0],
                 ua="Apache-HttpClient/4.5.14 (Java/17.0.11)"),
    "gocardless": dict(name="GoCardless Bank Account Data (AIS)", net="aws_dub", n_ip=4, slots=[3.0, 15.0],
                       ua="python-httpx/0.27.0"),
    "truelayer": dict(name="TrueLayer (AIS)", net="aws_lon", n_ip=4, slots=[5.0, 11.0, 17.0, 23.0],
                      ua="TrueLayer-Connector/2.0 okhttp/4.11.0"),
    "saltedge": dict(name="Salt Edge (AIS)", net="azure_nl", n_ip=3, slots=[0.0, 12.0],
                     ua="SaltEdge-Provider/1.0 (Ruby)"),
}
PIS = dict(name="Sofort/Klarna-style payment initiation (PIS, embedded)", net="aws_fra", n_ip=10,
           ua="Java/17.0.10 PIS-Gateway/3.2")

# ---------------------------------------------------------------------------- secrets
POPULAR_PINS = [("12345", 3.0), ("11111", 1.2), ("00000", 0.8), ("54321", 0.6), ("55555", 0.35), ("12321", 0.3),
                ("99999", 0.3), ("13579", 0.3), ("22222", 0.25), ("77777", 0.25), ("98765", 0.2), ("10101", 0.15),
                ("11223", 0.15), ("12340", 0.15), ("01234", 0.15), ("33333", 0.15), ("88888", 0.15),
                ("66666", 0.12), ("44444", 0.1), ("24680", 0.1), ("14789", 0.1), ("25802", 0.1), ("15975", 0.1),
                ("12312", 0.1), ("11112", 0.08)]                       # percent of app users
POSTCODES = {"DE": ["10115", "80331", "20095", "50667", "60311", "70173", "40210", "44135", "45127", "04109"],
             "FR": ["75001", "13001", "69001", "31000", "06000", "44000", "67000", "57000", "59000", "33000"],
             "PL": ["00001", "30001", "50001", "80001", "90001", "60001", "40001", "70001"],
             "CZ": ["11000", "60200", "70030", "30100"], "AT": [], "NL": [], "BE": [], "LU": []}
POPULAR_PW = {
    "DE": ["Passwort1", "Hallo123", "Sommer2025", "Schatz123", "Bayern1900", "Schalke04", "Passwort123", "Hamburg1",
           "Dortmund09", "Sonnenschein1"],
    "AT": ["Passwort1", "Servus123", "Rapid1899", "Sommer2025", "Hallo123"],
    "FR": ["Azerty123", "Soleil123", "Bonjour1", "Marseille13", "Doudou123", "Loulou123", "Motdepasse1"],
    "NL": ["Welkom01", "Wachtwoord1", "Ajax1900", "Feyenoord1", "Welkom123"],
    "BE": ["Azerty123", "Bonjour1", "Welkom01", "Soleil123"],
    "PL": ["Haslo123", "Kochamcie1", "Polska123", "Legia1916", "Zaq12wsx"],
    "CZ": ["Heslo123", "Sparta1893", "Heslo1234"],
    "LU": ["Azerty123", "Passwort1", "Bonjour1"],
    "*": ["123456789", "12345678", "Qwerty123", "Password1", "Qwertz123", "1q2w3e4r"],
}
COMBO_JUNK_PW = ["123456", "password", "qwerty", "123456789", "111111", "abc123", "password1", "iloveyou",
                 "000000", "qwerty123", "1234567890", "hallo123", "azerty", "monkey"]

FIRST = {
    "DE": ["lukas", "anna", "maximilian", "laura", "felix", "julia", "jonas", "lena", "thomas", "sabine", "michael",
           "andrea", "stefan", "petra", "daniel", "katrin", "markus", "nicole", "tobias", "sandra"],
    "AT": ["florian", "katharina", "lukas", "sarah", "david", "lisa", "johann", "maria", "wolfgang", "christina"],
    "FR": ["jean", "marie", "pierre", "camille", "nicolas", "julie", "thomas", "lea", "sophie", "antoine", "manon",
           "julien", "nathalie", "franck", "celine"],
    "NL": ["jan", "sanne", "daan", "emma", "bram", "lotte", "pieter", "anouk", "sem", "fleur", "ruud", "ingrid"],
    "BE": ["lucas", "louise", "arthur", "marie", "noah", "elise", "wout", "lotte", "koen", "ann", "bart", "sofie"],
    "PL": ["jakub", "anna", "piotr", "katarzyna", "tomasz", "magdalena", "michal", "agnieszka", "pawel", "ewa",
           "krzysztof", "monika"],
    "CZ": ["jan", "petr", "jana", "tereza", "tomas", "lucie", "martin", "eva", "jiri", "hana"],
    "LU": ["luc", "claire", "marc", "sophie", "tom", "anne", "paul", "sarah"],
}
LAST = {
    "DE": ["mueller", "schmidt", "schneider", "fischer", "weber", "meyer", "wagner", "becker", "schulz", "hoffmann",
           "koch", "richter", "klein", "wolf", "neumann"],
    "AT": ["gruber", "huber", "bauer", "wagner", "pichler", "steiner", "moser", "mayer", "hofer", "leitner"],
    "FR": ["martin", "bernard", "dubois", "thomas", "robert", "richard", "petit", "durand", "leroy", "moreau",
           "simon", "laurent", "lefebvre", "michel", "garcia"],
    "NL": ["devries", "jansen", "bakker", "visser", "smit", "meijer", "degroot", "mulder", "bos", "vos"],
    "BE": ["peeters", "janssens", "maes", "jacobs", "mertens", "willems", "claes", "goossens", "wouters", "dubois"],
    "PL": ["nowak", "kowalski", "wisniewski", "wojcik", "kowalczyk", "kaminski", "lewandowski", "zielinski",
           "szymanski", "wozniak"],
    "CZ": ["novak", "svoboda", "novotny", "dvorak", "cerny", "prochazka", "kucera", "vesely", "horak", "nemec"],
    "LU": ["schmit", "muller", "weber", "wagner", "hoffmann", "thill", "kremer", "schroeder"],
}
MAILS = ["gmail.com", "gmx.de", "web.de", "t-online.de", "hotmail.com", "outlook.com", "yahoo.fr", "orange.fr",
         "free.fr", "wp.pl", "onet.pl", "ziggo.nl", "kpnmail.nl", "telenet.be", "seznam.cz", "gmx.at", "icloud.com"]

# ---------------------------------------------------------------------------- activity rhythm
# relative weight per local hour
CURVE_APP = [0.6, 0.3, 0.15, 0.1, 0.1, 0.3, 1.2, 2.6, 3.4, 3.0, 2.8, 3.0, 3.6, 3.2, 2.8, 2.8, 3.0, 3.6, 4.2, 4.6,
             5.0, 4.8, 3.6, 1.8]
CURVE_WEB = [0.4, 0.2, 0.1, 0.08, 0.08, 0.2, 0.7, 1.8, 3.4, 4.0, 4.0, 3.6, 3.0, 3.2, 3.6, 3.4, 3.2, 3.2, 3.6, 4.2,
             4.6, 4.2, 3.0, 1.3]
CURVE_OLD = [0.1, 0.05, 0.03, 0.03, 0.05, 0.2, 0.8, 2.2, 4.2, 5.2, 5.4, 4.6, 3.0, 3.2, 4.0, 4.2, 3.8, 3.2, 2.8, 2.4,
             2.0, 1.2, 0.5, 0.2]
CURVE_WEEKEND = [0.7, 0.4, 0.2, 0.1, 0.08, 0.1, 0.3, 0.8, 1.8, 3.2, 4.0, 4.2, 3.8, 3.4, 3.2, 3.2, 3.2, 3.4, 3.8, 4.2,
                 4.6, 4.4, 3.4, 1.8]
CURVE_OFFICE = [0, 0, 0, 0, 0, 0, 0, 0.5, 2.5, 3.5, 3.5, 3.2, 4.0, 3.6, 3.0, 3.0, 2.8, 1.6, 0.6, 0, 0, 0, 0, 0]
DOW = [1.15, 1.05, 1.0, 1.0, 1.05, 0.8, 0.85]


def _cum(curve):
    out, s = [], 0.0
    for x in curve:
        s += x
        out.append(s)
    return out


CUM = {k: _cum(v) for k, v in dict(app=CURVE_APP, web=CURVE_WEB, old=CURVE_OLD, weekend=CURVE_WEEKEND,
                                      office=CURVE_OFFICE).items()}


def pick_hour(rng, curve):
    c = CUM[curve]
    return bisect.bisect_right(c, rng.random() * c[-1]) + rng.random()


AGE_BANDS = [((18, 29), .17), ((30, 49), .35), ((50, 64), .27), ((65, 79), .16), ((80, 94), .05)]

DESTS = {
    "DE": [("ES", 18), ("IT", 16), ("AT", 8), ("HR", 8), ("GR", 9), ("TR", 10), ("FR", 7), ("NL", 5), ("PT", 4),
           ("TH", 2), ("EG", 4), ("CH", 3)],
    "FR": [("ES", 28), ("IT", 18), ("PT", 14), ("GR", 10), ("HR", 5), ("TR", 3), ("TH", 3), ("EG", 3), ("CH", 6),
           ("DE", 5), ("BE", 5)],
    "NL": [("FR", 22), ("ES", 18), ("IT", 12), ("DE", 12), ("AT", 6), ("GR", 9), ("TR", 8), ("HR", 6), ("PT", 5),
           ("TH", 2)],
    "BE": [("FR", 30), ("ES", 20), ("IT", 12), ("NL", 6), ("GR", 8), ("TR", 8), ("HR", 5), ("PT", 6), ("TH", 2),
           ("DE", 3)],
    "PL": [("HR", 18), ("GR", 16), ("TR", 14), ("EG", 10), ("ES", 10), ("IT", 12), ("DE", 8), ("CZ", 4), ("AT", 4),
           ("TH", 4)],
    "AT": [("IT", 25), ("HR", 25), ("GR", 12), ("ES", 10), ("TR", 10), ("DE", 8), ("FR", 4), ("TH", 3), ("EG", 3)],
    "CZ": [("HR", 30), ("IT", 18), ("GR", 15), ("ES", 8), ("AT", 8), ("DE", 8), ("TR", 8), ("EG", 5)],
    "LU": [("FR", 25), ("ES", 20), ("PT", 20), ("IT", 15), ("GR", 8), ("DE", 6), ("BE", 6)],
}
TRIP_P = {"DE": .36, "FR": .28, "NL": .38, "BE": .35, "PL": .24, "AT": .34, "CZ": .30, "LU": .40}
DOMESTIC_P = {"DE": .10, "FR": .25, "NL": .08, "BE": .08, "PL": .15, "AT": .10, "CZ": .12, "LU": .02}
# cross-border commuting: (work country, share of customers of the home country)
COMMUTE = {"FR": [("LU", .04), ("CH", .02), ("DE", .005)], "BE": [("LU", .05), ("NL", .005)],
           "DE": [("LU", .012), ("CH", .01), ("NL", .003), ("AT", .002)], "PL": [("DE", .04)],
           "CZ": [("DE", .05), ("AT", .01)], "NL": [("DE", .015), ("BE", .01)], "AT": [("DE", .02), ("CH", .015)],
           "LU": []}
WORK_OFFICE_NETS = {"LU": ["lu_post"], "CH": ["ch_swisscom"], "DE": ["de_telekom_biz", "de_colt"],
                    "NL": ["nl_kpn"], "BE": ["be_proximus"], "AT": ["at_a1"], "FR": ["fr_orange"],
                    "PL": ["pl_orange"], "CZ": ["cz_o2"]}

# ====================================================================== population
RESET, FORGOT = 1, 2
LOCK_AFTER = 3        # consecutive wrong secrets per credential (web password / app PIN) that lock it


class Phone:
    __slots__ = ("t", "tok", "os", "osver", "model", "lag")

    def __init__(self, t, tok, os_, osver, model, lag):
        self.t, self.tok, self.os, self.osver, self.model, self.lag = t, tok, os_, osver, model, lag


class Household:
    __slots__ = ("cc", "line", "members", "tablet", "trip")

    def __init__(self, cc, line):
        self.cc, self.line, self.members, self.tablet, self.trip = cc, line, [], None, None


class Trip:
    __slots__ = ("dest", "t0", "t1", "domestic", "acc", "acc_kind", "local")

    def __init__(self, dest, t0, t1, domestic):
        self.dest, self.t0, self.t1, self.domestic = dest, t0, t1, domestic
        self.acc, self.acc_kind, self.local = None, "", None


class Cust:
    __slots__ = ("i", "acct", "cc", "age", "hh", "app", "web", "app_share", "rate", "pw", "pin", "carrier", "phones",
                 "bprof", "bpol", "blag", "wtok", "wlast", "whist", "employer", "work_cc", "desk", "office_prof",
                 "office_tok", "vpn", "vpn_share", "relay", "payday", "helper", "helper_tok", "helper_prof", "fints",
                 "fints_auto", "fints_stored", "fints_sysid", "tpp", "tpp_freq", "tpp_off", "tpp_link", "pis", "biz",
                 "mule", "episodes", "popular_pin", "loc", "old", "alias", "numeric_web", "capslock", "sess_t", "sess_pw",
                 "birth", "name")

    def secret_at(self, kind, t):
        lst = self.pw if kind == "pw" else self.pin
        if not lst:
            return None
        v = lst[0][1]
        for t0, s in lst:
            if t >= t0:
                v = s
            else:
                break
        return v

    def phone_at(self, t):
        p = self.phones[0]
        for q in self.phones:
            if t >= q.t:
                p = q
        return p

    def wtok_at(self, t):
        """Device token the customer's own browser holds at time t (None: no cookie)."""
        tok = self.whist[0][1]
        for t0, k in self.whist:
            if t0 <= t:
                tok = k
            else:
                break
        return tok


def uuid_from(rng):
    x = rng.getrandbits(128)
    h = f"{x:032x}"
    return f"{h[:8]}-{h[8:12]}-4{h[13:16]}-{'89ab'[x & 3]}{h[17:20]}-{h[20:32]}"


def web_token(rng):
    return "wd_" + "".join(rng.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
                           for _ in range(26))


def fints_sysid(rng):
    return "sysid:" + "".join(rng.choice("ABCDEFGHJKLMNPQRSTUVWXYZ23456789") for _ in range(24))


def pin_typo(pin, rng):
    adj = {"0": "8", "1": "24", "2": "135", "3": "26", "4": "157", "5": "2468", "6": "359", "7": "48", "8": "5790",
           "9": "68"}
    k = rng.randrange(5)
    d = pin[k]
    return pin[:k] + rng.choice(adj[d]) + pin[k + 1:]


class Gen:
    def __init__(self, seed, users, days, start):
        self.seed, self.N, self.D = seed, users, days
        self.date0 = start
        self.T0 = _dt.datetime(start.year, start.month, start.day, tzinfo=_dt.timezone.utc).timestamp()
        self.T1 = self.T0 + days * DAY
        self.sc = users / 30000.0
        self.tsc = days / 21.0
        self.pepper = hashlib.sha256(f"lindenbank-secret-fp-pepper:{seed}".encode()).digest()
        self._fp = {}
        self.ev = []
        self.custs = []
        self.by_acct = {}
        self.employers = {}
        self.hotels = {}
        self.attack_plans = {}

    # ------------------------------------------------------------------ helpers
    def fp(self, secret):
        v = self._fp.get(secret)
        if v is None:
            v = hmac.new(self.pepper, secret.encode(), hashlib.sha256).hexdigest()[:16]
            self._fp[secret] = v
        return v

    def emit(self, t, acct, addr, ua, dev, outcome, secret, label, scen, take, ctx, kind, owner=-1, flag=0):
        if t < self.T0 or t >= self.T1:
            return
        ip, asn, cc = addr
        self.ev.append([int(t * 1000), acct, ip, ua, dev, outcome, self.fp(secret), asn, cc, label, scen, take, ctx,
                        kind, owner, flag])

    def check(self, acct, kind, secret, t):
        c = self.by_acct.get(acct)
        if c is None:
            return "unknown_account"
        cur = c.secret_at(kind, t)
        return "success" if cur is not None and cur == secret else "wrong_secret"

    def local_hour(self, cc, t):
        tl = t + utc_off(cc, t)
        return (tl % DAY) / HOUR, int(tl // DAY + 3) % 7     # (hour, weekday 0=Mon)

    def at_local(self, cc, day_index, hour):
        tl = self.T0 + day_index * DAY + hour * HOUR
        return tl - utc_off(cc, tl)

    def rand_time(self, rng, t_lo, t_hi, cc, curve="web"):
        """A time in [t_lo, t_hi) following the activity curve of local time in cc."""
        d0 = int((t_lo - self.T0) // DAY)
        d1 = int((t_hi - self.T0) // DAY)
        for _ in range(50):
            t = self.at_local(cc, rng.randint(d0, max(d0, d1)), pick_hour(rng, curve))
            if t_lo <= t < t_hi:
                return t
        return rng.uniform(t_lo, t_hi)

    # ------------------------------------------------------------------ population
    def sample_pin(self, rng, c):
        r = rng.random() * 100
        for p, w in POPULAR_PINS:
            r -= w
            if r < 0:
                return p
        r = rng.random()
        if r < 0.045:       # date-shaped: day + month + last digit of the birth year
            b = c.birth
            return f"{b[2]:02d}{b[1]:02d}{b[0] % 10}"
        if r < 0.065 and POSTCODES.get(c.cc):
            return rng.choice(POSTCODES[c.cc])
        return f"{rng.randrange(100000):05d}"

    def employer(self, rng, work_cc, kind):
        key = (work_cc, kind)
        pool = self.employers.setdefault(key, {})
        M = max(20, int(self.N / 60))
        idx = int(M * rng.random() ** 2.2)
        e = pool.get(idx)
        if e is None:
            erng = random.Random(f"{self.seed}:emp:{work_cc}:{kind}:{idx}")
            if kind == "zscaler":
                zs = HOME.get(work_cc, HOME["DE"])["zs"] if work_cc in HOME else "zs_fra"
                e = dict(kind=kind, net=NET[zs], cc=work_cc, name=f"large employer #{idx} behind Zscaler")
            elif kind == "corp":
                e = dict(kind=kind, line=Line(NET["de_colt"], erng, static=True), cc=work_cc,
                         name=f"corporate VPN gateway #{idx}")
            else:
                nets = WORK_OFFICE_NETS.get(work_cc, ["de_telekom_biz"])
                e = dict(kind="office", line=Line(NET[erng.choice(nets)], erng, static=True), cc=work_cc,
                         name=f"office #{idx} in {work_cc}")
            pool[idx] = e
        return e

    def new_cust(self, rng, i, cc, age, hh):
        c = Cust()
        c.i, c.cc, c.age, c.hh = i, cc, age, hh
        c.loc = HOME[cc]["loc"]
        c.old = age >= 70
        by = _dt.date.fromtimestamp(self.T0).year - age
        c.birth = (by, rng.randint(1, 12), rng.randint(1, 28))
        c.name = (rng.choice(FIRST[cc]), rng.choice(LAST[cc]))
        band = 0 if age < 30 else 1 if age < 50 else 2 if age < 65 else 3 if age < 80 else 4
        c.app = rng.random() < [.93, .86, .68, .40, .14][band]
        c.web = rng.random() < [.45, .55, .72, .88, .94][band]
        if not (c.app or c.web):
            c.web = True
        c.app_share = [.86, .80, .66, .50, .35][band]
        med = [.22, .24, .20, .14, .09][band]
        c.rate = min(6.0, med * rng.lognormvariate(0, 1.0) * (1.3 if c.app else 1.0))
        c.numeric_web = cc in ("DE", "AT") and rng.random() < 0.25
        if c.numeric_web:
            c.pw = [(-1e18, self.sample_pin(rng, c))]
        elif rng.random() < 0.05:
            lst = POPULAR_PW.get(cc, []) + POPULAR_PW["*"]
            c.pw = [(-1e18, lst[min(len(lst) - 1, int(len(lst) * rng.random() ** 2))])]
        else:
            c.pw = [(-1e18, f"pw:{i}:0")]
        c.pin = []
        c.popular_pin = False
        c.phones = []
        if c.app:
            pin = c.pw[0][1] if (c.numeric_web and rng.random() < 0.5) else self.sample_pin(rng, c)
            c.pin = [(-1e18, pin)]
            c.popular_pin = any(pin == p for p, _ in POPULAR_PINS)
            ios_p = {"DE": .38, "AT": .38, "NL": .48, "BE": .42, "FR": .40, "PL": .22, "CZ": .25, "LU": .5}[cc]
            c.phones.append(self.new_phone(rng, -1e18, "ios" if rng.random() < ios_p else "android"))
            if rng.random() < 0.035 * self.tsc:
                os_ = c.phones[0].os if rng.random() < 0.9 else ("ios" if c.phones[0].os == "android" else "android")
                p = self.new_phone(rng, rng.uniform(self.T0, self.T1), os_, fresh=True)
                c.phones.append(p)
        c.carrier = NET[wchoice(rng, HOME[cc]["mobile"])]
        c.bprof = wchoice(rng, BROWSER_MIX_OLD if age >= 62 else BROWSER_MIX_YOUNG)
        if c.bprof in SAFARI_LIKE:
            c.bpol = "itp"
        elif rng.random() < (0.2 if "firefox" in c.bprof else 0.05):
            c.bpol = "clear"
        else:
            c.bpol = "keep"
        c.blag = rng.uniform(0, 9) * DAY
        c.wtok = web_token(rng) if (c.bpol != "clear" and rng.random() < 0.9) else None
        c.wlast = self.T0 - rng.uniform(0, 15) * DAY
        c.whist = [(-1e18, c.wtok)]
        c.employer, c.work_cc, c.desk = None, cc, False
        c.office_prof, c.office_tok = None, None
        if 21 <= age <= 64 and rng.random() < 0.66:
            c.work_cc = cc
            for wcc, p in COMMUTE.get(cc, []):
                if rng.random() < p / 0.66:
                    c.work_cc = wcc
                    break
            r = rng.random()
            kind = "office" if r < 0.74 else ("zscaler" if r < 0.93 else "corp")
            if kind == "corp" and c.work_cc not in ("DE", "LU"):
                kind = "office"
            c.employer = self.employer(rng, c.work_cc, kind)
            c.desk = rng.random() < 0.5
            c.office_prof = rng.choice(["win_chrome", "win_edge", "win_edge", "win_firefox_esr"])
            c.office_tok = web_token(rng) if rng.random() < 0.8 else None
        c.vpn = None
        c.vpn_share = 0.0
        if rng.random() < [.05, .03, .015, .008, .004][band]:
            c.vpn = NET[HOME[cc]["vpn"]] if rng.random() < 0.8 else NET[rng.choice(["vpn_m247_ch", "vpn_m247_nl"])]
            c.vpn_share = rng.uniform(0.4, 0.95)
        c.relay = c.bprof in SAFARI_LIKE and rng.random() < 0.2
        # payday: day of month the salary or pension arrives (0 = last banking day)
        if age >= 66:
            c.payday = {"FR": 9, "PL": rng.choice([1, 5, 10, 15, 20, 25]), "NL": 23, "BE": rng.choice([0, 1])}.get(cc, 0)
        else:
            c.payday = {
                "NL": wchoice(rng, [(25, .5), (24, .15), (0, .2), (1, .15)]),
                "PL": wchoice(rng, [(10, .4), (0, .3), (1, .1), (5, .1), (28, .1)]),
                "CZ": wchoice(rng, [(rng.randint(10, 15), .7), (0, .15), (1, .15)]),
            }.get(cc, wchoice(rng, [(0, .6), (1, .15), (15, .05), (rng.randint(25, 28), .2)]))
        c.helper, c.helper_tok, c.helper_prof = None, None, None
        c.fints = None
        c.fints_auto = False
        c.fints_stored = False
        if cc in ("DE", "AT") and c.web and age >= 30 and rng.random() < 0.06:
            c.fints = wchoice(rng, FINTS_PRODUCTS)
            c.fints_auto = rng.random() < 0.3
            c.fints_stored = rng.random() < 0.7
            c.fints_sysid = fints_sysid(rng)
        c.tpp = None
        if rng.random() < [.032, .025, .016, .007, .002][band]:
            c.tpp = wchoice(rng, [("finapi", .35), ("tink", .25), ("gocardless", .15), ("truelayer", .1),
                                  ("saltedge", .15)])
            c.tpp_freq = wchoice(rng, [(4, .55), (2, .3), (1, .15)])
            c.tpp_off = rng.uniform(0, 1.5)
            c.tpp_link = rng.uniform(self.T0, self.T1) if rng.random() < 0.1 else self.T0 - rng.uniform(5, 170) * DAY
        c.pis = []
        if cc in ("DE", "AT", "NL", "BE", "PL") and rng.random() < 0.07:
            c.pis = [None] * min(4, 1 + poisson(rng, 0.6 * self.tsc))
        c.biz = None
        c.mule = False
        c.episodes = []
        c.alias = False
        c.capslock = rng.random() < 0.15
        c.sess_t = []
        c.sess_pw = []
        # forgotten password / PIN (planned here because the secret changes)
        for kind, p in (("pw", 0.012), ("pin", 0.006)):
            if (kind == "pin" and not c.app) or (kind == "pw" and not c.web):
                continue
            if rng.random() < p * self.tsc:
                t_f = self.rand_time(rng, self.T0, self.T1 - DAY, cc, "old" if c.old else "web")
                if rng.random() < 0.6:
                    if rng.random() < 0.35:
                        t_r = t_f + rng.uniform(5, 30) * 60            # self-service reset with the app/SMS-TAN
                    else:
                        t_r = t_f + rng.uniform(2, 5) * DAY            # hotline, new PIN letter by post
                    new = (f"pw:{i}:r{len(c.pw)}" if kind == "pw"
                           else f"{rng.randrange(100000):05d}")
                    (c.pw if kind == "pw" else c.pin).append((t_r, new))
                    c.episodes.append((kind, t_f, 3, t_r))
                else:
                    c.episodes.append((kind, t_f, 2, None))
        return c

    def new_phone(self, rng, t, os_, fresh=False):
        if os_ == "ios":
            model, ver = wchoice(rng, IOS_MODELS), wchoice(rng, IOS_VERS)
            if fresh:
                model, ver = rng.choice(["iPhone17,3", "iPhone17,1", "iPhone16,2"]), "18.5"
            lag = rng.expovariate(1 / 3.0) * DAY
        else:
            model, ver = wchoice(rng, ANDROID_MODELS), wchoice(rng, ANDROID_VERS)
            if fresh:
                model, ver = rng.choice(["SM-S931B", "SM-A566B", "Pixel 9", "SM-A366B"]), "15"
            lag = rng.expovariate(1 / 6.0) * DAY
        if not fresh and rng.random() < 0.08:
            lag = rng.uniform(60, 200) * DAY        # never updates
        if fresh:
            lag = 0.0
        return Phone(t, uuid_from(rng), os_, ver, model, lag)

    def build(self):
        rng = random.Random(f"{self.seed}:population")
        N = self.N
        n_mule = max(3, round(12 * self.sc))
        target = N - n_mule
        ccw = [(k, v["w"]) for k, v in HOME.items()]
        households = []
        while len(self.custs) < target:
            cc = wchoice(rng, ccw)
            hh = Household(cc, Line(NET[wchoice(rng, HOME[cc]["fixed"])], rng))
            r = rng.random()
            size = 1 if r < 0.72 else (2 if r < 0.95 else 3)
            a = wchoice(rng, AGE_BANDS)
            age0 = rng.randint(*a)
            for j in range(size):
                if len(self.custs) >= target:
                    break
                if j == 0:
                    age = age0
                elif j == 1:
                    age = min(94, max(18, age0 + rng.randint(-6, 6)))
                else:
                    if not (42 <= age0 <= 68):
                        break
                    age = rng.randint(18, 27)
                c = self.new_cust(rng, len(self.custs), cc, age, hh)
                hh.members.append(c)
                self.custs.append(c)
            if len(hh.members) >= 2 and rng.random() < 0.35:
                hh.tablet = (web_token(rng), "ipad_safari" if rng.random() < 0.55 else "android_tablet")
            households.append(hh)
        # small businesses: an owner account used by 2-5 staff from the office
        cand = [c for c in self.custs if 30 <= c.age <= 64 and c.web]
        for c in rng.sample(cand, min(len(cand), round(0.015 * N))):
            brng = random.Random(f"{self.seed}:biz:{c.i}")
            nets = WORK_OFFICE_NETS.get(c.cc, ["de_telekom_biz"])
            staff = [(web_token(brng), brng.choice(["win_chrome", "win_edge", "win_edge", "win_firefox", "mac_safari"]),
                      brng.random() < 0.15) for _ in range(brng.randint(2, 5))]
            c.biz = dict(line=Line(NET[brng.choice(nets)], brng, static=brng.random() < 0.8), staff=staff,
                         fints=(wchoice(brng, FINTS_BIZ) if c.cc in ("DE", "AT") and brng.random() < 0.45 else None),
                         sysid=fints_sysid(brng), rate=brng.uniform(0.8, 3.0))
            c.tpp = None
        # money-mule accounts: opened recently, controlled by one herder (attack ground truth)
        for k in range(n_mule):
            cc = wchoice(rng, [("DE", .6), ("NL", .2), ("AT", .1), ("BE", .1)])
            hh = Household(cc, Line(NET[wchoice(rng, HOME[cc]["fixed"])], rng))
            c = self.new_cust(rng, len(self.custs), cc, rng.randint(19, 29), hh)
            c.mule, c.app, c.web, c.tpp, c.fints, c.pis, c.episodes = True, True, True, None, None, [], []
            c.pw = [(-1e18, f"pw:{c.i}:mule")]
            c.pin = [(-1e18, f"{rng.randrange(100000):05d}")]
            c.phones = [self.new_phone(rng, -1e18, "android")]
            hh.members.append(c)
            self.custs.append(c)
        # helpers: adult children who log in for elderly parents
        by_cc = {}
        for c in self.custs:
            if 35 <= c.age <= 60 and not c.mule:
                by_cc.setdefault(c.cc, []).append(c)
        for c in self.custs:
            if c.mule or not c.web or c.age < 70:
                continue
            if rng.random() < (0.25 if c.age >= 78 else 0.08) and by_cc.get(c.cc):
                h = rng.choice(by_cc[c.cc])
                if h.hh is not c.hh:
                    c.helper = h
                    c.helper_tok = h.wtok if (h.wtok and rng.random() < 0.7) else web_token(rng)
                    c.helper_prof = h.bprof if h.bprof not in ("ios_safari", "android_chrome") else "win_chrome"
        # holidays (per household; business owners travel too, their staff keep working)
        span0 = self.T0 - 12 * DAY
        for hh in households:
            if all(m.mule for m in hh.members):
                continue
            p = TRIP_P[hh.cc] * (0.45 if all(m.age >= 75 for m in hh.members) else 1.0) * min(1.5, self.tsc)
            r = rng.random()
            if r < p:
                dest, dom = wchoice(rng, DESTS[hh.cc]), False
            elif r < p + DOMESTIC_P[hh.cc]:
                dest, dom = hh.cc, True
            else:
                continue
            length = wchoice(rng, [(7, .35), (10, .2), (14, .35), (21, .1)]) + rng.randint(-1, 1)
            t0 = self.at_local(hh.cc, int((rng.uniform(span0, self.T1 - 2 * DAY) - self.T0) // DAY),
                               rng.uniform(6, 14))
            tr = Trip(dest, t0, t0 + length * DAY, dom)
            if dom:
                fx = [n for n, _ in HOME[hh.cc]["fixed"] if NET[n].kind == "fixed"]
                tr.acc, tr.acc_kind = Line(NET[rng.choice(fx)], rng, static=True), "holiday flat / campsite Wi-Fi"
            else:
                if rng.random() < 0.6:
                    pool = self.hotels.setdefault(dest, {})
                    n_h = max(8, int(60 * self.sc))
                    idx = rng.randrange(n_h)
                    if idx not in pool:
                        hrng = random.Random(f"{self.seed}:hotel:{dest}:{idx}")
                        fixed = DEST_FIXED.get(dest) or [(n, w) for n, w in HOME[dest]["fixed"]
                                                        if NET[n].kind == "fixed"]
                        pool[idx] = Line(NET[wchoice(hrng, fixed)], hrng, static=True)
                    tr.acc, tr.acc_kind = pool[idx], f"hotel #{idx} guest Wi-Fi"
                else:
                    fixed = DEST_FIXED.get(dest) or [(n, w) for n, w in HOME[dest]["fixed"] if NET[n].kind == "fixed"]
                    tr.acc, tr.acc_kind = Line(NET[wchoice(rng, fixed)], rng, static=True), "holiday rental Wi-Fi"
                if dest in DEST_MOBILE:
                    tr.local = NET[DEST_MOBILE[dest]]
            hh.trip = tr
        # account identifiers: sequential numbers in opening order, with gaps (closed / never activated)
        order = sorted(range(len(self.custs)),
                       key=lambda i: (self.custs[i].mule, -self.custs[i].age * 0.5 + rng.uniform(0, 40)))
        num10, num8 = 4010000000 + rng.randrange(50000), 20100000 + rng.randrange(20000)
        self.num10_lo = num10
        used = set()
        for i in order:
            c = self.custs[i]
            a_p = 0.0 if c.mule else (0.18 if c.age < 30 else 0.05 if c.age >= 65 else 0.12)
            if rng.random() < a_p:
                f, l = c.name
                yy = c.birth[0] % 100
                pat = rng.randrange(5)
                acct = [f"{f}.{l}", f"{f[0]}{l}", f"{f}{l}{yy:02d}", f"{f}_{yy:02d}", f"{l}{rng.randint(1, 999)}"][pat]
                while acct in used:
                    acct += str(rng.randint(0, 9))
                c.alias = True
            elif c.cc in ("NL", "BE") and not c.mule and rng.random() < 0.4:
                num8 += 1 + int(rng.expovariate(1 / 0.55))
                acct = str(num8)
            else:
                num10 += 1 + int(rng.expovariate(1 / (0.55 if not c.mule else 3.0)))
                acct = str(num10)
            used.add(acct)
            c.acct = acct
            self.by_acct[acct] = c
        self.num10_hi = num10
        self.num8_lo, self.num8_hi = 20100000, num8

    # ------------------------------------------------------------------ where is the customer
    def payday_factor(self, c, date):
        dom = date.day
        nxt = date + _dt.timedelta(days=1)
        last = (date.replace(day=28) + _dt.timedelta(days=4)).replace(day=1) - _dt.timedelta(days=1)
        lbd = last
        while lbd.weekday() >= 5:
            lbd -= _dt.timedelta(days=1)
        pd = c.payday
        f = 1.0
        hit = (pd == 0 and date == lbd) or (pd > 0 and dom == pd)
        prev = date - _dt.timedelta(days=1)
        after = (pd == 0 and prev == lbd) or (pd > 0 and prev.day == pd)
        if hit:
            f = 2.3
        elif after:
            f = 1.5
        if dom == 1 or (dom == 2 and date.weekday() == 0):
            f = max(f, 1.45)     # standing orders / rent on the 1st
        return f

    def trip_at(self, c, t):
        tr = c.hh.trip
        if tr is not None and tr.t0 <= t < tr.t1:
            return tr
        return None

    def where(self, c, t, ch, rng, devkey):
        """Returns (place, addr, note)."""
        tr = self.trip_at(c, t)
        if c.vpn is not None and rng.random() < c.vpn_share:
            return "vpn", c.vpn.a(c.vpn.pool_v4(rng)), f"always-on consumer VPN ({c.vpn.name})"
        if tr is not None:
            if tr.domestic:
                if ch == "web" or rng.random() < 0.5:
                    return "trip", tr.acc.addr(t, devkey, rng), f"domestic holiday, {tr.acc_kind}"
                return "trip", mobile_addr(c.carrier, rng), "domestic holiday, mobile data"
            eu = tr.dest in EU_RLAH
            r = rng.random()
            if ch == "app":
                if eu:
                    choice = "roam" if r < 0.55 else ("acc" if r < 0.95 else "cafe")
                else:
                    choice = ("roam" if r < 0.10 else "acc" if r < 0.65 else
                              ("local" if (r < 0.90 and tr.local) else "cafe"))
            else:
                choice = "acc" if r < 0.85 else ("cafe" if r < 0.95 else "roam")
            if choice == "roam":
                return "trip", mobile_addr(c.carrier, rng), \
                    f"holiday in {tr.dest}, roaming on home carrier {c.carrier.name}"
            if choice == "local":
                return "trip", tr.local.a(tr.local.pool_v4(rng)), f"holiday in {tr.dest}, local prepaid SIM/eSIM"
            if choice == "cafe":
                return "trip", resi_addr(rng, tr.dest), f"holiday in {tr.dest}, cafe/airport Wi-Fi"
            return "trip", tr.acc.addr(t, devkey, rng), f"holiday in {tr.dest}, {tr.acc_kind}"
        lh, wd = self.local_hour(c.cc, t)
        work = c.employer is not None and wd < 5 and 8 <= lh < 17.5
        if ch == "app":
            if work and rng.random() < 0.65:
                e = c.employer
                if e["kind"] == "office" and rng.random() < 0.25:
                    return "office", e["line"].addr(t, devkey, rng), f"phone on office Wi-Fi ({e['name']})"
                return "workmobile", mobile_addr(c.carrier, rng), \
                    (f"at work in {c.work_cc}, phone on home carrier (roam like at home)" if c.work_cc != c.cc
                     else "at work, mobile data")
            if rng.random() < 0.62:
                return "home", c.hh.line.addr(t, devkey, rng), "home Wi-Fi"
            return "mobile", mobile_addr(c.carrier, rng), "mobile data"
        # web
        if work and c.desk and rng.random() < 0.75:
            e = c.employer
            if e["kind"] == "zscaler":
                return "office", e["net"].a(e["net"].pool_v4(rng)), f"work PC via corporate Zscaler ({e['name']})"
            return "office", e["line"].addr(t, devkey, rng), f"work PC ({e['name']})"
        mobile_browser = c.bprof in ("ios_safari", "android_chrome", "android_samsung")
        if mobile_browser and rng.random() < 0.4:
            return "mobile", mobile_addr(c.carrier, rng), "phone browser on mobile data"
        if not mobile_browser and rng.random() < 0.04:
            return "other", resi_addr(rng, c.cc), "on a relative's/friend's computer"
        return "home", c.hh.line.addr(t, devkey, rng), "home"

    # ------------------------------------------------------------------ legitimate traffic
    def attempts(self, c, t, kind, secret, rng, typo_p, acct=None):
        """Returns [(t, secret_sent, is_typo)] for one login: optional typos, then the right secret."""
        out = []
        if rng.random() < typo_p:
            for _ in range(1 + (rng.random() < 0.2)):
                if kind == "pin":
                    s = pin_typo(secret, rng)
                elif c.capslock and rng.random() < 0.6:
                    s = secret.swapcase() + ("" if secret.swapcase() != secret else "!")
                else:
                    s = f"{secret}#typo{rng.getrandbits(40)}"
                out.append((t, s, True))
                t += rng.uniform(4, 25)
        out.append((t, secret, False))
        return out

    def web_device(self, c, t, rng):
        """Own browser's device token at this login; updates the cookie state."""
        absent_reason = None
        if c.bpol == "clear":
            tok = None
            absent_reason = "browser clears cookies on exit / private window"
        else:
            gap = t - c.wlast
            if c.wtok is not None and c.bpol == "itp" and gap > 7 * DAY:
                c.wtok = None
                absent_reason = "Safari ITP expired the script-set cookie after 7 days without a visit"
            elif c.wtok is not None and c.bpol == "keep" and rng.random() < min(0.5, gap / (150 * DAY)):
                c.wtok = None
                absent_reason = "cookies cleared (cleanup tool / browser reset)"
            tok = c.wtok
            if tok is None:
                absent_reason = absent_reason or "no device cookie yet"
                c.wtok = web_token(rng)         # set after this login
                c.whist.append((t + 1, c.wtok))
        c.wlast = t
        return tok, absent_reason

    def session(self, c, t, ch, tag, rng):
        T0 = self.T0
        label = "legit"
        flag = 0
        kind = "pin" if ch == "app" else "pw"
        secret = c.secret_at(kind, t)
        scen = None
        notes = []
        acct = c.acct
        if ch == "app":
            ph = c.phone_at(t)
            dev = ph.tok
            ua = app_ua(ph.os, ph.osver, ph.model, app_version(t, T0, ph.lag), c.loc)
            place, addr, note = self.where(c, t, "app", rng, dev)
            notes.append(f"{BANK} app on {ph.model}")
            if ph.t > T0 - DAY and t - ph.t < 3 * DAY:
                scen = "new_phone"
                notes.append("new phone: app freshly installed and registered")
            typo_p = 0.022 if not c.old else 0.04
        elif ch == "fints":
            dev = c.fints_sysid
            ua = c.fints
            place, addr, note = "home", c.hh.line.addr(t, dev, rng), "home PC"
            if c.fints_auto:
                notes.append("finance software, automatic account refresh")
            else:
                notes.append("finance software started by the customer")
            scen = "fints_software"
            typo_p = 0.0 if c.fints_stored else 0.02
        else:
            # web: helper / shared tablet / own browser
            place, addr, note = self.where(c, t, "web", rng, c.i)
            dev, ua, absent = None, None, None
            if place == "office":
                dev, ua = c.office_tok, BROWSERS[c.office_prof](t - c.blag)
            elif place == "other":
                dev, ua = None, BROWSERS[rng.choice(["win_chrome", "win_edge", "mac_safari"])](t - 5 * DAY)
                absent = "someone else's computer"
            elif place == "home" and c.helper is not None and rng.random() < 0.5:
                h = c.helper
                dev, ua = c.helper_tok, BROWSERS[c.helper_prof](t - h.blag)
                addr = h.hh.line.addr(t, c.helper_tok, rng)
                scen = "helper_for_relative"
                note = f"adult child logs in for the {c.age}-year-old account holder from the child's home"
            elif place == "home" and c.hh.tablet is not None and rng.random() < 0.45:
                dev, prof = c.hh.tablet
                ua = BROWSERS[prof](t - 3 * DAY)
                addr = c.hh.line.addr(t, dev, rng)
                scen = "family_shared_device"
                note = f"family tablet shared by {len(c.hh.members)} account holders"
            else:
                dev, absent = self.web_device(c, t, rng)
                ua = BROWSERS[c.bprof](t - c.blag)
                if c.relay and place in ("home", "mobile", "trip"):
                    addr = relay_addr(rng, NET["relay_akamai" if rng.random() < 0.7 else "relay_cf"], c.cc)
                    place = "relay"
                    note = "Safari with iCloud Private Relay"
            if dev is None and absent and scen is None:
                notes.append(f"no device token: {absent}")
                if place in ("home", "mobile", "relay"):
                    scen = "cleared_cookies"
            typo_p = 0.03 if not c.old else 0.06
        notes.insert(0, note)
        tr = self.trip_at(c, t)
        if tag in ("forgot", "forgot2", "reset"):
            scen = "forgotten_password"
        elif place == "trip" or (tr is not None and place in ("vpn", "relay")):
            scen = "domestic_holiday" if tr.domestic else "holiday_abroad"
        elif scen in ("helper_for_relative", "family_shared_device", "fints_software", "new_phone"):
            pass
        elif c.work_cc != c.cc and place in ("office", "workmobile"):
            scen = "cross_border_commuter"
        elif place == "office":
            scen = "login_at_work"
        elif place == "vpn":
            scen = "vpn_user"
        elif place == "relay":
            scen = "private_relay"
        elif scen == "cleared_cookies":
            pass
        elif c.age >= 70 and ch == "web":
            scen = "elderly_home_pc"
        elif ch == "app" and c.popular_pin:
            scen = "popular_pin_customer"
            notes.append("customer's PIN is a popular one")
        else:
            scen = "everyday_app" if ch == "app" else "everyday_web"
        ctx = "; ".join(notes)
        # user ID typo (web: the ID is typed; the app remembers it)
        if ch == "web" and rng.random() < (0.012 if c.old else 0.004) and tag is None:
            if c.alias:
                wrong = c.acct + rng.choice(["1", "s", "."])
            else:
                k = rng.randrange(len(acct))
                wrong = acct[:k] + str((int(acct[k]) + rng.choice([1, 9])) % 10) + acct[k + 1:]
                if rng.random() < 0.25:
                    wrong = c.name[0] + "." + c.name[1] + "@" + rng.choice(MAILS)
            out = self.check(wrong, kind, secret, t)
            if out == "success":
                out = "wrong_secret"
            self.emit(t - rng.uniform(15, 60), wrong, addr, ua, dev, out, secret, label, "user_id_typo", False,
                      "typed the user ID wrong (" + ("another customer's ID" if out == "wrong_secret" else
                                                     "no such user") + "); " + ctx, kind, c.i, 0)
        if tag == "forgot" or tag == "forgot2":
            olds = ([f"pw:{c.i}:old", f"pw:{c.i}:old", f"pw:{c.i}:old2"] if kind == "pw" else
                    [f"{rng.randrange(100000):05d}" for _ in range(2)])
            if kind == "pin":
                olds.insert(1, olds[0])
            n = 3 if tag == "forgot" else 2
            for k in range(n):
                self.emit(t, acct, addr, ua, dev, "wrong_secret", olds[k], label, scen, False,
                          ("forgotten " + ("password" if kind == "pw" else "PIN") + f": attempt {k + 1} with an old one"
                           + ("; locked, calls support" if (n == 3 and k == 2) else "") + "; " + ctx),
                          kind, c.i, FORGOT if n == 3 else 0)
                t += rng.uniform(8, 60)
            if n == 3:
                return
            ctx = "remembered it at the third try; " + ctx
            typo_p = 0.0
        if tag == "reset":
            flag = RESET
            ctx = "first login with the new " + ("password" if kind == "pw" else "PIN") + " after the reset; " + ctx
            typo_p = 0.1
        for ta, s, typo in self.attempts(c, t, kind, secret, rng, typo_p):
            if typo:
                self.emit(ta, acct, addr, ua, dev, "wrong_secret", s, label, "typo_retry", False,
                          "mistyped the " + ("PIN" if kind == "pin" else "password") + "; " + ctx, kind, c.i, 0)
            else:
                self.emit(ta, acct, addr, ua, dev, "success", s, label, scen, False, ctx, kind, c.i, flag)
            t = ta

    def gen_customer(self, c):
        rng = random.Random(f"{self.seed}:cust:{c.i}")
        sess = []
        T0, T1 = self.T0, self.T1
        for d in range(-1, self.D + 1):
            date = self.date0 + _dt.timedelta(days=d)
            dow = date.weekday()
            day0 = T0 + d * DAY
            tr = self.trip_at(c, day0 + 12 * HOUR)
            tzc = tr.dest if (tr is not None and not tr.domestic) else c.cc
            lam = c.rate * DOW[dow] * self.payday_factor(c, date) * (0.8 if tr else 1.0)
            for _ in range(poisson(rng, lam)):
                if c.app and c.web:
                    ch = "app" if rng.random() < (0.88 if tr else c.app_share) else "web"
                else:
                    ch = "app" if c.app else "web"
                curve = "old" if c.old else ("weekend" if dow >= 5 else ch)
                sess.append((self.at_local(tzc, d, pick_hour(rng, curve)), ch, None))
            if c.fints is not None and tr is None:
                n = poisson(rng, 2.5 if c.fints_auto else 0.3) if rng.random() < (0.7 if c.fints_auto else 1) else 0
                for _ in range(n):
                    sess.append((self.at_local(c.cc, d, pick_hour(rng, "web")), "fints", None))
        for kind, t_f, nwrong, t_r in c.episodes:
            chs = ("web", "fints") if kind == "pw" else ("app",)
            ch = "web" if kind == "pw" else "app"
            if nwrong == 3:
                sess = [s for s in sess if not (s[1] in chs and t_f <= s[0] < t_r + HOUR)]
                sess.append((t_f, ch, "forgot"))
                sess.append((t_r + rng.uniform(2, 40) * 60, ch, "reset"))
            else:
                sess.append((t_f, ch, "forgot2"))
        sess.sort(key=lambda s: s[0])
        c.sess_t = [s[0] for s in sess]
        c.sess_pw = [s[0] for s in sess if s[1] in ("web", "fints") and s[2] is None]
        for t, ch, tag in sess:
            self.session(c, t, ch, tag, rng)
        if c.biz is not None:
            self.gen_business(c, rng)
        if c.tpp is not None:
            self.gen_tpp(c, rng)
        for _ in c.pis:
            t = self.rand_time(rng, T0, T1, c.cc, "web")
            addr = NET[PIS["net"]].a(NET[PIS["net"]].v4(h64("pis", rng.randrange(PIS["n_ip"]))))
            for ta, s, typo in self.attempts(c, t, "pw", c.secret_at("pw", t), rng, 0.05):
                self.emit(ta, c.acct, addr, PIS["ua"], None, "wrong_secret" if typo else "success", s, "legit",
                          "typo_retry" if typo else "psd2_payment_initiation", False,
                          "customer pays an online shop by bank transfer; the payment-initiation service submits the "
                          "online-banking credentials the customer typed into its form", "pw", c.i, 0)

    def gen_business(self, c, rng):
        b = c.biz
        line = b["line"]
        for d in range(-1, self.D + 1):
            date = self.date0 + _dt.timedelta(days=d)
            if date.weekday() >= 5 and rng.random() < 0.85:
                continue
            for _ in range(poisson(rng, b["rate"] * self.payday_factor(c, date) ** 0.5)):
                t = self.at_local(c.cc, d, pick_hour(rng, "office"))
                tok, prof, clears = rng.choice(b["staff"])
                dev = None if clears else tok
                ua = BROWSERS[prof](t - 4 * DAY)
                addr = line.addr(t, tok, rng)
                secret = c.secret_at("pw", t)
                ctx = (f"small business: one of {len(b['staff'])} staff members using the shared business "
                       f"login from the office")
                for ta, s, typo in self.attempts(c, t, "pw", secret, rng, 0.03):
                    self.emit(ta, c.acct, addr, ua, dev, "wrong_secret" if typo else "success", s, "legit",
                              "typo_retry" if typo else "small_business", False, ctx, "pw", c.i, 0)
            if b["fints"] is not None and date.weekday() < 5:
                for _ in range(1 + (rng.random() < 0.4)):
                    t = self.at_local(c.cc, d, rng.uniform(7.5, 10.5) if rng.random() < 0.7 else rng.uniform(12, 17))
                    self.emit(t, c.acct, line.addr(t, b["sysid"], rng), b["fints"], b["sysid"], "success",
                              c.secret_at("pw", t), "legit", "small_business", False,
                              "small business: accounting software fetches statements via FinTS", "pw", c.i, 0)

    def gen_tpp(self, c, rng):
        tp = TPPS[c.tpp]
        net = NET[tp["net"]]
        slots = tp["slots"]
        if c.tpp_freq == 1:
            slots = [slots[min(1, len(slots) - 1)]]
        elif c.tpp_freq == 2 and len(slots) == 4:
            slots = [slots[0], slots[2]]
        stored = c.secret_at("pw", c.tpp_link)
        active = c.tpp_link
        ips = [h64("tpp", c.tpp, k) for k in range(tp["n_ip"])]
        base = f"PSD2 account-information service {tp['name']} refreshes balances/transactions without the customer"
        events = []
        if c.tpp_link >= self.T0:
            events.append((c.tpp_link, "link"))
        for d in range(-1, self.D + 1):
            for s in slots:
                t = self.T0 + d * DAY + (s + c.tpp_off) * HOUR + rng.uniform(-6, 6) * 60
                events.append((t, "batch"))
            for _ in range(poisson(rng, 0.25)):
                events.append((self.at_local(c.cc, d, pick_hour(rng, "app")), "present"))
        events.sort()
        for t, what in events:
            if t < active:
                continue
            addr = net.a(net.v4(rng.choice(ips)))
            cur = c.secret_at("pw", t)
            if stored != cur:
                self.emit(t, c.acct, addr, tp["ua"], None, "wrong_secret", stored, "legit", "psd2_aggregator", False,
                          base + "; the stored credential is stale after the customer's password change, the "
                          "provider suspends access until the customer re-authenticates", "pw", c.i, 0)
                i = bisect.bisect_right(c.sess_t, t)
                nxt = c.sess_t[i] if i < len(c.sess_t) else self.T1
                active = nxt + rng.uniform(0.1, 48) * HOUR
                stored = cur
                self.emit(active, c.acct, net.a(net.v4(rng.choice(ips))), tp["ua"], None, "success", cur, "legit",
                          "psd2_aggregator", False, f"customer re-connects the account in {tp['name']}'s app "
                          "(customer present)", "pw", c.i, 0)
                continue
            ctx = base if what == "batch" else (
                f"customer opened {tp['name']}'s app, live refresh" if what == "present" else
                f"customer links the account in {tp['name']}'s app (customer present)")
            self.emit(t, c.acct, addr, tp["ua"], None, "success", cur, "legit", "psd2_aggregator", False, ctx, "pw",
                      c.i, 0)

# ====================================================================== attacks
def stale_uas():
    out = []
    for v in range(116, 132):
        out.append(f"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
                   f"Chrome/{v}.0.0.0 Safari/537.36")
    for v in (115, 118, 121, 124, 128):
        out.append(f"Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:{v}.0) Gecko/20100101 Firefox/{v}.0")
    for sv in ("16.6", "17.4.1", "17.5"):
        out.append(f"Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) "
                   f"Version/{sv} Safari/605.1.15")
        out.append(f"Mozilla/5.0 (iPhone; CPU iPhone OS {sv.replace('.', '_')} like Mac OS X) AppleWebKit/605.1.15 "
                   f"(KHTML, like Gecko) Version/{sv} Mobile/15E148 Safari/604.1")
    out.append("Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Mobile "
               "Safari/537.36")
    return out


STALE_UAS = stale_uas()
BANK_CCS = [(k, v["w"]) for k, v in HOME.items()]


class Attacks:
    def __init__(self, g):
        self.g = g
        self.enum_state = {}
        self.tpp_abuse_cands = []

    def atk(self, t, acct, addr, ua, dev, kind, secret, scen, ctx, takeover=True):
        g = self.g
        out = g.check(acct, kind, secret, t)
        g.emit(t, acct, addr, ua, dev, out, secret, "attack", scen, takeover and out == "success", ctx, kind)
        return out

    # ---------------------------------------------------------------- planning (changes secrets, so before legit)
    def plan(self):
        g = self.g
        rng = random.Random(f"{g.seed}:plan")
        span = g.T1 - g.T0
        pool = [c for c in g.custs if not c.mule and c.biz is None]
        waves = []
        targets = [("DE", "AT"), ("NL", "BE", "FR"), ("PL", "CZ"), ("DE", "FR")]
        for w in range(max(1, round(2 * g.tsc))):
            ccs = targets[w % len(targets)]
            start = g.T0 + (w + rng.uniform(0.1, 0.8)) * span / max(1, round(2 * g.tsc))
            cand = [c for c in pool if c.cc in ccs]
            subs = []
            for _ in range(max(6, round(24 * g.sc))):
                t = start + min(rng.expovariate(1 / (9 * HOUR)), 44 * HOUR)
                lh, _ = g.local_hour(ccs[0], t)
                if lh < 7:
                    t += (8 - lh + rng.random()) * HOUR
                r = rng.random()
                kind = "victim" if r < 0.62 else "victim_typo" if r < 0.74 else "noncustomer" if r < 0.92 else "junk"
                v = rng.choice(cand) if kind.startswith("victim") else None
                sub = dict(t=t, kind=kind, v=v, reset=None)
                if v is not None and rng.random() < 0.3:
                    tr = t + rng.uniform(2, 20) * HOUR
                    v.pw.append((tr, f"pw:{v.i}:phish-reset"))
                    v.pw.sort(key=lambda x: x[0])
                    sub["reset"] = tr
                subs.append(sub)
            waves.append(dict(ccs=ccs, start=start, subs=subs, w=w))
        g.attack_plans["phish"] = waves
        # family member guessing a partner's password on the shared tablet / at home
        seen, hhs = set(), []
        for c in pool:
            hh = c.hh
            if len(hh.members) >= 2 and id(hh) not in seen and all(m.web for m in hh.members[:2]) and \
                    max(m.rate * (1 - m.app_share if m.app else 1) for m in hh.members[:2]) > 0.15:
                seen.add(id(hh))
                hhs.append(hh)
        fam = []
        for hh in rng.sample(hhs, min(len(hhs), max(1, round(2 * g.sc)))):
            victim, actor = hh.members[0], hh.members[1]
            if victim.rate * (1 - victim.app_share if victim.app else 1) < \
                    actor.rate * (1 - actor.app_share if actor.app else 1):
                victim, actor = actor, victim
            victim.pw[0] = (-1e18, f"guessable:{victim.i}")
            fam.append((victim, actor))
        g.attack_plans["family"] = fam

    # ---------------------------------------------------------------- helpers
    def combo(self, rng, mix, reuse):
        """One combo-list line: (account string, secret or None=reuse, note)."""
        g = self.g
        r = rng.random()
        if r < mix[0]:
            cc = wchoice(rng, BANK_CCS)
            f, l = rng.choice(FIRST[cc]), rng.choice(LAST[cc])
            acct = rng.choice([f"{f}.{l}@{rng.choice(MAILS)}", f"{f}{l}{rng.randint(1, 99)}@{rng.choice(MAILS)}",
                               f"{f[0]}{l}@{rng.choice(MAILS)}"])
            return acct, f"other:{rng.getrandbits(48)}", "e-mail from a generic combo list"
        if r < mix[0] + mix[1]:
            if rng.random() < 0.45 and self.aliases:
                c = rng.choice(self.aliases)
                if rng.random() < reuse:
                    return c.acct, None, "username reused from another breach"
                return c.acct, (rng.choice(COMBO_JUNK_PW) if rng.random() < 0.15 else f"other:{c.i}:{rng.randrange(3)}"), \
                    "username reused from another breach"
            cc = wchoice(rng, BANK_CCS)
            f, l = rng.choice(FIRST[cc]), rng.choice(LAST[cc])
            return rng.choice([f"{f}.{l}", f"{f[0]}{l}", f"{f}{l}{rng.randint(60, 99)}", f"{l}{rng.randint(1, 999)}"]), \
                f"other:{rng.getrandbits(48)}", "username from a generic combo list"
        # numeric user IDs from an old bank-specific dump (phishing kits / infostealer logs)
        if rng.random() < 0.8:
            c = rng.choice(self.numeric)
            if rng.random() < reuse:
                return c.acct, None, "user ID + password from an old dump of this bank's customers"
            return c.acct, (rng.choice(COMBO_JUNK_PW) if rng.random() < 0.1 else f"stale:{c.i}:{rng.randrange(2)}"), \
                "user ID + old password from a dump of this bank's customers"
        return str(rng.randint(g.num10_lo, g.num10_hi)), f"stale:{rng.getrandbits(40)}", \
            "user ID from an old dump (account since closed)"

    def resolve(self, acct, secret, t):
        if secret is not None:
            return secret
        c = self.g.by_acct.get(acct)
        return c.secret_at("pw", t) if c else "x"

    def fresh_app_ua(self, rng, t, old=False):
        os_ = "android" if rng.random() < 0.75 else "ios"
        if os_ == "ios":
            model, ver = wchoice(rng, IOS_MODELS), wchoice(rng, IOS_VERS)
        else:
            model, ver = wchoice(rng, ANDROID_MODELS), wchoice(rng, ANDROID_VERS)
        return app_ua(os_, ver, model, app_version(t, self.g.T0, rng.uniform(0, 10) * DAY), "de_DE")

    # ---------------------------------------------------------------- run
    def run(self):
        g = self.g
        self.aliases = [c for c in g.custs if c.alias and not c.mule]
        self.numeric = [c for c in g.custs if not c.alias and not c.mule]
        self.stuffing_residential()
        self.stuffing_datacenter()
        self.stuffing_low_slow()
        self.pin_spray_enumeration()
        self.pin_spray_low_slow()
        self.password_spray_web()
        self.brute_force()
        self.family_guessing()
        self.phishing()
        self.trojan_and_remote_access()
        self.infostealer()
        self.money_mule()

    def stuffing_residential(self):
        g = self.g
        rng = random.Random(f"{g.seed}:atk:stuff-resi")
        sizes = [4000, 2000] if g.tsc >= 0.6 else [3000]
        for k, n0 in enumerate(sizes):
            n = max(50, round(n0 * g.sc * min(1.0, g.tsc)))
            t = g.T0 + rng.uniform(0.05, 0.9) * (g.T1 - g.T0 - DAY)
            dur = rng.uniform(10, 18) * HOUR
            rate = n / dur
            addr, left = None, 0
            for _ in range(n):
                # bursty: tool threads, proxy hiccups
                t += rng.expovariate(rate) * (3.0 if rng.random() < 0.05 else 1.0)
                if left <= 0:
                    cc = wchoice(rng, BANK_CCS) if rng.random() < 0.65 else "XX"
                    addr = resi_addr(rng, cc) if cc != "XX" else resi_addr(rng, "")
                    left = 1 if rng.random() < 0.8 else rng.randint(2, 6)
                left -= 1
                acct, sec, note = self.combo(rng, (0.55, 0.13, 0.32), 0.012)
                dev = web_token(rng) if rng.random() < 0.25 else None
                self.atk(t, acct, addr, rng.choice(STALE_UAS), dev, "pw", self.resolve(acct, sec, t),
                         "credential_stuffing_residential",
                         f"campaign {k + 1}: OpenBullet-style config through a rotating residential proxy network; {note}")

    def stuffing_datacenter(self):
        g = self.g
        rng = random.Random(f"{g.seed}:atk:stuff-dc")
        n = max(30, round(2000 * g.sc * min(1.0, g.tsc)))
        nets = ["dc_do_fra", "dc_ovh", "dc_contabo", "dc_vultr", "dc_do_ams", "vpn_m247_de"]
        ips = []
        for _ in range(15):
            net = NET[rng.choice(nets)]
            ips.append(net.a(net.v4(rng.getrandbits(32))))
        ua = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 " \
             "Safari/537.36"
        t = g.T0 + rng.uniform(0.1, 0.9) * (g.T1 - g.T0 - DAY)
        dur = rng.uniform(2, 3.5) * HOUR
        for j in range(n):
            t += rng.expovariate(n / dur)
            acct, sec, note = self.combo(rng, (0.6, 0.12, 0.28), 0.012)
            self.atk(t, acct, ips[j % len(ips)], ua, None, "pw", self.resolve(acct, sec, t),
                     "credential_stuffing_datacenter", f"cheap stuffing run from 15 rented servers/VPN exits; {note}")

    def stuffing_low_slow(self):
        g = self.g
        rng = random.Random(f"{g.seed}:atk:stuff-slow")
        n = max(20, round(1200 * g.sc * g.tsc))
        t_lo = g.T0 + rng.uniform(0, 2) * DAY
        for _ in range(n):
            acct, sec, note = self.combo(rng, (0.25, 0.15, 0.60), 0.015)
            c = g.by_acct.get(acct)
            cc = c.cc if c else wchoice(rng, BANK_CCS)
            t = g.rand_time(rng, t_lo, g.T1, cc, "web")
            ua = BROWSERS[rng.choice(["win_chrome", "win_edge", "mac_safari", "ios_safari", "android_chrome"])](
                t - rng.uniform(0, 20) * DAY)
            self.atk(t, acct, resi_addr(rng, cc), ua, None, "pw", self.resolve(acct, sec, t),
                     "credential_stuffing_low_slow",
                     f"checker validating a bank-specific list slowly, one request per residential exit in the "
                     f"account holder's country, current browser user agents; {note}")

    def proxy_addr(self, rng, cc, mobile_share):
        if rng.random() < mobile_share:
            net = NET[wchoice(rng, HOME[cc]["mobile"])]
            return net.a(net.pool_v4(rng))
        return resi_addr(rng, cc)

    def pin_spray_enumeration(self):
        g = self.g
        rng = random.Random(f"{g.seed}:atk:pin-enum")
        n = max(40, round(1200 * g.sc))
        lo = rng.randint(g.num10_lo, max(g.num10_lo, g.num10_hi - int(n * 1.2)))
        ids = [str(lo + k) for k in range(n)]
        uas = [app_ua("android", "11", "SM-G973F", "7.9.2", "de_DE"), app_ua("android", "12", "SM-A525F", "7.9.2",
                                                                                "de_DE"),
               app_ua("android", "11", "Pixel 4a", "7.11.0", "de_DE")]
        day = rng.randint(1, max(1, g.D - 4))
        for pin, dday in (("12345", 0), ("11111", 2)):
            t = g.at_local("DE", day + dday, rng.uniform(23.0, 24.5))
            dur = rng.uniform(6, 8) * HOUR
            targets = ids if dday == 0 else [a for a in ids if self.enum_state.get(a) == "wrong_secret"]
            addr, left = None, 0
            for acct in targets:
                t += rng.expovariate(len(targets) / dur)
                if left <= 0:
                    addr = self.proxy_addr(rng, wchoice(rng, BANK_CCS), 0.4)
                    left = rng.randint(1, 4)
                left -= 1
                out = self.atk(t, acct, addr, rng.choice(uas), uuid_from(rng), "pin", pin, "pin_spray_enumeration",
                               f"reverse brute force on the app login API: PIN {pin} against consecutive user IDs "
                               f"(pass {1 if dday == 0 else 2}), residential and mobile proxies, emulator app "
                               f"builds with a forged install id" + ("" if dday == 0 else
                                                                     "; only IDs that pass 1 showed to exist"))
                if dday == 0:
                    self.enum_state[acct] = out

    def pin_spray_low_slow(self):
        g = self.g
        rng = random.Random(f"{g.seed}:atk:pin-slow")
        n = max(20, round(1000 * g.sc * g.tsc))
        app_users = [c for c in self.numeric if c.app]
        others = [c for c in self.numeric if not c.app]
        t_lo = g.T0 + rng.uniform(1, 4) * DAY
        t_hi = min(g.T1, t_lo + 16 * DAY * g.tsc)
        pins = ["12345", "11111", "00000", "54321", "55555", "12321", "13579", "99999"]
        picked = rng.sample(app_users, min(len(app_users), int(n * 0.85)))
        picked += rng.sample(others, min(len(others), int(n * 0.10)))
        accts = [c.acct for c in picked]
        accts += [str(rng.randint(g.num10_lo, g.num10_hi)) for _ in range(n - len(accts))]
        rng.shuffle(accts)
        for acct in accts:
            c = g.by_acct.get(acct)
            cc = c.cc if c else "DE"
            t = g.rand_time(rng, t_lo, t_hi, cc, "app")
            self.atk(t, acct, self.proxy_addr(rng, cc, 0.75), self.fresh_app_ua(rng, t), uuid_from(rng), "pin",
                     rng.choice(pins), "pin_spray_low_slow",
                     "patient PIN spraying: one popular PIN per account from a leaked customer-ID list, one request "
                     "per 4G/residential proxy exit in the customer's country, genuine current app user agents, "
                     "following the daily rhythm")

    def password_spray_web(self):
        g = self.g
        rng = random.Random(f"{g.seed}:atk:pw-spray")
        per = max(30, round(900 * g.sc))
        groups = [("Sommer2025", "Passwort1"), ("Hallo123", "123456789"), ("Azerty123", "Qwerty123")]
        infra = []
        for _ in range(25):
            net = NET[rng.choice(["vpn_m247_de", "vpn_m247_nl", "vpn_datacamp_de", "tor_de", "vpn_m247_fr"])]
            infra.append(net.a(net.pool_v4(rng)))
        ua = "Mozilla/5.0 (X11; Linux x86_64; rv:115.0) Gecko/20100101 Firefox/115.0"
        t = g.T0 + rng.uniform(0.2, 0.75) * (g.T1 - g.T0)
        lo = rng.randint(g.num10_lo, max(g.num10_lo, g.num10_hi - 3 * per * 2))
        for gi, pws in enumerate(groups):
            accts = [str(lo + gi * per * 2 + 2 * k + rng.randint(0, 1)) for k in range(per)]
            for pw in pws:
                dur = rng.uniform(3, 5) * HOUR
                for acct in accts:
                    t += rng.expovariate(per / dur)
                    self.atk(t, acct, rng.choice(infra), ua, None, "pw", pw, "password_spray_web",
                             f"password spraying on the web login: '{pw}'-class password against a block of user "
                             f"IDs, two passwords per account to stay under the lockout, VPN and Tor exits")
                t += rng.uniform(4, 10) * HOUR

    def brute_force(self):
        g = self.g
        rng = random.Random(f"{g.seed}:atk:brute")
        web = [c for c in g.custs if c.web and not c.mule]
        app = [c for c in g.custs if c.app and not c.mule]
        plans = [("web", 150, 20 * 60, "dc_contabo", "dictionary attack on one online-banking login from a VPS"),
                 ("pin", 300, 3600, "dc_hetzner", "sequential PIN brute force on one user ID through the app API"),
                 ("web", 60, 2 * DAY, "tor_de", "slow guessing of one account over Tor"),
                 ("web", 12, 3 * HOUR, "resi", "an acquaintance guessing a password from a home connection"),
                 ("web", 40, 2 * HOUR, "vpn_m247_nl", "targeted guessing on a business account via VPN")]
        if g.sc < 1:
            plans = plans[:max(1, round(len(plans) * g.sc))]
        for k in range(max(1, round(g.sc))):
            for kind, n, dur, where, note in plans:
                if kind == "pin":
                    c = rng.choice(app)
                elif "business" in note:
                    biz = [c for c in g.custs if c.biz is not None]
                    c = rng.choice(biz) if biz else rng.choice(web)
                else:
                    c = rng.choice(web)
                t = g.T0 + rng.uniform(0.05, 0.95) * (g.T1 - g.T0 - dur)
                if where == "resi":
                    addr0 = resi_addr(rng, c.cc)
                else:
                    net = NET[where]
                    addr0 = net.a(net.pool_v4(rng))
                ua = rng.choice(STALE_UAS) if kind == "web" else app_ua("android", "13", "SM-A536B", "7.13.1", c.loc)
                start = rng.randrange(2000)
                for j in range(n):
                    t += rng.uniform(0.3, 1.7) * dur / n
                    addr = addr0
                    if where == "tor_de" and rng.random() < 0.3:
                        addr = NET["tor_de"].a(NET["tor_de"].pool_v4(rng))
                    if kind == "pin":
                        s = f"{(start + j) % 100000:05d}"
                    else:
                        s = rng.choice(POPULAR_PW["*"] + POPULAR_PW.get(c.cc, [])) if j < 8 else \
                            f"dict:{c.i}:{j}"
                    self.atk(t, c.acct, addr, ua, None if kind == "web" else uuid_from(rng), kind, s,
                             "brute_force_single_account", note)

    def family_guessing(self):
        g = self.g
        rng = random.Random(f"{g.seed}:atk:family")
        for victim, actor in g.attack_plans["family"]:
            d = rng.randint(1, max(1, g.D - 7))
            hh = victim.hh
            if hh.tablet is not None:
                dev, prof = hh.tablet
                how = "the family tablet both partners use"
            else:
                dev, prof = actor.wtok, actor.bprof
                how = "the partner's own browser at home"
            guesses = [f"guessfail:{victim.i}:{k}" for k in range(4)] + [f"guessable:{victim.i}"]
            # two guesses per evening ("2 attempts left"), the next round only after the partner has
            # logged in successfully again, which resets the counter
            gi = 0
            t_next = g.at_local(victim.cc, d, rng.uniform(20, 23))
            for cnt in (2, 2, 1):
                if t_next is None or t_next >= g.T1:
                    break
                t = t_next
                for _ in range(cnt):
                    self.atk(t, victim.acct, hh.line.addr(t, dev or victim.i, rng), BROWSERS[prof](t - 3 * DAY), dev,
                             "pw", guesses[gi], "family_member_guessing",
                             f"household member guessing the partner's password (names, birthdays) on {how}, "
                             f"same home connection, a few tries every other evening")
                    gi += 1
                    t += rng.uniform(20, 90)
                later = [s for s in victim.sess_pw if s > t + HOUR]
                t_next = None
                if later:
                    day = int((later[0] + utc_off(victim.cc, later[0]) - g.T0) // DAY)
                    t_next = max(later[0] + rng.uniform(1, 3) * HOUR, g.at_local(victim.cc, day, rng.uniform(20, 23)))

    def phishing(self):
        g = self.g
        rng = random.Random(f"{g.seed}:atk:phish")
        kit_uas = ["Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
                   "Chrome/125.0.0.0 Safari/537.36",
                   "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/126.0.0.0 "
                   "Safari/537.36"]
        fraud_tok = web_token(rng)
        fraud_net = NET["de_o2_mob"]
        self.tpp_abuse_cands = []
        for wave in g.attack_plans["phish"]:
            backend = []
            for _ in range(2):
                net = NET[rng.choice(["dc_stark", "dc_do_ams", "dc_ovh", "dc_hetzner_fi"])]
                backend.append(net.a(net.v4(rng.getrandbits(32))))
            forward_ua = rng.random() < 0.5
            kit_ua = rng.choice(kit_uas)
            lure = {"DE": "SMS 'Ihr Konto wurde eingeschraenkt'", "NL": "SMS 'uw bankpas verloopt'",
                    "PL": "SMS 'doplata do przesylki'", "FR": "SMS 'votre carte sera suspendue'"}[wave["ccs"][0]]
            for sub in wave["subs"]:
                t = sub["t"] + rng.uniform(2, 15)
                v = sub["v"]
                addr = rng.choice(backend)
                victim_ua = BROWSERS[rng.choice(["ios_safari", "android_chrome", "android_samsung"])](t)
                ua = victim_ua if forward_ua else kit_ua
                base = (f"smishing wave {wave['w'] + 1} ({lure}): fake bank page relays the submitted credentials "
                        f"in real time from the kit's server")
                if sub["kind"] in ("noncustomer", "junk"):
                    if sub["kind"] == "noncustomer":
                        acct = str(rng.randint(g.num10_lo, g.num10_hi + 3000))
                        if acct in g.by_acct:
                            acct = str(g.num10_hi + rng.randint(5000, 90000))
                        sec, note = f"ph:{rng.getrandbits(40)}", "recipient who is not a customer entered something"
                    else:
                        acct = rng.choice(["test", "fuckyou", "scammer", "12345678", "nice try", "polizei"])
                        sec, note = rng.choice(["fuckoff", "123", "test", "nope"]), "annoyed recipient typed junk"
                    self.atk(t, acct, addr, ua, None, "pw", sec, "phishing_relay", base + "; " + note)
                    continue
                cur = v.secret_at("pw", t)
                if sub["kind"] == "victim_typo":
                    self.atk(t, v.acct, addr, ua, None, "pw", f"{cur}#ph{rng.getrandbits(30)}", "phishing_relay",
                             base + "; victim mistyped, the kit asks again")
                    t += rng.uniform(20, 90)
                    if rng.random() < 0.4:
                        continue
                out = self.atk(t, v.acct, addr, ua, None, "pw", cur, "phishing_relay",
                               base + "; victim's real credentials (the kit also phishes the SCA code)")
                if out != "success":
                    continue
                r = rng.random()
                if r < 0.1:
                    self.tpp_abuse_cands.append((v, t))
                    continue
                if r < 0.3:
                    continue
                tf = t + rng.uniform(10 * 60, 10 * HOUR)
                own = rng.random() < 0.4
                tok = fraud_tok if own else web_token(rng)
                mode = rng.random()
                for k in range(rng.randint(1, 2)):
                    if mode < 0.5:
                        a = self.proxy_addr(rng, v.cc, 0.2)
                        how = f"residential proxy in {v.cc}"
                    elif mode < 0.8:
                        net = NET[HOME[v.cc]["vpn"]]
                        a = net.a(net.pool_v4(rng))
                        how = "commercial VPN exit"
                    else:
                        a = fraud_net.a(fraud_net.pool_v4(rng))
                        how = "fraudster's own phone on mobile data"
                    self.atk(tf, v.acct, a, BROWSERS["win_chrome"](tf), tok if rng.random() < 0.9 else None, "pw",
                             cur, "phishing_fraudster_device",
                             f"fraudster logs in with the phished password from his own browser ({how}) to set up "
                             f"payments" + ("; same browser used for several victims" if own else ""))
                    tf += rng.uniform(0.5, 20) * HOUR
        # the remaining phished credentials are used through a PSD2 payment-initiation service
        tpp_net = NET[PIS["net"]]
        for v, t in self.tpp_abuse_cands:
            tt = t + rng.uniform(1, 36) * HOUR
            for k in range(rng.randint(1, 2)):
                self.atk(tt, v.acct, tpp_net.a(tpp_net.v4(h64("pis", rng.randrange(PIS["n_ip"])))), PIS["ua"], None,
                         "pw", v.secret_at("pw", t), "psd2_channel_abuse",
                         "fraudster enters phished online-banking credentials into a payment-initiation service to "
                         "pay for crypto/gift cards; the login comes from the provider's cloud servers")
                tt += rng.uniform(5, 60) * 60

    def trojan_and_remote_access(self):
        g = self.g
        rng = random.Random(f"{g.seed}:atk:trojan")
        andr = [c for c in g.custs if c.app and not c.mule and c.phones and c.phones[-1].os == "android"
                and 30 <= c.age <= 79]
        for c in rng.sample(andr, min(len(andr), max(1, round(6 * g.sc)))):
            t0 = g.T0 + rng.uniform(0.05, 0.9) * (g.T1 - g.T0)
            for ep in range(rng.randint(1, 2)):
                d = int((t0 - g.T0) // DAY) + ep
                night = rng.random() < 0.6
                t = g.at_local(c.cc, d, rng.uniform(1.0, 4.5) if night else rng.uniform(10, 16))
                ph = c.phone_at(t)
                ua = app_ua(ph.os, ph.osver, ph.model, app_version(t, g.T0, ph.lag), c.loc)
                for k in range(rng.randint(1, 3)):
                    if night or rng.random() < 0.3:
                        addr = c.hh.line.addr(t, ph.tok, rng)
                        where = "home Wi-Fi while the phone charges at night" if night else "home Wi-Fi"
                    else:
                        addr = mobile_addr(c.carrier, rng)
                        where = "mobile data"
                    self.atk(t, c.acct, addr, ua, ph.tok, "pin", c.secret_at("pin", t), "banking_trojan_on_device",
                             f"Android banking trojan: overlay captured the PIN, the operator drives the victim's own "
                             f"app through hidden remote access (black screen), {where}")
                    t += rng.uniform(2, 25) * 60
        # tech-support / 'bank security department' scam with AnyDesk/TeamViewer on an elderly customer's PC
        eld = [c for c in g.custs if c.web and c.age >= 62 and not c.mule and c.bpol != "clear"
               and c.bprof.startswith("win")]
        for c in rng.sample(eld, min(len(eld), max(1, round(4 * g.sc)))):
            t = g.rand_time(rng, g.T0 + DAY, g.T1 - DAY, c.cc, "old")
            lh, wd = g.local_hour(c.cc, t)
            dev = c.wtok_at(t)
            ua = BROWSERS[c.bprof](t - c.blag)
            note = ("remote-access scam: caller posing as the bank's security team has the elderly customer install "
                    "AnyDesk and logs in on the customer's own PC")
            if rng.random() < 0.35:
                self.atk(t, c.acct, c.hh.line.addr(t, c.i, rng), ua, dev, "pw", f"{c.secret_at('pw', t)}#stress",
                         "remote_access_scam", note + "; first try mistyped under pressure")
                t += rng.uniform(20, 60)
            for k in range(rng.randint(1, 2)):
                self.atk(t, c.acct, c.hh.line.addr(t, c.i, rng), ua, dev, "pw", c.secret_at("pw", t),
                         "remote_access_scam", note)
                t += rng.uniform(10, 40) * 60

    def infostealer(self):
        g = self.g
        rng = random.Random(f"{g.seed}:atk:stealer")
        cand = [c for c in g.custs if c.web and not c.mule and c.age < 65 and c.biz is None and
                c.bprof in ("win_chrome", "win_edge", "win_firefox", "mac_chrome")]
        for c in rng.sample(cand, min(len(cand), max(1, round(14 * g.sc)))):
            t_theft = g.T0 - rng.uniform(2, 40) * DAY if rng.random() < 0.6 else g.T0 + rng.uniform(0, 0.5) * (
                g.T1 - g.T0)
            t = max(g.T0, t_theft + rng.uniform(1, 12) * DAY)
            if t >= g.T1 - HOUR:
                t = g.T1 - rng.uniform(2, 20) * HOUR
            t = g.rand_time(rng, t, min(g.T1, t + 2 * DAY), c.cc, "web")
            replay = rng.random() < 0.5
            dev = c.wtok_at(t_theft) if replay else None
            ua = BROWSERS[c.bprof](t_theft - c.blag) if replay else BROWSERS["win_chrome"](t)
            same_isp = rng.random() < 0.4
            stale = rng.random() < 0.12
            secret = f"pw:{c.i}:stolen-old" if stale else c.secret_at("pw", t_theft)
            for k in range(1 if stale and rng.random() < 0.5 else rng.randint(1, 3)):
                if same_isp:
                    net = c.hh.line.net
                    addr = net.a(net.v4(rng.getrandbits(40))) if net.kind == "fixed" else net.a(net.pool_v4(rng))
                else:
                    addr = resi_addr(rng, c.cc)
                self.atk(t, c.acct, addr, ua, dev, "pw", secret, "infostealer_residential_proxy",
                         "credentials (and browser cookies) from an infostealer log, used through a residential proxy "
                         f"in {c.cc}" + (" on the victim's own ISP" if same_isp else "") +
                         ("; anti-detect browser replays the stolen device cookie and user agent" if replay else "") +
                         ("; password in the log is outdated" if stale else ""))
                t += rng.uniform(0.2, 30) * HOUR
                if t >= g.T1:
                    break

    def money_mule(self):
        g = self.g
        rng = random.Random(f"{g.seed}:atk:mule")
        mules = [c for c in g.custs if c.mule]
        if not mules:
            return
        herder_tok = uuid_from(rng)
        herder_ua = app_ua("android", "14", "SM-A155F", "7.14.2", "de_DE")
        herder_mob = NET["de_vf_mob"]
        herder_line = Line(NET["de_1und1"], rng)
        herder_pin = f"{rng.randrange(100000):05d}"
        opened = {}
        for c in mules:
            if rng.random() < 0.7:
                c.pin = [(-1e18, herder_pin)]
            t_open = g.T0 + rng.uniform(-10, 0.6 * g.D) * DAY
            opened[c.acct] = t_open
            # the recruited account holder's own first login(s), then the credentials are handed over
            t = g.rand_time(rng, max(g.T0, t_open), max(g.T0, t_open) + 2 * DAY, c.cc, "app")
            ph = c.phones[0]
            for k in range(rng.randint(1, 2)):
                self.atk(t, c.acct, mobile_addr(c.carrier, rng),
                         app_ua(ph.os, ph.osver, ph.model, app_version(t, g.T0, 0), c.loc), ph.tok, "pin",
                         c.secret_at("pin", t), "money_mule",
                         "recruited money mule logs into the freshly opened account before handing it over",
                         takeover=False)
                t += rng.uniform(1, 6) * HOUR
        for d in range(self.g.D):
            if rng.random() < 0.35:
                continue
            for _ in range(rng.randint(1, 4)):
                t = g.at_local("DE", d, rng.uniform(8, 23))
                live = [c for c in mules if opened[c.acct] + DAY < t]
                if not live:
                    continue
                at_home = rng.random() < 0.3
                for c in rng.sample(live, min(len(live), rng.randint(2, 8))):
                    addr = herder_line.addr(t, herder_tok, rng) if at_home else herder_mob.a(herder_mob.pool_v4(rng))
                    self.atk(t, c.acct, addr, herder_ua, herder_tok, "pin", c.secret_at("pin", t), "money_mule",
                             "mule herder checks incoming funds and forwards them; one phone logs into many mule "
                             "accounts within minutes", takeover=False)
                    t += rng.uniform(40, 150)

# ====================================================================== lockout, output, CLI
def support_unlock(g, acct, t):
    """When the hotline (07:00-22:00 local, every day) has unlocked the credential."""
    c = g.by_acct.get(acct)
    cc = c.cc if c else "DE"
    rng = random.Random(f"{g.seed}:support:{acct}:{int(t)}")
    lh, _ = g.local_hour(cc, t)
    wait = 0.0 if 7 <= lh < 21.5 else ((31 - lh) % 24) * HOUR
    return t + wait + rng.uniform(15, 150) * 60


def lockout_pass(g):
    """Replays all attempts in time order against the bank's lockout rule (LOCK_AFTER consecutive wrong
    secrets on one credential, reset by a success).  While locked every attempt is refused (logged as
    wrong_secret, so an attacker's right guess is no takeover); the customer's first own attempt is
    refused, they call the hotline, and their further attempts wait for the unlock."""
    g.ev.sort(key=lambda e: e[0])
    st = {}
    keep = []
    for e in g.ev:
        t, acct, outcome, label, kind, flag = e[0], e[1], e[5], e[9], e[13], e[15]
        if outcome == "unknown_account":
            keep.append(e)
            continue
        key = (acct, kind)
        s = st.get(key)
        if s is None:
            s = st[key] = [0, False, None, False, False, ""]  # fails, locked, unlock_ms, waiting, tpp_paused, cause
        if s[1] and (flag == RESET or (s[2] is not None and t >= s[2])):
            s[:] = [0, False, None, False, False, ""]
        if s[1]:
            if label == "attack":
                if outcome == "success":
                    e[5], e[11] = "wrong_secret", False
                    e[12] += "; refused: the credential was locked"
                keep.append(e)
                continue
            scen = e[10]
            if scen.startswith("psd2"):
                if s[4]:
                    continue
                s[4] = True
                e[5] = "wrong_secret"
                e[12] += "; refused: credential locked, the provider pauses"
                keep.append(e)
                continue
            if s[3]:
                continue                       # customer knows it is locked and waits for the hotline
            e[5] = "wrong_secret"
            e[10] = "locked_out_customer"
            who = "by the customer's own typos" if s[5] == "legit" else "by someone else's wrong attempts"
            e[12] = (f"credential locked {who}: login refused, customer calls the hotline to unlock "
                     f"(was {scen}); " + e[12])
            s[3] = True
            s[2] = int(support_unlock(g, acct, t / 1000.0) * 1000)
            keep.append(e)
            continue
        if outcome == "wrong_secret":
            s[0] += 1
            if s[0] >= LOCK_AFTER:
                s[1], s[2], s[3], s[4], s[5] = True, None, flag == FORGOT, False, label
        elif outcome == "success":
            s[0] = 0
        keep.append(e)
    g.ev = keep


def write_log(g, path):
    dumps = json.dumps
    with open(path, "w", encoding="utf-8") as f:
        buf = []
        for e in g.ev:
            d = {"ts": fmt_ts(e[0]), "account": e[1], "ip": e[2], "user_agent": e[3]}
            if e[4] is not None:
                d["device"] = e[4]
            d["outcome"] = e[5]
            d["secret_fp"] = e[6]
            d["asn"] = e[7]
            d["country"] = e[8]
            d["label"] = e[9]
            d["scenario"] = e[10]
            d["takeover"] = e[11]
            d["ctx"] = e[12]
            buf.append(dumps(d, ensure_ascii=False, separators=(",", ":")))
            if len(buf) >= 20000:
                f.write("\n".join(buf) + "\n")
                buf = []
        if buf:
            f.write("\n".join(buf) + "\n")


def main(argv=None):
    ap = argparse.ArgumentParser(description="Outside-evaluator login log of a European retail bank (JSONL).")
    ap.add_argument("seed", help="random seed (any string; equal seeds give identical logs)")
    ap.add_argument("out", help="output JSONL path")
    ap.add_argument("--users", type=int, default=30000, help="number of customers (default 30000)")
    ap.add_argument("--days", type=int, default=21, help="length of the log in days (default 21)")
    ap.add_argument("--start", default=START_DEFAULT, help=f"first day, UTC (default {START_DEFAULT})")
    a = ap.parse_args(argv)
    if a.users < 200 or a.days < 3:
        ap.error("need --users >= 200 and --days >= 3")
    t_run = _time.time()
    g = Gen(str(a.seed), a.users, a.days, _dt.date.fromisoformat(a.start))
    g.build()
    atk = Attacks(g)
    atk.plan()
    for c in g.custs:
        if not c.mule:
            g.gen_customer(c)
    atk.run()
    lockout_pass(g)
    write_log(g, a.out)
    n = len(g.ev)
    n_att = sum(1 for e in g.ev if e[9] == "attack")
    n_to = sum(1 for e in g.ev if e[11])
    print(f"wrote {n} events ({n - n_att} legit, {n_att} attack, {n_to} takeovers) for {len(g.custs)} customers "
          f"over {a.days} days to {a.out} in {_time.time() - t_run:.1f}s", file=sys.stderr)


if __name__ == "__main__":
    main()
