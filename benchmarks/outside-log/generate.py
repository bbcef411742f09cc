#!/usr/bin/env python3
"""A login log from outside Mamori's simulator, to measure detection on traffic it was not tuned on.

Written apart from src/Mamori.Simulation (none of its code or tables), with other assumptions: a US/EU-centred
service, customers in nine countries and their time zones, DHCP home lines, mobile carriers' NAT pools, offices,
commercial VPNs whose exit country changes, cookie clearers, browser version bumps, travellers, new phones and
password resets; attacks: stuffing through world-wide residential proxies, a spray from hosting providers, a
vertical brute force, an adversary-in-the-middle phishing kit on cloud servers in the victim's country, ten days of
slow stuffing through home routers, and infostealer logs (password plus the operator's device cookie).

Usage: generate.py SEED OUT.jsonl [--users N] [--days D] [--rate R] [--no-device] [--no-secret] [--third-places P] [--isp-matched] [--vpn-geo]
                   [--cloud-offices P]
  --rate: a typical customer's logins a day (lognormal around it; default 0.35; a brokerage's monthly visitors ~0.03)
  --no-device, --no-secret: leave out device tokens, secret fingerprints (both: the shape of the RBA dataset)
  --third-places: share of logins from a cafe's, hotel's or friend's network (default 0: the files measured before it
    existed stay the same); half on the country's big ISPs, half on a long tail of small ones, favourite places revisited
  --vpn-geo: each VPN exit address stays in one country, as GeoIP places it (default: the exit country is drawn per
    login, whatever the address; same random stream either way)
  --isp-matched: add a targeted stuffing through residential proxies matched to each victim's ISP and country (its own
    random stream: every other event of the file stays the same)
  --cloud-offices: share of the 150 offices whose traffic leaves through a cloud (Microsoft Azure or Amazon AWS, a
    few exit addresses each: a company's secure web gateway or cloud PCs); their employees' office logins come from
    there (default 0; its own random stream: the rest of the file stays the same)
Then:  mamori replay OUT.jsonl --score
Python 3 standard library only; the same seed writes the same file.
"""
import sys, random, json, math, datetime, hashlib

if len(sys.argv) < 3 or sys.argv[1] in ('-h', '--help') or not sys.argv[1].isdigit():
    print(__doc__.strip(), file=sys.stderr if len(sys.argv) >= 2 and sys.argv[1] not in ('-h', '--help') else sys.stdout)
    sys.exit(0 if len(sys.argv) >= 2 and sys.argv[1] in ('-h', '--help') else 2)
seed = int(sys.argv[1]); out = sys.argv[2]
args = sys.argv[3:]
KNOWN = {'--users', '--days', '--rate', '--third-places', '--no-device', '--no-secret', '--isp-matched', '--vpn-geo', '--cloud-offices'}
unknown = [a for i, a in enumerate(args) if a.startswith('--') and a not in KNOWN]
if unknown:
    sys.exit(f"generate.py: unknown option {unknown[0]} (see --help)")
NODEV = '--no-device' in args
NOSECRET = '--no-secret' in args
def opt(name, d, kind=int):
    return kind(args[args.index(name) + 1]) if name in args else d
N = opt('--users', 20000); DAYS = opt('--days', 14); RATE = opt('--rate', 0.35, float)
THIRD = opt('--third-places', 0.0, float)
CLOUD_OFFICES = opt('--cloud-offices', 0.0, float)
ISP_MATCHED = '--isp-matched' in args
VPN_GEO = '--vpn-geo' in args
R = random.Random(seed)
T0 = datetime.datetime(2026, 3, 1, tzinfo=datetime.timezone.utc).timestamp()
T1 = T0 + DAYS * 86400

COUNTRIES = [('US', .55, -5), ('GB', .10, 0), ('DE', .08, 1), ('FR', .05, 1), ('IN', .06, 5.5), ('BR', .05, -3),
             ('CA', .05, -5), ('AU', .03, 10), ('MX', .03, -6)]
