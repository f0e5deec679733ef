# shellcheck shell=bash
# Shared helpers for the orphan-reaper test beds (sourced by ./slurm, ./gridengine, ./selftest).
#
# Safety rule: these scripts only ever signal processes whose PID they recorded themselves
# when they started them. A record is "PID STARTTIME EXE"; before signalling, the PID must
# still exist, /proc/PID/exe must still be EXE and field 22 of /proc/PID/stat must still be
# STARTTIME (so a recycled PID is never signalled). Nothing is ever killed by name.

TESTBED_ROOT=${TESTBED_ROOT:-/var/lib/orphan-reaper-testbed}

die() {
  echo "$PROG: $*" >&2
  exit 1
}

need_root() {
  [ "$(id -u)" = 0 ] || die "must run as root"
}

# Starttime (clock ticks since boot) of PID, from /proc/PID/stat field 22. Fails if gone.
proc_starttime() {
  local s
  s=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
  s=${s##*) } # comm may contain spaces and ')': cut after the last ')'
  # shellcheck disable=SC2086
  set -- $s # $1 is field 3 (state), so field 22 is $20
  echo "${20}"
}

proc_exe() {
  readlink "/proc/$1/exe" 2>/dev/null
}

# The PID namespace this script runs in ("pid:[4026531836]"): a record made in another one
# (e.g. by a test inside `unshare --pid --fork --mount-proc`) names PIDs of that namespace.
pid_ns() {
  readlink /proc/self/ns/pid 2>/dev/null || echo unknown
}

# record_pid DIR NAME PID EXE: remember that we started PID running EXE (symlinks resolved:
# Debian's /usr/sbin/slurmd is an alternatives link to slurmd-wlm). The record is
# "PID STARTTIME EXE PIDNS".
record_pid() {
  local dir=$1 name=$2 pid=$3 exe st
  exe=$(readlink -f "$4")
  st=$(proc_starttime "$pid") || return 1
  mkdir -p "$dir"
  echo "$pid $st $exe $(pid_ns)" >"$dir/$name.pid.tmp"
  mv -f "$dir/$name.pid.tmp" "$dir/$name.pid"
}

# recorded_pid DIR NAME: print the PID if the recorded process still runs the recorded
# executable with the recorded start time; else remove a stale record and fail. A record made
# in another PID namespace is left alone (not ours to judge from here) and fails.
recorded_pid() {
  local dir=$1 name=$2 pid st exe ns cur_st cur_exe
  [ -f "$dir/$name.pid" ] || return 1
  read -r pid st exe ns <"$dir/$name.pid" || true
  if [ -n "${ns:-}" ] && [ "$ns" != "$(pid_ns)" ]; then
    return 1
  fi
  if [ -n "${pid:-}" ] && [[ $pid =~ ^[0-9]+$ ]]; then
    cur_st=$(proc_starttime "$pid") || cur_st=
    cur_exe=$(proc_exe "$pid") || cur_exe=
    cur_exe=${cur_exe% (deleted)}
    if [ -n "$cur_st" ] && [ "$cur_st" = "$st" ] && [ "$cur_exe" = "$exe" ]; then
      echo "$pid"
      return 0
    fi
  fi
  rm -f "$dir/$name.pid" # stale: process gone or PID reused
  return 1
}

# proc_gone PID STARTTIME: the process that had STARTTIME has fully exited: no /proc entry,
# PID reused, or a zombie whose threads are all gone (a multi-threaded daemon's leader can be a
# zombie while its other threads still shut down and hold ports and files).
proc_gone() {
  local st state
  st=$(proc_starttime "$1") || return 0
  [ "$st" = "$2" ] || return 0
  state=$(awk '$1 == "State:" {print $2}' "/proc/$1/status" 2>/dev/null) || return 0
  [ -n "$state" ] || return 0
  case "$state" in Z | X) [ "$(ls "/proc/$1/task" 2>/dev/null | wc -l)" -le 1 ] ;; *) return 1 ;; esac
}

