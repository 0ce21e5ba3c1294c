package dev.mta.archplant.cycleroot;

import dev.mta.archplant.cycleroot.sub.PlantedSub;

/** A cycle through a module's root package: the root uses a subpackage ... */
public final class PlantedRoot {
    public PlantedSub sub() {
        return new PlantedSub();
    }
}
