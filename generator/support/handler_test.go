package support

import (
	"bytes"
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// The Handler, the patterns and the verifier are tested where they are used:
// in the generated package (gen/krosai/*_test.go), against real event types.
// This test covers the one case only a stub can reach: a Parse that panics,
// standing in for a bug in generated code.

func TestHandler_ParsePanicIs500AndLogsTheStack(t *testing.T) {
	var logs bytes.Buffer
	h := NewHandler(WithLogger(slog.New(slog.NewTextHandler(&logs, nil))))
	called := false
	if err := h.OnPattern("*", func(context.Context, *Event) error { called = true; return nil }); err != nil {
		t.Fatal(err)
	}
	body := `{"event":"` + string(stubPanicEventType) + `","id":"evt_p","timestamp":"2025-01-10T12:00:00Z","data":{}}`
	w := httptest.NewRecorder()
	h.ServeHTTP(w, httptest.NewRequest(http.MethodPost, "/webhooks", strings.NewReader(body)))
	if w.Code != http.StatusInternalServerError {
		t.Fatalf("status %d, want 500 so that KrosAI retries", w.Code)
	}
	if called {
		t.Error("a callback ran for a payload that could not be parsed")
	}
	if strings.Contains(w.Body.String(), "stub parser bug") {
		t.Error("the panic is returned to the sender; it should only be logged")
	}
	for _, want := range []string{"level=ERROR", "recovered panic", "stub parser bug", "stub_events.go"} {
		if !strings.Contains(logs.String(), want) {
			t.Errorf("log lacks %q:\n%s", want, logs.String())
		}
	}
}