# stop_recorded DIR NAME [TIMEOUT]: SIGTERM the recorded process, wait until it has fully
# exited, SIGKILL it (same PID and start time) if needed.
stop_recorded() {
  local dir=$1 name=$2 timeout=${3:-20} pid st i
  pid=$(recorded_pid "$dir" "$name") || return 0
  st=$(proc_starttime "$pid") || return 0
  kill -TERM "$pid" 2>/dev/null || true
  for ((i = 0; i < timeout * 5; i++)); do
    if proc_gone "$pid" "$st"; then
      rm -f "$dir/$name.pid"
      return 0
    fi
    sleep 0.2
  done
  echo "$PROG: $name (pid $pid) ignored SIGTERM for ${timeout}s, sending SIGKILL" >&2
  [ "$(proc_starttime "$pid")" = "$st" ] && kill -KILL "$pid" 2>/dev/null || true
  for ((i = 0; i < 50; i++)); do
    if proc_gone "$pid" "$st"; then
      rm -f "$dir/$name.pid"
      return 0
    fi
    sleep 0.2
  done
  echo "$PROG: $name (pid $pid) still alive" >&2
  return 1
}

# wait_for SECONDS CMD...: run CMD every 0.25 s until it succeeds; fail after SECONDS.
wait_for() {
  local secs=$1 i
  shift
  for ((i = 0; i < secs * 4; i++)); do
    if "$@" >/dev/null 2>&1; then return 0; fi
    sleep 0.25
  done
  return 1
}

# pid_from_file FILE EXE [SECS]: wait (default 30 s) until FILE names a live PID running EXE;
# print it.
pid_from_file() {
  local file=$1 exe secs=${3:-30} pid i
  exe=$(readlink -f "$2")
  for ((i = 0; i < secs * 4; i++)); do
    if [ -s "$file" ]; then
      read -r pid <"$file" || true
      if [[ ${pid:-} =~ ^[0-9]+$ ]] && [ "$(proc_exe "$pid")" = "$exe" ]; then
        echo "$pid"
        return 0
      fi
    fi
    sleep 0.25
  done
  return 1
}

# The test users: ortest1 and ortest2 (and same-named groups) with the uids the caller picked
# free (the Java tests pick uids that no passwd or group entry and no process of the host uses
# and pass them in ORTEST1_UID / ORTEST2_UID; 5001 and 5002 by default). They never go into the
# host's /etc: into a chroot's own files, or into copies bound over /etc/passwd and friends in
# a private mount namespace (private_etc).
ORTEST1_UID=${ORTEST1_UID:-5001}
ORTEST2_UID=${ORTEST2_UID:-5002}

# in_private_mounts: this shell runs in a mount namespace of its own, not the host's. The
# caller names the host's in TESTBED_HOST_MNT_NS ("mnt:[4026531841]"), as the Java tests,
# selftest and capture-slurm do (they run the beds inside unshare --pid --fork --mount-proc,
# whose mounts vanish with the namespace and never reach the host).
in_private_mounts() {
  [ -n "${TESTBED_HOST_MNT_NS:-}" ] && [ "$(readlink /proc/self/ns/mnt)" != "$TESTBED_HOST_MNT_NS" ]
}

need_private_mounts() {
  in_private_mounts || die "refusing to change the host's /etc: run this inside a private mount" \
    "namespace (unshare --pid --fork --mount-proc) with TESTBED_HOST_MNT_NS=\$(readlink" \
    "/proc/self/ns/mnt) taken outside it, as src/test/testbeds/selftest does"
}

# private_bind SRC TARGET: bind SRC over TARGET in this private mount namespace (once).
private_bind() {
  need_private_mounts
  local src=$1 target=$2
  if awk -v t="$target" '$5 == t {found = 1} END {exit !found}' /proc/self/mountinfo; then
    return 0 # bound already in this namespace (a second start)
  fi
  mount --bind "$src" "$target"
}

