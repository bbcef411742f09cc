"""Networks, addresses, time zones and user agents for the exchange log generator.

Everything here is data plus small deterministic helpers. Addresses are derived from
keyed hashes (blake2b) of a key such as (household, lease epoch), so the same key always
gives the same address and nothing depends on Python's randomised hash().
ASNs are real; prefixes are ones those ASNs announce (to the best of the author's memory);
host parts are invented but stable per key.
"""
import hashlib
import ipaddress
from datetime import datetime, timezone


def h64(*parts):
    d = hashlib.blake2b("\x1f".join(map(str, parts)).encode(), digest_size=8).digest()
    return int.from_bytes(d, "big")


def v4str(x):
    return f"{x >> 24}.{(x >> 16) & 255}.{(x >> 8) & 255}.{x & 255}"


class Net:
    """One announced network of one ASN as seen from one country."""

    __slots__ = ("asn", "name", "cc", "kind", "w", "v4", "v6", "v6share", "lease", "pool")

    def __init__(self, cc, kind, asn, name, w, v4, v6=None, v6share=0.0, lease=30):
        self.cc, self.kind, self.asn, self.name, self.w = cc, kind, int(asn), name, float(w)
        self.v4 = []
        for p in v4:
            n = ipaddress.IPv4Network(p)
            self.v4.append((int(n.network_address), n.num_addresses))
        self.v6 = None
        if v6:
            n6 = ipaddress.IPv6Network(v6)
            self.v6 = (int(n6.network_address), n6.prefixlen)
        self.v6share, self.lease = float(v6share), float(lease)
        self.pool = None  # CGNAT / exit pool, filled lazily

    def v4_addr(self, *key):
        x = h64("v4", self.asn, self.cc, *key)
        base, size = self.v4[x % len(self.v4)]
        a = base + (x >> 12) % size
        if size > 256 and (a & 255) in (0, 255):
            a = (a & ~255) | (1 + (x >> 40) % 254)
        return v4str(a)

    def v6_addr(self, site_key, iid_key, site_bits=56, subnet=0):
        """site_key picks the customer prefix (/56 for homes, /64 for a mobile session);
        iid_key the interface id (privacy addresses rotate it)."""
        pref, plen = self.v6
        s = h64("site", self.asn, *site_key) & ((1 << (site_bits - plen)) - 1)
        net = pref | (s << (128 - site_bits)) | (subnet << 64)
        iid = h64("iid", *iid_key) | 1
        return ipaddress.IPv6Address(net | iid).compressed

    def pool_addr(self, idx, size, region=0):
        """Address number idx of a CGNAT pool / server pool of `size` addresses.
        Pools are split into 4 regional blocks so one subscriber keeps similar prefixes."""
        return self.v4_addr("pool", region % 4, idx % size)


# ---------------------------------------------------------------------------------------
# Time zones. Offsets in hours; rule = 2026 daylight-saving change inside the window.
START = datetime(2026, 3, 1, tzinfo=timezone.utc)
START_MS = int(START.timestamp() * 1000)
HOUR_MS = 3_600_000
DAY_MS = 86_400_000
_US_DST = int(datetime(2026, 3, 8, 8, tzinfo=timezone.utc).timestamp() * 1000)
_EU_DST = int(datetime(2026, 3, 29, 1, tzinfo=timezone.utc).timestamp() * 1000)
_AU_DST_END = int(datetime(2026, 4, 4, 16, tzinfo=timezone.utc).timestamp() * 1000)
ZONES = {  # name: (standard offset, rule)
    "JP": (9, None), "KR": (9, None), "SG": (8, None), "PH": (8, None), "VN": (7, None),
    "ID-W": (7, None), "ID-C": (8, None), "TH": (7, None), "IN": (5.5, None), "AE": (4, None),
    "TR": (3, None), "UA": (2, "EU"), "CET": (1, "EU"), "GB": (0, "EU"), "NG": (1, None),
    "ZA": (2, None), "BR": (-3, None), "AR": (-3, None), "MX": (-6, None),
    "US-E": (-5, "US"), "US-C": (-6, "US"), "US-M": (-7, "US"), "US-P": (-8, "US"),
    "AU-E": (11, "AU"), "AU-Q": (10, None), "AU-W": (8, None),
}


def tz_offset(zone, t_ms):
    off, rule = ZONES[zone]
    if rule == "US" and t_ms >= _US_DST:
        off += 1
    elif rule == "EU" and t_ms >= _EU_DST:
        off += 1
    elif rule == "AU" and t_ms >= _AU_DST_END:
        off -= 1
    return off


