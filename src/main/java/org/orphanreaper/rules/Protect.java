package org.orphanreaper.rules;

/**
 * One entry of {@code protect}, evaluated before any rule: a family it matches is never touched.
 *
 * @param name the entry's {@code name}, or {@code protect #N} when it has none
 */
public record Protect(String name, Selector selector, int line) {}
