"""Every impersonation target against its published signature, one HTTP/2
connection each to the fingerprint server (tests/fingerprint/fpserver.py):
cipher suites in order, GREASE, supported groups, key shares, signature
algorithms, supported versions, ALPN and the ALPS code point, certificate
compression, the extension set (and the exact order where the browser does
not permute), ECH GREASE, the HTTP/2 SETTINGS in order, the connection
WINDOW_UPDATE, the HEADERS priority, the pseudo-header order and the
header list in order with its values.

The expectations below are transcribed from the published signatures, in
their own notation (cipher, curve and signature-algorithm names, "id:value"
SETTINGS strings), independently of lib/impersonate's tables: mainly
curl-impersonate's target table as generated into bin/curl_<target>
(lexiforest/curl-impersonate @280150fd), and for Safari's extension order
lwthiker/curl-impersonate tests/signatures/safari_17.0_macOS.yaml (JA3
"...,0-23-65281-10-11-16-5-13-18-51-45-43-27-21,..."). chrome156 and
firefox153 are compared with the real browsers' captures in
test_impersonate_tls.py and test_impersonate_http.py.

One server and one certificate per family keep the run time down; all
differences of a family are reported together.
"""
import os
import subprocess

import harness as h
import test_impersonate_tls as tls

fpserver = tls.fpserver

# --- names as the published signatures write them -------------------------

CIPHERS = {
    "TLS_AES_128_GCM_SHA256": 0x1301, "TLS_AES_256_GCM_SHA384": 0x1302,
    "TLS_CHACHA20_POLY1305_SHA256": 0x1303,
    "ECDHE-ECDSA-AES128-GCM-SHA256": 0xc02b,
    "ECDHE-RSA-AES128-GCM-SHA256": 0xc02f,
    "ECDHE-ECDSA-AES256-GCM-SHA384": 0xc02c,
    "ECDHE-RSA-AES256-GCM-SHA384": 0xc030,
    "ECDHE-ECDSA-CHACHA20-POLY1305": 0xcca9,
    "ECDHE-RSA-CHACHA20-POLY1305": 0xcca8,
    "ECDHE-RSA-AES128-SHA": 0xc013, "ECDHE-RSA-AES256-SHA": 0xc014,
    "AES128-GCM-SHA256": 0x009c, "AES256-GCM-SHA384": 0x009d,
    "AES128-SHA": 0x002f, "AES256-SHA": 0x0035,
    "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256": 0xc02b,
    "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256": 0xc02f,
    "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384": 0xc02c,
    "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384": 0xc030,
    "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256": 0xcca9,
    "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256": 0xcca8,
    "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA": 0xc00a,
    "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA": 0xc009,
    "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA": 0xc013,
    "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA": 0xc014,
    "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384": 0xc024,
    "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256": 0xc023,
    "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384": 0xc028,
    "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256": 0xc027,
    "TLS_RSA_WITH_AES_128_GCM_SHA256": 0x009c,
    "TLS_RSA_WITH_AES_256_GCM_SHA384": 0x009d,
    "TLS_RSA_WITH_AES_256_CBC_SHA256": 0x003d,
    "TLS_RSA_WITH_AES_128_CBC_SHA256": 0x003c,
    "TLS_RSA_WITH_AES_128_CBC_SHA": 0x002f,
    "TLS_RSA_WITH_AES_256_CBC_SHA": 0x0035,
    "TLS_ECDHE_ECDSA_WITH_3DES_EDE_CBC_SHA": 0xc008,
    "TLS_ECDHE_RSA_WITH_3DES_EDE_CBC_SHA": 0xc012,
    "TLS_RSA_WITH_3DES_EDE_CBC_SHA": 0x000a,
}
CURVES = {"X25519": 29, "P-256": 23, "P-384": 24, "P-521": 25,
          "ffdhe2048": 256, "ffdhe3072": 257, "X25519MLKEM768": 0x11ec,
          "X25519Kyber768Draft00": 0x6399}
