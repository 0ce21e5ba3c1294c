package dev.mta.archplant.cycle.b;

import dev.mta.archplant.cycle.a.PlantedA;

/** ... and b uses a. */
public final class PlantedB {
    public PlantedA partner() {
        return new PlantedA();
    }
}
