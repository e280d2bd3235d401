package com.oddsgate.ops;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.camel.cluster.CamelClusterEventListener;
import org.apache.camel.cluster.CamelClusterMember;
import org.apache.camel.cluster.CamelClusterService;
import org.apache.camel.cluster.CamelClusterView;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This instance's role among gateways sharing one ledger. Standalone (no cluster configured), it
 * does everything. In a cluster, Camel's cluster service (ZooKeeper) elects one leader in the
 * namespace the routes' {@code master:} endpoints use; this class follows the same view, for
 * health, metrics and JMX, and for the work Java keeps running outside a route (the fill streams),
 * which must stop here the moment another instance leads.
 */
public class Leadership {

    private static final Logger LOG = LoggerFactory.getLogger(Leadership.class);

    /** The namespace of {@code oddsgate.cluster.leader-only} ({@code master:oddsgate-leader:}). */
    public static final String NAMESPACE = "oddsgate-leader";

    private final CamelClusterView view;
    private final List<Runnable> onLost = new CopyOnWriteArrayList<>();
    private final AtomicLong changes = new AtomicLong();
    private volatile boolean leads;

    private Leadership(CamelClusterView view) {
        this.view = view;
    }

    /** One instance alone on its ledger: it leads, always. */
    public static Leadership standalone() {
        Leadership l = new Leadership(null);
        l.leads = true;
        return l;
    }

    /** Follows the election in {@link #NAMESPACE} of the given cluster service. */
    public static Leadership of(CamelClusterService service) throws Exception {
        Leadership l = new Leadership(service.getView(NAMESPACE));
        l.view.addEventListener((CamelClusterEventListener.Leadership) l::changed);
        return l;
    }

    private void changed(CamelClusterView v, CamelClusterMember leader) {
        boolean now = v.getLocalMember().isLeader();
        boolean before = leads;
        leads = now;
        if (now != before) {
            changes.incrementAndGet();
            LOG.info("leadership {}: leader is now {}", now ? "taken" : "lost", leader == null ? "(none)" : leader.getId());
            if (!now) {
                onLost.forEach(Runnable::run);
            }
        }
    }

    /** Runs when this instance stops leading (not at start-up, where a follower never started it). */
    public Leadership onLost(Runnable action) {
        onLost.add(action);
        return this;
    }

    public boolean leads() {
        return view == null || leads;
    }

    /** standalone, leader or follower. */
    public String role() {
        return view == null ? "standalone" : leads ? "leader" : "follower";
    }

    /** How often the role changed since start. */
    public long changes() {
        return changes.get();
    }

    public Map<String, Object> describe() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("role", role());
        if (view != null) {
            out.put("leader", view.getLeader().map(CamelClusterMember::getId).orElse("(none elected)"));
            out.put("members", view.getMembers().stream().map(CamelClusterMember::getId).sorted().toList());
            out.put("leadershipChanges", changes.get());
        }
        return out;
    }
}