SIGALGS = {"ecdsa_secp256r1_sha256": 0x0403, "rsa_pss_rsae_sha256": 0x0804,
           "rsa_pkcs1_sha256": 0x0401, "ecdsa_secp384r1_sha384": 0x0503,
           "rsa_pss_rsae_sha384": 0x0805, "rsa_pkcs1_sha384": 0x0501,
           "rsa_pss_rsae_sha512": 0x0806, "rsa_pkcs1_sha512": 0x0601,
           "ecdsa_secp521r1_sha512": 0x0603, "ecdsa_sha1": 0x0203,
           "rsa_pkcs1_sha1": 0x0201}
CERT_COMPRESSION = {"zlib": 1, "brotli": 2, "zstd": 3}
PADDING = 21


def ids(table, spec):
    return [table[n] for n in spec.split(":")]


# --- Chrome, Edge -----------------------------------------------------------

CHROME_CIPHERS = (
    "TLS_AES_128_GCM_SHA256:TLS_AES_256_GCM_SHA384:"
    "TLS_CHACHA20_POLY1305_SHA256:ECDHE-ECDSA-AES128-GCM-SHA256:"
    "ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:"
    "ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305:"
    "ECDHE-RSA-CHACHA20-POLY1305:ECDHE-RSA-AES128-SHA:ECDHE-RSA-AES256-SHA:"
    "AES128-GCM-SHA256:AES256-GCM-SHA384:AES128-SHA:AES256-SHA")
# BoringSSL's default, which the Chrome targets keep (chrome145 spells it).
CHROME_SIGALGS = (
    "ecdsa_secp256r1_sha256:rsa_pss_rsae_sha256:rsa_pkcs1_sha256:"
    "ecdsa_secp384r1_sha384:rsa_pss_rsae_sha384:rsa_pkcs1_sha384:"
    "rsa_pss_rsae_sha512:rsa_pkcs1_sha512")
CHROME_EXT = [0, 23, 65281, 10, 11, 35, 16, 5, 13, 18, 51, 45, 43, 27]
ACCEPT_Q9 = ("text/html,application/xhtml+xml,application/xml;q=0.9,"
             "image/avif,image/webp,image/apng,*/*;q=0.8,"
             "application/signed-exchange;v=b3;q=0.9")
ACCEPT_Q7 = ACCEPT_Q9[:-1] + "7"
ACCEPT_EDGE = ("text/html,application/xhtml+xml,application/xml;q=0.9,"
               "image/webp,image/apng,*/*;q=0.8,"
               "application/signed-exchange;v=b3;q=0.9")
WIN = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 " \
      "(KHTML, like Gecko) Chrome/{} Safari/537.36"
MAC = "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 " \
      "(KHTML, like Gecko) Chrome/{} Safari/537.36"


def chrome(ua, ch_ua, platform, accept, enc, settings, *, curves=None,
           permute=True, ech=True, alps=17513, priority_header=True,
           mobile="?0"):
    h2 = [("sec-ch-ua", ch_ua), ("sec-ch-ua-mobile", mobile),
          ("sec-ch-ua-platform", f'"{platform}"'),
          ("upgrade-insecure-requests", "1"), ("user-agent", ua),
          ("accept", accept), ("sec-fetch-site", "none"),
          ("sec-fetch-mode", "navigate"), ("sec-fetch-user", "?1"),
          ("sec-fetch-dest", "document"), ("accept-encoding", enc),
          ("accept-language", "en-US,en;q=0.9")]
    if priority_header:
        h2.append(("priority", "u=0, i"))
    groups = ids(CURVES, curves or "X25519:P-256:P-384")
    ext = CHROME_EXT + [alps] + ([65037] if ech else [])
    return {
        "ciphers": ids(CIPHERS, CHROME_CIPHERS), "grease": True,
        "groups": groups,
        "key_share": groups[:2] if groups[0] > 0xff else groups[:1],
        "sigalgs": ids(SIGALGS, CHROME_SIGALGS),
        "versions": [0x0304, 0x0303], "alps": alps, "cert_compression": [2],
        "extensions": ext, "fixed_order": None if permute else ext,
        "ech": ech, "settings": settings.split(";"), "window": 15663105,
        "priority": {"weight": 256, "exclusive": 1, "depends_on": 0},
        "pseudo": "masp", "headers": h2,
    }


