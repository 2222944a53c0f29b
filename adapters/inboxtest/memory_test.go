package inboxtest_test

import (
	"testing"
	"time"

	"github.com/krosgen/krosgen/adapters/inboxtest"
	"github.com/krosgen/krosgen/gen/krosai"
)

// The generated in-memory store passes the suite the PostgreSQL store
// passes (pgstore's tests run it too).
func TestMemoryDeduplicator(t *testing.T) {
	inboxtest.Run(t, func(t *testing.T, retention time.Duration) inboxtest.Deduplicator {
		return krosai.NewMemoryDeduplicator(retention)
	})
}
