/*
 * procfarm: the benchmark's process helper, compiled by bench/run at run time (gcc).
 *
 *   procfarm init (--farm N [--orphans PCT] | --forkfam M [--idle-family] | --families F
 *                  | --shape NAME [--setuid-helper PATH --shape-log FILE]) [--seed S] -- CMD [ARG...]
 *       Must be PID 1 of a fresh PID namespace (unshare --pid --fork --mount-proc): refuses
 *       otherwise, so it can never populate or reap the host. Builds N idle processes arranged
 *       as families (or one orphaned family of M members that keeps forking, or F small idle
 *       orphaned families of uid 5001, every other one ignoring SIGTERM, or one orphaned
 *       family of uid 5001 of the kill shape NAME: see "kill shapes" below), waits until every
 *       one has reported ready, runs CMD as its child, reaps everything, and exits with CMD's
 *       status. Its exit takes the namespace, and every process in it, down.
 *
 *   procfarm measure OUTFILE -- CMD [ARG...]
 *       Runs CMD and writes "wall_ms=... maxrss_kb=... status=... pid=... start_ms=..." to
 *       OUTFILE: monotonic wall time from fork to reaping, the peak RSS (ru_maxrss of wait4) of
 *       CMD and its descendants (for a launcher that execs java, the JVM's), CMD's pid, and when
 *       it was forked (CLOCK_MONOTONIC, ms).
 *
 *   procfarm syslogd SOCKET OUTFILE
 *       A stand-in for the node's syslog daemon: binds a unix datagram socket at SOCKET (which
 *       must not exist) and writes every datagram it receives to OUTFILE, one a line after the
 *       time it arrived (CLOCK_MONOTONIC, ms), until SIGTERM; then removes SOCKET and exits. For
 *       the many-families kill (bench/inside many).
 *
 * Idle processes are plain fork()s of this small static program that pause(): no exec, so each
 * costs a task, page tables and a few copied pages. Only the few "long command line" members
 * are re-executed, so that /proc/PID/cmdline has something long to read.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/time.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* ---- plan ------------------------------------------------------------------------------- */

enum kind { K_SPAWNER, K_JOB, K_USER_ORPHAN, K_SYS_ORPHAN, K_FORKFAM, K_SHAPE, K_MANY, K_KINDS };
static const char *kind_names[] = {"spawner", "job trees below a root slurmstepd (protected)",
                                   "orphaned families, uid >= 1000",
                                   "orphaned families, uid < 1000", "forking family",
                                   "kill shape (its root; the shape makes the rest)",
                                   "idle orphaned families of uid 5001"};

enum {
  F_ORPHAN_ROOT = 1 << 0, /* created by a setsid double fork: parent becomes init */
  F_SETSID = 1 << 1,      /* calls setsid() itself (a new session below a live parent) */
  F_LONGCMD = 1 << 2,     /* re-executes itself with a long argv (leaf only) */
  F_ZOMBIE = 1 << 3,      /* exits at once; its parent never reaps it (leaf only) */
  F_STOPPED = 1 << 4,     /* stops itself (state T), like a job suspended with ^Z */
  F_FORKER = 1 << 5,      /* keeps forking short-lived children */
  F_IGNTERM = 1 << 6,     /* ignores SIGTERM and respawns children that die */
  F_SETUIDPROG = 1 << 7,  /* keeps saved uid 0, like a setuid program */
};

struct node {
  int parent;       /* index in the plan; -1: created by the spawner */
  int first_child;  /* -1 when none */
  int next_sibling; /* -1 when none */
  int uid;
  int cmdlen;       /* bytes of argv for F_LONGCMD */
  unsigned short flags;
  unsigned char kind;
  unsigned char name;
};

static const char *names[] = {
    /*  0 */ "slurmd", "slurmstepd", "bash", "mpirun", "orted", "a.out", "python3", "srun",
    /*  8 */ "R", "matlab", "java", "gmx_mpi", "lmp_mpi", "root.exe", "Rscript", "make",
    /* 16 */ "boinc", "sleep", "jupyter-lab", "tmux: server", "ssh-agent", "dask-worker",
    /* 22 */ "Xvfb", "a) S 1 1 1", "(sd-pam)", "ray::IDLE", "code-server", "gpg-agent",
    /* 28 */ "rsyslogd", "sshd", "cron", "munged", "dbus-daemon", "chronyd", "nscd", "gmond",
    /* 36 */ "supervisor", "worker", "cc1", "ld",
};
enum { NM_SLURMD = 0, NM_STEPD = 1, NM_BASH = 2, NM_JOB_FIRST = 3, NM_JOB_LAST = 15,
       NM_USER_FIRST = 16, NM_USER_LAST = 27, NM_SYS_FIRST = 28, NM_SYS_LAST = 35,
       NM_SUPERVISOR = 36, NM_WORKER = 37 };

static struct node *plan;
static int nplan, cap;
static int *tops; /* nodes the spawner creates itself */
static int ntops;
static int kind_count[K_KINDS], kind_families[K_KINDS];
static int n_longcmd, n_zombie, n_stopped, n_setsid, n_setuidprog, max_depth_seen;
static int n_ignterm_families, n_ignterm_procs; /* --families: those that ignore SIGTERM */