def brands(*pairs):
    return ", ".join(f'"{b}";v="{v}"' for b, v in pairs)


S99 = "1:65536;3:1000;4:6291456;6:262144"
S107 = "1:65536;2:0;3:1000;4:6291456;6:262144"
S119 = "1:65536;2:0;4:6291456;6:262144"
BR, ZSTD = "gzip, deflate, br", "gzip, deflate, br, zstd"
NOT_A = " Not A;Brand"
MLKEM = "X25519MLKEM768:X25519:P-256:P-384"

CHROME = {
    "chrome99": chrome(WIN.format("99.0.4844.51"), brands(
        (NOT_A, 99), ("Chromium", 99), ("Google Chrome", 99)), "Windows",
        ACCEPT_Q9, BR, S99, permute=False, ech=False, priority_header=False),
    "chrome100": chrome(WIN.format("100.0.4896.75"), brands(
        (NOT_A, 99), ("Chromium", 100), ("Google Chrome", 100)), "Windows",
        ACCEPT_Q9, BR, S99, permute=False, ech=False, priority_header=False),
    "chrome101": chrome(WIN.format("101.0.4951.67"), brands(
        (NOT_A, 99), ("Chromium", 101), ("Google Chrome", 101)), "Windows",
        ACCEPT_Q9, BR, S99, permute=False, ech=False, priority_header=False),
    "chrome104": chrome(WIN.format("104.0.0.0"), brands(
        ("Chromium", 104), (NOT_A, 99), ("Google Chrome", 104)), "Windows",
        ACCEPT_Q9, BR, S99, permute=False, ech=False, priority_header=False),
    "chrome107": chrome(WIN.format("107.0.0.0"), brands(
        ("Google Chrome", 107), ("Chromium", 107), ("Not=A?Brand", 24)),
        "Windows", ACCEPT_Q9, BR, S107, permute=False, ech=False,
        priority_header=False),
    "chrome110": chrome(WIN.format("110.0.0.0"), brands(
        ("Chromium", 110), ("Not A(Brand", 24), ("Google Chrome", 110)),
        "Windows", ACCEPT_Q7, BR, S107, ech=False, priority_header=False),
    "chrome116": chrome(WIN.format("116.0.0.0"), brands(
        ("Chromium", 116), ("Not)A;Brand", 24), ("Google Chrome", 116)),
        "Windows", ACCEPT_Q7, BR, S107, ech=False, priority_header=False),
    "chrome119": chrome(MAC.format("119.0.0.0"), brands(
        ("Google Chrome", 119), ("Chromium", 119), ("Not?A_Brand", 24)),
        "macOS", ACCEPT_Q7, BR, S119, priority_header=False),
    "chrome120": chrome(MAC.format("120.0.0.0"), brands(
        ("Not_A Brand", 8), ("Chromium", 120), ("Google Chrome", 120)),
        "macOS", ACCEPT_Q7, BR, S119, priority_header=False),
    "chrome123": chrome(MAC.format("123.0.0.0"), brands(
        ("Google Chrome", 123), ("Not:A-Brand", 8), ("Chromium", 123)),
        "macOS", ACCEPT_Q7, ZSTD, S119, priority_header=False),
    "chrome124": chrome(MAC.format("124.0.0.0"), brands(
        ("Chromium", 124), ("Google Chrome", 124), ("Not-A.Brand", 99)),
        "macOS", ACCEPT_Q7, ZSTD, S119,
        curves="X25519Kyber768Draft00:X25519:P-256:P-384"),
    "chrome131": chrome(MAC.format("131.0.0.0"), brands(
        ("Google Chrome", 131), ("Chromium", 131), ("Not_A Brand", 24)),
        "macOS", ACCEPT_Q7, ZSTD, S119, curves=MLKEM),
    "chrome133a": chrome(MAC.format("133.0.0.0"), brands(
        ("Not(A:Brand", 99), ("Google Chrome", 133), ("Chromium", 133)),
        "macOS", ACCEPT_Q7, ZSTD, S119, curves=MLKEM, alps=17613),
    "chrome136": chrome(MAC.format("136.0.0.0"), brands(
        ("Chromium", 136), ("Google Chrome", 136), ("Not.A/Brand", 99)),
        "macOS", ACCEPT_Q7, ZSTD, S119, curves=MLKEM, alps=17613),
    "chrome142": chrome(MAC.format("142.0.0.0"), brands(
        ("Chromium", 142), ("Google Chrome", 142), ("Not_A Brand", 99)),
        "macOS", ACCEPT_Q7, ZSTD, S119, curves=MLKEM, alps=17613),
    "chrome145": chrome(MAC.format("145.0.0.0"), brands(
        ("Not:A-Brand", 99), ("Google Chrome", 145), ("Chromium", 145)),
        "macOS", ACCEPT_Q7, ZSTD, S119, curves=MLKEM, alps=17613),
    "chrome146": chrome(MAC.format("146.0.0.0"), brands(
        ("Chromium", 146), ("Not-A.Brand", 24), ("Google Chrome", 146)),
        "macOS", ACCEPT_Q7, ZSTD, S119, curves=MLKEM, alps=17613),
    # No published table: chrome146's shape, Chromium's brand algorithm.
    "chrome150": chrome(MAC.format("150.0.0.0"), brands(
        ("Not;A=Brand", 8), ("Chromium", 150), ("Google Chrome", 150)),
        "macOS", ACCEPT_Q7, ZSTD, S119, curves=MLKEM, alps=17613),
    "chrome99_android": chrome(
        "Mozilla/5.0 (Linux; Android 12; Pixel 6) AppleWebKit/537.36 (KHTML, "
        "like Gecko) Chrome/99.0.4844.58 Mobile Safari/537.36", brands(
            (NOT_A, 99), ("Chromium", 99), ("Google Chrome", 99)), "Android",
        ACCEPT_Q9, BR, S99, permute=False, ech=False, priority_header=False,
        mobile="?1"),
    "chrome131_android": chrome(
        "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like "
        "Gecko) Chrome/131.0.0.0 Mobile Safari/537.36", brands(
            ("Google Chrome", 131), ("Chromium", 131), ("Not_A Brand", 24)),
        "Android", ACCEPT_Q7, ZSTD, S119),
    "edge99": chrome(
        WIN.format("99.0.4844.51") + " Edg/99.0.1150.30", brands(
            (NOT_A, 99), ("Chromium", 99), ("Microsoft Edge", 99)), "Windows",
        ACCEPT_EDGE, BR, S99, permute=False, ech=False, priority_header=False),
    "edge101": chrome(
        WIN.format("101.0.4951.64") + " Edg/101.0.1210.47", brands(
            (NOT_A, 99), ("Chromium", 101), ("Microsoft Edge", 101)),
        "Windows", ACCEPT_EDGE, BR, S99, permute=False, ech=False,
        priority_header=False),
}

