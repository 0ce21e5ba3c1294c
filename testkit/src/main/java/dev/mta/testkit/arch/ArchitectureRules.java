package dev.mta.testkit.arch;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;

import java.util.Set;

import static com.tngtech.archunit.base.DescribedPredicate.describe;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The rules the code keeps (ARCHITECTURE.md), written once and checked by each module's tests against its own
 * production classes. Each rule takes the packages it governs, so the same rule can also be shown failing on
 * deliberately violating classes planted in a test-only package ({@code dev.mta.archplant..}).
 */
public final class ArchitectureRules {
    private ArchitectureRules() {
    }

    /** A module's production classes: its package and everything below, without test classes. */
    public static JavaClasses productionClasses(String basePackage) {
        return new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages(basePackage);
    }

    /** Classes of a test-only package (the planted violations). */
    public static JavaClasses classesOf(String basePackage) {
        return new ClassFileImporter().importPackages(basePackage);
    }

    /**
     * What {@code rule} reports on {@code classes}, one line per violation without its source line number, for
     * tests that hold a rule to a known list of violations found in existing code (reported, not yet fixed).
     */
    public static java.util.SortedSet<String> violations(ArchRule rule, JavaClasses classes) {
        java.util.SortedSet<String> out = new java.util.TreeSet<>();
        for (String line : rule.evaluate(classes).getFailureReport().getDetails()) {
            out.add(line.replaceFirst(" in \\([^()]*:\\d+\\)$", ""));
        }
        return out;
    }

    // ---------------------------------------------------------------- (a) the protocol module is pure

    /** Network types: sockets of java.net, every channel and selector of java.nio.channels, the HTTP client. */
    static final DescribedPredicate<JavaClass> SOCKETS = describe("are sockets or NIO channels",
            c -> Set.of("java.net.Socket", "java.net.ServerSocket", "java.net.DatagramSocket", "java.net.MulticastSocket",
                    "java.net.DatagramPacket", "java.net.SocketImpl", "java.net.URLConnection").contains(c.getName())
                    || c.getPackageName().startsWith("java.nio.channels")
                    || c.getPackageName().startsWith("java.net.http"));

    /** The file system: java.nio.file and the file classes of java.io (FileChannel is a channel, above). */
    static final DescribedPredicate<JavaClass> DISK = describe("belong to the file system",
            c -> c.getPackageName().startsWith("java.nio.file")
                    || Set.of("java.io.File", "java.io.FileInputStream", "java.io.FileOutputStream",
                    "java.io.RandomAccessFile", "java.io.FileReader", "java.io.FileWriter").contains(c.getName()));

    /**
     * The Netty types a codec needs, and no more: buffers, the plain utilities of {@code io.netty.util}, the codec
     * base classes of {@code io.netty.handler.codec}, and of {@code io.netty.channel} only the handler types a
     * decoder or encoder is written against. Not allowed: {@code Channel} itself, its config, event loops,
     * bootstraps, socket transports, resolvers, TLS.
     */
    static final Set<String> CODEC_CHANNEL_TYPES = Set.of("io.netty.channel.ChannelHandlerContext",
            "io.netty.channel.ChannelHandler", "io.netty.channel.ChannelHandler$Sharable",
            "io.netty.channel.ChannelHandlerAdapter", "io.netty.channel.ChannelInboundHandlerAdapter",
            "io.netty.channel.ChannelOutboundHandlerAdapter", "io.netty.channel.ChannelPromise");

    static final DescribedPredicate<JavaClass> NETTY_BEYOND_CODECS = describe(
            "are Netty types beyond what codecs need (only io.netty.buffer.., io.netty.util, io.netty.handler.codec and "
                    + "the channel handler types " + CODEC_CHANNEL_TYPES + ")",
            c -> c.getPackageName().startsWith("io.netty")
                    && !c.getPackageName().equals("io.netty.buffer") && !c.getPackageName().startsWith("io.netty.buffer.")
                    && !c.getPackageName().equals("io.netty.util")
                    && !c.getPackageName().equals("io.netty.handler.codec")
                    && !CODEC_CHANNEL_TYPES.contains(c.getName()));

    /** No sockets: the protocol is data and pure functions; what reaches the network is the server's business. */
    public static ArchRule usesNoSockets(String basePackage) {
        return noClasses().that().resideInAPackage(basePackage + "..")
                .should().dependOnClassesThat(SOCKETS)
                .because("the protocol module is SMTP as data and pure functions: no sockets (ARCHITECTURE.md)");
    }

