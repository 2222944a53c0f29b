//go:build krosgen_template

package support

import (
	"context"
	"errors"
	"sync"
	"time"
)

// DefaultLease is how long a claim on an event id lasts unless WithLease
// says otherwise: long enough for callbacks that answer within a sender's
// timeout (10 to 15 s), short enough that a retry after a crashed replica
// is not refused for long.
const DefaultLease = time.Minute

// DefaultRetention is how long a MemoryDeduplicator remembers a handled
// event id unless told otherwise: a week, longer than senders retry
// (Stripe up to 3 days, Svix about 28 hours).
const DefaultRetention = 7 * 24 * time.Hour

// ErrLeaseLost is returned by MemoryDeduplicator's Commit and Release when
// the token no longer holds the claim: the lease expired and another
// delivery took the id over (or the claim was already ended).
var ErrLeaseLost = errors.New("claim no longer held: its lease expired and another delivery took the event over")

// Deduplicator records which event ids have been handled, so that
// redeliveries of an event (webhooks are delivered at least once) do not
// run its callbacks again, even on another replica.
//
// A Handler calls Claim when an event arrives. A non-zero token means the
// caller now holds the id for lease: it was never claimed, its previous
// claim was released, it was handled longer ago than the store's retention,
// or its previous holder's lease expired (a take-over: the holder is
// presumed dead). The Handler then calls Commit with the token once every
// callback succeeded, or Release if any failed, so that a retry runs again.
// A zero token means the id is not available: done reports whether it was
// committed (a duplicate) or is held by another delivery under a live lease
// (in flight).
//
// Tokens are fencing tokens: each claim of an id gets a token no earlier
// claim of it had, and Commit and Release must fail when the token no
// longer holds the claim, so that a holder that outlived its lease cannot
// record the event after another took it over.
//
// The methods use only standard types, so that one store implementation
// (such as a PostgreSQL one in another module) serves every generated
// package. Implementations must be safe for concurrent use.
type Deduplicator interface {
	// Claim tries to take id for lease.
	Claim(ctx context.Context, id string, lease time.Duration) (token int64, done bool, err error)
	// Commit records id as handled, if token still holds the claim.
	Commit(ctx context.Context, id string, token int64) error
	// Release ends the claim without recording id as handled, if token
	// still holds it.
	Release(ctx context.Context, id string, token int64) error
}

// MemoryDeduplicator is a Deduplicator for a single process. It remembers
// a handled id for its retention period, and a claimed id until its lease
// expires and another delivery takes it over. Its zero value is ready to
// use, with DefaultRetention. It is safe for concurrent use.
type MemoryDeduplicator struct {
	mu        sync.Mutex
	retention time.Duration
	ids       map[string]memoryClaim
	done      []memoryDone // committed ids in commit order, so the oldest are forgotten first
	doneHead  int          // done[:doneHead] are forgotten already
	lastToken int64
}

// memoryClaim is the state of one id.
type memoryClaim struct {
	token     int64
	committed bool
	until     time.Time // end of the lease, or of the retention once committed
}

// memoryDone is a committed id and the token that committed it.
type memoryDone struct {
	id    string
	token int64
	until time.Time
}

// errNilMemoryDeduplicator is returned by the methods of a nil *MemoryDeduplicator.
var errNilMemoryDeduplicator = errors.New("nil *MemoryDeduplicator")

// NewMemoryDeduplicator returns a MemoryDeduplicator that remembers
// handled ids for retention; zero or less means DefaultRetention.
func NewMemoryDeduplicator(retention time.Duration) *MemoryDeduplicator {
	return &MemoryDeduplicator{retention: retention}
}

// Claim takes id for lease (DefaultLease when zero or less) unless it was
// committed within the retention period (done) or is held under a live
// lease. It returns an error only for a nil receiver.
func (m *MemoryDeduplicator) Claim(_ context.Context, id string, lease time.Duration) (int64, bool, error) {
	if m == nil {
		return 0, false, errNilMemoryDeduplicator
	}
	if lease <= 0 {
		lease = DefaultLease
	}
	now := time.Now()
	m.mu.Lock()
	defer m.mu.Unlock()
	m.forget(now)
	if c, ok := m.ids[id]; ok && now.Before(c.until) {
		return 0, c.committed, nil
	}
	if m.ids == nil {
		m.ids = make(map[string]memoryClaim)
	}
	m.lastToken++
	m.ids[id] = memoryClaim{token: m.lastToken, until: now.Add(lease)}
	return m.lastToken, false, nil
}

// Commit records id as handled for the retention period. It returns
// ErrLeaseLost if token does not hold the claim; committing twice with the
// same token is not an error.
func (m *MemoryDeduplicator) Commit(_ context.Context, id string, token int64) error {
	if m == nil {
		return errNilMemoryDeduplicator
	}
	now := time.Now()
	m.mu.Lock()
	defer m.mu.Unlock()
	c, ok := m.ids[id]
	switch {
	case !ok || c.token != token:
		return ErrLeaseLost
	case c.committed:
		return nil
	}
	retention := m.retention
	if retention <= 0 {
		retention = DefaultRetention
	}
	c = memoryClaim{token: token, committed: true, until: now.Add(retention)}
	m.ids[id] = c
	m.done = append(m.done, memoryDone{id: id, token: token, until: c.until})
	return nil
}

// Release forgets the claim, so that the next delivery of id runs again.
// It returns ErrLeaseLost if token does not hold an uncommitted claim.
func (m *MemoryDeduplicator) Release(_ context.Context, id string, token int64) error {
	if m == nil {
		return errNilMemoryDeduplicator
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	c, ok := m.ids[id]
	if !ok || c.token != token || c.committed {
		return ErrLeaseLost
	}
	delete(m.ids, id)
	return nil
}

// forget drops the committed ids whose retention ended before now. Ids
// are committed in time order, so the expired ones are a prefix of done.
func (m *MemoryDeduplicator) forget(now time.Time) {
	for m.doneHead < len(m.done) && !now.Before(m.done[m.doneHead].until) {
		d := m.done[m.doneHead]
		if c, ok := m.ids[d.id]; ok && c.committed && c.token == d.token {
			delete(m.ids, d.id)
		}
		m.done[m.doneHead] = memoryDone{}
		m.doneHead++
	}
	if m.doneHead > len(m.done)/2 { // compact, so the slice does not grow forever
		m.done = append(m.done[:0], m.done[m.doneHead:]...)
		m.doneHead = 0
	}
}
