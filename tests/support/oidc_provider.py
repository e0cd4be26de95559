#!/usr/bin/python3
"""oidc_provider.py: a small OpenID Connect provider for the HTTP tests (tests/http/oidc_test.c)

Serves on a free loopback port what ahphub needs of Microsoft Entra ID: discovery, a JWKS,
/authorize (approves at once: back to redirect_uri with a code and the state, keeping the
nonce and the PKCE challenge), and /token (checks the code, client id and secret, redirect
URI and the PKCE code verifier against the challenge, then returns an ID token).

GET /control?… sets how the next sign-ins go, so a test can ask for a bad token:
  sub, email, email_verified (1/0/absent), name, preferred_username  the person
  mode  good | unknown_key | wrong_issuer | wrong_audience | wrong_nonce | expired |
        alg_none | hs256 | flip_sig | deny (error=access_denied) | token_400 (code refused)
  rotate=1  publish a second key and sign with it from now on
GET /stats answers {"jwks_fetches": n, "token_calls": n}.

Usage: oidc_provider.py --port-file FILE --client-id ID --client-secret SECRET
The port is written to FILE once the server listens; the process ends when its parent does.
Run with /usr/bin/python3 (Debian's python3-cryptography).
"""
import argparse
import base64
import hashlib
import hmac
import json
import os
import secrets
import sys
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa


