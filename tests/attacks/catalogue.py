"""Hostile submissions: each attack is code planted in the submission's package, or files added to it.

Every attack is graded against the same honest base without it; the attacked score must not be
higher. `IMPORT_ATTACKS` run when the tests import the learner's package; `FILE_ATTACKS` are files
dropped at the root of the submission.
"""

FORGE_RESULTS = r'''
import json, os, glob, re
names = []
for path in glob.glob("/cda/tests/**/*.py", recursive=True):
    rel = os.path.relpath(path, "/cda/tests")
    for name in re.findall(r"^def (test\w+)", open(path).read(), re.M):
        names.append(f"{rel}::{name}")
try:
    with open("/out/results.jsonl", "a") as out:
        for seq, node in enumerate(names):
            record = json.dumps({"event": "test", "nodeid": node, "when": "call", "outcome": "passed", "message": None, "seq": seq})
            out.write(json.dumps({"record": record, "mac": "0" * 64}) + "\n")
        out.write(json.dumps({"record": json.dumps({"event": "finish", "exitstatus": 0, "seq": len(names)}), "mac": "0" * 64}) + "\n")
except OSError:
    pass
os._exit(0)
'''

IMPORT_ATTACKS = {
    "sys-exit-0": "import sys\nsys.exit(0)\n",
    "os-exit-0": "import os\nos._exit(0)\n",
    "kill-parent": "import os, signal\ntry:\n    os.kill(os.getppid(), signal.SIGKILL)\nexcept OSError:\n    pass\n",
    "kill-everything": "import os, signal\ntry:\n    os.kill(-1, signal.SIGKILL)\nexcept OSError:\n    pass\n",
    "ignore-alarm-and-loop": "import signal\nsignal.signal(signal.SIGALRM, signal.SIG_IGN)\nwhile True:\n    pass\n",
    "print-fake-result": "print('{\"score\": 100, \"max_score\": 100, \"status\": \"passed\"}')\nprint('== 50 passed in 0.01s ==')\n",
    "forge-results-file": FORGE_RESULTS,
    "patch-runtest": "import _pytest.python\n_pytest.python.Function.runtest = lambda self: None\n",
    "patch-report-outcome": (
        "import _pytest.reports\n_orig = _pytest.reports.TestReport.__init__\n"
        "def _init(self, *a, **k):\n    _orig(self, *a, **k)\n    self.outcome = 'passed'\n    self.longrepr = None\n"
        "_pytest.reports.TestReport.__init__ = _init\n"
    ),
    "patch-recorder": (
        "import sys\nplugin = sys.modules.get('cda_pytest_plugin')\n"
        "if plugin:\n    _w = plugin.Recorder._write\n"
        "    def _write(self, record):\n        if record.get('event') == 'test':\n"
        "            record['outcome'] = 'passed'\n            record['message'] = None\n        _w(self, record)\n"
        "    plugin.Recorder._write = _write\n"
    ),
    "patch-assertions": "import builtins\nbuiltins.AssertionError = type('AssertionError', (Exception,), {})\n",
    "skip-everything": "import pytest\n_orig = pytest.Function.runtest if hasattr(pytest, 'Function') else None\nif _orig:\n    pytest.Function.runtest = lambda self: pytest.skip('nope')\n",
    "fork-bomb": "import os\nfor _ in range(10000):\n    try:\n        os.fork()\n    except OSError:\n        break\n",
    "memory-hog": "hog = []\nwhile True:\n    hog.append(bytearray(50 * 1024 * 1024))\n",
    "disk-fill": (
        "import os\nblock = b'x' * (1 << 20)\nfor target in ('/workspace', '/tmp', '/out'):\n    for i in range(100000):\n"
        "        try:\n            with open(os.path.join(target, f'fill{i}'), 'wb') as f:\n                for _ in range(64):\n"
        "                    f.write(block)\n        except OSError:\n            break\n"
    ),
    "output-flood": "import sys\nchunk = 'A' * (1 << 20)\nfor _ in range(4096):\n    sys.stdout.write(chunk)\n",
    "network-exfiltration": (
        "import socket\nfor host, port in [('127.0.0.1', 5432), ('127.0.0.1', 6379), ('10.0.2.2', 80), ('1.1.1.1', 53)]:\n"
        "    try:\n        socket.create_connection((host, port), timeout=1).close()\n        raise SystemExit('network reachable')\n"
        "    except OSError:\n        pass\n"
    ),
    "write-outside": (
        "for path in ['/etc/cda-pwned', '/usr/cda-pwned', '/cda/pwned', '/work/main/labs/pwned', '/root/pwned']:\n"
        "    try:\n        open(path, 'w').write('x')\n    except OSError:\n        pass\n"
    ),
    "background-survivor": (
        "import subprocess\nsubprocess.Popen(['sh', '-c', 'trap \"\" HUP TERM INT; while :; do sleep 1; done'], "
        "start_new_session=True)\n"
    ),
    "leak-hidden-tests": (
        "import glob, sys\nfor path in glob.glob('/cda/tests/**/*.py', recursive=True):\n"
        "    text = open(path).read()\n    print(text)\n    sys.stderr.write(text)\n"
        "    open('/workspace/leak.txt', 'a').write(text)\n"
    ),
}

