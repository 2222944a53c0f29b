// Package inboxtest is the conformance suite of the deduplication stores
// of krosgen's generated packages: the lease, fencing-token and retention
// semantics every Deduplicator must have. The generated in-memory store and
// the PostgreSQL one (package pgstore) both pass it; run it against your
// own store too. It uses the standard library only.
package inboxtest

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"
)

// Deduplicator is the interface of the generated packages, which is
// written in standard types so that any store satisfies it structurally.
type Deduplicator interface {
	Claim(ctx context.Context, id string, lease time.Duration) (token int64, done bool, err error)
	Commit(ctx context.Context, id string, token int64) error
	Release(ctx context.Context, id string, token int64) error
}

// Open returns an empty store that remembers handled ids for retention.
type Open func(t *testing.T, retention time.Duration) Deduplicator

// Timing is the lease the suite lets expire, and the retention it lets
// pass; a store whose clock is coarse may need longer ones.
var Timing = struct{ Lease, Retention, Slack time.Duration }{
	Lease: 200 * time.Millisecond, Retention: 400 * time.Millisecond, Slack: 150 * time.Millisecond,
}

// Run runs the suite, each case on a store of its own, in parallel.
func Run(t *testing.T, open Open) {
	cases := []struct {
		name string
		run  func(t *testing.T, s Deduplicator)
	}{
		{"ClaimCommitDuplicate", claimCommitDuplicate},
		{"InFlightWhileLeaseIsLive", inFlightWhileLeaseIsLive},
		{"ReleaseLetsTheNextDeliveryRun", releaseLetsTheNextDeliveryRun},
		{"ExpiredLeaseIsTakenOverAndTheOldHolderIsFenced", expiredLeaseTakeOver},
		{"UnknownTokensAreRefused", unknownTokensAreRefused},
		{"TokensAreNeverReused", tokensAreNeverReused},
		{"ConcurrentClaimsHaveOneWinner", concurrentClaimsHaveOneWinner},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			c.run(t, open(t, time.Hour))
		})
	}
	t.Run("DoneIsForgottenAfterTheRetention", func(t *testing.T) {
		t.Parallel()
		retention(t, open(t, Timing.Retention))
	})
}

var ctx = context.Background()

func claim(t *testing.T, s Deduplicator, id string, lease time.Duration) (int64, bool) {
	t.Helper()
	token, done, err := s.Claim(ctx, id, lease)
	if err != nil {
		t.Fatalf("Claim(%q): %v", id, err)
	}
	if token < 0 || (token != 0 && done) {
		t.Fatalf("Claim(%q) = %d, %v: a claim is a positive token, not done", id, token, done)
	}
	return token, done
}

func wantClaimed(t *testing.T, s Deduplicator, id string, lease time.Duration, what string) int64 {
	t.Helper()
	token, done := claim(t, s, id, lease)
	if token == 0 {
		t.Fatalf("%s: Claim(%q) = 0, done %v; want a new claim", what, id, done)
	}
	return token
}

func wantState(t *testing.T, s Deduplicator, id string, wantDone bool, what string) {
	t.Helper()
	token, done := claim(t, s, id, time.Hour)
	if token != 0 || done != wantDone {
		state := map[bool]string{true: "done", false: "in flight"}[wantDone]
		t.Fatalf("%s: Claim(%q) = %d, done %v; want %s", what, id, token, done, state)
	}
}

