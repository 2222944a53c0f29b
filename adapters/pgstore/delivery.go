package pgstore

import (
	"context"
	"net/http"
	"time"
)

// Delivery is satisfied by the Delivery type of every package krosgen
// generates (a struct of exactly these fields), so that code here can take
// and make one without importing the package.
type Delivery interface {
	~struct {
		ID         string
		Header     http.Header
		Body       []byte
		ReceivedAt time.Time
	}
}

// Fields is the struct every Delivery converts to and from.
type Fields = struct {
	ID         string
	Header     http.Header
	Body       []byte
	ReceivedAt time.Time
}

// QuarantineFunc adapts s.Quarantine to the generated package's
// QuarantineInvalid:
//
//	krosai.WithOnInvalid(krosai.QuarantineInvalid(pgstore.QuarantineFunc[krosai.Delivery](store)))
func QuarantineFunc[D Delivery](s *Store) func(ctx context.Context, d D, reason error) error {
	return func(ctx context.Context, d D, reason error) error {
		f := Fields(d)
		return s.Quarantine(ctx, f.ID, f.Header, f.Body, f.ReceivedAt, reason)
	}
}
