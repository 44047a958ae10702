#!/usr/bin/env python3
"""Writes a deterministic fleet file of N devices (bench input): the documented JSON shape, or the
documented CSV columns when the file name ends in .csv. Devices are written as they are made, so
a 1,000,000-device file needs no more memory than a small one."""
import csv
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
APPS = ["quicksupport", "host", "addon_universal", "addon_oem"]
CSV_COLUMNS = ["id", "name", "user_name", "user_email", "platform", "os_version", "manufacturer", "model",
               "kiosk", "mam_only", "online", "last_checkin", "host_activated"] + [
    f"{app}_{field}" for app in APPS for field in ("version", "managed", "allowlisted")]


def devices():
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
        yield {
            "id": f"dev-{i:06d}", "name": f"{f}'s {model} {i}",
            "user": {"name": f"{f} {l}", "email": f"{f.lower()}.{l.lower()}{i}@example.com"},
            "platform": platform, "os_version": os_version, "manufacturer": man, "model": model,
            "kiosk": model == "TC58", "mam_only": False, "online": rng.random() < 0.8,
            "last_checkin": "2026-11-20T10:00:00Z", "host_activated": rng.random() < 0.5, "apps": apps,
        }


def csv_row(d):
    flag = lambda b: "true" if b else "false"
    row = [d["id"], d["name"], d["user"]["name"], d["user"]["email"], d["platform"], d["os_version"],
           d["manufacturer"], d["model"], flag(d["kiosk"]), flag(d["mam_only"]), flag(d["online"]),
           d["last_checkin"], flag(d["host_activated"])]
    by_app = {a["app"].replace("-", "_"): a for a in d["apps"]}
    for app in APPS:
        a = by_app.get(app)
        row += [a["version"], flag(a["managed"]), flag(a["allowlisted"])] if a else ["", "", ""]
    return row


with open(out, "w", newline="") as fh:
    if out.lower().endswith(".csv"):
        writer = csv.writer(fh)
        writer.writerow(CSV_COLUMNS)
        for d in devices():
            writer.writerow(csv_row(d))
    else:
        fh.write('{"devices": [')
        for i, d in enumerate(devices()):
            if i:
                fh.write(", ")
            json.dump(d, fh)
        fh.write("]}")
