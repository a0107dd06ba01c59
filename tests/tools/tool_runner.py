"""What the tool tests in tests/tools share: counting and printing checks
(Results), and running a tool of the build in a scratch directory, as
nobody if asked (Runner). Each test adds its own checks of a failing run.
"""

import os
import shutil
import subprocess
import tempfile


def drop_privileges():
    os.setgroups([])
    os.setgid(65534)
    os.setuid(65534)


def can_drop_privileges():
    if os.geteuid() != 0:
        return False
    try:
        subprocess.run(["/bin/true"], preexec_fn=drop_privileges, check=True)
        return True
    except (OSError, subprocess.CalledProcessError):
        return False


class Results:
    """Named checks: "FAIL" lines as they fail (every check with -v), and a
    summary at the end."""

    def __init__(self, verbose):
        self.verbose = verbose
        self.failures = []
        self.passed = 0
        self.skipped = []

    def check(self, name, ok, detail=""):
        if ok:
            self.passed += 1
            if self.verbose:
                print("ok    " + name)
        else:
            self.failures.append(name)
            print("FAIL  %s\n      %s" % (name, detail.strip().replace("\n", "\n      ")))

    def skip(self, name, why):
        self.skipped.append(name)
        print("skip  %s (%s)" % (name, why))

    def summary(self):
        """Prints the counts; returns the exit status (1 if a check failed)."""
        print("%d passed, %d failed, %d skipped" %
              (self.passed, len(self.failures), len(self.skipped)))
        return 1 if self.failures else 0


class Runner(Results):
    """Runs the tools in `bindir`, with files in a scratch directory
    (`tmp`, reachable by nobody) that cleanup() removes."""

    def __init__(self, bindir, verbose, tmp_prefix):
        super().__init__(verbose)
        self.bindir = bindir
        self.tmp = tempfile.mkdtemp(prefix=tmp_prefix)
        os.chmod(self.tmp, 0o755)  # Reachable by nobody (unreadable cases).

    def path(self, name):
        return os.path.join(self.tmp, name)

    def write(self, name, data, mode=0o644):
        p = self.path(name)
        with open(p, "wb") as f:
            f.write(data if isinstance(data, bytes) else data.encode())
        os.chmod(p, mode)
        return p

    def run(self, tool, args, stdin=b"", as_nobody=False, timeout=300):
        """Runs `tool` with `args` and `stdin` (None: this process's stdin);
        returns the exit status, stdout, and stderr as text."""
        cmd = [os.path.join(self.bindir, tool)] + args
        p = subprocess.run(cmd, input=stdin, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           timeout=timeout, preexec_fn=drop_privileges if as_nobody else None)
        return p.returncode, p.stdout, p.stderr.decode("utf-8", "replace")

    def cleanup(self):
        """Removes the scratch directory, read-only subdirectories too."""
        for root, dirs, _ in os.walk(self.tmp):
            for d in dirs:
                os.chmod(os.path.join(root, d), 0o755)
        shutil.rmtree(self.tmp, ignore_errors=True)

    def run_cases(self, *cases):
        """Calls each of `cases` with this runner, then cleanup() (also if
        one raises); prints the summary and returns the exit status."""
        try:
            for case in cases:
                case(self)
        finally:
            self.cleanup()
        return self.summary()