# --- Firefox, Tor -----------------------------------------------------------

FIREFOX_CIPHERS = (
    "TLS_AES_128_GCM_SHA256:TLS_CHACHA20_POLY1305_SHA256:"
    "TLS_AES_256_GCM_SHA384:TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256:"
    "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256:"
    "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256:"
    "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256:"
    "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384:"
    "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384:"
    "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA:"
    "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA:"
    "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA:TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA:"
    "TLS_RSA_WITH_AES_128_GCM_SHA256:TLS_RSA_WITH_AES_256_GCM_SHA384:"
    "TLS_RSA_WITH_AES_128_CBC_SHA:TLS_RSA_WITH_AES_256_CBC_SHA")
TOR_CIPHERS = FIREFOX_CIPHERS.replace(
    "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA:"
    "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA:", "")
FIREFOX_SIGALGS = (
    "ecdsa_secp256r1_sha256:ecdsa_secp384r1_sha384:ecdsa_secp521r1_sha512:"
    "rsa_pss_rsae_sha256:rsa_pss_rsae_sha384:rsa_pss_rsae_sha512:"
    "rsa_pkcs1_sha256:rsa_pkcs1_sha384:rsa_pkcs1_sha512:ecdsa_sha1:"
    "rsa_pkcs1_sha1")
