package dev.isthmus.ffi.check;

import dev.isthmus.ffi.CHeader;
import dev.isthmus.ffi.checkfixtures.BrokenInit;
import dev.isthmus.ffi.checkfixtures.GoodConstants;
import dev.isthmus.ffi.checkfixtures.GoodSockaddrIn;
import dev.isthmus.ffi.checkfixtures.GoodSockaddrIn6;
import dev.isthmus.ffi.checkfixtures.GoodTimespec;
import dev.isthmus.ffi.checkfixtures.MissingHeader;
import dev.isthmus.ffi.checkfixtures.MissingPackage;
import dev.isthmus.ffi.checkfixtures.WrongConstants;
import dev.isthmus.ffi.checkfixtures.WrongMemberNameTimespec;
import dev.isthmus.ffi.checkfixtures.WrongMemberSizeIn6Addr;
import dev.isthmus.ffi.checkfixtures.WrongOffsetTimespec;
import dev.isthmus.ffi.checkfixtures.WrongSizeSockaddrIn;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The layout checker against fixture bindings whose mistakes are known: each mistake must be
 * reported, exactly, and the right fixtures must pass. Without this a checker that compares nothing
 * would look the same as one that finds nothing wrong.
 */
@Timeout(60)
class LayoutCheckerSelfTest {
    private static CCompiler cc;

    @BeforeAll
    static void compiler() {
        cc = CCompiler.find(LayoutCheckTest.TARGET).orElse(null);
        if (cc == null) {
            System.out.println("layout checker self-test SKIPPED: no C compiler can be run on this machine");
            Assumptions.abort("no C compiler can be run on this machine");
        }
    }

    private final List<LayoutReport> reports = new ArrayList<>();

    /** Reports with findings keep their probes for reading; these findings are intended, so tidy up. */
    @AfterEach
    void deleteKeptProbes() {
        for (LayoutReport r : reports) {
            if (r.keptAt != null) {
                LayoutChecker.delete(r.keptAt);
            }
        }
    }

    private LayoutReport check(Class<?>... classes) throws Exception {
        LayoutReport r = new LayoutChecker(cc, LayoutCheckTest.TARGET).check(List.of(classes));
        reports.add(r);
        System.out.println("[self-test, fixtures] " + r.summary());
        if (!r.findings.isEmpty()) {
            System.out.println(r.table());
        }
        return r;
    }

    private static Finding only(LayoutReport r, Class<?> owner) {
        List<Finding> f = r.findings.stream().filter(x -> x.owner() == owner).toList();
        assertEquals(1, f.size(), () -> "expected one finding for " + owner.getSimpleName() + ":\n" + r.table());
        return f.getFirst();
    }

    private static Finding find(LayoutReport r, String item) {
        return r.findings.stream().filter(x -> x.item().equals(item)).findFirst()
                .orElseThrow(() -> new AssertionError("no finding for " + item + ":\n" + r.table()));
    }

    @Test
    void rightBindingsPass() throws Exception {
        LayoutReport r = check(GoodConstants.class, GoodTimespec.class, GoodSockaddrIn.class, GoodSockaddrIn6.class);
        assertTrue(r.passed(false), r::table);
        // EPOLLIN, EPOLLOUT, EPOLLET, IPPORT_RESERVED; the @NewerThanHeaders one is absent, not compared.
        assertEquals(4, r.constants);
        assertEquals(3, r.structs);
        // timespec 2; sockaddr_in: sin_family, sin_port, sin_addr, sin_addr.s_addr, sin_zero;
        // sockaddr_in6: 4 scalars, sin6_addr, sin6_addr.__in6_u and its 3 arrays.
        assertEquals(2 + 5 + 9, r.members);
        assertEquals(List.of(new LayoutReport.Absent(GoodConstants.class, "EPOLL_ISTHMUS_FUTURE", "Linux 99.0")),
                r.absent);
        assertTrue(r.summary().contains("EPOLL_ISTHMUS_FUTURE (GoodConstants, Linux 99.0)"), r.summary());
        assertNull(r.keptAt, "probe directory must be deleted after a pass");
    }

    @Test
    void wrongOffsetFails() throws Exception {
        LayoutReport r = check(WrongOffsetTimespec.class);
        assertFalse(r.passed(true));
        assertEquals(new Finding(WrongOffsetTimespec.class, "offsetof(struct timespec, tv_nsec)", "4", "8"),
                only(r, WrongOffsetTimespec.class));
        assertTrue(r.table().contains("offsetof(struct timespec, tv_nsec) | 4"), r.table());
        assertNotNull(r.keptAt, "the probe is kept for reading when something differs");
    }

    @Test
    void wrongSizesFail() throws Exception {
        LayoutReport r = check(WrongSizeSockaddrIn.class, WrongMemberSizeIn6Addr.class);
        assertEquals(new Finding(WrongSizeSockaddrIn.class, "sizeof(struct sockaddr_in)", "20", "16"),
                only(r, WrongSizeSockaddrIn.class));
        assertEquals(new Finding(WrongMemberSizeIn6Addr.class,
                        "sizeof(struct in6_addr.__in6_u.__u6_addr32)", "12", "16"),
                only(r, WrongMemberSizeIn6Addr.class));
    }

