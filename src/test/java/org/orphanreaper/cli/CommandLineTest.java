package org.orphanreaper.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.orphanreaper.base.Signal;
import org.orphanreaper.sink.syslog.SyslogSettings;

class CommandLineTest {

  @Test
  void defaults() throws Exception {
    Options o = CommandLine.parse();
    assertThat(o.debug()).isFalse();
    assertThat(o.minUid()).isEmpty();
    assertThat(o.signal()).isEmpty();
    assertThat(o.killAfter()).isEmpty();
    assertThat(o.cputime()).isZero();
    assertThat(o.proc()).isEqualTo(Path.of("/proc"));
    assertThat(o.lock()).isEqualTo(Path.of("/run/orphan-reaper.lock"));
    assertThat(o.syslog().facility()).isEqualTo("daemon");
    assertThat(o.syslog().ident()).isEqualTo("orphan-reaper");
    assertThat(o.syslog().socket()).isEqualTo(Path.of("/dev/log"));
  }

  @Test
  void shortAndLongForms() throws Exception {
    Options o = CommandLine.parse("-d", "-u", "2000", "-c", "1h30m", "-w", "1-00:00:00", "-k",
        "SIGKILL", "--json", "-q", "-v", "--proc", "/tmp/p");
    assertThat(o.debug()).isTrue();
    assertThat(o.minUid()).hasValue(2000);
    assertThat(o.cputime()).isEqualTo(Duration.ofMinutes(90));
    assertThat(o.walltime()).isEqualTo(Duration.ofDays(1));
    assertThat(o.signal()).contains(Signal.KILL);
    assertThat(o.json()).isTrue();
    assertThat(o.quiet()).isTrue();
    assertThat(o.verbose()).isTrue();
    Options l = CommandLine.parse("--debug", "--min-uid=3000", "--signal", "9",
        "--kill-after", "30s", "--syslog-remote", "loghost:6514/tcp", "--syslog-facility",
        "LOCAL3");
    assertThat(l.minUid()).hasValue(3000);
    assertThat(l.signal()).contains(Signal.KILL);
    assertThat(l.killAfter()).contains(Duration.ofSeconds(30));
    assertThat(l.syslog().remote()).contains(
        new SyslogSettings.Remote("loghost", 6514, SyslogSettings.Protocol.TCP));
    assertThat(l.syslog().facility()).isEqualTo("local3");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
    "-c|abc|--cputime: invalid duration 'abc'",
    "-u|0|--min-uid: '0' is not a uid of 1 or more",
    "-u|x|--min-uid: 'x' is not a uid of 1 or more",
    "-k|STOP|--signal: unknown or unusable signal 'STOP'",
    "-k|FOO|--signal: unknown or unusable signal 'FOO'",
    "--syslog-facility|nope|--syslog-facility: unknown facility 'nope'",
    "--syslog-remote|host:99999|--syslog-remote: 'host:99999' is not HOST:PORT",
    "--syslog-remote|host:514/sctp|--syslog-remote: protocol must be udp or tcp",
  })
  void badValuesGiveOneLine(String option, String value, String message) {
    assertThatThrownBy(() -> CommandLine.parse(option, value))
        .isInstanceOf(UsageException.class).hasMessageStartingWith(message)
        .hasMessageNotContaining("\n");
  }

  /** The fuzzer's overflowing durations, on every option that takes one: never a wrapped value. */
  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
    "-c|5124095576030431:00:00|--cputime",
    "--cputime|213503982334602-00:00:00|--cputime",
    "-w|213503982334602-00:00:00|--walltime",
    "--kill-after|5124095576030431:00:00|--kill-after",
    "--kill-after|99999999999999999999|--kill-after",
    "--splay|5124095576030431:00:00|--splay",
  })
  void durationsOutOfRangeAreUsageErrors(String option, String value, String name) {
    StringWriter err = new StringWriter();
    int code = Main.run(new PrintWriter(new StringWriter()), new PrintWriter(err), "--debug",
        option, value);
    assertThat(code).isEqualTo(ExitCode.USAGE);
    assertThat(err.toString().lines().findFirst()).hasValue("orphan-reaper: " + name
        + ": duration '" + value + "' is out of range: at most 36500d (100 years)");
  }

  /**
   * Commons CLI kept the first value of a repeated option and dropped the rest without a word
   * ({@code -c 1h -c 2h} ran with 1h): none of this command's options is a list, so a value given
   * twice is a mistake, whichever forms were used.
   */
  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
    "-c 1h --cputime=2h|--cputime",
    "-w 1h -w 2h|--walltime",
    "-r /etc/a.yaml --rules /etc/b.yaml|--rules",
    "--kill-after 10s --kill-after 10s|--kill-after",
    "-k TERM --signal INT|--signal",
    "-u 1000 -u2000|--min-uid",
    "--check a.yaml --check b.yaml|--check",
    "--syslog-remote a:514 --syslog-remote b:514|--syslog-remote",
    "--state /a --state /b|--state",
    "--splay 1m --splay 2m|--splay",
  })
  void anOptionWithAValueGivenTwiceIsAUsageError(String args, String name) {
    assertThatThrownBy(() -> CommandLine.parse(args.split(" "))).isInstanceOf(UsageException.class)
        .hasMessage("option " + name + " given twice");
  }

  @Test
  void aRepeatedFlagIsHarmlessAndMainSaysTwiceInOneLine() throws Exception {
    assertThat(CommandLine.parse("-v", "--verbose", "-d", "--dry-run").verbose()).isTrue();
    StringWriter err = new StringWriter();
    int code = Main.run(new PrintWriter(new StringWriter()), new PrintWriter(err), "--debug",
        "--cputime", "1h", "--cputime", "2h");
    assertThat(code).isEqualTo(ExitCode.USAGE);
    assertThat(err.toString().lines().findFirst())
        .hasValue("orphan-reaper: option --cputime given twice");
  }

  @Test
  void unknownOptionsAndArguments() {
    assertThatThrownBy(() -> CommandLine.parse("--debg")).isInstanceOf(UsageException.class)
        .hasMessageContaining("--debg");
    assertThatThrownBy(() -> CommandLine.parse("stray")).isInstanceOf(UsageException.class)
        .hasMessage("unexpected argument: stray");
  }

  @Test
  void mainExitsTwoWithOneLineAndNoStackTrace() {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.run(new PrintWriter(out), new PrintWriter(err), "--walltime", "soon");
    assertThat(code).isEqualTo(ExitCode.USAGE);
    assertThat(out.toString()).isEmpty();
    assertThat(err.toString()).startsWith("orphan-reaper: --walltime: invalid duration 'soon'")
        .doesNotContain("Exception").doesNotContain("\tat ");
  }

  @Test
  void helpListsEveryOption() {
    StringWriter out = new StringWriter();
    assertThat(Main.run(new PrintWriter(out), new PrintWriter(new StringWriter()), "--help"))
        .isZero();
    for (org.apache.commons.cli.Option opt : CommandLine.options().getOptions()) {
      assertThat(out.toString()).contains("--" + opt.getLongOpt());
    }
    assertThat(out.toString()).contains("Exit codes");
  }

  @Test
  void killModeRefusesAForeignProcfs() {
    StringWriter err = new StringWriter();
    int code = Main.run(new PrintWriter(new StringWriter()), new PrintWriter(err),
        "--proc", "/tmp");
    assertThat(code).isEqualTo(ExitCode.USAGE);
    assertThat(err.toString()).contains("--proc is for --debug and --explain only");
  }
}
