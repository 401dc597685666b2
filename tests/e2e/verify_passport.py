"""An independent check of a staffbank passport with Python's `cryptography` (not our code):
fetch the issuer's JWKS over HTTP from the URL the passport names, pick the key by `kid`, and
verify the Ed25519 signature of the compact JWS. Prints OK and exits 0, or says why and exits 1.

Usage: python3 verify_passport.py TOKEN
"""

import base64
import json
import sys
import urllib.request

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey


def b64url(s: str) -> bytes:
    return base64.urlsafe_b64decode(s + "=" * (-len(s) % 4))


def main() -> int:
    token = sys.argv[1].strip()
    header_b64, payload_b64, signature_b64 = token.split(".")
    header = json.loads(b64url(header_b64))
    payload = json.loads(b64url(payload_b64))
    if header.get("alg") != "EdDSA" or header.get("typ") != "vc+jwt":
        print(f"unexpected header {header}")
        return 1
    issuer = payload["issuer"]["id"] if isinstance(payload["issuer"], dict) else payload["issuer"]
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    with opener.open(issuer + "/jwks.json", timeout=10) as response:
        jwks = json.load(response)
    keys = [k for k in jwks["keys"] if k.get("kid") == header["kid"]]
    if not keys or keys[0].get("kty") != "OKP" or keys[0].get("crv") != "Ed25519":
        print(f"no Ed25519 key {header['kid']} in {issuer}/jwks.json")
        return 1
    public_key = Ed25519PublicKey.from_public_bytes(b64url(keys[0]["x"]))
    try:
        public_key.verify(b64url(signature_b64), f"{header_b64}.{payload_b64}".encode())
    except InvalidSignature:
        print("BAD SIGNATURE")
        return 1
    print("OK", payload["id"])
    return 0


if __name__ == "__main__":
    sys.exit(main())