static uint64_t rng = 0x9E3779B97F4A7C15ULL;
static uint32_t rnd(void) {
  rng ^= rng << 13;
  rng ^= rng >> 7;
  rng ^= rng << 17;
  return (uint32_t)(rng >> 11);
}
static int between(int lo, int hi) { return lo + (int)(rnd() % (uint32_t)(hi - lo + 1)); }
static int chance(int per_mille) { return (int)(rnd() % 1000) < per_mille; }

static void die(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  fputs("procfarm: ", stderr);
  vfprintf(stderr, fmt, ap);
  fputc('\n', stderr);
  va_end(ap);
  exit(70);
}

static int add(int parent, int kind, int uid, int name, int flags) {
  if (nplan == cap) {
    cap = cap ? cap * 2 : 1024;
    plan = realloc(plan, sizeof *plan * (size_t)cap);
    if (!plan) die("out of memory");
  }
  struct node *n = &plan[nplan];
  n->parent = parent;
  n->first_child = -1;
  n->next_sibling = -1;
  n->uid = uid;
  n->cmdlen = 0;
  n->flags = (unsigned short)flags;
  n->kind = (unsigned char)kind;
  n->name = (unsigned char)name;
  if (parent >= 0) { /* append as last child so children fork in plan order */
    int *link = &plan[parent].first_child;
    while (*link >= 0) link = &plan[*link].next_sibling;
    *link = nplan;
  } else {
    tops = realloc(tops, sizeof *tops * (size_t)(ntops + 1));
    tops[ntops++] = nplan;
  }
  kind_count[kind]++;
  return nplan++;
}

static int depth_of(int i) {
  int d = 0;
  while (plan[i].parent >= 0) i = plan[i].parent, d++;
  return d;
}

/* A random recursive tree of `size` members below `root` (realistic shallow fan-out), or a
 * chain when `chain` is set. */
static void grow(int root, int size, int chain, int kind, int uid, int name_lo, int name_hi) {
  int *members = malloc(sizeof(int) * (size_t)size);
  members[0] = root;
  for (int k = 1; k < size; k++) {
    int parent = chain ? members[k - 1] : members[rnd() % (uint32_t)k];
    int flags = 0;
    if (!chain && kind == K_USER_ORPHAN && chance(30)) flags |= F_SETSID;
    members[k] = add(parent, kind, uid, between(name_lo, name_hi), flags);
  }
  int d = depth_of(members[size - 1]);
  if (d > max_depth_seen) max_depth_seen = d;
  free(members);
}

/* Leaves get the rarer traits: long command lines, zombies, stopped processes. */
static void decorate_leaves(int from, int kind_filter) {
  int first_leaf = -1;
  for (int i = from; i < nplan; i++) {
    struct node *n = &plan[i];
    if (n->kind != kind_filter || n->first_child >= 0) continue;
    if (first_leaf < 0) first_leaf = i;
    if (chance(60)) {
      n->flags |= F_LONGCMD;
      n->cmdlen = chance(200) ? between(32768, 120000) : between(1024, 16384);
      n_longcmd++;
    } else if (n->parent >= 0 && chance(8)) {
      n->flags |= F_ZOMBIE;
      n_zombie++;
    } else if (chance(4)) {
      n->flags |= F_STOPPED;
      n_stopped++;
    }
  }
  if (n_longcmd == 0 && first_leaf >= 0) { /* at least one, however small the farm */
    plan[first_leaf].flags = (unsigned short)((plan[first_leaf].flags & ~(F_ZOMBIE | F_STOPPED)) | F_LONGCMD);
    plan[first_leaf].cmdlen = 70000;
    n_longcmd++;
  }
}

/* The farm: `orphan_pct` % of the processes in orphaned families of uids >= 1000 (the reaper's
 * candidates), up to 60 system daemons (orphaned families of uids < 1000, protected by the hard
 * floor but still families, as on a real node), and the rest in batch jobs laid out as on a real
 * Slurm node: each job below a root slurmstepd whose parent is init and whose session is its
 * own (src/test/resources/evidence/slurm-ps-job-running.txt), so that every job is an orphaned
 * family the hard floor protects at its root, as every systemd service's is. */