# ---------------------------------------------------------------------------------------
# Countries: user share (global exchange, retail-heavy emerging markets), zones, share of
# sessions on mobile data, iPhone share, VPN propensity, e-mail domains, name stems.
COUNTRIES = {
    # cc: (weight, [(zone, w)], mobile_share, ios_share, vpn_rate, [mail domains], [names])
    "TR": (8, [("TR", 1)], .62, .22, .14, ["gmail.com", "hotmail.com", "outlook.com", "yandex.com", "icloud.com"],
           "mehmet ahmet mustafa ayse fatma emre burak zeynep elif can deniz kaan selin murat"),
    "VN": (7, [("VN", 1)], .70, .30, .10, ["gmail.com", "yahoo.com", "outlook.com"],
           "nguyen tran le pham hoang huynh phan vu vo dang bui do ho ngo duong ly minh anh"),
    "IN": (7, [("IN", 1)], .78, .08, .10, ["gmail.com", "yahoo.co.in", "rediffmail.com", "outlook.com"],
           "rahul priya amit sneha vikram anjali arjun kavya rohan pooja sanjay neha karthik deepak"),
    "BR": (7, [("BR", 1)], .60, .18, .08, ["gmail.com", "hotmail.com", "outlook.com", "uol.com.br", "bol.com.br"],
           "joao maria pedro ana lucas juliana gabriel fernanda rafael camila bruno larissa thiago"),
    "NG": (6, [("NG", 1)], .86, .12, .16, ["gmail.com", "yahoo.com", "outlook.com"],
           "chinedu ngozi emeka adaeze tunde funke ibrahim aisha segun kemi uche chioma femi bola"),
    "US": (6, [("US-E", .45), ("US-C", .30), ("US-M", .07), ("US-P", .18)], .40, .58, .12,
           ["gmail.com", "yahoo.com", "outlook.com", "icloud.com", "hotmail.com", "aol.com", "proton.me"],
           "james mary john linda michael sarah david emily chris jessica kevin ashley ryan megan"),
    "KR": (5, [("KR", 1)], .52, .25, .06, ["naver.com", "gmail.com", "daum.net", "kakao.com", "hanmail.net"],
           "minjun seoyeon jiho haeun doyun jiwoo hyunwoo sujin jaehyun yuna sungmin eunji kim park lee"),
    "PH": (5, [("PH", 1)], .74, .28, .10, ["gmail.com", "yahoo.com", "outlook.com"],
           "juan maria jose angel mark kristine john rica paolo jasmine carlo bea miguel joy"),
    "ID": (5, [("ID-W", .75), ("ID-C", .25)], .78, .12, .12, ["gmail.com", "yahoo.co.id", "yahoo.com"],
           "budi siti agus dewi andi rina eko putri adi wulan hendra ayu rizky fajar"),
    "AR": (4, [("AR", 1)], .58, .16, .08, ["gmail.com", "hotmail.com", "yahoo.com.ar", "outlook.com"],
           "juan sofia santiago valentina mateo camila martin lucia nicolas florencia diego agustina"),
    "DE": (4, [("CET", 1)], .40, .35, .14, ["gmail.com", "gmx.de", "web.de", "t-online.de", "outlook.de", "posteo.de"],
           "lukas anna leon lena felix laura jonas julia max sarah tim lisa jan katharina"),
    "GB": (4, [("GB", 1)], .42, .52, .13, ["gmail.com", "hotmail.co.uk", "outlook.com", "icloud.com", "btinternet.com"],
           "oliver amelia harry olivia jack emily george sophie charlie jessica tom hannah ben lucy"),
    "FR": (3, [("CET", 1)], .42, .34, .12, ["gmail.com", "orange.fr", "free.fr", "hotmail.fr", "laposte.net", "outlook.fr"],
           "lucas emma hugo lea louis chloe nathan manon thomas camille antoine julie maxime sarah"),
    "ES": (3, [("CET", 1)], .45, .25, .10, ["gmail.com", "hotmail.com", "outlook.es", "yahoo.es"],
           "alejandro lucia pablo maria javier carmen daniel laura sergio marta adrian paula david elena"),
    "UA": (3, [("UA", 1)], .55, .28, .20, ["gmail.com", "ukr.net", "i.ua", "outlook.com"],
           "oleksandr olena andrii iryna dmytro natalia serhii yulia maksym oksana ivan kateryna"),
    "JP": (3, [("JP", 1)], .50, .66, .05, ["gmail.com", "yahoo.co.jp", "icloud.com", "docomo.ne.jp", "outlook.jp"],
           "haruto yui sota hina yuto aoi ren mei takumi sakura kenta yuki daiki riko"),
    "AE": (2.5, [("AE", 1)], .55, .50, .35, ["gmail.com", "outlook.com", "hotmail.com", "icloud.com", "yahoo.com"],
           "mohammed fatima ahmed mariam omar aisha khalid noura rashid sara yousef hamdan priya rahul"),
    "AU": (2.5, [("AU-E", .75), ("AU-Q", .15), ("AU-W", .10)], .42, .55, .12,
           ["gmail.com", "outlook.com", "bigpond.com", "icloud.com", "hotmail.com"],
           "jack charlotte william olivia noah mia thomas chloe liam sophie lachlan emily josh grace"),
    "CA": (2.5, [("US-E", .62), ("US-M", .14), ("US-P", .24)], .40, .55, .10,
           ["gmail.com", "hotmail.com", "outlook.com", "yahoo.ca", "icloud.com"],
           "liam emma noah olivia ethan ava lucas sophie benjamin chloe alexandre charlotte owen"),
    "NL": (2, [("CET", 1)], .38, .42, .12, ["gmail.com", "hotmail.com", "outlook.com", "ziggo.nl", "kpnmail.nl"],
           "daan emma sem julia lucas tess levi sophie bram anna finn sara jesse lotte"),
    "IT": (2, [("CET", 1)], .48, .30, .10, ["gmail.com", "libero.it", "hotmail.it", "yahoo.it", "outlook.it"],
           "francesco giulia alessandro sofia lorenzo aurora matteo chiara andrea martina marco sara"),
    "PL": (2, [("CET", 1)], .46, .25, .10, ["gmail.com", "wp.pl", "o2.pl", "onet.pl", "interia.pl"],
           "jakub julia kacper zuzanna szymon maja filip hanna bartosz natalia michal anna piotr"),
    "TH": (2, [("TH", 1)], .70, .35, .08, ["gmail.com", "hotmail.com", "outlook.com"],
           "somchai siriporn nattapong kanokwan anan pimchanok thanawat supaporn krit naree"),
    "MX": (2, [("MX", 1)], .62, .22, .07, ["gmail.com", "hotmail.com", "outlook.com", "yahoo.com.mx"],
           "jose guadalupe juan maria luis fernanda carlos alejandra jorge daniela miguel sofia"),
    "SG": (1.5, [("SG", 1)], .50, .55, .12, ["gmail.com", "hotmail.com", "outlook.com", "yahoo.com.sg", "icloud.com"],
           "wei ling jun hui ming xin kai jia darren rachel aaron nicole ryan priya"),
    "ZA": (1.5, [("ZA", 1)], .65, .30, .09, ["gmail.com", "outlook.com", "webmail.co.za", "yahoo.com"],
           "thabo lerato sipho nomvula johan anke pieter thandiwe kagiso zanele michael megan"),
}

