#!/usr/bin/env python3
"""Writes a deterministic fleet file of N devices in the documented JSON shape (bench input)."""
import json
import random
import sys

n = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
out = sys.argv[2] if len(sys.argv) > 2 else "fleet.json"
rng = random.Random(42)
first = ["Ana", "Bruno", "Carla", "Diego", "Eduarda", "Felipe", "Gabriela", "Heitor", "Isabela", "João", "Karina", "Lucas"]
last = ["Souza", "Oliveira", "Santos", "Lima", "Pereira", "Costa", "Almeida", "Ferreira"]
models = [("Samsung", "Galaxy S23", "android", "14"), ("Google", "Pixel 8", "android", "15"),
          ("Motorola", "moto g84", "android", "13"), ("Apple", "iPhone 15", "ios", "17.6.1"),
          ("Apple", "iPhone 5c", "ios", "10.3.3"), ("Zebra", "TC58", "android", "13")]
devices = []
for i in range(n):
    f, l = rng.choice(first), rng.choice(last)
    man, model, platform, os_version = rng.choice(models)
    apps = []
    if rng.random() < 0.85:
        apps.append({"app": "quicksupport", "version": "15.60.1", "managed": True, "allowlisted": True})
    if platform == "android" and rng.random() < 0.3:
        apps.append({"app": "host", "version": "15.58.3", "managed": True, "allowlisted": True})
    if platform == "android" and rng.random() < 0.5:
        apps.append({"app": "addon-universal", "version": "15.50.1", "managed": True, "allowlisted": True})
    devices.append({
        "id": f"dev-{i:06d}", "name": f"{f}'s {model} {i}",
        "user": {"name": f"{f} {l}", "email": f"{f.lower()}.{l.lower()}{i}@example.com"},
        "platform": platform, "os_version": os_version, "manufacturer": man, "model": model,
        "kiosk": model == "TC58", "mam_only": False, "online": rng.random() < 0.8,
        "last_checkin": "2026-11-20T10:00:00Z", "host_activated": rng.random() < 0.5, "apps": apps,
    })
with open(out, "w") as fh:
    json.dump({"devices": devices}, fh)