FF_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


def firefox(version, lang, order, *, ciphers=FIREFOX_CIPHERS,
            curves="X25519MLKEM768:X25519:P-256:P-384:P-521:ffdhe2048:"
            "ffdhe3072", shares=3, cert_compression="zlib,brotli,zstd",
            gpc=False):
    ua = (f"Mozilla/5.0 (Macintosh; Intel Mac OS X 10.15; rv:{version}) "
          f"Gecko/20100101 Firefox/{version}")
    h2 = [("user-agent", ua), ("accept", FF_ACCEPT),
          ("accept-language", lang),
          ("accept-encoding", "gzip, deflate, br, zstd")]
    if gpc:
        h2.append(("sec-gpc", "1"))
    h2 += [("upgrade-insecure-requests", "1"), ("sec-fetch-dest", "document"),
           ("sec-fetch-mode", "navigate"), ("sec-fetch-site", "none"),
           ("sec-fetch-user", "?1"), ("priority", "u=0, i"),
           ("te", "trailers")]
    groups = ids(CURVES, curves)
    ext = [int(x) for x in order.split("-")]
    return {
        "ciphers": ids(CIPHERS, ciphers), "grease": False, "groups": groups,
        "key_share": groups[:shares], "sigalgs": ids(SIGALGS, FIREFOX_SIGALGS),
        "versions": [0x0304, 0x0303], "alps": None,
        "cert_compression": [CERT_COMPRESSION[c] for c in
                             cert_compression.split(",")] if 27 in ext else
        None,
        "extensions": ext, "fixed_order": ext, "ech": True,
        "settings": "1:65536;2:0;4:131072;5:16384".split(";"),
        "window": 12517377,
        "priority": {"weight": 42, "exclusive": 0, "depends_on": 0},
        "pseudo": "mpas", "headers": h2,
    }


FF_ORDER = "0-23-65281-10-11-35-16-5-34-18-51-43-13-45-28-27-65037"
FIREFOX = {
    "firefox133": firefox("133.0", "en-US,en;q=0.5",
                          FF_ORDER.replace("-18-", "-")),
    "firefox135": firefox("135.0", "en-US,en;q=0.5", FF_ORDER),
    "firefox144": firefox("144.0", "en-US,en;q=0.5", FF_ORDER),
    "firefox147": firefox("147.0", "en-US,en;q=0.9", FF_ORDER),
    "tor145": firefox("128.0", "en-US,en;q=0.5",
                      "0-23-65281-10-11-16-5-34-51-43-13-28-65037",
                      ciphers=TOR_CIPHERS, shares=2, gpc=True,
                      curves="X25519:P-256:P-384:P-521:ffdhe2048:ffdhe3072"),
}

# --- Safari -------------------------------------------------------------------

SAFARI_CIPHERS = (
    "TLS_AES_128_GCM_SHA256:TLS_AES_256_GCM_SHA384:"
    "TLS_CHACHA20_POLY1305_SHA256:TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384:"
    "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256:"
    "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256:"
    "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384:"
    "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256:"
    "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256:"
    "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA:"
    "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA:"
    "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA:TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA:"
    "TLS_RSA_WITH_AES_256_GCM_SHA384:TLS_RSA_WITH_AES_128_GCM_SHA256:"
    "TLS_RSA_WITH_AES_256_CBC_SHA:TLS_RSA_WITH_AES_128_CBC_SHA:"
    "TLS_ECDHE_ECDSA_WITH_3DES_EDE_CBC_SHA:"
    "TLS_ECDHE_RSA_WITH_3DES_EDE_CBC_SHA:TLS_RSA_WITH_3DES_EDE_CBC_SHA")
SAFARI153_CIPHERS = SAFARI_CIPHERS.replace(
    "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA:",
    "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384:"
    "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256:"
    "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA:").replace(
    "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA:",
    "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384:"
    "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256:"
    "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA:").replace(
    "TLS_RSA_WITH_AES_256_CBC_SHA:",
    "TLS_RSA_WITH_AES_256_CBC_SHA256:TLS_RSA_WITH_AES_128_CBC_SHA256:"
    "TLS_RSA_WITH_AES_256_CBC_SHA:")
