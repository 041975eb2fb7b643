#!/usr/bin/env python3
"""`passerelle suggest-suppliers` on a database holding the demo data and the Croix DECP file.

Checks the output contract (a JSON array of {siret, name, score, reasons}, best first, at most --limit),
that --as-of hides every contract notified on or after that day (checked against the DECP file itself),
that the buyer's own past suppliers come first, and that bad input is refused with a message and exit 1.
Usage: suggest_suppliers.py PASSERELLE DB DECP_CROIX_JSON
"""
import json
import subprocess
import sys

binary, db, croix = sys.argv[1:4]
BUYER = "21590163800019"
AS_OF = "2020-06-01"


def run(*args):
    return subprocess.run([binary, "suggest-suppliers", "--db", "sqlite:" + db, "--log-level", "warn", *args],
                          capture_output=True, text=True)


records = json.load(open(croix, encoding="utf-8"))["marches"]
before = {}  # supplier SIRET -> CPV divisions of its Croix contracts notified before AS_OF
for r in records:
    day = (r.get("dateNotification") or "")[:10]
    if day and day < AS_OF:
        for t in r.get("titulaires", []):
            before.setdefault(t["id"], set()).add((r.get("codeCPV") or "")[:2])

p = run("--cpv", "45000000", "--departement", "59", "--buyer", BUYER, "--as-of", AS_OF, "--limit", "5", "--json")
assert p.returncode == 0, p.stderr
out = json.loads(p.stdout)
assert isinstance(out, list) and 0 < len(out) <= 5, out
for s in out:
    assert list(s.keys()) == ["siret", "name", "score", "reasons"], s.keys()
    assert isinstance(s["score"], float) and s["reasons"] and all(isinstance(x, str) for x in s["reasons"]), s
scores = [s["score"] for s in out]
assert scores == sorted(scores, reverse=True), scores
# The first ones are the buyer's own suppliers of works (CPV 45) before that day.
assert "45" in before.get(out[0]["siret"], set()), out[0]
assert any("de cet acheteur" in r for r in out[0]["reasons"]), out[0]
# Every suggestion either won before AS_OF or declared the skill on its profile: nothing from later.
for s in out:
    assert s["siret"] in before or any(r.startswith("a déclaré") for r in s["reasons"]), s

# The same query before the first contract: no history, only declared skills.
p = run("--cpv", "45000000", "--buyer", BUYER, "--as-of", "2019-01-01")
assert p.returncode == 0, p.stderr
assert all(any(r.startswith("a déclaré") for r in s["reasons"]) for s in json.loads(p.stdout))

for bad, field in ((["--cpv", "4500000"], "cpv"), (["--cpv", "99000000"], "cpv"),
                   (["--cpv", "45000000", "--as-of", "2020-02-30"], "as_of"),
                   (["--cpv", "45000000", "--departement", "999"], "departement"),
                   (["--cpv", "45000000", "--buyer", "12AB"], "buyer")):
    p = run(*bad)
    assert p.returncode == 1 and field + ":" in p.stderr and not p.stdout.strip(), (bad, p.returncode, p.stderr)
print("suggest-suppliers: ok")