FILE_ATTACKS = {
    "hostile-config-files": {
        "conftest.py": "import pytest\n@pytest.hookimpl(tryfirst=True)\ndef pytest_runtest_call(item):\n    pass\n",
        "pytest.ini": "[pytest]\naddopts = -p no:python -k nothing\n",
        "setup.cfg": "[tool:pytest]\naddopts = -k nothing\n",
        "tox.ini": "[pytest]\naddopts = -k nothing\n",
        "pyproject.toml": "[tool.pytest.ini_options]\naddopts = '-k nothing'\n",
        "sitecustomize.py": "import os\nos._exit(0)\n",
        "usercustomize.py": "import os\nos._exit(0)\n",
        "zzz.pth": "import os; os._exit(0)\n",
        ".bandit": "[bandit]\nskips = B101,B102,B103,B104,B105,B106,B107,B108,B110,B112,B201,B301,B303,B307,B311,B324,B404,B603,B607,B608\n",
    },
    "shadow-stdlib-and-pytest": {
        "pytest.py": "def main(*a, **k):\n    return 0\n",
        "_pytest/__init__.py": "",
        "json.py": "import os\nos._exit(0)\n",
        "os.py": "raise SystemExit(0)\n",
        "importlinter/__init__.py": "",
        "grimp/__init__.py": "",
        "bandit/__init__.py": "",
    },
}

# Every public function of the learner's package returns an object equal to anything: a test that
# only compares results with == would pass. Installed as an import hook, so it reaches the modules
# the tests import after the package itself.
ALWAYS_EQUAL = r'''
import importlib.abc, sys, types
class _Anything:
    def __eq__(self, other): return True
    def __ne__(self, other): return False
    def __bool__(self): return True
    def __len__(self): return 1
    def __iter__(self): return iter([])
    def __getattr__(self, name): return _Anything()
    def __call__(self, *a, **k): return _Anything()
    def __lt__(self, other): return False
    def __gt__(self, other): return False
    __le__ = __ge__ = __eq__
    __hash__ = object.__hash__
def _pretend(*a, **k):
    return _Anything()
def _patch(module):
    for name, value in list(vars(module).items()):
        if isinstance(value, types.FunctionType) and value.__module__ == module.__name__ and not name.startswith("_"):
            setattr(module, name, _pretend)
        elif isinstance(value, type) and value.__module__ == module.__name__:
            for attr, member in list(vars(value).items()):
                if isinstance(member, types.FunctionType) and not attr.startswith("_"):
                    setattr(value, attr, _pretend)
_root = __name__.split(".")[0]
class _Finder(importlib.abc.MetaPathFinder):
    def find_spec(self, fullname, path, target=None):
        if not fullname.startswith(_root + "."):
            return None
        sys.meta_path.remove(self)
        try:
            import importlib.util
            spec = importlib.util.find_spec(fullname)
        finally:
            sys.meta_path.insert(0, self)
        if spec and spec.loader and hasattr(spec.loader, "exec_module"):
            original = spec.loader.exec_module
            def exec_module(module, _original=original):
                _original(module)
                _patch(module)
            spec.loader.exec_module = exec_module
        return spec
sys.meta_path.insert(0, _Finder())
'''
IMPORT_ATTACKS["always-equal"] = ALWAYS_EQUAL
