#!/usr/bin/env python3
"""Deterministic generator of realistic tediag benchmark inputs.

  bench/generate.py ndjson  SIZE_MB OUT   `log show --style ndjson`-shaped system log
  bench/generate.py default SIZE_MB OUT   the same events in the default text style
  bench/generate.py ips     COUNT   DIR   a folder of .ips crash reports

The log has the real key set (escaped slashes, multi-byte UTF-8, ~60 processes and subsystems,
varied message lengths) and a small fraction (--rate, default 0.5 %) of trusted-execution events
of every class, in the message shapes tediag's rules are written for. Same seed, same bytes.
"""
import argparse
import json
import os
import random
import zlib

PROCESSES = [
    ("/usr/libexec/runningboardd", "com.apple.runningboard", "process"),
    ("/usr/sbin/bluetoothd", "com.apple.bluetooth", "Server.Core"),
    ("/usr/libexec/locationd", "com.apple.locationd.Core", "Client"),
    ("/System/Library/CoreServices/launchservicesd", "com.apple.launchservices", "cas"),
    ("/usr/libexec/trustd", "com.apple.securityd", "ocsp"),
    ("/usr/sbin/mDNSResponder", "com.apple.mDNSResponder", "Default"),
    ("/System/Library/PrivateFrameworks/CloudKitDaemon.framework/Support/cloudd", "com.apple.cloudkit", "OP"),
    ("/usr/libexec/sharingd", "com.apple.sharing", "Bluetooth"),
    ("/usr/libexec/symptomsd", "com.apple.symptomsd", "netepochs"),
    ("/System/Library/CoreServices/Finder.app/Contents/MacOS/Finder", "com.apple.finder", "Default"),
    ("/Applications/Safari.app/Contents/MacOS/Safari", "com.apple.Safari", "Tabs"),
    ("/System/Library/Frameworks/WebKit.framework/Versions/A/XPCServices/com.apple.WebKit.WebContent.xpc/Contents/MacOS/com.apple.WebKit.WebContent", "com.apple.WebKit", "Loading"),
    ("/usr/libexec/rapportd", "com.apple.rapport", "CLinkDaemon"),
    ("/usr/sbin/cfprefsd", "com.apple.defaults", "User Defaults"),
    ("/usr/libexec/nsurlsessiond", "com.apple.nsurlsessiond", "background"),
    ("/System/Library/CoreServices/Dock.app/Contents/MacOS/Dock", "com.apple.dock", "Default"),
    ("/usr/libexec/powerd", "com.apple.powerd", "assertions"),
    ("/System/Library/CoreServices/ControlCenter.app/Contents/MacOS/ControlCenter", "com.apple.controlcenter", "Default"),
    ("/usr/libexec/biomed", "com.apple.biome", "Stream"),
    ("/kernel", "", ""),
    ("/usr/libexec/lsd", "com.apple.launchservices", "db"),
    ("/System/Library/PrivateFrameworks/SkyLight.framework/Resources/WindowServer", "com.apple.SkyLight", "default"),
    ("/usr/libexec/coreduetd", "com.apple.coreduet", "knowledge"),
    ("/usr/sbin/spindump", "com.apple.spindump", "default"),
    ("/usr/libexec/airportd", "com.apple.WiFiManager", "default"),
    ("/System/Library/CoreServices/NotificationCenter.app/Contents/MacOS/NotificationCenter", "com.apple.notificationcenter", "ui"),
    ("/usr/libexec/mobileassetd", "com.apple.MobileAsset", "daemon"),
    ("/Applications/Slack.app/Contents/MacOS/Slack", "", ""),
    ("/Applications/Visual Studio Code.app/Contents/MacOS/Electron", "", ""),
    ("/usr/libexec/remindd", "com.apple.remindd", "sync"),
]
# Pad to ~60 processes and subsystems with plausible names.
for n in range(30):
    PROCESSES.append((f"/usr/libexec/daemon{n:02d}d", f"com.apple.daemon{n:02d}", ["default", "io", "state", "net"][n % 4]))

SENDERS = ["/usr/lib/system/libsystem_trace.dylib", "/System/Library/Frameworks/Foundation.framework/Versions/C/Foundation",
           "/System/Library/Frameworks/CoreFoundation.framework/Versions/A/CoreFoundation",
           "/System/Library/Frameworks/Security.framework/Versions/A/Security"]
WORDS = ("state changed connection established request completed for client session cache entry lookup "
         "timer fired resource updated policy evaluated token refreshed Überprüfung réseau 网络 连接 "
         "assertion released interface up down handle xpc message received notification posted").split()