# private_etc DIR: in this private mount namespace only, /etc/passwd, group, shadow and gshadow
# become copies in DIR/etc with the test users added (homes under DIR/home). The copies start
# from what /etc shows now (the host's files, or another bed's copies bound earlier in this
# namespace) and are edited in place, so a bind stays on the same file. The host's files are
# read, never written.
private_etc() {
  need_private_mounts
  local dir=$1/etc f name uid
  mkdir -p "$dir" "$1/home"
  for f in passwd group shadow gshadow; do
    [ -e "/etc/$f" ] || continue
    cat "/etc/$f" >"$dir/$f.new"
    for name in ortest1 ortest2; do # a host or bed with users of these names keeps them
      grep -v "^$name:" "$dir/$f.new" >"$dir/$f.tmp" || true
      mv -f "$dir/$f.tmp" "$dir/$f.new"
    done
  done
  for name in ortest1 ortest2; do
    uid=$ORTEST1_UID
    [ "$name" = ortest2 ] && uid=$ORTEST2_UID
    ! cut -d: -f3 "$dir/passwd.new" | grep -qx "$uid" ||
      die "uid $uid already belongs to $(awk -F: -v u="$uid" '$3 == u {print $1}' "$dir/passwd.new")"
    ! cut -d: -f3 "$dir/group.new" | grep -qx "$uid" || die "gid $uid already belongs to a group"
    echo "$name:x:$uid:$uid::$1/home/$name:/bin/bash" >>"$dir/passwd.new"
    echo "$name:x:$uid:" >>"$dir/group.new"
    [ -e "$dir/shadow.new" ] && echo "$name:!:19000:0:99999:7:::" >>"$dir/shadow.new"
    [ -e "$dir/gshadow.new" ] && echo "$name:!::" >>"$dir/gshadow.new"
    mkdir -p "$1/home/$name"
    chown "$uid:$uid" "$1/home/$name"
    chmod 755 "$1/home/$name"
  done
  for f in passwd group shadow gshadow; do
    [ -e "$dir/$f.new" ] || continue
    if [ -e "$dir/$f" ] && [ "$(stat -c %d:%i "/etc/$f")" = "$(stat -c %d:%i "$dir/$f")" ]; then
      cat "$dir/$f.new" >"$dir/$f" # bound already in this namespace: same file, new content
      rm -f "$dir/$f.new"
    else
      mv -f "$dir/$f.new" "$dir/$f"
      chmod --reference="/etc/$f" "$dir/$f"
      chown --reference="/etc/$f" "$dir/$f"
      need_private_mounts
      mount --bind "$dir/$f" "/etc/$f"
    fi
  done
  return 0
}

# chroot_test_users ROOT: the test users in a chroot's own passwd and group (its own files).
# An earlier run's users or groups with other ids are removed first, both before either is
# added: this run's picks may overlap that run's (ortest1 now gets the uid ortest2 had).
chroot_test_users() {
  local root=$1 name uid cur
  for name in ortest1 ortest2; do
    uid=$ORTEST1_UID
    [ "$name" = ortest2 ] && uid=$ORTEST2_UID
    if cur=$(grep "^$name:" "$root/etc/passwd") && [ "$(echo "$cur" | cut -d: -f3,4)" != "$uid:$uid" ]; then
      chroot_run "$root" userdel -r "$name" >/dev/null 2>&1 || true # another run's pick
    fi
    if cur=$(grep "^$name:" "$root/etc/group") && [ "$(echo "$cur" | cut -d: -f3)" != "$uid" ]; then
      chroot_run "$root" groupdel "$name" >/dev/null 2>&1 || true
    fi
  done
  for name in ortest1 ortest2; do
    uid=$ORTEST1_UID
    [ "$name" = ortest2 ] && uid=$ORTEST2_UID
    grep -q "^$name:" "$root/etc/group" || chroot_run "$root" groupadd -g "$uid" "$name"
    grep -q "^$name:" "$root/etc/passwd" || chroot_run "$root" useradd -m -u "$uid" -g "$name" -s /bin/bash "$name"
  done
}

# apt_install PKG...: install missing packages, non-interactively, without recommends.
apt_install() {
  local missing=() p
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  export DEBIAN_FRONTEND=noninteractive
  if ! apt-get install -y --no-install-recommends -o DPkg::Lock::Timeout=120 "${missing[@]}"; then
    apt-get update -q
    apt-get install -y --no-install-recommends -o DPkg::Lock::Timeout=120 "${missing[@]}"
  fi
}

