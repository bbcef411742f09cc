"""Attacks against the exchange's login.

plan(world) returns attack events (same tuple shape as users.expand) and writes attacker
password changes into victims' timelines, so the victims' own later logins fail.
All counts scale with the number of users (20,000 = 1.0) and the number of days (14 = 1.0).
"""
import math
import random

import nets as N
import users as U
from nets import DAY_MS, HOUR_MS, START_MS, h64

MIN = 60_000
SEC = 1000
PROXY_CC = [("US", 15), ("BR", 12), ("IN", 10), ("VN", 8), ("ID", 8), ("TR", 5), ("MX", 5), ("PH", 5),
            ("TH", 4), ("AR", 4), ("NG", 4), ("DE", 3), ("GB", 3), ("FR", 3), ("ES", 3), ("IT", 3),
            ("PL", 3), ("UA", 3), ("ZA", 2), ("KR", 1), ("JP", 1), ("CA", 2), ("AU", 1), ("AE", 1),
            ("SG", 1), ("NL", 2)]
# Browser strings that stuffing configs rotate: a mix of current and stale versions.
STUFF_UAS = [
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/145.0.0.0 Safari/537.36",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/138.0.0.0 Safari/537.36",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:146.0) Gecko/20100101 Firefox/146.0",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1",
    "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/139.0.0.0 Mobile Safari/537.36",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/133.0.0.0 Safari/537.36 Edg/133.0.0.0",
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36",
]
_FAKE_DOMAINS = ["gmail.com", "gmail.com", "gmail.com", "yahoo.com", "hotmail.com", "outlook.com", "mail.ru",
                 "aol.com", "icloud.com", "gmx.de", "yandex.ru", "hotmail.fr", "live.com", "proton.me", "qq.com",
                 "naver.com", "yahoo.co.jp", "rediffmail.com", "uol.com.br", "web.de"]


class Ctx:
    def __init__(self, w, seed):
        self.w, self.out = w, []
        self.s = w.n / 20000.0
        self.d = w.days / 14.0
        self.r = random.Random(f"{seed}:attacks")
        self.stems = " ".join(c[6] for c in N.COUNTRIES.values()).split()
        self.fake_n = 0

    def emit(self, t, acc, ip, ua, tok, pw, asn, cc, scen, ctx):
        if START_MS <= t < self.w.end:
            self.out.append((int(t), acc, ip, ua, tok, pw, asn, cc, "attack", scen, ctx))
            return True
        return False

    def cnt(self, base, days_scale=True):
        x = base * self.s * (self.d if days_scale else 1.0)
        return max(1, int(x + self.r.random()))

    def fake_account(self, cc=None):
        r = self.r
        stems = N.COUNTRIES[cc][6].split() if cc else self.stems
        doms = N.COUNTRIES[cc][5] if cc else _FAKE_DOMAINS
        while True:
            self.fake_n += 1
            a, b = r.choice(stems), r.choice(stems)
            form = r.random()
            local = (f"{a}.{b}{r.randint(1, 99)}" if form < .4 else f"{a}{r.randint(1, 99999)}" if form < .75
                     else f"{a}_{b}")
            acc = f"{local}@{r.choice(doms)}"
            if acc not in self.w.registry:
                return acc

    def when(self, lo=0.02, hi=0.9):
        return START_MS + int(self.r.uniform(lo, hi) * self.w.days * DAY_MS)

    def resi(self, cc=None, key="", same_net=None):
        """A residential-proxy exit (infected home router / proxyware phone)."""
        r = self.r
        cc = cc or r.choices([c for c, _ in PROXY_CC], [x for _, x in PROXY_CC])[0]
        if same_net is not None:
            net = same_net
        elif r.random() < .72:
            net = N.weighted_net(r, N.FIXED[cc])
        else:
            net = N.weighted_net(r, N.MOBILE[cc])
        if net.kind == "M":
            size = self.w.pool.get(id(net), 64)
            ip = net.pool_addr(r.randrange(size), size, r.randrange(4))
        else:
            ip = net.v4_addr("proxy", key, r.getrandbits(40))
        return ip, net.asn, cc, net.name

    def dc(self, key, nets=None):
        r = self.r
        net = r.choice(nets or (N.CLOUD + N.ABUSE_HOST * 3))
        return net.v4_addr("dc", key), net.asn, net.cc, net.name

    def new_token(self, *k):
        return f"{h64('atk', *k):016x}{h64('atk2', *k) & 0xffffffff:08x}"

    def hit(self, acc, pw, t):
        u = self.w.registry.get(acc)
        return u is not None and u.pw_at(t) == pw

    def after_takeover(self, u, t, pw, scen, infra, p_repeat=.4, p_change=.25):
        """Quick repeated logins after a takeover (other tools / a buyer checking the account),
        and sometimes a password change that locks the owner out."""
        r = self.r
        u.attacked = True
        tc, new = None, None
        if r.random() < p_change:
            tc, new = t + int(r.uniform(3, 30) * MIN), f"atk{u.uid}-{int(t)}"
            u.set_pw(tc, new, "attacker")
        if r.random() < p_repeat:
            tt = t
            for i in range(r.choice([1, 1, 2, 3, 4])):
                tt += int(r.expovariate(1 / (20 * MIN))) + 30 * SEC
                ip, asn, cc, ua, tok, what = infra(i)
                use = new if (tc is not None and tt >= tc) else pw
                self.emit(tt, u.login, ip, ua, tok, use, asn, cc, "post_takeover_relogin",
                          f"attacker logs in again after {scen}: {what}"
                          + ("; with the password the attacker set" if use is new else ""))


