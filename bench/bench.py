"""Figures for plinth and its peers: CPU time and peak memory of one ready
check, how soon readiness is noticed, what an idle init costs, binary size.

Run through scripts/bench, which starts the servers and exports their
ports. Every loop here is bounded; every server is on loopback.
"""

import http.server
import os
import shutil
import socket
import statistics
import subprocess
import tempfile
import threading
import time

PLINTH = os.environ["PLINTH"]
KAFKA = f"127.0.0.1:{os.environ['KAFKA_PORT']}"
MYSQL_PORT = os.environ["MARIADB_PORT"]
SOCKET = os.environ["MARIADB_SOCKET"]
TANSU = os.environ["TANSU"]
REPEAT = 15


def measure(cmd, env=None):
    """Runs cmd once under GNU time; returns (exit code, CPU ms, peak RSS
    KiB). A process's peak RSS includes the image it was forked from, so
    the command is started by the small `time` process rather than by
    Python (whose 20 MiB would count) and its peak is time's report. CPU
    comes from the kernel's microsecond accounting of `time` and its child
    (time's own 10 ms resolution is too coarse); the `true` row shows what
    `time` itself adds."""
    with tempfile.NamedTemporaryFile("r") as report:
        proc = subprocess.Popen(["/usr/bin/time", "-q", "-o", report.name,
                                 "-f", "%x %M", *cmd], env=env,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        _, _, usage = os.wait4(proc.pid, 0)
        code, rss = report.read().split()[-2:]
    cpu = (usage.ru_utime + usage.ru_stime) * 1000
    return int(code), cpu, int(rss)


def row(name, cmd, env=None):
    runs = [measure(cmd, env) for _ in range(REPEAT)]
    codes = {r[0] for r in runs}
    cpu = statistics.median(r[1] for r in runs)
    rss = max(r[2] for r in runs)
    print(f"  {name:<44} cpu {cpu:6.2f} ms   peak {rss / 1024:6.2f} MiB"
          f"   exit {','.join(map(str, sorted(codes)))}")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def http_server():
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def do_GET(self):
            self.send_response(200)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"ok")

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Quiet)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def ready_checks():
    print(f"One ready check (median CPU of {REPEAT} runs, largest peak RSS):")
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1024)
    tcp = f"127.0.0.1:{listener.getsockname()[1]}"
    row("floor: `true` (what the measuring adds)", ["true"])
    row("plinth wait tcp", [PLINTH, "wait", "tcp", tcp])
    row("wait-for-it (bash)", ["wait-for-it", "-q", "-t", "1", tcp])

    server = http_server()
    url = f"http://127.0.0.1:{server.server_address[1]}/health"
    row("plinth wait http", [PLINTH, "wait", "http", url])
    row("curl -f", ["curl", "-fsS", "-o", "/dev/null", url])

    row("plinth wait kafka (topic bench)",
        [PLINTH, "wait", "kafka", "--uri", KAFKA, "--topics", "bench"])

    mysql = {**os.environ, "MYSQL_HOST": "127.0.0.1", "MYSQL_PORT": MYSQL_PORT,
             "MYSQL_USER": "bench", "MYSQL_PASSWORD": "bench-pw", "MYSQL_DB": "bench"}
    row("plinth wait mysql (login + database)", [PLINTH, "wait", "mysql"], mysql)
    row("mariadb-admin ping (login only)",
        ["mariadb-admin", "--no-defaults", "-h127.0.0.1", f"-P{MYSQL_PORT}",
         "-ubench", "-pbench-pw", "ping"])
    row("plinth health tcp", [PLINTH, "health", "tcp", tcp])
    listener.close()
    server.shutdown()


def templates():
    print(f"\nRendering two templates (median CPU of {REPEAT} runs):")
    work = tempfile.mkdtemp()
    for name, text in [("a.yaml.j2", "kafka_uri: {{ KAFKA_URI }}\n"),
                       ("b.conf.j2", "url = mysql://{{ MYSQL_USER }}@{{ MYSQL_HOST }}/db\n")]:
        with open(os.path.join(work, name), "w") as f:
            f.write(text)
    out = os.path.join(work, "out")
    os.mkdir(out)
    env = {**os.environ, "KAFKA_URI": "kafka:9092", "MYSQL_USER": "u", "MYSQL_HOST": "h"}
    sources = [os.path.join(work, n) for n in ("a.yaml.j2", "b.conf.j2")]
    row("plinth template", [PLINTH, "template", *sources, out], env)
    row("templer -f (PyPI)", ["templer", "-f", *sources, out], env)
    row("j2 (one file)", ["j2", sources[0], "-o", os.path.join(out, "a.yaml")], env)
    shutil.rmtree(work)


