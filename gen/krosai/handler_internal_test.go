package krosai

import (
	"bytes"
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// A Parse that panics stands in for a bug in generated code; only a test
// inside the package can make one.

func TestHandler_ParsePanicIs500AndLogsTheStack(t *testing.T) {
	var logs bytes.Buffer
	h := NewHandler(WithLogger(slog.New(slog.NewTextHandler(&logs, nil))))
	h.parse = func([]byte) (*Event, error) { panic("parser bug") }
	called := false
	if err := h.OnPattern("*", func(context.Context, *Event) error { called = true; return nil }); err != nil {
		t.Fatal(err)
	}
	body := `{"event":"call.completed","id":"evt_p","timestamp":"2025-01-10T12:00:00Z","data":{}}`
	w := httptest.NewRecorder()
	h.ServeHTTP(w, httptest.NewRequest(http.MethodPost, "/webhooks", strings.NewReader(body)))
	if w.Code != http.StatusInternalServerError {
		t.Fatalf("status %d, want 500 so that KrosAI retries", w.Code)
	}
	if called {
		t.Error("a callback ran for a payload that could not be parsed")
	}
	if strings.Contains(w.Body.String(), "parser bug") {
		t.Error("the panic is returned to the sender; it should only be logged")
	}
	for _, want := range []string{"level=ERROR", "recovered panic", "parser bug", "handler_internal_test.go"} {
		if !strings.Contains(logs.String(), want) {
			t.Errorf("log lacks %q:\n%s", want, logs.String())
		}
	}
	if err := h.Process(context.Background(), Delivery{Body: []byte(body)}); err == nil || strings.Contains(err.Error(), "permanent") {
		t.Errorf("Process with a panicking parser: %v; want a temporary error", err)
	}
}