# ---------------------------------------------------------------------------------------
# Access networks: cc|kind|asn|name|weight|v4 prefixes|v6 prefix|v6 share|lease days
# kind M = mobile carrier (CGNAT), B = fixed broadband (weight = market share among users),
# U = university, lease = typical days before a home's public IPv4 changes.
_ACCESS = """
JP|M|9605|NTT DOCOMO|40|1.72.0.0/13,49.96.0.0/12||0|0
JP|M|2516|KDDI au|30|106.128.0.0/13,111.239.0.0/16|2001:268::/32|.4|0
JP|M|17676|SoftBank Mobile|22|126.192.0.0/11||0|0
JP|M|138384|Rakuten Mobile|8|133.106.0.0/16||0|0
JP|B|4713|NTT OCN|35|153.156.0.0/14,114.148.0.0/14|2400:4050::/32|.5|30
JP|B|17676|SoftBank Hikari|25|126.0.0.0/10|240b:10::/32|.6|60
JP|B|2516|KDDI au Hikari|25|106.72.0.0/14,111.97.0.0/16|2001:f70::/32|.5|60
JP|B|2518|BIGLOBE|15|180.34.0.0/16,114.160.0.0/14||0|20
KR|M|9644|SK Telecom|45|223.32.0.0/11|2001:2d8::/32|.5|0
KR|M|4766|KT Mobile|32|39.7.0.0/16,110.70.0.0/16||0|0
KR|M|17858|LG U+ Mobile|23|106.101.0.0/16,106.102.0.0/16||0|0
KR|B|4766|KT|42|121.128.0.0/10,175.192.0.0/10||0|45
KR|B|9318|SK Broadband|33|1.224.0.0/11,118.32.0.0/11||0|45
KR|B|3786|LG U+|25|211.36.128.0/17,58.120.0.0/13||0|45
SG|M|45143|Singtel Mobile|45|111.65.32.0/19,122.11.128.0/17||0|0
SG|M|4773|M1|25|116.14.0.0/15||0|0
SG|M|10091|StarHub Mobile|30|58.182.0.0/16||0|0
SG|B|9506|Singtel Fibre|45|116.86.0.0/15,118.200.0.0/15||0|30
SG|B|4657|StarHub Broadband|30|101.127.0.0/16,42.61.0.0/16||0|30
SG|B|56300|MyRepublic|25|103.6.148.0/22,203.211.128.0/18||0|14
PH|M|132199|Globe Telecom|50|112.198.0.0/16,49.145.0.0/16||0|0
PH|M|10139|Smart Communications|50|110.54.128.0/17,175.176.0.0/17||0|0
PH|B|9299|PLDT|50|112.206.0.0/15,180.190.0.0/16,120.28.0.0/16||0|5
PH|B|17639|Converge ICT|50|136.158.0.0/16,122.2.0.0/16||0|3
VN|M|7552|Viettel|50|27.64.0.0/12,171.224.0.0/11|2402:800::/32|.5|0
VN|M|45899|VNPT Vinaphone|28|113.160.0.0/11||0|0
VN|M|131429|MobiFone|22|14.224.0.0/11||0|0
VN|B|18403|FPT Telecom|40|1.52.0.0/14,42.112.0.0/13,118.68.0.0/14|2405:4802::/32|.4|7
VN|B|7552|Viettel|35|116.96.0.0/12||0|7
VN|B|45899|VNPT|25|14.160.0.0/11,123.16.0.0/12||0|7
ID|M|23693|Telkomsel|50|114.120.0.0/13,182.0.0.0/12||0|0
ID|M|4761|Indosat Ooredoo|28|114.4.0.0/16,202.155.0.0/16||0|0
ID|M|24203|XL Axiata|22|112.215.0.0/16,114.79.0.0/16||0|0
ID|B|7713|Telkom IndiHome|65|36.64.0.0/11,180.244.0.0/14,118.96.0.0/13||0|5
ID|B|17451|Biznet|20|117.102.64.0/18,114.6.0.0/16||0|14
ID|B|23700|Link Net First Media|15|110.136.0.0/13||0|14
TH|M|131445|AIS|45|49.228.0.0/14||0|0
TH|M|24378|dtac|25|1.46.0.0/15||0|0
TH|M|132061|TrueMove H|30|110.169.0.0/16,171.100.0.0/16||0|0
TH|B|7470|True Internet|45|171.96.0.0/14,124.120.0.0/14||0|3
TH|B|45758|3BB|35|110.164.0.0/14,223.204.0.0/15||0|3
TH|B|23969|TOT/NT|20|118.172.0.0/14,125.24.0.0/14||0|3
IN|M|55836|Reliance Jio|48|49.32.0.0/11,157.32.0.0/12|2409:4042::/32|.9|0
IN|M|45609|Bharti Airtel Mobile|36|106.192.0.0/11,223.176.0.0/12|2401:4900::/32|.7|0
IN|M|38266|Vodafone Idea|16|42.104.0.0/13,106.66.0.0/15||0|0
IN|B|55836|JioFiber|35|49.36.0.0/14|2405:201::/32|.8|10
IN|B|24560|Airtel Xstream Fiber|30|122.160.0.0/13,182.64.0.0/12||0|10
IN|B|24309|ACT Fibernet|20|49.204.0.0/14,106.51.0.0/16||0|14
IN|B|9829|BSNL|15|117.192.0.0/10,59.88.0.0/13||0|2
AE|M|5384|Etisalat (e&)|60|2.48.0.0/13,94.56.0.0/14|2001:8f8::/32|.4|0
AE|M|15802|du|40|94.204.0.0/14,5.192.0.0/12||0|0
AE|B|5384|Etisalat eLife|60|86.96.0.0/13,94.200.0.0/13||0|30
AE|B|15802|du Home|40|91.72.0.0/14,5.30.0.0/15||0|14
TR|M|16135|Turkcell|45|178.240.0.0/13,176.40.0.0/13||0|0
TR|M|15897|Vodafone TR|32|46.1.0.0/16,37.155.0.0/16||0|0
TR|M|20978|Turk Telekom Mobil|23|31.142.0.0/15,176.88.0.0/14||0|0
TR|B|9121|Turk Telekom (TTNet)|55|78.160.0.0/11,85.96.0.0/12,88.224.0.0/11||0|2
TR|B|34984|Turkcell Superonline|30|46.196.0.0/15,31.223.0.0/16||0|7
TR|B|47524|Turksat Kablo|15|176.43.0.0/16,46.2.0.0/16||0|7
UA|M|15895|Kyivstar|45|46.211.0.0/16,176.36.0.0/14||0|0
UA|M|21497|Vodafone UA|35|89.209.0.0/16,178.133.0.0/16||0|0
UA|M|34058|lifecell|20|5.248.0.0/14||0|0
UA|B|6849|Ukrtelecom|35|92.112.0.0/13,91.194.0.0/15||0|3
UA|B|13188|Triolan|30|93.72.0.0/15,93.77.0.0/16||0|14
UA|B|25229|Volia (Datagroup)|35|77.120.0.0/14,93.73.0.0/16||0|14
DE|M|3320|Telekom Deutschland Mobil|40|80.187.0.0/16,46.114.0.0/15|2a01:598::/32|.7|0
DE|M|3209|Vodafone DE Mobil|33|109.40.0.0/13||0|0
DE|M|6805|Telefonica o2 DE|27|77.0.0.0/12,176.0.0.0/12|2a02:3030::/32|.4|0
DE|B|3320|Deutsche Telekom|45|79.192.0.0/10,84.128.0.0/10,91.0.0.0/10,93.192.0.0/10|2003:e1::/32|.6|1
DE|B|3209|Vodafone Kabel DE|30|95.88.0.0/14,188.192.0.0/12|2a02:8108::/32|.5|60
DE|B|8881|1&1 Versatel|25|87.122.0.0/15,82.82.0.0/15||0|1
FR|M|3215|Orange Mobile|36|92.184.0.0/14,90.84.0.0/14||0|0
FR|M|51207|Free Mobile|26|37.160.0.0/12||0|0
FR|M|5410|Bouygues Telecom Mobile|20|176.128.0.0/11||0|0
FR|M|15557|SFR Mobile|18|77.136.0.0/13||0|0
FR|B|3215|Orange FR|40|90.0.0.0/9,86.192.0.0/10|2a01:cb04::/32|.7|14
FR|B|12322|Free (Proxad)|30|82.64.0.0/14,88.160.0.0/11,78.192.0.0/10|2a01:e0a::/32|.8|365
FR|B|15557|SFR|15|109.0.0.0/11,93.22.0.0/15||0|14
FR|B|5410|Bouygues Telecom|15|176.160.0.0/11,89.80.0.0/13|2001:861::/32|.5|30
GB|M|12576|EE|35|31.94.0.0/16,2.24.0.0/13|2a01:4c8::/32|.7|0
GB|M|35228|O2 UK|28|82.132.128.0/17,94.197.0.0/16||0|0
GB|M|25135|Vodafone UK|20|85.255.232.0/21,148.252.0.0/16||0|0
GB|M|206067|Three UK|17|92.40.0.0/14||0|0
GB|B|2856|BT|38|86.128.0.0/10,81.128.0.0/11|2a00:23c4::/32|.6|30
GB|B|5089|Virgin Media|28|82.0.0.0/13,86.0.0.0/13,81.96.0.0/12||0|120
GB|B|5607|Sky Broadband|34|90.192.0.0/11,2.96.0.0/13|2a02:c7c::/32|.7|120
ES|M|3352|Movistar Movil|38|79.152.0.0/13,81.32.0.0/13||0|0
ES|M|12430|Vodafone ES|30|85.84.0.0/14,46.222.0.0/15||0|0
ES|M|12479|Orange ES Movil|32|90.160.0.0/12,2.136.0.0/13||0|0
ES|B|3352|Telefonica de Espana|45|88.0.0.0/11,83.32.0.0/11,79.144.0.0/12||0|30
ES|B|12479|Orange ES (Jazztel)|30|90.176.0.0/12,188.76.0.0/14||0|14
ES|B|57269|DIGI Spain|25|79.116.0.0/14,176.83.0.0/16||0|3
NL|M|31615|Odido (T-Mobile NL)|40|188.88.0.0/13,62.140.128.0/17||0|0
NL|M|1136|KPN Mobile|35|77.61.0.0/16,143.176.0.0/13||0|0
NL|M|33915|Vodafone NL|25|31.160.0.0/14||0|0
NL|B|1136|KPN|45|77.160.0.0/12,145.128.0.0/12|2a02:a46c::/32|.6|90
NL|B|33915|Ziggo|55|84.24.0.0/13,83.80.0.0/13|2001:1c02::/32|.6|180
IT|M|16232|TIM Mobile|38|5.90.0.0/15,151.18.0.0/15||0|0
IT|M|30722|Vodafone IT|32|93.40.0.0/15,2.192.0.0/13||0|0
IT|M|1267|WINDTRE Mobile|30|151.46.0.0/15,5.168.0.0/13||0|0
IT|B|3269|TIM (Telecom Italia)|45|79.0.0.0/11,87.0.0.0/12,93.144.0.0/12||0|7
IT|B|12874|Fastweb|30|2.224.0.0/12,93.32.0.0/14|2a01:e11::/32|.5|60
IT|B|1267|WINDTRE|25|151.14.0.0/15,151.64.0.0/12||0|7
PL|M|12912|T-Mobile PL|30|46.76.0.0/14||0|0
PL|M|39603|Play|30|37.47.0.0/16,185.68.0.0/16||0|0
PL|M|5617|Orange PL Mobile|25|31.60.0.0/14||0|0
PL|M|8374|Plus (Polkomtel)|15|37.7.0.0/16,37.248.0.0/14||0|0
PL|B|5617|Orange Polska|45|83.0.0.0/11,89.64.0.0/12||0|1
PL|B|12741|Netia|25|83.238.0.0/15,89.228.0.0/14||0|7
PL|B|6830|UPC Polska (Play)|30|89.64.160.0/19,178.235.0.0/16||0|60
BR|M|26599|Vivo|38|177.76.0.0/14,191.240.0.0/13||0|0
BR|M|26615|TIM Brasil|30|177.20.0.0/14,191.209.0.0/16||0|0
BR|M|28573|Claro BR Movel|32|177.138.0.0/15,179.32.0.0/12|2804:14c::/32|.5|0
BR|B|28573|Claro NET Virtua|35|177.32.0.0/12,189.0.0.0/11|2804:14d::/32|.5|14
BR|B|27699|Vivo Fibra|35|177.68.0.0/14,189.32.0.0/11,200.158.0.0/15|2804:7f0::/32|.6|3
BR|B|8167|Oi / V.tal|30|177.0.0.0/14,189.74.0.0/15||0|3
AR|M|7303|Personal (Telecom AR)|40|181.1.0.0/16,186.122.0.0/15||0|0
AR|M|11664|Claro AR|38|181.31.0.0/16,190.224.0.0/14||0|0
AR|M|22927|Movistar AR|22|186.12.0.0/14,190.104.0.0/15||0|0
AR|B|10318|Fibertel (Telecom)|45|181.44.0.0/14,186.22.0.0/15||0|14
AR|B|7303|Telecom AR (Arnet)|30|190.16.0.0/12,181.228.0.0/14||0|7
AR|B|22927|Movistar AR Fibra|25|186.56.0.0/14,201.250.0.0/15||0|7
MX|M|28403|Telcel|62|189.203.0.0/16,187.190.0.0/16||0|0
MX|M|11888|AT&T Mexico|38|200.68.128.0/17,189.219.0.0/16||0|0
MX|B|8151|Telmex Infinitum|50|187.128.0.0/10,189.128.0.0/10||0|7
MX|B|13999|Megacable|25|177.224.0.0/12||0|14
MX|B|17072|Totalplay|25|189.203.64.0/18,187.189.0.0/16||0|14
US|M|21928|T-Mobile US|40|172.56.0.0/14,172.58.0.0/15|2607:fb90::/32|.95|0
US|M|22394|Verizon Wireless|35|174.192.0.0/10|2600:1000::/32|.8|0
US|M|20057|AT&T Mobility|25|107.64.0.0/10,166.128.0.0/9|2600:380::/32|.8|0
US|B|7922|Comcast Xfinity|35|73.0.0.0/8,98.192.0.0/10|2601:140::/32|.7|120
US|B|20115|Charter Spectrum|28|47.0.0.0/12,97.64.0.0/12|2603:6000::/32|.6|90
US|B|7018|AT&T Internet|20|99.0.0.0/10,76.192.0.0/10|2600:1700::/32|.6|60
US|B|701|Verizon Fios|17|71.160.0.0/11,100.0.0.0/10|2600:4040::/32|.4|90
CA|M|812|Rogers Wireless|36|72.136.0.0/13||0|0
CA|M|36522|Bell Mobility|34|184.151.0.0/16,70.24.0.0/13||0|0
CA|M|852|Telus Mobility|30|154.20.0.0/14||0|0
CA|B|812|Rogers|30|99.224.0.0/11,174.112.0.0/12||0|120
CA|B|577|Bell Canada|35|70.48.0.0/13,142.112.0.0/12,184.144.0.0/12||0|30
CA|B|852|Telus|20|75.152.0.0/14,96.48.0.0/12||0|60
CA|B|5769|Videotron|15|24.200.0.0/13,70.80.0.0/12||0|90
AU|M|1221|Telstra Mobile|45|1.128.0.0/11,101.112.0.0/13|2001:8004::/32|.8|0
AU|M|4804|Optus Mobile|35|49.176.0.0/12||0|0
AU|M|133612|Vodafone AU (TPG)|20|120.17.0.0/16,101.191.0.0/16||0|0
AU|B|1221|Telstra|40|58.160.0.0/12,101.160.0.0/11|2001:8003::/32|.6|60
AU|B|7545|TPG|35|110.174.0.0/15,124.168.0.0/13,220.233.0.0/16||0|30
AU|B|4764|Aussie Broadband|25|180.150.0.0/16,203.221.0.0/16|2403:5800::/32|.6|365
NG|M|29465|MTN Nigeria|52|197.210.0.0/16,102.89.0.0/16||0|0
NG|M|36873|Airtel Nigeria|30|105.112.0.0/12||0|0
NG|M|37148|Globacom|18|197.211.0.0/17,197.242.0.0/17||0|0
NG|B|37340|Spectranet|45|41.217.0.0/17,102.67.0.0/17||0|5
NG|B|37282|MainOne|25|41.75.192.0/18,41.76.80.0/20||0|30
NG|B|36873|Airtel 4G Router|30|105.112.0.0/12||0|1
ZA|M|29975|Vodacom|45|41.0.0.0/13,41.112.0.0/14||0|0
ZA|M|16637|MTN SA|40|105.0.0.0/11,41.144.0.0/13||0|0
ZA|M|37168|Cell C|15|41.160.0.0/13||0|0
ZA|B|37457|Telkom SA|35|105.224.0.0/12,197.245.0.0/16||0|7
ZA|B|37611|Afrihost|35|169.0.0.0/13||0|30
ZA|B|37053|RSAWEB|30|41.193.0.0/16,197.157.0.0/16||0|30
JP|U|2501|University of Tokyo|1|133.11.0.0/16||0|0
KR|U|9488|Seoul National University|1|147.46.0.0/16||0|0
SG|U|7472|National University of Singapore|1|137.132.0.0/16||0|0
DE|U|12816|LRZ / TU Muenchen|1|129.187.0.0/16,138.246.0.0/16||0|0
GB|U|786|Jisc (Cambridge)|1|131.111.0.0/16||0|0
US|U|25|UC Berkeley|1|128.32.0.0/16||0|0
CA|U|239|University of Toronto|1|128.100.0.0/16||0|0
BR|U|28571|Universidade de Sao Paulo|1|143.107.0.0/16||0|0
IN|U|2697|ERNET India|1|14.139.0.0/16||0|0
FR|U|2200|RENATER (Sorbonne)|1|134.157.0.0/16||0|0
NL|U|1103|SURF (UvA)|1|145.18.0.0/16||0|0
TR|U|8517|ULAKBIM (ITU)|1|160.75.0.0/16||0|0
AU|U|7575|AARNet (Melbourne)|1|128.250.0.0/16||0|0
MX|U|278|UNAM|1|132.248.0.0/16||0|0
TH|U|9411|Chulalongkorn University|1|161.200.0.0/16||0|0
AR|U|3449|Universidad de Buenos Aires|1|157.92.0.0/16||0|0
ZA|U|2018|TENET (Wits)|1|146.141.0.0/16||0|0
"""

