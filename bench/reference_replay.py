#!/usr/bin/env python3
"""Reference for bench:replay: the least any replay indexer does, in Python's C-backed json.

usage: reference_replay.py BUNDLE RUN_AGENT_ID
Inflates every chunk of the run agent's replay folder (zipfile, native zlib) and parses
every line with json.loads, keeping sequence, type, time, case and tokens in compact
arrays. No steps, no names, no offsets: a floor, not a viewer. Prints events and seconds.
"""
import array, json, sys, time, zipfile

start = time.perf_counter()
bundle, agent = sys.argv[1], sys.argv[2]
seq, toks, types, cases = array.array("q"), array.array("q"), {}, {}
type_ids, case_ids = array.array("H"), array.array("I")
with zipfile.ZipFile(bundle) as z:
    names = sorted(n for n in z.namelist() if f"/data/replays/{agent}/" in n and n.endswith(".jsonl"))
    for name in names:
        with z.open(name) as fh:
            for line in fh:
                if not line.strip():
                    continue
                e = json.loads(line)
                p = e.get("payload") or {}
                seq.append(e["sequence_number"])
                type_ids.append(types.setdefault(e["event_type"], len(types)))
                case_ids.append(cases.setdefault(p.get("case_key"), len(cases)))
                u = p.get("usage") or {}
                toks.append(u.get("input_tokens") or 0)
print(json.dumps({"events": len(seq), "seconds": time.perf_counter() - start}))