static void plan_farm(int total, int orphan_pct) {
  add(-1, K_SPAWNER, 0, NM_SLURMD, 0); /* the spawner itself stands in for slurmd */
  int users = (int)((long)total * orphan_pct / 100);
  int sys = total / 10 < 60 ? total / 10 : 60;
  int jobs = total - 1 - users - sys;
  int job_no = 0;
  while (jobs >= 3) {
    int size = jobs < 6 ? jobs : between(3, jobs < 160 ? jobs : 120);
    if (jobs - size < 3) size = jobs;
    int uid = 5000 + (job_no++ % 40);
    int stepd = add(-1, K_JOB, 0, NM_STEPD, F_ORPHAN_ROOT);
    int shell = add(stepd, K_JOB, uid, NM_BASH, F_SETSID);
    int rest = size - 2, shape = (int)(rnd() % 3);
    if (shape == 0) { /* mpirun with ranks, some ranks with helpers */
      int mpirun = add(shell, K_JOB, uid, NM_JOB_FIRST, 0);
      for (rest--; rest > 0; rest--) {
        int r = add(mpirun, K_JOB, uid, 5, 0);
        if (rest > 1 && chance(200)) add(r, K_JOB, uid, 6, 0), rest--;
      }
    } else if (shape == 1) { /* a pipeline/make: a deeper random tree */
      if (rest > 0) grow(add(shell, K_JOB, uid, 15, 0), rest, 0, K_JOB, uid, 2, 15);
    } else { /* a python pool */
      int py = rest > 0 ? add(shell, K_JOB, uid, 6, 0) : -1;
      for (rest--; rest > 0; rest--) add(py, K_JOB, uid, 6, 0);
    }
    kind_families[K_JOB]++;
    jobs -= size;
  }
  for (; jobs > 0; jobs--) add(-1, K_JOB, 0, NM_STEPD, F_ORPHAN_ROOT); /* leftovers: idle stepds */

  int user_from = nplan;
  while (users > 0) {
    int r = (int)(rnd() % 1000), size;
    int chain = 0;
    if (r < 600) size = 1;
    else if (r < 850) size = between(2, 4);
    else if (r < 975) size = between(5, 20);
    else if (r < 995) size = between(20, 120), chain = (int)(rnd() % 2);
    else size = between(100, 400); /* a wide one: a user's forgotten parallel run */
    if (size > users) size = users;
    int uid = between(0, 9) == 0 ? between(60000, 65000) : between(1000, 1199);
    int flags = F_ORPHAN_ROOT;
    if (chance(10)) flags |= F_SETUIDPROG, n_setuidprog++;
    int root = add(-1, K_USER_ORPHAN, uid, between(NM_USER_FIRST, NM_USER_LAST), flags);
    if (size > 1) grow(root, size, chain, K_USER_ORPHAN, uid, NM_USER_FIRST, NM_USER_LAST);
    kind_families[K_USER_ORPHAN]++;
    users -= size;
  }
  decorate_leaves(user_from, K_USER_ORPHAN);

  while (sys > 0) {
    int size = between(1, 4);
    if (size > sys) size = sys;
    int uid = chance(400) ? 0 : between(100, 999);
    int root = add(-1, K_SYS_ORPHAN, uid, between(NM_SYS_FIRST, NM_SYS_LAST), F_ORPHAN_ROOT);
    if (size > 1) grow(root, size, 0, K_SYS_ORPHAN, uid, NM_SYS_FIRST, NM_SYS_LAST);
    kind_families[K_SYS_ORPHAN]++;
    sys -= size;
  }
  for (int i = 0; i < nplan; i++) n_setsid += (plan[i].flags & F_SETSID) != 0;
}

/* One orphaned family of `total` members that keeps forking: every member forks a short-lived
 * child every 0.1-2 s; one in ten ignores SIGTERM and respawns children that die. */
static int idle_family; /* --idle-family: the same family without the forking (a control) */

static void plan_forkfam(int total) {
  add(-1, K_SPAWNER, 0, NM_SLURMD, 0);
  int forker = idle_family ? 0 : F_FORKER;
  int root = add(-1, K_FORKFAM, 5001, NM_SUPERVISOR, F_ORPHAN_ROOT | forker | F_IGNTERM);
  int *members = malloc(sizeof(int) * (size_t)total);
  int *kids = calloc((size_t)total, sizeof(int));
  members[0] = root;
  for (int k = 1; k < total; k++) {
    int p;
    do p = (int)(rnd() % (uint32_t)k); while (kids[p] >= 12); /* bounded fan-out */
    kids[p]++;
    int flags = forker | (chance(100) ? F_IGNTERM : 0);
    members[k] = add(members[p], K_FORKFAM, 5001, k % 5 ? NM_WORKER : NM_BASH, flags);
  }
  kind_families[K_FORKFAM] = 1;
  for (int k = 0; k < total; k++) {
    int d = depth_of(members[k]);
    if (d > max_depth_seen) max_depth_seen = d;
  }
  free(members);
  free(kids);
}

/* F small idle orphaned families of uid 5001, each made by the spawner's setsid double fork
 * (its root's parent is init): 3 in 4 a single process, 1 in 4 a tree of 2-4. Every other
 * family (the odd ones) ignores SIGTERM in all its members, so a kill must wait out its
 * --kill-after and SIGKILL them; the others die of the TERM. */
static void plan_families(int families) {
  add(-1, K_SPAWNER, 0, NM_SLURMD, 0);
  for (int f = 0; f < families; f++) {
    int size = chance(250) ? between(2, 4) : 1;
    int ign = (f % 2) ? F_IGNTERM : 0;
    int root = add(-1, K_MANY, 5001, between(NM_USER_FIRST, NM_USER_LAST), F_ORPHAN_ROOT | ign);
    int members[4] = {root};
    for (int k = 1; k < size; k++)
      members[k] = add(members[rnd() % (uint32_t)k], K_MANY, 5001, NM_WORKER, ign);
    if (size > 2 && depth_of(members[size - 1]) > max_depth_seen)
      max_depth_seen = depth_of(members[size - 1]);
    if (ign) n_ignterm_families++, n_ignterm_procs += size;
  }
  kind_families[K_MANY] = families;
}

/* One orphaned family of uid 5001 whose root builds the kill shape (see "kill shapes"). */
static void plan_shape(void) {
  add(-1, K_SPAWNER, 0, NM_SLURMD, 0);
  add(-1, K_SHAPE, 5001, NM_SUPERVISOR, F_ORPHAN_ROOT);
  kind_families[K_SHAPE] = 1;
}

/* ---- processes ---------------------------------------------------------------------------- */

static int ready_fd = -1;
static char self_exe[4096];

static void report(char c) {
  if (ready_fd >= 0) {
    while (write(ready_fd, &c, 1) < 0 && errno == EINTR) {
    }
    close(ready_fd);
    ready_fd = -1;
  }
}

