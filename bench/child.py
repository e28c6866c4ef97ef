"""What every measuring child process of the benches starts with.

A bench measures a checkout (this one or a baseline) in a fresh ``python -c`` process, so
the child's text is a template: :data:`PRELUDE` puts that checkout first on the path
(``{root!r}``) and defines ``status(key)``, a field of ``/proc/self/status`` in kB —
``VmHWM`` is the process's own peak (``ru_maxrss`` would carry the parent's over exec),
``VmRSS`` what it holds now. It is text, not an import, because a baseline checkout need
not have this module.
"""

PRELUDE = """
import json, sys, time
sys.path.insert(0, {root!r})

def status(key):
    for line in open("/proc/self/status"):
        if line.startswith(key + ":"):
            return int(line.split()[1])
"""
