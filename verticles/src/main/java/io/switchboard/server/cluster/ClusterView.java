package io.switchboard.server.cluster;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * This node's view of the cluster's members, and the rule that gives every channel its one owner.
 * Hazelcast's membership events update it (on Hazelcast's threads); the routing shards read it on
 * their event loops. The member list is an immutable snapshot swapped whole, so a reader never sees
 * half an update.
 *
 * <p>A channel's owner is the <em>ready</em> member with the highest rendezvous score for the pair
 * (channel, member): every node that sees the same members picks the same owner, and when a member
 * joins or leaves only the channels it gains or held move. A member is ready once it has heard
 * every other member's channels ({@code NodeAddresses.SYNC}); until then it owns nothing, so no
 * message is sequenced by a node that does not yet know where the subscribers are.
 */
public final class ClusterView {

  private final String self;
  private final long startedAt = System.currentTimeMillis();
  private volatile List<String> members;
  private volatile Set<String> ready = Set.of();
  private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
  private volatile long version;

  /**
   * @param self this node's cluster id
   * @param members the members at start, this node among them
   */
  public ClusterView(String self, List<String> members) {
    this.self = self;
    this.members = sorted(members, self);
  }

  /** This node's cluster id (Hazelcast's member UUID, which Vert.x uses as its node id). */
  public String self() {
    return self;
  }

  /** When this node joined, epoch ms. */
  public long startedAt() {
    return startedAt;
  }

  /** The members, sorted by id, this node among them. */
  public List<String> members() {
    return members;
  }

  public boolean isMember(String node) {
    return members.contains(node);
  }

  /** The owner of a channel among the current ready members (among all, if none is ready). */
  public String ownerOf(String channel) {
    List<String> current = members;
    Set<String> readyNow = ready;
    List<String> owners = new ArrayList<>(current.size());
    for (String member : current) {
      if (readyNow.contains(member)) {
        owners.add(member);
      }
    }
    return ownerOf(channel, owners.isEmpty() ? current : owners);
  }

  /** Whether a member has said it is ready to own channels. */
  public boolean isReady(String node) {
    return ready.contains(node);
  }

  /** Records that a member is ready to own channels (this node included). */
  public synchronized void markReady(String node) {
    if (ready.contains(node)) {
      return;
    }
    version++;
    Set<String> next = new HashSet<>(ready);
    next.add(node);
    ready = Set.copyOf(next);
  }

  /**
   * Changes whenever the channels' owners may have: the members, or those ready to own channels,
   * changed.
   */
  public long version() {
    return version;
  }

  /** Whether this node owns a channel. */
  public boolean ownsHere(String channel) {
    return self.equals(ownerOf(channel));
  }

  /** Replaces the member list and tells the listeners. */
  public void update(List<String> current) {
    synchronized (this) {
      // First: whoever sees the new owners sees the new version too.
      version++;
      members = sorted(current, self);
      Set<String> next = new HashSet<>(ready);
      next.retainAll(members);
      ready = Set.copyOf(next);
    }
    listeners.forEach(Runnable::run);
  }

  /** Runs {@code listener} (on the caller's thread) after each change of the member list. */
  public void onChange(Runnable listener) {
    listeners.add(listener);
  }

  /** The highest-scoring member for a channel: rendezvous hashing. */
  static String ownerOf(String channel, List<String> members) {
    String owner = null;
    long best = Long.MIN_VALUE;
    long channelHash = mix(channel.hashCode());
    for (String member : members) {
      long score = mix(channelHash ^ mix(member.hashCode() + 0x632BE59BD9B4E019L));
      if (owner == null || score > best) {
        best = score;
        owner = member;
      }
    }
    return owner;
  }

  /**
   * The short form of a node id that connection ids carry: the first 8 hex digits of the UUID, e.g.
   * {@code 3f9a1c07}.
   */
  public static String shortId(String nodeId) {
    String digits = nodeId.replace("-", "").toLowerCase(Locale.ROOT);
    return digits.length() <= 8 ? digits : digits.substring(0, 8);
  }

  /** The member whose short id is {@code shortId}, or null if none is. */
  public String memberByShortId(String shortId) {
    for (String member : members) {
      if (shortId(member).equals(shortId)) {
        return member;
      }
    }
    return null;
  }

  /** SplitMix64's finaliser: spreads a hash over all 64 bits. */
  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  private static List<String> sorted(List<String> members, String self) {
    List<String> copy = new ArrayList<>(members);
    if (!copy.contains(self)) {
      copy.add(self);
    }
    copy.sort(null);
    return List.copyOf(copy);
  }
}
