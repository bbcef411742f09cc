"""Customers of the exchange and their legitimate logins.

build_world() creates users (accounts, devices, homes, carriers, habits), plan() decides when
each user starts a session (and which sessions end in a forgotten password and reset), and
expand() turns sessions into password-check events after the attack planner has run, so a
victim whose password was changed by an attacker fails and recovers. Events are tuples
(t_ms, account, ip, ua, device, submitted_password, asn, cc, label, scenario, ctx); the entry
point turns the submitted password into an outcome and a fingerprint.
"""
import bisect
import math
import random

import nets as N
from nets import DAY_MS, HOUR_MS, START_MS, h64

MIN_MS = 60_000
CALLING = {"TR": "90", "VN": "84", "IN": "91", "BR": "55", "NG": "234", "US": "1", "KR": "82", "PH": "63",
           "ID": "62", "AR": "54", "DE": "49", "GB": "44", "FR": "33", "ES": "34", "UA": "380", "JP": "81",
           "AE": "971", "AU": "61", "CA": "1", "NL": "31", "IT": "39", "PL": "48", "TH": "66", "MX": "52",
           "SG": "65", "ZA": "27"}
# Passwords many real customers pick despite composition rules (Zipf-weighted).
POPULAR = ["Password1!", "Qwerty123!", "Aa123456!", "P@ssw0rd", "Abc12345!", "Bitcoin2021!",
           "Crypto123!", "Welcome1!", "Iloveyou1!", "Qwerty1234!", "Passw0rd!", "Zaq12wsx!",
           "1q2w3e4r!Q", "Moon2024!", "Summer2025!", "Aa112233!", "Asdf1234!", "Hodl4ever!"]
POPULAR_W = [1.0 / (i + 1) ** 0.9 for i in range(len(POPULAR))]
EXPAT_PAIRS = [("IN", "AE", 5), ("PH", "AE", 3), ("PH", "SG", 2), ("TR", "DE", 3), ("VN", "JP", 2),
               ("VN", "KR", 2), ("NG", "GB", 2), ("IN", "US", 2), ("UA", "PL", 3), ("UA", "DE", 2),
               ("AR", "ES", 2), ("BR", "US", 1), ("ID", "SG", 1), ("FR", "GB", 1), ("KR", "US", 1),
               ("IN", "SG", 1), ("MX", "US", 1), ("ZA", "AE", 1), ("GB", "AE", 1), ("NL", "ES", 1)]
TRAVEL_DEST = [("TH", 8), ("JP", 7), ("AE", 6), ("SG", 5), ("US", 6), ("GB", 5), ("FR", 5), ("ES", 5),
               ("TR", 5), ("ID", 4), ("KR", 4), ("IT", 4), ("MX", 3), ("DE", 3), ("NL", 2), ("PH", 2),
               ("VN", 3), ("AU", 2), ("BR", 1), ("PL", 1)]
# Local-hour activity (mean 1): evening peak, quiet 02-06; traders flatter; night owls later.
_DIURNAL = [.30, .18, .11, .08, .08, .12, .30, .60, .85, .92, .92, .98, 1.08, 1.02, .96, .96, 1.0, 1.05,
            1.18, 1.34, 1.50, 1.56, 1.30, .78]
PROFILES = {"day": _DIURNAL, "trader": [0.45 + 0.55 * x for x in _DIURNAL],
            "owl": _DIURNAL[-4:] + _DIURNAL[:-4]}
CLASSES = {  # share, median sessions/day, lognormal sigma, volatility exponent
    "dormant": (.33, 0.0035, 0.3, 0.3), "casual": (.43, 0.12, 0.8, 0.6),
    "regular": (.195, 0.8, 0.6, 0.9), "active": (.045, 4.5, 0.7, 1.3)}


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