# Datacenter / cloud / VPN / relay networks: cc|kind|asn|name|weight|v4|v6|v6share|lease
# kind C = cloud or VPS host, V = commercial VPN exit host, R = privacy relay (iCloud/WARP),
# H = hosting known for abuse (bulletproof-ish).
_HOSTED = """
US|C|14618|Amazon AWS us-east-1|10|44.192.0.0/11,3.80.0.0/12|||0
US|C|16509|Amazon AWS us-west-2|5|34.208.0.0/12,44.224.0.0/11|||0
DE|C|16509|Amazon AWS eu-central-1|5|3.64.0.0/12,18.192.0.0/12|||0
IE|C|16509|Amazon AWS eu-west-1|4|34.240.0.0/13,52.208.0.0/13|||0
JP|C|16509|Amazon AWS ap-northeast-1|5|13.112.0.0/14,54.64.0.0/13|||0
SG|C|16509|Amazon AWS ap-southeast-1|5|18.136.0.0/13,13.228.0.0/14|||0
KR|C|16509|Amazon AWS ap-northeast-2|2|13.124.0.0/14,3.34.0.0/15|||0
BR|C|16509|Amazon AWS sa-east-1|2|18.228.0.0/16,54.232.0.0/16|||0
US|C|396982|Google Cloud us-central1|4|34.66.0.0/15,35.184.0.0/13|||0
JP|C|396982|Google Cloud asia-northeast1|2|34.84.0.0/15,34.146.0.0/16|||0
BE|C|396982|Google Cloud europe-west1|2|34.76.0.0/14,35.187.0.0/17|||0
US|C|8075|Microsoft Azure eastus|3|20.42.0.0/15,40.76.0.0/14|||0
DE|C|24940|Hetzner Online|6|88.198.0.0/16,78.46.0.0/15,5.9.0.0/16,116.202.0.0/16,49.12.0.0/16|||0
FI|C|24940|Hetzner Online (Helsinki)|3|65.21.0.0/16,95.216.0.0/16|||0
FR|C|16276|OVHcloud|5|51.68.0.0/16,51.77.0.0/16,54.36.0.0/14,137.74.0.0/16,145.239.0.0/16|||0
CA|C|16276|OVHcloud BHS|2|144.217.0.0/16,158.69.0.0/16|||0
US|C|14061|DigitalOcean NYC|4|159.65.0.0/16,167.99.0.0/16,165.227.0.0/16|||0
NL|C|14061|DigitalOcean AMS|3|188.166.0.0/16,178.62.0.0/16|||0
SG|C|14061|DigitalOcean SGP|3|128.199.0.0/16,178.128.0.0/16|||0
IN|C|14061|DigitalOcean BLR|2|139.59.0.0/16,64.227.128.0/17|||0
DE|C|14061|DigitalOcean FRA|2|134.209.0.0/16,46.101.0.0/16|||0
US|C|20473|Vultr (The Constant Company)|3|45.32.0.0/16,45.76.0.0/16,149.28.0.0/16|||0
JP|C|20473|Vultr Tokyo|2|45.77.0.0/16,139.180.192.0/18|||0
SG|C|20473|Vultr Singapore|2|45.32.96.0/19,207.148.64.0/18|||0
US|C|63949|Akamai Linode|2|172.104.0.0/15,45.79.0.0/16|||0
JP|C|63949|Akamai Linode Tokyo|1|139.162.64.0/19,172.104.64.0/19|||0
DE|C|51167|Contabo|3|161.97.0.0/16,5.189.128.0/17,62.171.128.0/17,194.163.128.0/17|||0
SG|C|45102|Alibaba Cloud SG|2|47.74.128.0/17,8.219.0.0/16|||0
SG|C|132203|Tencent Cloud SG|1|43.134.0.0/16,129.226.0.0/16|||0
US|C|31898|Oracle Cloud|1|129.146.0.0/16,150.136.0.0/16|||0
NL|H|202425|IP Volume|3|80.82.64.0/20,89.248.160.0/19,93.174.88.0/21,94.102.48.0/20|||0
US|H|53667|FranTech (BuyVM)|2|209.141.32.0/19,198.98.48.0/20,104.244.72.0/21|||0
NL|H|44477|Stark Industries|2|45.134.26.0/24,94.131.96.0/19,77.91.64.0/19|||0
XX|V|9009|M247|10|146.70.0.0/16,37.120.128.0/17,217.138.192.0/18|||0
XX|V|60068|Datacamp (CDN77)|8|89.187.160.0/19,212.102.32.0/19,195.181.160.0/20,156.146.32.0/19|||0
XX|V|39351|31173 Services (Mullvad)|2|193.138.218.0/24,185.213.154.0/24,185.65.134.0/23|||0
XX|V|60781|Leaseweb|2|95.211.0.0/16,85.17.0.0/16,37.48.64.0/18|||0
XX|R|36183|Akamai (iCloud Private Relay)|6|172.224.0.0/12|2a02:26f7::/32|.7|0
XX|R|13335|Cloudflare (WARP / Private Relay)|4|104.28.0.0/16|2a09:bac1::/32|.7|0
"""

