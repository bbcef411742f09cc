#!/usr/bin/env python3
"""Login log of a Japanese online securities brokerage during the 2025 account-takeover wave.

Usage: python3 generate.py SEED OUT.jsonl [--users N] [--days D]
       (defaults: 20,000 customers, 14 days). Deterministic per SEED; Python 3 standard library only.

Written without reading Mamori's detectors, its simulator or the other two outside generators: it is what
an outside evaluator believes a brokerage's login log looks like. Every assumption is listed here.

Output: Mamori JSONL, one login attempt a line, sorted by time. Engine fields: ts (UTC, ms), account,
ip, user_agent, device (absent when the client keeps no token), outcome (success | wrong_secret |
unknown_account), secret_fp (16 hex digits: a keyed hash of the submitted password, so equal passwords
give equal fingerprints across accounts), asn, country. Ground truth the engine ignores: label
(legit | attack), scenario, takeover (true on an attacker's successful login), and ctx (how this login
came about: home_pc, phone_app, office, vpn, travel, typo, reset, aggregator, ...).

THE SERVICE
- A brokerage with web (PC and phone browser) and a phone app. Login = user-chosen login ID + password.
  The log is the password check; the device-based e-mail code the brokerages added in 2025 (and that
  real-time phishing relays anyway) happens after it and is not in the log.
- The web sets a device cookie (the `device` field); 8 % of web users clear it or use private windows
  (no token, or a new one every time). The app always sends its installation token.
- No lockout is modelled. No customer causes 10 consecutive failures (forgetters stop at 5, aggregators at
  one failure a day); the spray's target list repeats some IDs (drawn with replacement), so a few dormant
  accounts collect 10-16 sprayed failures over the fortnight, which a real service might have locked.
- Window: starts Monday 2025-04-14 00:00 JST (no public holiday in the first 14 days). Market days
  Mon-Fri; TSE hours 09:00-11:30 and 12:30-15:30 JST. Times are drawn in JST, written in UTC.

ADDRESSES (real ASNs; prefixes taken from the public ip-location-db ASN and whois-country tables)
- Home broadband: NTT OCN AS4713, SoftBank BB AS17676, KDDI au Hikari AS2516, So-net AS2527, BIGLOBE
  AS2518, J:COM AS9824, Asahi Net AS4685, IIJ AS2497. A home keeps its IPv4 address for days (PPPoE
  renews with 6 %/day), 35 % of homes are dual-stack IPv6 (IPoE): a fixed /64 under the ISP's block,
  the interface id rotating daily (privacy extensions); a PC on such a home uses IPv6 for 85 % of logins.
- Mobile: docomo AS9605, KDDI/au AS2516, SoftBank AS17676, Rakuten Mobile AS138384 and MVNOs on IIJ
  AS2497. Carrier-grade NAT: each carrier has a pool of public IPv4 addresses (about one per 15
  subscribers of that carrier in the log) and a phone gets a random pool address per session (kept
  within 90 minutes half the time). KDDI, SoftBank and Rakuten phones use IPv6 for 30 % of sessions:
  a random /64 per attach.
- Offices: 60 companies with 1-3 egress addresses on NTT Com AS4713, IIJ AS2497, ARTERIA AS17506;
  20 more send their staff through Zscaler (AS53813, Tokyo nodes), shared by all of them.
- VPN: 2 % of customers use a commercial VPN on the phone for a share of logins (Datacamp AS60068 Tokyo
  exits, M247 AS9009 US exits), a shared exit pool of 40 addresses.
- Travel: 1.2 % of customers are abroad 3-8 days in the window (Hawaii: Hawaiian Telcom AS36149;
  Korea: KT AS4766; Taiwan: Chunghwa AS3462; Thailand: Triple T AS45758; Singapore: Singtel AS9506;
  Hong Kong: HKBN AS9269): hotel Wi-Fi gives a local address; the phone on roaming keeps its Japanese
  carrier address (home-routed roaming), so only Wi-Fi logins look foreign.
- Aggregators (household-finance apps that log in with the customer's stored password): three services,
  6 % of customers linked. "mf" on AWS Tokyo AS16509 (6 NAT addresses), "mt" on AWS Tokyo (3), "zm" on
  Google Cloud Tokyo AS396982 (4). "mf" and "mt" send a headless Chrome UA, "zm" a desktop Linux Firefox
  one; no device token, except "mt", which keeps one cookie per customer. One refresh a night (02:00-06:00
  JST) and 0-2 more in the evening, at a random one of the service's addresses.
  After the customer changes the password the aggregator keeps failing with the old one once a day
  (same fingerprint) until the customer re-enters it 1-9 days later.

CUSTOMERS (share of accounts; a customer is one account)
- daytrader 2 %: every market day, 12-40 logins on the home PC (sessions time out) and 2-8 on the phone app.
- active 12 %: 80 % of market days 1-3 logins (before the open, lunch from phone or office, evening), 30 % of weekend days.
- regular 28 %: 25 % of days, 1-2 logins, mostly evening, phone or PC.
- nisa 33 %: long-term NISA holder, about once a month: 45 % log in once or twice in 14 days.
- elderly 10 %: home PC (Windows, Edge/Chrome; 15 % also have the app and use it for a fifth of their logins),
  35 % of market days, mid-morning; more typos; 3 % forget the password.
- dormant 15 %: no login of their own in the window (but they exist, and their IDs are in leaked lists).
- 1.5 % of customers use one of 30 popular passwords (Zipf); the rest a password of their own.
- Typos: 3 % of logins (8 % elderly) start with 1-2 wrong passwords (unique each), then succeed within a minute.
- Wrong login ID: 0.4 % of logins first try a mistyped ID (unknown_account).
- Forgetting: 1 % (3 % elderly) try 2-5 old passwords (repeats allowed), give up, reset by e-mail and log in
  5-90 minutes later with a new password.
- New phone: 2 % of app users change phones mid-window (new app token; 15 % also change carrier).
- Households: 4 % of customers share the home PC and browser profile with a spouse who also has an
  account (same device token, same address).
- Office: 10 % of active/regular/daytrader customers check from work at lunch or during market hours.
- Devices: Windows Chrome/Edge/Firefox, Mac Safari/Chrome; iPhone 60 %, Android 40 %. Browser versions
  are those of April 2025.

ATTACKS (sizes scale with users/20,000 and days/14)
- phish_relay: real-time phishing (SMS/e-mail lure, fake login page relaying ID, password and one-time
  code). 60 victims, picked among ordinary customers (active, regular, nisa, elderly). The kit logs in
  within seconds from its server: 4 kits on Tencent Cloud (AS132203), Vultr (AS20473), Akamai/Linode
  (AS63949) Tokyo and Alibaba Cloud (AS45102) addresses, and a fifth that sends each victim through a
  Japanese residential proxy. The kit forwards the victim's own phone browser UA (the lure is opened on
  the phone), no device token; 15 % of victims mistype first on the fake page (one wrong_secret).
  Then 1-3 "trading" logins (sell the holdings, buy the pumped stock) 20 minutes to 3 days later,
  during market hours, from the kit's server (30 %), Chinese networks (Chinanet AS4134, China Unicom
  AS4837; 25 %) or Japanese residential/mobile proxies (45 %), with an anti-detect browser: Windows
  Chrome UA, a device cookie shared by the operator's profile across victims (half) or fresh.
  (The residential-proxy kit has no server of its own: its trading sessions come from China or proxies.)
  Researchers and victims feeding the kit junk give 2 unknown_account attempts a day from kit addresses.
- stuffing_burst: SBI-style credential stuffing with a list leaked from another service, 6 hours on
  one night from 60 datacenter addresses (M247 AS9009, Hetzner AS24940, DigitalOcean AS14061,
  Datacamp AS60068): 8,000 attempts, 22 % of the IDs exist here, 3 % of those reuse the same password.
  Random real-browser UAs, no device token. 5 % of list passwords are popular ones. Each hit is used again once,
  4 hours to 3 days later, from a residential proxy with an attacker's browser (new device token).
- stuffing_slow: the same kind of list through residential proxies over the whole window (JP home ISPs
  55 %, JP mobile CGNAT pools 15 %, KR/TW/US/HK/TH homes 30 %), each address used for 1-3 attempts,
  12,000 attempts, 20 % existing, 2.5 % reuse. Each hit is used again 1-2 times 4 hours to 3 days later
  from another residential proxy (pump-and-dump).
- spray_slow: 4 of the most popular passwords against 3,000 login IDs (60 % existing) over the window,
  through residential proxies (85 %) and VPN/hosting (15 %), one attempt per ID and password, spread
  evenly. Hits are used again once from a residential proxy.
"""
import hashlib
import ipaddress
import json
import random
import sys
from datetime import datetime, timedelta, timezone

