#!/usr/bin/env python3
"""An independent checker of EVB/1 evidence bundles, written from the format's specification
(/work/shared/spec/evidence-bundle-v1.md, sections 1, 2, 3, 5, 6 and 7), not from Exhibit's
code: Python's zipfile, hashlib and the `cryptography` package (Debian: python3-cryptography).

    evb_check.py BUNDLE [--key PUB.pem ...] [--trust TRUST.json] [--at RFC3339]

prints one JSON object: {"status": ..., "findings": [...], "signatures": [...], "files": N}
and exits with the code of spec section 7 (0 verified; 3 untrusted-signer, unsigned,
key-expired; 1 key-revoked, tampered; 2 malformed; 64 usage).

What it checks: the zip (one end record, no bytes before or after, entries back to back,
local and central headers agreeing, methods, encryption, names, the Unicode Path extra,
the bundle-id folder), every entry inflated against its CRC-32 and size, the bag (bagit.txt,
bag-info.txt labels, every manifest complete and every digest, Payload-Oxum, tag files), the
bundle id, and each signature: the DSSE envelope, PAE, Ed25519 (libsodium's strict rules)
or ECDSA P-256 (DER or raw r||s), the in-toto statement (exactly one subject, named
tagmanifest-sha256.txt, with its SHA-256) and the trust store entry (roles before window).
What it does not: the packet's section 4.1 schema beyond "a JSON object", replays, and
keyless (certificate) Sigstore signatures, which it reports as not checkable.
"""
import base64
import binascii
import datetime
import hashlib
import json
import re
import struct
import sys
import unicodedata
import zipfile
import zlib

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature

EXIT = {'verified': 0, 'untrusted-signer': 3, 'unsigned': 3, 'key-expired': 3, 'key-revoked': 1, 'tampered': 1, 'malformed': 2}
ORDER = ['malformed', 'tampered', 'key-revoked', 'verified', 'key-expired', 'untrusted-signer', 'unsigned']
BUNDLE_ID = re.compile(r'[A-Za-z0-9][A-Za-z0-9._-]{0,127}')
IN_TOTO = 'application/vnd.in-toto+json'
STATEMENT_TYPE = 'https://in-toto.io/Statement/v1'
PREDICATE_TYPE = 'https://exhibit.dev/evidence-bundle/v1'
SIGSTORE_MEDIA = ('application/vnd.dev.sigstore.bundle+json;version=0.1', 'application/vnd.dev.sigstore.bundle+json;version=0.2',
                  'application/vnd.dev.sigstore.bundle+json;version=0.3', 'application/vnd.dev.sigstore.bundle.v0.3+json')
DEVICES = {'CON', 'PRN', 'AUX', 'NUL'} | {f'COM{i}' for i in range(1, 10)} | {f'LPT{i}' for i in range(1, 10)}


class Malformed(Exception):
    pass


class Report:
    def __init__(self):
        self.findings = []
        self.signatures = []
        self.files = 0

    def add(self, severity, where, message):
        self.findings.append({'severity': severity, 'entry': where, 'message': message})

    def has(self, severity):
        return any(f['severity'] == severity for f in self.findings)


# ---- Ed25519, strictly (spec 5: libsodium's rules) -------------------------------------

