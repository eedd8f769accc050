package io.scanorder.agent;

import io.scanorder.agent.app.AgentApplication;
import io.scanorder.agent.app.DisplayApplication;
import io.scanorder.agent.app.KdsApplication;
import io.scanorder.agent.config.AgentConfig;
import io.scanorder.agent.config.AgentConfig.DeviceType;
import io.scanorder.agent.config.AgentConfigException;
import io.scanorder.agent.config.DeviceConfigFile;
import io.scanorder.agent.led.LedBoardException;
import io.scanorder.agent.led.LineProtocolLedBoard;
import io.scanorder.agent.printer.EscPosPrinterDriver;
import io.scanorder.agent.printer.FailureReason;
import io.scanorder.agent.printer.PaperWidth;
import io.scanorder.agent.printer.PrintResult;
import io.scanorder.agent.printer.PrinterStatus;
import io.scanorder.agent.printer.TicketLayout;
import io.scanorder.agent.ticket.KitchenTicket;
import io.scanorder.agent.ticket.TicketJournal;
import io.scanorder.agent.transport.PahoTransport;
import io.scanorder.agent.transport.TransportException;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * The field technician's command line: {@code scanorder-agent run|test-print|doctor [--config
 * FILE]}. Exit codes: 0 all good, 1 a check or the test print failed, 2 wrong usage or bad
 * configuration, 3 the agent could not start.
 */
public final class AgentCli {

    public static final int OK = 0;
    public static final int FAILED = 1;
    public static final int USAGE = 2;
    public static final int CANNOT_START = 3;

    /** Where the configuration is looked for when neither --config nor the variable is given. */
    public static final String DEFAULT_CONFIG = "/etc/scanorder/agent.properties";

    static final String USAGE_TEXT =
            """
            usage: scanorder-agent <command> [--config FILE]

            commands:
              run         run the agent (printer: tickets, acks, alarms; KDS tablet: local ticket
                          page with bump buttons; LED board: pickup numbers)
              test-print  print a test ticket on the configured printer and report the result
              doctor      check broker, credentials, printer or LED board, paper and journal
              enroll      --code CODE [--device ID] [--broker URI]: trade the one-time enrollment
                          code for this device's broker credentials, stored in the config file

            The configuration file is --config FILE, else $SCANORDER_AGENT_CONFIG, else
            %s. Any key can be overridden by SCANORDER_<KEY> (see docs/field-tech.md).
            Exit codes: 0 ok, 1 a check or the print failed, 2 usage or configuration error,
            3 the agent could not start.
            """
                    .formatted(DEFAULT_CONFIG);

    private final Map<String, String> env;
    private final PrintStream out;
    private final PrintStream err;

    AgentCli(Map<String, String> env, PrintStream out, PrintStream err) {
        this.env = env;
        this.out = out;
        this.err = err;
    }

    public static void main(String[] args) {
        System.exit(new AgentCli(System.getenv(), System.out, System.err).execute(args));
    }

    /** Runs one command and returns its exit code. */
    int execute(String[] args) {
        if (args.length == 0 || List.of("-h", "--help", "help").contains(args[0])) {
            (args.length == 0 ? err : out).print(USAGE_TEXT);
            return args.length == 0 ? USAGE : OK;
        }
        String command = args[0];
        if (!List.of("run", "test-print", "doctor", "enroll").contains(command)) {
            err.println("error: unknown command '" + command + "'");
            err.print(USAGE_TEXT);
            return USAGE;
        }
        List<String> allowed =
                command.equals("enroll")
                        ? List.of("config", "code", "device", "broker")
                        : List.of("config");
        Map<String, String> options = new java.util.HashMap<>();
        for (int i = 1; i < args.length; i++) {
            String arg = args[i];
            String name = null;
            String value = null;
            if (arg.startsWith("--") && arg.contains("=")) {
                name = arg.substring(2, arg.indexOf('='));
                value = arg.substring(arg.indexOf('=') + 1);
            } else if (arg.startsWith("--") && i + 1 < args.length) {
                name = arg.substring(2);
                value = args[++i];
            }
            if (name == null || !allowed.contains(name)) {
                err.println("error: unknown argument '" + arg + "' for " + command);
                err.print(USAGE_TEXT);
                return USAGE;
            }
            options.put(name, value);
        }
        String configPath = options.get("config");
        Path path = Path.of(configPath != null ? configPath : envOr(DEFAULT_CONFIG));
        if (command.equals("enroll")) {
            return new EnrollCommand(env, out, err).enroll(path, options);
        }
        AgentConfig config;
        try {
            config = AgentConfig.load(path, env);
        } catch (UncheckedIOException e) {
            err.println(
                    "error: cannot read configuration file "
                            + path
                            + " ("
                            + e.getCause().getMessage()
                            + "); pass --config FILE or set SCANORDER_AGENT_CONFIG");
            return USAGE;
        } catch (AgentConfigException e) {
            err.println("error: configuration " + path + " is not valid:");
            err.println(e.getMessage());
            return USAGE;
        }
        return switch (command) {
            case "run" -> run(config);
            case "test-print" -> testPrint(config);
            default -> doctor(config);
        };
    }

