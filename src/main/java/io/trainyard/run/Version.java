package io.trainyard.run;

/** Trainyard's version, from the jar's manifest ({@code dev} when run from classes). */
public final class Version {
    private Version() {}

    public static String of() {
        String v = Version.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }
}