ACCESS, HOSTED = [], []
for _src, _dst in ((_ACCESS, ACCESS), (_HOSTED, HOSTED)):
    for _ln in _src.strip().splitlines():
        _cc, _k, _asn, _nm, _w, _v4, _v6, _v6s, _lease = _ln.split("|")
        _dst.append(Net(_cc, _k, _asn, _nm, _w, _v4.split(","), _v6 or None, _v6s or 0, _lease or 0))

MOBILE = {cc: [n for n in ACCESS if n.cc == cc and n.kind == "M"] for cc in COUNTRIES}
FIXED = {cc: [n for n in ACCESS if n.cc == cc and n.kind == "B"] for cc in COUNTRIES}
UNI = {n.cc: n for n in ACCESS if n.kind == "U"}
CLOUD = [n for n in HOSTED if n.kind == "C"]
ABUSE_HOST = [n for n in HOSTED if n.kind == "H"]
VPN_HOSTS = [n for n in HOSTED if n.kind == "V"]
RELAY = [n for n in HOSTED if n.kind == "R"]

# Countries commercial VPN users pick as exits (share); the rest use an exit at home.
VPN_EXITS = [("US", 22), ("NL", 10), ("DE", 8), ("GB", 9), ("SG", 9), ("JP", 5), ("CH", 6),
             ("SE", 4), ("FR", 4), ("CA", 4), ("HK", 5), ("AE", 2), ("TR", 2), ("BR", 2), ("AU", 3),
             ("RO", 3), ("ES", 2)]


