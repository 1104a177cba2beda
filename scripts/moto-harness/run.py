#!/usr/bin/env python3
"""Run moto's test files in server mode against a fresh ec2lite each (see docs/moto-compatibility.md).

usage: python3 scripts/moto-harness/run.py MOTO_TESTS_PARENT tests/test_ec2/test_instances.py ... [-- pytest args]

MOTO_TESTS_PARENT holds moto's `tests/` (e.g. `git archive 5.2.1 tests` of getmoto/moto, extracted).
The tests are copied to a scratch directory with every other Region and zone rewritten to
us-east-1 (built-in AMI ids differ per Region, as on AWS); nothing of moto is kept here.
"""
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
# EC2LITE_REPO: another checkout (built) to run, e.g. a base commit for before/after counts.
REPO = os.environ.get("EC2LITE_REPO") or os.path.dirname(os.path.dirname(HERE))
ZONE = re.compile(r"\b(?:us|eu|ap|sa|ca|me|af|il)-(?:east|west|north|south|central|northeast|southeast|southwest|northwest)-\d([a-f])\b")
REGION = re.compile(r"\b(?:us|eu|ap|sa|ca|me|af|il)-(?:east|west|north|south|central|northeast|southeast|southwest|northwest)-\d\b")


def rewrite(text):
    text = ZONE.sub(lambda m: "us-east-1" + m.group(1), text)
    return REGION.sub("us-east-1", text)


def scratch_copy(parent):
    root = tempfile.mkdtemp(prefix="moto-run-")
    for dirpath, _, files in os.walk(os.path.join(parent, "tests")):
        rel = os.path.relpath(dirpath, parent)
        os.makedirs(os.path.join(root, rel), exist_ok=True)
        for name in files:
            src = os.path.join(dirpath, name)
            dst = os.path.join(root, rel, name)
            if name.endswith(".py") and ("test_ec2" in rel or "test_autoscaling" in rel):
                with open(src, encoding="utf-8") as f:
                    text = f.read()
                with open(dst, "w", encoding="utf-8") as f:
                    f.write(rewrite(text))
            else:
                shutil.copyfile(src, dst)
    return root


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve(port):
    env = dict(os.environ, EC2LITE_AUTOSCALING_INTERVAL_MS="200")
    proc = subprocess.Popen(
        ["node", os.path.join(REPO, "dist/src/cli/main.js"), "serve", "--port", str(port), "--ephemeral",
         "--quiet", "--storage-delay-ms", "0", "--instance-delay-ms", "0", "--ssh-port", "0",
         "--vpc-limit", "100000", "--address-limit", "100000", "--key-pair-limit", "100000"],
        env=env, cwd=REPO)
    for _ in range(200):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=1)
            return proc
        except urllib.error.HTTPError:
            return proc
        except OSError:
            time.sleep(0.1)
    proc.kill()
    raise RuntimeError("ec2lite did not start")


def main(argv):
    if "--" in argv:
        cut = argv.index("--")
        argv, extra = argv[:cut], argv[cut + 1:]
    else:
        extra = []
    parent, files = argv[0], argv[1:]
    root = scratch_copy(parent)
    status = 0
    try:
        for file in files:
            port = free_port()
            proc = serve(port)
            env = dict(os.environ, TEST_SERVER_MODE="true",
                       TEST_SERVER_MODE_ENDPOINT=f"http://127.0.0.1:{port}",
                       PYTHONPATH=HERE + os.pathsep + os.environ.get("PYTHONPATH", ""))
            try:
                rc = subprocess.call([sys.executable, "-m", "pytest", "-p", "ec2lite_plugin", "-p", "no:cacheprovider",
                                      "-q", "-rfE", "--tb=line", file, *extra], cwd=root, env=env)
                status = status or rc
            finally:
                proc.terminate()
                proc.wait()
    finally:
        shutil.rmtree(root, ignore_errors=True)
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