    private String envOr(String fallback) {
        String v = env.get("SCANORDER_AGENT_CONFIG");
        return v == null || v.isBlank() ? fallback : v;
    }

    private int run(AgentConfig config) {
        out.println("starting " + config);
        CountDownLatch stopped = new CountDownLatch(1);
        AutoCloseable agent;
        try {
            if (config.deviceType() == DeviceType.PRINTER) {
                TicketJournal journal = openJournal(config);
                EscPosPrinterDriver driver = driver(config);
                AgentApplication app =
                        new AgentApplication(
                                settings(config),
                                new PahoTransport(config),
                                driver,
                                journal,
                                Clock.systemUTC());
                agent =
                        () -> {
                            app.close();
                            driver.close();
                            journal.close();
                        };
                Runtime.getRuntime().addShutdownHook(stopHook(agent, stopped));
                app.start();
            } else if (config.deviceType() == DeviceType.LED_BOARD) {
                DisplayApplication app =
                        new DisplayApplication(
                                settings(config),
                                new PahoTransport(config),
                                new LineProtocolLedBoard(
                                        config.ledHost(), config.ledPort(), Duration.ofSeconds(3)),
                                Clock.systemUTC());
                agent = app;
                Runtime.getRuntime().addShutdownHook(stopHook(agent, stopped));
                app.start();
            } else if (config.deviceType() == DeviceType.KDS_TABLET) {
                TicketJournal journal = openJournal(config);
                KdsApplication app =
                        new KdsApplication(
                                settings(config),
                                new PahoTransport(config),
                                journal,
                                new InetSocketAddress(config.kdsBind(), config.kdsPort()),
                                Clock.systemUTC());
                agent =
                        () -> {
                            app.close();
                            journal.close();
                        };
                Runtime.getRuntime().addShutdownHook(stopHook(agent, stopped));
                out.println(
                        "KDS page: http://"
                                + config.kdsBind()
                                + ":"
                                + config.kdsPort()
                                + "/ (open it in the tablet's browser)");
                app.start();
            } else {
                // no driver for this device type yet: status and heartbeats only
                AgentMain heartbeatsOnly = new AgentMain(config, new PahoTransport(config));
                agent = heartbeatsOnly;
                Runtime.getRuntime().addShutdownHook(stopHook(agent, stopped));
                heartbeatsOnly.start();
            }
            out.println("running; stop with SIGTERM (Ctrl-C)");
            stopped.await();
            return OK;
        } catch (UncheckedIOException e) {
            err.println("error: " + e.getMessage() + ": " + e.getCause().getMessage());
            err.println("check " + AgentConfig.JOURNAL_FILE + " points to a writable directory");
            return CANNOT_START;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return CANNOT_START;
        }
    }

    private static AgentApplication.Settings settings(AgentConfig config) {
        return new AgentApplication.Settings(
                config.storeCode(),
                config.deviceId(),
                config.heartbeatInterval(),
                config.printerPoll(),
                AgentMain.version(),
                DeviceConfigFile.besideJournal(config.journalFile()).path());
    }

