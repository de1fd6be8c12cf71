#!/usr/bin/env python3
"""Writes a valid EVB/1 bundle for the benchmarks, streaming, so memory stays small.

usage: make_bundle.py OUT KIND
  KIND large  : 10 x 50 MiB JSONL (compressible) + 10 x 50 MiB random (about 1 GiB payload)
  KIND many   : 10,000 files of 20 KiB
  KIND zip64  : 5 x 1 GiB random, stored (over 4 GiB, ZIP64 records)
This is a generator, not what is measured; Python's zipfile writes ZIP64 when needed.
"""
import hashlib, json, os, random, sys, zipfile

MiB = 1024 * 1024
out, kind = sys.argv[1], sys.argv[2]
bundle_id = f"bench-{kind}"


def packet():
    p = lambda role: {"label": f"{role} build", "agent_build_id": "ab", "build_version_id": f"bv-{role}", "deployment_id": f"dep-{role}",
                      "deployment_name": None, "snapshot_hash": None, "deployment_type": "native", "run_id": f"run-{role}", "run_agent_id": f"ra-{role}"}
    agent = lambda role: {"run_agent_id": f"ra-{role}", "role": role, "label": role, "evidence_tier": "native_structured", "tool_policy": None,
                          "network": None, "secrets": None, "ai_bom": None, "permissions": None, "routing": None, "scorecard": None, "replay": None}
    return {
        "schema": "https://exhibit.dev/evidence-bundle/v1/packet", "bundle_id": bundle_id, "title": f"Benchmark bundle ({kind})",
        "created_at": "2026-11-01T00:00:00Z", "producer": {"name": "bench", "version": None, "workspace_id": None},
        "candidate": p("candidate"), "baseline": {**p("baseline"), "selection": {"strategy": "locked_run", "max_age_days": None, "age_days": None}},
        "workload": {"challenge_pack": {"slug": "bench", "name": "Bench", "version_number": 1, "version_id": "v1", "manifest_sha256": None, "file": None},
                     "input_set": {"key": "k", "id": "i", "name": None, "input_sha256": None, "case_count": None}},
        "gate": {"policy": {}, "policy_sha256": None, "verdict": "pass", "reason_code": "ok", "summary": None, "triggered_conditions": [],
                 "dimension_results": {"correctness": {"state": "available", "better_direction": "higher", "baseline_value": 0.9, "candidate_value": 0.9,
                                                       "observed_delta": 0, "worsening_delta": 0, "warn_threshold": 0.02, "fail_threshold": 0.05, "outcome": "pass"}},
                 "auto_fail_conditions": []},
        "decision": {"recommendation": "ship", "deciding_metric": "correctness", "conditions": [], "rationale": None},
        "owners": {"release_owner": None, "rollback_owner": None, "approvers": []},
        "retention": {"policy": None, "replay_retention_days": None, "retain_until": None},
        "agents": [agent("candidate"), agent("baseline")], "cases": [], "pricing": None, "attachments": [],
    }


def jsonl_chunk(rng, seq):
    lines = []
    for i in range(2000):
        seq += 1
        lines.append(json.dumps({"event_id": f"persisted:ra-candidate:{seq}", "schema_version": "2026-03-15", "run_id": "run-candidate",
                                 "run_agent_id": "ra-candidate", "sequence_number": seq, "event_type": rng.choice(["model.call.completed", "tool.call.completed", "system.step.started"]),
                                 "source": "native_engine", "occurred_at": "2026-11-01T10:00:00Z",
                                 "payload": {"case_key": f"case-{seq % 97}", "output_text": "The customer asked about order %d; I checked the status and replied." % (seq * 7919 % 100000),
                                             "usage": {"input_tokens": seq % 3000, "output_tokens": seq % 400}}, "summary": {}}))
    return ("\n".join(lines) + "\n").encode(), seq


def payload_files(rng):
    """Yields (path, writer) where writer(fh) streams the content and returns nothing."""
    yield "data/packet.json", lambda fh: fh.write(json.dumps(packet(), indent=2).encode())
    if kind == "large":
        for n in range(10):
            def jsonl(fh, n=n):
                r = random.Random(n); seq = 0; size = 0
                while size < 50 * MiB:
                    b, seq = jsonl_chunk(r, seq); b = b[: 50 * MiB - size]; fh.write(b); size += len(b)
            yield f"data/replays/chunk-{n:02d}.jsonl", jsonl
        for n in range(10):
            def rnd(fh, n=n):
                r = random.Random(1000 + n)
                for _ in range(50):
                    fh.write(r.randbytes(MiB))
            yield f"data/artifacts/blob-{n:02d}.bin", rnd
    elif kind == "many":
        for n in range(10000):
            def small(fh, n=n):
                r = random.Random(n)
                fh.write((("line %d of file %d: %s\n" % (0, n, r.randbytes(24).hex())) * 300).encode()[: 10 * 1024] + r.randbytes(10 * 1024))
            yield f"data/artifacts/{n // 100:03d}/file-{n:05d}.txt", small
    elif kind == "zip64":
        for n in range(5):
            def big(fh, n=n):
                r = random.Random(5000 + n)
                for _ in range(1024):
                    fh.write(r.randbytes(MiB))
            yield f"data/artifacts/big-{n}.bin", big


class Hashing:
    def __init__(self, fh):
        self.fh, self.h, self.n = fh, hashlib.sha256(), 0
    def write(self, b):
        self.h.update(b); self.n += len(b); self.fh.write(b)


def main():
    rng = random.Random(42)
    manifest, octets, count = [], 0, 0
    tmp = out + ".tmp"
    with zipfile.ZipFile(tmp, "w", allowZip64=True) as z:
        for path, writer in payload_files(rng):
            method = zipfile.ZIP_STORED if kind == "zip64" or path.endswith(".bin") else zipfile.ZIP_DEFLATED
            info = zipfile.ZipInfo(f"{bundle_id}/{path}", date_time=(2026, 11, 1, 0, 0, 0))
            info.compress_type = method
            with z.open(info, "w", force_zip64=(kind == "zip64")) as fh:
                hw = Hashing(fh); writer(hw)
            manifest.append((path, hw.h.hexdigest())); octets += hw.n; count += 1
        tags = {}
        tags["bagit.txt"] = b"BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n"
        tags["bag-info.txt"] = (f"External-Identifier: {bundle_id}\nBagging-Date: 2026-11-01\nPayload-Oxum: {octets}.{count}\nBag-Software-Agent: exhibit bench\n").encode()
        tags["manifest-sha256.txt"] = "".join(f"{d}  {p}\n" for p, d in sorted(manifest)).encode()
        tags["tagmanifest-sha256.txt"] = "".join(f"{hashlib.sha256(tags[n]).hexdigest()}  {n}\n" for n in ["bag-info.txt", "bagit.txt", "manifest-sha256.txt"]).encode()
        for name, data in tags.items():
            info = zipfile.ZipInfo(f"{bundle_id}/{name}", date_time=(2026, 11, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, data)
    os.replace(tmp, out)


main()
