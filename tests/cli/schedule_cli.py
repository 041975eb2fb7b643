#!/usr/bin/env python3
"""`passerelle schedule` from the outside: exit 2 with the first error on invalid instances, and schedules that
an independent checker (this file) finds valid, with the objective they claim, on the shared examples (one
of them gzip-compressed). Usage: schedule_cli.py PASSERELLE EXAMPLES_DIR WORK_DIR"""
import copy
import gzip
import json
import os
import subprocess
import sys

binary, examples, work = sys.argv[1:4]
os.makedirs(work, exist_ok=True)


def run(path, *extra):
    out = os.path.join(work, "out.json")
    if os.path.exists(out):
        os.remove(out)
    p = subprocess.run([binary, "schedule", "--instance", path, "--output", out, "--time-limit", "5", *extra],
                       capture_output=True, text=True)
    return p, (json.load(open(out)) if p.returncode == 0 else None)


def valid(inst, sched):
    T = inst["num_slots"]
    people = inst["participants"]
    reqs = inst["requests"]
    busy, deg, per_slot, seen, weight = set(), {}, {}, set(), 0
    for a in sched["assignments"]:
        r, t = a["request_id"], a["slot"]
        assert r not in seen and 0 <= r < len(reqs) and 0 <= t < T, a
        seen.add(r)
        q = reqs[r]
        for p in (q["from"], q["to"]):
            av = people[p]["avail"]
            assert av is None or t in av, (a, p)
            assert (p, t) not in busy, (a, p)
            busy.add((p, t))
            deg[p] = deg.get(p, 0) + 1
            assert people[p]["cap"] is None or deg[p] <= people[p]["cap"], (a, p)
        per_slot[t] = per_slot.get(t, 0) + 1
        assert inst["tables"] is None or per_slot[t] <= inst["tables"], a
        weight += q["weight"]
    assert weight == sched["objective"] <= sched["upper_bound"], (weight, sched["objective"], sched["upper_bound"])
    return weight


expected = {"adv1-weight-order": 4, "adv3-konig-path": 4, "openmap-2015": 226}
for name, best in expected.items():
    path = os.path.join(examples, name + ".json")
    inst = json.load(open(path))
    if name == "openmap-2015":  # the same instance, gzip-compressed
        gz = os.path.join(work, name + ".json.gz")
        with gzip.open(gz, "wt") as f:
            json.dump(inst, f)
        path = gz
    p, sched = run(path)
    assert p.returncode == 0, p.stderr
    assert valid(inst, sched) == best, (name, sched["objective"])
    assert sched["upper_bound"] == best and sched["instance"] == name

base = json.load(open(os.path.join(examples, "adv3-konig-path.json")))
broken = []
dup = copy.deepcopy(base); dup["requests"].append({"id": 4, "from": 0, "to": 2, "weight": 1}); broken.append((dup, "duplicate pair"))
unknown = copy.deepcopy(base); unknown["requests"][1]["to"] = 99; broken.append((unknown, "not a participant"))
slot = copy.deepcopy(base); slot["participants"][2]["avail"] = [0, 5]; broken.append((slot, "slot out of range"))
neg = copy.deepcopy(base); neg["requests"][0]["weight"] = -2; broken.append((neg, "weight"))
for inst, words in broken:
    path = os.path.join(work, "broken.json")
    json.dump(inst, open(path, "w"))
    p, _ = run(path)
    assert p.returncode == 2 and words in p.stderr, (words, p.returncode, p.stderr)
p, _ = run(os.path.join(work, "missing.json"))
assert p.returncode == 1, p.returncode
print("schedule: ok")