P = 2 ** 255 - 19
L = 2 ** 252 + 27742317777372353535851937790883648493
D = -121665 * pow(121666, -1, P) % P
SQRT_M1 = pow(2, (P - 1) // 4, P)


def ed_decode(b):
    """A canonical point encoding -> (x, y), or None."""
    y = int.from_bytes(b, 'little') & ((1 << 255) - 1)
    sign = b[31] >> 7
    if y >= P:
        return None
    x2 = (y * y - 1) * pow(D * y * y + 1, -1, P) % P
    x = pow(x2, (P + 3) // 8, P)
    if (x * x - x2) % P:
        x = x * SQRT_M1 % P
    if (x * x - x2) % P:
        return None
    if x == 0 and sign:
        return None
    if x & 1 != sign:
        x = P - x
    return x, y


def ed_add(a, b):
    (x1, y1), (x2, y2) = a, b
    t = D * x1 * x2 * y1 * y2 % P
    return ((x1 * y2 + x2 * y1) * pow(1 + t, -1, P) % P, (y1 * y2 + x1 * x2) * pow(1 - t, -1, P) % P)


def ed_strong_point(b):
    """Canonical, on the curve, and not of small order ([8]P is not the identity)."""
    pt = ed_decode(b)
    if pt is None:
        return False
    for _ in range(3):
        pt = ed_add(pt, pt)
    return pt != (0, 1)


def ed25519_verify(raw_key, message, sig):
    if len(raw_key) != 32 or len(sig) != 64:
        return False
    if not ed_strong_point(raw_key) or not ed_strong_point(sig[:32]) or int.from_bytes(sig[32:], 'little') >= L:
        return False
    try:
        ed25519.Ed25519PublicKey.from_public_bytes(raw_key).verify(sig, message)
        return True
    except InvalidSignature:
        return False


# ---- keys and trust (spec 5, 6) --------------------------------------------------------

class Key:
    def __init__(self, pem):
        self.obj = serialization.load_pem_public_key(pem.encode() if isinstance(pem, str) else pem)
        der = self.obj.public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
        self.keyid = base64.b64encode(hashlib.sha256(der).digest()).decode()
        if isinstance(self.obj, ed25519.Ed25519PublicKey):
            self.algorithm = 'ed25519'
        elif isinstance(self.obj, ec.EllipticCurvePublicKey) and self.obj.curve.name == 'secp256r1':
            self.algorithm = 'ecdsa-p256-sha256'
        else:
            raise ValueError('neither an Ed25519 nor a P-256 key')

    def verify(self, message, sig):
        if self.algorithm == 'ed25519':
            raw = self.obj.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
            return ed25519_verify(raw, message, sig)
        if len(sig) == 64:
            sig = encode_dss_signature(int.from_bytes(sig[:32], 'big'), int.from_bytes(sig[32:], 'big'))
        try:
            self.obj.verify(sig, message, ec.ECDSA(hashes.SHA256()))
            return True
        except (InvalidSignature, ValueError):
            return False


def parse_time(text):
    return datetime.datetime.fromisoformat(text.replace('Z', '+00:00'))


def trust_of(entry, role, at):
    """Spec 6: revoked, then the role, then the validity window."""
    if entry.get('revoked_at') and parse_time(entry['revoked_at']) <= at:
        return 'revoked-key'
    if entry.get('roles') and role not in entry['roles']:
        return 'role-not-allowed'
    if entry.get('valid_from') and at < parse_time(entry['valid_from']):
        return 'expired-key'
    if entry.get('valid_until') and at > parse_time(entry['valid_until']):
        return 'expired-key'
    return 'trusted'


# ---- the container (spec 1) ------------------------------------------------------------

def check_name(name, flags, raw):
    if not flags & 0x800 and any(c > 0x7f for c in raw):
        raise Malformed(f'{name!r}: non-ASCII name without the UTF-8 flag')
    if unicodedata.normalize('NFC', name) != name:
        raise Malformed(f'{name!r}: not in NFC')
    if name.startswith('/') or '\\' in name or re.match(r'^[A-Za-z]:', name):
        raise Malformed(f'{name!r}: not a relative /-separated name')
    if any(ord(c) < 0x20 or 0x7f <= ord(c) <= 0x9f for c in name):
        raise Malformed(f'{name!r}: control character')
    segments = name[:-1].split('/') if name.endswith('/') else name.split('/')
    for seg in segments:
        if seg in ('', '.', '..'):
            raise Malformed(f'{name!r}: empty, "." or ".." segment')
        if seg[-1] in '. ' or any(c in seg for c in ':*?"<>|') or seg.split('.')[0].upper() in DEVICES:
            raise Malformed(f'{name!r}: a name Windows would alias')


def extra_fields(blob):
    out, at = {}, 0
    while at < len(blob):
        if at + 4 > len(blob):
            raise Malformed('extra field chain does not add up')
        fid, size = struct.unpack('<HH', blob[at:at + 4])
        if at + 4 + size > len(blob) or fid in out:
            raise Malformed('extra field chain broken or repeated')
        out[fid] = blob[at + 4:at + 4 + size]
        at += 4 + size
    return out


def local_entry(data, info, cd_start):
    """Checks the local header against the central record; returns where the entry ends."""
    o = info.header_offset
    if data[o:o + 4] != b'PK\x03\x04':
        raise Malformed(f'{info.filename}: no local header where the directory points')
    _, ver, flags, method, _, _, crc, csize, usize, nlen, elen = struct.unpack('<IHHHHHIIIHH', data[o:o + 30])
    name = data[o + 30:o + 30 + nlen]
    extras = extra_fields(data[o + 30 + nlen:o + 30 + nlen + elen])
    if 0x7075 in extras or 0x7075 in extra_fields(info.extra):
        raise Malformed(f'{info.filename}: Unicode Path extra field (0x7075)')
    raw_name = info.orig_filename.encode('utf-8' if info.flag_bits & 0x800 else 'cp437')
    if name != raw_name or method != info.compress_type or (flags ^ info.flag_bits) & 0x0809:
        raise Malformed(f'{info.filename}: local header and central record disagree (name, method or flags)')
    if (ver & 0xff) > 45 or (info.extract_version & 0xff) > 45:
        raise Malformed(f'{info.filename}: version needed above 4.5')
    wide = 1 in extras
    if wide:
        z = extras[1]
        usize = struct.unpack('<Q', z[0:8])[0] if usize == 0xffffffff else usize
        csize = struct.unpack('<Q', z[8:16])[0] if csize == 0xffffffff else csize
    deferred = flags & 0x08
    for got, want in ((crc, info.CRC), (csize, info.compress_size), (usize, info.file_size)):
        if got != want and not (deferred and got == 0):
            raise Malformed(f'{info.filename}: local header and central record disagree (CRC-32 or sizes)')
    end = o + 30 + nlen + elen + info.compress_size
    if deferred:
        if data[end:end + 4] == b'PK\x07\x08':
            end += 4
        narrow = struct.pack('<III', info.CRC, info.compress_size, info.file_size)
        broad = struct.pack('<IQQ', info.CRC, info.compress_size, info.file_size)
        if data[end:end + 12] == narrow:
            end += 12
        elif data[end:end + 20] == broad:
            end += 20
        else:
            raise Malformed(f'{info.filename}: data descriptor disagrees with the central record')
    if end > cd_start:
        raise Malformed(f'{info.filename}: entry runs into the central directory')
    return end


def end_records(data):
    """(central directory start, end of the archive) after checking the end records."""
    at = data.rfind(b'PK\x05\x06')
    if at < 0 or at + 22 > len(data):
        raise Malformed('no end of central directory record')
    disk, cd_disk, _, _, cd_size, cd_off, clen = struct.unpack('<HHHHIIH', data[at + 4:at + 22])
    if at + 22 + clen != len(data):
        raise Malformed('bytes after the end record and its comment')
    if data.count(b'PK\x05\x06') != 1:
        raise Malformed('more than one end of central directory record')
    if data[at - 20:at - 16] == b'PK\x06\x07':
        _, z_disk, z_off, total = struct.unpack('<IIQI', data[at - 20:at])
        if total != 1 or z_disk != 0:
            raise Malformed('ZIP64 locator: not exactly one disk')
        if data[z_off:z_off + 4] != b'PK\x06\x06':
            raise Malformed('no ZIP64 end record where the locator points')
        cd_size, cd_off = struct.unpack('<QQ', data[z_off + 40:z_off + 56])
        if z_off != cd_off + cd_size:
            raise Malformed('bytes between the central directory and the ZIP64 end record')
    elif disk or cd_disk or cd_off + cd_size != at:
        raise Malformed('the central directory does not end where the end record begins')
    return cd_off


def check_container(data, zf):
    cd_start = end_records(data)
    infos = zf.infolist()
    if not infos:
        raise Malformed('an empty archive')
    folded = set()
    for info in infos:
        check_name(info.filename, info.flag_bits, info.orig_filename.encode('utf-8' if info.flag_bits & 0x800 else 'cp437'))
        key = unicodedata.normalize('NFC', info.filename).casefold()
        if key in folded:
            raise Malformed(f'{info.filename}: two names equal after NFC and case folding')
        folded.add(key)
        if info.compress_type not in (0, 8) or info.flag_bits & 0x2041:
            raise Malformed(f'{info.filename}: a compression method other than 0 and 8, or encryption')
        if info.create_system == 3 and (info.external_attr >> 16) & 0o170000 not in (0, 0o100000, 0o040000):
            raise Malformed(f'{info.filename}: a symbolic link or special file')
    at = 0
    for info in sorted(infos, key=lambda i: i.header_offset):
        if info.header_offset != at:
            raise Malformed(f'{info.filename}: bytes before it, or it overlaps the entry before it')
        at = local_entry(data, info, cd_start)
    if at != cd_start:
        raise Malformed('bytes between the last entry and the central directory')
    tops = {i.filename.split('/')[0] for i in infos}
    if len(tops) != 1 or any('/' not in i.filename for i in infos):
        raise Malformed(f'entries are not under exactly one top-level directory: {sorted(tops)}')
    top = tops.pop()
    if not BUNDLE_ID.fullmatch(top):
        raise Malformed(f'{top!r} is not a bundle id')
    return top


def read_entries(zf, top, report):
    """Bag-relative path -> bytes; an entry that does not inflate to its CRC and size is tampered."""
    files = {}
    for info in zf.infolist():
        if info.is_dir():
            continue
        path = info.filename[len(top) + 1:]
        try:
            data = zf.read(info)
            if len(data) != info.file_size:
                raise zipfile.BadZipFile('size differs')
            files[path] = data
        except (zipfile.BadZipFile, zlib.error, EOFError) as e:
            report.add('tampered', path, f'the entry does not inflate to its CRC-32 and size: {e}')
    return files


# ---- the bag (spec 2, 3) ---------------------------------------------------------------

def labels(text):
    out = {}
    for line in text.splitlines():
        if ':' not in line:
            raise Malformed(f'bag-info.txt: a line without a label: {line[:60]!r}')
        k, v = line.split(':', 1)
        out.setdefault(k.strip(), []).append(v.strip())
    return out


def manifest(name, text, hexlen, scope):
    entries = {}
    for line in text.splitlines():
        m = re.fullmatch(r'([0-9a-f]{%d})[ \t]+(.+)' % hexlen, line)
        if not m:
            raise Malformed(f'{name}: a line that is not "<digest> <path>"')
        path = re.sub(r'%0A|%0D|%25', lambda x: {'%0A': '\n', '%0D': '\r', '%25': '%'}[x.group().upper()], m.group(2), flags=re.I)
        segs = path.split('/')
        if path.startswith('/') or '\\' in path or any(s in ('', '.', '..') for s in segs):
            raise Malformed(f'{name}: the path {m.group(2)!r} is not a relative path inside the bag')
        if (scope == 'payload') != path.startswith('data/') or path.startswith('signatures/') or path in entries:
            raise Malformed(f'{name}: {path!r} is out of scope or listed twice')
        entries[path] = m.group(1)
    return entries


def text_of(files, name):
    if name not in files:
        raise Malformed(f'{name} is missing')
    try:
        return files[name].decode('utf-8')
    except UnicodeDecodeError:
        raise Malformed(f'{name} is not UTF-8')


def check_digests(files, listing, alg, manifest_name, report):
    for path, want in listing.items():
        if path not in files:
            report.add('tampered', path, f'{manifest_name} lists {path}, but the bundle does not hold it')
        elif hashlib.new(alg, files[path]).hexdigest() != want:
            report.add('tampered', path, f'{path}: its {alg} digest differs from {manifest_name}')


def check_bag(files, top, report):
    if 'fetch.txt' in files:
        raise Malformed('fetch.txt: a bundle is complete on its own')
    if text_of(files, 'bagit.txt').splitlines() != ['BagIt-Version: 1.0', 'Tag-File-Character-Encoding: UTF-8']:
        raise Malformed('bagit.txt is not BagIt 1.0, UTF-8')
    info = labels(text_of(files, 'bag-info.txt'))
    for label in ('External-Identifier', 'Bagging-Date', 'Payload-Oxum', 'Bag-Software-Agent'):
        if len(info.get(label, [])) != 1:
            raise Malformed(f'bag-info.txt: {label} missing or repeated')
    oxum = re.fullmatch(r'(\d+)\.(\d+)', info['Payload-Oxum'][0])
    if not oxum:
        raise Malformed('bag-info.txt: Payload-Oxum is not <octets>.<count>')
    m256 = manifest('manifest-sha256.txt', text_of(files, 'manifest-sha256.txt'), 64, 'payload')
    tags = manifest('tagmanifest-sha256.txt', text_of(files, 'tagmanifest-sha256.txt'), 64, 'tag')
    m512 = manifest('manifest-sha512.txt', text_of(files, 'manifest-sha512.txt'), 128, 'payload') if 'manifest-sha512.txt' in files else None
    payload = {p for p in files if p.startswith('data/')}
    if 'data/packet.json' not in payload:
        raise Malformed('data/packet.json is missing')
    for name, listing in (('manifest-sha256.txt', m256), ('manifest-sha512.txt', m512)):
        if listing is None:
            continue
        for path in sorted(payload - set(listing)):
            report.add('tampered', path, f'{name} does not list {path}')
    if m512 is not None:
        for path in sorted(set(m512) - set(m256)):
            report.add('tampered', path, f'manifest-sha256.txt does not list {path}, which manifest-sha512.txt lists')
        for path in sorted(set(m256) - set(m512)):
            report.add('tampered', path, f'manifest-sha512.txt does not list {path}, which manifest-sha256.txt lists')
        check_digests(files, m512, 'sha512', 'manifest-sha512.txt', report)
    check_digests(files, m256, 'sha256', 'manifest-sha256.txt', report)
    tag_files = {p for p in files if not p.startswith(('data/', 'signatures/', 'tagmanifest-'))}
    for path in sorted(tag_files - set(tags)):
        report.add('tampered', path, f'tagmanifest-sha256.txt does not list the tag file {path}')
    check_digests(files, tags, 'sha256', 'tagmanifest-sha256.txt', report)
    if (int(oxum.group(1)), int(oxum.group(2))) != (sum(len(files[p]) for p in payload), len(payload)):
        report.add('tampered', 'bag-info.txt', 'Payload-Oxum does not match data/')
    if info['External-Identifier'][0] != top:
        report.add('tampered', 'bag-info.txt', 'External-Identifier is not the bundle id')
    matched = not any(f['entry'] == 'data/packet.json' for f in report.findings)
    if matched:
        try:
            packet = json.loads(files['data/packet.json'].decode('utf-8'))
        except (UnicodeDecodeError, ValueError):
            raise Malformed('data/packet.json matched its digest but is not JSON')
        if not isinstance(packet, dict):
            raise Malformed('data/packet.json is not a JSON object')
        if packet.get('bundle_id') != top:
            report.add('tampered', 'data/packet.json', 'bundle_id is not the bundle id')


# ---- signatures (spec 5) ---------------------------------------------------------------

def pae(payload_type, payload):
    t = payload_type.encode()
    return b'DSSEv1 %d %s %d %s' % (len(t), t, len(payload), payload)


def b64(text, where):
    try:
        return base64.b64decode(text, validate=True)
    except (binascii.Error, TypeError):
        raise Malformed(f'{where}: not base64')


def parse_envelope(env, where):
    if not isinstance(env, dict) or env.get('payloadType') != IN_TOTO or not isinstance(env.get('payload'), str):
        raise Malformed(f'{where}: not an in-toto DSSE envelope')
    sigs = env.get('signatures')
    if not isinstance(sigs, list) or len(sigs) != 1 or not isinstance(sigs[0], dict):
        raise Malformed(f'{where}: not exactly one signature')
    keyid = sigs[0].get('keyid', '')
    if not isinstance(keyid, str) or not isinstance(sigs[0].get('sig'), str):
        raise Malformed(f'{where}: keyid or sig is not a string')
    return b64(env['payload'], where), keyid, b64(sigs[0]['sig'], where)


def parse_signature_file(name, data):
    """(payload, keyid hint, sig, keyless)."""
    try:
        doc = json.loads(data.decode('utf-8'))
    except (UnicodeDecodeError, ValueError):
        raise Malformed(f'{name}: not JSON')
    if name.endswith('.dsse.json'):
        return (*parse_envelope(doc, name), False)
    if not isinstance(doc, dict) or doc.get('mediaType') not in SIGSTORE_MEDIA or not isinstance(doc.get('verificationMaterial'), dict):
        raise Malformed(f'{name}: not a Sigstore bundle')
    material = doc['verificationMaterial']
    payload, keyid, sig = parse_envelope(doc.get('dsseEnvelope'), name)
    if 'certificate' in material or 'x509CertificateChain' in material:
        return payload, keyid, sig, True
    hint = (material.get('publicKey') or {}).get('hint')
    if not isinstance(hint, str) or not hint:
        raise Malformed(f'{name}: no publicKey hint')
    return payload, keyid or hint, sig, False


def check_statement(payload, files, top, name, report):
    try:
        st = json.loads(payload.decode('utf-8'))
    except (UnicodeDecodeError, ValueError):
        raise Malformed(f'{name}: the statement is not JSON')
    subject = st.get('subject') if isinstance(st, dict) else None
    if st.get('_type') != STATEMENT_TYPE or st.get('predicateType') != PREDICATE_TYPE:
        raise Malformed(f'{name}: not an EVB statement')
    if not isinstance(subject, list) or len(subject) != 1 or not isinstance(subject[0], dict) or subject[0].get('name') != 'tagmanifest-sha256.txt':
        raise Malformed(f'{name}: the subject is not exactly one entry named tagmanifest-sha256.txt')
    predicate = st.get('predicate')
    if not isinstance(predicate, dict) or not isinstance(predicate.get('role'), str):
        raise Malformed(f'{name}: no predicate role')
    if (subject[0].get('digest') or {}).get('sha256') != hashlib.sha256(files['tagmanifest-sha256.txt']).hexdigest():
        report.add('tampered', name, 'the statement subject is not this tagmanifest-sha256.txt')
    if predicate.get('bundle_id') != top:
        report.add('tampered', name, 'predicate.bundle_id is not the bundle id')
    return predicate['role']


def check_one(name, files, top, trust, report, at):
    payload, keyid, sig, keyless = parse_signature_file(name, files[name])
    row = {'file': name, 'keyid': keyid, 'math': 'not-checked', 'trust': 'unknown-key', 'keySource': 'none', 'role': None}
    report.signatures.append(row)
    if keyless:
        return
    candidates = [t for t in trust if t[0].keyid == keyid] if keyid else list(trust)
    stem = name.rsplit('.', 2)[0]
    travelling = None
    if stem + '.pub.pem' in files:
        travelling = Key(files[stem + '.pub.pem'])
        if keyid and travelling.keyid != keyid:
            report.add('warning', stem + '.pub.pem', 'travelling key with another keyid: not used')
            travelling = None
    message = pae(IN_TOTO, payload)
    for key, entry in candidates:
        if key.verify(message, sig):
            row.update(math='valid', keySource='trust-store', keyid=key.keyid)
            row['role'] = check_statement(payload, files, top, name, report)
            row['trust'] = trust_of(entry, row['role'], at)
            return
    if candidates and keyid:
        row.update(math='invalid', keySource='trust-store')
    elif travelling is not None:
        row['keySource'] = 'travelling'
        if travelling.verify(message, sig):
            row['math'] = 'valid'
            row['role'] = check_statement(payload, files, top, name, report)
            return
        row['math'] = 'invalid'
    if row['math'] == 'invalid':
        report.add('tampered', name, 'the signature does not verify under the key it names')


def check_signatures(files, top, trust, report, at):
    names = sorted(p for p in files if p.startswith('signatures/'))
    for name in names:
        if not name.endswith(('.dsse.json', '.sigstore.json', '.pub.pem')):
            raise Malformed(f'{name}: not a signature, bundle or key file')
        if name.endswith('.pub.pem'):
            try:
                Key(files[name])
            except ValueError as e:
                raise Malformed(f'{name}: {e}')
    for name in names:
        if not name.endswith('.pub.pem'):
            check_one(name, files, top, trust, report, at)


def status_of(report):
    if report.has('malformed'):
        return 'malformed'
    if report.has('tampered'):
        return 'tampered'
    trusts = [s['trust'] for s in report.signatures if s['math'] == 'valid']
    if 'revoked-key' in trusts:
        return 'key-revoked'
    if 'trusted' in trusts:
        return 'verified'
    if 'expired-key' in trusts:
        return 'key-expired'
    return 'untrusted-signer' if report.signatures else 'unsigned'


def load_trust(args):
    trust, at, i = [], datetime.datetime.now(datetime.timezone.utc), 0
    while i < len(args):
        opt, value = args[i], args[i + 1] if i + 1 < len(args) else None
        if value is None or opt not in ('--key', '--trust', '--at'):
            raise SystemExit(f'usage: evb_check.py BUNDLE [--key PUB.pem ...] [--trust FILE] [--at TIME]; bad option {opt}')
        if opt == '--key':
            trust.append((Key(open(value, 'rb').read()), {}))
        elif opt == '--trust':
            for entry in json.load(open(value, encoding='utf-8'))['keys']:
                key = Key(entry['public_key'])
                if key.keyid != entry['keyid']:
                    raise SystemExit(f'{value}: keyid {entry["keyid"]} is not its key\'s')
                trust.append((key, entry))
        else:
            at = parse_time(value)
        i += 2
    return trust, at


def main(argv):
    if len(argv) < 2:
        print(__doc__, file=sys.stderr)
        return 64
    try:
        trust, at = load_trust(argv[2:])
    except SystemExit as e:
        print(e, file=sys.stderr)
        return 64
    data = open(argv[1], 'rb').read()
    report = Report()
    try:
        try:
            zf = zipfile.ZipFile(argv[1])
        except zipfile.BadZipFile as e:
            raise Malformed(f'not a zip archive: {e}')
        top = check_container(data, zf)
        files = read_entries(zf, top, report)
        report.files = len(files)
        if not report.has('tampered'):
            check_bag(files, top, report)
            check_signatures(files, top, trust, report, at)
    except Malformed as e:
        report.add('malformed', None, str(e))
    status = status_of(report)
    print(json.dumps({'status': status, 'findings': report.findings, 'signatures': report.signatures, 'files': report.files}, indent=2))
    return EXIT[status]


if __name__ == '__main__':
    sys.exit(main(sys.argv))