ISP = {  # country: (residential asns, mobile asns)
    'US': ([7922, 701, 7018, 20115, 22773, 209], [21928, 22394, 20057]),
    'GB': ([2856, 5089, 5607], [25135, 12576]), 'DE': ([3320, 6805, 31334], [3209, 6805]),
    'FR': ([3215, 12322, 5410], [3215, 51207]), 'IN': ([24560, 45609], [55836, 45271]),
    'BR': ([28573, 18881, 26599], [26615, 28573]), 'CA': ([812, 577, 6327], [812, 577]),
    'AU': ([1221, 4804, 7545], [1221, 133612]), 'MX': ([8151, 11888], [8151, 28403]),
}
HOSTING = [14061, 16509, 15169, 24940, 16276, 63949, 8075, 20473, 9009, 60068]  # DO, AWS, GCP, Hetzner, OVH, Linode, Azure, Vultr, M247, Datacamp
VPN_ASNS = [9009, 60068, 212238]

asn_prefix = {}
def prefix(asn):
    if asn not in asn_prefix:
        rr = random.Random(asn * 7919)
        asn_prefix[asn] = [(rr.randrange(11, 223), rr.randrange(0, 256)) for _ in range(4)]
    return asn_prefix[asn]
def ip_in(asn, r=R):
    a, b = r.choice(prefix(asn))
    return f"{a}.{b}.{r.randrange(256)}.{r.randrange(1, 255)}"
# CGNAT pools per mobile asn: few addresses, many users
cgnat = {}
def cgnat_ip(asn):
    if asn not in cgnat:
        rr = random.Random(asn * 31)
        cgnat[asn] = [ip_in(asn, rr) for _ in range(300)]
    return R.choice(cgnat[asn])

CHROME = [122, 123, 124]
def chrome_ua(osname, v):
    osp = {'win': 'Windows NT 10.0; Win64; x64', 'mac': 'Macintosh; Intel Mac OS X 10_15_7', 'linux': 'X11; Linux x86_64'}[osname]
    return f"Mozilla/5.0 ({osp}) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/{v}.0.0.0 Safari/537.36"
def safari_ios(v):
    return f"Mozilla/5.0 (iPhone; CPU iPhone OS {v}_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/{v}.4 Mobile/15E148 Safari/604.1"
def android_chrome(v, model):
    return f"Mozilla/5.0 (Linux; Android 14; {model}) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/{v}.0.0.0 Mobile Safari/537.36"
def app_ua(plat):
    return f"AcmeWallet/4.{R.randrange(2, 5)}.0 ({plat})"
def firefox(v):
    return f"Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:{v}.0) Gecko/20100101 Firefox/{v}.0"

def fp(r=R):
    return '%016x' % r.getrandbits(64)
POPULAR = [fp(random.Random(1000 + i)) for i in range(20)]

events = []
def emit(ts, acct, ip, outcome, ua, dev, sfp, asn, cc, label, scen, takeover=False):
    e = {'ts': datetime.datetime.fromtimestamp(ts, datetime.timezone.utc).isoformat(timespec='milliseconds').replace('+00:00', 'Z'),
         'account': acct, 'ip': ip, 'outcome': outcome}
    if ua: e['user_agent'] = ua
    if dev and not NODEV: e['device'] = dev
    if sfp and not NOSECRET: e['secret_fp'] = sfp
    if asn: e['asn'] = asn
    if cc: e['country'] = cc
    e['label'] = label; e['scenario'] = scen; e['takeover'] = takeover
    events.append((ts, e))

class User: pass
users = []
for i in range(N):
    u = User(); u.id = f"u{100000 + i}"
    x = R.random(); acc = 0
    for cc, p, tz in COUNTRIES:
        acc += p
        if x <= acc: break
    u.cc, u.tz = cc, tz
    res, mob = ISP[cc]
    u.home_asn = R.choice(res); u.mob_asn = R.choice(mob)
    u.home_ip = ip_in(u.home_asn)
    u.secret = R.choice(POPULAR) if R.random() < 0.02 else fp()
    u.rate = min(12.0, R.lognormvariate(math.log(RATE), 1.1))  # logins a day
    devs = []
    osn = R.choice(['win', 'win', 'mac', 'linux'])
    if R.random() < 0.7: devs.append(['desk', 'dv' + fp()[:12], 'chrome', osn])
    if R.random() < 0.6: devs.append(['app', 'dv' + fp()[:12], 'ios' if R.random() < .5 else 'android', None])
    if R.random() < 0.3: devs.append(['mweb', 'dv' + fp()[:12], 'ios', None])
    if R.random() < 0.1: devs.append(['ff', 'dv' + fp()[:12], 'ff', None])
    if not devs: devs.append(['desk', 'dv' + fp()[:12], 'chrome', 'win'])
    u.devs = devs
    u.cookie_clearer = R.random() < 0.15
    u.vpn = R.random() < 0.04
    u.office = None
    u.traveller = R.random() < 0.03
    u.new_phone_at = T0 + R.random() * (T1 - T0) if R.random() < 0.04 else None
    u.pw_change_at = T0 + R.random() * (T1 - T0) if R.random() < 0.02 else None
    users.append(u)