log_tail() {
  local f
  for f in "$@"; do
    [ -f "$f" ] || continue
    echo "---- last lines of $f ----" >&2
    tail -n 25 "$f" >&2
  done
}

# ---------------------------------------------------------------------------------------------
# Chroot helpers (a Debian suite other than the host's, debootstrapped under $TESTBED_ROOT, for
# the batch systems the host cannot install). Used by ./slurm for SLURM_TESTBED_SUITE=trixie etc.
CHROOT_PATH=/usr/sbin:/usr/bin:/sbin:/bin

# chroot_run ROOT CMD...: run CMD inside ROOT as root with a clean environment
chroot_run() {
  local root=$1
  shift
  env -i PATH="$CHROOT_PATH" HOME=/root LANG=C.UTF-8 TERM=dumb /usr/sbin/chroot "$root" "$@"
}

# chroot_mounts_under DIR: mountpoints under DIR in this mount namespace, deepest first
chroot_mounts_under() {
  awk -v d="$1/" '{ m = $5; gsub(/\\040/, " ", m); if (index(m "/", d) == 1) print m }' \
    /proc/self/mountinfo | sort -r
}

# chroot_umount_under DIR: unmount everything mounted under DIR (only our own chroot dirs)
chroot_umount_under() {
  local m i
  for m in $(chroot_mounts_under "$1"); do
    for ((i = 0; i < 20; i++)); do
      umount "$m" 2>/dev/null && break
      sleep 0.25
    done
    if mountpoint -q "$m"; then
      echo "$PROG: $m busy, detaching it (umount -l)" >&2
      umount -l "$m"
    fi
  done
}

# chroot_proc_ok ROOT: ROOT/proc is a procfs of *this* PID namespace (a copy of the host's
# mount, inherited by `unshare --mount-proc`, would show the host's PIDs): checked by this
# shell's PID, start time and exe.
chroot_proc_ok() {
  local root=$1 a b
  a=$(awk '{print $22}' "$root/proc/$$/stat" 2>/dev/null) || return 1
  b=$(awk '{print $22}' "/proc/$$/stat") || return 1 # bash's comm has no blank
  [ -n "$a" ] && [ "$a" = "$b" ] && [ "$(readlink "$root/proc/$$/exe")" = "$(readlink "/proc/$$/exe")" ]
}

# chroot_mount_proc ROOT: mount a procfs of this PID namespace on ROOT/proc
chroot_mount_proc() {
  local root=$1
  if mountpoint -q "$root/proc" && ! chroot_proc_ok "$root"; then
    umount "$root/proc" || umount -l "$root/proc"
  fi
  mountpoint -q "$root/proc" || mount -t proc -o nosuid,nodev,noexec proc "$root/proc"
  chroot_proc_ok "$root" || die "$root/proc does not show this PID namespace's processes"
}

