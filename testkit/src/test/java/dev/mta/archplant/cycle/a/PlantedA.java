package dev.mta.archplant.cycle.a;

import dev.mta.archplant.cycle.b.PlantedB;

/** One half of a package cycle: a uses b ... */
public final class PlantedA {
    public PlantedB partner() {
        return new PlantedB();
    }
}
