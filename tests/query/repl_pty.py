#!/usr/bin/env python3
"""Drive `ekg repl` under a pseudo-terminal: completion, history (kept, and
recalled with the Up arrow in a new session), multi-line input, Ctrl-C at the
prompt and during a query, Ctrl-D to leave.

usage: repl_pty.py EKG FIXTURE.nq"""
import os, pty, select, shutil, subprocess, sys, tempfile, time

ekg, fixture = sys.argv[1], sys.argv[2]
tmp = tempfile.mkdtemp(prefix="ekg-repl-")
store = os.path.join(tmp, "db")
onto = os.path.join(tmp, "ontology")  # the fixture carries its own labels and lexicon
os.mkdir(onto)
open(os.path.join(onto, "empty.ttl"), "w").write("# the fixture brings the ontology\n")
env = dict(os.environ, HOME=tmp, TERM="xterm", EKG_ONTOLOGY=onto)
subprocess.run([ekg, "--store", store, "-q", "load", fixture], check=True, env=env)

pid, fd = pty.fork()
if pid == 0:
    os.execvpe(ekg, [ekg, "--store", store, "-q", "repl", "--format", "table"], env)

buf = b""
def read_until(token, timeout=10.0):
    global buf
    end = time.time() + timeout
    while token.encode() not in buf:
        r, _, _ = select.select([fd], [], [], max(0.0, end - time.time()))
        if not r:
            raise SystemExit("timeout waiting for %r; got:\n%s" % (token, buf.decode(errors="replace")))
        try:
            chunk = os.read(fd, 4096)
        except OSError:
            break
        if not chunk:
            break
        buf += chunk
    i = buf.index(token.encode()) + len(token)
    out, buf = buf[:i], buf[i:]
    return out.decode(errors="replace")

def send(s):
    time.sleep(0.15)  # let libedit switch the terminal to raw mode first
    os.write(fd, s.encode())

fails = 0
def check(name, cond, out=""):
    global fails
    if not cond and out:
        print(out)
    print(("ok - " if cond else "not ok - ") + name)
    if not cond:
        fails += 1

read_until("ekg> ")
def run(line, expect):
    """Send a line, read up to `expect`, then up to the next prompt."""
    send(line)
    out = read_until(expect)
    return out + read_until("ekg> ")

# Tab completion: a verb (ambiguous with the class Endorsement: Tab Tab lists).
out = run("who endor\t\t", "Endorsement")
check("Tab Tab lists completions of a verb", "endorsed" in out, out)
out = run("\x15who endorsed what\n", "rows)")
check("query runs", "France" in out, out)
# A unique prefix completes in place.
out = run("Krutskikh\t\x15exactly Russia criticized what\n", "row")
check("query after completion", "Paris Call" in out, out)
# Multi-line input: trailing backslash.
send("who criticized \\\n")
read_until("...> ")
out = run("what\n", "rows)")
check("continuation line", "Budapest Convention" in out, out)
send('who backed "Appel\n')
read_until("...> ")
out = run('de Paris"\n', "rows)")
check("unbalanced quote continues", "Germany" in out, out)
# An error with a caret, and the shell stays.
out = run("who endrosed what\n", "^")
check("error with caret", "did you mean endorsed" in out, out)
out = run(".help\n", ".quit")
check(".help lists commands with examples", ".explain" in out and "e.g." in out and ".timer" in out, out)
out = run(".timer on\n", "")
out = run("Russia met whom\n", "time:")
check(".timer prints a time", "Henri Verdier" in out, out)
out = run(".mode csv\n", "")
out = run("Russia met whom\n", "United States")
check(".mode csv", "whom\r\n" in out or "whom\n" in out, out)
# Ctrl-C at the prompt does not leave.
send("who met\x03")
time.sleep(0.3)
out = run("exactly Russia criticized what\n", "Paris Call")
check("Ctrl-C at the prompt keeps the shell", True)
# Ctrl-D leaves; history is written.
send("\x04")
time.sleep(0.5)
_, status = os.waitpid(pid, 0)
check("Ctrl-D leaves with status 0", os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0, str(status))
hist = os.path.join(tmp, ".ekg_history")
check("history persisted", os.path.exists(hist) and "exactly" in open(hist, errors="replace").read())  # libedit escapes spaces
# A new session recalls the history: Up Up brings back "Russia met whom"
# (the last line was "exactly Russia criticized what").
pid, fd = pty.fork()
if pid == 0:
    os.execvpe(ekg, [ekg, "--store", store, "-q", "repl", "--format", "table"], env)
buf = b""
read_until("ekg> ")
out = run("\x1b[A\x1b[A\n", "rows)")
check("Up arrow recalls the previous session's queries", "Henri Verdier" in out, out)
# Ctrl-C while a query runs (a SPARQL cross product of the fixture, 27
# million rows, far from done within a second): the query is cancelled, the
# shell stays and answers the next one.
send("sparql SELECT ?a WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }\n")
time.sleep(1.0)
os.write(fd, b"\x03")
out = read_until("ekg> ", timeout=30)
check("Ctrl-C cancels a running query", "cancelled" in out, out)
out = run("exactly Russia criticized what\n", "row")
check("the shell answers after a cancelled query", "Paris Call" in out, out)
send("\x04")
time.sleep(0.5)
_, status = os.waitpid(pid, 0)
check("Ctrl-D leaves the second session", os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0, str(status))
# Ctrl-C during a running query: the SIGINT flag stops the executor. Use a
# plain pipe: the handler is the same one.
p = subprocess.Popen([ekg, "--store", store, "-q", "repl"], stdin=subprocess.PIPE,
                     stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
# Wait for a first answer: the handler is installed by then (under a slow
# build, a signal sent earlier would meet the default action).
p.stdin.write(b"exactly Russia criticized what\n")
p.stdin.flush()
first = b""
end = time.time() + 30
while b"Paris Call" not in first and time.time() < end:
    r, _, _ = select.select([p.stdout], [], [], max(0.0, end - time.time()))
    if not r:
        break
    chunk = os.read(p.stdout.fileno(), 4096)
    if not chunk:
        break
    first += chunk
p.stdin.write(b"who did what\n")
p.stdin.flush()
time.sleep(0.2)
p.send_signal(2)
time.sleep(0.2)
o, e = p.communicate(input=b"exactly Russia criticized what\n", timeout=20)
check("SIGINT does not kill the shell", p.returncode in (0, 1) and b"Paris Call" in o)
shutil.rmtree(tmp, ignore_errors=True)
print("# %d failed" % fails)
sys.exit(1 if fails else 0)
