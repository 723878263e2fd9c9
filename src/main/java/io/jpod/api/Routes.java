package io.jpod.api;

import io.jpod.engine.ContainerEngine;

import java.util.function.Consumer;

/** Every route of the service, by resource. */
final class Routes {
    private Routes() {}

    static void install(ApiHandler h, ContainerEngine engine, Consumer<String> log) {
        new SystemRoutes(engine).install(h);
        new ContainerRoutes(engine, log).install(h);
        new ImageRoutes(engine).install(h);
        new ExecRoutes(engine, log).install(h);
        new ResourceRoutes(engine).install(h);
    }
}
