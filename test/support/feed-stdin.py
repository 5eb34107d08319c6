"""Runs a command with stdin a pipe fed from a file, the way a difficult parent would.

usage: feed-stdin.py INPUT OUTPUT NONBLOCKING SLOW -- COMMAND...
NONBLOCKING=1 hands the child a read end in O_NONBLOCK mode (the flag lives on the open file description, so the
child inherits it); SLOW=1 writes in 64 KiB chunks with pauses, so the child's reads find the pipe empty.
Prints the child's exit code.
"""
import os
import subprocess
import sys
import time

source, target, nonblocking, slow = sys.argv[1:5]
command = sys.argv[6:]
read_end, write_end = os.pipe()
if nonblocking == "1":
    os.set_blocking(read_end, False)
with open(target, "wb") as out:
    child = subprocess.Popen(command, stdin=read_end, stdout=out)
os.close(read_end)
data = open(source, "rb").read()
step = 65536 if slow == "1" else len(data) or 1
for at in range(0, len(data), step):
    if slow == "1":
        time.sleep(0.05)
    view = memoryview(data)[at : at + step]
    while view:
        written = os.write(write_end, view)
        view = view[written:]
os.close(write_end)
print(child.wait())