# One event per class, in shapes the rules are written for: (process path, sender, subsystem, message).
TE_EVENTS = [
    ("/kernel", "/System/Library/Extensions/AppleSystemPolicy.kext/Contents/MacOS/AppleSystemPolicy", "",
     "ASP: Security policy would not allow process: 4242, /Applications/Foo.app/Contents/MacOS/Foo"),
    ("/kernel", "/kernel", "", "CODE SIGNING: cs_invalid_page(0x105048000): p=38578[Foo] final status 0x23000200, denying page sending SIGKILL"),
    ("/kernel", "/System/Library/Extensions/Sandbox.kext/Contents/MacOS/Sandbox", "",
     "Sandbox: Foo Helper(7649) deny(1) forbidden-sandbox-reinit"),
    ("/usr/libexec/tccd", "/System/Library/PrivateFrameworks/TCC.framework/Versions/A/TCC", "com.apple.TCC",
     "Prompting policy for hardened runtime; service: kTCCServiceAppleEvents requires entitlement com.apple.security.automation.apple-events but it is missing for accessing={TCCDProcess: identifier=com.example.Foo, pid=4242}"),
    ("/usr/libexec/taskgated-helper", "/usr/libexec/taskgated-helper", "com.apple.ManagedClient",
     "com.example.Foo: Unsatisfied entitlements: keychain-access-groups"),
    ("/usr/libexec/amfid", "/usr/libexec/amfid", "",
     "Restricted entitlements not validated, bailing out. Error: Error Domain=AppleMobileFileIntegrityError Code=-413 \"No matching profile found\""),
    ("/kernel", "/System/Library/Extensions/AppleMobileFileIntegrity.kext/Contents/MacOS/AppleMobileFileIntegrity", "",
     "AMFI: Launch Constraint Violation (enforcing), error info: c[4]p[1]m[3]e[255]"),
    ("/Applications/Foo.app/Contents/MacOS/Foo", "/usr/lib/dyld", "",
     "Library not loaded: @rpath/Bar.framework/Bar Reason: tried: '/Applications/Foo.app/Contents/Frameworks/Bar.framework/Bar' (code signature in <4C4C4421-5555-3144-A1F6-E07CD7537C3E> '/Applications/Foo.app/Contents/Frameworks/Bar.framework/Versions/A/Bar' not valid for use in process: mapping process and mapped file (non-platform) have different Team IDs)"),
    ("/usr/libexec/tccd", "/System/Library/PrivateFrameworks/TCC.framework/Versions/A/TCC", "com.apple.TCC",
     "AccessRequestIndirect: Policy disallows prompt for com.example.Foo; access to kTCCServiceCamera denied"),
    ("/usr/libexec/syspolicyd", "/usr/libexec/syspolicyd", "com.apple.syspolicy.exec", "Attempting to move malware to trash"),
    ("/usr/libexec/syspolicyd", "/usr/libexec/syspolicyd", "com.apple.syspolicy.exec", "GK eval - was allowed: 0, show prompt: 1"),
]


def uuid(rng):
    return "%08X-%04X-%04X-%04X-%012X" % (rng.getrandbits(32), rng.getrandbits(16), rng.getrandbits(16),
                                          rng.getrandbits(16), rng.getrandbits(48))