SAFARI15_SIGALGS = (
    "ecdsa_secp256r1_sha256:rsa_pss_rsae_sha256:rsa_pkcs1_sha256:"
    "ecdsa_secp384r1_sha384:ecdsa_sha1:rsa_pss_rsae_sha384:"
    "rsa_pss_rsae_sha384:rsa_pkcs1_sha384:rsa_pss_rsae_sha512:"
    "rsa_pkcs1_sha512:rsa_pkcs1_sha1")
SAFARI18_SIGALGS = SAFARI15_SIGALGS.replace("ecdsa_sha1:", "")
SAFARI_MAC = ("Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) "
              "AppleWebKit/605.1.15 (KHTML, like Gecko) Version/{} "
              "Safari/605.1.15")
SAFARI_IOS = ("Mozilla/5.0 (iPhone; CPU iPhone OS {} like Mac OS X) "
              "AppleWebKit/605.1.15 (KHTML, like Gecko) Version/{} "
              "Mobile/15E148 Safari/604.1")


def safari(headers, settings, *, ciphers=SAFARI_CIPHERS,
           sigalgs=SAFARI15_SIGALGS, curves="X25519:P-256:P-384:P-521",
           tls10=True, ticket=False, zlib=True, priority=None, window=10485760,
           pseudo="mspa"):
    groups = ids(CURVES, curves)
    ext = [0, 23, 65281, 10, 11] + ([35] if ticket else []) + \
        [16, 5, 13, 18, 51, 45, 43] + ([27] if zlib else [])
    cipher_ids = ids(CIPHERS, ciphers)
    return {
        "ciphers": cipher_ids, "grease": True, "groups": groups,
        "key_share": groups[:2] if groups[0] > 0xff else groups[:1],
        "sigalgs": ids(SIGALGS, sigalgs),
        "versions": [0x0304, 0x0303] + ([0x0302, 0x0301] if tls10 else []),
        "alps": None, "cert_compression": [1] if zlib else None,
        "extensions": ext, "fixed_order": ext, "ech": False,
        "settings": settings.split(";"), "window": window,
        "priority": priority, "pseudo": pseudo, "headers": headers,
    }


def safari15_headers(ua, lang):
    return [("user-agent", ua), ("accept", FF_ACCEPT),
            ("accept-language", lang), ("accept-encoding", BR)]


def safari17_headers(ua):
    return [("accept", FF_ACCEPT), ("sec-fetch-site", "none"),
            ("accept-encoding", BR), ("sec-fetch-mode", "navigate"),
            ("user-agent", ua), ("accept-language", "en-US,en;q=0.9"),
            ("sec-fetch-dest", "document")]


def safari18_headers(ua, enc=BR):
    return [("sec-fetch-dest", "document"), ("user-agent", ua),
            ("accept", FF_ACCEPT), ("sec-fetch-site", "none"),
            ("sec-fetch-mode", "navigate"),
            ("accept-language", "en-US,en;q=0.9"), ("priority", "u=0, i"),
            ("accept-encoding", enc)]


W255 = {"weight": 255, "exclusive": 0, "depends_on": 0}
W256 = {"weight": 256, "exclusive": 0, "depends_on": 0}
S18 = "2:0;3:100;4:2097152;8:1;9:1"
S184 = "2:0;3:100;4:2097152;9:1"
SAFARI26 = dict(sigalgs=SAFARI18_SIGALGS, tls10=False, window=10420225,
                pseudo="msap")