static void set_name(const char *name) { prctl(PR_SET_NAME, name, 0, 0, 0); }

static void set_identity(const struct node *n) {
  if (n->uid == 0 && !(n->flags & F_SETUIDPROG)) return;
  if (setgroups(0, NULL) != 0 || setresgid((gid_t)n->uid, (gid_t)n->uid, (gid_t)n->uid) != 0 ||
      setresuid((uid_t)n->uid, (uid_t)n->uid, (n->flags & F_SETUIDPROG) ? 0 : (uid_t)n->uid) != 0) {
    report('E');
    _exit(71);
  }
}

static void sleep_ms(int ms) {
  struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
  nanosleep(&ts, NULL);
}

static void on_chld(int sig) { (void)sig; }

static pid_t spawn_forker_child(void) {
  pid_t pid = fork();
  if (pid == 0) {
    signal(SIGTERM, SIG_DFL);
    signal(SIGCHLD, SIG_DFL);
    set_name(names[NM_WORKER]);
    sleep_ms(between(10, 200));
    _exit(0);
  }
  return pid;
}

/* A member of the forking family: forks short-lived children forever; a TERM-ignoring member
 * also replaces children of its own that died (a supervisor). */
static void forker_loop(const struct node *n, int respawn) __attribute__((noreturn));
static void forker_loop(const struct node *n, int respawn) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_chld; /* no SA_RESTART: a child's death cuts the sleep short */
  sigaction(SIGCHLD, &sa, NULL);
  rng ^= (uint64_t)getpid() * 0x2545F4914F6CDD1DULL;
  for (;;) {
    /* One short-lived child per period of 0.1-2 s. A child's death cuts the sleep short only
     * to reap it (and, for a supervisor, to replace a child killed by a signal at once); the
     * next fork waits for the end of the period, so the family forks ~1,000 times a second. */
    struct timespec until;
    clock_gettime(CLOCK_MONOTONIC, &until);
    long ns = until.tv_nsec + (long)between(100, 2000) * 1000000L;
    until.tv_sec += ns / 1000000000L;
    until.tv_nsec = ns % 1000000000L;
    int r;
    do {
      r = clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &until, NULL);
      int st;
      pid_t dead;
      while ((dead = waitpid(-1, &st, WNOHANG)) > 0) {
        if (respawn && WIFSIGNALED(st)) {
          pid_t again = fork();
          if (again == 0) {
            signal(SIGTERM, SIG_DFL);
            set_name(names[n->name]);
            forker_loop(n, 0);
          }
        }
      }
    } while (r == EINTR);
    spawn_forker_child();
  }
}

/* ---- kill shapes ------------------------------------------------------------------------
 * One orphaned family of uid 5001 (its root made by the spawner's setsid double fork, like
 * every orphan of the farm) whose members make the kill hard. The root builds the rest and
 * reports ready once the shape is under way; the other members never report. */

enum shape { SH_NONE, SH_RESPAWNER, SH_HOPPER, SH_FORKCHAINS, SH_SETUID, SH_PTHREAD_EXIT,
             SH_DOUBLEFORK, SH_COUNT };
static const char *shape_names[] = {"-", "respawner", "hopper", "fork-chains", "setuid",
                                    "pthread-exit", "double-fork"};
static int shape = SH_NONE;
static const char *setuid_helper; /* --setuid-helper: the setuid-root copy of bench/protected.c */
static int shape_log_fd = -1;     /* --shape-log, opened by init: the helper's stderr */
enum { FORKCHAIN_NPROC = 3000 };

/* fork() for a member that is not the root: it must not report ready itself. */
static pid_t shape_fork(void) {
  pid_t pid = fork();
  if (pid == 0) {
    if (ready_fd >= 0) close(ready_fd);
    ready_fd = -1;
    rng ^= (uint64_t)getpid() * 0x2545F4914F6CDD1DULL;
  } else if (pid < 0) {
    report('E');
    _exit(72);
  }
  return pid;
}

/* A tree below the calling process: `fanout` children, each with its own subtree of `depth` - 1
 * levels, every one of them running `body` once its own children exist. */
static void shape_tree(int fanout, int depth, void (*body)(void)) {
  for (int k = 0; depth > 0 && k < fanout; k++) {
    if (shape_fork() == 0) {
      shape_tree(fanout, depth - 1, body);
      body();
      _exit(0);
    }
  }
}

static void idle_forever(void) __attribute__((noreturn));
static void idle_forever(void) {
  for (;;) pause();
}

/* (1) respawner: on SIGTERM, start a fresh child (which respawns in turn) and exit. The child
 * stays in the family's session; its parent is gone, so it is init's. */
static volatile sig_atomic_t termed;
static void on_term_flag(int sig) { (void)sig; termed = 1; }

static void respawn_loop(void) __attribute__((noreturn));
static void respawn_loop(void) {
  sigset_t term, wait_mask;
  sigemptyset(&term);
  sigaddset(&term, SIGTERM);
  sigprocmask(SIG_BLOCK, &term, &wait_mask); /* TERM only while waiting: none is missed */
  sigdelset(&wait_mask, SIGTERM);
  for (;;) {
    while (!termed) sigsuspend(&wait_mask);
    pid_t pid = fork();
    if (pid == 0) {
      termed = 0; /* the fresh child: a respawner like its parent */
      continue;
    }
    if (pid > 0) _exit(0);
    sleep_ms(1); /* fork failed: try again */
  }
}

