package com.oddsgate.venue;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;

import org.junit.jupiter.api.Test;

/** The money both venues' funds checks hold against a balance read: exact decimals, never more than the balance. */
class ReservationsTest {

    private static BigDecimal d(String s) {
        return new BigDecimal(s);
    }

    @Test
    void buysAreCommittedUntilTheBalanceIsUsedUpAndNoFurther() {
        Reservations r = new Reservations();
        assertThat(r.tryReserve(d("100.00"), d("60.10"))).isTrue();
        assertThat(r.tryReserve(d("100.00"), d("39.90"))).as("exactly what is left fits").isTrue();
        assertThat(r.reserved()).isEqualByComparingTo("100.00");
        assertThat(r.tryReserve(d("100.00"), d("0.000001"))).as("one millionth more does not").isFalse();
        assertThat(r.reserved()).as("a refusal commits nothing").isEqualByComparingTo("100.00");
        assertThat(r.explain("USDC")).isEqualTo(", 100 USDC of it committed to BUYs just sent");
    }

    @Test
    void aReleaseGivesBackAndNeverGoesBelowZeroAndAFreshReadStartsAgain() {
        Reservations r = new Reservations();
        r.tryReserve(d("50"), d("30.5"));
        r.release(d("10.25"), r.reading());
        assertThat(r.reserved()).isEqualByComparingTo("20.25");
        r.release(d("99"), r.reading());
        assertThat(r.reserved()).as("floored at zero").isEqualByComparingTo("0");
        r.release(null, r.reading());
        assertThat(r.reserved()).isEqualByComparingTo("0");
        r.tryReserve(d("50"), d("50"));
        r.reset();
        assertThat(r.reserved()).as("the new balance counts what was placed").isEqualByComparingTo("0");
        assertThat(r.explain("USD")).isEmpty();
    }

    @Test
    void severalInstancesEachCommitTheirShareRoundedDown() {
        Reservations r = new Reservations();
        r.share(3);
        assertThat(r.ours(d("100"))).isEqualByComparingTo("33.333333");
        assertThat(r.ours(d("100.12345678"))).as("the balance's own scale kept").isEqualByComparingTo("33.37448559");
        assertThat(r.tryReserve(d("100"), d("33.333334"))).as("a millionth over the share").isFalse();
        assertThat(r.tryReserve(d("100"), d("33.333333"))).isTrue();
        assertThat(r.explain("USDC")).isEqualTo(", of which this gateway may commit 1/3 (3 instances share the account), 33.333333 USDC of"
                + " it committed to BUYs just sent");
        r.share(0);
        assertThat(r.ours(d("100"))).as("never less than one instance").isEqualByComparingTo("100");
    }

    @Test
    void aReleaseOfWhatWasCommittedBeforeTheLastBalanceReadingFreesNothingCommittedSince() {
        Reservations r = new Reservations();
        assertThat(r.tryReserve(d("100"), d("60"))).isTrue(); // an amend's replacement
        long amend = r.reading();
        r.reset(); // the balance read again (every balance-ttl): it counts the 60 from now on
        assertThat(r.tryReserve(d("100"), d("30"))).isTrue(); // another BUY
        r.release(d("60"), amend); // the amend's original could not be cancelled: its replacement is not placed
        assertThat(r.reserved()).as("the other BUY's 30 still held").isEqualByComparingTo("30");
        assertThat(r.tryReserve(d("100"), d("70.01"))).isFalse();
    }
}