    @Test
    void wrongConstantsFail() throws Exception {
        LayoutReport r = check(WrongConstants.class);
        assertFalse(r.passed(true));
        assertEquals(3, r.findings.size(), r::table);
        Finding value = find(r, "EPOLLIN");
        assertEquals("2", value.java());
        assertEquals("1", value.c());
        Finding typo = find(r, "EPOLL_CLOEXCEC");
        assertTrue(typo.c().startsWith("not declared by sys/epoll.h"), typo.c());
        Finding tooWide = find(r, "EPOLLONESHOT");
        assertTrue(tooWide.c().contains("does not fit a 16-bit Java field"), tooWide.c());
        assertTrue(r.absent.isEmpty(), "a misspelled name must not count as absent");
    }

    @Test
    void unknownMemberFails() throws Exception {
        LayoutReport r = check(WrongMemberNameTimespec.class);
        Finding f = only(r, WrongMemberNameTimespec.class);
        assertEquals("struct timespec.tv_nsecs", f.item());
        assertTrue(f.c().contains("no member named 'tv_nsecs'"), f.c());
        assertEquals(2, r.structs + r.members, "sizeof and tv_sec are still checked after the bad member is dropped");
    }

    @Test
    void missingHeaderFails() throws Exception {
        LayoutReport r = check(MissingHeader.class, GoodTimespec.class);
        Finding f = only(r, MissingHeader.class);
        assertTrue(f.c().contains("isthmus/no_such_header.h"), f.c());
        assertEquals(3, r.structs + r.members, "the other probe still runs");
    }

    @Test
    void missingPackageIsNotCheckedAndFailsUnlessAllowed() throws Exception {
        LayoutReport r = check(MissingPackage.class);
        assertTrue(r.findings.isEmpty(), r::table);
        assertEquals(1, r.notChecked.size());
        assertEquals(List.of(MissingPackage.class), r.notChecked.getFirst().owners());
        assertTrue(r.notChecked.getFirst().reason().contains("isthmus-no-such-package"), r.notChecked.toString());
        assertFalse(r.passed(false));
        assertTrue(r.passed(true));
        assertTrue(r.table().contains("not checked"), r.table());
        assertTrue(r.summary().contains("NOT CHECKED [MissingPackage]"), r.summary());
    }

    @Test
    void classThatFailsToInitialiseIsReported() throws Exception {
        LayoutReport r = check(BrokenInit.class);
        Finding f = only(r, BrokenInit.class);
        assertTrue(f.java().contains("librte_eal.so"), f.java());
    }

    @Test
    void errorsInsideAMacroExpansionAreBlamedOnTheProbeLine() {
        // A macro defined in a header whose expansion is broken: gcc reports the error at the header
        // and names the probe line only in a note.
        String gcc = """
                In file included from probe.c:4:
                /usr/include/x.h:10:20: error: 'BAR' undeclared here (not in a function)
                probe.c:9:40: note: in expansion of macro 'FOO'
                probe.c:11:1: error: 'BAZ' undeclared here (not in a function)
                """;
        Map<Integer, String> blamed = CProbe.blame(gcc, Map.of(9, 0, 10, 1, 11, 2));
        assertEquals(Map.of(0, "'BAR' undeclared here (not in a function)",
                2, "'BAZ' undeclared here (not in a function)"), blamed);
    }

    @Test
    void constantsCompareModuloTheJavaWidth() {
        Check.Constant epollet = new Check.Constant(Object.class, "EPOLLET", Integer.MIN_VALUE, 32, null);
        assertNull(LayoutChecker.compareConstant(epollet, 0x8000_0000L));
        assertNotNull(LayoutChecker.compareConstant(epollet, 0x1_8000_0000L));
        Check.Constant minusOne = new Check.Constant(Object.class, "X", -1, 8, null);
        assertNull(LayoutChecker.compareConstant(minusOne, 255));
        assertNull(LayoutChecker.compareConstant(minusOne, -1));
        assertNotNull(LayoutChecker.compareConstant(minusOne, 256 + 255));
        Check.Constant wide = new Check.Constant(Object.class, "Y", -1L, 64, null);
        assertNull(LayoutChecker.compareConstant(wide, -1L));     // ULLONG_MAX as printed by %lld
    }

    @Test
    void theRealScanExcludesTheFixturesAndTheFixtureScanFindsThem() {
        List<Class<?>> real = BindingScanner.scan(CHeader.class, "dev.isthmus.ffi");
        assertTrue(real.stream().noneMatch(c -> c.getPackageName().contains("checkfixtures")), real::toString);
        List<Class<?>> fixtures = BindingScanner.scan(GoodTimespec.class, "dev.isthmus.ffi.checkfixtures");
        assertTrue(fixtures.containsAll(List.of(GoodConstants.class, WrongOffsetTimespec.class, BrokenInit.class)),
                fixtures::toString);
    }
}