/* (2) pid hopper: fork, the parent exits, the child goes on: every 2-8 ms a new pid. */
static void hop_loop(void) __attribute__((noreturn));
static void hop_loop(void) {
  for (;;) {
    sleep_ms(between(2, 8));
    pid_t pid = fork();
    if (pid > 0) _exit(0);
  }
}

/* (3) fast fork chains: the tip of a chain forks the next link every 2-6 ms and then idles; the
 * new link is the tip. RLIMIT_NPROC (uid 5001's processes, host-wide) bounds the family: a tip
 * whose fork fails tries again. */
static void chain_loop(void) __attribute__((noreturn));
static void chain_loop(void) {
  for (;;) {
    sleep_ms(between(2, 6));
    pid_t pid = fork();
    if (pid == 0) continue; /* the new tip */
    if (pid > 0) idle_forever();
  }
}

/* (4) setuid: on SIGTERM, exec the setuid-root stand-in (bench/protected.c): same pid, same
 * start time, euid 0 from then on. Its stderr is the log init opened. */
static void on_term_exec_setuid(int sig) {
  (void)sig;
  if (shape_log_fd >= 0) dup2(shape_log_fd, 2);
  char *argv[] = {"protected", NULL};
  char *envp[] = {NULL};
  execve(setuid_helper, argv, envp);
  _exit(75);
}

static void ignore_term_and_idle(void) {
  signal(SIGTERM, SIG_IGN);
  set_name(names[NM_WORKER]);
  idle_forever();
}

/* (5) a thread-group leader that calls pthread_exit while its other threads run: state Z,
 * threads alive. */
static void *zthread(void *arg) {
  for (;;) sleep_ms(100);
  return arg;
}

static void zleader(void) {
  pthread_t t;
  for (int k = 0; k < 2; k++) pthread_create(&t, NULL, zthread, NULL);
  pthread_exit(NULL);
}

/* (6) double-forker: every 20-80 ms, fork; the child calls setsid and forks again, the
 * grandchild (a new session, its parent init) goes on, and the two before it exit. */
static void escape_loop(void) __attribute__((noreturn));
static void escape_loop(void) {
  for (;;) {
    sleep_ms(between(20, 80));
    pid_t mid = fork();
    if (mid < 0) continue;
    if (mid == 0) {
      setsid();
      pid_t next = fork();
      if (next == 0) continue; /* the grandchild, in a session of its own */
      _exit(next < 0 ? 1 : 0);
    }
    waitpid(mid, NULL, 0);
    _exit(0);
  }
}

/* The shape's root, as uid 5001: builds the shape, reports ready, and becomes one of its
 * members. */
static void shape_main(void) __attribute__((noreturn));
static void shape_main(void) {
  switch (shape) {
    case SH_RESPAWNER: { /* 13 respawners: the root, 3 children, 9 grandchildren */
      set_name("respawner");
      struct sigaction sa;
      memset(&sa, 0, sizeof sa);
      sa.sa_handler = on_term_flag;
      sigaction(SIGTERM, &sa, NULL);
      shape_tree(3, 2, respawn_loop);
      sleep_ms(50);
      report('.');
      respawn_loop();
    }
    case SH_HOPPER: /* three hoppers in one session, none of them holding still */
      set_name("hopper");
      shape_tree(2, 1, hop_loop);
      report('.');
      hop_loop();
    case SH_FORKCHAINS: { /* eight chains, ~2,000 new processes a second in all */
      struct rlimit lim = {FORKCHAIN_NPROC, FORKCHAIN_NPROC};
      setrlimit(RLIMIT_NPROC, &lim);
      set_name("chain");
      shape_tree(7, 1, chain_loop);
      sleep_ms(300); /* the family has a few hundred members when the reaper starts */
      report('.');
      chain_loop();
    }
    case SH_SETUID: { /* the root runs the setuid program on TERM; 3 workers ignore TERM */
      set_name("trap-sudo");
      shape_tree(3, 1, ignore_term_and_idle);
      struct sigaction sa;
      memset(&sa, 0, sizeof sa);
      sa.sa_handler = on_term_exec_setuid;
      sigaction(SIGTERM, &sa, NULL);
      sleep_ms(50);
      report('.');
      idle_forever();
    }
    case SH_PTHREAD_EXIT: /* the root and 2 children: zombie leaders with 2 threads each */
      set_name("zleader");
      shape_tree(2, 1, zleader);
      sleep_ms(100);
      report('.');
      zleader();
      _exit(0);
    case SH_DOUBLEFORK: /* five double-forkers, each changing session every 20-80 ms */
      set_name("escaper");
      shape_tree(4, 1, escape_loop);
      report('.');
      escape_loop();
    default:
      report('E');
      _exit(70);
  }
}

static void become(int i) __attribute__((noreturn));

static void start_child(int c) {
  pid_t pid = fork();
  if (pid < 0) {
    report('E');
    _exit(72);
  }
  if (pid == 0) become(c);
}

