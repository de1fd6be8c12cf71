#!/usr/bin/env python3
"""Writes a valid EVB/1 bundle for the benchmarks, streaming, so memory stays small.

usage: make_bundle.py OUT KIND
  KIND large  : 10 x 50 MiB JSONL (compressible) + 10 x 50 MiB random (about 1 GiB payload)
  KIND many   : 10,000 files of 20 KiB
  KIND zip64  : 5 x 1 GiB random, stored (over 4 GiB, ZIP64 records)
  KIND replay : a candidate replay of 1,000,000 events in 200 chunks of 5,000,
                2,000 cases of 500 events, and a baseline replay of 10,000 events
  KIND replay200k : the same with 200,000 candidate events in 40 chunks
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


REPLAY_EVENTS = 200_000 if kind == "replay200k" else 1_000_000
CHUNK = 5000
CASE_EVENTS = 500


def replay_packet():
    p = packet()
    p["agents"][0]["replay"] = "data/replays/ra-candidate/"
    p["agents"][1]["replay"] = "data/replays/ra-baseline.jsonl"
    p["pricing"] = {"anthropic/claude-sonnet-4": {"input_per_mtok_usd": 3, "output_per_mtok_usd": 15}}
    return p


def replay_events(role, count):
    """A run agent's events: per case an agent step of model calls and tool calls (one blocked by policy now and then)."""
    rng = random.Random(7 if role == "candidate" else 8)
    seq = 0
    t = 1_793_000_000_000
    def ev(kind, payload):
        nonlocal seq, t
        seq += 1; t += rng.randint(5, 900)
        return json.dumps({"event_id": f"persisted:ra-{role}:{seq}", "schema_version": "2026-03-15", "run_id": f"run-{role}", "run_agent_id": f"ra-{role}",
                           "sequence_number": seq, "event_type": kind, "source": "native_engine",
                           "occurred_at": "%s.%03dZ" % (__import__("datetime").datetime.utcfromtimestamp(t // 1000).strftime("%Y-%m-%dT%H:%M:%S"), t % 1000),
                           "payload": payload, "summary": {}})
    n = 0
    while seq < count:
        case = f"case-{n:05d}"; n += 1
        yield ev("system.step.started", {"case_key": case, "step_index": n, "title": f"Ticket {n}"})
        while seq < min(count, n * CASE_EVENTS) - 8:
            yield ev("model.call.started", {"case_key": case, "provider_key": "anthropic", "provider_model_id": "claude-sonnet-4"})
            yield ev("model.call.completed", {"case_key": case, "provider_key": "anthropic", "provider_model_id": "claude-sonnet-4", "output_text": "Checking order %d for the customer; next I will look up the shipment." % rng.randint(1, 99999),
                                               "usage": {"input_tokens": rng.randint(800, 2400), "output_tokens": rng.randint(40, 400)}})
            tool = rng.choice(["lookup_order", "search_kb", "http_request", "issue_refund"])
            yield ev("tool.call.started", {"case_key": case, "tool_name": tool, "arguments": {"id": rng.randint(1, 99999)}})
            if tool == "http_request" and rng.random() < 0.01:
                yield ev("tool.call.failed", {"case_key": case, "tool_name": tool, "failure_origin": "policy", "result": {"content": "blocked: host not in the network allowlist", "is_error": True}})
            else:
                yield ev("tool.call.completed", {"case_key": case, "tool_name": tool, "result": {"content": '{"ok":true,"status":"in_transit","n":%d}' % rng.randint(1, 99999), "is_error": False}})
        if seq < count:
            yield ev("system.step.completed", {"case_key": case, "step_index": n, "status": "completed"})


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
    the_packet = replay_packet() if kind.startswith("replay") else packet()
    yield "data/packet.json", lambda fh: fh.write(json.dumps(the_packet, indent=2).encode())
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
    elif kind == "medium":  # the E2E suite's progress and cancel bundle (test/e2e/verify-progress.e2e.test.ts)
        for n in range(4):
            def jsonl(fh, n=n):
                r = random.Random(n); seq = 0; size = 0
                while size < 32 * MiB:
                    b, seq = jsonl_chunk(r, seq); b = b[: 32 * MiB - size]; fh.write(b); size += len(b)
            yield f"data/replays/chunk-{n:02d}.jsonl", jsonl
        for n in range(4):
            def rnd(fh, n=n):
                r = random.Random(1000 + n)
                for _ in range(32):
                    fh.write(r.randbytes(MiB))
            yield f"data/artifacts/blob-{n:02d}.bin", rnd
    elif kind == "many":
        for n in range(10000):
            def small(fh, n=n):
                r = random.Random(n)
                fh.write((("line %d of file %d: %s\n" % (0, n, r.randbytes(24).hex())) * 300).encode()[: 10 * 1024] + r.randbytes(10 * 1024))
            yield f"data/artifacts/{n // 100:03d}/file-{n:05d}.txt", small
    elif kind.startswith("replay"):
        events = replay_events("candidate", REPLAY_EVENTS)
        for c in range(REPLAY_EVENTS // CHUNK):
            def chunk(fh, c=c):
                fh.write(("\n".join(next(events) for _ in range(CHUNK)) + "\n").encode())
            yield f"data/replays/ra-candidate/{c * CHUNK + 1:010d}.jsonl", chunk
        yield "data/replays/ra-baseline.jsonl", lambda fh: fh.write(("\n".join(replay_events("baseline", 10_000)) + "\n").encode())
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