# ------------------------------------------------------------------------------------------------
def _combo_entry(c, real_share):
    r = c.r
    if r.random() < real_share:
        u = r.choice(c.w.users)
        x = r.random()
        if u.reused and x < .22:
            pw = u.pw[0][1]  # the password reused from another breached site
        elif u.stale_combo and x < .5:
            pw = f"u{u.uid}-old0"
        else:
            pw = f"combo{r.getrandbits(48):x}"
        return u.login, pw
    pw = r.choice(U.POPULAR) if r.random() < .03 else f"combo{r.getrandbits(48):x}"
    return c.fake_account(), pw


def stuffing_residential(c, k):
    r = c.r
    n = c.cnt(2600, False) if k == 0 else c.cnt(1600, False)
    t = c.when()
    dur = r.uniform(4, 12) * HOUR_MS
    name = f"combo run #{k + 1}"
    fixed_ua = r.random() < .3
    ua0 = r.choice(STUFF_UAS)
    tokmode = r.random() < .25
    ip = None
    uses = 0
    for i in range(n):
        t += r.expovariate(n / dur) * (3 if r.random() < .05 else 1)  # occasional pauses
        acc, pw = _combo_entry(c, .2)
        if ip is None or uses <= 0:
            ip, asn, cc, netname = c.resi(key=f"sr{k}")
            uses = r.choice([1, 1, 1, 2, 2, 3, 5])
        uses -= 1
        ua = ua0 if fixed_ua else r.choice(STUFF_UAS)
        tok = c.new_token("sr", k, i) if tokmode else None
        ok = c.emit(t, acc, ip, ua, tok, pw, asn, cc, "stuffing_residential",
                    f"{name}: combo list via rotating residential proxies ({netname})")
        if ok and c.hit(acc, pw, t):
            u = c.w.registry[acc]
            _buyer(c, u, t, pw, "stuffing_residential")


def _buyer(c, u, t, pw, scen):
    """Hits are checked, then sold; the buyer logs in hours to days later from a proxy in the
    victim's country, and quick repeated logins follow."""
    r = c.r
    if r.random() < .55:
        tb = t + int(r.uniform(2, 96) * HOUR_MS)
        ip, asn, cc, netname = c.resi(cc=u.rc, key=f"buyer{u.uid}")
        ua = r.choice(STUFF_UAS[3:5] + [N.ua_desktop("chrome_win", N.chrome_major(0, tb))])
        tok = c.new_token("buyer", u.uid)
        if c.emit(tb, u.login, ip, ua, tok, pw, asn, cc, scen,
                  f"buyer of the cracked account logs in via residential proxy in {u.rc} ({netname})"):
            c.after_takeover(u, tb, pw, scen, lambda i: (ip, asn, cc, ua, tok, "same proxy and browser"),
                             p_repeat=.3)