def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def int_b64(n):
    return b64url(n.to_bytes((n.bit_length() + 7) // 8, "big"))


class Key:
    def __init__(self, kid):
        self.kid = kid
        self.private = rsa.generate_private_key(public_exponent=65537, key_size=2048)

    def jwk(self):
        pub = self.private.public_key().public_numbers()
        return {"kty": "RSA", "use": "sig", "alg": "RS256", "kid": self.kid,
                "n": int_b64(pub.n), "e": int_b64(pub.e)}

    def sign(self, data):
        return self.private.sign(data, padding.PKCS1v15(), hashes.SHA256())


class Provider:
    def __init__(self, client_id, client_secret):
        self.client_id = client_id
        self.client_secret = client_secret
        self.issuer = None
        self.keys = [Key("key-1"), Key("key-2")]
        self.stranger = Key("key-unknown")  # never published
        self.published = 1  # how many of self.keys the JWKS shows
        self.signing = self.keys[0]
        self.codes = {}
        self.user = {"sub": "subject-1", "email": "person@example.test"}
        self.mode = "good"
        self.jwks_fetches = 0
        self.token_calls = 0
        self.lock = threading.Lock()

    def id_token(self, nonce):
        now = int(time.time())
        claims = {"iss": self.issuer, "aud": self.client_id, "iat": now, "nbf": now,
                  "exp": now + 3600, "nonce": nonce}
        claims.update(self.user)
        key, alg = self.signing, "RS256"
        if self.mode == "unknown_key":
            key = self.stranger
        elif self.mode == "wrong_issuer":
            claims["iss"] = self.issuer + "/other"
        elif self.mode == "wrong_audience":
            claims["aud"] = "another-client"
        elif self.mode == "wrong_nonce":
            claims["nonce"] = "not-the-nonce"
        elif self.mode == "expired":
            claims["iat"] = claims["nbf"] = now - 7200
            claims["exp"] = now - 3600
        elif self.mode == "alg_none":
            alg = "none"
        elif self.mode == "hs256":
            alg = "HS256"
        header = {"alg": alg, "typ": "JWT", "kid": key.kid}
        signing_input = (b64url(json.dumps(header).encode()) + "." +
                         b64url(json.dumps(claims).encode())).encode()
        if alg == "none":
            sig = b""
        elif alg == "HS256":
            sig = hmac.new(self.client_secret.encode(), signing_input, hashlib.sha256).digest()
        else:
            sig = key.sign(signing_input)
        if self.mode == "flip_sig":
            sig = bytes([sig[0] ^ 1]) + sig[1:]
        return signing_input.decode() + "." + b64url(sig)


class Handler(BaseHTTPRequestHandler):
    server_version = "test-oidc"

    def log_message(self, fmt, *args):  # quiet: the test's output is the report
        pass

    def send_json(self, status, obj):
        body = json.dumps(obj).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def redirect(self, url):
        self.send_response(302)
        self.send_header("Location", url)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def do_GET(self):
        p = self.server.provider
        url = urllib.parse.urlsplit(self.path)
        q = dict(urllib.parse.parse_qsl(url.query, keep_blank_values=True))
        with p.lock:
            if url.path == "/.well-known/openid-configuration":
                self.send_json(200, {
                    "issuer": p.issuer,
                    "authorization_endpoint": p.issuer + "/authorize",
                    "token_endpoint": p.issuer + "/token",
                    "jwks_uri": p.issuer + "/keys",
                    "response_types_supported": ["code"],
                    "subject_types_supported": ["pairwise"],
                    "id_token_signing_alg_values_supported": ["RS256"],
                    "code_challenge_methods_supported": ["S256"],
                })
            elif url.path == "/keys":
                p.jwks_fetches += 1
                self.send_json(200, {"keys": [k.jwk() for k in p.keys[:p.published]]})
            elif url.path == "/authorize":
                self.authorize(p, q)
            elif url.path == "/control":
                self.control(p, q)
            elif url.path == "/stats":
                self.send_json(200, {"jwks_fetches": p.jwks_fetches,
                                     "token_calls": p.token_calls})
            else:
                self.send_json(404, {"error": "not_found"})

    def authorize(self, p, q):
        need = ("response_type", "client_id", "redirect_uri", "scope", "state", "nonce",
                "code_challenge", "code_challenge_method")
        missing = [n for n in need if not q.get(n)]
        if (missing or q["response_type"] != "code" or q["client_id"] != p.client_id or
                q["code_challenge_method"] != "S256" or
                "openid" not in q["scope"].split()):
            self.send_json(400, {"error": "invalid_request", "missing": missing})
            return
        back = q["redirect_uri"]
        sep = "&" if "?" in back else "?"
        if p.mode == "deny":
            self.redirect(back + sep + urllib.parse.urlencode(
                {"error": "access_denied", "state": q["state"]}))
            return
        code = secrets.token_urlsafe(32)
        p.codes[code] = {"nonce": q["nonce"], "challenge": q["code_challenge"],
                         "redirect_uri": back}
        self.redirect(back + sep + urllib.parse.urlencode({"code": code, "state": q["state"]}))

    def control(self, p, q):
        if "mode" in q:
            p.mode = q["mode"]
        if "sub" in q:
            p.user = {"sub": q["sub"]}
            for name in ("email", "name", "preferred_username"):
                if q.get(name):
                    p.user[name] = q[name]
            if q.get("email_verified") in ("0", "1"):
                p.user["email_verified"] = q["email_verified"] == "1"
        if q.get("rotate") == "1":
            p.published = 2
            p.signing = p.keys[1]
        self.send_json(200, {"mode": p.mode, "user": p.user})

    def do_POST(self):
        p = self.server.provider
        if urllib.parse.urlsplit(self.path).path != "/token":
            self.send_json(404, {"error": "not_found"})
            return
        n = int(self.headers.get("Content-Length") or 0)
        form = dict(urllib.parse.parse_qsl(self.rfile.read(n).decode(), keep_blank_values=True))
        with p.lock:
            p.token_calls += 1
            rec = p.codes.pop(form.get("code", ""), None)  # a code is used once
            verifier = form.get("code_verifier", "")
            challenge = b64url(hashlib.sha256(verifier.encode()).digest())
            if form.get("client_id") != p.client_id or not hmac.compare_digest(
                    form.get("client_secret", ""), p.client_secret):
                self.send_json(401, {"error": "invalid_client"})
            elif (p.mode == "token_400" or form.get("grant_type") != "authorization_code" or
                  rec is None or rec["redirect_uri"] != form.get("redirect_uri") or
                  not hmac.compare_digest(challenge, rec["challenge"])):
                self.send_json(400, {"error": "invalid_grant"})
            else:
                self.send_json(200, {"token_type": "Bearer", "expires_in": 3600,
                                     "access_token": secrets.token_urlsafe(32),
                                     "id_token": p.id_token(rec["nonce"])})


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port-file", required=True)
    ap.add_argument("--client-id", required=True)
    ap.add_argument("--client-secret", required=True)
    args = ap.parse_args()
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    server.provider = Provider(args.client_id, args.client_secret)
    server.provider.issuer = "http://127.0.0.1:%d" % server.server_address[1]
    parent = os.getppid()

    def watch_parent():
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(0)

    threading.Thread(target=watch_parent, daemon=True).start()
    tmp = args.port_file + ".tmp"
    with open(tmp, "w") as f:
        f.write("%d\n" % server.server_address[1])
    os.rename(tmp, args.port_file)
    server.serve_forever()


if __name__ == "__main__":
    sys.exit(main())