JST = timezone(timedelta(hours=9))
START = datetime(2025, 4, 14, 0, 0, tzinfo=JST)

# ---------------------------------------------------------------------------------------------- networks
# asn: (name, country, kind, [ipv4 prefixes], [ipv6 prefixes])
NETS = {
    4713: ("NTT OCN", "JP", "isp", ["153.128.0.0/10", "180.0.0.0/10", "114.160.0.0/11", "118.0.0.0/12", "60.32.0.0/12"], ["2400:4050::/32", "2400:4150::/32"]),
    17676: ("SoftBank", "JP", "isp", ["126.64.0.0/11", "60.64.0.0/10", "221.64.0.0/11", "219.176.0.0/12"], ["2400:2000::/20"]),
    2516: ("KDDI", "JP", "isp", ["106.128.0.0/10", "27.80.0.0/12", "111.96.0.0/12", "59.136.0.0/13"], ["240f::/24"]),
    2527: ("So-net", "JP", "isp", ["223.132.0.0/14", "182.168.0.0/14", "118.236.0.0/15"], ["240d::/27"]),
    2518: ("BIGLOBE", "JP", "isp", ["133.200.0.0/13", "125.192.0.0/13", "119.240.0.0/14"], ["2404:7a80::/29"]),
    9824: ("J:COM", "JP", "isp", ["42.144.0.0/13", "27.136.0.0/13", "125.8.0.0/13"], ["2405:1200::/29"]),
    4685: ("Asahi Net", "JP", "isp", ["183.76.0.0/15", "220.146.0.0/16", "157.107.0.0/16"], ["2405:6580::/29"]),
    2497: ("IIJ", "JP", "isp", ["210.149.0.0/16", "210.138.0.0/16", "133.110.0.0/15"], ["2001:240::/32"]),
    9605: ("NTT docomo", "JP", "mobile", ["27.228.0.0/15", "148.67.0.0/16", "49.99.0.0/16", "110.160.0.0/16", "49.111.0.0/16", "1.66.128.0/17"], []),
    138384: ("Rakuten Mobile", "JP", "mobile", ["157.192.0.0/16", "133.106.128.0/17"], ["240b:c000::/24"]),
    17506: ("ARTERIA", "JP", "isp", ["113.32.0.0/13", "122.208.0.0/13"], []),
    53813: ("Zscaler", "JP", "hosting", ["167.103.16.0/22", "175.107.144.0/22"], []),
    60068: ("Datacamp", "JP", "hosting", ["89.187.160.0/21", "152.233.32.0/22"], []),
    9009: ("M247", "US", "hosting", ["146.70.64.0/18"], []),
    24940: ("Hetzner", "DE", "hosting", ["91.98.0.0/15", "78.46.0.0/15"], []),
    14061: ("DigitalOcean", "US", "hosting", ["45.55.0.0/16"], []),
    16509: ("AWS Tokyo", "JP", "hosting", ["13.112.0.0/14", "52.68.0.0/15", "18.176.0.0/15"], []),
    396982: ("Google Cloud Tokyo", "JP", "hosting", ["34.84.0.0/16", "34.146.0.0/16"], []),
    132203: ("Tencent Cloud Tokyo", "JP", "hosting", ["43.133.16.0/21"], []),
    20473: ("Vultr Tokyo", "JP", "hosting", ["45.32.0.0/18", "202.182.96.0/20"], []),
    63949: ("Akamai/Linode Tokyo", "JP", "hosting", ["172.104.64.0/19", "139.162.64.0/19"], []),
    45102: ("Alibaba Cloud", "US", "hosting", ["47.74.0.0/18"], []),
    4134: ("Chinanet", "CN", "isp", ["115.208.0.0/13", "60.176.0.0/13"], []),
    4837: ("China Unicom", "CN", "isp", ["112.240.0.0/12", "27.192.0.0/11"], []),
    36149: ("Hawaiian Telcom", "US", "isp", ["72.234.0.0/16", "141.239.0.0/16"], []),
    4766: ("KT", "KR", "isp", ["175.224.0.0/11", "14.64.0.0/11"], []),
    3462: ("Chunghwa", "TW", "isp", ["61.216.0.0/13", "36.224.0.0/12"], []),
    45758: ("Triple T", "TH", "isp", ["223.204.0.0/14", "171.4.0.0/14"], []),
    9506: ("Singtel", "SG", "isp", ["121.6.0.0/15"], []),
    9269: ("HKBN", "HK", "isp", ["123.202.0.0/15", "119.246.0.0/15"], []),
    7922: ("Comcast", "US", "isp", ["73.0.0.0/8"], []),
}
# KDDI mobile IPv6 (au phones) is 2001:268::/32, SoftBank mobile shares 2400:2000::/20.
MOBILE_V6 = {2516: ["2001:268::/32"], 17676: ["2400:2000::/20"], 138384: ["240b:c000::/24"]}

