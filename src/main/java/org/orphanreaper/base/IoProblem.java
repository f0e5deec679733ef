package org.orphanreaper.base;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;

/**
 * The reason of an I/O failure in a few words, for one-line messages: NIO's exceptions often carry
 * only the path as their message ("/var/log/x"), which says nothing in cron mail.
 */
public final class IoProblem {
  private IoProblem() {}

  public static String describe(IOException e) {
    String reason;
    if (e instanceof AccessDeniedException) {
      reason = "permission denied";
    } else if (e instanceof NoSuchFileException) {
      reason = "no such file or directory";
    } else if (e instanceof NotDirectoryException) {
      reason = "not a directory";
    } else if (e instanceof FileAlreadyExistsException) {
      reason = "already exists";
    } else if (e instanceof DirectoryNotEmptyException) {
      reason = "directory not empty";
    } else if (e instanceof FileSystemException f && f.getReason() != null) {
      reason = f.getReason();
    } else if (e.getMessage() != null) {
      reason = e.getMessage();
    } else {
      reason = e.getClass().getSimpleName();
    }
    return reason.replaceAll("[\\r\\n]+", " ").strip();
  }
}