offices = []
for k in range(150):
    u0 = R.choice(users)
    offices.append((u0.cc, u0.home_asn, ip_in(u0.home_asn)))
if CLOUD_OFFICES:
    _cr = random.Random(seed * 1000 + 17)
    for k in range(len(offices)):
        if _cr.random() < CLOUD_OFFICES:
            cloud = _cr.choice([8075, 16509])
            offices[k] = (offices[k][0], cloud, ip_in(cloud, _cr))
for u in users:
    if R.random() < 0.12:
        o = R.choice(offices); u.office = o
vpn_ips = {a: [ip_in(a) for _ in range(40)] for a in VPN_ASNS}
_vr = random.Random(seed * 1000 + 11)
vpn_exits = {a: {c: [ip_in(a, _vr) for _ in range(13)] for c in ['US', 'NL', 'GB'] + [c for c, _, _ in COUNTRIES]} for a in VPN_ASNS}

def ua_for(u, d, ts):
    kind, _, br, osn = d
    v = CHROME[min(2, int((ts - T0) / (T1 - T0) * 3))]
    if kind == 'desk': return chrome_ua(osn, v)
    if kind == 'app': return app_ua('iPhone; iOS 17.4' if br == 'ios' else 'Android 14')
    if kind == 'mweb': return safari_ios(17)
    return firefox(123)

# Small ISPs: 300 a country, Zipf-weighted (a regional cable firm, a hotel's managed Wi-Fi, a town's fibre co-op).
SMALL = {cc: [400000 + 1000 * k + j for j in range(300)] for k, (cc, _, _) in enumerate(COUNTRIES)}
SMALL_W = [1 / (j + 1) for j in range(300)]
def third_place(u):
    places = getattr(u, 'places', None)
    if places is None:
        places = u.places = []
    if places and R.random() < 0.7:
        return R.choice(places)
    if R.random() < 0.5:
        asn = R.choice(ISP[u.cc][0])
    else:
        asn = R.choices(SMALL[u.cc], SMALL_W)[0]
    place = (asn, ip_in(asn), u.cc)
    if len(places) < 3: places.append(place)
    return place

def legit_login(u, ts, scen='normal', fail_first=0, sfp=None, ip=None, asn=None, cc=None, dev=None):
    sfp = sfp or u.secret
    d = dev or R.choice(u.devs)
    if ip is None:
        local_h = ((ts / 3600) + u.tz) % 24
        if u.vpn and R.random() < 0.7:
            asn = R.choice(VPN_ASNS); ip = R.choice(vpn_ips[asn]); cc = R.choice(['US', 'NL', 'GB', u.cc])
            if VPN_GEO: ip = vpn_exits[asn][cc][vpn_ips[asn].index(ip) % 13]
        elif d[0] in ('app', 'mweb') and R.random() < 0.6:
            asn, ip, cc = u.mob_asn, cgnat_ip(u.mob_asn), u.cc
        elif u.office and 9 <= local_h < 18 and R.random() < 0.7 and d[0] == 'desk':
            cc, asn, ip = u.office
        elif THIRD and R.random() < THIRD:
            asn, ip, cc = third_place(u)
        else:
            asn, ip, cc = u.home_asn, u.home_ip, u.cc
    token = None if (u.cookie_clearer and d[0] != 'app') else d[1]
    ua = ua_for(u, d, ts)
    t = ts
    for k in range(fail_first):
        emit(t, u.id, ip, 'wrong_secret', ua, token, fp(), asn, cc, 'legit', scen)
        t += R.uniform(4, 40)
    emit(t, u.id, ip, 'success', ua, token, sfp, asn, cc, 'legit', scen)

