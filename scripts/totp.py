#!/usr/bin/env python3
"""Prints the current TOTP code (RFC 6238: 6 digits, 30 s, HMAC-SHA1) of a base32 key.

For the demo accounts whose role requires two-factor authentication (their key is printed by `make run`), when no
authenticator application is at hand: python3 scripts/totp.py KEY [--offset STEPS]
"""
import base64
import hashlib
import hmac
import struct
import sys
import time


def code(key: str, at: float) -> str:
    key = key.replace(" ", "").upper()
    secret = base64.b32decode(key + "=" * (-len(key) % 8))
    digest = hmac.new(secret, struct.pack(">Q", int(at) // 30), hashlib.sha1).digest()
    offset = digest[-1] & 15
    value = (struct.unpack(">I", digest[offset:offset + 4])[0] & 0x7FFFFFFF) % 1_000_000
    return f"{value:06d}"


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    steps = int(sys.argv[3]) if len(sys.argv) > 3 and sys.argv[2] == "--offset" else 0
    print(code(sys.argv[1], time.time() + 30 * steps))