def stuffing_datacenter(c):
    r = c.r
    n = c.cnt(2200, False)
    t = c.when()
    dur = r.uniform(1, 3) * HOUR_MS
    nets = [r.choice(N.CLOUD + N.ABUSE_HOST * 4) for _ in range(6)]
    pool = [c.dc(("sd", j), nets) for j in range(r.randint(25, 60))]
    ua = r.choice(STUFF_UAS[:3] + ["python-requests/2.31.0"])
    for i in range(n):
        t += r.expovariate(n / dur)
        acc, pw = _combo_entry(c, .12)
        ip, asn, cc, netname = pool[i % len(pool)] if r.random() < .8 else r.choice(pool)
        if c.emit(t, acc, ip, ua, None, pw, asn, cc, "stuffing_datacenter",
                  f"fast combo run from rented servers ({netname})") and c.hit(acc, pw, t):
            _buyer(c, c.w.registry[acc], t, pw, "stuffing_datacenter")


def stuffing_app_mimic(c):
    """Hard case: low and slow over days, a verified list of likely customers of one country,
    each attempt from a fresh residential / mobile address in that country, exact app UA and a
    fresh device token like a new install."""
    r = c.r
    target = r.choice(["TR", "BR", "VN", "IN", "NG"])
    n = c.cnt(900)
    t0 = c.when(0.05, 0.2)
    span = (c.w.end - t0) * .8
    locals_ = [u for u in c.w.users if u.rc == target]
    for i in range(n):
        t = t0 + r.random() * span
        if r.random() < .45 and locals_:
            u = r.choice(locals_)
            pw = u.pw[0][1] if (u.reused and r.random() < .3) else f"combo{r.getrandbits(48):x}"
            acc = u.login
        else:
            acc, pw = c.fake_account(target), f"combo{r.getrandbits(48):x}"
        ip, asn, cc, netname = c.resi(cc=target, key="mimic")
        model = r.choice(N.ANDROID_MODELS["mid"] + N.ANDROID_MODELS["budget"])
        ua = N.ua_app_android(N.app_version(0, t - 2 * DAY_MS), model, r.choice(["13", "14", "15"]))
        if c.emit(t, acc, ip, ua, c.new_token("mimic", i), pw, asn, cc, "stuffing_app_mimic",
                  f"slow stuffing imitating the Android app, residential/mobile exits in {target} ({netname})") \
                and c.hit(acc, pw, t):
            _buyer(c, c.w.registry[acc], t, pw, "stuffing_app_mimic")


def spraying(c):
    """A few popular passwords, one attempt per account per wave, many addresses, low rate."""
    r = c.r
    waves = max(1, int(3 * c.d + .5))
    targets_real = [u.login for u in r.sample(c.w.users, min(len(c.w.users), int(1000 * c.s)))]
    targets = targets_real + [c.fake_account() for _ in range(int(700 * c.s))]
    pool = [c.resi(key="spray") for _ in range(int(250 * max(c.s, .2)))]
    for j in range(30):  # plus commercial VPN exits, shared with legitimate VPN customers
        ex = r.choice(N.VPN_EXITS)[0]
        net, ip = N.vpn_exit(j, ex, j)
        pool.append((ip, net.asn, ex, net.name))
    uas = r.sample(STUFF_UAS, 3)
    t = c.when(0.02, 0.3)
    for wv in range(waves):
        pw = U.POPULAR[wv]  # the attacker's guesses follow popularity, like real spray lists
        order = targets[:]
        r.shuffle(order)
        dur = r.uniform(10, 30) * HOUR_MS
        tt = t
        for acc in order:
            tt += r.expovariate(len(order) / dur)
            ip, asn, cc, netname = r.choice(pool)
            c.emit(tt, acc, ip, r.choice(uas), None, pw, asn, cc, "password_spraying",
                   f"spray wave {wv + 1}: one popular password across many accounts ({netname})")
            if c.hit(acc, pw, tt):
                u = c.w.registry[acc]
                c.after_takeover(u, tt, pw, "password_spraying",
                                 lambda i: (*r.choice(pool)[:3], r.choice(uas), None, "another spray exit"),
                                 p_repeat=.5)
        t = tt + r.uniform(12, 48) * HOUR_MS


