package io.scanorder.e2e;

import io.scanorder.crds.v1alpha1.Area;
import io.scanorder.crds.v1alpha1.Store;
import io.scanorder.operator.model.StoreConfig;
import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import javax.sql.DataSource;

/**
 * Registers a Store's areas and tables with the order service. The service has no remote API for
 * this yet (the operator only writes the store ConfigMap), so local mode runs the service's own
 * {@code io.scanorder.order.table.TableRegistry#register} against the service's database, loaded
 * from the built service in a class loader of its own: the same code and the same rows as a future
 * API would produce, without putting Quarkus on the runner's class path.
 */
final class StoreTablesRegistration {
    /** Seats per table when an area leaves them out (the CRD's default). */
    private static final int DEFAULT_SEATS = 4;

    private static final String PKG = "io.scanorder.order.";

    private StoreTablesRegistration() {}

    /**
     * Registers the store's areas and tables; returns the registry's summary of what changed.
     *
     * @param orderJar the order service's {@code quarkus-app/quarkus-run.jar}
     */
    static String register(Path orderJar, String jdbcUrl, String user, String password, Store store)
            throws IOException {
        Path app = orderJar.getParent();
        List<URL> urls = new ArrayList<>();
        for (String dir : List.of("app", "lib/main", "lib/boot")) {
            Path folder = app.resolve(dir);
            if (!Files.isDirectory(folder)) {
                continue;
            }
            try (Stream<Path> jars = Files.list(folder)) {
                for (Path jar : jars.filter(p -> p.toString().endsWith(".jar")).toList()) {
                    urls.add(jar.toUri().toURL());
                }
            }
        }
        try (URLClassLoader loader =
                new URLClassLoader(
                        "order-service-tables",
                        urls.toArray(URL[]::new),
                        ClassLoader.getPlatformClassLoader())) {
            Object registry = tableRegistry(loader, jdbcUrl, user, password);
            Object spec = storeTables(loader, store);
            return String.valueOf(
                    registry.getClass()
                            .getMethod("register", loader.loadClass(PKG + "table.StoreTables"))
                            .invoke(registry, spec));
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            throw new IllegalStateException(
                    "Store "
                            + store.getMetadata().getName()
                            + ": the order service refused its areas and tables: "
                            + cause.getMessage(),
                    cause);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(
                    "the order service at "
                            + app
                            + " has no usable io.scanorder.order.table.TableRegistry ("
                            + e
                            + "); rebuild it from this checkout",
                    e);
        }
    }

    private static Object tableRegistry(
            ClassLoader loader, String jdbcUrl, String user, String password)
            throws ReflectiveOperationException {
        Class<?> pg = loader.loadClass("org.postgresql.ds.PGSimpleDataSource");
        Object dataSource = pg.getConstructor().newInstance();
        pg.getMethod("setURL", String.class).invoke(dataSource, jdbcUrl);
        pg.getMethod("setUser", String.class).invoke(dataSource, user);
        pg.getMethod("setPassword", String.class).invoke(dataSource, password);

        Object meters =
                loader.loadClass("io.micrometer.core.instrument.simple.SimpleMeterRegistry")
                        .getConstructor()
                        .newInstance();
        // The service's own defaults (scanorder.order.transactions.*).
        Object retry =
                loader.loadClass(PKG + "db.RetryPolicy")
                        .getConstructor(int.class, Duration.class, Duration.class)
                        .newInstance(6, Duration.ofMillis(20), Duration.ofSeconds(1));
        Class<?> transactionsType = loader.loadClass(PKG + "db.Transactions");
        Object transactions =
                only(transactionsType, 3)
                        .newInstance(DataSource.class.cast(dataSource), meters, retry);
        Class<?> settingsType = loader.loadClass(PKG + "table.TableSettings");
        Object settings =
                Proxy.newProxyInstance(
                        loader,
                        new Class<?>[] {settingsType},
                        (proxy, method, args) ->
                                switch (method.getName()) {
                                    case "miniProgramPage" -> "pages/table/index";
                                    case "toString" -> "TableSettings(local)";
                                    case "hashCode" -> System.identityHashCode(proxy);
                                    case "equals" -> proxy == args[0];
                                    default ->
                                            throw new UnsupportedOperationException(
                                                    method.getName());
                                });
        return only(loader.loadClass(PKG + "table.TableRegistry"), 2)
                .newInstance(transactions, settings);
    }

    private static Object storeTables(ClassLoader loader, Store store)
            throws ReflectiveOperationException {
        Class<?> areaType = loader.loadClass(PKG + "table.StoreTables$Area");
        Constructor<?> newArea =
                areaType.getConstructor(String.class, String.class, int.class, List.class);
        List<Object> areas = new ArrayList<>();
        for (Area area : store.getSpec().getAreas()) {
            areas.add(
                    newArea.newInstance(
                            area.getCode(),
                            area.getName(),
                            area.getSeats() == null ? DEFAULT_SEATS : area.getSeats(),
                            StoreConfig.tableNumbers(area.getTables())));
        }
        return loader.loadClass(PKG + "table.StoreTables")
                .getConstructor(String.class, String.class, List.class)
                .newInstance(store.getSpec().getStoreCode(), store.getSpec().getName(), areas);
    }

    private static Constructor<?> only(Class<?> type, int parameters) {
        for (Constructor<?> c : type.getConstructors()) {
            if (c.getParameterCount() == parameters) {
                return c;
            }
        }
        throw new IllegalStateException(
                type.getName() + " has no public constructor with " + parameters + " parameters");
    }
}