def events(rng, rate):
    boot = uuid(rng)
    mach = 12868010147176
    second = 0
    while True:
        mach += rng.randint(1000, 900000)
        second += rng.random() * 0.002
        ts = "2026-11-%02d %02d:%02d:%09.6f+0100" % (20 + int(second // 86400) % 8, int(second // 3600) % 24,
                                                     int(second // 60) % 60, second % 60)
        if rng.random() < rate:
            path, sender, subsystem, message = TE_EVENTS[rng.randrange(len(TE_EVENTS))]
            category = "access" if subsystem == "com.apple.TCC" else ""
            mtype = "Default"
        else:
            path, subsystem, category = PROCESSES[rng.randrange(len(PROCESSES))]
            sender = SENDERS[rng.randrange(len(SENDERS))]
            length = int(rng.expovariate(1 / 12)) + 2
            message = " ".join(rng.choice(WORDS) for _ in range(length))
            if rng.random() < 0.2:
                message += " <private>"
            mtype = rng.choice(["Default", "Default", "Info", "Debug", "Error"])
        pid = 0 if path == "/kernel" else 100 + zlib.crc32(path.encode()) % 900
        yield {
            "traceID": rng.getrandbits(63), "eventMessage": message, "eventType": "logEvent",
            "source": None, "formatString": "%{public}s", "userID": 501, "activityIdentifier": 0,
            "subsystem": subsystem, "category": category, "threadID": rng.getrandbits(24),
            "senderImageUUID": boot, "backtrace": {"frames": [{"imageOffset": rng.getrandbits(20), "imageUUID": boot}]},
            "bootUUID": boot, "processImagePath": path, "senderImagePath": sender, "timestamp": ts,
            "machTimestamp": mach, "messageType": mtype, "processImageUUID": boot, "processID": pid,
            "senderProgramCounter": rng.getrandbits(20), "parentActivityIdentifier": 0, "timezoneName": "",
        }


def ndjson(event):
    # log escapes forward slashes; keep multi-byte characters as they are.
    return json.dumps(event, ensure_ascii=False, separators=(",", ":")).replace("/", "\\/")


def default_style(event):
    process = os.path.basename(event["processImagePath"])
    sender = os.path.basename(event["senderImagePath"])
    tail = f"({sender}) " if sender != process else ""
    if event["subsystem"]:
        tail += f"[{event['subsystem']}:{event['category']}] "
    return "%-31s %-10s %-11s %-20s %-6d %-4d %s: %s%s" % (
        event["timestamp"], hex(event["threadID"]), event["messageType"], "0x0", event["processID"], 0,
        process, tail, event["eventMessage"])


def write_log(style, size_mb, out, rate, seed):
    rng = random.Random(seed)
    target = size_mb * 1024 * 1024
    written = 0
    count = 0
    with open(out, "w", encoding="utf-8") as f:
        if style == "default":
            f.write("Timestamp                       Thread     Type        Activity             PID    TTL  \n")
        for event in events(rng, rate):
            line = (ndjson(event) if style == "ndjson" else default_style(event)) + "\n"
            f.write(line)
            written += len(line.encode("utf-8"))
            count += 1
            if written >= target:
                break
        if style == "ndjson":
            f.write('{"count":%d,"finished":1}\n' % count)


IPS_BODY = {
    "procName": None, "procPath": None, "pid": 0, "parentProc": "launchd", "cpuType": "ARM-64",
    "codeSigningID": None, "codeSigningTeamID": "ABCDE12345", "codeSigningFlags": 570450689,
    "codeSigningValidationCategory": 6, "osVersion": {"train": "macOS 15.6", "build": "24G84", "releaseType": "User"},
    "exception": None, "termination": None, "faultingThread": 0,
    "threads": [{"triggered": True, "frames": [{"imageOffset": 4096, "symbol": "main", "imageIndex": 0}]}],
    "usedImages": [{"name": None, "path": None}],
}


def write_ips(count, out, seed):
    rng = random.Random(seed)
    os.makedirs(out, exist_ok=True)
    kinds = [
        ({"type": "EXC_BAD_ACCESS", "signal": "SIGSEGV", "codes": "0x0000000000000001, 0x0000000000000010",
          "subtype": "KERN_INVALID_ADDRESS at 0x0000000000000010"},
         {"code": 11, "namespace": "SIGNAL", "indicator": "Segmentation fault: 11"}),
        ({"type": "EXC_CRASH", "signal": "SIGABRT"}, {"code": 6, "namespace": "SIGNAL", "indicator": "Abort trap: 6"}),
        ({"type": "EXC_CRASH", "signal": "SIGKILL (Code Signature Invalid)"},
         {"code": 1, "namespace": "CODESIGNING", "indicator": "Taskgated Invalid Signature"}),
    ]
    for n in range(count):
        name = f"App{n % 50}"
        exception, termination = kinds[0 if rng.random() < 0.7 else 1 if rng.random() < 0.7 else 2]
        header = {"app_name": name, "timestamp": "2026-11-27 10:00:00.00 +0100", "bug_type": "309",
                  "os_version": "macOS 15.6 (24G84)", "bundleID": f"com.example.{name}", "incident_id": uuid(rng),
                  "name": name}
        body = dict(IPS_BODY, procName=name, procPath=f"/Applications/{name}.app/Contents/MacOS/{name}",
                    pid=rng.randint(300, 90000), codeSigningID=f"com.example.{name}", exception=exception,
                    termination=termination,
                    usedImages=[{"name": name, "path": f"/Applications/{name}.app/Contents/MacOS/{name}"}])
        with open(os.path.join(out, f"{name}-2026-11-27-{n:06d}.ips"), "w") as f:
            f.write(json.dumps(header, separators=(",", ":")) + "\n" + json.dumps(body, indent=2) + "\n")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("kind", choices=["ndjson", "default", "ips"])
    parser.add_argument("size", type=int, help="megabytes of log, or number of crash reports")
    parser.add_argument("out")
    parser.add_argument("--rate", type=float, default=0.005, help="fraction of trusted-execution events")
    parser.add_argument("--seed", type=int, default=20261127)
    args = parser.parse_args()
    if args.kind == "ips":
        write_ips(args.size, args.out, args.seed)
    else:
        write_log(args.kind, args.size, args.out, args.rate, args.seed)


if __name__ == "__main__":
    main()