def vpn_exit(provider_idx, exit_cc, server):
    """Address of VPN server `server` in exit_cc run by host provider_idx. Each provider has a
    /24-ish block per exit country (stable), with a handful of exit addresses in it."""
    n = VPN_HOSTS[provider_idx % len(VPN_HOSTS)]
    return n, _in_block(n, ("vpn", exit_cc), 12 + (server % 12) * 9)


def relay_exit(user_cc, slot):
    """iCloud Private Relay / WARP egress: chosen by region, shared by many users."""
    n = RELAY[0] if slot % 3 else RELAY[1]
    return n, _in_block(n, ("relay", user_cc, slot % 4), 2 + (slot % 40) * 6)


def _in_block(n, key, host):
    a = n.v4_addr(*key).split(".")
    return f"{a[0]}.{a[1]}.{a[2]}.{host}"


def pick(rng, items, weights=None):
    if weights is None:
        return items[int(rng.random() * len(items))]
    return rng.choices(items, weights)[0]


def weighted_net(rng, nets):
    return rng.choices(nets, [n.w for n in nets])[0]


# ---------------------------------------------------------------------------------------
# User agents.
APP = "Kumo"  # the exchange's own app; a fictional name
APP_RELEASES = [  # version, release time (ms); rollouts are gradual per user
    ("5.41.2", START_MS - 40 * DAY_MS), ("5.42.0", START_MS - 12 * DAY_MS),
    ("5.42.1", START_MS + 4 * DAY_MS + 9 * HOUR_MS), ("5.43.0", START_MS + 11 * DAY_MS + 2 * HOUR_MS)]