    private static Thread stopHook(AutoCloseable agent, CountDownLatch stopped) {
        return new Thread(
                () -> {
                    try {
                        agent.close();
                    } catch (Exception e) {
                        System.err.println("unclean stop: " + e);
                    } finally {
                        stopped.countDown();
                    }
                },
                "scanorder-agent-stop");
    }

    private static TicketJournal openJournal(AgentConfig config) {
        Path file = config.journalFile();
        try {
            if (file.getParent() != null) {
                Files.createDirectories(file.getParent());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "cannot create journal directory " + file.getParent(), e);
        }
        return TicketJournal.open(file);
    }

    private static EscPosPrinterDriver driver(AgentConfig config) {
        return new EscPosPrinterDriver(
                EscPosPrinterDriver.Settings.of(config.printerHost(), config.printerPort()),
                new TicketLayout(
                        PaperWidth.ofMillimetres(config.paperWidthMm()), config.timezone()));
    }

    private boolean requirePrinter(AgentConfig config) {
        if (config.deviceType() != DeviceType.PRINTER) {
            err.println(
                    "error: "
                            + AgentConfig.DEVICE_TYPE
                            + " is '"
                            + config.deviceType().value()
                            + "'; test-print needs a printer");
            return false;
        }
        return true;
    }

    private int testPrint(AgentConfig config) {
        if (!requirePrinter(config)) {
            return USAGE;
        }
        String where = config.printerHost() + ":" + config.printerPort();
        out.println("printing a test ticket on " + where + " ...");
        Instant now = Instant.now();
        KitchenTicket ticket =
                new KitchenTicket(
                        "TEST-" + now.toEpochMilli(),
                        "TEST",
                        config.storeCode(),
                        "TEST",
                        "test",
                        now,
                        List.of(
                                new KitchenTicket.Line("Test print 测试打印", 1, "", ""),
                                new KitchenTicket.Line(
                                        "Device " + config.deviceId(),
                                        1,
                                        "",
                                        DateTimeFormatter.ISO_INSTANT.format(now))),
                        1);
        try (EscPosPrinterDriver driver = driver(config)) {
            PrintResult result = driver.print(ticket);
            if (result.confirmed()) {
                out.println("PASS test ticket printed and confirmed by the printer at " + where);
                if (result.status().failure().isEmpty()
                        && result.status().paper()
                                == io.scanorder.agent.heartbeat.DeviceHealth.Paper.LOW) {
                    out.println("WARN paper is low: have a new roll ready");
                }
                return OK;
            }
            out.println(
                    "FAIL "
                            + result.reason()
                            + ": "
                            + result.detail()
                            + " -> "
                            + advice(result.reason()));
            return FAILED;
        }
    }

    /** What a technician should do about a printer failure. */
    static String advice(FailureReason reason) {
        return switch (reason) {
            case PAPER_OUT -> "load a new paper roll and close the cover";
            case COVER_OPEN -> "close the printer cover (check the roll sits right)";
            case PRINTER_UNREACHABLE ->
                    "check the printer is on and cabled, and that printer.host/printer.port match"
                            + " its address (its self-test page shows the IP; the port is"
                            + " usually 9100)";
            case PRINTER_ERROR ->
                    "power-cycle the printer; make sure it is an ESC/POS printer on raw TCP"
                            + " (port 9100), not another protocol";
            case INTERRUPTED -> "check the paper for a partial ticket";
        };
    }