SAFARI = {
    "safari153": safari(safari15_headers(SAFARI_MAC.format("15.3"), "en-us"),
                        "4:4194304;3:100", ciphers=SAFARI153_CIPHERS,
                        zlib=False, priority=W255),
    "safari155": safari(safari15_headers(
        SAFARI_MAC.format("15.5"), "en-GB,en-US;q=0.9,en;q=0.8"),
        "4:4194304;3:100", priority=W255),
    "safari170": safari(safari17_headers(SAFARI_MAC.format("17.0")),
                        "2:0;4:4194304;3:100", priority=W255),
    "safari172_ios": safari(safari17_headers(
        SAFARI_IOS.format("17_2", "17.2")), "2:0;4:2097152;3:100",
        priority=W255),
    "safari180": safari(safari18_headers(SAFARI_MAC.format("18.0")), S18,
                        sigalgs=SAFARI18_SIGALGS, priority=W256,
                        window=10420225, pseudo="msap"),
    "safari180_ios": safari(safari18_headers(
        SAFARI_IOS.format("18_0", "18.0")), S18, sigalgs=SAFARI18_SIGALGS,
        priority=W256, window=10420225, pseudo="msap"),
    "safari184": safari(safari18_headers(SAFARI_MAC.format("18.4")), S184,
                        sigalgs=SAFARI18_SIGALGS, priority=W256,
                        window=10420225, pseudo="msap"),
    "safari184_ios": safari(safari18_headers(
        SAFARI_IOS.format("18_0", "18.4")), S184, sigalgs=SAFARI18_SIGALGS,
        priority=W256, window=10420225, pseudo="msap"),
    "safari260": safari(
        safari18_headers(SAFARI_MAC.format("26.0"), ZSTD), S184,
        ciphers=SAFARI_CIPHERS.replace(
            "TLS_AES_128_GCM_SHA256:TLS_AES_256_GCM_SHA384:"
            "TLS_CHACHA20_POLY1305_SHA256",
            "TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256:"
            "TLS_AES_128_GCM_SHA256"),
        curves="X25519MLKEM768:X25519:P-256:P-384:P-521", ticket=True,
        **SAFARI26),
    "safari2601": safari(
        safari18_headers(SAFARI_MAC.format("26.0.1")), S184,
        ciphers=SAFARI_CIPHERS.replace(
            "TLS_AES_128_GCM_SHA256:TLS_AES_256_GCM_SHA384:"
            "TLS_CHACHA20_POLY1305_SHA256",
            "TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256:"
            "TLS_AES_128_GCM_SHA256"),
        curves="X25519MLKEM768:X25519:P-256:P-384:P-521", **SAFARI26),
    "safari260_ios": safari(
        safari18_headers(SAFARI_IOS.format("26_0", "26.0"), ZSTD), S184,
        ticket=True, **SAFARI26),
}

# Patches each family's expectations need (see test_impersonate_tls).
NEEDS = {
    "chrome": [],
    "firefox": ["BORINGSSL_CURLIUM_TLS13_CIPHER_ORDER",
                "BORINGSSL_CURLIUM_EXTENSION_ORDER",
                "BORINGSSL_CURLIUM_RECORD_SIZE_LIMIT",
                "BORINGSSL_CURLIUM_DELEGATED_CREDENTIAL_SIGALGS",
                "BORINGSSL_CURLIUM_ADVERTISED_EXTRA_GROUPS",
                "BORINGSSL_CURLIUM_PSK_MODES_SWITCH"],
    "safari": ["BORINGSSL_CURLIUM_TLS13_CIPHER_ORDER",
               "BORINGSSL_CURLIUM_CIPHER_WIRE_LIST",
               "BORINGSSL_CURLIUM_SIGALGS_WIRE_LIST"],
}


# --- the check -------------------------------------------------------------

def plain(values):
    """Drops GREASE values (0x?a?a)."""
    return [v for v in values if not (isinstance(v, int) and
                                      (v & 0x0f0f) == 0x0a0a and
                                      (v >> 8) == (v & 0xff))]


