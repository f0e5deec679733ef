package org.orphanreaper.act;

import java.util.ArrayList;
import java.util.List;

/** Scripted pidfd calls that log what was asked of them, in order. */
final class FakePidfdCalls implements PidfdCalls {

  final List<String> log;
  int openResult = 7;
  int sendResult = 0;

  FakePidfdCalls(List<String> log) {
    this.log = log;
  }

  FakePidfdCalls() {
    this(new ArrayList<>());
  }

  @Override
  public int open(int pid) {
    log.add("open " + pid);
    return openResult;
  }

  @Override
  public int sendSignal(int pidfd, int signal) {
    log.add("send " + pidfd + " " + signal);
    return sendResult;
  }

  @Override
  public void close(int fd) {
    log.add("close " + fd);
  }
}
