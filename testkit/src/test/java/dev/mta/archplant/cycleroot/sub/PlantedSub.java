package dev.mta.archplant.cycleroot.sub;

import dev.mta.archplant.cycleroot.PlantedRoot;

/** ... which uses the root again. */
public final class PlantedSub {
    public PlantedRoot root() {
        return new PlantedRoot();
    }
}
