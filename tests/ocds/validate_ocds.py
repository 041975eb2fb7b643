#!/usr/bin/python3
"""Validates an OCDS release package against the OCDS 1.1.5 schemas of ../shared/data/ocds.

usage: validate_ocds.py PACKAGE.json SCHEMA_DIR [MIN_RELEASES]

Every release is checked against release-schema.json (JSON Schema draft 4, with the closed code lists as
enums); the envelope against release-package-schema.json (its reference to the release schema is resolved
locally); date-time fields against RFC 3339; release ids are unique. Exits 1 with the first errors.
"""
import json
import re
import sys

import jsonschema

package_path, schema_dir = sys.argv[1], sys.argv[2]
min_releases = int(sys.argv[3]) if len(sys.argv) > 3 else 1

with open(f"{schema_dir}/release-schema.json", encoding="utf-8") as f:
    release_schema = json.load(f)
with open(f"{schema_dir}/release-package-schema.json", encoding="utf-8") as f:
    package_schema = json.load(f)
with open(package_path, encoding="utf-8") as f:
    package = json.load(f)

errors = []
envelope = dict(package)
releases = envelope.pop("releases", None)
envelope["releases"] = []
package_schema = json.loads(json.dumps(package_schema))
package_schema["properties"]["releases"] = {"type": "array"}  # releases are checked one by one below
for e in jsonschema.Draft4Validator(package_schema).iter_errors(envelope):
    errors.append(f"package: {e.message} at {list(e.path)}")
if not isinstance(releases, list) or len(releases) < min_releases:
    errors.append(f"expected at least {min_releases} releases, got {len(releases or [])}")

validator = jsonschema.Draft4Validator(release_schema)
rfc3339 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")
date_keys = {"date", "publishedDate", "startDate", "endDate", "dateSigned", "maxExtentDate"}


def check_dates(node, where):
    if isinstance(node, dict):
        for k, v in node.items():
            if k in date_keys and isinstance(v, str) and not rfc3339.match(v):
                errors.append(f"{where}.{k}: not an RFC 3339 date-time: {v!r}")
            check_dates(v, f"{where}.{k}")
    elif isinstance(node, list):
        for i, v in enumerate(node):
            check_dates(v, f"{where}[{i}]")


seen = set()
kinds = {}
for i, r in enumerate(releases or []):
    for e in validator.iter_errors(r):
        errors.append(f"release {i} ({r.get('ocid')}): {e.message} at {list(e.path)}")
    check_dates(r, f"release {i}")
    key = (r.get("ocid"), r.get("id"))
    if key in seen:
        errors.append(f"release {i}: duplicate id {key}")
    seen.add(key)
    for t in r.get("tag", []):
        kinds[t] = kinds.get(t, 0) + 1
    if len(errors) > 20:
        break
check_dates({k: v for k, v in package.items() if k != "releases"}, "package")

if errors:
    print("\n".join(errors[:20]))
    sys.exit(1)
print(f"{len(releases)} releases valid against OCDS 1.1.5; tags: {kinds}")