def latency(name, start_wait, make_ready, runs=5):
    """Starts a wait, makes the dependency ready 1 s later, and reports how
    long after that the wait returned."""
    delays = []
    for _ in range(runs):
        wait = start_wait()
        time.sleep(1.0)
        ready_at = make_ready()
        wait.wait(timeout=30)
        delays.append(time.monotonic() - ready_at)
    print(f"  {name:<44} median {statistics.median(delays) * 1000:5.0f} ms"
          f"   max {max(delays) * 1000:5.0f} ms")


def readiness():
    print("\nReadiness noticed after the dependency became ready (5 runs each):")
    quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}

    def tcp_case():
        holder = {"sockets": []}

        def start():
            holder["port"] = free_port()
            target = f"127.0.0.1:{holder['port']}"
            return subprocess.Popen([PLINTH, "wait", "tcp", target], **quiet)

        def ready():
            s = socket.socket()
            s.bind(("127.0.0.1", holder["port"]))
            s.listen(16)
            holder["sockets"].append(s)
            return time.monotonic()
        latency("plinth wait tcp (port opens)", start, ready)
        for s in holder["sockets"]:
            s.close()

    def kafka_case():
        names = iter(f"late{i}_{os.getpid()}" for i in range(100))
        current = {}

        def start():
            current["topic"] = next(names)
            return subprocess.Popen([PLINTH, "wait", "kafka", "--uri", KAFKA,
                                     "--topics", current["topic"]], **quiet)

        def ready():
            subprocess.run([TANSU, "topic", "create", current["topic"], "--broker",
                            f"tcp://{KAFKA}", "--partitions", "1"], check=True, **quiet)
            return time.monotonic()
        latency("plinth wait kafka (topic created)", start, ready)

    def mysql_case():
        names = iter(f"late{i}" for i in range(100))
        current = {}
        base = {**os.environ, "MYSQL_HOST": "127.0.0.1", "MYSQL_PORT": MYSQL_PORT,
                "MYSQL_USER": "root_tcp", "MYSQL_PASSWORD": "bench-root"}
        sql(f"CREATE USER IF NOT EXISTS 'root_tcp'@'%' IDENTIFIED BY 'bench-root';"
            f" GRANT ALL ON *.* TO 'root_tcp'@'%';")

        def start():
            current["db"] = next(names)
            env = {**base, "MYSQL_DB": current["db"]}
            return subprocess.Popen([PLINTH, "wait", "mysql"], env=env, **quiet)

        def ready():
            sql(f"CREATE DATABASE {current['db']}")
            return time.monotonic()
        latency("plinth wait mysql (database created)", start, ready)

    tcp_case()
    kafka_case()
    mysql_case()


def sql(statement):
    env = {k: v for k, v in os.environ.items() if not k.startswith("MYSQL")}
    subprocess.run(["mariadb", "--no-defaults", f"--socket={SOCKET}", "-uroot",
                    "-e", statement], check=True, env=env)


def idle_init():
    print("\nIdle init running `sleep 60` (RSS after 1 s, CPU over the next 3 s):")
    for name, cmd in [("plinth init", [PLINTH, "init", "--"]),
                      ("tini", ["tini", "--"]),
                      ("tini-static", ["tini-static", "--"]),
                      ("dumb-init", ["dumb-init"])]:
        proc = subprocess.Popen([*cmd, "sleep", "60"])
        time.sleep(1)
        rss = status_kib(proc.pid, "VmRSS")
        before = cpu_ticks(proc.pid)
        time.sleep(3)
        used = cpu_ticks(proc.pid) - before
        proc.terminate()
        proc.wait(timeout=10)
        print(f"  {name:<44} rss {rss / 1024:5.2f} MiB   cpu ticks in 3 s: {used}")


def status_kib(pid, field):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return 0


def cpu_ticks(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])


def sizes():
    print("\nBinary sizes (plinth's target: at most 5 MB):")
    for name, path in [("plinth (static)", PLINTH),
                       ("tini-static", shutil.which("tini-static")),
                       ("dumb-init", shutil.which("dumb-init"))]:
        size = os.path.getsize(path)
        print(f"  {name:<44} {size:>9} bytes ({size / 1e6:.2f} MB)")


if __name__ == "__main__":
    ready_checks()
    templates()
    readiness()
    idle_init()
    sizes()
