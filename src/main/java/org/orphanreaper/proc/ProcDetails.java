package org.orphanreaper.proc;

import java.util.Optional;

/**
 * What is read only for candidates, because it costs more than stat or can block: credentials
 * from status, the command line and the executable path.
 *
 * @param credentials empty when status could not be read although the process exists; the
 *     decision treats such a process as protected
 * @param cmdline argv joined by spaces, truncated; empty for zombies, kernel threads and when
 *     unreadable
 * @param exe the target of /proc/PID/exe, empty when unreadable
 */
public record ProcDetails(Optional<Credentials> credentials, String cmdline, Optional<String> exe) {}