HOME_ISPS = [(4713, 30), (17676, 18), (2516, 16), (2527, 10), (2518, 8), (9824, 8), (4685, 4), (2497, 6)]
CARRIERS = [(9605, 36), (2516, 27), (17676, 22), (138384, 7), (2497, 8)]  # 2497 = MVNO (IIJmio)
ABROAD = [(36149, "US", 30), (4766, "KR", 20), (3462, "TW", 18), (45758, "TH", 12), (9506, "SG", 10), (9269, "HK", 10)]
FOREIGN_HOMES = [4766, 3462, 7922, 9269, 45758]

UA_WIN_CHROME = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/{v}.0.0.0 Safari/537.36"
UA_WIN_EDGE = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/{v}.0.0.0 Safari/537.36 Edg/{v}.0.0.0"
UA_WIN_FF = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:137.0) Gecko/20100101 Firefox/137.0"
UA_MAC_SAFARI = "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.4 Safari/605.1.15"
UA_MAC_CHROME = "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/{v}.0.0.0 Safari/537.36"
UA_IOS_APP = "Mozilla/5.0 (iPhone; CPU iPhone OS {ios} like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 KabuNaviApp/7.3.{b}"
UA_AND_APP = "Mozilla/5.0 (Linux; Android {a}; {m} Build/{bld}; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/{v}.0.0.0 Mobile Safari/537.36 KabuNaviApp/7.3.{b}"
UA_IOS_SAFARI = "Mozilla/5.0 (iPhone; CPU iPhone OS {ios} like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/{sv} Mobile/15E148 Safari/604.1"
UA_AND_CHROME = "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/{v}.0.0.0 Mobile Safari/537.36"
IOS_VERSIONS = [("18_4", "18.4"), ("18_3_2", "18.3"), ("18_3_1", "18.3"), ("17_7", "17.7"), ("18_1_1", "18.1")]
ANDROID_MODELS = [("14", "SO-51D", "67.2.A.2.84"), ("15", "SC-51E", "AP3A.240905.015.A2"), ("14", "SH-51D", "S1234"),
                  ("13", "A301SH", "S4021"), ("15", "Pixel 8", "BP1A.250305.019"), ("14", "SOG10", "68.1.C.2.117")]
UA_AGG_HEADLESS = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/{v}.0.0.0 Safari/537.36"

# the tools' UA lists for stuffing (OpenBullet-style configs rotate real browser UAs)
TOOL_UAS = [UA_WIN_CHROME.format(v=v) for v in (120, 122, 124, 126, 128, 131, 133, 134, 135)] + \
           [UA_WIN_EDGE.format(v=v) for v in (131, 133, 134)] + [UA_MAC_SAFARI, UA_WIN_FF,
            UA_IOS_SAFARI.format(ios="17_5_1", sv="17.5"), UA_IOS_SAFARI.format(ios="18_3_1", sv="18.3"),
            UA_AND_CHROME.format(v=134), UA_AND_CHROME.format(v=131)]

SYLL = ["ka", "ki", "ku", "ke", "ko", "sa", "shi", "su", "se", "so", "ta", "chi", "tsu", "te", "to", "na", "ni", "nu",
        "ne", "no", "ha", "hi", "fu", "he", "ho", "ma", "mi", "mu", "me", "mo", "ya", "yu", "yo", "ra", "ri", "ru", "re",
        "ro", "wa", "n", "ga", "gi", "go", "za", "ji", "da", "do", "ba", "bi", "bu", "be", "bo", "ryo", "sho", "kyo"]
SURNAMES = ["sato", "suzuki", "takahashi", "tanaka", "watanabe", "ito", "yamamoto", "nakamura", "kobayashi", "kato",
            "yoshida", "yamada", "sasaki", "yamaguchi", "matsumoto", "inoue", "kimura", "hayashi", "shimizu", "saito",
            "yamazaki", "mori", "abe", "ikeda", "hashimoto", "ishikawa", "ogawa", "fujita", "okada", "goto"]