for u in users:
    t = T0
    # home address changes now and then (DHCP)
    next_dhcp = T0 + R.expovariate(1 / (86400 * 10))
    trip = None
    if u.traveller:
        s = T0 + R.random() * (T1 - T0 - 4 * 86400)
        dest = R.choice([c for c, _, _ in COUNTRIES if c != u.cc])
        trip = (s, s + R.uniform(2, 6) * 86400, dest, R.choice(ISP[dest][0]), R.choice(ISP[dest][1]))
    while True:
        t += R.expovariate(u.rate / 86400)
        if t >= T1: break
        local_h = ((t / 3600) + u.tz) % 24
        if 1 <= local_h < 6 and R.random() < 0.85: continue  # sleep
        if t > next_dhcp:
            u.home_ip = ip_in(u.home_asn); next_dhcp = t + R.expovariate(1 / (86400 * 10))
        if u.new_phone_at and t > u.new_phone_at:
            u.devs = [d for d in u.devs if d[0] != 'app'] + [['app', 'dv' + fp()[:12], 'ios', None]]
            u.new_phone_at = None
            legit_login(u, t, 'new-phone', dev=u.devs[-1]); continue
        if u.pw_change_at and t > u.pw_change_at:
            # forgot: several failures, a reset later, then success with the new secret
            d = R.choice(u.devs)
            for k in range(R.randrange(3, 7)):
                emit(t + k * 20, u.id, u.home_ip, 'wrong_secret', ua_for(u, d, t), None if u.cookie_clearer else d[1], fp(), u.home_asn, u.cc, 'legit', 'forgotten')
            u.secret = fp(); u.pw_change_at = None
            legit_login(u, t + 1800, 'forgotten', dev=d)
            continue
        if trip and trip[0] <= t < trip[1]:
            s, e_, dest, rasn, masn = trip
            if R.random() < 0.5:
                legit_login(u, t, 'travel', ip=ip_in(rasn), asn=rasn, cc=dest)  # hotel wifi
            else:
                legit_login(u, t, 'travel', ip=cgnat_ip(masn), asn=masn, cc=dest, dev=[d for d in u.devs if d[0] in ('app', 'mweb')][0] if any(d[0] in ('app', 'mweb') for d in u.devs) else None)
            continue
        ff = 1 if R.random() < 0.05 else 0
        legit_login(u, t, 'typo' if ff else 'normal', fail_first=ff)

by_id = {u.id: u for u in users}
real_ids = [u.id for u in users]
COMMON_UAS = [chrome_ua('win', 122), chrome_ua('mac', 123), safari_ios(17), android_chrome(122, 'SM-S918B'), firefox(123)]

def attacker_ua(r):
    return r.choice(COMMON_UAS)

# 1. Credential stuffing through residential proxies (world-wide), 6 hours, 60k attempts
st = T0 + 3.3 * 86400
proxy_asns = [a for c in ISP for a in ISP[c][0]]
for k in range(60000):
    ts = st + R.random() * 6 * 3600
    asn = R.choice(proxy_asns); cc = next(c for c in ISP if asn in ISP[c][0] or asn in ISP[c][1])
    ip = ip_in(asn)
    if R.random() < 0.35:
        u = by_id[R.choice(real_ids)]
        if R.random() < 0.02:
            emit(ts, u.id, ip, 'success', attacker_ua(R), None, u.secret, asn, cc, 'attack', 'credential-stuffing', True)
        else:
            emit(ts, u.id, ip, 'wrong_secret', attacker_ua(R), None, fp(), asn, cc, 'attack', 'credential-stuffing')
    else:
        emit(ts, f"u{R.randrange(900000, 999999)}", ip, 'unknown_account', attacker_ua(R), None, fp(), asn, cc, 'attack', 'credential-stuffing')

