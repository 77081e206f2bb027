"""The signed record stream of a graded pytest run: one JSON line per event, in one chain.

Each line carries the record (JSON text) and an HMAC-SHA256 of it with the run's key. Records
carry a sequence number; a line with a bad signature, or whose number is not the next one, is
not part of the chain (it was written by someone without the key, or replayed) and is counted
as forged. The same reader runs in the sandboxed supervisor and on the grader's side, so both see
the same chain. Standard library only: this file is also copied into the sandbox.
"""

import hashlib
import hmac
import json


def mac(key, payload):
    return hmac.new(key, payload.encode("utf-8"), hashlib.sha256).hexdigest()


def signed_line(key, record):
    payload = json.dumps(record, sort_keys=True)
    return json.dumps({"record": payload, "mac": mac(key, payload)}) + "\n"


class ChainReader:
    """Reads a results file incrementally: `poll()` returns the new valid records since last time."""

    def __init__(self, path, key):
        self._path = path
        self._key = key
        self._offset = 0
        self._partial = b""
        self.count = 0
        self.forged = 0

    def poll(self):
        try:
            with open(self._path, "rb") as handle:
                handle.seek(self._offset)
                data = handle.read()
        except OSError:
            return []
        self._offset += len(data)
        lines = (self._partial + data).split(b"\n")
        self._partial = lines.pop()
        return [r for r in (self._accept(line) for line in lines) if r is not None]

    def finish(self):
        """Records of a last line left without its newline (a run killed mid-write)."""
        records = self.poll()
        tail, self._partial = self._partial, b""
        last = self._accept(tail) if tail else None
        return records + ([last] if last is not None else [])

    def _accept(self, line):
        if not line.strip():
            return None
        try:
            envelope = json.loads(line.decode("utf-8", errors="replace"))
            payload, signature = envelope["record"], envelope["mac"]
            valid = hmac.compare_digest(mac(self._key, payload), str(signature))
            record = json.loads(payload) if valid else None
        except (ValueError, KeyError, TypeError, AttributeError):
            record = None
        if not isinstance(record, dict) or record.get("seq") != self.count:
            self.forged += 1
            return None
        self.count += 1
        return record


def read_chain(path, key):
    """Every valid record of a finished run, and the number of forged lines."""
    reader = ChainReader(path, key)
    return reader.finish(), reader.forged
