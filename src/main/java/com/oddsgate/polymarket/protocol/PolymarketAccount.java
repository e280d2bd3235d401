package com.oddsgate.polymarket.protocol;

import com.oddsgate.polymarket.signing.ApiCredentials;
import com.oddsgate.polymarket.signing.ClobAuth;
import com.oddsgate.polymarket.signing.DepositWalletSignature;
import com.oddsgate.polymarket.signing.Wallet;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;
import com.oddsgate.venue.NamedAccounts;
import com.oddsgate.venue.RetryableVenueException;
import com.oddsgate.venue.VenueReads;

/**
 * One trading identity, named in the configuration: the wallet, its L2 API credentials, and where
 * its funds are (signature type and funder; null: those of {@code oddsgate.polymarket.*}). With only
 * a private key configured, the credentials are created (or, when they exist, derived) through L1
 * auth, as the official client's {@code createOrDeriveApiKey} does: once the venue routes run (the
 * gateway asks at start-up), or on first use. An account the venue does not give them to stays
 * without, and is asked again at a use at least {@link #ASK_AGAIN} later.
 */
public class PolymarketAccount {

    private static final Logger LOG = LoggerFactory.getLogger(PolymarketAccount.class);
    /** How long after a failed creation or derivation the venue is not asked again (each ask is up to three calls). */
    static final Duration ASK_AGAIN = Duration.ofSeconds(10);
    /** How long a caller waits for another one's creation or derivation. */
    static final Duration WAIT = Duration.ofSeconds(2);
    /** The account of the single-account settings (POLYMARKET_PRIVATE_KEY …). */
    public static final String MAIN = NamedAccounts.MAIN;

    private final String name;
    private final Wallet wallet;
    private final Credentials credentials;
    private final Integer signatureType;
    private final String funder;

    public PolymarketAccount(Wallet wallet, ApiCredentials credentials) {
        this(MAIN, wallet, credentials, null, null);
    }

    /**
     * @param signatureType 0 EOA, 1 POLY_PROXY, 2 POLY_GNOSIS_SAFE, 3 POLY_1271; null: the settings' type and funder
     * @param funder        the proxy, Safe or deposit wallet holding the funds, for types 1 to 3
     */
    public PolymarketAccount(String name, Wallet wallet, ApiCredentials credentials, Integer signatureType, String funder) {
        this(name, wallet, new Credentials(credentials, null, null), signatureType, funder);
    }

    private PolymarketAccount(String name, Wallet wallet, Credentials credentials, Integer signatureType, String funder) {
        if (signatureType != null && (signatureType < 0 || signatureType > 3)) {
            throw new IllegalArgumentException("account " + name + ": signature-type must be 0 (EOA), 1 (POLY_PROXY),"
                    + " 2 (POLY_GNOSIS_SAFE) or 3 (POLY_1271, deposit wallet)");
        }
        if (signatureType != null && signatureType > 0 && (funder == null || !funder.matches("0x[0-9a-fA-F]{40}"))) {
            throw new IllegalArgumentException("account " + name + ": funder must be the 0x address of the proxy, Safe or"
                    + " deposit wallet for signature type " + signatureType);
        }
        this.name = name;
        this.wallet = wallet;
        this.credentials = credentials;
        this.signatureType = signatureType;
        this.funder = funder;
    }

    /** The same identity under a name, with its own signature type and funder (null: the settings'). */
    public PolymarketAccount named(String newName, Integer type, String newFunder) {
        return new PolymarketAccount(newName, wallet, credentials, type, newFunder);
    }

    public String name() {
        return name;
    }

    public int signatureType(PolymarketSettings settings) {
        return signatureType != null ? signatureType : settings.signatureType();
    }

    /** The order's maker: the EOA for type 0, the funder otherwise. */
    public String maker(PolymarketSettings settings) {
        return signatureType == null ? settings.makerFor(wallet) : signatureType == 0 ? wallet.address() : funder;
    }

    /** The order's signer: the EOA, except for a deposit wallet, which is maker and signer (it checks by ERC-1271). */
    public String signer(PolymarketSettings settings) {
        return signatureType == null ? settings.signerFor(wallet)
                : signatureType == DepositWalletSignature.SIGNATURE_TYPE ? funder : wallet.address();
    }

    /** An account whose credentials are created or derived on first use (see {@link #createOrDerive}). */
    public static PolymarketAccount deriving(Wallet wallet, PolymarketSettings settings, VenueReads reads, Clock clock) {
        return new PolymarketAccount(MAIN, wallet, new Credentials(null, () -> createOrDerive(wallet, settings, reads, clock).credentials(), clock),
                null, null);
    }