    /** No disk: the queue owns the files. */
    public static ArchRule usesNoDisk(String basePackage) {
        return noClasses().that().resideInAPackage(basePackage + "..")
                .should().dependOnClassesThat(DISK)
                .because("the protocol module is SMTP as data and pure functions: no disk (ARCHITECTURE.md)");
    }

    /** Netty's channel world only as far as a codec needs it. */
    public static ArchRule usesOnlyCodecNettyTypes(String basePackage) {
        return noClasses().that().resideInAPackage(basePackage + "..")
                .should().dependOnClassesThat(NETTY_BEYOND_CODECS)
                .because("codecs need buffers and handler contexts, never a channel, event loop or transport");
    }

    // ---------------------------------------------------------------- (b) sessions do not touch storage

    /**
     * The queue's storage: its packages that write, read, index, recover or compact the segment files, and the
     * classes of its root package that open, admit into or lock the spool. Sessions use the queue through
     * {@code MessageStore}, {@code IncomingMessage}, the model ({@code Envelope}, {@code StorageFullException}) and
     * the settings it offers them.
     */
    static final Set<String> QUEUE_STORAGE_PACKAGES = Set.of("dev.mta.queue.log..", "dev.mta.queue.index..",
            "dev.mta.queue.compaction..");
    static final Set<String> QUEUE_STORAGE_CLASSES = Set.of("dev.mta.queue.DurableQueue",
            "dev.mta.queue.SpoolLock", "dev.mta.queue.QueueIncomingMessage", "dev.mta.queue.QueueIdGenerator");

    static final DescribedPredicate<JavaClass> QUEUE_STORAGE = describe(
            "belong to the queue's storage (" + QUEUE_STORAGE_PACKAGES + ", " + QUEUE_STORAGE_CLASSES + ")",
            c -> QUEUE_STORAGE_PACKAGES.stream().anyMatch(p -> resideInAPackage(p).test(c))
                    || QUEUE_STORAGE_CLASSES.contains(c.getName())
                    || QUEUE_STORAGE_CLASSES.stream().anyMatch(s -> c.getName().startsWith(s + "$")));

    /** Transports deliver plain values: of the queue they know only its model (no job, no storage, no index). */
    public static ArchRule transportsKnowOnlyTheModel(String transportPackage) {
        return noClasses().that(resideInAnyPackage(transportPackage + ".."))
                .should().dependOnClassesThat(describe("belong to the queue outside its model",
                        c -> c.getPackageName().startsWith("dev.mta.queue")
                                && !c.getPackageName().equals("dev.mta.queue.model")))
                .because("a transport is handed a Delivery of plain values, so it and its tests need no queue");
    }

    /** The SMTP session and its state machine talk to the queue only through its interfaces. */
    public static ArchRule sessionsDoNotTouchQueueStorage(String... sessionPackages) {
        String[] patterns = java.util.Arrays.stream(sessionPackages).map(p -> p + "..").toArray(String[]::new);
        return noClasses().that(resideInAnyPackage(patterns))
                .should().dependOnClassesThat(QUEUE_STORAGE)
                .because("a session hands messages to the MessageStore; how they are stored is the queue's business");
    }

    // ---------------------------------------------------------------- (c) no package cycles

    /**
     * No cycles between the top packages of a module: each package directly below {@code basePackage} is a slice
     * with everything under it, and the classes of {@code basePackage} itself are one more.
     */
    public static ArchRule noCyclesWithin(String basePackage) {
        return slices().assignedFrom(topPackagesOf(basePackage)).should().beFreeOfCycles();
    }

    static SliceAssignment topPackagesOf(String basePackage) {
        return new SliceAssignment() {
            @Override
            public SliceIdentifier getIdentifierOf(JavaClass c) {
                String p = c.getPackageName();
                if (p.equals(basePackage)) {
                    return SliceIdentifier.of(basePackage);
                }
                if (!p.startsWith(basePackage + ".")) {
                    return SliceIdentifier.ignore();
                }
                String rest = p.substring(basePackage.length() + 1);
                int dot = rest.indexOf('.');
                return SliceIdentifier.of(basePackage + "." + (dot < 0 ? rest : rest.substring(0, dot)));
            }

            @Override
            public String getDescription() {
                return "the top packages of " + basePackage;
            }
        };
    }
}
