package io.switchboard.server.cluster;

import com.hazelcast.cluster.Member;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

/**
 * Keeps a {@link ClusterView} up to date from Hazelcast's membership events, with the Switchboard
 * nodes only: a Vert.x service that joins the cluster to use the public addresses is a member of
 * Hazelcast and of the event bus, but it owns no channel and has no admin API, so nothing waits for
 * it or asks it.
 */
public final class ClusterMembership {

  /** The Hazelcast member attribute where vertx-hazelcast keeps the Vert.x node id. */
  private static final String VERTX_NODE_ID = "__vertx.nodeId";

  private ClusterMembership() {}

  /**
   * The Switchboard nodes of the cluster, this one among them, kept up to date; every change runs
   * the view's listeners.
   */
  public static ClusterView watch(HazelcastClusterManager manager) {
    com.hazelcast.cluster.Cluster hazelcast = manager.getHazelcastInstance().getCluster();
    ClusterView view = new ClusterView(manager.getNodeId(), nodes(hazelcast.getMembers()));
    hazelcast.addMembershipListener(
        new MembershipListener() {
          @Override
          public void memberAdded(MembershipEvent event) {
            view.update(nodes(event.getMembers()));
          }

          @Override
          public void memberRemoved(MembershipEvent event) {
            view.update(nodes(event.getMembers()));
          }
        });
    // Hazelcast's list may have changed between reading it above and adding the listener.
    view.update(nodes(hazelcast.getMembers()));
    return view;
  }

  /**
   * The Vert.x node ids of the members that are Switchboard nodes (vertx-hazelcast keeps the id in
   * a member attribute; the Hazelcast member UUID is another id). A member that has not published
   * its id yet is left out.
   */
  static List<String> nodes(Collection<Member> members) {
    return members.stream()
        .filter(member -> member.getAttribute(HazelcastSetup.NODE_ATTRIBUTE) != null)
        .map(member -> member.getAttribute(VERTX_NODE_ID))
        .filter(Objects::nonNull)
        .toList();
  }
}