class Device:
    __slots__ = ("tid", "kind", "plat", "model", "osv", "browser", "policy", "period", "phase", "lag",
                 "since", "owners")

    def __init__(self, tid, kind, plat, model, osv, browser, policy, period, phase, lag, since=0):
        self.tid, self.kind, self.plat, self.model, self.osv = tid, kind, plat, model, osv
        self.browser, self.policy, self.period, self.phase, self.lag = browser, policy, period, phase, lag
        self.since, self.owners = since, 1

    def token(self, t):
        if self.policy == "none":
            return None
        g = (t + self.phase) // self.period if self.policy == "clears" else 0
        x = h64("tok", self.tid, g)
        return f"{x:016x}{h64('tok2', self.tid, g) & 0xffffffff:08x}"

    def ua(self, t):
        if self.kind == "app":
            v = N.app_version(self.lag, max(t, self.since))
            return (N.ua_app_ios(v, self.model, self.osv) if self.plat == "ios"
                    else N.ua_app_android(v, self.model, self.osv))
        if self.kind == "mweb":
            if self.plat == "ios":
                return N.ua_safari_ios(self.osv)
            if self.browser == "samsung":
                return N.ua_samsung_browser(self.model, self.osv)
            return N.ua_chrome_android(N.chrome_major(self.lag, t))
        return N.ua_desktop(self.browser, N.chrome_major(self.lag, t))

    def label(self):
        if self.kind == "app":
            return f"{N.APP} app on {self.model}"
        if self.kind == "mweb":
            return f"mobile browser ({'Safari' if self.plat == 'ios' else self.browser}) on {self.model}"
        return f"desktop {self.browser}"


