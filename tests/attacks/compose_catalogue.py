"""Attacks on a Compose lab (C1): files that replace or join the honest submission's.

Most ask the engine for the host (mounts, namespaces, privileges, the Docker socket, a build
context or env file outside the submission): the grader must refuse to start them. The others run
for real and must stay inside their containers (a fork bomb, a build that floods its output).
Each would leave /etc/cda-pwned on the host if it got through.
"""

APP = "services:\n  app:\n    build: .\n    env_file: .env\n{extra}"
TOUCH = '    command: ["sh", "-c", "touch /host/etc/cda-pwned; sleep 30"]\n'

COMPOSE_ATTACKS = {
    "compose-host-mount": {"compose.yaml": APP.format(extra="    volumes: ['/:/host']\n" + TOUCH)},
    "compose-symlink-mount": {"compose.yaml": APP.format(extra="    volumes: ['./racine:/host']\n" + TOUCH),
                              "racine": ("symlink", "/")},
    "compose-docker-socket": {"compose.yaml": APP.format(
        extra="    volumes: ['/var/run/docker.sock:/var/run/docker.sock']\n"
              '    command: ["sh", "-c", "docker run -v /:/host alpine touch /host/etc/cda-pwned"]\n')},
    "compose-privileged": {"compose.yaml": APP.format(
        extra="    privileged: true\n"
              '    command: ["sh", "-c", "mkdir /h && mount /dev/sda1 /h && touch /h/etc/cda-pwned"]\n')},
    "compose-host-pid": {"compose.yaml": APP.format(extra="    pid: host\n    network_mode: host\n")},
    "compose-build-context-escape": {"compose.yaml": "services:\n  app:\n    build: ../../../..\n"},
    "compose-env-file-of-the-host": {"compose.yaml": APP.replace("env_file: .env", "env_file: /etc/shadow")
                                     .format(extra="")},
    "compose-named-volume-bind": {"compose.yaml": APP.format(extra="    volumes: ['etc:/host/etc']\n" + TOUCH)
                                  + "volumes:\n  etc:\n    driver_opts: {type: none, o: bind, device: /etc}\n"},
    "compose-fork-bomb": {"Dockerfile.append": '\nCMD ["sh", "-c", "f() { f | f & }; f; sleep 60"]\n'},
    "compose-build-output-flood": {"Dockerfile.append": "\nRUN head -c 50000000 /dev/zero | tr '\\0' x\n"},
}