# chroot_bootstrap ROOT SUITE MIRROR TIMEOUT LOG: a minimal Debian SUITE in ROOT (debootstrap
# --variant=minbase into ROOT.new, moved to ROOT when complete; a second try after a failure);
# then no docs, no service starts, ROOT/etc/hosts. Skipped if ROOT already has a complete base.
chroot_bootstrap() {
  local root=$1 suite=$2 mirror=$3 tmo=$4 log=$5 new=$1.new script=() try ok=0
  if [ ! -x "$root/usr/bin/apt-get" ] || [ -e "$root/debootstrap" ]; then
    command -v debootstrap >/dev/null || apt_install debootstrap >>"$log" 2>&1 ||
      { tail -n 30 "$log" >&2; die "apt-get install debootstrap failed (full log: $log)"; }
    # debootstrap knows no script for a suite newer than itself (forky): sid's fits every
    # current suite
    [ -e "/usr/share/debootstrap/scripts/$suite" ] || script=(/usr/share/debootstrap/scripts/sid)
    chroot_umount_under "$new"
    chroot_umount_under "$root"
    rm -rf --one-file-system "$new" "$root"
    mkdir -p "$(dirname "$root")"
    echo "$PROG: debootstrap $suite from $mirror (log: $log)" >&2
    for try in 1 2; do # a second try after a network hiccup
      if timeout "$tmo" debootstrap --variant=minbase \
        --keyring=/usr/share/keyrings/debian-archive-keyring.gpg \
        "$suite" "$new" "$mirror" "${script[@]}" >>"$log" 2>&1; then
        ok=1
        break
      fi
      chroot_umount_under "$new" # debootstrap mounts proc and sys in the target while it runs
      echo "$PROG: debootstrap attempt $try failed" >>"$log"
      [ $try = 2 ] || rm -rf --one-file-system "$new"
    done
    if [ $ok = 0 ]; then
      tail -n 30 "$log" >&2
      die "debootstrap failed or took more than ${tmo}s (full log: $log)"
    fi
    mv "$new" "$root"
  fi
  # no daemon may start from a maintainer script; no docs, man pages or translations
  printf '#!/bin/sh\nexit 101\n' >"$root/usr/sbin/policy-rc.d"
  chmod 755 "$root/usr/sbin/policy-rc.d"
  printf '%s\n' 'path-exclude=/usr/share/doc/*' 'path-exclude=/usr/share/man/*' \
    'path-exclude=/usr/share/info/*' 'path-exclude=/usr/share/locale/*' \
    >"$root/etc/dpkg/dpkg.cfg.d/01-orphan-reaper-nodoc"
  echo "127.0.0.1 localhost $(hostname)" >"$root/etc/hosts"
}

# chroot_apt_install ROOT TIMEOUT LOG PKG...: apt-get install PKG (no recommends) inside ROOT,
# with proc mounted only while apt runs; a second try (after a fresh apt-get update) if the
# first fails; then apt-get clean and no package lists (the root is a cache).
chroot_apt_install() {
  local root=$1 tmo=$2 log=$3 try rc=1 opts=()
  shift 3
  mountpoint -q "$root/proc" || mount -t proc proc "$root/proc"
  for try in 1 2; do
    rc=0
    if [ $try = 2 ] && grep -q 'Release file for .* is expired' "$log"; then
      # testing/unstable Release files are valid for a week only: a mirror that lags behind
      # (or a clock ahead of it) makes apt refuse them
      echo "$PROG: the suite's Release file has expired: retrying with Acquire::Check-Valid-Until=false" | tee -a "$log" >&2
      opts=(-o Acquire::Check-Valid-Until=false)
    fi
    {
      # (an install that was interrupted left dpkg half-done)
      env -i PATH="$CHROOT_PATH" DEBIAN_FRONTEND=noninteractive /usr/sbin/chroot "$root" \
        dpkg --configure -a &&
        timeout "$tmo" env -i PATH="$CHROOT_PATH" HOME=/root LANG=C.UTF-8 \
          DEBIAN_FRONTEND=noninteractive /usr/sbin/chroot "$root" \
          apt-get -q -o Acquire::Retries=3 "${opts[@]+"${opts[@]}"}" update &&
        timeout "$tmo" env -i PATH="$CHROOT_PATH" HOME=/root LANG=C.UTF-8 \
          DEBIAN_FRONTEND=noninteractive /usr/sbin/chroot "$root" \
          apt-get install -y -q --no-install-recommends -o Acquire::Retries=3 -o Dpkg::Use-Pty=0 "$@"
    } >>"$log" 2>&1 || rc=$?
    [ $rc = 0 ] && break
    echo "$PROG: apt-get install in the chroot, attempt $try failed (exit $rc)" >>"$log"
  done
  chroot_umount_under "$root"
  if [ $rc != 0 ]; then
    tail -n 30 "$log" >&2
    die "apt-get install $* in the chroot failed (exit $rc; full log: $log)"
  fi
  chroot_run "$root" apt-get clean >>"$log" 2>&1
  rm -rf "$root"/var/lib/apt/lists/*_Packages "$root"/var/lib/apt/lists/*_InRelease
}
