package org.orphanreaper.sink.syslog;

/**
 * Where the record of what a run did goes: syslog in production, a list in tests. Messages are
 * single lines; implementations never throw, because a logging failure must not stop a kill
 * half-way.
 */
public interface EventLog extends AutoCloseable {

  /** A family acted on, or the run summary: syslog level notice. */
  void notice(String message);

  /** Something an admin must look at (a survivor, a refused run): syslog level err. */
  void error(String message);

  /** Some messages could not be delivered; one line for stderr, or empty when all went out. */
  default java.util.Optional<String> deliveryProblem() {
    return java.util.Optional.empty();
  }

  @Override
  default void close() {}
}