/* Runs in the freshly forked process of plan node i: session, children, identity, ready. */
static void become(int i) {
  const struct node *n = &plan[i];
  if (n->flags & F_SETSID) setsid();
  set_name(names[n->name]);
  if (n->flags & F_IGNTERM) signal(SIGTERM, SIG_IGN);
  for (int c = n->first_child; c >= 0; c = plan[c].next_sibling) start_child(c);
  set_identity(n);
  if (n->kind == K_SHAPE) shape_main();
  if (n->flags & F_ZOMBIE) {
    report('.');
    _exit(0);
  }
  if (n->flags & F_LONGCMD) {
    /* argv: name -c PAYLOAD; the new image reports ready and pauses (see idle_main). */
    char *payload = malloc((size_t)n->cmdlen + 1);
    for (int k = 0; k < n->cmdlen; k++) payload[k] = "abcdefghij0123456789 =/-_"[k % 25];
    payload[n->cmdlen] = 0;
    char env[64];
    snprintf(env, sizeof env, "PROCFARM_IDLE=%d:%d", ready_fd, n->name);
    char *argv[] = {(char *)names[n->name], "-c", payload, NULL};
    char *envp[] = {env, NULL};
    execve(self_exe, argv, envp);
    report('E');
    _exit(73);
  }
  report('.');
  if (n->flags & F_FORKER) forker_loop(n, (n->flags & F_IGNTERM) != 0);
  if (n->flags & F_STOPPED) raise(SIGSTOP);
  for (;;) pause();
}

static int idle_main(const char *spec) __attribute__((noreturn));
static int idle_main(const char *spec) {
  int name = 0;
  sscanf(spec, "%d:%d", &ready_fd, &name);
  set_name(names[name]);
  report('.');
  for (;;) pause();
}

/* The spawner: creates every top node. Orphan roots come from a double fork so that their
 * parent is init; the rest are its own children in init's session. */
static void spawner(int linger) {
  set_name(names[NM_SLURMD]);
  for (int t = 1; t < ntops; t++) { /* tops[0] is the spawner itself */
    int i = tops[t];
    if (!(plan[i].flags & F_ORPHAN_ROOT)) {
      start_child(i);
      continue;
    }
    pid_t mid = fork();
    if (mid < 0) {
      report('E');
      _exit(72);
    }
    if (mid == 0) {
      setsid();
      pid_t root = fork();
      if (root == 0) become(i);
      _exit(root < 0 ? 72 : 0);
    }
    int st;
    waitpid(mid, &st, 0);
    if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) {
      report('E');
      _exit(72);
    }
  }
  report('.');
  if (!linger) _exit(0);
  for (;;) pause();
}

/* ---- init ------------------------------------------------------------------------------ */

static void on_fatal(int sig) { _exit(128 + sig); }

static double now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* Does `pid` run with euid 0 while its real uid is not 0 (a setuid-root program)? */
static int setuid_gained(pid_t pid) {
  char path[64], line[256];
  snprintf(path, sizeof path, "/proc/%d/status", (int)pid);
  FILE *f = fopen(path, "r");
  if (!f) return 0;
  long ruid = -1, euid = -1;
  while (fgets(line, sizeof line, f))
    if (sscanf(line, "Uid: %ld %ld", &ruid, &euid) == 2) break;
  fclose(f);
  return euid == 0 && ruid > 0;
}

