package io.scanorder.wechatsim;

import io.scanorder.wechatsim.miniprogram.MiniApp;
import java.util.ArrayList;
import java.util.List;

/**
 * Command-line options of the standalone simulator: {@code --host=127.0.0.1}, {@code --port=0} (0
 * picks a free port) and any number of {@code --app=APPID:SECRET}.
 */
public record SimulatorOptions(String host, int port, List<MiniApp> apps) {

    public static final String USAGE =
            "usage: WeChatSimulator [--host=127.0.0.1] [--port=0] [--app=APPID:SECRET]...";

    public SimulatorOptions {
        apps = List.copyOf(apps);
    }

    /** Parses arguments; a bad one is an IllegalArgumentException naming it. */
    public static SimulatorOptions parse(String... args) {
        String host = "127.0.0.1";
        int port = 0;
        List<MiniApp> apps = new ArrayList<>();
        for (String arg : args) {
            if (arg.startsWith("--host=")) {
                host = value(arg);
            } else if (arg.startsWith("--port=")) {
                port = parsePort(value(arg));
            } else if (arg.startsWith("--app=")) {
                apps.add(parseApp(value(arg)));
            } else {
                throw new IllegalArgumentException("unknown argument '" + arg + "'; " + USAGE);
            }
        }
        return new SimulatorOptions(host, port, apps);
    }

    private static String value(String arg) {
        String value = arg.substring(arg.indexOf('=') + 1);
        if (value.isBlank()) {
            throw new IllegalArgumentException("argument '" + arg + "' has no value; " + USAGE);
        }
        return value;
    }

    private static int parsePort(String value) {
        try {
            int port = Integer.parseInt(value);
            if (port >= 0 && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(
                "--port must be a number from 0 to 65535, got '" + value + "'");
    }

    private static MiniApp parseApp(String value) {
        int colon = value.indexOf(':');
        if (colon <= 0 || colon == value.length() - 1) {
            throw new IllegalArgumentException("--app must be APPID:SECRET, got '" + value + "'");
        }
        return new MiniApp(value.substring(0, colon), value.substring(colon + 1));
    }
}
