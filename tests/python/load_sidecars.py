"""The yardstick of the agreement benchmark: finds every sidecar under a corpus folder and
json.loads it, nothing more (benches/agreement.rs times `hashiya agreement` against this)."""
import json
import os
import sys

count = 0
for folder, _, files in os.walk(sys.argv[1]):
    for name in files:
        if name.endswith(".hashiya.json"):
            with open(os.path.join(folder, name), encoding="utf-8") as f:
                json.load(f)
            count += 1
print(count, "sidecars")