class Home:
    __slots__ = ("net", "hid", "lease", "phase", "v6")

    def v4(self, t):
        return self.net.v4_addr("hh", self.hid, (t + self.phase) // self.lease)


class User:
    def __init__(self, uid):
        self.uid = uid
        self.pw = [(-1, f"u{uid}-0", "user")]  # (since, password, who)
        self.sessions = []
        self.trips = []
        self.vpn = None
        self.office = self.uni = self.desktop = self.work = self.tablet = None
        self.bot = self.tracker = None
        self.new_phone_at = None
        self.old_phone = None
        self.expat_home = None
        self.shares_desktop = False
        self.attacked = False

    def pw_at(self, t):
        i = bisect.bisect_right(self.pw, (t, "\uffff", "")) - 1
        return self.pw[i][1]

    def believed(self, t):
        i = bisect.bisect_right(self.pw, (t, "\uffff", "")) - 1
        while self.pw[i][2] != "user":
            i -= 1
        return self.pw[i][1]

    def set_pw(self, t, pw, who):
        bisect.insort(self.pw, (t, pw, who))

    def phone_at(self, t):
        if self.new_phone_at is not None and t < self.new_phone_at:
            return self.old_phone
        return self.phone

    def trip_at(self, t):
        for tr in self.trips:
            if tr[0] <= t < tr[1]:
                return tr
        return None


def _mk_phone(rng, tid, cc, ios_share, lag, since=0):
    if rng.random() < ios_share:
        model = N.pick(rng, N.IPHONES)
        osv = rng.choices([v for v, _ in N.IOS_VERSIONS], [w for _, w in N.IOS_VERSIONS])[0]
        return Device(tid, "app", "ios", model, osv, "safari", "keep", 1, 0, lag, since)
    tier = rng.choices(["premium", "mid", "budget"],
                       [.5, .4, .1] if cc in ("KR", "JP", "US", "GB", "DE", "NL", "AU", "CA", "SG", "AE")
                       else [.15, .5, .35] if cc in ("NG", "ZA", "PH", "ID", "IN")
                       else [.25, .6, .15])[0]
    model = N.pick(rng, N.ANDROID_MODELS[tier])
    if cc == "KR" and model.startswith("SM-S9"):
        model = model[:-1] + "N"
    if cc in ("US", "CA") and model.startswith("SM-S9"):
        model = model[:-1] + "U"
    andv = rng.choices([v for v, _ in N.ANDROID_VERSIONS], [w for _, w in N.ANDROID_VERSIONS])[0]
    return Device(tid, "app", "android", model, andv, "chrome", "keep", 1, 0, lag, since)


def _mk_browser(rng, tid, lag, policy_weights=(80, 12, 8), kind=None):
    policy = rng.choices(["keep", "clears", "none"], policy_weights)[0]
    kind = kind or rng.choices([k for k, _ in N.DESKTOP_KINDS], [w for _, w in N.DESKTOP_KINDS])[0]
    if policy == "none" and rng.random() < 0.08:
        kind = "tor"
    period = int(rng.choice([1, 2, 3, 7, 14]) * DAY_MS)
    return Device(tid, "desk", "desk", "", "", kind, policy, period, int(rng.random() * period), lag)


def _login_id(rng, cc, used):
    stems = N.COUNTRIES[cc][6].split()
    domains = N.COUNTRIES[cc][5]
    for _ in range(50):
        if rng.random() < (0.10 if cc in ("VN", "ID", "NG", "TR", "IN", "PH") else 0.03):
            nd = 10 if cc not in ("US", "CA") else 10
            lid = "+" + CALLING[cc] + str(rng.randint(10 ** (nd - 1), 10 ** nd - 1))
        else:
            a, b = rng.choice(stems), rng.choice(stems)
            form = rng.random()
            if form < .3:
                local = f"{a}.{b}"
            elif form < .55:
                local = f"{a}{b}{rng.randint(1, 99)}"
            elif form < .75:
                local = f"{a}_{b}{rng.randint(70, 105) % 100:02d}"
            elif form < .9:
                local = f"{a}{rng.randint(100, 9999)}"
            else:
                local = f"{a[0]}{b}{rng.randint(1, 999)}"
            dom = domains[min(int(rng.expovariate(1.3)), len(domains) - 1)]
            lid = f"{local}@{dom}"
        if lid not in used:
            used.add(lid)
            return lid
    raise RuntimeError("login id space exhausted")


class World:
    pass


def _volatility(rng, days):
    """Global market activity multiplier per UTC hour, with news spikes and one price-spike day."""
    H = days * 24
    v = [1.0] * H
    for h in range(H):
        wd = (h // 24) % 7  # 0 = Sunday (2026-03-01)
        if wd in (0, 6):
            v[h] *= 0.9
        if (h % 24) in (13, 14, 15):  # US open / macro data
            v[h] *= 1.12
    for _ in range(max(1, days // 3)):
        h0, mag, tau = rng.randrange(H), rng.uniform(0.4, 1.6), rng.uniform(2, 8)
        for h in range(h0, min(H, h0 + 40)):
            v[h] *= 1 + mag * math.exp(-(h - h0) / tau)
    spike = int(days * 0.55) * 24 + rng.randint(12, 15)
    spike = min(spike, max(0, H - 6))
    for h in range(spike, min(H, spike + 60)):
        v[h] *= 1 + 3.5 * math.exp(-(h - spike) / 10)
    return v, spike


def build_world(seed, n_users, days):
    rng = random.Random(f"{seed}:world")
    w = World()
    w.seed, w.days, w.n = seed, days, n_users
    w.end = START_MS + days * DAY_MS
    w.vol, spike_h = _volatility(rng, days)
    w.spike_ms = START_MS + spike_h * HOUR_MS
    w.cum = {}
    ccs = list(N.COUNTRIES)
    cw = [N.COUNTRIES[c][0] for c in ccs]
    used, users, registry = set(), [], {}
    companies = {cc: [(N.weighted_net(rng, N.FIXED[cc]), i) for i in range(max(3, n_users // 600))] for cc in ccs}
    tracker_ips = [N.CLOUD[0].v4_addr("tracker", k) for k in range(4)]
    w.tracker = (N.CLOUD[0], tracker_ips)
    hh_seq = 0
    recent = {}
    for uid in range(n_users):
        r = random.Random(f"{seed}:user:{uid}")
        u = User(uid)
        u.rng_seed = f"{seed}:sess:{uid}"
        cc = rng.choices(ccs, cw)[0]
        rc = cc
        if r.random() < 0.045:
            a, b, _ = r.choices(EXPAT_PAIRS, [p[2] for p in EXPAT_PAIRS])[0]
            cc, rc = a, b
            u.expat_home = a
        u.cc, u.rc = cc, rc
        zones = N.COUNTRIES[rc][1]
        u.zone = r.choices([z for z, _ in zones], [x for _, x in zones])[0]
        u.login = _login_id(r, cc, used)
        registry[u.login] = u
        cls = r.choices(list(CLASSES), [c[0] for c in CLASSES.values()])[0]
        u.cls = cls
        _, med, sig, _ = CLASSES[cls]
        u.rate = min(25.0, med * math.exp(r.gauss(0, sig)))
        u.profile = "trader" if cls == "active" and r.random() < .6 else ("owl" if r.random() < .15 else "day")
        _, _, mob, ios, vpnr, _, _ = N.COUNTRIES[rc]
        u.mob_pref = min(.95, max(.05, r.gauss(mob, .15)))
        u.carrier = N.weighted_net(r, N.MOBILE[rc])
        u.region = r.randrange(4)
        u.mob_v6 = r.random() < u.carrier.v6share
        # home broadband, possibly shared with another customer in the household
        mate = None
        cand = recent.get(rc)
        if cand and r.random() < 0.07:
            mate = cand[int(r.random() * len(cand))]
            u.home, u.mate = mate.home, mate
        if mate is None:
            hm = Home()
            hm.net = N.weighted_net(r, N.FIXED[rc])
            hh_seq += 1
            hm.hid = hh_seq
            lease_days = max(0.5, hm.net.lease * math.exp(r.gauss(0, .5))) if hm.net.lease else 365
            hm.lease = int(lease_days * DAY_MS)
            hm.phase = int(r.random() * hm.lease)
            hm.v6 = r.random() < hm.net.v6share
            u.home, u.mate = hm, None
        lag = int(r.expovariate(1 / (3 * DAY_MS)))
        u.phone = _mk_phone(r, f"{uid}:p", rc, ios, lag)
        u.mweb = r.random() < .12  # prefers the mobile browser to the app
        if u.mweb:
            p = u.phone
            u.phone = Device(p.tid, "mweb", p.plat, p.model, p.osv,
                             "samsung" if p.model.startswith("SM-") and r.random() < .4 else "chrome",
                             r.choices(["keep", "clears", "none"], [78, 12, 10])[0], int(r.choice([1, 3, 7]) * DAY_MS),
                             int(r.random() * DAY_MS), lag)
        u.icloud_relay = u.phone.plat == "ios" and u.phone.kind == "mweb" and r.random() < .3
        if r.random() < (.55 if cls != "dormant" else .35):
            if mate is not None and mate.desktop is not None and r.random() < .6:
                u.desktop = mate.desktop
                u.desktop.owners += 1
                u.shares_desktop = mate.shares_desktop = True
            else:
                u.desktop = _mk_browser(r, f"{uid}:d", lag)
        if r.random() < .08:
            u.tablet = Device(f"{uid}:t", "app", "ios", "iPad14,3", "26.2.1", "safari", "keep", 1, 0, lag)
        if r.random() < .16 and cls != "dormant":
            u.office = r.choice(companies[rc])
            if r.random() < .5:
                u.work = _mk_browser(r, f"{uid}:w", lag, (90, 6, 4), r.choice(["edge_win", "chrome_win"]))
        elif rc in N.UNI and r.random() < .05:
            u.uni = N.UNI[rc]
        # commercial VPN: higher share among crypto users, very high in AE / UA / NG / TR
        if r.random() < vpnr * 1.1:
            mode = "always" if r.random() < .35 else "sometimes"
            exit_cc = rc if r.random() < .3 else r.choices([c for c, _ in N.VPN_EXITS], [x for _, x in N.VPN_EXITS])[0]
            if u.expat_home and r.random() < .5:
                exit_cc = u.expat_home
            u.vpn = {"mode": mode, "share": .95 if mode == "always" else r.uniform(.1, .5),
                     "host": r.randrange(len(N.VPN_HOSTS)), "exit": exit_cc,
                     "alt": r.choices([c for c, _ in N.VPN_EXITS], [x for _, x in N.VPN_EXITS])[0]}
        u.popular = r.random() < .055
        if u.popular:
            u.pw[0] = (-1, r.choices(POPULAR, POPULAR_W)[0], "user")
        u.reused = r.random() < .17   # the password also sits in public combo lists
        u.stale_combo = r.random() < .12  # a combo list has an older password of this address
        u.pwmgr = r.random() < .35
        # trips and expats' visits home
        if r.random() < .05 or (u.expat_home and r.random() < .45):
            dest = u.expat_home if u.expat_home else r.choices([c for c, _ in TRAVEL_DEST], [x for _, x in TRAVEL_DEST])[0]
            if dest == rc:
                dest = "TH" if rc != "TH" else "JP"
            t0 = START_MS + int(r.random() * days * DAY_MS)
            t1 = min(w.end, t0 + int(r.uniform(2, 10) * DAY_MS))
            u.trips.append((t0, t1, dest, r.choices(["roam", "local"], [.6, .4])[0], r.randrange(60)))
        if r.random() < .012 and cls != "dormant":
            u.new_phone_at = START_MS + int(r.random() * days * DAY_MS)
            u.old_phone = u.phone
            u.phone = _mk_phone(r, f"{uid}:p2", rc, .5 if u.old_phone.plat == "ios" else ios * .5, 0,
                                u.new_phone_at)
        if cls in ("active", "regular") and r.random() < (.10 if cls == "active" else .012):
            net = r.choice([n for n in N.CLOUD])
            u.bot = {"net": net, "every": r.choice([1, 2, 4, 6, 8, 12, 24]) * HOUR_MS,
                     "phase": int(r.random() * HOUR_MS * 24), "ua": r.choice(N.BOT_UAS),
                     "tok": r.random() < .3, "redeploy": START_MS + int(r.random() * days * DAY_MS * 3),
                     "fix": int(r.uniform(1, 36) * HOUR_MS), "retries": r.choice([0, 1, 3])}
        elif cls != "dormant" and r.random() < .009:
            u.tracker = {"phase": int(r.random() * 6 * HOUR_MS), "relink": int(r.uniform(12, 120) * HOUR_MS)
                         if r.random() < .7 else None}
        users.append(u)
        lst = recent.setdefault(rc, [])
        lst.append(u)
        if len(lst) > 30:
            lst.pop(0)
    # CGNAT pools sized so many customers share a public address, as at a large exchange.
    per = {}
    for u in users:
        per[id(u.carrier)] = per.get(id(u.carrier), 0) + 1
    w.pool = {k: max(16, int(v * 0.25)) for k, v in per.items()}
    w.users, w.registry = users, registry
    w.companies, w.spike_h = companies, spike_h
    return w


def _cum(w, zone, profile, cls):
    key = (zone, profile, cls)
    c = w.cum.get(key)
    if c is None:
        dia, ex = PROFILES[profile], CLASSES[cls][3]
        acc, c = 0.0, []
        for h, vol in enumerate(w.vol):
            t = START_MS + h * HOUR_MS
            lh = int(h + N.tz_offset(zone, t)) % 24
            acc += dia[lh] * vol ** ex
            c.append(acc)
        w.cum[key] = c
    return c


class Sess:
    __slots__ = ("t", "forgot", "reset_at", "spike", "follow", "fails")

    def __init__(self, t, spike=False, follow=False):
        self.t, self.spike, self.follow = t, spike, follow
        self.forgot, self.reset_at, self.fails = False, None, 0


def plan(w):
    """Session start times per user; forgotten passwords and their resets go into the timeline."""
    H = len(w.vol)
    for u in w.users:
        r = random.Random(u.rng_seed)
        c = _cum(w, u.zone, u.profile, u.cls)
        lam = u.rate / 24.0 * c[-1]
        times = []
        for _ in range(poisson(r, lam)):
            h = bisect.bisect_left(c, r.random() * c[-1])
            times.append(START_MS + min(h, H - 1) * HOUR_MS + int(r.random() * HOUR_MS))
        ss = [Sess(t) for t in times]
        # the price-spike day: dormant customers come back, casual ones check in
        p_back = {"dormant": .30, "casual": .22, "regular": .05, "active": 0}[u.cls]
        if w.spike_ms < w.end and r.random() < p_back:
            t = w.spike_ms + int(r.expovariate(1 / (6 * HOUR_MS)))
            if t < w.end:
                ss.append(Sess(t, spike=True))
                if r.random() < .35 and t + 2 * HOUR_MS < w.end:
                    ss.append(Sess(t + int(r.uniform(.1, 12) * HOUR_MS), spike=True))
        extra = []
        pf = {"active": .22, "regular": .08}.get(u.cls, .02)
        for s in ss:
            if r.random() < pf:
                t2 = s.t + int(r.uniform(2, 40) * MIN_MS)
                if t2 < w.end:
                    extra.append(Sess(t2, follow=True))
        ss.extend(extra)
        ss.sort(key=lambda s: s.t)
        p_forgot = {"dormant": .05, "casual": .015, "regular": .004, "active": .002}[u.cls]
        if u.pwmgr:
            p_forgot *= .3
        nreset = 0
        last_end = 0
        kept = []
        for s in ss:
            if s.t < last_end:  # inside a previous recovery flow
                continue
            pf2 = .2 if (s.spike and u.cls == "dormant") else p_forgot
            if r.random() < pf2:
                s.forgot = True
                s.fails = r.choices([1, 2, 3, 4, 5], [25, 30, 22, 13, 10])[0]
                if r.random() < .75:
                    s.reset_at = s.t + s.fails * 25_000 + int(r.uniform(2, 25) * MIN_MS)
                    nreset += 1
                    u.set_pw(s.reset_at, f"u{u.uid}-{nreset}", "user")
                    last_end = s.reset_at + 120_000
            kept.append(s)
        u.sessions = kept
        u.nreset = nreset


# --------------------------------------------------------------------------------------------
def _mobile_ip(w, u, net, t, r, roaming_cc=None):
    attach = (t + u.uid * 7919) // (int(3 * HOUR_MS))
    if u.mob_v6 and net.v6 and roaming_cc is None:
        return net.v6_addr(("m", u.uid, attach), (u.uid, attach), site_bits=64), net.asn, net.cc
    size = w.pool.get(id(net), 64)
    idx = h64("cg", u.uid, attach) % size
    region = u.region if r.random() < .85 else r.randrange(4)
    return net.pool_addr(idx, size, region), net.asn, net.cc


def _home_ip(u, dev, t, r):
    hm = u.home
    if hm.v6 and r.random() < .75:
        epoch = (t + hm.phase) // hm.lease if hm.net.lease <= 1 else 0
        day = (t - START_MS) // DAY_MS
        return hm.net.v6_addr(("hh", hm.hid, epoch), (dev.tid, day)), hm.net.asn, hm.net.cc
    return hm.v4(t), hm.net.asn, hm.net.cc


def context(w, u, t, r):
    """Where and on what this session happens: (ip, asn, cc, device, tags, where-text)."""
    tags = []
    offs = N.tz_offset(u.zone, t)
    lt = t + int(offs * HOUR_MS)
    lh = (lt // HOUR_MS) % 24
    wd = ((lt - START_MS) // DAY_MS) % 7
    phone = u.phone_at(t)
    trip = u.trip_at(t)
    if trip:
        t0, t1, dest, mode, hotel = trip
        tags.append("expat" if u.expat_home == dest else "travel")
        dev = phone if (u.desktop is None or r.random() < .8) else u.desktop
        x = r.random()
        if (t - t0 < 5 * HOUR_MS or t1 - t < 5 * HOUR_MS) and x < .4:
            net = N.FIXED[dest][hotel % len(N.FIXED[dest])]
            ip, where = net.v4_addr("airport", dest, hotel % 3, (t // 600_000) % 4), f"airport Wi-Fi in {dest}"
            asn, cc = net.asn, dest
        elif x < .5:
            net = N.FIXED[dest][hotel % len(N.FIXED[dest])]
            ip, asn, cc, where = net.v4_addr("hotel", dest, hotel), net.asn, dest, f"hotel Wi-Fi in {dest} ({net.name})"
        elif mode == "roam" and dest != u.expat_home:
            ip, asn, cc = _mobile_ip(w, u, u.carrier, t, r, roaming_cc=dest)
            where = f"roaming in {dest}, home-routed via {u.carrier.name}"
        else:
            net = N.MOBILE[dest][hotel % len(N.MOBILE[dest])]
            size = max(64, w.pool.get(id(net), 64))
            ip, asn, cc = net.pool_addr(h64("tr", u.uid, t // (3 * HOUR_MS)) % size, size, hotel), net.asn, dest
            where = f"local SIM / eSIM in {dest} ({net.name})"
    else:
        at_work = u.office and 1 <= wd <= 5 and 9 <= lh < 18 and r.random() < .6
        at_uni = u.uni and 1 <= wd <= 5 and 9 <= lh < 17 and r.random() < .45
        if at_work:
            net, cid = u.office
            dev = u.work if (u.work and r.random() < .55) else (u.desktop if u.desktop and r.random() < .1 else phone)
            ip, asn, cc = net.v4_addr("office", cid, int(r.random() * 2)), net.asn, net.cc
            where = f"office network (company {cid}, {net.name})"
        elif at_uni:
            dev = phone if r.random() < .7 else (u.desktop or phone)
            ip, asn, cc = u.uni.v4_addr("uni-nat", int(r.random() * 8)), u.uni.asn, u.uni.cc
            where = f"campus network ({u.uni.name})"
        else:
            mobile = r.random() < (u.mob_pref * (.6 if (lh >= 22 or lh < 7) else 1.0))
            if u.desktop and not mobile and r.random() < .45:
                dev = u.desktop
            elif u.tablet and not mobile and r.random() < .3:
                dev = u.tablet
            else:
                dev = phone
            if mobile and r.random() < .05:
                nets_ = N.FIXED[u.rc]
                cafe = int(r.random() * 40)
                net = nets_[cafe % len(nets_)]
                ip, asn, cc, where = net.v4_addr("cafe", u.rc, cafe), net.asn, net.cc, f"cafe / public Wi-Fi ({net.name})"
            elif mobile:
                ip, asn, cc = _mobile_ip(w, u, u.carrier, t, r)
                where = f"mobile data ({u.carrier.name})"
            else:
                ip, asn, cc = _home_ip(u, dev, t, r)
                where = f"home broadband ({u.home.net.name})"
    if u.vpn and r.random() < u.vpn["share"]:
        ex = u.vpn["exit"] if r.random() < .8 else u.vpn["alt"]
        net, ip = N.vpn_exit(u.vpn["host"], ex, int(r.random() * 12))
        asn, cc = net.asn, ex
        where = f"commercial VPN exit in {ex} ({net.name}); underneath: {where}"
        tags.append("vpn")
    elif dev.kind == "mweb" and u.icloud_relay:
        net, ip = N.relay_exit(cc, int(r.random() * 40))
        asn = net.asn
        where = f"iCloud Private Relay ({net.name}); underneath: {where}"
        tags.append("private_relay")
    return ip, asn, cc, dev, tags, where


def _typo(pw, k):
    return f"{pw}\x00typo{k}"


def _bad_id(login, r, reg):
    for _ in range(20):
        b = _bad_id1(login, r)
        if b != login and b not in reg:
            return b
    return "x" + login


def _bad_id1(login, r):
    if "@" in login:
        local, dom = login.split("@", 1)
        x = r.random()
        if x < .35:
            dom = dom.replace("gmail", "gmial") if "gmail" in dom else dom.replace(".", "", 1)
        elif x < .7:
            local = local + local[-1]
        else:
            dom = N.pick(r, ["gmail.com", "hotmail.com", "yahoo.com", "outlook.com"])
        return f"{local}@{dom}"
    return login[:-1] + str((int(login[-1]) + 1) % 10)


def expand(w):
    """Turn planned sessions into events. Runs after attacks were planned."""
    out = []
    reg = w.registry
    for u in w.users:
        r = random.Random(u.rng_seed + ":x")
        newphone_n = 0
        recovering = None
        for s in u.sessions:
            t = s.t
            ip, asn, cc, dev, tags, where = context(w, u, t, r)
            tok = dev.token(t)
            ua = dev.ua(t)
            scen = None
            if s.spike:
                scen = "price_spike_return"
                if u.cls == "dormant" and dev.kind == "app" and r.random() < .3:
                    tok = f"{h64('reinstall', u.uid, t):016x}{h64('ri2', u.uid):08x}"
                    where += "; app reinstalled after months away"
            if u.new_phone_at is not None and t >= u.new_phone_at and dev is u.phone and newphone_n < 3:
                newphone_n += 1
                scen = "new_phone"
            base = (ip, ua, tok, asn, cc)
            desc = f"{where}; {dev.label()}"

            def emit(tt, acc, pw, sc, note):
                out.append((tt, acc, base[0], base[1], base[2], pw, base[3], base[4], "legit", sc, f"{desc}; {note}"))

            cur, bel = u.pw_at(t), u.believed(t)
            if cur != bel:  # an attacker changed the password: fail, then recover
                k = r.choice([2, 3, 4])
                for i in range(k):
                    emit(t + i * int(r.uniform(6, 30) * 1000), u.login, bel, "victim_lockout",
                         "own password no longer works (changed by attacker)")
                rt = t + k * 30_000 + int(r.uniform(5, 40) * MIN_MS)
                u.nreset += 1
                u.set_pw(rt, f"u{u.uid}-{u.nreset}", "user")
                emit(rt + int(r.uniform(20, 120) * 1000), u.login, u.pw_at(rt), "victim_recovery",
                     "after account recovery via support / e-mail reset")
                continue
            if s.forgot:
                olds = [f"u{u.uid}-old{j}" for j in range(3)] + [bel + "1", _typo(bel, 9)]
                tt = t
                for i in range(s.fails):
                    emit(tt, u.login, r.choice(olds), "forgot_password", "tries passwords from other sites")
                    tt += int(r.uniform(6, 40) * 1000)
                if s.reset_at is not None:
                    emit(s.reset_at + int(r.uniform(20, 100) * 1000), u.login, u.pw_at(s.reset_at), "password_reset",
                         "first login after e-mail password reset")
                continue
            tt = t
            if r.random() < .004:
                emit(tt, _bad_id(u.login, r, reg), bel, "wrong_login_id", "mistyped login id")
                tt += int(r.uniform(5, 30) * 1000)
            p_typo = {"app": .012, "mweb": .05}.get(dev.kind, .02 if u.pwmgr else .05)
            if s.spike and u.cls == "dormant":
                p_typo *= 3
            if r.random() < p_typo:
                emit(tt, u.login, _typo(bel, r.randrange(3)), "typo", "typo, corrected at once")
                tt += int(r.uniform(4, 25) * 1000)
                if r.random() < .15:
                    emit(tt, u.login, _typo(bel, 3 + r.randrange(3)), "typo", "second typo")
                    tt += int(r.uniform(4, 25) * 1000)
            if scen is None:
                if tags:
                    scen = tags[0]
                elif dev.owners > 1 and dev.kind == "desk":
                    scen = "shared_device"
                elif u.popular:
                    scen = "popular_password"
                elif tok is None:
                    scen = "privacy_browser"
                elif dev.policy == "clears":
                    scen = "cookie_clearing"
                elif s.follow:
                    scen = "quick_relogin"
                elif u.cls == "active":
                    scen = "active_trader"
                else:
                    scen = "routine"
            emit(tt, u.login, bel, scen, "login")
        _bots(w, u, out)
    return out


def _bots(w, u, out):
    if u.bot:
        b = u.bot
        r = random.Random(u.rng_seed + ":bot")
        t = START_MS + b["phase"] % b["every"]
        changes = [(since + b["fix"], pw) for since, pw, who in u.pw if who == "user"]
        while t < w.end:
            tt = t + int(r.gauss(0, 40_000))
            if START_MS <= tt < w.end:
                pw = [pw for c, pw in changes if c <= tt][-1]
                dep = 0 if tt < b["redeploy"] else 1
                ip = b["net"].v4_addr("bot", u.uid, dep)
                tok = f"{h64('bottok', u.uid, dep):016x}{u.uid:08x}" if b["tok"] else None
                note = f"user's own trading bot on {b['net'].name}, logs in every {b['every'] // HOUR_MS} h"
                out.append((tt, u.login, ip, b["ua"], tok, pw, b["net"].asn, b["net"].cc, "legit", "trading_bot", note))
                if pw != u.pw_at(tt):
                    for k in range(b["retries"]):
                        tt += 10_000 + int(r.random() * 5000)
                        out.append((tt, u.login, ip, b["ua"], tok, pw, b["net"].asn, b["net"].cc, "legit",
                                    "trading_bot", note + "; retry with stale password"))
            t += b["every"]
    if u.tracker:
        tr = u.tracker
        net, ips = w.tracker
        r = random.Random(u.rng_seed + ":trk")
        outage = START_MS + int((w.days * 0.3) * DAY_MS)
        t = START_MS + tr["phase"]
        n = 0
        while t < w.end:
            tt = t + int(r.uniform(-15, 15) * MIN_MS)
            if outage <= tt < outage + 5 * HOUR_MS:  # tracker outage; catch-up after restart
                tt = outage + 5 * HOUR_MS + int(r.random() * 12 * MIN_MS)
            if START_MS <= tt < w.end:
                known = [pw for since, pw, who in u.pw if who == "user" and
                         (since < 0 or (tr["relink"] is not None and since + tr["relink"] <= tt))][-1]
                out.append((tt, u.login, ips[(u.uid + n) % 4], N.TRACKER_UA, None, known, net.asn, net.cc,
                            "legit", "portfolio_tracker", "third-party portfolio tracker polling with the user's credentials"))
            n += 1
            t += 6 * HOUR_MS