static int init_main(int argc, char **argv) {
  int farm = -1, forkfam = -1, families = -1, orphan_pct = 10, k = 0;
  const char *shape_log = NULL;
  for (; k < argc && strcmp(argv[k], "--") != 0; k++) {
    if (!strcmp(argv[k], "--farm") && k + 1 < argc) farm = atoi(argv[++k]);
    else if (!strcmp(argv[k], "--shape") && k + 1 < argc) {
      const char *name = argv[++k];
      for (int s = 1; s < SH_COUNT; s++)
        if (!strcmp(name, shape_names[s])) shape = s;
      if (shape == SH_NONE) die("init: unknown shape %s", name);
    } else if (!strcmp(argv[k], "--setuid-helper") && k + 1 < argc) setuid_helper = argv[++k];
    else if (!strcmp(argv[k], "--shape-log") && k + 1 < argc) shape_log = argv[++k];
    else if (!strcmp(argv[k], "--forkfam") && k + 1 < argc) forkfam = atoi(argv[++k]);
    else if (!strcmp(argv[k], "--families") && k + 1 < argc) families = atoi(argv[++k]);
    else if (!strcmp(argv[k], "--orphans") && k + 1 < argc) orphan_pct = atoi(argv[++k]);
    else if (!strcmp(argv[k], "--idle-family")) idle_family = 1;
    else if (!strcmp(argv[k], "--seed") && k + 1 < argc) rng ^= strtoull(argv[++k], NULL, 10) * 2654435761ULL;
    else die("init: unknown argument %s", argv[k]);
  }
  if (k >= argc - 1 || (farm >= 0) + (forkfam >= 0) + (families >= 0) + (shape != SH_NONE) != 1)
    die("usage: init (--farm N | --forkfam M | --families F | --shape NAME) -- CMD...");
  if (shape == SH_SETUID && (!setuid_helper || !shape_log))
    die("--shape setuid needs --setuid-helper PATH and --shape-log FILE");
  char **cmd = argv + k + 1;
  if (getpid() != 1) die("init must be PID 1 of a new PID namespace (unshare --pid --fork --mount-proc)");

  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_fatal;
  sigaction(SIGINT, &sa, NULL);
  sigaction(SIGTERM, &sa, NULL);
  sigaction(SIGHUP, &sa, NULL);

  if (farm >= 0) {
    if (farm < 10) die("--farm needs at least 10 processes");
    if (orphan_pct < 0 || orphan_pct > 80) die("--orphans takes a percentage from 0 to 80");
    plan_farm(farm, orphan_pct);
  } else if (forkfam >= 0) {
    if (forkfam < 2) die("--forkfam needs at least 2 processes");
    plan_forkfam(forkfam);
  } else if (families >= 0) {
    if (families < 1) die("--families needs at least 1 family");
    plan_families(families);
  } else {
    plan_shape();
    if (shape_log) {
      /* the setuid helper's stderr: opened here, by root, and inherited through fork and exec */
      int fd = open(shape_log, O_WRONLY | O_CREAT | O_APPEND | O_TRUNC, 0644);
      if (fd < 0) die("cannot write %s: %s", shape_log, strerror(errno));
      shape_log_fd = fcntl(fd, F_DUPFD, 10);
      close(fd);
    }
  }
  int expected = nplan;
  double t0 = now_ms();
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) die("pipe: %s", strerror(errno));
  fflush(NULL);
  pid_t sp = fork();
  if (sp < 0) die("fork: %s", strerror(errno));
  if (sp == 0) {
    close(fds[0]);
    ready_fd = fcntl(fds[1], F_DUPFD, 10); /* without O_CLOEXEC: long-cmdline execs keep it */
    close(fds[1]);
    spawner(farm >= 0);
  }
  close(fds[1]);
  int got = 0, bad = 0;
  char buf[4096];
  while (got < expected) {
    struct pollfd p = {fds[0], POLLIN, 0};
    int r = poll(&p, 1, 1000);
    while (waitpid(-1, NULL, WNOHANG) > 0) {
    }
    if (r < 0 && errno == EINTR) continue;
    if (now_ms() - t0 > 300000) die("timed out: %d of %d processes ready", got, expected);
    if (r == 0) continue;
    ssize_t m = read(fds[0], buf, sizeof buf);
    if (m <= 0) break; /* every writer is gone */
    for (ssize_t j = 0; j < m; j++) buf[j] == '.' ? got++ : bad++;
    if (bad) break;
  }
  close(fds[0]);
  if (bad || got < expected)
    die("could not create the processes (%d of %d ready, %d failed): fork or setuid failed", got,
        expected, bad);
  double spawn_ms = now_ms() - t0;

  if (shape != SH_NONE)
    fprintf(stderr, "procfarm: kill shape %s (uid 5001) under way after %.0f ms\n",
            shape_names[shape], spawn_ms);
  else
    fprintf(stderr, "procfarm: %d processes ready in %.0f ms (max depth %d)\n", expected, spawn_ms,
            max_depth_seen);
  for (int i = 0; i < K_KINDS; i++)
    if (kind_count[i] && i != K_SPAWNER && i != K_SHAPE)
      fprintf(stderr, "procfarm:   %6d in %5d %s\n", kind_count[i], kind_families[i], kind_names[i]);
  if (farm >= 0)
    fprintf(stderr,
            "procfarm:   long cmdlines %d, zombies %d, stopped %d, own sessions below a parent %d,"
            " setuid-like %d\n",
            n_longcmd, n_zombie, n_stopped, n_setsid, n_setuidprog);
  if (families >= 0)
    fprintf(stderr, "procfarm:   ignoring SIGTERM: %d processes in %d families\n", n_ignterm_procs,
            n_ignterm_families);
  fflush(stderr);

  char count[32];
  snprintf(count, sizeof count, "%d", expected);
  setenv("PROCFARM_PROCESSES", count, 1);
  pid_t child = fork();
  if (child < 0) die("fork: %s", strerror(errno));
  if (child == 0) {
    signal(SIGINT, SIG_DFL);
    signal(SIGTERM, SIG_DFL);
    signal(SIGHUP, SIG_DFL);
    if (shape_log_fd >= 0) close(shape_log_fd);
    execvp(cmd[0], cmd);
    fprintf(stderr, "procfarm: cannot run %s: %s\n", cmd[0], strerror(errno));
    _exit(127);
  }
  /* init's duty: reap everything orphaned to us until CMD ends. For the forking family, also
   * time the kill from outside: its root is our child, and is the first member stopped; every
   * other member ends up reaped by us or by a member, so our last reap is about its last death.
   * For the kill shapes, watch our children's stops: the setuid shape's root is our child, and a
   * stop of it while it runs with euid 0 (it cannot exec while stopped) is a protected process
   * signalled (its catchable signals it logs itself). */
  double t_cmd = now_ms(), first_stop = -1, last_reap = -1;
  int reaped = 0, protected_stops = 0;
  if (shape_log_fd >= 0) close(shape_log_fd);
  for (;;) {
    int st;
    pid_t w = waitpid(-1, &st, forkfam >= 0 || shape != SH_NONE ? WUNTRACED : 0);
    if (w == child && !WIFSTOPPED(st)) {
      if (shape != SH_NONE)
        fprintf(stderr, "procfarm: shape %s: stops of a process running with euid 0 (uid 5001's,"
                " setuid) seen by PID 1: %d\n", shape_names[shape], protected_stops);
      if (forkfam >= 0 && first_stop >= 0)
        fprintf(stderr,
                "procfarm: kill seen from PID 1: family root stopped %.0f ms after the command"
                " started; first stop to last reap (%d processes) %.0f ms\n",
                first_stop - t_cmd, reaped, last_reap >= first_stop ? last_reap - first_stop : 0.0);
      return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
    }
    if (w > 0 && WIFSTOPPED(st)) {
      if (first_stop < 0) first_stop = now_ms();
      if (shape != SH_NONE && setuid_gained(w)) protected_stops++;
    } else if (w > 0) {
      last_reap = now_ms();
      reaped++;
    } else if (errno != EINTR) {
      return 70;
    }
  }
}

