#!/usr/bin/env bash
# Makes the start-up archive that ./tria-ready uses, from one training run (io.triaready.cli.Training:
# the audit in training.yaml, validate, help, --version) against a real sshd and HTTP server that
# this script starts on free loopback ports and stops when it ends:
#   JDK 17-24: a static AppCDS archive   OUT_DIR/tria-ready.jsa (+ .jsa.java, the JVM it is for)
#   JDK 25+:   an AOT cache              OUT_DIR/tria-ready.aot (+ .aot.java)
# Run by `mvn package` (app/pom.xml). It never fails the build: whatever is missing (sshd, ssh-keygen,
# python3) is replaced by a refused port and said in one line, and a JVM that cannot make an archive
# leaves none. Everything it writes is under OUT_DIR.
#   usage: train.sh JAVA_HOME JAR OUT_DIR [OTHER_JDK_HOME]
# OTHER_JDK_HOME (-Dtria-ready.aot.jdk=...) makes that JDK's archive too, e.g. a JDK 25 cache from a JDK 17 build.
# TRIA_READY_TRAIN_SSHD and TRIA_READY_TRAIN_PYTHON override /usr/sbin/sshd and python3 (tests).
set -uo pipefail
say() { echo "tria-ready start-up archive: $*"; }
[ $# -ge 3 ] || { echo "usage: $0 JAVA_HOME JAR OUT_DIR [OTHER_JDK_HOME]" >&2; exit 0; }
build_jdk=$1 jar=$(readlink -f "$2") out=$(readlink -f "$3") other_jdk=${4:-}
here=$(cd "$(dirname "$0")" && pwd)
sshd_bin=${TRIA_READY_TRAIN_SSHD:-/usr/sbin/sshd}
python=${TRIA_READY_TRAIN_PYTHON:-python3}
work=$out/cds-training
pids=()
cleanup() { for p in ${pids[@]+"${pids[@]}"}; do kill "$p" 2>/dev/null; done; for p in ${pids[@]+"${pids[@]}"}; do wait "$p" 2>/dev/null; done; }
trap cleanup EXIT

# A stale archive must not outlive the jar it was made for (the launcher also checks dates).
rm -f "$out"/tria-ready.jsa "$out"/tria-ready.jsa.java "$out"/tria-ready.aot "$out"/tria-ready.aot.java
rm -rf "$work"
mkdir -p "$work"/{home,tmp,srv/etc,srv/var/log,www,ssh} || { say "cannot write $work; none made"; exit 0; }
[ -f "$jar" ] || { say "$jar not found; none made"; exit 0; }

# --- the target: a server tree, an HTTP server, an sshd ----------------------------------------
printf '[Service]\nExecStart=/usr/bin/true\nRestart=always\n' > "$work/srv/etc/app.service"
printf 'DATABASE_URL=postgresql://app@127.0.0.1/app\nREDIS_HOST=127.0.0.1\n' > "$work/srv/.env"
printf '{"status": "healthy", "ok": true}\n' > "$work/www/health.json"
printf '# TYPE http_requests_total counter\nhttp_requests_total 1\n' > "$work/www/metrics.txt"
for f in .bashrc .profile; do [ -f /etc/skel/$f ] && cp /etc/skel/$f "$work/home/"; done

free_port() {  # a port nothing answers on, from the ephemeral-free range 20000-29999
  local p
  for _ in $(seq 50); do
    p=$((20000 + RANDOM % 10000))
    (exec 3<>/dev/tcp/127.0.0.1/$p) 2>/dev/null || { echo $p; return 0; }
  done
  return 1
}
answers() {  # port [prefix]: something listens (and its first line starts with prefix)
  local line
  exec 3<>/dev/tcp/127.0.0.1/"$1" || return 1
  if [ -n "${2:-}" ]; then IFS= read -r -t 2 line <&3 || { exec 3<&-; return 1; }; fi
  exec 3<&-
  [ -z "${2:-}" ] || [[ $line == "$2"* ]]
}
await() {  # pid port [prefix]: wait up to 10 s for the server to answer
  for _ in $(seq 100); do
    kill -0 "$1" 2>/dev/null || return 1
    answers "$2" "${3:-}" 2>/dev/null && return 0
    sleep 0.1
  done
  return 1
}

missing=()
http_port=9
if command -v "$python" >/dev/null 2>&1; then
  for _ in 1 2 3; do
    p=$(free_port) || break
    "$python" -m http.server "$p" --bind 127.0.0.1 --directory "$work/www" >"$work/http.log" 2>&1 </dev/null &
    pid=$!
    if await $pid "$p"; then pids+=($pid); http_port=$p; break; fi
    kill $pid 2>/dev/null; wait $pid 2>/dev/null
  done
  [ "$http_port" != 9 ] || missing+=("the HTTP server did not start (see $work/http.log)")
else
  missing+=("no $python")
fi

ssh_port=9
k=$work/ssh
if [ ! -x "$sshd_bin" ]; then
  missing+=("no $sshd_bin (openssh-server)")
elif ! command -v ssh-keygen >/dev/null 2>&1; then
  missing+=("no ssh-keygen (openssh-client)")
elif ! { ssh-keygen -q -t ed25519 -N '' -C training-host -f "$k/host_ed25519" &&
         ssh-keygen -q -t ecdsa -b 256 -N '' -C training-host -f "$k/host_ecdsa" &&
         ssh-keygen -q -t ed25519 -N '' -C training -f "$k/id_ed25519" &&
         ssh-keygen -q -t ecdsa -b 256 -N '' -C training -f "$k/id_ecdsa"; } >/dev/null 2>&1; then
  missing+=("ssh-keygen failed")
else
  cat "$k/id_ecdsa.pub" "$k/id_ed25519.pub" > "$k/authorized_keys"
  [ "$(id -u)" != 0 ] || mkdir -p /run/sshd 2>/dev/null   # privilege separation directory
  for _ in 1 2 3; do
    p=$(free_port) || break
    # two addresses, two hosts for tria-ready: one logs in with ECDSA keys, one with ed25519
    cat > "$k/sshd_config" <<EOF
ListenAddress 127.0.0.1:$p
ListenAddress 127.0.0.2:$p
HostKey $k/host_ecdsa
HostKey $k/host_ed25519
PidFile none
AuthorizedKeysFile $k/authorized_keys
PermitRootLogin yes
PubkeyAuthentication yes
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
StrictModes no
PrintMotd no
PrintLastLog no
SetEnv HOME=$work/home
LogLevel INFO
EOF
    "$sshd_bin" -D -e -f "$k/sshd_config" >"$work/sshd.log" 2>&1 </dev/null &
    pid=$!
    if await $pid "$p" SSH-; then pids+=($pid); ssh_port=$p; break; fi
    kill $pid 2>/dev/null; wait $pid 2>/dev/null
  done
  [ "$ssh_port" != 9 ] || missing+=("sshd did not start (see $work/sshd.log)")
fi
{
  echo "[127.0.0.1]:$ssh_port $(cut -d' ' -f1,2 "$k/host_ecdsa.pub" 2>/dev/null)"
  echo "[127.0.0.2]:$ssh_port $(cut -d' ' -f1,2 "$k/host_ed25519.pub" 2>/dev/null)"
} > "$k/known_hosts"
cat > "$work/targets.yaml" <<EOF
targets:
  training:
    ssh: {user: "$(id -un)", port: $ssh_port, known_hosts: "$k/known_hosts", ssh_config: none, agent: none, connect_timeout: 5s}
    hosts:
      - {name: ecdsa, host: 127.0.0.1, identity: "$k/id_ecdsa"}
      - {name: ed25519, host: 127.0.0.2, identity: "$k/id_ed25519"}
    http: {base_url: "http://127.0.0.1:$http_port"}
    vars: {srv: "$work/srv", ssh_port: "$ssh_port"}
EOF
if [ ${#missing[@]} -eq 0 ]; then
  how="trained against sshd and HTTP on loopback"
else
  how="trained offline ($(IFS=';'; echo "${missing[*]}" | sed 's/;/; /g'): its SSH and HTTP checks are errors)"
fi

# --- one training run and one dump per JDK ---------------------------------------------------
# the launcher's flags: the AOT cache needs the same collector at run time
flags=(-XX:TieredStopAtLevel=1 -XX:CICompilerCount=1 -XX:CompileThresholdScaling=2 -XX:+UseSerialGC -Xss1m -XX:-UsePerfData "-Duser.home=$work/home" "-Djava.io.tmpdir=$work/tmp")
# a guard, not a budget: the checks have their own timeouts, but a hung build is worse than no archive
limit=(); command -v timeout >/dev/null 2>&1 && limit=(timeout 300)
train=(-cp "$jar" io.triaready.cli.Training)
marker() {  # jdk file: what the launcher compares with the java it runs (no JVM started for that)
  printf '%s\n%s\n' "$(readlink -f "$1/bin/java")" "$(sed -n 's/^JAVA_RUNTIME_VERSION="\(.*\)"$/\1/p' "$1/release")" > "$2"
}
outcome() {  # the training's output: its own line only (a JDK may print more on stdout)
  grep -m1 '^training audit: ' <<<"$1" || echo "the training run printed no result (see its files in $work)"
}
archive() {  # jdk [aot]
  local jdk=$1 java=$1/bin/java feature d result
  feature=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$jdk/release" 2>/dev/null)
  if [ ! -x "$java" ] || [ -z "$feature" ]; then say "$jdk is not a JDK; none made for it"; return; fi
  if [ "${2:-}" = aot ] && [ "$feature" -lt 25 ]; then say "$jdk is JDK $feature: an AOT cache needs JDK 25+; none made for it"; return; fi
  d=$work/jdk$feature
  mkdir -p "$d"
  local logs=(-Xlog:disable "-Xlog:all=warning:file=$d/training-jvm.log")  # JVM warnings would mix with the result line
  if [ "$feature" -ge 25 ]; then
    result=$(cd "$d" && TRIA_READY_STORE="$d/store" ${limit[@]+"${limit[@]}"} "$java" "${flags[@]}" -XX:AOTMode=record -XX:AOTConfiguration="$d/tria-ready.aotconf" \
      "${logs[@]}" "${train[@]}" "$d" "$here/training.yaml" "$work/targets.yaml" 2>"$d/training.err" </dev/null)
    if (cd "$d" && ${limit[@]+"${limit[@]}"} "$java" "${flags[@]}" -XX:AOTMode=create -XX:AOTConfiguration="$d/tria-ready.aotconf" -XX:AOTCache="$out/tria-ready.aot" \
        -cp "$jar" >"$d/create.log" 2>&1 </dev/null) && [ -s "$out/tria-ready.aot" ]; then
      marker "$jdk" "$out/tria-ready.aot.java"
      rm -f "$d/tria-ready.aotconf"   # 10+ MB, only needed to create the cache
      say "$out/tria-ready.aot for JDK $feature, $how; $(outcome "$result")"
    else
      rm -f "$out/tria-ready.aot"
      say "JDK $feature could not make an AOT cache (see $d/create.log); none made"
    fi
  else
    result=$(cd "$d" && TRIA_READY_STORE="$d/store" ${limit[@]+"${limit[@]}"} "$java" "${flags[@]}" -XX:DumpLoadedClassList="$d/classes.lst" \
      "${logs[@]}" "${train[@]}" "$d" "$here/training.yaml" "$work/targets.yaml" 2>"$d/training.err" </dev/null)
    # a static dump (unlike -XX:ArchiveClassesAtExit) also takes picocli's class files (version 49)
    if (cd "$d" && ${limit[@]+"${limit[@]}"} "$java" -XX:-UsePerfData -Xshare:dump -XX:SharedClassListFile="$d/classes.lst" -XX:SharedArchiveFile="$out/tria-ready.jsa" \
        -cp "$jar" >"$d/dump.log" 2>&1 </dev/null) && [ -s "$out/tria-ready.jsa" ]; then
      marker "$jdk" "$out/tria-ready.jsa.java"
      say "$out/tria-ready.jsa for JDK $feature, $how; $(outcome "$result")"
    else
      rm -f "$out/tria-ready.jsa"
      say "JDK $feature could not make a CDS archive (see $d/dump.log); none made"
    fi
  fi
}
archive "$build_jdk"
if [ -n "$other_jdk" ] && [ "$(readlink -f "$other_jdk")" != "$(readlink -f "$build_jdk")" ]; then archive "$other_jdk" aot; fi
exit 0
