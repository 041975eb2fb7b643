#!/usr/bin/env python3
"""Figures of issue 21 about the page handlers of src/web: lines, handlers longer than 30 lines, and handlers
that still check login, CSRF or roles themselves.

usage: python3 scripts/handler_stats.py [SRC_WEB_DIR]
"""
import pathlib
import re
import sys

root = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else "src/web")
start = re.compile(r"^(?:http::)?Response Site::(\w+)\(Ctx& ctx\) \{")
checks = {
    "login": re.compile(r"if \(!ctx\.user\)|login_redirect\(ctx\)"),
    "csrf": re.compile(r"csrf_ok\("),
    "role": re.compile(r"has_role\(|Action::kAdminister\b|if \(!(?:[^;]*\|\| )?!?core::allowed\(ctx\.actor"),
}
lines = 0
handlers = []
for path in sorted(root.glob("*.cpp")):
    text = path.read_text().split("\n")
    lines += len(text)
    i = 0
    while i < len(text):
        m = start.match(text[i])
        if not m:
            i += 1
            continue
        j = i + 1
        while j < len(text) and text[j] != "}":
            j += 1
        body = "\n".join(text[i + 1 : j])
        handlers.append((path.name, m.group(1), j - i + 1, {k: bool(r.search(body)) for k, r in checks.items()}))
        i = j + 1
print(f"lines in {root}/*.cpp: {lines}")
print(f"page handlers: {len(handlers)}, longer than 30 lines: {sum(1 for h in handlers if h[2] > 30)}")
for k in checks:
    print(f"handlers checking {k} themselves: {sum(1 for h in handlers if h[3][k])}")
print(f"handlers checking any of them: {sum(1 for h in handlers if any(h[3].values()))}")
