/*
 * protected: the bench's stand-in for a setuid-root program (su, sudo, passwd), compiled by
 * bench/run at run time (gcc). bench/run copies it into a private directory of its own, owned by
 * root, mode 4755, for the "setuid" kill shape only, and removes it when it ends.
 *
 * A member of the setuid shape's family execs it from its SIGTERM handler, during the kill: the
 * process keeps its pid and start time, and now runs with euid 0. The reaper must never signal
 * it. It writes one line when it starts, and one for every signal it catches, to its stderr (a
 * file that procfarm opened, inherited through the exec), then waits forever: SIGKILL (from the
 * reaper, or the kernel's when the bench's PID namespace goes) is the only way it ends.
 *
 * It takes no argument, opens no file, runs nothing: being setuid root, it must give the user
 * who runs it nothing but a process that waits.
 */
#define _GNU_SOURCE
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static void say(const char *s) {
  ssize_t n = write(2, s, strlen(s));
  (void)n;
}

static void on_signal(int sig) {
  /* async-signal-safe: no stdio */
  char line[64] = "caught signal ";
  size_t k = strlen(line);
  if (sig >= 10) line[k++] = (char)('0' + sig / 10);
  line[k++] = (char)('0' + sig % 10);
  line[k++] = '\n';
  line[k] = 0;
  say(line);
}

int main(void) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_signal;
  sa.sa_flags = SA_RESTART;
  sigfillset(&sa.sa_mask);
  for (int sig = 1; sig < 32; sig++) {
    /* (SIGCHLD is the kernel's, when its children stop, continue or die: not counted) */
    if (sig != SIGKILL && sig != SIGSTOP && sig != SIGCHLD) sigaction(sig, &sa, NULL);
  }
  /* exec'd from a SIGTERM handler: SIGTERM is still blocked in the inherited mask */
  sigset_t none;
  sigemptyset(&none);
  sigprocmask(SIG_SETMASK, &none, NULL);
  char line[96];
  snprintf(line, sizeof line, "started pid=%d ruid=%d euid=%d\n", (int)getpid(), (int)getuid(),
           (int)geteuid());
  say(line);
  for (;;) pause();
}
