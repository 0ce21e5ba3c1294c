package dev.mta.bench;

import picocli.CommandLine.Command;
import picocli.CommandLine.Unmatched;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code mta-bench jmh [JMH options] [BENCHMARK regex]}: hands its arguments to JMH's own main. */
@Command(name = "jmh", description = "Runs the JMH benchmarks (e.g. EnqueueBenchmark); its arguments as JMH's -h lists.")
public final class JmhCommand implements Callable<Integer> {
    @Unmatched
    List<String> args = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        org.openjdk.jmh.Main.main(args.toArray(new String[0]));
        return 0;
    }
}