    private int doctor(AgentConfig config) {
        Doctor doctor = new Doctor();
        out.println("configuration " + config);
        doctor.pass("configuration is valid");
        String host = config.brokerUri().getHost();
        int port = config.brokerUri().getPort();
        boolean reachable = false;
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), 3_000);
            reachable = true;
            doctor.pass("broker " + host + ":" + port + " is reachable");
        } catch (IOException e) {
            doctor.fail(
                    "broker " + host + ":" + port + " is not reachable (" + e.getMessage() + ")",
                    "check the network and "
                            + AgentConfig.BROKER_URI
                            + "; ask IT whether a"
                            + " firewall blocks port "
                            + port);
        }
        if (reachable) {
            try {
                PahoTransport.checkCredentials(config);
                doctor.pass(
                        "broker accepted the credentials of device '" + config.deviceId() + "'");
            } catch (TransportException e) {
                doctor.fail(
                        e.getMessage(),
                        "check "
                                + AgentConfig.DEVICE_ID
                                + ", "
                                + AgentConfig.STORE_CODE
                                + " and "
                                + AgentConfig.BROKER_PASSWORD
                                + " against the device's Secret; a re-created device has a new"
                                + " password");
            }
        } else {
            doctor.skip("credentials not checked: the broker is not reachable");
        }
        if (config.deviceType() == DeviceType.PRINTER) {
            checkPrinter(config, doctor);
        }
        if (config.deviceType() == DeviceType.LED_BOARD) {
            String where = config.ledHost() + ":" + config.ledPort();
            try {
                new LineProtocolLedBoard(config.ledHost(), config.ledPort(), Duration.ofSeconds(3))
                        .ping();
                doctor.pass("LED board " + where + " answers");
            } catch (LedBoardException e) {
                doctor.fail(
                        e.getMessage(),
                        "check the board is on and cabled and that "
                                + AgentConfig.LED_HOST
                                + "/"
                                + AgentConfig.LED_PORT
                                + " match it");
            }
        }
        checkJournal(config, doctor);
        out.println(
                doctor.failures == 0
                        ? "all checks passed"
                        : doctor.failures + " check(s) failed; fix them and run doctor again");
        return doctor.failures == 0 ? OK : FAILED;
    }

    private void checkPrinter(AgentConfig config, Doctor doctor) {
        String where = config.printerHost() + ":" + config.printerPort();
        PrinterStatus status;
        try (EscPosPrinterDriver driver = driver(config)) {
            status = driver.status();
        }
        if (!status.reachable()) {
            doctor.fail(
                    "printer " + where + " does not answer: " + status.problem(),
                    advice(FailureReason.PRINTER_UNREACHABLE));
            doctor.skip("paper and cover not checked: the printer does not answer");
            return;
        }
        doctor.pass("printer " + where + " answers ESC/POS status");
        switch (status.paper()) {
            case OK -> doctor.pass("paper loaded");
            case LOW -> doctor.warn("paper is low", "have a new roll ready");
            case OUT -> doctor.fail("printer is out of paper", advice(FailureReason.PAPER_OUT));
            case UNKNOWN -> doctor.warn("paper state unknown", "print a test ticket to check");
        }
        switch (status.cover()) {
            case OPEN -> doctor.fail("printer cover is open", advice(FailureReason.COVER_OPEN));
            case CLOSED -> doctor.pass("cover closed");
            case UNKNOWN -> doctor.warn("cover state unknown", "look at the printer");
        }
        if (status.paper() != io.scanorder.agent.heartbeat.DeviceHealth.Paper.OUT
                && status.cover() != io.scanorder.agent.heartbeat.DeviceHealth.Cover.OPEN
                && !status.online()) {
            doctor.fail(
                    "printer reports it cannot print: " + status.problem(),
                    advice(FailureReason.PRINTER_ERROR));
        }
    }

    private void checkJournal(AgentConfig config, Doctor doctor) {
        Path dir = config.journalFile().toAbsolutePath().getParent();
        if (dir != null && Files.isDirectory(dir) && Files.isWritable(dir)) {
            doctor.pass("journal directory " + dir + " is writable");
        } else if (dir != null && !Files.exists(dir)) {
            doctor.warn(
                    "journal directory " + dir + " does not exist yet",
                    "run creates it; make sure the agent's user may");
        } else {
            doctor.fail(
                    "journal directory " + dir + " is not writable",
                    "give the agent's user write access or change " + AgentConfig.JOURNAL_FILE);
        }
    }

    /** Prints one line per check and counts failures. */
    private final class Doctor {
        int failures;

        void pass(String what) {
            out.println("PASS " + what);
        }

        void warn(String what, String todo) {
            out.println("WARN " + what + " -> " + todo);
        }

        void skip(String what) {
            out.println("SKIP " + what);
        }

        void fail(String what, String todo) {
            failures++;
            out.println("FAIL " + what + " -> " + todo);
        }
    }
}