class Gen:
    def __init__(self, seed, users, days):
        self.seed = seed
        self.r = random.Random(seed)
        self.users = users
        self.days = days
        self.scale = users / 20000.0
        self.tscale = days / 14.0
        self.events = []
        self.seq = 0
        self.used_ids = set()
        self.dev_n = 0
        self.pepper = "pepper-%d" % seed
        self.nets4 = {a: [ipaddress.ip_network(p) for p in v[3]] for a, v in NETS.items()}
        self.nets6 = {a: [ipaddress.ip_network(p) for p in v[4]] for a, v in NETS.items()}
        for a, ps in MOBILE_V6.items():
            self.mob6 = getattr(self, "mob6", {})
            self.mob6[a] = [ipaddress.ip_network(p) for p in ps]

    # ------------------------------------------------------------------ primitives
    def fp(self, secret):
        return hashlib.sha256((self.pepper + "|" + secret).encode()).hexdigest()[:16]

    def wpick(self, pairs):
        tot = sum(w for _, w in pairs)
        x = self.r.uniform(0, tot)
        for v, w in pairs:
            x -= w
            if x <= 0:
                return v
        return pairs[-1][0]

    def ip4(self, asn):
        net = self.r.choice(self.nets4[asn])
        n = net.num_addresses
        while True:
            a = net.network_address + self.r.randrange(1, n - 1)
            last = int(a) & 0xFF
            if 1 <= last <= 254:
                return str(a)

    def v6_64(self, nets):
        net = self.r.choice(nets)
        hostbits = 128 - net.prefixlen
        sub = self.r.getrandbits(hostbits - 64) if hostbits > 64 else 0
        return int(net.network_address) | (sub << 64)

    def v6_addr(self, prefix64):
        iid = self.r.getrandbits(64) | (1 << 57)
        return str(ipaddress.IPv6Address(prefix64 | (iid & 0xFFFFFFFFFFFFFFFF)))

    def new_device(self, kind):
        self.dev_n += 1
        return hashlib.sha1(("%d-%d-%s" % (self.seed, self.dev_n, kind)).encode()).hexdigest()[:24]

    def new_id(self, r=None):
        r = r or self.r
        while True:
            k = r.random()
            if k < 0.35:
                s = r.choice(SURNAMES) + str(r.randrange(1940, 2006))
            elif k < 0.6:
                s = "".join(r.choice(SYLL) for _ in range(r.randrange(2, 4))) + "." + r.choice(SURNAMES)
            elif k < 0.8:
                s = "".join(r.choice(SYLL) for _ in range(r.randrange(3, 5))) + str(r.randrange(1, 9999)).zfill(r.choice([2, 4]))
            else:
                s = r.choice(SURNAMES)[0] + "".join(r.choice(SYLL) for _ in range(2)) + "_" + str(r.randrange(100, 999))
            if s not in self.used_ids:
                self.used_ids.add(s)
                return s

    def emit(self, t, account, ip, asn, country, outcome, secret, label, scenario, ctx, ua=None, device=None,
             takeover=False):
        ev = {"ts": t, "account": account, "ip": ip, "outcome": outcome}
        if ua:
            ev["user_agent"] = ua
        if device:
            ev["device"] = device
        if secret is not None:
            ev["secret_fp"] = self.fp(secret)
        ev["asn"] = asn
        ev["country"] = country
        ev["label"] = label
        ev["scenario"] = scenario
        ev["takeover"] = bool(takeover)
        ev["ctx"] = ctx
        self.seq += 1
        self.events.append((t, self.seq, ev))

    # ------------------------------------------------------------------ time helpers (seconds since START)
    def is_market_day(self, d):
        return (START + timedelta(days=d)).weekday() < 5

    def market_time_after(self, t):
        """t if it falls in market hours of a market day, else a random time in the next market session."""
        d = int(t // 86400)
        h = (t % 86400) / 3600
        if self.is_market_day(d) and 9 <= h < 15.4:
            return t
        if h >= 15.4 or not self.is_market_day(d):
            d += 1
        while d < self.days and not self.is_market_day(d):
            d += 1
        if d >= self.days:
            return None
        return d * 86400 + self.r.uniform(9, 15.4) * 3600

    def day_time(self, d, profile):
        """A time of day in JST seconds for a login, by profile."""
        r = self.r
        if profile == "market":
            seg = self.wpick([("pre", 15), ("am", 30), ("lunch", 12), ("pm", 20), ("eve", 23)])
        elif profile == "evening":
            seg = self.wpick([("pre", 5), ("am", 8), ("lunch", 12), ("pm", 8), ("eve", 55), ("late", 12)])
        elif profile == "elderly":
            seg = self.wpick([("pre", 15), ("am", 45), ("lunch", 10), ("pm", 22), ("eve", 8)])
        elif profile == "weekend":
            seg = self.wpick([("am", 25), ("lunch", 15), ("pm", 25), ("eve", 35)])
        else:
            seg = "eve"
        lo, hi = {"pre": (7.5, 9.0), "am": (9.0, 11.5), "lunch": (11.5, 12.5), "pm": (12.5, 15.5),
                  "eve": (18.5, 23.5), "late": (23.5, 25.5)}[seg]
        return d * 86400 + r.uniform(lo, hi) * 3600

    # ------------------------------------------------------------------ customers
    def build_customers(self):
        r = self.r
        kinds = [("daytrader", 2), ("active", 12), ("regular", 28), ("nisa", 33), ("elderly", 10), ("dormant", 15)]
        pops = [("pop%d" % k, 1.0 / (k + 1)) for k in range(30)]
        self.customers = []
        for i in range(self.users):
            c = {"i": i, "id": self.new_id(), "kind": self.wpick(kinds)}
            c["pw"] = self.wpick(pops) if r.random() < 0.015 else "own-%d" % i
            c["pw_v"] = 0
            c["isp"] = self.wpick(HOME_ISPS)
            c["home4"] = self.ip4(c["isp"])
            c["v6"] = r.random() < 0.35 and bool(self.nets6[c["isp"]])
            c["home64"] = self.v6_64(self.nets6[c["isp"]]) if c["v6"] else None
            c["carrier"] = self.wpick(CARRIERS)
            c["ios"] = r.random() < 0.6
            v = self.wpick([(135, 55), (134, 30), (133, 10), (131, 5)])
            pc = self.wpick([("wc", 45), ("we", 20 if c["kind"] != "elderly" else 40), ("wf", 5), ("ms", 18), ("mc", 12)])
            c["pc_ua"] = {"wc": UA_WIN_CHROME.format(v=v), "we": UA_WIN_EDGE.format(v=v), "wf": UA_WIN_FF,
                          "ms": UA_MAC_SAFARI, "mc": UA_MAC_CHROME.format(v=v)}[pc]
            c["pc_dev"] = self.new_device("pc")
            c["nocookie"] = r.random() < 0.08
            c["phone_dev"] = self.new_device("app")
            c["phone_ua"] = self.phone_app_ua(c)
            c["phone_browser_ua"] = self.phone_browser_ua(c)
            c["office"] = None
            c["vpn"] = r.random() < 0.02
            c["agg"] = None
            c["typo"] = 0.08 if c["kind"] == "elderly" else 0.03
            c["uses_phone"] = c["kind"] != "elderly" or r.random() < 0.15
            self.customers.append(c)
        # households: spouse shares PC, browser profile and home line
        n_house = int(0.02 * self.users)
        idx = list(range(self.users))
        r.shuffle(idx)
        for k in range(n_house):
            a, b = self.customers[idx[2 * k]], self.customers[idx[2 * k + 1]]
            for f in ("isp", "home4", "v6", "home64", "pc_ua", "pc_dev", "nocookie"):
                b[f] = a[f]
            b["household"] = a["household"] = True
        # offices
        self.companies = []
        for k in range(60):
            asn = self.wpick([(4713, 50), (2497, 30), (17506, 20)])
            self.companies.append([(self.ip4(asn), asn, "JP") for _ in range(r.randrange(1, 4))])
        zs = [(self.ip4(53813), 53813, "JP") for _ in range(24)]
        for k in range(20):
            self.companies.append(zs)
        for c in self.customers:
            if c["kind"] in ("daytrader", "active", "regular") and r.random() < 0.10:
                c["office"] = r.choice(self.companies)
                c["office_dev"] = self.new_device("pc")
                c["office_ua"] = UA_WIN_EDGE.format(v=134) if r.random() < 0.6 else UA_WIN_CHROME.format(v=134)
        # VPN exits
        self.vpn_exits = [(self.ip4(60068), 60068, "JP") for _ in range(28)] + [(self.ip4(9009), 9009, "US") for _ in range(12)]
        # CGNAT pools
        self.pools = {}
        for asn, _ in CARRIERS:
            subs = sum(1 for c in self.customers if c["carrier"] == asn)
            self.pools[asn] = [self.ip4(asn) for _ in range(max(40, subs // 15))]
        # aggregators
        self.aggs = {
            "mf": {"ips": [(self.ip4(16509), 16509, "JP") for _ in range(6)], "ua": UA_AGG_HEADLESS.format(v=134), "cookie": False, "share": 3.5},
            "mt": {"ips": [(self.ip4(16509), 16509, "JP") for _ in range(3)], "ua": UA_AGG_HEADLESS.format(v=131), "cookie": True, "share": 1.5},
            "zm": {"ips": [(self.ip4(396982), 396982, "JP") for _ in range(4)], "ua": "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0", "cookie": False, "share": 1.0},
        }
        for c in self.customers:
            if c["kind"] != "dormant" and r.random() < 0.06 * (1.3 if c["kind"] in ("nisa", "regular") else 1.0):
                c["agg"] = self.wpick([(k, v["share"]) for k, v in self.aggs.items()])
                c["agg_dev"] = self.new_device("agg") if self.aggs[c["agg"]]["cookie"] else None

    def phone_app_ua(self, c):
        r = self.r
        if c["ios"]:
            return UA_IOS_APP.format(ios=r.choice(IOS_VERSIONS)[0], b=r.randrange(0, 3))
        a, m, bld = r.choice(ANDROID_MODELS)
        return UA_AND_APP.format(a=a, m=m, bld=bld, v=r.choice((134, 135)), b=r.randrange(0, 3))

    def phone_browser_ua(self, c):
        r = self.r
        if c["ios"]:
            ios, sv = r.choice(IOS_VERSIONS)
            return UA_IOS_SAFARI.format(ios=ios, sv=sv)
        return UA_AND_CHROME.format(v=r.choice((134, 135)))

    # ------------------------------------------------------------------ where a customer is
    def home_addr(self, c, d):
        # PPPoE renew: advance a deterministic per-home chain of addresses
        key = "hv4-%d" % c["i"]
        st = self.state.setdefault(key, {"day": 0, "ip": c["home4"]})
        while st["day"] < d:
            st["day"] += 1
            if self.r.random() < 0.06:
                st["ip"] = self.ip4(c["isp"])
        if c["v6"] and self.r.random() < 0.85:
            return (self.v6_iid(c, d), c["isp"], "JP")
        return (st["ip"], c["isp"], "JP")

    def v6_iid(self, c, d):
        key = "v6-%d-%d" % (c["i"], d)
        if key not in self.state:
            self.state[key] = self.v6_addr(c["home64"])
        return self.state[key]

    def mobile_addr(self, c, t):
        r = self.r
        asn = c["carrier"]
        st = self.state.get("mob-%d" % c["i"])
        if st and t - st[0] < 5400 and r.random() < 0.5:
            return st[1]
        if asn in getattr(self, "mob6", {}) and r.random() < 0.30:
            a = (self.v6_addr(self.v6_64(self.mob6[asn])), asn, "JP")
        else:
            a = (r.choice(self.pools[asn]), asn, "JP")
        self.state["mob-%d" % c["i"]] = (t, a)
        return a

    # ------------------------------------------------------------------ one login by the customer
    def login(self, c, t, via, scenario):
        """via: pc | phone | office | vpn | travel_wifi; emits typos / wrong IDs first, then the success."""
        r = self.r
        d = int(t // 86400)
        trav = self.travel.get(c["i"])
        abroad = trav and trav[0] <= t < trav[1]
        ctx = via
        if abroad:
            if via in ("pc", "office"):
                via = "phone" if c["uses_phone"] else "travel_wifi"
            if via == "phone" and r.random() < 0.55:
                via = "travel_wifi"
        if via == "pc":
            ip, asn, cc = self.home_addr(c, d)
            ua = c["pc_ua"]
            dev = None if c["nocookie"] and r.random() < 0.7 else c["pc_dev"]
            ctx = "home_pc"
        elif via == "office":
            ip, asn, cc = r.choice(c["office"])
            ua, dev = c["office_ua"], c["office_dev"]
            ctx = "office"
        elif via == "vpn":
            ip, asn, cc = r.choice(self.vpn_exits)
            ua, dev = c["phone_ua"], c["phone_dev"]
            ctx = "vpn"
        elif via == "travel_wifi":
            asn, cc = trav[2], trav[3]
            ip = self.state.setdefault("hotel-%d" % c["i"], self.ip4(asn))
            if r.random() < 0.2:
                ip = self.ip4(asn)
            if c["uses_phone"]:
                ua, dev = c["phone_ua"], c["phone_dev"]
            else:
                ua, dev = c["pc_ua"], c["pc_dev"]
            ctx = "travel_wifi"
        else:
            ip, asn, cc = self.mobile_addr(c, t)
            ua, dev = c["phone_ua"], c["phone_dev"]
            ctx = "phone_app" if not abroad else "travel_roaming"
            if c.get("newphone") and t >= c["newphone"][0]:
                dev, ua = c["newphone"][1], c["newphone"][2]
                if c["newphone"][3]:
                    ip, asn, cc = self.mobile_addr_for(c["newphone"][3], t)
                ctx = "new_phone"
        if c.get("household"):
            ctx += "+household"
        label = "legit"
        if r.random() < 0.004:
            wrong = c["id"][:-1] + r.choice("0123456789abcdefghijklmnopqrstuvwxyz")
            if wrong != c["id"] and wrong not in self.idset:
                self.emit(t, wrong, ip, asn, cc, "unknown_account", self.pw(c), label, scenario, "wrong_id", ua, dev)
                t += r.uniform(4, 30)
        if r.random() < c["typo"]:
            for k in range(1 if r.random() < 0.8 else 2):
                self.emit(t, c["id"], ip, asn, cc, "wrong_secret", "typo-%d-%d" % (c["i"], self.seq), label, scenario, "typo", ua, dev)
                t += r.uniform(5, 45)
        self.emit(t, c["id"], ip, asn, cc, "success", self.pw(c), label, scenario, ctx, ua, dev)
        return t

    def mobile_addr_for(self, asn, t):
        r = self.r
        if asn in self.mob6 and r.random() < 0.3:
            return (self.v6_addr(self.v6_64(self.mob6[asn])), asn, "JP")
        return (r.choice(self.pools[asn]), asn, "JP")

    def pw(self, c):
        return c["pw"] if c["pw_v"] == 0 else "%s-v%d" % (c["pw"], c["pw_v"])

    def pw_at(self, c, t):
        v = 0
        for tc, vv in c.get("pw_hist", []):
            if tc <= t:
                v = vv
        return c["pw"] if v == 0 else "%s-v%d" % (c["pw"], v)

    def forget(self, c, t, via, scenario):
        """2-5 old passwords, reset by e-mail, then a login with the new password."""
        r = self.r
        d = int(t // 86400)
        if via == "pc":
            ip, asn, cc = self.home_addr(c, d)
            ua, dev = c["pc_ua"], (None if c["nocookie"] else c["pc_dev"])
        else:
            ip, asn, cc = self.mobile_addr(c, t)
            ua, dev = c["phone_ua"], c["phone_dev"]
        olds = ["old-%d-%d" % (c["i"], k) for k in range(3)]
        for k in range(r.randrange(2, 6)):
            self.emit(t, c["id"], ip, asn, cc, "wrong_secret", r.choice(olds), "legit", scenario, "forgot", ua, dev)
            t += r.uniform(10, 90)
        t += r.uniform(300, 5400)
        c["pw_v"] += 1
        c["pw_changed"] = t - 1
        c.setdefault("pw_hist", []).append((t - 1, c["pw_v"]))
        self.emit(t, c["id"], ip, asn, cc, "success", self.pw(c), "legit", scenario, "reset", ua, dev)
        return t

    def customer_logins(self):
        r = self.r
        D = self.days
        for c in self.customers:
            k = c["kind"]
            if k == "dormant":
                continue
            plan = []  # (t, via)
            for d in range(D):
                md = self.is_market_day(d)
                if k == "daytrader":
                    if md:
                        for _ in range(r.randrange(12, 41)):
                            plan.append((d * 86400 + r.uniform(8.3, 15.6) * 3600, "pc"))
                        for _ in range(r.randrange(2, 9)):
                            plan.append((self.day_time(d, "market"), "phone"))
                    elif r.random() < 0.5:
                        plan.append((self.day_time(d, "weekend"), r.choice(["pc", "phone"])))
                elif k == "active":
                    if (md and r.random() < 0.8) or (not md and r.random() < 0.3):
                        for _ in range(r.randrange(1, 4)):
                            tt = self.day_time(d, "market" if md else "weekend")
                            hour = (tt % 86400) / 3600
                            via = "phone" if (11.5 <= hour < 12.5 or r.random() < 0.55) else "pc"
                            if md and c["office"] and 9 <= hour < 18 and r.random() < 0.6:
                                via = "office"
                            plan.append((tt, via))
                elif k == "regular":
                    if r.random() < 0.25:
                        for _ in range(r.randrange(1, 3)):
                            tt = self.day_time(d, "evening" if md else "weekend")
                            hour = (tt % 86400) / 3600
                            via = "phone" if r.random() < 0.6 else "pc"
                            if md and c["office"] and 9 <= hour < 18 and r.random() < 0.6:
                                via = "office"
                            plan.append((tt, via))
                elif k == "elderly":
                    if md and r.random() < 0.35:
                        plan.append((self.day_time(d, "elderly"), "phone" if c["uses_phone"] and r.random() < 0.2 else "pc"))
            if k == "nisa" and r.random() < 0.45:
                for _ in range(1 if r.random() < 0.75 else 2):
                    d = r.randrange(D)
                    plan.append((self.day_time(d, "evening" if self.is_market_day(d) else "weekend"), "phone" if r.random() < 0.55 else "pc"))
            if not c["uses_phone"]:
                plan = [(t, "pc" if v == "phone" else v) for t, v in plan]
            if c["vpn"]:
                plan = [(t, "vpn" if v == "phone" and r.random() < 0.5 else v) for t, v in plan]
            plan.sort()
            # forgetting: replaces one login in the middle of the customer's logins
            fprob = 0.03 if k == "elderly" else 0.01
            forgot_at = r.randrange(len(plan)) if plan and r.random() < fprob else None
            # new phone
            if c["uses_phone"] and k != "nisa" and r.random() < 0.02 and plan:
                t0 = r.uniform(0, D * 86400)
                newc = self.wpick([(a, w) for a, w in CARRIERS if a != c["carrier"]]) if r.random() < 0.15 else None
                c["newphone"] = (t0, self.new_device("app"), self.phone_app_ua(c), newc)
            last = -1e9
            for j, (t, via) in enumerate(plan):
                t = max(t, last + r.uniform(60, 600))
                if j == forgot_at:
                    last = self.forget(c, t, "pc" if via in ("pc", "office") else "phone", k)
                else:
                    last = self.login(c, t, via, k)
            c["plan_times"] = [t for t, _ in plan]

    def travel_plans(self):
        r = self.r
        self.travel = {}
        for c in self.customers:
            if c["kind"] not in ("dormant",) and r.random() < 0.012:
                dur = r.uniform(3, 8) * 86400
                t0 = r.uniform(0, max(1, self.days * 86400 - dur))
                asn, cc = self.wpick([((a, cc), w) for a, cc, w in ABROAD])
                self.travel[c["i"]] = (t0, t0 + dur, asn, cc)

    def aggregator_logins(self):
        r = self.r
        for c in self.customers:
            if not c["agg"]:
                continue
            ag = self.aggs[c["agg"]]
            changed = c.get("pw_changed")
            fixed = changed + r.uniform(1, 9) * 86400 if changed else None
            for d in range(self.days):
                n = r.randrange(1, 4)
                for k in range(n):
                    if k == 0:
                        t = d * 86400 + r.uniform(2, 6) * 3600
                    else:
                        t = self.day_time(d, "evening")
                    ip, asn, cc = r.choice(ag["ips"])
                    if changed and changed < t < fixed:
                        # the stored password is the one before the change: one failure, then it waits a day
                        old = self.pw_at(c, changed - 1)
                        self.emit(t, c["id"], ip, asn, cc, "wrong_secret", old, "legit", "aggregator", "aggregator_stale", ag["ua"], c["agg_dev"])
                        break
                    self.emit(t, c["id"], ip, asn, cc, "success", self.pw_at(c, t), "legit", "aggregator", "aggregator:" + c["agg"], ag["ua"], c["agg_dev"])

    # ------------------------------------------------------------------ attacks
    def residential_proxy(self, jp_share=0.55, mobile_share=0.15):
        r = self.r
        x = r.random()
        if x < jp_share:
            asn = self.wpick(HOME_ISPS)
            return (self.ip4(asn), asn, "JP")
        if x < jp_share + mobile_share:
            asn = self.wpick(CARRIERS)
            return (r.choice(self.pools[asn]), asn, "JP")
        asn = r.choice(FOREIGN_HOMES)
        return (self.ip4(asn), asn, NETS[asn][1])

    def phishing(self):
        r = self.r
        kits = []
        for asn in (132203, 20473, 63949, 45102):
            kits.append({"res": False, "ips": [(self.ip4(asn), asn, NETS[asn][1]) for _ in range(r.randrange(3, 9))]})
        kits.append({"res": True, "ips": []})
        operators = [self.new_device("op") for _ in range(3)]
        op_ua = UA_WIN_CHROME.format(v=134)
        pool = [c for c in self.customers if c["kind"] in ("active", "regular", "nisa", "elderly")]
        n = max(1, int(round(60 * self.scale * self.tscale)))
        victims = r.sample(pool, n)
        T = self.days * 86400
        for c in victims:
            kit = r.choice(kits)
            d = r.randrange(self.days)
            t = self.day_time(d, "evening")
            if t > T - 600:
                t = T - 3600
            ip, asn, cc = self.residential_proxy(1.0, 0.0) if kit["res"] else r.choice(kit["ips"])
            ua = c["phone_browser_ua"]
            if r.random() < 0.15:
                self.emit(t, c["id"], ip, asn, cc, "wrong_secret", "phtypo-%d" % c["i"], "attack", "phish_relay", "relay", ua, None)
                t += r.uniform(20, 90)
            self.emit(t, c["id"], ip, asn, cc, "success", self.pw_at(c, t), "attack", "phish_relay", "relay", ua, None, takeover=True)
            # trading sessions
            opdev = r.choice(operators) if r.random() < 0.5 else None
            for k in range(r.randrange(1, 4)):
                t2 = self.market_time_after(t + r.uniform(1200, 3 * 86400))
                if t2 is None or t2 >= T or t2 <= t or self.pw_at(c, t2) != self.pw_at(c, t):
                    continue
                x = r.random()
                if x < 0.30 and not kit["res"]:
                    ip2, asn2, cc2 = r.choice(kit["ips"])
                elif x < 0.55:
                    asn2 = r.choice([4134, 4837])
                    ip2, cc2 = self.ip4(asn2), "CN"
                else:
                    ip2, asn2, cc2 = self.residential_proxy(0.75, 0.25)
                dev = opdev or self.new_device("antidetect")
                self.emit(t2, c["id"], ip2, asn2, cc2, "success", self.pw_at(c, t2), "attack", "phish_relay", "trade", op_ua, dev, takeover=True)
        # junk fed to the kits
        for d in range(self.days):
            for _ in range(int(round(2 * self.scale))):
                kit = r.choice(kits[:4])
                ip, asn, cc = r.choice(kit["ips"])
                self.emit(self.day_time(d, "evening"), self.new_id(), ip, asn, cc, "unknown_account", "junk-%d" % self.seq,
                          "attack", "phish_relay", "junk", UA_IOS_SAFARI.format(ios="18_3_1", sv="18.3"), None)

    def leaked_list(self, n, exist_share, reuse_share):
        """(account, password, exists, customer) entries of a list leaked from another service."""
        r = self.r
        out = []
        for _ in range(n):
            if r.random() < exist_share:
                c = r.choice(self.customers)
                if r.random() < reuse_share:
                    out.append((c["id"], c["pw"], c))
                else:
                    out.append((c["id"], "leak-%d-%d" % (c["i"], r.randrange(3)) if r.random() > 0.05 else "pop%d" % r.randrange(10), c))
            else:
                out.append((self.new_id(), "leakx-%d" % r.randrange(10 ** 9) if r.random() > 0.05 else "pop%d" % r.randrange(10), None))
        return out

    def follow_up(self, c, t, scenario, times):
        r = self.r
        T = self.days * 86400
        for _ in range(times):
            t2 = t + r.uniform(4 * 3600, 3 * 86400)
            if t2 >= T or self.pw_at(c, t2) != self.pw_at(c, t):
                continue  # the owner changed the password meanwhile
            ip, asn, cc = self.residential_proxy(0.7, 0.2)
            self.emit(t2, c["id"], ip, asn, cc, "success", self.pw_at(c, t2), "attack", scenario, "use", UA_WIN_CHROME.format(v=r.choice((133, 134, 135))),
                      self.new_device("attacker"), takeover=True)

    def stuffing(self):
        r = self.r
        T = self.days * 86400
        # burst
        n = int(round(8000 * self.scale))
        ips = []
        for asn in (9009, 24940, 14061, 60068):
            ips += [(self.ip4(asn), asn, NETS[asn][1]) for _ in range(15)]
        d = r.randrange(2, max(3, self.days - 2))
        t0 = d * 86400 + r.uniform(0.5, 3) * 3600 + 86400  # 01:00-04:00 JST next night... of day d+1
        t0 = min(t0, T - 7 * 3600)
        for acc, pw, c in self.leaked_list(n, 0.22, 0.03):
            t = t0 + r.uniform(0, 6 * 3600)
            ip, asn, cc = r.choice(ips)
            ua = r.choice(TOOL_UAS)
            if c is None:
                self.emit(t, acc, ip, asn, cc, "unknown_account", pw, "attack", "stuffing_burst", "list", ua, None)
            elif pw == self.pw_at(c, t):
                self.emit(t, acc, ip, asn, cc, "success", pw, "attack", "stuffing_burst", "list", ua, None, takeover=True)
                self.follow_up(c, t, "stuffing_burst", 1)
            else:
                self.emit(t, acc, ip, asn, cc, "wrong_secret", pw, "attack", "stuffing_burst", "list", ua, None)
        # slow, residential
        n = int(round(12000 * self.scale * self.tscale))
        lst = self.leaked_list(n, 0.20, 0.025)
        i = 0
        while i < len(lst):
            ip, asn, cc = self.residential_proxy(0.55, 0.15)
            t = r.uniform(0, T - 60)
            ua = r.choice(TOOL_UAS)
            for k in range(r.randrange(1, 4)):
                if i >= len(lst):
                    break
                acc, pw, c = lst[i]
                i += 1
                t += r.uniform(2, 40)
                if c is None:
                    self.emit(t, acc, ip, asn, cc, "unknown_account", pw, "attack", "stuffing_slow", "list", ua, None)
                elif pw == self.pw_at(c, t):
                    self.emit(t, acc, ip, asn, cc, "success", pw, "attack", "stuffing_slow", "list", ua, None, takeover=True)
                    self.follow_up(c, t, "stuffing_slow", r.randrange(1, 3))
                else:
                    self.emit(t, acc, ip, asn, cc, "wrong_secret", pw, "attack", "stuffing_slow", "list", ua, None)

    def spray(self):
        r = self.r
        T = self.days * 86400
        m = int(round(3000 * self.scale))
        targets = []
        for _ in range(m):
            if r.random() < 0.6:
                c = r.choice(self.customers)
                targets.append((c["id"], c))
            else:
                targets.append((self.new_id(), None))
        pwds = ["pop0", "pop1", "pop2", "pop3"]
        jobs = [(acc, c, p) for p in pwds for acc, c in targets]
        r.shuffle(jobs)
        # spread evenly over the window, password by password, in file order
        jobs.sort(key=lambda j: pwds.index(j[2]))
        step = (T - 3600) / max(1, len(jobs))
        hosting = [(self.ip4(a), a, NETS[a][1]) for a in (60068, 9009, 14061, 20473) for _ in range(5)]
        for k, (acc, c, p) in enumerate(jobs):
            t = k * step + r.uniform(0, step)
            if r.random() < 0.85:
                ip, asn, cc = self.residential_proxy(0.6, 0.15)
            else:
                ip, asn, cc = r.choice(hosting)
            ua = r.choice(TOOL_UAS)
            if c is None:
                self.emit(t, acc, ip, asn, cc, "unknown_account", p, "attack", "spray_slow", "spray", ua, None)
            elif self.pw_at(c, t) == p:
                self.emit(t, acc, ip, asn, cc, "success", p, "attack", "spray_slow", "spray", ua, None, takeover=True)
                self.follow_up(c, t, "spray_slow", 1)
            else:
                self.emit(t, acc, ip, asn, cc, "wrong_secret", p, "attack", "spray_slow", "spray", ua, None)

    # ------------------------------------------------------------------ run
    def run(self, out):
        self.state = {}
        self.build_customers()
        self.idset = {c["id"] for c in self.customers}
        self.travel_plans()
        self.customer_logins()
        self.aggregator_logins()
        # attacks use each customer's password as it is at the end (a reset before the attack is rare and
        # the list would then hold the old one: good enough for 14 days)
        self.phishing()
        self.stuffing()
        self.spray()
        self.events.sort(key=lambda e: (e[0], e[1]))
        T = self.days * 86400
        n = 0
        with open(out, "w") as f:
            for t, _, ev in self.events:
                if t < 0 or t >= T:
                    continue
                ts = START + timedelta(seconds=t)
                ev["ts"] = ts.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.") + "%03dZ" % (ts.microsecond // 1000)
                f.write(json.dumps(ev, ensure_ascii=False, separators=(",", ":")) + "\n")
                n += 1
        return n


def main(argv):
    args = list(argv[1:])
    users, days = 20000, 14
    pos = []
    i = 0
    while i < len(args):
        if args[i] == "--users":
            users = int(args[i + 1]); i += 2
        elif args[i] == "--days":
            days = int(args[i + 1]); i += 2
        else:
            pos.append(args[i]); i += 1
    if len(pos) != 2:
        sys.stderr.write(__doc__.split("\n")[2] + "\n")
        return 2
    seed, out = int(pos[0]), pos[1]
    n = Gen(seed, users, days).run(out)
    sys.stderr.write("%d events written to %s\n" % (n, out))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
