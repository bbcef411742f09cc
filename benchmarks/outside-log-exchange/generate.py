#!/usr/bin/env python3
"""Outside-evaluator login log for a GLOBAL cryptocurrency exchange ("Kumo", fictional).

Usage: python3 generate.py SEED OUT.jsonl [--users N] [--days D]     (defaults 20000, 14)
Standard library only; the same seed gives the same file. Modules: nets.py (networks, addresses,
user agents), users.py (customers and their logins), attacks.py (attacks), this entry point.

Written without reading the engine, its tests, benchmarks or detector docs: it encodes what the
author believes real traffic at such an exchange looks like. Methods and assumptions, briefly:

Log and fields
- One event per password check, sorted by time, from 2026-03-01T00:00Z for D days. An app whose
  refresh token expired, a web session that timed out, a bot's scheduled login and every retry
  are each a password check; biometric unlocks inside a live session are not logged.
- outcome is computed from each account's password timeline: unknown_account if the login id is
  not a customer, success if the submitted password is the account's password at that instant,
  else wrong_secret. `locked` is never emitted (the exchange throttles silently).
- secret_fp = first 16 hex digits of HMAC-SHA256(key derived from the seed, password): equal
  passwords give equal fingerprints across accounts; a typo gives a different one.
- device = opaque token the client keeps (app install id / first-party cookie); absent for
  privacy browsers, private windows, scripts and most attack tools. Cookie clearers get a new
  token every 1-14 days; a new phone or a reinstall gets a new token.
- takeover = true exactly on attacker events whose outcome is success (all target other
  people's accounts). ctx is free text on how the login came about. No step_up field: the log
  is the password check only (the exchange's 2FA happens after it and is not modelled).

Customers (users.py)
- ~26 countries weighted like a retail-heavy global exchange (TR, VN, IN, BR, NG, US, KR, PH,
  ID, AR, DE, GB, FR, ES, UA, JP, AE, AU, CA, NL, IT, PL, TH, MX, SG, ZA); Japan is ~3 %.
- Activity is heavy tailed: 33 % dormant (almost never log in), 43 % casual (median ~1 login a
  week), 19.5 % regular (~1/day), 4.5 % active traders (median ~5/day, capped at 25). Session
  starts follow each user's own local-time rhythm (evening peak, quiet 02-06 h, traders
  flatter, some night owls; US/CA clocks move on 2026-03-08), times a global volatility curve
  (news spikes, US-open bump, weekends slightly lower; 24/7 market). Active users re-login
  within minutes fairly often (second device, expired session) -> scenario quick_relogin.
- Price-spike day at ~55 % of the window: ~30 % of dormant and ~22 % of casual users log in
  within hours (global, all time zones), with more typos, forgotten passwords and reinstalls.
- Networks: each user has a mobile carrier (CGNAT: public IPv4 drawn from a per-carrier pool
  sized ~0.25 x the carrier's customers here, so many customers share addresses; the address
  is kept for a ~3 h attach; IPv6 /64 per attach on carriers that deploy it), a home broadband
  line (IPv4 lease from 1 day (DTAG, Orange PL, BSNL, TTNet) to static (Free FR); IPv6 /56 per
  home with daily-rotating privacy interface ids), optionally an office (2 fixed egress
  addresses shared by colleagues) or campus NAT. 5 % of mobile sessions via cafe Wi-Fi.
  Share of sessions on mobile data depends on the country (NG/IN/ID ~80 %, EU/US ~40 %).
- ASNs are real (carriers, ISPs, clouds, VPN hosts, Apple/Cloudflare relays); prefixes are ones
  the author believes those ASNs announce; host parts are invented but stable per key.
- Devices: phone (app, or mobile browser for 12 %), desktop browser for ~half, tablets, work
  PCs; app and Chrome versions roll out during the window with per-user update lag; 1.2 % get
  a new phone; 7 % of users share a home (and often the desktop browser) with another customer.
- Commercial VPN: 5-40 % of users by country (AE, UA, NG, TR highest); 35 % of them always on,
  the rest part time; exits mostly abroad (US, NL, GB, SG, DE...) on M247, Datacamp, Leaseweb,
  Mullvad ranges shared by many customers. iOS Safari users with iCloud+ use Private Relay.
- 5 % travel (hotel / airport Wi-Fi, home-routed roaming showing the home carrier, or a local
  eSIM); 4.5 % are expats (nationality's mail domain and names, residence networks, trips
  home or VPN exits at home). Sessions keep the home time zone while abroad (simplification).
- Passwords: 5.5 % use a popular password (Zipf over 18); 17 % reuse theirs on breached sites;
  12 % appear in combo lists with an old password. Typos ~1 % (app) to 5 % (mobile web);
  forgotten passwords (more for dormant users) try old passwords, then 75 % reset by e-mail.
  0.4 % mistype the login id (unknown_account, then success).
- Legit automation: ~140 trading bots on AWS/GCP/Hetzner/OVH/DO/Vultr... logging in every
  1-24 h with script UAs; after the owner resets the password a bot fails (with retries) until
  reconfigured. One portfolio tracker (4 AWS addresses) logs in every 6 h for ~120 users,
  all with different passwords, and after a 5 h outage logs in to all of them within 12 min.
- IPv6 ends up on ~13 % of legit events (only carriers/ISPs listed with a v6 prefix use it).

Attacks (attacks.py) and why this mix
- Volume is dominated by automated credential attacks (as industry reports on exchanges show);
  the losses come from few, targeted takeovers, so those are included with little volume but
  realistic tradecraft. Total attack share ~5-8 % of events. Residential-proxy exits are drawn
  from the same 26 countries' ISP and carrier ranges (CGNAT exits share addresses with customers).
- stuffing_residential (2 runs, ~2,600 and ~1,600 attempts over 4-12 h): combo lists (~80 %
  non-customers), rotating residential-proxy exits (an exit used 1-5 times) in many
  countries, rotating or fixed browser UAs, sometimes a random device token per attempt.
- stuffing_datacenter (~2,200 attempts in 1-3 h from 25-60 cloud / abuse-hosting addresses,
  one UA, ~88 % unknown accounts).
- stuffing_app_mimic (hard): ~900 attempts spread over ~10 days against one country's
  customers, every attempt from a fresh residential or CGNAT address in that country, the
  exact Android app UA and a fresh device token, ~45 % real accounts.
- password_spraying: 3 waves, one popular password each, ~1,700 accounts per wave (60 % real)
  over 10-30 h, from ~250 residential exits plus commercial-VPN exits shared with customers.
- brute_force_vip: 3 active traders, 150-600 guesses each from 2-5 servers; a weak one may fall.
- aitm_phishing (~12 victims): the kit relays the victim's own browser string from a VPS at the
  victim's local daytime; the attacker returns 10 min to days later via residential proxy in
  the victim's country, a commercial VPN or a VPS, carrying the relayed session's token.
- infostealer (~9 victims with a desktop): victim's UA and (70 %) the victim's own device token,
  residential proxy in the victim's country, 40 % on the victim's own ISP; an outdated saved
  password fails.
- sim_swap (~5 victims): new phone with the current app on the victim's own carrier (same
  CGNAT pool), after an SMS reset (the owner then fails and recovers) or with a known password.
- After a takeover: quick repeated logins (post_takeover_relogin), resale of stuffing hits to a
  buyer logging in hours-days later, and sometimes a password change that locks the owner out
  (legit victim_lockout / victim_recovery follow).
Counts scale with --users and --days.
"""
import argparse
import hashlib
import hmac
import json
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import attacks  # noqa: E402
import users  # noqa: E402
from nets import DAY_MS, START_MS  # noqa: E402

