package org.orphanreaper.sink.files;

import java.nio.file.FileSystemException;
import java.nio.file.Path;

/**
 * A file the reaper reads or replaces is something else than a regular file: a device, a FIFO, a
 * directory, a socket or a symbolic link. The reason reads "it is a FIFO, not a regular file", the
 * message "PATH: it is a FIFO, not a regular file".
 */
public final class NotRegularFileException extends FileSystemException {
  private static final long serialVersionUID = 1L;

  /** @param what the kind of file, with its article: "a FIFO" */
  NotRegularFileException(Path file, String what) {
    super(file.toString(), null, "it is " + what + ", not a regular file");
  }
}
