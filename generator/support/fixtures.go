//go:build krosgen_template

package support

import (
	"bytes"
	"encoding/json"
	"errors"
	"net/http"
	"time"
)

// ExampleEvent parses the documented example of t. It fails only for an
// event type without an example: the generated TestExamples checks that
// every example parses.
func ExampleEvent(t EventType) (*Event, error) {
	b, ok := Examples()[t]
	if !ok {
		return nil, errors.New("no documented example of event type " + string(t))
	}
	return Parse(b)
}

// exampleData is the body of each event's builder (NewCallCompleted and the
// like): the data of t's documented example. It panics only if the example
// does not parse, which the generated TestExamples rules out.
func exampleData[T EventData](t EventType) T {
	ev, err := ExampleEvent(t)
	if err != nil {
		panic(err)
	}
	return ev.Data.(T)
}

// NewSignedRequest returns a POST request to url with ev as its JSON body,
// signed with secret as KrosAI signs deliveries (the Standard Webhooks
// headers of SignStandard, dated now), for a test of a Handler through
// net/http/httptest. An empty secret gives an unsigned request.
func NewSignedRequest(url, secret string, ev *Event) (*http.Request, error) {
	body, err := json.Marshal(ev)
	if err != nil {
		return nil, err
	}
	req, err := http.NewRequest(http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	if secret == "" {
		return req, nil
	}
	h, err := SignStandard(secret, string(ev.ID), time.Now(), body)
	if err != nil {
		return nil, err
	}
	for k, v := range h {
		req.Header[k] = v
	}
	return req, nil
}