FIELDS = ("ts", "account", "ip", "user_agent", "device", "outcome", "secret_fp", "asn", "country",
          "label", "scenario", "takeover", "ctx")


def rfc3339(ms, _days={}):
    d, rem = divmod(ms - START_MS, DAY_MS)
    day = _days.get(d)
    if day is None:
        day = time.strftime("%Y-%m-%d", time.gmtime((START_MS + d * DAY_MS) // 1000))
        _days[d] = day
    s, msr = divmod(rem, 1000)
    h, s = divmod(s, 3600)
    m, s = divmod(s, 60)
    return f"{day}T{h:02d}:{m:02d}:{s:02d}.{msr:03d}Z"


def main(argv=None):
    ap = argparse.ArgumentParser(description="exchange login log generator (outside evaluator)")
    ap.add_argument("seed", type=int)
    ap.add_argument("out")
    ap.add_argument("--users", type=int, default=20000)
    ap.add_argument("--days", type=int, default=14)
    a = ap.parse_args(argv)
    t0 = time.time()
    w = users.build_world(a.seed, a.users, a.days)
    users.plan(w)
    atk = attacks.plan(w, a.seed)
    leg = users.expand(w)
    evs = [e for e in leg + atk if START_MS <= e[0] < w.end]
    evs.sort(key=lambda e: e[0])
    key = hashlib.sha256(f"kumo-login-fp:{a.seed}".encode()).digest()
    fps = {}
    reg = w.registry
    n = tk = 0
    with open(a.out, "w", encoding="utf-8", newline="\n") as f:
        for (t, acc, ip, ua, tok, pw, asn, cc, label, scen, ctx) in evs:
            fp = fps.get(pw)
            if fp is None:
                fp = hmac.new(key, pw.encode(), hashlib.sha256).hexdigest()[:16]
                fps[pw] = fp
            u = reg.get(acc)
            outcome = "unknown_account" if u is None else ("success" if u.pw_at(t) == pw else "wrong_secret")
            takeover = label == "attack" and outcome == "success"
            tk += takeover
            rec = {"ts": rfc3339(t), "account": acc, "ip": ip, "user_agent": ua}
            if tok:
                rec["device"] = tok
            rec.update(outcome=outcome, secret_fp=fp, asn=asn, country=cc, label=label, scenario=scen,
                       takeover=takeover, ctx=ctx)
            f.write(json.dumps(rec, ensure_ascii=False, separators=(",", ":")))
            f.write("\n")
            n += 1
    print(f"wrote {n} events ({len(atk)} attack, {tk} takeovers) for {a.users} users x {a.days} days "
          f"to {a.out} in {time.time() - t0:.1f}s", file=sys.stderr)


if __name__ == "__main__":
    main()