# 2. Password spray from 150 hosting addresses, 4 popular passwords over 3 days, each account once per password
st = T0 + 6 * 86400
spray_ips = [(a, ip_in(a)) for a in (R.choice(HOSTING) for _ in range(150))]
targets = R.sample(real_ids, min(12000, len(real_ids) * 3 // 5))
for pi, pw in enumerate(POPULAR[:4]):
    for j, acct in enumerate(targets):
        ts = st + pi * 18 * 3600 + j * (18 * 3600 / len(targets)) + R.random()
        a, ip = R.choice(spray_ips); u = by_id[acct]
        ok = u.secret == pw
        emit(ts, acct, ip, 'success' if ok else 'wrong_secret', 'python-requests/2.31.0' if R.random() < .3 else attacker_ua(R), None, pw, a, 'US' if a not in (24940, 16276) else 'DE', 'attack', 'password-spray', ok)

# 3. Brute force of three accounts from one address
st = T0 + 8.5 * 86400
bf_ip = ip_in(16276)
for acct in R.sample(real_ids, 3):
    u = by_id[acct]
    n = R.randrange(500, 900); hit = R.randrange(n)
    for k in range(n):
        ts = st + k * 2.5 + R.random()
        ok = k == hit
        emit(ts, acct, bf_ip, 'success' if ok else 'wrong_secret', 'Mozilla/5.0', None, u.secret if ok else fp(), 16276, 'FR', 'attack', 'brute-force', ok)
        if ok: break

# 4. Phishing (adversary in the middle): right password, attacker's server in the victim's own country, minutes after
# the victim typed it; the victim's own browser string copied; no device token.
for k in range(60):
    u = by_id[R.choice(real_ids)]
    ts = T0 + R.random() * (T1 - T0)
    a = R.choice(HOSTING[:6])
    ua = ua_for(u, u.devs[0], ts)
    emit(ts, u.id, ip_in(a), 'success', ua, None, u.secret, a, u.cc, 'attack', 'phished', True)

# 5. Low-and-slow stuffing: one attempt every ~50 s for 10 days from a botnet of home routers all over the world
st = T0 + 2 * 86400
bot = [(a, ip_in(a)) for a in (R.choice(proxy_asns) for _ in range(5000))]
t = st
while t < st + 10 * 86400:
    t += R.expovariate(1 / 50)
    a, ip = R.choice(bot); cc = next(c for c in ISP if a in ISP[c][0] or a in ISP[c][1])
    u = by_id[R.choice(real_ids)]
    if R.random() < 0.015:
        emit(t, u.id, ip, 'success', attacker_ua(R), None, u.secret, a, cc, 'attack', 'low-slow-stuffing', True)
    else:
        emit(t, u.id, ip, 'wrong_secret', attacker_ua(R), None, fp(), a, cc, 'attack', 'low-slow-stuffing')

# 6. Infostealer: password + the user's device cookie, from a residential proxy in the user's country, days later
for k in range(40):
    u = by_id[R.choice(real_ids)]
    d = u.devs[0]
    ts = T0 + R.uniform(3, DAYS) * 86400
    asn = R.choice(ISP[u.cc][0])
    emit(ts, u.id, ip_in(asn), 'success', ua_for(u, d, ts), d[1], u.secret, asn, u.cc, 'attack', 'infostealer', True)

# 7. (--isp-matched) Targeted stuffing: a proxy service's home addresses chosen in each victim's own ISP and country,
# one try per account, each victim's own browser string (combo lists from infostealers carry it), no cookie; slow
# (about ten an hour for a week), so no rate stands out.
if ISP_MATCHED:
    Q = random.Random(seed * 1000 + 7)
    st = T0 + 1.5 * 86400
    for k in range(1500):
        u = by_id[Q.choice(real_ids)]
        ts = st + Q.random() * 7 * 86400
        asn = u.home_asn if Q.random() < 0.7 else u.mob_asn
        ok = Q.random() < 0.05
        ua = ua_for(u, u.devs[0], ts) if Q.random() < 0.6 else Q.choice(COMMON_UAS)
        emit(ts, u.id, ip_in(asn, Q), 'success' if ok else 'wrong_secret', ua, None, u.secret if ok else fp(Q), asn, u.cc, 'attack', 'isp-matched-stuffing', ok)

events.sort(key=lambda x: x[0])
with open(out, 'w') as f:
    for _, e in events:
        f.write(json.dumps(e, separators=(',', ':')) + '\n')
print(len(events), 'events', file=sys.stderr)