    /** Creates the wallet's API credentials, or derives them when they exist (L1; the CLOB's clock when it tells it). */
    public static PolymarketAccount createOrDerive(Wallet wallet, PolymarketSettings settings, VenueReads reads, Clock clock) {
        long ts = serverTime(reads, clock);
        Map<String, String> l1 = ClobAuth.headers(wallet, settings.chainId(), ts, 0);
        VenueReads.Auth auth = (method, path, body) -> l1;
        VenueReads.Response created = reads.call("polymarket-create-api-key", Map.of(), "", auth, null);
        VenueReads.Response r = created.ok() ? created : reads.get("polymarket-derive-api-key", Map.of(), "", auth);
        JsonNode j = r.json();
        if (!r.ok() || j == null || !j.hasNonNull("apiKey")) {
            throw new IllegalStateException("Polymarket API credentials could not be created or derived for "
                    + wallet.address() + ": HTTP " + r.status() + " " + (j == null ? "" : j.path("error").asText("")));
        }
        ApiCredentials creds = new ApiCredentials(j.get("apiKey").asText(), j.get("secret").asText(), j.get("passphrase").asText());
        LOG.info("Polymarket API credentials {} for {} ({})", created.ok() ? "created" : "derived", wallet.address(), creds);
        return new PolymarketAccount(wallet, creds);
    }

    /** The CLOB's clock when it answers, our own otherwise (L1 timestamps are checked against it). */
    private static long serverTime(VenueReads reads, Clock clock) {
        try {
            VenueReads.Response t = reads.get("polymarket-time", Map.of(), "", VenueReads.Auth.NONE);
            if (t.ok() && t.json() != null && t.json().canConvertToLong()) {
                return t.json().asLong();
            }
        } catch (RuntimeException e) {
            LOG.warn("Polymarket /time unavailable ({}); using the local clock", e.getMessage());
        }
        return clock.instant().getEpochSecond();
    }

    public Wallet wallet() {
        return wallet;
    }

    /** The L2 credentials; created or derived now if they were not yet (a venue that cannot tell them: {@link RetryableVenueException}). */
    public ApiCredentials credentials() {
        return credentials.get();
    }

    /** The API key when the credentials are known already (null while they are still to be derived). */
    public String apiKeyIfKnown() {
        ApiCredentials known = credentials.value;
        return known == null ? null : known.apiKey();
    }

    /** L2 headers for one request to the CLOB. */
    public Map<String, String> l2Headers(long timestampSeconds, String method, String path, byte[] body) {
        return credentials().l2Headers(wallet.address(), timestampSeconds, method, path, body);
    }

    /** L2 authentication of a venue read, timestamped when it is sent. */
    public VenueReads.Auth l2(Clock clock) {
        return (method, path, body) -> l2Headers(clock.instant().getEpochSecond(), method, path, body);
    }

    /**
     * Given, or derived once; shared by the account's named copies. One caller asks the venue at a
     * time; the others wait for it at most {@link #WAIT} (a slow venue must not hold an order, a
     * heartbeat or the user channel for the length of three timeouts); after a failure nobody asks
     * again for {@link #ASK_AGAIN}. Whoever needed them fails as if the venue were unreachable:
     * nothing is signed or sent without them.
     */
    private static final class Credentials {
        private final Supplier<ApiCredentials> source;
        private final Clock clock;
        private final ReentrantLock asking = new ReentrantLock();
        private volatile ApiCredentials value;
        private volatile Instant failedAt;
        private volatile String failure;

        Credentials(ApiCredentials given, Supplier<ApiCredentials> source, Clock clock) {
            this.value = given;
            this.source = source;
            this.clock = clock;
        }

        ApiCredentials get() {
            ApiCredentials v = value;
            if (v != null || source == null) {
                return v;
            }
            refusedLately();
            try {
                if (!asking.tryLock(WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                    throw new RetryableVenueException("API credentials are being created or derived", 0, null);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new RetryableVenueException("interrupted while API credentials were being derived", 0, null);
            }
            try {
                if (value == null) {
                    refusedLately(); // the one who held the lock may just have failed
                    try {
                        value = source.get();
                        failedAt = null;
                    } catch (RuntimeException e) {
                        failure = e.getMessage();
                        failedAt = clock.instant();
                        throw e instanceof RetryableVenueException r ? r : new RetryableVenueException(e.getMessage(), 0, null);
                    }
                }
                return value;
            } finally {
                asking.unlock();
            }
        }

        private void refusedLately() {
            Instant failed = failedAt;
            if (failed != null && clock.instant().isBefore(failed.plus(ASK_AGAIN))) {
                throw new RetryableVenueException("API credentials not available (" + failure + "); asked again after "
                        + failed.plus(ASK_AGAIN), 0, null);
            }
        }
    }

    @Override
    public String toString() {
        ApiCredentials known = credentials.value;
        return "PolymarketAccount[" + name + ", " + wallet.address() + ", " + (known == null ? "credentials to derive" : known) + "]";
    }
}