func ok(t *testing.T, err error, what string) {
	t.Helper()
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

func refused(t *testing.T, err error, what string) {
	t.Helper()
	if err == nil {
		t.Fatalf("%s succeeded; want it refused", what)
	}
}

func claimCommitDuplicate(t *testing.T, s Deduplicator) {
	tok := wantClaimed(t, s, "evt_a", time.Hour, "first claim")
	ok(t, s.Commit(ctx, "evt_a", tok), "commit")
	ok(t, s.Commit(ctx, "evt_a", tok), "second commit with the same token")
	wantState(t, s, "evt_a", true, "after commit")
	refused(t, s.Release(ctx, "evt_a", tok), "release after commit")
	wantState(t, s, "evt_a", true, "after a refused release")
	wantClaimed(t, s, "evt_b", time.Hour, "another id")
}

func inFlightWhileLeaseIsLive(t *testing.T, s Deduplicator) {
	tok := wantClaimed(t, s, "evt_a", time.Hour, "first claim")
	for range 3 {
		wantState(t, s, "evt_a", false, "while claimed")
	}
	ok(t, s.Commit(ctx, "evt_a", tok), "commit of the live claim")
}

func releaseLetsTheNextDeliveryRun(t *testing.T, s Deduplicator) {
	first := wantClaimed(t, s, "evt_a", time.Hour, "first claim")
	ok(t, s.Release(ctx, "evt_a", first), "release")
	second := wantClaimed(t, s, "evt_a", time.Hour, "claim after release")
	if second == first {
		t.Fatalf("the claim after a release reused token %d", first)
	}
	refused(t, s.Release(ctx, "evt_a", first), "second release with the first token")
	refused(t, s.Commit(ctx, "evt_a", first), "commit with the released token")
	ok(t, s.Commit(ctx, "evt_a", second), "commit with the new token")
}

func expiredLeaseTakeOver(t *testing.T, s Deduplicator) {
	old := wantClaimed(t, s, "evt_a", Timing.Lease, "first claim")
	wantState(t, s, "evt_a", false, "before the lease expires")
	time.Sleep(Timing.Lease + Timing.Slack)
	taker := wantClaimed(t, s, "evt_a", time.Hour, "claim after the lease expired")
	if taker == old {
		t.Fatalf("the take-over reused token %d", old)
	}
	wantState(t, s, "evt_a", false, "after the take-over")
	refused(t, s.Commit(ctx, "evt_a", old), "the old holder's late commit")
	refused(t, s.Release(ctx, "evt_a", old), "the old holder's late release")
	wantState(t, s, "evt_a", false, "after the old holder's attempts")
	ok(t, s.Commit(ctx, "evt_a", taker), "the taker's commit")
	wantState(t, s, "evt_a", true, "after the taker's commit")
	refused(t, s.Commit(ctx, "evt_a", old), "the old holder's commit after the taker's")

	// An expired lease that nobody took over can still be committed: no
	// other token exists.
	lone := wantClaimed(t, s, "evt_b", Timing.Lease, "claim")
	time.Sleep(Timing.Lease + Timing.Slack)
	ok(t, s.Commit(ctx, "evt_b", lone), "commit after the lease expired, not taken over")
	wantState(t, s, "evt_b", true, "after that commit")
}

func unknownTokensAreRefused(t *testing.T, s Deduplicator) {
	refused(t, s.Commit(ctx, "evt_never", 12345), "commit of an id never claimed")
	refused(t, s.Release(ctx, "evt_never", 12345), "release of an id never claimed")
	wantClaimed(t, s, "evt_never", time.Hour, "claim after refused commit and release")
	tok := wantClaimed(t, s, "evt_x", time.Hour, "claim")
	refused(t, s.Commit(ctx, "evt_x", tok+1000), "commit with a token never issued")
	refused(t, s.Release(ctx, "evt_x", tok+1000), "release with a token never issued")
	wantState(t, s, "evt_x", false, "after refused attempts")
}

func tokensAreNeverReused(t *testing.T, s Deduplicator) {
	seen := map[int64]string{}
	for i := range 50 {
		id := fmt.Sprintf("evt_%d", i%5)
		tok := wantClaimed(t, s, id, time.Hour, "claim")
		if other, dup := seen[tok]; dup {
			t.Fatalf("token %d issued for %s and again for %s", tok, other, id)
		}
		seen[tok] = id
		ok(t, s.Release(ctx, id, tok), "release")
	}
}

func concurrentClaimsHaveOneWinner(t *testing.T, s Deduplicator) {
	const ids, racers = 20, 16
	var mu sync.Mutex
	winners := map[string]int{}
	var wg sync.WaitGroup
	for i := range ids {
		for range racers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				id := fmt.Sprintf("evt_%d", i)
				tok, _, err := s.Claim(ctx, id, time.Hour)
				if err != nil {
					t.Error(err)
					return
				}
				if tok != 0 {
					mu.Lock()
					winners[id]++
					mu.Unlock()
				}
			}()
		}
	}
	wg.Wait()
	for i := range ids {
		if n := winners[fmt.Sprintf("evt_%d", i)]; n != 1 {
			t.Errorf("evt_%d: %d concurrent claims won, want 1", i, n)
		}
	}
}

func retention(t *testing.T, s Deduplicator) {
	tok := wantClaimed(t, s, "evt_a", time.Hour, "claim")
	ok(t, s.Commit(ctx, "evt_a", tok), "commit")
	wantState(t, s, "evt_a", true, "within the retention")
	time.Sleep(Timing.Retention + Timing.Slack)
	again := wantClaimed(t, s, "evt_a", time.Hour, "claim after the retention")
	if again == tok {
		t.Fatalf("the claim after the retention reused token %d", tok)
	}
	refused(t, s.Commit(ctx, "evt_a", tok), "commit with the token of the forgotten claim")
	ok(t, s.Commit(ctx, "evt_a", again), "commit of the new claim")
	wantState(t, s, "evt_a", true, "after committing again")
}