IPHONES = ["iPhone14,5", "iPhone14,7", "iPhone15,2", "iPhone15,3", "iPhone15,4", "iPhone16,1",
           "iPhone16,2", "iPhone17,1", "iPhone17,3", "iPhone18,1", "iPhone18,3", "iPhone13,2", "iPhone12,1"]
IOS_VERSIONS = [("26.3", 30), ("26.2.1", 25), ("26.2", 10), ("18.7.3", 15), ("18.6.2", 8), ("17.7.10", 7),
                ("16.7.12", 5)]
ANDROID_MODELS = {
    "premium": ["SM-S928B", "SM-S921B", "SM-S931B", "SM-S938B", "Pixel 8", "Pixel 9 Pro", "Pixel 9a",
                "SM-F956B", "24031PN0DC", "CPH2581"],
    "mid": ["SM-A556E", "SM-A356E", "SM-A256E", "SM-A155F", "2312DRA50G", "23129RAA4G", "23108RN04Y",
            "moto g84 5G", "motorola edge 50 fusion", "RMX3710", "V2312", "CPH2591", "M2101K6G"],
    "budget": ["TECNO KJ7", "TECNO CK7n", "Infinix X6833B", "Infinix X6525", "itel A665L", "SM-A055F",
               "23129RN51X", "RMX3890", "V2339", "SM-A057F"],
}
ANDROID_VERSIONS = [("15", 32), ("14", 30), ("16", 12), ("13", 16), ("12", 6), ("11", 4)]
CHROME_STABLE = [(145, START_MS - 19 * DAY_MS), (146, START_MS + 9 * DAY_MS)]