/* ---- measure --------------------------------------------------------------------------- */

static int measure_main(int argc, char **argv) {
  if (argc < 3 || strcmp(argv[1], "--") != 0) die("usage: measure OUTFILE -- CMD...");
  const char *out = argv[0];
  double t0 = now_ms();
  pid_t pid = fork();
  if (pid < 0) die("fork: %s", strerror(errno));
  if (pid == 0) {
    execvp(argv[2], argv + 2);
    fprintf(stderr, "procfarm: cannot run %s: %s\n", argv[2], strerror(errno));
    _exit(127);
  }
  int st;
  struct rusage ru;
  while (wait4(pid, &st, 0, &ru) < 0) {
    if (errno != EINTR) die("wait4: %s", strerror(errno));
  }
  double wall = now_ms() - t0;
  FILE *f = fopen(out, "w");
  if (!f) die("cannot write %s: %s", out, strerror(errno));
  int status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
  fprintf(f, "wall_ms=%.2f maxrss_kb=%ld status=%d pid=%d start_ms=%.1f\n", wall, ru.ru_maxrss,
          status, (int)pid, t0);
  fclose(f);
  return status;
}

/* ---- syslogd --------------------------------------------------------------------------- */

static volatile sig_atomic_t syslogd_done;

static void syslogd_line(FILE *out, char *buf, ssize_t m) {
  while (m > 0 && (buf[m - 1] == '\n' || buf[m - 1] == 0)) m--;
  for (ssize_t j = 0; j < m; j++)
    if (buf[j] == '\n') buf[j] = ' ';
  fprintf(out, "%.1f ", now_ms());
  fwrite(buf, 1, (size_t)m, out);
  fputc('\n', out);
}
static void on_syslogd_term(int sig) { (void)sig; syslogd_done = 1; }

static int syslogd_main(int argc, char **argv) {
  if (argc != 2) die("usage: syslogd SOCKET OUTFILE");
  const char *path = argv[0];
  struct sockaddr_un addr;
  memset(&addr, 0, sizeof addr);
  addr.sun_family = AF_UNIX;
  if (strlen(path) >= sizeof addr.sun_path) die("syslogd: socket path too long: %s", path);
  strcpy(addr.sun_path, path);
  FILE *out = fopen(argv[1], "w");
  if (!out) die("syslogd: cannot write %s: %s", argv[1], strerror(errno));
  int s = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (s < 0) die("syslogd: socket: %s", strerror(errno));
  int rcvbuf = 4 << 20; /* a burst of lines must not fill the queue while we write */
  setsockopt(s, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof rcvbuf);
  if (bind(s, (struct sockaddr *)&addr, sizeof addr) != 0) die("syslogd: bind %s: %s", path, strerror(errno));
  chmod(path, 0666);
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_syslogd_term; /* no SA_RESTART: TERM ends the recv */
  sigaction(SIGTERM, &sa, NULL);
  static char buf[65536];
  long lines = 0;
  while (!syslogd_done) {
    ssize_t m = recv(s, buf, sizeof buf, 0);
    if (m < 0) {
      if (errno == EINTR) continue;
      die("syslogd: recv: %s", strerror(errno));
    }
    syslogd_line(out, buf, m);
    lines++;
  }
  /* what is still queued was sent before TERM: take it too */
  ssize_t m;
  while ((m = recv(s, buf, sizeof buf, MSG_DONTWAIT)) > 0) {
    syslogd_line(out, buf, m);
    lines++;
  }
  unlink(path);
  if (fclose(out) != 0) die("syslogd: cannot write %s", argv[1]);
  fprintf(stderr, "procfarm: syslogd received %ld lines\n", lines);
  return 0;
}

int main(int argc, char **argv) {
  const char *idle = getenv("PROCFARM_IDLE");
  if (idle) return idle_main(idle);
  ssize_t len = readlink("/proc/self/exe", self_exe, sizeof self_exe - 1);
  if (len > 0) self_exe[len] = 0;
  if (argc >= 2 && !strcmp(argv[1], "init")) return init_main(argc - 2, argv + 2);
  if (argc >= 2 && !strcmp(argv[1], "measure")) return measure_main(argc - 2, argv + 2);
  if (argc >= 2 && !strcmp(argv[1], "syslogd")) return syslogd_main(argc - 2, argv + 2);
  /* A stand-in for a root batch daemon: bench/run copies this binary to the daemon's name
   * (condor_startd, condor_procd), so that the reaper verifies it by exe, and it only waits. */
  if (argc >= 2 && !strcmp(argv[1], "daemon")) for (;;) pause();
  fprintf(stderr, "usage: procfarm init (--farm N [--orphans PCT] | --forkfam M [--idle-family] | --families F\n"
                  "                      | --shape NAME [--setuid-helper PATH --shape-log FILE]) [--seed S] -- CMD...\n"
                  "       procfarm measure OUTFILE -- CMD...\n"
                  "       procfarm syslogd SOCKET OUTFILE\n"
                  "       procfarm daemon [ARG...]\n");
  return 2;
}