def diff_target(rec, exp):
    got = {}
    got["ciphers"] = plain(rec["ciphers"])
    got["grease"] = bool(rec.get("grease_ciphers"))
    got["groups"] = plain(rec["groups"])
    got["key_share"] = plain([g for g, _ in rec["key_share"]])
    got["sigalgs"] = plain(rec["sigalgs"])
    got["versions"] = plain(rec["supported_versions"])
    exts = [e for e in plain(rec["extensions"]) if e != PADDING]
    got["alps"] = next((e for e in exts if e in (17513, 17613)), None)
    got["cert_compression"] = rec.get("cert_compression")
    got["extensions"] = sorted(exts)
    got["fixed_order"] = exts if exp["fixed_order"] else None
    got["ech"] = 65037 in exts
    got["settings"] = rec.get("h2_settings")
    got["window"] = rec.get("h2_window_update")
    stream = (rec.get("h2_streams") or [{}])[0]
    got["priority"] = stream.get("priority")
    hdrs = stream.get("headers") or []
    got["pseudo"] = "".join(n[1] for n, _ in hdrs if n.startswith(":"))
    got["headers"] = [(n, v) for n, v in hdrs if not n.startswith(":")]
    want = dict(exp, extensions=sorted(exp["extensions"]))
    want["headers"] = [tuple(x) for x in exp["headers"]]
    got["headers"] = [tuple(x) for x in got["headers"]]
    return [f"  {k}: got {got[k]!r}, want {want[k]!r}"
            for k in want if got.get(k) != want[k]]


def built_macros():
    prefix = tls.boringssl_prefix()
    hdr = prefix / "include" / "openssl" / "ssl.h" if prefix else None
    if not hdr or not hdr.exists():
        return ""
    return hdr.read_text(errors="replace")


def check_family(family, targets):
    text = built_macros()
    missing = [m for m in NEEDS[family] if f"#define {m} " not in text]
    if missing:
        raise h.SkipTest("needs BoringSSL patches: " + ", ".join(missing))
    h.require_tool("openssl")
    d = h.tempdir()
    ca, cert, key = tls.make_cert(d)
    srv = fpserver.FingerprintServer(str(cert), str(key))
    h.on_cleanup(srv.stop)
    exe = str(tls.client_binary())
    failures = []
    for name, exp in targets.items():
        seen = len(srv.records)
        url = f"https://fp.test:{srv.port}/page?q=1"
        cp = subprocess.run(
            [exe, "--resolve", f"fp.test:{srv.port}:127.0.0.1", "--cacert",
             str(ca), "--impersonate", name, url],
            capture_output=True, timeout=30,
            env=dict(os.environ, CURL_IMPERSONATE=""))
        if cp.returncode != 0:
            failures.append(f"{name}: client failed: "
                            f"{cp.stderr.decode(errors='replace')}")
            try:  # let a half-done connection land before the next one
                srv.wait_record(seen, timeout=2)
            except TimeoutError:
                pass
            continue
        rec = srv.wait_record(seen)
        if "error" in rec:
            failures.append(f"{name}: server: {rec['error']}")
            continue
        diffs = diff_target(rec, exp)
        if diffs:
            failures.append(f"{name}:\n" + "\n".join(diffs))
    assert not failures, "\n".join(failures)


def test_chrome_and_edge_targets():
    check_family("chrome", CHROME)


def test_firefox_and_tor_targets():
    check_family("firefox", FIREFOX)


def test_safari_targets():
    check_family("safari", SAFARI)


def test_hello_retry_request_to_a_classic_group():
    """A server that takes none of the offered key shares (only P-256 here:
    the post-quantum and X25519 shares are refused) answers with a
    HelloRetryRequest; like the browsers, the client sends a second
    ClientHello with a P-256 share and the request goes through."""
    h.require_tool("openssl")
    d = h.tempdir()
    ca, cert, key = tls.make_cert(d)
    srv = fpserver.FingerprintServer(str(cert), str(key))
    srv.ctx.set_ecdh_curve("prime256v1")
    h.on_cleanup(srv.stop)
    exe = str(tls.client_binary())
    for name in ("chrome", "chrome124", "safari2601", "edge99"):
        seen = len(srv.records)
        cp = subprocess.run(
            [exe, "--resolve", f"fp.test:{srv.port}:127.0.0.1", "--cacert",
             str(ca), "--impersonate", name,
             f"https://fp.test:{srv.port}/"], capture_output=True,
            timeout=30, env=dict(os.environ, CURL_IMPERSONATE=""))
        assert cp.returncode == 0, (name, cp.stderr.decode(errors="replace"))
        rec = srv.wait_record(seen)
        assert "error" not in rec, (name, rec["error"])
        # The first hello offered no P-256 share: the server had to retry.
        assert 23 not in [g for g, _ in rec["key_share"]], (name, rec)
