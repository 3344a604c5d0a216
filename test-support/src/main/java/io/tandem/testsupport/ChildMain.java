package io.tandem.testsupport;

import java.io.IOException;
import java.lang.reflect.Method;
import java.util.Arrays;

/**
 * Runs another class's {@code main} in a child JVM and, with {@code -Dtandem.exitWithParent=true}, ends the JVM
 * when its standard input closes, which happens when the parent process dies however it dies. Tests start
 * brokers this way so that a killed test run leaves no broker behind.
 */
public final class ChildMain {

    public static void main(String[] args) throws Exception {
        if (Boolean.getBoolean("tandem.exitWithParent")) {
            java.lang.Thread watchdog = new java.lang.Thread(ChildMain::exitOnStdinEof, "parent-watchdog");
            watchdog.setDaemon(true);
            watchdog.start();
        }
        Method main = Class.forName(args[0]).getMethod("main", String[].class);
        main.invoke(null, (Object) Arrays.copyOfRange(args, 1, args.length));
    }

    private static void exitOnStdinEof() {
        try {
            while (System.in.read() >= 0) {
                // the parent never writes; any byte is ignored
            }
        } catch (IOException ignored) {
            // a broken pipe means the parent is gone, too
        }
        Runtime.getRuntime().halt(0);
    }

    private ChildMain() {
    }
}