def brute_force(c):
    """A few high-value accounts, hundreds of guesses each from a handful of servers."""
    r = c.r
    actives = [u for u in c.w.users if u.cls == "active"]
    weak = [u for u in actives if u.popular]
    k = max(1, int(3 * c.s + .5))
    victims = r.sample(actives, min(k, len(actives)))
    if weak and r.random() < .6:
        victims[0] = r.choice(weak)
    guesses = U.POPULAR[:]
    for vi, u in enumerate(victims):
        t = c.when(0.05, 0.8)
        ips = [c.dc(("bf", vi, j)) for j in range(r.randint(2, 5))]
        ua = r.choice(STUFF_UAS + ["python-requests/2.32.3", "Go-http-client/2.0"])
        n = max(20, int(r.randint(150, 600) * min(1.0, 4 * c.s)))
        cand = guesses + [f"dict{vi}-{j}" for j in range(n)]
        r.shuffle(cand)
        for j in range(n):
            t += r.expovariate(1 / (r.choice([4, 8, 30]) * SEC)) + (r.random() < .01) * r.uniform(1, 8) * HOUR_MS
            ip, asn, cc, netname = ips[(j // 40) % len(ips)]
            pw = cand[j]
            c.emit(t, u.login, ip, ua, None, pw, asn, cc, "brute_force_vip",
                   f"dictionary attack on a high-value account from rented servers ({netname})")
            if c.hit(u.login, pw, t):
                c.after_takeover(u, t, pw, "brute_force_vip", lambda i: (ip, asn, cc, ua, None, "same server"),
                                 p_repeat=.7, p_change=.5)
                break


def _mweb_ua(u, t):
    ph = u.phone_at(t)
    if ph.plat == "ios":
        return N.ua_safari_ios(ph.osv)
    return N.ua_chrome_android(N.chrome_major(ph.lag, t))


def aitm_phishing(c):
    """Evilginx-style reverse proxy: the victim's browser string arrives from the kit's VPS; the
    attacker later comes back with the session's device token from their own infrastructure."""
    r = c.r
    kits = [c.dc(("kit", j), [n for n in N.CLOUD if n.asn in (14061, 20473, 24940, 16276, 51167)])
            for j in range(3)]
    victims = r.sample([u for u in c.w.users if u.cls != "dormant"], c.cnt(12))
    for vi, u in enumerate(victims):
        t = c.when(0.05, 0.92)
        t = t - (t % DAY_MS) + int((r.uniform(8, 22) - N.tz_offset(u.zone, t)) * HOUR_MS) % DAY_MS
        ip, asn, cc, netname = kits[vi % 3] if r.random() < .8 else r.choice(kits)
        on_phone = r.random() < .7 or u.desktop is None
        ua = _mweb_ua(u, t) if on_phone else u.desktop.ua(t)
        tok = c.new_token("aitm", vi)
        pw = u.pw_at(t)
        if r.random() < .2:
            c.emit(t, u.login, ip, ua, None, U._typo(pw, 7), asn, cc, "aitm_phishing",
                   f"victim mistypes on the phishing page; relayed by the kit ({netname})")
            t += int(r.uniform(5, 20) * SEC)
        if not c.emit(t, u.login, ip, ua, None, pw, asn, cc, "aitm_phishing",
                      f"victim's credentials relayed by an AiTM phishing kit on {netname}; victim's own browser string"):
            continue
        u.attacked = True
        # the attacker returns from own infrastructure
        tr = t + int(r.expovariate(1 / (8 * HOUR_MS))) + 10 * MIN
        x = r.random()
        if x < .45:
            ip2, asn2, cc2, nn2 = c.resi(cc=u.rc, key=f"aitm{vi}")
            how = f"residential proxy in {u.rc} ({nn2})"
        elif x < .8:
            ex = r.choice(["US", "NL", "DE", "GB", "SG"])
            net2, ip2 = N.vpn_exit(r.randrange(4), ex, r.randrange(12))
            asn2, cc2, how = net2.asn, ex, f"commercial VPN in {ex}"
        else:
            ip2, asn2, cc2, nn2 = c.dc(("aitm-back", vi))
            how = f"VPS ({nn2})"
        ua2 = ua if r.random() < .5 else r.choice(STUFF_UAS[3:5])
        if c.emit(tr, u.login, ip2, ua2, tok, pw, asn2, cc2, "aitm_phishing",
                  f"attacker returns with the phished password and the relayed session's device token via {how}"):
            c.after_takeover(u, tr, pw, "aitm_phishing", lambda i: (ip2, asn2, cc2, ua2, tok, how),
                             p_repeat=.6, p_change=.3)


def infostealer(c):
    """Saved passwords and cookies from an infected PC, used through a residential proxy in the
    victim's country, often on the victim's own ISP, with the victim's browser string and token."""
    r = c.r
    pcs = [u for u in c.w.users if u.desktop is not None and u.desktop.policy == "keep" and u.cls != "dormant"]
    victims = r.sample(pcs, min(len(pcs), c.cnt(9)))
    for vi, u in enumerate(victims):
        theft = c.when(0.0, 0.6)
        t = theft + int(r.uniform(.5, 6) * DAY_MS)
        pw = u.pw_at(theft)
        same_isp = r.random() < .4
        ip, asn, cc, netname = c.resi(cc=u.rc, key=f"stealer{vi}", same_net=u.home.net if same_isp else None)
        ua = u.desktop.ua(theft)
        tok = u.desktop.token(theft) if r.random() < .7 else None
        what = "stolen device cookie" if tok else "no cookie, saved password only"
        if c.emit(t, u.login, ip, ua, tok, pw, asn, cc, "infostealer",
                  f"infostealer log: saved password, victim's browser string, {what}; residential proxy "
                  f"in {u.rc} ({netname})"):
            if c.hit(u.login, pw, t):
                u.attacked = True
                c.after_takeover(u, t, pw, "infostealer", lambda i: (ip, asn, cc, ua, tok, "same proxy session"),
                                 p_repeat=.5, p_change=.2)
            else:
                c.emit(t + int(r.uniform(10, 60) * SEC), u.login, ip, ua, tok, pw + "!", asn, cc, "infostealer",
                       "saved password outdated; attacker tries a variant")


def sim_swap(c):
    """The victim's number is ported to the attacker's SIM: a fresh app install on the victim's
    own carrier (CGNAT pool shared with the victim), after an SMS reset or with a known password."""
    r = c.r
    victims = r.sample([u for u in c.w.users if u.cls in ("regular", "active")], c.cnt(5))
    for vi, u in enumerate(victims):
        t = c.when(0.05, 0.85)
        reset = r.random() < .55
        if reset:
            pw = f"sim{u.uid}"
            u.set_pw(t - int(r.uniform(1, 6) * MIN), pw, "attacker")
        else:
            pw = u.pw_at(t)
        net = u.carrier
        size = c.w.pool.get(id(net), 64)
        v6 = net.v6 is not None and r.random() < net.v6share
        ip = (net.v6_addr(("sim", vi), ("sim", vi), site_bits=64) if v6
              else net.pool_addr(r.randrange(size), size, u.region))
        model = r.choice(N.ANDROID_MODELS["premium"] + N.ANDROID_MODELS["mid"])
        ua = N.ua_app_android(N.APP_RELEASES[-1][0] if t >= N.APP_RELEASES[-1][1] else N.app_version(0, t),
                              model, "15")
        tok = c.new_token("sim", vi)
        how = "after an SMS password reset" if reset else "with the password from an earlier leak"
        if c.emit(t, u.login, ip, ua, tok, pw, net.asn, net.cc, "sim_swap",
                  f"SIM swap: new phone on the victim's carrier ({net.name}) {how}"):
            u.attacked = True

            def infra(i):
                ipx = (net.v6_addr(("sim", vi, i), ("sim", vi, i), site_bits=64) if v6
                       else net.pool_addr(r.randrange(size), size, u.region))
                return ipx, net.asn, net.cc, ua, tok, "same phone, new CGNAT address"
            c.after_takeover(u, t, pw, "sim_swap", infra, p_repeat=.7, p_change=0)


def plan(w, seed):
    c = Ctx(w, seed)
    spraying(c)
    stuffing_residential(c, 0)
    stuffing_residential(c, 1)
    stuffing_datacenter(c)
    stuffing_app_mimic(c)
    brute_force(c)
    aitm_phishing(c)
    infostealer(c)
    sim_swap(c)
    return c.out
