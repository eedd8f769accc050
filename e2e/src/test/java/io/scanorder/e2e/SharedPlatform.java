package io.scanorder.e2e;

import java.nio.file.Path;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * One local platform for every whole-platform test class of the run: starting it takes most of a
 * minute, so it is started by the first class that asks and stopped when JUnit finishes the run.
 * Classes use {@code @ExtendWith(SharedPlatform.class)} and take a {@link LocalPlatform} parameter.
 */
final class SharedPlatform implements ParameterResolver {
    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == LocalPlatform.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return get(context);
    }

    /**
     * The platform, started on first use; {@code context} is any of the asking class's contexts.
     */
    static LocalPlatform get(ExtensionContext context) {
        ExtensionContext.Store store =
                context.getRoot().getStore(ExtensionContext.Namespace.create(SharedPlatform.class));
        return store.getOrComputeIfAbsent("platform", key -> new Running(start()), Running.class)
                .platform();
    }

    private static LocalPlatform start() {
        try {
            return LocalPlatform.start(
                    Path.of(System.getProperty("scanorder.order.jar")),
                    Path.of(System.getProperty("scanorder.payment.jar")),
                    Path.of(System.getProperty("scanorder.examples.dir")),
                    Path.of(System.getProperty("scanorder.local.output.dir")),
                    null);
        } catch (Exception e) {
            throw new IllegalStateException(
                    "the local platform did not start: " + e.getMessage(), e);
        }
    }

    /** Closed by JUnit when the root context closes, after the last test class. */
    private record Running(LocalPlatform platform)
            implements ExtensionContext.Store.CloseableResource {
        @Override
        public void close() {
            platform.close();
        }
    }
}