def app_version(user_lag_ms, t_ms):
    """Installed app version: the newest release older than t minus this user's update lag."""
    v = APP_RELEASES[0][0]
    for ver, rel in APP_RELEASES:
        if rel + user_lag_ms <= t_ms:
            v = ver
    return v


def chrome_major(user_lag_ms, t_ms):
    m = CHROME_STABLE[0][0] - 1
    for ver, rel in CHROME_STABLE:
        if rel + user_lag_ms <= t_ms:
            m = ver
    return m


def ua_app_ios(ver, model, ios):
    return f"{APP}/{ver} (com.kumo.exchange; build:{ver.replace('.', '')}; {model}; iOS {ios}) Alamofire/5.10.2"


def ua_app_android(ver, model, andv):
    return f"{APP}/{ver} (Android {andv}; {model}; com.kumo.exchange) okhttp/4.12.0"


def ua_safari_ios(ios):
    major = ios.split(".")[0]
    if int(major) >= 26:  # iOS 26 Safari freezes the OS token at 18_6
        return ("Mozilla/5.0 (iPhone; CPU iPhone OS 18_6 like Mac OS X) AppleWebKit/605.1.15 "
                f"(KHTML, like Gecko) Version/{'.'.join(ios.split('.')[:2])} Mobile/15E148 Safari/604.1")
    os_ = ios.replace(".", "_")
    return (f"Mozilla/5.0 (iPhone; CPU iPhone OS {os_} like Mac OS X) AppleWebKit/605.1.15 "
            f"(KHTML, like Gecko) Version/{'.'.join(ios.split('.')[:2])} Mobile/15E148 Safari/604.1")


def ua_chrome_android(major):
    return ("Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) "
            f"Chrome/{major}.0.0.0 Mobile Safari/537.36")


def ua_samsung_browser(model, andv):
    return (f"Mozilla/5.0 (Linux; Android {andv}; SAMSUNG {model}) AppleWebKit/537.36 (KHTML, like Gecko) "
            "SamsungBrowser/28.0 Chrome/130.0.0.0 Mobile Safari/537.36")


def ua_desktop(kind, major):
    if kind == "chrome_win":
        return ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
                f"Chrome/{major}.0.0.0 Safari/537.36")
    if kind == "edge_win":
        return ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
                f"Chrome/{major}.0.0.0 Safari/537.36 Edg/{major}.0.0.0")
    if kind == "chrome_mac":
        return ("Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) "
                f"Chrome/{major}.0.0.0 Safari/537.36")
    if kind == "chrome_linux":
        return ("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
                f"Chrome/{major}.0.0.0 Safari/537.36")
    if kind == "firefox_win":
        return "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:148.0) Gecko/20100101 Firefox/148.0"
    if kind == "firefox_esr":
        return "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:140.0) Gecko/20100101 Firefox/140.0"
    if kind == "firefox_linux":
        return "Mozilla/5.0 (X11; Linux x86_64; rv:148.0) Gecko/20100101 Firefox/148.0"
    if kind == "tor":
        return "Mozilla/5.0 (Windows NT 10.0; rv:128.0) Gecko/20100101 Firefox/128.0"
    if kind == "safari_mac":
        return ("Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) "
                "Version/26.3 Safari/605.1.15")
    if kind == "opera_win":
        return ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
                f"Chrome/{major - 1}.0.0.0 Safari/537.36 OPR/{major - 20}.0.0.0")
    raise ValueError(kind)


DESKTOP_KINDS = [("chrome_win", 48), ("edge_win", 12), ("chrome_mac", 12), ("safari_mac", 8),
                 ("firefox_win", 6), ("firefox_esr", 1), ("chrome_linux", 3), ("firefox_linux", 2),
                 ("opera_win", 4)]

# Scripts that real customers (and trackers) use to log in with their own credentials.
BOT_UAS = ["python-requests/2.32.3", "python-requests/2.31.0", "aiohttp/3.11.14 Python/3.12",
           "Go-http-client/2.0", "axios/1.8.4", "node-fetch/2.7.0", "Java-http-client/21.0.6",
           "ccxt-python/4.4.71 (+https://github.com/ccxt/ccxt) python-requests/2.32.3", "curl/8.5.0"]
TRACKER_UA = "FolioSync/3.8.2 (+https://foliosync.example/bot; account sync)"
